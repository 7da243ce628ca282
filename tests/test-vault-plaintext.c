/* No plaintext on disk: a marker in every encrypted field, written
 * through the API, appears in no byte of any file the vault leaves, nor
 * in the temporary directory; while the vault is open (database, journal,
 * shared memory) and after it is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-test-util.h"
#include "vw-test-vault.h"

static char *tmp_dir;

static void
free_marker (gpointer data)
{
  VwTestMarker *marker = data;

  g_free (marker->text);
  g_free (marker);
}

/* Every file under @dirs, scanned for every marker; a find fails the test
 * with the file and the field it came from. */
static guint
scan (const char * const *dirs,
      GPtrArray          *markers)
{
  guint files = 0;

  for (gsize d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr(GPtrArray) list = vw_test_list_files (dirs[d]);

      for (guint i = 0; i < list->len; i++)
        {
          const char *path = g_ptr_array_index (list, i);

          files++;
          for (guint m = 0; m < markers->len; m++)
            {
              VwTestMarker *marker = g_ptr_array_index (markers, m);

              if (vw_test_file_contains (path, marker->text, strlen (marker->text)))
                g_error ("The %s (“%s”) is in plaintext in %s", marker->what, marker->text, path);
            }
        }
    }
  return files;
}

static void
test_no_plaintext_on_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-plain-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "field.vault", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *study = NULL;
  g_autoptr(GPtrArray) markers = vw_test_markers ("pl41n");
  g_autoptr(VwVault) vault = NULL;
  const char *dirs[] = { dir, tmp_dir, NULL };
  VwTestFill fill;
  guint scanned;

  g_ptr_array_set_free_func (markers, free_marker);
  g_assert_no_error (error);

  vault = vw_test_create_vault (path, &study, NULL);
  vw_test_fill_vault (vault, study, "pl41n", &fill);
  /* Edit everything once more, so old versions of rows exist too. */
  vw_vault_save_answer (vault, fill.interview, "q2", "overwritten", &error);
  g_assert_no_error (error);
  vw_vault_set_pseudonym (vault, study, fill.other_code, "Renamed", &error);
  g_assert_no_error (error);

  /* While open: the journal holds the latest pages. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  scanned = scan (dirs, markers);
  g_assert_cmpuint (scanned, >=, 2);

  /* The scan is not blind: the same bytes are found when they are there. */
  {
    g_autofree char *probe = g_build_filename (dir, "probe.txt", NULL);
    VwTestMarker *first = g_ptr_array_index (markers, 0);

    g_assert_true (g_file_set_contents (probe, first->text, -1, NULL));
    g_assert_true (vw_test_file_contains (probe, first->text, strlen (first->text)));
    g_unlink (probe);
  }

  vw_vault_verify (vault, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);
  scan (dirs, markers);

  /* Reopened and read (a read must not leave anything behind either). */
  vault = vw_test_open_vault (path);
  vw_test_check_fill (vault, &fill, "pl41n");
  g_clear_object (&vault);
  scan (dirs, markers);

  vw_test_fill_clear (&fill);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* A temporary directory of our own, so that anything sqlite or the
   * vault put there would be found. */
  tmp_dir = g_dir_make_tmp ("vw-tmp-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("TMPDIR", tmp_dir, TRUE);
  g_setenv ("SQLITE_TMPDIR", tmp_dir, TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/vault-plaintext/no-plaintext-on-disk", test_no_plaintext_on_disk);

  status = g_test_run ();
  vw_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
