/* vw-prepare-round-dialog.h: the coordinator prepares a duo's next round:
 * the duo's laptop, the round, the participants assigned to it, then a
 * round preparation bundle saved for that laptop (vw-exchange.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_PREPARE_ROUND_DIALOG (vw_prepare_round_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwPrepareRoundDialog, vw_prepare_round_dialog, VW, PREPARE_ROUND_DIALOG, AdwWindow)

/* @vault must stay unlocked while the dialog is open. */
VwPrepareRoundDialog *vw_prepare_round_dialog_new        (GtkWindow            *parent,
                                                          VwVault              *vault,
                                                          const char           *study);
/* Writes the bundle to @file, as the save chooser does; the outcome shows
 * in the dialog. */
gboolean              vw_prepare_round_dialog_save_to    (VwPrepareRoundDialog *self,
                                                          GFile                *file);

/* The widgets, for tests. */
AdwComboRow          *vw_prepare_round_dialog_get_device_row   (VwPrepareRoundDialog *self);
AdwComboRow          *vw_prepare_round_dialog_get_round_row    (VwPrepareRoundDialog *self);
/* Rows are named after the participant's code. */
GtkListBox           *vw_prepare_round_dialog_get_participants (VwPrepareRoundDialog *self);
GtkLabel             *vw_prepare_round_dialog_get_status       (VwPrepareRoundDialog *self);

G_END_DECLS
