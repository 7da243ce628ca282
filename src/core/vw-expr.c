/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "vw-expr.h"

G_DEFINE_QUARK (vw-expr-error-quark, vw_expr_error)

typedef enum {
  NODE_OR,
  NODE_AND,
  NODE_NOT,
  NODE_COMPARE,
  NODE_IN,
  NODE_ANSWERED,
  NODE_SELECTED,
} NodeKind;

typedef enum {
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
} CompareOp;

typedef struct
{
  char     *text;      /* owned: decoded string, or the number as written */
  gsize     offset;
  gboolean  is_number;
  double    number;
} Literal;

/* A chain `a or b or c` is one node with three operands, not a tree one
 * level deeper per operand: the tree is only as deep as the parentheses
 * and `not`s of the text, which VW_EXPR_MAX_DEPTH bounds, so no walk over
 * it (evaluating, freeing, writing back) can exhaust the stack whatever
 * the length of a chain. */
typedef struct _Node Node;
struct _Node
{
  NodeKind   kind;
  Node      *operand;  /* owned: NOT */
  GPtrArray *operands; /* owned, of Node, at least two: OR, AND */
  char      *name;     /* owned: COMPARE, IN, ANSWERED, SELECTED */
  gsize      name_offset;
  CompareOp  op;
  gboolean   negate;   /* IN: `not in` */
  GArray    *literals; /* owned, of Literal: COMPARE (one), IN, SELECTED (one) */
};

struct _VwExpr
{
  char *text;
  Node *root;
};

static const char *keywords[] = { "and", "or", "not", "in", "answered", "selected" };

gboolean
vw_expr_is_keyword (const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (g_strcmp0 (word, keywords[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
literal_clear (Literal *literal)
{
  g_free (literal->text);
}

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->operand);
  g_clear_pointer (&node->operands, g_ptr_array_unref);
  g_free (node->name);
  g_clear_pointer (&node->literals, g_array_unref);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  return node;
}

static GArray *
literal_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (Literal));

  g_array_set_clear_func (array, (GDestroyNotify) literal_clear);
  return array;
}

/* Tokens. */
typedef enum {
  TOK_END,
  TOK_NAME,
  TOK_STRING,
  TOK_NUMBER,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
  TOK_OP,
  TOK_ERROR,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  gsize      offset;
  gsize      end;
  char      *text;  /* owned: name, decoded string, number, operator */
} Token;

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  Token       token;       /* the current token */
  int         depth;
  guint       terms;
  gsize       error_offset;
  GError     *error;
} Parser;

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static void
fail (Parser     *p,
      gsize       offset,
      VwExprError code,
      const char *message)
{
  if (p->error != NULL)
    return;
  p->error_offset = offset;
  p->error = g_error_new_literal (VW_EXPR_ERROR, code, message);
}

