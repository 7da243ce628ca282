/* vw-invitation.c: see vw-invitation.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-age.h"
#include "vw-fingerprint.h"
#include "vw-invitation.h"
#include "vw-vault-tracing.h"
#include "vw-questionnaire.h"
#include "vw-study.h"
#include "vw-validate.h"
#include "vw-vault-private.h"

typedef struct
{
  char   *label;
  char   *start; /* nullable */
  char   *end;   /* nullable */
} Round;

typedef struct
{
  char   *label;
  guint8  x25519[32];
  guint8  ed25519[32];
} Coordinator;

struct _VwInvitation
{
  char      *study;
  char      *name;
  GBytes    *questionnaire;
  GStrv      regions;
  GPtrArray *rounds;        /* Round */
  GPtrArray *coordinators;  /* Coordinator */
  GStrv      recipients;    /* canonical age1... */
  VwSecret  *linkage;
  int        min_attempts;  /* tracing: absent from older invitations (3) */
  /* The signer, when known: one of the coordinators. */
  gboolean   has_signer;
  guint8     signer[32];
  char      *coordinator;   /* the signer's label */
  char      *signing_key;   /* the signer's key, ed25519:... */
  char      *fingerprint;   /* of the signer's key */
};

static void
round_free (Round *round)
{
  g_free (round->label);
  g_free (round->start);
  g_free (round->end);
  g_free (round);
}

static void
coordinator_free (Coordinator *coordinator)
{
  g_free (coordinator->label);
  g_free (coordinator);
}

void
vw_invitation_free (VwInvitation *self)
{
  if (self == NULL)
    return;
  g_free (self->study);
  g_free (self->name);
  g_clear_pointer (&self->questionnaire, g_bytes_unref);
  g_strfreev (self->regions);
  g_clear_pointer (&self->rounds, g_ptr_array_unref);
  g_clear_pointer (&self->coordinators, g_ptr_array_unref);
  g_strfreev (self->recipients);
  g_clear_pointer (&self->linkage, vw_secret_free);
  g_free (self->coordinator);
  g_free (self->signing_key);
  g_free (self->fingerprint);
  g_free (self);
}

static gboolean
bad (GError    **error,
     const char *member)
{
  g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("The invitation has no valid “%s”"), member);
  return FALSE;
}

/* A string member, or NULL when it is missing or not a string. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A non-empty array member, or NULL. */
static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return NULL;
  return json_node_get_array (node);
}

