/* vw-device-keys-group.h: this laptop's public keys (the age recipient and
 * the signing key), each with a Copy button, and "Save keys to file…"
 * writing exactly what `veldwerk-cli keys` prints, the file the
 * coordinator's "Add laptop" and `study add-device --keys` read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_DEVICE_KEYS_GROUP (vw_device_keys_group_get_type ())
G_DECLARE_FINAL_TYPE (VwDeviceKeysGroup, vw_device_keys_group, VW, DEVICE_KEYS_GROUP, AdwPreferencesGroup)

/* Shows the keys of @vault (unlocked); %NULL clears them. */
gboolean   vw_device_keys_group_set_vault   (VwDeviceKeysGroup  *self,
                                             VwVault            *vault,
                                             GError            **error);
/* What the save chooser's response calls. */
gboolean   vw_device_keys_group_save        (VwDeviceKeysGroup  *self,
                                             GFile              *file,
                                             GError            **error);

G_END_DECLS
