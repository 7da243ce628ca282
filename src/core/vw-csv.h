/* vw-csv.h: RFC 4180 comma-separated values, read with positions and
 * written with quotes only where needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VW_CSV_ERROR (vw_csv_error_quark ())

typedef enum {
  VW_CSV_ERROR_SYNTAX,   /* bad quoting */
  VW_CSV_ERROR_ENCODING, /* not UTF-8, or a NUL byte */
} VwCsvError;

GQuark vw_csv_error_quark (void);

typedef struct _VwCsvReader VwCsvReader;

/* A reader over text in memory. Lines are counted from 1; a "column" is the
 * 1-based number of a field in its row, as a spreadsheet shows it. A field
 * with line breaks inside quotes starts on its row's line or later. */
VwCsvReader  *vw_csv_reader_new             (const char    *name,
                                             const char    *data,
                                             gsize          len);
void          vw_csv_reader_free            (VwCsvReader   *self);
gboolean      vw_csv_reader_next            (VwCsvReader   *self,
                                             GError       **error);
guint         vw_csv_reader_get_n_fields    (VwCsvReader   *self);
const char   *vw_csv_reader_get_field       (VwCsvReader   *self,
                                             guint          index);
guint         vw_csv_reader_get_line        (VwCsvReader   *self);
guint         vw_csv_reader_get_field_line  (VwCsvReader   *self,
                                             guint          index);
const char   *vw_csv_reader_get_problem     (VwCsvReader   *self,
                                             guint         *line,
                                             guint         *column);

void          vw_csv_append_field           (GString       *out,
                                             const char    *value);
void          vw_csv_append_row             (GString       *out,
                                             const char * const *fields,
                                             guint          n_fields,
                                             const char    *eol);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwCsvReader, vw_csv_reader_free)

G_END_DECLS
