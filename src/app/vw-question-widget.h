/* vw-question-widget.h: one question of the questionnaire, with its input
 * for the question type, validation, a note and a save indicator.
 *
 * The widget does not know the vault: it asks its save function to store
 * what was typed, debounced as the user types, on focus-out and on flush,
 * and shows "Saved" only when that function returned TRUE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"

G_BEGIN_DECLS

#define VW_TYPE_QUESTION_WIDGET (vw_question_widget_get_type ())
G_DECLARE_FINAL_TYPE (VwQuestionWidget, vw_question_widget, VW, QUESTION_WIDGET, GtkBox)

typedef enum {
  VW_SAVE_IDLE,    /* nothing typed since it was loaded */
  VW_SAVE_PENDING, /* typed, waiting for the pause in typing */
  VW_SAVE_SAVED,
  VW_SAVE_INVALID, /* the answer does not fit the question: not saved */
  VW_SAVE_FAILED,  /* the save function failed */
} VwSaveState;

/* @note: FALSE for the answer, TRUE for the note; @text is "" for none. */
typedef gboolean (*VwQuestionSaveFunc) (VwQuestionWidget  *widget,
                                        gboolean           note,
                                        const char        *text,
                                        gpointer           user_data,
                                        GError           **error);

/* Milliseconds of quiet typing after which an answer is saved. */
#define VW_QUESTION_SAVE_DELAY 400

GtkWidget        *vw_question_widget_new            (const VwQuestion   *question,
                                                     VwQuestionnaire    *questionnaire,
                                                     const char         *language);
void              vw_question_widget_set_origin     (VwQuestionWidget   *self,
                                                     const char         *origin);
/* Nullable: the origin shown, while the answer is still the prefilled one. */
const char       *vw_question_widget_get_origin     (VwQuestionWidget   *self);
void              vw_question_widget_set_save_func  (VwQuestionWidget   *self,
                                                     VwQuestionSaveFunc  func,
                                                     gpointer            user_data);
const VwQuestion *vw_question_widget_get_question   (VwQuestionWidget   *self);
/* The current answer in the questionnaire's encoding ("" when none or
 * while it is invalid). */
const char       *vw_question_widget_get_value      (VwQuestionWidget   *self);
/* Loads a stored answer or note without saving it again. */
void              vw_question_widget_load           (VwQuestionWidget   *self,
                                                     const char         *value,
                                                     const char         *note);
/* Saves what is pending now. FALSE when a save failed. */
gboolean          vw_question_widget_flush          (VwQuestionWidget   *self,
                                                     GError            **error);
VwSaveState       vw_question_widget_get_save_state (VwQuestionWidget   *self);
/* The text of the save indicator or validation message. */
const char       *vw_question_widget_get_status     (VwQuestionWidget   *self);
/* The widget that takes the answer (an entry, text view, box of buttons
 * or residence editor) and the note's text view (nullable). */
GtkWidget        *vw_question_widget_get_input      (VwQuestionWidget   *self);
GtkTextView      *vw_question_widget_get_note_view  (VwQuestionWidget   *self);
/* The selected text of the answer or note that last had the focus. */
char             *vw_question_widget_get_selection  (VwQuestionWidget   *self,
                                                     gboolean          *in_note);
/* Replaces that selection by @placeholder, which is then saved. */
gboolean          vw_question_widget_redact         (VwQuestionWidget   *self,
                                                     const char         *placeholder);
void              vw_question_widget_focus          (VwQuestionWidget   *self);

/* The placeholders a redaction may use, NULL-terminated. */
const char * const *vw_redaction_placeholders       (void);

G_END_DECLS
