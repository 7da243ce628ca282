/* The vault's crypto building blocks: the value format against an
 * independent construction from its documented layout, what the
 * associated data binds, tampering, key wrapping, Bech32 (BIP 173
 * vectors), the recovery code's checksum, pseudonym normalisation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-vault.h"
#include "vw-vault-private.h"

static void
fill_pattern (guint8 *buf,
              gsize   len,
              guint8  start)
{
  for (gsize i = 0; i < len; i++)
    buf[i] = start + i;
}

/* The associated data, built here from the layout documented in
 * vw-vault-crypto.c rather than with the code under test. */
static void
spec_add (GByteArray *ad,
          const void *data,
          guint32     len)
{
  guint32 le = GUINT32_TO_LE (len);

  g_byte_array_append (ad, (const guint8 *) &le, 4);
  g_byte_array_append (ad, data, len);
}

static GByteArray *
spec_ad (const char   *tag,
         const guint8 *vault_id,
         const char   *table,
         const char   *column,
         const char   *id0,
         const char   *id1,
         guint64       revision)
{
  GByteArray *ad = g_byte_array_new ();
  guint32 none = G_MAXUINT32;
  guint64 rev = GUINT64_TO_LE (revision);

  spec_add (ad, tag, 16);
  spec_add (ad, vault_id, 16);
  spec_add (ad, table, strlen (table));
  spec_add (ad, column, strlen (column));
  spec_add (ad, id0, strlen (id0));
  spec_add (ad, id1, strlen (id1));
  g_byte_array_append (ad, (const guint8 *) &none, 4);
  g_byte_array_append (ad, (const guint8 *) &none, 4);
  spec_add (ad, &rev, 8);
  return ad;
}

/* Format 2: version 2 || nonce || XChaCha20-Poly1305 (plaintext, 0x80,
 * zeros up to 64 bytes; AD tagged "veldwerk/value/2"), built here from the
 * layout documented in vw-vault-crypto.c. */
static void
test_value_format (void)
{
  guint8 vault_id[16], key[32], nonce[24];
  VwValueRef ref = { "answers", "value", { "iv1", "q_housing" }, 3 };
  const char *plain = "eigen_woning";
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GByteArray) ad = NULL;
  guint8 padded[64] = { 0 };
  guint8 expected[1 + 24 + 64 + 16];
  unsigned long long clen;

  fill_pattern (vault_id, sizeof vault_id, 0x10);
  fill_pattern (key, sizeof key, 0x40);
  fill_pattern (nonce, sizeof nonce, 0x80);

  sealed = vw_vault_seal_with_nonce (vault_id, key, &ref, plain, strlen (plain), nonce);

  memcpy (padded, plain, strlen (plain));
  padded[strlen (plain)] = 0x80;
  ad = spec_ad ("veldwerk/value/2", vault_id, "answers", "value", "iv1", "q_housing", 3);
  expected[0] = 2;
  memcpy (expected + 1, nonce, 24);
  crypto_aead_xchacha20poly1305_ietf_encrypt (expected + 25, &clen, padded, sizeof padded, ad->data, ad->len, NULL,
                                              nonce, key);
  g_assert_cmpuint (clen, ==, sizeof padded + 16);
  g_assert_cmpmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), expected, sizeof expected);
}

/* The size classes of the table in vw-vault-crypto.c: everything shorter
 * than 64 bytes seals to 105 bytes, longer values to doubling classes up
 * to 64 KiB and then to multiples of 64 KiB. */
