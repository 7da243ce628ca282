/* vw-merge.c: applying exchange rows, conflicts, duplicates, the
 * canonical dump.
 *
 * Rules, chosen so that merging is idempotent and the end state does not
 * depend on the order of the bundles:
 * - A record is keyed by its id (interviews, quotes, episodes) or its
 *   natural key (participant code, answer's interview and question, ...).
 *   A new key is added; an older or equal version is skipped; a newer
 *   version (revision, then time, then device) replaces it.
 * - Answers and participant values are cells that two laptops may both
 *   change. A different value from another device is never overwritten:
 *   the cell goes into conflict, which keeps the latest version of every
 *   device (value, who, when) until the coordinator resolves it. The cell
 *   shows the greatest version meanwhile, so every order agrees on it.
 * - A version already settled by a resolution is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "vw-exchange.h"
#include "vw-exchange-private.h"
#include "vw-study.h"
#include "vw-vault-contacts.h"
#include "vw-vault-private.h"

#define PROGRESS_EVERY 4096

void
vw_conflict_free (VwConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->study);
  g_free (conflict->kind);
  g_free (conflict->object);
  g_free (conflict->field);
  g_free (conflict->device);
  g_free (conflict->updated);
  g_free (conflict->value);
  g_free (conflict->resolved);
  g_free (conflict);
}

void
vw_merge_report_free (VwMergeReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->replays, g_ptr_array_unref);
  g_clear_pointer (&report->conflict_list, g_ptr_array_unref);
  g_clear_pointer (&report->duplicates, g_ptr_array_unref);
  g_free (report);
}

typedef struct
{
  VwVault       *vault;
  const char    *study;
  VwBundleKind   kind;
  char           signer[65];
  VwMergeReport *report;
  GHashTable    *interview_rounds; /* owned: interview id -> round */
  GHashTable    *fresh;            /* owned: interviews the current bundle added, so without answers here */
  char          *now;              /* owned */
} Merge;

typedef struct
{
  char   *value;
  gint64  revision;
  char   *updated;
  char   *device; /* never NULL: "" when unknown */
} Version;

static void
version_clear (Version *v)
{
  if (v->value != NULL)
    sodium_memzero (v->value, strlen (v->value));
  g_clear_pointer (&v->value, g_free);
  g_clear_pointer (&v->updated, g_free);
  g_clear_pointer (&v->device, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Version, version_clear)

static int
version_cmp (gint64      rev_a,
             const char *updated_a,
             const char *device_a,
             gint64      rev_b,
             const char *updated_b,
             const char *device_b)
{
  int c;

  if (rev_a != rev_b)
    return rev_a < rev_b ? -1 : 1;
  if ((c = g_strcmp0 (updated_a, updated_b)) != 0)
    return c;
  return g_strcmp0 (device_a ? device_a : "", device_b ? device_b : "");
}

static gboolean
parse_revision (const char  *text,
                gint64      *revision,
                GError     **error)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("field revision: “%s” is not a revision number"), text ? text : "");
      return FALSE;
    }
  *revision = (gint64) value;
  return TRUE;
}

static gboolean
require (const char  *value,
         const char  *field,
         GError     **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("field %s: a value is required"), field);
  return FALSE;
}

/* Cells: answers and participant values. */

typedef struct
{
  const char   *kind;
  const char   *table;
  const char   *select_sql;
  const char   *upsert_sql;
  const char   *ids[3];
  guint         n_ids;
  const char   *object;
  const char   *field;
  const guint8 *key;
} Cell;

static void
cell_ref (const Cell *cell,
          VwValueRef *ref,
          gint64      revision)
{
  memset (ref, 0, sizeof *ref);
  ref->table = cell->table;
  ref->column = "value";
  for (guint i = 0; i < cell->n_ids; i++)
    ref->id[i] = cell->ids[i];
  ref->revision = revision;
}

static void
conflict_ref (const Cell *cell,
              VwValueRef *ref,
              const char *device,
              gint64      revision)
{
  *ref = (VwValueRef) { "conflicts", "value", { cell->kind, cell->object, cell->field, device }, revision };
}

static void
bind_ids (const Cell   *cell,
          sqlite3_stmt *stmt)
{
  for (guint i = 0; i < cell->n_ids; i++)
    vw_vault_bind_text (stmt, i + 1, cell->ids[i]);
}

/* Returns 1 with @out filled, 0 when there is no row, -1 on error. */
static int
cell_read (Merge       *m,
           const Cell  *cell,
           Version     *out,
           GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, cell->select_sql, error);
  VwValueRef ref;
  int rc;

  if (stmt == NULL)
    return -1;
  bind_ids (cell, stmt);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return rc == SQLITE_DONE ? 0 : -1;
    }
  out->revision = sqlite3_column_int64 (stmt, 1);
  out->updated = vw_vault_column_text (stmt, 2);
  out->device = vw_vault_column_text (stmt, 3);
  if (out->device == NULL)
    out->device = g_strdup ("");
  cell_ref (cell, &ref, out->revision);
  if (!vw_vault_column_unseal (m->vault, stmt, 0, cell->key, &ref, &out->value, error))
    {
      sqlite3_reset (stmt);
      return -1;
    }
  sqlite3_reset (stmt);
  return 1;
}

static gboolean
cell_write (Merge         *m,
            const Cell    *cell,
            const Version *v,
            GError       **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, cell->upsert_sql, error);
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref;

  if (stmt == NULL)
    return FALSE;
  cell_ref (cell, &ref, v->revision);
  sealed = vw_vault_seal_string (m->vault, cell->key, &ref, v->value);
  bind_ids (cell, stmt);
  vw_vault_bind_bytes (stmt, cell->n_ids + 1, sealed);
  sqlite3_bind_int64 (stmt, cell->n_ids + 2, v->revision);
  vw_vault_bind_text (stmt, cell->n_ids + 3, v->updated);
  vw_vault_bind_text (stmt, cell->n_ids + 4, *v->device ? v->device : NULL);
  return vw_vault_step_done (m->vault, stmt, error);
}

/* A cell that cannot exist yet (its interview came with this bundle):
 * 1 when inserted, 0 when it was there after all (a repeated line), -1 on
 * error. Skips cell_read()'s lookup, the bulk of a first merge.
 * @insert_sql: cell->upsert_sql as INSERT OR IGNORE, a literal (the
 * statement cache keeps the pointer). */
static int
cell_insert_new (Merge         *m,
                 const Cell    *cell,
                 const char    *insert_sql,
                 const Version *v,
                 GError       **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref;

  if ((stmt = vw_vault_prepare (m->vault, insert_sql, error)) == NULL)
    return -1;
  cell_ref (cell, &ref, v->revision);
  sealed = vw_vault_seal_string (m->vault, cell->key, &ref, v->value);
  bind_ids (cell, stmt);
  vw_vault_bind_bytes (stmt, cell->n_ids + 1, sealed);
  sqlite3_bind_int64 (stmt, cell->n_ids + 2, v->revision);
  vw_vault_bind_text (stmt, cell->n_ids + 3, v->updated);
  vw_vault_bind_text (stmt, cell->n_ids + 4, *v->device ? v->device : NULL);
  if (!vw_vault_step_done (m->vault, stmt, error))
    return -1;
  return vw_vault_changes (m->vault) > 0;
}

static sqlite3_stmt *
conflict_stmt (Merge       *m,
               const Cell  *cell,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, cell->kind);
  vw_vault_bind_text (stmt, 3, cell->object);
  vw_vault_bind_text (stmt, 4, cell->field);
  return stmt;
}

