/* Vault benchmarks (meson benchmark, suite 'vault'); they print their
 * figures and assert nothing about time.
 *
 * - saving one answer (encrypt + durable commit): median and p99 over
 *   10,000 saves, next to the disk's own fsync time;
 * - opening a vault of 1,000 participants x 5 rounds x 150 answers:
 *   open + unlock minus the Argon2id derivation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

#define N_SAVES        10000
#define N_PARTICIPANTS 1000
#define N_ROUNDS       5
#define N_ANSWERS      150
#define N_OPENS        5

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *us,
               double  p)
{
  gsize index;

  g_array_sort (us, compare_gint64);
  index = MIN (us->len - 1, (gsize) (p * us->len));
  return g_array_index (us, gint64, index) / 1000.0;
}

static void
bench_fsync (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "fsync.bin", NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  char block[4096] = { 0 };
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (int i = 0; i < 500; i++)
    {
      gint64 start = g_get_monotonic_time (), elapsed;

      g_assert_cmpint (pwrite (fd, block, sizeof block, (i % 16) * sizeof block), ==, sizeof block);
      g_assert_cmpint (fdatasync (fd), ==, 0);
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (times, elapsed);
    }
  close (fd);
  g_unlink (path);
  g_print ("disk: 4 KiB write + fdatasync: median %.3f ms, p99 %.3f ms (500 runs)\n",
           percentile_ms (times, 0.5), percentile_ms (times, 0.99));
}

static void
bench_save_answer (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "save.vault", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (path, &study, NULL);
  g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, "Bench", "DH", &error);
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total = 0;

  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* As the user types: 150 questions, each saved again and again. */
  for (int i = 0; i < N_SAVES; i++)
    {
      g_autofree char *question = g_strdup_printf ("q%03d", i % N_ANSWERS);
      g_autofree char *value = g_strdup_printf ("answer %d, typed as the participant speaks", i);
      gint64 start = g_get_monotonic_time (), elapsed;

      vw_vault_save_answer (vault, iv->id, question, value, &error);
      elapsed = g_get_monotonic_time () - start;
      g_assert_no_error (error);
      g_array_append_val (times, elapsed);
      total += elapsed;
    }

  g_print ("save answer (encrypt + durable commit), %d saves: median %.3f ms, p99 %.3f ms, max %.3f ms, "
           "mean %.3f ms\n", N_SAVES, percentile_ms (times, 0.5), percentile_ms (times, 0.99),
           percentile_ms (times, 1.0), total / 1000.0 / N_SAVES);
}

