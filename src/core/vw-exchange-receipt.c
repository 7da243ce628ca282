/* vw-exchange-receipt.c: handovers that never lose a participant.
 *
 * A handover is encrypted to the receiving laptop and to this one, so the
 * sender reads the file back with the receiver's own checks before it
 * records anything. With removal, the participants are not deleted then:
 * they stay here, read-only (triggers of schema 7), "awaiting receipt".
 * The receiving laptop, once it merged the handover, writes a receipt
 * bundle back: the handover's id, its content hash and the codes it
 * received, signed by that laptop. Only a receipt signed by exactly the
 * laptop the handover went to, naming a handover this laptop wrote with
 * the same content and codes, removes the participants, inside the
 * merge's transaction. README-bundles.md ("Handovers and receipts") has
 * the rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-exchange-private.h"
#include "vw-exchange-receipt-private.h"
#include "vw-records.h"
#include "vw-study.h"
#include "vw-vault-private.h"

#define RECEIPT_FORMAT     1
#define ID_HEX_LEN         32
#define SHA256_HEX_LEN     64

/* Receipt content */

void
vw_receipt_content_clear (VwReceiptContent *content)
{
  g_clear_pointer (&content->handover, g_free);
  g_clear_pointer (&content->content_sha256, g_free);
  g_clear_pointer (&content->codes, g_strfreev);
}

GBytes *
vw_receipt_content_to_bytes (const VwReceiptContent *content)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  char *json;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, RECEIPT_FORMAT);
  json_builder_set_member_name (builder, "handover");
  json_builder_add_string_value (builder, content->handover);
  json_builder_set_member_name (builder, "content_sha256");
  json_builder_add_string_value (builder, content->content_sha256);
  json_builder_set_member_name (builder, "codes");
  json_builder_begin_array (builder);
  for (guint i = 0; content->codes != NULL && content->codes[i] != NULL; i++)
    json_builder_add_string_value (builder, content->codes[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &len);
  return g_bytes_new_take (json, len);
}

static gboolean
is_lower_hex (const char *text,
              gsize       len)
{
  if (text == NULL || strlen (text) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
content_error (GError     **error,
               const char  *detail)
{
  g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("This is not a receipt Veldwerk can read: %s"),
               detail);
  return FALSE;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
vw_receipt_content_parse (const char        *data,
                          gsize              len,
                          VwReceiptContent  *content,
                          GError           **error)
{
  g_auto(VwReceiptContent) parsed = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) canonical = NULL;
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  JsonObject *object;
  JsonNode *node;
  JsonArray *array;
  const char *previous = NULL;
  guint n;

  if (len > VW_RECEIPT_MAX_CONTENT)
    return content_error (error, _("it is too large"));
  /* An empty or blank text parses to no root at all. */
  if (len == 0 || !g_utf8_validate (data, len, NULL) || !json_parser_load_from_data (parser, data, len, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return content_error (error, _("it is not a JSON object"));
  object = json_node_get_object (json_parser_get_root (parser));

  node = json_object_get_member (object, "format");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != RECEIPT_FORMAT)
    return content_error (error, _("the format version is unknown"));
  if (!is_lower_hex (string_member (object, "handover"), ID_HEX_LEN))
    return content_error (error, _("it names no handover"));
  if (!is_lower_hex (string_member (object, "content_sha256"), SHA256_HEX_LEN))
    return content_error (error, _("it holds no content hash"));
  node = json_object_get_member (object, "codes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      (n = json_array_get_length (array = json_node_get_array (node))) == 0)
    return content_error (error, _("it lists no participants"));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *code;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          !vw_participant_code_is_valid (code = json_node_get_string (element)))
        return content_error (error, _("a participant code is not valid"));
      /* Sorted and each once: one valid receipt for each set of codes. */
      if (previous != NULL && strcmp (previous, code) >= 0)
        return content_error (error, _("the participant codes are not sorted, or one is listed twice"));
      g_strv_builder_add (codes, code);
      previous = code;
    }

  parsed.handover = g_strdup (string_member (object, "handover"));
  parsed.content_sha256 = g_strdup (string_member (object, "content_sha256"));
  parsed.codes = g_strv_builder_end (codes);

  /* One valid form only: no other members, order or spacing. */
  canonical = vw_receipt_content_to_bytes (&parsed);
  if (g_bytes_get_size (canonical) != len || memcmp (g_bytes_get_data (canonical, NULL), data, len) != 0)
    return content_error (error, _("it is not in canonical form"));

  vw_receipt_content_clear (content);
  *content = parsed;
  memset (&parsed, 0, sizeof parsed);
  return TRUE;
}

/* Handovers as records */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

void
vw_handover_free (VwHandover *handover)
{
  if (handover == NULL)
    return;
  g_free (handover->id);
  g_free (handover->device);
  g_free (handover->device_label);
  g_free (handover->written);
  g_free (handover->outcome);
  g_free (handover->settled);
  g_strfreev (handover->codes);
  g_free (handover);
}

static VwHandover *
handover_dup (const VwHandover *handover)
{
  VwHandover *copy = g_new0 (VwHandover, 1);

  copy->id = g_strdup (handover->id);
  copy->device = g_strdup (handover->device);
  copy->device_label = g_strdup (handover->device_label);
  copy->written = g_strdup (handover->written);
  copy->remove_on_receipt = handover->remove_on_receipt;
  copy->outcome = g_strdup (handover->outcome);
  copy->settled = g_strdup (handover->settled);
  copy->codes = g_strdupv (handover->codes);
  return copy;
}

void
vw_merge_receipt_free (VwMergeReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free (receipt->handover);
  g_free (receipt->device_label);
  g_free (receipt->path);
  g_free (receipt);
}

static void
report_add (GPtrArray  *list,
            const char *handover,
            const char *device_label,
            const char *path,
            guint       participants)
{
  VwMergeReceipt *receipt = g_new0 (VwMergeReceipt, 1);

  receipt->handover = g_strdup (handover);
  receipt->device_label = g_strdup (device_label);
  receipt->path = g_strdup (path);
  receipt->participants = participants;
  g_ptr_array_add (list, receipt);
}

/* Another laptop of @study this one knows, by its signing key. */
static VwDevice *
device_by_signer (VwVault      *vault,
                  const char   *study,
                  const guint8 *signer)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (vault, NULL);

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      VwDevice *device = g_ptr_array_index (devices, i);

      if (!device->own && (device->study == NULL || g_strcmp0 (device->study, study) == 0) &&
          sodium_memcmp (device->ed25519_public, signer, VW_BUNDLE_PUBLIC_KEY_SIZE) == 0)
        return g_ptr_array_steal_index (devices, i);
    }
  return NULL;
}

