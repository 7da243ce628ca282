/* The age implementation piece by piece: known answers for HKDF, Bech32,
 * the X25519 stanza, the header MAC and the STREAM nonce and key; round
 * trips over chunk boundaries; truncation; and the file handling around
 * decryption (nothing under the final name unless it all authenticated).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>

#include "vw-core.h"
#include "vw-age-private.h"
#include "vw-atomic-file.h"
#include "vw-bech32.h"
#include "vw-hkdf.h"
#include "vw-test-util.h"

/* The file key of the C2SP vectors, and the X25519 identity they use. */
#define YELLOW_SUBMARINE "YELLOW SUBMARINE"
#define VECTOR_IDENTITY  "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"

static GBytes *
unhex (const char *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *data = g_malloc (MAX (len, 1));
  gsize bin_len = 0;

  g_assert_cmpint (sodium_hex2bin (data, len, hex, strlen (hex), NULL, &bin_len, NULL), ==, 0);
  g_assert_cmpuint (bin_len, ==, len);
  return g_bytes_new_take (data, len);
}

static char *
hex (const guint8 *data,
     gsize         len)
{
  char *text = g_malloc (len * 2 + 1);

  sodium_bin2hex (text, len * 2 + 1, data, len);
  return text;
}

/* A list of @first and the following pointers up to NULL, owning them. */
static GPtrArray *
owned_list (GDestroyNotify free_func,
            gpointer       first,
            ...)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (free_func);
  va_list args;

  va_start (args, first);
  for (gpointer item = first; item != NULL; item = va_arg (args, gpointer))
    g_ptr_array_add (list, item);
  va_end (args);
  return list;
}

#define identity_list(...)  owned_list ((GDestroyNotify) vw_age_identity_free, __VA_ARGS__)
#define recipient_list(...) owned_list ((GDestroyNotify) vw_age_recipient_free, __VA_ARGS__)

static VwAgeIdentity *
copy_identity (const VwAgeIdentity *identity)
{
  g_autoptr(VwSecret) text = vw_age_identity_to_string (identity);
  g_autoptr(GError) error = NULL;
  VwAgeIdentity *copy = vw_age_identity_parse ((const char *) vw_secret_const_data (text), &error);

  g_assert_no_error (error);
  return copy;
}

static GBytes *
encrypt_bytes (GBytes    *plain,
               GPtrArray *recipients,
               gboolean   armor)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_age_encrypt (in, out, recipients, armor, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static GBytes *
decrypt_bytes (GBytes     *file,
               GPtrArray  *identities,
               VwAgeArmor  armor,
               GError    **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!vw_age_decrypt (in, out, identities, armor, NULL, error))
    return NULL;
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* HKDF: RFC 5869, appendix A, test cases 1 to 3 (SHA-256). */
static void
test_hkdf_rfc5869 (void)
{
  static const struct {
    const char *ikm, *salt, *info, *prk, *okm;
  } cases[] = {
    { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
      "f0f1f2f3f4f5f6f7f8f9",
      "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865" },
    { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
      "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
      "404142434445464748494a4b4c4d4e4f",
      "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
      "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
      "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
      "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
      "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
      "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
      "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
    { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
      "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) ikm = unhex (cases[i].ikm);
      g_autoptr(GBytes) salt = unhex (cases[i].salt);
      g_autoptr(GBytes) info = unhex (cases[i].info);
      g_autoptr(GBytes) expected = unhex (cases[i].okm);
      gsize ikm_len, salt_len, info_len, okm_len;
      const guint8 *ikm_data = g_bytes_get_data (ikm, &ikm_len);
      const guint8 *salt_data = g_bytes_get_data (salt, &salt_len);
      const guint8 *info_data = g_bytes_get_data (info, &info_len);
      guint8 prk[32], okm[82], tampered[82];
      g_autofree char *prk_hex = NULL;
      g_autofree guint8 *ikm_copy = g_memdup2 (ikm_data, ikm_len);

      g_bytes_get_data (expected, &okm_len);
      vw_hkdf_sha256_extract (salt_data, salt_len, ikm_data, ikm_len, prk);
      prk_hex = hex (prk, sizeof prk);
      g_assert_cmpstr (prk_hex, ==, cases[i].prk);
      vw_hkdf_sha256_expand (prk, info_data, info_len, okm, okm_len);
      g_assert_cmpmem (okm, okm_len, g_bytes_get_data (expected, NULL), okm_len);

      /* One flipped input bit gives another key. */
      ikm_copy[0] ^= 1;
      vw_hkdf_sha256_extract (salt_data, salt_len, ikm_copy, ikm_len, prk);
      vw_hkdf_sha256_expand (prk, info_data, info_len, tampered, okm_len);
      g_assert_true (memcmp (tampered, okm, okm_len) != 0);
    }
}

/* Bech32: the BIP-173 test vectors. */
static void
test_bech32_bip173 (void)
{
  static const char *valid[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
  };
  static const char *invalid[] = {
    "\x20" "1nwldj5",   /* HRP character out of range */
    "\x7f" "1axkwrx",
    "\x80" "1eym55h",
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "pzry9x0s0muk",     /* no separator */
    "1pzry9x0s0muk",    /* empty HRP */
    "x1b4n0q5v",        /* invalid data character */
    "li1dgmt3",         /* checksum too short */
    "de1lg7wt\xff",     /* invalid character in checksum */
    "A1G7SGD8",         /* checksum computed over the upper-case HRP */
    "10a06t8",          /* empty HRP */
    "1qzzfhee",         /* empty HRP */
    "A12uEL5L",         /* mixed case */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hrp = NULL;
      g_autofree char *again = NULL;
      guint8 data[64];
      gsize len = 0, size;
      gboolean upper = g_ascii_isupper (valid[i][0]);

      g_assert_true (vw_bech32_decode (valid[i], VW_BECH32_BIP173_MAX_LENGTH, &hrp, data,
                                       sizeof data, &len, &error));
      g_assert_no_error (error);
      size = vw_bech32_encoded_size (strlen (hrp), len);
      again = g_malloc (size);
      g_assert_true (vw_bech32_encode (hrp, data, len, upper, again, size));
      g_assert_cmpstr (again, ==, valid[i]);

      /* Any changed character breaks the checksum. */
      {
        g_autofree char *changed = g_strdup (valid[i]);
        gsize last = strlen (changed) - 1;

        changed[last] = changed[last] == 'q' || changed[last] == 'Q' ? (upper ? 'P' : 'p')
                                                                       : (upper ? 'Q' : 'q');
        g_assert_false (vw_bech32_decode (changed, 0, NULL, data, sizeof data, &len, NULL));
      }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 data[64];
      gsize len = 0;

      g_assert_false (vw_bech32_decode (invalid[i], VW_BECH32_BIP173_MAX_LENGTH, NULL, data,
                                        sizeof data, &len, &error));
      g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
    }

  /* age lifts BIP-173's length limit: the 91-character string is otherwise valid. */
  {
    guint8 data[64];
    gsize len = 0;

    g_assert_true (vw_bech32_decode (invalid[3], 0, NULL, data, sizeof data, &len, NULL));
  }
}

/* A key that fails half-way through decoding leaves nothing of itself in
 * the caller's buffer. */
static void
test_bech32_wipes_on_failure (void)
{
  static const char *public = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
  guint8 data[64];
  gsize len = 0;

  for (gsize cut = 10; cut < strlen (public) - 6; cut += 7)
    {
      g_autofree char *bad = g_strdup (public);

      /* "b" is not in Bech32's alphabet. */
      bad[cut] = 'b';
      memset (data, 0xaa, sizeof data);
      g_assert_false (vw_bech32_decode (bad, 0, NULL, data, sizeof data, &len, NULL));
      for (gsize i = 0; i < sizeof data; i++)
        g_assert_cmpuint (data[i], ==, 0);
    }
}

/* The constructors from raw keys give the strings of the age
 * specification's example key pair (the secret key is 32 bytes of 0x42). */
static void
test_age_keys_constructors (void)
{
  static const char *secret_text = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
  static const char *public_text = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) secret = vw_secret_new (32);
  g_autoptr(VwSecret) short_secret = vw_secret_new (31);
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) "hunter2", 7);
  g_autoptr(VwAgeIdentity) identity = NULL;
  g_autoptr(VwAgeIdentity) refused = NULL;
  g_autoptr(VwAgeRecipient) parsed = NULL;
  g_autoptr(VwAgeRecipient) derived = NULL;
  g_autoptr(VwAgeRecipient) built = NULL;
  g_autoptr(VwAgeRecipient) scrypt = vw_age_recipient_new_passphrase (passphrase, 10);
  g_autoptr(VwSecret) identity_text = NULL;
  g_autofree char *derived_text = NULL;
  g_autofree char *built_text = NULL;
  guint8 public_key[32], untouched[32];

  memset (vw_secret_data (secret), 0x42, 32);
  identity = vw_age_identity_new_x25519 (secret, &error);
  g_assert_no_error (error);
  identity_text = vw_age_identity_to_string (identity);
  g_assert_cmpmem (vw_secret_const_data (identity_text), vw_secret_len (identity_text),
                   secret_text, strlen (secret_text));
  derived = vw_age_identity_to_recipient (identity);
  derived_text = vw_age_recipient_to_string (derived);
  g_assert_cmpstr (derived_text, ==, public_text);

  parsed = vw_age_recipient_parse (public_text, &error);
  g_assert_no_error (error);
  g_assert_true (vw_age_recipient_get_x25519 (parsed, public_key));
  built = vw_age_recipient_new_x25519 (public_key);
  built_text = vw_age_recipient_to_string (built);
  g_assert_cmpstr (built_text, ==, public_text);

  /* A passphrase has no X25519 key to give. */
  memset (untouched, 0x5a, sizeof untouched);
  memcpy (public_key, untouched, sizeof public_key);
  g_assert_false (vw_age_recipient_get_x25519 (scrypt, public_key));
  g_assert_cmpmem (public_key, sizeof public_key, untouched, sizeof untouched);

  refused = vw_age_identity_new_x25519 (short_secret, &error);
  g_assert_null (refused);
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
}

