/* vw-vault-aliases.c: a join of two codes of one person takes effect,
 * and can be undone (see vw-vault-aliases.h).
 *
 * Why aliases and not re-keying: the joined code's rows stay as they
 * were recorded (and as later bundles of a duo that still uses the code
 * keep updating them), and every reader of records resolves the code.
 * A split is then exact: removing the alias restores both participants
 * with their own data, including what arrived for the joined code after
 * the join. Only the conflicts a join opens touch the kept code's cells,
 * through the merge's own conflict machinery (vw-merge-versions.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-exchange.h"
#include "vw-merge-private.h"
#include "vw-vault-aliases.h"

void
vw_alias_free (VwAlias *alias)
{
  if (alias == NULL)
    return;
  g_free (alias->alias);
  g_free (alias->kept);
  g_free (alias->reason);
  g_free (alias->device);
  g_free (alias->joined);
  g_free (alias);
}

static VwValueRef
reason_ref (const char *study,
            const char *alias,
            const char *kept)
{
  return (VwValueRef) { "participant_aliases", "reason", { study, alias, kept, NULL }, 0 };
}

static VwAlias *
alias_from_row (VwVault       *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(VwAlias) a = g_new0 (VwAlias, 1);
  g_autofree char *study = vw_vault_column_text (stmt, 0);
  VwValueRef ref;

  a->alias = vw_vault_column_text (stmt, 1);
  a->kept = vw_vault_column_text (stmt, 2);
  a->device = vw_vault_column_text (stmt, 4);
  a->joined = vw_vault_column_text (stmt, 5);
  ref = reason_ref (study, a->alias, a->kept);
  if (!vw_vault_column_unseal (self, stmt, 3, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, &a->reason, error))
    return NULL;
  return g_steal_pointer (&a);
}

GPtrArray *
vw_vault_list_aliases (VwVault     *self,
                       const char  *study,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT study, alias, kept, reason, device, joined FROM participant_aliases "
                                 "WHERE study = ? ORDER BY alias", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) alias_from_row, (GDestroyNotify) vw_alias_free, error);
}

GHashTable *
vw_vault_alias_map (VwVault     *self,
                    const char  *study,
                    GError     **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT alias, kept FROM participant_aliases WHERE study = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    g_hash_table_insert (map, vw_vault_column_text (stmt, 0), vw_vault_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&map) : NULL;
}

char *
vw_vault_resolve_code (VwVault     *self,
                       const char  *study,
                       const char  *code,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  char *kept = NULL;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT kept FROM participant_aliases WHERE study = ? AND alias = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    kept = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return kept != NULL ? kept : g_strdup (code);
}

/* The codes of @study that keep an alias. */
static int
keeps_aliases (VwVault     *self,
               const char  *study,
               const char  *code,
               char       **alias,
               GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT alias FROM participant_aliases WHERE study = ? AND kept = ? "
                                               "ORDER BY alias LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    *alias = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return rc < 0 ? -1 : rc == SQLITE_ROW;
}

/* Only the coordinator's laptop, which sees every duo's data, joins. */
static gboolean
require_coordinator (VwVault     *self,
                     const char  *study,
                     GError     **error)
{
  g_autoptr(VwStudy) s = NULL;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_study (self, study, error) ||
      (s = vw_vault_get_study (self, study, error)) == NULL)
    return FALSE;
  if (s->role != VW_STUDY_ROLE_COORDINATOR)
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                           _("Only the coordinator's laptop joins or splits participants"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_participant (VwVault     *self,
                     const char  *study,
                     const char  *code,
                     GError     **error)
{
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(GError) local = NULL;

  if (code == NULL || (p = vw_vault_get_participant (self, study, code, &local)) == NULL)
    {
      if (local != NULL && !g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
                   _("There is no participant %s in study %s"), code ? code : "", study);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_join (VwVault     *self,
            const char  *study,
            const char  *kept,
            const char  *joined,
            GError     **error)
{
  g_autofree char *kept_of_kept = NULL;
  g_autofree char *kept_of_joined = NULL;
  g_autofree char *held = NULL;
  int keeps;

  if (!require_coordinator (self, study, error) || !require_participant (self, study, kept, error) ||
      !require_participant (self, study, joined, error))
    return FALSE;
  if (g_str_equal (kept, joined))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("%s cannot be joined to itself"), kept);
      return FALSE;
    }
  if ((kept_of_kept = vw_vault_resolve_code (self, study, kept, error)) == NULL ||
      (kept_of_joined = vw_vault_resolve_code (self, study, joined, error)) == NULL)
    return FALSE;
  if (!g_str_equal (kept_of_joined, joined))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("%s is already joined to %s: split it first"), joined, kept_of_joined);
      return FALSE;
    }
  if (g_str_equal (kept_of_kept, joined))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("%s is itself joined to %s: joining them the other way round would make a cycle; split "
                     "them first"), kept, joined);
      return FALSE;
    }
  if (!g_str_equal (kept_of_kept, kept))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("%s is itself joined to %s: join %s to %s instead"), kept, kept_of_kept, joined,
                   kept_of_kept);
      return FALSE;
    }
  if ((keeps = keeps_aliases (self, study, joined, &held, error)) < 0)
    return FALSE;
  if (keeps)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("%s is kept for %s: a joined code cannot keep others; join %s to %s instead"), joined, held,
                   kept, joined);
      return FALSE;
    }
  return TRUE;
}

