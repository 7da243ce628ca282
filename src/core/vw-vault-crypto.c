/* vw-vault-crypto.c: encrypted values, wrapped keys, subkeys and the
 * pseudonym blind index.
 *
 * A value is: version byte || 24-byte nonce || XChaCha20-Poly1305
 * ciphertext. Its associated data is a sequence of length-prefixed
 * fields: the format tag, the vault id, the table, the column, the row's
 * identity and its revision. A value moved to another row, another vault
 * or an older revision therefore fails to decrypt.
 *
 * Padding (format 2, schema 8). A ciphertext is as long as its plaintext
 * plus 41 bytes, so without padding the length of "nee" or "bw" could be
 * read off the file. Every value is padded with sodium_pad() (ISO/IEC
 * 7816-4: a 0x80 byte, then zeros) before it is sealed, to a size class:
 *
 *   plaintext length n        sealed length
 *   0 .. 63                   64 + 41 = 105 bytes
 *   64 .. 127                 128 + 41
 *   doubling up to 64 KiB     256 + 41, 512 + 41, ... 65536 + 41
 *   64 KiB and more           the next multiple of 64 KiB, + 41
 *
 * So every code, date, month, year, key, consent, status, residence
 * episode (at most 63 bytes of JSON) and pseudonym of up to 63 bytes has
 * the same sealed length, and the lengths of a column say nothing about
 * which code a row holds. What the lengths still reveal: the class of
 * longer values, that is of free text (answers, notes, quotes, contact
 * details, reasons), of multiple-choice answers and residence histories
 * with many entries, and of pseudonyms of 64 bytes or more, to within a
 * factor of two; and, as before, which rows and columns hold a value at
 * all (SQL NULL is "not recorded"). Format 2 has its own tag in the
 * associated data, so a padded value cannot be passed off as an unpadded
 * one by changing its version byte.
 *
 * Format 1 (unpadded) is read only while schema 8 re-seals an older
 * vault, and in vaults that have not reached schema 8 yet. In a migrated
 * vault a value of format 1 can only have been put back from an older
 * copy of the file: reading it is a TAMPERED error that names its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-vault-private.h"

static void
ad_add (GByteArray   *ad,
        const void   *data,
        gsize         len)
{
  guint32 le = GUINT32_TO_LE ((guint32) len);

  g_byte_array_append (ad, (const guint8 *) &le, sizeof le);
  if (len > 0)
    g_byte_array_append (ad, data, len);
}

static void
ad_add_str (GByteArray *ad,
            const char *text)
{
  /* NULL and "" must differ: a missing identity field is not an empty one. */
  if (text == NULL)
    {
      guint32 none = G_MAXUINT32;
      g_byte_array_append (ad, (const guint8 *) &none, sizeof none);
      return;
    }
  ad_add (ad, text, strlen (text));
}

static void
ad_add_u64 (GByteArray *ad,
            guint64     value)
{
  guint64 le = GUINT64_TO_LE (value);

  ad_add (ad, &le, sizeof le);
}

/**
 * vw_vault_value_ad:
 *
 * Returns: (transfer full): the associated data of a value at @ref
 */
static GByteArray *
value_ad (const guint8     *vault_id,
          const char       *tag,
          const VwValueRef *ref)
{
  GByteArray *ad = g_byte_array_sized_new (128);

  ad_add_str (ad, tag);
  ad_add (ad, vault_id, VW_VAULT_ID_LEN);
  ad_add_str (ad, ref->table);
  ad_add_str (ad, ref->column);
  for (int i = 0; i < (int) G_N_ELEMENTS (ref->id); i++)
    ad_add_str (ad, ref->id[i]);
  ad_add_u64 (ad, (guint64) ref->revision);

  return ad;
}

GByteArray *
vw_vault_value_ad (const guint8     *vault_id,
                   const VwValueRef *ref)
{
  return value_ad (vault_id, VW_AD_PADDED_TAG, ref);
}

