/* Questionnaires: the model, the shipped questionnaire against the
 * codebook, answer values, the canonical hash and versions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vw-core.h"

static char *
source_path (const char *relative)
{
  return g_test_build_filename (G_TEST_DIST, "..", relative, NULL);
}

static VwQuestionnaire *
load_test_file (const char *name)
{
  g_autofree char *relative = g_build_filename ("tests", "questionnaires", name, NULL);
  g_autofree char *path = source_path (relative);
  g_autoptr(GError) error = NULL;
  VwQuestionnaire *q = vw_questionnaire_new_from_file (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (q);
  return q;
}

static VwQuestionnaire *
load_text (const char  *text,
           GPtrArray  **problems,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return vw_questionnaire_new_from_bytes (bytes, "inline.json", problems, error);
}

static char *
read_source_file (const char *relative)
{
  g_autofree char *path = source_path (relative);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static const char *
lookup_table (const char *name,
              gpointer    user_data)
{
  return g_hash_table_lookup (user_data, name);
}

static gboolean
relevant_with (VwQuestionnaire *q,
               const char      *question_id,
               ...)
{
  g_autoptr(GHashTable) answers = g_hash_table_new (g_str_hash, g_str_equal);
  const VwQuestion *question = vw_questionnaire_lookup_question (q, question_id);
  const char *name;
  va_list args;

  g_assert_nonnull (question);
  va_start (args, question_id);
  while ((name = va_arg (args, const char *)) != NULL)
    g_hash_table_insert (answers, (gpointer) name, va_arg (args, char *));
  va_end (args);

  return vw_questionnaire_is_relevant (q, question, lookup_table, answers);
}

/* The shipped questionnaire and the codebook. */

static void
test_shipped_uses_every_core_variable (void)
{
  VwQuestionnaire *q = vw_questionnaire_get_shipped ();
  VwCodebook *codebook = vw_codebook_get_core ();
  guint n_variables = 0, checked = 0;
  const VwVariable *variables = vw_codebook_get_variables (codebook, &n_variables);

  for (guint i = 0; i < n_variables; i++)
    {
      const VwVariable *var = &variables[i];
      const VwQuestion *question = vw_questionnaire_lookup_question (q, var->name);
      gboolean asked = (var->scope == VW_VARIABLE_SCOPE_PARTICIPANT || var->scope == VW_VARIABLE_SCOPE_ROUND) &&
                       !g_str_equal (var->name, "status") && !g_str_equal (var->name, "date") &&
                       !g_str_equal (var->name, "attempts");
      VwQuestionType type;

      g_test_message ("variable %s", var->name);
      if (!asked)
        {
          /* Identifiers, status, date, the count of contact attempts
           * (tracing's) and derived values are the application's, never
           * a question. */
          g_assert_null (question);
          continue;
        }
      g_assert_nonnull (question);
      checked++;
      type = vw_question_get_question_type (question);
      g_assert_cmpint (vw_question_get_scope (question), ==,
                       var->scope == VW_VARIABLE_SCOPE_PARTICIPANT ? VW_QUESTION_SCOPE_PARTICIPANT
                                                                   : VW_QUESTION_SCOPE_ROUND);

      if (g_str_equal (var->type, "choice"))
        {
          const VwCodeList *expected = vw_codebook_get_code_list (codebook, var->codes);
          const VwCodeList *codes = vw_question_get_code_list (question);

          g_assert_true (type == VW_QUESTION_SINGLE_CHOICE || type == VW_QUESTION_YES_NO);
          g_assert_nonnull (codes);
          g_assert_cmpuint (vw_code_list_get_n_codes (codes), ==, vw_code_list_get_n_codes (expected));
          for (guint c = 0; c < vw_code_list_get_n_codes (expected); c++)
            g_assert_cmpstr (vw_code_get_code (vw_code_list_get_code (codes, c)), ==,
                             vw_code_get_code (vw_code_list_get_code (expected, c)));
        }
      else if (g_str_equal (var->type, "year"))
        g_assert_cmpint (type, ==, VW_QUESTION_YEAR);
      else if (g_str_equal (var->type, "month"))
        g_assert_cmpint (type, ==, VW_QUESTION_MONTH);
      else if (g_str_equal (var->type, "date"))
        g_assert_cmpint (type, ==, VW_QUESTION_DATE);
      else
        {
          g_assert_cmpstr (var->type, ==, "text");
          g_assert_cmpint (type, ==, VW_QUESTION_SHORT_TEXT);
        }
    }
  /* Sections 2 and 3 of the codebook, less status and date. */
  g_assert_cmpuint (checked, ==, 17);
}

