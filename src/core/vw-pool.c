/* vw-pool.c: pooling signed packages (see vw-pool.h).
 *
 * Each package's two tables are read back as strictly as the records
 * are: the header must be the export's, every cell a value its column can
 * hold, every export id unique, and the long table must say what the wide
 * one says. The pooled wide table then holds one row per participant,
 * with the package's study tag in the export id and in a column of its
 * own; the pooled long table is made from it after disclosure control, so
 * that both tables show the same blanks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-csv.h"
#include "vw-export-private.h"
#include "vw-package-private.h"
#include "vw-pool.h"
#include "vw-resources.h"
#include "vw-tablebook.h"

G_DEFINE_QUARK (vw-pool-error-quark, vw_pool_error)

#define LONG_CSV  "trajectories_long.csv"
#define WIDE_CSV  "trajectories_wide.csv"
#define TAG_CHARS 6

/* The columns every package's wide table starts with, in order. */
static const char * const participant_columns[] = {
  "export_id", "region", "origin", "age_band", "hist_street", "hist_youthcare_placement", "hist_unsafe_home",
  "hist_remigration", "n_interviews", "trajectory", "trajectory_subtype", "trajectory_final",
  "trajectory_final_subtype", "long_stay", NULL
};
/* ... and the long table, whole. */
static const char * const long_columns[] = {
  "export_id", "region", "origin", "age_band", "round", "status", "month", "residence", "woonsituatie",
  "participation", "participation_dh", "participation_fl", "participation_fit", "debts", "money_management",
  "income", "indication", "hist_street", "hist_youthcare_placement", "hist_unsafe_home", "hist_remigration",
  "trajectory", "trajectory_subtype", "trajectory_final", "trajectory_final_subtype", "long_stay", NULL
};
#define N_PARTICIPANT_COLUMNS 14
#define N_ROUND_VARIABLES     12
#define N_LONG_COLUMNS        26
/* Pooled wide columns: export_id, study, then the package's from region
 * on, then the rounds. */
#define POOLED_HEAD           (N_PARTICIPANT_COLUMNS + 1)

typedef struct
{
  VwPackage               *package;     /* borrowed */
  const VwPackageManifest *manifest;    /* borrowed */
  const char              *name;
  char                     tag[TAG_CHARS + 1];
  GArray                  *rounds;      /* guint, from the wide table's header */
  guint                    first_row;   /* in the pooled wide table */
  guint                    n_rows;
} Source;

struct _VwPool
{
  VwPoolOptions     options;     /* strings below are owned copies */
  char             *language;
  GStrv             quasi;       /* every quasi-identifier of the pool */
  GArray           *sources;     /* of Source */
  GArray           *rounds;      /* guint: every round of every package, in order */
  VwRuleSet         rules;
  VwTrajectoryParams params;
  char             *age_scheme;
  VwExportTable    *wide;        /* after disclosure control */
  GArray           *row_source;  /* guint per wide row: its source */
  VwDisclosure     *disclosure;
  guint             n_participants;
  GString          *report;
};

static void
source_clear (Source *source)
{
  g_clear_pointer (&source->rounds, g_array_unref);
}

void
vw_pool_free (VwPool *self)
{
  if (self == NULL)
    return;
  g_free (self->language);
  g_strfreev (self->quasi);
  g_clear_pointer (&self->sources, g_array_unref);
  g_clear_pointer (&self->rounds, g_array_unref);
  g_free (self->age_scheme);
  g_clear_pointer (&self->wide, vw_export_table_free);
  g_clear_pointer (&self->row_source, g_array_unref);
  g_clear_pointer (&self->disclosure, vw_disclosure_free);
  if (self->report != NULL)
    g_string_free (self->report, TRUE);
  g_free (self);
}

/* Compatibility */

static gboolean
incompatible (const Source  *a,
              const Source  *b,
              const char    *what,
              const char    *value_a,
              const char    *value_b,
              GError       **error)
{
  g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_INCOMPATIBLE,
               _("%s and %s cannot be pooled: %s is %s in the first and %s in the second; "
                 "export them again with the same settings"),
               a->name, b->name, what, value_a, value_b);
  return FALSE;
}

static gboolean
check_compatible (const Source  *first,
                  const Source  *other,
                  GError       **error)
{
  const VwPackageManifest *a = first->manifest, *b = other->manifest;
  const struct
  {
    const char *name;
    int         a, b;
  } params[] = {
    { "mo_long_months", a->params.mo_long_months, b->params.mo_long_months },
    { "bw_long_months", a->params.bw_long_months, b->params.bw_long_months },
    { "mo_flag_weeks", a->params.mo_flag_weeks, b->params.mo_flag_weeks },
    { "bw_flag_months", a->params.bw_flag_months, b->params.bw_flag_months },
  };

  if (!g_str_equal (a->codebook_id, b->codebook_id))
    return incompatible (first, other, _("the codebook"), a->codebook_id, b->codebook_id, error);
  if (!g_str_equal (a->codebook_version, b->codebook_version))
    {
      g_autofree char *what = g_strdup_printf (_("the version of the codebook %s"), a->codebook_id);
      return incompatible (first, other, what, a->codebook_version, b->codebook_version, error);
    }
  if (a->rules != b->rules)
    return incompatible (first, other, _("the rule set of the trajectory types"), vw_rule_set_to_string (a->rules),
                         vw_rule_set_to_string (b->rules), error);
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    if (params[i].a != params[i].b)
      {
        g_autofree char *what = g_strdup_printf (_("the rule set’s parameter %s"), params[i].name);
        g_autofree char *value_a = g_strdup_printf ("%d", params[i].a);
        g_autofree char *value_b = g_strdup_printf ("%d", params[i].b);

        return incompatible (first, other, what, value_a, value_b, error);
      }
  if (!g_str_equal (a->age_scheme, b->age_scheme))
    return incompatible (first, other, _("the scheme of the age bands"), a->age_scheme, b->age_scheme, error);
  if (g_str_equal (a->study_id, b->study_id))
    {
      g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_DUPLICATE,
                   _("%s and %s are both of the study “%s”: a study is pooled once, from one package"),
                   first->name, other->name, a->study_name);
      return FALSE;
    }
  if (g_str_equal (first->tag, other->tag))
    {
      g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_DUPLICATE,
                   _("%s and %s are of two studies whose short codes are the same (%s); they cannot be kept "
                     "apart in one pool"), first->name, other->name, first->tag);
      return FALSE;
    }
  return TRUE;
}

