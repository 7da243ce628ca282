/* Display test: the application window on a small laptop, the way a duo
 * meets it, one case per item: every page and dialog fits a
 * 1024x600 screen, dialogs start in their first field, the recovery code
 * never breaks inside a group, a lost setting still finds the vault, the
 * Results heading and chart title differ, a file chooser goes with the
 * dialog that opened it when the vault locks.
 *
 * Runs once per interface language (LANGUAGE=en and nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-application.h"
#include "vw-create-vault-page.h"
#include "vw-dialog.h"
#include "vw-enrol-dialog.h"
#include "vw-export-dialog.h"
#include "vw-handover-dialog.h"
#include "vw-interview-view-private.h"
#include "vw-interviewers-dialog.h"
#include "vw-merge-dialog.h"
#include "vw-nonresponse-dialog.h"
#include "vw-participant-page.h"
#include "vw-question-widget.h"
#include "vw-quote-dialog.h"
#include "vw-results-view.h"
#include "vw-submit-dialog.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-test-widgets.h"
#include "vw-window.h"

#define SMALL_WIDTH 1024
#define SMALL_HEIGHT 600

typedef void (*DemoFunc) (VwWindow *window);

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

static gboolean
is_password_row (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return ADW_IS_PASSWORD_ENTRY_ROW (widget);
}

/* Sizes the window as the screen of a small laptop would. */
static void
resize (GtkWindow *window,
        int        width,
        int        height)
{
  gtk_window_set_default_size (window, width, height);
  settle (400);
}

/* The smallest a window can be must fit the small screen. */
static void
check_fits (GtkWidget  *window,
            const char *what)
{
  int width = 0, height = 0;

  settle (200);
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, SMALL_WIDTH, &height, NULL, NULL, NULL);
  g_test_message ("%s: smallest %dx%d", what, width, height);
  if (width > SMALL_WIDTH || height > SMALL_HEIGHT)
    g_error ("%s needs at least %dx%d, more than a %dx%d screen", what, width, height, SMALL_WIDTH, SMALL_HEIGHT);
}

/* @widget lies inside its window's width: not off the screen's edge. */
static void
check_on_screen (GtkWidget  *widget,
                 const char *what)
{
  graphene_rect_t bounds;
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) || bounds.origin.x < 0)
    g_error ("%s is off the window (%g..%g of %d)", what, bounds.origin.x, bounds.origin.x + bounds.size.width,
             gtk_widget_get_width (window));
}

static gboolean
button_with_icon (GtkWidget     *widget,
                  gconstpointer  icon)
{
  return (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0) ||
         (GTK_IS_MENU_BUTTON (widget) && g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), icon) == 0);
}

/* The demo study, unlocked, then @func. */
static DemoFunc demo_func;
static gboolean demo_done;

static void
run_demo_activated (GApplication *app)
{
  VwWindow *window = VW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWidget *row;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  resize (GTK_WINDOW (window), SMALL_WIDTH, SMALL_HEIGHT);
  wait_for_page (window, "unlock");
  check_fits (GTK_WIDGET (window), "unlock page");
  row = vw_test_find_widget (vw_window_get_page_widget (window, "unlock"), is_password_row, NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), VW_DEMO_PASSPHRASE);
  g_signal_emit_by_name (row, "entry-activated");
  wait_for_page (window, "main");
  demo_func (window);
  demo_done = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
run_demo (DemoFunc func)
{
  g_autoptr(VwApplication) app = vw_application_new ();
  const char *argv[] = { "veldwerk", "--demo", NULL };

  demo_func = func;
  demo_done = FALSE;
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_demo_activated), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, (char **) argv), ==, 0);
  g_assert_true (demo_done);
}

static char *
participant_code (VwWindow   *window,
                  const char *pseudonym)
{
  g_autoptr(GPtrArray) people = vw_vault_list_participants (vw_window_get_vault (window),
                                                            vw_window_get_study (window), NULL);

  for (guint i = 0; people != NULL && i < people->len; i++)
    if (g_str_equal (((VwParticipant *) g_ptr_array_index (people, i))->pseudonym, pseudonym))
      return g_strdup (((VwParticipant *) g_ptr_array_index (people, i))->code);
  g_error ("No %s in the demo", pseudonym);
  return NULL;
}

