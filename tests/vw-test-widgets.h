/* vw-test-widgets.h: finding and driving widgets in display tests and
 * screenshots, by what the user reads (row titles, button labels).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*VwTestMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

/* Depth first, @root included; %NULL when nothing matches. */
GtkWidget  *vw_test_find_widget      (GtkWidget     *root,
                                      VwTestMatch    match,
                                      gconstpointer  data);
gboolean    vw_test_row_titled       (GtkWidget     *widget,
                                      gconstpointer  title);
gboolean    vw_test_button_labelled  (GtkWidget     *widget,
                                      gconstpointer  label);
gboolean    vw_test_label_with_text  (GtkWidget     *widget,
                                      gconstpointer  text);
gboolean    vw_test_check_labelled   (GtkWidget     *widget,
                                      gconstpointer  label);
/* Runs the main loop until @done (@data) or a minute has passed; returns
 * @done (@data). */
gboolean    vw_test_wait_for         (gboolean     (*done) (gpointer),
                                      gpointer       data);
/* These fail the test when there is no such widget. */
GtkWidget  *vw_test_row              (GtkWidget     *root,
                                      const char    *title);
GtkWidget  *vw_test_button           (GtkWidget     *root,
                                      const char    *label);
void        vw_test_type_into        (GtkWidget     *root,
                                      const char    *title,
                                      const char    *text);
/* Clicks a sensitive button. */
void        vw_test_click            (GtkWidget     *widget);
/* A visible toplevel window of @type, or %NULL. */
GtkWindow  *vw_test_find_toplevel    (GType          type);
/* Closes @dialog, which holds typed content: it must ask, and the answer
 * "discard" closes it. */
void        vw_test_close_discarding (GtkWindow     *dialog);
/* Destroys @window and fails the test unless that finalizes it: nothing
 * (a signal handler, a pending task, a reference cycle) may keep a window
 * or dialog alive after it is gone. Pending idles run first, for up to
 * ten seconds. */
void        vw_test_destroy_window   (gpointer       window);
/* Presses a real key combination (XTest) on the X server of @window, which
 * has the keyboard focus: "Tab", "shift+Tab", "ctrl+Next", "alt+Left";
 * then lets GTK handle it. */
void        vw_test_press            (GtkWindow     *window,
                                      const char    *combination);

G_END_DECLS