static void
test_shipped_structure (void)
{
  static const char *modules[] = {
    "consent", "about_you", "life_history", "residence_now", "history_first", "history_followup",
    "past_year", "support", "daytime", "finances", "indication", "network", "health",
    "experiences", "experience_expertise", "perspective",
    "t4_looking_back", "t4_neighbourhood", "t4_network", "t4_experience_expertise",
  };
  VwQuestionnaire *q = vw_questionnaire_get_shipped ();
  const VwModule *consent = vw_questionnaire_get_consent_module (q);
  guint prompted = 0;

  g_assert_cmpstr (vw_questionnaire_get_id (q), ==, "mo-bw-trajectory");
  g_assert_cmpstr (vw_questionnaire_get_title (q, "nl"), !=, vw_questionnaire_get_title (q, "en"));
  g_assert_cmpuint (strlen (vw_questionnaire_get_hash (q)), ==, 64);
  for (gsize i = 0; i < G_N_ELEMENTS (modules); i++)
    g_assert_nonnull (vw_questionnaire_lookup_module (q, modules[i]));

  /* Consent comes first and holds both consent variables. */
  g_assert_nonnull (consent);
  g_assert_true (consent == vw_questionnaire_get_module (q, 0));
  g_assert_cmpstr (vw_module_get_purpose (consent), ==, "consent");
  g_assert_true (vw_questionnaire_lookup_question (q, "consent_research") == vw_module_get_question (consent, 0));
  g_assert_true (vw_question_get_module (vw_questionnaire_lookup_question (q, "consent_wmo_linkage")) == consent);

  /* Residence histories: five years at a first interview, since the last
   * round at a follow-up. */
  g_assert_cmpint (vw_question_get_question_type (vw_questionnaire_lookup_question (q, "stays_last_five_years")),
                   ==, VW_QUESTION_RESIDENCE_HISTORY);
  g_assert_cmpint (vw_module_get_rounds_kind (vw_questionnaire_lookup_module (q, "history_first")), ==, VW_ROUNDS_FIRST);
  g_assert_cmpint (vw_question_get_question_type (vw_questionnaire_lookup_question (q, "stays_since_last_round")),
                   ==, VW_QUESTION_RESIDENCE_HISTORY);
  g_assert_cmpint (vw_module_get_rounds_kind (vw_questionnaire_lookup_module (q, "history_followup")), ==, VW_ROUNDS_FOLLOWUP);
  g_assert_cmpint (vw_module_get_rounds_kind (vw_questionnaire_lookup_module (q, "past_year")), ==, VW_ROUNDS_FOLLOWUP);
  g_assert_cmpstrv (vw_module_get_rounds (vw_questionnaire_lookup_module (q, "t4_neighbourhood")),
                    ((const char *[]) { "T4", NULL }));

  /* Every text in both languages; open questions carry prompts. */
  for (guint i = 0; i < vw_questionnaire_get_n_questions (q); i++)
    {
      const VwQuestion *question = vw_questionnaire_get_question (q, i);

      g_assert_cmpuint (vw_question_get_index (question), ==, i);
      g_assert_nonnull (vw_question_get_label (question, "nl"));
      g_assert_nonnull (vw_question_get_label (question, "en"));
      g_assert_cmpstr (vw_question_get_label (question, "nl"), !=, vw_question_get_label (question, "en"));
      for (guint p = 0; p < vw_question_get_n_prompts (question); p++)
        {
          g_assert_nonnull (vw_question_get_prompt (question, p, "nl"));
          g_assert_nonnull (vw_question_get_prompt (question, p, "en"));
        }
      if (vw_question_get_n_prompts (question) > 0)
        prompted++;
    }
  g_assert_cmpuint (prompted, >=, 15);
}

static gboolean
module_listed (GPtrArray  *modules,
               const char *id)
{
  for (guint i = 0; i < modules->len; i++)
    if (g_str_equal (vw_module_get_id (g_ptr_array_index (modules, i)), id))
      return TRUE;
  return FALSE;
}

