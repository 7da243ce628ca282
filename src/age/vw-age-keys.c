/* age recipients and identities: X25519 keys in Bech32, scrypt passphrases,
 * and the stanzas that wrap a file key for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "vw-age-private.h"
#include "vw-bech32.h"
#include "vw-hkdf.h"

#define RECIPIENT_HRP "age"
#define IDENTITY_HRP  "AGE-SECRET-KEY-"
#define X25519_INFO   "age-encryption.org/v1/X25519"
#define SCRYPT_LABEL  "age-encryption.org/v1/scrypt"

/* Identity files are a few lines; this bounds what we read into secure
 * memory. */
#define MAX_IDENTITY_FILE (64 * 1024)
#define MAX_RECIPIENTS_FILE (256 * 1024)

static const guint8 zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

/* Secret keys in text */

static const char *secret_prefixes[] = { IDENTITY_HRP, "AGE-PLUGIN-" };

/* Shorter runs after a prefix are our own hints, such as
 * “AGE-SECRET-KEY-1…” in a message; a key is much longer. */
#define MIN_SECRET_TAIL 8

static gsize
secret_prefix_at (const char *text)
{
  for (gsize i = 0; i < G_N_ELEMENTS (secret_prefixes); i++)
    if (g_ascii_strncasecmp (text, secret_prefixes[i], strlen (secret_prefixes[i])) == 0)
      return strlen (secret_prefixes[i]);
  return 0;
}

static gsize
secret_tail_length (const char *text)
{
  gsize n = 0;

  while (g_ascii_isalnum (text[n]) || text[n] == '-')
    n++;
  return n;
}

/**
 * vw_age_text_is_identity:
 * @text: (nullable): something a user gave where a recipient, a file name
 *   or other public text was expected
 *
 * Returns: whether @text is an age secret key ("AGE-SECRET-KEY-1…", or a
 *   plugin identity), in any case and after white space; a message about
 *   such text must never quote it
 */
gboolean
vw_age_text_is_identity (const char *text)
{
  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  return secret_prefix_at (text) > 0;
}

/**
 * vw_age_redact_identities:
 * @text: a message about to be shown
 *
 * The last line of defence for messages: every age secret key in @text is
 * cut after its prefix ("AGE-SECRET-KEY-…"), so that a key that slipped
 * into a message through a file name or a quoted value is not shown.
 * Messages should never quote key material in the first place.
 *
 * Returns: (transfer full): @text with the keys cut
 */
char *
vw_age_redact_identities (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0';)
    {
      gsize prefix = secret_prefix_at (p);
      gsize tail = prefix > 0 ? secret_tail_length (p + prefix) : 0;

      if (prefix > 0 && tail >= MIN_SECRET_TAIL)
        {
          g_string_append_len (out, p, prefix);
          g_string_append (out, "…");
          p += prefix + tail;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Recipients */

/**
 * vw_age_recipient_parse:
 *
 * Error messages never quote @text: a user who gives a secret key where a
 * recipient belongs must not see it repeated (or logged). Callers say
 * where the text came from (an option, a line of a file).
 */
VwAgeRecipient *
vw_age_recipient_parse (const char  *text,
                        GError     **error)
{
  g_autoptr(VwAgeRecipient) recipient = g_new0 (VwAgeRecipient, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hrp = NULL;
  gsize len = 0;

  if (vw_age_text_is_identity (text))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("this is a secret key (an identity), not a recipient; give its recipient (age1…)"));
      return NULL;
    }
  recipient->type = VW_AGE_KEY_X25519;
  if (!vw_bech32_decode (text, 0, &hrp, recipient->public_key, sizeof recipient->public_key,
                         &len, &local_error))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("this is not an age recipient (age1…): %s"),
                   local_error->message);
      return NULL;
    }
  if (strcmp (hrp, RECIPIENT_HRP) != 0 || len != 32)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("this is not an X25519 age recipient (they start with “age1”)"));
      return NULL;
    }

  return g_steal_pointer (&recipient);
}

/**
 * vw_age_recipient_new_x25519:
 * @public_key: an X25519 public key
 *
 * Returns: (transfer full): the recipient "age1..." of @public_key
 */
