/* vw-export.c: the anonymized export: tables, export ids, disclosure
 * control, the CSV files, the manifest and the package.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "vw-age.h"
#include "vw-atomic-file.h"
#include "vw-csv.h"
#include "vw-export-private.h"
#include "vw-export-archive.h"
#include "vw-package.h"
#include "vw-resources.h"
#include "vw-vault.h"

G_DEFINE_QUARK (vw-export-error-quark, vw_export_error)

#define MAX_QUASI VW_EXPORT_MAX_QUASI
#define MAX_FAMILY VW_EXPORT_MAX_FAMILY

/* The quasi-identifiers that are always checked, in the order in which
 * generalization blanks them last. */
static const char * const default_quasi[] = { "region", "origin", "age_band", NULL };

/* Round variables of the export (vw-export-disclosure.c). */
#define round_variables vw_export_round_variables

static const char * const hist_variables[] = {
  "hist_street", "hist_youthcare_placement", "hist_unsafe_home", "hist_remigration", NULL
};

/* Variables that only the export has; labels are data of the package, in
 * both languages, so they are not translated through gettext. */
static const struct
{
  const char         *name;
  VwExportColumnKind  kind;
  const char         *codes;
  const char         *label_nl;
  const char         *label_en;
} export_variables[] = {
  { "export_id", VW_EXPORT_COLUMN_STRING, NULL, "Exportnummer (sleutel-hash van de deelnemerscode)",
    "Export id (keyed hash of the participant code)" },
  { "study", VW_EXPORT_COLUMN_STRING, NULL, "Studie (code van de studie in een gepoolde dataset)",
    "Study (code of the study in a pooled dataset)" },
  { "round", VW_EXPORT_COLUMN_STRING, NULL, "Meting", "Round" },
  { "month", VW_EXPORT_COLUMN_STRING, NULL, "Maand van het interview", "Month of the interview" },
  { "n_interviews", VW_EXPORT_COLUMN_INTEGER, NULL, "Aantal interviews", "Number of interviews" },
  { "trajectory", VW_EXPORT_COLUMN_CODED, "trajectory", "Trajecttype (afgeleid)", "Trajectory type (derived)" },
  { "trajectory_subtype", VW_EXPORT_COLUMN_CODED, "trajectory_subtype", "Subtype uitstroom (afgeleid)",
    "Outflow sub-type (derived)" },
  { "trajectory_final", VW_EXPORT_COLUMN_CODED, "trajectory", "Trajecttype (definitief)", "Trajectory type (final)" },
  { "trajectory_final_subtype", VW_EXPORT_COLUMN_CODED, "trajectory_subtype", "Subtype uitstroom (definitief)",
    "Outflow sub-type (final)" },
  { "long_stay", VW_EXPORT_COLUMN_CODED, "ja_nee_onbekend", "Langdurig verblijf (signaal)", "Long-stay flag" },
};

struct _VwExport
{
  VwRecords         *records;    /* owned */
  VwSecret          *key;        /* owned */
  VwExportOptions    options;    /* strings below are owned copies */
  char              *study_id;
  char              *study_name;
  char              *age_scheme;
  char              *language;
  GStrv              quasi;      /* every quasi-identifier, defaults first */
  GPtrArray         *recipients; /* owned VwAgeRecipient* */
  VwSecret          *signing_key; /* owned, nullable */
  GStrv              regions;
  GStrv              questionnaires;
  VwClassification  *own_classification;
  VwClassification  *classification; /* borrowed or own */
  VwExportTable     *wide;
  VwExportTable     *long_;
  GPtrArray         *quotes;     /* VwExportQuote* */
  guint             *order;      /* participants by export id: rows say nothing of
                                    the order of enrolment */
  gboolean          *suppressed; /* per participant */
  guint32           *blanked;    /* per participant: bit q = quasi[q] blanked */
  VwDisclosure      *disclosure; /* what blanking each quasi-identifier blanks */
  guint              n_participants;
  guint              n_suppressed;
  guint              n_generalized;
  guint              n_groups;       /* released groups */
  guint              smallest_group; /* size of the smallest released group */
  GString           *report;
};

/* Formats and ids */

gboolean
vw_export_formats_parse (const char       *text,
                         VwExportFormats  *formats,
                         GError          **error)
{
  g_auto(GStrv) names = g_strsplit (text, ",", -1);
  VwExportFormats result = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);

      if (g_str_equal (name, "csv"))
        result |= VW_EXPORT_FORMAT_CSV;
      else if (g_str_equal (name, "sav"))
        result |= VW_EXPORT_FORMAT_SAV;
      else if (g_str_equal (name, "dta"))
        result |= VW_EXPORT_FORMAT_DTA;
      else if (g_str_equal (name, "qdpx"))
        result |= VW_EXPORT_FORMAT_QDPX;
      else
        {
          g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                       _("“%s” is not an export format: use csv, sav, dta or qdpx, separated by commas"),
                       name);
          return FALSE;
        }
    }
  if (result == 0)
    {
      g_set_error_literal (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                           _("Give at least one export format: csv, sav, dta or qdpx"));
      return FALSE;
    }
  *formats = result;
  return TRUE;
}

static void
keyed_hash (const VwSecret *key,
            const char     *domain,
            const char     *text,
            guint8          out[16])
{
  crypto_generichash_state state;

  /* The domain keeps export ids and GUIDs apart although one key makes
   * both. */
  crypto_generichash_init (&state, vw_secret_const_data (key), vw_secret_len (key), 16);
  crypto_generichash_update (&state, (const guint8 *) domain, strlen (domain) + 1);
  crypto_generichash_update (&state, (const guint8 *) text, strlen (text));
  crypto_generichash_final (&state, out, 16);
}

/**
 * vw_export_id:
 *
 * Returns: (transfer full): 16 lower-case hex digits (64 bits of a BLAKE2b
 * keyed hash of @code)
 */
char *
vw_export_id (const VwSecret *key,
              const char     *code)
{
  guint8 hash[16];
  char hex[17];

  keyed_hash (key, "veldwerk export id v1", code, hash);
  sodium_bin2hex (hex, sizeof hex, hash, 8);
  return g_strdup (hex);
}

