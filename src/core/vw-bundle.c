/* Signed bundles: an age file whose plaintext is
 *
 *   "VELDWERK-BUNDLE 1\n" | u32 big-endian N | N bytes manifest (JSON)
 *   | 64-byte Ed25519 signature | content
 *
 * The signature covers everything before it. src/core/README-bundles.md
 * documents the format for anyone who has to read a bundle without us.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "vw-atomic-file.h"
#include "vw-bundle.h"

#define MAGIC          "VELDWERK-BUNDLE 1\n"
#define MAGIC_LEN      (sizeof MAGIC - 1)
#define FORMAT_VERSION 1
#define MAX_MANIFEST   (64 * 1024)
#define MAX_STUDY_ID   200
#define ID_BYTES       16
#define COPY_SIZE      (64 * 1024)

G_STATIC_ASSERT (VW_BUNDLE_PUBLIC_KEY_SIZE == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (VW_BUNDLE_SIGNING_KEY_SIZE == crypto_sign_SECRETKEYBYTES);

G_DEFINE_QUARK (vw-bundle-error-quark, vw_bundle_error)

/* The one list of bundle kinds. The content of each kind is defined by
 * the module that makes it; the bundle only carries it. */
/* Row types (README-bundles.md, "Exchange rows"): S sender, R round, P participant,
 * B participant's linkage filter, V participant value, I interview, A answer, N note, Q quote, E episode,
 * C consent, K contact details, L audit entry, J alias (a joined code and
 * the code kept for it), T attempts summary (count and outcome codes of a
 * round's contact attempts). Contact details (K) travel only in a handover,
 * aliases (J) only in the coordinator's round preparation; names never
 * travel in rows at all. */
static const VwBundleKindInfo kinds[] = {
  { VW_BUNDLE_KIND_INVITATION, "invitation", "coordinator", "duo device",
    "JSON: study id, name, regions, questionnaire, rounds, coordinator keys and recipients, linkage key", NULL },
  { VW_BUNDLE_KIND_SUBMISSION, "submission", "duo device", "coordinator",
    "rows: participants (code, pseudonym, region, linkage hash, linkage filter), values, interviews, answers, notes, quotes, "
    "episodes, consents, audit entries, contact attempt summaries", "SRPBVIANQECLT" },
  { VW_BUNDLE_KIND_ROUND_PREPARATION, "round_preparation", "coordinator", "duo device",
    "rows: rounds, the assigned participants with their values, episodes, consents and the previous round's "
    "interviews and answers, the aliases of joined codes among them", "SRPBVIAECJ" },
  { VW_BUNDLE_KIND_HANDOVER, "handover", "duo device", "duo device",
    "rows: chosen participants with contact details and their whole history", "SRPBVIANQECK" },
  { VW_BUNDLE_KIND_EXPORT, "export", "coordinator", "analysts", "anonymized export files", NULL },
  /* The receiving duo's word that a handover arrived whole; only then
   * does the sender remove the participants (vw-exchange-receipt.c). */
  { VW_BUNDLE_KIND_RECEIPT, "receipt", "duo device", "duo device",
    "JSON: the handover's bundle id, the SHA-256 of its content, the participant codes received", NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == VW_BUNDLE_N_KINDS);

const VwBundleKindInfo *
vw_bundle_kind_get_info (VwBundleKind kind)
{
  g_return_val_if_fail (kind < VW_BUNDLE_N_KINDS, NULL);

  return &kinds[kind];
}

gboolean
vw_bundle_kind_from_name (const char   *name,
                          VwBundleKind *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i].name, name) == 0)
      {
        *kind = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

/**
 * vw_bundle_signing_key_generate:
 * @public_key: (out caller-allocates): the key others use to check
 *
 * Returns: (transfer full): a new Ed25519 signing key for a device
 */
VwSecret *
vw_bundle_signing_key_generate (guint8 public_key[VW_BUNDLE_PUBLIC_KEY_SIZE])
{
  VwSecret *key = vw_secret_new (VW_BUNDLE_SIGNING_KEY_SIZE);

  crypto_sign_keypair (public_key, vw_secret_data (key));
  return key;
}

/* The manifest */

typedef struct
{
  VwBundleKind  kind;
  char         *study_id;
  guint8        signer[VW_BUNDLE_PUBLIC_KEY_SIZE];
  GDateTime    *created;
  char         *id;
  guint64       content_size;
  char          content_sha256[2 * crypto_hash_sha256_BYTES + 1];
} Manifest;

static void
manifest_clear (Manifest *manifest)
{
  g_clear_pointer (&manifest->study_id, g_free);
  g_clear_pointer (&manifest->created, g_date_time_unref);
  g_clear_pointer (&manifest->id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Manifest, manifest_clear)

static gboolean
study_id_is_valid (const char *study_id)
{
  gsize len = strlen (study_id);

  if (len == 0 || len > MAX_STUDY_ID || !g_utf8_validate (study_id, len, NULL))
    return FALSE;
  for (const char *p = study_id; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The one serialization: fixed member order, no spaces. A manifest is
 * valid only if it is byte for byte what this function makes of it. */
static char *
manifest_to_json (const Manifest *manifest,
                  gsize          *len)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created = g_date_time_format (manifest->created, "%Y-%m-%dT%H:%M:%SZ");
  char signer[2 * VW_BUNDLE_PUBLIC_KEY_SIZE + 1];

  sodium_bin2hex (signer, sizeof signer, manifest->signer, sizeof manifest->signer);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kinds[manifest->kind].name);
  json_builder_set_member_name (builder, "study");
  json_builder_add_string_value (builder, manifest->study_id);
  json_builder_set_member_name (builder, "signer");
  json_builder_add_string_value (builder, signer);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, manifest->id);
  json_builder_set_member_name (builder, "content_size");
  json_builder_add_int_value (builder, (gint64) manifest->content_size);
  json_builder_set_member_name (builder, "content_sha256");
  json_builder_add_string_value (builder, manifest->content_sha256);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, len);
}

