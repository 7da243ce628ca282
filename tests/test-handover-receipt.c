/* Handovers that never lose a participant: a handover with
 * removal keeps its participants, read-only, until the receiving laptop's
 * signed receipt is merged; a damaged handover, and every receipt that is
 * not exactly the right one, change nothing.
 *
 * Three laptops made in-process (vw-test-duos.h). To compare a vault's
 * files byte for byte the vault is closed and opened again with its key
 * (vw_vault_unlock_with_key()), so that a case costs no extra Argon2id
 * run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "vw-exchange-receipt-private.h"
#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

typedef struct
{
  VwTestDuos  w;
  char       *files;    /* bundles go here, not beside the vaults */
  char       *anna;     /* duo-noord's, with every kind of record */
  char       *tom;      /* duo-noord's too */
  char       *interview;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *answers[] = { "residence", "bw", "participation", "geen", "debts", "ja", NULL };
  const char *answers_tom[] = { "residence", "mo", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *episode = NULL;
  g_autofree char *quote = NULL;
  VwEpisode e = { 0 };

  vw_test_duos_init (&f->w);
  vw_test_duos_introduce (&f->w);
  f->files = g_build_filename (f->w.dir, "files", NULL);
  g_assert_cmpint (g_mkdir (f->files, 0700), ==, 0);

  f->anna = vw_test_duos_interview (f->w.duo1, f->w.study, "Anna", answers);
  f->tom = vw_test_duos_interview (f->w.duo1, f->w.study, "Tom", answers_tom);
  vw_test_duos_set_contact (f->w.duo1, f->w.study, f->anna, "anna");
  iv = vw_vault_find_interview (f->w.duo1, f->w.study, f->anna, "T0", &error);
  g_assert_no_error (error);
  f->interview = g_strdup (iv->id);
  e.study = f->w.study;
  e.code = f->anna;
  e.start = (char *) "2025-06";
  e.end = (char *) "2025-11";
  e.residence = (char *) "bw";
  episode = vw_vault_add_episode (f->w.duo1, &e, &error);
  g_assert_no_error (error);
  quote = vw_vault_add_quote (f->w.duo1, f->w.study, f->anna, "T0", NULL, "wonen",
                              "Ik wil gewoon een eigen voordeur.", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vw_test_duos_clear (&f->w);
  g_free (f->files);
  g_free (f->anna);
  g_free (f->tom);
  g_free (f->interview);
}

static char *
file_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->files, name, NULL);
}

/* Every record of a participant on @vault, decrypted, in one string; NULL
 * when the vault does not hold the participant. */
