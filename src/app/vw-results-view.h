/* vw-results-view.h: the report tables and charts of a study, for the
 * coordinator and the duo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-chart-bars.h"
#include "vw-chart-timeline.h"
#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_RESULTS_VIEW (vw_results_view_get_type ())
G_DECLARE_FINAL_TYPE (VwResultsView, vw_results_view, VW, RESULTS_VIEW, AdwBin)

GtkWidget  *vw_results_view_new    (void);
/* Loads the records of @study from @vault (unlocked) and shows them;
 * reports an error in the view itself, not by return value. */
void        vw_results_view_reload (VwResultsView *self,
                                    VwVault       *vault,
                                    const char    *study);

/* What the view shows, for tests and for the window. */
void             vw_results_view_set_rules     (VwResultsView *self,
                                                VwRuleSet      rules);
const char      *vw_results_view_get_page      (VwResultsView *self);
VwChartBars     *vw_results_view_get_bar_chart (VwResultsView *self);
VwChartTimeline *vw_results_view_get_timeline  (VwResultsView *self);
GtkWidget       *vw_results_view_get_tables    (VwResultsView *self);

/* "Save Table Book…": every table and both charts as a PDF. */
void             vw_results_view_save_book_async  (VwResultsView       *self,
                                                   GFile               *file,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         vw_results_view_save_book_finish (VwResultsView       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
