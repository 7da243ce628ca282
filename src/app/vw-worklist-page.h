/* vw-worklist-page.h: the round worklist (tracing): who is due
 * in a round, their attempts so far, the next appointment, with filters
 * and "Add attempt" per participant.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_WORKLIST_PAGE (vw_worklist_page_get_type ())
G_DECLARE_FINAL_TYPE (VwWorklistPage, vw_worklist_page, VW, WORKLIST_PAGE, AdwBin)

typedef enum {
  VW_WORKLIST_PAGE_ALL,
  VW_WORKLIST_PAGE_NOT_TRIED,
  VW_WORKLIST_PAGE_TRIED_THREE,
  VW_WORKLIST_PAGE_APPOINTMENT_WEEK,
} VwWorklistPageFilter;

void     vw_worklist_page_reload        (VwWorklistPage       *self,
                                         VwVault              *vault,
                                         const char           *study);
/* @round: (nullable): the latest round when %NULL. @today: (nullable): for tests. */
void     vw_worklist_page_set_filter    (VwWorklistPage       *self,
                                         const char           *round,
                                         VwWorklistPageFilter  filter);
void     vw_worklist_page_set_today     (VwWorklistPage       *self,
                                         const char           *today);
guint    vw_worklist_page_count_rows    (VwWorklistPage       *self);
/* The codes shown, in order, space-separated (transfer full). */
char    *vw_worklist_page_shown_codes   (VwWorklistPage       *self);

G_END_DECLS
