/* The trajectory rules of codebook section 6: every rule of dh3 and fl4,
 * their order, the sequence building, the parameters, the long-stay flag
 * and overrides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "vw-core.h"
#include "vw-resources.h"

#define CODE "DH-7K3QM"

typedef struct
{
  VwRecords        *records;
  VwClassification *classification;
  VwTrajectory     *trajectory;
} Case;

static void
case_clear (Case *c)
{
  g_clear_pointer (&c->trajectory, vw_trajectory_free);
  g_clear_pointer (&c->classification, vw_classification_free);
  g_clear_pointer (&c->records, vw_records_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Case, case_clear)

/* @rounds: lines "round,status,date,residence,residence_since";
 * @episodes: lines "start,end,residence"; both for participant CODE. */
static void
case_init (Case                     *c,
           const char               *rounds,
           const char               *episodes,
           VwRuleSet                 rules,
           const VwTrajectoryParams *params)
{
  g_autoptr(GString) r = g_string_new ("code,round,status,date,residence,residence_since\n");
  g_autoptr(GString) e = g_string_new ("code,start,end,residence\n");
  g_auto(GStrv) round_lines = g_strsplit (rounds, "\n", -1);
  g_auto(GStrv) episode_lines = g_strsplit (episodes ? episodes : "", "\n", -1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; round_lines[i] != NULL; i++)
    if (*round_lines[i] != '\0')
      g_string_append_printf (r, CODE ",%s\n", round_lines[i]);
  for (guint i = 0; episode_lines[i] != NULL; i++)
    if (*episode_lines[i] != '\0')
      g_string_append_printf (e, CODE ",%s\n", episode_lines[i]);

  c->records = vw_records_new_from_csv ("code,pseudonym,region\n" CODE ",Tom,DH\n", r->str, e->str, NULL, &error);
  g_assert_no_error (error);
  c->classification = vw_classification_new (c->records, rules, params);
  c->trajectory = vw_classification_explain (c->classification, CODE, &error);
  g_assert_no_error (error);
}

/* Classifies and checks the type, subtype, rule and the flag; returns the
 * matched rule's explanation for further checks. */
static void
check (const char               *rounds,
       const char               *episodes,
       VwRuleSet                 rules,
       const VwTrajectoryParams *params,
       VwTrajectoryType          type,
       VwTrajectorySubtype       subtype,
       guint                     rule,
       const char               *reason)
{
  g_auto(Case) c = { 0 };
  const VwTrajectoryResult *result;

  case_init (&c, rounds, episodes, rules, params);
  result = vw_trajectory_get_result (c.trajectory);
  if (g_test_verbose ())
    {
      g_autofree char *text = vw_trajectory_to_string (c.trajectory);
      g_test_message ("%s", text);
    }

  g_assert_cmpstr (vw_trajectory_type_to_string (result->derived), ==, vw_trajectory_type_to_string (type));
  g_assert_cmpint (result->derived_subtype, ==, subtype);
  g_assert_cmpuint (result->rule, ==, rule);
  if (reason != NULL)
    g_assert_cmpstr (vw_trajectory_get_reason (c.trajectory), ==, reason);
  /* The classification of all participants agrees with the explanation. */
  g_assert_cmpint (vw_classification_get (c.classification, 0)->derived, ==, type);
  g_assert_cmpuint (vw_classification_get (c.classification, 0)->rule, ==, rule);
  g_assert_false (result->overridden);
  g_assert_cmpint (result->final, ==, type);
}

static gboolean
flag (const char               *rounds,
      const char               *episodes,
      const VwTrajectoryParams *params)
{
  g_auto(Case) c = { 0 };
  gboolean dh3, fl4;

  case_init (&c, rounds, episodes, VW_RULE_SET_DH3, params);
  dh3 = vw_trajectory_get_result (c.trajectory)->long_stay;
  case_clear (&c);
  /* The flag is the same under both rule sets. */
  case_init (&c, rounds, episodes, VW_RULE_SET_FL4, params);
  fl4 = vw_trajectory_get_result (c.trajectory)->long_stay;
  g_assert_cmpint (dh3, ==, fl4);
  return dh3;
}

