/* vw-demo.h: the throw-away demo study that `veldwerk --demo` opens.
 *
 * Twelve fictitious participants over three rounds with varied
 * trajectories, a few non-responses and quotes, so that every page of the
 * application has something to show. No GTK: tests and tools use it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

/* Shown on the unlock page of the demo; it protects nothing real. */
#define VW_DEMO_PASSPHRASE "oefenen met veldwerk"
#define VW_DEMO_N_PARTICIPANTS 12
#define VW_DEMO_N_ROUNDS 3

VwVault  *vw_demo_create (const char    *path,
                          GCancellable  *cancellable,
                          GError       **error);
gboolean  vw_demo_fill   (VwVault       *vault,
                          const char    *study,
                          GError       **error);

G_END_DECLS
