/* vw-prepare-round-dialog.c: see vw-prepare-round-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"
#include "vw-file-chooser.h"
#include "vw-prepare-round-dialog.h"
#include "vw-round-status.h"

struct _VwPrepareRoundDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  AdwComboRow    *device_row;
  AdwComboRow    *round_row;
  GtkSearchEntry *search;
  GtkListBox     *participants_list;
  GtkLabel       *status;

  VwVault        *vault;        /* owned */
  char           *study;        /* owned */
  GPtrArray      *devices;      /* owned: device ids, in the order of device_row */
  GPtrArray      *rounds;       /* owned: round labels, in the order of round_row */
};

G_DEFINE_FINAL_TYPE (VwPrepareRoundDialog, vw_prepare_round_dialog, ADW_TYPE_WINDOW)

static void
show_status (VwPrepareRoundDialog *self,
             const char           *text,
             gboolean              ok)
{
  gtk_label_set_label (self->status, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->status), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
}

static GtkCheckButton *
row_check (GtkWidget *row)
{
  return GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
}

/* The codes whose check button is on, NULL-terminated. */
static GPtrArray *
chosen_codes (VwPrepareRoundDialog *self)
{
  GPtrArray *codes = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_check_button_get_active (row_check (row)))
      g_ptr_array_add (codes, (gpointer) gtk_widget_get_name (row));
  g_ptr_array_add (codes, NULL);
  return codes;
}

static void
update_actions (VwPrepareRoundDialog *self)
{
  g_autoptr(GPtrArray) codes = chosen_codes (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prepare.save",
                                 codes->len > 1 && self->devices->len > 0 && self->rounds->len > 0);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  VwPrepareRoundDialog *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  const char *haystack = g_object_get_data (G_OBJECT (row), "search");

  return *needle == '\0' || (haystack != NULL && strstr (haystack, needle) != NULL);
}

static void
search_changed (VwPrepareRoundDialog *self)
{
  gtk_list_box_invalidate_filter (self->participants_list);
}

static void
select_all (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VwPrepareRoundDialog *self = VW_PREPARE_ROUND_DIALOG (widget);

  /* Only the rows the search shows: search a region, then select all. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_child_visible (row))
      gtk_check_button_set_active (row_check (row), TRUE);
}

/* The participant's latest round with a record, and its status. */
static char *
last_round_text (VwPrepareRoundDialog *self,
                 VwParticipant        *p,
                 GHashTable           *positions)
{
  g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (self->vault, self->study, p->code, NULL, NULL);
  VwInterview *last = NULL;
  int best = -1;

  for (guint i = 0; interviews != NULL && i < interviews->len; i++)
    {
      VwInterview *iv = g_ptr_array_index (interviews, i);
      int position = GPOINTER_TO_INT (g_hash_table_lookup (positions, iv->round)) - 1;

      if (position > best)
        {
          best = position;
          last = iv;
        }
    }
  if (last == NULL)
    /* Translators: a participant's region with no round yet, e.g. "DH · no round yet". */
    return g_strdup_printf (_("%s · no round yet"), p->region);
  /* Translators: region, last round and its status, e.g. "DH · T0: Interviewed". */
  return g_strdup_printf (_("%s · %s: %s"), p->region, last->round,
                          vw_round_status_label (vw_round_status_from_interview (last)));
}

/* Marks who was already prepared for the chosen round: for which duo's
 * laptop and when. */
static void
mark_prepared (VwPrepareRoundDialog *self)
{
  guint round = adw_combo_row_get_selected (self->round_row);
  g_autoptr(GHashTable) prepared = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  if (round < self->rounds->len)
    prepared = vw_exchange_list_prepared (self->vault, self->study, g_ptr_array_index (self->rounds, round), NULL);
  devices = vw_vault_list_devices (self->vault, NULL);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      g_hash_table_insert (labels, d->id, d->label);
    }

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkLabel *mark = g_object_get_data (G_OBJECT (row), "prepared");
      VwPrepared *p = mark && prepared ? g_hash_table_lookup (prepared, gtk_widget_get_name (row)) : NULL;

      if (mark == NULL)
        continue;
      if (p != NULL)
        {
          const char *device = g_hash_table_lookup (labels, p->device);
          g_autofree char *date = g_strndup (p->prepared, 10);
          /* Translators: the duo's laptop and the date a participant was
           * prepared for the chosen round, e.g. "Prepared for duo-zuid on 2026-12-03". */
          g_autofree char *text = g_strdup_printf (_("Prepared for %s on %s"), device ? device : p->device, date);

          gtk_label_set_label (mark, text);
        }
      gtk_widget_set_visible (GTK_WIDGET (mark), p != NULL);
    }
}

