/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static const VwCliCommand commands[] = {
  { "questionnaire", N_("Check a questionnaire file: questionnaire check FILE"), vw_cli_questionnaire },
  { "records", N_("Check a records folder and list every problem"), vw_cli_records },
  { "report", N_("Print a report table from the records"), vw_cli_report },
  { "trajectory", N_("Explain a participant’s trajectory type"), vw_cli_trajectory },
  { "import", N_("Import a records folder into the study"), vw_cli_import },
  { "export", N_("Write the study’s records: anonymized for analysis, or pseudonymized"), vw_cli_export_anonymized },
  { "pool", N_("Verify and pool the signed anonymized packages of several regions"), vw_cli_pool },
  { "init", N_("Make a new vault with one study"), vw_cli_init },
  { "passwd", N_("Change the passphrase of the vault"), vw_cli_passwd },
  { "recover", N_("Set a new passphrase with the recovery code"), vw_cli_recover },
  { "keys", N_("Print this laptop’s public keys"), vw_cli_keys },
  { "verify", N_("Check the vault for damage and tampering"), vw_cli_verify },
  { "decrypt", N_("Decrypt an age file with identity files or a passphrase"), vw_cli_decrypt },
  { "encrypt", N_("Encrypt a file in the age format to recipients or with a passphrase"), vw_cli_encrypt },
  { "keygen", N_("Generate an age identity, as age-keygen does"), vw_cli_keygen },
  { "study", N_("Set up, join and manage a study across laptops"), vw_cli_study },
  { "submit", N_("Write a signed submission for the coordinator"), vw_cli_submit },
  { "merge", N_("Verify and merge bundles from other laptops"), vw_cli_merge },
  { "conflicts", N_("List and resolve merge conflicts"), vw_cli_conflicts },
  { NULL }
};

const VwCliCommand *
vw_cli_commands (void)
{
  return commands;
}
