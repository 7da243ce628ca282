/* vw-join-page.c: see vw-join-page.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-device-keys-group.h"
#include "vw-file-chooser.h"
#include "vw-join-page.h"

struct _VwJoinPage
{
  AdwBin             parent_instance;

  /* Template widgets */
  VwDeviceKeysGroup *keys_group;
  AdwEntryRow       *coordinator_key_row;
  GtkLabel          *error_label;

  /* Owned */
  VwVault           *vault;
};

G_DEFINE_FINAL_TYPE (VwJoinPage, vw_join_page, ADW_TYPE_BIN)

enum {
  SIGNAL_JOINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (VwJoinPage *self,
            const char *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

gboolean
vw_join_page_set_vault (VwJoinPage  *self,
                        VwVault     *vault,
                        GError     **error)
{
  g_return_val_if_fail (VW_IS_JOIN_PAGE (self), FALSE);

  g_set_object (&self->vault, vault);
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->coordinator_key_row), "");
  return vw_device_keys_group_set_vault (self->keys_group, vault, error);
}

gboolean
vw_join_page_join_file (VwJoinPage *self,
                        GFile      *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *study = NULL;

  g_return_val_if_fail (VW_IS_JOIN_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  name = g_file_get_parse_name (file);
  key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->coordinator_key_row))));
  if (self->vault == NULL || path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("%s: not a local file"), name);
      show_error (self, message);
      return FALSE;
    }
  study = vw_study_join (self->vault, path, *key != '\0' ? key : NULL, &error);
  if (study == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot join with %s: %s"), name, error->message);
      show_error (self, message);
      if (*key != '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->coordinator_key_row), "error");
      return FALSE;
    }
  show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->coordinator_key_row), "error");
  g_signal_emit (self, signals[SIGNAL_JOINED], 0, study);
  return TRUE;
}

const char *
vw_join_page_get_error (VwJoinPage *self)
{
  g_return_val_if_fail (VW_IS_JOIN_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

GtkWidget *
vw_join_page_get_keys (VwJoinPage *self)
{
  g_return_val_if_fail (VW_IS_JOIN_PAGE (self), NULL);

  return GTK_WIDGET (self->keys_group);
}

static void
invitation_chosen (GtkWidget      *owner,
                   GtkFileChooser *chooser,
                   gpointer        user_data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  vw_join_page_join_file (VW_JOIN_PAGE (owner), file);
}

static void
open_clicked (VwJoinPage *self)
{
  GtkFileChooser *chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Open an Invitation"),
                                                 GTK_FILE_CHOOSER_ACTION_OPEN, invitation_chosen, NULL, NULL);

  gtk_file_chooser_native_set_accept_label (GTK_FILE_CHOOSER_NATIVE (chooser), _("_Join"));
  vw_file_chooser_show (chooser);
}

static void
key_changed (VwJoinPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->coordinator_key_row), "error");
}

static void
vw_join_page_dispose (GObject *object)
{
  VwJoinPage *self = VW_JOIN_PAGE (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_JOIN_PAGE);

  G_OBJECT_CLASS (vw_join_page_parent_class)->dispose (object);
}

static void
vw_join_page_class_init (VwJoinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_join_page_dispose;

  /**
   * VwJoinPage::joined:
   * @study: the id of the study joined
   */
  signals[SIGNAL_JOINED] =
    g_signal_new ("joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING);

  g_type_ensure (VW_TYPE_DEVICE_KEYS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-join-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, keys_group);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, coordinator_key_row);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, key_changed);
}

static void
vw_join_page_init (VwJoinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
