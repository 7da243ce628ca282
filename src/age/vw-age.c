/* age v1 encryption and decryption as GIO streams: the header is read and
 * written here, the payload is the STREAM construction in 64 KiB chunks.
 * Memory use is a few chunk buffers, whatever the file size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "vw-age-private.h"

/* The decryptor's input buffer holds two encrypted chunks, so a header
 * line may be that long; no real stanza comes near it. */
#define IN_SIZE    (2 * VW_AGE_ENC_CHUNK_SIZE)
#define MAX_HEADER (1024 * 1024)

/* Encryptor */

struct _VwAgeEncryptor
{
  GOutputStream  parent_instance;

  GOutputStream *base;        /* owned ref */
  GOutputStream *dest;        /* owned: base, or an armor writer over it */
  VwSecret      *payload_key; /* owned */
  guint64        counter;     /* of the next chunk to seal */
  guint8        *buf;         /* owned: the chunk being filled, with room for the tag */
  gsize          buf_len;
  gboolean       abandoned;   /* a write failed or the stream was never closed */
};

G_DEFINE_FINAL_TYPE (VwAgeEncryptor, vw_age_encryptor, G_TYPE_OUTPUT_STREAM)

/* Encrypts buf in place, puts the tag after it and writes it out. */
static gboolean
seal_chunk (VwAgeEncryptor  *self,
            gboolean         last,
            GCancellable    *cancellable,
            GError         **error)
{
  guint8 nonce[12];
  gsize written = 0;

  vw_age_stream_nonce (self->counter++, last, nonce);
  crypto_aead_chacha20poly1305_ietf_encrypt_detached (self->buf, self->buf + self->buf_len, NULL,
                                                      self->buf, self->buf_len, NULL, 0, NULL,
                                                      nonce, vw_secret_const_data (self->payload_key));
  if (!g_output_stream_write_all (self->dest, self->buf, self->buf_len + VW_AGE_TAG_SIZE,
                                  &written, cancellable, error))
    {
      self->abandoned = TRUE;
      return FALSE;
    }
  self->buf_len = 0;
  return TRUE;
}

static gboolean
fail_abandoned (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("An earlier write failed; the encrypted file is incomplete"));
  return FALSE;
}

static gssize
vw_age_encryptor_write (GOutputStream  *stream,
                        const void     *buffer,
                        gsize           count,
                        GCancellable   *cancellable,
                        GError        **error)
{
  VwAgeEncryptor *self = VW_AGE_ENCRYPTOR (stream);
  const guint8 *data = buffer;
  gsize done = 0;

  if (self->abandoned)
    {
      fail_abandoned (error);
      return -1;
    }

  while (done < count)
    {
      gsize take;

      /* A full chunk is only sealed once more data shows it is not the
       * last one. */
      if (self->buf_len == VW_AGE_CHUNK_SIZE && !seal_chunk (self, FALSE, cancellable, error))
        return -1;
      take = MIN (VW_AGE_CHUNK_SIZE - self->buf_len, count - done);
      memcpy (self->buf + self->buf_len, data + done, take);
      self->buf_len += take;
      done += take;
    }

  return count;
}

static gboolean
vw_age_encryptor_close (GOutputStream  *stream,
                        GCancellable   *cancellable,
                        GError        **error)
{
  VwAgeEncryptor *self = VW_AGE_ENCRYPTOR (stream);

  /* A stream that failed, or that is dropped without a close, must not
   * end with a valid final chunk: the file would look whole. */
  if (self->abandoned)
    {
      if (self->dest != self->base)
        vw_age_armor_writer_abandon (self->dest);
      return TRUE;
    }

  if (!seal_chunk (self, TRUE, cancellable, error))
    return FALSE;
  if (self->dest != self->base && !g_output_stream_close (self->dest, cancellable, error))
    return FALSE;
  return TRUE;
}

static void
vw_age_encryptor_dispose (GObject *object)
{
  VwAgeEncryptor *self = VW_AGE_ENCRYPTOR (object);

  if (!g_output_stream_is_closed (G_OUTPUT_STREAM (self)))
    self->abandoned = TRUE;

  G_OBJECT_CLASS (vw_age_encryptor_parent_class)->dispose (object);
}

static void
wipe_chunk_buffer (guint8 *buf)
{
  if (buf == NULL)
    return;
  sodium_memzero (buf, VW_AGE_ENC_CHUNK_SIZE);
  g_free (buf);
}