/* Reading the tables */

static gboolean
table_error (GError     **error,
             const char  *package,
             const char  *file,
             guint        line,
             guint        column,
             const char  *format,
             ...) G_GNUC_PRINTF (6, 7);

static gboolean
table_error (GError     **error,
             const char  *package,
             const char  *file,
             guint        line,
             guint        column,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (column > 0)
    g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_TABLE, "%s: %s:%u:%u: %s", package, file, line, column, message);
  else
    g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_TABLE, "%s: %s:%u: %s", package, file, line, message);
  return FALSE;
}

static gboolean
csv_next (VwCsvReader  *reader,
          const char   *package,
          const char   *file,
          gboolean     *more,
          GError      **error)
{
  g_autoptr(GError) local = NULL;

  *more = vw_csv_reader_next (reader, &local);
  if (local != NULL)
    {
      guint line = 0, column = 0;
      const char *problem = vw_csv_reader_get_problem (reader, &line, &column);

      return table_error (error, package, file, line, column, "%s", problem ? problem : local->message);
    }
  return TRUE;
}

static gboolean
is_export_id (const char *value)
{
  if (strlen (value) != 16)
    return FALSE;
  for (guint i = 0; i < 16; i++)
    if (!g_ascii_isdigit (value[i]) && (value[i] < 'a' || value[i] > 'f'))
      return FALSE;
  return TRUE;
}

/* Whether @value can stand in @column, as the export writes it. */
static gboolean
cell_is_valid (const VwExportColumn *column,
               const char           *value)
{
  if (*value == '\0')
    return !g_str_equal (column->name, "export_id") && !g_str_equal (column->name, "n_interviews") &&
           !g_str_equal (column->name, "round") && !g_str_equal (column->name, "status");
  switch (column->kind)
    {
    case VW_EXPORT_COLUMN_CODED:
      return vw_export_column_number (column, value) > 0;
    case VW_EXPORT_COLUMN_INTEGER:
      return strlen (value) <= 2 && g_ascii_isdigit (value[0]) && (value[1] == '\0' || g_ascii_isdigit (value[1]));
    case VW_EXPORT_COLUMN_STRING:
    default:
      if (g_str_equal (column->name, "export_id"))
        return is_export_id (value);
      if (g_str_has_prefix (column->name, "month"))
        {
          VwMonth month;
          return strlen (value) == 7 && vw_month_parse (value, &month);
        }
      if (g_str_equal (column->name, "round"))
        {
          guint round;
          return vw_round_parse (value, &round);
        }
      return FALSE;
    }
}

/* The rounds of a wide table's header: after the participant columns,
 * groups of the round variables, each suffixed _Tn, rounds rising. */
static gboolean
read_wide_header (Source       *source,
                  VwCsvReader  *reader,
                  GError      **error)
{
  guint n = vw_csv_reader_get_n_fields (reader);

  for (guint c = 0; c < N_PARTICIPANT_COLUMNS; c++)
    if (c >= n || !g_str_equal (vw_csv_reader_get_field (reader, c), participant_columns[c]))
      return table_error (error, source->name, WIDE_CSV, 1, c + 1,
                          _("the column should be “%s”: this is not the wide table of an export"),
                          participant_columns[c]);
  if ((n - N_PARTICIPANT_COLUMNS) % N_ROUND_VARIABLES != 0)
    return table_error (error, source->name, WIDE_CSV, 1, n, _("the round columns are incomplete"));

  for (guint c = N_PARTICIPANT_COLUMNS; c < n; c += N_ROUND_VARIABLES)
    {
      const char *first = vw_csv_reader_get_field (reader, c);
      guint round;
      char buf[16];

      if (!g_str_has_prefix (first, "status_") || !vw_round_parse (first + strlen ("status_"), &round) ||
          (source->rounds->len > 0 && round <= g_array_index (source->rounds, guint, source->rounds->len - 1)))
        return table_error (error, source->name, WIDE_CSV, 1, c + 1,
                            _("expected the first column of a later round (status_Tn)"));
      for (guint v = 0; v < N_ROUND_VARIABLES; v++)
        {
          g_autofree char *name = g_strdup_printf ("%s_%s", vw_export_round_variables[v],
                                                   vw_round_format (round, buf));

          if (!g_str_equal (vw_csv_reader_get_field (reader, c + v), name))
            return table_error (error, source->name, WIDE_CSV, 1, c + v + 1, _("the column should be “%s”"), name);
        }
      g_array_append_val (source->rounds, round);
    }
  return TRUE;
}

static int
round_index (GArray *rounds,
             guint   round)
{
  for (guint i = 0; i < rounds->len; i++)
    if (g_array_index (rounds, guint, i) == round)
      return i;
  return -1;
}

static gboolean
region_is_named (const VwPackageManifest *manifest,
                 const char              *region)
{
  return g_strv_contains ((const char * const *) manifest->regions, region);
}

