/* vw-linkage-population.h: a synthetic population for linkage quality.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

typedef struct
{
  char  *name;
  char  *birth_date;
  guint  person;      /* records of one person share it */
} VwLinkageRecord;

GPtrArray *vw_linkage_population (guint   people,
                                  double  twice,
                                  guint32 seed);

typedef struct
{
  guint  candidates;
  guint  true_pairs;
  guint  found;       /* true pairs among the candidates */
  double precision;
  double recall;
  double seconds;
} VwLinkageQuality;

void vw_linkage_quality (GPtrArray        *records,
                         double            threshold,
                         VwLinkageQuality *out);
