/* vw-vault.h: the encrypted vault, everything a laptop stores.
 *
 * One sqlite file in which every value about a person is encrypted with
 * XChaCha20-Poly1305 under keys derived from a random vault key. The vault
 * key is wrapped twice: under the passphrase and under the recovery code
 * (both stretched with Argon2id). Contact details have their own header,
 * vw-vault-contacts.h, so that code which builds submissions or exports
 * does not reach them by accident.
 *
 * A VwVault belongs to the thread that opened it; only the key derivation
 * of the _async unlock calls runs elsewhere. Every write is its own
 * durable transaction unless it is made between vw_vault_begin() and
 * vw_vault_commit().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vw-secret.h"

G_BEGIN_DECLS

#define VW_VAULT_ERROR (vw_vault_error_quark ())

/* Stable error codes: callers may switch on them. */
typedef enum {
  VW_VAULT_ERROR_FAILED,
  VW_VAULT_ERROR_WRONG_PASSPHRASE,
  VW_VAULT_ERROR_WRONG_RECOVERY_CODE,
  VW_VAULT_ERROR_INVALID_RECOVERY_CODE, /* a typo: the checksum does not match */
  VW_VAULT_ERROR_NEWER_FORMAT,
  VW_VAULT_ERROR_CORRUPT,
  VW_VAULT_ERROR_TAMPERED,
  VW_VAULT_ERROR_LOCKED,
  VW_VAULT_ERROR_NOT_FOUND,
  VW_VAULT_ERROR_DUPLICATE_PSEUDONYM,
  VW_VAULT_ERROR_EXISTS,
  VW_VAULT_ERROR_DISK_FULL,
  VW_VAULT_ERROR_IO,
  VW_VAULT_ERROR_BUSY,
  VW_VAULT_ERROR_INVALID,   /* a value the caller passed is not allowed */
  VW_VAULT_ERROR_DESTROYED, /* the round's data was destroyed */
  VW_VAULT_ERROR_WEAK_PASSPHRASE,
  VW_VAULT_ERROR_FOREIGN_LOG, /* a write-ahead log beside the vault is not its own */
} VwVaultError;

GQuark vw_vault_error_quark (void);

/* The schema version this build writes; older vaults are migrated on unlock. */
#define VW_VAULT_SCHEMA_VERSION 12
#define VW_VAULT_MIN_PASSPHRASE_CHARS 8

/* Revisions are compared only between versions of one device, so a row
 * from another laptop may carry any revision up to G_MAXINT64. More than
 * this (2^53) no laptop writes; this laptop's next version of a row
 * whose revision is beyond it starts again at 1 rather than overflow
 * (vw_vault_next_revision()). */
#define VW_REVISION_MAX G_GINT64_CONSTANT (9007199254740992)

typedef enum {
  VW_STUDY_ROLE_DUO,
  VW_STUDY_ROLE_COORDINATOR,
} VwStudyRole;

typedef enum {
  VW_INTERVIEWER_RESEARCHER,
  VW_INTERVIEWER_PEER_RESEARCHER,
} VwInterviewerRole;

typedef enum {
  VW_INTERVIEW_IN_PROGRESS,
  VW_INTERVIEW_PAUSED,
  VW_INTERVIEW_FINISHED,
} VwInterviewState;

typedef enum {
  VW_STUDY_SECRET_LINKAGE, /* keyed hash for duplicate detection across laptops */
  VW_STUDY_SECRET_EXPORT,  /* stable anonymous export identifiers */
} VwStudySecret;

/* Options of vw_vault_create(); zero-initialise and fill what you need. */
typedef struct
{
  const char  *device_label;    /* nullable: "this laptop" */
  /* When study_name is set, the study is created in the same transaction. */
  const char  *study_name;
  const char  *study_region;
  VwStudyRole  study_role;
  GBytes      *questionnaire;   /* nullable: the shipped questionnaire */
  /* 0 = libsodium's MODERATE limits; lower values are refused. */
  guint64      kdf_opslimit;
  gsize        kdf_memlimit;
} VwVaultCreateOptions;

