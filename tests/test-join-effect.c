/* A join takes effect everywhere, and can be undone: the same
 * person enrolled on two duo laptops, merged on the coordinator's, joined;
 * records, reports and exports count one person; a later submission under
 * the joined code lands on the kept participant; a split restores both.
 * And the attacks on aliases: codes of another study, codes that do not
 * exist, chains and cycles, each refused with the vault byte-identical.
 *
 * Real vaults, real bundles (age), the real veldwerk-cli for the reports
 * and exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vw-core.h"
#include "vw-test-files.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

typedef struct
{
  VwTestStudy  w;
  char        *tom;    /* enrolled by duo-noord */
  char        *karel;  /* the same person, enrolled by duo-zuid */
  char        *anna;   /* another person, duo-noord */
} Scene;

static void
add_episode (VwVault    *vault,
             const char *study,
             const char *code,
             const char *start,
             const char *end,
             const char *residence)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  VwEpisode e = { 0 };

  e.study = (char *) study;
  e.code = (char *) code;
  e.start = (char *) start;
  e.end = (char *) end;
  e.residence = (char *) residence;
  id = vw_vault_add_episode (vault, &e, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
set_value (VwVault    *vault,
           const char *study,
           const char *code,
           const char *variable,
           const char *value)
{
  g_autoptr(GError) error = NULL;

  vw_vault_set_participant_value (vault, study, code, variable, value, &error);
  g_assert_no_error (error);
}

/* Tom on duo-noord and Karel on duo-zuid are one person: the same
 * person typed with a spelling variant and day and month swapped, T0 on
 * both (the same residence, a different answer
 * on debts), birth years that differ, episodes of which one overlaps.
 * Anna is someone else. Both submissions merged on the coordinator's. */
static void
scene_init (Scene *s)
{
  const char *tom_answers[] = { "residence", "bw", "debts", "nee", NULL };
  const char *karel_answers[] = { "residence", "bw", "debts", "ja", NULL };
  const char *anna_answers[] = { "residence", "mo", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *sub1 = NULL, *sub2 = NULL;

  vw_test_study_init (&s->w);
  s->tom = vw_test_study_interview (&s->w, s->w.duo1, "Tom", tom_answers);
  s->anna = vw_test_study_interview (&s->w, s->w.duo1, "Anna", anna_answers);
  s->karel = vw_test_study_interview (&s->w, s->w.duo2, "Karel", karel_answers);
  g_assert_true (vw_vault_set_linkage_identity (s->w.duo1, s->w.study, s->tom, "Tom de Vries", "1971-04-02", &error));
  /* Typed on another laptop: a spelling variant, day and month swapped.
   * The exact hashes differ; the Bloom-filter encodings propose the pair. */
  g_assert_true (vw_vault_set_linkage_identity (s->w.duo2, s->w.study, s->karel, "Thom de Vries", "1971-02-04",
                                                &error));
  g_assert_no_error (error);
  set_value (s->w.duo1, s->w.study, s->tom, "birth_year", "1971");
  set_value (s->w.duo2, s->w.study, s->karel, "birth_year", "1972");
  set_value (s->w.duo2, s->w.study, s->karel, "origin", "regiogemeente");
  add_episode (s->w.duo1, s->w.study, s->tom, "2023-01", "2023-12", "bw");
  add_episode (s->w.duo1, s->w.study, s->tom, "2024-01", "2024-06", "mo");
  add_episode (s->w.duo2, s->w.study, s->karel, "2023-01", "2023-12", "bw");   /* the same as Tom's: one */
  add_episode (s->w.duo2, s->w.study, s->karel, "2024-03", "2024-09", "netwerk"); /* overlaps Tom's: flagged */
  add_episode (s->w.duo2, s->w.study, s->karel, "2025-01", NULL, "straat");     /* united */

  sub1 = vw_test_study_submit (&s->w, s->w.duo1, "noord.submission");
  sub2 = vw_test_study_submit (&s->w, s->w.duo2, "zuid.submission");
  vw_merge_report_free (vw_test_study_merge (s->w.coord, s->w.study, sub1));
  vw_merge_report_free (vw_test_study_merge (s->w.coord, s->w.study, sub2));
}

static void
scene_clear (Scene *s)
{
  g_free (s->tom);
  g_free (s->karel);
  g_free (s->anna);
  vw_test_study_clear (&s->w);
}

/* Counts in the coordinator's records: participants, round rows, episodes;
 * and the round rows and episodes of @code. */
static void
assert_records (Scene      *s,
                guint       participants,
                guint       rounds,
                guint       episodes,
                const char *code,
                guint       code_rounds,
                guint       code_episodes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwRecords) records = vw_vault_load_records (s->w.coord, s->w.study, &error);
  const VwRoundRecord *r;
  const VwRecordEpisode *e;
  guint n, cr = 0, ce = 0;

  g_assert_no_error (error);
  vw_records_get_participants (records, &n);
  g_assert_cmpuint (n, ==, participants);
  r = vw_records_get_rounds (records, &n);
  g_assert_cmpuint (n, ==, rounds);
  for (guint i = 0; i < n; i++)
    cr += g_str_equal (r[i].code, code);
  e = vw_records_get_episodes (records, &n);
  g_assert_cmpuint (n, ==, episodes);
  for (guint i = 0; i < n; i++)
    ce += g_str_equal (e[i].code, code);
  g_assert_cmpuint (cr, ==, code_rounds);
  g_assert_cmpuint (ce, ==, code_episodes);
}

/* The value of @column in @code's row of @file (records written by
 * `export --records`). */
static char *
csv_cell (const char *dir,
          const char *file,
          const char *code,
          const char *round,
          const char *column)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) head = NULL;
  int col = -1;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  head = g_strsplit (lines[0], ",", -1);
  for (int i = 0; head[i] != NULL; i++)
    if (g_str_equal (g_strstrip (head[i]), column))
      col = i;
  g_assert_cmpint (col, >=, 0);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      if (cells[0] != NULL && g_str_equal (cells[0], code) &&
          (round == NULL || (cells[1] != NULL && g_str_equal (cells[1], round))))
        return g_strdup (cells[col]);
    }
  return NULL;
}

