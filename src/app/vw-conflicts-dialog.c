/* vw-conflicts-dialog.c: see vw-conflicts-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-conflicts-dialog.h"

struct _VwConflictsDialog
{
  AdwWindow        parent_instance;

  /* template widgets */
  GtkToggleButton *show_resolved;
  GtkLabel        *status;
  GtkBox          *conflicts_box;
  GtkBox          *resolved_box;
  GtkBox          *duplicates_box;

  VwVault         *vault;         /* owned */
  char            *study;         /* owned */
  VwQuestionnaire *questionnaire; /* owned, nullable: question texts */
  GHashTable      *device_labels; /* owned: device id -> label */
  const char      *language;      /* "en" or "nl", static */
};

G_DEFINE_FINAL_TYPE (VwConflictsDialog, vw_conflicts_dialog, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One decision a button stands for: keep the side of @device, or (the
 * entry row of a cell) a value typed in. */
typedef struct
{
  char *kind;
  char *object;
  char *field;
  char *device; /* nullable: the side to keep */
} Choice;

static void
choice_free (Choice *choice)
{
  g_free (choice->kind);
  g_free (choice->object);
  g_free (choice->field);
  g_free (choice->device);
  g_free (choice);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
make_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Values, pseudonyms and labels are text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static GtkWidget *
make_group (const char *title,
            const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

static void
show_error (VwConflictsDialog *self,
            const char        *message)
{
  gtk_label_set_label (self->status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status), message != NULL);
}

/* The questionnaire's text of @field, or NULL. */
static const char *
question_text (VwConflictsDialog *self,
               const char        *field)
{
  const VwQuestion *q = self->questionnaire ? vw_questionnaire_lookup_question (self->questionnaire, field) : NULL;

  return q != NULL ? vw_question_get_label (q, self->language) : NULL;
}

/* A value as the coordinator reads it: the code's label beside the code. */
static char *
value_text (VwConflictsDialog *self,
            const char        *field,
            const char        *value)
{
  const VwQuestion *q = self->questionnaire ? vw_questionnaire_lookup_question (self->questionnaire, field) : NULL;
  const VwCodeList *codes = q ? vw_question_get_code_list (q) : NULL;
  const VwCode *code = codes && value ? vw_code_list_lookup (codes, value) : NULL;

  if (value == NULL)
    return g_strdup (_("(no value)"));
  if (code != NULL && g_strcmp0 (vw_code_get_label (code, self->language), value) != 0)
    return g_strdup_printf ("%s (%s)", vw_code_get_label (code, self->language), value);
  return g_strdup (value);
}

/* A record's field as the coordinator reads it: a code's label beside
 * the code. */
static char *
field_value_text (const char *field,
                  const char *value,
                  const char *language)
{
  const char *list = g_str_equal (field, "status") ? "status" : g_str_equal (field, "residence") ? "residence"
                     : g_str_equal (field, "value") ? "consent" : NULL;
  const VwCodeList *codes = list ? vw_codebook_get_code_list (vw_codebook_get_core (), list) : NULL;
  const VwCode *code = codes && value ? vw_code_list_lookup (codes, value) : NULL;

  if (value == NULL)
    return g_strdup (_("(no value)"));
  if (code != NULL && g_strcmp0 (vw_code_get_label (code, language), value) != 0)
    return g_strdup_printf ("%s (%s)", vw_code_get_label (code, language), value);
  return g_strdup (value);
}

/* The text of a note, "" for the general one. */
static char *
note_text (VwConflictsDialog *self,
           const char        *interview,
           const char        *question)
{
  g_autoptr(GPtrArray) notes = vw_vault_list_notes (self->vault, interview, NULL);

  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      VwNote *n = g_ptr_array_index (notes, i);

      if (g_strcmp0 (n->question ? n->question : "", question) == 0)
        return g_strdup (n->text);
    }
  return NULL;
}

static const char *
device_label (VwConflictsDialog *self,
              const char        *device)
{
  const char *label = g_hash_table_lookup (self->device_labels, device);

  if (label == NULL)
    {
      g_autofree char *known = vw_exchange_device_label (self->vault, device, NULL);

      /* An unknown device shows by its id. */
      g_hash_table_insert (self->device_labels, g_strdup (device), g_strdup (known != NULL ? known : device));
      label = g_hash_table_lookup (self->device_labels, device);
    }
  return label;
}

static gboolean
is_cell (const VwConflict *c)
{
  return vw_conflict_field_names (c->kind) == NULL;
}

/* What a record's field is called. */
static const char *
field_label (const char *field)
{
  static const struct { const char *field; const char *label; } labels[] = {
    { "pseudonym", N_("Pseudonym") },
    { "region", N_("Region") },
    { "created", N_("Created") },
    { "questionnaire_id", N_("Questionnaire") },
    { "questionnaire_version", N_("Questionnaire version") },
    { "questionnaire_sha256", N_("Questionnaire checksum") },
    { "status", N_("Status") },
    { "date", N_("Date") },
    { "nonresponse_reason", N_("Reason for non-response") },
    { "state", N_("State") },
    { "resume_module", N_("Resume at module") },
    { "resume_question", N_("Resume at question") },
    { "question", N_("Question") },
    { "theme", N_("Theme") },
    { "text", N_("Text") },
    { "start", N_("From") },
    { "end", N_("Until") },
    { "residence", N_("Residence") },
    { "value", N_("Consent") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].field, field))
      return _(labels[i].label);
  return field;
}

