/* veldwerk-cli records check, report and trajectory: the real binary on
 * real files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-core.h"
#include "vw-test-util.h"

static char *
study_dir (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "records", name, NULL);
}

static void
test_records_check (void)
{
  g_autofree char *dir = study_dir ("denhaag");
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  g_autoptr(VwRecords) records = vw_records_load_dir (dir, NULL, NULL);
  guint n_p, n_r, n_e;
  int status;

  vw_records_get_participants (records, &n_p);
  vw_records_get_rounds (records, &n_r);
  vw_records_get_episodes (records, &n_e);
  expected = g_strdup_printf ("No problems: %u participants, %u rows in rounds.csv, %u episodes.\n", n_p, n_r, n_e);

  status = vw_test_run_cli (NULL, &out, &err, "records", "check", dir, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "");
}

static char *
write_bad_records (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bad-records-XXXXXX", &error);
  g_autofree char *p = g_build_filename (dir, "participants.csv", NULL);
  g_autofree char *r = g_build_filename (dir, "rounds.csv", NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (p, "code,pseudonym,region,shoe_size\nDH-7K3QM,Tom,DH,44\n", -1, NULL));
  g_assert_true (g_file_set_contents (r, "code,round,status\nDH-7K3QM,T0,interviewd\nDH-AB123,T0,declined\n",
                                      -1, NULL));
  return dir;
}

/* Every problem on standard output as FILE:LINE:COLUMN: message; one
 * line on standard error. */
static void
test_records_check_problems (void)
{
  g_autofree char *dir = write_bad_records ();
  g_autofree char *out = NULL, *err = NULL;
  int status;

  status = vw_test_run_cli (NULL, &out, &err, "records", "check", dir, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==,
                   "participants.csv:1:4: unknown column “shoe_size”; the columns of participants.csv are: "
                   "code, pseudonym, region, municipality, origin, birth_year, hist_street, "
                   "hist_youthcare_placement, hist_unsafe_home, hist_remigration\n"
                   "rounds.csv:2:3: status: unknown code “interviewd”; the codes are: "
                   "interviewed, declined, unreachable, deceased, admitted, withdrawn, not_approached\n"
                   "rounds.csv:3:1: participant DH-AB123 is not in participants.csv\n");
  g_assert_cmpstr (err, ==,
                   "veldwerk-cli: participants.csv:1:4: unknown column “shoe_size”; the columns of "
                   "participants.csv are: code, pseudonym, region, municipality, origin, birth_year, "
                   "hist_street, hist_youthcare_placement, hist_unsafe_home, hist_remigration "
                   "(and 2 more problems)\n");

  /* The other commands refuse the same folder in one line, with a hint. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = vw_test_run_cli (NULL, &out, &err, "report", "attendance", "--records", dir, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "(and 2 more problems); run “veldwerk-cli records check "));
  g_assert_true (g_str_has_suffix (err, "” to see every problem\n"));
  g_assert_null (strchr (err, '\n') + 1 == err + strlen (err) ? NULL : "more than one line");
  vw_test_rm_rf (dir);
}

static void
test_report (void)
{
  g_autofree char *dir = study_dir ("flevoland");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(VwRecords) records = vw_records_load_dir (dir, NULL, NULL);
  int status;

  status = vw_test_run_cli (NULL, &out, &err, "report", "attendance", "--records", dir, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "round,interviews,new,returning\nT0,33,33,0\nT1,46,25,21\ntotal,79,58,\n");
  g_assert_cmpstr (err, ==, "");

  /* Every table and format prints what the core builds. */
  for (const char * const *name = vw_table_get_names (); *name != NULL; name++)
    for (guint f = 0; f < 2; f++)
      {
        g_autoptr(VwTable) table = NULL;
        g_autofree char *expected = NULL;
        VwTableOptions options = { .has_round = TRUE, .round = 0, .rules = VW_RULE_SET_FL4 };

        g_clear_pointer (&out, g_free);
        status = vw_test_run_cli (NULL, &out, NULL, "report", *name, "--records", dir, "--round", "T0",
                                  "--rules", "fl4", "--format", f ? "text" : "csv", NULL);
        g_assert_cmpint (status, ==, 0);
        table = vw_table_build (*name, records, &options, NULL);
        expected = f ? vw_table_to_text (table) : vw_table_to_csv (table);
        g_assert_cmpstr (out, ==, expected);
      }
}