char *
vw_export_guid (const VwSecret *key,
                const char     *what)
{
  guint8 h[16];

  keyed_hash (key, "veldwerk export guid v1", what, h);
  h[6] = (h[6] & 0x0f) | 0x40; /* version 4 and the RFC 4122 variant */
  h[8] = (h[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
                          h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
}

/* Redaction */

static GRegex *
redaction_regex (void)
{
  static GRegex *regex;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      /* Alternatives, in the order of the placeholders in redact_cb(). */
      GRegex *r = g_regex_new ("([[:alnum:]._%+-]+@[[:alnum:].-]+\\.[[:alpha:]]{2,})"
                               "|(\\b\\d{1,4}[-/.]\\d{1,2}[-/.]\\d{1,4}\\b)"
                               "|(\\+?\\d[\\d \\-]{6,}\\d)"
                               "|(\\b[A-Z]{2,3}-[0-9A-Z]{5}\\b)",
                               G_REGEX_OPTIMIZE, 0, NULL);
      regex = r;
      g_once_init_leave (&once, 1);
    }
  return regex;
}

static gboolean
redact_cb (const GMatchInfo *info,
           GString          *out,
           gpointer          user_data)
{
  static const char * const placeholders[] = { "[e-mail]", "[datum]", "[telefoon]", "[code]" };

  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    {
      int start = -1, end = -1;

      if (g_match_info_fetch_pos (info, i + 1, &start, &end) && start >= 0 && end > start)
        {
          g_string_append (out, placeholders[i]);
          return FALSE;
        }
    }
  return FALSE;
}

static GHashTable *
pseudonym_set (VwRecords *records)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const VwRecordParticipant *participants;
  guint n;

  participants = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    if (participants[i].pseudonym != NULL && *participants[i].pseudonym != '\0')
      g_hash_table_add (set, g_utf8_casefold (participants[i].pseudonym, -1));
  return set;
}

static char *
redact_with (GHashTable *pseudonyms,
             const char *text)
{
  g_autofree char *patterns = NULL;
  GString *out = g_string_new (NULL);
  const char *p;

  patterns = g_regex_replace_eval (redaction_regex (), text, -1, 0, 0, redact_cb, NULL, NULL);
  if (patterns == NULL)
    patterns = g_strdup ("");

  /* Pseudonyms are names: any word that is one becomes [persoon]. */
  p = patterns;
  while (*p != '\0')
    {
      const char *start = p;
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          g_autofree char *folded = NULL;

          while (*p != '\0' && (g_unichar_isalnum (g_utf8_get_char (p)) || *p == '-' || *p == '\''))
            p = g_utf8_next_char (p);
          folded = g_utf8_casefold (start, p - start);
          if (g_hash_table_contains (pseudonyms, folded))
            g_string_append (out, "[persoon]");
          else
            g_string_append_len (out, start, p - start);
        }
      else
        {
          p = g_utf8_next_char (p);
          g_string_append_len (out, start, p - start);
        }
    }
  return g_string_free (out, FALSE);
}

char *
vw_export_redact (VwRecords  *records,
                  const char *text)
{
  g_autoptr(GHashTable) pseudonyms = pseudonym_set (records);

  return redact_with (pseudonyms, text);
}

/* Tables */

static void
export_column_free (VwExportColumn *column)
{
  g_free (column->name);
  g_free (column->label_nl);
  g_free (column->label_en);
  g_free (column);
}

static VwExportTable *
export_table_new (const char *name)
{
  VwExportTable *table = g_new0 (VwExportTable, 1);

  table->name = g_strdup (name);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) export_column_free);
  table->cells = g_ptr_array_new ();
  table->owners = g_array_new (FALSE, FALSE, sizeof (guint));
  table->chunk = g_string_chunk_new (4096);
  return table;
}

static void
export_table_free (VwExportTable *table)
{
  if (table == NULL)
    return;
  g_free (table->name);
  g_ptr_array_unref (table->columns);
  g_ptr_array_unref (table->cells);
  g_array_unref (table->owners);
  g_string_chunk_free (table->chunk);
  g_free (table);
}

VwExportTable *
vw_export_table_new (const char *name)
{
  return export_table_new (name);
}

void
vw_export_table_free (VwExportTable *table)
{
  export_table_free (table);
}

int
vw_export_table_find_column (const VwExportTable *table,
                             const char          *name)
{
  for (guint i = 0; i < table->columns->len; i++)
    if (g_str_equal (((VwExportColumn *) g_ptr_array_index (table->columns, i))->name, name))
      return i;
  return -1;
}

int
vw_export_column_number (const VwExportColumn *column,
                         const char           *value)
{
  if (value == NULL || column->codes == NULL)
    return 0;
  for (guint i = 0; i < vw_code_list_get_n_codes (column->codes); i++)
    if (g_str_equal (vw_code_get_code (vw_code_list_get_code (column->codes, i)), value))
      return i + 1;
  return -1;
}

const char *
vw_export_column_label (const VwExportColumn *column,
                        const char           *language)
{
  return g_strcmp0 (language, "en") == 0 ? column->label_en : column->label_nl;
}

/* Adds the column for @variable, named @variable plus @suffix, labelled
 * from the codebook or from export_variables. */
static void
add_column (VwExportTable *table,
            const char    *variable,
            const char    *age_scheme,
            guint          round)
{
  VwCodebook *codebook = vw_codebook_get_core ();
  VwExportColumn *column = g_new0 (VwExportColumn, 1);
  const VwVariable *var = NULL;
  char round_buf[16];
  const char *round_name = round == G_MAXUINT ? NULL : vw_round_format (round, round_buf);

  for (guint i = 0; i < G_N_ELEMENTS (export_variables); i++)
    if (g_str_equal (export_variables[i].name, variable))
      {
        column->kind = export_variables[i].kind;
        column->codes = export_variables[i].codes
                        ? vw_codebook_get_code_list (codebook, export_variables[i].codes) : NULL;
        column->label_nl = g_strdup (export_variables[i].label_nl);
        column->label_en = g_strdup (export_variables[i].label_en);
      }

  if (column->label_nl == NULL && (var = vw_codebook_get_variable (codebook, variable)) != NULL)
    {
      column->label_nl = g_strdup (var->label_nl);
      column->label_en = g_strdup (var->label_en);
      if (g_str_equal (variable, "age_band"))
        {
          g_autofree char *list = g_strconcat ("age_band_", age_scheme, NULL);
          column->codes = vw_codebook_get_code_list (codebook, list);
        }
      else if (var->codes != NULL)
        column->codes = vw_codebook_get_code_list (codebook, var->codes);
      column->kind = column->codes != NULL ? VW_EXPORT_COLUMN_CODED : VW_EXPORT_COLUMN_STRING;
    }
  g_assert (column->label_nl != NULL);

  if (round_name != NULL)
    {
      char *nl = g_strdup_printf ("%s (%s)", column->label_nl, round_name);
      char *en = g_strdup_printf ("%s (%s)", column->label_en, round_name);

      g_free (column->label_nl);
      g_free (column->label_en);
      column->label_nl = nl;
      column->label_en = en;
      column->name = g_strdup_printf ("%s_%s", variable, round_name);
    }
  else
    column->name = g_strdup (variable);

  g_ptr_array_add (table->columns, column);
}

