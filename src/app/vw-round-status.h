/* vw-round-status.h: the status of a participant in a round, as the
 * lists show it: a codebook `status` code, or "planned" / "in_progress"
 * for a round without a result yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vw-core.h"

G_BEGIN_DECLS

/* The non-responses a duo can record without an interview. */
extern const char * const vw_nonresponse_statuses[];

/* The statuses the participant list can filter on, NULL-terminated. */
extern const char * const vw_round_statuses[];

const char *vw_round_status_from_interview (const VwInterview *interview);
const char *vw_round_status_label          (const char        *status);
GtkWidget  *vw_round_status_badge_new      (const char        *round,
                                            const char        *status);

G_END_DECLS
