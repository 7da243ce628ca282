/* veldwerk-cli questionnaire check: the real binary on the shipped
 * questionnaire and on broken files, with exact positions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "vw-core.h"
#include "vw-test-files.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static char *
questionnaire_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "questionnaires", name, NULL);
}

static void
test_check_shipped (void)
{
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  int status;

  path = g_test_build_filename (G_TEST_DIST, "..", "data", "questionnaires",
                                "mo-bw-trajectory.json", NULL);
  status = vw_test_run_cli (NULL, &out, &err, "questionnaire", "check", path, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  expected = g_strdup_printf ("%s: valid questionnaire “mo-bw-trajectory” version 1.0", path);
  g_assert_true (g_str_has_prefix (out, expected));
  g_assert_nonnull (strstr (out, "\nsha256 "));
}

static void
test_check_example (void)
{
  g_autofree char *path = questionnaire_path ("example.json");
  g_autofree char *out = NULL;
  int status;

  status = vw_test_run_cli (NULL, &out, NULL, "questionnaire", "check", path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "“example” version 1.0 (3 modules, 8 questions)"));
}

typedef struct
{
  const char *file;
  const char *position; /* LINE:COLUMN of the first problem */
  const char *rest;     /* what follows it: "path: message", the message's start */
} BrokenFile;

/* Each file is tests/questionnaires/minimal.json with one mistake. The
 * positions were checked by hand against the files. */
static const BrokenFile broken_files[] = {
  { "broken-syntax.json", "4:16", "the JSON syntax is wrong: " },
  { "broken-utf8.json", "43:80", "the file is not UTF-8 text" },
  { "broken-too-deep.json", "5:42", "the file nests more than 32 levels deep" },
  { "broken-version.json", "4:14", "version: a version is written like 1, 1.2 or 1.2.3" },
  { "broken-unknown-codelist.json", "28:20",
    "modules[0].questions[1].codes: unknown code list “animals”" },
  { "broken-redefined-codebook-list.json", "8:5",
    "codelists.residence: “residence” is a code list of the core codebook" },
  { "broken-duplicate-question.json", "40:17",
    "modules[0].questions[3].id: the question id “pets” is already used at modules[0].questions[1]" },
  { "broken-duplicate-module.json", "23:13",
    "modules[1].id: the module id “start” is already used by modules[0]" },
  { "broken-duplicate-member.json", "28:11", "modules[0].questions[1].type: “type” is given twice" },
  { "broken-later-reference.json", "23:33",
    "modules[0].questions[0].relevant: refers to “age_pet” which is not an earlier question: it comes later, at modules[0].questions[2]" },
  { "broken-unknown-reference.json", "42:24",
    "modules[0].questions[3].relevant: refers to “debt” which is not an earlier question: there is no question with that id; did you mean “debts”?" },
  { "broken-expr-syntax.json", "42:43",
    "modules[0].questions[3].relevant: expected a question id, “not”, “answered”, “selected” or “(”" },
  { "broken-code-not-in-list.json", "42:40",
    "modules[0].questions[3].relevant: “yes” is not a code of “debts”" },
  { "broken-selected-on-single.json", "42:33",
    "modules[0].questions[3].relevant: selected() needs a multiple_choice question" },
  { "broken-missing-translation.json", "29:20",
    "modules[0].questions[1].label: the English text (“en”) is missing" },
  { "broken-missing-prompt-translation.json", "44:54",
    "modules[0].questions[3].prompts[0].en: must not be empty; fill in the translation" },
  { "broken-missing-code-label.json", "10:33", "codelists.pets[1].label: the Dutch text (“nl”) is missing" },
  { "broken-min-on-text.json", "42:11", "modules[0].questions[3].min: “min” does not apply to a long_text question" },
  { "broken-codes-on-number.json", "34:11",
    "modules[0].questions[2].codes: “codes” does not apply to a number question" },
  { "broken-core-variable-type.json", "21:19",
    "modules[0].questions[0].type: “debts” is a core variable and must be a “single_choice” question" },
  { "broken-core-variable-codes.json", "22:20",
    "modules[0].questions[0].codes: “debts” is a core variable: its codes must be the code list “ja_nee_onbekend”" },
  { "broken-unknown-member.json", "29:11",
    "modules[0].questions[1].requird: unknown member “requird”; did you mean “required”?" },
  { "broken-rounds.json", "16:24", "modules[0].rounds[1]: a round is written T0, T1, T2, …" },
};

