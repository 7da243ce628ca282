/* vw-process.h: what every Veldwerk program does first thing in main().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-secret.h"

G_BEGIN_DECLS

gboolean  vw_process_harden         (GError     **error);
VwSecret *vw_process_get_env_secret (const char  *name);

G_END_DECLS
