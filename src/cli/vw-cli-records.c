/* veldwerk-cli trajectory, report, records: the records, their trajectory
 * types and the report tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("veldwerk-cli %s: %s\n", command, message);
  g_printerr (_("Run “veldwerk-cli %s --help” for the options.\n"), command);
  return VW_CLI_EXIT_USAGE;
}

/* Opens the vault and finds the study; both stay open for the command. */
static VwVault *
open_study (VwCli       *cli,
            const char  *study_name,
            char       **study,
            GError     **error)
{
  g_autoptr(VwVault) vault = vw_cli_open_vault (cli, error);

  if (vault == NULL || (*study = vw_cli_resolve_study (vault, study_name, error)) == NULL)
    return NULL;
  return g_steal_pointer (&vault);
}

/* The one place that decides where the records come from: a records
 * folder (--records DIR), else the study in the vault. With a vault,
 * @vault and @study are set so that the caller can read more (overrides). */
static VwRecords *
open_records (VwCli       *cli,
              const char  *records_dir,
              const char  *study_name,
              VwVault    **vault,
              char       **study,
              GError     **error)
{
  g_autoptr(GError) local = NULL;
  VwRecords *records;

  if (records_dir == NULL && !g_file_test (vw_cli_vault_path (cli), G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                   _("No records to read: there is no vault at %s; give one with --vault FILE, "
                     "or a records folder with --records DIR"), vw_cli_vault_path (cli));
      return NULL;
    }
  if (records_dir == NULL)
    {
      *vault = open_study (cli, study_name, study, error);
      return *vault ? vw_vault_load_records (*vault, *study, error) : NULL;
    }

  records = vw_records_load_dir (records_dir, NULL, &local);
  if (records == NULL && g_error_matches (local, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID))
    g_set_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID,
                 _("%s; run “veldwerk-cli records check %s” to see every problem"),
                 local->message, records_dir);
  else if (records == NULL)
    g_propagate_error (error, g_steal_pointer (&local));

  return records;
}

static int
parse_rules (const char *command,
             const char *text,
             VwRuleSet  *rules)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      *rules = VW_RULE_SET_DH3;
      return VW_CLI_EXIT_OK;
    }
  if (!vw_rule_set_from_string (text, rules, &error))
    return usage_error (command, error->message);
  return VW_CLI_EXIT_OK;
}

int
vw_cli_trajectory (VwCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *records_dir = NULL;
  g_autofree char *rules_name = NULL;
  g_autofree char *study_name = NULL;
  g_autofree char *study = NULL;
  g_autofree char *override = NULL;
  g_autofree char *subtype = NULL;
  g_autofree char *reason = NULL;
  gboolean clear_override = FALSE;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwClassification) classification = NULL;
  g_autoptr(VwTrajectory) trajectory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  VwRuleSet rules;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_FILENAME, &records_dir,
      N_("Read the records from the folder DIR (participants.csv, rounds.csv, episodes.csv)"), N_("DIR") },
    { "rules", 0, 0, G_OPTION_ARG_STRING, &rules_name, N_("The rule set: dh3 (default) or fl4"), N_("RULES") },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study_name, N_("The study in the vault, by id or name (default: its only study)"),
      N_("NAME") },
    { "override", 0, 0, G_OPTION_ARG_STRING, &override,
      N_("As coordinator, set the participant’s type under the rule set to TYPE (needs --reason)"), N_("TYPE") },
    { "subtype", 0, 0, G_OPTION_ARG_STRING, &subtype,
      N_("The subtype of an override to uitstroom_woning under dh3: omklap or eigen_naam"), N_("SUBTYPE") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the override was made"), N_("TEXT") },
    { "clear-override", 0, 0, G_OPTION_ARG_NONE, &clear_override,
      N_("Remove the override, so that the derived type counts again"), NULL },
    { NULL }
  };
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "trajectory", _("CODE"),
                     _("Explain a participant’s trajectory type: the stays, the sequence and the rule that decided."),
                     entries, &status))
    return status;
  if (argc != 2)
    return usage_error ("trajectory", _("give one participant code"));
  if ((status = parse_rules ("trajectory", rules_name, &rules)) != VW_CLI_EXIT_OK)
    return status;

  if ((override != NULL || clear_override) && records_dir != NULL)
    return usage_error ("trajectory", _("overrides are stored in the vault; leave out --records"));
  if (override != NULL && clear_override)
    return usage_error ("trajectory", _("use either --override or --clear-override"));
  if ((subtype != NULL || reason != NULL) && override == NULL)
    return usage_error ("trajectory", _("--subtype and --reason go with --override"));

  records = open_records (cli, records_dir, study_name, &vault, &study, &error);
  if (records == NULL)
    return vw_cli_fail (error);

  if (override != NULL &&
      !vw_vault_set_trajectory_override (vault, study, argv[1], rules, override, subtype, reason, &error))
    return vw_cli_fail (error);
  if (clear_override && !vw_vault_clear_trajectory_override (vault, study, argv[1], rules, &error))
    return vw_cli_fail (error);

  classification = vault ? vw_vault_classify (vault, study, records, rules, NULL, &error)
                         : vw_classification_new (records, rules, NULL);
  if (classification == NULL)
    return vw_cli_fail (error);
  trajectory = vw_classification_explain (classification, argv[1], &error);
  if (trajectory == NULL)
    return vw_cli_fail (error);

  text = vw_trajectory_to_string (trajectory);
  g_print ("%s", text);
  return VW_CLI_EXIT_OK;
}