/* The key pair in the age specification, in both directions. */
static void
test_age_keys_spec_example (void)
{
  static const char *secret = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
  static const char *public = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
  g_autoptr(GError) error = NULL;
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_parse (secret, &error);
  g_autoptr(VwAgeRecipient) recipient = NULL;
  g_autoptr(VwAgeRecipient) parsed = NULL;
  g_autoptr(VwSecret) text = NULL;
  g_autofree char *public_text = NULL;

  g_assert_no_error (error);
  text = vw_age_identity_to_string (identity);
  g_assert_cmpstr ((const char *) vw_secret_const_data (text), ==, secret);
  recipient = vw_age_identity_to_recipient (identity);
  public_text = vw_age_recipient_to_string (recipient);
  g_assert_cmpstr (public_text, ==, public);
  parsed = vw_age_recipient_parse (public, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (parsed->public_key, 32, recipient->public_key, 32);

  /* age writes identities in upper case and recipients in lower case;
   * the other case, another prefix or a typo is refused, and the error
   * never repeats a secret key. */
  {
    g_autofree char *lower = g_ascii_strdown (secret, -1);
    g_autofree char *upper = g_ascii_strup (public, -1);
    g_autofree char *typo = g_strdup (secret);

    typo[20] = typo[20] == 'Q' ? 'P' : 'Q';
    g_assert_null (vw_age_identity_parse (lower, &error));
    g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
    g_assert_null (strstr (error->message, lower));
    g_clear_error (&error);
    g_assert_null (vw_age_identity_parse (typo, &error));
    g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
    g_assert_null (strstr (error->message, typo));
    g_assert_null (strstr (error->message, "GFPYYSJZ"));
    g_clear_error (&error);
    g_assert_null (vw_age_recipient_parse (upper, &error));
    g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
    g_clear_error (&error);
    g_assert_null (vw_age_recipient_parse (secret, &error));
    g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  }
}

static VwAgeIdentity *
identity_from_scalar (const char *scalar_hex)
{
  g_autoptr(GBytes) scalar = unhex (scalar_hex);
  gsize size = vw_bech32_encoded_size (strlen ("AGE-SECRET-KEY-"), 32);
  g_autofree char *text = g_malloc (size);
  g_autoptr(GError) error = NULL;
  VwAgeIdentity *identity;

  g_assert_true (vw_bech32_encode ("AGE-SECRET-KEY-", g_bytes_get_data (scalar, NULL), 32, TRUE,
                                   text, size));
  identity = vw_age_identity_parse (text, &error);
  g_assert_no_error (error);
  return identity;
}

/* The X25519 stanza with RFC 7748's key pairs (Alice's private key as the
 * ephemeral secret, Bob as the recipient); the expected share and body
 * were computed independently (Python's cryptography package). */
static void
test_age_x25519_stanza_kat (void)
{
  g_autoptr(VwAgeIdentity) bob = identity_from_scalar ("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  g_autoptr(GBytes) alice = unhex ("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  g_autoptr(GBytes) bob_public = unhex ("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  g_autoptr(VwSecret) file_key = vw_secret_new_from ((const guint8 *) YELLOW_SUBMARINE, 16);
  g_autoptr(VwSecret) unwrapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  VwAgeStanza *stanza;

  g_assert_cmpmem (bob->public_key, 32, g_bytes_get_data (bob_public, NULL), 32);

  stanza = vw_age_x25519_wrap_with (g_bytes_get_data (bob_public, NULL),
                                    g_bytes_get_data (alice, NULL), file_key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (stanza->args), ==, 2);
  g_assert_cmpstr (stanza->args[0], ==, "X25519");
  g_assert_cmpstr (stanza->args[1], ==, "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo");
  body = vw_age_base64_encode (stanza->body, stanza->body_len);
  g_assert_cmpstr (body, ==, "fopKvwuLAyOTjkUzufFYvtnq2YNEDY5KTDbHi3r5doc");

  g_assert_cmpint (vw_age_identity_unwrap (bob, stanza, &unwrapped, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (vw_secret_equal (unwrapped, file_key));
  g_clear_pointer (&unwrapped, vw_secret_free);

  /* A tampered body does not open, and is "not for us" rather than fatal. */
  stanza->body[5] ^= 0x40;
  g_assert_cmpint (vw_age_identity_unwrap (bob, stanza, &unwrapped, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_null (unwrapped);
  vw_age_stanza_free (stanza);
}

/* The stanza of the C2SP "x25519" vector unwraps to its documented file
 * key, and its header MAC is the documented one. */
static void
test_age_vector_stanza_and_mac (void)
{
  static const char header[] =
    "age-encryption.org/v1\n"
    "-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
    "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n"
    "---";
  g_autoptr(GError) error = NULL;
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_parse (VECTOR_IDENTITY, &error);
  g_autoptr(VwSecret) file_key = NULL;
  g_autoptr(VwSecret) expected = vw_secret_new_from ((const guint8 *) YELLOW_SUBMARINE, 16);
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  VwAgeStanza *stanza;
  guint8 body[32], mac[32];
  gsize len = 0;
  g_autofree char *mac_text = NULL;

  g_assert_no_error (error);
  g_assert_true (vw_age_base64_decode ("hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE", 43, body,
                                       sizeof body, &len));
  g_strv_builder_add_many (args, "X25519", "TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc", NULL);
  stanza = vw_age_stanza_new (g_strv_builder_end (args), body, len);
  g_assert_cmpint (vw_age_identity_unwrap (identity, stanza, &file_key, &error), ==, 1);
  g_assert_true (vw_secret_equal (file_key, expected));
  vw_age_stanza_free (stanza);

  vw_age_header_mac (file_key, (const guint8 *) header, strlen (header), mac);
  mac_text = vw_age_base64_encode (mac, sizeof mac);
  g_assert_cmpstr (mac_text, ==, "WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg");
}

/* STREAM: the nonce layout, the payload key, and one sealed chunk (the
 * expected key and ciphertext computed independently). */
static void
test_age_stream_nonce_and_key (void)
{
  g_autoptr(VwSecret) file_key = vw_secret_new_from ((const guint8 *) YELLOW_SUBMARINE, 16);
  g_autoptr(VwSecret) key = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *sealed_hex = NULL;
  guint8 nonce[12], payload_nonce[16], sealed[5 + 16];

  vw_age_stream_nonce (0, FALSE, nonce);
  g_assert_cmpmem (nonce, 12, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
  vw_age_stream_nonce (1, TRUE, nonce);
  g_assert_cmpmem (nonce, 12, "\0\0\0\0\0\0\0\0\0\0\1\1", 12);
  vw_age_stream_nonce (G_GUINT64_CONSTANT (0x0102030405060708), FALSE, nonce);
  g_assert_cmpmem (nonce, 12, "\0\0\0\1\2\3\4\5\6\7\x08\0", 12);
  vw_age_stream_nonce (256, FALSE, nonce);
  g_assert_cmpmem (nonce, 12, "\0\0\0\0\0\0\0\0\0\1\0\0", 12);

  for (guint i = 0; i < 16; i++)
    payload_nonce[i] = i;
  key = vw_age_payload_key (file_key, payload_nonce);
  key_hex = hex (vw_secret_const_data (key), vw_secret_len (key));
  g_assert_cmpstr (key_hex, ==, "4a110fa16dcea155c86d253602606e9eb4d6e2adcc402cf0e5b381eb62944568");

  vw_age_stream_nonce (0, TRUE, nonce);
  crypto_aead_chacha20poly1305_ietf_encrypt (sealed, NULL, (const guint8 *) "hello", 5, NULL, 0,
                                             NULL, nonce, vw_secret_const_data (key));
  sealed_hex = hex (sealed, sizeof sealed);
  g_assert_cmpstr (sealed_hex, ==, "258ef37c0efb7c42906ed6264c9c9a4f93b60f579d");
}

/* The two-core sealer (vw-age-seal.c) against plain sequential sealing
 * with libsodium: sizes around the chunk and batch (16 chunks) boundaries,
 * with plaintext already pending before the stream, from a counter that
 * does not start at 0. The output must be byte for byte the same, and the
 * last chunk must be left unsealed for the final flag. */
static void
test_age_seal_stream_kat (void)
{
  static const gsize sizes[] = { 0, 1, 65535, 65536, 65537, 16 * 65536 - 1, 16 * 65536, 16 * 65536 + 1,
                                 17 * 65536, 32 * 65536, 48 * 65536, 48 * 65536 + 70000, 100 * 65536 + 5 };
  static const gsize prefixes[] = { 0, 1, 65536 };
  guint8 key[32];

  randombytes_buf (key, sizeof key);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (gsize p = 0; p < G_N_ELEMENTS (prefixes); p++)
      {
        gsize total = prefixes[p] + sizes[i];
        g_autoptr(GBytes) plain = vw_test_random_bytes (total);
        const guint8 *data = g_bytes_get_data (plain, NULL);
        gsize n_chunks = MAX (1, (total + 65535) / 65536);
        gsize last_len = total - (n_chunks - 1) * 65536;
        g_autoptr(GByteArray) expected = g_byte_array_new ();
        g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data + prefixes[p], sizes[i], NULL);
        g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
        g_autofree guint8 *pending = g_malloc (VW_AGE_ENC_CHUNK_SIZE);
        gsize pending_len = prefixes[p];
        guint64 counter = 7;
        g_autoptr(GError) error = NULL;

        for (gsize c = 0; c + 1 < n_chunks; c++)
          {
            guint8 nonce[12], sealed[VW_AGE_ENC_CHUNK_SIZE];

            vw_age_stream_nonce (7 + c, FALSE, nonce);
            crypto_aead_chacha20poly1305_ietf_encrypt (sealed, NULL, data + c * 65536, 65536, NULL, 0, NULL,
                                                       nonce, key);
            g_byte_array_append (expected, sealed, sizeof sealed);
          }

        memcpy (pending, data, prefixes[p]);
        g_assert_true (vw_age_seal_stream (in, out, key, &counter, pending, &pending_len, NULL, &error));
        g_assert_no_error (error);
        g_assert_true (g_output_stream_close (out, NULL, NULL));
        g_assert_cmpuint (counter, ==, 7 + n_chunks - 1);
        g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                         g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                         expected->data, expected->len);
        g_assert_cmpmem (pending, pending_len, data + (n_chunks - 1) * 65536, last_len);
      }
}

/* A write that fails halfway (a full disk) ends the sealer with the error,
 * with no thread left behind. */
static void
test_age_seal_stream_write_fails (void)
{
  g_autoptr(GBytes) plain = vw_test_random_bytes (40 * 65536);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (plain);
  g_autofree guint8 *room = g_malloc (20 * VW_AGE_ENC_CHUNK_SIZE);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new (room, 20 * VW_AGE_ENC_CHUNK_SIZE, NULL, NULL);
  g_autofree guint8 *pending = g_malloc (VW_AGE_ENC_CHUNK_SIZE);
  gsize pending_len = 0;
  guint64 counter = 0;
  guint8 key[32] = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (vw_age_seal_stream (in, out, key, &counter, pending, &pending_len, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

/* Sizes around the chunk boundaries, binary and armored, several
 * recipients: each decrypts with either identity, to the same bytes, and
 * the ciphertext has exactly one tag per chunk. */
/* The payload's full chunks opened on two cores: every chunk that
 * authenticates as non-final gives exactly libsodium's plaintext, in
 * order; the output stops at the first that does not (damaged, or sealed
 * as the final one), which is handed back as it was read with one byte of
 * what follows, as is a short last chunk, whatever part of the input was
 * already read before. */
static void
test_age_open_stream_kat (void)
{
  static const guint full_counts[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 13 };
  static const gsize prefixes[] = { 0, 1, VW_AGE_ENC_CHUNK_SIZE + 7 };
  enum { SHORT_END, FULL_FINAL, DAMAGED, SEALED_FINAL, CUT, N_ENDS };
  guint8 key[32];
  guint cases = 0;

  randombytes_buf (key, sizeof key);
  for (gsize f = 0; f < G_N_ELEMENTS (full_counts); f++)
    for (guint end = 0; end < N_ENDS; end++)
      for (guint bad = 0; bad < ((end == DAMAGED || end == SEALED_FINAL) ? full_counts[f] : 1); bad++)
        for (gsize p = 0; p < G_N_ELEMENTS (prefixes); p++)
          {
            guint n = full_counts[f];
            g_autoptr(GBytes) plain = vw_test_random_bytes ((gsize) n * 65536 + 100);
            const guint8 *data = g_bytes_get_data (plain, NULL);
            g_autoptr(GByteArray) file = g_byte_array_new ();
            g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
            g_autoptr(GInputStream) src = NULL;
            g_autofree guint8 *tail = g_malloc (2 * VW_AGE_ENC_CHUNK_SIZE);
            gsize tail_len = 0, expected_tail_len = 0;
            const guint8 *expected_tail = NULL;
            guint64 counter = 5000 + n, start = counter;
            gboolean eof = FALSE;
            guint good = n;
            g_autoptr(GError) src_error = NULL;
            g_autoptr(GError) error = NULL;

            if (n == 0 && end != SHORT_END && end != CUT)
              continue;
            for (guint c = 0; c < n; c++)
              {
                guint8 sealed[VW_AGE_ENC_CHUNK_SIZE], nonce[12];
                gboolean final = (end == FULL_FINAL && c + 1 == n) || (end == SEALED_FINAL && c == bad);

                vw_age_stream_nonce (start + c, final, nonce);
                crypto_aead_chacha20poly1305_ietf_encrypt (sealed, NULL, data + (gsize) c * 65536, 65536, NULL, 0,
                                                           NULL, nonce, key);
                if (end == DAMAGED && c == bad)
                  sealed[(c * 977) % sizeof sealed] ^= 0x80;
                g_byte_array_append (file, sealed, sizeof sealed);
              }
            if (end != FULL_FINAL && end != CUT)
              {
                guint8 sealed[100 + 16], nonce[12];

                vw_age_stream_nonce (start + n, TRUE, nonce);
                crypto_aead_chacha20poly1305_ietf_encrypt (sealed, NULL, data + (gsize) n * 65536, 100, NULL, 0,
                                                           NULL, nonce, key);
                g_byte_array_append (file, sealed, sizeof sealed);
              }
            if (prefixes[p] > file->len)
              continue;
            /* An empty file still has an address. */
            g_byte_array_append (file, (const guint8 *) "", 1);
            g_byte_array_set_size (file, file->len - 1);

            /* What the sequential reader is to go on with. */
            if (end == DAMAGED || end == SEALED_FINAL)
              good = bad;
            else if (end == FULL_FINAL)
              good = n - 1;
            expected_tail = file->data + (gsize) good * VW_AGE_ENC_CHUNK_SIZE;
            expected_tail_len = MIN (file->len - (gsize) good * VW_AGE_ENC_CHUNK_SIZE, VW_AGE_ENC_CHUNK_SIZE + 1);

            memcpy (tail, file->data, prefixes[p]);
            tail_len = prefixes[p];
            src = g_memory_input_stream_new_from_data (file->data + prefixes[p], file->len - prefixes[p], NULL);
            g_assert_true (vw_age_open_stream (src, out, key, &counter, tail, &tail_len, &eof, &src_error, NULL, &error));
            g_assert_no_error (error);
            g_assert_no_error (src_error);
            g_assert_true (g_output_stream_close (out, NULL, NULL));
            g_assert_cmpuint (counter, ==, start + good);
            g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                             data, (gsize) good * 65536);
            /* The chunk as it was read; a byte after it only says there is one. */
            g_assert_cmpuint (tail_len, ==, expected_tail_len);
            g_assert_cmpmem (tail, MIN (tail_len, VW_AGE_ENC_CHUNK_SIZE),
                             expected_tail, MIN (expected_tail_len, VW_AGE_ENC_CHUNK_SIZE));
            g_assert_true (eof);
            cases++;
          }
  g_test_message ("%u cases", cases);
}

/* Decrypts @file by reading 1000 bytes at a time, which never takes the
 * parallel path of vw_age_decryptor_copy(): the reference. */
static gboolean
decrypt_by_reading (GBytes      *file,
                    GPtrArray   *identities,
                    GByteArray  *plain,
                    GError     **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
  g_autoptr(VwAgeDecryptor) decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, error);

  if (decryptor == NULL || !vw_age_decryptor_unlock (decryptor, identities, NULL, error))
    return FALSE;
  for (;;)
    {
      guint8 buffer[1000];
      gssize n = g_input_stream_read (G_INPUT_STREAM (decryptor), buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      g_byte_array_append (plain, buffer, n);
    }
}

/* vw_age_decryptor_copy() (parallel batches) releases exactly the same
 * plaintext and fails with exactly the same error as reading chunk by
 * chunk, for intact, damaged, cut and extended files of many sizes. */
static void
test_age_open_stream_same_as_reader (void)
{
  static const gsize sizes[] = { 0, 1, 65535, 65536, 65537, 2 * 65536, 3 * 65536 + 1, 8 * 65536,
                                 9 * 65536, 9 * 65536 + 1, 10 * 65536, 17 * 65536 + 5, 40 * 65536 };
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GPtrArray) identities = identity_list (g_steal_pointer (&identity), NULL);
  guint checked = 0, failed = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (gboolean armor = FALSE; armor <= (sizes[i] == 10 * 65536); armor++)
      {
        g_autoptr(GBytes) plain = vw_test_random_bytes (sizes[i]);
        g_autoptr(GBytes) file = encrypt_bytes (plain, recipients, armor);
        const char *data = g_bytes_get_data (file, NULL);
        gsize size = g_bytes_get_size (file);
        const char *mac_line = armor ? NULL : g_strstr_len (data, size, "\n--- ");
        gsize payload = armor ? 0 : (const char *) memchr (mac_line + 1, '\n', 100) - data + 1 + 16;
        gsize n_chunks = MAX (1, (sizes[i] + 65535) / 65536);
        g_autoptr(GPtrArray) variants = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

        g_ptr_array_add (variants, g_bytes_ref (file));
        if (!armor)
          {
            static const guint8 stray[] = { 0x01 };
            g_autoptr(GByteArray) longer = g_byte_array_new ();

            /* Damage in every chunk of the first batches and the last ones. */
            for (gsize c = 0; c < n_chunks; c++)
              if (c < 12 || c + 3 >= n_chunks)
                {
                  guint8 *copy = g_memdup2 (data, size);

                  copy[payload + c * VW_AGE_ENC_CHUNK_SIZE + (c * 131) % (size - payload - c * VW_AGE_ENC_CHUNK_SIZE)] ^= 0x01;
                  g_ptr_array_add (variants, g_bytes_new_take (copy, size));
                }
            /* Cut at the last chunk boundary, and one stray byte after the end. */
            if (n_chunks > 1)
              g_ptr_array_add (variants, g_bytes_new_from_bytes (file, 0, payload + (n_chunks - 1) * VW_AGE_ENC_CHUNK_SIZE));
            g_byte_array_append (longer, (const guint8 *) data, size);
            g_byte_array_append (longer, stray, 1);
            g_ptr_array_add (variants, g_byte_array_free_to_bytes (g_steal_pointer (&longer)));
          }
        else
          /* A character that is not Base64 a third and two thirds into
           * the armor: reading fails there, after whole chunks before it. */
          for (gsize at = size / 3; at < size / 3 * 3; at += size / 3)
            {
              guint8 *copy = g_memdup2 (data, size);
              gsize c = at;

              while (c < size && !g_ascii_isalnum (copy[c]))
                c++;
              g_assert_cmpuint (c, <, size);
              copy[c] = '*';
              g_ptr_array_add (variants, g_bytes_new_take (copy, size));
            }

        for (guint v = 0; v < variants->len; v++)
          {
            GBytes *variant = g_ptr_array_index (variants, v);
            g_autoptr(GByteArray) expected = g_byte_array_new ();
            g_autoptr(GError) expected_error = NULL;
            g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (variant);
            g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
            g_autoptr(GError) error = NULL;
            gboolean expected_ok = decrypt_by_reading (variant, identities, expected, &expected_error);
            gboolean ok = vw_age_decrypt (in, out, identities, VW_AGE_ARMOR_AUTO, NULL, &error);

            g_assert_cmpint (ok, ==, expected_ok);
            g_assert_cmpint (ok, ==, v == 0);
            if (!ok)
              {
                g_assert_error (error, expected_error->domain, expected_error->code);
                g_assert_cmpstr (error->message, ==, expected_error->message);
                failed++;
              }
            g_assert_true (g_output_stream_close (out, NULL, NULL));
            g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                             expected->data, expected->len);
            /* Whatever came out is a beginning of the plaintext. */
            g_assert_cmpuint (expected->len, <=, sizes[i]);
            g_assert_cmpmem (expected->data, expected->len, g_bytes_get_data (plain, NULL), expected->len);
            checked++;
          }
      }
  g_test_message ("%u files, %u of them refused the same way", checked, failed);
  g_assert_cmpuint (failed, >, 100);
}

/* A write that fails half way through the parallel batches is reported,
 * and the decryptor refuses to go on. */
static void
test_age_open_stream_write_fails (void)
{
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GPtrArray) identities = identity_list (g_steal_pointer (&identity), NULL);
  g_autoptr(GBytes) plain = vw_test_random_bytes (40 * 65536);
  g_autoptr(GBytes) file = encrypt_bytes (plain, recipients, FALSE);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
  g_autofree guint8 *room = g_malloc (13 * 65536);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new (room, 13 * 65536, NULL, NULL);
  g_autoptr(VwAgeDecryptor) decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[100];

  g_assert_true (vw_age_decryptor_unlock (decryptor, identities, NULL, NULL));
  g_assert_false (vw_age_decryptor_copy (decryptor, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpmem (room, 13 * 65536, g_bytes_get_data (plain, NULL), 13 * 65536);
  g_clear_error (&error);
  g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (decryptor), buffer, sizeof buffer, NULL, &error), ==, -1);
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_PAYLOAD);
}

static void
test_age_round_trip (void)
{
  static const gsize sizes[] = { 0, 1, 47, 48, 49, 65535, 65536, 65537, 3 * 65536, 200000 };
  g_autoptr(VwAgeIdentity) alice = vw_age_identity_generate ();
  g_autoptr(VwAgeIdentity) bob = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (alice),
                                                    vw_age_identity_to_recipient (bob), NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int armor = 0; armor <= 1; armor++)
      {
        g_autoptr(GBytes) plain = vw_test_random_bytes (sizes[i]);
        g_autoptr(GBytes) file = encrypt_bytes (plain, recipients, armor);
        g_autoptr(GError) error = NULL;

        for (int who = 0; who < 2; who++)
          {
            VwAgeIdentity *id = who == 0 ? alice : bob;
            g_autoptr(GPtrArray) identities = identity_list (copy_identity (id), NULL);
            g_autoptr(GBytes) back = NULL;

            back = decrypt_bytes (file, identities, armor ? VW_AGE_ARMOR_REQUIRED : VW_AGE_ARMOR_NONE, &error);
            g_assert_no_error (error);
            g_assert_true (g_bytes_equal (back, plain));
            g_clear_pointer (&back, g_bytes_unref);

            back = decrypt_bytes (file, identities, VW_AGE_ARMOR_AUTO, &error);
            g_assert_no_error (error);
            g_assert_true (g_bytes_equal (back, plain));
          }

        if (!armor)
          {
            gsize chunks = MAX (1, (sizes[i] + 65535) / 65536);
            const char *data = g_bytes_get_data (file, NULL);
            const char *end = g_strstr_len (data, g_bytes_get_size (file), "\n--- ");
            gsize header_len = (const char *) memchr (end + 1, '\n', 100) - data + 1;

            g_assert_cmpuint (g_bytes_get_size (file), ==, header_len + 16 + sizes[i] + 16 * chunks);
          }
        else
          {
            /* The armor is canonical: 64 columns, BEGIN and END lines. */
            g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
            g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
            guint n = g_strv_length (lines);

            g_assert_cmpstr (lines[0], ==, "-----BEGIN AGE ENCRYPTED FILE-----");
            g_assert_cmpstr (lines[n - 2], ==, "-----END AGE ENCRYPTED FILE-----");
            g_assert_cmpstr (lines[n - 1], ==, "");
            for (guint l = 1; l < n - 3; l++)
              g_assert_cmpuint (strlen (lines[l]), ==, 64);
            g_assert_cmpuint (strlen (lines[n - 3]), <=, 64);
          }
      }
}

/* A passphrase file (scrypt at a low work factor, to keep the test fast);
 * a wrong passphrase is "no match". */
static void
test_age_passphrase (void)
{
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) "correct horse", 13);
  g_autoptr(VwSecret) wrong = vw_secret_new_from ((const guint8 *) "correct horsf", 13);
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_recipient_new_passphrase (passphrase, 10), NULL);
  g_autoptr(GPtrArray) right_ids = identity_list (vw_age_identity_new_passphrase (passphrase), NULL);
  g_autoptr(GPtrArray) wrong_ids = identity_list (vw_age_identity_new_passphrase (wrong),
                                                  vw_age_identity_generate (), NULL);
  g_autoptr(GBytes) plain = vw_test_random_bytes (70000);
  g_autoptr(GBytes) file = encrypt_bytes (plain, recipients, FALSE);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
  g_autoptr(VwAgeDecryptor) decryptor = NULL;

  g_assert_nonnull (g_strstr_len (g_bytes_get_data (file, NULL), 100, "\n-> scrypt "));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (file, NULL), 100, " 10\n"));

  decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_age_decryptor_needs_passphrase (decryptor));

  back = decrypt_bytes (file, right_ids, VW_AGE_ARMOR_AUTO, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, plain));

  g_assert_null (decrypt_bytes (file, wrong_ids, VW_AGE_ARMOR_AUTO, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_NO_MATCH);
}

