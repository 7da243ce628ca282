/* What the pool's fuzz target does with one input, shared with the test
 * that replays tests/fuzz/pool-regressions/ in the normal suite.
 *
 * The first byte picks the reader:
 *   0  a package's tar stream, as an age package decrypts to
 *   1  manifest.json on its own
 *   2  manifest.json in a tar with a valid signature by a trusted key, so
 *      that everything after the signature check is reached
 *   3  the two tables of a package (wide, a NUL byte, long) under a valid
 *      manifest, pooled and counted into every comparison table
 *   4  a trust file
 * Every reader must refuse bad input with an error, never crash, and
 * never hand out a package that fails a check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "vw-core.h"
#include "vw-fuzz-pool.h"
#include "vw-package-private.h"

static VwSecret *
fuzz_key (guint8 public_key[32])
{
  VwSecret *key = vw_secret_new (crypto_sign_SECRETKEYBYTES);
  guint8 seed[crypto_sign_SEEDBYTES];

  for (guint i = 0; i < sizeof seed; i++)
    seed[i] = i * 7 + 1;
  crypto_sign_seed_keypair (public_key, vw_secret_data (key), seed);
  return key;
}

static VwTrustList *
fuzz_trust (void)
{
  VwTrustList *trust = vw_trust_list_new ();
  guint8 public_key[32];
  g_autoptr(VwSecret) key = fuzz_key (public_key);
  g_autofree char *text = vw_package_format_key (public_key);

  if (!vw_trust_list_add_key (trust, text, "fuzz", NULL))
    abort ();
  return trust;
}

/* A ustar entry of @data named @name. */
static void
tar_add (GByteArray   *tar,
         const char   *name,
         const guint8 *data,
         gsize         len)
{
  guint8 header[512] = { 0 };
  guint sum = 0;
  static const guint8 zeros[512] = { 0 };

  g_strlcpy ((char *) header, name, 100);
  memcpy (header + 100, "0000600", 8);
  memcpy (header + 108, "0000000", 8);
  memcpy (header + 116, "0000000", 8);
  g_snprintf ((char *) header + 124, 12, "%011o", (guint) len);
  memcpy (header + 136, "00000000000", 12);
  memset (header + 148, ' ', 8);
  header[156] = '0';
  memcpy (header + 257, "ustar", 6);
  memcpy (header + 263, "00", 2);
  for (guint i = 0; i < 512; i++)
    sum += header[i];
  g_snprintf ((char *) header + 148, 8, "%06o", sum);
  g_byte_array_append (tar, header, 512);
  g_byte_array_append (tar, data, len);
  g_byte_array_append (tar, zeros, (512 - len % 512) % 512);
}

static void
open_tar (const guint8 *data,
          gsize         len)
{
  g_autoptr(VwTrustList) trust = fuzz_trust ();
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, len, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPackage) package = vw_package_open_tar (in, "fuzz.tar", trust, NULL, &error);

  if ((package == NULL) == (error == NULL))
    abort ();
}

static void
signed_manifest (const guint8 *data,
                 gsize         len)
{
  guint8 public_key[32];
  g_autoptr(VwSecret) key = fuzz_key (public_key);
  g_autoptr(GBytes) manifest = g_bytes_new (data, len);
  g_autoptr(GBytes) signature = vw_package_sign_manifest (manifest, key, NULL);
  g_autoptr(GByteArray) tar = g_byte_array_new ();
  static const guint8 end[1024] = { 0 };

  tar_add (tar, "package/manifest.json", data, len);
  tar_add (tar, "package/manifest.sig", g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  tar_add (tar, "package/trajectories_wide.csv", (const guint8 *) "export_id\r\n", 11);
  g_byte_array_append (tar, end, sizeof end);
  open_tar (tar->data, tar->len);
}

static void
pool_tables (const guint8 *data,
             gsize         len)
{
  const guint8 *nul = memchr (data, '\0', len);
  gsize wide_len = nul ? (gsize) (nul - data) : len;
  g_autoptr(GBytes) wide = g_bytes_new (data, wide_len);
  g_autoptr(GBytes) long_ = g_bytes_new (nul ? nul + 1 : data + len, nul ? len - wide_len - 1 : 0);
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwPool) pool = NULL;
  g_autofree char *json = NULL;
  VwPackageManifest *manifest;
  VwPoolOptions options = { 0 };
  guint rows = 0;

  /* The manifest claims as many participants as the wide table has lines,
   * so that the rows themselves are read. */
  for (gsize i = 0; i < wide_len; i++)
    rows += data[i] == '\n';
  json = g_strdup_printf (
    "{\"format\":\"veldwerk-anonymized-export\",\"format_version\":2,\"app_version\":\"0\",\"created\":\"now\","
    "\"study\":{\"id\":\"s\",\"name\":\"S\",\"regions\":[\"DH\"]},"
    "\"signer\":\"ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\","
    "\"codebook\":{\"id\":\"veldwerk-core\",\"version\":\"1\"},\"questionnaires\":[],\"rules\":\"%s\","
    "\"parameters\":{\"mo_long_months\":12,\"bw_long_months\":0,\"mo_flag_weeks\":12,\"bw_flag_months\":12,"
    "\"age_scheme\":\"dh\",\"label_language\":\"nl\",\"include_quotes\":false},"
    "\"disclosure_control\":{\"k\":1,\"quasi_identifiers\":[\"region\",\"origin\",\"age_band\"],"
    "\"rare\":\"generalize\",\"participants\":%u,\"generalized\":0,\"suppressed\":0,\"released\":%u,\"groups\":1,"
    "\"smallest_group\":1},\"files\":[]}",
    len % 2 ? "fl4" : "dh3", rows ? rows - 1 : 0, rows ? rows - 1 : 0);
  manifest = vw_package_manifest_parse (json, strlen (json), &error);
  if (manifest == NULL)
    abort ();
  g_ptr_array_add (packages, vw_package_new_unverified ("fuzz", manifest, long_, wide));

  pool = vw_pool_new (packages, &options, &error);
  if ((pool == NULL) == (error == NULL))
    abort ();
  if (pool != NULL)
    {
      g_autoptr(VwComparison) comparison = vw_pool_build_comparison (pool, &error);

      if ((comparison == NULL) == (error == NULL))
        abort ();
    }
}

void
vw_fuzz_pool_one_input (const guint8 *data,
                        gsize         size)
{
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return;
  switch (data[0] % 5)
    {
    case 0:
      open_tar (data + 1, size - 1);
      break;
    case 1:
      {
        g_autoptr(VwPackageManifest) manifest = vw_package_manifest_parse ((const char *) data + 1, size - 1, &error);

        if ((manifest == NULL) == (error == NULL))
          abort ();
        break;
      }
    case 2:
      signed_manifest (data + 1, size - 1);
      break;
    case 3:
      pool_tables (data + 1, size - 1);
      break;
    default:
      {
        g_autoptr(VwTrustList) trust = vw_trust_list_new ();
        g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);
        gboolean ok = vw_trust_list_add_text (trust, "fuzz", text, &error);

        if (ok == (error != NULL) || (ok && vw_trust_list_get_n_keys (trust) == 0))
          abort ();
        break;
      }
    }
}
