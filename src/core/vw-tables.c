/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stddef.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-csv.h"
#include "vw-tables-private.h"

/* Round numbers are at most 99 (vw_round_parse). */
#define MAX_ROUNDS 100

G_DEFINE_QUARK (vw-table-error-quark, vw_table_error)

static const char * const table_names[] = {
  "attendance",
  "rounds_attended",
  "trajectories",
  "participation",
  "participation_by_residence",
  "debts_by_trajectory",
  "money_management_by_trajectory",
  "retention",
  NULL,
};

/* The rows of the roll-ups, in the order codebook section 7 lists them. */
static const char * const participation_dh_rows[] = {
  "werk", "dagbesteding", "vrijwilligerswerk", "geen", "onbekend",
};
static const char * const participation_fl_rows[] = {
  "betaald_werk", "vrijwilligerswerk", "dagbesteding", "opleiding", "geen", "onbekend",
};
static const char * const woonsituatie_columns[] = { "BW", "MO", "ZW", "overig" };

/* Returns: (array zero-terminated=1): every table's name */
const char * const *
vw_table_get_names (void)
{
  return table_names;
}

/* Rounded half up, in integers: n / d as a whole percentage. */
guint
vw_percent_round (guint64 n,
                  guint64 denominator)
{
  g_return_val_if_fail (denominator > 0, 0);

  return (n * 200 + denominator) / (denominator * 2);
}

/* The language of code labels in text tables: Dutch when the interface
 * is Dutch, else English, as the codebook has both. */
static const char *
label_language (void)
{
  const char * const *names = g_get_language_names ();

  return names[0] != NULL && g_str_has_prefix (names[0], "nl") ? "nl" : "en";
}

static const char *
code_label (const char *list,
            const char *code)
{
  const VwCode *c = vw_code_list_lookup (vw_codebook_get_code_list (vw_codebook_get_core (), list), code);

  return c != NULL ? vw_code_get_label (c, label_language ()) : code;
}

/* The table structure. */

VwTable *
vw_table_new (const char *name)
{
  VwTable *self = g_new0 (VwTable, 1);

  self->name = g_strdup (name);
  self->n_keys = 1;
  self->total_column = -1;
  self->rows = g_array_new (FALSE, TRUE, sizeof (VwTableRow));
  return self;
}

void
vw_table_free (VwTable *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      VwTableRow *row = &g_array_index (self->rows, VwTableRow, i);

      g_free (row->key);
      g_free (row->subkey);
      g_free (row->label);
      g_free (row->sublabel);
    }
  g_array_unref (self->rows);
  for (guint i = 0; i < G_N_ELEMENTS (self->key_labels); i++)
    g_free (self->key_labels[i]);
  for (guint i = 0; i < VW_TABLE_MAX_COUNTS; i++)
    g_free (self->count_labels[i]);
  g_free (self->name);
  g_free (self->title);
  g_free (self->note);
  g_free (self);
}

/* Returns: (transfer none): the new row, all counts 0, valid until the
 * next row is added */
VwTableRow *
vw_table_add_row (VwTable    *self,
                  const char *key,
                  const char *label)
{
  VwTableRow row = { 0 };

  row.key = g_strdup (key);
  row.label = g_strdup (label);
  row.parent = -1;
  g_array_append_val (self->rows, row);
  return &g_array_index (self->rows, VwTableRow, self->rows->len - 1);
}

static gboolean
sum_mismatch (VwTable     *self,
              const char  *what,
              gint64       parts,
              const char  *whole,
              gint64       total,
              GError     **error)
{
  /* A defect in the counting, never in the data: said plainly, for a
   * developer to fix, and nothing is printed. */
  g_set_error (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INTERNAL,
               "Internal error in the table %s: %s add up to %" G_GINT64_FORMAT
               ", but %s is %" G_GINT64_FORMAT "; please report this",
               self->name, what, parts, whole, total);
  return FALSE;
}

/**
 * vw_table_check:
 *
 * Checks that parts sum to totals: a total column to the other counts of
 * its row, the rows to the total row, the rows to the denominator, and
 * subtype rows to the row they split. The builders count totals and
 * denominators in passes of their own, so a check compares two countings.
 */
gboolean
vw_table_check (VwTable  *self,
                GError  **error)
{
  const VwTableRow *total_row = NULL;
  gint64 sums[VW_TABLE_MAX_COUNTS] = { 0 };
  gint64 first_sum = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const VwTableRow *row = &g_array_index (self->rows, VwTableRow, i);

      if (self->total_column >= 0 && row->counts[self->total_column] != VW_TABLE_EMPTY)
        {
          gint64 parts = 0;
          gboolean complete = TRUE;

          for (guint c = 0; c < self->n_counts; c++)
            if ((int) c != self->total_column && !(self->uncounted & (1u << c)))
              {
                complete = complete && row->counts[c] != VW_TABLE_EMPTY;
                parts += row->counts[c];
              }
          if (complete && parts != row->counts[self->total_column])
            {
              g_autofree char *what = g_strdup_printf ("the counts of the row “%s”", row->key);
              return sum_mismatch (self, what, parts, self->count_names[self->total_column],
                                   row->counts[self->total_column], error);
            }
        }

      if (row->is_total)
        {
          total_row = row;
          continue;
        }
      if (row->parent >= 0)
        continue;
      for (guint c = 0; c < self->n_counts; c++)
        sums[c] += row->counts[c];
      first_sum += row->counts[0];
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      const VwTableRow *row = &g_array_index (self->rows, VwTableRow, i);
      gint64 parts = 0;
      gboolean has_parts = FALSE;

      for (guint j = 0; j < self->rows->len; j++)
        {
          const VwTableRow *sub = &g_array_index (self->rows, VwTableRow, j);

          if (sub->parent == (int) i)
            {
              parts += sub->counts[0];
              has_parts = TRUE;
            }
        }
      if (has_parts && parts != row->counts[0])
        {
          g_autofree char *whole = g_strdup_printf ("the row “%s”", row->key);
          return sum_mismatch (self, "the subtype rows", parts, whole, row->counts[0], error);
        }
    }

  if (total_row != NULL)
    for (guint c = 0; c < self->n_counts; c++)
      if (total_row->counts[c] != VW_TABLE_EMPTY && sums[c] != total_row->counts[c])
        {
          g_autofree char *what = g_strdup_printf ("the rows of the column “%s”", self->count_names[c]);
          return sum_mismatch (self, what, sums[c], "the total row", total_row->counts[c], error);
        }

  if (self->parts_make_denominator && first_sum != self->denominator)
    return sum_mismatch (self, "the rows", first_sum, "the denominator", self->denominator, error);

  return TRUE;
}

