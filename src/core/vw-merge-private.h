/* vw-merge-private.h: what the merge (vw-merge.c) and its versions of
 * records (vw-merge-versions.c) share.
 *
 * Every record that travels (a cell: an answer, a participant's value, a
 * note; a whole record: a participant, an interview, a quote, an episode,
 * a consent) is merged by one rule, in vw_merge_version(): versions are
 * compared only between versions of the same device, and a version of
 * another device that differs is a conflict, never an overwrite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-exchange.h"
#include "vw-exchange-validate.h"
#include "vw-vault-private.h"

G_BEGIN_DECLS

typedef struct
{
  VwVault       *vault;
  const char    *study;
  VwBundleKind   kind;
  char           signer[65];       /* the bundle's verified signing key, hex */
  char          *author;           /* owned: this laptop's id of the signer's device, the author of every row */
  char          *sender;           /* owned, nullable: the id the `S` row named, once read */
  VwMergeReport *report;
  GHashTable    *interview_rounds; /* owned: interview id -> round */
  GHashTable    *fresh;            /* owned: interviews the current bundle added, so without answers here */
  char          *now;              /* owned */
  VwRowValidator *validator;       /* owned: every row is checked before it is applied */
} Merge;

/* One version of a record: @value is a cell's value, or a whole record's
 * fields (vw_merge_content_join()). */
typedef struct
{
  char   *value;
  gint64  revision;
  char   *updated;
  char   *device; /* never NULL: "" when unknown (rows from before schema 6) */
} Version;

void vw_merge_version_clear (Version *v);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Version, vw_merge_version_clear)

GPtrArray *vw_merge_exact_duplicates (VwVault     *vault,
                                      const char  *study,
                                      GError     **error);
/* vw-linkage-candidates.c */
GBytes    *vw_linkage_pair_key       (const char  *codes);
int        vw_linkage_proposed_pair  (VwVault            *vault,
                                      const char         *study,
                                      const char * const *sorted,
                                      GError            **error);

typedef struct _Target Target;

/* 1 with @out filled, 0 when the row does not exist, -1 on error. */
typedef int      (*TargetReadFunc)  (Merge         *m,
                                     const Target  *t,
                                     Version       *out,
                                     GError       **error);
typedef gboolean (*TargetWriteFunc) (Merge         *m,
                                     const Target  *t,
                                     const Version *v,
                                     gboolean       exists,
                                     GError       **error);

/* Where a record lives and how it is read and written. */
struct _Target
{
  const char      *kind;    /* as conflicts.kind */
  const char      *object;  /* the record's key, as conflicts.object */
  const char      *field;   /* a cell's field; "" for a whole record */
  const char      *round;   /* nullable: the round whose key seals its values */
  const guint8    *key;     /* the key that seals its values */
  const char      *ids[4];  /* the row's key columns */
  const char      *link;    /* episodes: the interview a new one was recorded in */
  TargetReadFunc   read;
  TargetWriteFunc  write;
  char            *owned;   /* what the pointers above may point into */
};

void        vw_merge_target_clear     (Target        *t);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, vw_merge_target_clear)

gboolean    vw_merge_target_answer    (Merge         *m,
                                       Target        *t,
                                       const char    *interview,
                                       const char    *question,
                                       GError       **error);
gboolean    vw_merge_target_value     (Merge         *m,
                                       Target        *t,
                                       const char    *code,
                                       const char    *variable,
                                       GError       **error);
gboolean    vw_merge_target_note      (Merge         *m,
                                       Target        *t,
                                       const char    *interview,
                                       const char    *question,
                                       GError       **error);
gboolean    vw_merge_target_participant (Merge       *m,
                                         Target      *t,
                                         const char  *code,
                                         GError     **error);
gboolean    vw_merge_target_interview (Merge         *m,
                                       Target        *t,
                                       const char    *id,
                                       const char    *code,
                                       const char    *round,
                                       GError       **error);
gboolean    vw_merge_target_quote     (Merge         *m,
                                       Target        *t,
                                       const char    *id,
                                       const char    *code,
                                       const char    *round,
                                       GError       **error);
gboolean    vw_merge_target_episode   (Merge         *m,
                                       Target        *t,
                                       const char    *id,
                                       const char    *code,
                                       const char    *link,
                                       GError       **error);
gboolean    vw_merge_target_consent   (Merge         *m,
                                       Target        *t,
                                       const char    *code,
                                       const char    *round,
                                       const char    *purpose,
                                       GError       **error);
/* The record a conflict is about, from what this laptop holds. */
gboolean    vw_merge_target_for       (Merge         *m,
                                       Target        *t,
                                       const char    *kind,
                                       const char    *object,
                                       const char    *field,
                                       GError       **error);

/* Merges @v (made by v->device) into @t by the rules of README-bundles.md,
 * "Merging", and counts it in the report. */
gboolean    vw_merge_version          (Merge         *m,
                                       const Target  *t,
                                       const Version *v,
                                       GError       **error);
/* Opens a conflict between @kept (the stored cell of @t) and @joined,
 * the joined code's value of the same cell (vw-vault-aliases.c). */
gboolean    vw_merge_conflict_join    (Merge         *m,
                                       const Target  *t,
                                       const Version *kept,
                                       const Version *joined,
                                       GError       **error);
/* Settles @t's open conflict with @content, made now by this laptop. */
gboolean    vw_merge_settle           (Merge         *m,
                                       const Target  *t,
                                       const char    *content,
                                       GError       **error);

/* A cell that cannot exist yet (its interview came with this bundle): 1
 * when inserted, 0 when it was there after all, -1 on error. */
int         vw_merge_insert_new_answer (Merge         *m,
                                        const Target  *t,
                                        const Version *v,
                                        GError       **error);

const char *vw_merge_interview_round  (Merge         *m,
                                       const char    *interview,
                                       GError       **error);

/* A whole record's fields as one value, escaped as in the rows; and back
 * (@fields point into *@buffer, which the caller wipes and frees). */
char       *vw_merge_content_join     (guint               n_fields,
                                       const char * const *fields);
gboolean    vw_merge_content_split    (const char         *content,
                                       guint               n_fields,
                                       char              **buffer,
                                       char              **fields);

G_END_DECLS
