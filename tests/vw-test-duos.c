/* Helpers for tests of studies across laptops: see vw-test-duos.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static VwVault *
create (const char  *path,
        const char  *label,
        VwStudyRole  role)
{
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(VwSecret) recovery = NULL;
  g_autoptr(GError) error = NULL;
  VwVaultCreateOptions options = { 0 };
  VwVault *vault;

  options.device_label = label;
  if (role == VW_STUDY_ROLE_COORDINATOR)
    {
      options.study_name = "Den Haag 2026";
      options.study_region = "DH";
      options.study_role = role;
    }
  vault = vw_vault_create (path, passphrase, &options, &recovery, NULL, &error);
  g_assert_no_error (error);
  return vault;
}

static char *
add_device (VwVault    *vault,
            const char *study,
            VwVault    *other,
            const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient = vw_vault_get_age_recipient (other, &error);
  g_autofree char *signing = NULL;
  char *id;

  g_assert_no_error (error);
  signing = vw_vault_get_signing_key (other, &error);
  g_assert_no_error (error);
  id = vw_study_add_device (vault, study, label, recipient, signing, &error);
  g_assert_no_error (error);
  return id;
}

static void
enrol (VwTestDuos *w,
       VwVault     *duo,
       const char  *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_device (w->coord, w->study, duo, label);
  g_autofree char *invitation = g_strdup_printf ("%s/%s.invitation", w->dir, label);
  g_autofree char *joined = NULL;

  vw_study_write_invitation (w->coord, w->study, label, invitation, &error);
  g_assert_no_error (error);
  joined = vw_study_join (duo, invitation, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (joined, ==, w->study);
}

void
vw_test_duos_init (VwTestDuos *w)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autofree char *own = NULL;

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
  /* Submissions go to the coordinator's own laptop. */
  own = vw_vault_get_age_recipient (w->coord, &error);
  g_assert_no_error (error);
  vw_study_add_recipient (w->coord, w->study, own, &error);
  g_assert_no_error (error);

  enrol (w, w->duo1, "duo-noord");
  enrol (w, w->duo2, "duo-zuid");
}

void
vw_test_duos_introduce (VwTestDuos *w)
{
  g_free (add_device (w->duo1, w->study, w->duo2, "duo-zuid"));
  g_free (add_device (w->duo2, w->study, w->duo1, "duo-noord"));
}

void
vw_test_duos_clear (VwTestDuos *w)
{
  VwVault **vaults[] = { &w->coord, &w->duo1, &w->duo2 };

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
vw_test_duos_interview (VwVault            *vault,
                         const char         *study,
                         const char         *pseudonym,
                         const char * const *answers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwInterview) iv = NULL;

  p = vw_vault_create_participant (vault, study, NULL, pseudonym, "DH", &error);
  g_assert_no_error (error);
  vw_vault_set_participant_value (vault, study, p->code, "birth_year", "1971", &error);
  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vw_vault_set_interview_status (vault, iv->id, "interviewed", "2026-02-10", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; answers[i] != NULL; i += 2)
    {
      vw_vault_save_answer (vault, iv->id, answers[i], answers[i + 1], &error);
      g_assert_no_error (error);
    }
  vw_vault_save_note (vault, iv->id, NULL, "Rustig gesprek in de bibliotheek.", &error);
  g_assert_no_error (error);
  vw_vault_set_consent (vault, study, p->code, "T0", "research", "ja", "2026-02-10", &error);
  g_assert_no_error (error);
  return g_strdup (p->code);
}

void
vw_test_duos_set_contact (VwVault    *vault,
                           const char *study,
                           const char *code,
                           const char *marker)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = g_strconcat ("06-", marker, "-phone", NULL);
  g_autofree char *place = g_strconcat (marker, "-place", NULL);
  g_autofree char *care = g_strconcat (marker, "-care", NULL);
  g_autofree char *name = g_strconcat (marker, "-name", NULL);
  g_autofree char *remarks = g_strconcat (marker, "-remarks", NULL);
  VwContact contact = { phone, place, care, name, remarks };

  vw_vault_set_contact (vault, study, code, &contact, &error);
  g_assert_no_error (error);
}

VwVault *
vw_test_duos_reopen (VwVault *vault)
{
  return vw_test_open_vault (vw_vault_get_path (vault));
}
