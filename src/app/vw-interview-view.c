/* vw-interview-view.c: one interview (see vw-interview-view.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-vault-history.h"
#include "vw-a11y.h"
#include "vw-followup-panel.h"
#include "vw-interview-view-private.h"
#include "vw-question-widget.h"
#include "vw-quote-dialog.h"

G_DEFINE_FINAL_TYPE (VwInterviewView, vw_interview_view, ADW_TYPE_BIN)

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_progress (VwInterviewView *self);
static void focus_module_content (VwInterviewView *self);

/* The language of questionnaire texts: Dutch when the interface is Dutch,
 * else English, as every questionnaire has both. */
static const char *
ui_language (void)
{
  const char * const *names = g_get_language_names ();

  return names[0] != NULL && g_str_has_prefix (names[0], "nl") ? "nl" : "en";
}

static void
toast (VwInterviewView *self,
       const char      *text)
{
  vw_a11y_add_toast (self->toasts, adw_toast_new (text));
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* Skip logic ------------------------------------------------------------- */

static const char *
lookup_answer (const char *name,
               gpointer    user_data)
{
  VwInterviewView *self = user_data;
  VwQuestionWidget *widget;

  if (g_hash_table_contains (self->skipped, name))
    return NULL;
  widget = g_hash_table_lookup (self->widgets, name);
  if (widget != NULL)
    return vw_question_widget_get_value (widget);
  for (guint i = 0; i < self->consent_widgets->len; i++)
    {
      VwQuestionWidget *w = g_ptr_array_index (self->consent_widgets, i);
      if (g_strcmp0 (vw_question_get_id (vw_question_widget_get_question (w)), name) == 0)
        return vw_question_widget_get_value (w);
    }
  return g_hash_table_lookup (self->participant_values, name);
}

/* Questions are checked in file order, so a question skipped earlier
 * counts as unanswered for the conditions after it. */
static void
update_relevance (VwInterviewView *self)
{
  guint n = vw_questionnaire_get_n_questions (self->questionnaire);

  g_hash_table_remove_all (self->skipped);
  for (guint i = 0; i < n; i++)
    {
      const VwQuestion *q = vw_questionnaire_get_question (self->questionnaire, i);
      gboolean relevant = vw_questionnaire_is_relevant (self->questionnaire, q, lookup_answer, self);
      GtkWidget *widget = g_hash_table_lookup (self->widgets, vw_question_get_id (q));

      if (!relevant)
        g_hash_table_add (self->skipped, (gpointer) vw_question_get_id (q));
      if (widget != NULL)
        gtk_widget_set_visible (widget, relevant);
    }
  for (guint i = 0; i < self->consent_widgets->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (self->consent_widgets, i);
      const char *id = vw_question_get_id (vw_question_widget_get_question (VW_QUESTION_WIDGET (w)));

      gtk_widget_set_visible (w, !g_hash_table_contains (self->skipped, id));
    }
}

gboolean
vw_interview_view_is_asked (VwInterviewView *self,
                            const char      *question)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  return g_hash_table_contains (self->widgets, question) && !g_hash_table_contains (self->skipped, question);
}

static void
on_question_changed (VwInterviewView *self)
{
  update_relevance (self);
  update_progress (self);
  /* What the setup asked for may be there now. */
  if (self->interview_id == NULL)
    gtk_label_set_label (self->setup_message, "");
}

/* Saving ----------------------------------------------------------------- */

static gboolean
save_question (VwQuestionWidget  *widget,
               gboolean           note,
               const char        *text,
               gpointer           user_data,
               GError           **error)
{
  VwInterviewView *self = user_data;
  const VwQuestion *q = vw_question_widget_get_question (widget);
  const char *id = vw_question_get_id (q);
  const char *value = text != NULL && *text != '\0' ? text : NULL;

  if (self->interview_id == NULL)
    return TRUE;
  if (note)
    return vw_vault_save_note (self->vault, self->interview_id, id, value, error);
  if (vw_question_get_question_type (q) == VW_QUESTION_RESIDENCE_HISTORY)
    return vw_vault_save_residence_history (self->vault, self->interview_id, id, value, error);
  if (vw_question_get_scope (q) == VW_QUESTION_SCOPE_PARTICIPANT)
    {
      if (!vw_vault_begin (self->vault, error))
        return FALSE;
      if (!vw_vault_save_answer (self->vault, self->interview_id, id, value, error) ||
          !vw_vault_set_participant_value (self->vault, self->study, self->code, id, value, error))
        {
          vw_vault_rollback (self->vault);
          return FALSE;
        }
      if (!vw_vault_commit (self->vault, error))
        return FALSE;
      if (value != NULL)
        g_hash_table_insert (self->participant_values, g_strdup (id), g_strdup (value));
      else
        g_hash_table_remove (self->participant_values, id);
      return TRUE;
    }
  return vw_vault_save_answer (self->vault, self->interview_id, id, value, error);
}

gboolean
vw_interview_view_flush (VwInterviewView  *self,
                         GError          **error)
{
  GHashTableIter iter;
  gpointer widget;

  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  if (self->interview_id == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &widget))
    if (!vw_question_widget_flush (widget, error))
      return FALSE;
  return TRUE;
}

/* Quotes ----------------------------------------------------------------- */

static void
on_quote_save (VwQuoteDialog   *dialog,
               const char      *theme,
               VwInterviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = vw_vault_add_quote (self->vault, self->study, self->code, self->round,
                           vw_quote_dialog_get_question (dialog), theme,
                           vw_quote_dialog_get_text (dialog), &error);
  if (id == NULL)
    {
      vw_quote_dialog_show_error (dialog, error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  toast (self, _("Quote saved"));
}

static void
on_quote_dialog_destroy (VwInterviewView *self)
{
  self->quote_dialog = NULL;
}

static void
on_quote_requested (VwQuestionWidget *widget,
                    const char       *text,
                    VwInterviewView  *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->interview_id == NULL)
    return;
  if (self->quote_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->quote_dialog));
  self->quote_dialog = vw_quote_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, text,
                                            vw_question_get_id (vw_question_widget_get_question (widget)));
  g_signal_connect (self->quote_dialog, "save", G_CALLBACK (on_quote_save), self);
  g_signal_connect_swapped (self->quote_dialog, "destroy", G_CALLBACK (on_quote_dialog_destroy), self);
  gtk_window_present (GTK_WINDOW (self->quote_dialog));
}

