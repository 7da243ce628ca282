/* The check the records fuzz target makes on every input, shared with the
 * normal suite, which runs it on every crash input kept in
 * tests/fuzz/regressions/ (records-*).
 *
 * An input is one records file, or the three of them separated by NUL
 * bytes (participants.csv, rounds.csv, episodes.csv). A lone file is
 * taken by its header for rounds.csv ("round") or episodes.csv ("start"),
 * else participants.csv; the others then hold only a header.
 *
 * Besides not crashing: a refused input has problems that each name a
 * line and a column and say what is wrong without echoing a long value,
 * and accepted records written back as CSV load again to the same text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "vw-core.h"

/* Room for "FILE:LINE:COLUMN: " and the longest message the reader has,
 * with a value cut to VW_VALIDATE_SHOWN_MAX characters. */
#define FUZZ_RECORDS_MAX_MESSAGE 1024

static inline gboolean
fuzz_records_check (const guint8 *data,
                    gsize         size)
{
  const char *files[VW_RECORDS_N_FILES] = { "code,pseudonym,region\n", "code,round,status\n", NULL };
  gsize lens[VW_RECORDS_N_FILES] = { 0, 0, 0 };
  const guint8 *nul = memchr (data, '\0', size);
  g_autoptr(VwRecordsBuilder) builder = vw_records_builder_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwRecords) records = NULL;

  lens[0] = strlen (files[0]);
  lens[1] = strlen (files[1]);
  if (nul == NULL)
    {
      g_autofree char *header = g_strndup ((const char *) data, MIN (size, 200));
      char *end = strchr (header, '\n');
      VwRecordsFile file = VW_RECORDS_PARTICIPANTS;

      if (end != NULL)
        *end = '\0';
      if (strstr (header, "round") != NULL)
        file = VW_RECORDS_ROUNDS;
      else if (strstr (header, "start") != NULL)
        file = VW_RECORDS_EPISODES;
      files[file] = (const char *) data;
      lens[file] = size;
    }
  else
    {
      const guint8 *start = data;

      for (guint f = 0; f < VW_RECORDS_N_FILES && start != NULL; f++)
        {
          const guint8 *stop = memchr (start, '\0', size - (start - data));

          files[f] = (const char *) start;
          lens[f] = stop != NULL ? (gsize) (stop - start) : size - (start - data);
          start = stop != NULL ? stop + 1 : NULL;
        }
    }

  for (guint f = 0; f < VW_RECORDS_N_FILES; f++)
    if (files[f] != NULL)
      vw_records_builder_add_csv (builder, f, files[f], lens[f]);
  records = vw_records_builder_end (builder, &problems, &error);

  if (records == NULL)
    {
      if (error == NULL || problems == NULL || problems->len == 0 || problems->len > 100)
        return FALSE;
      for (guint i = 0; i < problems->len; i++)
        {
          const VwRecordsProblem *problem = g_ptr_array_index (problems, i);
          g_autofree char *text = vw_records_problem_to_string (problem);

          if (problem->line == 0 || problem->column == 0 || problem->message == NULL ||
              !g_utf8_validate (text, -1, NULL) || strlen (text) > FUZZ_RECORDS_MAX_MESSAGE)
            return FALSE;
        }
      return TRUE;
    }

  /* Accepted: written back, loaded again, written the same. */
  {
    g_autofree char *p = vw_records_format_csv (records, VW_RECORDS_PARTICIPANTS);
    g_autofree char *r = vw_records_format_csv (records, VW_RECORDS_ROUNDS);
    g_autofree char *e = vw_records_format_csv (records, VW_RECORDS_EPISODES);
    g_autoptr(GError) again_error = NULL;
    g_autoptr(VwRecords) again = vw_records_new_from_csv (p, r, e, NULL, &again_error);
    g_autofree char *p2 = NULL, *r2 = NULL, *e2 = NULL;

    if (again == NULL)
      return FALSE;
    p2 = vw_records_format_csv (again, VW_RECORDS_PARTICIPANTS);
    r2 = vw_records_format_csv (again, VW_RECORDS_ROUNDS);
    e2 = vw_records_format_csv (again, VW_RECORDS_EPISODES);
    return g_str_equal (p, p2) && g_str_equal (r, r2) && g_str_equal (e, e2);
  }
}
