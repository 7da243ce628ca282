/* vw-handover-state.h: how the lists and pages say that a participant
 * was handed over and awaits the receiving laptop's receipt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-core.h"

G_BEGIN_DECLS

/* "Handed over to <label> on <date>, awaiting receipt", the date the local
 * day of @handover's writing, as YYYY-MM-DD. */
char *vw_handover_state_label (const VwHandover *handover);

G_END_DECLS
