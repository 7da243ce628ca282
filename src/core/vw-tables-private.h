/* vw-tables-private.h: how a table is held, for vw-tables.c and the
 * tests of its sum checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-tables.h"

G_BEGIN_DECLS

#define VW_TABLE_MAX_COUNTS 10
/* A cell left empty, as the total row of attendance leaves "returning". */
#define VW_TABLE_EMPTY (-1)

typedef enum {
  VW_PERCENT_NONE,
  VW_PERCENT_OF_DENOMINATOR,
  VW_PERCENT_OF_COLUMN_TOTAL,
  VW_PERCENT_OF_ROW_TOTAL,
} VwPercentMode;

typedef struct
{
  char     *key;       /* first CSV column: round, number, type or category */
  char     *subkey;    /* second CSV column (subtype), nullable */
  char     *label;     /* the first column of the text table */
  char     *sublabel;  /* nullable */
  gint64    counts[VW_TABLE_MAX_COUNTS];
  gboolean  is_total;  /* the total row */
  int       parent;    /* a subtype row: the row it splits; else -1 */
} VwTableRow;

struct _VwTable
{
  char          *name;
  char          *title;
  char          *note;          /* the line that states the denominator */
  guint          n_keys;        /* 1, or 2 with a subtype column */
  const char    *key_names[2];  /* CSV header */
  char          *key_labels[2]; /* text header */
  guint          n_counts;
  const char    *count_names[VW_TABLE_MAX_COUNTS];
  char          *count_labels[VW_TABLE_MAX_COUNTS];
  gboolean       csv_percent;   /* a "percent" CSV column after the one count column */
  VwPercentMode  text_percent;  /* what "(%)" in the text table is of */
  int            total_column;  /* a count column that is the sum of the others, or -1 */
  gboolean       parts_make_denominator; /* the rows' first counts sum to it */
  guint32        uncounted;     /* bit c: column c is no part of the total column (a median, a
                                   count of a subgroup); it gets no percentage */
  guint32        halves;        /* bit c: column c holds twice its value (a median), written 3.5 */
  guint32        text_hidden;   /* bit c: column c is in the CSV only */
  gboolean       csv_row_percent; /* a "NAME_percent" CSV column after each part of the total
                                     column: the percentage of the row's total column */
  gint64         denominator;
  GArray        *rows;          /* of VwTableRow */
};

VwTable    *vw_table_new       (const char *name);
VwTableRow *vw_table_add_row   (VwTable    *self,
                                const char *key,
                                const char *label);
gboolean    vw_table_check     (VwTable    *self,
                                GError    **error);
void        vw_table_append_csv_names (const VwTable    *self,
                                       const char       *prefix,
                                       GPtrArray        *fields);
void        vw_table_append_csv_cells (const VwTable    *self,
                                       const VwTableRow *row,
                                       GPtrArray        *fields);

G_END_DECLS
