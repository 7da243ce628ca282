/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-trajectory.h"

G_DEFINE_QUARK (vw-trajectory-error-quark, vw_trajectory_error)

static const char *type_names[VW_TRAJECTORY_N_TYPES] = {
  "uitstroom_woning",
  "onderbroken",
  "langdurig_verblijf",
  "stabiel_gehuisvest",
  "niet_te_classificeren",
};

static const char *subtype_names[] = { NULL, "omklap", "eigen_naam" };

static const VwTrajectoryType dh3_types[] = {
  VW_TRAJECTORY_UITSTROOM_WONING,
  VW_TRAJECTORY_ONDERBROKEN,
  VW_TRAJECTORY_LANGDURIG_VERBLIJF,
  VW_TRAJECTORY_NIET_TE_CLASSIFICEREN,
};

static const VwTrajectoryType fl4_types[] = {
  VW_TRAJECTORY_ONDERBROKEN,
  VW_TRAJECTORY_UITSTROOM_WONING,
  VW_TRAJECTORY_STABIEL_GEHUISVEST,
  VW_TRAJECTORY_LANGDURIG_VERBLIJF,
  VW_TRAJECTORY_NIET_TE_CLASSIFICEREN,
};

gboolean
vw_rule_set_from_string (const char  *text,
                         VwRuleSet   *rules,
                         GError     **error)
{
  if (g_strcmp0 (text, "dh3") == 0)
    *rules = VW_RULE_SET_DH3;
  else if (g_strcmp0 (text, "fl4") == 0)
    *rules = VW_RULE_SET_FL4;
  else
    {
      g_set_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID,
                   _("unknown rule set “%s”; the rule sets are dh3 and fl4"), text ? text : "");
      return FALSE;
    }
  return TRUE;
}

const char *
vw_rule_set_to_string (VwRuleSet rules)
{
  return rules == VW_RULE_SET_FL4 ? "fl4" : "dh3";
}

/**
 * vw_rule_set_get_types:
 *
 * Returns: (array length=n_types): the types of @rules in the order of
 *   codebook section 6, niet_te_classificeren last
 */
const VwTrajectoryType *
vw_rule_set_get_types (VwRuleSet  rules,
                       guint     *n_types)
{
  if (rules == VW_RULE_SET_FL4)
    {
      *n_types = G_N_ELEMENTS (fl4_types);
      return fl4_types;
    }
  *n_types = G_N_ELEMENTS (dh3_types);
  return dh3_types;
}

const char *
vw_trajectory_type_to_string (VwTrajectoryType type)
{
  g_return_val_if_fail (type < VW_TRAJECTORY_N_TYPES, NULL);

  return type_names[type];
}

