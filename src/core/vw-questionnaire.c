/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-questionnaire-private.h"
#include "vw-validate.h"

G_DEFINE_FINAL_TYPE (VwQuestionnaire, vw_questionnaire, G_TYPE_OBJECT)

G_DEFINE_QUARK (vw-questionnaire-error-quark, vw_questionnaire_error)

static const char *
text_get (const Text *text,
          const char *language)
{
  return g_strcmp0 (language, "nl") == 0 ? text->nl : text->en;
}

static void
module_free (VwModule *module)
{
  g_free (module->id);
  text_clear (&module->title);
  text_clear (&module->intro);
  g_free (module->purpose);
  g_strfreev (module->rounds);
  g_ptr_array_unref (module->questions);
  g_free (module);
}

static void
question_free (VwQuestion *question)
{
  g_free (question->id);
  g_free (question->path);
  text_clear (&question->label);
  text_clear (&question->help);
  vw_expr_free (question->relevant);
  g_clear_pointer (&question->prompts, g_array_unref);
  g_clear_pointer (&question->depends, g_ptr_array_unref);
  g_free (question);
}

static void
vw_questionnaire_finalize (GObject *object)
{
  VwQuestionnaire *self = VW_QUESTIONNAIRE (object);

  g_free (self->id);
  g_free (self->version);
  g_free (self->hash);
  g_free (self->canonical);
  text_clear (&self->title);
  text_clear (&self->description);
  g_ptr_array_unref (self->modules);
  g_ptr_array_unref (self->questions);
  g_hash_table_unref (self->question_index);
  g_hash_table_unref (self->module_index);
  g_hash_table_unref (self->code_lists);
  g_clear_pointer (&self->codebook, vw_codebook_unref);

  G_OBJECT_CLASS (vw_questionnaire_parent_class)->finalize (object);
}

static void
vw_questionnaire_class_init (VwQuestionnaireClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vw_questionnaire_finalize;
}

static void
vw_questionnaire_init (VwQuestionnaire *self)
{
  self->modules = g_ptr_array_new_with_free_func ((GDestroyNotify) module_free);
  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  self->question_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->module_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->code_lists = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) vw_code_list_free);
  self->codebook = vw_codebook_ref (vw_codebook_get_core ());
}

const char *
vw_questionnaire_get_id (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return self->id;
}

const char *
vw_questionnaire_get_version (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return self->version;
}

/**
 * vw_questionnaire_get_hash:
 *
 * Returns: the SHA-256 of the canonical form, as 64 lower-case hex digits;
 *   with the id and version it is the questionnaire's identity
 */
const char *
vw_questionnaire_get_hash (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return self->hash;
}

/**
 * vw_questionnaire_get_canonical_json:
 *
 * Returns: the canonical form: the parsed file written by json-glib's
 *   generator without whitespace, with every object's members sorted by
 *   name (byte order of UTF-8). Loading it again gives the same hash, so
 *   it is the text to store.
 */
const char *
vw_questionnaire_get_canonical_json (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return self->canonical;
}

/* @language: "nl" or "en"; anything else gets English. */
const char *
vw_questionnaire_get_title (VwQuestionnaire *self,
                            const char      *language)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return text_get (&self->title, language);
}

/**
 * vw_questionnaire_check_same_version:
 *
 * Refuses a changed questionnaire that kept its version: answers name the
 * version they were given under, so two different texts must never share
 * one.
 *
 * Returns: %TRUE when @a and @b differ in id or version, or are the same
 *   text; %FALSE with VW_QUESTIONNAIRE_ERROR_CHANGED otherwise
 */
gboolean
vw_questionnaire_check_same_version (VwQuestionnaire  *a,
                                     VwQuestionnaire  *b,
                                     GError          **error)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (a) && VW_IS_QUESTIONNAIRE (b), FALSE);

  if (!g_str_equal (a->id, b->id) || !g_str_equal (a->version, b->version) ||
      g_str_equal (a->hash, b->hash))
    return TRUE;

  g_set_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_CHANGED,
               _("Questionnaire “%s” version %s has changed since it was first used; "
                 "give the changed questionnaire a new version number"),
               a->id, a->version);
  return FALSE;
}

guint
vw_questionnaire_get_n_modules (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), 0);
  return self->modules->len;
}

