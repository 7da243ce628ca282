/* vw-chart-timeline.h: a timeline of stays per participant, coloured by
 * residence class, with a legend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_CHART_TIMELINE (vw_chart_timeline_get_type ())
G_DECLARE_FINAL_TYPE (VwChartTimeline, vw_chart_timeline, VW, CHART_TIMELINE, GtkWidget)

/* The most participants drawn; the chart says when there are more. */
#define VW_CHART_TIMELINE_MAX_ROWS 100

GtkWidget *vw_chart_timeline_new                (void);
void       vw_chart_timeline_set_classification (VwChartTimeline   *self,
                                                 VwClassification  *classification);
guint      vw_chart_timeline_get_n_rows         (VwChartTimeline   *self);
int        vw_chart_timeline_get_natural_height (VwChartTimeline   *self);
gboolean   vw_chart_timeline_save               (VwChartTimeline   *self,
                                                 const char        *path,
                                                 int                width,
                                                 int                height,
                                                 GError           **error);

G_END_DECLS
