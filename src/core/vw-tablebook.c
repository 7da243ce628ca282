/* vw-tablebook.c: the table book's layout as blocks, from a comparison
 * of report tables, and the way to its renderer (see vw-tablebook.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-comparison.h"
#include "vw-tables-private.h"
#include "vw-tablebook.h"

/* Side by side while the figures of every column fit on a page; else one
 * table under the other. */
#define MAX_SIDE_BY_SIDE 5

/* Colours of the columns (regions), and of the housing situations. */
static const guint32 series_colors[] = {
  0x1c71d8, 0xe66100, 0x26a269, 0x9141ac, 0xc64600, 0x1a5fb4, 0x865e3c, 0xa51d2d, 0x2ec27e, 0x613583,
};
#define POOLED_COLOR 0x5e5c64
static const struct
{
  const char *code;
  guint32     color;
} housing_colors[] = {
  { "BW", 0xe66100 }, { "MO", 0xc01c28 }, { "ZW", 0x2ec27e }, { "overig", 0x9a9996 },
};

static void
block_free (VwBookBlock *block)
{
  guint n_cells = block->n_rows * block->n_columns;
  guint n_values = block->n_categories * block->n_series;

  g_free (block->text);
  for (guint i = 0; block->cells != NULL && i < n_cells; i++)
    g_free (block->cells[i]);
  g_free (block->cells);
  g_free (block->spans);
  g_free (block->bold);
  for (guint i = 0; block->categories != NULL && i < block->n_categories; i++)
    g_free (block->categories[i]);
  g_free (block->categories);
  for (guint i = 0; block->series != NULL && i < block->n_series; i++)
    g_free (block->series[i]);
  g_free (block->series);
  g_free (block->colors);
  g_free (block->values);
  for (guint i = 0; block->labels != NULL && i < n_values; i++)
    g_free (block->labels[i]);
  g_free (block->labels);
  g_free (block->axis);
  g_free (block->caption);
  g_free (block);
}

VwTableBook *
vw_table_book_new (const char *title,
                   const char *footer,
                   const char *language)
{
  VwTableBook *self = g_new0 (VwTableBook, 1);

  self->title = g_strdup (title);
  self->footer = g_strdup (footer);
  self->language = g_strdup (g_strcmp0 (language, "en") == 0 ? "en" : "nl");
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  return self;
}

void
vw_table_book_free (VwTableBook *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->footer);
  g_free (self->language);
  g_ptr_array_unref (self->blocks);
  g_free (self);
}

VwBookBlock *
vw_table_book_add (VwTableBook     *self,
                   VwBookBlockKind  kind,
                   const char      *text)
{
  VwBookBlock *block = g_new0 (VwBookBlock, 1);

  block->kind = kind;
  block->text = g_strdup (text);
  g_ptr_array_add (self->blocks, block);
  return block;
}

static void
table_block_init (VwBookBlock *block,
                  guint        n_rows,
                  guint        n_columns)
{
  block->n_rows = n_rows;
  block->n_columns = n_columns;
  block->cells = g_new0 (char *, n_rows * n_columns + 1);
  block->spans = g_new0 (guint, n_rows * n_columns + 1);
  block->bold = g_new0 (gboolean, n_rows + 1);
  for (guint i = 0; i < n_rows * n_columns; i++)
    block->spans[i] = 1;
}

static void
chart_block_init (VwBookBlock *block,
                  guint        n_categories,
                  guint        n_series)
{
  block->n_categories = n_categories;
  block->n_series = n_series;
  block->categories = g_new0 (char *, n_categories + 1);
  block->series = g_new0 (char *, n_series + 1);
  block->colors = g_new0 (guint32, n_series + 1);
  block->values = g_new0 (double, (gsize) n_categories * n_series + 1);
  block->labels = g_new0 (char *, (gsize) n_categories * n_series + 1);
}

/* Numbers */