static char *
device_label (VwVault    *vault,
              const char *study,
              const char *device_id)
{
  g_autoptr(VwDevice) device = vw_study_find_device (vault, study, device_id, NULL);

  return g_strdup (device != NULL ? device->label : device_id);
}

static GStrv
handover_codes (VwVault     *vault,
                const char  *handover,
                GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT code FROM handover_codes WHERE handover = ? ORDER BY code",
                                         error);
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, handover);
  while ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *code = vw_vault_column_text (stmt, 0);
      g_strv_builder_add (codes, code);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_strv_builder_end (codes);
}

static char *
audit_detail (const char         *handover,
              const char         *receipt,
              const char * const *codes,
              gint                removed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "handover");
  json_builder_add_string_value (builder, handover);
  if (receipt != NULL)
    {
      json_builder_set_member_name (builder, "receipt");
      json_builder_add_string_value (builder, receipt);
    }
  if (codes != NULL)
    {
      json_builder_set_member_name (builder, "codes");
      json_builder_begin_array (builder);
      for (guint i = 0; codes[i] != NULL; i++)
        json_builder_add_string_value (builder, codes[i]);
      json_builder_end_array (builder);
    }
  if (removed >= 0)
    {
      json_builder_set_member_name (builder, "removed");
      json_builder_add_int_value (builder, removed);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Reading back what this laptop wrote */

static gboolean
add_recipient (GPtrArray     *recipients,
               const guint8  *x25519_public,
               GError       **error)
{
  g_ptr_array_add (recipients, vw_age_recipient_new_x25519 (x25519_public));
  return TRUE;
}

/**
 * vw_handover_add_own_recipient:
 *
 * A handover and a receipt are encrypted to this laptop too, so that it
 * can open what it wrote exactly as the receiver will, and check it.
 * This laptop holds every value in them already.
 */
gboolean
vw_handover_add_own_recipient (VwVault    *vault,
                               GPtrArray  *recipients,
                               GError    **error)
{
  g_autoptr(VwDevice) own = vw_vault_get_own_device (vault, error);

  return own != NULL && add_recipient (recipients, own->x25519_public, error);
}

static gboolean
trust_own_key (const char   *study_id,
               const guint8 *signer,
               gpointer      user_data)
{
  return sodium_memcmp (signer, user_data, VW_BUNDLE_PUBLIC_KEY_SIZE) == 0;
}

/**
 * vw_exchange_verify_written:
 *
 * Opens @path as the laptop it is for would: every check of
 * vw_bundle_open() (decryption to the end, signature, kind, study,
 * content hash), signed by this laptop, and the very bundle written (id
 * and content hash).
 */
gboolean
vw_exchange_verify_written (VwVault       *vault,
                            const char    *study,
                            const char    *path,
                            VwBundleKind   kind,
                            const char    *bundle_id,
                            const char    *content_sha256,
                            GError       **error)
{
  g_autoptr(VwDevice) own = vw_vault_get_own_device (vault, error);
  g_autoptr(GPtrArray) identities = NULL;
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *spool = g_path_get_dirname (vw_vault_get_path (vault));

  if (own == NULL || (identities = vw_study_own_identities (vault, error)) == NULL)
    return FALSE;
  bundle = vw_bundle_open (path, identities, kind, study, trust_own_key, own->ed25519_public, spool, NULL, &local);
  if (bundle != NULL && (g_strcmp0 (vw_bundle_get_id (bundle), bundle_id) != 0 ||
                         g_strcmp0 (vw_bundle_get_content_sha256 (bundle), content_sha256) != 0))
    g_set_error_literal (&local, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FAILED,
                         _("it holds another bundle than the one just written"));
  if (local != NULL)
    {
      g_autofree char *name = g_filename_display_name (path);

      /* Translators: the file, then what is wrong with it. */
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FAILED,
                   _("%s did not read back as it was written (%s)"), name, local->message);
      return FALSE;
    }
  return TRUE;
}

