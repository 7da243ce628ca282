/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "vw-questionnaire.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

VwSecret *
vw_test_passphrase (void)
{
  return vw_secret_new_from ((const guint8 *) VW_TEST_PASSPHRASE, strlen (VW_TEST_PASSPHRASE));
}

/* A vault with one study (region DH, shipped questionnaire, round T0). */
VwVault *
vw_test_create_vault (const char  *path,
                      char       **study,
                      VwSecret   **recovery_code)
{
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  VwVaultCreateOptions options = { 0 };
  VwVault *vault;

  options.study_name = "Testonderzoek";
  options.study_region = "DH";
  vault = vw_vault_create (path, passphrase, &options, recovery_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_is_unlocked (vault));
  studies = vw_vault_list_studies (vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, ==, 1);
  if (study != NULL)
    *study = g_strdup (((VwStudy *) g_ptr_array_index (studies, 0))->id);
  return vault;
}

VwVault *
vw_test_open_vault (const char *path)
{
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(GError) error = NULL;
  VwVault *vault = vw_vault_open (path, &error);

  g_assert_no_error (error);
  vw_vault_unlock (vault, passphrase, NULL, &error);
  g_assert_no_error (error);
  return vault;
}

static char *
mark (const char *prefix,
      const char *what)
{
  return g_strdup_printf ("%s-%s-marker", prefix, what);
}

/* The distinctive values vw_test_fill_vault() writes that are codes or
 * dates rather than free text; each must stay encrypted too. */
static const char * const coded_values[][2] = {
  { "origin", "buiten_regio" },
  { "hist_street", "niet_besproken" },
  { "birth_year", "1937" },
  { "status", "deceased" },
  { "date", "1997-05-06" },
  { "episode start", "1999-03" },
  /* A residence code the stored questionnaire does not mention, so finding it
   * in the file can only mean the episode leaked. */
  { "episode residence", "nachtopvang" },
  { "consent value", "ingetrokken" },
  { "consent date", "1998-07-14" },
};

/**
 * vw_test_markers:
 *
 * Returns: (transfer full) (element-type VwTestMarker): every value the
 * fill writes into an encrypted field
 */
static void
marker_free (gpointer data)
{
  VwTestMarker *marker = data;

  g_free (marker->text);
  g_free (marker);
}

GPtrArray *
vw_test_markers (const char *prefix)
{
  static const char * const texts[] = {
    "pseudonym", "other-pseudonym", "municipality", "hist-extra", "phone", "usual-place", "care-contact",
    "real-name", "remarks", "interviewer-name", "reason", "answer-q1", "answer-q2", "answer-t1",
    "note-general", "note-q1", "quote", "audit-detail", "device-label",
  };
  GPtrArray *markers = g_ptr_array_new_with_free_func (marker_free);

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      VwTestMarker *m = g_new0 (VwTestMarker, 1);
      m->what = texts[i];
      m->text = mark (prefix, texts[i]);
      g_ptr_array_add (markers, m);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (coded_values); i++)
    {
      VwTestMarker *m = g_new0 (VwTestMarker, 1);
      m->what = coded_values[i][0];
      m->text = g_strdup (coded_values[i][1]);
      g_ptr_array_add (markers, m);
    }
  return markers;
}

/* Writes a value into every encrypted field of every table, through the
 * public API. */
