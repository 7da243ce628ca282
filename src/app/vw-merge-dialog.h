/* vw-merge-dialog.h: the coordinator's merge of bundles from other
 * laptops: files chosen or dropped, merged off the main thread with a
 * progress bar, then the report (counts, conflicts, possible duplicates,
 * replays) as a list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_MERGE_DIALOG (vw_merge_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwMergeDialog, vw_merge_dialog, VW, MERGE_DIALOG, AdwWindow)

/* @vault must stay unlocked while the dialog is open. The dialog emits
 * "merged" (no arguments) after a merge changed the vault. */
VwMergeDialog *vw_merge_dialog_new      (GtkWindow     *parent,
                                         VwVault       *vault,
                                         const char    *study);
void           vw_merge_dialog_add_file (VwMergeDialog *self,
                                         GFile         *file);
/* The list of report rows, for tests. */
GtkListBox    *vw_merge_dialog_get_report (VwMergeDialog *self);
/* Writes the receipt of @handover, a handover this merge met, to @file (as
 * the save chooser of its row does) and says so in its row. */
void           vw_merge_dialog_save_receipt (VwMergeDialog *self,
                                             const char    *handover,
                                             GFile         *file);

G_END_DECLS
