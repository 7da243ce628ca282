/* vw-vault-study.c: studies, rounds (with their own keys), questionnaires
 * and interviewers; and the checks of input that every table shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-questionnaire.h"
#include "vw-resources.h"
#include "vw-validate.h"
#include "vw-vault-private.h"
#include "vw-vault-validate.h"

/* The checks every table shares: vw-validate.c's validators, with the
 * vault's error domain. */
gboolean
vw_vault_check_region (const char  *region,
                       GError     **error)
{
  GError *local = NULL;

  return vw_validate_region (region, NULL, &local) || vw_vault_invalid (local, error);
}

gboolean
vw_vault_check_name (const char  *name,
                     const char  *what,
                     GError     **error)
{
  GError *local = NULL;

  return vw_validate_name (what, name, &local) || vw_vault_invalid (local, error);
}

/* @date: (nullable): YYYY-MM-DD, a real calendar date, not in the future */
gboolean
vw_vault_check_date (const char  *date,
                     GError     **error)
{
  GError *local = NULL;

  return vw_validate_date ("date", date, &local) || vw_vault_invalid (local, error);
}

/* @month: (nullable): YYYY-MM, not in the future */
gboolean
vw_vault_check_month (const char  *month,
                      GError     **error)
{
  GError *local = NULL;

  return vw_validate_month ("month", month, &local) || vw_vault_invalid (local, error);
}

/* @value must be a code of the core codebook's list @list. */
gboolean
vw_vault_check_code (const char  *list,
                     const char  *value,
                     GError     **error)
{
  GError *local = NULL;

  return (vw_validate_required (list, value, &local) && vw_validate_code (list, list, value, &local)) ||
         vw_vault_invalid (local, error);
}

static gboolean
row_exists (VwVault     *self,
            const char  *sql,
            const char  *a,
            const char  *b,
            GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, a);
  if (b != NULL)
    vw_vault_bind_text (stmt, 2, b);
  rc = vw_vault_step (self, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

gboolean
vw_vault_check_study (VwVault     *self,
                      const char  *study,
                      GError     **error)
{
  GError *local = NULL;

  if (study != NULL && row_exists (self, "SELECT 1 FROM studies WHERE id = ?", study, NULL, &local))
    return TRUE;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return vw_vault_not_found (error, _("study"), study ? study : "");
}

/* The round must exist and still hold its key. */
gboolean
vw_vault_check_round (VwVault     *self,
                      const char  *study,
                      const char  *round,
                      GError     **error)
{
  return round != NULL && vw_vault_round_key (self, study, round, error) != NULL;
}

/* Stores a questionnaire in the caller's transaction. It is loaded and
 * checked first, so a vault never holds a questionnaire an interview could
 * not run; its identity is the questionnaire module's (id, version and the
 * SHA-256 of the canonical form), and the same id and version with other
 * content is refused, since interviews refer to it by id and version. */
static gboolean
add_questionnaire_in_tx (VwVault  *self,
                         GBytes   *json,
                         char    **id_out,
                         char    **version_out,
                         char    **sha_out,
                         GError  **error)
{
  g_autoptr(VwQuestionnaire) questionnaire = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autofree char *text = NULL;
  const char *id, *version, *sha;
  sqlite3_stmt *stmt;
  gsize len;
  const char *data = g_bytes_get_data (json, &len);
  int rc;

  questionnaire = vw_questionnaire_new_from_bytes (json, NULL, NULL, &local);
  if (questionnaire == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                   _("The questionnaire cannot be used: %s"), local->message);
      return FALSE;
    }
  id = vw_questionnaire_get_id (questionnaire);
  version = vw_questionnaire_get_version (questionnaire);
  sha = vw_questionnaire_get_hash (questionnaire);

  stmt = vw_vault_prepare (self, "SELECT sha256 FROM questionnaires WHERE id = ? AND version = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, version);
  rc = vw_vault_step (self, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      gboolean same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), sha) == 0;

      sqlite3_reset (stmt);
      if (!same)
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS,
                       _("Questionnaire “%s” version %s is already stored with different content; "
                         "give the changed questionnaire a new version"), id, version);
          return FALSE;
        }
    }
  else
    {
      text = g_strndup (data, len);
      stmt = vw_vault_prepare (self, "INSERT INTO questionnaires (id, version, sha256, json, added) "
                                     "VALUES (?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      vw_vault_bind_text (stmt, 1, id);
      vw_vault_bind_text (stmt, 2, version);
      vw_vault_bind_text (stmt, 3, sha);
      vw_vault_bind_text (stmt, 4, text);
      vw_vault_bind_text (stmt, 5, now);
      if (!vw_vault_step_done (self, stmt, error) ||
          !vw_vault_audit_append (self, "questionnaire_added", id, version, error))
        return FALSE;
    }

  if (id_out)
    *id_out = g_strdup (id);
  if (version_out)
    *version_out = g_strdup (version);
  if (sha_out)
    *sha_out = g_strdup (sha);
  return TRUE;
}

