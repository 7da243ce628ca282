/* vw-questionnaire.h: questionnaires (modules, questions, skip logic), their
 * validation with exact positions, answer encoding and identity.
 *
 * The file format is documented in data/questionnaires/README.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vw-codebook.h"
#include "vw-expr.h"

G_BEGIN_DECLS

#define VW_QUESTIONNAIRE_ERROR (vw_questionnaire_error_quark ())

typedef enum {
  VW_QUESTIONNAIRE_ERROR_INVALID,       /* the file has problems; see the problem list */
  VW_QUESTIONNAIRE_ERROR_CHANGED,       /* same id and version, different content */
  VW_QUESTIONNAIRE_ERROR_INVALID_VALUE, /* an answer does not fit its question */
} VwQuestionnaireError;

GQuark vw_questionnaire_error_quark (void);

/* Larger files are refused before parsing. */
#define VW_QUESTIONNAIRE_MAX_SIZE (4 * 1024 * 1024)

typedef enum {
  VW_QUESTION_SINGLE_CHOICE,
  VW_QUESTION_MULTIPLE_CHOICE,
  VW_QUESTION_YES_NO,
  VW_QUESTION_NUMBER,
  VW_QUESTION_YEAR,
  VW_QUESTION_MONTH,
  VW_QUESTION_DATE,
  VW_QUESTION_SHORT_TEXT,
  VW_QUESTION_LONG_TEXT,
  VW_QUESTION_GRADE,
  VW_QUESTION_RESIDENCE_HISTORY,
} VwQuestionType;

typedef enum {
  VW_QUESTION_SCOPE_ROUND,       /* a new answer every round */
  VW_QUESTION_SCOPE_PARTICIPANT, /* fixed over rounds, asked once */
} VwQuestionScope;

typedef enum {
  VW_ROUNDS_EVERY,
  VW_ROUNDS_FIRST,    /* the participant's first interview, whatever the round */
  VW_ROUNDS_FOLLOWUP, /* every interview after the first */
  VW_ROUNDS_LISTED,   /* only the listed rounds, e.g. ["T4"] */
} VwRoundsKind;

/* One problem found while loading: 1-based line and column (columns count
 * characters), the element's path (e.g. "modules[2].questions[0].relevant",
 * empty for the whole file) and a sentence. */
typedef struct
{
  guint  line;
  guint  column;
  char  *path;
  char  *message;
} VwQuestionnaireProblem;

void  vw_questionnaire_problem_free      (VwQuestionnaireProblem       *problem);
char *vw_questionnaire_problem_to_string (const VwQuestionnaireProblem *problem,
                                          const char                   *file_name);

typedef struct _VwModule   VwModule;
typedef struct _VwQuestion VwQuestion;

#define VW_TYPE_QUESTIONNAIRE (vw_questionnaire_get_type ())
G_DECLARE_FINAL_TYPE (VwQuestionnaire, vw_questionnaire, VW, QUESTIONNAIRE, GObject)

VwQuestionnaire  *vw_questionnaire_new_from_bytes     (GBytes            *json,
                                                       const char        *file_name,
                                                       GPtrArray        **problems,
                                                       GError           **error);
VwQuestionnaire  *vw_questionnaire_new_from_file      (const char        *path,
                                                       GPtrArray        **problems,
                                                       GError           **error);
VwQuestionnaire  *vw_questionnaire_get_shipped        (void);

const char       *vw_questionnaire_get_id             (VwQuestionnaire   *self);
const char       *vw_questionnaire_get_version        (VwQuestionnaire   *self);
const char       *vw_questionnaire_get_hash           (VwQuestionnaire   *self);
const char       *vw_questionnaire_get_canonical_json (VwQuestionnaire   *self);
const char       *vw_questionnaire_get_title          (VwQuestionnaire   *self,
                                                       const char        *language);
gboolean          vw_questionnaire_check_same_version (VwQuestionnaire   *a,
                                                       VwQuestionnaire   *b,
                                                       GError           **error);

guint             vw_questionnaire_get_n_modules      (VwQuestionnaire   *self);
const VwModule   *vw_questionnaire_get_module         (VwQuestionnaire   *self,
                                                       guint              index);
const VwModule   *vw_questionnaire_lookup_module      (VwQuestionnaire   *self,
                                                       const char        *id);
const VwModule   *vw_questionnaire_get_consent_module (VwQuestionnaire   *self);
GPtrArray        *vw_questionnaire_list_modules       (VwQuestionnaire   *self,
                                                       const char        *round,
                                                       gboolean           first_interview);
guint             vw_questionnaire_get_n_questions    (VwQuestionnaire   *self);
const VwQuestion *vw_questionnaire_get_question       (VwQuestionnaire   *self,
                                                       guint              index);
const VwQuestion *vw_questionnaire_lookup_question    (VwQuestionnaire   *self,
                                                       const char        *id);
const VwCodeList *vw_questionnaire_get_code_list      (VwQuestionnaire   *self,
                                                       const char        *name);
gboolean          vw_questionnaire_is_relevant        (VwQuestionnaire   *self,
                                                       const VwQuestion  *question,
                                                       VwExprLookupFunc   lookup,
                                                       gpointer           user_data);

const char       *vw_module_get_id                    (const VwModule    *module);
const char       *vw_module_get_title                 (const VwModule    *module,
                                                       const char        *language);
const char       *vw_module_get_intro                 (const VwModule    *module,
                                                       const char        *language);
const char       *vw_module_get_purpose               (const VwModule    *module);
VwRoundsKind      vw_module_get_rounds_kind           (const VwModule    *module);
const char * const *vw_module_get_rounds              (const VwModule    *module);
gboolean          vw_module_is_asked                  (const VwModule    *module,
                                                       const char        *round,
                                                       gboolean           first_interview);
guint             vw_module_get_n_questions           (const VwModule    *module);
const VwQuestion *vw_module_get_question              (const VwModule    *module,
                                                       guint              index);

const char       *vw_question_get_id                  (const VwQuestion  *question);
VwQuestionType    vw_question_get_question_type       (const VwQuestion  *question);
const char       *vw_question_type_to_string          (VwQuestionType     type);
const VwModule   *vw_question_get_module              (const VwQuestion  *question);
guint             vw_question_get_index               (const VwQuestion  *question);
const char       *vw_question_get_label               (const VwQuestion  *question,
                                                       const char        *language);
const char       *vw_question_get_help                (const VwQuestion  *question,
                                                       const char        *language);
gboolean          vw_question_is_required             (const VwQuestion  *question);
gboolean          vw_question_allows_note             (const VwQuestion  *question);
VwQuestionScope   vw_question_get_scope               (const VwQuestion  *question);
const VwExpr     *vw_question_get_relevant            (const VwQuestion  *question);
const VwCodeList *vw_question_get_code_list           (const VwQuestion  *question);
gboolean          vw_question_get_range               (const VwQuestion  *question,
                                                       double            *min,
                                                       double            *max);
gboolean          vw_question_allows_decimals         (const VwQuestion  *question);
guint             vw_question_get_n_prompts           (const VwQuestion  *question);
const char       *vw_question_get_prompt              (const VwQuestion  *question,
                                                       guint              index,
                                                       const char        *language);
gboolean          vw_question_validate_value          (const VwQuestion  *question,
                                                       const char        *value,
                                                       GError           **error);

G_END_DECLS