static gboolean
blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static gboolean
note_join_conflict (Merge         *m,
                    const char    *joined,
                    const Target  *t,
                    GError       **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, "INSERT OR IGNORE INTO join_conflicts (study, alias, kind, object, "
                                                   "field) VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, joined);
  vw_vault_bind_text (stmt, 3, t->kind);
  vw_vault_bind_text (stmt, 4, t->object);
  vw_vault_bind_text (stmt, 5, t->field);
  return vw_vault_step_done (m->vault, stmt, error);
}

/* One cell under both codes: a conflict on the kept code's cell when
 * both hold it with different values. A value only the joined code holds
 * is taken by the records as it is (vw-vault-records.c). */
static gboolean
compare_cell (Merge         *m,
              const char    *joined,
              const Target  *kept_t,
              const Target  *joined_t,
              GError       **error)
{
  g_auto(Version) kv = { 0 };
  g_auto(Version) jv = { 0 };
  int kf, jf;

  if ((kf = kept_t->read (m, kept_t, &kv, error)) < 0 || (jf = joined_t->read (m, joined_t, &jv, error)) < 0)
    return FALSE;
  if (!kf || !jf || g_strcmp0 (kv.value, jv.value) == 0)
    return TRUE;
  return vw_merge_conflict_join (m, kept_t, &kv, &jv, error) && note_join_conflict (m, joined, kept_t, error);
}

static GPtrArray *
collect_strings (VwVault       *self,
                 sqlite3_stmt  *stmt,
                 guint          n_columns,
                 GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    for (guint c = 0; c < n_columns; c++)
      g_ptr_array_add (out, vw_vault_column_text (stmt, c));
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&out) : NULL;
}

