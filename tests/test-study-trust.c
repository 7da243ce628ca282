/* Attacks on joining a study and on enrolment, with real vaults driven
 * through veldwerk-cli:
 *
 *   /trust/fingerprint        known answers of the fingerprint, one bit
 *                             changed, what a person may type
 *   /trust/forged-invitation  someone who knows a duo's recipient signs an
 *                             invitation naming themselves coordinator
 *   /trust/enrolment          the same label or key enrolled twice
 *   /trust/revocation         revoking by id and fingerprint, twice, an
 *                             ambiguous label; a revoked laptop's bundle
 *                             refused, one accepted by name and audited
 *   /trust/one-call-setup     README's setup with a second coordinator
 *                             leaves the first able to read submissions
 *
 * After every refusal every file of the victim's vault directory is
 * byte-identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "vw-core.h"
#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

/* Runs veldwerk-cli on the vault @vault with @input on standard input;
 * returns its exit status. */
static G_GNUC_NULL_TERMINATED int
cli (const char  *vault,
     const char  *input,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *o = NULL, *e = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) "--vault");
  g_ptr_array_add (argv, (gpointer) vault);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  status = vw_test_run_cliv (pass_env, input, &o, &e, (const char * const *) argv->pdata);
  g_test_message ("veldwerk-cli %s → %d\n%s%s", (const char *) argv->pdata[2], status, o, e);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return status;
}

#define CLI_OK(vault, ...) cli_ok (vault, __VA_ARGS__, NULL)

static G_GNUC_NULL_TERMINATED char *
cli_ok (const char *vault,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) "--vault");
  g_ptr_array_add (argv, (gpointer) vault);
  va_start (args, vault);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  status = vw_test_run_cliv (pass_env, NULL, &out, &err, (const char * const *) argv->pdata);
  if (status != 0)
    g_error ("veldwerk-cli %s failed (%d): %s", (const char *) argv->pdata[2], status, err);
  return out;
}

/* Every file under the vault's own directory, with its checksum. */
static char *
dir_checksums (const char *vault)
{
  g_autofree char *dir = g_path_get_dirname (vault);
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);
  g_autoptr(GString) out = g_string_new (NULL);

  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *sum = vw_test_file_checksum (g_ptr_array_index (files, i));
      g_string_append_printf (out, "%s %s\n", (const char *) g_ptr_array_index (files, i), sum);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_contains (const char *text,
                 const char *what)
{
  if (text == NULL || strstr (text, what) == NULL)
    g_error ("“%s” does not contain “%s”", text ? text : "(null)", what);
}

static char *
field (const char *text,
       const char *name)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (name, ": ", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  g_error ("no “%s” in %s", name, text);
  return NULL;
}

/* A laptop: a vault in a directory of its own. */
typedef struct
{
  char *vault;
  char *keys_path;
  char *recipient;
  char *signing;
  char *fingerprint;
} Laptop;

static void
laptop_init (Laptop     *l,
             const char *dir,
             const char *name,
             const char *study,
             gboolean    coordinator)
{
  g_autofree char *home = g_build_filename (dir, name, NULL);
  g_autofree char *keys = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  l->vault = g_build_filename (home, "veldwerk.vault", NULL);
  l->keys_path = g_strconcat (dir, "/", name, ".keys", NULL);
  if (coordinator)
    out = CLI_OK (l->vault, "init", "--study", study, "--region", "DH", "--coordinator", "--device-name",
                  "coordinator");
  else
    out = CLI_OK (l->vault, "init", "--study", study, "--region", "DH", "--device-name", name);
  keys = CLI_OK (l->vault, "keys");
  g_assert_true (g_file_set_contents (l->keys_path, keys, -1, &error));
  l->recipient = field (keys, "recipient");
  l->signing = field (keys, "signing-key");
  /* The fingerprint of the key (`keys` prints it too: test-vault-cli). */
  l->fingerprint = vw_fingerprint_of_key_text (l->signing, &error);
  g_assert_no_error (error);
}

static void
laptop_clear (Laptop *l)
{
  g_free (l->vault);
  g_free (l->keys_path);
  g_free (l->recipient);
  g_free (l->signing);
  g_free (l->fingerprint);
}

static char *
study_of (const char *vault)
{
  g_autofree char *show = CLI_OK (vault, "study", "show");

  return field (show, "study");
}

