/* vw-vault-audit.c: the append-only, hash-chained audit trail.
 *
 * Each entry carries a keyed MAC (audit subkey) over its own fields and
 * the MAC of the entry before it, so editing, deleting or reordering an
 * entry breaks the chain. meta.audit_head holds a MAC over the last
 * entry, so cutting entries off the end is caught too, unless an older
 * copy of the whole file is put back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-vault-private.h"

static void
mac_add (crypto_generichash_state *state,
         const void               *data,
         gssize                    len)
{
  guint32 le;

  /* -1 marks NULL, which must differ from "". */
  le = GUINT32_TO_LE (len < 0 ? G_MAXUINT32 : (guint32) len);
  crypto_generichash_update (state, (const guint8 *) &le, sizeof le);
  if (len > 0)
    crypto_generichash_update (state, data, len);
}

static void
mac_add_str (crypto_generichash_state *state,
             const char               *text)
{
  mac_add (state, text, text ? (gssize) strlen (text) : -1);
}

static void
entry_mac (VwVault      *self,
           gint64        seq,
           const char   *ts,
           const char   *actor,
           const char   *action,
           const char   *object,
           const void   *detail,
           gssize        detail_len,
           const guint8 *prev_mac,
           guint8       *out)
{
  crypto_generichash_state state;
  guint64 le = GUINT64_TO_LE ((guint64) seq);

  crypto_generichash_init (&state, vw_vault_subkey (self, VW_SUBKEY_AUDIT_MAC), VW_KEY_LEN, VW_MAC_LEN);
  mac_add_str (&state, "veldwerk/audit/1");
  mac_add (&state, self->vault_id, VW_VAULT_ID_LEN);
  mac_add (&state, &le, sizeof le);
  mac_add_str (&state, ts);
  mac_add_str (&state, actor);
  mac_add_str (&state, action);
  mac_add_str (&state, object);
  mac_add (&state, detail, detail_len);
  mac_add (&state, prev_mac, VW_MAC_LEN);
  crypto_generichash_final (&state, out, VW_MAC_LEN);
}

static void
head_mac (VwVault      *self,
          gint64        seq,
          const guint8 *mac,
          guint8       *out)
{
  crypto_generichash_state state;
  guint64 le = GUINT64_TO_LE ((guint64) seq);

  crypto_generichash_init (&state, vw_vault_subkey (self, VW_SUBKEY_AUDIT_MAC), VW_KEY_LEN, VW_MAC_LEN);
  mac_add_str (&state, "veldwerk/audit-head/1");
  mac_add (&state, self->vault_id, VW_VAULT_ID_LEN);
  mac_add (&state, &le, sizeof le);
  mac_add (&state, mac, VW_MAC_LEN);
  crypto_generichash_final (&state, out, VW_MAC_LEN);
}

/**
 * vw_vault_audit_append:
 * @action: what happened, a fixed word such as "participant_created"
 * @object: (nullable): a structural identifier, e.g. a participant code
 * @detail: (nullable): more, encrypted with the audit detail subkey
 *
 * Appends an entry inside the caller's transaction, naming the current
 * actor.
 */
gboolean
vw_vault_audit_append (VwVault     *self,
                       const char  *action,
                       const char  *object,
                       const char  *detail,
                       GError     **error)
{
  g_autofree char *ts = vw_vault_now ();
  g_autofree char *seq_text = NULL;
  g_autoptr(GBytes) sealed = NULL;
  guint8 prev_mac[VW_MAC_LEN] = { 0 };
  guint8 mac[VW_MAC_LEN];
  guint8 head[8 + VW_MAC_LEN];
  g_autoptr(GBytes) head_bytes = NULL;
  gint64 seq = 1;
  sqlite3_stmt *stmt;
  int rc;

  stmt = vw_vault_prepare (self, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL || (rc = vw_vault_step (self, stmt, error)) < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0) + 1;
      if (sqlite3_column_bytes (stmt, 1) == VW_MAC_LEN)
        memcpy (prev_mac, sqlite3_column_blob (stmt, 1), VW_MAC_LEN);
    }
  sqlite3_reset (stmt);

  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  {
    VwValueRef ref = { "audit", "detail", { seq_text }, 0 };
    sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL), &ref, detail);
  }
  entry_mac (self, seq, ts, self->actor, action, object,
             sealed ? g_bytes_get_data (sealed, NULL) : NULL,
             sealed ? (gssize) g_bytes_get_size (sealed) : -1, prev_mac, mac);

  stmt = vw_vault_prepare (self, "INSERT INTO audit (seq, ts, actor, action, object, detail, prev_mac, mac) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  vw_vault_bind_text (stmt, 2, ts);
  vw_vault_bind_text (stmt, 3, self->actor);
  vw_vault_bind_text (stmt, 4, action);
  vw_vault_bind_text (stmt, 5, object);
  vw_vault_bind_bytes (stmt, 6, sealed);
  sqlite3_bind_blob (stmt, 7, prev_mac, VW_MAC_LEN, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 8, mac, VW_MAC_LEN, SQLITE_TRANSIENT);
  if (!vw_vault_step_done (self, stmt, error))
    return FALSE;

  {
    guint64 le = GUINT64_TO_LE ((guint64) seq);
    memcpy (head, &le, 8);
    head_mac (self, seq, mac, head + 8);
  }
  head_bytes = g_bytes_new (head, sizeof head);
  stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_bytes (stmt, 1, head_bytes);
  return vw_vault_step_done (self, stmt, error);
}

