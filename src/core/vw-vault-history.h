/* vw-vault-history.h: residence histories (lists of stays), their checks
 * and how an interview's answer is mirrored into the episodes table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

/* One stay of a residence_history answer. */
typedef struct
{
  char *residence; /* codebook residence code */
  char *start;     /* YYYY-MM */
  char *end;       /* nullable: still there */
} VwHistoryStay;

VwHistoryStay     *vw_history_stay_new                      (const char  *residence,
                                              const char  *start,
                                              const char  *end);
void        vw_history_stay_free                     (VwHistoryStay      *stay);

/* Parses a residence_history answer (see data/questionnaires/README.md);
 * the empty string gives an empty array. */
GPtrArray  *vw_history_parse                   (const char  *value,
                                              GError     **error);
/* The answer encoding of @stays, in their order. */
char       *vw_history_to_json                 (GPtrArray   *stays);
/* Fails with VW_VAULT_ERROR_INVALID and a plain sentence when a stay has
 * an unknown code or a bad month, ends before it starts, overlaps another
 * one, or when more than one stay goes on. Months between stays are not an
 * error: @gaps (nullable) then gets a sentence naming them, else NULL. */
gboolean    vw_history_check                   (GPtrArray   *stays,
                                              char       **gaps,
                                              GError     **error);

/* Saves @value as the answer to @question and replaces the episodes
 * recorded in @interview by its stays, in one transaction: either both
 * change or nothing does. */
gboolean    vw_vault_save_residence_history  (VwVault     *self,
                                              const char  *interview,
                                              const char  *question,
                                              const char  *value,
                                              GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwHistoryStay, vw_history_stay_free)

G_END_DECLS
