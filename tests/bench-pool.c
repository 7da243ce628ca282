/* Benchmark: pooling 10 regional packages of 10,000
 * participants x 5 rounds, every format (CSV, .sav, .dta), the comparison
 * tables and the table book, against writing one package of the same
 * 100,000 participants, in the same run. Each is measured in a child
 * process of its own (wall time and peak RSS); the packages are made
 * beforehand. Prints the figures and the ratios; never asserts them (the
 * target is a pool within 1.5 times the single export).
 *
 *   meson test -C build --benchmark pool -v
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

#define N_STUDIES   10
#define PER_STUDY   10000
#define N_ROUNDS    5
#define ALL_FORMATS (VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA)

/* Ten studies in the seven regions of the codebook: three regions have a
 * second study, as a region that starts again does. */
static const char * const regions[N_STUDIES] = { "DH", "FL", "GV", "MB", "ZK", "WL", "UT", "DH", "FL", "GV" };
static const char * const origins[] = { "centrumgemeente", "regiogemeente", "buiten_regio", "onbekend", "" };
static const char * const stays[] = { "mo", "bw", "bw", "omklap", "housing_first", "eigen_woning", "tijdelijk",
                                      "netwerk", "straat", "instelling", "" };
static const char * const activities[] = { "betaald_werk", "beschut_werk", "opleiding", "werk_zoekend",
                                           "vrijwilligerswerk", "dagbesteding", "geen", "onbekend", "" };
static const char * const answers[] = { "ja", "nee", "onbekend", "" };
static const char * const managers[] = { "zelf", "bewindvoering", "budgetbeheer", "familie_anders", "" };
static const char * const history[] = { "ja", "nee", "niet_besproken", "" };

#define ANY(rand, list) (list)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))]

/* Study @s's records, appended to the three CSV texts; codes are unique
 * over all studies. */
static void
generate (guint    s,
          GString *participants,
          GString *rounds,
          GString *episodes)
{
  static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr(GRand) rand = g_rand_new_with_seed (2018 + s);

  for (guint i = 0; i < PER_STUDY; i++)
    {
      guint number = s * PER_STUDY + i;
      char code[16];

      g_snprintf (code, sizeof code, "%s-%c%c%c%c%c", regions[s], digits[(number >> 20) & 31],
                  digits[(number >> 15) & 31], digits[(number >> 10) & 31], digits[(number >> 5) & 31],
                  digits[number & 31]);
      g_string_append_printf (participants, "%s,P%u,%s,%s,%d,%s\n", code, number, regions[s], ANY (rand, origins),
                              g_rand_int_range (rand, 1945, 2004), ANY (rand, history));
      for (guint r = 0; r < N_ROUNDS; r++)
        {
          int year = 2018 + r;

          if (g_rand_int_range (rand, 0, 6) == 0)
            {
              g_string_append_printf (rounds, "%s,T%u,%s,,,,,\n", code, r,
                                      g_rand_boolean (rand) ? "declined" : "unreachable");
              continue;
            }
          g_string_append_printf (rounds, "%s,T%u,interviewed,%d-%02d-%02d,%s,%s,%s,%s\n", code, r, year,
                                  g_rand_int_range (rand, 2, 10), g_rand_int_range (rand, 1, 28), ANY (rand, stays),
                                  ANY (rand, activities), ANY (rand, answers), ANY (rand, managers));
          if (r + 1 < N_ROUNDS && g_rand_int_range (rand, 0, 5) == 0)
            g_string_append_printf (episodes, "%s,%d-11,%d-12,%s\n", code, year, year,
                                    g_rand_boolean (rand) ? "straat" : "netwerk");
        }
    }
}

static void
write_records (const char *dir,
               guint       first,
               guint       n)
{
  g_autoptr(GString) participants = g_string_new ("code,pseudonym,region,origin,birth_year,hist_street\n");
  g_autoptr(GString) rounds = g_string_new ("code,round,status,date,residence,participation,debts,"
                                            "money_management\n");
  g_autoptr(GString) episodes = g_string_new ("code,start,end,residence\n");
  const char *names[] = { "participants.csv", "rounds.csv", "episodes.csv" };
  GString *texts[] = { participants, rounds, episodes };
  g_autoptr(GError) error = NULL;

  for (guint s = first; s < first + n; s++)
    generate (s, participants, rounds, episodes);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *path = g_build_filename (dir, names[f], NULL);

      g_file_set_contents (path, texts[f]->str, texts[f]->len, &error);
      g_assert_no_error (error);
    }
}

static VwSecret *
key_from (guint8 fill,
          gsize  len)
{
  VwSecret *key = vw_secret_new (len);

  memset (vw_secret_data (key), fill, len);
  return key;
}

static VwSecret *
signing_key (guint   s,
             guint8  public_key[32])
{
  g_autoptr(VwSecret) seed = key_from (s + 1, 32);
  VwSecret *key = vw_secret_new (crypto_sign_SECRETKEYBYTES);

  crypto_sign_seed_keypair (public_key, vw_secret_data (key), vw_secret_const_data (seed));
  return key;
}

/* Exports the records in @records_dir as study @s (or as one study of
 * every region with @s = N_STUDIES). */