VwAgeRecipient *
vw_age_recipient_new_x25519 (const guint8 public_key[32])
{
  VwAgeRecipient *recipient = g_new0 (VwAgeRecipient, 1);

  recipient->type = VW_AGE_KEY_X25519;
  memcpy (recipient->public_key, public_key, 32);
  return recipient;
}

/**
 * vw_age_recipient_get_x25519:
 * @public_key: (out caller-allocates): the X25519 public key
 *
 * Returns: %FALSE for a passphrase recipient (and @public_key is left
 *   alone)
 */
gboolean
vw_age_recipient_get_x25519 (const VwAgeRecipient *recipient,
                             guint8                public_key[32])
{
  if (recipient->type != VW_AGE_KEY_X25519)
    return FALSE;
  memcpy (public_key, recipient->public_key, 32);
  return TRUE;
}

/**
 * vw_age_recipient_new_passphrase:
 * @work_factor: log2 of scrypt's N, or 0 for the default
 */
VwAgeRecipient *
vw_age_recipient_new_passphrase (const VwSecret *passphrase,
                                 guint           work_factor)
{
  VwAgeRecipient *recipient;

  g_return_val_if_fail (passphrase != NULL && vw_secret_len (passphrase) > 0, NULL);
  g_return_val_if_fail (work_factor <= VW_AGE_SCRYPT_MAX_WORK_FACTOR, NULL);

  recipient = g_new0 (VwAgeRecipient, 1);
  recipient->type = VW_AGE_KEY_SCRYPT;
  recipient->passphrase = vw_secret_dup (passphrase);
  recipient->work_factor = work_factor > 0 ? work_factor : VW_AGE_SCRYPT_DEFAULT_WORK_FACTOR;

  return recipient;
}

VwAgeRecipient *
vw_age_recipient_copy (const VwAgeRecipient *recipient)
{
  VwAgeRecipient *copy = g_memdup2 (recipient, sizeof *recipient);

  if (recipient->passphrase != NULL)
    copy->passphrase = vw_secret_dup (recipient->passphrase);
  return copy;
}

void
vw_age_recipient_free (VwAgeRecipient *recipient)
{
  if (recipient == NULL)
    return;

  g_clear_pointer (&recipient->passphrase, vw_secret_free);
  g_free (recipient);
}

gboolean
vw_age_recipient_is_passphrase (const VwAgeRecipient *recipient)
{
  return recipient->type == VW_AGE_KEY_SCRYPT;
}

/**
 * vw_age_recipient_to_string:
 *
 * Returns: (transfer full) (nullable): "age1..." for an X25519 recipient,
 *   %NULL for a passphrase
 */
char *
vw_age_recipient_to_string (const VwAgeRecipient *recipient)
{
  gsize size = vw_bech32_encoded_size (strlen (RECIPIENT_HRP), 32);
  char *text;

  if (recipient->type != VW_AGE_KEY_X25519)
    return NULL;

  text = g_malloc (size);
  vw_bech32_encode (RECIPIENT_HRP, recipient->public_key, 32, FALSE, text, size);
  return text;
}

/* Calls @line_func for each line that is neither empty nor a comment, with
 * the line NUL-terminated in place (so @text is modified). */
typedef gboolean (*LineFunc) (char        *line,
                              guint        number,
                              gpointer     user_data,
                              GError     **error);

