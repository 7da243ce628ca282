/* vw-vault-participants.c: participants, what stays fixed over rounds,
 * contact details, residence episodes and consent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-validate.h"
#include "vw-vault-contacts.h"
#include "vw-vault-private.h"
#include "vw-vault-validate.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static gboolean
check_participant_code (const char  *code,
                        GError     **error)
{
  GError *local = NULL;

  return vw_validate_participant_code ("code", code, &local) || vw_vault_invalid (local, error);
}

gboolean
vw_vault_check_participant (VwVault     *self,
                            const char  *study,
                            const char  *code,
                            GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT 1 FROM participants WHERE study = ? AND code = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (self, stmt, error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  return rc == SQLITE_DONE ? vw_vault_not_found (error, _("participant"), code ? code : "") : FALSE;
}

static gboolean
check_pseudonym (const char  *pseudonym,
                 GError     **error)
{
  GError *local = NULL;

  return vw_validate_pseudonym (pseudonym, &local) || vw_vault_invalid (local, error);
}

char *
vw_vault_pseudonym_owner (VwVault     *self,
                          const char  *study,
                          GBytes      *index,
                          GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (self, "SELECT code FROM participants WHERE study = ? AND pseudonym_index = ?",
                                         error);
  char *code = NULL;

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_bytes (stmt, 2, index);
  if (vw_vault_step (self, stmt, error) == SQLITE_ROW)
    code = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return code;
}

static gboolean
duplicate_pseudonym (const char  *owner,
                     GError     **error)
{
  g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_DUPLICATE_PSEUDONYM,
               _("This pseudonym is already used in this study, by participant %s; choose another"), owner);
  return FALSE;
}

/**
 * vw_vault_pseudonym_available:
 * @except_code: (nullable): the participant being renamed, who may keep
 *   his own pseudonym
 *
 * One indexed query, cheap enough to run on every key press.
 *
 * Returns: %TRUE when no other participant of @study has a pseudonym that
 * reads the same (case, Unicode form and spaces ignored)
 */
