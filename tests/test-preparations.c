/* The index of round preparations (schema 12, vw-vault-preparations.c):
 * written with each preparation, filled from the audit trail when a vault
 * of schema 8 migrates, and covered by the row MACs, so that a row
 * deleted or changed with the sqlite3 tool is reported by verify and
 * refuses the next submission's integrity check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

#define STUDY_DETAIL "{\"bundle\":\"b%u\",\"study\":\"%s\",\"round\":\"%s\",\"codes\":[%s]}"

static void
audit_preparation (VwVault    *vault,
                   const char *device,
                   guint       n,
                   const char *study,
                   const char *round,
                   const char *codes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = g_strdup_printf (STUDY_DETAIL, n, study, round, codes);

  g_assert_true (vw_vault_audit (vault, "round_preparation_written", device, detail, &error));
  g_assert_no_error (error);
}

static VwPrepared *
prepared (GHashTable *table,
          const char *code)
{
  VwPrepared *p = g_hash_table_lookup (table, code);

  g_assert_nonnull (p);
  return p;
}

/* The timestamps of the preparations' audit entries, oldest first. */
static GPtrArray *
audit_times (VwVault *vault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = vw_vault_list_audit (vault, &error);
  GPtrArray *times = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      VwAuditEntry *e = g_ptr_array_index (entries, i);

      if (g_strcmp0 (e->action, "round_preparation_written") == 0)
        g_ptr_array_add (times, g_strdup (e->timestamp));
    }
  return times;
}

static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autofree char *dir = g_dir_make_tmp ("vw-test-preparations-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "old.vault", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GHashTable) t1 = NULL;
  g_autoptr(GHashTable) t2 = NULL;
  g_autoptr(GPtrArray) times = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  VwVaultCreateOptions options = { 0 };
  sqlite3 *raw;

  g_assert_no_error (error);
  options.study_name = "Oud";
  options.study_region = "DH";
  options.study_role = VW_STUDY_ROLE_COORDINATOR;
  vault = vw_vault_create_at_version (path, passphrase, &options, 8, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, 8);
  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  study = g_strdup (((VwStudy *) g_ptr_array_index (studies, 0))->id);

  /* Three preparations as a schema-8 coordinator wrote them: the second
   * prepares DH-AAAAA again for another laptop, the third is another
   * round; an entry of an earlier version has no codes. */
  audit_preparation (vault, "device-noord", 1, study, "T1", "\"DH-AAAAA\",\"DH-BBBBB\"");
  audit_preparation (vault, "device-zuid", 2, study, "T1", "\"DH-AAAAA\"");
  audit_preparation (vault, "device-noord", 3, study, "T2", "\"DH-CCCCC\"");
  g_assert_true (vw_vault_audit (vault, "round_preparation_written", "device-zuid", "T1", &error));
  audit_preparation (vault, "device-noord", 4, "another-study", "T1", "\"DH-DDDDD\"");
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);

  /* Opening migrates: the index holds what the audit trail says. */
  vault = vw_test_open_vault (path);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
  times = audit_times (vault);
  g_assert_cmpuint (times->len, ==, 5);
  t1 = vw_exchange_list_prepared (vault, study, "T1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (t1), ==, 2);
  g_assert_cmpstr (prepared (t1, "DH-AAAAA")->device, ==, "device-zuid");
  g_assert_cmpstr (prepared (t1, "DH-AAAAA")->prepared, ==, g_ptr_array_index (times, 1));
  g_assert_cmpstr (prepared (t1, "DH-BBBBB")->device, ==, "device-noord");
  g_assert_cmpstr (prepared (t1, "DH-BBBBB")->prepared, ==, g_ptr_array_index (times, 0));
  t2 = vw_exchange_list_prepared (vault, study, "T2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (t2), ==, 1);
  g_assert_cmpstr (prepared (t2, "DH-CCCCC")->device, ==, "device-noord");
  g_assert_true (vw_vault_verify (vault, &problems, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The index is covered by the row MACs: a row deleted with the sqlite3
   * tool is reported, by table. */
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);
  raw = vw_test_raw_open (path);
  vw_test_raw_exec (raw, "DELETE FROM preparations WHERE code = 'DH-BBBBB'");
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
  vault = vw_test_open_vault (path);
  g_assert_false (vw_vault_check_integrity (vault, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_clear_error (&error);
  g_assert_false (vw_vault_verify (vault, &problems, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_clear_error (&error);
  g_assert_cmpuint (problems->len, >, 0);
  {
    gboolean named = FALSE;

    for (guint i = 0; i < problems->len; i++)
      {
        g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
        named |= strstr (g_ptr_array_index (problems, i), "preparations") != NULL;
      }
    g_assert_true (named);
  }
  g_assert_true (vw_vault_close (vault, &error));
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (vw_core_init (NULL));
  g_test_add_func ("/preparations/migrate", test_migrate);
  return g_test_run ();
}
