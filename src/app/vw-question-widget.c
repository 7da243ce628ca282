/* vw-question-widget.c: one question (see vw-question-widget.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-a11y.h"
#include "vw-question-widget.h"
#include "vw-residence-editor.h"
#include "vw-text-keys.h"

/* Up to this many codes are radio buttons; longer lists a drop-down. */
#define MAX_RADIO_CODES 7

struct _VwQuestionWidget
{
  GtkBox              parent_instance;

  /* Template widgets */
  GtkLabel           *title;
  GtkLabel           *status;
  GtkLabel           *help;
  GtkBox             *input_box;
  GtkLabel           *problem;
  GtkExpander        *note_expander;
  GtkTextView        *note_view;
  GtkMenuButton      *quote_button;
  GtkLabel           *origin;       /* owned by the widget tree; NULL until set */

  /* Borrowed from the questionnaire, which the view keeps */
  const VwQuestion   *question;
  const VwCodeList   *codes;

  /* Owned */
  char               *language;
  char               *value;
  char               *status_text;
  char               *origin_value; /* the prefilled value the origin is about */
  GPtrArray          *buttons;      /* check buttons of choices and grades */
  GtkWidget          *input;        /* borrowed: the main input widget */
  GtkTextView        *answer_view;  /* borrowed: long_text only */
  GtkTextView        *last_text;    /* borrowed: the text view last focused */
  VwQuestionSaveFunc  save_func;
  gpointer            save_data;
  VwSaveState         state;
  guint               answer_timeout;
  guint               note_timeout;
  gboolean            answer_dirty;
  gboolean            note_dirty;
  guint               loading;
};

G_DEFINE_FINAL_TYPE (VwQuestionWidget, vw_question_widget, GTK_TYPE_BOX)

enum {
  SIGNAL_CHANGED,
  SIGNAL_SAVED,
  SIGNAL_QUOTE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const placeholders[] = {
  "[persoon]", "[organisatie]", "[plaats]", "[regiogemeente]", "[aanbieder]", NULL,
};

const char * const *
vw_redaction_placeholders (void)
{
  return placeholders;
}

static void
set_status (VwQuestionWidget *self,
            VwSaveState       state,
            const char       *text)
{
  GtkWidget *label = GTK_WIDGET (self->status);

  self->state = state;
  g_free (self->status_text);
  self->status_text = g_strdup (text ? text : "");
  gtk_label_set_label (self->status, self->status_text);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "dim-label");
  if (state == VW_SAVE_FAILED || state == VW_SAVE_INVALID)
    gtk_widget_add_css_class (label, "error");
  else if (state == VW_SAVE_SAVED)
    gtk_widget_add_css_class (label, "success");
  else
    gtk_widget_add_css_class (label, "dim-label");
}

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
read_input (VwQuestionWidget *self)
{
  switch (vw_question_get_question_type (self->question))
    {
    case VW_QUESTION_SINGLE_CHOICE:
    case VW_QUESTION_YES_NO:
    case VW_QUESTION_GRADE:
      if (GTK_IS_DROP_DOWN (self->input))
        {
          guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->input));

          if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
            return g_strdup ("");
          return g_strdup (vw_code_get_code (vw_code_list_get_code (self->codes, selected - 1)));
        }
      for (guint i = 0; i < self->buttons->len; i++)
        {
          GtkWidget *b = g_ptr_array_index (self->buttons, i);
          gboolean active = GTK_IS_CHECK_BUTTON (b) ? gtk_check_button_get_active (GTK_CHECK_BUTTON (b))
                                                    : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (b));
          if (active)
            return g_strdup (g_object_get_data (G_OBJECT (b), "vw-code"));
        }
      return g_strdup ("");
    case VW_QUESTION_MULTIPLE_CHOICE:
      {
        g_autoptr(GString) json = g_string_new ("[");

        for (guint i = 0; i < self->buttons->len; i++)
          {
            GtkCheckButton *b = g_ptr_array_index (self->buttons, i);

            if (gtk_check_button_get_active (b))
              g_string_append_printf (json, "%s\"%s\"", json->len > 1 ? "," : "",
                                      (const char *) g_object_get_data (G_OBJECT (b), "vw-code"));
          }
        if (json->len == 1)
          return g_strdup ("");
        g_string_append_c (json, ']');
        return g_string_free (g_steal_pointer (&json), FALSE);
      }
    case VW_QUESTION_LONG_TEXT:
      {
        char *text = text_view_get_text (self->answer_view);

        /* Spaces, tabs or empty lines alone are no answer. */
        if (vw_text_is_blank (text))
          {
            g_free (text);
            return g_strdup ("");
          }
        return text;
      }
    case VW_QUESTION_RESIDENCE_HISTORY:
      return vw_residence_editor_get_value (VW_RESIDENCE_EDITOR (self->input), NULL);
    case VW_QUESTION_NUMBER:
    case VW_QUESTION_YEAR:
    case VW_QUESTION_MONTH:
    case VW_QUESTION_DATE:
    case VW_QUESTION_SHORT_TEXT:
    default:
      return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->input))));
    }
}