gboolean
vw_vault_pseudonym_available (VwVault     *self,
                              const char  *study,
                              const char  *pseudonym,
                              const char  *except_code,
                              GError     **error)
{
  g_autoptr(GBytes) index = NULL;
  g_autofree char *owner = NULL;
  GError *local = NULL;

  if (!vw_vault_require_unlocked (self, error) || !check_pseudonym (pseudonym, error))
    return FALSE;
  index = vw_vault_blind_index (self, study, pseudonym);
  owner = vw_vault_pseudonym_owner (self, study, index, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return owner == NULL || g_strcmp0 (owner, except_code) == 0;
}

static char *
new_participant_code (const char *region)
{
  GString *code = g_string_new (region);

  g_string_append_c (code, '-');
  for (int i = 0; i < 5; i++)
    g_string_append_c (code, crockford[randombytes_uniform (32)]);
  return g_string_free (code, FALSE);
}

static gboolean
region_in_study (VwVault     *self,
                 const char  *study,
                 const char  *region,
                 GError     **error)
{
  g_autoptr(VwStudy) s = vw_vault_get_study (self, study, error);
  GError *local = NULL;

  if (s == NULL)
    return FALSE;
  return vw_validate_region (region, (const char * const *) s->regions, &local) || vw_vault_invalid (local, error);
}

/**
 * vw_vault_create_participant:
 * @code: (nullable): the participant code, for records made elsewhere;
 *   %NULL makes a new random one in @region
 *
 * Returns: (transfer full): the new participant; DUPLICATE_PSEUDONYM when
 * the pseudonym is taken, EXISTS when the code is
 */
VwParticipant *
vw_vault_create_participant (VwVault     *self,
                             const char  *study,
                             const char  *code,
                             const char  *pseudonym,
                             const char  *region,
                             GError     **error)
{
  g_autoptr(VwParticipant) participant = NULL;
  g_autoptr(GBytes) index = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *new_code = NULL;
  g_autofree char *now = vw_vault_now ();
  GError *local = NULL;
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_region (region, error) ||
      !check_pseudonym (pseudonym, error) || (code != NULL && !check_participant_code (code, error)) ||
      !region_in_study (self, study, region, error))
    return NULL;

  index = vw_vault_blind_index (self, study, pseudonym);
  owner = vw_vault_pseudonym_owner (self, study, index, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (owner != NULL)
    {
      duplicate_pseudonym (owner, error);
      return NULL;
    }

  /* 32^5 codes per region: retry the rare collision with a new draw. */
  for (int attempt = 0; code == NULL && attempt < 100; attempt++)
    {
      g_autofree char *candidate = new_participant_code (region);
      g_autoptr(GError) missing = NULL;

      if (!vw_vault_check_participant (self, study, candidate, &missing) &&
          g_error_matches (missing, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
        new_code = g_steal_pointer (&candidate);
      else if (missing != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&missing));
          return NULL;
        }
      if (new_code != NULL)
        break;
    }
  if (code == NULL)
    code = new_code;
  if (code == NULL)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS,
                   _("No free participant code is left in region %s"), region);
      return NULL;
    }

  {
    VwValueRef ref = { "participants", "pseudonym", { study, code }, 1 };
    sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, pseudonym);
  }

  if (!vw_vault_tx_begin (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "INSERT INTO participants (study, code, pseudonym, pseudonym_index, region, "
                                 "created, updated, revision, device) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_bytes (stmt, 3, sealed);
      vw_vault_bind_bytes (stmt, 4, index);
      vw_vault_bind_text (stmt, 5, region);
      vw_vault_bind_text (stmt, 6, now);
      vw_vault_bind_text (stmt, 7, now);
      vw_vault_bind_text (stmt, 8, self->device_id);
    }
  if (stmt == NULL || !vw_vault_step_done (self, stmt, &local) ||
      !vw_vault_audit_append (self, "participant_created", code, NULL, &local))
    {
      vw_vault_tx_rollback (self);
      if (local != NULL && g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID))
        {
          g_clear_error (&local);
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_EXISTS,
                       _("Participant %s already exists in this study"), code);
        }
      else if (local != NULL)
        g_propagate_error (error, local);
      return NULL;
    }
  if (!vw_vault_tx_commit (self, error))
    return NULL;

  participant = g_new0 (VwParticipant, 1);
  participant->study = g_strdup (study);
  participant->code = g_strdup (code);
  participant->pseudonym = g_strdup (pseudonym);
  participant->region = g_strdup (region);
  participant->created = g_strdup (now);
  participant->updated = g_strdup (now);
  participant->revision = 1;
  participant->device = g_strdup (self->device_id);
  return g_steal_pointer (&participant);
}

#define PARTICIPANT_COLUMNS "study, code, pseudonym, region, created, updated, revision, device, seq"

static VwParticipant *
participant_from_row (VwVault       *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  g_autoptr(VwParticipant) p = g_new0 (VwParticipant, 1);
  VwValueRef ref = { "participants", "pseudonym", { NULL }, 0 };

  p->study = vw_vault_column_text (stmt, 0);
  p->code = vw_vault_column_text (stmt, 1);
  p->region = vw_vault_column_text (stmt, 3);
  p->created = vw_vault_column_text (stmt, 4);
  p->updated = vw_vault_column_text (stmt, 5);
  p->revision = sqlite3_column_int64 (stmt, 6);
  p->device = vw_vault_column_text (stmt, 7);
  p->seq = sqlite3_column_int64 (stmt, 8);
  ref.id[0] = p->study;
  ref.id[1] = p->code;
  ref.revision = p->revision;
  if (!vw_vault_column_unseal (self, stmt, 2, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref,
                               &p->pseudonym, error))
    return NULL;
  return g_steal_pointer (&p);
}

VwParticipant *
vw_vault_get_participant (VwVault     *self,
                          const char  *study,
                          const char  *code,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants WHERE study = ? AND code = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  return vw_vault_read_one (self, stmt, (VwRowReadFunc) participant_from_row, _("participant"), code, error);
}

/**
 * vw_vault_list_participants:
 *
 * Returns: (transfer full) (element-type VwParticipant): the study's
 * participants by code
 */
GPtrArray *
vw_vault_list_participants (VwVault     *self,
                            const char  *study,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants WHERE study = ? ORDER BY code",
                           error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) participant_from_row, (GDestroyNotify) vw_participant_free, error);
}