const char *
vw_table_get_name (VwTable *self)
{
  return self->name;
}

const char *
vw_table_get_title (VwTable *self)
{
  return self->title;
}

/* Returns: the sentence that states the denominator */
const char *
vw_table_get_note (VwTable *self)
{
  return self->note;
}

guint
vw_table_get_denominator (VwTable *self)
{
  return self->denominator;
}

static void
set_counts (VwTable     *self,
            const char  *names[],
            const char  *labels[],
            guint        n)
{
  self->n_counts = n;
  for (guint i = 0; i < n; i++)
    {
      self->count_names[i] = names[i];
      self->count_labels[i] = g_strdup (labels[i]);
    }
}

static void
set_keys (VwTable    *self,
          const char *name,
          const char *label,
          const char *subname,
          const char *sublabel)
{
  self->key_names[0] = name;
  self->key_labels[0] = g_strdup (label);
  if (subname != NULL)
    {
      self->n_keys = 2;
      self->key_names[1] = subname;
      self->key_labels[1] = g_strdup (sublabel);
    }
}

/* Every builder ends here: a table whose sums do not add up is never
 * returned. */
static VwTable *
finish (VwTable  *table,
        GError  **error)
{
  if (!vw_table_check (table, error))
    {
      vw_table_free (table);
      return NULL;
    }
  return table;
}

/* Counting helpers: each participant's interviews, read from the records. */

typedef struct
{
  VwRecords           *records;
  const VwRecordParticipant *participants;
  guint                n_participants;
  const VwRoundRecord *rounds;
  guint                n_rounds;
  const guint         *round_numbers;
  guint                n_round_numbers;
} Data;

static void
data_init (Data      *data,
           VwRecords *records)
{
  data->records = records;
  data->participants = vw_records_get_participants (records, &data->n_participants);
  data->rounds = vw_records_get_rounds (records, &data->n_rounds);
  data->round_numbers = vw_records_get_round_numbers (records, &data->n_round_numbers);
}

static guint
count_interviews (const Data *data,
                  guint       participant)
{
  const VwRecordParticipant *p = &data->participants[participant];
  guint n = 0;

  for (guint r = p->first_round; r < p->first_round + p->n_rounds; r++)
    n += vw_round_record_is_interview (&data->rounds[r]);
  return n;
}

/* Returns: (nullable): the participant's last interview */
static const VwRoundRecord *
last_interview (const Data *data,
                guint       participant)
{
  const VwRecordParticipant *p = &data->participants[participant];

  for (guint r = p->first_round + p->n_rounds; r-- > p->first_round;)
    if (vw_round_record_is_interview (&data->rounds[r]))
      return &data->rounds[r];
  return NULL;
}

static guint
count_interviews_in_round (const Data *data,
                           guint       round)
{
  guint n = 0;

  for (guint i = 0; i < data->n_rounds; i++)
    n += data->rounds[i].round == round && vw_round_record_is_interview (&data->rounds[i]);
  return n;
}

/* Under dh3 every participant with an interview counts; under fl4 only
 * those with two or more. */
static guint
min_interviews (VwRuleSet rules)
{
  return rules == VW_RULE_SET_FL4 ? 2 : 1;
}

static const char *
population_text (VwRuleSet rules)
{
  return rules == VW_RULE_SET_FL4
         ? _("participants with at least two interviews (participants with one interview are left out)")
         : _("participants with at least one interview");
}

static guint
count_population (const Data *data,
                  VwRuleSet   rules)
{
  guint n = 0;

  for (guint i = 0; i < data->n_participants; i++)
    n += count_interviews (data, i) >= min_interviews (rules);
  return n;
}

static int
index_of (const char * const *list,
          guint               n,
          const char         *value)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (list[i], value) == 0)
      return i;
  return -1;
}

/* attendance */

