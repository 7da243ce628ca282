/* vw-vault-records.c: a study's records read from, imported into and
 * exported from the vault (see vw-vault-records.h for the mapping).
 *
 * Reading joins sorted queries instead of asking per participant, and an
 * import writes the rows that are new with one statement each inside one
 * transaction: both have to handle 100,000 participants. Rows the vault
 * already holds go through the ordinary calls (vw_vault_set_pseudonym(),
 * vw_vault_save_answer(), ...), and only when a value differs, so that
 * importing the same files again writes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-csv.h"
#include "vw-vault-aliases.h"
#include "vw-vault-private.h"
#include "vw-vault-tracing.h"
#include "vw-vault-records.h"
#include "vw-validate.h"

/* In the codebook's column order: participants.csv has code, pseudonym
 * and region before the fixed values; rounds.csv has code, round, status
 * and date before the values that are answers. */
enum { PC_CODE, PC_PSEUDONYM, PC_REGION, PC_FIRST_VALUE };
enum { RC_CODE, RC_ROUND, RC_STATUS, RC_DATE, RC_FIRST_ANSWER };
enum { EC_CODE, EC_START, EC_END, EC_RESIDENCE };

static const char * const *
record_columns (VwRecordsFile file)
{
  return vw_codebook_get_record_columns (vw_codebook_get_core (), vw_records_file_name (file), NULL);
}

static int
column_index (VwRecordsFile  file,
              guint          first,
              const char    *name)
{
  const char * const *columns = record_columns (file);

  for (guint c = first; columns[c] != NULL; c++)
    if (g_str_equal (columns[c], name))
      return c;
  return -1;
}

/* Joined codes (vw-vault-aliases.c): the rows of a kept code and of its
 * aliases become one row under the kept code. The kept code's values come
 * first; a value only an alias holds fills its empty column. Where both
 * hold a value that differs, the join opened a conflict on the kept
 * code's cell, and the records show the kept code's value until it is
 * settled. */
typedef struct
{
  GHashTable *aliases; /* alias -> kept code */
  GHashTable *kept;    /* the kept codes (set) */
  GHashTable *rows;    /* key -> Folded */
  GPtrArray  *order;   /* the keys, in the order first met */
} Fold;

typedef struct
{
  char *v[VW_RECORDS_MAX_COLUMNS];
} Folded;

static void
folded_free (Folded *f)
{
  for (guint c = 0; c < VW_RECORDS_MAX_COLUMNS; c++)
    g_free (f->v[c]);
  g_free (f);
}

static gboolean
fold_init (Fold        *fold,
           VwVault     *self,
           const char  *study,
           GError     **error)
{
  GHashTableIter iter;
  gpointer kept;

  memset (fold, 0, sizeof *fold);
  if ((fold->aliases = vw_vault_alias_map (self, study, error)) == NULL)
    return FALSE;
  fold->kept = g_hash_table_new (g_str_hash, g_str_equal);
  fold->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) folded_free);
  fold->order = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, fold->aliases);
  while (g_hash_table_iter_next (&iter, NULL, &kept))
    g_hash_table_add (fold->kept, kept);
  return TRUE;
}

static void
fold_clear (Fold *fold)
{
  g_clear_pointer (&fold->order, g_ptr_array_unref);
  g_clear_pointer (&fold->rows, g_hash_table_unref);
  g_clear_pointer (&fold->kept, g_hash_table_unref);
  g_clear_pointer (&fold->aliases, g_hash_table_unref);
}

/* The kept code a row of @code goes to, or %NULL when @code is neither
 * joined nor kept (its row goes to the records as it is). */
static const char *
fold_target (Fold       *fold,
             const char *code)
{
  const char *kept = g_hash_table_lookup (fold->aliases, code);

  if (kept != NULL)
    return kept;
  return g_hash_table_contains (fold->kept, code) ? code : NULL;
}

static void
fold_row (Fold               *fold,
          const char         *key,
          const char         *kept,
          gboolean            is_kept,
          const char * const *values)
{
  Folded *f = g_hash_table_lookup (fold->rows, key);

  if (f == NULL)
    {
      char *owned_key = g_strdup (key);

      f = g_new0 (Folded, 1);
      g_hash_table_insert (fold->rows, owned_key, f);
      g_ptr_array_add (fold->order, owned_key);
    }
  for (guint c = 1; c < VW_RECORDS_MAX_COLUMNS; c++)
    if (values[c] != NULL && (is_kept || f->v[c] == NULL))
      {
        g_free (f->v[c]);
        f->v[c] = g_strdup (values[c]);
      }
  g_free (f->v[0]);
  f->v[0] = g_strdup (kept);
}

static void
fold_end (Fold              *fold,
          VwRecordsBuilder  *builder,
          VwRecordsFile      file)
{
  for (guint i = 0; i < fold->order->len; i++)
    {
      Folded *f = g_hash_table_lookup (fold->rows, g_ptr_array_index (fold->order, i));

      vw_records_builder_add_row (builder, file, (const char **) f->v, 0);
    }
  g_ptr_array_set_size (fold->order, 0);
  g_hash_table_remove_all (fold->rows);
}

/* Reading. */

