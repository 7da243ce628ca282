/* Makes tests/data/vault-v1.vault: a vault of schema 1 with a value in
 * every encrypted field, for the migration test. Run it once when a new
 * schema version is added, never over an existing fixture:
 *
 *   build/tests/make-vault-fixture tests/data/vault-v1.vault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-vault.h"
#include "vw-vault-private.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) passphrase = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  VwVaultCreateOptions options = { 0 };
  VwTestFill fill;

  if (argc != 2 || !vw_core_init (&error))
    {
      g_printerr ("usage: %s PATH\n", argv[0]);
      return 2;
    }
  passphrase = vw_test_passphrase ();
  options.study_name = "Fixture";
  options.study_region = "DH";
  vault = vw_vault_create_at_version (argv[1], passphrase, &options, 1, NULL, NULL, &error);
  if (vault == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, 1);
  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  vw_test_fill_vault (vault, ((VwStudy *) g_ptr_array_index (studies, 0))->id, "fixture-v1", &fill);
  vw_test_check_fill (vault, &fill, "fixture-v1");
  vw_test_fill_clear (&fill);
  vw_vault_close (vault, &error);
  g_assert_no_error (error);
  return 0;
}