char *
vw_format_count (gint64      n,
                 const char *language)
{
  char separator = g_strcmp0 (language, "en") == 0 ? ',' : '.';
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n < 0 ? -n : n);
  gsize len = strlen (digits);
  GString *out = g_string_new (n < 0 ? "-" : "");

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
vw_format_cell (const char *text,
                const char *language)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (g_ascii_isdigit (*p))
        {
          const char *start = p;
          g_autofree char *run = NULL;

          while (g_ascii_isdigit (*p))
            p++;
          run = g_strndup (start, p - start);
          if (p - start >= 4 && p - start <= 18)
            {
              g_autofree char *grouped = vw_format_count (g_ascii_strtoll (run, NULL, 10), language);
              g_string_append (out, grouped);
            }
          else
            g_string_append (out, run);
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Blocks from tables */

/* The first table of @table that is counted, for its title and labels. */
static VwTable *
reference_table (const VwComparisonTable *table)
{
  for (guint c = 0; c < table->tables->len; c++)
    if (g_ptr_array_index (table->tables, c) != NULL)
      return g_ptr_array_index (table->tables, c);
  return NULL;
}

/* One table as the report's text form prints it. */
static void
add_plain_table (VwTableBook *book,
                 VwTable     *table)
{
  guint n_columns, n_lines;
  g_autoptr(GPtrArray) cells = vw_table_get_text_cells (table, &n_columns, &n_lines);
  VwBookBlock *block = vw_table_book_add (book, VW_BOOK_TABLE, NULL);

  table_block_init (block, n_lines, n_columns);
  block->n_header_rows = 1;
  block->n_keys = table->n_keys;
  for (guint l = 0; l < n_lines; l++)
    {
      for (guint c = 0; c < n_columns; c++)
        block->cells[l * n_columns + c] = vw_format_cell (g_ptr_array_index (cells, l * n_columns + c),
                                                          book->language);
      block->bold[l] = l > 0 && g_array_index (table->rows, VwTableRow, l - 1).is_total;
    }
  vw_table_book_add (book, VW_BOOK_NOTE, vw_table_get_note (table));
}

static const VwTableRow *
find_row (VwTable          *table,
          const VwTableRow *like)
{
  for (guint r = 0; table != NULL && r < table->rows->len; r++)
    {
      const VwTableRow *row = &g_array_index (table->rows, VwTableRow, r);

      if (g_str_equal (row->key, like->key) && g_strcmp0 (row->subkey, like->subkey) == 0)
        return row;
    }
  return NULL;
}

/* A table of one count column, the columns side by side: a header row of
 * column labels over the count's label, the rows, and a row of
 * denominators. Each cell is the one its column's own table prints. */
static void
add_side_by_side (VwTableBook             *book,
                  VwComparison            *comparison,
                  const VwComparisonTable *table)
{
  VwTable *reference = NULL;
  guint n_tables = table->tables->len;
  guint n_keys, n_columns, n_rows;
  VwBookBlock *block;

  /* The rows of the table with the most (the pooled one). */
  for (guint c = 0; c < n_tables; c++)
    {
      VwTable *t = g_ptr_array_index (table->tables, c);

      if (t != NULL && (reference == NULL || t->rows->len > reference->rows->len))
        reference = t;
    }
  n_keys = reference->n_keys;
  n_columns = n_keys + n_tables;
  n_rows = 2 + reference->rows->len + 1;
  block = vw_table_book_add (book, VW_BOOK_TABLE, NULL);
  table_block_init (block, n_rows, n_columns);
  block->n_header_rows = 2;
  block->n_keys = n_keys;

  for (guint k = 0; k < n_keys; k++)
    {
      block->cells[k] = g_strdup ("");
      block->cells[n_columns + k] = g_strdup (reference->key_labels[k]);
    }
  for (guint c = 0; c < n_tables; c++)
    {
      block->cells[n_keys + c] = g_strdup (vw_comparison_get_label (comparison, c));
      block->cells[n_columns + n_keys + c] = g_strdup (reference->count_labels[0]);
    }

  for (guint c = 0; c < n_tables; c++)
    {
      VwTable *t = g_ptr_array_index (table->tables, c);
      g_autoptr(GPtrArray) cells = NULL;
      guint n_text_columns = 0, n_lines = 0;

      /* Each cell exactly as the column's own text table prints it. */
      if (t != NULL)
        cells = vw_table_get_text_cells (t, &n_text_columns, &n_lines);
      for (guint r = 0; r < reference->rows->len; r++)
        {
          const VwTableRow *like = &g_array_index (reference->rows, VwTableRow, r);
          char **line = &block->cells[(2 + r) * n_columns];
          const VwTableRow *row = find_row (t, like);

          if (c == 0)
            {
              line[0] = g_strdup (like->label);
              if (n_keys > 1)
                line[1] = g_strdup (like->sublabel ? like->sublabel : "");
              block->bold[2 + r] = like->is_total;
            }
          if (row == NULL)
            line[n_keys + c] = g_strdup ("");
          else
            {
              guint index = row - (const VwTableRow *) (gpointer) t->rows->data;

              line[n_keys + c] = vw_format_cell (g_ptr_array_index (cells, (1 + index) * n_text_columns + n_keys),
                                                 book->language);
            }
        }
    }
  {
    char **line = &block->cells[(n_rows - 1) * n_columns];

    line[0] = g_strdup (_("Denominator"));
    for (guint k = 1; k < n_keys; k++)
      line[k] = g_strdup ("");
    for (guint c = 0; c < n_tables; c++)
      {
        VwTable *t = g_ptr_array_index (table->tables, c);

        line[n_keys + c] = t != NULL ? vw_format_count (t->denominator, book->language) : g_strdup ("");
      }
  }

  /* Each column's note: who is counted, who is left out. */
  for (guint c = 0; c < n_tables; c++)
    {
      VwTable *t = g_ptr_array_index (table->tables, c);
      g_autofree char *note = NULL;

      if (t == NULL)
        continue;
      note = g_strdup_printf ("%s: %s", vw_comparison_get_label (comparison, c), vw_table_get_note (t));
      vw_table_book_add (book, VW_BOOK_NOTE, note);
    }
}

static void
add_table (VwTableBook             *book,
           VwComparison            *comparison,
           const VwComparisonTable *table)
{
  VwTable *reference = reference_table (table);
  guint n_columns = table->tables->len;

  if (reference == NULL)
    return;
  vw_table_book_add (book, VW_BOOK_HEADING, vw_table_get_title (reference));
  if (n_columns == 1)
    {
      add_plain_table (book, reference);
      return;
    }
  if (reference->n_counts == 1 && n_columns <= MAX_SIDE_BY_SIDE)
    {
      add_side_by_side (book, comparison, table);
      return;
    }
  for (guint c = 0; c < n_columns; c++)
    {
      VwTable *t = g_ptr_array_index (table->tables, c);

      vw_table_book_add (book, VW_BOOK_SUBHEADING, vw_comparison_get_label (comparison, c));
      if (t != NULL)
        add_plain_table (book, t);
      else
        {
          char buf[16];
          g_autofree char *text = g_strdup_printf (_("No interviews in round %s."),
                                                   vw_round_format (table->round, buf));
          vw_table_book_add (book, VW_BOOK_NOTE, text);
        }
    }
}

/* Charts */

static guint32
column_color (VwComparison *comparison,
              guint         column)
{
  if (g_str_equal (vw_comparison_get_key (comparison, column), "pooled"))
    return POOLED_COLOR;
  return series_colors[column % G_N_ELEMENTS (series_colors)];
}

/* Trajectory types, one bar per column in each type, as percentages of
 * the column's denominator. */
static void
add_trajectory_chart (VwTableBook             *book,
                      VwComparison            *comparison,
                      const VwComparisonTable *table)
{
  VwTable *reference = reference_table (table);
  guint n_columns = table->tables->len;
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  VwBookBlock *block;
  g_autofree char *title = NULL;

  if (reference == NULL)
    return;
  for (guint r = 0; r < reference->rows->len; r++)
    {
      VwTableRow *row = &g_array_index (reference->rows, VwTableRow, r);

      if (row->parent < 0 && !row->is_total)
        g_ptr_array_add (types, row);
    }

  title = g_strdup_printf (_("Trajectory types per region (rule set %s)"),
                           vw_rule_set_to_string (vw_comparison_get_rules (comparison)));
  vw_table_book_add (book, VW_BOOK_HEADING, title);
  block = vw_table_book_add (book, VW_BOOK_BAR_CHART, NULL);
  chart_block_init (block, types->len, n_columns);
  block->axis = g_strdup (_("Percentage of the denominator"));
  block->caption = g_strdup (_("Each bar: the participants of a region with that type, as a percentage of the "
                               "region’s denominator (see the table of trajectory types)."));
  for (guint c = 0; c < n_columns; c++)
    {
      block->series[c] = g_strdup (vw_comparison_get_label (comparison, c));
      block->colors[c] = column_color (comparison, c);
    }
  for (guint t = 0; t < types->len; t++)
    {
      const VwTableRow *like = g_ptr_array_index (types, t);

      block->categories[t] = g_strdup (like->label);
      for (guint c = 0; c < n_columns; c++)
        {
          VwTable *column = g_ptr_array_index (table->tables, c);
          const VwTableRow *row = find_row (column, like);
          gint64 n = row != NULL ? row->counts[0] : 0;

          if (column == NULL || column->denominator == 0)
            continue;
          block->values[t * n_columns + c] = 100.0 * n / column->denominator;
          block->labels[t * n_columns + c] = g_strdup_printf ("%u%%", vw_percent_round (n, column->denominator));
        }
    }
}

/* Where the participants interviewed in each round stayed (housing
 * situation at the interview), one chart per column: the total row of
 * participation_by_residence for every round. */
static void
add_housing_charts (VwTableBook  *book,
                    VwComparison *comparison)
{
  GPtrArray *tables = vw_comparison_get_tables (comparison);
  g_autoptr(GPtrArray) rounds = g_ptr_array_new ();
  guint n_columns = vw_comparison_get_n_columns (comparison);
  VwTable *reference = NULL;

  for (guint t = 0; t < tables->len; t++)
    {
      VwComparisonTable *table = g_ptr_array_index (tables, t);

      if (g_str_equal (table->name, "participation_by_residence"))
        {
          g_ptr_array_add (rounds, table);
          if (reference == NULL)
            reference = reference_table (table);
        }
    }
  if (rounds->len == 0 || reference == NULL)
    return;

  vw_table_book_add (book, VW_BOOK_HEADING, _("Housing situation at the interview, per round"));
  for (guint c = 0; c < n_columns; c++)
    {
      VwBookBlock *block;
      guint n_parts = reference->n_counts - 1; /* without the total column */

      if (n_columns > 1)
        vw_table_book_add (book, VW_BOOK_SUBHEADING, vw_comparison_get_label (comparison, c));
      block = vw_table_book_add (book, VW_BOOK_STACK_CHART, NULL);
      chart_block_init (block, rounds->len, n_parts);
      block->axis = g_strdup (_("Percentage of those interviewed"));
      for (guint p = 0; p < n_parts; p++)
        {
          block->series[p] = g_strdup (reference->count_labels[p]);
          block->colors[p] = 0x9a9996;
          for (guint h = 0; h < G_N_ELEMENTS (housing_colors); h++)
            if (g_str_equal (reference->count_names[p], housing_colors[h].code))
              block->colors[p] = housing_colors[h].color;
        }
      for (guint r = 0; r < rounds->len; r++)
        {
          VwComparisonTable *table = g_ptr_array_index (rounds, r);
          VwTable *t = g_ptr_array_index (table->tables, c);
          const VwTableRow *total = NULL;
          char buf[16];

          for (guint i = 0; t != NULL && i < t->rows->len; i++)
            if (g_array_index (t->rows, VwTableRow, i).is_total)
              total = &g_array_index (t->rows, VwTableRow, i);
          if (total != NULL && total->counts[n_parts] > 0)
            {
              g_autofree char *n = vw_format_count (total->counts[n_parts], book->language);

              block->categories[r] = g_strdup_printf ("%s (n = %s)", vw_round_format (table->round, buf), n);
              for (guint p = 0; p < n_parts; p++)
                {
                  block->values[r * n_parts + p] = 100.0 * total->counts[p] / total->counts[n_parts];
                  if (total->counts[p] > 0)
                    block->labels[r * n_parts + p] = g_strdup_printf ("%u%%",
                                                                      vw_percent_round (total->counts[p],
                                                                                        total->counts[n_parts]));
                }
            }
          else
            block->categories[r] = g_strdup (vw_round_format (table->round, buf));
        }
    }
  vw_table_book_add (book, VW_BOOK_NOTE,
                     _("Counted: the participants interviewed in each round, by where they stayed at the "
                       "interview (BW protected housing, MO shelter, ZW living independently, overig "
                       "elsewhere or not recorded); the same counts as the total row of the table of "
                       "participation by housing situation."));
}

/**
 * vw_table_book_new_from_comparison:
 *
 * Returns: (transfer full): the book's blocks: the title and @intro, the
 *   charts, then every table with its denominator and note
 */
VwTableBook *
vw_table_book_new_from_comparison (VwComparison       *comparison,
                                   const char         *title,
                                   const char * const *intro,
                                   const char         *language)
{
  g_autofree char *footer = g_strdup_printf (_("Table book: %s"), title);
  VwTableBook *book = vw_table_book_new (title, footer, language);
  GPtrArray *tables = vw_comparison_get_tables (comparison);

  vw_table_book_add (book, VW_BOOK_TITLE, title);
  for (guint i = 0; intro != NULL && intro[i] != NULL; i++)
    vw_table_book_add (book, VW_BOOK_TEXT, intro[i]);

  for (guint t = 0; t < tables->len; t++)
    {
      VwComparisonTable *table = g_ptr_array_index (tables, t);

      if (g_str_equal (table->name, "trajectories"))
        add_trajectory_chart (book, comparison, table);
    }
  add_housing_charts (book, comparison);
  vw_table_book_add (book, VW_BOOK_PAGE_BREAK, NULL);

  for (guint t = 0; t < tables->len; t++)
    add_table (book, comparison, g_ptr_array_index (tables, t));
  return book;
}

/**
 * vw_table_book_new_for_records:
 *
 * Returns: (transfer full): the book's blocks, or %NULL with @error set
 *   when the records hold nothing to count
 */
VwTableBook *
vw_table_book_new_for_records (VwRecords         *records,
                               VwClassification  *classification,
                               VwRuleSet          rules,
                               const char        *title,
                               const char        *source,
                               const char        *language,
                               GError           **error)
{
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GPtrArray) classifications = NULL;
  g_auto(GStrv) regions = NULL;
  g_autoptr(VwComparison) comparison = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *counted = NULL;
  const VwCodeList *list = vw_codebook_get_code_list (vw_codebook_get_core (), "region");
  const char *intro[2] = { NULL, NULL };
  const guint *rounds;
  guint n_rounds;

  rounds = vw_records_get_round_numbers (records, &n_rounds);
  if (n_rounds == 0)
    {
      g_set_error_literal (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INVALID,
                           _("The records hold no rounds yet: there is nothing to put in a table book"));
      return NULL;
    }
  sets = vw_records_split_by_region (records, classification, rules, NULL, &classifications, &regions, error);
  if (sets == NULL)
    return NULL;
  comparison = vw_comparison_new (rules, NULL, rounds, n_rounds);
  for (guint i = 0; i < sets->len; i++)
    {
      const VwCode *code = vw_code_list_lookup (list, regions[i]);

      vw_comparison_add_column (comparison, regions[i], code ? vw_code_get_label (code, language) : regions[i],
                                g_ptr_array_index (sets, i), g_ptr_array_index (classifications, i));
    }
  if (sets->len != 1)
    vw_comparison_add_column (comparison, "pooled", _("All regions"), records, classification);
  if (!vw_comparison_add_tables (comparison, error))
    return NULL;

  counted = g_strdup_printf (_("Counted on %s from %s; rule set %s, with the coordinator’s overrides of "
                               "trajectory types."), date, source, vw_rule_set_to_string (rules));
  intro[0] = counted;
  return vw_table_book_new_from_comparison (comparison, title, intro, language);
}