static gboolean
save_now (VwQuestionWidget  *self,
          gboolean           note,
          GError           **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = note ? text_view_get_text (self->note_view) : g_strdup (self->value);

  /* A note of nothing but white space is no note. */
  if (note && vw_text_is_blank (text))
    text[0] = '\0';

  if (note)
    g_clear_handle_id (&self->note_timeout, g_source_remove);
  else
    g_clear_handle_id (&self->answer_timeout, g_source_remove);

  /* Nowhere to save yet (consent before the interview starts): keep it
   * pending, and do not claim it is saved. */
  if (self->save_func == NULL)
    {
      set_status (self, VW_SAVE_IDLE, "");
      return TRUE;
    }
  if (!self->save_func (self, note, text, self->save_data, &local))
    {
      /* Translators: shown beside a question; %s says why. */
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), local->message);

      set_status (self, VW_SAVE_FAILED, message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (note)
    self->note_dirty = FALSE;
  else
    self->answer_dirty = FALSE;
  if (!self->answer_dirty && !self->note_dirty && self->state != VW_SAVE_INVALID)
    {
      set_status (self, VW_SAVE_SAVED, _("Saved"));
      g_signal_emit (self, signals[SIGNAL_SAVED], 0, note, text);
    }
  return TRUE;
}

static gboolean
on_answer_timeout (gpointer user_data)
{
  VwQuestionWidget *self = user_data;

  self->answer_timeout = 0;
  save_now (self, FALSE, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_note_timeout (gpointer user_data)
{
  VwQuestionWidget *self = user_data;

  self->note_timeout = 0;
  save_now (self, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_input_changed (VwQuestionWidget *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (self->loading > 0)
    return;

  value = read_input (self);
  g_clear_handle_id (&self->answer_timeout, g_source_remove);

  if (value == NULL)
    {
      /* The residence editor shows its own message. */
      g_free (self->value);
      self->value = g_strdup ("");
      gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
      set_status (self, VW_SAVE_INVALID, _("Not saved: fix the stays"));
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }

  if (*value != '\0' && !vw_question_validate_value (self->question, value, &error))
    {
      gtk_label_set_label (self->problem, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem), TRUE);
      set_status (self, VW_SAVE_INVALID, _("Not saved"));
      g_free (self->value);
      self->value = g_strdup ("");
      self->answer_dirty = FALSE;
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
  g_free (self->value);
  self->value = g_steal_pointer (&value);
  self->answer_dirty = TRUE;
  /* Where a prefilled answer came from says nothing about a new one. */
  if (self->origin != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->origin), g_strcmp0 (self->value, self->origin_value) == 0);
  if (self->save_func != NULL)
    {
      set_status (self, VW_SAVE_PENDING, _("Saving…"));
      self->answer_timeout = g_timeout_add (VW_QUESTION_SAVE_DELAY, on_answer_timeout, self);
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_note_changed (VwQuestionWidget *self)
{
  if (self->loading > 0)
    return;

  g_clear_handle_id (&self->note_timeout, g_source_remove);
  self->note_dirty = TRUE;
  if (self->save_func != NULL)
    {
      set_status (self, VW_SAVE_PENDING, _("Saving…"));
      self->note_timeout = g_timeout_add (VW_QUESTION_SAVE_DELAY, on_note_timeout, self);
    }
}

gboolean
vw_question_widget_flush (VwQuestionWidget  *self,
                          GError           **error)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), FALSE);

  if (self->answer_dirty && !save_now (self, FALSE, error))
    return FALSE;
  if (self->note_dirty && !save_now (self, TRUE, error))
    return FALSE;
  return TRUE;
}

static void
on_focus_leave (VwQuestionWidget *self)
{
  vw_question_widget_flush (self, NULL);
}

/* GTK 4.8 lets Tab into the child of a closed expander, which is neither
 * shown nor realized (and the text view there asks a window it does not
 * have for its focus: a critical). A closed note is hidden. */
static void
on_note_expanded (VwQuestionWidget *self)
{
  gtk_widget_set_visible (gtk_expander_get_child (self->note_expander),
                          gtk_expander_get_expanded (self->note_expander));
}

static void
on_text_focus_enter (GtkEventControllerFocus *controller,
                     VwQuestionWidget        *self)
{
  self->last_text = GTK_TEXT_VIEW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
}

static void
track_text_focus (VwQuestionWidget *self,
                  GtkTextView      *view)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (on_text_focus_enter), self);
  gtk_widget_add_controller (GTK_WIDGET (view), focus);
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* The choices in a plain box: a few side by side, more one per line.
 * (A GtkFlowBox traps Tab in a group of radio buttons once one is chosen,
 * as it insists on focusing the next child, which a group refuses.) */
static GtkWidget *
choice_buttons (VwQuestionWidget *self,
                gboolean          multiple)
{
  guint n = vw_code_list_get_n_codes (self->codes);
  GtkWidget *box = gtk_box_new (n <= 3 ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL, n <= 3 ? 18 : 2);
  GtkCheckButton *group = NULL;

  gtk_widget_set_halign (box, GTK_ALIGN_START);
  for (guint i = 0; i < n; i++)
    {
      const VwCode *code = vw_code_list_get_code (self->codes, i);
      GtkWidget *button = gtk_check_button_new_with_label (vw_code_get_label (code, self->language));

      g_object_set_data_full (G_OBJECT (button), "vw-code", g_strdup (vw_code_get_code (code)), g_free);
      if (!multiple)
        {
          if (group != NULL)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (button), group);
          else
            group = GTK_CHECK_BUTTON (button);
        }
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_input_changed), self);
      gtk_box_append (GTK_BOX (box), button);
      g_ptr_array_add (self->buttons, button);
    }
  set_accessible_label (box, vw_question_get_label (self->question, self->language));
  return box;
}