static gboolean
for_each_key_line (char        *text,
                   gsize        len,
                   LineFunc     line_func,
                   gpointer     user_data,
                   GError     **error)
{
  guint number = 0;
  gsize pos = 0;

  while (pos < len)
    {
      char *line = text + pos;
      char *end = memchr (line, '\n', len - pos);
      gsize line_len = end != NULL ? (gsize) (end - line) : len - pos;

      pos += line_len + 1;
      number++;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      line[line_len] = '\0';
      if (line_len == 0 || line[0] == '#')
        continue;
      if (!line_func (line, number, user_data, error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  const char *path;
  GPtrArray  *keys;
} KeyFileParse;

static VwSecret *read_secret_file (const char  *path,
                                   gsize        max_size,
                                   GError     **error);

static gboolean
add_recipient_line (char      *line,
                    guint      number,
                    gpointer   user_data,
                    GError   **error)
{
  KeyFileParse *parse = user_data;
  g_autoptr(GError) local_error = NULL;
  VwAgeRecipient *recipient = vw_age_recipient_parse (line, &local_error);

  if (recipient == NULL)
    return vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("“%s” line %u: %s"),
                        parse->path, number, local_error->message);
  g_ptr_array_add (parse->keys, recipient);
  return TRUE;
}

/**
 * vw_age_recipients_from_file:
 *
 * Reads a recipients file as `age -R` does: one "age1..." per line, empty
 * lines and lines starting with "#" ignored.
 *
 * Returns: (transfer full) (element-type VwAgeRecipient): the recipients
 */
GPtrArray *
vw_age_recipients_from_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(VwSecret) text = NULL;
  KeyFileParse parse = { path, recipients };

  if (vw_age_text_is_identity (path))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("A file of recipients was expected, and this is a secret key (an identity): give a file "
                     "that lists recipients (age1…)"));
      return NULL;
    }
  /* Secure memory: the file given may well be an identity file. */
  if ((text = read_secret_file (path, MAX_RECIPIENTS_FILE, error)) == NULL)
    return NULL;
  if (!for_each_key_line ((char *) vw_secret_data (text), vw_secret_len (text), add_recipient_line, &parse, error))
    return NULL;
  if (recipients->len == 0)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("“%s” contains no recipients"), path);
      return NULL;
    }

  return g_steal_pointer (&recipients);
}

/* Identities */

static VwAgeIdentity *
identity_new_x25519 (VwSecret *secret)
{
  VwAgeIdentity *identity = g_new0 (VwAgeIdentity, 1);

  identity->type = VW_AGE_KEY_X25519;
  identity->secret = secret;
  crypto_scalarmult_base (identity->public_key, vw_secret_const_data (secret));
  return identity;
}

VwAgeIdentity *
vw_age_identity_generate (void)
{
  VwSecret *secret = vw_secret_new (crypto_scalarmult_SCALARBYTES);

  randombytes_buf (vw_secret_data (secret), vw_secret_len (secret));
  return identity_new_x25519 (secret);
}

/**
 * vw_age_identity_parse:
 * @text: "AGE-SECRET-KEY-1..." (upper case, as age writes it)
 *
 * Error messages never quote @text: it is a secret key.
 */
VwAgeIdentity *
vw_age_identity_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(VwSecret) secret = vw_secret_new (crypto_scalarmult_SCALARBYTES);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hrp = NULL;
  gsize len = 0;

  if (g_str_has_prefix (text, "AGE-SECRET-KEY-PQ-") || g_str_has_prefix (text, "AGE-PLUGIN-"))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("Only X25519 identities (“AGE-SECRET-KEY-1…”) are supported"));
      return NULL;
    }
  if (!vw_bech32_decode (text, 0, &hrp, vw_secret_data (secret), vw_secret_len (secret),
                         &len, &local_error))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("Not an age identity: %s"),
                   local_error->message);
      return NULL;
    }
  if (strcmp (hrp, IDENTITY_HRP) != 0 || len != crypto_scalarmult_SCALARBYTES)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("Not an age identity: they start with “AGE-SECRET-KEY-1”"));
      return NULL;
    }

  return identity_new_x25519 (g_steal_pointer (&secret));
}

/**
 * vw_age_identity_new_x25519:
 * @secret: an X25519 secret key (32 bytes); copied
 *
 * Returns: (transfer full): the identity "AGE-SECRET-KEY-1..." of @secret
 */
VwAgeIdentity *
vw_age_identity_new_x25519 (const VwSecret  *secret,
                            GError         **error)
{
  if (vw_secret_len (secret) != crypto_scalarmult_SCALARBYTES)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("An X25519 secret key is %d bytes long"), crypto_scalarmult_SCALARBYTES);
      return NULL;
    }
  return identity_new_x25519 (vw_secret_dup (secret));
}

VwAgeIdentity *
vw_age_identity_new_passphrase (const VwSecret *passphrase)
{
  VwAgeIdentity *identity = g_new0 (VwAgeIdentity, 1);

  identity->type = VW_AGE_KEY_SCRYPT;
  identity->secret = vw_secret_dup (passphrase);
  return identity;
}

void
vw_age_identity_free (VwAgeIdentity *identity)
{
  if (identity == NULL)
    return;

  g_clear_pointer (&identity->secret, vw_secret_free);
  g_free (identity);
}

/**
 * vw_age_identity_to_string:
 *
 * Returns: (transfer full) (nullable): "AGE-SECRET-KEY-1..." with its NUL,
 *   in secure memory; %NULL for a passphrase identity
 */