/* The coordinator enrols @duo under @label and writes its invitation to
 * @name in @dir. */
static char *
invite (const char *dir,
        Laptop     *coord,
        Laptop     *duo,
        const char *label,
        const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *o1 = CLI_OK (coord->vault, "study", "add-device", "--label", label, "--keys", duo->keys_path);
  g_autofree char *o2 = CLI_OK (coord->vault, "study", "invite", label, "-o", path);

  return path;
}

/* Fingerprints: known answers from an independent implementation
 * (Python's hashlib, the derivation of vw-fingerprint.h), one changed bit
 * of the key, and what a person may type. */
static void
test_fingerprint (void)
{
  guint8 key[32], zero[32] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *text = NULL, *b64 = NULL, *digits = NULL;
  gboolean matches = TRUE;

  for (guint i = 0; i < 32; i++)
    key[i] = i;
  a = vw_fingerprint_of_key (key);
  g_assert_cmpstr (a, ==, "95010 58084 51656 09685 58361 73363");
  c = vw_fingerprint_of_key (zero);
  g_assert_cmpstr (c, ==, "24970 92094 01039 00826 02046 71022");
  key[31] ^= 0x01;
  b = vw_fingerprint_of_key (key);
  g_assert_cmpstr (b, ==, "78411 36743 93568 59863 79863 34389");
  key[31] ^= 0x01;

  /* The key as `keys` prints it gives the same. */
  b64 = g_base64_encode (key, 32);
  text = g_strconcat ("ed25519:", b64, NULL);
  g_clear_pointer (&c, g_free);
  c = vw_fingerprint_of_key_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c, ==, a);
  g_assert_null (vw_fingerprint_of_key_text ("ed25519:AAAA", &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  g_clear_error (&error);

  /* Spaces and dashes are ignored; anything else, or a digit too few, is
   * an error that says so. */
  digits = vw_fingerprint_normalize (" 95010-58084-51656 09685-58361-73363 ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digits, ==, "950105808451656096855836173363");
  g_assert_null (vw_fingerprint_normalize ("95010 58084 51656 09685 58361 7336", &error));
  assert_contains (error->message, "29");
  g_clear_error (&error);
  g_assert_null (vw_fingerprint_normalize ("95010 58084 51656 09685 58361 7336O", &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (vw_fingerprint_check (key, "95010-58084-51656-09685-58361-73363", &matches, &error));
  g_assert_true (matches);
  g_assert_true (vw_fingerprint_check (key, text, &matches, &error));
  g_assert_true (matches);
  g_assert_true (vw_fingerprint_check (key, b, &matches, &error));
  g_assert_false (matches);
  g_assert_false (vw_fingerprint_check (key, "ed25519:nonsense", &matches, &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  g_clear_error (&error);

  /* The invitation reader needs no vault: anything that is not an
   * invitation is an error, never a crash. */
  g_assert_null (vw_invitation_parse ((const guint8 *) "{}", 2, NULL, NULL, &error));
  assert_contains (error->message, "format");
  g_clear_error (&error);
  g_assert_null (vw_invitation_parse ((const guint8 *) "\xff\xfe", 2, NULL, NULL, &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (vw_invitation_parse ((const guint8 *) "{\"format\":1,\"study\":\"x\"}", 24, "y", NULL, &error));
  assert_contains (error->message, "study");
  g_clear_error (&error);
  g_assert_null (vw_invitation_parse (NULL, 0, NULL, NULL, &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  g_clear_error (&error);

  /* A whole invitation: read and shown with its signer; the signer must
   * be a coordinator it names, and each member is checked. */
  {
    g_autofree char *qpath = g_test_build_filename (G_TEST_DIST, "..", "data", "questionnaires",
                                                    "mo-bw-trajectory.json", NULL);
    g_autofree char *questionnaire = NULL;
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *json = NULL, *bad_region = NULL;
    g_autoptr(VwInvitation) invitation = NULL;
    g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
    g_autoptr(VwAgeRecipient) recipient = vw_age_identity_to_recipient (identity);
    g_autofree char *recipient_text = vw_age_recipient_to_string (recipient);
    guint8 stranger[32];

    g_assert_true (g_file_get_contents (qpath, &questionnaire, NULL, &error));
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "format");
    json_builder_add_int_value (builder, 1);
    json_builder_set_member_name (builder, "study");
    json_builder_add_string_value (builder, "den-haag");
    json_builder_set_member_name (builder, "name");
    json_builder_add_string_value (builder, "Den Haag 2026");
    json_builder_set_member_name (builder, "regions");
    json_builder_begin_array (builder);
    json_builder_add_string_value (builder, "DH");
    json_builder_end_array (builder);
    json_builder_set_member_name (builder, "questionnaire");
    json_builder_add_string_value (builder, questionnaire);
    json_builder_set_member_name (builder, "rounds");
    json_builder_begin_array (builder);
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "label");
    json_builder_add_string_value (builder, "T0");
    json_builder_set_member_name (builder, "fieldwork_start");
    json_builder_add_string_value (builder, "2026-01-05");
    json_builder_set_member_name (builder, "fieldwork_end");
    json_builder_add_null_value (builder);
    json_builder_end_object (builder);
    json_builder_end_array (builder);
    json_builder_set_member_name (builder, "coordinators");
    json_builder_begin_array (builder);
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "label");
    json_builder_add_string_value (builder, "Coördinator Den Haag");
    json_builder_set_member_name (builder, "recipient");
    json_builder_add_string_value (builder, recipient_text);
    json_builder_set_member_name (builder, "signing_key");
    json_builder_add_string_value (builder, text);
    json_builder_end_object (builder);
    json_builder_end_array (builder);
    json_builder_set_member_name (builder, "recipients");
    json_builder_begin_array (builder);
    json_builder_add_string_value (builder, recipient_text);
    json_builder_end_array (builder);
    json_builder_set_member_name (builder, "linkage_key");
    json_builder_add_string_value (builder, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    json_generator_set_root (generator, root);
    json = json_generator_to_data (generator, NULL);

    invitation = vw_invitation_parse ((const guint8 *) json, strlen (json), "den-haag", key, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (vw_invitation_get_name (invitation), ==, "Den Haag 2026");
    g_assert_cmpstr (vw_invitation_get_coordinator (invitation), ==, "Coördinator Den Haag");
    g_assert_cmpstr (vw_invitation_get_fingerprint (invitation), ==, a);
    g_assert_true (vw_invitation_confirm (invitation, "95010-58084-51656-09685-58361-73363", &error));
    g_assert_false (vw_invitation_confirm (invitation, b, &error));
    g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_MISMATCH);
    g_clear_error (&error);
    g_assert_false (vw_invitation_confirm (invitation, "", &error));
    g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_UNCONFIRMED);
    g_clear_error (&error);

    /* Signed by a key it does not name; for another study; a region that
     * is not a code. */
    memcpy (stranger, key, 32);
    stranger[0] ^= 0x80;
    g_assert_null (vw_invitation_parse ((const guint8 *) json, strlen (json), "den-haag", stranger, &error));
    assert_contains (error->message, "not signed by the coordinator it names");
    g_clear_error (&error);
    g_assert_null (vw_invitation_parse ((const guint8 *) json, strlen (json), "utrecht", key, &error));
    assert_contains (error->message, "study");
    g_clear_error (&error);
    bad_region = g_strdup (json);
    memcpy (strstr (bad_region, "\"DH\""), "\"dh\"", 4);
    g_assert_null (vw_invitation_parse ((const guint8 *) bad_region, strlen (bad_region), NULL, NULL, &error));
    assert_contains (error->message, "regions");
    g_clear_error (&error);
  }
}

/* Someone who knows the duo's recipient (it is not secret) makes a study
 * of the same name, enrols the duo's public keys and signs an invitation
 * naming themselves coordinator. */
static void
test_forged_invitation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-trust-join-XXXXXX", &error);
  Laptop coord = { 0 }, duo = { 0 }, attacker = { 0 };
  g_autofree char *genuine = NULL, *forged = NULL, *before = NULL, *study = NULL, *o = NULL;
  g_autofree char *dashed = NULL, *setup = NULL;
  const char *wrong[] = { NULL, NULL, NULL };

  g_assert_no_error (error);
  laptop_init (&coord, dir, "coordinator", "Den Haag 2026", TRUE);
  laptop_init (&duo, dir, "duo-noord", "eigen", FALSE);
  laptop_init (&attacker, dir, "attacker", "Den Haag 2026", TRUE);
  setup = CLI_OK (coord.vault, "study", "setup", "--round", "T0:2026-01-05:2026-03-27");
  g_clear_pointer (&setup, g_free);
  setup = CLI_OK (attacker.vault, "study", "setup", "--round", "T0:2026-01-05:2026-03-27");
  genuine = invite (dir, &coord, &duo, "duo Noord", "genuine.invitation");
  forged = invite (dir, &attacker, &duo, "duo Noord", "forged.invitation");
  study = study_of (coord.vault);
  g_assert_cmpstr (attacker.fingerprint, !=, coord.fingerprint);

  before = dir_checksums (duo.vault);

  /* Without a fingerprint or key: refused before the vault is opened,
   * saying what to ask for. */
  {
    g_autofree char *err = NULL;
    g_assert_cmpint (cli (duo.vault, NULL, NULL, &err, "study", "join", forged, NULL), ==, 2);
    assert_contains (err, "fingerprint");
    assert_contains (err, "coordinator");
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli (duo.vault, NULL, NULL, &err, "study", "join", genuine, NULL), ==, 2);
    assert_contains (err, "--fingerprint");
  }
  {
    g_autofree char *after = dir_checksums (duo.vault);
    g_assert_cmpstr (after, ==, before);
  }

  /* The real coordinator's fingerprint, or key, on the forged invitation:
   * the mismatch names the fingerprint that did sign it. */
  wrong[0] = coord.fingerprint;
  wrong[1] = coord.signing;
  for (guint i = 0; wrong[i] != NULL; i++)
    {
      g_autofree char *err = NULL, *after = NULL;
      const char *option = g_str_has_prefix (wrong[i], "ed25519:") ? "--coordinator-key" : "--fingerprint";

      g_assert_cmpint (cli (duo.vault, NULL, NULL, &err, "study", "join", option, wrong[i], forged, NULL), ==, 1);
      assert_contains (err, "not the one you were given");
      assert_contains (err, attacker.fingerprint);
      after = dir_checksums (duo.vault);
      g_assert_cmpstr (after, ==, before);
    }

  /* The genuine invitation with another key's fingerprint, or a digit
   * short, is refused too. */
  {
    g_autofree char *err = NULL, *after = NULL, *short_fp = g_strndup (coord.fingerprint, 34);

    g_assert_cmpint (cli (duo.vault, NULL, NULL, &err, "study", "join", "--fingerprint", duo.fingerprint, genuine,
                          NULL), ==, 1);
    assert_contains (err, "not the one you were given");
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli (duo.vault, NULL, NULL, &err, "study", "join", "--fingerprint", short_fp, genuine, NULL),
                     ==, 1);
    assert_contains (err, "30 digits");
    after = dir_checksums (duo.vault);
    g_assert_cmpstr (after, ==, before);
  }

  /* The core refuses the same without the command line: an invitation is
   * read and shown without writing, and joined only when confirmed. */
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (duo.vault);
    g_autoptr(VwInvitation) invitation = vw_invitation_open (vault, forged, &error);
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (vw_invitation_get_name (invitation), ==, "Den Haag 2026");
    g_assert_cmpstr (vw_invitation_get_coordinator (invitation), ==, "coordinator");
    g_assert_cmpstr (vw_invitation_get_fingerprint (invitation), ==, attacker.fingerprint);
    g_assert_null (vw_invitation_join (vault, invitation, NULL, &error));
    g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_UNCONFIRMED);
    g_clear_error (&error);
    g_assert_null (vw_invitation_join (vault, invitation, coord.fingerprint, &error));
    g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_MISMATCH);
    g_clear_error (&error);
    g_assert_null (vw_study_join (vault, forged, NULL, &error));
    g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_UNCONFIRMED);
    g_clear_error (&error);
    g_assert_true (vw_vault_close (vault, &error));
    after = dir_checksums (duo.vault);
    g_assert_cmpstr (after, ==, before);
  }

  /* The genuine invitation with the fingerprint as read from paper. */
  dashed = g_strdelimit (g_strdup (coord.fingerprint), " ", '-');
  o = CLI_OK (duo.vault, "study", "join", "--fingerprint", dashed, genuine);
  assert_contains (o, study);
  assert_contains (o, coord.fingerprint);
  {
    g_autofree char *joined = study_of (duo.vault);
    g_autofree char *devices = CLI_OK (duo.vault, "study", "devices");

    g_assert_cmpstr (joined, ==, study);
    /* The coordinator is the laptop this one trusts for the study. */
    assert_contains (devices, coord.fingerprint);
    g_assert_null (strstr (devices, attacker.fingerprint));
  }

  laptop_clear (&coord);
  laptop_clear (&duo);
  laptop_clear (&attacker);
  vw_test_rm_rf (dir);
}

