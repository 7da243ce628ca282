/* What veldwerk-cli leaves where it writes: a decrypt killed
 * with SIGKILL halfway leaves no plaintext in the output's directory, and
 * -o onto a FIFO or a device writes into it instead of replacing it with
 * a regular file.
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "vw-core.h"
#include "vw-test-files.h"
#include "vw-test-util.h"

#define MARKER "VELDWERK-PLAINTEXT-MARKER"

typedef struct
{
  char *dir;       /* the test's own files */
  char *out_dir;   /* where outputs go, and nothing else */
  char *key;       /* an identity file */
  char *public;    /* its recipient */
  char *plain;     /* a small plaintext file */
  char *enc;       /* it, encrypted to the key */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(VwAgeRecipient) recipient = vw_age_identity_to_recipient (identity);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(VwSecret) key = vw_age_keygen_file_contents (identity, now);

  f->dir = g_dir_make_tmp ("vw-outputs-XXXXXX", &error);
  g_assert_no_error (error);
  f->out_dir = g_build_filename (f->dir, "out", NULL);
  g_assert_cmpint (g_mkdir (f->out_dir, 0700), ==, 0);
  f->key = g_build_filename (f->dir, "key.txt", NULL);
  g_assert_true (g_file_set_contents_full (f->key, (const char *) vw_secret_const_data (key), vw_secret_len (key),
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  f->public = vw_age_recipient_to_string (recipient);
  f->plain = g_build_filename (f->dir, "plain.txt", NULL);
  g_assert_true (g_file_set_contents (f->plain, MARKER " one line of plaintext\n", -1, &error));
  f->enc = g_build_filename (f->dir, "plain.age", NULL);
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-r", f->public, "-o", f->enc, f->plain, NULL),
                   ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->out_dir);
  g_free (f->key);
  g_free (f->public);
  g_free (f->plain);
  g_free (f->enc);
}

static char *
out_path (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->out_dir, name, NULL);
}

/* An age file of @mib MiB of lines with @marker, and (if @plain_out)
 * the plaintext beside it. */
static char *
make_large (Fixture     *f,
            const char  *name,
            int          mib,
            const char  *marker,
            char       **plain_out)
{
  g_autofree char *path = g_strconcat (f->dir, "/", name, ".age", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwAgeEncryptor) encryptor = NULL;
  GString *chunk = g_string_new (NULL);

  g_ptr_array_add (recipients, vw_age_recipient_parse (f->public, &error));
  encryptor = vw_age_encryptor_new (G_OUTPUT_STREAM (out), recipients, FALSE, NULL, &error);
  g_assert_no_error (error);
  for (guint line = 0; chunk->len < 1024 * 1024; line++)
    g_string_append_printf (chunk, "%s %08u of the large file\n", marker, line);
  for (int i = 0; i < mib; i++)
    g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (encryptor), chunk->str, chunk->len, NULL, NULL,
                                              &error));
  if (plain_out != NULL)
    {
      GString *all = g_string_new (NULL);

      for (int i = 0; i < mib; i++)
        g_string_append_len (all, chunk->str, chunk->len);
      *plain_out = g_strconcat (f->dir, "/", name, ".txt", NULL);
      g_assert_true (g_file_set_contents (*plain_out, all->str, all->len, &error));
      g_string_free (all, TRUE);
    }
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (encryptor), NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_string_free (chunk, TRUE);
  return g_steal_pointer (&path);
}

static GSubprocess *
spawn_cli (const char * const *env,
           GSubprocessFlags    flags,
           const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_unsetenv (launcher, "VELDWERK_PASSPHRASE");
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

      g_subprocess_launcher_setenv (launcher, name, env[i] + strlen (name) + 1, TRUE);
    }
  g_ptr_array_add (argv, (gpointer) vw_test_cli_path ());
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

/* The bytes of plaintext the process holds in files under @dir, named or
 * not, seen through /proc/PID/fd. */
