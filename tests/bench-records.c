/* Benchmark: classify and tabulate synthetic records of 1,000, 10,000 and
 * 100,000 participants x 5 rounds with episodes. Prints the time of each
 * step, the time per participant at each size (growth should be linear)
 * and the peak memory. Never asserts timing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"


#include "vw-bench-records.h"
#include "vw-core.h"

static void
run (guint   n,
     double *per_participant)
{
  g_autoptr(GString) participants = g_string_new (NULL);
  g_autoptr(GString) rounds = g_string_new (NULL);
  g_autoptr(GString) episodes = g_string_new (NULL);
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0, t1, t2, t3;
  guint n_rounds, n_episodes, n_tables = 0;
  gsize output = 0;

  vw_bench_generate_records (n, participants, rounds, episodes);

  t0 = g_get_monotonic_time ();
  records = vw_bench_load_records (participants, rounds, episodes);
  vw_records_get_rounds (records, &n_rounds);
  vw_records_get_episodes (records, &n_episodes);

  t1 = g_get_monotonic_time ();
  {
    g_autoptr(VwClassification) dh3 = vw_classification_new (records, VW_RULE_SET_DH3, NULL);
    g_autoptr(VwClassification) fl4 = vw_classification_new (records, VW_RULE_SET_FL4, NULL);

    t2 = g_get_monotonic_time ();
    for (const char * const *name = vw_table_get_names (); *name != NULL; name++)
      for (guint k = 0; k < 2; k++)
        {
          VwTableOptions options = { .classification = k ? fl4 : dh3 };
          g_autoptr(VwTable) table = vw_table_build (*name, records, &options, &error);
          g_autofree char *csv = NULL;
          g_autofree char *text = NULL;

          if (table == NULL)
            g_error ("Table %s failed: %s", *name, error->message);
          csv = vw_table_to_csv (table);
          text = vw_table_to_text (table);
          output += strlen (csv) + strlen (text);
          n_tables++;
        }
    t3 = g_get_monotonic_time ();
  }

  *per_participant = (double) (t3 - t1) / n;
  g_print ("%7u participants, %u round rows, %u episodes: load+validate %.1f ms; "
           "classify dh3+fl4 %.1f ms; %u tables (CSV and text) %.1f ms; "
           "classify+tabulate %.1f ms = %.2f us per participant; peak RSS so far %.0f MiB\n",
           n, n_rounds, n_episodes, (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, n_tables,
           (t3 - t2) / 1000.0, (t3 - t1) / 1000.0, *per_participant, vw_bench_peak_mib ());
  (void) output;
}

int
main (int    argc,
      char **argv)
{
  const guint sizes[] = { 1000, 10000, 100000 };
  double per[G_N_ELEMENTS (sizes)];

  g_print ("# records benchmark: synthetic participants x 5 rounds with episodes\n");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    run (sizes[i], &per[i]);
  g_print ("# growth: time per participant at 10,000 is %.2fx, at 100,000 %.2fx that at 1,000 "
           "(1.00x is linear)\n", per[1] / per[0], per[2] / per[0]);
  g_print ("# peak memory (max RSS, whole run, dominated by 100,000): %.0f MiB\n", vw_bench_peak_mib ());
  return 0;
}