const VwModule *
vw_questionnaire_get_module (VwQuestionnaire *self,
                             guint            index)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  g_return_val_if_fail (index < self->modules->len, NULL);
  return g_ptr_array_index (self->modules, index);
}

const VwModule *
vw_questionnaire_lookup_module (VwQuestionnaire *self,
                                const char      *id)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return g_hash_table_lookup (self->module_index, id);
}

/**
 * vw_questionnaire_get_consent_module:
 *
 * Returns: (nullable): the module with "purpose": "consent", which the
 *   interview asks before any other module
 */
const VwModule *
vw_questionnaire_get_consent_module (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  for (guint i = 0; i < self->modules->len; i++)
    {
      const VwModule *module = g_ptr_array_index (self->modules, i);

      if (g_strcmp0 (module->purpose, "consent") == 0)
        return module;
    }
  return NULL;
}

/**
 * vw_questionnaire_list_modules:
 * @round: the round label, e.g. "T2"
 * @first_interview: whether this is the participant's first interview
 *
 * Returns: (transfer container) (element-type VwModule): the modules asked
 *   in this interview, in questionnaire order
 */
GPtrArray *
vw_questionnaire_list_modules (VwQuestionnaire *self,
                               const char      *round,
                               gboolean         first_interview)
{
  GPtrArray *modules = g_ptr_array_new ();

  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), modules);
  for (guint i = 0; i < self->modules->len; i++)
    {
      VwModule *module = g_ptr_array_index (self->modules, i);

      if (vw_module_is_asked (module, round, first_interview))
        g_ptr_array_add (modules, module);
    }
  return modules;
}

guint
vw_questionnaire_get_n_questions (VwQuestionnaire *self)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), 0);
  return self->questions->len;
}

/* Questions in questionnaire order: module by module, as in the file. */
const VwQuestion *
vw_questionnaire_get_question (VwQuestionnaire *self,
                               guint            index)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  g_return_val_if_fail (index < self->questions->len, NULL);
  return g_ptr_array_index (self->questions, index);
}

const VwQuestion *
vw_questionnaire_lookup_question (VwQuestionnaire *self,
                                  const char      *id)
{
  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->question_index, id) : NULL;
}

/**
 * vw_questionnaire_get_code_list:
 *
 * Returns: (nullable): a code list defined in the questionnaire, else the
 *   core codebook's list of that name
 */
const VwCodeList *
vw_questionnaire_get_code_list (VwQuestionnaire *self,
                                const char      *name)
{
  const VwCodeList *list;

  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), NULL);
  list = g_hash_table_lookup (self->code_lists, name);
  return list != NULL ? list : vw_codebook_get_code_list (self->codebook, name);
}

typedef struct
{
  VwQuestionnaire  *self;
  VwExprLookupFunc  lookup;
  gpointer          user_data;
} RelevantLookup;

static gboolean is_relevant (RelevantLookup   *context,
                             const VwQuestion *question);

/* An answer to a question that is itself skipped does not count: it may
 * be left over from before an earlier answer changed. */
static const char *
lookup_relevant_answer (const char *name,
                        gpointer    user_data)
{
  RelevantLookup *context = user_data;
  const VwQuestion *question = g_hash_table_lookup (context->self->question_index, name);

  if (question == NULL || !is_relevant (context, question))
    return NULL;
  return context->lookup (name, context->user_data);
}

static gboolean
is_relevant (RelevantLookup   *context,
             const VwQuestion *question)
{
  if (question->relevant == NULL)
    return TRUE;
  return vw_expr_evaluate (question->relevant, lookup_relevant_answer, context);
}

/**
 * vw_questionnaire_is_relevant:
 * @lookup: gives the current answer to a question by id
 *
 * Whether @question is asked, given the answers so far. A question without
 * a condition always is. Answers of questions that are themselves skipped
 * count as unanswered. The loader refused conditions that loop, so this
 * always ends.
 */
gboolean
vw_questionnaire_is_relevant (VwQuestionnaire  *self,
                              const VwQuestion *question,
                              VwExprLookupFunc  lookup,
                              gpointer          user_data)
{
  RelevantLookup context = { self, lookup, user_data };

  g_return_val_if_fail (VW_IS_QUESTIONNAIRE (self), FALSE);
  g_return_val_if_fail (question != NULL && lookup != NULL, FALSE);
  return is_relevant (&context, question);
}

/* Modules. */