static VwTable *
build_attendance (const Data  *data,
                  GError     **error)
{
  g_autoptr(VwTable) table = vw_table_new ("attendance");
  const char *names[] = { "interviews", "new", "returning" };
  const char *labels[] = { _("Interviews"), _("New"), _("Returning") };
  gint64 interviews[MAX_ROUNDS] = { 0 }, fresh[MAX_ROUNDS] = { 0 }, returning[MAX_ROUNDS] = { 0 };
  gint64 all_interviews = 0, unique = 0;
  VwTableRow *row;

  set_keys (table, "round", _("Round"), NULL, NULL);
  set_counts (table, names, labels, G_N_ELEMENTS (names));
  table->total_column = 0;
  table->title = g_strdup (_("Interviews per round"));

  for (guint i = 0; i < data->n_participants; i++)
    {
      const VwRecordParticipant *p = &data->participants[i];
      gboolean seen = FALSE;

      for (guint r = p->first_round; r < p->first_round + p->n_rounds; r++)
        {
          const VwRoundRecord *row_r = &data->rounds[r];

          if (!vw_round_record_is_interview (row_r))
            continue;
          interviews[row_r->round]++;
          if (seen)
            returning[row_r->round]++;
          else
            fresh[row_r->round]++;
          seen = TRUE;
        }
    }

  /* The totals, counted on their own. */
  for (guint i = 0; i < data->n_rounds; i++)
    all_interviews += vw_round_record_is_interview (&data->rounds[i]);
  unique = count_population (data, VW_RULE_SET_DH3);

  for (guint i = 0; i < data->n_round_numbers; i++)
    {
      guint n = data->round_numbers[i];
      char buf[16];

      row = vw_table_add_row (table, vw_round_format (n, buf), buf);
      row->counts[0] = interviews[n];
      row->counts[1] = fresh[n];
      row->counts[2] = returning[n];
    }
  row = vw_table_add_row (table, "total", _("Total"));
  row->is_total = TRUE;
  row->counts[0] = all_interviews;
  row->counts[1] = unique;
  row->counts[2] = VW_TABLE_EMPTY;

  table->denominator = unique;
  table->note = g_strdup_printf (_("Counted: interviews with status interviewed; “new” is a participant’s "
                                   "first interview. Unique participants: %u."), (guint) unique);

  return finish (g_steal_pointer (&table), error);
}

/* retention */

enum {
  RET_ELIGIBLE, RET_INTERVIEWED, RET_UNREACHABLE, RET_ATTEMPTS_RECORDED, RET_MEDIAN_ATTEMPTS,
  RET_DECLINED, RET_DECEASED, RET_WITHDRAWN, RET_OTHER, RET_N_COUNTS
};

/* A row after which the participant is out of every later round's
 * cohort: died, withdrew, or withdrew consent to the research. */
static gboolean
leaves_cohort (const VwRoundRecord *row)
{
  return g_strcmp0 (row->status, "deceased") == 0 || g_strcmp0 (row->status, "withdrawn") == 0 ||
         g_strcmp0 (row->consent_research, "ingetrokken") == 0;
}

/* The one category of an eligible participant in a round, from the row
 * of that round (NULL: no row). An interview counts as one even when
 * consent is withdrawn in the same row (attendance counts it too); the
 * participant then leaves the later rounds' cohorts. */
static guint
retention_category (const VwRoundRecord *row)
{
  if (row == NULL)
    return RET_OTHER;
  if (g_strcmp0 (row->status, "deceased") == 0)
    return RET_DECEASED;
  if (vw_round_record_is_interview (row))
    return RET_INTERVIEWED;
  if (g_strcmp0 (row->status, "withdrawn") == 0 || g_strcmp0 (row->consent_research, "ingetrokken") == 0)
    return RET_WITHDRAWN;
  if (g_strcmp0 (row->status, "unreachable") == 0)
    return RET_UNREACHABLE;
  if (g_strcmp0 (row->status, "declined") == 0)
    return RET_DECLINED;
  return RET_OTHER; /* admitted, not_approached */
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return x < y ? -1 : x > y;
}

/* Twice the median, so that the mean of two middle values stays whole. */
static gint64
median_halves (GArray *values)
{
  guint n = values->len;

  if (n == 0)
    return VW_TABLE_EMPTY;
  g_array_sort (values, compare_ints);
  if (n % 2 == 1)
    return 2 * (gint64) g_array_index (values, int, n / 2);
  return (gint64) g_array_index (values, int, n / 2 - 1) + g_array_index (values, int, n / 2);
}

static VwTable *
build_retention (const Data  *data,
                 GError     **error)
{
  g_autoptr(VwTable) table = vw_table_new ("retention");
  const char *names[] = { "eligible", "interviewed", "unreachable", "attempts_recorded", "median_attempts",
                          "declined", "deceased", "withdrawn", "other" };
  const char *labels[] = { _("Eligible"), _("Interviewed"), _("Not findable"), _("Attempts recorded"),
                           _("Median attempts"), _("Declined"), _("Deceased"), _("Consent withdrawn"),
                           _("Other") };
  g_autoptr(GArray) attempts = g_array_new (FALSE, FALSE, sizeof (int));

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == RET_N_COUNTS);
  set_keys (table, "round", _("Round"), NULL, NULL);
  set_counts (table, names, labels, RET_N_COUNTS);
  table->total_column = RET_ELIGIBLE;
  table->text_percent = VW_PERCENT_OF_ROW_TOTAL;
  table->csv_row_percent = TRUE;
  table->uncounted = 1u << RET_ATTEMPTS_RECORDED | 1u << RET_MEDIAN_ATTEMPTS;
  table->halves = 1u << RET_MEDIAN_ATTEMPTS;
  table->text_hidden = 1u << RET_ATTEMPTS_RECORDED;
  table->title = g_strdup (_("Retention per round: the cohort of the earlier rounds"));

  /* The first round has no earlier one, so nobody is eligible in it: it
   * gets no row. */
  for (guint i = 1; i < data->n_round_numbers; i++)
    {
      guint round = data->round_numbers[i];
      gint64 counts[RET_N_COUNTS] = { 0 };
      char buf[16];
      VwTableRow *row;

      g_array_set_size (attempts, 0);
      for (guint p = 0; p < data->n_participants; p++)
        {
          const VwRecordParticipant *part = &data->participants[p];
          const VwRoundRecord *in_round = NULL;
          gboolean enrolled = FALSE, left = FALSE;
          guint category;

          for (guint r = part->first_round; r < part->first_round + part->n_rounds; r++)
            {
              const VwRoundRecord *rr = &data->rounds[r];

              if (rr->round < round)
                {
                  enrolled = enrolled || vw_round_record_is_interview (rr);
                  left = left || leaves_cohort (rr);
                }
              else if (rr->round == round && in_round == NULL)
                in_round = rr;
            }
          if (!enrolled || left)
            continue;
          counts[RET_ELIGIBLE]++;
          category = retention_category (in_round);
          counts[category]++;
          if (category == RET_UNREACHABLE && in_round->attempts >= 0)
            g_array_append_val (attempts, in_round->attempts);
        }
      counts[RET_ATTEMPTS_RECORDED] = attempts->len;
      counts[RET_MEDIAN_ATTEMPTS] = median_halves (attempts);

      row = vw_table_add_row (table, vw_round_format (round, buf), buf);
      memcpy (row->counts, counts, sizeof counts);
    }

  table->denominator = count_population (data, VW_RULE_SET_DH3);
  table->note = g_strdup_printf (_("Eligible: participants interviewed in an earlier round who had not died, "
                                   "withdrawn or withdrawn consent before the round; percentages are of the "
                                   "eligible of the row. A round without a row for the participant counts as "
                                   "other. Median attempts: over the not findable with a recorded number. "
                                   "Participants ever interviewed: %u."), (guint) table->denominator);

  return finish (g_steal_pointer (&table), error);
}

