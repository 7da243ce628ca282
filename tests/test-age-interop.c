/* Interoperability with the real `age` command (Debian package "age"), in
 * both directions: what veldwerk-cli encrypts, age decrypts, and what age
 * encrypts, veldwerk-cli decrypts, byte for byte. age reads passphrases
 * only from a terminal, so those runs get a pseudo-terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* ptsname_r */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw-test-util.h"

#define PASSPHRASE "correct horse battery staple"

static const gsize sizes[] = { 0, 1, 65535, 65536, 65537, 10 * 1024 * 1024 };
/* Indexes into sizes for the passphrase runs: scrypt at age's default
 * work factor is slow by design. */
static const gsize passphrase_sizes[] = { 1, 4 };

typedef struct
{
  char *dir;
  char *keys[3];    /* identity files: age-keygen, age-keygen, veldwerk-cli keygen */
  char *publics[3]; /* their recipients */
  char *inputs[G_N_ELEMENTS (sizes)];
} Fixture;

static char *
run (const char * const *argv,
     int                *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  if (*status != 0)
    g_test_message ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

#define RUN_OK(...) G_STMT_START { \
    const char *argv_[] = { __VA_ARGS__, NULL }; \
    int status_; \
    g_autofree char *out_ = run (argv_, &status_); \
    g_assert_cmpint (status_, ==, 0); \
  } G_STMT_END

/* Runs @argv with a pseudo-terminal as its controlling terminal, and
 * answers every passphrase prompt with PASSPHRASE. Returns the exit status. */
static int
run_with_terminal (const char * const *argv,
                   guint              *prompts)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  char slave_name[128];
  GString *transcript = g_string_new (NULL);
  gsize answered_upto = 0;
  int wait_status = 0;
  pid_t pid;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  g_assert_cmpint (ptsname_r (master, slave_name, sizeof slave_name), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int slave;

      /* Only async-signal-safe calls between fork and exec. */
      setsid ();
      slave = open (slave_name, O_RDWR);
      if (slave < 0 || ioctl (slave, TIOCSCTTY, 0) < 0)
        _exit (126);
      dup2 (slave, STDIN_FILENO);
      dup2 (slave, STDOUT_FILENO);
      dup2 (slave, STDERR_FILENO);
      execvp (argv[0], (char * const *) argv);
      _exit (127);
    }

  *prompts = 0;
  for (;;)
    {
      struct pollfd pfd = { master, POLLIN, 0 };
      char buf[512];
      gssize n;
      const char *found;
      int ready = poll (&pfd, 1, 120 * 1000);

      if (ready == 0)
        {
          kill (pid, SIGKILL);
          g_error ("%s did not finish; terminal so far: %s", argv[0], transcript->str);
        }
      n = read (master, buf, sizeof buf);
      if (n <= 0)
        break; /* EIO: the child closed the terminal */
      g_string_append_len (transcript, buf, n);

      /* "Enter passphrase", "Confirm passphrase": answer each prompt once. */
      while ((found = strstr (transcript->str + answered_upto, "passphrase")) != NULL)
        {
          answered_upto = found - transcript->str + strlen ("passphrase");
          g_assert_cmpint (write (master, PASSPHRASE "\n", strlen (PASSPHRASE) + 1), >, 0);
          (*prompts)++;
        }
    }
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  close (master);

  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    g_test_message ("%s: terminal: %s", argv[0], transcript->str);
  g_string_free (transcript, TRUE);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

/* age -d -o creates its output only on the first write, so an empty file
 * would leave no output at all: take standard output instead. */
