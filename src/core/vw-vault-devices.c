/* vw-vault-devices.c: this laptop's key pairs and the devices it trusts.
 *
 * Public keys are kept in clear, but each device's encrypted label binds
 * them together with the trust flag and revocation, so a key or a flag
 * swapped in the file fails to decrypt instead of being trusted. The own
 * device's secret halves are encrypted under the vault subkey, and the
 * public halves are checked against them whenever they are read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-age.h"
#include "vw-vault-private.h"

#define SECRETS_LEN (crypto_box_SECRETKEYBYTES + crypto_sign_SEEDBYTES)

G_STATIC_ASSERT (crypto_box_PUBLICKEYBYTES == 32 && crypto_sign_PUBLICKEYBYTES == 32);

typedef struct
{
  char  public_hex[129];
  char  revision_text[24];
} DeviceIdentity;

/* The identity bound into a device row's values: id, both public keys,
 * trust, revocation. */
static void
device_ref (VwValueRef     *ref,
            DeviceIdentity *ident,
            const char     *column,
            const char     *id,
            const guint8   *x25519_public,
            const guint8   *ed25519_public,
            gboolean        trusted,
            const char     *revoked_at,
            gint64          revision)
{
  sodium_bin2hex (ident->public_hex, 65, x25519_public, 32);
  sodium_bin2hex (ident->public_hex + 64, 65, ed25519_public, 32);
  ref->table = "devices";
  ref->column = column;
  ref->id[0] = id;
  ref->id[1] = ident->public_hex;
  ref->id[2] = trusted ? "trusted" : "untrusted";
  ref->id[3] = revoked_at;
  ref->revision = revision;
}

static gboolean
insert_device (VwVault      *self,
               const char   *id,
               const char   *study,
               const char   *label,
               const guint8 *x25519_public,
               const guint8 *ed25519_public,
               gboolean      trusted,
               gboolean      own,
               GBytes       *secrets,
               GError      **error)
{
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed_label = NULL;
  DeviceIdentity ident;
  VwValueRef ref = { 0 };
  sqlite3_stmt *stmt;

  device_ref (&ref, &ident, "label", id, x25519_public, ed25519_public, trusted, NULL, 1);
  sealed_label = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref, label);

  stmt = vw_vault_prepare (self, "INSERT INTO devices (id, study, label, x25519_public, ed25519_public, trusted, "
                                 "own, secrets, created, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, study);
  vw_vault_bind_bytes (stmt, 3, sealed_label);
  sqlite3_bind_blob (stmt, 4, x25519_public, 32, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 5, ed25519_public, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, trusted ? 1 : 0);
  sqlite3_bind_int (stmt, 7, own ? 1 : 0);
  vw_vault_bind_bytes (stmt, 8, secrets);
  vw_vault_bind_text (stmt, 9, now);
  return vw_vault_step_done (self, stmt, error);
}

/* At creation, in the creating transaction: an X25519 pair (an age
 * identity) for receiving files and an Ed25519 pair for signing them. */
gboolean
vw_vault_create_own_device (VwVault     *self,
                            const char  *label,
                            GError     **error)
{
  g_autoptr(VwSecret) secrets = vw_secret_new (SECRETS_LEN);
  g_autoptr(VwSecret) sign_sk = vw_secret_new (crypto_sign_SECRETKEYBYTES);
  g_autoptr(GBytes) sealed = NULL;
  guint8 x_pub[32], ed_pub[32];
  DeviceIdentity ident;
  VwValueRef ref = { 0 };

  crypto_box_keypair (x_pub, vw_secret_data (secrets));
  crypto_sign_keypair (ed_pub, vw_secret_data (sign_sk));
  crypto_sign_ed25519_sk_to_seed (vw_secret_data (secrets) + crypto_box_SECRETKEYBYTES,
                                  vw_secret_const_data (sign_sk));

  device_ref (&ref, &ident, "secrets", self->device_id, x_pub, ed_pub, TRUE, NULL, 1);
  sealed = vw_vault_seal (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), &ref,
                          vw_secret_const_data (secrets), SECRETS_LEN);

  return insert_device (self, self->device_id, NULL, label ? label : g_get_host_name (), x_pub, ed_pub,
                        TRUE, TRUE, sealed, error);
}

#define DEVICE_COLUMNS "id, study, label, x25519_public, ed25519_public, trusted, own, created, revoked_at, " \
                       "revision, secrets"

/* Reads a device row, decrypting its label (which proves the public keys
 * and flags were not changed) and, with @secrets, the own secret halves
 * (checked against the public ones). */