/**
 * vw_vault_audit:
 *
 * Records an event of a later stage (exported, merged, ...) in its own
 * transaction.
 */
gboolean
vw_vault_audit (VwVault     *self,
                const char  *action,
                const char  *object,
                const char  *detail,
                GError     **error)
{
  g_return_val_if_fail (action != NULL, FALSE);

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  if (!vw_vault_audit_append (self, action, object, detail, error))
    {
      vw_vault_tx_rollback (self);
      return FALSE;
    }
  return vw_vault_tx_commit (self, error);
}

/**
 * vw_vault_list_audit:
 *
 * Returns: (transfer full) (element-type VwAuditEntry): every entry in
 * order, details decrypted
 */
GPtrArray *
vw_vault_list_audit (VwVault  *self,
                     GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_audit_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT seq, ts, actor, action, object, detail FROM audit ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(VwAuditEntry) entry = g_new0 (VwAuditEntry, 1);
      g_autofree char *seq_text = NULL;

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->timestamp = vw_vault_column_text (stmt, 1);
      entry->actor = vw_vault_column_text (stmt, 2);
      entry->action = vw_vault_column_text (stmt, 3);
      entry->object = vw_vault_column_text (stmt, 4);
      seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, entry->seq);
      {
        VwValueRef ref = { "audit", "detail", { seq_text }, 0 };
        if (!vw_vault_column_unseal (self, stmt, 5, vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL),
                                     &ref, &entry->detail, error))
          {
            sqlite3_reset (stmt);
            return NULL;
          }
      }
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&entries);
}

/* Walks the chain; every break goes into @problems with its sequence
 * number. */
void
vw_vault_audit_verify (VwVault   *self,
                       GPtrArray *problems)
{
  sqlite3_stmt *stmt = NULL;
  guint8 prev_mac[VW_MAC_LEN] = { 0 };
  gint64 expected_seq = 1;
  gboolean any = FALSE;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT seq, ts, actor, action, object, detail, prev_mac, mac "
                                    "FROM audit ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("audit: %s"), sqlite3_errmsg (self->db)));
      return;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const void *detail = sqlite3_column_blob (stmt, 5);
      gssize detail_len = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? -1 : sqlite3_column_bytes (stmt, 5);
      const guint8 *stored_prev = sqlite3_column_blob (stmt, 6);
      const guint8 *stored_mac = sqlite3_column_blob (stmt, 7);
      guint8 mac[VW_MAC_LEN];

      any = TRUE;
      if (seq != expected_seq)
        g_ptr_array_add (problems, g_strdup_printf (_("audit: entry %lld follows entry %lld: entries were removed"),
                                                    (long long) seq, (long long) expected_seq - 1));
      if (sqlite3_column_bytes (stmt, 6) != VW_MAC_LEN || sodium_memcmp (stored_prev, prev_mac, VW_MAC_LEN) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("audit: entry %lld does not follow the entry before it"),
                                                    (long long) seq));

      entry_mac (self, seq, (const char *) sqlite3_column_text (stmt, 1),
                 (const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3),
                 (const char *) sqlite3_column_text (stmt, 4), detail, detail_len,
                 sqlite3_column_bytes (stmt, 6) == VW_MAC_LEN ? stored_prev : prev_mac, mac);
      if (sqlite3_column_bytes (stmt, 7) != VW_MAC_LEN || sodium_memcmp (stored_mac, mac, VW_MAC_LEN) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("audit: entry %lld was altered"), (long long) seq));

      if (detail_len >= 0)
        {
          g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
          VwValueRef ref = { "audit", "detail", { seq_text }, 0 };
          g_autoptr(GError) error = NULL;
          g_autofree char *plain = vw_vault_unseal (self, vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL),
                                                    &ref, detail, detail_len, NULL, &error);
          if (plain == NULL)
            g_ptr_array_add (problems, g_strdup (error->message));
        }

      /* Go on from what the entry says, so one edit is reported once. */
      if (sqlite3_column_bytes (stmt, 7) == VW_MAC_LEN)
        memcpy (prev_mac, stored_mac, VW_MAC_LEN);
      expected_seq = seq + 1;
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("audit: %s"), sqlite3_errmsg (self->db)));
  sqlite3_finalize (stmt);

  /* The head names the last entry; a missing tail shows here. */
  {
    sqlite3_stmt *head_stmt = NULL;
    gboolean ok = FALSE;

    if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = 'audit_head'", -1,
                            &head_stmt, NULL) == SQLITE_OK &&
        sqlite3_step (head_stmt) == SQLITE_ROW &&
        sqlite3_column_bytes (head_stmt, 0) == 8 + VW_MAC_LEN)
      {
        const guint8 *head = sqlite3_column_blob (head_stmt, 0);
        guint64 le;
        guint8 mac[VW_MAC_LEN];

        memcpy (&le, head, 8);
        head_mac (self, (gint64) GUINT64_FROM_LE (le), prev_mac, mac);
        ok = any && (gint64) GUINT64_FROM_LE (le) == expected_seq - 1 &&
             sodium_memcmp (mac, head + 8, VW_MAC_LEN) == 0;
      }
    sqlite3_finalize (head_stmt);
    if (!ok)
      g_ptr_array_add (problems, g_strdup (_("audit: the last entries are missing or the head was altered")));
  }
}

