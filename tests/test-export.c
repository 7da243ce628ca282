/* The anonymized export on crafted records: disclosure control worked out
 * by hand, the .sav and .dta read back with ReadStat, the R script run
 * with Rscript, the REFI-QDA project validated against its schema, the
 * redaction of quotes and the refusals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <readstat.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

/* Fifteen participants, all interviewed in 2020 (T0) and most in 2021 (T1):
 *
 *   A  6 x DH centrumgemeente born 1990 (30_44); hist_street ja, but A6 nee
 *   B  5 x DH regiogemeente   born 1960 (45_64); ja
 *   C  2 x DH regiogemeente   born 1995 (lt30);  ja
 *   D  1 x DH centrumgemeente born 1950 (65plus); ja
 *   E  1 x DH (no origin, no birth year)
 *
 * A group is the participants whose released region, origin and age band
 * (and added quasi-identifiers) are identical; a blank is a value of its
 * own. With k = 5 the groups C (2), D (1) and E (1) are too small.
 * Suppressing leaves them out. Generalizing blanks their age band, then
 * their origin: C, D and E then share (DH, -, -), a group of 4, which
 * blanking the region does not make larger, so all four are left out
 * (the outside review's case: a blank that matched anything released
 * them). With hist_street added, A6 (nee) is a group of one as well: A6,
 * C, D lose hist_street, age band and origin and then form (DH, -, -, -)
 * with E, a group of 5, which is released. */
static const char *participants_csv =
  "code,pseudonym,region,municipality,origin,birth_year,hist_street\n"
  "DH-AAAA1,Anna,DH,Teststad,centrumgemeente,1990,ja\n"
  "DH-AAAA2,Bea,DH,Teststad,centrumgemeente,1990,ja\n"
  "DH-AAAA3,Cato,DH,Teststad,centrumgemeente,1990,ja\n"
  "DH-AAAA4,Dora,DH,Teststad,centrumgemeente,1990,ja\n"
  "DH-AAAA5,Eva,DH,Teststad,centrumgemeente,1990,ja\n"
  "DH-AAAA6,Fien,DH,Teststad,centrumgemeente,1990,nee\n"
  "DH-BBBB1,Gert,DH,Dorp,regiogemeente,1960,ja\n"
  "DH-BBBB2,Henk,DH,Dorp,regiogemeente,1960,ja\n"
  "DH-BBBB3,Ivo,DH,Dorp,regiogemeente,1960,ja\n"
  "DH-BBBB4,Jan,DH,Dorp,regiogemeente,1960,ja\n"
  "DH-BBBB5,Kees,DH,Dorp,regiogemeente,1960,ja\n"
  "DH-CCCC1,Mo,DH,Dorp,regiogemeente,1995,ja\n"
  "DH-CCCC2,Noor,DH,Dorp,regiogemeente,1995,ja\n"
  "DH-DDDD1,Otto,DH,Teststad,centrumgemeente,1950,ja\n"
  "DH-EEEE1,Piet,DH,,,,\n";

static char *
rounds_csv (void)
{
  g_autoptr(GString) out = g_string_new ("code,round,status,date,residence,residence_since,participation,debts\n");
  const char *codes[] = { "DH-AAAA1", "DH-AAAA2", "DH-AAAA3", "DH-AAAA4", "DH-AAAA5", "DH-AAAA6",
                          "DH-BBBB1", "DH-BBBB2", "DH-BBBB3", "DH-BBBB4", "DH-BBBB5",
                          "DH-CCCC1", "DH-CCCC2", "DH-DDDD1", "DH-EEEE1" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_string_append_printf (out, "%s,T0,interviewed,2020-03-1%u,mo,2019-11,dagbesteding,ja\n", codes[i], i % 10);
      if (i % 3 == 0)
        g_string_append_printf (out, "%s,T1,declined,,,,,\n", codes[i]);
      else
        g_string_append_printf (out, "%s,T1,interviewed,2021-04-2%u,%s,,%s,nee\n", codes[i], i % 10,
                                i % 2 ? "eigen_woning" : "bw", i % 2 ? "betaald_werk" : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static VwRecords *
crafted_records (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rounds = rounds_csv ();
  VwRecords *records = vw_records_new_from_csv (participants_csv, rounds, "code,start,end,residence\n",
                                                NULL, &error);

  g_assert_no_error (error);
  return records;
}

static VwSecret *
random_key (void)
{
  VwSecret *key = vw_secret_new (32);

  randombytes_buf (vw_secret_data (key), 32);
  return key;
}

static char *
tmp_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("export-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

/* A CSV file as rows of fields, the header first. */
static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(VwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  reader = vw_csv_reader_new (path, data, len);
  while (vw_csv_reader_next (reader, &error))
    {
      GStrv row = g_new0 (char *, vw_csv_reader_get_n_fields (reader) + 1);

      for (guint i = 0; i < vw_csv_reader_get_n_fields (reader); i++)
        row[i] = g_strdup (vw_csv_reader_get_field (reader, i));
      g_ptr_array_add (rows, row);
    }
  g_assert_no_error (error);
  return rows;
}

static int
column_of (GPtrArray  *rows,
           const char *name)
{
  GStrv header = g_ptr_array_index (rows, 0);

  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  g_assert_not_reached ();
}

/* The row of @code's export id, or NULL. */
static GStrv
row_of (GPtrArray      *rows,
        const VwSecret *key,
        const char     *code)
{
  g_autofree char *id = vw_export_id (key, code);

  for (guint r = 1; r < rows->len; r++)
    {
      GStrv row = g_ptr_array_index (rows, r);
      if (g_str_equal (row[0], id))
        return row;
    }
  return NULL;
}

static guint
rows_of (GPtrArray      *rows,
         const VwSecret *key,
         const char     *code)
{
  g_autofree char *id = vw_export_id (key, code);
  guint n = 0;

  for (guint r = 1; r < rows->len; r++)
    n += g_str_equal (((GStrv) g_ptr_array_index (rows, r))[0], id);
  return n;
}

static char *
export_to_folder (VwRecords       *records,
                  GPtrArray       *quotes,
                  const VwSecret  *key,
                  VwExportOptions *options,
                  VwExport       **export_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExport) export = NULL;
  char *path = tmp_path ("package");

  export = vw_export_new (records, quotes, key, options, &error);
  g_assert_no_error (error);
  g_assert_true (vw_export_write (export, path, NULL, &error));
  g_assert_no_error (error);
  if (export_out)
    *export_out = g_steal_pointer (&export);
  return path;
}

static GPtrArray *
read_table (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return read_csv (path);
}

static const char *suppressed_codes[] = { "DH-CCCC1", "DH-CCCC2", "DH-DDDD1", "DH-EEEE1", NULL };
static const char *generalized_codes[] = { "DH-AAAA6", "DH-CCCC1", "DH-CCCC2", "DH-DDDD1", NULL };

static void
test_k_suppress (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(VwExport) export = NULL;
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) wide = NULL;
  g_autoptr(GPtrArray) long_rows = NULL;
  g_autofree char *report = NULL;
  const VwRecordParticipant *participants;
  guint n;

  options.rare = VW_EXPORT_RARE_SUPPRESS;
  dir = export_to_folder (records, NULL, key, &options, &export);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 4);
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 0);
  g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 5);

  wide = read_table (dir, "trajectories_wide.csv");
  long_rows = read_table (dir, "trajectories_long.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 11);
  g_assert_cmpuint (long_rows->len, ==, 1 + 22);

  participants = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    {
      gboolean rare = g_strv_contains (suppressed_codes, participants[i].code);
      GStrv row = row_of (wide, key, participants[i].code);

      g_assert_true (rare ? row == NULL : row != NULL);
      g_assert_cmpuint (rows_of (long_rows, key, participants[i].code), ==, rare ? 0 : 2);
      /* What stays is unchanged. */
      if (row != NULL && participants[i].birth_year == 1990)
        g_assert_cmpstr (row[column_of (wide, "age_band")], ==, "30_44");
    }

  report = vw_export_get_report (export);
  g_assert_nonnull (strstr (report, "region=DH, origin=regiogemeente, age_band=lt30: 2; 2 left out"));
  g_assert_nonnull (strstr (report, "region=DH, origin=centrumgemeente, age_band=65plus: 1; 1 left out"));
  g_assert_nonnull (strstr (report, "region=DH, origin=-, age_band=-: 1; 1 left out"));
  g_assert_nonnull (strstr (report, "Smallest group released: 5 (k = 5); number of groups: 2."));
}