static VwQuestionWidget *
focused_question (VwInterviewView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *ancestor = focus ? gtk_widget_get_ancestor (focus, VW_TYPE_QUESTION_WIDGET) : NULL;

  return ancestor != NULL && gtk_widget_is_ancestor (ancestor, GTK_WIDGET (self)) ? VW_QUESTION_WIDGET (ancestor)
                                                                                   : NULL;
}

static void
quote_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);
  VwQuestionWidget *question = focused_question (self);

  if (question == NULL)
    {
      toast (self, _("Select text in an answer or a note to quote it"));
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (question), "question.quote", NULL);
}

/* Modules and progress --------------------------------------------------- */

static const VwModule *
current_module (VwInterviewView *self)
{
  if (self->modules == NULL || self->current_module >= self->modules->len)
    return NULL;
  return g_ptr_array_index (self->modules, self->current_module);
}

static gboolean
is_answered (VwInterviewView *self,
             const char      *id)
{
  VwQuestionWidget *widget = g_hash_table_lookup (self->widgets, id);
  const char *value = widget ? vw_question_widget_get_value (widget) : NULL;

  return value != NULL && *value != '\0';
}

static void
module_counts (VwInterviewView *self,
               const VwModule  *module,
               guint           *asked,
               guint           *answered)
{
  *asked = *answered = 0;
  for (guint i = 0; i < vw_module_get_n_questions (module); i++)
    {
      const char *id = vw_question_get_id (vw_module_get_question (module, i));

      if (g_hash_table_contains (self->skipped, id))
        continue;
      (*asked)++;
      if (is_answered (self, id))
        (*answered)++;
    }
}

static void
update_progress (VwInterviewView *self)
{
  guint total = 0, done = 0;
  g_autofree char *text = NULL;

  if (self->modules == NULL)
    return;
  for (guint i = 0; i < self->modules->len; i++)
    {
      const VwModule *module = g_ptr_array_index (self->modules, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->module_list, i);
      GtkWidget *count = row ? g_object_get_data (G_OBJECT (row), "vw-count") : NULL;
      guint asked, answered;
      g_autofree char *count_text = NULL;

      module_counts (self, module, &asked, &answered);
      total += asked;
      done += answered;
      if (count != NULL)
        {
          count_text = g_strdup_printf ("%u/%u", answered, asked);
          gtk_label_set_label (GTK_LABEL (count), count_text);
          if (asked > 0 && answered == asked)
            gtk_widget_add_css_class (count, "success");
          else
            gtk_widget_remove_css_class (count, "success");
        }
    }
  /* Translators: the progress of the interview, e.g. "Module 3 of 14 · 12 of 40 answered". */
  text = g_strdup_printf (_("Module %u of %u · %u of %u answered"), self->current_module + 1, self->modules->len,
                          done, total);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0.0);
}

static void
focus_question_now (VwInterviewView *self,
                    const char      *question)
{
  GtkWidget *widget = g_hash_table_lookup (self->widgets, question);
  graphene_point_t point;

  if (widget == NULL)
    return;
  vw_question_widget_focus (VW_QUESTION_WIDGET (widget));
  if (gtk_widget_compute_point (widget, GTK_WIDGET (self->module_scroller), &GRAPHENE_POINT_INIT (0, 0), &point))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->module_scroller);
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + point.y - 12);
    }
}

static gboolean
focus_is_in (VwInterviewView *self,
             GtkWidget       *container)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == container || gtk_widget_is_ancestor (focus, container));
}

static void
show_module_index (VwInterviewView *self,
                   guint            index)
{
  const VwModule *module;
  const char *intro;
  GtkListBoxRow *row;
  gboolean in_list = focus_is_in (self, GTK_WIDGET (self->module_list));
  gboolean in_module = focus_is_in (self, GTK_WIDGET (self->module_stack));

  g_return_if_fail (index < self->modules->len);

  self->current_module = index;
  module = g_ptr_array_index (self->modules, index);
  gtk_stack_set_visible_child_name (self->module_stack, vw_module_get_id (module));
  gtk_label_set_label (self->module_title, vw_module_get_title (module, self->language));
  intro = vw_module_get_intro (module, self->language);
  gtk_label_set_label (self->module_intro, intro ? intro : "");
  gtk_widget_set_visible (GTK_WIDGET (self->module_intro), intro != NULL && *intro != '\0');
  row = gtk_list_box_get_row_at_index (self->module_list, index);
  if (gtk_list_box_get_selected_row (self->module_list) != row)
    gtk_list_box_select_row (self->module_list, row);
  gtk_widget_set_sensitive (GTK_WIDGET (self->previous_button), index > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), index + 1 < self->modules->len);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->module_scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "interview");
  update_progress (self);
  /* The focus goes with the module: from a question of the last module to
   * the first of this one, in the list to this module's row; never left
   * on a page that is no longer shown. */
  if (in_module)
    focus_module_content (self);
  else if (in_list && row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* The first question of the module shown that applies, else the button
 * to the next module. */
static void
focus_module_content (VwInterviewView *self)
{
  const VwModule *module = current_module (self);

  /* A folded list lies over the questions: it goes when they take over. */
  if (adw_flap_get_folded (self->module_flap))
    adw_flap_set_reveal_flap (self->module_flap, FALSE);
  for (guint i = 0; module != NULL && i < vw_module_get_n_questions (module); i++)
    {
      const char *id = vw_question_get_id (vw_module_get_question (module, i));

      if (!g_hash_table_contains (self->skipped, id))
        {
          focus_question_now (self, id);
          return;
        }
    }
  gtk_widget_grab_focus (gtk_widget_is_sensitive (GTK_WIDGET (self->next_button)) ? GTK_WIDGET (self->next_button)
                                                                                  : GTK_WIDGET (self->review_button));
}

gboolean
vw_interview_view_show_module (VwInterviewView *self,
                               const char      *module)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  for (guint i = 0; self->modules != NULL && i < self->modules->len; i++)
    if (g_strcmp0 (vw_module_get_id (g_ptr_array_index (self->modules, i)), module) == 0)
      {
        show_module_index (self, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
vw_interview_view_show_question (VwInterviewView *self,
                                 const char      *question)
{
  const VwQuestion *q;

  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  q = vw_questionnaire_lookup_question (self->questionnaire, question);
  if (q == NULL || !g_hash_table_contains (self->widgets, question) ||
      !vw_interview_view_show_module (self, vw_module_get_id (vw_question_get_module (q))))
    return FALSE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    focus_question_now (self, question);
  else
    {
      g_free (self->focus_question);
      self->focus_question = g_strdup (question);
    }
  return TRUE;
}

const char *
vw_interview_view_get_module (VwInterviewView *self)
{
  const VwModule *module;

  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), NULL);

  module = current_module (self);
  return module ? vw_module_get_id (module) : NULL;
}

const char *
vw_interview_view_get_page (VwInterviewView *self)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void enter_interview (VwInterviewView *self);

/**
 * vw_interview_view_can_go_back:
 *
 * Returns: whether the page shown has a page to go back to: the setup
 * goes back to the participant (nothing was started), the review to the
 * questions. The questions themselves go on with Pause.
 */
gboolean
vw_interview_view_can_go_back (VwInterviewView *self)
{
  const char *page;

  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  page = gtk_stack_get_visible_child_name (self->stack);
  return g_strcmp0 (page, "setup") == 0 || (g_strcmp0 (page, "review") == 0 && self->interview_id != NULL);
}

gboolean
vw_interview_view_go_back (VwInterviewView *self)
{
  const char *page;

  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  if (!vw_interview_view_can_go_back (self))
    return FALSE;
  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (page, "review"))
    enter_interview (self);
  else
    g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
  return TRUE;
}