static gboolean
load_participants (VwVault           *self,
                   const char        *study,
                   Fold              *fold,
                   VwRecordsBuilder  *builder,
                   GError           **error)
{
  g_autoptr(GPtrArray) participants = vw_vault_list_participants (self, study, error);
  const guint8 *key = vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT);
  sqlite3_stmt *stmt;
  int rc;

  if (participants == NULL)
    return FALSE;
  /* Sorted by code like the participants, so one pass joins them. */
  stmt = vw_vault_prepare (self, "SELECT code, variable, value, revision FROM participant_values "
                                 "WHERE study = ? ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  rc = vw_vault_step (self, stmt, error);

  for (guint i = 0; rc >= 0 && i < participants->len; i++)
    {
      const VwParticipant *p = g_ptr_array_index (participants, i);
      char *owned[VW_RECORDS_MAX_COLUMNS] = { NULL };
      const char *values[VW_RECORDS_MAX_COLUMNS] = { p->code, p->pseudonym, p->region };
      const char *kept;

      for (; rc == SQLITE_ROW; rc = vw_vault_step (self, stmt, error))
        {
          const char *code = (const char *) sqlite3_column_text (stmt, 0);
          const char *variable = (const char *) sqlite3_column_text (stmt, 1);
          int cmp = strcmp (code, p->code);
          int c;

          if (cmp > 0)
            break;
          c = cmp == 0 ? column_index (VW_RECORDS_PARTICIPANTS, PC_FIRST_VALUE, variable) : -1;
          if (c >= 0)
            {
              VwValueRef ref = { "participant_values", "value", { study, code, variable },
                                 sqlite3_column_int64 (stmt, 3) };

              g_clear_pointer (&owned[c], g_free);
              if (!vw_vault_column_unseal (self, stmt, 2, key, &ref, &owned[c], error))
                {
                  rc = -1;
                  break;
                }
              values[c] = owned[c];
            }
        }
      if (rc >= 0 && (kept = fold_target (fold, p->code)) != NULL)
        fold_row (fold, kept, kept, g_str_equal (kept, p->code), values);
      else if (rc >= 0)
        vw_records_builder_add_row (builder, VW_RECORDS_PARTICIPANTS, values, 0);
      for (guint c = 0; c < G_N_ELEMENTS (owned); c++)
        g_free (owned[c]);
    }
  sqlite3_reset (stmt);
  fold_end (fold, builder, VW_RECORDS_PARTICIPANTS);
  return rc >= 0;
}

#define ROUND_ORDER "FROM interviews i JOIN rounds r ON r.study = i.study AND r.label = i.round " \
                    "WHERE i.study = ?1 AND r.destroyed_at IS NULL ORDER BY i.code, r.position, i.id"

static gboolean
load_rounds (VwVault           *self,
             const char        *study,
             Fold              *fold,
             VwRecordsBuilder  *builder,
             GError           **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt *answers;
  int rc = SQLITE_DONE, arc;

  /* Both in the same order, so that the answers are read alongside. */
  stmt = vw_vault_prepare (self, "SELECT i.id, i.code, i.round, i.status, i.date, i.revision " ROUND_ORDER, error);
  answers = stmt ? vw_vault_prepare (self, "SELECT a.interview, a.question, a.value, a.revision "
                                           "FROM answers a JOIN interviews i ON i.id = a.interview "
                                           "JOIN rounds r ON r.study = i.study AND r.label = i.round "
                                           "WHERE i.study = ?1 AND r.destroyed_at IS NULL "
                                           "ORDER BY i.code, r.position, i.id", error)
                 : NULL;
  if (answers == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (answers, 1, study);
  arc = vw_vault_step (self, answers, error);

  while (arc >= 0 && (rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *code = (const char *) sqlite3_column_text (stmt, 1);
      const char *round = (const char *) sqlite3_column_text (stmt, 2);
      VwValueRef ref = { "interviews", "status", { id, study, code, round }, sqlite3_column_int64 (stmt, 5) };
      char *owned[VW_RECORDS_MAX_COLUMNS] = { NULL };
      const char *values[VW_RECORDS_MAX_COLUMNS] = { code, round };
      const guint8 *key = vw_vault_round_key (self, study, round, error);
      gboolean ok = key != NULL && vw_vault_column_unseal (self, stmt, 3, key, &ref, &owned[RC_STATUS], error);
      const char *kept;

      ref.column = "date";
      ok = ok && vw_vault_column_unseal (self, stmt, 4, key, &ref, &owned[RC_DATE], error);
      while (ok && arc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (answers, 0), id) == 0)
        {
          const char *question = (const char *) sqlite3_column_text (answers, 1);
          VwValueRef answer_ref = { "answers", "value", { id, question }, sqlite3_column_int64 (answers, 3) };
          int c = column_index (VW_RECORDS_ROUNDS, RC_FIRST_ANSWER, question);

          if (c >= 0)
            {
              g_clear_pointer (&owned[c], g_free);
              ok = vw_vault_column_unseal (self, answers, 2, key, &answer_ref, &owned[c], error);
            }
          if (ok)
            arc = vw_vault_step (self, answers, error);
        }
      if (!ok)
        arc = -1;
      for (guint c = RC_STATUS; c < G_N_ELEMENTS (owned); c++)
        values[c] = owned[c];
      /* An interview started in the application has no status until the
       * duo records how the round went: it is not a record yet. */
      if (ok && owned[RC_STATUS] != NULL && (kept = fold_target (fold, code)) != NULL)
        {
          g_autofree char *row_key = g_strconcat (kept, "\t", round, NULL);

          fold_row (fold, row_key, kept, g_str_equal (kept, code), values);
        }
      else if (ok && owned[RC_STATUS] != NULL)
        vw_records_builder_add_row (builder, VW_RECORDS_ROUNDS, values, 0);
      for (guint c = 0; c < G_N_ELEMENTS (owned); c++)
        g_free (owned[c]);
    }
  sqlite3_reset (stmt);
  sqlite3_reset (answers);
  fold_end (fold, builder, VW_RECORDS_ROUNDS);
  return arc >= 0 && rc >= 0;
}

static gboolean
load_episodes (VwVault           *self,
               const char        *study,
               Fold              *fold,
               VwRecordsBuilder  *builder,
               GError           **error)
{
  g_autoptr(GPtrArray) episodes = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  sqlite3_stmt *stmt;

  stmt = vw_vault_prepare (self, "SELECT id, study, code, data, interview, revision, updated, device, seq "
                                 "FROM episodes WHERE study = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  episodes = vw_vault_collect_rows (self, stmt, (VwRowReadFunc) vw_vault_episode_from_row,
                                    (GDestroyNotify) vw_episode_free, error);
  if (episodes == NULL)
    return FALSE;
  /* A joined code's episodes are united with the kept code's: the kept
   * code's first, then each of an alias that is not the same as one taken
   * and overlaps none (an overlapping one stays in the vault and is listed
   * by vw_vault_join_differences()). */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < episodes->len; i++)
      {
        const VwEpisode *e = g_ptr_array_index (episodes, i);
        const char *kept = fold_target (fold, e->code);
        const char *values[] = { kept ? kept : e->code, e->start, e->end, e->residence };
        gboolean is_alias = kept != NULL && !g_str_equal (kept, e->code);
        GPtrArray *list;

        if (pass != is_alias)
          continue;
        if (kept != NULL)
          {
            if ((list = g_hash_table_lookup (taken, kept)) == NULL)
              {
                list = g_ptr_array_new ();
                g_hash_table_insert (taken, (gpointer) kept, list);
              }
            if (is_alias && vw_alias_episode_fits (list, e) <= 0)
              continue;
            g_ptr_array_add (list, (gpointer) e);
          }
        vw_records_builder_add_row (builder, VW_RECORDS_EPISODES, values, 0);
      }
  return TRUE;
}

