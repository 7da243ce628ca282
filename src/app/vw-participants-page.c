/* vw-participants-page.c: the participant list (see vw-participants-page.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-a11y.h"
#include "vw-enrol-dialog.h"
#include "vw-handover-state.h"
#include "vw-participants-page.h"
#include "vw-round-status.h"

struct _VwParticipantsPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkDropDown    *round_dropdown;
  GtkDropDown    *status_dropdown;
  GtkStack       *list_stack;
  GtkListBox     *list;
  AdwStatusPage  *empty_page;

  /* Owned */
  VwVault        *vault;
  char           *study;
  GStrv           rounds;
  GtkStringList  *round_names;
};

G_DEFINE_FINAL_TYPE (VwParticipantsPage, vw_participants_page, ADW_TYPE_BIN)

enum {
  SIGNAL_PARTICIPANT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a row knows for filtering. */
typedef struct
{
  char       *code;
  char       *haystack;  /* casefolded pseudonym and code */
  GHashTable *statuses;  /* round label -> status */
} RowData;

static void
row_data_free (RowData *data)
{
  g_free (data->code);
  g_free (data->haystack);
  g_hash_table_unref (data->statuses);
  g_free (data);
}

static const char *
selected_round (VwParticipantsPage *self)
{
  guint i = gtk_drop_down_get_selected (self->round_dropdown);

  return (self->rounds != NULL && i > 0 && i <= g_strv_length (self->rounds)) ? self->rounds[i - 1] : NULL;
}

static const char *
selected_status (VwParticipantsPage *self)
{
  guint i = gtk_drop_down_get_selected (self->status_dropdown);

  return (i > 0 && i <= g_strv_length ((GStrv) vw_round_statuses)) ? vw_round_statuses[i - 1] : NULL;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  VwParticipantsPage *self = user_data;
  RowData *data = g_object_get_data (G_OBJECT (row), "vw-row-data");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *round = selected_round (self);
  const char *status = selected_status (self);

  if (data == NULL)
    return TRUE;
  if (*text != '\0')
    {
      g_autofree char *needle = g_utf8_casefold (text, -1);
      if (strstr (data->haystack, needle) == NULL)
        return FALSE;
    }
  if (status == NULL)
    return TRUE;
  if (round != NULL)
    return g_strcmp0 (g_hash_table_lookup (data->statuses, round), status) == 0;

  for (guint i = 0; self->rounds[i] != NULL; i++)
    if (g_strcmp0 (g_hash_table_lookup (data->statuses, self->rounds[i]), status) == 0)
      return TRUE;
  return FALSE;
}

/* Alphabetical by pseudonym, as the duo thinks of people. */
static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  RowData *da = g_object_get_data (G_OBJECT (a), "vw-row-data");
  RowData *db = g_object_get_data (G_OBJECT (b), "vw-row-data");

  return g_strcmp0 (da ? da->haystack : NULL, db ? db->haystack : NULL);
}

guint
vw_participants_page_count_visible (VwParticipantsPage *self)
{
  guint n = 0;

  g_return_val_if_fail (VW_IS_PARTICIPANTS_PAGE (self), 0);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row) && filter_row (GTK_LIST_BOX_ROW (row), self);
  return n;
}