/**
 * vw_vault_padded_size:
 *
 * Returns: the size @len bytes of plaintext are padded to: the class of
 * the table at the top of this file
 */
gsize
vw_vault_padded_size (gsize len)
{
  gsize size = VW_PAD_BUCKET;

  /* sodium_pad() always adds at least one byte. */
  while (size < len + 1 && size < VW_PAD_LARGEST_CLASS)
    size *= 2;
  if (size < len + 1)
    size = (len + 1 + VW_PAD_LARGEST_CLASS - 1) / VW_PAD_LARGEST_CLASS * VW_PAD_LARGEST_CLASS;
  return size;
}

/* "answers/IVW123/q_housing" for error messages and verify reports; the
 * identity holds only structural identifiers, never personal data. */
char *
vw_vault_describe_ref (const VwValueRef *ref)
{
  GString *where = g_string_new (ref->table);

  for (int i = 0; i < (int) G_N_ELEMENTS (ref->id) && ref->id[i] != NULL; i++)
    g_string_append_printf (where, "/%s", ref->id[i]);
  g_string_append_printf (where, " (%s)", ref->column);

  return g_string_free (where, FALSE);
}

/* Seals @plain padded (format 2). The padded plaintext is made in the
 * output buffer itself and encrypted in place, so it exists nowhere else. */
GBytes *
vw_vault_seal_with_nonce (const guint8     *vault_id,
                          const guint8     *key,
                          const VwValueRef *ref,
                          const void       *plain,
                          gsize             len,
                          const guint8     *nonce)
{
  g_autoptr(GByteArray) ad = vw_vault_value_ad (vault_id, ref);
  gsize padded_max = vw_vault_padded_size (len);
  gsize total = VW_VALUE_OVERHEAD + padded_max;
  guint8 *blob = g_malloc (total);
  guint8 *body = blob + 1 + VW_NONCE_LEN;
  size_t padded = 0;
  unsigned long long clen;

  blob[0] = VW_VALUE_PADDED;
  memcpy (blob + 1, nonce, VW_NONCE_LEN);
  if (len > 0)
    memcpy (body, plain, len);
  /* The block size is the class itself, so the result is exactly one
   * class long; it cannot fail, as the class leaves room for the marker. */
  if (sodium_pad (&padded, body, len, padded_max, padded_max) != 0)
    g_assert_not_reached ();
  g_assert (padded == padded_max);
  crypto_aead_xchacha20poly1305_ietf_encrypt (body, &clen, body, padded, ad->data, ad->len, NULL, nonce, key);
  g_assert (clen == padded + VW_TAG_LEN);

  return g_bytes_new_take (blob, total);
}

/**
 * vw_vault_seal:
 * @key: a 32-byte subkey
 *
 * Returns: (transfer full): @plain encrypted for the place @ref
 */
GBytes *
vw_vault_seal (VwVault          *self,
               const guint8     *key,
               const VwValueRef *ref,
               const void       *plain,
               gsize             len)
{
  guint8 nonce[VW_NONCE_LEN];

  randombytes_buf (nonce, sizeof nonce);
  return vw_vault_seal_with_nonce (self->vault_id, key, ref, plain, len, nonce);
}

/* Returns: (nullable): %NULL for a %NULL @text, so that "not recorded"
 * stays an SQL NULL. */
GBytes *
vw_vault_seal_string (VwVault          *self,
                      const guint8     *key,
                      const VwValueRef *ref,
                      const char       *text)
{
  if (text == NULL)
    return NULL;
  return vw_vault_seal (self, key, ref, text, strlen (text));
}

/* Whether @self may read values of format 1: only before schema 8 has
 * re-sealed them, or while it does. */
static gboolean
unpadded_allowed (VwVault *self)
{
  return self->migrating || self->schema_version < VW_SCHEMA_PADDED;
}

/* Decrypts @blob into @out (at least blob_len - VW_VALUE_OVERHEAD bytes)
 * and sets *@len to the length of the value, without its padding. */
