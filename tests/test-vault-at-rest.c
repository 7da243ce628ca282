/* The vault file at rest, attacked as someone with the file, sqlite3 and
 * a log of their own would: what ciphertext lengths reveal, rows deleted,
 * added and edited with sqlite, a flipped byte met by an export, a log
 * from another vault or another copy, a log deleted after a crash; and the
 * migration of a vault of schema 5 (tests/data/vault-v5.vault, made with
 * the release before padding) that must keep every value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

#define SEALED_SHORT (VW_PAD_BUCKET + VW_VALUE_OVERHEAD)

static char *work_dir;

static char *
source_file (const char *dir,
             const char *name)
{
  return g_test_build_filename (G_TEST_DIST, dir, name, NULL);
}

static char *
new_dir (const char *name)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  char *dir = g_build_filename (work_dir, template, NULL);

  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

static void
assert_problem (GPtrArray  *problems,
                const char *text)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), text) != NULL)
      return;
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("problem: %s\n", (const char *) g_ptr_array_index (problems, i));
  g_error ("verify did not report “%s”", text);
}

static GPtrArray *
verify_fails (VwVault *vault)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = NULL;

  g_assert_false (vw_vault_verify (vault, &problems, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  return problems;
}

static void
assert_verify_ok (VwVault *vault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  if (!vw_vault_verify (vault, &problems, NULL, &error))
    {
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        g_printerr ("problem: %s\n", (const char *) g_ptr_array_index (problems, i));
      g_error ("verify failed: %s", error->message);
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file in @dir with its checksum: the byte-identical check. */
static char *
dir_checksums (const char *dir)
{
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);
  GString *out = g_string_new (NULL);

  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *sum = vw_test_file_checksum (g_ptr_array_index (files, i));
      g_string_append_printf (out, "%s %s\n", (const char *) g_ptr_array_index (files, i), sum);
    }
  return g_string_free (out, FALSE);
}

/* A vault holding the published Den Haag records (64 participants, five
 * rounds) and, with @fill_all, a second study with a value in every other
 * encrypted field; closed. */
static char *
imported_vault (const char  *dir,
                gboolean     fill_all,
                char       **study_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *records = source_file ("records", "denhaag");
  g_autofree char *study = NULL;
  char *path = g_build_filename (dir, "field.vault", NULL);
  g_autoptr(VwVault) vault = vw_test_create_vault (path, &study, NULL);
  VwTestFill fill;

  vw_vault_import_records_dir (vault, study, records, NULL, &error);
  g_assert_no_error (error);
  if (study_out != NULL)
    *study_out = g_strdup (study);
  if (!fill_all)
    {
      g_assert_true (vw_vault_close (vault, &error));
      return path;
    }
  /* Every other encrypted field, in a second study. */
  {
    g_autofree char *second = vw_vault_create_study (vault, "Vulling", "DH", VW_STUDY_ROLE_DUO, NULL, &error);

    g_assert_no_error (error);
    vw_test_fill_vault (vault, second, "rest", &fill);
  }
  /* Free text of a few length classes. */
  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *question = g_strdup_printf ("toelichting_%d", i);
      g_autofree char *text = g_strnfill (100 * i * i, 'w');

      vw_vault_save_note (vault, fill.interview, question, text, &error);
      g_assert_no_error (error);
    }
  vw_test_fill_clear (&fill);
  g_assert_true (vw_vault_close (vault, &error));
  return path;
}

/* Lengths. */

typedef struct
{
  GHashTable *lengths; /* "table.column" -> GHashTable of lengths */
  guint       short_values;
  guint       long_values;
} Lengths;

static void
note_length (const char *table,
             const char *column,
             const char *where,
             gint64      revision,
             GBytes     *blob,
             const char *plain,
             gsize       len,
             gpointer    data)
{
  Lengths *l = data;
  gsize sealed = g_bytes_get_size (blob);

  if (len < VW_PAD_BUCKET)
    {
      g_autofree char *key = g_strconcat (table, ".", column, NULL);
      GHashTable *set = g_hash_table_lookup (l->lengths, key);

      if (sealed != SEALED_SHORT)
        g_error ("%s (%" G_GSIZE_FORMAT " bytes of plaintext) is sealed in %" G_GSIZE_FORMAT " bytes, not %d",
                 where, len, sealed, SEALED_SHORT);
      if (set == NULL)
        {
          set = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (l->lengths, g_steal_pointer (&key), set);
        }
      g_hash_table_add (set, GSIZE_TO_POINTER (sealed));
      l->short_values++;
    }
  else
    {
      /* Longer values: one of the classes, and no longer than twice the
       * value (or a step of 64 KiB above it). */
      g_assert_cmpuint (sealed, ==, vw_vault_padded_size (len) + VW_VALUE_OVERHEAD);
      g_assert_cmpuint (sealed - VW_VALUE_OVERHEAD, <=, MAX (2 * len, len + VW_PAD_LARGEST_CLASS));
      l->long_values++;
    }
}

