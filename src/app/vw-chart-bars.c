/* vw-chart-bars.c: the trajectory-type bar chart (see vw-chart-bars.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-chart-bars.h"
#include "vw-chart.h"

typedef struct
{
  char  *key;
  char  *label;
  guint  count;
} Bar;

struct _VwChartBars
{
  GtkWidget  parent_instance;

  /* Owned */
  GArray    *bars;  /* of Bar */
  char      *title;
  guint      denominator;
  gboolean   saving;  /* drawing into a file, which needs the title */
};

G_DEFINE_FINAL_TYPE (VwChartBars, vw_chart_bars, GTK_TYPE_WIDGET)

/* Where the plot goes in a drawing of @width x @height. */
typedef struct
{
  double left;
  double top;
  double width;
  double height;
  guint  axis_max;
  guint  step;
} Geometry;

#define TITLE_SPACE  40
#define AXIS_SPACE   48
#define LABEL_SPACE  52
#define RIGHT_MARGIN 16

static void
clear_bar (Bar *bar)
{
  g_free (bar->key);
  g_free (bar->label);
}

/* A round axis: steps of 1, 2 or 5 times a power of ten, about five. */
static void
geometry (VwChartBars *self,
          int          width,
          int          height,
          Geometry    *g)
{
  guint max = 1;
  guint step = 1;

  for (guint i = 0; i < self->bars->len; i++)
    max = MAX (max, g_array_index (self->bars, Bar, i).count);
  for (guint base = 1; ; base *= 10)
    {
      if (max <= 5 * base)
        {
          step = base;
          break;
        }
      if (max <= 10 * base)
        {
          step = 2 * base;
          break;
        }
      if (max <= 25 * base)
        {
          step = 5 * base;
          break;
        }
    }
  g->step = step;
  g->axis_max = (max + step - 1) / step * step;
  g->left = AXIS_SPACE;
  g->top = TITLE_SPACE;
  g->width = MAX (1, width - AXIS_SPACE - RIGHT_MARGIN);
  g->height = MAX (1, height - TITLE_SPACE - LABEL_SPACE);
}

static void
draw (GtkWidget     *widget,
      cairo_t       *cr,
      int            width,
      int            height,
      const GdkRGBA *foreground)
{
  VwChartBars *self = VW_CHART_BARS (widget);
  Geometry g;
  double slot;

  geometry (self, width, height, &g);
  gdk_cairo_set_source_rgba (cr, foreground);
  /* On screen the heading above the chart says what it shows; a saved
   * chart stands alone and carries its title. */
  if (self->title != NULL && self->saving)
    vw_chart_draw_text (widget, cr, self->title, 8, 8, 0, width - 16, TRUE);
  if (self->bars->len == 0)
    return;

  /* Grid lines with their counts. */
  cairo_set_line_width (cr, 1);
  for (guint v = 0; v <= g.axis_max; v += g.step)
    {
      double y = g.top + g.height - g.height * v / g.axis_max;
      g_autofree char *text = g_strdup_printf ("%u", v);

      vw_chart_set_color (cr, VW_CHART_COLOR_GRID);
      cairo_move_to (cr, g.left, (int) y + 0.5);
      cairo_line_to (cr, g.left + g.width, (int) y + 0.5);
      cairo_stroke (cr);
      gdk_cairo_set_source_rgba (cr, foreground);
      vw_chart_draw_text (widget, cr, text, g.left - 6, y - 8, 1, 0, FALSE);
    }

  slot = g.width / self->bars->len;
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      double h = vw_chart_bars_get_bar_height (self, i, height);
      double x = g.left + i * slot;
      g_autofree char *value = NULL;

      /* One fill per bar, so that an SVG has one shape per bar. */
      if (bar->count > 0)
        {
          vw_chart_set_color (cr, VW_CHART_COLOR_BAR);
          cairo_rectangle (cr, x + slot * 0.2, g.top + g.height - h, slot * 0.6, h);
          cairo_fill (cr);
        }
      gdk_cairo_set_source_rgba (cr, foreground);
      value = g_strdup_printf ("%u (%u%%)", bar->count, vw_percent_round (bar->count, self->denominator));
      vw_chart_draw_text (widget, cr, value, x + slot / 2, g.top + g.height - h - 20, 0.5, 0, FALSE);
      vw_chart_draw_text (widget, cr, bar->label, x + slot / 2, g.top + g.height + 6, 0.5, slot - 4, FALSE);
    }
}

