/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vw-cli.h"

/* Longest passphrase we accept from any source; longer input is an error
 * rather than a silent truncation that would later fail to unlock. */
#define MAX_PASSPHRASE 1024

/**
 * vw_cli_global_entries:
 *
 * Returns: (transfer full): the global options, bound to @cli's fields,
 * for adding as main entries so that every --help lists them.
 */
GOptionEntry *
vw_cli_global_entries (VwCli *cli)
{
  const GOptionEntry entries[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &cli->vault_path,
      N_("The vault to use (default: the vault in your data directory)"), N_("PATH") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &cli->passphrase_file,
      N_("Read the passphrase from FILE instead of VELDWERK_PASSPHRASE or a prompt"), N_("FILE") },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

/**
 * vw_cli_parse:
 * @exit_code: (out): set when FALSE is returned
 *
 * Parses a command's options together with the global ones. Prints the
 * error and the usage hint itself; the caller returns @exit_code.
 */
gboolean
vw_cli_parse (VwCli               *cli,
              int                 *argc,
              char              ***argv,
              const char          *command,
              const char          *parameter_string,
              const char          *summary,
              const GOptionEntry  *entries,
              int                 *exit_code)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree GOptionEntry *global = vw_cli_global_entries (cli);
  g_autofree char *title = NULL;

  title = g_strdup_printf ("%s %s", command, parameter_string ? parameter_string : "");
  context = g_option_context_new (title);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("veldwerk-cli %s: %s\n", command, error->message);
      g_printerr (_("Run “veldwerk-cli %s --help” for the options.\n"), command);
      *exit_code = VW_CLI_EXIT_USAGE;
      return FALSE;
    }

  return TRUE;
}

const char *
vw_cli_vault_path (VwCli *cli)
{
  if (cli->vault_path == NULL)
    cli->vault_path = vw_paths_default_vault ();

  return cli->vault_path;
}

static void
strip_newline (VwSecret *secret)
{
  gsize len = vw_secret_len (secret);
  const guint8 *data = vw_secret_const_data (secret);

  if (len > 0 && data[len - 1] == '\n')
    len--;
  if (len > 0 && data[len - 1] == '\r')
    len--;
  vw_secret_truncate (secret, len);
}

/* The option that names a file of each secret from the environment. */
static const char *
file_option (const char *env_name)
{
  if (g_strcmp0 (env_name, "VELDWERK_NEW_PASSPHRASE") == 0)
    return "--new-passphrase-file";
  if (g_strcmp0 (env_name, "VELDWERK_RECOVERY_CODE") == 0)
    return "--recovery-code-file";
  return "--passphrase-file";
}

/* Messages name the option, not the file: a passphrase typed where its
 * file's name belongs must not be shown. */
static VwSecret *
read_secret_file (const char  *path,
                  const char  *option,
                  GError     **error)
{
  g_autoptr(VwSecret) secret = vw_secret_new (MAX_PASSPHRASE + 2);
  gsize total = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot read the file given with %s: %s"), option, g_strerror (saved));
      return NULL;
    }

  for (;;)
    {
      gssize n = read (fd, vw_secret_data (secret) + total, vw_secret_len (secret) - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Cannot read the file given with %s: %s"), option, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      total += n;
      if (total == vw_secret_len (secret))
        break;
    }
  close (fd);

  vw_secret_truncate (secret, total);
  strip_newline (secret);
  if (vw_secret_len (secret) > MAX_PASSPHRASE)
    {
      g_set_error (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                   _("The file given with %s holds more than %d bytes"), option, MAX_PASSPHRASE);
      return NULL;
    }

  return g_steal_pointer (&secret);
}

/* Reads one line from the terminal with echo off, straight into secure
 * memory, so the passphrase never sits in a stdio buffer. */