static void
test_lengths (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = new_dir ("lengths");
  g_autofree char *study = NULL;
  g_autofree char *path = imported_vault (dir, TRUE, &study);
  g_autoptr(GHashTable) histogram = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) debts_lengths = g_hash_table_new (NULL, NULL);
  Lengths l = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref) };
  sqlite3 *raw;
  sqlite3_stmt *stmt = NULL;

  /* Read with sqlite, as someone with the file does: the debts answers
   * differ in value (ja, nee, onbekend) and not at all in length. */
  raw = vw_test_raw_open (path);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT length (value) FROM answers WHERE question = 'debts'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (debts_lengths, GINT_TO_POINTER (sqlite3_column_int (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (g_hash_table_size (debts_lengths), ==, 1);
  g_assert_true (g_hash_table_contains (debts_lengths, GINT_TO_POINTER (SEALED_SHORT)));
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  {
    g_autoptr(VwVault) vault = vw_test_open_vault (path);
    g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (vault, study, NULL, NULL, &error);

    /* The histogram of the values themselves is not flat: the test is
     * not blind. */
    g_assert_no_error (error);
    for (guint i = 0; i < interviews->len; i++)
      {
        g_autofree char *debts = vw_vault_get_answer (vault, ((VwInterview *) g_ptr_array_index (interviews, i))->id,
                                                      "debts", &error);
        g_assert_no_error (error);
        if (debts != NULL)
          g_hash_table_insert (histogram, g_steal_pointer (&debts),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (histogram, debts)) + 1));
      }
    g_assert_cmpuint (g_hash_table_size (histogram), >=, 3);

    /* Every value of every encrypted column: short ones one length. */
    vw_test_foreach_sealed (vault, note_length, &l);
    g_assert_cmpuint (l.short_values, >, 1000);
    g_assert_cmpuint (l.long_values, >, 5);
  }
  g_hash_table_unref (l.lengths);
}

/* Damage met by an export, a report, a dump. */

static int
cli (const char  *path,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  const char *env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, g_strconcat ("--vault=", path, NULL));
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return vw_test_run_cliv (env, NULL, out, err, (const char * const *) args->pdata);
}

/* Every command that writes or prints the study's data fails naming
 * @where and leaves nothing behind. */
static void
assert_everything_refuses (const char *path,
                           const char *dir,
                           const char *where)
{
  g_autofree char *records = g_build_filename (dir, "records-out", NULL);
  g_autofree char *anonymized = g_build_filename (dir, "anonymized-out", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *commands[][4] = {
    { "export", "--records", records, NULL },
    { "export", "--anonymized", anonymized, NULL },
    { "report", "debts_by_trajectory", NULL },
    { "report", "trajectories", NULL },
    { "trajectory", "DH-0001X", NULL },
    { "study", "dump", NULL },
  };

  before = dir_checksums (dir);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = cli (path, &out, &err, commands[i][0], commands[i][1], commands[i][2], NULL);

      g_test_message ("%s %s: %s", commands[i][0], commands[i][1], err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      if (strstr (err, where) == NULL)
        g_error ("“%s %s” failed with “%s”, which does not name %s", commands[i][0], commands[i][1], err, where);
    }
  g_assert_false (g_file_test (records, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (anonymized, G_FILE_TEST_EXISTS));
  after = dir_checksums (dir);
  g_assert_cmpstr (before, ==, after);

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (path, &out, &err, "verify", NULL), !=, 0);
    if (strstr (out, where) == NULL && strstr (err, where) == NULL)
      g_error ("verify did not name %s: %s%s", where, out, err);
  }
}

static char *
first_debts_interview (const char *path)
{
  sqlite3 *raw = vw_test_raw_open (path);
  sqlite3_stmt *stmt = NULL;
  char *id;

  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT interview FROM answers WHERE question = 'debts' "
                                            "ORDER BY interview LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return id;
}

static void
test_damage_refuses_exports (void)
{
  g_autofree char *dir = new_dir ("damage");
  g_autofree char *path = imported_vault (dir, FALSE, NULL);
  g_autofree char *clean = g_build_filename (work_dir, "damage-clean.vault", NULL);
  g_autofree char *interview = first_debts_interview (path);
  g_autofree char *where = g_strdup_printf ("answers/%s/debts", interview);

  vw_test_copy_file (path, clean);

  /* Untouched, everything works (the commands are right). */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *records = g_build_filename (work_dir, "damage-ok-records", NULL);

    g_assert_cmpint (cli (path, &out, &err, "export", "--records", records, NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli (path, &out, &err, "study", "dump", NULL), ==, 0);
    g_assert_nonnull (strstr (out, interview));
    vw_test_rm_rf (records);
  }

  /* One flipped byte in one value. */
  {
    g_autofree char *select = g_strdup_printf ("SELECT value FROM answers WHERE interview = '%s' AND "
                                               "question = 'debts'", interview);
    g_autofree char *update = g_strdup_printf ("UPDATE answers SET value = ? WHERE interview = '%s' AND "
                                               "question = 'debts'", interview);
    sqlite3 *raw = vw_test_raw_open (path);
    g_autoptr(GBytes) blob = vw_test_raw_blob (raw, select);
    g_autoptr(GBytes) flipped = vw_test_flip_byte (blob, g_bytes_get_size (blob) - 20);

    vw_test_raw_set_blob (raw, update, flipped);
    g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
    assert_everything_refuses (path, dir, where);
  }

  /* The same answer moved to another question id: its value is never
   * read by the records, so only the row's MAC tells. */
  vw_test_copy_file (clean, path);
  {
    g_autofree char *update = g_strdup_printf ("UPDATE answers SET question = 'dbets' WHERE interview = '%s' AND "
                                               "question = 'debts'", interview);
    g_autofree char *moved = g_strdup_printf ("answers/%s/", interview);
    sqlite3 *raw = vw_test_raw_open (path);

    vw_test_raw_exec (raw, update);
    g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
    assert_everything_refuses (path, dir, moved);
  }
}

/* A duo's submission of a vault with a flipped byte, and of one with an
 * answer deleted (which would otherwise be left out without a word). */
