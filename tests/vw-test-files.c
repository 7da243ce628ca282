/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "vw-test-files.h"

static void
snapshot (const char *root,
          const char *relative,
          GPtrArray  *lines)
{
  g_autofree char *path = relative ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      GStatBuf st;

      g_assert_cmpint (g_lstat (child, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        {
          g_ptr_array_add (lines, g_strdup_printf ("%s dir", child_rel));
          snapshot (root, child_rel, lines);
        }
      else if (S_ISREG (st.st_mode))
        {
          g_autofree char *contents = NULL;
          g_autofree char *sum = NULL;
          gsize len = 0;

          g_assert_true (g_file_get_contents (child, &contents, &len, NULL));
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
          g_ptr_array_add (lines, g_strdup_printf ("%s file %" G_GSIZE_FORMAT " %s", child_rel, len, sum));
        }
      else
        g_ptr_array_add (lines, g_strdup_printf ("%s mode %o", child_rel, (unsigned) st.st_mode));
    }
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
vw_test_dir_snapshot (const char *dir)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  snapshot (dir, NULL, lines);
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

static gboolean
contains (const char *path,
          const void *needle,
          gsize       len)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize size = 0;

      if (!g_file_get_contents (path, &contents, &size, NULL))
        return FALSE;
      return memmem (contents, size, needle, len) != NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_lstat (child, &st) == 0 && (S_ISDIR (st.st_mode) || S_ISREG (st.st_mode)) &&
          contains (child, needle, len))
        return TRUE;
    }
  return FALSE;
}

gboolean
vw_test_dir_contains (const char *dir,
                      const void *needle,
                      gsize       len)
{
  return contains (dir, needle, len);
}
