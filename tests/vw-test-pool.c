/* Helpers of the pool's tests (see vw-test-pool.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <readstat.h>
#include <sodium.h>
#include <string.h>

#include "vw-test-pool.h"

static const char * const residences[] = {
  "mo", "bw", "bw", "omklap", "eigen_woning", "housing_first", "straat", "netwerk", "instelling", "", "mo",
};
static const char * const activities[] = {
  "betaald_werk", "beschut_werk", "opleiding", "werk_zoekend", "vrijwilligerswerk", "dagbesteding", "geen",
  "onbekend", "",
};
static const char * const stays[] = { "straat", "netwerk", "mo", "tijdelijk", "instelling", "eigen_woning" };
static const char * const debts[] = { "ja", "nee", "onbekend", "" };
static const char * const money[] = { "zelf", "bewindvoering", "budgetbeheer", "familie_anders", "onbekend", "" };
static const char * const history[] = { "ja", "nee", "niet_besproken", "" };

#define PICK(rand, list) (list)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))]

static void
code_of (const char *region,
         guint       i,
         char        code[16])
{
  static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  char body[6] = { 0 };

  for (guint d = 0, v = i + 1; d < 5; d++, v /= 32)
    body[4 - d] = digits[v % 32];
  g_snprintf (code, 16, "%s-%s", region, body);
}

static void
keys_init (VwTestRegion *region,
           const char   *code)
{
  region->region = g_strdup (code);
  region->study_id = g_strdup_printf ("study-%s-%08x", code, g_random_int ());
  region->study_name = g_strdup_printf ("Studie %s", code);
  region->export_key = vw_secret_new (32);
  randombytes_buf (vw_secret_data (region->export_key), 32);
  region->signing_key = vw_bundle_signing_key_generate (region->public_key);
}

void
vw_test_region_init (VwTestRegion *region,
                     const char   *region_code,
                     guint         n,
                     guint         n_rare,
                     guint         n_rounds,
                     guint32       seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;

  memset (region, 0, sizeof *region);
  keys_init (region, region_code);
  region->participants = g_string_new ("code,pseudonym,region,origin,birth_year,hist_street,hist_unsafe_home\n");
  region->rounds = g_string_new ("code,round,status,date,residence,residence_since,participation,debts,"
                                 "money_management,income\n");
  region->episodes = g_string_new ("code,start,end,residence\n");

  for (guint i = 0; i < n + n_rare; i++)
    {
      gboolean rare = i >= n;
      /* Origin by the lowest bit, age band by the next: every group of
       * region, origin and age band is a quarter of the region. */
      const char *origin = rare ? "buiten_regio" : i % 2 ? "regiogemeente" : "centrumgemeente";
      int birth = (i / 2) % 2 ? 1965 : 1985;
      guint first = g_rand_int_range (rand, 0, MAX (1, n_rounds - 1));
      char code[16];

      code_of (region->region, i, code);
      g_string_append_printf (region->participants, "%s,%s%u,%s,%s,%d,%s,%s\n", code, region->region, i,
                              region->region, origin, birth, PICK (rand, history), PICK (rand, history));
      for (guint r = first; r < n_rounds; r++)
        {
          const char *status = r == first || g_rand_int_range (rand, 0, 6) != 0 ? "interviewed"
                               : g_rand_boolean (rand) ? "declined" : "unreachable";
          int year = 2018 + r;
          char since[16] = "";

          if (!g_str_equal (status, "interviewed"))
            {
              g_string_append_printf (region->rounds, "%s,T%u,%s,,,,,,,\n", code, r, status);
              continue;
            }
          if (g_rand_int_range (rand, 0, 3) != 0)
            g_snprintf (since, sizeof since, "%d-01", year);
          g_string_append_printf (region->rounds, "%s,T%u,interviewed,%d-%02u-%02u,%s,%s,%s,%s,%s,%s\n", code, r,
                                  year, 2 + i % 9, 1 + (i * 7 + r) % 27, PICK (rand, residences), since,
                                  PICK (rand, activities), PICK (rand, debts), PICK (rand, money),
                                  g_rand_boolean (rand) ? "uitkering" : "");
          /* A stay between this interview and the next, for some. */
          if (r + 1 < n_rounds && g_rand_int_range (rand, 0, 4) == 0)
            g_string_append_printf (region->episodes, "%s,%d-11,%d-12,%s\n", code, year, year,
                                    PICK (rand, stays));
        }
    }

  region->records = vw_records_new_from_csv (region->participants->str, region->rounds->str, region->episodes->str,
                                             NULL, &error);
  g_assert_no_error (error);
}

