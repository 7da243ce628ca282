/* Runs a libFuzzer target without libFuzzer: every seed of the target and
 * every kept crash input in regressions/ whose name starts with the
 * target's name and a dash goes through the target's own
 * LLVMFuzzerTestOneInput, with all its checks. This is how the normal
 * test suite (and its sanitizer build) keeps what fuzzing found fixed.
 *
 *   fuzz-run-NAME NAME REGRESSIONS_DIR [SEED_DIR...]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
run_dir (const char *dir_path,
         const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      fprintf (stderr, "cannot open %s\n", dir_path);
      exit (1);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (prefix == NULL || g_str_has_prefix (name, prefix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!g_file_get_contents (path, &contents, &len, NULL))
        {
          fprintf (stderr, "cannot read %s\n", path);
          exit (1);
        }
      printf ("# %s\n", path);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
    }
  return names->len;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *prefix = NULL;
  guint regressions, seeds = 0;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s NAME REGRESSIONS_DIR [SEED_DIR...]\n", argv[0]);
      return 2;
    }
  LLVMFuzzerInitialize (&argc, &argv);
  prefix = g_strconcat (argv[1], "-", NULL);
  regressions = run_dir (argv[2], prefix);
  for (int i = 3; i < argc; i++)
    seeds += run_dir (argv[i], NULL);
  printf ("%s: %u regression inputs and %u seeds ran clean\n", argv[1], regressions, seeds);
  /* A target without seeds would test nothing. */
  return seeds > 0 ? 0 : 1;
}
