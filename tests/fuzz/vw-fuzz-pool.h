/* vw-fuzz-pool.h: one input of the pool's fuzz target (see
 * vw-fuzz-pool.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void vw_fuzz_pool_one_input (const guint8 *data,
                             gsize         size);

G_END_DECLS
