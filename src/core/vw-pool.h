/* vw-pool.h: pooling the signed anonymized packages of several regions
 * into one national dataset: the packages must agree on the
 * codebook, the rule set and its parameters and the age bands; export ids
 * are kept apart per study; the pooled long and wide tables get a study
 * and a region column and go through the same disclosure control as one
 * export, on the pooled data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vw-comparison.h"
#include "vw-export.h"
#include "vw-package.h"

G_BEGIN_DECLS

#define VW_POOL_ERROR (vw_pool_error_quark ())

typedef enum {
  VW_POOL_ERROR_INCOMPATIBLE, /* made with another codebook, rule set, parameters or age bands */
  VW_POOL_ERROR_DUPLICATE,    /* the same study twice */
  VW_POOL_ERROR_TABLE,        /* a table of a package does not read as its manifest says */
  VW_POOL_ERROR_INVALID,      /* an option that cannot be used */
} VwPoolError;

GQuark vw_pool_error_quark (void);

#define VW_POOL_FORMAT_NAME    "veldwerk-pooled-export"
#define VW_POOL_FORMAT_VERSION 1

/* Zero-initialise and fill what you need. */
typedef struct
{
  guint               k;        /* 0: the largest k of the packages; a smaller one is raised to it */
  const char * const *quasi;    /* nullable: quasi-identifiers besides the packages' */
  VwExportRare        rare;
  VwExportFormats     formats;  /* 0: csv, sav and dta */
  const char         *language; /* "nl" (default) or "en": labels of .sav/.dta, numbers of the book */
  gboolean            tables;   /* write the comparison tables, table_<name>.csv */
  gboolean            book;     /* write the table book (tabellenboek.pdf, or table-book.pdf in English) */
} VwPoolOptions;

typedef struct _VwPool VwPool;

/* Checks that @packages (VwPackage*, opened and verified) can be pooled,
 * reads their tables and applies disclosure control to the pooled data;
 * nothing is written yet. */
VwPool       *vw_pool_new                 (GPtrArray            *packages,
                                           const VwPoolOptions  *options,
                                           GError              **error);
void          vw_pool_free                (VwPool               *self);
/* What the pool took from each package and what disclosure control
 * changed, for the person pooling. */
char         *vw_pool_get_report          (VwPool               *self);
guint         vw_pool_get_n_participants  (VwPool               *self);
guint         vw_pool_get_n_released      (VwPool               *self);
guint         vw_pool_get_k               (VwPool               *self);
guint         vw_pool_get_smallest_group  (VwPool               *self);
/* Every report table per region and for all regions together, counted
 * from the released pooled data. */
VwComparison *vw_pool_build_comparison    (VwPool               *self,
                                           GError              **error);
/* Writes a new folder at @path: the pooled tables in every format asked
 * for, codebook.csv, the R script, the comparison tables and the table
 * book when asked for, and manifest.json. Nothing is left behind on
 * failure, and an existing @path is never written into. */
gboolean      vw_pool_write               (VwPool               *self,
                                           const char           *path,
                                           GCancellable         *cancellable,
                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwPool, vw_pool_free)

G_END_DECLS
