/* vw-file-chooser.h: the one way the application asks for a file to open
 * or a place to save. A chooser belongs to the widget that asked (its
 * owner): when the owner goes, or its window locks, the chooser goes with
 * it and its callback is never run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called when the user accepted: @owner is alive, @chooser holds the
 * choice (gtk_file_chooser_get_file, _get_files, _get_filter). */
typedef void (*VwFileChooserFunc) (GtkWidget      *owner,
                                   GtkFileChooser *chooser,
                                   gpointer        user_data);

GtkFileChooser *vw_file_chooser_new        (GtkWidget            *owner,
                                            const char           *title,
                                            GtkFileChooserAction  action,
                                            VwFileChooserFunc     func,
                                            gpointer              user_data,
                                            GDestroyNotify        destroy);
void            vw_file_chooser_show       (GtkFileChooser       *chooser);
/* Closes, without a callback, every chooser whose owner is in @window or
 * in one of its dialogs; returns how many there were. */
guint           vw_file_chooser_cancel_all (GtkWindow            *window);
/* The choosers open now, for tests. */
guint           vw_file_chooser_count_open (void);

G_END_DECLS