static guint
data_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    n += lines[i][0] != '\0';
  return n;
}

/* The people `report trajectories` classifies: the sum of n over the
 * types (rows without a subtype). */
static guint
trajectory_total (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  guint total = 0;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      if (g_strv_length (cells) >= 3 && cells[1][0] == '\0')
        total += (guint) g_ascii_strtoull (cells[2], NULL, 10);
    }
  return total;
}

static char *
cli_ok (Scene      *s,
        const char *first,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) "--vault");
  g_ptr_array_add (argv, s->w.coord_path);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  status = vw_test_run_cliv (pass_env, NULL, &out, &err, (const char * const *) argv->pdata);
  if (status != 0)
    g_error ("veldwerk-cli failed (%d): %s", status, err);
  return out;
}

static void
close_coord (Scene *s)
{
  g_autoptr(GError) error = NULL;

  vw_vault_close (s->w.coord, &error);
  g_assert_no_error (error);
  g_clear_object (&s->w.coord);
}

/* What the reports and exports of veldwerk-cli count on the coordinator's
 * vault (closed meanwhile, as the CLI opens it itself). */
static void
assert_cli_counts (Scene      *s,
                   const char *tag,
                   guint       participants,
                   guint       rounds,
                   const char *attendance_t0)
{
  g_autofree char *records = g_build_filename (s->w.dir, tag, NULL);
  g_autofree char *anon = g_strconcat (records, "-anonymized", NULL);
  g_autofree char *anon_people = NULL;
  g_autofree char *attendance = NULL, *trajectories = NULL, *out = NULL, *wrote = NULL;
  g_autofree char *participants_csv = g_build_filename (records, "participants.csv", NULL);
  g_autofree char *rounds_csv = g_build_filename (records, "rounds.csv", NULL);

  close_coord (s);
  attendance = cli_ok (s, "report", "attendance", "--format", "csv", NULL);
  g_test_message ("%s attendance:\n%s", tag, attendance);
  g_assert_nonnull (strstr (attendance, attendance_t0));
  trajectories = cli_ok (s, "report", "trajectories", "--format", "csv", NULL);
  g_test_message ("%s trajectories:\n%s", tag, trajectories);
  g_assert_cmpuint (trajectory_total (trajectories), ==, participants);
  g_free (out);
  out = cli_ok (s, "export", "--records", records, NULL);
  g_assert_cmpuint (data_lines (participants_csv), ==, participants);
  g_assert_cmpuint (data_lines (rounds_csv), ==, rounds);
  g_free (out);
  out = cli_ok (s, "export", "--anonymized", anon, "--k", "1", NULL);
  wrote = g_strdup_printf ("Wrote the anonymized export of %u participants", participants);
  g_assert_nonnull (strstr (out, wrote));
  anon_people = g_build_filename (anon, "trajectories_wide.csv", NULL);
  g_assert_cmpuint (data_lines (anon_people), ==, participants);
  s->w.coord = vw_test_open_vault (s->w.coord_path);
  g_object_set_data_full (G_OBJECT (s->w.coord), tag, g_strdup (trajectories), g_free);
}

