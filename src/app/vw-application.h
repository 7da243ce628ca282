/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VW_TYPE_APPLICATION (vw_application_get_type ())

G_DECLARE_FINAL_TYPE (VwApplication, vw_application, VW, APPLICATION, AdwApplication)

VwApplication *vw_application_new      (void);
gboolean       vw_application_get_demo (VwApplication *self);

G_END_DECLS
