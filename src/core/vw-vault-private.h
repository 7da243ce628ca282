/* vw-vault-private.h: what the vault's source files share. Not installed;
 * the tests include it to reach the database for tamper and disk-full
 * checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sodium.h>
#include <sqlite3.h>

#include "vw-vault.h"

G_BEGIN_DECLS

#define VW_VAULT_ID_LEN     16
#define VW_KEY_LEN          32
#define VW_SALT_LEN         crypto_pwhash_SALTBYTES
#define VW_NONCE_LEN        crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define VW_TAG_LEN          crypto_aead_xchacha20poly1305_ietf_ABYTES
#define VW_MAC_LEN          32
/* The first byte of every encrypted value and wrapped key. Values of
 * format 1 hold their plaintext as it is; schema 8 re-sealed every one of
 * them in format 2, whose plaintext is padded (see vw-vault-crypto.c). A
 * wrapped key stays in format 1: it always has the same length. */
#define VW_VALUE_VERSION    1
#define VW_VALUE_PADDED     2
#define VW_VALUE_OVERHEAD   (1 + VW_NONCE_LEN + VW_TAG_LEN)
/* Plaintexts shorter than this seal to one length; longer ones to the
 * classes vw_vault_padded_size() gives. */
#define VW_PAD_BUCKET       64
#define VW_PAD_LARGEST_CLASS (64 * 1024)
/* Format tags that start the associated data, so that a value can never be
 * taken for a wrapped key or the other way round, nor a padded value for
 * an unpadded one. */
#define VW_AD_VALUE_TAG     "veldwerk/value/1"
#define VW_AD_PADDED_TAG    "veldwerk/value/2"
#define VW_AD_KEY_TAG       "veldwerk/key/1"
/* The schema from which values are padded and rows carry integrity MACs. */
#define VW_SCHEMA_PADDED    8
#define VW_INTEGRITY_EPOCH_LEN 16
#define VW_KDF_CONTEXT      "vwvault_"
#define VW_ROUND_KDF_CONTEXT "vwround_"

/* Subkeys of the vault key (crypto_kdf ids). Never renumber. */
typedef enum {
  VW_SUBKEY_VAULT = 1,       /* wraps round keys, study and device secrets */
  VW_SUBKEY_PARTICIPANT = 2, /* pseudonyms, fixed variables, episodes */
  VW_SUBKEY_CONTACT = 3,
  VW_SUBKEY_AUDIT_MAC = 4,
  VW_SUBKEY_BLIND_INDEX = 5,
  VW_SUBKEY_AUDIT_DETAIL = 6,
  VW_SUBKEY_STAFF = 7,       /* interviewer names, device labels */
  VW_SUBKEY_INTEGRITY = 8,   /* row MACs and table digests */
  VW_SUBKEY_N
} VwSubkey;

typedef struct
{
  guint32 alg;
  guint64 opslimit;
  guint64 memlimit;
  guint8  salt[VW_SALT_LEN];
} VwKdfParams;

/* Where a value lives: bound into its associated data, and named in the
 * error when it does not decrypt. */
typedef struct
{
  const char *table;
  const char *column;
  const char *id[4];  /* row identity, NULL-terminated if shorter */
  gint64      revision;
} VwValueRef;

struct _VwVault
{
  GObject      parent_instance;

  char        *path;            /* owned */
  sqlite3     *db;              /* owned */
  GHashTable  *stmts;           /* owned: SQL text -> sqlite3_stmt* */
  int          schema_version;
  guint8       vault_id[VW_VAULT_ID_LEN];
  char        *vault_id_hex;    /* owned */
  VwKdfParams  kdf_passphrase;
  VwKdfParams  kdf_recovery;
  GBytes      *wrapped_passphrase; /* owned */
  GBytes      *wrapped_recovery;   /* owned */
  char        *actor;           /* owned */
  int          tx_depth;
  gint64       seq;             /* the change sequence handed out in this transaction; 0: not read yet */
  /* While schema 8 re-seals the values of an older vault: the only time
   * a value of format 1 is read once a vault has reached schema 8. */
  gboolean     migrating;
  /* A transaction that changed rows was committed since the log was last
   * checkpointed; sqlite3_total_changes64() when the last one ended. */
  gboolean     committed;
  gint64       changes_seen;
  int          wal_pages;       /* in the log after the last commit */
  gboolean     checkpointing;   /* its own commit must not start another */