/* rounds_attended */

static VwTable *
build_rounds_attended (const Data  *data,
                       guint        round,
                       GError     **error)
{
  g_autoptr(VwTable) table = vw_table_new ("rounds_attended");
  const char *names[] = { "n" };
  const char *labels[] = { _("Participants") };
  gint64 counts[MAX_ROUNDS + 1] = { 0 };
  guint up_to = 0;
  char buf[16];

  set_keys (table, "rounds_attended", _("Rounds attended"), NULL, NULL);
  set_counts (table, names, labels, 1);
  table->text_percent = VW_PERCENT_OF_DENOMINATOR;
  table->parts_make_denominator = TRUE;
  vw_round_format (round, buf);
  table->title = g_strdup_printf (_("Rounds attended up to %s by the participants interviewed in %s"), buf, buf);

  for (guint i = 0; i < data->n_round_numbers; i++)
    up_to += data->round_numbers[i] <= round;

  for (guint i = 0; i < data->n_participants; i++)
    {
      const VwRecordParticipant *p = &data->participants[i];
      gboolean in_round = FALSE;
      guint attended = 0;

      for (guint r = p->first_round; r < p->first_round + p->n_rounds; r++)
        if (data->rounds[r].round <= round && vw_round_record_is_interview (&data->rounds[r]))
          {
            attended++;
            in_round = in_round || data->rounds[r].round == round;
          }
      if (in_round)
        counts[attended]++;
    }

  for (guint k = 1; k <= up_to; k++)
    {
      g_autofree char *key = g_strdup_printf ("%u", k);

      vw_table_add_row (table, key, key)->counts[0] = counts[k];
    }

  table->denominator = count_interviews_in_round (data, round);
  table->note = g_strdup_printf (_("Denominator: %u participants interviewed in %s; percentages of that number."),
                                 (guint) table->denominator, buf);

  return finish (g_steal_pointer (&table), error);
}

/* trajectories and the tables by trajectory type */

static VwTable *
build_trajectories (const Data        *data,
                    VwClassification  *classification,
                    GError           **error)
{
  g_autoptr(VwTable) table = vw_table_new ("trajectories");
  VwRuleSet rules = vw_classification_get_rules (classification);
  const char *names[] = { "n" };
  const char *labels[] = { _("n (%)") };
  gint64 types[VW_TRAJECTORY_N_TYPES] = { 0 }, subtypes[3] = { 0 };
  const VwTrajectoryType *order;
  guint n_types;
  int outflow_row = -1;

  set_keys (table, "type", _("Trajectory type"), "subtype", _("Subtype"));
  set_counts (table, names, labels, 1);
  table->csv_percent = TRUE;
  table->text_percent = VW_PERCENT_OF_DENOMINATOR;
  table->parts_make_denominator = TRUE;
  table->title = g_strdup_printf (_("Trajectory types (rule set %s)"), vw_rule_set_to_string (rules));

  for (guint i = 0; i < data->n_participants; i++)
    {
      const VwTrajectoryResult *result = vw_classification_get (classification, i);

      if (count_interviews (data, i) < min_interviews (rules))
        continue;
      types[result->final]++;
      subtypes[result->final_subtype]++;
    }

  order = vw_rule_set_get_types (rules, &n_types);
  for (guint i = 0; i < n_types; i++)
    {
      const char *code = vw_trajectory_type_to_string (order[i]);

      vw_table_add_row (table, code, code_label ("trajectory", code))->counts[0] = types[order[i]];
      if (order[i] == VW_TRAJECTORY_UITSTROOM_WONING)
        outflow_row = i;
    }
  if (rules == VW_RULE_SET_DH3)
    for (VwTrajectorySubtype s = VW_SUBTYPE_OMKLAP; s <= VW_SUBTYPE_EIGEN_NAAM; s++)
      {
        const char *type = vw_trajectory_type_to_string (VW_TRAJECTORY_UITSTROOM_WONING);
        const char *code = vw_trajectory_subtype_to_string (s);
        VwTableRow *row = vw_table_add_row (table, type, code_label ("trajectory", type));

        row->subkey = g_strdup (code);
        row->sublabel = g_strdup (code_label ("trajectory_subtype", code));
        row->parent = outflow_row;
        row->counts[0] = subtypes[s];
      }

  table->denominator = count_population (data, rules);
  table->note = g_strdup_printf (_("Denominator: %u %s; percentages of that number."),
                                 (guint) table->denominator, population_text (rules));

  return finish (g_steal_pointer (&table), error);
}