static const char *
intern (VwExportTable *table,
        const char    *value)
{
  return value == NULL || *value == '\0' ? NULL : g_string_chunk_insert_const (table->chunk, value);
}

void
vw_export_table_add_column (VwExportTable *table,
                            const char    *variable,
                            const char    *age_scheme,
                            guint          round)
{
  add_column (table, variable, age_scheme, round);
}

const char *
vw_export_table_intern (VwExportTable *table,
                        const char    *value)
{
  return intern (table, value);
}

/* The values of one participant that both tables carry. */
typedef struct
{
  const char *export_id;
  const char *age_band;
  guint       n_interviews;
  const char *trajectory;
  const char *trajectory_subtype;
  const char *trajectory_final;
  const char *trajectory_final_subtype;
  const char *long_stay;
} ParticipantValues;

static const char *
subtype_value (VwTrajectorySubtype subtype)
{
  return subtype == VW_SUBTYPE_NONE ? NULL : vw_trajectory_subtype_to_string (subtype);
}

/* The value of round variable @name in @row (NULL: not recorded). */
static const char *
round_value (const VwRoundRecord *row,
             const char          *name,
             char                 buf[16])
{
  if (g_str_equal (name, "status"))
    return row->status;
  if (g_str_equal (name, "month"))
    return vw_month_format (vw_date_get_month (row->date), buf);
  if (g_str_equal (name, "residence"))
    return row->residence;
  if (g_str_equal (name, "woonsituatie"))
    return row->residence ? vw_residence_woonsituatie (row->residence) : NULL;
  if (g_str_equal (name, "participation"))
    return row->participation;
  /* The roll-ups of a missing value stay missing in the records. */
  if (g_str_equal (name, "participation_dh"))
    return row->participation ? vw_participation_rollup (row->participation, "dh") : NULL;
  if (g_str_equal (name, "participation_fl"))
    return row->participation ? vw_participation_rollup (row->participation, "fl") : NULL;
  if (g_str_equal (name, "participation_fit"))
    return row->participation_fit;
  if (g_str_equal (name, "debts"))
    return row->debts;
  if (g_str_equal (name, "money_management"))
    return row->money_management;
  if (g_str_equal (name, "income"))
    return row->income;
  if (g_str_equal (name, "indication"))
    return row->indication;
  g_assert_not_reached ();
}

static const char *
hist_value (const VwRecordParticipant *p,
            const char                *name)
{
  if (g_str_equal (name, "hist_street"))
    return p->hist_street;
  if (g_str_equal (name, "hist_youthcare_placement"))
    return p->hist_youthcare_placement;
  if (g_str_equal (name, "hist_unsafe_home"))
    return p->hist_unsafe_home;
  return p->hist_remigration;
}

/* Age is a participant-level band, at the first interview (or the first
 * dated round), so that a person keeps one band in every table as the
 * reports do ("Tom (35-55)"). */
static const char *
participant_age_band (VwExport                  *self,
                      const VwRecordParticipant *p,
                      const VwRoundRecord       *rounds)
{
  int year = 0;

  if (p->birth_year == 0)
    return NULL;
  for (guint r = p->first_round; r < p->first_round + p->n_rounds && year == 0; r++)
    if (vw_round_record_is_interview (&rounds[r]) && rounds[r].date != VW_DATE_NONE)
      year = rounds[r].date / 10000;
  for (guint r = p->first_round; r < p->first_round + p->n_rounds && year == 0; r++)
    if (rounds[r].date != VW_DATE_NONE)
      year = rounds[r].date / 10000;
  return year ? vw_age_band (p->birth_year, year, self->age_scheme) : NULL;
}

static int
compare_by_export_id (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const ParticipantValues *values = user_data;

  return strcmp (values[*(const guint *) a].export_id, values[*(const guint *) b].export_id);
}

/* Both tables are made of the same parts: the quasi-identifiers first,
 * the life history, the trajectory; and the round variables, once per row
 * (long) or once per round (wide). */

static void
add_head_columns (VwExport      *self,
                  VwExportTable *table)
{
  add_column (table, "export_id", NULL, G_MAXUINT);
  add_column (table, "region", NULL, G_MAXUINT);
  add_column (table, "origin", NULL, G_MAXUINT);
  add_column (table, "age_band", self->age_scheme, G_MAXUINT);
}

static void
add_cell (VwExportTable *table,
          const char    *value)
{
  g_ptr_array_add (table->cells, (gpointer) intern (table, value));
}

void
vw_export_table_add_cell (VwExportTable *table,
                          const char    *value)
{
  add_cell (table, value);
}

static void
add_head_cells (VwExportTable             *table,
                const VwRecordParticipant *p,
                const ParticipantValues   *pv)
{
  add_cell (table, pv->export_id);
  add_cell (table, p->region);
  add_cell (table, p->origin);
  add_cell (table, pv->age_band);
}

static void
add_hist_columns (VwExportTable *table)
{
  for (guint h = 0; hist_variables[h] != NULL; h++)
    add_column (table, hist_variables[h], NULL, G_MAXUINT);
}

static void
add_hist_cells (VwExportTable             *table,
                const VwRecordParticipant *p)
{
  for (guint h = 0; hist_variables[h] != NULL; h++)
    add_cell (table, hist_value (p, hist_variables[h]));
}