static void
next_token (Parser *p)
{
  const char *s = p->text;
  Token *t = &p->token;

  g_clear_pointer (&t->text, g_free);
  while (p->pos < p->len && g_ascii_isspace (s[p->pos]))
    p->pos++;
  t->offset = p->pos;

  if (p->pos >= p->len)
    {
      t->kind = TOK_END;
      t->end = p->pos;
      return;
    }

  if (is_name_start (s[p->pos]))
    {
      gsize start = p->pos;

      while (p->pos < p->len && is_name_char (s[p->pos]))
        p->pos++;
      t->kind = TOK_NAME;
      t->text = g_strndup (s + start, p->pos - start);
    }
  else if (g_ascii_isdigit (s[p->pos]) ||
           (s[p->pos] == '-' && p->pos + 1 < p->len && g_ascii_isdigit (s[p->pos + 1])))
    {
      gsize start = p->pos++;

      while (p->pos < p->len && g_ascii_isdigit (s[p->pos]))
        p->pos++;
      if (p->pos + 1 < p->len && s[p->pos] == '.' && g_ascii_isdigit (s[p->pos + 1]))
        {
          p->pos++;
          while (p->pos < p->len && g_ascii_isdigit (s[p->pos]))
            p->pos++;
        }
      if (p->pos < p->len && (is_name_char (s[p->pos]) || s[p->pos] == '.'))
        {
          t->kind = TOK_ERROR;
          fail (p, start, VW_EXPR_ERROR_SYNTAX,
                _("a number may only contain digits and one decimal point"));
          return;
        }
      t->kind = TOK_NUMBER;
      t->text = g_strndup (s + start, p->pos - start);
    }
  else if (s[p->pos] == '\'' || s[p->pos] == '"')
    {
      char quote = s[p->pos];
      gsize start = p->pos++;
      GString *value = g_string_new (NULL);

      for (;;)
        {
          if (p->pos >= p->len)
            {
              g_string_free (value, TRUE);
              t->kind = TOK_ERROR;
              fail (p, start, VW_EXPR_ERROR_SYNTAX, _("this text has no closing quote"));
              return;
            }
          if (s[p->pos] == quote)
            break;
          /* A backslash lets a quote or a backslash into the text. */
          if (s[p->pos] == '\\' && p->pos + 1 < p->len &&
              (s[p->pos + 1] == quote || s[p->pos + 1] == '\\'))
            p->pos++;
          g_string_append_c (value, s[p->pos]);
          p->pos++;
        }
      p->pos++;
      t->kind = TOK_STRING;
      t->text = g_string_free (value, FALSE);
    }
  else
    {
      static const char *ops[] = { "<=", ">=", "!=", "=", "<", ">" };
      static const char single[] = "(),";

      t->kind = TOK_ERROR;
      if (strchr (single, s[p->pos]) != NULL && s[p->pos] != '\0')
        {
          t->kind = s[p->pos] == '(' ? TOK_LPAREN : s[p->pos] == ')' ? TOK_RPAREN : TOK_COMMA;
          p->pos++;
        }
      else
        for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
          if (strncmp (s + p->pos, ops[i], strlen (ops[i])) == 0)
            {
              t->kind = TOK_OP;
              t->text = g_strdup (ops[i]);
              p->pos += strlen (ops[i]);
              break;
            }
      if (t->kind == TOK_ERROR)
        {
          fail (p, p->pos, VW_EXPR_ERROR_SYNTAX, _("unexpected character"));
          return;
        }
    }
  t->end = p->pos;
}

static gboolean
token_is_word (Parser     *p,
               const char *word)
{
  return p->token.kind == TOK_NAME && strcmp (p->token.text, word) == 0;
}

static gboolean
expect (Parser     *p,
        TokenKind   kind,
        const char *message)
{
  if (p->error != NULL)
    return FALSE;
  if (p->token.kind != kind)
    {
      fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX, message);
      return FALSE;
    }
  next_token (p);
  return p->error == NULL;
}

/* Counts one comparison, function or listed value against
 * VW_EXPR_MAX_TERMS, so that the work a condition costs has a bound. */
