/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "vw-json-positions.h"

struct _VwJsonPos
{
  gsize       offset;     /* where the value starts */
  gsize       key_offset; /* where its member name starts; the value's offset otherwise */
  GHashTable *members;    /* object: char* -> VwJsonPos*, borrowed */
  GPtrArray  *elements;   /* array: VwJsonPos*, borrowed */
  GArray     *duplicates; /* object: VwJsonDuplicate, member names given twice */
};

struct _VwJsonPositions
{
  const char *text;        /* borrowed: the scanned text */
  gsize       len;
  GPtrArray  *nodes;       /* owns every VwJsonPos */
  VwJsonPos  *root;
  GArray     *line_starts; /* of gsize */
};

typedef struct
{
  VwJsonPos *node;
  gboolean   is_object;
  gboolean   expect_key;
  char      *key;         /* owned: the member name waiting for its value */
  gsize      key_offset;
} Frame;

static void
pos_free (VwJsonPos *pos)
{
  g_clear_pointer (&pos->members, g_hash_table_unref);
  g_clear_pointer (&pos->elements, g_ptr_array_unref);
  g_clear_pointer (&pos->duplicates, g_array_unref);
  g_free (pos);
}

static void
duplicate_clear (VwJsonDuplicate *duplicate)
{
  g_free (duplicate->key);
}

static guint
hex_value (const char *s)
{
  guint value = 0;

  for (int i = 0; i < 4; i++)
    value = value * 16 + g_ascii_xdigit_value (s[i]);
  return value;
}

