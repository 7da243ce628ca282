/* The validators of vw-validate.h, one by one: what each accepts, what it
 * refuses and the exact message. tests/test-validate-paths.c runs the
 * same bad values through every path that stores them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vw-core.h"

typedef gboolean (*Check) (const char *value, GError **error);

/* @error is read after @ok was computed: arguments have no order. */
static void
assert_refused (gboolean     ok,
                GError     **error,
                const char  *message)
{
  g_assert_false (ok);
  g_assert_error (*error, VW_VALIDATE_ERROR, VW_VALIDATE_ERROR_INVALID);
  g_assert_cmpstr ((*error)->message, ==, message);
}

static char *
date_from_today (int days,
                 int years)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_full (now, years, 0, days, 0, 0, 0);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_shapes (void)
{
  int y, m, d;

  g_assert_true (vw_validate_parse_date ("2024-02-29", &y, &m, &d));
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20240229);
  g_assert_true (vw_validate_parse_date ("1900-01-01", &y, &m, &d));
  g_assert_true (vw_validate_parse_date ("2100-12-31", &y, &m, &d));
  for (const char * const *bad = (const char *[]) { "2023-02-29", "1899-12-31", "2101-01-01", "2024-2-29",
                                                     "2024-02-29 ", "２０２４-02-01", "2024-13-01", "", NULL };
       *bad != NULL; bad++)
    g_assert_false (vw_validate_parse_date (*bad, &y, &m, &d));
  g_assert_false (vw_validate_parse_date (NULL, &y, &m, &d));

  g_assert_true (vw_validate_parse_month ("1900-01", &y, &m));
  g_assert_true (vw_validate_parse_month ("2100-12", &y, &m));
  for (const char * const *bad = (const char *[]) { "1899-12", "2101-01", "2021-00", "2021-13", "2021-3",
                                                     "03-2021", NULL };
       *bad != NULL; bad++)
    g_assert_false (vw_validate_parse_month (*bad, &y, &m));

  g_assert_true (vw_participant_code_is_valid ("DH-7K3QM"));
  g_assert_true (vw_participant_code_is_valid ("ABC-0Z9XY"));
  for (const char * const *bad = (const char *[]) { "D-7K3QM", "ABCD-7K3QM", "DH-7K3QI", "DH-7K3QL", "DH-7K3QO",
                                                     "DH-7K3QU", "DH_7K3QM", "DH-7K3Q", "dh-7k3qm", "../../x", NULL };
       *bad != NULL; bad++)
    g_assert_false (vw_participant_code_is_valid (*bad));
  g_assert_false (vw_participant_code_is_valid (NULL));
}

/* Only the start of a value is shown, with what a terminal would act on
 * written out. */
static void
test_show (void)
{
  g_autofree char *huge = g_strnfill (10 * 1024 * 1024, 'x');
  g_autofree char *shown = vw_validate_show (huge);
  g_autofree char *forty = g_strnfill (40, 'y');
  g_autofree char *forty_shown = vw_validate_show (forty);
  g_autofree char *controls = vw_validate_show ("a\nb\tc\xe2\x80\xae" "d\x1b");
  g_autofree char *broken = vw_validate_show ("ab\xff" "cd");

  g_assert_cmpuint (g_utf8_strlen (shown, -1), ==, 40);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_cmpstr (forty_shown, ==, forty);
  g_assert_cmpstr (controls, ==, "a\\nb\\tc\\u{202E}d\\u{001B}");
  g_assert_cmpstr (broken, ==, "ab\xef\xbf\xbd" "cd");
}

