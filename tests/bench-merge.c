/* Benchmark: the coordinator merges 50 submission bundles holding together
 * 2,000 participants x 5 rounds x 150 answers (1.5 million answers).
 *
 * Prints the merge's time and peak memory, and the same for a baseline in
 * the same run that only opens (decrypts and verifies) the same bundles
 * and bulk-inserts the same rows into a plain sqlite file. Each runs in
 * its own child process, so that getrusage() gives each its own peak; the
 * vault is unlocked with its key already derived, so Argon2id's memory
 * is not counted. Timing is printed, never asserted.
 *
 * VW_BENCH_PARTICIPANTS=200 makes a smaller run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw-core.h"
#include "vw-exchange-private.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

#define N_BUNDLES 50
#define N_ROUNDS 5
#define N_ANSWERS 150

static const char * const rounds[N_ROUNDS] = { "T0", "T1", "T2", "T3", "T4" };

static GBytes *
make_content (const char *study,
              guint       bundle,
              guint       per_bundle,
              const char *device)
{
  GString *out = g_string_new (NULL);
  const char *status[] = { "interviewed", "declined", "unreachable" };

  g_string_append_printf (out, "%s\tsubmission\t%s\n", VW_EXCHANGE_ROWS_MAGIC, study);
  {
    const char *s[] = { device };
    vw_rows_put (out, 'S', 1, s);
  }
  for (guint r = 0; r < N_ROUNDS; r++)
    {
      const char *f[] = { rounds[r], NULL, NULL };
      vw_rows_put (out, 'R', 3, f);
    }
  for (guint p = 0; p < per_bundle; p++)
    {
      guint n = bundle * per_bundle + p;
      g_autofree char *code = g_strdup_printf ("DH-%05u", n);
      g_autofree char *pseudonym = g_strdup_printf ("Deelnemer %u", n);
      const char *pf[] = { code, pseudonym, "DH", NULL, "2026-01-10T10:00:00Z", "2026-01-10T10:00:00Z", "1" };

      vw_rows_put (out, 'P', 7, pf);
      for (guint r = 0; r < N_ROUNDS; r++)
        {
          g_autofree char *id = g_strdup_printf ("%08x%08x%016x", bundle, p, r);
          const char *iv[] = { id, code, rounds[r], NULL, NULL, NULL, status[(n + r) % 3], "2026-02-03", NULL,
                               "finished", NULL, NULL, "2026-02-03T10:00:00Z", "2026-02-03T11:00:00Z", "3" };

          vw_rows_put (out, 'I', 15, iv);
          for (guint q = 0; q < N_ANSWERS; q++)
            {
              g_autofree char *question = g_strdup_printf ("q%03u", q);
              g_autofree char *value = g_strdup_printf (q % 10 == 0 ? "Een open antwoord van deelnemer %u over "
                                                                      "wonen en werk, vraag %u."
                                                                    : "code_%u_%u", n % 7, q);
              const char *a[] = { id, question, value, "1", "2026-02-03T10:30:00Z", device };
              vw_rows_put (out, 'A', 6, a);
            }
        }
    }
  {
    gsize len = out->len;
    return g_bytes_new_take (g_string_free (out, FALSE), len);
  }
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* The baseline: open each bundle (age decryption, signature, trust,
 * hash) and bulk-insert its rows as they are, in one transaction. */
static void
baseline (VwVault    *vault,
          const char *study,
          char      **paths,
          const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *ins[128] = { NULL };
  const struct { char type; const char *sql; } tables[] = {
    { 'S', "INSERT INTO s VALUES (?)" },
    { 'R', "INSERT INTO r VALUES (?, ?, ?)" },
    { 'P', "INSERT INTO p VALUES (?, ?, ?, ?, ?, ?, ?)" },
    { 'I', "INSERT INTO i VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
    { 'A', "INSERT INTO a VALUES (?, ?, ?, ?, ?, ?)" },
  };
  double t0;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                     "CREATE TABLE s (device);"
                                     "CREATE TABLE r (label, s, e);"
                                     "CREATE TABLE p (code PRIMARY KEY, pseudonym, region, linkage, created, "
                                     "  updated, revision);"
                                     "CREATE TABLE i (id PRIMARY KEY, code, round, qid, qv, qs, status, date, reason, "
                                     "  state, rm, rq, created, updated, revision);"
                                     "CREATE TABLE a (interview, question, value, revision, updated, device, "
                                     "  PRIMARY KEY (interview, question)) WITHOUT ROWID;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_cmpint (sqlite3_prepare_v2 (db, tables[i].sql, -1, &ins[(int) tables[i].type], NULL), ==, SQLITE_OK);

  t0 = now_s ();
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint b = 0; paths[b] != NULL; b++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VwBundle) bundle = vw_study_open_bundle (vault, paths[b], VW_BUNDLE_KIND_SUBMISSION, study, &error);
      g_autoptr(GInputStream) raw = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      char *line;
      gsize len;
      gboolean first = TRUE;

      g_assert_no_error (error);
      raw = vw_bundle_read_content (bundle, &error);
      g_assert_no_error (error);
      in = g_data_input_stream_new (raw);
      g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 256 * 1024);
      while ((line = g_data_input_stream_read_line (in, &len, NULL, &error)) != NULL)
        {
          char *fields[VW_ROWS_MAX_FIELDS];
          char type;
          int n;
          sqlite3_stmt *stmt;

          if (first)
            {
              first = FALSE;
              g_free (line);
              continue;
            }
          n = vw_rows_split (line, &type, fields);
          g_assert_cmpint (n, >, 0);
          stmt = ins[(int) type];
          g_assert_nonnull (stmt);
          for (int i = 0; i < n; i++)
            sqlite3_bind_text (stmt, i + 1, fields[i], -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_reset (stmt);
          g_free (line);
        }
      g_assert_no_error (error);
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_print ("baseline (open bundles + plain sqlite bulk insert): %.2f s\n", now_s () - t0);
  for (guint i = 0; i < G_N_ELEMENTS (ins); i++)
    sqlite3_finalize (ins[i]);
  sqlite3_close (db);
}

