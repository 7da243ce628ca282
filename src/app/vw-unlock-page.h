/* vw-unlock-page.h: asks for the passphrase (or the recovery code) of a
 * locked vault and unlocks it off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_UNLOCK_PAGE (vw_unlock_page_get_type ())
G_DECLARE_FINAL_TYPE (VwUnlockPage, vw_unlock_page, VW, UNLOCK_PAGE, AdwBin)

/* @demo_passphrase: nullable; shown on the page for the demo study. */
void        vw_unlock_page_set_vault  (VwUnlockPage *self,
                                       VwVault      *vault,
                                       const char   *demo_passphrase);
/* Nullable: the message of the last failed attempt, for tests. */
const char *vw_unlock_page_get_error  (VwUnlockPage *self);
gboolean    vw_unlock_page_get_busy   (VwUnlockPage *self);

G_END_DECLS
