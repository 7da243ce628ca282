/* No plaintext on disk: a marker in every encrypted field, written
 * through the API, appears in no byte of any file the vault leaves, nor
 * in the temporary directory; while the vault is open (database, journal,
 * shared memory) and after it is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

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

/* Markers this short (a birth year) turn up in any few hundred KiB of
 * ciphertext by chance: about 70 of the 10,000 four-digit strings are in
 * a filled vault's files. They are looked for in the database's values
 * instead (check_values()), where plaintext would be stored as text. */
#define MIN_SCAN_LEN 6

/* Every text value of every row of every table of the database at @path
 * (read through its journal, as the vault left it), compared with the
 * short markers. */
static void
check_values (const char *path,
              GPtrArray  *markers)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *tables = NULL;
  guint values = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'", -1, &tables, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", sqlite3_column_text (tables, 0));
      sqlite3_stmt *rows = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (rows); c++)
          {
            const char *text = (const char *) sqlite3_column_text (rows, c);

            if (sqlite3_column_type (rows, c) != SQLITE_TEXT)
              continue;
            values++;
            for (guint m = 0; m < markers->len; m++)
              {
                VwTestMarker *marker = g_ptr_array_index (markers, m);

                if (strlen (marker->text) < MIN_SCAN_LEN && strcmp (text, marker->text) == 0)
                  g_error ("The %s (“%s”) is stored as plaintext in %s, table %s, column %s", marker->what,
                           marker->text, path, sqlite3_column_text (tables, 0), sqlite3_column_name (rows, c));
              }
          }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);
  /* Not blind: ids, codes and dates are stored as text. */
  g_assert_cmpuint (values, >, 10);
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

              if (strlen (marker->text) >= MIN_SCAN_LEN &&
                  vw_test_file_contains (path, marker->text, strlen (marker->text)))
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
  check_values (path, markers);

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
  check_values (path, markers);

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
