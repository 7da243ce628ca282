/* vw-atomic-file.h: write a file so that it appears complete under its
 * name or not at all, and a crash or SIGKILL leaves nothing behind: an
 * unnamed file (O_TMPFILE) linked into place when complete, or where the
 * file system cannot, a locked temporary that the next writer removes. A
 * FIFO or device at the name is written into directly, never replaced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _VwAtomicFile VwAtomicFile;

VwAtomicFile  *vw_atomic_file_new          (const char    *path,
                                            int            mode,
                                            GError       **error);
GOutputStream *vw_atomic_file_get_stream   (VwAtomicFile  *self);
const char    *vw_atomic_file_get_path     (VwAtomicFile  *self);
gboolean       vw_atomic_file_commit       (VwAtomicFile  *self,
                                            gboolean       overwrite,
                                            GError       **error);
void           vw_atomic_file_free         (VwAtomicFile  *self);

int            vw_atomic_file_open_unnamed (const char    *dir,
                                            GError       **error);
char          *vw_atomic_dir_new           (const char    *path,
                                            int           *lock_fd,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAtomicFile, vw_atomic_file_free)

G_END_DECLS
