/* vw-export.h: the anonymized export for central analysis:
 * trajectory records long and wide under a stable keyed export id, with
 * disclosure control, as CSV with a codebook and an R script, SPSS .sav,
 * Stata .dta and, only when asked for, redacted quotes as CSV and as a
 * REFI-QDA project; packaged in a folder or one age file, with a manifest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vw-records.h"
#include "vw-secret.h"
#include "vw-trajectory.h"
#include "vw-vault.h"

G_BEGIN_DECLS

#define VW_EXPORT_ERROR (vw_export_error_quark ())

typedef enum {
  VW_EXPORT_ERROR_INVALID,   /* an option that cannot be used */
  VW_EXPORT_ERROR_FREE_TEXT, /* free text asked for without --include-quotes */
  VW_EXPORT_ERROR_EXISTS,    /* the destination is already there */
  VW_EXPORT_ERROR_FAILED,    /* a writer library failed */
  VW_EXPORT_ERROR_NOTHING_RELEASED, /* every participant would be left out */
} VwExportError;

GQuark vw_export_error_quark (void);

typedef enum {
  VW_EXPORT_RARE_GENERALIZE, /* blank quasi-identifiers of groups smaller than k, then suppress */
  VW_EXPORT_RARE_SUPPRESS,   /* leave out everyone in a group smaller than k */
} VwExportRare;

typedef enum {
  VW_EXPORT_FORMAT_CSV  = 1 << 0, /* CSV, codebook CSV and the R script */
  VW_EXPORT_FORMAT_SAV  = 1 << 1,
  VW_EXPORT_FORMAT_DTA  = 1 << 2,
  VW_EXPORT_FORMAT_QDPX = 1 << 3, /* needs include_quotes */
} VwExportFormats;

#define VW_EXPORT_DEFAULT_K 5

/* Zero-initialise and fill what you need. */
typedef struct
{
  const char               *study_id;
  const char               *study_name;
  VwRuleSet                 rules;
  const VwTrajectoryParams *params;         /* nullable: the codebook's defaults */
  VwClassification         *classification; /* nullable: with overrides; wins over rules */
  const char               *age_scheme;     /* "dh" (default) or "gv" */
  guint                     k;              /* 0: VW_EXPORT_DEFAULT_K */
  const char * const       *quasi;          /* nullable: added quasi-identifiers */
  VwExportRare              rare;
  VwExportFormats           formats;        /* 0: CSV */
  gboolean                  include_quotes;
  const char               *language;       /* labels in .sav/.dta: "nl" (default) or "en" */
  GPtrArray                *recipients;     /* nullable VwAgeRecipient*: one age file */
  const VwSecret           *signing_key;    /* nullable: the laptop's Ed25519 key, which signs
                                               manifest.json into manifest.sig */
  const char * const       *regions;        /* nullable: the study's regions (default: the records') */
  const char * const       *questionnaires; /* nullable: "id version" of the study's questionnaires */
} VwExportOptions;

gboolean vw_export_formats_parse (const char      *text,
                                  VwExportFormats *formats,
                                  GError         **error);

/* The keyed export id of a participant code: the same for every export of
 * a study, unlinkable to the code without the study's export key. */
char    *vw_export_id            (const VwSecret  *key,
                                  const char      *code);

/* Replaces what may still identify someone in a quote (pseudonyms and
 * codes of the records, dates, phone numbers, e-mail addresses) by
 * placeholders. */
char    *vw_export_redact        (VwRecords       *records,
                                  const char      *text);

/* vw-export-vault.c: the quotes of @study and the answers to the long
 * open questions of its interviews (with the question's module as theme),
 * as VwQuote*, for vw_export_new(). */
GPtrArray *vw_export_collect_quotes (VwVault     *vault,
                                     const char  *study,
                                     GError     **error);

/* vw-export-vault.c: what names a package's origin in its signed
 * manifest: this laptop's signing key, the study's regions and the
 * questionnaires (id and version) of the study and its interviews. */
typedef struct
{
  VwSecret *signing_key;
  GStrv     regions;
  GStrv     questionnaires;
} VwExportProvenance;

gboolean   vw_export_provenance_load  (VwVault            *vault,
                                       const char         *study,
                                       VwExportProvenance *provenance,
                                       GError            **error);
void       vw_export_provenance_clear (VwExportProvenance *provenance);
/* Points @options at @provenance. */
void       vw_export_provenance_apply (const VwExportProvenance *provenance,
                                       VwExportOptions          *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VwExportProvenance, vw_export_provenance_clear)

typedef struct _VwExport VwExport;

/* Builds the tables and applies disclosure control; nothing is written
 * yet. @quotes holds VwQuote* (from vw_vault_list_quotes()). Fails with
 * VW_EXPORT_ERROR_NOTHING_RELEASED when every participant would be left
 * out (k larger than the records, for one). */
VwExport   *vw_export_new             (VwRecords             *records,
                                       GPtrArray             *quotes,
                                       const VwSecret        *export_key,
                                       const VwExportOptions *options,
                                       GError               **error);
void        vw_export_free            (VwExport              *self);
/* What disclosure control changed, for the person exporting: the rare
 * combinations with their counts stay out of the package. */
char       *vw_export_get_report      (VwExport              *self);
guint       vw_export_get_n_participants (VwExport           *self);
guint       vw_export_get_n_suppressed   (VwExport           *self);
guint       vw_export_get_n_generalized  (VwExport           *self);
guint       vw_export_get_k              (VwExport           *self);
/* The size of the smallest group of participants whose released
 * quasi-identifiers are identical (a blank is a value of its own): at
 * least k. */
guint       vw_export_get_smallest_group (VwExport           *self);
/* Writes the package: a new folder at @path, or with recipients one age
 * file holding a tar of the same files. Nothing is left behind on failure. */
gboolean    vw_export_write           (VwExport              *self,
                                       const char            *path,
                                       GCancellable          *cancellable,
                                       GError               **error);

/* vw_export_new() and vw_export_write() on a worker thread, for the
 * application. Everything the options point to is copied before this
 * returns, except @options->classification, which must be NULL. */
void        vw_export_run_async       (VwRecords             *records,
                                       GPtrArray             *quotes,
                                       const VwSecret        *export_key,
                                       const VwExportOptions *options,
                                       const char            *path,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data);
VwExport   *vw_export_run_finish      (GAsyncResult          *result,
                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwExport, vw_export_free)

G_END_DECLS