static gboolean
open_join_conflicts (VwVault     *self,
                     const char  *study,
                     const char  *kept,
                     const char  *joined,
                     GError     **error)
{
  g_autoptr(VwMergeReport) report = g_new0 (VwMergeReport, 1);
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(GHashTable) rounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  Merge m = { self, study, VW_BUNDLE_KIND_SUBMISSION, "", NULL, NULL, report, rounds, NULL, now };
  sqlite3_stmt *stmt;

  if ((own = vw_vault_get_own_device (self, error)) == NULL)
    return FALSE;
  m.author = own->id;

  /* Answers of the same round under both codes. */
  stmt = vw_vault_prepare (self, "SELECT k.id, j.id FROM interviews k JOIN interviews j ON j.study = k.study AND "
                                 "j.round = k.round JOIN rounds r ON r.study = k.study AND r.label = k.round "
                                 "WHERE k.study = ?1 AND k.code = ?2 AND j.code = ?3 AND r.destroyed_at IS NULL "
                                 "ORDER BY k.id, j.id", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, kept);
  vw_vault_bind_text (stmt, 3, joined);
  if ((pairs = collect_strings (self, stmt, 2, error)) == NULL)
    return FALSE;
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *kept_iv = g_ptr_array_index (pairs, i);
      const char *joined_iv = g_ptr_array_index (pairs, i + 1);
      g_autoptr(GPtrArray) questions = NULL;

      stmt = vw_vault_prepare (self, "SELECT DISTINCT question FROM answers WHERE interview IN (?, ?) "
                                     "ORDER BY question", error);
      if (stmt == NULL)
        return FALSE;
      vw_vault_bind_text (stmt, 1, kept_iv);
      vw_vault_bind_text (stmt, 2, joined_iv);
      if ((questions = collect_strings (self, stmt, 1, error)) == NULL)
        return FALSE;
      for (guint q = 0; q < questions->len; q++)
        {
          g_auto(Target) kt = { 0 };
          g_auto(Target) jt = { 0 };

          if (!vw_merge_target_answer (&m, &kt, kept_iv, g_ptr_array_index (questions, q), error) ||
              !vw_merge_target_answer (&m, &jt, joined_iv, g_ptr_array_index (questions, q), error) ||
              !compare_cell (&m, joined, &kt, &jt, error))
            return FALSE;
        }
    }

  /* The participant's own values (birth year, origin, history). */
  stmt = vw_vault_prepare (self, "SELECT DISTINCT variable FROM participant_values WHERE study = ? AND code IN (?, ?) "
                                 "ORDER BY variable", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, kept);
  vw_vault_bind_text (stmt, 3, joined);
  if ((variables = collect_strings (self, stmt, 1, error)) == NULL)
    return FALSE;
  for (guint v = 0; v < variables->len; v++)
    {
      g_auto(Target) kt = { 0 };
      g_auto(Target) jt = { 0 };

      if (!vw_merge_target_value (&m, &kt, kept, g_ptr_array_index (variables, v), error) ||
          !vw_merge_target_value (&m, &jt, joined, g_ptr_array_index (variables, v), error) ||
          !compare_cell (&m, joined, &kt, &jt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
vw_vault_join_in_tx (VwVault     *self,
                     const char  *study,
                     const char  *kept,
                     const char  *joined,
                     const char  *reason,
                     GError     **error)
{
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autofree char *detail = NULL;
  VwValueRef ref = reason_ref (study, joined, kept);
  sqlite3_stmt *stmt;

  if (blank (reason))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("A join needs a reason"));
      return FALSE;
    }
  if (!check_join (self, study, kept, joined, error) || (own = vw_vault_get_own_device (self, error)) == NULL)
    return FALSE;
  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, reason);
  stmt = vw_vault_prepare (self, "INSERT INTO participant_aliases (study, alias, kept, reason, device, joined) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, joined);
  vw_vault_bind_text (stmt, 3, kept);
  vw_vault_bind_bytes (stmt, 4, sealed);
  vw_vault_bind_text (stmt, 5, own->id);
  vw_vault_bind_text (stmt, 6, now);
  detail = g_strdup_printf ("%s -> %s: %s", joined, kept, reason);
  return vw_vault_step_done (self, stmt, error) && open_join_conflicts (self, study, kept, joined, error) &&
         vw_vault_audit_append (self, "participants_joined", joined, detail, error);
}

gboolean
vw_vault_join_participants (VwVault     *self,
                            const char  *study,
                            const char  *kept,
                            const char  *joined,
                            const char  *reason,
                            GError     **error)
{
  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  /* Checked before the transaction too: a refused join writes nothing. */
  if (blank (reason))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("A join needs a reason"));
      return FALSE;
    }
  if (!check_join (self, study, kept, joined, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  return vw_vault_tx_finish (self, vw_vault_join_in_tx (self, study, kept, joined, reason, error), error);
}

static gboolean
exec_pair (VwVault     *self,
           const char  *sql,
           const char  *study,
           const char  *a,
           const char  *b,
           GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, a);
  vw_vault_bind_text (stmt, 3, b);
  return vw_vault_step_done (self, stmt, error);
}