static gboolean
count_term (Parser *p,
            gsize   offset)
{
  if (p->error != NULL)
    return FALSE;
  if (++p->terms > VW_EXPR_MAX_TERMS)
    {
      /* Translators: %d is at least a thousand. */
      g_autofree char *message =
        g_strdup_printf (_("the condition is too complex: it has more than %d terms (comparisons, "
                           "functions and listed values); split it over several questions"),
                         VW_EXPR_MAX_TERMS);

      fail (p, offset, VW_EXPR_ERROR_TOO_COMPLEX, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_literal (Parser *p,
              GArray *literals)
{
  Literal literal = { 0 };

  if (p->error != NULL)
    return FALSE;
  if (p->token.kind != TOK_STRING && p->token.kind != TOK_NUMBER)
    {
      fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX,
            _("expected a value: a text in quotes or a number"));
      return FALSE;
    }
  literal.text = g_steal_pointer (&p->token.text);
  literal.offset = p->token.offset;
  literal.is_number = p->token.kind == TOK_NUMBER;
  if (literal.is_number)
    literal.number = g_ascii_strtod (literal.text, NULL);
  g_array_append_val (literals, literal);
  next_token (p);
  return p->error == NULL;
}

/* Reads the question name that a function or comparison starts with. */
static char *
read_name (Parser *p,
           gsize  *offset)
{
  char *name;

  if (p->error != NULL)
    return NULL;
  if (p->token.kind != TOK_NAME || vw_expr_is_keyword (p->token.text))
    {
      fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX, _("expected a question id"));
      return NULL;
    }
  *offset = p->token.offset;
  name = g_steal_pointer (&p->token.text);
  next_token (p);
  return name;
}

static Node *parse_or (Parser *p);

static Node *
parse_function (Parser *p)
{
  gboolean selected = token_is_word (p, "selected");
  Node *node = node_new (selected ? NODE_SELECTED : NODE_ANSWERED);

  if (!count_term (p, p->token.offset))
    goto error;
  next_token (p);
  if (!expect (p, TOK_LPAREN, _("expected “(” after the function name")))
    goto error;
  node->name = read_name (p, &node->name_offset);
  if (node->name == NULL)
    goto error;
  if (selected)
    {
      node->literals = literal_array_new ();
      if (!expect (p, TOK_COMMA, _("expected “,” and the code to look for")))
        goto error;
      if (p->token.kind != TOK_STRING)
        {
          fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX, _("expected a code in quotes"));
          goto error;
        }
      if (!read_literal (p, node->literals))
        goto error;
    }
  if (!expect (p, TOK_RPAREN, _("expected “)”")))
    goto error;
  return node;

error:
  node_free (node);
  return NULL;
}

static Node *
parse_comparison (Parser *p)
{
  static const struct { const char *text; CompareOp op; } ops[] = {
    { "=", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT }, { "<=", OP_LE }, { ">", OP_GT }, { ">=", OP_GE },
  };
  Node *node = node_new (NODE_COMPARE);
  gsize name_offset = p->token.offset;

  node->name = g_strdup (p->token.text);
  node->name_offset = name_offset;
  node->literals = literal_array_new ();
  next_token (p);
  if (p->error != NULL)
    goto error;

  if (token_is_word (p, "in") || token_is_word (p, "not"))
    {
      node->kind = NODE_IN;
      if (token_is_word (p, "not"))
        {
          node->negate = TRUE;
          next_token (p);
          if (p->error == NULL && !token_is_word (p, "in"))
            {
              fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX, _("expected “in” after “not”"));
              goto error;
            }
        }
      next_token (p);
      if (!expect (p, TOK_LPAREN, _("expected “(” and a list of values")))
        goto error;
      do
        {
          if (!count_term (p, p->token.offset) || !read_literal (p, node->literals))
            goto error;
        }
      while (p->token.kind == TOK_COMMA && (next_token (p), p->error == NULL));
      if (!expect (p, TOK_RPAREN, _("expected “,” or “)” in the list of values")))
        goto error;
      return node;
    }

  if (p->token.kind != TOK_OP)
    {
      fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX,
            _("expected a comparison (=, !=, <, <=, >, >=) or “in” after the question id"));
      goto error;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    if (strcmp (p->token.text, ops[i].text) == 0)
      node->op = ops[i].op;
  if (!count_term (p, name_offset))
    goto error;
  next_token (p);
  if (!read_literal (p, node->literals))
    goto error;
  return node;

error:
  node_free (node);
  return NULL;
}

