/* Pooling signed regional packages, with the core: three
 * regional studies are built, exported as signed packages and pooled.
 * The pooled tables must be the tables of the union of their records;
 * a changed byte, a forged or untrusted signature, a package of another
 * rule set, codebook or age bands must be refused with the reason and
 * nothing written; every released group of the pooled files, read back
 * from CSV, .sav and .dta, must hold at least k; the published figures of
 * tests/records/ must come out of the pooled tables; and the table book
 * must hold every table's figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "vw-core.h"
#include "vw-fuzz-pool.h"
#include "vw-package-private.h"
#include "vw-tables-private.h"
#include "vw-test-pool.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

#define N_REGIONS 3

typedef struct
{
  char         *dir;
  VwTestRegion  regions[N_REGIONS];
  VwTrustList  *trust;
} Fixture;

/* DH with three rounds, FL with two (so that its column lacks T2), GV with
 * four; every group of region, origin and age band holds at least five. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_rare = GPOINTER_TO_UINT (data);
  VwExportOptions options = { 0 };

  f->dir = g_dir_make_tmp ("pool-XXXXXX", &error);
  g_assert_no_error (error);
  vw_test_region_init (&f->regions[0], "DH", 24, 0, 3, 11);
  vw_test_region_init (&f->regions[1], "FL", 20, 0, 2, 22);
  vw_test_region_init (&f->regions[2], "GV", 28, n_rare, 4, 33);
  f->trust = vw_trust_list_new ();
  for (guint i = 0; i < N_REGIONS; i++)
    {
      g_autofree char *line = vw_test_region_trust_line (&f->regions[i]);

      vw_test_region_export (&f->regions[i], f->dir, &options);
      g_assert_true (vw_trust_list_add_text (f->trust, "trust.txt", line, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < N_REGIONS; i++)
    vw_test_region_clear (&f->regions[i]);
  vw_trust_list_free (f->trust);
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
}

static GPtrArray *
open_packages (Fixture *f)
{
  GPtrArray *packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);

  for (guint i = 0; i < N_REGIONS; i++)
    {
      g_autoptr(GError) error = NULL;
      VwPackage *package = vw_package_open (f->regions[i].package, NULL, f->trust, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (packages, package);
    }
  return packages;
}

/* The comparison counted straight from records: per region, and the union
 * of @keep (all when NULL). */
static VwComparison *
comparison_of_records (Fixture    *f,
                       GHashTable *keep)
{
  VwTestRegion *regions[N_REGIONS];
  g_autoptr(VwRecords) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rounds = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint *numbers;
  guint n;
  VwComparison *comparison;

  for (guint i = 0; i < N_REGIONS; i++)
    regions[i] = &f->regions[i];
  all = vw_test_union_records (regions, N_REGIONS, keep);
  numbers = vw_records_get_round_numbers (all, &n);
  comparison = vw_comparison_new (VW_RULE_SET_DH3, NULL, numbers, n);
  for (guint i = 0; i < N_REGIONS; i++)
    {
      g_autoptr(VwRecords) own = vw_test_union_records (&regions[i], 1, keep);
      const VwCode *code = vw_code_list_lookup (vw_codebook_get_code_list (vw_codebook_get_core (), "region"),
                                                regions[i]->region);

      vw_comparison_add_column (comparison, regions[i]->region, vw_code_get_label (code, "en"), own, NULL);
      g_assert_true (vw_comparison_add_tables (comparison, &error));
      g_assert_no_error (error);
    }
  vw_comparison_add_column (comparison, "pooled", "All regions", all, NULL);
  g_assert_true (vw_comparison_add_tables (comparison, &error));
  g_assert_no_error (error);
  return comparison;
}

/* Every table of @pooled, cell for cell, is the table of the records: the
 * side-by-side CSV as a whole, and each column's table as `report` would
 * print it. */
static void
assert_same_tables (VwComparison *pooled,
                    VwComparison *expected)
{
  GPtrArray *a = vw_comparison_get_tables (pooled);
  GPtrArray *b = vw_comparison_get_tables (expected);

  g_assert_cmpuint (vw_comparison_get_n_columns (pooled), ==, vw_comparison_get_n_columns (expected));
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint t = 0; t < a->len; t++)
    {
      VwComparisonTable *ta = g_ptr_array_index (a, t);
      VwComparisonTable *tb = g_ptr_array_index (b, t);
      g_autofree char *csv_a = vw_comparison_table_to_csv (pooled, ta);
      g_autofree char *csv_b = vw_comparison_table_to_csv (expected, tb);

      g_assert_cmpstr (ta->id, ==, tb->id);
      g_assert_cmpstr (csv_a, ==, csv_b);
      for (guint c = 0; c < ta->tables->len; c++)
        {
          VwTable *x = g_ptr_array_index (ta->tables, c);
          VwTable *y = g_ptr_array_index (tb->tables, c);

          g_assert_true ((x == NULL) == (y == NULL));
          if (x != NULL)
            {
              g_autofree char *text_x = vw_table_to_text (x);
              g_autofree char *text_y = vw_table_to_text (y);

              g_assert_cmpstr (text_x, ==, text_y);
            }
        }
    }
}

/* The pooled tables are those of the union of the regions' records, and
 * each region's column those of its own. */