/* The heading of a record's row: "Interview", "Consent T0 research", ... */
static char *
record_title (const VwConflict *c)
{
  if (g_str_equal (c->kind, "participant"))
    return g_strdup (_("The participant"));
  if (g_str_equal (c->kind, "interview"))
    return g_strdup (_("The interview"));
  if (g_str_equal (c->kind, "quote"))
    return g_strdup (_("A quote"));
  if (g_str_equal (c->kind, "episode"))
    return g_strdup (_("A stay in the residence history"));
  if (g_str_equal (c->kind, "consent"))
    /* Translators: consent of a round and purpose, e.g. "Consent T0/research". */
    return g_strdup_printf (_("Consent %s"), c->field);
  return g_strdup (c->kind);
}

/* "Anna (DH-AB12C), round T0" for what belongs to an interview, "Anna
 * (DH-AB12C)" for a participant's own records. */
static char *
object_title (VwConflictsDialog *self,
              const VwConflict  *c)
{
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(VwParticipant) p = NULL;
  const char *code = c->object;

  if (g_str_equal (c->kind, "quote") || g_str_equal (c->kind, "episode"))
    /* Translators: a record this dialog knows only by its id. */
    return g_strdup_printf (_("Record %s"), c->object);
  if (g_str_equal (c->kind, "answer") || g_str_equal (c->kind, "note") || g_str_equal (c->kind, "interview"))
    {
      if ((iv = vw_vault_get_interview (self->vault, c->object, NULL)) == NULL)
        /* Translators: an interview this laptop does not have, by its id. */
        return g_strdup_printf (_("Interview %s"), c->object);
      code = iv->code;
    }
  p = vw_vault_get_participant (self->vault, self->study, code, NULL);
  if (iv != NULL)
    /* Translators: pseudonym, code and round, e.g. "Anna (DH-AB12C), round T0". */
    return g_strdup_printf (_("%s (%s), round %s"), p ? p->pseudonym : "?", code, iv->round);
  return g_strdup_printf ("%s (%s)", p ? p->pseudonym : "?", code);
}

static void
decide (VwConflictsDialog *self,
        const Choice      *choice,
        const char        *value)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = choice->device != NULL
                ? vw_exchange_resolve_side (self->vault, self->study, choice->kind, choice->object, choice->field,
                                            choice->device, &error)
                : vw_exchange_resolve (self->vault, self->study, choice->kind, choice->object, choice->field, value,
                                       &error);

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Not resolved: %s"), error->message);
      show_error (self, message);
      return;
    }
  vw_conflicts_dialog_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
choose_clicked (GtkButton         *button,
                VwConflictsDialog *self)
{
  Choice *choice = g_object_get_data (G_OBJECT (button), "choice");

  decide (self, choice, NULL);
}