  /* Only while unlocked. */
  VwSecret    *key;             /* owned: the vault key */
  VwSecret    *subkeys[VW_SUBKEY_N]; /* owned */
  GHashTable  *round_keys;      /* owned: "study\nlabel" -> VwSecret* data key */
  char        *device_id;       /* owned */
};

/* vw-vault.c */
gboolean      vw_vault_require_unlocked (VwVault          *self,
                                         GError          **error);
const guint8 *vw_vault_subkey           (VwVault          *self,
                                         VwSubkey          which);
const guint8 *vw_vault_round_key        (VwVault          *self,
                                         const char       *study,
                                         const char       *round,
                                         GError          **error);
void          vw_vault_forget_round_key (VwVault          *self,
                                         const char       *study,
                                         const char       *round);
char         *vw_vault_now              (void);
gint64        vw_vault_next_revision    (gint64            current);
char         *vw_vault_random_id        (void);

/* vw-vault-sql.c: statements, transactions, error mapping. */
sqlite3_stmt *vw_vault_prepare          (VwVault          *self,
                                         const char       *sql,
                                         GError          **error);
int           vw_vault_step             (VwVault          *self,
                                         sqlite3_stmt     *stmt,
                                         GError          **error);
gboolean      vw_vault_exec             (VwVault          *self,
                                         const char       *sql,
                                         GError          **error);
gboolean      vw_vault_step_done        (VwVault          *self,
                                         sqlite3_stmt     *stmt,
                                         GError          **error);
gboolean      vw_vault_sql_error        (VwVault          *self,
                                         int               rc,
                                         GError          **error);
gboolean      vw_vault_tx_begin         (VwVault          *self,
                                         GError          **error);
gboolean      vw_vault_tx_commit        (VwVault          *self,
                                         GError          **error);
void          vw_vault_tx_rollback      (VwVault          *self);
void          vw_vault_clear_statements (VwVault          *self);
void          vw_vault_bind_text        (sqlite3_stmt     *stmt,
                                         int               index,
                                         const char       *text);
void          vw_vault_bind_bytes       (sqlite3_stmt     *stmt,
                                         int               index,
                                         GBytes           *bytes);
char         *vw_vault_column_text      (sqlite3_stmt     *stmt,
                                         int               index);
gint64        vw_vault_changes          (VwVault          *self);
gboolean      vw_vault_next_seq         (VwVault          *self,
                                         gint64           *seq,
                                         GError          **error);
gboolean      vw_vault_not_found        (GError          **error,
                                         const char       *what,
                                         const char       *where);
gboolean      vw_vault_tx_finish        (VwVault          *self,
                                         gboolean          ok,
                                         GError          **error);
typedef gpointer (*VwRowReadFunc) (VwVault       *self,
                                   sqlite3_stmt  *stmt,
                                   GError       **error);
gpointer      vw_vault_read_one         (VwVault          *self,
                                         sqlite3_stmt     *stmt,
                                         VwRowReadFunc     read,
                                         const char       *what,
                                         const char       *where,
                                         GError          **error);
gint64        vw_vault_row_revision     (VwVault          *self,
                                         const char       *sql,
                                         const char       *a,
                                         const char       *b,
                                         const char       *c,
                                         const char       *d,
                                         GError          **error);
GPtrArray    *vw_vault_collect_rows     (VwVault          *self,
                                         sqlite3_stmt     *stmt,
                                         VwRowReadFunc     read,
                                         GDestroyNotify    free_func,
                                         GError          **error);

/* vw-vault-crypto.c: values, wrapped keys, subkeys, blind index. */
GBytes       *vw_vault_seal             (VwVault          *self,
                                         const guint8     *key,
                                         const VwValueRef *ref,
                                         const void       *plain,
                                         gsize             len);
GBytes       *vw_vault_seal_string      (VwVault          *self,
                                         const guint8     *key,
                                         const VwValueRef *ref,
                                         const char       *text);
GBytes       *vw_vault_seal_with_nonce  (const guint8     *vault_id,
                                         const guint8     *key,
                                         const VwValueRef *ref,
                                         const void       *plain,
                                         gsize             len,
                                         const guint8     *nonce);
char         *vw_vault_unseal           (VwVault          *self,
                                         const guint8     *key,
                                         const VwValueRef *ref,
                                         const void       *blob,
                                         gsize             blob_len,
                                         gsize            *len,
                                         GError          **error);