/**
 * vw_vault_add_questionnaire:
 * @id: (out) (optional): the questionnaire's id
 * @version: (out) (optional): its version
 *
 * Stores a questionnaire (not personal, kept in clear). Adding the same
 * one twice is fine; the same id and version with other content is
 * refused with EXISTS.
 */
gboolean
vw_vault_add_questionnaire (VwVault  *self,
                            GBytes   *json,
                            char    **id,
                            char    **version,
                            GError  **error)
{
  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  if (!add_questionnaire_in_tx (self, json, id, version, NULL, error))
    {
      vw_vault_tx_rollback (self);
      return FALSE;
    }
  return vw_vault_tx_commit (self, error);
}

/**
 * vw_vault_get_questionnaire:
 * @sha256: (out) (optional): the stored hash
 *
 * Returns: (transfer full): the questionnaire's JSON as stored
 */
GBytes *
vw_vault_get_questionnaire (VwVault     *self,
                            const char  *id,
                            const char  *version,
                            char       **sha256,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *json;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT json, sha256 FROM questionnaires WHERE id = ? AND version = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, version);
  rc = vw_vault_step (self, stmt, error);
  if (rc != SQLITE_ROW)
    {
      g_autofree char *where = g_strdup_printf ("%s %s", id, version);
      if (rc == SQLITE_DONE)
        vw_vault_not_found (error, _("questionnaire"), where);
      return NULL;
    }
  json = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  if (sha256 != NULL)
    *sha256 = vw_vault_column_text (stmt, 1);
  sqlite3_reset (stmt);
  return json;
}

static GBytes *
seal_new_key (VwVault          *self,
              const VwValueRef *ref)
{
  guint8 key[VW_KEY_LEN];
  GBytes *sealed;

  randombytes_buf (key, sizeof key);
  sealed = vw_vault_seal (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), ref, key, sizeof key);
  sodium_memzero (key, sizeof key);
  return sealed;
}

