/* vw-vault.c: the vault's life cycle: create, open, unlock, lock, change
 * of passphrase, recovery, verify.
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

#include "vw-recovery-code.h"
#include "vw-vault-private.h"

/* Upper bounds that no vault we write exceeds; larger stored values mean
 * the file was edited to make unlocking hang or exhaust memory. */
#define MAX_OPSLIMIT 64
#define MAX_MEMLIMIT (G_GUINT64_CONSTANT (4) << 30)

G_DEFINE_QUARK (vw-vault-error-quark, vw_vault_error)
G_DEFINE_FINAL_TYPE (VwVault, vw_vault, G_TYPE_OBJECT)

static void
vw_vault_finalize (GObject *object)
{
  VwVault *self = VW_VAULT (object);

  vw_vault_close (self, NULL);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->round_keys, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->vault_id_hex, g_free);
  g_clear_pointer (&self->wrapped_passphrase, g_bytes_unref);
  g_clear_pointer (&self->wrapped_recovery, g_bytes_unref);
  g_clear_pointer (&self->actor, g_free);

  G_OBJECT_CLASS (vw_vault_parent_class)->finalize (object);
}

static void
vw_vault_class_init (VwVaultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vw_vault_finalize;
}

static void
vw_vault_init (VwVault *self)
{
  self->stmts = g_hash_table_new (g_str_hash, g_str_equal);
  self->round_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) vw_secret_free);
  self->actor = g_strdup ("device");
}

/* The time written into rows: information only, never an order.
 * VELDWERK_TEST_NOW (YYYY-MM-DDTHH:MM:SSZ) stands in for the clock; it
 * exists for the tests of a clock set wrong, nothing else sets it. */
char *
vw_vault_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *fake = g_getenv ("VELDWERK_TEST_NOW");

  if (fake != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (fake, utc);

      if (parsed != NULL)
        return g_date_time_format (parsed, "%Y-%m-%dT%H:%M:%SZ");
    }
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * vw_vault_next_revision:
 * @current: the revision of the row's version now, 0 when there is none
 *
 * The revision of this laptop's next version of a row. Revisions are
 * compared only between versions of one device and bundles carry the
 * change sequence, so a row another laptop wrote may hold a revision up
 * to G_MAXINT64: beyond VW_REVISION_MAX, which no laptop reaches, this
 * laptop's version starts again at 1 instead of overflowing.
 */
gint64
vw_vault_next_revision (gint64 current)
{
  return current >= 0 && current < VW_REVISION_MAX ? current + 1 : 1;
}

/* Random row ids: 128 bits in hex, so that ids made on different laptops
 * never collide when a coordinator merges them. */
char *
vw_vault_random_id (void)
{
  guint8 raw[16];
  char hex[33];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (hex, sizeof hex, raw, sizeof raw);
  return g_strdup (hex);
}

gboolean
vw_vault_require_unlocked (VwVault  *self,
                           GError  **error)
{
  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  if (self->key == NULL || self->db == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_LOCKED,
                   _("The vault “%s” is locked; unlock it with your passphrase first"), self->path);
      return FALSE;
    }
  return TRUE;
}

const guint8 *
vw_vault_subkey (VwVault  *self,
                 VwSubkey  which)
{
  g_return_val_if_fail (self->subkeys[which] != NULL, NULL);

  return vw_secret_const_data (self->subkeys[which]);
}

static char *
round_cache_key (const char *study,
                 const char *round)
{
  return g_strconcat (study, "\n", round, NULL);
}

/**
 * vw_vault_round_key:
 *
 * Returns: (transfer none): the data key of a round, unwrapped on first
 * use, or %NULL with NOT_FOUND or DESTROYED
 */
const guint8 *
vw_vault_round_key (VwVault     *self,
                    const char  *study,
                    const char  *round,
                    GError     **error)
{
  g_autofree char *cache_key = round_cache_key (study, round);
  VwSecret *data_key = g_hash_table_lookup (self->round_keys, cache_key);
  g_autoptr(VwSecret) round_key = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (data_key != NULL)
    return vw_secret_const_data (data_key);

  stmt = vw_vault_prepare (self, "SELECT wrapped_key, destroyed_at FROM rounds WHERE study = ? AND label = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, round);
  rc = vw_vault_step (self, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_autofree char *where = g_strdup_printf ("%s/%s", study, round);
      vw_vault_not_found (error, _("round"), where);
      return NULL;
    }
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      sqlite3_reset (stmt);
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DESTROYED,
                   _("The data of round %s was destroyed when its retention period ended"), round);
      return NULL;
    }

  {
    VwValueRef ref = { "rounds", "wrapped_key", { study, round }, 0 };

    round_key = vw_vault_unseal_secret (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), &ref,
                                        sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                                        error);
  }
  sqlite3_reset (stmt);
  if (round_key == NULL)
    return NULL;
  if (vw_secret_len (round_key) != VW_KEY_LEN)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("The key of round %s has the wrong length: the vault was altered"), round);
      return NULL;
    }

  data_key = vw_secret_new (VW_KEY_LEN);
  vw_derive_subkey (vw_secret_data (data_key), vw_secret_const_data (round_key), 1, VW_ROUND_KDF_CONTEXT);
  g_hash_table_insert (self->round_keys, g_steal_pointer (&cache_key), data_key);

  return vw_secret_const_data (data_key);
}

