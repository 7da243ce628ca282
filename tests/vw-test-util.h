/* Helpers shared by the test programs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

const char *vw_test_cli_path  (void);
void        vw_test_init_display (int    *argc,
                                  char ***argv);
void        vw_test_rm_rf     (const char *path);
int         vw_test_run_cli   (const char * const *env,
                               char              **out,
                               char              **err,
                               ...) G_GNUC_NULL_TERMINATED;
int         vw_test_run_cliv  (const char * const *env,
                               const char        *input,
                               char              **out,
                               char              **err,
                               const char * const *argv);

/* For tests that work with files. */
guint       vw_test_count_entries     (const char *dir);
void        vw_test_assert_same_file  (const char *a,
                                       const char *b);
GBytes     *vw_test_random_bytes      (gsize       len);
/* How many lines of @text start with @prefix. */
guint       vw_test_count_lines       (const char *text,
                                       const char *prefix);
char       *vw_test_age_public_key    (const char *identity_file);

G_END_DECLS