/* Without --quasi, generalizing cannot make C, D and E a group of 5:
 * they are left out, not released as (DH, -, -). */
static void
test_k_generalize_default (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(VwExport) export = NULL;
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) wide = NULL;
  g_autofree char *report = NULL;

  dir = export_to_folder (records, NULL, key, &options, &export);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 4);
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 0);
  g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 5);
  wide = read_table (dir, "trajectories_wide.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 11);
  for (guint i = 0; suppressed_codes[i] != NULL; i++)
    g_assert_null (row_of (wide, key, suppressed_codes[i]));
  report = vw_export_get_report (export);
  g_assert_nonnull (strstr (report, "region=DH, origin=regiogemeente, age_band=lt30: 2; 2 left out\n"));
  g_assert_nonnull (strstr (report, "4 left out.\nSmallest group released: 5 (k = 5); number of groups: 2.\n"));
}

static void
test_k_generalize (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(VwExport) export = NULL;
  const char *quasi[] = { "hist_street", NULL };
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) wide = NULL;
  g_autoptr(GPtrArray) long_rows = NULL;
  const VwRecordParticipant *participants;
  guint n;
  int age, hist, origin, long_age, long_hist, long_origin;

  options.rare = VW_EXPORT_RARE_GENERALIZE;
  options.quasi = quasi;
  dir = export_to_folder (records, NULL, key, &options, &export);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 0);
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 4);
  g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 5);

  wide = read_table (dir, "trajectories_wide.csv");
  long_rows = read_table (dir, "trajectories_long.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 15);
  age = column_of (wide, "age_band");
  hist = column_of (wide, "hist_street");
  origin = column_of (wide, "origin");
  long_age = column_of (long_rows, "age_band");
  long_hist = column_of (long_rows, "hist_street");
  long_origin = column_of (long_rows, "origin");

  participants = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    {
      const char *code = participants[i].code;
      GStrv row = row_of (wide, key, code);
      gboolean generalized = g_strv_contains (generalized_codes, code);
      const char *expected_age = NULL, *expected_hist = participants[i].hist_street;
      const char *expected_origin = participants[i].origin;

      g_assert_nonnull (row);
      if (participants[i].birth_year != 0)
        expected_age = vw_age_band (participants[i].birth_year, 2020, "dh");
      if (generalized)
        expected_age = expected_hist = expected_origin = NULL;
      g_assert_cmpstr (*row[age] ? row[age] : NULL, ==, expected_age);
      g_assert_cmpstr (*row[hist] ? row[hist] : NULL, ==, expected_hist);
      g_assert_cmpstr (*row[origin] ? row[origin] : NULL, ==, expected_origin);
      /* The region is never blanked here. */
      g_assert_cmpstr (row[column_of (wide, "region")], ==, "DH");

      /* The long table carries the same blanks. */
      for (guint r = 1; r < long_rows->len; r++)
        {
          GStrv lrow = g_ptr_array_index (long_rows, r);

          if (!g_str_equal (lrow[0], row[0]))
            continue;
          g_assert_cmpstr (lrow[long_age], ==, row[age]);
          g_assert_cmpstr (lrow[long_hist], ==, row[hist]);
          g_assert_cmpstr (lrow[long_origin], ==, row[origin]);
        }
    }
}

/* A round variable as quasi-identifier: blanked in the wide column of its
 * round and in the long row of that round only, together with its roll-up
 * (woonsituatie BW would give back residence bw). Everyone's residence at
 * T1 is blanked, which makes A and B groups of 6 and 5 again; C, D and E
 * are left out as before. */
static void
test_k_round_quasi (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(VwExport) export = NULL;
  const char *quasi[] = { "residence_T1", NULL };
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) wide = NULL;
  g_autoptr(GPtrArray) long_rows = NULL;
  const VwRecordParticipant *participants;
  const VwRoundRecord *rounds;
  guint n, n_rows, blanked = 0;
  int wide_res, wide_woon, long_res, long_woon, long_round;

  options.quasi = quasi;
  dir = export_to_folder (records, NULL, key, &options, &export);
  wide = read_table (dir, "trajectories_wide.csv");
  long_rows = read_table (dir, "trajectories_long.csv");
  wide_res = column_of (wide, "residence_T1");
  wide_woon = column_of (wide, "woonsituatie_T1");
  long_res = column_of (long_rows, "residence");
  long_woon = column_of (long_rows, "woonsituatie");
  long_round = column_of (long_rows, "round");
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 7);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 4);
  g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 5);

  participants = vw_records_get_participants (records, &n);
  rounds = vw_records_get_rounds (records, &n_rows);
  for (guint i = 0; i < n; i++)
    {
      GStrv row = row_of (wide, key, participants[i].code);
      const VwRoundRecord *t1 = &rounds[participants[i].first_round + 1];

      g_assert_cmpuint (t1->round, ==, 1);
      if (row == NULL)
        {
          g_assert_true (g_strv_contains (suppressed_codes, participants[i].code));
          continue;
        }
      if (t1->residence != NULL && *row[wide_res] == '\0')
        blanked++;
      else
        g_assert_cmpstr (row[wide_res], ==, t1->residence ? t1->residence : "");
      /* The roll-up goes with it. */
      g_assert_cmpstr (row[wide_woon], ==,
                       *row[wide_res] ? vw_residence_woonsituatie (row[wide_res]) : "");
      for (guint r = 1; r < long_rows->len; r++)
        {
          GStrv lrow = g_ptr_array_index (long_rows, r);

          if (!g_str_equal (lrow[0], row[0]))
            continue;
          if (g_str_equal (lrow[long_round], "T1"))
            {
              g_assert_cmpstr (lrow[long_res], ==, row[wide_res]);
              g_assert_cmpstr (lrow[long_woon], ==, row[wide_woon]);
            }
          else
            {
              g_assert_cmpstr (lrow[long_res], ==, "mo");
              g_assert_cmpstr (lrow[long_woon], ==, "MO");
            }
        }
    }
  g_assert_cmpuint (blanked, ==, 7);
}

/* Fewer participants than k: no grouping can reach k, so nothing is
 * released, and rather than an empty package the export is refused with
 * the numbers that say why. Every participant is different, so leaving
 * out everyone in a group smaller than 2 is refused too. With k = 1
 * nothing changes and the smallest group is 1. */