gboolean      vw_vault_column_unseal    (VwVault          *self,
                                         sqlite3_stmt     *stmt,
                                         int               column,
                                         const guint8     *key,
                                         const VwValueRef *ref,
                                         char            **text,
                                         GError          **error);
VwSecret     *vw_vault_unseal_secret    (VwVault          *self,
                                         const guint8     *key,
                                         const VwValueRef *ref,
                                         const void       *blob,
                                         gsize             blob_len,
                                         GError          **error);
GByteArray   *vw_vault_value_ad         (const guint8     *vault_id,
                                         const VwValueRef *ref);
gsize         vw_vault_padded_size      (gsize             len);
char         *vw_vault_describe_ref     (const VwValueRef *ref);
GBytes       *vw_kdf_params_serialize   (const VwKdfParams *params);
gboolean      vw_kdf_params_parse       (GBytes           *bytes,
                                         VwKdfParams      *params);
VwSecret     *vw_kdf_stretch            (const VwKdfParams *params,
                                         const guint8     *secret,
                                         gsize             len,
                                         GError          **error);
GBytes       *vw_key_wrap               (const guint8     *vault_id,
                                         const char       *purpose,
                                         const VwKdfParams *params,
                                         const VwSecret   *kek,
                                         const VwSecret   *key);
VwSecret     *vw_key_unwrap             (const guint8     *vault_id,
                                         const char       *purpose,
                                         const VwKdfParams *params,
                                         const VwSecret   *kek,
                                         GBytes           *wrapped);
void          vw_derive_subkey          (guint8           *out,
                                         const guint8     *key,
                                         guint64           id,
                                         const char       *context);
GBytes       *vw_vault_blind_index      (VwVault          *self,
                                         const char       *study,
                                         const char       *pseudonym);
char         *vw_normalize_pseudonym    (const char       *pseudonym);

/* vw-vault-schema.c */
gboolean      vw_vault_schema_create    (VwVault          *self,
                                         int               target_version,
                                         GError          **error);
gboolean      vw_vault_schema_migrate   (VwVault          *self,
                                         GError          **error);

/* vw-vault-reseal.c: the C step of schema 8. */
gboolean      vw_vault_migrate_padding  (VwVault          *self,
                                         GError          **error);

/* vw-vault-preparations.c: schema 12, the index of round preparations. */
extern const char vw_vault_preparations_schema[];
gboolean      vw_vault_migrate_preparations (VwVault      *self,
                                             GError      **error);
gboolean      vw_vault_record_preparation (VwVault        *self,
                                           const char     *device,
                                           const char     *detail,
                                           GError        **error);
GHashTable   *vw_vault_list_preparations (VwVault         *self,
                                          const char      *study,
                                          const char      *round,
                                          GError         **error);

/* vw-vault-integrity.c: row MACs and table digests. */
extern const char vw_vault_integrity_schema[];
gboolean      vw_vault_integrity_register (VwVault        *self,
                                           GError        **error);
gboolean      vw_vault_integrity_baseline (VwVault        *self,
                                           GError        **error);
gboolean      vw_vault_integrity_refresh  (VwVault        *self,
                                           GError        **error);
GPtrArray    *vw_vault_integrity_existing (VwVault        *self);
gboolean      vw_vault_integrity_forget_dropped (VwVault  *self,
                                                 GPtrArray *before,
                                                 GError  **error);
gboolean      vw_vault_integrity_renew_epoch (VwVault     *self,
                                              GError     **error);
void          vw_vault_verify_integrity   (VwVault        *self,
                                           GPtrArray      *problems);
gboolean      vw_integrity_state_guard    (const guint8   *state,
                                           gsize           len,
                                           guint8         *vault_id,
                                           guint8         *epoch,
                                           guint8         *prev_epoch);

/* vw-vault-log.c: the write-ahead log at rest. */
gboolean      vw_vault_log_check        (const char       *path,
                                         GError          **error);
void          vw_vault_log_opened       (const char       *path);
void          vw_vault_log_closed       (const char       *path);
gboolean      vw_vault_checkpoint       (VwVault          *self,
                                         GError          **error);
void          vw_vault_log_watch_commits (VwVault         *self);
void          vw_vault_log_committed    (VwVault          *self);

/* vw-vault-audit.c */
gboolean      vw_vault_audit_reseal     (VwVault          *self,
                                         guint            *done,
                                         guint            *left,
                                         GError          **error);
