/* libFuzzer target: a bundle's plaintext after decryption (vw-bundle.c):
 * the magic line, the manifest's length, the manifest and its checks, the
 * signature, the kind, and the content against its signed size and hash,
 * through vw_bundle_open_stream() as every reader of bundles uses it.
 *
 * The input is the plaintext. The harness encrypts it to the fixed test
 * identity and, where the framing gives a place for it, signs it with the
 * fixed test key (fuzz-fixed-keys.h), so that a fuzzer that keeps the
 * seeds' manifest (which names that key) gets past the signature to the
 * checks behind it. A bundle either opens with the content it signed, or
 * is refused with a bundle error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "fuzz-fixed-keys.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAGIC_LEN    18 /* "VELDWERK-BUNDLE 1\n" */
#define MAX_MANIFEST (64 * 1024)

static GPtrArray *identities;
static GPtrArray *recipients;
static VwSecret *signing_key;
static guint8 signer[VW_BUNDLE_PUBLIC_KEY_SIZE];
static char *spool;

static void
remove_spool (void)
{
  g_rmdir (spool);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  identities = fuzz_identities ();
  recipients = fuzz_recipients ();
  signing_key = fuzz_signing_key (signer);
  spool = g_dir_make_tmp ("vw-fuzz-bundle-XXXXXX", NULL);
  if (spool == NULL)
    abort ();
  atexit (remove_spool);
  return 0;
}

static gboolean
trust_all (const char   *study_id,
           const guint8 *signer_public_key,
           gpointer      user_data)
{
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree guint8 *plain = g_memdup2 (data, MAX (size, 1));
  g_autoptr(GInputStream) plain_in = NULL;
  g_autoptr(GOutputStream) sealed = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;
  gsize signed_len = 0;

  if (size >= MAGIC_LEN + 4)
    {
      gsize manifest_len = ((gsize) plain[MAGIC_LEN] << 24) | ((gsize) plain[MAGIC_LEN + 1] << 16) |
                           ((gsize) plain[MAGIC_LEN + 2] << 8) | plain[MAGIC_LEN + 3];

      signed_len = MAGIC_LEN + 4 + manifest_len;
      if (manifest_len <= MAX_MANIFEST && signed_len + crypto_sign_BYTES <= size)
        crypto_sign_detached (plain + signed_len, NULL, plain, signed_len, vw_secret_const_data (signing_key));
      else
        signed_len = 0;
    }

  plain_in = g_memory_input_stream_new_from_data (plain, size, NULL);
  if (!vw_age_encrypt (plain_in, sealed, recipients, FALSE, NULL, &error) ||
      !g_output_stream_close (sealed, NULL, NULL))
    abort ();
  file = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sealed));
  in = g_memory_input_stream_new_from_bytes (file);

  bundle = vw_bundle_open_stream (in, identities, VW_BUNDLE_KIND_ANY, NULL, trust_all, NULL, spool, NULL, &error);
  if (bundle == NULL)
    {
      if (error == NULL || error->domain != VW_BUNDLE_ERROR)
        abort ();
      return 0;
    }

  /* Opened: it was signed here, and carries exactly its content. */
  {
    g_autoptr(GBytes) content = vw_bundle_load_content (bundle, size, &error);
    gsize content_len = 0;
    const guint8 *content_data;

    if (signed_len == 0 || content == NULL || vw_bundle_get_kind (bundle) >= VW_BUNDLE_N_KINDS ||
        memcmp (vw_bundle_get_signer (bundle), signer, sizeof signer) != 0 ||
        vw_bundle_get_study_id (bundle) == NULL || vw_bundle_get_created (bundle) == NULL)
      abort ();
    content_data = g_bytes_get_data (content, &content_len);
    if (content_len != size - signed_len - crypto_sign_BYTES ||
        content_len != vw_bundle_get_content_size (bundle) ||
        (content_len > 0 && memcmp (content_data, plain + signed_len + crypto_sign_BYTES, content_len) != 0))
      abort ();
  }
  return 0;
}
