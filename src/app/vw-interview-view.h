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

/* "setup", "interview" or "review" (the notified property "page"). */
const char *vw_interview_view_get_page         (VwInterviewView  *self);
/* The window's Back: from the setup to the participant (::closed), from
 * the review to the questions. */
gboolean    vw_interview_view_can_go_back      (VwInterviewView  *self);
gboolean    vw_interview_view_go_back          (VwInterviewView  *self);
/* Nullable: the module shown on the interview page. */
const char *vw_interview_view_get_module       (VwInterviewView  *self);
gboolean    vw_interview_view_show_module      (VwInterviewView  *self,
                                                const char       *module);
/* Shows the question's module and focuses the question. */
gboolean    vw_interview_view_show_question    (VwInterviewView  *self,
                                                const char       *question);
/* Nullable: the widget of a question asked in this interview. */
GtkWidget  *vw_interview_view_get_question_widget (VwInterviewView *self,
                                                   const char      *question);
/* Whether skip logic asks the question now. */
gboolean    vw_interview_view_is_asked         (VwInterviewView  *self,
                                                const char       *question);

G_END_DECLS