static void
on_page_changed (VwInterviewView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

GtkWidget *
vw_interview_view_get_question_widget (VwInterviewView *self,
                                       const char      *question)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), NULL);

  return g_hash_table_lookup (self->widgets, question);
}

static void
on_module_row_selected (GtkListBox      *list,
                        GtkListBoxRow   *row,
                        VwInterviewView *self)
{
  if (row != NULL && (guint) gtk_list_box_row_get_index (row) != self->current_module)
    show_module_index (self, gtk_list_box_row_get_index (row));
}

/* A module chosen (Enter, Space or a click): the duo goes on with its
 * questions, so the focus leaves the list, and a folded list closes. */
static void
on_module_row_activated (GtkListBox      *list,
                         GtkListBoxRow   *row,
                         VwInterviewView *self)
{
  if ((guint) gtk_list_box_row_get_index (row) != self->current_module)
    show_module_index (self, gtk_list_box_row_get_index (row));
  focus_module_content (self);
}

/* The list of modules is one stop in the Tab order: Tab and Shift+Tab
 * leave it (the arrows move inside it), as they would leave an entry.
 * The list stops taking focus for a moment so the window moves on past
 * it. */
static gboolean
on_module_list_key (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    VwInterviewView       *self)
{
  GtkWidget *list = GTK_WIDGET (self->module_list);
  GtkRoot *root = gtk_widget_get_root (list);
  gboolean backward;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return GDK_EVENT_PROPAGATE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || root == NULL)
    return GDK_EVENT_PROPAGATE;
  backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;
  if (!backward)
    {
      focus_module_content (self);
      return GDK_EVENT_STOP;
    }
  gtk_widget_set_can_focus (list, FALSE);
  gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_BACKWARD);
  gtk_widget_set_can_focus (list, TRUE);
  return GDK_EVENT_STOP;
}

static void
next_module_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);

  if (self->modules != NULL && self->current_module + 1 < self->modules->len)
    show_module_index (self, self->current_module + 1);
}

static void
previous_module_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);

  if (self->modules != NULL && self->current_module > 0)
    show_module_index (self, self->current_module - 1);
}

/* Folding on small screens --------------------------------------------- */

/* The buttons that show a folded side are there only when it is folded. */
static void
update_fold_bar (VwInterviewView *self)
{
  gboolean modules = adw_flap_get_folded (self->module_flap);
  gboolean followup = self->followup_panel != NULL && adw_flap_get_folded (self->followup_flap);

  gtk_widget_set_visible (GTK_WIDGET (self->modules_toggle), modules);
  gtk_widget_set_visible (GTK_WIDGET (self->followup_toggle), followup);
  gtk_widget_set_visible (GTK_WIDGET (self->fold_bar), modules || followup);
}

/* A side shown over the questions takes the focus; when it goes, the
 * focus goes back to the questions. */
static void
on_module_flap_revealed (VwInterviewView *self)
{
  GtkListBoxRow *row;

  if (!adw_flap_get_folded (self->module_flap))
    return;
  if (adw_flap_get_reveal_flap (self->module_flap))
    {
      row = gtk_list_box_get_selected_row (self->module_list);
      gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : GTK_WIDGET (self->module_list));
    }
  else if (gtk_widget_has_focus (GTK_WIDGET (self->modules_toggle)) ||
           gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self))) ?: GTK_WIDGET (self),
                                   GTK_WIDGET (self->module_list)))
    gtk_widget_grab_focus (GTK_WIDGET (self->modules_toggle));
}

static void
on_followup_flap_revealed (VwInterviewView *self)
{
  if (adw_flap_get_folded (self->followup_flap) && adw_flap_get_reveal_flap (self->followup_flap) &&
      self->followup_panel != NULL)
    gtk_widget_child_focus (GTK_WIDGET (self->side_panel), GTK_DIR_TAB_FORWARD);
}

static void
toggle_modules_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);

  if (adw_flap_get_folded (self->module_flap))
    adw_flap_set_reveal_flap (self->module_flap, !adw_flap_get_reveal_flap (self->module_flap));
  else
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->module_list);
      gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : GTK_WIDGET (self->module_list));
    }
}

static void
toggle_followup_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);

  if (self->followup_panel == NULL)
    return;
  if (adw_flap_get_folded (self->followup_flap))
    adw_flap_set_reveal_flap (self->followup_flap, !adw_flap_get_reveal_flap (self->followup_flap));
  else
    gtk_widget_child_focus (GTK_WIDGET (self->side_panel), GTK_DIR_TAB_FORWARD);
}

/* Building the pages ----------------------------------------------------- */

static GtkWidget *
add_question_widget (VwInterviewView  *self,
                     const VwQuestion *question,
                     GtkBox           *box)
{
  GtkWidget *widget = vw_question_widget_new (question, self->questionnaire, self->language);

  g_signal_connect_swapped (widget, "changed", G_CALLBACK (on_question_changed), self);
  g_signal_connect (widget, "quote-requested", G_CALLBACK (on_quote_requested), self);
  gtk_box_append (box, widget);
  return widget;
}

