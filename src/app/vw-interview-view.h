/* vw-interview-view.h: one interview, from the duo and consent to the
 * review page. The window pushes it for a participant and a round and
 * drops it when it emits ::closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_INTERVIEW_VIEW (vw_interview_view_get_type ())
G_DECLARE_FINAL_TYPE (VwInterviewView, vw_interview_view, VW, INTERVIEW_VIEW, AdwBin)

/* Starts (after choosing the duo and recording consent) or resumes the
 * interview of @code in @round. Emits ::closed (no arguments) when the
 * duo pauses or finishes. */
GtkWidget  *vw_interview_view_new              (VwVault          *vault,
                                                const char       *study,
                                                const char       *code,
                                                const char       *round);
/* Stores what is typed but not yet saved (the window calls it before it
 * locks the vault). */
gboolean    vw_interview_view_flush            (VwInterviewView  *self,
                                                GError          **error);
/* Nullable: NULL until the interview has been started. */
const char *vw_interview_view_get_interview_id (VwInterviewView  *self);

G_END_DECLS
