/* libFuzzer target: armored input (vw-age-armor.c), through the armor
 * reader alone (strict PEM) and through the decryptor, which detects
 * armor by itself.
 *
 * The armor reader either fails with an armor error or gives bytes that,
 * armored again by the writer, read back to the same bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-fixed-keys.h"
#include "vw-age-private.h"

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

static GBytes *
read_all (GInputStream  *in,
          GError       **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
armor_reader (const uint8_t *data,
              size_t         size)
{
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GInputStream) reader = vw_age_armor_reader_new (base, VW_AGE_ARMOR_REQUIRED);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) decoded = read_all (reader, &error);

  if (decoded == NULL)
    {
      if (error == NULL)
        abort ();
      return;
    }

  /* What was accepted survives writing and reading again. */
  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
    g_autoptr(GOutputStream) writer = vw_age_armor_writer_new (sink);
    g_autoptr(GBytes) written = NULL;
    g_autoptr(GInputStream) again_base = NULL;
    g_autoptr(GInputStream) again = NULL;
    g_autoptr(GBytes) decoded_again = NULL;
    gsize len;
    const void *bytes = g_bytes_get_data (decoded, &len);

    if (!g_output_stream_write_all (writer, bytes, len, NULL, NULL, NULL) ||
        !g_output_stream_close (writer, NULL, NULL) ||
        !g_output_stream_close (sink, NULL, NULL))
      abort ();
    written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
    again_base = g_memory_input_stream_new_from_bytes (written);
    again = vw_age_armor_reader_new (again_base, VW_AGE_ARMOR_REQUIRED);
    decoded_again = read_all (again, NULL);
    if (decoded_again == NULL || !g_bytes_equal (decoded, decoded_again))
      abort ();
  }
}

static void
decryptor (const uint8_t *data,
           size_t         size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(VwAgeDecryptor) decryptor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;

  decryptor = vw_age_decryptor_new (in, VW_AGE_ARMOR_AUTO, NULL, &error);
  if (decryptor == NULL || !vw_age_decryptor_unlock (decryptor, identities, NULL, &error))
    {
      if (error == NULL || error->domain != VW_AGE_ERROR)
        abort ();
      return;
    }
  out = g_memory_output_stream_new_resizable ();
  if (!vw_age_decryptor_copy (decryptor, out, NULL, &error) && error == NULL)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  armor_reader (data, size);
  decryptor (data, size);
  return 0;
}