/* A file that failed its read-back must not be sent: it goes. */
static void
discard_written (const char  *path,
                 GError     **error,
                 const char  *consequence)
{
  g_autofree char *message = g_strdup ((*error)->message);
  GQuark domain = (*error)->domain;
  int code = (*error)->code;

  g_clear_error (error);
  if (g_unlink (path) == 0 || errno == ENOENT)
    /* Translators: why the file failed, then what that means. */
    g_set_error (error, domain, code, _("%s. The file was deleted: %s"), message, consequence);
  else
    g_set_error (error, domain, code, _("%s. Do not send the file: %s"), message, consequence);
}

/* Handovers, the sending side */

/* While a handover awaits its receipt, every record of its participants is
 * read-only, whoever writes: the handover already carries their state,
 * and a change made here would be lost on removal. Triggers do it; they
 * exist only while a participant awaits (created and dropped inside the
 * transactions that open and settle handovers): present always, they made
 * a coordinator's merge of 150,000 answers take 5.3-5.6 s instead of
 * 2.7-3.6 s (bench-merge) without ever firing. A settled handover lifts
 * them before its participants are removed. */
#define AWAITING(study, code) \
  "EXISTS (SELECT 1 FROM awaiting_receipt w WHERE w.study = " study " AND w.code = " code ")"
#define AWAITING_INTERVIEW(interview) \
  "EXISTS (SELECT 1 FROM interviews i JOIN awaiting_receipt w ON w.study = i.study AND w.code = i.code" \
  " WHERE i.id = " interview ")"
#define READ_ONLY_MESSAGE \
  "'a participant handed over and awaiting its receipt is read-only: merge the receipt or cancel the handover'"
#define CREATE_READ_ONLY(table, insert_when, old_when) \
  "CREATE TRIGGER IF NOT EXISTS " table "_awaiting_insert BEFORE INSERT ON " table " WHEN " insert_when \
  " BEGIN SELECT RAISE (ABORT, " READ_ONLY_MESSAGE "); END;" \
  "CREATE TRIGGER IF NOT EXISTS " table "_awaiting_update BEFORE UPDATE ON " table " WHEN " old_when \
  " BEGIN SELECT RAISE (ABORT, " READ_ONLY_MESSAGE "); END;" \
  "CREATE TRIGGER IF NOT EXISTS " table "_awaiting_delete BEFORE DELETE ON " table " WHEN " old_when \
  " BEGIN SELECT RAISE (ABORT, " READ_ONLY_MESSAGE "); END;"
#define BY_CODE(table) \
  CREATE_READ_ONLY (table, AWAITING ("NEW.study", "NEW.code"), AWAITING ("OLD.study", "OLD.code"))
#define BY_INTERVIEW(table) \
  CREATE_READ_ONLY (table, AWAITING_INTERVIEW ("NEW.interview"), AWAITING_INTERVIEW ("OLD.interview"))
#define DROP_READ_ONLY(table) \
  "DROP TRIGGER IF EXISTS " table "_awaiting_insert;" \
  "DROP TRIGGER IF EXISTS " table "_awaiting_update;" \
  "DROP TRIGGER IF EXISTS " table "_awaiting_delete;"

static const char create_read_only[] =
  BY_CODE ("participants")
  BY_CODE ("participant_values")
  BY_CODE ("contacts")
  BY_CODE ("interviews")
  BY_INTERVIEW ("answers")
  BY_INTERVIEW ("notes")
  BY_CODE ("quotes")
  BY_CODE ("episodes")
  BY_CODE ("consents")
  BY_CODE ("trajectory_overrides");

