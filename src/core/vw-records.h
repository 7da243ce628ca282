/* vw-records.h: the records of codebook section 5 (participants, rounds,
 * episodes) as a validated model in memory, read from and written to the
 * records CSV format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-validate.h"

G_BEGIN_DECLS

#define VW_RECORDS_ERROR (vw_records_error_quark ())

typedef enum {
  VW_RECORDS_ERROR_INVALID, /* the records have problems; see the problem list */
  VW_RECORDS_ERROR_IO,
} VwRecordsError;

GQuark vw_records_error_quark (void);

/* Months count from year 0 (year * 12 + month - 1) so that differences are
 * whole months; 0 means "not recorded". Dates pack as YYYYMMDD. */
typedef gint32  VwMonth;
typedef guint32 VwDate;

#define VW_MONTH_NONE 0
#define VW_DATE_NONE  0

static inline VwMonth
vw_month_make (int year,
               int month)
{
  return year * 12 + month - 1;
}

static inline VwMonth
vw_date_get_month (VwDate date)
{
  return date == VW_DATE_NONE ? VW_MONTH_NONE
                              : vw_month_make (date / 10000, (date / 100) % 100);
}

/* Writes "YYYY-MM" (or "" for none) into @buf and returns it. */
const char *vw_month_format (VwMonth month,
                             char    buf[16]);
/* Writes "YYYY-MM-DD" (or "" for none) into @buf and returns it. */
const char *vw_date_format  (VwDate  date,
                             char    buf[16]);
gboolean    vw_month_parse  (const char *text,
                             VwMonth    *month);
gboolean    vw_date_parse   (const char *text,
                             VwDate     *date);
/* "T<n>": n without leading zeros, 0 to 99. */
gboolean    vw_round_parse  (const char *text,
                             guint      *round);
const char *vw_round_format (guint       round,
                             char        buf[16]);

typedef enum {
  VW_RECORDS_PARTICIPANTS,
  VW_RECORDS_ROUNDS,
  VW_RECORDS_EPISODES,
  VW_RECORDS_N_FILES,
} VwRecordsFile;

const char *vw_records_file_name (VwRecordsFile file);

/* The most columns a records file has. */
#define VW_RECORDS_MAX_COLUMNS 16

/* Coded values point into the core codebook and text into the records:
 * both live as long as the records. NULL, 0 or VW_*_NONE = not recorded. */
typedef struct
{
  const char *code;
  const char *pseudonym;
  const char *region;
  const char *municipality;
  const char *origin;
  int         birth_year;
  const char *hist_street;
  const char *hist_youthcare_placement;
  const char *hist_unsafe_home;
  const char *hist_remigration;
  /* This participant's rows: rounds in round order, episodes by start. */
  guint       first_round;
  guint       n_rounds;
  guint       first_episode;
  guint       n_episodes;
  guint       line;        /* where the row was read; 0 when not from a file */
} VwRecordParticipant;

typedef struct
{
  const char *code;        /* the participant's code */
  guint       participant; /* index in vw_records_get_participants() */
  guint       round;       /* n of "Tn" */
  const char *status;
  VwDate      date;
  const char *residence;
  VwMonth     residence_since;
  const char *participation;
  const char *participation_fit;
  const char *debts;
  const char *money_management;
  const char *income;
  const char *indication;
  const char *consent_research;
  const char *consent_wmo_linkage;
  int         attempts;    /* contact attempts in this round; -1: not recorded */
  guint       line;
} VwRoundRecord;

typedef struct
{
  const char *code;
  guint       participant;
  VwMonth     start;
  VwMonth     end;         /* VW_MONTH_NONE: still going on */
  const char *residence;
  guint       line;
} VwRecordEpisode;

static inline gboolean
vw_round_record_is_interview (const VwRoundRecord *row)
{
  return row->status != NULL && g_str_equal (row->status, "interviewed");
}

/* One problem in the input: 1-based line and column (the field's number
 * in its row), and a sentence that starts in lower case. */
typedef struct
{
  VwRecordsFile  file;
  guint          line;
  guint          column;
  char          *message;
} VwRecordsProblem;

void  vw_records_problem_free      (VwRecordsProblem       *problem);
char *vw_records_problem_to_string (const VwRecordsProblem *problem);

typedef struct _VwRecords        VwRecords;
typedef struct _VwRecordsBuilder VwRecordsBuilder;

/* The builder validates rows from any source (the CSV files, later the
 * vault) with the same rules, and yields a model only when nothing is
 * wrong. */
VwRecordsBuilder *vw_records_builder_new         (void);
void              vw_records_builder_free        (VwRecordsBuilder  *self);
void              vw_records_builder_add_row     (VwRecordsBuilder  *self,
                                                  VwRecordsFile      file,
                                                  const char * const *values,
                                                  guint              line);
gboolean          vw_records_builder_add_csv     (VwRecordsBuilder  *self,
                                                  VwRecordsFile      file,
                                                  const char        *data,
                                                  gsize              len);
void              vw_records_builder_add_problem (VwRecordsBuilder  *self,
                                                  VwRecordsFile      file,
                                                  guint              line,
                                                  guint              column,
                                                  const char        *message);
VwRecords        *vw_records_builder_end         (VwRecordsBuilder  *self,
                                                  GPtrArray        **problems,
                                                  GError           **error);

VwRecords           *vw_records_load_dir          (const char        *dir,
                                                   GPtrArray        **problems,
                                                   GError           **error);
VwRecords           *vw_records_new_from_csv      (const char        *participants,
                                                   const char        *rounds,
                                                   const char        *episodes,
                                                   GPtrArray        **problems,
                                                   GError           **error);
VwRecords           *vw_records_ref               (VwRecords         *self);
void                 vw_records_unref             (VwRecords         *self);

const VwRecordParticipant *vw_records_get_participants  (VwRecords         *self,
                                                   guint             *n_participants);
const VwRoundRecord *vw_records_get_rounds        (VwRecords         *self,
                                                   guint             *n_rounds);
const VwRecordEpisode     *vw_records_get_episodes      (VwRecords         *self,
                                                   guint             *n_episodes);
const guint         *vw_records_get_round_numbers (VwRecords         *self,
                                                   guint             *n_round_numbers);
int                  vw_records_find_participant  (VwRecords         *self,
                                                   const char        *code);
guint                vw_records_get_row_values    (VwRecords         *self,
                                                   VwRecordsFile      file,
                                                   guint              index,
                                                   const char        *values[VW_RECORDS_MAX_COLUMNS],
                                                   char               bufs[VW_RECORDS_MAX_COLUMNS][16]);
char                *vw_records_format_csv        (VwRecords         *self,
                                                   VwRecordsFile      file);
gboolean             vw_records_write_dir         (VwRecords         *self,
                                                   const char        *dir,
                                                   GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwRecords, vw_records_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwRecordsBuilder, vw_records_builder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwRecordsProblem, vw_records_problem_free)

G_END_DECLS
