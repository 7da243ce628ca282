/* The C2SP CCTV age test vectors (tests/vectors/age/): every vector must
 * end exactly as its "expect" says, and the plaintext released before the
 * end must hash to its "payload". One TAP subtest per vector; the
 * post-quantum hybrid vectors are skipped and counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <sodium.h>

#include "vw-core.h"
#include "vw-age.h"

static guint n_passed;
static guint n_skipped;

typedef struct
{
  char      *expect;
  char      *payload;     /* hex SHA-256, nullable */
  GPtrArray *identities;  /* of char* */
  GPtrArray *passphrases; /* of char* */
  gboolean   armored;
  gboolean   compressed;
  GBytes    *file;
} Vector;

static void
vector_free (Vector *vector)
{
  g_free (vector->expect);
  g_free (vector->payload);
  g_ptr_array_unref (vector->identities);
  g_ptr_array_unref (vector->passphrases);
  g_clear_pointer (&vector->file, g_bytes_unref);
  g_free (vector);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Vector, vector_free)

static GBytes *
inflate (GBytes *compressed)
{
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (compressed);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, G_CONVERTER (zlib));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static Vector *
vector_load (const char *path)
{
  g_autoptr(Vector) vector = g_new0 (Vector, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0, pos = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);

  vector->identities = g_ptr_array_new_with_free_func (g_free);
  vector->passphrases = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      const char *line = contents + pos;
      const char *nl = memchr (line, '\n', len - pos);
      g_autofree char *key = NULL;
      const char *colon;

      g_assert_nonnull (nl);
      pos = nl - contents + 1;
      if (nl == line)
        break;
      colon = memchr (line, ':', nl - line);
      g_assert_nonnull (colon);
      g_assert_true (colon[1] == ' ');
      key = g_strndup (line, colon - line);

      if (g_str_equal (key, "expect"))
        vector->expect = g_strndup (colon + 2, nl - colon - 2);
      else if (g_str_equal (key, "payload"))
        vector->payload = g_strndup (colon + 2, nl - colon - 2);
      else if (g_str_equal (key, "identity"))
        g_ptr_array_add (vector->identities, g_strndup (colon + 2, nl - colon - 2));
      else if (g_str_equal (key, "passphrase"))
        g_ptr_array_add (vector->passphrases, g_strndup (colon + 2, nl - colon - 2));
      else if (g_str_equal (key, "armored"))
        vector->armored = strncmp (colon + 2, "yes", 3) == 0;
      else if (g_str_equal (key, "compressed"))
        vector->compressed = strncmp (colon + 2, "zlib", 4) == 0;
      else
        g_assert_true (g_str_equal (key, "file key") || g_str_equal (key, "comment"));
    }
  g_assert_nonnull (vector->expect);

  vector->file = g_bytes_new (contents + pos, len - pos);
  if (vector->compressed)
    {
      GBytes *plain = inflate (vector->file);

      g_bytes_unref (vector->file);
      vector->file = plain;
    }

  return g_steal_pointer (&vector);
}

static int
expected_code (const char *expect)
{
  static const struct { const char *name; int code; } kinds[] = {
    { "success", -1 },
    { "header failure", VW_AGE_ERROR_HEADER },
    { "no match", VW_AGE_ERROR_NO_MATCH },
    { "HMAC failure", VW_AGE_ERROR_HMAC },
    { "payload failure", VW_AGE_ERROR_PAYLOAD },
    { "armor failure", VW_AGE_ERROR_ARMOR },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, expect))
      return kinds[i].code;

  g_error ("Unknown expectation “%s”", expect);
}

/* Decrypts the way an application would, hashing every byte the decryptor
 * hands out, up to the first error. */
static GError *
decrypt_vector (Vector *vector,
                char    digest_hex[65])
{
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_identity_free);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (vector->file);
  g_autoptr(VwAgeDecryptor) decryptor = NULL;
  crypto_hash_sha256_state sha;
  guint8 digest[32];
  guint8 buffer[7000]; /* not a divisor of the chunk size, to exercise buffering */
  GError *error = NULL;

  for (guint i = 0; i < vector->identities->len; i++)
    {
      VwAgeIdentity *identity = vw_age_identity_parse (g_ptr_array_index (vector->identities, i), &error);

      g_assert_no_error (error);
      g_ptr_array_add (identities, identity);
    }
  for (guint i = 0; i < vector->passphrases->len; i++)
    {
      const char *text = g_ptr_array_index (vector->passphrases, i);
      g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) text, strlen (text));

      g_ptr_array_add (identities, vw_age_identity_new_passphrase (passphrase));
    }

  crypto_hash_sha256_init (&sha);
  decryptor = vw_age_decryptor_new (in, vector->armored ? VW_AGE_ARMOR_REQUIRED : VW_AGE_ARMOR_NONE,
                                    NULL, &error);
  if (decryptor != NULL && vw_age_decryptor_unlock (decryptor, identities, NULL, &error))
    {
      for (;;)
        {
          gssize n = g_input_stream_read (G_INPUT_STREAM (decryptor), buffer, sizeof buffer, NULL, &error);

          if (n <= 0)
            break;
          crypto_hash_sha256_update (&sha, buffer, n);
        }
    }
  crypto_hash_sha256_final (&sha, digest);
  sodium_bin2hex (digest_hex, 65, digest, sizeof digest);

  return error;
}

static void
test_vector (gconstpointer data)
{
  const char *path = data;
  g_autoptr(Vector) vector = vector_load (path);
  g_autoptr(GError) error = NULL;
  char digest[65];
  int expected;

  for (guint i = 0; i < vector->identities->len; i++)
    if (!g_str_has_prefix (g_ptr_array_index (vector->identities, i), "AGE-SECRET-KEY-1"))
      {
        n_skipped++;
        g_test_skip ("post-quantum hybrid identity: out of scope");
        return;
      }

  expected = expected_code (vector->expect);
  error = decrypt_vector (vector, digest);
  if (expected < 0)
    g_assert_no_error (error);
  else
    g_assert_error (error, VW_AGE_ERROR, expected);

  /* Success and payload failures name the hash of what was released; any
   * earlier failure must have released nothing. */
  if (vector->payload != NULL)
    g_assert_cmpstr (digest, ==, vector->payload);
  else
    g_assert_cmpstr (digest, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  n_passed++;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  dir_path = g_test_build_filename (G_TEST_DIST, "vectors", "age", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!g_str_has_suffix (name, ".md"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  /* The suite has 143 vectors; fewer would mean a broken copy. */
  g_assert_cmpuint (names->len, >=, 143);

  for (guint i = 0; i < names->len; i++)
    {
      const char *vector_name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/age/vectors/%s", vector_name);
      char *file = g_build_filename (dir_path, vector_name, NULL);

      g_ptr_array_add (paths, file);
      g_test_add_data_func (test_path, file, test_vector);
    }

  status = g_test_run ();
  g_print ("# age test vectors: %u passed, %u skipped (post-quantum hybrid), %u in total\n",
           n_passed, n_skipped, names->len);
  return status;
}
