/* vw-comparison.c: report tables side by side (see vw-comparison.h).
 *
 * Each column's tables are vw_table_build()'s own, counted from that
 * column's records: a comparison never adds tables up, so a pooled column
 * is counted from the pooled records and checks its own sums.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-comparison.h"
#include "vw-csv.h"
#include "vw-tables-private.h"

typedef struct
{
  char             *key;
  char             *label;
  VwRecords        *records;        /* owned until its tables are counted */
  VwClassification *classification; /* borrowed until then */
} Column;

struct _VwComparison
{
  VwRuleSet           rules;
  VwTrajectoryParams  params;
  GArray             *rounds;   /* of guint */
  GArray             *columns;  /* of Column */
  guint               counted;  /* columns whose tables are made */
  GPtrArray          *tables;   /* VwComparisonTable* */
};

static void
column_clear (Column *column)
{
  g_free (column->key);
  g_free (column->label);
  g_clear_pointer (&column->records, vw_records_unref);
}

static void
comparison_table_free (VwComparisonTable *table)
{
  g_free (table->name);
  g_free (table->id);
  g_ptr_array_unref (table->tables);
  g_free (table);
}

static gboolean
is_round_table (const char *name)
{
  return g_str_equal (name, "rounds_attended") || g_str_equal (name, "participation_by_residence");
}

/**
 * vw_comparison_new:
 * @params: (nullable): the codebook's defaults when %NULL
 */
VwComparison *
vw_comparison_new (VwRuleSet                 rules,
                   const VwTrajectoryParams *params,
                   const guint              *rounds,
                   guint                     n_rounds)
{
  VwComparison *self = g_new0 (VwComparison, 1);

  self->rules = rules;
  if (params != NULL)
    self->params = *params;
  else
    vw_trajectory_params_init (&self->params);
  self->rounds = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (self->rounds, rounds, n_rounds);
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, (GDestroyNotify) column_clear);
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) comparison_table_free);

  for (const char * const *name = vw_table_get_names (); *name != NULL; name++)
    for (guint r = 0; r < (is_round_table (*name) ? n_rounds : 1); r++)
      {
        VwComparisonTable *table = g_new0 (VwComparisonTable, 1);
        char buf[16];

        table->name = g_strdup (*name);
        table->round = is_round_table (*name) ? rounds[r] : G_MAXUINT;
        table->id = table->round == G_MAXUINT ? g_strdup (*name)
                                              : g_strdup_printf ("%s_%s", *name, vw_round_format (rounds[r], buf));
        table->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_table_free);
        g_ptr_array_add (self->tables, table);
      }
  return self;
}

void
vw_comparison_free (VwComparison *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->rounds);
  g_array_unref (self->columns);
  g_ptr_array_unref (self->tables);
  g_free (self);
}

void
vw_comparison_add_column (VwComparison     *self,
                          const char       *key,
                          const char       *label,
                          VwRecords        *records,
                          VwClassification *classification)
{
  Column column = { g_strdup (key), g_strdup (label), vw_records_ref (records), classification };

  g_return_if_fail (classification == NULL || vw_classification_get_records (classification) == records);
  g_array_append_val (self->columns, column);
}

static gboolean
has_round (VwRecords *records,
           guint      round)
{
  guint n;
  const guint *rounds = vw_records_get_round_numbers (records, &n);

  for (guint i = 0; i < n; i++)
    if (rounds[i] == round)
      return TRUE;
  return FALSE;
}

gboolean
vw_comparison_add_tables (VwComparison  *self,
                          GError       **error)
{
  for (; self->counted < self->columns->len; self->counted++)
    {
      Column *column = &g_array_index (self->columns, Column, self->counted);
      g_autoptr(VwClassification) own = NULL;
      VwTableOptions options = { 0 };

      options.rules = self->rules;
      options.params = &self->params;
      options.classification = column->classification;
      if (options.classification == NULL)
        options.classification = own = vw_classification_new (column->records, self->rules, &self->params);

      for (guint t = 0; t < self->tables->len; t++)
        {
          VwComparisonTable *table = g_ptr_array_index (self->tables, t);
          VwTable *built = NULL;

          options.has_round = table->round != G_MAXUINT;
          options.round = table->round;
          if (!options.has_round || has_round (column->records, table->round))
            {
              built = vw_table_build (table->name, column->records, &options, error);
              if (built == NULL)
                return FALSE;
            }
          g_ptr_array_add (table->tables, built);
        }
      /* The records are no longer needed: a pool of many regions holds one
       * region's at a time. */
      g_clear_pointer (&column->records, vw_records_unref);
      column->classification = NULL;
    }
  return TRUE;
}

