/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "vw-test-util.h"

/* The build tells the tests where veldwerk-cli is (VELDWERK_CLI), so the
 * tests run the real binary of this build. */
const char *
vw_test_cli_path (void)
{
  const char *path = g_getenv ("VELDWERK_CLI");

  g_assert_nonnull (path);
  return path;
}

/**
 * vw_test_run_cliv:
 * @env: (nullable): "NAME=VALUE" entries to set in the child's environment,
 *   or "-NAME" to remove NAME
 * @input: (nullable): written to the child's standard input
 *
 * Runs veldwerk-cli and returns its exit status (-1 if it was killed).
 */
int
vw_test_run_cliv (const char * const *env,
                  const char         *input,
                  char              **out,
                  char              **err,
                  const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_buf = NULL;
  g_autofree char *stderr_buf = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Never fall back to a prompt on the developer's terminal. */
  g_subprocess_launcher_unsetenv (launcher, "VELDWERK_PASSPHRASE");
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      g_autofree char *name = NULL;

      if (env[i][0] == '-')
        {
          g_subprocess_launcher_unsetenv (launcher, env[i] + 1);
          continue;
        }
      g_assert_nonnull (eq);
      name = g_strndup (env[i], eq - env[i]);
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }

  g_ptr_array_add (args, (gpointer) vw_test_cli_path ());
  for (gsize i = 0; argv != NULL && argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &stdout_buf, &stderr_buf, &error);
  g_assert_no_error (error);

  if (g_test_verbose () && stderr_buf != NULL && *stderr_buf != '\0')
    g_test_message ("veldwerk-cli stderr: %s", stderr_buf);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_buf);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_buf);

  if (!g_subprocess_get_if_exited (proc))
    return -1;
  return g_subprocess_get_exit_status (proc);
}

int
vw_test_run_cli (const char * const *env,
                 char              **out,
                 char              **err,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return vw_test_run_cliv (env, NULL, out, err, (const char * const *) argv->pdata);
}

/* Recursively removes @path; for temporary directories of tests. */
void
vw_test_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          g_autofree char *child_path = g_file_get_path (child);

          vw_test_rm_rf (child_path);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

/* The number of entries in @dir, to check that nothing was left behind. */
guint
vw_test_count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Byte for byte, whatever the size (including 0). */
void
vw_test_assert_same_file (const char *a,
                          const char *b)
{
  g_autofree char *da = NULL;
  g_autofree char *db = NULL;
  gsize la = 0, lb = 0;

  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  g_assert_cmpmem (da, la, db, lb);
}

/* Test content that no step can compress or guess. */
GBytes *
vw_test_random_bytes (gsize len)
{
  guint8 *data = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    data[i] = g_random_int () & 0xff;
  return g_bytes_new_take (data, len);
}

/* The "# public key: age1..." line that age-keygen and veldwerk-cli keygen
 * write into an identity file. */
char *
vw_test_age_public_key (const char *identity_file)
{
  g_autofree char *contents = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (identity_file, &contents, NULL, NULL));
  line = strstr (contents, "# public key: ");
  g_assert_nonnull (line);
  line += strlen ("# public key: ");
  return g_strndup (line, strchr (line, '\n') - line);
}

static char *display_home;

static void
remove_display_home (void)
{
  vw_test_rm_rf (display_home);
  g_free (display_home);
}

/**
 * vw_test_init_display:
 *
 * g_test_init() for display tests. G_TEST_OPTION_ISOLATE_DIRS would also
 * replace XDG_DATA_DIRS, which hides the shared MIME database that
 * GdkPixbuf needs to recognise SVG icons; so only the user's own
 * directories are pointed at a fresh temporary home here.
 */
void
vw_test_init_display (int    *argc,
                      char ***argv)
{
  static const char *dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };
  g_autoptr(GError) error = NULL;

  display_home = g_dir_make_tmp ("veldwerk-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", display_home, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (display_home, dirs[i][1], NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (dirs[i][0], dir, TRUE);
    }
  atexit (remove_display_home);

  g_test_init (argc, argv, NULL);
}

guint
vw_test_count_lines (const char *text,
                     const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}
