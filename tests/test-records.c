/* The records model: loading with every problem named by file, line and
 * column, nothing half-loaded, and writing back to the same records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "fuzz/fuzz-records-check.h"

/* Valid files that the bad-input tests change one thing in. */
#define PARTICIPANTS "code,pseudonym,region\n" \
                     "DH-7K3QM,Tom,DH\n" \
                     "DH-AB123,Ans,DH\n"
#define ROUNDS "code,round,status,date,residence,residence_since\n" \
               "DH-7K3QM,T0,interviewed,2019-03-10,mo,2019-01\n" \
               "DH-AB123,T0,declined,,,\n"
#define EPISODES "code,start,end,residence\n" \
                 "DH-7K3QM,2017-01,2018-12,straat\n"

/* Loads the three texts; returns the problems as lines. */
static char *
load_problems (const char  *participants,
               const char  *rounds,
               const char  *episodes,
               char       **error_message)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);

  records = vw_records_new_from_csv (participants, rounds, episodes, &problems, &error);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = vw_records_problem_to_string (g_ptr_array_index (problems, i));
      g_string_append_printf (out, "%s\n", line);
    }

  /* A file with problems yields no model: nothing is half-loaded. */
  if (problems->len > 0)
    {
      g_assert_null (records);
      g_assert_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID);
    }
  else
    {
      g_assert_nonnull (records);
      g_assert_no_error (error);
    }
  if (error_message != NULL)
    *error_message = error ? g_strdup (error->message) : NULL;

  return g_string_free (out, FALSE);
}