static void
test_check_broken (gconstpointer data)
{
  const BrokenFile *broken = data;
  g_autofree char *path = questionnaire_path (broken->file);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *where = g_strdup_printf ("%s:%s: ", path, broken->position);
  g_auto(GStrv) lines = NULL;
  g_autofree char *head = NULL;
  int status;

  status = vw_test_run_cli (NULL, &out, &err, "questionnaire", "check", path, NULL);
  g_assert_cmpint (status, ==, 1);

  /* FILE:LINE:COLUMN compared exactly, then the path and message. */
  lines = g_strsplit (out, "\n", -1);
  g_assert_nonnull (lines[0]);
  g_test_message ("%s", lines[0]);
  head = g_strndup (lines[0], strlen (where));
  g_assert_cmpstr (head, ==, where);
  g_assert_true (g_str_has_prefix (lines[0] + strlen (where), broken->rest));

  /* One summary line on standard error. */
  g_assert_true (g_str_has_prefix (err, "veldwerk-cli: "));
  g_assert_nonnull (strstr (err, broken->file));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
}

static void
test_check_usage (void)
{
  g_autofree char *err = NULL;
  int status;

  status = vw_test_run_cli (NULL, NULL, &err, "questionnaire", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "questionnaire check FILE"));
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (NULL, NULL, &err, "questionnaire", "check", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (NULL, NULL, &err, "questionnaire", "check", "/no/such/q.json", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "veldwerk-cli: Cannot read “/no/such/q.json”"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
}

/* Every broken file in the folder has its expected position here. */
static void
test_check_broken_all_listed (void)
{
  g_autofree char *dir_path = questionnaire_path ("");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint found = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      if (!g_str_has_prefix (name, "broken-"))
        continue;
      found++;
      for (gsize i = 0; i < G_N_ELEMENTS (broken_files); i++)
        listed |= g_str_equal (broken_files[i].file, name);
      g_test_message ("%s", name);
      g_assert_true (listed);
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (broken_files));
}

/* A forged invitation: the example questionnaire with a skip condition
 * of 90,000 `or` terms, about 2.3 MB, under the 4 MiB limit. On the code
 * before, every reader of it crashed (SIGSEGV). */
#define FORGED_TERMS 90000

static char *
forged_questionnaire (void)
{
  g_autofree char *path = questionnaire_path ("example.json");
  g_autofree char *example = NULL;
  g_autoptr(GString) condition = g_string_new ("residence = 'onbekend'");
  g_auto(GStrv) parts = NULL;
  char *forged;

  g_assert_true (g_file_get_contents (path, &example, NULL, NULL));
  for (guint i = 1; i < FORGED_TERMS; i++)
    g_string_append (condition, " or residence = 'onbekend'");
  /* debts_story's condition. */
  parts = g_strsplit (example, "\"relevant\": \"debts = 'ja'\"", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  forged = g_strdup_printf ("%s\"relevant\": \"%s\"%s", parts[0], condition->str, parts[1]);
  g_assert_cmpuint (strlen (forged), >, 2000000);
  g_assert_cmpuint (strlen (forged), <, VW_QUESTIONNAIRE_MAX_SIZE);
  return forged;
}

static void
assert_names_question (const char *text)
{
  g_assert_nonnull (strstr (text, "question “debts_story”: the condition is too complex: "
                                  "it has more than 1000 terms"));
}

static void
test_forged_condition_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-forged-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "forged.json", NULL);
  g_autofree char *forged = forged_questionnaire ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *where = NULL;
  int status;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, forged, -1, &error));
  status = vw_test_run_cli (NULL, &out, &err, "questionnaire", "check", path, NULL);
  g_test_message ("%s%s", out, err);
  /* A clear error, not a crash (-1) */
  g_assert_cmpint (status, ==, 1);
  where = g_strdup_printf ("%s:", path);
  g_assert_true (g_str_has_prefix (out, where));
  g_assert_nonnull (strstr (out, "modules[1].questions[3].relevant: "));
  assert_names_question (out);
  g_assert_nonnull (strstr (err, "has 1 problem"));
  vw_test_rm_rf (dir);
}

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

static G_GNUC_NULL_TERMINATED int
vault_cli (char       **out,
           char       **err,
           const char  *vault,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "--vault");
  g_ptr_array_add (argv, (gpointer) vault);
  va_start (args, vault);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return vw_test_run_cliv (pass_env, NULL, out, err, (const char * const *) argv->pdata);
}

static char *
keys_field (const char *keys,
            const char *name)
{
  g_autofree char *prefix = g_strconcat (name, ": ", NULL);
  const char *start = strstr (keys, prefix);

  g_assert_nonnull (start);
  start += strlen (prefix);
  return g_strndup (start, strcspn (start, "\n"));
}

/* `study setup --questionnaire` on the coordinator's laptop: refused with
 * the question named, the vault's files byte-identical. */