gboolean      vw_vault_audit_append     (VwVault          *self,
                                         const char       *action,
                                         const char       *object,
                                         const char       *detail,
                                         GError          **error);
void          vw_vault_audit_verify     (VwVault          *self,
                                         GPtrArray        *problems);
GPtrArray    *vw_vault_audit_details    (VwVault          *self,
                                         const char       *action,
                                         const char       *object,
                                         GError          **error);

/* vw-vault-study.c */
char         *vw_vault_create_study_in_tx (VwVault        *self,
                                           const char     *name,
                                           const char     *region,
                                           VwStudyRole     role,
                                           GBytes         *questionnaire,
                                           GError        **error);
gboolean      vw_vault_check_region     (const char       *region,
                                         GError          **error);
gboolean      vw_vault_check_name       (const char       *name,
                                         const char       *what,
                                         GError          **error);
gboolean      vw_vault_check_date       (const char       *date,
                                         GError          **error);
gboolean      vw_vault_check_month      (const char       *month,
                                         GError          **error);
gboolean      vw_vault_check_code       (const char       *list,
                                         const char       *value,
                                         GError          **error);
gboolean      vw_vault_check_study      (VwVault          *self,
                                         const char       *study,
                                         GError          **error);
gboolean      vw_vault_check_round      (VwVault          *self,
                                         const char       *study,
                                         const char       *round,
                                         GError          **error);

/* vw-vault-devices.c */
gboolean      vw_vault_create_own_device (VwVault         *self,
                                          const char      *label,
                                          GError         **error);

/* vw-vault-participants.c */
gboolean      vw_vault_check_participant (VwVault         *self,
                                          const char      *study,
                                          const char      *code,
                                          GError         **error);
gboolean      vw_vault_write_episode     (VwVault         *self,
                                          const char      *id,
                                          const VwEpisode *episode,
                                          gint64           revision,
                                          gboolean         insert,
                                          GError         **error);
VwEpisode    *vw_vault_episode_from_row  (VwVault         *self,
                                          sqlite3_stmt    *stmt,
                                          GError         **error);
/* The one JSON of an episode's sealed data, for the vault and the merge. */
char         *vw_vault_episode_json      (const char      *start,
                                          const char      *end,
                                          const char      *residence);
/* Returns: the code that already uses @index in @study, or NULL. */
char         *vw_vault_pseudonym_owner   (VwVault         *self,
                                          const char      *study,
                                          GBytes          *index,
                                          GError         **error);

/* Per-table checks run by vw_vault_verify(): each decrypts every value of
 * its tables and appends a line per break to @problems. */
typedef void (*VwRowCheckFunc) (VwVault      *self,
                                sqlite3_stmt *stmt,
                                GPtrArray    *problems);
void          vw_vault_verify_rows         (VwVault       *self,
                                            const char    *sql,
                                            VwRowCheckFunc check,
                                            GPtrArray     *problems);
void          vw_vault_verify_readable     (VwVault       *self,
                                            const char    *sql,
                                            VwRowReadFunc  read,
                                            GDestroyNotify free_func,
                                            GPtrArray     *problems);
void          vw_vault_add_problem         (GPtrArray     *problems,
                                            const GError  *error);
void          vw_vault_verify_value        (VwVault       *self,
                                            sqlite3_stmt  *stmt,
                                            int            column,
                                            const guint8  *key,
                                            const VwValueRef *ref,
                                            GPtrArray     *problems);
void          vw_vault_verify_study        (VwVault       *self,
                                            GPtrArray     *problems);
void          vw_vault_verify_devices      (VwVault       *self,
                                            GPtrArray     *problems);
void          vw_vault_verify_participants (VwVault       *self,
                                            GPtrArray     *problems);
void          vw_vault_verify_interviews   (VwVault       *self,
                                            GPtrArray     *problems);
void          vw_vault_verify_records      (VwVault       *self,
                                            GPtrArray     *problems);

gboolean      vw_vault_unlock_with_key   (VwVault         *self,
                                          const VwSecret  *key,
                                          GError         **error);

/* Tests build the schema-v1 fixture with this. */
VwVault      *vw_vault_create_at_version (const char      *path,
                                          const VwSecret  *passphrase,
                                          const VwVaultCreateOptions *options,
                                          int              schema_version,
                                          VwSecret       **recovery_code,
                                          GCancellable    *cancellable,
                                          GError         **error);

G_END_DECLS