/* The wide table's rows, appended to the pooled wide table. */
static gboolean
read_wide_rows (VwPool       *self,
                guint         s,
                VwCsvReader  *reader,
                GHashTable   *ids,
                GError      **error)
{
  Source *source = &g_array_index (self->sources, Source, s);
  VwExportTable *wide = self->wide;
  guint n_fields = vw_csv_reader_get_n_fields (reader);
  g_autofree int *to_pooled = g_new (int, n_fields + 1);
  g_autofree const char **row = g_new0 (const char *, wide->columns->len + 1);
  const char *sole_region = g_strv_length (source->manifest->regions) == 1 ? source->manifest->regions[0] : NULL;
  int n_interviews_column = vw_export_table_find_column (wide, "n_interviews");
  gboolean more = TRUE;

  /* Where each of the package's columns goes. */
  for (guint c = 0; c < n_fields; c++)
    {
      to_pooled[c] = vw_export_table_find_column (wide, vw_csv_reader_get_field (reader, c));
      g_assert (to_pooled[c] >= 0);
    }

  source->first_row = vw_export_table_n_rows (wide);
  for (;;)
    {
      guint line, interviews = 0, n_interviews;
      g_autofree char *id = NULL;

      if (!csv_next (reader, source->name, WIDE_CSV, &more, error))
        return FALSE;
      if (!more)
        break;
      line = vw_csv_reader_get_line (reader);
      if (vw_csv_reader_get_n_fields (reader) != n_fields)
        return table_error (error, source->name, WIDE_CSV, line, 0, _("the row has %u fields, the header %u"),
                            vw_csv_reader_get_n_fields (reader), n_fields);

      memset (row, 0, sizeof (const char *) * wide->columns->len);
      for (guint c = 0; c < n_fields; c++)
        {
          const VwExportColumn *column = g_ptr_array_index (wide->columns, to_pooled[c]);
          const char *value = vw_csv_reader_get_field (reader, c);

          if (!cell_is_valid (column, value))
            return table_error (error, source->name, WIDE_CSV, line, c + 1,
                                _("“%.40s” is not a value the column “%s” can hold"), value, column->name);
          row[to_pooled[c]] = vw_export_table_intern (wide, value);
          if (g_str_has_prefix (column->name, "status_") && g_strcmp0 (value, "interviewed") == 0)
            interviews++;
        }

      id = g_strdup (row[0]);
      if (!g_hash_table_add (ids, g_strdup (id)))
        return table_error (error, source->name, WIDE_CSV, line, 1, _("the export id %s is on an earlier row too"),
                            id);
      n_interviews = atoi (row[n_interviews_column]);
      if (n_interviews != interviews)
        return table_error (error, source->name, WIDE_CSV, line, 9,
                            _("n_interviews is %u, but the row has %u rounds with status interviewed"), n_interviews,
                            interviews);
      /* The region: one the manifest names; a blank, in a package of one
       * region, is that region (the manifest says so anyway). */
      if (row[2] != NULL && !region_is_named (source->manifest, row[2]))
        return table_error (error, source->name, WIDE_CSV, line, 2,
                            _("the region %s is not one of the study’s regions that the manifest names"), row[2]);
      if (row[2] == NULL && sole_region != NULL)
        row[2] = vw_export_table_intern (wide, sole_region);
      {
        g_autofree char *pooled_id = g_strconcat (source->tag, "-", id, NULL);

        row[0] = vw_export_table_intern (wide, pooled_id);
        row[1] = vw_export_table_intern (wide, source->tag);
      }
      for (guint c = 0; c < wide->columns->len; c++)
        g_ptr_array_add (wide->cells, (gpointer) row[c]);
      {
        guint owner = vw_export_table_n_rows (wide) - 1;
        g_array_append_val (wide->owners, owner);
        g_array_append_val (self->row_source, s);
      }
    }
  source->n_rows = vw_export_table_n_rows (wide) - source->first_row;
  if (source->n_rows != source->manifest->released)
    return table_error (error, source->name, WIDE_CSV, 1, 0,
                        _("the table holds %u participants, but the manifest says %u were released"),
                        source->n_rows, source->manifest->released);
  return TRUE;
}

/* The long table: each row must be what the wide table says of that
 * participant in that round, and each round with a status must have its
 * row. */
static gboolean
read_long_rows (VwPool       *self,
                guint         s,
                VwCsvReader  *reader,
                GHashTable   *ids,
                GError      **error)
{
  Source *source = &g_array_index (self->sources, Source, s);
  VwExportTable *wide = self->wide;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree guint8 *seen = NULL;
  g_autoptr(VwExportTable) schema = vw_export_table_new ("trajectories_long");
  int wide_column[N_LONG_COLUMNS];
  int status_columns[100];
  g_autofree int *round_columns = NULL;
  gboolean more = TRUE;

  if (vw_csv_reader_get_n_fields (reader) != N_LONG_COLUMNS)
    return table_error (error, source->name, LONG_CSV, 1, 0, _("this is not the long table of an export"));
  for (guint c = 0; c < N_LONG_COLUMNS; c++)
    {
      if (!g_str_equal (vw_csv_reader_get_field (reader, c), long_columns[c]))
        return table_error (error, source->name, LONG_CSV, 1, c + 1, _("the column should be “%s”"),
                            long_columns[c]);
      vw_export_table_add_column (schema, long_columns[c], self->age_scheme, G_MAXUINT);
      wide_column[c] = vw_export_table_find_column (wide, long_columns[c]);
    }
  /* The wide table's column of each round variable in each round, looked
   * up once rather than for every cell of the long table. */
  round_columns = g_new (int, (gsize) source->rounds->len * N_ROUND_VARIABLES + 1);
  for (guint r = 0; r < source->rounds->len; r++)
    {
      char buf[16];
      g_autofree char *name = g_strdup_printf ("status_%s",
                                               vw_round_format (g_array_index (source->rounds, guint, r), buf));
      status_columns[r] = vw_export_table_find_column (wide, name);
      for (guint v = 0; v < N_ROUND_VARIABLES; v++)
        {
          g_autofree char *variable = g_strdup_printf ("%s_%s", long_columns[5 + v], buf);

          round_columns[r * N_ROUND_VARIABLES + v] = vw_export_table_find_column (wide, variable);
        }
    }

  for (guint i = 0; i < source->n_rows; i++)
    g_hash_table_insert (by_id, g_strdup (vw_export_table_get (wide, source->first_row + i, 0) + TAG_CHARS + 1),
                         GUINT_TO_POINTER (source->first_row + i + 1));
  seen = g_malloc0 ((gsize) source->n_rows * source->rounds->len + 1);

  for (;;)
    {
      guint line, wide_row, round;
      int r;

      if (!csv_next (reader, source->name, LONG_CSV, &more, error))
        return FALSE;
      if (!more)
        break;
      line = vw_csv_reader_get_line (reader);
      if (vw_csv_reader_get_n_fields (reader) != N_LONG_COLUMNS)
        return table_error (error, source->name, LONG_CSV, line, 0, _("the row has %u fields, the header %u"),
                            vw_csv_reader_get_n_fields (reader), N_LONG_COLUMNS);
      for (guint c = 0; c < N_LONG_COLUMNS; c++)
        if (!cell_is_valid (g_ptr_array_index (schema->columns, c), vw_csv_reader_get_field (reader, c)))
          return table_error (error, source->name, LONG_CSV, line, c + 1,
                              _("“%.40s” is not a value the column “%s” can hold"), vw_csv_reader_get_field (reader, c),
                              long_columns[c]);

      wide_row = GPOINTER_TO_UINT (g_hash_table_lookup (by_id, vw_csv_reader_get_field (reader, 0)));
      if (wide_row-- == 0)
        return table_error (error, source->name, LONG_CSV, line, 1, _("the export id is not in %s"), WIDE_CSV);
      vw_round_parse (vw_csv_reader_get_field (reader, 4), &round);
      if ((r = round_index (source->rounds, round)) < 0)
        return table_error (error, source->name, LONG_CSV, line, 5, _("the round is not one of %s"), WIDE_CSV);
      if (seen[(wide_row - source->first_row) * source->rounds->len + r]++)
        return table_error (error, source->name, LONG_CSV, line, 5, _("the participant has a row for this round "
                                                                      "already"));

      for (guint c = 1; c < N_LONG_COLUMNS; c++)
        {
          const char *value = vw_csv_reader_get_field (reader, c);
          const char *expected;

          if (c == 4)
            continue;
          if (c >= 5 && c < 5 + N_ROUND_VARIABLES)
            {
              /* A round variable: its column of that round in the wide table. */
              expected = vw_export_table_get (wide, wide_row, round_columns[r * N_ROUND_VARIABLES + c - 5]);
            }
          else if (c == 1)
            {
              /* The region as the package wrote it; the wide row may have
               * had a blank filled in from the manifest. */
              expected = vw_export_table_get (wide, wide_row, wide_column[c]);
              if (*value == '\0' && g_strv_length (source->manifest->regions) == 1)
                continue;
            }
          else
            expected = vw_export_table_get (wide, wide_row, wide_column[c]);
          if (g_strcmp0 (expected ? expected : "", value) != 0)
            return table_error (error, source->name, LONG_CSV, line, c + 1,
                                _("the value differs from the participant’s in %s"), WIDE_CSV);
        }
    }

  for (guint i = 0; i < source->n_rows; i++)
    for (guint r = 0; r < source->rounds->len; r++)
      if (!seen[i * source->rounds->len + r] && vw_export_table_get (wide, source->first_row + i, status_columns[r]))
        {
          char buf[16];
          return table_error (error, source->name, LONG_CSV, 1, 0,
                              _("the participant of %s line %u has no row for %s"), WIDE_CSV, i + 2,
                              vw_round_format (g_array_index (source->rounds, guint, r), buf));
        }
  return TRUE;
}