static gboolean
is_hex4 (const char *s,
         gsize       avail)
{
  if (avail < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Reads one character of a string body at @pos, which is not the closing
 * quote. Appends it decoded to @out when given. Returns the number of
 * decoded bytes; *consumed is the number of raw bytes read. */
static gsize
read_string_char (const char *text,
                  gsize       len,
                  gsize       pos,
                  GString    *out,
                  gsize      *consumed)
{
  char buf[8];
  gsize n;

  if (text[pos] != '\\' || pos + 1 >= len)
    {
      *consumed = 1;
      if (out != NULL)
        g_string_append_c (out, text[pos]);
      return 1;
    }

  switch (text[pos + 1])
    {
    case 'u':
      if (is_hex4 (text + pos + 2, len - pos - 2))
        {
          gunichar c = hex_value (text + pos + 2);

          *consumed = 6;
          if (c >= 0xD800 && c < 0xDC00 && pos + 7 < len && text[pos + 6] == '\\' &&
              text[pos + 7] == 'u' && is_hex4 (text + pos + 8, len - pos - 8))
            {
              gunichar low = hex_value (text + pos + 8);

              if (low >= 0xDC00 && low < 0xE000)
                {
                  c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                  *consumed = 12;
                }
            }
          n = g_unichar_to_utf8 (c, buf);
          if (out != NULL)
            g_string_append_len (out, buf, n);
          return n;
        }
      *consumed = 2;
      return 0;
    case 'b': buf[0] = '\b'; break;
    case 'f': buf[0] = '\f'; break;
    case 'n': buf[0] = '\n'; break;
    case 'r': buf[0] = '\r'; break;
    case 't': buf[0] = '\t'; break;
    default: buf[0] = text[pos + 1]; break;
    }
  *consumed = 2;
  if (out != NULL)
    g_string_append_c (out, buf[0]);
  return 1;
}

/* Skips a string starting at its quote; returns the offset after it. */
static gsize
skip_string (const char *text,
             gsize       len,
             gsize       pos,
             GString    *out)
{
  char quote = text[pos++];

  while (pos < len && text[pos] != quote)
    {
      gsize consumed;

      read_string_char (text, len, pos, out, &consumed);
      pos += consumed;
    }
  return MIN (pos + 1, len);
}

static gsize
skip_space (const char *text,
            gsize       len,
            gsize       pos)
{
  while (pos < len)
    {
      if (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')
        pos++;
      else if (text[pos] == '/' && pos + 1 < len && text[pos + 1] == '*')
        {
          const char *end = g_strstr_len (text + pos + 2, len - pos - 2, "*/");

          pos = end != NULL ? (gsize) (end - text) + 2 : len;
        }
      else if (text[pos] == '/' && pos + 1 < len && text[pos + 1] == '/')
        {
          while (pos < len && text[pos] != '\n')
            pos++;
        }
      else
        break;
    }
  return pos;
}

static void
frame_clear (Frame *frame)
{
  g_free (frame->key);
}

static VwJsonPos *
add_node (VwJsonPositions *self,
          gsize            offset)
{
  VwJsonPos *pos = g_new0 (VwJsonPos, 1);

  pos->offset = offset;
  pos->key_offset = offset;
  g_ptr_array_add (self->nodes, pos);
  return pos;
}

static void
attach (VwJsonPositions *self,
        Frame           *top,
        VwJsonPos       *node)
{
  if (top == NULL)
    {
      if (self->root == NULL)
        self->root = node;
      return;
    }

  if (!top->is_object)
    {
      g_ptr_array_add (top->node->elements, node);
      return;
    }

  if (top->key == NULL)
    return;
  node->key_offset = top->key_offset;
  if (g_hash_table_contains (top->node->members, top->key))
    {
      VwJsonDuplicate duplicate = { g_strdup (top->key), top->key_offset };

      if (top->node->duplicates == NULL)
        {
          top->node->duplicates = g_array_new (FALSE, FALSE, sizeof (VwJsonDuplicate));
          g_array_set_clear_func (top->node->duplicates, (GDestroyNotify) duplicate_clear);
        }
      g_array_append_val (top->node->duplicates, duplicate);
    }
  /* The last one wins, as in json-glib. */
  g_hash_table_insert (top->node->members, g_steal_pointer (&top->key), node);
}

/**
 * vw_json_positions_scan:
 * @text: JSON text; it need not be valid (json-glib judges that), the scan
 *   never fails on bad syntax, its positions are only meaningful for text
 *   that json-glib accepts
 * @too_deep_offset: (out): where nesting went past VW_JSON_MAX_DEPTH
 *
 * Returns: (transfer full) (nullable): the positions, or %NULL when the
 *   text nests too deeply
 */
VwJsonPositions *
vw_json_positions_scan (const char *text,
                        gsize       len,
                        gsize      *too_deep_offset)
{
  g_autoptr(VwJsonPositions) self = g_new0 (VwJsonPositions, 1);
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  gsize pos = 0;
  gsize zero = 0;

  g_array_set_clear_func (stack, (GDestroyNotify) frame_clear);
  self->text = text;
  self->len = len;
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) pos_free);
  self->line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_array_append_val (self->line_starts, zero);
  for (gsize i = 0; i < len; i++)
    if (text[i] == '\n')
      {
        gsize start = i + 1;
        g_array_append_val (self->line_starts, start);
      }

  /* A byte order mark is not a value. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    pos = 3;

  for (;;)
    {
      Frame *top;
      VwJsonPos *node;
      char c;

      pos = skip_space (text, len, pos);
      if (pos >= len)
        break;
      c = text[pos];
      top = stack->len > 0 ? &g_array_index (stack, Frame, stack->len - 1) : NULL;

      if (top != NULL && top->is_object && top->expect_key && c != '}')
        {
          if (c == '"' || c == '\'')
            {
              GString *key = g_string_new (NULL);

              top->key_offset = pos;
              pos = skip_string (text, len, pos, key);
              g_free (top->key);
              top->key = g_string_free (key, FALSE);
              top->expect_key = FALSE;
            }
          else
            pos++;
          continue;
        }

      switch (c)
        {
        case ':':
          pos++;
          continue;
        case ',':
          if (top != NULL && top->is_object)
            top->expect_key = TRUE;
          pos++;
          continue;
        case '}':
        case ']':
          if (stack->len > 0)
            g_array_set_size (stack, stack->len - 1);
          pos++;
          continue;
        default:
          break;
        }

      node = add_node (self, pos);
      attach (self, top, node);
      if (c == '{' || c == '[')
        {
          Frame frame = { node, c == '{', c == '{', NULL, 0 };

          if (stack->len >= VW_JSON_MAX_DEPTH)
            {
              *too_deep_offset = pos;
              return NULL;
            }
          if (c == '{')
            node->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          else
            node->elements = g_ptr_array_new ();
          g_array_append_val (stack, frame);
          pos++;
        }
      else if (c == '"' || c == '\'')
        pos = skip_string (text, len, pos, NULL);
      else
        {
          /* A number, true, false, null, or something json-glib rejects. */
          do
            pos++;
          while (pos < len && strchr (" \t\r\n,:]}[{\"'/", text[pos]) == NULL);
        }
    }

  return g_steal_pointer (&self);
}