static void
build_large_vault (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (path, &study, NULL);
  gint64 start = g_get_monotonic_time ();

  for (int r = 1; r < N_ROUNDS; r++)
    {
      g_autofree char *label = g_strdup_printf ("T%d", r);
      vw_vault_add_round (vault, study, label, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  for (int i = 0; i < N_PARTICIPANTS; i++)
    {
      g_autofree char *pseudonym = g_strdup_printf ("Deelnemer %d", i);
      g_autoptr(VwParticipant) p = NULL;

      /* One transaction per participant, as an import would batch. */
      vw_vault_begin (vault, &error);
      g_assert_no_error (error);
      p = vw_vault_create_participant (vault, study, NULL, pseudonym, "DH", &error);
      g_assert_no_error (error);
      vw_vault_set_participant_value (vault, study, p->code, "birth_year", "1970", &error);
      g_assert_no_error (error);
      for (int r = 0; r < N_ROUNDS; r++)
        {
          g_autofree char *label = g_strdup_printf ("T%d", r);
          g_autoptr(VwInterview) iv = vw_vault_start_interview (vault, study, p->code, label, NULL, NULL, NULL, NULL,
                                                                &error);
          g_assert_no_error (error);
          vw_vault_set_interview_status (vault, iv->id, "interviewed", "2024-03-01", NULL, &error);
          g_assert_no_error (error);
          for (int q = 0; q < N_ANSWERS; q++)
            {
              g_autofree char *question = g_strdup_printf ("q%03d", q);
              vw_vault_save_answer (vault, iv->id, question, "eigen_woning", &error);
              g_assert_no_error (error);
            }
        }
      vw_vault_commit (vault, &error);
      g_assert_no_error (error);
    }
  g_print ("built a vault of %d participants x %d rounds x %d answers in %.1f s\n", N_PARTICIPANTS, N_ROUNDS,
           N_ANSWERS, (g_get_monotonic_time () - start) / 1e6);
}

static void
bench_open (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "large.vault", NULL);
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(GArray) rest = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) kdf = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lists = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(VwSecret) key = NULL;
  GStatBuf st;

  build_large_vault (path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_print ("vault file: %.1f MiB\n", st.st_size / 1048576.0);

  /* The vault key, for opening without the key derivation. */
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (path);
    key = vw_secret_dup (vault->key);
  }

  for (int i = 0; i < N_OPENS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VwVault) vault = NULL;
      g_autoptr(VwVault) full = NULL;
      g_autoptr(GPtrArray) studies = NULL;
      g_autoptr(GPtrArray) participants = NULL;
      gint64 start, opened, unlocked, listed, full_start, full_end;

      /* Open and unlock with the key already derived: all but Argon2id. */
      start = g_get_monotonic_time ();
      vault = vw_vault_open (path, &error);
      g_assert_no_error (error);
      opened = g_get_monotonic_time ();
      vw_vault_unlock_with_key (vault, key, &error);
      g_assert_no_error (error);
      unlocked = g_get_monotonic_time ();

      studies = vw_vault_list_studies (vault, &error);
      g_assert_no_error (error);
      participants = vw_vault_list_participants (vault, ((VwStudy *) g_ptr_array_index (studies, 0))->id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (participants->len, ==, N_PARTICIPANTS);
      listed = g_get_monotonic_time ();
      g_clear_object (&vault);

      /* The whole of it, with the passphrase. */
      full_start = g_get_monotonic_time ();
      full = vw_vault_open (path, &error);
      g_assert_no_error (error);
      vw_vault_unlock (full, passphrase, NULL, &error);
      g_assert_no_error (error);
      full_end = g_get_monotonic_time ();

      g_array_append_vals (rest, &(gint64) { unlocked - start }, 1);
      g_array_append_vals (opens, &(gint64) { opened - start }, 1);
      g_array_append_vals (lists, &(gint64) { listed - unlocked }, 1);
      g_array_append_vals (kdf, &(gint64) { full_end - full_start }, 1);
    }

  g_print ("open + unlock without Argon2id (%d opens): median %.2f ms, max %.2f ms\n", N_OPENS,
           percentile_ms (rest, 0.5), percentile_ms (rest, 1.0));
  g_print ("of which vw_vault_open (reading the key data, no key): median %.2f ms\n", percentile_ms (opens, 0.5));
  g_print ("open + unlock with the passphrase (Argon2id included): median %.0f ms\n", percentile_ms (kdf, 0.5));
  g_print ("list %d participants (decrypting every pseudonym): median %.2f ms\n", N_PARTICIPANTS,
           percentile_ms (lists, 0.5));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VwVault) vault = vw_test_open_vault (path);
    gint64 start = g_get_monotonic_time ();

    g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
    g_print ("verify (integrity check + every value decrypted): %.2f s\n", (g_get_monotonic_time () - start) / 1e6);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  g_assert_true (vw_core_init (NULL));
  /* On the disk the build is on, as a vault lives on the laptop's disk. */
  dir = g_build_filename (g_getenv ("VELDWERK_BUILD_DIR") ? g_getenv ("VELDWERK_BUILD_DIR") : ".",
                          "bench-vault-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (dir));

  bench_fsync (dir);
  bench_save_answer (dir);
  bench_open (dir);

  vw_test_rm_rf (dir);
  return 0;
}