#define DH3 VW_RULE_SET_DH3
#define FL4 VW_RULE_SET_FL4
#define UW VW_TRAJECTORY_UITSTROOM_WONING
#define OND VW_TRAJECTORY_ONDERBROKEN
#define LV VW_TRAJECTORY_LANGDURIG_VERBLIJF
#define SG VW_TRAJECTORY_STABIEL_GEHUISVEST
#define NTC VW_TRAJECTORY_NIET_TE_CLASSIFICEREN
#define NONE VW_SUBTYPE_NONE

/* dh3 */

static void
test_dh3_rule1 (void)
{
  /* One interview, nothing before it: even years of BW do not count. */
  check ("T0,interviewed,2019-03-10,bw,2016-04", NULL, DH3, NULL, NTC, NONE, 1,
         "dh3 rule 1: one interview and no known stay before it");
  /* No interview at all, whatever the episodes say. */
  check ("T0,declined,,,\nT1,unreachable,,,", "2017-01,2018-12,mo", DH3, NULL, NTC, NONE, 1,
         "dh3 rule 1: no interview");
  /* Only interviews count: declined and unreachable rounds do not. */
  check ("T0,interviewed,2019-03-10,mo,2018-01\nT1,declined,2020-03-01,mo,\nT2,unreachable,,,",
         NULL, DH3, NULL, NTC, NONE, 1, NULL);
  /* An unknown stay before the interview is no history. */
  check ("T0,interviewed,2019-03-10,bw,", "2017-01,2018-12,onbekend", DH3, NULL, NTC, NONE, 1, NULL);
  /* An episode after the only interview is not a stay before it. */
  check ("T0,interviewed,2019-03-10,mo,", "2019-06,,straat", DH3, NULL, NTC, NONE, 1, NULL);
}

static void
test_dh3_single_interview_with_history (void)
{
  /* A single interview with an earlier stay: rule 1 does not apply. */
  check ("T0,interviewed,2019-03-10,eigen_woning,2019-01", "2017-01,2018-12,mo", DH3, NULL,
         UW, VW_SUBTYPE_EIGEN_NAAM, 2, "dh3 rule 2: ends in H (eigen_woning since 2019-01) after F (mo)");
  check ("T0,interviewed,2019-03-10,mo,2019-01", "2017-01,2018-12,straat", DH3, NULL, NTC, NONE, 5,
         "dh3 rule 5: ends in F (mo since 2019-01) with no earlier departure, but 2 months at the last "
         "interview (2019-03) is not more than 12");
}

static void
test_dh3_rule2 (void)
{
  /* Worked example: years in BW, then an own home. */
  check ("T0,interviewed,2019-03-10,bw,2016-04\n"
         "T1,interviewed,2020-03-02,bw,\n"
         "T2,interviewed,2021-04-20,eigen_woning,2021-03", NULL, DH3, NULL,
         UW, VW_SUBTYPE_EIGEN_NAAM, 2, "dh3 rule 2: ends in H (eigen_woning since 2021-03) after F (bw)");
  /* Subtype omklap for omklap and for housing_first. */
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,omklap,2019-09", NULL, DH3, NULL,
         UW, VW_SUBTYPE_OMKLAP, 2, NULL);
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,housing_first,2019-09", NULL, DH3, NULL,
         UW, VW_SUBTYPE_OMKLAP, 2, NULL);
  /* The merged final H carries its latest part: omklap, then a home in
   * one's own name, is eigen_naam; and the other way round, omklap. */
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,omklap,2019-09\n"
         "T2,interviewed,2021-03-02,eigen_woning,2021-01", NULL, DH3, NULL,
         UW, VW_SUBTYPE_EIGEN_NAAM, 2, "dh3 rule 2: ends in H (eigen_woning since 2019-09) after F (mo)");
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,eigen_woning,2019-09\n"
         "T2,interviewed,2021-03-02,housing_first,2021-01", NULL, DH3, NULL,
         UW, VW_SUBTYPE_OMKLAP, 2, NULL);
  /* The F may be anywhere before the final H, here before an E. */
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,netwerk,2019-05\n"
         "T2,interviewed,2021-03-02,eigen_woning,2021-01", NULL, DH3, NULL,
         UW, VW_SUBTYPE_EIGEN_NAAM, 2, NULL);
}