gboolean
vw_trajectory_type_from_string (const char       *text,
                                VwTrajectoryType *type)
{
  for (guint i = 0; i < VW_TRAJECTORY_N_TYPES; i++)
    if (g_strcmp0 (text, type_names[i]) == 0)
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

/* Returns: (nullable): the subtype's code, NULL for none */
const char *
vw_trajectory_subtype_to_string (VwTrajectorySubtype subtype)
{
  g_return_val_if_fail (subtype < G_N_ELEMENTS (subtype_names), NULL);

  return subtype_names[subtype];
}

gboolean
vw_trajectory_subtype_from_string (const char          *text,
                                   VwTrajectorySubtype *subtype)
{
  for (guint i = 1; i < G_N_ELEMENTS (subtype_names); i++)
    if (g_strcmp0 (text, subtype_names[i]) == 0)
      {
        *subtype = i;
        return TRUE;
      }
  return FALSE;
}

/* The defaults of codebook section 6 (also in core.json under
 * "trajectory_parameters"; the tests hold the two together). */
void
vw_trajectory_params_init (VwTrajectoryParams *params)
{
  params->mo_long_months = 12;
  params->bw_long_months = 0;
  params->mo_flag_weeks = 12;
  params->bw_flag_months = 12;
}

/* Building the sequence. */

typedef struct
{
  guint        n_interviews;
  char         first_class;     /* class at the first interview, 'U' if unknown */
  char         last_class;
  const char  *first_residence;
  const char  *last_residence;
  VwMonth      first_month;     /* month of the first interview */
  VwMonth      last_month;      /* month of the last interview */
  gboolean     stay_before_first;
} Facts;

static char
stay_class (const char *residence)
{
  char cls = residence != NULL ? vw_residence_class (residence) : 0;

  return cls != 0 ? cls : 'U';
}

/* Time order: by start month. In the same month an episode comes before
 * an interview's stay: the interview is the latest observation of that
 * month. Then round and line keep the order stable. */
static int
compare_stays (gconstpointer a,
               gconstpointer b)
{
  const VwStay *sa = a, *sb = b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  if (sa->source != sb->source)
    return sa->source == VW_STAY_EPISODE ? -1 : 1;
  if (sa->round != sb->round)
    return sa->round < sb->round ? -1 : 1;
  return sa->line < sb->line ? -1 : sa->line > sb->line;
}

/* Collects @index's known stays in time order into @stays and the merged
 * sequence into @sequence (codebook section 6, first paragraph). */
static void
build_sequence (VwRecords *records,
                guint      index,
                GArray    *stays,
                GArray    *sequence,
                Facts     *facts)
{
  guint n;
  const VwRecordParticipant *p = &vw_records_get_participants (records, &n)[index];
  const VwRoundRecord *rounds = vw_records_get_rounds (records, &n);
  const VwRecordEpisode *episodes = vw_records_get_episodes (records, &n);
  VwStay *last = NULL;

  /* Records without any episode (or round) have no array to point into:
   * NULL + 0 is undefined behaviour. */
  rounds = p->n_rounds > 0 ? rounds + p->first_round : NULL;
  episodes = p->n_episodes > 0 ? episodes + p->first_episode : NULL;

  g_array_set_size (stays, 0);
  g_array_set_size (sequence, 0);
  memset (facts, 0, sizeof *facts);
  facts->first_class = facts->last_class = 'U';

  /* Only interviews count: a round without one (declined, unreachable…)
   * says nothing reliable about where the person stayed. */
  for (guint i = 0; i < p->n_rounds; i++)
    {
      const VwRoundRecord *r = &rounds[i];
      VwMonth month = vw_date_get_month (r->date);
      VwStay stay = { 0 };

      if (!vw_round_record_is_interview (r))
        continue;
      if (facts->n_interviews++ == 0)
        {
          facts->first_class = stay_class (r->residence);
          facts->first_residence = r->residence;
          facts->first_month = month;
        }
      facts->last_class = stay_class (r->residence);
      facts->last_residence = r->residence;
      facts->last_month = month;

      stay.cls = stay_class (r->residence);
      stay.residence = r->residence;
      stay.start = r->residence_since != VW_MONTH_NONE ? r->residence_since : month;
      stay.source = VW_STAY_INTERVIEW;
      stay.round = r->round;
      stay.line = r->line;
      g_array_append_val (stays, stay);
    }

  for (guint i = 0; i < p->n_episodes; i++)
    {
      const VwRecordEpisode *e = &episodes[i];
      VwStay stay = { 0 };

      stay.cls = stay_class (e->residence);
      stay.residence = e->residence;
      stay.start = e->start;
      stay.source = VW_STAY_EPISODE;
      stay.line = e->line;
      g_array_append_val (stays, stay);

      /* "A stay before the first interview" (dh3 rule 1) is a known
       * episode that began before it; the interview's own stay, even when
       * it began earlier, is the stay at the interview, not before it. */
      if (stay.cls != 'U' && facts->n_interviews > 0 && e->start < facts->first_month)
        facts->stay_before_first = TRUE;
    }

  g_array_sort (stays, compare_stays);

  /* U is dropped first, so F, U, F merges into one F. A merged stay starts
   * at its first part and carries its latest part's code: where the
   * person is now (omklap or eigen_woning for dh3 rule 2's subtype). */
  for (guint i = 0; i < stays->len; i++)
    {
      VwStay *stay = &g_array_index (stays, VwStay, i);

      if (stay->cls == 'U')
        continue;
      if (last != NULL && last->cls == stay->cls)
        {
          last->residence = stay->residence;
          last->n_parts++;
          stay->n_parts = 0;
          continue;
        }
      stay->n_parts = 1;
      g_array_append_val (sequence, *stay);
      last = &g_array_index (sequence, VwStay, sequence->len - 1);
    }
}

/* Whole months from the stay's start to the last interview; a stay that
 * began after it (a later episode) has lasted 0 months. */
static int
months_at_last_interview (const VwStay *stay,
                          const Facts  *facts)
{
  if (facts->last_month == VW_MONTH_NONE || stay->start >= facts->last_month)
    return 0;
  return facts->last_month - stay->start;
}

static const char *
shown (const char *residence)
{
  return residence != NULL ? residence : "—";
}

/* The rules. Each returns its type and, when @reason is given, says why
 * in one line. */

typedef struct
{
  VwTrajectoryType    type;
  VwTrajectorySubtype subtype;
  guint               rule;
} Outcome;

static Outcome
outcome (VwTrajectoryType type, guint rule)
{
  Outcome o = { type, VW_SUBTYPE_NONE, rule };
  return o;
}

static gboolean
contains_before (const VwStay *seq,
                 guint         end,
                 char          cls,
                 guint        *found)
{
  for (guint i = end; i-- > 0;)
    if (seq[i].cls == cls)
      {
        if (found != NULL)
          *found = i;
        return TRUE;
      }
  return FALSE;
}

static Outcome
classify_dh3 (const VwStay             *seq,
              guint                     n,
              const Facts              *facts,
              const VwTrajectoryParams *params,
              GString                  *reason)
{
  char a[16], b[16];
  const VwStay *final = n > 0 ? &seq[n - 1] : NULL;
  guint f;

  /* Rule 1. Without an interview nothing can be measured, whatever the
   * episodes say. */
  if (facts->n_interviews == 0 || (facts->n_interviews < 2 && !facts->stay_before_first))
    {
      if (reason != NULL && facts->n_interviews == 0)
        g_string_append (reason, _("dh3 rule 1: no interview"));
      else if (reason != NULL)
        g_string_append (reason, _("dh3 rule 1: one interview and no known stay before it"));
      return outcome (VW_TRAJECTORY_NIET_TE_CLASSIFICEREN, 1);
    }

  /* Rule 2: ends in H with an F anywhere before that final H. */
  if (final != NULL && final->cls == 'H' && contains_before (seq, n - 1, 'F', &f))
    {
      Outcome o = outcome (VW_TRAJECTORY_UITSTROOM_WONING, 2);

      o.subtype = g_strcmp0 (final->residence, "omklap") == 0 ||
                  g_strcmp0 (final->residence, "housing_first") == 0
                  ? VW_SUBTYPE_OMKLAP : VW_SUBTYPE_EIGEN_NAAM;
      if (reason != NULL)
        g_string_append_printf (reason, _("dh3 rule 2: ends in H (%s since %s) after F (%s)"),
                                shown (final->residence), vw_month_format (final->start, a),
                                shown (seq[f].residence));
      return o;
    }

  /* Rule 3: ends in F, and an F, then H or E, then F occur in that order.
   * Same classes are merged, so the stay before the final F is H or E and
   * the pattern holds exactly when an F comes before that stay. */
  if (final != NULL && final->cls == 'F' && n >= 3 && contains_before (seq, n - 2, 'F', &f))
    {
      if (reason != NULL)
        g_string_append_printf (reason,
                                _("dh3 rule 3: ends in F (%s since %s) after leaving a facility: "
                                  "F (%s), then %c (%s), then F again"),
                                shown (final->residence), vw_month_format (final->start, a),
                                shown (seq[f].residence), seq[n - 2].cls, shown (seq[n - 2].residence));
      return outcome (VW_TRAJECTORY_ONDERBROKEN, 3);
    }

  /* Rule 4: ends in E with an F before it. */
  if (final != NULL && final->cls == 'E' && contains_before (seq, n - 1, 'F', &f))
    {
      if (reason != NULL)
        g_string_append_printf (reason, _("dh3 rule 4: ends in E (%s since %s) after F (%s)"),
                                shown (final->residence), vw_month_format (final->start, a),
                                shown (seq[f].residence));
      return outcome (VW_TRAJECTORY_ONDERBROKEN, 4);
    }

  /* Rule 5: ends in F; rule 3 has taken every earlier departure. "More
   * than" is taken literally: with bw_long_months 0 a BW stay that began
   * in the month of the last interview (0 whole months) is not long. */
  if (final != NULL && final->cls == 'F')
    {
      int months = months_at_last_interview (final, facts);
      gboolean is_mo = g_strcmp0 (final->residence, "mo") == 0;
      int limit = is_mo ? params->mo_long_months : params->bw_long_months;
      gboolean is_long = months > limit;

      if (reason != NULL && is_long)
        g_string_append_printf (reason,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "dh3 rule 5: ends in F (%s since %s) with no earlier departure; "
                                             "%d month at the last interview (%s) is more than %d",
                                             "dh3 rule 5: ends in F (%s since %s) with no earlier departure; "
                                             "%d months at the last interview (%s) is more than %d", months),
                                shown (final->residence), vw_month_format (final->start, a),
                                months, vw_month_format (facts->last_month, b), limit);
      else if (reason != NULL)
        g_string_append_printf (reason,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "dh3 rule 5: ends in F (%s since %s) with no earlier departure, "
                                             "but %d month at the last interview (%s) is not more than %d",
                                             "dh3 rule 5: ends in F (%s since %s) with no earlier departure, "
                                             "but %d months at the last interview (%s) is not more than %d",
                                             months),
                                shown (final->residence), vw_month_format (final->start, a),
                                months, vw_month_format (facts->last_month, b), limit);
      return outcome (is_long ? VW_TRAJECTORY_LANGDURIG_VERBLIJF : VW_TRAJECTORY_NIET_TE_CLASSIFICEREN, 5);
    }

  /* Rule 6. */
  if (reason != NULL && n == 0)
    g_string_append (reason, _("dh3 rule 6: no known stay"));
  else if (reason != NULL)
    g_string_append_printf (reason, _("dh3 rule 6: no rule applies to a sequence that ends in %c "
                                      "without an F before it"), final->cls);
  return outcome (VW_TRAJECTORY_NIET_TE_CLASSIFICEREN, 6);
}

