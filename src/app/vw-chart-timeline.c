/* vw-chart-timeline.c: stays per participant over time (see
 * vw-chart-timeline.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-chart-timeline.h"
#include "vw-chart.h"

typedef struct
{
  VwMonth start;
  VwMonth end;   /* exclusive */
  char    cls;
} Segment;

typedef struct
{
  char   *code;
  GArray *segments; /* of Segment */
} Row;

struct _VwChartTimeline
{
  GtkWidget  parent_instance;

  /* Owned */
  GArray    *rows;  /* of Row */
  guint      n_participants;
  VwMonth    first;
  VwMonth    last;  /* exclusive */
};

G_DEFINE_FINAL_TYPE (VwChartTimeline, vw_chart_timeline, GTK_TYPE_WIDGET)

#define TITLE_SPACE  32
#define AXIS_SPACE   22
#define LABEL_WIDTH  96
#define ROW_HEIGHT   12
#define ROW_GAP      4
#define LEGEND_SPACE 48
#define RIGHT_MARGIN 16

static void
clear_row (Row *row)
{
  g_free (row->code);
  g_array_unref (row->segments);
}

static const struct
{
  char        cls;
  const char *label;
} legend[] = {
  { 'F', N_("Facility (MO, BW)") },
  { 'H', N_("Home") },
  { 'E', N_("Elsewhere") },
  { 'U', N_("Unknown") },
};

static void
draw (GtkWidget     *widget,
      cairo_t       *cr,
      int            width,
      int            height,
      const GdkRGBA *foreground)
{
  VwChartTimeline *self = VW_CHART_TIMELINE (widget);
  double plot_left = LABEL_WIDTH;
  double plot_width = MAX (1, width - LABEL_WIDTH - RIGHT_MARGIN);
  double top = TITLE_SPACE + AXIS_SPACE;
  double per_month;
  double x, y;

  gdk_cairo_set_source_rgba (cr, foreground);
  vw_chart_draw_text (widget, cr, _("Stays per participant, coloured by the kind of place"), 8, 8, 0, width - 16,
                      TRUE);
  if (self->rows->len == 0 || self->last <= self->first)
    return;
  per_month = plot_width / (self->last - self->first);

  /* A line and a label at each January. */
  cairo_set_line_width (cr, 1);
  for (VwMonth m = self->first; m < self->last; m++)
    {
      char year[8];

      if (m % 12 != 0 && m != self->first)
        continue;
      x = plot_left + (m - self->first) * per_month;
      vw_chart_set_color (cr, VW_CHART_COLOR_GRID);
      cairo_move_to (cr, (int) x + 0.5, top - 4);
      cairo_line_to (cr, (int) x + 0.5, top + self->rows->len * (ROW_HEIGHT + ROW_GAP));
      cairo_stroke (cr);
      if (m % 12 == 0)
        {
          g_snprintf (year, sizeof year, "%d", m / 12);
          gdk_cairo_set_source_rgba (cr, foreground);
          vw_chart_draw_text (widget, cr, year, x + 2, TITLE_SPACE, 0, 0, FALSE);
        }
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      y = top + i * (ROW_HEIGHT + ROW_GAP);
      gdk_cairo_set_source_rgba (cr, foreground);
      vw_chart_draw_text (widget, cr, row->code, plot_left - 8, y - 3, 1, 0, FALSE);
      for (guint s = 0; s < row->segments->len; s++)
        {
          const Segment *seg = &g_array_index (row->segments, Segment, s);

          vw_chart_set_color (cr, vw_chart_class_color (seg->cls));
          cairo_rectangle (cr, plot_left + (seg->start - self->first) * per_month, y,
                           (seg->end - seg->start) * per_month, ROW_HEIGHT);
          cairo_fill (cr);
        }
    }

  /* The legend, and how many are not shown. */
  y = top + self->rows->len * (ROW_HEIGHT + ROW_GAP) + 12;
  x = plot_left;
  for (gsize i = 0; i < G_N_ELEMENTS (legend); i++)
    {
      const char *label = _(legend[i].label);

      vw_chart_set_color (cr, vw_chart_class_color (legend[i].cls));
      cairo_rectangle (cr, x, y + 2, 14, 14);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, foreground);
      vw_chart_draw_text (widget, cr, label, x + 20, y, 0, 0, FALSE);
      x += 20 + vw_chart_text_width (widget, cr, label, FALSE) + 24;
    }
  if (self->n_participants > self->rows->len)
    {
      g_autofree char *more = g_strdup_printf (_("The first %u of %u participants"), self->rows->len,
                                               self->n_participants);

      vw_chart_draw_text (widget, cr, more, x, y, 0, 0, FALSE);
    }
}