static void
test_dh3_rule3 (void)
{
  /* Worked example: MO, a home, eviction (the street), back in MO. */
  check ("T0,interviewed,2019-03-10,mo,2019-01\nT1,interviewed,2020-05-02,mo,2020-04",
         "2019-06,2020-01,eigen_woning\n2020-01,2020-04,straat", DH3, NULL, OND, NONE, 3,
         "dh3 rule 3: ends in F (mo since 2020-04) after leaving a facility: F (mo), then E (straat), then F again");
  /* F, E, F. */
  check ("T0,interviewed,2019-03-10,bw,\nT1,interviewed,2020-03-02,detentie,2019-11\n"
         "T2,interviewed,2021-03-02,bw,2020-06", NULL, DH3, NULL, OND, NONE, 3, NULL);
}

static void
test_dh3_rule4 (void)
{
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,straat,2019-08", NULL, DH3, NULL,
         OND, NONE, 4, "dh3 rule 4: ends in E (straat since 2019-08) after F (mo)");
  /* F, H, E: ends in E with an F before it. */
  check ("T0,interviewed,2019-03-10,bw,\nT1,interviewed,2020-03-02,eigen_woning,2019-08\n"
         "T2,interviewed,2021-03-02,netwerk,2021-01", NULL, DH3, NULL, OND, NONE, 4, NULL);
}

static void
test_dh3_rule5 (void)
{
  /* MO: more than 12 months is long; 12 months is not. */
  check ("T0,interviewed,2019-03-10,mo,2018-01\nT1,interviewed,2020-03-02,mo,", NULL, DH3, NULL,
         LV, NONE, 5, "dh3 rule 5: ends in F (mo since 2018-01) with no earlier departure; 26 months at "
         "the last interview (2020-03) is more than 12");
  check ("T0,interviewed,2019-03-10,mo,2019-03\nT1,interviewed,2020-03-02,mo,", NULL, DH3, NULL,
         NTC, NONE, 5, NULL);
  check ("T0,interviewed,2019-03-10,mo,2019-02\nT1,interviewed,2020-03-02,mo,", NULL, DH3, NULL,
         LV, NONE, 5, NULL);
  /* BW: any length above 0 whole months… */
  check ("T0,interviewed,2019-03-10,straat,\nT1,interviewed,2020-03-02,bw,2020-02", NULL, DH3, NULL,
         LV, NONE, 5, "dh3 rule 5: ends in F (bw since 2020-02) with no earlier departure; 1 month at "
         "the last interview (2020-03) is more than 0");
  /* …but "more than 0" is literal: a BW stay that began in the month of
   * the last interview has lasted 0 whole months. */
  check ("T0,interviewed,2019-03-10,straat,\nT1,interviewed,2020-03-02,bw,", NULL, DH3, NULL,
         NTC, NONE, 5, NULL);
  /* From home into BW is no departure from a facility: rule 5, not 3.
   * So "home, eviction, back in MO" without an earlier facility is not
   * onderbroken under dh3 (it is under fl4, see below). */
  check ("T0,interviewed,2019-03-10,eigen_woning,\nT1,interviewed,2020-03-02,mo,2019-12",
         "2019-06,2019-12,straat", DH3, NULL, NTC, NONE, 5, NULL);
}

static void
test_dh3_rule6 (void)
{
  check ("T0,interviewed,2019-03-10,eigen_woning,\nT1,interviewed,2020-03-02,eigen_woning,", NULL, DH3, NULL,
         NTC, NONE, 6, "dh3 rule 6: no rule applies to a sequence that ends in H without an F before it");
  check ("T0,interviewed,2019-03-10,eigen_woning,\nT1,interviewed,2020-03-02,netwerk,2019-10", NULL, DH3, NULL,
         NTC, NONE, 6, "dh3 rule 6: no rule applies to a sequence that ends in E without an F before it");
  /* Every stay unknown: nothing is left of the sequence. */
  check ("T0,interviewed,2019-03-10,onbekend,\nT1,interviewed,2020-03-02,,", NULL, DH3, NULL,
         NTC, NONE, 6, "dh3 rule 6: no known stay");
}

