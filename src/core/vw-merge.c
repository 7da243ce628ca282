/* vw-merge.c: applying exchange rows, conflicts, duplicates, the
 * canonical dump.
 *
 * Every row of a bundle is the signer's: the `S` row comes first, every
 * device field equals it, and the rows are stored as made by this
 * laptop's id of the signer's device. Each record is then merged by the
 * one rule of vw-merge-versions.c: versions are compared only within one
 * device; another device's different version is a conflict, never an
 * overwrite. The rule is idempotent and its end state does not depend on
 * the order of the bundles (vw_exchange_canonical_dump() shows it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "vw-exchange.h"
#include "vw-exchange-private.h"
#include "vw-exchange-receipt-private.h"
#include "vw-exchange-validate.h"
#include "vw-linkage.h"
#include "vw-merge-private.h"
#include "vw-study.h"
#include "vw-vault-aliases.h"
#include "vw-vault-contacts.h"
#include "vw-vault-tracing-private.h"

#define PROGRESS_EVERY 4096

void
vw_conflict_free (VwConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->study);
  g_free (conflict->kind);
  g_free (conflict->object);
  g_free (conflict->field);
  g_free (conflict->device);
  g_free (conflict->updated);
  g_free (conflict->value);
  g_free (conflict->resolved);
  g_free (conflict);
}

void
vw_merge_report_free (VwMergeReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->replays, g_ptr_array_unref);
  g_clear_pointer (&report->conflict_list, g_ptr_array_unref);
  g_clear_pointer (&report->duplicates, g_ptr_array_unref);
  g_clear_pointer (&report->receipts_due, g_ptr_array_unref);
  g_clear_pointer (&report->receipts_merged, g_ptr_array_unref);
  g_free (report);
}

static gboolean
parse_revision (const char  *text,
                gint64      *revision,
                GError     **error)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("field revision: “%s” is not a revision number"), text ? text : "");
      return FALSE;
    }
  *revision = (gint64) value;
  return TRUE;
}

static gboolean
require (const char  *value,
         const char  *field,
         GError     **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("field %s: a value is required"), field);
  return FALSE;
}

/* A row's version: its content (taken), made by the bundle's signer. */
static gboolean
version_from_row (Merge       *m,
                  Version     *v,
                  char        *content,
                  const char  *revision,
                  const char  *updated,
                  GError     **error)
{
  v->value = content;
  if (!parse_revision (revision, &v->revision, error) || !require (updated, "updated", error))
    return FALSE;
  v->updated = g_strdup (updated);
  v->device = g_strdup (m->author);
  return TRUE;
}

static gboolean
record_content (Merge               *m,
                Version             *v,
                guint                n_fields,
                const char * const  *fields,
                const char          *revision,
                const char          *updated,
                GError             **error)
{
  return version_from_row (m, v, vw_merge_content_join (n_fields, fields), revision, updated, error);
}

/* Rows. Each apply function gets the row's fields; counts are checked
 * by the caller. */

static gboolean
apply_round (Merge  *m,
             char  **f,
             GError **error)
{
  g_autoptr(GError) local = NULL;

  if (vw_vault_check_round (m->vault, m->study, f[0], &local))
    {
      /* The coordinator plans the rounds: a round preparation carries its
       * window as it stands now (a widened or moved one too), and that is
       * the window this laptop checks interview dates against. A duo's
       * bundle never changes a round. */
      if (m->kind != VW_BUNDLE_KIND_ROUND_PREPARATION)
        return TRUE;
      return vw_vault_set_round_fieldwork (m->vault, m->study, f[0], f[1], f[2], error);
    }
  if (!g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (m->kind == VW_BUNDLE_KIND_SUBMISSION)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                   _("round %s is not a round of this study: the coordinator adds rounds"), f[0]);
      return FALSE;
    }
  m->report->added++;
  return vw_vault_add_round (m->vault, m->study, f[0], f[1], f[2], error);
}

static gboolean
apply_participant (Merge  *m,
                   char  **f,
                   GError **error)
{
  const char *code = f[0], *linkage = f[3];
  const char *content[] = { f[1], f[2], f[4] };
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };
  guint8 hash[32];
  sqlite3_stmt *stmt;

  if (!require (code, "code", error) || !require (f[1], "pseudonym", error) ||
      !vw_vault_check_region (f[2], error) || !require (f[4], "created", error))
    return FALSE;
  if (linkage != NULL && (strlen (linkage) != 64 || sodium_hex2bin (hash, 32, linkage, 64, NULL, NULL, NULL) != 0))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                           _("field linkage_hash: not 64 hexadecimal digits"));
      return FALSE;
    }
  if (!record_content (m, &v, 3, content, f[6], f[5], error) || !vw_merge_target_participant (m, &t, code, error) ||
      !vw_merge_version (m, &t, &v, error))
    return FALSE;
  if (linkage == NULL)
    return TRUE;
  /* The linkage identity is set once, without a version: it is the same
   * for every laptop that knows it. */
  stmt = vw_vault_prepare (m->vault, "UPDATE participants SET linkage_hash = ? WHERE study = ? AND code = ? AND "
                                     "linkage_hash IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_TRANSIENT);
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, code);
  return vw_vault_step_done (m->vault, stmt, error);
}

/* The error-tolerant linkage encoding of a participant this bundle
 * carries (or this vault holds): like the linkage hash, set once. */
static gboolean
apply_linkage_filter (Merge  *m,
                      char  **f,
                      GError **error)
{
  guint8 filter[VW_LINKAGE_FILTER_BYTES];
  sqlite3_stmt *stmt;
  int rc;

  if (!require (f[0], "code", error) || !vw_linkage_from_text (f[1], filter, error))
    return FALSE;
  stmt = vw_vault_prepare (m->vault, "SELECT linkage_filter IS NULL FROM participants WHERE study = ? AND code = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, f[0]);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                 _("field code: %s is not a participant of this bundle or vault"), f[0]);
  else if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
    rc = SQLITE_OK;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_OK;
  stmt = vw_vault_prepare (m->vault, "UPDATE participants SET linkage_filter = ? WHERE study = ? AND code = ? AND "
                                     "linkage_filter IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, filter, sizeof filter, SQLITE_TRANSIENT);
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, f[0]);
  return vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
cell_value (Merge       *m,
            Version     *v,
            const char  *value,
            const char  *revision,
            const char  *updated,
            GError     **error)
{
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("field value: not text"));
      return FALSE;
    }
  return version_from_row (m, v, g_strdup (value), revision, updated, error);
}

static gboolean
apply_value (Merge  *m,
             char  **f,
             GError **error)
{
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };

  if (!require (f[0], "code", error) || !require (f[1], "variable", error) ||
      !vw_vault_check_participant (m->vault, m->study, f[0], error) ||
      !cell_value (m, &v, f[2], f[3], f[4], error) || !vw_merge_target_value (m, &t, f[0], f[1], error))
    return FALSE;
  return vw_merge_version (m, &t, &v, error);
}

static gboolean
apply_answer (Merge  *m,
              char  **f,
              GError **error)
{
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };

  if (!require (f[0], "interview", error) || !require (f[1], "question", error) ||
      !vw_merge_target_answer (m, &t, f[0], f[1], error) || !cell_value (m, &v, f[2], f[3], f[4], error))
    return FALSE;
  if (g_hash_table_contains (m->fresh, f[0]))
    {
      int inserted = vw_merge_insert_new_answer (m, &t, &v, error);

      if (inserted < 0)
        return FALSE;
      if (inserted)
        {
          m->report->added++;
          return TRUE;
        }
    }
  return vw_merge_version (m, &t, &v, error);
}