void
vw_vault_forget_round_key (VwVault    *self,
                           const char *study,
                           const char *round)
{
  g_autofree char *cache_key = round_cache_key (study, round);

  g_hash_table_remove (self->round_keys, cache_key);
}

static void
wipe_keys (VwVault *self)
{
  g_clear_pointer (&self->key, vw_secret_free);
  for (int i = 0; i < VW_SUBKEY_N; i++)
    g_clear_pointer (&self->subkeys[i], vw_secret_free);
  g_hash_table_remove_all (self->round_keys);
  g_clear_pointer (&self->device_id, g_free);
}

static gboolean
read_meta_value (VwVault     *self,
                 const char  *key,
                 GBytes     **value,
                 GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT value FROM meta WHERE key = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, key);
  rc = vw_vault_step (self, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT,
                   _("The vault “%s” is damaged: its key data is missing"), self->path);
      return FALSE;
    }
  *value = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_meta_value (VwVault     *self,
                  const char  *key,
                  GBytes      *value,
                  GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, key);
  vw_vault_bind_bytes (stmt, 2, value);
  return vw_vault_step_done (self, stmt, error);
}

static gboolean
write_meta_text (VwVault     *self,
                 const char  *key,
                 const char  *value,
                 GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (value, strlen (value));

  return write_meta_value (self, key, bytes, error);
}

/* An unkeyed checksum over everything needed to unlock: it tells damage
 * or a hand edit of the key data apart from a wrong passphrase, before
 * half a second of Argon2id is spent. */
static GBytes *
key_check (VwVault *self)
{
  crypto_generichash_state state;
  GBytes *parts[4];
  guint8 out[32];

  parts[0] = vw_kdf_params_serialize (&self->kdf_passphrase);
  parts[1] = g_bytes_ref (self->wrapped_passphrase);
  parts[2] = vw_kdf_params_serialize (&self->kdf_recovery);
  parts[3] = g_bytes_ref (self->wrapped_recovery);

  crypto_generichash_init (&state, NULL, 0, sizeof out);
  crypto_generichash_update (&state, (const guint8 *) "veldwerk/key-check/1", 20);
  crypto_generichash_update (&state, self->vault_id, VW_VAULT_ID_LEN);
  for (int i = 0; i < 4; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (parts[i], &len);
      guint32 le = GUINT32_TO_LE ((guint32) len);

      crypto_generichash_update (&state, (const guint8 *) &le, sizeof le);
      crypto_generichash_update (&state, data, len);
      g_bytes_unref (parts[i]);
    }
  crypto_generichash_final (&state, out, sizeof out);

  return g_bytes_new (out, sizeof out);
}

static gboolean
kdf_params_acceptable (const VwKdfParams *params)
{
  return params->alg == crypto_pwhash_ALG_ARGON2ID13 &&
         params->opslimit >= crypto_pwhash_OPSLIMIT_MODERATE && params->opslimit <= MAX_OPSLIMIT &&
         params->memlimit >= crypto_pwhash_MEMLIMIT_MODERATE && params->memlimit <= MAX_MEMLIMIT;
}

static gboolean
tampered_keys (VwVault  *self,
               GError  **error)
{
  g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
               _("The key data of the vault “%s” was altered or damaged, so no passphrase can open it; "
                 "restore it from a backup"), self->path);
  return FALSE;
}

/* Reads what unlocking needs. Reads only: a vault that is opened and
 * never unlocked stays byte-for-byte the same. */
static gboolean
read_meta (VwVault  *self,
           GError  **error)
{
  g_autoptr(GBytes) id = NULL;
  g_autoptr(GBytes) kdf_pass = NULL;
  g_autoptr(GBytes) kdf_rec = NULL;
  g_autoptr(GBytes) check = NULL;
  g_autoptr(GBytes) expected = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = vw_vault_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL || (rc = vw_vault_step (self, stmt, error)) < 0)
    return FALSE;
  self->schema_version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (self->schema_version > VW_VAULT_SCHEMA_VERSION)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NEWER_FORMAT,
                   _("The vault “%s” was made by a newer version of Veldwerk (format %d; this version "
                     "reads up to %d); update Veldwerk to open it"),
                   self->path, self->schema_version, VW_VAULT_SCHEMA_VERSION);
      return FALSE;
    }
  if (self->schema_version < 1)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT,
                   _("“%s” is not a Veldwerk vault"), self->path);
      return FALSE;
    }

  if (!read_meta_value (self, "vault_id", &id, error) ||
      !read_meta_value (self, "kdf_passphrase", &kdf_pass, error) ||
      !read_meta_value (self, "wrapped_passphrase", &self->wrapped_passphrase, error) ||
      !read_meta_value (self, "kdf_recovery", &kdf_rec, error) ||
      !read_meta_value (self, "wrapped_recovery", &self->wrapped_recovery, error) ||
      !read_meta_value (self, "key_check", &check, error))
    return FALSE;

  if (g_bytes_get_size (id) != VW_VAULT_ID_LEN)
    return tampered_keys (self, error);
  memcpy (self->vault_id, g_bytes_get_data (id, NULL), VW_VAULT_ID_LEN);
  self->vault_id_hex = g_malloc (2 * VW_VAULT_ID_LEN + 1);
  sodium_bin2hex (self->vault_id_hex, 2 * VW_VAULT_ID_LEN + 1, self->vault_id, VW_VAULT_ID_LEN);

  if (!vw_kdf_params_parse (kdf_pass, &self->kdf_passphrase) ||
      !vw_kdf_params_parse (kdf_rec, &self->kdf_recovery))
    return tampered_keys (self, error);
  expected = key_check (self);
  if (!g_bytes_equal (expected, check))
    return tampered_keys (self, error);
  /* The checksum is unkeyed; an attacker who recomputes it may still not
   * weaken the stretching below what we write. */
  if (!kdf_params_acceptable (&self->kdf_passphrase) || !kdf_params_acceptable (&self->kdf_recovery))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("The key settings of the vault “%s” are weaker than Veldwerk ever writes: "
                     "the file was altered; restore it from a backup"), self->path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