/* A case that two rules would match goes to the first. */
static void
test_dh3_order (void)
{
  /* Rules 1 and 5 (a single interview, BW for years): rule 1. */
  check ("T0,interviewed,2019-03-10,bw,2010-01", NULL, DH3, NULL, NTC, NONE, 1, NULL);
  /* Rules 3 and 5 (left MO, came back, now long in MO): rule 3. */
  check ("T0,interviewed,2015-03-10,mo,\nT1,interviewed,2016-03-02,eigen_woning,2015-09\n"
         "T2,interviewed,2020-03-02,mo,2016-06", NULL, DH3, NULL, OND, NONE, 3, NULL);
  /* Rules 4 and 6 would both say something about a final E: rule 4. */
  check ("T0,interviewed,2019-03-10,bw,\nT1,interviewed,2020-03-02,instelling,2019-05", NULL, DH3, NULL,
         OND, NONE, 4, NULL);
}

/* fl4 */

static void
test_fl4_rules (void)
{
  check ("T0,interviewed,2019-03-10,mo,2010-01", NULL, FL4, NULL, NTC, NONE, 1,
         "fl4 rule 1: fewer than two interviews (1)");
  /* Rule 1 even with earlier episodes (unlike dh3). */
  check ("T0,interviewed,2019-03-10,eigen_woning,", "2017-01,2018-12,mo", FL4, NULL, NTC, NONE, 1, NULL);

  /* Rule 2: each of the three setbacks. */
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,straat,2019-06", NULL, FL4, NULL,
         OND, NONE, 2, "fl4 rule 2: the last interview is in E (straat) and the sequence goes from F (mo) "
         "to E (straat)");
  check ("T0,interviewed,2019-03-10,omklap,\nT1,interviewed,2020-03-02,netwerk,2019-06", NULL, FL4, NULL,
         OND, NONE, 2, NULL);
  /* Worked example: home, eviction, back in MO. */
  check ("T0,interviewed,2019-03-10,eigen_woning,\nT1,interviewed,2020-03-02,mo,2019-12",
         "2019-06,2019-12,straat", FL4, NULL, OND, NONE, 2,
         "fl4 rule 2: the last interview is in F (mo) and the sequence goes from H (eigen_woning) to E (straat)");
  check ("T0,interviewed,2019-03-10,eigen_woning,\nT1,interviewed,2020-03-02,bw,2019-12", NULL, FL4, NULL,
         OND, NONE, 2, NULL);

  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,eigen_woning,2019-12", NULL, FL4, NULL,
         UW, NONE, 3, "fl4 rule 3: the first interview is in F (mo) and the last in H (eigen_woning)");
  check ("T0,interviewed,2019-03-10,omklap,\nT1,interviewed,2020-03-02,eigen_woning,2019-12", NULL, FL4, NULL,
         SG, NONE, 4, "fl4 rule 4: the first and the last interview are in H (omklap, eigen_woning)");
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,bw,2019-12", NULL, FL4, NULL,
         LV, NONE, 5, "fl4 rule 5: every stay in the sequence is F (bw since 2019-03)");
  check ("T0,interviewed,2019-03-10,straat,\nT1,interviewed,2020-03-02,eigen_woning,2019-12", NULL, FL4, NULL,
         NTC, NONE, 6, "fl4 rule 6: no rule applies (first interview in E, last in H)");
  check ("T0,interviewed,2019-03-10,straat,\nT1,interviewed,2020-03-02,nachtopvang,2019-12", NULL, FL4, NULL,
         NTC, NONE, 6, NULL);
  /* Every stay unknown: rule 5 needs at least one F. */
  check ("T0,interviewed,2019-03-10,onbekend,\nT1,interviewed,2020-03-02,onbekend,", NULL, FL4, NULL,
         NTC, NONE, 6, "fl4 rule 6: no rule applies (first interview in U, last in U)");
}

