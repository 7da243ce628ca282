/* vw-validate.h: one validator per stored thing.
 *
 * Every path that stores something calls these: the records check and the
 * import (vw-records.c, vw-vault-records.c), the vault's own write
 * functions (and so the application's fields), and the merge of exchange
 * rows (vw-exchange-validate.c). A value one of them refuses, all of them
 * refuse, with the same message.
 *
 * Messages start with the field's name and a colon ("pseudonym: ends with
 * white space; remove it"). A bad value is quoted only when it is a code
 * or a date, never free text (it may be personal), and cut to
 * VW_VALIDATE_SHOWN_MAX characters with control and direction characters
 * written as escapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VW_VALIDATE_ERROR (vw_validate_error_quark ())

typedef enum {
  VW_VALIDATE_ERROR_INVALID,
} VwValidateError;

GQuark vw_validate_error_quark (void);

gboolean vw_validate_invalid            (GError             **error,
                                         const char          *field,
                                         const char          *format,
                                         ...) G_GNUC_PRINTF (3, 4);

/* Every date and month lies in these years. */
#define VW_VALIDATE_YEAR_MIN 1900
#define VW_VALIDATE_YEAR_MAX 2100
/* A date of something that happened (an interview, a consent, a stay) is
 * at most this many days after today's local date: time zones and a
 * clock that is a little ahead, not a date typed a year too far. Months
 * are at most the month of that day. */
#define VW_VALIDATE_FUTURE_DAYS 1
/* A fieldwork window is planned: at most this many years ahead. */
#define VW_VALIDATE_PLAN_YEARS 10
/* Characters of a pseudonym, and of a municipality. */
#define VW_VALIDATE_PSEUDONYM_MAX 64
#define VW_VALIDATE_MUNICIPALITY_MAX 100
/* Characters of free text: answers to open questions, notes, quotes. */
#define VW_VALIDATE_TEXT_MAX 100000
/* Bytes of a name (question id, variable, module, theme). */
#define VW_VALIDATE_NAME_MAX 128
/* Characters of a bad value a message shows. */
#define VW_VALIDATE_SHOWN_MAX 40

typedef struct _VwQuestionnaire VwQuestionnaire;

/* Shapes: "YYYY-MM-DD" with a day that exists and "YYYY-MM", both in the
 * years above; nothing about today. */
gboolean vw_validate_parse_date         (const char          *text,
                                         int                 *year,
                                         int                 *month,
                                         int                 *day);
gboolean vw_validate_parse_month        (const char          *text,
                                         int                 *year,
                                         int                 *month);
/* Whether a date or month (in the shape above) is later than a date of
 * something that happened may be (VW_VALIDATE_FUTURE_DAYS). */
gboolean vw_validate_date_is_future     (int                  year,
                                         int                  month,
                                         int                  day);
gboolean vw_validate_month_is_future    (int                  year,
                                         int                  month);
/* Codebook section 1: region, '-', five characters of Crockford base32. */
gboolean vw_participant_code_is_valid   (const char          *code);
/* A value as a message shows it: at most VW_VALIDATE_SHOWN_MAX
 * characters, control and direction characters escaped. */
char    *vw_validate_show               (const char          *value);

/* Each returns FALSE with VW_VALIDATE_ERROR_INVALID and a message that
 * names @field (or the thing's own name). %NULL is "not recorded" where
 * the thing is optional (dates, months, codes), and refused where it is
 * required (pseudonym, code, region). */
gboolean vw_validate_required           (const char          *field,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_date               (const char          *field,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_month              (const char          *field,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_birth_year         (const char          *value,
                                         GError             **error);
gboolean vw_validate_integer            (const char          *field,
                                         const char          *value,
                                         gint64               minimum,
                                         gint64               maximum,
                                         GError             **error);
gboolean vw_validate_round_label        (const char          *field,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_participant_code   (const char          *field,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_pseudonym          (const char          *value,
                                         GError             **error);
gboolean vw_validate_municipality       (const char          *value,
                                         GError             **error);
/* @regions: (nullable): the study's regions; %NULL: the codebook's */
gboolean vw_validate_region             (const char          *value,
                                         const char * const  *regions,
                                         GError             **error);
/* @list: a code list of the core codebook */
gboolean vw_validate_code               (const char          *field,
                                         const char          *list,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_name               (const char          *field,
                                         const char          *value,
                                         GError             **error);
gboolean vw_validate_text               (const char          *field,
                                         const char          *value,
                                         GError             **error);
/* A round's fieldwork window: planned dates, the end not before the start. */
gboolean vw_validate_fieldwork          (const char          *round,
                                         const char          *start,
                                         const char          *end,
                                         GError             **error);
/* An interview's date: a date of something that happened, and inside its
 * round's fieldwork window when the round has one (@start and @end
 * nullable). */
gboolean vw_validate_interview_date     (const char          *date,
                                         const char          *round,
                                         const char          *start,
                                         const char          *end,
                                         GError             **error);
gboolean vw_validate_interview_state    (const char          *value,
                                         GError             **error);
gboolean vw_validate_episode            (const char          *start,
                                         const char          *end,
                                         const char          *residence,
                                         GError             **error);
gboolean vw_validate_consent            (const char          *purpose,
                                         const char          *value,
                                         const char          *date,
                                         GError             **error);
/* A value of a participant variable (fixed over rounds): the variable is
 * one of the codebook's (section 2), or a question with participant scope
 * of @questionnaire (nullable); the value fits it. */
gboolean vw_validate_participant_value  (const char          *variable,
                                         const char          *value,
                                         VwQuestionnaire     *questionnaire,
                                         GError             **error);
/* An answer: checked against @question of @questionnaire (nullable: an
 * interview without one, as imports make) when it has it, else against
 * the codebook's variable of that name; an answer to any other name is
 * free text. */
gboolean vw_validate_answer             (const char          *question,
                                         const char          *value,
                                         VwQuestionnaire     *questionnaire,
                                         GError             **error);

G_END_DECLS