static void
test_shipped_modules_per_round (void)
{
  VwQuestionnaire *q = vw_questionnaire_get_shipped ();
  g_autoptr(GPtrArray) first_t0 = vw_questionnaire_list_modules (q, "T0", TRUE);
  g_autoptr(GPtrArray) follow_t2 = vw_questionnaire_list_modules (q, "T2", FALSE);
  g_autoptr(GPtrArray) follow_t4 = vw_questionnaire_list_modules (q, "T4", FALSE);
  g_autoptr(GPtrArray) first_t4 = vw_questionnaire_list_modules (q, "T4", TRUE);

  g_assert_true (g_ptr_array_index (first_t0, 0) == vw_questionnaire_get_consent_module (q));
  g_assert_true (module_listed (first_t0, "about_you"));
  g_assert_true (module_listed (first_t0, "history_first"));
  g_assert_false (module_listed (first_t0, "history_followup"));
  g_assert_false (module_listed (first_t0, "past_year"));
  g_assert_false (module_listed (first_t0, "t4_looking_back"));

  g_assert_false (module_listed (follow_t2, "about_you"));
  g_assert_false (module_listed (follow_t2, "history_first"));
  g_assert_true (module_listed (follow_t2, "history_followup"));
  g_assert_true (module_listed (follow_t2, "past_year"));
  g_assert_true (module_listed (follow_t2, "finances"));
  g_assert_false (module_listed (follow_t2, "t4_network"));

  g_assert_true (module_listed (follow_t4, "t4_looking_back"));
  g_assert_true (module_listed (follow_t4, "t4_neighbourhood"));
  g_assert_true (module_listed (follow_t4, "t4_network"));
  g_assert_true (module_listed (follow_t4, "t4_experience_expertise"));
  g_assert_cmpuint (follow_t4->len, ==, follow_t2->len + 4);

  /* Someone new in the last round gets both the first-interview modules
   * and the round's focus modules. */
  g_assert_true (module_listed (first_t4, "about_you"));
  g_assert_true (module_listed (first_t4, "t4_looking_back"));
}

static void
test_shipped_skip_logic (void)
{
  VwQuestionnaire *q = vw_questionnaire_get_shipped ();

  g_assert_false (relevant_with (q, "participation_fit", NULL));
  g_assert_false (relevant_with (q, "participation_fit", "participation", "geen", NULL));
  g_assert_false (relevant_with (q, "participation_fit", "participation", "onbekend", NULL));
  g_assert_true (relevant_with (q, "participation_fit", "participation", "vrijwilligerswerk", NULL));
  g_assert_true (relevant_with (q, "debts_help", "debts", "ja", NULL));
  g_assert_false (relevant_with (q, "debts_help", "debts", "nee", NULL));
  g_assert_false (relevant_with (q, "consent_wmo_linkage", "consent_research", "nee", NULL));
  g_assert_true (relevant_with (q, "consent_wmo_linkage", "consent_research", "ja", NULL));
  g_assert_true (relevant_with (q, "residence", NULL));
  g_assert_false (relevant_with (q, "impactful_events_story", "impactful_events", "[\"geen\"]", NULL));
  g_assert_true (relevant_with (q, "impactful_events_story", "impactful_events", "[\"verhuisd\"]", NULL));

  /* A left-over answer to a skipped question does not open what follows
   * from it. */
  g_assert_true (relevant_with (q, "ee_advantages", "ee_knows", "ja", "ee_contact", "ja", NULL));
  g_assert_false (relevant_with (q, "ee_advantages", "ee_knows", "nee", "ee_contact", "ja", NULL));
}

/* The model API on the copyable example and a file with every type. */