static void
test_age_bad_recipients (void)
{
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) "pass", 4);
  g_autoptr(VwAgeIdentity) someone = vw_age_identity_generate ();
  g_autoptr(GPtrArray) mixed = recipient_list (vw_age_recipient_new_passphrase (passphrase, 10),
                                               vw_age_identity_to_recipient (someone), NULL);
  g_autoptr(GPtrArray) none = recipient_list (NULL, NULL);
  g_autoptr(GPtrArray) low_order = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  guint8 zero[32] = { 0 };
  char text[100];

  g_assert_null (vw_age_encryptor_new (out, mixed, FALSE, NULL, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  g_clear_error (&error);
  g_assert_null (vw_age_encryptor_new (out, none, FALSE, NULL, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  g_clear_error (&error);

  /* The all-zero point is a syntactically valid recipient that no one
   * holds the key for: refuse to encrypt to it. */
  g_assert_true (vw_bech32_encode ("age", zero, 32, FALSE, text, sizeof text));
  low_order = recipient_list (vw_age_recipient_parse (text, &error), NULL);
  g_assert_no_error (error);
  g_assert_null (vw_age_encryptor_new (out, low_order, FALSE, NULL, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

/* Cut anywhere, a file fails: in the header or nonce as a header failure,
 * in the payload as a payload failure, and never as a shorter success. */
static void
test_age_truncation (void)
{
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GPtrArray) identities = identity_list (g_steal_pointer (&identity), NULL);
  g_autoptr(GBytes) plain = vw_test_random_bytes (3 * 65536 + 100);
  g_autoptr(GBytes) file = encrypt_bytes (plain, recipients, FALSE);
  const char *data = g_bytes_get_data (file, NULL);
  gsize header_len = (const char *) memchr (strstr (data, "\n--- ") + 1, '\n', 100) - data + 1;
  gsize payload = header_len + 16;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize c = 0; c < header_len + 16; c += 7)
    g_array_append_val (cuts, c);
  for (gsize k = 0; k <= 4; k++)
    for (gssize d = -17; d <= 17; d++)
      {
        gssize cut = payload + k * VW_AGE_ENC_CHUNK_SIZE + d;

        if (cut >= (gssize) payload && cut < (gssize) g_bytes_get_size (file))
          g_array_append_val (cuts, cut);
      }

  for (guint i = 0; i < cuts->len; i++)
    {
      gsize cut = g_array_index (cuts, gsize, i);
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (file, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) back = decrypt_bytes (part, identities, VW_AGE_ARMOR_NONE, &error);

      g_assert_null (back);
      g_assert_error (error, VW_AGE_ERROR, (cut < payload ? VW_AGE_ERROR_HEADER : VW_AGE_ERROR_PAYLOAD));
    }
}

/* An encryptor dropped without a close (a failed copy) must leave a file
 * that does not decrypt, not a shorter one that does. */
static void
test_age_abandoned_encryptor (void)
{
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GPtrArray) identities = identity_list (g_steal_pointer (&identity), NULL);

  for (int armor = 0; armor <= 1; armor++)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      /* Several chunks, so that some are out before the stream is dropped. */
      g_autoptr(GBytes) plain = vw_test_random_bytes (300000);
      g_autoptr(GBytes) file = NULL;
      g_autoptr(GError) error = NULL;
      VwAgeEncryptor *encryptor = vw_age_encryptor_new (out, recipients, armor, NULL, &error);
      gsize written = 0;

      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (encryptor), g_bytes_get_data (plain, NULL),
                                                g_bytes_get_size (plain), &written, NULL, &error));
      g_object_unref (encryptor);
      g_assert_true (g_output_stream_close (out, NULL, NULL));
      file = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      g_assert_cmpuint (g_bytes_get_size (file), >, 65536);

      g_assert_null (decrypt_bytes (file, identities, VW_AGE_ARMOR_AUTO, &error));
      g_assert_error (error, VW_AGE_ERROR, (armor ? VW_AGE_ERROR_ARMOR : VW_AGE_ERROR_PAYLOAD));
    }
}