static GtkWidget *
choice_drop_down (VwQuestionWidget *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *drop_down;

  gtk_string_list_append (labels, _("Choose…"));
  for (guint i = 0; i < vw_code_list_get_n_codes (self->codes); i++)
    gtk_string_list_append (labels, vw_code_get_label (vw_code_list_get_code (self->codes, i), self->language));
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  gtk_widget_set_halign (drop_down, GTK_ALIGN_START);
  g_signal_connect_swapped (drop_down, "notify::selected", G_CALLBACK (on_input_changed), self);
  vw_a11y_name_drop_down (GTK_DROP_DOWN (drop_down), vw_question_get_label (self->question, self->language));
  return drop_down;
}

static GtkWidget *
grade_buttons (VwQuestionWidget *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkToggleButton *group = NULL;

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  for (int i = 0; i <= 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("%d", i);
      g_autofree char *label = g_strdup_printf (_("Grade %d"), i);
      GtkWidget *button = gtk_toggle_button_new_with_label (text);

      g_object_set_data_full (G_OBJECT (button), "vw-code", g_strdup (text), g_free);
      gtk_widget_set_size_request (button, 40, -1);
      set_accessible_label (button, label);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_input_changed), self);
      gtk_box_append (GTK_BOX (box), button);
      g_ptr_array_add (self->buttons, button);
    }
  return box;
}

