/* vw-nonresponse-dialog.h: records a round's non-response (declined,
 * unreachable, deceased, admitted, withdrawn) with a date and an optional
 * reason, without an interview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_NONRESPONSE_DIALOG (vw_nonresponse_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwNonresponseDialog, vw_nonresponse_dialog, VW, NONRESPONSE_DIALOG, AdwWindow)

GtkWidget *vw_nonresponse_dialog_new    (GtkWindow           *parent,
                                         VwVault             *vault,
                                         const char          *study,
                                         const char          *code,
                                         const char          *round);
/* Fills the form as a user would (tests); @status is a codebook code. */
void       vw_nonresponse_dialog_fill   (VwNonresponseDialog *self,
                                         const char          *status,
                                         const char          *date,
                                         const char          *reason);
gboolean   vw_nonresponse_dialog_save   (VwNonresponseDialog *self);

G_END_DECLS