static void
test_model_api (void)
{
  g_autoptr(VwQuestionnaire) q = load_test_file ("all-types.json");
  const VwQuestion *colour = vw_questionnaire_lookup_question (q, "colour");
  const VwQuestion *story = vw_questionnaire_lookup_question (q, "story");
  const VwQuestion *stays = vw_questionnaire_lookup_question (q, "stays");
  const VwQuestion *agrees = vw_questionnaire_lookup_question (q, "agrees");
  const VwModule *module = vw_questionnaire_get_module (q, 0);
  const VwCodeList *codes;
  double min, max;

  g_assert_cmpstr (vw_questionnaire_get_version (q), ==, "1.0.0-test");
  g_assert_cmpuint (vw_questionnaire_get_n_modules (q), ==, 1);
  g_assert_cmpstr (vw_module_get_intro (module, "nl"), ==, "Een inleiding.");
  g_assert_null (vw_questionnaire_get_consent_module (q));
  g_assert_null (vw_questionnaire_lookup_question (q, "nothing"));
  g_assert_null (vw_questionnaire_lookup_module (q, "nothing"));

  g_assert_true (vw_question_is_required (colour));
  g_assert_true (vw_question_allows_note (colour));
  g_assert_false (vw_question_allows_note (agrees));
  g_assert_cmpstr (vw_question_get_help (colour, "en"), ==, "Choose one.");
  g_assert_null (vw_question_get_help (story, "en"));
  g_assert_null (vw_question_get_relevant (colour));
  g_assert_cmpstr (vw_expr_get_text (vw_question_get_relevant (story)), ==,
                   "colour = 'red' or (count >= 3 and not agrees = 'nee')");

  codes = vw_question_get_code_list (colour);
  g_assert_true (codes == vw_questionnaire_get_code_list (q, "colours"));
  g_assert_cmpstr (vw_code_get_label (vw_code_list_lookup (codes, "green"), "nl"), ==, "Groen");
  g_assert_cmpstr (vw_code_get_label (vw_code_list_lookup (codes, "green"), "en"), ==, "Green");
  /* Codebook lists resolve by name; yes_no and residence_history use the
   * codebook's. */
  g_assert_true (vw_questionnaire_get_code_list (q, "residence") ==
                 vw_codebook_get_code_list (vw_codebook_get_core (), "residence"));
  g_assert_true (vw_question_get_code_list (stays) == vw_questionnaire_get_code_list (q, "residence"));
  g_assert_true (vw_question_get_code_list (agrees) ==
                 vw_codebook_get_code_list (vw_codebook_get_core (), "ja_nee_niet_besproken"));

  g_assert_cmpuint (vw_question_get_n_prompts (story), ==, 2);
  g_assert_cmpstr (vw_question_get_prompt (story, 1, "nl"), ==, "Waarom?");
  g_assert_cmpstr (vw_question_get_prompt (story, 1, "en"), ==, "Why?");
  g_assert_cmpstr (vw_question_type_to_string (vw_question_get_question_type (stays)), ==, "residence_history");

  g_assert_true (vw_question_get_range (vw_questionnaire_lookup_question (q, "count"), &min, &max));
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat (max, ==, 20);
  g_assert_false (vw_question_get_range (vw_questionnaire_lookup_question (q, "open_number"), &min, &max));
  g_assert_true (vw_question_allows_decimals (vw_questionnaire_lookup_question (q, "amount")));
  g_assert_false (vw_question_allows_decimals (vw_questionnaire_lookup_question (q, "count")));
  g_assert_false (vw_question_get_range (colour, &min, &max));

  g_assert_true (relevant_with (q, "story", "colour", "red", NULL));
  g_assert_true (relevant_with (q, "story", "count", "3", NULL));
  g_assert_false (relevant_with (q, "story", "count", "3", "agrees", "nee", NULL));
  g_assert_true (relevant_with (q, "stays", "colours_liked", "[\"blue\"]", "moved", "2020-01",
                                "grade_day", "10", NULL));
  g_assert_false (relevant_with (q, "stays", "colours_liked", "[\"blue\"]", "moved", "2019-12",
                                 "grade_day", "10", NULL));
}