static void
test_union (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) packages = open_packages (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autoptr(VwComparison) pooled = NULL;
  g_autoptr(VwComparison) expected = comparison_of_records (f, NULL);
  g_autofree char *out = g_build_filename (f->dir, "pooled", NULL);
  VwPoolOptions options = { .tables = TRUE };
  GPtrArray *tables;
  guint checked = 0;

  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  /* Nobody is left out here: the union is the whole of the records. */
  g_assert_cmpuint (vw_pool_get_n_participants (pool), ==, 24 + 20 + 28);
  g_assert_cmpuint (vw_pool_get_n_released (pool), ==, 24 + 20 + 28);
  g_assert_cmpuint (vw_pool_get_k (pool), ==, VW_EXPORT_DEFAULT_K);

  pooled = vw_pool_build_comparison (pool, &error);
  g_assert_no_error (error);
  assert_same_tables (pooled, expected);

  /* The files: table_<id>.csv is that comparison. */
  g_assert_true (vw_pool_write (pool, out, NULL, &error));
  g_assert_no_error (error);
  tables = vw_comparison_get_tables (expected);
  for (guint t = 0; t < tables->len; t++)
    {
      VwComparisonTable *table = g_ptr_array_index (tables, t);
      g_autofree char *name = g_strconcat ("table_", table->id, ".csv", NULL);
      g_autofree char *path = g_build_filename (out, name, NULL);
      g_autofree char *written = NULL;
      g_autofree char *csv = vw_comparison_table_to_csv (expected, table);

      g_file_get_contents (path, &written, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (written, ==, csv);
      checked++;
    }
  /* Eight tables, two of them per round (T0 to T3). */
  g_assert_cmpuint (checked, ==, 6 + 2 * 4);
  /* FL has no T2: its block of a T2 table is empty, the others are not. */
  {
    g_autofree char *path = g_build_filename (out, "table_rounds_attended_T2.csv", NULL);
    g_autoptr(GPtrArray) rows = vw_test_read_csv_rows (path);
    GStrv last = g_ptr_array_index (rows, rows->len - 1);

    g_assert_cmpstr (last[0], ==, "denominator");
    g_assert_cmpstr (last[vw_test_column (rows, "FL_n")], ==, "");
    g_assert_cmpstr (last[vw_test_column (rows, "DH_n")], !=, "");
    g_assert_cmpint (atoi (last[vw_test_column (rows, "pooled_n")]), ==,
                     atoi (last[vw_test_column (rows, "DH_n")]) + atoi (last[vw_test_column (rows, "GV_n")]));
  }
}

/* Two participants of GV share an origin nobody else has: their region's
 * export leaves them out, and the pooled tables are those of the union of
 * the participants released. */
static void
test_released (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) packages = open_packages (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autoptr(VwComparison) pooled = NULL;
  g_autoptr(VwComparison) expected = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *out = g_build_filename (f->dir, "pooled", NULL);
  g_autofree char *wide_path = g_build_filename (out, "trajectories_wide.csv", NULL);
  g_autoptr(GPtrArray) wide = NULL;
  VwPoolOptions options = { .formats = VW_EXPORT_FORMAT_CSV };
  guint left_out = 0;

  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vw_pool_get_n_participants (pool), ==, 24 + 20 + 28);
  g_assert_true (vw_pool_write (pool, out, NULL, &error));
  g_assert_no_error (error);

  /* Who was released, from the pooled file: the study code, a dash and
   * the region's own export id. */
  wide = vw_test_read_csv_rows (wide_path);
  for (guint r = 1; r < wide->len; r++)
    g_hash_table_add (ids, g_strdup (strchr (((GStrv) g_ptr_array_index (wide, r))[0], '-') + 1));
  for (guint i = 0; i < N_REGIONS; i++)
    {
      const VwRecordParticipant *participants;
      guint n;

      participants = vw_records_get_participants (f->regions[i].records, &n);
      for (guint p = 0; p < n; p++)
        {
          g_autofree char *id = vw_export_id (f->regions[i].export_key, participants[p].code);

          if (g_hash_table_contains (ids, id))
            g_hash_table_add (keep, g_strdup (participants[p].code));
          else
            {
              g_assert_cmpstr (participants[p].origin, ==, "buiten_regio");
              left_out++;
            }
        }
    }
  g_assert_cmpuint (left_out, ==, 2);

  pooled = vw_pool_build_comparison (pool, &error);
  g_assert_no_error (error);
  expected = comparison_of_records (f, keep);
  assert_same_tables (pooled, expected);
}

/* Refusals: each package is changed the way an attacker or a mix-up
 * would, and the pool says what is wrong and writes nothing. */

static char *
copy_package (Fixture    *f,
              guint       region,
              const char *name)
{
  char *copy = g_build_filename (f->dir, name, NULL);
  g_autoptr(GPtrArray) files = vw_test_list_files (f->regions[region].package);

  g_assert_cmpint (g_mkdir (copy, 0700), ==, 0);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      g_autofree char *to = g_build_filename (copy, base, NULL);

      vw_test_copy_file (g_ptr_array_index (files, i), to);
    }
  return copy;
}

static void
flip_byte (const char *path,
           gsize       offset)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offset, <, len);
  data[offset] ^= 0x01;
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

/* Replaces @from by @to in manifest.json and signs it again with @key: a
 * package made by a trusted coordinator with other settings. */
static void
resign_manifest (const char     *package,
                 const char     *from,
                 const char     *to,
                 const VwSecret *key)
{
  g_autofree char *path = g_build_filename (package, "manifest.json", NULL);
  g_autofree char *sig_path = g_build_filename (package, "manifest.sig", NULL);
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_auto(GStrv) parts = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, from));
  parts = g_strsplit (text, from, 2);
  changed = g_strjoinv (to, parts);
  manifest = g_bytes_new (changed, strlen (changed));
  signature = vw_package_sign_manifest (manifest, key, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, changed, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (sig_path, g_bytes_get_data (signature, NULL), g_bytes_get_size (signature), &error);
  g_assert_no_error (error);
}