static char *
records_of (VwVault    *vault,
            const char *study,
            const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = vw_vault_get_participant (vault, study, code, &error);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(VwContact) contact = NULL;
  g_autoptr(GPtrArray) interviews = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GList) keys = NULL;

  if (p == NULL)
    {
      g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
      return NULL;
    }
  g_string_append_printf (out, "P %s %s %s %" G_GINT64_FORMAT "\n", p->code, p->pseudonym, p->region, p->revision);
  values = vw_vault_list_participant_values (vault, study, code, &error);
  g_assert_no_error (error);
  keys = g_list_sort (g_hash_table_get_keys (values), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (out, "V %s=%s\n", (char *) l->data, (char *) g_hash_table_lookup (values, l->data));
  contact = vw_vault_get_contact (vault, study, code, &error);
  g_assert_no_error (error);
  if (contact != NULL)
    g_string_append_printf (out, "K %s|%s|%s|%s|%s\n", contact->phone, contact->usual_place, contact->care_contact,
                            contact->real_name, contact->remarks);
  interviews = vw_vault_list_interviews (vault, study, code, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < interviews->len; i++)
    {
      VwInterview *iv = g_ptr_array_index (interviews, i);
      g_autoptr(GPtrArray) answers = vw_vault_list_answers (vault, iv->id, &error);
      g_autoptr(GPtrArray) notes = NULL;

      g_assert_no_error (error);
      g_string_append_printf (out, "I %s %s %s %s\n", iv->id, iv->round, iv->status, iv->date);
      for (guint a = 0; a < answers->len; a++)
        {
          VwAnswer *answer = g_ptr_array_index (answers, a);
          g_string_append_printf (out, "A %s=%s r%" G_GINT64_FORMAT "\n", answer->question, answer->value,
                                  answer->revision);
        }
      notes = vw_vault_list_notes (vault, iv->id, &error);
      g_assert_no_error (error);
      for (guint n = 0; n < notes->len; n++)
        g_string_append_printf (out, "N %s\n", ((VwNote *) g_ptr_array_index (notes, n))->text);
    }
  episodes = vw_vault_list_episodes (vault, study, code, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < episodes->len; i++)
    {
      VwEpisode *e = g_ptr_array_index (episodes, i);
      g_string_append_printf (out, "E %s %s %s %s\n", e->id, e->start, e->end, e->residence);
    }
  consents = vw_vault_list_consents (vault, study, code, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < consents->len; i++)
    {
      VwConsent *c = g_ptr_array_index (consents, i);
      g_string_append_printf (out, "C %s %s %s\n", c->round, c->purpose, c->value);
    }
  quotes = vw_vault_list_quotes (vault, study, code, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < quotes->len; i++)
    g_string_append_printf (out, "Q %s\n", ((VwQuote *) g_ptr_array_index (quotes, i))->text);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
holds (VwVault    *vault,
       const char *study,
       const char *code)
{
  g_autofree char *records = records_of (vault, study, code);

  return records != NULL;
}

/* Every file beside the vault at @path (the database, its -wal and -shm,
 * and anything else that is not another laptop's vault), with the vault
 * closed: names and SHA-256. */
static char *
directory_state (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      gboolean other_vault = g_str_has_suffix (name, ".vault") ||
                             (strstr (name, ".vault-") != NULL && !g_str_has_prefix (name, base));

      if (!other_vault || g_str_has_prefix (name, base))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *sum = g_file_test (file, G_FILE_TEST_IS_DIR) ? g_strdup ("dir") : vw_test_file_checksum (file);

      g_string_append_printf (out, "%s %s\n", (char *) g_ptr_array_index (names, i), sum);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Closes *@vault, notes its files, and opens it again with its key. */
static char *
close_and_note (VwVault **vault)
{
  g_autoptr(VwSecret) key = vw_secret_dup ((*vault)->key);
  g_autofree char *path = g_strdup (vw_vault_get_path (*vault));
  g_autoptr(GError) error = NULL;
  char *state;

  vw_vault_close (*vault, &error);
  g_assert_no_error (error);
  g_clear_object (vault);
  state = directory_state (path);
  *vault = vw_vault_open (path, &error);
  g_assert_no_error (error);
  vw_vault_unlock_with_key (*vault, key, &error);
  g_assert_no_error (error);
  return state;
}

/* Merges @path on *@vault, which must refuse it with a message holding
 * @reason (or, with @replay, report it as merged before), and asserts
 * that every file of the vault is what it was. */
static void
assert_refused (VwVault   **vault,
                const char *study,
                const char *path,
                const char *reason,
                gboolean    replay)
{
  g_autofree char *before = close_and_note (vault);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  const char *paths[] = { path, NULL };

  report = vw_exchange_merge (*vault, study, paths, NULL, NULL, NULL, &error);
  if (replay)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (report->bundles, ==, 0);
      g_assert_cmpuint (report->replays->len, ==, 1);
      g_test_message ("%s", (char *) g_ptr_array_index (report->replays, 0));
      g_assert_nonnull (strstr (g_ptr_array_index (report->replays, 0), reason));
      g_assert_cmpuint (report->receipts_merged->len, ==, 0);
    }
  else
    {
      g_assert_null (report);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "Rejected"));
      g_assert_nonnull (strstr (error->message, reason));
    }
  after = close_and_note (vault);
  g_assert_cmpstr (after, ==, before);
}

static VwMergeReport *
merge (VwVault    *vault,
       const char *study,
       const char *path)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };
  VwMergeReport *report = vw_exchange_merge (vault, study, paths, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return report;
}

static char *
hand_over (Fixture    *f,
           const char *code,
           const char *name,
           gboolean    remove)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = file_in (f, name);
  const char *codes[] = { code, NULL };
  g_autofree char *id = NULL;

  g_assert_true (vw_exchange_write_handover (f->w.duo1, f->w.study, "duo-zuid", codes, path, remove, &id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return g_steal_pointer (&path);
}

static char *
copy_damaged (Fixture    *f,
              const char *from,
              const char *name,
              gboolean    truncate)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  char *to = file_in (f, name);
  gsize len;

  g_file_get_contents (from, &bytes, &len, &error);
  g_assert_no_error (error);
  if (truncate)
    len = len * 2 / 3;
  else
    bytes[len - 10] ^= 0x20; /* in the payload's last chunk */
  g_file_set_contents (to, bytes, len, &error);
  g_assert_no_error (error);
  return to;
}

