/* veldwerk-cli export --anonymized: the anonymized package for central
 * analysis. The export key always comes from the vault's study;
 * the records come from the vault, or from a records folder
 * (--from-records). `export --records DIR` writes the pseudonymized records
 * folder instead (vw-cli-records.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static int
usage_error (const char *message)
{
  g_printerr ("veldwerk-cli export: %s\n", message);
  g_printerr (_("Run “veldwerk-cli %s --help” for the options.\n"), "export");
  return VW_CLI_EXIT_USAGE;
}

int
vw_cli_export_anonymized (VwCli  *cli,
                          int     argc,
                          char  **argv)
{
  g_autofree char *path = NULL;
  g_autofree char *rules_name = NULL;
  g_autofree char *age_scheme = NULL;
  g_autofree char *rare = NULL;
  g_autofree char *formats = NULL;
  g_autofree char *records_dir = NULL;
  g_autofree char *records_out = NULL;
  g_autofree char *study_name = NULL;
  g_autofree char *language = NULL;
  g_auto(GStrv) quasi = NULL;
  g_auto(GStrv) recipient_texts = NULL;
  g_auto(GStrv) recipient_files = NULL;
  gboolean include_quotes = FALSE;
  int k = VW_EXPORT_DEFAULT_K;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autofree char *study_id = NULL;
  g_autoptr(VwStudy) study = NULL;
  g_autoptr(VwSecret) key = NULL;
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(VwExport) export = NULL;
  g_autofree char *report = NULL;
  VwExportOptions options = { 0 };
  g_auto(VwExportProvenance) provenance = { 0 };
  const GOptionEntry entries[] = {
    { "anonymized", 0, 0, G_OPTION_ARG_FILENAME, &path,
      N_("Write the anonymized package to PATH: a new folder, or one age file with -r"), N_("PATH") },
    { "rules", 0, 0, G_OPTION_ARG_STRING, &rules_name, N_("The rule set: dh3 (default) or fl4"), N_("RULES") },
    { "age-scheme", 0, 0, G_OPTION_ARG_STRING, &age_scheme, N_("The age bands: dh (default) or gv"), N_("SCHEME") },
    { "k", 0, 0, G_OPTION_ARG_INT, &k,
      N_("Every group of participants with the same released quasi-identifiers (a blank is a value of "
         "its own) must hold at least N (default 5)"), N_("N") },
    { "quasi", 0, 0, G_OPTION_ARG_STRING_ARRAY, &quasi,
      N_("Check this variable too, besides region, origin and age band (repeatable)"), N_("VAR") },
    { "rare", 0, 0, G_OPTION_ARG_STRING, &rare,
      N_("What to do with groups smaller than k: generalize (blank values, then leave out; default) or "
         "suppress (leave out)"), N_("ACTION") },
    { "include-quotes", 0, 0, G_OPTION_ARG_NONE, &include_quotes,
      N_("Include the redacted quotes and open answers (free text): quotes.csv, and quotes.qdpx with --format qdpx"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &formats,
      N_("The formats, separated by commas: csv, sav, dta, qdpx (default csv)"), N_("FORMATS") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the labels in .sav and .dta: nl (default) or en"), N_("LANG") },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &recipient_texts,
      N_("Encrypt the package as one age file to this recipient (repeatable)"), N_("RECIPIENT") },
    { "recipients-file", 'R', 0, G_OPTION_ARG_FILENAME_ARRAY, &recipient_files,
      N_("Encrypt to the recipients listed in FILE (repeatable)"), N_("FILE") },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study_name,
      N_("The study whose export key is used, by id or name (needed when the vault has several)"), N_("STUDY") },
    { "records", 0, 0, G_OPTION_ARG_FILENAME, &records_out,
      N_("Instead: write the pseudonymized records into the folder DIR (participants.csv, rounds.csv, episodes.csv)"),
      N_("DIR") },
    { "from-records", 0, 0, G_OPTION_ARG_FILENAME, &records_dir,
      N_("Read the records from the folder DIR (participants.csv, rounds.csv, episodes.csv)"), N_("DIR") },
    { NULL }
  };
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "export", NULL,
                     _("Write an anonymized export for central analysis: trajectory records under a stable "
                       "export id, checked for rare combinations, without names, pseudonyms, contact "
                       "details, codes, exact dates or free text."),
                     entries, &status))
    return status;
  if (argc != 1)
    return usage_error (_("unexpected arguments"));
  if (records_out != NULL && path == NULL)
    return vw_cli_export_records (cli, records_out, study_name);
  if (records_out != NULL)
    return usage_error (_("--records and --anonymized are two different exports: give one"));
  if (path == NULL)
    return usage_error (_("say what to export: --anonymized PATH or --records DIR"));
  if (k < 1)
    return usage_error (_("--k must be 1 or more"));
  options.k = k;
  if (rules_name != NULL && !vw_rule_set_from_string (rules_name, &options.rules, &error))
    return usage_error (error->message);
  if (rare != NULL && g_strcmp0 (rare, "generalize") != 0 && g_strcmp0 (rare, "suppress") != 0)
    return usage_error (_("--rare is generalize or suppress"));
  options.rare = g_strcmp0 (rare, "suppress") == 0 ? VW_EXPORT_RARE_SUPPRESS : VW_EXPORT_RARE_GENERALIZE;
  if (formats != NULL && !vw_export_formats_parse (formats, &options.formats, &error))
    return usage_error (error->message);
  options.age_scheme = age_scheme;
  options.language = language;
  options.quasi = (const char * const *) quasi;
  options.include_quotes = include_quotes;

  if (!vw_cli_add_recipients (recipients, recipient_texts, recipient_files, &error))
    return vw_cli_fail (error);
  options.recipients = recipients;

  vault = vw_cli_open_vault (cli, &error);
  if (vault == NULL)
    return vw_cli_fail (error);
  study_id = vw_cli_resolve_study (vault, study_name, &error);
  if (study_id == NULL || (study = vw_vault_get_study (vault, study_id, &error)) == NULL)
    return vw_cli_fail (error);
  key = vw_vault_get_study_secret (vault, study->id, VW_STUDY_SECRET_EXPORT, &error);
  if (key == NULL)
    return vw_cli_fail (error);

  if (records_dir != NULL)
    {
      records = vw_records_load_dir (records_dir, NULL, &error);
      if (records == NULL && g_error_matches (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID))
        return vw_cli_fail_printf (_("%s; run “veldwerk-cli records check %s” to see every problem"),
                                   error->message, records_dir);
    }
  else
    records = vw_vault_load_records (vault, study->id, &error);
  if (records == NULL)
    return vw_cli_fail (error);
  if (include_quotes)
    {
      quotes = vw_export_collect_quotes (vault, study->id, &error);
      if (quotes == NULL)
        return vw_cli_fail (error);
    }
  options.study_id = study->id;
  options.study_name = study->name;
  /* The manifest is signed with this laptop's key and names the study's
   * regions and questionnaires, so that a pool can check where it came
   * from. */
  if (!vw_export_provenance_load (vault, study->id, &provenance, &error))
    return vw_cli_fail (error);
  vw_export_provenance_apply (&provenance, &options);

  export = vw_export_new (records, quotes, key, &options, &error);
  if (export == NULL)
    return vw_cli_fail (error);
  /* The vault records that an export left it before the export exists. */
  if (!vw_vault_audit (vault, "export_anonymized", study->id, NULL, &error) ||
      !vw_export_write (export, path, NULL, &error))
    return vw_cli_fail (error);

  report = vw_export_get_report (export);
  g_print ("%s", report);
  g_print (_("Wrote the anonymized export of %u participants to %s.\n"),
           vw_export_get_n_participants (export) - vw_export_get_n_suppressed (export), path);
  return VW_CLI_EXIT_OK;
}
