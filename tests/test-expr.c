/* The skip-logic language: grouping, every operator, unanswered
 * questions, unknown names and error positions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <pthread.h>

#include "vw-core.h"

static const char *
lookup_table (const char *name,
              gpointer    user_data)
{
  return g_hash_table_lookup (user_data, name);
}

/* Answers as "name=value" pairs separated by "|"; "name=" is empty. */
static GHashTable *
answers_new (const char *spec)
{
  GHashTable *answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit (spec, "|", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');

      if (pairs[i][0] == '\0')
        continue;
      g_assert_nonnull (eq);
      g_hash_table_insert (answers, g_strndup (pairs[i], eq - pairs[i]), g_strdup (eq + 1));
    }
  return answers;
}

static gboolean
eval (const char *text,
      const char *answers_spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExpr) expr = vw_expr_parse (text, NULL, &error);
  g_autoptr(GHashTable) answers = answers_new (answers_spec);

  g_assert_no_error (error);
  g_assert_nonnull (expr);
  return vw_expr_evaluate (expr, lookup_table, answers);
}

static void
test_expr_precedence (void)
{
  /* The written-back form keeps only the parentheses that precedence
   * needs: which ones go shows how the parser grouped the text. */
  static const struct { const char *text; const char *grouped; } cases[] = {
    { "(a = 1 and b = 2) or c = 3", "a = 1 and b = 2 or c = 3" },
    { "a = 1 or (b = 2 and c = 3)", "a = 1 or b = 2 and c = 3" },
    { "(a = 1 or b = 2) and c = 3", "(a = 1 or b = 2) and c = 3" },
    { "a = 1 and (b = 2 or c = 3)", "a = 1 and (b = 2 or c = 3)" },
    { "(not a = 1) and b = 2", "not a = 1 and b = 2" },
    { "not (a = 1 and b = 2)", "not (a = 1 and b = 2)" },
    { "not (a = 1) or not (b = 2)", "not a = 1 or not b = 2" },
    { "(a = 1 or b = 2) or c = 3", "a = 1 or b = 2 or c = 3" },
    { "a = 1 or (b = 2 or c = 3)", "a = 1 or (b = 2 or c = 3)" },
    { "not not a = 1", "not not a = 1" },
    { "((answered(a)))", "answered(a)" },
    { "answered(a) and selected(b, 'x') or c in ('p', 2)",
      "answered(a) and selected(b, 'x') or c in ('p', 2)" },
    { "a not in ('x')  and  b >= -2.5", "a not in ('x') and b >= -2.5" },
    { "a = 'it''s'", NULL },
    { "a = \"say \\\"hi\\\"\" or b = 'it\\'s'", "a = 'say \"hi\"' or b = 'it\\'s'" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VwExpr) expr = vw_expr_parse (cases[i].text, NULL, &error);
      g_autofree char *text = NULL;
      g_autoptr(VwExpr) again = NULL;
      g_autofree char *text_again = NULL;

      if (cases[i].grouped == NULL)
        {
          g_assert_null (expr);
          g_assert_error (error, VW_EXPR_ERROR, VW_EXPR_ERROR_SYNTAX);
          continue;
        }
      g_assert_no_error (error);
      text = vw_expr_to_string (expr);
      g_assert_cmpstr (text, ==, cases[i].grouped);
      g_assert_cmpstr (vw_expr_get_text (expr), ==, cases[i].text);

      /* The written-back form parses to the same tree. */
      again = vw_expr_parse (text, NULL, &error);
      g_assert_no_error (error);
      text_again = vw_expr_to_string (again);
      g_assert_cmpstr (text_again, ==, text);
    }

  /* Grouping changes the result, not only the text. */
  g_assert_true (eval ("a = 1 or b = 2 and c = 3", "a=1|b=0|c=0"));
  g_assert_false (eval ("(a = 1 or b = 2) and c = 3", "a=1|b=0|c=0"));
  g_assert_false (eval ("not a = 1 and b = 2", "a=1|b=2"));
  g_assert_true (eval ("not (a = 1 and b = 2)", "a=1|b=0"));
}

