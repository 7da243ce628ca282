/* veldwerk-cli: the command-line tool, a thin layer over the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "vw-cli-commands.h"

static char *
describe_commands (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (const VwCliCommand *c = vw_cli_commands (); c->name != NULL; c++)
    g_string_append_printf (text, "\n  %-28s %s", c->name, _(c->summary));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Run “veldwerk-cli COMMAND --help” for a command’s options.\n"
                            "A passphrase is read from --passphrase-file, else from the environment "
                            "variable VELDWERK_PASSPHRASE, else asked for on the terminal without echo."));

  return g_string_free (text, FALSE);
}

/* Every line the tool prints passes here: an age secret key that reached
 * a message (through a file name, say) is cut, whatever the message. */
static void
print_redacted (FILE       *stream,
                const char *text)
{
  g_autofree char *redacted = vw_age_redact_identities (text);
  g_autofree char *local = NULL;
  const char *charset = NULL;

  if (!g_get_console_charset (&charset))
    local = g_convert_with_fallback (redacted, -1, charset, "UTF-8", "?", NULL, NULL, NULL);
  fputs (local != NULL ? local : redacted, stream);
  fflush (stream);
}

static void
print_out (const char *text)
{
  print_redacted (stdout, text);
}

static void
print_err (const char *text)
{
  print_redacted (stderr, text);
}

static void
clear_cli (VwCli *cli)
{
  g_clear_pointer (&cli->vault_path, g_free);
  g_clear_pointer (&cli->passphrase_file, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree GOptionEntry *global = NULL;
  gboolean version = FALSE;
  VwCli cli = { 0 };
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  int status = VW_CLI_EXIT_USAGE;

  /* First of all: no core dumps, and the secrets out of the environment. */
  if (!vw_process_harden (&error))
    {
      g_printerr ("veldwerk-cli: %s\n", error->message);
      return VW_CLI_EXIT_FAILURE;
    }
  g_set_print_handler (print_out);
  g_set_printerr_handler (print_err);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR") ? g_getenv ("VELDWERK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!vw_core_init (&error))
    return vw_cli_fail (error);

  description = describe_commands ();
  global = vw_cli_global_entries (&cli);
  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Veldwerk: encrypted fieldwork for peer research in shelter and protected housing."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global, GETTEXT_PACKAGE);
  /* Stop at the command name: what follows belongs to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("veldwerk-cli: %s\n", error->message);
      g_printerr ("%s\n", _("Run “veldwerk-cli --help” for the commands and options."));
      clear_cli (&cli);
      return VW_CLI_EXIT_USAGE;
    }

  if (version)
    {
      g_print ("veldwerk-cli %s\n", PACKAGE_VERSION);
      clear_cli (&cli);
      return VW_CLI_EXIT_OK;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      clear_cli (&cli);
      return VW_CLI_EXIT_USAGE;
    }

  for (const VwCliCommand *c = vw_cli_commands (); c->name != NULL; c++)
    {
      if (strcmp (c->name, argv[1]) == 0)
        {
          /* The command sees itself as argv[0]. */
          status = c->func (&cli, argc - 1, argv + 1);
          clear_cli (&cli);
          return status;
        }
    }

  g_printerr (_("veldwerk-cli: unknown command “%s”\n"), argv[1]);
  g_printerr ("%s\n", _("Run “veldwerk-cli --help” for the commands and options."));
  clear_cli (&cli);
  return VW_CLI_EXIT_USAGE;
}
