/* vw-vault-tracing.c: locator details, contact attempts, appointments,
 * the round worklist, and the summary of attempts a submission carries
 * (schema 11, see vw-vault-schema.c).
 *
 * Each record's values about the person are one JSON object sealed under
 * the contact subkey, bound to the table, the participant, the record's id
 * and its revision, as the contact details are. Audit entries name the
 * participant and the round, never the note, the place or the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-validate.h"
#include "vw-vault-private.h"
#include "vw-vault-tracing-private.h"
#include "vw-vault-tracing.h"

const char * const vw_locator_kinds[] = {
  "person", "organisation", "sleeping_place", "post_address", NULL,
};
const char * const vw_attempt_ways[] = {
  "phone", "visit", "care_worker", "participant", "other", NULL,
};
const char * const vw_attempt_outcomes[] = {
  "reached", "no_answer", "message_left", "contact_invalid", "appointment_made", "refused", "other", NULL,
};

/* The longest free text of a locator, note or place: these are short
 * facts, not interview notes. */
#define TRACING_TEXT_MAX 2000
#define MAX_ATTEMPTS_PER_ROUND 1000

void
vw_locator_free (VwLocator *locator)
{
  if (locator == NULL)
    return;
  g_free (locator->id);
  g_free (locator->study);
  g_free (locator->code);
  g_free (locator->kind);
  g_free (locator->details);
  g_free (locator->updated);
  g_free (locator);
}

void
vw_attempt_free (VwAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->id);
  g_free (attempt->study);
  g_free (attempt->code);
  g_free (attempt->round);
  g_free (attempt->date);
  g_free (attempt->way);
  g_free (attempt->outcome);
  g_free (attempt->note);
  g_free (attempt->place);
  g_free (attempt->updated);
  g_free (attempt);
}

void
vw_appointment_free (VwAppointment *appointment)
{
  if (appointment == NULL)
    return;
  g_free (appointment->id);
  g_free (appointment->study);
  g_free (appointment->code);
  g_free (appointment->round);
  g_free (appointment->date);
  g_free (appointment->time);
  g_free (appointment->place);
  g_free (appointment->note);
  g_free (appointment->updated);
  g_free (appointment);
}

void
vw_worklist_entry_free (VwWorklistEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->code);
  g_free (entry->pseudonym);
  g_free (entry->last_attempt);
  g_free (entry->last_outcome);
  g_free (entry->next_appointment);
  g_free (entry);
}

void
vw_attempt_tally_free (VwAttemptTally *tally)
{
  if (tally == NULL)
    return;
  g_free (tally->round);
  g_free (tally->outcomes);
  g_free (tally);
}

/* Validation */

static gboolean
in_list (const char * const *list,
         const char         *value)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_strcmp0 (list[i], value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
check_code (const char          *field,
            const char * const  *list,
            const char          *value,
            GError             **error)
{
  g_autofree char *codes = NULL;
  g_autofree char *shown = NULL;

  if (value == NULL || *value == '\0')
    return vw_validate_invalid (error, field, _("is required"));
  if (in_list (list, value))
    return TRUE;
  codes = g_strjoinv (", ", (char **) list);
  shown = vw_validate_show (value);
  return vw_validate_invalid (error, field, _("unknown code “%s”; the codes are: %s"), shown, codes);
}

static gboolean
check_short_text (const char  *field,
                  const char  *value,
                  gboolean     required,
                  GError     **error)
{
  if (value == NULL || *value == '\0')
    return required ? vw_validate_invalid (error, field, _("is required")) : TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    return vw_validate_invalid (error, field, _("is not valid UTF-8 text"));
  if (g_utf8_strlen (value, -1) > TRACING_TEXT_MAX)
    return vw_validate_invalid (error, field, _("is longer than %d characters"), TRACING_TEXT_MAX);
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 && c != '\n' && c != '\t')
        return vw_validate_invalid (error, field, _("holds a control character"));
    }
  if (required)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));

      if (*stripped == '\0')
        return vw_validate_invalid (error, field, _("is required"));
    }
  return TRUE;
}

gboolean
vw_validate_locator (const char  *kind,
                     const char  *details,
                     GError     **error)
{
  return check_code ("kind", vw_locator_kinds, kind, error) && check_short_text ("details", details, TRUE, error);
}