static gboolean
add_round_in_tx (VwVault     *self,
                 const char  *study,
                 const char  *label,
                 const char  *start,
                 const char  *end,
                 GError     **error)
{
  VwValueRef ref = { "rounds", "wrapped_key", { study, label }, 0 };
  g_autoptr(GBytes) wrapped = NULL;
  g_autofree char *now = vw_vault_now ();
  sqlite3_stmt *stmt;
  int next = 0;

  stmt = vw_vault_prepare (self, "SELECT COUNT(*) FROM rounds WHERE study = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  if (vw_vault_step (self, stmt, error) != SQLITE_ROW)
    return FALSE;
  next = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  {
    g_autofree char *expected = g_strdup_printf ("T%d", next);
    if (g_strcmp0 (label, expected) != 0)
      {
        g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                     _("The next round of this study is %s, not “%s”"), expected, label ? label : "");
        return FALSE;
      }
  }
  if (!vw_vault_check_fieldwork (label, start, end, error))
    return FALSE;

  wrapped = seal_new_key (self, &ref);
  stmt = vw_vault_prepare (self, "INSERT INTO rounds (study, label, position, fieldwork_start, fieldwork_end, "
                                 "wrapped_key, created) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, label);
  sqlite3_bind_int (stmt, 3, next);
  vw_vault_bind_text (stmt, 4, start);
  vw_vault_bind_text (stmt, 5, end);
  vw_vault_bind_bytes (stmt, 6, wrapped);
  vw_vault_bind_text (stmt, 7, now);
  return vw_vault_step_done (self, stmt, error) &&
         vw_vault_audit_append (self, "round_added", label, NULL, error);
}

char *
vw_vault_create_study_in_tx (VwVault      *self,
                             const char   *name,
                             const char   *region,
                             VwStudyRole   role,
                             GBytes       *questionnaire,
                             GError      **error)
{
  g_autofree char *id = vw_vault_random_id ();
  g_autofree char *now = vw_vault_now ();
  g_autofree char *q_id = NULL, *q_version = NULL, *q_sha = NULL;
  g_autoptr(GBytes) shipped = NULL;
  g_autoptr(GBytes) linkage = NULL;
  g_autoptr(GBytes) export_key = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  if (*trimmed == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("A study needs a name"));
      return NULL;
    }
  if (!vw_vault_check_region (region, error))
    return NULL;

  if (questionnaire == NULL)
    {
      shipped = g_resource_lookup_data (vw_core_get_resource (), VW_RESOURCE_SHIPPED_QUESTIONNAIRE,
                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (shipped == NULL)
        return NULL;
      questionnaire = shipped;
    }
  if (!add_questionnaire_in_tx (self, questionnaire, &q_id, &q_version, &q_sha, error))
    return NULL;

  {
    VwValueRef linkage_ref = { "studies", "linkage_key", { id }, 0 };
    VwValueRef export_ref = { "studies", "export_key", { id }, 0 };
    linkage = seal_new_key (self, &linkage_ref);
    export_key = seal_new_key (self, &export_ref);
  }

  stmt = vw_vault_prepare (self, "INSERT INTO studies (id, name, regions, role, questionnaire_id, "
                                 "questionnaire_version, questionnaire_sha256, linkage_key, export_key, created) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  vw_vault_bind_text (stmt, 2, name);
  vw_vault_bind_text (stmt, 3, region);
  vw_vault_bind_text (stmt, 4, vw_study_role_to_string (role));
  vw_vault_bind_text (stmt, 5, q_id);
  vw_vault_bind_text (stmt, 6, q_version);
  vw_vault_bind_text (stmt, 7, q_sha);
  vw_vault_bind_bytes (stmt, 8, linkage);
  vw_vault_bind_bytes (stmt, 9, export_key);
  vw_vault_bind_text (stmt, 10, now);
  if (!vw_vault_step_done (self, stmt, error) ||
      !vw_vault_audit_append (self, "study_created", id, NULL, error) ||
      !add_round_in_tx (self, id, "T0", NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&id);
}

/**
 * vw_vault_create_study:
 * @region: 2-3 capital letters; the codebook's regions or a new one
 * @questionnaire: (nullable): the study's questionnaire; %NULL for the
 *   shipped one
 *
 * Makes a study with its round T0 and its secrets (linkage and export
 * keys).
 *
 * Returns: (transfer full): the study's id
 */
char *
vw_vault_create_study (VwVault      *self,
                       const char   *name,
                       const char   *region,
                       VwStudyRole   role,
                       GBytes       *questionnaire,
                       GError      **error)
{
  char *id;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return NULL;
  id = vw_vault_create_study_in_tx (self, name, region, role, questionnaire, error);
  if (id == NULL)
    {
      vw_vault_tx_rollback (self);
      return NULL;
    }
  /* A failed commit has rolled back already. */
  if (!vw_vault_tx_commit (self, error))
    g_clear_pointer (&id, g_free);
  return id;
}

#define STUDY_COLUMNS "id, name, regions, role, questionnaire_id, questionnaire_version, " \
                      "questionnaire_sha256, created"

static VwStudy *
study_from_row (VwVault       *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  VwStudy *study = g_new0 (VwStudy, 1);

  study->id = vw_vault_column_text (stmt, 0);
  study->name = vw_vault_column_text (stmt, 1);
  study->regions = g_strsplit ((const char *) sqlite3_column_text (stmt, 2), ",", -1);
  study->role = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "coordinator") == 0
                ? VW_STUDY_ROLE_COORDINATOR : VW_STUDY_ROLE_DUO;
  study->questionnaire_id = vw_vault_column_text (stmt, 4);
  study->questionnaire_version = vw_vault_column_text (stmt, 5);
  study->questionnaire_sha256 = vw_vault_column_text (stmt, 6);
  study->created = vw_vault_column_text (stmt, 7);
  return study;
}

VwStudy *
vw_vault_get_study (VwVault     *self,
                    const char  *id,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " STUDY_COLUMNS " FROM studies WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  return vw_vault_read_one (self, stmt, (VwRowReadFunc) study_from_row, _("study"), id, error);
}

/**
 * vw_vault_list_studies:
 *
 * Returns: (transfer full) (element-type VwStudy): studies, oldest first
 */
GPtrArray *
vw_vault_list_studies (VwVault  *self,
                       GError  **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " STUDY_COLUMNS " FROM studies ORDER BY created, id", error);
  if (stmt == NULL)
    return NULL;
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) study_from_row, (GDestroyNotify) vw_study_free, error);
}

