/* vw-demo.c: the demo study (see vw-demo.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-demo.h"

/* A round of a demo participant: empty = not (yet) approached;
 * "status:reason" = a non-response; "paused" = an interview under way;
 * otherwise residence|since|participation|fit|debts|money|income|indication. */
typedef struct
{
  const char *pseudonym;
  const char *municipality;
  const char *birth_year;
  const char *origin;
  const char *hist_street;
  const char *rounds[VW_DEMO_N_ROUNDS];
  /* Stays between interviews: "start|end|residence;...", end may be empty. */
  const char *episodes;
} DemoParticipant;

static const DemoParticipant participants[VW_DEMO_N_PARTICIPANTS] = {
  { "Anouk", "den_haag", "1991", "centrumgemeente", "ja",
    { "mo|2022-10|dagbesteding|doorontwikkelen|ja|bewindvoering|uitkering|wmo_bw",
      "bw|2023-07|vrijwilligerswerk|passend|ja|bewindvoering|uitkering|wmo_bw",
      "omklap|2024-11|betaald_werk|passend|ja|budgetbeheer|werk|wmo_bw" }, NULL },
  { "Bram", "rijswijk", "1968", "regiogemeente", "ja",
    { "mo|2023-01|geen|niet_participerend|ja|zelf|uitkering|wmo_bw",
      "unreachable:Telefoon werkt niet meer, niet gezien in de opvang", "" },
    "2023-06|2023-09|straat;2023-09||netwerk" },
  { "Chantal", "den_haag", "1985", "centrumgemeente", "nee",
    { "bw|2021-05|dagbesteding|passend|nee|budgetbeheer|uitkering|wmo_bw",
      "bw|2021-05|dagbesteding|passend|nee|budgetbeheer|uitkering|wmo_bw",
      "housing_first|2024-09|dagbesteding|doorontwikkelen|nee|budgetbeheer|uitkering|wmo_bw" }, NULL },
  { "Dennis", "leidschendam_voorburg", "1979", "regiogemeente", "ja",
    { "mo|2022-12|werk_zoekend|zoekend|ja|bewindvoering|geen|geen",
      "eigen_woning|2023-11|betaald_werk|passend|ja|bewindvoering|werk|geen",
      "eigen_woning|2023-11|betaald_werk|passend|nee|zelf|werk|geen" }, NULL },
  { "Esra", "den_haag", "1997", "centrumgemeente", "nee",
    { "mo|2023-02|opleiding|passend|ja|familie_anders|uitkering|wmo_bw",
      "declined:Wil nu even niets met de opvang te maken hebben", "" }, NULL },
  { "Frank", "utrecht", "1958", "buiten_regio", "ja",
    { "bw|2019-03|geen|niet_participerend|nee|bewindvoering|uitkering|wlz",
      "instelling|2023-12|geen|niet_participerend|nee|bewindvoering|uitkering|wlz",
      "deceased:Overleden in het voorjaar, bericht van de begeleider" }, NULL },
  { "Gerda", "den_haag", "1963", "centrumgemeente", "nee",
    { "bw|2020-08|vrijwilligerswerk|passend|nee|budgetbeheer|uitkering|wmo_bw",
      "bw|2020-08|vrijwilligerswerk|passend|nee|budgetbeheer|uitkering|wmo_bw",
      "paused" }, NULL },
  { "Hamza", "den_haag", "2001", "centrumgemeente", "ja",
    { "nachtopvang|2023-01|geen|zoekend|ja|zelf|geen|geen",
      "mo|2023-10|opleiding|doorontwikkelen|ja|bewindvoering|uitkering|wmo_bw",
      "" }, "2023-04|2023-10|netwerk" },
  { "Ingrid", "wassenaar", "1975", "regiogemeente", "nee",
    { "mo|2023-02|dagbesteding|passend|ja|bewindvoering|uitkering|wmo_bw",
      "tijdelijk|2023-12|dagbesteding|passend|ja|bewindvoering|uitkering|wmo_bw",
      "admitted:Opgenomen in een ggz-kliniek, interview nu niet mogelijk" }, NULL },
  { "Jeroen", "den_haag", "1989", "centrumgemeente", "ja",
    { "straat|2022-06|geen|niet_participerend|onbekend|zelf|geen|geen",
      "mo|2023-08|dagbesteding|doorontwikkelen|ja|budgetbeheer|uitkering|wmo_bw",
      "" }, "2022-06|2023-08|straat" },
  { "Karin", "zoetermeer", "1971", "buiten_regio", "nee",
    { "bw|2022-04|beschut_werk|passend|nee|zelf|werk|wmo_bw",
      "withdrawn:Wil niet meer meedoen aan het onderzoek", "" }, NULL },
  { "Lucas", "den_haag", "1994", "centrumgemeente", "ja",
    { "mo|2023-03|werk_zoekend|zoekend|ja|bewindvoering|uitkering|wmo_bw",
      "housing_first|2024-01|betaald_werk|doorontwikkelen|ja|bewindvoering|werk|wmo_bw",
      "" }, NULL },
};