static gboolean
open_into (VwVault          *self,
           const guint8     *key,
           const VwValueRef *ref,
           const guint8     *blob,
           gsize             blob_len,
           guint8           *out,
           gsize            *len,
           GError          **error)
{
  g_autoptr(GByteArray) ad = NULL;
  unsigned long long plain_len;
  size_t unpadded;
  int version = blob_len >= VW_VALUE_OVERHEAD ? blob[0] : 0;

  if (version != VW_VALUE_VERSION && version != VW_VALUE_PADDED)
    {
      g_autofree char *where = vw_vault_describe_ref (ref);
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("A stored value at %s is damaged or in an unknown format"), where);
      return FALSE;
    }
  if (version == VW_VALUE_VERSION && !unpadded_allowed (self))
    {
      g_autofree char *where = vw_vault_describe_ref (ref);
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("A stored value at %s is in the unpadded format of an older copy of this vault: it was put "
                     "back from that copy"), where);
      return FALSE;
    }

  ad = value_ad (self->vault_id, version == VW_VALUE_PADDED ? VW_AD_PADDED_TAG : VW_AD_VALUE_TAG, ref);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (out, &plain_len, NULL,
                                                  blob + 1 + VW_NONCE_LEN,
                                                  blob_len - 1 - VW_NONCE_LEN,
                                                  ad->data, ad->len,
                                                  blob + 1, key) != 0)
    {
      g_autofree char *where = vw_vault_describe_ref (ref);
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("A stored value at %s does not decrypt: it was tampered with or moved"), where);
      return FALSE;
    }

  unpadded = plain_len;
  /* The padding is authenticated with the value, so a bad one means a
   * bug or a key that was abused, never a flipped byte; still an error. */
  if (version == VW_VALUE_PADDED &&
      (plain_len == 0 || plain_len != vw_vault_padded_size (plain_len - 1) ||
       sodium_unpad (&unpadded, out, plain_len, plain_len) != 0))
    {
      g_autofree char *where = vw_vault_describe_ref (ref);
      sodium_memzero (out, plain_len);
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("A stored value at %s has broken padding"), where);
      return FALSE;
    }
  if (unpadded < plain_len)
    sodium_memzero (out + unpadded, plain_len - unpadded);
  *len = unpadded;
  return TRUE;
}

/**
 * vw_vault_unseal:
 * @len: (out) (optional): the plaintext length
 *
 * Returns: (transfer full): the plaintext with a NUL after it, or %NULL
 * with VW_VAULT_ERROR_TAMPERED naming the place
 */
char *
vw_vault_unseal (VwVault          *self,
                 const guint8     *key,
                 const VwValueRef *ref,
                 const void       *blob,
                 gsize             blob_len,
                 gsize            *len,
                 GError          **error)
{
  gsize plain_len = blob_len >= VW_VALUE_OVERHEAD ? blob_len - VW_VALUE_OVERHEAD : 0;
  g_autofree char *plain = g_malloc (plain_len + 1);

  if (!open_into (self, key, ref, blob, blob_len, (guint8 *) plain, &plain_len, error))
    return NULL;
  plain[plain_len] = '\0';
  if (len != NULL)
    *len = plain_len;

  return g_steal_pointer (&plain);
}

/* Decrypts a column; an SQL NULL gives *text = NULL and TRUE. Text values
 * must be valid UTF-8 without NULs, or they count as tampered. */
gboolean
vw_vault_column_unseal (VwVault          *self,
                        sqlite3_stmt     *stmt,
                        int               column,
                        const guint8     *key,
                        const VwValueRef *ref,
                        char            **text,
                        GError          **error)
{
  gsize len = 0;
  char *plain;

  *text = NULL;
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return TRUE;

  plain = vw_vault_unseal (self, key, ref, sqlite3_column_blob (stmt, column),
                           sqlite3_column_bytes (stmt, column), &len, error);
  if (plain == NULL)
    return FALSE;
  if (strlen (plain) != len || !g_utf8_validate (plain, len, NULL))
    {
      g_autofree char *where = vw_vault_describe_ref (ref);
      g_free (plain);
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                   _("A stored value at %s is not text"), where);
      return FALSE;
    }
  *text = plain;
  return TRUE;
}

