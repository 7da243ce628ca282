/* Display test: the application switches core dumps off and takes a
 * passphrase out of its environment first thing, seen from
 * outside while it runs, as for veldwerk-cli in test-process.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-test-process.h"
#include "vw-test-util.h"

#define SECRET "a passphrase the application must not keep in its environment"

static void
test_app_hardened (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-process-app-XXXXXX", &error);
  g_autoptr(VwTestWatched) app = NULL;
  const char *argv[] = { g_getenv ("VELDWERK_APP"), NULL };
  const char *env[] = { "VELDWERK_PASSPHRASE=" SECRET, "VELDWERK_TEST_MARKER=still here", NULL };

  g_assert_no_error (error);
  g_assert_nonnull (argv[0]);
  app = vw_test_watched_spawn (argv, env, dir);
  vw_test_watched_wait_hardened (app);
  vw_test_watched_assert_hardened (app, SECRET, "VELDWERK_TEST_MARKER=still here");

  /* And it is the running application, not a start that failed. */
  g_usleep (2 * G_USEC_PER_SEC);
  vw_test_watched_assert_hardened (app, SECRET, "VELDWERK_TEST_MARKER=still here");
  g_test_message ("%s", vw_test_watched_get_output (app));

  g_clear_pointer (&app, vw_test_watched_free);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: the application needs the system's
   * data directories (the MIME database for its icons). */
  vw_test_init_display (&argc, &argv);

  g_test_add_func ("/process/app", test_app_hardened);

  return g_test_run ();
}