static void
test_fl4_order (void)
{
  /* Rules 1 and 5: a single interview in MO is rule 1. */
  check ("T0,interviewed,2019-03-10,mo,", NULL, FL4, NULL, NTC, NONE, 1, NULL);
  /* A setback while the last interview is at home is not rule 2: F, H, E,
   * H goes to rule 3; H, F, H to rule 4. */
  check ("T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,eigen_woning,2019-06\n"
         "T2,interviewed,2021-03-02,eigen_woning,2020-12", "2020-02,2020-12,netwerk", FL4, NULL,
         UW, NONE, 3, NULL);
  check ("T0,interviewed,2019-03-10,eigen_woning,\nT1,interviewed,2020-03-02,eigen_woning,2019-12",
         "2019-04,2019-12,mo", FL4, NULL, SG, NONE, 4, NULL);
  /* Rules 2 and 6 for a first F, last F with a setback between: rule 2,
   * not rule 5 (not every stay is F). */
  check ("T0,interviewed,2019-03-10,bw,\nT1,interviewed,2020-03-02,bw,2020-01", "2019-05,2020-01,detentie",
         FL4, NULL, OND, NONE, 2, NULL);
}

/* Sequence building. */

static void
test_sequence_building (void)
{
  g_auto(Case) c = { 0 };
  const VwStay *stays, *seq;
  guint n_stays, n_seq;

  /* U dropped before merging: F, U, F is one F stay from the first start. */
  check ("T0,interviewed,2018-03-10,mo,2018-01\nT1,interviewed,2019-03-02,onbekend,\n"
         "T2,interviewed,2020-03-02,mo,2019-08", NULL, DH3, NULL, LV, NONE, 5,
         "dh3 rule 5: ends in F (mo since 2018-01) with no earlier departure; 26 months at the last "
         "interview (2020-03) is more than 12");

  /* Merging keeps the first part's start and the latest part's code: MO,
   * then BW, is an F stay since the MO start with code bw. */
  case_init (&c, "T0,interviewed,2019-03-10,mo,2018-01\nT1,interviewed,2019-09-02,bw,2019-06", NULL, DH3, NULL);
  seq = vw_trajectory_get_sequence (c.trajectory, &n_seq);
  g_assert_cmpuint (n_seq, ==, 1);
  g_assert_cmpint (seq[0].cls, ==, 'F');
  g_assert_cmpstr (seq[0].residence, ==, "bw");
  g_assert_cmpint (seq[0].start, ==, vw_month_make (2018, 1));
  g_assert_cmpuint (seq[0].n_parts, ==, 2);
  g_assert_cmpstr (vw_trajectory_get_reason (c.trajectory), ==,
                   "dh3 rule 5: ends in F (bw since 2018-01) with no earlier departure; 20 months at the last "
                   "interview (2019-09) is more than 0");
  case_clear (&c);

  /* residence_since before earlier episodes: time order is by start
   * month, as written, so the interview's MO stay (since 2018-06) comes
   * before the street episode of 2019, and the sequence ends in E. */
  case_init (&c, "T0,interviewed,2020-01-15,mo,2018-06", "2019-01,2019-06,straat", DH3, NULL);
  stays = vw_trajectory_get_stays (c.trajectory, &n_stays);
  g_assert_cmpuint (n_stays, ==, 2);
  g_assert_cmpint (stays[0].source, ==, VW_STAY_INTERVIEW);
  g_assert_cmpint (stays[1].source, ==, VW_STAY_EPISODE);
  g_assert_cmpstr (vw_trajectory_get_reason (c.trajectory), ==,
                   "dh3 rule 4: ends in E (straat since 2019-01) after F (mo)");
  case_clear (&c);

  /* An interview without residence_since starts its stay at its month;
   * an episode starting in that month comes first. E, F, H: rule 2. */
  check ("T0,interviewed,2018-03-10,straat,\nT1,interviewed,2019-03-20,eigen_woning,",
         "2019-03,2019-03,mo", DH3, NULL, UW, VW_SUBTYPE_EIGEN_NAAM, 2, NULL);

  /* The stays list keeps every known stay, marked. */
  case_init (&c, "T0,interviewed,2019-03-10,bw,2016-04\nT1,interviewed,2020-03-02,bw,\n"
                 "T2,interviewed,2021-04-20,eigen_woning,2021-03", "2021-04,,onbekend", DH3, NULL);
  stays = vw_trajectory_get_stays (c.trajectory, &n_stays);
  g_assert_cmpuint (n_stays, ==, 4);
  g_assert_cmpuint (stays[0].n_parts, ==, 1);
  g_assert_cmpuint (stays[1].n_parts, ==, 0); /* merged */
  g_assert_cmpuint (stays[2].n_parts, ==, 1);
  g_assert_cmpint (stays[3].cls, ==, 'U');
}

