/* vw-tablebook-pdf.c: draws a table book (vw-tablebook.h) as an A4 PDF
 * with cairo and pango: text is text (a reader can select and paste it,
 * pdftotext reads it back), charts are vector paths.
 *
 * This file reads the book's blocks and calls GLib, cairo and pango only,
 * never the core: it is also built as the module that veldwerk-cli loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "vw-tablebook.h"

/* A4 in points, and the margins. */
#define PAGE_WIDTH    595.276
#define PAGE_HEIGHT   841.890
#define MARGIN_LEFT   56.0
#define MARGIN_RIGHT  56.0
#define MARGIN_TOP    56.0
#define MARGIN_BOTTOM 64.0
#define CONTENT_WIDTH (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define BOTTOM        (PAGE_HEIGHT - MARGIN_BOTTOM)

#define FONT          "Sans"
#define CELL_PADDING  10.0
#define ROW_PADDING   2.5
#define MIN_TABLE_PT  6.5
#define INK           0x241f31
#define GREY          0x5e5c64
#define RULE          0x9a9996
#define GRID          0xdeddda

typedef struct
{
  const VwTableBook *book;
  cairo_surface_t   *surface;
  cairo_t           *cr;
  PangoContext      *context;
  double             y;
  guint              page;
} Render;

static void
set_color (cairo_t *cr,
           guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* A layout of @text in @size points; wrapped to @width when above 0. No
 * ligatures, so that what a reader copies is what was written. */
static PangoLayout *
make_layout (Render     *render,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_layout_new (render->context);
  PangoFontDescription *font = pango_font_description_from_string (FONT);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("liga 0, clig 0, dlig 0"));
  pango_layout_set_attributes (layout, attrs);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_attr_list_unref (attrs);
  pango_font_description_free (font);
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  if (width != NULL)
    *width = (double) w / PANGO_SCALE;
  if (height != NULL)
    *height = (double) h / PANGO_SCALE;
}

static double
text_width (Render     *render,
            const char *text,
            double      size,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = make_layout (render, text, size, bold, -1);
  double width;

  layout_size (layout, &width, NULL);
  return width;
}

static void
show_layout (Render      *render,
             PangoLayout *layout,
             double       x,
             double       y,
             guint32      color)
{
  set_color (render->cr, color);
  cairo_move_to (render->cr, x, y);
  pango_cairo_show_layout (render->cr, layout);
}

static void
draw_footer (Render *render)
{
  g_autofree char *number = g_strdup_printf ("%u", render->page);
  g_autoptr(PangoLayout) left = make_layout (render, render->book->footer, 7.5, FALSE, CONTENT_WIDTH - 40);
  g_autoptr(PangoLayout) right = make_layout (render, number, 7.5, FALSE, -1);
  double width;

  show_layout (render, left, MARGIN_LEFT, PAGE_HEIGHT - MARGIN_BOTTOM + 24, GREY);
  layout_size (right, &width, NULL);
  show_layout (render, right, PAGE_WIDTH - MARGIN_RIGHT - width, PAGE_HEIGHT - MARGIN_BOTTOM + 24, GREY);
}

static void
new_page (Render *render)
{
  draw_footer (render);
  cairo_show_page (render->cr);
  render->page++;
  render->y = MARGIN_TOP;
}

/* Starts a new page unless @height fits below the cursor (or the page is
 * still empty). */
static void
ensure_space (Render *render,
              double  height)
{
  if (render->y + height > BOTTOM && render->y > MARGIN_TOP + 1)
    new_page (render);
}

/* Text blocks */

static void
text_style (VwBookBlockKind  kind,
            double          *size,
            gboolean        *bold,
            guint32         *color,
            double          *before,
            double          *after)
{
  *bold = FALSE;
  *color = INK;
  *before = 0;
  *after = 6;
  switch (kind)
    {
    case VW_BOOK_TITLE:
      *size = 20;
      *bold = TRUE;
      *after = 14;
      break;
    case VW_BOOK_HEADING:
      *size = 12.5;
      *bold = TRUE;
      *before = 14;
      *after = 8;
      break;
    case VW_BOOK_SUBHEADING:
      *size = 10;
      *bold = TRUE;
      *before = 6;
      *after = 4;
      break;
    case VW_BOOK_NOTE:
      *size = 8;
      *color = GREY;
      *after = 4;
      break;
    case VW_BOOK_TEXT:
    default:
      *size = 10;
      break;
    }
}