/* A round variable at the last interview, by trajectory type: one row per
 * type of the rule set (no subtype rows), one column per code of the
 * variable's list with an empty value as onbekend, and a total column. */
static VwTable *
build_by_trajectory (const Data        *data,
                     VwClassification  *classification,
                     const char        *name,
                     char              *title,
                     const char        *list_name,
                     gsize              offset,
                     GError           **error)
{
  g_autoptr(VwTable) table = vw_table_new (name);
  VwRuleSet rules = vw_classification_get_rules (classification);
  const VwCodeList *list = vw_codebook_get_code_list (vw_codebook_get_core (), list_name);
  guint n_codes = vw_code_list_get_n_codes (list);
  const char *names[VW_TABLE_MAX_COUNTS], *labels[VW_TABLE_MAX_COUNTS];
  const char *codes[VW_TABLE_MAX_COUNTS];
  gint64 cells[VW_TRAJECTORY_N_TYPES][VW_TABLE_MAX_COUNTS] = { { 0 } };
  gint64 row_totals[VW_TRAJECTORY_N_TYPES] = { 0 }, column_totals[VW_TABLE_MAX_COUNTS] = { 0 };
  const VwTrajectoryType *order;
  guint n_types;
  int unknown = -1;
  VwTableRow *row;

  g_assert (n_codes < VW_TABLE_MAX_COUNTS);
  for (guint c = 0; c < n_codes; c++)
    {
      codes[c] = names[c] = vw_code_get_code (vw_code_list_get_code (list, c));
      labels[c] = code_label (list_name, codes[c]);
      if (g_str_equal (codes[c], "onbekend"))
        unknown = c;
    }
  g_assert (unknown >= 0);
  names[n_codes] = "total";
  labels[n_codes] = _("Total");

  set_keys (table, "type", _("Trajectory type"), NULL, NULL);
  set_counts (table, names, labels, n_codes + 1);
  table->total_column = n_codes;
  table->text_percent = VW_PERCENT_OF_ROW_TOTAL;
  table->parts_make_denominator = FALSE;
  table->title = title;

  for (guint i = 0; i < data->n_participants; i++)
    {
      const VwTrajectoryResult *result = vw_classification_get (classification, i);
      const VwRoundRecord *last;
      const char *value;
      int c;

      if (count_interviews (data, i) < min_interviews (rules))
        continue;
      last = last_interview (data, i);
      value = *(const char * const *) ((const guint8 *) last + offset);
      c = value != NULL ? index_of (codes, n_codes, value) : unknown;
      cells[result->final][c]++;
    }

  /* Row and column totals, counted on their own. */
  for (guint i = 0; i < data->n_participants; i++)
    {
      const char *value;

      if (count_interviews (data, i) < min_interviews (rules))
        continue;
      row_totals[vw_classification_get (classification, i)->final]++;
      value = *(const char * const *) ((const guint8 *) last_interview (data, i) + offset);
      column_totals[value != NULL ? index_of (codes, n_codes, value) : unknown]++;
    }

  order = vw_rule_set_get_types (rules, &n_types);
  for (guint t = 0; t < n_types; t++)
    {
      const char *code = vw_trajectory_type_to_string (order[t]);

      row = vw_table_add_row (table, code, code_label ("trajectory", code));
      for (guint c = 0; c < n_codes; c++)
        row->counts[c] = cells[order[t]][c];
      row->counts[n_codes] = row_totals[order[t]];
    }
  row = vw_table_add_row (table, "total", _("Total"));
  row->is_total = TRUE;
  for (guint c = 0; c < n_codes; c++)
    row->counts[c] = column_totals[c];
  table->denominator = count_population (data, rules);
  row->counts[n_codes] = table->denominator;

  table->note = g_strdup_printf (_("Denominator: %u %s; value at each participant’s last interview, "
                                   "an empty value counted as onbekend; percentages of each row’s total."),
                                 (guint) table->denominator, population_text (rules));

  return finish (g_steal_pointer (&table), error);
}

/* participation */

static VwTable *
build_participation (const Data  *data,
                     GError     **error)
{
  g_autoptr(VwTable) table = vw_table_new ("participation");
  const char *names[] = { "n" };
  const char *labels[] = { _("n (%)") };
  gint64 counts[G_N_ELEMENTS (participation_dh_rows)] = { 0 };
  guint denominator = 0;

  set_keys (table, "category", _("Participation"), NULL, NULL);
  set_counts (table, names, labels, 1);
  table->csv_percent = TRUE;
  table->text_percent = VW_PERCENT_OF_DENOMINATOR;
  table->parts_make_denominator = TRUE;
  table->title = g_strdup (_("Participation at the last interview"));

  for (guint i = 0; i < data->n_participants; i++)
    {
      const VwRoundRecord *last = last_interview (data, i);
      int c;

      if (last == NULL)
        continue;
      c = index_of (participation_dh_rows, G_N_ELEMENTS (participation_dh_rows),
                    vw_participation_rollup (last->participation, "dh"));
      g_assert (c >= 0);
      counts[c]++;
    }

  for (guint c = 0; c < G_N_ELEMENTS (participation_dh_rows); c++)
    vw_table_add_row (table, participation_dh_rows[c],
                      code_label ("participation_dh", participation_dh_rows[c]))->counts[0] = counts[c];

  denominator = count_population (data, VW_RULE_SET_DH3);
  table->denominator = denominator;
  table->note = g_strdup_printf (_("Denominator: %u %s; percentages of that number."),
                                 denominator, population_text (VW_RULE_SET_DH3));

  return finish (g_steal_pointer (&table), error);
}