gboolean
vw_validate_attempt (const char  *date,
                     const char  *way,
                     const char  *outcome,
                     const char  *note,
                     const char  *place,
                     GError     **error)
{
  /* An attempt happened: a date not in the future. */
  if (date == NULL || *date == '\0')
    return vw_validate_invalid (error, "date", _("is required"));
  return vw_validate_date ("date", date, error) && check_code ("way", vw_attempt_ways, way, error) &&
         check_code ("outcome", vw_attempt_outcomes, outcome, error) &&
         check_short_text ("note", note, FALSE, error) && check_short_text ("place", place, FALSE, error);
}

gboolean
vw_validate_appointment (const char  *date,
                         const char  *time,
                         const char  *place,
                         const char  *note,
                         GError     **error)
{
  int y, m, d;

  /* An appointment may lie ahead: the shape of a date, not "not in the
   * future". */
  if (date == NULL || *date == '\0')
    return vw_validate_invalid (error, "date", _("is required"));
  if (!vw_validate_parse_date (date, &y, &m, &d))
    {
      g_autofree char *shown = vw_validate_show (date);
      return vw_validate_invalid (error, "date", _("“%s” is not a date; write it as YYYY-MM-DD, for example 2025-03-14"), shown);
    }
  if (time != NULL && *time != '\0')
    {
      if (strlen (time) != 5 || !g_ascii_isdigit (time[0]) || !g_ascii_isdigit (time[1]) || time[2] != ':' ||
          !g_ascii_isdigit (time[3]) || !g_ascii_isdigit (time[4]) || (time[0] - '0') * 10 + (time[1] - '0') > 23 ||
          (time[3] - '0') * 10 + (time[4] - '0') > 59)
        {
          g_autofree char *shown = vw_validate_show (time);
          return vw_validate_invalid (error, "time", _("“%s” is not a time; write it as HH:MM, for example 14:30"), shown);
        }
    }
  return check_short_text ("place", place, FALSE, error) && check_short_text ("note", note, FALSE, error);
}

/* A summary as a submission carries it: a count, and as many outcome
 * codes, comma-separated. */
gboolean
vw_validate_attempt_outcomes (const char  *count,
                              const char  *outcomes,
                              GError     **error)
{
  g_auto(GStrv) codes = NULL;
  guint64 n;
  guint listed;

  if (count == NULL || !g_ascii_string_to_unsigned (count, 10, 0, MAX_ATTEMPTS_PER_ROUND, &n, NULL))
    {
      g_autofree char *shown = vw_validate_show (count ? count : "");
      return vw_validate_invalid (error, "count", _("“%s” is not a number of attempts from 0 to %d"), shown,
                      MAX_ATTEMPTS_PER_ROUND);
    }
  codes = outcomes != NULL && *outcomes != '\0' ? g_strsplit (outcomes, ",", -1) : g_new0 (char *, 1);
  listed = g_strv_length (codes);
  for (guint i = 0; i < listed; i++)
    if (!check_code ("outcomes", vw_attempt_outcomes, codes[i], error))
      return FALSE;
  if (listed != n)
    return vw_validate_invalid (error, "outcomes", _("lists %u outcomes for %u attempts"), listed, (guint) n);
  return TRUE;
}

/* Sealing */

static void
wipe_string (char *text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
  g_free (text);
}

typedef char *WipedString;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (WipedString, wipe_string, NULL)

static GBytes *
seal_fields (VwVault             *self,
             const char          *table,
             const char          *study,
             const char          *code,
             const char          *id,
             gint64               revision,
             const char * const  *names,
             const char * const  *values,
             guint                n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(WipedString) json = NULL;
  VwValueRef ref = { table, "details", { study, code, id }, revision };

  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    if (values[i] != NULL && *values[i] != '\0')
      {
        json_builder_set_member_name (builder, names[i]);
        json_builder_add_string_value (builder, values[i]);
      }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_CONTACT), &ref, json);
}

