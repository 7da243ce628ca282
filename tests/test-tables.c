/* The report tables of codebook section 7 on a small dataset whose counts
 * are worked out by hand below, the sum checks, and the text form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-core.h"
#include "vw-tables-private.h"

/* Seven participants over T0, T1, T2 (the last column of each row is
 * participation; debts and money_management follow at last interviews):
 *
 *   P1  T0 bw (dagbesteding)  T1 bw (dagbesteding)  T2 eigen_woning (betaald_werk)
 *   P2  T0 mo (geen)          T1 declined           T2 omklap (vrijwilligerswerk)
 *   P3  -                     T1 mo (beschut_werk)  T2 straat (geen)
 *   P4  T0 mo (werk_zoekend)  T1 unreachable        T2 unreachable
 *   P5  T0 bw (dagbesteding)  T1 bw (vrijwilligerswerk) T2 bw (empty)
 *   P6  T0 declined           -                     -
 *   P7  -                     -                     T2 (empty residence) (opleiding)
 *
 * Trajectories, dh3: P1 F->H uitstroom_woning/eigen_naam, P2 F->H
 * uitstroom_woning/omklap, P3 F->E onderbroken (rule 4), P4 one interview
 * niet_te_classificeren (rule 1), P5 BW since 2015 langdurig_verblijf,
 * P7 one interview niet_te_classificeren; P6 has no interview.
 * fl4 (two interviews or more: P1, P2, P3, P5): uitstroom_woning P1 and
 * P2 (first F, last H), onderbroken P3 (F to E), langdurig_verblijf P5. */
static const char *participants =
  "code,pseudonym,region\n"
  "DH-00001,Anna,DH\n"
  "DH-00002,Bram,DH\n"
  "DH-00003,Cor,DH\n"
  "DH-00004,Dirk,DH\n"
  "DH-00005,Els,DH\n"
  "DH-00006,Fatima,DH\n"
  "DH-00007,Gijs,DH\n";
static const char *rounds =
  "code,round,status,date,residence,residence_since,participation,debts,money_management\n"
  "DH-00001,T0,interviewed,2019-03-01,bw,2016-04,dagbesteding,ja,bewindvoering\n"
  "DH-00001,T1,interviewed,2020-03-01,bw,,dagbesteding,ja,bewindvoering\n"
  "DH-00001,T2,interviewed,2021-03-01,eigen_woning,2021-01,betaald_werk,nee,zelf\n"
  "DH-00002,T0,interviewed,2019-03-05,mo,2019-01,geen,ja,\n"
  "DH-00002,T1,declined,,,,,,\n"
  "DH-00002,T2,interviewed,2021-03-05,omklap,2020-06,vrijwilligerswerk,ja,bewindvoering\n"
  "DH-00003,T1,interviewed,2020-03-10,mo,2019-10,beschut_werk,ja,zelf\n"
  "DH-00003,T2,interviewed,2021-03-10,straat,2020-09,geen,,\n"
  "DH-00004,T0,interviewed,2019-03-02,mo,2018-01,werk_zoekend,onbekend,budgetbeheer\n"
  "DH-00004,T1,unreachable,,,,,,\n"
  "DH-00004,T2,unreachable,,,,,,\n"
  "DH-00005,T0,interviewed,2019-04-01,bw,2015-01,dagbesteding,nee,zelf\n"
  "DH-00005,T1,interviewed,2020-04-01,bw,,vrijwilligerswerk,ja,bewindvoering\n"
  "DH-00005,T2,interviewed,2021-04-01,bw,,,ja,bewindvoering\n"
  "DH-00006,T0,declined,,,,,,\n"
  "DH-00007,T2,interviewed,2021-05-01,,,opleiding,,\n";

static VwRecords *
load (void)
{
  g_autoptr(GError) error = NULL;
  VwRecords *records = vw_records_new_from_csv (participants, rounds, NULL, NULL, &error);

  g_assert_no_error (error);
  return records;
}

static char *
csv (VwRecords  *records,
     const char *name,
     const char *round,
     VwRuleSet   rules)
{
  g_autoptr(VwTable) table = NULL;
  g_autoptr(GError) error = NULL;
  VwTableOptions options = { 0 };

  options.has_round = round != NULL;
  if (round != NULL)
    g_assert_true (vw_round_parse (round, &options.round));
  options.rules = rules;
  table = vw_table_build (name, records, &options, &error);
  g_assert_no_error (error);
  return vw_table_to_csv (table);
}

