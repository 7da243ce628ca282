/* Core test: a finished interview reopened with a reason, which the audit
 * trail keeps; what may not be reopened is refused and leaves the vault's
 * files as they were; and white space alone is no answer and no note.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-util.h"
#include "vw-test-vault.h"

typedef struct
{
  char    *dir;
  char    *path;
  char    *study;
  char    *code;
  VwVault *vault;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = NULL;

  f->dir = g_dir_make_tmp ("vw-reopen-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "reopen.vault", NULL);
  f->vault = vw_test_create_vault (f->path, &f->study, NULL);
  p = vw_vault_create_participant (f->vault, f->study, NULL, "Kees", "DH", &error);
  g_assert_no_error (error);
  f->code = g_strdup (p->code);
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
  g_free (f->code);
}

/* An interview held in T0 and finished as the application finishes one. */
static char *
finished_interview (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = vw_vault_start_interview (f->vault, f->study, f->code, "T0", NULL, NULL, NULL, NULL,
                                                        &error);

  g_assert_no_error (error);
  g_assert_true (vw_vault_save_answer (f->vault, iv->id, "birth_year", "1984", &error));
  g_assert_true (vw_vault_set_interview_status (f->vault, iv->id, "interviewed", "2026-02-03", NULL, &error));
  g_assert_true (vw_vault_set_interview_state (f->vault, iv->id, VW_INTERVIEW_FINISHED, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (iv->id);
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = finished_interview (f);
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *answer = NULL;
  VwAuditEntry *last;

  g_assert_true (vw_vault_reopen_interview (f->vault, id, "  Geboortejaar verkeerd\n", &error));
  g_assert_no_error (error);
  iv = vw_vault_get_interview (f->vault, id, &error);
  g_assert_no_error (error);
  /* Going on again: no outcome until it is finished again, the day it was
   * held and every answer kept. */
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_IN_PROGRESS);
  g_assert_null (iv->status);
  g_assert_cmpstr (iv->date, ==, "2026-02-03");
  answer = vw_vault_get_answer (f->vault, id, "birth_year", &error);
  g_assert_cmpstr (answer, ==, "1984");

  /* The audit trail says who reopened which interview, and why. */
  audit = vw_vault_list_audit (f->vault, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (audit, audit->len - 1);
  g_assert_cmpstr (last->action, ==, "interview_reopened");
  g_assert_cmpstr (last->object, ==, f->code);
  g_assert_cmpstr (last->detail, ==, "T0: Geboortejaar verkeerd");
  g_assert_true (vw_vault_verify (f->vault, &problems, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  /* Its reason is encrypted: it is nowhere in the vault's files. */
  g_assert_true (vw_vault_close (f->vault, &error));
  g_clear_object (&f->vault);
  g_assert_false (vw_test_file_contains (f->path, "Geboortejaar", strlen ("Geboortejaar")));
}

/* A refusal changes nothing: the vault's files are byte for byte what
 * they were. */
static void
assert_refused (Fixture    *f,
                const char *id,
                const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (vw_vault_close (f->vault, &error));
  g_clear_object (&f->vault);
  before = vw_test_vault_checksums (f->path);
  f->vault = vw_test_open_vault (f->path);
  g_assert_false (vw_vault_reopen_interview (f->vault, id, reason, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_assert_true (vw_vault_close (f->vault, NULL));
  g_clear_object (&f->vault);
  after = vw_test_vault_checksums (f->path);
  g_assert_cmpstr (before, ==, after);
  f->vault = vw_test_open_vault (f->path);
}

static void
test_reopen_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *finished = finished_interview (f);
  g_autoptr(VwInterview) going = NULL;
  g_autoptr(VwInterview) declined = NULL;
  g_autoptr(VwParticipant) other = vw_vault_create_participant (f->vault, f->study, NULL, "Bram", "DH", &error);
  g_autoptr(VwParticipant) third = vw_vault_create_participant (f->vault, f->study, NULL, "Cas", "DH", &error);

  g_assert_no_error (error);
  going = vw_vault_start_interview (f->vault, f->study, other->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  declined = vw_vault_start_interview (f->vault, f->study, third->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_true (vw_vault_set_interview_status (f->vault, declined->id, "declined", "2026-02-03", NULL, &error));
  g_assert_true (vw_vault_set_interview_state (f->vault, declined->id, VW_INTERVIEW_FINISHED, NULL, NULL, &error));
  g_assert_no_error (error);

  /* No reason, or only white space. */
  assert_refused (f, finished, NULL);
  assert_refused (f, finished, " \t\n");
  /* Not finished; a non-response, not an interview. */
  assert_refused (f, going->id, "Nog bezig");
  assert_refused (f, declined->id, "Toch gesproken");
}

/* Tabs, spaces and newlines alone are no answer and no note: saving them
 * removes what was there. */
static void
test_blank_answers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = vw_vault_start_interview (f->vault, f->study, f->code, "T0", NULL, NULL, NULL, NULL,
                                                        &error);
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *kept = NULL;

  g_assert_no_error (error);
  g_assert_true (vw_vault_save_answer (f->vault, iv->id, "life_story", "\t \n", &error));
  g_assert_true (vw_vault_save_answer (f->vault, iv->id, "wishes", "Een eigen huis", &error));
  g_assert_true (vw_vault_save_answer (f->vault, iv->id, "wishes", "\u00a0 \t", &error));
  g_assert_true (vw_vault_save_note (f->vault, iv->id, "residence", " \t", &error));
  g_assert_true (vw_vault_save_answer (f->vault, iv->id, "closing_remarks", "  Dank je\t", &error));
  g_assert_no_error (error);
  answers = vw_vault_list_answers (f->vault, iv->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answers->len, ==, 1);
  notes = vw_vault_list_notes (f->vault, iv->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);
  /* An answer with words keeps its spaces as typed. */
  kept = vw_vault_get_answer (f->vault, iv->id, "closing_remarks", &error);
  g_assert_cmpstr (kept, ==, "  Dank je\t");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add ("/vault/reopen/finished", Fixture, NULL, fixture_set_up, test_reopen, fixture_tear_down);
  g_test_add ("/vault/reopen/refused", Fixture, NULL, fixture_set_up, test_reopen_refused, fixture_tear_down);
  g_test_add ("/vault/answers/blank", Fixture, NULL, fixture_set_up, test_blank_answers, fixture_tear_down);

  return g_test_run ();
}