static Node *
parse_unary (Parser *p)
{
  Node *node = NULL;

  if (p->error != NULL)
    return NULL;
  if (++p->depth > VW_EXPR_MAX_DEPTH)
    {
      fail (p, p->token.offset, VW_EXPR_ERROR_TOO_DEEP,
            _("the condition is nested too deeply"));
      return NULL;
    }

  if (token_is_word (p, "not"))
    {
      next_token (p);
      node = node_new (NODE_NOT);
      node->operand = parse_unary (p);
      if (node->operand == NULL)
        g_clear_pointer (&node, node_free);
    }
  else if (p->token.kind == TOK_LPAREN)
    {
      next_token (p);
      node = parse_or (p);
      if (node != NULL && !expect (p, TOK_RPAREN, _("expected “)” or “and”/“or”")))
        g_clear_pointer (&node, node_free);
    }
  else if (token_is_word (p, "answered") || token_is_word (p, "selected"))
    node = parse_function (p);
  else if (p->token.kind == TOK_NAME && !vw_expr_is_keyword (p->token.text))
    node = parse_comparison (p);
  else if (p->token.kind == TOK_END)
    fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX, _("the condition ends too early"));
  else if (p->token.kind != TOK_ERROR)
    fail (p, p->token.offset, VW_EXPR_ERROR_SYNTAX,
          _("expected a question id, “not”, “answered”, “selected” or “(”"));

  p->depth--;
  return node;
}

/* A chain of @word operands, read in a loop into one node: its length
 * costs no stack. */
static Node *
parse_binary (Parser     *p,
              NodeKind    kind,
              const char *word)
{
  Node *first = kind == NODE_OR ? parse_binary (p, NODE_AND, "and") : parse_unary (p);
  Node *chain;

  if (first == NULL || p->error != NULL || !token_is_word (p, word))
    return first;

  /* `(a or b) or c` is `a or b or c`: the operators are left-associative,
   * so a first operand of the same kind (only parentheses make one) joins
   * the chain. */
  if (first->kind == kind)
    chain = first;
  else
    {
      chain = node_new (kind);
      chain->operands = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
      g_ptr_array_add (chain->operands, first);
    }

  while (p->error == NULL && token_is_word (p, word))
    {
      Node *operand;

      next_token (p);
      operand = kind == NODE_OR ? parse_binary (p, NODE_AND, "and") : parse_unary (p);
      if (operand == NULL)
        {
          node_free (chain);
          return NULL;
        }
      g_ptr_array_add (chain->operands, operand);
    }

  return chain;
}

static Node *
parse_or (Parser *p)
{
  return parse_binary (p, NODE_OR, "or");
}

/**
 * vw_expr_parse:
 * @text: the condition, e.g. `debts = 'ja' and not answered(income)`
 * @error_offset: (out) (optional): on failure, the byte offset in @text
 *   where the problem is
 *
 * Parses a condition once into a tree. See data/questionnaires/README.md
 * for the language.
 *
 * Returns: (transfer full): the expression, or %NULL with @error set
 */
VwExpr *
vw_expr_parse (const char  *text,
               gsize       *error_offset,
               GError     **error)
{
  Parser p = { 0 };
  Node *root;
  VwExpr *expr;

  g_return_val_if_fail (text != NULL, NULL);

  p.text = text;
  p.len = strlen (text);
  next_token (&p);
  root = parse_or (&p);
  if (root != NULL && p.error == NULL && p.token.kind != TOK_END)
    fail (&p, p.token.offset, VW_EXPR_ERROR_SYNTAX,
          _("expected “and”, “or” or the end of the condition"));
  g_free (p.token.text);

  if (p.error != NULL)
    {
      node_free (root);
      if (error_offset != NULL)
        *error_offset = p.error_offset;
      g_propagate_error (error, p.error);
      return NULL;
    }

  expr = g_new0 (VwExpr, 1);
  expr->text = g_strdup (text);
  expr->root = root;
  return expr;
}

void
vw_expr_free (VwExpr *expr)
{
  if (expr == NULL)
    return;
  node_free (expr->root);
  g_free (expr->text);
  g_free (expr);
}

const char *
vw_expr_get_text (const VwExpr *expr)
{
  return expr->text;
}

/* Evaluation. */

/* Only the canonical decimal form counts as a number, as stored answers
 * are written (see vw_question_validate_value). */
