/* vw-vault-log.c: the write-ahead log at rest.
 *
 * sqlite keeps committed transactions in `<vault>-wal` until a checkpoint
 * copies them into the vault file. Two things follow, and both are
 * handled here:
 *
 * - Committed data must not live only in the log once the work that made
 *   it is done, or deleting the log (by hand, by a backup tool that copies
 *   only the vault file) loses it. The vault checkpoints, truncating the
 *   log, after every bulk operation (import, merge, migration, change of
 *   passphrase) and when it is locked or closed.
 *
 * - sqlite applies any log it finds beside a database, whatever database
 *   wrote it: the log of another vault, or of an older copy of this one,
 *   overwrites pages of this vault with pages of that one. So before the
 *   vault is opened, a log that nobody has open is checked on a private
 *   copy: the vault file as it is (read with sqlite's immutable mode, which
 *   ignores the log) against a copy of the vault file and the log, opened
 *   by sqlite in a private folder. The log is refused, and nothing beside
 *   the vault is touched, unless the copy is a sound database of the same
 *   vault id, and every table state in it (vw-vault-integrity.c) carries
 *   that vault id and the epoch of the vault file, or the epoch before it
 *   (a crash between renewing the epoch and the checkpoint). The epoch is
 *   renewed with each checkpoint, so the log of an older or diverged copy
 *   of the same vault is refused too. Every transaction that changes a
 *   table also changes its state, so a log that holds data holds states.
 *   A vault of an older schema has no states: there the log is refused
 *   only when it would break the database or holds another vault id.
 *
 * A log that another connection has open is that connection's to look
 * after: sqlite checked nothing, but neither would it be applied by us.
 *
 * sqlite's own automatic checkpoint is replaced by ours (after a commit
 * that left the log at 1000 pages or more), so that the vault file never
 * changes without a new epoch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "vw-vault-private.h"

/* The byte of `-shm` every open sqlite connection holds a shared lock on
 * (UNIX_SHM_DMS of sqlite's unix VFS: (22 + 8) * 4 + 8). */
#define SHM_DMS_BYTE 128

static GMutex registry_lock;
static GHashTable *registry; /* canonical path -> open connections of this process */

static char *
canonical (const char *path)
{
  return g_canonicalize_filename (path, NULL);
}

void
vw_vault_log_opened (const char *path)
{
  g_autofree char *key = canonical (path);

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (registry, g_steal_pointer (&key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (registry, key)) + 1));
  g_mutex_unlock (&registry_lock);
}

void
vw_vault_log_closed (const char *path)
{
  g_autofree char *key = canonical (path);
  guint count;

  g_mutex_lock (&registry_lock);
  count = registry ? GPOINTER_TO_UINT (g_hash_table_lookup (registry, key)) : 0;
  if (count > 1)
    g_hash_table_insert (registry, g_steal_pointer (&key), GUINT_TO_POINTER (count - 1));
  else if (count == 1)
    g_hash_table_remove (registry, key);
  g_mutex_unlock (&registry_lock);
}

/* Whether a connection has the vault open now: one of this process, or
 * one of another process (its lock on `-shm`). */
static gboolean
log_in_use (const char *path)
{
  g_autofree char *key = canonical (path);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  struct flock lock = { 0 };
  gboolean here;
  int fd;

  g_mutex_lock (&registry_lock);
  here = registry != NULL && g_hash_table_contains (registry, key);
  g_mutex_unlock (&registry_lock);
  if (here)
    return TRUE;

  fd = g_open (shm, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    return FALSE;
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = SHM_DMS_BYTE;
  lock.l_len = 1;
  if (fcntl (fd, F_GETLK, &lock) != 0)
    lock.l_type = F_UNLCK;
  close (fd);
  return lock.l_type != F_UNLCK;
}

/* What a database says about whose it is. */
typedef struct
{
  int         schema;
  GBytes     *vault_id;
  GHashTable *states; /* table -> GBytes: vault id || epoch || previous epoch */
  char       *quick_check;
} Identity;

static void
identity_clear (Identity *id)
{
  g_clear_pointer (&id->vault_id, g_bytes_unref);
  g_clear_pointer (&id->states, g_hash_table_unref);
  g_clear_pointer (&id->quick_check, g_free);
}

static gboolean
read_identity (sqlite3   *db,
               gboolean   check,
               Identity  *id)
{
  sqlite3_stmt *stmt = NULL;

  id->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  if (check)
    {
      if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
        return FALSE;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id->quick_check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      if (g_strcmp0 (id->quick_check, "ok") != 0)
        return TRUE;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id->schema = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'vault_id'", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id->vault_id = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (db, "SELECT tbl, state FROM vw_integrity", -1, &stmt, NULL) != SQLITE_OK)
    return id->schema < VW_SCHEMA_PADDED;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint8 guard[VW_VAULT_ID_LEN + 2 * VW_INTEGRITY_EPOCH_LEN];

      if (vw_integrity_state_guard (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1), guard,
                                    guard + VW_VAULT_ID_LEN, guard + VW_VAULT_ID_LEN + VW_INTEGRITY_EPOCH_LEN))
        g_hash_table_insert (id->states, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             g_bytes_new (guard, sizeof guard));
      else
        g_hash_table_insert (id->states, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             g_bytes_new (NULL, 0));
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) a = g_file_new_for_path (from);
  g_autoptr(GFile) b = g_file_new_for_path (to);

  return g_file_copy (a, b, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, error);
}

