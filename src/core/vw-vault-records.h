/* vw-vault-records.h: a study's records (codebook section 5) read from,
 * imported into and exported from the vault, and the coordinator's
 * overrides of trajectory types.
 *
 * The mapping, the same one the interview view writes: participants and
 * their fixed values (participant_values); one interview per participant
 * and round whose status and date are the round's `status` and `date`,
 * and whose answers named like a round variable of the codebook
 * (residence, residence_since, participation, ...) are that round's
 * values; the episodes table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-records.h"
#include "vw-trajectory.h"
#include "vw-vault.h"

G_BEGIN_DECLS

/* What an import changed; all zero when the vault already held the rows. */
typedef struct
{
  guint participants_added;
  guint participants_changed;
  guint rounds_added;      /* rounds the study did not have yet */
  guint interviews_added;  /* rows of rounds.csv */
  guint interviews_changed;
  guint episodes_added;
} VwImportSummary;

VwRecords *vw_vault_load_records        (VwVault          *vault,
                                         const char       *study,
                                         GError          **error);
gboolean   vw_vault_import_records      (VwVault          *vault,
                                         const char       *study,
                                         VwRecords        *records,
                                         VwImportSummary  *summary,
                                         GError          **error);
gboolean   vw_vault_import_records_dir  (VwVault          *vault,
                                         const char       *study,
                                         const char       *dir,
                                         VwImportSummary  *summary,
                                         GError          **error);
gboolean   vw_vault_export_records      (VwVault          *vault,
                                         const char       *study,
                                         const char       *dir,
                                         GError          **error);

/* A coordinator's override of a derived trajectory type, per rule set,
 * with a reason; type, subtype and reason are encrypted. */
gboolean   vw_vault_set_trajectory_override    (VwVault          *vault,
                                                const char       *study,
                                                const char       *code,
                                                VwRuleSet         rules,
                                                const char       *type,
                                                const char       *subtype,
                                                const char       *reason,
                                                GError          **error);
gboolean   vw_vault_clear_trajectory_override  (VwVault          *vault,
                                                const char       *study,
                                                const char       *code,
                                                VwRuleSet         rules,
                                                GError          **error);
VwClassification *vw_vault_classify            (VwVault          *vault,
                                                const char       *study,
                                                VwRecords        *records,
                                                VwRuleSet         rules,
                                                const VwTrajectoryParams *params,
                                                GError          **error);

G_END_DECLS