/* The contact attempts of each round: this laptop's count on the duo's
 * laptop, the merged count on the coordinator's. Where tracing recorded
 * none, the round's `attempts` value stands (imported from a records
 * folder, for rounds traced before the application was used), else -1.
 * The records are this function's alone until returned, so they are
 * completed in place. */
static gboolean
fill_attempts (VwVault     *self,
               const char  *study,
               VwRecords   *records,
               GError     **error)
{
  guint n = 0;
  VwRoundRecord *rounds = (VwRoundRecord *) vw_records_get_rounds (records, &n);

  for (guint i = 0; i < n; i++)
    {
      char label[16];
      GError *local = NULL;

      vw_round_format (rounds[i].round, label);
      int traced = vw_vault_count_attempts (self, study, rounds[i].code, label, &local);

      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      if (traced >= 0)
        rounds[i].attempts = traced;
    }
  return TRUE;
}

/**
 * vw_vault_load_records:
 *
 * The study's records, checked by the same rules as a records folder.
 * Interviews without a status and rounds whose data was destroyed are
 * left out. A vault with a row changed outside Veldwerk, or a value that
 * does not decrypt, gives TAMPERED and no records.
 *
 * Returns: (transfer full): the records
 */
VwRecords *
vw_vault_load_records (VwVault     *self,
                       const char  *study,
                       GError     **error)
{
  g_autoptr(VwRecordsBuilder) builder = NULL;
  g_autoptr(GError) local = NULL;
  VwRecords *records;
  Fold fold;
  gboolean ok;

  g_return_val_if_fail (VW_IS_VAULT (self), NULL);

  /* Exports, reports and the Results view read through here: a row
   * deleted or edited outside Veldwerk stops them, as an unreadable value
   * does, rather than being left out without a word. */
  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_study (self, study, error) ||
      !vw_vault_check_integrity (self, error))
    return NULL;
  if (!fold_init (&fold, self, study, error))
    return NULL;
  builder = vw_records_builder_new ();
  ok = load_participants (self, study, &fold, builder, error) && load_rounds (self, study, &fold, builder, error) &&
       load_episodes (self, study, &fold, builder, error);
  fold_clear (&fold);
  if (!ok)
    return NULL;
  records = vw_records_builder_end (builder, NULL, &local);
  if (records == NULL)
    g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                 _("The records in the vault do not follow the codebook: %s"), local->message);
  else if (!fill_attempts (self, study, records, error))
    g_clear_pointer (&records, vw_records_unref);
  return records;
}

/* Importing. */

typedef struct
{
  VwVault         *vault;
  const char      *study;
  VwRecords       *records;
  const char      *dir;      /* nullable: where the files were read */
  char            *now;
  GStrv            regions;
  GHashTable      *existing; /* codes the vault had before */
  GHashTable      *destroyed; /* labels of destroyed rounds */
  GPtrArray       *rounds;    /* of VwRound: the study's, for their fieldwork windows */
  VwImportSummary  summary;
} Import;

static void
import_clear (Import *im)
{
  g_free (im->now);
  g_strfreev (im->regions);
  g_clear_pointer (&im->existing, g_hash_table_unref);
  g_clear_pointer (&im->destroyed, g_hash_table_unref);
  g_clear_pointer (&im->rounds, g_ptr_array_unref);
}

/* The 1-based column of @name in @file as read, or in the documented
 * order when the records did not come from a folder. */
