/* vw-cli.h: what every veldwerk-cli command shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-core.h"

G_BEGIN_DECLS

/* Exit codes of veldwerk-cli. */
enum {
  VW_CLI_EXIT_OK = 0,
  VW_CLI_EXIT_FAILURE = 1,
  VW_CLI_EXIT_USAGE = 2,
};

/* The global options; a command's own parser accepts them too, so they may
 * come before or after the command name. */
typedef struct
{
  char *vault_path;      /* owned; NULL until resolved */
  char *passphrase_file; /* owned, nullable */
} VwCli;

typedef int (*VwCliCommandFunc) (VwCli  *cli,
                                 int     argc,
                                 char  **argv);

typedef struct
{
  const char       *name;
  const char       *summary; /* untranslated, marked with N_() */
  VwCliCommandFunc  func;
} VwCliCommand;

GOptionEntry *vw_cli_global_entries     (VwCli         *cli);
gboolean      vw_cli_parse              (VwCli         *cli,
                                         int           *argc,
                                         char        ***argv,
                                         const char    *command,
                                         const char    *parameter_string,
                                         const char    *summary,
                                         const GOptionEntry *entries,
                                         int           *exit_code);
const char   *vw_cli_vault_path         (VwCli         *cli);
VwSecret     *vw_cli_read_secret        (const char    *env_name,
                                         const char    *file,
                                         const char    *prompt,
                                         gboolean       confirm,
                                         GError       **error);
VwSecret     *vw_cli_read_passphrase    (VwCli         *cli,
                                         const char    *prompt,
                                         gboolean       confirm,
                                         GError       **error);
/* --study of the records and export verbs: an id or a name, or the
 * vault's only study (vw_study_resolve_strict()). */
char         *vw_cli_resolve_study      (VwVault       *vault,
                                         const char    *study,
                                         GError       **error);
VwVault      *vw_cli_open_vault         (VwCli         *cli,
                                         GError       **error);
void          vw_cli_prefix_option_error (GError       **error,
                                          const char    *option,
                                          guint          number);
gboolean      vw_cli_add_recipients     (GPtrArray     *recipients,
                                         char         **texts,
                                         char         **files,
                                         GError       **error);
int           vw_cli_fail               (const GError  *error);
int           vw_cli_fail_printf        (const char    *format,
                                         ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
