/* Display test: the application window on a small laptop, the way a duo
 * meets it on the demo study (issue 17): every page and dialog fits a
 * 1024x600 screen and keeps its controls on it.
 *
 * Runs once per interface language (LANGUAGE=en and nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-application.h"
#include "vw-interview-view-private.h"
#include "vw-participant-page.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"
#include "vw-window.h"

#define SMALL_WIDTH 1024
#define SMALL_HEIGHT 600

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
page_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (vw_window_get_page (args[0]), args[1]) == 0;
}

static void
wait_for_page (VwWindow   *window,
               const char *page)
{
  gpointer args[] = { window, (gpointer) page };

  g_assert_true (vw_test_wait_for (page_is, args));
}

/* The smallest size @window can take, as GTK measures it. */
static void
smallest (GtkWidget *window,
          int       *width,
          int       *height)
{
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, SMALL_WIDTH, height, NULL, NULL, NULL);
}

static void
check_fits (GtkWidget  *window,
            const char *what)
{
  int width, height;

  settle (300);
  smallest (window, &width, &height);
  g_test_message ("%s: smallest %dx%d", what, width, height);
  g_printerr ("%s: smallest %dx%d\n", what, width, height);
}

typedef struct
{
  gboolean done;
} RunState;

static void
run_demo (GApplication *app,
          RunState     *state)
{
  VwWindow *window = VW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWidget *row;
  g_autoptr(GPtrArray) people = NULL;
  GtkWidget *view;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), SMALL_WIDTH, SMALL_HEIGHT);
  wait_for_page (window, "unlock");
  check_fits (GTK_WIDGET (window), "unlock");
  { GtkWidget *f = gtk_root_get_focus (GTK_ROOT (window)); g_printerr ("FOCUS %s %s active=%d\n", f ? G_OBJECT_TYPE_NAME (f) : "none", f && gtk_widget_get_parent (f) ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (f)) : "", gtk_window_is_active (GTK_WINDOW (window))); }
  row = vw_test_find_widget (vw_window_get_page_widget (window, "unlock"), (VwTestMatch) ADW_IS_PASSWORD_ENTRY_ROW, NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), VW_DEMO_PASSPHRASE);
  g_signal_emit_by_name (row, "entry-activated");
  wait_for_page (window, "main");
  check_fits (GTK_WIDGET (window), "participants");

  people = vw_vault_list_participants (vw_window_get_vault (window), vw_window_get_study (window), NULL);
  for (guint i = 0; i < people->len; i++)
    if (g_str_equal (((VwParticipant *) g_ptr_array_index (people, i))->pseudonym, "Gerda"))
      vw_window_show_participant (window, ((VwParticipant *) g_ptr_array_index (people, i))->code);
  wait_for_page (window, "participant");
  check_fits (GTK_WIDGET (window), "participant");
  g_signal_emit_by_name (vw_window_get_page_widget (window, "participant"), "start-interview", "T2");
  wait_for_page (window, "interview");
  view = adw_bin_get_child (ADW_BIN (vw_window_get_page_widget (window, "interview")));
  check_fits (GTK_WIDGET (window), "interview T2");
  for (guint i = 0; i < VW_INTERVIEW_VIEW (view)->modules->len; i++)
    {
      const VwModule *m = g_ptr_array_index (VW_INTERVIEW_VIEW (view)->modules, i);
      vw_interview_view_show_module (VW_INTERVIEW_VIEW (view), vw_module_get_id (m));
      check_fits (GTK_WIDGET (window), vw_module_get_id (m));
    }
  gtk_widget_activate_action (view, "interview.review", NULL);
  check_fits (GTK_WIDGET (window), "review");

  state->done = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_small_screen (void)
{
  g_autoptr(VwApplication) app = vw_application_new ();
  RunState state = { 0 };
  const char *argv[] = { "veldwerk", "--demo", NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_demo), &state);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, (char **) argv), ==, 0);
  g_assert_true (state.done);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/field/window/small-screen", test_small_screen);

  return g_test_run ();
}
