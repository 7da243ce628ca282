/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "vw-hkdf.h"

/**
 * vw_hkdf_sha256_extract:
 * @salt: (nullable): an empty salt stands for 32 zero bytes, as RFC 5869
 *   says; HMAC pads its key with zeros, so both give the same PRK
 *
 * PRK = HMAC-SHA-256 (key = salt, message = IKM).
 */
void
vw_hkdf_sha256_extract (const guint8 *salt,
                        gsize         salt_len,
                        const guint8 *ikm,
                        gsize         ikm_len,
                        guint8        prk[32])
{
  static const guint8 empty[1] = { 0 };
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, salt_len > 0 ? salt : empty, salt_len);
  crypto_auth_hmacsha256_update (&state, ikm_len > 0 ? ikm : empty, ikm_len);
  crypto_auth_hmacsha256_final (&state, prk);
  sodium_memzero (&state, sizeof state);
}

/* T(i) = HMAC (PRK, T(i-1) || info || i), output the first out_len bytes. */
void
vw_hkdf_sha256_expand (const guint8  prk[32],
                       const guint8 *info,
                       gsize         info_len,
                       guint8       *out,
                       gsize         out_len)
{
  guint8 block[32];
  gsize done = 0;

  g_return_if_fail (out_len <= VW_HKDF_SHA256_MAX_OUTPUT);

  for (guint8 counter = 1; done < out_len; counter++)
    {
      crypto_auth_hmacsha256_state state;
      gsize take = MIN (sizeof block, out_len - done);

      crypto_auth_hmacsha256_init (&state, prk, 32);
      if (counter > 1)
        crypto_auth_hmacsha256_update (&state, block, sizeof block);
      if (info_len > 0)
        crypto_auth_hmacsha256_update (&state, info, info_len);
      crypto_auth_hmacsha256_update (&state, &counter, 1);
      crypto_auth_hmacsha256_final (&state, block);
      sodium_memzero (&state, sizeof state);

      memcpy (out + done, block, take);
      done += take;
    }

  sodium_memzero (block, sizeof block);
}

/**
 * vw_hkdf_sha256:
 * @info: a string label (age's labels are all text)
 *
 * HKDF-Extract followed by HKDF-Expand.
 */
void
vw_hkdf_sha256 (const guint8 *ikm,
                gsize         ikm_len,
                const guint8 *salt,
                gsize         salt_len,
                const char   *info,
                guint8       *out,
                gsize         out_len)
{
  guint8 prk[32];

  vw_hkdf_sha256_extract (salt, salt_len, ikm, ikm_len, prk);
  vw_hkdf_sha256_expand (prk, (const guint8 *) info, strlen (info), out, out_len);
  sodium_memzero (prk, sizeof prk);
}
