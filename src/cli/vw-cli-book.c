/* veldwerk-cli report book: the table book (tabellenboek) of one study as
 * a PDF, and the language switch that it and `pool` share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "vw-cli-commands.h"

/**
 * vw_cli_push_language:
 * @language: "nl" or "en"
 *
 * Makes gettext answer in @language until vw_cli_pop_language(): the
 * table book's titles and labels are in the book's language, whatever
 * the terminal's. Returns: (transfer full) (nullable): the LANGUAGE
 * before.
 */
char *
vw_cli_push_language (const char *language)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  char *old = g_strdup (g_getenv ("LANGUAGE"));

  /* gettext ignores LANGUAGE under the C locale. */
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_MESSAGES, "C.UTF-8");
  g_setenv ("LANGUAGE", language, TRUE);
  return old;
}

void
vw_cli_pop_language (char *old)
{
  if (old != NULL)
    g_setenv ("LANGUAGE", old, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_free (old);
}

gboolean
vw_cli_language_is_valid (const char *language)
{
  return g_strcmp0 (language, "nl") == 0 || g_strcmp0 (language, "en") == 0;
}

/**
 * vw_cli_report_book:
 *
 * Writes the table book of @records to @path (replaced as a whole, or
 * left as it was on failure).
 */
int
vw_cli_report_book (VwRecords        *records,
                    VwClassification *classification,
                    const char       *title,
                    const char       *source,
                    VwRuleSet         rules,
                    const char       *path,
                    const char       *language)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwTableBook) book = NULL;
  g_autoptr(GBytes) pdf = NULL;
  char *old = vw_cli_push_language (language);
  gsize len;
  const char *data;

  book = vw_table_book_new_for_records (records, classification, rules, title, source, language, &error);
  if (book != NULL)
    pdf = vw_table_book_to_pdf (book, &error);
  vw_cli_pop_language (old);
  if (pdf == NULL)
    return vw_cli_fail (error);
  data = g_bytes_get_data (pdf, &len);
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    return vw_cli_fail (error);
  g_print (_("Wrote the table book to %s.\n"), path);
  return VW_CLI_EXIT_OK;
}
