/* Signed bundles: round trips, and every way a bad bundle must be turned
 * away (with the kind of failure asserted): each single-byte change,
 * truncation at and around every chunk boundary, a forgery by someone who
 * holds only the recipient's public key, an untrusted signer, the wrong
 * kind or study.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "vw-core.h"
#include "vw-age-private.h"
#include "vw-test-util.h"

#define STUDY "den-haag-2024"

typedef struct
{
  char          *dir;        /* owned: bundles are written here */
  char          *spool;      /* owned: an empty directory for content */
  VwAgeIdentity *identity;   /* owned: the receiving device */
  GPtrArray     *identities; /* owned: just identity */
  GPtrArray     *recipients; /* owned: its recipient */
  VwSecret      *device_key; /* owned: the sending device, trusted for STUDY */
  guint8         device_public[VW_BUNDLE_PUBLIC_KEY_SIZE];
} Fixture;

/* Trust as the vault will give it: a device is trusted for one study. */
typedef struct
{
  const char   *study;
  const guint8 *key;
} TrustEntry;

static gboolean
trust_list (const char   *study_id,
            const guint8 *signer,
            gpointer      user_data)
{
  const TrustEntry *entries = user_data;

  for (gsize i = 0; entries[i].study != NULL; i++)
    if (strcmp (entries[i].study, study_id) == 0 &&
        memcmp (entries[i].key, signer, VW_BUNDLE_PUBLIC_KEY_SIZE) == 0)
      return TRUE;
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("vw-bundle-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->spool = g_build_filename (fixture->dir, "spool", NULL);
  g_assert_cmpint (g_mkdir (fixture->spool, 0700), ==, 0);

  fixture->identity = vw_age_identity_generate ();
  fixture->identities = g_ptr_array_new ();
  g_ptr_array_add (fixture->identities, fixture->identity);
  fixture->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_ptr_array_add (fixture->recipients, vw_age_identity_to_recipient (fixture->identity));
  fixture->device_key = vw_bundle_signing_key_generate (fixture->device_public);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Opened or rejected, no content is ever left in the spool directory. */
  g_assert_cmpuint (vw_test_count_entries (fixture->spool), ==, 0);
  vw_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->spool);
  g_ptr_array_unref (fixture->identities);
  g_ptr_array_unref (fixture->recipients);
  vw_age_identity_free (fixture->identity);
  vw_secret_free (fixture->device_key);
}

/* Writes a bundle from the trusted device and returns its bytes. */
static GBytes *
make_bundle (Fixture      *fixture,
             VwBundleKind  kind,
             GBytes       *content)
{
  g_autofree char *name = g_strdup_printf ("b-%u.vwb", g_random_int ());
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (vw_bundle_write_bytes (path, kind, STUDY, fixture->device_key, fixture->recipients,
                                        content, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_unlink (path);
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static VwBundle *
open_bytes (Fixture      *fixture,
            GBytes       *bundle,
            VwBundleKind  kind,
            const char   *study,
            GError      **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle);
  const TrustEntry trusted[] = { { STUDY, fixture->device_public }, { NULL, NULL } };

  return vw_bundle_open_stream (in, fixture->identities, kind, study, trust_list, (gpointer) trusted,
                                fixture->spool, NULL, error);
}

static void
test_bundle_kinds (void)
{
  static const char *names[] = { "invitation", "submission", "round_preparation", "handover", "export",
                                 "receipt" };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == VW_BUNDLE_N_KINDS);

  for (VwBundleKind kind = 0; kind < VW_BUNDLE_N_KINDS; kind++)
    {
      const VwBundleKindInfo *info = vw_bundle_kind_get_info (kind);
      VwBundleKind back;

      g_assert_cmpint (info->kind, ==, kind);
      g_assert_cmpstr (info->name, ==, names[kind]);
      g_assert_nonnull (info->sender);
      g_assert_nonnull (info->receiver);
      g_assert_true (vw_bundle_kind_from_name (info->name, &back));
      g_assert_cmpint (back, ==, kind);
    }
  {
    VwBundleKind unused;

    g_assert_false (vw_bundle_kind_from_name ("Submission", &unused));
    g_assert_false (vw_bundle_kind_from_name ("", &unused));
  }
}

static void
assert_content (VwBundle *bundle,
                GBytes   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) loaded = vw_bundle_load_content (bundle, G_MAXSIZE, &error);
  guint8 digest[32];
  char digest_hex[65];

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, expected));
  crypto_hash_sha256 (digest, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  sodium_bin2hex (digest_hex, sizeof digest_hex, digest, sizeof digest);
  g_assert_cmpstr (vw_bundle_get_content_sha256 (bundle), ==, digest_hex);
  g_assert_cmpuint (vw_bundle_get_content_size (bundle), ==, g_bytes_get_size (expected));
}

