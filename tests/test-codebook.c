/* The core codebook as data: the names and codes of ../shared/codebook.md,
 * and the classification rules built on them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-core.h"

typedef struct
{
  const char *list;
  const char *codes; /* space-separated, in codebook order */
} ExpectedList;

/* Transcribed from codebook.md sections 2-4 and 6, so that an edit of
 * core.json that changes a normative code fails here. */
static const ExpectedList expected_lists[] = {
  { "region", "DH FL GV MB ZK WL UT" },
  { "origin", "centrumgemeente regiogemeente buiten_regio onbekend" },
  { "ja_nee_niet_besproken", "ja nee niet_besproken" },
  { "status", "interviewed declined unreachable deceased admitted withdrawn not_approached" },
  { "residence", "mo bw omklap housing_first eigen_woning tijdelijk netwerk straat nachtopvang detentie instelling onbekend" },
  { "participation", "betaald_werk beschut_werk opleiding werk_zoekend vrijwilligerswerk dagbesteding geen onbekend" },
  { "participation_fit", "passend doorontwikkelen niet_passend niet_participerend zoekend onbekend" },
  { "ja_nee_onbekend", "ja nee onbekend" },
  { "money_management", "zelf bewindvoering budgetbeheer familie_anders onbekend" },
  { "income", "uitkering werk geen anders onbekend" },
  { "indication", "wmo_bw wlz geen onbekend" },
  { "consent", "ja nee ingetrokken" },
  { "age_band_dh", "lt30 30_44 45_64 65plus" },
  { "age_band_gv", "lt35 35_55 56plus" },
  { "woonsituatie", "BW MO ZW overig" },
  { "participation_dh", "werk dagbesteding vrijwilligerswerk geen onbekend" },
  { "participation_fl", "betaald_werk vrijwilligerswerk dagbesteding opleiding geen onbekend" },
  { "trajectory", "uitstroom_woning onderbroken langdurig_verblijf stabiel_gehuisvest niet_te_classificeren" },
  { "trajectory_subtype", "omklap eigen_naam" },
};

static const struct {
  const char *name;
  VwVariableScope scope;
  const char *codes;
} expected_variables[] = {
  { "code", VW_VARIABLE_SCOPE_IDENTIFIER, NULL },
  { "pseudonym", VW_VARIABLE_SCOPE_IDENTIFIER, NULL },
  { "region", VW_VARIABLE_SCOPE_IDENTIFIER, "region" },
  { "round", VW_VARIABLE_SCOPE_IDENTIFIER, NULL },
  { "municipality", VW_VARIABLE_SCOPE_PARTICIPANT, NULL },
  { "origin", VW_VARIABLE_SCOPE_PARTICIPANT, "origin" },
  { "birth_year", VW_VARIABLE_SCOPE_PARTICIPANT, NULL },
  { "hist_street", VW_VARIABLE_SCOPE_PARTICIPANT, "ja_nee_niet_besproken" },
  { "hist_youthcare_placement", VW_VARIABLE_SCOPE_PARTICIPANT, "ja_nee_niet_besproken" },
  { "hist_unsafe_home", VW_VARIABLE_SCOPE_PARTICIPANT, "ja_nee_niet_besproken" },
  { "hist_remigration", VW_VARIABLE_SCOPE_PARTICIPANT, "ja_nee_niet_besproken" },
  { "status", VW_VARIABLE_SCOPE_ROUND, "status" },
  { "date", VW_VARIABLE_SCOPE_ROUND, NULL },
  { "residence", VW_VARIABLE_SCOPE_ROUND, "residence" },
  { "residence_since", VW_VARIABLE_SCOPE_ROUND, NULL },
  { "participation", VW_VARIABLE_SCOPE_ROUND, "participation" },
  { "participation_fit", VW_VARIABLE_SCOPE_ROUND, "participation_fit" },
  { "debts", VW_VARIABLE_SCOPE_ROUND, "ja_nee_onbekend" },
  { "money_management", VW_VARIABLE_SCOPE_ROUND, "money_management" },
  { "income", VW_VARIABLE_SCOPE_ROUND, "income" },
  { "indication", VW_VARIABLE_SCOPE_ROUND, "indication" },
  { "consent_research", VW_VARIABLE_SCOPE_ROUND, "consent" },
  { "consent_wmo_linkage", VW_VARIABLE_SCOPE_ROUND, "consent" },
  { "attempts", VW_VARIABLE_SCOPE_ROUND, NULL },
};