static GtkWidget *
text_entry (VwQuestionWidget *self)
{
  GtkWidget *entry = gtk_entry_new ();
  VwQuestionType type = vw_question_get_question_type (self->question);
  double min, max;

  switch (type)
    {
    case VW_QUESTION_NUMBER:
      gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
      if (vw_question_get_range (self->question, &min, &max))
        {
          g_autofree char *hint = g_strdup_printf (_("%g to %g"), min, max);
          gtk_entry_set_placeholder_text (GTK_ENTRY (entry), hint);
        }
      break;
    case VW_QUESTION_YEAR:
      gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY"));
      gtk_entry_set_max_length (GTK_ENTRY (entry), 4);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
      break;
    case VW_QUESTION_MONTH:
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM"));
      gtk_entry_set_max_length (GTK_ENTRY (entry), 7);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
      break;
    case VW_QUESTION_DATE:
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM-DD"));
      gtk_entry_set_max_length (GTK_ENTRY (entry), 10);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
      break;
    default:
      gtk_widget_set_hexpand (entry, TRUE);
      break;
    }
  if (type != VW_QUESTION_SHORT_TEXT)
    gtk_widget_set_halign (entry, GTK_ALIGN_START);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (on_input_changed), self);
  set_accessible_label (entry, vw_question_get_label (self->question, self->language));
  return entry;
}

static GtkWidget *
long_text (VwQuestionWidget *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  guint n_prompts = vw_question_get_n_prompts (self->question);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_add_css_class (view, "vw-answer-text");
  set_accessible_label (view, vw_question_get_label (self->question, self->language));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 110);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (scrolled, "vw-text-frame");
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                            G_CALLBACK (on_input_changed), self);
  vw_text_keys_form_field (GTK_TEXT_VIEW (view));
  track_text_focus (self, GTK_TEXT_VIEW (view));
  self->answer_view = GTK_TEXT_VIEW (view);

  if (n_prompts > 0)
    {
      GtkWidget *prompts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *heading = gtk_label_new (_("Follow-up questions"));

      gtk_widget_add_css_class (prompts, "vw-prompts");
      gtk_widget_set_size_request (prompts, 240, -1);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_box_append (GTK_BOX (prompts), heading);
      for (guint i = 0; i < n_prompts; i++)
        {
          g_autofree char *text = g_strdup_printf ("• %s", vw_question_get_prompt (self->question, i, self->language));
          GtkWidget *label = gtk_label_new (text);

          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
          gtk_box_append (GTK_BOX (prompts), label);
        }
      gtk_box_append (GTK_BOX (box), prompts);
    }
  return box;
}

static GtkWidget *
make_input (VwQuestionWidget *self)
{
  switch (vw_question_get_question_type (self->question))
    {
    case VW_QUESTION_SINGLE_CHOICE:
      if (vw_code_list_get_n_codes (self->codes) > MAX_RADIO_CODES)
        return self->input = choice_drop_down (self);
      return self->input = choice_buttons (self, FALSE);
    case VW_QUESTION_YES_NO:
      self->codes = vw_codebook_get_code_list (vw_codebook_get_core (), "ja_nee_niet_besproken");
      return self->input = choice_buttons (self, FALSE);
    case VW_QUESTION_MULTIPLE_CHOICE:
      return self->input = choice_buttons (self, TRUE);
    case VW_QUESTION_GRADE:
      return self->input = grade_buttons (self);
    case VW_QUESTION_LONG_TEXT:
      {
        GtkWidget *box = long_text (self);
        self->input = GTK_WIDGET (self->answer_view);
        return box;
      }
    case VW_QUESTION_RESIDENCE_HISTORY:
      self->input = vw_residence_editor_new (self->language);
      g_signal_connect_swapped (self->input, "changed", G_CALLBACK (on_input_changed), self);
      return self->input;
    case VW_QUESTION_NUMBER:
    case VW_QUESTION_YEAR:
    case VW_QUESTION_MONTH:
    case VW_QUESTION_DATE:
    case VW_QUESTION_SHORT_TEXT:
    default:
      return self->input = text_entry (self);
    }
}

