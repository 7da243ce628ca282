/* vw-save-chooser.c: see vw-save-chooser.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-file-chooser.h"
#include "vw-save-chooser.h"

static void
chosen (GtkWidget      *owner,
        GtkFileChooser *chooser,
        gpointer        user_data)
{
  VwSaveFunc func = (VwSaveFunc) user_data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  func (GTK_WINDOW (owner), file);
}

void
vw_save_chooser_show (GtkWindow  *parent,
                      const char *title,
                      const char *suggested_name,
                      VwSaveFunc  func)
{
  GtkFileChooser *chooser = vw_file_chooser_new (GTK_WIDGET (parent), title, GTK_FILE_CHOOSER_ACTION_SAVE,
                                                 chosen, (gpointer) func, NULL);

  gtk_file_chooser_set_current_name (chooser, suggested_name);
  vw_file_chooser_show (chooser);
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
