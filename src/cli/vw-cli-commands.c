/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static const VwCliCommand commands[] = {
  { "questionnaire", N_("Check a questionnaire file: questionnaire check FILE"), vw_cli_questionnaire },
  { NULL }
};

const VwCliCommand *
vw_cli_commands (void)
{
  return commands;
}
