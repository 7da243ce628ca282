/* vw-vault-validate.c: the vault's context for the validators (see
 * vw-vault-validate.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vw-codebook.h"
#include "vw-validate.h"
#include "vw-vault-private.h"
#include "vw-vault-validate.h"

gboolean
vw_vault_invalid (GError  *local,
                  GError **error)
{
  g_return_val_if_fail (local != NULL, FALSE);

  g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, local->message);
  g_error_free (local);
  return FALSE;
}

/* Parsed questionnaires by their SHA-256: a questionnaire's content never
 * changes under its hash, and a merge checks every answer against one, so
 * each is parsed once per process. Vaults of several threads share it. */
G_LOCK_DEFINE_STATIC (questionnaires);
static GHashTable *questionnaires;

VwQuestionnaire *
vw_vault_load_questionnaire (VwVault     *self,
                             const char  *id,
                             const char  *version,
                             GError     **error)
{
  g_autoptr(VwQuestionnaire) questionnaire = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autofree char *sha = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (id == NULL || version == NULL || !vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT sha256 FROM questionnaires WHERE id = ? AND version = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, version);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    sha = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  if (sha == NULL)
    return NULL;

  G_LOCK (questionnaires);
  if (questionnaires != NULL && (questionnaire = g_hash_table_lookup (questionnaires, sha)) != NULL)
    g_object_ref (questionnaire);
  G_UNLOCK (questionnaires);
  if (questionnaire != NULL)
    return g_steal_pointer (&questionnaire);

  json = vw_vault_get_questionnaire (self, id, version, NULL, error);
  if (json == NULL || (questionnaire = vw_questionnaire_new_from_bytes (json, id, NULL, error)) == NULL)
    return NULL;
  /* Only what the hash names is shared. */
  if (g_str_equal (vw_questionnaire_get_hash (questionnaire), sha))
    {
      G_LOCK (questionnaires);
      if (questionnaires == NULL)
        questionnaires = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_hash_table_replace (questionnaires, g_strdup (sha), g_object_ref (questionnaire));
      G_UNLOCK (questionnaires);
    }
  return g_steal_pointer (&questionnaire);
}

VwQuestionnaire *
vw_vault_load_study_questionnaire (VwVault     *self,
                                   const char  *study,
                                   GError     **error)
{
  g_autoptr(VwStudy) info = vw_vault_get_study (self, study, error);

  if (info == NULL)
    return NULL;
  return vw_vault_load_questionnaire (self, info->questionnaire_id, info->questionnaire_version, error);
}

gboolean
vw_vault_validate_answer (VwVault     *self,
                          const char  *interview,
                          const char  *question,
                          const char  *value,
                          GError     **error)
{
  g_autoptr(VwQuestionnaire) questionnaire = NULL;
  g_autofree char *id = NULL;
  g_autofree char *version = NULL;
  GError *local = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "SELECT questionnaire_id, questionnaire_version FROM interviews WHERE id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, interview);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      id = vw_vault_column_text (stmt, 0);
      version = vw_vault_column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? vw_vault_not_found (error, _("interview"), interview ? interview : "") : FALSE;
  if (id != NULL && (questionnaire = vw_vault_load_questionnaire (self, id, version, &local)) == NULL &&
      local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (!vw_validate_answer (question, value, questionnaire, &local))
    return vw_vault_invalid (local, error);
  return TRUE;
}

gboolean
vw_vault_validate_participant_value (VwVault     *self,
                                     const char  *study,
                                     const char  *variable,
                                     const char  *value,
                                     GError     **error)
{
  g_autoptr(VwQuestionnaire) questionnaire = NULL;
  GError *local = NULL;

  /* The study's questionnaire decides only about what the codebook does
   * not name. */
  if (variable != NULL && vw_codebook_get_variable (vw_codebook_get_core (), variable) == NULL &&
      (questionnaire = vw_vault_load_study_questionnaire (self, study, &local)) == NULL && local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (!vw_validate_participant_value (variable, value, questionnaire, &local))
    return vw_vault_invalid (local, error);
  return TRUE;
}

gboolean
vw_vault_check_fieldwork (const char  *round,
                          const char  *start,
                          const char  *end,
                          GError     **error)
{
  GError *local = NULL;

  return vw_validate_fieldwork (round, start, end, &local) || vw_vault_invalid (local, error);
}

gboolean
vw_vault_get_fieldwork (VwVault     *self,
                        const char  *study,
                        const char  *round,
                        char       **start,
                        char       **end,
                        GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT fieldwork_start, fieldwork_end FROM rounds "
                                               "WHERE study = ? AND label = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, round);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *start = vw_vault_column_text (stmt, 0);
      *end = vw_vault_column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *where = g_strdup_printf ("%s/%s", study, round ? round : "");
      return vw_vault_not_found (error, _("round"), where);
    }
  return rc == SQLITE_ROW;
}

gboolean
vw_vault_validate_interview_date (VwVault     *self,
                                  const char  *study,
                                  const char  *round,
                                  const char  *status,
                                  const char  *date,
                                  GError     **error)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  GError *local = NULL;
  gboolean ok;

  if (date == NULL)
    return TRUE;
  /* A non-response is recorded when it is known, which may be after the
   * round's fieldwork; an interview is held inside it. */
  if (status != NULL && !g_str_equal (status, "interviewed"))
    ok = vw_validate_date ("date", date, &local);
  else if (!vw_vault_get_fieldwork (self, study, round, &start, &end, error))
    return FALSE;
  else
    ok = vw_validate_interview_date (date, round, start, end, &local);
  return ok || vw_vault_invalid (local, error);
}