static const char drop_read_only[] =
  DROP_READ_ONLY ("participants")
  DROP_READ_ONLY ("participant_values")
  DROP_READ_ONLY ("contacts")
  DROP_READ_ONLY ("interviews")
  DROP_READ_ONLY ("answers")
  DROP_READ_ONLY ("notes")
  DROP_READ_ONLY ("quotes")
  DROP_READ_ONLY ("episodes")
  DROP_READ_ONLY ("consents")
  DROP_READ_ONLY ("trajectory_overrides");

#undef DROP_READ_ONLY
#undef BY_INTERVIEW
#undef BY_CODE
#undef CREATE_READ_ONLY
#undef READ_ONLY_MESSAGE
#undef AWAITING_INTERVIEW
#undef AWAITING

/* Inside the caller's transaction: the triggers exist exactly when a
 * participant awaits a receipt. */
static gboolean
update_read_only (VwVault  *vault,
                  GError  **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT EXISTS (SELECT 1 FROM awaiting_receipt)", error);
  int rc, awaiting = 0;

  if (stmt == NULL)
    return FALSE;
  if ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    awaiting = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return FALSE;
  return vw_vault_exec (vault, awaiting ? create_read_only : drop_read_only, error);
}

gboolean
vw_handover_check_codes (VwVault            *vault,
                         const char         *study,
                         const char * const *codes,
                         GError            **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT device, written FROM awaiting_receipt "
                                                "WHERE study = ? AND code = ?", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *device = NULL;
      g_autofree char *written = NULL;
      g_autofree char *label = NULL;
      int rc;

      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, codes[i]);
      rc = vw_vault_step (vault, stmt, error);
      if (rc == SQLITE_ROW)
        {
          device = vw_vault_column_text (stmt, 0);
          written = vw_vault_column_text (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (rc < 0)
        return FALSE;
      if (device == NULL)
        continue;
      label = device_label (vault, study, device);
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("%s was handed over to “%s” on %s and awaits its receipt: merge the receipt, or cancel that "
                     "handover first"), codes[i], label, written);
      return FALSE;
    }
  return TRUE;
}

static gboolean
record_handover (VwVault            *vault,
                 const char         *study,
                 const char         *device_id,
                 const char * const *codes,
                 const char         *bundle_id,
                 const char         *content_sha256,
                 gboolean            remove_on_receipt,
                 GError            **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) unique = g_ptr_array_new ();
  g_autofree char *now = vw_vault_now ();
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  for (guint i = 0; codes[i] != NULL; i++)
    if (g_hash_table_add (seen, (gpointer) codes[i]))
      g_ptr_array_add (unique, (gpointer) codes[i]);
  g_ptr_array_sort (unique, compare_strings);
  g_ptr_array_add (unique, NULL);

  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  stmt = vw_vault_prepare (vault, "INSERT INTO handovers (id, study, device, content_sha256, written, "
                                  "remove_on_receipt) VALUES (?, ?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      vw_vault_bind_text (stmt, 1, bundle_id);
      vw_vault_bind_text (stmt, 2, study);
      vw_vault_bind_text (stmt, 3, device_id);
      vw_vault_bind_text (stmt, 4, content_sha256);
      vw_vault_bind_text (stmt, 5, now);
      sqlite3_bind_int (stmt, 6, remove_on_receipt);
      ok = vw_vault_step_done (vault, stmt, error);
    }
  for (guint i = 0; ok && i + 1 < unique->len; i++)
    {
      stmt = vw_vault_prepare (vault, "INSERT INTO handover_codes (handover, study, code) VALUES (?, ?, ?)", error);
      ok = stmt != NULL;
      if (ok)
        {
          vw_vault_bind_text (stmt, 1, bundle_id);
          vw_vault_bind_text (stmt, 2, study);
          vw_vault_bind_text (stmt, 3, g_ptr_array_index (unique, i));
          ok = vw_vault_step_done (vault, stmt, error);
        }
    }
  ok = ok && update_read_only (vault, error);
  detail = audit_detail (bundle_id, NULL, (const char * const *) unique->pdata, -1);
  ok = ok && vw_vault_audit_append (vault, remove_on_receipt ? "handover_written_awaiting_receipt"
                                                             : "handover_written", device_id, detail, error);
  return vw_vault_tx_finish (vault, ok, error);
}

gboolean
vw_handover_verify_and_record (VwVault            *vault,
                               const char         *study,
                               const char         *device_id,
                               const char * const *codes,
                               const char         *path,
                               const char         *bundle_id,
                               const char         *content_sha256,
                               gboolean            remove_on_receipt,
                               GError            **error)
{
  if (!vw_exchange_verify_written (vault, study, path, VW_BUNDLE_KIND_HANDOVER, bundle_id, content_sha256,
                                   error))
    {
      discard_written (path, error, _("nothing was handed over, and every participant is still here"));
      return FALSE;
    }
  return record_handover (vault, study, device_id, codes, bundle_id, content_sha256, remove_on_receipt, error);
}

