/* vw-bech32.h: Bech32 as BIP-173 defines it (not Bech32m), used for age
 * recipients ("age1...") and identities ("AGE-SECRET-KEY-1...").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (VW_AGE_COMPILATION)
#error "vw-bech32.h is internal to the age library (src/age); include vw-age.h"
#endif

#include <glib.h>

G_BEGIN_DECLS

/* BIP-173's limit for a whole string; age lifts it (pass 0). */
#define VW_BECH32_BIP173_MAX_LENGTH 90

gsize     vw_bech32_encoded_size (gsize          hrp_len,
                                  gsize          data_len);
gboolean  vw_bech32_encode       (const char    *hrp,
                                  const guint8  *data,
                                  gsize          data_len,
                                  gboolean       uppercase,
                                  char          *out,
                                  gsize          out_size);
gboolean  vw_bech32_decode       (const char    *text,
                                  gsize          max_length,
                                  char         **hrp,
                                  guint8        *data,
                                  gsize          data_size,
                                  gsize         *data_len,
                                  GError       **error);

G_END_DECLS