static void
assert_submission_refused (VwTestStudy *w,
                           const char  *sql,
                           const char  *where)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (w->dir, "damaged.submission", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *raw;

  g_assert_true (vw_vault_close (w->duo1, &error));
  raw = vw_test_raw_open (w->duo1_path);
  vw_test_raw_exec (raw, sql);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
  vw_test_study_reopen (&w->duo1, w->duo1_path);

  before = dir_checksums (w->dir);
  g_assert_false (vw_exchange_write_submission (w->duo1, w->study, path, TRUE, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, where));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  after = dir_checksums (w->dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_damage_refuses_submission (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(VwInterview) iv = NULL;
  const char *answers[] = { "debts", "nee", "residence", "bw", NULL };
  VwTestStudy w = { 0 };

  vw_test_study_setup (&w, FALSE);
  code = vw_test_study_interview (&w, w.duo1, "Sanne", answers);
  iv = vw_vault_find_interview (w.duo1, w.study, code, "T0", &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_close (w.duo1, &error));
  clean = g_build_filename (work_dir, "duo-clean.vault", NULL);
  vw_test_copy_file (w.duo1_path, clean);
  vw_test_study_reopen (&w.duo1, w.duo1_path);

  /* A flipped byte in the debts answer. */
  {
    g_autofree char *select = g_strdup_printf ("SELECT value FROM answers WHERE interview = '%s' AND "
                                               "question = 'debts'", iv->id);
    sqlite3 *raw = vw_test_raw_open (w.duo1_path);
    g_autoptr(GBytes) blob = vw_test_raw_blob (raw, select);
    g_autoptr(GBytes) flipped = vw_test_flip_byte (blob, g_bytes_get_size (blob) - 20);
    g_autofree char *hex = g_malloc (2 * g_bytes_get_size (flipped) + 1);

    sqlite3_close (raw);
    sodium_bin2hex (hex, 2 * g_bytes_get_size (flipped) + 1, g_bytes_get_data (flipped, NULL),
                    g_bytes_get_size (flipped));
    sql = g_strdup_printf ("UPDATE answers SET value = x'%s' WHERE interview = '%s' AND question = 'debts'", hex,
                           iv->id);
    where = g_strdup_printf ("answers/%s/debts", iv->id);
    assert_submission_refused (&w, sql, where);
  }

  /* The residence answer deleted. */
  g_assert_true (vw_vault_close (w.duo1, &error));
  vw_test_copy_file (clean, w.duo1_path);
  vw_test_study_reopen (&w.duo1, w.duo1_path);
  g_free (sql);
  g_free (where);
  sql = g_strdup_printf ("DELETE FROM answers WHERE interview = '%s' AND question = 'residence'", iv->id);
  where = g_strdup_printf ("answers/%s/residence: the row was deleted", iv->id);
  assert_submission_refused (&w, sql, where);
  vw_test_study_clear (&w);
}

/* Rows deleted, added and edited with sqlite. */

static char *migrated_source;

/* The v5 fixture, migrated: a vault with a row in every table. */
static const char *
migrated_vault (void)
{
  if (migrated_source == NULL)
    {
      g_autofree char *fixture = source_file ("data", "vault-v5.vault");
      g_autoptr(VwVault) vault = NULL;
      g_autoptr(GError) error = NULL;

      migrated_source = g_build_filename (work_dir, "migrated.vault", NULL);
      vw_test_copy_file (fixture, migrated_source);
      vault = vw_test_open_vault (migrated_source);
      g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
      g_assert_true (vw_vault_close (vault, &error));
    }
  return migrated_source;
}

/* The first row of @table as verify names it, "table/key/...", and a
 * WHERE clause that finds it; from the table's primary key, read here. */
static void
first_row (sqlite3     *raw,
           const char  *table,
           char       **name,
           char       **where)
{
  g_autofree char *info_sql = g_strdup_printf ("PRAGMA table_info (%s)", table);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) select = g_string_new ("SELECT ");
  GString *described = g_string_new (table);
  GString *clause = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (raw, info_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  for (int place = 1;; place++)
    {
      gboolean found = FALSE;

      sqlite3_reset (stmt);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (sqlite3_column_int (stmt, 5) == place)
          {
            g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
            found = TRUE;
          }
      if (!found)
        break;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (keys->len, >, 0);

  for (guint i = 0; i < keys->len; i++)
    g_string_append_printf (select, "%s%s, quote (%s)", i ? ", " : "", (const char *) keys->pdata[i],
                            (const char *) keys->pdata[i]);
  g_string_append_printf (select, " FROM %s ORDER BY 1 LIMIT 1", table);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, select->str, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("table %s is empty in the fixture", table);
  for (guint i = 0; i < keys->len; i++)
    {
      if (sqlite3_column_type (stmt, 2 * i) == SQLITE_BLOB)
        {
          gsize len = sqlite3_column_bytes (stmt, 2 * i);
          g_autofree char *hex = g_malloc (2 * len + 1);

          sodium_bin2hex (hex, 2 * len + 1, sqlite3_column_blob (stmt, 2 * i), len);
          g_string_append_printf (described, "/%s", hex);
        }
      else
        g_string_append_printf (described, "/%s", (const char *) sqlite3_column_text (stmt, 2 * i));
      g_string_append_printf (clause, "%s%s = %s", i ? " AND " : "", (const char *) keys->pdata[i],
                              (const char *) sqlite3_column_text (stmt, 2 * i + 1));
    }
  sqlite3_finalize (stmt);
  *name = g_string_free (described, FALSE);
  *where = g_string_free (clause, FALSE);
}

static GPtrArray *
tampered_problems (const char *sql,
                   const char *path)
{
  g_autoptr(VwVault) vault = NULL;
  sqlite3 *raw = vw_test_raw_open (path);

  vw_test_raw_exec (raw, sql);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
  vault = vw_test_open_vault (path);
  return verify_fails (vault);
}

static void
test_deleted_rows (void)
{
  const char *tables[] = {
    "participants", "participant_values", "contacts", "interviews", "answers", "notes", "quotes", "episodes",
    "consents", "rounds", "devices", "trajectory_overrides", "interviewers", "studies", "questionnaires",
    "conflicts", "exchange_log", "duplicate_decisions", "study_recipients", "merged_bundles", "exchange_devices",
    "audit",
  };
  g_autofree char *path = g_build_filename (work_dir, "deleted.vault", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *where = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      sqlite3 *raw;

      vw_test_copy_file (migrated_vault (), path);
      raw = vw_test_raw_open (path);
      first_row (raw, tables[i], &name, &where);
      sqlite3_close (raw);

      /* Foreign keys are off in the sqlite3 tool: nothing cascades. */
      sql = g_strdup_printf ("DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM %s WHERE %s", tables[i], where);
      problems = tampered_problems (sql, path);
      expected = g_strdup_printf ("%s: the row was deleted outside Veldwerk", name);
      g_test_message ("deleted %s", name);
      assert_problem (problems, expected);
    }
}

static void
test_added_and_changed_rows (void)
{
  g_autofree char *path = g_build_filename (work_dir, "edited.vault", NULL);
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  const struct { const char *table, *sql, *problem; } cases[] = {
    /* A copy of an answer under another question. */
    { "answers", "INSERT INTO answers (interview, question, value, revision, updated, device) "
                 "SELECT interview, 'q_extra', value, revision, updated, device FROM answers WHERE {where}",
      "a row was added outside Veldwerk" },
    { "participants", "UPDATE participants SET region = 'FL' WHERE {where}",
      "the row was changed outside Veldwerk" },
    { "interviews", "UPDATE interviews SET state = 'finished' WHERE {where}",
      "the row was changed outside Veldwerk" },
    { "answers", "UPDATE answers SET device = 'another-laptop' WHERE {where}",
      "the row was changed outside Veldwerk" },
    { "participant_values", "UPDATE participant_values SET device = NULL WHERE {where}",
      "the row was changed outside Veldwerk" },
    { "devices", "UPDATE devices SET trusted = 1 - trusted WHERE {where}", "the row was changed outside Veldwerk" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      sqlite3 *raw;

      vw_test_copy_file (migrated_vault (), path);
      raw = vw_test_raw_open (path);
      g_clear_pointer (&name, g_free);
      g_clear_pointer (&where, g_free);
      first_row (raw, cases[i].table, &name, &where);
      sqlite3_close (raw);
      {
        GString *text = g_string_new (cases[i].sql);
        g_string_replace (text, "{where}", where, 0);
        sql = g_string_free (text, FALSE);
      }
      problems = tampered_problems (sql, path);
      if (i == 0)
        {
          /* The new row is named by its own key. */
          g_autofree char *interview = g_strndup (name + strlen ("answers/"), 32);
          expected = g_strdup_printf ("answers/%s/q_extra: %s", interview, cases[i].problem);
        }
      else
        expected = g_strdup_printf ("%s: %s", name, cases[i].problem);
      assert_problem (problems, expected);
    }

  /* Deleted together with its integrity record: the table's tagged count
   * and sum still tell, though not which row. */
  {
    g_autofree char *sql = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    sqlite3 *raw;

    vw_test_copy_file (migrated_vault (), path);
    raw = vw_test_raw_open (path);
    g_clear_pointer (&name, g_free);
    g_clear_pointer (&where, g_free);
    first_row (raw, "episodes", &name, &where);
    sqlite3_close (raw);
    sql = g_strdup_printf ("DELETE FROM episodes WHERE %s; DELETE FROM vw_rows_episodes WHERE %s", where, where);
    problems = tampered_problems (sql, path);
    assert_problem (problems, "episodes: rows were removed or put back together with their integrity records");
  }

  /* A whole table dropped: its record is left, and tells. */
  {
    g_autoptr(GPtrArray) problems = NULL;

    vw_test_copy_file (migrated_vault (), path);
    problems = tampered_problems ("DROP TABLE consents", path);
    assert_problem (problems, "consents: the table was removed outside Veldwerk");
  }

  /* The record itself edited: reported, and still reported after the
   * vault wrote to the table again. */
  {
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GPtrArray) again = NULL;
    g_autoptr(VwVault) vault = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *interview = NULL;
    sqlite3 *raw;

    vw_test_copy_file (migrated_vault (), path);
    raw = vw_test_raw_open (path);
    g_clear_pointer (&name, g_free);
    g_clear_pointer (&where, g_free);
    first_row (raw, "interviews", &name, &where);
    sqlite3_close (raw);
    interview = g_strdup (name + strlen ("interviews/"));
    problems = tampered_problems ("UPDATE vw_integrity SET state = zeroblob (length (state)) WHERE tbl = 'notes'",
                                  path);
    assert_problem (problems, "notes: its integrity record was altered");
    vault = vw_test_open_vault (path);
    vw_vault_save_note (vault, interview, NULL, "een nieuwe notitie", &error);
    g_assert_no_error (error);
    again = verify_fails (vault);
    assert_problem (again, "notes: its integrity record was altered");
  }
}

/* An answer saved again, then its older row put back with its older
 * revision and its older row MAC: the value decrypts (its place and
 * revision fit), the row MAC fits; only the table's sum tells. */
static void
test_older_row_put_back (void)
{
  g_autofree char *path = g_build_filename (work_dir, "older.vault", NULL);
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  g_autofree char *interview = NULL;
  g_autofree char *question = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3 *raw;

  vw_test_copy_file (migrated_vault (), path);
  raw = vw_test_raw_open (path);
  first_row (raw, "answers", &name, &where);
  {
    g_auto(GStrv) parts = g_strsplit (name, "/", 3);
    interview = g_strdup (parts[1]);
    question = g_strdup (parts[2]);
  }
  {
    g_autofree char *sql = g_strdup_printf ("CREATE TABLE old_answer AS SELECT * FROM answers WHERE %s;"
                                            "CREATE TABLE old_mac AS SELECT * FROM vw_rows_answers WHERE %s",
                                            where, where);
    vw_test_raw_exec (raw, sql);
  }
  sqlite3_close (raw);

  {
    g_autoptr(VwVault) vault = vw_test_open_vault (path);

    vw_vault_save_answer (vault, interview, question, "a later answer", &error);
    g_assert_no_error (error);
    assert_verify_ok (vault);
  }

  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM answers WHERE %s; INSERT INTO answers SELECT * FROM "
                                            "old_answer; DELETE FROM vw_rows_answers WHERE %s; "
                                            "INSERT INTO vw_rows_answers SELECT * FROM old_mac; "
                                            "DROP TABLE old_answer; DROP TABLE old_mac",
                                            where, where);
    g_autoptr(VwVault) vault = NULL;

    problems = tampered_problems (sql, path);
    assert_problem (problems, "answers: rows were removed or put back together with their integrity records");
    vault = vw_test_open_vault (path);
    {
      /* The old value reads: nothing but the table's sum could tell. */
      g_autofree char *value = vw_vault_get_answer (vault, interview, question, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (value, !=, "a later answer");
    }
  }
}

/* A row changed outside Veldwerk, then written by Veldwerk: still
 * reported, not laundered by the write. */
static void
test_changed_row_stays_reported (void)
{
  g_autofree char *path = g_build_filename (work_dir, "laundered.vault", NULL);
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_auto(GStrv) parts = NULL;
  sqlite3 *raw;

  vw_test_copy_file (migrated_vault (), path);
  raw = vw_test_raw_open (path);
  first_row (raw, "participants", &name, &where);
  sqlite3_close (raw);
  sql = g_strdup_printf ("UPDATE participants SET region = 'GV' WHERE %s", where);
  g_ptr_array_unref (tampered_problems (sql, path));

  parts = g_strsplit (name, "/", 3);
  vault = vw_test_open_vault (path);
  p = vw_vault_get_participant (vault, parts[1], parts[2], &error);
  g_assert_no_error (error);
  vw_vault_set_pseudonym (vault, parts[1], parts[2], "Nieuwe naam", &error);
  g_assert_no_error (error);
  problems = verify_fails (vault);
  expected = g_strdup_printf ("%s: the row was changed outside Veldwerk", name);
  assert_problem (problems, expected);
}

/* What other branches' migrations do to tables: a column added, a table
 * made anew with a wider key. The row MACs are made again over the new
 * columns, each only if its row matched the old ones, so a row edited
 * before stays reported and nothing else is; writes go on being covered. */
static void
test_columns_added_later (void)
{
  g_autofree char *path = g_build_filename (work_dir, "widened.vault", NULL);
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  g_autofree char *other_name = NULL;
  g_autofree char *other_where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VwVault) vault = NULL;
  sqlite3 *raw;

  vw_test_copy_file (migrated_vault (), path);
  raw = vw_test_raw_open (path);
  first_row (raw, "participants", &name, &where);
  /* The new key's columns come first: sqlite 3.40's integrity_check
   * reports NOT NULL columns before a key column of a WITHOUT ROWID table
   * as NULL when they are not. */
  sql = g_strdup_printf ("UPDATE participants SET region = 'GV' WHERE %s;"
                         "ALTER TABLE participants ADD COLUMN later_flag INTEGER NOT NULL DEFAULT 0;"
                         "ALTER TABLE interviews ADD COLUMN later_note TEXT;"
                         "CREATE TABLE conflicts_new (study TEXT NOT NULL, kind TEXT NOT NULL, object TEXT NOT NULL,"
                         "  field TEXT NOT NULL, device TEXT NOT NULL, revision INTEGER NOT NULL,"
                         "  later_seq INTEGER NOT NULL DEFAULT 0, value BLOB NOT NULL, updated TEXT NOT NULL,"
                         "  resolved TEXT, round TEXT, sealed_device TEXT NOT NULL,"
                         "  PRIMARY KEY (study, kind, object, field, device, revision, later_seq)) WITHOUT ROWID;"
                         "INSERT INTO conflicts_new (study, kind, object, field, device, revision, value, updated,"
                         "  resolved, round, sealed_device) SELECT study, kind, object, field, device, revision, value,"
                         "  updated, resolved, round, sealed_device FROM conflicts;"
                         "DROP TABLE conflicts; ALTER TABLE conflicts_new RENAME TO conflicts",
                         where);
  vw_test_raw_exec (raw, sql);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  vault = vw_test_open_vault (path);
  problems = verify_fails (vault);
  expected = g_strdup_printf ("%s: the row was changed outside Veldwerk", name);
  assert_problem (problems, expected);
  /* The edit ran schema 6's trigger, which moved the change sequence
   * outside Veldwerk too. */
  assert_problem (problems, "change_sequence/");
  g_assert_cmpuint (problems->len, ==, 2);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Veldwerk's own writes to the widened tables are covered. */
  {
    g_autoptr(GPtrArray) studies = vw_vault_list_studies (vault, &error);
    const char *study = ((VwStudy *) g_ptr_array_index (studies, 0))->id;
    g_autoptr(GPtrArray) participants = vw_vault_list_participants (vault, study, &error);
    VwParticipant *p = g_ptr_array_index (participants, participants->len - 1);

    g_assert_no_error (error);
    vw_vault_set_pseudonym (vault, study, p->code, "Weer een ander", &error);
    g_assert_no_error (error);
  }
  problems = verify_fails (vault);
  g_assert_cmpuint (problems->len, ==, 2);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);

  /* A conflict deleted under its new key is named by it. */
  raw = vw_test_raw_open (path);
  first_row (raw, "conflicts", &other_name, &other_where);
  sqlite3_close (raw);
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM conflicts WHERE %s", other_where);
  problems = tampered_problems (sql, path);
  g_free (expected);
  expected = g_strdup_printf ("%s: the row was deleted outside Veldwerk", other_name);
  g_assert_true (g_str_has_suffix (other_name, "/0"));
  assert_problem (problems, expected);
}

