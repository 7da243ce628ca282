/* A secret key in every place veldwerk-cli reads an outside value (an
 * option, a file name, a line of a file, the environment): the command
 * fails with a message that says where the mistake is, and no part of the
 * secret appears on standard output or standard error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

typedef struct
{
  char *dir;
  char *vault;       /* a coordinator's vault */
  char *secret;      /* AGE-SECRET-KEY-1… */
  char *public;      /* its recipient */
  char *identity;    /* an identity file as keygen writes it: the key on line 3 */
  char *keys_file;   /* `veldwerk-cli keys` output with the secret as recipient */
  char *invitation;  /* a bundle addressed to the vault */
  char *encrypted;   /* an age file the identity opens */
} Fixture;

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(VwAgeRecipient) recipient = vw_age_identity_to_recipient (identity);
  g_autoptr(VwSecret) text = vw_age_identity_to_string (identity);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(VwSecret) file = vw_age_keygen_file_contents (identity, now);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) content = g_bytes_new_static ("{}", 2);
  g_autoptr(VwSecret) signing = NULL;
  g_autofree char *keys = NULL, *own = NULL;
  guint8 signing_public[32];

  f->dir = g_dir_make_tmp ("vw-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  f->vault = path_in (f, "coordinator.vault");
  f->secret = g_strndup ((const char *) vw_secret_const_data (text), vw_secret_len (text));
  f->public = vw_age_recipient_to_string (recipient);
  f->identity = path_in (f, "identity.txt");
  g_assert_true (g_file_set_contents (f->identity, (const char *) vw_secret_const_data (file),
                                      vw_secret_len (file), &error));
  f->keys_file = path_in (f, "noord.keys");
  keys = g_strdup_printf ("recipient: %s\nsigning-key: ed25519:%s\n", f->secret,
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  g_assert_true (g_file_set_contents (f->keys_file, keys, -1, &error));

  f->encrypted = path_in (f, "hello.age");
  g_assert_cmpint (vw_test_run_cli (NULL, NULL, NULL, "encrypt", "-r", f->public, "-o", f->encrypted, f->keys_file,
                                    NULL), ==, 0);
  g_assert_cmpint (vw_test_run_cli (pass_env, NULL, NULL, "--vault", f->vault, "init", "--study", "Secrets",
                                    "--region", "DH", "--coordinator", NULL), ==, 0);

  /* An invitation to this vault, for --coordinator-key. */
  vault = vw_test_open_vault (f->vault);
  own = vw_vault_get_age_recipient (vault, &error);
  g_assert_no_error (error);
  g_ptr_array_add (recipients, vw_age_recipient_parse (own, &error));
  g_assert_no_error (error);
  signing = vw_bundle_signing_key_generate (signing_public);
  f->invitation = path_in (f, "study.invitation");
  g_assert_true (vw_bundle_write_bytes (f->invitation, VW_BUNDLE_KIND_INVITATION, "some-study", signing,
                                        recipients, content, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->vault);
  g_free (f->secret);
  g_free (f->public);
  g_free (f->identity);
  g_free (f->keys_file);
  g_free (f->invitation);
  g_free (f->encrypted);
}

/* No 20 characters of the key, in either case, from its start after the
 * prefix or from its end. */
static void
assert_no_secret (const char *output,
                  const char *secret)
{
  const char *tail = secret + strlen (secret) - 20;
  g_autofree char *head = g_strndup (secret + strlen ("AGE-SECRET-KEY-1"), 20);
  const char *parts[] = { tail, head };

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *upper = g_ascii_strup (parts[i], -1);
      g_autofree char *lower = g_ascii_strdown (parts[i], -1);

      g_assert_null (strstr (output, upper));
      g_assert_null (strstr (output, lower));
    }
}

/* Runs veldwerk-cli with @argv, where "SECRET", "secret" (lower case),
 * "PUBLIC", "IDENTITY", "KEYS", "INVITATION" and "VAULT" stand for the
 * fixture's values; expects failure with every string of @where in the
 * message, and no part of the secret anywhere. */
typedef struct
{
  const char *what;
  const char *env[2];     /* NAME=VALUE, VALUE may be SECRET; none: the test passphrase */
  const char *argv[12];
  const char *where[3];
} Case;

#define ED25519_ZERO "ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define LONG_SECRET "SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET" \
                    "SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET"

static const Case cases[] = {
  { "encrypt -r", { NULL }, { "encrypt", "-r", "SECRET", "-o", "DIR/out", "IDENTITY" },
    { "-r: this is a secret key (an identity), not a recipient; give its recipient (age1…)" } },
  { "encrypt -r, lower case", { NULL }, { "encrypt", "-r", "secret", "-o", "DIR/out", "IDENTITY" },
    { "-r: this is a secret key" } },
  { "encrypt -r, the second", { NULL }, { "encrypt", "-r", "PUBLIC", "-r", "SECRET", "-o", "DIR/out", "IDENTITY" },
    { "-r (value 2): this is a secret key" } },
  { "encrypt -R identity file", { NULL }, { "encrypt", "-R", "IDENTITY", "-o", "DIR/out", "IDENTITY" },
    { "-R: ", "identity.txt” line 3: this is a secret key (an identity), not a recipient" } },
  { "encrypt -R the key itself", { NULL }, { "encrypt", "-R", "SECRET", "-o", "DIR/out", "IDENTITY" },
    { "-R: A file of recipients was expected, and this is a secret key" } },
  { "encrypt, the key as input", { NULL }, { "encrypt", "-r", "PUBLIC", "-o", "DIR/out", "SECRET" },
    { "AGE-SECRET-KEY-…" } },
  { "decrypt -i the key itself", { NULL }, { "decrypt", "-i", "SECRET", "ENCRYPTED" },
    { "An identity file was expected, and this is the secret key itself" } },
  { "decrypt, the key as input", { NULL }, { "decrypt", "-i", "IDENTITY", "SECRET" }, { "AGE-SECRET-KEY-…" } },
  { "decrypt -o the key", { NULL }, { "decrypt", "-i", "IDENTITY", "-o", "DIR/SECRET/x", "ENCRYPTED" },
    { "AGE-SECRET-KEY-…" } },
  { "export -r", { NULL }, { "export", "--anonymized", "DIR/x.age", "-r", "SECRET" }, { "-r: this is a secret key" } },
  { "export -R", { NULL }, { "export", "--anonymized", "DIR/x.age", "-R", "IDENTITY" }, { "line 3" } },
  { "study setup --recipient", { NULL }, { "--vault", "VAULT", "study", "setup", "--recipient", "SECRET" },
    { "--recipient: this is a secret key" } },
  { "study add-device --x25519", { NULL },
    { "--vault", "VAULT", "study", "add-device", "--label", "d", "--x25519", "SECRET", "--ed25519", ED25519_ZERO },
    { "--x25519: this is a secret key (an identity), not a recipient" } },
  { "study add-device --ed25519", { NULL },
    { "--vault", "VAULT", "study", "add-device", "--label", "d", "--x25519", "PUBLIC", "--ed25519", "SECRET" },
    { "--ed25519: this is a secret key (an identity), not a signing key" } },
  { "study add-device --keys", { NULL },
    { "--vault", "VAULT", "study", "add-device", "--label", "d", "--keys", "KEYS" },
    { "noord.keys: line 1: this is a secret key (an identity), not a recipient" } },
  { "study join --coordinator-key", { NULL },
    { "--vault", "VAULT", "study", "join", "--coordinator-key", "SECRET", "INVITATION" },
    { "The coordinator key you gave is not a signing key" } },
  { "--passphrase-file", { NULL }, { "--vault", "VAULT", "--passphrase-file", "SECRET", "keys" },
    { "Cannot read the file given with --passphrase-file" } },
  { "--new-passphrase-file", { NULL }, { "--vault", "VAULT", "passwd", "--new-passphrase-file", "SECRET" },
    { "Cannot read the file given with --new-passphrase-file" } },
  { "--recovery-code-file", { NULL }, { "--vault", "VAULT", "recover", "--recovery-code-file", "SECRET" },
    { "Cannot read the file given with --recovery-code-file" } },
  { "VELDWERK_PASSPHRASE", { "VELDWERK_PASSPHRASE=SECRET" }, { "--vault", "VAULT", "keys" },
    { "Wrong passphrase" } },
  { "VELDWERK_RECOVERY_CODE", { "VELDWERK_RECOVERY_CODE=SECRET", "VELDWERK_NEW_PASSPHRASE=new passphrase" },
    { "--vault", "VAULT", "recover" }, { "recovery code" } },
  { "VELDWERK_NEW_PASSPHRASE too long",
    { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, "VELDWERK_NEW_PASSPHRASE=" LONG_SECRET },
    { "--vault", "VAULT", "passwd" }, { "VELDWERK_NEW_PASSPHRASE is longer than 1024 bytes" } },
  { "--vault", { NULL }, { "--vault", "DIR/SECRET", "keys" }, { "There is no vault at" } },
  { "--study", { NULL }, { "--vault", "VAULT", "study", "setup", "--study", "SECRET" }, { "AGE-SECRET-KEY-…" } },
  { "a command", { NULL }, { "SECRET" }, { "unknown command" } },
  { "an option", { NULL }, { "encrypt", "--SECRET" }, { "AGE-SECRET-KEY-…" } },
};

static char *
substitute (Fixture    *f,
            const char *arg)
{
  g_autofree char *lower = g_ascii_strdown (f->secret, -1);
  GString *out = g_string_new (NULL);

  if (g_str_equal (arg, "secret"))
    return g_strdup (lower);
  if (g_str_equal (arg, "PUBLIC"))
    return g_strdup (f->public);
  if (g_str_equal (arg, "IDENTITY"))
    return g_strdup (f->identity);
  if (g_str_equal (arg, "KEYS"))
    return g_strdup (f->keys_file);
  if (g_str_equal (arg, "INVITATION"))
    return g_strdup (f->invitation);
  if (g_str_equal (arg, "VAULT"))
    return g_strdup (f->vault);
  if (g_str_equal (arg, "ENCRYPTED"))
    return g_strdup (f->encrypted);
  for (const char *p = arg; *p != '\0';)
    {
      if (g_str_has_prefix (p, "SECRET"))
        {
          g_string_append (out, f->secret);
          p += strlen ("SECRET");
        }
      else if (g_str_has_prefix (p, "DIR"))
        {
          g_string_append (out, f->dir);
          p += strlen ("DIR");
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
test_secret_in_arguments (Fixture       *f,
                          gconstpointer  data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *env0 = c->env[0] != NULL ? substitute (f, c->env[0]) : g_strdup (pass_env[0]);
      g_autofree char *env1 = c->env[1] != NULL ? substitute (f, c->env[1]) : NULL;
      const char *env[] = { env0, env1, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      for (gsize a = 0; c->argv[a] != NULL; a++)
        g_ptr_array_add (argv, substitute (f, c->argv[a]));
      g_ptr_array_add (argv, NULL);

      status = vw_test_run_cliv (env, NULL, &out, &err, (const char * const *) argv->pdata);
      g_test_message ("%s: %d: %s", c->what, status, err);
      g_assert_cmpint (status, >, 0);
      assert_no_secret (out, f->secret);
      assert_no_secret (err, f->secret);
      for (gsize w = 0; w < G_N_ELEMENTS (c->where) && c->where[w] != NULL; w++)
        g_assert_nonnull (strstr (err, c->where[w]));
    }
}

/* The same through the core, for what the application shows: the keys
 * text of the Add Device dialog, a recipient in the Study tab or the
 * export dialog, and the keys an invitation names. */
static void
test_secret_in_core (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = g_strdup_printf ("# from noord\nrecipient: %s\nsigning-key: %s\n", f->public, f->secret);
  g_autofree char *recipient = NULL, *signing = NULL;
  guint8 x[32], ed[32];

  g_assert_null (vw_age_recipient_parse (f->secret, &error));
  g_assert_error (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY);
  assert_no_secret (error->message, f->secret);
  g_assert_nonnull (strstr (error->message, "secret key"));
  g_clear_error (&error);

  g_assert_false (vw_study_parse_keys_text (keys, &recipient, &signing, &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  assert_no_secret (error->message, f->secret);
  g_assert_cmpstr (error->message, ==, "line 3: this is a secret key (an identity), not a signing key (ed25519:…)");
  g_clear_error (&error);

  g_assert_false (vw_study_parse_device_keys (f->secret, "ed25519:x", x, ed, &error));
  assert_no_secret (error->message, f->secret);
  g_clear_error (&error);

  /* The last line of defence cuts any key out of a text. */
  {
    g_autofree char *message = g_strdup_printf ("Cannot read “%s”: no such file", f->secret);
    g_autofree char *lower = g_ascii_strdown (message, -1);
    g_autofree char *redacted = vw_age_redact_identities (message);
    g_autofree char *redacted_lower = vw_age_redact_identities (lower);

    g_assert_cmpstr (redacted, ==, "Cannot read “AGE-SECRET-KEY-…”: no such file");
    g_assert_cmpstr (redacted_lower, ==, "cannot read “age-secret-key-…”: no such file");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add ("/cli-secrets/arguments", Fixture, NULL, fixture_setup, test_secret_in_arguments, fixture_teardown);
  g_test_add ("/cli-secrets/core", Fixture, NULL, fixture_setup, test_secret_in_core, fixture_teardown);

  return g_test_run ();
}
