/* Tampering, done as an attacker with the file and sqlite would do it: a
 * flipped byte in a ciphertext of each table, values moved to other rows,
 * an older revision put back, a value from another vault, edited wrapped
 * keys and KDF parameters, an edited audit trail. Each is a clear error
 * (never garbage), and verify names every break.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

static char *work_dir;
static char *source_path;
static VwTestFill source;

static char *
copy_source (const char *name)
{
  char *path = g_build_filename (work_dir, name, NULL);

  vw_test_copy_file (source_path, path);
  return path;
}

/* Reads a blob with @select, flips one byte in its ciphertext part and
 * writes it back with @update (one ? parameter). */
static void
flip (sqlite3    *db,
      const char *select,
      const char *update)
{
  g_autoptr(GBytes) blob = vw_test_raw_blob (db, select);
  g_autoptr(GBytes) flipped = vw_test_flip_byte (blob, g_bytes_get_size (blob) - 20);

  vw_test_raw_set_blob (db, update, flipped);
}

static void
move_blob (sqlite3    *db,
           const char *select,
           const char *update)
{
  g_autoptr(GBytes) blob = vw_test_raw_blob (db, select);

  vw_test_raw_set_blob (db, update, blob);
}

static void
assert_tampered (GError     *error,
                 const char *where)
{
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  if (where != NULL && strstr (error->message, where) == NULL)
    g_error ("“%s” does not name %s", error->message, where);
}

static void
assert_problem (GPtrArray  *problems,
                const char *text)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), text) != NULL)
      return;
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("problem: %s\n", (const char *) g_ptr_array_index (problems, i));
  g_error ("verify did not report “%s”", text);
}

static GPtrArray *
verify_fails (VwVault *vault)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = NULL;

  g_assert_false (vw_vault_verify (vault, &problems, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, >, 0);
  return problems;
}

/* Fills the ids of the source vault into {name} placeholders. */
static char *
expand (const char *template)
{
  const char *names[] = { "{study}", "{code}", "{interviewer}", "{interview}", "{quote}", "{episode}", "{device}" };
  const char *values[] = { source.study, source.code, source.interviewer, source.interview, source.quote,
                           source.episode, source.device };
  GString *out = g_string_new (template);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_replace (out, names[i], values[i], 0);
  return g_string_free (out, FALSE);
}

static void
test_flipped_byte_in_every_table (void)
{
  g_autofree char *path = copy_source ("flipped.vault");
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const VwTestFill *s = &source;
  const struct { const char *select, *update, *where; } cases[] = {
    { "SELECT pseudonym FROM participants WHERE code = '{code}'",
      "UPDATE participants SET pseudonym = ? WHERE code = '{code}'", "participants/" },
    { "SELECT value FROM participant_values WHERE code = '{code}' AND variable = 'municipality'",
      "UPDATE participant_values SET value = ? WHERE code = '{code}' AND variable = 'municipality'",
      "participant_values/" },
    { "SELECT details FROM contacts WHERE code = '{code}'",
      "UPDATE contacts SET details = ? WHERE code = '{code}'", "contacts/" },
    { "SELECT name FROM interviewers WHERE id = '{interviewer}'",
      "UPDATE interviewers SET name = ? WHERE id = '{interviewer}'", "interviewers/" },
    { "SELECT status FROM interviews WHERE id = '{interview}'",
      "UPDATE interviews SET status = ? WHERE id = '{interview}'", "interviews/" },
    { "SELECT value FROM answers WHERE interview = '{interview}' AND question = 'q1'",
      "UPDATE answers SET value = ? WHERE interview = '{interview}' AND question = 'q1'", "answers/" },
    { "SELECT text FROM notes WHERE interview = '{interview}' AND question = ''",
      "UPDATE notes SET text = ? WHERE interview = '{interview}' AND question = ''", "notes/" },
    { "SELECT text FROM quotes WHERE id = '{quote}'", "UPDATE quotes SET text = ? WHERE id = '{quote}'", "quotes/" },
    { "SELECT data FROM episodes WHERE id = '{episode}'", "UPDATE episodes SET data = ? WHERE id = '{episode}'", "episodes/" },
    { "SELECT value FROM consents WHERE code = '{code}' AND round = 'T0'",
      "UPDATE consents SET value = ? WHERE code = '{code}' AND round = 'T0'", "consents/" },
    { "SELECT label FROM devices WHERE id = '{device}'", "UPDATE devices SET label = ? WHERE id = '{device}'", "devices/" },
    { "SELECT export_key FROM studies WHERE id = '{study}'",
      "UPDATE studies SET export_key = ? WHERE id = '{study}'", "studies/" },
    { "SELECT detail FROM audit WHERE action = 'exported'",
      "UPDATE audit SET detail = ? WHERE action = 'exported'", "audit/" },
  };
  sqlite3 *raw = vw_test_raw_open (path);

  vw_test_raw_exec (raw, "DROP TRIGGER audit_no_update");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *select = expand (cases[i].select);
      g_autofree char *update = expand (cases[i].update);
      flip (raw, select, update);
    }
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  vault = vw_test_open_vault (path);

  /* Each read of a tampered value is an error naming where it is. */