/**
 * vw_vault_audit_details:
 *
 * The details of every entry with @action about @object, decrypted, in
 * order: for decisions kept only in the audit trail (a revoked laptop's
 * bundle accepted by name). A detail is sealed to its entry, so one
 * written or moved around the vault's key does not decrypt and is an
 * error.
 *
 * Returns: (transfer full) (element-type utf8): the details
 */
GPtrArray *
vw_vault_audit_details (VwVault     *self,
                        const char  *action,
                        const char  *object,
                        GError     **error)
{
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT seq, detail FROM audit WHERE action = ? AND object = ? ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, action);
  vw_vault_bind_text (stmt, 2, object);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      VwValueRef ref = { "audit", "detail", { seq_text }, 0 };
      char *detail = NULL;

      if (!vw_vault_column_unseal (self, stmt, 1, vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL), &ref, &detail,
                                   error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      if (detail != NULL)
        g_ptr_array_add (details, detail);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&details);
}

static void
poison_mac (guint8 *mac)
{
  for (int i = 0; i < VW_MAC_LEN; i++)
    mac[i] ^= 0xa5;
}

/**
 * vw_vault_audit_reseal:
 * @done: (inout): counts the details re-sealed
 * @left: (inout): counts the details left as they were (they do not
 *   decrypt)
 *
 * Schema 8: re-seals every detail padded and makes the MAC chain again
 * over the new details, in the migration's transaction. Every break of
 * the old chain stays a break of the new one, of the same kind: an entry
 * that was altered, one that does not follow the one before, a missing
 * tail; so the migration hides nothing verify would have reported.
 */
