/* vw-bench-records.h: synthetic records shared by the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void vw_bench_generate_records (guint    n,
                                GString *participants,
                                GString *rounds,
                                GString *episodes);
double vw_bench_peak_mib        (void);

G_END_DECLS
