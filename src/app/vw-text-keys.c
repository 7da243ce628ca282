/* vw-text-keys.c: see vw-text-keys.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-text-keys.h"

/* Ctrl+Tab types the tab that Tab no longer types. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkTextView           *view)
{
  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab) ||
      (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) != GDK_CONTROL_MASK)
    return GDK_EVENT_PROPAGATE;
  if (gtk_text_view_get_editable (view))
    gtk_text_buffer_insert_interactive_at_cursor (gtk_text_view_get_buffer (view), "\t", 1, TRUE);
  return GDK_EVENT_STOP;
}

void
vw_text_keys_form_field (GtkTextView *view)
{
  GtkEventController *keys;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  /* Tab and Shift+Tab then go on to the window, which moves the focus. */
  gtk_text_view_set_accepts_tab (view, FALSE);
  keys = gtk_event_controller_key_new ();
  /* Before the text view's own bindings, which move focus on Ctrl+Tab. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), view, 0);
  gtk_widget_add_controller (GTK_WIDGET (view), keys);
}

gboolean
vw_text_is_blank (const char *text)
{
  for (const char *c = text ? text : ""; *c != '\0'; c = g_utf8_next_char (c))
    if (!g_unichar_isspace (g_utf8_get_char (c)))
      return FALSE;
  return TRUE;
}