static VwHandover *
handover_from_row (VwVault       *vault,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  VwHandover *h = g_new0 (VwHandover, 1);

  h->id = vw_vault_column_text (stmt, 0);
  h->device = vw_vault_column_text (stmt, 1);
  h->written = vw_vault_column_text (stmt, 2);
  h->remove_on_receipt = sqlite3_column_int (stmt, 3) != 0;
  h->outcome = vw_vault_column_text (stmt, 4);
  h->settled = vw_vault_column_text (stmt, 5);
  return h;
}

GPtrArray *
vw_exchange_list_handovers (VwVault     *vault,
                            const char  *study,
                            GError     **error)
{
  g_autoptr(GPtrArray) handovers = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (vault, error) || (devices = vw_vault_list_devices (vault, error)) == NULL)
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT id, device, written, remove_on_receipt, outcome, settled FROM handovers "
                                  "WHERE study = ? ORDER BY written DESC, id", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  handovers = vw_vault_collect_rows (vault, stmt, (VwRowReadFunc) handover_from_row,
                                     (GDestroyNotify) vw_handover_free, error);
  if (handovers == NULL)
    return NULL;
  for (guint i = 0; i < handovers->len; i++)
    {
      VwHandover *h = g_ptr_array_index (handovers, i);

      if ((h->codes = handover_codes (vault, h->id, error)) == NULL)
        return NULL;
      for (guint d = 0; d < devices->len && h->device_label == NULL; d++)
        if (g_strcmp0 (((VwDevice *) g_ptr_array_index (devices, d))->id, h->device) == 0)
          h->device_label = g_strdup (((VwDevice *) g_ptr_array_index (devices, d))->label);
      if (h->device_label == NULL)
        h->device_label = g_strdup (h->device);
    }
  return g_steal_pointer (&handovers);
}

GHashTable *
vw_exchange_awaiting_receipt (VwVault     *vault,
                              const char  *study,
                              GError     **error)
{
  g_autoptr(GPtrArray) handovers = vw_exchange_list_handovers (vault, study, error);
  GHashTable *awaiting;

  if (handovers == NULL)
    return NULL;
  awaiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) vw_handover_free);
  for (guint i = 0; i < handovers->len; i++)
    {
      VwHandover *h = g_ptr_array_index (handovers, i);

      if (!h->remove_on_receipt || h->outcome != NULL)
        continue;
      for (guint c = 0; h->codes[c] != NULL; c++)
        g_hash_table_replace (awaiting, g_strdup (h->codes[c]), handover_dup (h));
    }
  return awaiting;
}

gboolean
vw_exchange_cancel_handover (VwVault     *vault,
                             const char  *study,
                             const char  *id_or_code,
                             GError     **error)
{
  g_autoptr(GPtrArray) handovers = vw_exchange_list_handovers (vault, study, error);
  g_autofree char *now = vw_vault_now ();
  g_autofree char *detail = NULL;
  VwHandover *found = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (handovers == NULL)
    return FALSE;
  for (guint i = 0; i < handovers->len && found == NULL; i++)
    {
      VwHandover *h = g_ptr_array_index (handovers, i);

      if (g_strcmp0 (h->id, id_or_code) == 0 ||
          (h->outcome == NULL && h->remove_on_receipt && g_strv_contains ((const char * const *) h->codes,
                                                                          id_or_code)))
        found = h;
    }
  if (found == NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("No handover awaiting a receipt is “%s” or holds it"), id_or_code);
      return FALSE;
    }
  if (found->outcome != NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   g_str_equal (found->outcome, "received") ? _("Handover %s was already received on %s")
                                                            : _("Handover %s was already cancelled on %s"),
                   found->id, found->settled);
      return FALSE;
    }
  if (!found->remove_on_receipt)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Handover %s kept its participants on this laptop: there is nothing to cancel"), found->id);
      return FALSE;
    }

  if (!vw_vault_tx_begin (vault, error))
    return FALSE;
  stmt = vw_vault_prepare (vault, "UPDATE handovers SET outcome = 'cancelled', settled = ? "
                                  "WHERE id = ? AND outcome IS NULL", error);
  ok = stmt != NULL;
  if (ok)
    {
      vw_vault_bind_text (stmt, 1, now);
      vw_vault_bind_text (stmt, 2, found->id);
      ok = vw_vault_step_done (vault, stmt, error);
    }
  ok = ok && update_read_only (vault, error);
  detail = audit_detail (found->id, NULL, (const char * const *) found->codes, -1);
  ok = ok && vw_vault_audit_append (vault, "handover_cancelled", found->device, detail, error);
  return vw_vault_tx_finish (vault, ok, error);
}

