/* veldwerk-cli pool: the signed anonymized packages of several regions,
 * verified and pooled into one folder. Nothing is written
 * unless every package passes every check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static int
usage_error (const char *message)
{
  g_printerr ("veldwerk-cli pool: %s\n", message);
  g_printerr (_("Run “veldwerk-cli %s --help” for the options.\n"), "pool");
  return VW_CLI_EXIT_USAGE;
}

int
vw_cli_pool (VwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *rare = NULL;
  g_autofree char *formats = NULL;
  g_autofree char *language = NULL;
  g_auto(GStrv) trust_files = NULL;
  g_auto(GStrv) identity_files = NULL;
  g_auto(GStrv) quasi = NULL;
  gboolean tables = FALSE, book = FALSE;
  int k = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwTrustList) trust = vw_trust_list_new ();
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_identity_free);
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_package_free);
  g_autoptr(VwPool) pool = NULL;
  g_autofree char *report = NULL;
  VwPoolOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the pool into DIR, a new folder"), N_("DIR") },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust_files,
      N_("The signing keys of the regions’ coordinators: one ed25519:… key per line, or a file of "
         "veldwerk-cli keys (repeatable)"), N_("FILE") },
    { "identity", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &identity_files,
      N_("Decrypt packages that are age files with the identities in FILE (repeatable)"), N_("FILE") },
    { "k", 0, 0, G_OPTION_ARG_INT, &k,
      N_("Every group of the pooled data must hold at least N (default and least: the largest k of the "
         "packages)"), N_("N") },
    { "quasi", 0, 0, G_OPTION_ARG_STRING_ARRAY, &quasi,
      N_("Check this variable too, besides the packages’ quasi-identifiers (repeatable)"), N_("VAR") },
    { "rare", 0, 0, G_OPTION_ARG_STRING, &rare,
      N_("What to do with groups smaller than k: generalize (default) or suppress"), N_("ACTION") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &formats,
      N_("The formats of the pooled tables, separated by commas: csv, sav, dta (default all three)"), N_("FORMATS") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the labels in .sav and .dta and of the table book: nl (default) or en"), N_("LANG") },
    { "tables", 0, 0, G_OPTION_ARG_NONE, &tables,
      N_("Also write every report table per region side by side and pooled (table_NAME.csv)"), NULL },
    { "book", 0, 0, G_OPTION_ARG_NONE, &book,
      N_("Also write the table book: every table and the charts as a PDF"), NULL },
    { NULL }
  };
  int status;
  char *old_language;
  gboolean written;

  if (!vw_cli_parse (cli, &argc, &argv, "pool", _("PACKAGE…"),
                     _("Pool the anonymized packages of several regions: every package is verified against its "
                       "signed manifest and the trusted signing keys, and they must share the codebook, the rule "
                       "set and the age bands. The pooled tables get a study and a region column and pass the "
                       "same disclosure control as an export."),
                     entries, &status))
    return status;
  if (argc < 2)
    return usage_error (_("give the packages to pool: folders or age files"));
  if (output == NULL)
    return usage_error (_("give the folder to write with -o DIR"));
  if (trust_files == NULL)
    return usage_error (_("give the coordinators’ signing keys with --trust FILE: a package is pooled only when "
                          "one of them signed it"));
  if (k < 0)
    return usage_error (_("--k must be 1 or more"));
  options.k = k;
  if (rare != NULL && g_strcmp0 (rare, "generalize") != 0 && g_strcmp0 (rare, "suppress") != 0)
    return usage_error (_("--rare is generalize or suppress"));
  options.rare = g_strcmp0 (rare, "suppress") == 0 ? VW_EXPORT_RARE_SUPPRESS : VW_EXPORT_RARE_GENERALIZE;
  if (formats != NULL && !vw_export_formats_parse (formats, &options.formats, &error))
    return usage_error (error->message);
  if (language != NULL && !vw_cli_language_is_valid (language))
    return usage_error (_("the language is nl or en"));
  options.language = language ? language : "nl";
  options.quasi = (const char * const *) quasi;
  options.tables = tables;
  options.book = book;

  /* Bad key files are reported before any package is read. */
  for (guint i = 0; trust_files[i] != NULL; i++)
    if (!vw_trust_list_load (trust, trust_files[i], &error))
      return vw_cli_fail (error);
  for (guint i = 0; identity_files != NULL && identity_files[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) from_file = vw_age_identities_from_file (identity_files[i], &error);

      if (from_file == NULL)
        {
          g_prefix_error (&error, "%s: ", identity_files[i]);
          return vw_cli_fail (error);
        }
      g_ptr_array_extend_and_steal (identities, g_steal_pointer (&from_file));
    }

  for (int i = 1; i < argc; i++)
    {
      VwPackage *package = vw_package_open (argv[i], identities, trust, NULL, &error);

      if (package == NULL)
        return vw_cli_fail_printf (_("%s; nothing was written"), error->message);
      g_ptr_array_add (packages, package);
    }

  pool = vw_pool_new (packages, &options, &error);
  if (pool == NULL)
    return vw_cli_fail_printf (_("%s; nothing was written"), error->message);
  /* The tables and the book are in their own language. */
  old_language = vw_cli_push_language (options.language);
  written = vw_pool_write (pool, output, NULL, &error);
  vw_cli_pop_language (old_language);
  if (!written)
    return vw_cli_fail (error);

  report = vw_pool_get_report (pool);
  g_print ("%s", report);
  g_print (_("Wrote the pool of %u participants from %u packages to %s.\n"), vw_pool_get_n_released (pool),
           packages->len, output);
  return VW_CLI_EXIT_OK;
}
