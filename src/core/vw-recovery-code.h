/* vw-recovery-code.h: the recovery code shown once when a vault is made.
 *
 * 7 groups of 5 Crockford base32 characters: 4 random characters and a
 * check character per group (28 x 5 = 140 random bits). The check
 * character names the group that holds a typo. Input is read without
 * regard to case, spaces or dashes, and I/L/O are read as 1/1/0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-secret.h"

G_BEGIN_DECLS

#define VW_RECOVERY_CODE_GROUPS      7
#define VW_RECOVERY_CODE_GROUP_LEN   5
/* What vw_recovery_code_parse() returns: the random characters only. */
#define VW_RECOVERY_CODE_DATA_LEN    (VW_RECOVERY_CODE_GROUPS * (VW_RECOVERY_CODE_GROUP_LEN - 1))

VwSecret *vw_recovery_code_generate (void);
VwSecret *vw_recovery_code_parse    (const VwSecret  *input,
                                     GError         **error);

G_END_DECLS