/* Returns 1 when the cell has a row of that sort, 0 when not, -1 on error. */
static int
conflict_exists (Merge       *m,
                 const Cell  *cell,
                 const char  *sql,
                 const char  *device,
                 gint64       revision,
                 GError     **error)
{
  sqlite3_stmt *stmt = conflict_stmt (m, cell, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  if (device != NULL)
    {
      vw_vault_bind_text (stmt, 5, device);
      sqlite3_bind_int64 (stmt, 6, revision);
    }
  rc = vw_vault_step (m->vault, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Keeps the latest open version of each device. Returns 1 when the set
 * changed, 0 when not, -1 on error. */
static int
conflict_add (Merge         *m,
              const Cell    *cell,
              const Version *v,
              GError       **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref;
  int rc;

  stmt = conflict_stmt (m, cell, "SELECT revision, updated FROM conflicts WHERE study = ? AND kind = ? AND "
                                 "object = ? AND field = ? AND device = ? AND resolved IS NULL", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_ROW &&
      version_cmp (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1), v->device,
                   v->revision, v->updated, v->device) >= 0)
    {
      sqlite3_reset (stmt);
      return 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return -1;

  stmt = conflict_stmt (m, cell, "DELETE FROM conflicts WHERE study = ? AND kind = ? AND object = ? AND field = ? "
                                 "AND device = ? AND resolved IS NULL", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  if (!vw_vault_step_done (m->vault, stmt, error))
    return -1;

  conflict_ref (cell, &ref, v->device, v->revision);
  sealed = vw_vault_seal_string (m->vault, cell->key, &ref, v->value);
  stmt = conflict_stmt (m, cell, "INSERT OR IGNORE INTO conflicts (study, kind, object, field, device, revision, "
                                 "value, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  sqlite3_bind_int64 (stmt, 6, v->revision);
  vw_vault_bind_bytes (stmt, 7, sealed);
  vw_vault_bind_text (stmt, 8, v->updated);
  return vw_vault_step_done (m->vault, stmt, error) ? 1 : -1;
}

static gboolean
conflict_greatest (Merge       *m,
                   const Cell  *cell,
                   Version     *out,
                   GError     **error)
{
  sqlite3_stmt *stmt = conflict_stmt (m, cell, "SELECT device, revision, updated, value FROM conflicts "
                                               "WHERE study = ? AND kind = ? AND object = ? AND field = ? AND "
                                               "resolved IS NULL ORDER BY revision DESC, updated DESC, device DESC "
                                               "LIMIT 1", error);
  VwValueRef ref;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  if (vw_vault_step (m->vault, stmt, error) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  out->device = vw_vault_column_text (stmt, 0);
  out->revision = sqlite3_column_int64 (stmt, 1);
  out->updated = vw_vault_column_text (stmt, 2);
  conflict_ref (cell, &ref, out->device, out->revision);
  ok = vw_vault_column_unseal (m->vault, stmt, 3, cell->key, &ref, &out->value, error);
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
cell_merge (Merge         *m,
            const Cell    *cell,
            const Version *v,
            GError       **error)
{
  g_auto(Version) stored = { 0 };
  g_auto(Version) top = { 0 };
  int found, open, settled, added_stored, added_incoming;

  if ((found = cell_read (m, cell, &stored, error)) < 0)
    return FALSE;
  if (!found)
    {
      m->report->added++;
      return cell_write (m, cell, v, error);
    }
  /* A resolution always leaves the cell in place. */
  if ((settled = conflict_exists (m, cell, "SELECT 1 FROM conflicts WHERE study = ? AND kind = ? AND object = ? "
                                           "AND field = ? AND device = ? AND revision = ? AND resolved IS NOT NULL",
                                  v->device, v->revision, error)) < 0)
    return FALSE;
  if (settled)
    {
      m->report->unchanged++;
      return TRUE;
    }
  if ((open = conflict_exists (m, cell, "SELECT 1 FROM conflicts WHERE study = ? AND kind = ? AND object = ? "
                                        "AND field = ? AND resolved IS NULL LIMIT 1", NULL, 0, error)) < 0)
    return FALSE;

  if (!open)
    {
      int cmp = version_cmp (v->revision, v->updated, v->device, stored.revision, stored.updated, stored.device);

      if (strcmp (stored.value, v->value) == 0 || strcmp (stored.device, v->device) == 0)
        {
          if (cmp <= 0)
            {
              m->report->unchanged++;
              return TRUE;
            }
          m->report->updated++;
          return cell_write (m, cell, v, error);
        }
    }

  /* Another laptop's different value, or a cell already in conflict. */
  if ((added_stored = open ? 0 : conflict_add (m, cell, &stored, error)) < 0 ||
      (added_incoming = conflict_add (m, cell, v, error)) < 0)
    return FALSE;
  if (!added_stored && !added_incoming)
    {
      m->report->unchanged++;
      return TRUE;
    }
  m->report->conflicts++;
  if (!conflict_greatest (m, cell, &top, error))
    return FALSE;
  if (version_cmp (top.revision, top.updated, top.device, stored.revision, stored.updated, stored.device) == 0)
    return TRUE;
  return cell_write (m, cell, &top, error);
}

/* Rows. Each apply function gets the row's fields; counts are checked
 * by the caller. */

static const char *
interview_round (Merge       *m,
                 const char  *interview,
                 GError     **error)
{
  const char *round = g_hash_table_lookup (m->interview_rounds, interview);
  sqlite3_stmt *stmt;

  if (round != NULL)
    return round;
  stmt = vw_vault_prepare (m->vault, "SELECT round FROM interviews WHERE id = ? AND study = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, interview);
  vw_vault_bind_text (stmt, 2, m->study);
  if (vw_vault_step (m->vault, stmt, error) == SQLITE_ROW)
    {
      round = (const char *) sqlite3_column_text (stmt, 0);
      g_hash_table_insert (m->interview_rounds, g_strdup (interview), g_strdup (round));
      round = g_hash_table_lookup (m->interview_rounds, interview);
    }
  else
    vw_vault_not_found (error, _("interview"), interview);
  sqlite3_reset (stmt);
  return round;
}

static gboolean
apply_round (Merge  *m,
             char  **f,
             GError **error)
{
  g_autoptr(GError) local = NULL;

  if (vw_vault_check_round (m->vault, m->study, f[0], &local))
    return TRUE;
  if (!g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (m->kind == VW_BUNDLE_KIND_SUBMISSION)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                   _("round %s is not a round of this study: the coordinator adds rounds"), f[0]);
      return FALSE;
    }
  m->report->added++;
  return vw_vault_add_round (m->vault, m->study, f[0], f[1], f[2], error);
}

static gboolean
pseudonym_free (Merge       *m,
                const char  *pseudonym,
                const char  *code,
                GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (vw_vault_pseudonym_available (m->vault, m->study, pseudonym, code, &local))
    return TRUE;
  if (local != NULL && !g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_DUPLICATE_PSEUDONYM))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
               _("participant %s: the pseudonym “%s” is already used for another participant of this study; "
                 "rename one of them on the duo’s laptop and submit again"), code, pseudonym);
  return FALSE;
}

static gboolean
apply_participant (Merge  *m,
                   char  **f,
                   GError **error)
{
  const char *code = f[0], *pseudonym = f[1], *region = f[2], *linkage = f[3];
  guint8 hash[32];
  gint64 revision;
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) index = NULL;
  gboolean exists, newer = FALSE, has_hash = FALSE;
  int rc;

  if (!require (code, "code", error) || !require (pseudonym, "pseudonym", error) ||
      !vw_vault_check_region (region, error) || !require (f[4], "created", error) ||
      !require (f[5], "updated", error) || !parse_revision (f[6], &revision, error))
    return FALSE;
  if (linkage != NULL && (strlen (linkage) != 64 || sodium_hex2bin (hash, 32, linkage, 64, NULL, NULL, NULL) != 0))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                           _("field linkage_hash: not 64 hexadecimal digits"));
      return FALSE;
    }

  stmt = vw_vault_prepare (m->vault, "SELECT revision, updated, linkage_hash IS NOT NULL FROM participants "
                                     "WHERE study = ? AND code = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (m->vault, stmt, error);
  exists = rc == SQLITE_ROW;
  if (exists)
    {
      newer = version_cmp (revision, f[5], NULL, sqlite3_column_int64 (stmt, 0),
                           (const char *) sqlite3_column_text (stmt, 1), NULL) > 0;
      has_hash = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;

  if (exists && !newer)
    {
      /* The linkage identity is set without a new revision; it is the
       * same for every laptop that knows it, so adding it is safe. */
      if (has_hash || linkage == NULL)
        {
          m->report->unchanged++;
          return TRUE;
        }
      stmt = vw_vault_prepare (m->vault, "UPDATE participants SET linkage_hash = ? WHERE study = ? AND code = ?",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_TRANSIENT);
      vw_vault_bind_text (stmt, 2, m->study);
      vw_vault_bind_text (stmt, 3, code);
      m->report->updated++;
      return vw_vault_step_done (m->vault, stmt, error);
    }

  if (!pseudonym_free (m, pseudonym, code, error))
    return FALSE;
  {
    VwValueRef ref = { "participants", "pseudonym", { m->study, code }, revision };
    sealed = vw_vault_seal_string (m->vault, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT), &ref, pseudonym);
  }
  index = vw_vault_blind_index (m->vault, m->study, pseudonym);
  stmt = vw_vault_prepare (m->vault, exists
                           ? "UPDATE participants SET pseudonym = ?3, pseudonym_index = ?4, region = ?5, "
                             "linkage_hash = coalesce (?6, linkage_hash), updated = ?8, revision = ?9 "
                             "WHERE study = ?1 AND code = ?2"
                           : "INSERT INTO participants (study, code, pseudonym, pseudonym_index, region, "
                             "linkage_hash, created, updated, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_bytes (stmt, 3, sealed);
  vw_vault_bind_bytes (stmt, 4, index);
  vw_vault_bind_text (stmt, 5, region);
  if (linkage != NULL)
    sqlite3_bind_blob (stmt, 6, hash, 32, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  if (!exists)
    vw_vault_bind_text (stmt, 7, f[4]);
  vw_vault_bind_text (stmt, 8, f[5]);
  sqlite3_bind_int64 (stmt, 9, revision);
  if (exists)
    m->report->updated++;
  else
    {
      m->report->added++;
      m->report->participants_added++;
    }
  return vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
version_from_fields (Version     *v,
                     const char  *value,
                     const char  *revision,
                     const char  *updated,
                     const char  *device,
                     GError     **error)
{
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("field value: not text"));
      return FALSE;
    }
  if (!parse_revision (revision, &v->revision, error) || !require (updated, "updated", error))
    return FALSE;
  v->value = g_strdup (value);
  v->updated = g_strdup (updated);
  v->device = g_strdup (device ? device : "");
  return TRUE;
}

static gboolean
apply_value (Merge  *m,
             char  **f,
             GError **error)
{
  g_auto(Version) v = { 0 };
  Cell cell = {
    "participant_value", "participant_values",
    "SELECT value, revision, updated, device FROM participant_values WHERE study = ? AND code = ? AND variable = ?",
    "INSERT OR REPLACE INTO participant_values (study, code, variable, value, revision, updated, device) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    { m->study, f[0], f[1] }, 3, f[0], f[1], vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT),
  };

  if (!require (f[0], "code", error) || !require (f[1], "variable", error) ||
      !vw_vault_check_participant (m->vault, m->study, f[0], error) ||
      !version_from_fields (&v, f[2], f[3], f[4], f[5], error))
    return FALSE;
  return cell_merge (m, &cell, &v, error);
}

static gboolean
apply_answer (Merge  *m,
              char  **f,
              GError **error)
{
  g_auto(Version) v = { 0 };
  const char *round;
  Cell cell = {
    "answer", "answers",
    "SELECT value, revision, updated, device FROM answers WHERE interview = ? AND question = ?",
    "INSERT OR REPLACE INTO answers (interview, question, value, revision, updated, device) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    { f[0], f[1] }, 2, f[0], f[1], NULL,
  };

  if (!require (f[0], "interview", error) || !require (f[1], "question", error) ||
      (round = interview_round (m, f[0], error)) == NULL ||
      (cell.key = vw_vault_round_key (m->vault, m->study, round, error)) == NULL ||
      !version_from_fields (&v, f[2], f[3], f[4], f[5], error))
    return FALSE;
  if (g_hash_table_contains (m->fresh, f[0]))
    {
      int inserted = cell_insert_new (m, &cell,
                                      "INSERT OR IGNORE INTO answers (interview, question, value, revision, "
                                      "updated, device) VALUES (?, ?, ?, ?, ?, ?)", &v, error);

      if (inserted < 0)
        return FALSE;
      if (inserted)
        {
          m->report->added++;
          return TRUE;
        }
    }
  return cell_merge (m, &cell, &v, error);
}

/* Whether a record with @sql's revision and time is missing or older than
 * the incoming one: 1 yes (and *exists says which), 0 no, -1 error. */
static int
is_newer (Merge       *m,
          const char  *sql,
          const char  *a,
          const char  *b,
          const char  *c,
          const char  *d,
          gint64       revision,
          const char  *updated,
          gboolean    *exists,
          GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);
  const char *ids[] = { a, b, c, d };
  int rc, result;

  if (stmt == NULL)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (ids) && ids[i] != NULL; i++)
    vw_vault_bind_text (stmt, i + 1, ids[i]);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_DONE)
    result = 1;
  else if (rc == SQLITE_ROW)
    result = version_cmp (revision, updated, NULL, sqlite3_column_int64 (stmt, 0),
                          (const char *) sqlite3_column_text (stmt, 1), NULL) > 0;
  else
    result = -1;
  if (exists != NULL)
    *exists = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (result == 0)
    m->report->unchanged++;
  else if (result == 1)
    {
      if (rc == SQLITE_ROW)
        m->report->updated++;
      else
        m->report->added++;
    }
  return result;
}

static gboolean
questionnaire_known (Merge      *m,
                     const char *id,
                     const char *version)
{
  sqlite3_stmt *stmt;
  int rc;

  if (id == NULL || version == NULL)
    return FALSE;
  stmt = vw_vault_prepare (m->vault, "SELECT 1 FROM questionnaires WHERE id = ? AND version = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, version);
  rc = vw_vault_step (m->vault, stmt, NULL);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
apply_interview (Merge  *m,
                 char  **f,
                 GError **error)
{
  const char *id = f[0], *code = f[1], *round = f[2];
  const char *columns[] = { "status", "date", "nonresponse_reason" };
  GBytes *sealed[3] = { NULL, NULL, NULL };
  gboolean ok;
  gboolean exists = FALSE, known;
  const guint8 *key;
  sqlite3_stmt *stmt;
  gint64 revision;
  int newer;

  if (!require (id, "id", error) || !require (code, "code", error) ||
      !vw_vault_check_round (m->vault, m->study, round, error) ||
      !vw_vault_check_participant (m->vault, m->study, code, error) ||
      (f[6] != NULL && !vw_vault_check_code ("status", f[6], error)) || !vw_vault_check_date (f[7], error) ||
      !require (f[9], "state", error) || !require (f[12], "created", error) || !require (f[13], "updated", error) ||
      !parse_revision (f[14], &revision, error))
    return FALSE;
  if (strcmp (f[9], "in_progress") != 0 && strcmp (f[9], "paused") != 0 && strcmp (f[9], "finished") != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("field state: “%s” is not a state"), f[9]);
      return FALSE;
    }

  /* One interview per participant and round. */
  stmt = vw_vault_prepare (m->vault, "SELECT id FROM interviews WHERE study = ? AND code = ? AND round = ? AND id != ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, round);
  vw_vault_bind_text (stmt, 4, id);
  if (vw_vault_step (m->vault, stmt, NULL) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                   _("participant %s already has another interview in round %s"), code, round);
      return FALSE;
    }
  sqlite3_reset (stmt);

  newer = is_newer (m, "SELECT revision, updated FROM interviews WHERE id = ? AND study = ? AND code = ? AND round = ?",
                    id, m->study, code, round, revision, f[13], &exists, error);
  if (newer < 0)
    return FALSE;
  g_hash_table_replace (m->interview_rounds, g_strdup (id), g_strdup (round));
  if (newer == 0)
    return TRUE;
  if (!exists)
    {
      stmt = vw_vault_prepare (m->vault, "SELECT 1 FROM interviews WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      vw_vault_bind_text (stmt, 1, id);
      if (vw_vault_step (m->vault, stmt, NULL) == SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                       _("interview %s belongs to another participant or round here"), id);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }

  if ((key = vw_vault_round_key (m->vault, m->study, round, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      VwValueRef ref = { "interviews", columns[i], { id, m->study, code, round }, revision };
      sealed[i] = vw_vault_seal_string (m->vault, key, &ref, f[6 + i]);
    }
  known = questionnaire_known (m, f[3], f[4]);
  stmt = vw_vault_prepare (m->vault, exists
                           ? "UPDATE interviews SET questionnaire_id = ?5, questionnaire_version = ?6, "
                             "questionnaire_sha256 = ?7, status = ?8, date = ?9, nonresponse_reason = ?10, "
                             "state = ?11, resume_module = ?12, resume_question = ?13, updated = ?15, "
                             "revision = ?16 WHERE id = ?1 AND study = ?2 AND code = ?3 AND round = ?4"
                           : "INSERT INTO interviews (id, study, code, round, questionnaire_id, "
                             "questionnaire_version, questionnaire_sha256, status, date, nonresponse_reason, state, "
                             "resume_module, resume_question, created, updated, revision) VALUES (?1, ?2, ?3, ?4, "
                             "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)", error);
  if (stmt == NULL)
    {
      for (guint i = 0; i < 3; i++)
        g_clear_pointer (&sealed[i], g_bytes_unref);
      return FALSE;
    }
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, code);
  vw_vault_bind_text (stmt, 4, round);
  /* A questionnaire this laptop does not hold cannot be referred to. */
  vw_vault_bind_text (stmt, 5, known ? f[3] : NULL);
  vw_vault_bind_text (stmt, 6, known ? f[4] : NULL);
  vw_vault_bind_text (stmt, 7, known ? f[5] : NULL);
  for (guint i = 0; i < 3; i++)
    vw_vault_bind_bytes (stmt, 8 + i, sealed[i]);
  vw_vault_bind_text (stmt, 11, f[9]);
  vw_vault_bind_text (stmt, 12, f[10]);
  vw_vault_bind_text (stmt, 13, f[11]);
  if (!exists)
    vw_vault_bind_text (stmt, 14, f[12]);
  vw_vault_bind_text (stmt, 15, f[13]);
  sqlite3_bind_int64 (stmt, 16, revision);
  ok = vw_vault_step_done (m->vault, stmt, error);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&sealed[i], g_bytes_unref);
  if (ok && !exists)
    g_hash_table_add (m->fresh, g_strdup (id));
  return ok;
}

static gboolean
apply_note (Merge  *m,
            char  **f,
            GError **error)
{
  const char *round;
  const guint8 *key;
  gint64 revision;
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed = NULL;
  int newer;

  if (!require (f[0], "interview", error) || f[1] == NULL || !require (f[2], "text", error) ||
      !parse_revision (f[3], &revision, error) || !require (f[4], "updated", error) ||
      (round = interview_round (m, f[0], error)) == NULL ||
      (key = vw_vault_round_key (m->vault, m->study, round, error)) == NULL)
    return FALSE;
  newer = is_newer (m, "SELECT revision, updated FROM notes WHERE interview = ? AND question = ?",
                    f[0], f[1], NULL, NULL, revision, f[4], NULL, error);
  if (newer <= 0)
    return newer == 0;
  {
    VwValueRef ref = { "notes", "text", { f[0], f[1] }, revision };
    sealed = vw_vault_seal_string (m->vault, key, &ref, f[2]);
  }
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO notes (interview, question, text, revision, updated) "
                                     "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, f[0]);
  vw_vault_bind_text (stmt, 2, f[1]);
  vw_vault_bind_bytes (stmt, 3, sealed);
  sqlite3_bind_int64 (stmt, 4, revision);
  vw_vault_bind_text (stmt, 5, f[4]);
  return vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
apply_quote (Merge  *m,
             char  **f,
             GError **error)
{
  const guint8 *key;
  gint64 revision;
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed = NULL;
  int newer;

  if (!require (f[0], "id", error) || !vw_vault_check_participant (m->vault, m->study, f[1], error) ||
      !vw_vault_check_round (m->vault, m->study, f[2], error) || !require (f[5], "text", error) ||
      !require (f[6], "created", error) || !require (f[7], "updated", error) ||
      !parse_revision (f[8], &revision, error) ||
      (key = vw_vault_round_key (m->vault, m->study, f[2], error)) == NULL)
    return FALSE;
  newer = is_newer (m, "SELECT revision, updated FROM quotes WHERE id = ? AND study = ? AND code = ? AND round = ?",
                    f[0], m->study, f[1], f[2], revision, f[7], NULL, error);
  if (newer <= 0)
    return newer == 0;
  {
    VwValueRef ref = { "quotes", "text", { f[0], m->study, f[1], f[2] }, revision };
    sealed = vw_vault_seal_string (m->vault, key, &ref, f[5]);
  }
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO quotes (id, study, code, round, question, theme, text, "
                                     "created, updated, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, f[0]);
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, f[1]);
  vw_vault_bind_text (stmt, 4, f[2]);
  vw_vault_bind_text (stmt, 5, f[3]);
  vw_vault_bind_text (stmt, 6, f[4]);
  vw_vault_bind_bytes (stmt, 7, sealed);
  vw_vault_bind_text (stmt, 8, f[6]);
  vw_vault_bind_text (stmt, 9, f[7]);
  sqlite3_bind_int64 (stmt, 10, revision);
  return vw_vault_step_done (m->vault, stmt, error);
}

/* The same JSON as vw-vault-participants.c writes for an episode. */
static char *
episode_json (const char *start,
              const char *end,
              const char *residence)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, start);
  json_builder_set_member_name (builder, "end");
  if (end != NULL)
    json_builder_add_string_value (builder, end);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "residence");
  json_builder_add_string_value (builder, residence);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
apply_episode (Merge  *m,
               char  **f,
               GError **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const char *interview = f[5];
  gint64 revision;
  sqlite3_stmt *stmt;
  int newer;

  if (!require (f[0], "id", error) || !vw_vault_check_participant (m->vault, m->study, f[1], error) ||
      !vw_vault_check_month (f[2], error) || !require (f[2], "start", error) || !vw_vault_check_month (f[3], error) ||
      !vw_vault_check_code ("residence", f[4], error) || !require (f[6], "updated", error) ||
      !parse_revision (f[7], &revision, error))
    return FALSE;
  newer = is_newer (m, "SELECT revision, updated FROM episodes WHERE id = ? AND study = ? AND code = ?",
                    f[0], m->study, f[1], NULL, revision, f[6], NULL, error);
  if (newer <= 0)
    return newer == 0;
  if (interview != NULL)
    {
      g_autoptr(GError) missing = NULL;
      if (interview_round (m, interview, &missing) == NULL)
        interview = NULL;
    }
  json = episode_json (f[2], f[3], f[4]);
  {
    VwValueRef ref = { "episodes", "data", { f[0], m->study, f[1] }, revision };
    sealed = vw_vault_seal_string (m->vault, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT), &ref, json);
  }
  sodium_memzero (json, strlen (json));
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO episodes (id, study, code, data, interview, revision, "
                                     "updated) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, f[0]);
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, f[1]);
  vw_vault_bind_bytes (stmt, 4, sealed);
  vw_vault_bind_text (stmt, 5, interview);
  sqlite3_bind_int64 (stmt, 6, revision);
  vw_vault_bind_text (stmt, 7, f[6]);
  return vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
apply_consent (Merge  *m,
               char  **f,
               GError **error)
{
  const guint8 *key;
  gint64 revision;
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed_value = NULL;
  g_autoptr(GBytes) sealed_date = NULL;
  int newer;

  if (!vw_vault_check_participant (m->vault, m->study, f[0], error) ||
      !vw_vault_check_round (m->vault, m->study, f[1], error))
    return FALSE;
  if (g_strcmp0 (f[2], "research") != 0 && g_strcmp0 (f[2], "wmo_linkage") != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("field purpose: “%s” is not a consent purpose"), f[2] ? f[2] : "");
      return FALSE;
    }
  if (!vw_vault_check_code ("consent", f[3], error) || !vw_vault_check_date (f[4], error) ||
      !require (f[5], "updated", error) || !parse_revision (f[6], &revision, error) ||
      (key = vw_vault_round_key (m->vault, m->study, f[1], error)) == NULL)
    return FALSE;
  newer = is_newer (m, "SELECT revision, updated FROM consents WHERE study = ? AND code = ? AND round = ? AND "
                       "purpose = ?", m->study, f[0], f[1], f[2], revision, f[5], NULL, error);
  if (newer <= 0)
    return newer == 0;
  {
    VwValueRef value_ref = { "consents", "value", { m->study, f[0], f[1], f[2] }, revision };
    VwValueRef date_ref = { "consents", "date", { m->study, f[0], f[1], f[2] }, revision };
    sealed_value = vw_vault_seal_string (m->vault, key, &value_ref, f[3]);
    sealed_date = vw_vault_seal_string (m->vault, key, &date_ref, f[4]);
  }
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO consents (study, code, round, purpose, value, date, "
                                     "revision, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, f[0]);
  vw_vault_bind_text (stmt, 3, f[1]);
  vw_vault_bind_text (stmt, 4, f[2]);
  vw_vault_bind_bytes (stmt, 5, sealed_value);
  vw_vault_bind_bytes (stmt, 6, sealed_date);
  sqlite3_bind_int64 (stmt, 7, revision);
  vw_vault_bind_text (stmt, 8, f[5]);
  return vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
apply_contact (Merge  *m,
               char  **f,
               GError **error)
{
  VwContact contact = { f[1], f[2], f[3], f[4], f[5] };

  if (!vw_vault_check_participant (m->vault, m->study, f[0], error))
    return FALSE;
  m->report->added++;
  m->report->contacts++;
  return vw_vault_set_contact (m->vault, m->study, f[0], &contact, error);
}

static gboolean
apply_log (Merge  *m,
           char  **f,
           GError **error)
{
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!parse_revision (f[0], &seq, error) || !require (f[1], "ts", error) || !require (f[2], "actor", error) ||
      !require (f[3], "action", error))
    return FALSE;
  {
    VwValueRef ref = { "exchange_log", "detail", { m->study, m->signer, f[0] }, 0 };
    sealed = vw_vault_seal_string (m->vault, vw_vault_subkey (m->vault, VW_SUBKEY_AUDIT_DETAIL), &ref, f[5]);
  }
  stmt = vw_vault_prepare (m->vault, "INSERT OR IGNORE INTO exchange_log (study, device, seq, ts, actor, action, "
                                     "object, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, m->signer);
  sqlite3_bind_int64 (stmt, 3, seq);
  vw_vault_bind_text (stmt, 4, f[1]);
  vw_vault_bind_text (stmt, 5, f[2]);
  vw_vault_bind_text (stmt, 6, f[3]);
  vw_vault_bind_text (stmt, 7, f[4]);
  vw_vault_bind_bytes (stmt, 8, sealed);
  if (!vw_vault_step_done (m->vault, stmt, error))
    return FALSE;
  if (vw_vault_changes (m->vault) > 0)
    m->report->added++;
  else
    m->report->unchanged++;
  return TRUE;
}

/* The sender's own device id: its label is the one this laptop gave the
 * signer's keys. */
static gboolean
apply_sender (Merge  *m,
              char  **f,
              GError **error)
{
  sqlite3_stmt *stmt;

  if (!require (f[0], "device", error))
    return FALSE;
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO exchange_devices (device, signer) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, f[0]);
  vw_vault_bind_text (stmt, 2, m->signer);
  return vw_vault_step_done (m->vault, stmt, error);
}

typedef gboolean (*ApplyFunc) (Merge *m, char **fields, GError **error);

static const struct
{
  char       type;
  int        n_fields;
  ApplyFunc  apply;
} row_types[] = {
  { 'S', 1, apply_sender },
  { 'R', 3, apply_round },
  { 'P', 7, apply_participant },
  { 'V', 6, apply_value },
  { 'I', 15, apply_interview },
  { 'A', 6, apply_answer },
  { 'N', 5, apply_note },
  { 'Q', 9, apply_quote },
  { 'E', 8, apply_episode },
  { 'C', 7, apply_consent },
  { 'K', 6, apply_contact },
  { 'L', 6, apply_log },
};

static gboolean
apply_line (Merge   *m,
            char    *line,
            GError **error)
{
  char *fields[VW_ROWS_MAX_FIELDS];
  char type = 0;
  int n = vw_rows_split (line, &type, fields);

  if (n < 0)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("a badly escaped field"));
      return FALSE;
    }
  if (strchr (vw_bundle_kind_get_info (m->kind)->rows, type) == NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   type == 'K' ? _("contact details may travel only in a handover")
                               : _("a row of type “%c” does not belong in a %s bundle"),
                   type, vw_bundle_kind_get_info (m->kind)->name);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (row_types); i++)
    if (row_types[i].type == type)
      {
        if (n != row_types[i].n_fields)
          {
            g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                         _("a row of type “%c” has %d fields, not %d"), type, n, row_types[i].n_fields);
            return FALSE;
          }
        return row_types[i].apply (m, fields, error);
      }
  g_return_val_if_reached (FALSE);
}

