/* vw-exchange-validate.h: every exchange row checked before a merge
 * writes it, with the validators of vw-validate.h: the same verdict as
 * the import and the application's fields give the same value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

typedef struct _VwRowValidator VwRowValidator;

/* For the rows merged into @study of @vault; what it needs from the vault
 * (regions, rounds, questionnaires) is read at the first row. */
VwRowValidator *vw_row_validator_new    (VwVault            *vault,
                                         const char         *study);
void            vw_row_validator_free   (VwRowValidator     *self);
/* @fields: as vw_rows_split() made them, as many as the row type has.
 * Returns: FALSE with VW_EXCHANGE_ERROR_FORMAT and a message that names
 *   the field and what is wrong with it */
gboolean        vw_exchange_validate_row (VwRowValidator    *self,
                                          char               type,
                                          char * const      *fields,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwRowValidator, vw_row_validator_free)

G_END_DECLS