static void
test_codebook_code_lists (void)
{
  VwCodebook *cb = vw_codebook_get_core ();

  for (gsize i = 0; i < G_N_ELEMENTS (expected_lists); i++)
    {
      const VwCodeList *list = vw_codebook_get_code_list (cb, expected_lists[i].list);
      g_auto(GStrv) codes = g_strsplit (expected_lists[i].codes, " ", -1);

      g_assert_nonnull (list);
      g_assert_cmpuint (vw_code_list_get_n_codes (list), ==, g_strv_length (codes));
      for (guint c = 0; codes[c] != NULL; c++)
        {
          const VwCode *code = vw_code_list_get_code (list, c);

          g_assert_cmpstr (vw_code_get_code (code), ==, codes[c]);
          /* Every code has a Dutch and an English label. */
          g_assert_nonnull (vw_code_get_label (code, "nl"));
          g_assert_nonnull (vw_code_get_label (code, "en"));
          g_assert_cmpstr (vw_code_get_label (code, "nl"), !=, "");
        }
    }
}

static void
test_codebook_variables (void)
{
  VwCodebook *cb = vw_codebook_get_core ();
  guint n = 0;
  const VwVariable *all = vw_codebook_get_variables (cb, &n);
  guint recorded = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (expected_variables); i++)
    {
      const VwVariable *var = vw_codebook_get_variable (cb, expected_variables[i].name);

      g_assert_nonnull (var);
      g_assert_cmpint (var->scope, ==, expected_variables[i].scope);
      g_assert_cmpstr (var->codes, ==, expected_variables[i].codes);
    }

  for (guint i = 0; i < n; i++)
    if (all[i].scope != VW_VARIABLE_SCOPE_DERIVED)
      recorded++;
  g_assert_cmpuint (recorded, ==, G_N_ELEMENTS (expected_variables));
  g_assert_null (vw_codebook_get_variable (cb, "no_such_variable"));

  /* A count: a whole number with its range in the codebook. */
  g_assert_cmpstr (vw_codebook_get_variable (cb, "attempts")->type, ==, "integer");
  g_assert_cmpint (vw_codebook_get_variable (cb, "attempts")->minimum, ==, 0);
  g_assert_cmpint (vw_codebook_get_variable (cb, "attempts")->maximum, ==, 99);
}

static void
test_codebook_record_columns (void)
{
  VwCodebook *cb = vw_codebook_get_core ();
  const char * const *required = NULL;
  const char * const *columns;
  g_autofree char *joined = NULL;
  g_autofree char *joined_required = NULL;

  columns = vw_codebook_get_record_columns (cb, "participants.csv", &required);
  joined = g_strjoinv (",", (char **) columns);
  joined_required = g_strjoinv (",", (char **) required);
  g_assert_cmpstr (joined, ==, "code,pseudonym,region,municipality,origin,birth_year,hist_street,"
                               "hist_youthcare_placement,hist_unsafe_home,hist_remigration");
  g_assert_cmpstr (joined_required, ==, "code,pseudonym,region");

  g_clear_pointer (&joined, g_free);
  g_clear_pointer (&joined_required, g_free);
  columns = vw_codebook_get_record_columns (cb, "rounds.csv", &required);
  joined = g_strjoinv (",", (char **) columns);
  joined_required = g_strjoinv (",", (char **) required);
  g_assert_cmpstr (joined, ==, "code,round,status,date,residence,residence_since,participation,"
                               "participation_fit,debts,money_management,income,indication,"
                               "consent_research,consent_wmo_linkage,attempts");
  g_assert_cmpstr (joined_required, ==, "code,round,status");

  g_clear_pointer (&joined, g_free);
  columns = vw_codebook_get_record_columns (cb, "episodes.csv", NULL);
  joined = g_strjoinv (",", (char **) columns);
  g_assert_cmpstr (joined, ==, "code,start,end,residence");
}

