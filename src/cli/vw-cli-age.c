/* veldwerk-cli encrypt, decrypt, keygen: the age command's flags over the
 * core's age implementation, so that files made here open with `age` and
 * the other way round.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "vw-cli-commands.h"
#include "vw-age-file.h"
#include "vw-atomic-file.h"

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("veldwerk-cli %s: %s\n", command, message);
  g_printerr (_("Run “veldwerk-cli %s --help” for the options.\n"), command);
  return VW_CLI_EXIT_USAGE;
}

/* The input file, or standard input for none or "-". */
static GInputStream *
open_input (const char  *path,
            GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL || g_str_equal (path, "-"))
    return g_unix_input_stream_new (STDIN_FILENO, FALSE);

  file = g_file_new_for_commandline_arg (path);
  return G_INPUT_STREAM (g_file_read (file, NULL, error));
}

int
vw_cli_encrypt (VwCli  *cli,
                int     argc,
                char  **argv)
{
  g_auto(GStrv) recipient_args = NULL;
  g_auto(GStrv) recipient_files = NULL;
  g_autofree char *output = NULL;
  gboolean passphrase = FALSE;
  gboolean armor = FALSE;
  const GOptionEntry entries[] = {
    { "recipient", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &recipient_args,
      N_("Encrypt to RECIPIENT (“age1…”); may be repeated"), N_("RECIPIENT") },
    { "recipients-file", 'R', 0, G_OPTION_ARG_FILENAME_ARRAY, &recipient_files,
      N_("Encrypt to the recipients listed in FILE; may be repeated"), N_("FILE") },
    { "passphrase", 'p', 0, G_OPTION_ARG_NONE, &passphrase,
      N_("Encrypt with a passphrase instead of recipients"), NULL },
    { "armor", 'a', 0, G_OPTION_ARG_NONE, &armor,
      N_("Write ASCII-armored text instead of binary"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(VwAtomicFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "encrypt", _("[INPUT]"),
                     _("Encrypt INPUT (or standard input) in the age format."), entries, &status))
    return status;
  if (argc > 2)
    return usage_error ("encrypt", _("Give at most one input file"));
  if (passphrase && (recipient_args != NULL || recipient_files != NULL))
    return usage_error ("encrypt", _("-p cannot be combined with -r or -R"));
  if (!passphrase && recipient_args == NULL && recipient_files == NULL)
    return usage_error ("encrypt", _("Give a recipient with -r or -R, or use -p for a passphrase"));

  if (!vw_cli_add_recipients (recipients, recipient_args, recipient_files, &error))
    return vw_cli_fail (error);
  if (passphrase)
    {
      /* We do not make up a passphrase as age does: the user must know it
       * to open the file again. */
      g_autoptr(VwSecret) secret = vw_cli_read_passphrase (cli, _("Passphrase for the file: "), TRUE, &error);

      if (secret == NULL)
        return vw_cli_fail (error);
      if (vw_secret_len (secret) == 0)
        return vw_cli_fail_printf ("%s", _("The passphrase is empty"));
      g_ptr_array_add (recipients, vw_age_recipient_new_passphrase (secret, 0));
    }

  in = open_input (argc == 2 ? argv[1] : NULL, &error);
  if (in == NULL)
    return vw_cli_fail (error);

  if (output != NULL)
    {
      file = vw_atomic_file_new (output, 0644, &error);
      if (file == NULL)
        return vw_cli_fail (error);
      out = g_object_ref (vw_atomic_file_get_stream (file));
    }
  else
    {
      if (!armor && isatty (STDOUT_FILENO))
        return vw_cli_fail_printf ("%s", _("Not writing binary data to a terminal: use -a or -o"));
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }

  if (!vw_age_encrypt (in, out, recipients, armor, NULL, &error))
    return vw_cli_fail (error);
  if (file != NULL && !vw_atomic_file_commit (file, TRUE, &error))
    return vw_cli_fail (error);

  return VW_CLI_EXIT_OK;
}

int
vw_cli_decrypt (VwCli  *cli,
                int     argc,
                char  **argv)
{
  g_auto(GStrv) identity_files = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "identity", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &identity_files,
      N_("Decrypt with the identities in FILE (as age-keygen writes them); may be repeated"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of standard output; FILE appears only if all of it decrypted"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_identity_free);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(VwAgeDecryptor) decryptor = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "decrypt", _("[INPUT]"),
                     _("Decrypt an age file (binary or armored) from INPUT or standard input.\n"
                       "A passphrase is asked for when the file was encrypted with one."),
                     entries, &status))
    return status;
  if (argc > 2)
    return usage_error ("decrypt", _("Give at most one input file"));

  /* Bad identity files are reported before anything is read. */
  for (gsize i = 0; identity_files != NULL && identity_files[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) from_file = vw_age_identities_from_file (identity_files[i], &error);

      if (from_file == NULL)
        return vw_cli_fail (error);
      g_ptr_array_extend_and_steal (identities, g_steal_pointer (&from_file));
    }

  in = open_input (argc == 2 ? argv[1] : NULL, &error);
  if (in == NULL)
    return vw_cli_fail (error);
  decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, &error);
  if (decryptor == NULL)
    return vw_cli_fail (error);

  if (vw_age_decryptor_needs_passphrase (decryptor))
    {
      g_autoptr(VwSecret) secret = vw_cli_read_passphrase (cli, _("Passphrase for the file: "), FALSE, &error);

      if (secret == NULL)
        return vw_cli_fail (error);
      g_ptr_array_add (identities, vw_age_identity_new_passphrase (secret));
    }
  else if (identities->len == 0)
    return usage_error ("decrypt", _("The file is encrypted to keys: give an identity file with -i"));

  if (!vw_age_decryptor_unlock (decryptor, identities, NULL, &error))
    return vw_cli_fail (error);

  if (output != NULL)
    {
      if (!vw_age_decryptor_copy_to_file (decryptor, output, NULL, &error))
        return vw_cli_fail (error);
    }
  else
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      if (!vw_age_decryptor_copy (decryptor, out, NULL, &error))
        return vw_cli_fail (error);
    }

  return VW_CLI_EXIT_OK;
}

