/* Benchmark: `study dump` (vw_exchange_canonical_dump()) and `submit`
 * (vw_exchange_write_submission(), everything) of a duo's vault holding
 * N synthetic participants x 5 rounds of imported records, against
 * `export --records` (vw_vault_export_records()) of the same vault in the
 * same run. Prints each time, the time per participant (which stays flat
 * when the work is linear) and the dump's ratio to the export. Never
 * asserts timing.
 *
 * Runs 2,000 and 10,000 participants; VW_BENCH_DUMP_SIZES (a comma
 * separated list, e.g. "10000,100000,200000") chooses other sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/resource.h>

#include "vw-bench-records.h"
#include "vw-core.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
run (guint n)
{
  g_autoptr(GString) participants = g_string_new (NULL);
  g_autoptr(GString) rounds = g_string_new (NULL);
  g_autoptr(GString) episodes = g_string_new (NULL);
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *records_dir = NULL;
  g_autofree char *submission = NULL;
  VwTestStudy w = { 0 };
  VwImportSummary summary;
  gint64 t0, t1, t2, t3;
  double c0, c1, c2, c3;

  vw_bench_generate_records (n, participants, rounds, episodes);
  records = vw_bench_load_records (participants, rounds, episodes);
  vw_test_study_setup (&w, FALSE);
  /* The synthetic records span 2020-2024: no fieldwork window. */
  if (!vw_vault_set_round_fieldwork (w.duo1, w.study, "T0", NULL, NULL, &error) ||
      !vw_vault_set_round_fieldwork (w.duo1, w.study, "T1", NULL, NULL, &error))
    g_error ("Rounds: %s", error->message);
  if (!vw_vault_import_records (w.duo1, w.study, records, &summary, &error))
    g_error ("Import failed: %s", error->message);
  records_dir = g_build_filename (w.dir, "records", NULL);
  submission = g_build_filename (w.dir, "bench.submission", NULL);

  c0 = cpu_s ();
  t0 = g_get_monotonic_time ();
  if (!vw_vault_export_records (w.duo1, w.study, records_dir, &error))
    g_error ("Export failed: %s", error->message);
  t1 = g_get_monotonic_time ();
  c1 = cpu_s ();
  if ((dump = vw_exchange_canonical_dump (w.duo1, w.study, &error)) == NULL)
    g_error ("Dump failed: %s", error->message);
  t2 = g_get_monotonic_time ();
  c2 = cpu_s ();
  if (!vw_exchange_write_submission (w.duo1, w.study, submission, TRUE, NULL, &error))
    g_error ("Submission failed: %s", error->message);
  t3 = g_get_monotonic_time ();
  c3 = cpu_s ();

  g_print ("%7u participants x 5 rounds: export --records %7.2f s (CPU %7.2f s); "
           "study dump %7.2f s (CPU %7.2f s, %.1f us/participant, %.1f MiB); "
           "submit %7.2f s (CPU %7.2f s, %.1f us/participant)\n",
           n, (t1 - t0) / 1e6, c1 - c0, (t2 - t1) / 1e6, c2 - c1, (double) (t2 - t1) / n,
           strlen (dump) / 1048576.0, (t3 - t2) / 1e6, c3 - c2, (double) (t3 - t2) / n);
  g_print ("%7u participants: ratio dump / export --records = %.2fx; submit / export --records = %.2fx\n",
           n, (double) (t2 - t1) / (t1 - t0), (double) (t3 - t2) / (t1 - t0));
  sodium_memzero (dump, strlen (dump));
  vw_test_study_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  const char *sizes = g_getenv ("VW_BENCH_DUMP_SIZES");
  g_auto(GStrv) list = g_strsplit (sizes != NULL ? sizes : "2000,10000", ",", -1);

  g_assert_true (vw_core_init (NULL));
  for (guint i = 0; list[i] != NULL; i++)
    run ((guint) g_ascii_strtoull (list[i], NULL, 10));
  g_print ("# peak memory (max RSS): %.0f MiB\n", vw_bench_peak_mib ());
  return 0;
}