/* A trigger planted in the file cannot use the key: the functions that
 * hold it run only in Veldwerk's own statements and TEMP triggers. */
static void
test_planted_trigger (void)
{
  g_autofree char *path = g_build_filename (work_dir, "planted.vault", NULL);
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  g_autofree char *interview = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  sqlite3 *raw;

  vw_test_copy_file (migrated_vault (), path);
  raw = vw_test_raw_open (path);
  first_row (raw, "interviews", &name, &where);
  interview = g_strdup (name + strlen ("interviews/"));
  /* It would give a row of the attacker's choice a valid MAC. */
  vw_test_raw_exec (raw, "CREATE TRIGGER planted AFTER INSERT ON notes BEGIN "
                         "  UPDATE vw_rows_notes SET mac = vw_row_mac ('notes', 'interview,question,text,revision,"
                         "updated', NEW.interview, NEW.question, x'00', 1, 'x') WHERE interview = NEW.interview; "
                         "END");
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  vault = vw_test_open_vault (path);
  g_assert_false (vw_vault_save_note (vault, interview, NULL, "een notitie", &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "unsafe use of vw_row_mac"));
  g_clear_error (&error);
  notes = vw_vault_list_notes (vault, interview, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < notes->len; i++)
    g_assert_cmpstr (((VwNote *) g_ptr_array_index (notes, i))->text, !=, "een notitie");
}

