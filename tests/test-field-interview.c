/* Display test: the interview as a duo lives it, one case per
 * item, with real key presses (XTest) where the keyboard is the point.
 *
 * Runs once per interface language (LANGUAGE=en and nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-interview-view-private.h"
#include "vw-participant-page.h"
#include "vw-question-widget.h"
#include "vw-reopen-dialog.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

static GtkWidget *
focus_of (VwTestInterview *t)
{
  return gtk_root_get_focus (GTK_ROOT (t->window));
}

static gboolean
focus_in (VwTestInterview *t,
          GtkWidget       *container)
{
  GtkWidget *focus = focus_of (t);

  return focus != NULL && (focus == container || gtk_widget_is_ancestor (focus, container));
}

static GtkTextView *
answer_view (VwTestInterview *t,
             const char      *question)
{
  return GTK_TEXT_VIEW (vw_question_widget_get_input (VW_QUESTION_WIDGET (vw_test_question (t, question))));
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
}

/* A started interview of round T0. */
static void
started (VwTestInterview *t)
{
  vw_test_interview_init (t);
  vw_test_interview_open (t, "T0");
  vw_test_start_interview (t);
}

/* 2. Tab leaves a text box of the form, Ctrl+Tab types a tab, and white
 * space alone is no answer and no note. */
static void
test_tab_and_blank (void)
{
  VwTestInterview t;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  GtkTextView *story;
  const char *interview;

  started (&t);
  interview = vw_interview_view_get_interview_id (t.view);
  g_assert_true (vw_interview_view_show_question (t.view, "life_story"));
  story = answer_view (&t, "life_story");
  gtk_widget_grab_focus (GTK_WIDGET (story));
  vw_test_press (t.window, "a");
  vw_test_press (t.window, "Tab");
  g_assert_false (focus_in (&t, GTK_WIDGET (story)));
  text = buffer_text (story);
  g_assert_cmpstr (text, ==, "a");
  g_clear_pointer (&text, g_free);
  vw_test_press (t.window, "shift+Tab");
  g_assert_true (focus_in (&t, GTK_WIDGET (story)));
  vw_test_press (t.window, "ctrl+Tab");
  text = buffer_text (story);
  g_assert_cmpstr (text, ==, "a\t");
  g_clear_pointer (&text, g_free);
  g_assert_true (focus_in (&t, GTK_WIDGET (story)));

  /* Tabs, spaces and empty lines alone: not answered, nothing stored. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (story), "\t \n ", -1);
  g_assert_cmpstr (vw_question_widget_get_value (VW_QUESTION_WIDGET (vw_test_question (&t, "life_story"))), ==, "");
  g_assert_true (vw_interview_view_flush (t.view, &error));
  g_assert_no_error (error);
  stored = vw_vault_get_answer (t.vault, interview, "life_story", &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (vw_question_widget_get_note_view (
                              VW_QUESTION_WIDGET (vw_test_question (&t, "residence")))), "  \t", -1);
  g_assert_true (vw_interview_view_flush (t.view, &error));
  g_assert_no_error (error);
  notes = vw_vault_list_notes (t.vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);

  vw_test_interview_clear (&t);
}

/* 3. Finishing with required questions open asks first and names them;
 * a finished interview reopens with a reason kept in the audit trail. */
static void
test_finish_and_reopen (void)
{
  VwTestInterview t;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *interview = NULL;
  GtkWidget *page, *button, *dialog;
  AdwMessageDialog *question;
  const VwQuestion *residence;
  gboolean logged = FALSE;

  started (&t);
  interview = g_strdup (vw_interview_view_get_interview_id (t.view));
  residence = vw_questionnaire_lookup_question (t.view->questionnaire, "residence");
  gtk_widget_activate_action (GTK_WIDGET (t.view), "interview.review", NULL);
  gtk_widget_activate_action (GTK_WIDGET (t.view), "interview.finish", NULL);
  question = vw_test_find_message_dialog ();
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, _("Finish With Required Questions Open?"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), vw_question_get_label (residence, t.view->language)));
  /* Keep interviewing: nothing changed. */
  adw_message_dialog_response (question, "cancel");
  gtk_window_close (GTK_WINDOW (question));
  vw_test_iterate (50);
  g_assert_cmpuint (t.n_closed, ==, 0);
  iv = vw_vault_get_interview (t.vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_IN_PROGRESS);
  g_clear_pointer (&iv, vw_interview_free);
  g_free (vw_test_finish_interview (&t));
  g_assert_cmpuint (t.n_closed, ==, 1);
  iv = vw_vault_get_interview (t.vault, interview, &error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_FINISHED);
  g_clear_pointer (&iv, vw_interview_free);

  /* The participant's page offers to reopen it; the reason is required. */
  vw_test_interview_close_view (&t);
  page = g_object_ref_sink (g_object_new (VW_TYPE_PARTICIPANT_PAGE, NULL));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (t.window), page);
  g_assert_true (vw_participant_page_load (VW_PARTICIPANT_PAGE (page), t.vault, t.study, t.code, &error));
  g_assert_no_error (error);
  button = vw_test_button (page, _("Re_open…"));
  vw_test_click (button);
  dialog = GTK_WIDGET (vw_test_find_toplevel (VW_TYPE_REOPEN_DIALOG));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (vw_reopen_dialog_get_reason (VW_REOPEN_DIALOG (dialog))), " \t ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reopen"));
  gtk_editable_set_text (GTK_EDITABLE (vw_reopen_dialog_get_reason (VW_REOPEN_DIALOG (dialog))),
                         "Geboortejaar verkeerd");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reopen"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reopen");
  gtk_window_destroy (GTK_WINDOW (dialog));
  iv = vw_vault_get_interview (t.vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_IN_PROGRESS);
  g_assert_null (iv->status);
  g_assert_nonnull (iv->date);
  audit = vw_vault_list_audit (t.vault, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      VwAuditEntry *e = g_ptr_array_index (audit, i);
      logged |= g_strcmp0 (e->action, "interview_reopened") == 0 && g_strcmp0 (e->object, t.code) == 0 &&
                g_strcmp0 (e->detail, "T0: Geboortejaar verkeerd") == 0;
    }
  g_assert_true (logged);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (t.window), NULL);
  g_object_unref (page);

  vw_test_interview_clear (&t);
}