static void
test_k_too_few (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwRecords) records = vw_records_new_from_csv (
    "code,pseudonym,region,origin,birth_year\nDH-AAAA1,A,DH,centrumgemeente,1990\n"
    "DH-AAAA2,B,DH,regiogemeente,1980\nDH-AAAA3,C,DH,centrumgemeente,1970\n",
    "code,round,status,date\nDH-AAAA1,T0,interviewed,2020-01-01\nDH-AAAA2,T0,interviewed,2020-01-01\n"
    "DH-AAAA3,T0,interviewed,2020-01-01\n", NULL, NULL, &error);
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(VwExport) export = NULL;
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) wide = NULL;
  g_autofree char *report = NULL;

  g_assert_no_error (error);
  for (guint mode = 0; mode < 2; mode++)
    {
      options.rare = mode ? VW_EXPORT_RARE_SUPPRESS : VW_EXPORT_RARE_GENERALIZE;
      options.k = 0;
      export = vw_export_new (records, NULL, key, &options, &error);
      g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED);
      g_assert_null (export);
      g_assert_nonnull (strstr (error->message, "k = 5"));
      g_assert_nonnull (strstr (error->message, "3 participants"));
      g_clear_error (&error);

      options.k = 2;
      export = vw_export_new (records, NULL, key, &options, &error);
      if (mode == 0)
        {
          /* Without age band, A and C are (DH, centrumgemeente, -); B
           * alone stays alone however much is blanked, and is left out. */
          g_assert_no_error (error);
          g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 2);
          g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 2);
          g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 1);
          g_clear_pointer (&export, vw_export_free);
        }
      else
        {
          g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED);
          g_assert_nonnull (strstr (error->message, "k = 2"));
          g_assert_nonnull (strstr (error->message, "region, origin, age_band"));
          g_clear_error (&error);
        }

      /* With k = 1 nothing is rare. */
      options.k = 1;
      dir = export_to_folder (records, NULL, key, &options, &export);
      g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 0);
      g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 0);
      g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 1);
      report = vw_export_get_report (export);
      g_assert_nonnull (strstr (report, "Smallest group released: 1 (k = 1); number of groups: 3."));
      wide = read_table (dir, "trajectories_wide.csv");
      g_assert_cmpuint (wide->len, ==, 1 + 3);
      g_clear_pointer (&export, vw_export_free);
      g_clear_pointer (&dir, g_free);
      g_clear_pointer (&wide, g_ptr_array_unref);
      g_clear_pointer (&report, g_free);
    }

  /* No participants at all. */
  {
    g_autoptr(VwRecords) empty = vw_records_new_from_csv ("code,pseudonym,region\n", "code,round,status\n",
                                                          NULL, NULL, &error);

    g_assert_no_error (error);
    options.k = 1;
    export = vw_export_new (empty, NULL, key, &options, &error);
    g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED);
    g_assert_null (export);
    g_clear_error (&error);
  }
}

/* Every value blank but the region: one group, released when it is large
 * enough and refused when it is not. */
static void
test_k_all_blank (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) participants = g_string_new ("code,pseudonym,region\n");
  g_autoptr(GString) rounds = g_string_new ("code,round,status\n");
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(VwExport) export = NULL;
  const char *quasi[] = { "hist_street", "residence_T0", NULL };
  VwExportOptions options = { 0 };

  for (guint i = 0; i < 6; i++)
    {
      g_string_append_printf (participants, "DH-AAAA%u,P%u,DH\n", i + 1, i);
      g_string_append_printf (rounds, "DH-AAAA%u,T0,declined\n", i + 1);
    }
  records = vw_records_new_from_csv (participants->str, rounds->str, NULL, NULL, &error);
  g_assert_no_error (error);
  options.quasi = quasi;
  for (guint mode = 0; mode < 2; mode++)
    {
      options.rare = mode ? VW_EXPORT_RARE_SUPPRESS : VW_EXPORT_RARE_GENERALIZE;
      options.k = 6;
      export = vw_export_new (records, NULL, key, &options, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (vw_export_get_smallest_group (export), ==, 6);
      g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 0);
      g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 0);
      g_clear_pointer (&export, vw_export_free);

      options.k = 7;
      export = vw_export_new (records, NULL, key, &options, &error);
      g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED);
      g_clear_error (&error);
    }
}

/* ReadStat read-back */

typedef struct
{
  GPtrArray  *names;      /* variable names */
  GPtrArray  *labels;     /* variable labels */
  GPtrArray  *sets;       /* value label set name per variable */
  GHashTable *value_labels; /* "set\x1fnumber" -> label */
  GPtrArray  *cells;      /* row-major strings: "" missing, number or string */
  int         n_vars;
} StatsFile;

static int
on_variable (int                  index,
             readstat_variable_t *variable,
             const char          *val_labels,
             void                *ctx)
{
  StatsFile *file = ctx;

  g_ptr_array_add (file->names, g_strdup (readstat_variable_get_name (variable)));
  g_ptr_array_add (file->labels, g_strdup (readstat_variable_get_label (variable)));
  g_ptr_array_add (file->sets, g_strdup (val_labels));
  file->n_vars = index + 1;
  return READSTAT_HANDLER_OK;
}

static int
on_value (int                  obs_index,
          readstat_variable_t *variable,
          readstat_value_t     value,
          void                *ctx)
{
  StatsFile *file = ctx;
  char *text;

  if (readstat_value_type (value) == READSTAT_TYPE_STRING)
    text = g_strdup (readstat_string_value (value) ? readstat_string_value (value) : "");
  else if (readstat_value_is_system_missing (value))
    text = g_strdup ("");
  else
    text = g_strdup_printf ("%d", readstat_int32_value (value));
  g_ptr_array_add (file->cells, text);
  return READSTAT_HANDLER_OK;
}

static int
on_value_label (const char       *val_labels,
                readstat_value_t  value,
                const char       *label,
                void             *ctx)
{
  StatsFile *file = ctx;

  g_hash_table_insert (file->value_labels,
                       g_strdup_printf ("%s\x1f%d", val_labels, readstat_int32_value (value)),
                       g_strdup (label));
  return READSTAT_HANDLER_OK;
}

static void
stats_file_clear (StatsFile *file)
{
  g_ptr_array_unref (file->names);
  g_ptr_array_unref (file->labels);
  g_ptr_array_unref (file->sets);
  g_hash_table_unref (file->value_labels);
  g_ptr_array_unref (file->cells);
}

static void
read_stats (const char *path,
            StatsFile  *file)
{
  readstat_parser_t *parser = readstat_parser_init ();
  readstat_error_t status;

  file->names = g_ptr_array_new_with_free_func (g_free);
  file->labels = g_ptr_array_new_with_free_func (g_free);
  file->sets = g_ptr_array_new_with_free_func (g_free);
  file->value_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  file->cells = g_ptr_array_new_with_free_func (g_free);
  readstat_set_variable_handler (parser, on_variable);
  readstat_set_value_handler (parser, on_value);
  readstat_set_value_label_handler (parser, on_value_label);
  status = g_str_has_suffix (path, ".dta") ? readstat_parse_dta (parser, path, file)
                                           : readstat_parse_sav (parser, path, file);
  readstat_parser_free (parser);
  g_assert_cmpstr (readstat_error_message (status), ==, readstat_error_message (READSTAT_OK));
}

/* Every value and label of the .sav/.dta against the CSV and the codebook
 * (and a few against the normative codebook directly). */
