/* vw-package.c: signing a package's manifest, the trust list, and reading
 * a package back with every check (see vw-package.h).
 *
 * manifest.sig is three lines of text:
 *
 *   veldwerk-manifest-signature 1
 *   signer: ed25519:<base64 of the 32-byte public key>
 *   signature: <base64 of the 64-byte Ed25519 signature>
 *
 * The signature covers SIGNING_CONTEXT followed by the exact bytes of
 * manifest.json, so that no other signature the laptop makes (a bundle's)
 * can pass for a manifest's. manifest.json names the same signer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "vw-age.h"
#include "vw-fingerprint.h"
#include "vw-package-private.h"

G_DEFINE_QUARK (vw-package-error-quark, vw_package_error)

#define SIGNATURE_MAGIC   "veldwerk-manifest-signature 1"
#define SIGNING_CONTEXT   "veldwerk anonymized export manifest v1\n"
#define MAX_SIGNATURE     4096
#define MAX_NAME          100
#define MAX_STRING        1000
#define MAX_LIST          64
#define TAR_BLOCK         512
#define COPY_SIZE         (256 * 1024)

/* The files a pool reads; the others are only hashed. */
static const char * const kept_files[] = { "trajectories_long.csv", "trajectories_wide.csv", NULL };

/* Signing */

char *
vw_package_format_key (const guint8 *public_key)
{
  g_autofree char *b64 = g_base64_encode (public_key, 32);

  return g_strconcat ("ed25519:", b64, NULL);
}

static gboolean
parse_key (const char *text,
           guint8      public_key[32])
{
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (text == NULL || !g_str_has_prefix (text, "ed25519:"))
    return FALSE;
  text += strlen ("ed25519:");
  /* g_base64_decode() takes anything; only the canonical form of 32 bytes
   * is a key. */
  if (strlen (text) != 44 || text[43] != '=')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && !(*p == '=' && p == text + 43))
      return FALSE;
  raw = g_base64_decode (text, &len);
  if (raw == NULL || len != 32)
    return FALSE;
  memcpy (public_key, raw, 32);
  return TRUE;
}

/* What is signed: the context, then the manifest's bytes. */
static GByteArray *
signed_message (const guint8 *manifest,
                gsize         len)
{
  GByteArray *message = g_byte_array_sized_new (strlen (SIGNING_CONTEXT) + len);

  g_byte_array_append (message, (const guint8 *) SIGNING_CONTEXT, strlen (SIGNING_CONTEXT));
  g_byte_array_append (message, manifest, len);
  return message;
}

/**
 * vw_package_sign_manifest:
 * @manifest: the bytes of manifest.json
 * @signing_key: the laptop's Ed25519 key (64 bytes)
 *
 * Returns: (transfer full): the bytes of manifest.sig, or %NULL with
 *   @error set when the key cannot be used
 */
GBytes *
vw_package_sign_manifest (GBytes          *manifest,
                          const VwSecret  *signing_key,
                          GError         **error)
{
  g_autoptr(GByteArray) message = NULL;
  guint8 signature[crypto_sign_BYTES], public_key[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *key_text = NULL;
  g_autofree char *signature_text = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (manifest, &len);

  if (signing_key == NULL || vw_secret_len (signing_key) != crypto_sign_SECRETKEYBYTES)
    {
      g_set_error_literal (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_SIGNATURE,
                           _("The laptop’s signing key is not an Ed25519 key"));
      return NULL;
    }
  crypto_sign_ed25519_sk_to_pk (public_key, vw_secret_const_data (signing_key));
  message = signed_message (data, len);
  crypto_sign_detached (signature, NULL, message->data, message->len, vw_secret_const_data (signing_key));

  /* A key whose halves do not match would sign what nobody can verify. */
  if (crypto_sign_verify_detached (signature, message->data, message->len, public_key) != 0)
    {
      g_set_error_literal (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_SIGNATURE,
                           _("The laptop’s signing key is damaged"));
      return NULL;
    }

  key_text = vw_package_format_key (public_key);
  signature_text = g_base64_encode (signature, sizeof signature);
  return g_bytes_new_take (g_strdup_printf (SIGNATURE_MAGIC "\nsigner: %s\nsignature: %s\n", key_text,
                                            signature_text),
                           strlen (SIGNATURE_MAGIC) + strlen ("\nsigner: ") + strlen (key_text) +
                           strlen ("\nsignature: ") + strlen (signature_text) + 1);
}

/* Reads manifest.sig: exactly its three lines. */
static gboolean
parse_signature (GBytes      *bytes,
                 const char  *package,
                 guint8       signer[32],
                 guint8       signature[64],
                 GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  if (data == NULL || len > MAX_SIGNATURE || memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL))
    goto bad;
  text = g_strndup (data, len);
  lines = g_strsplit (text, "\n", -1);
  if (g_strv_length (lines) != 4 || *lines[3] != '\0' || !g_str_equal (lines[0], SIGNATURE_MAGIC) ||
      !g_str_has_prefix (lines[1], "signer: ") || !g_str_has_prefix (lines[2], "signature: ") ||
      !parse_key (lines[1] + strlen ("signer: "), signer))
    goto bad;
  if (strlen (lines[2] + strlen ("signature: ")) != 88)
    goto bad;
  raw = g_base64_decode (lines[2] + strlen ("signature: "), &raw_len);
  if (raw == NULL || raw_len != 64)
    goto bad;
  memcpy (signature, raw, 64);
  return TRUE;

bad:
  g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT,
               _("%s: %s is not a signature this version can read"), package, VW_PACKAGE_SIGNATURE);
  return FALSE;
}

