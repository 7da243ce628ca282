/* Helpers shared by the vault tests: a vault filled with a value in every
 * encrypted field, and byte-level looks at the files it leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "vw-core.h"
#include "vw-vault-contacts.h"

G_BEGIN_DECLS

#define VW_TEST_PASSPHRASE "correct horse battery staple"

/* What vw_test_fill_vault() made; ids are random per vault. */
typedef struct
{
  char *study;
  char *code;        /* the filled participant */
  char *other_code;  /* a second participant, for moving values */
  char *interviewer;
  char *interview;   /* round T0 */
  char *interview_t1;
  char *quote;
  char *episode;
  char *device;
  /* The episode's residence code, to check after reading it back. */
  const char *episode_residence;
} VwTestFill;

/* Strings written into the encrypted fields, all with @prefix. A test
 * that scans files for leaks looks for each of them. */
typedef struct
{
  const char *what;
  char       *text;
} VwTestMarker;

VwSecret   *vw_test_passphrase        (void);
VwVault    *vw_test_create_vault      (const char   *path,
                                       char        **study,
                                       VwSecret    **recovery_code);
VwVault    *vw_test_open_vault        (const char   *path);
void        vw_test_fill_vault        (VwVault      *vault,
                                       const char   *study,
                                       const char   *prefix,
                                       VwTestFill   *fill);
void        vw_test_check_fill        (VwVault      *vault,
                                       const VwTestFill *fill,
                                       const char   *prefix);
GPtrArray  *vw_test_markers           (const char   *prefix);
void        vw_test_fill_clear        (VwTestFill   *fill);
char       *vw_test_file_checksum     (const char   *path);
char       *vw_test_vault_checksums   (const char   *path);
gboolean    vw_test_file_contains     (const char   *path,
                                       const void   *needle,
                                       gsize         len);
GPtrArray  *vw_test_list_files        (const char   *dir);
sqlite3    *vw_test_raw_open          (const char   *path);
void        vw_test_raw_exec          (sqlite3      *db,
                                       const char   *sql);
GBytes     *vw_test_raw_blob          (sqlite3      *db,
                                       const char   *sql);
void        vw_test_raw_set_blob      (sqlite3      *db,
                                       const char   *sql,
                                       GBytes       *blob);
GBytes     *vw_test_flip_byte         (GBytes       *blob,
                                       gsize         index);
void        vw_test_copy_file         (const char   *from,
                                       const char   *to);
typedef void (*VwTestSealedFunc) (const char *table,
                                  const char *column,
                                  const char *where,
                                  gint64      revision,
                                  GBytes     *blob,
                                  const char *plain,
                                  gsize       len,
                                  gpointer    data);
void        vw_test_foreach_sealed    (VwVault          *vault,
                                       VwTestSealedFunc  func,
                                       gpointer          data);
char       *vw_test_dump_sealed       (VwVault      *vault);

G_END_DECLS