/* The text table in Dutch: labels from the translation and the
 * codebook, n (%) and the line with the denominator. */
static void
test_report_dutch (void)
{
  g_autofree char *dir = study_dir ("flevoland");
  g_autofree char *out = NULL;
  const char *env[] = { "LANGUAGE=nl", "LC_ALL=C.UTF-8", NULL };
  int status;

  status = vw_test_run_cli (env, &out, NULL, "report", "participation", "--records", dir, "--format", "text", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "Dagbesteding bij het laatste interview\n"));
  g_assert_nonnull (strstr (out, "Werk (betaald, beschut, opleiding, werkzoekend)"));
  g_assert_nonnull (strstr (out, "Noemer: 58 deelnemers met minstens één interview"));

  g_clear_pointer (&out, g_free);
  status = vw_test_run_cli (env, &out, NULL, "report", "attendance", "--records", dir, "--format", "text", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\nTotaal "));
}

static void
test_trajectory (void)
{
  g_autofree char *dir = study_dir ("denhaag");
  g_autoptr(VwRecords) records = vw_records_load_dir (dir, NULL, NULL);
  g_autoptr(VwClassification) classification = vw_classification_new (records, VW_RULE_SET_FL4, NULL);
  guint n;
  const VwRecordParticipant *p = vw_records_get_participants (records, &n);
  g_autoptr(VwTrajectory) trajectory = vw_classification_explain (classification, p[3].code, NULL);
  g_autofree char *expected = vw_trajectory_to_string (trajectory);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  status = vw_test_run_cli (NULL, &out, &err, "trajectory", p[3].code, "--records", dir, "--rules", "fl4", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = vw_test_run_cli (NULL, &out, &err, "trajectory", "DH-00000", "--records", dir, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (err, ==, "veldwerk-cli: no participant has the code DH-00000\n");
}

static void
expect_exit (int         expected_status,
             const char *expected_err,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status;

  va_start (args, expected_err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  status = vw_test_run_cliv (NULL, NULL, NULL, &err, (const char * const *) argv->pdata);
  g_assert_cmpint (status, ==, expected_status);
  if (!g_str_has_prefix (err, expected_err))
    g_error ("expected standard error to start with “%s”, got “%s”", expected_err, err);
}

static void
test_usage (void)
{
  g_autofree char *dir = study_dir ("flevoland");

  expect_exit (2, "veldwerk-cli report: unknown table “tables”; the tables are: attendance, rounds_attended",
               "report", "tables", "--records", dir, NULL);
  expect_exit (2, "veldwerk-cli report: unknown rule set “dh4”", "report", "trajectories", "--rules", "dh4",
               "--records", dir, NULL);
  expect_exit (2, "veldwerk-cli report: a round is written T0, T1, T2, …", "report", "rounds_attended",
               "--round", "1", "--records", dir, NULL);
  expect_exit (2, "veldwerk-cli report: the format is csv or text", "report", "attendance", "--format", "xml",
               "--records", dir, NULL);
  expect_exit (2, "veldwerk-cli report: give one table name", "report", "--records", dir, NULL);
  expect_exit (2, "veldwerk-cli trajectory: give one participant code", "trajectory", "--records", dir, NULL);
  expect_exit (2, "veldwerk-cli records: use “records check DIR”", "records", "show", dir, NULL);
  expect_exit (1, "veldwerk-cli: No records to read: there is no vault at ",
               "report", "attendance", NULL);
  expect_exit (1, "veldwerk-cli: the records have no round T9; their rounds are: T0, T1\n",
               "report", "rounds_attended", "--round", "T9", "--records", dir, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/records-cli/check", test_records_check);
  g_test_add_func ("/records-cli/check-problems", test_records_check_problems);
  g_test_add_func ("/records-cli/report", test_report);
  g_test_add_func ("/records-cli/report-dutch", test_report_dutch);
  g_test_add_func ("/records-cli/trajectory", test_trajectory);
  g_test_add_func ("/records-cli/usage", test_usage);

  return g_test_run ();
}
