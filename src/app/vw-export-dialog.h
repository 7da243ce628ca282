/* vw-export-dialog.h: the anonymized export of a study, for the
 * coordinator: options, disclosure control and the package, written on a
 * worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_EXPORT_DIALOG (vw_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwExportDialog, vw_export_dialog, VW, EXPORT_DIALOG, AdwWindow)

/* @vault must be unlocked; the dialog takes the study's export key, its
 * quotes and open answers from it when the user exports. */
GtkWidget  *vw_export_dialog_new             (GtkWindow      *parent,
                                              VwVault        *vault,
                                              const char     *study,
                                              VwRecords      *records);
void        vw_export_dialog_set_destination (VwExportDialog *self,
                                              const char     *folder,
                                              const char     *name);
/* "options", "running" or "done". */
const char *vw_export_dialog_get_page        (VwExportDialog *self);
const char *vw_export_dialog_get_report      (VwExportDialog *self);

G_END_DECLS
