/* vw-chart.c: the chart widgets' shared drawing and saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "vw-chart.h"

G_DEFINE_QUARK (vw-chart-error-quark, vw_chart_error)

void
vw_chart_set_color (cairo_t *cr,
                    guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

guint32
vw_chart_class_color (char residence_class)
{
  switch (residence_class)
    {
    case 'F':
      return VW_CHART_COLOR_FACILITY;
    case 'H':
      return VW_CHART_COLOR_HOME;
    case 'E':
      return VW_CHART_COLOR_ELSEWHERE;
    default:
      return VW_CHART_COLOR_UNKNOWN;
    }
}

static PangoLayout *
create_layout (GtkWidget  *chart,
               cairo_t    *cr,
               const char *text,
               gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_copy (
    pango_context_get_font_description (gtk_widget_get_pango_context (chart)));

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

double
vw_chart_text_width (GtkWidget  *chart,
                     cairo_t    *cr,
                     const char *text,
                     gboolean    bold)
{
  g_autoptr(PangoLayout) layout = create_layout (chart, cr, text, bold);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

double
vw_chart_draw_text (GtkWidget  *chart,
                    cairo_t    *cr,
                    const char *text,
                    double      x,
                    double      y,
                    double      align,
                    double      max_width,
                    gboolean    bold)
{
  g_autoptr(PangoLayout) layout = create_layout (chart, cr, text, bold);
  int width, height;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, align < 0.25 ? PANGO_ALIGN_LEFT
                                        : align > 0.75 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (layout, &width, &height);
      cairo_move_to (cr, x - align * max_width, y);
    }
  else
    {
      pango_layout_get_pixel_size (layout, &width, &height);
      cairo_move_to (cr, x - align * width, y);
    }
  pango_cairo_show_layout (cr, layout);
  return height;
}

static void
widget_color (GtkWidget *widget,
              GdkRGBA   *color)
{
  /* gtk_widget_get_color() is GTK 4.10; 4.8 has the style context. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* On screen the text follows the theme (light or dark). */
void
vw_chart_snapshot (GtkWidget       *chart,
                   GtkSnapshot     *snapshot,
                   VwChartDrawFunc  draw)
{
  int width = gtk_widget_get_width (chart);
  int height = gtk_widget_get_height (chart);
  GdkRGBA foreground;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  widget_color (chart, &foreground);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw (chart, cr, width, height, &foreground);
  cairo_destroy (cr);
}

/**
 * vw_chart_save:
 * @path: ends in .svg or .png
 *
 * Draws the chart as on screen, on white with dark text, into an SVG or a
 * PNG file of @width x @height.
 */
gboolean
vw_chart_save (GtkWidget        *chart,
               VwChartDrawFunc   draw,
               int               width,
               int               height,
               const char       *path,
               GError          **error)
{
  static const GdkRGBA ink = { 0.14, 0.12, 0.19, 1.0 };
  g_autofree char *lower = g_ascii_strdown (path, -1);
  gboolean svg = g_str_has_suffix (lower, ".svg");
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (!svg && !g_str_has_suffix (lower, ".png"))
    {
      g_set_error_literal (error, VW_CHART_ERROR, VW_CHART_ERROR_FORMAT,
                           _("A chart can be saved as SVG or PNG: end the file name in .svg or .png"));
      return FALSE;
    }

  surface = svg ? cairo_svg_surface_create (path, width, height)
                : cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw (chart, cr, width, height, &ink);
  cairo_destroy (cr);
  status = svg ? CAIRO_STATUS_SUCCESS : cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, VW_CHART_ERROR, VW_CHART_ERROR_WRITE, _("Cannot save the chart as %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
