/* vw-study-page.h: the Study tab of the main page.
 *
 * The study's overview (name, id, role, regions, questionnaire, rounds),
 * this laptop's keys, and what the role does next: a duo submits, hands
 * over and opens bundles; a coordinator edits the setup (name, regions,
 * rounds, recipients), enrols and revokes laptops, writes invitations and
 * reaches the round preparation, conflicts and merge. Every change is one
 * transaction in the vault; an invalid value is shown inline, naming the
 * field, and nothing is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_STUDY_PAGE (vw_study_page_get_type ())
G_DECLARE_FINAL_TYPE (VwStudyPage, vw_study_page, VW, STUDY_PAGE, AdwBin)

/* Shows @study of @vault (unlocked). The page emits "study-selected" with
 * a study id when the user picks another study of the vault, and
 * "changed" after it changed the study's definition. */
gboolean    vw_study_page_load              (VwStudyPage  *self,
                                             VwVault      *vault,
                                             const char   *study,
                                             GError      **error);
/* What the invitation chooser's response calls. */
gboolean    vw_study_page_write_invitation  (VwStudyPage  *self,
                                             const char   *device,
                                             GFile        *file);
/* The inline error of the group titled @group, or %NULL; for tests. */
const char *vw_study_page_get_error         (VwStudyPage  *self);

G_END_DECLS
