/* vw-export-vault.c: what the export takes from the vault besides the
 * records: the open answers of the interviews, as quotes to redact, and
 * what names the package's origin (signing key, regions, questionnaires).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vw-codebook.h"
#include "vw-export.h"
#include "vw-questionnaire.h"
#include "vw-vault.h"

/* The questionnaire an interview was held with, parsed once per version. */
static VwQuestionnaire *
interview_questionnaire (VwVault           *vault,
                         GHashTable        *cache,
                         const VwInterview *interview,
                         GError           **error)
{
  g_autofree char *key = NULL;
  VwQuestionnaire *questionnaire;
  g_autoptr(GBytes) json = NULL;

  if (interview->questionnaire_id == NULL || interview->questionnaire_version == NULL)
    return NULL;
  key = g_strconcat (interview->questionnaire_id, "\x1f", interview->questionnaire_version, NULL);
  if (g_hash_table_lookup_extended (cache, key, NULL, (gpointer *) &questionnaire))
    return questionnaire;

  json = vw_vault_get_questionnaire (vault, interview->questionnaire_id, interview->questionnaire_version,
                                     NULL, error);
  if (json == NULL)
    return NULL;
  questionnaire = vw_questionnaire_new_from_bytes (json, interview->questionnaire_id, NULL, error);
  if (questionnaire == NULL)
    return NULL;
  g_hash_table_insert (cache, g_steal_pointer (&key), questionnaire);
  return questionnaire;
}

/**
 * vw_export_collect_quotes:
 *
 * The quotes of @study, then the answers to the long open questions of
 * every interview, as quotes whose theme is the question's module. Short
 * text answers (such as the municipality) and answers to questions that
 * are codebook variables are never collected: they are data, not
 * narrative.
 *
 * Returns: (transfer full) (element-type VwQuote): the quotes and open
 * answers, not yet redacted
 */
GPtrArray *
vw_export_collect_quotes (VwVault     *vault,
                          const char  *study,
                          GError     **error)
{
  g_autoptr(GPtrArray) interviews = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  answers = vw_vault_list_quotes (vault, study, NULL, NULL, error);
  if (answers == NULL)
    return NULL;
  interviews = vw_vault_list_interviews (vault, study, NULL, NULL, error);
  if (interviews == NULL)
    return NULL;

  for (guint i = 0; i < interviews->len; i++)
    {
      const VwInterview *interview = g_ptr_array_index (interviews, i);
      g_autoptr(GError) local = NULL;
      g_autoptr(GPtrArray) values = NULL;
      VwQuestionnaire *questionnaire = interview_questionnaire (vault, cache, interview, &local);

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (questionnaire == NULL)
        continue;

      values = vw_vault_list_answers (vault, interview->id, error);
      if (values == NULL)
        return NULL;
      for (guint a = 0; a < values->len; a++)
        {
          const VwAnswer *answer = g_ptr_array_index (values, a);
          const VwQuestion *question = vw_questionnaire_lookup_question (questionnaire, answer->question);
          VwQuote *quote;

          if (question == NULL || vw_question_get_question_type (question) != VW_QUESTION_LONG_TEXT ||
              vw_codebook_get_variable (vw_codebook_get_core (), answer->question) != NULL ||
              answer->value == NULL || *answer->value == '\0')
            continue;

          quote = g_new0 (VwQuote, 1);
          quote->id = g_strconcat (interview->id, "/", answer->question, NULL);
          quote->study = g_strdup (study);
          quote->code = g_strdup (interview->code);
          quote->round = g_strdup (interview->round);
          quote->question = g_strdup (answer->question);
          quote->theme = g_strdup (vw_module_get_id (vw_question_get_module (question)));
          quote->text = g_strdup (answer->value);
          g_ptr_array_add (answers, quote);
        }
    }

  return g_steal_pointer (&answers);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * vw_export_provenance_load:
 *
 * Fills @provenance for a package of @study made on this laptop: the
 * laptop's signing key, the study's regions, and every questionnaire
 * ("id version") of the study and of its interviews, in order.
 */
gboolean
vw_export_provenance_load (VwVault             *vault,
                           const char          *study,
                           VwExportProvenance  *provenance,
                           GError             **error)
{
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(GPtrArray) interviews = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) questionnaires = g_ptr_array_new ();
  g_autoptr(VwSecret) key = NULL;
  GHashTableIter iter;
  gpointer name;

  memset (provenance, 0, sizeof *provenance);
  if ((info = vw_vault_get_study (vault, study, error)) == NULL ||
      (interviews = vw_vault_list_interviews (vault, study, NULL, NULL, error)) == NULL ||
      (key = vw_vault_dup_ed25519_secret (vault, error)) == NULL)
    return FALSE;

  if (info->questionnaire_id != NULL && info->questionnaire_version != NULL)
    g_hash_table_add (seen, g_strconcat (info->questionnaire_id, " ", info->questionnaire_version, NULL));
  for (guint i = 0; i < interviews->len; i++)
    {
      const VwInterview *interview = g_ptr_array_index (interviews, i);

      if (interview->questionnaire_id != NULL && interview->questionnaire_version != NULL)
        g_hash_table_add (seen, g_strconcat (interview->questionnaire_id, " ", interview->questionnaire_version,
                                             NULL));
    }
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (questionnaires, name);
  g_ptr_array_sort (questionnaires, compare_strings);

  provenance->signing_key = g_steal_pointer (&key);
  provenance->regions = g_strdupv (info->regions);
  provenance->questionnaires = g_new0 (char *, questionnaires->len + 1);
  for (guint i = 0; i < questionnaires->len; i++)
    provenance->questionnaires[i] = g_strdup (g_ptr_array_index (questionnaires, i));
  return TRUE;
}

void
vw_export_provenance_clear (VwExportProvenance *provenance)
{
  g_clear_pointer (&provenance->signing_key, vw_secret_free);
  g_clear_pointer (&provenance->regions, g_strfreev);
  g_clear_pointer (&provenance->questionnaires, g_strfreev);
}

void
vw_export_provenance_apply (const VwExportProvenance *provenance,
                            VwExportOptions          *options)
{
  options->signing_key = provenance->signing_key;
  options->regions = (const char * const *) provenance->regions;
  options->questionnaires = (const char * const *) provenance->questionnaires;
}