typedef struct
{
  const char *label;
  const char *keys;
  const char *x25519;
  const char *ed25519;
  const char *says;
} Refusal;

/* The same label (whatever its case and spacing) or the same key twice in
 * a study is refused, naming the enrolment there is. */
static void
test_enrolment (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-trust-enrol-XXXXXX", &error);
  Laptop coord = { 0 }, noord = { 0 }, zuid = { 0 };
  g_autofree char *setup = NULL, *o1 = NULL, *o2 = NULL, *before = NULL, *devices = NULL;
  g_autofree char *coord_keys = g_build_filename (dir, "own.keys", NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  laptop_init (&coord, dir, "coordinator", "Den Haag 2026", TRUE);
  laptop_init (&noord, dir, "duo-noord", "eigen", FALSE);
  laptop_init (&zuid, dir, "duo-zuid", "eigen", FALSE);
  setup = CLI_OK (coord.vault, "study", "setup", "--round", "T0:2026-01-05:2026-03-27");
  o1 = CLI_OK (coord.vault, "study", "add-device", "--label", "duo Noord", "--keys", noord.keys_path);

  {
  /* The label in another case and spacing; the duo's keys file under
   * another label; either of its keys beside a new one; this laptop's own
   * keys. */
  const Refusal refused[] = {
    { "DUO  noord", zuid.keys_path, NULL, NULL, "label" },
    { "duo Zuid", noord.keys_path, NULL, NULL, "signing key" },
    { "duo Zuid", NULL, noord.recipient, zuid.signing, "recipient" },
    { "duo Zuid", NULL, zuid.recipient, noord.signing, "signing key" },
    { "duo Zuid", NULL, coord.recipient, coord.signing, "this laptop" },
  };

  before = dir_checksums (coord.vault);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *err = NULL, *after = NULL;
      int status;

      if (refused[i].keys != NULL)
        status = cli (coord.vault, NULL, NULL, &err, "study", "add-device", "--label", refused[i].label, "--keys",
                      refused[i].keys, NULL);
      else
        status = cli (coord.vault, NULL, NULL, &err, "study", "add-device", "--label", refused[i].label, "--x25519",
                      refused[i].x25519, "--ed25519", refused[i].ed25519, NULL);
      g_assert_cmpint (status, ==, 1);
      assert_contains (err, refused[i].says);
      if (i < 4)
        {
          /* It names the enrolment there is. */
          assert_contains (err, "“duo Noord”");
          assert_contains (err, noord.fingerprint);
        }
      after = dir_checksums (coord.vault);
      g_assert_cmpstr (after, ==, before);
    }
  }

  /* A keys file whose fingerprint line is not its key's: changed on the
   * way. */
  {
    g_autofree char *text = g_strdup_printf ("recipient: %s\nsigning-key: %s\nfingerprint: %s\n", zuid.recipient,
                                             zuid.signing, noord.fingerprint);
    g_autofree char *err = NULL, *after = NULL;

    g_assert_true (g_file_set_contents (coord_keys, text, -1, &error));
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "study", "add-device", "--label", "duo Zuid", "--keys",
                          coord_keys, NULL), ==, 1);
    assert_contains (err, "fingerprint");
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
  }

  o2 = CLI_OK (coord.vault, "study", "add-device", "--label", "duo Zuid", "--keys", zuid.keys_path);
  /* Enrolment prints the fingerprint to compare with the laptop's. */
  assert_contains (o1, noord.fingerprint);
  assert_contains (o2, zuid.fingerprint);

  /* The listing: id, label, fingerprint, state. */
  devices = CLI_OK (coord.vault, "study", "devices");
  lines = g_strsplit (devices, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (cols), ==, 4);
      g_assert_cmpuint (strlen (cols[0]), ==, 32);
      g_assert_cmpstr (cols[1], ==, i == 0 ? "duo Noord" : "duo Zuid");
      g_assert_cmpstr (cols[2], ==, i == 0 ? noord.fingerprint : zuid.fingerprint);
      g_assert_cmpstr (cols[3], ==, "trusted");
    }

  laptop_clear (&coord);
  laptop_clear (&noord);
  laptop_clear (&zuid);
  vw_test_rm_rf (dir);
}