/* 5. Keyboard navigation: Ctrl+Page Down from a text box, Alt+Left in the
 * module list, the list one Tab stop, Enter on a module to its questions,
 * nothing hidden behind a closed note. (The Gtk-CRITICAL of GTK 4.8's
 * accessibility layer behind a closed note shows only with an AT-SPI bus:
 * tests/a11y/a11y-interview.py meets it.) */
static void
test_keyboard (void)
{
  VwTestInterview t;
  GtkWidget *list, *expander, *focus;
  GtkListBoxRow *row;

  started (&t);
  list = GTK_WIDGET (t.view->module_list);

  /* From a text box the shortcut still goes to the next module, and the
   * focus to its first question. */
  g_assert_true (vw_interview_view_show_question (t.view, "municipality"));
  vw_test_iterate (50);
  g_assert_true (focus_in (&t, vw_test_question (&t, "municipality")));
  vw_test_press (t.window, "ctrl+Next");
  g_assert_cmpstr (vw_interview_view_get_module (t.view), ==, "life_history");
  g_assert_true (focus_in (&t, vw_test_question (&t, "hist_street")));
  g_assert_true (vw_interview_view_show_question (t.view, "life_story"));
  vw_test_iterate (50);
  vw_test_press (t.window, "ctrl+Next");
  g_assert_cmpstr (vw_interview_view_get_module (t.view), ==, "residence_now");
  vw_test_press (t.window, "ctrl+Prior");
  g_assert_cmpstr (vw_interview_view_get_module (t.view), ==, "life_history");

  /* In the module list Alt+Left goes to the previous module, and the focus
   * with it. */
  row = gtk_list_box_get_selected_row (t.view->module_list);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  vw_test_press (t.window, "alt+Left");
  g_assert_cmpstr (vw_interview_view_get_module (t.view), ==, "about_you");
  g_assert_true (focus_of (&t) == GTK_WIDGET (gtk_list_box_get_row_at_index (t.view->module_list, 0)));

  /* The list is one Tab stop: Tab leaves it for the module's questions. */
  vw_test_press (t.window, "Down");
  g_assert_true (focus_of (&t) == GTK_WIDGET (gtk_list_box_get_row_at_index (t.view->module_list, 1)));
  vw_test_press (t.window, "Tab");
  g_assert_false (focus_in (&t, list));
  g_assert_true (focus_in (&t, GTK_WIDGET (t.view->module_stack)));
  /* Shift+Tab leaves it the other way. */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (t.view->module_list, 2)));
  vw_test_press (t.window, "shift+Tab");
  g_assert_false (focus_in (&t, list));
  g_assert_false (focus_in (&t, GTK_WIDGET (t.view->module_stack)));

  /* Enter on a module: its questions, with the focus in the first. */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (t.view->module_list, 3)));
  vw_test_press (t.window, "Return");
  g_assert_cmpstr (vw_interview_view_get_module (t.view), ==, "history_first");
  g_assert_true (focus_in (&t, vw_test_question (&t, "stays_last_five_years")));

  /* Tab from a closed note goes to something shown, never into it (GTK
   * 4.8 raised a critical there, which this test makes fatal). */
  g_assert_true (vw_interview_view_show_question (t.view, "residence"));
  vw_test_iterate (50);
  expander = GTK_WIDGET (gtk_widget_get_template_child (vw_test_question (&t, "residence"), VW_TYPE_QUESTION_WIDGET,
                                                       "note_expander"));
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (expander)));
  gtk_widget_grab_focus (expander);
  vw_test_press (t.window, "Tab");
  focus = focus_of (&t);
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_drawable (focus));
  g_assert_false (gtk_widget_is_ancestor (focus, expander));
  gtk_widget_grab_focus (expander);
  vw_test_press (t.window, "space");
  g_assert_true (gtk_expander_get_expanded (GTK_EXPANDER (expander)));
  vw_test_press (t.window, "Tab");
  g_assert_true (focus_in (&t, GTK_WIDGET (vw_question_widget_get_note_view (
                                             VW_QUESTION_WIDGET (vw_test_question (&t, "residence"))))));

  vw_test_interview_clear (&t);
}