static VwSecret *
prompt_secret (int          tty,
               const char  *prompt,
               GError     **error)
{
  g_autoptr(VwSecret) secret = vw_secret_new (MAX_PASSPHRASE + 1);
  struct termios saved, quiet;
  gboolean restore = FALSE;
  gsize total = 0;
  gboolean too_long = FALSE;

  /* Echo off before the prompt shows: what is typed once it shows is
   * never echoed, and never thrown away by the flush. */
  if (tcgetattr (tty, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(ECHO | ECHONL);
      quiet.c_lflag |= ICANON;
      restore = tcsetattr (tty, TCSAFLUSH, &quiet) == 0;
    }

  if (write (tty, prompt, strlen (prompt)) < 0)
    { /* A prompt that cannot be shown still lets the user type. */ }

  for (;;)
    {
      guint8 c;
      gssize n = read (tty, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n' || c == '\r')
        break;
      if (total < MAX_PASSPHRASE)
        vw_secret_data (secret)[total++] = c;
      else
        too_long = TRUE;
    }

  if (restore)
    tcsetattr (tty, TCSAFLUSH, &saved);
  if (write (tty, "\n", 1) < 0)
    { /* Only cosmetic. */ }

  if (too_long)
    {
      g_set_error (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                   _("The passphrase is longer than %d bytes"), MAX_PASSPHRASE);
      return NULL;
    }

  vw_secret_truncate (secret, total);
  return g_steal_pointer (&secret);
}

/**
 * vw_cli_read_secret:
 * @env_name: (nullable): environment variable to take the secret from
 * @file: (nullable): file to read the secret from; wins over @env_name
 * @prompt: what to ask on the terminal when neither is given
 * @confirm: ask twice on the terminal and insist both match
 *
 * The one way every command gets a passphrase or recovery code: a file
 * (for scripts), the environment (for scripts and tests), or a prompt
 * without echo on the controlling terminal.
 *
 * Returns: (transfer full): the secret, or %NULL with @error set
 */
VwSecret *
vw_cli_read_secret (const char  *env_name,
                    const char  *file,
                    const char  *prompt,
                    gboolean     confirm,
                    GError     **error)
{
  /* main() took it out of the environment into guarded memory. */
  g_autoptr(VwSecret) env = env_name ? vw_process_get_env_secret (env_name) : NULL;
  g_autoptr(VwSecret) first = NULL;
  g_autoptr(VwSecret) second = NULL;
  int tty;

  if (file != NULL)
    return read_secret_file (file, file_option (env_name), error);

  if (env != NULL)
    {
      if (vw_secret_len (env) > MAX_PASSPHRASE)
        {
          g_set_error (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                       _("The passphrase in %s is longer than %d bytes"), env_name, MAX_PASSPHRASE);
          return NULL;
        }
      return g_steal_pointer (&env);
    }

  tty = g_open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  if (tty < 0)
    {
      if (env_name != NULL)
        g_set_error (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                     _("No passphrase: there is no terminal to ask on; set %s or use %s"),
                     env_name, file_option (env_name));
      else
        g_set_error_literal (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                             _("No passphrase: there is no terminal to ask on"));
      return NULL;
    }

  first = prompt_secret (tty, prompt, error);
  if (first != NULL && confirm)
    {
      second = prompt_secret (tty, _("Repeat to confirm: "), error);
      if (second != NULL && !vw_secret_equal (first, second))
        {
          g_set_error_literal (error, VW_ERROR, VW_ERROR_INVALID_ARGUMENT,
                               _("The two entries are not the same"));
          g_clear_pointer (&first, vw_secret_free);
        }
      else if (second == NULL)
        g_clear_pointer (&first, vw_secret_free);
    }
  close (tty);

  return g_steal_pointer (&first);
}

VwSecret *
vw_cli_read_passphrase (VwCli       *cli,
                        const char  *prompt,
                        gboolean     confirm,
                        GError     **error)
{
  return vw_cli_read_secret ("VELDWERK_PASSPHRASE", cli->passphrase_file,
                             prompt ? prompt : _("Passphrase: "), confirm, error);
}

/**
 * vw_cli_open_vault:
 *
 * Opens the vault of --vault (or the default one) and unlocks it with the
 * passphrase from --passphrase-file, VELDWERK_PASSPHRASE or a prompt.
 * A wrong passphrase writes nothing to the vault.
 *
 * Returns: (transfer full): the unlocked vault
 */
VwVault *
vw_cli_open_vault (VwCli   *cli,
                   GError **error)
{
  g_autoptr(VwVault) vault = vw_vault_open (vw_cli_vault_path (cli), error);
  g_autoptr(VwSecret) passphrase = NULL;

  if (vault == NULL)
    return NULL;
  passphrase = vw_cli_read_passphrase (cli, NULL, FALSE, error);
  if (passphrase == NULL || !vw_vault_unlock (vault, passphrase, NULL, error))
    return NULL;
  return g_steal_pointer (&vault);
}

/**
 * vw_cli_prefix_option_error:
 * @option: the option the value came from, such as "-r"
 * @number: which of several values of @option (from 1), or 0 when there
 *   is one
 *
 * Says where a bad value came from, so that messages never need to quote
 * the value (which may be a secret given in the wrong place).
 */
void
vw_cli_prefix_option_error (GError     **error,
                            const char  *option,
                            guint        number)
{
  if (number > 0)
    /* Translators: the second value of -r, for example. */
    g_prefix_error (error, _("%s (value %u): "), option, number);
  else
    g_prefix_error (error, "%s: ", option);
}

/**
 * vw_cli_add_recipients:
 * @recipients: (element-type VwAgeRecipient): where to add them
 * @texts: (nullable): the -r arguments
 * @files: (nullable): the -R arguments, files of recipients
 *
 * Parses the age recipients of -r and -R, as `age` takes them.
 */
gboolean
vw_cli_add_recipients (GPtrArray  *recipients,
                       char      **texts,
                       char      **files,
                       GError    **error)
{
  guint n_texts = texts != NULL ? g_strv_length (texts) : 0;

  for (gsize i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      VwAgeRecipient *recipient = vw_age_recipient_parse (texts[i], error);

      if (recipient == NULL)
        {
          /* Which one, never the text itself: it may be a secret key. */
          vw_cli_prefix_option_error (error, "-r", n_texts > 1 ? i + 1 : 0);
          return FALSE;
        }
      g_ptr_array_add (recipients, recipient);
    }
  for (gsize i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) from_file = vw_age_recipients_from_file (files[i], error);

      if (from_file == NULL)
        {
          vw_cli_prefix_option_error (error, "-R", 0);
          return FALSE;
        }
      g_ptr_array_extend_and_steal (recipients, g_steal_pointer (&from_file));
    }
  return TRUE;
}

/* One line on standard error: what went wrong, in words a user can act
 * on. Returns the exit code so commands can `return vw_cli_fail (e);`. */
int
vw_cli_fail (const GError *error)
{
  g_printerr ("veldwerk-cli: %s\n", error->message);
  return VW_CLI_EXIT_FAILURE;
}

int
vw_cli_fail_printf (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("veldwerk-cli: %s\n", message);
  return VW_CLI_EXIT_FAILURE;
}

/* The study of records and export verbs: --study (an id or a name), or
 * the vault's only study. */
char *
vw_cli_resolve_study (VwVault     *vault,
                      const char  *study,
                      GError     **error)
{
  GError *local = NULL;
  char *id = vw_study_resolve_strict (vault, study, &local);

  if (g_error_matches (local, VW_STUDY_ERROR, VW_STUDY_ERROR_AMBIGUOUS))
    g_prefix_error_literal (&local, "--study NAME: ");
  if (local != NULL)
    g_propagate_error (error, local);
  return id;
}
