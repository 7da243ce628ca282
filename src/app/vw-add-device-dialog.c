/* vw-add-device-dialog.c: see vw-add-device-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-add-device-dialog.h"
#include "vw-dialog.h"
#include "vw-file-chooser.h"

struct _VwAddDeviceDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  AdwEntryRow *label_row;
  AdwEntryRow *recipient_row;
  AdwEntryRow *signing_row;
  GtkLabel    *error_label;
  GtkButton   *add_button;

  /* Owned */
  VwVault     *vault;
  char        *study;
};

G_DEFINE_FINAL_TYPE (VwAddDeviceDialog, vw_add_device_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_error (VwAddDeviceDialog *self,
            AdwEntryRow       *field,
            const char        *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (field != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (field), "error");
}

static void
update_add (VwAddDeviceDialog *self)
{
  g_autofree char *label = g_strstrip (g_strdup (text_of (self->label_row)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            *label != '\0' && *text_of (self->recipient_row) != '\0' &&
                            *text_of (self->signing_row) != '\0');
}

static void
entry_changed (GtkWidget         *row,
               VwAddDeviceDialog *self)
{
  gtk_widget_remove_css_class (row, "error");
  update_add (self);
}

gboolean
vw_add_device_dialog_load_keys (VwAddDeviceDialog *self,
                                GFile             *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *signing = NULL;

  g_return_val_if_fail (VW_IS_ADD_DEVICE_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!g_file_load_contents (file, NULL, &text, NULL, NULL, &error) ||
      !vw_study_parse_keys_text (text, &recipient, &signing, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);

      show_error (self, NULL, message);
      return FALSE;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->recipient_row), recipient);
  gtk_editable_set_text (GTK_EDITABLE (self->signing_row), signing);
  show_error (self, NULL, NULL);
  return TRUE;
}

const char *
vw_add_device_dialog_get_error (VwAddDeviceDialog *self)
{
  g_return_val_if_fail (VW_IS_ADD_DEVICE_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

static void
add_clicked (VwAddDeviceDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strstrip (g_strdup (text_of (self->label_row)));
  g_autofree char *recipient = g_strstrip (g_strdup (text_of (self->recipient_row)));
  g_autofree char *signing = g_strstrip (g_strdup (text_of (self->signing_row)));
  g_autofree char *id = NULL;
  guint8 x[32], ed[32];

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    return;
  /* Checked one by one first, so the message names the field. */
  if (!vw_study_parse_device_keys (recipient, signing, x, ed, &error))
    {
      g_autoptr(VwAgeRecipient) parsed = vw_age_recipient_parse (recipient, NULL);
      AdwEntryRow *field = parsed == NULL ? self->recipient_row : self->signing_row;
      g_autofree char *message = g_strdup_printf ("%s: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (field)),
                                                  error->message);

      show_error (self, field, message);
      return;
    }
  id = vw_study_add_device (self->vault, self->study, label, recipient, signing, &error);
  if (id == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
keys_chosen (GtkWidget      *owner,
             GtkFileChooser *chooser,
             gpointer        user_data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  vw_add_device_dialog_load_keys (VW_ADD_DEVICE_DIALOG (owner), file);
}

static void
load_clicked (VwAddDeviceDialog *self)
{
  GtkFileChooser *chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Load a Laptop’s Keys"),
                                                 GTK_FILE_CHOOSER_ACTION_OPEN, keys_chosen, NULL, NULL);

  gtk_file_chooser_native_set_accept_label (GTK_FILE_CHOOSER_NATIVE (chooser), _("_Load"));
  vw_file_chooser_show (chooser);
}

static void
cancel_clicked (VwAddDeviceDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* Keys pasted or a label typed are lost when the dialog closes. */
static gboolean
has_typed_content (GtkWindow *dialog)
{
  VwAddDeviceDialog *self = VW_ADD_DEVICE_DIALOG (dialog);

  return *gtk_editable_get_text (GTK_EDITABLE (self->label_row)) != '\0' ||
         *gtk_editable_get_text (GTK_EDITABLE (self->recipient_row)) != '\0' ||
         *gtk_editable_get_text (GTK_EDITABLE (self->signing_row)) != '\0';
}

VwAddDeviceDialog *
vw_add_device_dialog_new (GtkWindow  *parent,
                          VwVault    *vault,
                          const char *study)
{
  VwAddDeviceDialog *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (study != NULL, NULL);

  self = g_object_new (VW_TYPE_ADD_DEVICE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  vw_dialog_start (GTK_WINDOW (self), GTK_WIDGET (self->add_button), GTK_WIDGET (self->label_row));
  vw_dialog_confirm_discard (GTK_WINDOW (self), has_typed_content);
  return self;
}

static void
vw_add_device_dialog_dispose (GObject *object)
{
  VwAddDeviceDialog *self = VW_ADD_DEVICE_DIALOG (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_ADD_DEVICE_DIALOG);

  G_OBJECT_CLASS (vw_add_device_dialog_parent_class)->dispose (object);
}

static void
vw_add_device_dialog_finalize (GObject *object)
{
  VwAddDeviceDialog *self = VW_ADD_DEVICE_DIALOG (object);

  g_free (self->study);

  G_OBJECT_CLASS (vw_add_device_dialog_parent_class)->finalize (object);
}

static void
vw_add_device_dialog_class_init (VwAddDeviceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_add_device_dialog_dispose;
  object_class->finalize = vw_add_device_dialog_finalize;

  /**
   * VwAddDeviceDialog::added:
   * @device: the new device's id
   */
  signals[SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-add-device-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwAddDeviceDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, VwAddDeviceDialog, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, VwAddDeviceDialog, signing_row);
  gtk_widget_class_bind_template_child (widget_class, VwAddDeviceDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VwAddDeviceDialog, add_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, load_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_add_device_dialog_init (VwAddDeviceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_add (self);
}
