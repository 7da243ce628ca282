/* The ASCII armor of age: strict PEM (RFC 7468, Figure 3) with the label
 * "AGE ENCRYPTED FILE", as stream filters. The reader accepts only the
 * canonical form (64-column lines, canonical padded base64, no headers),
 * LF or CRLF line ends, and whitespace before and after the block: any
 * other freedom would make armored files malleable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "vw-age-private.h"

#define COLUMNS        64
#define BYTES_PER_LINE 48
#define RAW_SIZE       16384
#define OUT_SIZE       (65 * 256)

/* Reader */

typedef enum {
  READER_START,
  READER_PASSTHROUGH,
  READER_BODY,
  READER_DONE,
} ReaderState;

#define VW_TYPE_AGE_ARMOR_READER (vw_age_armor_reader_get_type ())
G_DECLARE_FINAL_TYPE (VwAgeArmorReader, vw_age_armor_reader, VW, AGE_ARMOR_READER, GInputStream)

struct _VwAgeArmorReader
{
  GInputStream  parent_instance;

  GInputStream *base;       /* owned ref */
  VwAgeArmor    mode;
  ReaderState   state;
  guint8        raw[RAW_SIZE];
  gsize         raw_start;
  gsize         raw_end;
  gboolean      raw_eof;
  guint8        decoded[BYTES_PER_LINE];
  gsize         decoded_start;
  gsize         decoded_end;
  gboolean      saw_last_line; /* a line decoded to fewer than 48 bytes */
  guint         line;          /* number of the last line read, for messages */
  GError       *error;         /* owned: once failed, always failed */
};

G_DEFINE_FINAL_TYPE (VwAgeArmorReader, vw_age_armor_reader, G_TYPE_INPUT_STREAM)

