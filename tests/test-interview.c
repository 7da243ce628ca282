/* Display test: the interview view driven through its real widgets, then
 * the vault read back through the core API.
 *
 * Runs once per interface language (LANGUAGE=en and nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-followup-panel.h"
#include "vw-interview-view-private.h"
#include "vw-question-widget.h"
#include "vw-quote-dialog.h"
#include "vw-residence-editor.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static void
click (gpointer button)
{
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
visible (VwTestInterview *t,
         const char      *question)
{
  return gtk_widget_get_visible (vw_test_question (t, question));
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static VwQuoteDialog *
find_quote_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (VW_IS_QUOTE_DIALOG (w))
        return VW_QUOTE_DIALOG (w);
    }
  return NULL;
}

static void
select_text (GtkTextView *view,
             const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, text, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_select_range (buffer, &match_start, &match_end);
}

static GHashTable *
answers_of (VwVault    *vault,
            const char *interview)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) answers = vw_vault_list_answers (vault, interview, &error);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < answers->len; i++)
    {
      VwAnswer *a = g_ptr_array_index (answers, i);
      g_hash_table_insert (table, g_strdup (a->question), g_strdup (a->value));
    }
  return table;
}

static const char *const expected_answers[][2] = {
  { "consent_research", "ja" },
  { "consent_wmo_linkage", "nee" },
  { "birth_year", "1979" },                        /* year, participant scope */
  { "municipality", "Den Haag" },                  /* short text, participant scope */
  { "life_story", "Ik sliep bij [persoon] in de auto. Het was koud." }, /* long text */
  { "residence", "mo" },                           /* single choice, drop-down */
  { "residence_since", "2022-06" },                /* month */
  { "stays_last_five_years",                       /* residence history */
    "[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"},"
    "{\"residence\":\"bw\",\"start\":\"2022-06\",\"end\":null}]" },
  { "support_receives", "ja" },                    /* yes/no */
  { "support_from", "[\"ggz\",\"familie_vrienden\"]" },      /* multiple choice */
  { "support_grade", "7" },                        /* grade */
  { "debts", "nee" },                              /* single choice, radio buttons */
  { "network_size", "12" },                        /* number */
  { "test_date", "2026-01-15" },                   /* date */
};

