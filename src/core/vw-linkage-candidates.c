/* vw-linkage-candidates.c: the coordinator's ranked candidate pairs.
 *
 * Codes sharing an exact linkage hash are candidates with similarity 1,
 * as before (vw-merge.c decides on such groups). Beside them, every pair
 * of participants whose linkage filters (vw-linkage.c) reach the Dice
 * threshold, found with blocking, unless the two share an exact hash
 * (their group is listed already) or the coordinator decided on the pair.
 * A decision on a pair is kept in duplicate_decisions like a group's,
 * under a key derived from its codes (vw_linkage_pair_key()): it cannot be
 * a linkage hash, which is keyed with the study's linkage key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-exchange.h"
#include "vw-linkage.h"
#include "vw-merge-private.h"
#include "vw-vault-private.h"

void
vw_duplicate_candidate_free (VwDuplicateCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_strfreev (candidate->codes);
  g_free (candidate);
}

/* The key of the decision on the pair "A B" (sorted, joined by a space). */
GBytes *
vw_linkage_pair_key (const char *codes)
{
  guint8 key[32];
  crypto_generichash_state state;

  crypto_generichash_init (&state, NULL, 0, sizeof key);
  crypto_generichash_update (&state, (const guint8 *) "veldwerk/linkage-pair/1\n", 24);
  crypto_generichash_update (&state, (const guint8 *) codes, strlen (codes));
  crypto_generichash_final (&state, key, sizeof key);
  return g_bytes_new (key, sizeof key);
}

typedef struct
{
  GPtrArray  *codes;   /* (element-type utf8) */
  GPtrArray  *hashes;  /* (element-type GBytes), nullable elements */
  GByteArray *filters;
} Filters;

static void
filters_clear (Filters *f)
{
  g_clear_pointer (&f->codes, g_ptr_array_unref);
  g_clear_pointer (&f->hashes, g_ptr_array_unref);
  g_clear_pointer (&f->filters, g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Filters, filters_clear)

/* Every participant of @study with a filter, and @only's when given. */
static gboolean
load_filters (VwVault            *vault,
              const char         *study,
              const char * const *only,
              Filters            *out,
              GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  out->codes = g_ptr_array_new_with_free_func (g_free);
  out->hashes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  out->filters = g_byte_array_new ();
  stmt = vw_vault_prepare (vault, "SELECT code, linkage_hash, linkage_filter FROM participants WHERE study = ? AND "
                                  "length (linkage_filter) = ? ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  sqlite3_bind_int (stmt, 2, VW_LINKAGE_FILTER_BYTES);
  while ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);

      if (only != NULL && !g_strv_contains (only, code))
        continue;
      g_ptr_array_add (out->codes, g_strdup (code));
      g_ptr_array_add (out->hashes, sqlite3_column_bytes (stmt, 1) > 0
                                      ? g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1))
                                      : NULL);
      g_byte_array_append (out->filters, sqlite3_column_blob (stmt, 2), VW_LINKAGE_FILTER_BYTES);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static int
