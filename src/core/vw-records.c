/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vw-atomic-file.h"
#include "vw-codebook.h"
#include "vw-csv.h"
#include "vw-records.h"
#include "vw-validate.h"

/* Enough for a user to fix a file in one go, few enough to read. */
#define MAX_PROBLEMS 100
/* Problems kept before sorting, so that the first MAX_PROBLEMS by file and
 * line are shown even when cross-file checks find early ones late. */
#define MAX_PROBLEMS_KEPT 1000
#define MAX_COLUMNS VW_RECORDS_MAX_COLUMNS

G_DEFINE_QUARK (vw-records-error-quark, vw_records_error)

typedef enum {
  COL_TEXT,   /* free text, never quoted in messages: it may be personal */
  COL_CODE,   /* participant code */
  COL_CHOICE, /* a code of a codebook list */
  COL_YEAR,
  COL_MONTH,
  COL_DATE,
  COL_ROUND,
  COL_INTEGER, /* a whole number in the codebook's range; -1 in the model: not recorded */
} ColumnType;

typedef struct
{
  const char       *name;
  ColumnType        type;
  gsize             offset;
  const VwCodeList *codes;    /* for COL_CHOICE, from the codebook */
  const VwVariable *variable; /* for COL_INTEGER: its range */
  gboolean          required;
} Column;

typedef struct
{
  const char *name;
  gsize       row_size;
  Column      columns[MAX_COLUMNS];
  guint       n_columns;
} FileSpec;

#define P(field) offsetof (VwRecordParticipant, field)
#define R(field) offsetof (VwRoundRecord, field)
#define E(field) offsetof (VwRecordEpisode, field)

/* The documented column order of each file (codebook section 5) and where
 * each value lives. init_specs() checks it against the codebook. */
static FileSpec specs[VW_RECORDS_N_FILES] = {
  { "participants.csv", sizeof (VwRecordParticipant), {
      { "code", COL_CODE, P (code) },
      { "pseudonym", COL_TEXT, P (pseudonym) },
      { "region", COL_CHOICE, P (region) },
      { "municipality", COL_TEXT, P (municipality) },
      { "origin", COL_CHOICE, P (origin) },
      { "birth_year", COL_YEAR, P (birth_year) },
      { "hist_street", COL_CHOICE, P (hist_street) },
      { "hist_youthcare_placement", COL_CHOICE, P (hist_youthcare_placement) },
      { "hist_unsafe_home", COL_CHOICE, P (hist_unsafe_home) },
      { "hist_remigration", COL_CHOICE, P (hist_remigration) },
    }, 10 },
  { "rounds.csv", sizeof (VwRoundRecord), {
      { "code", COL_CODE, R (code) },
      { "round", COL_ROUND, R (round) },
      { "status", COL_CHOICE, R (status) },
      { "date", COL_DATE, R (date) },
      { "residence", COL_CHOICE, R (residence) },
      { "residence_since", COL_MONTH, R (residence_since) },
      { "participation", COL_CHOICE, R (participation) },
      { "participation_fit", COL_CHOICE, R (participation_fit) },
      { "debts", COL_CHOICE, R (debts) },
      { "money_management", COL_CHOICE, R (money_management) },
      { "income", COL_CHOICE, R (income) },
      { "indication", COL_CHOICE, R (indication) },
      { "consent_research", COL_CHOICE, R (consent_research) },
      { "consent_wmo_linkage", COL_CHOICE, R (consent_wmo_linkage) },
      { "attempts", COL_INTEGER, R (attempts) },
    }, 15 },
  { "episodes.csv", sizeof (VwRecordEpisode), {
      { "code", COL_CODE, E (code) },
      { "start", COL_MONTH, E (start) },
      { "end", COL_MONTH, E (end) },
      { "residence", COL_CHOICE, E (residence) },
    }, 4 },
};

#undef P
#undef R
#undef E

/* Column numbers in the documented order, for the checks below. */
enum { PC_CODE, PC_PSEUDONYM };
enum { RC_CODE, RC_ROUND, RC_STATUS, RC_DATE, RC_RESIDENCE, RC_RESIDENCE_SINCE };
enum { EC_CODE, EC_START, EC_END, EC_RESIDENCE };

static const char *
type_name (ColumnType type)
{
  static const char *names[] = { "text", "code", "choice", "year", "month", "date", "round", "integer" };

  return names[type];
}

/* The codebook is the authority on columns, code lists and what is
 * required; a mismatch with the table above is a build defect. */
static const FileSpec *
get_specs (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      VwCodebook *cb = vw_codebook_get_core ();

      for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
        {
          FileSpec *spec = &specs[f];
          const char * const *required = NULL;
          const char * const *columns = vw_codebook_get_record_columns (cb, spec->name, &required);

          if (columns == NULL || g_strv_length ((char **) columns) != spec->n_columns)
            g_error ("The codebook's columns of %s differ from the records model", spec->name);
          for (guint c = 0; c < spec->n_columns; c++)
            {
              Column *col = &spec->columns[c];
              const VwVariable *var = vw_codebook_get_variable (cb, col->name);

              if (g_strcmp0 (columns[c], col->name) != 0)
                g_error ("The codebook's column %u of %s is “%s”, not “%s”",
                         c + 1, spec->name, columns[c], col->name);
              if (var != NULL && g_strcmp0 (var->type, type_name (col->type)) != 0 &&
                  !(col->type == COL_TEXT && g_strcmp0 (var->type, "text") == 0))
                g_error ("The codebook's type of “%s” is “%s”, not “%s”",
                         col->name, var->type, type_name (col->type));
              if (col->type == COL_CHOICE)
                {
                  col->codes = var != NULL ? vw_codebook_get_code_list (cb, var->codes) : NULL;
                  if (col->codes == NULL)
                    g_error ("The codebook has no code list for “%s”", col->name);
                }
              if (col->type == COL_INTEGER)
                col->variable = var;
              col->required = g_strv_contains (required, col->name);
            }
        }
      g_once_init_leave (&initialized, 1);
    }

  return specs;
}