static gboolean
questionnaire_known (Merge      *m,
                     const char *id,
                     const char *version)
{
  sqlite3_stmt *stmt;
  int rc;

  if (id == NULL || version == NULL)
    return FALSE;
  stmt = vw_vault_prepare (m->vault, "SELECT 1 FROM questionnaires WHERE id = ? AND version = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, version);
  rc = vw_vault_step (m->vault, stmt, NULL);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

/* A record id this laptop holds elsewhere: 1 when @sql (with ?1 = @id)
 * finds a row whose columns differ from @place, 0 when not, -1 on error. */
static int
held_elsewhere (Merge              *m,
                const char         *sql,
                const char         *id,
                guint               n,
                const char * const *place,
                GError            **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);
  int rc, result = 0;

  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, id);
  rc = vw_vault_step (m->vault, stmt, error);
  for (guint i = 0; rc == SQLITE_ROW && i < n; i++)
    result |= g_strcmp0 ((const char *) sqlite3_column_text (stmt, i), place[i]) != 0;
  sqlite3_reset (stmt);
  return rc < 0 ? -1 : result;
}

static gboolean
apply_interview (Merge  *m,
                 char  **f,
                 GError **error)
{
  const char *id = f[0], *code = f[1], *round = f[2];
  const char *place[] = { m->study, code, round };
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };
  sqlite3_stmt *stmt;
  gboolean known;
  int elsewhere;

  if (!require (id, "id", error) || !require (code, "code", error) ||
      !vw_vault_check_round (m->vault, m->study, round, error) ||
      !vw_vault_check_participant (m->vault, m->study, code, error) ||
      (f[6] != NULL && !vw_vault_check_code ("status", f[6], error)) || !vw_vault_check_date (f[7], error) ||
      !require (f[9], "state", error) || !require (f[12], "created", error))
    return FALSE;
  if (strcmp (f[9], "in_progress") != 0 && strcmp (f[9], "paused") != 0 && strcmp (f[9], "finished") != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("field state: “%s” is not a state"), f[9]);
      return FALSE;
    }

  /* One interview per participant and round. */
  stmt = vw_vault_prepare (m->vault, "SELECT id FROM interviews WHERE study = ? AND code = ? AND round = ? AND id != ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, round);
  vw_vault_bind_text (stmt, 4, id);
  if (vw_vault_step (m->vault, stmt, NULL) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                   _("participant %s already has another interview in round %s"), code, round);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if ((elsewhere = held_elsewhere (m, "SELECT study, code, round FROM interviews WHERE id = ?", id, 3, place,
                                   error)) != 0)
    {
      if (elsewhere > 0)
        g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                     _("interview %s belongs to another participant or round here"), id);
      return FALSE;
    }

  /* A questionnaire this laptop does not hold cannot be referred to. */
  known = questionnaire_known (m, f[3], f[4]);
  {
    const char *content[] = { known ? f[3] : NULL, known ? f[4] : NULL, known ? f[5] : NULL, f[6], f[7], f[8], f[9],
                              f[10], f[11], f[12] };

    if (!record_content (m, &v, 10, content, f[14], f[13], error))
      return FALSE;
  }
  if (!vw_merge_target_interview (m, &t, id, code, round, error))
    return FALSE;
  g_hash_table_replace (m->interview_rounds, g_strdup (id), g_strdup (round));
  return vw_merge_version (m, &t, &v, error);
}

static gboolean
apply_note (Merge  *m,
            char  **f,
            GError **error)
{
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };

  if (!require (f[0], "interview", error) || f[1] == NULL || !require (f[2], "text", error) ||
      !cell_value (m, &v, f[2], f[3], f[4], error) || !vw_merge_target_note (m, &t, f[0], f[1], error))
    return FALSE;
  return vw_merge_version (m, &t, &v, error);
}

static gboolean
apply_quote (Merge  *m,
             char  **f,
             GError **error)
{
  const char *place[] = { m->study, f[1], f[2] };
  const char *content[] = { f[3], f[4], f[5], f[6] };
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };
  int elsewhere;

  if (!require (f[0], "id", error) || !vw_vault_check_participant (m->vault, m->study, f[1], error) ||
      !vw_vault_check_round (m->vault, m->study, f[2], error) || !require (f[5], "text", error) ||
      !require (f[6], "created", error))
    return FALSE;
  if ((elsewhere = held_elsewhere (m, "SELECT study, code, round FROM quotes WHERE id = ?", f[0], 3, place,
                                   error)) != 0)
    {
      if (elsewhere > 0)
        g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                     _("quote %s belongs to another participant or round here"), f[0]);
      return FALSE;
    }
  if (!record_content (m, &v, 4, content, f[8], f[7], error) ||
      !vw_merge_target_quote (m, &t, f[0], f[1], f[2], error))
    return FALSE;
  return vw_merge_version (m, &t, &v, error);
}

static gboolean
apply_episode (Merge  *m,
               char  **f,
               GError **error)
{
  const char *place[] = { m->study, f[1] };
  const char *content[] = { f[2], f[3], f[4] };
  const char *interview = f[5];
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };
  sqlite3_stmt *stmt;
  int elsewhere;

  if (!require (f[0], "id", error) || !vw_vault_check_participant (m->vault, m->study, f[1], error) ||
      !vw_vault_check_month (f[2], error) || !require (f[2], "start", error) || !vw_vault_check_month (f[3], error) ||
      !vw_vault_check_code ("residence", f[4], error))
    return FALSE;
  if ((elsewhere = held_elsewhere (m, "SELECT study, code FROM episodes WHERE id = ?", f[0], 2, place, error)) != 0)
    {
      if (elsewhere > 0)
        g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_CLASH,
                     _("episode %s belongs to another participant here"), f[0]);
      return FALSE;
    }
  /* An interview this laptop does not hold cannot be referred to. */
  if (interview != NULL)
    {
      g_autoptr(GError) missing = NULL;
      if (vw_merge_interview_round (m, interview, &missing) == NULL)
        interview = NULL;
    }
  if (!record_content (m, &v, 3, content, f[7], f[6], error) ||
      !vw_merge_target_episode (m, &t, f[0], f[1], interview, error) || !vw_merge_version (m, &t, &v, error))
    return FALSE;
  if (interview == NULL)
    return TRUE;
  /* The interview it was recorded in is set once, like the linkage
   * identity: a round preparation leaves it out. */
  stmt = vw_vault_prepare (m->vault, "UPDATE episodes SET interview = ? WHERE id = ? AND study = ? AND "
                                     "interview IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, interview);
  vw_vault_bind_text (stmt, 2, f[0]);
  vw_vault_bind_text (stmt, 3, m->study);
  return vw_vault_step_done (m->vault, stmt, error);
}

static gboolean
apply_consent (Merge  *m,
               char  **f,
               GError **error)
{
  const char *content[] = { f[3], f[4] };
  g_auto(Version) v = { 0 };
  g_auto(Target) t = { 0 };

  if (!vw_vault_check_participant (m->vault, m->study, f[0], error) ||
      !vw_vault_check_round (m->vault, m->study, f[1], error))
    return FALSE;
  if (g_strcmp0 (f[2], "research") != 0 && g_strcmp0 (f[2], "wmo_linkage") != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("field purpose: “%s” is not a consent purpose"), f[2] ? f[2] : "");
      return FALSE;
    }
  if (!vw_vault_check_code ("consent", f[3], error) || !vw_vault_check_date (f[4], error) ||
      !record_content (m, &v, 2, content, f[6], f[5], error) ||
      !vw_merge_target_consent (m, &t, f[0], f[1], f[2], error))
    return FALSE;
  return vw_merge_version (m, &t, &v, error);
}