static void
expect_problems (const char *participants,
                 const char *rounds,
                 const char *episodes,
                 const char *expected)
{
  g_autofree char *got = load_problems (participants, rounds, episodes, NULL);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_records_load (void)
{
  /* Columns in any order, optional ones absent, a BOM and CRLF. */
  const char *participants =
    "\xef\xbb\xbfregion,birth_year,pseudonym,code,origin\r\n"
    "FL,1971,Zoë,FL-ZZ999,regiogemeente\r\n"
    "DH,,Tom,DH-7K3QM,\r\n";
  const char *rounds =
    "round,code,status,residence,date,debts,residence_since\n"
    "T1,DH-7K3QM,interviewed,eigen_woning,2020-04-01,nee,2020-02\n"
    "T0,DH-7K3QM,interviewed,bw,2019-03-10,ja,\n"
    "T0,FL-ZZ999,unreachable,,,,\n";
  const char *episodes =
    "residence,end,start,code\n"
    "mo,,2019-06,FL-ZZ999\n"
    "straat,2018-05,2018-01,DH-7K3QM\n"
    "mo,2019-06,2018-05,FL-ZZ999\n";
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  const VwRecordParticipant *p;
  const VwRoundRecord *r;
  const VwRecordEpisode *e;
  const guint *numbers;
  guint n_p, n_r, n_e, n_numbers;
  char buf[16];

  records = vw_records_new_from_csv (participants, rounds, episodes, NULL, &error);
  g_assert_no_error (error);

  p = vw_records_get_participants (records, &n_p);
  r = vw_records_get_rounds (records, &n_r);
  e = vw_records_get_episodes (records, &n_e);
  g_assert_cmpuint (n_p, ==, 2);
  g_assert_cmpuint (n_r, ==, 3);
  g_assert_cmpuint (n_e, ==, 3);

  /* Participants by code, each with its rows. */
  g_assert_cmpstr (p[0].code, ==, "DH-7K3QM");
  g_assert_cmpstr (p[0].pseudonym, ==, "Tom");
  g_assert_cmpint (p[0].birth_year, ==, 0);
  g_assert_null (p[0].origin);
  g_assert_cmpuint (p[0].line, ==, 3);
  g_assert_cmpuint (p[0].first_round, ==, 0);
  g_assert_cmpuint (p[0].n_rounds, ==, 2);
  g_assert_cmpuint (p[0].first_episode, ==, 0);
  g_assert_cmpuint (p[0].n_episodes, ==, 1);
  g_assert_cmpstr (p[1].code, ==, "FL-ZZ999");
  g_assert_cmpstr (p[1].pseudonym, ==, "Zoë");
  g_assert_cmpstr (p[1].region, ==, "FL");
  g_assert_cmpint (p[1].birth_year, ==, 1971);
  g_assert_cmpstr (p[1].origin, ==, "regiogemeente");
  g_assert_cmpuint (p[1].first_round, ==, 2);
  g_assert_cmpuint (p[1].n_rounds, ==, 1);
  g_assert_cmpuint (p[1].first_episode, ==, 1);
  g_assert_cmpuint (p[1].n_episodes, ==, 2);

  /* Rounds by code, then round. */
  g_assert_cmpuint (r[0].round, ==, 0);
  g_assert_cmpuint (r[0].participant, ==, 0);
  g_assert_cmpstr (r[0].residence, ==, "bw");
  g_assert_cmpint (r[0].residence_since, ==, VW_MONTH_NONE);
  g_assert_cmpuint (r[0].date, ==, 20190310);
  g_assert_cmpstr (r[0].debts, ==, "ja");
  g_assert_cmpuint (r[0].line, ==, 3);
  g_assert_true (vw_round_record_is_interview (&r[0]));
  g_assert_cmpuint (r[1].round, ==, 1);
  g_assert_cmpstr (vw_month_format (r[1].residence_since, buf), ==, "2020-02");
  g_assert_cmpuint (r[2].participant, ==, 1);
  g_assert_false (vw_round_record_is_interview (&r[2]));
  g_assert_null (r[2].date ? "date" : NULL);

  /* Episodes by code, then start. */
  g_assert_cmpstr (e[0].residence, ==, "straat");
  g_assert_cmpstr (vw_month_format (e[1].start, buf), ==, "2018-05");
  g_assert_cmpstr (vw_month_format (e[1].end, buf), ==, "2019-06");
  g_assert_cmpint (e[2].end, ==, VW_MONTH_NONE);
  g_assert_cmpuint (e[2].line, ==, 2);

  numbers = vw_records_get_round_numbers (records, &n_numbers);
  g_assert_cmpuint (n_numbers, ==, 2);
  g_assert_cmpuint (numbers[0], ==, 0);
  g_assert_cmpuint (numbers[1], ==, 1);

  g_assert_cmpint (vw_records_find_participant (records, "FL-ZZ999"), ==, 1);
  g_assert_cmpint (vw_records_find_participant (records, "FL-00000"), ==, -1);
}

/* The documented column order, CRLF, and the stable row order. */
static void
test_records_write_format (void)
{
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *participants = NULL, *rounds = NULL, *episodes = NULL;

  records = vw_records_new_from_csv ("pseudonym,code,region,municipality\n"
                                     "Zoë,FL-ZZ999,FL,\"Lelystad, centrum\"\n"
                                     "Tom,DH-7K3QM,DH,\n",
                                     "status,code,round,date\n"
                                     "not_approached,FL-ZZ999,T2,\n"
                                     "interviewed,FL-ZZ999,T10,2025-01-02\n",
                                     NULL, NULL, &error);
  g_assert_no_error (error);

  participants = vw_records_format_csv (records, VW_RECORDS_PARTICIPANTS);
  rounds = vw_records_format_csv (records, VW_RECORDS_ROUNDS);
  episodes = vw_records_format_csv (records, VW_RECORDS_EPISODES);
  g_assert_cmpstr (participants, ==,
                   "code,pseudonym,region,municipality,origin,birth_year,hist_street,"
                   "hist_youthcare_placement,hist_unsafe_home,hist_remigration\r\n"
                   "DH-7K3QM,Tom,DH,,,,,,,\r\n"
                   "FL-ZZ999,Zoë,FL,\"Lelystad, centrum\",,,,,,\r\n");
  /* T2 before T10: round order, not text order. */
  g_assert_cmpstr (rounds, ==,
                   "code,round,status,date,residence,residence_since,participation,participation_fit,"
                   "debts,money_management,income,indication,consent_research,consent_wmo_linkage,"
                   "attempts\r\n"
                   "FL-ZZ999,T2,not_approached,,,,,,,,,,,,\r\n"
                   "FL-ZZ999,T10,interviewed,2025-01-02,,,,,,,,,,,\r\n");
  g_assert_cmpstr (episodes, ==, "code,start,end,residence\r\n");
}

/* load -> write -> load is the identity: the second write is the same
 * text, and so is every value. */
static void
test_records_round_trip (void)
{
  const char *participants =
    "hist_remigration,code,pseudonym,region,municipality,origin,birth_year,hist_street,"
    "hist_youthcare_placement,hist_unsafe_home\n"
    "nee,DH-7K3QM,Tom,DH,\"Den Haag, \"\"Centrum\"\"\",centrumgemeente,1980,ja,niet_besproken,nee\n"
    ",FL-ZZ999,Zoë,FL,,,,,,\n"
    "ja,UT-00001,\"Jan, de tweede\",UT,Utrecht,buiten_regio,2001,nee,ja,ja\n";
  const char *rounds =
    "code,round,status,date,residence,residence_since,participation,participation_fit,debts,"
    "money_management,income,indication,consent_research,consent_wmo_linkage\n"
    "UT-00001,T1,interviewed,2021-02-28,housing_first,2020-11,opleiding,doorontwikkelen,onbekend,"
    "budgetbeheer,werk,geen,ja,ingetrokken\n"
    "DH-7K3QM,T0,interviewed,2019-03-10,bw,2016-04,dagbesteding,passend,ja,bewindvoering,uitkering,"
    "wmo_bw,ja,nee\n"
    "UT-00001,T0,withdrawn,,,,,,,,,,ingetrokken,\n"
    "DH-7K3QM,T1,deceased,,,,,,,,,,,\n";
  const char *episodes =
    "code,start,end,residence\n"
    "UT-00001,2019-01,2019-05,detentie\n"
    "UT-00001,2019-05,,onbekend\n"
    "DH-7K3QM,2015-01,2016-03,netwerk\n";
  g_autoptr(VwRecords) first = NULL;
  g_autoptr(VwRecords) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  first = vw_records_new_from_csv (participants, rounds, episodes, NULL, &error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("records-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (vw_records_write_dir (first, dir, &error));
  g_assert_no_error (error);
  second = vw_records_load_dir (dir, NULL, &error);
  g_assert_no_error (error);

  for (VwRecordsFile f = 0; f < VW_RECORDS_N_FILES; f++)
    {
      g_autofree char *a = vw_records_format_csv (first, f);
      g_autofree char *b = vw_records_format_csv (second, f);
      g_autofree char *path = g_build_filename (dir, vw_records_file_name (f), NULL);
      g_autofree char *on_disk = NULL;

      g_assert_cmpstr (a, ==, b);
      g_assert_true (g_file_get_contents (path, &on_disk, NULL, &error));
      g_assert_cmpstr (on_disk, ==, a);
    }

  /* Spot checks that the values, not only the text, survived. */
  {
    guint n;
    const VwRecordParticipant *p = vw_records_get_participants (second, &n);
    const VwRoundRecord *r = vw_records_get_rounds (second, &n);

    g_assert_cmpstr (p[0].municipality, ==, "Den Haag, \"Centrum\"");
    g_assert_cmpstr (p[2].pseudonym, ==, "Jan, de tweede");
    g_assert_cmpstr (r[3].consent_wmo_linkage, ==, "ingetrokken");
    g_assert_cmpuint (r[3].date, ==, 20210228);
  }

  /* episodes.csv is optional: without it there are no episodes. */
  {
    g_autofree char *path = g_build_filename (dir, "episodes.csv", NULL);
    g_autoptr(VwRecords) third = NULL;
    guint n;

    g_assert_cmpint (g_unlink (path), ==, 0);
    third = vw_records_load_dir (dir, NULL, &error);
    g_assert_no_error (error);
    vw_records_get_episodes (third, &n);
    g_assert_cmpuint (n, ==, 0);
  }

  vw_test_rm_rf (dir);
}

static void
test_records_missing_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("records-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "participants.csv", NULL);
  g_autofree char *expected = NULL;
  VwRecords *records;

  g_assert_true (g_file_set_contents (path, PARTICIPANTS, -1, &error));
  records = vw_records_load_dir (dir, NULL, &error);
  g_assert_null (records);
  g_assert_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_IO);
  expected = g_strdup_printf ("Cannot read %s/rounds.csv: Failed to open file “%s/rounds.csv”: "
                              "No such file or directory", dir, dir);
  g_assert_cmpstr (error->message, ==, expected);
  vw_test_rm_rf (dir);
}

static void
test_records_bad_columns (void)
{
  expect_problems ("code,pseudonym,region,geboortedatum\nDH-7K3QM,Tom,DH,1980-01-01\n", ROUNDS, NULL,
                   "participants.csv:1:4: unknown column “geboortedatum”; the columns of participants.csv "
                   "are: code, pseudonym, region, municipality, origin, birth_year, hist_street, "
                   "hist_youthcare_placement, hist_unsafe_home, hist_remigration\n"
                   /* The rest of the file is still checked: Ans is in rounds.csv only. */
                   "rounds.csv:3:1: participant DH-AB123 is not in participants.csv\n");
  expect_problems (PARTICIPANTS, "code,round,status,\nDH-7K3QM,T0,declined,\n", NULL,
                   "rounds.csv:1:4: a column without a name; the columns of rounds.csv are: code, round, "
                   "status, date, residence, residence_since, participation, participation_fit, debts, "
                   "money_management, income, indication, consent_research, consent_wmo_linkage, attempts\n");
  expect_problems (PARTICIPANTS, "code,round,date\nDH-7K3QM,T0,2019-01-01\n", NULL,
                   "rounds.csv:1:1: the required column “status” is missing from the header\n");
  expect_problems (PARTICIPANTS, "code,round,status,round\nDH-7K3QM,T0,declined,T0\n", NULL,
                   "rounds.csv:1:4: the column “round” appears twice (also column 2)\n");
  expect_problems ("", ROUNDS, NULL,
                   "participants.csv:1:1: the file is empty: it needs a header row\n");
}

static void
test_records_bad_values (void)
{
  expect_problems (PARTICIPANTS,
                   "code,round,status,date,residence,residence_since\n"
                   "DH-7K3QM,T0,intervieuwed,2019-03-10,mo,2019-01\n", NULL,
                   "rounds.csv:2:3: status: unknown code “intervieuwed”; the codes are: "
                   "interviewed, declined, unreachable, deceased, admitted, withdrawn, not_approached\n");
  expect_problems (PARTICIPANTS,
                   "code,round,status,date,residence,residence_since\n"
                   "DH-7K3QM,T0,interviewed,2019-03-10,mo,2019-13\n"
                   "DH-AB123,T0,interviewed,2019-02-29,mo,03-2019\n", NULL,
                   "rounds.csv:2:6: residence_since: “2019-13” is not a month: write "
                   "YYYY-MM, e.g. 2021-03\n"
                   "rounds.csv:3:4: date: “2019-02-29” is not a date: write YYYY-MM-DD "
                   "with a day that exists, e.g. 2021-03-15\n"
                   "rounds.csv:3:6: residence_since: “03-2019” is not a month: write "
                   "YYYY-MM, e.g. 2021-03\n");
  expect_problems (PARTICIPANTS,
                   "code,round,status,date\n"
                   "DH-7K3QM,T0,interviewed,10-03-2019\n"
                   "DH-7K3QM,T01,declined,\n"
                   "DH-AB123,1,declined,\n", NULL,
                   "rounds.csv:2:4: date: “10-03-2019” is not a date: write YYYY-MM-DD "
                   "with a day that exists, e.g. 2021-03-15\n"
                   "rounds.csv:3:2: round: “T01” is not a round: write T0, T1, T2, …\n"
                   "rounds.csv:4:2: round: “1” is not a round: write T0, T1, T2, …\n");
  /* The latest year of birth accepted is this year. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    int year = g_date_time_get_year (now);
    g_autofree char *expected = NULL;
    g_autofree char *participants = NULL;

    /* Just above the range: next year. */
    participants = g_strdup_printf ("code,pseudonym,region,birth_year,origin\n"
                                    "DH-7K3QM,Tom,DH,80,\n"
                                    "DH-AB123,Ans,NL,1899,buiten\n"
                                    "dh-ab124,Piet,DH,,\n"
                                    "DH-AB12U,Kees,DH,,\n"
                                    "DH-AB125,,DH,,\n"
                                    "DH-AB126,\"Mia\tB\",DH,,\n"
                                    "DH-AB127,Lotte,DH,%d,\n"
                                    "DH-AB128,Bea,DH,1900,\n", year + 1);
    expected = g_strdup_printf (
      "participants.csv:2:4: birth_year: “80” is not a year of birth: write four digits from 1900 to %d\n"
      "participants.csv:3:3: region: “NL” is not a region of the codebook; the regions are: "
      "DH, FL, GV, MB, ZK, WL, UT\n"
      "participants.csv:3:4: birth_year: “1899” is not a year of birth: write four digits from 1900 to %d\n"
      "participants.csv:3:5: origin: unknown code “buiten”; the codes are: "
      "centrumgemeente, regiogemeente, buiten_regio, onbekend\n"
      "participants.csv:4:1: code: “dh-ab124” is not a participant code: write the region, a dash "
      "and five characters of 0-9 and A-Z without I, L, O and U, e.g. DH-7K3QM\n"
      "participants.csv:5:1: code: “DH-AB12U” is not a participant code: write the region, a dash "
      "and five characters of 0-9 and A-Z without I, L, O and U, e.g. DH-7K3QM\n"
      "participants.csv:6:2: the column “pseudonym” needs a value\n"
      "participants.csv:7:2: pseudonym: contains a line break, a tab or another control "
      "character\n"
      "participants.csv:8:4: birth_year: “%d” is not a year of birth: write four digits from 1900 to %d\n",
      year, year, year + 1, year);
    expect_problems (participants, "code,round,status\n", NULL, expected);
  }
  /* A long wrong value is cut to 40 characters in the message. */
  expect_problems (PARTICIPANTS,
                   "code,round,status,residence\n"
                   "DH-7K3QM,T0,declined,woont sinds kort bij een vriend in de Schilderswijk\n", NULL,
                   "rounds.csv:2:4: residence: unknown code “woont sinds kort bij een vriend in de S…”; "
                   "the codes are: mo, bw, omklap, housing_first, eigen_woning, tijdelijk, "
                   "netwerk, straat, nachtopvang, detentie, instelling, onbekend\n");
}

static void
test_records_bad_rows (void)
{
  g_autofree char *message = NULL;
  g_autofree char *got = NULL;

  /* Duplicates: the later row is the one reported. */
  expect_problems ("code,pseudonym,region\nDH-7K3QM,Tom,DH\nDH-AB123,Ans,DH\nDH-7K3QM,Thomas,DH\n",
                   ROUNDS "DH-7K3QM,T0,declined,,,\n", EPISODES "DH-7K3QM,2017-01,2018-12,straat\n",
                   "participants.csv:4:1: duplicate row: participant DH-7K3QM is already on line 2\n"
                   "rounds.csv:4:1: duplicate row: participant DH-7K3QM already has a row for T0 on line 2\n"
                   "episodes.csv:3:1: duplicate row: the same episode is already on line 2\n");
  /* Pseudonyms differ also in case; the message does not repeat them. */
  expect_problems ("code,pseudonym,region\nDH-7K3QM,Zoë,DH\nDH-AB123,ZOË,DH\n", ROUNDS, NULL,
                   "participants.csv:3:2: the pseudonym is already used on line 2 (pseudonyms must "
                   "differ, also in upper and lower case)\n");
  expect_problems (PARTICIPANTS, ROUNDS "DH-99999,T1,interviewed,2020-03-01,mo,\n",
                   EPISODES "DH-88888,2017-01,,mo\n",
                   "rounds.csv:4:1: participant DH-99999 is not in participants.csv\n"
                   "episodes.csv:3:1: participant DH-88888 is not in participants.csv\n");
  /* Overlap: one starts before the other ends, or while it has no end;
   * ending in the month the next begins is not an overlap. */
  expect_problems (PARTICIPANTS, ROUNDS,
                   "code,start,end,residence\n"
                   "DH-7K3QM,2017-01,2017-06,straat\n"
                   "DH-7K3QM,2017-06,2017-09,netwerk\n"
                   "DH-7K3QM,2017-08,2017-10,nachtopvang\n"
                   "DH-AB123,2016-01,,mo\n"
                   "DH-AB123,2018-01,2018-02,bw\n"
                   "DH-AB123,2019-05,2019-01,straat\n",
                   "episodes.csv:4:2: the episode overlaps the episode from 2017-06 to 2017-09 on line 3\n"
                   "episodes.csv:6:2: the episode overlaps the episode from 2016-01 on line 5, which has no end\n"
                   "episodes.csv:7:2: the episode overlaps the episode from 2016-01 on line 5, which has no end\n"
                   "episodes.csv:7:3: end: the episode ends (2019-01) before it starts (2019-05)\n");
  /* Interviews: a date, residence_since not after it, dates in round order. */
  expect_problems (PARTICIPANTS,
                   "code,round,status,date,residence,residence_since\n"
                   "DH-7K3QM,T0,interviewed,,mo,2019-01\n"
                   "DH-AB123,T0,interviewed,2019-03-10,mo,2019-04\n"
                   "DH-AB123,T1,interviewed,2019-03-09,mo,\n"
                   "DH-AB123,T2,declined,2018-01-01,,\n", NULL,
                   "rounds.csv:2:4: an interview (status interviewed) needs a date in the column “date”\n"
                   "rounds.csv:3:6: residence_since 2019-04 is after the interview date 2019-03-10\n"
                   "rounds.csv:4:4: the interview date 2019-03-09 is before the date of the interview in "
                   "T0 (2019-03-10, line 3)\n");
  /* Structure: the wrong number of fields, and bad quoting. */
  expect_problems (PARTICIPANTS,
                   "code,round,status\n"
                   "DH-7K3QM,T0\n"
                   "DH-AB123,T0,declined,extra\n", NULL,
                   "rounds.csv:2:3: the row has 2 fields but the header has 3\n"
                   "rounds.csv:3:4: the row has 4 fields but the header has 3\n");
  got = load_problems (PARTICIPANTS "DH-AB124,Kees \"de Kat\",DH\nDH-AB125,Mia,DH\n", ROUNDS, NULL, &message);
  /* The file cannot be split into rows after bad quoting, so it stops
   * there, and the codes of rounds.csv are not checked against it. */
  g_assert_cmpstr (got, ==,
                   "participants.csv:4:2: a quote inside a field that does not start with a quote (put "
                   "the whole field in quotes and write the quote twice)\n");
  g_assert_cmpstr (message, ==, "participants.csv:4:2: a quote inside a field that does not start with a "
                                "quote (put the whole field in quotes and write the quote twice)");
}

/* Every problem is collected, in file and line order, up to a limit; the
 * error names the first and how many there are. */
static void
test_records_many_problems (void)
{
  g_autoptr(GString) rounds = g_string_new ("code,round,status\n");
  g_autofree char *got = NULL;
  g_autofree char *message = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (rounds, "DH-7K3QM,T%u,asleep\n", i % 100);
  got = load_problems ("code,pseudonym,region\nDH-7K3QM,Tom,XX\n", rounds->str, NULL, &message);
  lines = g_strsplit (got, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 100 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "participants.csv:2:3: region: “XX” is not a region"));
  g_assert_true (g_str_has_prefix (lines[1], "rounds.csv:2:3: status: unknown code “asleep”"));
  g_assert_true (g_str_has_prefix (lines[99], "rounds.csv:100:3: status: unknown code “asleep”"));
  /* 1 + 150 bad statuses + 50 duplicate rounds. */
  g_assert_true (g_str_has_suffix (message, "(and 200 more problems)"));
  g_assert_true (g_str_has_prefix (message, "participants.csv:2:3: region: “XX” is not a region"));
}

