/* vw-export-disclosure.c: disclosure control on a wide table, shared by
 * the export of one study and the pool of several (vw-pool.c), so that
 * both apply the same rule.
 *
 * A participant's group is every participant whose released
 * quasi-identifiers are identical, a blank (never recorded, or blanked
 * here) being a value of its own: an analyst who reads the files sees a
 * blank as one more value, so a blank that "matched anything" would count
 * people into a group that the files do not show. Every released group
 * must hold at least k participants; groups are counted on the cells as
 * they will be written, after every step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-export-private.h"

/* Round variables of the export: the codebook variable (or derived one)
 * that labels it. */
const char * const vw_export_round_variables[] = {
  "status", "month", "residence", "woonsituatie", "participation", "participation_dh",
  "participation_fl", "participation_fit", "debts", "money_management", "income", "indication",
  NULL
};

/* Columns that give each other away: a roll-up gives back (part of) the
 * value it was made from (woonsituatie BW is residence bw), so blanking
 * one of a family blanks the others of the same round too. */
static const char * const residence_family[] = { "residence", "woonsituatie", NULL };
static const char * const participation_family[] = {
  "participation", "participation_dh", "participation_fl", NULL
};
static const char * const trajectory_family[] = {
  "trajectory", "trajectory_subtype", "trajectory_final", "trajectory_final_subtype", NULL
};
static const char * const * const families[] = { residence_family, participation_family, trajectory_family };

/* Quasi-identifiers that the long table shows by its rows, whatever a
 * cell says: a row per round with a status, and as many interviewed rows
 * as n_interviews. Blanking them would hide nothing, so only leaving
 * people out protects them. A pool's study tag is part of every export
 * id, so blanking its column would hide nothing either. */
static const char * const fixed_variables[] = { "n_interviews", "status", "study", NULL };

static gboolean
quasi_init (const VwExportTable  *wide,
            const char           *name,
            VwDisclosureQuasi    *out,
            GError              **error)
{
  const char * const *family = NULL;
  char *suffix;
  char round_buf[16];
  guint n = 0;

  out->column = vw_export_table_find_column (wide, name);
  out->round = G_MAXUINT;
  out->wide[0] = -1;
  /* Column 0 is the export id, which is unique by design. */
  if (out->column <= 0)
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                   _("“%s” is not a variable of the export that can be a quasi-identifier; "
                     "use a column of trajectories_wide.csv such as hist_street or residence_T0"),
                   name);
      return FALSE;
    }

  out->base = g_strdup (name);
  suffix = strrchr (out->base, '_');
  if (suffix != NULL && vw_round_parse (suffix + 1, &out->round))
    {
      *suffix = '\0';
      if (!g_strv_contains (vw_export_round_variables, out->base))
        {
          *suffix = '_';
          out->round = G_MAXUINT;
        }
    }

  for (guint f = 0; f < G_N_ELEMENTS (families) && family == NULL; f++)
    if (g_strv_contains (families[f], out->base))
      family = families[f];
  out->fixed = g_strv_contains (fixed_variables, out->base);

  for (guint i = 0; family == NULL ? i == 0 : family[i] != NULL; i++)
    {
      const char *variable = family == NULL ? out->base : family[i];
      g_autofree char *column = out->round == G_MAXUINT
                                ? g_strdup (variable)
                                : g_strdup_printf ("%s_%s", variable, vw_round_format (out->round, round_buf));

      g_assert (n < VW_EXPORT_MAX_FAMILY);
      out->family[n] = variable;
      out->wide[n] = vw_export_table_find_column (wide, column);
      g_assert (out->wide[n] >= 0);
      n++;
    }
  out->family[n] = NULL;
  out->wide[n] = -1;
  return TRUE;
}

/* Blanks @quasi and its family in row @row of the wide table; TRUE when a
 * value was there to blank. */