/* The read-only triggers exist only while a participant awaits. */
static int
read_only_triggers (VwVault *vault)
{
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (vault->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                                       "AND name LIKE '%awaiting%'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
has_audit (VwVault    *vault,
           const char *action,
           const char *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = vw_vault_list_audit (vault, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      VwAuditEntry *e = g_ptr_array_index (entries, i);

      if (g_str_equal (e->action, action) && (object == NULL || g_strcmp0 (e->object, object) == 0))
        return TRUE;
    }
  return FALSE;
}

static char *
device_id_of (VwVault    *vault,
              const char *study,
              const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) device = vw_study_find_device (vault, study, label, &error);

  g_assert_no_error (error);
  return g_strdup (device->id);
}

/* The attack the issue names: a handover with removal, cut short (and,
 * apart, with one byte flipped) on its way. The receiver refuses it and
 * stays byte-identical; the sender still holds the participant with every
 * record, read-only, awaiting a receipt that will not come. */
static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = records_of (f->w.duo1, f->w.study, f->anna);
  g_autofree char *hand = NULL, *cut = NULL, *flipped = NULL, *after = NULL;
  g_autoptr(GHashTable) awaiting = NULL;
  VwHandover *h;

  g_assert_nonnull (strstr (before, "K 06-anna-phone|anna-place"));
  g_assert_nonnull (strstr (before, "E "));
  g_assert_nonnull (strstr (before, "A participation=geen"));
  g_assert_nonnull (strstr (before, "Q Ik wil gewoon"));

  hand = hand_over (f, f->anna, "anna.handover", TRUE);
  cut = copy_damaged (f, hand, "anna-cut.handover", TRUE);
  flipped = copy_damaged (f, hand, "anna-flipped.handover", FALSE);

  assert_refused (&f->w.duo2, f->w.study, cut, "could not be decrypted", FALSE);
  assert_refused (&f->w.duo2, f->w.study, flipped, "could not be decrypted", FALSE);

  /* Nothing was lost: the sender holds every record, unchanged. */
  after = records_of (f->w.duo1, f->w.study, f->anna);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  {
    g_autoptr(VwVault) reopened = vw_test_duos_reopen (f->w.duo1);

    after = records_of (reopened, f->w.study, f->anna);
    g_assert_cmpstr (after, ==, before);
    vw_vault_close (reopened, &error);
    g_assert_no_error (error);
  }
  awaiting = vw_exchange_awaiting_receipt (f->w.duo1, f->w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (awaiting), ==, 1);
  h = g_hash_table_lookup (awaiting, f->anna);
  g_assert_nonnull (h);
  g_assert_cmpstr (h->device_label, ==, "duo-zuid");
  g_assert_null (h->outcome);
  g_assert_true (has_audit (f->w.duo1, "handover_written_awaiting_receipt", NULL));

  /* The receiver never got Anna. */
  g_assert_false (holds (f->w.duo2, f->w.study, f->anna));
}

/* While Anna awaits her receipt nothing about her changes here, whoever
 * writes: her records already left with the handover. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hand = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = file_in (f, "again.handover");
  const char *codes[] = { f->anna, NULL };
  VwContact contact = { (char *) "06-99999999", NULL, NULL, NULL, NULL };
  VwEpisode e = { 0 };

  g_assert_cmpint (read_only_triggers (f->w.duo1), ==, 0);
  hand = hand_over (f, f->anna, "anna.handover", TRUE);
  before = records_of (f->w.duo1, f->w.study, f->anna);
  g_assert_cmpint (read_only_triggers (f->w.duo1), ==, 30);

  g_assert_false (vw_vault_save_answer (f->w.duo1, f->interview, "debts", "nee", &error));
  g_assert_nonnull (strstr (error->message, "awaiting its receipt is read-only"));
  g_clear_error (&error);
  g_assert_false (vw_vault_save_note (f->w.duo1, f->interview, NULL, "later", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_contact (f->w.duo1, f->w.study, f->anna, &contact, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_pseudonym (f->w.duo1, f->w.study, f->anna, "Annie", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (vw_vault_set_participant_value (f->w.duo1, f->w.study, f->anna, "birth_year", "1972", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  e.study = f->w.study;
  e.code = f->anna;
  e.start = (char *) "2026-01";
  e.residence = (char *) "mo";
  g_assert_null (vw_vault_add_episode (f->w.duo1, &e, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (vw_vault_start_interview (f->w.duo1, f->w.study, f->anna, "T1", NULL, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (vw_vault_delete_participant (f->w.duo1, f->w.study, f->anna, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Nor is she handed over a second time. */
  g_assert_false (vw_exchange_write_handover (f->w.duo1, f->w.study, "duo-zuid", codes, again, FALSE, NULL, &error));
  g_assert_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "awaits its receipt"));
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  after = records_of (f->w.duo1, f->w.study, f->anna);
  g_assert_cmpstr (after, ==, before);

  /* Tom, not handed over, is as editable as ever. */
  {
    g_autoptr(VwInterview) iv = vw_vault_find_interview (f->w.duo1, f->w.study, f->tom, "T0", &error);
    g_assert_no_error (error);
    g_assert_true (vw_vault_save_answer (f->w.duo1, iv->id, "residence", "bw", &error));
    g_assert_no_error (error);
  }

  /* Nor does a bundle change her: the receiving duo, after changing an
   * answer, hands her straight back; the whole bundle is refused, naming
   * the line, and nothing changes. */
  {
    g_autoptr(VwMergeReport) report = merge (f->w.duo2, f->w.study, hand);
    g_autofree char *back = file_in (f, "back.handover");
    const char *anna[] = { f->anna, NULL };

    g_assert_true (vw_vault_save_answer (f->w.duo2, f->interview, "debts", "onbekend", &error));
    g_assert_no_error (error);
    g_assert_true (vw_exchange_write_handover (f->w.duo2, f->w.study, "duo-noord", anna, back, FALSE, NULL, &error));
    g_assert_no_error (error);
    assert_refused (&f->w.duo1, f->w.study, back, "awaiting its receipt is read-only", FALSE);
    g_clear_pointer (&after, g_free);
    after = records_of (f->w.duo1, f->w.study, f->anna);
    g_assert_cmpstr (after, ==, before);
  }

  /* Cancelled: she is editable again, and the audit trail says why. */
  g_assert_true (vw_exchange_cancel_handover (f->w.duo1, f->w.study, f->anna, &error));
  g_assert_no_error (error);
  g_assert_true (has_audit (f->w.duo1, "handover_cancelled", NULL));
  g_assert_cmpint (read_only_triggers (f->w.duo1), ==, 0);
  g_assert_true (vw_vault_save_answer (f->w.duo1, f->interview, "debts", "nee", &error));
  g_assert_no_error (error);
  g_assert_false (vw_exchange_cancel_handover (f->w.duo1, f->w.study, f->anna, &error));
  g_assert_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED);
}

