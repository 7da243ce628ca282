/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static const VwCliCommand commands[] = {
  { "questionnaire", N_("Check a questionnaire file: questionnaire check FILE"), vw_cli_questionnaire },
  { "records", N_("Check a records folder and list every problem"), vw_cli_records },
  { "report", N_("Print a report table from the records"), vw_cli_report },
  { "trajectory", N_("Explain a participant’s trajectory type"), vw_cli_trajectory },
  { NULL }
};

const VwCliCommand *
vw_cli_commands (void)
{
  return commands;
}