static gboolean
read_source (VwPool       *self,
             guint         s,
             GError      **error)
{
  Source *source = &g_array_index (self->sources, Source, s);
  GBytes *wide_bytes = vw_package_get_file (source->package, WIDE_CSV);
  GBytes *long_bytes = vw_package_get_file (source->package, LONG_CSV);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(VwCsvReader) reader = NULL;
  gboolean more;
  gsize len;
  const char *data;

  data = g_bytes_get_data (wide_bytes, &len);
  reader = vw_csv_reader_new (WIDE_CSV, data ? data : "", len);
  if (!csv_next (reader, source->name, WIDE_CSV, &more, error))
    return FALSE;
  if (!more)
    return table_error (error, source->name, WIDE_CSV, 1, 0, _("the file is empty"));
  if (!read_wide_rows (self, s, reader, ids, error))
    return FALSE;
  g_clear_pointer (&reader, vw_csv_reader_free);

  data = g_bytes_get_data (long_bytes, &len);
  reader = vw_csv_reader_new (LONG_CSV, data ? data : "", len);
  if (!csv_next (reader, source->name, LONG_CSV, &more, error))
    return FALSE;
  if (!more)
    return table_error (error, source->name, LONG_CSV, 1, 0, _("the file is empty"));
  return read_long_rows (self, s, reader, ids, error);
}

/* Pooled tables */

static void
add_head_columns (VwExportTable *table,
                  const char    *age_scheme)
{
  vw_export_table_add_column (table, "export_id", NULL, G_MAXUINT);
  vw_export_table_add_column (table, "study", NULL, G_MAXUINT);
  vw_export_table_add_column (table, "region", NULL, G_MAXUINT);
  vw_export_table_add_column (table, "origin", NULL, G_MAXUINT);
  vw_export_table_add_column (table, "age_band", age_scheme, G_MAXUINT);
}

static VwExportTable *
new_wide (VwPool *self)
{
  VwExportTable *wide = vw_export_table_new ("trajectories_wide");

  add_head_columns (wide, self->age_scheme);
  for (guint c = 4; c < N_PARTICIPANT_COLUMNS; c++)
    vw_export_table_add_column (wide, participant_columns[c], self->age_scheme, G_MAXUINT);
  for (guint r = 0; r < self->rounds->len; r++)
    for (guint v = 0; vw_export_round_variables[v] != NULL; v++)
      vw_export_table_add_column (wide, vw_export_round_variables[v], NULL, g_array_index (self->rounds, guint, r));
  return wide;
}

/* The long table of the released participants, from the wide one: a row
 * per round with a status, so that a blank in the wide table is a blank
 * in the long one. */
