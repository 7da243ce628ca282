/* Display test: a duo submits through the submit dialog; the coordinator
 * merges the written file with the core and has the records, and the
 * bundle's plaintext holds no name or contact detail. "Only what is new"
 * after a first submission carries only the new answers, and a failed
 * save changes nothing. Runs once per interface language (LANGUAGE=en, nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-submit-dialog.h"
#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

static gboolean
is_dutch (void)
{
  return g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0;
}

static gpointer
child (VwSubmitDialog *dialog,
       const char     *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (dialog), VW_TYPE_SUBMIT_DIALOG, name);
}

static const char *
count (VwSubmitDialog *dialog,
       const char     *name)
{
  return gtk_label_get_label (child (dialog, name));
}

static void
count_submitted (VwSubmitDialog *dialog,
                 guint          *submitted)
{
  (*submitted)++;
}

/* Saves through the dialog as the chooser's response does, and waits for
 * the worker; returns the result row. */
static AdwActionRow *
save (VwSubmitDialog *dialog,
      const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *spinner = child (dialog, "spinner");
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  vw_submit_dialog_save_to (dialog, file);
  g_assert_true (gtk_widget_get_visible (spinner));
  while (gtk_widget_get_visible (spinner) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_widget_get_visible (child (dialog, "result_list")));
  return child (dialog, "result_row");
}

/* The decrypted rows of a submission, as the coordinator reads them. */
static char *
plaintext (VwVault    *coord,
           const char *study,
           const char *path,
           char      **bundle_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwBundle) bundle = vw_study_open_bundle (coord, path, VW_BUNDLE_KIND_SUBMISSION, study, &error);
  g_autoptr(GBytes) content = NULL;

  g_assert_no_error (error);
  content = vw_bundle_load_content (bundle, 64 * 1024 * 1024, &error);
  g_assert_no_error (error);
  *bundle_id = g_strdup (vw_bundle_get_id (bundle));
  return g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
}

static void
merge (VwVault    *coord,
       const char *study,
       const char *path)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };
  g_autoptr(VwMergeReport) report = vw_exchange_merge (coord, study, paths, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (report->bundles, ==, 1);
}

static char *
interview_id (VwVault    *vault,
              const char *study,
              const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = vw_vault_find_interview (vault, study, code, "T0", &error);

  g_assert_no_error (error);
  return g_strdup (iv->id);
}