static void
add_trajectory_columns (VwExportTable *table)
{
  static const char * const names[] = {
    "trajectory", "trajectory_subtype", "trajectory_final", "trajectory_final_subtype", "long_stay",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    add_column (table, names[i], NULL, G_MAXUINT);
}

static void
add_trajectory_cells (VwExportTable           *table,
                      const ParticipantValues *pv)
{
  add_cell (table, pv->trajectory);
  add_cell (table, pv->trajectory_subtype);
  add_cell (table, pv->trajectory_final);
  add_cell (table, pv->trajectory_final_subtype);
  add_cell (table, pv->long_stay);
}

/* The round variables of @row, or blanks when there is no row. */
static void
add_round_cells (VwExportTable       *table,
                 const VwRoundRecord *row)
{
  char buf[16];

  for (guint v = 0; round_variables[v] != NULL; v++)
    add_cell (table, row ? round_value (row, round_variables[v], buf) : NULL);
}

static void
compute_participant_values (VwExport          *self,
                            VwExportTable     *table,
                            ParticipantValues *values)
{
  const VwRecordParticipant *participants;
  const VwRoundRecord *rounds;
  guint n, n_rows;

  participants = vw_records_get_participants (self->records, &n);
  rounds = vw_records_get_rounds (self->records, &n_rows);
  for (guint i = 0; i < n; i++)
    {
      const VwRecordParticipant *p = &participants[i];
      const VwTrajectoryResult *result = vw_classification_get (self->classification, i);
      ParticipantValues *pv = &values[i];
      g_autofree char *id = vw_export_id (self->key, p->code);

      pv->export_id = intern (table, id);
      pv->age_band = intern (table, participant_age_band (self, p, rounds));
      pv->n_interviews = result->n_interviews;
      pv->trajectory = intern (table, vw_trajectory_type_to_string (result->derived));
      pv->trajectory_subtype = intern (table, subtype_value (result->derived_subtype));
      pv->trajectory_final = intern (table, vw_trajectory_type_to_string (result->final));
      pv->trajectory_final_subtype = intern (table, subtype_value (result->final_subtype));
      pv->long_stay = intern (table, result->long_stay ? "ja" : "nee");
      self->order[i] = i;
    }
  g_qsort_with_data (self->order, n, sizeof (guint), compare_by_export_id, values);
}

static void
build_wide (VwExport          *self,
            ParticipantValues *values)
{
  const VwRecordParticipant *participants;
  const VwRoundRecord *rounds;
  const guint *round_numbers;
  guint n, n_rows, n_round_numbers;
  VwExportTable *wide = export_table_new ("trajectories_wide");

  participants = vw_records_get_participants (self->records, &n);
  rounds = vw_records_get_rounds (self->records, &n_rows);
  round_numbers = vw_records_get_round_numbers (self->records, &n_round_numbers);
  compute_participant_values (self, wide, values);

  add_head_columns (self, wide);
  add_hist_columns (wide);
  add_column (wide, "n_interviews", NULL, G_MAXUINT);
  add_trajectory_columns (wide);
  for (guint r = 0; r < n_round_numbers; r++)
    for (guint v = 0; round_variables[v] != NULL; v++)
      add_column (wide, round_variables[v], NULL, round_numbers[r]);

  for (guint o = 0; o < n; o++)
    {
      guint i = self->order[o];
      const VwRecordParticipant *p = &participants[i];
      const ParticipantValues *pv = &values[i];
      char buf[16];

      add_head_cells (wide, p, pv);
      add_hist_cells (wide, p);
      g_snprintf (buf, sizeof buf, "%u", pv->n_interviews);
      add_cell (wide, buf);
      add_trajectory_cells (wide, pv);
      for (guint r = 0; r < n_round_numbers; r++)
        {
          const VwRoundRecord *row = NULL;

          for (guint k = p->first_round; k < p->first_round + p->n_rounds; k++)
            if (rounds[k].round == round_numbers[r])
              row = &rounds[k];
          add_round_cells (wide, row);
        }
      g_array_append_val (wide->owners, i);
    }

  self->wide = wide;
}

/* The long table, built after disclosure control: suppressed participants
 * are left out and generalized values blanked. */
static void
build_long (VwExport                *self,
            const ParticipantValues *values)
{
  const VwRecordParticipant *participants;
  const VwRoundRecord *rounds;
  guint n, n_rows;
  VwExportTable *table = export_table_new ("trajectories_long");
  /* The long table's columns of each quasi-identifier's family, blanked
   * in every row or (a round variable) in the row of its round. */
  int quasi_columns[MAX_QUASI][MAX_FAMILY];
  guint n_columns;

  participants = vw_records_get_participants (self->records, &n);
  rounds = vw_records_get_rounds (self->records, &n_rows);

  add_head_columns (self, table);
  add_column (table, "round", NULL, G_MAXUINT);
  for (guint v = 0; round_variables[v] != NULL; v++)
    add_column (table, round_variables[v], NULL, G_MAXUINT);
  add_hist_columns (table);
  add_trajectory_columns (table);
  n_columns = table->columns->len;

  for (guint q = 0; self->quasi[q] != NULL; q++)
    {
      const VwDisclosureQuasi *quasi = &self->disclosure->quasi_columns[q];

      /* -1: not in the long table (n_interviews, which is never blanked). */
      for (guint i = 0; quasi->family[i] != NULL; i++)
        quasi_columns[q][i] = vw_export_table_find_column (table, quasi->family[i]);
    }

  /* In the order of the wide table, each participant's rows in round
   * order. */
  for (guint o = 0; o < n; o++)
    {
      guint participant = self->order[o];
      const VwRecordParticipant *p = &participants[participant];
      const ParticipantValues *pv = &values[participant];

      if (self->suppressed[participant])
        continue;

      for (guint r = p->first_round; r < p->first_round + p->n_rounds; r++)
        {
          const VwRoundRecord *row = &rounds[r];
          gpointer *cells;
          char buf[16];

          add_head_cells (table, p, pv);
          add_cell (table, vw_round_format (row->round, buf));
          add_round_cells (table, row);
          add_hist_cells (table, p);
          add_trajectory_cells (table, pv);
          g_assert (table->cells->len % n_columns == 0);

          cells = &table->cells->pdata[table->cells->len - n_columns];
          for (guint q = 0; self->quasi[q] != NULL; q++)
            if ((self->blanked[participant] & (1u << q)) &&
                (self->disclosure->quasi_columns[q].round == G_MAXUINT ||
                 self->disclosure->quasi_columns[q].round == row->round))
              for (guint i = 0; self->disclosure->quasi_columns[q].family[i] != NULL; i++)
                if (quasi_columns[q][i] >= 0)
                  cells[quasi_columns[q][i]] = NULL;

          g_array_append_val (table->owners, participant);
        }
    }

  self->long_ = table;
}

/* Disclosure control (vw-export-disclosure.c), the same for the export
 * of one study and for a pool of several. */

static gboolean
protect (VwExport  *self,
         GError   **error)
{
  VwExportTable *wide = self->wide;
  guint n = vw_export_table_n_rows (wide);

  self->disclosure = vw_disclosure_run (wide, (const char * const *) self->quasi, self->options.k,
                                        self->options.rare, self->report, error);
  if (self->disclosure == NULL)
    return FALSE;
  self->n_suppressed = self->disclosure->n_suppressed;
  self->n_generalized = self->disclosure->n_generalized;
  self->n_groups = self->disclosure->n_groups;
  self->smallest_group = self->disclosure->smallest_group;
  for (guint i = 0; i < n; i++)
    {
      guint participant = g_array_index (wide->owners, guint, i);

      self->suppressed[participant] = self->disclosure->suppressed[i];
      self->blanked[participant] = self->disclosure->blanked[i];
    }
  vw_disclosure_drop_suppressed (self->disclosure, wide);
  return TRUE;
}

/* Quotes */

static void
export_quote_free (VwExportQuote *quote)
{
  g_free (quote->text);
  g_free (quote);
}

static int
compare_quotes (gconstpointer a,
                gconstpointer b)
{
  const VwExportQuote *qa = *(VwExportQuote * const *) a;
  const VwExportQuote *qb = *(VwExportQuote * const *) b;
  int c = strcmp (qa->export_id, qb->export_id);

  return c != 0 ? c : (qa->round > qb->round) - (qa->round < qb->round);
}

static void
build_quotes (VwExport  *self,
              GPtrArray *quotes,
              const ParticipantValues *values)
{
  g_autoptr(GHashTable) pseudonyms = pseudonym_set (self->records);

  self->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) export_quote_free);
  for (guint i = 0; quotes != NULL && i < quotes->len; i++)
    {
      const VwQuote *quote = g_ptr_array_index (quotes, i);
      int participant = vw_records_find_participant (self->records, quote->code);
      VwExportQuote *out;
      guint round;

      /* A quote of someone who is not in the records, or who was left
       * out, cannot go without its export id. */
      if (participant < 0 || self->suppressed[participant] || !vw_round_parse (quote->round, &round))
        continue;

      out = g_new0 (VwExportQuote, 1);
      out->export_id = values[participant].export_id;
      out->round = round;
      out->theme = g_string_chunk_insert_const (self->wide->chunk, quote->theme ? quote->theme : "");
      out->question = quote->question ? g_string_chunk_insert_const (self->wide->chunk, quote->question) : NULL;
      out->text = redact_with (pseudonyms, quote->text ? quote->text : "");
      g_ptr_array_add (self->quotes, out);
    }
  /* Like the rows, the quotes say nothing of who was enrolled when; the
   * sort is stable, so an interview's quotes keep their order. */
  g_ptr_array_sort (self->quotes, compare_quotes);
}