/* The log: another vault's, another copy's, a crash's own, deleted. */

/* In a child process: opens the vault at $VW_TEST_VAULT, does @what and
 * ends without closing anything, as a crash or a kill would. */
static void
crash_child (const char *what)
{
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("VW_TEST_VAULT");
  const char *study = g_getenv ("VW_TEST_STUDY");
  VwVault *vault = vw_test_open_vault (path);

  if (g_str_equal (what, "save"))
    {
      g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, g_getenv ("VW_TEST_NAME"),
                                                                "DH", &error);
      g_assert_no_error (error);
    }
  else if (g_str_equal (what, "import"))
    {
      g_autofree char *records = source_file ("records", "denhaag");

      vw_vault_import_records_dir (vault, study, records, NULL, &error);
      g_assert_no_error (error);
    }
  else if (g_str_equal (what, "second-connection"))
    {
      /* The application holds the vault open; a second connection (the
       * command line) writes and closes. */
      VwVault *second = vw_test_open_vault (path);
      g_autoptr(VwParticipant) p = vw_vault_create_participant (second, study, NULL, g_getenv ("VW_TEST_NAME"),
                                                                "DH", &error);
      g_assert_no_error (error);
      g_assert_true (vw_vault_close (second, &error));
    }
  _exit (0);
}

