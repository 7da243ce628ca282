/* vw-text-keys.h: keys of the text boxes of a form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* In a text box that is one field of a form, Tab and Shift+Tab move to
 * the next and previous field, as in an entry; Ctrl+Tab types a tab. */
void     vw_text_keys_form_field (GtkTextView *view);

/* Whether @text is empty or only white space: not an answer. */
gboolean vw_text_is_blank        (const char  *text);

G_END_DECLS