/* Replaces the first @from in @package's @file by @to, of the same length,
 * puts the file's new SHA-256 in manifest.json and signs it again with
 * @key: tables that a trusted coordinator signed, but that contradict
 * each other. */
static void
resign_table (const char     *package,
              const char     *file,
              const char     *from,
              const char     *to,
              const VwSecret *key)
{
  g_autofree char *path = g_build_filename (package, file, NULL);
  g_autofree char *text = NULL;
  g_autofree char *old_sha = NULL;
  g_autofree char *new_sha = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  char *at;

  g_assert_cmpuint (strlen (from), ==, strlen (to));
  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  old_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, len);
  at = strstr (text, from);
  g_assert_nonnull (at);
  memcpy (at, to, strlen (to));
  new_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, len);
  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);
  resign_manifest (package, old_sha, new_sha, key);
}

/* The package must not open: @code, and @words in the message. */
static void
assert_open_refused (Fixture    *f,
                     const char *path,
                     VwTrustList *trust,
                     int         code,
                     const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPackage) package = vw_package_open (path, NULL, trust ? trust : f->trust, NULL, &error);

  g_assert_null (package);
  g_assert_error (error, VW_PACKAGE_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("“%s” is not in “%s”", words, error->message);
}

/* The packages open, but cannot be pooled: @code and @words. */
static void
assert_pool_refused (Fixture    *f,
                     const char *replacement,
                     guint       region,
                     int         code,
                     const char *words)
{
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autofree char *out = g_build_filename (f->dir, "never", NULL);
  VwPoolOptions options = { 0 };

  for (guint i = 0; i < N_REGIONS; i++)
    {
      VwPackage *package = vw_package_open (i == region ? replacement : f->regions[i].package, NULL, f->trust, NULL,
                                            &error);

      g_assert_no_error (error);
      g_ptr_array_add (packages, package);
    }
  pool = vw_pool_new (packages, &options, &error);
  g_assert_null (pool);
  g_assert_error (error, VW_POOL_ERROR, code);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” is not in “%s”", words, error->message);
  g_assert_nonnull (strstr (error->message, replacement));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  VwTestRegion *fl = &f->regions[1];
  g_autoptr(GError) error = NULL;

  /* A changed byte in a table, in the manifest, in the signature. */
  {
    g_autofree char *copy = copy_package (f, 1, "changed-table");
    g_autofree char *table = g_build_filename (copy, "trajectories_wide.dta", NULL);

    flip_byte (table, 400);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_CHANGED, "trajectories_wide.dta is not the file that was "
                                                                  "signed");
  }
  {
    g_autofree char *copy = copy_package (f, 1, "changed-manifest");
    g_autofree char *manifest = g_build_filename (copy, "manifest.json", NULL);

    flip_byte (manifest, 100);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_SIGNATURE, "the manifest was changed after it was signed");
  }
  {
    g_autofree char *copy = copy_package (f, 1, "changed-signature");
    g_autofree char *signature = g_build_filename (copy, "manifest.sig", NULL);

    g_autofree char *text = NULL;
    gsize len;
    char *value;

    /* Another base64 digit in the signature: the line still reads, the
     * signature is another one. */
    g_assert_true (g_file_get_contents (signature, &text, &len, NULL));
    value = strstr (text, "signature: ") + strlen ("signature: ") + 10;
    *value = *value == 'A' ? 'B' : 'A';
    g_file_set_contents (signature, text, len, &error);
    g_assert_no_error (error);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_SIGNATURE, "the signature of the manifest is not valid");
  }

  /* Files of another package put in, a file taken out, one added, the
   * signature removed. */
  {
    g_autofree char *copy = copy_package (f, 1, "mixed");
    g_autofree char *from = g_build_filename (f->regions[0].package, "trajectories_long.csv", NULL);
    g_autofree char *to = g_build_filename (copy, "trajectories_long.csv", NULL);

    vw_test_copy_file (from, to);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_CHANGED, "trajectories_long.csv");
  }
  {
    g_autofree char *copy = copy_package (f, 1, "missing");
    g_autofree char *gone = g_build_filename (copy, "trajectories_long.sav", NULL);

    g_assert_cmpint (g_unlink (gone), ==, 0);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_MISSING, "trajectories_long.sav");
  }
  {
    g_autofree char *copy = copy_package (f, 1, "extra");
    g_autofree char *added = g_build_filename (copy, "names.csv", NULL);

    g_file_set_contents (added, "export_id,name\n", -1, &error);
    g_assert_no_error (error);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_EXTRA, "names.csv");
  }
  {
    g_autofree char *copy = copy_package (f, 1, "unsigned");
    g_autofree char *signature = g_build_filename (copy, "manifest.sig", NULL);

    g_assert_cmpint (g_unlink (signature), ==, 0);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_UNSIGNED, "not signed");
  }

  /* Signed by a key nobody trusts; signed again by another trusted
   * coordinator over a manifest that names FL's. */
  {
    g_autoptr(VwTrustList) others = vw_trust_list_new ();
    g_autofree char *dh = vw_test_region_trust_line (&f->regions[0]);
    g_autofree char *key = vw_package_format_key (fl->public_key);

    g_assert_true (vw_trust_list_add_text (others, "dh.txt", dh, &error));
    assert_open_refused (f, fl->package, others, VW_PACKAGE_ERROR_UNTRUSTED, key);
  }
  {
    g_autofree char *copy = copy_package (f, 1, "other-signer");

    resign_manifest (copy, "\"created\"", "\"created\"", f->regions[0].signing_key);
    assert_open_refused (f, copy, NULL, VW_PACKAGE_ERROR_SIGNATURE, "names another signer");
  }

  /* A package that names no region its participants have. */
  {
    g_autofree char *copy = copy_package (f, 1, "wrong-region");

    resign_manifest (copy, "\"FL\"", "\"DH\"", fl->signing_key);
    assert_pool_refused (f, copy, 1, VW_POOL_ERROR_TABLE, "the region FL is not one of the study’s regions");
  }

  /* Tables that contradict each other, signed by their trusted
   * coordinator: a round's residence in the long table that is not the
   * wide table's. */
  {
    g_autofree char *copy = copy_package (f, 1, "long-not-wide");

    resign_table (copy, "trajectories_long.csv", ",mo,", ",bw,", fl->signing_key);
    assert_pool_refused (f, copy, 1, VW_POOL_ERROR_TABLE, "the value differs from the participant’s in "
                                                          "trajectories_wide.csv");
  }

  /* A manifest that claims more released participants than the tables
   * hold. */
  {
    g_autofree char *copy = copy_package (f, 1, "more-released");

    resign_manifest (copy, "\"released\" : ", "\"released\" : 1", fl->signing_key);
    assert_pool_refused (f, copy, 1, VW_POOL_ERROR_TABLE, "but the manifest says");
  }

  /* Another codebook version; the same study twice. */
  {
    g_autofree char *copy = copy_package (f, 1, "codebook-2");

    resign_manifest (copy, "\"version\" : \"1\"", "\"version\" : \"2\"", fl->signing_key);
    assert_pool_refused (f, copy, 1, VW_POOL_ERROR_INCOMPATIBLE,
                         "the version of the codebook veldwerk-core is 1 in the first and 2 in the second");
  }
  {
    g_autofree char *copy = copy_package (f, 2, "same-study");

    assert_pool_refused (f, copy, 1, VW_POOL_ERROR_DUPLICATE, "are both of the study “Studie GV”");
  }

  /* Another rule set and other age bands: FL exported again (last, as its
   * package then is that one). */
  {
    g_autofree char *dir = g_build_filename (f->dir, "fl4", NULL);
    VwExportOptions options = { .rules = VW_RULE_SET_FL4 };
    g_autofree char *package = NULL;

    g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
    package = g_strdup (vw_test_region_export (fl, dir, &options));
    assert_pool_refused (f, package, 1, VW_POOL_ERROR_INCOMPATIBLE, "the rule set of the trajectory types is dh3 in "
                                                                    "the first and fl4 in the second");
  }
  {
    g_autofree char *dir = g_build_filename (f->dir, "gv-bands", NULL);
    VwExportOptions options = { .age_scheme = "gv" };
    g_autofree char *package = NULL;

    g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
    package = g_strdup (vw_test_region_export (fl, dir, &options));
    assert_pool_refused (f, package, 1, VW_POOL_ERROR_INCOMPATIBLE, "the scheme of the age bands is dh in the first and gv");
  }
}