static gboolean
unseal_fields (VwVault             *self,
               sqlite3_stmt        *stmt,
               int                  column,
               const char          *table,
               const char          *study,
               const char          *code,
               const char          *id,
               gint64               revision,
               const char * const  *names,
               char               **out,
               guint                n,
               GError             **error)
{
  VwValueRef ref = { table, "details", { study, code, id }, revision };
  g_auto(WipedString) json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (!vw_vault_column_unseal (self, stmt, column, vw_vault_subkey (self, VW_SUBKEY_CONTACT), &ref, &json, error))
    return FALSE;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT, _("A stored tracing record (%s %s) is damaged"),
                   table, id);
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (json_object_get_string_member_with_default (object, names[i], NULL));
  return TRUE;
}

/* Records: the shared shape of the three tables. */

/* The SQL of each kind is static text: vw_vault_prepare() caches
 * statements by the text's address. */
typedef struct
{
  const char         *table;
  const char * const *names;
  guint               n;
  gboolean            has_round;
  const char         *added;    /* audit actions */
  const char         *changed;
  const char         *deleted;
  const char         *sql_identity;
  const char         *sql_insert;
  const char         *sql_update;
  const char         *sql_delete;
  const char         *sql_list;
} Kind;

static const char * const locator_names[] = { "kind", "details" };
static const char * const attempt_names[] = { "date", "way", "outcome", "note", "place" };
static const char * const appointment_names[] = { "date", "time", "place", "note" };

#define KIND_SQL(table, round_col, round_insert, round_value, round_filter) \
  "SELECT study, code, " round_col ", revision FROM " table " WHERE id = ?", \
  "INSERT INTO " table " (id, study, code" round_insert ", details, revision, created, updated) " \
  "VALUES (?1, ?2, ?3" round_value ", ?5, ?6, ?7, ?7)", \
  "UPDATE " table " SET details = ?5, revision = ?6, updated = ?7 WHERE id = ?1", \
  "DELETE FROM " table " WHERE id = ?", \
  "SELECT id, study, code, " round_col ", updated, details, revision FROM " table " " \
  "WHERE study = ?1 AND (?2 IS NULL OR code = ?2)" round_filter " ORDER BY rowid"

static const Kind locator_kind = {
  "locators", locator_names, 2, FALSE, "locator_added", "locator_changed", "locator_deleted",
  KIND_SQL ("locators", "NULL", "", "", "")
};
static const Kind attempt_kind = {
  "contact_attempts", attempt_names, 5, TRUE, "attempt_added", "attempt_changed", "attempt_deleted",
  KIND_SQL ("contact_attempts", "round", ", round", ", ?4", " AND (?3 IS NULL OR round = ?3)")
};
static const Kind appointment_kind = {
  "appointments", appointment_names, 4, TRUE, "appointment_added", "appointment_changed", "appointment_deleted",
  KIND_SQL ("appointments", "round", ", round", ", ?4", " AND (?3 IS NULL OR round = ?3)")
};

#undef KIND_SQL

/* The change sequence of a round's attempts moves on with every change,
 * so that the next submission carries the round's summary again. */
static gboolean
touch_tally (VwVault     *self,
             const char  *study,
             const char  *code,
             const char  *round,
             GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!vw_vault_next_seq (self, &seq, error))
    return FALSE;
  /* UPDATE, then INSERT: the integrity triggers do not see an upsert's
   * update as an update. */
  for (int pass = 0; pass < 2; pass++)
    {
      stmt = vw_vault_prepare (self, pass == 0
                                     ? "UPDATE attempt_tallies SET seq = ?4 WHERE study = ?1 AND code = ?2 AND "
                                       "round = ?3"
                                     : "INSERT INTO attempt_tallies (study, code, round, seq) VALUES (?1, ?2, ?3, ?4)",
                               error);
      if (stmt == NULL)
        return FALSE;
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_text (stmt, 3, round);
      sqlite3_bind_int64 (stmt, 4, seq);
      if (!vw_vault_step_done (self, stmt, error))
        return FALSE;
      if (vw_vault_changes (self) > 0)
        return TRUE;
    }
  return TRUE;
}

/* Reads the identity of record @id of @kind: its study, code, round and
 * revision; FALSE with NOT_FOUND when there is none. */
