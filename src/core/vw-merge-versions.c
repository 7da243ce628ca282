/* vw-merge-versions.c: the versions of a record that laptops send, and
 * the one rule that merges them (see vw-merge-private.h and
 * README-bundles.md, "Merging").
 *
 * A record's row holds one version and its author (`device`). Versions
 * are compared only with versions of the same device, so a revision is
 * an order within one laptop's line and never between laptops. For every
 * record the receiver knows each device's latest version: the row's
 * author's is the row; another device's that equals it is an agreement;
 * any that differs opens a conflict, which keeps every device's latest
 * version (table `conflicts`, sealed like the record's values) until it
 * is settled or the devices come to agree again. Meanwhile the row keeps
 * showing its author's latest version: no revision or time of another
 * laptop can choose what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-exchange-private.h"
#include "vw-merge-private.h"

void
vw_merge_version_clear (Version *v)
{
  if (v->value != NULL)
    sodium_memzero (v->value, strlen (v->value));
  g_clear_pointer (&v->value, g_free);
  g_clear_pointer (&v->updated, g_free);
  g_clear_pointer (&v->device, g_free);
}

void
vw_merge_target_clear (Target *t)
{
  g_clear_pointer (&t->owned, g_free);
}

/* Orders two versions of one device. Equal revisions mean a damaged or
 * forged bundle; time, then content, break the tie so that every order of
 * merging keeps the same one. */
static int
version_cmp (const Version *a,
             const Version *b)
{
  int c;

  if (a->revision != b->revision)
    return a->revision < b->revision ? -1 : 1;
  if ((c = g_strcmp0 (a->updated, b->updated)) != 0)
    return c;
  return g_strcmp0 (a->value, b->value);
}

char *
vw_merge_content_join (guint               n_fields,
                       const char * const *fields)
{
  GString *out = g_string_new (NULL);

  vw_rows_put (out, 'x', n_fields, fields);
  /* "x\t" before the fields, a line feed after them. */
  g_string_truncate (out, out->len - 1);
  g_string_erase (out, 0, 2);
  return g_string_free (out, FALSE);
}

gboolean
vw_merge_content_split (const char  *content,
                        guint        n_fields,
                        char       **buffer,
                        char       **fields)
{
  char *split[VW_ROWS_MAX_FIELDS];
  char type;
  int n;

  *buffer = g_strconcat ("x\t", content ? content : "", NULL);
  n = vw_rows_split (*buffer, &type, split);
  if (n != (int) n_fields)
    return FALSE;
  for (guint i = 0; i < n_fields; i++)
    fields[i] = split[i];
  return TRUE;
}

static gboolean
content_fields (const Version  *v,
                guint           n_fields,
                char          **buffer,
                char          **fields,
                GError        **error)
{
  if (vw_merge_content_split (v->value, n_fields, buffer, fields))
    return TRUE;
  g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FAILED, _("A stored version is damaged"));
  return FALSE;
}

static const char *
device_or_null (const char *device)
{
  return device != NULL && *device != '\0' ? device : NULL;
}

/* Conflicts and agreements of one record. */

static sqlite3_stmt *
record_stmt (Merge         *m,
             const Target  *t,
             const char    *sql,
             GError       **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, t->kind);
  vw_vault_bind_text (stmt, 3, t->object);
  vw_vault_bind_text (stmt, 4, t->field);
  return stmt;
}

/* 1 when @sql (with ?5 = @device when given) finds a row, 0 when not,
 * -1 on error. */