static gboolean
split_in_tx (VwVault     *self,
             const char  *study,
             const char  *kept,
             const char  *joined,
             const char  *reason,
             GError     **error)
{
  g_autofree char *detail = g_strdup_printf ("%s -/-> %s: %s", joined, kept, reason);

  /* The conflicts the join opened and nobody settled are closed: each
   * code has its own cell again. A settled one stays settled: the kept
   * code's cell holds what the coordinator chose. */
  return exec_pair (self, "DELETE FROM conflicts WHERE resolved IS NULL AND study = ?1 AND EXISTS (SELECT 1 FROM "
                          "join_conflicts j WHERE j.study = ?1 AND j.alias = ?3 AND j.kind = conflicts.kind AND "
                          "j.object = conflicts.object AND j.field = conflicts.field) AND ?2 IS NOT NULL",
                    study, kept, joined, error) &&
         exec_pair (self, "DELETE FROM join_conflicts WHERE study = ?1 AND alias = ?3 AND ?2 IS NOT NULL", study, kept,
                    joined, error) &&
         exec_pair (self, "DELETE FROM participant_aliases WHERE study = ?1 AND kept = ?2 AND alias = ?3", study, kept,
                    joined, error) &&
         /* The group of possible duplicates is open again, to be decided
          * anew (kept apart, most likely). */
         exec_pair (self, "DELETE FROM duplicate_decisions WHERE study = ?1 AND "
                          "instr (' ' || codes || ' ', ' ' || ?2 || ' ') > 0 AND "
                          "instr (' ' || codes || ' ', ' ' || ?3 || ' ') > 0", study, kept, joined, error) &&
         vw_vault_audit_append (self, "participants_split", joined, detail, error);
}

gboolean
vw_vault_split_participants (VwVault     *self,
                             const char  *study,
                             const char  *kept,
                             const char  *joined,
                             const char  *reason,
                             GError     **error)
{
  g_autofree char *kept_of_joined = NULL;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  if (blank (reason))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                           _("A split needs a reason (--reason TEXT)"));
      return FALSE;
    }
  if (!require_coordinator (self, study, error) || !require_participant (self, study, kept, error) ||
      !require_participant (self, study, joined, error) ||
      (kept_of_joined = vw_vault_resolve_code (self, study, joined, error)) == NULL)
    return FALSE;
  if (!g_str_equal (kept_of_joined, kept) || g_str_equal (kept, joined))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND, _("%s is not joined to %s in study %s"), joined,
                   kept, study);
      return FALSE;
    }
  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  return vw_vault_tx_finish (self, split_in_tx (self, study, kept, joined, reason, error), error);
}

int
vw_vault_alias_received (VwVault     *self,
                         const char  *study,
                         const char  *alias,
                         const char  *kept,
                         const char  *device,
                         const char  *joined,
                         GError     **error)
{
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *kept_of_alias = NULL;
  g_autofree char *kept_of_kept = NULL;
  g_autofree char *held = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *detail = NULL;
  VwValueRef ref = reason_ref (study, alias, kept);
  sqlite3_stmt *stmt;
  int keeps;

  if (g_strcmp0 (alias, kept) == 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH, _("%s cannot be an alias of itself"), alias);
      return -1;
    }
  if ((p = vw_vault_get_participant (self, study, alias, &local)) == NULL)
    {
      if (!g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return -1;
        }
      return 0;
    }
  if (!require_participant (self, study, kept, error) ||
      (kept_of_alias = vw_vault_resolve_code (self, study, alias, error)) == NULL ||
      (kept_of_kept = vw_vault_resolve_code (self, study, kept, error)) == NULL ||
      (keeps = keeps_aliases (self, study, alias, &held, error)) < 0)
    return -1;
  if (g_str_equal (kept_of_alias, kept))
    return 0;
  if (!g_str_equal (kept_of_alias, alias) || !g_str_equal (kept_of_kept, kept) || keeps)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                   _("the alias of %s to %s contradicts this laptop's aliases (a chain or a cycle of joined codes)"),
                   alias, kept);
      return -1;
    }
  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref,
                                 _("Joined by the coordinator"));
  stmt = vw_vault_prepare (self, "INSERT INTO participant_aliases (study, alias, kept, reason, device, joined) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, alias);
  vw_vault_bind_text (stmt, 3, kept);
  vw_vault_bind_bytes (stmt, 4, sealed);
  vw_vault_bind_text (stmt, 5, device);
  vw_vault_bind_text (stmt, 6, joined);
  detail = g_strdup_printf ("%s -> %s: %s", alias, kept, "round preparation");
  return vw_vault_step_done (self, stmt, error) &&
         vw_vault_audit_append (self, "participants_joined", alias, detail, error) ? 1 : -1;
}

