/* veldwerk: the GTK application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vw-application.h"
#include "vw-process.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(VwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  const char *localedir;

  /* First of all: no core dumps, and no secret left in the environment
   * for the programs this one starts. */
  if (!vw_process_harden (&error))
    {
      g_printerr ("veldwerk: %s\n", error->message);
      return 1;
    }
  localedir = g_getenv ("VELDWERK_LOCALEDIR");

  /* An uninstalled build (meson devenv, the test suite) points this at the
   * translations in the build directory. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vw_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