static VwExportTable *
build_long (VwPool *self)
{
  VwExportTable *wide = self->wide;
  VwExportTable *table = vw_export_table_new ("trajectories_long");
  guint n_rows = vw_export_table_n_rows (wide);
  g_autofree int *from_wide = NULL;
  guint n_columns;

  add_head_columns (table, self->age_scheme);
  vw_export_table_add_column (table, "round", NULL, G_MAXUINT);
  for (guint v = 0; vw_export_round_variables[v] != NULL; v++)
    vw_export_table_add_column (table, vw_export_round_variables[v], NULL, G_MAXUINT);
  for (guint c = 4; c < N_PARTICIPANT_COLUMNS; c++)
    if (!g_str_equal (participant_columns[c], "n_interviews"))
      vw_export_table_add_column (table, participant_columns[c], NULL, G_MAXUINT);
  n_columns = table->columns->len;

  /* The wide column of each long column that is not a round variable. */
  from_wide = g_new0 (int, n_columns);
  for (guint c = 0; c < n_columns; c++)
    from_wide[c] = vw_export_table_find_column (wide, ((VwExportColumn *) g_ptr_array_index (table->columns, c))->name);

  for (guint row = 0; row < n_rows; row++)
    for (guint r = 0; r < self->rounds->len; r++)
      {
        guint round = g_array_index (self->rounds, guint, r);
        guint first = POOLED_HEAD + r * N_ROUND_VARIABLES;
        char buf[16];

        if (vw_export_table_get (wide, row, first) == NULL)
          continue;
        for (guint c = 0; c < n_columns; c++)
          {
            if (c == 5)
              vw_export_table_add_cell (table, vw_round_format (round, buf));
            else if (c > 5 && c <= 5 + N_ROUND_VARIABLES)
              vw_export_table_add_cell (table, vw_export_table_get (wide, row, first + c - 6));
            else
              vw_export_table_add_cell (table, vw_export_table_get (wide, row, from_wide[c]));
          }
        g_array_append_val (table->owners, row);
      }
  return table;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/**
 * vw_pool_new:
 * @packages: (element-type VwPackage): verified packages, in the order
 *   their participants are written
 *
 * Returns: (transfer full): the pool, ready to write, or %NULL with
 *   @error naming the package and the reason
 */
VwPool *
vw_pool_new (GPtrArray            *packages,
             const VwPoolOptions  *options,
             GError              **error)
{
  g_autoptr(VwPool) self = g_new0 (VwPool, 1);
  g_autoptr(GPtrArray) quasi = g_ptr_array_new_with_free_func (g_free);
  static const char * const defaults[] = { "study", "region", "origin", "age_band", NULL };
  guint k = options->k;

  self->options = *options;
  self->language = g_strdup (options->language ? options->language : "nl");
  self->options.language = self->language;
  self->options.quasi = NULL;
  self->options.formats = options->formats ? options->formats
                                           : VW_EXPORT_FORMAT_CSV | VW_EXPORT_FORMAT_SAV | VW_EXPORT_FORMAT_DTA;
  self->report = g_string_new (NULL);
  self->sources = g_array_new (FALSE, TRUE, sizeof (Source));
  g_array_set_clear_func (self->sources, (GDestroyNotify) source_clear);
  self->rounds = g_array_new (FALSE, FALSE, sizeof (guint));
  self->row_source = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!g_str_equal (self->language, "nl") && !g_str_equal (self->language, "en"))
    {
      g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_INVALID, _("“%s” is not a label language: use nl or en"),
                   self->language);
      return NULL;
    }
  if (self->options.formats & VW_EXPORT_FORMAT_QDPX)
    {
      g_set_error_literal (error, VW_POOL_ERROR, VW_POOL_ERROR_INVALID,
                           _("A pool holds no quotes: its formats are csv, sav and dta"));
      return NULL;
    }
  if (packages->len == 0)
    {
      g_set_error_literal (error, VW_POOL_ERROR, VW_POOL_ERROR_INVALID, _("Give at least one package to pool"));
      return NULL;
    }

  for (guint i = 0; i < packages->len; i++)
    {
      Source source = { 0 };
      g_autofree char *hash = NULL;

      source.package = g_ptr_array_index (packages, i);
      source.manifest = vw_package_get_manifest (source.package);
      source.name = vw_package_get_name (source.package);
      source.rounds = g_array_new (FALSE, FALSE, sizeof (guint));
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, source.manifest->study_id, -1);
      memcpy (source.tag, hash, TAG_CHARS);
      g_array_append_val (self->sources, source);
      if (vw_package_get_file (source.package, WIDE_CSV) == NULL ||
          vw_package_get_file (source.package, LONG_CSV) == NULL)
        {
          g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_TABLE,
                       _("%s has no %s and %s: only a package with the CSV format can be pooled "
                         "(export it with --format csv and the others)"), source.name, LONG_CSV, WIDE_CSV);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (!check_compatible (&g_array_index (self->sources, Source, j), &g_array_index (self->sources, Source, i),
                               error))
          return NULL;
      k = MAX (k, source.manifest->k);
    }
  {
    const VwPackageManifest *first = g_array_index (self->sources, Source, 0).manifest;

    self->rules = first->rules;
    self->params = first->params;
    self->age_scheme = g_strdup (first->age_scheme);
  }

  /* Every round of every package. */
  for (guint s = 0; s < self->sources->len; s++)
    {
      Source *source = &g_array_index (self->sources, Source, s);
      g_autoptr(VwCsvReader) reader = NULL;
      gboolean more;
      gsize len;
      const char *data = g_bytes_get_data (vw_package_get_file (source->package, WIDE_CSV), &len);

      /* An empty file's bytes have no data at all. */
      reader = vw_csv_reader_new (WIDE_CSV, data ? data : "", len);
      if (!csv_next (reader, source->name, WIDE_CSV, &more, error))
        return NULL;
      if (!more)
        {
          table_error (error, source->name, WIDE_CSV, 1, 0, _("the file is empty"));
          return NULL;
        }
      if (!read_wide_header (source, reader, error))
        return NULL;
      for (guint r = 0; r < source->rounds->len; r++)
        if (round_index (self->rounds, g_array_index (source->rounds, guint, r)) < 0)
          g_array_append_val (self->rounds, g_array_index (source->rounds, guint, r));
    }
  g_array_sort (self->rounds, compare_uint);

  self->wide = new_wide (self);
  for (guint s = 0; s < self->sources->len; s++)
    if (!read_source (self, s, error))
      return NULL;
  self->n_participants = vw_export_table_n_rows (self->wide);

  /* The same rule on the pooled data, with every package's
   * quasi-identifiers and the largest k. */
  for (guint i = 0; defaults[i] != NULL; i++)
    g_ptr_array_add (quasi, g_strdup (defaults[i]));
  for (guint s = 0; s < self->sources->len; s++)
    {
      const Source *source = &g_array_index (self->sources, Source, s);

      for (guint q = 0; source->manifest->quasi[q] != NULL; q++)
        {
          const char *name = source->manifest->quasi[q];

          if (g_strv_contains (defaults, name) || g_ptr_array_find_with_equal_func (quasi, name, g_str_equal, NULL))
            continue;
          if (vw_export_table_find_column (self->wide, name) <= 0)
            {
              g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_TABLE,
                           _("%s names the quasi-identifier “%s”, which its tables do not have"), source->name,
                           name);
              return NULL;
            }
          g_ptr_array_add (quasi, g_strdup (name));
        }
    }
  for (guint q = 0; options->quasi != NULL && options->quasi[q] != NULL; q++)
    if (!g_ptr_array_find_with_equal_func (quasi, options->quasi[q], g_str_equal, NULL))
      g_ptr_array_add (quasi, g_strdup (options->quasi[q]));
  if (quasi->len > VW_EXPORT_MAX_QUASI)
    {
      g_set_error (error, VW_POOL_ERROR, VW_POOL_ERROR_INVALID, _("At most %d quasi-identifiers can be checked"),
                   VW_EXPORT_MAX_QUASI);
      return NULL;
    }
  g_ptr_array_add (quasi, NULL);
  self->quasi = (GStrv) g_ptr_array_steal (quasi, NULL);
  self->options.k = k = MAX (k, 1);

  for (guint s = 0; s < self->sources->len; s++)
    {
      const Source *source = &g_array_index (self->sources, Source, s);
      g_autofree char *regions = g_strjoinv (", ", source->manifest->regions);
      g_autofree char *signer = vw_package_format_key (source->manifest->signer);

      g_string_append_printf (self->report, _("%s: study “%s” (%s), code %s, %u participants; signed by %s (%s)\n"),
                              source->name, source->manifest->study_name, regions, source->tag, source->n_rows,
                              vw_package_get_signer_label (source->package), signer);
    }
  if (options->k != 0 && options->k < k)
    g_string_append_printf (self->report, _("k is raised to %u, the largest k of the packages.\n"), k);

  self->disclosure = vw_disclosure_run (self->wide, (const char * const *) self->quasi, k, options->rare,
                                        self->report, error);
  if (self->disclosure == NULL)
    return NULL;
  /* Drop the suppressed rows, and their sources. */
  {
    guint out = 0;

    for (guint i = 0; i < self->disclosure->n_rows; i++)
      if (!self->disclosure->suppressed[i])
        g_array_index (self->row_source, guint, out++) = g_array_index (self->row_source, guint, i);
    g_array_set_size (self->row_source, out);
  }
  vw_disclosure_drop_suppressed (self->disclosure, self->wide);
  return g_steal_pointer (&self);
}