typedef struct
{
  char        *id;
  char        *name;
  GStrv        regions;
  VwStudyRole  role;
  char        *questionnaire_id;
  char        *questionnaire_version;
  char        *questionnaire_sha256;
  char        *created;
} VwStudy;

typedef struct
{
  char *study;
  char *label;           /* T0, T1, ... */
  int   position;        /* 0 for T0 */
  char *fieldwork_start; /* nullable, YYYY-MM-DD */
  char *fieldwork_end;   /* nullable */
  char *created;
  char *destroyed_at;    /* nullable: set when the round's data was destroyed */
} VwRound;

typedef struct
{
  char              *id;
  char              *name;
  VwInterviewerRole  role;
  char              *training_date; /* nullable, YYYY-MM-DD */
  gboolean           active;
  char              *created;
  char              *updated;
  gint64             revision;
} VwInterviewer;

typedef struct
{
  char   *study;
  char   *code;
  char   *pseudonym;
  char   *region;
  char   *created;
  char   *updated;
  gint64  revision;
  char   *device;   /* nullable: the author of this version, an id of this laptop's devices */
  gint64  seq;      /* this laptop's change sequence of the row (see vw-exchange.h) */
} VwParticipant;

typedef struct
{
  char             *id;
  char             *study;
  char             *code;
  char             *round;
  char             *questionnaire_id;      /* nullable for imported records */
  char             *questionnaire_version;
  char             *questionnaire_sha256;
  char             *interviewer1;          /* nullable interviewer ids */
  char             *interviewer2;
  char             *status;                /* nullable: codebook `status` code */
  char             *date;                  /* nullable: YYYY-MM-DD */
  char             *nonresponse_reason;    /* nullable, free text */
  VwInterviewState  state;
  char             *resume_module;         /* nullable */
  char             *resume_question;       /* nullable */
  char             *created;
  char             *updated;
  gint64            revision;
  char             *device;                /* nullable: the author of this version */
  gint64            seq;                   /* this laptop's change sequence of the row */
} VwInterview;

typedef struct
{
  char   *question;
  char   *value;
  gint64  revision;
  char   *updated;
  char   *device;
  gint64  seq;
} VwAnswer;

typedef struct
{
  char   *interview;
  char   *question; /* NULL for the general note */
  char   *text;
  gint64  revision;
  char   *updated;
  char   *device;
  gint64  seq;
} VwNote;

typedef struct
{
  char   *id;
  char   *study;
  char   *code;
  char   *round;
  char   *question; /* nullable */
  char   *theme;
  char   *text;
  char   *created;
  char   *updated;
  gint64  revision;
  char   *device;
  gint64  seq;
} VwQuote;

typedef struct
{
  char   *id;
  char   *study;
  char   *code;
  char   *start;     /* YYYY-MM */
  char   *end;       /* nullable: still going on */
  char   *residence; /* codebook residence code */
  char   *interview; /* nullable: recorded in this interview */
  char   *updated;
  gint64  revision;
  char   *device;    /* ignored when writing: this laptop's */
  gint64  seq;
} VwEpisode;

typedef struct
{
  char   *study;
  char   *code;
  char   *round;
  char   *purpose; /* "research" or "wmo_linkage" */
  char   *value;   /* "ja", "nee" or "ingetrokken" */
  char   *date;    /* nullable, YYYY-MM-DD */
  char   *updated;
  gint64  revision;
  char   *device;
  gint64  seq;
} VwConsent;

typedef struct
{
  char     *id;
  char     *study;          /* nullable */
  char     *label;
  guint8    x25519_public[32];
  guint8    ed25519_public[32];
  gboolean  trusted;
  gboolean  own;
  char     *created;
  char     *revoked_at;     /* nullable */
} VwDevice;

typedef struct
{
  gint64  seq;
  char   *timestamp;
  char   *actor;
  char   *action;
  char   *object;  /* nullable */
  char   *detail;  /* nullable */
} VwAuditEntry;