static gboolean
record_identity (VwVault     *self,
                 const Kind  *kind,
                 const char  *id,
                 char       **study,
                 char       **code,
                 char       **round,
                 gint64      *revision,
                 GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, kind->sql_identity, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *study = vw_vault_column_text (stmt, 0);
      *code = vw_vault_column_text (stmt, 1);
      *round = vw_vault_column_text (stmt, 2);
      *revision = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return vw_vault_not_found (error, kind->table, id);
  return rc == SQLITE_ROW;
}

/* Adds (@id NULL) or changes a record, in one transaction. */
static char *
save_record (VwVault             *self,
             const Kind          *kind,
             const char          *study,
             const char          *code,
             const char          *round,
             const char          *id,
             const char * const  *values,
             GError             **error)
{
  g_autofree char *new_id = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;
  gint64 revision = 0;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_participant (self, study, code, error) ||
      (kind->has_round && !vw_vault_check_round (self, study, round, error)))
    return NULL;
  if (!vw_vault_tx_begin (self, error))
    return NULL;
  if (id != NULL)
    {
      g_autofree char *s = NULL, *c = NULL, *r = NULL;

      if (!record_identity (self, kind, id, &s, &c, &r, &revision, error))
        {
          vw_vault_tx_finish (self, FALSE, NULL);
          return NULL;
        }
      /* A record stays with its participant and round. */
      if (g_strcmp0 (s, study) != 0 || g_strcmp0 (c, code) != 0 || (kind->has_round && g_strcmp0 (r, round) != 0))
        {
          vw_vault_tx_finish (self, FALSE, NULL);
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                       _("This record belongs to another participant or round"));
          return NULL;
        }
      new_id = g_strdup (id);
    }
  else
    new_id = vw_vault_random_id ();

  sealed = seal_fields (self, kind->table, study, code, new_id, revision + 1, kind->names, values, kind->n);
  stmt = vw_vault_prepare (self, id == NULL ? kind->sql_insert : kind->sql_update, error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, new_id);
      if (id == NULL)
        {
          vw_vault_bind_text (stmt, 2, study);
          vw_vault_bind_text (stmt, 3, code);
          if (kind->has_round)
            vw_vault_bind_text (stmt, 4, round);
        }
      vw_vault_bind_bytes (stmt, 5, sealed);
      sqlite3_bind_int64 (stmt, 6, revision + 1);
      vw_vault_bind_text (stmt, 7, now);
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error) &&
       (kind != &attempt_kind || touch_tally (self, study, code, round, error)) &&
       vw_vault_audit_append (self, id == NULL ? kind->added : kind->changed, code, round, error);
  if (!vw_vault_tx_finish (self, ok, error))
    return NULL;
  return g_steal_pointer (&new_id);
}

static gboolean
delete_record (VwVault     *self,
               const Kind  *kind,
               const char  *id,
               GError     **error)
{
  g_autofree char *study = NULL, *code = NULL, *round = NULL;
  sqlite3_stmt *stmt;
  gint64 revision;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  ok = record_identity (self, kind, id, &study, &code, &round, &revision, error) &&
       (stmt = vw_vault_prepare (self, kind->sql_delete, error)) != NULL;
  if (ok)
    {
      vw_vault_bind_text (stmt, 1, id);
      ok = vw_vault_step_done (self, stmt, error) &&
           (kind != &attempt_kind || touch_tally (self, study, code, round, error)) &&
           vw_vault_audit_append (self, kind->deleted, code, round, error);
    }
  return vw_vault_tx_finish (self, ok, error);
}

/* Lists the records of @kind for a participant (and round), in the order
 * they were added, each as its id, study, code, round, updated and the
 * sealed values. */
typedef gpointer (*MakeRecord) (char **identity, char **values);

static GPtrArray *
list_records (VwVault         *self,
              const Kind      *kind,
              const char      *study,
              const char      *code,
              const char      *round,
              MakeRecord       make,
              GDestroyNotify   free_func,
              GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, kind->sql_list, error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  if (kind->has_round)
    vw_vault_bind_text (stmt, 3, round);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      char *identity[5];
      char *values[5] = { NULL };

      for (int i = 0; i < 5; i++)
        identity[i] = vw_vault_column_text (stmt, i);
      if (!unseal_fields (self, stmt, 5, kind->table, identity[1], identity[2], identity[0],
                          sqlite3_column_int64 (stmt, 6), kind->names, values, kind->n, error))
        {
          for (int i = 0; i < 5; i++)
            g_free (identity[i]);
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (items, make (identity, values));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&items);
}