static void
update_empty (VwParticipantsPage *self)
{
  guint n = vw_participants_page_count_visible (self);
  gboolean any = gtk_widget_get_first_child (GTK_WIDGET (self->list)) != NULL;

  if (!any)
    {
      adw_status_page_set_title (self->empty_page, _("No Participants Yet"));
      adw_status_page_set_description (self->empty_page, _("Enrol the first participant of this study."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Participants"));
      adw_status_page_set_description (self->empty_page, _("Try another name, round or status."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static void
filter_changed (VwParticipantsPage *self)
{
  gtk_list_box_invalidate_filter (self->list);
  update_empty (self);
}

void
vw_participants_page_set_filter (VwParticipantsPage *self,
                                 const char         *round,
                                 const char         *status,
                                 const char         *search)
{
  guint r = 0, s = 0;

  g_return_if_fail (VW_IS_PARTICIPANTS_PAGE (self));

  for (guint i = 0; round != NULL && self->rounds != NULL && self->rounds[i] != NULL; i++)
    if (g_str_equal (self->rounds[i], round))
      r = i + 1;
  for (guint i = 0; status != NULL && vw_round_statuses[i] != NULL; i++)
    if (g_str_equal (vw_round_statuses[i], status))
      s = i + 1;
  gtk_drop_down_set_selected (self->round_dropdown, r);
  gtk_drop_down_set_selected (self->status_dropdown, s);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search ? search : "");
  filter_changed (self);
}

static GtkWidget *
make_row (VwParticipantsPage  *self,
          const VwParticipant *participant,
          GHashTable          *statuses,
          const VwHandover    *awaiting)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badges = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *folded = NULL;
  g_autoptr(GString) accessible = g_string_new (participant->pseudonym);
  RowData *data = g_new0 (RowData, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), participant->pseudonym);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), participant->code);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_string_append_printf (accessible, ", %s", participant->code);
  if (awaiting != NULL)
    {
      g_autofree char *state = vw_handover_state_label (awaiting);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", participant->code, state);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_string_append_printf (accessible, ", %s", state);
    }

  for (guint i = 0; self->rounds[i] != NULL; i++)
    {
      const char *status = g_hash_table_lookup (statuses, self->rounds[i]);
      gtk_box_append (GTK_BOX (badges), vw_round_status_badge_new (self->rounds[i], status));
      g_string_append_printf (accessible, ", %s %s", self->rounds[i], vw_round_status_label (status));
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badges);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible->str, -1);

  folded = g_strdup_printf ("%s %s", participant->pseudonym, participant->code);
  data->code = g_strdup (participant->code);
  data->haystack = g_utf8_casefold (folded, -1);
  data->statuses = g_hash_table_ref (statuses);
  g_object_set_data_full (G_OBJECT (row), "vw-row-data", data, (GDestroyNotify) row_data_free);
  return row;
}

static void
row_activated (VwParticipantsPage *self,
               GtkListBoxRow      *row)
{
  RowData *data = g_object_get_data (G_OBJECT (row), "vw-row-data");

  if (data != NULL)
    g_signal_emit (self, signals[SIGNAL_PARTICIPANT_ACTIVATED], 0, data->code);
}

/* Enter in the search opens the one participant it finds; with more, the
 * focus goes to the first of them, so the arrows can choose. */