int
vw_cli_report (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *records_dir = NULL;
  g_autofree char *rules_name = NULL;
  g_autofree char *round_name = NULL;
  g_autofree char *format = NULL;
  g_autofree char *study_name = NULL;
  g_autofree char *study = NULL;
  g_autofree char *output = NULL;
  g_autofree char *language = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autofree char *tables = g_strjoinv (", ", (char **) vw_table_get_names ());
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwTable) table = NULL;
  g_autoptr(VwClassification) classification = NULL;
  g_autoptr(GError) error = NULL;
  VwTableOptions options = { 0 };
  gboolean as_text;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_FILENAME, &records_dir,
      N_("Read the records from the folder DIR (participants.csv, rounds.csv, episodes.csv)"), N_("DIR") },
    { "round", 0, 0, G_OPTION_ARG_STRING, &round_name,
      N_("The round of rounds_attended and participation_by_residence (default: the last)"), N_("ROUND") },
    { "rules", 0, 0, G_OPTION_ARG_STRING, &rules_name, N_("The rule set: dh3 (default) or fl4"), N_("RULES") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv (default) or text"), N_("FORMAT") },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study_name, N_("The study in the vault, by id or name (default: its only study)"),
      N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("report book: write the table book, every table and the charts, to FILE (PDF)"), N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("report book: the language of the table book, nl (default) or en"), N_("LANG") },
    { NULL }
  };
  int status;
  gboolean book;

  summary = g_strdup_printf (_("Print a report table, counted from the records. The tables: %s. "
                               "“report book -o FILE” writes all of them, with charts, as a PDF table book."),
                             tables);
  if (!vw_cli_parse (cli, &argc, &argv, "report", _("TABLE"), summary, entries, &status))
    return status;
  if (argc != 2)
    return usage_error ("report", _("give one table name"));
  book = g_str_equal (argv[1], "book");
  if (book && output == NULL)
    return usage_error ("report", _("report book needs -o FILE, the PDF to write"));
  if (!book && (output != NULL || language != NULL))
    return usage_error ("report", _("-o and --language are options of report book"));
  if (language != NULL && !vw_cli_language_is_valid (language))
    return usage_error ("report", _("the language is nl or en"));
  if (!book && !g_strv_contains (vw_table_get_names (), argv[1]))
    {
      g_autofree char *message = g_strdup_printf (_("unknown table “%s”; the tables are: %s"), argv[1], tables);
      return usage_error ("report", message);
    }
  if ((status = parse_rules ("report", rules_name, &options.rules)) != VW_CLI_EXIT_OK)
    return status;
  if (round_name != NULL && !vw_round_parse (round_name, &options.round))
    return usage_error ("report", _("a round is written T0, T1, T2, …"));
  options.has_round = round_name != NULL;
  if (format != NULL && g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "text") != 0)
    return usage_error ("report", _("the format is csv or text"));
  as_text = g_strcmp0 (format, "text") == 0;

  records = open_records (cli, records_dir, study_name, &vault, &study, &error);
  if (records == NULL)
    return vw_cli_fail (error);
  /* From the vault, the coordinator's overrides count. */
  if (vault != NULL &&
      (classification = vw_vault_classify (vault, study, records, options.rules, NULL, &error)) == NULL)
    return vw_cli_fail (error);
  options.classification = classification;
  if (book)
    {
      g_autoptr(VwStudy) info = vault != NULL ? vw_vault_get_study (vault, study, NULL) : NULL;
      g_autofree char *folder = records_dir != NULL ? g_path_get_basename (records_dir) : NULL;
      g_autofree char *source = records_dir != NULL
                                ? g_strdup_printf (_("the records folder %s"), records_dir)
                                : g_strdup (_("the records in the vault"));

      return vw_cli_report_book (records, classification, info != NULL ? info->name : folder, source,
                                 options.rules, output, language ? language : "nl");
    }

  table = vw_table_build (argv[1], records, &options, &error);
  if (table == NULL)
    return vw_cli_fail (error);

  text = as_text ? vw_table_to_text (table) : vw_table_to_csv (table);
  g_print ("%s", text);
  return VW_CLI_EXIT_OK;
}