static void
vw_age_encryptor_finalize (GObject *object)
{
  VwAgeEncryptor *self = VW_AGE_ENCRYPTOR (object);

  if (self->dest != NULL && self->dest != self->base)
    g_object_unref (self->dest);
  g_clear_object (&self->base);
  g_clear_pointer (&self->payload_key, vw_secret_free);
  wipe_chunk_buffer (self->buf);

  G_OBJECT_CLASS (vw_age_encryptor_parent_class)->finalize (object);
}

static void
vw_age_encryptor_class_init (VwAgeEncryptorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->dispose = vw_age_encryptor_dispose;
  object_class->finalize = vw_age_encryptor_finalize;
  stream_class->write_fn = vw_age_encryptor_write;
  stream_class->close_fn = vw_age_encryptor_close;
}

static void
vw_age_encryptor_init (VwAgeEncryptor *self)
{
  self->buf = g_malloc (VW_AGE_ENC_CHUNK_SIZE);
}

/**
 * vw_age_encryptor_new:
 * @recipients: (element-type VwAgeRecipient): one or more X25519
 *   recipients, or a single passphrase
 * @armor: write the ASCII armor instead of binary
 *
 * Writes the header at once. Close the returned stream to finish the file;
 * a stream that is dropped without g_output_stream_close() leaves a file
 * that fails to decrypt, never a shortened one that succeeds.
 *
 * Returns: (transfer full): the plaintext sink, or %NULL
 */
