/* vw-bech32.h: a Bech32 (BIP 173) encoder, for age recipients ("age1...").
 * The age module carries its own decoder; the lead folds the two.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *vw_bech32_encode_5bit (const char   *hrp,
                             const guint8 *values,
                             gsize         n_values);
char *vw_bech32_encode      (const char   *hrp,
                             const guint8 *data,
                             gsize         len);

G_END_DECLS
