/* Records in the vault: import of a records folder, export, reading them
 * back for the tables, with real vault files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

typedef struct
{
  char    *dir;
  char    *path;
  char    *study;
  VwVault *vault;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("vault-records-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.vault", NULL);
  f->vault = vw_test_create_vault (f->path, &f->study, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->vault != NULL)
    vw_vault_close (f->vault, NULL);
  g_clear_object (&f->vault);
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->study);
}

static char *
published_dir (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "records", name, NULL);
}

static void
import_ok (Fixture         *f,
           const char      *dir,
           VwImportSummary *summary)
{
  g_autoptr(GError) error = NULL;

  vw_vault_import_records_dir (f->vault, f->study, dir, summary, &error);
  g_assert_no_error (error);
}

static VwRecords *
load_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  VwRecords *records = vw_vault_load_records (f->vault, f->study, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static VwRecords *
load_dir_ok (const char *dir)
{
  g_autoptr(GError) error = NULL;
  VwRecords *records = vw_records_load_dir (dir, NULL, &error);

  g_assert_no_error (error);
  return records;
}

static void
assert_same_records (VwRecords *a,
                     VwRecords *b)
{
  for (guint file = 0; file < VW_RECORDS_N_FILES; file++)
    {
      g_autofree char *text_a = vw_records_format_csv (a, file);
      g_autofree char *text_b = vw_records_format_csv (b, file);

      g_assert_cmpstr (text_a, ==, text_b);
    }
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
make_records_dir (Fixture    *f,
                  const char *name,
                  const char *participants,
                  const char *rounds,
                  const char *episodes)
{
  char *dir = g_build_filename (f->dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_file (dir, "participants.csv", participants);
  write_file (dir, "rounds.csv", rounds);
  if (episodes != NULL)
    write_file (dir, "episodes.csv", episodes);
  return dir;
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  sqlite3 *db = vw_test_raw_open (f->path);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Everything that would show a write: rows, revisions, the audit trail. */
static char *
vault_state (Fixture *f)
{
  return g_strdup_printf ("participants %" G_GINT64_FORMAT " values %" G_GINT64_FORMAT
                          " interviews %" G_GINT64_FORMAT " answers %" G_GINT64_FORMAT
                          " episodes %" G_GINT64_FORMAT " rounds %" G_GINT64_FORMAT " audit %" G_GINT64_FORMAT
                          " revisions %" G_GINT64_FORMAT,
                          count_rows (f, "SELECT COUNT(*) FROM participants"),
                          count_rows (f, "SELECT COUNT(*) FROM participant_values"),
                          count_rows (f, "SELECT COUNT(*) FROM interviews"),
                          count_rows (f, "SELECT COUNT(*) FROM answers"),
                          count_rows (f, "SELECT COUNT(*) FROM episodes"),
                          count_rows (f, "SELECT COUNT(*) FROM rounds"),
                          count_rows (f, "SELECT COUNT(*) FROM audit"),
                          count_rows (f, "SELECT (SELECT TOTAL(revision) FROM participants) + "
                                         "(SELECT TOTAL(revision) FROM participant_values) + "
                                         "(SELECT TOTAL(revision) FROM interviews) + "
                                         "(SELECT TOTAL(revision) FROM answers) + "
                                         "(SELECT TOTAL(revision) FROM episodes)"));
}

/* The published fixtures go in and come out the same, and the tables
 * counted from the vault are the tables counted from the folder. */
