/* veldwerk-cli init, passwd, recover, keys, verify from a script, with
 * the passphrase in VELDWERK_PASSPHRASE; a wrong passphrase is one line
 * on stderr, exit status 1, and a vault that is byte-for-byte unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-util.h"
#include "vw-test-vault.h"

typedef struct
{
  char *dir;
  char *path;
  char *vault_arg;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("vw-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sub", "duo.vault", NULL);
  f->vault_arg = g_strconcat ("--vault=", f->path, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->vault_arg);
}

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

static void
assert_one_line (const char *err,
                 const char *contains)
{
  g_autofree char *lower = g_utf8_strdown (err, -1);
  g_autofree char *want = g_utf8_strdown (contains, -1);

  g_assert_true (g_str_has_prefix (err, "veldwerk-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  /* One line: its only newline is the last character. */
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  if (strstr (lower, want) == NULL)
    g_error ("“%s” does not say “%s”", err, contains);
}

/* Returns: (transfer full): the recovery code init printed. */
static char *
init_vault (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("([0-9A-Z]{5}-){6}[0-9A-Z]{5}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  int status;

  status = vw_test_run_cli (pass_env, &out, &err, f->vault_arg, "init", "--study", "Den Haag 2026", "--region",
                            "DH", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (out, "shown only this once"));
  g_assert_true (g_regex_match (regex, out, 0, &match));
  return g_match_info_fetch (match, 0);
}

static void
test_cli_init_keys_verify (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *code = init_vault (f);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  /* The code printed is a real one: its checksums hold. */
  {
    g_autoptr(VwSecret) secret = vw_secret_new_from ((const guint8 *) code, strlen (code));
    g_autoptr(VwSecret) parsed = vw_recovery_code_parse (secret, NULL);
    g_assert_nonnull (parsed);
  }

  status = vw_test_run_cli (pass_env, &out, &err, f->vault_arg, "init", "--study", "X", "--region", "DH", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line (err, "already");
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  status = vw_test_run_cli (pass_env, &out, &err, f->vault_arg, "init", "--study", "X", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  status = vw_test_run_cli (pass_env, &out, &err, f->vault_arg, "keys", NULL);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], "recipient: age1"));
  g_assert_cmpuint (strlen (lines[0]), ==, strlen ("recipient: ") + 62);
  g_assert_true (g_str_has_prefix (lines[1], "signing-key: ed25519:"));
  {
    /* The fingerprint a person reads out: six groups of five digits. */
    g_autofree char *fingerprint = vw_fingerprint_of_key_text (lines[1] + strlen ("signing-key: "), NULL);
    g_autofree char *line = g_strconcat ("fingerprint: ", fingerprint, NULL);

    g_assert_cmpstr (lines[2], ==, line);
    g_assert_cmpuint (strlen (fingerprint), ==, 35);
  }
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  status = vw_test_run_cli (pass_env, &out, &err, "verify", f->vault_arg, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "intact"));
}