gboolean
vw_vault_set_pseudonym (VwVault     *self,
                        const char  *study,
                        const char  *code,
                        const char  *pseudonym,
                        GError     **error)
{
  g_autoptr(VwParticipant) current = NULL;
  g_autoptr(GBytes) index = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *now = vw_vault_now ();
  GError *local = NULL;
  sqlite3_stmt *stmt;

  if (!check_pseudonym (pseudonym, error) || (current = vw_vault_get_participant (self, study, code, error)) == NULL)
    return FALSE;
  index = vw_vault_blind_index (self, study, pseudonym);
  owner = vw_vault_pseudonym_owner (self, study, index, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (owner != NULL && g_strcmp0 (owner, code) != 0)
    return duplicate_pseudonym (owner, error);

  {
    VwValueRef ref = { "participants", "pseudonym", { study, code }, vw_vault_next_revision (current->revision) };
    sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, pseudonym);
  }
  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "UPDATE participants SET pseudonym = ?, pseudonym_index = ?, updated = ?, "
                                 "revision = ?, device = ? WHERE study = ? AND code = ? AND revision = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_bytes (stmt, 1, sealed);
      vw_vault_bind_bytes (stmt, 2, index);
      vw_vault_bind_text (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, vw_vault_next_revision (current->revision));
      vw_vault_bind_text (stmt, 5, self->device_id);
      vw_vault_bind_text (stmt, 6, study);
      vw_vault_bind_text (stmt, 7, code);
      sqlite3_bind_int64 (stmt, 8, current->revision);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                             vw_vault_audit_append (self, "participant_changed", code, "pseudonym", error),
                       error);
}

/**
 * vw_vault_delete_participant:
 *
 * Erases a participant and everything about them (interviews, answers,
 * notes, quotes, episodes, consents, contact details), e.g. when consent
 * is withdrawn with a request for erasure.
 */
gboolean
vw_vault_delete_participant (VwVault     *self,
                             const char  *study,
                             const char  *code,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_participant (self, study, code, error) ||
      !vw_vault_tx_begin (self, error))
    return FALSE;
  /* The foreign keys cascade to every table that names the participant. */
  stmt = vw_vault_prepare (self, "DELETE FROM participants WHERE study = ? AND code = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                             vw_vault_audit_append (self, "participant_deleted", code, NULL, error),
                       error);
}

/**
 * vw_vault_set_participant_value:
 * @variable: a participant variable of the codebook (section 2), or a
 *   question with participant scope of the study's questionnaire
 * @value: (nullable): the value; %NULL removes it
 *
 * Checked by vw_validate_participant_value(); anything else is refused
 * with INVALID.
 */
gboolean
vw_vault_set_participant_value (VwVault     *self,
                                const char  *study,
                                const char  *code,
                                const char  *variable,
                                const char  *value,
                                GError     **error)
{
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  sqlite3_stmt *stmt;
  gint64 revision;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) ||
      !vw_vault_validate_participant_value (self, study, variable, value, error) ||
      !vw_vault_check_participant (self, study, code, error) || !vw_vault_tx_begin (self, error))
    return FALSE;

  revision = vw_vault_row_revision (self, "SELECT revision FROM participant_values WHERE study = ? AND code = ? "
                                     "AND variable = ?", study, code, variable, NULL, error);
  if (revision < 0)
    return vw_vault_tx_finish (self, FALSE, error);

  if (value == NULL)
    {
      stmt = vw_vault_prepare (self, "DELETE FROM participant_values WHERE study = ? AND code = ? AND variable = ?",
                               error);
      if (stmt != NULL)
        {
          vw_vault_bind_text (stmt, 1, study);
          vw_vault_bind_text (stmt, 2, code);
          vw_vault_bind_text (stmt, 3, variable);
        }
    }
  else
    {
      VwValueRef ref = { "participant_values", "value", { study, code, variable }, vw_vault_next_revision (revision) };

      sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, value);
      stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO participant_values (study, code, variable, value, "
                                     "revision, updated, device) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt != NULL)
        {
          vw_vault_bind_text (stmt, 1, study);
          vw_vault_bind_text (stmt, 2, code);
          vw_vault_bind_text (stmt, 3, variable);
          vw_vault_bind_bytes (stmt, 4, sealed);
          sqlite3_bind_int64 (stmt, 5, vw_vault_next_revision (revision));
          vw_vault_bind_text (stmt, 6, now);
          vw_vault_bind_text (stmt, 7, self->device_id);
        }
    }
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error) &&
       vw_vault_audit_append (self, "participant_changed", code, variable, error);
  return vw_vault_tx_finish (self, ok, error);
}

