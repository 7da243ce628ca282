/* veldwerk-cli encrypt, decrypt and keygen as a user meets them: one-line
 * errors that name the failure kind, exit codes, no output file after a
 * failure, key files that are private and never overwritten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "vw-test-util.h"

typedef struct
{
  char *dir;
  char *key;      /* our identity file */
  char *public;   /* its recipient */
  char *plain;    /* 150000 random bytes */
  char *enc;      /* plain encrypted to key */
} Fixture;

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = vw_test_random_bytes (150000);

  fixture->dir = g_dir_make_tmp ("vw-age-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->key = path_in (fixture, "key.txt");
  fixture->plain = path_in (fixture, "plain.bin");
  fixture->enc = path_in (fixture, "plain.age");

  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "keygen", "-o", fixture->key, NULL), ==, 0);
  fixture->public = vw_test_age_public_key (fixture->key);
  g_assert_true (g_file_set_contents (fixture->plain, g_bytes_get_data (bytes, NULL), 150000, NULL));
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-r", fixture->public,
                                    "-o", fixture->enc, fixture->plain, NULL), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  vw_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->key);
  g_free (fixture->public);
  g_free (fixture->plain);
  g_free (fixture->enc);
}

/* Exactly one line, starting "veldwerk-cli: ". */
static void
assert_one_line_error (const char *err,
                       const char *contains)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "veldwerk-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_nonnull (strstr (err, contains));
}

/* Copies @from to @to with the byte at @pos changed (if @pos is not
 * G_MAXSIZE) and cut to @keep bytes. */
static void
write_modified (const char *from,
                const char *to,
                gsize       pos,
                gsize       keep)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (from, &data, &len, NULL));
  /* Another valid base64 character, so that a change in the MAC line is
   * a wrong MAC rather than a malformed line. */
  if (pos != G_MAXSIZE)
    data[pos] = data[pos] == 'A' ? 'B' : 'A';
  g_assert_true (g_file_set_contents (to, data, MIN (keep, len), NULL));
}

/* Each failure kind reaches the user as one line naming it, with exit
 * status 1, and -o leaves no file behind. */
static void
test_cli_decrypt_failure_kinds (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree char *bad = path_in (fixture, "bad.age");
  g_autofree char *out = path_in (fixture, "out.bin");
  g_autofree char *other_key = path_in (fixture, "other.txt");
  g_autofree char *armored = path_in (fixture, "plain.asc");
  g_autofree char *data = NULL;
  gsize len = 0;
  gsize mac_pos;
  struct {
    const char *what;
    const char *message;
  } cases[] = {
    { "header", "Header failure" },
    { "hmac", "Header MAC failure" },
    { "payload", "Payload failure" },
    { "truncated", "Payload failure" },
    { "armor", "Armor failure" },
  };

  g_assert_true (g_file_get_contents (fixture->enc, &data, &len, NULL));
  mac_pos = strstr (data, "\n--- ") - data + 6;
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-a", "-r", fixture->public,
                                    "-o", armored, fixture->plain, NULL), ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;

      if (g_str_equal (cases[i].what, "header"))
        write_modified (fixture->enc, bad, 3, G_MAXSIZE);
      else if (g_str_equal (cases[i].what, "hmac"))
        write_modified (fixture->enc, bad, mac_pos, G_MAXSIZE);
      else if (g_str_equal (cases[i].what, "payload"))
        write_modified (fixture->enc, bad, len - 1, G_MAXSIZE);
      else if (g_str_equal (cases[i].what, "truncated"))
        write_modified (fixture->enc, bad, G_MAXSIZE, len - (150000 - 2 * 65536) - 16);
      else
        {
          g_autofree char *text = NULL;

          g_assert_true (g_file_get_contents (armored, &text, NULL, NULL));
          text[strlen ("-----BEGIN AGE ENCRYPTED FILE-----\n") + 10] = '*';
          g_assert_true (g_file_set_contents (bad, text, -1, NULL));
        }

      g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "decrypt", "-i", fixture->key, "-o", out, bad, NULL), ==, 1);
      assert_one_line_error (err, cases[i].message);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  /* No match: another key. */
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "keygen", "-o", other_key, NULL), ==, 0);
    g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "decrypt", "-i", other_key, "-o", out, fixture->enc, NULL), ==, 1);
    assert_one_line_error (err, "No match");
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }

  /* The good file decrypts, armored too (detected by itself). */
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "decrypt", "-i", fixture->key, "-o", out, armored, NULL), ==, 0);
  vw_test_assert_same_file (out, fixture->plain);
}

