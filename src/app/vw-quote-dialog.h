/* vw-quote-dialog.h: saves a selected piece of an answer or note as a
 * quote with a theme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VW_TYPE_QUOTE_DIALOG (vw_quote_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VwQuoteDialog, vw_quote_dialog, VW, QUOTE_DIALOG, AdwWindow)

/* Emits ::save (const char *theme) when the user saves; the caller stores
 * the quote and destroys the dialog, or shows an error in it. */
GtkWidget  *vw_quote_dialog_new          (GtkWindow      *parent,
                                          const char     *text,
                                          const char     *question);
const char *vw_quote_dialog_get_text     (VwQuoteDialog  *self);
const char *vw_quote_dialog_get_question (VwQuoteDialog  *self);
/* A theme of the list (by its stored name) or, if not in it, free text. */
void        vw_quote_dialog_set_theme    (VwQuoteDialog  *self,
                                          const char     *theme);
/* Nullable: the theme as it will be stored. */
char       *vw_quote_dialog_get_theme    (VwQuoteDialog  *self);
void        vw_quote_dialog_show_error   (VwQuoteDialog  *self,
                                          const char     *message);

G_END_DECLS
