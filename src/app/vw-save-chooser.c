/* vw-save-chooser.c: see vw-save-chooser.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-save-chooser.h"

static void
chooser_response (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  VwSaveFunc func = (VwSaveFunc) g_object_get_data (G_OBJECT (chooser), "vw-save-func");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      func (GTK_WINDOW (user_data), file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
vw_save_chooser_show (GtkWindow  *parent,
                      const char *title,
                      const char *suggested_name,
                      VwSaveFunc  func)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "vw-save-func", (gpointer) func);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response), parent, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

char *
vw_save_chooser_path (GFile  *file,
                      char  **message)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      *message = g_strdup_printf (_("“%s” is not a local file"), uri);
    }
  return path;
}

void
vw_result_row_show (AdwActionRow *row,
                    GtkWidget    *list,
                    const char   *title,
                    const char   *subtitle,
                    gboolean      failed)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_visible (list, TRUE);
}
