/* vw-a11y.c: see vw-a11y.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-a11y.h"

/* The button that shows the passphrase: its icon is an eye. */
static GtkWidget *
find_button (GtkWidget *widget)
{
  const char *icon = GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : NULL;

  if (icon != NULL && (strstr (icon, "reveal") != NULL || strstr (icon, "conceal") != NULL))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
vw_a11y_name_password_row (AdwPasswordEntryRow *row)
{
  GtkWidget *button;

  g_return_if_fail (ADW_IS_PASSWORD_ENTRY_ROW (row));

  /* libadwaita 1.2 gives the button only a tooltip, which GTK 4.8 does
   * not read out: it would be announced as "GtkImage". */
  button = find_button (GTK_WIDGET (row));
  g_warn_if_fail (button != NULL);
  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Show or hide the passphrase"), -1);
}

static GtkWidget *
find_toggle (GtkWidget *widget)
{
  if (GTK_IS_TOGGLE_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
vw_a11y_name_drop_down (GtkDropDown *drop_down,
                        const char  *name)
{
  GtkWidget *button;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (name != NULL);

  /* GTK 4.8 names the drop-down but not its button, which is what the
   * focus lands on. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  button = find_toggle (GTK_WIDGET (drop_down));
  g_warn_if_fail (button != NULL);
  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
name_scroller (AdwStatusPage *page)
{
  GtkWidget *scroller = gtk_widget_get_first_child (GTK_WIDGET (page));

  while (scroller != NULL && !GTK_IS_SCROLLED_WINDOW (scroller))
    scroller = gtk_widget_get_next_sibling (scroller);
  if (scroller != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_status_page_get_title (page) ? adw_status_page_get_title (page) : "", -1);
}

void
vw_a11y_name_status_page (AdwStatusPage *page)
{
  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  name_scroller (page);
  g_signal_connect (page, "notify::title", G_CALLBACK (name_scroller), NULL);
}

static void
name_close_buttons (GtkWidget *widget)
{
  const char *icon = GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : NULL;

  if (g_strcmp0 (icon, "window-close-symbolic") == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close the message"),
                                    -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    name_close_buttons (child);
}

static gboolean
name_close_buttons_later (gpointer overlay)
{
  name_close_buttons (overlay);
  return G_SOURCE_REMOVE;
}

/* The next toast in the queue shows once this one goes. */
static void
toast_dismissed (GtkWidget *overlay)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, name_close_buttons_later, g_object_ref (overlay), g_object_unref);
}

void
vw_a11y_add_toast (AdwToastOverlay *overlay,
                   AdwToast        *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed), overlay, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (overlay, toast);
  /* The overlay shows the toast at once when no other one shows. */
  name_close_buttons (GTK_WIDGET (overlay));
}
