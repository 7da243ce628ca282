/* Benchmark: encrypt and decrypt a 256 MiB file with veldwerk-cli and with
 * the age command, in the same run, and the peak memory of veldwerk-cli
 * decrypt. Prints the figures; asserts only that every output is right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw-test-util.h"

#define FILE_SIZE   (256 * 1024 * 1024)
#define REPEATS     9
#define MEMORY_GOAL (8 * 1024) /* KiB */

typedef struct
{
  double seconds;
  long   max_rss_kib;
} Run;

/* Runs @argv with standard output to @out_path (so neither tool gets an
 * advantage from how it opens its output) and measures it. */
static Run
run_measured (const char * const *argv,
              const char         *out_path)
{
  struct rusage usage;
  int status = 0;
  gint64 start;
  pid_t pid;
  Run run;

  /* Every run writes a new file and starts with nothing of the runs
   * before it left to write back, so that no tool pays for another's
   * output. (Truncating a file and writing it again makes ext4 start
   * writing it out when it is closed, which the tools would pay for.) */
  if (g_strcmp0 (out_path, "/dev/null") != 0)
    g_unlink (out_path);
  sync ();
  start = g_get_monotonic_time ();
  pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

      if (fd < 0 || dup2 (fd, STDOUT_FILENO) < 0)
        _exit (126);
      execvp (argv[0], (char * const *) argv);
      _exit (127);
    }
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  run.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  run.max_rss_kib = usage.ru_maxrss;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return run;
}

static void
hash_file (const char *path,
           char        hex[65])
{
  crypto_hash_sha256_state state;
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  guint8 digest[32];
  FILE *f = fopen (path, "rb");
  size_t n;

  g_assert_nonnull (f);
  crypto_hash_sha256_init (&state);
  while ((n = fread (buffer, 1, 1024 * 1024, f)) > 0)
    crypto_hash_sha256_update (&state, buffer, n);
  fclose (f);
  crypto_hash_sha256_final (&state, digest);
  sodium_bin2hex (hex, 65, digest, sizeof digest);
}

static void
assert_output (const char *path,
               const char *expected_hex)
{
  char hex[65];

  hash_file (path, hex);
  g_assert_cmpstr (hex, ==, expected_hex);
  g_unlink (path);
}

static int
compare_runs (const void *a,
              const void *b)
{
  double x = ((const Run *) a)->seconds, y = ((const Run *) b)->seconds;

  return x < y ? -1 : x > y;
}

static Run
median (Run runs[REPEATS])
{
  qsort (runs, REPEATS, sizeof (Run), compare_runs);
  return runs[REPEATS / 2];
}

/* The fastest run: what the tool does when nothing else on the machine
 * gets in its way (call after median(), which sorts). */
static double
fastest (const Run runs[REPEATS])
{
  return runs[0].seconds;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-bench-age-XXXXXX", &error);
  g_autofree char *plain = g_build_filename (dir, "plain", NULL);
  g_autofree char *key = g_build_filename (dir, "key.txt", NULL);
  g_autofree char *ours = g_build_filename (dir, "ours.age", NULL);
  g_autofree char *theirs = g_build_filename (dir, "theirs.age", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *key_text = NULL;
  g_autofree char *recipient = NULL;
  g_autofree guint8 *block = g_malloc (1024 * 1024);
  const char *cli = vw_test_cli_path ();
  Run enc_ours[REPEATS], enc_age[REPEATS], dec_ours[REPEATS], dec_age[REPEATS], dec_ours_file[REPEATS];
  char plain_hex[65];
  long peak_ours = 0, peak_age = 0;
  FILE *f;

  g_assert_no_error (error);
  g_assert_cmpint (sodium_init (), >=, 0);

  /* Random content: nothing for either tool to gain from patterns. */
  f = fopen (plain, "wb");
  g_assert_nonnull (f);
  for (gsize i = 0; i < FILE_SIZE / (1024 * 1024); i++)
    {
      randombytes_buf (block, 1024 * 1024);
      g_assert_cmpuint (fwrite (block, 1, 1024 * 1024, f), ==, 1024 * 1024);
    }
  g_assert_cmpint (fclose (f), ==, 0);
  hash_file (plain, plain_hex);

  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "keygen", "-o", key, NULL), ==, 0);
  g_assert_true (g_file_get_contents (key, &key_text, NULL, NULL));
  recipient = g_strndup (strstr (key_text, "age1"), 62);

  /* Alternate the two tools, so that neither always meets a warmer cache. */
  for (int r = 0; r < REPEATS; r++)
    {
      const char *enc_ours_argv[] = { cli, "encrypt", "-r", recipient, plain, NULL };
      const char *enc_age_argv[] = { "age", "-r", recipient, plain, NULL };
      const char *dec_ours_argv[] = { cli, "decrypt", "-i", key, ours, NULL };
      const char *dec_age_argv[] = { "age", "-d", "-i", key, theirs, NULL };
      const char *dec_ours_file_argv[] = { cli, "decrypt", "-i", key, "-o", out, ours, NULL };

      enc_ours[r] = run_measured (enc_ours_argv, ours);
      enc_age[r] = run_measured (enc_age_argv, theirs);

      dec_ours[r] = run_measured (dec_ours_argv, out);
      assert_output (out, plain_hex);
      dec_age[r] = run_measured (dec_age_argv, out);
      assert_output (out, plain_hex);
      /* -o: through a temporary file, fsync and rename. */
      dec_ours_file[r] = run_measured (dec_ours_file_argv, "/dev/null");
      assert_output (out, plain_hex);

      peak_ours = MAX (peak_ours, MAX (dec_ours[r].max_rss_kib, dec_ours_file[r].max_rss_kib));
      peak_age = MAX (peak_age, dec_age[r].max_rss_kib);
    }

  {
    Run eo = median (enc_ours), ea = median (enc_age), d_o = median (dec_ours), da = median (dec_age);
    Run dof = median (dec_ours_file);
    double mib = FILE_SIZE / (1024.0 * 1024.0);

    g_print ("# age benchmark: %.0f MiB of random data, median of %d runs each, output to a file\n", mib, REPEATS);
    g_print ("encrypt: veldwerk-cli %.3f s (%.0f MiB/s), age %.3f s (%.0f MiB/s), ratio %.2f\n",
             eo.seconds, mib / eo.seconds, ea.seconds, mib / ea.seconds, eo.seconds / ea.seconds);
    g_print ("decrypt: veldwerk-cli %.3f s (%.0f MiB/s), age %.3f s (%.0f MiB/s), ratio %.2f\n",
             d_o.seconds, mib / d_o.seconds, da.seconds, mib / da.seconds, d_o.seconds / da.seconds);
    g_print ("fastest runs: encrypt veldwerk-cli %.3f s, age %.3f s, ratio %.2f; "
             "decrypt veldwerk-cli %.3f s, age %.3f s, ratio %.2f\n",
             fastest (enc_ours), fastest (enc_age), fastest (enc_ours) / fastest (enc_age),
             fastest (dec_ours), fastest (dec_age), fastest (dec_ours) / fastest (dec_age));
    g_print ("decrypt -o (temporary file, fsync, rename): veldwerk-cli %.3f s\n", dof.seconds);
    g_print ("peak RSS while decrypting: veldwerk-cli %ld KiB (goal under %d KiB: %s), age %ld KiB\n",
             peak_ours, MEMORY_GOAL, peak_ours < MEMORY_GOAL ? "met" : "NOT met", peak_age);
  }

  vw_test_rm_rf (dir);
  return 0;
}