/* The trust list */

typedef struct
{
  guint8  key[32];
  char   *label;
} TrustedKey;

struct _VwTrustList
{
  GArray *keys; /* of TrustedKey */
};

static void
trusted_key_clear (TrustedKey *key)
{
  g_free (key->label);
}

VwTrustList *
vw_trust_list_new (void)
{
  VwTrustList *self = g_new0 (VwTrustList, 1);

  self->keys = g_array_new (FALSE, TRUE, sizeof (TrustedKey));
  g_array_set_clear_func (self->keys, (GDestroyNotify) trusted_key_clear);
  return self;
}

void
vw_trust_list_free (VwTrustList *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->keys);
  g_free (self);
}

static void
add_key (VwTrustList  *self,
         const guint8  key[32],
         const char   *label)
{
  TrustedKey trusted;

  /* The same key twice keeps its first label. */
  if (vw_trust_list_lookup (self, key) != NULL)
    return;
  memcpy (trusted.key, key, 32);
  trusted.label = g_strdup (label);
  g_array_append_val (self->keys, trusted);
}

gboolean
vw_trust_list_add_key (VwTrustList  *self,
                       const char   *key,
                       const char   *label,
                       GError      **error)
{
  guint8 raw[32];

  if (!parse_key (key, raw))
    {
      /* Never quoted: it may be a secret key given by mistake. */
      g_set_error_literal (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE,
                           _("this is not a signing key (ed25519:…) as veldwerk-cli keys prints it"));
      return FALSE;
    }
  add_key (self, raw, label ? label : key);
  return TRUE;
}

gboolean
vw_trust_list_add_text (VwTrustList  *self,
                        const char   *name,
                        const char   *text,
                        GError      **error)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, TRUE, sizeof (TrustedKey));
  guint n_keys = 0;

  g_array_set_clear_func (found, (GDestroyNotify) trusted_key_clear);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE, _("%s: the file is not UTF-8 text"), name);
      return FALSE;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *key = NULL;
      const char *label = NULL;
      TrustedKey trusted = { { 0 }, NULL };
      char *space;

      if (*line == '\0' || *line == '#' || g_str_has_prefix (line, "recipient:"))
        continue;
      /* `veldwerk-cli keys` prints the key's fingerprint below it: one of
       * another key means the text was changed on the way. */
      if (g_str_has_prefix (line, "fingerprint:"))
        {
          gboolean matches = FALSE;

          if (found->len == 0 ||
              !vw_fingerprint_check (g_array_index (found, TrustedKey, found->len - 1).key,
                                     g_strstrip (line + strlen ("fingerprint:")), &matches, NULL) ||
              !matches)
            {
              g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE,
                           _("%s:%u: this fingerprint does not belong to the signing key above it: the keys were "
                             "changed on the way; ask for them again"),
                           name, i + 1);
              return FALSE;
            }
          continue;
        }
      if (g_str_has_prefix (line, "signing-key:"))
        line = g_strstrip (line + strlen ("signing-key:"));
      space = strpbrk (line, " \t");
      if (space != NULL)
        {
          key = g_strndup (line, space - line);
          label = g_strstrip (space + 1);
        }
      else
        key = g_strdup (line);
      if (!parse_key (key, trusted.key))
        {
          g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE,
                       _("%s:%u: not a signing key: write one ed25519:… key per line (as veldwerk-cli keys "
                         "prints it), optionally followed by a label"),
                       name, i + 1);
          return FALSE;
        }
      /* A key without a label is known by its file's name. */
      trusted.label = label != NULL && *label != '\0' ? g_strdup (label) : g_path_get_basename (name);
      g_array_append_val (found, trusted);
      n_keys++;
    }
  if (n_keys == 0)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE,
                   _("%s holds no signing key (ed25519:…)"), name);
      return FALSE;
    }
  /* All or nothing: a file with a bad line adds no key. */
  for (guint i = 0; i < found->len; i++)
    {
      TrustedKey *trusted = &g_array_index (found, TrustedKey, i);
      add_key (self, trusted->key, trusted->label);
    }
  return TRUE;
}

gboolean
vw_trust_list_load (VwTrustList  *self,
                    const char   *path,
                    GError      **error)
{
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_TRUST_FILE, _("%s: the file is not text"), path);
      return FALSE;
    }
  return vw_trust_list_add_text (self, path, text, error);
}

guint
vw_trust_list_get_n_keys (VwTrustList *self)
{
  return self->keys->len;
}

const char *
vw_trust_list_lookup (VwTrustList  *self,
                      const guint8 *public_key)
{
  for (guint i = 0; i < self->keys->len; i++)
    {
      const TrustedKey *trusted = &g_array_index (self->keys, TrustedKey, i);

      if (sodium_memcmp (trusted->key, public_key, 32) == 0)
        return trusted->label;
    }
  return NULL;
}

/* The manifest */

static void
package_file_free (VwPackageFile *file)
{
  g_free (file->name);
  g_free (file);
}

void
vw_package_manifest_free (VwPackageManifest *manifest)
{
  if (manifest == NULL)
    return;
  g_free (manifest->app_version);
  g_free (manifest->created);
  g_free (manifest->study_id);
  g_free (manifest->study_name);
  g_strfreev (manifest->regions);
  g_free (manifest->codebook_id);
  g_free (manifest->codebook_version);
  g_strfreev (manifest->questionnaires);
  g_free (manifest->age_scheme);
  g_free (manifest->label_language);
  g_strfreev (manifest->quasi);
  g_free (manifest->rare);
  g_clear_pointer (&manifest->files, g_ptr_array_unref);
  g_free (manifest);
}