const char *
vw_module_get_id (const VwModule *module)
{
  return module->id;
}

const char *
vw_module_get_title (const VwModule *module,
                     const char     *language)
{
  return text_get (&module->title, language);
}

/* Returns: (nullable): what the duo reads out when the module starts */
const char *
vw_module_get_intro (const VwModule *module,
                     const char     *language)
{
  return text_get (&module->intro, language);
}

/* Returns: (nullable): "consent" for the consent module */
const char *
vw_module_get_purpose (const VwModule *module)
{
  return module->purpose;
}

VwRoundsKind
vw_module_get_rounds_kind (const VwModule *module)
{
  return module->rounds_kind;
}

/* Returns: (nullable): the listed rounds for VW_ROUNDS_LISTED */
const char * const *
vw_module_get_rounds (const VwModule *module)
{
  return (const char * const *) module->rounds;
}

gboolean
vw_module_is_asked (const VwModule *module,
                    const char     *round,
                    gboolean        first_interview)
{
  switch (module->rounds_kind)
    {
    case VW_ROUNDS_EVERY:
      return TRUE;
    case VW_ROUNDS_FIRST:
      return first_interview;
    case VW_ROUNDS_FOLLOWUP:
      return !first_interview;
    case VW_ROUNDS_LISTED:
      return round != NULL && module->rounds != NULL &&
             g_strv_contains ((const char * const *) module->rounds, round);
    default:
      return FALSE;
    }
}

guint
vw_module_get_n_questions (const VwModule *module)
{
  return module->questions->len;
}

const VwQuestion *
vw_module_get_question (const VwModule *module,
                        guint           index)
{
  g_return_val_if_fail (index < module->questions->len, NULL);
  return g_ptr_array_index (module->questions, index);
}

/* Questions. */

const char *
vw_question_get_id (const VwQuestion *question)
{
  return question->id;
}

VwQuestionType
vw_question_get_question_type (const VwQuestion *question)
{
  return question->type;
}

/* Returns: the type's name in the file format, e.g. "single_choice" */
const char *
vw_question_type_to_string (VwQuestionType type)
{
  g_return_val_if_fail (type <= VW_QUESTION_RESIDENCE_HISTORY, NULL);
  return type_names[type];
}

const VwModule *
vw_question_get_module (const VwQuestion *question)
{
  return question->module;
}

/* Returns: the position in questionnaire order, from 0 */
guint
vw_question_get_index (const VwQuestion *question)
{
  return question->index;
}

const char *
vw_question_get_label (const VwQuestion *question,
                       const char       *language)
{
  return text_get (&question->label, language);
}

/* Returns: (nullable): an explanation for the duo */
const char *
vw_question_get_help (const VwQuestion *question,
                      const char       *language)
{
  return text_get (&question->help, language);
}

gboolean
vw_question_is_required (const VwQuestion *question)
{
  return question->required;
}

/* Whether the duo may keep a note with the answer (default: yes). */
gboolean
vw_question_allows_note (const VwQuestion *question)
{
  return question->note;
}

VwQuestionScope
vw_question_get_scope (const VwQuestion *question)
{
  return question->scope;
}

/* Returns: (nullable): the parsed `relevant` condition */
const VwExpr *
vw_question_get_relevant (const VwQuestion *question)
{
  return question->relevant;
}

/**
 * vw_question_get_code_list:
 *
 * Returns: (nullable): the codes a choice question offers (yes_no: the
 *   codebook's ja_nee_niet_besproken; residence_history: residence); label
 *   them with vw_code_get_label()
 */
const VwCodeList *
vw_question_get_code_list (const VwQuestion *question)
{
  return question->codes;
}

/**
 * vw_question_get_range:
 * @min: (out): the smallest allowed value
 * @max: (out): the largest allowed value
 *
 * For number, year and grade questions. A year without "max" goes up to
 * the current year; without "min" it starts at 1900.
 *
 * Returns: whether the question has a range at all
 */
gboolean
vw_question_get_range (const VwQuestion *question,
                       double           *min,
                       double           *max)
{
  *min = -G_MAXDOUBLE;
  *max = G_MAXDOUBLE;
  switch (question->type)
    {
    case VW_QUESTION_GRADE:
      *min = 0;
      *max = 10;
      return TRUE;
    case VW_QUESTION_YEAR:
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_local ();

        *min = question->has_min ? question->min : YEAR_MIN_DEFAULT;
        *max = question->has_max ? question->max : g_date_time_get_year (now);
        return TRUE;
      }
    case VW_QUESTION_NUMBER:
      if (question->has_min)
        *min = question->min;
      if (question->has_max)
        *max = question->max;
      return question->has_min || question->has_max;
    default:
      return FALSE;
    }
}

