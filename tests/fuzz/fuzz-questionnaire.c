/* libFuzzer target: the questionnaire loader on arbitrary bytes.
 *
 * Besides not crashing, every accepted file must survive its canonical
 * form (same hash when loaded again), and every refused one must say why.
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
  /* A mix of answered, unanswered and oddly answered questions. */
  switch (g_str_hash (name) % 5)
    {
    case 0: return NULL;
    case 1: return "ja";
    case 2: return "3";
    case 3: return "[\"geen\",\"mo\"]";
    default: return "2020-01";
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or a warning from GLib is a bug here too. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  /* One-time allocations (types, the codebook) before the leak check. */
  (void) vw_questionnaire_get_shipped ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) q = vw_questionnaire_new_from_bytes (bytes, "fuzz.json", &problems, &error);

  if (q == NULL)
    {
      if (error == NULL || problems == NULL || problems->len == 0)
        abort ();
      for (guint i = 0; i < problems->len; i++)
        {
          const VwQuestionnaireProblem *problem = g_ptr_array_index (problems, i);
          g_autofree char *line = vw_questionnaire_problem_to_string (problem, "fuzz.json");

          if (problem->line == 0 || problem->column == 0 || problem->message == NULL)
            abort ();
        }
      return 0;
    }

  {
    const char *canonical = vw_questionnaire_get_canonical_json (q);
    g_autoptr(GBytes) again_bytes = g_bytes_new_static (canonical, strlen (canonical));
    g_autoptr(GError) again_error = NULL;
    g_autoptr(VwQuestionnaire) again = vw_questionnaire_new_from_bytes (again_bytes, NULL, NULL, &again_error);

    if (again == NULL || !g_str_equal (vw_questionnaire_get_hash (again), vw_questionnaire_get_hash (q)))
      abort ();
  }

  for (guint i = 0; i < vw_questionnaire_get_n_questions (q); i++)
    {
      const VwQuestion *question = vw_questionnaire_get_question (q, i);

      vw_questionnaire_is_relevant (q, question, lookup_fixed, NULL);
      vw_question_validate_value (question, "ja", NULL);
      vw_question_validate_value (question, "[{\"residence\":\"mo\",\"start\":\"2020-01\",\"end\":null}]", NULL);
    }
  for (int first = 0; first < 2; first++)
    g_ptr_array_unref (vw_questionnaire_list_modules (q, "T4", first));

  return 0;
}
