/* vw-vault-history.c: residence histories (see vw-vault-history.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-validate.h"
#include "vw-vault-history.h"

VwHistoryStay *
vw_history_stay_new (const char *residence,
             const char *start,
             const char *end)
{
  VwHistoryStay *stay = g_new0 (VwHistoryStay, 1);

  stay->residence = g_strdup (residence);
  stay->start = g_strdup (start);
  stay->end = g_strdup (end);
  return stay;
}

void
vw_history_stay_free (VwHistoryStay *stay)
{
  if (stay == NULL)
    return;
  g_free (stay->residence);
  g_free (stay->start);
  g_free (stay->end);
  g_free (stay);
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, message);
  return FALSE;
}

/* Months since year 0, so that neighbouring months differ by one. Only
 * for months vw_validate_episode() accepted. */
static int
month_number (const char *month)
{
  int year = 0, number = 1;

  if (!vw_validate_parse_month (month, &year, &number))
    g_return_val_if_reached (0);
  return year * 12 + number - 1;
}

static char *
month_text (int number)
{
  return g_strdup_printf ("%04d-%02d", number / 12, number % 12 + 1);
}

GPtrArray *
vw_history_parse (const char  *value,
                GError     **error)
{
  g_autoptr(GPtrArray) stays = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_history_stay_free);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonArray *array;

  if (value == NULL || *value == '\0')
    return g_steal_pointer (&stays);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, value, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (root = json_parser_get_root (parser)))
    {
      invalid (error, _("A residence history must be a list of stays"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *residence = object ? json_object_get_member (object, "residence") : NULL;
      JsonNode *start = object ? json_object_get_member (object, "start") : NULL;
      JsonNode *end = object ? json_object_get_member (object, "end") : NULL;

      if (residence == NULL || start == NULL || json_node_get_value_type (residence) != G_TYPE_STRING ||
          json_node_get_value_type (start) != G_TYPE_STRING ||
          (end != NULL && !JSON_NODE_HOLDS_NULL (end) && json_node_get_value_type (end) != G_TYPE_STRING))
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                       _("Stay %u needs a residence, a start month and an end month or null"), i + 1);
          return NULL;
        }
      g_ptr_array_add (stays, vw_history_stay_new (json_node_get_string (residence), json_node_get_string (start),
                                           end != NULL && !JSON_NODE_HOLDS_NULL (end) ? json_node_get_string (end)
                                                                                      : NULL));
    }

  return g_steal_pointer (&stays);
}