open_db (VwVault     *self,
         gboolean     create,
         GError     **error)
{
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      vw_vault_sql_error (self, rc, error);
      sqlite3_close (self->db);
      self->db = NULL;
      return FALSE;
    }
  vw_vault_log_opened (self->path);
  vw_vault_log_watch_commits (self);
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* Per connection, and none of them writes: no plaintext in temporary
   * files, freed pages zeroed, every commit durable on return. */
  return vw_vault_exec (self,
                        "PRAGMA temp_store = MEMORY;"
                        "PRAGMA secure_delete = ON;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;"
                        "PRAGMA cell_size_check = ON;",
                        error) &&
         vw_vault_integrity_register (self, error);
}

/**
 * vw_vault_open:
 * @path: the vault file
 *
 * Opens a vault and reads what unlocking needs, without writing anything.
 * A write-ahead log beside it that nobody has open is checked first (see
 * vw-vault-log.c) and refused with FOREIGN_LOG, touching nothing, when it
 * is not this vault's.
 *
 * Returns: (transfer full): a locked vault, or %NULL with NOT_FOUND,
 * CORRUPT, NEWER_FORMAT, TAMPERED, FOREIGN_LOG or IO
 */
VwVault *
vw_vault_open (const char  *path,
               GError     **error)
{
  g_autoptr(VwVault) self = g_object_new (VW_TYPE_VAULT, NULL);

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
                   _("There is no vault at “%s”"), path);
      return NULL;
    }

  /* Before sqlite sees the log, for it would apply any log it finds. */
  if (!vw_vault_log_check (path, error))
    return NULL;
  if (!open_db (self, FALSE, error) || !read_meta (self, error))
    {
      vw_vault_close (self, NULL);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Takes the vault key: derives the subkeys and, with @migrate, brings
 * the schema up to date. */
static gboolean
install_key (VwVault   *self,
             VwSecret  *key,
             gboolean   migrate,
             GError   **error)
{
  g_autoptr(GBytes) device = NULL;

  wipe_keys (self);
  self->key = key;
  for (int i = 1; i < VW_SUBKEY_N; i++)
    {
      self->subkeys[i] = vw_secret_new (VW_KEY_LEN);
      vw_derive_subkey (vw_secret_data (self->subkeys[i]), vw_secret_const_data (key), i, VW_KDF_CONTEXT);
    }

  if (!read_meta_value (self, "device_id", &device, error))
    {
      wipe_keys (self);
      return FALSE;
    }
  self->device_id = g_strndup (g_bytes_get_data (device, NULL), g_bytes_get_size (device));

  /* Either way this connection gets its integrity triggers. */
  if (migrate ? !vw_vault_schema_migrate (self, error) : !vw_vault_integrity_refresh (self, error))
    {
      wipe_keys (self);
      return FALSE;
    }

  return TRUE;
}

/* Everything unlocking does after the key derivation; the benchmark
 * times it apart from Argon2id. */
gboolean
vw_vault_unlock_with_key (VwVault         *self,
                          const VwSecret  *key,
                          GError         **error)
{
  return install_key (self, vw_secret_dup (key), TRUE, error);
}

typedef struct
{
  guint8       vault_id[VW_VAULT_ID_LEN];
  VwKdfParams  params;
  GBytes      *wrapped;
  VwSecret    *input;
  gboolean     recovery;
  char        *path;
} UnlockData;

static void
unlock_data_free (UnlockData *data)
{
  g_bytes_unref (data->wrapped);
  vw_secret_free (data->input);
  g_free (data->path);
  g_free (data);
}

static UnlockData *
unlock_data_new (VwVault        *self,
                 const VwSecret *input,
                 gboolean        recovery)
{
  UnlockData *data = g_new0 (UnlockData, 1);

  memcpy (data->vault_id, self->vault_id, VW_VAULT_ID_LEN);
  data->params = recovery ? self->kdf_recovery : self->kdf_passphrase;
  data->wrapped = g_bytes_ref (recovery ? self->wrapped_recovery : self->wrapped_passphrase);
  data->input = vw_secret_dup (input);
  data->recovery = recovery;
  data->path = g_strdup (self->path);
  return data;
}

/* The slow part of unlocking, safe to run in a worker thread: it touches
 * only @data. */
static VwSecret *
derive_vault_key (UnlockData    *data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(VwSecret) material = NULL;
  g_autoptr(VwSecret) kek = NULL;
  VwSecret *key;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (data->recovery)
    {
      material = vw_recovery_code_parse (data->input, error);
      if (material == NULL)
        return NULL;
    }
  else
    material = vw_secret_dup (data->input);

  kek = vw_kdf_stretch (&data->params, vw_secret_const_data (material), vw_secret_len (material), error);
  if (kek == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  key = vw_key_unwrap (data->vault_id, data->recovery ? "recovery" : "passphrase",
                       &data->params, kek, data->wrapped);
  if (key == NULL)
    {
      if (data->recovery)
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_RECOVERY_CODE,
                     _("Wrong recovery code for the vault “%s”: it is well-formed but belongs to another "
                       "vault, or was written down wrongly"), data->path);
      else
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_PASSPHRASE,
                     _("Wrong passphrase for the vault “%s”. If you forgot it, your recovery code can set a "
                       "new one; without passphrase or recovery code the data cannot be read"), data->path);
    }
  return key;
}

