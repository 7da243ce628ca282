/* Display test: the real application window under Xvfb.
 *
 * The expected texts follow LANGUAGE, which meson sets to "en" or "nl"
 * for two runs of this program, so both translations are checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-application.h"
#include "vw-window.h"
#include "vw-test-util.h"

typedef struct
{
  gboolean demo;
  gboolean checked;
} RunState;

static gboolean
is_dutch (void)
{
  return g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0;
}

static GtkWidget *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0 &&
      gtk_widget_get_mapped (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_text (child, text);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static AdwAboutWindow *
find_about_window (void)
{
  /* Owned by GTK: transfer none. */
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_ABOUT_WINDOW (w))
        return ADW_ABOUT_WINDOW (w);
    }

  return NULL;
}

static void
check_window (GApplication *app,
              RunState     *state)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  const char *welcome = is_dutch () ? "Welkom bij Veldwerk" : "Welcome to Veldwerk";
  const char *demo = is_dutch () ? "Demostudie" : "Demo study";
  AdwAboutWindow *about;
  gint64 deadline;

  g_assert_true (VW_IS_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));

  /* The start page is what the window shows first, in the user's language. */
  g_assert_cmpstr (vw_window_get_page (VW_WINDOW (window)), ==, "start");
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (window), welcome));

  /* The header bar says when this is the demo study, and only then. */
  if (state->demo)
    g_assert_nonnull (find_label_with_text (GTK_WIDGET (window), demo));
  else
    g_assert_null (find_label_with_text (GTK_WIDGET (window), demo));

  /* The actions the menu and shortcuts use exist. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>q"));
  }

  /* app.about opens the About window, translated. */
  g_assert_null (find_about_window ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_about_window ();
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Veldwerk");
  wait_until_mapped (GTK_WIDGET (about));
  gtk_window_destroy (GTK_WINDOW (about));

  /* The shortcuts window is loaded from the resource. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* Quitting closes the window and ends g_application_run(). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_application_get_active_window (GTK_APPLICATION (app)) != NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  state->checked = TRUE;
}

static void
on_activate_after (GApplication *app,
                   RunState     *state)
{
  check_window (app, state);
}

static void
run_application (gboolean demo)
{
  g_autoptr(VwApplication) app = vw_application_new ();
  RunState state = { .demo = demo };
  const char *argv_plain[] = { "veldwerk", NULL };
  const char *argv_demo[] = { "veldwerk", "--demo", NULL };
  int status;

  /* Tests run without a session bus: do not try to be the single instance. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_after), &state);

  status = g_application_run (G_APPLICATION (app), demo ? 2 : 1,
                              (char **) (demo ? argv_demo : argv_plain));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (state.checked);
  g_assert_cmpint (vw_application_get_demo (app), ==, demo);
}

static void
test_window_start_page (void)
{
  run_application (FALSE);
}

static void
test_window_demo (void)
{
  run_application (TRUE);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/window/start-page", test_window_start_page);
  g_test_add_func ("/window/demo", test_window_demo);

  return g_test_run ();
}