void vw_study_free         (VwStudy       *study);
void vw_round_free         (VwRound       *round);
void vw_interviewer_free   (VwInterviewer *interviewer);
void vw_participant_free   (VwParticipant *participant);
void vw_interview_free     (VwInterview   *interview);
void vw_answer_free        (VwAnswer      *answer);
void vw_note_free          (VwNote        *note);
void vw_quote_free         (VwQuote       *quote);
void vw_episode_free       (VwEpisode     *episode);
void vw_consent_free       (VwConsent     *consent);
void vw_device_free        (VwDevice      *device);
void vw_audit_entry_free   (VwAuditEntry  *entry);

const char *vw_study_role_to_string       (VwStudyRole        role);
const char *vw_interviewer_role_to_string (VwInterviewerRole  role);
const char *vw_interview_state_to_string  (VwInterviewState   state);

#define VW_TYPE_VAULT (vw_vault_get_type ())
G_DECLARE_FINAL_TYPE (VwVault, vw_vault, VW, VAULT, GObject)

/* Life cycle (vw-vault.c). */
VwVault    *vw_vault_create                    (const char                 *path,
                                                const VwSecret             *passphrase,
                                                const VwVaultCreateOptions *options,
                                                VwSecret                  **recovery_code,
                                                GCancellable               *cancellable,
                                                GError                    **error);
VwVault    *vw_vault_open                      (const char                 *path,
                                                GError                    **error);
gboolean    vw_vault_unlock                    (VwVault                    *self,
                                                const VwSecret             *passphrase,
                                                GCancellable               *cancellable,
                                                GError                    **error);
gboolean    vw_vault_unlock_with_recovery_code (VwVault                    *self,
                                                const VwSecret             *recovery_code,
                                                GCancellable               *cancellable,
                                                GError                    **error);
void        vw_vault_unlock_async              (VwVault                    *self,
                                                const VwSecret             *passphrase,
                                                GCancellable               *cancellable,
                                                GAsyncReadyCallback         callback,
                                                gpointer                    user_data);
gboolean    vw_vault_unlock_finish             (VwVault                    *self,
                                                GAsyncResult               *result,
                                                GError                    **error);
