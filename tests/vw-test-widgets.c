/* vw-test-widgets.c: see vw-test-widgets.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk/x11/gdkx.h>
#include <gmodule.h>

#include "vw-dialog.h"
#include "vw-test-widgets.h"

GtkWidget *
vw_test_find_widget (GtkWidget     *root,
                     VwTestMatch    match,
                     gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = vw_test_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
vw_test_row_titled (GtkWidget     *widget,
                    gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

gboolean
vw_test_button_labelled (GtkWidget     *widget,
                         gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

gboolean
vw_test_label_with_text (GtkWidget     *widget,
                         gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

gboolean
vw_test_check_labelled (GtkWidget     *widget,
                        gconstpointer  label)
{
  return GTK_IS_CHECK_BUTTON (widget) &&
         g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), label) == 0;
}

gboolean
vw_test_wait_for (gboolean (*done) (gpointer),
                  gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return done (data);
}

GtkWidget *
vw_test_row (GtkWidget  *root,
             const char *title)
{
  GtkWidget *found = vw_test_find_widget (root, vw_test_row_titled, title);

  if (found == NULL)
    g_error ("No row titled “%s”", title);
  return found;
}

GtkWidget *
vw_test_button (GtkWidget  *root,
                const char *label)
{
  GtkWidget *found = vw_test_find_widget (root, vw_test_button_labelled, label);

  if (found == NULL)
    g_error ("No button labelled “%s”", label);
  return found;
}

void
vw_test_type_into (GtkWidget  *root,
                   const char *title,
                   const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (vw_test_row (root, title)), text);
}

void
vw_test_click (GtkWidget *widget)
{
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
}

GtkWindow *
vw_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

void
vw_test_close_discarding (GtkWindow *dialog)
{
  AdwMessageDialog *question;

  g_object_ref (dialog);
  gtk_window_close (dialog);
  question = vw_dialog_get_discard_question (dialog);
  g_assert_nonnull (question);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  adw_message_dialog_response (question, "discard");
  g_assert_null (vw_dialog_get_discard_question (dialog));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);
}

void
vw_test_destroy_window (gpointer window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (GTK_IS_WINDOW (window));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  /* Idles and finished tasks may still hold it for a moment. */
  while (G_OBJECT (window)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_finalize_object (window);
}

typedef int (*FakeKeyEvent) (Display *display, unsigned int keycode, Bool is_press, unsigned long delay);

static void
fake_key (Display      *x,
          FakeKeyEvent  fake,
          const char   *name,
          gboolean      press)
{
  KeySym keysym = XStringToKeysym (name);
  KeyCode keycode = keysym != NoSymbol ? XKeysymToKeycode (x, keysym) : 0;

  if (keycode == 0)
    g_error ("No key %s", name);
  fake (x, keycode, press, 0);
}

void
vw_test_press (GtkWindow  *window,
               const char *combination)
{
  static FakeKeyEvent fake;
  g_auto(GStrv) parts = g_strsplit (combination, "+", -1);
  guint n = g_strv_length (parts);
  Display *x;

  g_assert_true (GDK_IS_X11_DISPLAY (gtk_widget_get_display (GTK_WIDGET (window))));
  x = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (window)));
  /* libXtst is the X server's test extension, as xdotool uses it; loaded
   * here so that building needs no headers of it. */
  if (fake == NULL)
    {
      GModule *xtst = g_module_open ("libXtst.so.6", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

      g_assert_nonnull (xtst);
      g_assert_true (g_module_symbol (xtst, "XTestFakeKeyEvent", (gpointer *) &fake));
    }
  /* Without a window manager the window that was presented last has the
   * keyboard. */
  gtk_window_present (window);
  vw_test_wait_for ((gboolean (*) (gpointer)) gtk_window_is_active, window);
  for (guint i = 0; i + 1 < n; i++)
    fake_key (x, fake, g_str_equal (parts[i], "ctrl") ? "Control_L" : g_str_equal (parts[i], "shift") ? "Shift_L"
                                                                                                    : "Alt_L", TRUE);
  fake_key (x, fake, parts[n - 1], TRUE);
  fake_key (x, fake, parts[n - 1], FALSE);
  for (guint i = n - 1; i > 0; i--)
    fake_key (x, fake, g_str_equal (parts[i - 1], "ctrl") ? "Control_L" : g_str_equal (parts[i - 1], "shift")
                                                                        ? "Shift_L" : "Alt_L", FALSE);
  XSync (x, False);
  /* The events come back through the X connection: let GTK see them. */
  for (gint64 end = g_get_monotonic_time () + 150 * 1000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
}
