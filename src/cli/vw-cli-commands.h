/* vw-cli-commands.h: every veldwerk-cli command, in one place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-cli.h"

G_BEGIN_DECLS

/* Each command lives in its own vw-cli-<area>.c and is listed in
 * vw-cli-commands.c. */

const VwCliCommand *vw_cli_commands (void);

int vw_cli_questionnaire (VwCli  *cli,
                          int     argc,
                          char  **argv);
/* vw-cli-records.c */
int vw_cli_records    (VwCli *cli, int argc, char **argv);
int vw_cli_report     (VwCli *cli, int argc, char **argv);
int vw_cli_trajectory (VwCli *cli, int argc, char **argv);
int vw_cli_import     (VwCli *cli, int argc, char **argv);
int vw_cli_export_records (VwCli      *cli,
                           const char *dir,
                           const char *study_name);
/* vw-cli-vault.c */
int vw_cli_init    (VwCli *cli, int argc, char **argv);
int vw_cli_passwd  (VwCli *cli, int argc, char **argv);
int vw_cli_recover (VwCli *cli, int argc, char **argv);
int vw_cli_keys    (VwCli *cli, int argc, char **argv);
int vw_cli_verify  (VwCli *cli, int argc, char **argv);
/* vw-cli-export.c */
int vw_cli_export_anonymized (VwCli *cli, int argc, char **argv);
/* vw-cli-age.c */
int vw_cli_encrypt (VwCli  *cli,
                    int     argc,
                    char  **argv);
int vw_cli_decrypt (VwCli  *cli,
                    int     argc,
                    char  **argv);
int vw_cli_keygen  (VwCli  *cli,
                    int     argc,
                    char  **argv);
/* vw-cli-book.c */
char    *vw_cli_push_language     (const char *language);
void     vw_cli_pop_language      (char       *old);
gboolean vw_cli_language_is_valid (const char *language);
int      vw_cli_report_book       (VwRecords        *records,
                                   VwClassification *classification,
                                   const char       *title,
                                   const char       *source,
                                   VwRuleSet         rules,
                                   const char       *path,
                                   const char       *language);
/* vw-cli-pool.c */
int      vw_cli_pool              (VwCli *cli, int argc, char **argv);
/* vw-cli-study.c */
int vw_cli_study     (VwCli *cli, int argc, char **argv);
int vw_cli_submit    (VwCli *cli, int argc, char **argv);
int vw_cli_merge     (VwCli *cli, int argc, char **argv);
int vw_cli_conflicts (VwCli *cli, int argc, char **argv);

G_END_DECLS
