/* vw-vault-interviews.c: interviews, answers, notes and quotes: the data
 * of a round, encrypted under that round's key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-vault-private.h"
#include "vw-vault-tracing.h"
#include "vw-vault-validate.h"


static gboolean is_blank (const char *text);

#define INTERVIEW_COLUMNS "id, study, code, round, questionnaire_id, questionnaire_version, questionnaire_sha256, " \
                          "interviewer1, interviewer2, status, date, nonresponse_reason, state, resume_module, " \
                          "resume_question, created, updated, revision, device, seq"

static void
interview_ref (VwValueRef        *ref,
               const VwInterview *interview,
               const char        *column,
               gint64             revision)
{
  ref->table = "interviews";
  ref->column = column;
  ref->id[0] = interview->id;
  ref->id[1] = interview->study;
  ref->id[2] = interview->code;
  ref->id[3] = interview->round;
  ref->revision = revision;
}

static VwInterviewState
state_from_string (const char *state)
{
  if (g_strcmp0 (state, "paused") == 0)
    return VW_INTERVIEW_PAUSED;
  if (g_strcmp0 (state, "finished") == 0)
    return VW_INTERVIEW_FINISHED;
  return VW_INTERVIEW_IN_PROGRESS;
}

static VwInterview *
interview_from_row (VwVault       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  g_autoptr(VwInterview) iv = g_new0 (VwInterview, 1);
  const char *columns[] = { "status", "date", "nonresponse_reason" };
  char **fields[] = { &iv->status, &iv->date, &iv->nonresponse_reason };
  const guint8 *key;

  iv->id = vw_vault_column_text (stmt, 0);
  iv->study = vw_vault_column_text (stmt, 1);
  iv->code = vw_vault_column_text (stmt, 2);
  iv->round = vw_vault_column_text (stmt, 3);
  iv->questionnaire_id = vw_vault_column_text (stmt, 4);
  iv->questionnaire_version = vw_vault_column_text (stmt, 5);
  iv->questionnaire_sha256 = vw_vault_column_text (stmt, 6);
  iv->interviewer1 = vw_vault_column_text (stmt, 7);
  iv->interviewer2 = vw_vault_column_text (stmt, 8);
  iv->state = state_from_string ((const char *) sqlite3_column_text (stmt, 12));
  iv->resume_module = vw_vault_column_text (stmt, 13);
  iv->resume_question = vw_vault_column_text (stmt, 14);
  iv->created = vw_vault_column_text (stmt, 15);
  iv->updated = vw_vault_column_text (stmt, 16);
  iv->revision = sqlite3_column_int64 (stmt, 17);
  iv->device = vw_vault_column_text (stmt, 18);
  iv->seq = sqlite3_column_int64 (stmt, 19);

  key = vw_vault_round_key (self, iv->study, iv->round, error);
  if (key == NULL)
    return NULL;
  for (int i = 0; i < 3; i++)
    {
      VwValueRef ref;

      interview_ref (&ref, iv, columns[i], iv->revision);
      if (!vw_vault_column_unseal (self, stmt, 9 + i, key, &ref, fields[i], error))
        return NULL;
    }
  return g_steal_pointer (&iv);
}

static VwInterview *
load_interview (VwVault     *self,
                const char  *sql,
                const char  *a,
                const char  *b,
                const char  *c,
                GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, sql, error);
  g_autofree char *where = c ? g_strdup_printf ("%s/%s", b, c) : g_strdup (a);

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, a);
  if (b != NULL)
    vw_vault_bind_text (stmt, 2, b);
  if (c != NULL)
    vw_vault_bind_text (stmt, 3, c);
  return vw_vault_read_one (self, stmt, (VwRowReadFunc) interview_from_row, _("interview"), where, error);
}

VwInterview *
vw_vault_get_interview (VwVault     *self,
                        const char  *id,
                        GError     **error)
{
  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  return load_interview (self, "SELECT " INTERVIEW_COLUMNS " FROM interviews WHERE id = ?", id, NULL, NULL, error);
}

/**
 * vw_vault_find_interview:
 *
 * Returns: (transfer full): the participant's interview in @round, or
 * %NULL with NOT_FOUND
 */
VwInterview *
vw_vault_find_interview (VwVault     *self,
                         const char  *study,
                         const char  *code,
                         const char  *round,
                         GError     **error)
{
  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  return load_interview (self, "SELECT " INTERVIEW_COLUMNS " FROM interviews WHERE study = ? AND code = ? "
                               "AND round = ?", study, code, round, error);
}

