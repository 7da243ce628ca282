/* vw-study.c: study setup, enrolment, invitations, trust and linkage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-fingerprint.h"
#include "vw-linkage.h"
#include "vw-study.h"
#include "vw-vault-tracing.h"
#include "vw-vault-private.h"
#include "vw-vault-validate.h"

G_DEFINE_QUARK (vw-study-error-quark, vw_study_error)

/* @study by id, then by name; %NULL picks the newest study, or with
 * @strict only the vault's one study. */
static char *
resolve (VwVault     *vault,
         const char  *study,
         gboolean     strict,
         GError     **error)
{
  g_autoptr(GPtrArray) studies = vw_vault_list_studies (vault, error);

  if (studies == NULL)
    return NULL;
  /* An id first, then a name: ids are unique, names only by habit. */
  for (int by_name = 0; study != NULL && by_name <= 1; by_name++)
    for (guint i = 0; i < studies->len; i++)
      {
        VwStudy *s = g_ptr_array_index (studies, i);

        if (g_strcmp0 (by_name ? s->name : s->id, study) == 0)
          return g_strdup (s->id);
      }
  if (study != NULL)
    g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("This vault holds no study “%s”"), study);
  else if (studies->len == 0)
    g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("This vault holds no study yet"));
  else if (strict && studies->len > 1)
    g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_AMBIGUOUS,
                 _("This vault holds %u studies; say which one"), studies->len);
  else
    {
      /* Newest by the order of insertion: two studies set up within the
       * same second have the same created time. */
      sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT id FROM studies ORDER BY created DESC, rowid DESC LIMIT 1",
                                             error);
      char *id = NULL;

      if (stmt != NULL && vw_vault_step (vault, stmt, error) == SQLITE_ROW)
        id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (stmt != NULL)
        sqlite3_reset (stmt);
      return id;
    }
  return NULL;
}

char *
vw_study_resolve (VwVault     *vault,
                  const char  *study,
                  GError     **error)
{
  return resolve (vault, study, FALSE, error);
}

char *
vw_study_resolve_strict (VwVault     *vault,
                         const char  *study,
                         GError     **error)
{
  return resolve (vault, study, TRUE, error);
}

gboolean
vw_study_set_definition (VwVault     *vault,
                         const char  *study,
                         const char  *name,
                         GBytes      *questionnaire,
                         GError     **error)
{
  g_autofree char *q_id = NULL, *q_version = NULL, *q_sha = NULL;
  g_autoptr(GPtrArray) interviews = NULL;
  g_autoptr(GBytes) stored = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_study (vault, study, error))
    return FALSE;
  if (name != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (name));

      if (*trimmed == '\0' || !g_utf8_validate (name, -1, NULL))
        {
          g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("A study needs a name"));
          return FALSE;
        }
    }
  if (questionnaire != NULL)
    {
      if ((interviews = vw_vault_list_interviews (vault, study, NULL, NULL, error)) == NULL)
        return FALSE;
      if (interviews->len > 0)
        {
          g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_NOT_ALLOWED,
                               _("The study has interviews already: its questionnaire can no longer change"));
          return FALSE;
        }
    }
  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  if (questionnaire != NULL)
    {
      ok = vw_vault_add_questionnaire (vault, questionnaire, &q_id, &q_version, error) &&
           (stored = vw_vault_get_questionnaire (vault, q_id, q_version, &q_sha, error)) != NULL &&
           (stmt = vw_vault_prepare (vault, "UPDATE studies SET questionnaire_id = ?, questionnaire_version = ?, "
                                            "questionnaire_sha256 = ? WHERE id = ?", error)) != NULL;
      if (ok)
        {
          vw_vault_bind_text (stmt, 1, q_id);
          vw_vault_bind_text (stmt, 2, q_version);
          vw_vault_bind_text (stmt, 3, q_sha);
          vw_vault_bind_text (stmt, 4, study);
          ok = vw_vault_step_done (vault, stmt, error) &&
               vw_vault_audit_append (vault, "study_questionnaire_set", study, q_version, error);
        }
    }
  if (ok && name != NULL)
    {
      ok = (stmt = vw_vault_prepare (vault, "UPDATE studies SET name = ? WHERE id = ?", error)) != NULL;
      if (ok)
        {
          vw_vault_bind_text (stmt, 1, name);
          vw_vault_bind_text (stmt, 2, study);
          ok = vw_vault_step_done (vault, stmt, error) &&
               vw_vault_audit_append (vault, "study_renamed", study, NULL, error);
        }
    }
  return vw_vault_tx_finish (vault, ok, error);
}

