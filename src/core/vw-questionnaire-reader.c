/* vw-questionnaire-reader.c: reads a questionnaire file into a
 * VwQuestionnaire, walking json-glib's tree beside the positions that
 * vw-json-positions.c recorded, so that every problem is reported with its
 * line and column, all in one go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-json-positions.h"
#include "vw-questionnaire-private.h"
#include "vw-resources.h"

/* Problems. */

void
vw_questionnaire_problem_free (VwQuestionnaireProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

/**
 * vw_questionnaire_problem_to_string:
 *
 * Returns: (transfer full): "FILE:LINE:COLUMN: path: message", or without
 *   the path when the problem concerns the whole file
 */
char *
vw_questionnaire_problem_to_string (const VwQuestionnaireProblem *problem,
                                    const char                   *file_name)
{
  if (problem->path == NULL || *problem->path == '\0')
    return g_strdup_printf ("%s:%u:%u: %s", file_name, problem->line, problem->column,
                            problem->message);
  return g_strdup_printf ("%s:%u:%u: %s: %s", file_name, problem->line, problem->column,
                          problem->path, problem->message);
}

/* The loader: walks json-glib's tree next to the recorded positions. */

typedef struct
{
  VwQuestionnaire *q;
  VwJsonPositions *positions;
  GPtrArray       *problems; /* VwQuestionnaireProblem* */
  GString         *path;
} Loader;

static void
add_problem (Loader     *ld,
             guint       line,
             guint       column,
             const char *path,
             char       *message)
{
  VwQuestionnaireProblem *problem = g_new0 (VwQuestionnaireProblem, 1);

  problem->line = line;
  problem->column = column;
  problem->path = g_strdup (path);
  problem->message = message;
  g_ptr_array_add (ld->problems, problem);
}

static void report (Loader     *ld,
                    gsize       offset,
                    const char *format,
                    ...) G_GNUC_PRINTF (3, 4);

/* A problem at byte @offset, for the element at the current path. */
static void
report (Loader     *ld,
        gsize       offset,
        const char *format,
        ...)
{
  va_list args;
  guint line, column;

  va_start (args, format);
  vw_json_positions_locate (ld->positions, offset, &line, &column);
  add_problem (ld, line, column, ld->path->str, g_strdup_vprintf (format, args));
  va_end (args);
}

static gsize
path_push (Loader     *ld,
           const char *member)
{
  gsize len = ld->path->len;

  if (len > 0)
    g_string_append_c (ld->path, '.');
  g_string_append (ld->path, member);
  return len;
}

static gsize
path_push_index (Loader *ld,
                 guint   index)
{
  gsize len = ld->path->len;

  g_string_append_printf (ld->path, "[%u]", index);
  return len;
}

static void
path_pop (Loader *ld,
          gsize   len)
{
  g_string_truncate (ld->path, len);
}

static gsize
offset_of (const VwJsonPos *pos)
{
  return pos != NULL ? vw_json_pos_get_offset (pos) : 0;
}

/* Where a member's value starts, or its object when the member is absent. */
static gsize
member_offset (const VwJsonPos *object,
               const char      *name)
{
  VwJsonPos *pos = vw_json_pos_get_member (object, name);

  return pos != NULL ? vw_json_pos_get_offset (pos) : offset_of (object);
}

/* Levenshtein distance, for "did you mean" hints on typos. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = NULL;

  if (la > 64 || lb > 64)
    return G_MAXUINT;
  row = g_new (guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

static const char *
closest (const char         *word,
         const char * const *candidates)
{
  const char *best = NULL;
  guint best_distance = 3;

  for (gsize i = 0; candidates[i] != NULL; i++)
    {
      guint d = edit_distance (word, candidates[i]);

      if (d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  return best;
}

static gboolean
is_number (JsonNode *node)
{
  return is_json_type (node, G_TYPE_INT64) || is_json_type (node, G_TYPE_DOUBLE);
}

/* json-glib keeps the last of two members with one name; the first would
 * be lost without a word. */
static void
check_duplicates (Loader          *ld,
                  const VwJsonPos *pos)
{
  const GArray *duplicates = vw_json_pos_get_duplicates (pos);

  for (guint i = 0; duplicates != NULL && i < duplicates->len; i++)
    {
      const VwJsonDuplicate *d = &g_array_index (duplicates, VwJsonDuplicate, i);
      gsize len = path_push (ld, d->key);

      report (ld, d->offset, _("“%s” is given twice; keep one"), d->key);
      path_pop (ld, len);
    }
}

/* Reports members that are given twice, and members not in @allowed. */
static void
check_members (Loader             *ld,
               JsonObject         *object,
               const VwJsonPos    *pos,
               const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  check_duplicates (ld, pos);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *hint;
      VwJsonPos *member = vw_json_pos_get_member (pos, name);
      gsize len;

      /* "$comment" is documentation for people who edit the file. */
      if (g_strv_contains (allowed, name) || g_str_equal (name, "$comment"))
        continue;
      len = path_push (ld, name);
      hint = closest (name, allowed);
      if (hint != NULL)
        report (ld, member ? vw_json_pos_get_key_offset (member) : offset_of (pos),
                _("unknown member “%s”; did you mean “%s”?"), name, hint);
      else
        report (ld, member ? vw_json_pos_get_key_offset (member) : offset_of (pos),
                _("unknown member “%s”"), name);
      path_pop (ld, len);
    }
}

/* A required or optional string member; NULL when absent or wrong. */
static const char *
read_string (Loader          *ld,
             JsonObject      *object,
             const VwJsonPos *pos,
             const char      *name,
             gboolean         required)
{
  JsonNode *node = get_member (object, name);
  gsize len;
  const char *value = NULL;

  if (node == NULL && !required)
    return NULL;
  len = path_push (ld, name);
  if (node == NULL)
    report (ld, offset_of (pos), _("“%s” is missing"), name);
  else if (!is_json_type (node, G_TYPE_STRING))
    report (ld, member_offset (pos, name), _("must be text in quotes"));
  else if (*json_node_get_string (node) == '\0')
    report (ld, member_offset (pos, name), _("must not be empty"));
  else
    value = json_node_get_string (node);
  path_pop (ld, len);
  return value;
}