/* libsodium's base64 decoder reads a byte with the high bit set as the
 * ASCII character below it. Such a byte in the MAC line or the armor must
 * not decode to the same file: that would make files malleable. */
static void
test_age_high_bit_bytes (void)
{
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GPtrArray) identities = identity_list (g_steal_pointer (&identity), NULL);
  g_autoptr(GBytes) plain = vw_test_random_bytes (100);
  g_autoptr(GBytes) binary = encrypt_bytes (plain, recipients, FALSE);
  g_autoptr(GBytes) armored = encrypt_bytes (plain, recipients, TRUE);
  const char *data = g_bytes_get_data (binary, NULL);
  gsize mac_start = strstr (data, "\n--- ") - data + 5;
  guint8 out[32];
  gsize len = 0;

  g_assert_false (vw_age_base64_decode ("W\xf9Jp9F/9", 8, out, sizeof out, &len));
  g_assert_true (vw_age_base64_decode ("WyJp9F/9", 8, out, sizeof out, &len));

  for (gsize i = 0; i < 43; i++)
    {
      g_autofree char *copy = g_memdup2 (data, g_bytes_get_size (binary));
      g_autoptr(GBytes) changed = NULL;
      g_autoptr(GError) error = NULL;

      copy[mac_start + i] ^= 0x80;
      changed = g_bytes_new (copy, g_bytes_get_size (binary));
      g_assert_null (decrypt_bytes (changed, identities, VW_AGE_ARMOR_NONE, &error));
      g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_HEADER);
    }

  for (gsize i = strlen ("-----BEGIN AGE ENCRYPTED FILE-----\n"); i < g_bytes_get_size (armored); i += 5)
    {
      g_autofree char *copy = g_memdup2 (g_bytes_get_data (armored, NULL), g_bytes_get_size (armored));
      g_autoptr(GBytes) changed = NULL;
      g_autoptr(GError) error = NULL;

      if (copy[i] == '\n' || copy[i] == '-')
        continue;
      copy[i] ^= 0x80;
      changed = g_bytes_new (copy, g_bytes_get_size (armored));
      g_assert_null (decrypt_bytes (changed, identities, VW_AGE_ARMOR_REQUIRED, &error));
      g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_ARMOR);
    }
}