static gboolean
apply_contact (Merge  *m,
               char  **f,
               GError **error)
{
  VwContact contact = { f[1], f[2], f[3], f[4], f[5] };

  if (!vw_vault_check_participant (m->vault, m->study, f[0], error))
    return FALSE;
  m->report->added++;
  m->report->contacts++;
  return vw_vault_set_contact (m->vault, m->study, f[0], &contact, error);
}

/* `T`: the count and outcome codes of a participant's contact attempts
 * in a round (the validator checked the fields). Kept per sending laptop;
 * a later sequence replaces an earlier one from the same laptop. */
static gboolean
apply_tally (Merge  *m,
             char  **f,
             GError **error)
{
  gint64 seq;
  gboolean stored;

  if (!vw_vault_check_participant (m->vault, m->study, f[0], error) ||
      !vw_vault_check_round (m->vault, m->study, f[1], error) || !parse_revision (f[4], &seq, error))
    return FALSE;
  if (!vw_vault_store_attempt_summary (m->vault, m->study, f[0], f[1], m->author, atoi (f[2]), f[3] ? f[3] : "",
                                       seq, &stored, error))
    return FALSE;
  if (stored)
    m->report->added++;
  else
    m->report->unchanged++;
  return TRUE;
}

static gboolean
apply_log (Merge  *m,
           char  **f,
           GError **error)
{
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!parse_revision (f[0], &seq, error) || !require (f[1], "ts", error) || !require (f[2], "actor", error) ||
      !require (f[3], "action", error))
    return FALSE;
  {
    VwValueRef ref = { "exchange_log", "detail", { m->study, m->signer, f[0] }, 0 };
    sealed = vw_vault_seal_string (m->vault, vw_vault_subkey (m->vault, VW_SUBKEY_AUDIT_DETAIL), &ref, f[5]);
  }
  stmt = vw_vault_prepare (m->vault, "INSERT OR IGNORE INTO exchange_log (study, device, seq, ts, actor, action, "
                                     "object, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, m->study);
  vw_vault_bind_text (stmt, 2, m->signer);
  sqlite3_bind_int64 (stmt, 3, seq);
  vw_vault_bind_text (stmt, 4, f[1]);
  vw_vault_bind_text (stmt, 5, f[2]);
  vw_vault_bind_text (stmt, 6, f[3]);
  vw_vault_bind_text (stmt, 7, f[4]);
  vw_vault_bind_bytes (stmt, 8, sealed);
  if (!vw_vault_step_done (m->vault, stmt, error))
    return FALSE;
  if (vw_vault_changes (m->vault) > 0)
    m->report->added++;
  else
    m->report->unchanged++;
  return TRUE;
}

/* An alias from the coordinator's round preparation (the only kind whose
 * rows may hold one, and only the coordinator signs those): this laptop
 * shows the joined code's data under the kept code. */
static gboolean
apply_alias (Merge  *m,
             char  **f,
             GError **error)
{
  int changed;

  if (!require (f[0], "alias", error) || !require (f[1], "kept", error) || !require (f[2], "joined", error))
    return FALSE;
  if ((changed = vw_vault_alias_received (m->vault, m->study, f[0], f[1], m->author, f[2], error)) < 0)
    return FALSE;
  if (changed)
    m->report->added++;
  else
    m->report->unchanged++;
  return TRUE;
}

/* The label this laptop gave the device with signing key @signer (hex),
 * or the key's first digits. */
static char *
signer_label (Merge      *m,
              const char *signer)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (m->vault, NULL);

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      char hex[65];

      sodium_bin2hex (hex, sizeof hex, d->ed25519_public, 32);
      if (g_strcmp0 (hex, signer) == 0)
        return g_strdup (d->label);
    }
  return g_strndup (signer, 16);
}

/* Whether a device that is not revoked signs with @signer (hex). */
static int
signer_holds (Merge       *m,
              const char  *signer,
              GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, "SELECT 1 FROM devices WHERE lower (hex (ed25519_public)) = ? AND "
                                                   "revoked_at IS NULL", error);
  int rc;

  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, signer);
  rc = vw_vault_step (m->vault, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The text of column 0 of @sql with ?1 = @a and ?2 = @b, or NULL. */
static char *
lookup_text (Merge       *m,
             const char  *sql,
             const char  *a,
             const char  *b,
             gboolean    *failed,
             GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, sql, error);
  char *text = NULL;
  int rc;

  *failed = stmt == NULL;
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, a);
  if (b != NULL)
    vw_vault_bind_text (stmt, 2, b);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_ROW)
    text = vw_vault_column_text (stmt, 0);
  *failed = rc < 0;
  sqlite3_reset (stmt);
  return text;
}

static gboolean
spoofed (Merge       *m,
         const char  *id,
         const char  *signer,
         GError     **error)
{
  g_autofree char *label = signer_label (m, signer);

  g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
               _("field device: “%s” is the id of another laptop (%s), not of the laptop that signed this bundle"),
               id, label);
  return FALSE;
}

/* The `S` row: the id the sender gives itself. It must be its own: not
 * an id of another of this laptop's devices, nor one another signer sent
 * as (unless that laptop was revoked), and a laptop keeps its id. Rows
 * are stored as the signer's, whatever id they carry; the id only has to
 * be the same in every row of the bundle. */
static gboolean
apply_sender (Merge  *m,
              char  **f,
              GError **error)
{
  g_autofree char *local = NULL;
  g_autofree char *bound = NULL;
  g_autofree char *earlier = NULL;
  sqlite3_stmt *stmt;
  gboolean failed;
  int holds;

  if (!require (f[0], "device", error))
    return FALSE;
  local = lookup_text (m, "SELECT lower (hex (ed25519_public)) FROM devices WHERE id = ?", f[0], NULL, &failed,
                       error);
  if (failed)
    return FALSE;
  if (local != NULL && strcmp (local, m->signer) != 0)
    return spoofed (m, f[0], local, error);
  bound = lookup_text (m, "SELECT signer FROM exchange_devices WHERE device = ?", f[0], NULL, &failed, error);
  if (failed)
    return FALSE;
  if (bound != NULL && strcmp (bound, m->signer) != 0)
    {
      if ((holds = signer_holds (m, bound, error)) < 0)
        return FALSE;
      if (holds)
        return spoofed (m, f[0], bound, error);
    }
  earlier = lookup_text (m, "SELECT device FROM exchange_devices WHERE signer = ? AND device != ?", m->signer, f[0],
                         &failed, error);
  if (failed)
    return FALSE;
  if (earlier != NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("field device: the laptop that signed this bundle sent earlier bundles as “%s”, not “%s”; "
                     "a laptop’s id never changes"), earlier, f[0]);
      return FALSE;
    }
  stmt = vw_vault_prepare (m->vault, "INSERT OR REPLACE INTO exchange_devices (device, signer) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, f[0]);
  vw_vault_bind_text (stmt, 2, m->signer);
  if (!vw_vault_step_done (m->vault, stmt, error))
    return FALSE;
  m->sender = g_strdup (f[0]);
  return TRUE;
}

typedef gboolean (*ApplyFunc) (Merge *m, char **fields, GError **error);