pair_decided (VwVault     *vault,
              const char  *study,
              const char  *codes,
              GError     **error)
{
  g_autoptr(GBytes) key = vw_linkage_pair_key (codes);
  sqlite3_stmt *stmt;
  int rc;

  stmt = vw_vault_prepare (vault, "SELECT 1 FROM duplicate_decisions WHERE study = ? AND linkage_hash = ? AND "
                                  "codes = ?", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_bytes (stmt, 2, key);
  vw_vault_bind_text (stmt, 3, codes);
  rc = vw_vault_step (vault, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static gboolean
same_hash (Filters *f,
           guint    a,
           guint    b)
{
  GBytes *x = g_ptr_array_index (f->hashes, a), *y = g_ptr_array_index (f->hashes, b);

  return x != NULL && y != NULL && g_bytes_equal (x, y);
}

/* Whether @sorted (two codes) is a pair vw_exchange_duplicate_candidates()
 * proposes, decided or not: 1, 0, or -1 on error. */
int
vw_linkage_proposed_pair (VwVault            *vault,
                          const char         *study,
                          const char * const *sorted,
                          GError            **error)
{
  g_auto(Filters) f = { 0 };

  if (g_strv_length ((char **) sorted) != 2)
    return 0;
  if (!load_filters (vault, study, sorted, &f, error))
    return -1;
  if (f.codes->len != 2 || same_hash (&f, 0, 1))
    return 0;
  return vw_linkage_dice (f.filters->data, f.filters->data + VW_LINKAGE_FILTER_BYTES) >= VW_LINKAGE_THRESHOLD;
}

static gint
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const VwDuplicateCandidate *x = *(VwDuplicateCandidate * const *) a, *y = *(VwDuplicateCandidate * const *) b;

  if (x->similarity != y->similarity)
    return x->similarity > y->similarity ? -1 : 1;
  return strcmp (x->codes[0], y->codes[0]);
}

/**
 * vw_exchange_duplicate_candidates:
 *
 * Returns: (transfer full) (element-type VwDuplicateCandidate): the groups
 *   of codes sharing a linkage hash (similarity 1) and the pairs whose
 *   linkage filters reach %VW_LINKAGE_THRESHOLD, that the coordinator has
 *   not decided on, highest similarity first
 */
GPtrArray *
vw_exchange_duplicate_candidates (VwVault     *vault,
                                  const char  *study,
                                  GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_duplicate_candidate_free);
  g_autoptr(GPtrArray) exact = vw_merge_exact_duplicates (vault, study, error);
  g_auto(Filters) f = { 0 };
  g_autoptr(GArray) pairs = NULL;

  if (exact == NULL || !load_filters (vault, study, NULL, &f, error))
    return NULL;
  for (guint i = 0; i < exact->len; i++)
    {
      VwDuplicateCandidate *c = g_new0 (VwDuplicateCandidate, 1);

      c->codes = g_strdupv (g_ptr_array_index (exact, i));
      c->similarity = 1.0;
      c->exact = TRUE;
      g_ptr_array_add (out, c);
    }
  pairs = vw_linkage_candidates (f.filters->data, f.codes->len, VW_LINKAGE_THRESHOLD);
  for (guint i = 0; i < pairs->len; i++)
    {
      VwLinkagePair *p = &g_array_index (pairs, VwLinkagePair, i);
      VwDuplicateCandidate *c;
      g_autofree char *codes = NULL;
      int decided;

      if (same_hash (&f, p->a, p->b))
        continue;
      /* Codes are loaded in order: a before b. */
      codes = g_strconcat (g_ptr_array_index (f.codes, p->a), " ", g_ptr_array_index (f.codes, p->b), NULL);
      if ((decided = pair_decided (vault, study, codes, error)) < 0)
        return NULL;
      if (decided)
        continue;
      c = g_new0 (VwDuplicateCandidate, 1);
      c->codes = g_strsplit (codes, " ", 2);
      c->similarity = p->similarity;
      g_ptr_array_add (out, c);
    }
  g_ptr_array_sort (out, compare_candidates);
  return g_steal_pointer (&out);
}

/**
 * vw_exchange_duplicates:
 *
 * Returns: (transfer full) (element-type GStrv): the codes of each
 *   candidate of vw_exchange_duplicate_candidates(), in its order
 */
GPtrArray *
vw_exchange_duplicates (VwVault     *vault,
                        const char  *study,
                        GError     **error)
{
  g_autoptr(GPtrArray) candidates = vw_exchange_duplicate_candidates (vault, study, error);
  GPtrArray *out;

  if (candidates == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < candidates->len; i++)
    g_ptr_array_add (out, g_strdupv (((VwDuplicateCandidate *) g_ptr_array_index (candidates, i))->codes));
  return out;
}
