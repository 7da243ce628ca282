/* vw-vault-validate.h: what the validators of vw-validate.h need to know
 * about a vault (the study's regions, a round's fieldwork window, the
 * questionnaire an interview follows), for the vault's own write
 * functions, the import and the merge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-questionnaire.h"
#include "vw-vault.h"

G_BEGIN_DECLS

/* Moves a validator's error into VW_VAULT_ERROR_INVALID, with its
 * message; returns FALSE. */
gboolean         vw_vault_invalid                     (GError          *local,
                                                       GError         **error);
/* A questionnaire the vault holds, loaded once per process and shared.
 * Returns: (transfer full) (nullable): %NULL without an error when the
 *   vault does not hold it */
VwQuestionnaire *vw_vault_load_questionnaire          (VwVault         *self,
                                                       const char      *id,
                                                       const char      *version,
                                                       GError         **error);
VwQuestionnaire *vw_vault_load_study_questionnaire    (VwVault         *self,
                                                       const char      *study,
                                                       GError         **error);
/* The checks of vw-validate.h with the vault's context; each fails with
 * VW_VAULT_ERROR_INVALID and the validator's message. */
gboolean         vw_vault_validate_answer             (VwVault         *self,
                                                       const char      *interview,
                                                       const char      *question,
                                                       const char      *value,
                                                       GError         **error);
gboolean         vw_vault_validate_participant_value  (VwVault         *self,
                                                       const char      *study,
                                                       const char      *variable,
                                                       const char      *value,
                                                       GError         **error);
/* @status: (nullable): a date of an interview held (status interviewed,
 *   or none yet) lies in its round's fieldwork window */
gboolean         vw_vault_validate_interview_date     (VwVault         *self,
                                                       const char      *study,
                                                       const char      *round,
                                                       const char      *status,
                                                       const char      *date,
                                                       GError         **error);
/* vw_validate_fieldwork() in the vault's error domain. */
gboolean         vw_vault_check_fieldwork             (const char      *round,
                                                       const char      *start,
                                                       const char      *end,
                                                       GError         **error);
/* The fieldwork window of @round in @study, as stored (both nullable).
 * Returns: FALSE with NOT_FOUND when there is no such round */
gboolean         vw_vault_get_fieldwork               (VwVault         *self,
                                                       const char      *study,
                                                       const char      *round,
                                                       char           **start,
                                                       char           **end,
                                                       GError         **error);

G_END_DECLS