/* The export */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

void
vw_export_free (VwExport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->records, vw_records_unref);
  g_clear_pointer (&self->key, vw_secret_free);
  g_free (self->study_id);
  g_free (self->study_name);
  g_free (self->age_scheme);
  g_free (self->language);
  g_clear_pointer (&self->disclosure, vw_disclosure_free);
  g_strfreev (self->quasi);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->signing_key, vw_secret_free);
  g_strfreev (self->regions);
  g_strfreev (self->questionnaires);
  g_clear_pointer (&self->own_classification, vw_classification_free);
  g_clear_pointer (&self->wide, export_table_free);
  g_clear_pointer (&self->long_, export_table_free);
  g_clear_pointer (&self->quotes, g_ptr_array_unref);
  g_free (self->order);
  g_free (self->suppressed);
  g_free (self->blanked);
  if (self->report)
    g_string_free (self->report, TRUE);
  g_free (self);
}

/* The regions of the participants, in code order, for a manifest whose
 * caller did not name the study's. */
static GStrv
records_regions (VwRecords *records)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) regions = g_ptr_array_new ();
  const VwRecordParticipant *participants;
  guint n;

  participants = vw_records_get_participants (records, &n);
  for (guint i = 0; i < n; i++)
    if (participants[i].region != NULL && g_hash_table_add (seen, (gpointer) participants[i].region))
      g_ptr_array_add (regions, g_strdup (participants[i].region));
  g_ptr_array_sort (regions, compare_strings);
  g_ptr_array_add (regions, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&regions), FALSE);
}

/**
 * vw_export_new:
 * @quotes: (nullable) (element-type VwQuote): the study's quotes; used
 *   only with include_quotes
 * @export_key: the study's VW_STUDY_SECRET_EXPORT
 *
 * Returns: (transfer full): the export, ready to write, or NULL with
 * @error set when an option cannot be used
 */