/**
 * vw_vault_list_interviews:
 * @code: (nullable): only this participant's
 * @round: (nullable): only this round's
 *
 * Returns: (transfer full) (element-type VwInterview): by round, then code
 */
GPtrArray *
vw_vault_list_interviews (VwVault     *self,
                          const char  *study,
                          const char  *code,
                          const char  *round,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
#define LIST_INTERVIEWS(code_test) \
  "SELECT i.id, i.study, i.code, i.round, i.questionnaire_id, " \
  "i.questionnaire_version, i.questionnaire_sha256, i.interviewer1, i.interviewer2, " \
  "i.status, i.date, i.nonresponse_reason, i.state, i.resume_module, " \
  "i.resume_question, i.created, i.updated, i.revision, i.device, i.seq " \
  "FROM interviews i JOIN rounds r ON r.study = i.study AND r.label = i.round " \
  "WHERE i.study = ?1 AND " code_test " AND (?3 IS NULL OR i.round = ?3) " \
  "ORDER BY r.position, i.code"

  /* One participant's interviews are an index lookup, not a scan of the
   * study's: sqlite uses no index for "?2 IS NULL OR i.code = ?2", which
   * made every per-participant caller (dump, submission) quadratic. */
  stmt = vw_vault_prepare (self, code != NULL ? LIST_INTERVIEWS ("i.code = ?2") : LIST_INTERVIEWS ("?2 IS NULL"),
                           error);
#undef LIST_INTERVIEWS
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, round);
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) interview_from_row, (GDestroyNotify) vw_interview_free, error);
}

static gboolean
check_interviewer (VwVault     *self,
                   const char  *id,
                   GError     **error)
{
  g_autoptr(VwInterviewer) interviewer = NULL;

  if (id == NULL)
    return TRUE;
  interviewer = vw_vault_get_interviewer (self, id, error);
  return interviewer != NULL;
}

/* Writes every mutable field of @iv with the next revision; the
 * encrypted fields are sealed again because the revision is bound into
 * them. */
static gboolean
write_interview (VwVault      *self,
                 VwInterview  *iv,
                 GError      **error)
{
  const char *columns[] = { "status", "date", "nonresponse_reason" };
  const char *values[] = { iv->status, iv->date, iv->nonresponse_reason };
  GBytes *sealed[3] = { NULL };
  g_autofree char *now = vw_vault_now ();
  const guint8 *key = vw_vault_round_key (self, iv->study, iv->round, error);
  sqlite3_stmt *stmt;
  gint64 revision = vw_vault_next_revision (iv->revision);

  if (key == NULL)
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      VwValueRef ref;

      interview_ref (&ref, iv, columns[i], revision);
      sealed[i] = vw_vault_seal_string (self, key, &ref, values[i]);
    }

  stmt = vw_vault_prepare (self, "UPDATE interviews SET interviewer1 = ?, interviewer2 = ?, status = ?, date = ?, "
                                 "nonresponse_reason = ?, state = ?, resume_module = ?, resume_question = ?, "
                                 "updated = ?, revision = ?, device = ?13 WHERE id = ?11 AND revision = ?12", error);
  if (stmt == NULL)
    {
      for (int i = 0; i < 3; i++)
        g_clear_pointer (&sealed[i], g_bytes_unref);
      return FALSE;
    }
  vw_vault_bind_text (stmt, 1, iv->interviewer1);
  vw_vault_bind_text (stmt, 2, iv->interviewer2);
  for (int i = 0; i < 3; i++)
    {
      vw_vault_bind_bytes (stmt, 3 + i, sealed[i]);
      g_clear_pointer (&sealed[i], g_bytes_unref);
    }
  vw_vault_bind_text (stmt, 6, vw_interview_state_to_string (iv->state));
  vw_vault_bind_text (stmt, 7, iv->resume_module);
  vw_vault_bind_text (stmt, 8, iv->resume_question);
  vw_vault_bind_text (stmt, 9, now);
  sqlite3_bind_int64 (stmt, 10, revision);
  vw_vault_bind_text (stmt, 11, iv->id);
  sqlite3_bind_int64 (stmt, 12, iv->revision);
  vw_vault_bind_text (stmt, 13, self->device_id);
  if (!vw_vault_step_done (self, stmt, error))
    return FALSE;
  if (vw_vault_changes (self) != 1)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_BUSY,
                   _("Interview %s was changed at the same time elsewhere; try again"), iv->id);
      return FALSE;
    }
  iv->revision = revision;
  g_free (iv->device);
  iv->device = g_strdup (self->device_id);
  g_free (iv->updated);
  iv->updated = g_steal_pointer (&now);
  return TRUE;
}