static gboolean
check_header (Merge       *m,
              char        *line,
              GError     **error)
{
  g_autofree char *expected = g_strdup_printf ("%s\t%s\t", VW_EXCHANGE_ROWS_MAGIC,
                                               vw_bundle_kind_get_info (m->kind)->name);

  if (line == NULL || !g_str_has_prefix (line, expected) || strcmp (line + strlen (expected), m->study) != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("the content does not start with “%s” and the study"), expected);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  VwMergeProgressFunc  func;
  gpointer             data;
  guint64              done;
  guint64              total;
} Progress;

static gboolean
apply_bundle (Merge         *m,
              VwBundle      *bundle,
              const char    *name,
              Progress      *progress,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GInputStream) raw = vw_bundle_read_content (bundle, error);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) local = NULL;
  guint64 line_no = 0;
  gsize len;
  char *line;

  if (raw == NULL)
    return FALSE;
  in = g_data_input_stream_new (raw);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 256 * 1024);
  m->kind = vw_bundle_get_kind (bundle);
  sodium_bin2hex (m->signer, sizeof m->signer, vw_bundle_get_signer (bundle), 32);
  /* Only this bundle's new interviews: a later bundle may bring them again. */
  g_hash_table_remove_all (m->fresh);

  while ((line = g_data_input_stream_read_line (in, &len, cancellable, &local)) != NULL)
    {
      gboolean ok;

      line_no++;
      progress->done += len + 1;
      if (!g_utf8_validate (line, len, NULL) || strlen (line) != len)
        {
          g_set_error_literal (&local, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("not UTF-8 text"));
          ok = FALSE;
        }
      else
        ok = line_no == 1 ? check_header (m, line, &local) : apply_line (m, line, &local);
      sodium_memzero (line, len);
      g_free (line);
      if (!ok)
        break;
      if (progress->func != NULL && line_no % PROGRESS_EVERY == 0)
        progress->func (progress->done, progress->total, progress->data);
    }
  if (local == NULL && line_no == 0)
    g_set_error_literal (&local, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("the content is empty"));
  if (local != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, line_no);

      /* Translators: file, line number, what is wrong there. */
      g_set_error (error, local->domain, local->code, _("Rejected %s, line %s: %s; nothing was merged"), name,
                   number, local->message);
      return FALSE;
    }
  if (progress->func != NULL)
    progress->func (progress->done, progress->total, progress->data);
  return TRUE;
}

