/* test-tracing.c: tracing between rounds: locator details,
 * contact attempts and appointments on the duo's laptop, the round
 * worklist, the minimum of attempts for "not findable", and what a
 * submission carries of it to the coordinator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vw-core.h"
#include "vw-vault-tracing.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

typedef struct
{
  VwTestStudy w;
  char       *anna;  /* enrolled by duo-noord, interviewed at T0 */
  char       *tom;
  char       *sara;
} Fixture;

/* A submission with @body (the whole content) signed with @signer's own
 * key, for the coordinator: what a malicious enrolled laptop can make. */
static void
forge (VwTestStudy *w,
       VwVault     *signer,
       const char  *path,
       const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) key = vw_vault_dup_ed25519_secret (signer, &error);
  g_autofree char *recipient = vw_vault_get_age_recipient (w->coord, &error);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) content = g_bytes_new (text, strlen (text));

  g_assert_no_error (error);
  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient, &error));
  g_assert_no_error (error);
  g_assert_true (vw_bundle_write_bytes (path, VW_BUNDLE_KIND_SUBMISSION, w->study, key, recipients, content, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
}

/* Whether @bytes hold @text anywhere, NUL bytes or not. */
static gboolean
bytes_contain (GBytes     *bytes,
               const char *text)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize len = strlen (text);

  for (gsize i = 0; i + len <= size; i++)
    if (memcmp (data + i, text, len) == 0)
      return TRUE;
  return FALSE;
}

static char *
substitute (const char *pattern,
            const char *token,
            const char *value)
{
  g_auto(GStrv) parts = g_strsplit (pattern, token, -1);

  return g_strjoinv (value, parts);
}

static char *
enrol (VwVault    *vault,
       const char *study,
       const char *pseudonym)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, pseudonym, "DH", &error);

  g_assert_no_error (error);
  return g_strdup (p->code);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *answers[] = { "residence", "mo", NULL };

  vw_test_study_init (&f->w);
  f->anna = vw_test_study_interview (&f->w, f->w.duo1, "Anna", answers);
  f->tom = enrol (f->w.duo1, f->w.study, "Tom");
  f->sara = enrol (f->w.duo1, f->w.study, "Sara");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->anna);
  g_free (f->tom);
  g_free (f->sara);
  vw_test_study_clear (&f->w);
}