static void
test_bundle_round_trip (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const gsize sizes[] = { 0, 1, 1000, 65536 - 200, 200000 };
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) content = vw_test_random_bytes (sizes[i]);
      g_autofree char *content_path = g_build_filename (fixture->dir, "content.bin", NULL);
      g_autofree char *bundle_path = g_build_filename (fixture->dir, "out.vwb", NULL);
      g_autofree char *saved_path = g_build_filename (fixture->dir, "saved.bin", NULL);
      g_autoptr(GFile) content_file = g_file_new_for_path (content_path);
      g_autoptr(VwBundle) bundle = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *id = NULL;
      g_autofree char *saved = NULL;
      gsize saved_len = 0;
      const TrustEntry trusted[] = { { STUDY, fixture->device_public }, { NULL, NULL } };
      VwBundleKind kind = i % VW_BUNDLE_N_KINDS;

      g_assert_true (g_file_set_contents (content_path, g_bytes_get_data (content, NULL), sizes[i], NULL));
      g_assert_true (vw_bundle_write_file (bundle_path, kind, STUDY, fixture->device_key,
                                           fixture->recipients, content_file, &id, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (id), ==, 32);

      bundle = vw_bundle_open (bundle_path, fixture->identities, kind, STUDY, trust_list,
                               (gpointer) trusted, fixture->spool, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (vw_bundle_get_kind (bundle), ==, kind);
      g_assert_cmpstr (vw_bundle_get_study_id (bundle), ==, STUDY);
      g_assert_cmpmem (vw_bundle_get_signer (bundle), 32, fixture->device_public, 32);
      g_assert_cmpstr (vw_bundle_get_id (bundle), ==, id);
      g_assert_cmpint (ABS (g_date_time_difference (now, vw_bundle_get_created (bundle))), <, 300 * G_TIME_SPAN_SECOND);
      assert_content (bundle, content);
      /* The spool file is unlinked at once: the directory stays empty. */
      g_assert_cmpuint (vw_test_count_entries (fixture->spool), ==, 0);

      /* The content can be read again, and saved. */
      assert_content (bundle, content);
      g_assert_true (vw_bundle_save_content (bundle, saved_path, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (saved_path, &saved, &saved_len, NULL));
      g_assert_cmpmem (saved, saved_len, g_bytes_get_data (content, NULL), sizes[i]);

      /* The bundle file is a plain age file: the age layer opens it. */
      {
        g_autoptr(GFile) f = g_file_new_for_path (bundle_path);
        g_autoptr(GFileInputStream) in = g_file_read (f, NULL, &error);
        g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

        g_assert_true (vw_age_decrypt (G_INPUT_STREAM (in), out, fixture->identities,
                                       VW_AGE_ARMOR_NONE, NULL, &error));
        g_assert_no_error (error);
        g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 18,
                         "VELDWERK-BUNDLE 1\n", 18);
      }

      /* A second bundle at the same name is refused; the first stays. */
      g_assert_false (vw_bundle_write_file (bundle_path, kind, STUDY, fixture->device_key,
                                            fixture->recipients, content_file, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
      g_clear_error (&error);

      g_unlink (bundle_path);
      g_unlink (content_path);
      g_unlink (saved_path);
      g_assert_cmpuint (vw_test_count_entries (fixture->dir), ==, 1);
    }
}

static void
test_bundle_kind_and_study (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GBytes) content = vw_test_random_bytes (100);
  g_autoptr(GBytes) bundle = make_bundle (fixture, VW_BUNDLE_KIND_INVITATION, content);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwBundle) any = NULL;

  g_assert_null (open_bytes (fixture, bundle, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_WRONG_KIND);
  g_clear_error (&error);
  g_assert_null (open_bytes (fixture, bundle, VW_BUNDLE_KIND_INVITATION, "utrecht-2025", &error));
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_WRONG_STUDY);
  g_clear_error (&error);

  any = open_bytes (fixture, bundle, VW_BUNDLE_KIND_ANY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vw_bundle_get_kind (any), ==, VW_BUNDLE_KIND_INVITATION);
}