typedef struct
{
  int         participant;
  int         round;
  const char *question;
  const char *theme;
  const char *text;
} DemoQuote;

static const DemoQuote quotes[] = {
  { 0, 1, "residence_experience", "wonen",
    "Voor het eerst een eigen voordeur. Ik doe hem soms twee keer op slot, gewoon omdat het kan." },
  { 3, 1, "debts_story", "schulden",
    "De bewindvoerder regelt alles, maar ik wil zelf weer weten wat er binnenkomt." },
  { 7, 0, "residence_experience", "opvang",
    "In de nachtopvang slaap je nooit echt. Je ligt te luisteren." },
  { 6, 1, "support_story", "hulpverlening",
    "Mijn begeleider komt nu één keer per week. Dat is genoeg, ik red me." },
  { 9, 1, "services_story", "hulpverlening",
    "Bij [aanbieder] luisterden ze pas toen [persoon] meeging." },
};

static const char *round_dates[VW_DEMO_N_ROUNDS] = { "2023-03-", "2024-03-", "2025-03-" };
static const char *answer_questions[] = {
  "residence", "residence_since", "participation", "participation_fit",
  "debts", "money_management", "income", "indication",
};

static gboolean
fill_round (VwVault                *vault,
            const VwStudy          *study,
            const VwParticipant    *participant,
            int                     round,
            const char             *spec,
            const char             *interviewer1,
            const char             *interviewer2,
            GError                **error)
{
  g_autoptr(VwInterview) interview = NULL;
  g_autofree char *label = g_strdup_printf ("T%d", round);
  g_autofree char *date = g_strdup_printf ("%s%02d", round_dates[round], 6 + (int) (strlen (participant->pseudonym) * 3) % 20);
  const char *colon = strchr (spec, ':');

  if (*spec == '\0')
    return TRUE;

  if (colon != NULL)
    {
      g_autofree char *status = g_strndup (spec, colon - spec);

      /* A non-response is an interview record without questionnaire,
       * as the vault stores it for records made on paper. */
      interview = vw_vault_start_interview (vault, study->id, participant->code, label, NULL, NULL,
                                            NULL, NULL, error);
      return interview != NULL &&
             vw_vault_set_interview_status (vault, interview->id, status, date, colon + 1, error) &&
             vw_vault_set_interview_state (vault, interview->id, VW_INTERVIEW_FINISHED, NULL, NULL, error);
    }

  interview = vw_vault_start_interview (vault, study->id, participant->code, label, study->questionnaire_id,
                                        study->questionnaire_version, interviewer1, interviewer2, error);
  if (interview == NULL ||
      !vw_vault_set_consent (vault, study->id, participant->code, label, "research", "ja", date, error) ||
      !vw_vault_set_consent (vault, study->id, participant->code, label, "wmo_linkage",
                             round == 0 && participant->code[4] < 'M' ? "nee" : "ja", date, error) ||
      !vw_vault_save_answer (vault, interview->id, "consent_research", "ja", error))
    return FALSE;

  if (g_str_equal (spec, "paused"))
    return vw_vault_set_interview_status (vault, interview->id, NULL, date, NULL, error) &&
           vw_vault_set_interview_state (vault, interview->id, VW_INTERVIEW_PAUSED, "residence_now",
                                         "residence", error);

  {
    g_auto(GStrv) values = g_strsplit (spec, "|", -1);

    g_return_val_if_fail (g_strv_length (values) == G_N_ELEMENTS (answer_questions), FALSE);
    for (guint i = 0; i < G_N_ELEMENTS (answer_questions); i++)
      if (!vw_vault_save_answer (vault, interview->id, answer_questions[i], values[i], error))
        return FALSE;
  }

  return vw_vault_set_interview_status (vault, interview->id, "interviewed", date, NULL, error) &&
         vw_vault_set_interview_state (vault, interview->id, VW_INTERVIEW_FINISHED, NULL, NULL, error);
}

