/* vw-round-status.c: status badges (see vw-round-status.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-round-status.h"

const char * const vw_nonresponse_statuses[] = {
  "declined", "unreachable", "deceased", "admitted", "withdrawn", NULL,
};

const char * const vw_round_statuses[] = {
  "interviewed", "planned", "in_progress", "declined", "unreachable", "deceased", "admitted", "withdrawn",
  "not_approached", NULL,
};

/**
 * vw_round_status_from_interview:
 * @interview: (nullable): the participant's interview record in the round
 *
 * Returns: a codebook status; "planned" without a record, "in_progress"
 * for an interview that has started but has no result.
 */
const char *
vw_round_status_from_interview (const VwInterview *interview)
{
  if (interview == NULL)
    return "planned";
  if (interview->status != NULL)
    return interview->status;
  if (interview->state == VW_INTERVIEW_FINISHED)
    return "interviewed";
  return "in_progress";
}

const char *
vw_round_status_label (const char *status)
{
  static const struct { const char *code; const char *label; } labels[] = {
    { "interviewed", N_("Interviewed") },
    { "planned", N_("Planned") },
    { "in_progress", N_("In progress") },
    { "declined", N_("Declined") },
    { "unreachable", N_("Unreachable") },
    { "deceased", N_("Deceased") },
    { "admitted", N_("Admitted") },
    { "withdrawn", N_("Withdrawn") },
    { "not_approached", N_("Not approached") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].code, status) == 0)
      return _(labels[i].label);
  return status;
}

GtkWidget *
vw_round_status_badge_new (const char *round,
                           const char *status)
{
  g_autofree char *text = round ? g_strdup_printf ("%s %s", round, vw_round_status_label (status))
                                : g_strdup (vw_round_status_label (status));
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "status-badge");
  gtk_widget_add_css_class (label, status);
  return label;
}