static void
other_applied (AdwEntryRow       *row,
               VwConflictsDialog *self)
{
  Choice *choice = g_object_get_data (G_OBJECT (row), "choice");
  g_autofree char *value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (value);
  if (*value == '\0')
    {
      show_error (self, _("Not resolved: type the value to keep"));
      return;
    }
  decide (self, choice, value);
}

static Choice *
choice_new (const VwConflict *c,
            const char       *device)
{
  Choice *choice = g_new0 (Choice, 1);

  choice->kind = g_strdup (c->kind);
  choice->object = g_strdup (c->object);
  choice->field = g_strdup (c->field);
  choice->device = g_strdup (device);
  return choice;
}

/* A button that keeps @side, named "choose:OBJECT:FIELD:DEVICE". */
static GtkWidget *
keep_button (VwConflictsDialog *self,
             const VwConflict  *side,
             const char        *what)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Keep This"));
  g_autofree char *name = g_strdup_printf ("choose:%s:%s:%s", side->object, side->field, side->device);
  /* Translators: the accessible name of a button, e.g. "Keep the version of duo-noord". */
  g_autofree char *accessible = g_strdup_printf (_("Keep the version of %s: %s"), device_label (self, side->device),
                                                 what);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "choice", choice_new (side, side->device),
                          (GDestroyNotify) choice_free);
  g_signal_connect (button, "clicked", G_CALLBACK (choose_clicked), self);
  return button;
}

/* One conflicting cell: every side with its device and time, a button to
 * keep it, and an entry for another value. @sides are consecutive
 * conflicts of the same cell. */
static GtkWidget *
cell_row (VwConflictsDialog *self,
          GPtrArray         *sides,
          guint              first,
          guint              end)
{
  VwConflict *c = g_ptr_array_index (sides, first);
  const char *text = question_text (self, c->field);
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *other = adw_entry_row_new ();
  g_autofree char *other_name = g_strdup_printf ("other:%s:%s", c->object, c->field);
  g_autofree char *title = NULL;

  if (g_str_equal (c->kind, "note"))
    /* Translators: a note about a question, e.g. "Note: Where do you sleep?". */
    title = *c->field ? g_strdup_printf (_("Note: %s"), text ? text : c->field) : g_strdup (_("General note"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title ? title : text ? text : c->field);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), c->field);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  for (guint i = first; i < end; i++)
    {
      VwConflict *side = g_ptr_array_index (sides, i);
      g_autofree char *value = value_text (self, side->field, side->value);
      /* Translators: who made a value and when, e.g. "duo-noord, 2026-02-10T10:00:00Z". */
      g_autofree char *by = g_strdup_printf (_("%s, %s"), device_label (self, side->device), side->updated);
      GtkWidget *row = make_row (value, by);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), keep_button (self, side, value));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (other), _("Another value"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (other), TRUE);
  gtk_widget_set_name (other, other_name);
  g_object_set_data_full (G_OBJECT (other), "choice", choice_new (c, NULL), (GDestroyNotify) choice_free);
  g_signal_connect (other, "apply", G_CALLBACK (other_applied), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), other);
  return expander;
}

static void
free_fields (gpointer fields)
{
  if (fields != NULL)
    g_ptr_array_unref (fields);
}

/* One conflicting record: every side with its device and time and the
 * fields in which the sides differ, and a button to keep it. */