/* Adds @canonical to @study's recipients, with an audit entry when it
 * was not there yet, in the caller's transaction. */
static gboolean
insert_recipient (VwVault     *vault,
                  const char  *study,
                  const char  *canonical,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = vw_vault_prepare (vault, "INSERT OR IGNORE INTO study_recipients (study, recipient) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, canonical);
  if (!vw_vault_step_done (vault, stmt, error))
    return FALSE;
  return vw_vault_changes (vault) == 0 ||
         vw_vault_audit_append (vault, "study_recipient_added", study, canonical, error);
}

/* A coordinator's laptop must be able to open the submissions of its
 * study: its own recipient is among the study's, or the study has none
 * yet (an invitation then names this laptop alone). */
static gboolean
check_coordinator_reads (VwVault     *vault,
                         const char  *study,
                         GError     **error)
{
  g_autoptr(VwStudy) info = vw_vault_get_study (vault, study, error);
  g_auto(GStrv) recipients = NULL;
  g_autofree char *own = NULL;

  if (info == NULL)
    return FALSE;
  if (info->role != VW_STUDY_ROLE_COORDINATOR)
    return TRUE;
  if ((recipients = vw_study_list_recipients (vault, study, error)) == NULL ||
      (own = vw_vault_get_age_recipient (vault, error)) == NULL)
    return FALSE;
  if (recipients[0] != NULL && !g_strv_contains ((const char * const *) recipients, own))
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_NOT_ALLOWED,
                   _("This laptop’s own recipient %s is not among the study’s recipients, so it could not open the "
                     "submissions; veldwerk-cli study setup adds it"), own);
      return FALSE;
    }
  return TRUE;
}

/**
 * vw_study_add_recipient:
 *
 * Adds an age recipient that submissions of @study are encrypted to. On a
 * coordinator's study this laptop's own recipient is added with it (and
 * by vw_study_keep_own_recipient()), so that a second coordinator never
 * replaces the first: the laptop that merges can always read.
 */
gboolean
vw_study_add_recipient (VwVault     *vault,
                        const char  *study,
                        const char  *recipient,
                        GError     **error)
{
  g_autoptr(VwAgeRecipient) parsed = NULL;
  g_autoptr(VwStudy) info = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *own = NULL;
  gboolean ok;

  if (!vw_vault_require_unlocked (vault, error) || (info = vw_vault_get_study (vault, study, error)) == NULL)
    return FALSE;
  parsed = vw_age_recipient_parse (recipient, error);
  if (parsed == NULL)
    return FALSE;
  if (vw_age_recipient_is_passphrase (parsed))
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                           _("A study’s recipient is a laptop’s age1… key, not a passphrase"));
      return FALSE;
    }
  canonical = vw_age_recipient_to_string (parsed);
  if (info->role == VW_STUDY_ROLE_COORDINATOR && (own = vw_vault_get_age_recipient (vault, error)) == NULL)
    return FALSE;
  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  ok = (own == NULL || insert_recipient (vault, study, own, error)) &&
       insert_recipient (vault, study, canonical, error) && check_coordinator_reads (vault, study, error);
  return vw_vault_tx_finish (vault, ok, error);
}

gboolean
vw_study_keep_own_recipient (VwVault     *vault,
                             const char  *study,
                             GError     **error)
{
  g_autoptr(VwStudy) info = NULL;
  g_autofree char *own = NULL;

  if (!vw_vault_require_unlocked (vault, error) || (info = vw_vault_get_study (vault, study, error)) == NULL)
    return FALSE;
  if (info->role != VW_STUDY_ROLE_COORDINATOR)
    return TRUE;
  return (own = vw_vault_get_age_recipient (vault, error)) != NULL &&
         vw_study_add_recipient (vault, study, own, error);
}

GStrv
vw_study_list_recipients (VwVault     *vault,
                          const char  *study,
                          GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT recipient FROM study_recipients WHERE study = ? ORDER BY recipient", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  while ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_strv_builder_end (builder);
}

char *
vw_study_format_own_keys (VwVault  *vault,
                          GError  **error)
{
  g_autofree char *recipient = NULL;
  g_autofree char *signing = NULL;

  g_autofree char *fingerprint = NULL;

  if ((recipient = vw_vault_get_age_recipient (vault, error)) == NULL ||
      (signing = vw_vault_get_signing_key (vault, error)) == NULL ||
      (fingerprint = vw_fingerprint_of_key_text (signing, error)) == NULL)
    return NULL;
  return g_strdup_printf ("recipient: %s\nsigning-key: %s\nfingerprint: %s\n", recipient, signing, fingerprint);
}

