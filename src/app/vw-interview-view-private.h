/* vw-interview-view-private.h: the view's widgets, for its display tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-interview-view.h"

G_BEGIN_DECLS

struct _VwInterviewView
{
  AdwBin            parent_instance;

  /* Template widgets */
  AdwToastOverlay  *toasts;
  GtkStack         *stack;
  GtkLabel         *setup_subtitle;
  AdwComboRow      *interviewer1_row;
  AdwComboRow      *interviewer2_row;
  AdwEntryRow      *new_name_row;
  AdwComboRow      *new_role_row;
  GtkButton        *add_interviewer_button;
  GtkBox           *consent_box;
  GtkLabel         *setup_message;
  GtkButton        *start_button;
  AdwFlap          *module_flap;
  AdwFlap          *followup_flap;
  GtkBox           *fold_bar;
  GtkToggleButton  *modules_toggle;
  GtkToggleButton  *followup_toggle;
  AdwButtonContent *followup_toggle_content;
  GtkWidget        *side_separator;
  GtkListBox       *module_list;
  GtkLabel         *progress_label;
  GtkProgressBar   *progress_bar;
  GtkLabel         *module_title;
  GtkLabel         *module_intro;
  GtkStack         *module_stack;
  GtkScrolledWindow *module_scroller;
  GtkButton        *previous_button;
  GtkButton        *next_button;
  GtkButton        *pause_button;
  GtkButton        *review_button;
  GtkScrolledWindow *side_panel;
  GtkListBox       *unanswered_list;
  GtkLabel         *review_summary;
  GtkButton        *finish_button;

  /* Owned */
  VwVault          *vault;
  char             *study;
  char             *code;
  char             *round;
  char             *interview_id;
  char             *language;
  VwQuestionnaire  *questionnaire;
  GPtrArray        *modules;          /* borrowed VwModule*, asked this round, no consent */
  GHashTable       *widgets;          /* question id -> VwQuestionWidget (borrowed) */
  GPtrArray        *consent_widgets;  /* VwQuestionWidget (borrowed) */
  GHashTable       *participant_values;
  GHashTable       *skipped;          /* question ids skipped by skip logic */
  GPtrArray        *interviewer_ids;  /* index in the combo rows - 1 */
  GtkWidget        *followup_panel;
  GtkWidget        *quote_dialog;
  GtkWidget        *finish_dialog;
  char             *focus_question;   /* to focus once mapped */
  guint             current_module;
  guint             reloading_interviewers;
  gboolean          first_interview;
};

G_END_DECLS