/* The whole way: handover with removal, merged at the receiver, which
 * writes the receipt; the receipt merged at the sender removes the
 * participant there, in one transaction, audited on both laptops. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = records_of (f->w.duo1, f->w.study, f->anna);
  g_autofree char *hand = hand_over (f, f->anna, "anna.handover", TRUE);
  g_autofree char *receipt = file_in (f, "anna.receipt");
  g_autofree char *receipt2 = file_in (f, "anna-again.receipt");
  g_autofree char *receipt3 = file_in (f, "anna-later.receipt");
  g_autofree char *receipt_id = NULL;
  g_autofree char *handover_id = NULL;
  g_autofree char *at_receiver = NULL;
  g_autofree char *north = device_id_of (f->w.duo2, f->w.study, "duo-noord");
  g_autofree char *south = device_id_of (f->w.duo1, f->w.study, "duo-zuid");
  g_autoptr(VwMergeReport) report = NULL;
  g_autoptr(GPtrArray) handovers = NULL;
  VwMergeReceipt *due;

  /* The receiver merges it: the receipt is due, for the sender. */
  report = merge (f->w.duo2, f->w.study, hand);
  g_assert_cmpuint (report->bundles, ==, 1);
  g_assert_cmpuint (report->receipts_due->len, ==, 1);
  due = g_ptr_array_index (report->receipts_due, 0);
  g_assert_cmpstr (due->device_label, ==, "duo-noord");
  g_assert_cmpstr (due->path, ==, hand);
  g_assert_cmpuint (due->participants, ==, 1);
  handover_id = g_strdup (due->handover);
  at_receiver = records_of (f->w.duo2, f->w.study, f->anna);
  g_assert_nonnull (at_receiver);
  g_assert_nonnull (strstr (at_receiver, "K 06-anna-phone|anna-place"));
  g_assert_nonnull (strstr (at_receiver, "A participation=geen"));
  g_assert_nonnull (strstr (at_receiver, "Q Ik wil gewoon"));

  g_assert_true (vw_exchange_write_receipt (f->w.duo2, f->w.study, handover_id, receipt, &receipt_id, &error));
  g_assert_no_error (error);
  g_assert_true (has_audit (f->w.duo2, "receipt_written", north));
  g_assert_true (has_audit (f->w.duo2, "bundle_merged", handover_id));

  /* Until it is merged, Anna stays with the sender. */
  g_clear_pointer (&before, g_free);
  before = records_of (f->w.duo1, f->w.study, f->anna);
  g_assert_nonnull (before);

  /* Tom leaves too, in another handover whose receipt is not back yet:
   * the read-only triggers stay for him while Anna is removed. */
  g_free (hand_over (f, f->tom, "tom.handover", TRUE));

  /* Two receipts for it in one merge: the first removes, the second is
   * a replay. */
  g_assert_true (vw_exchange_write_receipt (f->w.duo2, f->w.study, handover_id, receipt2, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&report, vw_merge_report_free);
  {
    const char *both[] = { receipt, receipt2, NULL };

    report = vw_exchange_merge (f->w.duo1, f->w.study, both, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (report->replays->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (report->replays, 0), "earlier in this merge"));
  g_assert_cmpuint (report->receipts_merged->len, ==, 1);
  g_assert_cmpuint (((VwMergeReceipt *) g_ptr_array_index (report->receipts_merged, 0))->participants, ==, 1);
  g_assert_cmpstr (((VwMergeReceipt *) g_ptr_array_index (report->receipts_merged, 0))->device_label, ==, "duo-zuid");
  g_assert_false (holds (f->w.duo1, f->w.study, f->anna));
  {
    g_autoptr(VwContact) contact = vw_vault_get_contact (f->w.duo1, f->w.study, f->anna, &error);
    g_assert_no_error (error);
    g_assert_null (contact);
  }
  g_assert_true (holds (f->w.duo1, f->w.study, f->tom));
  g_assert_true (has_audit (f->w.duo1, "handover_receipt_merged", south));
  g_assert_cmpint (read_only_triggers (f->w.duo1), ==, 30);
  {
    g_autoptr(VwInterview) iv = vw_vault_find_interview (f->w.duo1, f->w.study, f->tom, "T0", &error);

    g_assert_no_error (error);
    g_assert_false (vw_vault_save_answer (f->w.duo1, iv->id, "residence", "bw", &error));
    g_assert_nonnull (strstr (error->message, "read-only"));
    g_clear_error (&error);
  }
  g_assert_true (has_audit (f->w.duo1, "participant_deleted", f->anna));
  g_assert_true (has_audit (f->w.duo1, "bundle_merged", receipt_id));
  handovers = vw_exchange_list_handovers (f->w.duo1, f->w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (handovers->len, ==, 2);
  for (guint i = 0; i < handovers->len; i++)
    {
      VwHandover *h = g_ptr_array_index (handovers, i);
      g_assert_cmpstr (h->outcome, ==, g_str_equal (h->codes[0], f->anna) ? "received" : NULL);
    }
  {
    g_autoptr(GHashTable) awaiting = vw_exchange_awaiting_receipt (f->w.duo1, f->w.study, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (awaiting), ==, 1);
    g_assert_true (g_hash_table_contains (awaiting, f->tom));
  }
  {
    g_autoptr(VwVault) reopened = vw_test_duos_reopen (f->w.duo2);
    g_autofree char *kept = records_of (reopened, f->w.study, f->anna);

    g_assert_cmpstr (kept, ==, at_receiver);
    vw_vault_close (reopened, &error);
    g_assert_no_error (error);
  }

  /* The same receipt again: already merged. A second receipt for the same
   * handover: already received. Neither changes a byte. */
  assert_refused (&f->w.duo1, f->w.study, receipt, "already merged", TRUE);
  g_assert_true (vw_exchange_write_receipt (f->w.duo2, f->w.study, handover_id, receipt3, NULL, &error));
  g_assert_no_error (error);
  assert_refused (&f->w.duo1, f->w.study, receipt3, "already received", TRUE);

  /* Opening the handover again at the receiver is a replay, but its
   * receipt is still due (it may have been lost). */
  g_clear_pointer (&report, vw_merge_report_free);
  report = merge (f->w.duo2, f->w.study, hand);
  g_assert_cmpuint (report->bundles, ==, 0);
  g_assert_cmpuint (report->receipts_due->len, ==, 1);
  g_assert_cmpstr (((VwMergeReceipt *) g_ptr_array_index (report->receipts_due, 0))->handover, ==, handover_id);
}

/* A handover without removal needs no receipt; one that comes anyway is
 * recorded, and removes nobody. */
static void
test_without_removal (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = records_of (f->w.duo1, f->w.study, f->tom);
  g_autofree char *hand = hand_over (f, f->tom, "tom.handover", FALSE);
  g_autofree char *receipt = file_in (f, "tom.receipt");
  g_autofree char *after = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  g_autoptr(GPtrArray) handovers = NULL;
  g_autoptr(GHashTable) awaiting = vw_exchange_awaiting_receipt (f->w.duo1, f->w.study, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (awaiting), ==, 0);
  report = merge (f->w.duo2, f->w.study, hand);
  g_assert_true (vw_exchange_write_receipt (f->w.duo2, f->w.study,
                                            ((VwMergeReceipt *) g_ptr_array_index (report->receipts_due, 0))->handover,
                                            receipt, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&report, vw_merge_report_free);
  report = merge (f->w.duo1, f->w.study, receipt);
  g_assert_cmpuint (report->receipts_merged->len, ==, 1);
  g_assert_cmpuint (((VwMergeReceipt *) g_ptr_array_index (report->receipts_merged, 0))->participants, ==, 0);
  after = records_of (f->w.duo1, f->w.study, f->tom);
  g_assert_cmpstr (after, ==, before);
  handovers = vw_exchange_list_handovers (f->w.duo1, f->w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((VwHandover *) g_ptr_array_index (handovers, 0))->outcome, ==, "received");
  g_assert_false (((VwHandover *) g_ptr_array_index (handovers, 0))->remove_on_receipt);
}

static void
write_receipt_bundle (const char         *path,
                      const char         *study,
                      const VwSecret     *signing,
                      const char         *recipient_text,
                      const char         *content)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) bytes = g_bytes_new (content, strlen (content));
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient_text, &error));
  g_assert_no_error (error);
  vw_bundle_write_bytes (path, VW_BUNDLE_KIND_RECEIPT, study, signing, recipients, bytes, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
receipt_json (const char *handover,
              const char *sha256,
              const char *codes)
{
  return g_strdup_printf ("{\"format\":1,\"handover\":\"%s\",\"content_sha256\":\"%s\",\"codes\":[%s]}", handover,
                          sha256, codes);
}

/* Receipts that must not remove anyone: each refused, the sender's vault
 * byte-identical; then the real one works. */
static void
test_refused_receipts (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hand = hand_over (f, f->anna, "anna.handover", TRUE);
  g_autofree char *receipt = file_in (f, "anna.receipt");
  g_autofree char *north = NULL;
  g_autofree char *handover_id = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *codes = g_strdup_printf ("\"%s\"", f->anna);
  g_autofree char *both = NULL;
  g_autofree char *before = records_of (f->w.duo1, f->w.study, f->anna);
  g_autofree char *after = NULL;
  g_autoptr(VwSecret) south_key = vw_vault_dup_ed25519_secret (f->w.duo2, &error);
  g_autoptr(VwSecret) coord_key = vw_vault_dup_ed25519_secret (f->w.coord, &error);
  g_autoptr(VwMergeReport) report = NULL;
  guint8 stranger_public[VW_BUNDLE_PUBLIC_KEY_SIZE];
  g_autoptr(VwSecret) stranger = vw_bundle_signing_key_generate (stranger_public);

  g_assert_no_error (error);
  north = vw_vault_get_age_recipient (f->w.duo1, &error);
  g_assert_no_error (error);
  both = g_strcmp0 (f->anna, f->tom) < 0 ? g_strdup_printf ("\"%s\",\"%s\"", f->anna, f->tom)
                                         : g_strdup_printf ("\"%s\",\"%s\"", f->tom, f->anna);
  report = merge (f->w.duo2, f->w.study, hand);
  handover_id = g_strdup (((VwMergeReceipt *) g_ptr_array_index (report->receipts_due, 0))->handover);
  {
    g_autoptr(VwBundle) bundle = vw_study_open_bundle (f->w.duo2, hand, VW_BUNDLE_KIND_HANDOVER, f->w.study, &error);
    g_assert_no_error (error);
    sha256 = g_strdup (vw_bundle_get_content_sha256 (bundle));
  }
  g_assert_true (vw_exchange_write_receipt (f->w.duo2, f->w.study, handover_id, receipt, NULL, &error));
  g_assert_no_error (error);

  /* From a third laptop the sender trusts (the coordinator), with every
   * other detail right. */
  {
    g_autofree char *path = file_in (f, "coordinator.receipt");
    g_autofree char *json = receipt_json (handover_id, sha256, codes);
    write_receipt_bundle (path, f->w.study, coord_key, north, json);
    assert_refused (&f->w.duo1, f->w.study, path, "signed by another laptop", FALSE);
  }
  /* For a handover this laptop never wrote. */
  {
    g_autofree char *path = file_in (f, "unknown.receipt");
    g_autofree char *json = receipt_json ("0123456789abcdef0123456789abcdef", sha256, codes);
    write_receipt_bundle (path, f->w.study, south_key, north, json);
    assert_refused (&f->w.duo1, f->w.study, path, "which this laptop did not write", FALSE);
  }
  /* Other codes: one more, or another. */
  {
    g_autofree char *path = file_in (f, "more.receipt");
    g_autofree char *path2 = file_in (f, "other.receipt");
    g_autofree char *json = receipt_json (handover_id, sha256, both);
    g_autofree char *tom = g_strdup_printf ("\"%s\"", f->tom);
    g_autofree char *json2 = receipt_json (handover_id, sha256, tom);
    write_receipt_bundle (path, f->w.study, south_key, north, json);
    assert_refused (&f->w.duo1, f->w.study, path, "other participants", FALSE);
    write_receipt_bundle (path2, f->w.study, south_key, north, json2);
    assert_refused (&f->w.duo1, f->w.study, path2, "other participants", FALSE);
  }
  /* Another content hash. */
  {
    g_autofree char *path = file_in (f, "hash.receipt");
    g_autofree char *wrong = g_strdup (sha256);
    g_autofree char *json = NULL;

    wrong[0] = wrong[0] == '0' ? '1' : '0';
    json = receipt_json (handover_id, wrong, codes);
    write_receipt_bundle (path, f->w.study, south_key, north, json);
    assert_refused (&f->w.duo1, f->w.study, path, "other content", FALSE);
  }
  /* Not in canonical form (a space). */
  {
    g_autofree char *path = file_in (f, "spaced.receipt");
    g_autofree char *json = g_strdup_printf ("{\"format\":1, \"handover\":\"%s\",\"content_sha256\":\"%s\","
                                             "\"codes\":[%s]}", handover_id, sha256, codes);
    write_receipt_bundle (path, f->w.study, south_key, north, json);
    assert_refused (&f->w.duo1, f->w.study, path, "not in canonical form", FALSE);
  }
  /* Cut short, and one byte flipped, on the way. */
  {
    g_autofree char *cut = copy_damaged (f, receipt, "cut.receipt", TRUE);
    g_autofree char *flipped = copy_damaged (f, receipt, "flipped.receipt", FALSE);
    assert_refused (&f->w.duo1, f->w.study, cut, "could not be decrypted", FALSE);
    assert_refused (&f->w.duo1, f->w.study, flipped, "could not be decrypted", FALSE);
  }
  /* Forged: the right content, signed by a key nobody enrolled. */
  {
    g_autofree char *path = file_in (f, "forged.receipt");
    g_autofree char *json = receipt_json (handover_id, sha256, codes);
    write_receipt_bundle (path, f->w.study, stranger, north, json);
    assert_refused (&f->w.duo1, f->w.study, path, "not trusted", FALSE);
  }
  after = records_of (f->w.duo1, f->w.study, f->anna);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&report, vw_merge_report_free);
  report = merge (f->w.duo1, f->w.study, receipt);
  g_assert_cmpuint (report->receipts_merged->len, ==, 1);
  g_assert_false (holds (f->w.duo1, f->w.study, f->anna));
}