static gpointer
make_locator (char **identity,
              char **values)
{
  VwLocator *l = g_new0 (VwLocator, 1);

  l->id = identity[0];
  l->study = identity[1];
  l->code = identity[2];
  g_free (identity[3]);
  l->updated = identity[4];
  l->kind = values[0];
  l->details = values[1];
  return l;
}

static gpointer
make_attempt (char **identity,
              char **values)
{
  VwAttempt *a = g_new0 (VwAttempt, 1);

  a->id = identity[0];
  a->study = identity[1];
  a->code = identity[2];
  a->round = identity[3];
  a->updated = identity[4];
  a->date = values[0];
  a->way = values[1];
  a->outcome = values[2];
  a->note = values[3];
  a->place = values[4];
  return a;
}

static gpointer
make_appointment (char **identity,
                  char **values)
{
  VwAppointment *a = g_new0 (VwAppointment, 1);

  a->id = identity[0];
  a->study = identity[1];
  a->code = identity[2];
  a->round = identity[3];
  a->updated = identity[4];
  a->date = values[0];
  a->time = values[1];
  a->place = values[2];
  a->note = values[3];
  return a;
}

static gboolean
fail_invalid (GError  *local,
              GError **error)
{
  g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, local->message);
  g_error_free (local);
  return FALSE;
}

/* Locators */

char *
vw_vault_save_locator (VwVault     *self,
                       const char  *study,
                       const char  *code,
                       const char  *id,
                       const char  *kind,
                       const char  *details,
                       GError     **error)
{
  const char *values[] = { kind, details };
  GError *local = NULL;

  if (!vw_validate_locator (kind, details, &local))
    {
      fail_invalid (local, error);
      return NULL;
    }
  return save_record (self, &locator_kind, study, code, NULL, id, values, error);
}

GPtrArray *
vw_vault_list_locators (VwVault     *self,
                        const char  *study,
                        const char  *code,
                        GError     **error)
{
  return list_records (self, &locator_kind, study, code, NULL, make_locator, (GDestroyNotify) vw_locator_free,
                       error);
}

gboolean
vw_vault_delete_locator (VwVault     *self,
                         const char  *id,
                         GError     **error)
{
  return delete_record (self, &locator_kind, id, error);
}

/* Attempts */

char *
vw_vault_save_attempt (VwVault     *self,
                       const char  *study,
                       const char  *code,
                       const char  *round,
                       const char  *id,
                       const char  *date,
                       const char  *way,
                       const char  *outcome,
                       const char  *note,
                       const char  *place,
                       GError     **error)
{
  const char *values[] = { date, way, outcome, note, place };
  GError *local = NULL;

  if (!vw_validate_attempt (date, way, outcome, note, place, &local))
    {
      fail_invalid (local, error);
      return NULL;
    }
  return save_record (self, &attempt_kind, study, code, round, id, values, error);
}

static int
compare_attempts (gconstpointer a,
                  gconstpointer b)
{
  const VwAttempt *x = *(const VwAttempt * const *) a;
  const VwAttempt *y = *(const VwAttempt * const *) b;

  return g_strcmp0 (x->date, y->date);
}

GPtrArray *
vw_vault_list_attempts (VwVault     *self,
                        const char  *study,
                        const char  *code,
                        const char  *round,
                        GError     **error)
{
  GPtrArray *items = list_records (self, &attempt_kind, study, code, round, make_attempt,
                                   (GDestroyNotify) vw_attempt_free, error);

  /* Stable: attempts of one day stay in the order they were recorded. */
  if (items != NULL)
    g_ptr_array_sort (items, compare_attempts);
  return items;
}

gboolean
vw_vault_delete_attempt (VwVault     *self,
                         const char  *id,
                         GError     **error)
{
  return delete_record (self, &attempt_kind, id, error);
}