char *
vw_pool_get_report (VwPool *self)
{
  return g_strdup (self->report->str);
}

guint
vw_pool_get_n_participants (VwPool *self)
{
  return self->n_participants;
}

guint
vw_pool_get_n_released (VwPool *self)
{
  return vw_export_table_n_rows (self->wide);
}

guint
vw_pool_get_k (VwPool *self)
{
  return self->options.k;
}

guint
vw_pool_get_smallest_group (VwPool *self)
{
  return self->disclosure->smallest_group;
}

/* Comparison tables: records counted from the released rows */

/* A participant code for the @index-th row: the records that the tables
 * are counted from need one, and it never leaves memory. */
static void
synthetic_code (guint index,
                char  code[12])
{
  static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  g_snprintf (code, 12, "PL-%c%c%c%c%c", digits[(index >> 20) & 31], digits[(index >> 15) & 31],
              digits[(index >> 10) & 31], digits[(index >> 5) & 31], digits[index & 31]);
}

/* Round variables in the records' rounds.csv order, as the pooled wide
 * table holds them: status, date (made up from the round: the tables never
 * read it), residence, residence_since, participation, ... */
static VwRecords *
records_for_rows (VwPool            *self,
                  const guint       *rows,
                  guint              n_rows,
                  VwClassification **classification,
                  GError           **error)
{
  g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();
  g_autoptr(VwRecords) records = NULL;
  g_autoptr(VwClassification) own = NULL;
  const char *any_region = vw_code_get_code (vw_code_list_get_code (
    vw_codebook_get_code_list (vw_codebook_get_core (), "region"), 0));
  int final = vw_export_table_find_column (self->wide, "trajectory_final");
  int final_subtype = vw_export_table_find_column (self->wide, "trajectory_final_subtype");
  /* Round variable -> its place in rounds.csv (-1: not a records column). */
  static const int to_records[N_ROUND_VARIABLES] = { 2, -1, 4, -1, 6, -1, -1, 7, 8, 9, 10, 11 };

  for (guint i = 0; i < n_rows; i++)
    {
      const char *values[VW_RECORDS_MAX_COLUMNS] = { NULL };
      char code[12], pseudonym[16];

      synthetic_code (i, code);
      g_snprintf (pseudonym, sizeof pseudonym, "p%u", i);
      values[0] = code;
      values[1] = pseudonym;
      values[2] = vw_export_table_get (self->wide, rows[i], 2) ? vw_export_table_get (self->wide, rows[i], 2)
                                                                : any_region;
      vw_records_builder_add_row (builder, VW_RECORDS_PARTICIPANTS, values, 0);

      for (guint r = 0; r < self->rounds->len; r++)
        {
          guint round = g_array_index (self->rounds, guint, r);
          guint first = POOLED_HEAD + r * N_ROUND_VARIABLES;
          char round_buf[16], date[16];

          if (vw_export_table_get (self->wide, rows[i], first) == NULL)
            continue;
          memset (values, 0, sizeof values);
          values[0] = code;
          values[1] = vw_round_format (round, round_buf);
          for (guint v = 0; v < N_ROUND_VARIABLES; v++)
            if (to_records[v] >= 0)
              values[to_records[v]] = vw_export_table_get (self->wide, rows[i], first + v);
          if (g_strcmp0 (values[2], "interviewed") == 0)
            {
              g_snprintf (date, sizeof date, "%04u-01-01", 2000 + round);
              values[3] = date;
            }
          vw_records_builder_add_row (builder, VW_RECORDS_ROUNDS, values, 0);
        }
    }
  records = vw_records_builder_end (builder, NULL, error);
  if (records == NULL)
    return NULL;

  /* The final types of the packages, which their tables were counted
   * with; a blanked type is one nobody can classify from the files. */
  own = vw_classification_new (records, self->rules, &self->params);
  for (guint i = 0; i < n_rows; i++)
    {
      const char *type = vw_export_table_get (self->wide, rows[i], final);
      const char *subtype = vw_export_table_get (self->wide, rows[i], final_subtype);
      char code[12];

      synthetic_code (i, code);
      if (type == NULL)
        {
          type = vw_trajectory_type_to_string (VW_TRAJECTORY_NIET_TE_CLASSIFICEREN);
          subtype = NULL;
        }
      if (!vw_classification_set_override (own, code, type, subtype, "pooled package", error))
        {
          g_prefix_error (error, _("A package’s trajectory type cannot be counted: "));
          return NULL;
        }
    }
  *classification = g_steal_pointer (&own);
  return g_steal_pointer (&records);
}