static VwInterviewView *
open_interview (VwWindow   *window,
                const char *pseudonym,
                const char *round)
{
  g_autofree char *code = participant_code (window, pseudonym);

  vw_window_show_participant (window, code);
  wait_for_page (window, "participant");
  g_signal_emit_by_name (vw_window_get_page_widget (window, "participant"), "start-interview", round);
  wait_for_page (window, "interview");
  settle (300);
  return VW_INTERVIEW_VIEW (adw_bin_get_child (ADW_BIN (vw_window_get_page_widget (window, "interview"))));
}

/* A dialog the window opened: it fits, its primary action is the default
 * widget, and the focus is in its form, not on a button of its header. */
static void
check_dialog (GType       type,
              const char *what)
{
  GtkWindow *dialog = vw_test_find_toplevel (type);
  GtkWidget *primary, *focus;

  g_assert_nonnull (dialog);
  settle (200);
  check_fits (GTK_WIDGET (dialog), what);
  primary = gtk_window_get_default_widget (dialog);
  if (primary == NULL)
    g_error ("%s has no default widget: Enter does nothing or Cancel", what);
  g_assert_true (gtk_widget_has_css_class (primary, "suggested-action"));
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  if (focus == NULL || gtk_widget_get_ancestor (focus, ADW_TYPE_HEADER_BAR) != NULL)
    g_error ("%s starts with the focus on %s, not in its first field", what,
             focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  vw_test_destroy_window (dialog);
  settle (100);
}

/* 1. Every page and dialog fits 1024x600; at 1024 the follow-up's last
 * time folds behind a button and the header's buttons stay on screen; at
 * 1280x720 the modules and last time show beside the questions. 4. Every
 * dialog starts with the focus in its first field and the primary action
 * as the default widget. */
static void
fits_and_dialogs (VwWindow *window)
{
  VwInterviewView *view;
  g_autofree char *gerda = participant_code (window, "Gerda");
  GtkWidget *participant;

  check_fits (GTK_WIDGET (window), "participants page");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (
                                           vw_window_get_page_widget (window, "study"), ADW_TYPE_VIEW_STACK)), "study");
  check_fits (GTK_WIDGET (window), "study page");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (
                                           vw_window_get_page_widget (window, "results"), ADW_TYPE_VIEW_STACK)), "results");
  check_fits (GTK_WIDGET (window), "results page");

  /* The dialogs of the window's menu. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "enrol", NULL);
  check_dialog (VW_TYPE_ENROL_DIALOG, "enrol dialog");
  g_action_group_activate_action (G_ACTION_GROUP (window), "interviewers", NULL);
  check_dialog (VW_TYPE_INTERVIEWERS_DIALOG, "interviewers dialog");
  g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
  check_dialog (VW_TYPE_EXPORT_DIALOG, "export dialog");
  g_action_group_activate_action (G_ACTION_GROUP (window), "submit", NULL);
  check_dialog (VW_TYPE_SUBMIT_DIALOG, "submit dialog");
  g_action_group_activate_action (G_ACTION_GROUP (window), "handover", NULL);
  check_dialog (VW_TYPE_HANDOVER_DIALOG, "handover dialog");
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-bundles", NULL);
  {
    /* Nothing to merge yet: its button waits, and the focus is on Choose. */
    GtkWindow *merge = vw_test_find_toplevel (VW_TYPE_MERGE_DIALOG);
    check_fits (GTK_WIDGET (merge), "open bundles dialog");
    g_assert_nonnull (gtk_window_get_default_widget (merge));
    vw_test_destroy_window (merge);
  }

  vw_window_show_participant (window, gerda);
  wait_for_page (window, "participant");
  check_fits (GTK_WIDGET (window), "participant page");
  participant = vw_window_get_page_widget (window, "participant");
  vw_participant_page_record_nonresponse (VW_PARTICIPANT_PAGE (participant), "T2");
  check_dialog (VW_TYPE_NONRESPONSE_DIALOG, "non-response dialog");

  /* Gerda's follow-up interview on the small screen. */
  view = open_interview (window, "Gerda", "T2");
  check_fits (GTK_WIDGET (window), "follow-up interview");
  for (guint i = 0; i < view->modules->len; i++)
    {
      const VwModule *m = g_ptr_array_index (view->modules, i);
      g_autofree char *what = g_strdup_printf ("module %s", vw_module_get_id (m));

      vw_interview_view_show_module (view, vw_module_get_id (m));
      check_fits (GTK_WIDGET (window), what);
    }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, SMALL_WIDTH);
  g_assert_true (adw_flap_get_folded (view->followup_flap));
  g_assert_false (adw_flap_get_reveal_flap (view->followup_flap));
  check_on_screen (GTK_WIDGET (view->followup_toggle), "the button that shows last time");
  check_on_screen (GTK_WIDGET (view->next_button), "Next");
  check_on_screen (GTK_WIDGET (view->review_button), "Review and Finish");
  check_on_screen (vw_test_find_widget (GTK_WIDGET (window), button_with_icon, "system-lock-screen-symbolic"),
                   "the lock button");
  check_on_screen (vw_test_find_widget (GTK_WIDGET (window), button_with_icon, "open-menu-symbolic"),
                   "the main menu");
  /* Shown over the questions when asked for. */
  gtk_widget_activate_action (GTK_WIDGET (view), "interview.toggle-followup", NULL);
  settle (300);
  g_assert_true (adw_flap_get_reveal_flap (view->followup_flap));
  g_assert_true (gtk_widget_get_mapped (view->followup_panel));
  gtk_widget_activate_action (GTK_WIDGET (view), "interview.toggle-followup", NULL);

  /* A quote and the question before finishing fit too. */
  g_assert_true (vw_interview_view_show_question (view, "residence_experience"));
  vw_test_answer (&(VwTestInterview) { .view = view }, "residence_experience", "Het is er druk.");
  {
    GtkTextView *text = GTK_TEXT_VIEW (vw_question_widget_get_input (VW_QUESTION_WIDGET (
                                         vw_interview_view_get_question_widget (view, "residence_experience"))));
    GtkTextIter start, end;

    gtk_widget_grab_focus (GTK_WIDGET (text));
    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (text), &start, &end);
    gtk_text_buffer_select_range (gtk_text_view_get_buffer (text), &start, &end);
    gtk_widget_activate_action (GTK_WIDGET (view), "interview.quote", NULL);
  }
  {
    /* Closed (Escape, Cancel), the quote is not thrown away unasked. */
    GtkWindow *quote = vw_test_find_toplevel (VW_TYPE_QUOTE_DIALOG);
    AdwMessageDialog *ask;

    g_assert_nonnull (quote);
    settle (100);
    g_object_ref (quote);
    gtk_window_close (quote);
    if (!gtk_widget_get_visible (GTK_WIDGET (quote)) || (ask = vw_dialog_get_discard_question (quote)) == NULL)
      g_error ("Closing the quote dialog threw the quote away without asking");
    g_object_unref (quote);
    check_fits (GTK_WIDGET (ask), "question before discarding");
    adw_message_dialog_response (ask, "keep");
    vw_test_destroy_window (ask);
    settle (100);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (quote)));
    g_assert_null (vw_dialog_get_discard_question (quote));
  }
  check_dialog (VW_TYPE_QUOTE_DIALOG, "quote dialog");
  gtk_widget_activate_action (GTK_WIDGET (view), "interview.review", NULL);
  check_fits (GTK_WIDGET (window), "review");
  gtk_widget_activate_action (GTK_WIDGET (view), "interview.finish", NULL);
  {
    AdwMessageDialog *question = vw_test_find_message_dialog ();

    g_assert_nonnull (question);
    check_fits (GTK_WIDGET (question), "question before finishing");
    vw_test_destroy_window (question);
  }

  /* At 1280x720 the modules and last time are both beside the questions. */
  gtk_widget_activate_action (GTK_WIDGET (view), "interview.back", NULL);
  resize (GTK_WINDOW (window), 1280, 720);
  g_assert_false (adw_flap_get_folded (view->module_flap));
  g_assert_false (adw_flap_get_folded (view->followup_flap));
  g_assert_true (gtk_widget_get_mapped (view->followup_panel));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view->module_list)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view->fold_bar)));
  gtk_widget_activate_action (GTK_WIDGET (view), "interview.pause", NULL);
}