static void
test_parameters (void)
{
  VwTrajectoryParams params;
  const char *mo_26_months = "T0,interviewed,2019-03-10,mo,2018-01\nT1,interviewed,2020-03-02,mo,";
  const char *bw_13_months = "T0,interviewed,2018-06-10,straat,\nT1,interviewed,2020-03-02,bw,2019-02";

  vw_trajectory_params_init (&params);
  check (mo_26_months, NULL, DH3, &params, LV, NONE, 5, NULL);
  params.mo_long_months = 26;
  check (mo_26_months, NULL, DH3, &params, NTC, NONE, 5, NULL);
  params.mo_long_months = 25;
  check (mo_26_months, NULL, DH3, &params, LV, NONE, 5, NULL);

  vw_trajectory_params_init (&params);
  check (bw_13_months, NULL, DH3, &params, LV, NONE, 5, NULL);
  params.bw_long_months = 13;
  check (bw_13_months, NULL, DH3, &params, NTC, NONE, 5, NULL);
  /* The mo parameter does not touch a bw stay. */
  params.bw_long_months = 0;
  params.mo_long_months = 100;
  check (bw_13_months, NULL, DH3, &params, LV, NONE, 5, NULL);
}

/* The defaults are those of the codebook, in core.json too. */
static void
test_parameter_defaults (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (vw_core_get_resource (), VW_RESOURCE_CORE_CODEBOOK,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  VwTrajectoryParams params;
  JsonObject *root, *defaults;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error));
  root = json_node_get_object (json_parser_get_root (parser));
  defaults = json_object_get_object_member (root, "trajectory_parameters");
  vw_trajectory_params_init (&params);
  g_assert_cmpint (params.mo_long_months, ==, json_object_get_int_member (defaults, "mo_long_months"));
  g_assert_cmpint (params.bw_long_months, ==, json_object_get_int_member (defaults, "bw_long_months"));
  g_assert_cmpint (params.mo_flag_weeks, ==, json_object_get_int_member (defaults, "mo_flag_weeks"));
  g_assert_cmpint (params.bw_flag_months, ==, json_object_get_int_member (defaults, "bw_flag_months"));
  /* And as the codebook's text says. */
  g_assert_cmpint (params.mo_long_months, ==, 12);
  g_assert_cmpint (params.bw_long_months, ==, 0);
  g_assert_cmpint (params.mo_flag_weeks, ==, 12);
  g_assert_cmpint (params.bw_flag_months, ==, 12);
}

static void
test_long_stay_flag (void)
{
  VwTrajectoryParams params;

  /* MO, 12 weeks: 2 months (8.7 weeks) is not more, 3 months (13 weeks) is. */
  g_assert_false (flag ("T0,interviewed,2019-03-10,mo,2019-01", NULL, NULL));
  g_assert_true (flag ("T0,interviewed,2019-03-10,mo,2018-12", NULL, NULL));
  /* BW, 12 months: 12 is not more, 13 is. */
  g_assert_false (flag ("T0,interviewed,2019-03-10,bw,2018-03", NULL, NULL));
  g_assert_true (flag ("T0,interviewed,2019-03-10,bw,2018-02", NULL, NULL));
  /* Not a facility at the end: no flag, however long. */
  g_assert_false (flag ("T0,interviewed,2019-03-10,eigen_woning,2010-01", NULL, NULL));
  g_assert_false (flag ("T0,interviewed,2019-03-10,straat,2010-01", NULL, NULL));
  /* No interview: nothing to measure to. */
  g_assert_false (flag ("T0,declined,,,", "2010-01,,mo", NULL));

  /* The thresholds are parameters: 13 weeks makes 3 months (13 weeks)
   * not more, 4 months (17.3 weeks) more. */
  vw_trajectory_params_init (&params);
  params.mo_flag_weeks = 13;
  g_assert_false (flag ("T0,interviewed,2019-03-10,mo,2018-12", NULL, &params));
  g_assert_true (flag ("T0,interviewed,2019-03-10,mo,2018-11", NULL, &params));
  params.bw_flag_months = 24;
  g_assert_false (flag ("T0,interviewed,2019-03-10,bw,2017-03", NULL, &params));
  g_assert_true (flag ("T0,interviewed,2019-03-10,bw,2017-02", NULL, &params));
}

