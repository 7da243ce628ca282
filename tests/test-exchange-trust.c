/* Attacks on the exchange's trust, made in-process with the
 * core: a coordinator and two enrolled duos, duo-noord (A) and duo-zuid
 * (B). B turns malicious and signs bundles with its own real keys, as an
 * attacker with that laptop can; rows are written by hand. Also a clock
 * set years ahead and back, a relayed row, the order of merging, and a
 * vault of schema 5 migrated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vw-core.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

#define ABSURD "9223372036854775807"
#define FUTURE "2099-01-01T00:00:00Z"

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

static char *
own_id (VwVault *vault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) own = vw_vault_get_own_device (vault, &error);

  g_assert_no_error (error);
  return g_strdup (own->id);
}

/* This laptop's id of the device labelled @label. */
static char *
device_id (VwVault    *vault,
           const char *study,
           const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) device = vw_study_find_device (vault, study, label, &error);

  g_assert_no_error (error);
  return g_strdup (device->id);
}

/* A submission with @rows (after the header) signed with @signer's own
 * key, for the coordinator: what a malicious enrolled laptop can make. */
static char *
forge (VwTestStudy *w,
       VwVault     *signer,
       const char  *name,
       const char  *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) key = vw_vault_dup_ed25519_secret (signer, &error);
  g_autofree char *recipient = vw_vault_get_age_recipient (w->coord, &error);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autofree char *text = g_strdup_printf ("veldwerk-rows 1\tsubmission\t%s\n%s", w->study, rows);
  g_autoptr(GBytes) content = g_bytes_new (text, strlen (text));
  char *path = g_build_filename (w->dir, name, NULL);

  g_assert_no_error (error);
  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient, &error));
  g_assert_no_error (error);
  g_assert_true (vw_bundle_write_bytes (path, VW_BUNDLE_KIND_SUBMISSION, w->study, key, recipients, content, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  return path;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file of the directory that holds the coordinator's vault (and
 * the duos' and the bundles), with its checksum. */
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

static void
close_coordinator (VwTestStudy *w)
{
  g_autoptr(GError) error = NULL;

  vw_vault_close (w->coord, &error);
  g_assert_no_error (error);
  g_clear_object (&w->coord);
}

/* Merges @path on the coordinator, which must refuse it with @line and
 * @reason and leave every file byte-identical. */
static void
assert_refused (VwTestStudy *w,
                const char  *path,
                const char  *line,
                const char  *reason)
{
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  const char *paths[] = { path, NULL };

  close_coordinator (w);
  before = dir_checksums (w->dir);
  w->coord = vw_test_open_vault (w->coord_path);
  report = vw_exchange_merge (w->coord, w->study, paths, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Rejected"));
  g_assert_nonnull (strstr (error->message, line));
  g_assert_nonnull (strstr (error->message, reason));
  close_coordinator (w);
  after = dir_checksums (w->dir);
  g_assert_cmpstr (before, ==, after);
  w->coord = vw_test_open_vault (w->coord_path);
}

static void
merge_ok (VwVault    *vault,
          const char *study,
          const char *path)
{
  vw_merge_report_free (vw_test_study_merge (vault, study, path));
}

static char *
submit (VwTestStudy *w,
        VwVault     *duo,
        const char  *name,
        gboolean     everything)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (w->dir, name, NULL);

  g_assert_true (vw_exchange_write_submission (duo, w->study, path, everything, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static char *
answer (VwVault    *vault,
        const char *interview,
        const char *question)
{
  g_autoptr(GError) error = NULL;
  char *value = vw_vault_get_answer (vault, interview, question, &error);

  g_assert_no_error (error);
  return value;
}

/* The open sides of one record: "device=value" lines, sorted. */
static char *
sides (VwVault    *vault,
       const char *study,
       const char *kind,
       const char *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = vw_exchange_list_conflicts (vault, study, FALSE, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < open->len; i++)
    {
      VwConflict *c = g_ptr_array_index (open, i);

      if (g_str_equal (c->kind, kind) && g_str_equal (c->object, object))
        g_string_append_printf (out, "%s=%s\n", c->device, c->value);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static guint
count_sides (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static guint
count_open (VwVault    *vault,
            const char *study)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = vw_exchange_list_conflicts (vault, study, FALSE, &error);

  g_assert_no_error (error);
  return open->len;
}

/* A's participant with a T0 interview, an answer and an episode. */
typedef struct
{
  char *code;
  char *interview;
  char *episode;
} Anna;

static void
anna_clear (Anna *a)
{
  g_free (a->code);
  g_free (a->interview);
  g_free (a->episode);
}

static void
make_anna (VwTestStudy *w,
           Anna        *a)
{
  const char *answers[] = { "residence", "mo", "debts", "nee", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  VwEpisode e = { NULL, w->study, NULL, (char *) "2025-06", NULL, (char *) "nachtopvang", NULL, NULL, 0, NULL, 0 };

  a->code = vw_test_study_interview (w, w->duo1, "Anna", answers);
  iv = vw_vault_find_interview (w->duo1, w->study, a->code, "T0", &error);
  g_assert_no_error (error);
  a->interview = g_strdup (iv->id);
  e.code = a->code;
  e.interview = iv->id;
  a->episode = vw_vault_add_episode (w->duo1, &e, &error);
  g_assert_no_error (error);
}

/* A bundle whose S row, or a V or A row, names the other duo's device
 * is refused, naming the line and the field; so is a bundle without its
 * S row first and once. Nothing changes on the coordinator. */
static void
test_spoofed_device (void)
{
  VwTestStudy w = { 0 };
  Anna a = { 0 };
  g_autofree char *sub = NULL, *a_id = NULL, *b_id = NULL, *rows = NULL, *path = NULL;
  g_autofree char *value = NULL;

  vw_test_study_init (&w);
  make_anna (&w, &a);
  sub = submit (&w, w.duo1, "noord.submission", FALSE);
  merge_ok (w.coord, w.study, sub);
  a_id = own_id (w.duo1);
  b_id = own_id (w.duo2);

  /* B's S row claims A's id, and so does its answer row. */
  rows = g_strdup_printf ("S\t%s\nA\t%s\tdebts\tja\t5\t2026-03-01T10:00:00Z\t%s\n", a_id, a.interview, a_id);
  path = forge (&w, w.duo2, "claims-sender.submission", rows);
  assert_refused (&w, path, "line 2", "field device");

  /* B's own S row, but an answer row in A's name. */
  g_free (rows);
  g_free (path);
  rows = g_strdup_printf ("S\t%s\nA\t%s\tdebts\tja\t5\t2026-03-01T10:00:00Z\t%s\n", b_id, a.interview, a_id);
  path = forge (&w, w.duo2, "claims-answer.submission", rows);
  assert_refused (&w, path, "line 3", "field device");

  /* The same with a participant's value. */
  g_free (rows);
  g_free (path);
  rows = g_strdup_printf ("S\t%s\nV\t%s\tbirth_year\t1950\t5\t2026-03-01T10:00:00Z\t%s\n", b_id, a.code, a_id);
  path = forge (&w, w.duo2, "claims-value.submission", rows);
  assert_refused (&w, path, "line 3", "field device");

  /* The S row is required, first and once. */
  g_free (rows);
  g_free (path);
  rows = g_strdup_printf ("A\t%s\tdebts\tja\t5\t2026-03-01T10:00:00Z\t%s\nS\t%s\n", a.interview, b_id, b_id);
  path = forge (&w, w.duo2, "late-sender.submission", rows);
  assert_refused (&w, path, "line 2", "sender row (S)");
  g_free (rows);
  g_free (path);
  rows = g_strdup_printf ("S\t%s\nS\t%s\n", b_id, b_id);
  path = forge (&w, w.duo2, "two-senders.submission", rows);
  assert_refused (&w, path, "line 3", "second sender row");
  g_free (path);
  path = forge (&w, w.duo2, "no-sender.submission", "");
  assert_refused (&w, path, "line 1", "no sender row");

  value = answer (w.coord, a.interview, "debts");
  g_assert_cmpstr (value, ==, "nee");
  g_assert_cmpuint (count_open (w.coord, w.study), ==, 0);
  anna_clear (&a);
  vw_test_study_clear (&w);
}

/* B sends versions of A's answer, participant, interview and episode
 * with the largest revision and a time in 2099: each becomes a conflict
 * listing both, what the coordinator shows stays A's, and A's genuine
 * later update is not dropped. A record B makes with such a revision can
 * still be changed on the coordinator. */
static void
test_absurd_revisions (void)
{
  VwTestStudy w = { 0 };
  Anna a = { 0 };
  g_autofree char *sub = NULL, *sub2 = NULL, *b_id = NULL, *rows = NULL, *path = NULL;
  g_autofree char *a_here = NULL, *b_here = NULL, *value = NULL, *got = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autoptr(VwMergeReport) report = NULL;

  vw_test_study_init (&w);
  make_anna (&w, &a);
  sub = submit (&w, w.duo1, "noord.submission", FALSE);
  merge_ok (w.coord, w.study, sub);
  b_id = own_id (w.duo2);
  a_here = device_id (w.coord, w.study, "duo-noord");
  b_here = device_id (w.coord, w.study, "duo-zuid");
  iv = vw_vault_get_interview (w.coord, a.interview, &error);
  g_assert_no_error (error);

  rows = g_strdup_printf ("S\t%s\n"
                          "P\t%s\tAnna B\tDH\t\\N\t%s\t" FUTURE "\t" ABSURD "\n"
                          "I\t%s\t%s\tT0\t\\N\t\\N\t\\N\tdeceased\t2026-02-11\t\\N\tfinished\t\\N\t\\N\t%s\t" FUTURE
                          "\t" ABSURD "\n"
                          "A\t%s\tdebts\tja\t" ABSURD "\t" FUTURE "\t%s\n"
                          "E\t%s\t%s\t2025-06\t\\N\tstraat\t\\N\t" FUTURE "\t" ABSURD "\n"
                          /* A new participant of B's own, at the largest revision. */
                          "P\tDH-ZZZZZ\tZoe\tDH\t\\N\t" FUTURE "\t" FUTURE "\t" ABSURD "\n",
                          b_id, a.code, iv->created, a.interview, a.code, iv->created, a.interview, b_id, a.episode,
                          a.code);
  path = forge (&w, w.duo2, "absurd.submission", rows);
  report = vw_test_study_merge (w.coord, w.study, path);
  g_assert_cmpuint (report->conflicts, ==, 4);

  /* Nothing of A's was overwritten. */
  value = answer (w.coord, a.interview, "debts");
  g_assert_cmpstr (value, ==, "nee");
  p = vw_vault_get_participant (w.coord, w.study, a.code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->pseudonym, ==, "Anna");
  g_clear_pointer (&iv, vw_interview_free);
  iv = vw_vault_get_interview (w.coord, a.interview, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iv->status, ==, "interviewed");
  episodes = vw_vault_list_episodes (w.coord, w.study, a.code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((VwEpisode *) g_ptr_array_index (episodes, 0))->residence, ==, "nachtopvang");
  /* A conflict lists both, for each of the four. */
  got = sides (w.coord, w.study, "answer", a.interview);
  g_assert_nonnull (strstr (got, a_here));
  g_assert_nonnull (strstr (got, b_here));
  g_assert_nonnull (strstr (got, "=nee\n"));
  g_assert_nonnull (strstr (got, "=ja\n"));
  {
    const char *kinds[][2] = { { "participant", a.code }, { "interview", a.interview }, { "episode", a.episode } };

    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autofree char *s = sides (w.coord, w.study, kinds[i][0], kinds[i][1]);

        g_test_message ("%s: %s", kinds[i][0], s);
        g_assert_nonnull (strstr (s, a_here));
        g_assert_nonnull (strstr (s, b_here));
      }
  }

  /* A's genuine later update arrives and shows. */
  g_assert_true (vw_vault_save_answer (w.duo1, a.interview, "debts", "onbekend", &error));
  g_assert_true (vw_vault_set_pseudonym (w.duo1, w.study, a.code, "Anna K", &error));
  g_assert_true (vw_vault_set_interview_status (w.duo1, a.interview, "interviewed", "2026-02-12", NULL, &error));
  g_assert_no_error (error);
  sub2 = submit (&w, w.duo1, "noord2.submission", FALSE);
  merge_ok (w.coord, w.study, sub2);
  g_free (value);
  value = answer (w.coord, a.interview, "debts");
  g_assert_cmpstr (value, ==, "onbekend");
  g_clear_pointer (&p, vw_participant_free);
  p = vw_vault_get_participant (w.coord, w.study, a.code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->pseudonym, ==, "Anna K");
  g_clear_pointer (&iv, vw_interview_free);
  iv = vw_vault_get_interview (w.coord, a.interview, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iv->date, ==, "2026-02-12");
  g_free (got);
  got = sides (w.coord, w.study, "answer", a.interview);
  g_assert_nonnull (strstr (got, "=onbekend\n"));
  g_assert_nonnull (strstr (got, "=ja\n"));

  /* B's own record at the largest revision can be changed here: the next
   * revision does not overflow. */
  g_assert_true (vw_vault_set_pseudonym (w.coord, w.study, "DH-ZZZZZ", "Zoe Z", &error));
  g_assert_no_error (error);
  g_clear_pointer (&p, vw_participant_free);
  p = vw_vault_get_participant (w.coord, w.study, "DH-ZZZZZ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->pseudonym, ==, "Zoe Z");
  g_assert_cmpint (p->revision, ==, 1);

  anna_clear (&a);
  vw_test_study_clear (&w);
}

/* B receives A's participant by handover and changes the interview's
 * status and the episode: each becomes a conflict at the coordinator,
 * while the rows B relays unchanged merge without one. The coordinator
 * settles them by choosing a side with veldwerk-cli. */
static void
test_record_conflict (void)
{
  VwTestStudy w = { 0 };
  Anna a = { 0 };
  g_autofree char *sub = NULL, *handover = NULL, *relay = NULL, *south = NULL, *list = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  const char *codes[] = { NULL, NULL };

  vw_test_study_init (&w);
  make_anna (&w, &a);
  sub = submit (&w, w.duo1, "noord.submission", FALSE);
  merge_ok (w.coord, w.study, sub);

  south = device_id (w.duo1, w.study, "duo-zuid");
  handover = g_build_filename (w.dir, "anna.handover", NULL);
  codes[0] = a.code;
  g_assert_true (vw_exchange_write_handover (w.duo1, w.study, south, codes, handover, FALSE, NULL, &error));
  g_assert_no_error (error);
  merge_ok (w.duo2, w.study, handover);
  g_assert_true (vw_vault_set_interview_status (w.duo2, a.interview, "declined", NULL, "geen tijd", &error));
  g_assert_no_error (error);
  episodes = vw_vault_list_episodes (w.duo2, w.study, a.code, &error);
  g_assert_no_error (error);
  {
    VwEpisode *e = g_ptr_array_index (episodes, 0);

    g_free (e->end);
    e->end = g_strdup ("2025-09");
    g_assert_true (vw_vault_update_episode (w.duo2, e, &error));
    g_assert_no_error (error);
  }
  relay = submit (&w, w.duo2, "zuid.submission", FALSE);
  report = vw_test_study_merge (w.coord, w.study, relay);
  g_assert_cmpuint (report->conflicts, ==, 2);
  g_assert_cmpuint (count_open (w.coord, w.study), ==, 4);
  {
    g_autofree char *interview = sides (w.coord, w.study, "interview", a.interview);
    g_autofree char *episode = sides (w.coord, w.study, "episode", a.episode);
    g_autofree char *answers = sides (w.coord, w.study, "answer", a.interview);

    g_assert_cmpuint (count_sides (interview), ==, 2);
    g_assert_cmpuint (count_sides (episode), ==, 2);
    g_assert_cmpstr (answers, ==, "");
  }
  iv = vw_vault_get_interview (w.coord, a.interview, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iv->status, ==, "interviewed");

  /* The list names the laptops and the fields that differ. */
  close_coordinator (&w);
  g_assert_cmpint (vw_test_run_cli (pass_env, &list, &err, "--vault", w.coord_path, "conflicts", NULL), ==, 0);
  g_test_message ("%s", list);
  g_assert_nonnull (strstr (list, "status “declined”"));
  g_assert_nonnull (strstr (list, "status “interviewed”"));
  g_assert_nonnull (strstr (list, "by duo-zuid"));
  g_assert_nonnull (strstr (list, "end “2025-09”"));
  g_assert_null (strstr (list, "residence “"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (pass_env, &out, &err, "--vault", w.coord_path, "conflicts", "resolve",
                                    "interview", a.interview, "--device", "duo-zuid", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (pass_env, &out, &err, "--vault", w.coord_path, "conflicts", "resolve",
                                    "episode", a.episode, "--device", "duo-noord", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A record is settled by a side, not a typed value. */
  g_assert_cmpint (vw_test_run_cli (pass_env, &out, &err, "--vault", w.coord_path, "conflicts", "resolve",
                                    "interview", a.interview, "--value", "x", NULL), !=, 0);
  w.coord = vw_test_open_vault (w.coord_path);

  g_assert_cmpuint (count_open (w.coord, w.study), ==, 0);
  g_clear_pointer (&iv, vw_interview_free);
  iv = vw_vault_get_interview (w.coord, a.interview, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iv->status, ==, "declined");
  g_assert_cmpstr (iv->nonresponse_reason, ==, "geen tijd");
  g_clear_pointer (&episodes, g_ptr_array_unref);
  episodes = vw_vault_list_episodes (w.coord, w.study, a.code, &error);
  g_assert_no_error (error);
  g_assert_null (((VwEpisode *) g_ptr_array_index (episodes, 0))->end);

  anna_clear (&a);
  vw_test_study_clear (&w);
}

/* A handed over to B, who submits everything it holds: rows that B
 * relays unchanged merge without a conflict and change nothing. */
static void
test_relay (void)
{
  VwTestStudy w = { 0 };
  Anna a = { 0 };
  g_autofree char *sub = NULL, *handover = NULL, *relay = NULL, *south = NULL, *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  const char *codes[] = { NULL, NULL };

  vw_test_study_init (&w);
  make_anna (&w, &a);
  sub = submit (&w, w.duo1, "noord.submission", FALSE);
  merge_ok (w.coord, w.study, sub);
  south = device_id (w.duo1, w.study, "duo-zuid");
  handover = g_build_filename (w.dir, "anna.handover", NULL);
  codes[0] = a.code;
  g_assert_true (vw_exchange_write_handover (w.duo1, w.study, south, codes, handover, FALSE, NULL, &error));
  g_assert_no_error (error);
  merge_ok (w.duo2, w.study, handover);

  before = vw_exchange_canonical_dump (w.coord, w.study, &error);
  g_assert_no_error (error);
  relay = submit (&w, w.duo2, "zuid.submission", TRUE);
  report = vw_test_study_merge (w.coord, w.study, relay);
  /* Only B's audit entries are new. */
  g_assert_cmpuint (report->conflicts, ==, 0);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (count_open (w.coord, w.study), ==, 0);
  after = vw_exchange_canonical_dump (w.coord, w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, before);

  anna_clear (&a);
  vw_test_study_clear (&w);
}

/* A's clock runs five years ahead for a change and a submission, then is
 * set right for another change and submission: the coordinator holds
 * both changes. */
static void
test_clock (void)
{
  VwTestStudy w = { 0 };
  Anna a = { 0 };
  g_autofree char *sub = NULL, *ahead_sub = NULL, *back_sub = NULL, *ahead = NULL;
  g_autofree char *debts = NULL, *residence = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_years (now, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSubmissionSummary) summary = NULL;

  vw_test_study_init (&w);
  make_anna (&w, &a);
  sub = submit (&w, w.duo1, "noord.submission", FALSE);
  merge_ok (w.coord, w.study, sub);

  ahead = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
  g_setenv ("VELDWERK_TEST_NOW", ahead, TRUE);
  g_assert_true (vw_vault_save_answer (w.duo1, a.interview, "debts", "ja", &error));
  g_assert_no_error (error);
  ahead_sub = submit (&w, w.duo1, "ahead.submission", FALSE);
  merge_ok (w.coord, w.study, ahead_sub);

  g_unsetenv ("VELDWERK_TEST_NOW");
  g_assert_true (vw_vault_save_answer (w.duo1, a.interview, "residence", "bw", &error));
  g_assert_no_error (error);
  summary = vw_exchange_submission_summary (w.duo1, w.study, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->answers, ==, 1);
  back_sub = submit (&w, w.duo1, "back.submission", FALSE);
  merge_ok (w.coord, w.study, back_sub);

  debts = answer (w.coord, a.interview, "debts");
  residence = answer (w.coord, a.interview, "residence");
  g_assert_cmpstr (debts, ==, "ja");
  g_assert_cmpstr (residence, ==, "bw");
  anna_clear (&a);
  vw_test_study_clear (&w);
}

/* A's first submission, B's relay of it and A's later change, merged in
 * every order on copies of the coordinator: the same study each time. B
 * still holds the version A changed, so each order keeps both. */
static void
test_merge_order (void)
{
  VwTestStudy w = { 0 };
  Anna a = { 0 };
  g_autofree char *first = NULL, *handover = NULL, *relay = NULL, *change = NULL, *south = NULL, *dump = NULL;
  g_autoptr(GError) error = NULL;
  const char *codes[] = { NULL, NULL };
  const guint orders[][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };

  vw_test_study_init (&w);
  make_anna (&w, &a);
  first = submit (&w, w.duo1, "noord.submission", FALSE);
  south = device_id (w.duo1, w.study, "duo-zuid");
  handover = g_build_filename (w.dir, "anna.handover", NULL);
  codes[0] = a.code;
  g_assert_true (vw_exchange_write_handover (w.duo1, w.study, south, codes, handover, FALSE, NULL, &error));
  g_assert_no_error (error);
  merge_ok (w.duo2, w.study, handover);
  relay = submit (&w, w.duo2, "zuid.submission", FALSE);
  g_assert_true (vw_vault_save_answer (w.duo1, a.interview, "debts", "onbekend", &error));
  g_assert_no_error (error);
  change = submit (&w, w.duo1, "noord2.submission", FALSE);
  close_coordinator (&w);

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      const char *bundles[] = { first, relay, change };
      g_autofree char *copy = g_strdup_printf ("%s/order%u.vault", w.dir, o);
      g_autoptr(VwVault) vault = NULL;
      g_autofree char *d = NULL;

      vw_test_copy_file (w.coord_path, copy);
      vault = vw_test_open_vault (copy);
      for (guint i = 0; i < 3; i++)
        merge_ok (vault, w.study, bundles[orders[o][i]]);
      d = vw_exchange_canonical_dump (vault, w.study, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (vw_test_count_lines (d, "X\tanswer\t"), ==, 2);
      if (dump == NULL)
        dump = g_steal_pointer (&d);
      else
        g_assert_cmpstr (d, ==, dump);
      vw_vault_close (vault, &error);
      g_assert_no_error (error);
    }
  w.coord = vw_test_open_vault (w.coord_path);
  anna_clear (&a);
  vw_test_study_clear (&w);
}

/* Every write of a row that travels, whatever path it takes (the
 * interview screen's calls, an import, a merge), gives the row a change
 * sequence above the one before it, and the vault's counter never falls
 * behind a row: what a submission sends cannot be missed. */
static gint64
scalar (const char *path,
        const char *sql)
{
  sqlite3 *db = vw_test_raw_open (path);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

typedef struct
{
  const char *path;
  gint64      counter;
} SeqCheck;

/* The row @sql selects took a sequence above the counter before, and the
 * counter is at least it. */
static void
assert_fresh (SeqCheck   *check,
              const char *what,
              const char *sql)
{
  gint64 seq = scalar (check->path, sql);
  gint64 counter = scalar (check->path, "SELECT value FROM change_sequence");

  g_test_message ("%s: seq %" G_GINT64_FORMAT ", counter %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT, what, seq,
                  check->counter, counter);
  g_assert_cmpint (seq, >, check->counter);
  g_assert_cmpint (seq, <=, counter);
  check->counter = counter;
}

static void
test_sequence (void)
{
  VwTestStudy w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autofree char *quote = NULL, *episode = NULL, *sql = NULL, *records = NULL, *handover = NULL, *karel = NULL;
  g_autofree char *north = NULL;
  const char *karel_answers[] = { "residence", "bw", NULL };
  const char *codes[] = { NULL, NULL };
  VwEpisode e = { NULL, NULL, NULL, (char *) "2025-01", NULL, (char *) "straat", NULL, NULL, 0, NULL, 0 };
  SeqCheck check = { NULL, 0 };
  gboolean imported;

  vw_test_study_init (&w);
  check.path = w.duo1_path;
  check.counter = scalar (w.duo1_path, "SELECT value FROM change_sequence");

#define ROW(table, where) (g_free (sql), sql = g_strdup_printf ("SELECT seq FROM " table " WHERE %s", where))
  p = vw_vault_create_participant (w.duo1, w.study, NULL, "Bo", "DH", &error);
  g_assert_no_error (error);
  {
    g_autofree char *code_is = g_strdup_printf ("code = '%s'", p->code);

    assert_fresh (&check, "participant created", ROW ("participants", code_is));
    g_assert_true (vw_vault_set_participant_value (w.duo1, w.study, p->code, "birth_year", "1980", &error));
    g_assert_no_error (error);
    assert_fresh (&check, "value", ROW ("participant_values", code_is));
    g_assert_true (vw_vault_set_pseudonym (w.duo1, w.study, p->code, "Bo B", &error));
    g_assert_no_error (error);
    assert_fresh (&check, "pseudonym", ROW ("participants", code_is));
    iv = vw_vault_start_interview (w.duo1, w.study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    assert_fresh (&check, "interview started", ROW ("interviews", code_is));
    g_assert_true (vw_vault_set_interview_status (w.duo1, iv->id, "interviewed", "2026-02-01", NULL, &error));
    g_assert_no_error (error);
    assert_fresh (&check, "interview status", ROW ("interviews", code_is));
    g_assert_true (vw_vault_save_answer (w.duo1, iv->id, "debts", "ja", &error));
    g_assert_no_error (error);
    assert_fresh (&check, "answer", ROW ("answers", "question = 'debts'"));
    g_assert_true (vw_vault_save_note (w.duo1, iv->id, NULL, "een notitie", &error));
    g_assert_no_error (error);
    assert_fresh (&check, "note", ROW ("notes", "question = ''"));
    quote = vw_vault_add_quote (w.duo1, w.study, p->code, "T0", NULL, NULL, "een citaat", &error);
    g_assert_no_error (error);
    assert_fresh (&check, "quote", ROW ("quotes", code_is));
    g_assert_true (vw_vault_update_quote (w.duo1, quote, NULL, "een ander citaat", &error));
    g_assert_no_error (error);
    assert_fresh (&check, "quote changed", ROW ("quotes", code_is));
    e.study = w.study;
    e.code = p->code;
    episode = vw_vault_add_episode (w.duo1, &e, &error);
    g_assert_no_error (error);
    assert_fresh (&check, "episode", ROW ("episodes", code_is));
    episodes = vw_vault_list_episodes (w.duo1, w.study, p->code, &error);
    g_assert_no_error (error);
    g_free (((VwEpisode *) g_ptr_array_index (episodes, 0))->end);
    ((VwEpisode *) g_ptr_array_index (episodes, 0))->end = g_strdup ("2025-03");
    g_assert_true (vw_vault_update_episode (w.duo1, g_ptr_array_index (episodes, 0), &error));
    g_assert_no_error (error);
    assert_fresh (&check, "episode changed", ROW ("episodes", code_is));
    g_assert_true (vw_vault_set_consent (w.duo1, w.study, p->code, "T0", "research", "ja", NULL, &error));
    g_assert_no_error (error);
    assert_fresh (&check, "consent", ROW ("consents", code_is));
    g_assert_true (vw_vault_set_linkage_identity (w.duo1, w.study, p->code, "Bo de Boer", "1980-01-01", &error));
    g_assert_no_error (error);
    assert_fresh (&check, "linkage identity", ROW ("participants", code_is));
  }

  /* An import: every row it writes. */
  records = g_test_build_filename (G_TEST_DIST, "records", "denhaag", NULL);
  /* The test records hold interviews from 2018 on: rounds without a
   * fieldwork window take them. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (vw_vault_set_round_fieldwork (w.duo1, w.study, i == 0 ? "T0" : "T1", NULL, NULL, &error));
      g_assert_no_error (error);
    }
  imported = vw_vault_import_records_dir (w.duo1, w.study, records, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (imported);
  {
    const char *tables[] = { "participants", "participant_values", "interviews", "answers", "episodes" };
    gint64 before = check.counter;

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *stale = g_strdup_printf ("SELECT count (*) FROM %s WHERE seq <= %" G_GINT64_FORMAT,
                                                  tables[i], before);
        g_autofree char *fresh = g_strdup_printf ("SELECT count (*) FROM %s WHERE seq > %" G_GINT64_FORMAT,
                                                  tables[i], before);
        gint64 n_stale = scalar (w.duo1_path, stale);

        /* Only Bo's rows are older than the import. */
        g_assert_cmpint (n_stale, <=, 1);
        g_assert_cmpint (scalar (w.duo1_path, fresh), >, 0);
      }
    check.counter = scalar (w.duo1_path, "SELECT value FROM change_sequence");
  }

  /* A merge: every row a handover brings. */
  karel = vw_test_study_interview (&w, w.duo2, "Karel", karel_answers);
  north = device_id (w.duo2, w.study, "duo-noord");
  handover = g_build_filename (w.dir, "karel.handover", NULL);
  codes[0] = karel;
  g_assert_true (vw_exchange_write_handover (w.duo2, w.study, north, codes, handover, FALSE, NULL, &error));
  g_assert_no_error (error);
  {
    gint64 before = check.counter;
    g_autofree char *code_is = g_strdup_printf ("code = '%s'", karel);
    g_autofree char *stale = g_strdup_printf ("SELECT count (*) FROM answers WHERE interview IN (SELECT id FROM "
                                              "interviews WHERE code = '%s') AND seq <= %" G_GINT64_FORMAT, karel,
                                              before);

    merge_ok (w.duo1, w.study, handover);
    assert_fresh (&check, "merged participant", ROW ("participants", code_is));
    g_assert_cmpint (scalar (w.duo1_path, stale), ==, 0);
  }
#undef ROW

  /* The counter is never behind a row. */
  g_assert_cmpint (scalar (w.duo1_path, "SELECT max (m) FROM (SELECT max (seq) AS m FROM participants UNION ALL "
                                        "SELECT max (seq) FROM participant_values UNION ALL SELECT max (seq) FROM "
                                        "interviews UNION ALL SELECT max (seq) FROM answers UNION ALL SELECT max (seq) "
                                        "FROM notes UNION ALL SELECT max (seq) FROM quotes UNION ALL SELECT max (seq) "
                                        "FROM episodes UNION ALL SELECT max (seq) FROM consents)"),
                   <=, scalar (w.duo1_path, "SELECT value FROM change_sequence"));
  vw_test_study_clear (&w);
}

/* tests/data/vault-v5-exchange.vault (see make-vault-fixture-v5.c):
 * every value survives schema 6; authors the duos declared become this
 * laptop's ids of their signers; the conflict keeps both sides and can be
 * settled by a side; the answer changed after the last submission of the
 * second study is what its next submission sends. */
static void
test_migrate_v5 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-migrate-XXXXXX", &error);
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data",
                                                    "vault-v5-exchange.vault", NULL);
  g_autofree char *path = g_build_filename (dir, "v5.vault", NULL);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autofree char *dump = NULL, *north = NULL, *south = NULL, *coordinator = NULL, *second = NULL;
  g_autoptr(VwSubmissionSummary) summary = NULL;
  const char *interview = NULL;

  g_assert_no_error (error);
  vw_test_copy_file (fixture, path);
  vault = vw_vault_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, 5);
  g_clear_object (&vault);
  vault = vw_test_open_vault (path);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
  g_assert_true (vw_vault_verify (vault, &problems, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);

  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < studies->len; i++)
    {
      VwStudy *s = g_ptr_array_index (studies, i);
      if (s->role == VW_STUDY_ROLE_COORDINATOR)
        coordinator = g_strdup (s->id);
      else
        second = g_strdup (s->id);
    }
  g_assert_nonnull (coordinator);
  g_assert_nonnull (second);
  north = device_id (vault, coordinator, "duo-noord");
  south = device_id (vault, coordinator, "duo-zuid");

  /* The conflict: both sides, now under this laptop's ids of the duos. */
  open = vw_exchange_list_conflicts (vault, coordinator, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 2);
  for (guint i = 0; i < open->len; i++)
    {
      VwConflict *c = g_ptr_array_index (open, i);

      interview = c->object;
      g_assert_cmpstr (c->kind, ==, "answer");
      g_assert_cmpstr (c->field, ==, "debts");
      g_assert_true (g_str_equal (c->device, north) || g_str_equal (c->device, south));
      g_assert_cmpstr (c->value, ==, g_str_equal (c->device, north) ? "onbekend" : "ja");
    }

  /* Every value reads; answers and records name this laptop's devices. */
  participants = vw_vault_list_participants (vault, coordinator, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (participants->len, ==, 3);
  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);
      g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (vault, coordinator, p->code, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (g_str_equal (p->device, north) || g_str_equal (p->device, south));
      g_assert_cmpuint (p->seq, >, 0);
      for (guint j = 0; j < interviews->len; j++)
        {
          VwInterview *iv = g_ptr_array_index (interviews, j);
          g_autoptr(GPtrArray) answers = vw_vault_list_answers (vault, iv->id, &error);

          g_assert_no_error (error);
          g_assert_true (g_str_equal (iv->device, north) || g_str_equal (iv->device, south));
          for (guint k = 0; k < answers->len; k++)
            {
              VwAnswer *an = g_ptr_array_index (answers, k);
              g_assert_true (g_str_equal (an->device, north) || g_str_equal (an->device, south));
            }
        }
      if (g_str_equal (p->pseudonym, "Anna"))
        {
          g_autoptr(GPtrArray) quotes = vw_vault_list_quotes (vault, coordinator, p->code, NULL, &error);
          g_autoptr(GPtrArray) episodes = vw_vault_list_episodes (vault, coordinator, p->code, &error);
          g_autoptr(GPtrArray) consents = vw_vault_list_consents (vault, coordinator, p->code, &error);
          g_autofree char *birth = vw_vault_get_participant_value (vault, coordinator, p->code, "birth_year", &error);

          g_assert_no_error (error);
          g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->text, ==, "fixture-v5 quote");
          g_assert_cmpstr (((VwEpisode *) g_ptr_array_index (episodes, 0))->residence, ==, "nachtopvang");
          g_assert_cmpstr (((VwConsent *) g_ptr_array_index (consents, 0))->value, ==, "ja");
          g_assert_cmpstr (birth, ==, "1971");
          g_assert_cmpstr (p->device, ==, north);
        }
    }
  dump = vw_exchange_canonical_dump (vault, coordinator, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (dump, "fixture-v5 note"));

  /* The second study: only the answer changed after the last submission. */
  summary = vw_exchange_submission_summary (vault, second, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary->last_submission);
  g_assert_cmpuint (summary->answers, ==, 1);

  /* The migrated conflict is settled by a side. */
  {
    g_autofree char *object = g_strdup (interview);
    g_autofree char *value = NULL;

    g_assert_true (vw_exchange_resolve_side (vault, coordinator, "answer", object, "debts", "duo-zuid", &error));
    g_assert_no_error (error);
    value = answer (vault, object, "debts");
    g_assert_cmpstr (value, ==, "ja");
  }
  vw_vault_close (vault, &error);
  g_assert_no_error (error);
  vw_test_rm_rf (dir);
}

/* The fieldwork window of @round on @vault. */
static char *
round_window (VwVault    *vault,
              const char *study,
              const char *round)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = vw_vault_list_rounds (vault, study, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);

      if (g_str_equal (r->label, round))
        return g_strdup_printf ("%s..%s", r->fieldwork_start, r->fieldwork_end);
    }
  g_assert_not_reached ();
  return NULL;
}

/* The coordinator plans the rounds: its round preparation brings a
 * widened window to the duo. Another duo, trusted for handovers, cannot
 * send one (to move a window or add a round): refused, the duo's files
 * byte-identical. */
static void
test_round_preparation (void)
{
  VwTestStudy w = { 0 };
  const char * const answers[] = { "debts", "nee", NULL };
  g_autofree char *code = NULL, *sub = NULL, *prep = NULL, *noord = NULL, *window = NULL;
  g_autofree char *forged = g_build_filename (g_get_tmp_dir (), "unused", NULL);
  g_autofree char *zuid_id = NULL, *recipient = NULL, *text = NULL, *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) key = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  const char *codes[2] = { NULL, NULL };
  const char *paths[2] = { NULL, NULL };

  vw_test_study_init (&w);
  code = vw_test_study_interview (&w, w.duo1, "Anna", answers);
  sub = vw_test_study_submit (&w, w.duo1, "noord.submission");
  merge_ok (w.coord, w.study, sub);

  /* The coordinator gives T0 four more weeks and prepares T1. */
  g_assert_true (vw_vault_set_round_fieldwork (w.coord, w.study, "T0", "2026-01-05", "2026-04-24", &error));
  g_assert_no_error (error);
  noord = device_id (w.coord, w.study, "duo-noord");
  codes[0] = code;
  prep = g_build_filename (w.dir, "noord-t1.round", NULL);
  g_assert_true (vw_exchange_write_round_preparation (w.coord, w.study, noord, "T1", codes, prep, &error));
  g_assert_no_error (error);
  window = round_window (w.duo1, w.study, "T0");
  g_assert_cmpstr (window, !=, "2026-01-05..2026-04-24");
  merge_ok (w.duo1, w.study, prep);
  g_free (window);
  window = round_window (w.duo1, w.study, "T0");
  g_assert_cmpstr (window, ==, "2026-01-05..2026-04-24");

  /* duo-zuid signs a "round preparation" for duo-noord. */
  zuid_id = own_id (w.duo2);
  key = vw_vault_dup_ed25519_secret (w.duo2, &error);
  g_assert_no_error (error);
  recipient = vw_vault_get_age_recipient (w.duo1, &error);
  g_assert_no_error (error);
  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient, &error));
  g_assert_no_error (error);
  text = g_strdup_printf ("%s\tround_preparation\t%s\nS\t%s\nR\tT0\t2026-01-05\t2026-12-31\nR\tT9\t2027-05-01\t2027-06-01\n",
                          VW_EXCHANGE_ROWS_MAGIC, w.study, zuid_id);
  content = g_bytes_new (text, strlen (text));
  g_free (forged);
  forged = g_build_filename (w.dir, "zuid-forged.round", NULL);
  g_assert_true (vw_bundle_write_bytes (forged, VW_BUNDLE_KIND_ROUND_PREPARATION, w.study, key, recipients, content,
                                        NULL, NULL, &error));
  g_assert_no_error (error);

  vw_vault_close (w.duo1, &error);
  g_assert_no_error (error);
  g_clear_object (&w.duo1);
  before = dir_checksums (w.dir);
  w.duo1 = vw_test_open_vault (w.duo1_path);
  paths[0] = forged;
  report = vw_exchange_merge (w.duo1, w.study, paths, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "zuid-forged.round"));
  g_assert_nonnull (strstr (error->message, "coordinator"));
  g_clear_error (&error);
  vw_vault_close (w.duo1, &error);
  g_assert_no_error (error);
  g_clear_object (&w.duo1);
  after = dir_checksums (w.dir);
  g_assert_cmpstr (before, ==, after);
  w.duo1 = vw_test_open_vault (w.duo1_path);
  g_free (window);
  window = round_window (w.duo1, w.study, "T0");
  g_assert_cmpstr (window, ==, "2026-01-05..2026-04-24");
  vw_test_study_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/exchange-trust/spoofed-device", test_spoofed_device);
  g_test_add_func ("/exchange-trust/absurd-revisions", test_absurd_revisions);
  g_test_add_func ("/exchange-trust/record-conflict", test_record_conflict);
  g_test_add_func ("/exchange-trust/relay", test_relay);
  g_test_add_func ("/exchange-trust/clock", test_clock);
  g_test_add_func ("/exchange-trust/merge-order", test_merge_order);
  g_test_add_func ("/exchange-trust/sequence", test_sequence);
  g_test_add_func ("/exchange-trust/migrate-v5", test_migrate_v5);
  g_test_add_func ("/exchange-trust/round-preparation", test_round_preparation);
  return g_test_run ();
}
