/* vw-reopen-dialog.h: opening a finished interview again, with the reason
 * the audit trail keeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_REOPEN_DIALOG (vw_reopen_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwReopenDialog, vw_reopen_dialog, VW, REOPEN_DIALOG, AdwMessageDialog)

/* Emits ::reopened (the round) once the vault has reopened the interview. */
GtkWidget   *vw_reopen_dialog_new        (GtkWindow      *parent,
                                          VwVault        *vault,
                                          const char     *interview,
                                          const char     *round);
AdwEntryRow *vw_reopen_dialog_get_reason (VwReopenDialog *self);

G_END_DECLS