static const char *
element_string (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The study id's rule of the bundle manifest: 1 to 200 characters of
 * text, no control characters. */
static gboolean
valid_study_id (const char *id)
{
  glong chars;

  if (id == NULL || !g_utf8_validate (id, -1, NULL))
    return FALSE;
  chars = g_utf8_strlen (id, -1);
  if (chars < 1 || chars > 200)
    return FALSE;
  for (const char *p = id; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* A date member that may be missing or null: its text in @out, or FALSE
 * when it is there but not a string. */
static gboolean
member_optional_string (JsonObject  *object,
                        const char  *name,
                        const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return (*out = member_string (object, name)) != NULL;
}

static gboolean
parse_rounds (VwInvitation  *self,
              JsonArray     *rounds,
              GError       **error)
{
  self->rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) round_free);
  for (guint i = 0; i < json_array_get_length (rounds); i++)
    {
      JsonObject *object = element_object (rounds, i);
      const char *label = object != NULL ? member_string (object, "label") : NULL;
      const char *start, *end;
      Round *round;

      if (label == NULL || *label == '\0')
        return bad (error, "rounds");
      if (!member_optional_string (object, "fieldwork_start", &start) ||
          !member_optional_string (object, "fieldwork_end", &end))
        return bad (error, "rounds");
      /* Planned dates, checked as the vault checks a round's (a window
       * may lie ahead); the validator's message says what is wrong. */
      if (!vw_validate_round_label ("label", label, error) || !vw_validate_fieldwork (label, start, end, error))
        {
          g_prefix_error (error, _("The invitation's round: "));
          return FALSE;
        }
      round = g_new0 (Round, 1);
      g_ptr_array_add (self->rounds, round);
      round->label = g_strdup (label);
      round->start = g_strdup (start);
      round->end = g_strdup (end);
    }
  return TRUE;
}

static gboolean
parse_coordinators (VwInvitation  *self,
                    JsonArray     *coordinators,
                    GError       **error)
{
  self->coordinators = g_ptr_array_new_with_free_func ((GDestroyNotify) coordinator_free);
  for (guint i = 0; i < json_array_get_length (coordinators); i++)
    {
      JsonObject *object = element_object (coordinators, i);
      const char *label = object != NULL ? member_string (object, "label") : NULL;
      Coordinator *coordinator;

      if (object == NULL)
        return bad (error, "coordinators");
      coordinator = g_new0 (Coordinator, 1);
      g_ptr_array_add (self->coordinators, coordinator);
      coordinator->label = g_strdup (label != NULL && *label != '\0' ? label : _("coordinator"));
      if (!vw_study_parse_device_keys (member_string (object, "recipient"), member_string (object, "signing_key"),
                                       coordinator->x25519, coordinator->ed25519, error))
        {
          g_prefix_error (error, _("The invitation’s coordinator %u: "), i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_object (VwInvitation  *self,
              JsonObject    *root,
              const char    *study_id,
              GError       **error)
{
  JsonNode *format = json_object_get_member (root, "format");
  const char *study = member_string (root, "study");
  const char *name = member_string (root, "name");
  const char *questionnaire = member_string (root, "questionnaire");
  const char *linkage_b64 = member_string (root, "linkage_key");
  JsonArray *regions = member_array (root, "regions");
  JsonArray *rounds = member_array (root, "rounds");
  JsonArray *coordinators = member_array (root, "coordinators");
  JsonArray *recipients = member_array (root, "recipients");
  g_autoptr(GStrvBuilder) region_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) recipient_builder = g_strv_builder_new ();

  if (format == NULL || JSON_NODE_TYPE (format) != JSON_NODE_VALUE ||
      json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) != 1)
    return bad (error, "format");
  if (!valid_study_id (study) || (study_id != NULL && strcmp (study, study_id) != 0))
    return bad (error, "study");
  if (name == NULL)
    return bad (error, "name");
  {
    g_autofree char *trimmed = g_strstrip (g_strdup (name));
    if (*trimmed == '\0')
      return bad (error, "name");
  }
  if (questionnaire == NULL)
    return bad (error, "questionnaire");
  if (regions == NULL)
    return bad (error, "regions");
  if (rounds == NULL)
    return bad (error, "rounds");
  if (coordinators == NULL)
    return bad (error, "coordinators");
  if (recipients == NULL)
    return bad (error, "recipients");
  if (linkage_b64 == NULL)
    return bad (error, "linkage_key");
  /* Optional: invitations written before tracing have none. */
  self->min_attempts = VW_TRACING_DEFAULT_MIN_ATTEMPTS;
  if (json_object_has_member (root, "min_attempts"))
    {
      JsonNode *node = json_object_get_member (root, "min_attempts");

      if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0 || json_node_get_int (node) > VW_TRACING_MAX_MIN_ATTEMPTS)
        return bad (error, "min_attempts");
      self->min_attempts = (int) json_node_get_int (node);
    }

  self->study = g_strdup (study);
  self->name = g_strdup (name);

  for (guint i = 0; i < json_array_get_length (regions); i++)
    {
      const char *region = element_string (regions, i);

      if (region == NULL || !vw_vault_check_region (region, NULL))
        return bad (error, "regions");
      g_strv_builder_add (region_builder, region);
    }
  self->regions = g_strv_builder_end (region_builder);

  if (!parse_rounds (self, rounds, error) || !parse_coordinators (self, coordinators, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      const char *text = element_string (recipients, i);
      g_autoptr(VwAgeRecipient) recipient = NULL;
      g_autoptr(GError) local = NULL;

      if (text == NULL || (recipient = vw_age_recipient_parse (text, &local)) == NULL ||
          vw_age_recipient_is_passphrase (recipient))
        return bad (error, "recipients");
      {
        g_autofree char *canonical = vw_age_recipient_to_string (recipient);
        g_strv_builder_add (recipient_builder, canonical);
      }
    }
  self->recipients = g_strv_builder_end (recipient_builder);

  {
    gsize len = 0;
    guchar *raw = g_base64_decode (linkage_b64, &len);
    gboolean ok = raw != NULL && len == VW_KEY_LEN;

    if (ok)
      self->linkage = vw_secret_new_from (raw, len);
    if (raw != NULL)
      sodium_memzero (raw, len);
    g_free (raw);
    if (!ok)
      return bad (error, "linkage_key");
  }

  /* Loaded here, so that a questionnaire an interview could not run is
   * refused before anything is stored. */
  self->questionnaire = g_bytes_new (questionnaire, strlen (questionnaire));
  {
    g_autoptr(VwQuestionnaire) loaded = NULL;
    g_autoptr(GError) local = NULL;

    if ((loaded = vw_questionnaire_new_from_bytes (self->questionnaire, NULL, NULL, &local)) == NULL)
      {
        g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                     _("The invitation’s questionnaire cannot be used: %s"), local->message);
        return FALSE;
      }
  }
  return TRUE;
}

static gboolean
set_signer (VwInvitation  *self,
            const guint8  *signer,
            GError       **error)
{
  for (guint i = 0; i < self->coordinators->len; i++)
    {
      Coordinator *coordinator = g_ptr_array_index (self->coordinators, i);
      g_autofree char *b64 = NULL;

      if (memcmp (coordinator->ed25519, signer, 32) != 0)
        continue;
      self->has_signer = TRUE;
      memcpy (self->signer, signer, 32);
      self->coordinator = g_strdup (coordinator->label);
      b64 = g_base64_encode (signer, 32);
      self->signing_key = g_strconcat ("ed25519:", b64, NULL);
      self->fingerprint = vw_fingerprint_of_key (signer);
      return TRUE;
    }
  g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                       _("The invitation is not signed by the coordinator it names"));
  return FALSE;
}

VwInvitation *
vw_invitation_parse (const guint8  *data,
                     gsize          len,
                     const char    *study_id,
                     const guint8  *signer,
                     GError       **error)
{
  g_autoptr(VwInvitation) self = g_new0 (VwInvitation, 1);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (len > VW_INVITATION_MAX_SIZE || (len > 0 && data == NULL))
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("The invitation is too large"));
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (len == 0 || !g_utf8_validate ((const char *) data, len, NULL) ||
      !json_parser_load_from_data (parser, (const char *) data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("The invitation is not valid JSON"));
      return NULL;
    }
  if (!parse_object (self, json_node_get_object (root), study_id, error) ||
      (signer != NULL && !set_signer (self, signer, error)))
    return NULL;
  return g_steal_pointer (&self);
}