static char *
attempt (VwVault    *vault,
         const char *study,
         const char *code,
         const char *round,
         const char *date,
         const char *way,
         const char *outcome,
         const char *note,
         const char *place)
{
  g_autoptr(GError) error = NULL;
  char *id = vw_vault_save_attempt (vault, study, code, round, NULL, date, way, outcome, note, place, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* Attempts, appointments and locators are stored, listed in order, edited
 * and deleted; every field is validated with an error naming it. */
static void
test_records (Fixture       *f,
              gconstpointer  data)
{
  VwVault *v = f->w.duo1;
  const char *s = f->w.study;
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = attempt (v, s, f->tom, "T1", "2026-03-02", "visit", "no_answer", "bel aan", "opvang");
  g_autofree char *a2 = attempt (v, s, f->tom, "T1", "2026-03-01", "phone", "message_left", NULL, NULL);
  g_autofree char *ap = NULL;
  g_autofree char *loc = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const VwAttempt *first;
  char *edited;
  struct { const char *date, *way, *outcome, *note, *field; } bad[] = {
    { NULL, "phone", "reached", NULL, "date" },
    { "2026-02-30", "phone", "reached", NULL, "date" },
    { "2099-01-01", "phone", "reached", NULL, "date" },
    { "2026-03-01", "fax", "reached", NULL, "way" },
    { "2026-03-01", "phone", "gone", NULL, "outcome" },
    { "2026-03-01", "phone", "reached", "a\x01b", "note" },
  };

  list = vw_vault_list_attempts (v, s, f->tom, "T1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  first = g_ptr_array_index (list, 0);
  /* By date, not by when recorded. */
  g_assert_cmpstr (first->id, ==, a2);
  g_assert_cmpstr (first->way, ==, "phone");
  g_assert_cmpstr (first->outcome, ==, "message_left");
  g_assert_null (first->note);
  g_assert_cmpstr (((VwAttempt *) g_ptr_array_index (list, 1))->note, ==, "bel aan");
  g_assert_cmpstr (((VwAttempt *) g_ptr_array_index (list, 1))->place, ==, "opvang");
  g_clear_pointer (&list, g_ptr_array_unref);

  edited = vw_vault_save_attempt (v, s, f->tom, "T1", a1, "2026-03-02", "visit", "reached", "gesproken", NULL,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edited, ==, a1);
  g_free (edited);
  list = vw_vault_list_attempts (v, s, f->tom, "T1", &error);
  g_assert_cmpstr (((VwAttempt *) g_ptr_array_index (list, 1))->outcome, ==, "reached");
  g_assert_cmpstr (((VwAttempt *) g_ptr_array_index (list, 1))->note, ==, "gesproken");
  g_assert_null (((VwAttempt *) g_ptr_array_index (list, 1))->place);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_cmpint (vw_vault_count_attempts (v, s, f->tom, "T1", &error), ==, 2);
  g_assert_cmpint (vw_vault_count_attempts (v, s, f->sara, "T1", &error), ==, -1);
  g_assert_no_error (error);

  /* Another participant's attempt cannot be edited under Sara's code. */
  g_assert_null (vw_vault_save_attempt (v, s, f->sara, "T1", a1, "2026-03-02", "visit", "reached", NULL, NULL,
                                        &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s: ", bad[i].field);

      g_assert_null (vw_vault_save_attempt (v, s, f->tom, "T1", NULL, bad[i].date, bad[i].way, bad[i].outcome,
                                            bad[i].note, NULL, &error));
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_clear_error (&error);
    }
  g_assert_null (vw_vault_save_attempt (v, s, f->tom, "T9", NULL, "2026-03-01", "phone", "reached", NULL, NULL,
                                        &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (vw_vault_count_attempts (v, s, f->tom, "T1", &error), ==, 2);

  g_assert_true (vw_vault_delete_attempt (v, a2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_count_attempts (v, s, f->tom, "T1", &error), ==, 1);

  /* Appointments may lie ahead; a time is HH:MM. */
  ap = vw_vault_save_appointment (v, s, f->tom, "T1", NULL, "2099-05-04", "14:30", "bibliotheek", "koffie", &error);
  g_assert_no_error (error);
  g_assert_null (vw_vault_save_appointment (v, s, f->tom, "T1", NULL, "2026-05-04", "25:00", NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "time: "));
  g_clear_error (&error);
  edited = vw_vault_save_appointment (v, s, f->tom, "T1", ap, "2099-05-05", NULL, "station", NULL, &error);
  g_assert_no_error (error);
  g_free (edited);
  list = vw_vault_list_appointments (v, s, f->tom, "T1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((VwAppointment *) g_ptr_array_index (list, 0))->date, ==, "2099-05-05");
  g_assert_null (((VwAppointment *) g_ptr_array_index (list, 0))->time);
  g_assert_cmpstr (((VwAppointment *) g_ptr_array_index (list, 0))->place, ==, "station");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (vw_vault_delete_appointment (v, ap, &error));
  list = vw_vault_list_appointments (v, s, f->tom, "T1", &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Locators: several of each kind. */
  loc = vw_vault_save_locator (v, s, f->tom, NULL, "person", "zus Fatima", &error);
  g_assert_no_error (error);
  g_free (vw_vault_save_locator (v, s, f->tom, NULL, "person", "broer Ali", &error));
  g_free (vw_vault_save_locator (v, s, f->tom, NULL, "post_address", "postadres Leger des Heils", &error));
  g_assert_null (vw_vault_save_locator (v, s, f->tom, NULL, "home", "x", &error));
  g_assert_true (g_str_has_prefix (error->message, "kind: "));
  g_clear_error (&error);
  g_assert_null (vw_vault_save_locator (v, s, f->tom, NULL, "person", "   ", &error));
  g_assert_true (g_str_has_prefix (error->message, "details: "));
  g_clear_error (&error);
  list = vw_vault_list_locators (v, s, f->tom, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((VwLocator *) g_ptr_array_index (list, 0))->details, ==, "zus Fatima");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (vw_vault_delete_locator (v, loc, &error));
  list = vw_vault_list_locators (v, s, f->tom, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Every new table has row MACs: the vault verifies clean. */
  g_assert_true (vw_vault_check_integrity (v, &error));
  g_assert_no_error (error);

  /* The audit trail names the participant and round, never the note. */
  {
    g_autoptr(GPtrArray) audit = vw_vault_list_audit (v, &error);
    gboolean added = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < audit->len; i++)
      {
        VwAuditEntry *e = g_ptr_array_index (audit, i);

        added |= g_strcmp0 (e->action, "attempt_added") == 0 && g_strcmp0 (e->object, f->tom) == 0;
        g_assert_null (e->detail != NULL ? strstr (e->detail, "bel aan") : NULL);
        g_assert_null (e->detail != NULL ? strstr (e->detail, "zus Fatima") : NULL);
      }
    g_assert_true (added);
  }

  /* An attempt moved to another round with the sqlite3 tool is named by
   * verify, as is a deleted locator. */
  {
    sqlite3 *raw;
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_true (vw_vault_close (f->w.duo1, &error));
    g_clear_object (&f->w.duo1);
    raw = vw_test_raw_open (f->w.duo1_path);
    vw_test_raw_exec (raw, "UPDATE contact_attempts SET round = 'T0'");
    vw_test_raw_exec (raw, "DELETE FROM locators");
    g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
    f->w.duo1 = vw_test_open_vault (f->w.duo1_path);
    g_assert_false (vw_vault_check_integrity (f->w.duo1, &error));
    g_test_message ("%s", error->message);
    g_clear_error (&error);
    g_assert_false (vw_vault_verify (f->w.duo1, &problems, NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
    g_clear_error (&error);
    {
      g_autoptr(GString) all = g_string_new (NULL);

      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (all, "%s\n", (const char *) g_ptr_array_index (problems, i));
      g_test_message ("%s", all->str);
      g_assert_nonnull (strstr (all->str, "contact_attempts"));
      g_assert_nonnull (strstr (all->str, "locators"));
    }
  }
}

static gboolean
codes_are (GPtrArray   *entries,
           const char  *expected)
{
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      VwWorklistEntry *e = g_ptr_array_index (entries, i);

      if (i > 0)
        g_string_append_c (got, ' ');
      g_string_append (got, e->code);
    }
  g_test_message ("worklist: %s; expected %s", got->str, expected);
  return g_str_equal (got->str, expected);
}

static char *
sorted_codes (const char *a,
              const char *b)
{
  return strcmp (a, b) < 0 ? g_strdup_printf ("%s %s", a, b) : g_strdup_printf ("%s %s", b, a);
}

/* The worklist of T1: everyone due, and each filter with exactly the
 * codes it must give. Today is fixed. */
static void
test_worklist (Fixture       *f,
               gconstpointer  data)
{
  VwVault *v = f->w.duo1;
  const char *s = f->w.study;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *tom_sara = sorted_codes (f->tom, f->sara);
  g_autofree char *maarten = enrol (v, s, "Maarten");
  const char *today = "2026-03-10";

  /* Tom: three attempts; Sara: one, and an appointment in six days;
   * Anna: an appointment in eight days; Maarten: interviewed at T1. */
  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-03-0%d", i);
      g_free (attempt (v, s, f->tom, "T1", date, "phone", "no_answer", NULL, NULL));
    }
  g_free (attempt (v, s, f->sara, "T1", "2026-03-05", "care_worker", "appointment_made", NULL, NULL));
  g_free (attempt (v, s, f->sara, "T0", "2025-03-05", "phone", "no_answer", NULL, NULL));
  g_free (vw_vault_save_appointment (v, s, f->sara, "T1", NULL, "2026-03-16", "10:00", NULL, NULL, &error));
  g_assert_no_error (error);
  g_free (vw_vault_save_appointment (v, s, f->anna, "T1", NULL, "2026-03-18", NULL, NULL, NULL, &error));
  g_free (vw_vault_save_appointment (v, s, f->anna, "T1", NULL, "2026-03-01", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  iv = vw_vault_start_interview (v, s, maarten, "T1", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_set_interview_status (v, iv->id, "declined", "2026-03-03", NULL, &error));
  g_assert_no_error (error);

  all = vw_vault_round_worklist (v, s, "T1", VW_WORKLIST_ALL, today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  for (guint i = 0; i < all->len; i++)
    {
      VwWorklistEntry *e = g_ptr_array_index (all, i);

      g_assert_cmpstr (e->code, !=, maarten);
      if (g_str_equal (e->code, f->tom))
        {
          g_assert_cmpuint (e->attempts, ==, 3);
          g_assert_cmpstr (e->last_attempt, ==, "2026-03-03");
          g_assert_cmpstr (e->last_outcome, ==, "no_answer");
          g_assert_null (e->next_appointment);
          g_assert_cmpstr (e->pseudonym, ==, "Tom");
        }
      else if (g_str_equal (e->code, f->sara))
        {
          g_assert_cmpuint (e->attempts, ==, 1);
          g_assert_cmpstr (e->next_appointment, ==, "2026-03-16 10:00");
        }
      else
        {
          g_assert_cmpstr (e->code, ==, f->anna);
          g_assert_cmpuint (e->attempts, ==, 0);
          /* The past appointment is not the next one. */
          g_assert_cmpstr (e->next_appointment, ==, "2026-03-18");
        }
    }

  list = vw_vault_round_worklist (v, s, "T1", VW_WORKLIST_NOT_TRIED, today, &error);
  g_assert_true (codes_are (list, f->anna));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = vw_vault_round_worklist (v, s, "T1", VW_WORKLIST_TRIED_THREE, today, &error);
  g_assert_true (codes_are (list, f->tom));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = vw_vault_round_worklist (v, s, "T1", VW_WORKLIST_APPOINTMENT_WEEK, today, &error);
  g_assert_true (codes_are (list, f->sara));
  g_clear_pointer (&list, g_ptr_array_unref);
  /* Two days later Anna's appointment is within the week too. */
  list = vw_vault_round_worklist (v, s, "T1", VW_WORKLIST_APPOINTMENT_WEEK, "2026-03-12", &error);
  {
    g_autofree char *both = sorted_codes (f->anna, f->sara);
    g_assert_true (codes_are (list, both));
  }
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_no_error (error);
  (void) tom_sara;
}

/* "Not findable" below the study's minimum is refused without a reason
 * and stored with one; the minimum is the study's. */
static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  VwVault *v = f->w.duo1;
  const char *s = f->w.study;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(VwInterview) back = NULL;
  g_autofree char *before = NULL;

  g_assert_cmpint (vw_vault_get_min_attempts (v, s, &error), ==, VW_TRACING_DEFAULT_MIN_ATTEMPTS);
  g_free (attempt (v, s, f->tom, "T1", "2026-03-01", "phone", "no_answer", NULL, NULL));
  g_free (attempt (v, s, f->tom, "T1", "2026-03-02", "visit", "no_answer", NULL, NULL));
  iv = vw_vault_start_interview (v, s, f->tom, "T1", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (vw_vault_set_interview_status (v, iv->id, "unreachable", "2026-03-03", NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "at least 3"));
  g_assert_nonnull (strstr (error->message, "(2 recorded)"));
  g_clear_error (&error);
  g_assert_false (vw_vault_set_interview_status (v, iv->id, "unreachable", "2026-03-03", "  ", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  back = vw_vault_get_interview (v, iv->id, &error);
  g_assert_null (back->status);
  g_clear_pointer (&back, vw_interview_free);

  /* With a reason. */
  g_assert_true (vw_vault_set_interview_status (v, iv->id, "unreachable", "2026-03-03", "verhuisd naar Spanje",
                                                &error));
  g_assert_no_error (error);
  back = vw_vault_get_interview (v, iv->id, &error);
  g_assert_cmpstr (back->status, ==, "unreachable");
  g_clear_pointer (&back, vw_interview_free);

  /* With enough attempts, no reason is needed. */
  g_assert_true (vw_vault_set_interview_status (v, iv->id, NULL, NULL, NULL, &error));
  g_free (attempt (v, s, f->tom, "T1", "2026-03-03", "care_worker", "contact_invalid", NULL, NULL));
  g_assert_true (vw_vault_set_interview_status (v, iv->id, "unreachable", "2026-03-04", NULL, &error));
  g_assert_no_error (error);

  /* The study raises the minimum to 5: Sara's single attempt is not
   * enough, and a bad minimum is refused. */
  g_assert_true (vw_vault_set_min_attempts (v, s, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_get_min_attempts (v, s, &error), ==, 5);
  g_assert_false (vw_vault_set_min_attempts (v, s, 99, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&iv, vw_interview_free);
  iv = vw_vault_start_interview (v, s, f->sara, "T1", NULL, NULL, NULL, NULL, &error);
  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-03-0%d", i);
      g_free (attempt (v, s, f->sara, "T1", date, "phone", "no_answer", NULL, NULL));
    }
  g_assert_false (vw_vault_set_interview_status (v, iv->id, "unreachable", "2026-03-05", NULL, &error));
  g_assert_nonnull (strstr (error->message, "at least 5"));
  g_clear_error (&error);
}

/* Every free-text field the duo can fill in for tracing holds a unique
 * marker; the decrypted submission holds the counts and outcomes and
 * none of the markers; the coordinator's merge stores the counts, and its
 * records carry them. */
static void
test_submission (Fixture       *f,
                 gconstpointer  data)
{
  VwVault *v = f->w.duo1;
  const char *s = f->w.study;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *outcomes = NULL;
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(VwRecords) records = NULL;
  const char *markers[] = {
    "MARKER-NOTE-1f3a", "MARKER-PLACE-9c2e", "MARKER-NOTE-77b1", "MARKER-PLACE-4d0e",
    "MARKER-APPT-PLACE-5a6b", "MARKER-APPT-NOTE-e3f0", "MARKER-LOC-PERSON-0b1c", "MARKER-LOC-ORG-2d3e",
    "MARKER-LOC-SLEEP-4f5a", "MARKER-LOC-POST-6b7c",
  };
  int count = 0;
  guint n = 0;
  const VwRoundRecord *rounds;
  gboolean seen = FALSE;

  g_free (attempt (v, s, f->tom, "T1", "2026-03-01", "phone", "no_answer", markers[0], markers[1]));
  g_free (attempt (v, s, f->tom, "T1", "2026-03-02", "visit", "message_left", markers[2], markers[3]));
  g_free (attempt (v, s, f->anna, "T0", "2026-02-01", "participant", "reached", NULL, NULL));
  g_free (vw_vault_save_appointment (v, s, f->tom, "T1", NULL, "2099-03-05", "11:00", markers[4], markers[5],
                                     &error));
  g_assert_no_error (error);
  g_free (vw_vault_save_locator (v, s, f->tom, NULL, "person", markers[6], &error));
  g_free (vw_vault_save_locator (v, s, f->tom, NULL, "organisation", markers[7], &error));
  g_free (vw_vault_save_locator (v, s, f->tom, NULL, "sleeping_place", markers[8], &error));
  g_free (vw_vault_save_locator (v, s, f->tom, NULL, "post_address", markers[9], &error));
  g_assert_no_error (error);

  path = vw_test_study_submit (&f->w, v, "noord.submission");
  bundle = vw_study_open_bundle (f->w.coord, path, VW_BUNDLE_KIND_SUBMISSION, s, &error);
  g_assert_no_error (error);
  content = vw_bundle_load_content (bundle, 64 * 1024 * 1024, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      if (bytes_contain (content, markers[i]))
        g_test_message ("the submission holds %s", markers[i]);
      g_assert_false (bytes_contain (content, markers[i]));
    }
  /* "MARKER" alone: no part of any marker either. */
  g_assert_null (strstr (text, "MARKER"));
  expected = g_strdup_printf ("\nT\t%s\tT1\t2\tno_answer,message_left\t", f->tom);
  g_assert_nonnull (strstr (text, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\nT\t%s\tT0\t1\treached\t", f->anna);
  g_assert_nonnull (strstr (text, expected));

  vw_merge_report_free (vw_test_study_merge (f->w.coord, s, path));
  g_assert_true (vw_vault_get_attempt_summary (f->w.coord, s, f->tom, "T1", &count, &outcomes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 2);
  g_assert_cmpstr (outcomes, ==, "no_answer,message_left");
  g_assert_cmpint (vw_vault_count_attempts (f->w.coord, s, f->tom, "T1", &error), ==, 2);
  g_assert_cmpint (vw_vault_count_attempts (f->w.coord, s, f->anna, "T0", &error), ==, 1);
  g_assert_cmpint (vw_vault_count_attempts (f->w.coord, s, f->sara, "T1", &error), ==, -1);
  g_assert_true (vw_vault_check_integrity (f->w.coord, &error));
  g_assert_no_error (error);

  /* The coordinator's records carry Anna's T0 count. */
  records = vw_vault_load_records (f->w.coord, s, &error);
  g_assert_no_error (error);
  rounds = vw_records_get_rounds (records, &n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (rounds[i].code, f->anna) == 0 && rounds[i].round == 0)
      {
        g_assert_cmpint (rounds[i].attempts, ==, 1);
        seen = TRUE;
      }
  g_assert_true (seen);
  g_clear_pointer (&records, vw_records_unref);
  /* And the duo's own, likewise. */
  records = vw_vault_load_records (v, s, &error);
  g_assert_no_error (error);
  rounds = vw_records_get_rounds (records, &n);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpint (rounds[0].attempts, ==, 1);

  /* A later attempt sends the summary again, and the merge replaces it;
   * the same submission merged again changes nothing. */
  g_free (attempt (v, s, f->tom, "T1", "2026-03-04", "care_worker", "refused", NULL, NULL));
  g_clear_pointer (&path, g_free);
  path = vw_test_study_submit (&f->w, v, "noord2.submission");
  vw_merge_report_free (vw_test_study_merge (f->w.coord, s, path));
  vw_merge_report_free (vw_test_study_merge (f->w.coord, s, path));
  g_clear_pointer (&outcomes, g_free);
  g_assert_true (vw_vault_get_attempt_summary (f->w.coord, s, f->tom, "T1", &count, &outcomes, &error));
  g_assert_cmpint (count, ==, 3);
  g_assert_cmpstr (outcomes, ==, "no_answer,message_left,refused");
}

/* A summary row whose count and outcomes disagree, or with an unknown
 * outcome, is refused naming the line and field, and the coordinator's
 * vault is left byte-identical. */
static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  const char *rows[] = {
    "T\tCODE\tT1\t2\tno_answer\t5\tOWN\n",
    "T\tCODE\tT1\t1\tgone\t5\tOWN\n",
    "T\tCODE\tT1\tmany\tno_answer\t5\tOWN\n",
    "T\tCODE\tT1\t1\tno_answer\t5\tsomeone-else\n",
  };
  const char *expect[] = { "outcomes", "outcomes", "count", "device" };
  g_autoptr(GError) error = NULL;
  g_autofree char *own = NULL;
  g_autofree char *sub = vw_test_study_submit (&f->w, f->w.duo1, "first.submission");
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *header = NULL;

  vw_merge_report_free (vw_test_study_merge (f->w.coord, f->w.study, sub));
  /* The sender id duo-noord uses, from its first submission. */
  bundle = vw_study_open_bundle (f->w.coord, sub, VW_BUNDLE_KIND_SUBMISSION, f->w.study, &error);
  g_assert_no_error (error);
  content = vw_bundle_load_content (bundle, 64 * 1024 * 1024, &error);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
    char *srow = strstr (text, "\nS\t");
    g_assert_nonnull (srow);
    own = g_strndup (srow + 3, strcspn (srow + 3, "\n"));
    header = g_strndup (text, srow + 1 - text);
  }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *with_code = substitute (rows[i], "CODE", f->tom);
      g_autofree char *row = substitute (with_code, "OWN", own);
      g_autofree char *body = g_strdup_printf ("%sS\t%s\n%s", header, own, row);
      g_autofree char *path = g_strdup_printf ("%s/bad-%u.submission", f->w.dir, i);
      g_autofree char *snap_before = NULL;
      g_autofree char *snap_after = NULL;
      const char *paths[] = { path, NULL };
      VwMergeReport *report;

      forge (&f->w, f->w.duo1, path, body);
      g_assert_true (vw_vault_close (f->w.coord, &error));
      g_clear_object (&f->w.coord);
      snap_before = vw_test_vault_checksums (f->w.coord_path);
      f->w.coord = vw_test_open_vault (f->w.coord_path);
      report = vw_exchange_merge (f->w.coord, f->w.study, paths, NULL, NULL, NULL, &error);
      g_assert_null (report);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "line 3"));
      g_assert_nonnull (strstr (error->message, expect[i]));
      g_clear_error (&error);
      g_assert_true (vw_vault_close (f->w.coord, &error));
      g_clear_object (&f->w.coord);
      snap_after = vw_test_vault_checksums (f->w.coord_path);
      g_assert_cmpstr (snap_before, ==, snap_after);
      f->w.coord = vw_test_open_vault (f->w.coord_path);
    }
}

/* The coordinator's minimum travels in the invitation: a duo that joins
 * afterwards refuses "not findable" below it. */
static void
test_invitation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autofree char *path = g_build_filename (f->w.dir, "duo3.vault", NULL);
  g_autofree char *invitation = g_build_filename (f->w.dir, "duo3.invitation", NULL);
  g_autofree char *recipient = NULL, *signing = NULL, *device = NULL, *coordinator_key = NULL, *joined = NULL;
  g_autofree char *code = NULL;
  g_autoptr(VwVault) duo = NULL;
  g_autoptr(VwInterview) iv = NULL;
  VwVaultCreateOptions options = { 0 };

  options.device_label = "duo-oost";
  options.study_name = "eigen";
  options.study_region = "DH";
  options.study_role = VW_STUDY_ROLE_DUO;
  duo = vw_vault_create (path, passphrase, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_set_min_attempts (f->w.coord, f->w.study, 2, &error));
  recipient = vw_vault_get_age_recipient (duo, &error);
  signing = vw_vault_get_signing_key (duo, &error);
  device = vw_study_add_device (f->w.coord, f->w.study, "duo-oost", recipient, signing, &error);
  g_assert_no_error (error);
  g_assert_true (vw_study_write_invitation (f->w.coord, f->w.study, device, invitation, &error));
  coordinator_key = vw_vault_get_signing_key (f->w.coord, &error);
  joined = vw_study_join (duo, invitation, coordinator_key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_get_min_attempts (duo, f->w.study, &error), ==, 2);
  /* Joined before the change, duo-noord keeps the default. */
  g_assert_cmpint (vw_vault_get_min_attempts (f->w.duo1, f->w.study, &error), ==, 3);

  code = enrol (duo, f->w.study, "Kees");
  g_free (attempt (duo, f->w.study, code, "T1", "2026-03-01", "phone", "no_answer", NULL, NULL));
  iv = vw_vault_start_interview (duo, f->w.study, code, "T1", NULL, NULL, NULL, NULL, &error);
  g_assert_false (vw_vault_set_interview_status (duo, iv->id, "unreachable", "2026-03-02", NULL, &error));
  g_assert_nonnull (strstr (error->message, "at least 2"));
  g_clear_error (&error);
  g_free (attempt (duo, f->w.study, code, "T1", "2026-03-02", "visit", "no_answer", NULL, NULL));
  g_assert_true (vw_vault_set_interview_status (duo, iv->id, "unreachable", "2026-03-02", NULL, &error));
  g_assert_no_error (error);
}

/* A vault of schema 5 migrates to the tracing tables with its values. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-tracing-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "v5.vault", NULL);
  g_autofree char *fixture = g_build_filename (g_getenv ("VELDWERK_SOURCE_DIR"), "tests", "data", "vault-v5.vault",
                                               NULL);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  g_assert_no_error (error);
  vw_test_copy_file (fixture, path);
  vault = vw_test_open_vault (path);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, >, 0);
  {
    VwStudy *study = g_ptr_array_index (studies, 0);
    participants = vw_vault_list_participants (vault, study->id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (participants->len, >, 0);
    g_assert_cmpint (vw_vault_get_min_attempts (vault, study->id, &error), ==, 3);
  }
  g_assert_true (vw_vault_check_integrity (vault, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);
  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add ("/tracing/records", Fixture, NULL, fixture_set_up, test_records, fixture_tear_down);
  g_test_add ("/tracing/worklist", Fixture, NULL, fixture_set_up, test_worklist, fixture_tear_down);
  g_test_add ("/tracing/unreachable", Fixture, NULL, fixture_set_up, test_unreachable, fixture_tear_down);
  g_test_add ("/tracing/submission", Fixture, NULL, fixture_set_up, test_submission, fixture_tear_down);
  g_test_add ("/tracing/invitation", Fixture, NULL, fixture_set_up, test_invitation, fixture_tear_down);
  g_test_add ("/tracing/bad-rows", Fixture, NULL, fixture_set_up, test_bad_rows, fixture_tear_down);
  g_test_add_func ("/tracing/migrate", test_migrate);
  return g_test_run ();
}
