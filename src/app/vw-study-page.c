/* vw-study-page.c: see vw-study-page.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-add-device-dialog.h"
#include "vw-device-keys-group.h"
#include "vw-file-chooser.h"
#include "vw-study-page.h"
#include "vw-validate.h"

struct _VwStudyPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwComboRow         *switch_row;
  AdwActionRow        *name_row;
  GtkLabel            *id_label;
  AdwActionRow        *role_row;
  AdwActionRow        *regions_row;
  AdwActionRow        *questionnaire_row;
  AdwPreferencesGroup *rounds_group;
  AdwExpanderRow      *add_round_row;
  AdwEntryRow         *round_label_row;
  AdwEntryRow         *round_start_row;
  AdwEntryRow         *round_end_row;
  GtkLabel            *rounds_error;
  AdwPreferencesGroup *setup_group;
  AdwEntryRow         *rename_row;
  AdwEntryRow         *region_row;
  GtkLabel            *setup_error;
  AdwPreferencesGroup *recipients_group;
  AdwEntryRow         *recipient_row;
  GtkLabel            *recipients_error;
  AdwPreferencesGroup *signing_group;
  AdwActionRow        *signing_row;
  GtkLabel            *signing_label;
  AdwPreferencesGroup *devices_group;
  GtkLabel            *devices_error;
  AdwPreferencesGroup *coordinator_exchange_group;
  VwDeviceKeysGroup   *keys_group;
  AdwPreferencesGroup *duo_group;

  /* Owned */
  VwVault             *vault;
  char                *study;
  GPtrArray           *study_ids;    /* char *, in the order of switch_row */
  GPtrArray           *added_rows;   /* GtkWidget *, rows made by load() */
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (VwStudyPage, vw_study_page, ADW_TYPE_BIN)

