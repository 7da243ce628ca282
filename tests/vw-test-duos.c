/* Helpers for tests of studies across laptops: see vw-test-duos.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

void
vw_test_duos_init (VwTestDuos *w)
{
  vw_test_study_setup (w, FALSE);
}

void
vw_test_duos_introduce (VwTestDuos *w)
{
  vw_test_study_introduce (w);
}

void
vw_test_duos_clear (VwTestDuos *w)
{
  vw_test_study_clear (w);
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