const VwPackageFile *
vw_package_manifest_find (const VwPackageManifest *manifest,
                          const char              *name)
{
  for (guint i = 0; i < manifest->files->len; i++)
    {
      const VwPackageFile *file = g_ptr_array_index (manifest->files, i);

      if (g_str_equal (file->name, name))
        return file;
    }
  return NULL;
}

/* A name a package may hold: no folders, nothing hidden, nothing that a
 * shell or a tar would read as more than a name. */
gboolean
vw_package_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > MAX_NAME || name[0] == '.' || name[0] == '-')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

typedef struct
{
  GError     **error;
  const char  *member; /* the member being read, for the message */
  gboolean     failed;
} ParseState;

static gboolean
manifest_invalid (ParseState *state,
                  const char *member)
{
  if (!state->failed)
    g_set_error (state->error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT,
                 _("%s: the member “%s” is missing or not what this version can read"), VW_PACKAGE_MANIFEST,
                 member);
  state->failed = TRUE;
  return FALSE;
}

static JsonObject *
get_object (ParseState *state,
            JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      manifest_invalid (state, member);
      return NULL;
    }
  return json_node_get_object (node);
}

/* A string of at most MAX_STRING characters of UTF-8 without control
 * characters: names end up in messages and files. */
static char *
get_string (ParseState *state,
            JsonObject *object,
            const char *member,
            gboolean    may_be_empty)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      manifest_invalid (state, member);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || (!may_be_empty && *value == '\0') || g_utf8_strlen (value, -1) > MAX_STRING)
    {
      manifest_invalid (state, member);
      return NULL;
    }
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        manifest_invalid (state, member);
        return NULL;
      }
  return g_strdup (value);
}

static gboolean
get_uint (ParseState *state,
          JsonObject *object,
          const char *member,
          guint       max,
          guint      *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return manifest_invalid (state, member);
  value = json_node_get_int (node);
  if (value < 0 || value > max)
    return manifest_invalid (state, member);
  *out = value;
  return TRUE;
}

static gboolean
get_bool (ParseState *state,
          JsonObject *object,
          const char *member,
          gboolean   *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return manifest_invalid (state, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static GStrv
get_strings (ParseState *state,
             JsonObject *object,
             const char *member,
             gboolean    may_be_empty)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      manifest_invalid (state, member);
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_LIST || (!may_be_empty && json_array_get_length (array) == 0))
    {
      manifest_invalid (state, member);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          (value = json_node_get_string (element)) == NULL || *value == '\0' || strlen (value) > MAX_NAME)
        {
          manifest_invalid (state, member);
          return NULL;
        }
      for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          {
            manifest_invalid (state, member);
            return NULL;
          }
      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

static gboolean
is_lower_hex (const char *text,
              gsize       len)
{
  if (strlen (text) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]) && (text[i] < 'a' || text[i] > 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
parse_files (ParseState        *state,
             JsonObject        *root,
             VwPackageManifest *manifest)
{
  JsonNode *node = json_object_get_member (root, "files");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) > VW_PACKAGE_MAX_FILES)
    return manifest_invalid (state, "files");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      g_autofree char *name = NULL;
      g_autofree char *sha256 = NULL;
      JsonNode *size_node = object ? json_object_get_member (object, "size") : NULL;
      VwPackageFile *file;

      if (object == NULL)
        return manifest_invalid (state, "files");
      if ((name = get_string (state, object, "name", FALSE)) == NULL ||
          (sha256 = get_string (state, object, "sha256", FALSE)) == NULL)
        return FALSE;
      if (!vw_package_name_is_valid (name) || g_str_equal (name, VW_PACKAGE_MANIFEST) ||
          g_str_equal (name, VW_PACKAGE_SIGNATURE) || vw_package_manifest_find (manifest, name) != NULL ||
          !is_lower_hex (sha256, 64) || size_node == NULL || !JSON_NODE_HOLDS_VALUE (size_node) ||
          json_node_get_value_type (size_node) != G_TYPE_INT64 || json_node_get_int (size_node) < 0)
        return manifest_invalid (state, "files");

      file = g_new0 (VwPackageFile, 1);
      file->name = g_steal_pointer (&name);
      file->size = json_node_get_int (size_node);
      memcpy (file->sha256, sha256, 65);
      g_ptr_array_add (manifest->files, file);
    }
  return TRUE;
}

/* Whether @data nests arrays and objects deeper than @max: json-glib's
 * parser recurses, so deep nesting is refused before it reads a byte. */
static gboolean
json_too_deep (const char *data,
               gsize       len,
               guint       max)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max)
            return TRUE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return FALSE;
}

/**
 * vw_package_manifest_parse:
 *
 * Reads a manifest.json of this format version; anything missing, of
 * another type or out of range is VW_PACKAGE_ERROR_FORMAT naming the
 * member. The signature is not checked here.
 *
 * Returns: (transfer full): the manifest, or %NULL with @error set
 */