enum {
  SIGNAL_STUDY_SELECTED,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkLabel *
error_labels (VwStudyPage *self,
              guint        i)
{
  GtkLabel *labels[] = { self->rounds_error, self->setup_error, self->recipients_error, self->devices_error };

  return i < G_N_ELEMENTS (labels) ? labels[i] : NULL;
}

/* One error at a time, next to what was changed; @field is marked. */
static void
show_error (VwStudyPage *self,
            GtkLabel    *where,
            GtkWidget   *field,
            const char  *message)
{
  GtkLabel *label;

  for (guint i = 0; (label = error_labels (self, i)) != NULL; i++)
    {
      gtk_widget_set_visible (GTK_WIDGET (label), label == where && message != NULL);
      gtk_label_set_label (label, label == where && message != NULL ? message : "");
    }
  if (field != NULL && message != NULL)
    gtk_widget_add_css_class (field, "error");
}

const char *
vw_study_page_get_error (VwStudyPage *self)
{
  GtkLabel *label;

  g_return_val_if_fail (VW_IS_STUDY_PAGE (self), NULL);

  for (guint i = 0; (label = error_labels (self, i)) != NULL; i++)
    if (gtk_widget_get_visible (GTK_WIDGET (label)))
      return gtk_label_get_label (label);
  return NULL;
}

static void
toast (VwStudyPage *self,
       const char  *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static GtkWindow *
parent_window (VwStudyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
entry_changed (GtkWidget   *row,
               VwStudyPage *self)
{
  gtk_widget_remove_css_class (row, "error");
}

static void
add_row (VwStudyPage         *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->added_rows, row);
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static char *
window_text (const VwRound *round)
{
  if (round->fieldwork_start == NULL && round->fieldwork_end == NULL)
    return g_strdup (_("No fieldwork window yet"));
  /* Translators: a round's fieldwork window, from one date to another. */
  return g_strdup_printf (_("Fieldwork %s to %s"), round->fieldwork_start ? round->fieldwork_start : "…",
                          round->fieldwork_end ? round->fieldwork_end : "…");
}

static const char *
optional (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text != '\0' ? text : NULL;
}

/* Sets round @label's window from two entry rows, naming the field that is
 * wrong; nothing is stored then. */
static gboolean
save_round (VwStudyPage *self,
            const char  *label,
            AdwEntryRow *start_row,
            AdwEntryRow *end_row,
            gboolean     may_update)
{
  g_autoptr(GError) error = NULL;
  const char *start = optional (start_row);
  const char *end = optional (end_row);
  AdwEntryRow *field = NULL;
  g_autofree char *message = NULL;

  if (vw_study_set_round (self->vault, self->study, label, start, end, may_update, &error))
    return TRUE;
  /* Which field is wrong, by the validator that refused it. */
  if (!vw_validate_fieldwork (label, start, NULL, NULL))
    field = start_row;
  else if (!vw_validate_fieldwork (label, start, end, NULL))
    field = end_row;
  else if (!may_update)
    field = self->round_label_row;
  if (field != NULL)
    message = g_strdup_printf ("%s: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (field)), error->message);
  show_error (self, self->rounds_error, GTK_WIDGET (field), message ? message : error->message);
  return FALSE;
}

static void
reload (VwStudyPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = g_object_ref (self->vault);
  g_autofree char *study = g_strdup (self->study);

  if (!vw_study_page_load (self, vault, study, &error))
    toast (self, error->message);
}

static void
changed (VwStudyPage *self)
{
  reload (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
round_save_clicked (GtkButton   *button,
                    VwStudyPage *self)
{
  const char *label = g_object_get_data (G_OBJECT (button), "round");

  if (save_round (self, label, g_object_get_data (G_OBJECT (button), "start-row"),
                  g_object_get_data (G_OBJECT (button), "end-row"), TRUE))
    {
      changed (self);
      toast (self, _("The fieldwork window is saved"));
    }
}

static GtkWidget *
date_row (const char *title,
          const char *value,
          VwStudyPage *self)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  g_signal_connect_object (row, "changed", G_CALLBACK (entry_changed), self, 0);
  return row;
}

static void
add_round_rows (VwStudyPage *self,
                GPtrArray   *rounds,
                gboolean     coordinator)
{
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *round = g_ptr_array_index (rounds, i);
      g_autofree char *subtitle = window_text (round);
      GtkWidget *row, *start, *end, *save_row, *button;

      if (!coordinator)
        {
          add_row (self, self->rounds_group, text_row (round->label, subtitle));
          continue;
        }
      /* The coordinator edits a round's window in place. */
      row = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), round->label);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      start = date_row (_("Fieldwork start"), round->fieldwork_start, self);
      end = date_row (_("Fieldwork end"), round->fieldwork_end, self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), start);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), end);
      button = gtk_button_new_with_mnemonic (_("_Save Window"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "round", g_strdup (round->label), g_free);
      g_object_set_data (G_OBJECT (button), "start-row", start);
      g_object_set_data (G_OBJECT (button), "end-row", end);
      g_signal_connect_object (button, "clicked", G_CALLBACK (round_save_clicked), self, 0);
      save_row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (save_row), button);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), save_row);
      add_row (self, self->rounds_group, row);
    }
}

static void
add_round_clicked (VwStudyPage *self)
{
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->round_label_row))));

  if (save_round (self, label, self->round_start_row, self->round_end_row, FALSE))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->round_start_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->round_end_row), "");
      changed (self);
    }
}

static void
rename_apply (VwStudyPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->rename_row));

  if (!vw_study_set_definition (self->vault, self->study, name, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Study name: %s"), error->message);
      show_error (self, self->setup_error, GTK_WIDGET (self->rename_row), message);
      return;
    }
  changed (self);
}

static void
region_apply (VwStudyPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *region = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->region_row))));

  if (!vw_vault_add_study_region (self->vault, self->study, region, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Region: %s"), error->message);
      show_error (self, self->setup_error, GTK_WIDGET (self->region_row), message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->region_row), "");
  changed (self);
}

static void
recipient_apply (VwStudyPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recipient_row))));

  if (!vw_study_add_recipient (self->vault, self->study, recipient, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Recipient: %s"), error->message);
      show_error (self, self->recipients_error, GTK_WIDGET (self->recipient_row), message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->recipient_row), "");
  changed (self);
}

static void
copy_signing (VwStudyPage *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), adw_action_row_get_subtitle (self->signing_row));
  toast (self, _("Copied"));
}