static gint64
count_rows (VwVault     *self,
            const char  *sql,
            const char  *study,
            const char  *code,
            const char  *round,
            GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, sql, error);
  gint64 n = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, round);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -2 : sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

int
vw_vault_count_attempts (VwVault     *self,
                         const char  *study,
                         const char  *code,
                         const char  *round,
                         GError     **error)
{
  gint64 own, merged;

  if (!vw_vault_require_unlocked (self, error))
    return -1;
  own = count_rows (self, "SELECT count(*) FROM contact_attempts WHERE study = ? AND code = ? AND round = ?",
                    study, code, round, error);
  if (own == -1)
    return -1;
  merged = count_rows (self, "SELECT sum(count) FROM attempt_summaries WHERE study = ? AND code = ? AND round = ?",
                       study, code, round, error);
  if (merged == -1)
    return -1;
  /* Nothing recorded on this laptop nor merged: not "no attempts". */
  if (own == 0 && merged == -2)
    return -1;
  return (int) MIN (own + MAX (merged, 0), G_MAXINT);
}

/* Appointments */

char *
vw_vault_save_appointment (VwVault     *self,
                           const char  *study,
                           const char  *code,
                           const char  *round,
                           const char  *id,
                           const char  *date,
                           const char  *time,
                           const char  *place,
                           const char  *note,
                           GError     **error)
{
  const char *values[] = { date, time, place, note };
  GError *local = NULL;

  if (!vw_validate_appointment (date, time, place, note, &local))
    {
      fail_invalid (local, error);
      return NULL;
    }
  return save_record (self, &appointment_kind, study, code, round, id, values, error);
}

static int
compare_appointments (gconstpointer a,
                      gconstpointer b)
{
  const VwAppointment *x = *(const VwAppointment * const *) a;
  const VwAppointment *y = *(const VwAppointment * const *) b;
  int c = g_strcmp0 (x->date, y->date);

  return c != 0 ? c : g_strcmp0 (x->time, y->time);
}

GPtrArray *
vw_vault_list_appointments (VwVault     *self,
                            const char  *study,
                            const char  *code,
                            const char  *round,
                            GError     **error)
{
  GPtrArray *items = list_records (self, &appointment_kind, study, code, round, make_appointment,
                                   (GDestroyNotify) vw_appointment_free, error);

  if (items != NULL)
    g_ptr_array_sort (items, compare_appointments);
  return items;
}

gboolean
vw_vault_delete_appointment (VwVault     *self,
                             const char  *id,
                             GError     **error)
{
  return delete_record (self, &appointment_kind, id, error);
}

/* The study's minimum */

int
vw_vault_get_min_attempts (VwVault     *self,
                           const char  *study,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  int n = VW_TRACING_DEFAULT_MIN_ATTEMPTS;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return -1;
  stmt = vw_vault_prepare (self, "SELECT min_attempts FROM tracing_settings WHERE study = ?", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return rc < 0 ? -1 : n;
}

gboolean
vw_vault_set_min_attempts (VwVault     *self,
                           const char  *study,
                           int          n,
                           GError     **error)
{
  g_autofree char *detail = g_strdup_printf ("%d", n);
  sqlite3_stmt *stmt;

  if (n < 0 || n > VW_TRACING_MAX_MIN_ATTEMPTS)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("min_attempts: %d is not a number of attempts from 0 to %d"), n, VW_TRACING_MAX_MIN_ATTEMPTS);
      return FALSE;
    }
  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_study (self, study, error) ||
      !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO tracing_settings (study, min_attempts) VALUES (?, ?)",
                           error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      sqlite3_bind_int (stmt, 2, n);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                             vw_vault_audit_append (self, "min_attempts_set", study, detail, error),
                       error);
}

gboolean
vw_vault_check_unreachable (VwVault     *self,
                            const char  *study,
                            const char  *code,
                            const char  *round,
                            const char  *reason,
                            GError     **error)
{
  int min, count;

  if (reason != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (reason));

      if (*stripped != '\0')
        return TRUE;
    }
  if ((min = vw_vault_get_min_attempts (self, study, error)) < 0)
    return FALSE;
  count = vw_vault_count_attempts (self, study, code, round, error);
  if (count == -1 && error != NULL && *error != NULL)
    return FALSE;
  count = MAX (count, 0);
  if (count >= min)
    return TRUE;
  g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
               g_dngettext (GETTEXT_PACKAGE,
                            "Not findable needs at least %d contact attempt in round %s (%d recorded), or a reason",
                            "Not findable needs at least %d contact attempts in round %s (%d recorded), or a reason",
                            min),
               min, round, count);
  return FALSE;
}