static gboolean
blank_row (VwExportTable           *wide,
           guint                    row,
           const VwDisclosureQuasi *quasi)
{
  gboolean changed = FALSE;

  for (guint i = 0; quasi->wide[i] >= 0; i++)
    {
      gpointer *cell = &wide->cells->pdata[row * wide->columns->len + quasi->wide[i]];

      changed |= *cell != NULL;
      *cell = NULL;
    }
  return changed;
}

typedef struct
{
  const VwExportTable     *wide;
  const VwDisclosureQuasi *quasi;
  guint                    m;
} GroupOrder;

/* Rows in the order of their released quasi-identifiers; a blank sorts
 * before any value and equals only a blank. */
static int
compare_group_rows (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const GroupOrder *order = user_data;
  guint row_a = *(const guint *) a;
  guint row_b = *(const guint *) b;

  for (guint q = 0; q < order->m; q++)
    {
      int c = g_strcmp0 (vw_export_table_get (order->wide, row_a, order->quasi[q].column),
                         vw_export_table_get (order->wide, row_b, order->quasi[q].column));
      if (c != 0)
        return c;
    }
  return 0;
}

/* Sets @sizes[row] to the size of the row's group on the released values
 * (0 for a row left out); returns the number of groups. */
static guint
count_groups (const VwExportTable     *wide,
              const VwDisclosureQuasi *quasi,
              guint                    m,
              const gboolean          *suppressed,
              guint                   *sizes)
{
  guint n = vw_export_table_n_rows (wide);
  g_autofree guint *rows = g_new (guint, n + 1);
  GroupOrder order = { wide, quasi, m };
  guint n_rows = 0, n_groups = 0;

  for (guint i = 0; i < n; i++)
    {
      sizes[i] = 0;
      if (!suppressed[i])
        rows[n_rows++] = i;
    }
  g_qsort_with_data (rows, n_rows, sizeof (guint), compare_group_rows, &order);
  for (guint start = 0, end; start < n_rows; start = end)
    {
      for (end = start + 1; end < n_rows && compare_group_rows (&rows[start], &rows[end], &order) == 0; end++)
        ;
      for (guint j = start; j < end; j++)
        sizes[rows[j]] = end - start;
      n_groups++;
    }
  return n_groups;
}

static char *
combination_key (const char **values,
                 guint        m)
{
  GString *key = g_string_new (NULL);

  for (guint q = 0; q < m; q++)
    {
      if (values[q] == NULL)
        g_string_append_c (key, '_');
      else
        g_string_append_printf (key, "%zu:%s", strlen (values[q]), values[q]);
    }
  return g_string_free (key, FALSE);
}

typedef struct
{
  char     **values;  /* the original combination */
  guint      count;
  guint32    blanked; /* union over its participants */
  guint      n_suppressed;
} RareCombination;

static void
rare_combination_free (RareCombination *rare)
{
  g_strfreev (rare->values);
  g_free (rare);
}

/* Nothing released is refused rather than written as an empty package,
 * with the reason the person exporting can act on. */
static void
set_nothing_released_error (guint        k,
                            guint        n,
                            const char  *quasi_list,
                            GError     **error)
{
  if (n == 0)
    g_set_error_literal (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED,
                         _("Nothing was exported: the records hold no participants"));
  else if (k > n)
    g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Nothing was exported: the smallest group allowed is k = %u, but the records "
                              "hold %u participant; choose a k of at most %u",
                              "Nothing was exported: the smallest group allowed is k = %u, but the records "
                              "hold %u participants; choose a k of at most %u",
                              n),
                 k, n, n);
  else
    g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_NOTHING_RELEASED,
                 _("Nothing was exported: with k = %u every participant is in a group smaller than k "
                   "on %s; choose a smaller k or fewer quasi-identifiers, or make rare combinations coarser "
                   "instead of leaving them out"),
                 k, quasi_list);
}