VwAgeEncryptor *
vw_age_encryptor_new (GOutputStream  *base,
                      GPtrArray      *recipients,
                      gboolean        armor,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(VwAgeEncryptor) self = NULL;
  g_autoptr(VwSecret) file_key = NULL;
  g_autoptr(GPtrArray) stanzas = NULL;
  g_autoptr(GByteArray) header = NULL;
  guint8 nonce[VW_AGE_NONCE_SIZE];
  gsize written = 0;

  if (recipients == NULL || recipients->len == 0)
    {
      vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY, _("There is no recipient to encrypt to"));
      return NULL;
    }
  for (guint i = 0; i < recipients->len; i++)
    if (vw_age_recipient_is_passphrase (g_ptr_array_index (recipients, i)) && recipients->len > 1)
      {
        vw_age_fail (error, VW_AGE_ERROR_INVALID_KEY,
                     _("A passphrase cannot be combined with other recipients"));
        return NULL;
      }

  file_key = vw_secret_new (VW_AGE_FILE_KEY_SIZE);
  randombytes_buf (vw_secret_data (file_key), vw_secret_len (file_key));

  stanzas = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_stanza_free);
  for (guint i = 0; i < recipients->len; i++)
    {
      VwAgeStanza *stanza = vw_age_recipient_wrap (g_ptr_array_index (recipients, i), file_key, error);

      if (stanza == NULL)
        return NULL;
      g_ptr_array_add (stanzas, stanza);
    }
  header = vw_age_header_serialize (stanzas, file_key);

  self = g_object_new (VW_TYPE_AGE_ENCRYPTOR, NULL);
  self->base = g_object_ref (base);
  self->dest = armor ? vw_age_armor_writer_new (base) : base;

  randombytes_buf (nonce, sizeof nonce);
  self->payload_key = vw_age_payload_key (file_key, nonce);

  if (!g_output_stream_write_all (self->dest, header->data, header->len, &written, cancellable, error) ||
      !g_output_stream_write_all (self->dest, nonce, sizeof nonce, &written, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * vw_age_encryptor_write_from:
 *
 * Encrypts all of @in, read straight into chunk buffers and sealed on
 * two cores (vw-age-seal.c), so faster than writing to the stream. The stream still needs
 * g_output_stream_close() to write the final chunk.
 */
gboolean
vw_age_encryptor_write_from (VwAgeEncryptor  *self,
                             GInputStream    *in,
                             GCancellable    *cancellable,
                             GError         **error)
{
  GOutputStream *stream = G_OUTPUT_STREAM (self);
  gboolean ok;

  g_return_val_if_fail (VW_IS_AGE_ENCRYPTOR (self), FALSE);

  if (!g_output_stream_set_pending (stream, error))
    return FALSE;

  if (self->abandoned)
    ok = fail_abandoned (error);
  else if (!(ok = vw_age_seal_stream (in, self->dest, vw_secret_const_data (self->payload_key), &self->counter,
                                      self->buf, &self->buf_len, cancellable, error)))
    {
      /* After a failed read or write the file stays unfinished, on purpose. */
      self->abandoned = TRUE;
      if (error != NULL && *error == NULL)
        fail_abandoned (error);
    }
  g_output_stream_clear_pending (stream);
  return ok;
}

/* Decryptor */

struct _VwAgeDecryptor
{
  GInputStream  parent_instance;

  GInputStream *base;        /* owned ref */
  GInputStream *src;         /* owned: base through the armor reader */
  guint8       *in;          /* owned: IN_SIZE bytes read ahead from src */
  gsize         in_start;
  gsize         in_end;
  gboolean      in_eof;
  GError       *in_error;    /* owned: src failed after the bytes in the buffer */
  guint         line;        /* header line number, for messages */

  GPtrArray    *stanzas;     /* owned, of VwAgeStanza */
  GByteArray   *header;      /* owned: the bytes the MAC covers */
  guint8        mac[VW_AGE_MAC_SIZE];

  gboolean      unlocked;
  VwSecret     *payload_key; /* owned */
  guint64       counter;
  guint8       *plain;       /* owned: a decrypted chunk not yet read */
  gsize         plain_start;
  gsize         plain_end;
  gboolean      finished;    /* the final chunk has been decrypted */
  GError       *pending;     /* owned: reported once the plaintext before it is read */
};

G_DEFINE_FINAL_TYPE (VwAgeDecryptor, vw_age_decryptor, G_TYPE_INPUT_STREAM)

/* Makes at least @want bytes available if the input has them. Returns
 * how many are available, or -1 (the source's error: armor or I/O). */
static gssize
fill (VwAgeDecryptor  *self,
      gsize            want,
      GCancellable    *cancellable,
      GError         **error)
{
  g_assert (want <= IN_SIZE);

  while (self->in_end - self->in_start < want && !self->in_eof)
    {
      gssize n;

      if (self->in_error != NULL)
        {
          g_propagate_error (error, g_error_copy (self->in_error));
          return -1;
        }
      if (IN_SIZE - self->in_start < want)
        {
          memmove (self->in, self->in + self->in_start, self->in_end - self->in_start);
          self->in_end -= self->in_start;
          self->in_start = 0;
        }
      n = g_input_stream_read (self->src, self->in + self->in_end, IN_SIZE - self->in_end,
                               cancellable, error);
      if (n < 0)
        return -1;
      if (n == 0)
        self->in_eof = TRUE;
      self->in_end += n;
    }

  return self->in_end - self->in_start;
}

/* The next header line, without its LF, NUL-terminated in a copy. */
static char *
read_header_line (VwAgeDecryptor  *self,
                  gsize           *len,
                  GCancellable    *cancellable,
                  GError         **error)
{
  gsize scanned = 0;

  for (;;)
    {
      gsize avail = self->in_end - self->in_start;
      guint8 *start = self->in + self->in_start;
      guint8 *nl = memchr (start + scanned, '\n', avail - scanned);

      if (nl != NULL)
        {
          char *line;

          *len = nl - start;
          line = g_strndup ((const char *) start, *len);
          self->in_start += *len + 1;
          self->line++;
          if (self->header->len + *len + 1 > MAX_HEADER)
            {
              g_free (line);
              vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the header is larger than 1 MiB"));
              return NULL;
            }
          return line;
        }
      scanned = avail;
      if (avail >= IN_SIZE)
        {
          vw_age_fail (error, VW_AGE_ERROR_HEADER, _("line %u of the header is too long"), self->line + 1);
          return NULL;
        }
      if (self->in_eof)
        {
          if (self->line == 0 && avail == 0)
            vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the file is empty"));
          else
            vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the header ends before its MAC line"));
          return NULL;
        }
      if (fill (self, avail + 1, cancellable, error) < 0)
        return NULL;
    }
}

/* Reads the body lines of a stanza: full 64-column lines, then one that
 * is shorter (possibly empty). */
static gboolean
read_stanza_body (VwAgeDecryptor  *self,
                  GString         *body,
                  GCancellable    *cancellable,
                  GError         **error)
{
  for (;;)
    {
      gsize len = 0;
      g_autofree char *line = read_header_line (self, &len, cancellable, error);

      if (line == NULL)
        return FALSE;
      g_byte_array_append (self->header, (const guint8 *) line, len);
      g_byte_array_append (self->header, (const guint8 *) "\n", 1);
      if (len > 64)
        return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("line %u of the header is longer than 64 columns"), self->line);
      if (!vw_age_base64_is_alphabet (line, len, FALSE))
        return vw_age_fail (error, VW_AGE_ERROR_HEADER,
                            _("line %u of the header is not a stanza body line"), self->line);
      g_string_append_len (body, line, len);
      if (len < 64)
        return TRUE;
    }
}

static gboolean
parse_header (VwAgeDecryptor  *self,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autofree char *version = NULL;
  gsize len = 0;
  gssize avail;

  /* Anything else is not age at all: say so without reading on. */
  avail = fill (self, strlen ("age-encryption.org/"), cancellable, error);
  if (avail < 0)
    return FALSE;
  if (avail > 0 && memcmp (self->in + self->in_start, "age-encryption.org/",
                           MIN ((gsize) avail, strlen ("age-encryption.org/"))) != 0)
    return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("this is not an age encrypted file"));

  version = read_header_line (self, &len, cancellable, error);
  if (version == NULL)
    return FALSE;
  if (strcmp (version, VW_AGE_VERSION_LINE) != 0)
    {
      if (g_str_has_prefix (version, "age-encryption.org/"))
        return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the file uses an unsupported version of age"));
      return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("this is not an age encrypted file"));
    }
  g_byte_array_append (self->header, (const guint8 *) version, len);
  g_byte_array_append (self->header, (const guint8 *) "\n", 1);

  for (;;)
    {
      g_autofree char *line = read_header_line (self, &len, cancellable, error);

      if (line == NULL)
        return FALSE;

      if (g_str_has_prefix (line, "-> "))
        {
          g_autoptr(GString) body_text = g_string_new (NULL);
          g_autofree guint8 *body = NULL;
          gsize body_len = 0;
          GStrv args = vw_age_parse_arguments (line, len);

          if (args == NULL)
            return vw_age_fail (error, VW_AGE_ERROR_HEADER,
                                _("line %u of the header is not a valid stanza line"), self->line);
          g_ptr_array_add (self->stanzas, vw_age_stanza_new (args, NULL, 0));
          g_byte_array_append (self->header, (const guint8 *) line, len);
          g_byte_array_append (self->header, (const guint8 *) "\n", 1);

          if (!read_stanza_body (self, body_text, cancellable, error))
            return FALSE;
          body = g_malloc (body_text->len * 3 / 4 + 1);
          if (!vw_age_base64_decode (body_text->str, body_text->len, body,
                                     body_text->len * 3 / 4 + 1, &body_len))
            return vw_age_fail (error, VW_AGE_ERROR_HEADER,
                                _("a stanza body before line %u is not canonical base64"), self->line);
          {
            VwAgeStanza *stanza = g_ptr_array_index (self->stanzas, self->stanzas->len - 1);

            g_free (stanza->body);
            stanza->body = g_steal_pointer (&body);
            stanza->body_len = body_len;
          }
        }
      else if (g_str_has_prefix (line, "---"))
        {
          gsize mac_len = 0;

          /* "--- " and 43 characters of canonical base64, nothing else. */
          if (len != 4 + 43 || line[3] != ' ' ||
              !vw_age_base64_decode (line + 4, 43, self->mac, sizeof self->mac, &mac_len) ||
              mac_len != VW_AGE_MAC_SIZE)
            return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the MAC line is malformed"));
          g_byte_array_append (self->header, (const guint8 *) "---", 3);
          break;
        }
      else
        {
          return vw_age_fail (error, VW_AGE_ERROR_HEADER,
                              _("line %u of the header is neither a stanza nor the MAC line"), self->line);
        }
    }

  return vw_age_validate_stanzas (self->stanzas, error);
}