static guint
column_number (Import        *im,
               VwRecordsFile  file,
               guint          documented)
{
  const char *name = record_columns (file)[documented];
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(VwCsvReader) reader = NULL;
  gsize len;

  if (im->dir == NULL)
    return documented + 1;
  path = g_build_filename (im->dir, vw_records_file_name (file), NULL);
  if (!g_file_get_contents (path, &data, &len, NULL))
    return documented + 1;
  reader = vw_csv_reader_new (vw_records_file_name (file), data, len);
  if (vw_csv_reader_next (reader, NULL))
    for (guint i = 0; i < vw_csv_reader_get_n_fields (reader); i++)
      if (g_strcmp0 (vw_csv_reader_get_field (reader, i), name) == 0)
        return i + 1;
  return documented + 1;
}

static gboolean import_problem (Import        *im,
                                GError       **error,
                                VwRecordsFile  file,
                                guint          line,
                                guint          column,
                                const char    *format,
                                ...) G_GNUC_PRINTF (6, 7);

/* Sets @error to "FILE:LINE:COLUMN: message", like the records checks. */
static gboolean
import_problem (Import        *im,
                GError       **error,
                VwRecordsFile  file,
                guint          line,
                guint          column,
                const char    *format,
                ...)
{
  VwRecordsProblem problem = { file, line, column_number (im, file, column), NULL };
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  problem.message = g_strdup_vprintf (format, args);
  va_end (args);
  text = vw_records_problem_to_string (&problem);
  g_free (problem.message);
  g_set_error_literal (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID, text);
  return FALSE;
}