static void
test_published (Fixture       *f,
                gconstpointer  data)
{
  const char *name = data;
  g_autofree char *dir = published_dir (name);
  g_autoptr(VwRecords) from_dir = load_dir_ok (dir);
  g_autoptr(VwRecords) from_vault = NULL;
  g_autoptr(GError) error = NULL;
  const guint *rounds;
  guint n_rounds;
  VwImportSummary summary;
  guint n_participants, n_rows, n_episodes;

  if (g_str_equal (name, "flevoland"))
    {
      vw_vault_add_study_region (f->vault, f->study, "FL", &error);
      g_assert_no_error (error);
    }
  import_ok (f, dir, &summary);
  vw_records_get_participants (from_dir, &n_participants);
  vw_records_get_rounds (from_dir, &n_rows);
  vw_records_get_episodes (from_dir, &n_episodes);
  g_assert_cmpuint (summary.participants_added, ==, n_participants);
  g_assert_cmpuint (summary.interviews_added, ==, n_rows);
  g_assert_cmpuint (summary.episodes_added, ==, n_episodes);
  g_assert_cmpuint (summary.participants_changed + summary.interviews_changed, ==, 0);

  from_vault = load_ok (f);
  assert_same_records (from_dir, from_vault);

  rounds = vw_records_get_round_numbers (from_dir, &n_rounds);
  for (const char * const *table = vw_table_get_names (); *table != NULL; table++)
    for (VwRuleSet rules = VW_RULE_SET_DH3; rules <= VW_RULE_SET_FL4; rules++)
      for (guint r = 0; r < n_rounds; r++)
        {
          VwTableOptions options = { .has_round = TRUE, .round = rounds[r], .rules = rules };
          g_autoptr(VwTable) a = vw_table_build (*table, from_dir, &options, &error);
          g_autoptr(VwTable) b = NULL;
          g_autofree char *csv_a = NULL, *csv_b = NULL;

          g_assert_no_error (error);
          b = vw_table_build (*table, from_vault, &options, &error);
          g_assert_no_error (error);
          csv_a = vw_table_to_csv (a);
          csv_b = vw_table_to_csv (b);
          g_assert_cmpstr (csv_a, ==, csv_b);
        }
}

/* Export, import into an empty vault, export again: the same bytes. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = published_dir ("denhaag");
  g_autofree char *out1 = g_build_filename (f->dir, "export1", NULL);
  g_autofree char *out2 = g_build_filename (f->dir, "export2", NULL);
  g_autofree char *path2 = g_build_filename (f->dir, "second.vault", NULL);
  g_autofree char *study2 = NULL;
  g_autoptr(VwVault) second = NULL;
  g_autoptr(VwRecords) fixture = load_dir_ok (dir);
  g_autoptr(VwRecords) exported = NULL;
  g_autoptr(GError) error = NULL;

  import_ok (f, dir, NULL);
  vw_vault_export_records (f->vault, f->study, out1, &error);
  g_assert_no_error (error);

  second = vw_test_create_vault (path2, &study2, NULL);
  vw_vault_import_records_dir (second, study2, out1, NULL, &error);
  g_assert_no_error (error);
  vw_vault_export_records (second, study2, out2, &error);
  g_assert_no_error (error);
  vw_vault_close (second, NULL);

  for (guint file = 0; file < VW_RECORDS_N_FILES; file++)
    {
      g_autofree char *a = g_build_filename (out1, vw_records_file_name (file), NULL);
      g_autofree char *b = g_build_filename (out2, vw_records_file_name (file), NULL);

      vw_test_assert_same_file (a, b);
    }

  /* And the export is the fixture, in the canonical form. */
  exported = load_dir_ok (out1);
  assert_same_records (fixture, exported);
}

/* The same files twice: nothing written the second time. */
static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = published_dir ("denhaag");
  g_autofree char *before = NULL, *after = NULL;
  VwImportSummary summary;

  import_ok (f, dir, &summary);
  g_assert_cmpuint (summary.rounds_added, >, 0);
  before = vault_state (f);
  import_ok (f, dir, &summary);
  after = vault_state (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (summary.participants_added + summary.participants_changed + summary.rounds_added +
                    summary.interviews_added + summary.interviews_changed + summary.episodes_added, ==, 0);
}

/* A second import with one changed value and one new row changes just
 * those, with a new revision for the changed one. */