static void
assert_values (VwQuestionnaire    *q,
               const char         *id,
               const char * const *valid,
               const char * const *invalid,
               const char         *message)
{
  const VwQuestion *question = vw_questionnaire_lookup_question (q, id);

  g_assert_nonnull (question);
  g_assert_true (vw_question_validate_value (question, NULL, NULL));
  g_assert_true (vw_question_validate_value (question, "", NULL));
  g_assert_false (vw_question_validate_value (question, "\xff\xfe", NULL));
  for (guint i = 0; valid[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s: valid “%s”", id, valid[i]);
      g_assert_true (vw_question_validate_value (question, valid[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; invalid[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s: invalid “%s”", id, invalid[i]);
      g_assert_false (vw_question_validate_value (question, invalid[i], &error));
      g_assert_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID_VALUE);
      if (message != NULL && i == 0)
        g_assert_cmpstr (error->message, ==, message);
    }
}

#define V(...) ((const char *[]) { __VA_ARGS__, NULL })

static void
test_values (void)
{
  g_autoptr(VwQuestionnaire) q = load_test_file ("all-types.json");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *this_year = g_strdup_printf ("%d", g_date_time_get_year (now));
  g_autofree char *next_year = g_strdup_printf ("%d", g_date_time_get_year (now) + 1);
  g_autofree char *year_message = g_strdup_printf ("Fill in a year between 1900 and %d",
                                                   g_date_time_get_year (now));
  g_autofree char *long_line = g_strnfill (501, 'x');
  g_autofree char *max_line = g_strnfill (500, 'x');

  assert_values (q, "colour", V ("red", "blue"), V ("purple", "Red", "red "),
                 "Choose one of the answers in the list");
  assert_values (q, "colours_liked", V ("[\"red\"]", "[\"red\", \"blue\"]", "[ \"green\" ]"),
                 V ("[\"pink\"]", "[]", "[\"red\",\"red\"]", "red", "[1]", "{\"red\": true}", "[\"red\""),
                 "“pink” is not one of the answers to choose from");
  assert_values (q, "agrees", V ("ja", "nee", "niet_besproken"), V ("yes", "Ja", "onbekend"), NULL);
  assert_values (q, "count", V ("0", "20", "7"), V ("21", "-1", "2.5", "1e3", " 3", "abc", "3,0"),
                 "Fill in a number from 0 to 20");
  assert_values (q, "amount", V ("-1.5", "3.25", "100", "0.0"), V ("-2", "2,5", ".5", "5."),
                 "Fill in a number of at least -1.5");
  assert_values (q, "open_number", V ("-99999", "0", "123456789012345"), V ("1.5", "1 000", "+3"),
                 "Fill in a whole number, without spaces or dots");
  assert_values (q, "year_moved", V ("1950", "2030", "1999"), V ("1949", "2031", "85", "19a0", "02000"),
                 "Fill in a year between 1950 and 2030");
  assert_values (q, "year_default", V ("1900", this_year), V (next_year, "1899"), NULL);
  {
    g_autoptr(GError) error = NULL;

    vw_question_validate_value (vw_questionnaire_lookup_question (q, "year_default"), "1899", &error);
    g_assert_cmpstr (error->message, ==, year_message);
  }
  assert_values (q, "moved", V ("2024-03", "1999-12"), V ("2024-13", "2024-3", "24-03", "2024-03-01", "2024-00"),
                 "Fill in a month as YYYY-MM, for example 2024-03");
  assert_values (q, "seen", V ("2024-02-29", "2023-12-31"), V ("2023-02-29", "2024-04-31", "2024-4-1", "2024-03"),
                 "Fill in a date as YYYY-MM-DD, for example 2024-03-15");
  assert_values (q, "name_place", V ("Den Haag", "’s-Hertogenbosch", max_line), V ("a\nb", long_line, "a\rb"),
                 "Keep this answer on one line");
  assert_values (q, "story", V ("Eerste regel.\nTweede regel.", "[organisatie] hielp"), V (NULL), NULL);
  assert_values (q, "grade_day", V ("0", "10", "7"), V ("11", "-1", "7.5", "07x"),
                 "Fill in a whole number from 0 to 10");
  assert_values (q, "stays",
                 V ("[]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-01\", \"end\": \"2020-06\"},"
                    " {\"residence\": \"bw\", \"start\": \"2020-06\", \"end\": null}]",
                    "[{\"end\": \"2021-01\", \"start\": \"2021-01\", \"residence\": \"straat\"}]"),
                 V ("[{\"residence\": \"hotel\", \"start\": \"2020-01\", \"end\": null}]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-13\", \"end\": null}]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-05\", \"end\": \"2020-04\"}]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-05\"}]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-05\", \"end\": null, \"x\": 1}]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-05\", \"end\": null},"
                    " {\"residence\": \"bw\", \"start\": \"2021-05\", \"end\": null}]",
                    "[{\"residence\": \"mo\", \"start\": \"2020-05\", \"end\": \"2020\"}]",
                    "{\"residence\": \"mo\"}",
                    "[\"mo\"]"),
                 "Stay 1: choose where the participant stayed from the list");
}

/* Identity: the canonical form and its hash. */

static const char tiny[] =
  "{\"version\": \"1\", \"format\": 1, \"id\": \"t\",\n"
  " \"title\": {\"en\": \"T\", \"nl\": \"T\"}, \"languages\": [\"nl\", \"en\"],\n"
  " \"modules\": [{\"id\": \"m\", \"rounds\": \"every\", \"title\": {\"nl\": \"M\", \"en\": \"M\"},\n"
  "   \"questions\": [{\"type\": \"year\", \"id\": \"y\", \"label\": {\"nl\": \"Jaar\", \"en\": \"Year\"}, \"min\": 1950}]}]}";

static void
test_canonical_form (void)
{
  /* The documented canonical form, written out by hand: members sorted,
   * no whitespace. */
  static const char expected[] =
    "{\"format\":1,\"id\":\"t\",\"languages\":[\"nl\",\"en\"],\"modules\":[{\"id\":\"m\",\"questions\":"
    "[{\"id\":\"y\",\"label\":{\"en\":\"Year\",\"nl\":\"Jaar\"},\"min\":1950,\"type\":\"year\"}],"
    "\"rounds\":\"every\",\"title\":{\"en\":\"M\",\"nl\":\"M\"}}],\"title\":{\"en\":\"T\",\"nl\":\"T\"},"
    "\"version\":\"1\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) q = load_text (tiny, NULL, &error);
  g_autoptr(VwQuestionnaire) again = NULL;
  g_autofree char *expected_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected, -1);

  g_assert_no_error (error);
  g_assert_cmpstr (vw_questionnaire_get_canonical_json (q), ==, expected);
  g_assert_cmpstr (vw_questionnaire_get_hash (q), ==, expected_hash);

  /* The canonical text is what a vault stores: it loads to the same hash. */
  again = load_text (vw_questionnaire_get_canonical_json (q), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_questionnaire_get_hash (again), ==, vw_questionnaire_get_hash (q));
}

/* Writes @node back with every object's members in reverse order. */
static JsonNode *
reversed_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(GList) members = g_list_reverse (json_object_get_members (json_node_get_object (node)));

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data,
                                reversed_copy (json_object_get_member (json_node_get_object (node), l->data)));
      return json_node_init_object (json_node_alloc (), object);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        json_array_add_element (array, reversed_copy (json_array_get_element (json_node_get_array (node), i)));
      return json_node_init_array (json_node_alloc (), array);
    }
  return json_node_copy (node);
}