static void
test_fits_and_dialogs (void)
{
  run_demo (fits_and_dialogs);
}

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

/* 5. Enter in the participant search opens the only match. */
static void
search_enter (VwWindow *window)
{
  GtkWidget *page = vw_window_get_page_widget (window, "participants");
  GtkWidget *search = vw_test_find_widget (page, is_search_entry, NULL);

  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "Gerda");
  settle (400);
  gtk_widget_grab_focus (search);
  vw_test_press (GTK_WINDOW (window), "Return");
  wait_for_page (window, "participant");
  {
    g_autofree char *gerda = participant_code (window, "Gerda");
    g_assert_cmpstr (vw_participant_page_get_code (VW_PARTICIPANT_PAGE (vw_window_get_page_widget (window,
                                                                                                   "participant"))),
                     ==, gerda);
  }
}

static void
test_search_enter (void)
{
  run_demo (search_enter);
}

/* 11. The vault locks (as the idle lock does) while the merge dialog's
 * file chooser is open: the chooser goes with the dialog, and nothing can
 * answer into it afterwards. */
static void
chooser_locked (VwWindow *window)
{
  GtkWindow *merge, *chooser;

  g_action_group_activate_action (G_ACTION_GROUP (window), "open-bundles", NULL);
  merge = vw_test_find_toplevel (VW_TYPE_MERGE_DIALOG);
  g_assert_nonnull (merge);
  gtk_widget_activate_action (GTK_WIDGET (merge), "merge.choose", NULL);
  settle (300);
  chooser = vw_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser);

  vw_window_lock (window);
  settle (300);
  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");
  g_assert_null (vw_test_find_toplevel (VW_TYPE_MERGE_DIALOG));
  /* Were it still there, its answer would run on the freed dialog. */
  chooser = vw_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  if (chooser != NULL)
    {
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
      g_error ("The file chooser outlived the dialog that opened it");
    }
}