/* Runs the current test again in a child process, which does what
 * $VW_TEST_WHAT says (see crash_child()). */
static void
run_crash_child (const char *vault,
                 const char *study,
                 const char *name)
{
  g_setenv ("VW_TEST_VAULT", vault, TRUE);
  g_setenv ("VW_TEST_STUDY", study, TRUE);
  g_setenv ("VW_TEST_NAME", name ? name : "", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static gboolean
has_pseudonym (VwVault    *vault,
               const char *study,
               const char *pseudonym)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) participants = vw_vault_list_participants (vault, study, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < participants->len; i++)
    if (g_strcmp0 (((VwParticipant *) g_ptr_array_index (participants, i))->pseudonym, pseudonym) == 0)
      return TRUE;
  return FALSE;
}

static char *
new_vault (const char  *dir,
           const char  *name,
           char       **study)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(VwVault) vault = vw_test_create_vault (path, study, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_vault_close (vault, &error));
  return path;
}

static void
assert_log_refused (const char *dir,
                    const char *path,
                    const char *reason)
{
  g_autofree char *before = dir_checksums (dir);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (path, &error);

  g_assert_null (vault);
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_FOREIGN_LOG);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, reason));
  after = dir_checksums (dir);
  g_assert_cmpstr (before, ==, after);
}

static void
foreign_log (void)
{
  g_autofree char *mine_dir = new_dir ("mine");
  g_autofree char *other_dir = new_dir ("other");
  g_autofree char *mine_study = NULL, *other_study = NULL, *copy_study = NULL;
  g_autofree char *mine = new_vault (mine_dir, "mine.vault", &mine_study);
  g_autofree char *other = new_vault (other_dir, "other.vault", &other_study);
  g_autofree char *copy = g_build_filename (other_dir, "copy.vault", NULL);
  g_autofree char *mine_wal = g_strconcat (mine, "-wal", NULL);
  g_autofree char *other_wal = g_strconcat (other, "-wal", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autoptr(GError) error = NULL;

  g_setenv ("VW_TEST_WHAT", "save", TRUE);

  /* Another vault's log, with a commit in it. */
  run_crash_child (other, other_study, "Anders");
  g_assert_true (g_file_test (other_wal, G_FILE_TEST_EXISTS));
  vw_test_copy_file (other_wal, mine_wal);
  assert_log_refused (mine_dir, mine, "another vault");
  g_unlink (mine_wal);

  /* The log of an older copy of this very vault, which went on without
   * it (and was closed, which renewed its epoch). */
  vw_test_copy_file (mine, copy);
  run_crash_child (copy, mine_study, "Kopie");
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (mine);
    g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, mine_study, NULL, "Verder", "DH", &error);

    g_assert_no_error (error);
    g_assert_true (vw_vault_close (vault, &error));
  }
  vw_test_copy_file (copy_wal, mine_wal);
  assert_log_refused (mine_dir, mine, "another copy of this vault");
  g_unlink (mine_wal);

  /* This vault's own log after a crash: applied, nothing lost. */
  run_crash_child (mine, mine_study, "Na de crash");
  g_assert_true (g_file_test (mine_wal, G_FILE_TEST_EXISTS));
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (mine);

    g_assert_true (has_pseudonym (vault, mine_study, "Na de crash"));
    g_assert_true (has_pseudonym (vault, mine_study, "Verder"));
    assert_verify_ok (vault);
  }
}