static void
test_hash_ignores_layout (void)
{
  g_autofree char *text = read_source_file ("data/questionnaires/mo-bw-trajectory.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) reversed = NULL;
  g_autofree char *relaid = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *relabelled = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) original = NULL;
  g_autoptr(VwQuestionnaire) other = NULL;

  original = load_text (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_questionnaire_get_hash (original), ==,
                   vw_questionnaire_get_hash (vw_questionnaire_get_shipped ()));

  /* Other whitespace and member order: same identity. */
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  reversed = reversed_copy (json_parser_get_root (parser));
  json_generator_set_root (generator, reversed);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 7);
  relaid = json_generator_to_data (generator, NULL);
  g_assert_cmpstr (relaid, !=, text);
  other = load_text (relaid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_questionnaire_get_hash (other), ==, vw_questionnaire_get_hash (original));
  g_clear_object (&other);

  /* An escape for a plain character is the same text. */
  {
    g_auto(GStrv) parts = g_strsplit (text, "\"format\"", 2);
    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    escaped = g_strjoinv ("\"\\u0066ormat\"", parts);
  }
  other = load_text (escaped, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_questionnaire_get_hash (other), ==, vw_questionnaire_get_hash (original));
  g_clear_object (&other);

  /* One changed label: another identity. */
  {
    g_auto(GStrv) parts = g_strsplit (text, "Wie helpt je nog meer?", 2);
    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    relabelled = g_strjoinv ("Wie helpt je verder nog?", parts);
  }
  other = load_text (relabelled, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_questionnaire_get_hash (other), !=, vw_questionnaire_get_hash (original));
}

