/* The age header: stanzas, their strict base64, the header MAC, and the
 * STREAM key and nonce that follow from the file key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "vw-age-private.h"
#include "vw-hkdf.h"

G_DEFINE_QUARK (vw-age-error-quark, vw_age_error)

/**
 * vw_age_fail:
 *
 * Sets an age error whose message starts with the failure kind, so that
 * one line on a terminal says both what kind of failure it was and why.
 * Always returns %FALSE.
 */
gboolean
vw_age_fail (GError     **error,
             VwAgeError   code,
             const char  *format,
             ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  switch (code)
    {
    case VW_AGE_ERROR_HEADER:
      /* Translators: %s says what is wrong with the header of an encrypted file. */
      g_set_error (error, VW_AGE_ERROR, code, _("Header failure: %s"), detail);
      break;
    case VW_AGE_ERROR_NO_MATCH:
      g_set_error (error, VW_AGE_ERROR, code, _("No match: %s"), detail);
      break;
    case VW_AGE_ERROR_HMAC:
      g_set_error (error, VW_AGE_ERROR, code, _("Header MAC failure: %s"), detail);
      break;
    case VW_AGE_ERROR_PAYLOAD:
      g_set_error (error, VW_AGE_ERROR, code, _("Payload failure: %s"), detail);
      break;
    case VW_AGE_ERROR_ARMOR:
      g_set_error (error, VW_AGE_ERROR, code, _("Armor failure: %s"), detail);
      break;
    case VW_AGE_ERROR_INVALID_KEY:
    default:
      g_set_error_literal (error, VW_AGE_ERROR, code, detail);
      break;
    }

  return FALSE;
}

VwAgeStanza *
vw_age_stanza_new (GStrv         args,
                   const guint8 *body,
                   gsize         body_len)
{
  VwAgeStanza *stanza = g_new0 (VwAgeStanza, 1);

  stanza->args = args;
  stanza->body = g_memdup2 (body_len > 0 ? body : (const guint8 *) "", MAX (body_len, 1));
  stanza->body_len = body_len;

  return stanza;
}

void
vw_age_stanza_free (VwAgeStanza *stanza)
{
  if (stanza == NULL)
    return;

  g_strfreev (stanza->args);
  g_free (stanza->body);
  g_free (stanza);
}

char *
vw_age_base64_encode (const guint8 *data,
                      gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  char *text = g_malloc (size);

  sodium_bin2base64 (text, size, data, len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  return text;
}

/**
 * vw_age_base64_is_alphabet:
 * @padding: also allow "=" (the armor's padded base64)
 *
 * libsodium 1.0.18's decoder takes a byte with the high bit set for the
 * ASCII character below it, which would let anyone change a MAC line or
 * the armor without changing what it decodes to. So every byte is checked
 * here first.
 */
gboolean
vw_age_base64_is_alphabet (const char *text,
                           gsize       len,
                           gboolean    padding)
{
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isalnum (text[i]) || text[i] == '+' || text[i] == '/' || (padding && text[i] == '=')))
      return FALSE;
  return TRUE;
}

/**
 * vw_age_base64_decode:
 *
 * Accepts exactly the canonical, unpadded encoding that age requires:
 * only the alphabet, no "=", no lone last character, and zero bits where
 * the last character has more than the data needs (libsodium checks the
 * last three).
 */
gboolean
vw_age_base64_decode (const char *text,
                      gsize       text_len,
                      guint8     *out,
                      gsize       out_size,
                      gsize      *out_len)
{
  if (!vw_age_base64_is_alphabet (text, text_len, FALSE))
    return FALSE;
  if (text_len == 0)
    {
      *out_len = 0;
      return TRUE;
    }

  return sodium_base642bin (out, out_size, text, text_len, NULL, out_len, NULL,
                            sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0;
}

/**
 * vw_age_parse_arguments:
 * @line: an argument line without its newline, starting with "-> "
 *
 * Returns: (transfer full) (nullable): the arguments, or %NULL if one of
 *   them is empty or has a character that is not printable ASCII
 */
GStrv
vw_age_parse_arguments (const char *line,
                        gsize       len)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize start;

  if (len < 3 || memcmp (line, "-> ", 3) != 0)
    return NULL;

  start = 3;
  for (gsize i = 3; i <= len; i++)
    {
      if (i == len || line[i] == ' ')
        {
          g_autofree char *arg = NULL;

          if (i == start)
            return NULL;
          arg = g_strndup (line + start, i - start);
          g_strv_builder_add (builder, arg);
          start = i + 1;
        }
      else if (line[i] < 0x21 || line[i] > 0x7e)
        return NULL;
    }

  return g_strv_builder_end (builder);
}

static gboolean
decode_exact (const char *text,
              guint8     *out,
              gsize       size)
{
  gsize len = 0;

  return vw_age_base64_decode (text, strlen (text), out, size, &len) && len == size;
}

/* "^[1-9][0-9]*$", and no larger than we are willing to compute. */
static gboolean
parse_work_factor (const char  *text,
                   guint       *work_factor,
                   GError     **error)
{
  gsize len = strlen (text);
  guint value = 0;

  if (len == 0 || text[0] < '1' || text[0] > '9')
    return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the scrypt work factor is not a plain decimal number"));
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the scrypt work factor is not a plain decimal number"));
  /* Two digits are enough for any factor we accept, and cannot overflow. */
  if (len <= 2)
    value = (guint) g_ascii_strtoull (text, NULL, 10);
  if (len > 2 || value > VW_AGE_SCRYPT_MAX_WORK_FACTOR)
    return vw_age_fail (error, VW_AGE_ERROR_HEADER,
                        _("the scrypt work factor is larger than %d, which would take too long to compute"),
                        VW_AGE_SCRYPT_MAX_WORK_FACTOR);

  *work_factor = value;
  return TRUE;
}

