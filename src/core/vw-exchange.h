/* vw-exchange.h: the records laptops send each other, and the merge.
 *
 * Submissions (duo -> coordinator), round preparations (coordinator ->
 * duo) and handovers (duo -> duo) all carry the same row format (see
 * README-bundles.md, "Exchange rows"): one line per record, each sent as
 * the signing laptop's own, with its revision in that laptop's change
 * sequence so that the receiver can tell that laptop's newer version from
 * an older one. vw_exchange_merge() applies any number of such bundles in
 * one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-bundle.h"
#include "vw-vault.h"

G_BEGIN_DECLS

#define VW_EXCHANGE_ERROR (vw_exchange_error_quark ())

typedef enum {
  VW_EXCHANGE_ERROR_FAILED,
  VW_EXCHANGE_ERROR_FORMAT,      /* a row that cannot be read: names bundle, line and field */
  VW_EXCHANGE_ERROR_NOT_ALLOWED, /* a kind this laptop does not accept, or contacts in a submission */
  VW_EXCHANGE_ERROR_CLASH,       /* the rows contradict this vault (pseudonym taken, two interviews) */
} VwExchangeError;

GQuark vw_exchange_error_quark (void);

/* Format version of the rows, first line of every content. */
#define VW_EXCHANGE_ROWS_MAGIC "veldwerk-rows 1"

gboolean    vw_exchange_write_submission        (VwVault             *vault,
                                                 const char          *study,
                                                 const char          *path,
                                                 gboolean             everything,
                                                 char               **bundle_id,
                                                 GError             **error);
/* What a submission would carry now, for the duo to see before sending
 * (counted in SQL: fast, no value decrypted). */
typedef struct
{
  char  *last_submission; /* nullable: never submitted; UTC, YYYY-MM-DDTHH:MM:SSZ */
  guint  participants;    /* every participant goes, changed or not */
  guint  interviews;      /* every interview goes, changed or not */
  guint  answers;         /* with @everything %FALSE: only those changed since */
} VwSubmissionSummary;

void                 vw_submission_summary_free     (VwSubmissionSummary *summary);
VwSubmissionSummary *vw_exchange_submission_summary (VwVault             *vault,
                                                     const char          *study,
                                                     gboolean             everything,
                                                     GError             **error);
/* vw_exchange_write_submission() in a worker on its own connection to
 * @vault's file (as vw_exchange_merge_async()); the finish function
 * returns the bundle id. @vault must stay unlocked until the callback. */