/* An invitation introduces its coordinator: every signer may open one,
 * and vw_invitation_join() checks the signer against what the person
 * confirmed. */
static gboolean
any_signer (VwBundle  *bundle,
            gpointer   user_data,
            GError   **error)
{
  return TRUE;
}

VwInvitation *
vw_invitation_open (VwVault     *vault,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GPtrArray) identities = NULL;
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *spool = NULL;
  g_autofree char *name = g_filename_display_name (path);
  VwInvitation *self;

  if (!vw_vault_require_unlocked (vault, error) || (identities = vw_study_own_identities (vault, error)) == NULL)
    return NULL;
  spool = g_path_get_dirname (vw_vault_get_path (vault));
  bundle = vw_bundle_open_checked (path, identities, VW_BUNDLE_KIND_INVITATION, NULL, any_signer, NULL, spool, NULL,
                                   &local);
  if (bundle != NULL)
    content = vw_bundle_load_content (bundle, VW_INVITATION_MAX_SIZE, &local);
  self = content == NULL ? NULL
                         : vw_invitation_parse (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                                                vw_bundle_get_study_id (bundle), vw_bundle_get_signer (bundle),
                                                &local);
  if (content != NULL)
    {
      /* It holds the linkage key. */
      sodium_memzero ((void *) g_bytes_get_data (content, NULL), g_bytes_get_size (content));
    }
  if (self == NULL)
    g_set_error (error, local->domain, local->code, _("Rejected %s: %s"), name, local->message);
  return self;
}

const char *
vw_invitation_get_study_id (VwInvitation *self)
{
  return self->study;
}

const char *
vw_invitation_get_name (VwInvitation *self)
{
  return self->name;
}

const char *
vw_invitation_get_coordinator (VwInvitation *self)
{
  return self->coordinator;
}

const char *
vw_invitation_get_signing_key (VwInvitation *self)
{
  return self->signing_key;
}

const char *
vw_invitation_get_fingerprint (VwInvitation *self)
{
  return self->fingerprint;
}

gboolean
vw_invitation_confirm (VwInvitation  *self,
                       const char    *confirmation,
                       GError       **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (confirmation != NULL ? confirmation : ""));
  gboolean matches = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->has_signer)
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                           _("The invitation’s signer is not known"));
      return FALSE;
    }
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_UNCONFIRMED,
                           _("Joining needs your coordinator’s fingerprint (or signing key): ask the coordinator "
                             "to read it out or give it to you on paper"));
      return FALSE;
    }
  if (!vw_fingerprint_check (self->signer, trimmed, &matches, error))
    return FALSE;
  if (!matches)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_MISMATCH,
                   _("The invitation is signed by a key with the fingerprint %s, not the one you were given: it "
                     "may not come from your coordinator. Do not join; ask your coordinator"),
                   self->fingerprint);
      return FALSE;
    }
  return TRUE;
}