static void
build_modules (VwInterviewView *self)
{
  g_autoptr(GPtrArray) modules = vw_questionnaire_list_modules (self->questionnaire, self->round,
                                                                self->first_interview);
  const VwModule *consent = vw_questionnaire_get_consent_module (self->questionnaire);

  self->modules = g_ptr_array_new ();
  for (guint i = 0; i < modules->len; i++)
    {
      const VwModule *module = g_ptr_array_index (modules, i);
      GtkWidget *page, *row, *row_box, *title, *count;

      if (module == consent)
        continue;
      g_ptr_array_add (self->modules, (gpointer) module);

      page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
      for (guint j = 0; j < vw_module_get_n_questions (module); j++)
        {
          const VwQuestion *q = vw_module_get_question (module, j);
          GtkWidget *widget = add_question_widget (self, q, GTK_BOX (page));

          vw_question_widget_set_save_func (VW_QUESTION_WIDGET (widget), save_question, self);
          g_hash_table_insert (self->widgets, (gpointer) vw_question_get_id (q), widget);
        }
      gtk_stack_add_named (self->module_stack, page, vw_module_get_id (module));

      row_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      title = gtk_label_new (vw_module_get_title (module, self->language));
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      /* Whole names, over two lines if need be: cut ones are guesswork. */
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_natural_wrap_mode (GTK_LABEL (title), GTK_NATURAL_WRAP_WORD);
      gtk_label_set_yalign (GTK_LABEL (title), 0);
      gtk_widget_set_hexpand (title, TRUE);
      count = gtk_label_new (NULL);
      gtk_widget_set_valign (count, GTK_ALIGN_START);
      gtk_widget_add_css_class (count, "caption");
      gtk_widget_add_css_class (count, "dim-label");
      gtk_box_append (GTK_BOX (row_box), title);
      gtk_box_append (GTK_BOX (row_box), count);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      vw_module_get_title (module, self->language), -1);
      g_object_set_data (G_OBJECT (row), "vw-count", count);
      gtk_list_box_append (self->module_list, row);
    }
}

/* Where the participant's stored value of @question came from: the last
 * earlier round that answered it so, else the enrolment. */
static char *
participant_value_origin (VwInterviewView *self,
                          const char      *question,
                          const char      *value)
{
  g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (self->vault, self->study, self->code, NULL, NULL);
  const char *round = NULL;

  for (guint i = 0; interviews != NULL && i < interviews->len; i++)
    {
      VwInterview *iv = g_ptr_array_index (interviews, i);
      g_autofree char *answer = NULL;

      if (g_strcmp0 (iv->id, self->interview_id) == 0 || g_strcmp0 (iv->round, self->round) == 0)
        continue;
      answer = vw_vault_get_answer (self->vault, iv->id, question, NULL);
      if (g_strcmp0 (answer, value) == 0)
        round = iv->round;
    }
  if (round != NULL)
    /* Translators: where a prefilled answer comes from; %s is a round such as T0. */
    return g_strdup_printf (_("As answered in round %s: change it here if it is no longer right"), round);
  return g_strdup (_("As given at enrolment: change it here if it is not right"));
}

/* A fact about the participant has one home: the value stored with the
 * participant (at enrolment or in an earlier round) is shown in its
 * question, with where it came from, and changing it there changes it for
 * the participant. */
static void
show_participant_value (VwInterviewView  *self,
                        VwQuestionWidget *widget,
                        const char       *answer)
{
  const VwQuestion *q = vw_question_widget_get_question (widget);
  const char *id = vw_question_get_id (q);
  const char *stored = g_hash_table_lookup (self->participant_values, id);
  g_autofree char *origin = NULL;

  if (vw_question_get_scope (q) != VW_QUESTION_SCOPE_PARTICIPANT || stored == NULL ||
      (answer != NULL && g_strcmp0 (answer, stored) != 0))
    return;
  if (answer == NULL)
    vw_question_widget_load (widget, stored, NULL);
  origin = participant_value_origin (self, id, stored);
  vw_question_widget_set_origin (widget, origin);
}

static void
prefill_participant_values (VwInterviewView *self)
{
  GHashTableIter iter;
  gpointer widget;

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &widget))
    show_participant_value (self, widget, NULL);
}

static void
load_answers (VwInterviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) answers = vw_vault_list_answers (self->vault, self->interview_id, &error);
  g_autoptr(GPtrArray) notes = vw_vault_list_notes (self->vault, self->interview_id, &error);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) note_texts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id, widget;

  if (answers == NULL || notes == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < answers->len; i++)
    {
      VwAnswer *a = g_ptr_array_index (answers, i);
      g_hash_table_insert (values, a->question, a->value);
    }
  for (guint i = 0; i < notes->len; i++)
    {
      VwNote *n = g_ptr_array_index (notes, i);
      if (n->question != NULL)
        g_hash_table_insert (note_texts, n->question, n->text);
    }
  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, &id, &widget))
    {
      const char *value = g_hash_table_lookup (values, id);

      vw_question_widget_load (widget, value, g_hash_table_lookup (note_texts, id));
      if (value == NULL)
        show_participant_value (self, widget, NULL);
    }
  for (guint i = 0; i < self->consent_widgets->len; i++)
    {
      VwQuestionWidget *w = g_ptr_array_index (self->consent_widgets, i);
      const char *qid = vw_question_get_id (vw_question_widget_get_question (w));

      vw_question_widget_load (w, g_hash_table_lookup (values, qid), g_hash_table_lookup (note_texts, qid));
    }
}

/* Setup: the duo and consent --------------------------------------------- */

