/* A Veldwerk program started on a terminal of its own and watched from
 * outside, as an attacker on the same machine would: what its environment
 * and its /proc entries show while it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VwTestWatched VwTestWatched;

/* Starts @argv with the test's environment plus @env ("NAME=VALUE"), its
 * home in @home, on a new pseudo-terminal as its controlling terminal and
 * standard input and output. Run as root, the program runs as the user
 * nobody (and @home is given to that user), so that what /proc shows of
 * it differs between a dumpable and a non-dumpable process. */
VwTestWatched *vw_test_watched_spawn           (const char * const *argv,
                                                const char * const *env,
                                                const char         *home);
/* Reads the terminal until @text appears (the program then waits there). */
void           vw_test_watched_expect          (VwTestWatched      *self,
                                                const char         *text);
void           vw_test_watched_type            (VwTestWatched      *self,
                                                const char         *text);
/* Waits (up to 30 s) until the process is not dumpable. */
void           vw_test_watched_wait_hardened   (VwTestWatched      *self);
/* Asserts, on the running process: its environment (as /proc/PID/environ
 * shows it) holds @marker but not @secret, it is not dumpable, and its
 * core file size limit is 0. */
void           vw_test_watched_assert_hardened (VwTestWatched      *self,
                                                const char         *secret,
                                                const char         *marker);
/* Reads the terminal to its end; returns the exit status (-1: killed). */
int            vw_test_watched_wait            (VwTestWatched      *self);
const char    *vw_test_watched_get_output      (VwTestWatched      *self);
void           vw_test_watched_free            (VwTestWatched      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwTestWatched, vw_test_watched_free)

G_END_DECLS