static gboolean
record_bundle (Merge     *m,
               VwBundle  *bundle,
               GError   **error)
{
  g_autofree char *created = g_date_time_format (vw_bundle_get_created (bundle), "%Y-%m-%dT%H:%M:%SZ");
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, "INSERT INTO merged_bundles (id, study, kind, signer, created, "
                                                   "merged) VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, vw_bundle_get_id (bundle));
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, vw_bundle_kind_get_info (vw_bundle_get_kind (bundle))->name);
  vw_vault_bind_text (stmt, 4, m->signer);
  vw_vault_bind_text (stmt, 5, created);
  vw_vault_bind_text (stmt, 6, m->now);
  return vw_vault_step_done (m->vault, stmt, error) &&
         vw_vault_audit_append (m->vault, "bundle_merged", vw_bundle_get_id (bundle),
                                vw_bundle_kind_get_info (vw_bundle_get_kind (bundle))->name, error);
}

/* Returns the time a bundle was merged, or NULL. */
static char *
merged_before (VwVault     *vault,
               const char  *id)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT merged FROM merged_bundles WHERE id = ?", NULL);
  char *merged = NULL;

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  if (vw_vault_step (vault, stmt, NULL) == SQLITE_ROW)
    merged = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return merged;
}

static gboolean
kind_accepted (VwStudyRole   role,
               VwBundleKind  kind)
{
  if (role == VW_STUDY_ROLE_COORDINATOR)
    return kind == VW_BUNDLE_KIND_SUBMISSION;
  return kind == VW_BUNDLE_KIND_ROUND_PREPARATION || kind == VW_BUNDLE_KIND_HANDOVER;
}

