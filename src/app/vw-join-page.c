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
  GtkWidget         *header_image;
  GtkWidget         *header_text;
  VwDeviceKeysGroup *keys_group;
  AdwActionRow      *study_row;
  AdwActionRow      *coordinator_row;
  GtkLabel          *fingerprint_caption;
  GtkLabel          *fingerprint_label;
  AdwPreferencesGroup *confirm_group;
  AdwEntryRow       *confirm_row;
  GtkLabel          *confirm_label;
  GtkLabel          *error_label;
  GtkButton         *open_button;
  GtkButton         *join_button;

  /* Owned */
  VwVault           *vault;
  VwInvitation      *invitation;  /* opened, not joined yet */
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

/* Shows the opened invitation, or with %NULL none. */
static void
show_invitation (VwJoinPage   *self,
                 VwInvitation *invitation)
{
  gboolean shown = invitation != NULL;

  g_clear_pointer (&self->invitation, vw_invitation_free);
  self->invitation = invitation;
  adw_action_row_set_subtitle (self->study_row, shown ? vw_invitation_get_name (invitation) : "");
  adw_action_row_set_subtitle (self->coordinator_row, shown ? vw_invitation_get_coordinator (invitation) : "");
  gtk_label_set_label (self->fingerprint_label, shown ? vw_invitation_get_fingerprint (invitation) : "");
  /* This laptop's keys were for the step before: the invitation and its
   * check take their place, so the fingerprint to type is in view. */
  gtk_widget_set_visible (GTK_WIDGET (self->keys_group), !shown);
  gtk_widget_set_visible (self->header_image, !shown);
  gtk_widget_set_visible (self->header_text, !shown);
  gtk_widget_set_visible (GTK_WIDGET (self->study_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->coordinator_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_caption), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_label), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_group), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->join_button), shown);
  gtk_button_set_label (self->open_button, shown ? _("_Open Another…") : _("_Open Invitation…"));
  if (shown)
    gtk_widget_remove_css_class (GTK_WIDGET (self->open_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->open_button), "suggested-action");
  /* The confirmation is typed anew for every invitation. */
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->join_button), FALSE);
}

gboolean
vw_join_page_set_vault (VwJoinPage  *self,
                        VwVault     *vault,
                        GError     **error)
{
  g_return_val_if_fail (VW_IS_JOIN_PAGE (self), FALSE);

  g_set_object (&self->vault, vault);
  show_error (self, NULL);
  show_invitation (self, NULL);
  return vw_device_keys_group_set_vault (self->keys_group, vault, error);
}

gboolean
vw_join_page_open_file (VwJoinPage *self,
                        GFile      *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  VwInvitation *invitation;

  g_return_val_if_fail (VW_IS_JOIN_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  name = g_file_get_parse_name (file);
  show_invitation (self, NULL);
  if (self->vault == NULL || path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("%s: not a local file"), name);
      show_error (self, message);
      return FALSE;
    }
  /* Reading and checking writes nothing; joining waits for the
   * fingerprint. */
  invitation = vw_invitation_open (self->vault, path, &error);
  if (invitation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open the invitation %s: %s"), name, error->message);
      show_error (self, message);
      return FALSE;
    }
  show_error (self, NULL);
  show_invitation (self, invitation);
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
  return TRUE;
}

/* Join is enabled only when what was typed names the key that signed the
 * invitation; a complete fingerprint of another key says so at once. */
static void
confirm_changed (VwJoinPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  g_autoptr(GError) error = NULL;
  gboolean matches = FALSE;
  gboolean complete = FALSE;

  if (self->invitation != NULL)
    {
      g_autoptr(GError) local = NULL;

      complete = vw_invitation_confirm (self->invitation, text, &local) ||
                 g_error_matches (local, VW_STUDY_ERROR, VW_STUDY_ERROR_MISMATCH);
      matches = local == NULL;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->join_button), matches);
  gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_row), "success");
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_label), complete);
  if (!complete)
    return;
  if (matches)
    {
      gtk_label_set_label (self->confirm_label, _("This is the fingerprint of the key that signed the invitation."));
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_row), "success");
    }
  else
    {
      gtk_label_set_label (self->confirm_label,
                           _("This is not the fingerprint of the key that signed the invitation: it may not come "
                             "from your coordinator. Do not join; ask your coordinator."));
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_row), "error");
    }
}

static void
join_clicked (VwJoinPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;

  if (self->vault == NULL || self->invitation == NULL ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->join_button)))
    return;
  study = vw_invitation_join (self->vault, self->invitation,
                              gtk_editable_get_text (GTK_EDITABLE (self->confirm_row)), &error);
  if (study == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot join: %s"), error->message);
      show_error (self, message);
      return;
    }
  show_error (self, NULL);
  show_invitation (self, NULL);
  g_signal_emit (self, signals[SIGNAL_JOINED], 0, study);
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

  vw_join_page_open_file (VW_JOIN_PAGE (owner), file);
}

static void
open_clicked (VwJoinPage *self)
{
  GtkFileChooser *chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Open an Invitation"),
                                                 GTK_FILE_CHOOSER_ACTION_OPEN, invitation_chosen, NULL, NULL);

  vw_file_chooser_show (chooser);
}

static void
vw_join_page_dispose (GObject *object)
{
  VwJoinPage *self = VW_JOIN_PAGE (object);

  g_clear_object (&self->vault);
  g_clear_pointer (&self->invitation, vw_invitation_free);
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
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, header_image);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, header_text);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, study_row);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, coordinator_row);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, fingerprint_caption);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, confirm_group);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, confirm_label);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, VwJoinPage, join_button);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, confirm_changed);
  gtk_widget_class_bind_template_callback (widget_class, join_clicked);
}

static void
vw_join_page_init (VwJoinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
