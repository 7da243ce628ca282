/* The retention table (report retention) on a records set with figures
 * worked out by hand (tests/records/retention/README.md), the sum of its
 * categories on every row, the attempts count in rounds.csv (refused when
 * invalid, kept through the vault), with real files and a real vault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-core.h"
#include "vw-tables-private.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

/* The count columns of the table, as the CSV names them. */
enum { ELIGIBLE, INTERVIEWED, UNREACHABLE, ATTEMPTS_RECORDED, MEDIAN, DECLINED, DECEASED, WITHDRAWN, OTHER };

static char *
records_dir (const char *name)
{
  return g_build_filename (g_getenv ("VELDWERK_SOURCE_DIR"), "tests", "records", name, NULL);
}

static VwTable *
retention (VwRecords *records)
{
  g_autoptr(GError) error = NULL;
  VwTable *table = vw_table_build ("retention", records, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* The real binary prints exactly the CSV worked out by hand. */
static void
test_retention_known_figures (void)
{
  g_autofree char *dir = records_dir ("retention");
  g_autofree char *expected_path = g_build_filename (dir, "expected-retention.csv", NULL);
  g_autofree char *expected = NULL, *out = NULL, *err = NULL;
  int status;

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  status = vw_test_run_cli (NULL, &out, &err, "report", "retention", "--records", dir, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

/* The text form for people: n (%) of the row's eligible, the median with
 * a decimal comma in Dutch, the note that states the denominator. */
static void
test_retention_text (void)
{
  g_autofree char *dir = records_dir ("retention");
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LANGUAGE", "nl", TRUE);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  status = vw_test_run_cli ((const char * const *) env, &out, &err, "report", "retention", "--records", dir,
                            "--format", "text", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "Behoud per meting: het cohort van de eerdere metingen\n\n"));
  g_assert_nonnull (strstr (out, "\nT1                 10       2 (20%)        4 (40%)               3,5        1 (10%)    "
                                 "1 (10%)                  1 (10%)  1 (10%)\n"));
  g_assert_nonnull (strstr (out, "\nT2                  8       3 (38%)        2 (25%)                 5        1 (13%)     "
                                 "0 (0%)                   0 (0%)  2 (25%)\n"));
  g_assert_nonnull (strstr (out, "In aanmerking: deelnemers die in een eerdere meting geïnterviewd zijn"));
}

static void
assert_sums (VwTable *table)
{
  for (guint r = 0; r < vw_table_get_n_rows (table); r++)
    {
      gint64 parts = 0;

      for (guint c = INTERVIEWED; c <= OTHER; c++)
        if (c != ATTEMPTS_RECORDED && c != MEDIAN)
          parts += vw_table_get_count (table, r, c);
      g_assert_cmpint (parts, ==, vw_table_get_count (table, r, ELIGIBLE));
      g_assert_cmpint (vw_table_get_count (table, r, ATTEMPTS_RECORDED), <=,
                       vw_table_get_count (table, r, UNREACHABLE));
    }
}

/* Every participant in exactly one category: the categories sum to the
 * eligible on every row, in the hand-made set and in the published ones. */
static void
test_retention_sums (void)
{
  const char *names[] = { "retention", "denhaag", "flevoland" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = records_dir (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VwRecords) records = vw_records_load_dir (dir, NULL, &error);
      g_autoptr(VwTable) table = NULL;
      guint n_rounds;

      g_assert_no_error (error);
      table = retention (records);
      vw_records_get_round_numbers (records, &n_rounds);
      /* Every round but the first, which has no earlier cohort. */
      g_assert_cmpuint (vw_table_get_n_rows (table), ==, n_rounds - 1);
      g_assert_cmpint (vw_table_get_count (table, 0, ELIGIBLE), >, 0);
      assert_sums (table);
    }
}

/* The sum check refuses a table whose categories do not add up, so a
 * counting defect never reaches a report. */
static void
test_retention_sum_check (void)
{
  g_autofree char *dir = records_dir ("retention");
  g_autoptr(VwRecords) records = vw_records_load_dir (dir, NULL, NULL);
  g_autoptr(VwTable) table = retention (records);
  g_autoptr(GError) error = NULL;

  g_array_index (table->rows, VwTableRow, 1).counts[OTHER]++;
  g_assert_false (vw_table_check (table, &error));
  g_assert_error (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INTERNAL);
  g_assert_cmpstr (error->message, ==, "Internal error in the table retention: the counts of the row “T2” "
                                       "add up to 9, but eligible is 8; please report this");
}

/* The median of an odd and of an even number of values, and none. */
static void
test_retention_median (void)
{
  static const char *participants = "code,pseudonym,region\nDH-00001,A,DH\nDH-00002,B,DH\nDH-00003,C,DH\n";
  static const struct { const char *attempts[3]; const char *median; } cases[] = {
    { { "2", "9", "4" }, "4" },
    { { "2", "", "5" }, "3.5" },
    { { "0", "", "" }, "0" },
    { { "", "", "" }, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *rounds = g_strdup_printf ("code,round,status,date,attempts\n"
                                                 "DH-00001,T0,interviewed,2024-01-02,\n"
                                                 "DH-00002,T0,interviewed,2024-01-02,\n"
                                                 "DH-00003,T0,interviewed,2024-01-02,\n"
                                                 "DH-00001,T1,unreachable,,%s\n"
                                                 "DH-00002,T1,unreachable,,%s\n"
                                                 "DH-00003,T1,unreachable,,%s\n",
                                                 cases[i].attempts[0], cases[i].attempts[1], cases[i].attempts[2]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VwRecords) records = vw_records_new_from_csv (participants, rounds, NULL, NULL, &error);
      g_autoptr(VwTable) table = NULL;
      g_autofree char *csv = NULL;
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) fields = NULL;

      g_assert_no_error (error);
      table = retention (records);
      csv = vw_table_to_csv (table);
      lines = g_strsplit (csv, "\n", -1);
      fields = g_strsplit (lines[1], ",", -1);
      g_assert_cmpstr (fields[0], ==, "T1");
      g_assert_cmpstr (fields[1], ==, "3");
      g_assert_cmpstr (fields[5], ==, "100"); /* unreachable_percent */
      g_assert_cmpstr (fields[7], ==, cases[i].median);
    }
}

/* An invalid count is refused with file, line and column, and nothing is
 * read from the folder. */
static void
test_retention_invalid_attempts (void)
{
  static const char *bad[] = { "three", "-1", "100", "07", " 3", "3.0" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("retention-XXXXXX", &error);
  g_autofree char *p = g_build_filename (dir, "participants.csv", NULL);
  g_autofree char *r = g_build_filename (dir, "rounds.csv", NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (p, "code,pseudonym,region\nDH-7K3QM,Tom,DH\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *rounds = g_strdup_printf ("code,round,status,attempts\nDH-7K3QM,T0,declined,99\n"
                                                 "DH-7K3QM,T1,unreachable,\"%s\"\n", bad[i]);
      g_autofree char *shown = vw_validate_show (bad[i]);
      g_autofree char *expected = g_strdup_printf ("rounds.csv:3:4: attempts: “%s” is not a whole number "
                                                   "from 0 to 99\n", shown);
      g_autofree char *out = NULL, *err = NULL;
      int status;

      g_assert_true (g_file_set_contents (r, rounds, -1, NULL));
      status = vw_test_run_cli (NULL, &out, &err, "records", "check", dir, NULL);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, expected);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      status = vw_test_run_cli (NULL, &out, &err, "report", "retention", "--records", dir, NULL);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
    }
  vw_test_rm_rf (dir);
}

/* Import into a vault and export again: every count comes back, and the
 * vault's records give the same table. */
static void
test_retention_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *src = records_dir ("retention");
  g_autofree char *tmp = g_dir_make_tmp ("retention-vault-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "test.vault", NULL);
  g_autofree char *out_dir = g_build_filename (tmp, "exported", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwRecords) original = NULL, exported = NULL, loaded = NULL;
  g_autoptr(VwTable) before = NULL, after = NULL;
  g_autofree char *csv_before = NULL, *csv_after = NULL, *rounds_before = NULL, *rounds_after = NULL;
  const VwRoundRecord *rows;
  guint n_rows, with_count = 0;

  g_assert_no_error (error);
  vault = vw_test_create_vault (path, &study, NULL);
  g_assert_true (vw_vault_import_records_dir (vault, study, src, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vw_vault_export_records (vault, study, out_dir, &error));
  g_assert_no_error (error);
  loaded = vw_vault_load_records (vault, study, &error);
  g_assert_no_error (error);
  vw_vault_close (vault, NULL);

  original = vw_records_load_dir (src, NULL, &error);
  g_assert_no_error (error);
  exported = vw_records_load_dir (out_dir, NULL, &error);
  g_assert_no_error (error);

  rows = vw_records_get_rounds (exported, &n_rows);
  for (guint i = 0; i < n_rows; i++)
    with_count += rows[i].attempts >= 0;
  g_assert_cmpuint (with_count, ==, 9);
  rounds_before = vw_records_format_csv (original, VW_RECORDS_ROUNDS);
  rounds_after = vw_records_format_csv (exported, VW_RECORDS_ROUNDS);
  g_assert_cmpstr (rounds_after, ==, rounds_before);

  before = retention (original);
  after = retention (loaded);
  csv_before = vw_table_to_csv (before);
  csv_after = vw_table_to_csv (after);
  g_assert_cmpstr (csv_after, ==, csv_before);

  vw_test_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/retention/known-figures", test_retention_known_figures);
  g_test_add_func ("/retention/text", test_retention_text);
  g_test_add_func ("/retention/sums", test_retention_sums);
  g_test_add_func ("/retention/sum-check", test_retention_sum_check);
  g_test_add_func ("/retention/median", test_retention_median);
  g_test_add_func ("/retention/invalid-attempts", test_retention_invalid_attempts);
  g_test_add_func ("/retention/round-trip", test_retention_round_trip);

  return g_test_run ();
}
