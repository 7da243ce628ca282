/* vw-handover-dialog.c: see vw-handover-dialog.h.
 *
 * A handover holds a few participants, so it is written (and read back)
 * on the main thread. Removal never happens here: the participants stay,
 * read-only, until the receiving laptop's receipt is opened on this one
 * (vw-exchange-receipt.c, as `study handover --remove`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-handover-dialog.h"
#include "vw-dialog.h"
#include "vw-handover-state.h"
#include "vw-save-chooser.h"

struct _VwHandoverDialog
{
  AdwWindow         parent_instance;

  /* template widgets */
  AdwPreferencesGroup *device_group;
  AdwComboRow      *device_row;
  AdwStatusPage    *no_devices_page;
  GtkLabel         *count_label;
  GtkSearchEntry   *search_entry;
  GtkListBox       *participants_list;
  GtkSwitch        *remove_switch;
  GtkListBox       *result_list;
  AdwActionRow     *result_row;

  VwVault          *vault;         /* owned */
  char             *study;         /* owned */
  GPtrArray        *devices;       /* owned: VwDevice, in the combo row's order */
  GHashTable       *checked;       /* owned: codes */
  GFile            *target;        /* owned while confirming */
  AdwMessageDialog *confirmation;  /* borrowed while open */
};

G_DEFINE_FINAL_TYPE (VwHandoverDialog, vw_handover_dialog, ADW_TYPE_WINDOW)

enum {
  HANDED_OVER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_result (VwHandoverDialog *self,
             const char *title,
             const char *subtitle,
             gboolean    failed)
{
  vw_result_row_show (self->result_row, GTK_WIDGET (self->result_list), title, subtitle, failed);
}

static void
update_actions (VwHandoverDialog *self)
{
  guint n = g_hash_table_size (self->checked);
  g_autofree char *count = g_strdup_printf (g_dngettext (NULL, "%u chosen", "%u chosen", n), n);

  gtk_label_set_label (self->count_label, count);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.save",
                                 self->devices->len > 0 && n > 0 && self->confirmation == NULL);
}

static void
check_toggled (GtkCheckButton   *check,
               GParamSpec       *pspec,
               VwHandoverDialog *self)
{
  const char *code = g_object_get_data (G_OBJECT (check), "vw-code");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->checked, g_strdup (code));
  else
    g_hash_table_remove (self->checked, code);
  update_actions (self);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  VwHandoverDialog *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  g_autofree char *haystack = g_utf8_casefold (g_object_get_data (G_OBJECT (row), "vw-search"), -1);

  return *needle == '\0' || strstr (haystack, needle) != NULL;
}

static void
search_changed (VwHandoverDialog *self)
{
  gtk_list_box_invalidate_filter (self->participants_list);
}

static gboolean
load_devices (VwHandoverDialog  *self,
              GError           **error)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *devices = vw_study_list_duo_devices (self->vault, self->study, error);

  if (devices == NULL)
    return FALSE;
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  self->devices = devices;
  for (guint i = 0; i < devices->len; i++)
    gtk_string_list_append (labels, ((VwDevice *) g_ptr_array_index (devices, i))->label);
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (labels));
  gtk_widget_set_visible (GTK_WIDGET (self->device_group), devices->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_devices_page), devices->len == 0);
  return TRUE;
}

static gboolean
load_participants (VwHandoverDialog  *self,
                   const char        *preselect,
                   GError           **error)
{
  g_autoptr(GPtrArray) participants = vw_vault_list_participants (self->vault, self->study, error);
  g_autoptr(GHashTable) awaiting = NULL;

  if (participants == NULL || (awaiting = vw_exchange_awaiting_receipt (self->vault, self->study, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      /* Pseudonyms are text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      VwHandover *pending = g_hash_table_lookup (awaiting, p->code);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->pseudonym);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), p->code);
      /* Already on its way to another laptop: not a second time. */
      if (pending != NULL)
        {
          g_autofree char *state = vw_handover_state_label (pending);
          g_autofree char *subtitle = g_strdup_printf ("%s · %s", p->code, state);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_widget_set_sensitive (row, FALSE);
        }
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (check), "vw-code", g_strdup (p->code), g_free);
      g_object_set_data_full (G_OBJECT (row), "vw-search", g_strconcat (p->code, "\n", p->pseudonym, NULL), g_free);
      g_signal_connect (check, "notify::active", G_CALLBACK (check_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->participants_list, row);
      if (pending == NULL && g_strcmp0 (p->code, preselect) == 0)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    }
  return TRUE;
}

/* Checked codes in the list's order, NULL-terminated. */
static GPtrArray *
checked_codes (VwHandoverDialog *self)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
      const char *code = g_object_get_data (G_OBJECT (check), "vw-code");

      if (g_hash_table_contains (self->checked, code))
        g_ptr_array_add (codes, g_strdup (code));
    }
  g_ptr_array_add (codes, NULL);
  return codes;
}