VwPackageManifest *
vw_package_manifest_parse (const char  *data,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(VwPackageManifest) manifest = g_new0 (VwPackageManifest, 1);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  g_autofree char *format = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *signer = NULL;
  ParseState state = { error, NULL, FALSE };
  JsonNode *root_node;
  JsonObject *root, *study, *codebook, *parameters, *dc;
  guint version = 0, value;

  manifest->files = g_ptr_array_new_with_free_func ((GDestroyNotify) package_file_free);
  /* An empty file's bytes may have no data at all. */
  if (data == NULL)
    data = "";
  if (json_too_deep (data, len, 8))
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT, _("%s is not a package manifest: it nests too "
                                                                       "deep"), VW_PACKAGE_MANIFEST);
      return NULL;
    }
  if (len > VW_PACKAGE_MAX_MANIFEST || !g_utf8_validate (data, len, NULL) || memchr (data, '\0', len) != NULL ||
      !json_parser_load_from_data (parser, data, len, &local) ||
      (root_node = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT, _("%s is not a package manifest: %s"),
                   VW_PACKAGE_MANIFEST, local ? local->message : _("not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (root_node);

  format = get_string (&state, root, "format", FALSE);
  if (format == NULL || !g_str_equal (format, VW_PACKAGE_FORMAT_NAME) ||
      !get_uint (&state, root, "format_version", 1000, &version))
    {
      if (!state.failed)
        manifest_invalid (&state, "format");
      return NULL;
    }
  if (version != VW_PACKAGE_FORMAT_VERSION)
    {
      g_clear_error (error);
      g_set_error (error, VW_PACKAGE_ERROR, version < VW_PACKAGE_FORMAT_VERSION ? VW_PACKAGE_ERROR_UNSIGNED
                                                                                 : VW_PACKAGE_ERROR_FORMAT,
                   version < VW_PACKAGE_FORMAT_VERSION
                   ? _("the package was made by an older version, before packages were signed; export it again")
                   : _("the package was made by a newer version (format %u); this version reads format %d"),
                   version, VW_PACKAGE_FORMAT_VERSION);
      return NULL;
    }
  manifest->format_version = version;

  if ((manifest->app_version = get_string (&state, root, "app_version", FALSE)) == NULL ||
      (manifest->created = get_string (&state, root, "created", FALSE)) == NULL ||
      (signer = get_string (&state, root, "signer", FALSE)) == NULL)
    return NULL;
  if (!parse_key (signer, manifest->signer))
    {
      manifest_invalid (&state, "signer");
      return NULL;
    }

  if ((study = get_object (&state, root, "study")) == NULL ||
      (manifest->study_id = get_string (&state, study, "id", FALSE)) == NULL ||
      (manifest->study_name = get_string (&state, study, "name", TRUE)) == NULL ||
      (manifest->regions = get_strings (&state, study, "regions", FALSE)) == NULL ||
      (codebook = get_object (&state, root, "codebook")) == NULL ||
      (manifest->codebook_id = get_string (&state, codebook, "id", FALSE)) == NULL ||
      (manifest->codebook_version = get_string (&state, codebook, "version", FALSE)) == NULL ||
      (manifest->questionnaires = get_strings (&state, root, "questionnaires", TRUE)) == NULL ||
      (rules = get_string (&state, root, "rules", FALSE)) == NULL)
    return NULL;
  if (!vw_rule_set_from_string (rules, &manifest->rules, NULL))
    {
      manifest_invalid (&state, "rules");
      return NULL;
    }
  for (guint i = 0; manifest->regions[i] != NULL; i++)
    {
      gsize rlen = strlen (manifest->regions[i]);
      gboolean ok = rlen >= 2 && rlen <= 3;

      for (gsize c = 0; c < rlen; c++)
        ok = ok && g_ascii_isupper (manifest->regions[i][c]);
      if (!ok)
        {
          manifest_invalid (&state, "regions");
          return NULL;
        }
    }

  if ((parameters = get_object (&state, root, "parameters")) == NULL)
    return NULL;
  if (!get_uint (&state, parameters, "mo_long_months", 1200, &value))
    return NULL;
  manifest->params.mo_long_months = value;
  if (!get_uint (&state, parameters, "bw_long_months", 1200, &value))
    return NULL;
  manifest->params.bw_long_months = value;
  if (!get_uint (&state, parameters, "mo_flag_weeks", 5200, &value))
    return NULL;
  manifest->params.mo_flag_weeks = value;
  if (!get_uint (&state, parameters, "bw_flag_months", 1200, &value))
    return NULL;
  manifest->params.bw_flag_months = value;
  if ((manifest->age_scheme = get_string (&state, parameters, "age_scheme", FALSE)) == NULL ||
      (manifest->label_language = get_string (&state, parameters, "label_language", FALSE)) == NULL ||
      !get_bool (&state, parameters, "include_quotes", &manifest->include_quotes))
    return NULL;
  if (!g_str_equal (manifest->age_scheme, "dh") && !g_str_equal (manifest->age_scheme, "gv"))
    {
      manifest_invalid (&state, "age_scheme");
      return NULL;
    }

  if ((dc = get_object (&state, root, "disclosure_control")) == NULL ||
      !get_uint (&state, dc, "k", 1000000, &manifest->k) ||
      (manifest->quasi = get_strings (&state, dc, "quasi_identifiers", FALSE)) == NULL ||
      (manifest->rare = get_string (&state, dc, "rare", FALSE)) == NULL ||
      !get_uint (&state, dc, "participants", G_MAXINT32, &manifest->participants) ||
      !get_uint (&state, dc, "generalized", G_MAXINT32, &manifest->generalized) ||
      !get_uint (&state, dc, "suppressed", G_MAXINT32, &manifest->suppressed) ||
      !get_uint (&state, dc, "released", G_MAXINT32, &manifest->released) ||
      !get_uint (&state, dc, "groups", G_MAXINT32, &manifest->groups) ||
      !get_uint (&state, dc, "smallest_group", G_MAXINT32, &manifest->smallest_group))
    return NULL;
  if (manifest->k == 0 || (!g_str_equal (manifest->rare, "generalize") && !g_str_equal (manifest->rare, "suppress")))
    {
      manifest_invalid (&state, manifest->k == 0 ? "k" : "rare");
      return NULL;
    }
  for (guint i = 0; manifest->quasi[i] != NULL; i++)
    if (!vw_package_name_is_valid (manifest->quasi[i]))
      {
        manifest_invalid (&state, "quasi_identifiers");
        return NULL;
      }

  if (!parse_files (&state, root, manifest))
    return NULL;
  return g_steal_pointer (&manifest);
}

/* Opening */

struct _VwPackage
{
  char              *name;            /* the path as given */
  VwPackageManifest *manifest;
  char              *manifest_sha256;
  char              *signer_label;
  GHashTable        *kept;            /* name -> GBytes of the files a pool reads */
};

void
vw_package_free (VwPackage *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  vw_package_manifest_free (self->manifest);
  g_free (self->manifest_sha256);
  g_free (self->signer_label);
  g_clear_pointer (&self->kept, g_hash_table_unref);
  g_free (self);
}

const char *
vw_package_get_name (VwPackage *self)
{
  return self->name;
}

const VwPackageManifest *
vw_package_get_manifest (VwPackage *self)
{
  return self->manifest;
}

const char *
vw_package_get_manifest_sha256 (VwPackage *self)
{
  return self->manifest_sha256;
}

const char *
vw_package_get_signer_label (VwPackage *self)
{
  return self->signer_label;
}

GBytes *
vw_package_get_file (VwPackage  *self,
                     const char *name)
{
  return g_hash_table_lookup (self->kept, name);
}

/**
 * vw_package_new_unverified:
 *
 * A package from parts, without any check: for the fuzz target and the
 * tests of what comes after the checks.
 */
VwPackage *
vw_package_new_unverified (const char        *name,
                           VwPackageManifest *manifest,
                           GBytes            *long_csv,
                           GBytes            *wide_csv)
{
  VwPackage *self = g_new0 (VwPackage, 1);

  self->name = g_strdup (name);
  self->manifest = manifest;
  self->manifest_sha256 = g_strdup ("");
  self->signer_label = g_strdup ("");
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  if (long_csv != NULL)
    g_hash_table_insert (self->kept, g_strdup (kept_files[0]), g_bytes_ref (long_csv));
  if (wide_csv != NULL)
    g_hash_table_insert (self->kept, g_strdup (kept_files[1]), g_bytes_ref (wide_csv));
  return self;
}

/* One file of the package as read: its size and hash, and its bytes when
 * it is one the pool reads. */
typedef struct
{
  char       *name;
  guint64     size;
  char        sha256[65];
  GByteArray *bytes; /* nullable */
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_clear_pointer (&entry->bytes, g_byte_array_unref);
  g_free (entry);
}

static gboolean
is_kept (const char *name)
{
  return g_strv_contains (kept_files, name) || g_str_equal (name, VW_PACKAGE_MANIFEST) ||
         g_str_equal (name, VW_PACKAGE_SIGNATURE);
}

/* The checks shared by both kinds of package, once every file is read:
 * the signature, the signer, the manifest, then every file against it. */
static VwPackage *
verify (const char   *name,
        GPtrArray    *entries,
        VwTrustList  *trust,
        GError      **error)
{
  g_autoptr(VwPackage) self = g_new0 (VwPackage, 1);
  const Entry *manifest_entry = NULL, *signature_entry = NULL;
  g_autoptr(GBytes) signature_bytes = NULL;
  guint8 signer[32], signature[64];
  g_autoptr(GByteArray) message = NULL;
  g_autoptr(GError) local = NULL;
  const char *label;

  self->name = g_strdup (name);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->name, VW_PACKAGE_MANIFEST))
        manifest_entry = entry;
      else if (g_str_equal (entry->name, VW_PACKAGE_SIGNATURE))
        signature_entry = entry;
    }
  if (manifest_entry == NULL)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT,
                   _("%s has no %s: it is not an anonymized export package"), name, VW_PACKAGE_MANIFEST);
      return NULL;
    }
  if (signature_entry == NULL)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_UNSIGNED,
                   _("%s is not signed (no %s): only signed packages are pooled; export it again with this "
                     "version"), name, VW_PACKAGE_SIGNATURE);
      return NULL;
    }
  if (manifest_entry->bytes == NULL || signature_entry->bytes == NULL)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT, _("%s: the manifest is too large"), name);
      return NULL;
    }

  signature_bytes = g_bytes_new (signature_entry->bytes->data, signature_entry->bytes->len);
  if (!parse_signature (signature_bytes, name, signer, signature, error))
    return NULL;
  message = signed_message (manifest_entry->bytes->data, manifest_entry->bytes->len);
  if (crypto_sign_verify_detached (signature, message->data, message->len, signer) != 0)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_SIGNATURE,
                   _("%s: the signature of the manifest is not valid: the manifest was changed after it was "
                     "signed, or the signature is forged"), name);
      return NULL;
    }
  if ((label = vw_trust_list_lookup (trust, signer)) == NULL)
    {
      g_autofree char *key = vw_package_format_key (signer);
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_UNTRUSTED,
                   _("%s is signed by %s, which is not one of the trusted signing keys (--trust)"), name, key);
      return NULL;
    }

  self->manifest = vw_package_manifest_parse ((const char *) manifest_entry->bytes->data,
                                              manifest_entry->bytes->len, &local);
  if (self->manifest == NULL)
    {
      g_set_error (error, VW_PACKAGE_ERROR, local->code, "%s: %s", name, local->message);
      return NULL;
    }
  if (sodium_memcmp (self->manifest->signer, signer, 32) != 0)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_SIGNATURE,
                   _("%s: the manifest names another signer than the one who signed it"), name);
      return NULL;
    }
  self->signer_label = g_strdup (label);
  self->manifest_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, manifest_entry->bytes->data,
                                                       manifest_entry->bytes->len);

  /* Every file the manifest lists, as it lists it; nothing else. */
  for (guint i = 0; i < self->manifest->files->len; i++)
    {
      const VwPackageFile *file = g_ptr_array_index (self->manifest->files, i);
      const Entry *found = NULL;

      for (guint e = 0; e < entries->len && found == NULL; e++)
        if (g_str_equal (((Entry *) g_ptr_array_index (entries, e))->name, file->name))
          found = g_ptr_array_index (entries, e);
      if (found == NULL)
        {
          g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_MISSING,
                       _("%s: %s is listed in the signed manifest but is not in the package"), name, file->name);
          return NULL;
        }
      if (found->size != file->size || !g_str_equal (found->sha256, file->sha256))
        {
          g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_CHANGED,
                       _("%s: %s is not the file that was signed (its SHA-256 differs from the manifest’s): "
                         "it was changed or replaced"), name, file->name);
          return NULL;
        }
    }
  for (guint e = 0; e < entries->len; e++)
    {
      const Entry *entry = g_ptr_array_index (entries, e);

      if (!g_str_equal (entry->name, VW_PACKAGE_MANIFEST) && !g_str_equal (entry->name, VW_PACKAGE_SIGNATURE) &&
          vw_package_manifest_find (self->manifest, entry->name) == NULL)
        {
          g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_EXTRA,
                       _("%s: %s is in the package but not in its signed manifest"), name, entry->name);
          return NULL;
        }
    }

  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  for (guint e = 0; e < entries->len; e++)
    {
      Entry *entry = g_ptr_array_index (entries, e);

      if (entry->bytes != NULL && g_strv_contains (kept_files, entry->name))
        g_hash_table_insert (self->kept, g_strdup (entry->name),
                             g_byte_array_free_to_bytes (g_steal_pointer (&entry->bytes)));
    }
  return g_steal_pointer (&self);
}