/* A receipt for a handover that was cancelled: refused, and both laptops
 * keep the participant (a copy too many, never one too few). */
static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hand = hand_over (f, f->anna, "anna.handover", TRUE);
  g_autofree char *receipt = file_in (f, "anna.receipt");
  g_autoptr(VwMergeReport) report = merge (f->w.duo2, f->w.study, hand);

  g_assert_true (vw_exchange_write_receipt (f->w.duo2, f->w.study,
                                            ((VwMergeReceipt *) g_ptr_array_index (report->receipts_due, 0))->handover,
                                            receipt, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vw_exchange_cancel_handover (f->w.duo1, f->w.study,
                                              ((VwMergeReceipt *) g_ptr_array_index (report->receipts_due, 0))->handover,
                                              &error));
  g_assert_no_error (error);
  assert_refused (&f->w.duo1, f->w.study, receipt, "was cancelled", FALSE);
  g_assert_true (holds (f->w.duo1, f->w.study, f->anna));
  g_assert_true (holds (f->w.duo2, f->w.study, f->anna));
}

/* The sender reads back what it wrote with the receiver's checks: a
 * damaged file does not pass. And when the read-back fails, the handover
 * is not recorded, the file is deleted, and nobody awaits a receipt. */
static void
test_read_back (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hand = hand_over (f, f->anna, "anna.handover", FALSE);
  g_autofree char *cut = copy_damaged (f, hand, "cut.handover", TRUE);
  g_autofree char *flipped = copy_damaged (f, hand, "flipped.handover", FALSE);
  g_autofree char *target = file_in (f, "tom.handover");
  g_autofree char *moved = g_strconcat (f->w.dir, "-moved", NULL);
  g_autofree char *before = records_of (f->w.duo1, f->w.study, f->tom);
  g_autofree char *after = NULL;
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(GPtrArray) handovers = NULL;
  const char *codes[] = { f->tom, NULL };
  char id[33], sha[65];

  /* The handover as written reads back: its id and content hash are those
   * of the record. */
  handovers = vw_exchange_list_handovers (f->w.duo1, f->w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (handovers->len, ==, 1);
  bundle = vw_study_open_bundle (f->w.duo2, hand, VW_BUNDLE_KIND_HANDOVER, f->w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vw_bundle_get_id (bundle), ==, ((VwHandover *) g_ptr_array_index (handovers, 0))->id);
  g_strlcpy (id, vw_bundle_get_id (bundle), sizeof id);
  g_strlcpy (sha, vw_bundle_get_content_sha256 (bundle), sizeof sha);
  g_assert_true (vw_exchange_verify_written (f->w.duo1, f->w.study, hand, VW_BUNDLE_KIND_HANDOVER, id, sha, &error));
  g_assert_no_error (error);

  g_assert_false (vw_exchange_verify_written (f->w.duo1, f->w.study, cut, VW_BUNDLE_KIND_HANDOVER, id, sha, &error));
  g_assert_nonnull (strstr (error->message, "did not read back"));
  g_assert_nonnull (strstr (error->message, "could not be decrypted"));
  g_clear_error (&error);
  g_assert_false (vw_exchange_verify_written (f->w.duo1, f->w.study, flipped, VW_BUNDLE_KIND_HANDOVER, id, sha,
                                              &error));
  g_assert_nonnull (strstr (error->message, "could not be decrypted"));
  g_clear_error (&error);
  /* Another bundle than the one just written. */
  sha[0] = sha[0] == '0' ? '1' : '0';
  g_assert_false (vw_exchange_verify_written (f->w.duo1, f->w.study, hand, VW_BUNDLE_KIND_HANDOVER, id, sha, &error));
  g_assert_nonnull (strstr (error->message, "another bundle"));
  g_clear_error (&error);

  /* The vault's folder gone while the handover is written: the file
   * cannot be read back (its content has nowhere to wait). */
  g_assert_cmpint (g_rename (f->w.dir, moved), ==, 0);
  {
    /* Beside the vaults' folder, not in it: that folder is away. */
    g_autofree char *outside = g_strconcat (f->w.dir, "-tom.handover", NULL);
    gboolean ok = vw_exchange_write_handover (f->w.duo1, f->w.study, "duo-zuid", codes, outside, TRUE, NULL, &error);

    g_assert_cmpint (g_rename (moved, f->w.dir), ==, 0);
    g_assert_false (ok);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "did not read back"));
    g_assert_nonnull (strstr (error->message, "The file was deleted"));
    g_assert_nonnull (strstr (error->message, "every participant is still here"));
    g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
  }
  {
    g_autoptr(GHashTable) awaiting = vw_exchange_awaiting_receipt (f->w.duo1, f->w.study, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (awaiting), ==, 0);
  }
  g_clear_pointer (&handovers, g_ptr_array_unref);
  handovers = vw_exchange_list_handovers (f->w.duo1, f->w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (handovers->len, ==, 1);
  after = records_of (f->w.duo1, f->w.study, f->tom);
  g_assert_cmpstr (after, ==, before);
  /* And Tom can still be handed over. */
  g_assert_true (vw_exchange_write_handover (f->w.duo1, f->w.study, "duo-zuid", codes, target, TRUE, NULL, &error));
  g_assert_no_error (error);
}