/* The renderer */

static VwTableBookRenderFunc renderer;
G_LOCK_DEFINE_STATIC (renderer);

void
vw_table_book_set_renderer (VwTableBookRenderFunc func)
{
  G_LOCK (renderer);
  renderer = func;
  G_UNLOCK (renderer);
}

static VwTableBookRenderFunc
load_renderer (GError **error)
{
  static gsize loaded;
  static VwTableBookRenderFunc from_module;
  static char *failure;
  VwTableBookRenderFunc func;

  G_LOCK (renderer);
  func = renderer;
  G_UNLOCK (renderer);
  if (func != NULL)
    return func;

  if (g_once_init_enter (&loaded))
    {
      const char *dir = g_getenv ("VELDWERK_MODULEDIR");
      g_autofree char *path = g_build_filename (dir != NULL && *dir != '\0' ? dir : MODULEDIR,
                                                VW_TABLE_BOOK_MODULE, NULL);
      GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gpointer symbol = NULL;

      if (module == NULL)
        failure = g_strdup (g_module_error ());
      else if (!g_module_symbol (module, VW_TABLE_BOOK_RENDER_SYMBOL, &symbol))
        failure = g_strdup (g_module_error ());
      else
        {
          g_module_make_resident (module);
          from_module = (VwTableBookRenderFunc) symbol;
        }
      g_once_init_leave (&loaded, 1);
    }
  if (from_module == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("Cannot load the table book writer (%s): %s"), VW_TABLE_BOOK_MODULE, failure);
  return from_module;
}

/**
 * vw_table_book_to_pdf:
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
vw_table_book_to_pdf (VwTableBook  *self,
                      GError      **error)
{
  VwTableBookRenderFunc render = load_renderer (error);
  g_autoptr(GByteArray) out = NULL;

  if (render == NULL)
    return NULL;
  out = g_byte_array_new ();
  if (!render (self, out, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
