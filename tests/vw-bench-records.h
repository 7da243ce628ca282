/* vw-bench-records.h: synthetic records shared by the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-records.h"

G_BEGIN_DECLS

void vw_bench_generate_records (guint    n,
                                GString *participants,
                                GString *rounds,
                                GString *episodes);
double vw_bench_peak_mib        (void);
VwRecords *vw_bench_load_records (GString *participants,
                                  GString *rounds,
                                  GString *episodes);

G_END_DECLS