/* The worklist */

static char *
date_plus (const char *today,
           int         days)
{
  int y, m, d;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) later = NULL;

  if (!vw_validate_parse_date (today, &y, &m, &d))
    return NULL;
  day = g_date_time_new_utc (y, m, d, 0, 0, 0);
  later = g_date_time_add_days (day, days);
  return g_date_time_format (later, "%Y-%m-%d");
}

GPtrArray *
vw_vault_round_worklist (VwVault          *self,
                         const char       *study,
                         const char       *round,
                         VwWorklistFilter  filter,
                         const char       *today,
                         GError          **error)
{
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_worklist_entry_free);
  g_autofree char *now = NULL;
  g_autofree char *week_end = NULL;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_round (self, study, round, error))
    return NULL;
  if (today == NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_now_local ();
      now = g_date_time_format (dt, "%Y-%m-%d");
    }
  else
    now = g_strdup (today);
  if ((week_end = date_plus (now, 6)) == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("“%s” is not a date"), now);
      return NULL;
    }
  if ((participants = vw_vault_list_participants (self, study, error)) == NULL)
    return NULL;
  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);
      g_autoptr(GError) missing = NULL;
      g_autoptr(VwInterview) iv = vw_vault_find_interview (self, study, p->code, round, &missing);
      g_autoptr(GPtrArray) attempts = NULL;
      g_autoptr(GPtrArray) appointments = NULL;
      g_autoptr(VwWorklistEntry) e = NULL;
      gboolean keep;

      if (iv == NULL && !g_error_matches (missing, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&missing));
          return NULL;
        }
      /* Due: nothing recorded for the round yet (an interview begun is
       * found; one held or a non-response recorded is done). */
      if (iv != NULL && iv->status != NULL)
        continue;
      if ((attempts = vw_vault_list_attempts (self, study, p->code, round, error)) == NULL ||
          (appointments = vw_vault_list_appointments (self, study, p->code, round, error)) == NULL)
        return NULL;
      e = g_new0 (VwWorklistEntry, 1);
      e->code = g_strdup (p->code);
      e->pseudonym = g_strdup (p->pseudonym);
      e->attempts = attempts->len;
      if (attempts->len > 0)
        {
          VwAttempt *last = g_ptr_array_index (attempts, attempts->len - 1);

          e->last_attempt = g_strdup (last->date);
          e->last_outcome = g_strdup (last->outcome);
        }
      for (guint a = 0; a < appointments->len && e->next_appointment == NULL; a++)
        {
          VwAppointment *ap = g_ptr_array_index (appointments, a);

          if (g_strcmp0 (ap->date, now) >= 0)
            e->next_appointment = ap->time != NULL ? g_strdup_printf ("%s %s", ap->date, ap->time)
                                                   : g_strdup (ap->date);
        }
      switch (filter)
        {
        case VW_WORKLIST_NOT_TRIED:
          keep = e->attempts == 0;
          break;
        case VW_WORKLIST_TRIED_THREE:
          keep = e->attempts >= 3;
          break;
        case VW_WORKLIST_APPOINTMENT_WEEK:
          keep = e->next_appointment != NULL && strncmp (e->next_appointment, week_end, 10) <= 0;
          break;
        case VW_WORKLIST_ALL:
        default:
          keep = TRUE;
          break;
        }
      if (keep)
        g_ptr_array_add (entries, g_steal_pointer (&e));
    }
  return g_steal_pointer (&entries);
}

/* Submissions and the merge */