/**
 * vw_vault_start_interview:
 * @questionnaire_id: (nullable): %NULL for records made without the
 *   application (imports, paper)
 * @interviewer1: (nullable): interviewer ids of the duo
 *
 * Makes the interview of a participant in a round, state in_progress.
 * It keeps the questionnaire version it was started with.
 *
 * Returns: (transfer full): the interview; EXISTS when the participant
 * already has one in @round
 */
VwInterview *
vw_vault_start_interview (VwVault     *self,
                          const char  *study,
                          const char  *code,
                          const char  *round,
                          const char  *questionnaire_id,
                          const char  *questionnaire_version,
                          const char  *interviewer1,
                          const char  *interviewer2,
                          GError     **error)
{
  g_autofree char *id = vw_vault_random_id ();
  g_autofree char *now = vw_vault_now ();
  g_autofree char *sha = NULL;
  g_autoptr(VwInterview) existing = NULL;
  g_autoptr(GError) missing = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_participant (self, study, code, error) ||
      !vw_vault_check_round (self, study, round, error) || !check_interviewer (self, interviewer1, error) ||
      !check_interviewer (self, interviewer2, error))
    return NULL;
  if (questionnaire_id != NULL)
    {
      g_autoptr(GBytes) json = vw_vault_get_questionnaire (self, questionnaire_id, questionnaire_version, &sha, error);
      if (json == NULL)
        return NULL;
    }
  existing = vw_vault_find_interview (self, study, code, round, &missing);
  if (existing != NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS,
                   _("Participant %s already has an interview in round %s"), code, round);
      return NULL;
    }
  if (!g_error_matches (missing, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&missing));
      return NULL;
    }

  if (!vw_vault_tx_begin (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "INSERT INTO interviews (id, study, code, round, questionnaire_id, "
                                 "questionnaire_version, questionnaire_sha256, interviewer1, interviewer2, state, "
                                 "created, updated, revision, device) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, 1, ?)",
                           error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, id);
      vw_vault_bind_text (stmt, 2, study);
      vw_vault_bind_text (stmt, 3, code);
      vw_vault_bind_text (stmt, 4, round);
      vw_vault_bind_text (stmt, 5, questionnaire_id);
      vw_vault_bind_text (stmt, 6, questionnaire_id ? questionnaire_version : NULL);
      vw_vault_bind_text (stmt, 7, sha);
      vw_vault_bind_text (stmt, 8, interviewer1);
      vw_vault_bind_text (stmt, 9, interviewer2);
      vw_vault_bind_text (stmt, 10, now);
      vw_vault_bind_text (stmt, 11, now);
      vw_vault_bind_text (stmt, 12, self->device_id);
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error) &&
       vw_vault_audit_append (self, "interview_started", code, round, error);
  if (!vw_vault_tx_finish (self, ok, error))
    return NULL;

  return vw_vault_get_interview (self, id, error);
}

/* Loads, lets @change edit, writes back and audits, in one transaction. */
typedef gboolean (*InterviewChange) (VwVault      *self,
                                     VwInterview  *iv,
                                     gpointer      data,
                                     const char  **audit_action,
                                     GError      **error);

static gboolean
change_interview (VwVault          *self,
                  const char       *id,
                  InterviewChange   change,
                  gpointer          data,
                  GError          **error)
{
  g_autoptr(VwInterview) iv = NULL;
  const char *action = NULL;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  iv = vw_vault_get_interview (self, id, error);
  ok = iv != NULL && change (self, iv, data, &action, error) && write_interview (self, iv, error) &&
       (action == NULL || vw_vault_audit_append (self, action, iv->code, iv->round, error));
  return vw_vault_tx_finish (self, ok, error);
}

typedef struct
{
  const char *a, *b, *c;
  VwInterviewState state;
} ChangeArgs;