void
vw_question_widget_load (VwQuestionWidget *self,
                         const char       *value,
                         const char       *note)
{
  g_return_if_fail (VW_IS_QUESTION_WIDGET (self));

  self->loading++;
  value = value ? value : "";
  switch (vw_question_get_question_type (self->question))
    {
    case VW_QUESTION_SINGLE_CHOICE:
    case VW_QUESTION_YES_NO:
    case VW_QUESTION_GRADE:
    case VW_QUESTION_MULTIPLE_CHOICE:
      if (GTK_IS_DROP_DOWN (self->input))
        {
          guint selected = 0;

          for (guint i = 0; i < vw_code_list_get_n_codes (self->codes); i++)
            if (g_strcmp0 (vw_code_get_code (vw_code_list_get_code (self->codes, i)), value) == 0)
              selected = i + 1;
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->input), selected);
        }
      else
        {
          g_auto(GStrv) codes = vw_question_get_question_type (self->question) == VW_QUESTION_MULTIPLE_CHOICE
                                ? vw_expr_parse_code_array (value) : g_strsplit (value, "\n", 2);

          for (guint i = 0; i < self->buttons->len; i++)
            {
              GtkWidget *b = g_ptr_array_index (self->buttons, i);
              gboolean on = codes != NULL && g_strv_contains ((const char * const *) codes,
                                                              g_object_get_data (G_OBJECT (b), "vw-code"));

              if (GTK_IS_CHECK_BUTTON (b))
                gtk_check_button_set_active (GTK_CHECK_BUTTON (b), on);
              else
                gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (b), on);
            }
        }
      break;
    case VW_QUESTION_LONG_TEXT:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->answer_view), value, -1);
      break;
    case VW_QUESTION_RESIDENCE_HISTORY:
      vw_residence_editor_set_value (VW_RESIDENCE_EDITOR (self->input), value);
      break;
    default:
      gtk_editable_set_text (GTK_EDITABLE (self->input), value);
      break;
    }
  if (self->note_view != NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), note ? note : "", -1);
      if (note != NULL && *note != '\0')
        gtk_expander_set_expanded (self->note_expander, TRUE);
    }
  g_free (self->value);
  self->value = g_strdup (value);
  self->loading--;
  self->answer_dirty = self->note_dirty = FALSE;
  set_status (self, *value != '\0' || (note && *note) ? VW_SAVE_SAVED : VW_SAVE_IDLE,
              *value != '\0' || (note && *note) ? _("Saved") : "");
}

const VwQuestion *
vw_question_widget_get_question (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  return self->question;
}

const char *
vw_question_widget_get_value (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  return self->value;
}

VwSaveState
vw_question_widget_get_save_state (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), VW_SAVE_IDLE);

  return self->state;
}

const char *
vw_question_widget_get_status (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->problem)))
    return gtk_label_get_label (self->problem);
  return self->status_text;
}

GtkWidget *
vw_question_widget_get_input (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  return self->input;
}

GtkTextView *
vw_question_widget_get_note_view (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  return self->note_view;
}

/**
 * vw_question_widget_set_origin:
 * @origin: (nullable): where the answer shown came from, for a prefilled
 *   answer; shown under it until the answer changes
 */
