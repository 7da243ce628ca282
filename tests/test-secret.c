/* Secure memory for keys and passphrases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-core.h"

static void
test_secret_copy_and_compare (void)
{
  static const guint8 key[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(VwSecret) a = vw_secret_new_from (key, sizeof key);
  g_autoptr(VwSecret) b = vw_secret_dup (a);
  g_autoptr(VwSecret) c = vw_secret_new (sizeof key);

  g_assert_cmpuint (vw_secret_len (a), ==, sizeof key);
  g_assert_cmpmem (vw_secret_const_data (a), vw_secret_len (a), key, sizeof key);
  g_assert_true (vw_secret_const_data (a) != vw_secret_const_data (b));
  g_assert_true (vw_secret_equal (a, b));

  /* A fresh secret is all zeros, so it differs from the key. */
  for (gsize i = 0; i < vw_secret_len (c); i++)
    g_assert_cmpuint (vw_secret_const_data (c)[i], ==, 0);
  g_assert_false (vw_secret_equal (a, c));

  vw_secret_data (b)[7] ^= 1;
  g_assert_false (vw_secret_equal (a, b));
}

static void
test_secret_truncate_wipes_tail (void)
{
  static const guint8 text[] = "hunter2\n";
  g_autoptr(VwSecret) s = vw_secret_new_from (text, sizeof text - 1);
  g_autoptr(VwSecret) expected = vw_secret_new_from ((const guint8 *) "hunter2", 7);

  vw_secret_truncate (s, 7);
  g_assert_cmpuint (vw_secret_len (s), ==, 7);
  g_assert_true (vw_secret_equal (s, expected));
  /* The byte after the new end was the newline; it must be gone from memory. */
  g_assert_cmpuint (vw_secret_const_data (s)[7], ==, 0);
}

static void
test_secret_empty (void)
{
  g_autoptr(VwSecret) a = vw_secret_new (0);
  g_autoptr(VwSecret) b = vw_secret_new_from (NULL, 0);

  g_assert_cmpuint (vw_secret_len (a), ==, 0);
  g_assert_nonnull (vw_secret_const_data (a));
  g_assert_true (vw_secret_equal (a, b));
}

static void
test_default_vault_path (void)
{
  g_autofree char *path = vw_paths_default_vault ();
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "veldwerk", NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpstr (dir, ==, expected_dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/secret/copy-and-compare", test_secret_copy_and_compare);
  g_test_add_func ("/secret/truncate-wipes-tail", test_secret_truncate_wipes_tail);
  g_test_add_func ("/secret/empty", test_secret_empty);
  g_test_add_func ("/paths/default-vault", test_default_vault_path);

  return g_test_run ();
}