static void
test_bundle_untrusted (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) content = vw_test_random_bytes (100);
  g_autoptr(GBytes) bundle = make_bundle (fixture, VW_BUNDLE_KIND_SUBMISSION, content);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = NULL;
  guint8 other_public[32];
  g_autoptr(VwSecret) other_key = vw_bundle_signing_key_generate (other_public);
  /* The signer is known, but for another study; another device is
   * trusted for this one. */
  const TrustEntry trusted[] = { { "utrecht-2025", fixture->device_public }, { STUDY, other_public },
                                 { NULL, NULL } };

  in = g_memory_input_stream_new_from_bytes (bundle);
  g_assert_null (vw_bundle_open_stream (in, fixture->identities, VW_BUNDLE_KIND_SUBMISSION, STUDY,
                                        trust_list, (gpointer) trusted, fixture->spool, NULL, &error));
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED);
}

static void
test_bundle_no_match (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) content = vw_test_random_bytes (100);
  g_autoptr(GBytes) bundle = make_bundle (fixture, VW_BUNDLE_KIND_SUBMISSION, content);
  g_autoptr(VwAgeIdentity) stranger = vw_age_identity_generate ();
  g_autoptr(GError) error = NULL;
  VwAgeIdentity *mine = g_ptr_array_index (fixture->identities, 0);

  fixture->identities->pdata[0] = stranger;
  g_assert_null (open_bytes (fixture, bundle, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
  fixture->identities->pdata[0] = mine;
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_NO_MATCH);
}

/* Where the age header ends and the payload nonce begins. */
static gsize
age_header_length (GBytes *file)
{
  const char *data = g_bytes_get_data (file, NULL);
  const char *mac = g_strstr_len (data, g_bytes_get_size (file), "\n--- ");

  g_assert_nonnull (mac);
  return (const char *) memchr (mac + 1, '\n', 64) - data + 1;
}

static int
age_layer_code (Fixture *fixture,
                GBytes  *file)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (file);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_false (vw_age_decrypt (in, out, fixture->identities, VW_AGE_ARMOR_AUTO, NULL, &error));
  g_assert_true (error->domain == VW_AGE_ERROR);
  return error->code;
}

/* Every byte of a small bundle, changed in two ways: each change is
 * rejected, as a failure of the age layer (the header's MAC and the
 * payload's tags cover every byte). In the header that is a header, MAC
 * or no-match failure; in the nonce and payload, a payload failure. */
static void
test_bundle_tamper_every_byte (Fixture       *fixture,
                               gconstpointer  user_data)
{
  static const guint8 flips[] = { 0x01, 0x80 };
  g_autoptr(GBytes) content = vw_test_random_bytes (200);
  g_autoptr(GBytes) bundle = make_bundle (fixture, VW_BUNDLE_KIND_SUBMISSION, content);
  gsize len = g_bytes_get_size (bundle);
  gsize header_len = age_header_length (bundle);
  guint counts[VW_AGE_ERROR_INVALID_KEY + 1] = { 0 };
  guint rejected = 0;

  for (gsize pos = 0; pos < len; pos++)
    for (gsize f = 0; f < G_N_ELEMENTS (flips); f++)
      {
        g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bundle, NULL), len);
        g_autoptr(GBytes) tampered = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(VwBundle) opened = NULL;
        int age_code;

        copy[pos] ^= flips[f];
        tampered = g_bytes_new (copy, len);
        opened = open_bytes (fixture, tampered, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error);
        g_assert_null (opened);
        g_assert_nonnull (error);
        g_assert_true (error->domain == VW_BUNDLE_ERROR);

        age_code = age_layer_code (fixture, tampered);
        counts[age_code]++;
        if (pos < header_len)
          {
            g_assert_true (age_code == VW_AGE_ERROR_HEADER || age_code == VW_AGE_ERROR_HMAC ||
                           age_code == VW_AGE_ERROR_NO_MATCH);
            g_assert_cmpint (error->code, ==, age_code == VW_AGE_ERROR_NO_MATCH ? VW_BUNDLE_ERROR_NO_MATCH
                                                                              : VW_BUNDLE_ERROR_DECRYPT);
          }
        else
          {
            g_assert_cmpint (age_code, ==, VW_AGE_ERROR_PAYLOAD);
            g_assert_cmpint (error->code, ==, VW_BUNDLE_ERROR_DECRYPT);
          }
        rejected++;
      }

  g_assert_cmpuint (rejected, ==, 2 * len);
  g_test_message ("%u changed bundles rejected: %u header, %u header MAC, %u no match, %u payload",
                  rejected, counts[VW_AGE_ERROR_HEADER], counts[VW_AGE_ERROR_HMAC],
                  counts[VW_AGE_ERROR_NO_MATCH], counts[VW_AGE_ERROR_PAYLOAD]);
  g_assert_cmpuint (counts[VW_AGE_ERROR_HEADER], >, 0);
  g_assert_cmpuint (counts[VW_AGE_ERROR_HMAC], >, 0);
  g_assert_cmpuint (counts[VW_AGE_ERROR_NO_MATCH], >, 0);
  g_assert_cmpuint (counts[VW_AGE_ERROR_PAYLOAD], >, 0);
}