#define EXPECT_TAMPERED(call, where) \
  G_STMT_START { \
    gpointer result = (gpointer) (call); \
    g_assert_null (result); \
    assert_tampered (error, where); \
    g_clear_error (&error); \
  } G_STMT_END
  EXPECT_TAMPERED (vw_vault_get_participant (vault, s->study, s->code, &error), s->code);
  EXPECT_TAMPERED (vw_vault_get_participant_value (vault, s->study, s->code, "municipality", &error), "municipality");
  EXPECT_TAMPERED (vw_vault_get_contact (vault, s->study, s->code, &error), "contacts");
  EXPECT_TAMPERED (vw_vault_get_interviewer (vault, s->interviewer, &error), "interviewers");
  EXPECT_TAMPERED (vw_vault_get_interview (vault, s->interview, &error), "interviews");
  EXPECT_TAMPERED (vw_vault_get_answer (vault, s->interview, "q1", &error), "q1");
  EXPECT_TAMPERED (vw_vault_list_notes (vault, s->interview, &error), "notes");
  EXPECT_TAMPERED (vw_vault_list_quotes (vault, s->study, NULL, NULL, &error), "quotes");
  EXPECT_TAMPERED (vw_vault_list_episodes (vault, s->study, s->code, &error), "episodes");
  EXPECT_TAMPERED (vw_vault_list_consents (vault, s->study, s->code, &error), "consents");
  EXPECT_TAMPERED (vw_vault_list_devices (vault, &error), "devices");
  EXPECT_TAMPERED (vw_vault_get_study_secret (vault, s->study, VW_STUDY_SECRET_EXPORT, &error), "studies");
  EXPECT_TAMPERED (vw_vault_list_audit (vault, &error), "audit");

  /* What was not touched still reads. */
  {
    g_autofree char *q2 = vw_vault_get_answer (vault, s->interview, "q2", &error);
    g_assert_no_error (error);
    g_assert_nonnull (q2);
  }

  problems = verify_fails (vault);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_problem (problems, cases[i].where);
  /* The edited detail also breaks the audit chain's MAC. */
  assert_problem (problems, "was altered");
}

