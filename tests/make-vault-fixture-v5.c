/* Makes tests/data/vault-v5-exchange.vault: a vault of schema 5 with the
 * exchange's state as that schema kept it, for the migration test of
 * schema 6 (test-exchange-trust.c, /exchange-trust/migrate-v5). It was
 * run once, with the build of schema 5; the fixture is data, never made
 * again over itself:
 *
 *   build/tests/make-vault-fixture-v5 tests/data/vault-v5-exchange.vault
 *
 * The vault is the coordinator of study "Den Haag 2026" (rounds T0, T1),
 * which merged one submission of duo-noord and one of duo-zuid: duo-noord
 * handed Anna over to duo-zuid and both changed her T0 "debts"
 * differently, so one answer is in conflict, and the rows carry the
 * duos' own device ids (table exchange_devices names their signers). It
 * is also a duo of a second study ("Tweede", coordinated elsewhere) in
 * which it made Bea, submitted once, and changed one answer after that
 * submission. The passphrase is VW_TEST_PASSPHRASE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static void
add_quote_and_episode (VwTestStudy *w,
                       const char  *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = vw_vault_find_interview (w->duo1, w->study, code, "T0", &error);
  g_autofree char *quote = NULL;
  g_autofree char *episode = NULL;
  VwEpisode e = { NULL, w->study, (char *) code, (char *) "2025-06", (char *) "2025-12", (char *) "nachtopvang",
                  NULL, NULL, 0 };

  g_assert_no_error (error);
  e.interview = iv->id;
  quote = vw_vault_add_quote (w->duo1, w->study, code, "T0", "debts", NULL, "fixture-v5 quote", &error);
  g_assert_no_error (error);
  episode = vw_vault_add_episode (w->duo1, &e, &error);
  g_assert_no_error (error);
  vw_vault_set_participant_value (w->duo1, w->study, code, "birth_year", "1971", &error);
  g_assert_no_error (error);
  vw_vault_save_note (w->duo1, iv->id, NULL, "fixture-v5 note", &error);
  g_assert_no_error (error);
  vw_vault_set_consent (w->duo1, w->study, code, "T0", "research", "ja", "2026-02-10", &error);
  g_assert_no_error (error);
}

/* The fixture joins a second study as a duo, submits, then changes one
 * answer: schema 6 must send that answer, and only that one, next. */
static void
second_study (VwTestStudy *w)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (w->dir, "tweede.vault", NULL);
  g_autofree char *invitation = g_build_filename (w->dir, "tweede.invitation", NULL);
  g_autofree char *submission = g_build_filename (w->dir, "tweede.submission", NULL);
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(VwVault) other = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *recipient = NULL, *signing = NULL, *other_signing = NULL, *other_recipient = NULL;
  g_autofree char *device = NULL, *joined = NULL, *id = NULL;
  VwVaultCreateOptions options = { 0 };

  options.device_label = "tweede coordinator";
  options.study_name = "Tweede";
  options.study_region = "FL";
  options.study_role = VW_STUDY_ROLE_COORDINATOR;
  other = vw_vault_create (path, passphrase, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  studies = vw_vault_list_studies (other, &error);
  g_assert_no_error (error);
  other_recipient = vw_vault_get_age_recipient (other, &error);
  g_assert_no_error (error);
  vw_study_add_recipient (other, ((VwStudy *) g_ptr_array_index (studies, 0))->id, other_recipient, &error);
  g_assert_no_error (error);
  recipient = vw_vault_get_age_recipient (w->coord, &error);
  signing = vw_vault_get_signing_key (w->coord, &error);
  other_signing = vw_vault_get_signing_key (other, &error);
  g_assert_no_error (error);
  device = vw_study_add_device (other, ((VwStudy *) g_ptr_array_index (studies, 0))->id, "fixture", recipient,
                                signing, &error);
  g_assert_no_error (error);
  vw_study_write_invitation (other, ((VwStudy *) g_ptr_array_index (studies, 0))->id, device, invitation, &error);
  g_assert_no_error (error);
  joined = vw_study_join (w->coord, invitation, other_signing, &error);
  g_assert_no_error (error);

  p = vw_vault_create_participant (w->coord, joined, NULL, "Bea", "FL", &error);
  g_assert_no_error (error);
  iv = vw_vault_start_interview (w->coord, joined, p->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vw_vault_save_answer (w->coord, iv->id, "residence", "mo", &error);
  vw_vault_save_answer (w->coord, iv->id, "debts", "nee", &error);
  g_assert_no_error (error);
  /* Times have whole seconds: the submission is later than every row,
   * and the change after it later than the submission. */
  g_usleep (1100 * 1000);
  vw_exchange_write_submission (w->coord, joined, submission, FALSE, &id, &error);
  g_assert_no_error (error);
  g_usleep (1100 * 1000);
  vw_vault_save_answer (w->coord, iv->id, "debts", "ja", &error);
  g_assert_no_error (error);
  vw_vault_close (other, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  VwTestStudy w = { 0 };
  VwTestConflict c = { 0 };
  g_autofree char *sub1 = NULL, *sub2 = NULL;

  if (argc != 2 || !vw_core_init (&error))
    {
      g_printerr ("usage: %s PATH\n", argv[0]);
      return 2;
    }
  if (g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s exists: the fixture is made once\n", argv[1]);
      return 1;
    }
  g_assert_cmpint (VW_VAULT_SCHEMA_VERSION, ==, 5);

  vw_test_study_init (&w);
  vw_test_study_conflict_submissions (&w, &c, &sub1, &sub2);
  /* Anna's quote, episode, value, note and consent travel too; duo-noord
   * submits again with them. */
  add_quote_and_episode (&w, c.anna);
  g_clear_pointer (&sub1, g_free);
  sub1 = vw_test_study_submit (&w, w.duo1, "noord2.submission");
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub1));
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub2));
  {
    g_autoptr(GPtrArray) open = vw_exchange_list_conflicts (w.coord, w.study, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 2);
  }
  second_study (&w);

  vw_vault_close (w.coord, &error);
  g_assert_no_error (error);
  g_clear_object (&w.coord);
  vw_test_copy_file (w.coord_path, argv[1]);
  vw_test_conflict_clear (&c);
  vw_test_study_clear (&w);
  return 0;
}