static double
text_height (Render            *render,
             const VwBookBlock *block)
{
  double size, before, after, height;
  gboolean bold;
  guint32 color;
  g_autoptr(PangoLayout) layout = NULL;

  text_style (block->kind, &size, &bold, &color, &before, &after);
  layout = make_layout (render, block->text, size, bold, CONTENT_WIDTH);
  layout_size (layout, NULL, &height);
  return before + height + after;
}

static void
draw_text (Render            *render,
           const VwBookBlock *block)
{
  double size, before, after, height;
  gboolean bold;
  guint32 color;
  g_autoptr(PangoLayout) layout = NULL;

  text_style (block->kind, &size, &bold, &color, &before, &after);
  layout = make_layout (render, block->text, size, bold, CONTENT_WIDTH);
  layout_size (layout, NULL, &height);
  ensure_space (render, before + height);
  if (render->y > MARGIN_TOP + 1)
    render->y += before;
  show_layout (render, layout, MARGIN_LEFT, render->y, color);
  render->y += height + after;
}

/* Tables */

typedef struct
{
  double  size;      /* font size */
  double *widths;    /* per column, padding included */
  double *heights;   /* per row */
  double  width;
} TableLayout;

static void
table_layout_clear (TableLayout *layout)
{
  g_free (layout->widths);
  g_free (layout->heights);
}

static const char *
cell (const VwBookBlock *block,
      guint              row,
      guint              column)
{
  return block->cells[row * block->n_columns + column];
}

static gboolean
cell_bold (const VwBookBlock *block,
           guint              row)
{
  return row < block->n_header_rows || block->bold[row];
}

/* The widest word of @text: a header wraps no narrower. */
static double
widest_word (Render     *render,
             const char *text,
             double      size)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  double widest = 0;

  for (guint i = 0; words[i] != NULL; i++)
    widest = MAX (widest, text_width (render, words[i], size, TRUE));
  return widest;
}

/* Whether a cell wraps: labels, and the headers over figures. */
static gboolean
cell_wraps (const VwBookBlock *block,
            guint              row,
            guint              column)
{
  return column < block->n_keys || row < block->n_header_rows;
}

/* Column widths, at the largest font size (9 pt down to MIN_TABLE_PT) at
 * which the table fits the page: first with every header on one line,
 * then with the headers over figures wrapped (never narrower than their
 * widest word); label columns wrap when the figures still leave them too
 * little room. */
