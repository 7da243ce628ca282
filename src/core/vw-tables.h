/* vw-tables.h: the report tables of codebook section 7, counted from the
 * records, as CSV and as a text table for people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-records.h"
#include "vw-trajectory.h"

G_BEGIN_DECLS

#define VW_TABLE_ERROR (vw_table_error_quark ())

typedef enum {
  VW_TABLE_ERROR_INVALID,  /* unknown table, unknown round */
  VW_TABLE_ERROR_INTERNAL, /* a sum check failed: a defect, never data */
} VwTableError;

GQuark vw_table_error_quark (void);

typedef struct
{
  gboolean                  has_round;      /* FALSE: the last round of the records */
  guint                     round;          /* for rounds_attended, participation_by_residence */
  VwRuleSet                 rules;          /* for the trajectory tables */
  const VwTrajectoryParams *params;         /* nullable: the codebook's defaults */
  VwClassification         *classification; /* nullable: with overrides; wins over rules */
} VwTableOptions;

typedef struct _VwTable VwTable;

const char * const *vw_table_get_names   (void);
VwTable            *vw_table_build       (const char           *name,
                                          VwRecords            *records,
                                          const VwTableOptions *options,
                                          GError              **error);
void                vw_table_free        (VwTable              *self);
const char         *vw_table_get_name    (VwTable              *self);
const char         *vw_table_get_title   (VwTable              *self);
const char         *vw_table_get_note    (VwTable              *self);
guint               vw_table_get_denominator (VwTable          *self);
char               *vw_table_to_csv      (VwTable              *self);
GPtrArray          *vw_table_get_text_cells (VwTable           *self,
                                             guint             *n_columns,
                                             guint             *n_lines);
guint               vw_table_get_n_rows  (VwTable              *self);
const char         *vw_table_get_row     (VwTable              *self,
                                          guint                 row,
                                          const char          **subkey,
                                          const char          **label);
gint64              vw_table_get_count   (VwTable              *self,
                                          guint                 row,
                                          guint                 column);
char               *vw_table_to_text     (VwTable              *self);
guint               vw_percent_round     (guint64               n,
                                          guint64               denominator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwTable, vw_table_free)

G_END_DECLS