/* Decrypting to a file: on success the file is there with mode 0600; on
 * failure nothing appears, no temporary file is left, and a file already
 * at that name is untouched. */
static void
test_age_decrypt_to_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-age-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "plain.txt", NULL);
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GPtrArray) identities = identity_list (g_steal_pointer (&identity), NULL);
  g_autoptr(GBytes) plain = vw_test_random_bytes (200000);
  g_autoptr(GBytes) file = encrypt_bytes (plain, recipients, FALSE);
  g_autofree guint8 *broken = g_memdup2 (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_autofree char *contents = NULL;
  gsize len = 0;
  GStatBuf st;

  g_assert_no_error (error);

  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
    g_autoptr(VwAgeDecryptor) decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (vw_age_decryptor_unlock (decryptor, identities, NULL, &error));
    g_assert_true (vw_age_decryptor_copy_to_file (decryptor, path, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (vw_test_count_entries (dir), ==, 1);

  /* Damage the last chunk: the first two decrypt before the failure. */
  broken[g_bytes_get_size (file) - 20] ^= 1;
  g_assert_true (g_file_set_contents (path, "keep me", -1, NULL));
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (broken, g_bytes_get_size (file), NULL);
    g_autoptr(VwAgeDecryptor) decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, &error);
    g_autofree char *other = g_build_filename (dir, "other.txt", NULL);

    g_assert_no_error (error);
    g_assert_true (vw_age_decryptor_unlock (decryptor, identities, NULL, &error));
    g_assert_false (vw_age_decryptor_copy_to_file (decryptor, path, NULL, &error));
    g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_PAYLOAD);
    g_clear_error (&error);
    /* Reading on after a failure keeps failing. */
    g_assert_false (vw_age_decryptor_copy_to_file (decryptor, other, NULL, &error));
    g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_PAYLOAD);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  g_assert_cmpuint (vw_test_count_entries (dir), ==, 1);

  vw_test_rm_rf (dir);
}