static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = make_records_dir (f, "a",
                                         "code,pseudonym,region,origin\nDH-7K3QM,Tom,DH,centrumgemeente\n",
                                         "code,round,status,date,residence\nDH-7K3QM,T0,interviewed,2020-01-05,mo\n",
                                         "code,start,end,residence\nDH-7K3QM,2019-01,2019-06,straat\n");
  g_autofree char *b = make_records_dir (f, "b",
                                         "code,pseudonym,region,origin\nDH-7K3QM,Tom,DH,regiogemeente\n",
                                         "code,round,status,date,residence\nDH-7K3QM,T0,interviewed,2020-01-05,bw\n"
                                         "DH-7K3QM,T1,declined,,\n",
                                         "code,start,end,residence\nDH-7K3QM,2019-01,2019-06,straat\n"
                                         "DH-7K3QM,2019-06,2019-12,netwerk\n");
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *csv = NULL;
  VwImportSummary summary;

  import_ok (f, a, &summary);
  import_ok (f, b, &summary);
  g_assert_cmpuint (summary.participants_added, ==, 0);
  g_assert_cmpuint (summary.participants_changed, ==, 1);
  g_assert_cmpuint (summary.interviews_changed, ==, 1);
  g_assert_cmpuint (summary.interviews_added, ==, 1);
  g_assert_cmpuint (summary.episodes_added, ==, 1);
  g_assert_cmpuint (summary.rounds_added, ==, 1);

  origin = vw_vault_get_participant_value (f->vault, f->study, "DH-7K3QM", "origin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (origin, ==, "regiogemeente");
  g_assert_cmpint (count_rows (f, "SELECT revision FROM participant_values WHERE variable = 'origin'"), ==, 2);

  records = load_ok (f);
  csv = vw_records_format_csv (records, VW_RECORDS_ROUNDS);
  g_assert_cmpstr (csv, ==,
                   "code,round,status,date,residence,residence_since,participation,participation_fit,debts,"
                   "money_management,income,indication,consent_research,consent_wmo_linkage,attempts\r\n"
                   "DH-7K3QM,T0,interviewed,2020-01-05,bw,,,,,,,,,,\r\n"
                   "DH-7K3QM,T1,declined,,,,,,,,,,,,\r\n");
}

/* Rounds named in the files that the study lacks are made in order. */
static void
test_rounds_created (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = make_records_dir (f, "rounds", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n",
                                           "code,round,status,date\nDH-7K3QM,T3,interviewed,2021-03-01\n"
                                           "DH-7K3QM,T1,interviewed,2019-03-01\n",
                                           NULL);
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;
  VwImportSummary summary;

  import_ok (f, dir, &summary);
  g_assert_cmpuint (summary.rounds_added, ==, 3);
  rounds = vw_vault_list_rounds (f->vault, f->study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, 4);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *round = g_ptr_array_index (rounds, i);
      g_autofree char *label = g_strdup_printf ("T%u", i);

      g_assert_cmpstr (round->label, ==, label);
      g_assert_cmpint (round->position, ==, (int) i);
    }
}