/* fl4 rule 2's transitions: F to E, H to E, H to F. */
static gboolean
find_setback (const VwStay *seq,
              guint         n,
              guint        *at)
{
  /* From the end, so that the explanation names the latest setback. */
  for (guint i = n; i-- > 1;)
    {
      char from = seq[i - 1].cls, to = seq[i].cls;

      if ((from == 'F' && to == 'E') || (from == 'H' && to == 'E') || (from == 'H' && to == 'F'))
        {
          *at = i;
          return TRUE;
        }
    }
  return FALSE;
}

static Outcome
classify_fl4 (const VwStay *seq,
              guint         n,
              const Facts  *facts,
              GString      *reason)
{
  guint at;

  if (facts->n_interviews < 2)
    {
      if (reason != NULL)
        g_string_append_printf (reason, _("fl4 rule 1: fewer than two interviews (%u)"), facts->n_interviews);
      return outcome (VW_TRAJECTORY_NIET_TE_CLASSIFICEREN, 1);
    }

  if ((facts->last_class == 'F' || facts->last_class == 'E') && find_setback (seq, n, &at))
    {
      if (reason != NULL)
        g_string_append_printf (reason,
                                _("fl4 rule 2: the last interview is in %c (%s) and the sequence "
                                  "goes from %c (%s) to %c (%s)"),
                                facts->last_class, shown (facts->last_residence),
                                seq[at - 1].cls, shown (seq[at - 1].residence),
                                seq[at].cls, shown (seq[at].residence));
      return outcome (VW_TRAJECTORY_ONDERBROKEN, 2);
    }

  if (facts->first_class == 'F' && facts->last_class == 'H')
    {
      if (reason != NULL)
        g_string_append_printf (reason, _("fl4 rule 3: the first interview is in F (%s) and the last in H (%s)"),
                                shown (facts->first_residence), shown (facts->last_residence));
      return outcome (VW_TRAJECTORY_UITSTROOM_WONING, 3);
    }

  if (facts->first_class == 'H' && facts->last_class == 'H')
    {
      if (reason != NULL)
        g_string_append_printf (reason, _("fl4 rule 4: the first and the last interview are in H (%s, %s)"),
                                shown (facts->first_residence), shown (facts->last_residence));
      return outcome (VW_TRAJECTORY_STABIEL_GEHUISVEST, 4);
    }

  /* "Every stay is F" needs at least one stay: an empty sequence (every
   * stay unknown) says nothing about a long stay. Merging makes a
   * sequence of only F stays a single stay. */
  if (n == 1 && seq[0].cls == 'F')
    {
      char a[16];

      if (reason != NULL)
        g_string_append_printf (reason, _("fl4 rule 5: every stay in the sequence is F (%s since %s)"),
                                shown (seq[0].residence), vw_month_format (seq[0].start, a));
      return outcome (VW_TRAJECTORY_LANGDURIG_VERBLIJF, 5);
    }

  if (reason != NULL)
    g_string_append_printf (reason, _("fl4 rule 6: no rule applies (first interview in %c, last in %c)"),
                            facts->first_class, facts->last_class);
  return outcome (VW_TRAJECTORY_NIET_TE_CLASSIFICEREN, 6);
}

