/* libFuzzer target: the records CSV reader and its validators (codebook
 * section 5), on one file or the three separated by NUL bytes. See
 * fuzz-records-check.h for what each input must satisfy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-records-check.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or a warning from GLib is a bug here too. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  /* One-time allocations (the codebook, the column table) before the leak
   * check. */
  vw_records_builder_free (vw_records_builder_new ());
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (!fuzz_records_check (data, size))
    abort ();
  return 0;
}