static const struct
{
  char       type;
  int        n_fields;
  int        device_field; /* the field that names the device that made the row, or -1 */
  ApplyFunc  apply;
} row_types[] = {
  { 'S', 1, -1, apply_sender },
  { 'R', 3, -1, apply_round },
  { 'P', 7, -1, apply_participant },
  { 'B', 2, -1, apply_linkage_filter },
  { 'V', 6, 5, apply_value },
  { 'I', 15, -1, apply_interview },
  { 'A', 6, 5, apply_answer },
  { 'N', 5, -1, apply_note },
  { 'Q', 9, -1, apply_quote },
  { 'E', 8, -1, apply_episode },
  { 'C', 7, -1, apply_consent },
  { 'K', 6, -1, apply_contact },
  { 'L', 6, -1, apply_log },
  { 'J', 3, -1, apply_alias },
  { 'T', 6, 5, apply_tally },
};

/* Every row is the signer's: the `S` row comes first and once, and a
 * row naming the device that made it names the sender. */
static gboolean
check_sender (Merge   *m,
              char     type,
              int      device_field,
              char   **fields,
              GError **error)
{
  if (type == 'S')
    {
      if (m->sender == NULL)
        return TRUE;
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                           _("a second sender row (S): a bundle has one"));
      return FALSE;
    }
  if (m->sender == NULL)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                           _("the sender row (S) must come before every other row"));
      return FALSE;
    }
  if (device_field >= 0 && g_strcmp0 (fields[device_field], m->sender) != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("field device: “%s” is not the sender of this bundle (%s); a laptop sends every row as its own"),
                   fields[device_field] ? fields[device_field] : "", m->sender);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_line (Merge   *m,
            char    *line,
            GError **error)
{
  char *fields[VW_ROWS_MAX_FIELDS];
  char type = 0;
  int n = vw_rows_split (line, &type, fields);

  if (n < 0)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("a badly escaped field"));
      return FALSE;
    }
  if (strchr (vw_bundle_kind_get_info (m->kind)->rows, type) == NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   type == 'K' ? _("contact details may travel only in a handover")
                               : _("a row of type “%c” does not belong in a %s bundle"),
                   type, vw_bundle_kind_get_info (m->kind)->name);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (row_types); i++)
    if (row_types[i].type == type)
      {
        if (n != row_types[i].n_fields)
          {
            g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                         _("a row of type “%c” has %d fields, not %d"), type, n, row_types[i].n_fields);
            return FALSE;
          }
        if (!check_sender (m, type, row_types[i].device_field, fields, error))
          return FALSE;
        return vw_exchange_validate_row (m->validator, type, fields, error) &&
               row_types[i].apply (m, fields, error);
      }
  g_return_val_if_reached (FALSE);
}

static gboolean
check_header (Merge       *m,
              char        *line,
              GError     **error)
{
  g_autofree char *expected = g_strdup_printf ("%s\t%s\t", VW_EXCHANGE_ROWS_MAGIC,
                                               vw_bundle_kind_get_info (m->kind)->name);

  if (line == NULL || !g_str_has_prefix (line, expected) || strcmp (line + strlen (expected), m->study) != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("the content does not start with “%s” and the study"), expected);
      return FALSE;
    }
  return TRUE;
}

/* This laptop's id of the device that signed @bundle: the author of its
 * rows. A function of the verified key alone (the first device enrolled
 * with it), never of what the bundle says. */
static char *
signer_device (Merge      *m,
               VwBundle   *bundle,
               GError    **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, "SELECT id FROM devices WHERE ed25519_public = ? AND own = 0 "
                                                   "ORDER BY created, id LIMIT 1", error);
  char *id = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, vw_bundle_get_signer (bundle), 32, SQLITE_TRANSIENT);
  rc = vw_vault_step (m->vault, stmt, error);
  if (rc == SQLITE_ROW)
    id = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED,
                         _("the laptop that signed it is not enrolled here"));
  return id;
}

typedef struct
{
  VwMergeProgressFunc  func;
  gpointer             data;
  guint64              done;
  guint64              total;
} Progress;

static gboolean
apply_bundle (Merge         *m,
              VwBundle      *bundle,
              const char    *name,
              Progress      *progress,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GInputStream) raw = vw_bundle_read_content (bundle, error);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) local = NULL;
  guint64 line_no = 0;
  gsize len;
  char *line;

  if (raw == NULL)
    return FALSE;
  in = g_data_input_stream_new (raw);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 256 * 1024);
  m->kind = vw_bundle_get_kind (bundle);
  sodium_bin2hex (m->signer, sizeof m->signer, vw_bundle_get_signer (bundle), 32);
  g_clear_pointer (&m->sender, g_free);
  g_clear_pointer (&m->author, g_free);
  /* Only this bundle's new interviews: a later bundle may bring them again. */
  g_hash_table_remove_all (m->fresh);
  m->author = signer_device (m, bundle, &local);

  while (m->author != NULL && (line = g_data_input_stream_read_line (in, &len, cancellable, &local)) != NULL)
    {
      gboolean ok;

      line_no++;
      progress->done += len + 1;
      if (!g_utf8_validate (line, len, NULL) || strlen (line) != len)
        {
          g_set_error_literal (&local, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("not UTF-8 text"));
          ok = FALSE;
        }
      else
        ok = line_no == 1 ? check_header (m, line, &local) : apply_line (m, line, &local);
      sodium_memzero (line, len);
      g_free (line);
      if (!ok)
        break;
      if (progress->func != NULL && line_no % PROGRESS_EVERY == 0)
        progress->func (progress->done, progress->total, progress->data);
    }
  if (local == NULL && line_no == 0)
    g_set_error_literal (&local, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("the content is empty"));
  if (local == NULL && m->sender == NULL)
    g_set_error_literal (&local, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("no sender row (S)"));
  if (local != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, line_no);

      /* Translators: file, line number, what is wrong there. */
      g_set_error (error, local->domain, local->code, _("Rejected %s, line %s: %s; nothing was merged"), name,
                   number, local->message);
      return FALSE;
    }
  if (progress->func != NULL)
    progress->func (progress->done, progress->total, progress->data);
  return TRUE;
}

static gboolean
record_bundle (Merge     *m,
               VwBundle  *bundle,
               GError   **error)
{
  g_autofree char *created = g_date_time_format (vw_bundle_get_created (bundle), "%Y-%m-%dT%H:%M:%SZ");
  sqlite3_stmt *stmt = vw_vault_prepare (m->vault, "INSERT INTO merged_bundles (id, study, kind, signer, created, "
                                                   "merged) VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, vw_bundle_get_id (bundle));
  vw_vault_bind_text (stmt, 2, m->study);
  vw_vault_bind_text (stmt, 3, vw_bundle_kind_get_info (vw_bundle_get_kind (bundle))->name);
  vw_vault_bind_text (stmt, 4, m->signer);
  vw_vault_bind_text (stmt, 5, created);
  vw_vault_bind_text (stmt, 6, m->now);
  return vw_vault_step_done (m->vault, stmt, error) &&
         vw_vault_audit_append (m->vault, "bundle_merged", vw_bundle_get_id (bundle),
                                vw_bundle_kind_get_info (vw_bundle_get_kind (bundle))->name, error);
}

/* Returns the time a bundle was merged, or NULL. */
static char *
merged_before (VwVault     *vault,
               const char  *id)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT merged FROM merged_bundles WHERE id = ?", NULL);
  char *merged = NULL;

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  if (vw_vault_step (vault, stmt, NULL) == SQLITE_ROW)
    merged = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return merged;
}

