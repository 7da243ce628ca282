/* vw-hkdf.h: HKDF-SHA-256 (RFC 5869) on libsodium's HMAC-SHA-256.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (VW_AGE_COMPILATION)
#error "vw-hkdf.h is internal to the age library (src/age); include vw-age.h"
#endif

#include <glib.h>

G_BEGIN_DECLS

/* The longest output RFC 5869 allows for SHA-256: 255 blocks. */
#define VW_HKDF_SHA256_MAX_OUTPUT (255 * 32)

void vw_hkdf_sha256_extract (const guint8 *salt,
                             gsize         salt_len,
                             const guint8 *ikm,
                             gsize         ikm_len,
                             guint8        prk[32]);
void vw_hkdf_sha256_expand  (const guint8  prk[32],
                             const guint8 *info,
                             gsize         info_len,
                             guint8       *out,
                             gsize         out_len);
void vw_hkdf_sha256         (const guint8 *ikm,
                             gsize         ikm_len,
                             const guint8 *salt,
                             gsize         salt_len,
                             const char   *info,
                             guint8       *out,
                             gsize         out_len);

G_END_DECLS