static void
check_stats_file (const char *dir,
                  const char *table,
                  const char *extension)
{
  g_autofree char *csv_name = g_strconcat (table, ".csv", NULL);
  g_autofree char *stats_name = g_strconcat (table, extension, NULL);
  g_autofree char *stats_path = g_build_filename (dir, stats_name, NULL);
  g_autoptr(GPtrArray) csv = read_table (dir, csv_name);
  g_autoptr(GPtrArray) book = read_table (dir, "codebook.csv");
  g_autoptr(GHashTable) var_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) code_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) code_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GStrv header = g_ptr_array_index (csv, 0);
  StatsFile file = { 0 };
  guint n_rows = csv->len - 1;
  guint checked_labels = 0;

  for (guint r = 1; r < book->len; r++)
    {
      GStrv row = g_ptr_array_index (book, r);

      if (!g_str_equal (row[0], table))
        continue;
      if (*row[5] == '\0')
        g_hash_table_insert (var_labels, g_strdup (row[1]), row[3]);
      else
        {
          g_hash_table_insert (code_numbers, g_strdup_printf ("%s\x1f%s", row[1], row[5]), row[6]);
          g_hash_table_insert (code_labels, g_strdup_printf ("%s\x1f%s", row[1], row[6]), row[7]);
        }
    }

  read_stats (stats_path, &file);
  g_assert_cmpuint (file.n_vars, ==, g_strv_length (header));
  g_assert_cmpuint (file.cells->len, ==, (gsize) n_rows * file.n_vars);

  for (int c = 0; c < file.n_vars; c++)
    {
      g_assert_cmpstr (g_ptr_array_index (file.names, c), ==, header[c]);
      g_assert_cmpstr (g_ptr_array_index (file.labels, c), ==, g_hash_table_lookup (var_labels, header[c]));
    }

  for (guint r = 0; r < n_rows; r++)
    {
      GStrv row = g_ptr_array_index (csv, r + 1);

      for (int c = 0; c < file.n_vars; c++)
        {
          const char *value = g_ptr_array_index (file.cells, r * file.n_vars + c);
          const char *set = g_ptr_array_index (file.sets, c);
          g_autofree char *code_key = g_strdup_printf ("%s\x1f%s", header[c], row[c]);
          const char *number = g_hash_table_lookup (code_numbers, code_key);

          if (set == NULL || *set == '\0')
            {
              g_assert_cmpstr (value, ==, row[c]);
              continue;
            }
          if (*row[c] == '\0')
            {
              g_assert_cmpstr (value, ==, "");
              continue;
            }
          g_assert_nonnull (number);
          g_assert_cmpstr (value, ==, number);
          {
            g_autofree char *label_key = g_strdup_printf ("%s\x1f%s", set, value);
            g_autofree char *book_key = g_strdup_printf ("%s\x1f%s", header[c], number);
            const char *label = g_hash_table_lookup (file.value_labels, label_key);

            g_assert_cmpstr (label, ==, g_hash_table_lookup (code_labels, book_key));
            checked_labels++;
            if (g_str_equal (header[c], "residence") && g_str_equal (row[c], "mo"))
              g_assert_cmpstr (label, ==, "Maatschappelijke opvang (24-uurs, bed-bad-brood, slaaphuis)");
            if (g_str_equal (header[c], "age_band") && g_str_equal (row[c], "30_44"))
              g_assert_cmpstr (label, ==, "30-44");
          }
        }
    }
  g_assert_cmpuint (checked_labels, >, n_rows);
  stats_file_clear (&file);
}

static void
test_stats_read_back (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;

  options.formats = VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA;
  dir = export_to_folder (records, NULL, key, &options, NULL);
  check_stats_file (dir, "trajectories_long", ".sav");
  check_stats_file (dir, "trajectories_long", ".dta");
  check_stats_file (dir, "trajectories_wide", ".sav");
  check_stats_file (dir, "trajectories_wide", ".dta");
}

/* The R script, run by Rscript on the CSV: factors with the labels. */
static void
test_r_script (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(GError) error = NULL;
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *id = vw_export_id (key, "DH-BBBB2");
  g_autofree char *program = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;

  options.k = 1;
  dir = export_to_folder (records, NULL, key, &options, NULL);
  program = g_strdup_printf (
    "source(file.path('%s', 'veldwerk_labels.R'))\n"
    "w <- veldwerk_read('%s', 'trajectories_wide', 'en')\n"
    "l <- veldwerk_read('%s', 'trajectories_long', 'nl')\n"
    "p <- w[w$export_id == '%s', ]\n"
    "cat(class(w$region), as.character(p$region), as.character(p$age_band), as.character(p$origin),\n"
    "    class(w$n_interviews), p$n_interviews, as.character(p$residence_T1), attr(w$age_band, 'label'),\n"
    "    as.character(l$residence[l$export_id == '%s' & l$round == 'T0']), nlevels(l$residence),\n"
    "    nrow(w), nrow(l), sep = '|')\n",
    dir, dir, dir, id, id);
  g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, "Rscript", "--vanilla", "-e", program, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_test_message ("Rscript: %s", err);
  g_assert_true (g_subprocess_get_successful (proc));
  /* DH-BBBB2 is i = 7: regiogemeente, born 1960, T1 eigen_woning. */
  g_assert_cmpstr (out, ==,
                   "factor|The Hague|45-64|Regional municipality|integer|2|Own home|Age band|"
                   "Maatschappelijke opvang (24-uurs, bed-bad-brood, slaaphuis)|12|15|30");
}

/* Quotes and REFI-QDA */

static VwQuote *
make_quote (const char *code,
            const char *round,
            const char *theme,
            const char *text)
{
  VwQuote *quote = g_new0 (VwQuote, 1);

  quote->id = g_strdup ("q");
  quote->study = g_strdup ("s");
  quote->code = g_strdup (code);
  quote->round = g_strdup (round);
  quote->theme = g_strdup (theme);
  quote->text = g_strdup (text);
  return quote;
}

static GPtrArray *
crafted_quotes (void)
{
  GPtrArray *quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_quote_free);

  g_ptr_array_add (quotes, make_quote ("DH-AAAA1", "T0", "wonen",
                                       "Bij [organisatie] kreeg ik een kamer; Bea <3 & \"ik\" wachtten."));
  g_ptr_array_add (quotes, make_quote ("DH-AAAA1", "T0", "netwerk", "Mijn zus belde me elke week."));
  g_ptr_array_add (quotes, make_quote ("DH-AAAA1", "T1", "wonen", "Nu woon ik op mezelf in [regiogemeente]."));
  g_ptr_array_add (quotes, make_quote ("DH-BBBB1", "T0", "terugblik",
                                       "Bel Henk op 06-12345678 of mail henk@example.org, ik ben DH-BBBB1, sinds 12-03-2019."));
  /* Someone left out by disclosure control: the quote goes too. */
  g_ptr_array_add (quotes, make_quote ("DH-DDDD1", "T0", "wonen", "Otto zijn verhaal."));
  return quotes;
}

static void
test_redact (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autofree char *a = vw_export_redact (records, "Bel Henk op 06-12345678 of mail henk@example.org.");
  g_autofree char *b = vw_export_redact (records, "Ik ben DH-BBBB1, sinds 12-03-2019 en 2019-03-12; ANNA en Annabel.");
  g_autofree char *c = vw_export_redact (records, "Bij [organisatie] in [regiogemeente].");

  g_assert_cmpstr (a, ==, "Bel [persoon] op [telefoon] of mail [e-mail].");
  g_assert_cmpstr (b, ==, "Ik ben [code], sinds [datum] en [datum]; [persoon] en Annabel.");
  g_assert_cmpstr (c, ==, "Bij [organisatie] in [regiogemeente].");
}

static GBytes *
zip_entry (const char *zip_path,
           const char *name)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  GBytes *found = NULL;

  archive_read_support_format_zip (archive);
  g_assert_cmpint (archive_read_open_filename (archive, zip_path, 10240), ==, ARCHIVE_OK);
  while (found == NULL && archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      if (g_str_equal (archive_entry_pathname (entry), name))
        {
          gsize size = archive_entry_size (entry);
          char *data = g_malloc (size + 1);

          g_assert_cmpint (archive_read_data (archive, data, size), ==, (la_ssize_t) size);
          data[size] = '\0';
          found = g_bytes_new_take (data, size);
        }
    }
  archive_read_free (archive);
  return found;
}

