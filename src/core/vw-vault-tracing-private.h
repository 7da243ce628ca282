/* vw-vault-tracing-private.h: what the submission writer and the merge
 * need of the tracing records: the per-round summary of attempts (count
 * and outcome codes) and nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

typedef struct
{
  char   *round;
  guint   count;
  char   *outcomes; /* comma-separated codes, in date order; "" for none */
  gint64  seq;      /* the change sequence of the round's last change */
} VwAttemptTally;

void       vw_attempt_tally_free          (VwAttemptTally *tally);

/* The summaries of a participant's rounds (only @only_round if set). */
GPtrArray *vw_vault_list_attempt_tallies  (VwVault     *self,
                                           const char  *study,
                                           const char  *code,
                                           const char  *only_round,
                                           GError     **error);
/* Stores a summary merged from @device's submission unless one with an
 * equal or later @seq is stored; @stored says whether it was. */
gboolean   vw_vault_store_attempt_summary (VwVault     *self,
                                           const char  *study,
                                           const char  *code,
                                           const char  *round,
                                           const char  *device,
                                           int          count,
                                           const char  *outcomes,
                                           gint64       seq,
                                           gboolean    *stored,
                                           GError     **error);

G_END_DECLS