gboolean
vw_vault_audit_reseal (VwVault  *self,
                       guint    *done,
                       guint    *left,
                       GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *update = NULL;
  g_autofree char *trigger = NULL;
  guint8 old_running[VW_MAC_LEN] = { 0 };
  guint8 new_running[VW_MAC_LEN] = { 0 };
  gint64 last_seq = 0;
  gboolean any = FALSE;
  gboolean ok = TRUE;
  int rc;

  /* The append-only trigger of schema 2 is set aside, as it was. */
  if (sqlite3_prepare_v2 (self->db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND "
                                    "name = 'audit_no_update'", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    trigger = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (trigger != NULL && !vw_vault_exec (self, "DROP TRIGGER audit_no_update", error))
    return FALSE;

  if ((rc = sqlite3_prepare_v2 (self->db, "SELECT seq, ts, actor, action, object, detail, prev_mac, mac "
                                          "FROM audit ORDER BY seq", -1, &stmt, NULL)) != SQLITE_OK ||
      (rc = sqlite3_prepare_v2 (self->db, "UPDATE audit SET detail = ?, prev_mac = ?, mac = ? WHERE seq = ?", -1,
                                &update, NULL)) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return vw_vault_sql_error (self, rc, error);
    }

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *ts = (const char *) sqlite3_column_text (stmt, 1);
      const char *actor = (const char *) sqlite3_column_text (stmt, 2);
      const char *action = (const char *) sqlite3_column_text (stmt, 3);
      const char *object = (const char *) sqlite3_column_text (stmt, 4);
      const guint8 *detail = sqlite3_column_blob (stmt, 5);
      gssize detail_len = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? -1 : sqlite3_column_bytes (stmt, 5);
      gboolean prev_ok = sqlite3_column_bytes (stmt, 6) == VW_MAC_LEN &&
                         sodium_memcmp (sqlite3_column_blob (stmt, 6), old_running, VW_MAC_LEN) == 0;
      const guint8 *stored_prev = sqlite3_column_bytes (stmt, 6) == VW_MAC_LEN ? sqlite3_column_blob (stmt, 6)
                                                                                : old_running;
      gboolean mac_ok;
      guint8 old_mac[VW_MAC_LEN];
      guint8 new_prev[VW_MAC_LEN];
      guint8 new_mac[VW_MAC_LEN];
      g_autoptr(GBytes) sealed = NULL;

      entry_mac (self, seq, ts, actor, action, object, detail, detail_len, stored_prev, old_mac);
      mac_ok = sqlite3_column_bytes (stmt, 7) == VW_MAC_LEN &&
               sodium_memcmp (sqlite3_column_blob (stmt, 7), old_mac, VW_MAC_LEN) == 0;

      if (detail_len > 0 && detail[0] != VW_VALUE_PADDED)
        {
          g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
          VwValueRef ref = { "audit", "detail", { seq_text }, 0 };
          gsize len = 0;
          g_autofree char *plain = vw_vault_unseal (self, vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL), &ref,
                                                    detail, detail_len, &len, NULL);

          if (plain != NULL)
            {
              sealed = vw_vault_seal (self, vw_vault_subkey (self, VW_SUBKEY_AUDIT_DETAIL), &ref, plain, len);
              sodium_memzero (plain, len);
              (*done)++;
            }
          else
            (*left)++;
        }
      if (sealed == NULL && detail_len >= 0)
        sealed = g_bytes_new (detail, detail_len);

      memcpy (new_prev, new_running, VW_MAC_LEN);
      if (!prev_ok)
        poison_mac (new_prev);
      entry_mac (self, seq, ts, actor, action, object, sealed ? g_bytes_get_data (sealed, NULL) : NULL,
                 sealed ? (gssize) g_bytes_get_size (sealed) : -1, new_prev, new_mac);
      if (!mac_ok)
        poison_mac (new_mac);

      sqlite3_reset (update);
      vw_vault_bind_bytes (update, 1, sealed);
      sqlite3_bind_blob (update, 2, new_prev, VW_MAC_LEN, SQLITE_TRANSIENT);
      sqlite3_bind_blob (update, 3, new_mac, VW_MAC_LEN, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 4, seq);
      ok = vw_vault_step_done (self, update, error);

      /* As verify does: go on from what the entry says. */
      if (sqlite3_column_bytes (stmt, 7) == VW_MAC_LEN)
        memcpy (old_running, sqlite3_column_blob (stmt, 7), VW_MAC_LEN);
      memcpy (new_running, new_mac, VW_MAC_LEN);
      last_seq = seq;
      any = TRUE;
    }
  sqlite3_finalize (update);
  sqlite3_finalize (stmt);
  if (ok && rc != SQLITE_DONE)
    ok = vw_vault_sql_error (self, rc, error);

  /* The head, again only if it named the last entry. */
  if (ok && any)
    {
      sqlite3_stmt *head_stmt = NULL;
      gboolean head_ok = FALSE;

      if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = 'audit_head'", -1, &head_stmt,
                              NULL) == SQLITE_OK &&
          sqlite3_step (head_stmt) == SQLITE_ROW && sqlite3_column_bytes (head_stmt, 0) == 8 + VW_MAC_LEN)
        {
          const guint8 *head = sqlite3_column_blob (head_stmt, 0);
          guint64 le;
          guint8 mac[VW_MAC_LEN];

          memcpy (&le, head, 8);
          head_mac (self, (gint64) GUINT64_FROM_LE (le), old_running, mac);
          head_ok = (gint64) GUINT64_FROM_LE (le) == last_seq && sodium_memcmp (mac, head + 8, VW_MAC_LEN) == 0;
        }
      sqlite3_finalize (head_stmt);
      if (head_ok)
        {
          guint8 head[8 + VW_MAC_LEN];
          guint64 le = GUINT64_TO_LE ((guint64) last_seq);
          g_autoptr(GBytes) head_bytes = NULL;

          memcpy (head, &le, 8);
          head_mac (self, last_seq, new_running, head + 8);
          head_bytes = g_bytes_new (head, sizeof head);
          head_stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
                                        error);
          ok = head_stmt != NULL;
          if (ok)
            {
              vw_vault_bind_bytes (head_stmt, 1, head_bytes);
              ok = vw_vault_step_done (self, head_stmt, error);
            }
        }
    }

  if (trigger != NULL && ok)
    ok = vw_vault_exec (self, trigger, error);
  return ok;
}