static gboolean
seal_and_insert_value (Import       *im,
                       const char   *code,
                       const char   *variable,
                       const char   *value,
                       GError      **error)
{
  VwVault *self = im->vault;
  VwValueRef ref = { "participant_values", "value", { im->study, code, variable }, 1 };
  g_autoptr(GBytes) sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, value);
  sqlite3_stmt *stmt = vw_vault_prepare (self, "INSERT INTO participant_values (study, code, variable, value, "
                                               "revision, updated, device, seq) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                                         error);
  gint64 seq;

  if (stmt == NULL || !vw_vault_next_seq (self, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 7, seq);
  vw_vault_bind_text (stmt, 1, im->study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, variable);
  vw_vault_bind_bytes (stmt, 4, sealed);
  vw_vault_bind_text (stmt, 5, im->now);
  vw_vault_bind_text (stmt, 6, self->device_id);
  return vw_vault_step_done (self, stmt, error);
}

static gboolean
add_participant (Import                     *im,
                 const VwRecordParticipant  *p,
                 const char                **values,
                 guint                       n_values,
                 GError                    **error)
{
  VwVault *self = im->vault;
  VwValueRef ref = { "participants", "pseudonym", { im->study, p->code }, 1 };
  g_autoptr(GBytes) index = vw_vault_blind_index (self, im->study, p->pseudonym);
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *owner = NULL;
  GError *local = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  owner = vw_vault_pseudonym_owner (self, im->study, index, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (owner != NULL)
    return import_problem (im, error, VW_RECORDS_PARTICIPANTS, p->line, PC_PSEUDONYM,
                           _("the pseudonym is already used in this study, by participant %s"), owner);

  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, p->pseudonym);
  stmt = vw_vault_prepare (self, "INSERT INTO participants (study, code, pseudonym, pseudonym_index, region, "
                                 "created, updated, revision, device, seq) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                           error);
  if (stmt == NULL || !vw_vault_next_seq (self, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 9, seq);
  vw_vault_bind_text (stmt, 1, im->study);
  vw_vault_bind_text (stmt, 2, p->code);
  vw_vault_bind_bytes (stmt, 3, sealed);
  vw_vault_bind_bytes (stmt, 4, index);
  vw_vault_bind_text (stmt, 5, p->region);
  vw_vault_bind_text (stmt, 6, im->now);
  vw_vault_bind_text (stmt, 7, im->now);
  vw_vault_bind_text (stmt, 8, self->device_id);
  if (!vw_vault_step_done (self, stmt, error))
    return FALSE;

  for (guint c = PC_FIRST_VALUE; c < n_values; c++)
    if (values[c] != NULL &&
        !seal_and_insert_value (im, p->code, record_columns (VW_RECORDS_PARTICIPANTS)[c], values[c], error))
      return FALSE;
  im->summary.participants_added++;
  return TRUE;
}

static gboolean
update_participant (Import                     *im,
                    const VwRecordParticipant  *p,
                    const char                **values,
                    guint                       n_values,
                    GError                    **error)
{
  VwVault *self = im->vault;
  g_autoptr(VwParticipant) current = vw_vault_get_participant (self, im->study, p->code, error);
  g_autoptr(GHashTable) stored = NULL;
  gboolean changed = FALSE;

  if (current == NULL)
    return FALSE;
  if (g_strcmp0 (current->region, p->region) != 0)
    return import_problem (im, error, VW_RECORDS_PARTICIPANTS, p->line, PC_REGION,
                           _("participant %s is in region %s in the vault, not %s"),
                           p->code, current->region, p->region);
  if (g_strcmp0 (current->pseudonym, p->pseudonym) != 0)
    {
      g_autoptr(GError) local = NULL;

      if (!vw_vault_set_pseudonym (self, im->study, p->code, p->pseudonym, &local))
        {
          if (g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_DUPLICATE_PSEUDONYM))
            return import_problem (im, error, VW_RECORDS_PARTICIPANTS, p->line, PC_PSEUDONYM, "%s",
                                   local->message);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      changed = TRUE;
    }

  stored = vw_vault_list_participant_values (self, im->study, p->code, error);
  if (stored == NULL)
    return FALSE;
  for (guint c = PC_FIRST_VALUE; c < n_values; c++)
    {
      const char *variable = record_columns (VW_RECORDS_PARTICIPANTS)[c];

      /* An empty cell is "not recorded here", never "erase". */
      if (values[c] == NULL || g_strcmp0 (g_hash_table_lookup (stored, variable), values[c]) == 0)
        continue;
      if (!vw_vault_set_participant_value (self, im->study, p->code, variable, values[c], error))
        return FALSE;
      changed = TRUE;
    }
  if (changed)
    im->summary.participants_changed++;
  return TRUE;
}

static gboolean
insert_answer (Import        *im,
               const guint8  *key,
               const char    *interview,
               const char    *question,
               const char    *value,
               GError       **error)
{
  VwVault *self = im->vault;
  VwValueRef ref = { "answers", "value", { interview, question }, 1 };
  g_autoptr(GBytes) sealed = vw_vault_seal_string (self, key, &ref, value);
  sqlite3_stmt *stmt = vw_vault_prepare (self, "INSERT INTO answers (interview, question, value, revision, "
                                               "updated, device, seq) VALUES (?, ?, ?, 1, ?, ?, ?)", error);
  gint64 seq;

  if (stmt == NULL || !vw_vault_next_seq (self, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 6, seq);
  vw_vault_bind_text (stmt, 1, interview);
  vw_vault_bind_text (stmt, 2, question);
  vw_vault_bind_bytes (stmt, 3, sealed);
  vw_vault_bind_text (stmt, 4, im->now);
  vw_vault_bind_text (stmt, 5, self->device_id);
  return vw_vault_step_done (self, stmt, error);
}

/* An interview made from a row of rounds.csv: no questionnaire, no duo,
 * finished. */
static gboolean
add_interview (Import       *im,
               const char  **values,
               guint         n_values,
               GError      **error)
{
  VwVault *self = im->vault;
  const char *code = values[RC_CODE];
  const char *round = values[RC_ROUND];
  g_autofree char *id = vw_vault_random_id ();
  const guint8 *key = vw_vault_round_key (self, im->study, round, error);
  g_autoptr(GBytes) status = NULL;
  g_autoptr(GBytes) date = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  if (key == NULL)
    return FALSE;
  {
    VwValueRef ref = { "interviews", "status", { id, im->study, code, round }, 1 };

    status = vw_vault_seal_string (self, key, &ref, values[RC_STATUS]);
    ref.column = "date";
    date = vw_vault_seal_string (self, key, &ref, values[RC_DATE]);
  }
  stmt = vw_vault_prepare (self, "INSERT INTO interviews (id, study, code, round, status, date, state, created, "
                                 "updated, revision, device, seq) VALUES (?, ?, ?, ?, ?, ?, 'finished', ?, ?, 1, ?, ?)",
                           error);
  if (stmt == NULL || !vw_vault_next_seq (self, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 10, seq);
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, im->study);
  vw_vault_bind_text (stmt, 3, code);
  vw_vault_bind_text (stmt, 4, round);
  vw_vault_bind_bytes (stmt, 5, status);
  vw_vault_bind_bytes (stmt, 6, date);
  vw_vault_bind_text (stmt, 7, im->now);
  vw_vault_bind_text (stmt, 8, im->now);
  vw_vault_bind_text (stmt, 9, self->device_id);
  if (!vw_vault_step_done (self, stmt, error))
    return FALSE;

  for (guint c = RC_FIRST_ANSWER; c < n_values; c++)
    if (values[c] != NULL &&
        !insert_answer (im, key, id, record_columns (VW_RECORDS_ROUNDS)[c], values[c], error))
      return FALSE;
  im->summary.interviews_added++;
  return TRUE;
}

static gboolean
update_interview (Import        *im,
                  VwInterview   *iv,
                  const char   **values,
                  guint          n_values,
                  GError       **error)
{
  VwVault *self = im->vault;
  g_autoptr(GPtrArray) answers = vw_vault_list_answers (self, iv->id, error);
  gboolean changed = FALSE;

  if (answers == NULL)
    return FALSE;
  if ((values[RC_STATUS] != NULL && g_strcmp0 (iv->status, values[RC_STATUS]) != 0) ||
      (values[RC_DATE] != NULL && g_strcmp0 (iv->date, values[RC_DATE]) != 0))
    {
      if (!vw_vault_set_interview_status (self, iv->id, values[RC_STATUS] ? values[RC_STATUS] : iv->status,
                                          values[RC_DATE] ? values[RC_DATE] : iv->date,
                                          iv->nonresponse_reason, error))
        return FALSE;
      changed = TRUE;
    }
  for (guint c = RC_FIRST_ANSWER; c < n_values; c++)
    {
      const char *question = record_columns (VW_RECORDS_ROUNDS)[c];
      const char *stored = NULL;

      if (values[c] == NULL)
        continue;
      for (guint a = 0; a < answers->len; a++)
        {
          const VwAnswer *answer = g_ptr_array_index (answers, a);

          if (g_str_equal (answer->question, question))
            stored = answer->value;
        }
      if (g_strcmp0 (stored, values[c]) == 0)
        continue;
      if (!vw_vault_save_answer (self, iv->id, question, values[c], error))
        return FALSE;
      changed = TRUE;
    }
  if (changed)
    im->summary.interviews_changed++;
  return TRUE;
}

static gboolean
import_round_row (Import               *im,
                  const VwRoundRecord  *r,
                  const char          **values,
                  guint                 n_values,
                  GError              **error)
{
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GError) missing = NULL;

  if (g_hash_table_contains (im->destroyed, values[RC_ROUND]))
    return import_problem (im, error, VW_RECORDS_ROUNDS, r->line, RC_ROUND,
                           _("the data of round %s of this study was destroyed when its retention period ended"),
                           values[RC_ROUND]);
  /* The file does not know the round's fieldwork window; the vault does. */
  for (guint i = 0; vw_round_record_is_interview (r) && i < im->rounds->len; i++)
    {
      const VwRound *round = g_ptr_array_index (im->rounds, i);
      g_autoptr(GError) outside = NULL;

      if (g_str_equal (round->label, values[RC_ROUND]) &&
          !vw_validate_interview_date (values[RC_DATE], round->label, round->fieldwork_start, round->fieldwork_end,
                                       &outside))
        return import_problem (im, error, VW_RECORDS_ROUNDS, r->line, RC_DATE, "%s", outside->message);
    }
  if (!g_hash_table_contains (im->existing, r->code))
    return add_interview (im, values, n_values, error);

  iv = vw_vault_find_interview (im->vault, im->study, r->code, values[RC_ROUND], &missing);
  if (iv != NULL)
    return update_interview (im, iv, values, n_values, error);
  if (!g_error_matches (missing, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&missing));
      return FALSE;
    }
  return add_interview (im, values, n_values, error);
}

/* Half-open month ranges: a stay may end in the month the next begins. */
static gboolean
episodes_overlap (const char *start_a,
                  const char *end_a,
                  const char *start_b,
                  const char *end_b)
{
  return (end_a == NULL || strcmp (start_b, end_a) < 0) && (end_b == NULL || strcmp (start_a, end_b) < 0);
}

static gboolean
import_episode (Import                 *im,
                const VwRecordEpisode  *e,
                const char            **values,
                GPtrArray              *stored,
                GError                **error)
{
  VwEpisode episode = { NULL };
  g_autofree char *id = NULL;

  for (guint i = 0; stored != NULL && i < stored->len; i++)
    {
      const VwEpisode *s = g_ptr_array_index (stored, i);

      if (g_strcmp0 (s->start, values[EC_START]) == 0 && g_strcmp0 (s->end, values[EC_END]) == 0 &&
          g_strcmp0 (s->residence, values[EC_RESIDENCE]) == 0)
        return TRUE;
    }
  for (guint i = 0; stored != NULL && i < stored->len; i++)
    {
      const VwEpisode *s = g_ptr_array_index (stored, i);

      if (episodes_overlap (s->start, s->end, values[EC_START], values[EC_END]))
        return s->end == NULL
          ? import_problem (im, error, VW_RECORDS_EPISODES, e->line, EC_START,
                            _("the episode overlaps the episode from %s in the vault, which has no end"), s->start)
          : import_problem (im, error, VW_RECORDS_EPISODES, e->line, EC_START,
                            _("the episode overlaps the episode from %s to %s in the vault"), s->start, s->end);
    }

  id = vw_vault_random_id ();
  episode.study = (char *) im->study;
  episode.code = (char *) e->code;
  episode.start = (char *) values[EC_START];
  episode.end = (char *) values[EC_END];
  episode.residence = (char *) values[EC_RESIDENCE];
  if (!vw_vault_write_episode (im->vault, id, &episode, 1, TRUE, error))
    return FALSE;
  im->summary.episodes_added++;
  return TRUE;
}

static gboolean
prepare_rounds (Import  *im,
                GError **error)
{
  g_autoptr(GPtrArray) rounds = vw_vault_list_rounds (im->vault, im->study, error);
  const guint *numbers;
  guint n_numbers;

  if (rounds == NULL)
    return FALSE;
  im->rounds = g_ptr_array_ref (rounds);
  im->destroyed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *round = g_ptr_array_index (rounds, i);

      if (round->destroyed_at != NULL)
        g_hash_table_add (im->destroyed, g_strdup (round->label));
    }

  /* Rounds are numbered without gaps, so the missing ones up to the
   * highest named are made in label order. */
  numbers = vw_records_get_round_numbers (im->records, &n_numbers);
  for (guint n = rounds->len; n_numbers > 0 && n <= numbers[n_numbers - 1]; n++)
    {
      char label[16];

      if (!vw_vault_add_round (im->vault, im->study, vw_round_format (n, label), NULL, NULL, error))
        return FALSE;
      im->summary.rounds_added++;
    }
  return TRUE;
}

static gboolean
load_existing (Import  *im,
               GError **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (im->vault, "SELECT code FROM participants WHERE study = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  im->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  vw_vault_bind_text (stmt, 1, im->study);
  while ((rc = vw_vault_step (im->vault, stmt, error)) == SQLITE_ROW)
    g_hash_table_add (im->existing, vw_vault_column_text (stmt, 0));
  return rc == SQLITE_DONE;
}

static gboolean
import_participant (Import                     *im,
                    guint                       index,
                    const VwRecordParticipant  *p,
                    GError                    **error)
{
  guint n_rows;
  const VwRecordEpisode *episodes = vw_records_get_episodes (im->records, &n_rows);
  const VwRoundRecord *rounds = vw_records_get_rounds (im->records, &n_rows);
  g_autoptr(GPtrArray) stored = NULL;
  const char *values[VW_RECORDS_MAX_COLUMNS];
  char bufs[VW_RECORDS_MAX_COLUMNS][16];
  gboolean existing = g_hash_table_contains (im->existing, p->code);
  g_autoptr(GError) local = NULL;
  guint n;

  if (!vw_validate_region (p->region, (const char * const *) im->regions, &local))
    return import_problem (im, error, VW_RECORDS_PARTICIPANTS, p->line, PC_REGION, "%s", local->message);

  n = vw_records_get_row_values (im->records, VW_RECORDS_PARTICIPANTS, index, values, bufs);
  if (!(existing ? update_participant (im, p, values, n, error) : add_participant (im, p, values, n, error)))
    return FALSE;

  for (guint i = p->first_round; i < p->first_round + p->n_rounds; i++)
    {
      n = vw_records_get_row_values (im->records, VW_RECORDS_ROUNDS, i, values, bufs);
      if (!import_round_row (im, &rounds[i], values, n, error))
        return FALSE;
    }

  if (existing && p->n_episodes > 0 &&
      (stored = vw_vault_list_episodes (im->vault, im->study, p->code, error)) == NULL)
    return FALSE;
  for (guint i = p->first_episode; i < p->first_episode + p->n_episodes; i++)
    {
      vw_records_get_row_values (im->records, VW_RECORDS_EPISODES, i, values, bufs);
      if (!import_episode (im, &episodes[i], values, stored, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_in_tx (Import  *im,
              GError **error)
{
  guint n_participants;
  const VwRecordParticipant *participants = vw_records_get_participants (im->records, &n_participants);
  VwImportSummary *s = &im->summary;

  if (!prepare_rounds (im, error) || !load_existing (im, error))
    return FALSE;
  for (guint i = 0; i < n_participants; i++)
    if (!import_participant (im, i, &participants[i], error))
      return FALSE;

  /* One entry for the rows written directly; changes to rows the vault
   * had are audited one by one by the calls that made them. */
  if (s->participants_added + s->interviews_added > 0)
    {
      g_autofree char *detail = g_strdup_printf ("participants %u, interviews %u, episodes %u",
                                                 s->participants_added, s->interviews_added, s->episodes_added);

      if (!vw_vault_audit_append (im->vault, "records_imported", im->study, detail, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_records (VwVault          *self,
                const char       *study,
                VwRecords        *records,
                const char       *dir,
                VwImportSummary  *summary,
                GError          **error)
{
  g_autoptr(VwStudy) s = NULL;
  Import im = { self, study, records, dir, NULL };
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || (s = vw_vault_get_study (self, study, error)) == NULL)
    return FALSE;
  im.now = vw_vault_now ();
  im.regions = g_strdupv (s->regions);

  /* New rows land all over the indexes (the ids are random), so a large
   * import wants a larger page cache than everyday writes. */
  if (!vw_vault_exec (self, "PRAGMA cache_size = -65536", error) || !vw_vault_tx_begin (self, error))
    {
      import_clear (&im);
      return FALSE;
    }
  ok = vw_vault_tx_finish (self, import_in_tx (&im, error), error);
  vw_vault_exec (self, "PRAGMA cache_size = -2000", NULL);
  /* A bulk write: into the vault file now, not only the log (a failure
   * here loses nothing; closing tries again). */
  if (ok)
    vw_vault_checkpoint (self, NULL);
  if (ok && summary != NULL)
    *summary = im.summary;
  import_clear (&im);
  return ok;
}

/**
 * vw_vault_import_records:
 * @summary: (out) (optional): what changed
 *
 * Stores @records in @study in one transaction: all or nothing. Rounds
 * the study does not have yet are made in label order. Rows the vault
 * already holds with the same values are left alone (no new revision),
 * so importing the same records twice changes nothing; an empty value
 * never erases a stored one. Conflicts with the vault (a pseudonym used
 * by another participant, an episode overlapping a stored one, a region
 * outside the study) are reported as "FILE:LINE:COLUMN: message".
 */
gboolean
vw_vault_import_records (VwVault          *self,
                         const char       *study,
                         VwRecords        *records,
                         VwImportSummary  *summary,
                         GError          **error)
{
  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  return import_records (self, study, records, NULL, summary, error);
}

/**
 * vw_vault_import_records_dir:
 * @dir: a records folder (participants.csv, rounds.csv, episodes.csv)
 *
 * Reads @dir with vw_records_load_dir() and imports it; see
 * vw_vault_import_records(). Nothing is written when a file has a
 * problem.
 */
gboolean
vw_vault_import_records_dir (VwVault          *self,
                             const char       *study,
                             const char       *dir,
                             VwImportSummary  *summary,
                             GError          **error)
{
  g_autoptr(VwRecords) records = NULL;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  records = vw_records_load_dir (dir, NULL, error);
  return records != NULL && import_records (self, study, records, dir, summary, error);
}

/**
 * vw_vault_export_records:
 *
 * Writes the study's records into @dir in the records format, without
 * contact details or anything else outside codebook section 5; the export
 * is audited.
 */
gboolean
vw_vault_export_records (VwVault     *self,
                         const char  *study,
                         const char  *dir,
                         GError     **error)
{
  g_autoptr(VwRecords) records = NULL;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  records = vw_vault_load_records (self, study, error);
  return records != NULL && vw_records_write_dir (records, dir, error) &&
         vw_vault_audit (self, "records_exported", study, NULL, error);
}

/* Trajectory overrides. */

static char *
override_json (const char *type,
               const char *subtype,
               const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "subtype");
  if (subtype != NULL && *subtype != '\0')
    json_builder_add_string_value (builder, subtype);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * vw_vault_set_trajectory_override:
 * @type: a type of @rules
 * @subtype: (nullable): under dh3, the subtype uitstroom_woning needs
 * @reason: why the coordinator decided otherwise; required
 *
 * Stores the override after checking it as vw_classification_set_override()
 * does against the study's records; it replaces an earlier one.
 */
gboolean
vw_vault_set_trajectory_override (VwVault     *self,
                                  const char  *study,
                                  const char  *code,
                                  VwRuleSet    rules,
                                  const char  *type,
                                  const char  *subtype,
                                  const char  *reason,
                                  GError     **error)
{
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwClassification) classification = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const char *rules_name = vw_rule_set_to_string (rules);
  sqlite3_stmt *stmt;
  gint64 revision;
  gboolean ok;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  /* The same checks as an override in memory: the participant is in the
   * records, the type belongs to the rule set, the reason is given. */
  records = vw_vault_load_records (self, study, error);
  if (records == NULL)
    return FALSE;
  classification = vw_classification_new (records, rules, NULL);
  if (!vw_classification_set_override (classification, code, type, subtype, reason, error))
    return FALSE;

  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  revision = vw_vault_row_revision (self, "SELECT revision FROM trajectory_overrides WHERE study = ? AND code = ? "
                                          "AND rules = ?", study, code, rules_name, NULL, error);
  if (revision < 0)
    return vw_vault_tx_finish (self, FALSE, error);
  {
    VwValueRef ref = { "trajectory_overrides", "data", { study, code, rules_name }, revision + 1 };

    trimmed = g_strstrip (g_strdup (reason));
    json = override_json (type, subtype, trimmed);
    sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, json);
    sodium_memzero (json, strlen (json));
  }
  now = vw_vault_now ();
  stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO trajectory_overrides (study, code, rules, data, revision, "
                                 "updated) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_text (stmt, 3, rules_name);
      vw_vault_bind_bytes (stmt, 4, sealed);
      sqlite3_bind_int64 (stmt, 5, revision + 1);
      vw_vault_bind_text (stmt, 6, now);
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error) &&
       vw_vault_audit_append (self, "trajectory_overridden", code, rules_name, error);
  return vw_vault_tx_finish (self, ok, error);
}

gboolean
vw_vault_clear_trajectory_override (VwVault     *self,
                                    const char  *study,
                                    const char  *code,
                                    VwRuleSet    rules,
                                    GError     **error)
{
  const char *rules_name = vw_rule_set_to_string (rules);
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "DELETE FROM trajectory_overrides WHERE study = ? AND code = ? AND rules = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_text (stmt, 3, rules_name);
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error);
  if (ok && vw_vault_changes (self) == 0)
    {
      g_autofree char *where = g_strdup_printf ("%s (%s)", code, rules_name);
      ok = vw_vault_not_found (error, _("trajectory override"), where);
    }
  return vw_vault_tx_finish (self, ok && vw_vault_audit_append (self, "trajectory_override_cleared", code,
                                                                rules_name, error),
                             error);
}

typedef struct
{
  char *code;
  char *type;
  char *subtype;
  char *reason;
} Override;

static void
override_free (Override *o)
{
  g_free (o->code);
  g_free (o->type);
  g_free (o->subtype);
  g_free (o->reason);
  g_free (o);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Override, override_free)

/* Reads "study, code, rules, data, revision". */
static Override *
override_from_row (VwVault       *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(Override) o = g_new0 (Override, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  VwValueRef ref = { "trajectory_overrides", "data",
                     { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                       (const char *) sqlite3_column_text (stmt, 2) },
                     sqlite3_column_int64 (stmt, 4) };
  JsonObject *object;

  o->code = vw_vault_column_text (stmt, 1);
  if (!vw_vault_column_unseal (self, stmt, 3, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, &json, error))
    return NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT, _("The trajectory override of %s is damaged"),
                   o->code);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  o->type = g_strdup (json_object_get_string_member_with_default (object, "type", NULL));
  o->subtype = g_strdup (json_object_get_string_member_with_default (object, "subtype", NULL));
  o->reason = g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
  sodium_memzero (json, strlen (json));
  return g_steal_pointer (&o);
}

/**
 * vw_vault_classify:
 * @records: the study's records (vw_vault_load_records())
 * @params: (nullable): the codebook's defaults when %NULL
 *
 * Classifies @records under @rules with the overrides the coordinator
 * stored for that rule set. Overrides of participants who are not in
 * @records are left out.
 *
 * Returns: (transfer full): the classification
 */
VwClassification *
vw_vault_classify (VwVault                   *self,
                   const char                *study,
                   VwRecords                 *records,
                   VwRuleSet                  rules,
                   const VwTrajectoryParams  *params,
                   GError                   **error)
{
  g_autoptr(VwClassification) classification = NULL;
  g_autoptr(GPtrArray) overrides = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VW_IS_VAULT (self), NULL);

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT study, code, rules, data, revision FROM trajectory_overrides "
                                 "WHERE study = ? AND rules = ? ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, vw_rule_set_to_string (rules));
  overrides = vw_vault_collect_rows (self, stmt, (VwRowReadFunc) override_from_row, (GDestroyNotify) override_free,
                                     error);
  if (overrides == NULL)
    return NULL;

  classification = vw_classification_new (records, rules, params);
  for (guint i = 0; i < overrides->len; i++)
    {
      Override *o = g_ptr_array_index (overrides, i);

      if (vw_records_find_participant (records, o->code) < 0)
        continue;
      if (!vw_classification_set_override (classification, o->code, o->type, o->subtype, o->reason, error))
        return NULL;
    }
  return g_steal_pointer (&classification);
}

void
vw_vault_verify_records (VwVault   *self,
                         GPtrArray *problems)
{
  vw_vault_verify_readable (self, "SELECT study, code, rules, data, revision FROM trajectory_overrides",
                            (VwRowReadFunc) override_from_row, (GDestroyNotify) override_free, problems);
}