void
vw_disclosure_free (VwDisclosure *self)
{
  if (self == NULL)
    return;
  for (guint q = 0; self->quasi_columns != NULL && q < self->m; q++)
    g_free (self->quasi_columns[q].base);
  g_free (self->quasi_columns);
  g_strfreev (self->quasi);
  g_free (self->suppressed);
  g_free (self->blanked);
  g_free (self);
}

/**
 * vw_disclosure_run:
 * @wide: the wide table, one row per participant; generalized cells are
 *   blanked in it
 * @quasi: every quasi-identifier, the ones generalized last first
 * @report: what changed is appended here, for the person exporting
 *
 * Applies the k rule to @wide: `generalize` blanks, in every group still
 * smaller than k, one quasi-identifier at a time (the last first) and
 * counts the groups again on the values as they will be written; who is
 * then still in a group smaller than k is left out (suppressed), as with
 * `suppress`. Rows are not removed: see vw_disclosure_drop_suppressed().
 *
 * Returns: (transfer full): what was done, or %NULL with @error set when
 *   a quasi-identifier is not a column or nobody would be released
 */
VwDisclosure *
vw_disclosure_run (VwExportTable       *wide,
                   const char * const  *quasi,
                   guint                k,
                   VwExportRare         rare,
                   GString             *report,
                   GError             **error)
{
  g_autoptr(VwDisclosure) self = g_new0 (VwDisclosure, 1);
  guint n = vw_export_table_n_rows (wide);
  guint m;
  g_autofree const char **original = NULL;
  g_autoptr(GHashTable) rare_combinations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                    (GDestroyNotify) rare_combination_free);
  g_autoptr(GPtrArray) rare_order = g_ptr_array_new ();
  g_autofree char *quasi_list = NULL;
  g_autofree guint *sizes = g_new0 (guint, n + 1);
  gboolean *suppressed;
  guint32 *blanked;

  self->quasi = g_strdupv ((GStrv) quasi);
  self->m = m = g_strv_length (self->quasi);
  self->k = k;
  self->n_rows = n;
  self->suppressed = suppressed = g_new0 (gboolean, n + 1);
  self->blanked = blanked = g_new0 (guint32, n + 1);
  quasi_list = g_strjoinv (", ", self->quasi);
  g_return_val_if_fail (m <= VW_EXPORT_MAX_QUASI, NULL);

  self->quasi_columns = g_new0 (VwDisclosureQuasi, m + 1);
  for (guint q = 0; q < m; q++)
    if (!quasi_init (wide, self->quasi[q], &self->quasi_columns[q], error))
      return NULL;

  original = g_new0 (const char *, (gsize) n * m + 1);
  for (guint i = 0; i < n; i++)
    for (guint q = 0; q < m; q++)
      original[i * m + q] = vw_export_table_get (wide, i, self->quasi_columns[q].column);

  /* Generalizing blanks one quasi-identifier at a time, the added ones
   * (last given first), then age band, origin and region, in every group
   * that is still smaller than k, and counts again. A group moves as a
   * whole (its members share their values, blanks included), and a group
   * of k or more is never touched, so groups only merge. */
  if (rare == VW_EXPORT_RARE_GENERALIZE)
    for (int q = (int) m - 1; q >= 0; q--)
      {
        const VwDisclosureQuasi *column = &self->quasi_columns[q];
        gboolean any_rare = FALSE;

        if (column->fixed)
          continue;
        count_groups (wide, self->quasi_columns, m, suppressed, sizes);
        for (guint i = 0; i < n; i++)
          if (!suppressed[i] && sizes[i] < k)
            {
              any_rare = TRUE;
              if (blank_row (wide, i, column))
                blanked[i] |= 1u << q;
            }
        if (!any_rare)
          break;
      }

  /* Who is still in a group smaller than k is left out; that changes no
   * other group. */
  count_groups (wide, self->quasi_columns, m, suppressed, sizes);
  for (guint i = 0; i < n; i++)
    if (sizes[i] < k)
      suppressed[i] = TRUE;
  self->n_groups = count_groups (wide, self->quasi_columns, m, suppressed, sizes);
  self->smallest_group = 0;
  for (guint i = 0; i < n; i++)
    if (!suppressed[i] && (self->smallest_group == 0 || sizes[i] < self->smallest_group))
      self->smallest_group = sizes[i];

  /* The report: each combination that had to change, as it was. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = NULL;
      RareCombination *combination;

      if (!suppressed[i] && blanked[i] == 0)
        continue;

      key = combination_key (&original[i * m], m);
      combination = g_hash_table_lookup (rare_combinations, key);
      if (combination == NULL)
        {
          combination = g_new0 (RareCombination, 1);
          combination->values = g_new0 (char *, m + 1);
          for (guint q = 0; q < m; q++)
            combination->values[q] = g_strdup (original[i * m + q] ? original[i * m + q] : "");
          g_hash_table_insert (rare_combinations, g_steal_pointer (&key), combination);
          g_ptr_array_add (rare_order, combination);
        }
      combination->count++;
      if (suppressed[i])
        {
          combination->n_suppressed++;
          self->n_suppressed++;
          blanked[i] = 0;
        }
      else
        {
          combination->blanked |= blanked[i];
          self->n_generalized++;
        }
    }

  if (self->n_suppressed == n)
    {
      set_nothing_released_error (k, n, quasi_list, error);
      return NULL;
    }

  g_string_append_printf (report, _("Disclosure control: k = %u on %s; "), k, quasi_list);
  g_string_append_printf (report, g_dngettext (GETTEXT_PACKAGE, "%u participant, ", "%u participants, ", n), n);
  g_string_append_printf (report, _("%u generalized, %u left out.\n"), self->n_generalized, self->n_suppressed);
  g_string_append_printf (report, _("Smallest group released: %u (k = %u); number of groups: %u.\n"),
                          self->smallest_group, k, self->n_groups);
  for (guint r = 0; r < rare_order->len; r++)
    {
      RareCombination *combination = g_ptr_array_index (rare_order, r);
      g_autoptr(GString) line = g_string_new ("  ");

      for (guint q = 0; q < m; q++)
        g_string_append_printf (line, "%s%s=%s", q ? ", " : "", self->quasi[q],
                                *combination->values[q] ? combination->values[q] : "-");
      g_string_append_printf (line, ": %u", combination->count);
      if (combination->n_suppressed > 0)
        g_string_append_printf (line, _("; %u left out"), combination->n_suppressed);
      if (combination->blanked != 0)
        {
          g_string_append (line, _("; blanked:"));
          for (guint q = 0; q < m; q++)
            if (combination->blanked & (1u << q))
              g_string_append_printf (line, " %s", self->quasi[q]);
        }
      g_string_append_c (line, '\n');
      g_string_append (report, line->str);
    }

  return g_steal_pointer (&self);
}

/* Drops the suppressed rows from @wide (the table vw_disclosure_run()
 * was given), keeping the order of the others and their owners. */
void
vw_disclosure_drop_suppressed (VwDisclosure  *self,
                               VwExportTable *wide)
{
  guint n_columns = wide->columns->len;
  guint out = 0;

  g_return_if_fail (vw_export_table_n_rows (wide) == self->n_rows);

  for (guint i = 0; i < self->n_rows; i++)
    {
      if (self->suppressed[i])
        continue;
      if (out != i)
        {
          memmove (&wide->cells->pdata[out * n_columns], &wide->cells->pdata[i * n_columns],
                   sizeof (gpointer) * n_columns);
          g_array_index (wide->owners, guint, out) = g_array_index (wide->owners, guint, i);
        }
      out++;
    }
  g_ptr_array_set_size (wide->cells, out * n_columns);
  g_array_set_size (wide->owners, out);
}
