/* vw-vault-reseal.c: schema 8 re-seals every value of an older vault in
 * the padded format, in its place: the same table, column, row identity
 * and revision, the same key. The list below is every encrypted column of
 * schemas 1 to 7 with the place its values are bound to; the audit trail's
 * details are re-sealed by vw-vault-audit.c, which makes its MAC chain
 * again. A value that does not decrypt is left as it was: it was damaged
 * before, every read of it says so and verify names it, and one damaged
 * value must not keep the rest of the vault from opening.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-vault-private.h"

typedef enum {
  KEY_PARTICIPANT,
  KEY_CONTACT,
  KEY_STAFF,
  KEY_VAULT,   /* keys themselves: decrypted into guarded memory */
  KEY_AUDIT,
  KEY_ROUND,   /* the round of columns 6 (study) and 7 (round) */
} KeyKind;

/* @select gives: 0 the value, 1-4 the identity fields, 5 the revision,
 * 6 study and 7 round for a round key, then the @n_keys values that
 * @update (value as ?1) finds the row by. */
typedef struct
{
  const char *table;
  const char *column;
  KeyKind     key;
  const char *select;
  const char *update;
  int         n_keys;
} SealedColumn;

static const SealedColumn sealed_columns[] = {
  { "participants", "pseudonym", KEY_PARTICIPANT,
    "SELECT pseudonym, study, code, NULL, NULL, revision, NULL, NULL, rowid FROM participants",
    "UPDATE participants SET pseudonym = ?1 WHERE rowid = ?2", 1 },
  { "participant_values", "value", KEY_PARTICIPANT,
    "SELECT value, study, code, variable, NULL, revision, NULL, NULL, rowid FROM participant_values",
    "UPDATE participant_values SET value = ?1 WHERE rowid = ?2", 1 },
  { "contacts", "details", KEY_CONTACT,
    "SELECT details, study, code, NULL, NULL, revision, NULL, NULL, rowid FROM contacts",
    "UPDATE contacts SET details = ?1 WHERE rowid = ?2", 1 },
  { "interviewers", "name", KEY_STAFF,
    "SELECT name, id, NULL, NULL, NULL, revision, NULL, NULL, rowid FROM interviewers",
    "UPDATE interviewers SET name = ?1 WHERE rowid = ?2", 1 },
  { "interviews", "status", KEY_ROUND,
    "SELECT status, id, study, code, round, revision, study, round, rowid FROM interviews",
    "UPDATE interviews SET status = ?1 WHERE rowid = ?2", 1 },
  { "interviews", "date", KEY_ROUND,
    "SELECT date, id, study, code, round, revision, study, round, rowid FROM interviews",
    "UPDATE interviews SET date = ?1 WHERE rowid = ?2", 1 },
  { "interviews", "nonresponse_reason", KEY_ROUND,
    "SELECT nonresponse_reason, id, study, code, round, revision, study, round, rowid FROM interviews",
    "UPDATE interviews SET nonresponse_reason = ?1 WHERE rowid = ?2", 1 },
  { "answers", "value", KEY_ROUND,
    "SELECT a.value, a.interview, a.question, NULL, NULL, a.revision, i.study, i.round, a.interview, a.question "
    "FROM answers a LEFT JOIN interviews i ON i.id = a.interview",
    "UPDATE answers SET value = ?1 WHERE interview = ?2 AND question = ?3", 2 },
  { "notes", "text", KEY_ROUND,
    "SELECT n.text, n.interview, n.question, NULL, NULL, n.revision, i.study, i.round, n.interview, n.question "
    "FROM notes n LEFT JOIN interviews i ON i.id = n.interview",
    "UPDATE notes SET text = ?1 WHERE interview = ?2 AND question = ?3", 2 },
  { "quotes", "text", KEY_ROUND,
    "SELECT text, id, study, code, round, revision, study, round, rowid FROM quotes",
    "UPDATE quotes SET text = ?1 WHERE rowid = ?2", 1 },
  { "episodes", "data", KEY_PARTICIPANT,
    "SELECT data, id, study, code, NULL, revision, NULL, NULL, rowid FROM episodes",
    "UPDATE episodes SET data = ?1 WHERE rowid = ?2", 1 },
  { "consents", "value", KEY_ROUND,
    "SELECT value, study, code, round, purpose, revision, study, round, rowid FROM consents",
    "UPDATE consents SET value = ?1 WHERE rowid = ?2", 1 },
  { "consents", "date", KEY_ROUND,
    "SELECT date, study, code, round, purpose, revision, study, round, rowid FROM consents",
    "UPDATE consents SET date = ?1 WHERE rowid = ?2", 1 },
  /* A device's label is bound to its keys, trust and revocation. */
  { "devices", "label", KEY_STAFF,
    "SELECT label, id, lower (hex (x25519_public)) || lower (hex (ed25519_public)), "
    "CASE trusted WHEN 0 THEN 'untrusted' ELSE 'trusted' END, revoked_at, revision, NULL, NULL, rowid "
    "FROM devices",
    "UPDATE devices SET label = ?1 WHERE rowid = ?2", 1 },
  /* The own device's secret halves were sealed at creation. */
  { "devices", "secrets", KEY_VAULT,
    "SELECT secrets, id, lower (hex (x25519_public)) || lower (hex (ed25519_public)), 'trusted', NULL, 1, "
    "NULL, NULL, rowid FROM devices",
    "UPDATE devices SET secrets = ?1 WHERE rowid = ?2", 1 },
  { "studies", "linkage_key", KEY_VAULT,
    "SELECT linkage_key, id, NULL, NULL, NULL, 0, NULL, NULL, rowid FROM studies",
    "UPDATE studies SET linkage_key = ?1 WHERE rowid = ?2", 1 },
  { "studies", "export_key", KEY_VAULT,
    "SELECT export_key, id, NULL, NULL, NULL, 0, NULL, NULL, rowid FROM studies",
    "UPDATE studies SET export_key = ?1 WHERE rowid = ?2", 1 },
  { "rounds", "wrapped_key", KEY_VAULT,
    "SELECT wrapped_key, study, label, NULL, NULL, 0, NULL, NULL, rowid FROM rounds",
    "UPDATE rounds SET wrapped_key = ?1 WHERE rowid = ?2", 1 },
  { "trajectory_overrides", "data", KEY_PARTICIPANT,
    "SELECT data, study, code, rules, NULL, revision, NULL, NULL, rowid FROM trajectory_overrides",
    "UPDATE trajectory_overrides SET data = ?1 WHERE rowid = ?2", 1 },
  /* Both sides of a conflict, as schema 6 keeps them: under the key of
   * the round named in `round` (the participant key when NULL), bound to
   * the device id of `sealed_device` (vw-merge-versions.c side_ref()). */
  { "conflicts", "value", KEY_ROUND,
    "SELECT value, kind, object, field, sealed_device, revision, study, coalesce (round, ''), "
    "study, kind, object, field, device, revision FROM conflicts",
    "UPDATE conflicts SET value = ?1 WHERE study = ?2 AND kind = ?3 AND object = ?4 AND field = ?5 AND "
    "device = ?6 AND revision = ?7", 6 },
  { "exchange_log", "detail", KEY_AUDIT,
    "SELECT detail, study, device, CAST (seq AS TEXT), NULL, 0, NULL, NULL, study, device, seq FROM exchange_log",
    "UPDATE exchange_log SET detail = ?1 WHERE study = ?2 AND device = ?3 AND seq = ?4", 3 },
  { "duplicate_decisions", "decision", KEY_PARTICIPANT,
    "SELECT decision, study, lower (hex (linkage_hash)), codes, NULL, 0, NULL, NULL, study, linkage_hash "
    "FROM duplicate_decisions",
    "UPDATE duplicate_decisions SET decision = ?1 WHERE study = ?2 AND linkage_hash = ?3", 2 },
};

