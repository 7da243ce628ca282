/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean     vw_core_init    (GError **error);
const char  *vw_core_version (void);

G_END_DECLS