static gboolean parse_recipient_key (const char  *recipient,
                                     guint8       x25519_public[32],
                                     GError     **error);
static gboolean parse_signing_key   (const char  *signing_key,
                                     guint8       ed25519_public[32],
                                     GError     **error);

gboolean
vw_study_parse_keys_text (const char  *text,
                          char       **recipient,
                          char       **signing_key,
                          GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autofree char *x25519 = NULL;
  g_autofree char *ed25519 = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GError) local = NULL;
  guint x25519_line = 0, ed25519_line = 0, line = 0;
  guint8 x[32], ed[32];

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (g_str_has_prefix (lines[i], "recipient: ") && x25519 == NULL)
        {
          x25519 = g_strstrip (g_strdup (lines[i] + strlen ("recipient: ")));
          x25519_line = i + 1;
        }
      else if (g_str_has_prefix (lines[i], "signing-key: ") && ed25519 == NULL)
        {
          ed25519 = g_strstrip (g_strdup (lines[i] + strlen ("signing-key: ")));
          ed25519_line = i + 1;
        }
      else if (g_str_has_prefix (lines[i], "fingerprint: ") && fingerprint == NULL)
        fingerprint = g_strstrip (g_strdup (lines[i] + strlen ("fingerprint: ")));
    }
  if (x25519 == NULL || ed25519 == NULL)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                   _("No “%s” line: expected the keys as veldwerk-cli keys prints them"),
                   x25519 == NULL ? "recipient:" : "signing-key:");
      return FALSE;
    }
  /* Checked here, so that a mistake is reported by its line, and a secret
   * key pasted in by mistake is never repeated. */
  if (!parse_recipient_key (x25519, x, &local))
    line = x25519_line;
  else if (!parse_signing_key (ed25519, ed, &local))
    line = ed25519_line;
  if (local != NULL)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("line %u: %s"), line, local->message);
      return FALSE;
    }
  /* The fingerprint line is derived from the key: one that differs means
   * the text was changed on the way. */
  if (fingerprint != NULL)
    {
      g_autofree char *actual = vw_fingerprint_of_key_text (ed25519, NULL);
      g_autofree char *given = vw_fingerprint_normalize (fingerprint, NULL);
      g_autofree char *expected = actual != NULL ? vw_fingerprint_normalize (actual, NULL) : NULL;

      if (expected != NULL && g_strcmp0 (given, expected) != 0)
        {
          g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                       _("The “fingerprint:” line does not belong to the signing key: the keys were changed on "
                         "the way; ask for them again"));
          return FALSE;
        }
    }
  *recipient = g_steal_pointer (&x25519);
  *signing_key = g_steal_pointer (&ed25519);
  return TRUE;
}

gboolean
vw_study_set_round (VwVault     *vault,
                    const char  *study,
                    const char  *label,
                    const char  *fieldwork_start,
                    const char  *fieldwork_end,
                    gboolean     may_update,
                    GError     **error)
{
  g_autoptr(GPtrArray) rounds = NULL;
  gboolean exists = FALSE;
  gboolean ok;

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_study (vault, study, error))
    return FALSE;
  if (!vw_vault_check_fieldwork (label, fieldwork_start, fieldwork_end, error))
    return FALSE;
  if ((rounds = vw_vault_list_rounds (vault, study, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < rounds->len; i++)
    exists |= g_strcmp0 (((VwRound *) g_ptr_array_index (rounds, i))->label, label) == 0;
  if (exists && !may_update)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                   _("The study has a round %s already"), label);
      return FALSE;
    }
  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  if (exists)
    ok = vw_vault_set_round_fieldwork (vault, study, label, fieldwork_start, fieldwork_end, error);
  else
    ok = vw_vault_add_round (vault, study, label, fieldwork_start, fieldwork_end, error);
  return vw_vault_tx_finish (vault, ok, error);
}

/* The messages never quote the key: it may be a secret key given by
 * mistake. The caller says where it came from. */