static void
measure_table (Render            *render,
               const VwBookBlock *block,
               TableLayout       *layout)
{
  guint n = block->n_columns;
  g_autofree double *data = g_new0 (double, n + 1);
  g_autofree double *head = g_new0 (double, n + 1);
  g_autofree double *word = g_new0 (double, n + 1);

  layout->widths = g_new0 (double, n + 1);
  layout->heights = g_new0 (double, block->n_rows + 1);
  for (layout->size = 9; ; layout->size -= 0.5)
    {
      double natural = 0, compact = 0, labels = 0, figures = 0;

      for (guint c = 0; c < n; c++)
        {
          data[c] = head[c] = word[c] = 0;
          for (guint r = 0; r < block->n_rows; r++)
            {
              const char *text = cell (block, r, c);

              if (text == NULL || block->spans[r * n + c] != 1)
                continue;
              if (r < block->n_header_rows)
                {
                  head[c] = MAX (head[c], text_width (render, text, layout->size, TRUE));
                  word[c] = MAX (word[c], widest_word (render, text, layout->size));
                }
              else
                data[c] = MAX (data[c], text_width (render, text, layout->size, cell_bold (block, r)));
            }
          natural += MAX (data[c], head[c]) + CELL_PADDING;
          compact += MAX (data[c], c < block->n_keys ? head[c] : word[c]) + CELL_PADDING;
        }

      if (natural <= CONTENT_WIDTH)
        {
          for (guint c = 0; c < n; c++)
            layout->widths[c] = MAX (data[c], head[c]) + CELL_PADDING;
          break;
        }
      if (compact <= CONTENT_WIDTH || layout->size <= MIN_TABLE_PT)
        {
          /* Headers wrap; what room is left widens the columns whose
           * headers wrapped, evenly. */
          double room = MAX (0, CONTENT_WIDTH - compact);
          guint wrapped = 0;

          for (guint c = block->n_keys; c < n; c++)
            wrapped += head[c] > MAX (data[c], word[c]);
          for (guint c = 0; c < n; c++)
            {
              double width = MAX (data[c], c < block->n_keys ? head[c] : word[c]);

              if (c >= block->n_keys && head[c] > MAX (data[c], word[c]) && wrapped > 0)
                width = MIN (head[c], width + room / wrapped);
              layout->widths[c] = width + CELL_PADDING;
              if (c < block->n_keys)
                labels += layout->widths[c];
              else
                figures += layout->widths[c];
            }
          /* The labels make do with what is left, but keep at least a
           * third of the page; they never grow here. */
          if (figures + labels > CONTENT_WIDTH + 0.5 && labels > 0)
            {
              double left = MIN (labels, MAX (CONTENT_WIDTH - figures, CONTENT_WIDTH / 3));

              for (guint c = 0; c < block->n_keys; c++)
                layout->widths[c] *= left / labels;
            }
          break;
        }
    }

  layout->width = 0;
  for (guint c = 0; c < n; c++)
    layout->width += layout->widths[c];

  for (guint r = 0; r < block->n_rows; r++)
    {
      layout->heights[r] = 0;
      for (guint c = 0; c < n; c++)
        {
          g_autoptr(PangoLayout) text = NULL;
          double height, width = 0;

          if (cell (block, r, c) == NULL)
            continue;
          for (guint s = 0; s < MAX (block->spans[r * n + c], 1u) && c + s < n; s++)
            width += layout->widths[c + s];
          text = make_layout (render, cell (block, r, c), layout->size, cell_bold (block, r),
                              cell_wraps (block, r, c) ? width - CELL_PADDING : -1);
          layout_size (text, NULL, &height);
          layout->heights[r] = MAX (layout->heights[r], height);
        }
      layout->heights[r] += 2 * ROW_PADDING;
    }
}

static void
draw_rule (Render *render,
           double  y,
           double  width,
           double  line_width,
           guint32 color)
{
  set_color (render->cr, color);
  cairo_set_line_width (render->cr, line_width);
  cairo_move_to (render->cr, MARGIN_LEFT, y);
  cairo_line_to (render->cr, MARGIN_LEFT + width, y);
  cairo_stroke (render->cr);
}

static void
draw_row (Render            *render,
          const VwBookBlock *block,
          const TableLayout *layout,
          guint              row)
{
  double x = MARGIN_LEFT;
  guint n = block->n_columns;

  for (guint c = 0; c < n; c++)
    {
      const char *text = cell (block, row, c);
      guint span = block->spans[row * n + c];
      double width = 0;

      for (guint s = 0; s < MAX (span, 1) && c + s < n; s++)
        width += layout->widths[c + s];
      if (text != NULL && *text != '\0')
        {
          gboolean left = c < block->n_keys;
          gboolean wraps = cell_wraps (block, row, c);
          double inner = width - (c + span >= n ? CELL_PADDING / 2 : CELL_PADDING);
          g_autoptr(PangoLayout) text_layout = make_layout (render, text, layout->size, cell_bold (block, row),
                                                            wraps ? inner : -1);
          double text_w;

          /* Labels left; figures, and the headers over them, right. */
          if (wraps && !left)
            {
              pango_layout_set_alignment (text_layout, PANGO_ALIGN_RIGHT);
              show_layout (render, text_layout, x + width - inner - (c + span >= n ? 0 : CELL_PADDING / 2),
                           render->y + ROW_PADDING, INK);
            }
          else
            {
              layout_size (text_layout, &text_w, NULL);
              show_layout (render, text_layout, left ? x : x + width - text_w - (c + span >= n ? 0 : CELL_PADDING / 2),
                           render->y + ROW_PADDING, INK);
            }
        }
      x += layout->widths[c];
    }
  render->y += layout->heights[row];
}