static gboolean
format_error (GError     **error,
              const char  *detail)
{
  g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_FORMAT,
               _("This is not a bundle this version of Veldwerk can read: %s"), detail);
  return FALSE;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
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
manifest_parse (const char  *data,
                gsize        len,
                Manifest    *manifest,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *canonical = NULL;
  JsonObject *object;
  const char *kind, *study, *signer, *created, *id, *sha256;
  gint64 version = 0, size = 0;
  gsize canonical_len = 0;

  if (!g_utf8_validate (data, len, NULL) || !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return format_error (error, _("the manifest is not a JSON object"));
  object = json_node_get_object (json_parser_get_root (parser));

  if (!get_int (object, "format", &version) || version != FORMAT_VERSION)
    return format_error (error, _("the format version is unknown"));

  kind = get_string (object, "kind");
  study = get_string (object, "study");
  signer = get_string (object, "signer");
  created = get_string (object, "created");
  id = get_string (object, "id");
  sha256 = get_string (object, "content_sha256");
  if (kind == NULL || !vw_bundle_kind_from_name (kind, &manifest->kind))
    return format_error (error, _("the bundle kind is unknown"));
  if (study == NULL || !study_id_is_valid (study) ||
      !is_lower_hex (signer, 2 * VW_BUNDLE_PUBLIC_KEY_SIZE) ||
      created == NULL ||
      !is_lower_hex (id, 2 * ID_BYTES) ||
      !get_int (object, "content_size", &size) || size < 0 ||
      !is_lower_hex (sha256, 2 * crypto_hash_sha256_BYTES))
    return format_error (error, _("the manifest is incomplete"));

  manifest->created = g_date_time_new_from_iso8601 (created, NULL);
  if (manifest->created == NULL)
    return format_error (error, _("the creation time is not valid"));
  manifest->study_id = g_strdup (study);
  sodium_hex2bin (manifest->signer, sizeof manifest->signer, signer, strlen (signer), NULL, NULL, NULL);
  manifest->id = g_strdup (id);
  manifest->content_size = size;
  memcpy (manifest->content_sha256, sha256, sizeof manifest->content_sha256);

  /* One valid form only: no other members, order or spacing. */
  canonical = manifest_to_json (manifest, &canonical_len);
  if (canonical_len != len || memcmp (canonical, data, len) != 0)
    return format_error (error, _("the manifest is not in canonical form"));

  return TRUE;
}

/* Writing */

typedef GInputStream *(*OpenContentFunc) (gpointer       source,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Reads all of a content stream, hashing it, and copying it to @out if
 * that is given. */
static gboolean
hash_content (GInputStream   *in,
              GOutputStream  *out,
              guint8          digest[crypto_hash_sha256_BYTES],
              guint64        *size,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autofree guint8 *buffer = g_malloc (COPY_SIZE);
  crypto_hash_sha256_state state;

  crypto_hash_sha256_init (&state);
  *size = 0;
  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, COPY_SIZE, cancellable, error);
      gsize written = 0;

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      crypto_hash_sha256_update (&state, buffer, n);
      *size += n;
      if (out != NULL && !g_output_stream_write_all (out, buffer, n, &written, cancellable, error))
        return FALSE;
    }
  crypto_hash_sha256_final (&state, digest);
  sodium_memzero (buffer, COPY_SIZE);
  return TRUE;
}

