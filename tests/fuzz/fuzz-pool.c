/* libFuzzer target: the readers of a pool's outside input: a package's
 * tar, its manifest (signed or not), its tables, and trust files. See
 * vw-fuzz-pool.c for what each input exercises.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "vw-core.h"
#include "vw-fuzz-pool.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* GLib stops on a fatal warning with SIGTRAP, which libFuzzer does not
 * catch: turn it into the abort it saves the input for. */
static void
trap_to_abort (int signal_number)
{
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  signal (SIGTRAP, trap_to_abort);
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