static guint
count_of (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_qdpx (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(GPtrArray) quotes = crafted_quotes ();
  g_autoptr(GError) error = NULL;
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *qdpx = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *schema = NULL;
  g_autoptr(GBytes) project = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  g_autoptr(GSubprocess) xmllint = NULL;
  g_autofree char *id_a = vw_export_id (key, "DH-AAAA1");
  g_autofree char *id_b = vw_export_id (key, "DH-BBBB1");
  g_autofree char *id_d = vw_export_id (key, "DH-DDDD1");
  const char *xml;

  options.formats = VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_QDPX;
  options.include_quotes = TRUE;
  options.rare = VW_EXPORT_RARE_SUPPRESS;
  options.study_name = "Testonderzoek & <co>";
  dir = export_to_folder (records, quotes, key, &options, NULL);

  /* The quotes in the order of export ids, an interview's in their own
   * order. */
  csv = read_table (dir, "quotes.csv");
  g_assert_cmpuint (csv->len, ==, 1 + 4);
  g_assert_cmpstr (row_of (csv, key, "DH-BBBB1")[4], ==,
                   "Bel [persoon] op [telefoon] of mail [e-mail], ik ben [code], sinds [datum].");
  g_assert_cmpstr (row_of (csv, key, "DH-AAAA1")[1], ==, "T0");
  g_assert_cmpstr (row_of (csv, key, "DH-AAAA1")[2], ==, "wonen");
  g_assert_cmpstr (row_of (csv, key, "DH-AAAA1")[4], ==,
                   "Bij [organisatie] kreeg ik een kamer; [persoon] <3 & \"ik\" wachtten.");
  for (guint r = 2; r < csv->len; r++)
    g_assert_cmpint (strcmp (((GStrv) g_ptr_array_index (csv, r - 1))[0],
                             ((GStrv) g_ptr_array_index (csv, r))[0]), <=, 0);

  qdpx = g_build_filename (dir, "quotes.qdpx", NULL);
  project = zip_entry (qdpx, "project.qde");
  g_assert_nonnull (project);
  xml = g_bytes_get_data (project, NULL);
  qde = g_build_filename (dir, "project.qde", NULL);
  g_assert_true (g_file_set_contents (qde, xml, -1, NULL));

  schema = g_test_build_filename (G_TEST_DIST, "vectors", "refi-qda", "Project.xsd", NULL);
  xmllint = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_MERGE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "xmllint", "--noout", "--schema", schema, qde, NULL);
  g_assert_no_error (error);
  {
    g_autofree char *out = NULL;

    g_subprocess_communicate_utf8 (xmllint, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_test_message ("xmllint: %s", out);
    g_assert_true (g_subprocess_get_successful (xmllint));
  }

  /* Cases are export ids; three interviews (A T0, A T1, B T0) are three
   * sources; three themes are three codes; D's quote is gone with D. */
  g_assert_nonnull (strstr (xml, id_a));
  g_assert_nonnull (strstr (xml, id_b));
  g_assert_null (strstr (xml, id_d));
  g_assert_cmpuint (count_of (xml, "<TextSource "), ==, 3);
  g_assert_cmpuint (count_of (xml, "<Case "), ==, 2);
  g_assert_cmpuint (count_of (xml, "<Code guid"), ==, 3);
  g_assert_nonnull (strstr (xml, "name=\"Testonderzoek &amp; &lt;co&gt;\""));

  /* The selection of the first quote points at its text in the source. */
  {
    g_autofree char *source_name = g_strdup_printf ("name=\"%s T0\"", id_a);
    const char *source = strstr (xml, "<TextSource guid=\"");
    g_autofree char *guid = NULL;

    while (source != NULL && strncmp (source + strlen ("<TextSource guid=\"") + 38, source_name,
                                      strlen (source_name)) != 0)
      source = strstr (source + 1, "<TextSource guid=\"");
    g_assert_nonnull (source);
    guid = g_strndup (source + strlen ("<TextSource guid=\""), 36);
    g_autofree char *path = g_strconcat ("sources/", guid, ".txt", NULL);
    g_autoptr(GBytes) text = zip_entry (qdpx, path);
    const char *selection = strstr (source, "startPosition=\"");
    long start = atol (selection + strlen ("startPosition=\""));
    long end = atol (strstr (selection, "endPosition=\"") + strlen ("endPosition=\""));
    const char *body;
    g_autofree char *part = NULL;

    g_assert_nonnull (text);
    body = g_bytes_get_data (text, NULL);
    part = g_utf8_substring (body, start, end);
    g_assert_cmpstr (part, ==, "Bij [organisatie] kreeg ik een kamer; [persoon] <3 & \"ik\" wachtten.");
  }
}

/* Every released group in every format
 *
 * Random populations (seeded, so every run tests the same ones) with many
 * blanks are exported to every format, with and without added
 * quasi-identifiers and in both modes. What was written is read back as an
 * analyst would (CSV, ReadStat for .sav/.dta, the .qdpx zip, Rscript for
 * the wide CSV) and the groups are counted again from the released
 * quasi-identifier columns only, a blank being a value of its own. */

static const char * const random_regions[] = { "DH", "DH", "DH", "FL" };
static const char * const random_origins[] = { "centrumgemeente", "regiogemeente", "buiten_regio", "onbekend",
                                               "", "", "" };
static const char * const random_hist[] = { "ja", "nee", "niet_besproken", "", "" };
static const char * const random_stays[] = { "mo", "bw", "omklap", "eigen_woning", "straat", "", "" };
static const char * const random_activities[] = { "betaald_werk", "dagbesteding", "geen", "", "" };

#define PICK(rand, list) (list)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))]

static VwRecords *
random_records (guint32    seed,
                guint      n,
                GPtrArray *quotes)
{
  static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) people = g_string_new ("code,pseudonym,region,origin,birth_year,hist_street,hist_unsafe_home\n");
  g_autoptr(GString) rows = g_string_new ("code,round,status,date,residence,participation\n");
  g_autoptr(GError) error = NULL;
  VwRecords *records;

  for (guint i = 0; i < n; i++)
    {
      const char *region = PICK (rand, random_regions);
      g_autofree char *code = NULL;
      char body[6] = { 0 };
      char birth[8] = "";

      for (guint d = 0, v = i; d < 5; d++, v /= 32)
        body[4 - d] = digits[v % 32];
      code = g_strconcat (region, "-", body, NULL);
      /* Four in ten without a birth year. */
      if (g_rand_int_range (rand, 0, 10) >= 4)
        g_snprintf (birth, sizeof birth, "%d", g_rand_int_range (rand, 1945, 2000));
      g_string_append_printf (people, "%s,P%u,%s,%s,%s,%s,%s\n", code, i, region, PICK (rand, random_origins),
                              birth, PICK (rand, random_hist), PICK (rand, random_hist));
      /* Everyone has a T0 row; most have a T1 row. */
      for (guint r = 0; r < 2; r++)
        {
          if (r == 1 && g_rand_int_range (rand, 0, 4) == 0)
            continue;
          if (g_rand_int_range (rand, 0, 5) == 0)
            {
              g_string_append_printf (rows, "%s,T%u,declined,,,\n", code, r);
              continue;
            }
          g_string_append_printf (rows, "%s,T%u,interviewed,%d-0%d-1%d,%s,%s\n", code, r, 2020 + r,
                                  g_rand_int_range (rand, 1, 10), g_rand_int_range (rand, 0, 10),
                                  PICK (rand, random_stays), PICK (rand, random_activities));
          if (quotes != NULL && g_rand_boolean (rand))
            {
              g_autofree char *round = g_strdup_printf ("T%u", r);
              g_autofree char *text = g_strdup_printf ("Verhaal %u over [organisatie].", i);

              g_ptr_array_add (quotes, make_quote (code, round, "wonen", text));
            }
        }
    }

  records = vw_records_new_from_csv (people->str, rows->str, "code,start,end,residence\n", NULL, &error);
  g_assert_no_error (error);
  return records;
}

static int
header_index (GStrv       header,
              const char *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  return -1;
}

