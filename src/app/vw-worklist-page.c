/* vw-worklist-page.c: the round worklist (see vw-worklist-page.h).
 *
 * The list is read like the participants page's, on the main thread: a
 * round's worklist is one read of the participants due, their attempts
 * and appointments (a few hundred rows on a duo's laptop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-a11y.h"
#include "vw-vault-tracing.h"
#include "vw-worklist-page.h"

struct _VwWorklistPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkDropDown    *round_dropdown;
  GtkDropDown    *filter_dropdown;
  GtkStack       *list_stack;
  GtkListBox     *list;
  AdwStatusPage  *empty_page;

  /* Owned */
  VwVault        *vault;
  char           *study;
  GStrv           rounds;
  char           *today;    /* nullable: today */
  GPtrArray      *shown;    /* of char *: the codes listed */
  gboolean        loading;
};

G_DEFINE_FINAL_TYPE (VwWorklistPage, vw_worklist_page, ADW_TYPE_BIN)

static const char *
way_label (const char *way)
{
  static const struct { const char *code, *label; } labels[] = {
    { "phone", N_("Phone") },
    { "visit", N_("Visit") },
    { "care_worker", N_("Through a care worker") },
    { "participant", N_("Through another participant") },
    { "other", N_("Other") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].code, way) == 0)
      return _(labels[i].label);
  return way;
}

static const char *
outcome_label (const char *outcome)
{
  static const struct { const char *code, *label; } labels[] = {
    { "reached", N_("Reached") },
    { "no_answer", N_("No answer") },
    { "message_left", N_("Message left") },
    { "contact_invalid", N_("Contact no longer valid") },
    { "appointment_made", N_("Appointment made") },
    { "refused", N_("Refused") },
    { "other", N_("Other") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].code, outcome) == 0)
      return _(labels[i].label);
  return outcome;
}

static GtkStringList *
labels_of (const char * const *codes,
           const char       *(*label) (const char *))
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; codes[i] != NULL; i++)
    gtk_string_list_append (list, label (codes[i]));
  return list;
}

static const char *
selected_round (VwWorklistPage *self)
{
  guint i = gtk_drop_down_get_selected (self->round_dropdown);

  return self->rounds != NULL && i < g_strv_length (self->rounds) ? self->rounds[i] : NULL;
}

static char *
today_text (VwWorklistPage *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->today != NULL)
    return g_strdup (self->today);
  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

static void fill (VwWorklistPage *self);

/* The form under a participant's row that records one attempt. */
typedef struct
{
  VwWorklistPage *page;  /* borrowed */
  char           *code;
  AdwEntryRow    *date;
  AdwComboRow    *way;
  AdwComboRow    *outcome;
  AdwEntryRow    *note;
  AdwEntryRow    *place;
  GtkLabel       *error;
} AttemptForm;

static void
attempt_form_free (gpointer data)
{
  AttemptForm *form = data;

  g_free (form->code);
  g_free (form);
}

static void
add_attempt_clicked (GtkButton *button,
                     gpointer   user_data)
{
  AttemptForm *form = user_data;
  VwWorklistPage *self = form->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->note))));
  g_autofree char *place = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->place))));
  const char *date = gtk_editable_get_text (GTK_EDITABLE (form->date));

  id = vw_vault_save_attempt (self->vault, self->study, form->code, selected_round (self), NULL, date,
                              vw_attempt_ways[adw_combo_row_get_selected (form->way)],
                              vw_attempt_outcomes[adw_combo_row_get_selected (form->outcome)],
                              *note ? note : NULL, *place ? place : NULL, &error);
  if (id == NULL)
    {
      gtk_label_set_label (form->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
      return;
    }
  fill (self);
}

static GtkWidget *
attempt_form (VwWorklistPage *self,
              AdwExpanderRow *expander,
              const char     *code)
{
  AttemptForm *form = g_new0 (AttemptForm, 1);
  g_autofree char *today = today_text (self);
  g_autoptr(GtkStringList) ways = labels_of (vw_attempt_ways, way_label);
  g_autoptr(GtkStringList) outcomes = labels_of (vw_attempt_outcomes, outcome_label);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add Attempt"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *row = gtk_list_box_row_new ();

  form->page = self;
  form->code = g_strdup (code);
  form->date = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->date), _("Date of the attempt (YYYY-MM-DD)"));
  gtk_editable_set_text (GTK_EDITABLE (form->date), today);
  form->way = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->way), _("Way"));
  adw_combo_row_set_model (form->way, G_LIST_MODEL (ways));
  form->outcome = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->outcome), _("Outcome"));
  adw_combo_row_set_model (form->outcome, G_LIST_MODEL (outcomes));
  form->note = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->note), _("Note (stays on this laptop)"));
  form->place = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->place), _("Place (stays on this laptop)"));
  form->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (form->error, TRUE);
  gtk_label_set_xalign (form->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (form->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (form->error), FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (form->error), TRUE);

  adw_expander_row_add_row (expander, GTK_WIDGET (form->date));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->way));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->outcome));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->note));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->place));

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->error));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_signal_connect_data (button, "clicked", G_CALLBACK (add_attempt_clicked), form,
                         (GClosureNotify) (void (*) (void)) attempt_form_free, 0);
  return row;
}