static gboolean
finish_unlock (VwVault   *self,
               VwSecret  *key,
               gboolean   recovery,
               GError   **error)
{
  if (!install_key (self, key, TRUE, error))
    return FALSE;

  if (recovery)
    {
      /* Unlocked only if the audit trail says so. */
      if (!vw_vault_tx_begin (self, error) ||
          !vw_vault_tx_finish (self, vw_vault_audit_append (self, "recovery_used", NULL, NULL, error), error))
        {
          wipe_keys (self);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
unlock_sync (VwVault         *self,
             const VwSecret  *input,
             gboolean         recovery,
             GCancellable    *cancellable,
             GError         **error)
{
  UnlockData *data;
  VwSecret *key;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);
  g_return_val_if_fail (input != NULL, FALSE);

  if (self->db == NULL)
    return vw_vault_require_unlocked (self, error);

  data = unlock_data_new (self, input, recovery);
  key = derive_vault_key (data, cancellable, error);
  unlock_data_free (data);
  if (key == NULL)
    return FALSE;

  return finish_unlock (self, key, recovery, error);
}

/**
 * vw_vault_unlock:
 *
 * Stretches @passphrase with Argon2id (about half a second) and unwraps
 * the vault key. Nothing is written unless an older schema is migrated.
 *
 * Returns: %TRUE when unlocked; WRONG_PASSPHRASE otherwise
 */
gboolean
vw_vault_unlock (VwVault         *self,
                 const VwSecret  *passphrase,
                 GCancellable    *cancellable,
                 GError         **error)
{
  return unlock_sync (self, passphrase, FALSE, cancellable, error);
}

/**
 * vw_vault_unlock_with_recovery_code:
 * @recovery_code: as typed: case, spaces and dashes do not matter
 *
 * Returns: %TRUE when unlocked; INVALID_RECOVERY_CODE for a typo (the
 * message names the group), WRONG_RECOVERY_CODE otherwise. Set a new
 * passphrase with vw_vault_change_passphrase() afterwards.
 */
gboolean
vw_vault_unlock_with_recovery_code (VwVault         *self,
                                    const VwSecret  *recovery_code,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  return unlock_sync (self, recovery_code, TRUE, cancellable, error);
}

static void
unlock_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  VwSecret *key = derive_vault_key (task_data, cancellable, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) vw_secret_free);
}

static void
unlock_async (VwVault             *self,
              const VwSecret      *input,
              gboolean             recovery,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, recovery ? (gpointer) vw_vault_unlock_with_recovery_code_async
                                        : (gpointer) vw_vault_unlock_async);
  if (self->db == NULL)
    {
      g_task_return_new_error (task, VW_VAULT_ERROR, VW_VAULT_ERROR_LOCKED,
                               _("The vault “%s” is closed"), self->path);
      return;
    }
  g_task_set_task_data (task, unlock_data_new (self, input, recovery), (GDestroyNotify) unlock_data_free);
  g_task_run_in_thread (task, unlock_thread);
}

static gboolean
unlock_finish (VwVault       *self,
               GAsyncResult  *result,
               gboolean       recovery,
               GError       **error)
{
  VwSecret *key;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  key = g_task_propagate_pointer (G_TASK (result), error);
  if (key == NULL)
    return FALSE;
  /* The keys are installed here, in the caller's thread, because the
   * database connection belongs to it. */
  return finish_unlock (self, key, recovery, error);
}

/**
 * vw_vault_unlock_async:
 *
 * Like vw_vault_unlock(), with the key derivation in a worker thread so
 * that the interface stays responsive. Cancelling takes effect before or
 * after the derivation, which itself cannot be interrupted.
 */
void
vw_vault_unlock_async (VwVault             *self,
                       const VwSecret      *passphrase,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  unlock_async (self, passphrase, FALSE, cancellable, callback, user_data);
}

gboolean
vw_vault_unlock_finish (VwVault       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return unlock_finish (self, result, FALSE, error);
}

void
vw_vault_unlock_with_recovery_code_async (VwVault             *self,
                                          const VwSecret      *recovery_code,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  unlock_async (self, recovery_code, TRUE, cancellable, callback, user_data);
}

gboolean
vw_vault_unlock_with_recovery_code_finish (VwVault       *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return unlock_finish (self, result, TRUE, error);
}

/**
 * vw_vault_lock:
 *
 * Wipes every key from memory. Every data call fails with LOCKED until
 * the vault is unlocked again.
 */