static VwDevice *
device_from_row (VwVault       *self,
                 sqlite3_stmt  *stmt,
                 VwSecret     **secrets,
                 GError       **error)
{
  g_autoptr(VwDevice) device = g_new0 (VwDevice, 1);
  DeviceIdentity ident;
  VwValueRef ref = { 0 };
  gint64 revision;

  device->id = vw_vault_column_text (stmt, 0);
  device->study = vw_vault_column_text (stmt, 1);
  if (sqlite3_column_bytes (stmt, 3) != 32 || sqlite3_column_bytes (stmt, 4) != 32)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("The keys of device %s are damaged"), device->id);
      return NULL;
    }
  memcpy (device->x25519_public, sqlite3_column_blob (stmt, 3), 32);
  memcpy (device->ed25519_public, sqlite3_column_blob (stmt, 4), 32);
  device->trusted = sqlite3_column_int (stmt, 5) != 0;
  device->own = sqlite3_column_int (stmt, 6) != 0;
  device->created = vw_vault_column_text (stmt, 7);
  device->revoked_at = vw_vault_column_text (stmt, 8);
  revision = sqlite3_column_int64 (stmt, 9);

  device_ref (&ref, &ident, "label", device->id, device->x25519_public, device->ed25519_public,
              device->trusted, device->revoked_at, revision);
  if (!vw_vault_column_unseal (self, stmt, 2, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref,
                               &device->label, error))
    return NULL;

  if (secrets != NULL)
    {
      g_autoptr(VwSecret) plain = NULL;
      g_autoptr(VwSecret) sign_sk = vw_secret_new (crypto_sign_SECRETKEYBYTES);
      guint8 x_pub[32], ed_pub[32];

      /* The secrets were sealed at creation (revision 1, no revocation). */
      device_ref (&ref, &ident, "secrets", device->id, device->x25519_public, device->ed25519_public,
                  TRUE, NULL, 1);
      plain = vw_vault_unseal_secret (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), &ref,
                                      sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10), error);
      if (plain == NULL)
        return NULL;
      if (vw_secret_len (plain) != SECRETS_LEN)
        goto mismatch;
      crypto_scalarmult_base (x_pub, vw_secret_const_data (plain));
      crypto_sign_seed_keypair (ed_pub, vw_secret_data (sign_sk), vw_secret_const_data (plain) + 32);
      if (sodium_memcmp (x_pub, device->x25519_public, 32) != 0 ||
          sodium_memcmp (ed_pub, device->ed25519_public, 32) != 0)
        goto mismatch;
      *secrets = g_steal_pointer (&plain);
    }

  return g_steal_pointer (&device);

mismatch:
  g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
               _("The public keys of this device do not match its secret keys: the vault was altered"));
  return NULL;
}

static VwDevice *
read_device (VwVault       *self,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  return device_from_row (self, stmt, NULL, error);
}

static VwDevice *
load_own_device (VwVault   *self,
                 VwSecret **secrets,
                 GError   **error)
{
  sqlite3_stmt *stmt;
  VwDevice *device;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ? AND own = 1", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, self->device_id);
  rc = vw_vault_step (self, stmt, error);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT,
                     _("The vault “%s” has lost this device’s keys"), self->path);
      return NULL;
    }
  device = device_from_row (self, stmt, secrets, error);
  sqlite3_reset (stmt);
  return device;
}

/**
 * vw_vault_get_own_device:
 *
 * Returns: (transfer full): this vault's device, its public keys checked
 * against the secret ones
 */
VwDevice *
vw_vault_get_own_device (VwVault  *self,
                         GError  **error)
{
  g_autoptr(VwSecret) secrets = NULL;

  return load_own_device (self, &secrets, error);
}

/**
 * vw_vault_get_age_recipient:
 *
 * Returns: (transfer full): the X25519 public key as an age recipient,
 * "age1..." (Bech32)
 */
char *
vw_vault_get_age_recipient (VwVault  *self,
                            GError  **error)
{
  g_autoptr(VwDevice) device = vw_vault_get_own_device (self, error);
  g_autoptr(VwAgeRecipient) recipient = NULL;

  if (device == NULL)
    return NULL;
  recipient = vw_age_recipient_new_x25519 (device->x25519_public);
  return vw_age_recipient_to_string (recipient);
}

/**
 * vw_vault_get_signing_key:
 *
 * Returns: (transfer full): the Ed25519 public key, "ed25519:" and
 * base64
 */
char *
vw_vault_get_signing_key (VwVault  *self,
                          GError  **error)
{
  g_autoptr(VwDevice) device = vw_vault_get_own_device (self, error);
  g_autofree char *b64 = NULL;

  if (device == NULL)
    return NULL;
  b64 = g_base64_encode (device->ed25519_public, 32);
  return g_strconcat ("ed25519:", b64, NULL);
}

/**
 * vw_vault_dup_x25519_secret:
 *
 * Returns: (transfer full): the 32-byte X25519 secret key (age identity)
 */