static void
test_moved_values (void)
{
  g_autofree char *path = copy_source ("moved.vault");
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GBytes) old_q2 = NULL;
  const VwTestFill *s = &source;
  sqlite3 *raw;

  /* An older revision of an answer is kept aside, then overwritten. */
  raw = vw_test_raw_open (path);
  {
    g_autofree char *sel = g_strdup_printf ("SELECT value FROM answers WHERE interview = '%s' AND question = 'q2'", s->interview);
    old_q2 = vw_test_raw_blob (raw, sel);
  }
  sqlite3_close (raw);
  vault = vw_test_open_vault (path);
  vw_vault_save_answer (vault, s->interview, "q2", "a later answer", &error);
  g_assert_no_error (error);
  g_clear_object (&vault);

  raw = vw_test_raw_open (path);
  {
    g_autofree char *upd = g_strdup_printf ("UPDATE answers SET value = ? WHERE interview = '%s' AND question = 'q2'", s->interview);
    vw_test_raw_set_blob (raw, upd, old_q2);
  }
  {
    /* One participant's pseudonym given to another. */
    g_autofree char *sel = g_strdup_printf ("SELECT pseudonym FROM participants WHERE code = '%s'", s->code);
    g_autofree char *upd = g_strdup_printf ("UPDATE participants SET pseudonym = ? WHERE code = '%s'", s->other_code);
    move_blob (raw, sel, upd);
  }
  {
    /* A municipality moved into the origin of the same person. */
    g_autofree char *sel = g_strdup_printf ("SELECT value FROM participant_values WHERE code = '%s' AND variable = 'municipality'", s->code);
    g_autofree char *upd = g_strdup_printf ("UPDATE participant_values SET value = ? WHERE code = '%s' AND variable = 'origin'", s->code);
    move_blob (raw, sel, upd);
  }
  {
    /* The general note moved onto a question. */
    g_autofree char *sel = g_strdup_printf ("SELECT text FROM notes WHERE interview = '%s' AND question = ''", s->interview);
    g_autofree char *upd = g_strdup_printf ("UPDATE notes SET text = ? WHERE interview = '%s' AND question = 'q1'", s->interview);
    move_blob (raw, sel, upd);
  }
  {
    /* A T1 answer moved into T0. */
    g_autofree char *sel = g_strdup_printf ("SELECT value FROM answers WHERE interview = '%s' AND question = 'q1'", s->interview_t1);
    g_autofree char *upd = g_strdup_printf ("UPDATE answers SET value = ? WHERE interview = '%s' AND question = 'q1'", s->interview);
    move_blob (raw, sel, upd);
  }
  sqlite3_close (raw);

  vault = vw_test_open_vault (path);
  EXPECT_TAMPERED (vw_vault_get_answer (vault, s->interview, "q2", &error), "q2");
  EXPECT_TAMPERED (vw_vault_get_answer (vault, s->interview, "q1", &error), "q1");
  EXPECT_TAMPERED (vw_vault_get_participant (vault, s->study, s->other_code, &error), s->other_code);
  EXPECT_TAMPERED (vw_vault_get_participant_value (vault, s->study, s->code, "origin", &error), "origin");
  EXPECT_TAMPERED (vw_vault_list_notes (vault, s->interview, &error), "notes");
  {
    /* The row the pseudonym came from is still fine. */
    g_autoptr(VwParticipant) p = vw_vault_get_participant (vault, s->study, s->code, &error);
    g_assert_no_error (error);
  }

  problems = verify_fails (vault);
  assert_problem (problems, s->other_code);
  assert_problem (problems, "(value)");
  assert_problem (problems, "origin");
  assert_problem (problems, "notes/");
  /* Each of the five rows is also one its integrity MAC no longer fits. */
  {
    g_autofree char *q1 = g_strdup_printf ("answers/%s/q1: the row was changed outside Veldwerk", s->interview);
    g_autofree char *q2 = g_strdup_printf ("answers/%s/q2: the row was changed outside Veldwerk", s->interview);
    g_autofree char *other = g_strdup_printf ("participants/%s/%s: the row was changed", s->study, s->other_code);
    g_autofree char *origin = g_strdup_printf ("participant_values/%s/%s/origin: the row was changed", s->study,
                                               s->code);
    g_autofree char *note = g_strdup_printf ("notes/%s/q1: the row was changed", s->interview);

    assert_problem (problems, q1);
    assert_problem (problems, q2);
    assert_problem (problems, other);
    assert_problem (problems, origin);
    assert_problem (problems, note);
  }
  /* The sqlite3 tool ran the vault's own triggers: each change moved the
   * change sequence (schema 6), whose row was then changed outside
   * Veldwerk too. */
  assert_problem (problems, "change_sequence/");
  g_assert_cmpuint (problems->len, ==, 11);
}

static void
test_value_from_another_vault (void)
{
  g_autofree char *path = copy_source ("mine.vault");
  g_autofree char *other_path = g_build_filename (work_dir, "other.vault", NULL);
  g_autoptr(VwVault) other = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) pseudonym = NULL;
  g_autofree char *study = NULL;
  VwTestFill fill;
  sqlite3 *raw;

  other = vw_test_create_vault (other_path, &study, NULL);
  vw_test_fill_vault (other, study, "other", &fill);
  g_clear_object (&other);

  raw = vw_test_raw_open (other_path);
  {
    g_autofree char *sel = g_strdup_printf ("SELECT value FROM answers WHERE interview = '%s' AND question = 'q1'", fill.interview);
    answer = vw_test_raw_blob (raw, sel);
  }
  {
    g_autofree char *sel = g_strdup_printf ("SELECT pseudonym FROM participants WHERE code = '%s'", fill.code);
    pseudonym = vw_test_raw_blob (raw, sel);
  }
  sqlite3_close (raw);

  raw = vw_test_raw_open (path);
  {
    g_autofree char *upd = g_strdup_printf ("UPDATE answers SET value = ? WHERE interview = '%s' AND question = 'q1'", source.interview);
    vw_test_raw_set_blob (raw, upd, answer);
  }
  {
    g_autofree char *upd = g_strdup_printf ("UPDATE participants SET pseudonym = ? WHERE code = '%s'", source.code);
    vw_test_raw_set_blob (raw, upd, pseudonym);
  }
  sqlite3_close (raw);

  vault = vw_test_open_vault (path);
  EXPECT_TAMPERED (vw_vault_get_answer (vault, source.interview, "q1", &error), "answers");
  EXPECT_TAMPERED (vw_vault_get_participant (vault, source.study, source.code, &error), "participants");
  g_ptr_array_unref (verify_fails (vault));
  vw_test_fill_clear (&fill);
}

