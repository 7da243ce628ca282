/* vw-interviewers-dialog.h: the vault's list of interviewers (name, role,
 * training date), from which the duo of an interview is chosen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_INTERVIEWERS_DIALOG (vw_interviewers_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwInterviewersDialog, vw_interviewers_dialog, VW, INTERVIEWERS_DIALOG, AdwWindow)

GtkWidget *vw_interviewers_dialog_new (GtkWindow            *parent,
                                       VwVault              *vault);
/* Adds an interviewer with what the form holds, as the Add button does. */
gboolean   vw_interviewers_dialog_add (VwInterviewersDialog *self,
                                       const char           *name,
                                       VwInterviewerRole     role,
                                       const char           *training_date);

G_END_DECLS