/* Enters an interview on @vault's newest study, as the interview screen
 * does. */
static void
interview (const char *vault_path,
           const char *pseudonym)
{
  const char *answers[] = { "residence", "mo", "debts", "ja", NULL };
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *study = vw_study_resolve (vault, NULL, &error);
  g_autofree char *code = NULL;

  g_assert_no_error (error);
  code = vw_test_duos_interview (vault, study, pseudonym, answers);
  g_assert_true (vw_vault_close (vault, &error));
}

/* Writes @duo's submission to @name and returns its path and bundle id. */
static char *
submit (const char  *dir,
        Laptop      *duo,
        const char  *name,
        char       **id)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *out = CLI_OK (duo->vault, "submit", "--all", "-o", path);
  const char *start = strstr (out, "submission ");

  g_assert_nonnull (start);
  *id = g_strndup (start + strlen ("submission "), 32);
  return path;
}

static guint
count_accepted (const char *vault_path,
                const char *bundle_id)
{
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = vw_vault_list_audit (vault, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      VwAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_str_equal (entry->action, "revoked_bundle_accepted"))
        {
          assert_contains (entry->detail, bundle_id);
          n++;
        }
    }
  g_assert_true (vw_vault_close (vault, &error));
  return n;
}

static void
test_revocation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-trust-revoke-XXXXXX", &error);
  Laptop coord = { 0 }, noord = { 0 }, zuid = { 0 };
  g_autofree char *setup = NULL, *inv_noord = NULL, *inv_zuid = NULL, *j1 = NULL, *j2 = NULL;
  g_autofree char *early = NULL, *late = NULL, *early_id = NULL, *late_id = NULL, *noord_sub = NULL;
  g_autofree char *noord_id = NULL, *before = NULL, *out = NULL, *devices = NULL, *dashed = NULL;
  g_autofree char *zuid_id = NULL, *study = NULL;

  g_assert_no_error (error);
  laptop_init (&coord, dir, "coordinator", "Den Haag 2026", TRUE);
  laptop_init (&noord, dir, "duo-noord", "eigen", FALSE);
  laptop_init (&zuid, dir, "duo-zuid", "eigen", FALSE);
  setup = CLI_OK (coord.vault, "study", "setup", "--round", "T0:2026-01-05:2026-03-27");
  inv_noord = invite (dir, &coord, &noord, "duo Noord", "noord.invitation");
  inv_zuid = invite (dir, &coord, &zuid, "duo Zuid", "zuid.invitation");
  j1 = CLI_OK (noord.vault, "study", "join", "--coordinator-key", coord.signing, inv_noord);
  j2 = CLI_OK (zuid.vault, "study", "join", "--coordinator-key", coord.signing, inv_zuid);
  study = study_of (coord.vault);

  interview (zuid.vault, "Karel");
  early = submit (dir, &zuid, "early.submission", &early_id);
  interview (zuid.vault, "Joop");
  late = submit (dir, &zuid, "late.submission", &late_id);
  interview (noord.vault, "Tom");
  noord_sub = submit (dir, &noord, "noord.submission", &noord_id);

  /* Revoked by its fingerprint, as read out (with dashes). */
  dashed = g_strdelimit (g_strdup (zuid.fingerprint), " ", '-');
  out = CLI_OK (coord.vault, "study", "revoke", dashed);
  assert_contains (out, "Revoked");
  assert_contains (out, "duo Zuid");
  devices = CLI_OK (coord.vault, "study", "devices");
  assert_contains (devices, "\tduo Zuid\t");
  assert_contains (devices, "\trevoked ");
  {
    const char *line = strstr (devices, "\tduo Zuid\t");
    const char *start = line;

    while (start > devices && start[-1] != '\n')
      start--;
    zuid_id = g_strndup (start, line - start);
  }

  /* A second revocation, by id or label, says so and changes nothing. */
  g_free (before);
  before = dir_checksums (coord.vault);
  {
    g_autofree char *o1 = CLI_OK (coord.vault, "study", "revoke", zuid_id);
    g_autofree char *o2 = CLI_OK (coord.vault, "study", "revoke", "duo zuid");
    g_autofree char *after = dir_checksums (coord.vault);

    assert_contains (o1, "already revoked");
    assert_contains (o2, "already revoked");
    g_assert_cmpstr (after, ==, before);
  }

  /* Its bundle made before the revocation is refused all the same: its
   * date is the sender's claim. The refusal names the bundle. */
  {
    g_autofree char *err = NULL, *after = NULL;

    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "merge", early, NULL), ==, 1);
    assert_contains (err, "revoked");
    assert_contains (err, early_id);
    assert_contains (err, "--accept-revoked");
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
  }

  /* --accept-revoked names one bundle: another id among the files, a
   * bundle of a laptop that is not revoked, or a bad id are refused. */
  {
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *after = NULL;

    g_assert_cmpint (cli (coord.vault, NULL, NULL, &e1, "merge", "--accept-revoked", late_id, early, NULL), ==, 1);
    assert_contains (e1, "None of the files");
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &e2, "merge", "--accept-revoked", noord_id, noord_sub, NULL), ==,
                     1);
    assert_contains (e2, "not revoked");
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &e3, "merge", "--accept-revoked", "zzz", early, NULL), ==, 1);
    assert_contains (e3, "not a bundle id");
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpuint (count_accepted (coord.vault, early_id), ==, 0);

  /* Exactly the named bundle is accepted, with an audit entry naming it;
   * the same laptop's other bundle stays refused. */
  {
    g_autofree char *o = CLI_OK (coord.vault, "merge", "--accept-revoked", early_id, early);
    g_autofree char *err = NULL, *dump = NULL;
    g_autofree char *after = NULL;

    assert_contains (o, "Merged 1 bundle");
    assert_contains (o, early_id);
    g_assert_cmpuint (count_accepted (coord.vault, early_id), ==, 1);
    dump = CLI_OK (coord.vault, "study", "dump");
    assert_contains (dump, "Karel");
    g_assert_null (strstr (dump, "Joop"));

    g_free (before);
    before = dir_checksums (coord.vault);
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "merge", late, NULL), ==, 1);
    assert_contains (err, late_id);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "merge", "--accept-revoked", early_id, late, NULL), ==, 1);
    assert_contains (err, "None of the files");
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
  }

  /* Someone with the vault file writes an acceptance of the other bundle
   * into the audit trail: its detail is not sealed with the vault's key,
   * so it accepts nothing. */
  {
    sqlite3 *db = vw_test_raw_open (coord.vault);
    g_autofree char *detail = g_strdup_printf ("bundle %s", late_id);
    char *sql = sqlite3_mprintf ("INSERT INTO audit (seq, ts, actor, action, object, detail, prev_mac, mac) "
                                 "SELECT max (seq) + 1, '2026-01-01T00:00:00Z', 'x', 'revoked_bundle_accepted', %Q, "
                                 "CAST (%Q AS BLOB), randomblob (32), randomblob (32) FROM audit", zuid_id, detail);
    g_autofree char *err = NULL, *after = NULL;

    vw_test_raw_exec (db, sql);
    sqlite3_free (sql);
    sqlite3_close (db);
    g_free (before);
    before = dir_checksums (coord.vault);
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "merge", late, NULL), ==, 1);
    assert_contains (err, late_id);
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
  }

  /* The laptop that is not revoked still merges. */
  {
    g_autofree char *o = CLI_OK (coord.vault, "merge", noord_sub);
    assert_contains (o, "Merged 1 bundle");
  }

  /* A label two laptops share (enrolled before labels were unique, here
   * made through the vault's own call) names neither: revoke refuses it,
   * and the id still works. */
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (coord.vault);
    guint8 x[32], ed[32];
    g_autofree char *legacy = NULL;
    g_autofree char *err = NULL, *after = NULL, *o = NULL;

    randombytes_buf (x, sizeof x);
    randombytes_buf (ed, sizeof ed);
    legacy = vw_vault_add_device (vault, study, "duo Noord", x, ed, TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (vw_vault_close (vault, &error));
    g_free (before);
    before = dir_checksums (coord.vault);
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "study", "revoke", "duo Noord", NULL), ==, 1);
    assert_contains (err, "2 laptops");
    assert_contains (err, legacy);
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
    o = CLI_OK (coord.vault, "study", "revoke", legacy);
    assert_contains (o, "Revoked");
    g_clear_pointer (&o, g_free);
    /* Now the label is one trusted laptop's and one revoked: still two. */
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "study", "revoke", "duo Noord", NULL), ==, 1);
    assert_contains (err, "2 laptops");
  }

  laptop_clear (&coord);
  laptop_clear (&noord);
  laptop_clear (&zuid);
  vw_test_rm_rf (dir);
}