/* The region a row counts under: its own, or its study's only region
 * (which the study column gives away anyway). */
static const char *
row_region (VwPool *self,
            guint   row)
{
  const char *region = vw_export_table_get (self->wide, row, 2);
  const Source *source;

  if (region != NULL)
    return region;
  source = &g_array_index (self->sources, Source, g_array_index (self->row_source, guint, row));
  return g_strv_length (source->manifest->regions) == 1 ? source->manifest->regions[0] : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
add_column (VwPool        *self,
            VwComparison  *comparison,
            const char    *key,
            const char    *label,
            GArray        *rows,
            GError       **error)
{
  g_autoptr(VwClassification) classification = NULL;
  g_autoptr(VwRecords) records = records_for_rows (self, (const guint *) (gpointer) rows->data, rows->len,
                                                   &classification, error);

  if (records == NULL)
    return FALSE;
  vw_comparison_add_column (comparison, key, label, records, classification);
  return vw_comparison_add_tables (comparison, error);
}

VwComparison *
vw_pool_build_comparison (VwPool  *self,
                          GError **error)
{
  g_autoptr(VwComparison) comparison = vw_comparison_new (self->rules, &self->params,
                                                          (const guint *) (gpointer) self->rounds->data,
                                                          self->rounds->len);
  g_autoptr(GPtrArray) regions = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_rows = vw_export_table_n_rows (self->wide);
  const VwCodeList *list = vw_codebook_get_code_list (vw_codebook_get_core (), "region");
  const char *language = g_str_has_prefix (g_get_language_names ()[0], "nl") ? "nl" : "en";

  for (guint i = 0; i < n_rows; i++)
    {
      const char *region = row_region (self, i);

      g_array_append_val (all, i);
      if (region == NULL)
        g_array_append_val (unknown, i);
      else if (g_hash_table_add (seen, (gpointer) region))
        g_ptr_array_add (regions, (gpointer) region);
    }
  g_ptr_array_sort (regions, compare_strings);

  for (guint g = 0; g < regions->len; g++)
    {
      const char *region = g_ptr_array_index (regions, g);
      const VwCode *code = vw_code_list_lookup (list, region);
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < n_rows; i++)
        if (g_strcmp0 (row_region (self, i), region) == 0)
          g_array_append_val (rows, i);
      if (!add_column (self, comparison, region, code ? vw_code_get_label (code, language) : region, rows, error))
        return NULL;
    }
  if (unknown->len > 0 &&
      !add_column (self, comparison, "unknown", _("Region not released"), unknown, error))
    return NULL;
  if (regions->len + (unknown->len > 0) > 1 &&
      !add_column (self, comparison, "pooled", _("All regions"), all, error))
    return NULL;
  return g_steal_pointer (&comparison);
}

/* Writing */

static GBytes *
manifest_json (VwPool    *self,
               GPtrArray *files)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  const VwDisclosure *dc = self->disclosure;
  char *text;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, VW_POOL_FORMAT_NAME);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, VW_POOL_FORMAT_VERSION);
  json_builder_set_member_name (builder, "app_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "codebook");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, vw_codebook_get_id (vw_codebook_get_core ()));
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, vw_codebook_get_version (vw_codebook_get_core ()));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "rules");
  json_builder_add_string_value (builder, vw_rule_set_to_string (self->rules));
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mo_long_months");
  json_builder_add_int_value (builder, self->params.mo_long_months);
  json_builder_set_member_name (builder, "bw_long_months");
  json_builder_add_int_value (builder, self->params.bw_long_months);
  json_builder_set_member_name (builder, "mo_flag_weeks");
  json_builder_add_int_value (builder, self->params.mo_flag_weeks);
  json_builder_set_member_name (builder, "bw_flag_months");
  json_builder_add_int_value (builder, self->params.bw_flag_months);
  json_builder_set_member_name (builder, "age_scheme");
  json_builder_add_string_value (builder, self->age_scheme);
  json_builder_set_member_name (builder, "label_language");
  json_builder_add_string_value (builder, self->language);
  json_builder_end_object (builder);

  /* Where every participant came from: the study's code in the study
   * column and the export ids, and the package it was read from. */
  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  for (guint s = 0; s < self->sources->len; s++)
    {
      const Source *source = &g_array_index (self->sources, Source, s);
      const VwPackageManifest *m = source->manifest;
      g_autofree char *signer = vw_package_format_key (m->signer);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "study_code");
      json_builder_add_string_value (builder, source->tag);
      json_builder_set_member_name (builder, "study");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, m->study_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, m->study_name);
      json_builder_set_member_name (builder, "regions");
      json_builder_begin_array (builder);
      for (guint i = 0; m->regions[i] != NULL; i++)
        json_builder_add_string_value (builder, m->regions[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "questionnaires");
      json_builder_begin_array (builder);
      for (guint i = 0; m->questionnaires[i] != NULL; i++)
        json_builder_add_string_value (builder, m->questionnaires[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "signer");
      json_builder_add_string_value (builder, signer);
      json_builder_set_member_name (builder, "signer_label");
      json_builder_add_string_value (builder, vw_package_get_signer_label (source->package));
      json_builder_set_member_name (builder, "manifest_sha256");
      json_builder_add_string_value (builder, vw_package_get_manifest_sha256 (source->package));
      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, m->created);
      json_builder_set_member_name (builder, "k");
      json_builder_add_int_value (builder, m->k);
      json_builder_set_member_name (builder, "participants");
      json_builder_add_int_value (builder, source->n_rows);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "disclosure_control");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "k");
  json_builder_add_int_value (builder, self->options.k);
  json_builder_set_member_name (builder, "quasi_identifiers");
  json_builder_begin_array (builder);
  for (guint q = 0; self->quasi[q] != NULL; q++)
    json_builder_add_string_value (builder, self->quasi[q]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rare");
  json_builder_add_string_value (builder, self->options.rare == VW_EXPORT_RARE_SUPPRESS ? "suppress" : "generalize");
  json_builder_set_member_name (builder, "participants");
  json_builder_add_int_value (builder, self->n_participants);
  json_builder_set_member_name (builder, "generalized");
  json_builder_add_int_value (builder, dc->n_generalized);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, dc->n_suppressed);
  json_builder_set_member_name (builder, "released");
  json_builder_add_int_value (builder, self->n_participants - dc->n_suppressed);
  json_builder_set_member_name (builder, "groups");
  json_builder_add_int_value (builder, dc->n_groups);
  json_builder_set_member_name (builder, "smallest_group");
  json_builder_add_int_value (builder, dc->smallest_group);
  json_builder_end_object (builder);

  vw_export_manifest_add_files (builder, files);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* The table book's opening: what was pooled, and what disclosure control
 * did. */
