/* vw-linkage.h: error-tolerant linkage by keyed Bloom-filter encodings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One record-level filter (a cryptographic long-term key): 1024 bits. */
#define VW_LINKAGE_FILTER_BYTES 128
/* Its text in bundles: standard base64, padded. */
#define VW_LINKAGE_FILTER_TEXT_LEN 172
/* Pairs at or above this Dice similarity are proposed. */
#define VW_LINKAGE_THRESHOLD 0.70

typedef struct
{
  guint  a;          /* index of the first record */
  guint  b;          /* index of the second, above @a */
  double similarity; /* Dice coefficient, 0..1 */
} VwLinkagePair;

char     **vw_linkage_name_parts (const char  *name);
gboolean   vw_linkage_encode     (const guint8 *key,
                                  gsize         key_len,
                                  const char   *name,
                                  const char   *birth_date,
                                  guint8       *filter,
                                  GError      **error);
double     vw_linkage_dice       (const guint8 *a,
                                  const guint8 *b);
char      *vw_linkage_to_text    (const guint8 *filter);
gboolean   vw_linkage_from_text  (const char   *text,
                                  guint8       *filter,
                                  GError      **error);
GArray    *vw_linkage_candidates (const guint8 *filters,
                                  guint         n,
                                  double        threshold);

G_END_DECLS