static gboolean
write_bundle (const char       *path,
              VwBundleKind      kind,
              const char       *study_id,
              const VwSecret   *signing_key,
              GPtrArray        *recipients,
              OpenContentFunc   open_content,
              gpointer          source,
              char            **bundle_id,
              GCancellable     *cancellable,
              GError          **error)
{
  g_auto(Manifest) manifest = { 0 };
  g_autoptr(GInputStream) content = NULL;
  g_autoptr(VwAtomicFile) file = NULL;
  g_autoptr(VwAgeEncryptor) encryptor = NULL;
  g_autoptr(GByteArray) signed_part = g_byte_array_new ();
  g_autofree char *json = NULL;
  guint8 digest[crypto_hash_sha256_BYTES], again[crypto_hash_sha256_BYTES];
  guint8 id[ID_BYTES], length[4], signature[crypto_sign_BYTES];
  char id_hex[2 * ID_BYTES + 1];
  guint64 size_again = 0;
  gsize json_len = 0, written = 0;

  g_return_val_if_fail (kind < VW_BUNDLE_N_KINDS, FALSE);

  if (!study_id_is_valid (study_id))
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID,
                           _("The study id must be 1 to 200 characters of text"));
      return FALSE;
    }
  if (signing_key == NULL || vw_secret_len (signing_key) != VW_BUNDLE_SIGNING_KEY_SIZE)
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID,
                           _("The device signing key is not an Ed25519 key"));
      return FALSE;
    }

  /* First pass: the hash goes into the manifest, before the content. */
  content = open_content (source, cancellable, error);
  if (content == NULL || !hash_content (content, NULL, digest, &manifest.content_size, cancellable, error))
    return FALSE;
  g_clear_object (&content);

  randombytes_buf (id, sizeof id);
  sodium_bin2hex (id_hex, sizeof id_hex, id, sizeof id);
  manifest.kind = kind;
  manifest.study_id = g_strdup (study_id);
  crypto_sign_ed25519_sk_to_pk (manifest.signer, vw_secret_const_data (signing_key));
  manifest.created = g_date_time_new_now_utc ();
  manifest.id = g_strdup (id_hex);
  sodium_bin2hex (manifest.content_sha256, sizeof manifest.content_sha256, digest, sizeof digest);
  json = manifest_to_json (&manifest, &json_len);
  g_assert (json_len <= MAX_MANIFEST);

  length[0] = json_len >> 24;
  length[1] = json_len >> 16;
  length[2] = json_len >> 8;
  length[3] = json_len;
  g_byte_array_append (signed_part, (const guint8 *) MAGIC, MAGIC_LEN);
  g_byte_array_append (signed_part, length, sizeof length);
  g_byte_array_append (signed_part, (const guint8 *) json, json_len);
  crypto_sign_detached (signature, NULL, signed_part->data, signed_part->len,
                        vw_secret_const_data (signing_key));
  /* A key whose public half does not match its secret half would sign
   * bundles that no one can open: catch it here. */
  if (crypto_sign_verify_detached (signature, signed_part->data, signed_part->len, manifest.signer) != 0)
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID,
                           _("The device signing key is damaged"));
      return FALSE;
    }

  file = vw_atomic_file_new (path, 0644, error);
  if (file == NULL)
    return FALSE;
  encryptor = vw_age_encryptor_new (vw_atomic_file_get_stream (file), recipients, FALSE, cancellable, error);
  if (encryptor == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (encryptor), signed_part->data, signed_part->len,
                                  &written, cancellable, error) ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (encryptor), signature, sizeof signature,
                                  &written, cancellable, error))
    return FALSE;

  /* Second pass: the content itself, which must not have changed since. */
  content = open_content (source, cancellable, error);
  if (content == NULL ||
      !hash_content (content, G_OUTPUT_STREAM (encryptor), again, &size_again, cancellable, error))
    return FALSE;
  if (size_again != manifest.content_size || sodium_memcmp (again, digest, sizeof digest) != 0)
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_CONTENT_HASH,
                           _("The content changed while the bundle was being written"));
      return FALSE;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (encryptor), cancellable, error) ||
      !vw_atomic_file_commit (file, FALSE, error))
    return FALSE;

  if (bundle_id != NULL)
    *bundle_id = g_strdup (id_hex);
  return TRUE;
}