static gboolean
kind_accepted (VwStudyRole   role,
               VwBundleKind  kind)
{
  if (role == VW_STUDY_ROLE_COORDINATOR)
    return kind == VW_BUNDLE_KIND_SUBMISSION;
  return kind == VW_BUNDLE_KIND_ROUND_PREPARATION || kind == VW_BUNDLE_KIND_HANDOVER ||
         kind == VW_BUNDLE_KIND_RECEIPT;
}

VwMergeReport *
vw_exchange_merge (VwVault             *vault,
                   const char          *study,
                   const char * const  *paths,
                   VwMergeProgressFunc  progress_func,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(VwMergeReport) report = g_new0 (VwMergeReport, 1);
  g_autoptr(GPtrArray) bundles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  /* Per bundle: the checked receipt, or NULL for exchange rows. */
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_receipt_check_free);
  g_autoptr(GPtrArray) paths_used = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(VwStudy) info = NULL;
  Progress progress = { progress_func, progress_data, 0, 0 };
  Merge m = { vault, study, 0, "", NULL, NULL, report, NULL, NULL, NULL };
  gboolean ok = TRUE;

  report->replays = g_ptr_array_new_with_free_func (g_free);
  report->receipts_due = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_merge_receipt_free);
  report->receipts_merged = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_merge_receipt_free);
  if (!vw_vault_require_unlocked (vault, error) || (info = vw_vault_get_study (vault, study, error)) == NULL)
    return NULL;

  /* Every bundle is checked before anything is written. */
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (paths[i]);
      g_autoptr(VwBundle) bundle = vw_study_open_bundle (vault, paths[i], VW_BUNDLE_KIND_ANY, study, error);
      g_autofree char *merged = NULL;
      g_autofree char *receipt_replay = NULL;
      VwReceiptCheck *receipt = NULL;

      if (bundle == NULL)
        return NULL;
      if (!kind_accepted (info->role, vw_bundle_get_kind (bundle)))
        {
          g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                       _("Rejected %s: a %s bundle is not for a %s’s laptop"), name,
                       vw_bundle_kind_get_info (vw_bundle_get_kind (bundle))->name,
                       vw_study_role_to_string (info->role));
          return NULL;
        }
      if (vw_bundle_get_kind (bundle) == VW_BUNDLE_KIND_ROUND_PREPARATION)
        {
          g_autoptr(GError) local = NULL;

          if (!vw_study_is_coordinator_key (vault, study, vw_bundle_get_signer (bundle), &local))
            {
              if (local != NULL)
                g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Rejected %s: "), name);
              else
                g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                             _("Rejected %s: a round preparation comes from the study's coordinator, and this one "
                               "was signed by another laptop"), name);
              return NULL;
            }
        }
      if ((merged = merged_before (vault, vw_bundle_get_id (bundle))) != NULL ||
          g_hash_table_contains (seen, vw_bundle_get_id (bundle)))
        {
          g_ptr_array_add (report->replays,
                           g_strdup_printf (_("%s: bundle %s was already merged (%s); nothing changed"), name,
                                            vw_bundle_get_id (bundle), merged ? merged : _("earlier in this merge")));
          /* Its sender may still wait for the receipt. */
          if (merged != NULL && vw_bundle_get_kind (bundle) == VW_BUNDLE_KIND_HANDOVER)
            vw_receipt_note_replay (vault, study, bundle, paths[i], report);
          continue;
        }
      if (vw_bundle_get_kind (bundle) == VW_BUNDLE_KIND_RECEIPT &&
          (receipt = vw_receipt_check (vault, study, bundle, paths[i], &receipt_replay, error)) == NULL)
        {
          if (receipt_replay == NULL)
            return NULL;
          g_ptr_array_add (report->replays, g_steal_pointer (&receipt_replay));
          continue;
        }
      g_hash_table_add (seen, (gpointer) vw_bundle_get_id (bundle));
      progress.total += vw_bundle_get_content_size (bundle);
      g_ptr_array_add (names, g_steal_pointer (&name));
      g_ptr_array_add (bundles, g_steal_pointer (&bundle));
      g_ptr_array_add (receipts, receipt);
      g_ptr_array_add (paths_used, (gpointer) paths[i]);
    }

  if (bundles->len > 0)
    {
      m.interview_rounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      m.fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      m.now = vw_vault_now ();
      m.validator = vw_row_validator_new (vault, study);
      if (!vw_vault_tx_begin (vault, error))
        ok = FALSE;
      for (guint i = 0; ok && i < bundles->len; i++)
        {
          VwBundle *bundle = g_ptr_array_index (bundles, i);
          VwReceiptCheck *receipt = g_ptr_array_index (receipts, i);

          if (receipt != NULL)
            {
              /* A receipt carries no rows: it settles a handover. */
              sodium_bin2hex (m.signer, sizeof m.signer, vw_bundle_get_signer (bundle), 32);
              ok = vw_receipt_apply (vault, study, receipt, report, error);
            }
          else
            ok = apply_bundle (&m, bundle, g_ptr_array_index (names, i), &progress, cancellable, error);
          ok = ok && record_bundle (&m, bundle, error);
          if (ok && vw_bundle_get_kind (bundle) == VW_BUNDLE_KIND_HANDOVER)
            ok = vw_receipt_note_handover (vault, study, bundle, g_ptr_array_index (paths_used, i), m.now, report,
                                           error);
          report->bundles += ok;
        }
      /* Rows written here took a new change sequence, so this duo's next
       * submission carries them whatever times they hold. */
      g_clear_pointer (&m.author, g_free);
      g_clear_pointer (&m.sender, g_free);
      g_clear_pointer (&m.interview_rounds, g_hash_table_unref);
      g_clear_pointer (&m.fresh, g_hash_table_unref);
      g_clear_pointer (&m.now, g_free);
      g_clear_pointer (&m.validator, vw_row_validator_free);
      if (ok)
        ok = vw_vault_tx_commit (vault, error);
      else
        vw_vault_tx_rollback (vault);
      if (!ok)
        return NULL;
      /* A bulk write: into the vault file now, not only the log (a
       * failure here loses nothing; closing tries again). */
      vw_vault_checkpoint (vault, NULL);
    }

  if ((report->conflict_list = vw_exchange_list_conflicts (vault, study, FALSE, error)) == NULL ||
      (report->duplicates = vw_exchange_duplicates (vault, study, error)) == NULL)
    return NULL;
  return g_steal_pointer (&report);
}

typedef struct
{
  char                *path;
  VwSecret            *key;
  char                *study;
  GStrv                paths;
  GMainContext        *context;
  VwMergeProgressFunc  progress;
  gpointer             progress_data;
} AsyncMerge;

static void
async_merge_free (AsyncMerge *d)
{
  g_free (d->path);
  g_clear_pointer (&d->key, vw_secret_free);
  g_free (d->study);
  g_strfreev (d->paths);
  g_main_context_unref (d->context);
  g_free (d);
}

typedef struct
{
  AsyncMerge *d;
  guint64     done;
  guint64     total;
} AsyncProgress;

static gboolean
report_progress (gpointer data)
{
  AsyncProgress *p = data;

  p->d->progress (p->done, p->total, p->d->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_from_worker (guint64  done,
                      guint64  total,
                      gpointer user_data)
{
  AsyncMerge *d = user_data;
  AsyncProgress *p = g_new (AsyncProgress, 1);

  *p = (AsyncProgress) { d, done, total };
  g_main_context_invoke_full (d->context, G_PRIORITY_DEFAULT, report_progress, p, g_free);
}

static void
merge_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AsyncMerge *d = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (d->path, &error);
  VwMergeReport *report = NULL;

  if (vault != NULL && vw_vault_unlock_with_key (vault, d->key, &error))
    report = vw_exchange_merge (vault, d->study, (const char * const *) d->paths,
                                d->progress ? progress_from_worker : NULL, d, cancellable, &error);
  if (vault != NULL && !vw_vault_close (vault, report == NULL ? NULL : &error))
    g_clear_pointer (&report, vw_merge_report_free);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) vw_merge_report_free);
}