static gboolean
change_status (VwVault      *self,
               VwInterview  *iv,
               gpointer      data,
               const char  **action,
               GError      **error)
{
  ChangeArgs *args = data;

  if ((args->a != NULL && !vw_vault_check_code ("status", args->a, error)) ||
      !vw_vault_validate_interview_date (self, iv->study, iv->round, args->a, args->b, error))
    return FALSE;
  if (args->c != NULL && !g_utf8_validate (args->c, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("The reason must be valid text"));
      return FALSE;
    }
  /* Not findable (unreachable) stands only on the study's minimum of
   * contact attempts, or on a reason: whoever sets it, the app or the
   * command line. A round already recorded so keeps its status. */
  if (g_strcmp0 (args->a, "unreachable") == 0 && g_strcmp0 (iv->status, "unreachable") != 0 &&
      !vw_vault_check_unreachable (self, iv->study, iv->code, iv->round, args->c, error))
    return FALSE;
  g_free (iv->status);
  iv->status = g_strdup (args->a);
  g_free (iv->date);
  iv->date = g_strdup (args->b);
  g_free (iv->nonresponse_reason);
  iv->nonresponse_reason = g_strdup (args->c);
  *action = "interview_status";
  return TRUE;
}

/**
 * vw_vault_set_interview_status:
 * @status: (nullable): a codebook `status` code
 * @date: (nullable): YYYY-MM-DD
 * @nonresponse_reason: (nullable): free text
 *
 * Sets the round outcome of an interview (all encrypted: "deceased" or a
 * date is personal).
 */
gboolean
vw_vault_set_interview_status (VwVault     *self,
                               const char  *id,
                               const char  *status,
                               const char  *date,
                               const char  *nonresponse_reason,
                               GError     **error)
{
  ChangeArgs args = { status, date, nonresponse_reason };

  return change_interview (self, id, change_status, &args, error);
}

static gboolean
change_state (VwVault      *self,
              VwInterview  *iv,
              gpointer      data,
              const char  **action,
              GError      **error)
{
  ChangeArgs *args = data;
  static const char *actions[] = { "interview_resumed", "interview_paused", "interview_finished" };

  if ((args->a != NULL && !vw_vault_check_name (args->a, _("module id"), error)) ||
      (args->b != NULL && !vw_vault_check_name (args->b, _("question id"), error)))
    return FALSE;
  /* Moving through the questionnaire is not an event; changing state is. */
  if (iv->state != args->state)
    *action = actions[args->state];
  iv->state = args->state;
  g_free (iv->resume_module);
  iv->resume_module = g_strdup (args->a);
  g_free (iv->resume_question);
  iv->resume_question = g_strdup (args->b);
  return TRUE;
}

/**
 * vw_vault_set_interview_state:
 * @resume_module: (nullable): where to go on
 * @resume_question: (nullable)
 */
gboolean
vw_vault_set_interview_state (VwVault           *self,
                              const char        *id,
                              VwInterviewState   state,
                              const char        *resume_module,
                              const char        *resume_question,
                              GError           **error)
{
  ChangeArgs args = { resume_module, resume_question, NULL, state };

  g_return_val_if_fail (state <= VW_INTERVIEW_FINISHED, FALSE);
  return change_interview (self, id, change_state, &args, error);
}

static gboolean
change_interviewers (VwVault      *self,
                     VwInterview  *iv,
                     gpointer      data,
                     const char  **action,
                     GError      **error)
{
  ChangeArgs *args = data;

  if (!check_interviewer (self, args->a, error) || !check_interviewer (self, args->b, error))
    return FALSE;
  g_free (iv->interviewer1);
  iv->interviewer1 = g_strdup (args->a);
  g_free (iv->interviewer2);
  iv->interviewer2 = g_strdup (args->b);
  *action = "interview_duo_changed";
  return TRUE;
}

gboolean
vw_vault_set_interviewers (VwVault     *self,
                           const char  *id,
                           const char  *interviewer1,
                           const char  *interviewer2,
                           GError     **error)
{
  ChangeArgs args = { interviewer1, interviewer2 };

  return change_interview (self, id, change_interviewers, &args, error);
}

/**
 * vw_vault_reopen_interview:
 * @reason: why the finished interview is opened again; kept, encrypted,
 *   in the audit trail
 *
 * Opens a finished interview again (state in_progress, no status until it
 * is finished again; its date stays). Only an interview that was held can
 * be reopened, not a recorded non-response.
 */
