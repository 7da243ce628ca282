/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* memmem, ptsname_r */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw-test-process.h"

/* The user a root test runs the program as. */
#define NOBODY 65534

struct _VwTestWatched
{
  GPid     pid;
  int      master;   /* the terminal's other side; -1 at its end */
  GString *output;   /* everything the program wrote */
  gsize    consumed; /* of output, what vw_test_watched_expect() matched */
  gboolean exited;
  int      status;
  char    *program;  /* the file the child executes */
};

static void
give_to_nobody (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_cmpint (lchown (path, NOBODY, NOBODY), ==, 0);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      give_to_nobody (child);
    }
}

VwTestWatched *
vw_test_watched_spawn (const char * const *argv,
                       const char * const *env,
                       const char         *home)
{
  VwTestWatched *self = g_new0 (VwTestWatched, 1);
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *program = g_strdup (argv[0]);
  gboolean as_nobody = geteuid () == 0;
  char slave[128];
  const char *xauthority = g_getenv ("XAUTHORITY");

  self->output = g_string_new (NULL);
  self->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (self->master, >=, 0);
  g_assert_cmpint (grantpt (self->master), ==, 0);
  g_assert_cmpint (unlockpt (self->master), ==, 0);
  g_assert_cmpint (ptsname_r (self->master, slave, sizeof slave), ==, 0);

  /* Never a secret of the test's own environment; a home of its own. */
  envp = g_environ_unsetenv (envp, "VELDWERK_PASSPHRASE");
  envp = g_environ_unsetenv (envp, "VELDWERK_NEW_PASSPHRASE");
  envp = g_environ_unsetenv (envp, "VELDWERK_RECOVERY_CODE");
  envp = g_environ_setenv (envp, "HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_STATE_HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", home, TRUE);
  /* Another user cannot use the test's session bus; an application then
   * runs without one, as GApplication allows. */
  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  if (xauthority != NULL)
    {
      /* The display's key, readable by the user the program runs as. */
      g_autofree char *contents = NULL;
      g_autofree char *copy = g_build_filename (home, "Xauthority", NULL);
      gsize len = 0;

      g_assert_true (g_file_get_contents (xauthority, &contents, &len, NULL));
      g_assert_true (g_file_set_contents_full (copy, contents, len, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
      envp = g_environ_setenv (envp, "XAUTHORITY", copy, TRUE);
    }
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

      envp = g_environ_setenv (envp, name, env[i] + strlen (name) + 1, TRUE);
    }
  if (as_nobody)
    {
      /* The build tree may not be readable by nobody (a checkout in
       * /root): the program and the compiled schemas it needs go into
       * its home. */
      g_autofree char *base = g_path_get_basename (argv[0]);
      g_autofree char *copy = g_build_filename (home, base, NULL);
      const char *schema_dir = g_getenv ("GSETTINGS_SCHEMA_DIR");
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (argv[0], &contents, &len, NULL));
      g_assert_true (g_file_set_contents_full (copy, contents, len, G_FILE_SET_CONTENTS_NONE, 0755, NULL));
      g_free (program);
      program = g_steal_pointer (&copy);
      if (schema_dir != NULL)
        {
          g_autofree char *compiled = g_build_filename (schema_dir, "gschemas.compiled", NULL);
          g_autofree char *schemas = g_build_filename (home, "schemas", NULL);
          g_autofree char *compiled_copy = g_build_filename (schemas, "gschemas.compiled", NULL);
          g_autofree char *data = NULL;

          if (g_file_get_contents (compiled, &data, &len, NULL))
            {
              g_assert_cmpint (g_mkdir_with_parents (schemas, 0755), ==, 0);
              g_assert_true (g_file_set_contents_full (compiled_copy, data, len, G_FILE_SET_CONTENTS_NONE, 0644,
                                                       NULL));
              envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
            }
        }
      give_to_nobody (home);
      g_assert_cmpint (chown (slave, NOBODY, NOBODY), ==, 0);
    }

  {
    char *real = realpath (program, NULL);

    self->program = real != NULL ? g_strdup (real) : g_canonicalize_filename (program, NULL);
    free (real);
  }
  self->pid = fork ();
  g_assert_cmpint (self->pid, >=, 0);
  if (self->pid == 0)
    {
      int fd;

      /* Only async-signal-safe calls until exec. A session leader that
       * opens a terminal gets it as its controlling terminal. */
      setsid ();
      fd = open (slave, O_RDWR);
      if (fd < 0)
        _exit (126);
      dup2 (fd, 0);
      dup2 (fd, 1);
      dup2 (fd, 2);
      if (fd > 2)
        close (fd);
      if (as_nobody && (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0))
        _exit (126);
      execve (program, (char * const *) argv, envp);
      _exit (127);
    }
  return self;
}

/* Reads what is there, waiting up to @timeout_ms; FALSE at the end. */
static gboolean
read_some (VwTestWatched *self,
           int            timeout_ms)
{
  struct pollfd pfd = { self->master, POLLIN, 0 };
  char buf[4096];
  gssize n;

  if (self->master < 0)
    return FALSE;
  if (poll (&pfd, 1, timeout_ms) <= 0)
    return TRUE;
  n = read (self->master, buf, sizeof buf);
  if (n < 0 && errno == EINTR)
    return TRUE;
  if (n <= 0)
    {
      /* EIO: the program closed its side. */
      close (self->master);
      self->master = -1;
      return FALSE;
    }
  g_string_append_len (self->output, buf, n);
  return TRUE;
}