/* Reads @in to its end into @entry: size, SHA-256 and, for a kept file,
 * the bytes (at most @max). */
static gboolean
read_entry (GInputStream  *in,
            guint64        size,
            Entry         *entry,
            const char    *package,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (COPY_SIZE);
  guint64 left = size;
  guint64 max = g_str_equal (entry->name, VW_PACKAGE_MANIFEST) ? VW_PACKAGE_MAX_MANIFEST
                : g_str_equal (entry->name, VW_PACKAGE_SIGNATURE) ? MAX_SIGNATURE : G_MAXUINT32;

  if (is_kept (entry->name) && size == G_MAXUINT64)
    entry->bytes = g_byte_array_new ();
  else if (is_kept (entry->name) && size <= max)
    entry->bytes = g_byte_array_sized_new (size);
  while (size == G_MAXUINT64 || left > 0)
    {
      gsize want = size == G_MAXUINT64 ? COPY_SIZE : (gsize) MIN (left, COPY_SIZE);
      gsize got = 0;

      if (!g_input_stream_read_all (in, buffer, want, &got, cancellable, error))
        return FALSE;
      if (got == 0 && size == G_MAXUINT64)
        break;
      if (got < want && size != G_MAXUINT64)
        {
          g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT,
                       _("%s: %s ends before its end: the package was cut short"), package, entry->name);
          return FALSE;
        }
      g_checksum_update (checksum, buffer, got);
      entry->size += got;
      if (entry->bytes != NULL)
        {
          if (entry->size > max)
            g_clear_pointer (&entry->bytes, g_byte_array_unref);
          else
            g_byte_array_append (entry->bytes, buffer, got);
        }
      if (size != G_MAXUINT64)
        left -= got;
      if (got < want)
        break;
    }
  memcpy (entry->sha256, g_checksum_get_string (checksum), 65);
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The folder inside an age package's tar, named after the file: any name
 * of one component. */