static gboolean
load (VwPrepareRoundDialog  *self,
      GError               **error)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (self->vault, error);
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) all_interviews = NULL;
  g_autoptr(GHashTable) positions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkStringList) device_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) round_labels = gtk_string_list_new (NULL);
  int last_done = -1;

  if (devices == NULL || (rounds = vw_vault_list_rounds (self->vault, self->study, error)) == NULL ||
      (participants = vw_vault_list_participants (self->vault, self->study, error)) == NULL ||
      (all_interviews = vw_vault_list_interviews (self->vault, self->study, NULL, NULL, error)) == NULL)
    return FALSE;

  /* The duos' laptops: enrolled in this study and never revoked. */
  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);

      if (d->own || d->revoked_at != NULL || !d->trusted || g_strcmp0 (d->study, self->study) != 0)
        continue;
      g_ptr_array_add (self->devices, g_strdup (d->id));
      gtk_string_list_append (device_labels, d->label);
    }
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (device_labels));

  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);

      g_ptr_array_add (self->rounds, g_strdup (r->label));
      g_hash_table_insert (positions, r->label, GINT_TO_POINTER (r->position + 1));
      gtk_string_list_append (round_labels, r->label);
    }
  adw_combo_row_set_model (self->round_row, G_LIST_MODEL (round_labels));
  /* The first round after the last one with interviews. */
  for (guint i = 0; i < all_interviews->len; i++)
    {
      VwInterview *iv = g_ptr_array_index (all_interviews, i);
      last_done = MAX (last_done, GPOINTER_TO_INT (g_hash_table_lookup (positions, iv->round)) - 1);
    }
  for (guint i = 0; i < rounds->len; i++)
    if (((VwRound *) g_ptr_array_index (rounds, i))->position > last_done)
      {
        adw_combo_row_set_selected (self->round_row, i);
        break;
      }

  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);
      g_autofree char *title = g_strdup_printf ("%s (%s)", p->pseudonym, p->code);
      g_autofree char *subtitle = last_round_text (self, p, positions);
      g_autofree char *search = g_strjoin (" ", p->pseudonym, p->code, p->region, NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *mark = gtk_label_new (NULL);

      /* Pseudonyms are text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_label_set_xalign (GTK_LABEL (mark), 1);
      gtk_widget_add_css_class (mark, "dim-label");
      gtk_widget_add_css_class (mark, "caption");
      gtk_widget_set_visible (mark, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
      g_object_set_data (G_OBJECT (row), "prepared", mark);
      gtk_widget_set_name (row, p->code);
      g_object_set_data_full (G_OBJECT (row), "search", g_utf8_casefold (search, -1), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
      gtk_list_box_append (self->participants_list, row);
    }
  mark_prepared (self);
  g_signal_connect_object (self->round_row, "notify::selected", G_CALLBACK (mark_prepared), self, G_CONNECT_SWAPPED);
  return TRUE;
}

gboolean
vw_prepare_round_dialog_save_to (VwPrepareRoundDialog *self,
                                 GFile                *file)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint device = 0, round = 0;

  g_return_val_if_fail (VW_IS_PREPARE_ROUND_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  codes = chosen_codes (self);
  device = adw_combo_row_get_selected (self->device_row);
  round = adw_combo_row_get_selected (self->round_row);
  path = g_file_get_path (file);
  name = g_file_get_parse_name (file);
  if (path == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("%s is not a local file"), name);
  else if (device >= self->devices->len)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose the duo’s laptop first"));
  else if (round >= self->rounds->len)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("This study has no rounds"));
  else if (codes->len < 2)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose at least one participant"));
  else
    vw_exchange_write_round_preparation (self->vault, self->study, g_ptr_array_index (self->devices, device),
                                         g_ptr_array_index (self->rounds, round),
                                         (const char * const *) codes->pdata, path, &error);
  if (error != NULL)
    {
      /* Translators: the file and why the bundle could not be written. */
      message = g_strdup_printf (_("Nothing was saved to %s: %s"), name, error->message);
      show_status (self, message, FALSE);
      return FALSE;
    }
  message = g_strdup_printf (g_dngettext (NULL, "Saved round %s for %u participant to %s",
                                          "Saved round %s for %u participants to %s", codes->len - 1),
                             (const char *) g_ptr_array_index (self->rounds, round), codes->len - 1, name);
  show_status (self, message, TRUE);
  mark_prepared (self);
  return TRUE;
}