/* Chunk numbers in messages count from 1. They are formatted apart so
 * that translatable strings hold no platform format macro. */
static char *
chunk_number (guint64 number)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, number);
}

/* Decrypts the next chunk into @target (room for a whole chunk). Returns
 * the plaintext length or -1. Plaintext is written only for a chunk that
 * authenticated. */
static gssize
next_chunk (VwAgeDecryptor  *self,
            guint8          *target,
            GCancellable    *cancellable,
            GError         **error)
{
  const guint8 *key = vw_secret_const_data (self->payload_key);
  g_autofree char *number = NULL;
  guint8 nonce[12];
  gssize avail;
  gsize take;
  const guint8 *chunk;
  gboolean last, ok;

  avail = fill (self, VW_AGE_ENC_CHUNK_SIZE, cancellable, error);
  if (avail < 0)
    return -1;
  if (avail == 0)
    {
      if (self->counter == 0)
        vw_age_fail (error, VW_AGE_ERROR_PAYLOAD, _("the file is truncated: the payload is missing"));
      else
        vw_age_fail (error, VW_AGE_ERROR_PAYLOAD,
                     _("the file is truncated after chunk %s"),
                     (number = chunk_number (self->counter)));
      return -1;
    }

  take = MIN ((gsize) avail, VW_AGE_ENC_CHUNK_SIZE);
  chunk = self->in + self->in_start;
  if (take < VW_AGE_TAG_SIZE)
    {
      vw_age_fail (error, VW_AGE_ERROR_PAYLOAD, _("the file is truncated in chunk %s"),
                   (number = chunk_number (self->counter + 1)));
      return -1;
    }

  if (take < VW_AGE_ENC_CHUNK_SIZE)
    {
      /* A short chunk can only be the last, and only the first chunk of
       * an empty file may be empty. */
      if (take == VW_AGE_TAG_SIZE && self->counter > 0)
        {
          vw_age_fail (error, VW_AGE_ERROR_PAYLOAD, _("the final chunk is empty"));
          return -1;
        }
      last = TRUE;
      vw_age_stream_nonce (self->counter, TRUE, nonce);
      ok = crypto_aead_chacha20poly1305_ietf_decrypt (target, NULL, NULL, chunk, take, NULL, 0,
                                                      nonce, key) == 0;
    }
  else
    {
      /* A full chunk is the last one if it authenticates as such. */
      last = FALSE;
      vw_age_stream_nonce (self->counter, FALSE, nonce);
      ok = crypto_aead_chacha20poly1305_ietf_decrypt (target, NULL, NULL, chunk, take, NULL, 0,
                                                      nonce, key) == 0;
      if (!ok)
        {
          last = TRUE;
          vw_age_stream_nonce (self->counter, TRUE, nonce);
          ok = crypto_aead_chacha20poly1305_ietf_decrypt (target, NULL, NULL, chunk, take, NULL, 0,
                                                          nonce, key) == 0;
        }
    }

  if (!ok)
    {
      vw_age_fail (error, VW_AGE_ERROR_PAYLOAD,
                   _("chunk %s failed authentication: the file is damaged, cut short or changed"),
                   (number = chunk_number (self->counter + 1)));
      return -1;
    }

  self->in_start += take;
  self->counter++;

  if (last)
    {
      g_autoptr(GError) local_error = NULL;
      gssize rest;

      self->finished = TRUE;
      /* The final chunk is good; anything after it is an error, reported
       * once that chunk has been read. */
      rest = fill (self, 1, cancellable, &local_error);
      if (rest < 0)
        self->pending = g_steal_pointer (&local_error);
      else if (rest > 0)
        vw_age_fail (&self->pending, VW_AGE_ERROR_PAYLOAD, _("there is data after the final chunk"));
    }

  return take - VW_AGE_TAG_SIZE;
}