gboolean
vw_vault_reopen_interview (VwVault     *self,
                           const char  *id,
                           const char  *reason,
                           GError     **error)
{
  g_autoptr(VwInterview) iv = NULL;
  g_autofree char *why = NULL;
  g_autofree char *detail = NULL;
  gboolean ok;

  if (reason == NULL || !g_utf8_validate (reason, -1, NULL) || is_blank (reason))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                           _("Say why the interview is opened again"));
      return FALSE;
    }
  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  iv = vw_vault_get_interview (self, id, error);
  ok = iv != NULL;
  if (ok && (iv->state != VW_INTERVIEW_FINISHED || (iv->status != NULL && !g_str_equal (iv->status, "interviewed"))))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("Interview %s is not a finished interview, so it cannot be reopened"), id);
      ok = FALSE;
    }
  if (ok)
    {
      why = g_strstrip (g_strdup (reason));
      /* The round, then the reason: "T0: wrong birth year". */
      detail = g_strdup_printf ("%s: %s", iv->round, why);
      iv->state = VW_INTERVIEW_IN_PROGRESS;
      g_clear_pointer (&iv->status, g_free);
      ok = write_interview (self, iv, error) &&
           vw_vault_audit_append (self, "interview_reopened", iv->code, detail, error);
    }
  return vw_vault_tx_finish (self, ok, error);
}

gboolean
vw_vault_delete_interview (VwVault     *self,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(VwInterview) iv = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || (iv = vw_vault_get_interview (self, id, error)) == NULL ||
      !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "DELETE FROM interviews WHERE id = ?", error);
  if (stmt != NULL)
    vw_vault_bind_text (stmt, 1, id);
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error) &&
       vw_vault_audit_append (self, "interview_deleted", iv->code, iv->round, error);
  return vw_vault_tx_finish (self, ok, error);
}

/* The round key of an interview, and that the interview exists. */
static const guint8 *
interview_key (VwVault     *self,
               const char  *interview,
               GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT study, round FROM interviews WHERE id = ?", error);
  g_autofree char *study = NULL;
  g_autofree char *round = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, interview);
  rc = vw_vault_step (self, stmt, error);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        vw_vault_not_found (error, _("interview"), interview ? interview : "");
      return NULL;
    }
  study = vw_vault_column_text (stmt, 0);
  round = vw_vault_column_text (stmt, 1);
  sqlite3_reset (stmt);
  return vw_vault_round_key (self, study, round, error);
}

/* Whether @text has nothing but white space: no answer and no note. */
static gboolean
is_blank (const char *text)
{
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    if (!g_unichar_isspace (g_utf8_get_char (c)))
      return FALSE;
  return TRUE;
}

/* Saves or removes (@text NULL or blank) an answer or note, in one
 * transaction. */
static gboolean
save_interview_text (VwVault     *self,
                     const char  *table,
                     const char  *interview,
                     const char  *question,
                     const char  *text,
                     GError     **error)
{
  gboolean answers = strcmp (table, "answers") == 0;
  g_autofree char *now = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const guint8 *key;
  sqlite3_stmt *stmt;
  gint64 revision;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) ||
      (answers || question != NULL ? !vw_vault_check_name (question, _("question id"), error) : FALSE))
    return FALSE;
  if (!answers && question == NULL)
    question = "";
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("An answer or note must be valid text"));
      return FALSE;
    }
  if (text != NULL && is_blank (text))
    text = NULL;
  if (!vw_vault_tx_begin (self, error))
    return FALSE;

  key = interview_key (self, interview, error);
  revision = key ? vw_vault_row_revision (self, answers ? "SELECT revision FROM answers WHERE interview = ? AND question = ?"
                                               : "SELECT revision FROM notes WHERE interview = ? AND question = ?",
                                 interview, question, NULL, NULL, error)
                 : -1;
  if (revision < 0)
    return vw_vault_tx_finish (self, FALSE, error);

  if (text == NULL)
    stmt = vw_vault_prepare (self, answers ? "DELETE FROM answers WHERE interview = ? AND question = ?"
                                           : "DELETE FROM notes WHERE interview = ? AND question = ?", error);
  else
    {
      VwValueRef ref = { table, answers ? "value" : "text", { interview, question },
                         vw_vault_next_revision (revision) };

      now = vw_vault_now ();
      sealed = vw_vault_seal_string (self, key, &ref, text);
      stmt = vw_vault_prepare (self, answers
                               ? "INSERT OR REPLACE INTO answers (interview, question, value, revision, updated, "
                                 "device) VALUES (?, ?, ?, ?, ?, ?)"
                               : "INSERT OR REPLACE INTO notes (interview, question, text, revision, updated, "
                                 "device) VALUES (?, ?, ?, ?, ?, ?)", error);
    }
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, interview);
      vw_vault_bind_text (stmt, 2, question);
      if (text != NULL)
        {
          vw_vault_bind_bytes (stmt, 3, sealed);
          sqlite3_bind_int64 (stmt, 4, vw_vault_next_revision (revision));
          vw_vault_bind_text (stmt, 5, now);
          vw_vault_bind_text (stmt, 6, self->device_id);
        }
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error);
  return vw_vault_tx_finish (self, ok, error);
}

