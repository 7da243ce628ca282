/* vw-save-chooser.h: what the dialogs that save a bundle share: the save
 * chooser with a suggested name, and the row that reports the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called with the chosen file; @parent is the dialog that asked. */
typedef void (*VwSaveFunc) (GtkWindow *parent,
                            GFile     *file);

void  vw_save_chooser_show (GtkWindow    *parent,
                            const char   *title,
                            const char   *suggested_name,
                            VwSaveFunc    func);
/* The local path of @file, or %NULL with a message naming it. */
char *vw_save_chooser_path (GFile        *file,
                            char        **message);
/* Shows @row in @list with the outcome; a failure is styled as an error. */
void  vw_result_row_show   (AdwActionRow *row,
                            GtkWidget    *list,
                            const char   *title,
                            const char   *subtitle,
                            gboolean      failed);

G_END_DECLS
