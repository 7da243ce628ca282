/* vw-exchange-private.h: the row codec shared by the writers
 * (vw-exchange.c), the merge (vw-merge.c) and the benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Most fields a row has (I, interviews). */
#define VW_ROWS_MAX_FIELDS 16

/* Appends one line: @type, then each field TAB-separated. A NULL field is
 * written as \N; backslash, tab, line feed and carriage return are
 * escaped. */
void vw_rows_put   (GString            *out,
                    char                type,
                    guint               n_fields,
                    const char * const *fields);
/* Splits @line (without its line feed) in place into its type and
 * fields, undoing the escapes. Returns the number of fields, or -1 for a
 * bad escape or too many fields. */
int  vw_rows_split (char               *line,
                    char               *type,
                    char              **fields);

G_END_DECLS