static goffset
written_under (GSubprocess *proc,
               const char  *dir)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (proc));
  g_autoptr(GDir) fds = g_dir_open (fd_dir, 0, NULL);
  const char *name;
  goffset total = 0;

  g_assert_nonnull (fds);
  while ((name = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *link = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);
      GStatBuf st;

      if (target != NULL && g_str_has_prefix (target, dir) && g_stat (link, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  return total;
}

/* Feeds @large to a decrypt writing into out/, and kills it with SIGKILL
 * once it has written at least 8 MiB of plaintext there. */
static void
kill_during_decrypt (Fixture            *f,
                     const char         *large,
                     const char * const *env)
{
  g_autofree char *output = out_path (f, "large.txt");
  const char *args[] = { "decrypt", "-i", f->key, "-o", output, NULL };
  g_autoptr(GSubprocess) proc = spawn_cli (env, G_SUBPROCESS_FLAGS_STDIN_PIPE, args);
  GOutputStream *in = g_subprocess_get_stdin_pipe (proc);
  g_autoptr(GFile) file = g_file_new_for_path (large);
  g_autoptr(GFileInputStream) source = g_file_read (file, NULL, NULL);
  g_autofree char *buffer = g_malloc (1024 * 1024);
  g_autoptr(GError) error = NULL;
  goffset written = 0;

  /* 32 of the 64 MiB; a write returns only once the pipe has room, so
   * the program has read most of it. */
  for (int i = 0; i < 32; i++)
    {
      gsize got = 0;

      g_assert_true (g_input_stream_read_all (G_INPUT_STREAM (source), buffer, 1024 * 1024, &got, NULL, &error));
      g_assert_true (g_output_stream_write_all (in, buffer, got, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  for (int wait = 0; wait < 600 && (written = written_under (proc, f->out_dir)) < 8 * 1024 * 1024; wait++)
    g_usleep (100 * 1000);
  g_test_message ("killed with %" G_GOFFSET_FORMAT " bytes of plaintext written", written);
  g_assert_cmpint (written, >=, 8 * 1024 * 1024);

  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* Where the file system has unnamed files (ext4, xfs, btrfs, tmpfs): the
 * killed program leaves nothing at all. */
static void
test_killed_decrypt (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *large = make_large (f, "large", 64, MARKER, NULL);

  kill_during_decrypt (f, large, NULL);
  g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 0);
  g_assert_false (vw_test_dir_contains (f->out_dir, MARKER, strlen (MARKER)));
}

/* Where it has not (FAT on a USB stick; a test switch stands in for
 * one): the killed program leaves its temporary, which the next write in
 * that directory removes; a writer still at work keeps its own, locked. */
static void
test_killed_decrypt_named (Fixture       *f,
                           gconstpointer  data)
{
  const char *named[] = { "VELDWERK_TEST_NO_O_TMPFILE=1", NULL };
  g_autofree char *large = make_large (f, "large", 64, MARKER, NULL);
  g_autofree char *medium_plain = NULL;
  g_autofree char *medium = make_large (f, "medium", 4, "another text", &medium_plain);
  g_autofree char *small_out = out_path (f, "small.txt");
  g_autofree char *busy_out = out_path (f, "busy.txt");
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint leftovers = 0;

  kill_during_decrypt (f, large, named);

  /* What the kill left: one temporary of ours, with plaintext. */
  dir = g_dir_open (f->out_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_test_message ("left: %s", name);
      g_assert_true (g_str_has_prefix (name, ".vw-tmp-"));
      leftovers++;
    }
  g_assert_cmpuint (leftovers, ==, 1);
  g_assert_true (vw_test_dir_contains (f->out_dir, MARKER, strlen (MARKER)));

  /* A writer at work in the same directory, with plaintext in its
   * temporary, waiting for the rest of its input. */
  {
    const char *busy_args[] = { "decrypt", "-i", f->key, "-o", busy_out, NULL };
    g_autoptr(GSubprocess) busy = spawn_cli (named, G_SUBPROCESS_FLAGS_STDIN_PIPE, busy_args);
    GOutputStream *in = g_subprocess_get_stdin_pipe (busy);
    g_autofree char *enc = NULL;
    gsize enc_len = 0, half;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_get_contents (medium, &enc, &enc_len, NULL));
    half = enc_len / 2;
    g_assert_true (g_output_stream_write_all (in, enc, half, NULL, NULL, &error));
    g_assert_no_error (error);
    for (int wait = 0; wait < 600 && written_under (busy, f->out_dir) == 0; wait++)
      g_usleep (100 * 1000);
    g_assert_cmpint (written_under (busy, f->out_dir), >, 0);
    /* Starting, it removed the dead writer's temporary: its own is all
     * there is. */
    g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 1);
    g_assert_false (vw_test_dir_contains (f->out_dir, MARKER, strlen (MARKER)));

    /* The next write leaves the living writer's temporary alone. */
    g_assert_cmpint (vw_test_run_cli (named, NULL, NULL, "decrypt", "-i", f->key, "-o", small_out, f->enc, NULL),
                     ==, 0);
    g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 2);
    g_assert_true (g_file_test (small_out, G_FILE_TEST_IS_REGULAR));

    g_assert_true (g_output_stream_write_all (in, enc + half, enc_len - half, NULL, NULL, &error));
    g_assert_true (g_output_stream_close (in, NULL, &error));
    g_assert_true (g_subprocess_wait_check (busy, NULL, &error));
    g_assert_no_error (error);
  }

  /* The two outputs, whole, and nothing else. */
  g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 2);
  vw_test_assert_same_file (small_out, f->plain);
  vw_test_assert_same_file (busy_out, medium_plain);
}

/* Reads a FIFO to its end while @proc writes into it; gives up when
 * @proc has ended without writing (as a program that replaced the FIFO
 * with a file would). */
static GBytes *
read_fifo (const char  *path,
           GSubprocess *proc)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gboolean connected = FALSE;
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  while (g_get_monotonic_time () < deadline)
    {
      guint8 buffer[4096];
      struct pollfd pfd = { fd, POLLIN, 0 };
      gssize n;

      poll (&pfd, 1, 100);
      n = read (fd, buffer, sizeof buffer);
      if (n > 0)
        {
          connected = TRUE;
          g_byte_array_append (data, buffer, n);
          continue;
        }
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        g_error ("read: %s", g_strerror (errno));
      /* End of file once a writer has been and gone. */
      if (n == 0 && (connected || (pfd.revents & POLLHUP)))
        break;
      if (g_subprocess_get_identifier (proc) == NULL)
        break;
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static void
assert_fifo (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

static GBytes *
file_bytes (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/* decrypt -o FIFO and encrypt -o FIFO: the reader gets the data, and the
 * FIFO is still a FIFO. */
static void
test_fifo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *fifo = out_path (f, "fifo");
  g_autoptr(GBytes) plain = file_bytes (f->plain);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    const char *args[] = { "decrypt", "-i", f->key, "-o", fifo, f->enc, NULL };
    g_autoptr(GSubprocess) proc = spawn_cli (NULL, G_SUBPROCESS_FLAGS_NONE, args);
    g_autoptr(GBytes) got = read_fifo (fifo, proc);

    g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (got, plain));
    assert_fifo (fifo);
  }
  {
    const char *args[] = { "encrypt", "-r", f->public, "-o", fifo, f->plain, NULL };
    g_autoptr(GSubprocess) proc = spawn_cli (NULL, G_SUBPROCESS_FLAGS_NONE, args);
    g_autoptr(GBytes) sealed = read_fifo (fifo, proc);
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    g_autoptr(GPtrArray) identities = vw_age_identities_from_file (f->key, &error);
    g_autoptr(GBytes) opened = NULL;

    g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (vw_age_decrypt (in, out, identities, VW_AGE_ARMOR_NONE, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_output_stream_close (out, NULL, &error));
    opened = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    g_assert_true (g_bytes_equal (opened, plain));
    assert_fifo (fifo);
  }
  g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 1);
}

/* A terminal, reached through a link in out/: what decrypt writes there
 * comes out on the other side, and the link still leads to the device. */
static void
test_terminal (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *link = out_path (f, "terminal");
  g_autoptr(GBytes) plain = file_bytes (f->plain);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  char slave[128];
  struct termios raw;
  GStatBuf st;
  int master, slave_fd;

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  g_assert_cmpint (ptsname_r (master, slave, sizeof slave), ==, 0);
  /* Raw, so that the bytes come through as they are; kept open so that
   * the terminal outlives the program's close. */
  slave_fd = g_open (slave, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  g_assert_cmpint (slave_fd, >=, 0);
  g_assert_cmpint (tcgetattr (slave_fd, &raw), ==, 0);
  cfmakeraw (&raw);
  g_assert_cmpint (tcsetattr (slave_fd, TCSANOW, &raw), ==, 0);
  g_assert_cmpint (symlink (slave, link), ==, 0);

  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", f->key, "-o", link, f->enc, NULL), ==, 0);
  while (got->len < g_bytes_get_size (plain))
    {
      guint8 buffer[256];
      struct pollfd pfd = { master, POLLIN, 0 };
      gssize n;

      /* Written before the program ended, so there at once, or never. */
      g_assert_cmpint (poll (&pfd, 1, 5000), ==, 1);
      n = read (master, buffer, sizeof buffer);
      g_assert_cmpint (n, >, 0);
      g_byte_array_append (got, buffer, n);
    }
  g_assert_cmpmem (got->data, got->len, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));

  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (link, &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  close (slave_fd);
  close (master);
}

/* A device node like /dev/null, made in out/ (the real one is never
 * touched): decrypt -o, encrypt -o and a bundle written onto it leave it a
 * character device. Making a device node needs root, as in CI. */
static void
assert_null_device (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_assert_cmpuint (major (st.st_rdev), ==, 1);
  g_assert_cmpuint (minor (st.st_rdev), ==, 3);
}

static void
test_device (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *null = out_path (f, "null");
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) content = g_bytes_new_static ("{}", 2);
  g_autoptr(VwSecret) signing = NULL;
  g_autoptr(GError) error = NULL;
  guint8 public_key[32];

  if (mknod (null, S_IFCHR | 0666, makedev (1, 3)) != 0)
    g_error ("mknod: %s (this test needs root, as CI runs it)", g_strerror (errno));
  assert_null_device (null);

  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", f->key, "-o", null, f->enc, NULL), ==, 0);
  assert_null_device (null);
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-r", f->public, "-o", null, f->plain, NULL), ==, 0);
  assert_null_device (null);
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-a", "-r", f->public, "-o", null, f->plain, NULL),
                   ==, 0);
  assert_null_device (null);

  /* Bundles are written the same way. */
  g_ptr_array_add (recipients, vw_age_recipient_parse (f->public, &error));
  signing = vw_bundle_signing_key_generate (public_key);
  g_assert_true (vw_bundle_write_bytes (null, VW_BUNDLE_KIND_INVITATION, "a-study", signing, recipients, content,
                                        NULL, NULL, &error));
  g_assert_no_error (error);
  assert_null_device (null);
  g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 1);
}