void
vw_test_region_init_from_dir (VwTestRegion *region,
                              const char   *code,
                              const char   *dir)
{
  const char *files[] = { "participants.csv", "rounds.csv", "episodes.csv" };
  GString **texts[] = { &region->participants, &region->rounds, &region->episodes };
  g_autoptr(GError) error = NULL;

  memset (region, 0, sizeof *region);
  keys_init (region, code);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_build_filename (dir, files[f], NULL);
      g_autofree char *text = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      *texts[f] = g_string_new (text);
    }
  region->records = vw_records_load_dir (dir, NULL, &error);
  g_assert_no_error (error);
}

void
vw_test_region_clear (VwTestRegion *region)
{
  g_free (region->region);
  g_free (region->study_id);
  g_free (region->study_name);
  if (region->participants)
    g_string_free (region->participants, TRUE);
  if (region->rounds)
    g_string_free (region->rounds, TRUE);
  if (region->episodes)
    g_string_free (region->episodes, TRUE);
  g_clear_pointer (&region->records, vw_records_unref);
  g_clear_pointer (&region->export_key, vw_secret_free);
  g_clear_pointer (&region->signing_key, vw_secret_free);
  g_free (region->package);
}

const char *
vw_test_region_export (VwTestRegion    *region,
                       const char      *dir,
                       VwExportOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExport) export = NULL;
  const char *regions[] = { region->region, NULL };
  const char *questionnaires[] = { "mo-bw-trajectory 1.0", NULL };
  VwExportOptions filled = *options;
  g_autofree char *name = g_strdup_printf ("%s-package%s", region->region, options->recipients ? ".tar.age" : "");

  filled.study_id = region->study_id;
  filled.study_name = region->study_name;
  filled.signing_key = options->signing_key ? options->signing_key : region->signing_key;
  filled.regions = options->regions ? options->regions : regions;
  filled.questionnaires = questionnaires;
  if (filled.formats == 0)
    filled.formats = VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA;

  g_free (region->package);
  region->package = g_build_filename (dir, name, NULL);
  export = vw_export_new (region->records, NULL, region->export_key, &filled, &error);
  g_assert_no_error (error);
  vw_export_write (export, region->package, NULL, &error);
  g_assert_no_error (error);
  return region->package;
}

char *
vw_test_region_trust_line (VwTestRegion *region)
{
  g_autofree char *key = vw_package_format_key (region->public_key);

  return g_strdup_printf ("%s coordinator %s\n", key, region->region);
}

/* Appends the rows of @csv (without its header) to @out. */
static void
append_rows (GString    *out,
             const char *csv)
{
  const char *body = strchr (csv, '\n');

  if (out->len == 0)
    g_string_append_len (out, csv, body ? body - csv + 1 : (gssize) strlen (csv));
  if (body != NULL)
    g_string_append (out, body + 1);
}

/* Only the lines of @csv whose code (the first field) @keep holds. */
static char *
filter_rows (const char *csv,
             GHashTable *keep)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *code = g_strndup (lines[i], strcspn (lines[i], ","));

      if (*lines[i] == '\0')
        continue;
      if (i == 0 || keep == NULL || g_hash_table_contains (keep, code))
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  return g_string_free (out, FALSE);
}

VwRecords *
vw_test_union_records (VwTestRegion **regions,
                       guint          n_regions,
                       GHashTable    *keep)
{
  g_autoptr(GString) participants = g_string_new (NULL);
  g_autoptr(GString) rounds = g_string_new (NULL);
  g_autoptr(GString) episodes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  VwRecords *records;

  /* The regions' files share their headers. */
  for (guint i = 0; i < n_regions; i++)
    {
      g_autofree char *p = filter_rows (regions[i]->participants->str, keep);
      g_autofree char *r = filter_rows (regions[i]->rounds->str, keep);
      g_autofree char *e = filter_rows (regions[i]->episodes->str, keep);

      append_rows (participants, p);
      append_rows (rounds, r);
      append_rows (episodes, e);
    }
  records = vw_records_new_from_csv (participants->str, rounds->str, episodes->str, NULL, &error);
  g_assert_no_error (error);
  return records;
}