/* The receipt's content has exactly one form: known answer, and what a
 * reader must refuse. */
static void
test_content (void)
{
  g_auto(VwReceiptContent) content = { 0 };
  g_auto(VwReceiptContent) parsed = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *codes[] = { "DH-7K3QM", "DH-Q2W8E", NULL };
  const char *expected = "{\"format\":1,\"handover\":\"00112233445566778899aabbccddeeff\",\"content_sha256\":"
                         "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
                         "\"codes\":[\"DH-7K3QM\",\"DH-Q2W8E\"]}";
  const char *sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const char *id = "00112233445566778899aabbccddeeff";
  const struct
  {
    const char *text;
    const char *reason;
  } bad[] = {
#define ID "\"00112233445566778899aabbccddeeff\""
#define SHA "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\""
    { "", "not a JSON object" },
    { "[]", "not a JSON object" },
    { "{\"format\":2,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[\"DH-7K3QM\"]}", "format" },
    { "{\"format\":1,\"handover\":\"00112233445566778899AABBCCDDEEFF\",\"content_sha256\":" SHA ","
      "\"codes\":[\"DH-7K3QM\"]}", "names no handover" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":\"e3b0c442\",\"codes\":[\"DH-7K3QM\"]}", "content hash" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[]}", "lists no participants" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[\"../../x\"]}", "code is not valid" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[\"DH-Q2W8E\",\"DH-7K3QM\"]}",
      "not sorted" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[\"DH-7K3QM\",\"DH-7K3QM\"]}",
      "listed twice" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[\"DH-7K3QM\"],\"removed\":true}",
      "canonical" },
    { "{\"handover\":" ID ",\"format\":1,\"content_sha256\":" SHA ",\"codes\":[\"DH-7K3QM\"]}", "canonical" },
    { "{\"format\":1,\"handover\":" ID ",\"content_sha256\":" SHA ",\"codes\":[\"DH-7K3QM\"]}\n", "canonical" },
#undef SHA
#undef ID
  };

  content.handover = g_strdup (id);
  content.content_sha256 = g_strdup (sha);
  content.codes = g_strdupv ((char **) codes);
  bytes = vw_receipt_content_to_bytes (&content);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, strlen (expected));
  g_assert_true (vw_receipt_content_parse (expected, strlen (expected), &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parsed.handover, ==, id);
  g_assert_cmpstr (parsed.content_sha256, ==, sha);
  g_assert_cmpstrv (parsed.codes, codes);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(VwReceiptContent) out = { 0 };

      g_assert_false (vw_receipt_content_parse (bad[i].text, strlen (bad[i].text), &out, &error));
      g_assert_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, bad[i].reason));
      g_assert_null (out.handover);
      g_clear_error (&error);
    }
  /* A NUL inside is not text. */
  g_assert_false (vw_receipt_content_parse (expected, strlen (expected) + 1, &parsed, &error));
  g_assert_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT);
}