typedef struct
{
  const char *name;
  const char *participants;
  const char *rounds;
  const char *episodes;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "unknown-column", "code,pseudonym,region,shoe_size\nDH-7K3QM,Tom,DH,44\n", "code,round,status\n", NULL,
    "participants.csv:1:4: unknown column “shoe_size”; the columns of participants.csv are: code, pseudonym, "
    "region, municipality, origin, birth_year, hist_street, hist_youthcare_placement, hist_unsafe_home, "
    "hist_remigration" },
  { "unknown-code", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n", "code,round,status\nDH-7K3QM,T0,interviewd\n",
    NULL,
    "rounds.csv:2:3: status: unknown code “interviewd”; the codes are: interviewed, declined, "
    "unreachable, deceased, admitted, withdrawn, not_approached" },
  { "bad-month", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n", "code,round,status\n",
    "code,start,end,residence\nDH-7K3QM,2019-13,,mo\n", NULL },
  { "duplicate-row", "code,pseudonym,region\nDH-7K3QM,Tom,DH\nDH-7K3QM,Tim,DH\n", "code,round,status\n", NULL,
    "participants.csv:3:1: duplicate row: participant DH-7K3QM is already on line 2" },
  { "missing-participant", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n",
    "code,round,status\nDH-7K3QM,T0,declined\nDH-AB123,T0,declined\n", NULL,
    "rounds.csv:3:1: participant DH-AB123 is not in participants.csv" },
  { "overlapping-episodes", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n", "code,round,status\n",
    "code,start,end,residence\nDH-7K3QM,2019-01,2019-06,mo\nDH-7K3QM,2019-05,2019-08,straat\n",
    "episodes.csv:3:2: the episode overlaps the episode from 2019-01 to 2019-06 on line 2" },
  /* Conflicts with what the vault holds (see test_bad_against_vault). */
  { "overlap-vault", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n", "code,round,status\n",
    "residence,code,start,end\nmo,DH-7K3QM,2018-01,\n",
    "episodes.csv:2:3: the episode overlaps the episode from 2019-01 to 2019-06 in the vault" },
  { "pseudonym-vault", "code,pseudonym,region\nDH-7K3QN,tom,DH\n", "code,round,status\n", NULL,
    "participants.csv:2:2: the pseudonym is already used in this study, by participant DH-7K3QM" },
  { "region-outside", "code,region,pseudonym\nFL-7K3QM,FL,Anna\n", "code,round,status\n", NULL,
    "participants.csv:2:2: region: “FL” is not a region of this study (DH); add it to the study first" },
  { "region-changed", "code,pseudonym,region\nDH-7K3QM,Tom,FL\n", "code,round,status\n", NULL,
    "participants.csv:2:3: participant DH-7K3QM is in region DH in the vault, not FL" },
};

/* Bad input: the exact error, and the vault file not touched. */
static void
test_bad (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *good = make_records_dir (f, "good", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n",
                                            "code,round,status,date\nDH-7K3QM,T0,interviewed,2020-01-01\n",
                                            "code,start,end,residence\nDH-7K3QM,2019-01,2019-06,mo\n");

  import_ok (f, good, NULL);
  if (g_test_verbose ())
    g_test_message ("%s", f->path);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autofree char *dir = make_records_dir (f, c->name, c->participants, c->rounds, c->episodes);
      g_autofree char *before = NULL, *after = NULL, *state_before = NULL, *state_after = NULL;
      g_autoptr(GError) error = NULL;
      VwImportSummary summary = { 1, 1, 1, 1, 1, 1 };

      if (g_str_equal (c->name, "region-changed"))
        {
          vw_vault_add_study_region (f->vault, f->study, "FL", &error);
          g_assert_no_error (error);
        }
      state_before = vault_state (f);
      before = vw_test_vault_checksums (f->path);
      g_assert_false (vw_vault_import_records_dir (f->vault, f->study, dir, &summary, &error));
      g_assert_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
      else
        g_assert_true (g_str_has_prefix (error->message, "episodes.csv:2:2: "));
      /* The summary is only filled in on success. */
      g_assert_cmpuint (summary.participants_added, ==, 1);
      after = vw_test_vault_checksums (f->path);
      state_after = vault_state (f);
      g_assert_cmpstr (state_before, ==, state_after);
      g_assert_cmpstr (before, ==, after);
    }
}

/* What was imported is encrypted: no pseudonym or municipality is in the
 * vault's files. Short names of the fixtures can occur by chance in
 * ciphertext or in the stored questionnaire, so those are checked with
 * distinctive names of their own. */