static gboolean
fill_episodes (VwVault             *vault,
               const VwParticipant *participant,
               const char          *spec,
               GError             **error)
{
  g_auto(GStrv) stays = NULL;

  if (spec == NULL)
    return TRUE;

  stays = g_strsplit (spec, ";", -1);
  for (guint i = 0; stays[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (stays[i], "|", 3);
      g_autofree char *id = NULL;
      VwEpisode episode = {
        .study = participant->study,
        .code = participant->code,
        .start = parts[0],
        .end = *parts[1] != '\0' ? parts[1] : NULL,
        .residence = parts[2],
      };

      id = vw_vault_add_episode (vault, &episode, error);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * vw_demo_fill:
 * @study: a study of @vault with round T0 only
 *
 * Adds rounds T1 and T2, two interviewers and the demo participants with
 * their interviews, non-responses, stays and quotes, in one transaction.
 */
gboolean
vw_demo_fill (VwVault     *vault,
              const char  *study_id,
              GError     **error)
{
  g_autoptr(VwStudy) study = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_participant_free);
  g_autofree char *researcher = NULL;
  g_autofree char *peer = NULL;

  g_return_val_if_fail (VW_IS_VAULT (vault), FALSE);

  study = vw_vault_get_study (vault, study_id, error);
  if (study == NULL || !vw_vault_begin (vault, error))
    return FALSE;

  if (!vw_vault_add_round (vault, study->id, "T1", "2024-02-01", "2024-04-30", error) ||
      !vw_vault_add_round (vault, study->id, "T2", "2025-02-01", NULL, error) ||
      (researcher = vw_vault_add_interviewer (vault, "Sanne de Vries", VW_INTERVIEWER_RESEARCHER,
                                              "2022-09-15", error)) == NULL ||
      (peer = vw_vault_add_interviewer (vault, "Mo Bakker", VW_INTERVIEWER_PEER_RESEARCHER,
                                        "2022-09-15", error)) == NULL)
    goto fail;

  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    {
      const DemoParticipant *p = &participants[i];
      VwParticipant *participant = vw_vault_create_participant (vault, study->id, NULL, p->pseudonym,
                                                                study->regions[0], error);

      if (participant == NULL)
        goto fail;
      g_ptr_array_add (made, participant);
      if (!vw_vault_set_participant_value (vault, study->id, participant->code, "municipality", p->municipality, error) ||
          !vw_vault_set_participant_value (vault, study->id, participant->code, "birth_year", p->birth_year, error) ||
          !vw_vault_set_participant_value (vault, study->id, participant->code, "origin", p->origin, error) ||
          !vw_vault_set_participant_value (vault, study->id, participant->code, "hist_street", p->hist_street, error) ||
          !fill_episodes (vault, participant, p->episodes, error))
        goto fail;
      for (int r = 0; r < VW_DEMO_N_ROUNDS; r++)
        if (!fill_round (vault, study, participant, r, p->rounds[r], researcher, peer, error))
          goto fail;
    }

  for (guint i = 0; i < G_N_ELEMENTS (quotes); i++)
    {
      const VwParticipant *participant = g_ptr_array_index (made, quotes[i].participant);
      g_autofree char *round = g_strdup_printf ("T%d", quotes[i].round);
      g_autofree char *id = vw_vault_add_quote (vault, study->id, participant->code, round, quotes[i].question,
                                                quotes[i].theme, quotes[i].text, error);
      if (id == NULL)
        goto fail;
    }

  return vw_vault_commit (vault, error);

fail:
  vw_vault_rollback (vault);
  return FALSE;
}

/**
 * vw_demo_create:
 * @path: where the throw-away vault goes (a temporary folder)
 *
 * Makes a vault protected by %VW_DEMO_PASSPHRASE with the demo study and
 * fills it. Key stretching runs at libsodium's MODERATE limits, the
 * lowest the vault allows, so call this off the main thread.
 *
 * Returns: (transfer full): the vault, locked
 */
VwVault *
vw_demo_create (const char    *path,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) VW_DEMO_PASSPHRASE,
                                                       strlen (VW_DEMO_PASSPHRASE));
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) studies = NULL;
  VwVaultCreateOptions options = {
    .device_label = _("Demo laptop"),
    .study_name = _("Demo study"),
    .study_region = "DH",
    .study_role = VW_STUDY_ROLE_DUO,
  };

  vault = vw_vault_create (path, passphrase, &options, NULL, cancellable, error);
  if (vault == NULL)
    return NULL;
  studies = vw_vault_list_studies (vault, error);
  if (studies == NULL || studies->len == 0 ||
      !vw_demo_fill (vault, ((VwStudy *) g_ptr_array_index (studies, 0))->id, error))
    return NULL;

  vw_vault_lock (vault);
  return g_steal_pointer (&vault);
}