void
vw_question_widget_set_origin (VwQuestionWidget *self,
                               const char       *origin)
{
  g_return_if_fail (VW_IS_QUESTION_WIDGET (self));

  if (self->origin == NULL)
    {
      self->origin = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->origin, 0);
      gtk_label_set_wrap (self->origin, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->origin), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (self->origin), "dim-label");
      gtk_widget_insert_after (GTK_WIDGET (self->origin), GTK_WIDGET (self), GTK_WIDGET (self->input_box));
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->input), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      self->status, self->origin, NULL, -1);
    }
  gtk_label_set_label (self->origin, origin ? origin : "");
  gtk_widget_set_visible (GTK_WIDGET (self->origin), origin != NULL);
  g_free (self->origin_value);
  self->origin_value = g_strdup (self->value);
}

const char *
vw_question_widget_get_origin (VwQuestionWidget *self)
{
  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  if (self->origin == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->origin)))
    return NULL;
  return gtk_label_get_label (self->origin);
}

void
vw_question_widget_set_save_func (VwQuestionWidget   *self,
                                  VwQuestionSaveFunc  func,
                                  gpointer            user_data)
{
  g_return_if_fail (VW_IS_QUESTION_WIDGET (self));

  self->save_func = func;
  self->save_data = user_data;
}

void
vw_question_widget_focus (VwQuestionWidget *self)
{
  g_return_if_fail (VW_IS_QUESTION_WIDGET (self));

  if (self->buttons->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->buttons, 0));
  else if (!gtk_widget_child_focus (self->input, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (self->input);
}

char *
vw_question_widget_get_selection (VwQuestionWidget *self,
                                  gboolean         *in_note)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), NULL);

  if (self->last_text == NULL)
    self->last_text = self->answer_view ? self->answer_view : self->note_view;
  if (self->last_text == NULL)
    return NULL;
  if (in_note != NULL)
    *in_note = self->last_text == self->note_view;
  buffer = gtk_text_view_get_buffer (self->last_text);
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return NULL;
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

gboolean
vw_question_widget_redact (VwQuestionWidget *self,
                           const char       *placeholder)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (VW_IS_QUESTION_WIDGET (self), FALSE);
  g_return_val_if_fail (g_strv_contains (placeholders, placeholder), FALSE);

  if (self->last_text == NULL)
    self->last_text = self->answer_view ? self->answer_view : self->note_view;
  if (self->last_text == NULL)
    return FALSE;
  buffer = gtk_text_view_get_buffer (self->last_text);
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return FALSE;
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, placeholder, -1);
  gtk_text_buffer_end_user_action (buffer);
  /* A redaction is stored at once, not after the typing delay. */
  return vw_question_widget_flush (self, NULL);
}

static void
quote_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VwQuestionWidget *self = VW_QUESTION_WIDGET (widget);
  gboolean in_note = FALSE;
  g_autofree char *text = vw_question_widget_get_selection (self, &in_note);

  if (text == NULL || *text == '\0')
    {
      set_status (self, self->state, _("Select some text first"));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_QUOTE_REQUESTED], 0, text);
}

static void
redact_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VwQuestionWidget *self = VW_QUESTION_WIDGET (widget);

  if (!vw_question_widget_redact (self, g_variant_get_string (parameter, NULL)))
    set_status (self, self->state, _("Select some text first"));
}

static GMenuModel *
quote_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) redact = g_menu_new ();

  g_menu_append (menu, _("Save Selection as _Quote…"), "question.quote");
  for (guint i = 0; placeholders[i] != NULL; i++)
    {
      g_autofree char *action = g_strdup_printf ("question.redact('%s')", placeholders[i]);
      /* Translators: %s is a placeholder such as [persoon]; keep it as it is. */
      g_autofree char *label = g_strdup_printf (_("Replace Selection by %s"), placeholders[i]);

      g_menu_append (redact, label, action);
    }
  g_menu_append_section (menu, _("Redact"), G_MENU_MODEL (redact));
  return G_MENU_MODEL (menu);
}