static int
record_exists (Merge         *m,
               const Target  *t,
               const char    *sql,
               const char    *device,
               GError       **error)
{
  sqlite3_stmt *stmt = record_stmt (m, t, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  if (device != NULL)
    vw_vault_bind_text (stmt, 5, device);
  rc = vw_vault_step (m->vault, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int
conflict_open (Merge         *m,
               const Target  *t,
               GError       **error)
{
  return record_exists (m, t, "SELECT 1 FROM conflicts WHERE study = ? AND kind = ? AND object = ? AND field = ? "
                              "AND resolved IS NULL LIMIT 1", NULL, error);
}

/* Whether @v is no newer than what a resolution settled for its device:
 * then it arrives again and changes nothing. */
static int
settled (Merge         *m,
         const Target  *t,
         const Version *v,
         GError       **error)
{
  sqlite3_stmt *stmt = record_stmt (m, t, "SELECT max (revision) FROM conflicts WHERE study = ? AND kind = ? AND "
                                          "object = ? AND field = ? AND device = ? AND resolved IS NOT NULL", error);
  int rc, result = 0;

  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    result = v->revision <= sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rc < 0 ? -1 : result;
}

static void
side_ref (const Target *t,
          VwValueRef   *ref,
          const char   *sealed_device,
          gint64        revision)
{
  *ref = (VwValueRef) { "conflicts", "value", { t->kind, t->object, t->field, sealed_device }, revision };
}

/* Keeps @v as its device's open side when it is that device's latest.
 * Returns 1 when the sides changed, 0 when not, -1 on error. */
static int
side_put (Merge         *m,
          const Target  *t,
          const Version *v,
          GError       **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref;
  int rc;

  stmt = record_stmt (m, t, "SELECT revision, updated, value, sealed_device FROM conflicts WHERE study = ? AND "
                            "kind = ? AND object = ? AND field = ? AND device = ? AND resolved IS NULL", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_ROW)
    {
      g_auto(Version) side = { 0 };
      int cmp;

      side.revision = sqlite3_column_int64 (stmt, 0);
      side.updated = vw_vault_column_text (stmt, 1);
      cmp = side.revision != v->revision ? (side.revision < v->revision ? -1 : 1)
                                         : g_strcmp0 (side.updated, v->updated);
      /* The content decides a full tie only. */
      if (cmp == 0)
        {
          side_ref (t, &ref, (const char *) sqlite3_column_text (stmt, 3), side.revision);
          if (!vw_vault_column_unseal (m->vault, stmt, 2, t->key, &ref, &side.value, error))
            {
              sqlite3_reset (stmt);
              return -1;
            }
          cmp = version_cmp (&side, v);
        }
      sqlite3_reset (stmt);
      if (cmp >= 0)
        return 0;
    }
  else
    sqlite3_reset (stmt);
  if (rc < 0)
    return -1;

  stmt = record_stmt (m, t, "DELETE FROM conflicts WHERE study = ? AND kind = ? AND object = ? AND field = ? "
                            "AND device = ? AND resolved IS NULL", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  if (!vw_vault_step_done (m->vault, stmt, error))
    return -1;

  side_ref (t, &ref, v->device, v->revision);
  sealed = vw_vault_seal_string (m->vault, t->key, &ref, v->value);
  /* A settled side of the same revision stays: the new one is identical. */
  stmt = record_stmt (m, t, "INSERT OR IGNORE INTO conflicts (study, kind, object, field, device, revision, value, "
                            "updated, round, sealed_device) VALUES (?, ?, ?, ?, ?5, ?6, ?7, ?8, ?9, ?5)", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 5, v->device);
  sqlite3_bind_int64 (stmt, 6, v->revision);
  vw_vault_bind_bytes (stmt, 7, sealed);
  vw_vault_bind_text (stmt, 8, v->updated);
  vw_vault_bind_text (stmt, 9, t->round);
  return vw_vault_step_done (m->vault, stmt, error) ? 1 : -1;
}

/* Every open side, decrypted. */
static GArray *
open_sides (Merge         *m,
            const Target  *t,
            GError       **error)
{
  g_autoptr(GArray) sides = g_array_new (FALSE, TRUE, sizeof (Version));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (sides, (GDestroyNotify) vw_merge_version_clear);
  stmt = record_stmt (m, t, "SELECT device, revision, updated, value, sealed_device FROM conflicts WHERE study = ? "
                            "AND kind = ? AND object = ? AND field = ? AND resolved IS NULL", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = vw_vault_step (m->vault, stmt, error)) == SQLITE_ROW)
    {
      Version side = { 0 };
      VwValueRef ref;

      side.device = vw_vault_column_text (stmt, 0);
      side.revision = sqlite3_column_int64 (stmt, 1);
      side.updated = vw_vault_column_text (stmt, 2);
      side_ref (t, &ref, (const char *) sqlite3_column_text (stmt, 4), side.revision);
      g_array_append_val (sides, side);
      if (!vw_vault_column_unseal (m->vault, stmt, 3, t->key, &ref,
                                   &g_array_index (sides, Version, sides->len - 1).value, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&sides);
}

/* Agreements: another device's latest version equals the row's. Their
 * value is the row's, and is not stored again. */
static GArray *
agreements (Merge         *m,
            const Target  *t,
            const char    *value,
            GError       **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (Version));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (list, (GDestroyNotify) vw_merge_version_clear);
  stmt = record_stmt (m, t, "SELECT device, revision, updated FROM agreements WHERE study = ? AND kind = ? AND "
                            "object = ? AND field = ?", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = vw_vault_step (m->vault, stmt, error)) == SQLITE_ROW)
    {
      Version a = { g_strdup (value), sqlite3_column_int64 (stmt, 1), vw_vault_column_text (stmt, 2),
                    vw_vault_column_text (stmt, 0) };

      g_array_append_val (list, a);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&list);
}

static gboolean
agreements_clear (Merge         *m,
                  const Target  *t,
                  GError       **error)
{
  sqlite3_stmt *stmt = record_stmt (m, t, "DELETE FROM agreements WHERE study = ? AND kind = ? AND object = ? AND "
                                          "field = ?", error);

  return stmt != NULL && vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
agreement_put (Merge         *m,
               const Target  *t,
               const Version *v,
               GError       **error)
{
  sqlite3_stmt *stmt = record_stmt (m, t, "INSERT OR REPLACE INTO agreements (study, kind, object, field, device, "
                                          "revision, updated) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 5, v->device);
  sqlite3_bind_int64 (stmt, 6, v->revision);
  vw_vault_bind_text (stmt, 7, v->updated);
  return vw_vault_step_done (m->vault, stmt, error);
}

/* Opens a conflict with @sides: every device's latest version, the
 * agreements among them. */
static gboolean
conflict_start (Merge          *m,
                const Target   *t,
                const Version  *first,
                GArray         *others,
                const Version  *last,
                GError        **error)
{
  if (side_put (m, t, first, error) < 0)
    return FALSE;
  for (guint i = 0; others != NULL && i < others->len; i++)
    if (side_put (m, t, &g_array_index (others, Version, i), error) < 0)
      return FALSE;
  if (last != NULL && side_put (m, t, last, error) < 0)
    return FALSE;
  m->report->conflicts++;
  return agreements_clear (m, t, error);
}

/* A join (vw-vault-aliases.c) opens a conflict between the kept code's
 * cell (@t, as stored) and the joined code's version of it. */
gboolean
vw_merge_conflict_join (Merge          *m,
                        const Target   *t,
                        const Version  *kept,
                        const Version  *joined,
                        GError        **error)
{
  return conflict_start (m, t, kept, NULL, joined, error);
}

/* When every device's latest version agrees again, the conflict is over:
 * its sides become agreements with the row (its author's latest). */
static gboolean
conflict_close_if_agreed (Merge         *m,
                          const Target  *t,
                          const char    *author,
                          GError       **error)
{
  g_autoptr(GArray) sides = open_sides (m, t, error);
  sqlite3_stmt *stmt;

  if (sides == NULL)
    return FALSE;
  for (guint i = 1; i < sides->len; i++)
    if (g_strcmp0 (g_array_index (sides, Version, 0).value, g_array_index (sides, Version, i).value) != 0)
      return TRUE;
  stmt = record_stmt (m, t, "DELETE FROM conflicts WHERE study = ? AND kind = ? AND object = ? AND field = ? AND "
                            "resolved IS NULL", error);
  if (stmt == NULL || !vw_vault_step_done (m->vault, stmt, error))
    return FALSE;
  for (guint i = 0; i < sides->len; i++)
    {
      const Version *side = &g_array_index (sides, Version, i);

      if (g_strcmp0 (side->device, author) != 0 && !agreement_put (m, t, side, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
vw_merge_version (Merge         *m,
                  const Target  *t,
                  const Version *v,
                  GError       **error)
{
  g_auto(Version) stored = { 0 };
  g_autoptr(GArray) agreed = NULL;
  int found, done, open;

  if ((found = t->read (m, t, &stored, error)) < 0)
    return FALSE;
  if (!found)
    {
      /* A record added anew (it may have been handed over and removed
       * here before) starts without the agreements or open conflict of
       * an earlier one with its key. */
      sqlite3_stmt *stmt = record_stmt (m, t, "DELETE FROM conflicts WHERE study = ? AND kind = ? AND object = ? AND "
                                              "field = ? AND resolved IS NULL", error);

      if (stmt == NULL || !vw_vault_step_done (m->vault, stmt, error) || !agreements_clear (m, t, error))
        return FALSE;
      m->report->added++;
      return t->write (m, t, v, FALSE, error);
    }
  if ((done = settled (m, t, v, error)) < 0 || (open = conflict_open (m, t, error)) < 0)
    return FALSE;
  if (done)
    {
      m->report->unchanged++;
      return TRUE;
    }

  if (open)
    {
      int changed = side_put (m, t, v, error);

      if (changed < 0)
        return FALSE;
      if (changed == 0)
        {
          m->report->unchanged++;
          return TRUE;
        }
      m->report->conflicts++;
      /* The row shows its author's latest version. */
      if (g_str_equal (v->device, stored.device) && version_cmp (v, &stored) > 0 &&
          !t->write (m, t, v, TRUE, error))
        return FALSE;
      return conflict_close_if_agreed (m, t, stored.device, error);
    }

  if (g_str_equal (v->device, stored.device))
    {
      if (version_cmp (v, &stored) <= 0)
        {
          m->report->unchanged++;
          return TRUE;
        }
      if (g_str_equal (v->value, stored.value))
        {
          m->report->unchanged++;
          return t->write (m, t, v, TRUE, error);
        }
      if ((agreed = agreements (m, t, stored.value, error)) == NULL)
        return FALSE;
      if (agreed->len == 0)
        {
          m->report->updated++;
          return t->write (m, t, v, TRUE, error);
        }
      /* The devices that agreed with the version it replaces still hold
       * that one: they differ now. */
      return conflict_start (m, t, v, agreed, NULL, error) && t->write (m, t, v, TRUE, error);
    }

  if ((agreed = agreements (m, t, stored.value, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < agreed->len; i++)
    {
      Version *a = &g_array_index (agreed, Version, i);

      if (!g_str_equal (a->device, v->device))
        continue;
      if (version_cmp (v, a) <= 0)
        {
          m->report->unchanged++;
          return TRUE;
        }
      g_array_remove_index (agreed, i);
      break;
    }
  if (g_str_equal (v->value, stored.value))
    {
      m->report->unchanged++;
      return agreement_put (m, t, v, error);
    }
  /* Another laptop's different version: a conflict, never an overwrite. */
  return conflict_start (m, t, &stored, agreed, v, error);
}

gboolean
vw_merge_settle (Merge         *m,
                 const Target  *t,
                 const char    *content,
                 GError       **error)
{
  g_auto(Version) stored = { 0 };
  g_auto(Version) chosen = { 0 };
  sqlite3_stmt *stmt;
  int found, open;

  if ((found = t->read (m, t, &stored, error)) < 0 || (open = conflict_open (m, t, error)) < 0)
    return FALSE;
  if (!found || !open)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
                   _("%s %s %s has no open conflict"), t->kind, t->object, t->field);
      return FALSE;
    }
  stmt = record_stmt (m, t, "UPDATE conflicts SET resolved = ?5 WHERE study = ?1 AND kind = ?2 AND object = ?3 AND "
                            "field = ?4 AND resolved IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 5, m->now);
  if (!vw_vault_step_done (m->vault, stmt, error) || !agreements_clear (m, t, error))
    return FALSE;
  chosen.value = g_strdup (content);
  chosen.revision = vw_vault_next_revision (stored.revision);
  chosen.updated = g_strdup (m->now);
  chosen.device = g_strdup (m->author);
  return t->write (m, t, &chosen, TRUE, error);
}

/* Cells: answers, participants' values, notes. */

typedef struct
{
  const char *table;
  const char *column;
  guint       n_ids;
  const char *select_sql;
  const char *upsert_sql;
} CellSpec;

static const CellSpec answer_cell = {
  "answers", "value", 2,
  "SELECT value, revision, updated, device FROM answers WHERE interview = ? AND question = ?",
  "INSERT OR REPLACE INTO answers (interview, question, value, revision, updated, device, seq) "
  "VALUES (?, ?, ?, ?, ?, ?, ?)",
};

static const CellSpec value_cell = {
  "participant_values", "value", 3,
  "SELECT value, revision, updated, device FROM participant_values WHERE study = ? AND code = ? AND variable = ?",
  "INSERT OR REPLACE INTO participant_values (study, code, variable, value, revision, updated, device, seq) "
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
};

static const CellSpec note_cell = {
  "notes", "text", 2,
  "SELECT text, revision, updated, device FROM notes WHERE interview = ? AND question = ?",
  "INSERT OR REPLACE INTO notes (interview, question, text, revision, updated, device, seq) "
  "VALUES (?, ?, ?, ?, ?, ?, ?)",
};

static void
cell_ref (const CellSpec *spec,
          const Target   *t,
          VwValueRef     *ref,
          gint64          revision)
{
  memset (ref, 0, sizeof *ref);
  ref->table = spec->table;
  ref->column = spec->column;
  for (guint i = 0; i < spec->n_ids; i++)
    ref->id[i] = t->ids[i];
  ref->revision = revision;
}

static int
cell_read (Merge           *m,
           const CellSpec  *spec,
           const Target    *t,
           Version         *out,
           GError         **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, spec->select_sql, error);
  VwValueRef ref;
  int rc;

  if (stmt == NULL)
    return -1;
  for (guint i = 0; i < spec->n_ids; i++)
    vw_vault_bind_text (stmt, i + 1, t->ids[i]);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return rc == SQLITE_DONE ? 0 : -1;
    }
  out->revision = sqlite3_column_int64 (stmt, 1);
  out->updated = vw_vault_column_text (stmt, 2);
  out->device = vw_vault_column_text (stmt, 3);
  if (out->device == NULL)
    out->device = g_strdup ("");
  cell_ref (spec, t, &ref, out->revision);
  if (!vw_vault_column_unseal (m->vault, stmt, 0, t->key, &ref, &out->value, error))
    {
      sqlite3_reset (stmt);
      return -1;
    }
  sqlite3_reset (stmt);
  return 1;
}

static gboolean
cell_write (Merge           *m,
            const CellSpec  *spec,
            const char      *sql,
            const Target    *t,
            const Version   *v,
            GError         **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref;
  gint64 seq;

  if (stmt == NULL || !vw_vault_next_seq (m->vault, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, spec->n_ids + 5, seq);
  cell_ref (spec, t, &ref, v->revision);
  sealed = vw_vault_seal_string (m->vault, t->key, &ref, v->value);
  for (guint i = 0; i < spec->n_ids; i++)
    vw_vault_bind_text (stmt, i + 1, t->ids[i]);
  vw_vault_bind_bytes (stmt, spec->n_ids + 1, sealed);
  sqlite3_bind_int64 (stmt, spec->n_ids + 2, v->revision);
  vw_vault_bind_text (stmt, spec->n_ids + 3, v->updated);
  vw_vault_bind_text (stmt, spec->n_ids + 4, device_or_null (v->device));
  return vw_vault_step_done (m->vault, stmt, error);
}

#define CELL_FUNCS(name, spec) \
  static int \
  name##_read (Merge *m, const Target *t, Version *out, GError **error) \
  { \
    return cell_read (m, &spec, t, out, error); \
  } \
  static gboolean \
  name##_write (Merge *m, const Target *t, const Version *v, gboolean exists, GError **error) \
  { \
    return cell_write (m, &spec, spec.upsert_sql, t, v, error); \
  }

CELL_FUNCS (answer, answer_cell)
CELL_FUNCS (value, value_cell)
CELL_FUNCS (note, note_cell)

int
vw_merge_insert_new_answer (Merge         *m,
                            const Target  *t,
                            const Version *v,
                            GError       **error)
{
  /* A literal: the statement cache keeps the pointer. */
  if (!cell_write (m, &answer_cell, "INSERT OR IGNORE INTO answers (interview, question, value, revision, updated, "
                                    "device, seq) VALUES (?, ?, ?, ?, ?, ?, ?)", t, v, error))
    return -1;
  return vw_vault_changes (m->vault) > 0;
}

/* Whole records. Their content is every field that is the same for
 * every laptop that holds the same version: not the revision, the time
 * or the author, nor what is set once and never changed by a version
 * (a participant's linkage hash, the interview an episode was recorded
 * in). */

static const char * const participant_fields[] = { "pseudonym", "region", "created", NULL };
static const char * const interview_fields[] = { "questionnaire_id", "questionnaire_version", "questionnaire_sha256",
                                                 "status", "date", "nonresponse_reason", "state", "resume_module",
                                                 "resume_question", "created", NULL };
static const char * const quote_fields[] = { "question", "theme", "text", "created", NULL };
static const char * const episode_fields[] = { "start", "end", "residence", NULL };
static const char * const consent_fields[] = { "value", "date", NULL };

const char * const *
vw_conflict_field_names (const char *kind)
{
  static const struct { const char *kind; const char * const *fields; } kinds[] = {
    { "participant", participant_fields },
    { "interview", interview_fields },
    { "quote", quote_fields },
    { "episode", episode_fields },
    { "consent", consent_fields },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].kind) == 0)
      return kinds[i].fields;
  return NULL;
}

GPtrArray *
vw_conflict_split_value (const VwConflict *conflict)
{
  const char * const *names = vw_conflict_field_names (conflict->kind);
  guint n = names ? g_strv_length ((GStrv) names) : 0;
  g_auto(VwWipedString) buffer = NULL;
  char *fields[VW_ROWS_MAX_FIELDS];
  GPtrArray *out;

  if (n == 0 || !vw_merge_content_split (conflict->value, n, &buffer, fields))
    return NULL;
  out = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_strdup (fields[i]));
  return out;
}

/* Binds the next change sequence to parameter @index: the row is written
 * once, with it, instead of again by the trigger. */
static gboolean
take_seq (Merge         *m,
          sqlite3_stmt  *stmt,
          int            index,
          GError       **error)
{
  gint64 seq;

  if (!vw_vault_next_seq (m->vault, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, index, seq);
  return TRUE;
}

/* Reads one record's row: 1, 0 or -1 as TargetReadFunc. */
static int
row_read (Merge        *m,
          const char   *sql,
          const Target *t,
          guint         n_ids,
          sqlite3_stmt **stmt,
          GError      **error)
{
  int rc;

  if ((*stmt = vw_vault_prepare (m->vault, sql, error)) == NULL)
    return -1;
  for (guint i = 0; i < n_ids; i++)
    vw_vault_bind_text (*stmt, i + 1, t->ids[i]);
  rc = vw_vault_step (m->vault, *stmt, error);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (*stmt);
      return rc == SQLITE_DONE ? 0 : -1;
    }
  return 1;
}

static void
row_version (sqlite3_stmt *stmt,
             int           first,
             Version      *out)
{
  out->revision = sqlite3_column_int64 (stmt, first);
  out->updated = vw_vault_column_text (stmt, first + 1);
  out->device = vw_vault_column_text (stmt, first + 2);
  if (out->device == NULL)
    out->device = g_strdup ("");
}

/* Participants: ids study, code. */

static int
participant_read (Merge         *m,
                  const Target  *t,
                  Version       *out,
                  GError       **error)
{
  sqlite3_stmt *stmt;
  g_auto(VwWipedString) pseudonym = NULL;
  int found = row_read (m, "SELECT pseudonym, region, created, revision, updated, device FROM participants "
                           "WHERE study = ? AND code = ?", t, 2, &stmt, error);
  VwValueRef ref;

  if (found <= 0)
    return found;
  row_version (stmt, 3, out);
  ref = (VwValueRef) { "participants", "pseudonym", { t->ids[0], t->ids[1] }, out->revision };
  if (!vw_vault_column_unseal (m->vault, stmt, 0, t->key, &ref, &pseudonym, error))
    {
      sqlite3_reset (stmt);
      return -1;
    }
  {
    const char *fields[] = { pseudonym, (const char *) sqlite3_column_text (stmt, 1),
                             (const char *) sqlite3_column_text (stmt, 2) };
    out->value = vw_merge_content_join (3, fields);
  }
  sqlite3_reset (stmt);
  return 1;
}

static gboolean
pseudonym_free (Merge       *m,
                const char  *pseudonym,
                const char  *code,
                GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (vw_vault_pseudonym_available (m->vault, m->study, pseudonym, code, &local))
    return TRUE;
  if (local != NULL && !g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_DUPLICATE_PSEUDONYM))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
               _("participant %s: the pseudonym “%s” is already used for another participant of this study; "
                 "rename one of them on the duo’s laptop and submit again"), code, pseudonym);
  return FALSE;
}

static gboolean
participant_write (Merge          *m,
                   const Target   *t,
                   const Version  *v,
                   gboolean        exists,
                   GError        **error)
{
  g_auto(VwWipedString) buffer = NULL;
  char *f[3];
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) index = NULL;
  sqlite3_stmt *stmt;
  VwValueRef ref;

  if (!content_fields (v, 3, &buffer, f, error) || !pseudonym_free (m, f[0], t->ids[1], error))
    return FALSE;
  ref = (VwValueRef) { "participants", "pseudonym", { t->ids[0], t->ids[1] }, v->revision };
  sealed = vw_vault_seal_string (m->vault, t->key, &ref, f[0]);
  index = vw_vault_blind_index (m->vault, m->study, f[0]);
  stmt = vw_vault_prepare (m->vault, exists
                           ? "UPDATE participants SET pseudonym = ?3, pseudonym_index = ?4, region = ?5, created = ?6, "
                             "updated = ?7, revision = ?8, device = ?9, seq = ?10 WHERE study = ?1 AND code = ?2"
                           : "INSERT INTO participants (study, code, pseudonym, pseudonym_index, region, created, "
                             "updated, revision, device, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (stmt == NULL || !take_seq (m, stmt, 10, error))
    return FALSE;
  vw_vault_bind_text (stmt, 1, t->ids[0]);
  vw_vault_bind_text (stmt, 2, t->ids[1]);
  vw_vault_bind_bytes (stmt, 3, sealed);
  vw_vault_bind_bytes (stmt, 4, index);
  vw_vault_bind_text (stmt, 5, f[1]);
  vw_vault_bind_text (stmt, 6, f[2]);
  vw_vault_bind_text (stmt, 7, v->updated);
  sqlite3_bind_int64 (stmt, 8, v->revision);
  vw_vault_bind_text (stmt, 9, device_or_null (v->device));
  if (!exists)
    m->report->participants_added++;
  return vw_vault_step_done (m->vault, stmt, error);
}

/* Interviews: ids id, study, code, round. */

static const char * const interview_sealed[] = { "status", "date", "nonresponse_reason" };

static int
interview_read (Merge         *m,
                const Target  *t,
                Version       *out,
                GError       **error)
{
  sqlite3_stmt *stmt;
  char *plain[3] = { NULL, NULL, NULL };
  int found = row_read (m, "SELECT questionnaire_id, questionnaire_version, questionnaire_sha256, status, date, "
                           "nonresponse_reason, state, resume_module, resume_question, created, revision, updated, "
                           "device FROM interviews WHERE id = ? AND study = ?", t, 2, &stmt, error);
  gboolean ok = TRUE;

  if (found <= 0)
    return found;
  row_version (stmt, 10, out);
  for (guint i = 0; ok && i < 3; i++)
    {
      VwValueRef ref = { "interviews", interview_sealed[i], { t->ids[0], t->ids[1], t->ids[2], t->ids[3] },
                         out->revision };
      ok = vw_vault_column_unseal (m->vault, stmt, 3 + i, t->key, &ref, &plain[i], error);
    }
  if (ok)
    {
      const char *fields[10];

      for (guint i = 0; i < 10; i++)
        fields[i] = i >= 3 && i < 6 ? plain[i - 3] : (const char *) sqlite3_column_text (stmt, i);
      out->value = vw_merge_content_join (10, fields);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < 3; i++)
    vw_secret_wipe_string (plain[i]);
  return ok ? 1 : -1;
}

static gboolean
interview_write (Merge          *m,
                 const Target   *t,
                 const Version  *v,
                 gboolean        exists,
                 GError        **error)
{
  g_auto(VwWipedString) buffer = NULL;
  char *f[10];
  GBytes *sealed[3] = { NULL, NULL, NULL };
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!content_fields (v, 10, &buffer, f, error))
    return FALSE;
  stmt = vw_vault_prepare (m->vault, exists
                           ? "UPDATE interviews SET questionnaire_id = ?5, questionnaire_version = ?6, "
                             "questionnaire_sha256 = ?7, status = ?8, date = ?9, nonresponse_reason = ?10, "
                             "state = ?11, resume_module = ?12, resume_question = ?13, created = ?14, updated = ?15, "
                             "revision = ?16, device = ?17, seq = ?18 WHERE id = ?1 AND study = ?2 AND code = ?3 AND "
                             "round = ?4"
                           : "INSERT INTO interviews (id, study, code, round, questionnaire_id, "
                             "questionnaire_version, questionnaire_sha256, status, date, nonresponse_reason, state, "
                             "resume_module, resume_question, created, updated, revision, device, seq) VALUES (?1, "
                             "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)", error);
  if (stmt == NULL || !take_seq (m, stmt, 18, error))
    return FALSE;
  for (guint i = 0; i < 4; i++)
    vw_vault_bind_text (stmt, i + 1, t->ids[i]);
  for (guint i = 0; i < 10; i++)
    if (i >= 3 && i < 6)
      {
        VwValueRef ref = { "interviews", interview_sealed[i - 3], { t->ids[0], t->ids[1], t->ids[2], t->ids[3] },
                           v->revision };

        sealed[i - 3] = vw_vault_seal_string (m->vault, t->key, &ref, f[i]);
        vw_vault_bind_bytes (stmt, 5 + i, sealed[i - 3]);
      }
    else
      vw_vault_bind_text (stmt, 5 + i, f[i]);
  vw_vault_bind_text (stmt, 15, v->updated);
  sqlite3_bind_int64 (stmt, 16, v->revision);
  vw_vault_bind_text (stmt, 17, device_or_null (v->device));
  ok = vw_vault_step_done (m->vault, stmt, error);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&sealed[i], g_bytes_unref);
  if (ok && !exists && m->fresh != NULL)
    g_hash_table_add (m->fresh, g_strdup (t->ids[0]));
  return ok;
}

/* Quotes: ids id, study, code, round. */

static int
quote_read (Merge         *m,
            const Target  *t,
            Version       *out,
            GError       **error)
{
  sqlite3_stmt *stmt;
  g_auto(VwWipedString) text = NULL;
  int found = row_read (m, "SELECT question, theme, text, created, revision, updated, device FROM quotes "
                           "WHERE id = ? AND study = ?", t, 2, &stmt, error);
  VwValueRef ref;

  if (found <= 0)
    return found;
  row_version (stmt, 4, out);
  ref = (VwValueRef) { "quotes", "text", { t->ids[0], t->ids[1], t->ids[2], t->ids[3] }, out->revision };
  if (!vw_vault_column_unseal (m->vault, stmt, 2, t->key, &ref, &text, error))
    {
      sqlite3_reset (stmt);
      return -1;
    }
  {
    const char *fields[] = { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                             text, (const char *) sqlite3_column_text (stmt, 3) };
    out->value = vw_merge_content_join (4, fields);
  }
  sqlite3_reset (stmt);
  return 1;
}

static gboolean
quote_write (Merge          *m,
             const Target   *t,
             const Version  *v,
             gboolean        exists,
             GError        **error)
{
  g_auto(VwWipedString) buffer = NULL;
  char *f[4];
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;
  VwValueRef ref;

  if (!content_fields (v, 4, &buffer, f, error))
    return FALSE;
  ref = (VwValueRef) { "quotes", "text", { t->ids[0], t->ids[1], t->ids[2], t->ids[3] }, v->revision };
  sealed = vw_vault_seal_string (m->vault, t->key, &ref, f[2]);
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO quotes (id, study, code, round, question, theme, text, "
                                     "created, updated, revision, device, seq) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL || !take_seq (m, stmt, 12, error))
    return FALSE;
  for (guint i = 0; i < 4; i++)
    vw_vault_bind_text (stmt, i + 1, t->ids[i]);
  vw_vault_bind_text (stmt, 5, f[0]);
  vw_vault_bind_text (stmt, 6, f[1]);
  vw_vault_bind_bytes (stmt, 7, sealed);
  vw_vault_bind_text (stmt, 8, f[3]);
  vw_vault_bind_text (stmt, 9, v->updated);
  sqlite3_bind_int64 (stmt, 10, v->revision);
  vw_vault_bind_text (stmt, 11, device_or_null (v->device));
  return vw_vault_step_done (m->vault, stmt, error);
}

/* Episodes: ids id, study, code. */

static int
episode_read (Merge         *m,
              const Target  *t,
              Version       *out,
              GError       **error)
{
  sqlite3_stmt *stmt;
  g_auto(VwWipedString) json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int found = row_read (m, "SELECT data, revision, updated, device FROM episodes WHERE id = ? AND study = ?", t, 2,
                        &stmt, error);
  JsonObject *object;
  VwValueRef ref;

  if (found <= 0)
    return found;
  row_version (stmt, 1, out);
  ref = (VwValueRef) { "episodes", "data", { t->ids[0], t->ids[1], t->ids[2] }, out->revision };
  if (!vw_vault_column_unseal (m->vault, stmt, 0, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT), &ref, &json,
                               error))
    {
      sqlite3_reset (stmt);
      return -1;
    }
  sqlite3_reset (stmt);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT, _("Episode %s is damaged"), t->ids[0]);
      return -1;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  {
    const char *fields[] = { json_object_get_string_member_with_default (object, "start", NULL),
                             json_object_get_string_member_with_default (object, "end", NULL),
                             json_object_get_string_member_with_default (object, "residence", NULL) };
    out->value = vw_merge_content_join (3, fields);
  }
  return 1;
}

static gboolean
episode_write (Merge          *m,
               const Target   *t,
               const Version  *v,
               gboolean        exists,
               GError        **error)
{
  g_auto(VwWipedString) buffer = NULL;
  g_auto(VwWipedString) json = NULL;
  char *f[3];
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;
  VwValueRef ref;

  if (!content_fields (v, 3, &buffer, f, error))
    return FALSE;
  json = vw_vault_episode_json (f[0], f[1], f[2]);
  ref = (VwValueRef) { "episodes", "data", { t->ids[0], t->ids[1], t->ids[2] }, v->revision };
  sealed = vw_vault_seal_string (m->vault, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT), &ref, json);
  stmt = vw_vault_prepare (m->vault, exists
                           ? "UPDATE episodes SET data = ?4, revision = ?6, updated = ?7, device = ?8, seq = ?9 "
                             "WHERE id = ?1 AND study = ?2 AND code = ?3"
                           : "INSERT INTO episodes (id, study, code, data, interview, revision, updated, device, seq) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL || !take_seq (m, stmt, 9, error))
    return FALSE;
  for (guint i = 0; i < 3; i++)
    vw_vault_bind_text (stmt, i + 1, t->ids[i]);
  vw_vault_bind_bytes (stmt, 4, sealed);
  if (!exists)
    vw_vault_bind_text (stmt, 5, t->link);
  sqlite3_bind_int64 (stmt, 6, v->revision);
  vw_vault_bind_text (stmt, 7, v->updated);
  vw_vault_bind_text (stmt, 8, device_or_null (v->device));
  return vw_vault_step_done (m->vault, stmt, error);
}

/* Consents: ids study, code, round, purpose. */

static int
consent_read (Merge         *m,
              const Target  *t,
              Version       *out,
              GError       **error)
{
  sqlite3_stmt *stmt;
  g_auto(VwWipedString) value = NULL;
  g_auto(VwWipedString) date = NULL;
  int found = row_read (m, "SELECT value, date, revision, updated, device FROM consents WHERE study = ? AND code = ? "
                           "AND round = ? AND purpose = ?", t, 4, &stmt, error);
  VwValueRef value_ref, date_ref;

  if (found <= 0)
    return found;
  row_version (stmt, 2, out);
  value_ref = (VwValueRef) { "consents", "value", { t->ids[0], t->ids[1], t->ids[2], t->ids[3] }, out->revision };
  date_ref = value_ref;
  date_ref.column = "date";
  if (!vw_vault_column_unseal (m->vault, stmt, 0, t->key, &value_ref, &value, error) ||
      !vw_vault_column_unseal (m->vault, stmt, 1, t->key, &date_ref, &date, error))
    {
      sqlite3_reset (stmt);
      return -1;
    }
  sqlite3_reset (stmt);
  {
    const char *fields[] = { value, date };
    out->value = vw_merge_content_join (2, fields);
  }
  return 1;
}

static gboolean
consent_write (Merge          *m,
               const Target   *t,
               const Version  *v,
               gboolean        exists,
               GError        **error)
{
  g_auto(VwWipedString) buffer = NULL;
  char *f[2];
  g_autoptr(GBytes) sealed_value = NULL;
  g_autoptr(GBytes) sealed_date = NULL;
  sqlite3_stmt *stmt;
  VwValueRef value_ref, date_ref;

  if (!content_fields (v, 2, &buffer, f, error))
    return FALSE;
  value_ref = (VwValueRef) { "consents", "value", { t->ids[0], t->ids[1], t->ids[2], t->ids[3] }, v->revision };
  date_ref = value_ref;
  date_ref.column = "date";
  sealed_value = vw_vault_seal_string (m->vault, t->key, &value_ref, f[0]);
  sealed_date = vw_vault_seal_string (m->vault, t->key, &date_ref, f[1]);
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO consents (study, code, round, purpose, value, date, "
                                     "revision, updated, device, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL || !take_seq (m, stmt, 10, error))
    return FALSE;
  for (guint i = 0; i < 4; i++)
    vw_vault_bind_text (stmt, i + 1, t->ids[i]);
  vw_vault_bind_bytes (stmt, 5, sealed_value);
  vw_vault_bind_bytes (stmt, 6, sealed_date);
  sqlite3_bind_int64 (stmt, 7, v->revision);
  vw_vault_bind_text (stmt, 8, v->updated);
  vw_vault_bind_text (stmt, 9, device_or_null (v->device));
  return vw_vault_step_done (m->vault, stmt, error);
}

/* Targets. */

const char *
vw_merge_interview_round (Merge       *m,
                          const char  *interview,
                          GError     **error)
{
  const char *round = g_hash_table_lookup (m->interview_rounds, interview);
  sqlite3_stmt *stmt;

  if (round != NULL)
    return round;
  stmt = vw_vault_prepare (m->vault, "SELECT round FROM interviews WHERE id = ? AND study = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, interview);
  vw_vault_bind_text (stmt, 2, m->study);
  if (vw_vault_step (m->vault, stmt, error) == SQLITE_ROW)
    {
      round = (const char *) sqlite3_column_text (stmt, 0);
      g_hash_table_insert (m->interview_rounds, g_strdup (interview), g_strdup (round));
      round = g_hash_table_lookup (m->interview_rounds, interview);
    }
  else
    vw_vault_not_found (error, _("interview"), interview);
  sqlite3_reset (stmt);
  return round;
}

static gboolean
target_round_key (Merge       *m,
                  Target      *t,
                  const char  *round,
                  GError     **error)
{
  t->round = round;
  t->key = vw_vault_round_key (m->vault, m->study, round, error);
  return t->key != NULL;
}

static gboolean
target_interview_cell (Merge       *m,
                       Target      *t,
                       const char  *kind,
                       const char  *interview,
                       const char  *question,
                       GError     **error)
{
  const char *round = vw_merge_interview_round (m, interview, error);

  *t = (Target) { kind, interview, question, NULL, NULL, { interview, question } };
  return round != NULL && target_round_key (m, t, round, error);
}

gboolean
vw_merge_target_answer (Merge       *m,
                        Target      *t,
                        const char  *interview,
                        const char  *question,
                        GError     **error)
{
  if (!target_interview_cell (m, t, "answer", interview, question, error))
    return FALSE;
  t->read = answer_read;
  t->write = answer_write;
  return TRUE;
}

gboolean
vw_merge_target_note (Merge       *m,
                      Target      *t,
                      const char  *interview,
                      const char  *question,
                      GError     **error)
{
  if (!target_interview_cell (m, t, "note", interview, question, error))
    return FALSE;
  t->read = note_read;
  t->write = note_write;
  return TRUE;
}

gboolean
vw_merge_target_value (Merge       *m,
                       Target      *t,
                       const char  *code,
                       const char  *variable,
                       GError     **error)
{
  *t = (Target) { "participant_value", code, variable, NULL, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT),
                  { m->study, code, variable }, NULL, value_read, value_write };
  return TRUE;
}

gboolean
vw_merge_target_participant (Merge       *m,
                             Target      *t,
                             const char  *code,
                             GError     **error)
{
  *t = (Target) { "participant", code, "", NULL, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT),
                  { m->study, code }, NULL, participant_read, participant_write };
  return TRUE;
}

gboolean
vw_merge_target_interview (Merge       *m,
                           Target      *t,
                           const char  *id,
                           const char  *code,
                           const char  *round,
                           GError     **error)
{
  *t = (Target) { "interview", id, "", NULL, NULL, { id, m->study, code, round }, NULL, interview_read,
                  interview_write };
  return target_round_key (m, t, round, error);
}

gboolean
vw_merge_target_quote (Merge       *m,
                       Target      *t,
                       const char  *id,
                       const char  *code,
                       const char  *round,
                       GError     **error)
{
  *t = (Target) { "quote", id, "", NULL, NULL, { id, m->study, code, round }, NULL, quote_read, quote_write };
  return target_round_key (m, t, round, error);
}

gboolean
vw_merge_target_episode (Merge       *m,
                         Target      *t,
                         const char  *id,
                         const char  *code,
                         const char  *link,
                         GError     **error)
{
  *t = (Target) { "episode", id, "", NULL, vw_vault_subkey (m->vault, VW_SUBKEY_PARTICIPANT),
                  { id, m->study, code }, link, episode_read, episode_write };
  return TRUE;
}

/* Copies @n strings into one allocation, returned, that @out points into:
 * a target's pointers must outlive the strings it was made from. */
static char *
pack_strings (guint               n,
              const char * const *in,
              const char        **out)
{
  gsize total = 0;
  char *owned, *p;

  for (guint i = 0; i < n; i++)
    total += strlen (in[i]) + 1;
  p = owned = g_malloc (total);
  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (in[i]) + 1;

      memcpy (p, in[i], len);
      out[i] = p;
      p += len;
    }
  return owned;
}