/**
 * vw_vault_get_participant_value:
 *
 * Returns: (transfer full) (nullable): the value, or %NULL without an
 * error when it is not recorded
 */
char *
vw_vault_get_participant_value (VwVault     *self,
                                const char  *study,
                                const char  *code,
                                const char  *variable,
                                GError     **error)
{
  VwValueRef ref = { "participant_values", "value", { study, code, variable }, 0 };
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT value, revision FROM participant_values WHERE study = ? AND code = ? "
                                 "AND variable = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  vw_vault_bind_text (stmt, 3, variable);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      ref.revision = sqlite3_column_int64 (stmt, 1);
      vw_vault_column_unseal (self, stmt, 0, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, &value, error);
    }
  sqlite3_reset (stmt);
  return value;
}

/**
 * vw_vault_list_participant_values:
 *
 * Returns: (transfer full) (element-type utf8 utf8): variable -> value
 */
GHashTable *
vw_vault_list_participant_values (VwVault     *self,
                                  const char  *study,
                                  const char  *code,
                                  GError     **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT variable, value, revision FROM participant_values "
                                 "WHERE study = ? AND code = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      char *variable = vw_vault_column_text (stmt, 0);
      VwValueRef ref = { "participant_values", "value", { study, code, variable }, sqlite3_column_int64 (stmt, 2) };
      char *value = NULL;

      if (!vw_vault_column_unseal (self, stmt, 1, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, &value,
                                   error))
        {
          g_free (variable);
          sqlite3_reset (stmt);
          return NULL;
        }
      g_hash_table_insert (values, variable, value);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&values);
}

void
vw_contact_free (VwContact *contact)
{
  if (contact == NULL)
    return;
  g_free (contact->phone);
  g_free (contact->usual_place);
  g_free (contact->care_contact);
  g_free (contact->real_name);
  g_free (contact->remarks);
  g_free (contact);
}

/**
 * vw_vault_set_contact:
 *
 * Stores a participant's contact details, encrypted under their own
 * subkey. Readable only through vw_vault-contacts.h.
 */
gboolean
vw_vault_set_contact (VwVault          *self,
                      const char       *study,
                      const char       *code,
                      const VwContact  *contact,
                      GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(VwWipedString) json = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed = NULL;
  const char *fields[] = { "phone", "usual_place", "care_contact", "real_name", "remarks" };
  const char *values[] = { contact->phone, contact->usual_place, contact->care_contact, contact->real_name,
                           contact->remarks };
  sqlite3_stmt *stmt;
  gint64 revision;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_check_participant (self, study, code, error))
    return FALSE;
  json_builder_begin_object (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (values[i] != NULL)
      {
        if (!g_utf8_validate (values[i], -1, NULL))
          {
            g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                                 _("Contact details must be valid text"));
            return FALSE;
          }
        json_builder_set_member_name (builder, fields[i]);
        json_builder_add_string_value (builder, values[i]);
      }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  revision = vw_vault_row_revision (self, "SELECT revision FROM contacts WHERE study = ? AND code = ?", study, code,
                               NULL, NULL, error);
  if (revision < 0)
    return vw_vault_tx_finish (self, FALSE, error);
  {
    VwValueRef ref = { "contacts", "details", { study, code }, revision + 1 };
    sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_CONTACT), &ref, json);
  }
  stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO contacts (study, code, details, revision, updated) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_bytes (stmt, 3, sealed);
      sqlite3_bind_int64 (stmt, 4, revision + 1);
      vw_vault_bind_text (stmt, 5, now);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                             vw_vault_audit_append (self, "contact_changed", code, NULL, error),
                       error);
}

static VwContact *
contact_from_json (const char  *json,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  VwContact *contact;
  JsonObject *object;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT, _("Stored contact details are damaged"));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  contact = g_new0 (VwContact, 1);
  contact->phone = g_strdup (json_object_get_string_member_with_default (object, "phone", NULL));
  contact->usual_place = g_strdup (json_object_get_string_member_with_default (object, "usual_place", NULL));
  contact->care_contact = g_strdup (json_object_get_string_member_with_default (object, "care_contact", NULL));
  contact->real_name = g_strdup (json_object_get_string_member_with_default (object, "real_name", NULL));
  contact->remarks = g_strdup (json_object_get_string_member_with_default (object, "remarks", NULL));
  return contact;
}