static void
file_chosen (GtkWidget      *owner,
             GtkFileChooser *chooser,
             gpointer        user_data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  vw_prepare_round_dialog_save_to (VW_PREPARE_ROUND_DIALOG (owner), file);
}

static void
prepare_save (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VwPrepareRoundDialog *self = VW_PREPARE_ROUND_DIALOG (widget);
  GtkFileChooser *chooser;
  guint device = adw_combo_row_get_selected (self->device_row);
  guint round = adw_combo_row_get_selected (self->round_row);
  GtkStringObject *label = adw_combo_row_get_selected_item (self->device_row);
  g_autofree char *suggested = NULL;

  if (device >= self->devices->len || round >= self->rounds->len)
    return;
  chooser = vw_file_chooser_new (widget, _("Save Round Preparation"), GTK_FILE_CHOOSER_ACTION_SAVE, file_chosen,
                                 NULL, NULL);
  suggested = g_strdup_printf ("%s-%s.round", (const char *) g_ptr_array_index (self->rounds, round),
                               gtk_string_object_get_string (label));
  gtk_file_chooser_set_current_name (chooser, suggested);
  vw_file_chooser_show (chooser);
}

AdwComboRow *
vw_prepare_round_dialog_get_device_row (VwPrepareRoundDialog *self)
{
  g_return_val_if_fail (VW_IS_PREPARE_ROUND_DIALOG (self), NULL);
  return self->device_row;
}

AdwComboRow *
vw_prepare_round_dialog_get_round_row (VwPrepareRoundDialog *self)
{
  g_return_val_if_fail (VW_IS_PREPARE_ROUND_DIALOG (self), NULL);
  return self->round_row;
}

GtkListBox *
vw_prepare_round_dialog_get_participants (VwPrepareRoundDialog *self)
{
  g_return_val_if_fail (VW_IS_PREPARE_ROUND_DIALOG (self), NULL);
  return self->participants_list;
}

GtkLabel *
vw_prepare_round_dialog_get_status (VwPrepareRoundDialog *self)
{
  g_return_val_if_fail (VW_IS_PREPARE_ROUND_DIALOG (self), NULL);
  return self->status;
}

static void
vw_prepare_round_dialog_dispose (GObject *object)
{
  VwPrepareRoundDialog *self = VW_PREPARE_ROUND_DIALOG (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_PREPARE_ROUND_DIALOG);

  G_OBJECT_CLASS (vw_prepare_round_dialog_parent_class)->dispose (object);
}

static void
vw_prepare_round_dialog_finalize (GObject *object)
{
  VwPrepareRoundDialog *self = VW_PREPARE_ROUND_DIALOG (object);

  g_free (self->study);
  g_ptr_array_unref (self->devices);
  g_ptr_array_unref (self->rounds);

  G_OBJECT_CLASS (vw_prepare_round_dialog_parent_class)->finalize (object);
}

static void
vw_prepare_round_dialog_class_init (VwPrepareRoundDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_prepare_round_dialog_dispose;
  object_class->finalize = vw_prepare_round_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-prepare-round-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwPrepareRoundDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, VwPrepareRoundDialog, round_row);
  gtk_widget_class_bind_template_child (widget_class, VwPrepareRoundDialog, search);
  gtk_widget_class_bind_template_child (widget_class, VwPrepareRoundDialog, participants_list);
  gtk_widget_class_bind_template_child (widget_class, VwPrepareRoundDialog, status);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);

  gtk_widget_class_install_action (widget_class, "prepare.save", NULL, prepare_save);
  gtk_widget_class_install_action (widget_class, "prepare.select-all", NULL, select_all);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "prepare.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_prepare_round_dialog_init (VwPrepareRoundDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->devices = g_ptr_array_new_with_free_func (g_free);
  self->rounds = g_ptr_array_new_with_free_func (g_free);
  gtk_list_box_set_filter_func (self->participants_list, filter_row, self, NULL);
}

VwPrepareRoundDialog *
vw_prepare_round_dialog_new (GtkWindow  *parent,
                             VwVault    *vault,
                             const char *study)
{
  VwPrepareRoundDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_PREPARE_ROUND_DIALOG, "transient-for", parent, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  if (!load (self, &error))
    show_status (self, error->message, FALSE);
  update_actions (self);
  vw_dialog_start (GTK_WINDOW (self), NULL, GTK_WIDGET (self->device_row));
  return self;
}