/* An existing folder is never written into, and stays as it was. */
static void
test_existing_folder (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) packages = open_packages (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autofree char *out = g_build_filename (f->dir, "existing", NULL);
  g_autofree char *file = g_build_filename (out, "notes.txt", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  VwPoolOptions options = { .tables = TRUE };

  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_file_set_contents (file, "mine", -1, &error);
  g_assert_no_error (error);
  before = vw_test_file_checksum (file);
  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  g_assert_false (vw_pool_write (pool, out, NULL, &error));
  g_assert_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_EXISTS);
  after = vw_test_file_checksum (file);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (vw_test_count_entries (out), ==, 1);
  g_assert_cmpuint (vw_test_count_entries (f->dir), ==, N_REGIONS + 1);
}

/* With a larger k and an added quasi-identifier the pool generalizes and
 * leaves people out of its own; every released group of every pooled file
 * holds at least k, read back as an analyst would. */
static void
test_k_every_format (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) packages = open_packages (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autofree char *out = g_build_filename (f->dir, "pooled", NULL);
  g_autofree char *manifest_path = g_build_filename (out, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) quasi = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) reference = NULL;
  const char *more[] = { "hist_street", NULL };
  const char *tables[] = { "trajectories_wide", "trajectories_long" };
  const char *extensions[] = { ".csv", ".sav", ".dta" };
  VwPoolOptions options = { .k = 7, .quasi = more };
  JsonObject *dc;
  JsonArray *names;
  guint smallest;

  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vw_pool_get_k (pool), ==, 7);
  g_assert_true (vw_pool_write (pool, out, NULL, &error));
  g_assert_no_error (error);
  smallest = vw_pool_get_smallest_group (pool);
  g_assert_cmpuint (smallest, >=, 7);

  json_parser_load_from_file (parser, manifest_path, &error);
  g_assert_no_error (error);
  dc = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "disclosure_control");
  g_assert_cmpint (json_object_get_int_member (dc, "k"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (dc, "smallest_group"), ==, smallest);
  g_assert_cmpint (json_object_get_int_member (dc, "suppressed") + json_object_get_int_member (dc, "generalized"),
                   >, 0);
  names = json_object_get_array_member (dc, "quasi_identifiers");
  for (guint i = 0; i < json_array_get_length (names); i++)
    g_ptr_array_add (quasi, g_strdup (json_array_get_string_element (names, i)));
  g_ptr_array_add (quasi, NULL);
  g_assert_cmpstr (g_ptr_array_index (quasi, 0), ==, "study");
  g_assert_true (g_strv_contains ((const char * const *) quasi->pdata, "hist_street"));

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
      {
        g_autofree char *name = g_strconcat (tables[t], extensions[e], NULL);
        g_autofree char *path = g_build_filename (out, name, NULL);
        g_autoptr(GPtrArray) rows = e == 0 ? vw_test_read_csv_rows (path) : vw_test_read_stats_rows (path);
        g_autoptr(GHashTable) sizes = NULL;
        GHashTableIter iter;
        gpointer id, size;

        /* Every released group is at least k, and the smallest is the one
         * the manifest states. */
        g_assert_cmpuint (vw_test_group_sizes (rows, (const char * const *) quasi->pdata, &sizes), ==, smallest);
        g_assert_cmpuint (g_hash_table_size (sizes), ==, vw_pool_get_n_released (pool));
        if (reference == NULL)
          {
            reference = g_steal_pointer (&sizes);
            continue;
          }
        g_hash_table_iter_init (&iter, sizes);
        while (g_hash_table_iter_next (&iter, &id, &size))
          g_assert_cmpuint (GPOINTER_TO_UINT (size), ==, GPOINTER_TO_UINT (g_hash_table_lookup (reference, id)));
      }
}