/* The form that records an appointment. */
typedef struct
{
  VwWorklistPage *page;  /* borrowed */
  char           *code;
  AdwEntryRow    *date;
  AdwEntryRow    *time;
  AdwEntryRow    *place;
  GtkLabel       *error;
} AppointmentForm;

static void
appointment_form_free (gpointer data)
{
  AppointmentForm *form = data;

  g_free (form->code);
  g_free (form);
}

static void
add_appointment_clicked (GtkButton *button,
                         gpointer   user_data)
{
  AppointmentForm *form = user_data;
  VwWorklistPage *self = form->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *time = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->time))));
  g_autofree char *place = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->place))));

  id = vw_vault_save_appointment (self->vault, self->study, form->code, selected_round (self), NULL,
                                  gtk_editable_get_text (GTK_EDITABLE (form->date)), *time ? time : NULL,
                                  *place ? place : NULL, NULL, &error);
  if (id == NULL)
    {
      gtk_label_set_label (form->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
      return;
    }
  fill (self);
}

static GtkWidget *
form_button_row (const char *label,
                 GtkLabel   *error,
                 GCallback   clicked,
                 gpointer    form,
                 GDestroyNotify free_form)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_wrap (error, TRUE);
  gtk_label_set_xalign (error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (error), "error");
  gtk_widget_set_visible (GTK_WIDGET (error), FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (error), TRUE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (error));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_signal_connect_data (button, "clicked", clicked, form, (GClosureNotify) (void (*) (void)) free_form, 0);
  return row;
}

static void
appointment_form (VwWorklistPage *self,
                  AdwExpanderRow *expander,
                  const char     *code)
{
  AppointmentForm *form = g_new0 (AppointmentForm, 1);

  form->page = self;
  form->code = g_strdup (code);
  form->date = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->date), _("Appointment date (YYYY-MM-DD)"));
  form->time = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->time), _("Time (HH:MM)"));
  form->place = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->place), _("Where to meet (stays on this laptop)"));
  form->error = GTK_LABEL (gtk_label_new (NULL));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->date));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->time));
  adw_expander_row_add_row (expander, GTK_WIDGET (form->place));
  adw_expander_row_add_row (expander, form_button_row (_("Add A_ppointment"), form->error,
                                                       G_CALLBACK (add_appointment_clicked), form,
                                                       appointment_form_free));
}

static GtkWidget *
entry_row (VwWorklistPage        *self,
           const VwWorklistEntry *e)
{
  GtkWidget *expander = adw_expander_row_new ();
  g_autofree char *title = g_strdup_printf ("%s (%s)", e->pseudonym, e->code);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autoptr(GPtrArray) appointments = NULL;

  g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts", e->attempts),
                          e->attempts);
  if (e->last_attempt != NULL)
    /* Translators: the date of the latest contact attempt, then its outcome. */
    g_string_append_printf (subtitle, _(" · last %s: %s"), e->last_attempt, outcome_label (e->last_outcome));
  if (e->next_appointment != NULL)
    g_string_append_printf (subtitle, _(" · appointment %s"), e->next_appointment);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle->str);

  attempts = vw_vault_list_attempts (self->vault, self->study, e->code, selected_round (self), &error);
  for (guint i = 0; attempts != NULL && i < attempts->len; i++)
    {
      VwAttempt *a = g_ptr_array_index (attempts, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *what = g_strdup_printf ("%s · %s", a->date, way_label (a->way));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), outcome_label (a->outcome));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), attempt_form (self, ADW_EXPANDER_ROW (expander), e->code));

  appointments = vw_vault_list_appointments (self->vault, self->study, e->code, selected_round (self), &error);
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      VwAppointment *a = g_ptr_array_index (appointments, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = g_strdup_printf (_("Appointment %s %s"), a->date, a->time ? a->time : "");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_strstrip (when));
      if (a->place != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), a->place);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  appointment_form (self, ADW_EXPANDER_ROW (expander), e->code);
  return expander;
}

