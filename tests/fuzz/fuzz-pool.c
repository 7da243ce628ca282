/* libFuzzer target: the readers of a pool's outside input: a package's
 * tar, its manifest (signed or not), its tables, and trust files. See
 * vw-fuzz-pool.c for what each input exercises.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "vw-core.h"
#include "vw-fuzz-pool.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    return 1;
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  vw_fuzz_pool_one_input (data, size);
  return 0;
}
