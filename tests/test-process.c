/* No core dumps, and no secret left in the environment:
 * vw_process_harden() itself, and veldwerk-cli watched from outside while
 * it waits at a prompt, after it used a passphrase from the environment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem, ptsname_r */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vw-core.h"
#include "vw-test-process.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

#define PASSPHRASE "a passphrase only the environment knows"
#define NEW_PASSPHRASE "the new passphrase from the environment"
#define RECOVERY_CODE "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z1234-56789"
#define MARKER "VELDWERK_TEST_MARKER=still here"

extern char **environ;

static GBytes *
read_proc (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static void
assert_secret (const char *name,
               const char *expected)
{
  g_autoptr(VwSecret) secret = vw_process_get_env_secret (name);

  g_assert_nonnull (secret);
  g_assert_cmpmem (vw_secret_const_data (secret), vw_secret_len (secret), expected, strlen (expected));
}

/* In a child started with the secrets in its environment from the start,
 * as a script would start veldwerk-cli. */
static void
test_harden (void)
{
  static const char *names[] = { "VELDWERK_PASSPHRASE", "VELDWERK_NEW_PASSPHRASE", "VELDWERK_RECOVERY_CODE" };

  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) before = read_proc ("/proc/self/environ");
      g_autoptr(GBytes) after = NULL;
      g_autoptr(GError) error = NULL;
      struct rlimit core;

      /* What the harness set up, so that what follows means something. */
      g_assert_true (bytes_contain (before, PASSPHRASE));
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);

      g_assert_true (vw_process_harden (&error));
      g_assert_no_error (error);

      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
      g_assert_cmpint (getrlimit (RLIMIT_CORE, &core), ==, 0);
      g_assert_cmpuint (core.rlim_cur, ==, 0);
      g_assert_cmpuint (core.rlim_max, ==, 0);

      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        g_assert_null (g_getenv (names[i]));
      for (char **e = environ; *e != NULL; e++)
        g_assert_false (g_str_has_prefix (*e, "VELDWERK_PASSPHRASE") || g_str_has_prefix (*e, "VELDWERK_NEW") ||
                        g_str_has_prefix (*e, "VELDWERK_RECOVERY"));

      /* The bytes the kernel shows as the environment are wiped too;
       * the rest is still there. */
      after = read_proc ("/proc/self/environ");
      g_assert_false (bytes_contain (after, PASSPHRASE));
      g_assert_false (bytes_contain (after, NEW_PASSPHRASE));
      g_assert_false (bytes_contain (after, RECOVERY_CODE));
      g_assert_true (bytes_contain (after, MARKER));

      /* The values are kept, in guarded memory. */
      assert_secret ("VELDWERK_PASSPHRASE", PASSPHRASE);
      assert_secret ("VELDWERK_NEW_PASSPHRASE", NEW_PASSPHRASE);
      assert_secret ("VELDWERK_RECOVERY_CODE", RECOVERY_CODE);
      return;
    }

  g_setenv ("VELDWERK_PASSPHRASE", PASSPHRASE, TRUE);
  g_setenv ("VELDWERK_NEW_PASSPHRASE", NEW_PASSPHRASE, TRUE);
  g_setenv ("VELDWERK_RECOVERY_CODE", RECOVERY_CODE, TRUE);
  g_setenv ("VELDWERK_TEST_MARKER", "still here", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
  g_unsetenv ("VELDWERK_TEST_MARKER");
  g_test_trap_assert_passed ();
}

/* veldwerk-cli passwd unlocks the vault with VELDWERK_PASSPHRASE and then
 * waits on its terminal for the new passphrase: there, seen from outside,
 * its environment no longer holds the passphrase and it is not dumpable.
 * Then it is given the new passphrase, which must work. */
static void
test_cli_at_prompt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-process-XXXXXX", &error);
  g_autofree char *vault_path = g_build_filename (dir, "duo.vault", NULL);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwTestWatched) cli = NULL;
  g_autoptr(VwSecret) new_passphrase = NULL;
  const char *argv[] = { vw_test_cli_path (), "--vault", vault_path, "passwd", NULL };
  const char *env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, MARKER, NULL };

  g_assert_no_error (error);
  vault = vw_test_create_vault (vault_path, NULL, NULL);
  g_clear_object (&vault);

  cli = vw_test_watched_spawn (argv, env, dir);
  vw_test_watched_expect (cli, "New passphrase: ");

  /* At the prompt: the passphrase has been used (the vault is open). */
  vw_test_watched_assert_hardened (cli, VW_TEST_PASSPHRASE, "VELDWERK_TEST_MARKER=still here");

  vw_test_watched_type (cli, "a new passphrase\n");
  vw_test_watched_expect (cli, "Repeat to confirm: ");
  vw_test_watched_type (cli, "a new passphrase\n");
  g_assert_cmpint (vw_test_watched_wait (cli), ==, 0);

  vault = vw_vault_open (vault_path, &error);
  g_assert_no_error (error);
  new_passphrase = vw_secret_new_from ((const guint8 *) "a new passphrase", strlen ("a new passphrase"));
  g_assert_true (vw_vault_unlock (vault, new_passphrase, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/process/harden", test_harden);
  g_test_add_func ("/process/cli-at-prompt", test_cli_at_prompt);

  return g_test_run ();
}
