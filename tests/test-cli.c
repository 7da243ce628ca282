/* veldwerk-cli's global behaviour: help, version, usage errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "vw-test-util.h"

static void
test_cli_help_lists_global_options (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = vw_test_run_cli (NULL, &out, &err, "--help-all", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--vault"));
  g_assert_nonnull (strstr (out, "--passphrase-file"));
  g_assert_nonnull (strstr (out, "VELDWERK_PASSPHRASE"));
  g_assert_nonnull (strstr (out, "--version"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* --help shows the global group too, as the issue asks that --help lists them. */
  status = vw_test_run_cli (NULL, &out, &err, "--help", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--vault"));
  g_assert_nonnull (strstr (out, "--passphrase-file"));
}

static void
test_cli_version (void)
{
  g_autofree char *out = NULL;
  int status;

  status = vw_test_run_cli (NULL, &out, NULL, "--version", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "veldwerk-cli " PACKAGE_VERSION "\n");
}

static void
test_cli_usage_errors (void)
{
  g_autofree char *err = NULL;
  int status;

  status = vw_test_run_cli (NULL, NULL, &err, "no-such-command", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no-such-command"));

  g_clear_pointer (&err, g_free);
  status = vw_test_run_cli (NULL, NULL, &err, "--no-such-option", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--no-such-option"));

  g_clear_pointer (&err, g_free);
  status = vw_test_run_cli (NULL, NULL, &err, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "COMMAND"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/help-lists-global-options", test_cli_help_lists_global_options);
  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/usage-errors", test_cli_usage_errors);

  return g_test_run ();
}