/* Returns: (nullable): the key of the value in the current row, or %NULL
 * when it cannot be had (a round whose key was destroyed). */
static const guint8 *
value_key (VwVault            *self,
           const SealedColumn *column,
           sqlite3_stmt       *stmt)
{
  const char *study = (const char *) sqlite3_column_text (stmt, 6);
  const char *round = (const char *) sqlite3_column_text (stmt, 7);

  switch (column->key)
    {
    case KEY_PARTICIPANT:
      return vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT);
    case KEY_CONTACT:
      return vw_vault_subkey (self, VW_SUBKEY_CONTACT);
    case KEY_STAFF:
      return vw_vault_subkey (self, VW_SUBKEY_STAFF);
    case KEY_VAULT:
      return vw_vault_subkey (self, VW_SUBKEY_VAULT);
    case KEY_AUDIT:
      return vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL);
    case KEY_ROUND:
    default:
      /* A participant value's side of a conflict: the participant key. */
      if (round != NULL && *round == '\0')
        return vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT);
      if (study == NULL || round == NULL)
        return NULL;
      return vw_vault_round_key (self, study, round, NULL);
    }
}

/* Re-seals the value in the current row of @stmt. Returns 1 when it was
 * re-sealed, 0 when it is left as it was, -1 on error. */
