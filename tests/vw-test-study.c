/* vw-test-study.c: see vw-test-study.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static VwVault *
create (const char  *path,
        const char  *device,
        VwStudyRole  role)
{
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(GError) error = NULL;
  VwVaultCreateOptions options = { 0 };
  VwVault *vault;

  options.device_label = device;
  options.study_name = role == VW_STUDY_ROLE_COORDINATOR ? "Den Haag 2026" : "eigen";
  options.study_region = "DH";
  options.study_role = role;
  vault = vw_vault_create (path, passphrase, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  return vault;
}

/* Tells @vault about @other's keys, as `study add-device` does. */
static char *
add_device (VwVault    *vault,
            const char *study,
            VwVault    *other,
            const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient = vw_vault_get_age_recipient (other, &error);
  g_autofree char *signing = vw_vault_get_signing_key (other, &error);
  char *id;

  g_assert_no_error (error);
  id = vw_study_add_device (vault, study, label, recipient, signing, &error);
  g_assert_no_error (error);
  return id;
}

static void
enrol (VwTestStudy *w,
       VwVault     *duo,
       const char  *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *device = add_device (w->coord, w->study, duo, label);
  g_autofree char *invitation = g_strdup_printf ("%s/%s.invitation", w->dir, label);
  g_autofree char *coordinator_key = vw_vault_get_signing_key (w->coord, &error);
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  vw_study_write_invitation (w->coord, w->study, device, invitation, &error);
  g_assert_no_error (error);
  joined = vw_study_join (duo, invitation, coordinator_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (joined, ==, w->study);
}

void
vw_test_study_setup (VwTestStudy *w,
                     gboolean     introduce)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autofree char *recipient = NULL;
  gboolean has_t0 = FALSE;

  w->dir = g_dir_make_tmp ("vw-test-study-XXXXXX", &error);
  g_assert_no_error (error);
  w->coord_path = g_build_filename (w->dir, "coordinator.vault", NULL);
  w->duo1_path = g_build_filename (w->dir, "duo1.vault", NULL);
  w->duo2_path = g_build_filename (w->dir, "duo2.vault", NULL);
  w->coord = create (w->coord_path, "coordinator", VW_STUDY_ROLE_COORDINATOR);
  w->duo1 = create (w->duo1_path, "duo-noord", VW_STUDY_ROLE_DUO);
  w->duo2 = create (w->duo2_path, "duo-zuid", VW_STUDY_ROLE_DUO);

  studies = vw_vault_list_studies (w->coord, &error);
  g_assert_no_error (error);
  w->study = g_strdup (((VwStudy *) g_ptr_array_index (studies, 0))->id);
  rounds = vw_vault_list_rounds (w->coord, w->study, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rounds->len; i++)
    has_t0 |= g_str_equal (((VwRound *) g_ptr_array_index (rounds, i))->label, "T0");
  if (!has_t0)
    g_assert_true (vw_vault_add_round (w->coord, w->study, "T0", "2026-01-05", "2026-03-27", &error));
  g_assert_true (vw_vault_add_round (w->coord, w->study, "T1", "2027-01-04", "2027-03-26", &error));
  g_assert_no_error (error);
  recipient = vw_vault_get_age_recipient (w->coord, &error);
  g_assert_no_error (error);
  g_assert_true (vw_study_add_recipient (w->coord, w->study, recipient, &error));
  g_assert_no_error (error);

  enrol (w, w->duo1, "duo-noord");
  enrol (w, w->duo2, "duo-zuid");
  if (introduce)
    vw_test_study_introduce (w);
}

void
vw_test_study_init (VwTestStudy *w)
{
  vw_test_study_setup (w, TRUE);
}

void
vw_test_study_introduce (VwTestStudy *w)
{
  g_free (add_device (w->duo1, w->study, w->duo2, "duo-zuid"));
  g_free (add_device (w->duo2, w->study, w->duo1, "duo-noord"));
}

void
vw_test_study_clear (VwTestStudy *w)
{
  VwVault **vaults[] = { &w->coord, &w->duo1, &w->duo2 };

  /* Closed, not only dropped: a vault that cannot close cleanly fails. */
  for (guint i = 0; i < G_N_ELEMENTS (vaults); i++)
    if (*vaults[i] != NULL)
      {
        g_autoptr(GError) error = NULL;

        vw_vault_close (*vaults[i], &error);
        g_assert_no_error (error);
        g_clear_object (vaults[i]);
      }
  vw_test_rm_rf (w->dir);
  g_clear_pointer (&w->dir, g_free);
  g_clear_pointer (&w->coord_path, g_free);
  g_clear_pointer (&w->duo1_path, g_free);
  g_clear_pointer (&w->duo2_path, g_free);
  g_clear_pointer (&w->study, g_free);
}