static guint
open_conflicts (Scene *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = vw_exchange_list_conflicts (s->w.coord, s->w.study, FALSE, &error);

  g_assert_no_error (error);
  return conflicts->len;
}

static void
test_three_laptops (void)
{
  Scene s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) differences = NULL;
  g_autoptr(GPtrArray) aliases = NULL;
  g_autofree char *later = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *debts = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *t1_status = NULL;
  g_autofree char *later_dir = NULL;
  g_autofree char *records = NULL;
  g_autoptr(VwInterview) t1 = NULL;
  const char *codes[3] = { NULL, NULL, NULL };
  guint answer_conflicts = 0, value_conflicts = 0;

  scene_init (&s);

  /* Before: three people, three T0 rows, five episodes. */
  assert_records (&s, 3, 3, 5, s.tom, 1, 2);
  assert_cli_counts (&s, "before", 3, 3, "T0,3");
  groups = vw_exchange_duplicate_candidates (s.w.coord, s.w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  {
    VwDuplicateCandidate *pair = g_ptr_array_index (groups, 0);

    /* Proposed by similarity, not by an identical hash. */
    g_assert_false (pair->exact);
    g_assert_cmpfloat (pair->similarity, >=, VW_LINKAGE_THRESHOLD);
    g_assert_cmpfloat (pair->similarity, <, 1.0);
  }
  g_assert_cmpuint (open_conflicts (&s), ==, 0);

  /* The coordinator joins them, keeping Tom's code. */
  codes[0] = s.karel;
  codes[1] = s.tom;
  g_assert_true (vw_exchange_decide_duplicates (s.w.coord, s.w.study, codes, VW_DUPLICATE_JOIN, s.tom, &error));
  g_assert_no_error (error);
  kept = vw_vault_resolve_code (s.w.coord, s.w.study, s.karel, &error);
  g_assert_cmpstr (kept, ==, s.tom);
  aliases = vw_vault_list_aliases (s.w.coord, s.w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aliases->len, ==, 1);
  g_assert_cmpstr (((VwAlias *) g_ptr_array_index (aliases, 0))->alias, ==, s.karel);

  /* One person: two participants, two T0 rows; Tom has his two
   * episodes and Karel's from 2025 (united), not the identical 2023 one
   * twice nor the overlapping one. */
  assert_records (&s, 2, 2, 3, s.tom, 1, 3);
  assert_records (&s, 2, 2, 3, s.karel, 0, 0);

  /* The differences are conflicts of the existing machinery: T0 debts
   * and birth year; origin only Karel had is simply taken. */
  conflicts = vw_exchange_list_conflicts (s.w.coord, s.w.study, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const VwConflict *c = g_ptr_array_index (conflicts, i);

      answer_conflicts += g_str_equal (c->kind, "answer") && g_str_equal (c->field, "debts");
      value_conflicts += g_str_equal (c->kind, "participant_value") && g_str_equal (c->object, s.tom) &&
                         g_str_equal (c->field, "birth_year");
    }
  g_assert_cmpuint (answer_conflicts, ==, 2);  /* two sides: duo-noord's "nee", duo-zuid's "ja" */
  g_assert_cmpuint (value_conflicts, ==, 2);
  g_assert_cmpuint (conflicts->len, ==, 4);
  differences = vw_vault_join_differences (s.w.coord, s.w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (differences->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (differences, 0), "2024-03"));
  g_assert_nonnull (strstr (g_ptr_array_index (differences, 0), "overlaps"));

  /* Settled as any conflict: duo-zuid's side of debts, a value for the
   * birth year. */
  {
    const VwConflict *c = NULL;

    for (guint i = 0; i < conflicts->len && c == NULL; i++)
      if (g_str_equal (((VwConflict *) g_ptr_array_index (conflicts, i))->kind, "answer"))
        c = g_ptr_array_index (conflicts, i);
    g_assert_true (vw_exchange_resolve_side (s.w.coord, s.w.study, "answer", c->object, "debts", "duo-zuid",
                                             &error));
    g_assert_no_error (error);
    g_assert_true (vw_exchange_resolve (s.w.coord, s.w.study, "participant_value", s.tom, "birth_year", "1971",
                                        &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (open_conflicts (&s), ==, 0);

  assert_cli_counts (&s, "joined", 2, 2, "T0,2");
  records = g_build_filename (s.w.dir, "joined", NULL);
  debts = csv_cell (records, "rounds.csv", s.tom, "T0", "debts");
  g_assert_cmpstr (debts, ==, "ja");
  birth = csv_cell (records, "participants.csv", s.tom, NULL, "birth_year");
  g_assert_cmpstr (birth, ==, "1971");
  origin = csv_cell (records, "participants.csv", s.tom, NULL, "origin");
  g_assert_cmpstr (origin, ==, "regiogemeente");
  g_assert_null (csv_cell (records, "participants.csv", s.karel, NULL, "code"));

  /* The next round preparation for duo-zuid, asked for Karel's code,
   * carries Tom (the kept participant) and the alias: duo-zuid's laptop
   * shows Tom's code and pseudonym, and its own rows of Karel count for
   * Tom. */
  {
    g_autoptr(VwDevice) zuid = vw_study_find_device (s.w.coord, s.w.study, "duo-zuid", &error);
    g_autofree char *prep = g_build_filename (s.w.dir, "zuid-t1.round", NULL);
    g_autofree char *duo_kept = NULL;
    g_autoptr(VwRecords) duo_records = NULL;
    g_autoptr(VwParticipant) shown = NULL;
    const char *prep_codes[] = { s.karel, NULL };
    const VwRecordParticipant *people;
    guint n;

    g_assert_no_error (error);
    g_assert_true (vw_exchange_write_round_preparation (s.w.coord, s.w.study, zuid->id, "T1", prep_codes, prep,
                                                        &error));
    g_assert_no_error (error);
    vw_merge_report_free (vw_test_study_merge (s.w.duo2, s.w.study, prep));
    duo_kept = vw_vault_resolve_code (s.w.duo2, s.w.study, s.karel, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (duo_kept, ==, s.tom);
    shown = vw_vault_get_participant (s.w.duo2, s.w.study, s.tom, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (shown->pseudonym, ==, "Tom");
    duo_records = vw_vault_load_records (s.w.duo2, s.w.study, &error);
    g_assert_no_error (error);
    people = vw_records_get_participants (duo_records, &n);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpstr (people[0].code, ==, s.tom);
  }

  /* A later submission of duo-zuid, still using Karel's code: T1 lands
   * on Tom. */
  t1 = vw_vault_start_interview (s.w.duo2, s.w.study, s.karel, "T1", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vw_vault_set_interview_status (s.w.duo2, t1->id, "unreachable", NULL, "moved abroad, no address", &error);
  g_assert_no_error (error);
  later = vw_test_study_submit (&s.w, s.w.duo2, "zuid-later.submission");
  vw_merge_report_free (vw_test_study_merge (s.w.coord, s.w.study, later));
  assert_records (&s, 2, 3, 3, s.tom, 2, 3);
  assert_cli_counts (&s, "later", 2, 3, "T0,2");
  later_dir = g_build_filename (s.w.dir, "later", NULL);
  t1_status = csv_cell (later_dir, "rounds.csv", s.tom, "T1", "status");
  g_assert_cmpstr (t1_status, ==, "unreachable");

  /* Split, with a reason: both again, each with their own rows, and the
   * T1 that came for Karel's code is Karel's. */
  g_assert_false (vw_vault_split_participants (s.w.coord, s.w.study, s.tom, s.karel, "  ", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (vw_vault_split_participants (s.w.coord, s.w.study, s.tom, s.karel, "different birth years after all",
                                              &error));
  g_assert_no_error (error);
  assert_records (&s, 3, 4, 5, s.tom, 1, 2);
  assert_records (&s, 3, 4, 5, s.karel, 2, 3);
  assert_cli_counts (&s, "split", 3, 4, "T0,3");
  g_clear_pointer (&kept, g_free);
  kept = vw_vault_resolve_code (s.w.coord, s.w.study, s.karel, &error);
  g_assert_cmpstr (kept, ==, s.karel);
  /* The group is open again, to be decided anew. */
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = vw_exchange_duplicate_candidates (s.w.coord, s.w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  {
    VwDuplicateCandidate *pair = g_ptr_array_index (groups, 0);

    /* Proposed by similarity, not by an identical hash. */
    g_assert_false (pair->exact);
    g_assert_cmpfloat (pair->similarity, >=, VW_LINKAGE_THRESHOLD);
    g_assert_cmpfloat (pair->similarity, <, 1.0);
  }

  /* Both are in the audit trail. */
  {
    g_autoptr(GPtrArray) entries = vw_vault_list_audit (s.w.coord, &error);
    guint joins = 0, splits = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < entries->len; i++)
      {
        const VwAuditEntry *a = g_ptr_array_index (entries, i);

        joins += g_str_equal (a->action, "participants_joined") && g_strcmp0 (a->object, s.karel) == 0;
        splits += g_str_equal (a->action, "participants_split") && g_strcmp0 (a->object, s.karel) == 0 &&
                  a->detail != NULL && strstr (a->detail, "different birth years") != NULL;
      }
    g_assert_cmpuint (joins, ==, 1);
    g_assert_cmpuint (splits, ==, 1);
  }
  scene_clear (&s);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file of the test's directory (all three vaults and the bundles),
 * with its checksum. */
static char *
dir_checksums (const char *dir)
{
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);
  g_autoptr(GString) out = g_string_new (NULL);

  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *sum = vw_test_file_checksum (g_ptr_array_index (files, i));
      g_string_append_printf (out, "%s %s\n", (const char *) g_ptr_array_index (files, i), sum);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef enum { JOIN, SPLIT } Op;

/* @op on the coordinator's vault must fail with @code and a message
 * holding @words, and leave every file byte-identical. */
static void
assert_refused (Scene      *s,
                Op          op,
                const char *study,
                const char *kept,
                const char *joined,
                const char *reason,
                int         code,
                const char *words)
{
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  close_coord (s);
  before = dir_checksums (s->w.dir);
  s->w.coord = vw_test_open_vault (s->w.coord_path);
  ok = op == JOIN ? vw_vault_join_participants (s->w.coord, study, kept, joined, reason, &error)
                  : vw_vault_split_participants (s->w.coord, study, kept, joined, reason, &error);
  g_assert_false (ok);
  g_assert_error (error, VW_VAULT_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
  close_coord (s);
  after = dir_checksums (s->w.dir);
  g_assert_cmpstr (before, ==, after);
  s->w.coord = vw_test_open_vault (s->w.coord_path);
}

static void
test_attacks (void)
{
  Scene s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) other = NULL;
  g_autoptr(VwParticipant) bert = NULL;
  g_autofree char *other_study = NULL;
  g_autofree char *own = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *before = NULL, *after = NULL;

  scene_init (&s);
  /* A second study on the coordinator's laptop, with a participant. */
  other_study = vw_vault_create_study (s.w.coord, "Andere studie", "DH", VW_STUDY_ROLE_COORDINATOR, NULL, &error);
  g_assert_no_error (error);
  other = vw_vault_create_participant (s.w.coord, other_study, NULL, "Olga", "DH", &error);
  g_assert_no_error (error);
  bert = vw_vault_create_participant (s.w.coord, s.w.study, NULL, "Bert", "DH", &error);
  g_assert_no_error (error);

  /* Codes of another study, either way round, and a code that does not
   * exist. */
  assert_refused (&s, JOIN, s.w.study, s.tom, other->code, "same person", VW_VAULT_ERROR_NOT_FOUND,
                  "There is no participant");
  assert_refused (&s, JOIN, other_study, other->code, s.tom, "same person", VW_VAULT_ERROR_NOT_FOUND,
                  "There is no participant");
  assert_refused (&s, JOIN, s.w.study, s.tom, "DH-ZZZZZ", "same person", VW_VAULT_ERROR_NOT_FOUND,
                  "There is no participant DH-ZZZZZ");
  assert_refused (&s, JOIN, s.w.study, s.tom, s.tom, "same person", VW_VAULT_ERROR_INVALID, "to itself");
  assert_refused (&s, JOIN, s.w.study, s.tom, s.karel, "", VW_VAULT_ERROR_INVALID, "needs a reason");
  /* A split of codes that were never joined, or of another study. */
  assert_refused (&s, SPLIT, s.w.study, s.tom, s.karel, "oops", VW_VAULT_ERROR_NOT_FOUND, "is not joined to");
  assert_refused (&s, SPLIT, s.w.study, s.tom, other->code, "oops", VW_VAULT_ERROR_NOT_FOUND,
                  "There is no participant");

  /* Karel -> Tom; then Tom -> Karel (a cycle), Tom -> Bert (Tom keeps
   * Karel: a chain), Bert -> Karel (Karel is an alias: a chain), Karel ->
   * Bert (already joined). */
  g_assert_true (vw_vault_join_participants (s.w.coord, s.w.study, s.tom, s.karel, "same person", &error));
  g_assert_no_error (error);
  assert_refused (&s, JOIN, s.w.study, s.karel, s.tom, "cycle", VW_VAULT_ERROR_INVALID, "is itself joined to");
  assert_refused (&s, JOIN, s.w.study, bert->code, s.tom, "chain", VW_VAULT_ERROR_INVALID,
                  "a joined code cannot keep others");
  assert_refused (&s, JOIN, s.w.study, s.karel, bert->code, "chain", VW_VAULT_ERROR_INVALID,
                  "is itself joined to");
  assert_refused (&s, JOIN, s.w.study, bert->code, s.karel, "again", VW_VAULT_ERROR_INVALID,
                  "is already joined to");
  assert_refused (&s, SPLIT, s.w.study, s.tom, s.karel, " ", VW_VAULT_ERROR_INVALID, "needs a reason");
  assert_refused (&s, SPLIT, s.w.study, s.karel, s.tom, "wrong way", VW_VAULT_ERROR_NOT_FOUND, "is not joined to");

  /* A duo laptop cannot join (only the coordinator sees every duo). */
  {
    g_autoptr(VwParticipant) extra = vw_vault_create_participant (s.w.duo1, s.w.study, NULL, "Extra", "DH", &error);

    g_assert_no_error (error);
    g_assert_false (vw_vault_join_participants (s.w.duo1, s.w.study, s.tom, extra->code, "mine", &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* A forged submission that declares an alias (Anna as Tom): only the
   * coordinator's round preparation may carry one. Refused, nothing
   * changed. */
  {
    g_autoptr(VwSecret) key = vw_vault_dup_ed25519_secret (s.w.duo1, &error);
    g_autofree char *recipient = vw_vault_get_age_recipient (s.w.coord, &error);
    g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
    g_autoptr(VwDevice) device = vw_vault_get_own_device (s.w.duo1, &error);
    g_autofree char *text = NULL;
    g_autoptr(GBytes) content = NULL;
    g_autoptr(VwMergeReport) report = NULL;
    g_autofree char *kept = NULL;
    const char *paths[2] = { NULL, NULL };

    g_assert_no_error (error);
    rows = g_strdup_printf ("S\t%s\nJ\t%s\t%s\t2026-12-01T10:00:00Z\n", device->id, s.anna, s.tom);
    text = g_strdup_printf ("veldwerk-rows 1\tsubmission\t%s\n%s", s.w.study, rows);
    content = g_bytes_new (text, strlen (text));
    g_ptr_array_add (recipients, vw_age_recipient_parse (recipient, &error));
    g_assert_no_error (error);
    forged = g_build_filename (s.w.dir, "alias.submission", NULL);
    g_assert_true (vw_bundle_write_bytes (forged, VW_BUNDLE_KIND_SUBMISSION, s.w.study, key, recipients, content,
                                          NULL, NULL, &error));
    g_assert_no_error (error);
    close_coord (&s);
    before = dir_checksums (s.w.dir);
    s.w.coord = vw_test_open_vault (s.w.coord_path);
    paths[0] = forged;
    report = vw_exchange_merge (s.w.coord, s.w.study, paths, NULL, NULL, NULL, &error);
    g_assert_null (report);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "line 3"));
    g_assert_nonnull (strstr (error->message, "“J” does not belong in a submission"));
    g_clear_error (&error);
    close_coord (&s);
    after = dir_checksums (s.w.dir);
    g_assert_cmpstr (before, ==, after);
    s.w.coord = vw_test_open_vault (s.w.coord_path);
    kept = vw_vault_resolve_code (s.w.coord, s.w.study, s.anna, &error);
    g_assert_cmpstr (kept, ==, s.anna);
  }
  scene_clear (&s);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));
  g_test_add_func ("/join-effect/three-laptops", test_three_laptops);
  g_test_add_func ("/join-effect/attacks", test_attacks);
  return g_test_run ();
}