static void
draw_header (Render            *render,
             const VwBookBlock *block,
             const TableLayout *layout)
{
  for (guint r = 0; r < block->n_header_rows; r++)
    draw_row (render, block, layout, r);
  draw_rule (render, render->y, layout->width, 0.8, RULE);
}

static void
draw_table (Render            *render,
            const VwBookBlock *block)
{
  TableLayout layout = { 0 };
  double header = 0;

  measure_table (render, block, &layout);
  for (guint r = 0; r < block->n_header_rows; r++)
    header += layout.heights[r];
  /* The header with at least three rows, or the whole table if shorter. */
  {
    double first = header;

    for (guint r = block->n_header_rows; r < MIN (block->n_rows, block->n_header_rows + 3u); r++)
      first += layout.heights[r];
    ensure_space (render, first + 2);
  }
  draw_rule (render, render->y, layout.width, 0.8, RULE);
  draw_header (render, block, &layout);
  for (guint r = block->n_header_rows; r < block->n_rows; r++)
    {
      if (render->y + layout.heights[r] > BOTTOM)
        {
          new_page (render);
          draw_rule (render, render->y, layout.width, 0.8, RULE);
          draw_header (render, block, &layout);
        }
      if (block->bold[r])
        draw_rule (render, render->y, layout.width, 0.4, RULE);
      draw_row (render, block, &layout, r);
    }
  draw_rule (render, render->y, layout.width, 0.8, RULE);
  render->y += 6;
  table_layout_clear (&layout);
}

static double
table_start_height (Render            *render,
                    const VwBookBlock *block)
{
  TableLayout layout = { 0 };
  double height = 0;

  measure_table (render, block, &layout);
  for (guint r = 0; r < MIN (block->n_rows, block->n_header_rows + 3u); r++)
    height += layout.heights[r];
  table_layout_clear (&layout);
  return height + 8;
}

/* Charts */

#define CHART_PLOT_HEIGHT 170.0
#define STACK_PLOT_HEIGHT 120.0
#define AXIS_WIDTH        34.0
#define LEGEND_SWATCH     8.0

/* The legend under a chart, wrapped to the content width; returns its
 * height. */
static double
draw_legend (Render            *render,
             const VwBookBlock *block,
             double             y,
             gboolean           draw)
{
  double x = MARGIN_LEFT + AXIS_WIDTH, line = 12, height = line;

  for (guint s = 0; s < block->n_series; s++)
    {
      double width = LEGEND_SWATCH + 4 + text_width (render, block->series[s], 8, FALSE) + 14;

      if (x + width > MARGIN_LEFT + CONTENT_WIDTH && x > MARGIN_LEFT + AXIS_WIDTH)
        {
          x = MARGIN_LEFT + AXIS_WIDTH;
          y += line;
          height += line;
        }
      if (draw)
        {
          g_autoptr(PangoLayout) text = make_layout (render, block->series[s], 8, FALSE, -1);

          set_color (render->cr, block->colors[s]);
          cairo_rectangle (render->cr, x, y + 2, LEGEND_SWATCH, LEGEND_SWATCH);
          cairo_fill (render->cr);
          show_layout (render, text, x + LEGEND_SWATCH + 4, y, INK);
        }
      x += width;
    }
  return height;
}

static double
category_labels_height (Render            *render,
                        const VwBookBlock *block,
                        double             slot)
{
  double height = 0;

  for (guint c = 0; c < block->n_categories; c++)
    {
      g_autoptr(PangoLayout) text = make_layout (render, block->categories[c], 7.5, FALSE, slot - 4);
      double h;

      layout_size (text, NULL, &h);
      height = MAX (height, h);
    }
  return height;
}

static double
chart_height (Render            *render,
              const VwBookBlock *block)
{
  double plot = block->kind == VW_BOOK_BAR_CHART ? CHART_PLOT_HEIGHT : STACK_PLOT_HEIGHT;
  double slot = (CONTENT_WIDTH - AXIS_WIDTH) / MAX (block->n_categories, 1);
  double caption = 0;

  if (block->caption != NULL)
    {
      g_autoptr(PangoLayout) text = make_layout (render, block->caption, 8, FALSE, CONTENT_WIDTH);
      layout_size (text, NULL, &caption);
    }
  return 14 + plot + 4 + category_labels_height (render, block, slot) + 6 + draw_legend (render, block, 0, FALSE) +
         6 + caption + 8;
}