static void
vw_chart_bars_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  vw_chart_snapshot (widget, snapshot, draw);
}

static void
vw_chart_bars_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 640;
    }
  else
    {
      *minimum = 240;
      *natural = 320;
    }
}

static void
vw_chart_bars_finalize (GObject *object)
{
  VwChartBars *self = VW_CHART_BARS (object);

  g_array_unref (self->bars);
  g_free (self->title);

  G_OBJECT_CLASS (vw_chart_bars_parent_class)->finalize (object);
}

static void
vw_chart_bars_class_init (VwChartBarsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vw_chart_bars_finalize;
  widget_class->snapshot = vw_chart_bars_snapshot;
  widget_class->measure = vw_chart_bars_measure;
  gtk_widget_class_set_css_name (widget_class, "vwchartbars");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vw_chart_bars_init (VwChartBars *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) clear_bar);
}

GtkWidget *
vw_chart_bars_new (void)
{
  return g_object_new (VW_TYPE_CHART_BARS, NULL);
}

/**
 * vw_chart_bars_set_table:
 * @table: (nullable): a trajectories table; one bar per type (its
 *   subtype rows are left out), %NULL for none
 */
void
vw_chart_bars_set_table (VwChartBars *self,
                         VwTable     *table)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (VW_IS_CHART_BARS (self));

  g_array_set_size (self->bars, 0);
  g_clear_pointer (&self->title, g_free);
  self->denominator = 0;

  for (guint i = 0; table != NULL && i < vw_table_get_n_rows (table); i++)
    {
      const char *subkey = NULL;
      const char *label = NULL;
      const char *key = vw_table_get_row (table, i, &subkey, &label);
      Bar bar;

      if (subkey != NULL && *subkey != '\0')
        continue;
      bar.key = g_strdup (key);
      bar.label = g_strdup (label);
      bar.count = (guint) MAX (0, vw_table_get_count (table, i, 0));
      g_array_append_val (self->bars, bar);
      g_string_append_printf (description, "%s%s: %u", description->len ? "; " : "", bar.label, bar.count);
    }
  if (table != NULL)
    {
      self->title = g_strdup (vw_table_get_title (table));
      self->denominator = vw_table_get_denominator (table);
    }

  /* Screen readers get the figures the picture shows. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->title ? self->title : "", GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
vw_chart_bars_get_n_bars (VwChartBars *self)
{
  g_return_val_if_fail (VW_IS_CHART_BARS (self), 0);

  return self->bars->len;
}

/**
 * vw_chart_bars_get_bar:
 * @count: (out) (optional): the bar's count
 *
 * Returns: the bar's key: the trajectory type
 */
const char *
vw_chart_bars_get_bar (VwChartBars *self,
                       guint        index,
                       guint       *count)
{
  const Bar *bar;

  g_return_val_if_fail (VW_IS_CHART_BARS (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);

  bar = &g_array_index (self->bars, Bar, index);
  if (count != NULL)
    *count = bar->count;
  return bar->key;
}

/**
 * vw_chart_bars_get_bar_height:
 * @height: the height of the whole drawing
 *
 * Returns: the bar's height in pixels in a drawing @height high
 */
double
vw_chart_bars_get_bar_height (VwChartBars *self,
                              guint        index,
                              int          height)
{
  Geometry g;

  g_return_val_if_fail (VW_IS_CHART_BARS (self), 0);
  g_return_val_if_fail (index < self->bars->len, 0);

  geometry (self, 100, height, &g);
  return g.height * g_array_index (self->bars, Bar, index).count / g.axis_max;
}

/**
 * vw_chart_bars_save:
 * @path: ends in .svg or .png
 */
gboolean
vw_chart_bars_save (VwChartBars  *self,
                    const char   *path,
                    int           width,
                    int           height,
                    GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (VW_IS_CHART_BARS (self), FALSE);

  self->saving = TRUE;
  ok = vw_chart_save (GTK_WIDGET (self), draw, width, height, path, error);
  self->saving = FALSE;
  return ok;
}
