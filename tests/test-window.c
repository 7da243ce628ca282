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
#include "vw-handover-dialog.h"
#include "vw-merge-dialog.h"
#include "vw-participant-page.h"
#include "vw-participants-page.h"
#include "vw-submit-dialog.h"
#include "vw-unlock-page.h"
#include "vw-window.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

typedef struct
{
  gboolean  demo;
  gboolean  checked;
  char     *demo_vault;
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
wait_for_page (GtkWindow  *window,
               const char *page)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_strcmp0 (vw_window_get_page (VW_WINDOW (window)), page) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (vw_window_get_page (VW_WINDOW (window)), ==, page);
}

static GtkWidget *
find_entry_row (GtkWidget *root)
{
  if (ADW_IS_PASSWORD_ENTRY_ROW (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The demo study is a duo's: it submits, hands over and opens bundles; round
 * preparation and conflicts are the coordinator's (test-shell checks that
 * side). Each dialog belongs to the window. */
static void
check_duo_actions (VwWindow *self)
{
  static const struct { const char *action; gboolean enabled; } actions[] = {
    { "submit", TRUE }, { "handover", TRUE }, { "handover-participant", TRUE }, { "open-bundles", TRUE },
    { "merge", TRUE }, { "prepare-round", FALSE }, { "conflicts", FALSE }, { "merge-submissions", FALSE },
  };
  const struct { const char *action; GType type; } dialogs[] = {
    { "submit", VW_TYPE_SUBMIT_DIALOG },
    { "handover", VW_TYPE_HANDOVER_DIALOG },
    { "open-bundles", VW_TYPE_MERGE_DIALOG },
  };
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chosen = g_strdup_printf (g_dngettext (NULL, "%u chosen", "%u chosen", 1), 1);
  GtkWidget *page;
  GtkWindow *handover;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (self), actions[i].action) ==
                   actions[i].enabled);
  for (guint i = 0; i < G_N_ELEMENTS (dialogs); i++)
    {
      GtkWindow *dialog;

      g_action_group_activate_action (G_ACTION_GROUP (self), dialogs[i].action, NULL);
      dialog = vw_test_find_toplevel (dialogs[i].type);
      g_assert_nonnull (dialog);
      g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (self));
      if (dialogs[i].type == VW_TYPE_MERGE_DIALOG)
        g_assert_cmpstr (gtk_window_get_title (dialog), ==, _("Open Bundles"));
      gtk_window_close (dialog);
      g_assert_null (vw_test_find_toplevel (dialogs[i].type));
    }

  /* "Hand over to another duo…" on a participant's page: that participant,
   * already chosen. */
  participants = vw_vault_list_participants (vw_window_get_vault (self), vw_window_get_study (self), &error);
  g_assert_no_error (error);
  vw_window_show_participant (self, ((VwParticipant *) g_ptr_array_index (participants, 0))->code);
  g_assert_cmpstr (vw_window_get_page (self), ==, "participant");
  page = vw_window_get_page_widget (self, "participant");
  vw_test_click (vw_test_button (page, _("_Hand Over to Another Duo…")));
  handover = vw_test_find_toplevel (VW_TYPE_HANDOVER_DIALOG);
  g_assert_nonnull (handover);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (handover),
                                                                                  VW_TYPE_HANDOVER_DIALOG,
                                                                                  "count_label"))),
                   ==, chosen);
  gtk_window_close (handover);
  g_action_group_activate_action (G_ACTION_GROUP (self), "back", NULL);
}

/* `veldwerk --demo`: a filled throw-away vault, its passphrase on the
 * unlock page. */