/* An export folder is filled under a temporary name, locked: the folder
 * a killed export left is removed by the next write in that directory,
 * one still being filled is not. */
static void
test_stale_folders (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dead = out_path (f, ".vw-tmp-AbCdEf-export");
  g_autofree char *dead_file = g_build_filename (dead, "trajectories_long.csv", NULL);
  g_autofree char *live = NULL;
  g_autofree char *next = out_path (f, "next.txt");
  g_autofree char *live_target = out_path (f, "export");
  g_autoptr(GError) error = NULL;
  int lock_fd = -1;

  g_assert_cmpint (g_mkdir (dead, 0700), ==, 0);
  g_assert_true (g_file_set_contents (dead_file, MARKER "\n", -1, &error));

  live = vw_atomic_dir_new (live_target, &lock_fd, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lock_fd, >=, 0);
  /* Making it removed the dead one. */
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));

  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", f->key, "-o", next, f->enc, NULL), ==, 0);
  g_assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));

  /* Its writer gone (the lock closed, as when a process dies): the next
   * write removes it. */
  close (lock_fd);
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", f->key, "-o", next, f->enc, NULL), ==, 0);
  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (vw_test_count_entries (f->out_dir), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

#define ADD(name, func) g_test_add ("/cli-outputs/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("killed-decrypt", test_killed_decrypt);
  ADD ("killed-decrypt-named", test_killed_decrypt_named);
  ADD ("fifo", test_fifo);
  ADD ("terminal", test_terminal);
  ADD ("device", test_device);
  ADD ("stale-folders", test_stale_folders);
#undef ADD

  return g_test_run ();
}
