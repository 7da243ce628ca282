/* vw-nonresponse-dialog.c: recording a non-response (see
 * vw-nonresponse-dialog.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"
#include "vw-nonresponse-dialog.h"
#include "vw-round-status.h"
#include "vw-validate.h"

struct _VwNonresponseDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton   *save_button;
  AdwComboRow *status_row;
  AdwEntryRow *date_row;
  AdwEntryRow *reason_row;
  GtkLabel    *error_label;

  /* Owned */
  VwVault     *vault;
  char        *study;
  char        *code;
  char        *round;
};

G_DEFINE_FINAL_TYPE (VwNonresponseDialog, vw_nonresponse_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
date_changed (VwNonresponseDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  gboolean ok = *text != '\0' && vw_validate_date ("date", text, NULL);

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), ok);
}

void
vw_nonresponse_dialog_fill (VwNonresponseDialog *self,
                            const char          *status,
                            const char          *date,
                            const char          *reason)
{
  g_return_if_fail (VW_IS_NONRESPONSE_DIALOG (self));

  for (guint i = 0; vw_nonresponse_statuses[i] != NULL; i++)
    if (g_strcmp0 (vw_nonresponse_statuses[i], status) == 0)
      adw_combo_row_set_selected (self->status_row, i);
  if (date != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason ? reason : "");
}

gboolean
vw_nonresponse_dialog_save (VwNonresponseDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(VwInterview) interview = NULL;
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
  const char *date = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  const char *status = vw_nonresponse_statuses[adw_combo_row_get_selected (self->status_row)];
  gboolean ok = FALSE;

  g_return_val_if_fail (VW_IS_NONRESPONSE_DIALOG (self), FALSE);

  /* The core's validator, which the vault applies again when it stores
   * the date: its message names the field and the problem. */
  if (*date == '\0' || !vw_validate_date ("date", date, &error))
    {
      if (error == NULL)
        g_set_error (&error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                     _("Write the date as YYYY-MM-DD, for example 2025-03-14."));
      goto out;
    }

  /* The vault keeps a non-response as an interview record without a
   * questionnaire; a started interview keeps its answers and gets the
   * status. All in one transaction. */
  if (!vw_vault_begin (self->vault, &error))
    goto out;
  interview = vw_vault_find_interview (self->vault, self->study, self->code, self->round, &missing);
  if (interview == NULL && g_error_matches (missing, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
    interview = vw_vault_start_interview (self->vault, self->study, self->code, self->round, NULL, NULL, NULL,
                                          NULL, &error);
  else if (interview == NULL)
    g_propagate_error (&error, g_steal_pointer (&missing));

  ok = interview != NULL &&
       vw_vault_set_interview_status (self->vault, interview->id, status, date, *reason ? reason : NULL, &error) &&
       vw_vault_set_interview_state (self->vault, interview->id, VW_INTERVIEW_FINISHED, NULL, NULL, &error) &&
       vw_vault_commit (self->vault, &error);
  if (!ok)
    vw_vault_rollback (self->vault);

out:
  if (!ok)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_RECORDED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

/* A reason typed is lost when the dialog closes unsaved. */
static gboolean
has_typed_content (GtkWindow *dialog)
{
  VwNonresponseDialog *self = VW_NONRESPONSE_DIALOG (dialog);
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));

  return *reason != '\0';
}

static void
save_clicked (VwNonresponseDialog *self)
{
  vw_nonresponse_dialog_save (self);
}

static void
cancel_clicked (VwNonresponseDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

GtkWidget *
vw_nonresponse_dialog_new (GtkWindow  *parent,
                           VwVault    *vault,
                           const char *study,
                           const char *code,
                           const char *round)
{
  VwNonresponseDialog *self;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_NONRESPONSE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  self->code = g_strdup (code);
  self->round = g_strdup (round);

  for (guint i = 0; vw_nonresponse_statuses[i] != NULL; i++)
    gtk_string_list_append (labels, vw_round_status_label (vw_nonresponse_statuses[i]));
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (labels));
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);
  /* Translators: participant code and round, e.g. DH-7K3QM, round T1 */
  subtitle = g_strdup_printf (_("%s, round %s"), code, round);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  vw_dialog_start (GTK_WINDOW (self), GTK_WIDGET (self->save_button), GTK_WIDGET (self->status_row));
  vw_dialog_confirm_discard (GTK_WINDOW (self), has_typed_content);

  return GTK_WIDGET (self);
}

static void
vw_nonresponse_dialog_dispose (GObject *object)
{
  VwNonresponseDialog *self = VW_NONRESPONSE_DIALOG (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_NONRESPONSE_DIALOG);

  G_OBJECT_CLASS (vw_nonresponse_dialog_parent_class)->dispose (object);
}

static void
vw_nonresponse_dialog_finalize (GObject *object)
{
  VwNonresponseDialog *self = VW_NONRESPONSE_DIALOG (object);

  g_free (self->study);
  g_free (self->code);
  g_free (self->round);

  G_OBJECT_CLASS (vw_nonresponse_dialog_parent_class)->finalize (object);
}

static void
vw_nonresponse_dialog_class_init (VwNonresponseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_nonresponse_dialog_dispose;
  object_class->finalize = vw_nonresponse_dialog_finalize;

  /**
   * VwNonresponseDialog::recorded:
   *
   * The non-response is stored.
   */
  signals[SIGNAL_RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-nonresponse-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwNonresponseDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VwNonresponseDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, VwNonresponseDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, VwNonresponseDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, VwNonresponseDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, VwNonresponseDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, date_changed);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
}

static void
vw_nonresponse_dialog_init (VwNonresponseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
