/* Crash test: the interview view in a child process that prints a line
 * each time a save indicator shows "Saved"; the parent kills it with
 * SIGKILL in the middle of the interview, reopens the vault and finds
 * every answer the child reported as saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "vw-interview-view-private.h"
#include "vw-question-widget.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

/* How many "saved" lines the parent reads before it kills the child. */
#define KILL_AFTER 9

static const char *const answers[][2] = {
  { "birth_year", "1981" },
  { "municipality", "Leiden" },
  { "origin", "regiogemeente" },
  { "hist_street", "ja" },
  { "hist_youthcare_placement", "nee" },
  { "life_story", "Na de scheiding kon ik nergens heen." },
  { "residence", "bw" },
  { "residence_since", "2023-02" },
  { "residence_experience", "Rustig, eindelijk een eigen kamer." },
  { "support_receives", "ja" },
  { "support_from", "[\"woonbegeleider\",\"huisarts\"]" },
  { "support_grade", "8" },
  { "participation", "vrijwilligerswerk" },
  { "income", "uitkering" },
  { "debts", "ja" },
  { "money_management", "bewindvoering" },
  { "network_size", "4" },
  { "future_grade", "6" },
  { "closing_remarks", "Fijn dat jullie luisterden." },
};

static void
on_saved (VwQuestionWidget *widget,
          gboolean          note,
          const char       *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *quoted = json_to_string (node, FALSE);

  if (note)
    return;
  /* Only after the vault call returned TRUE does the widget emit this. */
  g_print ("saved %s %s\n", vw_question_get_id (vw_question_widget_get_question (widget)), quoted);
  fflush (stdout);
}

static int
run_child (const char *path)
{
  VwTestInterview t = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) interviewers = NULL;
  GHashTableIter iter;
  gpointer widget;

  g_assert_true (vw_core_init (NULL));
  gtk_init ();
  t.vault = vw_test_open_vault (path);
  studies = vw_vault_list_studies (t.vault, &error);
  g_assert_no_error (error);
  t.study = g_strdup (((VwStudy *) g_ptr_array_index (studies, 0))->id);
  participants = vw_vault_list_participants (t.vault, t.study, &error);
  g_assert_no_error (error);
  t.code = g_strdup (((VwParticipant *) g_ptr_array_index (participants, 0))->code);
  interviewers = vw_vault_list_interviewers (t.vault, &error);
  g_assert_no_error (error);
  t.sam = g_strdup (((VwInterviewer *) g_ptr_array_index (interviewers, 0))->id);

  vw_test_interview_open (&t, "T0");
  vw_test_start_interview (&t);
  g_print ("started %s\n", vw_interview_view_get_interview_id (t.view));
  fflush (stdout);
  g_hash_table_iter_init (&iter, t.view->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &widget))
    g_signal_connect (widget, "saved", G_CALLBACK (on_saved), NULL);

  /* Answer as a duo would, some faster than the typing delay, so that
   * saves are pending when the parent kills this process. */
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      const VwQuestion *q = vw_questionnaire_lookup_question (t.view->questionnaire, answers[i][0]);

      vw_interview_view_show_module (t.view, vw_module_get_id (vw_question_get_module (q)));
      vw_test_answer (&t, answers[i][0], answers[i][1]);
      vw_test_iterate (i % 3 == 0 ? 100 : VW_QUESTION_SAVE_DELAY + 150);
    }
  /* Wait to be killed. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static void
test_interview_crash (void)
{
  VwTestInterview t;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *interview = NULL;
  guint n_saved = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_no_error (error);
  vw_test_interview_init (&t);
  g_assert_true (vw_vault_close (t.vault, &error));
  g_assert_no_error (error);
  g_clear_object (&t.vault);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--child", t.path, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  while (n_saved < KILL_AFTER)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      g_auto(GStrv) parts = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (line); /* the child ended before it was killed */
      g_test_message ("child: %s", line);
      parts = g_strsplit (line, " ", 3);
      if (g_str_equal (parts[0], "started"))
        interview = g_strdup (parts[1]);
      else if (g_str_equal (parts[0], "saved"))
        {
          g_autoptr(JsonNode) node = json_from_string (parts[2], &error);

          g_assert_no_error (error);
          g_hash_table_insert (reported, g_strdup (parts[1]), g_strdup (json_node_get_string (node)));
          n_saved++;
        }
    }
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* Every answer reported as saved is in the reopened vault. */
  vault = vw_test_open_vault (t.path);
  g_assert_nonnull (interview);
  iv = vw_vault_get_interview (vault, interview, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_IN_PROGRESS);
  g_assert_cmpuint (g_hash_table_size (reported), ==, KILL_AFTER);
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *stored = vw_vault_get_answer (vault, interview, key, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, value);
    }
  {
    /* The participant's own values were saved with their answers. */
    g_autofree char *year = vw_vault_get_participant_value (vault, t.study, t.code, "birth_year", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (year, ==, g_hash_table_lookup (reported, "birth_year"));
  }
  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);

  vw_test_interview_clear (&t);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--child"))
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
      textdomain (GETTEXT_PACKAGE);
      return run_child (argv[2]);
    }

  vw_test_init_display (&argc, &argv);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/interview/crash", test_interview_crash);

  return g_test_run ();
}