static void
test_same_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) a = load_text (tiny, NULL, &error);
  g_autoptr(VwQuestionnaire) same = NULL;
  g_autoptr(VwQuestionnaire) changed = NULL;
  g_autoptr(VwQuestionnaire) bumped = NULL;
  g_auto(GStrv) parts = g_strsplit (tiny, "Jaar", 2);
  g_autofree char *changed_text = g_strjoinv ("Geboortejaar", parts);
  g_auto(GStrv) version_parts = g_strsplit (changed_text, "\"version\": \"1\"", 2);
  g_autofree char *bumped_text = g_strjoinv ("\"version\": \"1.1\"", version_parts);

  same = load_text (tiny, NULL, &error);
  g_assert_no_error (error);
  changed = load_text (changed_text, NULL, &error);
  g_assert_no_error (error);
  bumped = load_text (bumped_text, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (vw_questionnaire_check_same_version (a, same, &error));
  g_assert_no_error (error);
  g_assert_true (vw_questionnaire_check_same_version (a, bumped, &error));
  g_assert_no_error (error);
  g_assert_true (vw_questionnaire_check_same_version (a, vw_questionnaire_get_shipped (), &error));
  g_assert_no_error (error);

  g_assert_false (vw_questionnaire_check_same_version (a, changed, &error));
  g_assert_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "new version number"));
}

/* Loader behaviour beyond single problems. */

static void
test_all_problems_reported (void)
{
  g_autofree char *path = source_path ("tests/questionnaires/broken-duplicate-member.json");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) q = vw_questionnaire_new_from_file (path, &problems, &error);
  const VwQuestionnaireProblem *first, *last;

  g_assert_null (q);
  g_assert_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "(and 2 more problems)"));
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_cmpuint (problems->len, ==, 3);
  first = g_ptr_array_index (problems, 0);
  last = g_ptr_array_index (problems, 2);
  g_assert_cmpuint (first->line, ==, 28);
  g_assert_cmpuint (first->column, ==, 11);
  g_assert_cmpstr (first->path, ==, "modules[0].questions[1].type");
  g_assert_cmpuint (last->line, ==, 37);
  g_assert_cmpuint (last->column, ==, 58);
}

/* Loads @text and expects a problem at @path (the first one there). */
static void
assert_problem (const char *text,
                guint       line,
                guint       column,
                const char *path,
                const char *message)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) q = load_text (text, &problems, &error);

  g_assert_null (q);
  g_assert_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID);
  for (guint i = 0; i < problems->len; i++)
    {
      const VwQuestionnaireProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("%u:%u %s: %s", problem->line, problem->column, problem->path, problem->message);
      if (!g_str_equal (problem->path, path))
        continue;
      g_assert_cmpuint (problem->line, ==, line);
      g_assert_cmpuint (problem->column, ==, column);
      g_assert_nonnull (strstr (problem->message, message));
      return;
    }
  g_assert_not_reached ();
}

static void
test_loader_edge_cases (void)
{
  g_autofree char *huge = g_malloc0 (VW_QUESTIONNAIRE_MAX_SIZE + 1);
  g_autoptr(GBytes) huge_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwQuestionnaire) q = NULL;
  g_autofree char *cycle = NULL;
  g_autofree char *forward = NULL;

  assert_problem ("", 1, 1, "", "the file is empty");
  assert_problem ("  \n ", 1, 1, "", "the file is empty");
  assert_problem ("[1, 2]", 1, 1, "", "one JSON object");
  assert_problem ("{\"format\": 2}", 1, 12, "format", "format 1 only");
  assert_problem ("{\n  \"format\": 1,\n  \"id\": \"Bad Id\"", 3, 16, "", "JSON syntax");

  memset (huge, ' ', VW_QUESTIONNAIRE_MAX_SIZE);
  huge_bytes = g_bytes_new_take (g_steal_pointer (&huge), VW_QUESTIONNAIRE_MAX_SIZE + 1);
  q = vw_questionnaire_new_from_bytes (huge_bytes, NULL, NULL, &error);
  g_assert_null (q);
  g_assert_error (error, VW_QUESTIONNAIRE_ERROR, VW_QUESTIONNAIRE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "questionnaire.json:1:1: the file is larger than 4 MiB"));
  g_clear_error (&error);

  q = vw_questionnaire_new_from_file ("/no/such/file.json", NULL, &error);
  g_assert_null (q);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  q = vw_questionnaire_new_from_file (g_get_tmp_dir (), NULL, &error);
  g_assert_null (q);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  /* Participant answers may be used before their question, but two such
   * conditions must not wait for each other. */
  forward = g_strdup (
    "{\"format\": 1, \"id\": \"f\", \"version\": \"1\", \"title\": {\"nl\": \"F\", \"en\": \"F\"},\n"
    " \"languages\": [\"nl\", \"en\"], \"modules\": [{\"id\": \"m\", \"rounds\": \"every\",\n"
    " \"title\": {\"nl\": \"M\", \"en\": \"M\"}, \"questions\": [\n"
    "  {\"id\": \"a\", \"type\": \"short_text\", \"label\": {\"nl\": \"A\", \"en\": \"A\"}, \"relevant\": \"answered(b)\"},\n"
    "  {\"id\": \"b\", \"type\": \"year\", \"scope\": \"participant\", \"label\": {\"nl\": \"B\", \"en\": \"B\"}}]}]}");
  q = load_text (forward, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (q);
  g_clear_object (&q);
  {
    g_auto(GStrv) parts = g_strsplit (forward, "\"scope\": \"participant\",", 2);
    cycle = g_strjoinv ("\"scope\": \"participant\", \"relevant\": \"answered(a)\",", parts);
  }
  assert_problem (cycle, 4, 83, "modules[0].questions[0].relevant", "depends, through other conditions");
}