/* Long-stay flag. A stay is known to the month, so weeks are whole months
 * times 52/12, compared in integers: more than W weeks is m * 52 > W * 12
 * (12 weeks: 2 months = 8.7 weeks are not more, 3 months = 13 weeks are). */
static gboolean
long_stay_flag (const VwStay             *seq,
                guint                     n,
                const Facts              *facts,
                const VwTrajectoryParams *params)
{
  const VwStay *final = n > 0 ? &seq[n - 1] : NULL;
  int months;

  if (final == NULL || final->cls != 'F' || facts->n_interviews == 0)
    return FALSE;
  months = months_at_last_interview (final, facts);
  if (g_strcmp0 (final->residence, "mo") == 0)
    return (gint64) months * 52 > (gint64) params->mo_flag_weeks * 12;
  if (g_strcmp0 (final->residence, "bw") == 0)
    return months > params->bw_flag_months;
  return FALSE;
}

static void
classify (VwRecords                *records,
          guint                     index,
          VwRuleSet                 rules,
          const VwTrajectoryParams *params,
          GArray                   *stays,
          GArray                   *sequence,
          VwTrajectoryResult       *result,
          Facts                    *facts_out,
          GString                  *reason)
{
  const VwStay *seq;
  Facts facts;
  Outcome o;

  build_sequence (records, index, stays, sequence, &facts);
  if (facts_out != NULL)
    *facts_out = facts;
  seq = (const VwStay *) (gpointer) sequence->data;

  if (rules == VW_RULE_SET_FL4)
    o = classify_fl4 (seq, sequence->len, &facts, reason);
  else
    o = classify_dh3 (seq, sequence->len, &facts, params, reason);

  memset (result, 0, sizeof *result);
  result->derived = result->final = o.type;
  result->derived_subtype = result->final_subtype = o.subtype;
  result->rule = o.rule;
  result->long_stay = long_stay_flag (seq, sequence->len, &facts, params);
  result->n_interviews = facts.n_interviews;
}