/* 7. A fact about the participant given at enrolment shows, prefilled and
 * with where it came from, in the question; changing it there changes it
 * for the participant. */
static void
test_one_home (void)
{
  VwTestInterview t;
  g_autoptr(GError) error = NULL;
  g_autofree char *year = NULL;
  VwQuestionWidget *widget;

  vw_test_interview_init (&t);
  g_assert_true (vw_vault_set_participant_value (t.vault, t.study, t.code, "birth_year", "1984", &error));
  g_assert_true (vw_vault_set_participant_value (t.vault, t.study, t.code, "municipality", "Den Haag", &error));
  g_assert_no_error (error);
  vw_test_interview_open (&t, "T0");
  vw_test_start_interview (&t);
  widget = VW_QUESTION_WIDGET (vw_test_question (&t, "birth_year"));
  g_assert_cmpstr (vw_question_widget_get_value (widget), ==, "1984");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (vw_question_widget_get_input (widget))), ==, "1984");
  g_assert_cmpstr (vw_question_widget_get_origin (widget), ==,
                   _("As given at enrolment: change it here if it is not right"));
  g_assert_cmpstr (vw_question_widget_get_value (VW_QUESTION_WIDGET (vw_test_question (&t, "municipality"))), ==,
                   "Den Haag");
  g_assert_true (vw_interview_view_is_asked (t.view, "birth_year"));

  /* Changed in the interview: the origin no longer applies, and the
   * participant has the new value, in one place. */
  vw_test_answer (&t, "birth_year", "1985");
  g_assert_null (vw_question_widget_get_origin (widget));
  vw_test_wait_saved (&t, "birth_year");
  year = vw_vault_get_participant_value (t.vault, t.study, t.code, "birth_year", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (year, ==, "1985");

  /* Resumed, it shows the interview's own answer, with no origin. */
  gtk_widget_activate_action (GTK_WIDGET (t.view), "interview.pause", NULL);
  vw_test_interview_close_view (&t);
  vw_test_interview_open (&t, "T0");
  widget = VW_QUESTION_WIDGET (vw_test_question (&t, "birth_year"));
  g_assert_cmpstr (vw_question_widget_get_value (widget), ==, "1985");
  g_assert_null (vw_question_widget_get_origin (widget));
  g_assert_cmpstr (vw_question_widget_get_origin (VW_QUESTION_WIDGET (vw_test_question (&t, "municipality"))), ==,
                   _("As given at enrolment: change it here if it is not right"));

  vw_test_interview_clear (&t);
}

/* Every label under @root that GTK cut with an ellipsis. */
static void
collect_cut (GtkWidget *root,
             GPtrArray *cut)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_drawable (root) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (root))))
    g_ptr_array_add (cut, (gpointer) gtk_label_get_label (GTK_LABEL (root)));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_cut (c, cut);
}

static void
assert_nothing_cut (GtkWidget  *root,
                    const char *where)
{
  g_autoptr(GPtrArray) cut = g_ptr_array_new ();

  vw_test_iterate (300);
  collect_cut (root, cut);
  for (guint i = 0; i < cut->len; i++)
    g_test_message ("%s: cut: %s", where, (const char *) g_ptr_array_index (cut, i));
  g_assert_cmpuint (cut->len, ==, 0);
}

/* 8. Nothing cut, no dead end: the whole role and interviewer in their
 * drop-downs, whole module names at 1366 and 1024 px, an empty list of
 * interviewers offers to add one, Back on the setup and review pages. */