static void
test_records_builder (void)
{
  g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  const char *p[10] = { "DH-7K3QM", "Tom", "DH" };
  const char *r[15] = { "DH-7K3QM", "T3", "interviewed", "2022-05-01", "netwerk" };
  const char *bad[15] = { "DH-7K3QM", "T4", "interviewed", "2023-05-01", "tent" };
  guint n;

  /* Rows from another source than CSV go through the same checks. */
  vw_records_builder_add_row (builder, VW_RECORDS_PARTICIPANTS, p, 0);
  vw_records_builder_add_row (builder, VW_RECORDS_ROUNDS, r, 0);
  records = vw_records_builder_end (builder, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (vw_records_get_rounds (records, &n)[0].residence, ==, "netwerk");

  g_clear_pointer (&builder, vw_records_builder_free);
  g_clear_pointer (&problems, g_ptr_array_unref);
  builder = vw_records_builder_new ();
  vw_records_builder_add_row (builder, VW_RECORDS_PARTICIPANTS, p, 0);
  vw_records_builder_add_row (builder, VW_RECORDS_ROUNDS, bad, 7);
  g_assert_null (vw_records_builder_end (builder, &problems, &error));
  g_assert_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (error->message, "rounds.csv:7:5: residence: unknown code “tent”"));
}