/* Receipts, the sending side: merging one */

struct _VwReceiptCheck
{
  char     *receipt;      /* the receipt's bundle id */
  char     *handover;
  char     *device;       /* the device the handover went to */
  char     *device_label;
  char     *path;
  gboolean  remove_on_receipt;
  GStrv     codes;
};

void
vw_receipt_check_free (VwReceiptCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->receipt);
  g_free (check->handover);
  g_free (check->device);
  g_free (check->device_label);
  g_free (check->path);
  g_strfreev (check->codes);
  g_free (check);
}

static gboolean
same_codes (const char * const *a,
            const char * const *b)
{
  guint i;

  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    if (strcmp (a[i], b[i]) != 0)
      return FALSE;
  return a[i] == NULL && b[i] == NULL;
}

/**
 * vw_receipt_check:
 *
 * Everything a receipt must be before it may remove anyone: readable, for
 * a handover this laptop wrote, signed by exactly the laptop that handover
 * went to, for the same content and codes, and for a handover still open.
 * Reads only: the vault is the same whatever this returns.
 */
VwReceiptCheck *
vw_receipt_check (VwVault     *vault,
                  const char  *study,
                  VwBundle    *bundle,
                  const char  *path,
                  char       **replay,
                  GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_auto(VwReceiptContent) content = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(VwDevice) device = NULL;
  g_autoptr(VwReceiptCheck) check = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *settled = NULL;
  g_auto(GStrv) codes = NULL;
  gboolean remove = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  if ((bytes = vw_bundle_load_content (bundle, VW_RECEIPT_MAX_CONTENT, &local)) == NULL ||
      !vw_receipt_content_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &content, &local))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, _("Rejected %s: %s"), name, local->message);
      return NULL;
    }

  stmt = vw_vault_prepare (vault, "SELECT device, content_sha256, remove_on_receipt, outcome, settled "
                                  "FROM handovers WHERE id = ? AND study = ?", error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, content.handover);
  vw_vault_bind_text (stmt, 2, study);
  if ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      device_id = vw_vault_column_text (stmt, 0);
      sha256 = vw_vault_column_text (stmt, 1);
      remove = sqlite3_column_int (stmt, 2) != 0;
      outcome = vw_vault_column_text (stmt, 3);
      settled = vw_vault_column_text (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  if (device_id == NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Rejected %s: it is a receipt for handover %s, which this laptop did not write"), name,
                   content.handover);
      return NULL;
    }

  /* The one laptop whose word counts is the one the handover went to. */
  device = vw_study_find_device (vault, study, device_id, NULL);
  if (device == NULL || sodium_memcmp (device->ed25519_public, vw_bundle_get_signer (bundle),
                                       VW_BUNDLE_PUBLIC_KEY_SIZE) != 0)
    {
      g_autofree char *label = device_label (vault, study, device_id);

      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Rejected %s: handover %s went to “%s”, but this receipt is signed by another laptop"), name,
                   content.handover, label);
      return NULL;
    }
  if (g_strcmp0 (sha256, content.content_sha256) != 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Rejected %s: the receipt is for other content than handover %s held"), name, content.handover);
      return NULL;
    }
  if ((codes = handover_codes (vault, content.handover, error)) == NULL)
    return NULL;
  if (!same_codes ((const char * const *) codes, (const char * const *) content.codes))
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Rejected %s: the receipt lists other participants than handover %s held"), name,
                   content.handover);
      return NULL;
    }
  if (g_strcmp0 (outcome, "cancelled") == 0)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Rejected %s: handover %s was cancelled on %s, so its participants stay on this laptop (and "
                     "“%s” holds them too)"), name, content.handover, settled, device->label);
      return NULL;
    }
  if (g_strcmp0 (outcome, "received") == 0)
    {
      *replay = g_strdup_printf (_("%s: handover %s was already received on %s; nothing changed"), name,
                                 content.handover, settled);
      return NULL;
    }

  check = g_new0 (VwReceiptCheck, 1);
  check->receipt = g_strdup (vw_bundle_get_id (bundle));
  check->handover = g_steal_pointer (&content.handover);
  check->device = g_steal_pointer (&device_id);
  check->device_label = g_strdup (device->label);
  check->path = g_strdup (path);
  check->remove_on_receipt = remove;
  check->codes = g_steal_pointer (&codes);
  return g_steal_pointer (&check);
}

/**
 * vw_receipt_apply:
 *
 * Inside the merge's transaction: the handover is settled as received
 * first (which lifts the read-only triggers), then its participants are
 * removed with every record, and the audit trail says so.
 */