static gboolean
read_bool (Loader          *ld,
           JsonObject      *object,
           const VwJsonPos *pos,
           const char      *name,
           gboolean         fallback)
{
  JsonNode *node = get_member (object, name);
  gsize len;

  if (node == NULL)
    return fallback;
  if (is_json_type (node, G_TYPE_BOOLEAN))
    return json_node_get_boolean (node);
  len = path_push (ld, name);
  report (ld, member_offset (pos, name), _("must be true or false"));
  path_pop (ld, len);
  return fallback;
}

/* A text in every language, {"nl": "...", "en": "..."}, at the current
 * path. */
static void
read_text_node (Loader          *ld,
                JsonNode        *node,
                const VwJsonPos *pos,
                Text            *text)
{
  static const char *languages[] = { "nl", "en", NULL };
  JsonObject *translations;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report (ld, offset_of (pos),
              _("must give the text per language: {\"nl\": \"…\", \"en\": \"…\"}"));
      return;
    }
  translations = json_node_get_object (node);
  check_members (ld, translations, pos, languages);
  for (guint i = 0; languages[i] != NULL; i++)
    {
      JsonNode *value = get_member (translations, languages[i]);
      char **slot = i == 0 ? &text->nl : &text->en;
      gsize len;

      if (value == NULL)
        {
          report (ld, offset_of (pos),
                  i == 0 ? _("the Dutch text (“nl”) is missing")
                         : _("the English text (“en”) is missing"));
          continue;
        }
      len = path_push (ld, languages[i]);
      if (!is_json_type (value, G_TYPE_STRING))
        report (ld, member_offset (pos, languages[i]), _("must be text in quotes"));
      else if (*json_node_get_string (value) == '\0')
        report (ld, member_offset (pos, languages[i]),
                _("must not be empty; fill in the translation"));
      else
        *slot = g_strdup (json_node_get_string (value));
      path_pop (ld, len);
    }
}

static void
read_text (Loader          *ld,
           JsonObject      *object,
           const VwJsonPos *pos,
           const char      *name,
           gboolean         required,
           Text            *text)
{
  JsonNode *node = get_member (object, name);
  gsize len;

  if (node == NULL && !required)
    return;
  len = path_push (ld, name);
  if (node == NULL)
    report (ld, offset_of (pos), _("“%s” is missing"), name);
  else
    read_text_node (ld, node, vw_json_pos_get_member (pos, name), text);
  path_pop (ld, len);
}

/* Code lists. */

static void
read_code_lists (Loader          *ld,
                 JsonObject      *root,
                 const VwJsonPos *root_pos)
{
  static const char *code_members[] = { "code", "label", NULL };
  JsonNode *node = get_member (root, "codelists");
  VwJsonPos *lists_pos = vw_json_pos_get_member (root_pos, "codelists");
  g_autoptr(GList) names = NULL;
  JsonObject *lists;
  gsize len;

  if (node == NULL)
    return;
  len = path_push (ld, "codelists");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report (ld, offset_of (lists_pos), _("must be an object of named code lists"));
      path_pop (ld, len);
      return;
    }
  lists = json_node_get_object (node);
  check_duplicates (ld, lists_pos);
  names = json_object_get_members (lists);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *list_node = json_object_get_member (lists, name);
      VwJsonPos *list_pos = vw_json_pos_get_member (lists_pos, name);
      g_autoptr(VwCodeList) list = NULL;
      const char *key;
      JsonArray *codes;
      gsize inner;

      if (g_str_equal (name, "$comment"))
        continue;
      inner = path_push (ld, name);
      if (!matches ("^[a-z][a-z0-9_]{0,63}$", name))
        report (ld, vw_json_pos_get_key_offset (list_pos),
                _("a code list name uses only lower-case letters, digits and “_”"));
      else if (vw_codebook_get_code_list (ld->q->codebook, name) != NULL)
        report (ld, vw_json_pos_get_key_offset (list_pos),
                _("“%s” is a code list of the core codebook; use it by name instead of defining it again"),
                name);
      if (!JSON_NODE_HOLDS_ARRAY (list_node) ||
          json_array_get_length (json_node_get_array (list_node)) == 0)
        {
          report (ld, offset_of (list_pos), _("must be a list of codes with labels"));
          path_pop (ld, inner);
          continue;
        }

      list = vw_code_list_new (name);
      codes = json_node_get_array (list_node);
      for (guint i = 0; i < json_array_get_length (codes); i++)
        {
          JsonNode *entry = json_array_get_element (codes, i);
          VwJsonPos *entry_pos = vw_json_pos_get_element (list_pos, i);
          gsize item = path_push_index (ld, i);
          const char *code;
          Text label = { 0 };

          if (!JSON_NODE_HOLDS_OBJECT (entry))
            {
              report (ld, offset_of (entry_pos),
                      _("must be a code with its label: {\"code\": …, \"label\": …}"));
              path_pop (ld, item);
              continue;
            }
          check_members (ld, json_node_get_object (entry), entry_pos, code_members);
          code = read_string (ld, json_node_get_object (entry), entry_pos, "code", TRUE);
          read_text (ld, json_node_get_object (entry), entry_pos, "label", TRUE, &label);
          if (code != NULL)
            {
              gsize c = path_push (ld, "code");

              if (!matches ("^[A-Za-z0-9_]{1,64}$", code))
                report (ld, member_offset (entry_pos, "code"),
                        _("a code uses only letters, digits and “_”"));
              else if (!vw_code_list_add (list, code, label.nl, label.en))
                report (ld, member_offset (entry_pos, "code"),
                        _("the code “%s” is already in this list"), code);
              path_pop (ld, c);
            }
          text_clear (&label);
          path_pop (ld, item);
        }
      /* The list owns the key: take its name before handing it over. */
      key = vw_code_list_get_name (list);
      g_hash_table_insert (ld->q->code_lists, (gpointer) key, g_steal_pointer (&list));
      path_pop (ld, inner);
    }
  path_pop (ld, len);
}

