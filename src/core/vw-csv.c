/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-csv.h"

struct _VwCsvReader
{
  char       *name;          /* owned: the file name that messages show */
  const char *data;          /* borrowed: the text being read */
  const char *end;
  const char *p;             /* the next byte to read */
  guint       line;          /* the line of p */
  guint       row_line;      /* the line where the current row starts */
  GString    *fields;        /* owned: the current row, NUL-separated */
  GArray     *offsets;       /* owned: of gsize, start of each field in fields */
  GArray     *field_lines;   /* owned: of guint */
  char       *problem;       /* owned: the last error without its position */
  guint       problem_line;
  guint       problem_column;
  gboolean    failed;
};

G_DEFINE_QUARK (vw-csv-error-quark, vw_csv_error)

/**
 * vw_csv_reader_new:
 * @name: the file name to put in messages, e.g. "rounds.csv"
 * @data: (array length=len): the text; it must outlive the reader
 *
 * A byte order mark at the start is skipped: spreadsheet programs write
 * one when they save "CSV UTF-8".
 */
VwCsvReader *
vw_csv_reader_new (const char *name,
                   const char *data,
                   gsize       len)
{
  VwCsvReader *self = g_new0 (VwCsvReader, 1);

  self->name = g_strdup (name);
  self->data = data;
  self->end = data + len;
  self->p = data;
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    self->p += 3;
  self->line = 1;
  self->fields = g_string_sized_new (256);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->field_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  return self;
}

void
vw_csv_reader_free (VwCsvReader *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_string_free (self->fields, TRUE);
  g_array_unref (self->offsets);
  g_array_unref (self->field_lines);
  g_free (self->problem);
  g_free (self);
}

static gboolean
fail (VwCsvReader  *self,
      VwCsvError    code,
      guint         line,
      guint         column,
      const char   *message,
      GError      **error)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  self->problem_line = line;
  self->problem_column = column;
  self->failed = TRUE;
  g_set_error (error, VW_CSV_ERROR, code, "%s:%u:%u: %s", self->name, line, column, message);
  return FALSE;
}