static gboolean
parse_recipient_key (const char  *recipient,
                     guint8       x25519_public[32],
                     GError     **error)
{
  g_autoptr(VwAgeRecipient) parsed = NULL;

  if (vw_age_text_is_identity (recipient))
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                           _("this is a secret key (an identity), not a recipient; give its recipient (age1…)"));
      return FALSE;
    }
  if (recipient == NULL || (parsed = vw_age_recipient_parse (recipient, NULL)) == NULL ||
      !vw_age_recipient_get_x25519 (parsed, x25519_public))
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                           _("this is not an age recipient (age1…) as veldwerk-cli keys prints it"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_signing_key (const char  *signing_key,
                   guint8       ed25519_public[32],
                   GError     **error)
{
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (signing_key == NULL || !g_str_has_prefix (signing_key, "ed25519:") ||
      (raw = g_base64_decode (signing_key + strlen ("ed25519:"), &len)) == NULL || len != 32)
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                           vw_age_text_is_identity (signing_key)
                           ? _("this is a secret key (an identity), not a signing key (ed25519:…)")
                           : _("this is not a signing key (ed25519:…) as veldwerk-cli keys prints it"));
      return FALSE;
    }
  memcpy (ed25519_public, raw, 32);
  return TRUE;
}

gboolean
vw_study_parse_device_keys (const char  *recipient,
                            const char  *signing_key,
                            guint8       x25519_public[32],
                            guint8       ed25519_public[32],
                            GError     **error)
{
  return parse_recipient_key (recipient, x25519_public, error) &&
         parse_signing_key (signing_key, ed25519_public, error);
}

static char *
recipient_string (const guint8 *x25519_public)
{
  g_autoptr(VwAgeRecipient) recipient = vw_age_recipient_new_x25519 (x25519_public);

  return vw_age_recipient_to_string (recipient);
}

static char *
signing_key_string (const guint8 *ed25519_public)
{
  g_autofree char *b64 = g_base64_encode (ed25519_public, 32);

  return g_strconcat ("ed25519:", b64, NULL);
}

GPtrArray *
vw_study_list_duo_devices (VwVault     *vault,
                           const char  *study,
                           GError     **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_auto(GStrv) coordinators = NULL;

  if ((devices = vw_vault_list_devices (vault, error)) == NULL ||
      (coordinators = vw_study_list_recipients (vault, study, error)) == NULL)
    return NULL;
  for (guint i = devices->len; i-- > 0;)
    {
      VwDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *recipient = recipient_string (device->x25519_public);

      if (device->own || device->revoked_at != NULL || g_strcmp0 (device->study, study) != 0 ||
          g_strv_contains ((const char * const *) coordinators, recipient))
        g_ptr_array_remove_index (devices, i);
    }
  return g_steal_pointer (&devices);
}

/* The age recipients of one device, for vw_bundle_write_*(). */
static GPtrArray *
device_recipients (const guint8  *x25519_public,
                   GError       **error)
{
  g_autofree char *text = recipient_string (x25519_public);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  VwAgeRecipient *recipient = vw_age_recipient_parse (text, error);

  if (recipient == NULL)
    return NULL;
  g_ptr_array_add (recipients, recipient);
  return g_steal_pointer (&recipients);
}

/**
 * vw_study_write_invitation:
 * @device: the enrolled device's id or label
 *
 * Writes the invitation bundle for @device: the study definition, the
 * questionnaire, the rounds, the coordinator's signing key and
 * recipients, and the linkage key. The export key stays with the
 * coordinator: a duo's laptop never makes anonymized exports, and a
 * stolen laptop must not hold what links export identifiers back to
 * participant codes.
 */