const char *
vw_records_file_name (VwRecordsFile file)
{
  g_return_val_if_fail (file < VW_RECORDS_N_FILES, NULL);

  return specs[file].name;
}

/* Values in the model. */

static gboolean
all_digits (const char *text,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static int
digits (const char *text,
        gsize       len)
{
  int value = 0;

  for (gsize i = 0; i < len; i++)
    value = value * 10 + (text[i] - '0');
  return value;
}

/* The shapes are vw-validate.c's: every valid month is above
 * VW_MONTH_NONE, since the years start at VW_VALIDATE_YEAR_MIN. */
gboolean
vw_month_parse (const char *text,
                VwMonth    *month)
{
  int y, m;

  if (!vw_validate_parse_month (text, &y, &m))
    return FALSE;
  *month = vw_month_make (y, m);
  return TRUE;
}

gboolean
vw_date_parse (const char *text,
               VwDate     *date)
{
  int y, m, d;

  if (!vw_validate_parse_date (text, &y, &m, &d))
    return FALSE;
  *date = y * 10000 + m * 100 + d;
  return TRUE;
}

const char *
vw_month_format (VwMonth month,
                 char    buf[16])
{
  if (month == VW_MONTH_NONE)
    buf[0] = '\0';
  else
    g_snprintf (buf, 16, "%04d-%02d", month / 12, month % 12 + 1);
  return buf;
}

const char *
vw_date_format (VwDate date,
                char   buf[16])
{
  if (date == VW_DATE_NONE)
    buf[0] = '\0';
  else
    g_snprintf (buf, 16, "%04u-%02u-%02u", date / 10000, (date / 100) % 100, date % 100);
  return buf;
}

gboolean
vw_round_parse (const char *text,
                guint      *round)
{
  gsize len = strlen (text);

  if (len < 2 || len > 3 || text[0] != 'T' || !all_digits (text + 1, len - 1) ||
      (len == 3 && text[1] == '0'))
    return FALSE;
  *round = digits (text + 1, len - 1);
  return TRUE;
}

const char *
vw_round_format (guint round,
                 char  buf[16])
{
  g_snprintf (buf, 16, "T%u", round);
  return buf;
}

/* Problems. */

void
vw_records_problem_free (VwRecordsProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

/* Returns: (transfer full): "FILE:LINE:COLUMN: message" */
char *
vw_records_problem_to_string (const VwRecordsProblem *problem)
{
  return g_strdup_printf ("%s:%u:%u: %s", vw_records_file_name (problem->file),
                          problem->line, problem->column, problem->message);
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const VwRecordsProblem *pa = *(VwRecordsProblem **) a;
  const VwRecordsProblem *pb = *(VwRecordsProblem **) b;

  if (pa->file != pb->file)
    return pa->file < pb->file ? -1 : 1;
  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  return 0;
}

/* The model. */

struct _VwRecords
{
  gatomicrefcount  ref_count;
  GStringChunk    *strings;      /* owned: codes, pseudonyms, municipalities */
  GArray          *participants; /* owned: of VwRecordParticipant, by code */
  GArray          *rounds;       /* owned: of VwRoundRecord, by code then round */
  GArray          *episodes;     /* owned: of VwRecordEpisode, by code then start */
  GArray          *round_numbers;/* owned: of guint, ascending */
  GHashTable      *by_code;      /* owned: code (borrowed) -> index + 1 */
};

struct _VwRecordsBuilder
{
  GStringChunk *strings;
  GArray       *rows[VW_RECORDS_N_FILES];
  /* The column number of each documented column in its source (0 when
   * absent), so that every message points where the user looks. */
  guint         positions[VW_RECORDS_N_FILES][MAX_COLUMNS];
  /* A file that could not be read to its end: checks that need all of it
   * (a participant missing from participants.csv) are skipped. */
  gboolean      incomplete[VW_RECORDS_N_FILES];
  GPtrArray    *problems;     /* of VwRecordsProblem */
  guint         n_problems;   /* including those not kept */
};

VwRecordsBuilder *
vw_records_builder_new (void)
{
  VwRecordsBuilder *self = g_new0 (VwRecordsBuilder, 1);
  const FileSpec *all = get_specs ();

  self->strings = g_string_chunk_new (64 * 1024);
  for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
    {
      self->rows[f] = g_array_new (FALSE, TRUE, all[f].row_size);
      for (guint c = 0; c < all[f].n_columns; c++)
        self->positions[f][c] = c + 1;
    }
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_records_problem_free);

  return self;
}

void
vw_records_builder_free (VwRecordsBuilder *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->strings, g_string_chunk_free);
  for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
    g_array_unref (self->rows[f]);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

/**
 * vw_records_builder_add_problem:
 *
 * Records a problem found outside the builder's own checks (a file that
 * cannot be read as CSV, a bad header); the builder then yields no model.
 */
void
vw_records_builder_add_problem (VwRecordsBuilder *self,
                                VwRecordsFile     file,
                                guint             line,
                                guint             column,
                                const char       *message)
{
  VwRecordsProblem *problem;

  self->n_problems++;
  if (self->problems->len >= MAX_PROBLEMS_KEPT)
    return;

  problem = g_new0 (VwRecordsProblem, 1);
  problem->file = file;
  problem->line = line;
  problem->column = column;
  problem->message = g_strdup (message);
  g_ptr_array_add (self->problems, problem);
}

static void add_problemf (VwRecordsBuilder *self,
                          VwRecordsFile     file,
                          guint             line,
                          guint             column,
                          const char       *format,
                          ...) G_GNUC_PRINTF (5, 6);

static void
add_problemf (VwRecordsBuilder *self,
              VwRecordsFile     file,
              guint             line,
              guint             column,
              const char       *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  vw_records_builder_add_problem (self, file, line, column, message);
}

static gboolean
check_value (const Column  *col,
             const char    *value,
             GError       **error)
{
  switch (col->type)
    {
    case COL_TEXT:
      return g_str_equal (col->name, "pseudonym") ? vw_validate_pseudonym (value, error)
                                                   : vw_validate_municipality (value, error);
    case COL_CODE:
      return vw_validate_participant_code (col->name, value, error);
    case COL_CHOICE:
      return g_str_equal (col->name, "region") ? vw_validate_region (value, NULL, error)
                                                : vw_validate_code (col->name, vw_code_list_get_name (col->codes),
                                                                    value, error);
    case COL_YEAR:
      return vw_validate_birth_year (value, error);
    case COL_MONTH:
      return vw_validate_month (col->name, value, error);
    case COL_DATE:
      return vw_validate_date (col->name, value, error);
    case COL_ROUND:
      return vw_validate_round_label (col->name, value, error);
    case COL_INTEGER:
      return vw_validate_integer (col->name, value, col->variable->minimum, col->variable->maximum, error);
    default:
      g_assert_not_reached ();
    }
}

/* Checks one value with the validator of its column (vw-validate.c, the
 * same that the vault and the merge use) and parses it into the row; on
 * a bad value, reports it and leaves the field "not recorded". */
static gboolean
parse_value (VwRecordsBuilder *self,
             VwRecordsFile     file,
             const Column     *col,
             const char       *value,
             guint             line,
             guint             column,
             guint8           *row)
{
  gpointer field = row + col->offset;
  g_autoptr(GError) error = NULL;

  if (value == NULL || *value == '\0')
    {
      if (col->required)
        {
          add_problemf (self, file, line, column, _("the column “%s” needs a value"), col->name);
          return FALSE;
        }
      return TRUE;
    }

  if (!check_value (col, value, &error))
    {
      vw_records_builder_add_problem (self, file, line, column, error->message);
      return FALSE;
    }

  switch (col->type)
    {
    case COL_TEXT:
    case COL_CODE:
      *(const char **) field = g_string_chunk_insert_const (self->strings, value);
      return TRUE;
    case COL_CHOICE:
      /* The codebook's own string: compared and kept without copies. */
      *(const char **) field = vw_code_get_code (vw_code_list_lookup (col->codes, value));
      return TRUE;
    case COL_YEAR:
      *(int *) field = atoi (value);
      return TRUE;
    case COL_MONTH:
      return vw_month_parse (value, field);
    case COL_DATE:
      return vw_date_parse (value, field);
    case COL_ROUND:
      return vw_round_parse (value, field);
    case COL_INTEGER:
      *(int *) field = atoi (value);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* Checks within one row that need more than one of its values; @bad
 * has a bit set for each column whose value was already reported. */
static void
check_row (VwRecordsBuilder *self,
           VwRecordsFile     file,
           gpointer          row,
           const guint      *lines,
           guint             bad)
{
  const guint *pos = self->positions[file];
  char a[16], b[16];

  if (file == VW_RECORDS_ROUNDS)
    {
      VwRoundRecord *r = row;

      /* An interview without a date cannot be placed in time, and the
       * trajectory rules measure durations to the last interview. */
      if (bad & (1u << RC_DATE | 1u << RC_RESIDENCE_SINCE))
        return;
      if (vw_round_record_is_interview (r) && r->date == VW_DATE_NONE)
        add_problemf (self, file, lines[RC_DATE], pos[RC_DATE] ? pos[RC_DATE] : pos[RC_STATUS],
                      _("an interview (status interviewed) needs a date in the column “date”"));
      else if (r->date != VW_DATE_NONE && r->residence_since != VW_MONTH_NONE &&
               r->residence_since > vw_date_get_month (r->date))
        add_problemf (self, file, lines[RC_RESIDENCE_SINCE], pos[RC_RESIDENCE_SINCE],
                      _("residence_since %s is after the interview date %s"),
                      vw_month_format (r->residence_since, a), vw_date_format (r->date, b));
    }
  else if (file == VW_RECORDS_EPISODES)
    {
      VwRecordEpisode *e = row;

      g_autoptr(GError) error = NULL;

      /* The order of start and end, by the episode's own validator. */
      if (!(bad & (1u << EC_START | 1u << EC_END | 1u << EC_RESIDENCE)) && e->start != VW_MONTH_NONE &&
          e->residence != NULL &&
          !vw_validate_episode (vw_month_format (e->start, a),
                                e->end != VW_MONTH_NONE ? vw_month_format (e->end, b) : NULL, e->residence,
                                &error))
        vw_records_builder_add_problem (self, file, lines[EC_END], pos[EC_END], error->message);
    }
}

/* Adds a row given in the documented column order; @lines gives each
 * value's line (0 for a column the source does not have). */
static void
add_row_at (VwRecordsBuilder   *self,
            VwRecordsFile       file,
            const char * const *values,
            const guint        *lines)
{
  const FileSpec *spec = &get_specs ()[file];
  union {
    VwRecordParticipant participant;
    VwRoundRecord round;
    VwRecordEpisode     episode;
  } row;
  guint bad = 0;

  memset (&row, 0, sizeof row);
  /* Not recorded unless a source says so. */
  if (file == VW_RECORDS_ROUNDS)
    row.round.attempts = -1;

  for (guint c = 0; c < spec->n_columns; c++)
    if (!parse_value (self, file, &spec->columns[c], values[c],
                      lines[c], self->positions[file][c], (guint8 *) &row))
      bad |= 1u << c;

  if (file == VW_RECORDS_PARTICIPANTS)
    row.participant.line = lines[0];
  else if (file == VW_RECORDS_ROUNDS)
    row.round.line = lines[0];
  else
    row.episode.line = lines[0];

  check_row (self, file, &row, lines, bad);

  /* A row without a usable key (code, then round or start: the first
   * columns of every file) is left out: the checks across rows would only
   * repeat its problem in other words. */
  if (!(bad & 1u) && (file == VW_RECORDS_PARTICIPANTS || !(bad & 2u)))
    g_array_append_vals (self->rows[file], &row, 1);
}

/**
 * vw_records_builder_add_row:
 * @values: (array): one value per column of @file in the documented order
 *   (vw_codebook_get_record_columns()); NULL or "" is "not recorded"
 * @line: where the row comes from, for messages (0 when it has no line)
 */
void
vw_records_builder_add_row (VwRecordsBuilder   *self,
                            VwRecordsFile       file,
                            const char * const *values,
                            guint               line)
{
  guint lines[MAX_COLUMNS];

  g_return_if_fail (file < VW_RECORDS_N_FILES);

  for (guint c = 0; c < MAX_COLUMNS; c++)
    lines[c] = line;
  add_row_at (self, file, values, lines);
}

/* Reads the header; returns FALSE when the rows cannot be interpreted. */
static gboolean
read_header (VwRecordsBuilder *self,
             VwRecordsFile     file,
             VwCsvReader      *reader,
             int              *map)
{
  const FileSpec *spec = &get_specs ()[file];
  guint n = vw_csv_reader_get_n_fields (reader);
  guint line = vw_csv_reader_get_line (reader);
  gboolean usable = TRUE;

  for (guint c = 0; c < spec->n_columns; c++)
    self->positions[file][c] = 0;

  for (guint i = 0; i < n; i++)
    {
      const char *name = vw_csv_reader_get_field (reader, i);
      guint field_line = vw_csv_reader_get_field_line (reader, i);
      int found = -1;

      map[i] = -1;
      for (guint c = 0; c < spec->n_columns; c++)
        if (g_str_equal (spec->columns[c].name, name))
          found = c;

      if (found < 0)
        {
          g_autofree char *shown = vw_validate_show (name);
          GString *names = g_string_new (NULL);

          for (guint c = 0; c < spec->n_columns; c++)
            g_string_append_printf (names, "%s%s", c ? ", " : "", spec->columns[c].name);
          if (*name == '\0')
            add_problemf (self, file, field_line, i + 1,
                          _("a column without a name; the columns of %s are: %s"),
                          spec->name, names->str);
          else
            add_problemf (self, file, field_line, i + 1,
                          _("unknown column “%s”; the columns of %s are: %s"),
                          shown, spec->name, names->str);
          g_string_free (names, TRUE);
        }
      else if (self->positions[file][found] != 0)
        add_problemf (self, file, field_line, i + 1,
                      _("the column “%s” appears twice (also column %u)"),
                      name, self->positions[file][found]);
      else
        {
          self->positions[file][found] = i + 1;
          map[i] = found;
        }
    }

  for (guint c = 0; c < spec->n_columns; c++)
    if (spec->columns[c].required && self->positions[file][c] == 0)
      {
        add_problemf (self, file, line, 1, _("the required column “%s” is missing from the header"),
                      spec->columns[c].name);
        usable = FALSE;
      }

  return usable;
}

/**
 * vw_records_builder_add_csv:
 * @data: (array length=len): the whole file, UTF-8
 *
 * Reads one records file: header row, columns in any order. Problems are
 * collected; a file whose structure breaks (bad quoting) is read up to
 * that point.
 *
 * Returns: %TRUE when the file had no problems
 */
gboolean
vw_records_builder_add_csv (VwRecordsBuilder *self,
                            VwRecordsFile     file,
                            const char       *data,
                            gsize             len)
{
  const FileSpec *spec = &get_specs ()[file];
  g_autoptr(VwCsvReader) reader = vw_csv_reader_new (spec->name, data, len);
  g_autoptr(GError) error = NULL;
  guint before = self->n_problems;
  int map[MAX_COLUMNS * 4];
  guint n_header;
  gboolean usable;

  if (!vw_csv_reader_next (reader, &error))
    {
      if (error == NULL)
        add_problemf (self, file, 1, 1, _("the file is empty: it needs a header row"));
      else
        {
          guint line, column;
          const char *message = vw_csv_reader_get_problem (reader, &line, &column);
          vw_records_builder_add_problem (self, file, line, column, message);
        }
      self->incomplete[file] = TRUE;
      return FALSE;
    }

  n_header = vw_csv_reader_get_n_fields (reader);
  if (n_header > G_N_ELEMENTS (map))
    {
      add_problemf (self, file, 1, G_N_ELEMENTS (map) + 1,
                    _("the header has %u columns; %s has %u"), n_header, spec->name, spec->n_columns);
      self->incomplete[file] = TRUE;
      return FALSE;
    }
  usable = read_header (self, file, reader, map);
  if (!usable)
    {
      self->incomplete[file] = TRUE;
      return FALSE;
    }

  for (;;)
    {
      const char *values[MAX_COLUMNS] = { NULL };
      guint lines[MAX_COLUMNS] = { 0 };
      guint n, line;

      if (!vw_csv_reader_next (reader, &error))
        break;

      n = vw_csv_reader_get_n_fields (reader);
      line = vw_csv_reader_get_line (reader);
      if (n != n_header)
        {
          add_problemf (self, file, line, MIN (n, n_header) + 1,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "the row has %u field but the header has %u",
                                     "the row has %u fields but the header has %u", n),
                        n, n_header);
          continue;
        }

      for (guint i = 0; i < n; i++)
        if (map[i] >= 0)
          {
            values[map[i]] = vw_csv_reader_get_field (reader, i);
            lines[map[i]] = vw_csv_reader_get_field_line (reader, i);
          }
      /* A column the file does not have is reported on the row's line. */
      for (guint c = 0; c < spec->n_columns; c++)
        if (lines[c] == 0)
          lines[c] = line;
      add_row_at (self, file, values, lines);
    }

  if (error != NULL)
    {
      guint line, column;
      const char *message = vw_csv_reader_get_problem (reader, &line, &column);

      vw_records_builder_add_problem (self, file, line, column, message);
      self->incomplete[file] = TRUE;
    }

  return self->n_problems == before;
}

/* Cross-row checks and the final order. */

static int
compare_participants (gconstpointer a,
                      gconstpointer b)
{
  const VwRecordParticipant *pa = a, *pb = b;
  int cmp = strcmp (pa->code, pb->code);

  if (cmp != 0)
    return cmp;
  return pa->line < pb->line ? -1 : pa->line > pb->line;
}

static int
compare_rounds (gconstpointer a,
                gconstpointer b)
{
  const VwRoundRecord *ra = a, *rb = b;

  if (ra->participant != rb->participant)
    return ra->participant < rb->participant ? -1 : 1;
  /* Rows of unknown participants sort by their code among themselves. */
  if (ra->participant == G_MAXUINT && ra->code != rb->code)
    return strcmp (ra->code, rb->code);
  if (ra->round != rb->round)
    return ra->round < rb->round ? -1 : 1;
  return ra->line < rb->line ? -1 : ra->line > rb->line;
}

static gint64
end_key (const VwRecordEpisode *e)
{
  return e->end == VW_MONTH_NONE ? G_MAXINT64 : e->end;
}

static int
compare_episodes (gconstpointer a,
                  gconstpointer b)
{
  const VwRecordEpisode *ea = a, *eb = b;
  int cmp;

  if (ea->participant != eb->participant)
    return ea->participant < eb->participant ? -1 : 1;
  if (ea->participant == G_MAXUINT && ea->code != eb->code)
    return strcmp (ea->code, eb->code);
  if (ea->start != eb->start)
    return ea->start < eb->start ? -1 : 1;
  if (end_key (ea) != end_key (eb))
    return end_key (ea) < end_key (eb) ? -1 : 1;
  cmp = g_strcmp0 (ea->residence, eb->residence);
  if (cmp != 0)
    return cmp;
  return ea->line < eb->line ? -1 : ea->line > eb->line;
}

static void
check_participants (VwRecordsBuilder *self,
                    GHashTable       *by_code)
{
  GArray *rows = self->rows[VW_RECORDS_PARTICIPANTS];
  const guint *pos = self->positions[VW_RECORDS_PARTICIPANTS];
  g_autoptr(GHashTable) pseudonyms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_array_sort (rows, compare_participants);

  for (guint i = 0; i < rows->len; i++)
    {
      VwRecordParticipant *p = &g_array_index (rows, VwRecordParticipant, i);
      const VwRecordParticipant *first = g_hash_table_lookup (by_code, p->code);

      if (first != NULL)
        add_problemf (self, VW_RECORDS_PARTICIPANTS, p->line, pos[PC_CODE],
                      _("duplicate row: participant %s is already on line %u"), p->code, first->line);
      else
        g_hash_table_insert (by_code, (gpointer) p->code, p);
    }

  /* In file order, so the second use of a pseudonym is the one reported. */
  for (guint i = 0; i < rows->len; i++)
    {
      VwRecordParticipant *p = &g_array_index (rows, VwRecordParticipant, i);
      g_autofree char *folded = NULL;
      g_autofree char *key = NULL;
      VwRecordParticipant *other;

      if (p->pseudonym == NULL)
        continue;
      folded = g_utf8_casefold (p->pseudonym, -1);
      key = g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
      other = g_hash_table_lookup (pseudonyms, key);
      if (other == NULL)
        g_hash_table_insert (pseudonyms, g_steal_pointer (&key), p);
      else
        {
          VwRecordParticipant *later = other->line > p->line ? other : p;
          VwRecordParticipant *earlier = later == p ? other : p;

          add_problemf (self, VW_RECORDS_PARTICIPANTS, later->line, pos[PC_PSEUDONYM],
                        _("the pseudonym is already used on line %u (pseudonyms must differ, "
                          "also in upper and lower case)"), earlier->line);
          if (later == other)
            g_hash_table_replace (pseudonyms, g_steal_pointer (&key), p);
        }
    }
}

/* Links rows to their participant by index; reports unknown codes. */
static void
resolve_participants (VwRecordsBuilder *self,
                      VwRecordsFile     file,
                      GHashTable       *by_code,
                      VwRecordParticipant    *base)
{
  GArray *rows = self->rows[file];
  gsize size = get_specs ()[file].row_size;
  gboolean report = !self->incomplete[VW_RECORDS_PARTICIPANTS];

  for (guint i = 0; i < rows->len; i++)
    {
      guint8 *row = (guint8 *) rows->data + i * size;
      const char **code = (const char **) (row + (file == VW_RECORDS_ROUNDS ? offsetof (VwRoundRecord, code)
                                                                              : offsetof (VwRecordEpisode, code)));
      guint *participant = (guint *) (row + (file == VW_RECORDS_ROUNDS ? offsetof (VwRoundRecord, participant)
                                                                         : offsetof (VwRecordEpisode, participant)));
      guint line = file == VW_RECORDS_ROUNDS ? ((VwRoundRecord *) row)->line : ((VwRecordEpisode *) row)->line;
      VwRecordParticipant *p = g_hash_table_lookup (by_code, *code);

      if (p != NULL)
        {
          *participant = p - base;
          *code = p->code;
          continue;
        }
      *participant = G_MAXUINT;
      if (report)
        add_problemf (self, file, line, self->positions[file][0],
                      _("participant %s is not in participants.csv"), *code);
    }
}

static void
check_rounds (VwRecordsBuilder *self)
{
  GArray *rows = self->rows[VW_RECORDS_ROUNDS];
  const guint *pos = self->positions[VW_RECORDS_ROUNDS];
  const VwRoundRecord *last_interview = NULL;
  char a[16], b[16], c[16];

  g_array_sort (rows, compare_rounds);

  for (guint i = 0; i < rows->len; i++)
    {
      VwRoundRecord *r = &g_array_index (rows, VwRoundRecord, i);
      VwRoundRecord *prev = i > 0 ? &g_array_index (rows, VwRoundRecord, i - 1) : NULL;

      if (prev == NULL || prev->participant != r->participant || g_strcmp0 (prev->code, r->code) != 0)
        last_interview = NULL;

      if (prev != NULL && prev->participant == r->participant && prev->round == r->round &&
          g_str_equal (prev->code, r->code))
        {
          add_problemf (self, VW_RECORDS_ROUNDS, r->line, pos[RC_CODE],
                        _("duplicate row: participant %s already has a row for %s on line %u"),
                        r->code, vw_round_format (r->round, a), prev->line);
          continue;
        }

      if (!vw_round_record_is_interview (r) || r->date == VW_DATE_NONE)
        continue;
      /* The rules read interviews in round order as time order. */
      if (last_interview != NULL && r->date < last_interview->date)
        add_problemf (self, VW_RECORDS_ROUNDS, r->line, pos[RC_DATE],
                      _("the interview date %s is before the date of the interview in %s (%s, line %u)"),
                      vw_date_format (r->date, a), vw_round_format (last_interview->round, b),
                      vw_date_format (last_interview->date, c), last_interview->line);
      last_interview = r;
    }
}

static void
check_episodes (VwRecordsBuilder *self)
{
  GArray *rows = self->rows[VW_RECORDS_EPISODES];
  const guint *pos = self->positions[VW_RECORDS_EPISODES];
  const VwRecordEpisode *latest = NULL; /* the episode so far that ends last */
  char a[16], b[16];

  g_array_sort (rows, compare_episodes);

  for (guint i = 0; i < rows->len; i++)
    {
      VwRecordEpisode *e = &g_array_index (rows, VwRecordEpisode, i);
      VwRecordEpisode *prev = i > 0 ? &g_array_index (rows, VwRecordEpisode, i - 1) : NULL;

      if (prev == NULL || prev->participant != e->participant || !g_str_equal (prev->code, e->code))
        latest = NULL;

      if (latest != NULL && prev->start == e->start && prev->end == e->end &&
          g_strcmp0 (prev->residence, e->residence) == 0)
        {
          add_problemf (self, VW_RECORDS_EPISODES, e->line, pos[EC_CODE],
                        _("duplicate row: the same episode is already on line %u"), prev->line);
          continue;
        }

      /* Months are the finest grain: one stay may end in the month the
       * next begins, so only a start before the other's end overlaps. */
      if (latest != NULL && latest->end == VW_MONTH_NONE)
        add_problemf (self, VW_RECORDS_EPISODES, e->line, pos[EC_START],
                      _("the episode overlaps the episode from %s on line %u, which has no end"),
                      vw_month_format (latest->start, a), latest->line);
      else if (latest != NULL && e->start < latest->end)
        add_problemf (self, VW_RECORDS_EPISODES, e->line, pos[EC_START],
                      _("the episode overlaps the episode from %s to %s on line %u"),
                      vw_month_format (latest->start, a), vw_month_format (latest->end, b),
                      latest->line);

      if (latest == NULL || end_key (e) > end_key (latest))
        latest = e;
    }
}

static void
vw_records_free (VwRecords *self)
{
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_array_unref (self->participants);
  g_array_unref (self->rounds);
  g_array_unref (self->episodes);
  g_array_unref (self->round_numbers);
  g_hash_table_unref (self->by_code);
  g_free (self);
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub;
}

/* Builds the model's indexes from rows that passed every check. */
static VwRecords *
assemble (VwRecordsBuilder *self)
{
  VwRecords *records = g_new0 (VwRecords, 1);
  VwRecordParticipant *participants;
  gboolean seen[100] = { FALSE };

  g_atomic_ref_count_init (&records->ref_count);
  records->strings = g_steal_pointer (&self->strings);
  records->participants = g_array_ref (self->rows[VW_RECORDS_PARTICIPANTS]);
  records->rounds = g_array_ref (self->rows[VW_RECORDS_ROUNDS]);
  records->episodes = g_array_ref (self->rows[VW_RECORDS_EPISODES]);
  records->round_numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  records->by_code = g_hash_table_new (g_str_hash, g_str_equal);

  participants = (VwRecordParticipant *) (gpointer) records->participants->data;
  for (guint i = 0; i < records->participants->len; i++)
    g_hash_table_insert (records->by_code, (gpointer) participants[i].code, GUINT_TO_POINTER (i + 1));

  for (guint i = 0; i < records->rounds->len; i++)
    {
      const VwRoundRecord *r = &g_array_index (records->rounds, VwRoundRecord, i);
      VwRecordParticipant *p = &participants[r->participant];

      if (p->n_rounds++ == 0)
        p->first_round = i;
      if (!seen[r->round])
        {
          seen[r->round] = TRUE;
          g_array_append_val (records->round_numbers, r->round);
        }
    }
  g_array_sort (records->round_numbers, compare_uint);

  for (guint i = 0; i < records->episodes->len; i++)
    {
      const VwRecordEpisode *e = &g_array_index (records->episodes, VwRecordEpisode, i);
      VwRecordParticipant *p = &participants[e->participant];

      if (p->n_episodes++ == 0)
        p->first_episode = i;
    }

  return records;
}

/**
 * vw_records_builder_end:
 * @problems: (out) (optional) (transfer container): the problems found, by
 *   file, line and column, at most 100
 *
 * Runs the checks across rows and files and, when nothing is wrong,
 * returns the model. The builder cannot be used afterwards except to be
 * freed.
 *
 * Returns: (transfer full) (nullable): the records, or %NULL with @error
 *   naming the first problem and how many there are
 */
VwRecords *
vw_records_builder_end (VwRecordsBuilder  *self,
                        GPtrArray        **problems,
                        GError           **error)
{
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  VwRecordParticipant *base;

  check_participants (self, by_code);
  base = (VwRecordParticipant *) (gpointer) self->rows[VW_RECORDS_PARTICIPANTS]->data;
  resolve_participants (self, VW_RECORDS_ROUNDS, by_code, base);
  resolve_participants (self, VW_RECORDS_EPISODES, by_code, base);
  check_rounds (self);
  check_episodes (self);

  g_ptr_array_sort (self->problems, compare_problems);
  if (self->problems->len > MAX_PROBLEMS)
    g_ptr_array_set_size (self->problems, MAX_PROBLEMS);
  if (problems != NULL)
    *problems = g_ptr_array_ref (self->problems);

  if (self->n_problems > 0)
    {
      g_autofree char *first = vw_records_problem_to_string (g_ptr_array_index (self->problems, 0));

      if (self->n_problems == 1)
        g_set_error_literal (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID, first);
      else
        g_set_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_INVALID,
                     g_dngettext (GETTEXT_PACKAGE, "%s (and %u more problem)", "%s (and %u more problems)",
                                  self->n_problems - 1),
                     first, self->n_problems - 1);
      return NULL;
    }

  return assemble (self);
}

/* Loading and writing files. */

static gboolean
add_file (VwRecordsBuilder  *builder,
          VwRecordsFile      file,
          const char        *dir,
          gboolean           optional,
          GError           **error)
{
  g_autofree char *path = g_build_filename (dir, vw_records_file_name (file), NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      if (optional && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_IO,
                   _("Cannot read %s: %s"), path, local->message);
      return FALSE;
    }

  vw_records_builder_add_csv (builder, file, data, len);
  return TRUE;
}

/**
 * vw_records_load_dir:
 * @dir: a folder with participants.csv and rounds.csv, and episodes.csv
 *   when there are episodes (a missing episodes.csv means none: rounds
 *   collected on paper often have no history between interviews)
 * @problems: (out) (optional) (transfer container): see
 *   vw_records_builder_end()
 *
 * Returns: (transfer full) (nullable): the records; %NULL when a file
 *   cannot be read or anything in them is wrong: nothing is half-loaded
 */
VwRecords *
vw_records_load_dir (const char  *dir,
                     GPtrArray  **problems,
                     GError     **error)
{
  g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();

  if (problems != NULL)
    *problems = NULL;
  if (!add_file (builder, VW_RECORDS_PARTICIPANTS, dir, FALSE, error) ||
      !add_file (builder, VW_RECORDS_ROUNDS, dir, FALSE, error) ||
      !add_file (builder, VW_RECORDS_EPISODES, dir, TRUE, error))
    return NULL;

  return vw_records_builder_end (builder, problems, error);
}

/**
 * vw_records_new_from_csv:
 * @episodes: (nullable): episodes.csv, or %NULL for none
 *
 * The three files' text, for tests and for sources other than a folder.
 */
VwRecords *
vw_records_new_from_csv (const char  *participants,
                         const char  *rounds,
                         const char  *episodes,
                         GPtrArray  **problems,
                         GError     **error)
{
  g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();

  vw_records_builder_add_csv (builder, VW_RECORDS_PARTICIPANTS, participants, strlen (participants));
  vw_records_builder_add_csv (builder, VW_RECORDS_ROUNDS, rounds, strlen (rounds));
  if (episodes != NULL)
    vw_records_builder_add_csv (builder, VW_RECORDS_EPISODES, episodes, strlen (episodes));

  return vw_records_builder_end (builder, problems, error);
}

VwRecords *
vw_records_ref (VwRecords *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
vw_records_unref (VwRecords *self)
{
  if (self != NULL && g_atomic_ref_count_dec (&self->ref_count))
    vw_records_free (self);
}

/* Returns: (array length=n_participants): by code */
const VwRecordParticipant *
vw_records_get_participants (VwRecords *self,
                             guint     *n_participants)
{
  *n_participants = self->participants->len;
  return (const VwRecordParticipant *) (gpointer) self->participants->data;
}

/* Returns: (array length=n_rounds): by participant code, then round */
const VwRoundRecord *
vw_records_get_rounds (VwRecords *self,
                       guint     *n_rounds)
{
  *n_rounds = self->rounds->len;
  return (const VwRoundRecord *) (gpointer) self->rounds->data;
}

/* Returns: (array length=n_episodes): by participant code, then start */
const VwRecordEpisode *
vw_records_get_episodes (VwRecords *self,
                         guint     *n_episodes)
{
  *n_episodes = self->episodes->len;
  return (const VwRecordEpisode *) (gpointer) self->episodes->data;
}

/**
 * vw_records_get_round_numbers:
 *
 * The study's rounds as far as the records know them: every round named
 * in rounds.csv, in order.
 *
 * Returns: (array length=n_round_numbers): ascending
 */
const guint *
vw_records_get_round_numbers (VwRecords *self,
                              guint     *n_round_numbers)
{
  *n_round_numbers = self->round_numbers->len;
  return (const guint *) (gpointer) self->round_numbers->data;
}

/* Returns: the participant's index, or -1 */
int
vw_records_find_participant (VwRecords  *self,
                             const char *code)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_code, code)) - 1;
}