/* Consumes a line break at p: CRLF, LF, or a lone CR (old Mac files). */
static gboolean
eat_line_break (VwCsvReader *self)
{
  if (self->p < self->end && *self->p == '\r')
    {
      self->p++;
      if (self->p < self->end && *self->p == '\n')
        self->p++;
      self->line++;
      return TRUE;
    }
  if (self->p < self->end && *self->p == '\n')
    {
      self->p++;
      self->line++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
at_field_end (VwCsvReader *self)
{
  return self->p >= self->end || *self->p == ',' || *self->p == '\n' || *self->p == '\r';
}

/* Reads one field into self->fields; p is left on the separator. */
static gboolean
read_field (VwCsvReader  *self,
            GError      **error)
{
  guint column = self->offsets->len + 1;
  guint field_line = self->line;
  gsize start = self->fields->len;

  g_array_append_val (self->offsets, start);
  g_array_append_val (self->field_lines, field_line);

  if (self->p < self->end && *self->p == '"')
    {
      self->p++;
      for (;;)
        {
          const char *q;

          if (self->p >= self->end)
            return fail (self, VW_CSV_ERROR_SYNTAX, field_line, column,
                         _("a quoted field is not closed before the end of the file"), error);
          /* Copy the run up to the next quote or line break in one go. */
          q = self->p;
          while (q < self->end && *q != '"' && *q != '\n' && *q != '\r')
            q++;
          g_string_append_len (self->fields, self->p, q - self->p);
          self->p = q;
          if (self->p >= self->end)
            continue;
          if (*self->p == '"')
            {
              if (self->p + 1 < self->end && self->p[1] == '"')
                {
                  g_string_append_c (self->fields, '"');
                  self->p += 2;
                  continue;
                }
              self->p++;
              break;
            }
          /* A line break inside quotes is part of the value; keep it as
           * written so that writing it back gives the same bytes. */
          if (*self->p == '\r' && self->p + 1 < self->end && self->p[1] == '\n')
            {
              g_string_append_len (self->fields, "\r\n", 2);
              self->p += 2;
            }
          else
            g_string_append_c (self->fields, *self->p++);
          self->line++;
        }
      if (!at_field_end (self))
        return fail (self, VW_CSV_ERROR_SYNTAX, self->line, column,
                     _("unexpected text after the closing quote of a field (a quote inside a "
                       "quoted field is written as two quotes)"), error);
    }
  else
    {
      const char *q = self->p;

      while (q < self->end && *q != ',' && *q != '\n' && *q != '\r' && *q != '"')
        q++;
      if (q < self->end && *q == '"')
        return fail (self, VW_CSV_ERROR_SYNTAX, field_line, column,
                     _("a quote inside a field that does not start with a quote (put the "
                       "whole field in quotes and write the quote twice)"), error);
      g_string_append_len (self->fields, self->p, q - self->p);
      self->p = q;
    }

  if (!g_utf8_validate (self->fields->str + start, self->fields->len - start, NULL))
    return fail (self, VW_CSV_ERROR_ENCODING, field_line, column,
                 _("the text is not valid UTF-8 (save the file as CSV UTF-8)"), error);

  g_string_append_c (self->fields, '\0');
  return TRUE;
}

/**
 * vw_csv_reader_next:
 *
 * Reads the next row. Empty lines are skipped: they hold no record, and
 * hand-edited files often end with a few.
 *
 * Returns: %TRUE when a row was read; %FALSE at the end (@error unset) or
 *   on bad input (@error set, naming file, line and column). After an
 *   error the reader stays at the end: the rest of the file cannot be
 *   split into rows reliably.
 */
gboolean
vw_csv_reader_next (VwCsvReader  *self,
                    GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed)
    return FALSE;

  for (;;)
    {
      g_string_truncate (self->fields, 0);
      g_array_set_size (self->offsets, 0);
      g_array_set_size (self->field_lines, 0);

      if (self->p >= self->end)
        return FALSE;

      self->row_line = self->line;
      if (eat_line_break (self))
        continue;

      for (;;)
        {
          if (!read_field (self, error))
            return FALSE;
          if (self->p < self->end && *self->p == ',')
            {
              self->p++;
              continue;
            }
          eat_line_break (self);
          return TRUE;
        }
    }
}

guint
vw_csv_reader_get_n_fields (VwCsvReader *self)
{
  return self->offsets->len;
}

/* Returns: the field's text, valid until the next call of next() */
const char *
vw_csv_reader_get_field (VwCsvReader *self,
                         guint        index)
{
  g_return_val_if_fail (index < self->offsets->len, NULL);

  return self->fields->str + g_array_index (self->offsets, gsize, index);
}

/* Returns: the line where the current row starts */
guint
vw_csv_reader_get_line (VwCsvReader *self)
{
  return self->row_line;
}

guint
vw_csv_reader_get_field_line (VwCsvReader *self,
                              guint        index)
{
  g_return_val_if_fail (index < self->field_lines->len, 0);

  return g_array_index (self->field_lines, guint, index);
}

/**
 * vw_csv_reader_get_problem:
 * @line: (out) (optional):
 * @column: (out) (optional):
 *
 * Returns: (nullable): the last error's message without file and position,
 *   for callers that collect problems in their own form
 */
const char *
vw_csv_reader_get_problem (VwCsvReader *self,
                           guint       *line,
                           guint       *column)
{
  if (line != NULL)
    *line = self->problem_line;
  if (column != NULL)
    *column = self->problem_column;
  return self->problem;
}

/* Appends @value (NULL counts as empty), in quotes only when it holds a
 * separator, a quote or a line break. */
void
vw_csv_append_field (GString    *out,
                     const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/**
 * vw_csv_append_row:
 * @eol: "\r\n" as RFC 4180 writes it, or "\n"
 *
 * A row of one empty field is written as "" so that it does not read back
 * as an empty line, which readers skip.
 */
void
vw_csv_append_row (GString            *out,
                   const char * const *fields,
                   guint               n_fields,
                   const char         *eol)
{
  if (n_fields == 1 && (fields[0] == NULL || fields[0][0] == '\0'))
    g_string_append (out, "\"\"");
  else
    for (guint i = 0; i < n_fields; i++)
      {
        if (i > 0)
          g_string_append_c (out, ',');
        vw_csv_append_field (out, fields[i]);
      }
  g_string_append (out, eol);
}