gboolean
vw_question_allows_decimals (const VwQuestion *question)
{
  return question->decimals;
}

guint
vw_question_get_n_prompts (const VwQuestion *question)
{
  return question->prompts != NULL ? question->prompts->len : 0;
}

/* Follow-up questions (doorvragen) the duo may ask with an open question. */
const char *
vw_question_get_prompt (const VwQuestion *question,
                        guint             index,
                        const char       *language)
{
  g_return_val_if_fail (index < vw_question_get_n_prompts (question), NULL);
  return text_get (&g_array_index (question->prompts, Text, index), language);
}

/* Answer values. */

static gboolean invalid (GError    **error,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID_VALUE, message);
  return FALSE;
}

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

/* The shapes and the bound on the future are vw-validate.c's, as for
 * every other stored month and date. */
static gboolean
is_month (const char *value,
          gboolean   *future)
{
  int year, month;

  if (!vw_validate_parse_month (value, &year, &month))
    return FALSE;
  *future = vw_validate_month_is_future (year, month);
  return TRUE;
}

static gboolean
is_date (const char *value,
         gboolean   *future)
{
  int year, month, day;

  if (!vw_validate_parse_date (value, &year, &month, &day))
    return FALSE;
  *future = vw_validate_date_is_future (year, month, day);
  return TRUE;
}

static gboolean
validate_number (const VwQuestion  *question,
                 const char        *value,
                 GError           **error)
{
  gboolean integer = question->type != VW_QUESTION_NUMBER || !question->decimals;
  double number, min, max;
  gboolean bounded = vw_question_get_range (question, &min, &max);
  g_autofree char *min_text = format_number (min);
  g_autofree char *max_text = format_number (max);

  if (question->type == VW_QUESTION_YEAR && !matches ("^[0-9]{4}$", value))
    return invalid (error, _("Fill in a year between %s and %s"), min_text, max_text);
  if (question->type == VW_QUESTION_GRADE && !matches ("^[0-9]{1,2}$", value))
    return invalid (error, _("Fill in a whole number from 0 to 10"));
  if (!matches (integer ? "^-?[0-9]{1,15}$" : "^-?[0-9]{1,15}(\\.[0-9]{1,15})?$", value))
    return invalid (error, integer ? _("Fill in a whole number, without spaces or dots")
                                   : _("Fill in a number; use a point for decimals, as in 2.5"));

  number = g_ascii_strtod (value, NULL);
  if (!bounded || (number >= min && number <= max))
    return TRUE;
  if (question->type == VW_QUESTION_YEAR)
    return invalid (error, _("Fill in a year between %s and %s"), min_text, max_text);
  if (question->type == VW_QUESTION_GRADE)
    return invalid (error, _("Fill in a whole number from 0 to 10"));
  if (question->has_min && question->has_max)
    return invalid (error, _("Fill in a number from %s to %s"), min_text, max_text);
  if (question->has_min)
    return invalid (error, _("Fill in a number of at least %s"), min_text);
  return invalid (error, _("Fill in a number of at most %s"), max_text);
}

static gboolean
validate_codes (const VwQuestion  *question,
                const char        *value,
                GError           **error)
{
  g_auto(GStrv) codes = vw_expr_parse_code_array (value);

  if (codes == NULL)
    return invalid (error, _("The answer is not a list of codes"));
  if (codes[0] == NULL)
    return invalid (error, _("Choose at least one answer, or leave the question empty"));
  for (guint i = 0; codes[i] != NULL; i++)
    {
      if (!vw_code_list_contains (question->codes, codes[i]))
        return invalid (error, _("“%s” is not one of the answers to choose from"), codes[i]);
      for (guint j = 0; j < i; j++)
        if (g_str_equal (codes[i], codes[j]))
          return invalid (error, _("“%s” is chosen twice"), codes[i]);
    }
  return TRUE;
}