void
vw_test_fill_vault (VwVault    *vault,
                    const char *study,
                    const char *prefix,
                    VwTestFill *fill)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwParticipant) other = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(VwInterview) iv1 = NULL;
  g_autofree char *pseudonym = mark (prefix, "pseudonym");
  g_autofree char *other_pseudonym = mark (prefix, "other-pseudonym");
  g_autofree char *municipality = mark (prefix, "municipality");
  g_autofree char *hist_extra = mark (prefix, "hist-extra");
  g_autofree char *interviewer_name = mark (prefix, "interviewer-name");
  g_autofree char *reason = mark (prefix, "reason");
  g_autofree char *answer1 = mark (prefix, "answer-q1");
  g_autofree char *answer2 = mark (prefix, "answer-q2");
  g_autofree char *answer_t1 = mark (prefix, "answer-t1");
  g_autofree char *note_general = mark (prefix, "note-general");
  g_autofree char *note_q1 = mark (prefix, "note-q1");
  g_autofree char *quote = mark (prefix, "quote");
  g_autofree char *audit = mark (prefix, "audit-detail");
  g_autofree char *device = mark (prefix, "device-label");
  g_autofree char *phone = mark (prefix, "phone");
  g_autofree char *place = mark (prefix, "usual-place");
  g_autofree char *care = mark (prefix, "care-contact");
  g_autofree char *real_name = mark (prefix, "real-name");
  g_autofree char *remarks = mark (prefix, "remarks");
  VwContact contact = { phone, place, care, real_name, remarks };
  VwEpisode episode = { 0 };
  guint8 x_pub[32], ed_pub[32];

  memset (fill, 0, sizeof *fill);
  fill->study = g_strdup (study);

  vw_vault_add_round (vault, study, "T1", "2025-01-01", "2025-06-30", &error);
  g_assert_no_error (error);

  fill->interviewer = vw_vault_add_interviewer (vault, interviewer_name, VW_INTERVIEWER_PEER_RESEARCHER,
                                                "2024-09-15", &error);
  g_assert_no_error (error);

  p = vw_vault_create_participant (vault, study, NULL, pseudonym, "DH", &error);
  g_assert_no_error (error);
  fill->code = g_strdup (p->code);
  other = vw_vault_create_participant (vault, study, NULL, other_pseudonym, "DH", &error);
  g_assert_no_error (error);
  fill->other_code = g_strdup (other->code);

  vw_vault_set_participant_value (vault, study, p->code, "municipality", municipality, &error);
  g_assert_no_error (error);
  vw_vault_set_participant_value (vault, study, p->code, "origin", "buiten_regio", &error);
  g_assert_no_error (error);
  vw_vault_set_participant_value (vault, study, p->code, "birth_year", "1937", &error);
  g_assert_no_error (error);
  vw_vault_set_participant_value (vault, study, p->code, "hist_street", "niet_besproken", &error);
  g_assert_no_error (error);
  /* A second free-text participant value: only the codebook's variables
   * and the questionnaire's participant questions may be stored. */
  vw_vault_set_participant_value (vault, study, other->code, "municipality", hist_extra, &error);
  g_assert_no_error (error);

  vw_vault_set_contact (vault, study, p->code, &contact, &error);
  g_assert_no_error (error);

  iv = vw_vault_start_interview (vault, study, p->code, "T0", "mo-bw-trajectory", vw_questionnaire_get_version (vw_questionnaire_get_shipped ()),
                                 fill->interviewer, NULL, &error);
  g_assert_no_error (error);
  fill->interview = g_strdup (iv->id);
  vw_vault_set_interview_status (vault, iv->id, "deceased", "1997-05-06", reason, &error);
  g_assert_no_error (error);
  vw_vault_set_interview_state (vault, iv->id, VW_INTERVIEW_PAUSED, "m_housing", "q2", &error);
  g_assert_no_error (error);
  vw_vault_save_answer (vault, iv->id, "q1", answer1, &error);
  g_assert_no_error (error);
  vw_vault_save_answer (vault, iv->id, "q2", answer2, &error);
  g_assert_no_error (error);
  vw_vault_save_note (vault, iv->id, NULL, note_general, &error);
  g_assert_no_error (error);
  vw_vault_save_note (vault, iv->id, "q1", note_q1, &error);
  g_assert_no_error (error);

  iv1 = vw_vault_start_interview (vault, study, p->code, "T1", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fill->interview_t1 = g_strdup (iv1->id);
  vw_vault_save_answer (vault, iv1->id, "q1", answer_t1, &error);
  g_assert_no_error (error);

  fill->quote = vw_vault_add_quote (vault, study, p->code, "T0", "q1", "wonen", quote, &error);
  g_assert_no_error (error);

  episode.study = (char *) study;
  episode.code = p->code;
  episode.start = (char *) "1999-03";
  fill->episode_residence = "nachtopvang";
  episode.residence = (char *) fill->episode_residence;
  episode.interview = iv->id;
  fill->episode = vw_vault_add_episode (vault, &episode, &error);
  g_assert_no_error (error);

  vw_vault_set_consent (vault, study, p->code, "T0", "research", "ingetrokken", "1998-07-14", &error);
  g_assert_no_error (error);
  vw_vault_set_consent (vault, study, p->code, "T1", "wmo_linkage", "ja", NULL, &error);
  g_assert_no_error (error);

  memset (x_pub, 0x42, sizeof x_pub);
  memset (ed_pub, 0x43, sizeof ed_pub);
  fill->device = vw_vault_add_device (vault, study, device, x_pub, ed_pub, TRUE, &error);
  g_assert_no_error (error);

  vw_vault_audit (vault, "exported", p->code, audit, &error);
  g_assert_no_error (error);
}