/* The value axis with grid lines every 10 or 20 percent. */
static void
draw_axis (Render            *render,
           const VwBookBlock *block,
           double             top,
           double             plot,
           double             max)
{
  double step = max > 50 ? 20 : 10;
  g_autoptr(PangoLayout) axis = make_layout (render, block->axis, 7, FALSE, -1);

  show_layout (render, axis, MARGIN_LEFT, top - 12, GREY);
  cairo_set_line_width (render->cr, 0.5);
  for (double v = 0; v <= max + 0.01; v += step)
    {
      double y = top + plot - plot * v / max;
      g_autofree char *label = g_strdup_printf ("%.0f", v);
      g_autoptr(PangoLayout) text = make_layout (render, label, 7, FALSE, -1);
      double w, h;

      set_color (render->cr, v == 0 ? RULE : GRID);
      cairo_move_to (render->cr, MARGIN_LEFT + AXIS_WIDTH, y);
      cairo_line_to (render->cr, MARGIN_LEFT + CONTENT_WIDTH, y);
      cairo_stroke (render->cr);
      layout_size (text, &w, &h);
      show_layout (render, text, MARGIN_LEFT + AXIS_WIDTH - 4 - w, y - h / 2, GREY);
    }
}

static void
draw_chart (Render            *render,
            const VwBookBlock *block)
{
  gboolean bars = block->kind == VW_BOOK_BAR_CHART;
  double plot = bars ? CHART_PLOT_HEIGHT : STACK_PLOT_HEIGHT;
  double slot = (CONTENT_WIDTH - AXIS_WIDTH) / MAX (block->n_categories, 1);
  double max = 100, top, y;

  ensure_space (render, chart_height (render, block));
  top = render->y + 14;

  if (bars)
    {
      /* The axis ends at the next ten above the highest bar. */
      double highest = 0;

      for (guint i = 0; i < block->n_categories * block->n_series; i++)
        highest = MAX (highest, block->values[i]);
      max = MIN (100, MAX (10, ceil (highest / 10) * 10));
    }
  draw_axis (render, block, top, plot, max);

  for (guint c = 0; c < block->n_categories; c++)
    {
      double x0 = MARGIN_LEFT + AXIS_WIDTH + c * slot;

      if (bars)
        {
          double bar = slot * 0.8 / MAX (block->n_series, 1);
          gboolean labelled = bar >= 12;

          for (guint s = 0; s < block->n_series; s++)
            {
              double value = block->values[c * block->n_series + s];
              double h = plot * value / max;
              double x = x0 + slot * 0.1 + s * bar;
              const char *label = block->labels[c * block->n_series + s];

              /* One path per bar, so that the PDF has one shape per bar. */
              if (h > 0)
                {
                  set_color (render->cr, block->colors[s]);
                  cairo_rectangle (render->cr, x + 0.5, top + plot - h, bar - 1, h);
                  cairo_fill (render->cr);
                }
              if (labelled && label != NULL)
                {
                  g_autoptr(PangoLayout) text = make_layout (render, label, 6, FALSE, -1);
                  double w, th;

                  layout_size (text, &w, &th);
                  show_layout (render, text, x + bar / 2 - w / 2, top + plot - h - th - 1, INK);
                }
            }
        }
      else
        {
          double bottom = top + plot;
          double width = MIN (slot * 0.6, 60);
          double x = x0 + (slot - width) / 2;

          for (guint s = 0; s < block->n_series; s++)
            {
              double value = block->values[c * block->n_series + s];
              double h = plot * value / 100;
              const char *label = block->labels[c * block->n_series + s];

              if (h <= 0)
                continue;
              set_color (render->cr, block->colors[s]);
              cairo_rectangle (render->cr, x, bottom - h, width, h);
              cairo_fill (render->cr);
              if (label != NULL && h >= 9)
                {
                  g_autoptr(PangoLayout) text = make_layout (render, label, 6.5, FALSE, -1);
                  double w, th;

                  layout_size (text, &w, &th);
                  show_layout (render, text, x + width / 2 - w / 2, bottom - h / 2 - th / 2, 0xffffff);
                }
              bottom -= h;
            }
        }

      {
        g_autoptr(PangoLayout) text = make_layout (render, block->categories[c], 7.5, FALSE, slot - 4);

        pango_layout_set_alignment (text, PANGO_ALIGN_CENTER);
        show_layout (render, text, x0 + 2, top + plot + 4, INK);
      }
    }

  y = top + plot + 4 + category_labels_height (render, block, slot) + 6;
  y += draw_legend (render, block, y, TRUE) + 6;
  if (block->caption != NULL)
    {
      g_autoptr(PangoLayout) text = make_layout (render, block->caption, 8, FALSE, CONTENT_WIDTH);
      double h;

      layout_size (text, NULL, &h);
      show_layout (render, text, MARGIN_LEFT, y, GREY);
      y += h;
    }
  render->y = y + 8;
}