VwMergeReport *
vw_exchange_merge (VwVault             *vault,
                   const char          *study,
                   const char * const  *paths,
                   VwMergeProgressFunc  progress_func,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(VwMergeReport) report = g_new0 (VwMergeReport, 1);
  g_autoptr(GPtrArray) bundles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(VwStudy) info = NULL;
  Progress progress = { progress_func, progress_data, 0, 0 };
  Merge m = { vault, study, 0, "", report, NULL, NULL };
  gboolean ok = TRUE;

  report->replays = g_ptr_array_new_with_free_func (g_free);
  if (!vw_vault_require_unlocked (vault, error) || (info = vw_vault_get_study (vault, study, error)) == NULL)
    return NULL;

  /* Every bundle is checked before anything is written. */
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (paths[i]);
      g_autoptr(VwBundle) bundle = vw_study_open_bundle (vault, paths[i], VW_BUNDLE_KIND_ANY, study, error);
      g_autofree char *merged = NULL;

      if (bundle == NULL)
        return NULL;
      if (!kind_accepted (info->role, vw_bundle_get_kind (bundle)))
        {
          g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                       _("Rejected %s: a %s bundle is not for a %s’s laptop"), name,
                       vw_bundle_kind_get_info (vw_bundle_get_kind (bundle))->name,
                       vw_study_role_to_string (info->role));
          return NULL;
        }
      if ((merged = merged_before (vault, vw_bundle_get_id (bundle))) != NULL ||
          g_hash_table_contains (seen, vw_bundle_get_id (bundle)))
        {
          g_ptr_array_add (report->replays,
                           g_strdup_printf (_("%s: bundle %s was already merged (%s); nothing changed"), name,
                                            vw_bundle_get_id (bundle), merged ? merged : _("earlier in this merge")));
          continue;
        }
      g_hash_table_add (seen, (gpointer) vw_bundle_get_id (bundle));
      progress.total += vw_bundle_get_content_size (bundle);
      g_ptr_array_add (names, g_steal_pointer (&name));
      g_ptr_array_add (bundles, g_steal_pointer (&bundle));
    }

  if (bundles->len > 0)
    {
      m.interview_rounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      m.fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      m.now = vw_vault_now ();
      if (!vw_vault_tx_begin (vault, error))
        ok = FALSE;
      for (guint i = 0; ok && i < bundles->len; i++)
        {
          ok = apply_bundle (&m, g_ptr_array_index (bundles, i), g_ptr_array_index (names, i), &progress,
                             cancellable, error) &&
               record_bundle (&m, g_ptr_array_index (bundles, i), error);
          report->bundles += ok;
        }
      /* Rows received from another laptop keep their own times, which
       * may be older than this duo's last submission: the next one must
       * hold everything, or the coordinator would never get them. */
      if (ok && info->role == VW_STUDY_ROLE_DUO)
        {
          sqlite3_stmt *stmt = vw_vault_prepare (vault, "DELETE FROM exchange_state WHERE study = ?", error);
          if (stmt != NULL)
            vw_vault_bind_text (stmt, 1, study);
          ok = stmt != NULL && vw_vault_step_done (vault, stmt, error);
        }
      g_clear_pointer (&m.interview_rounds, g_hash_table_unref);
      g_clear_pointer (&m.fresh, g_hash_table_unref);
      g_clear_pointer (&m.now, g_free);
      if (ok)
        ok = vw_vault_tx_commit (vault, error);
      else
        vw_vault_tx_rollback (vault);
      if (!ok)
        return NULL;
      /* A bulk write: into the vault file now, not only the log (a
       * failure here loses nothing; closing tries again). */
      vw_vault_checkpoint (vault, NULL);
    }

  if ((report->conflict_list = vw_exchange_list_conflicts (vault, study, FALSE, error)) == NULL ||
      (report->duplicates = vw_exchange_duplicates (vault, study, error)) == NULL)
    return NULL;
  return g_steal_pointer (&report);
}