VwSecret *
vw_age_identity_to_string (const VwAgeIdentity *identity)
{
  gsize size = vw_bech32_encoded_size (strlen (IDENTITY_HRP), crypto_scalarmult_SCALARBYTES);
  VwSecret *text;

  if (identity->type != VW_AGE_KEY_X25519)
    return NULL;

  text = vw_secret_new (size);
  vw_bech32_encode (IDENTITY_HRP, vw_secret_const_data (identity->secret),
                    vw_secret_len (identity->secret), TRUE, (char *) vw_secret_data (text), size);
  vw_secret_truncate (text, strlen ((const char *) vw_secret_const_data (text)));
  return text;
}

/**
 * vw_age_identity_to_recipient:
 *
 * Returns: (transfer full): the recipient to encrypt to this identity (for
 *   a passphrase: the same passphrase at the default work factor)
 */
VwAgeRecipient *
vw_age_identity_to_recipient (const VwAgeIdentity *identity)
{
  if (identity->type == VW_AGE_KEY_SCRYPT)
    return vw_age_recipient_new_passphrase (identity->secret, 0);

  return vw_age_recipient_new_x25519 (identity->public_key);
}

static gboolean
add_identity_line (char      *line,
                   guint      number,
                   gpointer   user_data,
                   GError   **error)
{
  KeyFileParse *parse = user_data;
  g_autoptr(GError) local_error = NULL;
  VwAgeIdentity *identity = vw_age_identity_parse (line, &local_error);

  if (identity == NULL)
    return vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("“%s” line %u: %s"),
                        parse->path, number, local_error->message);
  g_ptr_array_add (parse->keys, identity);
  return TRUE;
}

/* Reads the whole file straight into secure memory. */
static VwSecret *
read_secret_file (const char  *path,
                  gsize        max_size,
                  GError     **error)
{
  g_autoptr(VwSecret) buffer = NULL;
  gsize total = 0;
  int fd;

  if (vw_age_text_is_identity (path))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("An identity file was expected, and this is the secret key itself: save it in a file "
                     "(as “veldwerk-cli keygen -o FILE” does) and give that file"));
      return NULL;
    }
  buffer = vw_secret_new (max_size + 1);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot read “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  while (total < vw_secret_len (buffer))
    {
      gssize n = read (fd, vw_secret_data (buffer) + total, vw_secret_len (buffer) - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot read “%s”: %s"), path, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      total += n;
    }
  close (fd);

  if (total > max_size)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("“%s” is too large for a file of keys"), path);
      return NULL;
    }
  vw_secret_truncate (buffer, total);
  return g_steal_pointer (&buffer);
}

/**
 * vw_age_identities_from_file:
 *
 * Reads an identity file as `age -i` does (the format age-keygen writes):
 * "AGE-SECRET-KEY-1..." lines, empty lines and "#" comments ignored.
 * Errors name the file and line, never the key.
 *
 * Returns: (transfer full) (element-type VwAgeIdentity): the identities
 */
GPtrArray *
vw_age_identities_from_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_identity_free);
  g_autoptr(VwSecret) text = read_secret_file (path, MAX_IDENTITY_FILE, error);
  KeyFileParse parse = { path, identities };
  const char *data;

  if (text == NULL)
    return NULL;
  data = (const char *) vw_secret_const_data (text);
  if (g_str_has_prefix (data, VW_AGE_VERSION_LINE) || g_str_has_prefix (data, VW_AGE_ARMOR_BEGIN))
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("“%s” is an encrypted identity file; decrypt it first"), path);
      return NULL;
    }
  if (!for_each_key_line ((char *) vw_secret_data (text), vw_secret_len (text),
                          add_identity_line, &parse, error))
    return NULL;
  if (identities->len == 0)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("“%s” contains no identities"), path);
      return NULL;
    }

  return g_steal_pointer (&identities);
}

/**
 * vw_age_keygen_file_contents:
 * @created: when the key was made; written in RFC 3339 form
 *
 * Returns: (transfer full): an identity file as age-keygen writes it, in
 *   secure memory
 */
