/* vw-comparison.h: every report table of codebook section 7 counted for
 * several sets of records side by side (the regions of a pool and all of
 * them together, or the regions of one study), as CSV and for the table
 * book.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-records.h"
#include "vw-tables.h"
#include "vw-trajectory.h"

G_BEGIN_DECLS

/* One report table, counted once per column. */
typedef struct
{
  char     *name;   /* a table of vw_table_get_names() */
  guint     round;  /* for rounds_attended and participation_by_residence; G_MAXUINT for the others */
  char      *id;     /* the name, with "_Tn" for a table of one round */
  GPtrArray *tables; /* VwTable* per column; NULL where the column's records lack the round */
} VwComparisonTable;

typedef struct _VwComparison VwComparison;

/* @rounds: the round numbers of every column together, in order: the
 * tables of one round are made for each. */
VwComparison *vw_comparison_new          (VwRuleSet                 rules,
                                          const VwTrajectoryParams *params,
                                          const guint              *rounds,
                                          guint                     n_rounds);
void          vw_comparison_free         (VwComparison             *self);
/* A column: @key names it in CSV headers (a region code, "pooled"), @label
 * for people. @classification (nullable: the rule set's own) is borrowed
 * until the next vw_comparison_add_tables() returns. */
void          vw_comparison_add_column   (VwComparison             *self,
                                          const char               *key,
                                          const char               *label,
                                          VwRecords                *records,
                                          VwClassification         *classification);
/* Counts every table of the columns added since the last call (so that a
 * caller can free each column's records before making the next). */
gboolean      vw_comparison_add_tables   (VwComparison             *self,
                                          GError                  **error);
guint         vw_comparison_get_n_columns (VwComparison            *self);
const char   *vw_comparison_get_key      (VwComparison             *self,
                                          guint                     column);
const char   *vw_comparison_get_label    (VwComparison             *self,
                                          guint                     column);
VwRuleSet     vw_comparison_get_rules    (VwComparison             *self);
/* Returns: (element-type VwComparisonTable): every table in the order of
 * vw_table_get_names(), a table of one round once per round */
GPtrArray    *vw_comparison_get_tables   (VwComparison             *self);
/* The columns side by side: the table's key columns, then per column its
 * counts (and percentages) as "KEY_count", and a last row "denominator"
 * with each column's denominator; LF line ends. */
char         *vw_comparison_table_to_csv (VwComparison             *self,
                                          const VwComparisonTable  *table);

/* Splits @records by the participants' region: one set per region, in
 * code order (the records' own when there is only one). @classification
 * (nullable) gives each participant's final type, overrides included. */
GPtrArray    *vw_records_split_by_region (VwRecords                *records,
                                          VwClassification         *classification,
                                          VwRuleSet                 rules,
                                          const VwTrajectoryParams *params,
                                          GPtrArray               **classifications,
                                          GStrv                    *regions,
                                          GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwComparison, vw_comparison_free)

G_END_DECLS