void
vw_vault_lock (VwVault *self)
{
  g_return_if_fail (VW_IS_VAULT (self));

  /* A locked vault may be left so until the battery runs out: nothing
   * committed stays in the log only. Failing here loses nothing. */
  vw_vault_checkpoint (self, NULL);
  wipe_keys (self);
}

/**
 * vw_vault_close:
 *
 * Locks the vault and closes the database, after copying what the
 * write-ahead log holds into the vault file (even when another connection
 * keeps the vault open), so that nothing committed lives only in the log.
 */
gboolean
vw_vault_close (VwVault  *self,
                GError  **error)
{
  int rc;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  if (self->db == NULL)
    {
      wipe_keys (self);
      return TRUE;
    }

  while (self->tx_depth > 0)
    vw_vault_tx_rollback (self);
  /* sqlite checkpoints when the last connection closes; this one may not
   * be the last. A failure leaves the log to the next opening. */
  vw_vault_checkpoint (self, NULL);
  wipe_keys (self);
  vw_vault_clear_statements (self);
  rc = sqlite3_close (self->db);
  if (rc != SQLITE_OK)
    {
      vw_vault_sql_error (self, rc, error);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
      vw_vault_log_closed (self->path);
      return FALSE;
    }
  self->db = NULL;
  vw_vault_log_closed (self->path);
  return TRUE;
}

gboolean
vw_vault_is_unlocked (VwVault *self)
{
  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  return self->key != NULL;
}

const char *
vw_vault_get_path (VwVault *self)
{
  g_return_val_if_fail (VW_IS_VAULT (self), NULL);

  return self->path;
}

/* Returns: the vault id in hex; not secret, it names the vault in
 * submissions. */
const char *
vw_vault_get_id (VwVault *self)
{
  g_return_val_if_fail (VW_IS_VAULT (self), NULL);

  return self->vault_id_hex;
}

int
vw_vault_get_schema_version (VwVault *self)
{
  g_return_val_if_fail (VW_IS_VAULT (self), 0);

  return self->schema_version;
}

/**
 * vw_vault_set_actor:
 * @actor: (nullable): an interviewer id, or %NULL for "device"
 *
 * Who the audit trail names for what follows.
 */
void
vw_vault_set_actor (VwVault    *self,
                    const char *actor)
{
  g_return_if_fail (VW_IS_VAULT (self));

  g_free (self->actor);
  self->actor = g_strdup (actor ? actor : "device");
}

const char *
vw_vault_get_actor (VwVault *self)
{
  g_return_val_if_fail (VW_IS_VAULT (self), NULL);

  return self->actor;
}

gboolean
vw_vault_begin (VwVault  *self,
                GError  **error)
{
  return vw_vault_require_unlocked (self, error) && vw_vault_tx_begin (self, error);
}

gboolean
vw_vault_commit (VwVault  *self,
                 GError  **error)
{
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  return vw_vault_tx_commit (self, error);
}

void
vw_vault_rollback (VwVault *self)
{
  vw_vault_tx_rollback (self);
}

static gboolean
check_passphrase_strength (const VwSecret  *passphrase,
                           GError         **error)
{
  const char *text = (const char *) vw_secret_const_data (passphrase);
  gsize len = vw_secret_len (passphrase);
  glong chars = g_utf8_validate (text, len, NULL) ? g_utf8_strlen (text, len) : (glong) len;

  if (chars < VW_VAULT_MIN_PASSPHRASE_CHARS)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WEAK_PASSPHRASE,
                   _("A passphrase needs at least %d characters; a few words you can remember are best"),
                   VW_VAULT_MIN_PASSPHRASE_CHARS);
      return FALSE;
    }
  return TRUE;
}

static void
new_kdf_params (VwKdfParams *params,
                guint64      opslimit,
                gsize        memlimit)
{
  params->alg = crypto_pwhash_ALG_ARGON2ID13;
  params->opslimit = opslimit ? opslimit : crypto_pwhash_OPSLIMIT_MODERATE;
  params->memlimit = memlimit ? memlimit : crypto_pwhash_MEMLIMIT_MODERATE;
  randombytes_buf (params->salt, VW_SALT_LEN);
}

static gboolean
write_key_meta (VwVault  *self,
                GError  **error)
{
  g_autoptr(GBytes) kdf_pass = vw_kdf_params_serialize (&self->kdf_passphrase);
  g_autoptr(GBytes) kdf_rec = vw_kdf_params_serialize (&self->kdf_recovery);
  g_autoptr(GBytes) check = key_check (self);

  return write_meta_value (self, "kdf_passphrase", kdf_pass, error) &&
         write_meta_value (self, "wrapped_passphrase", self->wrapped_passphrase, error) &&
         write_meta_value (self, "kdf_recovery", kdf_rec, error) &&
         write_meta_value (self, "wrapped_recovery", self->wrapped_recovery, error) &&
         write_meta_value (self, "key_check", check, error);
}

/**
 * vw_vault_change_passphrase:
 *
 * Wraps the vault key under @new_passphrase. Nothing else changes: the
 * data is not encrypted again, and the recovery code stays valid.
 */
