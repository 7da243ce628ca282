/* vw-export-archive.h: a tar or zip archive written with libarchive into a
 * GOutputStream (the age encryptor, or memory), so that no plaintext copy
 * of an encrypted export ever touches the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _VwExportArchive VwExportArchive;

VwExportArchive *vw_export_archive_new    (GOutputStream    *out,
                                           gboolean          zip,
                                           GError          **error);
gboolean         vw_export_archive_add    (VwExportArchive  *self,
                                           const char       *name,
                                           GBytes           *bytes,
                                           GError          **error);
/* Writes the end of the archive; @out stays open. */
gboolean         vw_export_archive_finish (VwExportArchive  *self,
                                           GError          **error);
void             vw_export_archive_free   (VwExportArchive  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwExportArchive, vw_export_archive_free)

G_END_DECLS