GPtrArray *
vw_test_read_csv_rows (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(VwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
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

typedef struct
{
  GPtrArray *names;
  GPtrArray *cells;
  int        n_vars;
} Stats;

static int
on_variable (int                  index,
             readstat_variable_t *variable,
             const char          *val_labels,
             void                *ctx)
{
  Stats *stats = ctx;

  g_ptr_array_add (stats->names, g_strdup (readstat_variable_get_name (variable)));
  stats->n_vars = index + 1;
  return READSTAT_HANDLER_OK;
}

static int
on_value (int                  obs_index,
          readstat_variable_t *variable,
          readstat_value_t     value,
          void                *ctx)
{
  Stats *stats = ctx;

  if (readstat_value_type (value) == READSTAT_TYPE_STRING)
    g_ptr_array_add (stats->cells, g_strdup (readstat_string_value (value) ? readstat_string_value (value) : ""));
  else if (readstat_value_is_system_missing (value))
    g_ptr_array_add (stats->cells, g_strdup (""));
  else
    g_ptr_array_add (stats->cells, g_strdup_printf ("%d", readstat_int32_value (value)));
  return READSTAT_HANDLER_OK;
}

GPtrArray *
vw_test_read_stats_rows (const char *path)
{
  readstat_parser_t *parser = readstat_parser_init ();
  Stats stats = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free), 0 };
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  readstat_error_t status;
  GStrv header;

  readstat_set_variable_handler (parser, on_variable);
  readstat_set_value_handler (parser, on_value);
  status = g_str_has_suffix (path, ".dta") ? readstat_parse_dta (parser, path, &stats)
                                           : readstat_parse_sav (parser, path, &stats);
  readstat_parser_free (parser);
  g_assert_cmpstr (readstat_error_message (status), ==, readstat_error_message (READSTAT_OK));

  header = g_new0 (char *, stats.n_vars + 1);
  for (int c = 0; c < stats.n_vars; c++)
    header[c] = g_strdup (g_ptr_array_index (stats.names, c));
  g_ptr_array_add (rows, header);
  for (guint r = 0; stats.n_vars > 0 && r < stats.cells->len / stats.n_vars; r++)
    {
      GStrv row = g_new0 (char *, stats.n_vars + 1);

      for (int c = 0; c < stats.n_vars; c++)
        row[c] = g_strdup (g_ptr_array_index (stats.cells, r * stats.n_vars + c));
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_unref (stats.names);
  g_ptr_array_unref (stats.cells);
  return rows;
}

int
vw_test_column (GPtrArray  *rows,
                const char *name)
{
  GStrv header = g_ptr_array_index (rows, 0);

  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  return -1;
}

guint
vw_test_group_sizes (GPtrArray          *rows,
                     const char * const *quasi,
                     GHashTable        **sizes_out)
{
  g_autoptr(GHashTable) combination = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint m = g_strv_length ((GStrv) quasi);
  g_autofree int *columns = g_new0 (int, m + 1);
  int id = vw_test_column (rows, "export_id");
  GHashTableIter iter;
  gpointer key, value;
  guint smallest = 0;

  g_assert_cmpint (id, >=, 0);
  for (guint q = 0; q < m; q++)
    {
      columns[q] = vw_test_column (rows, quasi[q]);
      g_assert_cmpint (columns[q], >=, 0);
    }
  for (guint r = 1; r < rows->len; r++)
    {
      GStrv row = g_ptr_array_index (rows, r);
      GString *text = g_string_new (NULL);
      const char *known;

      for (guint q = 0; q < m; q++)
        g_string_append_printf (text, "%zu:%s", strlen (row[columns[q]]), row[columns[q]]);
      known = g_hash_table_lookup (combination, row[id]);
      if (known != NULL)
        g_assert_cmpstr (known, ==, text->str);
      else
        g_hash_table_insert (combination, g_strdup (row[id]), g_strdup (text->str));
      g_string_free (text, TRUE);
    }
  g_hash_table_iter_init (&iter, combination);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (counts, value, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, value)) + 1));
  g_hash_table_iter_init (&iter, combination);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint size = GPOINTER_TO_UINT (g_hash_table_lookup (counts, value));

      g_hash_table_insert (sizes, g_strdup (key), GUINT_TO_POINTER (size));
      if (smallest == 0 || size < smallest)
        smallest = size;
    }
  *sizes_out = sizes;
  return smallest;
}
