/* vw-vault-tracing.h: tracing participants between rounds.
 *
 * Locator details (other ways to reach a person), contact attempts and
 * appointments are kept on the duo's laptop, sealed under the contact
 * subkey like the contact details. Only the count and the outcome codes
 * of a round's attempts travel in a submission (row T, README-bundles.md);
 * never a note, a place, an appointment or a locator. Like
 * vw-vault-contacts.h this header is kept out of vw-core.h, so that code
 * that builds bundles or exports reaches these only on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

/* The study's minimum number of attempts before a round may be set to
 * "unreachable" (codebook: niet vindbaar) without a reason. */
#define VW_TRACING_DEFAULT_MIN_ATTEMPTS 3
#define VW_TRACING_MAX_MIN_ATTEMPTS     20

/* Code lists (NULL-terminated). */
extern const char * const vw_locator_kinds[];    /* person organisation sleeping_place post_address */
extern const char * const vw_attempt_ways[];     /* phone visit care_worker participant other */
extern const char * const vw_attempt_outcomes[]; /* reached no_answer message_left contact_invalid
                                                  * appointment_made refused other */

typedef struct
{
  char   *id;
  char   *study;
  char   *code;
  char   *kind;     /* vw_locator_kinds */
  char   *details;  /* free text: who, which organisation, where */
  char   *updated;
} VwLocator;

typedef struct
{
  char   *id;
  char   *study;
  char   *code;
  char   *round;
  char   *date;     /* YYYY-MM-DD, not in the future */
  char   *way;      /* vw_attempt_ways */
  char   *outcome;  /* vw_attempt_outcomes */
  char   *note;     /* nullable */
  char   *place;    /* nullable */
  char   *updated;
} VwAttempt;

typedef struct
{
  char   *id;
  char   *study;
  char   *code;
  char   *round;
  char   *date;     /* YYYY-MM-DD */
  char   *time;     /* HH:MM, nullable */
  char   *place;    /* nullable */
  char   *note;     /* nullable */
  char   *updated;
} VwAppointment;

/* One participant on the round worklist. */
typedef struct
{
  char   *code;
  char   *pseudonym;
  guint   attempts;
  char   *last_attempt;      /* nullable: date of the latest attempt */
  char   *last_outcome;      /* nullable */
  char   *next_appointment;  /* nullable: "YYYY-MM-DD[ HH:MM]", the first on or after today */
} VwWorklistEntry;

typedef enum {
  VW_WORKLIST_ALL,
  VW_WORKLIST_NOT_TRIED,        /* no attempt this round */
  VW_WORKLIST_TRIED_THREE,      /* three attempts or more */
  VW_WORKLIST_APPOINTMENT_WEEK, /* an appointment from today to today + 6 days */
} VwWorklistFilter;

void        vw_locator_free            (VwLocator       *locator);
void        vw_attempt_free            (VwAttempt       *attempt);
void        vw_appointment_free        (VwAppointment   *appointment);
void        vw_worklist_entry_free     (VwWorklistEntry *entry);

/* Validators: one per thing; each names the field it refuses. */
gboolean    vw_validate_locator        (const char      *kind,
                                        const char      *details,
                                        GError         **error);
gboolean    vw_validate_attempt        (const char      *date,
                                        const char      *way,
                                        const char      *outcome,
                                        const char      *note,
                                        const char      *place,
                                        GError         **error);
gboolean    vw_validate_appointment    (const char      *date,
                                        const char      *time,
                                        const char      *place,
                                        const char      *note,
                                        GError         **error);
gboolean    vw_validate_attempt_outcomes (const char    *count,
                                          const char    *outcomes,
                                          GError       **error);

/* Locators. @id NULL adds one; returns the id (transfer full). */
char       *vw_vault_save_locator      (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *id,
                                        const char      *kind,
                                        const char      *details,
                                        GError         **error);
GPtrArray  *vw_vault_list_locators     (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        GError         **error);
gboolean    vw_vault_delete_locator    (VwVault         *self,
                                        const char      *id,
                                        GError         **error);

/* Attempts. @id NULL adds one; returns the id (transfer full). */
char       *vw_vault_save_attempt      (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *round,
                                        const char      *id,
                                        const char      *date,
                                        const char      *way,
                                        const char      *outcome,
                                        const char      *note,
                                        const char      *place,
                                        GError         **error);
/* Ordered by date, then by when they were recorded. */
GPtrArray  *vw_vault_list_attempts     (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *round,
                                        GError         **error);
gboolean    vw_vault_delete_attempt    (VwVault         *self,
                                        const char      *id,
                                        GError         **error);
/* The attempts of a round: this laptop's, plus those merged from
 * submissions; -1 when none is recorded at all (or on error). */
int         vw_vault_count_attempts    (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *round,
                                        GError         **error);

/* Appointments. @id NULL adds one; returns the id (transfer full). */
char       *vw_vault_save_appointment  (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *round,
                                        const char      *id,
                                        const char      *date,
                                        const char      *time,
                                        const char      *place,
                                        const char      *note,
                                        GError         **error);
GPtrArray  *vw_vault_list_appointments (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *round,
                                        GError         **error);
gboolean    vw_vault_delete_appointment (VwVault        *self,
                                         const char     *id,
                                         GError        **error);

/* The study's minimum number of attempts (VW_TRACING_DEFAULT_MIN_ATTEMPTS
 * unless set); -1 on error. */
int         vw_vault_get_min_attempts  (VwVault         *self,
                                        const char      *study,
                                        GError         **error);
gboolean    vw_vault_set_min_attempts  (VwVault         *self,
                                        const char      *study,
                                        int              n,
                                        GError         **error);

/* Whether a round of @code may be set to "unreachable": enough attempts,
 * or a reason (non-blank). */
gboolean    vw_vault_check_unreachable (VwVault         *self,
                                        const char      *study,
                                        const char      *code,
                                        const char      *round,
                                        const char      *reason,
                                        GError         **error);

/* The round worklist: the participants due in @round (no interview held
 * or non-response recorded yet), by code, filtered.
 * @today: (nullable): YYYY-MM-DD; %NULL: today */
GPtrArray  *vw_vault_round_worklist    (VwVault         *self,
                                        const char      *study,
                                        const char      *round,
                                        VwWorklistFilter filter,
                                        const char      *today,
                                        GError         **error);

/* The summary merged from submissions: the count and the outcomes
 * (comma-separated, in date order) over all laptops; %FALSE without an
 * error when there is none. */
gboolean    vw_vault_get_attempt_summary (VwVault       *self,
                                          const char    *study,
                                          const char    *code,
                                          const char    *round,
                                          int           *count,
                                          char         **outcomes,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwLocator, vw_locator_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAttempt, vw_attempt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAppointment, vw_appointment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwWorklistEntry, vw_worklist_entry_free)

G_END_DECLS
