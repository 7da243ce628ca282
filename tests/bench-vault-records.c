/* Benchmark: import of 100,000 synthetic participants x 5 rounds of
 * records into a vault, in rows per second, against a plain sqlite insert
 * of the same rows (same count, plain tables, one transaction, the same
 * durability settings) in the same run; prints the ratio. Also the second
 * import of the same records (which writes nothing), reading the records
 * back (which checks every row's integrity MAC first) and closing. Never
 * asserts timing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include "vw-bench-records.h"
#include "vw-core.h"

#define PASSPHRASE "benchmark passphrase, not a secret"

static void
check_sqlite (sqlite3    *db,
              int         rc,
              const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

/* The same rows as text into three plain tables, one prepared insert per
 * file, in one transaction. */
static gint64
plain_insert (const char *path,
              VwRecords  *records)
{
  static const char * const create[VW_RECORDS_N_FILES] = {
    "CREATE TABLE participants (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)",
    "CREATE TABLE rounds (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14)",
    "CREATE TABLE episodes (c1, c2, c3, c4)",
  };
  static const char * const insert[VW_RECORDS_N_FILES] = {
    "INSERT INTO participants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO rounds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO episodes VALUES (?, ?, ?, ?)",
  };
  sqlite3 *db = NULL;
  gint64 t0, t1;

  check_sqlite (db, sqlite3_open (path, &db), "open");
  check_sqlite (db, sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL),
                "pragma");
  for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
    check_sqlite (db, sqlite3_exec (db, create[f], NULL, NULL, NULL), "create");

  t0 = g_get_monotonic_time ();
  check_sqlite (db, sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
  for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
    {
      sqlite3_stmt *stmt = NULL;
      guint n_rows = 0;

      if (f == VW_RECORDS_PARTICIPANTS)
        vw_records_get_participants (records, &n_rows);
      else if (f == VW_RECORDS_ROUNDS)
        vw_records_get_rounds (records, &n_rows);
      else
        vw_records_get_episodes (records, &n_rows);

      check_sqlite (db, sqlite3_prepare_v2 (db, insert[f], -1, &stmt, NULL), "prepare");
      for (guint i = 0; i < n_rows; i++)
        {
          const char *values[VW_RECORDS_MAX_COLUMNS];
          char bufs[VW_RECORDS_MAX_COLUMNS][16];
          guint n = vw_records_get_row_values (records, f, i, values, bufs);

          for (guint c = 0; c < n; c++)
            sqlite3_bind_text (stmt, c + 1, values[c], -1, SQLITE_TRANSIENT);
          check_sqlite (db, sqlite3_step (stmt), "insert");
          sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);
    }
  check_sqlite (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), "commit");
  t1 = g_get_monotonic_time ();
  sqlite3_close (db);
  return t1 - t0;
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* CPU seconds of this process so far: beside the wall time, a figure that
 * other work on a shared machine disturbs less. */
static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
file_mib (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / (1024.0 * 1024.0) : 0;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(GString) participants = g_string_new (NULL);
  g_autoptr(GString) rounds = g_string_new (NULL);
  g_autoptr(GString) episodes = g_string_new (NULL);
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwRecords) loaded = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwSecret) passphrase = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *vault_path = NULL;
  g_autofree char *plain_path = NULL;
  VwVaultCreateOptions options = { 0 };
  VwImportSummary summary;
  const char *study;
  guint n_participants, n_rounds, n_episodes, n_rows;
  gint64 t0, t1, t2, t3, t4, t5, plain_us;
  double c0, c1, c2;
  double vault_rate, plain_rate;

  if (!vw_core_init (&error))
    g_error ("%s", error->message);

  vw_bench_generate_records (n, participants, rounds, episodes);
  records = vw_bench_load_records (participants, rounds, episodes);
  vw_records_get_participants (records, &n_participants);
  vw_records_get_rounds (records, &n_rounds);
  vw_records_get_episodes (records, &n_episodes);
  n_rows = n_participants + n_rounds + n_episodes;

  dir = g_dir_make_tmp ("bench-vault-records-XXXXXX", &error);
  g_assert_no_error (error);
  vault_path = g_build_filename (dir, "bench.vault", NULL);
  plain_path = g_build_filename (dir, "plain.sqlite", NULL);

  /* The key derivation is not part of an import. */
  passphrase = vw_secret_new_from ((const guint8 *) PASSPHRASE, strlen (PASSPHRASE));
  options.study_name = "Benchmark";
  options.study_region = "DH";
  vault = vw_vault_create (vault_path, passphrase, &options, NULL, NULL, &error);
  if (vault == NULL)
    g_error ("%s", error->message);
  studies = vw_vault_list_studies (vault, &error);
  study = ((VwStudy *) g_ptr_array_index (studies, 0))->id;

  g_print ("# import benchmark: %u participants, %u rows of rounds.csv, %u episodes = %u rows\n",
           n_participants, n_rounds, n_episodes, n_rows);

  c0 = cpu_s ();
  t0 = g_get_monotonic_time ();
  if (!vw_vault_import_records (vault, study, records, &summary, &error))
    g_error ("Import failed: %s", error->message);
  t1 = g_get_monotonic_time ();
  c1 = cpu_s ();
  if (!vw_vault_import_records (vault, study, records, &summary, &error))
    g_error ("Second import failed: %s", error->message);
  t2 = g_get_monotonic_time ();
  c2 = cpu_s ();
  if (summary.participants_added + summary.participants_changed + summary.interviews_added +
      summary.interviews_changed + summary.episodes_added != 0)
    g_error ("The second import changed rows");
  loaded = vw_vault_load_records (vault, study, &error);
  if (loaded == NULL)
    g_error ("Reading back failed: %s", error->message);
  t3 = g_get_monotonic_time ();
  {
    g_autofree char *a = vw_records_format_csv (records, VW_RECORDS_ROUNDS);
    g_autofree char *b = vw_records_format_csv (loaded, VW_RECORDS_ROUNDS);

    if (g_strcmp0 (a, b) != 0)
      g_error ("The records read back differ from the imported ones");
  }
  /* Closing checkpoints the log into the vault file; an import that
   * checkpoints itself leaves less for it. */
  t4 = g_get_monotonic_time ();
  vw_vault_close (vault, NULL);
  t5 = g_get_monotonic_time ();

  plain_us = plain_insert (plain_path, records);

  vault_rate = n_rows / ((t1 - t0) / 1e6);
  plain_rate = n_rows / (plain_us / 1e6);
  g_print ("vault import (encrypted, one transaction): %.2f s = %.0f rows/s (CPU %.2f s); vault file %.0f MiB\n",
           (t1 - t0) / 1e6, vault_rate, c1 - c0, file_mib (vault_path));
  g_print ("plain sqlite insert of the same rows (text, one transaction): %.2f s = %.0f rows/s; file %.0f MiB\n",
           plain_us / 1e6, plain_rate, file_mib (plain_path));
  g_print ("ratio: the vault import takes %.1fx the time of the plain insert\n",
           (double) (t1 - t0) / plain_us);
  g_print ("second import of the same records (writes nothing): %.2f s (CPU %.2f s)\n", (t2 - t1) / 1e6, c2 - c1);
  g_print ("reading the records back (vw_vault_load_records): %.2f s\n", (t3 - t2) / 1e6);
  g_print ("closing the vault (checkpoint of what the log still holds): %.2f s\n", (t5 - t4) / 1e6);
  g_print ("# peak memory (max RSS): %.0f MiB\n", vw_bench_peak_mib ());

  remove_db (vault_path);
  remove_db (plain_path);
  g_rmdir (dir);
  return 0;
}
