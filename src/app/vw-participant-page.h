/* vw-participant-page.h: one participant: rounds with their status,
 * start or resume the interview, record a non-response, and the quotes.
 * A participant handed over and awaiting its receipt is shown read-only,
 * with the handover and a way to cancel it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_PARTICIPANT_PAGE (vw_participant_page_get_type ())
G_DECLARE_FINAL_TYPE (VwParticipantPage, vw_participant_page, VW, PARTICIPANT_PAGE, AdwBin)

gboolean    vw_participant_page_load                 (VwParticipantPage *self,
                                                      VwVault           *vault,
                                                      const char        *study,
                                                      const char        *code,
                                                      GError           **error);
const char *vw_participant_page_get_code             (VwParticipantPage *self);
/* Opens the non-response dialog for @round and returns it (borrowed). */
GtkWidget  *vw_participant_page_record_nonresponse   (VwParticipantPage *self,
                                                      const char        *round);
/* Asks the reason, then reopens the finished interview of @round and
 * emits ::start-interview; returns the dialog (borrowed). */
GtkWidget  *vw_participant_page_reopen               (VwParticipantPage *self,
                                                      const char        *round);
/* Asks whether to cancel the handover the participant awaits a receipt
 * for, and returns the question (borrowed), or %NULL when there is none. */
AdwMessageDialog *vw_participant_page_cancel_handover (VwParticipantPage *self);

G_END_DECLS