static void
remove_private (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* The vault file alone, as it is, without its log and without writing. */
static gboolean
read_file_alone (const char  *path,
                 Identity    *id,
                 GError     **error)
{
  g_autofree char *absolute = canonical (path);
  g_autofree char *uri = g_filename_to_uri (absolute, NULL, error);
  g_autofree char *immutable = NULL;
  sqlite3 *db = NULL;

  if (uri == NULL)
    return FALSE;
  immutable = g_strconcat (uri, "?immutable=1", NULL);
  if (sqlite3_open_v2 (immutable, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return TRUE;
    }
  /* A file that is not a vault as it is: opening it says so. */
  read_identity (db, FALSE, id);
  sqlite3_close (db);
  return TRUE;
}

/* The vault file with its log applied, in a private folder beside it. */
static gboolean
read_with_log (const char  *path,
               Identity    *id,
               GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.log-check-XXXXXX", base);
  g_autofree char *private_dir = g_build_filename (dir, name, NULL);
  g_autofree char *copy = NULL;
  g_autofree char *copy_wal = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  sqlite3 *db = NULL;
  gboolean ok;

  if (g_mkdtemp_full (private_dir, 0700) == NULL)
    {
      int saved = errno;
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                   _("Cannot check the write-ahead log of the vault “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  copy = g_build_filename (private_dir, "vault", NULL);
  copy_wal = g_strconcat (copy, "-wal", NULL);
  ok = copy_file (path, copy, error) && copy_file (wal, copy_wal, error);
  if (ok && sqlite3_open_v2 (copy, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
    {
      if (!read_identity (db, TRUE, id) && id->quick_check == NULL)
        id->quick_check = g_strdup (sqlite3_errmsg (db));
    }
  else if (ok)
    id->quick_check = g_strdup (sqlite3_errmsg (db));
  sqlite3_close (db);
  remove_private (private_dir);
  return ok;
}

static gboolean
refuse (const char  *path,
        const char  *reason,
        GError     **error)
{
  g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_FOREIGN_LOG,
               _("The write-ahead log “%s-wal” beside the vault does not belong to it: %s. Veldwerk did not "
                 "apply it and changed nothing; move that file out of the folder to open the vault"),
               path, reason);
  return FALSE;
}

static gboolean
epoch_follows (GBytes *before,
               GBytes *after)
{
  const guint8 *b = g_bytes_get_data (before, NULL);
  const guint8 *a = g_bytes_get_data (after, NULL);
  const guint8 *epoch = b + VW_VAULT_ID_LEN;

  return memcmp (a + VW_VAULT_ID_LEN, epoch, VW_INTEGRITY_EPOCH_LEN) == 0 ||
         memcmp (a + VW_VAULT_ID_LEN + VW_INTEGRITY_EPOCH_LEN, epoch, VW_INTEGRITY_EPOCH_LEN) == 0;
}

static gboolean
compare (const char  *path,
         Identity    *alone,
         Identity    *applied,
         GError     **error)
{
  GHashTableIter iter;
  gpointer key, value;
  GBytes *any_before = NULL;

  if (g_strcmp0 (applied->quick_check, "ok") != 0)
    return refuse (path, _("applied to it, the database would be damaged"), error);
  if (alone->vault_id == NULL || applied->vault_id == NULL || !g_bytes_equal (alone->vault_id, applied->vault_id))
    return refuse (path, _("it holds another vault"), error);

  g_hash_table_iter_init (&iter, alone->states);
  while (any_before == NULL && g_hash_table_iter_next (&iter, NULL, &value))
    if (g_bytes_get_size (value) > 0)
      any_before = value;

  g_hash_table_iter_init (&iter, applied->states);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *before = g_hash_table_lookup (alone->states, key);

      if (g_bytes_get_size (value) == 0 ||
          memcmp (g_bytes_get_data (value, NULL), g_bytes_get_data (alone->vault_id, NULL),
                  MIN (VW_VAULT_ID_LEN, g_bytes_get_size (alone->vault_id))) != 0)
        return refuse (path, _("it was written by another vault"), error);
      if (before == NULL || g_bytes_get_size (before) == 0)
        before = any_before;
      /* States that appear with the log (the migration to schema 8 was
       * the last thing done) have nothing to follow. */
      if (before != NULL && !epoch_follows (before, value))
        return refuse (path, _("it was written for another copy of this vault"), error);
    }
  /* A log over a vault with states that drops them is not this vault's. */
  if (alone->schema >= VW_SCHEMA_PADDED && g_hash_table_size (applied->states) < g_hash_table_size (alone->states))
    return refuse (path, _("applied to it, the database would be damaged"), error);
  return TRUE;
}

/**
 * vw_vault_log_check:
 * @path: a vault file, not open yet
 *
 * Returns: %TRUE when @path has no log, or one in use, or its own log;
 * else FOREIGN_LOG (or IO), with nothing beside the vault touched
 */
gboolean
vw_vault_log_check (const char  *path,
                    GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  Identity alone = { 0 };
  Identity applied = { 0 };
  GStatBuf st;
  gboolean ok;

  if (g_lstat (wal, &st) != 0 || (S_ISREG (st.st_mode) && st.st_size == 0))
    return TRUE;
  if (!S_ISREG (st.st_mode))
    return refuse (path, _("it is not a regular file"), error);
  if (log_in_use (path))
    return TRUE;

  ok = read_file_alone (path, &alone, error) &&
       (alone.vault_id == NULL || (read_with_log (path, &applied, error) && compare (path, &alone, &applied, error)));
  identity_clear (&alone);
  identity_clear (&applied);
  return ok;
}

/* The new epoch is committed first, so that the vault file never
 * changes without one; that commit must not start a checkpoint of its
 * own (it would renew the epoch again, and so on without end). */
static gboolean
checkpoint (VwVault  *self,
            int       mode,
            GError  **error)
{
  gboolean ok = TRUE;
  int rc;

  if (self->db == NULL || self->tx_depth > 0 || self->checkpointing)
    return TRUE;
  self->checkpointing = TRUE;
  self->wal_pages = 0;
  if (self->schema_version >= VW_SCHEMA_PADDED && self->key != NULL && self->committed)
    ok = vw_vault_tx_begin (self, error) &&
         vw_vault_tx_finish (self, vw_vault_integrity_renew_epoch (self, error), error);
  if (ok)
    {
      rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, mode, NULL, NULL);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        ok = vw_vault_sql_error (self, rc, error);
      else
        self->committed = FALSE;
    }
  self->checkpointing = FALSE;
  return ok;
}

/**
 * vw_vault_checkpoint:
 *
 * Copies what the log holds into the vault file and empties the log, with
 * a new epoch when something was written. Outside a transaction only; a
 * reader on another connection makes it wait (up to the busy timeout) and
 * then leaves the rest to the last connection to close.
 */
gboolean
vw_vault_checkpoint (VwVault  *self,
                     GError  **error)
{
  return checkpoint (self, SQLITE_CHECKPOINT_TRUNCATE, error);
}

/* A transaction changed rows when the connection's count of changed rows
 * grew since the last one ended. */
static int
on_commit (void *data)
{
  VwVault *self = data;
  gint64 total = sqlite3_total_changes64 (self->db);

  if (total != self->changes_seen)
    self->committed = TRUE;
  self->changes_seen = total;
  return 0;
}

static void
on_rollback (void *data)
{
  VwVault *self = data;

  self->changes_seen = sqlite3_total_changes64 (self->db);
}

static int
on_wal (void       *data,
        sqlite3    *db,
        const char *name,
        int         pages)
{
  VwVault *self = data;

  self->wal_pages = pages;
  return SQLITE_OK;
}

/* Notes every commit that changed rows on the connection, whatever made
 * it, so that a session that wrote nothing (a refused merge, a read)
 * leaves the file as it was when it closes; and takes the automatic
 * checkpoint over from sqlite. */
void
vw_vault_log_watch_commits (VwVault *self)
{
  sqlite3_commit_hook (self->db, on_commit, self);
  sqlite3_rollback_hook (self->db, on_rollback, self);
  sqlite3_wal_hook (self->db, on_wal, self);
}

/* After a transaction of ours was committed: the automatic checkpoint,
 * when the log has grown to sqlite's default of 1000 pages. Passive, as
 * sqlite's own: it waits for no reader, and the log is written again from
 * its start once all of it is in the vault file, so it stays that size.
 * A failure loses nothing; the next commit tries again. */
void
vw_vault_log_committed (VwVault *self)
{
  if (self->wal_pages >= 1000)
    checkpoint (self, SQLITE_CHECKPOINT_PASSIVE, NULL);
}