static void
test_forged_condition_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-forged-XXXXXX", &error);
  g_autofree char *vault_dir = g_build_filename (dir, "vault", NULL);
  g_autofree char *vault = g_build_filename (vault_dir, "coordinator.vault", NULL);
  g_autofree char *path = g_build_filename (dir, "forged.json", NULL);
  g_autofree char *forged = forged_questionnaire ();
  g_autofree char *before = NULL, *after = NULL, *out = NULL, *err = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (vault_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, forged, -1, &error));
  g_assert_cmpint (vault_cli (NULL, NULL, vault, "init", "--study", "Forged", "--region", "DH", "--coordinator",
                              NULL), ==, 0);

  before = vw_test_dir_snapshot (vault_dir);
  g_assert_cmpint (vault_cli (&out, &err, vault, "study", "setup", "--questionnaire", path, NULL), ==, 1);
  g_test_message ("%s", err);
  assert_names_question (err);
  after = vw_test_dir_snapshot (vault_dir);
  g_assert_cmpstr (after, ==, before);
  vw_test_rm_rf (dir);
}

/* An invitation made by hand with the forged questionnaire, signed by the
 * key the duo was told to expect: `study join` refuses it with the
 * question named, the duo's vault files byte-identical. */
static void
test_forged_condition_join (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-forged-XXXXXX", &error);
  g_autofree char *vault_dir = g_build_filename (dir, "vault", NULL);
  g_autofree char *vault = g_build_filename (vault_dir, "duo.vault", NULL);
  g_autofree char *invitation = g_build_filename (dir, "forged.invitation", NULL);
  g_autofree char *forged = forged_questionnaire ();
  g_autofree char *keys = NULL, *duo_recipient = NULL;
  g_autofree char *before = NULL, *after = NULL, *out = NULL, *err = NULL;
  g_autoptr(VwAgeIdentity) attacker_identity = vw_age_identity_generate ();
  g_autoptr(VwAgeRecipient) attacker_recipient = vw_age_identity_to_recipient (attacker_identity);
  g_autofree char *attacker_age = vw_age_recipient_to_string (attacker_recipient);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) content = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autofree char *signing_b64 = NULL, *signing_text = NULL, *linkage_b64 = NULL;
  guint8 signing_public[32], linkage[32];
  char *json;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (vault_dir, 0700), ==, 0);
  g_assert_cmpint (vault_cli (NULL, NULL, vault, "init", "--study", "eigen", "--region", "DH", NULL), ==, 0);
  g_assert_cmpint (vault_cli (&keys, NULL, vault, "keys", NULL), ==, 0);
  duo_recipient = keys_field (keys, "recipient");

  signing = vw_bundle_signing_key_generate (signing_public);
  signing_b64 = g_base64_encode (signing_public, 32);
  signing_text = g_strconcat ("ed25519:", signing_b64, NULL);
  randombytes_buf (linkage, sizeof linkage);
  linkage_b64 = g_base64_encode (linkage, sizeof linkage);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "study");
  json_builder_add_string_value (builder, "forged-study");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Forged");
  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "DH");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "questionnaire");
  json_builder_add_string_value (builder, forged);
  json_builder_set_member_name (builder, "rounds");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, "T0");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "coordinators");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, "coordinator");
  json_builder_set_member_name (builder, "recipient");
  json_builder_add_string_value (builder, attacker_age);
  json_builder_set_member_name (builder, "signing_key");
  json_builder_add_string_value (builder, signing_text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, attacker_age);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "linkage_key");
  json_builder_add_string_value (builder, linkage_b64);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  content = g_bytes_new_take (json, strlen (json));

  g_ptr_array_add (recipients, vw_age_recipient_parse (duo_recipient, &error));
  g_assert_no_error (error);
  g_assert_true (vw_bundle_write_bytes (invitation, VW_BUNDLE_KIND_INVITATION, "forged-study", signing, recipients,
                                        content, NULL, NULL, &error));
  g_assert_no_error (error);

  before = vw_test_dir_snapshot (vault_dir);
  g_assert_cmpint (vault_cli (&out, &err, vault, "study", "join", "--coordinator-key", signing_text, invitation,
                              NULL), ==, 1);
  g_test_message ("%s", err);
  assert_names_question (err);
  after = vw_test_dir_snapshot (vault_dir);
  g_assert_cmpstr (after, ==, before);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/questionnaire-cli/shipped", test_check_shipped);
  g_test_add_func ("/questionnaire-cli/example", test_check_example);
  g_test_add_func ("/questionnaire-cli/usage", test_check_usage);
  g_test_add_func ("/questionnaire-cli/broken-all-listed", test_check_broken_all_listed);
  g_test_add_func ("/questionnaire-cli/forged-condition/check", test_forged_condition_check);
  g_test_add_func ("/questionnaire-cli/forged-condition/setup", test_forged_condition_setup);
  g_test_add_func ("/questionnaire-cli/forged-condition/join", test_forged_condition_join);
  for (gsize i = 0; i < G_N_ELEMENTS (broken_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/questionnaire-cli/broken/%s", broken_files[i].file);

      g_test_add_data_func (name, &broken_files[i], test_check_broken);
    }

  return g_test_run ();
}