static const char *
format_value (const Column *col,
              const guint8 *row,
              char          buf[16])
{
  gconstpointer field = row + col->offset;

  switch (col->type)
    {
    case COL_TEXT:
    case COL_CODE:
    case COL_CHOICE:
      return *(const char * const *) field;
    case COL_YEAR:
      if (*(const int *) field == 0)
        return NULL;
      g_snprintf (buf, 16, "%d", *(const int *) field);
      return buf;
    case COL_MONTH:
      return vw_month_format (*(const VwMonth *) field, buf);
    case COL_DATE:
      return vw_date_format (*(const VwDate *) field, buf);
    case COL_ROUND:
      return vw_round_format (*(const guint *) field, buf);
    case COL_INTEGER:
      if (*(const int *) field < 0)
        return NULL;
      g_snprintf (buf, 16, "%d", *(const int *) field);
      return buf;
    default:
      g_assert_not_reached ();
    }
}

/**
 * vw_records_get_row_values:
 * @values: (out caller-allocates) (array fixed-size=16): the row's values
 *   in the documented column order; %NULL where not recorded
 * @bufs: room for the numbers formatted as text, which @values point into
 *
 * The text of one row, as vw_records_format_csv() writes it, for callers
 * that store records elsewhere (the vault).
 *
 * Returns: the number of columns of @file
 */