gboolean
vw_vault_change_passphrase (VwVault         *self,
                            const VwSecret  *new_passphrase,
                            GCancellable    *cancellable,
                            GError         **error)
{
  VwKdfParams params, old_params;
  g_autoptr(VwSecret) kek = NULL;
  g_autoptr(GBytes) old_wrapped = NULL;

  if (!vw_vault_require_unlocked (self, error) || !check_passphrase_strength (new_passphrase, error))
    return FALSE;

  /* Keep the stretching at least as strong as before. */
  new_kdf_params (&params, MAX (self->kdf_passphrase.opslimit, crypto_pwhash_OPSLIMIT_MODERATE),
                  MAX (self->kdf_passphrase.memlimit, crypto_pwhash_MEMLIMIT_MODERATE));
  kek = vw_kdf_stretch (&params, vw_secret_const_data (new_passphrase), vw_secret_len (new_passphrase), error);
  if (kek == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  old_params = self->kdf_passphrase;
  old_wrapped = g_steal_pointer (&self->wrapped_passphrase);
  self->kdf_passphrase = params;
  self->wrapped_passphrase = vw_key_wrap (self->vault_id, "passphrase", &params, kek, self->key);

  if (!vw_vault_tx_begin (self, error))
    goto restore;
  if (!vw_vault_tx_finish (self, write_key_meta (self, error) &&
                                 vw_vault_audit_append (self, "passphrase_changed", NULL, NULL, error),
                           error))
    goto restore;
  /* The new wrapping into the vault file now, and the old one out of the
   * log (a failure here loses nothing; closing tries again). */
  vw_vault_checkpoint (self, NULL);
  return TRUE;

restore:
  self->kdf_passphrase = old_params;
  g_clear_pointer (&self->wrapped_passphrase, g_bytes_unref);
  self->wrapped_passphrase = g_steal_pointer (&old_wrapped);
  return FALSE;
}

static gboolean
fsync_directory (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return TRUE;
  fsync (fd);
  close (fd);
  return TRUE;
}

static void
remove_db_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
}

/* Builds the whole vault in a temporary file in one transaction, then
 * links it into place: a crash or error leaves no half-made vault at
 * @path, and an existing file is never overwritten. */
VwVault *
vw_vault_create_at_version (const char                 *path,
                            const VwSecret             *passphrase,
                            const VwVaultCreateOptions *options,
                            int                         schema_version,
                            VwSecret                  **recovery_code,
                            GCancellable               *cancellable,
                            GError                    **error)
{
  static const VwVaultCreateOptions defaults = { 0 };
  g_autoptr(VwVault) building = NULL;
  g_autoptr(VwVault) self = NULL;
  g_autoptr(VwSecret) code = NULL;
  g_autoptr(VwSecret) material = NULL;
  g_autoptr(VwSecret) kek_pass = NULL;
  g_autoptr(VwSecret) kek_rec = NULL;
  g_autoptr(VwSecret) key = NULL;
  g_autoptr(GBytes) id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *now = NULL;
  int fd;

  g_return_val_if_fail (path != NULL && passphrase != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS,
                   _("There is already a file at “%s”; Veldwerk does not overwrite it"), path);
      return NULL;
    }
  if (!check_passphrase_strength (passphrase, error))
    return NULL;
  if ((options->kdf_opslimit != 0 && options->kdf_opslimit < crypto_pwhash_OPSLIMIT_MODERATE) ||
      (options->kdf_memlimit != 0 && options->kdf_memlimit < crypto_pwhash_MEMLIMIT_MODERATE))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                           "Key stretching below libsodium's MODERATE limits is not allowed");
      return NULL;
    }
  if (options->study_name != NULL && !vw_vault_check_region (options->study_region, error))
    return NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                   _("Cannot make the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  tmp = g_strconcat (path, ".new-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                   _("Cannot make the vault “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  building = g_object_new (VW_TYPE_VAULT, NULL);
  building->path = g_strdup (tmp);
  building->schema_version = schema_version;

  randombytes_buf (building->vault_id, VW_VAULT_ID_LEN);
  building->vault_id_hex = g_malloc (2 * VW_VAULT_ID_LEN + 1);
  sodium_bin2hex (building->vault_id_hex, 2 * VW_VAULT_ID_LEN + 1, building->vault_id, VW_VAULT_ID_LEN);
  key = vw_secret_new (VW_KEY_LEN);
  crypto_kdf_keygen (vw_secret_data (key));
  new_kdf_params (&building->kdf_passphrase, options->kdf_opslimit, options->kdf_memlimit);
  new_kdf_params (&building->kdf_recovery, options->kdf_opslimit, options->kdf_memlimit);

  code = vw_recovery_code_generate ();
  material = vw_recovery_code_parse (code, error);
  if (material == NULL)
    goto fail;

  if ((kek_pass = vw_kdf_stretch (&building->kdf_passphrase, vw_secret_const_data (passphrase),
                                  vw_secret_len (passphrase), error)) == NULL ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      (kek_rec = vw_kdf_stretch (&building->kdf_recovery, vw_secret_const_data (material),
                                 vw_secret_len (material), error)) == NULL ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  building->wrapped_passphrase = vw_key_wrap (building->vault_id, "passphrase", &building->kdf_passphrase,
                                              kek_pass, key);
  building->wrapped_recovery = vw_key_wrap (building->vault_id, "recovery", &building->kdf_recovery,
                                            kek_rec, key);

  if (!open_db (building, TRUE, error) ||
      !vw_vault_exec (building, "PRAGMA journal_mode = WAL", error) ||
      !vw_vault_tx_begin (building, error))
    goto fail;

  now = vw_vault_now ();
  id = g_bytes_new (building->vault_id, VW_VAULT_ID_LEN);
  building->device_id = vw_vault_random_id ();
  building->key = vw_secret_dup (key);
  for (int i = 1; i < VW_SUBKEY_N; i++)
    {
      building->subkeys[i] = vw_secret_new (VW_KEY_LEN);
      vw_derive_subkey (vw_secret_data (building->subkeys[i]), vw_secret_const_data (key), i, VW_KDF_CONTEXT);
    }

  if (!vw_vault_schema_create (building, schema_version, error) ||
      !write_meta_value (building, "vault_id", id, error) ||
      !write_meta_text (building, "format", "1", error) ||
      !write_meta_text (building, "created", now, error) ||
      !write_meta_text (building, "app_version", PACKAGE_VERSION, error) ||
      !write_meta_text (building, "device_id", building->device_id, error) ||
      !write_key_meta (building, error) ||
      !vw_vault_audit_append (building, "vault_created", NULL, NULL, error) ||
      !vw_vault_create_own_device (building, options->device_label, error))
    goto fail_tx;

  if (options->study_name != NULL)
    {
      g_autofree char *study = vw_vault_create_study_in_tx (building, options->study_name,
                                                            options->study_region, options->study_role,
                                                            options->questionnaire, error);
      if (study == NULL)
        goto fail_tx;
    }

  if (!vw_vault_tx_commit (building, error) || !vw_vault_close (building, error))
    goto fail;

  if (link (tmp, path) != 0)
    {
      int saved = errno;
      if (saved == EEXIST)
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS,
                     _("There is already a file at “%s”; Veldwerk does not overwrite it"), path);
      else
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                     _("Cannot make the vault “%s”: %s"), path, g_strerror (saved));
      goto fail;
    }
  remove_db_files (tmp);
  fsync_directory (path, NULL);

  self = vw_vault_open (path, error);
  /* A vault made at an older schema (test fixtures) stays at it. */
  if (self == NULL || !install_key (self, g_steal_pointer (&key), FALSE, error))
    return NULL;
  if (recovery_code != NULL)
    *recovery_code = g_steal_pointer (&code);

  return g_steal_pointer (&self);

fail_tx:
  vw_vault_tx_rollback (building);
fail:
  vw_vault_close (building, NULL);
  remove_db_files (tmp);
  return NULL;
}