/* Age packages: opened with the analyst's identity, refused when a byte
 * of the ciphertext changed or without the identity. */
static void
test_age_packages (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autofree char *dir = g_build_filename (f->dir, "age", NULL);
  g_autofree char *copy = NULL;
  VwExportOptions options = { 0 };
  VwPoolOptions pool_options = { 0 };

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_ptr_array_add (recipients, vw_age_identity_to_recipient (identity));
  g_ptr_array_add (identities, identity);
  options.recipients = recipients;
  for (guint i = 0; i < N_REGIONS; i++)
    {
      VwPackage *package;

      vw_test_region_export (&f->regions[i], dir, &options);
      package = vw_package_open (f->regions[i].package, identities, f->trust, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (packages, package);
    }
  pool = vw_pool_new (packages, &pool_options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vw_pool_get_n_released (pool), ==, 24 + 20 + 28);

  /* A changed byte of the payload, and no identity. */
  copy = g_build_filename (f->dir, "changed.tar.age", NULL);
  vw_test_copy_file (f->regions[1].package, copy);
  flip_byte (copy, 400);
  {
    g_autoptr(VwPackage) package = vw_package_open (copy, identities, f->trust, NULL, &error);

    g_assert_null (package);
    g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_CHANGED);
    g_clear_error (&error);
  }
  {
    g_autoptr(VwPackage) package = vw_package_open (f->regions[1].package, NULL, f->trust, NULL, &error);

    g_assert_null (package);
    g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_READ);
    g_assert_nonnull (strstr (error->message, "-i FILE"));
  }
}

/* The published figures of tests/records/ (make-published-records.py),
 * exported by their regions and pooled: Den Haag 44, 35, 35, 45 and 34
 * interviews, 64 participants, 18 of the 34 in T4 in all five rounds;
 * Flevoland 33 and 46 interviews (21 second ones), 58 participants, of
 * the 12 not re-interviewed 5 declined and 7 could not be reached. With
 * k = 3 nobody is left out of either package (with 4 three of Flevoland
 * are, with 5 two of Den Haag), so the pooled tables must give the
 * figures back exactly. */