static void
hand_over (VwHandoverDialog *self,
           GFile            *file,
           gboolean          remove)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = checked_codes (self);
  g_autofree char *message = NULL;
  g_autofree char *path = vw_save_chooser_path (file, &message);
  g_autofree char *name = g_file_get_basename (file);
  guint selected = adw_combo_row_get_selected (self->device_row);
  guint n = codes->len - 1;
  VwDevice *device;

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->devices->len || n == 0)
    return;
  device = g_ptr_array_index (self->devices, selected);
  if (path == NULL)
    {
      show_result (self, _("Nothing was saved"), message, TRUE);
      return;
    }
  /* Written, read back as the receiver will read it, and recorded; with
   * removal, nobody leaves before the receipt. */
  if (!vw_exchange_write_handover (self->vault, self->study, device->id, (const char * const *) codes->pdata, path,
                                   remove, NULL, &error))
    {
      show_result (self, _("Nothing was saved"), error->message, TRUE);
      return;
    }

  {
    g_autofree char *title = g_strdup_printf (_("Saved %s"), name);
    g_autofree char *subtitle = NULL;

    if (remove)
      subtitle = g_strdup_printf (g_dngettext (NULL,
                                               "%u participant for %s, removed from this laptop once their "
                                               "receipt is opened here",
                                               "%u participants for %s, removed from this laptop once their "
                                               "receipt is opened here", n),
                                  n, device->label);
    else
      subtitle = g_strdup_printf (g_dngettext (NULL, "%u participant for %s", "%u participants for %s", n), n,
                                  device->label);
    show_result (self, title, subtitle, FALSE);
  }
  if (remove)
    {
      /* Who awaits a receipt cannot be handed over again. */
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list)); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        {
          GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
          const char *code = g_object_get_data (G_OBJECT (check), "vw-code");

          if (g_hash_table_contains (self->checked, code))
            {
              g_autofree char *subtitle = g_strdup_printf ("%s · %s", code, _("awaiting receipt"));

              gtk_widget_set_sensitive (row, FALSE);
              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
            }
        }
      g_hash_table_remove_all (self->checked);
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list)); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        gtk_check_button_set_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))),
                                     FALSE);
      update_actions (self);
    }
  g_signal_emit (self, signals[HANDED_OVER], 0);
}

static void
confirmation_response (AdwMessageDialog *dialog,
                       const char       *response,
                       VwHandoverDialog *self)
{
  g_autoptr(GFile) file = g_steal_pointer (&self->target);

  self->confirmation = NULL;
  update_actions (self);
  if (g_strcmp0 (response, "remove") == 0 && file != NULL)
    hand_over (self, file, TRUE);
}

void
vw_handover_dialog_save_to (VwHandoverDialog *self,
                            GFile            *file)
{
  guint n = g_hash_table_size (self->checked);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_return_if_fail (VW_IS_HANDOVER_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->confirmation != NULL)
    return;
  if (!gtk_switch_get_active (self->remove_switch))
    {
      hand_over (self, file, FALSE);
      return;
    }
  g_set_object (&self->target, file);
  heading = g_strdup_printf (g_dngettext (NULL, "Remove %u Participant From This Laptop Once Received?",
                                          "Remove %u Participants From This Laptop Once Received?", n), n);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("They stay here, read-only, until the receiving duo opens the handover and "
                                     "sends back a receipt, and you open that receipt here with Open Bundles. Only "
                                     "then are they removed, with their contact details, interviews, notes and "
                                     "quotes. If the file is lost or damaged on the way, nobody is lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove",
                                    _("_Save Handover"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirmation_response), self, 0);
  self->confirmation = ADW_MESSAGE_DIALOG (dialog);
  update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

AdwMessageDialog *
vw_handover_dialog_get_confirmation (VwHandoverDialog *self)
{
  g_return_val_if_fail (VW_IS_HANDOVER_DIALOG (self), NULL);

  return self->confirmation;
}

static void
handover_save (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VwHandoverDialog *self = VW_HANDOVER_DIALOG (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("veldwerk-handover-%s.age", date);

  vw_save_chooser_show (GTK_WINDOW (self), _("Save Handover"), name, (VwSaveFunc) vw_handover_dialog_save_to);
}

static void
vw_handover_dialog_dispose (GObject *object)
{
  VwHandoverDialog *self = VW_HANDOVER_DIALOG (object);

  if (self->confirmation != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirmation));
  self->confirmation = NULL;
  g_clear_object (&self->target);
  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_HANDOVER_DIALOG);

  G_OBJECT_CLASS (vw_handover_dialog_parent_class)->dispose (object);
}

static void
vw_handover_dialog_finalize (GObject *object)
{
  VwHandoverDialog *self = VW_HANDOVER_DIALOG (object);

  g_free (self->study);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_hash_table_unref (self->checked);

  G_OBJECT_CLASS (vw_handover_dialog_parent_class)->finalize (object);
}

static void
vw_handover_dialog_class_init (VwHandoverDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_handover_dialog_dispose;
  object_class->finalize = vw_handover_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-handover-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, device_group);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, no_devices_page);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, participants_list);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, remove_switch);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, result_list);
  gtk_widget_class_bind_template_child (widget_class, VwHandoverDialog, result_row);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);

  signals[HANDED_OVER] = g_signal_new ("handed-over", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "handover.save", NULL, handover_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "handover.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_handover_dialog_init (VwHandoverDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->devices = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_device_free);
  gtk_list_box_set_filter_func (self->participants_list, filter_row, self, NULL);
}

VwHandoverDialog *
vw_handover_dialog_new (GtkWindow  *parent,
                        VwVault    *vault,
                        const char *study,
                        const char *code)
{
  g_autoptr(GError) error = NULL;
  VwHandoverDialog *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_HANDOVER_DIALOG, "transient-for", parent, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  if (!load_devices (self, &error) || !load_participants (self, code, &error))
    show_result (self, _("Cannot prepare a handover"), error->message, TRUE);
  update_actions (self);
  vw_dialog_start (GTK_WINDOW (self), NULL, NULL);
  return self;
}
