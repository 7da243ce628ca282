/* vw-device-keys-group.c: see vw-device-keys-group.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-device-keys-group.h"
#include "vw-file-chooser.h"

struct _VwDeviceKeysGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwActionRow        *recipient_row;
  AdwActionRow        *signing_row;
  AdwActionRow        *fingerprint_row;

  /* Owned */
  char                *keys;  /* the text `veldwerk-cli keys` prints */
};

G_DEFINE_FINAL_TYPE (VwDeviceKeysGroup, vw_device_keys_group, ADW_TYPE_PREFERENCES_GROUP)

static void
toast (VwDeviceKeysGroup *self,
       const char        *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

gboolean
vw_device_keys_group_set_vault (VwDeviceKeysGroup  *self,
                                VwVault            *vault,
                                GError            **error)
{
  g_autofree char *keys = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *signing = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (VW_IS_DEVICE_KEYS_GROUP (self), FALSE);

  g_clear_pointer (&self->keys, g_free);
  adw_action_row_set_subtitle (self->recipient_row, "");
  adw_action_row_set_subtitle (self->signing_row, "");
  adw_action_row_set_subtitle (self->fingerprint_row, "");
  if (vault == NULL)
    return TRUE;
  if ((keys = vw_study_format_own_keys (vault, error)) == NULL ||
      !vw_study_parse_keys_text (keys, &recipient, &signing, error) ||
      (fingerprint = vw_fingerprint_of_key_text (signing, error)) == NULL)
    return FALSE;
  adw_action_row_set_subtitle (self->recipient_row, recipient);
  adw_action_row_set_subtitle (self->signing_row, signing);
  adw_action_row_set_subtitle (self->fingerprint_row, fingerprint);
  self->keys = g_steal_pointer (&keys);
  return TRUE;
}

gboolean
vw_device_keys_group_save (VwDeviceKeysGroup  *self,
                           GFile              *file,
                           GError            **error)
{
  g_return_val_if_fail (VW_IS_DEVICE_KEYS_GROUP (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->keys == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The vault is locked"));
      return FALSE;
    }
  if (!g_file_replace_contents (file, self->keys, strlen (self->keys), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                NULL, error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

static void
copy_row (VwDeviceKeysGroup *self,
          AdwActionRow      *row)
{
  const char *text = adw_action_row_get_subtitle (row);

  if (text == NULL || *text == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, _("Copied"));
}

static void
copy_recipient (VwDeviceKeysGroup *self)
{
  copy_row (self, self->recipient_row);
}

static void
copy_signing (VwDeviceKeysGroup *self)
{
  copy_row (self, self->signing_row);
}

static void
keys_file_chosen (GtkWidget      *owner,
                  GtkFileChooser *chooser,
                  gpointer        user_data)
{
  VwDeviceKeysGroup *self = VW_DEVICE_KEYS_GROUP (owner);
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autoptr(GError) error = NULL;

  if (!vw_device_keys_group_save (self, file, &error))
    toast (self, error->message);
  else
    toast (self, _("Saved this laptop’s keys"));
}

static void
save_clicked (VwDeviceKeysGroup *self)
{
  GtkFileChooser *chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Save This Laptop’s Keys"),
                                                 GTK_FILE_CHOOSER_ACTION_SAVE, keys_file_chosen, NULL, NULL);

  gtk_file_chooser_set_current_name (chooser, "veldwerk-keys.txt");
  vw_file_chooser_show (chooser);
}

static void
vw_device_keys_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VW_TYPE_DEVICE_KEYS_GROUP);

  G_OBJECT_CLASS (vw_device_keys_group_parent_class)->dispose (object);
}

static void
vw_device_keys_group_finalize (GObject *object)
{
  VwDeviceKeysGroup *self = VW_DEVICE_KEYS_GROUP (object);

  g_free (self->keys);

  G_OBJECT_CLASS (vw_device_keys_group_parent_class)->finalize (object);
}

static void
vw_device_keys_group_class_init (VwDeviceKeysGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_device_keys_group_dispose;
  object_class->finalize = vw_device_keys_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-device-keys-group.ui");
  gtk_widget_class_bind_template_child (widget_class, VwDeviceKeysGroup, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, VwDeviceKeysGroup, signing_row);
  gtk_widget_class_bind_template_child (widget_class, VwDeviceKeysGroup, fingerprint_row);
  gtk_widget_class_bind_template_callback (widget_class, copy_recipient);
  gtk_widget_class_bind_template_callback (widget_class, copy_signing);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked);
}

static void
vw_device_keys_group_init (VwDeviceKeysGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