static GInputStream *
open_file_content (gpointer       source,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return G_INPUT_STREAM (g_file_read (source, cancellable, error));
}

static GInputStream *
open_bytes_content (gpointer       source,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return g_memory_input_stream_new_from_bytes (source);
}

/**
 * vw_bundle_write_file:
 * @path: where the bundle goes; an existing file there is an error
 * @signing_key: the sending device's Ed25519 key (64 bytes)
 * @recipients: (element-type VwAgeRecipient): who can open it
 * @content: read twice: once for the hash, once to encrypt
 * @bundle_id: (out) (optional): the new bundle's random id
 *
 * Writes a bundle to a temporary file beside @path and renames it into
 * place when complete.
 */
gboolean
vw_bundle_write_file (const char      *path,
                      VwBundleKind     kind,
                      const char      *study_id,
                      const VwSecret  *signing_key,
                      GPtrArray       *recipients,
                      GFile           *content,
                      char           **bundle_id,
                      GCancellable    *cancellable,
                      GError         **error)
{
  return write_bundle (path, kind, study_id, signing_key, recipients, open_file_content, content,
                       bundle_id, cancellable, error);
}

gboolean
vw_bundle_write_bytes (const char      *path,
                       VwBundleKind     kind,
                       const char      *study_id,
                       const VwSecret  *signing_key,
                       GPtrArray       *recipients,
                       GBytes          *content,
                       char           **bundle_id,
                       GCancellable    *cancellable,
                       GError         **error)
{
  return write_bundle (path, kind, study_id, signing_key, recipients, open_bytes_content, content,
                       bundle_id, cancellable, error);
}

/* Opening */

struct _VwBundle
{
  GObject   parent_instance;

  Manifest  manifest;
  int       spool_fd; /* owned: the content, in an unlinked file */
};

G_DEFINE_FINAL_TYPE (VwBundle, vw_bundle, G_TYPE_OBJECT)

static void
vw_bundle_finalize (GObject *object)
{
  VwBundle *self = VW_BUNDLE (object);

  manifest_clear (&self->manifest);
  if (self->spool_fd >= 0)
    close (self->spool_fd);

  G_OBJECT_CLASS (vw_bundle_parent_class)->finalize (object);
}

static void
vw_bundle_class_init (VwBundleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vw_bundle_finalize;
}

static void
vw_bundle_init (VwBundle *self)
{
  self->spool_fd = -1;
}