gboolean
vw_study_page_write_invitation (VwStudyPage *self,
                                const char  *device,
                                GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (VW_IS_STUDY_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  name = g_file_get_parse_name (file);
  if (path == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("not a local file"));
  if (path == NULL || !vw_study_write_invitation (self->vault, self->study, device, path, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot write the invitation %s: %s"), name, error->message);
      show_error (self, self->devices_error, NULL, message);
      return FALSE;
    }
  show_error (self, NULL, NULL, NULL);
  toast (self, _("Wrote the invitation: hand it to the duo and read out your fingerprint"));
  return TRUE;
}

static void
invitation_chosen (GtkWidget      *owner,
                   GtkFileChooser *chooser,
                   gpointer        device)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  vw_study_page_write_invitation (VW_STUDY_PAGE (owner), device, file);
}

static void
invite_clicked (GtkButton   *button,
                VwStudyPage *self)
{
  GtkFileChooser *chooser;
  g_autofree char *suggested = g_strdup_printf ("invitation-%s.vwb", (char *) g_object_get_data (G_OBJECT (button),
                                                                                                 "label"));

  chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Write an Invitation"), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 invitation_chosen, g_strdup (g_object_get_data (G_OBJECT (button), "device")), g_free);
  g_strdelimit (suggested, "/\\ ", '-');
  gtk_file_chooser_set_current_name (chooser, suggested);
  vw_file_chooser_show (chooser);
}

static void
revoke_response (AdwMessageDialog *dialog,
                 const char       *response,
                 VwStudyPage      *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) device = NULL;
  gboolean already = FALSE;

  if (g_strcmp0 (response, "revoke") != 0 || self->vault == NULL)
    return;
  /* The same call as `veldwerk-cli study revoke`, by the device's id. */
  if ((device = vw_study_revoke_device (self->vault, self->study, g_object_get_data (G_OBJECT (dialog), "device"),
                                        &already, &error)) == NULL)
    {
      show_error (self, self->devices_error, NULL, error->message);
      return;
    }
  changed (self);
}