void
vw_exchange_merge_async (VwVault             *vault,
                         const char          *study,
                         const char * const  *paths,
                         VwMergeProgressFunc  progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (vault, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  AsyncMerge *d;

  g_task_set_source_tag (task, vw_exchange_merge_async);
  if (!vw_vault_require_unlocked (vault, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d = g_new0 (AsyncMerge, 1);
  d->path = g_strdup (vw_vault_get_path (vault));
  d->key = vw_secret_dup (vault->key);
  d->study = g_strdup (study);
  d->paths = g_strdupv ((char **) paths);
  d->context = g_main_context_ref_thread_default ();
  d->progress = progress;
  d->progress_data = progress_data;
  g_task_set_task_data (task, d, (GDestroyNotify) async_merge_free);
  g_task_run_in_thread (task, merge_thread);
}

VwMergeReport *
vw_exchange_merge_finish (VwVault       *vault,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vault), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static VwConflict *
conflict_from_row (VwVault       *vault,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(VwConflict) c = g_new0 (VwConflict, 1);
  const char *round = (const char *) sqlite3_column_text (stmt, 9);
  const guint8 *key;
  VwValueRef ref;

  c->study = vw_vault_column_text (stmt, 0);
  c->kind = vw_vault_column_text (stmt, 1);
  c->object = vw_vault_column_text (stmt, 2);
  c->field = vw_vault_column_text (stmt, 3);
  c->device = vw_vault_column_text (stmt, 4);
  c->revision = sqlite3_column_int64 (stmt, 5);
  c->updated = vw_vault_column_text (stmt, 7);
  c->resolved = vw_vault_column_text (stmt, 8);
  /* Sealed like the record's values: under its round's key, or the
   * participant subkey. */
  if (round != NULL)
    {
      if ((key = vw_vault_round_key (vault, c->study, round, error)) == NULL)
        return NULL;
    }
  else
    key = vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT);
  ref = (VwValueRef) { "conflicts", "value", { c->kind, c->object, c->field,
                                               (const char *) sqlite3_column_text (stmt, 10) }, c->revision };
  if (!vw_vault_column_unseal (vault, stmt, 6, key, &ref, &c->value, error))
    return NULL;
  return g_steal_pointer (&c);
}

GPtrArray *
vw_exchange_list_conflicts (VwVault     *vault,
                            const char  *study,
                            gboolean     include_resolved,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, include_resolved
                           ? "SELECT study, kind, object, field, device, revision, value, updated, resolved, round, "
                             "sealed_device FROM conflicts WHERE study = ? "
                             "ORDER BY kind, object, field, device, revision"
                           : "SELECT study, kind, object, field, device, revision, value, updated, resolved, round, "
                             "sealed_device FROM conflicts WHERE study = ? AND resolved IS NULL "
                             "ORDER BY kind, object, field, device, revision", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  return vw_vault_collect_rows (vault, stmt, (VwRowReadFunc) conflict_from_row, (GDestroyNotify) vw_conflict_free,
                                error);
}

static gboolean
is_cell (const char *kind)
{
  return g_strcmp0 (kind, "answer") == 0 || g_strcmp0 (kind, "participant_value") == 0 ||
         g_strcmp0 (kind, "note") == 0;
}

/* Settles a conflict with @content (the value of a cell, or a record's
 * fields as a conflict side holds them), as a version of this laptop. */
static gboolean
resolve_with (VwVault     *vault,
              const char  *study,
              const char  *kind,
              const char  *object,
              const char  *field,
              const char  *content,
              GError     **error)
{
  g_autoptr(VwMergeReport) report = g_new0 (VwMergeReport, 1);
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(GHashTable) rounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *now = vw_vault_now ();
  g_auto(Target) t = { 0 };
  Merge m = { vault, study, VW_BUNDLE_KIND_SUBMISSION, "", NULL, NULL, report, rounds, NULL, now };

  if ((own = vw_vault_get_own_device (vault, error)) == NULL)
    return FALSE;
  m.author = own->id;
  if (!vw_merge_target_for (&m, &t, kind, object, field ? field : "", error) || !vw_vault_tx_begin (vault, error))
    return FALSE;
  return vw_vault_tx_finish (vault, vw_merge_settle (&m, &t, content, error) &&
                             vw_vault_audit_append (vault, "conflict_resolved", object, t.field, error),
                             error);
}

/**
 * vw_exchange_resolve:
 * @value: the value to keep
 *
 * Settles a conflicting cell (an answer, a participant's value or a note)
 * with @value, made by this laptop. A record's conflict is settled by
 * choosing a side: vw_exchange_resolve_side().
 */
gboolean
vw_exchange_resolve (VwVault     *vault,
                     const char  *study,
                     const char  *kind,
                     const char  *object,
                     const char  *field,
                     const char  *value,
                     GError     **error)
{
  if (!vw_vault_require_unlocked (vault, error))
    return FALSE;
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("A resolution needs a value"));
      return FALSE;
    }
  if (!is_cell (kind))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("A conflict of a whole %s is settled by choosing the side of one laptop, not a value"),
                   kind ? kind : "");
      return FALSE;
    }
  return resolve_with (vault, study, kind, object, field, value, error);
}

/**
 * vw_exchange_resolve_side:
 * @device: the device whose side to keep: its id, or the label this
 *   laptop gave it
 *
 * Settles a conflict of any kind with the open side of @device, which
 * becomes this laptop's version.
 */
gboolean
vw_exchange_resolve_side (VwVault     *vault,
                          const char  *study,
                          const char  *kind,
                          const char  *object,
                          const char  *field,
                          const char  *device,
                          GError     **error)
{
  g_autoptr(GPtrArray) open = NULL;
  const VwConflict *chosen = NULL;
  guint matches = 0;

  if (!vw_vault_require_unlocked (vault, error) ||
      (open = vw_exchange_list_conflicts (vault, study, FALSE, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < open->len; i++)
    {
      const VwConflict *c = g_ptr_array_index (open, i);
      g_autofree char *label = NULL;

      if (g_strcmp0 (c->kind, kind) != 0 || g_strcmp0 (c->object, object) != 0 ||
          g_strcmp0 (c->field, field ? field : "") != 0)
        continue;
      label = vw_exchange_device_label (vault, c->device, NULL);
      if (g_strcmp0 (c->device, device) == 0 || g_strcmp0 (label, device) == 0)
        {
          chosen = c;
          matches++;
        }
    }
  if (matches != 1)
    {
      if (matches == 0)
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
                     _("%s %s %s has no open side of device “%s”"), kind, object, field ? field : "", device);
      else
        g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                     _("More than one side of %s %s %s is labelled “%s”: choose it by its device id"), kind, object,
                     field ? field : "", device);
      return FALSE;
    }
  return resolve_with (vault, study, kind, object, field, chosen->value, error);
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every group of codes sharing a linkage hash, with the hash of each in
 * @hashes (element-type GBytes). */
static GPtrArray *
duplicate_groups (VwVault     *vault,
                  const char  *study,
                  GPtrArray   *hashes,
                  GError     **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT p.linkage_hash, p.code FROM participants p WHERE p.study = ?1 AND "
                                  "p.linkage_hash IN (SELECT linkage_hash FROM participants WHERE study = ?1 AND "
                                  "linkage_hash IS NOT NULL GROUP BY linkage_hash HAVING count(*) > 1) "
                                  "ORDER BY (SELECT min(code) FROM participants q WHERE q.study = ?1 AND "
                                  "q.linkage_hash = p.linkage_hash), p.code", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  {
    g_autoptr(GBytes) current = NULL;
    g_autoptr(GStrvBuilder) builder = NULL;

    while ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
      {
        g_autoptr(GBytes) hash = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

        if (current == NULL || !g_bytes_equal (current, hash))
          {
            if (builder != NULL)
              g_ptr_array_add (groups, g_strv_builder_end (builder));
            g_clear_pointer (&builder, g_strv_builder_unref);
            builder = g_strv_builder_new ();
            g_clear_pointer (&current, g_bytes_unref);
            current = g_bytes_ref (hash);
            g_ptr_array_add (hashes, g_bytes_ref (hash));
          }
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 1));
      }
    if (builder != NULL)
      g_ptr_array_add (groups, g_strv_builder_end (builder));
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&groups);
}

