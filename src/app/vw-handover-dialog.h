/* vw-handover-dialog.h: a duo hands participants over to another duo's
 * laptop: the receiving laptop, the participants (searchable, checked),
 * optionally their removal from this laptop once the bundle is saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_HANDOVER_DIALOG (vw_handover_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwHandoverDialog, vw_handover_dialog, VW, HANDOVER_DIALOG, AdwWindow)

/* @code: (nullable): a participant to check from the start. @vault must
 * stay unlocked while the dialog is open. The dialog emits "handed-over"
 * (no arguments) after a handover was saved, and participants may have
 * left this laptop. */
VwHandoverDialog *vw_handover_dialog_new     (GtkWindow        *parent,
                                              VwVault          *vault,
                                              const char       *study,
                                              const char       *code);
/* What the save chooser's response does. With removal switched on, it
 * first asks for confirmation (see vw_handover_dialog_get_confirmation()). */
void              vw_handover_dialog_save_to (VwHandoverDialog *self,
                                              GFile            *file);
/* The open confirmation dialog (borrowed), or %NULL; for tests. */
AdwMessageDialog *vw_handover_dialog_get_confirmation (VwHandoverDialog *self);

G_END_DECLS