gboolean
vw_study_write_invitation (VwVault     *vault,
                           const char  *study,
                           const char  *device,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(VwDevice) target = NULL;
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GBytes) questionnaire = NULL;
  g_autoptr(VwSecret) linkage = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_auto(GStrv) study_recipients = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *linkage_b64 = NULL;
  g_autofree char *own_recipient = NULL;
  g_autofree char *own_signing = NULL;
  g_autofree char *bundle_id = NULL;
  char *json;
  gsize json_len = 0;

  if (!vw_vault_require_unlocked (vault, error) || (info = vw_vault_get_study (vault, study, error)) == NULL)
    return FALSE;
  if (info->role != VW_STUDY_ROLE_COORDINATOR)
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_NOT_ALLOWED,
                           _("Only the coordinator’s laptop can invite devices to a study"));
      return FALSE;
    }
  if ((target = vw_study_find_device (vault, study, device, error)) == NULL)
    return FALSE;
  if (target->revoked_at != NULL)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_NOT_ALLOWED,
                   _("The device “%s” was revoked on %s"), target->label, target->revoked_at);
      return FALSE;
    }
  if ((own = vw_vault_get_own_device (vault, error)) == NULL ||
      (rounds = vw_vault_list_rounds (vault, study, error)) == NULL ||
      (questionnaire = vw_vault_get_questionnaire (vault, info->questionnaire_id, info->questionnaire_version,
                                                   NULL, error)) == NULL ||
      !check_coordinator_reads (vault, study, error) ||
      (study_recipients = vw_study_list_recipients (vault, study, error)) == NULL ||
      (linkage = vw_vault_get_study_secret (vault, study, VW_STUDY_SECRET_LINKAGE, error)) == NULL ||
      (signing = vw_vault_dup_ed25519_secret (vault, error)) == NULL ||
      (recipients = device_recipients (target->x25519_public, error)) == NULL)
    return FALSE;
  own_recipient = recipient_string (own->x25519_public);
  own_signing = signing_key_string (own->ed25519_public);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "study");
  json_builder_add_string_value (builder, info->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, info->name);
  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  for (guint i = 0; info->regions[i] != NULL; i++)
    json_builder_add_string_value (builder, info->regions[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "questionnaire");
  {
    /* The stored questionnaire has no terminating NUL. */
    g_autofree char *text = g_strndup (g_bytes_get_data (questionnaire, NULL), g_bytes_get_size (questionnaire));
    json_builder_add_string_value (builder, text);
  }
  json_builder_set_member_name (builder, "rounds");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *round = g_ptr_array_index (rounds, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, round->label);
      json_builder_set_member_name (builder, "fieldwork_start");
      json_builder_add_string_value (builder, round->fieldwork_start);
      json_builder_set_member_name (builder, "fieldwork_end");
      json_builder_add_string_value (builder, round->fieldwork_end);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "coordinators");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, own->label);
  json_builder_set_member_name (builder, "recipient");
  json_builder_add_string_value (builder, own_recipient);
  json_builder_set_member_name (builder, "signing_key");
  json_builder_add_string_value (builder, own_signing);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  if (study_recipients[0] == NULL)
    json_builder_add_string_value (builder, own_recipient);
  for (guint i = 0; study_recipients[i] != NULL; i++)
    json_builder_add_string_value (builder, study_recipients[i]);
  json_builder_end_array (builder);
  linkage_b64 = g_base64_encode (vw_secret_const_data (linkage), vw_secret_len (linkage));
  json_builder_set_member_name (builder, "linkage_key");
  json_builder_add_string_value (builder, linkage_b64);
  sodium_memzero (linkage_b64, strlen (linkage_b64));
  /* Tracing: the study's minimum of contact attempts before a
   * round may be set to "unreachable" without a reason. */
  {
    int min_attempts = vw_vault_get_min_attempts (vault, study, error);

    if (min_attempts < 0)
      return FALSE;
    json_builder_set_member_name (builder, "min_attempts");
    json_builder_add_int_value (builder, min_attempts);
  }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &json_len);
  content = g_bytes_new_with_free_func (json, json_len, (GDestroyNotify) vw_secret_wipe_string, json);
  json_node_unref (g_steal_pointer (&root));
  g_clear_object (&builder);

  if (!vw_bundle_write_bytes (path, VW_BUNDLE_KIND_INVITATION, study, signing, recipients, content,
                              &bundle_id, NULL, error))
    return FALSE;
  return vw_vault_audit (vault, "invitation_written", target->id, bundle_id, error);
}

GPtrArray *
vw_study_own_identities (VwVault  *vault,
                         GError  **error)
{
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_identity_free);
  VwSecret *secret = vw_vault_dup_x25519_secret (vault, error);
  VwAgeIdentity *identity;

  if (secret == NULL)
    return NULL;
  identity = vw_age_identity_new_x25519 (secret, error);
  vw_secret_free (secret);
  if (identity == NULL)
    return NULL;
  g_ptr_array_add (identities, identity);
  return g_steal_pointer (&identities);
}

/* Case, whitespace and diacritics folded: "  José  de Vries" and
 * "jose DE vries" give the same text. */
static char *
fold_name (const char *name)
{
  g_autofree char *decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  if (decomposed == NULL)
    return NULL;
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (g_unichar_isspace (c) || c == '-' || c == '.' || c == '\'')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  {
    g_autofree char *folded = g_utf8_casefold (out->str, -1);
    sodium_memzero (out->str, out->len);
    return g_steal_pointer (&folded);
  }
}