/* Questions. */

static gboolean
type_has (VwQuestionType type,
          const char    *member)
{
  if (g_str_equal (member, "codes"))
    return type == VW_QUESTION_SINGLE_CHOICE || type == VW_QUESTION_MULTIPLE_CHOICE;
  if (g_str_equal (member, "min") || g_str_equal (member, "max"))
    return type == VW_QUESTION_NUMBER || type == VW_QUESTION_YEAR;
  if (g_str_equal (member, "decimals"))
    return type == VW_QUESTION_NUMBER;
  if (g_str_equal (member, "prompts"))
    return type == VW_QUESTION_LONG_TEXT;
  return TRUE;
}

static void
read_bounds (Loader          *ld,
             VwQuestion      *question,
             JsonObject      *object,
             const VwJsonPos *pos)
{
  static const char *names[] = { "min", "max" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = get_member (object, names[i]);
      gsize len;
      double value;

      if (node == NULL || !type_has (question->type, names[i]))
        continue;
      len = path_push (ld, names[i]);
      if (!is_number (node))
        report (ld, member_offset (pos, names[i]), _("must be a number"));
      else
        {
          value = json_node_get_double (node);
          if (question->type == VW_QUESTION_YEAR &&
              (!is_json_type (node, G_TYPE_INT64) || value < 1000 || value > 9999))
            report (ld, member_offset (pos, names[i]), _("must be a year of four digits"));
          else if (question->type == VW_QUESTION_NUMBER && !question->decimals &&
                   !is_json_type (node, G_TYPE_INT64))
            report (ld, member_offset (pos, names[i]),
                    _("must be a whole number, or set \"decimals\": true"));
          else if (i == 0)
            {
              question->has_min = TRUE;
              question->min = value;
            }
          else
            {
              question->has_max = TRUE;
              question->max = value;
              if (question->has_min && question->min > value)
                report (ld, member_offset (pos, names[i]), _("must not be smaller than “min”"));
            }
        }
      path_pop (ld, len);
    }
}

/* Core variables are answered by a question with the variable's name; its
 * type, codes and scope must agree with the codebook. */
static void
check_core_variable (Loader          *ld,
                     VwQuestion      *question,
                     const VwJsonPos *pos)
{
  const VwVariable *var = vw_codebook_get_variable (ld->q->codebook, question->id);
  gboolean type_ok;
  const char *expected = NULL;

  if (var == NULL)
    return;

  if (var->scope == VW_VARIABLE_SCOPE_IDENTIFIER || var->scope == VW_VARIABLE_SCOPE_DERIVED ||
      g_str_equal (var->name, "status") || g_str_equal (var->name, "date"))
    {
      gsize len = path_push (ld, "id");
      report (ld, member_offset (pos, "id"),
              _("“%s” is kept by the application, not asked as a question; choose another id"),
              question->id);
      path_pop (ld, len);
      return;
    }

  if (g_str_equal (var->type, "choice"))
    {
      type_ok = question->type == VW_QUESTION_SINGLE_CHOICE ||
                (question->type == VW_QUESTION_YES_NO &&
                 g_strcmp0 (var->codes, "ja_nee_niet_besproken") == 0);
      if (type_ok && question->type == VW_QUESTION_SINGLE_CHOICE && question->codes != NULL &&
          g_strcmp0 (vw_code_list_get_name (question->codes), var->codes) != 0)
        {
          gsize len = path_push (ld, "codes");
          report (ld, member_offset (pos, "codes"),
                  _("“%s” is a core variable: its codes must be the code list “%s” of the codebook"),
                  question->id, var->codes);
          path_pop (ld, len);
        }
      expected = "single_choice";
    }
  else if (g_str_equal (var->type, "year"))
    type_ok = question->type == VW_QUESTION_YEAR, expected = "year";
  else if (g_str_equal (var->type, "month"))
    type_ok = question->type == VW_QUESTION_MONTH, expected = "month";
  else if (g_str_equal (var->type, "date"))
    type_ok = question->type == VW_QUESTION_DATE, expected = "date";
  else
    type_ok = question->type == VW_QUESTION_SHORT_TEXT, expected = "short_text";

  if (!type_ok)
    {
      gsize len = path_push (ld, "type");
      report (ld, member_offset (pos, "type"),
              _("“%s” is a core variable and must be a “%s” question"), question->id, expected);
      path_pop (ld, len);
    }

  if ((var->scope == VW_VARIABLE_SCOPE_PARTICIPANT) != (question->scope == VW_QUESTION_SCOPE_PARTICIPANT))
    {
      gsize len = path_push (ld, "scope");
      report (ld, member_offset (pos, "scope"),
              var->scope == VW_VARIABLE_SCOPE_PARTICIPANT
              ? _("“%s” is fixed over rounds in the codebook: set \"scope\": \"participant\"")
              : _("“%s” is asked every round in the codebook: set \"scope\": \"round\""),
              question->id);
      path_pop (ld, len);
    }
}

static void
read_prompts (Loader          *ld,
              VwQuestion      *question,
              JsonObject      *object,
              const VwJsonPos *pos)
{
  JsonNode *node = get_member (object, "prompts");
  VwJsonPos *prompts_pos = vw_json_pos_get_member (pos, "prompts");
  JsonArray *array;
  gsize len;

  question->prompts = g_array_new (FALSE, TRUE, sizeof (Text));
  g_array_set_clear_func (question->prompts, (GDestroyNotify) text_clear);
  if (node == NULL || !type_has (question->type, "prompts"))
    return;

  len = path_push (ld, "prompts");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    report (ld, offset_of (prompts_pos),
            _("must be a list of follow-up questions, each {\"nl\": …, \"en\": …}"));
  else
    {
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize item = path_push_index (ld, i);
          Text text = { 0 };

          read_text_node (ld, json_array_get_element (array, i),
                          vw_json_pos_get_element (prompts_pos, i), &text);
          g_array_append_val (question->prompts, text);
          path_pop (ld, item);
        }
    }
  path_pop (ld, len);
}