static GtkWidget *
record_row (VwConflictsDialog *self,
            GPtrArray         *sides,
            guint              first,
            guint              end)
{
  VwConflict *c = g_ptr_array_index (sides, first);
  const char * const *names = vw_conflict_field_names (c->kind);
  g_autoptr(GPtrArray) split = g_ptr_array_new_with_free_func (free_fields);
  g_autofree char *title = record_title (c);
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), _("Changed differently on two laptops: keep one"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  for (guint i = first; i < end; i++)
    g_ptr_array_add (split, vw_conflict_split_value (g_ptr_array_index (sides, i)));
  for (guint i = first; i < end; i++)
    {
      VwConflict *side = g_ptr_array_index (sides, i);
      GPtrArray *mine = g_ptr_array_index (split, i - first);
      g_autoptr(GString) fields = g_string_new (NULL);
      g_autofree char *by = g_strdup_printf (_("%s, %s"), device_label (self, side->device), side->updated);
      GtkWidget *row;

      for (guint f = 0; mine != NULL && names[f] != NULL; f++)
        {
          gboolean differs = FALSE;
          g_autofree char *value = NULL;

          for (guint j = 0; j < split->len; j++)
            {
              GPtrArray *other = g_ptr_array_index (split, j);
              differs |= other == NULL ||
                         g_strcmp0 (g_ptr_array_index (mine, f), g_ptr_array_index (other, f)) != 0;
            }
          if (!differs)
            continue;
          value = field_value_text (names[f], g_ptr_array_index (mine, f), self->language);
          if (fields->len > 0)
            g_string_append (fields, " · ");
          /* Translators: one field of a record and its value, e.g. "Status: declined". */
          g_string_append_printf (fields, _("%s: %s"), field_label (names[f]), value);
        }
      row = make_row (fields->len > 0 ? fields->str : _("(the same)"), by);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), keep_button (self, side, fields->str));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  return expander;
}

static gboolean
same_cell (const VwConflict *a,
           const VwConflict *b)
{
  return g_str_equal (a->kind, b->kind) && g_str_equal (a->object, b->object) && g_str_equal (a->field, b->field);
}

/* By record, then kind: everything of one interview or participant
 * together. */
static int
compare_by_object (gconstpointer a,
                   gconstpointer b)
{
  const VwConflict *ca = *(const VwConflict * const *) a;
  const VwConflict *cb = *(const VwConflict * const *) b;
  int c;

  if ((c = strcmp (ca->object, cb->object)) != 0 || (c = strcmp (ca->kind, cb->kind)) != 0 ||
      (c = strcmp (ca->field, cb->field)) != 0)
    return c;
  return strcmp (ca->device, cb->device);
}

static void
load_conflicts (VwConflictsDialog  *self,
                GPtrArray          *open)
{
  GtkWidget *group = NULL;
  const char *group_object = NULL;

  if (open->len == 0)
    {
      group = make_group (_("Open Conflicts"), NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 make_row (_("No open conflicts"), _("Every merged value agrees.")));
      gtk_box_append (self->conflicts_box, group);
      return;
    }
  /* One group per interview or participant, one row per field or record. */
  g_ptr_array_sort (open, compare_by_object);
  for (guint i = 0; i < open->len;)
    {
      VwConflict *c = g_ptr_array_index (open, i);
      guint end = i + 1;

      while (end < open->len && same_cell (c, g_ptr_array_index (open, end)))
        end++;
      if (group_object == NULL || !g_str_equal (group_object, c->object))
        {
          g_autofree char *title = object_title (self, c);
          gboolean records = FALSE;

          for (guint j = i; j < open->len && g_str_equal (((VwConflict *) g_ptr_array_index (open, j))->object,
                                                          c->object); j++)
            records |= !is_cell (g_ptr_array_index (open, j));
          /* Translators: the heading over a participant's conflicts. */
          group = make_group (title, records ? _("Records changed differently on two laptops")
                                     : g_str_equal (c->kind, "answer") ? _("Answers changed differently on two laptops")
                                     : _("Values changed differently on two laptops"));
          gtk_box_append (self->conflicts_box, group);
          group_object = c->object;
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 is_cell (c) ? cell_row (self, open, i, end) : record_row (self, open, i, end));
      i = end;
    }
}

