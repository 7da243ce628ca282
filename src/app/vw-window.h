/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vw-application.h"

G_BEGIN_DECLS

#define VW_TYPE_WINDOW (vw_window_get_type ())

G_DECLARE_FINAL_TYPE (VwWindow, vw_window, VW, WINDOW, AdwApplicationWindow)

VwWindow   *vw_window_new          (VwApplication *application);
const char *vw_window_get_page     (VwWindow      *self);

G_END_DECLS