/* Like vw_vault_unseal(), straight into secure memory. */
VwSecret *
vw_vault_unseal_secret (VwVault          *self,
                        const guint8     *key,
                        const VwValueRef *ref,
                        const void       *blob,
                        gsize             blob_len,
                        GError          **error)
{
  g_autoptr(VwSecret) secret = vw_secret_new (blob_len >= VW_VALUE_OVERHEAD ? blob_len - VW_VALUE_OVERHEAD : 0);
  gsize len = 0;

  if (!open_into (self, key, ref, blob, blob_len, vw_secret_data (secret), &len, error))
    return NULL;
  vw_secret_truncate (secret, len);
  return g_steal_pointer (&secret);
}

void
vw_derive_subkey (guint8       *out,
                  const guint8 *key,
                  guint64       id,
                  const char   *context)
{
  G_STATIC_ASSERT (crypto_kdf_CONTEXTBYTES == 8);
  crypto_kdf_derive_from_key (out, VW_KEY_LEN, id, context, key);
}

/* The KDF parameters as stored: alg (4) || opslimit (8) || memlimit (8)
 * || salt (16), little-endian. */
GBytes *
vw_kdf_params_serialize (const VwKdfParams *params)
{
  guint8 buf[4 + 8 + 8 + VW_SALT_LEN];
  guint32 alg = GUINT32_TO_LE (params->alg);
  guint64 ops = GUINT64_TO_LE (params->opslimit);
  guint64 mem = GUINT64_TO_LE (params->memlimit);

  memcpy (buf, &alg, 4);
  memcpy (buf + 4, &ops, 8);
  memcpy (buf + 12, &mem, 8);
  memcpy (buf + 20, params->salt, VW_SALT_LEN);

  return g_bytes_new (buf, sizeof buf);
}

gboolean
vw_kdf_params_parse (GBytes      *bytes,
                     VwKdfParams *params)
{
  gsize len;
  const guint8 *buf = g_bytes_get_data (bytes, &len);
  guint32 alg;
  guint64 ops, mem;

  if (len != 4 + 8 + 8 + VW_SALT_LEN)
    return FALSE;
  memcpy (&alg, buf, 4);
  memcpy (&ops, buf + 4, 8);
  memcpy (&mem, buf + 12, 8);
  params->alg = GUINT32_FROM_LE (alg);
  params->opslimit = GUINT64_FROM_LE (ops);
  params->memlimit = GUINT64_FROM_LE (mem);
  memcpy (params->salt, buf + 20, VW_SALT_LEN);

  return TRUE;
}

/**
 * vw_kdf_stretch:
 *
 * Argon2id over @secret with @params. The caller has checked the
 * parameters against the minimum.
 *
 * Returns: (transfer full): the key-encryption key
 */
VwSecret *
vw_kdf_stretch (const VwKdfParams *params,
                const guint8      *secret,
                gsize              len,
                GError           **error)
{
  g_autoptr(VwSecret) kek = vw_secret_new (VW_KEY_LEN);

  if (crypto_pwhash (vw_secret_data (kek), VW_KEY_LEN, (const char *) secret, len,
                     params->salt, params->opslimit, params->memlimit, params->alg) != 0)
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_FAILED,
                           _("Not enough memory to derive the key from the passphrase"));
      return NULL;
    }

  return g_steal_pointer (&kek);
}

static GByteArray *
key_ad (const guint8      *vault_id,
        const char        *purpose,
        const VwKdfParams *params)
{
  GByteArray *ad = g_byte_array_sized_new (96);
  g_autoptr(GBytes) serialized = vw_kdf_params_serialize (params);
  gsize len;
  gconstpointer data = g_bytes_get_data (serialized, &len);

  ad_add_str (ad, VW_AD_KEY_TAG);
  ad_add (ad, vault_id, VW_VAULT_ID_LEN);
  ad_add_str (ad, purpose);
  ad_add (ad, data, len);

  return ad;
}