guint
vw_records_get_row_values (VwRecords     *self,
                           VwRecordsFile  file,
                           guint          index,
                           const char    *values[VW_RECORDS_MAX_COLUMNS],
                           char           bufs[VW_RECORDS_MAX_COLUMNS][16])
{
  const FileSpec *spec = &get_specs ()[file];
  GArray *rows = file == VW_RECORDS_PARTICIPANTS ? self->participants
               : file == VW_RECORDS_ROUNDS ? self->rounds : self->episodes;
  const guint8 *row;

  g_return_val_if_fail (index < rows->len, 0);

  row = (const guint8 *) rows->data + index * spec->row_size;
  for (guint c = 0; c < spec->n_columns; c++)
    {
      values[c] = format_value (&spec->columns[c], row, bufs[c]);
      if (values[c] != NULL && *values[c] == '\0')
        values[c] = NULL;
    }
  return spec->n_columns;
}

/**
 * vw_records_format_csv:
 *
 * Returns: (transfer full): @file as CSV: every column in the documented
 *   order, rows in the model's order, CRLF line ends as RFC 4180 has them
 */
char *
vw_records_format_csv (VwRecords     *self,
                       VwRecordsFile  file)
{
  const FileSpec *spec = &get_specs ()[file];
  GArray *rows = file == VW_RECORDS_PARTICIPANTS ? self->participants
               : file == VW_RECORDS_ROUNDS ? self->rounds : self->episodes;
  GString *out = g_string_sized_new (64 + rows->len * 64);
  const char *values[MAX_COLUMNS];
  char bufs[MAX_COLUMNS][16];

  for (guint c = 0; c < spec->n_columns; c++)
    values[c] = spec->columns[c].name;
  vw_csv_append_row (out, values, spec->n_columns, "\r\n");

  for (guint i = 0; i < rows->len; i++)
    {
      const guint8 *row = (const guint8 *) rows->data + i * spec->row_size;

      for (guint c = 0; c < spec->n_columns; c++)
        values[c] = format_value (&spec->columns[c], row, bufs[c]);
      vw_csv_append_row (out, values, spec->n_columns, "\r\n");
    }

  return g_string_free (out, FALSE);
}

/**
 * vw_records_write_dir:
 *
 * Writes the three files into @dir (created when missing). Each file is
 * replaced in one step, so a failure never leaves a half-written file.
 */
gboolean
vw_records_write_dir (VwRecords   *self,
                      const char  *dir,
                      GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_IO,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
    {
      g_autofree char *path = g_build_filename (dir, vw_records_file_name (f), NULL);
      g_autofree char *text = vw_records_format_csv (self, f);
      g_autoptr(GError) local = NULL;
      /* Pseudonymized records: no copy left beside them if the program
       * is killed while writing. */
      g_autoptr(VwAtomicFile) file = vw_atomic_file_new (path, 0600, &local);

      if (file == NULL ||
          !g_output_stream_write_all (vw_atomic_file_get_stream (file), text, strlen (text), NULL, NULL, &local) ||
          !vw_atomic_file_commit (file, TRUE, &local))
        {
          g_set_error (error, VW_RECORDS_ERROR, VW_RECORDS_ERROR_IO,
                       _("Cannot write %s: %s"), path, local->message);
          return FALSE;
        }
    }

  return TRUE;
}
