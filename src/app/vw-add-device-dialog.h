/* vw-add-device-dialog.h: the coordinator enrols a duo's laptop in the
 * study: a label and the laptop's two public keys, typed or read from the
 * keys file that laptop saved ("Save Keys to File…", `veldwerk-cli keys`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_ADD_DEVICE_DIALOG (vw_add_device_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwAddDeviceDialog, vw_add_device_dialog, VW, ADD_DEVICE_DIALOG, AdwWindow)

/* The dialog emits "added" with the new device's id, then closes. */
VwAddDeviceDialog *vw_add_device_dialog_new       (GtkWindow         *parent,
                                                   VwVault           *vault,
                                                   const char        *study);
/* What the keys file chooser's response calls: fills in both keys, or
 * shows inline what is wrong with @file. */
gboolean           vw_add_device_dialog_load_keys (VwAddDeviceDialog *self,
                                                   GFile             *file);
/* The inline error, or %NULL; for tests. */
const char        *vw_add_device_dialog_get_error (VwAddDeviceDialog *self);

G_END_DECLS