static const char *question_members[] = {
  "id", "type", "label", "help", "required", "relevant", "note", "scope",
  "codes", "min", "max", "decimals", "prompts", NULL,
};

static VwQuestion *
read_question (Loader          *ld,
               VwModule        *module,
               JsonNode        *node,
               const VwJsonPos *pos)
{
  g_autoptr(GList) members = NULL;
  VwQuestion *question;
  JsonObject *object;
  const char *id, *type, *scope, *relevant, *codes;
  gsize len;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report (ld, offset_of (pos), _("must be a question: {\"id\": …, \"type\": …, \"label\": …}"));
      return NULL;
    }
  object = json_node_get_object (node);
  check_members (ld, object, pos, question_members);

  question = g_new0 (VwQuestion, 1);
  question->module = module;
  question->path = g_strdup (ld->path->str);
  question->type = (VwQuestionType) -1;

  id = read_string (ld, object, pos, "id", TRUE);
  if (id != NULL)
    {
      len = path_push (ld, "id");
      if (!matches ("^[a-z][a-z0-9_]{0,63}$", id))
        report (ld, member_offset (pos, "id"),
                _("an id starts with a lower-case letter and uses only lower-case letters, digits and “_”"));
      else if (vw_expr_is_keyword (id))
        report (ld, member_offset (pos, "id"),
                _("“%s” is a word of the condition language; choose another id"), id);
      else
        question->id = g_strdup (id);
      path_pop (ld, len);
    }

  type = read_string (ld, object, pos, "type", TRUE);
  for (guint i = 0; type != NULL && type_names[i] != NULL; i++)
    if (g_str_equal (type, type_names[i]))
      question->type = i;
  if (type != NULL && question->type == (VwQuestionType) -1)
    {
      const char *hint = closest (type, type_names);

      len = path_push (ld, "type");
      if (hint != NULL)
        report (ld, member_offset (pos, "type"),
                _("unknown question type “%s”; did you mean “%s”?"), type, hint);
      else
        report (ld, member_offset (pos, "type"), _("unknown question type “%s”"), type);
      path_pop (ld, len);
    }

  read_text (ld, object, pos, "label", TRUE, &question->label);
  read_text (ld, object, pos, "help", FALSE, &question->help);
  question->required = read_bool (ld, object, pos, "required", FALSE);
  question->note = read_bool (ld, object, pos, "note", TRUE);

  scope = read_string (ld, object, pos, "scope", FALSE);
  if (g_strcmp0 (scope, "participant") == 0)
    question->scope = VW_QUESTION_SCOPE_PARTICIPANT;
  else if (scope != NULL && !g_str_equal (scope, "round"))
    {
      len = path_push (ld, "scope");
      report (ld, member_offset (pos, "scope"), _("must be “round” or “participant”"));
      path_pop (ld, len);
    }

  if (question->type == (VwQuestionType) -1)
    return question;

  /* Members that belong to other types: a mistake, not a typo. */
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (g_strv_contains (question_members, l->data) && !type_has (question->type, l->data))
      {
        VwJsonPos *member = vw_json_pos_get_member (pos, l->data);

        len = path_push (ld, l->data);
        report (ld, member ? vw_json_pos_get_key_offset (member) : offset_of (pos),
                _("“%s” does not apply to a %s question"), (const char *) l->data, type);
        path_pop (ld, len);
      }

  question->decimals = type_has (question->type, "decimals") &&
                       read_bool (ld, object, pos, "decimals", FALSE);
  read_bounds (ld, question, object, pos);
  read_prompts (ld, question, object, pos);

  if (question->type == VW_QUESTION_YES_NO)
    question->codes = vw_codebook_get_code_list (ld->q->codebook, "ja_nee_niet_besproken");
  else if (question->type == VW_QUESTION_RESIDENCE_HISTORY)
    question->codes = vw_codebook_get_code_list (ld->q->codebook, "residence");
  else if (type_has (question->type, "codes"))
    {
      codes = read_string (ld, object, pos, "codes", TRUE);
      if (codes != NULL)
        {
          question->codes = vw_questionnaire_get_code_list (ld->q, codes);
          if (question->codes == NULL)
            {
              len = path_push (ld, "codes");
              report (ld, member_offset (pos, "codes"),
                      _("unknown code list “%s”; define it under “codelists” or use one of the codebook"),
                      codes);
              path_pop (ld, len);
            }
        }
    }

  if (question->id != NULL)
    check_core_variable (ld, question, pos);

  relevant = read_string (ld, object, pos, "relevant", FALSE);
  if (relevant != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize error_offset = 0;

      question->relevant_offset = member_offset (pos, "relevant");
      question->relevant = vw_expr_parse (relevant, &error_offset, &error);
      if (question->relevant == NULL)
        {
          gsize offset = vw_json_positions_string_offset (ld->positions, question->relevant_offset, error_offset);

          len = path_push (ld, "relevant");
          /* A condition too deep or too long to read can be far from its
           * start: the message names the question. */
          if (question->id != NULL && (g_error_matches (error, VW_EXPR_ERROR, VW_EXPR_ERROR_TOO_DEEP) ||
                                       g_error_matches (error, VW_EXPR_ERROR, VW_EXPR_ERROR_TOO_COMPLEX)))
            report (ld, offset, _("question “%s”: %s"), question->id, error->message);
          else
            report (ld, offset, "%s", error->message);
          path_pop (ld, len);
        }
    }

  return question;
}

static const char *module_members[] = {
  "id", "title", "intro", "rounds", "purpose", "questions", NULL,
};

