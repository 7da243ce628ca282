/* vw-followup-panel.c: last round at a glance (see vw-followup-panel.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-followup-panel.h"

struct _VwFollowupPanel
{
  GtkBox    parent_instance;

  /* Template widgets */
  GtkLabel *title;
  GtkBox   *answers_box;
  GtkBox   *notes_box;
  GtkLabel *no_notes;
};

G_DEFINE_FINAL_TYPE (VwFollowupPanel, vw_followup_panel, GTK_TYPE_BOX)

/* The key answers, in the order they are shown. */
static const char * const key_questions[] = {
  "residence", "participation", "income", "debts", "money_management", NULL,
};

/* A dim heading over a text that can be selected and copied. */
static void
add_fact (GtkBox     *into,
          const char *heading,
          const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *h = gtk_label_new (heading);
  GtkWidget *t = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (h), 0);
  gtk_label_set_wrap (GTK_LABEL (h), TRUE);
  gtk_widget_add_css_class (h, "caption-heading");
  gtk_widget_add_css_class (h, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_label_set_wrap (GTK_LABEL (t), TRUE);
  gtk_label_set_selectable (GTK_LABEL (t), TRUE);
  gtk_box_append (GTK_BOX (box), h);
  gtk_box_append (GTK_BOX (box), t);
  gtk_box_append (into, box);
}

static const char *
answer_label (VwQuestionnaire *questionnaire,
              const char      *question,
              const char      *value,
              const char      *language)
{
  const VwQuestion *q = vw_questionnaire_lookup_question (questionnaire, question);
  const VwCodeList *codes = q ? vw_question_get_code_list (q) : NULL;
  const VwCode *code = codes ? vw_code_list_lookup (codes, value) : NULL;

  return code ? vw_code_get_label (code, language) : value;
}

static void
class_init_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-followup-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, VwFollowupPanel, title);
  gtk_widget_class_bind_template_child (widget_class, VwFollowupPanel, answers_box);
  gtk_widget_class_bind_template_child (widget_class, VwFollowupPanel, notes_box);
  gtk_widget_class_bind_template_child (widget_class, VwFollowupPanel, no_notes);
}

static void
vw_followup_panel_class_init (VwFollowupPanelClass *klass)
{
  class_init_template (GTK_WIDGET_CLASS (klass));
}

static void
vw_followup_panel_init (VwFollowupPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vw_followup_panel_new (VwVault         *vault,
                       VwInterview     *previous,
                       VwQuestionnaire *questionnaire,
                       const char      *language)
{
  VwFollowupPanel *self = g_object_new (VW_TYPE_FOLLOWUP_PANEL, NULL);
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  guint n_notes = 0;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (previous != NULL, NULL);

  /* Translators: the heading of the side panel, e.g. "Last time (T0)". */
  title = g_strdup_printf (_("Last time (%s)"), previous->round);
  gtk_label_set_label (self->title, title);

  answers = vw_vault_list_answers (vault, previous->id, NULL);
  notes = vw_vault_list_notes (vault, previous->id, NULL);
  for (guint i = 0; answers != NULL && i < answers->len; i++)
    {
      VwAnswer *a = g_ptr_array_index (answers, i);
      g_hash_table_insert (values, a->question, a->value);
    }

  for (guint i = 0; key_questions[i] != NULL; i++)
    {
      const VwQuestion *q = vw_questionnaire_lookup_question (questionnaire, key_questions[i]);
      const char *value = g_hash_table_lookup (values, key_questions[i]);
      const char *since = g_hash_table_lookup (values, "residence_since");
      g_autofree char *text = NULL;

      if (q == NULL)
        continue;
      if (value == NULL)
        text = g_strdup (_("Not answered"));
      else if (g_str_equal (key_questions[i], "residence") && since != NULL)
        /* Translators: where someone lived and since when, e.g. "Shelter, since 2023-04". */
        text = g_strdup_printf (_("%s, since %s"), answer_label (questionnaire, key_questions[i], value, language),
                                since);
      else
        text = g_strdup (answer_label (questionnaire, key_questions[i], value, language));
      add_fact (self->answers_box, vw_question_get_label (q, language), text);
    }

  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      VwNote *n = g_ptr_array_index (notes, i);
      const VwQuestion *q = n->question ? vw_questionnaire_lookup_question (questionnaire, n->question) : NULL;

      if (n->text == NULL || *n->text == '\0')
        continue;
      n_notes++;
      add_fact (self->notes_box, q ? vw_question_get_label (q, language) : _("General note"), n->text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_notes), n_notes == 0);

  return GTK_WIDGET (self);
}