VwSecret *
vw_age_keygen_file_contents (const VwAgeIdentity *identity,
                             GDateTime           *created)
{
  g_autoptr(VwAgeRecipient) recipient = vw_age_identity_to_recipient (identity);
  g_autofree char *public_key = vw_age_recipient_to_string (recipient);
  g_autoptr(VwSecret) secret_key = vw_age_identity_to_string (identity);
  g_autofree char *time = NULL;
  g_autofree char *head = NULL;
  VwSecret *contents;
  gsize head_len, key_len;

  g_return_val_if_fail (identity->type == VW_AGE_KEY_X25519, NULL);

  /* Go's RFC 3339 layout: "Z" for UTC, else the offset with a colon. */
  if (g_date_time_get_utc_offset (created) == 0)
    time = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  else
    time = g_date_time_format (created, "%Y-%m-%dT%H:%M:%S%:z");

  head = g_strdup_printf ("# created: %s\n# public key: %s\n", time, public_key);
  head_len = strlen (head);
  key_len = vw_secret_len (secret_key);
  contents = vw_secret_new (head_len + key_len + 1);
  memcpy (vw_secret_data (contents), head, head_len);
  memcpy (vw_secret_data (contents) + head_len, vw_secret_const_data (secret_key), key_len);
  vw_secret_data (contents)[head_len + key_len] = '\n';

  return contents;
}

/* Stanzas */

static VwAgeStanza *
seal_file_key (GStrv            args,
               const guint8    *wrap_key,
               const VwSecret  *file_key)
{
  guint8 body[VW_AGE_FILE_KEY_SIZE + VW_AGE_TAG_SIZE];

  crypto_aead_chacha20poly1305_ietf_encrypt (body, NULL, vw_secret_const_data (file_key),
                                             vw_secret_len (file_key), NULL, 0, NULL,
                                             zero_nonce, wrap_key);
  return vw_age_stanza_new (args, body, sizeof body);
}

/* Returns TRUE with @file_key set if the body opens under @wrap_key. */
static gboolean
open_file_key (const VwAgeStanza  *stanza,
               const guint8       *wrap_key,
               VwSecret          **file_key)
{
  g_autoptr(VwSecret) key = vw_secret_new (VW_AGE_FILE_KEY_SIZE);

  if (crypto_aead_chacha20poly1305_ietf_decrypt (vw_secret_data (key), NULL, NULL,
                                                 stanza->body, stanza->body_len,
                                                 NULL, 0, zero_nonce, wrap_key) != 0)
    return FALSE;

  *file_key = g_steal_pointer (&key);
  return TRUE;
}

static void
x25519_wrap_key (const guint8  shared[32],
                 const guint8  share[32],
                 const guint8  recipient[32],
                 guint8       *wrap_key)
{
  guint8 salt[64];

  memcpy (salt, share, 32);
  memcpy (salt + 32, recipient, 32);
  vw_hkdf_sha256 (shared, 32, salt, sizeof salt, X25519_INFO, wrap_key, 32);
}

/**
 * vw_age_x25519_wrap_with:
 * @ephemeral_secret: fresh randomness for every stanza; a parameter only
 *   so that tests can check the derivation against known answers
 */
VwAgeStanza *
vw_age_x25519_wrap_with (const guint8     recipient[32],
                         const guint8     ephemeral_secret[32],
                         const VwSecret  *file_key,
                         GError         **error)
{
  g_autoptr(VwSecret) shared = vw_secret_new (32);
  g_autoptr(VwSecret) wrap_key = vw_secret_new (32);
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_autofree char *share_text = NULL;
  guint8 share[32];

  crypto_scalarmult_base (share, ephemeral_secret);
  if (crypto_scalarmult (vw_secret_data (shared), ephemeral_secret, recipient) != 0)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                   _("The recipient is not a usable X25519 public key"));
      return NULL;
    }
  x25519_wrap_key (vw_secret_const_data (shared), share, recipient, vw_secret_data (wrap_key));

  share_text = vw_age_base64_encode (share, sizeof share);
  g_strv_builder_add_many (args, "X25519", share_text, NULL);
  return seal_file_key (g_strv_builder_end (args), vw_secret_const_data (wrap_key), file_key);
}