static void
test_expr_operators (void)
{
  static const struct { const char *text; const char *answers; gboolean expected; } cases[] = {
    { "q = 'mo'", "q=mo", TRUE },
    { "q = 'mo'", "q=bw", FALSE },
    { "q != 'mo'", "q=bw", TRUE },
    { "q != 'mo'", "q=mo", FALSE },
    { "q < 5", "q=4", TRUE },
    { "q < 5", "q=5", FALSE },
    { "q <= 5", "q=5", TRUE },
    { "q <= 5", "q=6", FALSE },
    { "q > 5", "q=6", TRUE },
    { "q > 5", "q=5", FALSE },
    { "q >= 5", "q=5", TRUE },
    { "q >= 5", "q=4", FALSE },
    { "q >= -1.5", "q=-1.5", TRUE },
    { "q < -1", "q=-1.5", TRUE },
    { "m >= '2020-01'", "m=2021-06", TRUE },
    { "m < '2020-01'", "m=2019-12", TRUE },
    { "m < '2020-01'", "m=2020-01", FALSE },
    { "a = 1 and b = 2", "a=1|b=2", TRUE },
    { "a = 1 and b = 2", "a=1|b=3", FALSE },
    { "a = 1 or b = 2", "a=0|b=2", TRUE },
    { "a = 1 or b = 2", "a=0|b=0", FALSE },
    { "not a = 1", "a=2", TRUE },
    { "not a = 1", "a=1", FALSE },
    { "r in ('mo', 'bw')", "r=bw", TRUE },
    { "r in ('mo', 'bw')", "r=straat", FALSE },
    { "r not in ('mo', 'bw')", "r=straat", TRUE },
    { "r not in ('mo', 'bw')", "r=mo", FALSE },
    { "g in (7, 8)", "g=8", TRUE },
    { "g in (7, 8)", "g=9", FALSE },
    { "answered(q)", "q=x", TRUE },
    { "selected(p, 'cat')", "p=[\"dog\",\"cat\"]", TRUE },
    { "selected(p, 'cat')", "p=[\"dog\"]", FALSE },
    { "selected(p, 'cat')", "p=[]", FALSE },
    /* Not a JSON array: nothing is selected. */
    { "selected(p, 'cat')", "p=cat", FALSE },
    { "selected(p, 'cat')", "p=[\"cat\"", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s with %s", cases[i].text, cases[i].answers);
      g_assert_cmpint (eval (cases[i].text, cases[i].answers), ==, cases[i].expected);
    }
}

static void
test_expr_unanswered (void)
{
  /* Unanswered is NULL (no answer) or "" (an emptied answer): every
   * comparison is false, including != and not in; answered() is false;
   * `not` turns a false comparison into true. */
  static const char *answers[] = { "", "q=" };
  static const struct { const char *text; gboolean expected; } cases[] = {
    { "q = 'x'", FALSE },
    { "q != 'x'", FALSE },
    { "q < 3", FALSE },
    { "q <= 3", FALSE },
    { "q > 3", FALSE },
    { "q >= 3", FALSE },
    { "q in ('x', 'y')", FALSE },
    { "q not in ('x', 'y')", FALSE },
    { "answered(q)", FALSE },
    { "not answered(q)", TRUE },
    { "selected(q, 'x')", FALSE },
    { "not q = 'x'", TRUE },
    { "not q != 'x'", TRUE },
  };

  for (gsize a = 0; a < G_N_ELEMENTS (answers); a++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_test_message ("%s with “%s”", cases[i].text, answers[a]);
        g_assert_cmpint (eval (cases[i].text, answers[a]), ==, cases[i].expected);
      }
}

static void
test_expr_numbers_and_strings (void)
{
  /* A number literal compares numerically, a quoted literal as text. */
  g_assert_true (eval ("q = 10", "q=10.0"));
  g_assert_false (eval ("q = '10'", "q=10.0"));
  g_assert_false (eval ("q < 9", "q=10"));
  g_assert_true (eval ("q < '9'", "q=10"));
  g_assert_true (eval ("q > 9", "q=10"));
  g_assert_true (eval ("q in (1, 10)", "q=10.00"));
  /* Text that is not a number never equals a number, nor differs from it. */
  g_assert_false (eval ("q = 3", "q=three"));
  g_assert_false (eval ("q != 3", "q=three"));
  g_assert_false (eval ("q != 3", "q=3 "));
  g_assert_false (eval ("q > 3", "q=4x"));
}

static void
test_expr_unknown_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExpr) expr = NULL;

  /* Names are resolved by the questionnaire loader, not the parser; at
   * evaluation an unknown name is simply unanswered. */
  expr = vw_expr_parse ("no_such_question = 'x' or answered(other)", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (eval ("no_such_question = 'x' or answered(other)", "q=x"));
  g_assert_true (eval ("not answered(no_such_question)", "q=x"));

  /* Keywords are not names. */
  g_clear_pointer (&expr, vw_expr_free);
  expr = vw_expr_parse ("and = 'x'", NULL, &error);
  g_assert_error (error, VW_EXPR_ERROR, VW_EXPR_ERROR_SYNTAX);
  g_assert_null (expr);
  g_assert_true (vw_expr_is_keyword ("selected"));
  g_assert_false (vw_expr_is_keyword ("debts"));
}

