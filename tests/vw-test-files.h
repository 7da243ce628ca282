/* What a directory holds, to prove that a refused attack or a killed
 * program left nothing behind and changed nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One line per entry under @dir (recursively, sorted by path): its path
 * relative to @dir, its type, size and SHA-256 for files. Equal snapshots
 * mean byte-identical directories. */
char     *vw_test_dir_snapshot (const char  *dir);
/* Whether any file under @dir holds @needle. */
gboolean  vw_test_dir_contains (const char  *dir,
                                const void  *needle,
                                gsize        len);

G_END_DECLS