/* A .sav or .dta as rows of strings, the header first, like read_csv(). */
static GPtrArray *
read_stats_rows (const char *path)
{
  StatsFile file = { 0 };
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GStrv header;

  read_stats (path, &file);
  header = g_new0 (char *, file.n_vars + 1);
  for (int c = 0; c < file.n_vars; c++)
    header[c] = g_strdup (g_ptr_array_index (file.names, c));
  g_ptr_array_add (rows, header);
  for (guint r = 0; file.n_vars > 0 && r < file.cells->len / file.n_vars; r++)
    {
      GStrv row = g_new0 (char *, file.n_vars + 1);

      for (int c = 0; c < file.n_vars; c++)
        row[c] = g_strdup (g_ptr_array_index (file.cells, r * file.n_vars + c));
      g_ptr_array_add (rows, row);
    }
  stats_file_clear (&file);
  return rows;
}

/* Export id -> the released combination of @quasi, as a key in which a
 * blank is a value. In the long table a participant variable must read
 * the same in each of the participant's rows, and a round variable
 * (residence_T1) is its column (residence) in the row of its round, blank
 * without such a row; n_interviews, which the long table has no column
 * for, is what its rows show: the number of interviewed rows. */
static GHashTable *
released_combinations (GPtrArray          *rows,
                       const char * const *quasi)
{
  GStrv header = g_ptr_array_index (rows, 0);
  guint m = g_strv_length ((GStrv) quasi);
  g_autofree int *columns = g_new0 (int, m);
  /* per quasi-identifier: its round, "*" (counted) or NULL */
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_full (m, g_free);
  int id_column = header_index (header, "export_id");
  int round_column = header_index (header, "round");
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_strfreev);
  GHashTable *combinations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char * const *round_of;
  GHashTableIter iter;
  gpointer id, participant_values;

  g_assert_cmpint (id_column, ==, 0);
  for (guint q = 0; q < m; q++)
    g_ptr_array_add (rounds, NULL);
  for (guint q = 0; q < m; q++)
    {
      columns[q] = header_index (header, quasi[q]);
      if (columns[q] < 0 && g_str_equal (quasi[q], "n_interviews"))
        {
          g_assert_cmpint (round_column, >=, 0);
          columns[q] = header_index (header, "status");
          rounds->pdata[q] = g_strdup ("*");
        }
      else if (columns[q] < 0)
        {
          const char *suffix = strrchr (quasi[q], '_');
          g_autofree char *base = NULL;

          /* Only the long table splits a variable over rounds. */
          g_assert_cmpint (round_column, >=, 0);
          g_assert_nonnull (suffix);
          base = g_strndup (quasi[q], suffix - quasi[q]);
          columns[q] = header_index (header, base);
          rounds->pdata[q] = g_strdup (suffix + 1);
          g_assert_cmpint (columns[q], >=, 0);
        }
    }

  round_of = (const char * const *) rounds->pdata;
  for (guint r = 1; r < rows->len; r++)
    {
      GStrv row = g_ptr_array_index (rows, r);
      GStrv known = g_hash_table_lookup (values, row[id_column]);

      if (known == NULL)
        {
          known = g_new0 (char *, m + 1);
          for (guint q = 0; q < m; q++)
            known[q] = g_strdup (round_of[q] == NULL ? row[columns[q]] : g_str_equal (round_of[q], "*") ? "0" : "");
          g_hash_table_insert (values, g_strdup (row[id_column]), known);
        }
      for (guint q = 0; q < m; q++)
        {
          if (round_of[q] == NULL)
            g_assert_cmpstr (known[q], ==, row[columns[q]]);
          else if (g_str_equal (round_of[q], "*"))
            {
              /* .sav/.dta number the status codes: 1 is interviewed. */
              if (g_str_equal (row[columns[q]], "interviewed") || g_str_equal (row[columns[q]], "1"))
                {
                  char *counted = g_strdup_printf ("%d", atoi (known[q]) + 1);

                  g_free (known[q]);
                  known[q] = counted;
                }
            }
          else if (g_str_equal (row[round_column], round_of[q]))
            {
              g_free (known[q]);
              known[q] = g_strdup (row[columns[q]]);
            }
        }
    }

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &id, &participant_values))
    {
      GStrv v = participant_values;
      GString *key = g_string_new (NULL);

      for (guint q = 0; q < m; q++)
        g_string_append_printf (key, "%zu:%s", strlen (v[q]), v[q]);
      g_hash_table_insert (combinations, g_strdup (id), g_string_free (key, FALSE));
    }
  return combinations;
}

/* Export id -> the size of its group; returns the smallest. */
static guint
group_sizes (GHashTable  *combinations,
             GHashTable **sizes_out)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer id, key;
  guint smallest = 0;

  g_hash_table_iter_init (&iter, combinations);
  while (g_hash_table_iter_next (&iter, &id, &key))
    g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
  g_hash_table_iter_init (&iter, combinations);
  while (g_hash_table_iter_next (&iter, &id, &key))
    {
      guint size = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      g_hash_table_insert (sizes, g_strdup (id), GUINT_TO_POINTER (size));
      if (smallest == 0 || size < smallest)
        smallest = size;
    }
  *sizes_out = sizes;
  return smallest;
}

/* The export ids named by @pattern's first group in @text. */
static GHashTable *
ids_matching (const char *text,
              const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_regex_match (regex, text, 0, &info);
  while (g_match_info_matches (info))
    {
      g_hash_table_add (ids, g_match_info_fetch (info, 1));
      g_match_info_next (info, NULL);
    }
  return ids;
}

/* Blanking a quasi-identifier blanked what gives it away: the roll-ups of
 * its round, the trajectory's other columns. */
static void
assert_family_blank (GPtrArray          *rows,
                     const char * const *quasi)
{
  static const char * const families[][5] = {
    { "residence", "woonsituatie", NULL },
    { "participation", "participation_dh", "participation_fl", NULL },
    { "trajectory", "trajectory_subtype", "trajectory_final", "trajectory_final_subtype", NULL },
  };
  GStrv header = g_ptr_array_index (rows, 0);
  gboolean is_long = header_index (header, "round") >= 0;

  for (guint q = 0; quasi[q] != NULL; q++)
    for (guint f = 0; f < G_N_ELEMENTS (families); f++)
      for (guint v = 0; families[f][v] != NULL; v++)
        {
          const char *suffix = strrchr (quasi[q], '_');
          g_autofree char *base = NULL;
          const char *round = NULL;

          if (g_str_has_prefix (quasi[q], "trajectory"))
            base = g_strdup (quasi[q]);
          else if (suffix != NULL)
            {
              base = g_strndup (quasi[q], suffix - quasi[q]);
              round = suffix + 1;
            }
          if (base == NULL || !g_strv_contains (families[f], base))
            continue;
          for (guint r = 1; r < rows->len; r++)
            {
              GStrv row = g_ptr_array_index (rows, r);
              g_autofree char *quasi_name = is_long || round == NULL ? g_strdup (base)
                                                                    : g_strdup_printf ("%s_%s", base, round);
              g_autofree char *other = is_long || round == NULL ? g_strdup (families[f][v])
                                                               : g_strdup_printf ("%s_%s", families[f][v], round);

              if (is_long && round != NULL && !g_str_equal (row[header_index (header, "round")], round))
                continue;
              if (*row[header_index (header, quasi_name)] == '\0')
                g_assert_cmpstr (row[header_index (header, other)], ==, "");
            }
        }
}

typedef struct
{
  guint exports;
  guint refused;
  guint generalized;
  guint suppressed;
  guint quasi_groups_checked;
} ReleaseTotals;

/* Reads back one package and checks every released group against k and
 * the manifest; returns the smallest group. */