static void
reload_interviewers (VwInterviewView *self,
                     const char      *select)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = vw_vault_list_interviewers (self->vault, &error);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *old1 = NULL, *old2 = NULL;
  guint sel1, sel2;

  if (list == NULL)
    {
      gtk_label_set_label (self->setup_message, error->message);
      return;
    }
  sel1 = adw_combo_row_get_selected (self->interviewer1_row);
  sel2 = adw_combo_row_get_selected (self->interviewer2_row);
  if (self->interviewer_ids != NULL)
    {
      if (sel1 > 0 && sel1 <= self->interviewer_ids->len)
        old1 = g_ptr_array_index (self->interviewer_ids, sel1 - 1);
      if (sel2 > 0 && sel2 <= self->interviewer_ids->len)
        old2 = g_ptr_array_index (self->interviewer_ids, sel2 - 1);
    }
  old1 = g_strdup (old1);
  old2 = g_strdup (old2);
  g_clear_pointer (&self->interviewer_ids, g_ptr_array_unref);
  self->interviewer_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (labels, _("Choose…"));
  sel1 = sel2 = 0;
  for (guint i = 0; i < list->len; i++)
    {
      VwInterviewer *iv = g_ptr_array_index (list, i);
      g_autofree char *label = NULL;

      if (!iv->active)
        continue;
      /* Translators: an interviewer and their role, e.g. "Sam (peer researcher)". */
      label = g_strdup_printf (_("%s (%s)"), iv->name,
                               iv->role == VW_INTERVIEWER_RESEARCHER ? _("researcher") : _("peer researcher"));
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->interviewer_ids, g_strdup (iv->id));
      if (g_strcmp0 (iv->id, old1) == 0)
        sel1 = self->interviewer_ids->len;
      if (g_strcmp0 (iv->id, old2) == 0)
        sel2 = self->interviewer_ids->len;
    }
  /* With nobody (or one) to choose, the list offers the way to add
   * someone rather than ending there. */
  gtk_string_list_append (labels, _("Add an Interviewer…"));
  if (select != NULL)
    for (guint i = 0; i < self->interviewer_ids->len; i++)
      if (g_strcmp0 (g_ptr_array_index (self->interviewer_ids, i), select) == 0)
        {
          if (sel1 == 0)
            sel1 = i + 1;
          else if (sel2 == 0)
            sel2 = i + 1;
        }
  self->reloading_interviewers++;
  adw_combo_row_set_model (self->interviewer1_row, G_LIST_MODEL (labels));
  adw_combo_row_set_model (self->interviewer2_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->interviewer1_row, sel1);
  adw_combo_row_set_selected (self->interviewer2_row, sel2);
  self->reloading_interviewers--;
  g_free ((char *) old1);
  g_free ((char *) old2);
}

static gboolean
focus_new_interviewer (gpointer data)
{
  VwInterviewView *self = data;

  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->new_name_row));
  return G_SOURCE_REMOVE;
}

/* The last entry of the interviewer lists leads to the form that adds one. */
static void
on_interviewer_selected (AdwComboRow     *row,
                         GParamSpec      *pspec,
                         VwInterviewView *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->reloading_interviewers > 0 || self->interviewer_ids == NULL)
    return;
  gtk_label_set_label (self->setup_message, "");
  if (selected != self->interviewer_ids->len + 1)
    return;
  adw_combo_row_set_selected (row, 0);
  /* After the list's popover has closed, which gives the focus back to
   * the row it belongs to. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_new_interviewer, g_object_ref (self), g_object_unref);
}

static void
on_add_interviewer (VwInterviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_name_row))));
  VwInterviewerRole role = adw_combo_row_get_selected (self->new_role_row) == 1 ? VW_INTERVIEWER_PEER_RESEARCHER
                                                                                : VW_INTERVIEWER_RESEARCHER;
  g_autofree char *id = NULL;

  if (*name == '\0')
    {
      gtk_label_set_label (self->setup_message, _("Fill in the interviewer’s name first"));
      return;
    }
  id = vw_vault_add_interviewer (self->vault, name, role, NULL, &error);
  if (id == NULL)
    {
      gtk_label_set_label (self->setup_message, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_name_row), "");
  gtk_label_set_label (self->setup_message, "");
  reload_interviewers (self, id);
}

static const char *
selected_interviewer (VwInterviewView *self,
                      AdwComboRow     *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->interviewer_ids->len)
    return NULL;
  return g_ptr_array_index (self->interviewer_ids, selected - 1);
}

static const char *
consent_value (VwInterviewView *self,
               const char      *question)
{
  const char *value = lookup_answer (question, self);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Consent is answered before there is an interview to save it in; once
 * there is, the consent questions save like every other one. */
static gboolean
save_consent (VwInterviewView  *self,
              GError          **error)
{
  for (guint i = 0; i < self->consent_widgets->len; i++)
    {
      VwQuestionWidget *w = g_ptr_array_index (self->consent_widgets, i);

      vw_question_widget_set_save_func (w, save_question, self);
      if (!vw_question_widget_flush (w, error))
        return FALSE;
    }
  return TRUE;
}

/* The actions that need a started interview. */
static void
update_actions (VwInterviewView *self)
{
  static const char * const actions[] = {
    "interview.pause", "interview.review", "interview.back", "interview.finish", "interview.quote", NULL,
  };

  for (guint i = 0; actions[i] != NULL; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], self->interview_id != NULL);
}

/* The buttons call the actions by hand rather than through action-name:
 * GTK 4.8 leaves such buttons insensitive after the view is moved to
 * another parent. */
#define BUTTON_ACTION(handler, action)                              \
  static void                                                       \
  handler (VwInterviewView *self)                                   \
  {                                                                 \
    gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);   \
  }

BUTTON_ACTION (on_previous_clicked, "interview.previous-module")
BUTTON_ACTION (on_next_clicked, "interview.next-module")
BUTTON_ACTION (on_pause_clicked, "interview.pause")
BUTTON_ACTION (on_review_clicked, "interview.review")
BUTTON_ACTION (on_back_clicked, "interview.back")
BUTTON_ACTION (on_finish_clicked, "interview.finish")

static void
enter_interview (VwInterviewView *self)
{
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "interview");
  if (self->modules->len > 0 && current_module (self) != NULL)
    show_module_index (self, self->current_module);
}