/* The classification of every participant. */

struct _VwClassification
{
  VwRecords          *records;  /* owned */
  VwRuleSet           rules;
  VwTrajectoryParams  params;
  VwTrajectoryResult *results;  /* owned: one per participant */
  guint               n_results;
  GStringChunk       *reasons;  /* owned: override reasons */
};

/**
 * vw_classification_new:
 * @params: (nullable): the parameters; %NULL for the codebook's defaults
 *
 * Classifies every participant of @records under @rules.
 */
VwClassification *
vw_classification_new (VwRecords                *records,
                       VwRuleSet                 rules,
                       const VwTrajectoryParams *params)
{
  VwClassification *self = g_new0 (VwClassification, 1);
  g_autoptr(GArray) stays = g_array_sized_new (FALSE, FALSE, sizeof (VwStay), 16);
  g_autoptr(GArray) sequence = g_array_sized_new (FALSE, FALSE, sizeof (VwStay), 16);

  self->records = vw_records_ref (records);
  self->rules = rules;
  if (params != NULL)
    self->params = *params;
  else
    vw_trajectory_params_init (&self->params);
  vw_records_get_participants (records, &self->n_results);
  self->results = g_new0 (VwTrajectoryResult, self->n_results);
  self->reasons = g_string_chunk_new (256);

  for (guint i = 0; i < self->n_results; i++)
    classify (records, i, rules, &self->params, stays, sequence, &self->results[i], NULL, NULL);

  return self;
}