int
vw_cli_keygen (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the identity to FILE (mode 0600; an existing FILE is not overwritten)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(VwAgeIdentity) identity = NULL;
  g_autoptr(VwAgeRecipient) recipient = NULL;
  g_autoptr(VwSecret) contents = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *public_key = NULL;
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "keygen", NULL,
                     _("Generate an age identity in the format of age-keygen."), entries, &status))
    return status;
  if (argc > 1)
    return usage_error ("keygen", _("keygen takes no arguments"));

  identity = vw_age_identity_generate ();
  recipient = vw_age_identity_to_recipient (identity);
  public_key = vw_age_recipient_to_string (recipient);
  contents = vw_age_keygen_file_contents (identity, now);

  if (output != NULL)
    {
      g_autoptr(VwAtomicFile) file = vw_atomic_file_new (output, 0600, &error);

      if (file == NULL ||
          !g_output_stream_write_all (vw_atomic_file_get_stream (file), vw_secret_const_data (contents),
                                      vw_secret_len (contents), &written, NULL, &error) ||
          !vw_atomic_file_commit (file, FALSE, &error))
        return vw_cli_fail (error);
      /* As age-keygen: the public key on standard error, to pass on. */
      g_printerr (_("Public key: %s\n"), public_key);
    }
  else
    {
      /* Straight to the file descriptor: no stdio buffer keeps the key. */
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      if (!g_output_stream_write_all (out, vw_secret_const_data (contents), vw_secret_len (contents),
                                      &written, NULL, &error))
        return vw_cli_fail (error);
    }

  return VW_CLI_EXIT_OK;
}