static gboolean
parse_number (const char *value,
              double     *number)
{
  char *end = NULL;
  const char *s = value;

  if (*s == '-')
    s++;
  if (!g_ascii_isdigit (*s))
    return FALSE;
  *number = g_ascii_strtod (value, &end);
  return end != NULL && *end == '\0';
}

static gboolean
compare (const char    *value,
         CompareOp      op,
         const Literal *literal)
{
  int cmp;

  if (literal->is_number)
    {
      double number;

      if (!parse_number (value, &number))
        return FALSE;
      cmp = number < literal->number ? -1 : number > literal->number ? 1 : 0;
    }
  else
    cmp = strcmp (value, literal->text);

  switch (op)
    {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    case OP_GE: return cmp >= 0;
    default: g_assert_not_reached ();
    }
}

/**
 * vw_expr_parse_code_array:
 * @value: a multiple-choice answer, a JSON array of codes
 *
 * Returns: (transfer full) (nullable): the codes, or %NULL when @value is
 * not a JSON array of strings
 */
GStrv
vw_expr_parse_code_array (const char *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *root;
  JsonArray *array;

  if (value == NULL || !json_parser_load_from_data (parser, value, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static gboolean
evaluate (const Node       *node,
          VwExprLookupFunc  lookup,
          gpointer          user_data)
{
  const char *value = NULL;

  if (node->name != NULL)
    {
      value = lookup (node->name, user_data);
      /* Unanswered: answered() is false, and so is every comparison. */
      if (value != NULL && *value == '\0')
        value = NULL;
    }

  switch (node->kind)
    {
    case NODE_OR:
      for (guint i = 0; i < node->operands->len; i++)
        if (evaluate (g_ptr_array_index (node->operands, i), lookup, user_data))
          return TRUE;
      return FALSE;
    case NODE_AND:
      for (guint i = 0; i < node->operands->len; i++)
        if (!evaluate (g_ptr_array_index (node->operands, i), lookup, user_data))
          return FALSE;
      return TRUE;
    case NODE_NOT:
      return !evaluate (node->operand, lookup, user_data);
    case NODE_ANSWERED:
      return value != NULL;
    case NODE_COMPARE:
      return value != NULL && compare (value, node->op, &g_array_index (node->literals, Literal, 0));
    case NODE_IN:
      if (value == NULL)
        return FALSE;
      for (guint i = 0; i < node->literals->len; i++)
        if (compare (value, OP_EQ, &g_array_index (node->literals, Literal, i)))
          return !node->negate;
      return node->negate;
    case NODE_SELECTED:
      {
        g_auto(GStrv) codes = vw_expr_parse_code_array (value);

        return codes != NULL &&
               g_strv_contains ((const char * const *) codes,
                                g_array_index (node->literals, Literal, 0).text);
      }
    default:
      g_assert_not_reached ();
    }
}

/**
 * vw_expr_evaluate:
 * @lookup: gives the current answer of a question by id
 *
 * Returns: whether the condition holds for the current answers
 */
gboolean
vw_expr_evaluate (const VwExpr     *expr,
                  VwExprLookupFunc  lookup,
                  gpointer          user_data)
{
  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (lookup != NULL, FALSE);

  return evaluate (expr->root, lookup, user_data);
}

static void
foreach_reference (const Node          *node,
                   VwExprReferenceFunc  func,
                   gpointer             user_data)
{
  VwExprReference ref = { 0 };

  if (node->operand != NULL)
    foreach_reference (node->operand, func, user_data);
  for (guint i = 0; node->operands != NULL && i < node->operands->len; i++)
    foreach_reference (g_ptr_array_index (node->operands, i), func, user_data);
  if (node->name == NULL)
    return;

  ref.name = node->name;
  ref.name_offset = node->name_offset;
  ref.use = node->kind == NODE_ANSWERED ? VW_EXPR_USE_ANSWERED
            : node->kind == NODE_SELECTED ? VW_EXPR_USE_SELECTED : VW_EXPR_USE_COMPARE;
  ref.ordered = node->kind == NODE_COMPARE && node->op != OP_EQ && node->op != OP_NE;
  if (node->literals == NULL)
    {
      func (&ref, user_data);
      return;
    }
  for (guint i = 0; i < node->literals->len; i++)
    {
      const Literal *literal = &g_array_index (node->literals, Literal, i);

      ref.literal = literal->text;
      ref.literal_offset = literal->offset;
      ref.literal_is_number = literal->is_number;
      func (&ref, user_data);
    }
}

/**
 * vw_expr_foreach_reference:
 *
 * Calls @func for every use of a question in @expr, in text order, so a
 * loader can check names, types and codes before any interview.
 */
void
vw_expr_foreach_reference (const VwExpr        *expr,
                           VwExprReferenceFunc  func,
                           gpointer             user_data)
{
  g_return_if_fail (expr != NULL);

  foreach_reference (expr->root, func, user_data);
}

static void
append_literal (GString       *out,
                const Literal *literal)
{
  if (literal->is_number)
    {
      g_string_append (out, literal->text);
      return;
    }
  g_string_append_c (out, '\'');
  for (const char *c = literal->text; *c != '\0'; c++)
    {
      if (*c == '\'' || *c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '\'');
}

static int
precedence (const Node *node)
{
  switch (node->kind)
    {
    case NODE_OR: return 1;
    case NODE_AND: return 2;
    case NODE_NOT: return 3;
    default: return 4;
    }
}

/* Writes @node, in parentheses only when its precedence is below
 * @min_precedence: every parenthesis written stands for one in the source,
 * so the text never nests deeper than the condition it came from. */
static void
to_string (const Node *node,
           int         min_precedence,
           GString    *out)
{
  static const char *op_text[] = { "=", "!=", "<", "<=", ">", ">=" };
  gboolean parens = precedence (node) < min_precedence;

  if (parens)
    g_string_append_c (out, '(');
  switch (node->kind)
    {
    case NODE_OR:
    case NODE_AND:
      /* An operand of the same kind came from parentheses that were not
       * first in the chain (see parse_binary()) and keeps them. */
      for (guint i = 0; i < node->operands->len; i++)
        {
          if (i > 0)
            g_string_append (out, node->kind == NODE_OR ? " or " : " and ");
          to_string (g_ptr_array_index (node->operands, i), precedence (node) + 1, out);
        }
      break;
    case NODE_NOT:
      g_string_append (out, "not ");
      to_string (node->operand, precedence (node), out);
      break;
    case NODE_COMPARE:
      g_string_append_printf (out, "%s %s ", node->name, op_text[node->op]);
      append_literal (out, &g_array_index (node->literals, Literal, 0));
      break;
    case NODE_IN:
      g_string_append_printf (out, "%s %s (", node->name, node->negate ? "not in" : "in");
      for (guint i = 0; i < node->literals->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_literal (out, &g_array_index (node->literals, Literal, i));
        }
      g_string_append_c (out, ')');
      break;
    case NODE_ANSWERED:
      g_string_append_printf (out, "answered(%s)", node->name);
      break;
    case NODE_SELECTED:
      g_string_append_printf (out, "selected(%s, ", node->name);
      append_literal (out, &g_array_index (node->literals, Literal, 0));
      g_string_append_c (out, ')');
      break;
    default:
      g_assert_not_reached ();
    }
  if (parens)
    g_string_append_c (out, ')');
}

/**
 * vw_expr_to_string:
 *
 * Returns: (transfer full): the tree written back in a normal form:
 *   single quotes, single spaces, and only the parentheses that the
 *   precedence (not > and > or) needs; it parses to the same tree
 */
char *
vw_expr_to_string (const VwExpr *expr)
{
  GString *out = g_string_new (NULL);

  to_string (expr->root, 1, out);
  return g_string_free (out, FALSE);
}