void
vw_classification_free (VwClassification *self)
{
  if (self == NULL)
    return;

  vw_records_unref (self->records);
  g_free (self->results);
  g_string_chunk_free (self->reasons);
  g_free (self);
}

VwRuleSet
vw_classification_get_rules (VwClassification *self)
{
  return self->rules;
}

/* Returns: (transfer none): */
VwRecords *
vw_classification_get_records (VwClassification *self)
{
  return self->records;
}

/* @participant: an index of vw_records_get_participants() */
const VwTrajectoryResult *
vw_classification_get (VwClassification *self,
                       guint             participant)
{
  g_return_val_if_fail (participant < self->n_results, NULL);

  return &self->results[participant];
}

static gboolean
rule_set_has_type (VwRuleSet        rules,
                   VwTrajectoryType type)
{
  guint n;
  const VwTrajectoryType *types = vw_rule_set_get_types (rules, &n);

  for (guint i = 0; i < n; i++)
    if (types[i] == type)
      return TRUE;
  return FALSE;
}

static int
find_code (VwClassification  *self,
           const char        *code,
           GError           **error)
{
  int index = vw_records_find_participant (self->records, code);

  if (index < 0)
    g_set_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_NOT_FOUND,
                 _("no participant has the code %s"), code);
  return index;
}

/**
 * vw_classification_set_override:
 * @type: a type of the classification's rule set
 * @subtype: (nullable): under dh3, the subtype that uitstroom_woning
 *   needs (omklap or eigen_naam); otherwise %NULL
 * @reason: why the coordinator decided otherwise; required
 *
 * A coordinator's decision replaces the derived type in the final type;
 * the derived type stays as it is.
 */
