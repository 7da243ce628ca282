/* vw-exchange-validate.c: exchange rows checked before a merge writes them
 * (see vw-exchange-validate.h).
 *
 * A bundle comes from a laptop this one trusts, but that laptop may have
 * been turned against the study, or have a bug: a row the import or the
 * application would refuse is refused here too, with the same validator,
 * so that nothing a report or an export cannot read ever lands in the
 * vault. Row order, signers and conflicts are the merge's business
 * (vw-merge.c); this file only asks whether each value may be stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-exchange.h"
#include "vw-exchange-validate.h"
#include "vw-linkage.h"
#include "vw-vault-tracing.h"
#include "vw-validate.h"
#include "vw-vault-validate.h"

typedef struct
{
  char *start;
  char *end;
} Window;

struct _VwRowValidator
{
  VwVault          *vault;          /* borrowed: outlives the merge */
  char             *study;          /* owned */
  gboolean          loaded;
  GStrv             regions;        /* owned: the study's */
  GHashTable       *windows;        /* owned: round label -> Window */
  VwQuestionnaire  *questionnaire;  /* owned, nullable: the study's */
  /* owned: interview id -> its questionnaire (a VwQuestionnaire, or the
   * validator itself for "none"), for the answers that follow it */
  GHashTable       *interviews;
};

static void
window_free (Window *w)
{
  g_free (w->start);
  g_free (w->end);
  g_free (w);
}

VwRowValidator *
vw_row_validator_new (VwVault    *vault,
                      const char *study)
{
  VwRowValidator *self = g_new0 (VwRowValidator, 1);

  self->vault = vault;
  self->study = g_strdup (study);
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) window_free);
  self->interviews = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
vw_row_validator_free (VwRowValidator *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;
  g_hash_table_iter_init (&iter, self->interviews);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != self)
      g_object_unref (value);
  g_hash_table_unref (self->interviews);
  g_hash_table_unref (self->windows);
  g_clear_object (&self->questionnaire);
  g_strfreev (self->regions);
  g_free (self->study);
  g_free (self);
}