/**
 * vw_age_validate_stanzas:
 *
 * Checks the stanzas of the native types we implement, whatever identities
 * the caller has: a malformed X25519 or scrypt stanza makes the header
 * invalid, and an scrypt stanza must be alone. Unknown types (grease) are
 * ignored, as the specification requires.
 */
gboolean
vw_age_validate_stanzas (GPtrArray  *stanzas,
                         GError    **error)
{
  gboolean has_scrypt = FALSE;

  if (stanzas->len == 0)
    return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the header has no recipient stanza"));

  for (guint i = 0; i < stanzas->len; i++)
    {
      const VwAgeStanza *stanza = g_ptr_array_index (stanzas, i);
      guint n_args = g_strv_length (stanza->args);
      guint8 value[32];

      if (strcmp (stanza->args[0], "X25519") == 0)
        {
          if (n_args != 2)
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("an X25519 stanza must have exactly one argument"));
          if (!decode_exact (stanza->args[1], value, 32))
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the X25519 share is not 32 bytes of canonical base64"));
          if (stanza->body_len != VW_AGE_FILE_KEY_SIZE + VW_AGE_TAG_SIZE)
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the X25519 stanza body is not 32 bytes"));
        }
      else if (strcmp (stanza->args[0], "scrypt") == 0)
        {
          guint work_factor;

          has_scrypt = TRUE;
          if (n_args != 3)
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("an scrypt stanza must have exactly two arguments"));
          if (!decode_exact (stanza->args[1], value, 16))
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the scrypt salt is not 16 bytes of canonical base64"));
          if (!parse_work_factor (stanza->args[2], &work_factor, error))
            return FALSE;
          if (stanza->body_len != VW_AGE_FILE_KEY_SIZE + VW_AGE_TAG_SIZE)
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the scrypt stanza body is not 32 bytes"));
        }
    }

  /* A passphrase implies that whoever knows it wrote the file; another
   * stanza would let someone else write it too. */
  if (has_scrypt && stanzas->len != 1)
    return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("an scrypt stanza must be the only stanza in the header"));

  return TRUE;
}

void
vw_age_header_mac (const VwSecret *file_key,
                   const guint8   *header,
                   gsize           header_len,
                   guint8          mac[VW_AGE_MAC_SIZE])
{
  g_autoptr(VwSecret) hmac_key = vw_secret_new (32);

  vw_hkdf_sha256 (vw_secret_const_data (file_key), vw_secret_len (file_key), NULL, 0,
                  "header", vw_secret_data (hmac_key), 32);
  crypto_auth_hmacsha256 (mac, header, header_len, vw_secret_const_data (hmac_key));
}

/**
 * vw_age_header_serialize:
 *
 * Returns: (transfer full): the whole header, from the version line to the
 *   MAC line and its newline
 */
GByteArray *
vw_age_header_serialize (GPtrArray      *stanzas,
                         const VwSecret *file_key)
{
  GString *text = g_string_new (VW_AGE_VERSION_LINE "\n");
  guint8 mac[VW_AGE_MAC_SIZE];
  g_autofree char *mac_text = NULL;
  gsize len;

  for (guint i = 0; i < stanzas->len; i++)
    {
      const VwAgeStanza *stanza = g_ptr_array_index (stanzas, i);
      g_autofree char *body = vw_age_base64_encode (stanza->body, stanza->body_len);
      g_autofree char *args = g_strjoinv (" ", stanza->args);
      gsize body_len = strlen (body);

      g_string_append_printf (text, "-> %s\n", args);
      /* Wrapped at 64 columns; the last line is always shorter, even if
       * that makes it empty. */
      for (gsize pos = 0; ; pos += 64)
        {
          gsize take = MIN (64, body_len - pos);

          g_string_append_len (text, body + pos, take);
          g_string_append_c (text, '\n');
          if (take < 64)
            break;
        }
    }
  g_string_append (text, "---");

  vw_age_header_mac (file_key, (const guint8 *) text->str, text->len, mac);
  mac_text = vw_age_base64_encode (mac, sizeof mac);
  g_string_append_printf (text, " %s\n", mac_text);

  len = text->len;
  return g_byte_array_new_take ((guint8 *) g_string_free (text, FALSE), len);
}

VwSecret *
vw_age_payload_key (const VwSecret *file_key,
                    const guint8    nonce[VW_AGE_NONCE_SIZE])
{
  VwSecret *key = vw_secret_new (crypto_aead_chacha20poly1305_ietf_KEYBYTES);

  vw_hkdf_sha256 (vw_secret_const_data (file_key), vw_secret_len (file_key),
                  nonce, VW_AGE_NONCE_SIZE, "payload", vw_secret_data (key), vw_secret_len (key));
  return key;
}

/* An 11-byte big-endian chunk counter, then 0x01 for the final chunk. */
void
vw_age_stream_nonce (guint64  counter,
                     gboolean last,
                     guint8   nonce[12])
{
  memset (nonce, 0, 12);
  for (guint i = 0; i < 8; i++)
    nonce[10 - i] = (counter >> (8 * i)) & 0xff;
  nonce[11] = last ? 0x01 : 0x00;
}