static void
test_overrides (void)
{
  g_auto(Case) c = { 0 };
  g_autoptr(VwTrajectory) explained = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const VwTrajectoryResult *result;

  case_init (&c, "T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,straat,2019-08", NULL, DH3, NULL);

  /* Refused: not a dh3 type, a missing or needless subtype, no reason,
   * an unknown participant. Nothing changes. */
  g_assert_false (vw_classification_set_override (c.classification, CODE, "stabiel_gehuisvest", NULL, "x", &error));
  g_assert_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“stabiel_gehuisvest” is not a type of the rule set dh3; its types are: "
                                       "uitstroom_woning, onderbroken, langdurig_verblijf, niet_te_classificeren");
  g_clear_error (&error);
  g_assert_false (vw_classification_set_override (c.classification, CODE, "uitstroom_woning", NULL, "x", &error));
  g_assert_cmpstr (error->message, ==, "an override to uitstroom_woning under dh3 needs the subtype omklap or eigen_naam");
  g_clear_error (&error);
  g_assert_false (vw_classification_set_override (c.classification, CODE, "onderbroken", "omklap", "x", &error));
  g_assert_cmpstr (error->message, ==, "onderbroken has no subtypes under dh3");
  g_clear_error (&error);
  g_assert_false (vw_classification_set_override (c.classification, CODE, "langdurig_verblijf", NULL, "  ", &error));
  g_assert_cmpstr (error->message, ==, "an override needs a reason");
  g_clear_error (&error);
  g_assert_false (vw_classification_set_override (c.classification, "DH-00000", "onderbroken", NULL, "x", &error));
  g_assert_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (vw_classification_get (c.classification, 0)->overridden);

  /* Accepted: the final type changes, the derived one stays. */
  g_assert_true (vw_classification_set_override (c.classification, CODE, "uitstroom_woning", "omklap",
                                                 " Lives in an omklapwoning since May; the street was one night. ",
                                                 &error));
  g_assert_no_error (error);
  result = vw_classification_get (c.classification, 0);
  g_assert_true (result->overridden);
  g_assert_cmpint (result->derived, ==, OND);
  g_assert_cmpint (result->final, ==, UW);
  g_assert_cmpint (result->final_subtype, ==, VW_SUBTYPE_OMKLAP);
  g_assert_cmpstr (result->override_reason, ==, "Lives in an omklapwoning since May; the street was one night.");

  explained = vw_classification_explain (c.classification, CODE, &error);
  g_assert_no_error (error);
  text = vw_trajectory_to_string (explained);
  g_assert_nonnull (strstr (text, "Derived type: onderbroken\n"));
  g_assert_nonnull (strstr (text, "Final type: uitstroom_woning (omklap) (override by the coordinator: "
                                  "Lives in an omklapwoning since May; the street was one night.)\n"));

  /* Under fl4 uitstroom_woning has no subtype. */
  case_clear (&c);
  case_init (&c, "T0,interviewed,2019-03-10,mo,\nT1,interviewed,2020-03-02,straat,2019-08", NULL, FL4, NULL);
  g_assert_true (vw_classification_set_override (c.classification, CODE, "stabiel_gehuisvest", NULL, "ok", &error));
  g_assert_no_error (error);
  g_assert_false (vw_classification_set_override (c.classification, CODE, "uitstroom_woning", "omklap", "ok", &error));
  g_assert_cmpstr (error->message, ==, "uitstroom_woning has no subtypes under fl4");
}