static void
test_expr_parse_errors (void)
{
  static const struct { const char *text; gsize offset; const char *message; } cases[] = {
    { "", 0, "ends too early" },
    { "debts = ", 8, "expected a value" },
    { "debts 'ja'", 6, "expected a comparison" },
    { "debts == 'ja'", 7, "expected a value" },
    { "debts = 'ja", 8, "no closing quote" },
    { "debts = 'ja' and", 16, "ends too early" },
    { "debts = 'ja' or or x = 1", 16, "expected a question id" },
    { "(debts = 'ja'", 13, "expected “)”" },
    { "debts = 'ja')", 12, "expected “and”, “or” or the end" },
    { "debts = 'ja' x = 1", 13, "expected “and”, “or” or the end" },
    { "r in 'mo'", 5, "expected “(”" },
    { "r in ('mo' 'bw')", 11, "expected “,” or “)”" },
    { "r in ()", 6, "expected a value" },
    { "r not ('mo')", 6, "expected “in” after “not”" },
    { "selected(p)", 10, "expected “,”" },
    { "selected(p, 3)", 12, "expected a code in quotes" },
    { "answered p", 9, "expected “(”" },
    { "answered(3)", 9, "expected a question id" },
    { "q = 1.2.3", 4, "a number may only contain" },
    { "q = 12abc", 4, "a number may only contain" },
    { "q = 1 & r = 2", 6, "unexpected character" },
    { "q = 1 é", 6, "unexpected character" },
    { "'x' = q", 0, "expected a question id" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VwExpr) expr = NULL;
      gsize offset = G_MAXSIZE;

      g_test_message ("“%s”", cases[i].text);
      expr = vw_expr_parse (cases[i].text, &offset, &error);
      g_assert_null (expr);
      g_assert_error (error, VW_EXPR_ERROR, VW_EXPR_ERROR_SYNTAX);
      g_assert_cmpuint (offset, ==, cases[i].offset);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_expr_depth (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExpr) expr = NULL;
  gsize offset = 0;

  for (int i = 0; i < VW_EXPR_MAX_DEPTH - 1; i++)
    g_string_append_c (ok, '(');
  g_string_append (ok, "q = 1");
  for (int i = 0; i < VW_EXPR_MAX_DEPTH - 1; i++)
    g_string_append_c (ok, ')');
  expr = vw_expr_parse (ok->str, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (expr);

  /* Deeper nesting is refused instead of exhausting the stack. */
  for (int i = 0; i < 10000; i++)
    g_string_append (deep, "not (");
  g_clear_pointer (&expr, vw_expr_free);
  expr = vw_expr_parse (deep->str, &offset, &error);
  g_assert_null (expr);
  g_assert_error (error, VW_EXPR_ERROR, VW_EXPR_ERROR_TOO_DEEP);
  g_assert_cmpuint (offset, >, 0);
}

/* Found by the fuzzer: a long flat `or` chain parses, and its written
 * form must parse again (it used to be nested one level per operand). */
static void
test_expr_long_chains (void)
{
  g_autoptr(GString) chain = g_string_new ("q = 0");
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExpr) expr = NULL;
  g_autoptr(VwExpr) again = NULL;
  g_autofree char *written = NULL;

  for (int i = 1; i < 200; i++)
    g_string_append_printf (chain, i % 3 ? " or q = %d" : " and not q = %d", i);
  expr = vw_expr_parse (chain->str, NULL, &error);
  g_assert_no_error (error);
  written = vw_expr_to_string (expr);
  g_assert_cmpstr (written, ==, chain->str);
  again = vw_expr_parse (written, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

/* A forged invitation: a condition of 90,000 terms (and every other
 * shape that grows without nesting) must be refused with an error, never
 * overflow the stack. On the code before, the `or` chain became a tree
 * 90,000 levels deep and walking it crashed. */
typedef struct
{
  const char  *what;
  const char  *head;    /* written once */
  const char  *repeat;  /* written @count times */
  const char  *tail;    /* written once */
  guint        count;
  VwExprError  code;
} Shape;

static const Shape refused_shapes[] = {
  { "or chain", "q = 'x'", " or q = 'x'", "", 90000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "and chain", "q = 'x'", " and q = 'x'", "", 90000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "mixed chain", "q = 1", " and q = 2 or q = 3", "", 50000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "answered chain", "answered(q)", " or answered(q)", "", 90000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "negated chain", "not q = 1", " or not q = 1", "", 90000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "chain in parentheses", "(q = 1", " or q = 1", ")", 90000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "long list", "q in ('a'", ", 'a'", ")", 200000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "long not-in list", "q not in (1", ", 2", ")", 200000, VW_EXPR_ERROR_TOO_COMPLEX },
  { "not not not", "", "not ", "q = 1", 200000, VW_EXPR_ERROR_TOO_DEEP },
  { "parentheses", "", "(", "q = 1", 200000, VW_EXPR_ERROR_TOO_DEEP },
  { "nested chains", "", "q = 1 or (", "q = 1", 100000, VW_EXPR_ERROR_TOO_DEEP },
  { "long argument list", "selected(q, 'a'", ", 'a'", ")", 200000, VW_EXPR_ERROR_SYNTAX },
};

static char *
build_shape (const char *head,
             const char *repeat,
             const char *tail,
             guint       count)
{
  GString *text = g_string_new (head);

  for (guint i = 0; i < count; i++)
    g_string_append (text, repeat);
  g_string_append (text, tail);
  return g_string_free (text, FALSE);
}

static void
test_expr_shapes_refused (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (refused_shapes); i++)
    {
      const Shape *shape = &refused_shapes[i];
      g_autofree char *text = build_shape (shape->head, shape->repeat, shape->tail, shape->count);
      g_autoptr(GError) error = NULL;
      g_autoptr(VwExpr) expr = NULL;
      gsize offset = 0;

      g_test_message ("%s: %zu bytes", shape->what, strlen (text));
      expr = vw_expr_parse (text, &offset, &error);
      g_assert_null (expr);
      g_assert_error (error, VW_EXPR_ERROR, (int) shape->code);
      g_assert_cmpuint (offset, >, 0);
      g_assert_cmpuint (offset, <, strlen (text));
      if (shape->code == VW_EXPR_ERROR_TOO_COMPLEX)
        g_assert_nonnull (strstr (error->message, "more than 1000 terms"));
    }
}

/* The largest conditions the limits let through, parsed, evaluated,
 * walked, written back and freed on a thread with a small stack: what is
 * accepted cannot exhaust a stack either, whatever its shape. */
typedef struct
{
  const char *text;
  const char *answer;   /* of q */
  gboolean    expected;
  guint       references;
} Accepted;

static void
count_reference (const VwExprReference *ref,
                 gpointer               user_data)
{
  (*(guint *) user_data)++;
}

static const char *
lookup_q (const char *name,
          gpointer    user_data)
{
  return g_str_equal (name, "q") ? user_data : NULL;
}

static gpointer
run_accepted (gpointer data)
{
  GPtrArray *cases = data;

  for (guint i = 0; i < cases->len; i++)
    {
      const Accepted *c = g_ptr_array_index (cases, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(VwExpr) expr = vw_expr_parse (c->text, NULL, &error);
      g_autoptr(VwExpr) again = NULL;
      g_autofree char *written = NULL;
      guint references = 0;

      g_assert_no_error (error);
      g_assert_cmpint (vw_expr_evaluate (expr, lookup_q, (gpointer) c->answer), ==, c->expected);
      vw_expr_foreach_reference (expr, count_reference, &references);
      g_assert_cmpuint (references, ==, c->references);
      written = vw_expr_to_string (expr);
      again = vw_expr_parse (written, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (vw_expr_evaluate (again, lookup_q, (gpointer) c->answer), ==, c->expected);
    }
  return NULL;
}

static void
test_expr_shapes_accepted (void)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();
  Accepted accepted[6];
  pthread_attr_t attr;
  pthread_t thread;
  GString *nested = g_string_new (NULL);
  char *text;

  /* 1000 terms, the limit: the last one decides. */
  text = build_shape ("q = 0", " or q = 0", " or q = 1", VW_EXPR_MAX_TERMS - 2);
  accepted[0] = (Accepted) { text, "1", TRUE, VW_EXPR_MAX_TERMS };
  g_ptr_array_add (texts, text);
  text = build_shape ("q != 0", " and q != 0", " and q != 1", VW_EXPR_MAX_TERMS - 2);
  accepted[1] = (Accepted) { text, "1", FALSE, VW_EXPR_MAX_TERMS };
  g_ptr_array_add (texts, text);
  text = build_shape ("q in ('x'", ", 'x'", ", 'y')", VW_EXPR_MAX_TERMS - 2);
  accepted[2] = (Accepted) { text, "y", TRUE, VW_EXPR_MAX_TERMS };
  g_ptr_array_add (texts, text);
  /* As deep as allowed: 31 `not`s around a comparison. */
  text = build_shape ("", "not ", "q = 1", VW_EXPR_MAX_DEPTH - 1);
  accepted[3] = (Accepted) { text, "1", FALSE, 1 };
  g_ptr_array_add (texts, text);
  /* As deep as allowed, each level a chain. */
  for (int d = 0; d < VW_EXPR_MAX_DEPTH - 1; d++)
    g_string_append (nested, "q = 0 or not q = 1 and (");
  g_string_append (nested, "q = 2");
  for (int d = 0; d < VW_EXPR_MAX_DEPTH - 1; d++)
    g_string_append_c (nested, ')');
  text = g_string_free (nested, FALSE);
  accepted[4] = (Accepted) { text, "2", TRUE, 2 * (VW_EXPR_MAX_DEPTH - 1) + 1 };
  g_ptr_array_add (texts, text);
  /* A chain whose first operand is a chain in parentheses joins it. */
  text = build_shape ("((q = 0 or q = 0)", " or q = 0", ") or q = 3", 500);
  accepted[5] = (Accepted) { text, "3", TRUE, 503 };
  g_ptr_array_add (texts, text);
  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    g_ptr_array_add (cases, &accepted[i]);

  g_assert_cmpint (pthread_attr_init (&attr), ==, 0);
  g_assert_cmpint (pthread_attr_setstacksize (&attr, 256 * 1024), ==, 0);
  g_assert_cmpint (pthread_create (&thread, &attr, run_accepted, cases), ==, 0);
  g_assert_cmpint (pthread_join (thread, NULL), ==, 0);
  pthread_attr_destroy (&attr);
}

static void
collect_reference (const VwExprReference *ref,
                   gpointer               user_data)
{
  GString *out = user_data;

  g_string_append_printf (out, "%s@%" G_GSIZE_FORMAT ":%d:%s%s@%" G_GSIZE_FORMAT ";",
                          ref->name, ref->name_offset, ref->use,
                          ref->literal_is_number ? "#" : "", ref->literal ? ref->literal : "-",
                          ref->literal ? ref->literal_offset : 0);
  if (ref->ordered)
    g_string_append (out, "<;");
}

static void
test_expr_references (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExpr) expr = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  expr = vw_expr_parse ("a = 'x' or b in (1, 'y') and not answered(c) or selected(d, 'z') or e < 3",
                        NULL, &error);
  g_assert_no_error (error);
  vw_expr_foreach_reference (expr, collect_reference, out);
  g_assert_cmpstr (out->str, ==,
                   "a@0:0:x@4;b@11:0:#1@17;b@11:0:y@20;c@42:1:-@0;d@57:2:z@60;e@68:0:#3@72;<;");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/expr/precedence", test_expr_precedence);
  g_test_add_func ("/expr/operators", test_expr_operators);
  g_test_add_func ("/expr/unanswered", test_expr_unanswered);
  g_test_add_func ("/expr/numbers-and-strings", test_expr_numbers_and_strings);
  g_test_add_func ("/expr/unknown-names", test_expr_unknown_names);
  g_test_add_func ("/expr/parse-errors", test_expr_parse_errors);
  g_test_add_func ("/expr/depth", test_expr_depth);
  g_test_add_func ("/expr/long-chains", test_expr_long_chains);
  g_test_add_func ("/expr/shapes/refused", test_expr_shapes_refused);
  g_test_add_func ("/expr/shapes/accepted", test_expr_shapes_accepted);
  g_test_add_func ("/expr/references", test_expr_references);

  return g_test_run ();
}