static gboolean
folder_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 255 || g_str_equal (name, ".") || g_str_equal (name, "..") ||
      !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (*p == '/' || *p == '\\' || g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* A folder: regular files only, no links, no folders. */
static VwPackage *
open_folder (const char    *path,
             VwTrustList   *trust,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* Messages name the same file first whatever the file system's order. */
  g_ptr_array_sort (names, compare_names);
  if (names->len > VW_PACKAGE_MAX_FILES + 2)
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT,
                   _("%s holds %u files; a package holds at most %d"), path, names->len, VW_PACKAGE_MAX_FILES + 2);
      return NULL;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *file_name = g_ptr_array_index (names, i);
      g_autofree char *file_path = g_build_filename (path, file_name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (file_path);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GFileInputStream) in = NULL;
      Entry *entry;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                cancellable, error);
      if (info == NULL)
        return NULL;
      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR || !vw_package_name_is_valid (file_name))
        {
          g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_EXTRA,
                       _("%s: %s is not a file the signed manifest can list (a link, a folder or a hidden "
                         "file)"), path, file_name);
          return NULL;
        }
      in = g_file_read (file, cancellable, error);
      if (in == NULL)
        return NULL;
      entry = g_new0 (Entry, 1);
      entry->name = g_strdup (file_name);
      g_ptr_array_add (entries, entry);
      if (!read_entry (G_INPUT_STREAM (in), G_MAXUINT64, entry, path, cancellable, error))
        return NULL;
    }
  return verify (path, entries, trust, error);
}