static void
test_dates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *today = date_from_today (0, 0);
  g_autofree char *tomorrow = date_from_today (1, 0);
  g_autofree char *later = date_from_today (2, 0);
  g_autofree char *expected = NULL;
  g_autofree char *plan_ok = date_from_today (0, 10);
  g_autofree char *plan_far = date_from_today (1, 10);

  g_assert_true (vw_validate_date ("date", NULL, &error));
  g_assert_true (vw_validate_date ("date", "1900-01-01", &error));
  g_assert_true (vw_validate_date ("date", today, &error));
  /* A day of grace for time zones and a clock a little ahead. */
  g_assert_true (vw_validate_date ("date", tomorrow, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("date: %s is in the future (today is %s)", later, today);
  assert_refused (vw_validate_date ("date", later, &error), &error, expected);
  g_clear_error (&error);
  assert_refused (vw_validate_date ("date", "1899-12-31", &error), &error,
                  "date: “1899-12-31” is outside the years 1900 to 2100");
  g_clear_error (&error);
  assert_refused (vw_validate_date ("consent_date", "2023-02-29", &error), &error,
                  "consent_date: “2023-02-29” is not a date: write YYYY-MM-DD with a day that exists, e.g. "
                  "2021-03-15");
  g_clear_error (&error);

  g_assert_true (vw_validate_month ("start", "1900-01", &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_month ("start", "1899-12", &error), &error,
                  "start: “1899-12” is outside the years 1900 to 2100");
  g_clear_error (&error);
  g_assert_false (vw_validate_month ("end", "2099-01", &error));
  g_assert_error (error, VW_VALIDATE_ERROR, VW_VALIDATE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "end: 2099-01 is in the future (this month is "));
  g_clear_error (&error);
  assert_refused (vw_validate_month ("residence_since", "2019-13", &error), &error,
                  "residence_since: “2019-13” is not a month: write YYYY-MM, e.g. 2021-03");
  g_clear_error (&error);

  /* Fieldwork is planned: up to ten years ahead, and in order. */
  g_assert_true (vw_validate_fieldwork ("T1", today, plan_ok, &error));
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("fieldwork_end: %s is more than 10 years ahead", plan_far);
  assert_refused (vw_validate_fieldwork ("T1", today, plan_far, &error), &error, expected);
  g_clear_error (&error);
  assert_refused (vw_validate_fieldwork ("T1", "2026-03-27", "2026-01-05", &error), &error,
                  "fieldwork_end: the fieldwork of round T1 ends (2026-01-05) before it starts (2026-03-27)");
  g_clear_error (&error);

  g_assert_true (vw_validate_birth_year ("1900", &error));
  g_assert_no_error (error);
  g_assert_false (vw_validate_birth_year ("80", &error));
  g_assert_error (error, VW_VALIDATE_ERROR, VW_VALIDATE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "birth_year: “80” is not a year of birth: write four digits "
                                                   "from 1900 to "));
  g_clear_error (&error);
}

/* The interview date lies in its round's fieldwork, and the message names
 * the window. */
static void
test_interview_date (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_validate_interview_date ("2026-01-05", "T0", "2026-01-05", "2026-03-27", &error));
  g_assert_true (vw_validate_interview_date ("2026-03-27", "T0", "2026-01-05", "2026-03-27", &error));
  g_assert_true (vw_validate_interview_date ("2026-02-10", "T0", NULL, NULL, &error));
  g_assert_true (vw_validate_interview_date (NULL, "T0", "2026-01-05", "2026-03-27", &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_interview_date ("2099-01-01", "T0", "2026-01-05", "2026-03-27", &error), &error,
                  "date: 2099-01-01 is after the fieldwork of T0 (2026-01-05 to 2026-03-27)");
  g_clear_error (&error);
  assert_refused (vw_validate_interview_date ("2026-01-04", "T0", "2026-01-05", "2026-03-27", &error), &error,
                  "date: 2026-01-04 is before the fieldwork of T0 (2026-01-05 to 2026-03-27)");
  g_clear_error (&error);
  assert_refused (vw_validate_interview_date ("2026-01-04", "T1", "2026-01-05", NULL, &error), &error,
                  "date: 2026-01-04 is before the fieldwork of T1 (from 2026-01-05)");
  g_clear_error (&error);
  assert_refused (vw_validate_interview_date ("2026-03-28", "T1", NULL, "2026-03-27", &error), &error,
                  "date: 2026-03-28 is after the fieldwork of T1 (until 2026-03-27)");
  g_clear_error (&error);
  /* Without a window, still no date in the future. */
  g_assert_false (vw_validate_interview_date ("2099-01-01", "T0", NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "date: 2099-01-01 is in the future"));
}