static void
read_rounds (Loader          *ld,
             VwModule        *module,
             JsonObject      *object,
             const VwJsonPos *pos)
{
  JsonNode *node = get_member (object, "rounds");
  VwJsonPos *rounds_pos = vw_json_pos_get_member (pos, "rounds");
  gsize len = path_push (ld, "rounds");

  if (node == NULL)
    report (ld, offset_of (pos), _("“rounds” is missing: \"every\", \"first\", \"followup\" or a list such as [\"T4\"]"));
  else if (is_json_type (node, G_TYPE_STRING))
    {
      const char *rounds = json_node_get_string (node);

      if (g_str_equal (rounds, "every"))
        module->rounds_kind = VW_ROUNDS_EVERY;
      else if (g_str_equal (rounds, "first"))
        module->rounds_kind = VW_ROUNDS_FIRST;
      else if (g_str_equal (rounds, "followup"))
        module->rounds_kind = VW_ROUNDS_FOLLOWUP;
      else
        report (ld, offset_of (rounds_pos),
                _("must be \"every\", \"first\", \"followup\" or a list of rounds such as [\"T4\"]"));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      module->rounds_kind = VW_ROUNDS_LISTED;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gsize item = path_push_index (ld, i);
          gsize offset = offset_of (vw_json_pos_get_element (rounds_pos, i));

          if (!is_json_type (element, G_TYPE_STRING) ||
              !matches ("^T[0-9]{1,2}$", json_node_get_string (element)))
            report (ld, offset, _("a round is written T0, T1, T2, …"));
          else if (!g_hash_table_add (seen, (gpointer) json_node_get_string (element)))
            report (ld, offset, _("the round “%s” is listed twice"), json_node_get_string (element));
          else
            g_strv_builder_add (builder, json_node_get_string (element));
          path_pop (ld, item);
        }
      module->rounds = g_strv_builder_end (builder);
    }
  else
    report (ld, offset_of (rounds_pos),
            _("must be \"every\", \"first\", \"followup\" or a list of rounds such as [\"T4\"]"));
  path_pop (ld, len);
}

static void
read_module (Loader          *ld,
             JsonNode        *node,
             const VwJsonPos *pos)
{
  VwQuestionnaire *q = ld->q;
  VwModule *module;
  JsonObject *object;
  JsonNode *questions;
  VwJsonPos *questions_pos;
  const char *id, *purpose;
  gsize len;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report (ld, offset_of (pos), _("must be a module: {\"id\": …, \"title\": …, \"rounds\": …, \"questions\": […]}"));
      return;
    }
  object = json_node_get_object (node);
  check_members (ld, object, pos, module_members);

  module = g_new0 (VwModule, 1);
  module->questions = g_ptr_array_new ();
  g_ptr_array_add (q->modules, module);

  id = read_string (ld, object, pos, "id", TRUE);
  if (id != NULL)
    {
      VwModule *other = g_hash_table_lookup (q->module_index, id);

      len = path_push (ld, "id");
      if (!matches ("^[a-z][a-z0-9_]{0,63}$", id))
        report (ld, member_offset (pos, "id"),
                _("an id starts with a lower-case letter and uses only lower-case letters, digits and “_”"));
      else if (other != NULL)
        {
          guint index = 0;

          g_ptr_array_find (q->modules, other, &index);
          report (ld, member_offset (pos, "id"),
                  _("the module id “%s” is already used by modules[%u]"), id, index);
        }
      else
        {
          module->id = g_strdup (id);
          g_hash_table_insert (q->module_index, module->id, module);
        }
      path_pop (ld, len);
    }
  read_text (ld, object, pos, "title", TRUE, &module->title);
  read_text (ld, object, pos, "intro", FALSE, &module->intro);
  read_rounds (ld, module, object, pos);

  purpose = read_string (ld, object, pos, "purpose", FALSE);
  if (purpose != NULL)
    {
      len = path_push (ld, "purpose");
      if (!g_str_equal (purpose, "consent"))
        report (ld, member_offset (pos, "purpose"), _("the only purpose is “consent”"));
      else if (vw_questionnaire_get_consent_module (q) != NULL)
        report (ld, member_offset (pos, "purpose"), _("there is already a consent module"));
      else if (module->rounds_kind != VW_ROUNDS_EVERY)
        report (ld, member_offset (pos, "purpose"),
                _("consent is asked at every interview: give this module \"rounds\": \"every\""));
      else
        module->purpose = g_strdup (purpose);
      path_pop (ld, len);
    }

  questions = get_member (object, "questions");
  questions_pos = vw_json_pos_get_member (pos, "questions");
  len = path_push (ld, "questions");
  if (questions == NULL)
    report (ld, offset_of (pos), _("“questions” is missing"));
  else if (!JSON_NODE_HOLDS_ARRAY (questions) ||
           json_array_get_length (json_node_get_array (questions)) == 0)
    report (ld, offset_of (questions_pos), _("must be a list of at least one question"));
  else
    {
      JsonArray *array = json_node_get_array (questions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize item = path_push_index (ld, i);
          VwJsonPos *question_pos = vw_json_pos_get_element (questions_pos, i);
          VwQuestion *question = read_question (ld, module, json_array_get_element (array, i),
                                                question_pos);

          path_pop (ld, item);
          if (question == NULL)
            continue;
          question->index = q->questions->len;
          g_ptr_array_add (q->questions, question);
          g_ptr_array_add (module->questions, question);
          if (question->id != NULL)
            {
              VwQuestion *other = g_hash_table_lookup (q->question_index, question->id);

              if (other != NULL)
                {
                  item = path_push_index (ld, i);
                  path_push (ld, "id");
                  report (ld, member_offset (question_pos, "id"),
                          _("the question id “%s” is already used at %s"), question->id, other->path);
                  path_pop (ld, item);
                }
              else
                g_hash_table_insert (q->question_index, question->id, question);
            }
        }
    }
  path_pop (ld, len);
}

/* Conditions, checked once every question is known. */

typedef struct
{
  Loader     *ld;
  VwQuestion *question;
} ReferenceCheck;

