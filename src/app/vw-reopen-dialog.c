/* vw-reopen-dialog.c: see vw-reopen-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-reopen-dialog.h"
#include "vw-text-keys.h"

struct _VwReopenDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *reason_row;  /* borrowed: the extra child's row */

  /* Owned */
  VwVault          *vault;
  char             *interview;
  char             *round;
};

G_DEFINE_FINAL_TYPE (VwReopenDialog, vw_reopen_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_REOPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

AdwEntryRow *
vw_reopen_dialog_get_reason (VwReopenDialog *self)
{
  g_return_val_if_fail (VW_IS_REOPEN_DIALOG (self), NULL);

  return self->reason_row;
}

/* Reopening needs a reason; white space is none. */
static void
reason_changed (VwReopenDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "reopen",
                                           !vw_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
}

static void
reason_activated (VwReopenDialog *self)
{
  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "reopen"))
    {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "reopen");
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
vw_reopen_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  VwReopenDialog *self = VW_REOPEN_DIALOG (dialog);
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;
  GtkWidget *failed;

  if (g_strcmp0 (response, "reopen") != 0)
    return;
  if (vw_vault_reopen_interview (self->vault, self->interview, gtk_editable_get_text (GTK_EDITABLE (self->reason_row)),
                                 &error))
    {
      g_signal_emit (self, signals[SIGNAL_REOPENED], 0, self->round);
      return;
    }
  /* The dialog closes after a response: the reason why nothing changed
   * comes in its own. */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  failed = adw_message_dialog_new (parent, _("The Interview Was Not Reopened"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (failed), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (failed));
}

static void
vw_reopen_dialog_dispose (GObject *object)
{
  VwReopenDialog *self = VW_REOPEN_DIALOG (object);

  g_clear_object (&self->vault);

  G_OBJECT_CLASS (vw_reopen_dialog_parent_class)->dispose (object);
}

static void
vw_reopen_dialog_finalize (GObject *object)
{
  VwReopenDialog *self = VW_REOPEN_DIALOG (object);

  g_free (self->interview);
  g_free (self->round);

  G_OBJECT_CLASS (vw_reopen_dialog_parent_class)->finalize (object);
}

static void
vw_reopen_dialog_class_init (VwReopenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = vw_reopen_dialog_dispose;
  object_class->finalize = vw_reopen_dialog_finalize;
  dialog_class->response = vw_reopen_dialog_response;

  /**
   * VwReopenDialog::reopened:
   * @round: the round of the interview
   */
  signals[SIGNAL_REOPENED] =
    g_signal_new ("reopened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vw_reopen_dialog_init (VwReopenDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();

  self->reason_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reason_row), _("_Why it is reopened"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->reason_row), TRUE);
  g_signal_connect_swapped (self->reason_row, "changed", G_CALLBACK (reason_changed), self);
  g_signal_connect_swapped (self->reason_row, "entry-activated", G_CALLBACK (reason_activated), self);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->reason_row));
  gtk_box_append (GTK_BOX (box), list);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "reopen", _("_Reopen"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "reopen", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "reopen", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "reopen");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
}

GtkWidget *
vw_reopen_dialog_new (GtkWindow  *parent,
                      VwVault    *vault,
                      const char *interview,
                      const char *round)
{
  VwReopenDialog *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (interview != NULL && round != NULL, NULL);

  self = g_object_new (VW_TYPE_REOPEN_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", _("Reopen the Interview?"),
                       NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("The interview of round %s was finished. Say why it is opened again: the "
                                    "reason is kept with the vault’s history. Finish it again when you are done."),
                                  round);
  self->vault = g_object_ref (vault);
  self->interview = g_strdup (interview);
  self->round = g_strdup (round);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->reason_row));
  return GTK_WIDGET (self);
}