static void
test_cli_usage (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *err = NULL;
  g_autofree char *bad_keys = path_in (fixture, "bad-keys.txt");

  /* Nothing to encrypt to, or contradictory options: usage, exit 2. */
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "encrypt", fixture->plain, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "-r"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "encrypt", "-p", "-r", fixture->public, fixture->plain, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "decrypt", fixture->enc, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "-i"));
  g_clear_pointer (&err, g_free);

  /* A mistyped recipient: one line naming the option, never the value
   * (it could be a secret key given in the wrong place). */
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "encrypt", "-r", "age1qqqqqqqq", "-o",
                                    "/dev/null", fixture->plain, NULL), ==, 1);
  assert_one_line_error (err, "-r: this is not an age recipient (age1…)");
  g_assert_null (strstr (err, "age1qqqqqqqq"));
  g_clear_pointer (&err, g_free);

  /* A bad identity file: file and line named, the key not repeated. */
  g_assert_true (g_file_set_contents (bad_keys, "# comment\nAGE-SECRET-KEY-1QQQQ\n", -1, NULL));
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "decrypt", "-i", bad_keys, fixture->enc, NULL), ==, 1);
  assert_one_line_error (err, "bad-keys.txt");
  g_assert_nonnull (strstr (err, "line 2"));
  g_assert_null (strstr (err, "QQQQ"));
  g_clear_pointer (&err, g_free);

  /* -p without a terminal or another source of the passphrase. */
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "encrypt", "-p", "-o", "/dev/null", fixture->plain, NULL), ==, 1);
  assert_one_line_error (err, "VELDWERK_PASSPHRASE");
}

/* A passphrase from --passphrase-file, and decrypt asking for it by
 * itself (here: from the environment) when the file needs one. */
static void
test_cli_passphrase (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *pass_file = path_in (fixture, "pass.txt");
  g_autofree char *enc = path_in (fixture, "pass.age");
  g_autofree char *out = path_in (fixture, "pass.out");
  g_autofree char *err = NULL;
  const char *right[] = { "VELDWERK_PASSPHRASE=tweede kamer", NULL };
  const char *wrong[] = { "VELDWERK_PASSPHRASE=eerste kamer", NULL };

  g_assert_true (g_file_set_contents (pass_file, "tweede kamer\n", -1, NULL));
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "--passphrase-file", pass_file, "encrypt", "-p",
                                    "-o", enc, fixture->plain, NULL), ==, 0);

  g_assert_cmpint (vw_test_run_cli (wrong, NULL, &err, "decrypt", "-o", out, enc, NULL), ==, 1);
  assert_one_line_error (err, "No match");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* An identity given as well does not stop it asking. */
  g_assert_cmpint (vw_test_run_cli (right, NULL, NULL, "decrypt", "-i", fixture->key, "-o", out, enc, NULL), ==, 0);
  vw_test_assert_same_file (out, fixture->plain);
}

/* keygen: age-keygen's format, mode 0600, never over an existing file. */
static void
test_cli_keygen (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GRegex) format = g_regex_new ("^# created: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\n"
                                          "# public key: age1[02-9ac-hj-np-z]{58}\n"
                                          "AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\n$", 0, 0, NULL);
  GStatBuf st;

  g_assert_true (g_file_get_contents (fixture->key, &contents, NULL, NULL));
  g_assert_true (g_regex_match (format, contents, 0, NULL));
  g_assert_cmpint (g_stat (fixture->key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (vw_test_run_cli (NULL, NULL, &err, "keygen", "-o", fixture->key, NULL), ==, 1);
  assert_one_line_error (err, "key.txt");
  {
    g_autofree char *again = NULL;

    g_assert_true (g_file_get_contents (fixture->key, &again, NULL, NULL));
    g_assert_cmpstr (again, ==, contents);
  }

  /* Without -o the identity goes to standard output, and is usable. */
  g_assert_cmpint (vw_test_run_cli (NULL, &out, NULL, "keygen", NULL), ==, 0);
  g_assert_true (g_regex_match (format, out, 0, NULL));
  g_assert_cmpstr (out, !=, contents);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/age/cli/decrypt-failure-kinds", Fixture, NULL, fixture_set_up,
              test_cli_decrypt_failure_kinds, fixture_tear_down);
  g_test_add ("/age/cli/usage", Fixture, NULL, fixture_set_up, test_cli_usage, fixture_tear_down);
  g_test_add ("/age/cli/passphrase", Fixture, NULL, fixture_set_up, test_cli_passphrase, fixture_tear_down);
  g_test_add ("/age/cli/keygen", Fixture, NULL, fixture_set_up, test_cli_keygen, fixture_tear_down);

  return g_test_run ();
}