static void
test_padding_classes (void)
{
  g_autoptr(VwVault) vault = g_object_new (VW_TYPE_VAULT, NULL);
  const struct { gsize len, sealed; } cases[] = {
    { 0, 105 }, { 1, 105 }, { 2, 105 }, { 3, 105 }, { 32, 105 }, { 63, 105 },
    { 64, 128 + 41 }, { 127, 128 + 41 }, { 128, 256 + 41 }, { 255, 256 + 41 }, { 256, 512 + 41 },
    { 1000, 1024 + 41 }, { 4095, 4096 + 41 }, { 65535, 65536 + 41 },
    { 65536, 131072 + 41 }, { 131071, 131072 + 41 }, { 131072, 196608 + 41 },
  };
  guint8 key[32];
  VwValueRef ref = { "notes", "text", { "iv1", "" }, 1 };

  vault->schema_version = VW_VAULT_SCHEMA_VERSION;
  fill_pattern (key, sizeof key, 3);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plain = g_malloc (cases[i].len + 1);
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      gsize len = 0;

      memset (plain, 'x', cases[i].len);
      plain[cases[i].len] = '\0';
      /* A value that ends in 0x80 and zeros is still itself. */
      if (cases[i].len >= 2)
        {
          plain[cases[i].len - 2] = (char) 0x80;
          plain[cases[i].len - 1] = 0;
        }
      sealed = vw_vault_seal (vault, key, &ref, plain, cases[i].len);
      g_assert_cmpuint (g_bytes_get_size (sealed), ==, cases[i].sealed);
      back = vw_vault_unseal (vault, key, &ref, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &len,
                              &error);
      g_assert_no_error (error);
      g_assert_cmpmem (back, len, plain, cases[i].len);
    }

  /* The codes of the debts question, and every code, date and year of the
   * codebook's length, are indistinguishable. */
  {
    const char *values[] = { "ja", "nee", "onbekend", "niet_participerend", "2024-05-17", "1937", "" };

    for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autoptr(GBytes) sealed = vw_vault_seal_string (vault, key, &ref, values[i]);
        g_assert_cmpuint (g_bytes_get_size (sealed), ==, 105);
      }
  }
}

/* A value in the unpadded format of schema 1-5 (version 1, AD tagged
 * "veldwerk/value/1"): read while a vault has not been migrated, an error
 * naming its place in a migrated vault; and a padded value whose version
 * byte is set back to 1 decrypts in neither format. */
static void
test_unpadded_values (void)
{
  g_autoptr(VwVault) vault = g_object_new (VW_TYPE_VAULT, NULL);
  VwValueRef ref = { "answers", "value", { "iv1", "debts" }, 2 };
  g_autoptr(GByteArray) ad = NULL;
  g_autoptr(GBytes) old = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  guint8 key[32], nonce[24], blob[1 + 24 + 3 + 16];

  fill_pattern (vault->vault_id, VW_VAULT_ID_LEN, 0x21);
  vault->path = g_strdup ("shell.vault");
  fill_pattern (key, sizeof key, 0x31);
  fill_pattern (nonce, sizeof nonce, 0x41);
  ad = spec_ad ("veldwerk/value/1", vault->vault_id, "answers", "value", "iv1", "debts", 2);
  blob[0] = 1;
  memcpy (blob + 1, nonce, 24);
  crypto_aead_xchacha20poly1305_ietf_encrypt (blob + 25, NULL, (const guint8 *) "nee", 3, ad->data, ad->len, NULL,
                                              nonce, key);
  old = g_bytes_new (blob, sizeof blob);

  vault->schema_version = 5;
  plain = vw_vault_unseal (vault, key, &ref, blob, sizeof blob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "nee");
  g_clear_pointer (&plain, g_free);

  vault->schema_version = VW_VAULT_SCHEMA_VERSION;
  g_assert_null (vw_vault_unseal (vault, key, &ref, blob, sizeof blob, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, "answers/iv1/debts"));
  g_assert_nonnull (strstr (error->message, "unpadded"));
  g_clear_error (&error);

  vault->migrating = TRUE;
  plain = vw_vault_unseal (vault, key, &ref, blob, sizeof blob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "nee");
  vault->migrating = FALSE;

  /* Padded, then called unpadded: the AD differs, so it does not open. */
  {
    g_autoptr(GBytes) sealed = vw_vault_seal_string (vault, key, &ref, "nee");
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));

    copy[0] = 1;
    vault->schema_version = 5;
    g_assert_null (vw_vault_unseal (vault, key, &ref, copy, g_bytes_get_size (sealed), NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
    g_assert_nonnull (strstr (error->message, "does not decrypt"));
    g_clear_error (&error);
  }
}