/* participation_by_residence */

static int
woonsituatie_column (const char *residence)
{
  /* A residence that was not recorded is "overig", as onbekend is. */
  const char *w = residence != NULL ? vw_residence_woonsituatie (residence) : "overig";

  return index_of (woonsituatie_columns, G_N_ELEMENTS (woonsituatie_columns), w);
}

static int
participation_fl_row (const char *participation)
{
  return index_of (participation_fl_rows, G_N_ELEMENTS (participation_fl_rows),
                   vw_participation_rollup (participation, "fl"));
}

static VwTable *
build_participation_by_residence (const Data  *data,
                                  guint        round,
                                  GError     **error)
{
  g_autoptr(VwTable) table = vw_table_new ("participation_by_residence");
  enum { N_ROWS = G_N_ELEMENTS (participation_fl_rows), N_COLS = G_N_ELEMENTS (woonsituatie_columns) };
  const char *names[N_COLS + 1], *labels[N_COLS + 1];
  gint64 cells[N_ROWS][N_COLS] = { { 0 } }, row_totals[N_ROWS] = { 0 }, column_totals[N_COLS] = { 0 };
  VwTableRow *row;
  char buf[16];

  for (guint c = 0; c < N_COLS; c++)
    {
      names[c] = woonsituatie_columns[c];
      labels[c] = code_label ("woonsituatie", names[c]);
    }
  names[N_COLS] = "total";
  labels[N_COLS] = _("Total");
  set_keys (table, "category", _("Participation"), NULL, NULL);
  set_counts (table, names, labels, N_COLS + 1);
  table->total_column = N_COLS;
  table->text_percent = VW_PERCENT_OF_COLUMN_TOTAL;
  vw_round_format (round, buf);
  table->title = g_strdup_printf (_("Participation by housing situation in %s"), buf);

  for (guint i = 0; i < data->n_rounds; i++)
    {
      const VwRoundRecord *r = &data->rounds[i];

      if (r->round == round && vw_round_record_is_interview (r))
        cells[participation_fl_row (r->participation)][woonsituatie_column (r->residence)]++;
    }

  /* Row and column totals, counted on their own. */
  for (guint i = 0; i < data->n_rounds; i++)
    {
      const VwRoundRecord *r = &data->rounds[i];

      if (r->round != round || !vw_round_record_is_interview (r))
        continue;
      row_totals[participation_fl_row (r->participation)]++;
      column_totals[woonsituatie_column (r->residence)]++;
    }

  for (guint k = 0; k < N_ROWS; k++)
    {
      row = vw_table_add_row (table, participation_fl_rows[k],
                              code_label ("participation_fl", participation_fl_rows[k]));
      for (guint c = 0; c < N_COLS; c++)
        row->counts[c] = cells[k][c];
      row->counts[N_COLS] = row_totals[k];
    }
  row = vw_table_add_row (table, "total", _("Total"));
  row->is_total = TRUE;
  for (guint c = 0; c < N_COLS; c++)
    row->counts[c] = column_totals[c];
  table->denominator = count_interviews_in_round (data, round);
  row->counts[N_COLS] = table->denominator;

  table->note = g_strdup_printf (_("Denominator: %u participants interviewed in %s; percentages of each "
                                   "column’s total."), (guint) table->denominator, buf);

  return finish (g_steal_pointer (&table), error);
}

/* Building by name. */

static gboolean
resolve_round (const Data            *data,
               const VwTableOptions  *options,
               guint                 *round,
               GError               **error)
{
  GString *known;
  char buf[16];

  if (data->n_round_numbers == 0)
    {
      g_set_error_literal (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INVALID, _("the records have no rounds"));
      return FALSE;
    }
  if (options == NULL || !options->has_round)
    {
      *round = data->round_numbers[data->n_round_numbers - 1];
      return TRUE;
    }
  for (guint i = 0; i < data->n_round_numbers; i++)
    if (data->round_numbers[i] == options->round)
      {
        *round = options->round;
        return TRUE;
      }

  known = g_string_new (NULL);
  for (guint i = 0; i < data->n_round_numbers; i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "", vw_round_format (data->round_numbers[i], buf));
  g_set_error (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INVALID, _("the records have no round %s; their rounds are: %s"),
               vw_round_format (options->round, buf), known->str);
  g_string_free (known, TRUE);
  return FALSE;
}