gboolean
vw_classification_set_override (VwClassification  *self,
                                const char        *code,
                                const char        *type,
                                const char        *subtype,
                                const char        *reason,
                                GError           **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (reason ? reason : ""));
  gboolean needs_subtype;
  VwTrajectoryResult *result;
  VwTrajectoryType t;
  VwTrajectorySubtype s = VW_SUBTYPE_NONE;
  int index;

  if ((index = find_code (self, code, error)) < 0)
    return FALSE;

  if (!vw_trajectory_type_from_string (type, &t) || !rule_set_has_type (self->rules, t))
    {
      guint n;
      const VwTrajectoryType *types = vw_rule_set_get_types (self->rules, &n);
      GString *names = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", type_names[types[i]]);
      g_set_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID,
                   _("“%s” is not a type of the rule set %s; its types are: %s"),
                   type ? type : "", vw_rule_set_to_string (self->rules), names->str);
      g_string_free (names, TRUE);
      return FALSE;
    }

  /* Only dh3 splits uitstroom_woning; the tables' subtype rows must
   * still add up, so an override there names its subtype. */
  needs_subtype = self->rules == VW_RULE_SET_DH3 && t == VW_TRAJECTORY_UITSTROOM_WONING;
  if (needs_subtype && !vw_trajectory_subtype_from_string (subtype, &s))
    {
      g_set_error_literal (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID,
                           _("an override to uitstroom_woning under dh3 needs the subtype omklap or eigen_naam"));
      return FALSE;
    }
  if (!needs_subtype && subtype != NULL && *subtype != '\0')
    {
      g_set_error (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID,
                   _("%s has no subtypes under %s"), type, vw_rule_set_to_string (self->rules));
      return FALSE;
    }
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, VW_TRAJECTORY_ERROR, VW_TRAJECTORY_ERROR_INVALID,
                           _("an override needs a reason"));
      return FALSE;
    }

  result = &self->results[index];
  result->overridden = TRUE;
  result->final = t;
  result->final_subtype = s;
  result->override_reason = g_string_chunk_insert (self->reasons, trimmed);
  return TRUE;
}

/* One participant, explained. */

struct _VwTrajectory
{
  char               *code;      /* owned */
  VwRuleSet           rules;
  VwTrajectoryResult  result;
  char               *reason;    /* owned: the rule that matched, and why */
  char               *override;  /* owned, nullable: the override's reason */
  GArray             *stays;     /* owned: of VwStay, time order */
  GArray             *sequence;  /* owned: of VwStay, merged */
  VwMonth             first_month;
  VwMonth             last_month;
};

/**
 * vw_classification_explain:
 *
 * Returns: (transfer full): the sequence that was built for @code and the
 *   rule that decided, or %NULL when there is no such participant
 */
VwTrajectory *
vw_classification_explain (VwClassification  *self,
                           const char        *code,
                           GError           **error)
{
  g_autoptr(GString) reason = g_string_new (NULL);
  const VwTrajectoryResult *stored;
  VwTrajectory *t;
  Facts facts;
  int index;

  if ((index = find_code (self, code, error)) < 0)
    return NULL;

  t = g_new0 (VwTrajectory, 1);
  t->code = g_strdup (code);
  t->rules = self->rules;
  t->stays = g_array_new (FALSE, FALSE, sizeof (VwStay));
  t->sequence = g_array_new (FALSE, FALSE, sizeof (VwStay));
  classify (self->records, index, self->rules, &self->params, t->stays, t->sequence, &t->result,
            &facts, reason);
  t->first_month = facts.first_month;
  t->last_month = facts.last_month;
  t->reason = g_string_free (g_steal_pointer (&reason), FALSE);

  stored = &self->results[index];
  t->result.overridden = stored->overridden;
  t->result.final = stored->final;
  t->result.final_subtype = stored->final_subtype;
  t->override = g_strdup (stored->override_reason);
  t->result.override_reason = t->override;

  return t;
}

void
vw_trajectory_free (VwTrajectory *self)
{
  if (self == NULL)
    return;

  g_free (self->code);
  g_free (self->reason);
  g_free (self->override);
  g_array_unref (self->stays);
  g_array_unref (self->sequence);
  g_free (self);
}

const VwTrajectoryResult *
vw_trajectory_get_result (VwTrajectory *self)
{
  return &self->result;
}

/**
 * vw_trajectory_get_stays:
 *
 * Returns: (array length=n_stays): every known stay in time order, with
 *   class U; a stay with n_parts 0 was merged into the one before it
 */