/* Whether the coordinator decided on exactly these @codes: 1, 0, or -1
 * on error. */
static int
duplicate_decided (VwVault     *vault,
                   const char  *study,
                   GBytes      *hash,
                   const char  *codes,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = vw_vault_prepare (vault, "SELECT 1 FROM duplicate_decisions WHERE study = ? AND linkage_hash = ? AND "
                                  "codes = ?", error);
  if (stmt == NULL)
    return -1;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_bytes (stmt, 2, hash);
  vw_vault_bind_text (stmt, 3, codes);
  rc = vw_vault_step (vault, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/**
 * vw_exchange_device_label:
 *
 * Returns: (transfer full) (nullable): the label this laptop knows the
 *   device @device by: an id of this laptop's devices, or the id another
 *   laptop gave itself in its bundles (as rows stored before schema 6 may
 *   still name it); %NULL when unknown
 */
char *
vw_exchange_device_label (VwVault     *vault,
                          const char  *device,
                          GError     **error)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (vault, error);
  g_autofree char *signer = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (devices == NULL)
    return NULL;
  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);

      if (g_strcmp0 (d->id, device) == 0)
        return g_strdup (d->label);
    }
  stmt = vw_vault_prepare (vault, "SELECT signer FROM exchange_devices WHERE device = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, device);
  rc = vw_vault_step (vault, stmt, error);
  if (rc == SQLITE_ROW)
    signer = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  for (guint i = 0; signer != NULL && i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      char hex[65];

      sodium_bin2hex (hex, sizeof hex, d->ed25519_public, 32);
      if (strcmp (hex, signer) == 0)
        return g_strdup (d->label);
    }
  return NULL;
}

/**
 * vw_merge_exact_duplicates:
 *
 * Returns: (transfer full) (element-type GStrv): the codes of each group
 *   of participants that share a linkage hash and that the coordinator
 *   has not decided on yet, sorted; vw_exchange_duplicates() adds the
 *   error-tolerant candidates (vw-linkage-candidates.c)
 */
GPtrArray *
vw_merge_exact_duplicates (VwVault     *vault,
                           const char  *study,
                           GError     **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) groups = duplicate_groups (vault, study, hashes, error);
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (groups == NULL)
    return NULL;
  for (guint i = 0; i < groups->len; i++)
    {
      g_autofree char *codes = g_strjoinv (" ", g_ptr_array_index (groups, i));
      int decided = duplicate_decided (vault, study, g_ptr_array_index (hashes, i), codes, error);

      if (decided < 0)
        return NULL;
      if (decided == 0)
        g_ptr_array_add (open, g_strdupv (g_ptr_array_index (groups, i)));
    }
  return g_steal_pointer (&open);
}

/* Every code of @codes but @keep becomes an alias of @keep. */
static gboolean
join_group (VwVault             *vault,
            const char          *study,
            const char * const  *codes,
            const char          *keep,
            GError             **error)
{
  for (guint i = 0; codes[i] != NULL; i++)
    if (!g_str_equal (codes[i], keep) &&
        !vw_vault_join_in_tx (vault, study, keep, codes[i], _("The same person: possible duplicates joined"), error))
      return FALSE;
  return TRUE;
}

/**
 * vw_exchange_decide_duplicates:
 * @codes: every code of one group vw_exchange_duplicates() lists, in any order
 * @keep: (nullable): for %VW_DUPLICATE_JOIN, the code that stays
 *
 * Records the coordinator's decision on a group of possible duplicates,
 * so that it is no longer listed; a code that later arrives with the same
 * linkage hash opens the group again. A join takes effect: every other
 * code of the group becomes an alias of @keep (vw_vault_join_in_tx()),
 * in the same transaction.
 */
gboolean
vw_exchange_decide_duplicates (VwVault             *vault,
                               const char          *study,
                               const char * const  *codes,
                               VwDuplicateDecision  decision,
                               const char          *keep,
                               GError             **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) sorted = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autofree char *hash_hex = NULL;
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) pair_key = NULL;
  GBytes *hash = NULL;
  sqlite3_stmt *stmt;
  VwValueRef ref;

  if (!vw_vault_require_unlocked (vault, error) || (own = vw_vault_get_own_device (vault, error)) == NULL)
    return FALSE;
  g_strv_builder_addv (builder, (const char **) codes);
  sorted = g_strv_builder_end (builder);
  if (g_strv_length (sorted) < 2)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                           _("A decision on duplicates needs at least two codes"));
      return FALSE;
    }
  qsort (sorted, g_strv_length (sorted), sizeof (char *), compare_codes);
  joined = g_strjoinv (" ", sorted);
  if (decision == VW_DUPLICATE_JOIN && (keep == NULL || !g_strv_contains ((const char * const *) sorted, keep)))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT,
                   _("The code to keep, %s, is not one of %s"), keep ? keep : "", joined);
      return FALSE;
    }
  if ((groups = duplicate_groups (vault, study, hashes, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < groups->len && hash == NULL; i++)
    {
      g_autofree char *group = g_strjoinv (" ", g_ptr_array_index (groups, i));

      if (g_str_equal (group, joined))
        hash = g_ptr_array_index (hashes, i);
    }
  if (hash == NULL)
    {
      /* Or a pair the error-tolerant linkage proposes. */
      int proposed = vw_linkage_proposed_pair (vault, study, (const char * const *) sorted, error);

      if (proposed < 0)
        return FALSE;
      if (proposed > 0)
        {
          pair_key = vw_linkage_pair_key (joined);
          hash = pair_key;
        }
    }
  if (hash == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND,
                   _("%s are not a group of possible duplicates in this study"), joined);
      return FALSE;
    }

  text = decision == VW_DUPLICATE_JOIN ? g_strconcat ("join ", keep, NULL) : g_strdup ("apart");
  hash_hex = g_malloc (g_bytes_get_size (hash) * 2 + 1);
  sodium_bin2hex (hash_hex, g_bytes_get_size (hash) * 2 + 1, g_bytes_get_data (hash, NULL), g_bytes_get_size (hash));
  ref = (VwValueRef) { "duplicate_decisions", "decision", { study, hash_hex, joined, NULL }, 0 };
  sealed = vw_vault_seal_string (vault, vw_vault_subkey (vault, VW_SUBKEY_PARTICIPANT), &ref, text);
  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  stmt = vw_vault_prepare (vault, "INSERT OR REPLACE INTO duplicate_decisions (study, linkage_hash, codes, decision, "
                                  "device, decided) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_bytes (stmt, 2, hash);
      vw_vault_bind_text (stmt, 3, joined);
      vw_vault_bind_bytes (stmt, 4, sealed);
      vw_vault_bind_text (stmt, 5, own->id);
      vw_vault_bind_text (stmt, 6, now);
    }
  return vw_vault_tx_finish (vault, stmt != NULL && vw_vault_step_done (vault, stmt, error) &&
                             vw_vault_audit_append (vault, "duplicates_decided", joined, text, error) &&
                             (decision != VW_DUPLICATE_JOIN || join_group (vault, study, (const char * const *) sorted, keep, error)),
                             error);
}

