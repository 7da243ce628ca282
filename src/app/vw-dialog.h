/* vw-dialog.h: how every dialog of the application starts and ends.
 *
 * A dialog opens with the focus in its first field and its primary action
 * as the default widget, so typing goes into the form and Enter in a
 * field does what the dialog is for (never Cancel). A dialog that holds
 * what the duo typed asks before it is thrown away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Whether @dialog holds something that closing it would lose. */
typedef gboolean (*VwDialogContentFunc) (GtkWindow *dialog);

/* @primary becomes the default widget, every entry of @dialog activates
 * it, and @first_field has the focus when the dialog is shown. */
void       vw_dialog_start            (GtkWindow           *dialog,
                                       GtkWidget           *primary,
                                       GtkWidget           *first_field);
/* Closing @dialog (Escape, Cancel, its close button: anything that goes
 * through gtk_window_close()) while @has_content says so asks first;
 * gtk_window_destroy() (after saving, or when the vault locks) does not. */
void       vw_dialog_confirm_discard  (GtkWindow           *dialog,
                                       VwDialogContentFunc  has_content);
/* The question vw_dialog_confirm_discard() asked, while it is open. */
AdwMessageDialog *vw_dialog_get_discard_question (GtkWindow *dialog);

G_END_DECLS