static void
test_tables_attendance (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autofree char *got = csv (records, "attendance", NULL, VW_RULE_SET_DH3);

  /* T0: P1 P2 P4 P5, all new. T1: P1 P3 P5, new P3. T2: P1 P2 P3 P5 P7,
   * new P7. 4 + 3 + 5 = 12 interviews; 4 + 1 + 1 = 6 participants. */
  g_assert_cmpstr (got, ==,
                   "round,interviews,new,returning\n"
                   "T0,4,4,0\n"
                   "T1,3,1,2\n"
                   "T2,5,1,4\n"
                   "total,12,6,\n");
}

static void
test_tables_rounds_attended (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autofree char *t2 = csv (records, "rounds_attended", "T2", VW_RULE_SET_DH3);
  g_autofree char *t1 = csv (records, "rounds_attended", "T1", VW_RULE_SET_DH3);
  g_autofree char *t0 = csv (records, "rounds_attended", "T0", VW_RULE_SET_DH3);
  g_autofree char *last = csv (records, "rounds_attended", NULL, VW_RULE_SET_DH3);

  /* In T2: P7 once; P2 (T0, T2) and P3 (T1, T2) twice; P1 and P5 three times. */
  g_assert_cmpstr (t2, ==, "rounds_attended,n\n1,1\n2,2\n3,2\n");
  /* In T1: P3 once, P1 and P5 twice; a row per number up to 2, no more. */
  g_assert_cmpstr (t1, ==, "rounds_attended,n\n1,1\n2,2\n");
  g_assert_cmpstr (t0, ==, "rounds_attended,n\n1,4\n");
  /* Without --round: the last round. */
  g_assert_cmpstr (last, ==, t2);
}

static void
test_tables_trajectories (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autofree char *dh3 = csv (records, "trajectories", NULL, VW_RULE_SET_DH3);
  g_autofree char *fl4 = csv (records, "trajectories", NULL, VW_RULE_SET_FL4);

  /* dh3, of 6 with an interview: 2/6 = 33.3 -> 33, 1/6 = 16.7 -> 17. */
  g_assert_cmpstr (dh3, ==,
                   "type,subtype,n,percent\n"
                   "uitstroom_woning,,2,33\n"
                   "onderbroken,,1,17\n"
                   "langdurig_verblijf,,1,17\n"
                   "niet_te_classificeren,,2,33\n"
                   "uitstroom_woning,omklap,1,17\n"
                   "uitstroom_woning,eigen_naam,1,17\n");
  /* fl4, of the 4 with two interviews or more (P4 and P7 left out). */
  g_assert_cmpstr (fl4, ==,
                   "type,subtype,n,percent\n"
                   "onderbroken,,1,25\n"
                   "uitstroom_woning,,2,50\n"
                   "stabiel_gehuisvest,,0,0\n"
                   "langdurig_verblijf,,1,25\n"
                   "niet_te_classificeren,,0,0\n");
}

