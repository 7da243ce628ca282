/* Residence histories: the checks of a list of stays, and the answer
 * mirrored into the episodes table in one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-core.h"
#include "vw-vault-history.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static GPtrArray *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *stays = vw_history_parse (json, &error);

  g_assert_no_error (error);
  return stays;
}

static void
test_history_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gaps = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) empty = parse ("");
  g_autoptr(GPtrArray) fine = parse ("[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"},"
                                     "{\"residence\":\"bw\",\"start\":\"2022-06\",\"end\":null}]");
  g_autoptr(GPtrArray) gap = parse ("[{\"residence\":\"mo\",\"start\":\"2021-01\",\"end\":\"2021-03\"},"
                                    "{\"residence\":\"bw\",\"start\":\"2021-05\",\"end\":\"2021-08\"},"
                                    "{\"residence\":\"straat\",\"start\":\"2022-01\",\"end\":null}]");
  g_autoptr(GPtrArray) overlap = parse ("[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"},"
                                        "{\"residence\":\"bw\",\"start\":\"2022-03\",\"end\":null}]");
  g_autoptr(GPtrArray) two_open = parse ("[{\"residence\":\"mo\",\"start\":\"2022-01\"},"
                                         "{\"residence\":\"bw\",\"start\":\"2023-03\",\"end\":null}]");
  g_autoptr(GPtrArray) backwards = parse ("[{\"residence\":\"mo\",\"start\":\"2022-05\",\"end\":\"2022-01\"}]");
  g_autoptr(GPtrArray) bad_code = parse ("[{\"residence\":\"castle\",\"start\":\"2022-05\",\"end\":null}]");
  g_autoptr(GPtrArray) bad_month = parse ("[{\"residence\":\"mo\",\"start\":\"2022-13\",\"end\":null}]");
  g_autoptr(GPtrArray) nothing = NULL;

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_true (vw_history_check (empty, &gaps, &error));
  g_assert_null (gaps);

  g_assert_cmpuint (fine->len, ==, 2);
  g_assert_true (vw_history_check (fine, &gaps, &error));
  g_assert_no_error (error);
  g_assert_null (gaps);
  json = vw_history_to_json (fine);
  g_assert_cmpstr (json, ==, "[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"},"
                             "{\"residence\":\"bw\",\"start\":\"2022-06\",\"end\":null}]");

  /* Gaps are allowed but named, one month or a range. */
  g_assert_true (vw_history_check (gap, &gaps, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gaps, ==, "nothing is known about 2021-04; nothing is known from 2021-09 to 2021-12");

  g_assert_false (vw_history_check (overlap, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "overlaps"));
  g_clear_error (&error);
  g_assert_false (vw_history_check (two_open, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_history_check (backwards, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Stay 1: end: the episode ends (2022-01) before it starts (2022-05)");
  g_clear_error (&error);
  g_assert_false (vw_history_check (bad_code, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_history_check (bad_month, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);

  nothing = vw_history_parse ("{\"residence\":\"mo\"}", &error);
  g_assert_null (nothing);
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  nothing = vw_history_parse ("[{\"residence\":\"mo\",\"start\":2022}]", &error);
  g_assert_null (nothing);
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
}

static guint
count_episodes (VwVault    *vault,
                const char *study,
                const char *code,
                const char *interview)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) episodes = vw_vault_list_episodes (vault, study, code, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < episodes->len; i++)
    if (g_strcmp0 (((VwEpisode *) g_ptr_array_index (episodes, i))->interview, interview) == 0)
      n++;
  return n;
}

static void
test_history_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-history-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "h.vault", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autofree char *other = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *interviewer = NULL;
  const char *first = "[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"},"
                      "{\"residence\":\"bw\",\"start\":\"2022-06\",\"end\":null}]";
  const char *second = "[{\"residence\":\"straat\",\"start\":\"2021-01\",\"end\":\"2021-12\"}]";
  VwEpisode own = { 0 };

  g_assert_no_error (error);
  vault = vw_test_create_vault (path, &study, NULL);
  p = vw_vault_create_participant (vault, study, NULL, "Kees", "DH", &error);
  g_assert_no_error (error);
  interviewer = vw_vault_add_interviewer (vault, "Sam", VW_INTERVIEWER_RESEARCHER, NULL, &error);
  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, study, p->code, "T0", "mo-bw-trajectory",
                                 vw_questionnaire_get_version (vw_questionnaire_get_shipped ()),
                                 interviewer, NULL, &error);
  g_assert_no_error (error);

  /* An episode that is not from this interview stays. */
  own.study = study;
  own.code = p->code;
  own.start = "2019-01";
  own.end = "2019-05";
  own.residence = "instelling";
  other = vw_vault_add_episode (vault, &own, &error);
  g_assert_no_error (error);

  g_assert_true (vw_vault_save_residence_history (vault, iv->id, "stays_last_five_years", first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_episodes (vault, study, p->code, iv->id), ==, 2);

  /* Saving again replaces this interview's episodes. */
  g_assert_true (vw_vault_save_residence_history (vault, iv->id, "stays_last_five_years", second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_episodes (vault, study, p->code, iv->id), ==, 1);
  g_assert_cmpuint (count_episodes (vault, study, p->code, NULL), ==, 1);

  /* An overlap is refused and changes nothing. */
  g_assert_false (vw_vault_save_residence_history (vault, iv->id, "stays_last_five_years",
                                                   "[{\"residence\":\"mo\",\"start\":\"2022-01\",\"end\":\"2022-06\"},"
                                                   "{\"residence\":\"bw\",\"start\":\"2022-03\",\"end\":null}]",
                                                   &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  /* So is an unknown interview. */
  g_assert_false (vw_vault_save_residence_history (vault, "nope", "stays_last_five_years", second, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);

  /* What a reopened vault holds. */
  vault = vw_test_open_vault (path);
  answer = vw_vault_get_answer (vault, iv->id, "stays_last_five_years", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, second);
  episodes = vw_vault_list_episodes (vault, study, p->code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (episodes->len, ==, 2);
  for (guint i = 0; i < episodes->len; i++)
    {
      VwEpisode *e = g_ptr_array_index (episodes, i);
      if (e->interview != NULL)
        {
          g_assert_cmpstr (e->residence, ==, "straat");
          g_assert_cmpstr (e->start, ==, "2021-01");
          g_assert_cmpstr (e->end, ==, "2021-12");
        }
      else
        g_assert_cmpstr (e->residence, ==, "instelling");
    }

  g_assert_true (vw_vault_close (vault, &error));
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/vault-history/check", test_history_check);
  g_test_add_func ("/vault-history/save", test_history_save);

  return g_test_run ();
}
