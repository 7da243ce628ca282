/* Makes tests/data/vault-v5.vault: a coordinator's vault of schema 5, as
 * the release before value padding wrote it, with every kind of value:
 * participants, fixed values, contacts, interviewers, interviews, answers,
 * notes, quotes, episodes, consents, trajectory overrides, merge conflicts
 * and the exchange log from two duos' submissions, a decision on possible
 * duplicates, devices and the audit trail. Beside it go what its values
 * read as then, for the migration test to compare with:
 *
 *   vault-v5.sealed     every sealed value in its place (vw_test_dump_sealed())
 *   vault-v5.canonical  the canonical dump of each study (in the dump's
 *                       form since schema 6: records without revisions,
 *                       times and authors, a record in conflict as its
 *                       sides, the sides' devices as this laptop's ids;
 *                       checked line by line against the dump made here
 *                       when schema 6 was merged)
 *
 * It was run at commit 02e3c1b, before schema 8 (then numbered 7), with the passphrase of
 * vw-test-vault.h. Run on a later build it makes a vault in that build's
 * own value format, so never run it over the committed fixture:
 *
 *   build/tests/make-vault-fixture-v5-values DIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"
#include "vw-vault-records.h"

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GString) canonical = g_string_new (NULL);
  g_autofree char *second = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *target = NULL;
  VwTestStudy w = { 0 };
  VwTestConflict c = { 0 };
  VwTestFill fill;

  if (argc != 2 || !vw_core_init (&error))
    {
      g_printerr ("usage: %s DIR\n", argv[0]);
      return 2;
    }
  target = g_build_filename (argv[1], "vault-v5.vault", NULL);
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s exists; the fixture is never made again\n", target);
      return 1;
    }

  /* Two duos' submissions merged at the coordinator: conflicts, the
   * exchange log, a group of possible duplicates, decided on. */
  vw_test_study_setup (&w, TRUE);
  vw_test_study_conflict (&w, &c);
  {
    const char *codes[] = { c.tom, c.karel, NULL };

    vw_exchange_decide_duplicates (w.coord, w.study, codes, VW_DUPLICATE_KEEP_APART, NULL, &error);
    g_assert_no_error (error);
  }
  vw_vault_set_trajectory_override (w.coord, w.study, c.anna, VW_RULE_SET_DH3, "niet_te_classificeren", NULL,
                                    "fixture-v5 override reason", &error);
  g_assert_no_error (error);

  /* A second study holds a value in every other encrypted field. */
  second = vw_vault_create_study (w.coord, "Fixture", "DH", VW_STUDY_ROLE_COORDINATOR, NULL, &error);
  g_assert_no_error (error);
  vw_test_fill_vault (w.coord, second, "fixture-v5", &fill);
  vw_vault_set_trajectory_override (w.coord, second, fill.other_code, VW_RULE_SET_FL4, "niet_te_classificeren",
                                    NULL, "fixture-v5 second override", &error);
  g_assert_no_error (error);

  g_assert_cmpint (vw_vault_get_schema_version (w.coord), ==, 5);
  g_assert_true (vw_vault_verify (w.coord, NULL, NULL, &error));
  sealed = vw_test_dump_sealed (w.coord);
  studies = vw_vault_list_studies (w.coord, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < studies->len; i++)
    {
      g_autofree char *dump = vw_exchange_canonical_dump (w.coord, ((VwStudy *) g_ptr_array_index (studies, i))->id,
                                                          &error);
      g_assert_no_error (error);
      g_string_append (canonical, dump);
    }

  vw_vault_close (w.coord, &error);
  g_assert_no_error (error);
  vw_test_copy_file (w.coord_path, target);
  write_file (argv[1], "vault-v5.sealed", sealed);
  write_file (argv[1], "vault-v5.canonical", canonical->str);

  vw_test_fill_clear (&fill);
  vw_test_conflict_clear (&c);
  vw_test_study_clear (&w);
  return 0;
}
