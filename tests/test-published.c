/* Datasets made independently of this code (tests/make-published-records.py)
 * from the figures of the published reports: the tables must give those
 * figures back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "vw-core.h"

static VwRecords *
load_study (const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "records", name, NULL);
  g_autoptr(GError) error = NULL;
  VwRecords *records = vw_records_load_dir (dir, NULL, &error);

  g_assert_no_error (error);
  return records;
}

/* Returns: (transfer full): the table's CSV text */
static char *
table_csv (VwRecords  *records,
           const char *name,
           VwRuleSet   rules)
{
  g_autoptr(VwTable) table = NULL;
  g_autoptr(GError) error = NULL;
  VwTableOptions options = { .rules = rules };

  table = vw_table_build (name, records, &options, &error);
  g_assert_no_error (error);
  return vw_table_to_csv (table);
}

/* The cell in the row whose first field is @key, in the column @column,
 * read back with the CSV reader as any user of the output would. */
static char *
cell (const char *csv,
      const char *key,
      const char *column)
{
  g_autoptr(VwCsvReader) reader = vw_csv_reader_new ("table.csv", csv, strlen (csv));
  g_autoptr(GError) error = NULL;
  int index = -1;

  g_assert_true (vw_csv_reader_next (reader, &error));
  for (guint i = 0; i < vw_csv_reader_get_n_fields (reader); i++)
    if (g_str_equal (vw_csv_reader_get_field (reader, i), column))
      index = i;
  g_assert_cmpint (index, >=, 0);

  while (vw_csv_reader_next (reader, &error))
    if (g_str_equal (vw_csv_reader_get_field (reader, 0), key))
      return g_strdup (vw_csv_reader_get_field (reader, index));
  g_assert_no_error (error);
  g_assert_not_reached ();
}

static void
assert_cell (const char *csv,
             const char *key,
             const char *column,
             const char *expected)
{
  g_autofree char *value = cell (csv, key, column);

  g_assert_cmpstr (value, ==, expected);
}

/* Den Haag, five rounds: 64 participants, 193 interviews (44, 35, 35, 45,
 * 34 per round); of the 34 in the last round, 18 took part in all five
 * rounds and one was new. */
static void
test_published_den_haag (void)
{
  g_autoptr(VwRecords) records = load_study ("denhaag");
  g_autofree char *attendance = table_csv (records, "attendance", VW_RULE_SET_DH3);
  g_autofree char *attended = table_csv (records, "rounds_attended", VW_RULE_SET_DH3);
  g_auto(GStrv) lines = g_strsplit (attended, "\n", -1);

  assert_cell (attendance, "T0", "interviews", "44");
  assert_cell (attendance, "T1", "interviews", "35");
  assert_cell (attendance, "T2", "interviews", "35");
  assert_cell (attendance, "T3", "interviews", "45");
  assert_cell (attendance, "T4", "interviews", "34");
  assert_cell (attendance, "T4", "new", "1");
  assert_cell (attendance, "total", "interviews", "193");
  assert_cell (attendance, "total", "new", "64");

  /* The last round by default: five rows, 1 to 5 rounds. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 5 + 1);
  assert_cell (attended, "1", "n", "1");
  assert_cell (attended, "5", "n", "18");
  {
    guint sum = 0;

    for (guint k = 1; k <= 5; k++)
      {
        g_autofree char *key = g_strdup_printf ("%u", k);
        g_autofree char *n = cell (attended, key, "n");
        sum += atoi (n);
      }
    g_assert_cmpuint (sum, ==, 34);
  }
}

/* Flevoland: 33 interviews at T0, 46 at T1 of which 21 second
 * interviews, 58 unique participants; of the 12 not re-interviewed, 5
 * declined and 7 could not be reached. Every cell is published. */
static void
test_published_flevoland (void)
{
  g_autoptr(VwRecords) records = load_study ("flevoland");
  g_autofree char *attendance = table_csv (records, "attendance", VW_RULE_SET_FL4);
  g_autofree char *attended = table_csv (records, "rounds_attended", VW_RULE_SET_FL4);
  const VwRoundRecord *rounds;
  guint n_rounds, declined = 0, unreachable = 0;

  g_assert_cmpstr (attendance, ==,
                   "round,interviews,new,returning\n"
                   "T0,33,33,0\n"
                   "T1,46,25,21\n"
                   "total,79,58,\n");
  g_assert_cmpstr (attended, ==, "rounds_attended,n\n1,25\n2,21\n");

  rounds = vw_records_get_rounds (records, &n_rounds);
  for (guint i = 0; i < n_rounds; i++)
    if (rounds[i].round == 1)
      {
        declined += g_str_equal (rounds[i].status, "declined");
        unreachable += g_str_equal (rounds[i].status, "unreachable");
      }
  g_assert_cmpuint (declined, ==, 5);
  g_assert_cmpuint (unreachable, ==, 7);
}

/* Every other table builds on these realistic data, with its sums
 * checked, under both rule sets; and the records survive a round trip. */
static void
test_published_all_tables (void)
{
  const char *studies[] = { "denhaag", "flevoland" };

  for (guint s = 0; s < G_N_ELEMENTS (studies); s++)
    {
      g_autoptr(VwRecords) records = load_study (studies[s]);
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("published-XXXXXX", &error);
      g_autoptr(VwRecords) again = NULL;

      for (const char * const *name = vw_table_get_names (); *name != NULL; name++)
        for (VwRuleSet rules = VW_RULE_SET_DH3; rules <= VW_RULE_SET_FL4; rules++)
          {
            g_autofree char *csv = table_csv (records, *name, rules);
            g_assert_nonnull (csv);
          }

      g_assert_true (vw_records_write_dir (records, dir, &error));
      again = vw_records_load_dir (dir, NULL, &error);
      g_assert_no_error (error);
      for (VwRecordsFile f = 0; f < VW_RECORDS_N_FILES; f++)
        {
          g_autofree char *a = vw_records_format_csv (records, f);
          g_autofree char *b = vw_records_format_csv (again, f);
          g_autofree char *path = g_build_filename (dir, vw_records_file_name (f), NULL);

          g_assert_cmpstr (a, ==, b);
          g_unlink (path);
        }
      g_rmdir (dir);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/published/den-haag", test_published_den_haag);
  g_test_add_func ("/published/flevoland", test_published_flevoland);
  g_test_add_func ("/published/all-tables", test_published_all_tables);

  return g_test_run ();
}
