/* vw-create-vault-page.h: first run, making a vault: study, passphrase
 * twice with a strength hint, then the recovery code shown once with a
 * step that makes the user confirm they wrote it down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_CREATE_VAULT_PAGE (vw_create_vault_page_get_type ())
G_DECLARE_FINAL_TYPE (VwCreateVaultPage, vw_create_vault_page, VW, CREATE_VAULT_PAGE, AdwBin)

/* Starts again with an empty form that makes a vault at @path. */
void        vw_create_vault_page_reset         (VwCreateVaultPage *self,
                                                const char        *path);
/* Nullable: the recovery code while the confirmation step shows it (tests). */
const char *vw_create_vault_page_get_recovery_code (VwCreateVaultPage *self);
/* 0 weak .. 3 strong: what the strength hint shows for @passphrase. */
int         vw_create_vault_page_rate_passphrase   (const char        *passphrase);

G_END_DECLS