static gssize
vw_age_decryptor_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  VwAgeDecryptor *self = VW_AGE_DECRYPTOR (stream);
  guint8 *target;
  gssize n;

  if (!self->unlocked)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           "vw_age_decryptor_unlock() must succeed before reading");
      return -1;
    }

  if (self->plain_start == self->plain_end)
    {
      if (self->pending != NULL)
        {
          g_propagate_error (error, g_error_copy (self->pending));
          return -1;
        }
      if (self->finished || count == 0)
        return 0;

      /* Large reads get the plaintext directly, without a copy. */
      target = count >= VW_AGE_CHUNK_SIZE ? buffer : self->plain;
      n = next_chunk (self, target, cancellable, error);
      if (n < 0)
        {
          /* Keep failing: no later read may skip the bad chunk. */
          if (error != NULL && *error != NULL)
            self->pending = g_error_copy (*error);
          else
            vw_age_fail (&self->pending, VW_AGE_ERROR_PAYLOAD, _("the payload could not be read"));
          return -1;
        }
      if (target == buffer)
        return n;
      self->plain_start = 0;
      self->plain_end = n;
    }

  count = MIN (count, self->plain_end - self->plain_start);
  memcpy (buffer, self->plain + self->plain_start, count);
  self->plain_start += count;
  return count;
}