static int
reseal_row (VwVault            *self,
            const SealedColumn *column,
            sqlite3_stmt       *stmt,
            sqlite3_stmt       *update,
            GError            **error)
{
  const guint8 *blob = sqlite3_column_blob (stmt, 0);
  gsize blob_len = sqlite3_column_bytes (stmt, 0);
  VwValueRef ref = { column->table, column->column, { NULL }, sqlite3_column_int64 (stmt, 5) };
  const guint8 *key = value_key (self, column, stmt);
  g_autoptr(GBytes) sealed = NULL;

  if (key == NULL)
    return 0;
  for (int i = 0; i < 4; i++)
    ref.id[i] = (const char *) sqlite3_column_text (stmt, 1 + i);

  if (column->key == KEY_VAULT)
    {
      g_autoptr(VwSecret) plain = vw_vault_unseal_secret (self, key, &ref, blob, blob_len, NULL);

      if (plain == NULL)
        return 0;
      sealed = vw_vault_seal (self, key, &ref, vw_secret_const_data (plain), vw_secret_len (plain));
    }
  else
    {
      gsize len = 0;
      g_autofree char *plain = vw_vault_unseal (self, key, &ref, blob, blob_len, &len, NULL);

      if (plain == NULL)
        return 0;
      sealed = vw_vault_seal (self, key, &ref, plain, len);
      sodium_memzero (plain, len);
    }

  sqlite3_reset (update);
  vw_vault_bind_bytes (update, 1, sealed);
  for (int i = 0; i < column->n_keys; i++)
    sqlite3_bind_value (update, 2 + i, sqlite3_column_value (stmt, 8 + i));
  return vw_vault_step_done (self, update, error) ? 1 : -1;
}

static gboolean
reseal_column (VwVault            *self,
               const SealedColumn *column,
               guint              *done,
               guint              *left,
               GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *update = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (self->db, column->select, -1, &stmt, NULL)) != SQLITE_OK ||
      (rc = sqlite3_prepare_v2 (self->db, column->update, -1, &update, NULL)) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return vw_vault_sql_error (self, rc, error);
    }
  /* Only a column that holds no key or index changes, so the scan is not
   * disturbed by the updates it makes. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int result;

      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL ||
          (sqlite3_column_bytes (stmt, 0) > 0 && *(const guint8 *) sqlite3_column_blob (stmt, 0) == VW_VALUE_PADDED))
        continue;
      result = reseal_row (self, column, stmt, update, error);
      if (result < 0)
        break;
      if (result > 0)
        (*done)++;
      else
        (*left)++;
    }
  sqlite3_finalize (update);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return vw_vault_sql_error (self, rc, error);
  return rc == SQLITE_DONE;
}

/* Drops the stored triggers that fire on an update of a row and returns
 * their SQL, to be made again. */
static GPtrArray *
set_aside_triggers (VwVault  *self,
                    GError  **error)
{
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (self->db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND "
                                          "(name LIKE '%\\_seq\\_update' ESCAPE '\\' OR "
                                          "name LIKE '%\\_awaiting\\_update' ESCAPE '\\')",
                                -1, &stmt, NULL)) != SQLITE_OK)
    {
      vw_vault_sql_error (self, rc, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      vw_vault_sql_error (self, rc, error);
      return NULL;
    }
  for (guint i = 0; i < names->len; i++)
    {
      /* The names are our own schema's: quoted all the same. */
      char *drop = sqlite3_mprintf ("DROP TRIGGER \"%w\"", (const char *) g_ptr_array_index (names, i));
      gboolean dropped = vw_vault_exec (self, drop, error);

      sqlite3_free (drop);
      if (!dropped)
        return NULL;
    }
  return g_steal_pointer (&sql);
}

/**
 * vw_vault_migrate_padding:
 *
 * The C step of schema 8, in the migration's transaction: every value in
 * the padded format, the audit chain made again over the new details,
 * then the first row MACs over every table.
 */
gboolean
vw_vault_migrate_padding (VwVault  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) set_aside = NULL;
  guint done = 0, left = 0;
  gboolean ok = TRUE;

  /* Re-sealing changes no value: the change sequence's triggers (schema
   * 6) must not give every row a new seq, which would send all of them
   * again, and the read-only triggers of a handover awaiting its receipt
   * (vw-exchange-receipt.c) must not refuse the re-sealing of its
   * participants. Both are made again as they were. */
  set_aside = set_aside_triggers (self, error);
  if (set_aside == NULL)
    return FALSE;
  self->migrating = TRUE;
  for (gsize i = 0; ok && i < G_N_ELEMENTS (sealed_columns); i++)
    ok = reseal_column (self, &sealed_columns[i], &done, &left, error);
  ok = ok && vw_vault_audit_reseal (self, &done, &left, error);
  self->migrating = FALSE;
  for (guint i = 0; ok && i < set_aside->len; i++)
    ok = vw_vault_exec (self, g_ptr_array_index (set_aside, i), error);
  if (!ok)
    return FALSE;

  if (done + left > 0)
    {
      g_autofree char *detail = g_strdup_printf ("padded %u, left %u", done, left);

      if (!vw_vault_audit_append (self, "values_padded", NULL, detail, error))
        return FALSE;
    }
  return vw_vault_integrity_baseline (self, error);
}
