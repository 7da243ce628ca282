/* vw-followup-panel.h: the previous round's key answers and notes, beside
 * a follow-up interview so the duo can refer back to them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_FOLLOWUP_PANEL (vw_followup_panel_get_type ())
G_DECLARE_FINAL_TYPE (VwFollowupPanel, vw_followup_panel, VW, FOLLOWUP_PANEL, GtkBox)

GtkWidget *vw_followup_panel_new (VwVault         *vault,
                                  VwInterview     *previous,
                                  VwQuestionnaire *questionnaire,
                                  const char      *language);

G_END_DECLS