static void
test_published (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pool-published-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "pooled", NULL);
  const char *studies[][2] = { { "DH", "denhaag" }, { "FL", "flevoland" } };
  VwTestRegion regions[2];
  g_autoptr(VwTrustList) trust = vw_trust_list_new ();
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  VwPoolOptions options = { .tables = TRUE, .formats = VW_EXPORT_FORMAT_CSV };
  struct
  {
    const char *file;
    const char *row;
    const char *column;
    const char *value;
  } figures[] = {
    { "attendance", "T0", "DH_interviews", "44" }, { "attendance", "T1", "DH_interviews", "35" },
    { "attendance", "T2", "DH_interviews", "35" }, { "attendance", "T3", "DH_interviews", "45" },
    { "attendance", "T4", "DH_interviews", "34" }, { "attendance", "T4", "DH_new", "1" },
    { "attendance", "total", "DH_interviews", "193" }, { "attendance", "total", "DH_new", "64" },
    { "rounds_attended_T4", "5", "DH_n", "18" }, { "rounds_attended_T4", "1", "DH_n", "1" },
    { "rounds_attended_T4", "denominator", "DH_n", "34" },
    { "attendance", "T0", "FL_interviews", "33" }, { "attendance", "T1", "FL_interviews", "46" },
    { "attendance", "T1", "FL_returning", "21" }, { "attendance", "total", "FL_new", "58" },
    { "rounds_attended_T1", "1", "FL_n", "25" }, { "rounds_attended_T1", "2", "FL_n", "21" },
    { "attendance", "total", "pooled_interviews", "272" }, { "attendance", "total", "pooled_new", "122" },
    { "attendance", "T1", "pooled_interviews", "81" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autofree char *records = g_test_build_filename (G_TEST_DIST, "records",
                                                        studies[i][1], NULL);
      g_autofree char *line = NULL;
      VwExportOptions export_options = { .k = 3, .formats = VW_EXPORT_FORMAT_CSV };

      vw_test_region_init_from_dir (&regions[i], studies[i][0], records);
      vw_test_region_export (&regions[i], dir, &export_options);
      line = vw_test_region_trust_line (&regions[i]);
      g_assert_true (vw_trust_list_add_text (trust, "trust", line, &error));
      g_ptr_array_add (packages, vw_package_open (regions[i].package, NULL, trust, NULL, &error));
      g_assert_no_error (error);
    }
  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vw_pool_get_n_released (pool), ==, 64 + 58);
  g_assert_true (vw_pool_write (pool, out, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *name = g_strconcat ("table_", figures[i].file, ".csv", NULL);
      g_autofree char *path = g_build_filename (out, name, NULL);
      g_autoptr(GPtrArray) rows = vw_test_read_csv_rows (path);
      int column = vw_test_column (rows, figures[i].column);
      const char *found = NULL;

      g_assert_cmpint (column, >=, 0);
      for (guint r = 1; r < rows->len; r++)
        if (g_str_equal (((GStrv) g_ptr_array_index (rows, r))[0], figures[i].row))
          found = ((GStrv) g_ptr_array_index (rows, r))[column];
      g_assert_cmpstr (found, ==, figures[i].value);
    }

  /* Flevoland's T1 non-response, from the pooled long table. */
  {
    g_autofree char *path = g_build_filename (out, "trajectories_long.csv", NULL);
    g_autoptr(GPtrArray) rows = vw_test_read_csv_rows (path);
    int region = vw_test_column (rows, "region"), round = vw_test_column (rows, "round");
    int status = vw_test_column (rows, "status");
    guint declined = 0, unreachable = 0;

    for (guint r = 1; r < rows->len; r++)
      {
        GStrv row = g_ptr_array_index (rows, r);

        if (!g_str_equal (row[region], "FL") || !g_str_equal (row[round], "T1"))
          continue;
        declined += g_str_equal (row[status], "declined");
        unreachable += g_str_equal (row[status], "unreachable");
      }
    g_assert_cmpuint (declined, ==, 5);
    g_assert_cmpuint (unreachable, ==, 7);
  }

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    vw_test_region_clear (&regions[i]);
  vw_test_rm_rf (dir);
}

/* The table book holds every table's figures: pdftotext gives back, for
 * each table, each column's cells as its text table prints them, side by
 * side where the book puts one count per column next to the others, else
 * one region under the other. */
static char *
normalize (const char *line)
{
  g_auto(GStrv) words = g_strsplit_set (line, " \t\f", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (kept, words[i]);
  joined = g_strv_builder_end (kept);
  return g_strjoinv (" ", joined);
}

static GHashTable *
pdf_lines (const char *pdf)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "pdftotext", "-layout", pdf, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_hash_table_add (set, normalize (lines[i]));
  return set;
}

static void
free_cells (gpointer cells)
{
  if (cells != NULL)
    g_ptr_array_unref (cells);
}

static void
test_book (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) packages = open_packages (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autoptr(VwComparison) comparison = NULL;
  g_autofree char *out = g_build_filename (f->dir, "pooled", NULL);
  g_autofree char *pdf = g_build_filename (out, "table-book.pdf", NULL);
  g_autoptr(GHashTable) lines = NULL;
  VwPoolOptions options = { .book = TRUE, .language = "en", .formats = VW_EXPORT_FORMAT_CSV };
  GPtrArray *tables;
  guint checked = 0;

  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  g_assert_true (vw_pool_write (pool, out, NULL, &error));
  g_assert_no_error (error);
  lines = pdf_lines (pdf);
  g_assert_true (g_hash_table_contains (lines, "Pooled regions"));

  comparison = vw_pool_build_comparison (pool, &error);
  g_assert_no_error (error);
  tables = vw_comparison_get_tables (comparison);
  for (guint t = 0; t < tables->len; t++)
    {
      VwComparisonTable *table = g_ptr_array_index (tables, t);
      guint n_columns = table->tables->len;
      VwTable *first = NULL;
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (free_cells);
      guint n_keys = 1, n_cells = 0, n_lines = 0;

      for (guint c = 0; c < n_columns; c++)
        {
          VwTable *column = g_ptr_array_index (table->tables, c);
          guint width = 0, height = 0;

          g_ptr_array_add (texts, column ? vw_table_get_text_cells (column, &width, &height) : NULL);
          if (column != NULL && first == NULL)
            {
              first = column;
              n_cells = width;
            }
          n_lines = MAX (n_lines, height);
        }
      g_assert_nonnull (first);
      n_keys = first->n_keys;
      /* Every count but those kept for the CSV (the retention table's
       * attempts_recorded). */
      {
        guint shown = first->n_keys;

        for (guint c = 0; c < first->n_counts; c++)
          shown += !(first->text_hidden & (1u << c));
        g_assert_cmpuint (n_cells, ==, shown);
      }

      /* The book's rule: one count per column, and at most five columns. */
      if (first->n_counts == 1 && n_columns <= 5)
        {
          /* Side by side: a row's label, then every column's cell. The
           * pooled column has every row. */
          GPtrArray *pooled = g_ptr_array_index (texts, n_columns - 1);

          for (guint l = 1; l < n_lines; l++)
            {
              g_autoptr(GString) expected = g_string_new (NULL);
              const char *label = g_ptr_array_index (pooled, l * n_cells);
              g_autofree char *normal = NULL;

              for (guint k = 0; k < n_keys; k++)
                g_string_append_printf (expected, "%s ", (char *) g_ptr_array_index (pooled, l * n_cells + k));
              for (guint c = 0; c < n_columns; c++)
                {
                  GPtrArray *cells = g_ptr_array_index (texts, c);
                  guint row = G_MAXUINT;

                  for (guint x = 1; cells != NULL && x < cells->len / n_cells; x++)
                    if (g_str_equal (g_ptr_array_index (cells, x * n_cells), label) &&
                        (n_keys < 2 || g_str_equal (g_ptr_array_index (cells, x * n_cells + 1),
                                                    g_ptr_array_index (pooled, l * n_cells + 1))))
                      row = x;
                  if (row != G_MAXUINT)
                    g_string_append_printf (expected, "%s ", (char *) g_ptr_array_index (cells, row * n_cells + n_keys));
                }
              normal = normalize (expected->str);
              if (!g_hash_table_contains (lines, normal))
                g_error ("%s: the book has no line “%s”", table->id, normal);
              checked++;
            }
        }
      else
        for (guint c = 0; c < n_columns; c++)
          {
            GPtrArray *cells = g_ptr_array_index (texts, c);

            /* One under the other: every row as the text table prints it. */
            for (guint l = 1; cells != NULL && l < cells->len / n_cells; l++)
              {
                g_autoptr(GString) expected = g_string_new (NULL);
                g_autofree char *normal = NULL;

                for (guint k = 0; k < n_cells; k++)
                  g_string_append_printf (expected, "%s ", (char *) g_ptr_array_index (cells, l * n_cells + k));
                normal = normalize (expected->str);
                if (!g_hash_table_contains (lines, normal))
                  g_error ("%s (%s): the book has no line “%s”", table->id, vw_comparison_get_key (comparison, c),
                           normal);
                checked++;
              }
          }
    }
  g_assert_cmpuint (checked, >, 100);
}