/**
 * vw_vault_save_answer:
 * @value: (nullable): the answer as UTF-8 text, in the encoding the
 *   questionnaire defines; %NULL, or only white space, removes it
 *
 * Saves one answer in its own transaction, durable when this returns
 * (WAL, synchronous=FULL): call it as the user types (debounced).
 */
gboolean
vw_vault_save_answer (VwVault     *self,
                      const char  *interview,
                      const char  *question,
                      const char  *value,
                      GError     **error)
{
  return vw_vault_validate_answer (self, interview, question, value, error) &&
         save_interview_text (self, "answers", interview, question, value, error);
}

/**
 * vw_vault_get_answer:
 *
 * Returns: (transfer full) (nullable): the answer, or %NULL without an
 * error when there is none
 */
char *
vw_vault_get_answer (VwVault     *self,
                     const char  *interview,
                     const char  *question,
                     GError     **error)
{
  VwValueRef ref = { "answers", "value", { interview, question }, 0 };
  const guint8 *key;
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  if (!vw_vault_require_unlocked (self, error) || (key = interview_key (self, interview, error)) == NULL)
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT value, revision FROM answers WHERE interview = ? AND question = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, interview);
  vw_vault_bind_text (stmt, 2, question);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      ref.revision = sqlite3_column_int64 (stmt, 1);
      vw_vault_column_unseal (self, stmt, 0, key, &ref, &value, error);
    }
  sqlite3_reset (stmt);
  return value;
}

/**
 * vw_vault_list_answers:
 *
 * Returns: (transfer full) (element-type VwAnswer): the interview's
 * answers by question id
 */
GPtrArray *
vw_vault_list_answers (VwVault     *self,
                       const char  *interview,
                       GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_answer_free);
  const guint8 *key;
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error) || (key = interview_key (self, interview, error)) == NULL)
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT question, value, revision, updated, device, seq FROM answers "
                                 "WHERE interview = ? ORDER BY question", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, interview);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(VwAnswer) answer = g_new0 (VwAnswer, 1);
      VwValueRef ref = { "answers", "value", { interview, NULL }, 0 };

      answer->question = vw_vault_column_text (stmt, 0);
      answer->revision = sqlite3_column_int64 (stmt, 2);
      answer->updated = vw_vault_column_text (stmt, 3);
      answer->device = vw_vault_column_text (stmt, 4);
      answer->seq = sqlite3_column_int64 (stmt, 5);
      ref.id[1] = answer->question;
      ref.revision = answer->revision;
      if (!vw_vault_column_unseal (self, stmt, 1, key, &ref, &answer->value, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, g_steal_pointer (&answer));
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&list);
}

/**
 * vw_vault_save_note:
 * @question: (nullable): the question the note is about; %NULL for the
 *   interview's general note
 * @text: (nullable): %NULL, or only white space, removes the note
 */
gboolean
vw_vault_save_note (VwVault     *self,
                    const char  *interview,
                    const char  *question,
                    const char  *text,
                    GError     **error)
{
  return save_interview_text (self, "notes", interview, question, text, error);
}

/**
 * vw_vault_list_notes:
 *
 * Returns: (transfer full) (element-type VwNote): the general note first
 */
GPtrArray *
vw_vault_list_notes (VwVault     *self,
                     const char  *interview,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_note_free);
  const guint8 *key;
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error) || (key = interview_key (self, interview, error)) == NULL)
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT question, text, revision, updated, device, seq FROM notes "
                                 "WHERE interview = ? ORDER BY question", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, interview);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(VwNote) note = g_new0 (VwNote, 1);
      const char *question = (const char *) sqlite3_column_text (stmt, 0);
      VwValueRef ref = { "notes", "text", { interview, question }, sqlite3_column_int64 (stmt, 2) };

      note->interview = g_strdup (interview);
      note->question = question && *question ? g_strdup (question) : NULL;
      note->revision = ref.revision;
      note->updated = vw_vault_column_text (stmt, 3);
      note->device = vw_vault_column_text (stmt, 4);
      note->seq = sqlite3_column_int64 (stmt, 5);
      if (!vw_vault_column_unseal (self, stmt, 1, key, &ref, &note->text, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, g_steal_pointer (&note));
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&list);
}