/* The checksum over the key data, computed here from its documented
 * layout, as an attacker who knows the format would. */
static void
recompute_key_check (sqlite3 *raw)
{
  const char *keys[] = { "kdf_passphrase", "wrapped_passphrase", "kdf_recovery", "wrapped_recovery" };
  g_autoptr(GBytes) id = vw_test_raw_blob (raw, "SELECT value FROM meta WHERE key = 'vault_id'");
  g_autoptr(GBytes) check = NULL;
  crypto_generichash_state state;
  guint8 out[32];

  crypto_generichash_init (&state, NULL, 0, sizeof out);
  crypto_generichash_update (&state, (const guint8 *) "veldwerk/key-check/1", 20);
  crypto_generichash_update (&state, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT value FROM meta WHERE key = '%s'", keys[i]);
      g_autoptr(GBytes) part = vw_test_raw_blob (raw, sql);
      guint32 le = GUINT32_TO_LE ((guint32) g_bytes_get_size (part));

      crypto_generichash_update (&state, (const guint8 *) &le, 4);
      crypto_generichash_update (&state, g_bytes_get_data (part, NULL), g_bytes_get_size (part));
    }
  crypto_generichash_final (&state, out, sizeof out);
  check = g_bytes_new (out, sizeof out);
  vw_test_raw_set_blob (raw, "UPDATE meta SET value = ? WHERE key = 'key_check'", check);
}

static void
set_opslimit (sqlite3 *raw,
              guint64  opslimit)
{
  g_autoptr(GBytes) params = vw_test_raw_blob (raw, "SELECT value FROM meta WHERE key = 'kdf_passphrase'");
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (params, NULL), g_bytes_get_size (params));
  g_autoptr(GBytes) edited = NULL;
  guint64 le = GUINT64_TO_LE (opslimit);

  memcpy (copy + 4, &le, 8);
  edited = g_bytes_new (copy, g_bytes_get_size (params));
  vw_test_raw_set_blob (raw, "UPDATE meta SET value = ? WHERE key = 'kdf_passphrase'", edited);
}

