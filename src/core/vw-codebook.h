/* vw-codebook.h: the normative core codebook (variables, code lists,
 * roll-ups), loaded from data/codebook/core.json.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VW_CODEBOOK_ERROR (vw_codebook_error_quark ())

typedef enum {
  VW_CODEBOOK_ERROR_INVALID,
} VwCodebookError;

GQuark vw_codebook_error_quark (void);

typedef struct _VwCodebook VwCodebook;
typedef struct _VwCodeList VwCodeList;
typedef struct _VwCode     VwCode;

typedef enum {
  VW_VARIABLE_SCOPE_IDENTIFIER,  /* code, pseudonym, region, round */
  VW_VARIABLE_SCOPE_PARTICIPANT, /* fixed over rounds */
  VW_VARIABLE_SCOPE_ROUND,       /* one value per participant per round */
  VW_VARIABLE_SCOPE_DERIVED,     /* computed: roll-ups, age band, trajectory */
} VwVariableScope;

typedef struct
{
  const char      *name;
  VwVariableScope  scope;
  const char      *type;      /* "choice", "text", "year", "month", "date", "code", "round", "integer" */
  const char      *codes;     /* code list name for "choice", else NULL */
  const char      *label_nl;
  const char      *label_en;
  gint64           minimum;   /* for "integer": the smallest valid value */
  gint64           maximum;   /* for "integer": the largest valid value */
} VwVariable;

VwCodebook       *vw_codebook_new_from_bytes  (GBytes            *json,
                                               GError           **error);
VwCodebook       *vw_codebook_ref             (VwCodebook        *self);
void              vw_codebook_unref           (VwCodebook        *self);
VwCodebook       *vw_codebook_get_core        (void);
const VwVariable *vw_codebook_get_variable    (VwCodebook        *self,
                                               const char        *name);
const VwVariable *vw_codebook_get_variables   (VwCodebook        *self,
                                               guint             *n_variables);
const VwCodeList *vw_codebook_get_code_list   (VwCodebook        *self,
                                               const char        *name);
const char * const *vw_codebook_get_record_columns (VwCodebook   *self,
                                                    const char   *file,
                                                    const char * const **required);
const char       *vw_codebook_get_id          (VwCodebook        *self);
const char       *vw_codebook_get_version     (VwCodebook        *self);

VwCodeList       *vw_code_list_new            (const char        *name);
gboolean          vw_code_list_add            (VwCodeList        *list,
                                               const char        *code,
                                               const char        *label_nl,
                                               const char        *label_en);
void              vw_code_list_free           (VwCodeList        *list);
guint             vw_code_list_get_n_codes    (const VwCodeList  *list);
const VwCode     *vw_code_list_get_code       (const VwCodeList  *list,
                                               guint              index);
const VwCode     *vw_code_list_lookup         (const VwCodeList  *list,
                                               const char        *code);
gboolean          vw_code_list_contains       (const VwCodeList  *list,
                                               const char        *code);
const char       *vw_code_list_get_name       (const VwCodeList  *list);

const char       *vw_code_get_code            (const VwCode      *code);
const char       *vw_code_get_label           (const VwCode      *code,
                                               const char        *language);
const char       *vw_code_get_property        (const VwCode      *code,
                                               const char        *key);
int               vw_code_get_int_property    (const VwCode      *code,
                                               const char        *key,
                                               int                fallback);

/* The classification rules of the codebook, in one place. */
char              vw_residence_class          (const char        *residence);
const char       *vw_residence_woonsituatie   (const char        *residence);
const char       *vw_participation_rollup     (const char        *participation,
                                               const char        *scheme);
const char       *vw_age_band                 (int                birth_year,
                                               int                year,
                                               const char        *scheme);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwCodebook, vw_codebook_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwCodeList, vw_code_list_free)

G_END_DECLS