VwExport *
vw_export_new (VwRecords              *records,
               GPtrArray              *quotes,
               const VwSecret         *export_key,
               const VwExportOptions  *options,
               GError                **error)
{
  g_autoptr(VwExport) self = g_new0 (VwExport, 1);
  g_autoptr(GPtrArray) all_quasi = g_ptr_array_new_with_free_func (g_free);
  g_autofree ParticipantValues *values = NULL;

  g_return_val_if_fail (records != NULL, NULL);
  g_return_val_if_fail (export_key != NULL && vw_secret_len (export_key) >= crypto_generichash_KEYBYTES_MIN, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self->records = vw_records_ref (records);
  self->key = vw_secret_dup (export_key);
  self->options = *options;
  self->options.k = options->k ? options->k : VW_EXPORT_DEFAULT_K;
  self->options.formats = options->formats ? options->formats : VW_EXPORT_FORMAT_CSV;
  self->study_id = g_strdup (options->study_id ? options->study_id : "");
  self->study_name = g_strdup (options->study_name ? options->study_name : "");
  self->age_scheme = g_strdup (options->age_scheme ? options->age_scheme : "dh");
  self->language = g_strdup (options->language ? options->language : "nl");
  self->report = g_string_new (NULL);

  if (!g_str_equal (self->age_scheme, "dh") && !g_str_equal (self->age_scheme, "gv"))
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                   _("“%s” is not an age scheme: use dh or gv"), self->age_scheme);
      return NULL;
    }
  if (!g_str_equal (self->language, "nl") && !g_str_equal (self->language, "en"))
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                   _("“%s” is not a label language: use nl or en"), self->language);
      return NULL;
    }
  if ((self->options.formats & VW_EXPORT_FORMAT_QDPX) && !options->include_quotes)
    {
      g_set_error_literal (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_FREE_TEXT,
                           _("A REFI-QDA project holds quotes, which are free text; "
                             "they are exported only when you include the redacted quotes explicitly"));
      return NULL;
    }

  for (guint i = 0; default_quasi[i] != NULL; i++)
    g_ptr_array_add (all_quasi, g_strdup (default_quasi[i]));
  for (guint i = 0; options->quasi != NULL && options->quasi[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < all_quasi->len; j++)
        seen |= g_str_equal (g_ptr_array_index (all_quasi, j), options->quasi[i]);
      if (!seen)
        g_ptr_array_add (all_quasi, g_strdup (options->quasi[i]));
    }
  if (all_quasi->len > MAX_QUASI)
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                   _("At most %d quasi-identifiers can be checked"), MAX_QUASI);
      return NULL;
    }
  g_ptr_array_add (all_quasi, NULL);
  self->quasi = (GStrv) g_ptr_array_steal (all_quasi, NULL);
  self->options.quasi = (const char * const *) self->quasi;

  if (options->recipients != NULL && options->recipients->len > 0)
    {
      self->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
      for (guint i = 0; i < options->recipients->len; i++)
        g_ptr_array_add (self->recipients, vw_age_recipient_copy (g_ptr_array_index (options->recipients, i)));
    }
  self->options.recipients = self->recipients;
  self->signing_key = options->signing_key ? vw_secret_dup (options->signing_key) : NULL;
  self->options.signing_key = self->signing_key;
  self->regions = options->regions ? g_strdupv ((GStrv) options->regions) : records_regions (records);
  self->options.regions = (const char * const *) self->regions;
  self->questionnaires = g_strdupv ((GStrv) options->questionnaires);
  if (self->questionnaires == NULL)
    self->questionnaires = g_new0 (char *, 1);
  self->options.questionnaires = (const char * const *) self->questionnaires;

  if (options->classification != NULL)
    self->classification = options->classification;
  else
    self->classification = self->own_classification =
      vw_classification_new (records, options->rules, options->params);
  self->options.rules = vw_classification_get_rules (self->classification);
  self->options.classification = NULL;

  vw_records_get_participants (records, &self->n_participants);
  self->suppressed = g_new0 (gboolean, self->n_participants + 1);
  self->blanked = g_new0 (guint32, self->n_participants + 1);
  self->order = g_new0 (guint, self->n_participants + 1);
  values = g_new0 (ParticipantValues, self->n_participants + 1);

  build_wide (self, values);
  if (!protect (self, error))
    return NULL;
  build_long (self, values);
  if (options->include_quotes)
    build_quotes (self, quotes, values);

  return g_steal_pointer (&self);
}

char *
vw_export_get_report (VwExport *self)
{
  return g_strdup (self->report->str);
}

guint
vw_export_get_n_participants (VwExport *self)
{
  return self->n_participants;
}

guint
vw_export_get_n_suppressed (VwExport *self)
{
  return self->n_suppressed;
}

guint
vw_export_get_n_generalized (VwExport *self)
{
  return self->n_generalized;
}

guint
vw_export_get_k (VwExport *self)
{
  return self->options.k;
}

guint
vw_export_get_smallest_group (VwExport *self)
{
  return self->smallest_group;
}

/* The files */

typedef VwExportFile ExportFile;

static void
export_file_free (ExportFile *file)
{
  g_free (file->name);
  g_bytes_unref (file->bytes);
  g_free (file);
}

static void
add_file (GPtrArray  *files,
          const char *name,
          GBytes     *bytes)
{
  ExportFile *file = g_new0 (ExportFile, 1);

  file->name = g_strdup (name);
  file->bytes = bytes;
  g_ptr_array_add (files, file);
}

/* The manifest's "files": each file's name, size and SHA-256, as a
 * reader checks them (vw-package.c). */
void
vw_export_manifest_add_files (JsonBuilder *builder,
                              GPtrArray   *files)
{
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      const VwExportFile *file = g_ptr_array_index (files, i);
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file->bytes);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, file->name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, g_bytes_get_size (file->bytes));
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sha);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
vw_export_file_free (VwExportFile *file)
{
  export_file_free (file);
}

void
vw_export_files_add (GPtrArray  *files,
                     const char *name,
                     GBytes     *bytes)
{
  add_file (files, name, bytes);
}

static GBytes *
table_to_csv (const VwExportTable *table)
{
  GString *out = g_string_new (NULL);
  guint n_columns = table->columns->len;
  g_autofree const char **fields = g_new0 (const char *, n_columns);

  for (guint c = 0; c < n_columns; c++)
    fields[c] = ((VwExportColumn *) g_ptr_array_index (table->columns, c))->name;
  vw_csv_append_row (out, fields, n_columns, "\r\n");
  for (guint r = 0; r < vw_export_table_n_rows (table); r++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          const char *value = vw_export_table_get (table, r, c);
          fields[c] = value ? value : "";
        }
      vw_csv_append_row (out, fields, n_columns, "\r\n");
    }
  return g_string_free_to_bytes (out);
}

static void
append_codebook (GString             *out,
                 const VwExportTable *table)
{
  static const char * const kinds[] = { "string", "coded", "integer" };

  for (guint c = 0; c < table->columns->len; c++)
    {
      const VwExportColumn *column = g_ptr_array_index (table->columns, c);
      const char *row[] = { table->name, column->name, kinds[column->kind], column->label_nl,
                            column->label_en, "", "", "", "" };

      vw_csv_append_row (out, row, G_N_ELEMENTS (row), "\r\n");
      for (guint i = 0; column->codes != NULL && i < vw_code_list_get_n_codes (column->codes); i++)
        {
          const VwCode *code = vw_code_list_get_code (column->codes, i);
          char number[16];
          const char *value_row[] = { table->name, column->name, "", "", "", vw_code_get_code (code), number,
                                      vw_code_get_label (code, "nl"), vw_code_get_label (code, "en") };

          g_snprintf (number, sizeof number, "%u", i + 1);
          vw_csv_append_row (out, value_row, G_N_ELEMENTS (value_row), "\r\n");
        }
    }
}

GBytes *
vw_export_table_to_csv (const VwExportTable *table)
{
  return table_to_csv (table);
}

GBytes *
vw_export_codebook_csv (const VwExportTable * const *tables,
                        guint                        n_tables)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "table", "variable", "type", "label_nl", "label_en", "code", "number",
                           "value_label_nl", "value_label_en" };

  vw_csv_append_row (out, header, G_N_ELEMENTS (header), "\r\n");
  for (guint t = 0; t < n_tables; t++)
    append_codebook (out, tables[t]);
  return g_string_free_to_bytes (out);
}

