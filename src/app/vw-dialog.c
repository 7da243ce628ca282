/* vw-dialog.c: see vw-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"

#define FIRST_FIELD "vw-dialog-first-field"
#define HAS_CONTENT "vw-dialog-has-content"
#define DISCARDING "vw-dialog-discarding"
#define QUESTION "vw-dialog-question"

/* Enter in any entry of the dialog does what the dialog is for, unless
 * the entry has its own use for Enter. */
static void
entries_activate_default (GtkWidget *widget)
{
  if (ADW_IS_ENTRY_ROW (widget))
    {
      if (!g_signal_has_handler_pending (widget, g_signal_lookup ("entry-activated", ADW_TYPE_ENTRY_ROW), 0, TRUE))
        adw_entry_row_set_activates_default (ADW_ENTRY_ROW (widget), TRUE);
    }
  else if (GTK_IS_ENTRY (widget))
    gtk_entry_set_activates_default (GTK_ENTRY (widget), TRUE);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    entries_activate_default (child);
}

static GtkWidget *find_first_field (GtkWidget *widget);

static void
focus_first_field (GtkWindow *dialog)
{
  GtkWidget *first = g_object_get_data (G_OBJECT (dialog), FIRST_FIELD);

  if (first == NULL || !gtk_widget_get_visible (first) || !gtk_widget_is_sensitive (first))
    first = find_first_field (GTK_WIDGET (dialog));
  if (first != NULL)
    gtk_widget_grab_focus (first);
}

/* The header bar's suggested action: the dialog's primary action. */
static GtkWidget *
find_primary (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "suggested-action") &&
      gtk_widget_get_ancestor (widget, ADW_TYPE_HEADER_BAR) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_primary (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget of the form that takes the focus: not the header bar,
 * whose buttons come first in the Tab order. */
static GtkWidget *
find_first_field (GtkWidget *widget)
{
  if (ADW_IS_HEADER_BAR (widget) || !gtk_widget_get_visible (widget))
    return NULL;
  if (gtk_widget_get_focusable (widget) && gtk_widget_get_sensitive (widget) &&
      !GTK_IS_SCROLLED_WINDOW (widget) && !GTK_IS_LIST_BOX (widget) && !GTK_IS_VIEWPORT (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first_field (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * vw_dialog_start:
 * @primary: (nullable): the primary action; %NULL for the header bar's
 *   suggested action
 * @first_field: (nullable): %NULL for the first widget of the form that
 *   takes the focus
 */
void
vw_dialog_start (GtkWindow *dialog,
                 GtkWidget *primary,
                 GtkWidget *first_field)
{
  g_return_if_fail (GTK_IS_WINDOW (dialog));
  g_return_if_fail (primary == NULL || GTK_IS_WIDGET (primary));
  g_return_if_fail (first_field == NULL || GTK_IS_WIDGET (first_field));

  if (primary == NULL)
    primary = find_primary (GTK_WIDGET (dialog));
  if (first_field == NULL)
    first_field = find_first_field (GTK_WIDGET (dialog));

  if (primary != NULL)
    {
      gtk_window_set_default_widget (dialog, primary);
      entries_activate_default (GTK_WIDGET (dialog));
    }
  /* Set when shown: GTK gives the first focusable widget, the header bar's
   * Cancel, the focus on map otherwise. A form that is filled in later
   * has its first field found then. */
  g_object_set_data (G_OBJECT (dialog), FIRST_FIELD, first_field);
  g_signal_connect_after (dialog, "map", G_CALLBACK (focus_first_field), NULL);
  if (first_field != NULL)
    gtk_window_set_focus (dialog, first_field);
}

static void
discard_response (AdwMessageDialog *question,
                  const char       *response,
                  GtkWindow        *dialog)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  g_object_set_data (G_OBJECT (dialog), DISCARDING, GINT_TO_POINTER (TRUE));
  g_object_set_data (G_OBJECT (dialog), QUESTION, NULL);
  gtk_window_destroy (GTK_WINDOW (question));
  gtk_window_destroy (dialog);
}

static void
question_gone (GtkWindow *dialog)
{
  g_object_set_data (G_OBJECT (dialog), QUESTION, NULL);
}

static gboolean
on_close_request (GtkWindow *dialog)
{
  VwDialogContentFunc has_content = g_object_get_data (G_OBJECT (dialog), HAS_CONTENT);
  GtkWidget *question;

  if (g_object_get_data (G_OBJECT (dialog), DISCARDING) != NULL || !has_content (dialog))
    return GDK_EVENT_PROPAGATE;
  question = g_object_get_data (G_OBJECT (dialog), QUESTION);
  if (question != NULL)
    {
      gtk_window_present (GTK_WINDOW (question));
      return GDK_EVENT_STOP;
    }

  question = adw_message_dialog_new (dialog, _("Discard What You Typed?"),
                                     _("What is in this dialog has not been saved and will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (question),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (question), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (question), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (question), "keep");
  /* It goes with the dialog, also when the vault locks. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (question), TRUE);
  g_signal_connect_object (question, "response", G_CALLBACK (discard_response), dialog, 0);
  g_signal_connect_object (question, "destroy", G_CALLBACK (question_gone), dialog, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (dialog), QUESTION, question);
  gtk_window_present (GTK_WINDOW (question));
  return GDK_EVENT_STOP;
}

void
vw_dialog_confirm_discard (GtkWindow           *dialog,
                           VwDialogContentFunc  has_content)
{
  g_return_if_fail (GTK_IS_WINDOW (dialog));
  g_return_if_fail (has_content != NULL);

  g_object_set_data (G_OBJECT (dialog), HAS_CONTENT, (gpointer) has_content);
  g_signal_connect (dialog, "close-request", G_CALLBACK (on_close_request), NULL);
}

AdwMessageDialog *
vw_dialog_get_discard_question (GtkWindow *dialog)
{
  g_return_val_if_fail (GTK_IS_WINDOW (dialog), NULL);

  return g_object_get_data (G_OBJECT (dialog), QUESTION);
}