/* The log deleted after a crash loses nothing that was finished. */
static void
deleted_log (void)
{
  g_autofree char *dir = new_dir ("deleted-log");
  g_autofree char *study = NULL;
  g_autofree char *path = new_vault (dir, "field.vault", &study);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  /* An import, then a crash; the log is lost. */
  g_setenv ("VW_TEST_WHAT", "import", TRUE);
  run_crash_child (path, study, NULL);
  g_unlink (wal);
  g_unlink (shm);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VwVault) vault = vw_test_open_vault (path);
    g_autoptr(GPtrArray) participants = vw_vault_list_participants (vault, study, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (participants->len, >=, 50);
    assert_verify_ok (vault);
  }

  /* A write on a second connection that was closed, while the first
   * stayed open until the crash. */
  g_setenv ("VW_TEST_WHAT", "second-connection", TRUE);
  run_crash_child (path, study, "Tweede verbinding");
  g_unlink (wal);
  g_unlink (shm);
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (path);

    g_assert_true (has_pseudonym (vault, study, "Tweede verbinding"));
    assert_verify_ok (vault);
  }

  /* Closed the ordinary way: no log is left to lose. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VwVault) vault = vw_test_open_vault (path);
    g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, "Gesloten", "DH", &error);

    g_assert_no_error (error);
    g_assert_true (vw_vault_close (vault, &error));
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  g_unlink (wal);
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (path);
    g_assert_true (has_pseudonym (vault, study, "Gesloten"));
  }
}

/* Many small commits, as the user types answers: the vault's own
 * automatic checkpoint (which renews the epoch first, in a commit of its
 * own) keeps the log near 1000 pages instead of letting it grow. */
static void
test_log_stays_small (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = new_dir ("small-log");
  g_autofree char *path = g_build_filename (dir, "typing.vault", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (path, &study, NULL);
  g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, "Typist", "DH", &error);
  g_autoptr(VwInterview) iv = NULL;
  gint64 largest = 0;
  int page_size;

  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    sqlite3 *raw = vw_test_raw_open (path);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    page_size = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
  }

  /* Each save writes a few pages: without checkpoints, 1200 saves would
   * leave several thousand in the log. */
  for (int i = 0; i < 1200; i++)
    {
      g_autofree char *question = g_strdup_printf ("q%03d", i % 150);
      g_autofree char *value = g_strdup_printf ("antwoord %d", i);
      GStatBuf st;

      g_assert_true (vw_vault_save_answer (vault, iv->id, question, value, &error));
      g_assert_no_error (error);
      if (g_stat (wal, &st) == 0)
        largest = MAX (largest, st.st_size);
    }
  g_test_message ("largest log: %" G_GINT64_FORMAT " bytes, page size %d", largest, page_size);
  g_assert_cmpint (largest, >, 0);
  g_assert_cmpint (largest, <=, (gint64) 1100 * (page_size + 24) + 32);
  assert_verify_ok (vault);
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  vault = vw_test_open_vault (path);
  {
    g_autofree char *last = vw_vault_get_answer (vault, iv->id, "q149", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (last, ==, "antwoord 1199");
  }
  assert_verify_ok (vault);
}

/* The log tests run again as their own crashing children. */
static void
test_foreign_log (void)
{
  if (g_test_subprocess ())
    crash_child (g_getenv ("VW_TEST_WHAT"));
  foreign_log ();
}

static void
test_deleted_log (void)
{
  if (g_test_subprocess ())
    crash_child (g_getenv ("VW_TEST_WHAT"));
  deleted_log ();
}

/* Schema 5 to 7. */

static void
check_all_padded (const char *table,
                  const char *column,
                  const char *where,
                  gint64      revision,
                  GBytes     *blob,
                  const char *plain,
                  gsize       len,
                  gpointer    data)
{
  if (((const guint8 *) g_bytes_get_data (blob, NULL))[0] != VW_VALUE_PADDED)
    g_error ("%s is still unpadded after the migration", where);
  (*(guint *) data)++;
}

static char *
canonical_dumps (VwVault *vault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) studies = vw_vault_list_studies (vault, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < studies->len; i++)
    {
      g_autofree char *dump = vw_exchange_canonical_dump (vault, ((VwStudy *) g_ptr_array_index (studies, i))->id,
                                                          &error);
      g_assert_no_error (error);
      g_string_append (out, dump);
    }
  return g_string_free (out, FALSE);
}