/* Wraps the vault key under a KEK; the AD binds the vault, the purpose
 * ("passphrase" or "recovery") and the KDF parameters, so an edited salt
 * or limit fails to unwrap instead of yielding a wrong key. */
GBytes *
vw_key_wrap (const guint8      *vault_id,
             const char        *purpose,
             const VwKdfParams *params,
             const VwSecret    *kek,
             const VwSecret    *key)
{
  g_autoptr(GByteArray) ad = key_ad (vault_id, purpose, params);
  gsize total = VW_VALUE_OVERHEAD + vw_secret_len (key);
  guint8 *blob = g_malloc (total);

  blob[0] = VW_VALUE_VERSION;
  randombytes_buf (blob + 1, VW_NONCE_LEN);
  crypto_aead_xchacha20poly1305_ietf_encrypt (blob + 1 + VW_NONCE_LEN, NULL,
                                              vw_secret_const_data (key), vw_secret_len (key),
                                              ad->data, ad->len, NULL, blob + 1,
                                              vw_secret_const_data (kek));
  return g_bytes_new_take (blob, total);
}

/* Returns: (nullable): the vault key, or %NULL when @kek is not the one
 * that wrapped it (or the wrapped key was altered). */
VwSecret *
vw_key_unwrap (const guint8      *vault_id,
               const char        *purpose,
               const VwKdfParams *params,
               const VwSecret    *kek,
               GBytes            *wrapped)
{
  g_autoptr(GByteArray) ad = key_ad (vault_id, purpose, params);
  g_autoptr(VwSecret) key = vw_secret_new (VW_KEY_LEN);
  gsize len;
  const guint8 *blob = g_bytes_get_data (wrapped, &len);

  if (len != VW_VALUE_OVERHEAD + VW_KEY_LEN || blob[0] != VW_VALUE_VERSION)
    return NULL;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (vw_secret_data (key), NULL, NULL,
                                                  blob + 1 + VW_NONCE_LEN, len - 1 - VW_NONCE_LEN,
                                                  ad->data, ad->len, blob + 1,
                                                  vw_secret_const_data (kek)) != 0)
    return NULL;

  return g_steal_pointer (&key);
}

/**
 * vw_normalize_pseudonym:
 *
 * Returns: (transfer full): the form in which two pseudonyms are the same
 * when a person would read them as the same name: Unicode NFKC, case
 * folded, trimmed, inner white space collapsed; %NULL for invalid UTF-8
 */
char *
vw_normalize_pseudonym (const char *pseudonym)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *again = NULL;
  GString *out;
  gboolean space = FALSE;

  if (pseudonym == NULL || !g_utf8_validate (pseudonym, -1, NULL))
    return NULL;
  nfkc = g_utf8_normalize (pseudonym, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (nfkc, -1);
  /* Case folding can denormalise (e.g. some ligatures). */
  again = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);

  out = g_string_new (NULL);
  for (const char *p = again; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Returns: (transfer full): the keyed blind index of @pseudonym in @study,
 * equal for pseudonyms that vw_normalize_pseudonym() makes equal. */
GBytes *
vw_vault_blind_index (VwVault    *self,
                      const char *study,
                      const char *pseudonym)
{
  g_autofree char *normal = vw_normalize_pseudonym (pseudonym);
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  guint8 out[VW_MAC_LEN];

  ad_add_str (msg, study);
  ad_add_str (msg, normal);
  crypto_generichash (out, sizeof out, msg->data, msg->len,
                      vw_vault_subkey (self, VW_SUBKEY_BLIND_INDEX), VW_KEY_LEN);
  sodium_memzero (msg->data, msg->len);

  return g_bytes_new (out, sizeof out);
}