char *
vw_history_to_json (GPtrArray *stays)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; stays != NULL && i < stays->len; i++)
    {
      VwHistoryStay *stay = g_ptr_array_index (stays, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "residence");
      json_builder_add_string_value (builder, stay->residence);
      json_builder_set_member_name (builder, "start");
      json_builder_add_string_value (builder, stay->start);
      json_builder_set_member_name (builder, "end");
      if (stay->end != NULL)
        json_builder_add_string_value (builder, stay->end);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static int
compare_stays (gconstpointer a,
               gconstpointer b)
{
  const VwHistoryStay *x = *(VwHistoryStay * const *) a;
  const VwHistoryStay *y = *(VwHistoryStay * const *) b;

  return strcmp (x->start, y->start);
}

static const char *
residence_label (const char *code)
{
  const VwCodeList *list = vw_codebook_get_code_list (vw_codebook_get_core (), "residence");
  const VwCode *entry = vw_code_list_lookup (list, code);
  const char * const *names = g_get_language_names ();
  const char *language = names[0] != NULL && g_str_has_prefix (names[0], "nl") ? "nl" : "en";

  return entry != NULL ? vw_code_get_label (entry, language) : code;
}

gboolean
vw_history_check (GPtrArray  *stays,
                char      **gaps,
                GError    **error)
{
  const VwCodeList *codes = vw_codebook_get_code_list (vw_codebook_get_core (), "residence");
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GString) gap_text = NULL;
  guint open = 0;

  g_return_val_if_fail (stays != NULL, FALSE);

  if (gaps != NULL)
    *gaps = NULL;

  for (guint i = 0; i < stays->len; i++)
    {
      VwHistoryStay *stay = g_ptr_array_index (stays, i);
      g_autoptr(GError) local = NULL;

      if (stay->residence == NULL || !vw_code_list_contains (codes, stay->residence))
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                       _("Stay %u: choose where the participant lived"), i + 1);
          return FALSE;
        }
      /* Each stay becomes an episode: the episode's own validator. */
      if (!vw_validate_episode (stay->start, stay->end, stay->residence, &local))
        {
          /* Translators: a stay's number, then what is wrong with it. */
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID, _("Stay %u: %s"), i + 1, local->message);
          return FALSE;
        }
      if (stay->end == NULL && ++open > 1)
        return invalid (error, _("Only one stay can still be going on"));
      g_ptr_array_add (sorted, stay);
    }

  g_ptr_array_sort (sorted, compare_stays);
  for (guint i = 1; i < sorted->len; i++)
    {
      VwHistoryStay *before = g_ptr_array_index (sorted, i - 1);
      VwHistoryStay *after = g_ptr_array_index (sorted, i);

      /* Moving out and in within the same month is no overlap. */
      if (before->end == NULL || strcmp (after->start, before->end) < 0)
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID,
                       _("The stay in “%s” from %s overlaps the stay in “%s” from %s"),
                       residence_label (after->residence), after->start,
                       residence_label (before->residence), before->start);
          return FALSE;
        }
      if (month_number (after->start) > month_number (before->end) + 1)
        {
          g_autofree char *from = month_text (month_number (before->end) + 1);
          g_autofree char *to = month_text (month_number (after->start) - 1);

          if (gap_text == NULL)
            gap_text = g_string_new (NULL);
          else
            g_string_append (gap_text, "; ");
          if (strcmp (from, to) == 0)
            g_string_append_printf (gap_text, _("nothing is known about %s"), from);
          else
            g_string_append_printf (gap_text, _("nothing is known from %s to %s"), from, to);
        }
    }

  if (gaps != NULL && gap_text != NULL)
    *gaps = g_string_free (g_steal_pointer (&gap_text), FALSE);
  return TRUE;
}

static gboolean
replace_episodes (VwVault      *self,
                  VwInterview  *interview,
                  GPtrArray    *stays,
                  GError      **error)
{
  g_autoptr(GPtrArray) episodes = vw_vault_list_episodes (self, interview->study, interview->code, error);

  if (episodes == NULL)
    return FALSE;
  for (guint i = 0; i < episodes->len; i++)
    {
      VwEpisode *episode = g_ptr_array_index (episodes, i);

      if (g_strcmp0 (episode->interview, interview->id) == 0 &&
          !vw_vault_delete_episode (self, episode->id, error))
        return FALSE;
    }
  for (guint i = 0; i < stays->len; i++)
    {
      VwHistoryStay *stay = g_ptr_array_index (stays, i);
      VwEpisode episode = {
        .study = interview->study,
        .code = interview->code,
        .start = stay->start,
        .end = stay->end,
        .residence = stay->residence,
        .interview = interview->id,
      };
      g_autofree char *id = vw_vault_add_episode (self, &episode, error);

      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
vw_vault_save_residence_history (VwVault     *self,
                                 const char  *interview,
                                 const char  *question,
                                 const char  *value,
                                 GError     **error)
{
  g_autoptr(VwInterview) iv = NULL;
  g_autoptr(GPtrArray) stays = NULL;

  g_return_val_if_fail (VW_IS_VAULT (self), FALSE);
  g_return_val_if_fail (interview != NULL && question != NULL, FALSE);

  stays = vw_history_parse (value, error);
  if (stays == NULL || !vw_history_check (stays, NULL, error))
    return FALSE;
  iv = vw_vault_get_interview (self, interview, error);
  if (iv == NULL || !vw_vault_begin (self, error))
    return FALSE;
  if (!vw_vault_save_answer (self, interview, question, value != NULL && *value != '\0' ? value : NULL, error) ||
      !replace_episodes (self, iv, stays, error))
    {
      vw_vault_rollback (self);
      return FALSE;
    }
  return vw_vault_commit (self, error);
}