/* A bundle over four chunks, cut at every chunk boundary and a few bytes
 * either side, in the header and the nonce, and with bytes added. */
static void
test_bundle_tamper_truncation (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GBytes) content = vw_test_random_bytes (3 * 65536 + 500);
  g_autoptr(GBytes) bundle = make_bundle (fixture, VW_BUNDLE_KIND_HANDOVER, content);
  gsize len = g_bytes_get_size (bundle);
  gsize payload = age_header_length (bundle) + 16;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  static const gssize around[] = { -17, -16, -2, -1, 0, 1, 2, 16, 17 };

  g_assert_cmpuint ((len - payload + VW_AGE_ENC_CHUNK_SIZE - 1) / VW_AGE_ENC_CHUNK_SIZE, ==, 4);
  for (gsize k = 0; k <= 4; k++)
    for (gsize a = 0; a < G_N_ELEMENTS (around); a++)
      {
        gssize cut = (gssize) (payload + k * VW_AGE_ENC_CHUNK_SIZE) + around[a];

        if (cut > 0 && cut < (gssize) len)
          g_array_append_val (cuts, cut);
      }
  for (gsize cut = 0; cut < payload; cut += 13)
    g_array_append_val (cuts, cut);
  g_array_append_val (cuts, (gsize) { len - 1 });

  for (guint i = 0; i < cuts->len; i++)
    {
      gsize cut = g_array_index (cuts, gsize, i);
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (bundle, 0, cut);
      g_autoptr(GError) error = NULL;

      g_assert_null (open_bytes (fixture, part, VW_BUNDLE_KIND_HANDOVER, STUDY, &error));
      g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_DECRYPT);
      g_assert_cmpint (age_layer_code (fixture, part), ==, cut < payload ? VW_AGE_ERROR_HEADER
                                                                         : VW_AGE_ERROR_PAYLOAD);
    }

  /* Bytes after the final chunk are refused too. */
  {
    g_autoptr(GByteArray) longer = g_byte_array_new ();
    g_autoptr(GBytes) extended = NULL;
    g_autoptr(GError) error = NULL;

    g_byte_array_append (longer, g_bytes_get_data (bundle, NULL), len);
    g_byte_array_append (longer, (const guint8 *) "x", 1);
    extended = g_byte_array_free_to_bytes (g_steal_pointer (&longer));
    g_assert_null (open_bytes (fixture, extended, VW_BUNDLE_KIND_HANDOVER, STUDY, &error));
    g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_DECRYPT);
  }

  /* And the whole bundle still opens. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VwBundle) opened = open_bytes (fixture, bundle, VW_BUNDLE_KIND_HANDOVER, STUDY, &error);

    g_assert_no_error (error);
    assert_content (opened, content);
  }
}

/* Builds a bundle's plaintext by hand, as a forger would. */
static GBytes *
frame (const char   *manifest,
       const guint8  signature[64],
       GBytes       *content)
{
  GByteArray *out = g_byte_array_new ();
  gsize len = strlen (manifest);
  guint8 length[4] = { len >> 24, len >> 16, len >> 8, len };

  g_byte_array_append (out, (const guint8 *) "VELDWERK-BUNDLE 1\n", 18);
  g_byte_array_append (out, length, 4);
  g_byte_array_append (out, (const guint8 *) manifest, len);
  g_byte_array_append (out, signature, 64);
  g_byte_array_append (out, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  return g_byte_array_free_to_bytes (out);
}

static void
sign_frame (const char     *manifest,
            const VwSecret *key,
            guint8          signature[64])
{
  g_autoptr(GByteArray) message = g_byte_array_new ();
  gsize len = strlen (manifest);
  guint8 length[4] = { len >> 24, len >> 16, len >> 8, len };

  g_byte_array_append (message, (const guint8 *) "VELDWERK-BUNDLE 1\n", 18);
  g_byte_array_append (message, length, 4);
  g_byte_array_append (message, (const guint8 *) manifest, len);
  crypto_sign_detached (signature, NULL, message->data, message->len, vw_secret_const_data (key));
}

/* Encrypts @plain to the fixture's recipient with only its public key. */
static GBytes *
encrypt_to_recipient (Fixture *fixture,
                      GBytes  *plain,
                      gboolean armor)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_age_encrypt (in, out, fixture->recipients, armor, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoin (to, parts[0], parts[1], NULL);
}

/* The recipient's public key is not a secret, so anyone can make an age
 * file the receiving device opens. A forger who has a genuine bundle's
 * plaintext swaps the content, edits the manifest or signs it himself;
 * each way fails on the signature, the hash or trust. */
static void
test_bundle_tamper_forged (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GBytes) content = vw_test_random_bytes (5000);
  g_autoptr(GBytes) bundle = make_bundle (fixture, VW_BUNDLE_KIND_SUBMISSION, content);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest = NULL;
  guint8 signature[64];
  const guint8 *data;
  gsize manifest_len;

  /* What the forger starts from: the genuine plaintext. */
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle);
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

    g_assert_true (vw_age_decrypt (in, out, fixture->identities, VW_AGE_ARMOR_NONE, NULL, &error));
    g_assert_true (g_output_stream_close (out, NULL, NULL));
    plain = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  }
  data = g_bytes_get_data (plain, NULL);
  manifest_len = ((gsize) data[18] << 24) | (data[19] << 16) | (data[20] << 8) | data[21];
  manifest = g_strndup ((const char *) data + 22, manifest_len);
  memcpy (signature, data + 22 + manifest_len, 64);

  /* Re-encrypted unchanged (armored, even), it is genuine and opens. */
  {
    g_autoptr(GBytes) file = encrypt_to_recipient (fixture, plain, TRUE);
    g_autoptr(VwBundle) opened = open_bytes (fixture, file, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error);

    g_assert_no_error (error);
    assert_content (opened, content);
  }

  /* Other content, same length and another length: the hash fails. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) other = vw_test_random_bytes (i == 0 ? 5000 : 4000);
      g_autoptr(GBytes) forged = frame (manifest, signature, other);
      g_autoptr(GBytes) file = encrypt_to_recipient (fixture, forged, FALSE);

      g_assert_null (open_bytes (fixture, file, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
      g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_CONTENT_HASH);
      g_clear_error (&error);
    }

  /* The manifest edited to match other content, or another kind or
   * study: the signature fails. */
  {
    g_autoptr(GBytes) other = vw_test_random_bytes (5000);
    guint8 digest[32];
    char digest_hex[65];
    const char *old_hash = strstr (manifest, "\"content_sha256\":\"") + 18;
    g_autofree char *old = g_strndup (old_hash, 64);
    char *edits[3];

    crypto_hash_sha256 (digest, g_bytes_get_data (other, NULL), 5000);
    sodium_bin2hex (digest_hex, sizeof digest_hex, digest, sizeof digest);
    edits[0] = replace (manifest, old, digest_hex);
    edits[1] = replace (manifest, "\"submission\"", "\"handover\"");
    edits[2] = replace (manifest, STUDY, "den-haag-2025");

    for (int i = 0; i < 3; i++)
      {
        g_autoptr(GBytes) forged = frame (edits[i], signature, i == 0 ? other : content);
        g_autoptr(GBytes) file = encrypt_to_recipient (fixture, forged, FALSE);

        g_assert_null (open_bytes (fixture, file, VW_BUNDLE_KIND_ANY, NULL, &error));
        g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_SIGNATURE);
        g_clear_error (&error);
        g_free (edits[i]);
      }
  }

  /* Signed by the forger's own key, with his key in the manifest: a valid
   * signature, from a device nobody trusts. */
  {
    guint8 forger_public[32];
    char forger_hex[65], device_hex[65];
    g_autoptr(VwSecret) forger = vw_bundle_signing_key_generate (forger_public);
    g_autofree char *edited = NULL;
    g_autoptr(GBytes) forged = NULL;
    g_autoptr(GBytes) file = NULL;
    guint8 forged_signature[64];

    sodium_bin2hex (forger_hex, sizeof forger_hex, forger_public, 32);
    sodium_bin2hex (device_hex, sizeof device_hex, fixture->device_public, 32);
    edited = replace (manifest, device_hex, forger_hex);
    sign_frame (edited, forger, forged_signature);
    forged = frame (edited, forged_signature, content);
    file = encrypt_to_recipient (fixture, forged, FALSE);
    g_assert_null (open_bytes (fixture, file, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
    g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED);
    g_clear_error (&error);
  }

  /* Not a bundle at all, and a manifest that is signed but not in the
   * one canonical form: format failures. */
  {
    g_autoptr(GBytes) junk = vw_test_random_bytes (3000);
    g_autoptr(GBytes) file = encrypt_to_recipient (fixture, junk, FALSE);
    g_autofree char *spaced = replace (manifest, "\"format\":1", "\"format\": 1");
    guint8 spaced_signature[64];
    g_autoptr(GBytes) forged = NULL;
    g_autoptr(GBytes) file2 = NULL;
    g_autoptr(GBytes) short_plain = g_bytes_new_from_bytes (plain, 0, 22 + manifest_len + 10);
    g_autoptr(GBytes) file3 = encrypt_to_recipient (fixture, short_plain, FALSE);

    g_assert_null (open_bytes (fixture, file, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
    g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_FORMAT);
    g_clear_error (&error);

    sign_frame (spaced, fixture->device_key, spaced_signature);
    forged = frame (spaced, spaced_signature, content);
    file2 = encrypt_to_recipient (fixture, forged, FALSE);
    g_assert_null (open_bytes (fixture, file2, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
    g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_FORMAT);
    g_clear_error (&error);

    g_assert_null (open_bytes (fixture, file3, VW_BUNDLE_KIND_SUBMISSION, STUDY, &error));
    g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_FORMAT);
  }
}

/* A failed write leaves nothing: no bundle, no temporary file. */
static void
test_bundle_write_failures (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-content", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "out.vwb", NULL);
  g_autoptr(GFile) content = g_file_new_for_path (missing);
  g_autoptr(GBytes) bytes = vw_test_random_bytes (10);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) short_key = vw_secret_new (32);
  g_autofree char *long_study = g_strnfill (201, 'x');
  guint before = vw_test_count_entries (fixture->dir);

  g_assert_false (vw_bundle_write_file (path, VW_BUNDLE_KIND_EXPORT, STUDY, fixture->device_key,
                                        fixture->recipients, content, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (vw_bundle_write_bytes (path, VW_BUNDLE_KIND_EXPORT, "", fixture->device_key,
                                         fixture->recipients, bytes, NULL, NULL, &error));
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_bundle_write_bytes (path, VW_BUNDLE_KIND_EXPORT, long_study, fixture->device_key,
                                         fixture->recipients, bytes, NULL, NULL, &error));
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_bundle_write_bytes (path, VW_BUNDLE_KIND_EXPORT, STUDY, short_key,
                                         fixture->recipients, bytes, NULL, NULL, &error));
  g_assert_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (vw_test_count_entries (fixture->dir), ==, before);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/bundle/kinds", test_bundle_kinds);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/bundle/round-trip", test_bundle_round_trip);
  ADD ("/bundle/kind-and-study", test_bundle_kind_and_study);
  ADD ("/bundle/untrusted", test_bundle_untrusted);
  ADD ("/bundle/no-match", test_bundle_no_match);
  ADD ("/bundle/tamper/every-byte", test_bundle_tamper_every_byte);
  ADD ("/bundle/tamper/truncation", test_bundle_tamper_truncation);
  ADD ("/bundle/tamper/forged", test_bundle_tamper_forged);
  ADD ("/bundle/write-failures", test_bundle_write_failures);
#undef ADD

  return g_test_run ();
}