static void
test_age_read_before_unlock (void)
{
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = recipient_list (vw_age_identity_to_recipient (identity), NULL);
  g_autoptr(GBytes) one = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) file = encrypt_bytes (one, recipients, FALSE);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
  g_autoptr(VwAgeDecryptor) decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, NULL);
  g_autoptr(GError) error = NULL;
  char c;

  g_assert_nonnull (decryptor);
  g_assert_false (vw_age_decryptor_needs_passphrase (decryptor));
  g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (decryptor), &c, 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
}

/* Identity and recipient files as age reads them; errors name the file
 * and line, never the key. */
static void
test_age_key_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-age-XXXXXX", &error);
  g_autofree char *ids_path = g_build_filename (dir, "keys.txt", NULL);
  g_autofree char *rcpt_path = g_build_filename (dir, "recipients.txt", NULL);
  g_autoptr(VwAgeIdentity) a = vw_age_identity_generate ();
  g_autoptr(VwAgeIdentity) b = vw_age_identity_generate ();
  g_autoptr(VwSecret) a_text = vw_age_identity_to_string (a);
  g_autoptr(VwSecret) b_text = vw_age_identity_to_string (b);
  g_autoptr(VwAgeRecipient) a_rcpt = vw_age_identity_to_recipient (a);
  g_autofree char *a_public = vw_age_recipient_to_string (a_rcpt);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 3, 4, 5, 6, 7);
  g_autoptr(VwSecret) keygen = vw_age_keygen_file_contents (a, created);
  g_autofree char *expected_keygen = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) rcpts = NULL;

  g_assert_no_error (error);

  expected_keygen = g_strdup_printf ("# created: 2026-03-04T05:06:07Z\n# public key: %s\n%s\n",
                                     a_public, (const char *) vw_secret_const_data (a_text));
  g_assert_cmpmem (vw_secret_const_data (keygen), vw_secret_len (keygen),
                   expected_keygen, strlen (expected_keygen));

  contents = g_strdup_printf ("# a comment\r\n\r\n%s\r\n# another\n%s", (const char *) vw_secret_const_data (a_text),
                              (const char *) vw_secret_const_data (b_text));
  g_assert_true (g_file_set_contents (ids_path, contents, -1, NULL));
  ids = vw_age_identities_from_file (ids_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpmem (((VwAgeIdentity *) ids->pdata[1])->public_key, 32, b->public_key, 32);

  g_clear_pointer (&contents, g_free);
  contents = g_strdup_printf ("# keys\n%s\n%sX\n", (const char *) vw_secret_const_data (a_text),
                              (const char *) vw_secret_const_data (b_text));
  g_assert_true (g_file_set_contents (ids_path, contents, -1, NULL));
  g_assert_null (vw_age_identities_from_file (ids_path, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  g_assert_nonnull (strstr (error->message, "keys.txt"));
  g_assert_nonnull (strstr (error->message, " 3"));
  g_assert_null (strstr (error->message, (const char *) vw_secret_const_data (b_text) + 20));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (ids_path, "# nothing\n\n", -1, NULL));
  g_assert_null (vw_age_identities_from_file (ids_path, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  g_clear_error (&error);

  bad = g_strdup_printf ("%s\n# b\nage1nope\n", a_public);
  g_assert_true (g_file_set_contents (rcpt_path, bad, -1, NULL));
  g_assert_null (vw_age_recipients_from_file (rcpt_path, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  g_assert_nonnull (strstr (error->message, "recipients.txt"));
  g_assert_nonnull (strstr (error->message, " 3"));
  g_clear_error (&error);
  g_clear_pointer (&bad, g_free);
  bad = g_strdup_printf ("# b\n%s\n", a_public);
  g_assert_true (g_file_set_contents (rcpt_path, bad, -1, NULL));
  rcpts = vw_age_recipients_from_file (rcpt_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rcpts->len, ==, 1);

  vw_test_rm_rf (dir);
}

/* The atomic file: nothing under the final name before the commit (and,
 * where the file system has unnamed files, nothing in the directory at
 * all); no-clobber refuses an existing file. */
static void
test_atomic_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-atomic-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out", NULL);
  gsize written = 0;

  {
    g_autoptr(VwAtomicFile) file = vw_atomic_file_new (path, 0600, &error);

    g_assert_no_error (error);
    g_assert_true (g_output_stream_write_all (vw_atomic_file_get_stream (file), "one", 3, &written, NULL, &error));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (vw_test_count_entries (dir), ==, 0);
  }
  g_assert_cmpuint (vw_test_count_entries (dir), ==, 0);

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(VwAtomicFile) file = vw_atomic_file_new (path, 0600, &error);
      gboolean ok;

      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (vw_atomic_file_get_stream (file), i == 0 ? "one" : "two", 3,
                                                &written, NULL, &error));
      ok = vw_atomic_file_commit (file, i == 2, &error);
      if (i == 1)
        {
          g_assert_false (ok);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
          g_clear_error (&error);
        }
      else
        g_assert_no_error (error);
    }

  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "two");
    g_assert_cmpuint (vw_test_count_entries (dir), ==, 1);
  }

  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/hkdf/rfc5869", test_hkdf_rfc5869);
  g_test_add_func ("/bech32/bip173", test_bech32_bip173);
  g_test_add_func ("/bech32/wipes-on-failure", test_bech32_wipes_on_failure);
  g_test_add_func ("/age/keys/spec-example", test_age_keys_spec_example);
  g_test_add_func ("/age/keys/constructors", test_age_keys_constructors);
  g_test_add_func ("/age/x25519/stanza-kat", test_age_x25519_stanza_kat);
  g_test_add_func ("/age/x25519/vector-stanza-and-mac", test_age_vector_stanza_and_mac);
  g_test_add_func ("/age/stream/nonce-and-key", test_age_stream_nonce_and_key);
  g_test_add_func ("/age/seal-stream/kat", test_age_seal_stream_kat);
  g_test_add_func ("/age/seal-stream/write-fails", test_age_seal_stream_write_fails);
  g_test_add_func ("/age/open-stream/kat", test_age_open_stream_kat);
  g_test_add_func ("/age/open-stream/same-as-reader", test_age_open_stream_same_as_reader);
  g_test_add_func ("/age/open-stream/write-fails", test_age_open_stream_write_fails);
  g_test_add_func ("/age/round-trip", test_age_round_trip);
  g_test_add_func ("/age/passphrase", test_age_passphrase);
  g_test_add_func ("/age/bad-recipients", test_age_bad_recipients);
  g_test_add_func ("/age/truncation", test_age_truncation);
  g_test_add_func ("/age/high-bit-bytes", test_age_high_bit_bytes);
  g_test_add_func ("/age/abandoned-encryptor", test_age_abandoned_encryptor);
  g_test_add_func ("/age/decrypt-to-file", test_age_decrypt_to_file);
  g_test_add_func ("/age/read-before-unlock", test_age_read_before_unlock);
  g_test_add_func ("/age/key-files", test_age_key_files);
  g_test_add_func ("/atomic-file", test_atomic_file);

  return g_test_run ();
}
