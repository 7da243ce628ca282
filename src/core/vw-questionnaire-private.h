/* vw-questionnaire-private.h: what the questionnaire's reader
 * (vw-questionnaire-reader.c) and its accessors and answer checks
 * (vw-questionnaire.c) share. Not for use outside those two files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vw-questionnaire.h"
#include "vw-validate.h"

G_BEGIN_DECLS

/* The only format version so far; the member lets a later format refuse
 * to be read by an older program. */
#define FORMAT_VERSION 1
/* One line of text: longer answers belong in a long_text question. */
#define SHORT_TEXT_MAX 500
#define LONG_TEXT_MAX 100000
#define YEAR_MIN_DEFAULT VW_VALIDATE_YEAR_MIN

typedef struct
{
  char *nl;
  char *en;
} Text;

struct _VwModule
{
  char          *id;
  Text           title;
  Text           intro;
  char          *purpose;
  VwRoundsKind   rounds_kind;
  GStrv          rounds;
  GPtrArray     *questions; /* VwQuestion*, borrowed from the questionnaire */
};

struct _VwQuestion
{
  char             *id;
  char             *path;     /* where it is in the file, for messages */
  VwModule         *module;   /* borrowed */
  guint             index;    /* in questionnaire order */
  VwQuestionType    type;
  Text              label;
  Text              help;
  gboolean          required;
  gboolean          note;
  VwQuestionScope   scope;
  VwExpr           *relevant; /* owned, nullable */
  gsize             relevant_offset;
  const VwCodeList *codes;    /* borrowed from the questionnaire or the codebook */
  gboolean          has_min;
  gboolean          has_max;
  double            min;
  double            max;
  gboolean          decimals;
  GArray           *prompts;  /* of Text */
  GPtrArray        *depends;  /* VwQuestion* its condition refers to, borrowed */
};

struct _VwQuestionnaire
{
  GObject     parent_instance;

  char       *id;
  char       *version;
  char       *hash;          /* SHA-256 of canonical, hex */
  char       *canonical;
  Text        title;
  Text        description;
  GPtrArray  *modules;       /* owned VwModule* */
  GPtrArray  *questions;     /* owned VwQuestion*, in questionnaire order */
  GHashTable *question_index; /* id -> VwQuestion*, borrowed */
  GHashTable *module_index;   /* id -> VwModule*, borrowed */
  GHashTable *code_lists;    /* name -> VwCodeList*, owned: the questionnaire's own */
  VwCodebook *codebook;      /* owned reference */
};

static const char *type_names[] = {
  "single_choice", "multiple_choice", "yes_no", "number", "year", "month", "date",
  "short_text", "long_text", "grade", "residence_history", NULL,
};


static inline void
text_clear (Text *text)
{
  g_clear_pointer (&text->nl, g_free);
  g_clear_pointer (&text->en, g_free);
}

static inline gboolean
is_json_type (JsonNode *node,
              GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static inline JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_member (object, name) : NULL;
}

static inline gboolean
matches (const char *pattern,
         const char *value)
{
  return g_regex_match_simple (pattern, value, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT);
}

G_END_DECLS