void                 vw_exchange_write_submission_async  (VwVault             *vault,
                                                          const char          *study,
                                                          const char          *path,
                                                          gboolean             everything,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
char                *vw_exchange_write_submission_finish (VwVault             *vault,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* @round: the round the duo is to do next; the participants' records of
 * the round before it travel with them. */
gboolean    vw_exchange_write_round_preparation (VwVault             *vault,
                                                 const char          *study,
                                                 const char          *device,
                                                 const char          *round,
                                                 const char * const  *codes,
                                                 const char          *path,
                                                 GError             **error);
/* A participant's latest preparation for a round: which duo's laptop it
 * went to and when (UTC, YYYY-MM-DDTHH:MM:SSZ). */
typedef struct
{
  char *code;
  char *device;
  char *prepared;
} VwPrepared;

void        vw_prepared_free                    (VwPrepared          *prepared);
/* (element-type utf8 VwPrepared): code to its latest preparation of
 * @round, looked up in the vault's index of preparations, which
 * vw_exchange_write_round_preparation() keeps and a migration to schema
 * 12 fills from the audit trail (whose entries of preparations written by
 * earlier versions hold no codes, and are not counted). */
GHashTable *vw_exchange_list_prepared           (VwVault             *vault,
                                                 const char          *study,
                                                 const char          *round,
                                                 GError             **error);
/* Writes a handover of @codes for the duo laptop @device, encrypted to it
 * and to this laptop, then reads the file back with the receiver's checks
 * (decryption, signature, content hash) and records it. A file that does
 * not read back is deleted and nothing is recorded. With
 * @remove_on_receipt the participants stay here, read-only and "awaiting
 * receipt", until the receiver's receipt is merged (vw-exchange-receipt.c);
 * only then are they removed. A participant already awaiting a receipt
 * cannot be handed over again before that handover is settled. */
gboolean    vw_exchange_write_handover          (VwVault             *vault,
                                                 const char          *study,
                                                 const char          *device,
                                                 const char * const  *codes,
                                                 const char          *path,
                                                 gboolean             remove_on_receipt,
                                                 char               **bundle_id,
                                                 GError             **error);

/* A handover this laptop wrote (vw-exchange-receipt.c). */
typedef struct
{
  char     *id;                /* the handover's bundle id */
  char     *device;            /* the receiving laptop's device id */
  char     *device_label;      /* its label on this laptop */
  char     *written;           /* UTC, YYYY-MM-DDTHH:MM:SSZ */
  gboolean  remove_on_receipt;
  char     *outcome;           /* nullable: still open; "received" or "cancelled" */
  char     *settled;           /* nullable: when it was received or cancelled */
  GStrv     codes;             /* sorted */
} VwHandover;

void        vw_handover_free                    (VwHandover          *handover);
/* (element-type VwHandover): every handover of @study, newest first. */
GPtrArray  *vw_exchange_list_handovers          (VwVault             *vault,
                                                 const char          *study,
                                                 GError             **error);
/* (element-type utf8 VwHandover): the participants awaiting a receipt,
 * code to the open handover with removal that holds them. */
GHashTable *vw_exchange_awaiting_receipt        (VwVault             *vault,
                                                 const char          *study,
                                                 GError             **error);
/* Settles an open handover with removal (by its bundle id, or by the code
 * of a participant it holds) as cancelled: its participants are editable
 * here again and a later receipt for it is refused. Audited. */
gboolean    vw_exchange_cancel_handover         (VwVault             *vault,
                                                 const char          *study,
                                                 const char          *id_or_code,
                                                 GError             **error);
/* Writes the receipt for @handover, a handover this laptop merged: signed
 * by this laptop, encrypted to the handover's sender (and to this laptop,
 * which reads it back before it reports success). */
gboolean    vw_exchange_write_receipt           (VwVault             *vault,
                                                 const char          *study,
                                                 const char          *handover,
                                                 const char          *path,
                                                 char               **receipt_id,
                                                 GError             **error);

/* One side of a conflict: one device's latest version of a record.
 *
 *   kind               object        field                value
 *   answer             interview id  question id          the answer
 *   participant_value  code          variable             the value
 *   note               interview id  question id, or ""   the note
 *   participant        code          ""                   the record's fields
 *   interview          interview id  ""                   ...
 *   quote              quote id      ""
 *   episode            episode id    ""
 *   consent            code          "ROUND/PURPOSE"
 *
 * A whole record's value holds its fields (vw_conflict_field_names(),
 * vw_conflict_split_value()). */
typedef struct
{
  char   *study;
  char   *kind;
  char   *object;
  char   *field;
  char   *device;   /* this laptop's id of the device, or (before schema 6) the id it gave itself */
  gint64  revision; /* that device's revision: comparable only with its own */
  char   *updated;
  char   *value;
  char   *resolved; /* nullable */
} VwConflict;

void                vw_conflict_free        (VwConflict       *conflict);
/* (nullable): the fields of a whole record of @kind, NULL-terminated;
 * %NULL for a cell. */
const char * const *vw_conflict_field_names (const char       *kind);
/* (transfer full) (nullable) (element-type utf8): @conflict's value split
 * into those fields, an element %NULL for an empty field; %NULL for a
 * cell. */
GPtrArray          *vw_conflict_split_value (const VwConflict *conflict);

/* A handover and its receipt, as a merge met them. */
typedef struct
{
  char  *handover;     /* the handover's bundle id */
  char  *device_label; /* the other laptop: the handover's sender, or the receipt's signer */
  char  *path;         /* the file merged: the handover, or the receipt */
  guint  participants; /* in the handover; for a merged receipt, those removed here */
} VwMergeReceipt;

void        vw_merge_receipt_free (VwMergeReceipt *receipt);

typedef struct
{
  guint      bundles;     /* applied */
  guint      added;
  guint      updated;
  guint      unchanged;
  guint      conflicts;   /* cells newly in conflict or with a new side */
  GPtrArray *replays;     /* (element-type utf8): "<file>: <bundle id> merged on <time>" */
  GPtrArray *conflict_list; /* (element-type VwConflict): every open conflict of the study after the merge */
  GPtrArray *duplicates;  /* (element-type GStrv): codes sharing a linkage hash, then pairs alike */
  guint      participants_added; /* of @added: participants new on this laptop */
  guint      contacts;    /* contact details received (handovers only) */
  GPtrArray *receipts_due;    /* (element-type VwMergeReceipt): handovers in this merge (new or merged
                               * before) whose sender waits for a receipt: vw_exchange_write_receipt() */
  GPtrArray *receipts_merged; /* (element-type VwMergeReceipt): receipts applied */
} VwMergeReport;

void           vw_merge_report_free (VwMergeReport *report);

typedef void (*VwMergeProgressFunc) (guint64   done,
                                     guint64   total,
                                     gpointer  user_data);

/* Opens every file (each must pass every check of vw-bundle.h and be a
 * kind this laptop accepts), then applies them in one transaction. A
 * failure anywhere leaves the vault as it was. Bundles merged before are
 * reported as replays and change nothing. */
VwMergeReport *vw_exchange_merge          (VwVault             *vault,
                                           const char          *study,
                                           const char * const  *paths,
                                           VwMergeProgressFunc  progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GError             **error);

/* The same off the calling thread, for the application: the merge runs
 * in a worker on its own connection to @vault's file (a VwVault belongs
 * to one thread), and @progress is called in the caller's main context.
 * @vault must stay unlocked until the callback. */
void           vw_exchange_merge_async    (VwVault             *vault,
                                           const char          *study,
                                           const char * const  *paths,
                                           VwMergeProgressFunc  progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
VwMergeReport *vw_exchange_merge_finish   (VwVault             *vault,
                                           GAsyncResult        *result,
                                           GError             **error);

GPtrArray     *vw_exchange_list_conflicts (VwVault             *vault,
                                           const char          *study,
                                           gboolean             include_resolved,
                                           GError             **error);
/* Settles a conflicting cell: @value becomes the value, made by this
 * laptop. */
gboolean       vw_exchange_resolve        (VwVault             *vault,
                                           const char          *study,
                                           const char          *kind,
                                           const char          *object,
                                           const char          *field,
                                           const char          *value,
                                           GError             **error);
/* Settles a conflict of any kind with the side of @device (its id or
 * label), which becomes this laptop's version. */
gboolean       vw_exchange_resolve_side   (VwVault             *vault,
                                           const char          *study,
                                           const char          *kind,
                                           const char          *object,
                                           const char          *field,
                                           const char          *device,
                                           GError             **error);
char          *vw_exchange_device_label   (VwVault             *vault,
                                           const char          *device,
                                           GError             **error);
GPtrArray     *vw_exchange_duplicates     (VwVault             *vault,
                                           const char          *study,
                                           GError             **error);

/* A candidate for "the same person": codes sharing an exact linkage hash
 * (@exact, similarity 1), or a pair whose linkage filters are alike. */
typedef struct
{
  char    **codes;      /* sorted */
  double    similarity; /* Dice, 0..1 */
  gboolean  exact;
} VwDuplicateCandidate;

void           vw_duplicate_candidate_free      (VwDuplicateCandidate *candidate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwDuplicateCandidate, vw_duplicate_candidate_free)
GPtrArray     *vw_exchange_duplicate_candidates (VwVault             *vault,
                                                 const char          *study,
                                                 GError             **error);

typedef enum {
  VW_DUPLICATE_KEEP_APART, /* different people: both codes stay */
  VW_DUPLICATE_JOIN,       /* the same person: recorded with the code to keep */
} VwDuplicateDecision;

gboolean       vw_exchange_decide_duplicates (VwVault             *vault,
                                              const char          *study,
                                              const char * const  *codes,
                                              VwDuplicateDecision  decision,
                                              const char          *keep,
                                              GError             **error);

/* Every row of @study in a fixed order and decrypted: equal dumps mean
 * equal study data, whatever order bundles were merged in. Times of this
 * laptop's own bookkeeping (merge times, created of the study) are left
 * out. */
char          *vw_exchange_canonical_dump (VwVault             *vault,
                                           const char          *study,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwConflict, vw_conflict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwMergeReport, vw_merge_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwSubmissionSummary, vw_submission_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwPrepared, vw_prepared_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwHandover, vw_handover_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwMergeReceipt, vw_merge_receipt_free)

G_END_DECLS