/* How much of the next block must follow a heading on its page. */
static double
start_height (Render            *render,
              const VwBookBlock *block)
{
  switch (block->kind)
    {
    case VW_BOOK_TABLE:
      return table_start_height (render, block);
    case VW_BOOK_BAR_CHART:
    case VW_BOOK_STACK_CHART:
      return chart_height (render, block);
    case VW_BOOK_PAGE_BREAK:
      return 0;
    default:
      return text_height (render, block);
    }
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * vw_table_book_render_pdf:
 * @out: the PDF is appended here
 *
 * Returns: %TRUE, or %FALSE with @error set when cairo failed
 */
G_MODULE_EXPORT gboolean
vw_table_book_render_pdf (const VwTableBook  *book,
                          GByteArray         *out,
                          GError            **error)
{
  Render render = { book, NULL, NULL, NULL, MARGIN_TOP, 1 };
  PangoFontMap *font_map;
  cairo_font_options_t *options;
  cairo_status_t status;

  render.surface = cairo_pdf_surface_create_for_stream (write_cb, out, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (render.surface, CAIRO_PDF_METADATA_TITLE, book->title);
  cairo_pdf_surface_set_metadata (render.surface, CAIRO_PDF_METADATA_CREATOR, "Veldwerk " PACKAGE_VERSION);
  render.cr = cairo_create (render.surface);
  /* A font map of its own: the book may be drawn on a worker thread. */
  font_map = pango_cairo_font_map_new ();
  render.context = pango_font_map_create_context (font_map);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (render.context, options);
  cairo_font_options_destroy (options);
  pango_cairo_update_context (render.cr, render.context);
  pango_context_set_language (render.context, pango_language_from_string (book->language));

  for (guint i = 0; i < book->blocks->len; i++)
    {
      const VwBookBlock *block = g_ptr_array_index (book->blocks, i);
      const VwBookBlock *next = i + 1 < book->blocks->len ? g_ptr_array_index (book->blocks, i + 1) : NULL;

      switch (block->kind)
        {
        case VW_BOOK_HEADING:
        case VW_BOOK_SUBHEADING:
          {
            /* A heading stays with the start of what it heads, a heading
             * over a subheading with the start of what that heads. */
            double need = text_height (&render, block);
            const VwBookBlock *after = i + 2 < book->blocks->len ? g_ptr_array_index (book->blocks, i + 2) : NULL;

            if (next != NULL)
              need += start_height (&render, next);
            if (next != NULL && next->kind == VW_BOOK_SUBHEADING && after != NULL)
              need += start_height (&render, after);
            ensure_space (&render, need);
          }
          draw_text (&render, block);
          break;
        case VW_BOOK_TABLE:
          draw_table (&render, block);
          break;
        case VW_BOOK_BAR_CHART:
        case VW_BOOK_STACK_CHART:
          draw_chart (&render, block);
          break;
        case VW_BOOK_PAGE_BREAK:
          if (render.y > MARGIN_TOP + 1)
            new_page (&render);
          break;
        default:
          draw_text (&render, block);
          break;
        }
    }
  draw_footer (&render);
  cairo_show_page (render.cr);

  g_object_unref (render.context);
  g_object_unref (font_map);
  cairo_destroy (render.cr);
  cairo_surface_finish (render.surface);
  status = cairo_surface_status (render.surface);
  cairo_surface_destroy (render.surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot draw the table book: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
