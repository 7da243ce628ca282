/* vw-export-private.h: the export's tables, shared by the writers of each
 * format (vw-export-stats.c for ReadStat, vw-export-qdpx.c for REFI-QDA).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

int         vw_export_table_find_column (const VwExportTable *table,
                                         const char          *name);
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
