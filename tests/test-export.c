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
 * On region, origin, age band with k = 5 the rare participants are C1, C2
 * and D1 (E's blanks match everyone). Suppressing leaves them out.
 * Generalizing blanks their age band: C then matches B and C (7), D
 * matches A and D (7). With hist_street added, A6 is rare too and only
 * loses hist_street; C and D lose hist_street and then their age band. */
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

static const char *suppressed_codes[] = { "DH-CCCC1", "DH-CCCC2", "DH-DDDD1" };

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
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 3);
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 0);

  wide = read_table (dir, "trajectories_wide.csv");
  long_rows = read_table (dir, "trajectories_long.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 12);
  g_assert_cmpuint (long_rows->len, ==, 1 + 24);

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
  int age, hist, long_age, long_hist;

  options.rare = VW_EXPORT_RARE_GENERALIZE;
  options.quasi = quasi;
  dir = export_to_folder (records, NULL, key, &options, &export);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 0);
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 4);

  wide = read_table (dir, "trajectories_wide.csv");
  long_rows = read_table (dir, "trajectories_long.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 15);
  age = column_of (wide, "age_band");
  hist = column_of (wide, "hist_street");
  long_age = column_of (long_rows, "age_band");
  long_hist = column_of (long_rows, "hist_street");

  participants = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    {
      const char *code = participants[i].code;
      GStrv row = row_of (wide, key, code);
      gboolean cd = g_strv_contains (suppressed_codes, code);
      gboolean a6 = g_str_equal (code, "DH-AAAA6");
      const char *expected_age = NULL, *expected_hist = participants[i].hist_street;

      g_assert_nonnull (row);
      if (participants[i].birth_year != 0)
        expected_age = vw_age_band (participants[i].birth_year, 2020, "dh");
      if (cd)
        expected_age = NULL;
      if (cd || a6)
        expected_hist = NULL;
      g_assert_cmpstr (*row[age] ? row[age] : NULL, ==, expected_age);
      g_assert_cmpstr (*row[hist] ? row[hist] : NULL, ==, expected_hist);
      /* Region and origin are never blanked here. */
      g_assert_cmpstr (row[column_of (wide, "region")], ==, "DH");

      /* The long table carries the same blanks. */
      for (guint r = 1; r < long_rows->len; r++)
        {
          GStrv lrow = g_ptr_array_index (long_rows, r);

          if (!g_str_equal (lrow[0], row[0]))
            continue;
          g_assert_cmpstr (lrow[long_age], ==, row[age]);
          g_assert_cmpstr (lrow[long_hist], ==, row[hist]);
        }
    }
}

/* A round variable as quasi-identifier: blanked in the wide column of its
 * round and in the long row of that round only. */
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
  int wide_res, long_res, long_round;

  options.quasi = quasi;
  dir = export_to_folder (records, NULL, key, &options, &export);
  wide = read_table (dir, "trajectories_wide.csv");
  long_rows = read_table (dir, "trajectories_long.csv");
  wide_res = column_of (wide, "residence_T1");
  long_res = column_of (long_rows, "residence");
  long_round = column_of (long_rows, "round");

  participants = vw_records_get_participants (records, &n);
  rounds = vw_records_get_rounds (records, &n_rows);
  for (guint i = 0; i < n; i++)
    {
      GStrv row = row_of (wide, key, participants[i].code);
      const VwRoundRecord *t1 = &rounds[participants[i].first_round + 1];

      g_assert_nonnull (row);
      g_assert_cmpuint (t1->round, ==, 1);
      if (t1->residence != NULL && *row[wide_res] == '\0')
        blanked++;
      else
        g_assert_cmpstr (row[wide_res], ==, t1->residence ? t1->residence : "");
      for (guint r = 1; r < long_rows->len; r++)
        {
          GStrv lrow = g_ptr_array_index (long_rows, r);

          if (!g_str_equal (lrow[0], row[0]))
            continue;
          if (g_str_equal (lrow[long_round], "T1"))
            g_assert_cmpstr (lrow[long_res], ==, row[wide_res]);
          else
            g_assert_cmpstr (lrow[long_res], ==, "mo");
        }
    }
  g_assert_cmpuint (blanked, >, 0);
  g_assert_cmpuint (blanked, <=, vw_export_get_n_generalized (export));
}

/* Fewer participants than k: blanking everything does not help, so all
 * are left out and the tables are empty. */
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

  g_assert_no_error (error);
  dir = export_to_folder (records, NULL, key, &options, &export);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 3);
  wide = read_table (dir, "trajectories_wide.csv");
  g_assert_cmpuint (wide->len, ==, 1);

  /* With k = 1 nothing is rare. */
  g_clear_pointer (&export, vw_export_free);
  g_free (dir);
  options.k = 1;
  dir = export_to_folder (records, NULL, key, &options, &export);
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 0);
  g_assert_cmpuint (vw_export_get_n_generalized (export), ==, 0);
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

  schema = g_build_filename (g_getenv ("VELDWERK_SOURCE_DIR"), "tests", "vectors", "refi-qda", "Project.xsd", NULL);
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

  /* C1, C2, D1 and A6 (rare on hist_street) are left out. */
  g_assert_cmpuint (vw_export_get_n_suppressed (export), ==, 4);
  wide = read_table (path, "trajectories_wide.csv");
  g_assert_cmpuint (wide->len, ==, 1 + 11);
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
  g_test_add_func ("/export/k/round-quasi", test_k_round_quasi);
  g_test_add_func ("/export/stats/read-back", test_stats_read_back);
  g_test_add_func ("/export/r-script", test_r_script);
  g_test_add_func ("/export/redact", test_redact);
  g_test_add_func ("/export/qdpx", test_qdpx);
  g_test_add_func ("/export/refusals", test_refusals);
  g_test_add_func ("/export/manifest", test_manifest);
  g_test_add_func ("/export/async", test_async);
  return g_test_run ();
}