int
vw_alias_episode_fits (GPtrArray       *kept_episodes,
                       const VwEpisode *e)
{
  for (guint i = 0; i < kept_episodes->len; i++)
    {
      const VwEpisode *k = g_ptr_array_index (kept_episodes, i);

      if (g_strcmp0 (k->start, e->start) == 0 && g_strcmp0 (k->end, e->end) == 0 &&
          g_strcmp0 (k->residence, e->residence) == 0)
        return 0;
      /* Months are the finest grain, as in vw-records.c: one stay may end
       * in the month the next begins. */
      if ((k->end == NULL || g_strcmp0 (e->start, k->end) < 0) && (e->end == NULL || g_strcmp0 (k->start, e->end) < 0))
        return -1;
    }
  return 1;
}

static gboolean
interview_field (VwVault       *self,
                 sqlite3_stmt  *stmt,
                 int            offset,
                 const char    *study,
                 const char    *code,
                 const char    *round,
                 char         **status,
                 char         **date,
                 GError       **error)
{
  const char *id = (const char *) sqlite3_column_text (stmt, offset);
  VwValueRef ref = { "interviews", "status", { id, study, code, round }, sqlite3_column_int64 (stmt, offset + 3) };
  const guint8 *key = vw_vault_round_key (self, study, round, error);

  if (key == NULL || !vw_vault_column_unseal (self, stmt, offset + 1, key, &ref, status, error))
    return FALSE;
  ref.column = "date";
  return vw_vault_column_unseal (self, stmt, offset + 2, key, &ref, date, error);
}

GPtrArray *
vw_vault_join_differences (VwVault     *self,
                           const char  *study,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) aliases = vw_vault_list_aliases (self, study, error);

  if (aliases == NULL)
    return NULL;
  for (guint a = 0; a < aliases->len; a++)
    {
      const VwAlias *al = g_ptr_array_index (aliases, a);
      g_autoptr(GPtrArray) kept_episodes = NULL;
      g_autoptr(GPtrArray) joined_episodes = NULL;
      sqlite3_stmt *stmt;
      int rc;

      stmt = vw_vault_prepare (self, "SELECT k.round, k.id, k.status, k.date, k.revision, j.id, j.status, j.date, "
                                     "j.revision FROM interviews k JOIN interviews j ON j.study = k.study AND "
                                     "j.round = k.round JOIN rounds r ON r.study = k.study AND r.label = k.round "
                                     "WHERE k.study = ?1 AND k.code = ?2 AND j.code = ?3 AND r.destroyed_at IS NULL "
                                     "ORDER BY r.position", error);
      if (stmt == NULL)
        return NULL;
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, al->kept);
      vw_vault_bind_text (stmt, 3, al->alias);
      while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
        {
          g_autofree char *round = vw_vault_column_text (stmt, 0);
          g_autofree char *ks = NULL, *kd = NULL, *js = NULL, *jd = NULL;

          if (!interview_field (self, stmt, 1, study, al->kept, round, &ks, &kd, error) ||
              !interview_field (self, stmt, 5, study, al->alias, round, &js, &jd, error))
            {
              rc = -1;
              break;
            }
          if (js != NULL && (g_strcmp0 (ks, js) != 0 || (jd != NULL && g_strcmp0 (kd, jd) != 0)))
            g_ptr_array_add (out, g_strdup_printf (_("round %s of %s: status %s, date %s under %s; status %s, date "
                                                     "%s under the joined code %s (the records show %s's)"),
                                                   round, al->kept, ks ? ks : "-", kd ? kd : "-", al->kept,
                                                   js, jd ? jd : "-", al->alias, al->kept));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return NULL;

      if ((kept_episodes = vw_vault_list_episodes (self, study, al->kept, error)) == NULL ||
          (joined_episodes = vw_vault_list_episodes (self, study, al->alias, error)) == NULL)
        return NULL;
      for (guint i = 0; i < joined_episodes->len; i++)
        {
          const VwEpisode *e = g_ptr_array_index (joined_episodes, i);

          if (vw_alias_episode_fits (kept_episodes, e) < 0)
            g_ptr_array_add (out, g_strdup_printf (_("residence episode %s from %s to %s of the joined code %s "
                                                     "overlaps an episode of %s: it is left out of the records "
                                                     "until one of them is corrected"),
                                                   e->residence ? e->residence : "-", e->start ? e->start : "-",
                                                   e->end ? e->end : "-", al->alias, al->kept));
        }
    }
  return g_steal_pointer (&out);
}