/**
 * vw_vault_create:
 * @path: where the vault goes; an existing file there is never replaced
 * @passphrase: at least VW_VAULT_MIN_PASSPHRASE_CHARS characters
 * @options: (nullable): device label, the first study, KDF limits
 * @recovery_code: (out) (optional): the recovery code, to show ONCE
 *
 * Makes a vault with a new random key, a device identity and, when
 * @options names one, a study with round T0 and its questionnaire.
 *
 * Returns: (transfer full): the new vault, unlocked
 */
VwVault *
vw_vault_create (const char                 *path,
                 const VwSecret             *passphrase,
                 const VwVaultCreateOptions *options,
                 VwSecret                  **recovery_code,
                 GCancellable               *cancellable,
                 GError                    **error)
{
  return vw_vault_create_at_version (path, passphrase, options, VW_VAULT_SCHEMA_VERSION,
                                     recovery_code, cancellable, error);
}

static void
add_problems_from_pragma (VwVault    *self,
                          const char *sql,
                          GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("database: %s"), sqlite3_errmsg (self->db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *first = (const char *) sqlite3_column_text (stmt, 0);

      if (sqlite3_column_count (stmt) == 1)
        {
          if (g_strcmp0 (first, "ok") != 0)
            g_ptr_array_add (problems, g_strdup_printf (_("database structure: %s"), first));
        }
      else
        g_ptr_array_add (problems, g_strdup_printf (_("%s: row %lld refers to a missing row in %s"),
                                                    first, (long long) sqlite3_column_int64 (stmt, 1),
                                                    (const char *) sqlite3_column_text (stmt, 2)));
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("database: %s"), sqlite3_errmsg (self->db)));
  sqlite3_finalize (stmt);
}

/**
 * vw_vault_verify:
 * @problems: (out) (optional) (transfer full): one line per break found,
 *   each naming where it is
 *
 * Checks the whole vault: sqlite's integrity and foreign keys, the key
 * data, every row against its integrity MAC (a row deleted, added or
 * changed outside Veldwerk), the audit chain, and that every wrapped key
 * and every value decrypts in its place.
 *
 * Returns: %TRUE when nothing is wrong; else %FALSE with TAMPERED (or
 * the reason verifying could not run)
 */