/**
 * vw_table_build:
 * @name: one of vw_table_get_names()
 * @options: (nullable): the round and the rule set; %NULL for the last
 *   round and dh3 with the codebook's parameters
 *
 * Counts the table from @records and checks its sums.
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
VwTable *
vw_table_build (const char            *name,
                VwRecords             *records,
                const VwTableOptions  *options,
                GError               **error)
{
  g_autoptr(VwClassification) own = NULL;
  VwClassification *classification;
  const char *rules;
  Data data;
  guint round;

  data_init (&data, records);

  if (g_strcmp0 (name, "attendance") == 0)
    return build_attendance (&data, error);
  if (g_strcmp0 (name, "participation") == 0)
    return build_participation (&data, error);
  if (g_strcmp0 (name, "retention") == 0)
    return build_retention (&data, error);
  if (g_strcmp0 (name, "rounds_attended") == 0)
    return resolve_round (&data, options, &round, error) ? build_rounds_attended (&data, round, error) : NULL;
  if (g_strcmp0 (name, "participation_by_residence") == 0)
    return resolve_round (&data, options, &round, error)
           ? build_participation_by_residence (&data, round, error) : NULL;

  if (!g_strv_contains (table_names, name ? name : ""))
    {
      g_autofree char *all = g_strjoinv (", ", (char **) table_names);
      g_set_error (error, VW_TABLE_ERROR, VW_TABLE_ERROR_INVALID,
                   _("unknown table “%s”; the tables are: %s"), name ? name : "", all);
      return NULL;
    }

  classification = options != NULL ? options->classification : NULL;
  if (classification == NULL)
    classification = own = vw_classification_new (records, options ? options->rules : VW_RULE_SET_DH3,
                                                  options ? options->params : NULL);
  g_return_val_if_fail (vw_classification_get_records (classification) == records, NULL);
  rules = vw_rule_set_to_string (vw_classification_get_rules (classification));

  if (g_strcmp0 (name, "trajectories") == 0)
    return build_trajectories (&data, classification, error);
  if (g_strcmp0 (name, "debts_by_trajectory") == 0)
    return build_by_trajectory (&data, classification, name,
                                g_strdup_printf (_("Debts at the last interview, by trajectory type "
                                                   "(rule set %s)"), rules),
                                "ja_nee_onbekend", offsetof (VwRoundRecord, debts), error);
  return build_by_trajectory (&data, classification, name,
                              g_strdup_printf (_("Money management at the last interview, by trajectory "
                                                 "type (rule set %s)"), rules),
                              "money_management", offsetof (VwRoundRecord, money_management), error);
}

/* Output. */

static gint64
percent_base (VwTable          *self,
              const VwTableRow *row,
              guint             column)
{
  switch (self->text_percent)
    {
    case VW_PERCENT_OF_DENOMINATOR:
      return self->denominator;
    case VW_PERCENT_OF_ROW_TOTAL:
      return row->counts[self->total_column];
    case VW_PERCENT_OF_COLUMN_TOTAL:
      for (guint i = 0; i < self->rows->len; i++)
        {
          const VwTableRow *r = &g_array_index (self->rows, VwTableRow, i);
          if (r->is_total)
            return r->counts[column];
        }
      return 0;
    case VW_PERCENT_NONE:
    default:
      return -1;
    }
}

/**
 * vw_table_to_csv:
 *
 * Returns: (transfer full): the table exactly in the columns codebook
 *   section 7 documents, LF line ends (for standard output and pipes);
 *   a percentage of a denominator of 0 is left empty
 */
/* Whether column @c has a percentage of its row's total column. */
static gboolean
has_row_percent (const VwTable *self,
                 guint          c)
{
  return self->csv_row_percent && (int) c != self->total_column && !(self->uncounted & (1u << c));
}

/* "3" or "3.5" for a count held in halves; @decimal is the separator. */
static char *
format_count (const VwTable *self,
              guint          c,
              gint64         n,
              char           decimal)
{
  if (self->halves & (1u << c))
    return n % 2 == 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n / 2)
                      : g_strdup_printf ("%" G_GINT64_FORMAT "%c5", n / 2, decimal);
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/**
 * vw_table_append_csv_names:
 * @prefix: put before every count column's name ("" for none)
 *
 * Appends the names of the CSV columns after the keys (newly allocated).
 */
void
vw_table_append_csv_names (const VwTable *self,
                           const char    *prefix,
                           GPtrArray     *fields)
{
  for (guint c = 0; c < self->n_counts; c++)
    {
      g_ptr_array_add (fields, g_strconcat (prefix, self->count_names[c], NULL));
      if (has_row_percent (self, c))
        g_ptr_array_add (fields, g_strconcat (prefix, self->count_names[c], "_percent", NULL));
    }
  if (self->csv_percent)
    g_ptr_array_add (fields, g_strconcat (prefix, "percent", NULL));
}

/**
 * vw_table_append_csv_cells:
 * @row: (nullable): %NULL for a row the table does not have: all empty
 *
 * Appends the CSV cells of @row after its keys (newly allocated); a
 * percentage of 0 is left empty.
 */
void
vw_table_append_csv_cells (const VwTable    *self,
                           const VwTableRow *row,
                           GPtrArray        *fields)
{
  for (guint c = 0; c < self->n_counts; c++)
    {
      gint64 n = row != NULL ? row->counts[c] : VW_TABLE_EMPTY;

      g_ptr_array_add (fields, n == VW_TABLE_EMPTY ? g_strdup ("") : format_count (self, c, n, '.'));
      if (has_row_percent (self, c))
        {
          gint64 base = row != NULL ? row->counts[self->total_column] : 0;

          g_ptr_array_add (fields, base > 0 && n != VW_TABLE_EMPTY
                                   ? g_strdup_printf ("%u", vw_percent_round (n, base)) : g_strdup (""));
        }
    }
  if (self->csv_percent)
    g_ptr_array_add (fields, row != NULL && self->denominator > 0
                             ? g_strdup_printf ("%u", vw_percent_round (row->counts[0], self->denominator))
                             : g_strdup (""));
}

char *
vw_table_to_csv (VwTable *self)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < self->n_keys; k++)
    g_ptr_array_add (fields, g_strdup (self->key_names[k]));
  vw_table_append_csv_names (self, "", fields);
  vw_csv_append_row (out, (const char * const *) fields->pdata, fields->len, "\n");

  for (guint i = 0; i < self->rows->len; i++)
    {
      const VwTableRow *row = &g_array_index (self->rows, VwTableRow, i);

      g_ptr_array_set_size (fields, 0);
      g_ptr_array_add (fields, g_strdup (row->key));
      if (self->n_keys > 1)
        g_ptr_array_add (fields, g_strdup (row->subkey));
      vw_table_append_csv_cells (self, row, fields);
      vw_csv_append_row (out, (const char * const *) fields->pdata, fields->len, "\n");
    }

  return g_string_free (out, FALSE);
}