/**
 * vw_vault_get_contact:
 *
 * Returns: (transfer full) (nullable): the contact details, or %NULL
 * without an error when none are recorded
 */
VwContact *
vw_vault_get_contact (VwVault     *self,
                      const char  *study,
                      const char  *code,
                      GError     **error)
{
  VwValueRef ref = { "contacts", "details", { study, code }, 0 };
  g_auto(VwWipedString) json = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT details, revision FROM contacts WHERE study = ? AND code = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      ref.revision = sqlite3_column_int64 (stmt, 1);
      ok = vw_vault_column_unseal (self, stmt, 0, vw_vault_subkey (self, VW_SUBKEY_CONTACT), &ref, &json, error);
    }
  sqlite3_reset (stmt);
  return ok && json != NULL ? contact_from_json (json, error) : NULL;
}

gboolean
vw_vault_delete_contact (VwVault     *self,
                         const char  *study,
                         const char  *code,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "DELETE FROM contacts WHERE study = ? AND code = ?", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                             vw_vault_audit_append (self, "contact_deleted", code, NULL, error),
                       error);
}

static gboolean
check_episode (VwVault          *self,
               const VwEpisode  *episode,
               GError          **error)
{
  GError *local = NULL;

  if (!vw_validate_episode (episode->start, episode->end, episode->residence, &local))
    return vw_vault_invalid (local, error);
  if (episode->interview != NULL)
    {
      g_autoptr(VwInterview) interview = vw_vault_get_interview (self, episode->interview, error);

      if (interview == NULL)
        return FALSE;
      if (g_strcmp0 (interview->study, episode->study) != 0 || g_strcmp0 (interview->code, episode->code) != 0)
        {
          g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                               _("The episode and its interview belong to different participants"));
          return FALSE;
        }
    }
  return vw_vault_check_participant (self, episode->study, episode->code, error);
}

char *
vw_vault_episode_json (const char *start,
                       const char *end,
                       const char *residence)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, start);
  json_builder_set_member_name (builder, "end");
  if (end != NULL)
    json_builder_add_string_value (builder, end);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "residence");
  json_builder_add_string_value (builder, residence);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Seals and writes an episode with @revision, and audits it; the caller
 * holds the transaction. */