static GBytes *
codebook_csv (VwExport *self)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "table", "variable", "type", "label_nl", "label_en", "code", "number",
                           "value_label_nl", "value_label_en" };

  vw_csv_append_row (out, header, G_N_ELEMENTS (header), "\r\n");
  append_codebook (out, self->long_);
  append_codebook (out, self->wide);
  return g_string_free_to_bytes (out);
}

static GBytes *
quotes_csv (VwExport *self)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "export_id", "round", "theme", "question", "text" };

  vw_csv_append_row (out, header, G_N_ELEMENTS (header), "\r\n");
  for (guint i = 0; i < self->quotes->len; i++)
    {
      const VwExportQuote *quote = g_ptr_array_index (self->quotes, i);
      char round[16];
      const char *row[] = { quote->export_id, vw_round_format (quote->round, round), quote->theme,
                            quote->question ? quote->question : "", quote->text };

      vw_csv_append_row (out, row, G_N_ELEMENTS (row), "\r\n");
    }
  return g_string_free_to_bytes (out);
}

static GBytes *
manifest_json (VwExport  *self,
               GPtrArray *files)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  VwTrajectoryParams defaults;
  const VwTrajectoryParams *params = self->options.params;
  char *text;
  gsize len;

  if (params == NULL)
    {
      vw_trajectory_params_init (&defaults);
      params = &defaults;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, VW_PACKAGE_FORMAT_NAME);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, VW_PACKAGE_FORMAT_VERSION);
  json_builder_set_member_name (builder, "app_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "study");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->study_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->study_name);
  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  for (guint i = 0; self->regions[i] != NULL; i++)
    json_builder_add_string_value (builder, self->regions[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  /* Who signed manifest.sig, so that the signed text names its signer. */
  if (self->signing_key != NULL)
    {
      guint8 public_key[32];
      g_autofree char *signer = NULL;

      crypto_sign_ed25519_sk_to_pk (public_key, vw_secret_const_data (self->signing_key));
      signer = vw_package_format_key (public_key);
      json_builder_set_member_name (builder, "signer");
      json_builder_add_string_value (builder, signer);
    }
  json_builder_set_member_name (builder, "codebook");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, vw_codebook_get_id (vw_codebook_get_core ()));
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, vw_codebook_get_version (vw_codebook_get_core ()));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "questionnaires");
  json_builder_begin_array (builder);
  for (guint i = 0; self->questionnaires[i] != NULL; i++)
    json_builder_add_string_value (builder, self->questionnaires[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rules");
  json_builder_add_string_value (builder, vw_rule_set_to_string (self->options.rules));

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mo_long_months");
  json_builder_add_int_value (builder, params->mo_long_months);
  json_builder_set_member_name (builder, "bw_long_months");
  json_builder_add_int_value (builder, params->bw_long_months);
  json_builder_set_member_name (builder, "mo_flag_weeks");
  json_builder_add_int_value (builder, params->mo_flag_weeks);
  json_builder_set_member_name (builder, "bw_flag_months");
  json_builder_add_int_value (builder, params->bw_flag_months);
  json_builder_set_member_name (builder, "age_scheme");
  json_builder_add_string_value (builder, self->age_scheme);
  json_builder_set_member_name (builder, "label_language");
  json_builder_add_string_value (builder, self->language);
  json_builder_set_member_name (builder, "include_quotes");
  json_builder_add_boolean_value (builder, self->options.include_quotes);
  json_builder_end_object (builder);

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
  json_builder_add_int_value (builder, self->n_generalized);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, self->n_suppressed);
  /* What an analyst can check against the files: every group of
   * identical released quasi-identifiers (a blank is a value) holds at
   * least smallest_group participants. */
  json_builder_set_member_name (builder, "released");
  json_builder_add_int_value (builder, self->n_participants - self->n_suppressed);
  json_builder_set_member_name (builder, "groups");
  json_builder_add_int_value (builder, self->n_groups);
  json_builder_set_member_name (builder, "smallest_group");
  json_builder_add_int_value (builder, self->smallest_group);
  json_builder_end_object (builder);

  vw_export_manifest_add_files (builder, files);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static GPtrArray *
build_files (VwExport  *self,
             GError   **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) export_file_free);
  VwExportFormats formats = self->options.formats;
  const VwExportTable *tables[] = { self->long_, self->wide };
  GBytes *manifest, *signature = NULL;

  if (formats & VW_EXPORT_FORMAT_CSV)
    {
      GBytes *script;

      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          g_autofree char *name = g_strconcat (tables[t]->name, ".csv", NULL);
          add_file (files, name, table_to_csv (tables[t]));
        }
      add_file (files, "codebook.csv", codebook_csv (self));
      script = g_resource_lookup_data (vw_core_get_resource (), VW_RESOURCE_EXPORT_R_SCRIPT,
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert (script != NULL);
      add_file (files, "veldwerk_labels.R", script);
    }

  for (guint f = 0; f < 2; f++)
    {
      gboolean stata = f == 1;

      if (!(formats & (stata ? VW_EXPORT_FORMAT_DTA : VW_EXPORT_FORMAT_SAV)))
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          g_autofree char *name = g_strconcat (tables[t]->name, stata ? ".dta" : ".sav", NULL);
          GBytes *bytes = vw_export_write_stats (tables[t], stata, self->language, error);

          if (bytes == NULL)
            return NULL;
          add_file (files, name, bytes);
        }
    }

  if (self->options.include_quotes)
    add_file (files, "quotes.csv", quotes_csv (self));
  if (formats & VW_EXPORT_FORMAT_QDPX)
    {
      GBytes *bytes = vw_export_write_qdpx (self->quotes, self->key, self->study_name, error);

      if (bytes == NULL)
        return NULL;
      add_file (files, "quotes.qdpx", bytes);
    }

  manifest = manifest_json (self, files);
  if (self->signing_key != NULL &&
      (signature = vw_package_sign_manifest (manifest, self->signing_key, error)) == NULL)
    {
      g_bytes_unref (manifest);
      return NULL;
    }
  add_file (files, VW_PACKAGE_MANIFEST, manifest);
  if (signature != NULL)
    add_file (files, VW_PACKAGE_SIGNATURE, signature);
  return g_steal_pointer (&files);
}

