/* Durability: a child process saves answers in a loop and reports each
 * save that returned; the parent kills it with SIGKILL at random moments,
 * 50 times. After each kill the vault opens, verify passes, and every
 * reported answer is there with its value.
 *
 * The child is this program itself, started with --crash-child.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw-test-util.h"
#include "vw-test-vault.h"

#define N_KILLS 50

static void
report (const char *line)
{
  gsize len = strlen (line), done = 0;

  while (done < len)
    {
      gssize n = write (STDOUT_FILENO, line + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (3);
      done += n;
    }
}

/* Saves until killed; a line is written only after the save returned. */
static int
crash_child (const char *path,
             const char *interview,
             const char *iteration)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;

  if (!vw_core_init (&error))
    return 2;
  vault = vw_test_open_vault (path);
  for (guint n = 0;; n++)
    {
      g_autofree char *question = g_strdup_printf ("q%s_%u", iteration, n);
      g_autofree char *value = g_strdup_printf ("v%s_%u", iteration, n);
      g_autofree char *rolling = g_strdup_printf ("%s_%u", iteration, n);
      g_autofree char *line = NULL;

      if (!vw_vault_save_answer (vault, interview, question, value, &error))
        g_error ("save failed: %s", error->message);
      line = g_strdup_printf ("%s %s\n", question, value);
      report (line);

      /* The same question over and over: updates in place. */
      if (!vw_vault_save_answer (vault, interview, "rolling", rolling, &error))
        g_error ("save failed: %s", error->message);
      g_free (line);
      line = g_strdup_printf ("rolling %s\n", rolling);
      report (line);
    }
  return 0;
}

/* Reads what is there, waiting at most @timeout_ms; FALSE at EOF. */
static gboolean
read_some (int      fd,
           GString *buffer,
           int      timeout_ms)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  char chunk[4096];
  gssize n;

  if (poll (&pfd, 1, timeout_ms) <= 0)
    return TRUE;
  n = read (fd, chunk, sizeof chunk);
  if (n <= 0)
    return n < 0 && errno == EINTR;
  g_string_append_len (buffer, chunk, n);
  return TRUE;
}

static void
test_crash_durability (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "crash.vault", NULL);
  g_autofree char *study = NULL;
  g_autofree char *interview = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint total_reported = 0, early_kills = 0;

  {
    g_autoptr(VwVault) vault = vw_test_create_vault (path, &study, NULL);
    g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, "Crash", "DH", &error);
    g_autoptr(VwInterview) iv = NULL;

    g_assert_no_error (error);
    iv = vw_vault_start_interview (vault, study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    interview = g_strdup (iv->id);
  }

  for (int kill_no = 0; kill_no < N_KILLS; kill_no++)
    {
      g_autofree char *iteration = g_strdup_printf ("%d", kill_no);
      const char *argv[] = { "/proc/self/exe", "--crash-child", path, interview, iteration, NULL };
      g_autoptr(GString) output = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;
      g_autoptr(VwVault) vault = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autofree char *last_rolling = NULL;
      g_autofree char *rolling = NULL;
      GPid pid;
      int out_fd, status;
      gint64 deadline;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                &out_fd, NULL, &error);
      g_assert_no_error (error);

      /* Mostly mid-save; one kill in five lands anywhere from start-up
       * (opening, key stretching) on. */
      if (kill_no % 5 == 4)
        {
          deadline = g_get_monotonic_time () + g_test_rand_int_range (0, 500000);
          early_kills++;
        }
      else
        {
          while (strchr (output->str, '\n') == NULL && read_some (out_fd, output, 5000))
            ;
          deadline = g_get_monotonic_time () + g_test_rand_int_range (0, 40000);
        }
      while (g_get_monotonic_time () < deadline)
        read_some (out_fd, output, MAX (1, (int) ((deadline - g_get_monotonic_time ()) / 1000)));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      g_spawn_close_pid (pid);
      while (read_some (out_fd, output, 1000))
        ;
      close (out_fd);

      /* Only whole lines count: a line cut by the kill was not reported. */
      lines = g_strsplit (output->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
        {
          g_auto(GStrv) parts = g_strsplit (lines[i], " ", 2);

          g_assert_cmpuint (g_strv_length (parts), ==, 2);
          if (g_str_equal (parts[0], "rolling"))
            {
              g_free (last_rolling);
              last_rolling = g_strdup (parts[1]);
            }
          else
            g_hash_table_insert (expected, g_strdup (parts[0]), g_strdup (parts[1]));
          total_reported++;
        }

      vault = vw_test_open_vault (path);
      if (!vw_vault_verify (vault, &problems, NULL, &error))
        {
          for (guint i = 0; i < problems->len; i++)
            g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
          g_error ("verify failed after kill %d: %s", kill_no, error->message);
        }

      {
        g_autoptr(GPtrArray) answers = vw_vault_list_answers (vault, interview, &error);
        g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
        GHashTableIter iter;
        gpointer question, value;

        g_assert_no_error (error);
        for (guint i = 0; i < answers->len; i++)
          {
            VwAnswer *answer = g_ptr_array_index (answers, i);
            g_hash_table_insert (stored, answer->question, answer->value);
          }
        g_hash_table_iter_init (&iter, expected);
        while (g_hash_table_iter_next (&iter, &question, &value))
          {
            const char *got = g_hash_table_lookup (stored, question);
            if (g_strcmp0 (got, value) != 0)
              g_error ("after kill %d, %s is “%s”, reported saved as “%s”", kill_no, (char *) question,
                       got ? got : "(missing)", (char *) value);
          }
        /* The rolling answer is the last one reported, or the one after
         * it whose save had committed but not yet been reported. */
        rolling = g_strdup (g_hash_table_lookup (stored, "rolling"));
        if (last_rolling != NULL)
          {
            g_auto(GStrv) parts = g_strsplit (last_rolling, "_", 2);
            g_autofree char *next = g_strdup_printf ("%s_%d", parts[0], atoi (parts[1]) + 1);

            g_assert_true (g_strcmp0 (rolling, last_rolling) == 0 || g_strcmp0 (rolling, next) == 0);
          }
      }
      g_assert_true (vw_vault_close (vault, &error));
    }

  g_test_message ("%d kills (%u at any moment), %u saves reported and found", N_KILLS, early_kills, total_reported);
  g_assert_cmpuint (g_hash_table_size (expected), >, N_KILLS);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/vault-crash/durability", test_crash_durability);

  return g_test_run ();
}
