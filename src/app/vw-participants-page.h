/* vw-participants-page.h: the participants of the current study, with a
 * search and filters by round and status, and the enrol button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_PARTICIPANTS_PAGE (vw_participants_page_get_type ())
G_DECLARE_FINAL_TYPE (VwParticipantsPage, vw_participants_page, VW, PARTICIPANTS_PAGE, AdwBin)

void     vw_participants_page_reload         (VwParticipantsPage *self,
                                              VwVault            *vault,
                                              const char         *study);
/* Index 0 is "all rounds" / "any status". */
void     vw_participants_page_set_filter     (VwParticipantsPage *self,
                                              const char         *round,
                                              const char         *status,
                                              const char         *search);
guint    vw_participants_page_count_visible  (VwParticipantsPage *self);
void     vw_participants_page_enrol          (VwParticipantsPage *self);

G_END_DECLS
