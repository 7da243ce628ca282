/* vw-handover-state.c: see vw-handover-state.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-handover-state.h"

char *
vw_handover_state_label (const VwHandover *handover)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (handover->written, NULL);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *date = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup (handover->written);

  /* Translators: the receiving duo's laptop, then a date (YYYY-MM-DD). */
  return g_strdup_printf (_("Handed over to %s on %s, awaiting receipt"), handover->device_label, date);
}