static void
test_records_values (void)
{
  VwMonth m;
  VwDate d;
  guint round;
  char buf[16];

  g_assert_true (vw_month_parse ("2021-03", &m));
  g_assert_cmpint (m, ==, 2021 * 12 + 2);
  g_assert_cmpstr (vw_month_format (m, buf), ==, "2021-03");
  g_assert_false (vw_month_parse ("2021-3", &m));
  g_assert_false (vw_month_parse ("2021-00", &m));
  g_assert_false (vw_month_parse ("1899-12", &m));
  g_assert_false (vw_month_parse ("2021-03 ", &m));
  g_assert_true (vw_date_parse ("2024-02-29", &d));
  g_assert_cmpint (vw_date_get_month (d), ==, 2024 * 12 + 1);
  g_assert_false (vw_date_parse ("2023-02-29", &d));
  g_assert_false (vw_date_parse ("2023-04-31", &d));
  g_assert_true (vw_round_parse ("T0", &round));
  g_assert_true (vw_round_parse ("T12", &round));
  g_assert_cmpuint (round, ==, 12);
  g_assert_false (vw_round_parse ("T", &round));
  g_assert_false (vw_round_parse ("t1", &round));
  g_assert_false (vw_round_parse ("T100", &round));
  g_assert_true (vw_participant_code_is_valid ("DH-7K3QM"));
  g_assert_true (vw_participant_code_is_valid ("ABC-0Z9XY"));
  g_assert_false (vw_participant_code_is_valid ("D-7K3QM"));
  g_assert_false (vw_participant_code_is_valid ("ABCD-7K3QM"));
  g_assert_false (vw_participant_code_is_valid ("DH-7K3QI"));
  g_assert_false (vw_participant_code_is_valid ("DH-7K3QL"));
  g_assert_false (vw_participant_code_is_valid ("DH-7K3QO"));
  g_assert_false (vw_participant_code_is_valid ("DH_7K3QM"));
  g_assert_false (vw_participant_code_is_valid ("DH-7K3Q"));
}