static gboolean
is_space (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads more from base into raw; FALSE on error. */
static gboolean
fill_raw (VwAgeArmorReader  *self,
          GCancellable      *cancellable,
          GError           **error)
{
  gssize n;

  if (self->raw_start > 0)
    {
      memmove (self->raw, self->raw + self->raw_start, self->raw_end - self->raw_start);
      self->raw_end -= self->raw_start;
      self->raw_start = 0;
    }
  n = g_input_stream_read (self->base, self->raw + self->raw_end, RAW_SIZE - self->raw_end,
                           cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->raw_eof = TRUE;
  self->raw_end += n;
  return TRUE;
}

static gboolean
armor_fail (VwAgeArmorReader  *self,
            GError           **error,
            const char        *message)
{
  vw_age_fail (&self->error, VW_AGE_ERROR_ARMOR, "%s", message);
  g_propagate_error (error, g_error_copy (self->error));
  return FALSE;
}

/* One line without its LF (and CR before it). @eol is FALSE for a last
 * line that ends at end of file. A line longer than 64 columns is an
 * error, so memory stays bounded whatever the input. */
static gboolean
read_line (VwAgeArmorReader  *self,
           char               line[COLUMNS + 3],
           gsize             *len,
           gboolean          *eol,
           GCancellable      *cancellable,
           GError           **error)
{
  for (;;)
    {
      gsize avail = self->raw_end - self->raw_start;
      guint8 *start = self->raw + self->raw_start;
      guint8 *nl = memchr (start, '\n', MIN (avail, COLUMNS + 2));

      if (nl != NULL || avail >= COLUMNS + 2 || self->raw_eof)
        {
          gsize n = nl != NULL ? (gsize) (nl - start) : MIN (avail, COLUMNS + 2);

          self->line++;
          if (nl == NULL && avail >= COLUMNS + 2)
            {
              g_autofree char *message = g_strdup_printf (_("line %u is longer than 64 characters"), self->line);
              return armor_fail (self, error, message);
            }
          memcpy (line, start, n);
          self->raw_start += n + (nl != NULL ? 1 : 0);
          *eol = nl != NULL;
          if (n > 0 && line[n - 1] == '\r')
            n--;
          line[n] = '\0';
          *len = n;
          return TRUE;
        }
      if (!fill_raw (self, cancellable, error))
        return FALSE;
    }
}

/* Only whitespace may follow the END line. */
static gboolean
check_trailer (VwAgeArmorReader  *self,
               GCancellable      *cancellable,
               GError           **error)
{
  for (;;)
    {
      for (gsize i = self->raw_start; i < self->raw_end; i++)
        if (!is_space (self->raw[i]))
          return armor_fail (self, error, _("there is data after the END line"));
      self->raw_start = self->raw_end;
      if (self->raw_eof)
        return TRUE;
      if (!fill_raw (self, cancellable, error))
        return FALSE;
    }
}

static gboolean
start (VwAgeArmorReader  *self,
       GCancellable      *cancellable,
       GError           **error)
{
  char line[COLUMNS + 3];
  gsize len;
  gboolean eol;

  if (self->mode == VW_AGE_ARMOR_NONE)
    {
      self->state = READER_PASSTHROUGH;
      return TRUE;
    }
  if (self->raw_end == self->raw_start && !fill_raw (self, cancellable, error))
    return FALSE;

  /* A binary age file starts with "age-encryption.org/", so a leading
   * space or dash can only mean armor. */
  if (self->mode == VW_AGE_ARMOR_AUTO &&
      (self->raw_end == self->raw_start ||
       !(is_space (self->raw[self->raw_start]) || self->raw[self->raw_start] == '-')))
    {
      self->state = READER_PASSTHROUGH;
      return TRUE;
    }

  for (;;)
    {
      while (self->raw_start < self->raw_end && is_space (self->raw[self->raw_start]))
        {
          if (self->raw[self->raw_start] == '\n')
            self->line++;
          self->raw_start++;
        }
      if (self->raw_start < self->raw_end)
        break;
      if (self->raw_eof)
        return armor_fail (self, error, _("the BEGIN line is missing"));
      if (!fill_raw (self, cancellable, error))
        return FALSE;
    }

  if (!read_line (self, line, &len, &eol, cancellable, error))
    return FALSE;
  if (!eol || strcmp (line, VW_AGE_ARMOR_BEGIN) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("the first line is not “%s”"), VW_AGE_ARMOR_BEGIN);
      return armor_fail (self, error, message);
    }

  self->state = READER_BODY;
  return TRUE;
}

/* Decodes the next line into self->decoded, or reaches the END line. */
static gboolean
next_line (VwAgeArmorReader  *self,
           GCancellable      *cancellable,
           GError           **error)
{
  char line[COLUMNS + 3];
  gsize len, decoded_len = 0;
  gboolean eol;

  if (!read_line (self, line, &len, &eol, cancellable, error))
    return FALSE;

  if (strcmp (line, VW_AGE_ARMOR_END) == 0)
    {
      if (!check_trailer (self, cancellable, error))
        return FALSE;
      self->state = READER_DONE;
      return TRUE;
    }
  if (!eol)
    return armor_fail (self, error, _("the END line is missing"));
  if (self->saw_last_line)
    {
      g_autofree char *message = g_strdup_printf (_("line %u follows a short line instead of the END line"), self->line);
      return armor_fail (self, error, message);
    }
  if (len == 0)
    {
      g_autofree char *message = g_strdup_printf (_("line %u is empty"), self->line);
      return armor_fail (self, error, message);
    }
  if (len > COLUMNS)
    {
      g_autofree char *message = g_strdup_printf (_("line %u is longer than 64 characters"), self->line);
      return armor_fail (self, error, message);
    }
  /* Padded, canonical base64 and nothing else, line by line. */
  if (!vw_age_base64_is_alphabet (line, len, TRUE) ||
      sodium_base642bin (self->decoded, sizeof self->decoded, line, len, NULL, &decoded_len,
                         NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("line %u is not canonical base64"), self->line);
      return armor_fail (self, error, message);
    }

  self->saw_last_line = decoded_len < BYTES_PER_LINE;
  self->decoded_start = 0;
  self->decoded_end = decoded_len;
  return TRUE;
}

static gssize
vw_age_armor_reader_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  VwAgeArmorReader *self = VW_AGE_ARMOR_READER (stream);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }
  if (self->state == READER_START && !start (self, cancellable, error))
    return -1;

  if (self->state == READER_PASSTHROUGH)
    {
      gsize avail = self->raw_end - self->raw_start;

      if (avail > 0)
        {
          gsize n = MIN (avail, count);

          memcpy (buffer, self->raw + self->raw_start, n);
          self->raw_start += n;
          return n;
        }
      return g_input_stream_read (self->base, buffer, count, cancellable, error);
    }

  while (self->state == READER_BODY && self->decoded_start == self->decoded_end)
    if (!next_line (self, cancellable, error))
      return -1;

  if (self->state == READER_DONE)
    return 0;

  count = MIN (count, self->decoded_end - self->decoded_start);
  memcpy (buffer, self->decoded + self->decoded_start, count);
  self->decoded_start += count;
  return count;
}

static gboolean
vw_age_armor_reader_close (GInputStream  *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return TRUE;
}

static void
vw_age_armor_reader_finalize (GObject *object)
{
  VwAgeArmorReader *self = VW_AGE_ARMOR_READER (object);

  g_clear_object (&self->base);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (vw_age_armor_reader_parent_class)->finalize (object);
}

static void
vw_age_armor_reader_class_init (VwAgeArmorReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = vw_age_armor_reader_finalize;
  stream_class->read_fn = vw_age_armor_reader_read;
  stream_class->close_fn = vw_age_armor_reader_close;
}

static void
vw_age_armor_reader_init (VwAgeArmorReader *self)
{
}

/**
 * vw_age_armor_reader_new:
 * @mode: %VW_AGE_ARMOR_NONE passes @base through unchanged;
 *   %VW_AGE_ARMOR_AUTO decodes armor only if the input starts like armor
 *
 * Returns: (transfer full): a stream of the decoded bytes; errors in the
 *   armor are %VW_AGE_ERROR_ARMOR
 */
