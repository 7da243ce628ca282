/* veldwerk-cli init, passwd, recover, keys, verify: the vault itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "vw-cli-commands.h"

int
vw_cli_init (VwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *region = NULL;
  g_autofree char *device = NULL;
  gboolean coordinator = FALSE;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The name of the study"), N_("NAME") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region, N_("The study’s region code, such as DH"), N_("CODE") },
    { "coordinator", 0, 0, G_OPTION_ARG_NONE, &coordinator, N_("This vault coordinates the study"), NULL },
    { "device-name", 0, 0, G_OPTION_ARG_STRING, &device, N_("A name for this laptop"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) passphrase = NULL;
  g_autoptr(VwSecret) recovery = NULL;
  g_autoptr(VwVault) vault = NULL;
  VwVaultCreateOptions options = { 0 };
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "init", NULL, _("Make a new vault with one study on the shipped questionnaire."),
                     entries, &status))
    return status;
  if (study == NULL || region == NULL)
    {
      g_printerr (_("veldwerk-cli init: --study and --region are required\n"));
      return VW_CLI_EXIT_USAGE;
    }
  if (g_file_test (vw_cli_vault_path (cli), G_FILE_TEST_EXISTS))
    return vw_cli_fail_printf (_("There is already a file at “%s”; Veldwerk does not overwrite it"),
                               vw_cli_vault_path (cli));

  passphrase = vw_cli_read_passphrase (cli, _("New passphrase: "), TRUE, &error);
  if (passphrase == NULL)
    return vw_cli_fail (error);

  options.device_label = device;
  options.study_name = study;
  options.study_region = region;
  options.study_role = coordinator ? VW_STUDY_ROLE_COORDINATOR : VW_STUDY_ROLE_DUO;
  vault = vw_vault_create (vw_cli_vault_path (cli), passphrase, &options, &recovery, NULL, &error);
  if (vault == NULL)
    return vw_cli_fail (error);

  g_print (_("Made the vault %s with the study “%s” (region %s).\n"), vw_cli_vault_path (cli), study, region);
  g_print ("\n%s\n\n    ", _("Your recovery code. Write it down now on paper: it is shown only this once."));
  /* Straight from secure memory to the file descriptor: no formatted
   * copy of the code is left in the heap or a stdio buffer. */
  {
    g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

    if (!g_output_stream_write_all (out, vw_secret_const_data (recovery), vw_secret_len (recovery), NULL, NULL,
                                    &error))
      return vw_cli_fail (error);
  }
  g_print ("\n\n%s\n",
           _("Keep the paper away from the laptop. If you forget your passphrase, the recovery code lets you set a "
             "new one (veldwerk-cli recover). Without the passphrase and without the recovery code nobody can read "
             "the data, not even the developers."));
  return VW_CLI_EXIT_OK;
}

static VwSecret *
read_new_passphrase (const char  *file,
                     GError     **error)
{
  return vw_cli_read_secret ("VELDWERK_NEW_PASSPHRASE", file, _("New passphrase: "), TRUE, error);
}

int
vw_cli_passwd (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *new_file = NULL;
  const GOptionEntry entries[] = {
    { "new-passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &new_file,
      N_("Read the new passphrase from FILE instead of VELDWERK_NEW_PASSPHRASE or a prompt"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) new_passphrase = NULL;
  g_autoptr(VwVault) vault = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "passwd", NULL, _("Change the passphrase of the vault."), entries, &status))
    return status;
  vault = vw_cli_open_vault (cli, &error);
  if (vault == NULL)
    return vw_cli_fail (error);
  new_passphrase = read_new_passphrase (new_file, &error);
  if (new_passphrase == NULL || !vw_vault_change_passphrase (vault, new_passphrase, NULL, &error))
    return vw_cli_fail (error);

  g_print ("%s\n", _("The passphrase is changed. Your recovery code stays the same."));
  return VW_CLI_EXIT_OK;
}

int
vw_cli_recover (VwCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *new_file = NULL;
  g_autofree char *code_file = NULL;
  const GOptionEntry entries[] = {
    { "recovery-code-file", 0, 0, G_OPTION_ARG_FILENAME, &code_file,
      N_("Read the recovery code from FILE instead of VELDWERK_RECOVERY_CODE or a prompt"), N_("FILE") },
    { "new-passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &new_file,
      N_("Read the new passphrase from FILE instead of VELDWERK_NEW_PASSPHRASE or a prompt"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) code = NULL;
  g_autoptr(VwSecret) new_passphrase = NULL;
  g_autoptr(VwVault) vault = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "recover", NULL,
                     _("Set a new passphrase with the recovery code you wrote down."), entries, &status))
    return status;
  vault = vw_vault_open (vw_cli_vault_path (cli), &error);
  if (vault == NULL)
    return vw_cli_fail (error);
  code = vw_cli_read_secret ("VELDWERK_RECOVERY_CODE", code_file, _("Recovery code: "), FALSE, &error);
  if (code == NULL)
    return vw_cli_fail (error);
  /* Ask for everything before the half second of key stretching. */
  new_passphrase = read_new_passphrase (new_file, &error);
  if (new_passphrase == NULL || !vw_vault_unlock_with_recovery_code (vault, code, NULL, &error) ||
      !vw_vault_change_passphrase (vault, new_passphrase, NULL, &error))
    return vw_cli_fail (error);

  g_print ("%s\n", _("The new passphrase is set. Your recovery code stays valid; keep it safe."));
  return VW_CLI_EXIT_OK;
}

int
vw_cli_keys (VwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autofree char *keys = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "keys", NULL,
                     _("Print this laptop’s public keys: the age recipient others encrypt to, and the signing key."),
                     NULL, &status))
    return status;
  vault = vw_cli_open_vault (cli, &error);
  if (vault == NULL || (keys = vw_study_format_own_keys (vault, &error)) == NULL)
    return vw_cli_fail (error);

  g_print ("%s", keys);
  return VW_CLI_EXIT_OK;
}

int
vw_cli_verify (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "verify", NULL,
                     _("Check the vault: its structure, the audit trail, and that every key and value decrypts."),
                     NULL, &status))
    return status;
  vault = vw_cli_open_vault (cli, &error);
  if (vault == NULL)
    return vw_cli_fail (error);
  if (!vw_vault_verify (vault, &problems, NULL, &error))
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (problems, i));
      return vw_cli_fail (error);
    }

  g_print ("%s\n", _("The vault is intact: its structure, the audit trail and every encrypted value check out."));
  return VW_CLI_EXIT_OK;
}