static guint
check_package (const char     *dir,
               guint           k,
               VwExport       *export,
               guint           n_quotes_released)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) quasi = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) wide = read_table (dir, "trajectories_wide.csv");
  g_autoptr(GHashTable) wide_sizes = NULL;
  g_autoptr(GHashTable) wide_combinations = NULL;
  g_autofree char *report = vw_export_get_report (export);
  g_autofree char *report_line = NULL;
  JsonObject *dc;
  JsonArray *names;
  guint smallest;
  const char *tables[] = { "trajectories_wide", "trajectories_long" };
  const char *extensions[] = { ".csv", ".sav", ".dta" };

  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  dc = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "disclosure_control");
  names = json_object_get_array_member (dc, "quasi_identifiers");
  for (guint i = 0; i < json_array_get_length (names); i++)
    g_ptr_array_add (quasi, g_strdup (json_array_get_string_element (names, i)));
  g_ptr_array_add (quasi, NULL);

  wide_combinations = released_combinations (wide, (const char * const *) quasi->pdata);
  smallest = group_sizes (wide_combinations, &wide_sizes);
  g_assert_cmpuint (smallest, >=, k);
  g_assert_cmpuint (smallest, ==, json_object_get_int_member (dc, "smallest_group"));
  g_assert_cmpuint (smallest, ==, vw_export_get_smallest_group (export));
  g_assert_cmpuint (wide->len - 1, ==, json_object_get_int_member (dc, "released"));
  g_assert_cmpuint (json_object_get_int_member (dc, "released"), ==,
                    json_object_get_int_member (dc, "participants") - json_object_get_int_member (dc, "suppressed"));
  g_assert_cmpuint (json_object_get_int_member (dc, "k"), ==, k);
  report_line = g_strdup_printf ("Smallest group released: %u (k = %u); number of groups: %u.\n", smallest, k,
                                 (guint) json_object_get_int_member (dc, "groups"));
  g_assert_nonnull (strstr (report, report_line));

  /* The same groups, the same sizes, in every table of every format. */
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
      {
        g_autofree char *name = g_strconcat (tables[t], extensions[e], NULL);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr(GPtrArray) rows = e == 0 ? read_csv (path) : read_stats_rows (path);
        g_autoptr(GHashTable) combinations = released_combinations (rows, (const char * const *) quasi->pdata);
        g_autoptr(GHashTable) sizes = NULL;
        GHashTableIter iter;
        gpointer id, size;

        g_assert_cmpuint (group_sizes (combinations, &sizes), ==, smallest);
        g_assert_cmpuint (g_hash_table_size (sizes), ==, g_hash_table_size (wide_sizes));
        g_hash_table_iter_init (&iter, sizes);
        while (g_hash_table_iter_next (&iter, &id, &size))
          g_assert_cmpuint (GPOINTER_TO_UINT (size), ==, GPOINTER_TO_UINT (g_hash_table_lookup (wide_sizes, id)));
        if (e == 0)
          assert_family_blank (rows, (const char * const *) quasi->pdata);
      }

  /* Quotes and QDPX cases only of released participants, and all of
   * theirs. */
  {
    g_autoptr(GPtrArray) quotes = read_table (dir, "quotes.csv");
    g_autofree char *qdpx = g_build_filename (dir, "quotes.qdpx", NULL);
    g_autoptr(GBytes) project = zip_entry (qdpx, "project.qde");
    g_autoptr(GHashTable) quoted = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GHashTable) cases = NULL;
    g_autoptr(GHashTable) sources = NULL;
    GHashTableIter iter;
    gpointer id;

    g_assert_cmpuint (quotes->len - 1, ==, n_quotes_released);
    for (guint r = 1; r < quotes->len; r++)
      {
        const char *quote_id = ((GStrv) g_ptr_array_index (quotes, r))[0];

        g_assert_true (g_hash_table_contains (wide_sizes, quote_id));
        g_hash_table_add (quoted, (gpointer) quote_id);
      }
    g_assert_nonnull (project);
    cases = ids_matching (g_bytes_get_data (project, NULL), "<Case [^>]*name=\"([0-9a-f]{16})\"");
    sources = ids_matching (g_bytes_get_data (project, NULL), "<TextSource [^>]*name=\"([0-9a-f]{16}) T[0-9]+\"");
    g_assert_cmpuint (g_hash_table_size (cases), ==, g_hash_table_size (quoted));
    g_hash_table_iter_init (&iter, cases);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      g_assert_true (g_hash_table_contains (quoted, id));
    g_hash_table_iter_init (&iter, sources);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      g_assert_true (g_hash_table_contains (wide_sizes, id));
  }

  return smallest;
}

/* The long table's interviewed rows count n_interviews: blanking it in the
 * wide table would hide nothing, so it is never blanked. */
static void
assert_n_interviews_shown (const char *dir)
{
  g_autoptr(GPtrArray) wide = read_table (dir, "trajectories_wide.csv");
  g_autoptr(GPtrArray) long_rows = read_table (dir, "trajectories_long.csv");
  int n_interviews = column_of (wide, "n_interviews");
  int status = column_of (long_rows, "status");

  for (guint r = 1; r < wide->len; r++)
    {
      GStrv row = g_ptr_array_index (wide, r);
      guint counted = 0;

      for (guint l = 1; l < long_rows->len; l++)
        {
          GStrv lrow = g_ptr_array_index (long_rows, l);

          counted += g_str_equal (lrow[0], row[0]) && g_str_equal (lrow[status], "interviewed");
        }
      g_assert_cmpstr (row[n_interviews], !=, "");
      g_assert_cmpuint (counted, ==, atoi (row[n_interviews]));
    }
}

static void
test_k_every_format (void)
{
  static const char * const quasi_sets[][3] = {
    { NULL },
    { "hist_street", NULL },
    { "hist_street", "hist_unsafe_home", NULL },
    { "residence_T1", NULL },
    { "participation_T0", "hist_street", NULL },
    { "woonsituatie_T1", NULL },
    { "trajectory", NULL },
    { "n_interviews", NULL },
    { "status_T1", "hist_street", NULL },
  };
  ReleaseTotals totals = { 0 };
  g_autoptr(GString) r_program = g_string_new (
    "g <- function(dir, q) {\n"
    "  w <- read.csv(file.path(dir, 'trajectories_wide.csv'), colClasses = 'character',\n"
    "                na.strings = character(0), check.names = FALSE)\n"
    "  min(table(do.call(paste, c(unname(as.list(w[q])), sep = '\\x1f'))))\n"
    "}\n"
    "cat(");
  g_autoptr(GString) r_expected = g_string_new (NULL);
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);

  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(GPtrArray) quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_quote_free);
      g_autoptr(VwRecords) records = random_records (seed, 40 + 35 * seed, quotes);
      g_autoptr(VwSecret) key = random_key ();

      /* Each set of quasi-identifiers in both modes over the populations. */
      for (guint s = 0; s < G_N_ELEMENTS (quasi_sets); s++)
        for (guint mode = (seed + s) % 2; mode < 2; mode += 2)
          {
            g_autoptr(GError) error = NULL;
            g_autoptr(VwExport) export = NULL;
            g_autofree char *dir = NULL;
            VwExportOptions options = { 0 };
            guint k = seed == 1 && s == 0 ? 1 : 2 + (seed + s) % 5;
            guint n_quotes_released = 0;
            guint smallest;
            g_autoptr(GPtrArray) wide = NULL;

            options.k = k;
            options.quasi = quasi_sets[s];
            options.rare = mode ? VW_EXPORT_RARE_SUPPRESS : VW_EXPORT_RARE_GENERALIZE;
            options.formats = VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA |
                              VW_EXPORT_FORMAT_QDPX;
            options.include_quotes = TRUE;
            export = vw_export_new (records, quotes, key, &options, &error);
            if (export == NULL)
              {
                /* Only leaving out can leave nobody: generalizing always
                 * keeps a group of everyone when k is at most the records,
                 * unless a quasi-identifier cannot be blanked. */
                g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED);
                g_assert_true (mode == 1 || s == 7 || s == 8);
                totals.refused++;
                continue;
              }
            dir = tmp_path ("package");
            g_assert_true (vw_export_write (export, dir, NULL, &error));
            g_assert_no_error (error);

            wide = read_table (dir, "trajectories_wide.csv");
            for (guint i = 0; i < quotes->len; i++)
              if (row_of (wide, key, ((VwQuote *) g_ptr_array_index (quotes, i))->code) != NULL)
                n_quotes_released++;
            smallest = check_package (dir, k, export, n_quotes_released);
            if (s == 7)
              assert_n_interviews_shown (dir);
            totals.exports++;
            totals.generalized += vw_export_get_n_generalized (export);
            totals.suppressed += vw_export_get_n_suppressed (export);

            /* R counts the groups of the wide CSV once per population. */
            if (s == 2)
              {
                g_string_append_printf (r_program, "%sg('%s', c('region', 'origin', 'age_band', 'hist_street', "
                                        "'hist_unsafe_home'))", dirs->len ? ", " : "", dir);
                g_string_append_printf (r_expected, "%s%u", dirs->len ? " " : "", smallest);
                g_ptr_array_add (dirs, g_steal_pointer (&dir));
              }
            else
              vw_test_rm_rf (dir);
          }
    }

  /* The populations made every path run. */
  g_test_message ("%u exports, %u refused, %u generalized, %u left out", totals.exports, totals.refused,
                  totals.generalized, totals.suppressed);
  g_assert_cmpuint (totals.exports, >, 25);
  g_assert_cmpuint (totals.generalized, >, 50);
  g_assert_cmpuint (totals.suppressed, >, 50);

  g_string_append (r_program, ", sep = ' ')\n");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *out = NULL, *err = NULL;

    g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
    proc = g_subprocess_launcher_spawn (launcher, &error, "Rscript", "--vanilla", "-e", r_program->str, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    if (!g_subprocess_get_successful (proc))
      g_test_message ("Rscript: %s", err);
    g_assert_true (g_subprocess_get_successful (proc));
    g_assert_cmpuint (dirs->len, >=, 2);
    g_assert_cmpstr (out, ==, r_expected->str);
  }
  for (guint i = 0; i < dirs->len; i++)
    vw_test_rm_rf (g_ptr_array_index (dirs, i));
}