typedef struct
{
  char                *path;
  VwSecret            *key;
  char                *study;
  GStrv                paths;
  GMainContext        *context;
  VwMergeProgressFunc  progress;
  gpointer             progress_data;
} AsyncMerge;

static void
async_merge_free (AsyncMerge *d)
{
  g_free (d->path);
  g_clear_pointer (&d->key, vw_secret_free);
  g_free (d->study);
  g_strfreev (d->paths);
  g_main_context_unref (d->context);
  g_free (d);
}

typedef struct
{
  AsyncMerge *d;
  guint64     done;
  guint64     total;
} AsyncProgress;

static gboolean
report_progress (gpointer data)
{
  AsyncProgress *p = data;

  p->d->progress (p->done, p->total, p->d->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_from_worker (guint64  done,
                      guint64  total,
                      gpointer user_data)
{
  AsyncMerge *d = user_data;
  AsyncProgress *p = g_new (AsyncProgress, 1);

  *p = (AsyncProgress) { d, done, total };
  g_main_context_invoke_full (d->context, G_PRIORITY_DEFAULT, report_progress, p, g_free);
}

static void
merge_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AsyncMerge *d = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (d->path, &error);
  VwMergeReport *report = NULL;

  if (vault != NULL && vw_vault_unlock_with_key (vault, d->key, &error))
    report = vw_exchange_merge (vault, d->study, (const char * const *) d->paths,
                                d->progress ? progress_from_worker : NULL, d, cancellable, &error);
  if (vault != NULL && !vw_vault_close (vault, report == NULL ? NULL : &error))
    g_clear_pointer (&report, vw_merge_report_free);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) vw_merge_report_free);
}

