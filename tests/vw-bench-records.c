/* Synthetic records for the benchmarks: participants x 5 rounds with
 * episodes, the same for a given size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/resource.h>

#include "vw-bench-records.h"
#include "vw-records.h"

static const char *residences[] = {
  "mo", "mo", "bw", "bw", "bw", "omklap", "housing_first", "eigen_woning", "eigen_woning",
  "tijdelijk", "netwerk", "straat", "nachtopvang", "detentie", "instelling", "onbekend",
};
static const char *participations[] = {
  "betaald_werk", "beschut_werk", "opleiding", "werk_zoekend", "vrijwilligerswerk",
  "dagbesteding", "geen", "onbekend", "",
};
static const char *debts[] = { "ja", "nee", "onbekend", "" };
static const char *money[] = { "zelf", "bewindvoering", "budgetbeheer", "familie_anders", "onbekend", "" };

static const char *
pick (GRand        *rand,
      const char  **list,
      guint         n)
{
  return list[g_rand_int_range (rand, 0, n)];
}

#define PICK(rand, list) pick (rand, list, G_N_ELEMENTS (list))

static void
append_month (GString *out,
              int      month)
{
  g_string_append_printf (out, "%04d-%02d", month / 12, month % 12 + 1);
}

/* The three records files for @n participants, the same for a given @n. */
void
vw_bench_generate_records (guint    n,
                           GString *participants,
                           GString *rounds,
                           GString *episodes)
{
  static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20180601 + n);

  g_string_append (participants, "code,pseudonym,region,birth_year\n");
  g_string_append (rounds, "code,round,status,date,residence,residence_since,participation,debts,money_management\n");
  g_string_append (episodes, "code,start,end,residence\n");

  for (guint i = 0; i < n; i++)
    {
      char code[9] = "DH-00000";
      int cursor;

      for (guint d = 0, v = i; d < 5; d++, v /= 32)
        code[7 - d] = crockford[v % 32];
      g_string_append_printf (participants, "%s,P%u,DH,%d\n", code, i, g_rand_int_range (rand, 1950, 2003));

      /* History before T0: one or two episodes. */
      cursor = 2019 * 12 - g_rand_int_range (rand, 12, 60);
      for (int e = g_rand_int_range (rand, 0, 3); e > 0; e--)
        {
          int end = cursor + g_rand_int_range (rand, 1, 6);

          g_string_append_printf (episodes, "%s,", code);
          append_month (episodes, cursor);
          g_string_append_c (episodes, ',');
          append_month (episodes, end);
          g_string_append_printf (episodes, ",%s\n", PICK (rand, residences));
          cursor = end;
        }

      for (guint r = 0; r < 5; r++)
        {
          int month = (2019 + r) * 12 + g_rand_int_range (rand, 1, 6);

          if (g_rand_int_range (rand, 0, 10) < 2)
            {
              g_string_append_printf (rounds, "%s,T%u,%s,,,,,,\n", code, r,
                                      g_rand_boolean (rand) ? "declined" : "unreachable");
              continue;
            }
          /* Sometimes an episode between the interviews. */
          if (cursor < month - 3 && g_rand_int_range (rand, 0, 3) == 0)
            {
              int start = cursor + 1;

              g_string_append_printf (episodes, "%s,", code);
              append_month (episodes, start);
              g_string_append_c (episodes, ',');
              append_month (episodes, start + 1);
              g_string_append_printf (episodes, ",%s\n", PICK (rand, residences));
              cursor = start + 1;
            }
          g_string_append_printf (rounds, "%s,T%u,interviewed,%04d-%02d-%02d,%s,", code, r,
                                  month / 12, month % 12 + 1, g_rand_int_range (rand, 1, 29),
                                  PICK (rand, residences));
          if (g_rand_boolean (rand))
            append_month (rounds, MAX (cursor, month - g_rand_int_range (rand, 0, 11)));
          g_string_append_printf (rounds, ",%s,%s,%s\n", PICK (rand, participations), PICK (rand, debts),
                                  PICK (rand, money));
          cursor = MAX (cursor, month);
        }
    }
}

/* Returns: the peak memory of the process so far (max RSS), in MiB */
double
vw_bench_peak_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* Returns: (transfer full): the generated files read as records; they
 * are valid by construction, so a problem ends the benchmark. */
VwRecords *
vw_bench_load_records (GString *participants,
                       GString *rounds,
                       GString *episodes)
{
  g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();
  g_autoptr(GError) error = NULL;
  VwRecords *records;

  vw_records_builder_add_csv (builder, VW_RECORDS_PARTICIPANTS, participants->str, participants->len);
  vw_records_builder_add_csv (builder, VW_RECORDS_ROUNDS, rounds->str, rounds->len);
  vw_records_builder_add_csv (builder, VW_RECORDS_EPISODES, episodes->str, episodes->len);
  records = vw_records_builder_end (builder, NULL, &error);
  if (records == NULL)
    g_error ("The synthetic records are invalid: %s", error->message);
  return records;
}