static void
load_resolved (VwConflictsDialog *self,
               GPtrArray         *all)
{
  GtkWidget *group = make_group (_("Resolved"), _("The value each conflict was settled with."));
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    {
      VwConflict *c = g_ptr_array_index (all, i);
      g_autofree char *current = NULL;
      g_autofree char *value = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *where = NULL;
      const char *text;

      /* One row per cell, after its last side. */
      if (c->resolved == NULL || (i + 1 < all->len && same_cell (c, g_ptr_array_index (all, i + 1))))
        continue;
      if (!is_cell (c))
        {
          g_autofree char *title = record_title (c);

          where = object_title (self, c);
          /* Translators: where, and when a record's conflict was settled. */
          subtitle = g_strdup_printf (_("%s: resolved %s"), where, c->resolved);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_row (title, subtitle));
          n++;
          continue;
        }
      if (g_str_equal (c->kind, "answer"))
        current = vw_vault_get_answer (self->vault, c->object, c->field, NULL);
      else if (g_str_equal (c->kind, "note"))
        current = note_text (self, c->object, c->field);
      else
        current = vw_vault_get_participant_value (self->vault, self->study, c->object, c->field, NULL);
      value = value_text (self, c->field, current);
      where = object_title (self, c);
      text = question_text (self, c->field);
      /* Translators: where, the value kept and when, e.g. "Anna (DH-AB12C), round T0: “ja”, 2027-01-05T…". */
      subtitle = g_strdup_printf (_("%s: “%s”, resolved %s"), where, value, c->resolved);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_row (text ? text : c->field, subtitle));
      n++;
    }
  if (n == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_row (_("Nothing resolved yet"), NULL));
  gtk_box_append (self->resolved_box, group);
}

static void
duplicate_clicked (GtkButton         *button,
                   VwConflictsDialog *self)
{
  GStrv codes = g_object_get_data (G_OBJECT (button), "codes");
  gboolean join = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "join"));
  g_autoptr(GError) error = NULL;

  if (!vw_exchange_decide_duplicates (self->vault, self->study, (const char * const *) codes,
                                      join ? VW_DUPLICATE_JOIN : VW_DUPLICATE_KEEP_APART, codes[0], &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not decided: %s"), error->message);
      show_error (self, message);
      return;
    }
  vw_conflicts_dialog_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
decision_button (const char *label,
                 const char *what,
                 GStrv       codes,
                 gboolean    join)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  g_autofree char *name = g_strdup_printf ("%s:%s", what, codes[0]);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "codes", g_strdupv (codes), (GDestroyNotify) g_strfreev);
  g_object_set_data (G_OBJECT (button), "join", GINT_TO_POINTER (join));
  return button;
}

/* The similarity as a percentage beside the codes, read out in words. */
static GtkWidget *
similarity_label (double similarity)
{
  int percent = (int) (similarity * 100 + 0.5);
  /* Translators: a similarity shown beside a pair of codes, e.g. "87 %". */
  g_autofree char *text = g_strdup_printf (_("%d %%"), percent);
  /* Translators: what a screen reader says for the similarity. */
  g_autofree char *spoken = g_strdup_printf (_("Similarity %d percent"), percent);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_name (label, "similarity");
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  return label;
}

static void
load_duplicates (VwConflictsDialog *self,
                 GPtrArray         *candidates)
{
  GtkWidget *group = make_group (_("Possible Duplicates"),
                                 _("Codes enrolled with the same or a similar name and birth date, as far as their "
                                   "keyed encodings show, most similar first; nobody here sees who they are."));

  if (candidates->len == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_row (_("No possible duplicates"), NULL));
  for (guint i = 0; i < candidates->len; i++)
    {
      VwDuplicateCandidate *candidate = g_ptr_array_index (candidates, i);
      GStrv codes = candidate->codes;
      g_autofree char *title = g_strjoinv (", ", codes);
      /* Translators: what joining a group does, e.g. "Joining keeps DH-AB12C". */
      g_autofree char *keeps = candidate->exact
                                 ? g_strdup_printf (_("Same linkage identity. Joining keeps %s."), codes[0])
                                 : g_strdup_printf (_("Similar name and birth date. Joining keeps %s."), codes[0]);
      GtkWidget *expander = adw_expander_row_new ();
      GtkWidget *decision = make_row (_("Decision"), NULL);
      GtkWidget *join, *apart;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), keeps);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), similarity_label (candidate->similarity));
      for (guint j = 0; codes[j] != NULL; j++)
        {
          g_autoptr(VwParticipant) p = vw_vault_get_participant (self->vault, self->study, codes[j], NULL);
          g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (self->vault, self->study, codes[j], NULL, NULL);
          g_autoptr(GString) rounds = g_string_new (NULL);
          g_autofree char *row_title = g_strdup_printf ("%s (%s)", p ? p->pseudonym : "?", codes[j]);
          g_autofree char *subtitle = NULL;

          for (guint k = 0; interviews != NULL && k < interviews->len; k++)
            g_string_append_printf (rounds, "%s%s", k > 0 ? ", " : "",
                                    ((VwInterview *) g_ptr_array_index (interviews, k))->round);
          /* Translators: a participant's region and rounds, e.g. "Region DH, rounds T0, T1". */
          subtitle = g_strdup_printf (_("Region %s, rounds %s"), p ? p->region : "?",
                                      rounds->len > 0 ? rounds->str : "–");
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), make_row (row_title, subtitle));
        }
      join = decision_button (_("Same Person: _Join"), "join", codes, TRUE);
      apart = decision_button (_("Different People: Keep _Apart"), "apart", codes, FALSE);
      g_signal_connect (join, "clicked", G_CALLBACK (duplicate_clicked), self);
      g_signal_connect (apart, "clicked", G_CALLBACK (duplicate_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (decision), join);
      adw_action_row_add_suffix (ADW_ACTION_ROW (decision), apart);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), decision);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
    }
  gtk_box_append (self->duplicates_box, group);
}

