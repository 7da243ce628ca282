/* bench-linkage.c: candidate pairs for 100,000 participants, and the
 * quality of the candidate list on a synthetic population.
 *
 * (a) 100,000 records (90,910 people, 10 % of them twice): time and peak
 *     memory of the candidate pairs from their filters, against an exact
 *     keyed-hash lookup (BLAKE2b keyed, as today's linkage hash, grouped
 *     in a hash table) of the same records in the same run.
 * (b) 5,000 people, 10 % enrolled twice with realistic errors
 *     (vw-linkage-population.c describes them): precision and recall of
 *     the candidate list at the default threshold.
 *
 * Run: meson test -C build --benchmark linkage --verbose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <string.h>
#include <sys/resource.h>

#include "vw-core.h"
#include "vw-linkage-population.h"

static long
peak_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int
main (void)
{
  g_autoptr(GPtrArray) big = NULL;
  g_autoptr(GPtrArray) small = NULL;
  g_autofree guint8 *filters = NULL;
  g_autoptr(GHashTable) exact = NULL;
  g_autoptr(GArray) pairs = NULL;
  VwLinkageQuality q;
  guint8 key[32];
  gint64 t0, t1;
  double encode_s, candidates_s, exact_s;
  long before, after;
  guint exact_groups = 0;

  g_assert_true (vw_core_init (NULL));
  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guint8) (0x40 + i);

  big = vw_linkage_population (90910, 0.10, 2009);
  g_print ("records: %u\n", big->len);
  filters = g_malloc ((gsize) big->len * VW_LINKAGE_FILTER_BYTES);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < big->len; i++)
    {
      VwLinkageRecord *r = g_ptr_array_index (big, i);

      g_assert_true (vw_linkage_encode (key, sizeof key, r->name, r->birth_date,
                                        filters + (gsize) i * VW_LINKAGE_FILTER_BYTES, NULL));
    }
  encode_s = (g_get_monotonic_time () - t0) / 1e6;

  /* Exact: today's keyed hash of name and date, looked up in a table. */
  t0 = g_get_monotonic_time ();
  exact = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  for (guint i = 0; i < big->len; i++)
    {
      VwLinkageRecord *r = g_ptr_array_index (big, i);
      crypto_generichash_state state;
      guint8 hash[32];
      GBytes *b;

      crypto_generichash_init (&state, key, sizeof key, sizeof hash);
      crypto_generichash_update (&state, (const guint8 *) r->name, strlen (r->name) + 1);
      crypto_generichash_update (&state, (const guint8 *) r->birth_date, strlen (r->birth_date));
      crypto_generichash_final (&state, hash, sizeof hash);
      b = g_bytes_new (hash, sizeof hash);
      if (g_hash_table_contains (exact, b))
        {
          exact_groups++;
          g_bytes_unref (b);
        }
      else
        g_hash_table_add (exact, b);
    }
  exact_s = (g_get_monotonic_time () - t0) / 1e6;

  before = peak_kib ();
  t1 = g_get_monotonic_time ();
  pairs = vw_linkage_candidates (filters, big->len, VW_LINKAGE_THRESHOLD);
  candidates_s = (g_get_monotonic_time () - t1) / 1e6;
  after = peak_kib ();
  g_print ("encode %u records: %.2f s\n", big->len, encode_s);
  g_print ("exact keyed-hash lookup: %.3f s, %u exact matches\n", exact_s, exact_groups);
  g_print ("candidate pairs (threshold %.2f): %u in %.2f s; peak RSS %ld KiB (%+ld KiB during candidates)\n",
           VW_LINKAGE_THRESHOLD, pairs->len, candidates_s, after, after - before);
  g_print ("ratio candidates / exact lookup: %.1f\n", candidates_s / MAX (exact_s, 1e-6));

  small = vw_linkage_population (5000, 0.10, 2009);
  vw_linkage_quality (small, VW_LINKAGE_THRESHOLD, &q);
  g_print ("quality, 5,000 people, 10 %% twice: %u candidates, %u true pairs, %u found; "
           "precision %.4f, recall %.4f at threshold %.2f\n",
           q.candidates, q.true_pairs, q.found, q.precision, q.recall, VW_LINKAGE_THRESHOLD);
  return 0;
}