static void report_in_condition (ReferenceCheck *check,
                                 gsize           expr_offset,
                                 const char     *format,
                                 ...) G_GNUC_PRINTF (3, 4);

static void
report_in_condition (ReferenceCheck *check,
                     gsize           expr_offset,
                     const char     *format,
                     ...)
{
  Loader *ld = check->ld;
  g_autofree char *path = g_strconcat (check->question->path, ".relevant", NULL);
  gsize offset = vw_json_positions_string_offset (ld->positions, check->question->relevant_offset,
                                                  expr_offset);
  guint line, column;
  va_list args;

  va_start (args, format);
  vw_json_positions_locate (ld->positions, offset, &line, &column);
  add_problem (ld, line, column, path, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
check_code_literal (ReferenceCheck        *check,
                    const VwExprReference *ref,
                    const VwQuestion      *target)
{
  if (target->codes == NULL || vw_code_list_contains (target->codes, ref->literal))
    return;
  report_in_condition (check, ref->literal_offset, _("“%s” is not a code of “%s” (code list “%s”)"),
                       ref->literal, target->id, vw_code_list_get_name (target->codes));
}

static void
check_reference (const VwExprReference *ref,
                 gpointer               user_data)
{
  ReferenceCheck *check = user_data;
  VwQuestionnaire *q = check->ld->q;
  VwQuestion *question = check->question;
  VwQuestion *target = g_hash_table_lookup (q->question_index, ref->name);

  if (target == NULL)
    {
      g_autofree const char **ids = (const char **) g_hash_table_get_keys_as_array (q->question_index, NULL);
      const char *hint = closest (ref->name, ids);

      if (hint != NULL)
        report_in_condition (check, ref->name_offset,
                             _("refers to “%s” which is not an earlier question: there is no question with that id; did you mean “%s”?"),
                             ref->name, hint);
      else
        report_in_condition (check, ref->name_offset,
                             _("refers to “%s” which is not an earlier question: there is no question with that id"),
                             ref->name);
      return;
    }
  if (target == question)
    {
      report_in_condition (check, ref->name_offset,
                           _("refers to its own question “%s”; a condition can only use earlier answers"),
                           ref->name);
      return;
    }
  /* Participant answers are known from earlier interviews, wherever the
   * question sits in the file. */
  if (target->index > question->index && target->scope != VW_QUESTION_SCOPE_PARTICIPANT)
    {
      report_in_condition (check, ref->name_offset,
                           _("refers to “%s” which is not an earlier question: it comes later, at %s"),
                           ref->name, target->path);
      return;
    }
  if (!g_ptr_array_find (question->depends, target, NULL))
    g_ptr_array_add (question->depends, target);

  if (ref->use == VW_EXPR_USE_ANSWERED || target->type == (VwQuestionType) -1)
    return;

  if (ref->use == VW_EXPR_USE_SELECTED)
    {
      if (target->type != VW_QUESTION_MULTIPLE_CHOICE)
        report_in_condition (check, ref->name_offset,
                             _("selected() needs a multiple_choice question; “%s” is a %s question"),
                             ref->name, type_names[target->type]);
      else
        check_code_literal (check, ref, target);
      return;
    }

  switch (target->type)
    {
    case VW_QUESTION_MULTIPLE_CHOICE:
      report_in_condition (check, ref->name_offset,
                           _("“%s” is a multiple_choice question: test it with selected(%s, 'code')"),
                           ref->name, ref->name);
      break;
    case VW_QUESTION_RESIDENCE_HISTORY:
      report_in_condition (check, ref->name_offset,
                           _("a residence history can only be tested with answered(%s)"), ref->name);
      break;
    case VW_QUESTION_SINGLE_CHOICE:
    case VW_QUESTION_YES_NO:
      if (ref->literal_is_number)
        report_in_condition (check, ref->literal_offset,
                             _("compare “%s” with one of its codes in quotes"), ref->name);
      else if (ref->ordered)
        report_in_condition (check, ref->name_offset,
                             _("codes have no order: use =, != or in with “%s”"), ref->name);
      else
        check_code_literal (check, ref, target);
      break;
    case VW_QUESTION_NUMBER:
    case VW_QUESTION_YEAR:
    case VW_QUESTION_GRADE:
      if (!ref->literal_is_number)
        report_in_condition (check, ref->literal_offset,
                             _("“%s” is a number: compare it with a number without quotes"), ref->name);
      break;
    default:
      if (ref->literal_is_number)
        report_in_condition (check, ref->literal_offset,
                             _("“%s” holds text: compare it with a text in quotes"), ref->name);
      break;
    }
}

/* Forward references to participant questions could make two conditions
 * wait for each other; find such loops before any interview does. */
static gboolean
depends_on (const VwQuestion *question,
            const VwQuestion *target,
            GHashTable       *visited)
{
  if (!g_hash_table_add (visited, (gpointer) question))
    return FALSE;
  for (guint i = 0; i < question->depends->len; i++)
    {
      const VwQuestion *next = g_ptr_array_index (question->depends, i);

      if (next == target || depends_on (next, target, visited))
        return TRUE;
    }
  return FALSE;
}

static void
check_conditions (Loader *ld)
{
  for (guint i = 0; i < ld->q->questions->len; i++)
    {
      VwQuestion *question = g_ptr_array_index (ld->q->questions, i);
      ReferenceCheck check = { ld, question };

      question->depends = g_ptr_array_new ();
      if (question->relevant != NULL)
        vw_expr_foreach_reference (question->relevant, check_reference, &check);
    }

  for (guint i = 0; i < ld->q->questions->len; i++)
    {
      VwQuestion *question = g_ptr_array_index (ld->q->questions, i);
      g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);
      ReferenceCheck check = { ld, question };

      if (question->relevant != NULL && depends_on (question, question, visited))
        report_in_condition (&check, 0,
                             _("this condition depends, through other conditions, on its own question"));
    }
}

/* The canonical form. */

static JsonNode *
canonical_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) sorted = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      members = g_list_sort (members, (GCompareFunc) strcmp);
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (sorted, l->data,
                                canonical_copy (json_object_get_member (object, l->data)));
      return json_node_init_object (json_node_alloc (), sorted);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, canonical_copy (json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  return json_node_copy (node);
}