static void
load_without_crash (const char *dir_relative)
{
  g_autofree char *dir_path = source_path (dir_relative);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(VwQuestionnaire) q = NULL;
      g_autoptr(VwExpr) expr = NULL;
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      files++;
      g_test_message ("%s", path);
      q = vw_questionnaire_new_from_file (path, &problems, &error);
      /* Either a questionnaire, or an error with the problems behind it. */
      g_assert_true ((q != NULL) == (error == NULL));
      g_assert_true (q != NULL || problems->len > 0);
      g_clear_error (&error);

      /* The same bytes as a condition. */
      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      if (strlen (contents) == len)
        {
          expr = vw_expr_parse (contents, NULL, &error);
          g_assert_true ((expr != NULL) == (error == NULL));
          /* What the fuzzer checks: the written form parses again. */
          if (expr != NULL)
            {
              g_autofree char *written = vw_expr_to_string (expr);
              g_autoptr(VwExpr) again = vw_expr_parse (written, NULL, &error);

              g_assert_no_error (error);
              g_assert_nonnull (again);
            }
        }
    }
  g_assert_cmpuint (files, >, 0);
}

static void
test_regressions (void)
{
  load_without_crash ("tests/questionnaires");
  load_without_crash ("tests/fuzz/regressions");
}

/* The example in the format documentation is the tested file. */
static void
test_readme_example (void)
{
  g_autofree char *readme = read_source_file ("data/questionnaires/README.md");
  g_autofree char *example = read_source_file ("tests/questionnaires/example.json");
  const char *marker = strstr (readme, "<!-- example: tests/questionnaires/example.json -->");
  const char *start, *end;
  g_autofree char *block = NULL;
  g_autoptr(VwQuestionnaire) q = NULL;

  g_assert_nonnull (marker);
  start = strstr (marker, "```json\n");
  g_assert_nonnull (start);
  start += strlen ("```json\n");
  end = strstr (start, "```");
  g_assert_nonnull (end);
  block = g_strndup (start, end - start);
  g_assert_cmpstr (block, ==, example);

  q = load_test_file ("example.json");
  g_assert_cmpstr (vw_questionnaire_get_id (q), ==, "example");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/questionnaire/shipped/codebook", test_shipped_uses_every_core_variable);
  g_test_add_func ("/questionnaire/shipped/structure", test_shipped_structure);
  g_test_add_func ("/questionnaire/shipped/modules-per-round", test_shipped_modules_per_round);
  g_test_add_func ("/questionnaire/shipped/skip-logic", test_shipped_skip_logic);
  g_test_add_func ("/questionnaire/model", test_model_api);
  g_test_add_func ("/questionnaire/values", test_values);
  g_test_add_func ("/questionnaire/hash/canonical-form", test_canonical_form);
  g_test_add_func ("/questionnaire/hash/layout", test_hash_ignores_layout);
  g_test_add_func ("/questionnaire/same-version", test_same_version);
  g_test_add_func ("/questionnaire/problems/all-reported", test_all_problems_reported);
  g_test_add_func ("/questionnaire/problems/edge-cases", test_loader_edge_cases);
  g_test_add_func ("/questionnaire/regressions", test_regressions);
  g_test_add_func ("/questionnaire/readme-example", test_readme_example);

  return g_test_run ();
}
