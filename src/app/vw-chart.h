/* vw-chart.h: what the chart widgets share: the palette, text, and
 * saving a chart as SVG or PNG with the same drawing as on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VW_CHART_ERROR (vw_chart_error_quark ())

typedef enum {
  VW_CHART_ERROR_FORMAT, /* neither .svg nor .png */
  VW_CHART_ERROR_WRITE,
} VwChartError;

GQuark vw_chart_error_quark (void);

/* Colours as 0xRRGGBB: the bars, and the residence classes of codebook
 * section 4 (F facility, H home, E elsewhere, U unknown). */
#define VW_CHART_COLOR_BAR       0x3584e4
#define VW_CHART_COLOR_FACILITY  0xc01c28
#define VW_CHART_COLOR_HOME      0x2ec27e
#define VW_CHART_COLOR_ELSEWHERE 0xe5a50a
#define VW_CHART_COLOR_UNKNOWN   0x9a9996
#define VW_CHART_COLOR_GRID      0xc0bfbc

/* Draws a chart into @cr in @width x @height, text in @foreground. */
typedef void (*VwChartDrawFunc) (GtkWidget     *chart,
                                 cairo_t       *cr,
                                 int            width,
                                 int            height,
                                 const GdkRGBA *foreground);

void     vw_chart_snapshot    (GtkWidget        *chart,
                               GtkSnapshot      *snapshot,
                               VwChartDrawFunc   draw);
gboolean vw_chart_save        (GtkWidget        *chart,
                               VwChartDrawFunc   draw,
                               int               width,
                               int               height,
                               const char       *path,
                               GError          **error);
void     vw_chart_set_color   (cairo_t          *cr,
                               guint32           rgb);
guint32  vw_chart_class_color (char              residence_class);
/* Draws @text with its top at @y; @align 0 left of @x, 0.5 centred on
 * it, 1 right of it; wrapped to @max_width when that is above 0.
 * Returns the text's height. */
double   vw_chart_draw_text   (GtkWidget        *chart,
                               cairo_t          *cr,
                               const char       *text,
                               double            x,
                               double            y,
                               double            align,
                               double            max_width,
                               gboolean          bold);
double   vw_chart_text_width  (GtkWidget        *chart,
                               cairo_t          *cr,
                               const char       *text,
                               gboolean          bold);

G_END_DECLS