static gboolean
validate_history (const VwQuestion  *question,
                  const char        *value,
                  GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *stays;
  guint open = 0;

  if (!json_parser_load_from_data (parser, value, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return invalid (error, _("The residence history is not a list of stays"));

  stays = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (stays); i++)
    {
      JsonNode *node = json_array_get_element (stays, i);
      JsonObject *stay;
      JsonNode *residence, *start, *end;
      g_autoptr(GError) local = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node) || json_object_get_size (stay = json_node_get_object (node)) != 3)
        return invalid (error, _("Stay %u must have a residence, a start month and an end month"), i + 1);
      residence = get_member (stay, "residence");
      start = get_member (stay, "start");
      end = get_member (stay, "end");
      if (!is_json_type (residence, G_TYPE_STRING) || !is_json_type (start, G_TYPE_STRING) ||
          end == NULL || (!JSON_NODE_HOLDS_NULL (end) && !is_json_type (end, G_TYPE_STRING)))
        return invalid (error, _("Stay %u must have a residence, a start month and an end month"), i + 1);
      if (!vw_code_list_contains (question->codes, json_node_get_string (residence)))
        return invalid (error, _("Stay %u: choose where the participant stayed from the list"), i + 1);
      /* Each stay becomes an episode: the episode's own validator. */
      if (!vw_validate_episode (json_node_get_string (start),
                                JSON_NODE_HOLDS_NULL (end) ? NULL : json_node_get_string (end),
                                json_node_get_string (residence), &local))
        return invalid (error, _("Stay %u: %s"), i + 1, local->message);
      if (JSON_NODE_HOLDS_NULL (end))
        open++;
    }
  if (open > 1)
    return invalid (error, _("Only one stay can still be going on; fill in the end month of the others"));
  return TRUE;
}

/**
 * vw_question_validate_value:
 * @value: (nullable): the answer as stored, see "Answer encoding" in
 *   data/questionnaires/README.md
 *
 * Checks an answer against its question. %NULL or "" means unanswered and
 * is valid here; whether a question must be answered is
 * vw_question_is_required().
 *
 * Returns: %TRUE when valid; else %FALSE with a sentence the duo can act on
 *   (VW_QUESTIONNAIRE_ERROR_INVALID_VALUE)
 */
gboolean
vw_question_validate_value (const VwQuestion  *question,
                            const char        *value,
                            GError           **error)
{
  gboolean future = FALSE;

  g_return_val_if_fail (question != NULL, FALSE);

  if (value == NULL || *value == '\0')
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    return invalid (error, _("The answer is not valid text"));

  switch (question->type)
    {
    case VW_QUESTION_SINGLE_CHOICE:
    case VW_QUESTION_YES_NO:
      if (question->codes == NULL || !vw_code_list_contains (question->codes, value))
        return invalid (error, _("Choose one of the answers in the list"));
      return TRUE;
    case VW_QUESTION_MULTIPLE_CHOICE:
      return validate_codes (question, value, error);
    case VW_QUESTION_NUMBER:
    case VW_QUESTION_YEAR:
    case VW_QUESTION_GRADE:
      return validate_number (question, value, error);
    case VW_QUESTION_MONTH:
      if (!is_month (value, &future))
        return invalid (error, _("Fill in a month as YYYY-MM, for example 2024-03"));
      if (future)
        return invalid (error, _("Fill in a month that is not in the future"));
      return TRUE;
    case VW_QUESTION_DATE:
      if (!is_date (value, &future))
        return invalid (error, _("Fill in a date as YYYY-MM-DD, for example 2024-03-15"));
      if (future)
        return invalid (error, _("Fill in a date that is not in the future"));
      return TRUE;
    case VW_QUESTION_SHORT_TEXT:
      if (strchr (value, '\n') != NULL || strchr (value, '\r') != NULL)
        return invalid (error, _("Keep this answer on one line"));
      if (g_utf8_strlen (value, -1) > SHORT_TEXT_MAX)
        return invalid (error, _("Keep this answer under %d characters"), SHORT_TEXT_MAX);
      return TRUE;
    case VW_QUESTION_LONG_TEXT:
      if (g_utf8_strlen (value, -1) > LONG_TEXT_MAX)
        return invalid (error, _("Keep this answer under %d characters"), LONG_TEXT_MAX);
      return TRUE;
    case VW_QUESTION_RESIDENCE_HISTORY:
      return validate_history (question, value, error);
    default:
      return invalid (error, _("The question has an unknown type"));
    }
}