/* Age failures keep their own words, under the bundle's failure kinds. */
static void
set_age_error (GError **error,
               GError  *age_error)
{
  if (age_error->domain == VW_AGE_ERROR && age_error->code == VW_AGE_ERROR_NO_MATCH)
    g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_NO_MATCH,
                 _("The bundle is not addressed to this device: %s"), age_error->message);
  else if (age_error->domain == VW_AGE_ERROR)
    g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_DECRYPT,
                 _("The bundle could not be decrypted: %s"), age_error->message);
  else
    g_propagate_error (error, g_error_copy (age_error));
  g_error_free (age_error);
}

static gboolean
read_exact (GInputStream  *in,
            void          *buffer,
            gsize          count,
            GCancellable  *cancellable,
            GError       **error)
{
  GError *local_error = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all (in, buffer, count, &got, cancellable, &local_error))
    {
      set_age_error (error, local_error);
      return FALSE;
    }
  if (got < count)
    return format_error (error, _("it ends before its manifest and signature"));
  return TRUE;
}

/* A file without a name in @dir: plaintext that never outlives the
 * process. */
static int
create_spool (const char  *dir,
              GError     **error)
{
  return vw_atomic_file_open_unnamed (dir, error);
}

static VwBundle *open_stream (GInputStream        *in,
                              GPtrArray           *identities,
                              VwBundleKind         expected_kind,
                              const char          *expected_study,
                              VwBundleTrustFunc    trust,
                              gpointer             trust_data,
                              VwBundleSignerCheck  check,
                              gpointer             check_data,
                              const char          *spool_dir,
                              GCancellable        *cancellable,
                              GError             **error);

/**
 * vw_bundle_open_stream:
 * @identities: (element-type VwAgeIdentity): this device's identities
 * @expected_kind: the kind the caller wants, or %VW_BUNDLE_KIND_ANY
 * @expected_study: (nullable): the study the caller wants, or %NULL for any
 * @trust: decides whether the signer may send bundles for the study
 * @spool_dir: (nullable): where the content waits (an unlinked file);
 *   the vault's directory is a good place, the temporary directory is used
 *   otherwise
 *
 * Checks in order: decryption (%VW_BUNDLE_ERROR_DECRYPT, _NO_MATCH), the
 * framing (_FORMAT), the signature (_SIGNATURE), the kind and study
 * (_WRONG_KIND, _WRONG_STUDY), trust (_UNTRUSTED) and, after the whole
 * content is decrypted, its size and hash (_CONTENT_HASH). The checks up
 * to trust run before any content is written, so nothing from an unknown
 * sender touches the disk.
 *
 * Returns: (transfer full): the bundle, or %NULL
 */
VwBundle *
vw_bundle_open_stream (GInputStream       *in,
                       GPtrArray          *identities,
                       VwBundleKind        expected_kind,
                       const char         *expected_study,
                       VwBundleTrustFunc   trust,
                       gpointer            trust_data,
                       const char         *spool_dir,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_return_val_if_fail (trust != NULL, NULL);

  return open_stream (in, identities, expected_kind, expected_study, trust, trust_data, NULL, NULL, spool_dir,
                      cancellable, error);
}