static gboolean
check_quote (const char  *question,
             const char  *theme,
             const char  *text,
             GError     **error)
{
  if ((question != NULL && !vw_vault_check_name (question, _("question id"), error)) ||
      (theme != NULL && !vw_vault_check_name (theme, _("theme"), error)))
    return FALSE;
  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("A quote needs its text"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_quote (VwVault     *self,
             const char  *id,
             const char  *study,
             const char  *code,
             const char  *round,
             const char  *question,
             const char  *theme,
             const char  *text,
             gint64       previous,
             GError     **error)
{
  gboolean insert = previous == 0;
  gint64 revision = vw_vault_next_revision (previous);
  VwValueRef ref = { "quotes", "text", { id, study, code, round }, revision };
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  const guint8 *key = vw_vault_round_key (self, study, round, error);
  sqlite3_stmt *stmt;

  if (key == NULL)
    return FALSE;
  sealed = vw_vault_seal_string (self, key, &ref, text);
  stmt = vw_vault_prepare (self, insert
                           ? "INSERT INTO quotes (theme, text, updated, revision, question, id, study, code, round, "
                             "created, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?3, ?10)"
                           : "UPDATE quotes SET theme = ?1, text = ?2, updated = ?3, revision = ?4, device = ?10 "
                             "WHERE id = ?6 AND revision = ?11", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, theme);
  vw_vault_bind_bytes (stmt, 2, sealed);
  vw_vault_bind_text (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, revision);
  if (insert)
    {
      vw_vault_bind_text (stmt, 5, question);
      vw_vault_bind_text (stmt, 7, study);
      vw_vault_bind_text (stmt, 8, code);
      vw_vault_bind_text (stmt, 9, round);
    }
  vw_vault_bind_text (stmt, 6, id);
  vw_vault_bind_text (stmt, 10, self->device_id);
  if (!insert)
    sqlite3_bind_int64 (stmt, 11, previous);
  return vw_vault_step_done (self, stmt, error) &&
         vw_vault_audit_append (self, insert ? "quote_added" : "quote_changed", code, round, error);
}

/**
 * vw_vault_add_quote:
 * @question: (nullable): the question the quote answers
 * @theme: (nullable): a theme code
 * @text: the verbatim quote, with names replaced by placeholders
 *
 * Returns: (transfer full): the quote's id
 */
char *
vw_vault_add_quote (VwVault     *self,
                    const char  *study,
                    const char  *code,
                    const char  *round,
                    const char  *question,
                    const char  *theme,
                    const char  *text,
                    GError     **error)
{
  g_autofree char *id = vw_vault_random_id ();

  if (!vw_vault_require_unlocked (self, error) || !check_quote (question, theme, text, error) ||
      !vw_vault_check_participant (self, study, code, error) || !vw_vault_check_round (self, study, round, error) ||
      !vw_vault_tx_begin (self, error))
    return NULL;
  if (!vw_vault_tx_finish (self, write_quote (self, id, study, code, round, question, theme, text, 0, error), error))
    return NULL;
  return g_steal_pointer (&id);
}

#define QUOTE_COLUMNS "id, study, code, round, question, theme, text, created, updated, revision, device, seq"

static VwQuote *
quote_from_row (VwVault       *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(VwQuote) quote = g_new0 (VwQuote, 1);
  const guint8 *key;

  quote->id = vw_vault_column_text (stmt, 0);
  quote->study = vw_vault_column_text (stmt, 1);
  quote->code = vw_vault_column_text (stmt, 2);
  quote->round = vw_vault_column_text (stmt, 3);
  quote->question = vw_vault_column_text (stmt, 4);
  quote->theme = vw_vault_column_text (stmt, 5);
  quote->created = vw_vault_column_text (stmt, 7);
  quote->updated = vw_vault_column_text (stmt, 8);
  quote->revision = sqlite3_column_int64 (stmt, 9);
  quote->device = vw_vault_column_text (stmt, 10);
  quote->seq = sqlite3_column_int64 (stmt, 11);
  key = vw_vault_round_key (self, quote->study, quote->round, error);
  if (key == NULL)
    return NULL;
  {
    VwValueRef ref = { "quotes", "text", { quote->id, quote->study, quote->code, quote->round }, quote->revision };
    if (!vw_vault_column_unseal (self, stmt, 6, key, &ref, &quote->text, error))
      return NULL;
  }
  return g_steal_pointer (&quote);
}

gboolean
vw_vault_update_quote (VwVault     *self,
                       const char  *id,
                       const char  *theme,
                       const char  *text,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(VwQuote) quote = NULL;
  int rc;

  if (!vw_vault_require_unlocked (self, error) || !check_quote (NULL, theme, text, error) ||
      !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "SELECT " QUOTE_COLUMNS " FROM quotes WHERE id = ?", error);
  if (stmt == NULL)
    return vw_vault_tx_finish (self, FALSE, error);
  vw_vault_bind_text (stmt, 1, id);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_DONE)
    vw_vault_not_found (error, _("quote"), id);
  if (rc == SQLITE_ROW)
    quote = quote_from_row (self, stmt, error);
  sqlite3_reset (stmt);
  return vw_vault_tx_finish (self, quote != NULL &&
                             write_quote (self, id, quote->study, quote->code, quote->round, quote->question, theme,
                                          text, quote->revision, error),
                       error);
}

gboolean
vw_vault_delete_quote (VwVault     *self,
                       const char  *id,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "DELETE FROM quotes WHERE id = ?", error);
  if (stmt != NULL)
    vw_vault_bind_text (stmt, 1, id);
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error);
  if (ok && vw_vault_changes (self) == 0)
    ok = vw_vault_not_found (error, _("quote"), id);
  return vw_vault_tx_finish (self, ok && vw_vault_audit_append (self, "quote_deleted", id, NULL, error), error);
}

