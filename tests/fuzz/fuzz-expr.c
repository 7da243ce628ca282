/* libFuzzer target: the condition parser and evaluator.
 *
 * A parsed condition written back must parse to the same tree, and every
 * offset it reports must lie inside the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "vw-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *
lookup_fixed (const char *name,
              gpointer    user_data)
{
  switch (g_str_hash (name) % 5)
    {
    case 0: return NULL;
    case 1: return "";
    case 2: return "-1.5";
    case 3: return "[\"a\",\"b\"]";
    default: return "mo";
    }
}

static void
check_reference (const VwExprReference *ref,
                 gpointer               user_data)
{
  gsize len = GPOINTER_TO_SIZE (user_data);

  if (ref->name_offset >= len || (ref->literal != NULL && ref->literal_offset >= len))
    abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExpr) expr = NULL;
  g_autoptr(VwExpr) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *written_again = NULL;
  gsize offset = 0;

  expr = vw_expr_parse (text, &offset, &error);
  if (expr == NULL)
    {
      if (error == NULL || offset > strlen (text))
        abort ();
      return 0;
    }

  vw_expr_foreach_reference (expr, check_reference, GSIZE_TO_POINTER (strlen (text)));
  vw_expr_evaluate (expr, lookup_fixed, NULL);

  written = vw_expr_to_string (expr);
  again = vw_expr_parse (written, NULL, NULL);
  if (again == NULL)
    abort ();
  written_again = vw_expr_to_string (again);
  if (!g_str_equal (written, written_again))
    abort ();
  if (vw_expr_evaluate (expr, lookup_fixed, NULL) != vw_expr_evaluate (again, lookup_fixed, NULL))
    abort ();

  return 0;
}
