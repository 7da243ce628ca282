/* vw-enrol-dialog.h: enrols a participant: pseudonym (checked as you
 * type), region, municipality, birth year and contact details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_ENROL_DIALOG (vw_enrol_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwEnrolDialog, vw_enrol_dialog, VW, ENROL_DIALOG, AdwWindow)

GtkWidget *vw_enrol_dialog_new        (GtkWindow     *parent,
                                       VwVault       *vault,
                                       const char    *study);
/* Enrols with what the form holds, as the Enrol button does. */
gboolean   vw_enrol_dialog_enrol      (VwEnrolDialog *self);
gboolean   vw_enrol_dialog_can_enrol  (VwEnrolDialog *self);

G_END_DECLS
