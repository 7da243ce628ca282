/* veldwerk-cli questionnaire: check questionnaire files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static int
questionnaire_check (VwCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(VwQuestionnaire) questionnaire = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!vw_cli_parse (cli, &argc, &argv, "questionnaire check", _("FILE"),
                     _("Check a questionnaire file and print every problem as FILE:LINE:COLUMN: path: message."),
                     NULL, &exit_code))
    return exit_code;
  if (argc != 2)
    {
      g_printerr ("%s\n", _("veldwerk-cli: questionnaire check needs exactly one FILE"));
      return VW_CLI_EXIT_USAGE;
    }

  questionnaire = vw_questionnaire_new_from_file (argv[1], &problems, &error);
  if (questionnaire == NULL && problems == NULL)
    return vw_cli_fail (error);

  if (questionnaire == NULL)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *line = vw_questionnaire_problem_to_string (g_ptr_array_index (problems, i), argv[1]);
          g_print ("%s\n", line);
        }
      return vw_cli_fail_printf (g_dngettext (NULL, "“%s” has %u problem", "“%s” has %u problems",
                                              problems->len),
                                 argv[1], problems->len);
    }

  /* Translators: the file is valid; then its id, version and SHA-256. */
  g_print (_("%s: valid questionnaire “%s” version %s (%u modules, %u questions)\nsha256 %s\n"),
           argv[1], vw_questionnaire_get_id (questionnaire), vw_questionnaire_get_version (questionnaire),
           vw_questionnaire_get_n_modules (questionnaire), vw_questionnaire_get_n_questions (questionnaire),
           vw_questionnaire_get_hash (questionnaire));
  return VW_CLI_EXIT_OK;
}

/**
 * vw_cli_questionnaire:
 *
 * `veldwerk-cli questionnaire check FILE`: exit 0 only for a valid file.
 */
int
vw_cli_questionnaire (VwCli  *cli,
                      int     argc,
                      char  **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "check"))
    return questionnaire_check (cli, argc - 1, argv + 1);

  g_printerr ("%s\n", _("veldwerk-cli: usage: veldwerk-cli questionnaire check FILE"));
  return VW_CLI_EXIT_USAGE;
}