guint
vw_comparison_get_n_columns (VwComparison *self)
{
  return self->columns->len;
}

const char *
vw_comparison_get_key (VwComparison *self,
                       guint         column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return g_array_index (self->columns, Column, column).key;
}

const char *
vw_comparison_get_label (VwComparison *self,
                         guint         column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return g_array_index (self->columns, Column, column).label;
}

VwRuleSet
vw_comparison_get_rules (VwComparison *self)
{
  return self->rules;
}

GPtrArray *
vw_comparison_get_tables (VwComparison *self)
{
  return self->tables;
}

/* The table with the most rows comes first, so that rows keep its order
 * (a pooled column has every round of attendance). */
static GPtrArray *
row_keys (const VwComparisonTable *table,
          const VwTable          **reference)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  *reference = NULL;
  for (guint c = 0; c < table->tables->len; c++)
    {
      VwTable *t = g_ptr_array_index (table->tables, c);

      if (t == NULL)
        continue;
      if (*reference == NULL || t->rows->len > (*reference)->rows->len)
        *reference = t;
      g_ptr_array_add (order, t);
    }
  if (*reference != NULL)
    g_ptr_array_insert (order, 0, (gpointer) *reference);
  for (guint i = 0; i < order->len; i++)
    {
      VwTable *t = g_ptr_array_index (order, i);

      for (guint r = 0; r < t->rows->len; r++)
        {
          const VwTableRow *row = &g_array_index (t->rows, VwTableRow, r);
          char *key = g_strconcat (row->key, "\x1f", row->subkey ? row->subkey : "", NULL);

          if (g_hash_table_contains (seen, key))
            {
              g_free (key);
              continue;
            }
          g_hash_table_add (seen, key);
          g_ptr_array_add (keys, key);
        }
    }
  return keys;
}

static const VwTableRow *
find_row (const VwTable *table,
          const char    *key)
{
  for (guint r = 0; table != NULL && r < table->rows->len; r++)
    {
      const VwTableRow *row = &g_array_index (table->rows, VwTableRow, r);
      gsize len = strlen (row->key);

      if (strncmp (key, row->key, len) == 0 && key[len] == '\x1f' &&
          g_str_equal (key + len + 1, row->subkey ? row->subkey : ""))
        return row;
    }
  return NULL;
}

char *
vw_comparison_table_to_csv (VwComparison            *self,
                            const VwComparisonTable *table)
{
  const VwTable *reference = NULL;
  g_autoptr(GPtrArray) keys = row_keys (table, &reference);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  guint n_columns = self->columns->len;

  if (reference == NULL)
    return g_string_free (out, FALSE);

  for (guint k = 0; k < reference->n_keys; k++)
    g_ptr_array_add (fields, g_strdup (reference->key_names[k]));
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *prefix = g_strconcat (vw_comparison_get_key (self, c), "_", NULL);

      vw_table_append_csv_names (reference, prefix, fields);
    }
  vw_csv_append_row (out, (const char * const *) fields->pdata, fields->len, "\n");

  for (guint r = 0; r <= keys->len; r++)
    {
      const char *key = r < keys->len ? g_ptr_array_index (keys, r) : NULL;

      g_ptr_array_set_size (fields, 0);
      if (key != NULL)
        {
          const char *sep = strchr (key, '\x1f');

          g_ptr_array_add (fields, g_strndup (key, sep - key));
          if (reference->n_keys > 1)
            g_ptr_array_add (fields, g_strdup (sep + 1));
        }
      else
        {
          /* Each column's denominator, under its first count. */
          g_ptr_array_add (fields, g_strdup ("denominator"));
          if (reference->n_keys > 1)
            g_ptr_array_add (fields, g_strdup (""));
        }
      for (guint c = 0; c < n_columns; c++)
        {
          const VwTable *t = g_ptr_array_index (table->tables, c);
          const VwTableRow *row = key != NULL ? find_row (t, key) : NULL;

          if (key == NULL)
            {
              /* Each column's denominator, under its first count. */
              guint before = fields->len;

              vw_table_append_csv_cells (reference, NULL, fields);
              if (t != NULL)
                {
                  g_free (fields->pdata[before]);
                  fields->pdata[before] = g_strdup_printf ("%" G_GINT64_FORMAT, t->denominator);
                }
            }
          else
            vw_table_append_csv_cells (t != NULL ? t : reference, row, fields);
        }
      vw_csv_append_row (out, (const char * const *) fields->pdata, fields->len, "\n");
    }
  return g_string_free (out, FALSE);
}