static void
test_cli_bad_region_and_missing_vault (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *err = NULL;
  int status;

  status = vw_test_run_cli (pass_env, NULL, &err, f->vault_arg, "init", "--study", "X", "--region", "dh", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line (err, "region");
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (pass_env, NULL, &err, f->vault_arg, "keys", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line (err, "no vault at");
}

static void
test_cli_wrong_passphrase_changes_nothing (Fixture       *f,
                                           gconstpointer  data)
{
  const char *wrong_env[] = { "VELDWERK_PASSPHRASE=this is not it", "VELDWERK_NEW_PASSPHRASE=whatever it is", NULL };
  const char *commands[] = { "keys", "verify", "passwd" };
  g_autofree char *code = init_vault (f);
  g_autofree char *before = vw_test_vault_checksums (f->path);

  /* Cleanly closed: no journal beside the file. */
  g_assert_nonnull (strstr (before, "wal absent shm absent"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *after = NULL;
      int status = vw_test_run_cli (wrong_env, &out, &err, f->vault_arg, commands[i], NULL);

      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      assert_one_line (err, "wrong passphrase for");
      g_assert_nonnull (strstr (err, f->path));
      after = vw_test_vault_checksums (f->path);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_cli_passwd_and_recover (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *code = init_vault (f);
  g_autofree char *new_file = g_build_filename (f->dir, "new-pass.txt", NULL);
  g_autofree char *code_file = g_build_filename (f->dir, "code.txt", NULL);
  g_autofree char *new_file_arg = g_strconcat ("--new-passphrase-file=", new_file, NULL);
  g_autofree char *code_file_arg = g_strconcat ("--recovery-code-file=", code_file, NULL);
  g_autofree char *typed = g_ascii_strdown (code, -1);
  g_autofree char *typo = g_strdup (code);
  g_autofree char *code_env = NULL;
  g_autofree char *typo_env = NULL;
  const char *passwd_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, "VELDWERK_NEW_PASSPHRASE=second passphrase",
                               NULL };
  const char *second_env[] = { "VELDWERK_PASSPHRASE=second passphrase", "-VELDWERK_NEW_PASSPHRASE", NULL };
  const char *third_env[] = { "VELDWERK_PASSPHRASE=third passphrase from file", NULL };
  const char *fourth_env[] = { "VELDWERK_PASSPHRASE=fourth after recovery", NULL };
  const char *fifth_env[] = { "VELDWERK_PASSPHRASE=fifth from a file", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = vw_test_run_cli (passwd_env, &out, &err, f->vault_arg, "passwd", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  /* The old passphrase no longer opens the vault, the new one does. */
  status = vw_test_run_cli (pass_env, NULL, &err, f->vault_arg, "keys", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line (err, "wrong passphrase");
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (new_file, "third passphrase from file\n", -1, NULL));
  status = vw_test_run_cli (second_env, NULL, &err, f->vault_arg, "passwd", new_file_arg, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);
  status = vw_test_run_cli (third_env, NULL, &err, f->vault_arg, "verify", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);

  /* Forgotten: the recovery code as typed from paper. */
  g_strdelimit (typed, "-", ' ');
  code_env = g_strconcat ("VELDWERK_RECOVERY_CODE=", typed, NULL);
  {
    const char *recover_env[] = { code_env, "VELDWERK_NEW_PASSPHRASE=fourth after recovery", "-VELDWERK_PASSPHRASE",
                                  NULL };
    status = vw_test_run_cli (recover_env, &out, &err, f->vault_arg, "recover", NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (err, ==, "");
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  status = vw_test_run_cli (fourth_env, NULL, &err, f->vault_arg, "verify", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);

  /* A typo is named by its group, and changes nothing. */
  typo[21] = typo[21] == 'Z' ? 'Y' : 'Z';
  typo_env = g_strconcat ("VELDWERK_RECOVERY_CODE=", typo, NULL);
  {
    const char *recover_env[] = { typo_env, "VELDWERK_NEW_PASSPHRASE=never set", NULL };
    g_autofree char *before = vw_test_vault_checksums (f->path);
    g_autofree char *after = NULL;

    status = vw_test_run_cli (recover_env, NULL, &err, f->vault_arg, "recover", NULL);
    g_assert_cmpint (status, ==, 1);
    assert_one_line (err, "group 4");
    after = vw_test_vault_checksums (f->path);
    g_assert_cmpstr (before, ==, after);
    g_clear_pointer (&err, g_free);
  }

  /* The same from files, for scripts that keep secrets out of the
   * environment. */
  g_assert_true (g_file_set_contents (code_file, code, -1, NULL));
  g_assert_true (g_file_set_contents (new_file, "fifth from a file", -1, NULL));
  {
    const char *recover_env[] = { "-VELDWERK_RECOVERY_CODE", "-VELDWERK_NEW_PASSPHRASE", NULL };
    status = vw_test_run_cli (recover_env, NULL, &err, f->vault_arg, "recover", code_file_arg, new_file_arg, NULL);
    g_assert_cmpint (status, ==, 0);
    g_clear_pointer (&err, g_free);
  }
  status = vw_test_run_cli (fifth_env, NULL, &err, f->vault_arg, "verify", NULL);
  g_assert_cmpint (status, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

#define ADD(name, func) g_test_add ("/vault-cli/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("init-keys-verify", test_cli_init_keys_verify);
  ADD ("bad-region-and-missing-vault", test_cli_bad_region_and_missing_vault);
  ADD ("wrong-passphrase-changes-nothing", test_cli_wrong_passphrase_changes_nothing);
  ADD ("passwd-and-recover", test_cli_passwd_and_recover);
#undef ADD

  return g_test_run ();
}