gboolean
vw_vault_add_study_region (VwVault     *self,
                           const char  *study,
                           const char  *region,
                           GError     **error)
{
  g_autoptr(VwStudy) current = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) regions = NULL;
  sqlite3_stmt *stmt;

  if (!vw_vault_check_region (region, error) || (current = vw_vault_get_study (self, study, error)) == NULL)
    return FALSE;
  if (g_strv_contains ((const char * const *) current->regions, region))
    return TRUE;
  g_strv_builder_addv (builder, (const char **) current->regions);
  g_strv_builder_add (builder, region);
  regions = g_strv_builder_end (builder);
  joined = g_strjoinv (",", regions);

  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "UPDATE studies SET regions = ? WHERE id = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, joined);
      vw_vault_bind_text (stmt, 2, study);
    }
  if (stmt == NULL || !vw_vault_step_done (self, stmt, error) ||
      !vw_vault_audit_append (self, "study_region_added", study, region, error))
    {
      vw_vault_tx_rollback (self);
      return FALSE;
    }
  return vw_vault_tx_commit (self, error);
}

/**
 * vw_vault_get_study_secret:
 *
 * Returns: (transfer full): the study's linkage or export key (32 bytes)
 */
VwSecret *
vw_vault_get_study_secret (VwVault        *self,
                           const char     *study,
                           VwStudySecret   which,
                           GError        **error)
{
  const char *column = which == VW_STUDY_SECRET_EXPORT ? "export_key" : "linkage_key";
  VwValueRef ref = { "studies", column, { study }, 0 };
  sqlite3_stmt *stmt;
  VwSecret *secret;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, which == VW_STUDY_SECRET_EXPORT
                                 ? "SELECT export_key FROM studies WHERE id = ?"
                                 : "SELECT linkage_key FROM studies WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  rc = vw_vault_step (self, stmt, error);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        vw_vault_not_found (error, _("study"), study);
      return NULL;
    }
  secret = vw_vault_unseal_secret (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), &ref,
                                   sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), error);
  sqlite3_reset (stmt);
  return secret;
}

/**
 * vw_vault_add_round:
 * @label: the next round in order: T1 after T0, ...
 * @fieldwork_start: (nullable): YYYY-MM-DD
 * @fieldwork_end: (nullable): YYYY-MM-DD
 *
 * Adds a round with its own random key.
 */
gboolean
vw_vault_add_round (VwVault     *self,
                    const char  *study,
                    const char  *label,
                    const char  *fieldwork_start,
                    const char  *fieldwork_end,
                    GError     **error)
{
  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_study (self, study, error) ||
      !vw_vault_tx_begin (self, error))
    return FALSE;
  if (!add_round_in_tx (self, study, label, fieldwork_start, fieldwork_end, error))
    {
      vw_vault_tx_rollback (self);
      return FALSE;
    }
  return vw_vault_tx_commit (self, error);
}

