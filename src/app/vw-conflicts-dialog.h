/* vw-conflicts-dialog.h: the coordinator settles what merges left open:
 * conflicts (an answer or value two laptops changed differently, one
 * side chosen or another value entered) and possible duplicates (codes
 * with the same linkage identity, joined or kept apart).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_CONFLICTS_DIALOG (vw_conflicts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwConflictsDialog, vw_conflicts_dialog, VW, CONFLICTS_DIALOG, AdwWindow)

/* @vault must stay unlocked while the dialog is open. The dialog emits
 * "changed" (no arguments) after a decision changed the vault. Buttons
 * are named for tests: "choose:OBJECT:FIELD:DEVICE" for a conflict's
 * side, "other:OBJECT:FIELD" for the entry of another value,
 * "join:FIRSTCODE" and "apart:FIRSTCODE" for a group of duplicates; the
 * toggle of the resolved conflicts is "show-resolved". */
VwConflictsDialog *vw_conflicts_dialog_new    (GtkWindow         *parent,
                                               VwVault           *vault,
                                               const char        *study);
void               vw_conflicts_dialog_reload (VwConflictsDialog *self);

G_END_DECLS