GPtrArray *
vw_vault_list_attempt_tallies (VwVault     *self,
                               const char  *study,
                               const char  *code,
                               const char  *only_round,
                               GError     **error)
{
  g_autoptr(GPtrArray) tallies = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_attempt_tally_free);
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT round, seq FROM attempt_tallies WHERE study = ?1 AND code = ?2 "
                                               "AND (?3 IS NULL OR round = ?3) ORDER BY round", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, only_round);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      VwAttemptTally *t = g_new0 (VwAttemptTally, 1);

      t->round = vw_vault_column_text (stmt, 0);
      t->seq = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (tallies, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  /* Only the codes leave: the notes and places are read and dropped. */
  for (guint i = 0; i < tallies->len; i++)
    {
      VwAttemptTally *t = g_ptr_array_index (tallies, i);
      g_autoptr(GPtrArray) attempts = vw_vault_list_attempts (self, study, code, t->round, error);
      g_autoptr(GString) outcomes = g_string_new (NULL);

      if (attempts == NULL)
        return NULL;
      for (guint a = 0; a < attempts->len; a++)
        {
          VwAttempt *attempt = g_ptr_array_index (attempts, a);

          if (a > 0)
            g_string_append_c (outcomes, ',');
          g_string_append (outcomes, attempt->outcome);
        }
      t->count = attempts->len;
      t->outcomes = g_string_free (g_steal_pointer (&outcomes), FALSE);
    }
  return g_steal_pointer (&tallies);
}

gboolean
vw_vault_store_attempt_summary (VwVault     *self,
                                const char  *study,
                                const char  *code,
                                const char  *round,
                                const char  *device,
                                int          count,
                                const char  *outcomes,
                                gint64       seq,
                                gboolean    *stored,
                                GError     **error)
{
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref = { "attempt_summaries", "outcomes", { study, code, round, device }, seq };
  sqlite3_stmt *stmt;

  *stored = FALSE;
  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, outcomes);
  /* A later summary from the same laptop replaces an earlier one; one
   * sent again, or older, changes nothing. UPDATE, then INSERT: the
   * integrity triggers do not see an upsert's update as an update. */
  for (int pass = 0; pass < 2; pass++)
    {
      stmt = vw_vault_prepare (self, pass == 0
                                     ? "UPDATE attempt_summaries SET count = ?5, outcomes = ?6, seq = ?7, updated = ?8 "
                                       "WHERE study = ?1 AND code = ?2 AND round = ?3 AND device = ?4 AND seq < ?7"
                                     : "INSERT OR IGNORE INTO attempt_summaries (study, code, round, device, count, "
                                       "outcomes, seq, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                               error);
      if (stmt == NULL)
        return FALSE;
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_text (stmt, 3, round);
      vw_vault_bind_text (stmt, 4, device);
      sqlite3_bind_int (stmt, 5, count);
      vw_vault_bind_bytes (stmt, 6, sealed);
      sqlite3_bind_int64 (stmt, 7, seq);
      vw_vault_bind_text (stmt, 8, now);
      if (!vw_vault_step_done (self, stmt, error))
        return FALSE;
      if (vw_vault_changes (self) > 0)
        {
          *stored = TRUE;
          return TRUE;
        }
    }
  return TRUE;
}

gboolean
vw_vault_get_attempt_summary (VwVault     *self,
                              const char  *study,
                              const char  *code,
                              const char  *round,
                              int         *count,
                              char       **outcomes,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GString) all = g_string_new (NULL);
  gboolean found = FALSE;
  int rc;

  *count = 0;
  *outcomes = NULL;
  if (!vw_vault_require_unlocked (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "SELECT device, count, outcomes, seq FROM attempt_summaries "
                                 "WHERE study = ? AND code = ? AND round = ? ORDER BY device", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, round);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *device = vw_vault_column_text (stmt, 0);
      g_autofree char *text = NULL;
      VwValueRef ref = { "attempt_summaries", "outcomes", { study, code, round, device },
                         sqlite3_column_int64 (stmt, 3) };

      if (!vw_vault_column_unseal (self, stmt, 2, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, &text, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      found = TRUE;
      *count += sqlite3_column_int (stmt, 1);
      if (text != NULL && *text != '\0')
        {
          if (all->len > 0)
            g_string_append_c (all, ',');
          g_string_append (all, text);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE || !found)
    return FALSE;
  *outcomes = g_string_free (g_steal_pointer (&all), FALSE);
  return TRUE;
}