static void
test_no_dead_ends (void)
{
  VwTestInterview t;
  GListModel *model;
  guint n;

  vw_test_interview_init (&t);
  vw_test_interview_open (&t, "T0");

  /* "Choose…" leads somewhere: the last entry adds an interviewer. */
  model = adw_combo_row_get_model (t.view->interviewer1_row);
  n = g_list_model_get_n_items (model);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), n - 1), ==, _("Add an Interviewer…"));
  adw_combo_row_set_selected (t.view->interviewer1_row, n - 1);
  vw_test_iterate (100);
  g_assert_cmpuint (adw_combo_row_get_selected (t.view->interviewer1_row), ==, 0);
  g_assert_true (focus_in (&t, GTK_WIDGET (t.view->new_name_row)));

  /* A long role (Dutch: ervaringsdeskundige onderzoeker) is not cut. */
  gtk_editable_set_text (GTK_EDITABLE (t.view->new_name_row), "Noor Abdelkader-van den Berg");
  adw_combo_row_set_selected (t.view->new_role_row, 1);
  g_signal_emit_by_name (t.view->add_interviewer_button, "clicked");
  gtk_window_set_default_size (t.window, 1024, 600);
  assert_nothing_cut (GTK_WIDGET (t.view), "setup at 1024");

  /* Back: from the setup to the participant (nothing started). */
  g_assert_true (vw_interview_view_can_go_back (t.view));
  vw_test_interview_close_view (&t);
  vw_test_interview_open (&t, "T0");
  vw_test_start_interview (&t);
  g_assert_false (vw_interview_view_can_go_back (t.view));
  gtk_window_set_default_size (t.window, 1366, 768);
  assert_nothing_cut (GTK_WIDGET (t.view->module_list), "module list at 1366");
  gtk_window_set_default_size (t.window, 1024, 600);
  assert_nothing_cut (GTK_WIDGET (t.view->module_list), "module list at 1024");
  gtk_widget_activate_action (GTK_WIDGET (t.view), "interview.review", NULL);
  g_assert_true (vw_interview_view_can_go_back (t.view));
  g_assert_true (vw_interview_view_go_back (t.view));
  g_assert_cmpstr (vw_interview_view_get_page (t.view), ==, "interview");

  vw_test_interview_clear (&t);
}

/* Whether a label or button of the interface (not a question, which is
 * read out to the participant in its own words) under @root says @word. */
static gboolean
has_word (GtkWidget  *root,
          const char *word)
{
  const char *text = GTK_IS_LABEL (root) ? gtk_label_get_label (GTK_LABEL (root))
                   : GTK_IS_BUTTON (root) ? gtk_button_get_label (GTK_BUTTON (root)) : NULL;

  /* Questions, and the review's list of them. */
  if (VW_IS_QUESTION_WIDGET (root) || g_strcmp0 (gtk_widget_get_name (root), "unanswered") == 0)
    return FALSE;
  if (text != NULL)
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);
      if (strstr (folded, word) != NULL)
        return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_word (c, word))
      return TRUE;
  return FALSE;
}

/* 10. One word for the interview in each language, and hints that go when
 * they no longer apply. */
static void
test_words_and_hints (void)
{
  VwTestInterview t;
  const char *other = g_str_has_prefix (g_getenv ("LANGUAGE"), "nl") ? "gesprek" : "conversation";
  g_autofree char *consent = g_utf8_casefold (_("The interview can only start when the participant consents to "
                                                "the research"), -1);

  vw_test_interview_init (&t);
  vw_test_interview_open (&t, "T0");
  g_assert_false (has_word (GTK_WIDGET (t.view), other));
  g_assert_null (strstr (consent, other));

  /* "Choose the two interviewers" goes once they are chosen. */
  g_signal_emit_by_name (t.view->start_button, "clicked");
  g_assert_cmpstr (gtk_label_get_label (t.view->setup_message), ==, _("Choose the two interviewers of the duo"));
  adw_combo_row_set_selected (t.view->interviewer1_row, 1);
  g_assert_cmpstr (gtk_label_get_label (t.view->setup_message), ==, "");

  /* The review and the questions' pages say it the same way. */
  adw_combo_row_set_selected (t.view->interviewer1_row, 0);
  vw_test_start_interview (&t);
  gtk_widget_activate_action (GTK_WIDGET (t.view), "interview.review", NULL);
  gtk_widget_set_name (GTK_WIDGET (t.view->unanswered_list), "unanswered");
  g_assert_false (has_word (GTK_WIDGET (t.view), other));

  vw_test_interview_clear (&t);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/field/2-tab-and-blank", test_tab_and_blank);
  g_test_add_func ("/field/3-finish-and-reopen", test_finish_and_reopen);
  g_test_add_func ("/field/5-keyboard", test_keyboard);
  g_test_add_func ("/field/7-one-home", test_one_home);
  g_test_add_func ("/field/8-no-dead-ends", test_no_dead_ends);
  g_test_add_func ("/field/10-words-and-hints", test_words_and_hints);

  return g_test_run ();
}
