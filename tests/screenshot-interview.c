/* Renders the interview view at 1366x768 into PNGs for the README and the
 * metainfo: an interview page, the residence-history editor and the review
 * page, in the language LANGUAGE names. Run under Xvfb:
 *
 *   xvfb-run -a ninja -C build screenshots-interview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-interview-view-private.h"
#include "vw-question-widget.h"
#include "vw-residence-editor.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"

static void
save_png (GtkWidget  *widget,
          const char *dir,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%s/%s-%s.png", dir, name,
                                           g_str_has_prefix (g_getenv ("LANGUAGE"), "nl") ? "nl" : "en");
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  /* Wait for the transitions to end and a frame to be drawn. */
  for (guint i = 0; (node == NULL || gtk_widget_get_width (widget) != 1366) && i < 50; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      g_clear_pointer (&node, gsk_render_node_unref);
      vw_test_iterate (300);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_print ("%s (%dx%d)\n", file, width, height);
}

/* The window's header bar, as the application shows it around the view. */
static GtkWidget *
wrap_in_header (VwTestInterview *t,
                const char      *round)
{
  GtkWidget *content = GTK_WIDGET (t->view);
  GtkWidget *box, *header;
  g_autofree char *subtitle = g_strdup_printf ("Kees · %s", round);

  g_object_ref (content);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (t->window), NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  /* Exactly the small-laptop size, whatever the size of Xvfb's screen. */
  gtk_widget_set_size_request (box, 1366, 768);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Interview"), subtitle));
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  g_object_unref (content);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (t->window), box);
  vw_test_wait_mapped (content);
  return box;
}

int
main (int    argc,
      char **argv)
{
  VwTestInterview t;
  GtkWidget *box;
  VwResidenceEditor *editor;
  g_autoptr(GError) error = NULL;
  const char *dir = argc > 1 ? argv[1] : ".";

  vw_test_init_display (&argc, &argv);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (vw_core_init (NULL));

  vw_test_interview_init (&t);
  vw_test_interview_open (&t, "T0");
  /* Screenshots show pages, not the cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  vw_test_start_interview (&t);

  box = wrap_in_header (&t, "T0");

  vw_test_answer (&t, "birth_year", "1979");
  vw_test_answer (&t, "municipality", "Den Haag");
  vw_test_answer (&t, "origin", "centrumgemeente");

  /* An interview page: answers, skip logic, prompts and a note. */
  vw_interview_view_show_module (t.view, "residence_now");
  vw_test_answer (&t, "residence", "mo");
  vw_test_answer (&t, "residence_since", "2024-03");
  vw_test_answer (&t, "residence_experience",
                  g_str_has_prefix (g_getenv ("LANGUAGE"), "nl")
                  ? "Het is druk en je slaapt met zes mensen op een kamer. De begeleiders zijn aardig, "
                    "maar er is weinig tijd. Overdag moet je weg, dus ik loop veel door de stad."
                  : "It is busy and you sleep with six people in a room. The staff are kind, but there "
                    "is little time. During the day you have to leave, so I walk around town a lot.");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (
                              vw_question_widget_get_note_view (VW_QUESTION_WIDGET (vw_test_question (&t, "residence")))),
                            g_str_has_prefix (g_getenv ("LANGUAGE"), "nl") ? "Wil over een half jaar naar beschermd wonen."
                                                                            : "Wants to move to sheltered housing in six months.",
                            -1);
  vw_test_wait_saved (&t, "residence_experience");
  vw_test_wait_saved (&t, "residence");
  /* The actions follow the view into its new parent. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (t.view->pause_button)));
  save_png (box, dir, "interview-page");

  /* The residence history, with a gap named under the stays. */
  vw_interview_view_show_module (t.view, "history_first");
  editor = VW_RESIDENCE_EDITOR (vw_question_widget_get_input (
             VW_QUESTION_WIDGET (vw_test_question (&t, "stays_last_five_years"))));
  vw_residence_editor_add_stay (editor);
  vw_residence_editor_set_stay (editor, 0, "eigen_woning", "2019-05", "2022-11");
  vw_residence_editor_add_stay (editor);
  vw_residence_editor_set_stay (editor, 1, "netwerk", "2022-11", "2023-06");
  vw_residence_editor_add_stay (editor);
  vw_residence_editor_set_stay (editor, 2, "straat", "2023-09", "2024-03");
  vw_residence_editor_add_stay (editor);
  vw_residence_editor_set_stay (editor, 3, "mo", "2024-03", NULL);
  vw_test_wait_saved (&t, "stays_last_five_years");
  save_png (box, dir, "residence-history");

  /* The review page. */
  vw_test_answer (&t, "support_receives", "ja");
  vw_test_answer (&t, "participation", "geen");
  vw_test_answer (&t, "income", "uitkering");
  gtk_widget_activate_action (GTK_WIDGET (t.view), "interview.review", NULL);
  save_png (box, dir, "review");

  /* A follow-up interview, with last time beside it. */
  g_free (vw_test_finish_interview (&t));
  g_assert_true (vw_vault_add_round (t.vault, t.study, "T1", NULL, NULL, &error));
  g_assert_no_error (error);
  vw_test_interview_close_view (&t);
  /* A new window, as a resized one can stay at Xvfb's screen width. */
  gtk_window_destroy (t.window);
  vw_test_interview_open (&t, "T1");
  vw_test_start_interview (&t);
  box = wrap_in_header (&t, "T1");
  vw_interview_view_show_module (t.view, "residence_now");
  vw_test_answer (&t, "residence", "bw");
  vw_test_wait_saved (&t, "residence");
  save_png (box, dir, "followup");

  vw_test_interview_clear (&t);
  return 0;
}