gboolean
vw_vault_write_episode (VwVault          *self,
                        const char       *id,
                        const VwEpisode  *episode,
                        gint64            revision,
                        gboolean          insert,
                        GError          **error)
{
  g_auto(VwWipedString) json = vw_vault_episode_json (episode->start, episode->end, episode->residence);
  g_autofree char *now = vw_vault_now ();
  VwValueRef ref = { "episodes", "data", { id, episode->study, episode->code }, revision };
  g_autoptr(GBytes) sealed = vw_vault_seal_string (self, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, json);
  sqlite3_stmt *stmt;
  gint64 seq;

  stmt = vw_vault_prepare (self, insert
                           ? "INSERT INTO episodes (data, interview, revision, updated, id, study, code, device, seq) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                           : "UPDATE episodes SET data = ?1, interview = ?2, revision = ?3, updated = ?4, device = ?8, "
                             "seq = ?9 WHERE id = ?5 AND study = ?6 AND code = ?7", error);
  if (stmt == NULL || !vw_vault_next_seq (self, &seq, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 9, seq);
  vw_vault_bind_bytes (stmt, 1, sealed);
  vw_vault_bind_text (stmt, 2, episode->interview);
  sqlite3_bind_int64 (stmt, 3, revision);
  vw_vault_bind_text (stmt, 4, now);
  vw_vault_bind_text (stmt, 5, id);
  vw_vault_bind_text (stmt, 6, episode->study);
  vw_vault_bind_text (stmt, 7, episode->code);
  vw_vault_bind_text (stmt, 8, self->device_id);
  return vw_vault_step_done (self, stmt, error) &&
         vw_vault_audit_append (self, insert ? "episode_added" : "episode_changed", episode->code, NULL, error);
}

/**
 * vw_vault_add_episode:
 * @episode: study, code, start, end (nullable), residence, interview
 *   (nullable); id, updated and revision are ignored
 *
 * Returns: (transfer full): the new episode's id
 */
char *
vw_vault_add_episode (VwVault          *self,
                      const VwEpisode  *episode,
                      GError          **error)
{
  g_autofree char *id = vw_vault_random_id ();

  if (!vw_vault_require_unlocked (self, error) || !check_episode (self, episode, error) ||
      !vw_vault_tx_begin (self, error))
    return NULL;
  if (!vw_vault_tx_finish (self, vw_vault_write_episode (self, id, episode, 1, TRUE, error), error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
vw_vault_update_episode (VwVault          *self,
                         const VwEpisode  *episode,
                         GError          **error)
{
  gint64 revision;

  if (!vw_vault_require_unlocked (self, error) || !check_episode (self, episode, error) ||
      !vw_vault_tx_begin (self, error))
    return FALSE;
  revision = vw_vault_row_revision (self, "SELECT revision FROM episodes WHERE id = ? AND study = ? AND code = ?",
                               episode->id, episode->study, episode->code, NULL, error);
  if (revision == 0)
    vw_vault_not_found (error, _("episode"), episode->id ? episode->id : "");
  return vw_vault_tx_finish (self, revision > 0 && vw_vault_write_episode (self, episode->id, episode,
                                                                          vw_vault_next_revision (revision), FALSE,
                                                                          error),
                       error);
}

gboolean
vw_vault_delete_episode (VwVault     *self,
                         const char  *id,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!vw_vault_require_unlocked (self, error) || !vw_vault_tx_begin (self, error))
    return FALSE;
  stmt = vw_vault_prepare (self, "DELETE FROM episodes WHERE id = ?", error);
  if (stmt != NULL)
    vw_vault_bind_text (stmt, 1, id);
  ok = stmt != NULL && vw_vault_step_done (self, stmt, error);
  if (ok && vw_vault_changes (self) == 0)
    ok = vw_vault_not_found (error, _("episode"), id);
  return vw_vault_tx_finish (self, ok && vw_vault_audit_append (self, "episode_deleted", id, NULL, error), error);
}

/* Reads "id, study, code, data, interview, revision, updated, device, seq". */
VwEpisode *
vw_vault_episode_from_row (VwVault       *self,
                           sqlite3_stmt  *stmt,
                           GError       **error)
{
  g_autoptr(VwEpisode) episode = g_new0 (VwEpisode, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(VwWipedString) json = NULL;
  VwValueRef ref = { "episodes", "data", { NULL }, 0 };
  JsonObject *object;

  episode->id = vw_vault_column_text (stmt, 0);
  episode->study = vw_vault_column_text (stmt, 1);
  episode->code = vw_vault_column_text (stmt, 2);
  episode->interview = vw_vault_column_text (stmt, 4);
  episode->revision = sqlite3_column_int64 (stmt, 5);
  episode->updated = vw_vault_column_text (stmt, 6);
  episode->device = vw_vault_column_text (stmt, 7);
  episode->seq = sqlite3_column_int64 (stmt, 8);
  ref.id[0] = episode->id;
  ref.id[1] = episode->study;
  ref.id[2] = episode->code;
  ref.revision = episode->revision;
  if (!vw_vault_column_unseal (self, stmt, 3, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, &json, error))
    return NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT, _("Episode %s is damaged"), episode->id);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  episode->start = g_strdup (json_object_get_string_member_with_default (object, "start", NULL));
  episode->end = g_strdup (json_object_get_string_member_with_default (object, "end", NULL));
  episode->residence = g_strdup (json_object_get_string_member_with_default (object, "residence", NULL));
  return g_steal_pointer (&episode);
}

static int
compare_episodes (gconstpointer a,
                  gconstpointer b)
{
  const VwEpisode *ea = *(const VwEpisode * const *) a;
  const VwEpisode *eb = *(const VwEpisode * const *) b;

  return g_strcmp0 (ea->start, eb->start);
}

/**
 * vw_vault_list_episodes:
 *
 * Returns: (transfer full) (element-type VwEpisode): the participant's
 * episodes by start month
 */
GPtrArray *
vw_vault_list_episodes (VwVault     *self,
                        const char  *study,
                        const char  *code,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_episode_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT id, study, code, data, interview, revision, updated, device, seq "
                                 "FROM episodes WHERE study = ? AND code = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  while ((rc = vw_vault_step (self, stmt, error)) == SQLITE_ROW)
    {
      VwEpisode *episode = vw_vault_episode_from_row (self, stmt, error);

      if (episode == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, episode);
    }
  if (rc < 0)
    return NULL;
  /* Sorted after decryption: the months are encrypted. */
  g_ptr_array_sort (list, compare_episodes);
  return g_steal_pointer (&list);
}

/**
 * vw_vault_set_consent:
 * @purpose: "research" or "wmo_linkage"
 * @value: "ja", "nee" or "ingetrokken"
 * @date: (nullable): YYYY-MM-DD
 *
 * Records consent for one purpose in one round, under the round's key.
 */
gboolean
vw_vault_set_consent (VwVault     *self,
                      const char  *study,
                      const char  *code,
                      const char  *round,
                      const char  *purpose,
                      const char  *value,
                      const char  *date,
                      GError     **error)
{
  g_autofree char *now = vw_vault_now ();
  g_autoptr(GBytes) sealed_value = NULL;
  g_autoptr(GBytes) sealed_date = NULL;
  const guint8 *key;
  sqlite3_stmt *stmt;
  gint64 revision;
  GError *local = NULL;

  if (!vw_vault_require_unlocked (self, error))
    return FALSE;
  if (!vw_validate_consent (purpose, value, date, &local))
    return vw_vault_invalid (local, error);
  if (!vw_vault_check_participant (self, study, code, error) ||
      (key = vw_vault_round_key (self, study, round, error)) == NULL || !vw_vault_tx_begin (self, error))
    return FALSE;

  revision = vw_vault_row_revision (self, "SELECT revision FROM consents WHERE study = ? AND code = ? AND round = ? "
                                     "AND purpose = ?", study, code, round, purpose, error);
  if (revision < 0)
    return vw_vault_tx_finish (self, FALSE, error);
  revision = vw_vault_next_revision (revision);
  {
    VwValueRef value_ref = { "consents", "value", { study, code, round, purpose }, revision };
    VwValueRef date_ref = { "consents", "date", { study, code, round, purpose }, revision };
    sealed_value = vw_vault_seal_string (self, key, &value_ref, value);
    sealed_date = vw_vault_seal_string (self, key, &date_ref, date);
  }
  stmt = vw_vault_prepare (self, "INSERT OR REPLACE INTO consents (study, code, round, purpose, value, date, "
                                 "revision, updated, device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, code);
      vw_vault_bind_text (stmt, 3, round);
      vw_vault_bind_text (stmt, 4, purpose);
      vw_vault_bind_bytes (stmt, 5, sealed_value);
      vw_vault_bind_bytes (stmt, 6, sealed_date);
      sqlite3_bind_int64 (stmt, 7, revision);
      vw_vault_bind_text (stmt, 8, now);
      vw_vault_bind_text (stmt, 9, self->device_id);
    }
  return vw_vault_tx_finish (self, stmt != NULL && vw_vault_step_done (self, stmt, error) &&
                             vw_vault_audit_append (self, "consent_recorded", code, round, error),
                       error);
}

static VwConsent *
consent_from_row (VwVault       *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(VwConsent) consent = g_new0 (VwConsent, 1);
  const guint8 *key;

  consent->study = vw_vault_column_text (stmt, 0);
  consent->code = vw_vault_column_text (stmt, 1);
  consent->round = vw_vault_column_text (stmt, 2);
  consent->purpose = vw_vault_column_text (stmt, 3);
  consent->revision = sqlite3_column_int64 (stmt, 6);
  consent->updated = vw_vault_column_text (stmt, 7);
  consent->device = vw_vault_column_text (stmt, 8);
  consent->seq = sqlite3_column_int64 (stmt, 9);
  key = vw_vault_round_key (self, consent->study, consent->round, error);
  if (key == NULL)
    return NULL;
  {
    VwValueRef value_ref = { "consents", "value", { consent->study, consent->code, consent->round, consent->purpose },
                             consent->revision };
    VwValueRef date_ref = { "consents", "date", { consent->study, consent->code, consent->round, consent->purpose },
                            consent->revision };
    if (!vw_vault_column_unseal (self, stmt, 4, key, &value_ref, &consent->value, error) ||
        !vw_vault_column_unseal (self, stmt, 5, key, &date_ref, &consent->date, error))
      return NULL;
  }
  return g_steal_pointer (&consent);
}

#define CONSENT_COLUMNS "study, code, round, purpose, value, date, revision, updated, device, seq"

/**
 * vw_vault_list_consents:
 *
 * Returns: (transfer full) (element-type VwConsent): the participant's
 * consent records of rounds that are not destroyed, by round
 */
GPtrArray *
vw_vault_list_consents (VwVault     *self,
                        const char  *study,
                        const char  *code,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (self, error))
    return NULL;
  stmt = vw_vault_prepare (self, "SELECT c.study, c.code, c.round, c.purpose, c.value, c.date, c.revision, "
                                 "c.updated, c.device, c.seq FROM consents c "
                                 "JOIN rounds r ON r.study = c.study AND r.label = c.round "
                                 "WHERE c.study = ? AND c.code = ? ORDER BY r.position, c.purpose", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  return vw_vault_collect_rows (self, stmt, (VwRowReadFunc) consent_from_row, (GDestroyNotify) vw_consent_free, error);
}


static void
check_participant_row (VwVault      *self,
                       sqlite3_stmt *stmt,
                       GPtrArray    *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = participant_from_row (self, stmt, &error);

  if (p == NULL)
    {
      vw_vault_add_problem (problems, error);
      return;
    }
  {
    g_autoptr(GBytes) index = vw_vault_blind_index (self, p->study, p->pseudonym);
    g_autoptr(GBytes) stored = g_bytes_new (sqlite3_column_blob (stmt, 9), sqlite3_column_bytes (stmt, 9));

    if (!g_bytes_equal (index, stored))
      g_ptr_array_add (problems, g_strdup_printf (_("participants/%s/%s: the pseudonym index does not match"),
                                                  p->study, p->code));
  }
}

static void
check_value_row (VwVault      *self,
                 sqlite3_stmt *stmt,
                 GPtrArray    *problems)
{
  VwValueRef ref = { "participant_values", "value",
                     { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                       (const char *) sqlite3_column_text (stmt, 2) },
                     sqlite3_column_int64 (stmt, 4) };

  vw_vault_verify_value (self, stmt, 3, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, problems);
}

static void
check_contact_row (VwVault      *self,
                   sqlite3_stmt *stmt,
                   GPtrArray    *problems)
{
  VwValueRef ref = { "contacts", "details",
                     { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1) },
                     sqlite3_column_int64 (stmt, 3) };

  vw_vault_verify_value (self, stmt, 2, vw_vault_subkey (self, VW_SUBKEY_CONTACT), &ref, problems);
}

/* The coordinator's decisions on duplicates (vw_exchange_decide_duplicates). */
static void
check_decision_row (VwVault      *self,
                    sqlite3_stmt *stmt,
                    GPtrArray    *problems)
{
  VwValueRef ref = { "duplicate_decisions", "decision",
                     { (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                       (const char *) sqlite3_column_text (stmt, 2), NULL },
                     0 };

  vw_vault_verify_value (self, stmt, 3, vw_vault_subkey (self, VW_SUBKEY_PARTICIPANT), &ref, problems);
}

void
vw_vault_verify_participants (VwVault   *self,
                              GPtrArray *problems)
{
  vw_vault_verify_rows (self, "SELECT " PARTICIPANT_COLUMNS ", pseudonym_index FROM participants",
                        check_participant_row, problems);
  vw_vault_verify_rows (self, "SELECT study, code, variable, value, revision FROM participant_values",
                        check_value_row, problems);
  vw_vault_verify_rows (self, "SELECT study, code, details, revision FROM contacts", check_contact_row, problems);
  vw_vault_verify_rows (self, "SELECT study, lower (hex (linkage_hash)), codes, decision FROM duplicate_decisions",
                        check_decision_row, problems);
  vw_vault_verify_readable (self, "SELECT id, study, code, data, interview, revision, updated, device, seq "
                                  "FROM episodes",
                            (VwRowReadFunc) vw_vault_episode_from_row, (GDestroyNotify) vw_episode_free, problems);
  vw_vault_verify_readable (self, "SELECT " CONSENT_COLUMNS " FROM consents", (VwRowReadFunc) consent_from_row,
                            (GDestroyNotify) vw_consent_free, problems);
}