static void
fill (VwWorklistPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *today = today_text (self);
  const char *round = selected_round (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->shown, 0);
  if (self->vault == NULL || round == NULL)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }
  entries = vw_vault_round_worklist (self->vault, self->study, round,
                                     (VwWorklistFilter) gtk_drop_down_get_selected (self->filter_dropdown), today,
                                     &error);
  if (entries == NULL)
    {
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }
  adw_status_page_set_description (self->empty_page, _("Nobody due in this round matches the filter."));
  for (guint i = 0; i < entries->len; i++)
    {
      VwWorklistEntry *e = g_ptr_array_index (entries, i);

      gtk_list_box_append (self->list, entry_row (self, e));
      g_ptr_array_add (self->shown, g_strdup (e->code));
    }
  gtk_stack_set_visible_child_name (self->list_stack, entries->len > 0 ? "list" : "empty");
}

static void
filter_changed (VwWorklistPage *self)
{
  if (!self->loading)
    fill (self);
}

void
vw_worklist_page_reload (VwWorklistPage *self,
                         VwVault        *vault,
                         const char     *study)
{
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_if_fail (VW_IS_WORKLIST_PAGE (self));

  g_set_object (&self->vault, vault);
  g_free (self->study);
  self->study = g_strdup (study);
  g_clear_pointer (&self->rounds, g_strfreev);
  if (vault != NULL && study != NULL)
    rounds = vw_vault_list_rounds (vault, study, NULL);
  for (guint i = 0; rounds != NULL && i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);

      g_strv_builder_add (builder, r->label);
      gtk_string_list_append (names, r->label);
    }
  self->rounds = g_strv_builder_end (builder);
  self->loading = TRUE;
  gtk_drop_down_set_model (self->round_dropdown, G_LIST_MODEL (names));
  /* The latest round is the one being traced. */
  if (g_strv_length (self->rounds) > 0)
    gtk_drop_down_set_selected (self->round_dropdown, g_strv_length (self->rounds) - 1);
  self->loading = FALSE;
  fill (self);
}

void
vw_worklist_page_set_filter (VwWorklistPage       *self,
                             const char           *round,
                             VwWorklistPageFilter  filter)
{
  g_return_if_fail (VW_IS_WORKLIST_PAGE (self));

  self->loading = TRUE;
  for (guint i = 0; round != NULL && self->rounds != NULL && self->rounds[i] != NULL; i++)
    if (g_str_equal (self->rounds[i], round))
      gtk_drop_down_set_selected (self->round_dropdown, i);
  gtk_drop_down_set_selected (self->filter_dropdown, filter);
  self->loading = FALSE;
  fill (self);
}

void
vw_worklist_page_set_today (VwWorklistPage *self,
                            const char     *today)
{
  g_return_if_fail (VW_IS_WORKLIST_PAGE (self));

  g_free (self->today);
  self->today = g_strdup (today);
  fill (self);
}

guint
vw_worklist_page_count_rows (VwWorklistPage *self)
{
  return self->shown->len;
}

char *
vw_worklist_page_shown_codes (VwWorklistPage *self)
{
  g_autoptr(GString) codes = g_string_new (NULL);

  for (guint i = 0; i < self->shown->len; i++)
    {
      if (i > 0)
        g_string_append_c (codes, ' ');
      g_string_append (codes, g_ptr_array_index (self->shown, i));
    }
  return g_string_free (g_steal_pointer (&codes), FALSE);
}

static void
vw_worklist_page_dispose (GObject *object)
{
  VwWorklistPage *self = VW_WORKLIST_PAGE (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_WORKLIST_PAGE);
  G_OBJECT_CLASS (vw_worklist_page_parent_class)->dispose (object);
}

static void
vw_worklist_page_finalize (GObject *object)
{
  VwWorklistPage *self = VW_WORKLIST_PAGE (object);

  g_free (self->study);
  g_free (self->today);
  g_strfreev (self->rounds);
  g_ptr_array_unref (self->shown);
  G_OBJECT_CLASS (vw_worklist_page_parent_class)->finalize (object);
}

static void
vw_worklist_page_class_init (VwWorklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_worklist_page_dispose;
  object_class->finalize = vw_worklist_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-worklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VwWorklistPage, round_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VwWorklistPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VwWorklistPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VwWorklistPage, list);
  gtk_widget_class_bind_template_child (widget_class, VwWorklistPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed);
}

static void
vw_worklist_page_init (VwWorklistPage *self)
{
  const char *filters[] = {
    _("Everyone due"), _("Not yet tried"), _("Tried three times or more"), _("Appointment this week"), NULL,
  };
  g_autoptr(GtkStringList) list = gtk_string_list_new (filters);

  self->shown = g_ptr_array_new_with_free_func (g_free);
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (list));
  vw_a11y_name_drop_down (self->round_dropdown, _("Round to trace"));
  vw_a11y_name_drop_down (self->filter_dropdown, _("Show in the worklist"));
  vw_a11y_name_status_page (self->empty_page);
  self->loading = FALSE;
}