static gboolean
vw_age_decryptor_close (GInputStream  *stream,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return TRUE;
}

static void
vw_age_decryptor_finalize (GObject *object)
{
  VwAgeDecryptor *self = VW_AGE_DECRYPTOR (object);

  g_clear_object (&self->src);
  g_clear_object (&self->base);
  g_clear_pointer (&self->stanzas, g_ptr_array_unref);
  g_clear_pointer (&self->header, g_byte_array_unref);
  g_clear_pointer (&self->payload_key, vw_secret_free);
  g_clear_error (&self->pending);
  g_clear_error (&self->in_error);
  /* The input buffer may hold bytes of batches opened in place. */
  sodium_memzero (self->in, IN_SIZE);
  g_free (self->in);
  if (self->plain != NULL)
    sodium_memzero (self->plain, VW_AGE_CHUNK_SIZE);
  g_free (self->plain);

  G_OBJECT_CLASS (vw_age_decryptor_parent_class)->finalize (object);
}

static void
vw_age_decryptor_class_init (VwAgeDecryptorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = vw_age_decryptor_finalize;
  stream_class->read_fn = vw_age_decryptor_read;
  stream_class->close_fn = vw_age_decryptor_close;
}

static void
vw_age_decryptor_init (VwAgeDecryptor *self)
{
  self->in = g_malloc (IN_SIZE);
  self->stanzas = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_stanza_free);
  self->header = g_byte_array_new ();
}

/**
 * vw_age_decryptor_new:
 * @armor: whether the input may or must be ASCII armored
 *
 * Reads and parses the header. Errors: %VW_AGE_ERROR_HEADER,
 * %VW_AGE_ERROR_ARMOR, or an I/O error of @base.
 *
 * Returns: (transfer full): the decryptor, still locked
 */
