/* vw-join-page.h: joining a study with the coordinator's invitation.
 *
 * Shown when the unlocked vault holds no study yet (a duo's laptop), and
 * from "Join a Study…" for a vault that has studies: this laptop's keys to
 * send to the coordinator, and the invitation file. Opening it shows the
 * study, the coordinator and the fingerprint of the key that signed it;
 * Join is enabled only once the person typed the fingerprint the
 * coordinator gave them and it is that key's. Typing it, rather than
 * ticking "I compared", is what makes people compare: a box is ticked
 * without looking, and one wrong digit in 30 is seen at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_JOIN_PAGE (vw_join_page_get_type ())
G_DECLARE_FINAL_TYPE (VwJoinPage, vw_join_page, VW, JOIN_PAGE, AdwBin)

/* @vault must stay unlocked while the page shows. */
gboolean    vw_join_page_set_vault  (VwJoinPage  *self,
                                     VwVault     *vault,
                                     GError     **error);
/* What the invitation chooser's response calls: opens @file and shows
 * who signed it, or shows the reason inline; writes nothing. Join then
 * emits "joined" with the study's id. */
gboolean    vw_join_page_open_file  (VwJoinPage  *self,
                                     GFile       *file);
/* The inline error, or %NULL; for tests. */
const char *vw_join_page_get_error  (VwJoinPage  *self);
/* The "This Laptop" group, for tests. */
GtkWidget  *vw_join_page_get_keys   (VwJoinPage  *self);

G_END_DECLS