gboolean
vw_receipt_apply (VwVault         *vault,
                  const char      *study,
                  VwReceiptCheck  *check,
                  VwMergeReport   *report,
                  GError         **error)
{
  g_autofree char *now = vw_vault_now ();
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  guint removed = 0;

  stmt = vw_vault_prepare (vault, "UPDATE handovers SET outcome = 'received', settled = ?, receipt = ? "
                                  "WHERE id = ? AND outcome IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, now);
  vw_vault_bind_text (stmt, 2, check->receipt);
  vw_vault_bind_text (stmt, 3, check->handover);
  if (!vw_vault_step_done (vault, stmt, error))
    return FALSE;
  /* Two receipts for one handover in the same merge: the first settled it. */
  if (vw_vault_changes (vault) != 1)
    {
      g_autofree char *name = g_filename_display_basename (check->path);

      g_ptr_array_add (report->replays, g_strdup_printf (_("%s: handover %s was already received earlier in this "
                                                           "merge; nothing changed"), name, check->handover));
      return TRUE;
    }

  if (!update_read_only (vault, error))
    return FALSE;
  for (guint i = 0; check->remove_on_receipt && check->codes[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;

      /* Erased here meanwhile (consent withdrawn): nothing left to remove. */
      if (!vw_vault_check_participant (vault, study, check->codes[i], &local))
        {
          if (!g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          continue;
        }
      if (!vw_vault_delete_participant (vault, study, check->codes[i], error))
        return FALSE;
      removed++;
    }

  detail = audit_detail (check->handover, check->receipt, (const char * const *) check->codes, removed);
  if (!vw_vault_audit_append (vault, "handover_receipt_merged", check->device, detail, error))
    return FALSE;
  report_add (report->receipts_merged, check->handover, check->device_label, check->path, removed);
  return TRUE;
}

/* Receipts, the receiving side */

/* The participant codes of a handover's rows, sorted, each once. */
static GStrv
handover_content_codes (VwBundle  *bundle,
                        GError   **error)
{
  g_autoptr(GInputStream) raw = vw_bundle_read_content (bundle, error);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local = NULL;
  gsize len;
  char *line;

  if (raw == NULL)
    return NULL;
  in = g_data_input_stream_new (raw);
  while ((line = g_data_input_stream_read_line (in, &len, NULL, &local)) != NULL)
    {
      char *fields[VW_ROWS_MAX_FIELDS];
      char type = 0;

      if (line[0] == 'P' && line[1] == '\t' && vw_rows_split (line, &type, fields) >= 1 && fields[0] != NULL)
        g_ptr_array_add (codes, g_strdup (fields[0]));
      /* The rows hold pseudonyms and contact details. */
      sodium_memzero (line, len);
      g_free (line);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_ptr_array_sort (codes, compare_strings);
  for (guint i = 0; i < codes->len; i++)
    if (i == 0 || strcmp (g_ptr_array_index (codes, i - 1), g_ptr_array_index (codes, i)) != 0)
      g_strv_builder_add (builder, g_ptr_array_index (codes, i));
  return g_strv_builder_end (builder);
}

gboolean
vw_receipt_note_handover (VwVault        *vault,
                          const char     *study,
                          VwBundle       *bundle,
                          const char     *path,
                          const char     *merged,
                          VwMergeReport  *report,
                          GError        **error)
{
  g_auto(GStrv) codes = handover_content_codes (bundle, error);
  g_autoptr(VwDevice) sender = NULL;
  g_autofree char *joined = NULL;
  char signer[2 * VW_BUNDLE_PUBLIC_KEY_SIZE + 1];
  sqlite3_stmt *stmt;

  if (codes == NULL)
    return FALSE;
  if (codes[0] == NULL)
    return TRUE; /* nobody was handed over: nothing to confirm */
  sodium_bin2hex (signer, sizeof signer, vw_bundle_get_signer (bundle), VW_BUNDLE_PUBLIC_KEY_SIZE);
  joined = g_strjoinv ("\n", codes);
  stmt = vw_vault_prepare (vault, "INSERT OR REPLACE INTO received_handovers (id, study, signer, content_sha256, "
                                  "codes, merged) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, vw_bundle_get_id (bundle));
  vw_vault_bind_text (stmt, 2, study);
  vw_vault_bind_text (stmt, 3, signer);
  vw_vault_bind_text (stmt, 4, vw_bundle_get_content_sha256 (bundle));
  vw_vault_bind_text (stmt, 5, joined);
  vw_vault_bind_text (stmt, 6, merged);
  if (!vw_vault_step_done (vault, stmt, error))
    return FALSE;
  sender = device_by_signer (vault, study, vw_bundle_get_signer (bundle));
  report_add (report->receipts_due, vw_bundle_get_id (bundle), sender ? sender->label : signer, path,
              g_strv_length (codes));
  return TRUE;
}

void
vw_receipt_note_replay (VwVault        *vault,
                        const char     *study,
                        VwBundle       *bundle,
                        const char     *path,
                        VwMergeReport  *report)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT codes FROM received_handovers WHERE id = ? AND study = ?",
                                         NULL);
  g_autofree char *codes = NULL;
  g_autoptr(VwDevice) sender = NULL;

  if (stmt == NULL)
    return;
  vw_vault_bind_text (stmt, 1, vw_bundle_get_id (bundle));
  vw_vault_bind_text (stmt, 2, study);
  if (vw_vault_step (vault, stmt, NULL) == SQLITE_ROW)
    codes = vw_vault_column_text (stmt, 0);
  sqlite3_reset (stmt);
  if (codes == NULL)
    return;
  {
    g_auto(GStrv) list = g_strsplit (codes, "\n", -1);

    sender = device_by_signer (vault, study, vw_bundle_get_signer (bundle));
    report_add (report->receipts_due, vw_bundle_get_id (bundle), sender ? sender->label : "?", path,
                g_strv_length (list));
  }
}

/**
 * vw_exchange_write_receipt:
 *
 * The receipt names what arrived: the handover's id, the hash of its
 * content (as its signed manifest gave it) and the participant codes it
 * held. It is written for the laptop that signed the handover, which must
 * still be trusted here, and read back before it counts as written.
 */
gboolean
vw_exchange_write_receipt (VwVault     *vault,
                           const char  *study,
                           const char  *handover,
                           const char  *path,
                           char       **receipt_id,
                           GError     **error)
{
  g_auto(VwReceiptContent) content = { 0 };
  g_auto(VwReceiptContent) again = { 0 };
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(VwDevice) sender = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *signer_hex = NULL;
  g_autofree char *codes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  guint8 signer[VW_BUNDLE_PUBLIC_KEY_SIZE];
  guint8 digest[crypto_hash_sha256_BYTES];
  char digest_hex[2 * crypto_hash_sha256_BYTES + 1];
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (vault, error) || (info = vw_vault_get_study (vault, study, error)) == NULL)
    return FALSE;
  if (info->role != VW_STUDY_ROLE_DUO)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                           _("Only a duo’s laptop receives handovers and writes their receipts"));
      return FALSE;
    }
  stmt = vw_vault_prepare (vault, "SELECT signer, content_sha256, codes FROM received_handovers "
                                  "WHERE id = ? AND study = ?", error);
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, handover);
  vw_vault_bind_text (stmt, 2, study);
  if ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      signer_hex = vw_vault_column_text (stmt, 0);
      content.content_sha256 = vw_vault_column_text (stmt, 1);
      codes = vw_vault_column_text (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (signer_hex == NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("This laptop has not merged a handover %s, so it cannot confirm it"), handover);
      return FALSE;
    }
  if (sodium_hex2bin (signer, sizeof signer, signer_hex, strlen (signer_hex), NULL, NULL, NULL) != 0 ||
      (sender = device_by_signer (vault, study, signer)) == NULL || !sender->trusted || sender->revoked_at != NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("The laptop that sent handover %s is no longer trusted here, so no receipt goes to it"),
                   handover);
      return FALSE;
    }
  content.handover = g_strdup (handover);
  content.codes = g_strsplit (codes, "\n", -1);
  bytes = vw_receipt_content_to_bytes (&content);
  /* What the sender will accept, and nothing else, leaves this laptop. */
  if (!vw_receipt_content_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &again, error))
    return FALSE;

  if (!add_recipient (recipients, sender->x25519_public, error) ||
      !vw_handover_add_own_recipient (vault, recipients, error) ||
      (signing = vw_vault_dup_ed25519_secret (vault, error)) == NULL)
    return FALSE;

  crypto_hash_sha256 (digest, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  sodium_bin2hex (digest_hex, sizeof digest_hex, digest, sizeof digest);
  if (!vw_bundle_write_bytes (path, VW_BUNDLE_KIND_RECEIPT, study, signing, recipients, bytes, &id, NULL, error))
    return FALSE;
  if (!vw_exchange_verify_written (vault, study, path, VW_BUNDLE_KIND_RECEIPT, id, digest_hex, error))
    {
      discard_written (path, error, _("write the receipt again"));
      return FALSE;
    }
  detail = audit_detail (handover, id, NULL, -1);
  if (!vw_vault_audit (vault, "receipt_written", sender->id, detail, error))
    return FALSE;
  if (receipt_id != NULL)
    *receipt_id = g_steal_pointer (&id);
  return TRUE;
}
