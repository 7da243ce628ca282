/* vw-results-view.c: tables and charts (see vw-results-view.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-results-view.h"

struct _VwResultsView
{
  AdwBin  parent_instance;
};

G_DEFINE_FINAL_TYPE (VwResultsView, vw_results_view, ADW_TYPE_BIN)

GtkWidget *
vw_results_view_new (void)
{
  return g_object_new (VW_TYPE_RESULTS_VIEW, NULL);
}

void
vw_results_view_reload (VwResultsView *self,
                        VwVault       *vault,
                        const char    *study)
{
  g_return_if_fail (VW_IS_RESULTS_VIEW (self));
  g_return_if_fail (VW_IS_VAULT (vault));
}

static void
vw_results_view_class_init (VwResultsViewClass *klass)
{
}

static void
vw_results_view_init (VwResultsView *self)
{
}