static void
test_submit (void)
{
  VwTestDuos w = { 0 };
  const char *answers_tom[] = { "residence", "mo", "participation", "dagbesteding", "debts", "ja", NULL };
  const char *answers_anna[] = { "residence", "bw", "participation", "geen", NULL };
  const char *never[] = { "MARKER-phone", "MARKER-place", "MARKER-care", "MARKER-name", "MARKER-remarks" };
  g_autofree char *tom = NULL, *anna = NULL, *iv_tom = NULL, *iv_anna = NULL;
  g_autofree char *first = NULL, *second = NULL, *bad = NULL;
  g_autofree char *text = NULL, *id = NULL, *text2 = NULL, *id2 = NULL, *expected = NULL;
  g_autofree char *dump_before = NULL, *dump_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSubmissionSummary) before = NULL, after = NULL;
  VwSubmitDialog *dialog;
  AdwActionRow *result;
  guint submitted = 0;

  vw_test_duos_init (&w);
  tom = vw_test_duos_interview (w.duo1, w.study, "Tom", answers_tom);
  vw_test_duos_set_contact (w.duo1, w.study, tom, "MARKER");
  vw_vault_set_linkage_identity (w.duo1, w.study, tom, "MARKER-name", "1971-04-02", &error);
  g_assert_no_error (error);
  iv_tom = interview_id (w.duo1, w.study, tom);

  dialog = vw_submit_dialog_new (NULL, w.duo1, w.study);
  g_signal_connect (dialog, "submitted", G_CALLBACK (count_submitted), &submitted);
  gtk_window_present (GTK_WINDOW (dialog));

  /* What will be sent, before anything was sent. */
  g_assert_cmpstr (count (dialog, "participants_label"), ==, "1");
  g_assert_cmpstr (count (dialog, "interviews_label"), ==, "1");
  g_assert_cmpstr (count (dialog, "answers_label"), ==, "3");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (dialog, "last_row")), ==,
                   is_dutch () ? "Nooit: de eerste inzending bevat alles"
                               : "Never: the first submission holds everything");
  {
    g_autofree char *name = vw_submit_dialog_suggest_name (dialog);
    g_assert_true (g_str_has_prefix (name, "veldwerk-submission-duo-noord-"));
    g_assert_true (g_str_has_suffix (name, ".age"));
  }

  /* Rows changed in the second of a submission go again in the next
   * one (merges are idempotent): let that second pass. */
  g_usleep (1100 * 1000);

  /* The first submission, through the dialog. */
  first = g_build_filename (w.dir, "first.age", NULL);
  result = save (dialog, first);
  text = plaintext (w.coord, w.study, first, &id);
  expected = g_strdup_printf (is_dutch () ? "Bundel %s" : "Bundle %s", id);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==,
                   is_dutch () ? "first.age opgeslagen" : "Saved first.age");
  g_assert_cmpstr (adw_action_row_get_subtitle (result), ==, expected);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (result), "error"));
  g_assert_cmpuint (submitted, ==, 1);

  /* Names and contact details never leave the laptop; the records do. */
  for (guint i = 0; i < G_N_ELEMENTS (never); i++)
    g_assert_null (strstr (text, never[i]));
  g_assert_nonnull (strstr (text, "\tTom\t"));
  /* The counts shown are what went. */
  g_assert_cmpuint (vw_test_count_lines (text, "P\t"), ==, 1);
  g_assert_cmpuint (vw_test_count_lines (text, "I\t"), ==, 1);
  g_assert_cmpuint (vw_test_count_lines (text, "A\t"), ==, 3);
  merge (w.coord, w.study, first);

  /* After the submission: nothing new but the participants and interviews. */
  g_assert_cmpstr (count (dialog, "answers_label"), ==, "0");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (dialog, "last_row")), !=,
                   is_dutch () ? "Nooit: de eerste inzending bevat alles"
                               : "Never: the first submission holds everything");

  /* A new interview; only it goes in the next submission. */
  anna = vw_test_duos_interview (w.duo1, w.study, "Anna", answers_anna);
  iv_anna = interview_id (w.duo1, w.study, anna);
  g_object_set (dialog, "scope", "everything", NULL);
  g_assert_cmpstr (count (dialog, "answers_label"), ==, "5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "submit.scope", "s", "new"));
  g_assert_cmpstr (count (dialog, "participants_label"), ==, "2");
  g_assert_cmpstr (count (dialog, "answers_label"), ==, "2");

  /* A failed save (no such folder) says why and changes nothing. */
  before = vw_exchange_submission_summary (w.duo1, w.study, FALSE, &error);
  g_assert_no_error (error);
  dump_before = vw_exchange_canonical_dump (w.duo1, w.study, &error);
  g_assert_no_error (error);
  bad = g_build_filename (w.dir, "missing", "bad.age", NULL);
  result = save (dialog, bad);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==,
                   is_dutch () ? "Er is niets opgeslagen" : "Nothing was saved");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (result), "missing"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (result), "error"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (submitted, ==, 1);
  {
    g_autoptr(VwVault) reopened = vw_test_duos_reopen (w.duo1);
    after = vw_exchange_submission_summary (reopened, w.study, FALSE, &error);
    g_assert_no_error (error);
    dump_after = vw_exchange_canonical_dump (reopened, w.study, &error);
    g_assert_no_error (error);
    vw_vault_close (reopened, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (after->last_submission, ==, before->last_submission);
  g_assert_cmpuint (after->answers, ==, before->answers);
  g_assert_cmpstr (dump_after, ==, dump_before);

  /* Only what is new: Anna's answers, none of Tom's. */
  second = g_build_filename (w.dir, "second.age", NULL);
  result = save (dialog, second);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (result), "error"));
  text2 = plaintext (w.coord, w.study, second, &id2);
  g_assert_cmpstr (id2, !=, id);
  {
    g_autofree char *tom_answer = g_strdup_printf ("A\t%s\t", iv_tom);
    g_autofree char *anna_answer = g_strdup_printf ("A\t%s\t", iv_anna);
    g_assert_cmpuint (vw_test_count_lines (text2, tom_answer), ==, 0);
    g_assert_cmpuint (vw_test_count_lines (text2, anna_answer), ==, 2);
    g_assert_cmpuint (vw_test_count_lines (text2, "A\t"), ==, 2);
    g_assert_cmpuint (vw_test_count_lines (text2, "P\t"), ==, 2);
    g_assert_cmpuint (vw_test_count_lines (text2, "I\t"), ==, 2);
  }
  merge (w.coord, w.study, second);
  vw_test_destroy_window (dialog);

  /* The coordinator's vault, reopened, has both participants and answers. */
  {
    g_autoptr(VwVault) coord = vw_test_duos_reopen (w.coord);
    g_autoptr(VwParticipant) p = vw_vault_get_participant (coord, w.study, anna, &error);
    g_autofree char *answer = NULL;
    g_autoptr(VwContact) contact = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (p->pseudonym, ==, "Anna");
    answer = vw_vault_get_answer (coord, iv_tom, "participation", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (answer, ==, "dagbesteding");
    g_clear_pointer (&answer, g_free);
    answer = vw_vault_get_answer (coord, iv_anna, "residence", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (answer, ==, "bw");
    contact = vw_vault_get_contact (coord, w.study, tom, &error);
    g_assert_no_error (error);
    g_assert_null (contact);
    vw_vault_close (coord, &error);
    g_assert_no_error (error);
  }
  vw_test_duos_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  adw_init ();
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/submit-dialog/submit", test_submit);
  return g_test_run ();
}