static gboolean
join_in_tx (VwVault       *vault,
            VwInvitation  *self,
            GError       **error)
{
  g_autofree char *q_id = NULL, *q_version = NULL, *q_sha = NULL;
  g_autoptr(GBytes) sealed_linkage = NULL;
  g_autoptr(GBytes) sealed_export = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *regions = g_strjoinv (",", self->regions);
  g_autofree char *now = vw_vault_now ();
  g_autofree char *detail = NULL;
  guint8 export_key[VW_KEY_LEN];
  sqlite3_stmt *stmt;

  {
    g_autoptr(GError) local = NULL;
    if (vw_vault_check_study (vault, self->study, &local))
      {
        g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_EXISTS,
                             _("This laptop has already joined that study"));
        return FALSE;
      }
  }

  if (!vw_vault_add_questionnaire (vault, self->questionnaire, &q_id, &q_version, error) ||
      (stored = vw_vault_get_questionnaire (vault, q_id, q_version, &q_sha, error)) == NULL)
    return FALSE;

  {
    VwValueRef linkage_ref = { "studies", "linkage_key", { self->study }, 0 };
    VwValueRef export_ref = { "studies", "export_key", { self->study }, 0 };

    sealed_linkage = vw_vault_seal (vault, vw_vault_subkey (vault, VW_SUBKEY_VAULT), &linkage_ref,
                                    vw_secret_const_data (self->linkage), vw_secret_len (self->linkage));
    /* The column is NOT NULL; a duo's export key is random and unused
     * (see vw_study_write_invitation()). */
    randombytes_buf (export_key, sizeof export_key);
    sealed_export = vw_vault_seal (vault, vw_vault_subkey (vault, VW_SUBKEY_VAULT), &export_ref, export_key,
                                   sizeof export_key);
    sodium_memzero (export_key, sizeof export_key);
  }

  stmt = vw_vault_prepare (vault, "INSERT INTO studies (id, name, regions, role, questionnaire_id, "
                                  "questionnaire_version, questionnaire_sha256, linkage_key, export_key, created) "
                                  "VALUES (?, ?, ?, 'duo', ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, self->study);
  vw_vault_bind_text (stmt, 2, self->name);
  vw_vault_bind_text (stmt, 3, regions);
  vw_vault_bind_text (stmt, 4, q_id);
  vw_vault_bind_text (stmt, 5, q_version);
  vw_vault_bind_text (stmt, 6, q_sha);
  vw_vault_bind_bytes (stmt, 7, sealed_linkage);
  vw_vault_bind_bytes (stmt, 8, sealed_export);
  vw_vault_bind_text (stmt, 9, now);
  if (!vw_vault_step_done (vault, stmt, error))
    return FALSE;

  for (guint i = 0; i < self->rounds->len; i++)
    {
      Round *round = g_ptr_array_index (self->rounds, i);

      if (!vw_vault_add_round (vault, self->study, round->label, round->start, round->end, error))
        return FALSE;
    }
  for (guint i = 0; self->recipients[i] != NULL; i++)
    if (!vw_study_add_recipient (vault, self->study, self->recipients[i], error))
      return FALSE;
  for (guint i = 0; i < self->coordinators->len; i++)
    {
      Coordinator *coordinator = g_ptr_array_index (self->coordinators, i);
      g_autofree char *id = vw_vault_add_device (vault, self->study, coordinator->label, coordinator->x25519,
                                                 coordinator->ed25519, TRUE, error);

      if (id == NULL)
        return FALSE;
    }
  if (self->min_attempts != VW_TRACING_DEFAULT_MIN_ATTEMPTS &&
      !vw_vault_set_min_attempts (vault, self->study, self->min_attempts, error))
    return FALSE;
  /* Which coordinator key the person confirmed, for the audit trail. */
  detail = g_strdup_printf ("coordinator %s fingerprint %s", self->signing_key, self->fingerprint);
  return vw_vault_audit_append (vault, "study_joined", self->study, detail, error);
}

char *
vw_invitation_join (VwVault       *vault,
                    VwInvitation  *self,
                    const char    *confirmation,
                    GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!vw_vault_require_unlocked (vault, error) || !vw_invitation_confirm (self, confirmation, error) ||
      !vw_vault_tx_begin (vault, error))
    return NULL;
  if (!vw_vault_tx_finish (vault, join_in_tx (vault, self, error), error))
    return NULL;
  return g_strdup (self->study);
}

/**
 * vw_study_join:
 * @confirmation: the coordinator's fingerprint or signing key, as the
 *   coordinator read it out or printed it
 *
 * vw_invitation_open() and vw_invitation_join() in one: refused without a
 * @confirmation that names the invitation's signer, the vault unchanged.
 *
 * Returns: (transfer full): the study's id
 */
char *
vw_study_join (VwVault     *vault,
               const char  *path,
               const char  *confirmation,
               GError     **error)
{
  g_autoptr(VwInvitation) invitation = vw_invitation_open (vault, path, error);

  if (invitation == NULL)
    return NULL;
  return vw_invitation_join (vault, invitation, confirmation, error);
}
