/* Helpers for the interview view's display tests, its crash test and its
 * screenshots: a vault with a study and a participant, the view in a
 * plain window, and ways to drive the view's real widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vw-core.h"
#include "vw-interview-view.h"

G_BEGIN_DECLS

typedef struct
{
  char            *dir;
  char            *path;
  VwVault         *vault;
  char            *study;
  char            *code;
  char            *sam;          /* an interviewer in the vault's list */
  GtkApplication  *app;
  GtkWindow       *window;
  VwInterviewView *view;
  guint            n_closed;
} VwTestInterview;

/* The shipped questionnaire with one date question added to the closing
 * module ("test_date"), so every question type can be answered. */
GBytes     *vw_test_interview_questionnaire (void);
/* Creates the vault (in a new temporary directory), the study with that
 * questionnaire, a participant and the interviewer Sam. */
void        vw_test_interview_init          (VwTestInterview *t);
void        vw_test_interview_clear         (VwTestInterview *t);
/* A new view for @round in a 1366x768 window, shown and mapped. */
void        vw_test_interview_open          (VwTestInterview *t,
                                             const char      *round);
void        vw_test_interview_close_view    (VwTestInterview *t);
void        vw_test_wait_mapped             (GtkWidget       *widget);
void        vw_test_iterate                 (guint            ms);
/* The widget named @name (gtk_widget_set_name) under @root, or NULL. */
GtkWidget  *vw_test_find_named              (GtkWidget       *root,
                                             const char      *name);
/* Whether a label under @root shows exactly @text. */
gboolean    vw_test_has_text                (GtkWidget       *root,
                                             const char      *text);

GtkWidget  *vw_test_question                (VwTestInterview *t,
                                             const char      *question);
/* Sets an answer through the question's own input widget: a code for
 * choices ("code" or a JSON array for multiple choice), text otherwise. */
void        vw_test_answer                  (VwTestInterview *t,
                                             const char      *question,
                                             const char      *value);
/* Waits until the question's indicator shows "Saved". */
void        vw_test_wait_saved              (VwTestInterview *t,
                                             const char      *question);
/* Fills in the duo (adding Noor inline) and consent, then starts. */
void        vw_test_start_interview         (VwTestInterview *t);
/* The confirmation a view asks before it finishes, or NULL. */
AdwMessageDialog *vw_test_find_message_dialog (void);
/* Finishes the interview, confirming when the view asks; returns what
 * the confirmation said (NULL when it did not ask). */
char       *vw_test_finish_interview        (VwTestInterview *t);

G_END_DECLS