/* README's one-call setup with a second coordinator's recipient: the
 * coordinator still opens a duo's submission, and so does the second. */
static void
test_one_call_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-trust-setup-XXXXXX", &error);
  g_autofree char *identity = g_build_filename (dir, "second.txt", NULL);
  g_autofree char *plain = g_build_filename (dir, "submission.plain", NULL);
  Laptop coord = { 0 }, duo = { 0 };
  g_autofree char *second = NULL, *setup = NULL, *show = NULL, *inv = NULL, *joined = NULL, *sub = NULL;
  g_autofree char *sub_id = NULL, *merged = NULL, *line = NULL, *own_line = NULL;

  g_assert_no_error (error);
  laptop_init (&coord, dir, "coordinator", "Den Haag 2026", TRUE);
  laptop_init (&duo, dir, "duo-noord", "eigen", FALSE);
  {
    const char *argv[] = { "keygen", "-o", identity, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (vw_test_run_cliv (NULL, NULL, &out, &err, argv), ==, 0);
    second = vw_test_age_public_key (identity);
  }

  setup = CLI_OK (coord.vault, "study", "setup", "--round", "T0:2026-01-05:2026-03-27", "--recipient", second);
  inv = invite (dir, &coord, &duo, "duo Noord", "noord.invitation");
  joined = CLI_OK (duo.vault, "study", "join", "--coordinator-key", coord.signing, inv);
  interview (duo.vault, "Tom");
  sub = submit (dir, &duo, "noord.submission", &sub_id);
  merged = CLI_OK (coord.vault, "merge", sub);
  assert_contains (merged, "Merged 1 bundle");
  {
    const char *argv[] = { "decrypt", "-i", identity, "-o", plain, sub, NULL };
    g_assert_cmpint (vw_test_run_cliv (NULL, NULL, NULL, NULL, argv), ==, 0);
    g_assert_true (vw_test_file_contains (plain, "VELDWERK-BUNDLE 1\n", 18));
  }
  show = CLI_OK (coord.vault, "study", "show");
  line = g_strdup_printf ("recipient: %s\n", second);
  own_line = g_strdup_printf ("recipient: %s\n", coord.recipient);
  assert_contains (show, line);
  assert_contains (show, own_line);

  /* A vault whose recipients lost this laptop's (set up by an earlier
   * build): no invitation goes out until setup puts it back. */
  {
    g_autofree char *study = study_of (coord.vault);
    g_autofree char *sql = NULL, *err = NULL, *before = NULL, *after = NULL, *fixed = NULL, *again = NULL;
    g_autofree char *other_inv = g_build_filename (dir, "again.invitation", NULL);
    sqlite3 *db = vw_test_raw_open (coord.vault);

    sql = sqlite3_mprintf ("DELETE FROM study_recipients WHERE study = %Q AND recipient = %Q", study,
                           coord.recipient);
    vw_test_raw_exec (db, sql);
    sqlite3_free (sql);
    sql = NULL;
    sqlite3_close (db);
    before = dir_checksums (coord.vault);
    g_assert_cmpint (cli (coord.vault, NULL, NULL, &err, "study", "invite", "duo Noord", "-o", other_inv, NULL), ==,
                     1);
    assert_contains (err, coord.recipient);
    assert_contains (err, "study setup");
    after = dir_checksums (coord.vault);
    g_assert_cmpstr (after, ==, before);
    g_assert_false (g_file_test (other_inv, G_FILE_TEST_EXISTS));
    fixed = CLI_OK (coord.vault, "study", "setup");
    again = CLI_OK (coord.vault, "study", "show");
    assert_contains (again, own_line);
  }

  laptop_clear (&coord);
  laptop_clear (&duo);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/trust/fingerprint", test_fingerprint);
  g_test_add_func ("/trust/forged-invitation", test_forged_invitation);
  g_test_add_func ("/trust/enrolment", test_enrolment);
  g_test_add_func ("/trust/revocation", test_revocation);
  g_test_add_func ("/trust/one-call-setup", test_one_call_setup);
  return g_test_run ();
}