/* The canonical dump. */

#define DUMP(lines, type, ...) \
  G_STMT_START { \
    const char *fields_[] = { __VA_ARGS__ }; \
    GString *line_ = g_string_new (NULL); \
    vw_rows_put (line_, type, G_N_ELEMENTS (fields_), fields_); \
    g_ptr_array_add (lines, g_string_free (line_, FALSE)); \
  } G_STMT_END

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "kind\tobject\tfield" of every record with an open conflict. */
static char *
open_key (const char *kind,
          const char *object,
          const char *field)
{
  return g_strdup_printf ("%s\t%s\t%s", kind, object, field ? field : "");
}

static gboolean
in_conflict (GHashTable *open,
             const char *kind,
             const char *object,
             const char *field)
{
  g_autofree char *key = open_key (kind, object, field);

  return g_hash_table_contains (open, key);
}

static gboolean
dump_values (VwVault     *vault,
             const char  *study,
             const char  *code,
             GHashTable  *open,
             GPtrArray   *lines,
             GError     **error)
{
  g_autoptr(GHashTable) values = vw_vault_list_participant_values (vault, study, code, error);
  GHashTableIter iter;
  gpointer variable, value;

  if (values == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &variable, &value))
    if (!in_conflict (open, "participant_value", code, variable))
      DUMP (lines, 'V', code, variable, value);
  return TRUE;
}

/**
 * vw_exchange_canonical_dump:
 *
 * Every record of the study, decrypted, as sorted lines: the content of
 * each record, and of a record in conflict every side (its device,
 * revision, time and content) instead, because what a record in conflict
 * shows meanwhile depends on which version arrived first. Revisions, times
 * and authors of records that agree are left out for the same reason: a
 * relayed copy of a row may arrive before the original. Equal dumps mean
 * equal study data, whatever order bundles were merged in.
 */
char *
vw_exchange_canonical_dump (VwVault     *vault,
                            const char  *study,
                            GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autoptr(GHashTable) open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *regions = NULL;

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_integrity (vault, error) ||
      (info = vw_vault_get_study (vault, study, error)) == NULL ||
      (rounds = vw_vault_list_rounds (vault, study, error)) == NULL ||
      (participants = vw_vault_list_participants (vault, study, error)) == NULL ||
      (conflicts = vw_exchange_list_conflicts (vault, study, TRUE, error)) == NULL ||
      (duplicates = vw_merge_exact_duplicates (vault, study, error)) == NULL)
    return NULL;
  for (guint i = 0; i < conflicts->len; i++)
    {
      VwConflict *c = g_ptr_array_index (conflicts, i);
      g_autofree char *rev = int_text (c->revision);

      if (c->resolved == NULL)
        g_hash_table_add (open, open_key (c->kind, c->object, c->field));
      /* Resolution times are this laptop's own; whether it is resolved is data. */
      DUMP (lines, 'X', c->kind, c->object, c->field, c->device, rev, c->updated, c->value,
            c->resolved ? "resolved" : "open");
    }
  regions = g_strjoinv (",", info->regions);
  DUMP (lines, 'S', info->id, info->name, regions, info->questionnaire_id, info->questionnaire_version);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);
      DUMP (lines, 'R', r->label, r->fieldwork_start, r->fieldwork_end);
    }
  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);
      g_autofree char *linkage = vw_vault_get_linkage_hash (vault, study, p->code, error);
      g_autoptr(GPtrArray) interviews = NULL;
      g_autoptr(GPtrArray) quotes = NULL;
      g_autoptr(GPtrArray) episodes = NULL;
      g_autoptr(GPtrArray) consents = NULL;

      if (linkage == NULL || !dump_values (vault, study, p->code, open, lines, error) ||
          (interviews = vw_vault_list_interviews (vault, study, p->code, NULL, error)) == NULL ||
          (quotes = vw_vault_list_quotes (vault, study, p->code, NULL, error)) == NULL ||
          (episodes = vw_vault_list_episodes (vault, study, p->code, error)) == NULL ||
          (consents = vw_vault_list_consents (vault, study, p->code, error)) == NULL)
        return NULL;
      if (!in_conflict (open, "participant", p->code, ""))
        DUMP (lines, 'P', p->code, p->pseudonym, p->region, linkage, p->created);
      {
        g_autofree char *filter = vw_vault_get_linkage_filter (vault, study, p->code, error);

        if (filter == NULL)
          return NULL;
        if (*filter)
          DUMP (lines, 'B', p->code, filter);
      }
      for (guint j = 0; j < interviews->len; j++)
        {
          VwInterview *iv = g_ptr_array_index (interviews, j);
          g_autoptr(GPtrArray) answers = vw_vault_list_answers (vault, iv->id, error);
          g_autoptr(GPtrArray) notes = answers ? vw_vault_list_notes (vault, iv->id, error) : NULL;

          if (notes == NULL)
            return NULL;
          if (!in_conflict (open, "interview", iv->id, ""))
            DUMP (lines, 'I', iv->id, iv->code, iv->round, iv->questionnaire_id, iv->questionnaire_version,
                  iv->status, iv->date, iv->nonresponse_reason, vw_interview_state_to_string (iv->state),
                  iv->created);
          for (guint k = 0; k < answers->len; k++)
            {
              VwAnswer *a = g_ptr_array_index (answers, k);

              if (!in_conflict (open, "answer", iv->id, a->question))
                DUMP (lines, 'A', iv->id, a->question, a->value);
            }
          for (guint k = 0; k < notes->len; k++)
            {
              VwNote *n = g_ptr_array_index (notes, k);

              if (!in_conflict (open, "note", iv->id, n->question))
                DUMP (lines, 'N', iv->id, n->question, n->text);
            }
        }
      for (guint j = 0; j < quotes->len; j++)
        {
          VwQuote *q = g_ptr_array_index (quotes, j);

          if (!in_conflict (open, "quote", q->id, ""))
            DUMP (lines, 'Q', q->id, q->code, q->round, q->question, q->theme, q->text, q->created);
        }
      for (guint j = 0; j < episodes->len; j++)
        {
          VwEpisode *e = g_ptr_array_index (episodes, j);

          if (!in_conflict (open, "episode", e->id, ""))
            DUMP (lines, 'E', e->id, e->code, e->start, e->end, e->residence, e->interview);
        }
      for (guint j = 0; j < consents->len; j++)
        {
          VwConsent *c = g_ptr_array_index (consents, j);
          g_autofree char *field = g_strconcat (c->round, "/", c->purpose, NULL);

          if (!in_conflict (open, "consent", c->code, field))
            DUMP (lines, 'C', c->code, c->round, c->purpose, c->value, c->date);
        }
    }
  for (guint i = 0; i < duplicates->len; i++)
    {
      g_autofree char *codes = g_strjoinv (" ", g_ptr_array_index (duplicates, i));
      DUMP (lines, 'D', codes);
    }

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append (out, g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