static void
split_clicked (GtkButton         *button,
               VwConflictsDialog *self)
{
  GtkEditable *reason = g_object_get_data (G_OBJECT (button), "reason");
  const char *alias = g_object_get_data (G_OBJECT (button), "alias");
  const char *kept = g_object_get_data (G_OBJECT (button), "kept");
  g_autoptr(GError) error = NULL;

  if (!vw_vault_split_participants (self->vault, self->study, kept, alias, gtk_editable_get_text (reason), &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not split: %s"), error->message);
      show_error (self, message);
      return;
    }
  vw_conflicts_dialog_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
participant_title (VwConflictsDialog *self,
                   const char        *code)
{
  g_autoptr(VwParticipant) p = vw_vault_get_participant (self->vault, self->study, code, NULL);

  return g_strdup_printf ("%s (%s)", p ? p->pseudonym : "?", code);
}

/* The codes joined as one person, each with its split, and what a join
 * left to check by hand. */
static void
load_joined (VwConflictsDialog *self,
             GPtrArray         *aliases,
             GPtrArray         *differences)
{
  GtkWidget *group;

  if (aliases->len == 0)
    return;
  group = make_group (_("Joined Participants"),
                      _("Codes joined as one person: records, tables and exports count them once. A split makes "
                        "them two participants again, each with their own data; say why."));
  gtk_widget_set_margin_top (group, 18);
  for (guint i = 0; i < aliases->len; i++)
    {
      const VwAlias *a = g_ptr_array_index (aliases, i);
      g_autofree char *joined = participant_title (self, a->alias);
      g_autofree char *kept = participant_title (self, a->kept);
      /* Translators: e.g. "Karel (DH-Q2W8E) is Tom (DH-7K3QM)". */
      g_autofree char *title = g_strdup_printf (_("%s is %s"), joined, kept);
      /* Translators: when and why two codes were joined. */
      g_autofree char *subtitle = g_strdup_printf (_("Joined %s: %s"), a->joined, a->reason);
      g_autofree char *name = g_strdup_printf ("split:%s", a->alias);
      g_autofree char *reason_name = g_strdup_printf ("split-reason:%s", a->alias);
      /* Translators: the accessible name of a Split button, e.g. "Split Karel (DH-Q2W8E) from Tom (DH-7K3QM)". */
      g_autofree char *split_label = g_strdup_printf (_("Split %s from %s"), joined, kept);
      GtkWidget *expander = adw_expander_row_new ();
      GtkWidget *reason = adw_entry_row_new ();
      GtkWidget *decision = make_row (_("Different people after all"), NULL);
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Split"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason), _("Reason for the split"));
      gtk_widget_set_name (reason, reason_name);
      gtk_widget_set_name (button, name);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, split_label, -1);
      g_object_set_data (G_OBJECT (button), "reason", reason);
      g_object_set_data_full (G_OBJECT (button), "alias", g_strdup (a->alias), g_free);
      g_object_set_data_full (G_OBJECT (button), "kept", g_strdup (a->kept), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (split_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (decision), button);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), reason);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), decision);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
    }
  for (guint i = 0; i < differences->len; i++)
    {
      GtkWidget *row = make_row (_("To check"), g_ptr_array_index (differences, i));

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (self->duplicates_box, group);
}