static gboolean
write_folder (GPtrArray     *files,
              const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  /* Locked while it is filled: if the program is killed, the next write
   * in that directory removes it. */
  int lock_fd = -1;
  g_autofree char *tmp = vw_atomic_dir_new (path, &lock_fd, error);

  if (tmp == NULL)
    return FALSE;

  for (guint i = 0; i < files->len; i++)
    {
      const ExportFile *file = g_ptr_array_index (files, i);
      g_autofree char *file_path = g_build_filename (tmp, file->name, NULL);
      gsize len;
      const char *data = g_bytes_get_data (file->bytes, &len);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !g_file_set_contents_full (file_path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        goto fail;
    }

  /* rename() onto an existing name would replace an empty folder: refuse
   * it before, so an export never lands in someone's folder. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_EXISTS,
                   _("“%s” already exists; choose a new name for the export"), path);
      goto fail;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not move the export to “%s”: %s"), path, g_strerror (saved));
      goto fail;
    }
  if (lock_fd >= 0)
    close (lock_fd);
  return TRUE;

fail:
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *file_path = g_build_filename (tmp, ((ExportFile *) g_ptr_array_index (files, i))->name, NULL);
      g_unlink (file_path);
    }
  g_rmdir (tmp);
  if (lock_fd >= 0)
    close (lock_fd);
  return FALSE;
}

gboolean
vw_export_write_folder (GPtrArray     *files,
                        const char    *path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return write_folder (files, path, cancellable, error);
}

static gboolean
write_age (VwExport      *self,
           GPtrArray     *files,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(VwAtomicFile) atomic = NULL;
  g_autoptr(VwAgeEncryptor) encryptor = NULL;
  g_autofree char *folder = g_path_get_basename (path);
  char *dot;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_EXISTS,
                   _("“%s” already exists; choose a new name for the export"), path);
      return FALSE;
    }
  /* Inside the tar, the files sit in one folder named after the file. */
  if ((dot = strchr (folder, '.')) != NULL && dot != folder)
    *dot = '\0';

  atomic = vw_atomic_file_new (path, 0600, error);
  if (atomic == NULL)
    return FALSE;
  encryptor = vw_age_encryptor_new (vw_atomic_file_get_stream (atomic), self->recipients, FALSE,
                                    cancellable, error);
  if (encryptor == NULL)
    return FALSE;

  {
    g_autoptr(VwExportArchive) tar = vw_export_archive_new (G_OUTPUT_STREAM (encryptor), FALSE, error);

    if (tar == NULL)
      return FALSE;
    for (guint i = 0; i < files->len; i++)
      {
        const ExportFile *file = g_ptr_array_index (files, i);
        g_autofree char *name = g_build_filename (folder, file->name, NULL);

        if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
            !vw_export_archive_add (tar, name, file->bytes, error))
          return FALSE;
      }
    if (!vw_export_archive_finish (tar, error))
      return FALSE;
  }

  return g_output_stream_close (G_OUTPUT_STREAM (encryptor), cancellable, error) &&
         vw_atomic_file_commit (atomic, FALSE, error);
}

gboolean
vw_export_write (VwExport      *self,
                 const char    *path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GPtrArray) files = build_files (self, error);

  if (files == NULL)
    return FALSE;
  if (self->recipients != NULL)
    return write_age (self, files, path, cancellable, error);
  return write_folder (files, path, cancellable, error);
}

/* Running off the main thread */

typedef struct
{
  VwRecords          *records;
  GPtrArray          *quotes;     /* nullable */
  VwSecret           *key;
  VwExportOptions     options;    /* points into the fields below */
  VwTrajectoryParams  params;
  char               *study_id;
  char               *study_name;
  char               *age_scheme;
  char               *language;
  GStrv               quasi;
  GPtrArray          *recipients;
  VwSecret           *signing_key;
  GStrv               regions;
  GStrv               questionnaires;
  char               *path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  vw_records_unref (job->records);
  g_clear_pointer (&job->quotes, g_ptr_array_unref);
  vw_secret_free (job->key);
  g_free (job->study_id);
  g_free (job->study_name);
  g_free (job->age_scheme);
  g_free (job->language);
  g_strfreev (job->quasi);
  g_clear_pointer (&job->recipients, g_ptr_array_unref);
  g_clear_pointer (&job->signing_key, vw_secret_free);
  g_strfreev (job->regions);
  g_strfreev (job->questionnaires);
  g_free (job->path);
  g_free (job);
}

static void
export_run_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExport) export = vw_export_new (job->records, job->quotes, job->key, &job->options, &error);

  if (export == NULL || !vw_export_write (export, job->path, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&export), (GDestroyNotify) vw_export_free);
}

void
vw_export_run_async (VwRecords             *records,
                     GPtrArray             *quotes,
                     const VwSecret        *export_key,
                     const VwExportOptions *options,
                     const char            *path,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportJob *job = g_new0 (ExportJob, 1);

  g_return_if_fail (options->classification == NULL);

  job->records = vw_records_ref (records);
  job->quotes = quotes ? g_ptr_array_ref (quotes) : NULL;
  job->key = vw_secret_dup (export_key);
  job->options = *options;
  if (options->params != NULL)
    {
      job->params = *options->params;
      job->options.params = &job->params;
    }
  job->options.study_id = job->study_id = g_strdup (options->study_id);
  job->options.study_name = job->study_name = g_strdup (options->study_name);
  job->options.age_scheme = job->age_scheme = g_strdup (options->age_scheme);
  job->options.language = job->language = g_strdup (options->language);
  job->quasi = g_strdupv ((GStrv) options->quasi);
  job->options.quasi = (const char * const *) job->quasi;
  if (options->recipients != NULL)
    {
      job->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
      for (guint i = 0; i < options->recipients->len; i++)
        g_ptr_array_add (job->recipients, vw_age_recipient_copy (g_ptr_array_index (options->recipients, i)));
    }
  job->options.recipients = job->recipients;
  job->signing_key = options->signing_key ? vw_secret_dup (options->signing_key) : NULL;
  job->options.signing_key = job->signing_key;
  job->regions = g_strdupv ((GStrv) options->regions);
  job->options.regions = (const char * const *) job->regions;
  job->questionnaires = g_strdupv ((GStrv) options->questionnaires);
  job->options.questionnaires = (const char * const *) job->questionnaires;
  job->path = g_strdup (path);

  g_task_set_source_tag (task, vw_export_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_run_thread);
}

/**
 * vw_export_run_finish:
 *
 * Returns: (transfer full): the export that was written, for its report
 */
VwExport *
vw_export_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