static char *
canonical_json (JsonNode *root)
{
  g_autoptr(JsonNode) sorted = canonical_copy (root);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, sorted);
  return json_generator_to_data (generator, NULL);
}

/* Top level. */

static const char *top_members[] = {
  "format", "id", "version", "title", "description", "languages", "codelists", "modules", NULL,
};

static void
read_languages (Loader          *ld,
                JsonObject      *root,
                const VwJsonPos *root_pos)
{
  JsonNode *node = get_member (root, "languages");
  gsize len = path_push (ld, "languages");
  gboolean ok = FALSE;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) == 2)
    {
      JsonArray *array = json_node_get_array (node);
      JsonNode *a = json_array_get_element (array, 0);
      JsonNode *b = json_array_get_element (array, 1);

      ok = is_json_type (a, G_TYPE_STRING) && is_json_type (b, G_TYPE_STRING) &&
           ((g_str_equal (json_node_get_string (a), "nl") && g_str_equal (json_node_get_string (b), "en")) ||
            (g_str_equal (json_node_get_string (a), "en") && g_str_equal (json_node_get_string (b), "nl")));
    }
  if (node == NULL)
    report (ld, offset_of (root_pos), _("“languages” is missing: use [\"nl\", \"en\"]"));
  else if (!ok)
    report (ld, member_offset (root_pos, "languages"),
            _("must be [\"nl\", \"en\"]: every text is given in Dutch and English"));
  path_pop (ld, len);
}

static void
read_questionnaire (Loader          *ld,
                    JsonNode        *root_node,
                    const VwJsonPos *root_pos)
{
  VwQuestionnaire *q = ld->q;
  JsonObject *root;
  JsonNode *format, *modules;
  VwJsonPos *modules_pos;
  const char *id, *version;
  gsize len;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      report (ld, offset_of (root_pos), _("a questionnaire is one JSON object: { \"format\": 1, … }"));
      return;
    }
  root = json_node_get_object (root_node);
  check_members (ld, root, root_pos, top_members);

  format = get_member (root, "format");
  len = path_push (ld, "format");
  if (format == NULL)
    report (ld, offset_of (root_pos), _("“format” is missing: add \"format\": 1"));
  else if (!is_json_type (format, G_TYPE_INT64) || json_node_get_int (format) != FORMAT_VERSION)
    report (ld, member_offset (root_pos, "format"),
            _("this program reads questionnaire format 1 only"));
  path_pop (ld, len);

  id = read_string (ld, root, root_pos, "id", TRUE);
  if (id != NULL)
    {
      len = path_push (ld, "id");
      if (!matches ("^[a-z0-9][a-z0-9_-]{0,63}$", id))
        report (ld, member_offset (root_pos, "id"),
                _("an id uses only lower-case letters, digits, “-” and “_”"));
      else
        q->id = g_strdup (id);
      path_pop (ld, len);
    }
  version = read_string (ld, root, root_pos, "version", TRUE);
  if (version != NULL)
    {
      len = path_push (ld, "version");
      if (!matches ("^[0-9]{1,6}(\\.[0-9]{1,6}){0,2}(-[0-9A-Za-z.]{1,32})?$", version))
        report (ld, member_offset (root_pos, "version"),
                _("a version is written like 1, 1.2 or 1.2.3, optionally with a suffix such as 1.2-concept"));
      else
        q->version = g_strdup (version);
      path_pop (ld, len);
    }
  read_text (ld, root, root_pos, "title", TRUE, &q->title);
  read_text (ld, root, root_pos, "description", FALSE, &q->description);
  read_languages (ld, root, root_pos);
  read_code_lists (ld, root, root_pos);

  modules = get_member (root, "modules");
  modules_pos = vw_json_pos_get_member (root_pos, "modules");
  len = path_push (ld, "modules");
  if (modules == NULL)
    report (ld, offset_of (root_pos), _("“modules” is missing"));
  else if (!JSON_NODE_HOLDS_ARRAY (modules) ||
           json_array_get_length (json_node_get_array (modules)) == 0)
    report (ld, offset_of (modules_pos), _("must be a list of at least one module"));
  else
    {
      JsonArray *array = json_node_get_array (modules);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize item = path_push_index (ld, i);

          read_module (ld, json_array_get_element (array, i), vw_json_pos_get_element (modules_pos, i));
          path_pop (ld, item);
        }
    }
  path_pop (ld, len);

  check_conditions (ld);
}

typedef struct
{
  gboolean have;
  guint    line;
  guint    column;
} SyntaxPosition;

static void
on_parse_error (JsonParser     *parser,
                const GError   *error,
                SyntaxPosition *position)
{
  position->have = TRUE;
  position->line = json_parser_get_current_line (parser);
  position->column = json_parser_get_current_pos (parser);
}

/* json-glib prefixes its messages with "<data>:LINE:COLUMN: "; the file
 * name and position are put back in front by the problem list. */
static const char *
strip_position (const char *message)
{
  const char *s = message;

  if (!g_str_has_prefix (s, "<data>:"))
    return message;
  for (int colons = 0; *s != '\0' && colons < 3; s++)
    if (*s == ':')
      colons++;
  while (*s == ' ')
    s++;
  return *s != '\0' ? s : message;
}

static gint
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const VwQuestionnaireProblem *pa = *(VwQuestionnaireProblem * const *) a;
  const VwQuestionnaireProblem *pb = *(VwQuestionnaireProblem * const *) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  return 0;
}