/**
 * vw_vault_list_quotes:
 * @code: (nullable): only this participant's
 * @round: (nullable): only this round's
 *
 * Returns: (transfer full) (element-type VwQuote): by round, code, date
 */
GPtrArray *
vw_vault_list_quotes (VwVault     *self,
                      const char  *study,
                      const char  *code,
                      const char  *round,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
#define LIST_QUOTES(code_test) \
  "SELECT q.id, q.study, q.code, q.round, q.question, q.theme, q.text, q.created, " \
  "q.updated, q.revision, q.device, q.seq FROM quotes q " \
  "JOIN rounds r ON r.study = q.study AND r.label = q.round " \
  "WHERE q.study = ?1 AND " code_test " AND (?3 IS NULL OR q.round = ?3) " \
  "ORDER BY r.position, q.code, q.created, q.id"

  /* As in vw_vault_list_interviews(): a lookup in quotes_by_participant. */
  stmt = vw_vault_prepare (self, code != NULL ? LIST_QUOTES ("q.code = ?2") : LIST_QUOTES ("?2 IS NULL"), error);
#undef LIST_QUOTES
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, round);
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) quote_from_row, (GDestroyNotify) vw_quote_free, error);
}


static void
check_text_row (VwVault      *self,
                sqlite3_stmt *stmt,
                const char   *table,
                const char   *column,
                GPtrArray    *problems)
{
  g_autoptr(GError) error = NULL;
  const char *study = (const char *) sqlite3_column_text (stmt, 4);
  const char *round = (const char *) sqlite3_column_text (stmt, 5);
  const guint8 *key = vw_vault_round_key (self, study, round, &error);
  VwValueRef ref = { table, column,
                     { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1) },
                     sqlite3_column_int64 (stmt, 3) };

  if (key == NULL)
    vw_vault_add_problem (problems, error);
  else
    vw_vault_verify_value (self, stmt, 2, key, &ref, problems);
}

static void
check_answer_row (VwVault      *self,
                  sqlite3_stmt *stmt,
                  GPtrArray    *problems)
{
  check_text_row (self, stmt, "answers", "value", problems);
}

static void
check_note_row (VwVault      *self,
                sqlite3_stmt *stmt,
                GPtrArray    *problems)
{
  check_text_row (self, stmt, "notes", "text", problems);
}

void
vw_vault_verify_interviews (VwVault   *self,
                            GPtrArray *problems)
{
  vw_vault_verify_readable (self, "SELECT " INTERVIEW_COLUMNS " FROM interviews", (VwRowReadFunc) interview_from_row,
                            (GDestroyNotify) vw_interview_free, problems);
  vw_vault_verify_rows (self, "SELECT a.interview, a.question, a.value, a.revision, i.study, i.round "
                              "FROM answers a JOIN interviews i ON i.id = a.interview", check_answer_row, problems);
  vw_vault_verify_rows (self, "SELECT n.interview, n.question, n.text, n.revision, i.study, i.round "
                              "FROM notes n JOIN interviews i ON i.id = n.interview", check_note_row, problems);
  vw_vault_verify_readable (self, "SELECT " QUOTE_COLUMNS " FROM quotes", (VwRowReadFunc) quote_from_row,
                            (GDestroyNotify) vw_quote_free, problems);
}
