/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vw-application.h"
#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_WINDOW (vw_window_get_type ())

G_DECLARE_FINAL_TYPE (VwWindow, vw_window, VW, WINDOW, AdwApplicationWindow)

VwWindow   *vw_window_new                (VwApplication *application);
const char *vw_window_get_page           (VwWindow      *self);
/* The widget of a page by name: start, create, busy, unlock, main,
 * join, participants, results, study, participant, interview (borrowed). */
GtkWidget  *vw_window_get_page_widget    (VwWindow      *self,
                                          const char    *name);
/* Borrowed; NULL until a vault is opened. */
VwVault    *vw_window_get_vault          (VwWindow      *self);
const char *vw_window_get_study          (VwWindow      *self);
/* Shows @vault, already unlocked, as after creating it: its latest study,
 * or the Join page when it holds none. */
void        vw_window_take_vault         (VwWindow      *self,
                                          VwVault       *vault);
/* Flushes the interview, wipes the keys and shows the lock page. */
void        vw_window_lock               (VwWindow      *self);
void        vw_window_show_participant   (VwWindow      *self,
                                          const char    *code);
/* Locks when the user has been idle for auto-lock-minutes at @now
 * (monotonic microseconds); returns whether it locked. */
gboolean    vw_window_check_idle         (VwWindow      *self,
                                          gint64         now);

G_END_DECLS