const VwStay *
vw_trajectory_get_stays (VwTrajectory *self,
                         guint        *n_stays)
{
  *n_stays = self->stays->len;
  return (const VwStay *) (gpointer) self->stays->data;
}

/* Returns: (array length=n_stays): the sequence the rules read */
const VwStay *
vw_trajectory_get_sequence (VwTrajectory *self,
                            guint        *n_stays)
{
  *n_stays = self->sequence->len;
  return (const VwStay *) (gpointer) self->sequence->data;
}

/* Returns: the matched rule and why, e.g. "dh3 rule 2: ends in H
 * (eigen_woning since 2021-03) after F (bw)" */
const char *
vw_trajectory_get_reason (VwTrajectory *self)
{
  return self->reason;
}

static void
append_type (GString             *out,
             VwTrajectoryType     type,
             VwTrajectorySubtype  subtype)
{
  g_string_append (out, type_names[type]);
  if (subtype != VW_SUBTYPE_NONE)
    g_string_append_printf (out, " (%s)", subtype_names[subtype]);
}

static void
append_source (GString      *out,
               const VwStay *stay)
{
  char buf[16];

  if (stay->source == VW_STAY_INTERVIEW)
    g_string_append_printf (out, _("interview %s"), vw_round_format (stay->round, buf));
  else
    g_string_append_printf (out, _("episode (episodes.csv line %u)"), stay->line);
}

/**
 * vw_trajectory_to_string:
 *
 * Returns: (transfer full): the explanation for people: every known stay,
 *   the sequence, the rule, the derived and the final type, the flag
 */
char *
vw_trajectory_to_string (VwTrajectory *self)
{
  GString *out = g_string_new (NULL);
  const VwTrajectoryResult *r = &self->result;
  char a[16], b[16];

  g_string_append_printf (out, _("Participant %s, rule set %s\n"), self->code, vw_rule_set_to_string (self->rules));
  if (r->n_interviews > 0)
    g_string_append_printf (out, _("Interviews: %u (first %s, last %s)\n"), r->n_interviews,
                            vw_month_format (self->first_month, a), vw_month_format (self->last_month, b));
  else
    g_string_append (out, _("Interviews: none\n"));

  g_string_append (out, _("Known stays in time order:\n"));
  if (self->stays->len == 0)
    g_string_append (out, _("  none\n"));
  for (guint i = 0; i < self->stays->len; i++)
    {
      const VwStay *s = &g_array_index (self->stays, VwStay, i);

      g_string_append_printf (out, "  %-7s  %c  %-13s  ", vw_month_format (s->start, a), s->cls,
                              s->residence ? s->residence : _("not recorded"));
      append_source (out, s);
      if (s->cls == 'U')
        g_string_append (out, _(" — dropped: unknown"));
      else if (s->n_parts == 0)
        g_string_append (out, _(" — merged into the stay before"));
      g_string_append_c (out, '\n');
    }

  g_string_append (out, _("Sequence:"));
  if (self->sequence->len == 0)
    g_string_append (out, _(" empty"));
  for (guint i = 0; i < self->sequence->len; i++)
    {
      const VwStay *s = &g_array_index (self->sequence, VwStay, i);

      g_string_append_printf (out, i == 0 ? " %c (%s, %s)" : " → %c (%s, %s)", s->cls,
                              shown (s->residence), vw_month_format (s->start, a));
    }
  g_string_append_c (out, '\n');

  g_string_append_printf (out, _("Rule: %s\n"), self->reason);
  g_string_append (out, _("Derived type: "));
  append_type (out, r->derived, r->derived_subtype);
  g_string_append_c (out, '\n');
  g_string_append (out, _("Final type: "));
  append_type (out, r->final, r->final_subtype);
  if (r->overridden)
    g_string_append_printf (out, _(" (override by the coordinator: %s)"), r->override_reason);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Long-stay flag: %s\n"), r->long_stay ? _("yes") : _("no"));

  return g_string_free (out, FALSE);
}