/**
 * vw_questionnaire_new_from_bytes:
 * @json: the questionnaire in the format of data/questionnaires/README.md
 * @file_name: (nullable): the name to put in messages
 * @problems: (out) (optional) (transfer full) (element-type VwQuestionnaireProblem):
 *   every problem found, in file order; an empty array when there are none
 *
 * Loads and checks a questionnaire. Every problem is found in one go;
 * conditions are parsed here, so no interview meets a broken one.
 *
 * Returns: (transfer full): the questionnaire, or %NULL with @error set to
 *   the first problem (VW_QUESTIONNAIRE_ERROR_INVALID)
 */
VwQuestionnaire *
vw_questionnaire_new_from_bytes (GBytes      *json,
                                 const char  *file_name,
                                 GPtrArray  **problems,
                                 GError     **error)
{
  g_autoptr(VwQuestionnaire) q = g_object_new (VW_TYPE_QUESTIONNAIRE, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_questionnaire_problem_free);
  g_autoptr(VwJsonPositions) positions = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GError) parse_error = NULL;
  Loader ld = { q, NULL, found, path };
  SyntaxPosition syntax = { 0 };
  const char *text, *end;
  gsize len, deep = 0;

  g_return_val_if_fail (json != NULL, NULL);

  if (file_name == NULL)
    file_name = "questionnaire.json";
  text = g_bytes_get_data (json, &len);
  if (text == NULL)
    text = "";

  if (len > VW_QUESTIONNAIRE_MAX_SIZE)
    add_problem (&ld, 1, 1, "", g_strdup_printf (_("the file is larger than %d MiB; is it a questionnaire?"),
                                                 VW_QUESTIONNAIRE_MAX_SIZE / 1024 / 1024));
  else if ((positions = vw_json_positions_scan (text, len, &deep)) == NULL)
    {
      /* Positions are needed for the message: scan again without them. */
      guint line = 1, column = 1;

      for (gsize i = 0; i < deep; i++)
        {
          if (text[i] == '\n')
            line++, column = 1;
          else if (((guchar) text[i] & 0xC0) != 0x80)
            column++;
        }
      add_problem (&ld, line, column, "",
                   g_strdup_printf (_("the file nests more than %d levels deep"), VW_JSON_MAX_DEPTH));
    }
  else if (!g_utf8_validate_len (text, len, &end))
    {
      ld.positions = positions;
      report (&ld, end - text, _("the file is not UTF-8 text (or contains a zero byte)"));
    }
  else
    {
      ld.positions = positions;
      parser = json_parser_new_immutable ();
      g_signal_connect (parser, "error", G_CALLBACK (on_parse_error), &syntax);
      if (!json_parser_load_from_data (parser, text, len, &parse_error))
        add_problem (&ld, syntax.have ? MAX (syntax.line, 1) : 1, syntax.have ? MAX (syntax.column, 1) : 1, "",
                     g_strdup_printf (_("the JSON syntax is wrong: %s"), strip_position (parse_error->message)));
      else if (json_parser_get_root (parser) == NULL || vw_json_positions_get_root (positions) == NULL)
        add_problem (&ld, 1, 1, "", g_strdup (_("the file is empty")));
      else
        read_questionnaire (&ld, json_parser_get_root (parser), vw_json_positions_get_root (positions));
    }

  if (found->len > 0)
    {
      g_autofree char *first = NULL;

      g_ptr_array_sort (found, compare_problems);
      first = vw_questionnaire_problem_to_string (g_ptr_array_index (found, 0), file_name);
      if (found->len == 1)
        g_set_error_literal (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID, first);
      else
        g_set_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID,
                     g_dngettext (GETTEXT_PACKAGE, "%s (and %u more problem)", "%s (and %u more problems)",
                                  found->len - 1),
                     first, found->len - 1);
      if (problems != NULL)
        *problems = g_steal_pointer (&found);
      return NULL;
    }

  q->canonical = canonical_json (json_parser_get_root (parser));
  q->hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, q->canonical, -1);
  if (problems != NULL)
    *problems = g_steal_pointer (&found);
  return g_steal_pointer (&q);
}

/**
 * vw_questionnaire_new_from_file:
 *
 * As vw_questionnaire_new_from_bytes(), with @path as the file name in
 * messages.
 */
VwQuestionnaire *
vw_questionnaire_new_from_file (const char  *path,
                                GPtrArray  **problems,
                                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("Cannot read “%s”: it is not a file"), path);
      return NULL;
    }
  /* One byte over the limit is enough to report the size. */
  if (info != NULL && g_file_info_get_size (info) > VW_QUESTIONNAIRE_MAX_SIZE)
    bytes = g_bytes_new_take (g_malloc0 (VW_QUESTIONNAIRE_MAX_SIZE + 1), VW_QUESTIONNAIRE_MAX_SIZE + 1);
  else if (info != NULL)
    bytes = g_file_load_bytes (file, NULL, NULL, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, G_IO_ERROR, local_error->domain == G_IO_ERROR ? local_error->code : G_IO_ERROR_FAILED,
                   _("Cannot read “%s”: %s"), path, local_error->message);
      return NULL;
    }

  return vw_questionnaire_new_from_bytes (bytes, path, problems, error);
}

/**
 * vw_questionnaire_get_shipped:
 *
 * Returns: (transfer none): the study questionnaire compiled into the core
 *   (data/questionnaires/mo-bw-trajectory.json). The test suite checks it,
 *   so failing to load it is a build defect and aborts.
 */
VwQuestionnaire *
vw_questionnaire_get_shipped (void)
{
  static VwQuestionnaire *shipped;

  if (g_once_init_enter (&shipped))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      VwQuestionnaire *loaded;

      bytes = g_resource_lookup_data (vw_core_get_resource (), VW_RESOURCE_SHIPPED_QUESTIONNAIRE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("The shipped questionnaire is missing from the build: %s", error->message);
      loaded = vw_questionnaire_new_from_bytes (bytes, "mo-bw-trajectory.json", NULL, &error);
      if (loaded == NULL)
        g_error ("The shipped questionnaire is invalid: %s", error->message);
      g_once_init_leave (&shipped, loaded);
    }

  return shipped;
}