static void
on_start_clicked (VwInterviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *date = today ();
  const char *one = selected_interviewer (self, self->interviewer1_row);
  const char *two = selected_interviewer (self, self->interviewer2_row);
  const char *research = consent_value (self, "consent_research");
  const char *wmo = consent_value (self, "consent_wmo_linkage");

  if (one == NULL || two == NULL)
    {
      gtk_label_set_label (self->setup_message, _("Choose the two interviewers of the duo"));
      return;
    }
  if (g_strcmp0 (one, two) == 0)
    {
      gtk_label_set_label (self->setup_message, _("Choose two different interviewers"));
      return;
    }
  if (g_strcmp0 (research, "ja") != 0)
    {
      gtk_label_set_label (self->setup_message,
                           _("The interview can only start when the participant consents to the research"));
      return;
    }

  if (!vw_vault_set_consent (self->vault, self->study, self->code, self->round, "research", research, date, &error) ||
      (wmo != NULL &&
       !vw_vault_set_consent (self->vault, self->study, self->code, self->round, "wmo_linkage", wmo, date, &error)))
    {
      gtk_label_set_label (self->setup_message, error->message);
      return;
    }
  iv = vw_vault_start_interview (self->vault, self->study, self->code, self->round,
                                 vw_questionnaire_get_id (self->questionnaire),
                                 vw_questionnaire_get_version (self->questionnaire), one, two, &error);
  if (iv == NULL)
    {
      gtk_label_set_label (self->setup_message, error->message);
      return;
    }
  self->interview_id = g_strdup (iv->id);
  /* The consent answers belong to the interview too. */
  if (!save_consent (self, &error))
    {
      gtk_label_set_label (self->setup_message, error->message);
      return;
    }
  gtk_label_set_label (self->setup_message, "");
  self->current_module = 0;
  enter_interview (self);
  if (self->modules->len > 0)
    {
      const VwModule *first = g_ptr_array_index (self->modules, 0);
      vw_interview_view_show_question (self, vw_question_get_id (vw_module_get_question (first, 0)));
    }
}

/* Pause, review, finish -------------------------------------------------- */

static const char *
current_question (VwInterviewView *self)
{
  VwQuestionWidget *focused = focused_question (self);
  const VwModule *module = current_module (self);

  if (focused != NULL)
    return vw_question_get_id (vw_question_widget_get_question (focused));
  if (module == NULL)
    return NULL;
  for (guint i = 0; i < vw_module_get_n_questions (module); i++)
    {
      const char *id = vw_question_get_id (vw_module_get_question (module, i));
      if (!g_hash_table_contains (self->skipped, id) && !is_answered (self, id))
        return id;
    }
  return vw_question_get_id (vw_module_get_question (module, 0));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);
  g_autoptr(GError) error = NULL;
  const VwModule *module = current_module (self);

  if (self->interview_id == NULL)
    return;
  if (!vw_interview_view_flush (self, &error) ||
      !vw_vault_set_interview_state (self->vault, self->interview_id, VW_INTERVIEW_PAUSED,
                                     module ? vw_module_get_id (module) : NULL, current_question (self), &error))
    {
      toast (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
on_go_to_question (GtkButton       *button,
                   VwInterviewView *self)
{
  vw_interview_view_show_question (self, g_object_get_data (G_OBJECT (button), "vw-question"));
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint n = 0;
  GtkWidget *child;

  if (self->interview_id == NULL)
    return;
  if (!vw_interview_view_flush (self, &error))
    toast (self, error->message);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->unanswered_list))) != NULL)
    gtk_list_box_remove (self->unanswered_list, child);
  for (guint i = 0; i < self->modules->len; i++)
    {
      const VwModule *module = g_ptr_array_index (self->modules, i);

      for (guint j = 0; j < vw_module_get_n_questions (module); j++)
        {
          const VwQuestion *q = vw_module_get_question (module, j);
          const char *id = vw_question_get_id (q);
          GtkWidget *row, *button;

          if (g_hash_table_contains (self->skipped, id) || is_answered (self, id))
            continue;
          n++;
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), vw_question_get_label (q, self->language));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), vw_module_get_title (module, self->language));
          if (vw_question_is_required (q))
            {
              GtkWidget *tag = gtk_label_new (_("Required"));
              gtk_widget_add_css_class (tag, "caption");
              gtk_widget_add_css_class (tag, "warning");
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
            }
          button = gtk_button_new_with_label (_("Go to Question"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (button), "vw-question", g_strdup (id), g_free);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          vw_question_get_label (q, self->language), -1);
          g_signal_connect (button, "clicked", G_CALLBACK (on_go_to_question), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
          gtk_list_box_append (self->unanswered_list, row);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unanswered_list), n > 0);
  if (n == 0)
    summary = g_strdup (_("Every question that applies has an answer."));
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u question that applies has no answer yet. You can finish anyway.",
                                            "%u questions that apply have no answer yet. You can finish anyway.", n),
                               n);
  gtk_label_set_label (self->review_summary, summary);
  gtk_stack_set_visible_child_name (self->stack, "review");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);

  if (self->interview_id != NULL)
    enter_interview (self);
}

/* The questions that apply and have no answer: the required ones (their
 * labels) and how many others. */
static GPtrArray *
open_questions (VwInterviewView *self,
                guint           *n_others)
{
  GPtrArray *required = g_ptr_array_new ();

  *n_others = 0;
  for (guint i = 0; i < self->modules->len; i++)
    {
      const VwModule *module = g_ptr_array_index (self->modules, i);

      for (guint j = 0; j < vw_module_get_n_questions (module); j++)
        {
          const VwQuestion *q = vw_module_get_question (module, j);
          const char *id = vw_question_get_id (q);

          if (g_hash_table_contains (self->skipped, id) || is_answered (self, id))
            continue;
          if (vw_question_is_required (q))
            g_ptr_array_add (required, (gpointer) q);
          else
            (*n_others)++;
        }
    }
  return required;
}

