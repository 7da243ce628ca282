/* vw-age-file.h: age files on disk, written the core's atomic way. The age
 * library (src/age) works on streams only; where its plaintext lands in a
 * file is the core's business.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-age.h"

G_BEGIN_DECLS

gboolean vw_age_decryptor_copy_to_file (VwAgeDecryptor  *self,
                                        const char      *path,
                                        GCancellable    *cancellable,
                                        GError         **error);

G_END_DECLS
