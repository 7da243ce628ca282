/* vw-vault-preparations.c: the index of round preparations.
 *
 * Who was prepared for which round, for which duo's laptop and when, is
 * in the audit trail (each "round_preparation_written" entry's encrypted
 * detail names the codes). Reading it there means decrypting the whole
 * trail, which the Prepare Next Round dialog did when it opened and on
 * every change of round. Schema 12 keeps the same facts in a table of
 * their own, one row per study, round and code (the latest preparation
 * wins, as it did when the trail was read oldest first), written in the
 * same transaction as the audit entry, and filled from the trail when a
 * vault migrates. The table is in the row-MAC list of
 * vw-vault-integrity.c. It holds nothing the vault does not keep in clear
 * elsewhere: codes, round labels and device ids.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "vw-exchange.h"
#include "vw-vault-private.h"

const char vw_vault_preparations_schema[] =
  "CREATE TABLE preparations ("
  "  study TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  prepared TEXT NOT NULL,"
  "  audit_seq INTEGER NOT NULL,"
  "  PRIMARY KEY (study, round, code)"
  ") WITHOUT ROWID;";

/* Rows for the audit entry @seq (the latest, inside the caller's
 * transaction or migration) from its decrypted @detail; a detail of an
 * earlier version without codes gives none. */
static gboolean
index_entry (VwVault     *self,
             gint64       seq,
             const char  *device,
             const char  *detail,
             GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *codes;
  const char *study, *round;
  sqlite3_stmt *stmt;

  if (detail == NULL || detail[0] != '{' || device == NULL || (node = json_from_string (detail, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  object = json_node_get_object (node);
  study = json_object_get_string_member_with_default (object, "study", NULL);
  round = json_object_get_string_member_with_default (object, "round", NULL);
  if (study == NULL || round == NULL || !json_object_has_member (object, "codes") ||
      json_node_get_node_type (json_object_get_member (object, "codes")) != JSON_NODE_ARRAY)
    return TRUE;
  codes = json_object_get_array_member (object, "codes");
  for (guint c = 0; c < json_array_get_length (codes); c++)
    {
      JsonNode *code = json_array_get_element (codes, c);

      if (json_node_get_value_type (code) != G_TYPE_STRING)
        continue;
      stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO preparations (study, round, code, device, prepared, "
                                     "audit_seq) SELECT ?, ?, ?, ?, ts, seq FROM audit WHERE seq = ?", error);
      if (stmt == NULL)
        return FALSE;
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, round);
      vw_vault_bind_text (stmt, 3, json_node_get_string (code));
      vw_vault_bind_text (stmt, 4, device);
      sqlite3_bind_int64 (stmt, 5, seq);
      if (!vw_vault_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Schema 12: the index made from the audit trail, oldest first. */
gboolean
vw_vault_migrate_preparations (VwVault  *self,
                               GError  **error)
{
  g_autoptr(GPtrArray) entries = vw_vault_list_audit (self, error);

  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      const VwAuditEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->action, "round_preparation_written") == 0 &&
          !index_entry (self, entry->seq, entry->object, entry->detail, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * vw_vault_record_preparation:
 * @device: the duo laptop's device id
 * @detail: the audit detail, JSON with "study", "round" and "codes"
 *
 * Appends the "round_preparation_written" audit entry and indexes it, in
 * one transaction.
 */
gboolean
vw_vault_record_preparation (VwVault     *self,
                             const char  *device,
                             const char  *detail,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  ok = vw_vault_audit_append (self, "round_preparation_written", device, detail, error) &&
       (stmt = vw_vault_prepare (self, "SELECT max (seq) FROM audit", error)) != NULL &&
       vw_vault_step (self, stmt, error) == SQLITE_ROW;
  if (ok)
    {
      seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  return vw_vault_tx_finish (self, ok && index_entry (self, seq, device, detail, error), error);
}

/**
 * vw_vault_list_preparations:
 *
 * Returns: (transfer full) (element-type utf8 VwPrepared): code to its
 * latest preparation of @round, looked up in the index
 */
GHashTable *
vw_vault_list_preparations (VwVault     *self,
                            const char  *study,
                            const char  *round,
                            GError     **error)
{
  g_autoptr(GHashTable) prepared = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error) ||
      (stmt = vw_vault_prepare (self, "SELECT code, device, prepared FROM preparations "
                                      "WHERE study = ? AND round = ?", error)) == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, round);
  prepared = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) vw_prepared_free);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      VwPrepared *p = g_new0 (VwPrepared, 1);

      p->code = vw_vault_column_text (stmt, 0);
      p->device = vw_vault_column_text (stmt, 1);
      p->prepared = vw_vault_column_text (stmt, 2);
      g_hash_table_replace (prepared, p->code, p);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&prepared) : NULL;
}