static void
finish_now (VwInterviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *date = NULL;

  if (self->interview_id == NULL)
    return;
  if (!vw_interview_view_flush (self, &error) ||
      (iv = vw_vault_get_interview (self->vault, self->interview_id, &error)) == NULL ||
      !vw_vault_begin (self->vault, &error))
    {
      toast (self, error->message);
      return;
    }
  /* A reopened interview keeps the day it was held. */
  date = iv->date != NULL ? g_strdup (iv->date) : today ();
  if (!vw_vault_set_interview_status (self->vault, self->interview_id, "interviewed", date, NULL, &error) ||
      !vw_vault_set_interview_state (self->vault, self->interview_id, VW_INTERVIEW_FINISHED, NULL, NULL, &error))
    {
      vw_vault_rollback (self->vault);
      toast (self, error->message);
      return;
    }
  if (!vw_vault_commit (self->vault, &error))
    {
      toast (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
on_finish_response (AdwMessageDialog *dialog,
                    const char       *response,
                    VwInterviewView  *self)
{
  if (g_strcmp0 (response, "finish") == 0)
    finish_now (self);
}

static void
on_finish_dialog_destroy (VwInterviewView *self)
{
  self->finish_dialog = NULL;
}

/* Finishing with questions open is a choice the duo makes knowingly: the
 * open required questions are named, the others counted. */
static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);
  g_autoptr(GPtrArray) required = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint n_others;

  if (self->interview_id == NULL || self->finish_dialog != NULL)
    return;
  required = open_questions (self, &n_others);
  if (required->len == 0 && n_others == 0)
    {
      finish_now (self);
      return;
    }
  if (required->len > 0)
    {
      g_string_append (body, g_dngettext (GETTEXT_PACKAGE, "This required question has no answer yet:",
                                          "These required questions have no answer yet:", required->len));
      for (guint i = 0; i < required->len; i++)
        g_string_append_printf (body, "\n• %s", vw_question_get_label (g_ptr_array_index (required, i), self->language));
    }
  if (n_others > 0)
    {
      if (body->len > 0)
        g_string_append (body, "\n\n");
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u other question that applies has no answer.",
                                                 "%u other questions that apply have no answer.", n_others),
                              n_others);
    }
  g_string_append (body, "\n\n");
  g_string_append (body, _("You can reopen a finished interview later, with a reason."));

  self->finish_dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                required->len > 0 ? _("Finish With Required Questions Open?")
                                                                  : _("Finish With Questions Open?"),
                                                body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self->finish_dialog),
                                    "cancel", _("_Keep Interviewing"),
                                    "finish", _("_Finish Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self->finish_dialog), "finish",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self->finish_dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self->finish_dialog), "cancel");
  g_signal_connect_object (self->finish_dialog, "response", G_CALLBACK (on_finish_response), self, 0);
  g_signal_connect_object (self->finish_dialog, "destroy", G_CALLBACK (on_finish_dialog_destroy), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->finish_dialog));
}

/* Life cycle ------------------------------------------------------------- */

static gboolean
load_questionnaire (VwInterviewView  *self,
                    GError          **error)
{
  g_autoptr(VwStudy) study = vw_vault_get_study (self->vault, self->study, error);
  g_autoptr(GBytes) json = NULL;

  if (study == NULL)
    return FALSE;
  json = vw_vault_get_questionnaire (self->vault, study->questionnaire_id, study->questionnaire_version, NULL, error);
  if (json == NULL)
    return FALSE;
  self->questionnaire = vw_questionnaire_new_from_bytes (json, study->questionnaire_id, NULL, error);
  return self->questionnaire != NULL;
}

/* The previous round's interview, or NULL at the participant's first. */
static VwInterview *
previous_interview (VwInterviewView *self)
{
  g_autoptr(GPtrArray) rounds = vw_vault_list_rounds (self->vault, self->study, NULL);
  g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (self->vault, self->study, self->code, NULL, NULL);
  int position = -1, best = -1;
  VwInterview *found = NULL;

  if (rounds == NULL || interviews == NULL)
    return NULL;
  for (guint i = 0; i < rounds->len; i++)
    if (g_strcmp0 (((VwRound *) g_ptr_array_index (rounds, i))->label, self->round) == 0)
      position = ((VwRound *) g_ptr_array_index (rounds, i))->position;
  for (guint i = 0; i < interviews->len; i++)
    {
      VwInterview *iv = g_ptr_array_index (interviews, i);

      for (guint j = 0; j < rounds->len; j++)
        {
          VwRound *r = g_ptr_array_index (rounds, j);

          if (g_strcmp0 (r->label, iv->round) == 0 && r->position < position && r->position > best)
            {
              best = r->position;
              found = iv;
            }
        }
    }
  if (found == NULL)
    return NULL;
  return vw_vault_get_interview (self->vault, found->id, NULL);
}

static void
setup (VwInterviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(VwParticipant) participant = NULL;
  g_autoptr(VwInterview) existing = NULL;
  g_autoptr(VwInterview) previous = NULL;
  g_autofree char *subtitle = NULL;
  const VwModule *consent;

  self->language = g_strdup (ui_language ());
  if (!load_questionnaire (self, &error) ||
      (participant = vw_vault_get_participant (self->vault, self->study, self->code, &error)) == NULL)
    {
      gtk_label_set_label (self->setup_message, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), FALSE);
      return;
    }
  self->participant_values = vw_vault_list_participant_values (self->vault, self->study, self->code, NULL);
  if (self->participant_values == NULL)
    self->participant_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Translators: the participant's pseudonym and code, and the round, e.g. "Kees (DH-7K3QM) · round T1". */
  subtitle = g_strdup_printf (_("%s (%s) · round %s"), participant->pseudonym, participant->code, self->round);
  gtk_label_set_label (self->setup_subtitle, subtitle);

  previous = previous_interview (self);
  self->first_interview = previous == NULL;

  consent = vw_questionnaire_get_consent_module (self->questionnaire);
  for (guint i = 0; consent != NULL && i < vw_module_get_n_questions (consent); i++)
    {
      GtkWidget *w = add_question_widget (self, vw_module_get_question (consent, i), self->consent_box);
      g_ptr_array_add (self->consent_widgets, w);
    }
  build_modules (self);
  reload_interviewers (self, NULL);

  if (!self->first_interview)
    {
      g_autofree char *last_time = NULL;

      self->followup_panel = vw_followup_panel_new (self->vault, previous, self->questionnaire, self->language);
      gtk_scrolled_window_set_child (self->side_panel, self->followup_panel);
      gtk_widget_set_visible (GTK_WIDGET (self->side_panel), TRUE);
      gtk_widget_set_visible (self->side_separator, TRUE);
      /* Translators: the button that shows last round's answers, e.g. "_Last Time (T0)". */
      last_time = g_strdup_printf (_("_Last Time (%s)"), previous->round);
      adw_button_content_set_label (self->followup_toggle_content, last_time);
      update_fold_bar (self);
    }

  existing = vw_vault_find_interview (self->vault, self->study, self->code, self->round, &missing);
  if (existing != NULL)
    {
      self->interview_id = g_strdup (existing->id);
      load_answers (self);
      for (guint i = 0; i < self->consent_widgets->len; i++)
        vw_question_widget_set_save_func (g_ptr_array_index (self->consent_widgets, i), save_question, self);
      update_relevance (self);
      if (existing->state == VW_INTERVIEW_PAUSED &&
          !vw_vault_set_interview_state (self->vault, existing->id, VW_INTERVIEW_IN_PROGRESS,
                                         NULL, NULL, &error))
        toast (self, error->message);
      enter_interview (self);
      if (existing->resume_question == NULL || !vw_interview_view_show_question (self, existing->resume_question))
        if (existing->resume_module != NULL)
          vw_interview_view_show_module (self, existing->resume_module);
    }
  else
    {
      prefill_participant_values (self);
      update_relevance (self);
    }
  update_progress (self);
}

