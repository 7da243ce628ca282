/* libFuzzer target: the linkage filter of a bundle's B row
 * (vw_linkage_from_text()), and the name normalization of the encoder.
 *
 * A filter text either is refused with an exchange format error, or
 * decodes to VW_LINKAGE_FILTER_BYTES bytes whose text is the input again
 * and whose Dice similarity with itself is 1 (or 0 when empty). Any input
 * as a name normalizes to parts without crashing, and encodes or is
 * refused with an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vw-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  guint8 filter[VW_LINKAGE_FILTER_BYTES];
  guint8 key[32] = { 1 };

  if (vw_linkage_from_text (text, filter, &error))
    {
      g_autofree char *again = vw_linkage_to_text (filter);
      double self = vw_linkage_dice (filter, filter);

      if (error != NULL || strcmp (again, text) != 0 || (self != 1.0 && self != 0.0))
        abort ();
    }
  else if (error == NULL || !g_error_matches (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT))
    abort ();
  g_clear_error (&error);

  /* The same bytes as a name: normalized, then encoded or refused. */
  {
    g_auto(GStrv) parts = vw_linkage_name_parts (text);

    for (guint i = 0; parts[i] != NULL; i++)
      if (*parts[i] == '\0' || !g_utf8_validate (parts[i], -1, NULL))
        abort ();
    if (!vw_linkage_encode (key, sizeof key, text, "1985-03-12", filter, &error) &&
        (error == NULL || parts[0] != NULL))
      abort ();
  }
  return 0;
}