static void
test_codebook_residence_classes (void)
{
  static const struct { const char *code; char cls; const char *roll_up; } cases[] = {
    { "mo", 'F', "MO" }, { "bw", 'F', "BW" },
    { "omklap", 'H', "ZW" }, { "housing_first", 'H', "ZW" }, { "eigen_woning", 'H', "ZW" },
    { "tijdelijk", 'E', "overig" }, { "netwerk", 'E', "overig" }, { "straat", 'E', "overig" },
    { "nachtopvang", 'E', "overig" }, { "detentie", 'E', "overig" }, { "instelling", 'E', "overig" },
    { "onbekend", 'U', "overig" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (vw_residence_class (cases[i].code), ==, cases[i].cls);
      g_assert_cmpstr (vw_residence_woonsituatie (cases[i].code), ==, cases[i].roll_up);
    }
  g_assert_cmpint (vw_residence_class ("MO"), ==, 0);
  g_assert_cmpint (vw_residence_class (NULL), ==, 0);
  g_assert_null (vw_residence_woonsituatie ("kasteel"));
}

static void
test_codebook_participation_rollups (void)
{
  static const struct { const char *code, *dh, *fl; } cases[] = {
    { "betaald_werk", "werk", "betaald_werk" },
    { "beschut_werk", "werk", "betaald_werk" },
    { "opleiding", "werk", "opleiding" },
    { "werk_zoekend", "werk", "geen" },
    { "vrijwilligerswerk", "vrijwilligerswerk", "vrijwilligerswerk" },
    { "dagbesteding", "dagbesteding", "dagbesteding" },
    { "geen", "geen", "geen" },
    { "onbekend", "onbekend", "onbekend" },
    { "", "onbekend", "onbekend" },
    { NULL, "onbekend", "onbekend" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (vw_participation_rollup (cases[i].code, "dh"), ==, cases[i].dh);
      g_assert_cmpstr (vw_participation_rollup (cases[i].code, "fl"), ==, cases[i].fl);
    }
  g_assert_null (vw_participation_rollup ("werk", "dh"));
}

static void
test_codebook_age_bands (void)
{
  /* Age is the interview year minus the birth year; edges on both sides. */
  g_assert_cmpstr (vw_age_band (1995, 2024, "dh"), ==, "lt30");
  g_assert_cmpstr (vw_age_band (1994, 2024, "dh"), ==, "30_44");
  g_assert_cmpstr (vw_age_band (1980, 2024, "dh"), ==, "30_44");
  g_assert_cmpstr (vw_age_band (1979, 2024, "dh"), ==, "45_64");
  g_assert_cmpstr (vw_age_band (1960, 2024, "dh"), ==, "45_64");
  g_assert_cmpstr (vw_age_band (1959, 2024, "dh"), ==, "65plus");
  g_assert_cmpstr (vw_age_band (1990, 2024, "gv"), ==, "lt35");
  g_assert_cmpstr (vw_age_band (1989, 2024, "gv"), ==, "35_55");
  g_assert_cmpstr (vw_age_band (1969, 2024, "gv"), ==, "35_55");
  g_assert_cmpstr (vw_age_band (1968, 2024, "gv"), ==, "56plus");
  g_assert_null (vw_age_band (1968, 2024, "xx"));
}

static void
test_codebook_rejects_bad_data (void)
{
  static const char *bad[] = {
    "{",
    "{\"variables\": []}",
    "{\"codelists\": {\"a\": [{\"code\": \"x\", \"label\": {\"nl\": \"x\", \"en\": \"x\"}},"
    " {\"code\": \"x\", \"label\": {\"nl\": \"y\", \"en\": \"y\"}}]}, \"variables\": []}",
    "{\"codelists\": {}, \"variables\": [{\"name\": \"v\", \"scope\": \"round\", \"type\": \"choice\","
    " \"codes\": \"nope\", \"label\": {\"nl\": \"v\", \"en\": \"v\"}}]}",
    "{\"codelists\": {\"a\": [{\"code\": \"x\"}]}, \"variables\": []}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(VwCodebook) cb = vw_codebook_new_from_bytes (bytes, &error);

      g_assert_null (cb);
      g_assert_nonnull (error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/codebook/code-lists", test_codebook_code_lists);
  g_test_add_func ("/codebook/variables", test_codebook_variables);
  g_test_add_func ("/codebook/record-columns", test_codebook_record_columns);
  g_test_add_func ("/codebook/residence-classes", test_codebook_residence_classes);
  g_test_add_func ("/codebook/participation-rollups", test_codebook_participation_rollups);
  g_test_add_func ("/codebook/age-bands", test_codebook_age_bands);
  g_test_add_func ("/codebook/rejects-bad-data", test_codebook_rejects_bad_data);

  return g_test_run ();
}