static void
test_migrates_schema_5 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixture = source_file ("data", "vault-v5.vault");
  g_autofree char *expected_path = source_file ("data", "vault-v5.sealed");
  g_autofree char *canonical_path = source_file ("data", "vault-v5.canonical");
  g_autofree char *path = g_build_filename (work_dir, "v5.vault", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *expected_canonical = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 last_seq = 0;
  guint padded = 0;

  g_file_get_contents (expected_path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (canonical_path, &expected_canonical, NULL, &error);
  g_assert_no_error (error);
  vw_test_copy_file (fixture, path);

  vault = vw_vault_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, 5);
  g_clear_object (&vault);

  vault = vw_test_open_vault (path);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);

  /* Every value of the fixture reads as it did under schema 5, in its
   * place, and nothing else is there but the migration's audit entries. */
  dump = vw_test_dump_sealed (vault);
  lines = g_strsplit (expected, "\n", -1);
  {
    g_auto(GStrv) now = g_strsplit (dump, "\n", -1);
    g_autoptr(GHashTable) after = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GHashTable) before = g_hash_table_new (g_str_hash, g_str_equal);

    for (int i = 0; now[i] != NULL; i++)
      g_hash_table_add (after, now[i]);
    for (int i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      {
        if (!g_hash_table_contains (after, lines[i]))
          g_error ("after the migration, missing: %s", lines[i]);
        g_hash_table_add (before, lines[i]);
        if (g_str_has_prefix (lines[i], "audit/"))
          last_seq = MAX (last_seq, g_ascii_strtoll (lines[i] + 6, NULL, 10));
      }
    g_assert_cmpuint (g_hash_table_size (before), >=, 90);
    for (int i = 0; now[i] != NULL && *now[i] != '\0'; i++)
      if (!g_hash_table_contains (before, now[i]))
        {
          g_assert_true (g_str_has_prefix (now[i], "audit/"));
          g_assert_cmpint (g_ascii_strtoll (now[i] + 6, NULL, 10), >, last_seq);
        }
  }

  canonical = canonical_dumps (vault);
  g_assert_cmpstr (canonical, ==, expected_canonical);

  /* No unpadded value is left, and the audit trail says what happened. */
  vw_test_foreach_sealed (vault, check_all_padded, &padded);
  g_assert_cmpuint (padded, >=, 90);
  audit = vw_vault_list_audit (vault, &error);
  g_assert_no_error (error);
  {
    gboolean migrated = FALSE, values = FALSE;
    /* Up to the current schema (8 when this test was written). */
    g_autofree char *steps = g_strdup_printf ("5 -> %d", VW_VAULT_SCHEMA_VERSION);

    for (guint i = 0; i < audit->len; i++)
      {
        VwAuditEntry *e = g_ptr_array_index (audit, i);

        migrated |= g_strcmp0 (e->action, "vault_migrated") == 0 && g_strcmp0 (e->detail, steps) == 0;
        values |= g_strcmp0 (e->action, "values_padded") == 0 && g_str_has_suffix (e->detail, ", left 0");
      }
    g_assert_true (migrated && values);
  }
  assert_verify_ok (vault);
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);

  /* Once migrated, it opens without migrating again, the same. */
  vault = vw_test_open_vault (path);
  {
    g_autofree char *again = vw_test_dump_sealed (vault);
    g_assert_cmpstr (again, ==, dump);
  }
}

/* Damage in the old vault is not hidden by the migration: a value that
 * does not decrypt stays as it was and is reported, an altered audit
 * entry stays altered. */
static void
test_migration_keeps_damage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixture = source_file ("data", "vault-v5.vault");
  g_autofree char *path = g_build_filename (work_dir, "v5-damaged.vault", NULL);
  g_autofree char *interview = NULL;
  g_autofree char *question = NULL;
  g_autofree char *where = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3 *raw;

  vw_test_copy_file (fixture, path);
  raw = vw_test_raw_open (path);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT interview, question FROM answers ORDER BY 1, 2 LIMIT 1", -1,
                                         &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    interview = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    question = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    sqlite3_finalize (stmt);
  }
  {
    g_autofree char *select = g_strdup_printf ("SELECT value FROM answers WHERE interview = '%s' AND question = '%s'",
                                               interview, question);
    g_autofree char *update = g_strdup_printf ("UPDATE answers SET value = ? WHERE interview = '%s' AND "
                                               "question = '%s'", interview, question);
    g_autoptr(GBytes) blob = vw_test_raw_blob (raw, select);
    g_autoptr(GBytes) flipped = vw_test_flip_byte (blob, g_bytes_get_size (blob) - 20);

    vw_test_raw_set_blob (raw, update, flipped);
  }
  vw_test_raw_exec (raw, "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'iemand anders' WHERE seq = 3;"
                         "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
                         "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;");
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  /* It still opens and migrates. */
  vault = vw_test_open_vault (path);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
  where = g_strdup_printf ("answers/%s/%s", interview, question);
  g_assert_null (vw_vault_get_answer (vault, interview, question, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, where));
  g_clear_error (&error);
  problems = verify_fails (vault);
  assert_problem (problems, where);
  assert_problem (problems, "audit: entry 3 was altered");
  {
    g_autoptr(GPtrArray) audit = vw_vault_list_audit (vault, &error);
    gboolean left = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < audit->len; i++)
      {
        const char *detail = ((VwAuditEntry *) g_ptr_array_index (audit, i))->detail;
        left |= detail != NULL && g_str_has_suffix (detail, ", left 1");
      }
    g_assert_true (left);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  /* A crashing child works in its parent's folders. */
  if (!g_test_subprocess ())
    {
      work_dir = g_dir_make_tmp ("vw-at-rest-XXXXXX", &error);
      g_assert_no_error (error);
    }

  g_test_add_func ("/vault-at-rest/lengths", test_lengths);
  g_test_add_func ("/vault-at-rest/damage-refuses-exports", test_damage_refuses_exports);
  g_test_add_func ("/vault-at-rest/damage-refuses-submission", test_damage_refuses_submission);
  g_test_add_func ("/vault-at-rest/deleted-rows", test_deleted_rows);
  g_test_add_func ("/vault-at-rest/added-and-changed-rows", test_added_and_changed_rows);
  g_test_add_func ("/vault-at-rest/older-row-put-back", test_older_row_put_back);
  g_test_add_func ("/vault-at-rest/changed-row-stays-reported", test_changed_row_stays_reported);
  g_test_add_func ("/vault-at-rest/planted-trigger", test_planted_trigger);
  g_test_add_func ("/vault-at-rest/columns-added-later", test_columns_added_later);
  g_test_add_func ("/vault-at-rest/foreign-log", test_foreign_log);
  g_test_add_func ("/vault-at-rest/deleted-log", test_deleted_log);
  g_test_add_func ("/vault-at-rest/log-stays-small", test_log_stays_small);
  g_test_add_func ("/vault-at-rest/migrates-schema-5", test_migrates_schema_5);
  g_test_add_func ("/vault-at-rest/migration-keeps-damage", test_migration_keeps_damage);

  status = g_test_run ();
  if (work_dir != NULL)
    vw_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (migrated_source);
  return status;
}