/* The records fuzz target's check, on its seeds and on every input that
 * once failed it (tests/fuzz/regressions/records-*). */
static void
test_records_fuzz_inputs (void)
{
  static const struct { const char *dir; const char *prefix; } sets[] = {
    { "tests/fuzz/records-seeds", "" },
    { "tests/fuzz/regressions", "records-" },
  };
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", sets[i].dir, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autofree char *data = NULL;
          gsize len;

          if (!g_str_has_prefix (name, sets[i].prefix))
            continue;
          g_assert_true (g_file_get_contents (path, &data, &len, &error));
          g_assert_no_error (error);
          if (g_test_verbose ())
            g_test_message ("%s", path);
          g_assert_true (fuzz_records_check ((const guint8 *) data, len));
          checked++;
        }
    }
  g_assert_cmpuint (checked, >=, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/records/load", test_records_load);
  g_test_add_func ("/records/write-format", test_records_write_format);
  g_test_add_func ("/records/round-trip", test_records_round_trip);
  g_test_add_func ("/records/missing-files", test_records_missing_files);
  g_test_add_func ("/records/bad-columns", test_records_bad_columns);
  g_test_add_func ("/records/bad-values", test_records_bad_values);
  g_test_add_func ("/records/bad-rows", test_records_bad_rows);
  g_test_add_func ("/records/many-problems", test_records_many_problems);
  g_test_add_func ("/records/builder", test_records_builder);
  g_test_add_func ("/records/values", test_records_values);
  g_test_add_func ("/records/fuzz-inputs", test_records_fuzz_inputs);

  return g_test_run ();
}