/* A VwVault shell with a known vault id, enough for seal/unseal. */
static VwVault *
shell_vault (guint8 first)
{
  VwVault *vault = g_object_new (VW_TYPE_VAULT, NULL);

  fill_pattern (vault->vault_id, VW_VAULT_ID_LEN, first);
  vault->path = g_strdup ("shell.vault");
  return vault;
}

static void
test_value_binding (void)
{
  g_autoptr(VwVault) vault = shell_vault (1);
  g_autoptr(VwVault) other_vault = shell_vault (2);
  guint8 key[32];
  VwValueRef ref = { "answers", "value", { "iv1", "q1" }, 2 };
  VwValueRef moved[] = {
    { "notes", "value", { "iv1", "q1" }, 2 },    /* another table */
    { "answers", "text", { "iv1", "q1" }, 2 },   /* another column */
    { "answers", "value", { "iv2", "q1" }, 2 },  /* another interview */
    { "answers", "value", { "iv1", "q2" }, 2 },  /* another question */
    { "answers", "value", { "iv1", "q1" }, 1 },  /* an older revision */
    { "answers", "value", { "iv1", "q1" }, 3 },  /* a newer revision */
    { "answers", "value", { "iv1", "q1", "" }, 2 }, /* an extra empty field */
  };
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  gsize len;

  fill_pattern (key, sizeof key, 7);
  sealed = vw_vault_seal_string (vault, key, &ref, "Tom (35-55)");
  plain = vw_vault_unseal (vault, key, &ref, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "Tom (35-55)");

  for (gsize i = 0; i < G_N_ELEMENTS (moved); i++)
    {
      g_autofree char *wrong = vw_vault_unseal (vault, key, &moved[i], g_bytes_get_data (sealed, NULL),
                                                g_bytes_get_size (sealed), NULL, &error);
      g_assert_null (wrong);
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
      g_assert_nonnull (strstr (error->message, "tampered with or moved"));
      g_clear_error (&error);
    }

  /* The same key and place in another vault: still refused. */
  g_assert_null (vw_vault_unseal (other_vault, key, &ref, g_bytes_get_data (sealed, NULL),
                                  g_bytes_get_size (sealed), NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_clear_error (&error);

  /* Every flipped byte fails, and the message says where. */
  for (gsize i = 0; i < g_bytes_get_size (sealed); i++)
    {
      g_autoptr(GBytes) flipped = vw_test_flip_byte (sealed, i);
      g_autofree char *wrong = vw_vault_unseal (vault, key, &ref, g_bytes_get_data (flipped, NULL),
                                                g_bytes_get_size (flipped), NULL, &error);
      g_assert_null (wrong);
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
      g_assert_nonnull (strstr (error->message, "answers/iv1/q1"));
      g_clear_error (&error);
    }

  /* Truncated values too. */
  for (gsize cut = 0; cut < g_bytes_get_size (sealed); cut += 7)
    {
      g_autofree char *wrong = vw_vault_unseal (vault, key, &ref, g_bytes_get_data (sealed, NULL), cut, NULL, &error);
      g_assert_null (wrong);
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
      g_clear_error (&error);
    }

  /* Two seals of the same value differ (random nonces). */
  {
    g_autoptr(GBytes) again = vw_vault_seal_string (vault, key, &ref, "Tom (35-55)");
    g_assert_false (g_bytes_equal (sealed, again));
  }
}

static void
test_key_wrap_binds_params (void)
{
  guint8 vault_id[16];
  VwKdfParams params = { crypto_pwhash_ALG_ARGON2ID13, 3, 268435456 };
  VwKdfParams edited;
  g_autoptr(VwSecret) kek = vw_secret_new (32);
  g_autoptr(VwSecret) other_kek = vw_secret_new (32);
  g_autoptr(VwSecret) key = vw_secret_new (32);
  g_autoptr(VwSecret) unwrapped = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GBytes) serialized = NULL;
  VwKdfParams parsed;

  fill_pattern (vault_id, 16, 3);
  fill_pattern (params.salt, sizeof params.salt, 9);
  randombytes_buf (vw_secret_data (kek), 32);
  randombytes_buf (vw_secret_data (other_kek), 32);
  randombytes_buf (vw_secret_data (key), 32);

  serialized = vw_kdf_params_serialize (&params);
  g_assert_cmpuint (g_bytes_get_size (serialized), ==, 36);
  g_assert_true (vw_kdf_params_parse (serialized, &parsed));
  g_assert_cmpuint (parsed.alg, ==, params.alg);
  g_assert_cmpuint (parsed.opslimit, ==, params.opslimit);
  g_assert_cmpuint (parsed.memlimit, ==, params.memlimit);
  g_assert_cmpmem (parsed.salt, sizeof parsed.salt, params.salt, sizeof params.salt);

  wrapped = vw_key_wrap (vault_id, "passphrase", &params, kek, key);
  unwrapped = vw_key_unwrap (vault_id, "passphrase", &params, kek, wrapped);
  g_assert_nonnull (unwrapped);
  g_assert_true (vw_secret_equal (unwrapped, key));

  g_assert_null (vw_key_unwrap (vault_id, "passphrase", &params, other_kek, wrapped));
  g_assert_null (vw_key_unwrap (vault_id, "recovery", &params, kek, wrapped));
  edited = params;
  edited.opslimit = 4;
  g_assert_null (vw_key_unwrap (vault_id, "passphrase", &edited, kek, wrapped));
  edited = params;
  edited.salt[0] ^= 1;
  g_assert_null (vw_key_unwrap (vault_id, "passphrase", &edited, kek, wrapped));
  vault_id[0] ^= 1;
  g_assert_null (vw_key_unwrap (vault_id, "passphrase", &params, kek, wrapped));
  vault_id[0] ^= 1;
  for (gsize i = 0; i < g_bytes_get_size (wrapped); i++)
    {
      g_autoptr(GBytes) flipped = vw_test_flip_byte (wrapped, i);
      g_assert_null (vw_key_unwrap (vault_id, "passphrase", &params, kek, flipped));
    }
}

static VwSecret *
text_secret (const char *text)
{
  return vw_secret_new_from ((const guint8 *) text, strlen (text));
}

static void
test_recovery_code_format (void)
{
  for (int round = 0; round < 20; round++)
    {
      g_autoptr(VwSecret) code = vw_recovery_code_generate ();
      g_autoptr(GError) error = NULL;
      const char *text = (const char *) vw_secret_const_data (code);
      g_auto(GStrv) groups = g_strsplit (text, "-", -1);
      g_autofree char *lower = g_ascii_strdown (text, -1);
      g_autofree char *spaced = NULL;
      g_autoptr(VwSecret) data = NULL;
      g_autoptr(VwSecret) data2 = NULL;
      g_autoptr(VwSecret) lower_secret = NULL;

      g_assert_cmpuint (g_strv_length (groups), ==, 7);
      for (int g = 0; g < 7; g++)
        g_assert_cmpuint (strlen (groups[g]), ==, 5);

      data = vw_recovery_code_parse (code, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (vw_secret_len (data), ==, VW_RECOVERY_CODE_DATA_LEN);

      /* Case, spaces and dashes do not matter. */
      g_strdelimit (lower, "-", ' ');
      spaced = g_strdup_printf ("  %s\n", lower);
      lower_secret = text_secret (spaced);
      data2 = vw_recovery_code_parse (lower_secret, &error);
      g_assert_no_error (error);
      g_assert_true (vw_secret_equal (data, data2));
    }
}

static void
test_recovery_code_catches_typos (void)
{
  static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr(VwSecret) code = vw_recovery_code_generate ();
  g_autofree char *compact = g_strdup ((const char *) vw_secret_const_data (code));
  guint caught = 0, total = 0;

  /* Every single wrong character in every position is caught, and the
   * message names its group. */
  for (gsize pos = 0; compact[pos] != '\0'; pos++)
    {
      guint group = pos / 6 + 1;
      char original = compact[pos];

      if (original == '-')
        continue;
      for (int v = 0; v < 32; v++)
        {
          g_autoptr(VwSecret) typo = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(VwSecret) data = NULL;
          g_autofree char *expected = g_strdup_printf ("Group %u ", group);

          if (crockford[v] == original)
            continue;
          compact[pos] = crockford[v];
          typo = text_secret (compact);
          data = vw_recovery_code_parse (typo, &error);
          g_assert_null (data);
          g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID_RECOVERY_CODE);
          g_assert_true (g_str_has_prefix (error->message, expected));
          caught++;
          total++;
        }
      compact[pos] = original;
    }
  g_assert_cmpuint (caught, ==, total);
  g_assert_cmpuint (total, ==, 35 * 31);

  /* Two groups swapped, a group left out, a letter that is no code
   * character: all refused. */
  {
    g_auto(GStrv) groups = g_strsplit (compact, "-", -1);
    g_autofree char *swapped = g_strdup_printf ("%s-%s-%s-%s-%s-%s-%s", groups[1], groups[0], groups[2], groups[3],
                                                groups[4], groups[5], groups[6]);
    g_autofree char *short_code = g_strdup_printf ("%s-%s-%s-%s-%s-%s", groups[0], groups[1], groups[2], groups[3],
                                                   groups[4], groups[5]);
    g_autofree char *bad_char = g_strdup (compact);
    const char *inputs[] = { swapped, short_code, bad_char };

    bad_char[8] = 'U';
    for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
      {
        g_autoptr(VwSecret) in = text_secret (inputs[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(VwSecret) data = vw_recovery_code_parse (in, &error);

        g_assert_null (data);
        g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID_RECOVERY_CODE);
      }
  }

  /* I, L and O are read as 1, 1 and 0, as Crockford base32 says. */
  {
    g_autofree char *ambiguous = g_strdup (compact);
    g_autoptr(VwSecret) in = NULL;
    g_autoptr(VwSecret) a = NULL;
    g_autoptr(VwSecret) b = NULL;
    gboolean replaced = FALSE;

    for (gsize i = 0; ambiguous[i] != '\0'; i++)
      if (ambiguous[i] == '1' || ambiguous[i] == '0')
        {
          ambiguous[i] = ambiguous[i] == '1' ? 'l' : 'O';
          replaced = TRUE;
        }
    in = text_secret (ambiguous);
    a = vw_recovery_code_parse (code, NULL);
    b = vw_recovery_code_parse (in, NULL);
    g_assert_nonnull (b);
    g_assert_true (!replaced || vw_secret_equal (a, b));
  }
}

static void
test_pseudonym_normalisation (void)
{
  static const char * const same[][2] = {
    { "Tom", "tom" },
    { "  Tom ", "TOM" },
    { "Jan  Willem", "jan willem" },
    { "Ren\xc3\xa9", "Rene\xcc\x81" },         /* NFC and NFD é */
    { "\xef\xbc\xb4om", "Tom" },                /* fullwidth T */
    { "Stra\xc3\x9f" "e", "STRASSE" },          /* ß folds to ss */
  };
  static const char * const different[][2] = {
    { "Tom", "Tim" },
    { "Jan Willem", "Janwillem" },
    { "Rene", "Ren\xc3\xa9" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *a = vw_normalize_pseudonym (same[i][0]);
      g_autofree char *b = vw_normalize_pseudonym (same[i][1]);
      g_assert_cmpstr (a, ==, b);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (different); i++)
    {
      g_autofree char *a = vw_normalize_pseudonym (different[i][0]);
      g_autofree char *b = vw_normalize_pseudonym (different[i][1]);
      g_assert_cmpstr (a, !=, b);
    }
  g_assert_null (vw_normalize_pseudonym ("\xff"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/vault-crypto/value-format", test_value_format);
  g_test_add_func ("/vault-crypto/padding-classes", test_padding_classes);
  g_test_add_func ("/vault-crypto/unpadded-values", test_unpadded_values);
  g_test_add_func ("/vault-crypto/value-binding", test_value_binding);
  g_test_add_func ("/vault-crypto/key-wrap-binds-params", test_key_wrap_binds_params);
  g_test_add_func ("/vault-crypto/recovery-code-format", test_recovery_code_format);
  g_test_add_func ("/vault-crypto/recovery-code-catches-typos", test_recovery_code_catches_typos);
  g_test_add_func ("/vault-crypto/pseudonym-normalisation", test_pseudonym_normalisation);

  return g_test_run ();
}
