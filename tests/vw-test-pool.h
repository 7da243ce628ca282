/* Helpers of the pool's tests: regional records, their signed packages,
 * and reading tables back as an analyst would (CSV, and .sav/.dta with
 * ReadStat).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-core.h"

G_BEGIN_DECLS

/* One region's study: its records (also as CSV text), its keys and its
 * package. */
typedef struct
{
  char      *region;
  char      *study_id;
  char      *study_name;
  GString   *participants;  /* CSV */
  GString   *rounds;
  GString   *episodes;
  VwRecords *records;
  VwSecret  *export_key;
  VwSecret  *signing_key;
  guint8     public_key[32];
  char      *package;       /* after vw_test_region_export() */
} VwTestRegion;

/* @n participants (every group of region, origin and age band n / 4 big)
 * over @n_rounds rounds, with episodes; @n_rare more who share an origin
 * nobody else has, so that disclosure control leaves them out. */
void       vw_test_region_init   (VwTestRegion   *region,
                                  const char     *code,
                                  guint           n,
                                  guint           n_rare,
                                  guint           n_rounds,
                                  guint32         seed);
void       vw_test_region_init_from_dir (VwTestRegion *region,
                                         const char   *code,
                                         const char   *dir);
void       vw_test_region_clear  (VwTestRegion   *region);
/* Exports a signed package into @dir (csv, sav and dta); @options may set
 * the rules, k, quasi-identifiers, age scheme and recipients, the rest is
 * filled in. Returns: the package's path (also in region->package). */
const char *vw_test_region_export (VwTestRegion   *region,
                                   const char     *dir,
                                   VwExportOptions *options);
char      *vw_test_region_trust_line (VwTestRegion *region);

/* The records of @regions together; with @keep, only the participants
 * whose codes it holds. */
VwRecords *vw_test_union_records (VwTestRegion  **regions,
                                  guint           n_regions,
                                  GHashTable     *keep);

/* A table file as rows of fields, the header first. */
GPtrArray *vw_test_read_csv_rows   (const char   *path);
GPtrArray *vw_test_read_stats_rows (const char   *path);
int        vw_test_column          (GPtrArray    *rows,
                                    const char   *name);
/* Export id -> the size of its group on @quasi (a blank is a value); the
 * smallest size is returned. Rows with the same export id (a long table)
 * must agree on @quasi and count once. */
guint      vw_test_group_sizes     (GPtrArray          *rows,
                                    const char * const *quasi,
                                    GHashTable        **sizes);

G_END_DECLS