void        vw_vault_unlock_with_recovery_code_async  (VwVault             *self,
                                                       const VwSecret      *recovery_code,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean    vw_vault_unlock_with_recovery_code_finish (VwVault             *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void        vw_vault_lock                      (VwVault                    *self);
gboolean    vw_vault_close                     (VwVault                    *self,
                                                GError                    **error);
gboolean    vw_vault_is_unlocked               (VwVault                    *self);
gboolean    vw_vault_change_passphrase         (VwVault                    *self,
                                                const VwSecret             *new_passphrase,
                                                GCancellable               *cancellable,
                                                GError                    **error);
gboolean    vw_vault_verify                    (VwVault                    *self,
                                                GPtrArray                 **problems,
                                                GCancellable               *cancellable,
                                                GError                    **error);
gboolean    vw_vault_check_integrity           (VwVault                    *self,
                                                GError                    **error);
const char *vw_vault_get_path                  (VwVault                    *self);
const char *vw_vault_get_id                    (VwVault                    *self);
int         vw_vault_get_schema_version        (VwVault                    *self);
void        vw_vault_set_actor                 (VwVault                    *self,
                                                const char                 *actor);
const char *vw_vault_get_actor                 (VwVault                    *self);

/* Batches: writes between begin and commit form one transaction (for
 * imports); every single write is its own transaction otherwise. */
gboolean    vw_vault_begin                     (VwVault                    *self,
                                                GError                    **error);
gboolean    vw_vault_commit                    (VwVault                    *self,
                                                GError                    **error);
void        vw_vault_rollback                  (VwVault                    *self);

/* Device identity (vw-vault-devices.c). */
VwDevice   *vw_vault_get_own_device            (VwVault                    *self,
                                                GError                    **error);
char       *vw_vault_get_age_recipient         (VwVault                    *self,
                                                GError                    **error);
char       *vw_vault_get_signing_key           (VwVault                    *self,
                                                GError                    **error);
VwSecret   *vw_vault_dup_x25519_secret         (VwVault                    *self,
                                                GError                    **error);
VwSecret   *vw_vault_dup_ed25519_secret        (VwVault                    *self,
                                                GError                    **error);
char       *vw_vault_add_device                (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *label,
                                                const guint8               *x25519_public,
                                                const guint8               *ed25519_public,
                                                gboolean                    trusted,
                                                GError                    **error);
GPtrArray  *vw_vault_list_devices              (VwVault                    *self,
                                                GError                    **error);
gboolean    vw_vault_revoke_device             (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);

/* Studies, rounds, questionnaires, interviewers (vw-vault-study.c). */
char       *vw_vault_create_study              (VwVault                    *self,
                                                const char                 *name,
                                                const char                 *region,
                                                VwStudyRole                 role,
                                                GBytes                     *questionnaire,
                                                GError                    **error);
VwStudy    *vw_vault_get_study                 (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);
GPtrArray  *vw_vault_list_studies              (VwVault                    *self,
                                                GError                    **error);
gboolean    vw_vault_add_study_region          (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *region,
                                                GError                    **error);
VwSecret   *vw_vault_get_study_secret          (VwVault                    *self,
                                                const char                 *study,
                                                VwStudySecret               which,
                                                GError                    **error);
gboolean    vw_vault_add_round                 (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *label,
                                                const char                 *fieldwork_start,
                                                const char                 *fieldwork_end,
                                                GError                    **error);
gboolean    vw_vault_set_round_fieldwork       (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *label,
                                                const char                 *fieldwork_start,
                                                const char                 *fieldwork_end,
                                                GError                    **error);
GPtrArray  *vw_vault_list_rounds               (VwVault                    *self,
                                                const char                 *study,
                                                GError                    **error);
gboolean    vw_vault_destroy_round             (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *label,
                                                GError                    **error);
gboolean    vw_vault_add_questionnaire         (VwVault                    *self,
                                                GBytes                     *json,
                                                char                      **id,
                                                char                      **version,
                                                GError                    **error);
GBytes     *vw_vault_get_questionnaire         (VwVault                    *self,
                                                const char                 *id,
                                                const char                 *version,
                                                char                      **sha256,
                                                GError                    **error);
char       *vw_vault_add_interviewer           (VwVault                    *self,
                                                const char                 *name,
                                                VwInterviewerRole           role,
                                                const char                 *training_date,
                                                GError                    **error);
gboolean    vw_vault_update_interviewer        (VwVault                    *self,
                                                const VwInterviewer        *interviewer,
                                                GError                    **error);
VwInterviewer *vw_vault_get_interviewer        (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);
GPtrArray  *vw_vault_list_interviewers         (VwVault                    *self,
                                                GError                    **error);

/* Participants and what stays fixed over rounds (vw-vault-participants.c). */
VwParticipant *vw_vault_create_participant     (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *pseudonym,
                                                const char                 *region,
                                                GError                    **error);
VwParticipant *vw_vault_get_participant        (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                GError                    **error);
GPtrArray  *vw_vault_list_participants         (VwVault                    *self,
                                                const char                 *study,
                                                GError                    **error);
gboolean    vw_vault_set_pseudonym             (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *pseudonym,
                                                GError                    **error);
gboolean    vw_vault_pseudonym_available       (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *pseudonym,
                                                const char                 *except_code,
                                                GError                    **error);
gboolean    vw_vault_delete_participant        (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                GError                    **error);
gboolean    vw_vault_set_participant_value     (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *variable,
                                                const char                 *value,
                                                GError                    **error);
char       *vw_vault_get_participant_value     (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *variable,
                                                GError                    **error);
GHashTable *vw_vault_list_participant_values   (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                GError                    **error);
char       *vw_vault_add_episode               (VwVault                    *self,
                                                const VwEpisode            *episode,
                                                GError                    **error);
gboolean    vw_vault_update_episode            (VwVault                    *self,
                                                const VwEpisode            *episode,
                                                GError                    **error);
gboolean    vw_vault_delete_episode            (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);
GPtrArray  *vw_vault_list_episodes             (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                GError                    **error);
gboolean    vw_vault_set_consent               (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *round,
                                                const char                 *purpose,
                                                const char                 *value,
                                                const char                 *date,
                                                GError                    **error);
GPtrArray  *vw_vault_list_consents             (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                GError                    **error);

/* Interviews and what is said in them (vw-vault-interviews.c). */
VwInterview *vw_vault_start_interview          (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *round,
                                                const char                 *questionnaire_id,
                                                const char                 *questionnaire_version,
                                                const char                 *interviewer1,
                                                const char                 *interviewer2,
                                                GError                    **error);
VwInterview *vw_vault_get_interview            (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);
VwInterview *vw_vault_find_interview           (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *round,
                                                GError                    **error);
GPtrArray  *vw_vault_list_interviews           (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *round,
                                                GError                    **error);
gboolean    vw_vault_set_interview_status      (VwVault                    *self,
                                                const char                 *id,
                                                const char                 *status,
                                                const char                 *date,
                                                const char                 *nonresponse_reason,
                                                GError                    **error);
gboolean    vw_vault_set_interview_state       (VwVault                    *self,
                                                const char                 *id,
                                                VwInterviewState            state,
                                                const char                 *resume_module,
                                                const char                 *resume_question,
                                                GError                    **error);
gboolean    vw_vault_set_interviewers          (VwVault                    *self,
                                                const char                 *id,
                                                const char                 *interviewer1,
                                                const char                 *interviewer2,
                                                GError                    **error);
gboolean    vw_vault_reopen_interview          (VwVault                    *self,
                                                const char                 *id,
                                                const char                 *reason,
                                                GError                    **error);
gboolean    vw_vault_delete_interview          (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);
gboolean    vw_vault_save_answer               (VwVault                    *self,
                                                const char                 *interview,
                                                const char                 *question,
                                                const char                 *value,
                                                GError                    **error);
char       *vw_vault_get_answer                (VwVault                    *self,
                                                const char                 *interview,
                                                const char                 *question,
                                                GError                    **error);
GPtrArray  *vw_vault_list_answers              (VwVault                    *self,
                                                const char                 *interview,
                                                GError                    **error);
gboolean    vw_vault_save_note                 (VwVault                    *self,
                                                const char                 *interview,
                                                const char                 *question,
                                                const char                 *text,
                                                GError                    **error);
GPtrArray  *vw_vault_list_notes                (VwVault                    *self,
                                                const char                 *interview,
                                                GError                    **error);
char       *vw_vault_add_quote                 (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *round,
                                                const char                 *question,
                                                const char                 *theme,
                                                const char                 *text,
                                                GError                    **error);
gboolean    vw_vault_update_quote              (VwVault                    *self,
                                                const char                 *id,
                                                const char                 *theme,
                                                const char                 *text,
                                                GError                    **error);
gboolean    vw_vault_delete_quote              (VwVault                    *self,
                                                const char                 *id,
                                                GError                    **error);
GPtrArray  *vw_vault_list_quotes               (VwVault                    *self,
                                                const char                 *study,
                                                const char                 *code,
                                                const char                 *round,
                                                GError                    **error);

/* Audit trail (vw-vault-audit.c). */
gboolean    vw_vault_audit                     (VwVault                    *self,
                                                const char                 *action,
                                                const char                 *object,
                                                const char                 *detail,
                                                GError                    **error);
GPtrArray  *vw_vault_list_audit                (VwVault                    *self,
                                                GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwStudy, vw_study_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwRound, vw_round_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwInterviewer, vw_interviewer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwParticipant, vw_participant_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwInterview, vw_interview_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAnswer, vw_answer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwNote, vw_note_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwQuote, vw_quote_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwEpisode, vw_episode_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwConsent, vw_consent_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwDevice, vw_device_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAuditEntry, vw_audit_entry_free)

G_END_DECLS
