/* vw-chart-bars.h: a bar chart of the trajectory types, from the
 * trajectories table of a rule set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_CHART_BARS (vw_chart_bars_get_type ())
G_DECLARE_FINAL_TYPE (VwChartBars, vw_chart_bars, VW, CHART_BARS, GtkWidget)

GtkWidget  *vw_chart_bars_new            (void);
void        vw_chart_bars_set_table      (VwChartBars  *self,
                                          VwTable      *table);
guint       vw_chart_bars_get_n_bars     (VwChartBars  *self);
const char *vw_chart_bars_get_bar        (VwChartBars  *self,
                                          guint         index,
                                          guint        *count);
double      vw_chart_bars_get_bar_height (VwChartBars  *self,
                                          guint         index,
                                          int           height);
gboolean    vw_chart_bars_save           (VwChartBars  *self,
                                          const char   *path,
                                          int           width,
                                          int           height,
                                          GError      **error);

G_END_DECLS
