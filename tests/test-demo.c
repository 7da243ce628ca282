/* The demo study: what `veldwerk --demo` fills a vault with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vw-core.h"
#include "vw-test-util.h"

static void
test_demo_fill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "demo.vault", NULL);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) VW_DEMO_PASSPHRASE,
                                                       strlen (VW_DEMO_PASSPHRASE));
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GPtrArray) interviewers = NULL;
  const char *study;
  guint interviewed = 0, nonresponse = 0, paused = 0, episodes = 0;
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  vault = vw_demo_create (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (vw_vault_is_unlocked (vault));
  g_clear_object (&vault);

  /* Opened afresh with the passphrase the unlock page shows. */
  vault = vw_vault_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_unlock (vault, passphrase, NULL, &error));
  g_assert_no_error (error);

  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, ==, 1);
  study = ((VwStudy *) g_ptr_array_index (studies, 0))->id;
  g_assert_nonnull (((VwStudy *) g_ptr_array_index (studies, 0))->questionnaire_id);

  rounds = vw_vault_list_rounds (vault, study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, VW_DEMO_N_ROUNDS);
  g_assert_cmpstr (((VwRound *) g_ptr_array_index (rounds, 2))->label, ==, "T2");

  interviewers = vw_vault_list_interviewers (vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (interviewers->len, ==, 2);

  people = vw_vault_list_participants (vault, study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, VW_DEMO_N_PARTICIPANTS);

  for (guint i = 0; i < people->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (people, i);
      g_autoptr(GPtrArray) ivs = vw_vault_list_interviews (vault, study, p->code, NULL, &error);
      g_autoptr(GPtrArray) eps = vw_vault_list_episodes (vault, study, p->code, &error);
      g_autofree char *birth = vw_vault_get_participant_value (vault, study, p->code, "birth_year", &error);

      g_assert_no_error (error);
      g_assert_true (vw_participant_code_is_valid (p->code));
      g_assert_cmpuint (strlen (birth), ==, 4);
      episodes += eps->len;
      for (guint j = 0; j < ivs->len; j++)
        {
          VwInterview *iv = g_ptr_array_index (ivs, j);

          if (g_strcmp0 (iv->status, "interviewed") == 0)
            {
              g_autofree char *residence = vw_vault_get_answer (vault, iv->id, "residence", &error);
              g_assert_no_error (error);
              g_assert_nonnull (residence);
              g_assert_cmpint (iv->state, ==, VW_INTERVIEW_FINISHED);
              interviewed++;
            }
          else if (iv->status != NULL)
            {
              g_assert_nonnull (iv->nonresponse_reason);
              g_assert_null (iv->questionnaire_id);
              g_hash_table_add (statuses, g_strdup (iv->status));
              nonresponse++;
            }
          else
            {
              g_assert_cmpint (iv->state, ==, VW_INTERVIEW_PAUSED);
              paused++;
            }
        }
    }
  g_assert_cmpuint (interviewed, ==, 24);
  g_assert_cmpuint (nonresponse, ==, 5);
  g_assert_cmpuint (paused, ==, 1);
  g_assert_cmpuint (episodes, ==, 4);
  /* Every kind of non-response the participant list shows. */
  g_assert_cmpuint (g_hash_table_size (statuses), ==, 5);

  quotes = vw_vault_list_quotes (vault, study, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quotes->len, ==, 5);

  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/demo/fill", test_demo_fill);

  return g_test_run ();
}