/* The tar reader: POSIX ustar headers as libarchive writes them, with pax
 * extended headers for long names or sizes. Only regular files in at most
 * one folder are accepted; links, devices and paths with ".." are refused. */

static gboolean
tar_number (const guint8 *field,
            gsize         len,
            guint64      *out)
{
  guint64 value = 0;
  gsize i = 0;

  while (i < len && field[i] == ' ')
    i++;
  if (i == len || field[i] < '0' || field[i] > '7')
    return FALSE;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; i++)
    {
      if (value > (G_MAXUINT64 >> 3))
        return FALSE;
      value = value << 3 | (field[i] - '0');
    }
  for (; i < len; i++)
    if (field[i] != ' ' && field[i] != '\0')
      return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
tar_header_valid (const guint8 *block)
{
  guint64 stored;
  guint64 sum = 0;

  if (!tar_number (block + 148, 8, &stored))
    return FALSE;
  for (guint i = 0; i < TAR_BLOCK; i++)
    sum += i >= 148 && i < 156 ? ' ' : block[i];
  return sum == stored && (memcmp (block + 257, "ustar\0", 6) == 0 || memcmp (block + 257, "ustar ", 6) == 0);
}

static gboolean
is_zero_block (const guint8 *block)
{
  for (guint i = 0; i < TAR_BLOCK; i++)
    if (block[i] != 0)
      return FALSE;
  return TRUE;
}

/* The records of a pax extended header: "LEN key=value\n" each. */
static gboolean
parse_pax (const guint8  *data,
           gsize          len,
           char         **path,
           guint64       *size)
{
  gsize pos = 0;

  while (pos < len)
    {
      gsize record = 0, start = pos, key_start, eq;

      while (pos < len && g_ascii_isdigit (data[pos]) && record < len)
        record = record * 10 + (data[pos++] - '0');
      if (pos >= len || data[pos] != ' ' || record == 0 || record > len - start || data[start + record - 1] != '\n')
        return FALSE;
      key_start = ++pos;
      for (eq = key_start; eq < start + record - 1 && data[eq] != '='; eq++)
        ;
      if (eq >= start + record - 1)
        return FALSE;
      if (eq - key_start == 4 && memcmp (data + key_start, "path", 4) == 0)
        {
          g_free (*path);
          *path = g_strndup ((const char *) data + eq + 1, start + record - 1 - (eq + 1));
        }
      else if (eq - key_start == 4 && memcmp (data + key_start, "size", 4) == 0)
        {
          g_autofree char *text = g_strndup ((const char *) data + eq + 1, start + record - 1 - (eq + 1));
          guint64 value;

          if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64 / 2, &value, NULL))
            return FALSE;
          *size = value;
        }
      pos = start + record;
    }
  return TRUE;
}

static gboolean
tar_skip (GInputStream  *in,
          guint64        len,
          GCancellable  *cancellable,
          GError       **error)
{
  guint8 buffer[TAR_BLOCK];

  while (len > 0)
    {
      gsize want = MIN (len, sizeof buffer), got = 0;

      if (!g_input_stream_read_all (in, buffer, want, &got, cancellable, error))
        return FALSE;
      if (got < want)
        return FALSE;
      len -= got;
    }
  return TRUE;
}

static gboolean
tar_failed (const char  *name,
            const char  *why,
            GError     **error)
{
  if (error != NULL && *error == NULL)
    g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_FORMAT,
                 _("%s is not a package this version can read: %s"), name, why);
  return FALSE;
}