void
vw_exchange_merge_async (VwVault             *vault,
                         const char          *study,
                         const char * const  *paths,
                         VwMergeProgressFunc  progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (vault, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  AsyncMerge *d;

  g_task_set_source_tag (task, vw_exchange_merge_async);
  if (!vw_vault_require_unlocked (vault, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d = g_new0 (AsyncMerge, 1);
  d->path = g_strdup (vw_vault_get_path (vault));
  d->key = vw_secret_dup (vault->key);
  d->study = g_strdup (study);
  d->paths = g_strdupv ((char **) paths);
  d->context = g_main_context_ref_thread_default ();
  d->progress = progress;
  d->progress_data = progress_data;
  g_task_set_task_data (task, d, (GDestroyNotify) async_merge_free);
  g_task_run_in_thread (task, merge_thread);
}

VwMergeReport *
vw_exchange_merge_finish (VwVault       *vault,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vault), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static VwConflict *
conflict_from_row (VwVault       *vault,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(VwConflict) c = g_new0 (VwConflict, 1);
  const guint8 *key;
  VwValueRef ref;

  c->study = vw_vault_column_text (stmt, 0);
  c->kind = vw_vault_column_text (stmt, 1);
  c->object = vw_vault_column_text (stmt, 2);
  c->field = vw_vault_column_text (stmt, 3);
  c->device = vw_vault_column_text (stmt, 4);
  c->revision = sqlite3_column_int64 (stmt, 5);
  c->updated = vw_vault_column_text (stmt, 7);
  c->resolved = vw_vault_column_text (stmt, 8);
  if (strcmp (c->kind, "answer") == 0)
    {
      const char *round = (const char *) sqlite3_column_text (stmt, 9);
      if ((key = vw_vault_round_key (vault, c->study, round, error)) == NULL)
        return NULL;
    }
  else
    key = vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT);
  ref = (VwValueRef) { "conflicts", "value", { c->kind, c->object, c->field, c->device }, c->revision };
  if (!vw_vault_column_unseal (vault, stmt, 6, key, &ref, &c->value, error))
    return NULL;
  return g_steal_pointer (&c);
}

GPtrArray *
vw_exchange_list_conflicts (VwVault     *vault,
                            const char  *study,
                            gboolean     include_resolved,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, include_resolved
                           ? "SELECT c.study, c.kind, c.object, c.field, c.device, c.revision, c.value, c.updated, "
                             "c.resolved, i.round FROM conflicts c LEFT JOIN interviews i ON i.id = c.object "
                             "WHERE c.study = ? ORDER BY c.kind, c.object, c.field, c.device, c.revision"
                           : "SELECT c.study, c.kind, c.object, c.field, c.device, c.revision, c.value, c.updated, "
                             "c.resolved, i.round FROM conflicts c LEFT JOIN interviews i ON i.id = c.object "
                             "WHERE c.study = ? AND c.resolved IS NULL "
                             "ORDER BY c.kind, c.object, c.field, c.device, c.revision", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  return vw_vault_collect_rows (vault, stmt, (VwRowReadFunc) conflict_from_row, (GDestroyNotify) vw_conflict_free,
                                error);
}

gboolean
vw_exchange_resolve (VwVault     *vault,
                     const char  *study,
                     const char  *kind,
                     const char  *object,
                     const char  *field,
                     const char  *value,
                     GError     **error)
{
  g_autoptr(VwMergeReport) report = g_new0 (VwMergeReport, 1);
  g_autoptr(VwDevice) own = NULL;
  g_auto(Version) stored = { 0 };
  g_auto(Version) chosen = { 0 };
  g_autofree char *now = vw_vault_now ();
  Merge m = { vault, study, VW_BUNDLE_KIND_SUBMISSION, "", report, NULL, NULL };
  const char *round = NULL;
  gboolean answer = g_strcmp0 (kind, "answer") == 0;
  Cell cell = { 0 };
  sqlite3_stmt *stmt;
  gint64 top = 0;
  int open;

  if (!vw_vault_require_unlocked (vault, error) || (own = vw_vault_get_own_device (vault, error)) == NULL)
    return FALSE;
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("A resolution needs a value"));
      return FALSE;
    }
  if (answer)
    {
      m.interview_rounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      round = interview_round (&m, object, error);
      cell = (Cell) {
        "answer", "answers",
        "SELECT value, revision, updated, device FROM answers WHERE interview = ? AND question = ?",
        "INSERT OR REPLACE INTO answers (interview, question, value, revision, updated, device) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        { object, field }, 2, object, field, round ? vw_vault_round_key (vault, study, round, error) : NULL,
      };
      if (cell.key == NULL)
        {
          g_hash_table_unref (m.interview_rounds);
          return FALSE;
        }
    }
  else
    cell = (Cell) {
      "participant_value", "participant_values",
      "SELECT value, revision, updated, device FROM participant_values WHERE study = ? AND code = ? AND variable = ?",
      "INSERT OR REPLACE INTO participant_values (study, code, variable, value, revision, updated, device) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      { study, object, field }, 3, object, field, vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT),
    };

  if (!vw_vault_tx_begin (vault, error))
    goto fail;
  if ((open = conflict_exists (&m, &cell, "SELECT 1 FROM conflicts WHERE study = ? AND kind = ? AND object = ? "
                                          "AND field = ? AND resolved IS NULL LIMIT 1", NULL, 0, error)) <= 0)
    {
      if (open == 0)
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND, _("%s %s/%s has no open conflict"), kind,
                     object, field);
      vw_vault_tx_rollback (vault);
      goto fail;
    }
  stmt = conflict_stmt (&m, &cell, "SELECT max(revision) FROM conflicts WHERE study = ? AND kind = ? AND object = ? "
                                   "AND field = ?", error);
  if (stmt != NULL && vw_vault_step (vault, stmt, error) == SQLITE_ROW)
    top = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (cell_read (&m, &cell, &stored, error) < 0)
    {
      vw_vault_tx_rollback (vault);
      goto fail;
    }
  chosen.value = g_strdup (value);
  chosen.revision = MAX (top, stored.revision) + 1;
  chosen.updated = g_strdup (now);
  chosen.device = g_strdup (own->id);
  stmt = conflict_stmt (&m, &cell, "UPDATE conflicts SET resolved = ?5 WHERE study = ?1 AND kind = ?2 AND "
                                   "object = ?3 AND field = ?4 AND resolved IS NULL", error);
  /* ?1..?4 are bound by conflict_stmt. */
  if (stmt != NULL)
    vw_vault_bind_text (stmt, 5, now);
  g_clear_pointer (&m.interview_rounds, g_hash_table_unref);
  return vw_vault_tx_finish (vault, stmt != NULL && vw_vault_step_done (vault, stmt, error) &&
                             cell_write (&m, &cell, &chosen, error) &&
                             vw_vault_audit_append (vault, "conflict_resolved", object, field, error),
                             error);
fail:
  g_clear_pointer (&m.interview_rounds, g_hash_table_unref);
  return FALSE;
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every group of codes sharing a linkage hash, with the hash of each in
 * @hashes (element-type GBytes). */
static GPtrArray *
duplicate_groups (VwVault     *vault,
                  const char  *study,
                  GPtrArray   *hashes,
                  GError     **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT p.linkage_hash, p.code FROM participants p WHERE p.study = ?1 AND "
                                  "p.linkage_hash IN (SELECT linkage_hash FROM participants WHERE study = ?1 AND "
                                  "linkage_hash IS NOT NULL GROUP BY linkage_hash HAVING count(*) > 1) "
                                  "ORDER BY (SELECT min(code) FROM participants q WHERE q.study = ?1 AND "
                                  "q.linkage_hash = p.linkage_hash), p.code", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  {
    g_autoptr(GBytes) current = NULL;
    g_autoptr(GStrvBuilder) builder = NULL;

    while ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
      {
        g_autoptr(GBytes) hash = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

        if (current == NULL || !g_bytes_equal (current, hash))
          {
            if (builder != NULL)
              g_ptr_array_add (groups, g_strv_builder_end (builder));
            g_clear_pointer (&builder, g_strv_builder_unref);
            builder = g_strv_builder_new ();
            g_clear_pointer (&current, g_bytes_unref);
            current = g_bytes_ref (hash);
            g_ptr_array_add (hashes, g_bytes_ref (hash));
          }
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 1));
      }
    if (builder != NULL)
      g_ptr_array_add (groups, g_strv_builder_end (builder));
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&groups);
}

/* Whether the coordinator decided on exactly these @codes: 1, 0, or -1
 * on error. */
static int
duplicate_decided (VwVault     *vault,
                   const char  *study,
                   GBytes      *hash,
                   const char  *codes,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = vw_vault_prepare (vault, "SELECT 1 FROM duplicate_decisions WHERE study = ? AND linkage_hash = ? AND "
                                  "codes = ?", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_bytes (stmt, 2, hash);
  vw_vault_bind_text (stmt, 3, codes);
  rc = vw_vault_step (vault, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/**
 * vw_exchange_device_label:
 *
 * Returns: (transfer full) (nullable): the label this laptop knows the
 *   device @device by, also when @device is the id another laptop gave
 *   itself and sent in its bundles; %NULL when unknown
 */
char *
vw_exchange_device_label (VwVault     *vault,
                          const char  *device,
                          GError     **error)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (vault, error);
  g_autofree char *signer = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (devices == NULL)
    return NULL;
  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);

      if (g_strcmp0 (d->id, device) == 0)
        return g_strdup (d->label);
    }
  stmt = vw_vault_prepare (vault, "SELECT signer FROM exchange_devices WHERE device = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, device);
  rc = vw_vault_step (vault, stmt, error);
  if (rc == SQLITE_ROW)
    signer = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  for (guint i = 0; signer != NULL && i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      char hex[65];

      sodium_bin2hex (hex, sizeof hex, d->ed25519_public, 32);
      if (strcmp (hex, signer) == 0)
        return g_strdup (d->label);
    }
  return NULL;
}

/**
 * vw_exchange_duplicates:
 *
 * Returns: (transfer full) (element-type GStrv): the codes of each group
 *   of participants that share a linkage hash and that the coordinator
 *   has not decided on yet, sorted
 */
GPtrArray *
vw_exchange_duplicates (VwVault     *vault,
                        const char  *study,
                        GError     **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) groups = duplicate_groups (vault, study, hashes, error);
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (groups == NULL)
    return NULL;
  for (guint i = 0; i < groups->len; i++)
    {
      g_autofree char *codes = g_strjoinv (" ", g_ptr_array_index (groups, i));
      int decided = duplicate_decided (vault, study, g_ptr_array_index (hashes, i), codes, error);

      if (decided < 0)
        return NULL;
      if (decided == 0)
        g_ptr_array_add (open, g_strdupv (g_ptr_array_index (groups, i)));
    }
  return g_steal_pointer (&open);
}

/**
 * vw_exchange_decide_duplicates:
 * @codes: every code of one group vw_exchange_duplicates() lists, in any order
 * @keep: (nullable): for %VW_DUPLICATE_JOIN, the code that stays
 *
 * Records the coordinator's decision on a group of possible duplicates,
 * so that it is no longer listed; a code that later arrives with the same
 * linkage hash opens the group again. A join is recorded, not carried
 * out: the codes keep their own records.
 */