static void
test_chooser_locked (void)
{
  run_demo (chooser_locked);
}

/* Whether a region of @texture has more than one colour: something is
 * drawn there. */
static gboolean
has_ink (GdkTexture *texture,
         int         x0,
         int         y0,
         int         x1,
         int         y1)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, width * height);

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (pixels[y * width + x] != pixels[y0 * width + x0])
        return TRUE;
  return FALSE;
}

/* 10. The heading above the chart names it; the chart does not say it a
 * second time on screen, but a saved chart, which stands alone, does. */
static void
results_title (VwWindow *window)
{
  GtkWidget *results = vw_window_get_page_widget (window, "results");
  VwResultsView *view;
  GtkWidget *bars;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) shown = NULL;
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-chart-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "chart.png", NULL);
  int width = 0, height = 0;

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (results, ADW_TYPE_VIEW_STACK)),
                                         "results");
  settle (500);
  view = VW_RESULTS_VIEW (adw_bin_get_child (ADW_BIN (results)));
  bars = GTK_WIDGET (vw_results_view_get_bar_chart (view));
  g_assert_true (gtk_widget_get_mapped (bars));
  g_assert_true (vw_test_has_text (GTK_WIDGET (view), _("Trajectory Types")));
  paintable = gtk_widget_paintable_new (bars);
  /* The chart draws once its results are in, which a slow build (the
   * sanitizers') may take a while for: wait for it, up to a minute. */
  for (gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC; node == NULL && g_get_monotonic_time () < end;)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      settle (100);
      width = gtk_widget_get_width (bars);
      height = gtk_widget_get_height (bars);
      if (width > 0 && height > 0)
        gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  shown = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                       &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (vw_chart_bars_save (VW_CHART_BARS (bars), path, width, height, &error));
  g_assert_no_error (error);
  saved = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  /* Where the title begins: ink in the saved chart, none on screen. */
  g_assert_true (has_ink (saved, 8, 8, 40, 24));
  g_assert_false (has_ink (shown, 8, 8, 40, 24));
  vw_test_rm_rf (dir);
}

static void
test_results_title (void)
{
  run_demo (results_title);
}

/* A window on no vault, for the first run and the lost setting. */
static gboolean plain_done;
static void (*plain_func) (VwWindow *window);

static void
run_plain_activated (GApplication *app)
{
  VwWindow *window = VW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  resize (GTK_WINDOW (window), SMALL_WIDTH, SMALL_HEIGHT);
  plain_func (window);
  plain_done = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
run_plain (void (*func) (VwWindow *window))
{
  g_autoptr(VwApplication) app = vw_application_new ();
  const char *argv[] = { "veldwerk", NULL };

  plain_func = func;
  plain_done = FALSE;
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_plain_activated), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, (char **) argv), ==, 0);
  g_assert_true (plain_done);
}

static gboolean
recovery_shown (gpointer page)
{
  return vw_create_vault_page_get_recovery_code (page) != NULL;
}

/* Every place a line of the recovery code's labels ends is the end of a
 * group. */
