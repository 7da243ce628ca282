/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-cli-commands.h"

static const VwCliCommand commands[] = {
  { "decrypt", N_("Decrypt an age file with identity files or a passphrase"), vw_cli_decrypt },
  { "encrypt", N_("Encrypt a file in the age format to recipients or with a passphrase"), vw_cli_encrypt },
  { "keygen", N_("Generate an age identity, as age-keygen does"), vw_cli_keygen },
  { NULL }
};

const VwCliCommand *
vw_cli_commands (void)
{
  return commands;
}