static void
check_demo (GtkWindow *window,
            RunState  *state)
{
  VwWindow *self = VW_WINDOW (window);
  GtkWidget *unlock;
  VwParticipantsPage *list;
  g_autofree char *shown = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GError) error = NULL;

  /* Key stretching and filling run in a thread behind a spinner. */
  g_assert_cmpstr (vw_window_get_page (self), ==, "busy");
  wait_for_page (window, "unlock");
  unlock = vw_window_get_page_widget (self, "unlock");
  /* Translators: %s is the passphrase of the demo vault */
  shown = g_strdup_printf (_("Demo study: the passphrase is “%s”"), VW_DEMO_PASSPHRASE);
  g_assert_nonnull (find_label_with_text (unlock, shown));
  g_assert_false (vw_vault_is_unlocked (vw_window_get_vault (self)));
  state->demo_vault = g_strdup (vw_vault_get_path (vw_window_get_vault (self)));
  g_assert_true (g_file_test (state->demo_vault, G_FILE_TEST_IS_REGULAR));

  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (unlock)), VW_DEMO_PASSPHRASE);
  g_signal_emit_by_name (find_entry_row (unlock), "entry-activated");
  wait_for_page (window, "main");

  list = VW_PARTICIPANTS_PAGE (vw_window_get_page_widget (self, "participants"));
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, VW_DEMO_N_PARTICIPANTS);
  vw_participants_page_set_filter (list, "T1", "unreachable", NULL);
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 1);
  vw_participants_page_set_filter (list, NULL, "interviewed", NULL);
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, VW_DEMO_N_PARTICIPANTS);
  vw_participants_page_set_filter (list, "T2", "planned", NULL);
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 6);
  vw_participants_page_set_filter (list, NULL, NULL, NULL);

  rounds = vw_vault_list_rounds (vw_window_get_vault (self), vw_window_get_study (self), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, VW_DEMO_N_ROUNDS);
  quotes = vw_vault_list_quotes (vw_window_get_vault (self), vw_window_get_study (self), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quotes->len, ==, 5);

  check_duo_actions (self);
}

/* The accelerator of the shortcut titled @title in the shortcuts window. */
static const char *
shortcut_accelerator (GtkWidget  *root,
                      const char *title)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (root))
    {
      g_autofree char *t = NULL;
      g_autofree char *accel = NULL;

      g_object_get (root, "title", &t, "accelerator", &accel, NULL);
      if (g_strcmp0 (t, title) == 0)
        return g_intern_string (accel);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      const char *found = shortcut_accelerator (child, title);
      if (found != NULL)
        return found;
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

  /* The start page is what the window shows first, in the user's language;
   * the demo starts on its own vault. */
  if (state->demo)
    check_demo (window, state);
  else
    {
      g_assert_cmpstr (vw_window_get_page (VW_WINDOW (window)), ==, "start");
      g_assert_nonnull (find_label_with_text (GTK_WIDGET (window), welcome));
    }

  /* The header bar says when this is the demo study, and only then. */
  if (state->demo)
    g_assert_nonnull (find_label_with_text (GTK_WIDGET (window), demo));
  else
    g_assert_null (find_label_with_text (GTK_WIDGET (window), demo));

  /* The actions the menu and shortcuts use exist. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "lock"));
  g_assert_cmpint (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lock"), ==, state->demo);
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
  vw_test_destroy_window (about);

  /* The shortcuts window is loaded from the resource. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* It lists the interview view's own keys, which are not application accels. */
  {
    GtkWidget *overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

    g_assert_cmpstr (shortcut_accelerator (overlay, C_("shortcut window", "Next module")), ==,
                     "<Control>Page_Down <Alt>Right");
    g_assert_cmpstr (shortcut_accelerator (overlay, C_("shortcut window", "Previous module")), ==,
                     "<Control>Page_Up <Alt>Left");
    g_assert_cmpstr (shortcut_accelerator (overlay, C_("shortcut window", "New quote")), ==,
                     "<Control><Shift>q");
    gtk_window_destroy (GTK_WINDOW (overlay));
  }

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

  /* The throw-away vault is gone with the window. */
  if (demo)
    {
      g_clear_object (&app);
      g_assert_false (g_file_test (state.demo_vault, G_FILE_TEST_EXISTS));
      g_free (state.demo_vault);
    }
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