void
vw_conflicts_dialog_reload (VwConflictsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autoptr(GPtrArray) aliases = NULL;
  g_autoptr(GPtrArray) differences = NULL;

  g_return_if_fail (VW_IS_CONFLICTS_DIALOG (self));

  clear_box (self->conflicts_box);
  clear_box (self->resolved_box);
  clear_box (self->duplicates_box);
  show_error (self, NULL);
  if ((open = vw_exchange_list_conflicts (self->vault, self->study, FALSE, &error)) == NULL ||
      (all = vw_exchange_list_conflicts (self->vault, self->study, TRUE, &error)) == NULL ||
      (duplicates = vw_exchange_duplicate_candidates (self->vault, self->study, &error)) == NULL ||
      (aliases = vw_vault_list_aliases (self->vault, self->study, &error)) == NULL ||
      (differences = vw_vault_join_differences (self->vault, self->study, &error)) == NULL)
    {
      show_error (self, error->message);
      return;
    }
  load_conflicts (self, open);
  load_resolved (self, all);
  load_duplicates (self, duplicates);
  load_joined (self, aliases, differences);
}

static void
show_resolved_toggled (VwConflictsDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->resolved_box), gtk_toggle_button_get_active (self->show_resolved));
}

static void
load_context (VwConflictsDialog *self)
{
  g_autoptr(VwStudy) study = vw_vault_get_study (self->vault, self->study, NULL);
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (self->vault, NULL);
  g_autoptr(GBytes) json = NULL;

  /* Without the questionnaire the rows show question ids only. */
  if (study != NULL && study->questionnaire_id != NULL &&
      (json = vw_vault_get_questionnaire (self->vault, study->questionnaire_id, study->questionnaire_version, NULL,
                                          NULL)) != NULL)
    self->questionnaire = vw_questionnaire_new_from_bytes (json, study->questionnaire_id, NULL, NULL);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);

      g_hash_table_insert (self->device_labels, g_strdup (d->id),
                           d->own ? g_strdup_printf (_("%s (this laptop)"), d->label) : g_strdup (d->label));
    }
}

static void
vw_conflicts_dialog_dispose (GObject *object)
{
  VwConflictsDialog *self = VW_CONFLICTS_DIALOG (object);

  g_clear_object (&self->vault);
  g_clear_object (&self->questionnaire);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_CONFLICTS_DIALOG);

  G_OBJECT_CLASS (vw_conflicts_dialog_parent_class)->dispose (object);
}

static void
vw_conflicts_dialog_finalize (GObject *object)
{
  VwConflictsDialog *self = VW_CONFLICTS_DIALOG (object);

  g_free (self->study);
  g_hash_table_unref (self->device_labels);

  G_OBJECT_CLASS (vw_conflicts_dialog_parent_class)->finalize (object);
}

static void
vw_conflicts_dialog_class_init (VwConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_conflicts_dialog_dispose;
  object_class->finalize = vw_conflicts_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-conflicts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwConflictsDialog, show_resolved);
  gtk_widget_class_bind_template_child (widget_class, VwConflictsDialog, status);
  gtk_widget_class_bind_template_child (widget_class, VwConflictsDialog, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, VwConflictsDialog, resolved_box);
  gtk_widget_class_bind_template_child (widget_class, VwConflictsDialog, duplicates_box);
  gtk_widget_class_bind_template_callback (widget_class, show_resolved_toggled);

  /* Emitted after a conflict was resolved or duplicates decided, so that
   * views showing the vault's records can reload them. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_conflicts_dialog_init (VwConflictsDialog *self)
{
  const char * const *names = g_get_language_names ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->device_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Questionnaires have English and Dutch texts. */
  self->language = names[0] != NULL && g_str_has_prefix (names[0], "nl") ? "nl" : "en";
}

VwConflictsDialog *
vw_conflicts_dialog_new (GtkWindow  *parent,
                         VwVault    *vault,
                         const char *study)
{
  VwConflictsDialog *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_CONFLICTS_DIALOG, "transient-for", parent, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  load_context (self);
  vw_conflicts_dialog_reload (self);
  return self;
}
