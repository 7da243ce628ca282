/* vw-export-stats.c: SPSS .sav and Stata .dta through ReadStat, with
 * variable labels and value labels. Coded variables are numbered in the
 * order of their code list (1, 2, ...), as codebook.csv lists them, since
 * Stata puts value labels on numbers only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <readstat.h>

#include "vw-export-private.h"

typedef struct
{
  GByteArray *out;
  char       *message; /* ReadStat's last error message */
} StatsContext;

static ssize_t
data_writer (const void *data,
             size_t      len,
             void       *ctx)
{
  StatsContext *context = ctx;

  g_byte_array_append (context->out, data, len);
  return len;
}

static StatsContext *current_context;

static void
error_handler (const char *message,
               void       *ctx)
{
  /* The handler gets no context from ReadStat's writer: the lock in
   * vw_export_write_stats() makes the current context unambiguous. */
  if (current_context != NULL)
    {
      g_free (current_context->message);
      current_context->message = g_strstrip (g_strdup (message));
    }
}

static gboolean
stats_failed (readstat_error_t  status,
              StatsContext     *context,
              const char       *what,
              GError          **error)
{
  g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_FAILED,
               _("Could not write %s: %s"), what,
               context->message ? context->message : readstat_error_message (status));
  return FALSE;
}

/**
 * vw_export_write_stats:
 * @stata: %TRUE for Stata .dta (version 118, UTF-8), %FALSE for SPSS .sav
 * @language: "nl" or "en": the language of the labels
 *
 * Returns: (transfer full): the file's bytes, or NULL with @error set
 */
GBytes *
vw_export_write_stats (const VwExportTable *table,
                       gboolean             stata,
                       const char          *language,
                       GError             **error)
{
  G_LOCK_DEFINE_STATIC (stats);
  g_autoptr(GHashTable) label_sets = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_columns = table->columns->len;
  guint n_rows = vw_export_table_n_rows (table);
  g_autofree readstat_variable_t **variables = g_new0 (readstat_variable_t *, n_columns + 1);
  g_autofree char *what = g_strconcat (table->name, stata ? ".dta" : ".sav", NULL);
  StatsContext context = { g_byte_array_new (), NULL };
  readstat_writer_t *writer = readstat_writer_init ();
  readstat_error_t status = READSTAT_OK;
  gboolean ok = FALSE;

  G_LOCK (stats);
  current_context = &context;

  readstat_set_data_writer (writer, data_writer);
  readstat_writer_set_error_handler (writer, error_handler);
  if (stata)
    readstat_writer_set_file_format_version (writer, 118);
  readstat_writer_set_file_label (writer, table->name);

  for (guint c = 0; c < n_columns; c++)
    {
      const VwExportColumn *column = g_ptr_array_index (table->columns, c);
      readstat_variable_t *variable;

      if (column->kind == VW_EXPORT_COLUMN_CODED)
        {
          const char *set_name = vw_code_list_get_name (column->codes);
          readstat_label_set_t *set = g_hash_table_lookup (label_sets, set_name);

          if (set == NULL)
            {
              set = readstat_add_label_set (writer, READSTAT_TYPE_INT32, set_name);
              for (guint i = 0; i < vw_code_list_get_n_codes (column->codes); i++)
                readstat_label_int32_value (set, i + 1,
                                            vw_code_get_label (vw_code_list_get_code (column->codes, i), language));
              g_hash_table_insert (label_sets, (gpointer) set_name, set);
            }
          variable = readstat_add_variable (writer, column->name, READSTAT_TYPE_INT32, 0);
          readstat_variable_set_label_set (variable, set);
          readstat_variable_set_measure (variable, READSTAT_MEASURE_NOMINAL);
        }
      else if (column->kind == VW_EXPORT_COLUMN_INTEGER)
        {
          variable = readstat_add_variable (writer, column->name, READSTAT_TYPE_INT32, 0);
          readstat_variable_set_measure (variable, READSTAT_MEASURE_SCALE);
        }
      else
        {
          gsize width = 1;

          for (guint r = 0; r < n_rows; r++)
            {
              const char *value = vw_export_table_get (table, r, c);
              width = MAX (width, value ? strlen (value) : 0);
            }
          variable = readstat_add_variable (writer, column->name, READSTAT_TYPE_STRING, width);
          readstat_variable_set_measure (variable, READSTAT_MEASURE_NOMINAL);
        }
      readstat_variable_set_label (variable, vw_export_column_label (column, language));
      variables[c] = variable;
    }

  status = stata ? readstat_begin_writing_dta (writer, &context, n_rows)
                 : readstat_begin_writing_sav (writer, &context, n_rows);
  for (guint r = 0; r < n_rows && status == READSTAT_OK; r++)
    {
      status = readstat_begin_row (writer);
      for (guint c = 0; c < n_columns && status == READSTAT_OK; c++)
        {
          const VwExportColumn *column = g_ptr_array_index (table->columns, c);
          const char *value = vw_export_table_get (table, r, c);

          if (column->kind == VW_EXPORT_COLUMN_STRING)
            status = readstat_insert_string_value (writer, variables[c], value ? value : "");
          else if (value == NULL)
            status = readstat_insert_missing_value (writer, variables[c]);
          else if (column->kind == VW_EXPORT_COLUMN_INTEGER)
            status = readstat_insert_int32_value (writer, variables[c], atoi (value));
          else
            {
              int number = vw_export_column_number (column, value);

              if (number <= 0)
                {
                  g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_FAILED,
                               _("Could not write %s: “%s” is not a code of %s"), what, value, column->name);
                  goto out;
                }
              status = readstat_insert_int32_value (writer, variables[c], number);
            }
        }
      if (status == READSTAT_OK)
        status = readstat_end_row (writer);
    }
  if (status == READSTAT_OK)
    status = readstat_end_writing (writer);
  if (status != READSTAT_OK)
    {
      stats_failed (status, &context, what, error);
      goto out;
    }
  ok = TRUE;

out:
  current_context = NULL;
  G_UNLOCK (stats);
  readstat_writer_free (writer);
  g_free (context.message);
  if (!ok)
    {
      g_byte_array_unref (context.out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (context.out);
}