static void
test_wrapped_keys_and_kdf_params (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();

  /* An edited wrapped vault key or salt: caught before any unlocking. */
  for (int i = 0; i < 3; i++)
    {
      const char *keys[] = { "wrapped_passphrase", "wrapped_recovery", "kdf_recovery" };
      g_autofree char *name = g_strdup_printf ("meta%d.vault", i);
      g_autofree char *path = copy_source (name);
      g_autofree char *select = g_strdup_printf ("SELECT value FROM meta WHERE key = '%s'", keys[i]);
      g_autofree char *update = g_strdup_printf ("UPDATE meta SET value = ? WHERE key = '%s'", keys[i]);
      g_autoptr(VwVault) vault = NULL;
      sqlite3 *raw = vw_test_raw_open (path);

      flip (raw, select, update);
      sqlite3_close (raw);
      vault = vw_vault_open (path, &error);
      g_assert_null (vault);
      assert_tampered (error, "key data");
      g_clear_error (&error);
    }

  /* Weakened stretching, even with the checksum made to match: refused. */
  {
    g_autofree char *path = copy_source ("weak.vault");
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autoptr(VwVault) vault = NULL;
    sqlite3 *raw = vw_test_raw_open (path);

    set_opslimit (raw, 1);
    sqlite3_close (raw);
    g_assert_null (vw_vault_open (path, &error));
    assert_tampered (error, "key data");
    g_clear_error (&error);

    raw = vw_test_raw_open (path);
    recompute_key_check (raw);
    sqlite3_close (raw);
    before = vw_test_vault_checksums (path);
    g_assert_null (vw_vault_open (path, &error));
    assert_tampered (error, "weaker");
    g_clear_error (&error);
    after = vw_test_vault_checksums (path);
    g_assert_cmpstr (before, ==, after);

    /* Stronger limits with a matching checksum: the key does not unwrap,
     * which is all that can be said; no wrong key comes out. */
    raw = vw_test_raw_open (path);
    set_opslimit (raw, crypto_pwhash_OPSLIMIT_MODERATE + 1);
    recompute_key_check (raw);
    sqlite3_close (raw);
    vault = vw_vault_open (path, &error);
    g_assert_no_error (error);
    g_assert_false (vw_vault_unlock (vault, passphrase, NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_WRONG_PASSPHRASE);
    g_assert_false (vw_vault_is_unlocked (vault));
    g_clear_error (&error);
  }

  /* A round key, the device's keys: caught where they are used. */
  {
    g_autofree char *path = copy_source ("keys.vault");
    g_autoptr(VwVault) vault = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GBytes) other_key = NULL;
    sqlite3 *raw = vw_test_raw_open (path);
    guint8 fake[32];

    flip (raw, "SELECT wrapped_key FROM rounds WHERE label = 'T0'",
          "UPDATE rounds SET wrapped_key = ? WHERE label = 'T0'");
    memset (fake, 0x24, sizeof fake);
    other_key = g_bytes_new (fake, sizeof fake);
    vw_test_raw_set_blob (raw, "UPDATE devices SET x25519_public = ? WHERE own = 1", other_key);
    sqlite3_close (raw);

    vault = vw_test_open_vault (path);
    EXPECT_TAMPERED (vw_vault_get_interview (vault, source.interview, &error), "rounds");
    EXPECT_TAMPERED (vw_vault_get_answer (vault, source.interview, "q1", &error), "rounds");
    EXPECT_TAMPERED (vw_vault_get_age_recipient (vault, &error), "devices");
    {
      /* T1 has its own key and still reads. */
      g_autofree char *t1 = vw_vault_get_answer (vault, source.interview_t1, "q1", &error);
      g_assert_no_error (error);
      g_assert_nonnull (t1);
    }
    problems = verify_fails (vault);
    assert_problem (problems, "rounds/");
    assert_problem (problems, "devices/");
  }
}

static void
test_audit_chain (void)
{
  g_autofree char *path = copy_source ("audit.vault");
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *raw = vw_test_raw_open (path);

  /* sqlite itself refuses; an attacker drops the triggers first. */
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM audit WHERE seq = 5", NULL, NULL, NULL), !=, SQLITE_OK);
  vw_test_raw_exec (raw, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                         "UPDATE audit SET actor = 'someone else' WHERE seq = 3;"
                         "DELETE FROM audit WHERE seq = 5;"
                         "UPDATE audit SET seq = -1 WHERE seq = 8;"
                         "UPDATE audit SET seq = 8 WHERE seq = 9;"
                         "UPDATE audit SET seq = 9 WHERE seq = -1;"
                         "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit);");
  sqlite3_close (raw);

  vault = vw_test_open_vault (path);
  problems = verify_fails (vault);
  assert_problem (problems, "audit: entry 3 was altered");
  assert_problem (problems, "audit: entry 6 follows entry 4");
  assert_problem (problems, "audit: entry 8 does not follow");
  assert_problem (problems, "audit: entry 9 does not follow");
  assert_problem (problems, "audit: the last entries are missing");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autofree char *study = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  /* One filled vault; each test tampers with its own copy. */
  work_dir = g_dir_make_tmp ("vw-tamper-XXXXXX", &error);
  g_assert_no_error (error);
  source_path = g_build_filename (work_dir, "source.vault", NULL);
  vault = vw_test_create_vault (source_path, &study, NULL);
  vw_test_fill_vault (vault, study, "tamper", &source);
  g_assert_true (vw_vault_verify (vault, NULL, NULL, &error));
  g_assert_true (vw_vault_close (vault, &error));
  g_clear_object (&vault);

  g_test_add_func ("/vault-tamper/flipped-byte-in-every-table", test_flipped_byte_in_every_table);
  g_test_add_func ("/vault-tamper/moved-values", test_moved_values);
  g_test_add_func ("/vault-tamper/value-from-another-vault", test_value_from_another_vault);
  g_test_add_func ("/vault-tamper/wrapped-keys-and-kdf-params", test_wrapped_keys_and_kdf_params);
  g_test_add_func ("/vault-tamper/audit-chain", test_audit_chain);

  status = g_test_run ();
  vw_test_fill_clear (&source);
  vw_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (source_path);
  return status;
}