gboolean
vw_vault_set_round_fieldwork (VwVault     *self,
                              const char  *study,
                              const char  *label,
                              const char  *fieldwork_start,
                              const char  *fieldwork_end,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error) ||
      !vw_vault_check_fieldwork (label, fieldwork_start, fieldwork_end, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "UPDATE rounds SET fieldwork_start = ?, fieldwork_end = ? "
                                 "WHERE study = ? AND label = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, fieldwork_start);
  vw_vault_bind_text (stmt, 2, fieldwork_end);
  vw_vault_bind_text (stmt, 3, study);
  vw_vault_bind_text (stmt, 4, label);
  if (!vw_vault_step_done (self, stmt, error))
    return FALSE;
  if (vw_vault_changes (self) == 0)
    {
      g_autofree char *where = g_strdup_printf ("%s/%s", study, label);
      return vw_vault_not_found (error, _("round"), where);
    }
  return TRUE;
}

/**
 * vw_vault_list_rounds:
 *
 * Returns: (transfer full) (element-type VwRound): rounds in fieldwork
 * order, destroyed ones included (with destroyed_at set)
 */
GPtrArray *
vw_vault_list_rounds (VwVault     *self,
                      const char  *study,
                      GError     **error)
{
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_round_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT study, label, position, fieldwork_start, fieldwork_end, created, "
                                 "destroyed_at FROM rounds WHERE study = ? ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      VwRound *round = g_new0 (VwRound, 1);

      round->study = vw_vault_column_text (stmt, 0);
      round->label = vw_vault_column_text (stmt, 1);
      round->position = sqlite3_column_int (stmt, 2);
      round->fieldwork_start = vw_vault_column_text (stmt, 3);
      round->fieldwork_end = vw_vault_column_text (stmt, 4);
      round->created = vw_vault_column_text (stmt, 5);
      round->destroyed_at = vw_vault_column_text (stmt, 6);
      g_ptr_array_add (rounds, round);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&rounds);
}

static gboolean
exec_for_round (VwVault     *self,
                const char  *sql,
                const char  *study,
                const char  *round,
                GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, round);
  return vw_vault_step_done (self, stmt, error);
}

/**
 * vw_vault_destroy_round:
 *
 * Ends a round's retention: deletes its interviews, answers, notes,
 * quotes and consents and its wrapped key, with freed pages zeroed and
 * the journal emptied, so the data cannot be recovered even by someone
 * who holds the vault key and an older copy of the journal's contents.
 * The round itself stays listed, with destroyed_at set.
 */
gboolean
vw_vault_destroy_round (VwVault     *self,
                        const char  *study,
                        const char  *label,
                        GError     **error)
{
  static const char * const deletes[] = {
    "DELETE FROM answers WHERE interview IN (SELECT id FROM interviews WHERE study = ?1 AND round = ?2)",
    "DELETE FROM notes WHERE interview IN (SELECT id FROM interviews WHERE study = ?1 AND round = ?2)",
    "UPDATE episodes SET interview = NULL WHERE interview IN "
    "(SELECT id FROM interviews WHERE study = ?1 AND round = ?2)",
    "DELETE FROM interviews WHERE study = ?1 AND round = ?2",
    "DELETE FROM quotes WHERE study = ?1 AND round = ?2",
    "DELETE FROM consents WHERE study = ?1 AND round = ?2",
  };
  g_autofree char *now = vw_vault_now ();
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_round (self, study, label, error) ||
      !vw_vault_tx_begin (self, error))
    return FALSE;

  for (gsize i = 0; ok && i < G_N_ELEMENTS (deletes); i++)
    ok = exec_for_round (self, deletes[i], study, label, error);
  stmt = ok ? vw_vault_prepare (self, "UPDATE rounds SET wrapped_key = NULL, destroyed_at = ? "
                                      "WHERE study = ? AND label = ?", error) : NULL;
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, now);
      vw_vault_bind_text (stmt, 2, study);
      vw_vault_bind_text (stmt, 3, label);
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error) &&
       vw_vault_audit_append (self, "round_destroyed", label, NULL, error);
  if (!vw_vault_tx_finish (self, ok, error))
    return FALSE;

  vw_vault_forget_round_key (self, study, label);
  /* Old page images live on in the journal until it is checkpointed;
   * TRUNCATE empties it. secure_delete has zeroed the freed pages. */
  return vw_vault_checkpoint (self, error);
}