/* Either @trust or @check decides on the signer. */
static VwBundle *
open_stream (GInputStream        *in,
             GPtrArray           *identities,
             VwBundleKind         expected_kind,
             const char          *expected_study,
             VwBundleTrustFunc    trust,
             gpointer             trust_data,
             VwBundleSignerCheck  check,
             gpointer             check_data,
             const char          *spool_dir,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(VwBundle) self = NULL;
  g_autoptr(VwAgeDecryptor) decryptor = NULL;
  g_autoptr(GOutputStream) spool = NULL;
  g_autofree guint8 *signed_part = NULL;
  GError *age_error = NULL;
  guint8 magic[MAGIC_LEN], length[4], signature[crypto_sign_BYTES], digest[crypto_hash_sha256_BYTES];
  char digest_hex[2 * crypto_hash_sha256_BYTES + 1];
  guint64 size = 0;
  gsize manifest_len;

  g_return_val_if_fail ((trust != NULL) != (check != NULL), NULL);
  g_return_val_if_fail (expected_kind <= VW_BUNDLE_KIND_ANY, NULL);

  decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, cancellable, &age_error);
  if (decryptor == NULL || !vw_age_decryptor_unlock (decryptor, identities, cancellable, &age_error))
    {
      set_age_error (error, age_error);
      return NULL;
    }

  if (!read_exact (G_INPUT_STREAM (decryptor), magic, sizeof magic, cancellable, error))
    return NULL;
  if (memcmp (magic, MAGIC, MAGIC_LEN) != 0)
    {
      format_error (error, _("it does not start with “VELDWERK-BUNDLE 1”"));
      return NULL;
    }
  if (!read_exact (G_INPUT_STREAM (decryptor), length, sizeof length, cancellable, error))
    return NULL;
  manifest_len = ((gsize) length[0] << 24) | ((gsize) length[1] << 16) | ((gsize) length[2] << 8) | length[3];
  if (manifest_len == 0 || manifest_len > MAX_MANIFEST)
    {
      format_error (error, _("the manifest length is out of range"));
      return NULL;
    }

  signed_part = g_malloc (MAGIC_LEN + 4 + manifest_len);
  memcpy (signed_part, magic, MAGIC_LEN);
  memcpy (signed_part + MAGIC_LEN, length, 4);
  if (!read_exact (G_INPUT_STREAM (decryptor), signed_part + MAGIC_LEN + 4, manifest_len, cancellable, error) ||
      !read_exact (G_INPUT_STREAM (decryptor), signature, sizeof signature, cancellable, error))
    return NULL;

  self = g_object_new (VW_TYPE_BUNDLE, NULL);
  if (!manifest_parse ((const char *) signed_part + MAGIC_LEN + 4, manifest_len, &self->manifest, error))
    return NULL;

  if (crypto_sign_verify_detached (signature, signed_part, MAGIC_LEN + 4 + manifest_len,
                                   self->manifest.signer) != 0)
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_SIGNATURE,
                           _("The bundle’s signature is not valid: it was changed or forged"));
      return NULL;
    }
  if (expected_kind != VW_BUNDLE_KIND_ANY && self->manifest.kind != expected_kind)
    {
      g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_WRONG_KIND,
                   _("This is a bundle of kind “%s”, not “%s”"),
                   kinds[self->manifest.kind].name, kinds[expected_kind].name);
      return NULL;
    }
  if (expected_study != NULL && strcmp (self->manifest.study_id, expected_study) != 0)
    {
      g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_WRONG_STUDY,
                   _("This bundle belongs to study “%s”, not “%s”"),
                   self->manifest.study_id, expected_study);
      return NULL;
    }
  if (check != NULL)
    {
      GError *local = NULL;

      if (!check (self, check_data, &local))
        {
          if (local == NULL)
            g_set_error_literal (&local, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED,
                                 _("The bundle was signed by a device that is not trusted for it"));
          g_propagate_error (error, local);
          return NULL;
        }
    }
  else if (!trust (self->manifest.study_id, self->manifest.signer, trust_data))
    {
      g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED,
                   _("The bundle was signed by a device that is not trusted for study “%s”"),
                   self->manifest.study_id);
      return NULL;
    }

  self->spool_fd = create_spool (spool_dir, error);
  if (self->spool_fd < 0)
    return NULL;
  spool = g_unix_output_stream_new (self->spool_fd, FALSE);
  if (!hash_content (G_INPUT_STREAM (decryptor), spool, digest, &size, cancellable, &age_error))
    {
      set_age_error (error, age_error);
      return NULL;
    }

  sodium_bin2hex (digest_hex, sizeof digest_hex, digest, sizeof digest);
  if (size != self->manifest.content_size || strcmp (digest_hex, self->manifest.content_sha256) != 0)
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_CONTENT_HASH,
                           _("The bundle’s content is not what its sender signed"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * vw_bundle_open:
 *
 * vw_bundle_open_stream() on the file at @path.
 */
VwBundle *
vw_bundle_open (const char         *path,
                GPtrArray          *identities,
                VwBundleKind        expected_kind,
                const char         *expected_study,
                VwBundleTrustFunc   trust,
                gpointer            trust_data,
                const char         *spool_dir,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);

  if (in == NULL)
    return NULL;
  return vw_bundle_open_stream (G_INPUT_STREAM (in), identities, expected_kind, expected_study,
                                trust, trust_data, spool_dir, cancellable, error);
}

