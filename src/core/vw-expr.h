/* vw-expr.h: the skip-logic language of questionnaires (`relevant`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VW_EXPR_ERROR (vw_expr_error_quark ())

typedef enum {
  VW_EXPR_ERROR_SYNTAX,
  VW_EXPR_ERROR_TOO_DEEP,
  VW_EXPR_ERROR_TOO_COMPLEX,
} VwExprError;

GQuark vw_expr_error_quark (void);

/* Expressions nest at most this deep (parentheses and `not`). Chains of
 * `and`/`or` do not nest: the tree is never deeper than this, so no
 * condition can exhaust the stack. */
#define VW_EXPR_MAX_DEPTH 32

/* And hold at most this many terms: comparisons, answered(), selected()
 * and the values of `in` lists, so that the time one costs has a bound. */
#define VW_EXPR_MAX_TERMS 1000

typedef struct _VwExpr VwExpr;

typedef enum {
  VW_EXPR_USE_COMPARE,  /* q = 'x', q < 3, q in ('a', 'b'): one call per literal */
  VW_EXPR_USE_ANSWERED, /* answered(q) */
  VW_EXPR_USE_SELECTED, /* selected(q, 'code') */
} VwExprUse;

/* One use of a question inside an expression, for load-time checks. */
typedef struct
{
  const char *name;
  gsize       name_offset;       /* byte offset in the expression text */
  VwExprUse   use;
  const char *literal;           /* decoded string or number text; NULL for answered() */
  gsize       literal_offset;
  gboolean    literal_is_number;
  gboolean    ordered;           /* <, <=, > or >= */
} VwExprReference;

/* Returns the current answer to @name in the encoding of
 * vw_question_validate_value(), or NULL (or "") when it is unanswered. */
typedef const char *(*VwExprLookupFunc)    (const char            *name,
                                            gpointer               user_data);
typedef void        (*VwExprReferenceFunc) (const VwExprReference *reference,
                                            gpointer               user_data);

VwExpr     *vw_expr_parse             (const char          *text,
                                       gsize               *error_offset,
                                       GError             **error);
void        vw_expr_free              (VwExpr              *expr);
gboolean    vw_expr_evaluate          (const VwExpr        *expr,
                                       VwExprLookupFunc     lookup,
                                       gpointer             user_data);
void        vw_expr_foreach_reference (const VwExpr        *expr,
                                       VwExprReferenceFunc  func,
                                       gpointer             user_data);
const char *vw_expr_get_text          (const VwExpr        *expr);
char       *vw_expr_to_string         (const VwExpr        *expr);
gboolean    vw_expr_is_keyword        (const char          *word);
GStrv       vw_expr_parse_code_array  (const char          *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwExpr, vw_expr_free)

G_END_DECLS