char *
vw_study_linkage_hash (VwVault     *vault,
                       const char  *study,
                       const char  *name,
                       const char  *birth_date,
                       GError     **error)
{
  g_autoptr(VwSecret) key = NULL;
  g_autofree char *folded = NULL;
  guint8 hash[32];
  char hex[65];
  crypto_generichash_state state;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || (folded = fold_name (name)) == NULL || *folded == '\0')
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("A linkage identity needs a name"));
      return NULL;
    }
  if (birth_date == NULL || !vw_vault_check_date (birth_date, error))
    {
      if (birth_date == NULL)
        g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                             _("A linkage identity needs a birth date (YYYY-MM-DD)"));
      sodium_memzero (folded, strlen (folded));
      return NULL;
    }
  key = vw_vault_get_study_secret (vault, study, VW_STUDY_SECRET_LINKAGE, error);
  if (key == NULL)
    {
      sodium_memzero (folded, strlen (folded));
      return NULL;
    }
  crypto_generichash_init (&state, vw_secret_const_data (key), vw_secret_len (key), sizeof hash);
  crypto_generichash_update (&state, (const guint8 *) "veldwerk/linkage/1\n", 19);
  crypto_generichash_update (&state, (const guint8 *) folded, strlen (folded) + 1);
  crypto_generichash_update (&state, (const guint8 *) birth_date, strlen (birth_date));
  crypto_generichash_final (&state, hash, sizeof hash);
  sodium_memzero (folded, strlen (folded));
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

gboolean
vw_vault_set_linkage_identity (VwVault     *vault,
                               const char  *study,
                               const char  *code,
                               const char  *name,
                               const char  *birth_date,
                               GError     **error)
{
  g_autofree char *hex = NULL;
  g_autoptr(VwSecret) key = NULL;
  guint8 hash[32];
  guint8 filter[VW_LINKAGE_FILTER_BYTES];
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_participant (vault, study, code, error) ||
      (hex = vw_study_linkage_hash (vault, study, name, birth_date, error)) == NULL ||
      (key = vw_vault_get_study_secret (vault, study, VW_STUDY_SECRET_LINKAGE, error)) == NULL)
    return FALSE;
  /* Beside the exact hash, the error-tolerant encoding (vw-linkage.c):
   * neither keeps the name or the date. */
  if (!vw_linkage_encode (vw_secret_const_data (key), vw_secret_len (key), name, birth_date, filter, error))
    return FALSE;
  sodium_hex2bin (hash, sizeof hash, hex, 64, NULL, NULL, NULL);
  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  stmt = vw_vault_prepare (vault, "UPDATE participants SET linkage_hash = ?, linkage_filter = ? WHERE study = ? AND "
                                  "code = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 2, filter, sizeof filter, SQLITE_TRANSIENT);
      vw_vault_bind_text (stmt, 3, study);
      vw_vault_bind_text (stmt, 4, code);
    }
  return vw_vault_tx_finish (vault, stmt != NULL && vw_vault_step_done (vault, stmt, error) &&
                             vw_vault_audit_append (vault, "linkage_identity_set", code, NULL, error),
                             error);
}

/**
 * vw_vault_get_linkage_filter:
 *
 * Returns: (transfer full) (nullable): the participant's linkage filter
 *   as bundle text (vw_linkage_to_text()), "" when it has none, %NULL on
 *   error
 */
char *
vw_vault_get_linkage_filter (VwVault     *vault,
                             const char  *study,
                             const char  *code,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  char *text = NULL;
  int rc;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT linkage_filter FROM participants WHERE study = ? AND code = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (vault, stmt, error);
  if (rc == SQLITE_ROW)
    text = sqlite3_column_bytes (stmt, 0) == VW_LINKAGE_FILTER_BYTES
             ? vw_linkage_to_text (sqlite3_column_blob (stmt, 0))
             : g_strdup ("");
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    vw_vault_not_found (error, _("participant"), code);
  return text;
}

char *
vw_vault_get_linkage_hash (VwVault     *vault,
                           const char  *study,
                           const char  *code,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  char hex[65] = "";
  int rc;

  if (!vw_vault_require_unlocked (vault, error))
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT linkage_hash FROM participants WHERE study = ? AND code = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  vw_vault_bind_text (stmt, 2, code);
  rc = vw_vault_step (vault, stmt, error);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 32)
    sodium_bin2hex (hex, sizeof hex, sqlite3_column_blob (stmt, 0), 32);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    vw_vault_not_found (error, _("participant"), code);
  return rc == SQLITE_ROW ? g_strdup (hex) : NULL;
}