static void
test_refusals (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExport) export = NULL;
  VwExportOptions options = { 0 };
  const char *bad_quasi[] = { "pseudonym", NULL };
  g_autofree char *path = tmp_path ("package");
  g_autofree char *marker = g_build_filename (path, "mine.txt", NULL);
  VwExportFormats formats;

  /* Free text only when asked for. */
  options.formats = VW_EXPORT_FORMAT_QDPX;
  export = vw_export_new (records, NULL, key, &options, &error);
  g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_FREE_TEXT);
  g_assert_null (export);
  g_clear_error (&error);

  options.formats = 0;
  options.quasi = bad_quasi;
  export = vw_export_new (records, NULL, key, &options, &error);
  g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "pseudonym"));
  g_clear_error (&error);

  options.quasi = NULL;
  options.age_scheme = "xx";
  export = vw_export_new (records, NULL, key, &options, &error);
  g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (vw_export_formats_parse ("csv,xls", &formats, &error));
  g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "xls"));
  g_clear_error (&error);
  g_assert_true (vw_export_formats_parse ("sav, dta", &formats, &error));
  g_assert_cmpint (formats, ==, VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA);

  /* An existing folder is never written into, and nothing is left next
   * to it. */
  options.age_scheme = "gv";
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (marker, "mine", -1, NULL));
  export = vw_export_new (records, NULL, key, &options, &error);
  g_assert_no_error (error);
  g_assert_false (vw_export_write (export, path, NULL, &error));
  g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_EXISTS);
  g_assert_cmpuint (vw_test_count_entries (path), ==, 1);
  {
    g_autofree char *parent = g_path_get_dirname (path);
    g_assert_cmpuint (vw_test_count_entries (parent), ==, 1);
  }
}

/* The manifest names every file with its SHA-256, and the parameters. */
static void
test_manifest (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  VwExportOptions options = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *manifest = NULL;
  JsonObject *root, *dc;
  JsonArray *files;

  options.study_id = "study-1";
  options.study_name = "Testonderzoek";
  options.rules = VW_RULE_SET_FL4;
  options.age_scheme = "gv";
  options.k = 3;
  options.formats = VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV;
  dir = export_to_folder (records, NULL, key, &options, NULL);
  manifest = g_build_filename (dir, "manifest.json", NULL);
  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "rules"), ==, "fl4");
  g_assert_cmpstr (json_object_get_string_member (root, "app_version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "study"), "name"), ==,
                   "Testonderzoek");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "parameters"), "age_scheme"),
                   ==, "gv");
  dc = json_object_get_object_member (root, "disclosure_control");
  g_assert_cmpint (json_object_get_int_member (dc, "k"), ==, 3);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (dc, "quasi_identifiers")), ==, 3);
  /* Under gv, C (DH, regiogemeente, lt35), D (DH, centrumgemeente, 56plus)
   * and E (DH, -, -) lose age band and origin and are one group of 4. */
  g_assert_cmpint (json_object_get_int_member (dc, "participants"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (dc, "released"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (dc, "generalized"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (dc, "suppressed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (dc, "groups"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (dc, "smallest_group"), ==, 4);

  files = json_object_get_array_member (root, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 6);
  g_assert_cmpuint (vw_test_count_entries (dir), ==, 7);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *file = json_array_get_object_element (files, i);
      g_autofree char *path = g_build_filename (dir, json_object_get_string_member (file, "name"), NULL);
      g_autofree char *data = NULL;
      gsize len;
      g_autofree char *sha = NULL;

      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
      g_assert_cmpstr (sha, ==, json_object_get_string_member (file, "sha256"));
    }
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  VwExport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vw_export_run_finish (result, &error);
  g_assert_no_error (error);
}

/* The worker thread gets copies: the options and strings the caller
 * passed are gone before it runs. */
static void
test_async (void)
{
  g_autoptr(VwRecords) records = crafted_records ();
  g_autoptr(VwSecret) key = random_key ();
  g_autofree char *path = tmp_path ("package");
  g_autoptr(VwExport) export = NULL;
  g_autoptr(GPtrArray) wide = NULL;

  {
    g_autofree char *scheme = g_strdup ("gv");
    g_auto(GStrv) quasi = g_strsplit ("hist_street", ",", -1);
    VwExportOptions options = { 0 };

    options.age_scheme = scheme;
    options.quasi = (const char * const *) quasi;
    options.rare = VW_EXPORT_RARE_SUPPRESS;
    vw_export_run_async (records, NULL, key, &options, path, NULL, on_run_done, &export);
  }
  while (export == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* C1, C2, D1, E1 and A6 (alone with nee on hist_street) are left out. */
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 5);
  wide = read_table (path, "trajectories_wide.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 10);
  g_assert_cmpstr (row_of (wide, key, "DH-AAAA1")[column_of (wide, "age_band")], ==, "lt35");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/export/k/suppress", test_k_suppress);
  g_test_add_func ("/export/k/generalize", test_k_generalize);
  g_test_add_func ("/export/k/too-few", test_k_too_few);
  g_test_add_func ("/export/k/all-blank", test_k_all_blank);
  g_test_add_func ("/export/k/generalize-default", test_k_generalize_default);
  g_test_add_func ("/export/k/round-quasi", test_k_round_quasi);
  g_test_add_func ("/export/k/every-format", test_k_every_format);
  g_test_add_func ("/export/stats/read-back", test_stats_read_back);
  g_test_add_func ("/export/r-script", test_r_script);
  g_test_add_func ("/export/redact", test_redact);
  g_test_add_func ("/export/qdpx", test_qdpx);
  g_test_add_func ("/export/refusals", test_refusals);
  g_test_add_func ("/export/manifest", test_manifest);
  g_test_add_func ("/export/async", test_async);
  return g_test_run ();
}