void
vw_test_watched_expect (VwTestWatched *self,
                        const char    *text)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  const char *found;

  while ((found = strstr (self->output->str + self->consumed, text)) == NULL)
    {
      if (!read_some (self, 200) || g_get_monotonic_time () > deadline)
        g_error ("“%s” did not come; the program wrote: %s", text, self->output->str);
    }
  self->consumed = found - self->output->str + strlen (text);
}

void
vw_test_watched_type (VwTestWatched *self,
                      const char    *text)
{
  g_assert_cmpint (write (self->master, text, strlen (text)), ==, (gssize) strlen (text));
}

static char *
proc_path (VwTestWatched *self,
           const char    *name)
{
  return g_strdup_printf ("/proc/%d/%s", (int) self->pid, name);
}

/* The real user id and the state the kernel shows for the process. */
static void
read_status (VwTestWatched *self,
             uid_t         *uid,
             char          *state)
{
  g_autofree char *path = proc_path (self, "status");
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nUid:\t");
  g_assert_nonnull (line);
  *uid = (uid_t) g_ascii_strtoull (line + strlen ("\nUid:\t"), NULL, 10);
  line = strstr (status, "\nState:\t");
  g_assert_nonnull (line);
  *state = line[strlen ("\nState:\t")];
}

/* A process that is not dumpable has its /proc entries owned by root,
 * whoever runs it; a dumpable one by its own user. */
static gboolean
is_dumpable (VwTestWatched *self)
{
  g_autofree char *path = proc_path (self, "environ");
  GStatBuf st;
  uid_t uid;
  char state;

  read_status (self, &uid, &state);
  /* Run as root, the child is root only until it drops to nobody. */
  if (uid == 0)
    return TRUE;
  /* Between setuid() and execve() the child is nobody's and not dumpable
   * either, but it is not the program yet: its environment is still the
   * test's. Count it as dumpable until it runs the program (a link that
   * cannot be read is the program's own doing: it made itself so). */
  {
    g_autofree char *exe_path = proc_path (self, "exe");
    g_autofree char *exe = g_file_read_link (exe_path, NULL);

    if (exe != NULL && g_strcmp0 (exe, self->program) != 0)
      return TRUE;
  }
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_uid == uid;
}

void
vw_test_watched_wait_hardened (VwTestWatched *self)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (is_dumpable (self))
    {
      read_some (self, 50);
      if (g_get_monotonic_time () > deadline)
        g_error ("the process stayed dumpable; it wrote: %s", self->output->str);
    }
}

void
vw_test_watched_assert_hardened (VwTestWatched *self,
                                 const char    *secret,
                                 const char    *marker)
{
  g_autofree char *environ_path = proc_path (self, "environ");
  g_autofree char *limits_path = proc_path (self, "limits");
  g_autofree char *limits = NULL;
  g_autofree char *environ = NULL;
  g_autoptr(GRegex) no_core = g_regex_new ("^Max core file size +0 +0 ", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  uid_t uid;
  char state;

  /* Alive, not a zombie (whose environment reads as empty). */
  read_status (self, &uid, &state);
  if (state == 'Z')
    {
      while (read_some (self, 100))
        ;
      g_error ("the program has ended; it wrote: %s", self->output->str);
    }
  g_assert_cmpint (uid, !=, 0);
  g_assert_cmpint (waitpid (self->pid, NULL, WNOHANG), ==, 0);

  g_assert_false (is_dumpable (self));

  if (getuid () == 0)
    {
      /* Root may still read it: the secret is gone, the rest is there. */
      g_assert_true (g_file_get_contents (environ_path, &environ, &len, &error));
      g_assert_no_error (error);
      g_assert_nonnull (memmem (environ, len, marker, strlen (marker)));
      g_assert_null (memmem (environ, len, secret, strlen (secret)));
      g_assert_null (memmem (environ, len, "VELDWERK_PASSPHRASE=", strlen ("VELDWERK_PASSPHRASE=")));
    }
  else
    {
      /* The same user may not read it at all any more. */
      g_assert_false (g_file_get_contents (environ_path, &environ, &len, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
    }

  g_assert_true (g_file_get_contents (limits_path, &limits, NULL, NULL));
  g_assert_true (g_regex_match (no_core, limits, 0, NULL));
}

int
vw_test_watched_wait (VwTestWatched *self)
{
  int status = 0;

  while (read_some (self, 1000))
    ;
  g_assert_cmpint (waitpid (self->pid, &status, 0), ==, self->pid);
  self->exited = TRUE;
  if (!WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

const char *
vw_test_watched_get_output (VwTestWatched *self)
{
  return self->output->str;
}

void
vw_test_watched_free (VwTestWatched *self)
{
  if (self == NULL)
    return;
  if (!self->exited && self->pid > 0)
    {
      kill (self->pid, SIGKILL);
      waitpid (self->pid, NULL, 0);
    }
  if (self->master >= 0)
    close (self->master);
  g_string_free (self->output, TRUE);
  g_free (self->program);
  g_free (self);
}
