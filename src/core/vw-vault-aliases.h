/* vw-vault-aliases.h: a coordinator's join of two codes of one person,
 * and its undo.
 *
 * A join makes the joined code an alias of the kept code. Both
 * participants keep their own rows; every reader of a study's records
 * (vw_vault_load_records(), and through it tables, trajectories, the
 * Results view, exports and reports) resolves codes through the aliases,
 * so that one participant remains. A split removes the alias and both
 * participants are as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

typedef struct
{
  char *alias;   /* the joined code */
  char *kept;    /* the code it stands for */
  char *reason;
  char *device;  /* the laptop that joined */
  char *joined;  /* when, ISO 8601 */
} VwAlias;

void        vw_alias_free                (VwAlias     *alias);

/* (transfer full) (element-type VwAlias): the study's aliases, by alias. */
GPtrArray  *vw_vault_list_aliases        (VwVault     *vault,
                                          const char  *study,
                                          GError     **error);
/* (transfer full): alias -> kept code, for every alias of @study. */
GHashTable *vw_vault_alias_map           (VwVault     *vault,
                                          const char  *study,
                                          GError     **error);
/* The code @code stands for: its kept code when it is an alias, else
 * @code itself. */
char       *vw_vault_resolve_code        (VwVault     *vault,
                                          const char  *study,
                                          const char  *code,
                                          GError     **error);

/* On the coordinator's laptop: @joined becomes an alias of @kept. Both
 * must be participants of @study, neither may be an alias, and @joined
 * may not be kept for another code (no chains, no cycles). Where both
 * codes hold the same cell (an answer of the same round, a participant's
 * value) with different values, a conflict is opened on the kept code's
 * cell. Audited as `participants_joined`. */
gboolean    vw_vault_join_participants   (VwVault     *vault,
                                          const char  *study,
                                          const char  *kept,
                                          const char  *joined,
                                          const char  *reason,
                                          GError     **error);
/* The same inside the caller's transaction. */
gboolean    vw_vault_join_in_tx          (VwVault     *vault,
                                          const char  *study,
                                          const char  *kept,
                                          const char  *joined,
                                          const char  *reason,
                                          GError     **error);
/* Undoes the join of @joined into @kept: @reason is required. The
 * conflicts the join opened and that are still open are closed; both
 * participants show their own rows again. Audited as
 * `participants_split`. */
gboolean    vw_vault_split_participants  (VwVault     *vault,
                                          const char  *study,
                                          const char  *kept,
                                          const char  *joined,
                                          const char  *reason,
                                          GError     **error);

/* What a join cannot settle as a cell conflict, in words, for
 * `conflicts` and the Conflicts dialog: a round whose status or date
 * differs under the two codes, and residence episodes of the joined code
 * that overlap the kept code's (they stay in the vault and out of the
 * records until one is corrected). (transfer full) (element-type utf8) */
GPtrArray  *vw_vault_join_differences    (VwVault     *vault,
                                          const char  *study,
                                          GError     **error);


/* For the merge of a round preparation (vw-merge.c), inside its
 * transaction: the coordinator's alias of @alias to @kept, made by
 * @device at @joined. Ignored (0) when this laptop does not hold @alias
 * or holds the alias already; 1 when stored; -1 with @error when it
 * contradicts this laptop's aliases (a chain, a cycle, another kept code)
 * or @kept is not a participant here. */
int         vw_vault_alias_received      (VwVault     *vault,
                                          const char  *study,
                                          const char  *alias,
                                          const char  *kept,
                                          const char  *device,
                                          const char  *joined,
                                          GError     **error);

/* For vw-vault-records.c: whether an episode of a joined code is united
 * with the kept code's @kept_episodes (element-type VwEpisode, those
 * already taken): 1 taken, 0 the same as one taken (one), -1 overlapping
 * one (flagged, left out of the records). */
int         vw_alias_episode_fits        (GPtrArray       *kept_episodes,
                                          const VwEpisode *episode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAlias, vw_alias_free)

G_END_DECLS
