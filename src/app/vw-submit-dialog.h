/* vw-submit-dialog.h: a duo's submission to the coordinator: what will be
 * sent (counts, the last submission), only what is new or everything,
 * then a file chosen to save the signed, encrypted bundle to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_SUBMIT_DIALOG (vw_submit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwSubmitDialog, vw_submit_dialog, VW, SUBMIT_DIALOG, AdwWindow)

/* @vault must stay unlocked while the dialog is open. The dialog emits
 * "submitted" (no arguments) after a submission was written. */
VwSubmitDialog *vw_submit_dialog_new       (GtkWindow      *parent,
                                            VwVault        *vault,
                                            const char     *study);
/* What the save chooser's response does: writes the submission to @file
 * off the main thread. */
void            vw_submit_dialog_save_to   (VwSubmitDialog *self,
                                            GFile          *file);
/* The file name the save chooser suggests. */
char           *vw_submit_dialog_suggest_name (VwSubmitDialog *self);

G_END_DECLS