gboolean
vw_vault_verify (VwVault       *self,
                 GPtrArray    **problems,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) check = NULL;
  g_autoptr(GBytes) expected = NULL;
  GError *local = NULL;
  void (*checks[]) (VwVault *, GPtrArray *) = {
    vw_vault_verify_integrity,
    vw_vault_audit_verify,
    vw_vault_verify_study,
    vw_vault_verify_devices,
    vw_vault_verify_participants,
    vw_vault_verify_interviews,
    vw_vault_verify_records,
  };

  if (!vw_vault_require_unlocked (self, error))
    return FALSE;

  add_problems_from_pragma (self, "PRAGMA integrity_check", found);
  add_problems_from_pragma (self, "PRAGMA foreign_key_check", found);

  expected = key_check (self);
  if (!read_meta_value (self, "key_check", &check, &local))
    {
      g_ptr_array_add (found, g_strdup_printf ("meta: %s", local->message));
      g_clear_error (&local);
    }
  else if (!g_bytes_equal (check, expected))
    g_ptr_array_add (found, g_strdup (_("meta: the key data does not match its checksum")));

  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      checks[i] (self, found);
    }

  if (problems != NULL)
    *problems = g_ptr_array_ref (found);
  if (found->len > 0)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   g_dngettext (GETTEXT_PACKAGE, "The vault “%s” has %u problem",
                                "The vault “%s” has %u problems", found->len),
                   self->path, found->len);
      return FALSE;
    }
  return TRUE;
}

void
vw_study_free (VwStudy *study)
{
  if (study == NULL)
    return;
  g_free (study->id);
  g_free (study->name);
  g_strfreev (study->regions);
  g_free (study->questionnaire_id);
  g_free (study->questionnaire_version);
  g_free (study->questionnaire_sha256);
  g_free (study->created);
  g_free (study);
}

void
vw_round_free (VwRound *round)
{
  if (round == NULL)
    return;
  g_free (round->study);
  g_free (round->label);
  g_free (round->fieldwork_start);
  g_free (round->fieldwork_end);
  g_free (round->created);
  g_free (round->destroyed_at);
  g_free (round);
}

void
vw_interviewer_free (VwInterviewer *interviewer)
{
  if (interviewer == NULL)
    return;
  g_free (interviewer->id);
  g_free (interviewer->name);
  g_free (interviewer->training_date);
  g_free (interviewer->created);
  g_free (interviewer->updated);
  g_free (interviewer);
}

void
vw_participant_free (VwParticipant *participant)
{
  if (participant == NULL)
    return;
  g_free (participant->study);
  g_free (participant->code);
  g_free (participant->pseudonym);
  g_free (participant->region);
  g_free (participant->created);
  g_free (participant->updated);
  g_free (participant->device);
  g_free (participant);
}

void
vw_interview_free (VwInterview *interview)
{
  if (interview == NULL)
    return;
  g_free (interview->id);
  g_free (interview->study);
  g_free (interview->code);
  g_free (interview->round);
  g_free (interview->questionnaire_id);
  g_free (interview->questionnaire_version);
  g_free (interview->questionnaire_sha256);
  g_free (interview->interviewer1);
  g_free (interview->interviewer2);
  g_free (interview->status);
  g_free (interview->date);
  g_free (interview->nonresponse_reason);
  g_free (interview->resume_module);
  g_free (interview->resume_question);
  g_free (interview->created);
  g_free (interview->updated);
  g_free (interview->device);
  g_free (interview);
}

void
vw_answer_free (VwAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->question);
  g_free (answer->value);
  g_free (answer->updated);
  g_free (answer->device);
  g_free (answer);
}

void
vw_note_free (VwNote *note)
{
  if (note == NULL)
    return;
  g_free (note->interview);
  g_free (note->question);
  g_free (note->text);
  g_free (note->updated);
  g_free (note->device);
  g_free (note);
}

void
vw_quote_free (VwQuote *quote)
{
  if (quote == NULL)
    return;
  g_free (quote->id);
  g_free (quote->study);
  g_free (quote->code);
  g_free (quote->round);
  g_free (quote->question);
  g_free (quote->theme);
  g_free (quote->text);
  g_free (quote->created);
  g_free (quote->updated);
  g_free (quote->device);
  g_free (quote);
}

void
vw_episode_free (VwEpisode *episode)
{
  if (episode == NULL)
    return;
  g_free (episode->id);
  g_free (episode->study);
  g_free (episode->code);
  g_free (episode->start);
  g_free (episode->end);
  g_free (episode->residence);
  g_free (episode->interview);
  g_free (episode->updated);
  g_free (episode->device);
  g_free (episode);
}

void
vw_consent_free (VwConsent *consent)
{
  if (consent == NULL)
    return;
  g_free (consent->study);
  g_free (consent->code);
  g_free (consent->round);
  g_free (consent->purpose);
  g_free (consent->value);
  g_free (consent->date);
  g_free (consent->updated);
  g_free (consent->device);
  g_free (consent);
}

void
vw_device_free (VwDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->study);
  g_free (device->label);
  g_free (device->created);
  g_free (device->revoked_at);
  g_free (device);
}

void
vw_audit_entry_free (VwAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->timestamp);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->object);
  g_free (entry->detail);
  g_free (entry);
}

const char *
vw_study_role_to_string (VwStudyRole role)
{
  return role == VW_STUDY_ROLE_COORDINATOR ? "coordinator" : "duo";
}

const char *
vw_interviewer_role_to_string (VwInterviewerRole role)
{
  return role == VW_INTERVIEWER_PEER_RESEARCHER ? "peer_researcher" : "researcher";
}

const char *
vw_interview_state_to_string (VwInterviewState state)
{
  switch (state)
    {
    case VW_INTERVIEW_PAUSED:
      return "paused";
    case VW_INTERVIEW_FINISHED:
      return "finished";
    case VW_INTERVIEW_IN_PROGRESS:
    default:
      return "in_progress";
    }
}