static void
check_code_lines (GtkWidget  *root,
                  const char *code,
                  guint      *n_lines)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_drawable (root))
    {
      const char *text = gtk_label_get_label (GTK_LABEL (root));
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (root));

      if (strlen (text) >= VW_RECOVERY_CODE_GROUP_LEN && strstr (code, text) != NULL)
        for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
          {
            PangoLayoutLine *line = l->data;
            int end = line->start_index + line->length;

            (*n_lines)++;
            /* A line ends at the end of the label or after a dash. */
            if (end < (int) strlen (text) && text[end - 1] != '-')
              g_error ("The recovery code breaks inside a group: “%.*s” / “%s”", end, text, text + end);
            if (end == (int) strlen (text) && text[end - 1] != '-' && !g_str_has_suffix (code, text))
              g_error ("A label of the recovery code ends inside a group: “%s”", text);
          }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_code_lines (c, code, n_lines);
}

/* 6. The recovery code, shown once, never breaks inside a group, however
 * narrow the window; 8. the passphrases' mismatch is said in words, and
 * the page does not say nobody can help. */
static void
first_run (VwWindow *window)
{
  GtkWidget *create = vw_window_get_page_widget (window, "create");
  const char *code;

  g_assert_cmpstr (vw_window_get_page (window), ==, "start");
  g_action_group_activate_action (G_ACTION_GROUP (window), "create-vault", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "create");
  check_fits (GTK_WIDGET (window), "create page");
  vw_test_type_into (create, _("Passphrase"), VW_TEST_PASSPHRASE);
  vw_test_type_into (create, _("Type it again"), "correct horse battery");
  settle (100);
  {
    GtkWidget *said = vw_test_find_widget (create, vw_test_label_with_text,
                                           _("The two passphrases are not the same yet."));
    g_assert_nonnull (said);
    g_assert_true (gtk_widget_get_mapped (said));
    vw_test_type_into (create, _("Type it again"), VW_TEST_PASSPHRASE);
    settle (100);
    /* The hint goes once it no longer applies. */
    g_assert_false (gtk_widget_get_mapped (said));
  }
  /* What the page said before, in the language of the test. */
  g_assert_false (vw_test_has_text (create, _("You type it every time you unlock the vault. Nobody can reset it for you.")));
  vw_test_click (vw_test_button (create, _("_Create Vault")));
  g_assert_true (vw_test_wait_for (recovery_shown, create));
  code = vw_create_vault_page_get_recovery_code (VW_CREATE_VAULT_PAGE (create));

  for (int width = SMALL_WIDTH; width >= 360; width -= 166)
    {
      guint n_lines = 0;

      resize (GTK_WINDOW (window), width, SMALL_HEIGHT);
      check_code_lines (create, code, &n_lines);
      g_assert_cmpuint (n_lines, >, 0);
    }
}

static void
test_first_run (void)
{
  run_plain (first_run);
}

/* 9. The setting that names the vault is lost (a new account, a reset),
 * but the vault is in its default place: it opens, to be unlocked; and
 * Create offers to open it rather than refusing. */
static void
lost_setting (VwWindow *window)
{
  AdwMessageDialog *question;

  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");
  g_action_group_activate_action (G_ACTION_GROUP (window), "create-vault", NULL);
  question = vw_test_find_message_dialog ();
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, _("This Laptop Already Has a Vault"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "open");
  adw_message_dialog_response (question, "open");
  vw_test_destroy_window (question);
  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");
}

static void
test_lost_setting (void)
{
  g_autofree char *path = vw_paths_default_vault ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.veldwerk.Veldwerk");
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GError) error = NULL;

  /* The first run made it there, when it ran before. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      vault = vw_test_create_vault (path, NULL, NULL);
      g_assert_true (vw_vault_close (vault, &error));
      g_assert_no_error (error);
    }
  g_settings_set_string (settings, "last-vault", "");
  run_plain (lost_setting);
  {
    g_autofree char *last = g_settings_get_string (settings, "last-vault");
    g_assert_cmpstr (last, ==, path);
  }
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (vw_core_init (NULL));

  /* The first run comes first: the others leave a vault behind. */
  g_test_add_func ("/field/window/6-first-run", test_first_run);
  g_test_add_func ("/field/window/1-4-fits-and-dialogs", test_fits_and_dialogs);
  g_test_add_func ("/field/window/5-search-enter", test_search_enter);
  g_test_add_func ("/field/window/10-results-title", test_results_title);
  g_test_add_func ("/field/window/11-chooser-locked", test_chooser_locked);
  g_test_add_func ("/field/window/9-lost-setting", test_lost_setting);

  return g_test_run ();
}