static void
merge (VwVault    *vault,
       const char *study,
       char      **paths)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  double t0 = now_s ();

  report = vw_exchange_merge (vault, study, (const char * const *) paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_print ("merge (vw_exchange_merge, one transaction): %.2f s: %u bundles, %u added, %u conflicts\n",
           now_s () - t0, report->bundles, report->added, report->conflicts);
}

typedef enum { RUN_MERGE, RUN_BASELINE } Run;

/* Runs one side in a child and returns its wall time and peak RSS. */
static void
run_child (Run         run,
           const char *vault_path,
           VwSecret   *key,
           const char *study,
           char      **paths,
           const char *db_path,
           double     *seconds,
           long       *peak_kib)
{
  struct rusage usage;
  int status = 0;
  double t0 = now_s ();
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VwVault) vault = vw_vault_open (vault_path, &error);

      g_assert_no_error (error);
      vw_vault_unlock_with_key (vault, key, &error);
      g_assert_no_error (error);
      if (run == RUN_MERGE)
        merge (vault, study, paths);
      else
        baseline (vault, study, paths, db_path);
      fflush (stdout);
      _exit (0);
    }
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  *seconds = now_s () - t0;
  *peak_kib = usage.ru_maxrss;
  /* CPU time: other work on a shared machine disturbs it less than the wall time. */
  g_print ("%s child CPU: %.2f s\n", run == RUN_MERGE ? "merge" : "baseline",
           usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *vault_path = NULL, *db_path = NULL, *recipient_text = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwSecret) key = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *study = NULL;
  const char *env = g_getenv ("VW_BENCH_PARTICIPANTS");
  guint participants = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 2000;
  guint per_bundle = MAX (participants / N_BUNDLES, 1);
  guint8 signer[32], x[32];
  guint64 content_bytes = 0;
  double merge_s = 0, base_s = 0;
  long merge_kib = 0, base_kib = 0;

  g_assert_true (vw_core_init (NULL));
  dir = g_dir_make_tmp ("vw-bench-merge-XXXXXX", &error);
  g_assert_no_error (error);
  vault_path = g_build_filename (dir, "coordinator.vault", NULL);
  db_path = g_build_filename (dir, "baseline.sqlite", NULL);

  vault = vw_test_create_vault (vault_path, &study, NULL);
  key = vw_secret_dup (vault->key);
  for (guint r = 1; r < N_ROUNDS; r++)
    {
      vw_vault_add_round (vault, study, rounds[r], NULL, NULL, &error);
      g_assert_no_error (error);
    }
  /* The coordinator's role, and one enrolled duo that signs every bundle. */
  g_assert_true (vw_vault_exec (vault, "UPDATE studies SET role = 'coordinator'", &error));
  signing = vw_bundle_signing_key_generate (signer);
  randombytes_buf (x, sizeof x);
  g_free (vw_vault_add_device (vault, study, "duo", x, signer, TRUE, &error));
  g_assert_no_error (error);
  recipient_text = vw_vault_get_age_recipient (vault, &error);
  g_assert_no_error (error);
  recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient_text, &error));
  g_assert_no_error (error);
  vw_vault_close (vault, &error);
  g_assert_no_error (error);
  g_clear_object (&vault);

  for (guint b = 0; b < N_BUNDLES; b++)
    {
      g_autoptr(GBytes) content = make_content (study, b, per_bundle, "0123456789abcdef0123456789abcdef");
      char *path = g_strdup_printf ("%s/submission-%02u.vwb", dir, b);

      content_bytes += g_bytes_get_size (content);
      vw_bundle_write_bytes (path, VW_BUNDLE_KIND_SUBMISSION, study, signing, recipients, content, NULL, NULL,
                             &error);
      g_assert_no_error (error);
      g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);

  g_print ("%u bundles, %u participants x %d rounds x %d answers = %u answers, %.1f MiB of rows\n", N_BUNDLES,
           per_bundle * N_BUNDLES, N_ROUNDS, N_ANSWERS, per_bundle * N_BUNDLES * N_ROUNDS * N_ANSWERS,
           content_bytes / 1048576.0);
  run_child (RUN_BASELINE, vault_path, key, study, (char **) paths->pdata, db_path, &base_s, &base_kib);
  run_child (RUN_MERGE, vault_path, key, study, (char **) paths->pdata, NULL, &merge_s, &merge_kib);

  g_print ("baseline child: %.2f s wall (with opening the vault), peak RSS %.1f MiB\n", base_s, base_kib / 1024.0);
  g_print ("merge child:    %.2f s wall (with opening the vault), peak RSS %.1f MiB\n", merge_s, merge_kib / 1024.0);
  g_print ("ratio merge / baseline: %.2f (target: within 3)\n", merge_s / base_s);
  {
    struct stat st;
    if (g_stat (vault_path, &st) == 0)
      g_print ("coordinator vault: %.1f MiB\n", st.st_size / 1048576.0);
  }
  vw_test_rm_rf (dir);
  return 0;
}