VwAgeDecryptor *
vw_age_decryptor_new (GInputStream  *base,
                      VwAgeArmor     armor,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(VwAgeDecryptor) self = g_object_new (VW_TYPE_AGE_DECRYPTOR, NULL);

  self->base = g_object_ref (base);
  self->src = vw_age_armor_reader_new (base, armor);

  if (!parse_header (self, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* An scrypt stanza is alone in a valid header; this says whether the
 * caller should ask for a passphrase, as the age command does. */
gboolean
vw_age_decryptor_needs_passphrase (VwAgeDecryptor *self)
{
  g_return_val_if_fail (VW_IS_AGE_DECRYPTOR (self), FALSE);

  for (guint i = 0; i < self->stanzas->len; i++)
    {
      const VwAgeStanza *stanza = g_ptr_array_index (self->stanzas, i);

      if (strcmp (stanza->args[0], "scrypt") == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * vw_age_decryptor_unlock:
 * @identities: (element-type VwAgeIdentity): identities and passphrases
 *   to try, in order
 *
 * Finds the file key, checks the header MAC and reads the payload nonce.
 * Errors: %VW_AGE_ERROR_NO_MATCH, %VW_AGE_ERROR_HMAC, %VW_AGE_ERROR_HEADER.
 */
gboolean
vw_age_decryptor_unlock (VwAgeDecryptor  *self,
                         GPtrArray       *identities,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autoptr(VwSecret) file_key = NULL;
  guint8 mac[VW_AGE_MAC_SIZE];
  gssize avail;

  g_return_val_if_fail (VW_IS_AGE_DECRYPTOR (self), FALSE);
  g_return_val_if_fail (!self->unlocked, FALSE);

  for (guint i = 0; identities != NULL && i < identities->len && file_key == NULL; i++)
    for (guint j = 0; j < self->stanzas->len && file_key == NULL; j++)
      if (vw_age_identity_unwrap (g_ptr_array_index (identities, i),
                                  g_ptr_array_index (self->stanzas, j), &file_key, error) < 0)
        return FALSE;

  if (file_key == NULL)
    {
      if (vw_age_decryptor_needs_passphrase (self))
        return vw_age_fail (error, VW_AGE_ERROR_NO_MATCH, _("the passphrase is wrong"));
      return vw_age_fail (error, VW_AGE_ERROR_NO_MATCH, _("none of the identities can open this file"));
    }

  vw_age_header_mac (file_key, self->header->data, self->header->len, mac);
  if (sodium_memcmp (mac, self->mac, sizeof mac) != 0)
    return vw_age_fail (error, VW_AGE_ERROR_HMAC, _("the header was changed or damaged"));

  avail = fill (self, VW_AGE_NONCE_SIZE, cancellable, error);
  if (avail < 0)
    return FALSE;
  if (avail < VW_AGE_NONCE_SIZE)
    return vw_age_fail (error, VW_AGE_ERROR_HEADER, _("the payload nonce is missing"));

  self->payload_key = vw_age_payload_key (file_key, self->in + self->in_start);
  self->in_start += VW_AGE_NONCE_SIZE;
  self->plain = g_malloc (VW_AGE_CHUNK_SIZE);
  self->unlocked = TRUE;
  return TRUE;
}

/* Opens the payload's full chunks on two cores and writes their
 * plaintext (vw_age_open_stream()), and leaves the buffer, counter and end
 * of input as if vw_age_decryptor_read() had read every chunk so far
 * itself: it goes on with the rest, the final chunk and every failure. A
 * payload that is all in the buffer already is left to it. */
static gboolean
copy_full_chunks (VwAgeDecryptor  *self,
                  GOutputStream   *out,
                  GCancellable    *cancellable,
                  GError         **error)
{
  gsize len = self->in_end - self->in_start;
  gboolean eof = FALSE, ok;

  if (self->in_eof || self->in_error != NULL)
    return TRUE;
  memmove (self->in, self->in + self->in_start, len);
  self->in_start = 0;
  ok = vw_age_open_stream (self->src, out, vw_secret_const_data (self->payload_key), &self->counter,
                           self->in, &len, &eof, &self->in_error, cancellable, error);
  self->in_end = len;
  self->in_eof = eof;
  return ok;
}

/**
 * vw_age_decryptor_copy:
 *
 * Writes all plaintext to @out. Whatever was written before an error has
 * passed authentication, but may be only part of the file: write to
 * something that can be discarded, or use vw_age_decryptor_copy_to_file().
 */
gboolean
vw_age_decryptor_copy (VwAgeDecryptor  *self,
                       GOutputStream   *out,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autofree guint8 *buffer = NULL;
  gboolean ok = TRUE;

  /* Most of a large file goes in parallel batches; the last chunk, and
   * every failure, through the reader below. */
  if (self->unlocked && self->plain_start == self->plain_end && !self->finished && self->pending == NULL)
    {
      if (!copy_full_chunks (self, out, cancellable, error))
        {
          if (self->pending == NULL)
            vw_age_fail (&self->pending, VW_AGE_ERROR_PAYLOAD, _("the payload could not be read"));
          return FALSE;
        }
    }

  buffer = g_malloc (VW_AGE_CHUNK_SIZE);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (self), buffer, VW_AGE_CHUNK_SIZE,
                                      cancellable, error);
      gsize written = 0;

      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      if (!g_output_stream_write_all (out, buffer, n, &written, cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }

  sodium_memzero (buffer, VW_AGE_CHUNK_SIZE);
  return ok;
}

/**
 * vw_age_encrypt:
 *
 * Encrypts all of @in into @out. @out is not closed. On failure @out holds
 * an unfinished file that will not decrypt.
 */
gboolean
vw_age_encrypt (GInputStream   *in,
                GOutputStream  *out,
                GPtrArray      *recipients,
                gboolean        armor,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(VwAgeEncryptor) encryptor = NULL;

  encryptor = vw_age_encryptor_new (out, recipients, armor, cancellable, error);
  return encryptor != NULL &&
         vw_age_encryptor_write_from (encryptor, in, cancellable, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (encryptor), cancellable, error);
}

/**
 * vw_age_decrypt:
 *
 * Decrypts all of @in into @out (see vw_age_decryptor_copy() about what
 * @out holds after a failure).
 */
gboolean
vw_age_decrypt (GInputStream   *in,
                GOutputStream  *out,
                GPtrArray      *identities,
                VwAgeArmor      armor,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(VwAgeDecryptor) decryptor = vw_age_decryptor_new (in, armor, cancellable, error);

  return decryptor != NULL &&
         vw_age_decryptor_unlock (decryptor, identities, cancellable, error) &&
         vw_age_decryptor_copy (decryptor, out, cancellable, error);
}