/* Splitting records by region */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * vw_records_split_by_region:
 * @classification: (nullable): overrides to carry over
 * @classifications: (out) (element-type VwClassification): one per set
 * @regions: (out): the region of each set
 *
 * Returns: (transfer full) (element-type VwRecords): the sets, or %NULL
 *   with @error set
 */
GPtrArray *
vw_records_split_by_region (VwRecords                *records,
                            VwClassification         *classification,
                            VwRuleSet                 rules,
                            const VwTrajectoryParams *params,
                            GPtrArray               **classifications,
                            GStrv                    *regions,
                            GError                  **error)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_records_unref);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_classification_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const VwRecordParticipant *participants;
  guint n;

  participants = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    if (participants[i].region != NULL && g_hash_table_add (seen, (gpointer) participants[i].region))
      g_ptr_array_add (names, g_strdup (participants[i].region));
  g_ptr_array_sort (names, compare_strings);

  for (guint g = 0; g < names->len; g++)
    {
      const char *region = g_ptr_array_index (names, g);
      g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();
      g_autoptr(VwRecords) set = NULL;
      g_autoptr(VwClassification) own = NULL;

      if (names->len == 1)
        set = vw_records_ref (records);
      else
        {
          for (guint i = 0; i < n; i++)
            {
              const VwRecordParticipant *p = &participants[i];
              const char *values[VW_RECORDS_MAX_COLUMNS];
              char bufs[VW_RECORDS_MAX_COLUMNS][16];

              if (g_strcmp0 (p->region, region) != 0)
                continue;
              vw_records_get_row_values (records, VW_RECORDS_PARTICIPANTS, i, values, bufs);
              vw_records_builder_add_row (builder, VW_RECORDS_PARTICIPANTS, values, 0);
              for (guint r = p->first_round; r < p->first_round + p->n_rounds; r++)
                {
                  vw_records_get_row_values (records, VW_RECORDS_ROUNDS, r, values, bufs);
                  vw_records_builder_add_row (builder, VW_RECORDS_ROUNDS, values, 0);
                }
              for (guint e = p->first_episode; e < p->first_episode + p->n_episodes; e++)
                {
                  vw_records_get_row_values (records, VW_RECORDS_EPISODES, e, values, bufs);
                  vw_records_builder_add_row (builder, VW_RECORDS_EPISODES, values, 0);
                }
            }
          set = vw_records_builder_end (builder, NULL, error);
          if (set == NULL)
            return NULL;
        }

      own = vw_classification_new (set, rules, params);
      for (guint i = 0; classification != NULL && i < n; i++)
        {
          const VwTrajectoryResult *result = vw_classification_get (classification, i);

          if (!result->overridden || g_strcmp0 (participants[i].region, region) != 0)
            continue;
          if (!vw_classification_set_override (own, participants[i].code, vw_trajectory_type_to_string (result->final),
                                               result->final_subtype == VW_SUBTYPE_NONE ? NULL
                                               : vw_trajectory_subtype_to_string (result->final_subtype),
                                               result->override_reason, error))
            return NULL;
        }
      g_ptr_array_add (sets, g_steal_pointer (&set));
      g_ptr_array_add (classes, g_steal_pointer (&own));
    }

  g_ptr_array_add (names, NULL);
  *regions = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  *classifications = g_steal_pointer (&classes);
  return g_steal_pointer (&sets);
}