/* Reads back everything vw_test_fill_vault() wrote. */
void
vw_test_check_fill (VwVault          *vault,
                    const VwTestFill *fill,
                    const char       *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(VwInterviewer) interviewer = NULL;
  g_autoptr(VwContact) contact = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *expected = NULL;
  gboolean found_audit = FALSE;

  p = vw_vault_get_participant (vault, fill->study, fill->code, &error);
  g_assert_no_error (error);
  expected = mark (prefix, "pseudonym");
  g_assert_cmpstr (p->pseudonym, ==, expected);
  g_clear_pointer (&expected, g_free);

  values = vw_vault_list_participant_values (vault, fill->study, fill->code, &error);
  g_assert_no_error (error);
  expected = mark (prefix, "municipality");
  g_assert_cmpstr (g_hash_table_lookup (values, "municipality"), ==, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpstr (g_hash_table_lookup (values, "birth_year"), ==, "1937");
  g_assert_cmpstr (g_hash_table_lookup (values, "origin"), ==, "buiten_regio");
  g_assert_cmpstr (g_hash_table_lookup (values, "hist_street"), ==, "niet_besproken");

  contact = vw_vault_get_contact (vault, fill->study, fill->code, &error);
  g_assert_no_error (error);
  expected = mark (prefix, "phone");
  g_assert_cmpstr (contact->phone, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = mark (prefix, "real-name");
  g_assert_cmpstr (contact->real_name, ==, expected);
  g_clear_pointer (&expected, g_free);

  interviewer = vw_vault_get_interviewer (vault, fill->interviewer, &error);
  g_assert_no_error (error);
  expected = mark (prefix, "interviewer-name");
  g_assert_cmpstr (interviewer->name, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (interviewer->role, ==, VW_INTERVIEWER_PEER_RESEARCHER);

  iv = vw_vault_get_interview (vault, fill->interview, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iv->status, ==, "deceased");
  g_assert_cmpstr (iv->date, ==, "1997-05-06");
  expected = mark (prefix, "reason");
  g_assert_cmpstr (iv->nonresponse_reason, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_PAUSED);
  g_assert_cmpstr (iv->resume_question, ==, "q2");
  /* The interview keeps the questionnaire version it was started with, and
   * the vault still holds exactly that version (the v1 fixture was made
   * with an earlier one than the shipped questionnaire of today). */
  {
    g_autoptr(GBytes) used = vw_vault_get_questionnaire (vault, iv->questionnaire_id,
                                                         iv->questionnaire_version, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (used);
  }

  answer = vw_vault_get_answer (vault, fill->interview, "q1", &error);
  g_assert_no_error (error);
  expected = mark (prefix, "answer-q1");
  g_assert_cmpstr (answer, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&answer, g_free);
  answer = vw_vault_get_answer (vault, fill->interview_t1, "q1", &error);
  g_assert_no_error (error);
  expected = mark (prefix, "answer-t1");
  g_assert_cmpstr (answer, ==, expected);
  g_clear_pointer (&expected, g_free);

  notes = vw_vault_list_notes (vault, fill->interview, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_null (((VwNote *) g_ptr_array_index (notes, 0))->question);
  expected = mark (prefix, "note-general");
  g_assert_cmpstr (((VwNote *) g_ptr_array_index (notes, 0))->text, ==, expected);
  g_clear_pointer (&expected, g_free);

  quotes = vw_vault_list_quotes (vault, fill->study, fill->code, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quotes->len, ==, 1);
  expected = mark (prefix, "quote");
  g_assert_cmpstr (((VwQuote *) g_ptr_array_index (quotes, 0))->text, ==, expected);
  g_clear_pointer (&expected, g_free);

  episodes = vw_vault_list_episodes (vault, fill->study, fill->code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (episodes->len, ==, 1);
  g_assert_cmpstr (((VwEpisode *) g_ptr_array_index (episodes, 0))->start, ==, "1999-03");
  g_assert_null (((VwEpisode *) g_ptr_array_index (episodes, 0))->end);
  g_assert_cmpstr (((VwEpisode *) g_ptr_array_index (episodes, 0))->residence, ==, fill->episode_residence);

  consents = vw_vault_list_consents (vault, fill->study, fill->code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consents->len, ==, 2);
  g_assert_cmpstr (((VwConsent *) g_ptr_array_index (consents, 0))->value, ==, "ingetrokken");
  g_assert_cmpstr (((VwConsent *) g_ptr_array_index (consents, 0))->date, ==, "1998-07-14");

  devices = vw_vault_list_devices (vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 2);
  expected = mark (prefix, "device-label");
  g_assert_cmpstr (((VwDevice *) g_ptr_array_index (devices, 1))->label, ==, expected);
  g_clear_pointer (&expected, g_free);

  audit = vw_vault_list_audit (vault, &error);
  g_assert_no_error (error);
  expected = mark (prefix, "audit-detail");
  for (guint i = 0; i < audit->len; i++)
    found_audit |= g_strcmp0 (((VwAuditEntry *) g_ptr_array_index (audit, i))->detail, expected) == 0;
  g_assert_true (found_audit);
}

void
vw_test_fill_clear (VwTestFill *fill)
{
  g_free (fill->study);
  g_free (fill->code);
  g_free (fill->other_code);
  g_free (fill->interviewer);
  g_free (fill->interview);
  g_free (fill->interview_t1);
  g_free (fill->quote);
  g_free (fill->episode);
  g_free (fill->device);
  memset (fill, 0, sizeof *fill);
}

/* Returns: the SHA-256 of a file, or "absent". */
char *
vw_test_file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("absent");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* The checksums of a vault and its -wal and -shm, in one string. */
char *
vw_test_vault_checksums (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *a = vw_test_file_checksum (path);
  g_autofree char *b = vw_test_file_checksum (wal);
  g_autofree char *c = vw_test_file_checksum (shm);

  return g_strdup_printf ("db %s wal %s shm %s", a, b, c);
}

gboolean
vw_test_file_contains (const char *path,
                       const void *needle,
                       gsize       len)
{
  g_autofree char *contents = NULL;
  gsize size;

  if (!g_file_get_contents (path, &contents, &size, NULL) || len == 0 || size < len)
    return FALSE;
  for (gsize i = 0; i + len <= size; i++)
    if (contents[i] == *(const char *) needle && memcmp (contents + i, needle, len) == 0)
      return TRUE;
  return FALSE;
}

static void
list_files (const char *dir,
            GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_files (path, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

/* Returns: (transfer full): every file under @dir, recursively. */
GPtrArray *
vw_test_list_files (const char *dir)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  list_files (dir, files);
  return files;
}

/* A plain sqlite connection, as an attacker with the file would use. */
sqlite3 *
vw_test_raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return db;
}

void
vw_test_raw_exec (sqlite3    *db,
                  const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

GBytes *
vw_test_raw_blob (sqlite3    *db,
                  const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GBytes *blob;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  blob = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  return blob;
}

/* Runs an UPDATE with one ? parameter bound to @blob. */
void
vw_test_raw_set_blob (sqlite3    *db,
                      const char *sql,
                      GBytes     *blob)
{
  sqlite3_stmt *stmt = NULL;
  gsize len;
  gconstpointer data = g_bytes_get_data (blob, &len);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, data, len, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), >=, 1);
  sqlite3_finalize (stmt);
}

GBytes *
vw_test_flip_byte (GBytes *blob,
                   gsize   index)
{
  gsize len;
  guint8 *copy = g_memdup2 (g_bytes_get_data (blob, &len), g_bytes_get_size (blob));

  g_assert_cmpuint (index, <, len);
  copy[index] ^= 0x01;
  return g_bytes_new_take (copy, len);
}

void
vw_test_copy_file (const char *from,
                   const char *to)
{
  g_autoptr(GFile) a = g_file_new_for_path (from);
  g_autoptr(GFile) b = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (a, b, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every sealed column of every table, in the place it is bound to. Kept
 * apart from the core on purpose: a migration that re-seals values is
 * checked against this list, not against its own. Columns: the value,
 * four identity fields, the revision, the key ('p'articipant, 'c'ontact,
 * 's'taff, 'v'ault, 'a'udit detail, 'r'ound), study and round for 'r'. */
static const struct
{
  const char *table;
  const char *column;
  const char *sql;
} sealed_columns[] = {
  { "participants", "pseudonym", "SELECT pseudonym, study, code, NULL, NULL, revision, 'p' FROM participants" },
  { "participant_values", "value",
    "SELECT value, study, code, variable, NULL, revision, 'p' FROM participant_values" },
  { "contacts", "details", "SELECT details, study, code, NULL, NULL, revision, 'c' FROM contacts" },
  { "interviewers", "name", "SELECT name, id, NULL, NULL, NULL, revision, 's' FROM interviewers" },
  { "interviews", "status",
    "SELECT status, id, study, code, round, revision, 'r', study, round FROM interviews" },
  { "interviews", "date", "SELECT date, id, study, code, round, revision, 'r', study, round FROM interviews" },
  { "interviews", "nonresponse_reason",
    "SELECT nonresponse_reason, id, study, code, round, revision, 'r', study, round FROM interviews" },
  { "answers", "value",
    "SELECT a.value, a.interview, a.question, NULL, NULL, a.revision, 'r', i.study, i.round "
    "FROM answers a JOIN interviews i ON i.id = a.interview" },
  { "notes", "text",
    "SELECT n.text, n.interview, n.question, NULL, NULL, n.revision, 'r', i.study, i.round "
    "FROM notes n JOIN interviews i ON i.id = n.interview" },
  { "quotes", "text", "SELECT text, id, study, code, round, revision, 'r', study, round FROM quotes" },
  { "episodes", "data", "SELECT data, id, study, code, NULL, revision, 'p' FROM episodes" },
  { "consents", "value",
    "SELECT value, study, code, round, purpose, revision, 'r', study, round FROM consents" },
  { "consents", "date", "SELECT date, study, code, round, purpose, revision, 'r', study, round FROM consents" },
  { "devices", "label",
    "SELECT label, id, lower (hex (x25519_public)) || lower (hex (ed25519_public)), "
    "CASE trusted WHEN 0 THEN 'untrusted' ELSE 'trusted' END, revoked_at, revision, 's' FROM devices" },
  { "devices", "secrets",
    "SELECT secrets, id, lower (hex (x25519_public)) || lower (hex (ed25519_public)), 'trusted', NULL, 1, 'v' "
    "FROM devices" },
  { "studies", "linkage_key", "SELECT linkage_key, id, NULL, NULL, NULL, 0, 'v' FROM studies" },
  { "studies", "export_key", "SELECT export_key, id, NULL, NULL, NULL, 0, 'v' FROM studies" },
  { "rounds", "wrapped_key", "SELECT wrapped_key, study, label, NULL, NULL, 0, 'v' FROM rounds" },
  { "audit", "detail", "SELECT detail, CAST (seq AS TEXT), NULL, NULL, NULL, 0, 'a' FROM audit" },
  { "trajectory_overrides", "data",
    "SELECT data, study, code, rules, NULL, revision, 'p' FROM trajectory_overrides" },
  /* Since schema 6: under the key of the side's round (or the
   * participant subkey), bound to the device id it was sealed with. */
  { "conflicts", "value",
    "SELECT value, kind, object, field, sealed_device, revision, "
    "CASE WHEN round IS NULL THEN 'p' ELSE 'r' END, study, round FROM conflicts" },
  { "exchange_log", "detail",
    "SELECT detail, study, device, CAST (seq AS TEXT), NULL, 0, 'a' FROM exchange_log" },
  { "duplicate_decisions", "decision",
    "SELECT decision, study, lower (hex (linkage_hash)), codes, NULL, 0, 'p' FROM duplicate_decisions" },
};

static const guint8 *
dump_key (VwVault      *vault,
          sqlite3_stmt *stmt)
{
  g_autoptr(GError) error = NULL;
  const guint8 *key = NULL;

  switch (*sqlite3_column_text (stmt, 6))
    {
    case 'p':
      return vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT);
    case 'c':
      return vw_vault_subkey (vault, VW_SUBKEY_CONTACT);
    case 's':
      return vw_vault_subkey (vault, VW_SUBKEY_STAFF);
    case 'v':
      return vw_vault_subkey (vault, VW_SUBKEY_VAULT);
    case 'a':
      return vw_vault_subkey (vault, VW_SUBKEY_AUDIT_DETAIL);
    default:
      key = vw_vault_round_key (vault, (const char *) sqlite3_column_text (stmt, 7),
                                (const char *) sqlite3_column_text (stmt, 8), &error);
      g_assert_no_error (error);
      return key;
    }
}

/**
 * vw_test_foreach_sealed:
 *
 * Calls @func for every sealed value of the vault, read in the place it is
 * bound to (a value that does not read fails the test): its place as
 * verify names it, its stored bytes and its plaintext.
 */
void
vw_test_foreach_sealed (VwVault          *vault,
                        VwTestSealedFunc  func,
                        gpointer          data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sealed_columns); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (vault->db, sealed_columns[i].sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *plain = NULL;
          g_autofree char *where = NULL;
          g_autoptr(GBytes) blob = NULL;
          VwValueRef ref = { sealed_columns[i].table, sealed_columns[i].column, { NULL }, 0 };
          gsize len = 0;

          if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
            continue;
          for (int k = 0; k < 4; k++)
            ref.id[k] = (const char *) sqlite3_column_text (stmt, 1 + k);
          ref.revision = sqlite3_column_int64 (stmt, 5);
          blob = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
          plain = vw_vault_unseal (vault, dump_key (vault, stmt), &ref, g_bytes_get_data (blob, NULL),
                                   g_bytes_get_size (blob), &len, &error);
          g_assert_no_error (error);
          where = vw_vault_describe_ref (&ref);
          func (sealed_columns[i].table, sealed_columns[i].column, where, ref.revision, blob, plain, len, data);
          sodium_memzero (plain, len);
        }
      sqlite3_finalize (stmt);
    }
}

static void
dump_one (const char *table,
          const char *column,
          const char *where,
          gint64      revision,
          GBytes     *blob,
          const char *plain,
          gsize       len,
          gpointer    data)
{
  g_autofree char *shown = NULL;

  if (strlen (plain) == len && g_utf8_validate (plain, len, NULL))
    shown = g_strescape (plain, "");
  else
    shown = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) plain, len);
  g_ptr_array_add (data, g_strdup_printf ("%s rev %" G_GINT64_FORMAT ": %s\n", where, revision, shown));
}

/**
 * vw_test_dump_sealed:
 *
 * Returns: (transfer full): one line per sealed value of the vault, sorted:
 * its place, revision and plaintext (text as it is, anything else as its
 * SHA-256), each read in the place it is bound to
 */
char *
vw_test_dump_sealed (VwVault *vault)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  vw_test_foreach_sealed (vault, dump_one, lines);
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append (out, g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}