static void
test_no_plaintext (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = published_dir ("denhaag");
  g_autofree char *marked = make_records_dir (f, "marked",
                                              "code,pseudonym,region,municipality\n"
                                              "DH-7K3QM,Zwaluwstaart-Q7,DH,Plaatsnaam-Q7X\n",
                                              "code,round,status,date,residence\n"
                                              "DH-7K3QM,T0,interviewed,2020-01-05,nachtopvang\n",
                                              NULL);
  g_autofree char *baseline = g_build_filename (f->dir, "baseline.vault", NULL);
  g_autoptr(VwRecords) records = load_dir_ok (dir);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *baseline_wal = g_strconcat (baseline, "-wal", NULL);
  g_autoptr(GPtrArray) needles = g_ptr_array_new ();
  const VwRecordParticipant *p;
  guint n, checked = 0;

  vw_test_copy_file (f->path, baseline);
  vw_test_copy_file (wal, baseline_wal);
  import_ok (f, dir, NULL);
  import_ok (f, marked, NULL);
  vw_vault_close (f->vault, NULL);
  g_clear_object (&f->vault);

  g_ptr_array_add (needles, "Zwaluwstaart-Q7");
  g_ptr_array_add (needles, "Plaatsnaam-Q7X");
  p = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (needles, (gpointer) p[i].pseudonym);
      if (p[i].municipality != NULL)
        g_ptr_array_add (needles, (gpointer) p[i].municipality);
    }

  for (guint i = 0; i < needles->len; i++)
    {
      const char *needle = g_ptr_array_index (needles, i);

      if (strlen (needle) < 5 || vw_test_file_contains (baseline, needle, strlen (needle)) ||
          vw_test_file_contains (baseline_wal, needle, strlen (needle)))
        continue;
      g_assert_false (vw_test_file_contains (f->path, needle, strlen (needle)));
      g_assert_false (vw_test_file_contains (wal, needle, strlen (needle)));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 10);
}

/* veldwerk-cli import, export --records, report and trajectory read the
 * vault by default. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *dir = published_dir ("denhaag");
  g_autofree char *out_dir = g_build_filename (f->dir, "cli-export", NULL);
  g_autofree char *vault_arg = g_strdup_printf ("--vault=%s", f->path);
  g_autofree char *env_pass = g_strdup_printf ("VELDWERK_PASSPHRASE=%s", VW_TEST_PASSPHRASE);
  const char *env[] = { env_pass, NULL };
  g_autoptr(VwRecords) fixture = load_dir_ok (dir);
  g_autoptr(VwRecords) exported = NULL;
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  int status;

  vw_vault_close (f->vault, NULL);
  g_clear_object (&f->vault);

  status = vw_test_run_cli (env, &out, &err, vault_arg, "import", dir, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "Imported: 64 new participants (0 changed), 265 new rows of rounds"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (env, &out, &err, vault_arg, "export", "--records", out_dir, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  exported = load_dir_ok (out_dir);
  assert_same_records (fixture, exported);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (env, &expected, NULL, "report", "trajectories", "--records", dir, NULL);
  g_assert_cmpint (status, ==, 0);
  status = vw_test_run_cli (env, &out, &err, vault_arg, "report", "trajectories", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A broken folder: the error names file, line and column. */
  {
    g_autofree char *bad = make_records_dir (f, "cli-bad", "code,pseudonym,region\nDH-7K3QM,Tom,DH\n",
                                             "code,round,status\nDH-7K3QM,T0,interviewd\n", NULL);

    status = vw_test_run_cli (env, &out, &err, vault_arg, "import", bad, NULL);
    g_assert_cmpint (status, ==, 1);
    g_assert_true (g_str_has_prefix (err, "veldwerk-cli: rounds.csv:2:3: status: unknown code “interviewd”"));
  }
}

/* The first participant whose derived dh3 type is @type, or -1. */
static int
find_with_type (VwClassification *c,
                guint             n,
                VwTrajectoryType  type)
{
  for (guint i = 0; i < n; i++)
    if (vw_classification_get (c, i)->derived == type)
      return i;
  return -1;
}