/* The signature, known answer: a key from the seed 00 01 .. 1f signs a
 * fixed manifest as OpenSSL's Ed25519 does over the same bytes (computed
 * with `openssl pkeyutl -sign -rawin`), and a changed byte fails. */
static void
test_signature_kat (void)
{
  static const char manifest_text[] = "{\"format\":\"veldwerk-anonymized-export\"}\n";
  static const char expected[] =
    "veldwerk-manifest-signature 1\n"
    "signer: ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
    "signature: /yLQkYrCwi78WrgUDvbQDxzqteS2nrCiYY8i/CYsiq5HhzwsgMx4bsO8bMyHBy9w3qIBOGqU9QZ2lLfORNGvDQ==\n";
  g_autoptr(VwSecret) key = vw_secret_new (crypto_sign_SECRETKEYBYTES);
  g_autoptr(GBytes) manifest = g_bytes_new_static (manifest_text, strlen (manifest_text));
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GError) error = NULL;
  guint8 seed[32], public_key[32];

  for (guint i = 0; i < 32; i++)
    seed[i] = i;
  crypto_sign_seed_keypair (public_key, vw_secret_data (key), seed);
  signature = vw_package_sign_manifest (manifest, key, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature), expected, strlen (expected));

  /* The same bytes in a tar verify, with one byte of the manifest changed
   * they do not. */
  for (guint changed = 0; changed < 2; changed++)
    {
      g_autoptr(GByteArray) tar = g_byte_array_new ();
      g_autoptr(VwTrustList) trust = vw_trust_list_new ();
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(VwPackage) package = NULL;
      g_autofree char *text = g_strdup (manifest_text);
      static const guint8 end[1024] = { 0 };
      g_autofree char *json = NULL;

      g_assert_true (vw_trust_list_add_key (trust, "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=", "kat",
                                            &error));
      if (changed)
        text[3] ^= 1;
      json = g_strdup (text);
      {
        guint8 header[512] = { 0 };
        guint sum = 0;
        const char *names[] = { "p/manifest.json", "p/manifest.sig" };
        const char *bodies[] = { json, expected };

        for (guint e = 0; e < 2; e++)
          {
            gsize len = strlen (bodies[e]);
            static const guint8 zeros[512] = { 0 };

            memset (header, 0, sizeof header);
            g_strlcpy ((char *) header, names[e], 100);
            memcpy (header + 100, "0000600", 8);
            g_snprintf ((char *) header + 124, 12, "%011o", (guint) len);
            memset (header + 148, ' ', 8);
            header[156] = '0';
            memcpy (header + 257, "ustar", 6);
            memcpy (header + 263, "00", 2);
            sum = 0;
            for (guint i = 0; i < 512; i++)
              sum += header[i];
            g_snprintf ((char *) header + 148, 8, "%06o", sum);
            g_byte_array_append (tar, header, 512);
            g_byte_array_append (tar, (const guint8 *) bodies[e], len);
            g_byte_array_append (tar, zeros, (512 - len % 512) % 512);
          }
      }
      g_byte_array_append (tar, end, sizeof end);
      in = g_memory_input_stream_new_from_data (tar->data, tar->len, NULL);
      package = vw_package_open_tar (in, "kat.tar", trust, NULL, &error);
      g_assert_null (package);
      /* Verified, it fails on the manifest's contents; changed, on the
       * signature. */
      if (changed)
        g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_SIGNATURE);
      else
        g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT);
      g_clear_error (&error);
    }
}