static void
vw_interview_view_map (GtkWidget *widget)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (widget);

  GTK_WIDGET_CLASS (vw_interview_view_parent_class)->map (widget);

  if (self->focus_question != NULL)
    {
      g_autofree char *question = g_steal_pointer (&self->focus_question);
      focus_question_now (self, question);
    }
}

GtkWidget *
vw_interview_view_new (VwVault    *vault,
                       const char *study,
                       const char *code,
                       const char *round)
{
  VwInterviewView *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (study != NULL && code != NULL && round != NULL, NULL);

  self = g_object_new (VW_TYPE_INTERVIEW_VIEW, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  self->code = g_strdup (code);
  self->round = g_strdup (round);
  setup (self);

  return GTK_WIDGET (self);
}

const char *
vw_interview_view_get_interview_id (VwInterviewView *self)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), NULL);

  return self->interview_id;
}

static void
vw_interview_view_dispose (GObject *object)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (object);

  /* Nothing typed is lost when the view goes away. */
  if (self->vault != NULL && self->interview_id != NULL && vw_vault_is_unlocked (self->vault))
    vw_interview_view_flush (self, NULL);
  if (self->quote_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->quote_dialog));
  if (self->finish_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->finish_dialog));
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (vw_interview_view_parent_class)->dispose (object);
}

static void
vw_interview_view_finalize (GObject *object)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (object);

  g_free (self->study);
  g_free (self->code);
  g_free (self->round);
  g_free (self->interview_id);
  g_free (self->language);
  g_free (self->focus_question);
  g_clear_object (&self->questionnaire);
  g_clear_pointer (&self->modules, g_ptr_array_unref);
  g_clear_pointer (&self->widgets, g_hash_table_unref);
  g_clear_pointer (&self->consent_widgets, g_ptr_array_unref);
  g_clear_pointer (&self->participant_values, g_hash_table_unref);
  g_clear_pointer (&self->skipped, g_hash_table_unref);
  g_clear_pointer (&self->interviewer_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (vw_interview_view_parent_class)->finalize (object);
}

static void
vw_interview_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_string (value, vw_interview_view_get_page (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vw_interview_view_class_init (VwInterviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_interview_view_dispose;
  object_class->finalize = vw_interview_view_finalize;
  object_class->get_property = vw_interview_view_get_property;
  widget_class->map = vw_interview_view_map;

  /**
   * VwInterviewView:page:
   *
   * The page shown: "setup", "interview" or "review".
   */
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VwInterviewView::closed:
   *
   * The duo paused or finished the interview.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (VW_TYPE_QUESTION_WIDGET);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-interview-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, toasts);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, stack);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, setup_subtitle);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, interviewer1_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, interviewer2_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, new_name_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, new_role_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, add_interviewer_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, consent_box);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, setup_message);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, start_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, module_flap);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, followup_flap);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, fold_bar);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, modules_toggle);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, followup_toggle);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, followup_toggle_content);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, side_separator);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, module_list);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, module_title);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, module_intro);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, module_stack);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, module_scroller);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, previous_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, next_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, review_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, side_panel);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, unanswered_list);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, review_summary);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewView, finish_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_interviewer);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_module_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_module_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_review_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_finish_clicked);

  gtk_widget_class_install_action (widget_class, "interview.next-module", NULL, next_module_action);
  gtk_widget_class_install_action (widget_class, "interview.previous-module", NULL, previous_module_action);
  gtk_widget_class_install_action (widget_class, "interview.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "interview.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "interview.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "interview.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "interview.quote", NULL, quote_action);
  gtk_widget_class_install_action (widget_class, "interview.toggle-modules", NULL, toggle_modules_action);
  gtk_widget_class_install_action (widget_class, "interview.toggle-followup", NULL, toggle_followup_action);
}

/* The interview's shortcuts are seen before the focused widget sees the
 * key (capture phase): a text box, a list or a scrolled window has its own
 * use for Ctrl+Page Down or Alt+Left, and would otherwise keep it. */
static void
add_shortcuts (VwInterviewView *self)
{
  static const struct {
    guint           key;
    GdkModifierType mods;
    const char     *action;
  } shortcuts[] = {
    { GDK_KEY_Page_Down, GDK_CONTROL_MASK, "interview.next-module" },
    { GDK_KEY_Page_Up, GDK_CONTROL_MASK, "interview.previous-module" },
    { GDK_KEY_Right, GDK_ALT_MASK, "interview.next-module" },
    { GDK_KEY_Left, GDK_ALT_MASK, "interview.previous-module" },
    { GDK_KEY_q, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "interview.quote" },
    { GDK_KEY_F9, 0, "interview.toggle-modules" },
    { GDK_KEY_F9, GDK_SHIFT_MASK, "interview.toggle-followup" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].key, shortcuts[i].mods),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
vw_interview_view_init (VwInterviewView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->widgets = g_hash_table_new (g_str_hash, g_str_equal);
  self->consent_widgets = g_ptr_array_new ();
  self->skipped = g_hash_table_new (g_str_hash, g_str_equal);

  add_shortcuts (self);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_module_list_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->module_list), keys);

  g_object_bind_property (self->module_flap, "reveal-flap", self->modules_toggle, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->followup_flap, "reveal-flap", self->followup_toggle, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->module_flap, "notify::folded", G_CALLBACK (update_fold_bar), self);
  g_signal_connect_swapped (self->followup_flap, "notify::folded", G_CALLBACK (update_fold_bar), self);
  g_signal_connect_swapped (self->module_flap, "notify::reveal-flap", G_CALLBACK (on_module_flap_revealed), self);
  g_signal_connect_swapped (self->followup_flap, "notify::reveal-flap", G_CALLBACK (on_followup_flap_revealed), self);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (on_page_changed), self);
  g_signal_connect (self->interviewer1_row, "notify::selected", G_CALLBACK (on_interviewer_selected), self);
  g_signal_connect (self->interviewer2_row, "notify::selected", G_CALLBACK (on_interviewer_selected), self);
  update_fold_bar (self);
}