static void
revoke_clicked (GtkButton   *button,
                VwStudyPage *self)
{
  GtkWidget *dialog;
  const char *label = g_object_get_data (G_OBJECT (button), "label");

  dialog = adw_message_dialog_new (parent_window (self), NULL,
                                   _("From now on, every bundle this laptop signed is refused, whatever date it "
                                     "carries. This cannot be undone: a replacement laptop is enrolled anew."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Revoke “%s”?"), label);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "device", g_strdup (g_object_get_data (G_OBJECT (button), "device")),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
device_button (VwStudyPage *self,
               const char  *mnemonic,
               VwDevice    *device,
               GCallback    callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "device", g_strdup (device->id), g_free);
  g_object_set_data_full (G_OBJECT (button), "label", g_strdup (device->label), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static void
add_device_rows (VwStudyPage *self,
                 GPtrArray   *devices)
{
  guint shown = 0;

  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *state = NULL;
      g_autofree char *date = NULL;
      g_autofree char *fingerprint = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (device->own || g_strcmp0 (device->study, self->study) != 0)
        continue;
      if (device->revoked_at != NULL)
        {
          date = g_strndup (device->revoked_at, 10);
          state = g_strdup_printf (_("Revoked on %s"), date);
        }
      else
        state = g_strdup (device->trusted ? _("Trusted") : _("Not trusted"));
      fingerprint = vw_study_device_fingerprint (device);
      /* Translators: a laptop's state, then the fingerprint of its key. */
      subtitle = g_strdup_printf (_("%s · fingerprint %s"), state, fingerprint);
      row = text_row (device->label, subtitle);
      if (device->revoked_at == NULL)
        {
          GtkWidget *invite = device_button (self, _("_Write Invitation…"), device, G_CALLBACK (invite_clicked));
          GtkWidget *revoke = device_button (self, _("_Revoke…"), device, G_CALLBACK (revoke_clicked));

          adw_action_row_add_suffix (ADW_ACTION_ROW (row), invite);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
        }
      add_row (self, self->devices_group, row);
      shown++;
    }
  if (shown == 0)
    add_row (self, self->devices_group,
             text_row (_("No laptops yet"), _("Add each duo’s laptop with the keys it shows on its Join page")));
}

static void
device_added (VwStudyPage *self)
{
  show_error (self, NULL, NULL, NULL);
  changed (self);
}

static void
add_device_clicked (VwStudyPage *self)
{
  VwAddDeviceDialog *dialog;

  if (self->vault == NULL)
    return;
  dialog = vw_add_device_dialog_new (parent_window (self), self->vault, self->study);
  g_signal_connect_object (dialog, "added", G_CALLBACK (device_added), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
switch_selected (VwStudyPage *self)
{
  guint i = adw_combo_row_get_selected (self->switch_row);

  if (self->loading || self->study_ids == NULL || i >= self->study_ids->len ||
      g_strcmp0 (g_ptr_array_index (self->study_ids, i), self->study) == 0)
    return;
  g_signal_emit (self, signals[SIGNAL_STUDY_SELECTED], 0, g_ptr_array_index (self->study_ids, i));
}

/* The model is changed only when the studies did, since this runs while
 * the combo row is still handling the user's choice. */
static void
fill_switch (VwStudyPage *self,
             GPtrArray   *studies)
{
  GtkStringList *names = GTK_STRING_LIST (adw_combo_row_get_model (self->switch_row));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) new_names = NULL;
  gboolean same = g_list_model_get_n_items (G_LIST_MODEL (names)) == studies->len;
  guint selected = 0;

  g_ptr_array_set_size (self->study_ids, 0);
  for (guint i = 0; i < studies->len; i++)
    {
      VwStudy *study = g_ptr_array_index (studies, i);

      g_strv_builder_add (builder, study->name);
      g_ptr_array_add (self->study_ids, g_strdup (study->id));
      if (g_strcmp0 (study->id, self->study) == 0)
        selected = i;
      same = same && g_strcmp0 (gtk_string_list_get_string (names, i), study->name) == 0;
    }
  new_names = g_strv_builder_end (builder);
  if (!same)
    gtk_string_list_splice (names, 0, g_list_model_get_n_items (G_LIST_MODEL (names)),
                            (const char * const *) new_names);
  if (adw_combo_row_get_selected (self->switch_row) != selected)
    adw_combo_row_set_selected (self->switch_row, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->switch_row), studies->len > 1);
}

static char *
next_round_label (GPtrArray *rounds)
{
  return g_strdup_printf ("T%u", rounds->len);
}

gboolean
vw_study_page_load (VwStudyPage  *self,
                    VwVault      *vault,
                    const char   *study,
                    GError      **error)
{
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *regions = NULL;
  g_autofree char *questionnaire = NULL;
  g_autofree char *signing = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *own = NULL;
  g_auto(GStrv) recipients = NULL;
  gboolean coordinator;

  g_return_val_if_fail (VW_IS_STUDY_PAGE (self), FALSE);
  g_return_val_if_fail (VW_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (study != NULL, FALSE);

  if ((info = vw_vault_get_study (vault, study, error)) == NULL ||
      (studies = vw_vault_list_studies (vault, error)) == NULL ||
      (rounds = vw_vault_list_rounds (vault, study, error)) == NULL ||
      (recipients = vw_study_list_recipients (vault, study, error)) == NULL ||
      (devices = vw_vault_list_devices (vault, error)) == NULL ||
      (signing = vw_vault_get_signing_key (vault, error)) == NULL ||
      (fingerprint = vw_fingerprint_of_key_text (signing, error)) == NULL ||
      (own = vw_vault_get_age_recipient (vault, error)) == NULL ||
      !vw_device_keys_group_set_vault (self->keys_group, vault, error))
    return FALSE;

  self->loading = TRUE;
  g_set_object (&self->vault, vault);
  if (self->study != study)
    {
      g_free (self->study);
      self->study = g_strdup (study);
    }
  for (guint i = 0; i < self->added_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->added_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->added_rows, 0);
  show_error (self, NULL, NULL, NULL);

  coordinator = info->role == VW_STUDY_ROLE_COORDINATOR;
  fill_switch (self, studies);
  adw_action_row_set_subtitle (self->name_row, info->name);
  gtk_label_set_label (self->id_label, info->id);
  adw_action_row_set_subtitle (self->role_row, coordinator ? _("Coordinator") : _("Interview duo"));
  regions = g_strjoinv (", ", info->regions);
  adw_action_row_set_subtitle (self->regions_row, regions);
  /* Translators: a questionnaire's id and version. */
  questionnaire = g_strdup_printf (_("%s, version %s"), info->questionnaire_id, info->questionnaire_version);
  adw_action_row_set_subtitle (self->questionnaire_row, questionnaire);

  add_round_rows (self, rounds, coordinator);
  gtk_widget_set_visible (GTK_WIDGET (self->add_round_row), coordinator);
  {
    g_autofree char *next = next_round_label (rounds);
    gtk_editable_set_text (GTK_EDITABLE (self->round_label_row), next);
  }

  gtk_editable_set_text (GTK_EDITABLE (self->rename_row), info->name);
  for (guint i = 0; recipients[i] != NULL; i++)
    add_row (self, self->recipients_group,
             text_row (recipients[i], g_str_equal (recipients[i], own) ? _("This laptop") : NULL));
  adw_action_row_set_subtitle (self->signing_row, signing);
  gtk_label_set_label (self->signing_label, fingerprint);
  add_device_rows (self, devices);

  gtk_widget_set_visible (GTK_WIDGET (self->setup_group), coordinator);
  gtk_widget_set_visible (GTK_WIDGET (self->recipients_group), coordinator);
  gtk_widget_set_visible (GTK_WIDGET (self->signing_group), coordinator);
  gtk_widget_set_visible (GTK_WIDGET (self->devices_group), coordinator);
  gtk_widget_set_visible (GTK_WIDGET (self->coordinator_exchange_group), coordinator);
  gtk_widget_set_visible (GTK_WIDGET (self->duo_group), !coordinator);
  self->loading = FALSE;
  return TRUE;
}

static void
vw_study_page_dispose (GObject *object)
{
  VwStudyPage *self = VW_STUDY_PAGE (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_STUDY_PAGE);

  G_OBJECT_CLASS (vw_study_page_parent_class)->dispose (object);
}

static void
vw_study_page_finalize (GObject *object)
{
  VwStudyPage *self = VW_STUDY_PAGE (object);

  g_free (self->study);
  g_ptr_array_unref (self->study_ids);
  g_ptr_array_unref (self->added_rows);

  G_OBJECT_CLASS (vw_study_page_parent_class)->finalize (object);
}

static void
vw_study_page_class_init (VwStudyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_study_page_dispose;
  object_class->finalize = vw_study_page_finalize;

  /**
   * VwStudyPage::study-selected:
   * @study: the id of the study the user picked
   */
  signals[SIGNAL_STUDY_SELECTED] =
    g_signal_new ("study-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  1, G_TYPE_STRING);
  /**
   * VwStudyPage::changed:
   *
   * The study's definition, devices or recipients changed.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (VW_TYPE_DEVICE_KEYS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-study-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VwStudyPage, name)
  BIND (switch_row);
  BIND (name_row);
  BIND (id_label);
  BIND (role_row);
  BIND (regions_row);
  BIND (questionnaire_row);
  BIND (rounds_group);
  BIND (add_round_row);
  BIND (round_label_row);
  BIND (round_start_row);
  BIND (round_end_row);
  BIND (rounds_error);
  BIND (setup_group);
  BIND (rename_row);
  BIND (region_row);
  BIND (setup_error);
  BIND (recipients_group);
  BIND (recipient_row);
  BIND (recipients_error);
  BIND (signing_group);
  BIND (signing_row);
  BIND (signing_label);
  BIND (devices_group);
  BIND (devices_error);
  BIND (coordinator_exchange_group);
  BIND (keys_group);
  BIND (duo_group);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, switch_selected);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, add_round_clicked);
  gtk_widget_class_bind_template_callback (widget_class, rename_apply);
  gtk_widget_class_bind_template_callback (widget_class, region_apply);
  gtk_widget_class_bind_template_callback (widget_class, recipient_apply);
  gtk_widget_class_bind_template_callback (widget_class, copy_signing);
  gtk_widget_class_bind_template_callback (widget_class, add_device_clicked);
}

static void
vw_study_page_init (VwStudyPage *self)
{
  self->study_ids = g_ptr_array_new_with_free_func (g_free);
  self->added_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
    adw_combo_row_set_model (self->switch_row, G_LIST_MODEL (names));
  }
}