static void
vw_question_widget_dispose (GObject *object)
{
  VwQuestionWidget *self = VW_QUESTION_WIDGET (object);

  g_clear_handle_id (&self->answer_timeout, g_source_remove);
  g_clear_handle_id (&self->note_timeout, g_source_remove);

  G_OBJECT_CLASS (vw_question_widget_parent_class)->dispose (object);
}

static void
vw_question_widget_finalize (GObject *object)
{
  VwQuestionWidget *self = VW_QUESTION_WIDGET (object);

  g_free (self->language);
  g_free (self->value);
  g_free (self->status_text);
  g_free (self->origin_value);
  g_ptr_array_unref (self->buttons);

  G_OBJECT_CLASS (vw_question_widget_parent_class)->finalize (object);
}

static void
vw_question_widget_class_init (VwQuestionWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_question_widget_dispose;
  object_class->finalize = vw_question_widget_finalize;

  /**
   * VwQuestionWidget::changed:
   *
   * The answer changed (before it is saved): skip logic follows it.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * VwQuestionWidget::saved:
   * @note: whether the note was saved (else the answer)
   * @text: what was saved
   *
   * The save function stored the answer or note and the indicator says so.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  /**
   * VwQuestionWidget::quote-requested:
   * @text: the selected text
   */
  signals[SIGNAL_QUOTE_REQUESTED] =
    g_signal_new ("quote-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "question.quote", NULL, quote_action);
  gtk_widget_class_install_action (widget_class, "question.redact", "s", redact_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-question-widget.ui");
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, title);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, status);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, help);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, input_box);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, problem);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, note_expander);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, note_view);
  gtk_widget_class_bind_template_child (widget_class, VwQuestionWidget, quote_button);
  gtk_widget_class_set_css_name (widget_class, "vwquestion");
}

static void
vw_question_widget_init (VwQuestionWidget *self)
{
  GtkEventController *focus;

  self->buttons = g_ptr_array_new ();
  self->value = g_strdup ("");
  self->status_text = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

GtkWidget *
vw_question_widget_new (const VwQuestion *question,
                        VwQuestionnaire  *questionnaire,
                        const char       *language)
{
  VwQuestionWidget *self;
  const char *help;
  VwQuestionType type;
  g_autoptr(GMenuModel) menu = NULL;

  g_return_val_if_fail (question != NULL, NULL);

  self = g_object_new (VW_TYPE_QUESTION_WIDGET, NULL);
  self->question = question;
  self->codes = vw_question_get_code_list (question);
  self->language = g_strdup (language ? language : "en");
  type = vw_question_get_question_type (question);

  gtk_label_set_label (self->title, vw_question_get_label (question, self->language));
  help = vw_question_get_help (question, self->language);
  gtk_label_set_label (self->help, help ? help : "");
  gtk_widget_set_visible (GTK_WIDGET (self->help), help != NULL && *help != '\0');
  gtk_box_append (self->input_box, make_input (self));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->input), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->status, NULL, -1);

  gtk_widget_set_visible (GTK_WIDGET (self->note_expander), vw_question_allows_note (question));
  g_signal_connect_swapped (self->note_expander, "notify::expanded", G_CALLBACK (on_note_expanded), self);
  on_note_expanded (self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed",
                            G_CALLBACK (on_note_changed), self);
  track_text_focus (self, self->note_view);
  vw_text_keys_form_field (self->note_view);
  if (!vw_question_allows_note (question))
    self->note_view = NULL;

  menu = quote_menu ();
  gtk_menu_button_set_menu_model (self->quote_button, menu);
  gtk_widget_set_visible (GTK_WIDGET (self->quote_button),
                          type == VW_QUESTION_LONG_TEXT || self->note_view != NULL);

  return GTK_WIDGET (self);
}