static const struct
{
  const char *value;
  const char *message; /* NULL: accepted */
} pseudonyms[] = {
  { "Sam", NULL },
  { "Zoë", NULL },
  { "Jan-Willem", NULL },
  { "Anne Marie", NULL },
  { "O'Neil", NULL },
  { "Ελένη", NULL },
  { NULL, "pseudonym: a value is required" },
  { "", "pseudonym: a value is required" },
  { "   ", "pseudonym: has no visible character" },
  { "\xe2\x80\x8b\xe2\x80\x8b", "pseudonym: has no visible character" },
  { "\xe2\x80\xae", "pseudonym: has no visible character" },
  { "Sam ", "pseudonym: ends with white space; remove it" },
  { " Sam", "pseudonym: starts with white space; remove it" },
  { "Sam\xc2\xa0", "pseudonym: ends with white space; remove it" },
  { "Sam\nBakker", "pseudonym: contains a line break, a tab or another control character" },
  { "Sam\tBakker", "pseudonym: contains a line break, a tab or another control character" },
  { "Sam\xe2\x80\xa8" "Bakker", "pseudonym: contains a line break, a tab or another control character" },
  { "Sam\xe2\x80\xae" "nat", "pseudonym: contains a character that changes the writing direction (U+202E); type "
                             "the text without it" },
  { "Sam\xe2\x81\xa6" "x", "pseudonym: contains a character that changes the writing direction (U+2066); type "
                           "the text without it" },
  { "Sa\xe2\x80\x8bm", "pseudonym: contains an invisible character (U+200B); type the text without it" },
  { "Sam\xff", "pseudonym: is not valid UTF-8 text" },
  { "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL },
  { "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "pseudonym: is longer than 64 characters" },
};

static void
test_pseudonym (void)
{
  g_autofree char *huge = g_strnfill (10 * 1024 * 1024, 'x');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (pseudonyms); i++)
    {
      gboolean ok = vw_validate_pseudonym (pseudonyms[i].value, &error);

      if (pseudonyms[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        assert_refused (ok, &error, pseudonyms[i].message);
      g_clear_error (&error);
    }
  assert_refused (vw_validate_pseudonym (huge, &error), &error, "pseudonym: is longer than 64 characters");
  g_clear_error (&error);
  /* A municipality follows the same rules with its own name and length. */
  assert_refused (vw_validate_municipality ("Den Haag ", &error), &error,
                  "municipality: ends with white space; remove it");
  g_clear_error (&error);
  g_assert_true (vw_validate_municipality (NULL, &error));
  g_assert_true (vw_validate_municipality ("’s-Hertogenbosch", &error));
  g_assert_no_error (error);
}

static void
test_codes (void)
{
  g_autoptr(GError) error = NULL;
  const char *study[] = { "DH", "FL", NULL };

  g_assert_true (vw_validate_region ("UT", NULL, &error));
  g_assert_true (vw_validate_region ("FL", study, &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_region ("ZZ", NULL, &error), &error,
                  "region: “ZZ” is not a region of the codebook; the regions are: DH, FL, GV, MB, ZK, WL, UT");
  g_clear_error (&error);
  assert_refused (vw_validate_region ("UT", study, &error), &error,
                  "region: “UT” is not a region of this study (DH, FL); add it to the study first");
  g_clear_error (&error);
  assert_refused (vw_validate_region (NULL, study, &error), &error, "region: a value is required");
  g_clear_error (&error);

  g_assert_true (vw_validate_code ("status", "status", "deceased", &error));
  g_assert_true (vw_validate_code ("status", "status", NULL, &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_code ("status", "status", "gone", &error), &error,
                  "status: unknown code “gone”; the codes are: interviewed, declined, unreachable, deceased, "
                  "admitted, withdrawn, not_approached");
  g_clear_error (&error);

  assert_refused (vw_validate_participant_code ("code", "../../x", &error), &error,
                  "code: “../../x” is not a participant code: write the region, a dash and five characters of 0-9 "
                  "and A-Z without I, L, O and U, e.g. DH-7K3QM");
  g_clear_error (&error);
  assert_refused (vw_validate_round_label ("round", "T01", &error), &error,
                  "round: “T01” is not a round: write T0, T1, T2, …");
  g_clear_error (&error);
  g_assert_true (vw_validate_round_label ("round", "T12", &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_name ("question", "q 1", &error), &error,
                  "question: “q 1” is not a name: use 1 to 128 letters, digits, “_”, “-” and “.”");
  g_clear_error (&error);
  assert_refused (vw_validate_interview_state ("done", &error), &error,
                  "state: “done” is not an interview state (in_progress, paused, finished)");
  g_clear_error (&error);
  assert_refused (vw_validate_consent ("marketing", "ja", NULL, &error), &error,
                  "purpose: “marketing” is not a consent purpose (research or wmo_linkage)");
  g_clear_error (&error);
  assert_refused (vw_validate_consent ("research", "misschien", NULL, &error), &error,
                  "value: unknown code “misschien”; the codes are: ja, nee, ingetrokken");
  g_clear_error (&error);
  g_assert_true (vw_validate_consent ("wmo_linkage", "ingetrokken", "2026-02-10", &error));
  g_assert_no_error (error);
}

static void
test_episode (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_validate_episode ("2020-01", NULL, "mo", &error));
  g_assert_true (vw_validate_episode ("2020-01", "2020-01", "straat", &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_episode ("2020-05", "2020-01", "mo", &error), &error,
                  "end: the episode ends (2020-01) before it starts (2020-05)");
  g_clear_error (&error);
  assert_refused (vw_validate_episode (NULL, NULL, "mo", &error), &error, "start: an episode needs a start month");
  g_clear_error (&error);
  assert_refused (vw_validate_episode ("2020-01", NULL, NULL, &error), &error,
                  "residence: an episode needs a residence");
  g_clear_error (&error);
  assert_refused (vw_validate_episode ("2020-01", NULL, "kasteel", &error), &error,
                  "residence: unknown code “kasteel”; the codes are: mo, bw, omklap, housing_first, eigen_woning, "
                  "tijdelijk, netwerk, straat, nachtopvang, detentie, instelling, onbekend");
  g_clear_error (&error);
}

/* A questionnaire with a participant question the codebook does not
 * have. */
static VwQuestionnaire *
own_questionnaire (void)
{
  static const char json[] =
    "{\"format\":1,\"id\":\"own\",\"version\":\"1\",\"title\":{\"nl\":\"Eigen\",\"en\":\"Own\"},"
    "\"languages\":[\"nl\",\"en\"],\"modules\":[{\"id\":\"start\",\"rounds\":\"every\","
    "\"title\":{\"nl\":\"Begin\",\"en\":\"Start\"},\"questions\":["
    "{\"id\":\"shoe_size\",\"type\":\"number\",\"scope\":\"participant\",\"min\":20,\"max\":50,"
    "\"label\":{\"nl\":\"Schoenmaat\",\"en\":\"Shoe size\"}},"
    "{\"id\":\"debts\",\"type\":\"single_choice\",\"codes\":\"ja_nee_onbekend\","
    "\"label\":{\"nl\":\"Schulden?\",\"en\":\"Debts?\"}},"
    "{\"id\":\"story\",\"type\":\"long_text\",\"label\":{\"nl\":\"Verhaal\",\"en\":\"Story\"}}]}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;
  VwQuestionnaire *q = vw_questionnaire_new_from_bytes (bytes, "own.json", NULL, &error);

  g_assert_no_error (error);
  return q;
}

static void
test_values_and_answers (void)
{
  g_autoptr(VwQuestionnaire) own = own_questionnaire ();
  g_autoptr(GError) error = NULL;

  /* Participant variables: the codebook's, or the questionnaire's
   * participant questions; nothing else. */
  g_assert_true (vw_validate_participant_value ("origin", "onbekend", NULL, &error));
  g_assert_true (vw_validate_participant_value ("birth_year", "1971", NULL, &error));
  g_assert_true (vw_validate_participant_value ("municipality", NULL, NULL, &error));
  g_assert_true (vw_validate_participant_value ("shoe_size", "44", own, &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_participant_value ("shoe_size", "44", NULL, &error), &error,
                  "variable: “shoe_size” is not a participant variable of the codebook or of the study’s "
                  "questionnaire");
  g_clear_error (&error);
  assert_refused (vw_validate_participant_value ("story", "x", own, &error), &error,
                  "variable: “story” is not a participant variable of the codebook or of the study’s "
                  "questionnaire");
  g_clear_error (&error);
  assert_refused (vw_validate_participant_value ("status", "declined", own, &error), &error,
                  "variable: “status” is not a participant variable that stays fixed over rounds");
  g_clear_error (&error);
  assert_refused (vw_validate_participant_value ("shoe_size", "99", own, &error), &error,
                  "shoe_size: Fill in a number from 20 to 50");
  g_clear_error (&error);
  assert_refused (vw_validate_participant_value ("origin", "ergens", NULL, &error), &error,
                  "origin: unknown code “ergens”; the codes are: centrumgemeente, regiogemeente, buiten_regio, "
                  "onbekend");
  g_clear_error (&error);
  assert_refused (vw_validate_participant_value ("../x", "1", NULL, &error), &error,
                  "variable: “../x” is not a name: use 1 to 128 letters, digits, “_”, “-” and “.”");
  g_clear_error (&error);

  /* Answers: by the question of the interview's questionnaire, else by the
   * codebook's variable of that name, else free text. */
  g_assert_true (vw_validate_answer ("debts", "ja", own, &error));
  g_assert_true (vw_validate_answer ("debts", "onbekend", NULL, &error));
  g_assert_true (vw_validate_answer ("residence_since", "2020-04", NULL, &error));
  g_assert_true (vw_validate_answer ("q1", "anything at all", NULL, &error));
  g_assert_true (vw_validate_answer ("story", NULL, own, &error));
  g_assert_no_error (error);
  assert_refused (vw_validate_answer ("debts", "misschien", own, &error), &error,
                  "debts: Choose one of the answers in the list");
  g_clear_error (&error);
  assert_refused (vw_validate_answer ("debts", "misschien", NULL, &error), &error,
                  "debts: unknown code “misschien”; the codes are: ja, nee, onbekend");
  g_clear_error (&error);
  assert_refused (vw_validate_answer ("residence_since", "1899-12", NULL, &error), &error,
                  "residence_since: “1899-12” is outside the years 1900 to 2100");
  g_clear_error (&error);
  {
    g_autofree char *long_text = g_strnfill (VW_VALIDATE_TEXT_MAX + 1, 'x');

    assert_refused (vw_validate_answer ("q1", long_text, NULL, &error), &error,
                    "q1: is longer than 100000 characters");
    g_clear_error (&error);
  }
}

/* The questionnaire's own answer rules use the same shapes and bound. */
static void
test_question_dates (void)
{
  VwQuestionnaire *shipped = vw_questionnaire_get_shipped ();
  const VwQuestion *since = vw_questionnaire_lookup_question (shipped, "residence_since");
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_question_validate_value (since, "1900-01", &error));
  g_assert_no_error (error);
  g_assert_false (vw_question_validate_value (since, "1899-12", &error));
  g_assert_cmpstr (error->message, ==, "Fill in a month as YYYY-MM, for example 2024-03");
  g_clear_error (&error);
  g_assert_false (vw_question_validate_value (since, "2099-01", &error));
  g_assert_cmpstr (error->message, ==, "Fill in a month that is not in the future");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!vw_core_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/validate/shapes", test_shapes);
  g_test_add_func ("/validate/show", test_show);
  g_test_add_func ("/validate/dates", test_dates);
  g_test_add_func ("/validate/interview-date", test_interview_date);
  g_test_add_func ("/validate/pseudonym", test_pseudonym);
  g_test_add_func ("/validate/codes", test_codes);
  g_test_add_func ("/validate/episode", test_episode);
  g_test_add_func ("/validate/values-and-answers", test_values_and_answers);
  g_test_add_func ("/validate/question-dates", test_question_dates);
  return g_test_run ();
}