static void
test_interview_flow (void)
{
  VwTestInterview t;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *interview = NULL;
  g_autofree char *birth_year = NULL;
  g_autofree char *today = NULL;
  VwInterviewView *v;
  VwResidenceEditor *editor;
  VwQuoteDialog *dialog;
  GtkTextView *story;
  guint n_unanswered = 0;
  gboolean listed_hist_street = FALSE, listed_network = FALSE;

  vw_test_interview_init (&t);
  vw_test_interview_open (&t, "T0");
  v = t.view;

  /* Setup: Noor is added inline, the duo chosen; without research consent
   * the interview does not start, and the Wmo question only shows after a
   * yes. */
  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "setup");
  gtk_editable_set_text (GTK_EDITABLE (v->new_name_row), "Noor");
  adw_combo_row_set_selected (v->new_role_row, 1);
  click (v->add_interviewer_button);
  g_assert_cmpuint (v->interviewer_ids->len, ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (v->interviewer1_row), >, 0);
  click (v->start_button);
  g_assert_cmpstr (gtk_label_get_label (v->setup_message), ==, _("Choose the two interviewers of the duo"));
  for (guint i = 0; i < 2; i++)
    if (g_strcmp0 (g_ptr_array_index (v->interviewer_ids, i), t.sam) == 0)
      adw_combo_row_set_selected (v->interviewer2_row, i + 1);

  g_assert_false (visible (&t, "consent_wmo_linkage"));
  click (v->start_button);
  g_assert_cmpstr (gtk_label_get_label (v->setup_message), ==,
                   _("The interview can only start when the participant consents to the research"));
  vw_test_answer (&t, "consent_research", "nee");
  /* Nothing is stored before the interview exists, and nothing says so. */
  g_assert_cmpstr (vw_question_widget_get_status (VW_QUESTION_WIDGET (vw_test_question (&t, "consent_research"))), ==, "");
  click (v->start_button);
  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "setup");
  g_assert_null (vw_interview_view_get_interview_id (v));
  g_assert_false (visible (&t, "consent_wmo_linkage"));
  vw_test_answer (&t, "consent_research", "ja");
  g_assert_true (visible (&t, "consent_wmo_linkage"));
  vw_test_answer (&t, "consent_wmo_linkage", "nee");
  click (v->start_button);
  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "interview");
  interview = g_strdup (vw_interview_view_get_interview_id (v));
  g_assert_nonnull (interview);
  g_assert_cmpstr (vw_interview_view_get_module (v), ==, "about_you");
  vw_test_wait_saved (&t, "consent_research");
  vw_test_wait_saved (&t, "consent_wmo_linkage");

  /* A year out of range is refused with the questionnaire's message, and
   * not saved; then a good one is. */
  vw_test_answer (&t, "birth_year", "1800");
  g_assert_cmpint (vw_question_widget_get_save_state (VW_QUESTION_WIDGET (vw_test_question (&t, "birth_year"))), ==,
                   VW_SAVE_INVALID);
  g_assert_nonnull (strstr (vw_question_widget_get_status (VW_QUESTION_WIDGET (vw_test_question (&t, "birth_year"))),
                            "1920"));
  vw_test_answer (&t, "birth_year", "1979");
  g_assert_cmpstr (vw_question_widget_get_status (VW_QUESTION_WIDGET (vw_test_question (&t, "birth_year"))), ==,
                   _("Saving…"));
  vw_test_wait_saved (&t, "birth_year");
  vw_test_answer (&t, "municipality", "Den Haag");
  vw_test_wait_saved (&t, "municipality");

  /* Next module with the keyboard shortcut's action. */
  gtk_widget_activate_action (GTK_WIDGET (v), "interview.next-module", NULL);
  g_assert_cmpstr (vw_interview_view_get_module (v), ==, "life_history");

  /* Long text with its prompts; a redaction, then a quote of the result. */
  vw_test_answer (&t, "life_story", "Ik sliep bij Jan in de auto. Het was koud.");
  vw_test_wait_saved (&t, "life_story");
  story = GTK_TEXT_VIEW (vw_question_widget_get_input (VW_QUESTION_WIDGET (vw_test_question (&t, "life_story"))));
  gtk_widget_grab_focus (GTK_WIDGET (story));
  select_text (story, "Jan");
  gtk_widget_activate_action (vw_test_question (&t, "life_story"), "question.redact", "s", "[persoon]");
  g_assert_cmpstr (vw_question_widget_get_value (VW_QUESTION_WIDGET (vw_test_question (&t, "life_story"))), ==,
                   "Ik sliep bij [persoon] in de auto. Het was koud.");
  vw_test_wait_saved (&t, "life_story");
  select_text (story, "Ik sliep bij [persoon] in de auto.");
  gtk_widget_activate_action (GTK_WIDGET (v), "interview.quote", NULL);
  dialog = find_quote_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (vw_quote_dialog_get_text (dialog), ==, "Ik sliep bij [persoon] in de auto.");
  vw_quote_dialog_set_theme (dialog, "wonen");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "quote.save", NULL);
  g_assert_null (find_quote_dialog ());

  /* Skip logic: residence_since shows once residence is answered. */
  g_assert_true (vw_interview_view_show_module (v, "residence_now"));
  g_assert_false (visible (&t, "residence_since"));
  vw_test_answer (&t, "residence", "mo");
  g_assert_true (visible (&t, "residence_since"));
  vw_test_answer (&t, "residence_since", "2022-06");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (
                              vw_question_widget_get_note_view (VW_QUESTION_WIDGET (vw_test_question (&t, "residence")))),
                            "Slaapt slecht door het lawaai.", -1);
  vw_test_wait_saved (&t, "residence");
  vw_test_wait_saved (&t, "residence_since");

  /* The residence history: an overlapping stay is refused, then fixed. */
  g_assert_true (vw_interview_view_show_module (v, "history_first"));
  editor = VW_RESIDENCE_EDITOR (vw_question_widget_get_input (
             VW_QUESTION_WIDGET (vw_test_question (&t, "stays_last_five_years"))));
  vw_residence_editor_add_stay (editor);
  vw_residence_editor_set_stay (editor, 0, "mo", "2022-01", "2022-06");
  vw_test_wait_saved (&t, "stays_last_five_years");
  vw_residence_editor_add_stay (editor);
  vw_residence_editor_set_stay (editor, 1, "bw", "2022-03", NULL);
  g_assert_cmpint (vw_question_widget_get_save_state (VW_QUESTION_WIDGET (vw_test_question (&t, "stays_last_five_years"))),
                   ==, VW_SAVE_INVALID);
  g_assert_nonnull (vw_residence_editor_get_message (editor));
  vw_test_iterate (VW_QUESTION_SAVE_DELAY * 2);
  {
    g_autofree char *stored = vw_vault_get_answer (t.vault, interview, "stays_last_five_years", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (stored, ==, "[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"}]");
  }
  vw_residence_editor_set_stay (editor, 1, "bw", "2022-06", NULL);
  vw_test_wait_saved (&t, "stays_last_five_years");

  /* Skip logic both ways: support_from appears with a yes and goes with a no. */
  g_assert_true (vw_interview_view_show_module (v, "support"));
  g_assert_false (visible (&t, "support_from"));
  vw_test_answer (&t, "support_receives", "ja");
  g_assert_true (visible (&t, "support_from"));
  vw_test_answer (&t, "support_receives", "nee");
  g_assert_false (visible (&t, "support_from"));
  g_assert_false (visible (&t, "support_grade"));
  vw_test_answer (&t, "support_receives", "ja");
  vw_test_answer (&t, "support_from", "[\"ggz\",\"familie_vrienden\"]");
  vw_test_answer (&t, "support_grade", "7");
  vw_test_wait_saved (&t, "support_receives");
  vw_test_wait_saved (&t, "support_from");
  vw_test_wait_saved (&t, "support_grade");

  g_assert_true (vw_interview_view_show_module (v, "finances"));
  vw_test_answer (&t, "debts", "nee");
  g_assert_false (visible (&t, "debts_story"));
  vw_test_wait_saved (&t, "debts");

  g_assert_true (vw_interview_view_show_module (v, "closing"));
  vw_test_answer (&t, "test_date", "2026-13-01");
  g_assert_cmpint (vw_question_widget_get_save_state (VW_QUESTION_WIDGET (vw_test_question (&t, "test_date"))), ==,
                   VW_SAVE_INVALID);
  /* A date that has not come yet: the core's rule, its message beside the
   * field, nothing saved. */
  vw_test_answer (&t, "test_date", "2099-01-15");
  g_assert_cmpint (vw_question_widget_get_save_state (VW_QUESTION_WIDGET (vw_test_question (&t, "test_date"))), ==,
                   VW_SAVE_INVALID);
  g_assert_true (vw_test_has_text (vw_test_question (&t, "test_date"),
                                   _("Fill in a date that is not in the future")));
  vw_test_answer (&t, "test_date", "2026-01-15");
  vw_test_wait_saved (&t, "test_date");

  /* Pause at network_size with a number typed but not yet saved: pausing
   * stores it and remembers the place. */
  g_assert_true (vw_interview_view_show_question (v, "network_size"));
  vw_test_answer (&t, "network_size", "12");
  gtk_widget_grab_focus (vw_question_widget_get_input (VW_QUESTION_WIDGET (vw_test_question (&t, "network_size"))));
  gtk_widget_activate_action (GTK_WIDGET (v), "interview.pause", NULL);
  g_assert_cmpuint (t.n_closed, ==, 1);
  iv = vw_vault_get_interview (t.vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_PAUSED);
  g_assert_cmpstr (iv->resume_module, ==, "network");
  g_assert_cmpstr (iv->resume_question, ==, "network_size");
  g_clear_pointer (&iv, vw_interview_free);

  /* Resume: a new view opens at the same module with the focus in the
   * same question, and shows what was saved. */
  vw_test_interview_close_view (&t);
  vw_test_interview_open (&t, "T0");
  v = t.view;
  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "interview");
  g_assert_cmpstr (vw_interview_view_get_module (v), ==, "network");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (t.window)),
                                         vw_test_question (&t, "network_size")));
  g_assert_cmpstr (vw_question_widget_get_value (VW_QUESTION_WIDGET (vw_test_question (&t, "network_size"))), ==, "12");
  g_assert_cmpstr (vw_question_widget_get_value (VW_QUESTION_WIDGET (vw_test_question (&t, "life_story"))), ==,
                   "Ik sliep bij [persoon] in de auto. Het was koud.");
  g_assert_true (visible (&t, "support_from"));
  iv = vw_vault_get_interview (t.vault, interview, &error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_IN_PROGRESS);
  g_clear_pointer (&iv, vw_interview_free);

  /* Review: what applies and is unanswered is listed, with a way there. */
  gtk_widget_activate_action (GTK_WIDGET (v), "interview.review", NULL);
  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "review");
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (v->unanswered_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const VwQuestion *q;

      n_unanswered++;
      q = vw_questionnaire_lookup_question (v->questionnaire, "hist_street");
      listed_hist_street |= g_strcmp0 (title, vw_question_get_label (q, v->language)) == 0;
      q = vw_questionnaire_lookup_question (v->questionnaire, "network_size");
      listed_network |= g_strcmp0 (title, vw_question_get_label (q, v->language)) == 0;
    }
  g_assert_true (listed_hist_street);
  g_assert_false (listed_network);
  {
    /* Every question that applies: the asked ones minus those answered. */
    guint expected = 0;
    for (guint i = 0; i < v->modules->len; i++)
      {
        const VwModule *m = g_ptr_array_index (v->modules, i);
        for (guint j = 0; j < vw_module_get_n_questions (m); j++)
          {
            const char *id = vw_question_get_id (vw_module_get_question (m, j));
            const char *value = vw_question_widget_get_value (VW_QUESTION_WIDGET (vw_test_question (&t, id)));
            if (vw_interview_view_is_asked (v, id) && *value == '\0')
              expected++;
          }
      }
    g_assert_cmpuint (n_unanswered, ==, expected);
    /* debts_story is skipped (debts = nee) and so not listed. */
    g_assert_false (vw_interview_view_is_asked (v, "debts_story"));
  }
  /* Finishing with questions open asks first, naming the required ones. */
  {
    const VwQuestion *participation = vw_questionnaire_lookup_question (v->questionnaire, "participation");
    g_autofree char *said = vw_test_finish_interview (&t);

    g_assert_nonnull (said);
    g_assert_nonnull (strstr (said, vw_question_get_label (participation, v->language)));
  }
  g_assert_cmpuint (t.n_closed, ==, 2);

  /* The vault holds exactly what was saved. */
  answers = answers_of (t.vault, interview);
  g_assert_cmpuint (g_hash_table_size (answers), ==, G_N_ELEMENTS (expected_answers));
  for (guint i = 0; i < G_N_ELEMENTS (expected_answers); i++)
    g_assert_cmpstr (g_hash_table_lookup (answers, expected_answers[i][0]), ==, expected_answers[i][1]);
  birth_year = vw_vault_get_participant_value (t.vault, t.study, t.code, "birth_year", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (birth_year, ==, "1979");

  notes = vw_vault_list_notes (t.vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((VwNote *) g_ptr_array_index (notes, 0))->question, ==, "residence");
  g_assert_cmpstr (((VwNote *) g_ptr_array_index (notes, 0))->text, ==, "Slaapt slecht door het lawaai.");

  quotes = vw_vault_list_quotes (t.vault, t.study, t.code, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quotes->len, ==, 1);
  g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->text, ==, "Ik sliep bij [persoon] in de auto.");
  g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->theme, ==, "wonen");
  g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->question, ==, "life_story");
  g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->round, ==, "T0");

  episodes = vw_vault_list_episodes (t.vault, t.study, t.code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (episodes->len, ==, 2);
  for (guint i = 0; i < episodes->len; i++)
    {
      VwEpisode *e = g_ptr_array_index (episodes, i);
      g_assert_cmpstr (e->interview, ==, interview);
      if (g_strcmp0 (e->residence, "mo") == 0)
        {
          g_assert_cmpstr (e->start, ==, "2022-01");
          g_assert_cmpstr (e->end, ==, "2022-06");
        }
      else
        {
          g_assert_cmpstr (e->residence, ==, "bw");
          g_assert_cmpstr (e->start, ==, "2022-06");
          g_assert_null (e->end);
        }
    }

  consents = vw_vault_list_consents (t.vault, t.study, t.code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consents->len, ==, 2);
  for (guint i = 0; i < consents->len; i++)
    {
      VwConsent *c = g_ptr_array_index (consents, i);
      g_assert_cmpstr (c->round, ==, "T0");
      g_assert_cmpstr (c->value, ==, g_str_equal (c->purpose, "research") ? "ja" : "nee");
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    today = g_date_time_format (now, "%Y-%m-%d");
  }
  iv = vw_vault_get_interview (t.vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_FINISHED);
  g_assert_cmpstr (iv->status, ==, "interviewed");
  g_assert_cmpstr (iv->date, ==, today);
  g_assert_nonnull (iv->interviewer1);
  g_assert_cmpstr (iv->interviewer2, ==, t.sam);
  g_clear_pointer (&iv, vw_interview_free);

  /* A follow-up round shows last time's key answers and notes beside it,
   * and asks the follow-up modules instead of the first-time ones. */
  g_assert_true (vw_vault_add_round (t.vault, t.study, "T1", NULL, NULL, &error));
  g_assert_no_error (error);
  vw_test_interview_close_view (&t);
  vw_test_interview_open (&t, "T1");
  v = t.view;
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (v->side_panel)));
  g_assert_true (VW_IS_FOLLOWUP_PANEL (v->followup_panel));
  {
    const VwCodeList *residences = vw_codebook_get_code_list (vw_codebook_get_core (), "residence");
    g_autofree char *since = g_strdup_printf (_("%s, since %s"),
                                              vw_code_get_label (vw_code_list_lookup (residences, "mo"), v->language),
                                              "2022-06");
    g_autofree char *title = g_strdup_printf (_("Last time (%s)"), "T0");

    g_assert_true (has_label (v->followup_panel, title));
    g_assert_true (has_label (v->followup_panel, since));
    g_assert_true (has_label (v->followup_panel, "Slaapt slecht door het lawaai."));
    g_assert_true (has_label (v->followup_panel, _("Not answered"))); /* participation */
  }
  g_assert_null (vw_interview_view_get_question_widget (v, "stays_last_five_years"));
  g_assert_nonnull (vw_interview_view_get_question_widget (v, "stays_since_last_round"));
  g_assert_null (vw_interview_view_get_question_widget (v, "birth_year"));
  vw_test_start_interview (&t);
  g_assert_cmpstr (vw_interview_view_get_interview_id (v), !=, interview);

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

  g_test_add_func ("/interview/flow", test_interview_flow);

  return g_test_run ();
}