static gboolean
load (VwRowValidator  *self,
      GError         **error)
{
  g_autoptr(VwStudy) study = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  GError *local = NULL;

  if (self->loaded)
    return TRUE;
  if ((study = vw_vault_get_study (self->vault, self->study, error)) == NULL ||
      (rounds = vw_vault_list_rounds (self->vault, self->study, error)) == NULL)
    return FALSE;
  self->questionnaire = vw_vault_load_questionnaire (self->vault, study->questionnaire_id,
                                                     study->questionnaire_version, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  self->regions = g_strdupv (study->regions);
  for (guint i = 0; i < rounds->len; i++)
    {
      const VwRound *r = g_ptr_array_index (rounds, i);
      Window *w = g_new0 (Window, 1);

      w->start = g_strdup (r->fieldwork_start);
      w->end = g_strdup (r->fieldwork_end);
      g_hash_table_insert (self->windows, g_strdup (r->label), w);
    }
  self->loaded = TRUE;
  return TRUE;
}

/* Fields that hold names: ids, question ids, themes. */
static gboolean
names (GError             **error,
       const char * const  *fields,
       const char * const  *values,
       guint                n)
{
  for (guint i = 0; i < n; i++)
    if (values[i] != NULL && !vw_validate_name (fields[i], values[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
check_round (VwRowValidator  *self,
             char * const    *f,
             GError         **error)
{
  Window *w;

  if (!vw_validate_round_label ("label", f[0], error) || !vw_validate_fieldwork (f[0], f[1], f[2], error))
    return FALSE;
  /* A round this laptop has keeps its own window (the merge does not
   * change it); a new one comes with the row's. */
  if (g_hash_table_contains (self->windows, f[0]))
    return TRUE;
  w = g_new0 (Window, 1);
  w->start = g_strdup (f[1]);
  w->end = g_strdup (f[2]);
  g_hash_table_insert (self->windows, g_strdup (f[0]), w);
  return TRUE;
}

static gboolean
check_interview (VwRowValidator  *self,
                 char * const    *f,
                 GError         **error)
{
  const char *fields[] = { "id", "questionnaire_id", "questionnaire_version", "resume_module", "resume_question" };
  const char *values[] = { f[0], f[3], f[4], f[10], f[11] };
  Window *w;
  VwQuestionnaire *questionnaire;
  GError *local = NULL;

  if (f[0] == NULL)
    return vw_validate_name ("id", NULL, error);
  if (!names (error, fields, values, G_N_ELEMENTS (fields)) ||
      !vw_validate_participant_code ("code", f[1], error) || !vw_validate_round_label ("round", f[2], error) ||
      !vw_validate_code ("status", "status", f[6], error) || !vw_validate_text ("nonresponse_reason", f[8], error) ||
      !vw_validate_interview_state (f[9], error))
    return FALSE;
  /* An interview held lies in its round's fieldwork; a non-response is
   * recorded when it is known. A round this laptop does not know is the
   * merge's to refuse. */
  w = g_hash_table_lookup (self->windows, f[2]);
  if (f[6] != NULL && !g_str_equal (f[6], "interviewed"))
    {
      if (!vw_validate_date ("date", f[7], error))
        return FALSE;
    }
  else if (!vw_validate_interview_date (f[7], f[2], w ? w->start : NULL, w ? w->end : NULL, error))
    return FALSE;

  /* The answers that follow are checked against this questionnaire; one
   * this laptop does not hold is not referred to (as the merge stores it). */
  questionnaire = vw_vault_load_questionnaire (self->vault, f[3], f[4], &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (g_hash_table_lookup (self->interviews, f[0]) != NULL && g_hash_table_lookup (self->interviews, f[0]) != self)
    g_object_unref (g_hash_table_lookup (self->interviews, f[0]));
  g_hash_table_insert (self->interviews, g_strdup (f[0]), questionnaire != NULL ? (gpointer) questionnaire : self);
  return TRUE;
}

static gboolean
check_answer (VwRowValidator  *self,
              char * const    *f,
              GError         **error)
{
  gpointer questionnaire;

  if (!vw_validate_name ("interview", f[0], error))
    return FALSE;
  questionnaire = g_hash_table_lookup (self->interviews, f[0]);
  if (questionnaire != NULL)
    return vw_validate_answer (f[1], f[2], questionnaire != self ? questionnaire : NULL, error);
  /* An interview merged before: the vault knows its questionnaire. */
  return vw_vault_validate_answer (self->vault, f[0], f[1], f[2], error);
}

static gboolean
validate_row (VwRowValidator  *self,
              char             type,
              char * const    *f,
              GError         **error)
{
  switch (type)
    {
    case 'R':
      return check_round (self, f, error);
    case 'P':
      return vw_validate_participant_code ("code", f[0], error) && vw_validate_pseudonym (f[1], error) &&
             vw_validate_region (f[2], (const char * const *) self->regions, error);
    case 'B':
      {
        guint8 filter[VW_LINKAGE_FILTER_BYTES];

        return vw_validate_participant_code ("code", f[0], error) && vw_linkage_from_text (f[1], filter, error);
      }
    case 'V':
      return vw_validate_participant_code ("code", f[0], error) &&
             vw_validate_participant_value (f[1], f[2], self->questionnaire, error);
    case 'I':
      return check_interview (self, f, error);
    case 'A':
      return check_answer (self, f, error);
    case 'N':
      return vw_validate_name ("interview", f[0], error) &&
             (f[1] == NULL || *f[1] == '\0' || vw_validate_name ("question", f[1], error)) &&
             vw_validate_text ("text", f[2], error);
    case 'Q':
      {
        const char *fields[] = { "id", "question", "theme" };
        const char *values[] = { f[0], f[3], f[4] };

        return vw_validate_name ("id", f[0], error) && names (error, fields, values, G_N_ELEMENTS (fields)) &&
               vw_validate_participant_code ("code", f[1], error) && vw_validate_round_label ("round", f[2], error) &&
               vw_validate_text ("text", f[5], error);
      }
    case 'E':
      return vw_validate_name ("id", f[0], error) && vw_validate_participant_code ("code", f[1], error) &&
             vw_validate_episode (f[2], f[3], f[4], error) &&
             (f[5] == NULL || vw_validate_name ("interview", f[5], error));
    case 'C':
      return vw_validate_participant_code ("code", f[0], error) && vw_validate_round_label ("round", f[1], error) &&
             vw_validate_consent (f[2], f[3], f[4], error);
    case 'K':
      return vw_validate_participant_code ("code", f[0], error);
    case 'J':
      return vw_validate_participant_code ("alias", f[0], error) && vw_validate_participant_code ("kept", f[1], error);
    case 'T':
      return vw_validate_participant_code ("code", f[0], error) && vw_validate_round_label ("round", f[1], error) &&
             vw_validate_attempt_outcomes (f[2], f[3], error);
    default:
      /* S (the sender) and L (audit entries) hold nothing of a record. */
      return TRUE;
    }
}

gboolean
vw_exchange_validate_row (VwRowValidator  *self,
                          char             type,
                          char * const    *fields,
                          GError         **error)
{
  GError *local = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!load (self, error))
    return FALSE;
  if (validate_row (self, type, fields, &local))
    return TRUE;
  /* A value that may not be stored is a bad row of the bundle, whichever
   * validator found it; a failure to read the vault stays what it is. */
  if (local->domain == VW_VALIDATE_ERROR || g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID))
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT, local->message);
      g_error_free (local);
    }
  else
    g_propagate_error (error, local);
  return FALSE;
}