static void
vw_chart_timeline_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  vw_chart_snapshot (widget, snapshot, draw);
}

int
vw_chart_timeline_get_natural_height (VwChartTimeline *self)
{
  g_return_val_if_fail (VW_IS_CHART_TIMELINE (self), 0);

  return TITLE_SPACE + AXIS_SPACE + self->rows->len * (ROW_HEIGHT + ROW_GAP) + LEGEND_SPACE;
}

static void
vw_chart_timeline_measure (GtkWidget      *widget,
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
    *minimum = *natural = vw_chart_timeline_get_natural_height (VW_CHART_TIMELINE (widget));
}

static void
vw_chart_timeline_finalize (GObject *object)
{
  VwChartTimeline *self = VW_CHART_TIMELINE (object);

  g_array_unref (self->rows);

  G_OBJECT_CLASS (vw_chart_timeline_parent_class)->finalize (object);
}

static void
vw_chart_timeline_class_init (VwChartTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vw_chart_timeline_finalize;
  widget_class->snapshot = vw_chart_timeline_snapshot;
  widget_class->measure = vw_chart_timeline_measure;
  gtk_widget_class_set_css_name (widget_class, "vwcharttimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vw_chart_timeline_init (VwChartTimeline *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, (GDestroyNotify) clear_row);
}

GtkWidget *
vw_chart_timeline_new (void)
{
  return g_object_new (VW_TYPE_CHART_TIMELINE, NULL);
}

/* The month of the participant's last interview, or VW_MONTH_NONE. */
static VwMonth
last_interview (VwRecords                 *records,
                const VwRecordParticipant *p)
{
  guint n;
  const VwRoundRecord *rounds = vw_records_get_rounds (records, &n) + p->first_round;
  VwMonth last = VW_MONTH_NONE;

  for (guint i = 0; i < p->n_rounds; i++)
    if (vw_round_record_is_interview (&rounds[i]))
      last = MAX (last, vw_date_get_month (rounds[i].date));
  return last;
}

/**
 * vw_chart_timeline_set_classification:
 * @classification: (nullable): the participants and their stays
 *
 * One row per participant (the first VW_CHART_TIMELINE_MAX_ROWS): each
 * known stay lasts until the next one starts, the last one until the
 * last interview.
 */
void
vw_chart_timeline_set_classification (VwChartTimeline  *self,
                                      VwClassification *classification)
{
  VwRecords *records = classification ? vw_classification_get_records (classification) : NULL;
  const VwRecordParticipant *participants = NULL;
  guint n = 0;

  g_return_if_fail (VW_IS_CHART_TIMELINE (self));

  g_array_set_size (self->rows, 0);
  self->first = G_MAXINT32;
  self->last = 0;
  if (records != NULL)
    participants = vw_records_get_participants (records, &n);
  self->n_participants = n;

  for (guint i = 0; i < MIN (n, VW_CHART_TIMELINE_MAX_ROWS); i++)
    {
      g_autoptr(VwTrajectory) trajectory = vw_classification_explain (classification, participants[i].code, NULL);
      const VwStay *stays;
      guint n_stays;
      VwMonth end;
      Row row;

      if (trajectory == NULL)
        continue;
      stays = vw_trajectory_get_stays (trajectory, &n_stays);
      end = last_interview (records, &participants[i]);
      row.code = g_strdup (participants[i].code);
      row.segments = g_array_new (FALSE, FALSE, sizeof (Segment));
      for (guint s = 0; s < n_stays; s++)
        {
          Segment seg = { stays[s].start, 0, stays[s].cls };

          if (seg.start == VW_MONTH_NONE)
            continue;
          /* Months are whole: a stay shows at least its first month. */
          seg.end = s + 1 < n_stays ? stays[s + 1].start : end + 1;
          seg.end = MAX (seg.end, seg.start + 1);
          g_array_append_val (row.segments, seg);
          self->first = MIN (self->first, seg.start);
          self->last = MAX (self->last, seg.end);
        }
      g_array_append_val (self->rows, row);
    }
  if (self->rows->len == 0)
    self->first = self->last = 0;

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
vw_chart_timeline_get_n_rows (VwChartTimeline *self)
{
  g_return_val_if_fail (VW_IS_CHART_TIMELINE (self), 0);

  return self->rows->len;
}

gboolean
vw_chart_timeline_save (VwChartTimeline  *self,
                        const char       *path,
                        int               width,
                        int               height,
                        GError          **error)
{
  g_return_val_if_fail (VW_IS_CHART_TIMELINE (self), FALSE);

  return vw_chart_save (GTK_WIDGET (self), draw, width, height, path, error);
}