gboolean
vw_merge_target_consent (Merge       *m,
                         Target      *t,
                         const char  *code,
                         const char  *round,
                         const char  *purpose,
                         GError     **error)
{
  /* The conflict's field names the round and purpose: "T0/research". */
  g_autofree char *field = g_strconcat (round, "/", purpose, NULL);
  const char *in[] = { code, field, round, purpose };
  const char *out[4];
  char *owned = pack_strings (4, in, out);

  *t = (Target) { "consent", out[0], out[1], NULL, NULL, { m->study, out[0], out[2], out[3] }, NULL,
                  consent_read, consent_write, owned };
  return target_round_key (m, t, out[2], error);
}

/* The code and round of the record @id in @table, or FALSE. */
static gboolean
record_place (Merge       *m,
              const char  *sql,
              const char  *id,
              const char  *what,
              char       **code,
              char       **round,
              GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, m->study);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *code = vw_vault_column_text (stmt, 0);
      if (round != NULL)
        *round = vw_vault_column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    vw_vault_not_found (error, what, id);
  return rc == SQLITE_ROW;
}

gboolean
vw_merge_target_for (Merge       *m,
                     Target      *t,
                     const char  *kind,
                     const char  *object,
                     const char  *field,
                     GError     **error)
{
  g_autofree char *code = NULL;
  g_autofree char *round = NULL;
  gboolean ok;

  if (g_strcmp0 (kind, "answer") == 0)
    return vw_merge_target_answer (m, t, object, field, error);
  if (g_strcmp0 (kind, "note") == 0)
    return vw_merge_target_note (m, t, object, field, error);
  if (g_strcmp0 (kind, "participant_value") == 0)
    return vw_merge_target_value (m, t, object, field, error);
  if (g_strcmp0 (kind, "participant") == 0)
    return vw_merge_target_participant (m, t, object, error);
  if (g_strcmp0 (kind, "consent") == 0)
    {
      const char *slash = field ? strchr (field, '/') : NULL;

      if (slash == NULL)
        return vw_vault_not_found (error, _("consent"), field ? field : "");
      round = g_strndup (field, slash - field);
      return vw_merge_target_consent (m, t, object, round, slash + 1, error);
    }
  if (g_strcmp0 (kind, "interview") != 0 && g_strcmp0 (kind, "quote") != 0 && g_strcmp0 (kind, "episode") != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("“%s” is not a kind of conflict"),
                   kind ? kind : "");
      return FALSE;
    }
  if (g_strcmp0 (kind, "episode") == 0)
    ok = record_place (m, "SELECT code FROM episodes WHERE id = ? AND study = ?", object, _("episode"), &code, NULL,
                       error);
  else if (g_strcmp0 (kind, "quote") == 0)
    ok = record_place (m, "SELECT code, round FROM quotes WHERE id = ? AND study = ?", object, _("quote"), &code,
                       &round, error);
  else
    ok = record_place (m, "SELECT code, round FROM interviews WHERE id = ? AND study = ?", object, _("interview"),
                       &code, &round, error);
  if (!ok)
    return FALSE;
  {
    const char *in[] = { object, code, round ? round : "" };
    const char *out[3];
    char *owned = pack_strings (3, in, out);

    if (g_strcmp0 (kind, "episode") == 0)
      ok = vw_merge_target_episode (m, t, out[0], out[1], NULL, error);
    else if (g_strcmp0 (kind, "quote") == 0)
      ok = vw_merge_target_quote (m, t, out[0], out[1], out[2], error);
    else
      ok = vw_merge_target_interview (m, t, out[0], out[1], out[2], error);
    t->owned = owned;
  }
  return ok;
}
