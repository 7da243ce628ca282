/* vw-vault-sql.c: prepared statements, transactions and sqlite errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vw-vault-private.h"

/**
 * vw_vault_sql_error:
 * @rc: an sqlite result code
 *
 * Turns an sqlite failure into a GError a user can act on. The messages
 * name no values: sqlite's own text names tables and columns at most.
 *
 * Returns: %FALSE, always, so callers can `return vw_vault_sql_error (...)`
 */
gboolean
vw_vault_sql_error (VwVault  *self,
                    int       rc,
                    GError  **error)
{
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DISK_FULL,
                   _("The disk is full, so nothing was saved in the vault “%s”; free some space and try again"),
                   self->path);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT,
                   _("The vault “%s” is damaged or is not a Veldwerk vault (%s)"), self->path, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_BUSY,
                   _("The vault “%s” is in use by another program; close it and try again"), self->path);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("The vault “%s” refused a change that would break its rules (%s)"), self->path, detail);
      break;
    default:
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                   _("Cannot read or write the vault “%s”: %s"), self->path, detail);
      break;
    }

  return FALSE;
}

/**
 * vw_vault_prepare:
 *
 * Returns: (transfer none): a cached statement for @sql, reset and with
 * its bindings cleared, or %NULL with @error set
 */
sqlite3_stmt *
vw_vault_prepare (VwVault     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (self->db == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                   _("The vault “%s” is closed"), self->path);
      return NULL;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      vw_vault_sql_error (self, rc, error);
      return NULL;
    }
  /* The SQL text is a string literal of the caller. */
  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);

  return stmt;
}

/* Returns SQLITE_ROW or SQLITE_DONE, or -1 with @error set. */
int
vw_vault_step (VwVault       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  vw_vault_sql_error (self, rc, error);
  sqlite3_reset (stmt);
  return -1;
}

/* Steps a statement that returns no rows, and resets it so that it holds
 * no locks afterwards. */
gboolean
vw_vault_step_done (VwVault       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc = vw_vault_step (self, stmt, error);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

gboolean
vw_vault_exec (VwVault     *self,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return vw_vault_sql_error (self, rc, error);
  return TRUE;
}

/**
 * vw_vault_next_seq:
 *
 * Moves the change sequence on and returns its value, for a write that
 * sets a travelling row's seq itself: the bulk paths (import, merge) do,
 * which spares the trigger's second write of the row. Every other write
 * gets its seq from the triggers of schema 6. Inside a transaction the
 * sequence is counted here and written back before it commits; a row
 * written in it only needs a seq above the sequence it started from.
 */
gboolean
vw_vault_next_seq (VwVault  *self,
                   gint64   *seq,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (self->tx_depth > 0 && self->seq != 0)
    {
      *seq = ++self->seq;
      return TRUE;
    }
  stmt = vw_vault_prepare (self, self->tx_depth > 0
                                 ? "SELECT value + 1 FROM change_sequence WHERE id = 1"
                                 : "UPDATE change_sequence SET value = value + 1 WHERE id = 1 RETURNING value", error);
  if (stmt == NULL)
    return FALSE;
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    *seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT, _("The vault “%s” has no change sequence"),
                 self->path);
  if (rc == SQLITE_ROW && self->tx_depth > 0)
    self->seq = *seq;
  return rc == SQLITE_ROW;
}

gint64
vw_vault_changes (VwVault *self)
{
  return sqlite3_changes64 (self->db);
}

/* Every write opens a transaction here; inside vw_vault_begin() it nests
 * as a savepoint, so a failed write undoes only itself. */
gboolean
vw_vault_tx_begin (VwVault  *self,
                   GError  **error)
{
  if (!vw_vault_exec (self, self->tx_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT vw_nested", error))
    return FALSE;
  self->tx_depth++;
  return TRUE;
}

gboolean
vw_vault_tx_commit (VwVault  *self,
                    GError  **error)
{
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  /* What vw_vault_next_seq() handed out goes into the vault with the
   * rest; triggers may have moved it on meanwhile. */
  if (self->tx_depth == 1 && self->seq != 0)
    {
      sqlite3_stmt *stmt = vw_vault_prepare (self, "UPDATE change_sequence SET value = max (value, ?) WHERE id = 1",
                                             error);

      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 1, self->seq);
      self->seq = 0;
      if (stmt == NULL || !vw_vault_step_done (self, stmt, error))
        {
          vw_vault_tx_rollback (self);
          return FALSE;
        }
    }
  if (!vw_vault_exec (self, self->tx_depth == 1 ? "COMMIT" : "RELEASE vw_nested", error))
    {
      vw_vault_tx_rollback (self);
      return FALSE;
    }
  self->tx_depth--;
  if (self->tx_depth == 0)
    vw_vault_log_committed (self);
  return TRUE;
}

void
vw_vault_tx_rollback (VwVault *self)
{
  g_return_if_fail (self->tx_depth > 0);

  /* Statements still stepping would keep the transaction open. */
  for (sqlite3_stmt *s = sqlite3_next_stmt (self->db, NULL); s != NULL; s = sqlite3_next_stmt (self->db, s))
    sqlite3_reset (s);

  if (self->tx_depth == 1)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      self->seq = 0;
    }
  else
    sqlite3_exec (self->db, "ROLLBACK TO vw_nested; RELEASE vw_nested", NULL, NULL, NULL);
  self->tx_depth--;
}

