/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A byte buffer for keys and passphrases: allocated with sodium_malloc
 * (guard pages, locked against swapping), wiped on free, never printed. */
typedef struct _VwSecret VwSecret;

VwSecret     *vw_secret_new        (gsize          len);
VwSecret     *vw_secret_new_from   (const guint8  *data,
                                    gsize          len);
VwSecret     *vw_secret_dup        (const VwSecret *secret);
void          vw_secret_free       (VwSecret      *secret);
guint8       *vw_secret_data       (VwSecret      *secret);
const guint8 *vw_secret_const_data (const VwSecret *secret);
gsize         vw_secret_len        (const VwSecret *secret);
void          vw_secret_truncate   (VwSecret      *secret,
                                    gsize          len);
gboolean      vw_secret_equal      (const VwSecret *a,
                                    const VwSecret *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwSecret, vw_secret_free)

/* Plaintext that had to live in ordinary memory for a moment (decrypted
 * JSON, a pseudonym): wiped with sodium_memzero before g_free. */
void          vw_secret_wipe_string (char         *text);

typedef char *VwWipedString;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (VwWipedString, vw_secret_wipe_string, NULL)

G_END_DECLS