static gboolean
scrypt_wrap_key (const VwSecret  *passphrase,
                 const guint8     salt[16],
                 guint            work_factor,
                 guint8          *wrap_key,
                 GError         **error)
{
  guint8 full_salt[sizeof SCRYPT_LABEL - 1 + 16];

  memcpy (full_salt, SCRYPT_LABEL, sizeof SCRYPT_LABEL - 1);
  memcpy (full_salt + sizeof SCRYPT_LABEL - 1, salt, 16);
  if (crypto_pwhash_scryptsalsa208sha256_ll (vw_secret_const_data (passphrase),
                                             vw_secret_len (passphrase),
                                             full_salt, sizeof full_salt,
                                             (guint64) 1 << work_factor, 8, 1,
                                             wrap_key, 32) != 0)
    return vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                        _("Not enough memory to derive a key from the passphrase"));
  return TRUE;
}

/**
 * vw_age_recipient_wrap:
 *
 * Returns: (transfer full): a stanza that wraps @file_key for @recipient
 */
VwAgeStanza *
vw_age_recipient_wrap (const VwAgeRecipient  *recipient,
                       const VwSecret        *file_key,
                       GError               **error)
{
  if (recipient->type == VW_AGE_KEY_X25519)
    {
      g_autoptr(VwSecret) ephemeral = vw_secret_new (32);

      randombytes_buf (vw_secret_data (ephemeral), vw_secret_len (ephemeral));
      return vw_age_x25519_wrap_with (recipient->public_key, vw_secret_const_data (ephemeral),
                                      file_key, error);
    }
  else
    {
      g_autoptr(VwSecret) wrap_key = vw_secret_new (32);
      g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
      g_autofree char *salt_text = NULL;
      g_autofree char *factor_text = NULL;
      guint8 salt[16];

      randombytes_buf (salt, sizeof salt);
      if (!scrypt_wrap_key (recipient->passphrase, salt, recipient->work_factor,
                            vw_secret_data (wrap_key), error))
        return NULL;

      salt_text = vw_age_base64_encode (salt, sizeof salt);
      factor_text = g_strdup_printf ("%u", recipient->work_factor);
      g_strv_builder_add_many (args, "scrypt", salt_text, factor_text, NULL);
      return seal_file_key (g_strv_builder_end (args), vw_secret_const_data (wrap_key), file_key);
    }
}

/**
 * vw_age_identity_unwrap:
 * @stanza: a stanza that vw_age_validate_stanzas() accepted
 *
 * Returns: 1 with @file_key set if @identity opens @stanza, 0 if the stanza
 *   is not for this identity, -1 with @error set if the file must be
 *   rejected (an X25519 share whose shared secret is all zeros)
 */
int
vw_age_identity_unwrap (const VwAgeIdentity  *identity,
                        const VwAgeStanza    *stanza,
                        VwSecret            **file_key,
                        GError              **error)
{
  g_autoptr(VwSecret) wrap_key = vw_secret_new (32);
  gsize len = 0;

  if (identity->type == VW_AGE_KEY_X25519 && strcmp (stanza->args[0], "X25519") == 0)
    {
      g_autoptr(VwSecret) shared = vw_secret_new (32);
      guint8 share[32];

      if (!vw_age_base64_decode (stanza->args[1], strlen (stanza->args[1]), share, sizeof share, &len))
        return 0;
      /* libsodium refuses low-order points and an all-zero result. */
      if (crypto_scalarmult (vw_secret_data (shared), vw_secret_const_data (identity->secret), share) != 0)
        {
          vw_age_fail (error, VW_AGE_ERROR_HEADER,
                       _("an X25519 share is a low-order point, as only a forged file has"));
          return -1;
        }
      x25519_wrap_key (vw_secret_const_data (shared), share, identity->public_key,
                       vw_secret_data (wrap_key));
      return open_file_key (stanza, vw_secret_const_data (wrap_key), file_key) ? 1 : 0;
    }

  if (identity->type == VW_AGE_KEY_SCRYPT && strcmp (stanza->args[0], "scrypt") == 0)
    {
      guint8 salt[16];
      guint work_factor = (guint) g_ascii_strtoull (stanza->args[2], NULL, 10);

      if (!vw_age_base64_decode (stanza->args[1], strlen (stanza->args[1]), salt, sizeof salt, &len))
        return 0;
      if (!scrypt_wrap_key (identity->secret, salt, work_factor, vw_secret_data (wrap_key), error))
        return -1;
      return open_file_key (stanza, vw_secret_const_data (wrap_key), file_key) ? 1 : 0;
    }

  return 0;
}