void
vw_vault_clear_statements (VwVault *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->stmts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_finalize (value);
  g_hash_table_remove_all (self->stmts);
}

void
vw_vault_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
vw_vault_bind_bytes (sqlite3_stmt *stmt,
                     int           index,
                     GBytes       *bytes)
{
  gsize len;
  gconstpointer data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  sqlite3_bind_blob (stmt, index, data, len, SQLITE_TRANSIENT);
}

char *
vw_vault_column_text (sqlite3_stmt *stmt,
                      int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

/* Returns: %FALSE, with a NOT_FOUND error naming what is missing. */
gboolean
vw_vault_not_found (GError     **error,
                    const char  *what,
                    const char  *where)
{
  g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
               _("There is no %s “%s” in the vault"), what, where);
  return FALSE;
}

/**
 * vw_vault_collect_rows:
 * @read: makes one item of the current row, or returns %NULL with @error
 *
 * Steps @stmt to its end and collects what @read makes of each row.
 *
 * Returns: (transfer full): the items, or %NULL at the first failure
 */
GPtrArray *
vw_vault_collect_rows (VwVault         *self,
                       sqlite3_stmt    *stmt,
                       VwRowReadFunc    read,
                       GDestroyNotify   free_func,
                       GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      gpointer item = read (self, stmt, error);

      if (item == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (items, item);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&items);
}

/* Ends a write begun with vw_vault_tx_begin(): commits when @ok, else
 * rolls back whatever the transaction did. */
gboolean
vw_vault_tx_finish (VwVault   *self,
                    gboolean   ok,
                    GError   **error)
{
  if (!ok)
    {
      if (self->tx_depth > 0)
        vw_vault_tx_rollback (self);
      return FALSE;
    }
  return vw_vault_tx_commit (self, error);
}

void
vw_vault_add_problem (GPtrArray    *problems,
                      const GError *error)
{
  g_ptr_array_add (problems, g_strdup (error->message));
}

/* Runs @sql (no parameters) and calls @check on each row. */
void
vw_vault_verify_rows (VwVault        *self,
                      const char     *sql,
                      VwRowCheckFunc  check,
                      GPtrArray      *problems)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s", sqlite3_errmsg (self->db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    check (self, stmt, problems);
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf ("%s", sqlite3_errmsg (self->db)));
  sqlite3_finalize (stmt);
}

/* Like vw_vault_verify_rows(), for tables whose reader decrypts and
 * checks everything of a row: each row that does not read is a problem. */
void
vw_vault_verify_readable (VwVault        *self,
                          const char     *sql,
                          VwRowReadFunc   read,
                          GDestroyNotify  free_func,
                          GPtrArray      *problems)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s", sqlite3_errmsg (self->db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      gpointer item = read (self, stmt, &error);

      if (item == NULL)
        vw_vault_add_problem (problems, error);
      else
        free_func (item);
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf ("%s", sqlite3_errmsg (self->db)));
  sqlite3_finalize (stmt);
}

/**
 * vw_vault_read_one:
 * @what: (nullable): what a missing row is called in the NOT_FOUND error
 *
 * Steps @stmt once and reads its row with @read.
 *
 * Returns: (transfer full): the item, or %NULL with @error set
 */
gpointer
vw_vault_read_one (VwVault        *self,
                   sqlite3_stmt   *stmt,
                   VwRowReadFunc   read,
                   const char     *what,
                   const char     *where,
                   GError        **error)
{
  gpointer item = NULL;
  int rc = vw_vault_step (self, stmt, error);

  if (rc == SQLITE_DONE)
    vw_vault_not_found (error, what, where ? where : "");
  else if (rc == SQLITE_ROW)
    item = read (self, stmt, error);
  sqlite3_reset (stmt);
  return item;
}

/**
 * vw_vault_row_revision:
 * @sql: a query of one revision column with up to four ? parameters
 * @a: (nullable): the parameters; the first %NULL ends them
 *
 * Returns: the row's revision, 0 when there is no row, -1 on error
 */
gint64
vw_vault_row_revision (VwVault     *self,
                       const char  *sql,
                       const char  *a,
                       const char  *b,
                       const char  *c,
                       const char  *d,
                       GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, sql, error);
  const char *params[] = { a, b, c, d };
  gint64 revision = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  for (int i = 0; i < 4 && params[i] != NULL; i++)
    vw_vault_bind_text (stmt, i + 1, params[i]);
  rc = vw_vault_step (self, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_ROW)
    revision = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return revision;
}
