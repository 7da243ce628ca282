/* vw-tablebook.h: the table book (tabellenboek): every report
 * table as "n (%)" with its denominator and the note on who is left out,
 * side by side per region where they fit, and two charts, as one PDF.
 *
 * The book is made in two steps. The core lays it out as blocks of text,
 * tables and chart data (this header: plain structures, every string
 * final and in the book's language); a renderer draws the blocks with
 * cairo and pango into a PDF (vw-tablebook-pdf.c). The application links
 * the renderer; the command-line tool loads it as a module when a book is
 * written, so that pango and cairo do not weigh on every other command
 * (the same reason libarchive is loaded, not linked).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-trajectory.h"

G_BEGIN_DECLS

typedef enum {
  VW_BOOK_TITLE,       /* text: the book's title */
  VW_BOOK_HEADING,     /* text: a table's or a chart's title */
  VW_BOOK_SUBHEADING,  /* text: a region within a table */
  VW_BOOK_TEXT,        /* text: a paragraph */
  VW_BOOK_NOTE,        /* text: the note under a table */
  VW_BOOK_TABLE,
  VW_BOOK_BAR_CHART,   /* grouped bars: per category one bar per series */
  VW_BOOK_STACK_CHART, /* per category one bar of stacked parts (series), summing to 100 */
  VW_BOOK_PAGE_BREAK,
} VwBookBlockKind;

typedef struct
{
  VwBookBlockKind  kind;
  char            *text;

  /* VW_BOOK_TABLE: n_rows lines of n_columns cells, the first
   * n_header_rows of them headers; the first n_keys columns are labels
   * (left), the others figures (right). A header cell with span > 1
   * covers the cells after it, which are NULL. Rows with bold[row] are
   * totals. */
  guint            n_columns;
  guint            n_rows;
  guint            n_header_rows;
  guint            n_keys;
  char           **cells;
  guint           *spans;
  gboolean        *bold;

  /* Charts: values[category * n_series + series] in percent, labels
   * (nullable) written on or above the bars, colours as 0xRRGGBB. */
  guint            n_categories;
  char           **categories;
  guint            n_series;
  char           **series;
  guint32         *colors;
  double          *values;
  char           **labels;
  char            *axis;      /* the value axis' label */
  char            *caption;   /* under the chart: what a bar shows */
} VwBookBlock;

typedef struct _VwTableBook VwTableBook;

struct _VwTableBook
{
  char      *title;     /* the PDF's title metadata */
  char      *footer;    /* at the foot of every page, with the page number */
  char      *language;  /* "nl" or "en" */
  GPtrArray *blocks;    /* VwBookBlock* */
};

VwTableBook *vw_table_book_new          (const char        *title,
                                         const char        *footer,
                                         const char        *language);
void         vw_table_book_free         (VwTableBook       *self);
VwBookBlock *vw_table_book_add          (VwTableBook       *self,
                                         VwBookBlockKind    kind,
                                         const char        *text);

/* @n with the thousands separated as @language writes them ("1.234" in
 * Dutch, "1,234" in English). */
char        *vw_format_count            (gint64             n,
                                         const char        *language);
/* @text (a cell as vw_table_get_text_cells() gives it) with every count of
 * four or more digits separated the same way. */
char        *vw_format_cell             (const char        *text,
                                         const char        *language);

/* The renderer: draws @book as PDF into @out. */
typedef gboolean (*VwTableBookRenderFunc) (const VwTableBook *book,
                                           GByteArray        *out,
                                           GError           **error);
#define VW_TABLE_BOOK_RENDER_SYMBOL "vw_table_book_render_pdf"
#define VW_TABLE_BOOK_MODULE        "libveldwerk-book.so"

/* A program that links the renderer says so here; otherwise it is loaded
 * from $VELDWERK_MODULEDIR or the installed module folder. */
void         vw_table_book_set_renderer (VwTableBookRenderFunc func);
GBytes      *vw_table_book_to_pdf       (VwTableBook       *self,
                                         GError           **error);

/* Every table of @comparison (counted), with the charts: trajectory
 * types per column, and where the participants stayed at each round.
 * @intro: (nullable): paragraphs after the title. Strings come from the
 * interface language of the calling thread; @language sets how numbers
 * are written. */
typedef struct _VwComparison VwComparison;
VwTableBook *vw_table_book_new_from_comparison (VwComparison       *comparison,
                                                const char         *title,
                                                const char * const *intro,
                                                const char         *language);

/* The book of one study: a column per region of @records and, with
 * several, one for all of them; @classification (nullable) carries the
 * coordinator's overrides. @source says where the records were read. */
VwTableBook *vw_table_book_new_for_records (VwRecords          *records,
                                            VwClassification   *classification,
                                            VwRuleSet           rules,
                                            const char         *title,
                                            const char         *source,
                                            const char         *language,
                                            GError            **error);

/* vw-tablebook-pdf.c */
gboolean     vw_table_book_render_pdf   (const VwTableBook *book,
                                         GByteArray        *out,
                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwTableBook, vw_table_book_free)

G_END_DECLS