static GStrv
book_intro (VwPool *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *quasi = g_strjoinv (", ", self->quasi);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *total = NULL;

  total = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Pooled on %s from %u package, signed by its region’s coordinator; rule "
                                        "set %s; age bands %s.",
                                        "Pooled on %s from %u packages, each signed by its region’s coordinator; "
                                        "rule set %s; age bands %s.",
                                        self->sources->len),
                           date, self->sources->len, vw_rule_set_to_string (self->rules), self->age_scheme);
  g_strv_builder_add (builder, total);
  for (guint s = 0; s < self->sources->len; s++)
    {
      const Source *source = &g_array_index (self->sources, Source, s);
      g_autofree char *regions = g_strjoinv (", ", source->manifest->regions);
      g_autofree char *line = g_strdup_printf (_("Study “%s” (%s, code %s): %u participants in its package, "
                                                 "signed by %s."),
                                               source->manifest->study_name, regions, source->tag, source->n_rows,
                                               vw_package_get_signer_label (source->package));

      g_strv_builder_add (builder, line);
    }
  {
    g_autofree char *line = g_strdup_printf (_("Counted: the %u participants released after disclosure control on "
                                               "the pooled data (k = %u on %s; %u left out, smallest group %u). "
                                               "Participants whom a package or the pool left out are in no table."),
                                             vw_pool_get_n_released (self), self->options.k, quasi,
                                             self->disclosure->n_suppressed, self->disclosure->smallest_group);
    g_strv_builder_add (builder, line);
  }
  return g_strv_builder_end (builder);
}

gboolean
vw_pool_write (VwPool        *self,
               const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_export_file_free);
  g_autoptr(VwExportTable) long_table = NULL;
  VwExportFormats formats = self->options.formats;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_EXISTS,
                   _("“%s” already exists; choose a new name for the pool"), path);
      return FALSE;
    }

  /* The tables and the book first: their records are freed before the
   * data files take their room. */
  if (self->options.tables || self->options.book)
    {
      g_autoptr(VwComparison) comparison = vw_pool_build_comparison (self, error);

      if (comparison == NULL)
        return FALSE;
      if (self->options.tables)
        {
          GPtrArray *tables = vw_comparison_get_tables (comparison);

          for (guint t = 0; t < tables->len; t++)
            {
              const VwComparisonTable *table = g_ptr_array_index (tables, t);
              g_autofree char *name = g_strconcat ("table_", table->id, ".csv", NULL);
              char *csv = vw_comparison_table_to_csv (comparison, table);

              vw_export_files_add (files, name, g_bytes_new_take (csv, strlen (csv)));
            }
        }
      if (self->options.book)
        {
          g_auto(GStrv) intro = book_intro (self);
          g_autoptr(VwTableBook) book = NULL;
          GBytes *pdf;

          book = vw_table_book_new_from_comparison (comparison, _("Pooled regions"), (const char * const *) intro,
                                                    self->language);
          pdf = vw_table_book_to_pdf (book, error);
          if (pdf == NULL)
            return FALSE;
          vw_export_files_add (files, g_str_equal (self->language, "en") ? "table-book.pdf" : "tabellenboek.pdf",
                               pdf);
        }
    }

  long_table = build_long (self);
  if (formats & VW_EXPORT_FORMAT_CSV)
    {
      const VwExportTable *tables[] = { long_table, self->wide };

      vw_export_files_add (files, "trajectories_long.csv", vw_export_table_to_csv (long_table));
      vw_export_files_add (files, "trajectories_wide.csv", vw_export_table_to_csv (self->wide));
      vw_export_files_add (files, "codebook.csv", vw_export_codebook_csv (tables, G_N_ELEMENTS (tables)));
      vw_export_files_add (files, "veldwerk_labels.R",
                           g_resource_lookup_data (vw_core_get_resource (), VW_RESOURCE_EXPORT_R_SCRIPT,
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL));
    }
  for (guint f = 0; f < 2; f++)
    {
      gboolean stata = f == 1;
      const VwExportTable *tables[] = { long_table, self->wide };

      if (!(formats & (stata ? VW_EXPORT_FORMAT_DTA : VW_EXPORT_FORMAT_SAV)))
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          g_autofree char *name = g_strconcat (tables[t]->name, stata ? ".dta" : ".sav", NULL);
          GBytes *bytes = vw_export_write_stats (tables[t], stata, self->language, error);

          if (bytes == NULL)
            return FALSE;
          vw_export_files_add (files, name, bytes);
        }
    }
  vw_export_files_add (files, "manifest.json", manifest_json (self, files));
  return vw_export_write_folder (files, path, cancellable, error);
}
