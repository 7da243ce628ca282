/* vw-export-private.h: the export's tables, shared by the writers of each
 * format (vw-export-stats.c for ReadStat, vw-export-qdpx.c for REFI-QDA),
 * its disclosure control (vw-export-disclosure.c), and what the pool of
 * several packages (vw-pool.c) writes the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vw-codebook.h"
#include "vw-export.h"

G_BEGIN_DECLS

typedef enum {
  VW_EXPORT_COLUMN_STRING,  /* free-form but never free text: ids, rounds, months */
  VW_EXPORT_COLUMN_CODED,   /* a code of @codes; numbered 1.. in .sav/.dta */
  VW_EXPORT_COLUMN_INTEGER,
} VwExportColumnKind;

typedef struct
{
  char               *name;
  char               *label_nl;
  char               *label_en;
  VwExportColumnKind  kind;
  const VwCodeList   *codes;   /* borrowed from the core codebook; CODED only */
} VwExportColumn;

/* Cells are interned in @chunk; NULL is a missing value. */
typedef struct
{
  char          *name;      /* the file name without extension */
  GPtrArray     *columns;   /* VwExportColumn* */
  GPtrArray     *cells;     /* n_rows * n_columns const char* */
  GArray        *owners;    /* guint per row: the participant's index */
  GStringChunk  *chunk;
} VwExportTable;

static inline guint
vw_export_table_n_rows (const VwExportTable *table)
{
  return table->columns->len ? table->cells->len / table->columns->len : 0;
}

static inline const char *
vw_export_table_get (const VwExportTable *table,
                     guint                row,
                     guint                column)
{
  return g_ptr_array_index (table->cells, row * table->columns->len + column);
}

#define VW_EXPORT_MAX_QUASI  32
#define VW_EXPORT_MAX_FAMILY 4

/* The round variables of both tables, in their order. */
extern const char * const vw_export_round_variables[];

VwExportTable *vw_export_table_new      (const char          *name);
void        vw_export_table_free        (VwExportTable       *table);
/* Adds the column for @variable, named @variable plus "_Tn" for a @round
 * other than G_MAXUINT, labelled from the codebook or the export's own
 * variables; @age_scheme picks the code list of age_band. */
void        vw_export_table_add_column  (VwExportTable       *table,
                                         const char          *variable,
                                         const char          *age_scheme,
                                         guint                round);
/* Appends a cell (interned; NULL or "" is missing). */
void        vw_export_table_add_cell    (VwExportTable       *table,
                                         const char          *value);
const char *vw_export_table_intern      (VwExportTable       *table,
                                         const char          *value);
int         vw_export_table_find_column (const VwExportTable *table,
                                         const char          *name);
GBytes     *vw_export_table_to_csv      (const VwExportTable *table);
/* codebook.csv of @tables. */
GBytes     *vw_export_codebook_csv      (const VwExportTable * const *tables,
                                         guint                n_tables);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwExportTable, vw_export_table_free)

/* A file of a package, in memory until the package is written. */
typedef struct
{
  char   *name;
  GBytes *bytes;
} VwExportFile;

void        vw_export_file_free         (VwExportFile        *file);
/* Adds the manifest's "files" member: name, size and SHA-256 of each. */
void        vw_export_manifest_add_files (JsonBuilder        *builder,
                                          GPtrArray          *files);
/* Takes @bytes. */
void        vw_export_files_add         (GPtrArray           *files,
                                         const char          *name,
                                         GBytes              *bytes);
/* Writes @files into a new folder at @path, through a hidden folder
 * beside it that is renamed at the end: all or nothing, and never into
 * an existing folder. */
gboolean    vw_export_write_folder      (GPtrArray           *files,
                                         const char          *path,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* Disclosure control (vw-export-disclosure.c). */

/* One quasi-identifier: where it is, and what is blanked with it. */
typedef struct
{
  guint       round;                               /* G_MAXUINT: a participant variable */
  gboolean    fixed;                               /* only leaving out protects it */
  int         column;                              /* in the wide table */
  int         wide[VW_EXPORT_MAX_FAMILY + 1];      /* blanked with it; -1 ends */
  const char *family[VW_EXPORT_MAX_FAMILY + 1];    /* variables blanked with it (long table) */
  char       *base;                                /* the variable without its round */
} VwDisclosureQuasi;

typedef struct
{
  GStrv              quasi;
  guint              m;
  guint              k;
  VwDisclosureQuasi *quasi_columns;  /* per quasi[q] */
  guint              n_rows;         /* of the wide table as given */
  gboolean          *suppressed;     /* per row */
  guint32           *blanked;        /* per row: bit q = quasi[q] blanked; 0 when suppressed */
  guint              n_suppressed;
  guint              n_generalized;
  guint              n_groups;       /* released groups */
  guint              smallest_group; /* size of the smallest released group */
} VwDisclosure;

VwDisclosure *vw_disclosure_run             (VwExportTable       *wide,
                                             const char * const  *quasi,
                                             guint                k,
                                             VwExportRare         rare,
                                             GString             *report,
                                             GError             **error);
void          vw_disclosure_drop_suppressed (VwDisclosure        *self,
                                             VwExportTable       *wide);
void          vw_disclosure_free            (VwDisclosure        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwDisclosure, vw_disclosure_free)
/* 1-based number of @value in the column's code list, 0 when missing. */
int         vw_export_column_number     (const VwExportColumn *column,
                                         const char           *value);
const char *vw_export_column_label      (const VwExportColumn *column,
                                         const char           *language);

/* vw-export-stats.c */
GBytes     *vw_export_write_stats       (const VwExportTable *table,
                                         gboolean             stata,
                                         const char          *language,
                                         GError             **error);

/* One redacted quote, ready for the qualitative files. */
typedef struct
{
  const char *export_id;
  guint       round;
  const char *theme;
  const char *question; /* nullable */
  char       *text;     /* redacted */
} VwExportQuote;

/* vw-export-qdpx.c */
GBytes     *vw_export_write_qdpx        (GPtrArray           *quotes,
                                         const VwSecret      *key,
                                         const char          *project_name,
                                         GError             **error);
/* A GUID derived from @what with the export key: stable across exports
 * and unlinkable without the key. */
char       *vw_export_guid              (const VwSecret      *key,
                                         const char          *what);

G_END_DECLS