/* The fuzz target's seeds and any crash input kept in the regressions
 * (named receipt-*): what the reader accepts, it writes back the same. */
static void
test_fuzz_inputs (void)
{
  const char *dirs[] = { "tests/fuzz/receipt-seeds", "tests/fuzz/regressions" };
  guint accepted = 0, refused = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *contents = NULL;
          g_auto(VwReceiptContent) content = { 0 };
          g_autoptr(GError) error = NULL;
          gsize len;

          if (d == 1 && !g_str_has_prefix (name, "receipt-"))
            continue;
          g_file_get_contents (path, &contents, &len, &error);
          g_assert_no_error (error);
          if (vw_receipt_content_parse (contents, len, &content, &error))
            {
              g_autoptr(GBytes) again = vw_receipt_content_to_bytes (&content);

              g_assert_cmpmem (g_bytes_get_data (again, NULL), g_bytes_get_size (again), contents, len);
              accepted++;
            }
          else
            {
              g_assert_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT);
              refused++;
            }
        }
    }
  g_assert_cmpuint (accepted, >=, 2);
  g_assert_cmpuint (refused, >=, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/handover-receipt/content", test_content);
  g_test_add_func ("/handover-receipt/content/fuzz-inputs", test_fuzz_inputs);
#define ADD(path, func) g_test_add ("/handover-receipt/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("truncated", test_truncated);
  ADD ("read-only", test_read_only);
  ADD ("round-trip", test_round_trip);
  ADD ("without-removal", test_without_removal);
  ADD ("refused", test_refused_receipts);
  ADD ("cancelled", test_cancelled);
  ADD ("read-back", test_read_back);
#undef ADD
  return g_test_run ();
}
