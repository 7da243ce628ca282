/* vw-unlock-page.c: the lock screen (see vw-unlock-page.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-a11y.h"
#include "vw-unlock-page.h"

struct _VwUnlockPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwStatusPage        *status_page;
  AdwPasswordEntryRow  *passphrase_row;
  AdwEntryRow          *recovery_row;
  GtkButton            *unlock_button;
  GtkButton            *recovery_button;
  GtkSpinner           *spinner;
  GtkLabel             *error_label;
  GtkLabel             *demo_label;

  /* Owned */
  VwVault              *vault;
  GCancellable         *cancellable;
  char                 *error;
};

G_DEFINE_FINAL_TYPE (VwUnlockPage, vw_unlock_page, ADW_TYPE_BIN)

enum {
  SIGNAL_UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (VwUnlockPage *self,
          gboolean      busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  /* The fields stay sensitive: taking the focus from a blinking entry
   * upsets GtkText; a second attempt is refused while one runs. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recovery_button), !busy);
}

static void
show_error (VwUnlockPage *self,
            const char   *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
unlock_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VwUnlockPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean with_recovery = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "vw-recovery"));
  gboolean ok;

  ok = with_recovery ? vw_vault_unlock_with_recovery_code_finish (VW_VAULT (source), result, &error)
                     : vw_vault_unlock_finish (VW_VAULT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (!ok)
    {
      GtkWidget *row = with_recovery ? GTK_WIDGET (self->recovery_row) : GTK_WIDGET (self->passphrase_row);

      if (g_error_matches (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_PASSPHRASE))
        show_error (self, _("That passphrase is not right. Nothing was changed; try again."));
      else if (g_error_matches (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_RECOVERY_CODE))
        show_error (self, _("That recovery code is not right. Nothing was changed; try again."));
      else
        show_error (self, error->message);
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
      return;
    }

  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_row), "");
  g_signal_emit (self, signals[SIGNAL_UNLOCKED], 0);
}

static VwSecret *
take_text (GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);

  return vw_secret_new_from ((const guint8 *) text, strlen (text));
}

static void
unlock_clicked (VwUnlockPage *self)
{
  g_autoptr(VwSecret) passphrase = NULL;

  if (self->vault == NULL || gtk_spinner_get_spinning (self->spinner))
    return;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)) == '\0')
    {
      show_error (self, _("Type the passphrase of this vault first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }

  passphrase = take_text (GTK_EDITABLE (self->passphrase_row));
  set_busy (self, TRUE);
  show_error (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  vw_vault_unlock_async (self->vault, passphrase, self->cancellable, unlock_done, g_object_ref (self));
}

static void
recovery_unlock_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_object_set_data (G_OBJECT (result), "vw-recovery", GINT_TO_POINTER (TRUE));
  unlock_done (source, result, user_data);
}

static void
recovery_clicked (VwUnlockPage *self)
{
  g_autoptr(VwSecret) code = NULL;

  if (self->vault == NULL || gtk_spinner_get_spinning (self->spinner))
    return;

  code = take_text (GTK_EDITABLE (self->recovery_row));
  set_busy (self, TRUE);
  show_error (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  vw_vault_unlock_with_recovery_code_async (self->vault, code, self->cancellable, recovery_unlock_done,
                                            g_object_ref (self));
}

static void
row_changed (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

void
vw_unlock_page_set_vault (VwUnlockPage *self,
                          VwVault      *vault,
                          const char   *demo_passphrase)
{
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (VW_IS_UNLOCK_PAGE (self));
  g_return_if_fail (VW_IS_VAULT (vault));

  g_set_object (&self->vault, vault);
  set_busy (self, FALSE);
  show_error (self, NULL);

  name = g_filename_display_name (vw_vault_get_path (vault));
  /* Translators: %s is the path of the vault file */
  description = g_strdup_printf (_("The vault %s is locked. Its keys are not in memory until you type "
                                   "its passphrase."), name);
  adw_status_page_set_description (self->status_page, description);

  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), demo_passphrase != NULL);
  if (demo_passphrase != NULL)
    {
      /* Translators: %s is the passphrase of the demo vault */
      g_autofree char *text = g_strdup_printf (_("Demo study: the passphrase is “%s”"), demo_passphrase);
      gtk_label_set_label (self->demo_label, text);
    }
}

const char *
vw_unlock_page_get_error (VwUnlockPage *self)
{
  g_return_val_if_fail (VW_IS_UNLOCK_PAGE (self), NULL);

  return self->error;
}

gboolean
vw_unlock_page_get_busy (VwUnlockPage *self)
{
  g_return_val_if_fail (VW_IS_UNLOCK_PAGE (self), FALSE);

  return gtk_spinner_get_spinning (self->spinner);
}

static gboolean
vw_unlock_page_grab_focus (GtkWidget *widget)
{
  VwUnlockPage *self = VW_UNLOCK_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
vw_unlock_page_dispose (GObject *object)
{
  VwUnlockPage *self = VW_UNLOCK_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_UNLOCK_PAGE);

  G_OBJECT_CLASS (vw_unlock_page_parent_class)->dispose (object);
}

static void
vw_unlock_page_finalize (GObject *object)
{
  VwUnlockPage *self = VW_UNLOCK_PAGE (object);

  g_free (self->error);

  G_OBJECT_CLASS (vw_unlock_page_parent_class)->finalize (object);
}

static void
vw_unlock_page_class_init (VwUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_unlock_page_dispose;
  object_class->finalize = vw_unlock_page_finalize;
  widget_class->grab_focus = vw_unlock_page_grab_focus;

  /**
   * VwUnlockPage::unlocked:
   *
   * The vault is unlocked: its keys are in memory again.
   */
  signals[SIGNAL_UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, recovery_row);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, recovery_button);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, VwUnlockPage, demo_label);
  gtk_widget_class_bind_template_callback (widget_class, unlock_clicked);
  gtk_widget_class_bind_template_callback (widget_class, recovery_clicked);
  gtk_widget_class_bind_template_callback (widget_class, row_changed);
}

static void
vw_unlock_page_init (VwUnlockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vw_a11y_name_password_row (self->passphrase_row);
}
