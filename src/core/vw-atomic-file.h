/* vw-atomic-file.h: write a file under a temporary name in the same
 * directory and rename it into place only when it is complete, so that a
 * crash or a failure never leaves half a file under the final name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _VwAtomicFile VwAtomicFile;

VwAtomicFile  *vw_atomic_file_new        (const char    *path,
                                          int            mode,
                                          GError       **error);
GOutputStream *vw_atomic_file_get_stream (VwAtomicFile  *self);
const char    *vw_atomic_file_get_path   (VwAtomicFile  *self);
gboolean       vw_atomic_file_commit     (VwAtomicFile  *self,
                                          gboolean       overwrite,
                                          GError       **error);
void           vw_atomic_file_free       (VwAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAtomicFile, vw_atomic_file_free)

G_END_DECLS