static void
test_trust_file (void)
{
  g_autoptr(VwTrustList) trust = vw_trust_list_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guchar *key = NULL;
  gsize len = 0;

  /* A file of `veldwerk-cli keys`, and lines with labels and comments. */
  g_assert_true (vw_trust_list_add_text (trust, "dh.keys",
                                         "recipient: age1ew2zhrs9yxjr8q9eg9g5fxp7dl4nqlq0vt8jsaw54qdl00a6a5hs7yxet4\n"
                                         "signing-key: ed25519:etFpIVUb9KhXTLUzAXur12vNnl+Se0KK+J6O65gw7Nk=\n",
                                         &error));
  g_assert_no_error (error);
  g_assert_true (vw_trust_list_add_text (trust, "others.txt",
                                         "# coordinators\n\n"
                                         "ed25519:nMedkuFZn5Wiersxe4flAa4tFyMPbaFT6PYjcPK3/yo= Flevoland (Anna)\n",
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vw_trust_list_get_n_keys (trust), ==, 2);
  key = g_base64_decode ("etFpIVUb9KhXTLUzAXur12vNnl+Se0KK+J6O65gw7Nk=", &len);
  g_assert_cmpuint (len, ==, 32);
  g_assert_cmpstr (vw_trust_list_lookup (trust, key), ==, "dh.keys");

  /* A bad line names the file and line, and adds none of the file's keys. */
  g_assert_false (vw_trust_list_add_text (trust, "bad.txt",
                                          "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg= ok\n"
                                          "ed25519:tooshort\n", &error));
  g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE);
  g_assert_nonnull (strstr (error->message, "bad.txt:2: not a signing key"));
  g_assert_cmpuint (vw_trust_list_get_n_keys (trust), ==, 2);
  g_clear_error (&error);
  g_assert_false (vw_trust_list_add_text (trust, "empty.txt", "# nothing\n", &error));
  g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE);
  g_clear_error (&error);

  /* `veldwerk-cli keys` prints the fingerprint below the key: it is read
   * with it, and one of another key (the key swapped on the way, the line
   * left) refuses the file. */
  {
    const char *key_text = "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    g_autofree char *fingerprint = vw_fingerprint_of_key_text (key_text, &error);
    g_autofree char *good = NULL, *swapped = NULL;

    g_assert_no_error (error);
    good = g_strdup_printf ("signing-key: %s\nfingerprint: %s\n", key_text, fingerprint);
    swapped = g_strdup_printf ("signing-key: ed25519:nMedkuFZn5Wiersxe4flAa4tFyMPbaFT6PYjcPK3/yo=\n"
                               "fingerprint: %s\n", fingerprint);
    g_assert_false (vw_trust_list_add_text (trust, "swapped.keys", swapped, &error));
    g_assert_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE);
    g_assert_nonnull (strstr (error->message, "swapped.keys:2: this fingerprint does not belong"));
    g_clear_error (&error);
    g_assert_cmpuint (vw_trust_list_get_n_keys (trust), ==, 2);
    g_assert_true (vw_trust_list_add_text (trust, "noord.keys", good, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (vw_trust_list_get_n_keys (trust), ==, 3);
  }
}

/* Numbers in the book: thousands apart as each language writes them. */
static void
test_format_count (void)
{
  const struct
  {
    gint64      n;
    const char *nl;
    const char *en;
  } cases[] = {
    { 0, "0", "0" }, { 999, "999", "999" }, { 1000, "1.000", "1,000" }, { 100000, "100.000", "100,000" },
    { 1234567, "1.234.567", "1,234,567" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *nl = vw_format_count (cases[i].n, "nl");
      g_autofree char *en = vw_format_count (cases[i].n, "en");

      g_assert_cmpstr (nl, ==, cases[i].nl);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
  {
    g_autofree char *cell = vw_format_cell ("12345 (56%)", "nl");
    g_autofree char *small = vw_format_cell ("123 (100%)", "en");

    g_assert_cmpstr (cell, ==, "12.345 (56%)");
    g_assert_cmpstr (small, ==, "123 (100%)");
  }
}

/* Inputs that once crashed the fuzz target, replayed. */
static void
test_regressions (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "pool-regressions", NULL);
  g_autofree char *seeds = g_test_build_filename (G_TEST_DIST, "fuzz", "pool-seeds", NULL);
  const char *dirs[] = { dir, seeds };
  guint n = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autoptr(GDir) listing = g_dir_open (dirs[d], 0, NULL);
      const char *name;

      while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *path = g_build_filename (dirs[d], name, NULL);
          g_autofree char *data = NULL;
          gsize len;

          if (!g_file_get_contents (path, &data, &len, NULL))
            continue;
          vw_fuzz_pool_one_input ((const guint8 *) data, len);
          n++;
        }
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add ("/pool/union", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_union, fixture_tear_down);
  g_test_add ("/pool/released", Fixture, GUINT_TO_POINTER (2), fixture_set_up, test_released, fixture_tear_down);
  g_test_add ("/pool/refusals", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/pool/existing-folder", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_existing_folder,
              fixture_tear_down);
  g_test_add ("/pool/k-every-format", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_k_every_format,
              fixture_tear_down);
  g_test_add ("/pool/age-packages", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_age_packages,
              fixture_tear_down);
  g_test_add ("/pool/book", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_book, fixture_tear_down);
  g_test_add_func ("/pool/published", test_published);
  g_test_add_func ("/pool/signature-kat", test_signature_kat);
  g_test_add_func ("/pool/trust-file", test_trust_file);
  g_test_add_func ("/pool/format-count", test_format_count);
  g_test_add_func ("/pool/regressions", test_regressions);

  return g_test_run ();
}