/* records check DIR: every problem on standard output, one per line as
 * FILE:LINE:COLUMN: message, so an editor or a script can jump to it. */
static int
records_check (const char *dir)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  guint n_participants, n_rounds, n_episodes;

  records = vw_records_load_dir (dir, &problems, &error);
  if (records == NULL)
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          g_autofree char *line = vw_records_problem_to_string (g_ptr_array_index (problems, i));
          g_print ("%s\n", line);
        }
      return vw_cli_fail (error);
    }

  vw_records_get_participants (records, &n_participants);
  vw_records_get_rounds (records, &n_rounds);
  vw_records_get_episodes (records, &n_episodes);
  g_print (_("No problems: %u participants, %u rows in rounds.csv, %u episodes.\n"),
           n_participants, n_rounds, n_episodes);
  return VW_CLI_EXIT_OK;
}

int
vw_cli_records (VwCli  *cli,
                int     argc,
                char  **argv)
{
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "records", _("check DIR"),
                     _("Check a records folder (participants.csv, rounds.csv, episodes.csv) and list "
                       "every problem as FILE:LINE:COLUMN: message."),
                     NULL, &status))
    return status;
  if (argc != 3 || g_strcmp0 (argv[1], "check") != 0)
    return usage_error ("records", _("use “records check DIR”"));

  return records_check (argv[2]);
}

int
vw_cli_import (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *study_name = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GError) error = NULL;
  VwImportSummary summary;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study_name, N_("The study in the vault, by id or name (default: its only study)"),
      N_("NAME") },
    { NULL }
  };
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "import", _("DIR"),
                     _("Import a records folder (participants.csv, rounds.csv, episodes.csv) into the study: "
                       "all or nothing; rows the vault already has are left alone."),
                     entries, &status))
    return status;
  if (argc != 2)
    return usage_error ("import", _("give one records folder"));

  vault = open_study (cli, study_name, &study, &error);
  if (vault == NULL || !vw_vault_import_records_dir (vault, study, argv[1], &summary, &error))
    return vw_cli_fail (error);

  g_print (_("Imported: %u new participants (%u changed), %u new rows of rounds (%u changed), "
             "%u new episodes, %u new rounds.\n"),
           summary.participants_added, summary.participants_changed, summary.interviews_added,
           summary.interviews_changed, summary.episodes_added, summary.rounds_added);
  return VW_CLI_EXIT_OK;
}

/* export --records DIR; kept apart from the other kinds of export so that
 * each has its own handler. */
int
vw_cli_export_records (VwCli       *cli,
                       const char  *dir,
                       const char  *study_name)
{
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GError) error = NULL;

  vault = open_study (cli, study_name, &study, &error);
  if (vault == NULL || !vw_vault_export_records (vault, study, dir, &error))
    return vw_cli_fail (error);

  g_print (_("Wrote the records to %s.\n"), dir);
  return VW_CLI_EXIT_OK;
}