static char *
count_in_table (VwRecords        *records,
                VwClassification *classification,
                const char       *type)
{
  VwTableOptions options = { .rules = VW_RULE_SET_DH3, .classification = classification };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwTable) table = vw_table_build ("trajectories", records, &options, &error);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  csv = vw_table_to_csv (table);
  lines = g_strsplit (csv, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s,,", type);

      if (g_str_has_prefix (lines[i], prefix))
        return g_strdup (lines[i] + strlen (prefix));
    }
  g_assert_not_reached ();
}

/* A coordinator's override is stored encrypted, applied by the
 * classification and the tables, explained, and can be taken back. */
static void
test_override (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = published_dir ("denhaag");
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwClassification) plain = NULL;
  g_autoptr(VwClassification) with = NULL;
  g_autoptr(VwClassification) cleared = NULL;
  g_autoptr(VwTrajectory) trajectory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *count_before = NULL, *count_after = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const VwRecordParticipant *p;
  const VwTrajectoryResult *r;
  const char *reason = "Woont sinds kort zelfstandig-Q9, bevestigd door de begeleider";
  guint n;
  int who;

  import_ok (f, dir, NULL);
  records = load_ok (f);
  p = vw_records_get_participants (records, &n);
  plain = vw_vault_classify (f->vault, f->study, records, VW_RULE_SET_DH3, NULL, &error);
  g_assert_no_error (error);
  who = find_with_type (plain, n, VW_TRAJECTORY_LANGDURIG_VERBLIJF);
  g_assert_cmpint (who, >=, 0);
  g_assert_false (vw_classification_get (plain, who)->overridden);
  count_before = count_in_table (records, plain, "uitstroom_woning");

  /* Refused: a type of the other rule set, a missing reason or subtype. */
  before = vault_state (f);
  g_assert_false (vw_vault_set_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3,
                                                    "stabiel_gehuisvest", NULL, reason, &error));
  g_assert_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3,
                                                    "uitstroom_woning", "eigen_naam", "  ", &error));
  g_assert_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3,
                                                    "uitstroom_woning", NULL, reason, &error));
  g_assert_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_trajectory_override (f->vault, f->study, "DH-00000", VW_RULE_SET_DH3,
                                                    "onderbroken", NULL, reason, &error));
  g_assert_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = vault_state (f);
  g_assert_cmpstr (before, ==, after);

  vw_vault_set_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3, "uitstroom_woning",
                                    "eigen_naam", reason, &error);
  g_assert_no_error (error);

  with = vw_vault_classify (f->vault, f->study, records, VW_RULE_SET_DH3, NULL, &error);
  g_assert_no_error (error);
  r = vw_classification_get (with, who);
  g_assert_true (r->overridden);
  g_assert_cmpint (r->derived, ==, VW_TRAJECTORY_LANGDURIG_VERBLIJF);
  g_assert_cmpint (r->final, ==, VW_TRAJECTORY_UITSTROOM_WONING);
  g_assert_cmpint (r->final_subtype, ==, VW_SUBTYPE_EIGEN_NAAM);
  g_assert_cmpstr (r->override_reason, ==, reason);
  /* Only under the rule set it was made for. */
  {
    g_autoptr(VwClassification) fl4 = vw_vault_classify (f->vault, f->study, records, VW_RULE_SET_FL4, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (vw_classification_get (fl4, who)->overridden);
  }

  trajectory = vw_classification_explain (with, p[who].code, &error);
  g_assert_no_error (error);
  text = vw_trajectory_to_string (trajectory);
  g_assert_nonnull (strstr (text, "Derived type: langdurig_verblijf\n"));
  {
    g_autofree char *line = g_strdup_printf ("Final type: uitstroom_woning (eigen_naam) (override by the "
                                             "coordinator: %s)\n", reason);
    g_assert_nonnull (strstr (text, line));
  }

  /* The table counts the final type: one more in uitstroom_woning. */
  count_after = count_in_table (records, with, "uitstroom_woning");
  g_assert_cmpint (atoi (count_after), ==, atoi (count_before) + 1);

  problems = NULL;
  g_assert_true (vw_vault_verify (f->vault, &problems, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  vw_vault_clear_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3, &error);
  g_assert_no_error (error);
  cleared = vw_vault_classify (f->vault, f->study, records, VW_RULE_SET_DH3, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (vw_classification_get (cleared, who)->overridden);
  g_assert_false (vw_vault_clear_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The reason never reached the file in clear. */
  vw_vault_close (f->vault, NULL);
  g_clear_object (&f->vault);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

    g_assert_false (vw_test_file_contains (f->path, reason, strlen (reason)));
    g_assert_false (vw_test_file_contains (wal, reason, strlen (reason)));
  }
}

/* veldwerk-cli trajectory CODE --override TYPE --reason TEXT, and the
 * report from the vault counting it. */
static void
test_override_cli (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = published_dir ("denhaag");
  g_autofree char *vault_arg = g_strdup_printf ("--vault=%s", f->path);
  g_autofree char *env_pass = g_strdup_printf ("VELDWERK_PASSPHRASE=%s", VW_TEST_PASSPHRASE);
  const char *env[] = { env_pass, NULL };
  g_autoptr(VwRecords) records = load_dir_ok (dir);
  g_autoptr(VwClassification) plain = vw_classification_new (records, VW_RULE_SET_DH3, NULL);
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  const VwRecordParticipant *p;
  guint n;
  int who, status;

  import_ok (f, dir, NULL);
  vw_vault_close (f->vault, NULL);
  g_clear_object (&f->vault);
  p = vw_records_get_participants (records, &n);
  who = find_with_type (plain, n, VW_TRAJECTORY_ONDERBROKEN);
  g_assert_cmpint (who, >=, 0);

  status = vw_test_run_cli (env, &out, &err, vault_arg, "trajectory", p[who].code, "--override",
                            "niet_te_classificeren", "--reason", "Gegevens van T2 twijfelachtig", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Derived type: onderbroken\n"));
  g_assert_nonnull (strstr (out, "Final type: niet_te_classificeren (override by the coordinator: "
                                 "Gegevens van T2 twijfelachtig)\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Shown again without the option; the folder does not know it. */
  status = vw_test_run_cli (env, &out, &err, vault_arg, "trajectory", p[who].code, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "(override by the coordinator: Gegevens van T2 twijfelachtig)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (env, &expected, NULL, "report", "trajectories", "--records", dir, NULL);
  g_assert_cmpint (status, ==, 0);
  status = vw_test_run_cli (env, &out, &err, vault_arg, "report", "trajectories", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, !=, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (env, &out, &err, vault_arg, "trajectory", p[who].code, "--override", "onderbroken",
                            NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (err, ==, "veldwerk-cli: an override needs a reason\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = vw_test_run_cli (env, &out, &err, vault_arg, "trajectory", p[who].code, "--clear-override", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, "override by the coordinator"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = vw_test_run_cli (env, &out, &err, vault_arg, "report", "trajectories", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/vault-records/published/denhaag", test_published, "denhaag");
  ADD ("/vault-records/published/flevoland", test_published, "flevoland");
  ADD ("/vault-records/round-trip", test_round_trip, NULL);
  ADD ("/vault-records/idempotent", test_idempotent, NULL);
  ADD ("/vault-records/update", test_update, NULL);
  ADD ("/vault-records/rounds-created", test_rounds_created, NULL);
  ADD ("/vault-records/bad", test_bad, NULL);
  ADD ("/vault-records/no-plaintext", test_no_plaintext, NULL);
  ADD ("/vault-records/cli", test_cli, NULL);
  ADD ("/vault-records/override", test_override, NULL);
  ADD ("/vault-records/override-cli", test_override_cli, NULL);
#undef ADD

  return g_test_run ();
}
