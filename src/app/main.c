/* veldwerk: the GTK application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vw-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(VwApplication) app = NULL;
  const char *localedir = g_getenv ("VELDWERK_LOCALEDIR");

  /* An uninstalled build (meson devenv, the test suite) points this at the
   * translations in the build directory. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vw_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