/* Tables count final types: an override moves a participant. */
static void
test_tables_overrides (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autoptr(VwClassification) classification = vw_classification_new (records, VW_RULE_SET_DH3, NULL);
  g_autoptr(VwTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  VwTableOptions options = { 0 };

  g_assert_true (vw_classification_set_override (classification, "DH-00004", "onderbroken", NULL,
                                                 "Back on the street since the interview", &error));
  g_assert_no_error (error);
  options.classification = classification;
  table = vw_table_build ("trajectories", records, &options, &error);
  g_assert_no_error (error);
  got = vw_table_to_csv (table);
  /* P4 moves from niet_te_classificeren to onderbroken: 2 and 1 of 6. */
  g_assert_cmpstr (got, ==,
                   "type,subtype,n,percent\n"
                   "uitstroom_woning,,2,33\n"
                   "onderbroken,,2,33\n"
                   "langdurig_verblijf,,1,17\n"
                   "niet_te_classificeren,,1,17\n"
                   "uitstroom_woning,omklap,1,17\n"
                   "uitstroom_woning,eigen_naam,1,17\n");
}

static void
test_tables_participation (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autofree char *got = csv (records, "participation", NULL, VW_RULE_SET_DH3);

  /* Last interviews: P1 betaald_werk, P4 werk_zoekend and P7 opleiding are
   * werk (3/6 = 50); P2 vrijwilligerswerk, P3 geen, P5 empty = onbekend
   * (1/6 = 16.7 -> 17 each); dagbesteding 0, still a row. */
  g_assert_cmpstr (got, ==,
                   "category,n,percent\n"
                   "werk,3,50\n"
                   "dagbesteding,0,0\n"
                   "vrijwilligerswerk,1,17\n"
                   "geen,1,17\n"
                   "onbekend,1,17\n");
}

static void
test_tables_participation_by_residence (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autofree char *t2 = csv (records, "participation_by_residence", "T2", VW_RULE_SET_DH3);
  g_autofree char *t0 = csv (records, "participation_by_residence", "T0", VW_RULE_SET_DH3);

  /* T2: P1 betaald_werk in ZW (eigen_woning), P2 vrijwilligerswerk in ZW
   * (omklap), P3 geen in overig (straat), P5 empty = onbekend in BW, P7
   * opleiding with no residence recorded: overig. */
  g_assert_cmpstr (t2, ==,
                   "category,BW,MO,ZW,overig,total\n"
                   "betaald_werk,0,0,1,0,1\n"
                   "vrijwilligerswerk,0,0,1,0,1\n"
                   "dagbesteding,0,0,0,0,0\n"
                   "opleiding,0,0,0,1,1\n"
                   "geen,0,0,0,1,1\n"
                   "onbekend,1,0,0,0,1\n"
                   "total,1,0,2,2,5\n");
  /* T0: P1 and P5 dagbesteding in BW; P2 geen and P4 werk_zoekend (geen
   * in the Flevoland roll-up) in MO. */
  g_assert_cmpstr (t0, ==,
                   "category,BW,MO,ZW,overig,total\n"
                   "betaald_werk,0,0,0,0,0\n"
                   "vrijwilligerswerk,0,0,0,0,0\n"
                   "dagbesteding,2,0,0,0,2\n"
                   "opleiding,0,0,0,0,0\n"
                   "geen,0,2,0,0,2\n"
                   "onbekend,0,0,0,0,0\n"
                   "total,2,2,0,0,4\n");
}

static void
test_tables_by_trajectory (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autofree char *debts = csv (records, "debts_by_trajectory", NULL, VW_RULE_SET_DH3);
  g_autofree char *money = csv (records, "money_management_by_trajectory", NULL, VW_RULE_SET_DH3);
  g_autofree char *debts_fl4 = csv (records, "debts_by_trajectory", NULL, VW_RULE_SET_FL4);

  /* Debts at the last interview: P1 nee, P2 ja (uitstroom_woning); P3
   * empty (onderbroken); P5 ja (langdurig_verblijf); P4 onbekend and P7
   * empty (niet_te_classificeren). */
  g_assert_cmpstr (debts, ==,
                   "type,ja,nee,onbekend,total\n"
                   "uitstroom_woning,1,1,0,2\n"
                   "onderbroken,0,0,1,1\n"
                   "langdurig_verblijf,1,0,0,1\n"
                   "niet_te_classificeren,0,0,2,2\n"
                   "total,2,1,3,6\n");
  /* Money management: P1 zelf, P2 bewindvoering; P3 empty; P5
   * bewindvoering; P4 budgetbeheer, P7 empty. */
  g_assert_cmpstr (money, ==,
                   "type,zelf,bewindvoering,budgetbeheer,familie_anders,onbekend,total\n"
                   "uitstroom_woning,1,1,0,0,0,2\n"
                   "onderbroken,0,0,0,0,1,1\n"
                   "langdurig_verblijf,0,1,0,0,0,1\n"
                   "niet_te_classificeren,0,0,1,0,1,2\n"
                   "total,1,2,1,0,2,6\n");
  /* fl4: only P1, P2, P3 and P5. */
  g_assert_cmpstr (debts_fl4, ==,
                   "type,ja,nee,onbekend,total\n"
                   "onderbroken,0,0,1,1\n"
                   "uitstroom_woning,1,1,0,2\n"
                   "stabiel_gehuisvest,0,0,0,0\n"
                   "langdurig_verblijf,1,0,0,1\n"
                   "niet_te_classificeren,0,0,0,0\n"
                   "total,2,1,1,4\n");
}

static void
test_tables_text (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autoptr(VwTable) trajectories = vw_table_build ("trajectories", records, NULL, NULL);
  g_autoptr(VwTable) by_residence = NULL;
  g_autoptr(VwTable) attendance = vw_table_build ("attendance", records, NULL, NULL);
  g_autofree char *a = vw_table_to_text (trajectories);
  g_autofree char *b = NULL;
  g_autofree char *c = vw_table_to_text (attendance);
  VwTableOptions options = { .has_round = TRUE, .round = 0 };

  g_assert_cmpstr (a, ==,
                   "Trajectory types (rule set dh3)\n"
                   "\n"
                   "Trajectory type         Subtype                               n (%)\n"
                   "Moved on to a home                                          2 (33%)\n"
                   "Interrupted trajectory                                      1 (17%)\n"
                   "Long-term stay                                              1 (17%)\n"
                   "Cannot be classified                                        2 (33%)\n"
                   "Moved on to a home      Transitional or Housing First home  1 (17%)\n"
                   "Moved on to a home      Home in own name                    1 (17%)\n"
                   "\n"
                   "Denominator: 6 participants with at least one interview; percentages of that number.\n");

  /* Percentages of each column's total; "–" where that total is 0. */
  by_residence = vw_table_build ("participation_by_residence", records, &options, NULL);
  b = vw_table_to_text (by_residence);
  g_assert_cmpstr (b, ==,
                   "Participation by housing situation in T0\n"
                   "\n"
                   "Participation                      Protected housing   Shelter  Living independently  Other     Total\n"
                   "Paid work (including sheltered)               0 (0%)    0 (0%)                 0 (–)  0 (–)    0 (0%)\n"
                   "Volunteer work                                0 (0%)    0 (0%)                 0 (–)  0 (–)    0 (0%)\n"
                   "Day activities                              2 (100%)    0 (0%)                 0 (–)  0 (–)   2 (50%)\n"
                   "Education                                     0 (0%)    0 (0%)                 0 (–)  0 (–)    0 (0%)\n"
                   "None (including looking for work)             0 (0%)  2 (100%)                 0 (–)  0 (–)   2 (50%)\n"
                   "Unknown                                       0 (0%)    0 (0%)                 0 (–)  0 (–)    0 (0%)\n"
                   "Total                                       2 (100%)  2 (100%)                 0 (–)  0 (–)  4 (100%)\n"
                   "\n"
                   "Denominator: 4 participants interviewed in T0; percentages of each column’s total.\n");

  /* No percentages where the table has none; the empty cell stays empty. */
  g_assert_cmpstr (c, ==,
                   "Interviews per round\n"
                   "\n"
                   "Round  Interviews  New  Returning\n"
                   "T0              4    4          0\n"
                   "T1              3    1          2\n"
                   "T2              5    1          4\n"
                   "Total          12    6\n"
                   "\n"
                   "Counted: interviews with status interviewed; “new” is a participant’s first interview. "
                   "Unique participants: 6.\n");
}

/* Percentages rounded half up in integers, where floating point would
 * go wrong: 29/200 is 14.5 exactly, but 29.0 / 200 * 100 is 14.499… */
static void
test_tables_percent (void)
{
  g_assert_cmpuint (vw_percent_round (29, 200), ==, 15);
  g_assert_cmpuint (vw_percent_round (1, 8), ==, 13);
  g_assert_cmpuint (vw_percent_round (3, 8), ==, 38);
  g_assert_cmpuint (vw_percent_round (1, 200), ==, 1);
  g_assert_cmpuint (vw_percent_round (1, 201), ==, 0);
  g_assert_cmpuint (vw_percent_round (1, 3), ==, 33);
  g_assert_cmpuint (vw_percent_round (2, 3), ==, 67);
  g_assert_cmpuint (vw_percent_round (0, 5), ==, 0);
  g_assert_cmpuint (vw_percent_round (5, 5), ==, 100);
}

static VwTable *
sum_table (void)
{
  VwTable *table = vw_table_new ("test");
  VwTableRow *row;

  table->n_counts = 3;
  table->count_names[0] = "a";
  table->count_names[1] = "b";
  table->count_names[2] = "total";
  table->total_column = 2;
  row = vw_table_add_row (table, "x", "x");
  row->counts[0] = 1, row->counts[1] = 2, row->counts[2] = 3;
  row = vw_table_add_row (table, "y", "y");
  row->counts[0] = 4, row->counts[1] = 0, row->counts[2] = 4;
  row = vw_table_add_row (table, "total", "total");
  row->is_total = TRUE;
  row->counts[0] = 5, row->counts[1] = 2, row->counts[2] = 7;
  table->parts_make_denominator = TRUE;
  table->denominator = 5;
  return table;
}

/* The checks catch each kind of sum that does not add up. */
static void
test_tables_sum_checks (void)
{
  g_autoptr(VwTable) table = sum_table ();
  g_autoptr(GError) error = NULL;
  VwTableRow *rows;

  g_assert_true (vw_table_check (table, &error));
  g_assert_no_error (error);
  rows = (VwTableRow *) (gpointer) table->rows->data;

  rows[1].counts[2] = 5;
  g_assert_false (vw_table_check (table, &error));
  g_assert_error (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INTERNAL);
  g_assert_cmpstr (error->message, ==, "Internal error in the table test: the counts of the row “y” add up "
                                       "to 4, but total is 5; please report this");
  g_clear_error (&error);
  rows[1].counts[2] = 4;

  rows[2].counts[1] = 3;
  rows[2].counts[2] = 8;
  g_assert_false (vw_table_check (table, &error));
  g_assert_cmpstr (error->message, ==, "Internal error in the table test: the rows of the column “b” add up "
                                       "to 2, but the total row is 3; please report this");
  g_clear_error (&error);
  rows[2].counts[1] = 2;
  rows[2].counts[2] = 7;

  table->denominator = 6;
  g_assert_false (vw_table_check (table, &error));
  g_assert_cmpstr (error->message, ==, "Internal error in the table test: the rows add up to 5, but the "
                                       "denominator is 6; please report this");
  g_clear_error (&error);
  table->denominator = 5;

  /* Subtype rows must add up to the row they split. */
  table->total_column = -1;
  rows = vw_table_add_row (table, "x", "x");
  rows->parent = 0;
  rows->counts[0] = 2;
  g_assert_false (vw_table_check (table, &error));
  g_assert_cmpstr (error->message, ==, "Internal error in the table test: the subtype rows add up to 2, but "
                                       "the row “x” is 1; please report this");
}

static void
test_tables_errors (void)
{
  g_autoptr(VwRecords) records = load ();
  g_autoptr(VwRecords) empty = NULL;
  g_autoptr(GError) error = NULL;
  VwTableOptions options = { .has_round = TRUE, .round = 7 };

  g_assert_null (vw_table_build ("rounds_attended", records, &options, &error));
  g_assert_error (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "the records have no round T7; their rounds are: T0, T1, T2");
  g_clear_error (&error);

  g_assert_null (vw_table_build ("tables", records, NULL, &error));
  g_assert_cmpstr (error->message, ==, "unknown table “tables”; the tables are: attendance, rounds_attended, "
                                       "trajectories, participation, participation_by_residence, "
                                       "debts_by_trajectory, money_management_by_trajectory, retention");
  g_clear_error (&error);

  empty = vw_records_new_from_csv ("code,pseudonym,region\n", "code,round,status\n", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (vw_table_build ("participation_by_residence", empty, NULL, &error));
  g_assert_cmpstr (error->message, ==, "the records have no rounds");
  g_clear_error (&error);

  /* Tables of nothing: zero rows, no percentages of 0. */
  {
    g_autoptr(VwTable) table = vw_table_build ("participation", empty, NULL, &error);
    g_autofree char *text = vw_table_to_csv (table);

    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "category,n,percent\nwerk,0,\ndagbesteding,0,\nvrijwilligerswerk,0,\ngeen,0,\nonbekend,0,\n");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tables/attendance", test_tables_attendance);
  g_test_add_func ("/tables/rounds-attended", test_tables_rounds_attended);
  g_test_add_func ("/tables/trajectories", test_tables_trajectories);
  g_test_add_func ("/tables/overrides", test_tables_overrides);
  g_test_add_func ("/tables/participation", test_tables_participation);
  g_test_add_func ("/tables/participation-by-residence", test_tables_participation_by_residence);
  g_test_add_func ("/tables/by-trajectory", test_tables_by_trajectory);
  g_test_add_func ("/tables/text", test_tables_text);
  g_test_add_func ("/tables/percent", test_tables_percent);
  g_test_add_func ("/tables/sum-checks", test_tables_sum_checks);
  g_test_add_func ("/tables/errors", test_tables_errors);

  return g_test_run ();
}