gboolean
vw_exchange_decide_duplicates (VwVault             *vault,
                               const char          *study,
                               const char * const  *codes,
                               VwDuplicateDecision  decision,
                               const char          *keep,
                               GError             **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) sorted = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autofree char *hash_hex = NULL;
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(GBytes) sealed = NULL;
  GBytes *hash = NULL;
  sqlite3_stmt *stmt;
  VwValueRef ref;

  if (!vw_vault_require_unlocked (vault, error) || (own = vw_vault_get_own_device (vault, error)) == NULL)
    return FALSE;
  g_strv_builder_addv (builder, (const char **) codes);
  sorted = g_strv_builder_end (builder);
  if (g_strv_length (sorted) < 2)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                           _("A decision on duplicates needs at least two codes"));
      return FALSE;
    }
  qsort (sorted, g_strv_length (sorted), sizeof (char *), compare_codes);
  joined = g_strjoinv (" ", sorted);
  if (decision == VW_DUPLICATE_JOIN && (keep == NULL || !g_strv_contains ((const char * const *) sorted, keep)))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("The code to keep, %s, is not one of %s"), keep ? keep : "", joined);
      return FALSE;
    }
  if ((groups = duplicate_groups (vault, study, hashes, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < groups->len && hash == NULL; i++)
    {
      g_autofree char *group = g_strjoinv (" ", g_ptr_array_index (groups, i));

      if (g_str_equal (group, joined))
        hash = g_ptr_array_index (hashes, i);
    }
  if (hash == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
                   _("%s are not a group of possible duplicates in this study"), joined);
      return FALSE;
    }

  text = decision == VW_DUPLICATE_JOIN ? g_strconcat ("join ", keep, NULL) : g_strdup ("apart");
  hash_hex = g_malloc (g_bytes_get_size (hash) * 2 + 1);
  sodium_bin2hex (hash_hex, g_bytes_get_size (hash) * 2 + 1, g_bytes_get_data (hash, NULL), g_bytes_get_size (hash));
  ref = (VwValueRef) { "duplicate_decisions", "decision", { study, hash_hex, joined, NULL }, 0 };
  sealed = vw_vault_seal_string (vault, vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT), &ref, text);
  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  stmt = vw_vault_prepare (vault, "INSERT OR REPLACE INTO duplicate_decisions (study, linkage_hash, codes, decision, "
                                  "device, decided) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_bytes (stmt, 2, hash);
      vw_vault_bind_text (stmt, 3, joined);
      vw_vault_bind_bytes (stmt, 4, sealed);
      vw_vault_bind_text (stmt, 5, own->id);
      vw_vault_bind_text (stmt, 6, now);
    }
  return vw_vault_tx_finish (vault, stmt != NULL && vw_vault_step_done (vault, stmt, error) &&
                             vw_vault_audit_append (vault, "duplicates_decided", joined, text, error),
                             error);
}

/* The canonical dump. */

#define DUMP(lines, type, ...) \
  G_STMT_START { \
    const char *fields_[] = { __VA_ARGS__ }; \
    GString *line_ = g_string_new (NULL); \
    vw_rows_put (line_, type, G_N_ELEMENTS (fields_), fields_); \
    g_ptr_array_add (lines, g_string_free (line_, FALSE)); \
  } G_STMT_END

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
dump_values (VwVault     *vault,
             const char  *study,
             const char  *code,
             GPtrArray   *lines,
             GError     **error)
{
  Cell cell = { "participant_value", "participant_values", NULL, NULL, { study, code, NULL }, 3, code, NULL,
                vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT) };
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT variable, value, revision, updated, device "
                                                "FROM participant_values WHERE study = ? AND code = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  while ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *variable = vw_vault_column_text (stmt, 0);
      g_autofree char *value = NULL;
      g_autofree char *rev = int_text (sqlite3_column_int64 (stmt, 2));
      VwValueRef ref;

      cell.ids[2] = variable;
      cell_ref (&cell, &ref, sqlite3_column_int64 (stmt, 2));
      if (!vw_vault_column_unseal (vault, stmt, 1, cell.key, &ref, &value, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      DUMP (lines, 'V', code, variable, value, rev, (const char *) sqlite3_column_text (stmt, 3),
            (const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

char *
vw_exchange_canonical_dump (VwVault     *vault,
                            const char  *study,
                            GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *regions = NULL;

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_integrity (vault, error) ||
      (info = vw_vault_get_study (vault, study, error)) == NULL ||
      (rounds = vw_vault_list_rounds (vault, study, error)) == NULL ||
      (participants = vw_vault_list_participants (vault, study, error)) == NULL ||
      (conflicts = vw_exchange_list_conflicts (vault, study, TRUE, error)) == NULL ||
      (duplicates = vw_exchange_duplicates (vault, study, error)) == NULL)
    return NULL;
  regions = g_strjoinv (",", info->regions);
  DUMP (lines, 'S', info->id, info->name, regions, info->questionnaire_id, info->questionnaire_version);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);
      DUMP (lines, 'R', r->label, r->fieldwork_start, r->fieldwork_end);
    }
  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);
      g_autofree char *rev = int_text (p->revision);
      g_autofree char *linkage = vw_vault_get_linkage_hash (vault, study, p->code, error);
      g_autoptr(GPtrArray) interviews = NULL;
      g_autoptr(GPtrArray) quotes = NULL;
      g_autoptr(GPtrArray) episodes = NULL;
      g_autoptr(GPtrArray) consents = NULL;

      if (linkage == NULL || !dump_values (vault, study, p->code, lines, error) ||
          (interviews = vw_vault_list_interviews (vault, study, p->code, NULL, error)) == NULL ||
          (quotes = vw_vault_list_quotes (vault, study, p->code, NULL, error)) == NULL ||
          (episodes = vw_vault_list_episodes (vault, study, p->code, error)) == NULL ||
          (consents = vw_vault_list_consents (vault, study, p->code, error)) == NULL)
        return NULL;
      DUMP (lines, 'P', p->code, p->pseudonym, p->region, linkage, p->created, p->updated, rev);
      for (guint j = 0; j < interviews->len; j++)
        {
          VwInterview *iv = g_ptr_array_index (interviews, j);
          g_autofree char *irev = int_text (iv->revision);
          g_autoptr(GPtrArray) answers = vw_vault_list_answers (vault, iv->id, error);
          g_autoptr(GPtrArray) notes = answers ? vw_vault_list_notes (vault, iv->id, error) : NULL;

          if (notes == NULL)
            return NULL;
          DUMP (lines, 'I', iv->id, iv->code, iv->round, iv->questionnaire_id, iv->questionnaire_version,
                iv->status, iv->date, iv->nonresponse_reason, vw_interview_state_to_string (iv->state),
                iv->created, iv->updated, irev);
          for (guint k = 0; k < answers->len; k++)
            {
              VwAnswer *a = g_ptr_array_index (answers, k);
              g_autofree char *arev = int_text (a->revision);
              DUMP (lines, 'A', iv->id, a->question, a->value, arev, a->updated, a->device);
            }
          for (guint k = 0; k < notes->len; k++)
            {
              VwNote *n = g_ptr_array_index (notes, k);
              g_autofree char *nrev = int_text (n->revision);
              DUMP (lines, 'N', iv->id, n->question, n->text, nrev, n->updated);
            }
        }
      for (guint j = 0; j < quotes->len; j++)
        {
          VwQuote *q = g_ptr_array_index (quotes, j);
          g_autofree char *qrev = int_text (q->revision);
          DUMP (lines, 'Q', q->id, q->code, q->round, q->question, q->theme, q->text, q->created, q->updated, qrev);
        }
      for (guint j = 0; j < episodes->len; j++)
        {
          VwEpisode *e = g_ptr_array_index (episodes, j);
          g_autofree char *erev = int_text (e->revision);
          DUMP (lines, 'E', e->id, e->code, e->start, e->end, e->residence, e->interview, e->updated, erev);
        }
      for (guint j = 0; j < consents->len; j++)
        {
          VwConsent *c = g_ptr_array_index (consents, j);
          g_autofree char *crev = int_text (c->revision);
          DUMP (lines, 'C', c->code, c->round, c->purpose, c->value, c->date, c->updated, crev);
        }
    }
  for (guint i = 0; i < conflicts->len; i++)
    {
      VwConflict *c = g_ptr_array_index (conflicts, i);
      g_autofree char *rev = int_text (c->revision);
      /* Resolution times are this laptop's own; whether it is resolved is data. */
      DUMP (lines, 'X', c->kind, c->object, c->field, c->device, rev, c->updated, c->value,
            c->resolved ? "resolved" : "open");
    }
  for (guint i = 0; i < duplicates->len; i++)
    {
      g_autofree char *codes = g_strjoinv (" ", g_ptr_array_index (duplicates, i));
      DUMP (lines, 'D', codes);
    }

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append (out, g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