GInputStream *
vw_age_armor_reader_new (GInputStream *base,
                         VwAgeArmor    mode)
{
  VwAgeArmorReader *self = g_object_new (VW_TYPE_AGE_ARMOR_READER, NULL);

  self->base = g_object_ref (base);
  self->mode = mode;
  return G_INPUT_STREAM (self);
}

/* Writer */

#define VW_TYPE_AGE_ARMOR_WRITER (vw_age_armor_writer_get_type ())
G_DECLARE_FINAL_TYPE (VwAgeArmorWriter, vw_age_armor_writer, VW, AGE_ARMOR_WRITER, GOutputStream)

struct _VwAgeArmorWriter
{
  GOutputStream  parent_instance;

  GOutputStream *base;      /* owned ref */
  guint8         pending[BYTES_PER_LINE];
  gsize          pending_len;
  char           out[OUT_SIZE];
  gsize          out_len;
  gboolean       abandoned; /* never write the END line */
};

G_DEFINE_FINAL_TYPE (VwAgeArmorWriter, vw_age_armor_writer, G_TYPE_OUTPUT_STREAM)

static gboolean
flush_out (VwAgeArmorWriter  *self,
           GCancellable      *cancellable,
           GError           **error)
{
  gsize written = 0;
  gboolean ok = g_output_stream_write_all (self->base, self->out, self->out_len, &written,
                                           cancellable, error);

  self->out_len = 0;
  return ok;
}

static void
append_text (VwAgeArmorWriter *self,
             const char       *text)
{
  gsize len = strlen (text);

  memcpy (self->out + self->out_len, text, len);
  self->out_len += len;
}

static gboolean
append_line (VwAgeArmorWriter  *self,
             const guint8      *data,
             gsize              len,
             GCancellable      *cancellable,
             GError           **error)
{
  if (self->out_len + COLUMNS + 2 > OUT_SIZE && !flush_out (self, cancellable, error))
    return FALSE;

  sodium_bin2base64 (self->out + self->out_len, COLUMNS + 1, data, len, sodium_base64_VARIANT_ORIGINAL);
  self->out_len += strlen (self->out + self->out_len);
  self->out[self->out_len++] = '\n';
  return TRUE;
}

static gssize
vw_age_armor_writer_write (GOutputStream  *stream,
                           const void     *buffer,
                           gsize           count,
                           GCancellable   *cancellable,
                           GError        **error)
{
  VwAgeArmorWriter *self = VW_AGE_ARMOR_WRITER (stream);
  const guint8 *data = buffer;
  gsize done = 0;

  while (done < count)
    {
      gsize take;

      /* A full group waits until more data comes, because the last line
       * of the armor may be a full one. */
      if (self->pending_len == BYTES_PER_LINE)
        {
          if (!append_line (self, self->pending, BYTES_PER_LINE, cancellable, error))
            return -1;
          self->pending_len = 0;
        }
      take = MIN (BYTES_PER_LINE - self->pending_len, count - done);
      memcpy (self->pending + self->pending_len, data + done, take);
      self->pending_len += take;
      done += take;
    }

  return count;
}

static gboolean
vw_age_armor_writer_close (GOutputStream  *stream,
                           GCancellable   *cancellable,
                           GError        **error)
{
  VwAgeArmorWriter *self = VW_AGE_ARMOR_WRITER (stream);

  if (self->abandoned)
    return TRUE;

  if (self->pending_len > 0 &&
      !append_line (self, self->pending, self->pending_len, cancellable, error))
    return FALSE;
  self->pending_len = 0;
  if (self->out_len + sizeof VW_AGE_ARMOR_END + 1 > OUT_SIZE && !flush_out (self, cancellable, error))
    return FALSE;
  append_text (self, VW_AGE_ARMOR_END "\n");
  return flush_out (self, cancellable, error);
}

static void
vw_age_armor_writer_finalize (GObject *object)
{
  VwAgeArmorWriter *self = VW_AGE_ARMOR_WRITER (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (vw_age_armor_writer_parent_class)->finalize (object);
}

static void
vw_age_armor_writer_class_init (VwAgeArmorWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = vw_age_armor_writer_finalize;
  stream_class->write_fn = vw_age_armor_writer_write;
  stream_class->close_fn = vw_age_armor_writer_close;
}

static void
vw_age_armor_writer_init (VwAgeArmorWriter *self)
{
}

/**
 * vw_age_armor_writer_new:
 *
 * Returns: (transfer full): a stream that armors what is written to it;
 *   closing it writes the last line and the END line
 */
GOutputStream *
vw_age_armor_writer_new (GOutputStream *base)
{
  VwAgeArmorWriter *self = g_object_new (VW_TYPE_AGE_ARMOR_WRITER, NULL);

  self->base = g_object_ref (base);
  append_text (self, VW_AGE_ARMOR_BEGIN "\n");
  return G_OUTPUT_STREAM (self);
}

/* After a failure: closing (also by the last unref) must not finish the
 * armor, so that a cut-off file never looks complete. */
void
vw_age_armor_writer_abandon (GOutputStream *writer)
{
  VW_AGE_ARMOR_WRITER (writer)->abandoned = TRUE;
}