static void
test_explanation_text (void)
{
  g_auto(Case) c = { 0 };
  g_autofree char *text = NULL;

  case_init (&c, "T0,interviewed,2019-03-10,bw,2016-04\nT1,interviewed,2020-03-02,bw,\n"
                 "T2,interviewed,2021-04-20,eigen_woning,2021-03\nT3,declined,,,",
             "2015-01,2016-04,straat\n2021-05,,onbekend", DH3, NULL);
  text = vw_trajectory_to_string (c.trajectory);
  g_assert_cmpstr (text, ==,
                   "Participant DH-7K3QM, rule set dh3\n"
                   "Interviews: 3 (first 2019-03, last 2021-04)\n"
                   "Known stays in time order:\n"
                   "  2015-01  E  straat         episode (episodes.csv line 2)\n"
                   "  2016-04  F  bw             interview T0\n"
                   "  2020-03  F  bw             interview T1 — merged into the stay before\n"
                   "  2021-03  H  eigen_woning   interview T2\n"
                   "  2021-05  U  onbekend       episode (episodes.csv line 3) — dropped: unknown\n"
                   "Sequence: E (straat, 2015-01) → F (bw, 2016-04) → H (eigen_woning, 2021-03)\n"
                   "Rule: dh3 rule 2: ends in H (eigen_woning since 2021-03) after F (bw)\n"
                   "Derived type: uitstroom_woning (eigen_naam)\n"
                   "Final type: uitstroom_woning (eigen_naam)\n"
                   "Long-stay flag: no\n");
}

static void
test_rule_sets (void)
{
  const VwCodeList *types = vw_codebook_get_code_list (vw_codebook_get_core (), "trajectory");
  const VwTrajectoryType *order;
  g_autoptr(GError) error = NULL;
  VwRuleSet rules;
  guint n;

  /* The engine's types are the codebook's, in its order. */
  g_assert_cmpuint (vw_code_list_get_n_codes (types), ==, VW_TRAJECTORY_N_TYPES);
  for (guint i = 0; i < VW_TRAJECTORY_N_TYPES; i++)
    g_assert_cmpstr (vw_trajectory_type_to_string (i), ==, vw_code_get_code (vw_code_list_get_code (types, i)));

  /* Table order: the order of the rules, niet_te_classificeren last. */
  order = vw_rule_set_get_types (VW_RULE_SET_DH3, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (order[0], ==, UW);
  g_assert_cmpint (order[1], ==, OND);
  g_assert_cmpint (order[2], ==, LV);
  g_assert_cmpint (order[3], ==, NTC);
  order = vw_rule_set_get_types (VW_RULE_SET_FL4, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (order[0], ==, OND);
  g_assert_cmpint (order[1], ==, UW);
  g_assert_cmpint (order[2], ==, SG);
  g_assert_cmpint (order[3], ==, LV);
  g_assert_cmpint (order[4], ==, NTC);

  g_assert_true (vw_rule_set_from_string ("fl4", &rules, &error));
  g_assert_cmpint (rules, ==, VW_RULE_SET_FL4);
  g_assert_false (vw_rule_set_from_string ("dh4", &rules, &error));
  g_assert_cmpstr (error->message, ==, "unknown rule set “dh4”; the rule sets are dh3 and fl4");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/trajectory/dh3/rule1", test_dh3_rule1);
  g_test_add_func ("/trajectory/dh3/single-interview-with-history", test_dh3_single_interview_with_history);
  g_test_add_func ("/trajectory/dh3/rule2", test_dh3_rule2);
  g_test_add_func ("/trajectory/dh3/rule3", test_dh3_rule3);
  g_test_add_func ("/trajectory/dh3/rule4", test_dh3_rule4);
  g_test_add_func ("/trajectory/dh3/rule5", test_dh3_rule5);
  g_test_add_func ("/trajectory/dh3/rule6", test_dh3_rule6);
  g_test_add_func ("/trajectory/dh3/order", test_dh3_order);
  g_test_add_func ("/trajectory/fl4/rules", test_fl4_rules);
  g_test_add_func ("/trajectory/fl4/order", test_fl4_order);
  g_test_add_func ("/trajectory/sequence", test_sequence_building);
  g_test_add_func ("/trajectory/parameters", test_parameters);
  g_test_add_func ("/trajectory/parameter-defaults", test_parameter_defaults);
  g_test_add_func ("/trajectory/long-stay-flag", test_long_stay_flag);
  g_test_add_func ("/trajectory/overrides", test_overrides);
  g_test_add_func ("/trajectory/explanation", test_explanation_text);
  g_test_add_func ("/trajectory/rule-sets", test_rule_sets);

  return g_test_run ();
}