/**
 * vw_bundle_open_checked:
 * @check: decides on the signer with the whole manifest, see
 *   #VwBundleSignerCheck
 *
 * vw_bundle_open() with @check in place of a trust function.
 */
VwBundle *
vw_bundle_open_checked (const char           *path,
                        GPtrArray            *identities,
                        VwBundleKind          expected_kind,
                        const char           *expected_study,
                        VwBundleSignerCheck   check,
                        gpointer              check_data,
                        const char           *spool_dir,
                        GCancellable         *cancellable,
                        GError              **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;

  g_return_val_if_fail (check != NULL, NULL);

  if ((in = g_file_read (file, cancellable, error)) == NULL)
    return NULL;
  return open_stream (G_INPUT_STREAM (in), identities, expected_kind, expected_study, NULL, NULL, check,
                      check_data, spool_dir, cancellable, error);
}

VwBundleKind
vw_bundle_get_kind (VwBundle *self)
{
  return self->manifest.kind;
}

const char *
vw_bundle_get_study_id (VwBundle *self)
{
  return self->manifest.study_id;
}

/* VW_BUNDLE_PUBLIC_KEY_SIZE bytes: the sending device's public key. */
const guint8 *
vw_bundle_get_signer (VwBundle *self)
{
  return self->manifest.signer;
}

GDateTime *
vw_bundle_get_created (VwBundle *self)
{
  return self->manifest.created;
}

const char *
vw_bundle_get_id (VwBundle *self)
{
  return self->manifest.id;
}

guint64
vw_bundle_get_content_size (VwBundle *self)
{
  return self->manifest.content_size;
}

/* Lower-case hex. */
const char *
vw_bundle_get_content_sha256 (VwBundle *self)
{
  return self->manifest.content_sha256;
}

/**
 * vw_bundle_read_content:
 *
 * Returns: (transfer full): the content from its start. The streams share
 *   one position: read one before opening the next.
 */
GInputStream *
vw_bundle_read_content (VwBundle  *self,
                        GError   **error)
{
  int fd = dup (self->spool_fd);

  if (fd < 0 || lseek (fd, 0, SEEK_SET) < 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot read the bundle’s content: %s"), g_strerror (saved));
      return NULL;
    }
  return g_unix_input_stream_new (fd, TRUE);
}

/**
 * vw_bundle_load_content:
 * @max_size: refuse content larger than this
 *
 * Returns: (transfer full): the whole content in memory
 */
GBytes *
vw_bundle_load_content (VwBundle  *self,
                        gsize      max_size,
                        GError   **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autofree guint8 *data = NULL;
  gsize got = 0;

  if (self->manifest.content_size > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_INVALID,
                   _("The bundle’s content is larger than %s"), limit);
      return NULL;
    }
  in = vw_bundle_read_content (self, error);
  if (in == NULL)
    return NULL;
  data = g_malloc (MAX (self->manifest.content_size, 1));
  if (!g_input_stream_read_all (in, data, self->manifest.content_size, &got, NULL, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), got);
}

/**
 * vw_bundle_save_content:
 *
 * Copies the content to @path (mode 0600) through a temporary file, so
 * that @path holds either all of it or what it held before.
 */
gboolean
vw_bundle_save_content (VwBundle      *self,
                        const char    *path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GInputStream) in = vw_bundle_read_content (self, error);
  g_autoptr(VwAtomicFile) file = NULL;

  if (in == NULL)
    return FALSE;
  file = vw_atomic_file_new (path, 0600, error);
  if (file == NULL)
    return FALSE;
  if (g_output_stream_splice (vw_atomic_file_get_stream (file), in, G_OUTPUT_STREAM_SPLICE_NONE,
                              cancellable, error) < 0)
    return FALSE;
  return vw_atomic_file_commit (file, TRUE, error);
}