VwSecret *
vw_vault_dup_x25519_secret (VwVault  *self,
                            GError  **error)
{
  g_autoptr(VwSecret) secrets = NULL;
  g_autoptr(VwDevice) device = load_own_device (self, &secrets, error);

  return device ? vw_secret_new_from (vw_secret_const_data (secrets), crypto_box_SECRETKEYBYTES) : NULL;
}

/**
 * vw_vault_dup_ed25519_secret:
 *
 * Returns: (transfer full): the 64-byte Ed25519 secret key in libsodium's
 * form, for crypto_sign_detached()
 */
VwSecret *
vw_vault_dup_ed25519_secret (VwVault  *self,
                             GError  **error)
{
  g_autoptr(VwSecret) secrets = NULL;
  g_autoptr(VwDevice) device = load_own_device (self, &secrets, error);
  g_autoptr(VwSecret) sign_sk = NULL;
  guint8 pk[32];

  if (device == NULL)
    return NULL;
  sign_sk = vw_secret_new (crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair (pk, vw_secret_data (sign_sk), vw_secret_const_data (secrets) + 32);
  return g_steal_pointer (&sign_sk);
}

/**
 * vw_vault_add_device:
 * @study: (nullable): the study the device takes part in
 *
 * Records another device's public keys (a duo's laptop, a coordinator).
 *
 * Returns: (transfer full): the device's id
 */
char *
vw_vault_add_device (VwVault       *self,
                     const char    *study,
                     const char    *label,
                     const guint8  *x25519_public,
                     const guint8  *ed25519_public,
                     gboolean       trusted,
                     GError       **error)
{
  g_autofree char *id = vw_vault_random_id ();

  if (!vw_vault_require_unlocked (self, error) ||
      (study != NULL && !vw_vault_check_study (self, study, error)))
    return NULL;
  if (label == NULL || !g_utf8_validate (label, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("A device needs a name"));
      return NULL;
    }
  if (!vw_vault_tx_begin (self, error))
    return NULL;
  if (!vw_vault_tx_finish (self, insert_device (self, id, study, label, x25519_public, ed25519_public, trusted,
                                                FALSE, NULL, error) &&
                                 vw_vault_audit_append (self, "device_added", id, NULL, error),
                           error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * vw_vault_list_devices:
 *
 * Returns: (transfer full) (element-type VwDevice): every device, own
 * first; a device whose keys or flags were altered is an error
 */
GPtrArray *
vw_vault_list_devices (VwVault  *self,
                       GError  **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices ORDER BY own DESC, created, id", error);
  if (stmt == NULL)
    return NULL;
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) read_device, (GDestroyNotify) vw_device_free, error);
}

/**
 * vw_vault_revoke_device:
 *
 * Marks another device as revoked: files from it are no longer accepted.
 */
gboolean
vw_vault_revoke_device (VwVault     *self,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(VwDevice) device = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  DeviceIdentity ident;
  VwValueRef ref = { 0 };
  sqlite3_stmt *stmt;
  gint64 revision;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  rc = vw_vault_step (self, stmt, error);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? vw_vault_not_found (error, _("device"), id) : FALSE;
  revision = sqlite3_column_int64 (stmt, 9);
  device = device_from_row (self, stmt, NULL, error);
  sqlite3_reset (stmt);
  if (device == NULL)
    return FALSE;
  if (device->own)
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("A vault cannot revoke its own device"));
      return FALSE;
    }
  /* A second revocation would move the date and add to the audit trail. */
  if (device->revoked_at != NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("The device “%s” was already revoked on %s"),
                   device->label, device->revoked_at);
      return FALSE;
    }

  device_ref (&ref, &ident, "label", id, device->x25519_public, device->ed25519_public, device->trusted, now,
              revision + 1);
  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref, device->label);
  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "UPDATE devices SET label = ?, revoked_at = ?, revision = ? WHERE id = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_bytes (stmt, 1, sealed);
      vw_vault_bind_text (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, revision + 1);
      vw_vault_bind_text (stmt, 4, id);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                                   vw_vault_audit_append (self, "device_revoked", id, NULL, error),
                             error);
}

static void
check_device_row (VwVault      *self,
                  sqlite3_stmt *stmt,
                  GPtrArray    *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) secrets = NULL;
  g_autoptr(VwDevice) device = NULL;
  gboolean own = sqlite3_column_int (stmt, 6) != 0;

  device = device_from_row (self, stmt, own ? &secrets : NULL, &error);
  if (device == NULL)
    g_ptr_array_add (problems, g_strdup (error->message));
}

void
vw_vault_verify_devices (VwVault   *self,
                         GPtrArray *problems)
{
  vw_vault_verify_rows (self, "SELECT " DEVICE_COLUMNS " FROM devices", check_device_row, problems);
}