static void
search_activated (VwParticipantsPage *self)
{
  GtkListBoxRow *first = NULL;
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && filter_row (GTK_LIST_BOX_ROW (row), self))
      {
        if (first == NULL || gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) < gtk_list_box_row_get_index (first))
          first = GTK_LIST_BOX_ROW (row);
        n++;
      }
  if (n == 1)
    row_activated (self, first);
  else if (first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

void
vw_participants_page_reload (VwParticipantsPage *self,
                             VwVault            *vault,
                             const char         *study)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GHashTable) awaiting = NULL;
  g_autoptr(GHashTable) aliases = NULL;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autofree char *keep_round = g_strdup (selected_round (self));
  GtkWidget *child;
  guint keep = 0;

  g_return_if_fail (VW_IS_PARTICIPANTS_PAGE (self));
  g_return_if_fail (VW_IS_VAULT (vault));

  g_set_object (&self->vault, vault);
  /* @study may be self->study itself (a reload after enrolling). */
  if (study != self->study)
    {
      g_free (self->study);
      self->study = g_strdup (study);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  rounds = vw_vault_list_rounds (vault, study, &error);
  people = rounds ? vw_vault_list_participants (vault, study, &error) : NULL;
  awaiting = people ? vw_exchange_awaiting_receipt (vault, study, &error) : NULL;
  /* A code the coordinator joined to another is shown as that one: its
   * rows stay here and count for the kept participant. */
  aliases = awaiting ? vw_vault_alias_map (vault, study, &error) : NULL;
  if (aliases == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Cannot Show the Participants"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }

  for (guint i = 0; i < rounds->len; i++)
    g_strv_builder_add (labels, ((VwRound *) g_ptr_array_index (rounds, i))->label);
  g_strfreev (self->rounds);
  self->rounds = g_strv_builder_end (labels);

  gtk_string_list_splice (self->round_names, 1, g_list_model_get_n_items (G_LIST_MODEL (self->round_names)) - 1,
                          (const char * const *) self->rounds);
  for (guint i = 0; keep_round && self->rounds[i] != NULL; i++)
    if (g_str_equal (self->rounds[i], keep_round))
      keep = i + 1;
  gtk_drop_down_set_selected (self->round_dropdown, keep);

  for (guint i = 0; i < people->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (people, i);
      g_autoptr(GHashTable) statuses = NULL;
      g_autoptr(GPtrArray) interviews = NULL;

      if (g_hash_table_contains (aliases, p->code))
        continue;
      statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      interviews = vw_vault_list_interviews (vault, study, p->code, NULL, &error);

      if (interviews == NULL)
        {
          g_warning ("Cannot list the interviews of %s: %s", p->code, error->message);
          g_clear_error (&error);
          continue;
        }
      for (guint r = 0; self->rounds[r] != NULL; r++)
        {
          const VwInterview *found = NULL;

          for (guint j = 0; j < interviews->len; j++)
            if (g_str_equal (((VwInterview *) g_ptr_array_index (interviews, j))->round, self->rounds[r]))
              found = g_ptr_array_index (interviews, j);
          /* Static strings: the codes of vw_round_statuses and the codebook. */
          g_hash_table_insert (statuses, g_strdup (self->rounds[r]),
                               (gpointer) g_intern_string (vw_round_status_from_interview (found)));
        }
      gtk_list_box_append (self->list, make_row (self, p, statuses, g_hash_table_lookup (awaiting, p->code)));
    }

  filter_changed (self);
}

static void
enrolled (VwParticipantsPage *self,
          const char         *code)
{
  vw_participants_page_reload (self, self->vault, self->study);
  g_signal_emit (self, signals[SIGNAL_PARTICIPANT_ACTIVATED], 0, code);
}

void
vw_participants_page_enrol (VwParticipantsPage *self)
{
  GtkWidget *dialog;

  g_return_if_fail (VW_IS_PARTICIPANTS_PAGE (self));

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault))
    return;

  dialog = vw_enrol_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->vault, self->study);
  g_signal_connect_object (dialog, "enrolled", G_CALLBACK (enrolled), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
vw_participants_page_dispose (GObject *object)
{
  VwParticipantsPage *self = VW_PARTICIPANTS_PAGE (object);

  g_clear_object (&self->vault);
  g_clear_object (&self->round_names);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_PARTICIPANTS_PAGE);

  G_OBJECT_CLASS (vw_participants_page_parent_class)->dispose (object);
}

static void
vw_participants_page_finalize (GObject *object)
{
  VwParticipantsPage *self = VW_PARTICIPANTS_PAGE (object);

  g_free (self->study);
  g_strfreev (self->rounds);

  G_OBJECT_CLASS (vw_participants_page_parent_class)->finalize (object);
}

static void
vw_participants_page_class_init (VwParticipantsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_participants_page_dispose;
  object_class->finalize = vw_participants_page_finalize;

  /**
   * VwParticipantsPage::participant-activated:
   * @code: the participant code
   */
  signals[SIGNAL_PARTICIPANT_ACTIVATED] =
    g_signal_new ("participant-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-participants-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VwParticipantsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantsPage, round_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantsPage, list);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantsPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, row_activated);
  gtk_widget_class_bind_template_callback (widget_class, search_activated);
  gtk_widget_class_bind_template_callback (widget_class, vw_participants_page_enrol);
}

static void
vw_participants_page_init (VwParticipantsPage *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->round_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->round_names, _("All rounds"));
  gtk_drop_down_set_model (self->round_dropdown, G_LIST_MODEL (self->round_names));

  gtk_string_list_append (statuses, _("Any status"));
  for (guint i = 0; vw_round_statuses[i] != NULL; i++)
    gtk_string_list_append (statuses, vw_round_status_label (vw_round_statuses[i]));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_list_box_set_sort_func (self->list, sort_rows, NULL, NULL);
  vw_a11y_name_status_page (self->empty_page);
  vw_a11y_name_drop_down (self->round_dropdown, _("Show the status in round"));
  vw_a11y_name_drop_down (self->status_dropdown, _("Show participants with status"));
}