/**
 * vw_vault_add_interviewer:
 * @training_date: (nullable): YYYY-MM-DD of the training certificate
 *
 * Returns: (transfer full): the interviewer's id
 */
char *
vw_vault_add_interviewer (VwVault            *self,
                          const char         *name,
                          VwInterviewerRole   role,
                          const char         *training_date,
                          GError            **error)
{
  g_autofree char *id = vw_vault_random_id ();
  g_autofree char *now = vw_vault_now ();
  VwValueRef ref = { "interviewers", "name", { id }, 1 };
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_date (training_date, error))
    return NULL;
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("An interviewer needs a name"));
      return NULL;
    }
  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref, name);

  if (!vw_vault_tx_begin (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "INSERT INTO interviewers (id, name, role, training_date, active, created, "
                                 "updated, revision) VALUES (?, ?, ?, ?, 1, ?, ?, 1)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, id);
      vw_vault_bind_bytes (stmt, 2, sealed);
      vw_vault_bind_text (stmt, 3, vw_interviewer_role_to_string (role));
      vw_vault_bind_text (stmt, 4, training_date);
      vw_vault_bind_text (stmt, 5, now);
      vw_vault_bind_text (stmt, 6, now);
    }
  if (!vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                                 vw_vault_audit_append (self, "interviewer_added", id, NULL, error),
                           error))
    return NULL;
  return g_steal_pointer (&id);
}

#define INTERVIEWER_COLUMNS "id, name, role, training_date, active, created, updated, revision"

static VwInterviewer *
interviewer_from_row (VwVault       *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  g_autoptr(VwInterviewer) interviewer = g_new0 (VwInterviewer, 1);
  VwValueRef ref = { "interviewers", "name", { NULL }, 0 };

  interviewer->id = vw_vault_column_text (stmt, 0);
  interviewer->role = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "peer_researcher") == 0
                      ? VW_INTERVIEWER_PEER_RESEARCHER : VW_INTERVIEWER_RESEARCHER;
  interviewer->training_date = vw_vault_column_text (stmt, 3);
  interviewer->active = sqlite3_column_int (stmt, 4) != 0;
  interviewer->created = vw_vault_column_text (stmt, 5);
  interviewer->updated = vw_vault_column_text (stmt, 6);
  interviewer->revision = sqlite3_column_int64 (stmt, 7);
  ref.id[0] = interviewer->id;
  ref.revision = interviewer->revision;
  if (!vw_vault_column_unseal (self, stmt, 1, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref,
                               &interviewer->name, error))
    return NULL;
  return g_steal_pointer (&interviewer);
}

VwInterviewer *
vw_vault_get_interviewer (VwVault     *self,
                          const char  *id,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " INTERVIEWER_COLUMNS " FROM interviewers WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, id);
  return vw_vault_read_one (self, stmt, (VwRowReadFunc) interviewer_from_row, _("interviewer"), id, error);
}

/**
 * vw_vault_list_interviewers:
 *
 * Returns: (transfer full) (element-type VwInterviewer): every
 * interviewer, inactive ones included
 */
GPtrArray *
vw_vault_list_interviewers (VwVault  *self,
                            GError  **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " INTERVIEWER_COLUMNS " FROM interviewers ORDER BY created, id", error);
  if (stmt == NULL)
    return NULL;
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) interviewer_from_row, (GDestroyNotify) vw_interviewer_free, error);
}

/**
 * vw_vault_update_interviewer:
 *
 * Stores name, role, training date and active flag of
 * @interviewer->id.
 */
