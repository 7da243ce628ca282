/* libFuzzer target: the content of a receipt bundle (the JSON a receiving
 * duo signs: handover id, content hash, participant codes).
 *
 * A reader that accepts something must accept exactly the one canonical
 * form: what it parsed, written back, is the input byte for byte. A
 * refusal leaves the output empty and says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vw-exchange-receipt-private.h"

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
  g_auto(VwReceiptContent) content = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) again = NULL;

  if (!vw_receipt_content_parse ((const char *) data, size, &content, &error))
    {
      if (error == NULL || content.handover != NULL || content.codes != NULL)
        abort ();
      return 0;
    }
  if (error != NULL || content.codes == NULL || content.codes[0] == NULL)
    abort ();
  again = vw_receipt_content_to_bytes (&content);
  if (g_bytes_get_size (again) != size || memcmp (g_bytes_get_data (again, NULL), data, size) != 0)
    abort ();
  return 0;
}