static void
age_decrypt (const char *identity,
             const char *input,
             const char *output)
{
  g_autofree char *q_identity = g_shell_quote (identity);
  g_autofree char *q_input = g_shell_quote (input);
  g_autofree char *q_output = g_shell_quote (output);
  g_autofree char *command = g_strdup_printf ("age -d -i %s %s > %s", q_identity, q_input, q_output);

  RUN_OK ("sh", "-c", command);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *age = g_find_program_in_path ("age");

  g_assert_nonnull (age);
  fixture->dir = g_dir_make_tmp ("vw-interop-XXXXXX", &error);
  g_assert_no_error (error);

  for (int k = 0; k < 3; k++)
    {
      fixture->keys[k] = g_strdup_printf ("%s/key%d.txt", fixture->dir, k);
      if (k < 2)
        RUN_OK ("age-keygen", "-o", fixture->keys[k]);
      else
        g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "keygen", "-o", fixture->keys[k], NULL), ==, 0);
      fixture->publics[k] = vw_test_age_public_key (fixture->keys[k]);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) bytes = vw_test_random_bytes (sizes[i]);

      fixture->inputs[i] = g_strdup_printf ("%s/plain-%" G_GSIZE_FORMAT, fixture->dir, sizes[i]);
      g_assert_true (g_file_set_contents (fixture->inputs[i], g_bytes_get_data (bytes, NULL), sizes[i], NULL));
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vw_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  for (int k = 0; k < 3; k++)
    {
      g_free (fixture->keys[k]);
      g_free (fixture->publics[k]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_free (fixture->inputs[i]);
}

/* Our keys and age's are the same thing: age-keygen -y derives the public
 * key our keygen wrote in its comment line. */
static void
test_interop_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *argv[] = { "age-keygen", "-y", fixture->keys[2], NULL };
  int status;
  g_autofree char *out = run (argv, &status);
  g_autofree char *expected = g_strdup_printf ("%s\n", fixture->publics[2]);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

/* veldwerk-cli encrypts; age -d decrypts: one recipient, several
 * recipients (each key opens it), armored, and a passphrase. */
static void
test_interop_we_encrypt (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *recipients_file = g_build_filename (fixture->dir, "recipients.txt", NULL);
  g_autofree char *recipients = g_strdup_printf ("# the third key\n%s\n", fixture->publics[2]);

  g_assert_true (g_file_set_contents (recipients_file, recipients, -1, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      const char *in = fixture->inputs[i];
      g_autofree char *single = g_strdup_printf ("%s.single.age", in);
      g_autofree char *multi = g_strdup_printf ("%s.multi.age", in);
      g_autofree char *armored = g_strdup_printf ("%s.armored.age", in);
      g_autofree char *back = g_strdup_printf ("%s.back", in);
      const char *key_for_multi = fixture->keys[i % 3];

      g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-r", fixture->publics[0],
                                        "-o", single, in, NULL), ==, 0);
      age_decrypt (fixture->keys[0], single, back);
      vw_test_assert_same_file (back, in);
      g_unlink (back);

      g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-r", fixture->publics[0],
                                        "-r", fixture->publics[1], "-R", recipients_file,
                                        "-o", multi, in, NULL), ==, 0);
      age_decrypt (key_for_multi, multi, back);
      vw_test_assert_same_file (back, in);
      g_unlink (back);

      g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-a", "-r", fixture->publics[1],
                                        "-o", armored, in, NULL), ==, 0);
      age_decrypt (fixture->keys[1], armored, back);
      vw_test_assert_same_file (back, in);
      g_unlink (back);
    }

  /* A passphrase, which age asks for on the terminal; over two chunks. */
    {
      const char *in = fixture->inputs[4];
      g_autofree char *enc = g_strdup_printf ("%s.pass.age", in);
      g_autofree char *back = g_strdup_printf ("%s.back", in);
      const char *env[] = { "VELDWERK_PASSPHRASE=" PASSPHRASE, NULL };
      const char *argv[] = { "age", "-d", "-o", back, enc, NULL };
      guint prompts = 0;

      g_assert_cmpint (vw_test_run_cli (env, NULL, NULL, "encrypt", "-p", "-o", enc, in, NULL), ==, 0);
      g_assert_cmpint (run_with_terminal (argv, &prompts), ==, 0);
      g_assert_cmpuint (prompts, ==, 1);
      vw_test_assert_same_file (back, in);
      g_unlink (back);
    }
}

/* age encrypts; veldwerk-cli decrypt decrypts: binary and armored, to a
 * file and through standard input and output, several recipients, and a
 * passphrase that age asks for on the terminal. */
static void
test_interop_age_encrypts (Fixture       *fixture,
                           gconstpointer  data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      const char *in = fixture->inputs[i];
      g_autofree char *enc = g_strdup_printf ("%s.by-age.age", in);
      g_autofree char *armored = g_strdup_printf ("%s.by-age.asc", in);
      g_autofree char *multi = g_strdup_printf ("%s.by-age-multi.age", in);
      g_autofree char *back = g_strdup_printf ("%s.back", in);

      RUN_OK ("age", "-r", fixture->publics[2], "-o", enc, in);
      g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", fixture->keys[2],
                                        "-o", back, enc, NULL), ==, 0);
      vw_test_assert_same_file (back, in);
      g_unlink (back);

      RUN_OK ("age", "-a", "-r", fixture->publics[0], "-o", armored, in);
      g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", fixture->keys[0],
                                        "-o", back, armored, NULL), ==, 0);
      vw_test_assert_same_file (back, in);
      g_unlink (back);

      RUN_OK ("age", "-r", fixture->publics[0], "-r", fixture->publics[1], "-r", fixture->publics[2],
              "-o", multi, in);
      g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", fixture->keys[i % 3],
                                        "-o", back, multi, NULL), ==, 0);
      vw_test_assert_same_file (back, in);
      g_unlink (back);
    }

  /* Standard input to standard output, through a shell pipe so that the
   * streams are real pipes. */
  {
    const char *in = fixture->inputs[4];
    g_autofree char *enc = g_strdup_printf ("%s.by-age.age", in);
    g_autofree char *back = g_strdup_printf ("%s.piped", in);
    g_autofree char *command = g_strdup_printf ("'%s' decrypt -i '%s' < '%s' > '%s'", vw_test_cli_path (),
                                                fixture->keys[2], enc, back);

    RUN_OK ("sh", "-c", command);
    vw_test_assert_same_file (back, in);
  }

  for (gsize p = 0; p < G_N_ELEMENTS (passphrase_sizes); p++)
    {
      const char *in = fixture->inputs[passphrase_sizes[p]];
      g_autofree char *enc = g_strdup_printf ("%s.by-age-pass.age", in);
      g_autofree char *back = g_strdup_printf ("%s.back", in);
      const char *env[] = { "VELDWERK_PASSPHRASE=" PASSPHRASE, NULL };
      const char *argv[] = { "age", "-p", "-o", enc, in, NULL };
      guint prompts = 0;

      g_assert_cmpint (run_with_terminal (argv, &prompts), ==, 0);
      g_assert_cmpuint (prompts, ==, 2);
      /* No -i: decrypt sees the scrypt stanza and takes the passphrase. */
      g_assert_cmpint (vw_test_run_cli (env, NULL, NULL, "decrypt", "-o", back, enc, NULL), ==, 0);
      vw_test_assert_same_file (back, in);
      g_unlink (back);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/age/interop/keys", Fixture, NULL, fixture_set_up, test_interop_keys, fixture_tear_down);
  g_test_add ("/age/interop/we-encrypt-age-decrypts", Fixture, NULL, fixture_set_up,
              test_interop_we_encrypt, fixture_tear_down);
  g_test_add ("/age/interop/age-encrypts-we-decrypt", Fixture, NULL, fixture_set_up,
              test_interop_age_encrypts, fixture_tear_down);

  return g_test_run ();
}