static void
export_package (const char *records_dir,
                guint       s,
                const char *package)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwRecords) records = vw_records_load_dir (records_dir, NULL, &error);
  g_autoptr(VwSecret) export_key = key_from (0x40 + s, 32);
  g_autoptr(VwSecret) key = NULL;
  g_autofree char *study_id = g_strdup_printf ("study-%u", s);
  g_autofree char *study_name = s < N_STUDIES ? g_strdup_printf ("Studie %s %u", regions[s], s)
                                              : g_strdup ("Nationaal");
  const char *own_regions[] = { s < N_STUDIES ? regions[s] : NULL, NULL };
  const char *all_regions[] = { "DH", "FL", "GV", "MB", "UT", "WL", "ZK", NULL };
  g_autoptr(VwExport) export = NULL;
  VwExportOptions options = { 0 };
  guint8 public_key[32];

  g_assert_no_error (error);
  key = signing_key (s, public_key);
  options.study_id = study_id;
  options.study_name = study_name;
  options.signing_key = key;
  options.regions = s < N_STUDIES ? own_regions : all_regions;
  options.formats = ALL_FORMATS;
  export = vw_export_new (records, NULL, export_key, &options, &error);
  g_assert_no_error (error);
  vw_export_write (export, package, NULL, &error);
  g_assert_no_error (error);
}

static void
pool_packages (const char *root,
               const char *out)
{
  g_autoptr(VwTrustList) trust = vw_trust_list_new ();
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  VwPoolOptions options = { .formats = ALL_FORMATS, .tables = TRUE, .book = TRUE };

  for (guint s = 0; s < N_STUDIES; s++)
    {
      guint8 public_key[32];
      g_autoptr(VwSecret) key = signing_key (s, public_key);
      g_autofree char *text = vw_package_format_key (public_key);
      g_autofree char *path = g_strdup_printf ("%s/package-%u", root, s);
      VwPackage *package;

      g_assert_true (vw_trust_list_add_key (trust, text, "coordinator", &error));
      package = vw_package_open (path, NULL, trust, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (packages, package);
    }
  pool = vw_pool_new (packages, &options, &error);
  g_assert_no_error (error);
  vw_pool_write (pool, out, NULL, &error);
  g_assert_no_error (error);
}

typedef struct
{
  double seconds;
  double peak_mib;
} Run;

/* Runs this program again as a child doing @what; its wall time and peak
 * RSS, the child's own. */
static Run
run_child (const char *self,
           const char *what,
           const char *root)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self, "--child", what, root, NULL };
  GPid pid;
  int status;
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  Run run;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  run.seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  run.peak_mib = usage.ru_maxrss / 1024.0;
  g_spawn_close_pid (pid);
  return run;
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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *all_records = NULL;
  Run single, pooled;

  g_assert_true (vw_core_init (NULL));
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    {
      g_autofree char *out = g_build_filename (argv[3], g_str_equal (argv[2], "pool") ? "pooled" : "single", NULL);

      if (g_str_equal (argv[2], "pool"))
        pool_packages (argv[3], out);
      else
        {
          g_autofree char *records = g_build_filename (argv[3], "records-all", NULL);
          export_package (records, N_STUDIES, out);
        }
      return 0;
    }

  root = g_dir_make_tmp ("bench-pool-XXXXXX", &error);
  g_assert_no_error (error);
  g_print ("# pool benchmark: %d packages of %d participants x %d rounds (csv, sav, dta), against one of %d\n",
           N_STUDIES, PER_STUDY, N_ROUNDS, N_STUDIES * PER_STUDY);
  {
    gint64 start = g_get_monotonic_time ();

    for (guint s = 0; s < N_STUDIES; s++)
      {
        g_autofree char *records = g_strdup_printf ("%s/records-%u", root, s);
        g_autofree char *package = g_strdup_printf ("%s/package-%u", root, s);

        write_records (records, s, 1);
        export_package (records, s, package);
      }
    all_records = g_build_filename (root, "records-all", NULL);
    write_records (all_records, 0, N_STUDIES);
    g_print ("setup (records and the ten signed packages): %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
  }

  single = run_child (argv[0], "export", root);
  pooled = run_child (argv[0], "pool", root);
  {
    g_autofree char *single_dir = g_build_filename (root, "single", NULL);
    g_autofree char *pooled_dir = g_build_filename (root, "pooled", NULL);

    g_print ("one export of %d participants (csv, sav, dta): %.2f s, peak RSS %.0f MiB, %.0f MiB written\n",
             N_STUDIES * PER_STUDY, single.seconds, single.peak_mib, folder_size (single_dir) / 1048576.0);
    g_print ("pool of %d packages (verify, csv, sav, dta, tables, book): %.2f s, peak RSS %.0f MiB, "
             "%.0f MiB written\n", N_STUDIES, pooled.seconds, pooled.peak_mib, folder_size (pooled_dir) / 1048576.0);
    g_print ("ratio pool / export: time %.2f, peak memory %.2f (target: within 1.5)\n",
             pooled.seconds / single.seconds, pooled.peak_mib / single.peak_mib);
  }
  vw_test_rm_rf (root);
  return 0;
}
