/* veldwerk-cli questionnaire check: the real binary on the shipped
 * questionnaire and on broken files, with exact positions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "vw-test-util.h"

static char *
questionnaire_path (const char *name)
{
  const char *root = g_getenv ("VELDWERK_SOURCE_DIR");

  g_assert_nonnull (root);
  return g_build_filename (root, "tests", "questionnaires", name, NULL);
}

static void
test_check_shipped (void)
{
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  int status;

  path = g_build_filename (g_getenv ("VELDWERK_SOURCE_DIR"), "data", "questionnaires",
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/questionnaire-cli/shipped", test_check_shipped);
  g_test_add_func ("/questionnaire-cli/example", test_check_example);
  g_test_add_func ("/questionnaire-cli/usage", test_check_usage);
  g_test_add_func ("/questionnaire-cli/broken-all-listed", test_check_broken_all_listed);
  for (gsize i = 0; i < G_N_ELEMENTS (broken_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/questionnaire-cli/broken/%s", broken_files[i].file);

      g_test_add_data_func (name, &broken_files[i], test_check_broken);
    }

  return g_test_run ();
}