/* "n (p%)": whole percentages, so no decimals (and no decimal comma)
 * appear; "–" stands for the percentage of nothing. */
static char *
format_cell (VwTable          *self,
             const VwTableRow *row,
             guint             column)
{
  gint64 n = row->counts[column];
  gint64 base;

  if (n == VW_TABLE_EMPTY)
    return g_strdup ("");
  if (self->halves & (1u << column))
    return format_count (self, column, n, g_str_equal (label_language (), "nl") ? ',' : '.');
  if ((self->uncounted & (1u << column)) || (self->csv_row_percent && (int) column == self->total_column))
    return g_strdup_printf ("%" G_GINT64_FORMAT, n);
  base = percent_base (self, row, column);
  if (base < 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, n);
  if (base == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " (–)", n);
  return g_strdup_printf ("%" G_GINT64_FORMAT " (%u%%)", n, vw_percent_round (n, base));
}

static void
append_padded (GString    *out,
               const char *text,
               guint       width,
               gboolean    right)
{
  guint len = g_utf8_strlen (text, -1);

  if (right)
    for (guint i = len; i < width; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (guint i = len; i < width; i++)
      g_string_append_c (out, ' ');
}

/**
 * vw_table_get_text_cells:
 * @n_columns: (out): cells per line
 * @n_lines: (out): the header line and one line per row
 *
 * The human-readable table (as vw_table_to_text() lays it out) as cells,
 * line by line, for a view that draws its own grid.
 *
 * Returns: (transfer container) (element-type utf8): the cells
 */
GPtrArray *
vw_table_get_text_cells (VwTable *self,
                         guint   *n_columns,
                         guint   *n_lines)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < self->n_keys; k++)
    g_ptr_array_add (cells, g_strdup (self->key_labels[k]));
  for (guint c = 0; c < self->n_counts; c++)
    if (!(self->text_hidden & (1u << c)))
      g_ptr_array_add (cells, g_strdup (self->count_labels[c]));

  for (guint i = 0; i < self->rows->len; i++)
    {
      const VwTableRow *row = &g_array_index (self->rows, VwTableRow, i);

      g_ptr_array_add (cells, g_strdup (row->label));
      if (self->n_keys > 1)
        g_ptr_array_add (cells, g_strdup (row->sublabel ? row->sublabel : ""));
      for (guint c = 0; c < self->n_counts; c++)
        if (!(self->text_hidden & (1u << c)))
          g_ptr_array_add (cells, format_cell (self, row, c));
    }

  *n_columns = self->n_keys;
  for (guint c = 0; c < self->n_counts; c++)
    *n_columns += !(self->text_hidden & (1u << c));
  *n_lines = self->rows->len + 1;
  return cells;
}

guint
vw_table_get_n_rows (VwTable *self)
{
  return self->rows->len;
}

/**
 * vw_table_get_row:
 * @subkey: (out) (optional) (nullable): the second key (a subtype)
 * @label: (out) (optional): the row's label for people
 *
 * Returns: the row's key as in the CSV (a round, type or category)
 */
const char *
vw_table_get_row (VwTable     *self,
                  guint        row,
                  const char **subkey,
                  const char **label)
{
  const VwTableRow *r;

  g_return_val_if_fail (row < self->rows->len, NULL);

  r = &g_array_index (self->rows, VwTableRow, row);
  if (subkey != NULL)
    *subkey = r->subkey;
  if (label != NULL)
    *label = r->label;
  return r->key;
}

/**
 * vw_table_get_count:
 * @column: the count column, 0 for the first after the keys
 *
 * Returns: the count, or -1 for a cell left empty
 */
gint64
vw_table_get_count (VwTable *self,
                    guint    row,
                    guint    column)
{
  g_return_val_if_fail (row < self->rows->len, -1);
  g_return_val_if_fail (column < self->n_counts, -1);

  return g_array_index (self->rows, VwTableRow, row).counts[column];
}

/**
 * vw_table_to_text:
 *
 * Returns: (transfer full): the table for people: a title, aligned
 *   columns with labels, counts as "n (%)" where the table has
 *   percentages, and the line that states the denominator
 */
char *
vw_table_to_text (VwTable *self)
{
  guint n_columns, n_lines;
  g_autoptr(GPtrArray) cells = vw_table_get_text_cells (self, &n_columns, &n_lines);
  guint widths[2 + VW_TABLE_MAX_COUNTS] = { 0 };
  GString *out = g_string_new (NULL);

  for (guint l = 0; l < n_lines; l++)
    for (guint c = 0; c < n_columns; c++)
      widths[c] = MAX (widths[c], g_utf8_strlen (g_ptr_array_index (cells, l * n_columns + c), -1));

  g_string_append_printf (out, "%s\n\n", self->title);
  for (guint l = 0; l < n_lines; l++)
    {
      GString *line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append (line, "  ");
          append_padded (line, g_ptr_array_index (cells, l * n_columns + c), widths[c], c >= self->n_keys);
        }
      /* No trailing blanks from an empty last column. */
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_string_append_printf (out, "%s\n", line->str);
      g_string_free (line, TRUE);
    }
  g_string_append_printf (out, "\n%s\n", self->note);

  return g_string_free (out, FALSE);
}
