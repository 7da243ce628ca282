/* Benchmark: the anonymized export of 1,000 and 10,000 participants x 5
 * rounds: building the tables with disclosure control, then writing CSV,
 * .sav, .dta and a REFI-QDA project of one quote per interview. Prints the
 * time of each step and the size of the package; never asserts timing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static const char * const origins[] = { "centrumgemeente", "regiogemeente", "buiten_regio", "onbekend", "" };
static const char * const stays[] = { "mo", "bw", "omklap", "housing_first", "eigen_woning", "tijdelijk",
                                      "netwerk", "straat", "instelling", "" };
static const char * const activities[] = { "betaald_werk", "dagbesteding", "vrijwilligerswerk", "geen", "" };
static const char * const themes[] = { "wonen", "netwerk", "terugblik", "ervaringsdeskundigheid" };

#define ANY(rand, list) (list)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))]

/* Synthetic records, the same for a given @n, and one quote per interview. */
static VwRecords *
synthetic_records (guint       n,
                   GPtrArray  *quotes)
{
  static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr(GRand) rand = g_rand_new_with_seed (n);
  g_autoptr(GString) people = g_string_new ("code,pseudonym,region,origin,birth_year,hist_street\n");
  g_autoptr(GString) rows = g_string_new ("code,round,status,date,residence,participation,debts\n");
  g_autoptr(GError) error = NULL;
  VwRecords *records;

  for (guint i = 0; i < n; i++)
    {
      char code[] = "FL-00000";

      for (guint d = 0, v = i; d < 5; d++, v /= 32)
        code[7 - d] = digits[v % 32];
      g_string_append_printf (people, "%s,Naam%u,FL,%s,%d,%s\n", code, i, ANY (rand, origins),
                              g_rand_int_range (rand, 1945, 2004), g_rand_boolean (rand) ? "ja" : "nee");
      for (guint r = 0; r < 5; r++)
        {
          if (g_rand_int_range (rand, 0, 5) == 0)
            {
              g_string_append_printf (rows, "%s,T%u,unreachable,,,,\n", code, r);
              continue;
            }
          g_string_append_printf (rows, "%s,T%u,interviewed,%d-0%d-1%d,%s,%s,%s\n", code, r, 2020 + r,
                                  g_rand_int_range (rand, 1, 10), g_rand_int_range (rand, 0, 10),
                                  ANY (rand, stays), ANY (rand, activities), g_rand_boolean (rand) ? "ja" : "nee");
          {
            VwQuote *quote = g_new0 (VwQuote, 1);

            quote->code = g_strdup (code);
            quote->round = g_strdup_printf ("T%u", r);
            quote->theme = g_strdup (ANY (rand, themes));
            quote->text = g_strdup_printf ("Naam%u vertelde over [organisatie] en de tijd in [regiogemeente].", i);
            g_ptr_array_add (quotes, quote);
          }
        }
    }

  records = vw_records_new_from_csv (people->str, rows->str, "code,start,end,residence\n", NULL, &error);
  g_assert_no_error (error);
  return records;
}

static guint64
folder_size (const char *dir)
{
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);
  guint64 total = 0;

  for (guint i = 0; i < files->len; i++)
    {
      GStatBuf st;

      if (g_stat (g_ptr_array_index (files, i), &st) == 0)
        total += st.st_size;
    }
  return total;
}

static void
run (guint n)
{
  g_autoptr(GPtrArray) quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_quote_free);
  g_autoptr(VwRecords) records = synthetic_records (n, quotes);
  g_autoptr(VwSecret) key = vw_secret_new (32);
  g_autoptr(VwExport) export = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("bench-export-XXXXXX", &error);
  g_autofree char *csv_dir = g_build_filename (tmp, "csv", NULL);
  g_autofree char *all_dir = g_build_filename (tmp, "all", NULL);
  VwExportOptions options = { 0 };
  gint64 t0, t1, t2, t3;

  g_assert_no_error (error);
  randombytes_buf (vw_secret_data (key), 32);
  options.include_quotes = TRUE;

  t0 = g_get_monotonic_time ();
  export = vw_export_new (records, quotes, key, &options, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  vw_export_write (export, csv_dir, NULL, &error);
  g_assert_no_error (error);
  t2 = g_get_monotonic_time ();
  g_clear_pointer (&export, vw_export_free);
  options.formats = VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA | VW_EXPORT_FORMAT_QDPX;
  export = vw_export_new (records, quotes, key, &options, &error);
  g_assert_no_error (error);
  vw_export_write (export, all_dir, NULL, &error);
  g_assert_no_error (error);
  t3 = g_get_monotonic_time ();

  g_print ("%6u participants x 5 rounds, %u quotes: tables + disclosure control %7.1f ms, "
           "write csv %7.1f ms, build + write csv,sav,dta,qdpx %7.1f ms (%.1f MiB); "
           "%u generalized, %u left out\n",
           n, quotes->len, (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, (t3 - t2) / 1000.0,
           folder_size (all_dir) / 1048576.0, vw_export_get_n_generalized (export),
           vw_export_get_n_suppressed (export));
  vw_test_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_assert_true (vw_core_init (NULL));
  run (1000);
  run (10000);
  return 0;
}