void
vw_json_positions_free (VwJsonPositions *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->nodes, g_ptr_array_unref);
  g_clear_pointer (&self->line_starts, g_array_unref);
  g_free (self);
}

/* Returns: (nullable): the root value's position */
VwJsonPos *
vw_json_positions_get_root (VwJsonPositions *self)
{
  return self->root;
}

/**
 * vw_json_positions_locate:
 *
 * Turns a byte offset into a 1-based line and a 1-based column that counts
 * characters (UTF-8 code points), as editors show them.
 */
void
vw_json_positions_locate (VwJsonPositions *self,
                          gsize            offset,
                          guint           *line,
                          guint           *column)
{
  guint lo = 0, hi = self->line_starts->len;
  gsize start;
  guint col = 1;

  offset = MIN (offset, self->len);
  /* The last line that starts at or before the offset. */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->line_starts, gsize, mid) <= offset)
        lo = mid;
      else
        hi = mid;
    }
  start = g_array_index (self->line_starts, gsize, lo);
  for (gsize i = start; i < offset; i++)
    if (((guchar) self->text[i] & 0xC0) != 0x80)
      col++;

  *line = lo + 1;
  *column = col;
}

/**
 * vw_json_positions_string_offset:
 * @string_offset: where a string value starts (its opening quote)
 * @decoded_offset: a byte offset inside the decoded string
 *
 * Returns: the offset in the text of that byte of the string, taking
 *   escapes such as \" and \u00e9 into account
 */
gsize
vw_json_positions_string_offset (VwJsonPositions *self,
                                 gsize            string_offset,
                                 gsize            decoded_offset)
{
  const char *text = self->text;
  gsize pos = string_offset;
  gsize decoded = 0;
  char quote;

  if (pos >= self->len)
    return self->len;
  quote = text[pos++];
  while (pos < self->len && text[pos] != quote && decoded < decoded_offset)
    {
      gsize consumed;

      decoded += read_string_char (text, self->len, pos, NULL, &consumed);
      pos += consumed;
    }
  return pos;
}

gsize
vw_json_pos_get_offset (const VwJsonPos *pos)
{
  return pos->offset;
}

gsize
vw_json_pos_get_key_offset (const VwJsonPos *pos)
{
  return pos->key_offset;
}

/* Returns: (nullable): the position of member @key of an object */
VwJsonPos *
vw_json_pos_get_member (const VwJsonPos *pos,
                        const char      *key)
{
  if (pos == NULL || pos->members == NULL)
    return NULL;
  return g_hash_table_lookup (pos->members, key);
}

/* Returns: (nullable): the position of element @index of an array */
VwJsonPos *
vw_json_pos_get_element (const VwJsonPos *pos,
                         guint            index)
{
  if (pos == NULL || pos->elements == NULL || index >= pos->elements->len)
    return NULL;
  return g_ptr_array_index (pos->elements, index);
}

/* Returns: (nullable): the member names given more than once, each with
 * the position of its later occurrence */
const GArray *
vw_json_pos_get_duplicates (const VwJsonPos *pos)
{
  return pos != NULL ? pos->duplicates : NULL;
}