char *
vw_test_study_interview (VwTestStudy        *w,
                         VwVault            *vault,
                         const char         *pseudonym,
                         const char * const *answers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, w->study, NULL, pseudonym, "DH", &error);
  g_autoptr(VwInterview) iv = NULL;

  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, w->study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; answers[i] != NULL; i += 2)
    {
      vw_vault_save_answer (vault, iv->id, answers[i], answers[i + 1], &error);
      g_assert_no_error (error);
    }
  vw_vault_set_interview_status (vault, iv->id, "interviewed", "2026-02-10", NULL, &error);
  g_assert_no_error (error);
  vw_vault_set_interview_state (vault, iv->id, VW_INTERVIEW_FINISHED, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (p->code);
}

char *
vw_test_study_submit (VwTestStudy *w,
                      VwVault     *duo,
                      const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  char *path = g_build_filename (w->dir, name, NULL);

  g_assert_true (vw_exchange_write_submission (duo, w->study, path, TRUE, &id, &error));
  g_assert_no_error (error);
  return path;
}

VwMergeReport *
vw_test_study_merge (VwVault    *vault,
                     const char *study,
                     const char *path)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };
  VwMergeReport *report = vw_exchange_merge (vault, study, paths, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

void
vw_test_study_conflict_submissions (VwTestStudy     *w,
                                    VwTestConflict  *c,
                                    char           **noord,
                                    char           **zuid)
{
  const char *anna_answers[] = { "residence", "mo", "debts", "nee", NULL };
  const char *tom_answers[] = { "residence", "bw", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) south = NULL;
  g_autoptr(VwInterview) t0 = NULL;
  g_autofree char *handover = g_build_filename (w->dir, "anna.handover", NULL);
  const char *codes[2] = { NULL, NULL };

  c->anna = vw_test_study_interview (w, w->duo1, "Anna", anna_answers);
  c->tom = vw_test_study_interview (w, w->duo1, "Tom", tom_answers);
  c->karel = vw_test_study_interview (w, w->duo2, "Karel", tom_answers);
  g_assert_true (vw_vault_set_linkage_identity (w->duo1, w->study, c->tom, "Tom de Vries", "1971-04-02", &error));
  g_assert_true (vw_vault_set_linkage_identity (w->duo2, w->study, c->karel, "tom de vries", "1971-04-02", &error));
  g_assert_no_error (error);

  south = vw_study_find_device (w->duo1, w->study, "duo-zuid", &error);
  g_assert_no_error (error);
  codes[0] = c->anna;
  g_assert_true (vw_exchange_write_handover (w->duo1, w->study, south->id, codes, handover, FALSE, NULL, &error));
  g_assert_no_error (error);
  vw_merge_report_free (vw_test_study_merge (w->duo2, w->study, handover));
  t0 = vw_vault_find_interview (w->duo1, w->study, c->anna, "T0", &error);
  g_assert_no_error (error);
  c->interview = g_strdup (t0->id);
  g_assert_true (vw_vault_save_answer (w->duo1, c->interview, "debts", "onbekend", &error));
  g_assert_true (vw_vault_save_answer (w->duo2, c->interview, "debts", "ja", &error));
  g_assert_no_error (error);

  *noord = vw_test_study_submit (w, w->duo1, "noord.submission");
  *zuid = vw_test_study_submit (w, w->duo2, "zuid.submission");
}

void
vw_test_study_conflict (VwTestStudy    *w,
                        VwTestConflict *c)
{
  g_autofree char *sub1 = NULL, *sub2 = NULL;

  vw_test_study_conflict_submissions (w, c, &sub1, &sub2);
  vw_merge_report_free (vw_test_study_merge (w->coord, w->study, sub1));
  vw_merge_report_free (vw_test_study_merge (w->coord, w->study, sub2));
}

void
vw_test_conflict_clear (VwTestConflict *c)
{
  g_clear_pointer (&c->anna, g_free);
  g_clear_pointer (&c->tom, g_free);
  g_clear_pointer (&c->karel, g_free);
  g_clear_pointer (&c->interview, g_free);
}

void
vw_test_study_reopen (VwVault   **vault,
                      const char *path)
{
  g_autoptr(GError) error = NULL;

  vw_vault_close (*vault, &error);
  g_assert_no_error (error);
  g_clear_object (vault);
  *vault = vw_test_open_vault (path);
}
