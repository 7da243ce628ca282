/* libFuzzer target: a binary age file, from its version line through the
 * stanzas and the header MAC to the end of the payload (vw-age-header.c,
 * vw-age.c), opened with the identity of the age test vectors so that
 * the seeds taken from them reach the payload.
 *
 * A file is either refused with an age error, or opens; what it releases
 * is at most as long as the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-fixed-keys.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GPtrArray *identities;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  identities = fuzz_identities ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(VwAgeDecryptor) decryptor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;

  decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_NONE, NULL, &error);
  if (decryptor == NULL)
    {
      if (error == NULL || error->domain != VW_AGE_ERROR)
        abort ();
      return 0;
    }
  if (!vw_age_decryptor_unlock (decryptor, identities, NULL, &error))
    {
      if (error == NULL || error->domain != VW_AGE_ERROR)
        abort ();
      return 0;
    }
  out = g_memory_output_stream_new_resizable ();
  if (!vw_age_decryptor_copy (decryptor, out, NULL, &error))
    {
      if (error == NULL)
        abort ();
      return 0;
    }
  if (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) > size)
    abort ();
  return 0;
}
