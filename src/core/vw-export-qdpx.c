/* vw-export-qdpx.c: the redacted quotes as a REFI-QDA project (.qdpx): a
 * zip with project.qde (QDA-XML 1.0) and one plain-text source per
 * interview under sources/. Cases are export ids, themes are codes, each
 * quote is a coded selection of its interview's source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vw-export-archive.h"
#include "vw-export-private.h"

typedef struct
{
  char      *guid;
  char      *name;    /* "<export id> T<n>" */
  GString   *text;
  GString   *selections;
} Source;

static void
source_free (Source *source)
{
  g_free (source->guid);
  g_free (source->name);
  g_string_free (source->text, TRUE);
  g_string_free (source->selections, TRUE);
  g_free (source);
}

static void
append_escaped (GString    *out,
                const char *format,
                ...) G_GNUC_PRINTF (2, 3);

static void
append_escaped (GString    *out,
                const char *format,
                ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (out, text);
}

GBytes *
vw_export_write_qdpx (GPtrArray       *quotes,
                      const VwSecret  *key,
                      const char      *project_name,
                      GError         **error)
{
  g_autoptr(GHashTable) sources = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) source_order = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) code_order = g_ptr_array_new ();
  /* export id -> GString of SourceRef elements */
  g_autoptr(GHashTable) cases = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_autoptr(GPtrArray) case_order = g_ptr_array_new ();
  g_autoptr(GString) xml = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(VwExportArchive) zip = NULL;

  for (guint i = 0; i < quotes->len; i++)
    {
      const VwExportQuote *quote = g_ptr_array_index (quotes, i);
      char round[16];
      g_autofree char *name = g_strdup_printf ("%s %s", quote->export_id, vw_round_format (quote->round, round));
      Source *source = g_hash_table_lookup (sources, name);
      const char *theme = quote->theme && *quote->theme ? quote->theme : "-";
      const char *code_guid = g_hash_table_lookup (codes, theme);
      g_autofree char *selection_what = g_strdup_printf ("selection %s %u", name, i);
      g_autofree char *selection_guid = vw_export_guid (key, selection_what);
      g_autofree char *coding_what = g_strdup_printf ("coding %s %u", name, i);
      g_autofree char *coding_guid = vw_export_guid (key, coding_what);
      glong start, end;

      if (source == NULL)
        {
          g_autofree char *what = g_strconcat ("source ", name, NULL);
          GString *refs;

          source = g_new0 (Source, 1);
          source->guid = vw_export_guid (key, what);
          source->name = g_steal_pointer (&name);
          source->text = g_string_new (NULL);
          source->selections = g_string_new (NULL);
          g_hash_table_insert (sources, source->name, source);
          g_ptr_array_add (source_order, source);

          refs = g_hash_table_lookup (cases, quote->export_id);
          if (refs == NULL)
            {
              refs = g_string_new (NULL);
              g_hash_table_insert (cases, (gpointer) quote->export_id, refs);
              g_ptr_array_add (case_order, (gpointer) quote->export_id);
            }
          append_escaped (refs, "      <SourceRef targetGUID=\"%s\"/>\n", source->guid);
        }
      if (code_guid == NULL)
        {
          g_autofree char *what = g_strconcat ("code ", theme, NULL);
          char *guid = vw_export_guid (key, what);

          g_hash_table_insert (codes, (gpointer) theme, guid);
          g_ptr_array_add (code_order, (gpointer) theme);
          code_guid = guid;
        }

      if (source->text->len > 0)
        g_string_append (source->text, "\n\n");
      start = g_utf8_strlen (source->text->str, -1);
      g_string_append (source->text, quote->text);
      end = g_utf8_strlen (source->text->str, -1);
      append_escaped (source->selections,
                      "      <PlainTextSelection guid=\"%s\" name=\"%s\" startPosition=\"%ld\" endPosition=\"%ld\">\n"
                      "        <Coding guid=\"%s\">\n"
                      "          <CodeRef targetGUID=\"%s\"/>\n"
                      "        </Coding>\n"
                      "      </PlainTextSelection>\n",
                      selection_guid, theme, start, end, coding_guid, code_guid);
    }

  g_string_append (xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
  append_escaped (xml, "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"%s\" origin=\"Veldwerk %s\" "
                  "creationDateTime=\"%s\">\n",
                  project_name && *project_name ? project_name : "Veldwerk", PACKAGE_VERSION, created);
  if (code_order->len > 0)
    {
      g_string_append (xml, "  <CodeBook>\n    <Codes>\n");
      for (guint i = 0; i < code_order->len; i++)
        {
          const char *theme = g_ptr_array_index (code_order, i);
          append_escaped (xml, "      <Code guid=\"%s\" name=\"%s\" isCodable=\"true\"/>\n",
                          (const char *) g_hash_table_lookup (codes, theme), theme);
        }
      g_string_append (xml, "    </Codes>\n  </CodeBook>\n");
    }
  if (case_order->len > 0)
    {
      g_string_append (xml, "  <Cases>\n");
      for (guint i = 0; i < case_order->len; i++)
        {
          const char *id = g_ptr_array_index (case_order, i);
          g_autofree char *what = g_strconcat ("case ", id, NULL);
          g_autofree char *guid = vw_export_guid (key, what);
          GString *refs = g_hash_table_lookup (cases, id);

          append_escaped (xml, "    <Case guid=\"%s\" name=\"%s\">\n", guid, id);
          g_string_append (xml, refs->str);
          g_string_append (xml, "    </Case>\n");
          g_string_free (refs, TRUE);
        }
      g_string_append (xml, "  </Cases>\n");
    }
  if (source_order->len > 0)
    {
      g_string_append (xml, "  <Sources>\n");
      for (guint i = 0; i < source_order->len; i++)
        {
          const Source *source = g_ptr_array_index (source_order, i);

          append_escaped (xml, "    <TextSource guid=\"%s\" name=\"%s\" plainTextPath=\"internal://%s.txt\">\n",
                          source->guid, source->name, source->guid);
          g_string_append (xml, source->selections->str);
          g_string_append (xml, "    </TextSource>\n");
        }
      g_string_append (xml, "  </Sources>\n");
    }
  g_string_append (xml, "</Project>\n");

  zip = vw_export_archive_new (memory, TRUE, error);
  if (zip == NULL)
    return NULL;
  {
    g_autoptr(GBytes) project = g_bytes_new (xml->str, xml->len);

    if (!vw_export_archive_add (zip, "project.qde", project, error))
      return NULL;
  }
  for (guint i = 0; i < source_order->len; i++)
    {
      const Source *source = g_ptr_array_index (source_order, i);
      g_autofree char *path = g_strconcat ("sources/", source->guid, ".txt", NULL);
      g_autoptr(GBytes) text = g_bytes_new (source->text->str, source->text->len);

      if (!vw_export_archive_add (zip, path, text, error))
        return NULL;
    }
  if (!vw_export_archive_finish (zip, error) ||
      !g_output_stream_close (memory, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}