/* Reads the tar to its end into @entries. */
static gboolean
read_tar (GInputStream  *in,
          const char    *name,
          GPtrArray     *entries,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *pax_path = NULL;
  guint64 pax_size = G_MAXUINT64;
  guint8 block[TAR_BLOCK];
  gboolean ended = FALSE;

  while (!ended)
    {
      gsize got = 0;
      guint64 size;
      char type;
      g_autofree char *path = NULL;
      const char *file_name;
      char *slash;
      Entry *entry;

      if (!g_input_stream_read_all (in, block, TAR_BLOCK, &got, cancellable, error))
        return FALSE;
      if (got < TAR_BLOCK)
        return tar_failed (name, _("the archive is cut short"), error);
      if (is_zero_block (block))
        {
          ended = TRUE;
          continue;
        }
      if (!tar_header_valid (block) || !tar_number (block + 124, 12, &size))
        return tar_failed (name, _("a damaged tar header"), error);
      type = block[156];

      if (type == 'x' || type == 'g')
        {
          g_autofree guint8 *data = NULL;

          /* A pax header describes the next entry; a global one is of no
           * use to a package. */
          if (size > 64 * 1024)
            return tar_failed (name, _("an extended header is too long"), error);
          data = g_malloc (size + 1);
          if (!g_input_stream_read_all (in, data, size, &got, cancellable, error))
            return FALSE;
          if (got < size || !tar_skip (in, (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK, cancellable, error))
            return tar_failed (name, _("the archive is cut short"), error);
          if (type == 'x' && !parse_pax (data, size, &pax_path, &pax_size))
            return tar_failed (name, _("a damaged extended header"), error);
          continue;
        }

      if (pax_path != NULL)
        path = g_steal_pointer (&pax_path);
      else
        {
          g_autofree char *base = g_strndup ((const char *) block, 100);
          g_autofree char *prefix = g_strndup ((const char *) block + 345, 155);

          path = *prefix != '\0' ? g_strconcat (prefix, "/", base, NULL) : g_steal_pointer (&base);
        }
      if (pax_size != G_MAXUINT64)
        size = pax_size;
      pax_size = G_MAXUINT64;

      if (type == '5')
        {
          /* The folder itself: one, with a plain name. */
          if (g_str_has_suffix (path, "/"))
            path[strlen (path) - 1] = '\0';
          if (!folder_name_is_valid (path) || (folder != NULL && !g_str_equal (folder, path)) || size != 0)
            return tar_failed (name, _("a folder other than the package’s"), error);
          g_free (folder);
          folder = g_strdup (path);
          continue;
        }
      if (type != '0' && type != '\0')
        return tar_failed (name, _("a link, device or other special file"), error);

      slash = strchr (path, '/');
      if (slash != NULL)
        {
          *slash = '\0';
          if (!folder_name_is_valid (path) || (folder != NULL && !g_str_equal (folder, path)))
            return tar_failed (name, _("files in more than one folder"), error);
          if (folder == NULL)
            folder = g_strdup (path);
          file_name = slash + 1;
        }
      else
        file_name = path;
      if (!vw_package_name_is_valid (file_name))
        {
          g_autofree char *why = g_strdup_printf (_("the name “%s” is not one a package holds"), file_name);
          return tar_failed (name, why, error);
        }
      for (guint i = 0; i < entries->len; i++)
        if (g_str_equal (((Entry *) g_ptr_array_index (entries, i))->name, file_name))
          return tar_failed (name, _("a file is in the archive twice"), error);
      if (entries->len >= VW_PACKAGE_MAX_FILES + 2)
        return tar_failed (name, _("too many files"), error);

      entry = g_new0 (Entry, 1);
      entry->name = g_strdup (file_name);
      g_ptr_array_add (entries, entry);
      if (!read_entry (in, size, entry, name, cancellable, error) ||
          !tar_skip (in, (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK, cancellable, error))
        return tar_failed (name, _("the archive is cut short"), error);
    }

  /* Whatever follows the end blocks (padding) must be zeros. */
  for (;;)
    {
      gsize got = 0;

      if (!g_input_stream_read_all (in, block, TAR_BLOCK, &got, cancellable, error))
        return FALSE;
      for (gsize i = 0; i < got; i++)
        if (block[i] != 0)
          return tar_failed (name, _("data after the end of the archive"), error);
      if (got < TAR_BLOCK)
        break;
    }
  return TRUE;
}

VwPackage *
vw_package_open_tar (GInputStream  *tar,
                     const char    *name,
                     VwTrustList   *trust,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  if (!read_tar (tar, name, entries, cancellable, error))
    return NULL;
  return verify (name, entries, trust, error);
}

static VwPackage *
open_age (const char    *path,
          GPtrArray     *identities,
          VwTrustList   *trust,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(VwAgeDecryptor) decryptor = NULL;
  g_autoptr(GError) local = NULL;
  VwPackage *package;

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;
  decryptor = vw_age_decryptor_new (G_INPUT_STREAM (in), VW_AGE_ARMOR_AUTO, cancellable, &local);
  if (decryptor == NULL || identities == NULL || identities->len == 0 ||
      !vw_age_decryptor_unlock (decryptor, identities, cancellable, &local))
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_READ,
                   _("%s cannot be decrypted: %s"), path,
                   local != NULL ? local->message : _("give the identity it was encrypted to (-i FILE)"));
      return NULL;
    }
  package = vw_package_open_tar (G_INPUT_STREAM (decryptor), path, trust, cancellable, &local);
  if (package == NULL)
    {
      /* A damaged or tampered age payload surfaces as a read error of the
       * tar: say what it is. */
      if (local->domain == VW_AGE_ERROR)
        g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_CHANGED,
                     _("%s was changed or damaged after it was encrypted: %s"), path, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
    }
  return package;
}

/**
 * vw_package_open:
 * @path: a package folder, or an age file of one
 * @identities: (nullable) (element-type VwAgeIdentity): for an age file
 * @trust: the signing keys whose packages are believed
 *
 * Returns: (transfer full): the package, every check passed, or %NULL
 *   with @error set
 */
VwPackage *
vw_package_open (const char    *path,
                 GPtrArray     *identities,
                 VwTrustList   *trust,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local = NULL;
  VwPackage *package;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    package = open_folder (path, trust, cancellable, &local);
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    package = open_age (path, identities, trust, cancellable, &local);
  else
    {
      g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_READ,
                   _("%s is neither a package folder nor an age file"), path);
      return NULL;
    }
  if (package == NULL)
    {
      if (local->domain == VW_PACKAGE_ERROR)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, VW_PACKAGE_ERROR, VW_PACKAGE_ERROR_READ, _("%s cannot be read: %s"), path,
                     local->message);
    }
  return package;
}