gboolean
vw_vault_update_interviewer (VwVault              *self,
                             const VwInterviewer  *interviewer,
                             GError              **error)
{
  g_autoptr(VwInterviewer) current = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  VwValueRef ref = { "interviewers", "name", { interviewer->id }, 0 };
  sqlite3_stmt *stmt;

  if (!vw_vault_check_date (interviewer->training_date, error) ||
      (current = vw_vault_get_interviewer (self, interviewer->id, error)) == NULL)
    return FALSE;
  if (interviewer->name == NULL || *interviewer->name == '\0' || !g_utf8_validate (interviewer->name, -1, NULL))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("An interviewer needs a name"));
      return FALSE;
    }
  ref.revision = current->revision + 1;
  sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref, interviewer->name);

  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "UPDATE interviewers SET name = ?, role = ?, training_date = ?, active = ?, "
                                 "updated = ?, revision = ? WHERE id = ? AND revision = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_bytes (stmt, 1, sealed);
      vw_vault_bind_text (stmt, 2, vw_interviewer_role_to_string (interviewer->role));
      vw_vault_bind_text (stmt, 3, interviewer->training_date);
      sqlite3_bind_int (stmt, 4, interviewer->active ? 1 : 0);
      vw_vault_bind_text (stmt, 5, now);
      sqlite3_bind_int64 (stmt, 6, ref.revision);
      vw_vault_bind_text (stmt, 7, interviewer->id);
      sqlite3_bind_int64 (stmt, 8, current->revision);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                                   vw_vault_audit_append (self, "interviewer_changed", interviewer->id, NULL, error),
                             error);
}

/* Unseals column @column of @stmt at @ref and reports a failure. */
void
vw_vault_verify_value (VwVault          *self,
                       sqlite3_stmt     *stmt,
                       int               column,
                       const guint8     *key,
                       const VwValueRef *ref,
                       GPtrArray        *problems)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;

  if (!vw_vault_column_unseal (self, stmt, column, key, ref, &plain, &error))
    vw_vault_add_problem (problems, error);
  if (plain != NULL)
    sodium_memzero (plain, strlen (plain));
}

static void
check_study_row (VwVault      *self,
                 sqlite3_stmt *stmt,
                 GPtrArray    *problems)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *columns[] = { "linkage_key", "export_key" };

  for (int i = 0; i < 2; i++)
    {
      VwValueRef ref = { "studies", columns[i], { id }, 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(VwSecret) key = vw_vault_unseal_secret (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), &ref,
                                                        sqlite3_column_blob (stmt, 1 + i),
                                                        sqlite3_column_bytes (stmt, 1 + i), &error);
      if (key == NULL)
        vw_vault_add_problem (problems, error);
    }
}

static void
check_round_row (VwVault      *self,
                 sqlite3_stmt *stmt,
                 GPtrArray    *problems)
{
  VwValueRef ref = { "rounds", "wrapped_key",
                     { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1) },
                     0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) key = NULL;

  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    return;
  key = vw_vault_unseal_secret (self, vw_vault_subkey (self, VW_SUBKEY_VAULT), &ref,
                                sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2), &error);
  if (key == NULL)
    vw_vault_add_problem (problems, error);
}

static void
check_interviewer_row (VwVault      *self,
                       sqlite3_stmt *stmt,
                       GPtrArray    *problems)
{
  VwValueRef ref = { "interviewers", "name", { (const char *) sqlite3_column_text (stmt, 0) },
                     sqlite3_column_int64 (stmt, 2) };

  vw_vault_verify_value (self, stmt, 1, vw_vault_subkey (self, VW_SUBKEY_STAFF), &ref, problems);
}

static void
check_questionnaire_row (VwVault      *self,
                         sqlite3_stmt *stmt,
                         GPtrArray    *problems)
{
  g_autoptr(GBytes) json = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
  g_autoptr(VwQuestionnaire) questionnaire = vw_questionnaire_new_from_bytes (json, NULL, NULL, NULL);

  if (questionnaire == NULL ||
      g_strcmp0 (vw_questionnaire_get_hash (questionnaire), (const char *) sqlite3_column_text (stmt, 3)) != 0)
    g_ptr_array_add (problems, g_strdup_printf (_("questionnaires/%s/%s: the content does not match its hash"),
                                                sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1)));
}

void
vw_vault_verify_study (VwVault   *self,
                       GPtrArray *problems)
{
  vw_vault_verify_rows (self, "SELECT id, linkage_key, export_key FROM studies", check_study_row, problems);
  vw_vault_verify_rows (self, "SELECT study, label, wrapped_key, destroyed_at FROM rounds", check_round_row, problems);
  vw_vault_verify_rows (self, "SELECT id, name, revision FROM interviewers", check_interviewer_row, problems);
  vw_vault_verify_rows (self, "SELECT id, version, json, sha256 FROM questionnaires", check_questionnaire_row,
                        problems);
}
