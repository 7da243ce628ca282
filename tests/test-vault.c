/* The vault: life cycle, passphrase and recovery, every table through the
 * API, round destruction, format and damage errors, full disk, migration
 * from schema 1, and the device keys against the real age tools.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-resources.h"
#include "vw-vault-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("vw-vault-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.vault", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static VwSecret *
secret (const char *text)
{
  return vw_secret_new_from ((const guint8 *) text, strlen (text));
}

static void
on_unlocked (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  vw_vault_unlock_finish (VW_VAULT (source), result, error);
  g_main_context_wakeup (NULL);
}

static void
test_vault_lifecycle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) recovery = NULL;
  g_autoptr(VwSecret) wrong = secret ("not the passphrase");
  g_autoptr(VwSecret) right = vw_test_passphrase ();
  g_autoptr(VwSecret) weak = secret ("short");
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwVault) again = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwParticipant) p2 = NULL;
  g_autofree char *study = NULL;
  g_autofree char *id = NULL;
  GError *async_error = NULL;
  gboolean done = FALSE;

  /* A weak passphrase is refused before anything is written. */
  g_assert_null (vw_vault_create (f->path, weak, NULL, NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WEAK_PASSPHRASE);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  vault = vw_test_create_vault (f->path, &study, &recovery);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
  g_assert_cmpuint (strlen (vw_vault_get_id (vault)), ==, 32);
  id = g_strdup (vw_vault_get_id (vault));
  /* 7 groups of 5, dashes between. */
  g_assert_cmpuint (vw_secret_len (recovery), ==, 41);
  p = vw_vault_create_participant (vault, study, NULL, "Tom", "DH", &error);
  g_assert_no_error (error);

  /* Creating over an existing file is refused. */
  g_assert_null (vw_vault_create (f->path, right, NULL, NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Locked: every data call fails with LOCKED. */
  vw_vault_lock (vault);
  g_assert_false (vw_vault_is_unlocked (vault));
  g_assert_null (vw_vault_get_participant (vault, study, p->code, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (vw_vault_save_answer (vault, "x", "q1", "v", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (vw_vault_list_studies (vault, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_false (vw_vault_unlock (vault, wrong, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_PASSPHRASE);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  g_assert_false (vw_vault_is_unlocked (vault));
  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);

  /* Asynchronous unlock, as the interface does it. */
  vault = vw_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_vault_get_id (vault), ==, id);
  vw_vault_unlock_async (vault, right, NULL, on_unlocked, &async_error);
  while (!vw_vault_is_unlocked (vault) && async_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (async_error);
  p2 = vw_vault_get_participant (vault, study, p->code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p2->pseudonym, ==, "Tom");
  g_clear_pointer (&p2, vw_participant_free);
  g_clear_object (&vault);

  /* A cancelled unlock does not unlock. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    vault = vw_vault_open (f->path, &error);
    g_assert_no_error (error);
    g_cancellable_cancel (cancellable);
    vw_vault_unlock_async (vault, right, cancellable, on_unlocked, &async_error);
    while (async_error == NULL && !done)
      done = !g_main_context_iteration (NULL, TRUE) && vw_vault_is_unlocked (vault);
    g_assert_error (async_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&async_error);
    g_assert_false (vw_vault_is_unlocked (vault));
    g_clear_object (&vault);
  }

  /* Forgotten passphrase: the recovery code, typed in lower case with
   * spaces, unlocks; a new passphrase is set; nothing is lost. */
  {
    g_autofree char *typed = g_ascii_strdown ((const char *) vw_secret_const_data (recovery), -1);
    g_autoptr(VwSecret) code = NULL;
    g_autoptr(VwSecret) new_passphrase = secret ("a brand new passphrase");
    g_autoptr(GPtrArray) audit = NULL;
    gboolean recovery_logged = FALSE, change_logged = FALSE;

    g_strdelimit (typed, "-", ' ');
    code = secret (typed);
    vault = vw_vault_open (f->path, &error);
    g_assert_no_error (error);
    vw_vault_unlock_with_recovery_code (vault, code, NULL, &error);
    g_assert_no_error (error);
    vw_vault_change_passphrase (vault, new_passphrase, NULL, &error);
    g_assert_no_error (error);
    audit = vw_vault_list_audit (vault, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < audit->len; i++)
      {
        VwAuditEntry *entry = g_ptr_array_index (audit, i);
        recovery_logged |= g_strcmp0 (entry->action, "recovery_used") == 0;
        change_logged |= g_strcmp0 (entry->action, "passphrase_changed") == 0;
      }
    g_assert_true (recovery_logged && change_logged);
    g_clear_object (&vault);

    again = vw_vault_open (f->path, &error);
    g_assert_no_error (error);
    g_assert_false (vw_vault_unlock (again, right, NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_PASSPHRASE);
    g_clear_error (&error);
    vw_vault_unlock (again, new_passphrase, NULL, &error);
    g_assert_no_error (error);
    p2 = vw_vault_get_participant (again, study, p->code, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (p2->pseudonym, ==, "Tom");
    g_assert_true (vw_vault_verify (again, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

/* One lookup for "the study" everywhere: by id, then by name; no name
 * means the newest study, or in the strict form the only one. */
static void
test_vault_study_resolve (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL, *found = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, &first, NULL);
  g_autoptr(VwStudy) info = vw_vault_get_study (vault, first, &error);

  g_assert_no_error (error);
  found = vw_study_resolve_strict (vault, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, first);
  g_clear_pointer (&found, g_free);

  second = vw_vault_create_study (vault, "Tweede onderzoek", "DH", VW_STUDY_ROLE_DUO, NULL, &error);
  g_assert_no_error (error);
  found = vw_study_resolve (vault, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, second);
  g_clear_pointer (&found, g_free);
  g_assert_null (vw_study_resolve_strict (vault, NULL, &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_AMBIGUOUS);
  g_clear_error (&error);

  found = vw_study_resolve_strict (vault, info->name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, first);
  g_clear_pointer (&found, g_free);
  found = vw_study_resolve (vault, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, second);
  g_clear_pointer (&found, g_free);

  g_assert_null (vw_study_resolve (vault, "Derde onderzoek", &error));
  g_assert_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Derde onderzoek"));
}

static void
test_vault_recovery_code_errors (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) recovery = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, NULL, &recovery);
  g_autoptr(VwSecret) other = vw_recovery_code_generate ();
  g_autofree char *typo = g_strdup ((const char *) vw_secret_const_data (recovery));
  g_autoptr(VwSecret) typo_secret = NULL;

  vw_vault_lock (vault);
  /* A typo in group 3 is named without spending time on Argon2id. */
  typo[13] = typo[13] == 'A' ? 'B' : 'A';
  typo_secret = secret (typo);
  g_assert_false (vw_vault_unlock_with_recovery_code (vault, typo_secret, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID_RECOVERY_CODE);
  g_assert_nonnull (strstr (error->message, "3"));
  g_clear_error (&error);

  /* A well-formed code of another vault is simply wrong. */
  g_assert_false (vw_vault_unlock_with_recovery_code (vault, other, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_RECOVERY_CODE);
  g_assert_false (vw_vault_is_unlocked (vault));
}

static void
test_vault_wrong_passphrase_writes_nothing (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, NULL, NULL);
  g_autoptr(VwSecret) wrong = secret ("definitely wrong");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);
  before = vw_test_vault_checksums (f->path);

  vault = vw_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (vw_vault_unlock (vault, wrong, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_object (&vault);

  after = vw_test_vault_checksums (f->path);
  g_assert_cmpstr (before, ==, after);
}

static const char *
find_code (VwVault    *vault,
           const char *study,
           const char *pseudonym)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = vw_vault_list_participants (vault, study, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (list, i);
      if (g_strcmp0 (p->pseudonym, pseudonym) == 0)
        return g_intern_string (p->code);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_vault_domain (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, &study, NULL);
  VwTestFill fill;
  g_autoptr(VwParticipant) anna = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(VwSecret) linkage = NULL;
  g_autoptr(VwSecret) export_key = NULL;
  g_autoptr(VwStudy) s = NULL;
  g_autoptr(GBytes) changed = NULL;
  g_autofree char *answer = NULL;

  vw_test_fill_vault (vault, study, "dom", &fill);
  vw_test_check_fill (vault, &fill, "dom");

  /* The study: shipped questionnaire, T0 then T1, secrets per purpose. */
  s = vw_vault_get_study (vault, study, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->name, ==, "Testonderzoek");
  g_assert_cmpstr (s->regions[0], ==, "DH");
  g_assert_cmpint (s->role, ==, VW_STUDY_ROLE_DUO);
  g_assert_cmpstr (s->questionnaire_id, ==, "mo-bw-trajectory");
  g_assert_cmpuint (strlen (s->questionnaire_sha256), ==, 64);
  rounds = vw_vault_list_rounds (vault, study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, 2);
  g_assert_cmpstr (((VwRound *) g_ptr_array_index (rounds, 1))->label, ==, "T1");
  g_assert_cmpstr (((VwRound *) g_ptr_array_index (rounds, 1))->fieldwork_end, ==, "2025-06-30");
  g_assert_false (vw_vault_add_round (vault, study, "T3", NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  linkage = vw_vault_get_study_secret (vault, study, VW_STUDY_SECRET_LINKAGE, &error);
  g_assert_no_error (error);
  export_key = vw_vault_get_study_secret (vault, study, VW_STUDY_SECRET_EXPORT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vw_secret_len (linkage), ==, 32);
  g_assert_false (vw_secret_equal (linkage, export_key));

  /* A questionnaire id and version cannot change content. */
  {
    g_autoptr(GBytes) shipped = g_resource_lookup_data (vw_core_get_resource (),
                                                        VW_RESOURCE_SHIPPED_QUESTIONNAIRE, 0, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (shipped, NULL), g_bytes_get_size (shipped));
    g_autoptr(GString) edited = g_string_new (text);

    /* A reworded question, same id and version: a real, valid questionnaire. */
    g_assert_cmpuint (g_string_replace (edited, "\"Toestemming\"", "\"Toestemming vragen\"", 1), ==, 1);
    changed = g_bytes_new (edited->str, edited->len);
  }
  g_assert_false (vw_vault_add_questionnaire (vault, changed, NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Pseudonyms are unique however they are typed. */
  anna = vw_vault_create_participant (vault, study, NULL, "Anna", "DH", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (anna->code, "DH-"));
  g_assert_cmpuint (strlen (anna->code), ==, 8);
  for (const char * const *dup = (const char *[]) { "anna", "ANNA", "\xef\xbc\xa1nna", NULL }; *dup; dup++)
    {
      g_autoptr(VwParticipant) again = vw_vault_create_participant (vault, study, NULL, *dup, "DH", &error);
      g_assert_null (again);
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DUPLICATE_PSEUDONYM);
      g_assert_nonnull (strstr (error->message, anna->code));
      g_clear_error (&error);
      g_assert_false (vw_vault_pseudonym_available (vault, study, *dup, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (vw_vault_pseudonym_available (vault, study, *dup, anna->code, &error));
    }
  /* White space around a pseudonym is refused, not trimmed: the import
   * and the merge refuse it too. */
  g_assert_null (vw_vault_create_participant (vault, study, NULL, "  ANNA ", "DH", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "pseudonym: starts with white space; remove it");
  g_clear_error (&error);
  g_assert_false (vw_vault_pseudonym_available (vault, study, "Anna ", NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (vw_vault_pseudonym_available (vault, study, "Anne", NULL, &error));
  g_assert_false (vw_vault_set_pseudonym (vault, study, fill.code, "ANNA", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DUPLICATE_PSEUDONYM);
  g_clear_error (&error);
  vw_vault_set_pseudonym (vault, study, anna->code, "Anne", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (find_code (vault, study, "Anne"), ==, anna->code);
  g_assert_true (vw_vault_pseudonym_available (vault, study, "Anna", NULL, &error));
  {
    g_autoptr(VwParticipant) given = vw_vault_create_participant (vault, study, "DH-7K3QM", "Bo", "DH", &error);
    g_assert_no_error (error);
    g_assert_null (vw_vault_create_participant (vault, study, "DH-7K3QM", "Bea", "DH", &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_null (vw_vault_create_participant (vault, study, "DH-7K3QU", "Bea", "DH", &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (vw_vault_create_participant (vault, study, NULL, "Bea", "FL", &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
    vw_vault_add_study_region (vault, study, "FL", &error);
    g_assert_no_error (error);
    g_clear_pointer (&given, vw_participant_free);
    given = vw_vault_create_participant (vault, study, NULL, "Bea", "FL", &error);
    g_assert_no_error (error);
  }

  /* Values outside their code lists are refused, never stored. */
  g_assert_false (vw_vault_set_participant_value (vault, study, anna->code, "origin", "ergens", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_participant_value (vault, study, anna->code, "birth_year", "19x7", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_participant_value (vault, study, anna->code, "status", "declined", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (vw_vault_get_participant_value (vault, study, anna->code, "origin", &error));
  g_assert_no_error (error);
  vw_vault_set_participant_value (vault, study, fill.code, "municipality", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (vw_vault_get_participant_value (vault, study, fill.code, "municipality", &error));
  g_assert_no_error (error);

  /* Interviews: one per participant and round; answers get revisions. */
  g_assert_null (vw_vault_start_interview (vault, study, fill.code, "T0", NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (vw_vault_start_interview (vault, study, anna->code, "T0", "mo-bw-trajectory", "9.9.9", NULL, NULL,
                                           &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_interview_status (vault, fill.interview, "gone", NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  vw_vault_save_answer (vault, fill.interview, "q1", "changed", &error);
  g_assert_no_error (error);
  vw_vault_save_answer (vault, fill.interview, "q2", NULL, &error);
  g_assert_no_error (error);
  answers = vw_vault_list_answers (vault, fill.interview, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answers->len, ==, 1);
  g_assert_cmpstr (((VwAnswer *) g_ptr_array_index (answers, 0))->value, ==, "changed");
  g_assert_cmpint (((VwAnswer *) g_ptr_array_index (answers, 0))->revision, ==, 2);
  answer = vw_vault_get_answer (vault, fill.interview, "q9", &error);
  g_assert_no_error (error);
  g_assert_null (answer);
  vw_vault_set_interview_state (vault, fill.interview, VW_INTERVIEW_FINISHED, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(VwInterview) iv = vw_vault_find_interview (vault, study, fill.code, "T0", &error);
    g_autoptr(GPtrArray) t1 = vw_vault_list_interviews (vault, study, NULL, "T1", &error);

    g_assert_no_error (error);
    g_assert_cmpint (iv->state, ==, VW_INTERVIEW_FINISHED);
    g_assert_cmpstr (iv->status, ==, "deceased");
    g_assert_cmpuint (t1->len, ==, 1);
  }

  /* Episodes and consent are checked against the codebook. */
  {
    VwEpisode bad = { 0 };
    bad.study = study;
    bad.code = fill.code;
    bad.start = (char *) "2020-05";
    bad.end = (char *) "2020-01";
    bad.residence = (char *) "mo";
    g_assert_null (vw_vault_add_episode (vault, &bad, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
    bad.end = NULL;
    bad.residence = (char *) "kasteel";
    g_assert_null (vw_vault_add_episode (vault, &bad, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_false (vw_vault_set_consent (vault, study, fill.code, "T0", "research", "misschien", NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  g_clear_error (&error);

  vw_vault_update_quote (vault, fill.quote, "werk", "new text", &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) quotes = vw_vault_list_quotes (vault, study, NULL, "T0", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->text, ==, "new text");
    g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->theme, ==, "werk");
  }

  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Erasure takes everything about the person along. */
  vw_vault_delete_participant (vault, study, fill.code, &error);
  g_assert_no_error (error);
  g_assert_null (vw_vault_get_interview (vault, fill.interview, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vw_vault_get_contact (vault, study, fill.code, &error));
  g_assert_no_error (error);
  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_no_error (error);
  vw_test_fill_clear (&fill);
}

static void
test_vault_destroy_round (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, &study, NULL);
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GBytes) answer_ct = NULL;
  g_autoptr(GBytes) consent_ct = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) t1 = NULL;
  g_autoptr(VwInterview) t0 = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  VwTestFill fill;
  sqlite3 *raw;

  vw_test_fill_vault (vault, study, "destroy", &fill);
  raw = vw_test_raw_open (f->path);
  wrapped = vw_test_raw_blob (raw, "SELECT wrapped_key FROM rounds WHERE label = 'T1'");
  answer_ct = vw_test_raw_blob (raw, "SELECT value FROM answers a JOIN interviews i ON i.id = a.interview "
                                     "WHERE i.round = 'T1'");
  consent_ct = vw_test_raw_blob (raw, "SELECT value FROM consents WHERE round = 'T1'");
  sqlite3_close (raw);

  /* Before: both are on disk, in the file or its journal. */
  g_assert_true (vw_test_file_contains (f->path, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)) ||
                 vw_test_file_contains (wal, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)));
  g_assert_true (vw_test_file_contains (f->path, g_bytes_get_data (answer_ct, NULL), g_bytes_get_size (answer_ct)) ||
                 vw_test_file_contains (wal, g_bytes_get_data (answer_ct, NULL), g_bytes_get_size (answer_ct)));

  vw_vault_destroy_round (vault, study, "T1", &error);
  g_assert_no_error (error);

  rounds = vw_vault_list_rounds (vault, study, &error);
  g_assert_no_error (error);
  g_assert_nonnull (((VwRound *) g_ptr_array_index (rounds, 1))->destroyed_at);
  g_assert_null (((VwRound *) g_ptr_array_index (rounds, 0))->destroyed_at);
  t1 = vw_vault_list_interviews (vault, study, NULL, "T1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t1->len, ==, 0);
  g_assert_null (vw_vault_get_interview (vault, fill.interview_t1, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vw_vault_start_interview (vault, study, fill.other_code, "T1", NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DESTROYED);
  g_clear_error (&error);
  g_assert_false (vw_vault_destroy_round (vault, study, "T1", &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DESTROYED);
  g_clear_error (&error);

  /* Round T0 and everything outside rounds is untouched. */
  t0 = vw_vault_get_interview (vault, fill.interview, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t0->status, ==, "deceased");
  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Neither the key nor the data is left in the file or its journal,
   * before or after closing. */
  g_assert_false (vw_test_file_contains (f->path, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)));
  g_assert_false (vw_test_file_contains (wal, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)));
  g_assert_false (vw_test_file_contains (f->path, g_bytes_get_data (answer_ct, NULL), g_bytes_get_size (answer_ct)));
  g_assert_false (vw_test_file_contains (wal, g_bytes_get_data (answer_ct, NULL), g_bytes_get_size (answer_ct)));
  g_assert_false (vw_test_file_contains (f->path, g_bytes_get_data (consent_ct, NULL), g_bytes_get_size (consent_ct)));
  g_assert_true (vw_vault_close (vault, &error));
  g_assert_false (vw_test_file_contains (f->path, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)));
  vw_test_fill_clear (&fill);
}

static void
test_vault_newer_format (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, NULL, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *raw;

  g_clear_object (&vault);
  raw = vw_test_raw_open (f->path);
  vw_test_raw_exec (raw, "PRAGMA user_version = 99");
  sqlite3_close (raw);
  before = vw_test_vault_checksums (f->path);

  g_assert_null (vw_vault_open (f->path, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NEWER_FORMAT);
  g_assert_nonnull (strstr (error->message, "newer"));
  after = vw_test_vault_checksums (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_vault_corrupt_files (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, NULL, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *bad = g_build_filename (f->dir, "bad.vault", NULL);
  gsize len;

  g_clear_object (&vault);
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));

  /* A garbage header, a file cut to its first page, an empty file, a text
   * file: each a clear CORRUPT error naming the file. */
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *garbage = g_memdup2 (contents, len);
      gsize bad_len = len;

      switch (i)
        {
        case 0:
          memset (garbage, 0x5a, 100);
          break;
        case 1:
          bad_len = 4096;
          break;
        case 2:
          bad_len = 0;
          break;
        default:
          bad_len = 12;
          memcpy (garbage, "hello world\n", 12);
          break;
        }
      g_assert_true (g_file_set_contents (bad, garbage, bad_len, NULL));
      g_assert_null (vw_vault_open (bad, &error));
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, bad));
      g_clear_error (&error);
    }

  g_assert_null (vw_vault_open (f->dir, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
}

static void
test_vault_disk_full (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, &study, NULL);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwInterview) iv = NULL;
  /* As long as an answer may be. */
  g_autofree char *big = g_strnfill (VW_VALIDATE_TEXT_MAX, 'x');
  g_autofree char *kept = NULL;
  g_autofree char *limit = NULL;
  sqlite3_stmt *stmt;
  gboolean failed = FALSE;

  p = vw_vault_create_participant (vault, study, NULL, "Kees", "DH", &error);
  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vw_vault_save_answer (vault, iv->id, "q1", "kept", &error);
  g_assert_no_error (error);
  before = vw_vault_list_participants (vault, study, &error);
  g_assert_no_error (error);

  /* The disk is full: no page may be added to the file. */
  g_assert_cmpint (sqlite3_prepare_v2 (vault->db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  limit = g_strdup_printf ("PRAGMA max_page_count = %d", sqlite3_column_int (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (vault->db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  /* A single save that does not fit fails and keeps the old answer. */
  g_assert_false (vw_vault_save_answer (vault, iv->id, "q1", big, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DISK_FULL);
  g_clear_error (&error);
  kept = vw_vault_get_answer (vault, iv->id, "q1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "kept");

  /* A batch (as an import makes) that runs out of space halfway leaves
   * nothing of itself behind. */
  vw_vault_begin (vault, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 200 && !failed; i++)
    {
      g_autofree char *name = g_strdup_printf ("Naam%d", i);
      g_autoptr(VwParticipant) added = vw_vault_create_participant (vault, study, NULL, name, "DH", &error);

      if (added == NULL)
        failed = TRUE;
      else if (!vw_vault_set_participant_value (vault, study, added->code, "municipality",
                                                big + VW_VALIDATE_TEXT_MAX - VW_VALIDATE_MUNICIPALITY_MAX, &error))
        failed = TRUE;
    }
  g_assert_true (failed);
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DISK_FULL);
  g_clear_error (&error);
  vw_vault_rollback (vault);

  after = vw_vault_list_participants (vault, study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_no_error (error);

  /* With space again, writing works again. */
  g_assert_cmpint (sqlite3_exec (vault->db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  vw_vault_save_answer (vault, iv->id, "q1", big, &error);
  g_assert_no_error (error);
}

/* The fixture was made by tests/make-vault-fixture with schema 1. */
static void
test_vault_migrates_v1 (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data",
                                                    "vault-v1.vault", NULL);
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) interviewers = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(VwInterview) t0 = NULL;
  g_autoptr(VwInterview) t1 = NULL;
  VwTestFill fill = { 0 };
  VwAuditEntry *last;

  vw_test_copy_file (fixture, f->path);
  vault = vw_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, 1);
  g_clear_object (&vault);

  vault = vw_test_open_vault (f->path);
  g_assert_cmpint (vw_vault_get_schema_version (vault), ==, VW_VAULT_SCHEMA_VERSION);
  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  interviewers = vw_vault_list_interviewers (vault, &error);
  g_assert_no_error (error);
  fill.study = g_strdup (((VwStudy *) g_ptr_array_index (studies, 0))->id);
  fill.code = g_strdup (find_code (vault, fill.study, "fixture-v1-pseudonym-marker"));
  fill.interviewer = g_strdup (((VwInterviewer *) g_ptr_array_index (interviewers, 0))->id);
  t0 = vw_vault_find_interview (vault, fill.study, fill.code, "T0", &error);
  g_assert_no_error (error);
  t1 = vw_vault_find_interview (vault, fill.study, fill.code, "T1", &error);
  g_assert_no_error (error);
  fill.interview = g_strdup (t0->id);
  fill.interview_t1 = g_strdup (t1->id);
  fill.episode_residence = "nachtopvang";
  vw_test_check_fill (vault, &fill, "fixture-v1");

  audit = vw_vault_list_audit (vault, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (audit, audit->len - 1);
  g_assert_cmpstr (last->action, ==, "vault_migrated");
  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The new schema is in force: the audit trail is append-only. */
  g_assert_cmpint (sqlite3_exec (vault->db, "DELETE FROM audit WHERE seq = 1", NULL, NULL, NULL), !=, SQLITE_OK);
  vw_test_fill_clear (&fill);
}

static void
on_recovered (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  vw_vault_unlock_with_recovery_code_finish (VW_VAULT (source), result, error);
  g_main_context_wakeup (NULL);
}

/* The calls of later stages: a second study, editing and deleting every
 * kind of row, the actor in the audit trail, revoking a device. */
static void
test_vault_edits_and_deletes (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwSecret) recovery = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, &study, &recovery);
  g_autoptr(GBytes) questionnaire = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *second = NULL;
  g_autofree char *researcher = NULL;
  VwTestFill fill;

  vw_test_fill_vault (vault, study, "edit", &fill);
  g_assert_cmpstr (vw_vault_get_path (vault), ==, f->path);

  /* A coordinator's study on its own questionnaire. */
  {
    g_autofree char *example = g_test_build_filename (G_TEST_DIST, "questionnaires", "example.json", NULL);
    g_autofree char *json = NULL;
    gsize len = 0;
    g_autoptr(VwStudy) s = NULL;
    g_autoptr(GPtrArray) rounds = NULL;

    g_file_get_contents (example, &json, &len, &error);
    g_assert_no_error (error);
    questionnaire = g_bytes_new (json, len);
    second = vw_vault_create_study (vault, "Landelijk", "ZK", VW_STUDY_ROLE_COORDINATOR, questionnaire, &error);
    g_assert_no_error (error);
    s = vw_vault_get_study (vault, second, &error);
    g_assert_no_error (error);
    g_assert_cmpint (s->role, ==, VW_STUDY_ROLE_COORDINATOR);
    g_assert_cmpstr (s->questionnaire_id, ==, "example");
    stored = vw_vault_get_questionnaire (vault, "example", "1.0", &sha, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (stored, questionnaire));
    g_assert_cmpstr (sha, ==, s->questionnaire_sha256);
    rounds = vw_vault_list_rounds (vault, second, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rounds->len, ==, 1);
    vw_vault_set_round_fieldwork (vault, second, "T0", "2026-01-05", "2026-03-31", &error);
    g_assert_no_error (error);
    g_assert_false (vw_vault_set_round_fieldwork (vault, second, "T0", "2026-02-30", NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (vw_vault_set_round_fieldwork (vault, second, "T7", NULL, NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* The duo changes; the actor is named in the audit trail. */
  researcher = vw_vault_add_interviewer (vault, "Onderzoeker", VW_INTERVIEWER_RESEARCHER, NULL, &error);
  g_assert_no_error (error);
  vw_vault_set_actor (vault, researcher);
  g_assert_cmpstr (vw_vault_get_actor (vault), ==, researcher);
  vw_vault_set_interviewers (vault, fill.interview, researcher, fill.interviewer, &error);
  g_assert_no_error (error);
  {
    g_autoptr(VwInterview) iv = vw_vault_get_interview (vault, fill.interview, &error);
    g_autoptr(GPtrArray) audit = vw_vault_list_audit (vault, &error);
    VwAuditEntry *last;

    g_assert_no_error (error);
    g_assert_cmpstr (iv->interviewer1, ==, researcher);
    g_assert_cmpstr (iv->interviewer2, ==, fill.interviewer);
    /* Still encrypted in its place after the revision moved on. */
    g_assert_cmpstr (iv->status, ==, "deceased");
    last = g_ptr_array_index (audit, audit->len - 1);
    g_assert_cmpstr (last->actor, ==, researcher);
    g_assert_cmpstr (last->action, ==, "interview_duo_changed");
  }
  g_assert_false (vw_vault_set_interviewers (vault, fill.interview, "nobody", NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  vw_vault_set_actor (vault, NULL);
  g_assert_cmpstr (vw_vault_get_actor (vault), ==, "device");

  {
    g_autoptr(VwInterviewer) interviewer = vw_vault_get_interviewer (vault, fill.interviewer, &error);
    g_autoptr(VwInterviewer) again = NULL;

    g_assert_no_error (error);
    g_free (interviewer->name);
    interviewer->name = g_strdup ("Nieuwe naam");
    interviewer->active = FALSE;
    vw_vault_update_interviewer (vault, interviewer, &error);
    g_assert_no_error (error);
    again = vw_vault_get_interviewer (vault, fill.interviewer, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again->name, ==, "Nieuwe naam");
    g_assert_false (again->active);
    g_assert_cmpint (again->revision, ==, 2);
  }

  /* Episodes are edited and removed. */
  {
    g_autoptr(GPtrArray) episodes = vw_vault_list_episodes (vault, study, fill.code, &error);
    VwEpisode *episode;

    g_assert_no_error (error);
    episode = g_ptr_array_index (episodes, 0);
    g_free (episode->end);
    episode->end = g_strdup ("2001-12");
    vw_vault_update_episode (vault, episode, &error);
    g_assert_no_error (error);
    g_clear_pointer (&episodes, g_ptr_array_unref);
    episodes = vw_vault_list_episodes (vault, study, fill.code, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((VwEpisode *) g_ptr_array_index (episodes, 0))->end, ==, "2001-12");
    vw_vault_delete_episode (vault, fill.episode, &error);
    g_assert_no_error (error);
    g_assert_false (vw_vault_delete_episode (vault, fill.episode, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Quotes, contact details and interviews are removed. */
  vw_vault_delete_quote (vault, fill.quote, &error);
  g_assert_no_error (error);
  vw_vault_delete_contact (vault, study, fill.code, &error);
  g_assert_no_error (error);
  g_assert_null (vw_vault_get_contact (vault, study, fill.code, &error));
  g_assert_no_error (error);
  vw_vault_delete_interview (vault, fill.interview_t1, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) quotes = vw_vault_list_quotes (vault, study, NULL, NULL, &error);
    g_autoptr(GPtrArray) interviews = vw_vault_list_interviews (vault, study, fill.code, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (quotes->len, ==, 0);
    g_assert_cmpuint (interviews->len, ==, 1);
  }

  /* A revoked device stays listed, with the revocation bound to it. */
  vw_vault_revoke_device (vault, fill.device, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) devices = vw_vault_list_devices (vault, &error);
    g_autoptr(VwDevice) own = vw_vault_get_own_device (vault, &error);

    g_assert_no_error (error);
    g_assert_nonnull (((VwDevice *) g_ptr_array_index (devices, 1))->revoked_at);
    g_assert_true (own->own);
    g_assert_false (vw_vault_revoke_device (vault, own->id, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Recovery, asynchronously, as the interface does it. */
  {
    GError *async_error = NULL;

    vw_vault_lock (vault);
    vw_vault_unlock_with_recovery_code_async (vault, recovery, NULL, on_recovered, &async_error);
    while (!vw_vault_is_unlocked (vault) && async_error == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (async_error);
  }
  vw_test_fill_clear (&fill);
}

static char *
run (const char * const *argv,
     const char         *input)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return g_steal_pointer (&out);
}

/* The device's X25519 key works with the real age tools: age-keygen
 * derives the same recipient from the secret half, and a file encrypted
 * by age to the recipient decrypts with it. */
static void
test_vault_device_keys_age_interop (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (f->path, NULL, NULL);
  g_autoptr(VwSecret) x_secret = NULL;
  g_autoptr(VwSecret) sign_secret = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *signing = NULL;
  g_autoptr(VwAgeIdentity) identity = NULL;
  g_autoptr(VwSecret) identity_text = NULL;
  g_autofree char *identity_file = g_build_filename (f->dir, "identity.txt", NULL);
  g_autofree char *encrypted = g_build_filename (f->dir, "msg.age", NULL);
  g_autofree char *derived = NULL;
  g_autofree char *plain = NULL;
  g_autofree guint8 *pk = NULL;
  guint8 sig[crypto_sign_BYTES];
  gsize pk_len;

  recipient = vw_vault_get_age_recipient (vault, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (recipient, "age1"));
  g_assert_cmpuint (strlen (recipient), ==, 62);

  x_secret = vw_vault_dup_x25519_secret (vault, &error);
  g_assert_no_error (error);
  identity = vw_age_identity_new_x25519 (x_secret, &error);
  g_assert_no_error (error);
  identity_text = vw_age_identity_to_string (identity);
  g_assert_true (g_file_set_contents (identity_file, (const char *) vw_secret_const_data (identity_text),
                                      vw_secret_len (identity_text), NULL));
  g_chmod (identity_file, 0600);

  derived = run ((const char *[]) { "age-keygen", "-y", identity_file, NULL }, NULL);
  g_strchomp (derived);
  g_assert_cmpstr (derived, ==, recipient);

  g_free (run ((const char *[]) { "age", "-r", recipient, "-o", encrypted, NULL }, "hallo vault"));
  plain = run ((const char *[]) { "age", "-d", "-i", identity_file, encrypted, NULL }, NULL);
  g_assert_cmpstr (plain, ==, "hallo vault");

  /* The signing key signs what its public half verifies. */
  signing = vw_vault_get_signing_key (vault, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (signing, "ed25519:"));
  pk = g_base64_decode (signing + 8, &pk_len);
  g_assert_cmpuint (pk_len, ==, 32);
  sign_secret = vw_vault_dup_ed25519_secret (vault, &error);
  g_assert_no_error (error);
  crypto_sign_detached (sig, NULL, (const guint8 *) "submission", 10, vw_secret_const_data (sign_secret));
  g_assert_cmpint (crypto_sign_verify_detached (sig, (const guint8 *) "submission", 10, pk), ==, 0);
  g_assert_cmpint (crypto_sign_verify_detached (sig, (const guint8 *) "submissioN", 10, pk), !=, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

#define ADD(name, func) g_test_add ("/vault/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("lifecycle", test_vault_lifecycle);
  ADD ("recovery-code-errors", test_vault_recovery_code_errors);
  ADD ("wrong-passphrase-writes-nothing", test_vault_wrong_passphrase_writes_nothing);
  ADD ("domain", test_vault_domain);
  ADD ("edits-and-deletes", test_vault_edits_and_deletes);
  ADD ("destroy-round", test_vault_destroy_round);
  ADD ("newer-format", test_vault_newer_format);
  ADD ("corrupt-files", test_vault_corrupt_files);
  ADD ("disk-full", test_vault_disk_full);
  ADD ("migrates-v1", test_vault_migrates_v1);
  ADD ("device-keys-age-interop", test_vault_device_keys_age_interop);
  ADD ("study-resolve", test_vault_study_resolve);
#undef ADD

  return g_test_run ();
}
