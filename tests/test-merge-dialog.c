/* Display test: the merge dialog merges a real signed submission into a
 * real coordinator vault, off the main thread, and lists the report.
 * Runs once per interface language (LANGUAGE=en, nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vw-merge-dialog.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

#define PASSPHRASE "correct horse battery staple"

static gboolean
is_dutch (void)
{
  return g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
count_merged (VwMergeDialog *dialog,
              guint         *merged)
{
  (*merged)++;
}

static void
test_merge_dialog (void)
{
  guint merged = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-merge-dialog-XXXXXX", &error);
  g_autofree char *vault_path = g_build_filename (dir, "coordinator.vault", NULL);
  g_autofree char *bundle_path = g_build_filename (dir, "duo.submission", NULL);
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) PASSPHRASE, strlen (PASSPHRASE));
  g_autoptr(VwSecret) recovery = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *device = NULL;
  VwVaultCreateOptions options = { 0 };
  VwMergeDialog *dialog;
  const char *study;
  GtkWidget *first;
  guint8 signer[32], x[32] = { 7 };
  gint64 deadline;

  g_assert_no_error (error);
  options.study_name = "Den Haag";
  options.study_region = "DH";
  options.study_role = VW_STUDY_ROLE_COORDINATOR;
  vault = vw_vault_create (vault_path, passphrase, &options, &recovery, NULL, &error);
  g_assert_no_error (error);
  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  study = ((VwStudy *) g_ptr_array_index (studies, 0))->id;

  /* An enrolled duo's submission: one participant with an answer. */
  signing = vw_bundle_signing_key_generate (signer);
  device = vw_vault_add_device (vault, study, "duo", x, signer, TRUE, &error);
  g_assert_no_error (error);
  recipient = vw_vault_get_age_recipient (vault, &error);
  g_assert_no_error (error);
  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient, &error));
  g_assert_no_error (error);
  rows = g_strdup_printf ("%s\tsubmission\t%s\n"
                          "S\tabc\n"
                          "P\tDH-AB12C\tTom\tDH\t\\N\t2026-01-10T10:00:00Z\t2026-01-10T10:00:00Z\t1\n"
                          "I\tiv1\tDH-AB12C\tT0\t\\N\t\\N\t\\N\tinterviewed\t2026-02-03\t\\N\tfinished\t\\N\t\\N\t"
                          "2026-02-03T10:00:00Z\t2026-02-03T11:00:00Z\t2\n"
                          "A\tiv1\tresidence\tmo\t1\t2026-02-03T10:30:00Z\tabc\n",
                          VW_EXCHANGE_ROWS_MAGIC, study);
  content = g_bytes_new (rows, strlen (rows));
  vw_bundle_write_bytes (bundle_path, VW_BUNDLE_KIND_SUBMISSION, study, signing, recipients, content, NULL, NULL,
                         &error);
  g_assert_no_error (error);

  dialog = vw_merge_dialog_new (NULL, vault, study);
  g_signal_connect (dialog, "merged", G_CALLBACK (count_merged), &merged);
  gtk_window_present (GTK_WINDOW (dialog));
  file = g_file_new_for_path (bundle_path);
  vw_merge_dialog_add_file (dialog, file);
  vw_merge_dialog_add_file (dialog, file); /* the same file once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.run", NULL));

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (count_rows (vw_merge_dialog_get_report (dialog)) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  first = gtk_widget_get_first_child (GTK_WIDGET (vw_merge_dialog_get_report (dialog)));
  g_assert_nonnull (first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                   is_dutch () ? "1 bestand samengevoegd" : "Merged 1 file");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)), ==,
                   is_dutch () ? "3 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 0 nieuwe conflicten"
                               : "3 added, 0 updated, 0 unchanged, 0 new conflicts");

  /* The window reloads its pages on "merged": once per successful merge. */
  g_assert_cmpuint (merged, ==, 1);

  /* The vault on this thread sees what the worker merged. */
  {
    g_autoptr(VwParticipant) p = vw_vault_get_participant (vault, study, "DH-AB12C", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (p->pseudonym, ==, "Tom");
  }

  vw_test_destroy_window (dialog);
  vw_vault_close (vault, &error);
  g_assert_no_error (error);
  vw_test_rm_rf (dir);
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

  g_test_add_func ("/merge-dialog/merge", test_merge_dialog);
  return g_test_run ();
}
