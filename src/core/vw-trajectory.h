/* vw-trajectory.h: the trajectory types of codebook section 6, both rule
 * sets, with the long-stay flag, overrides and an explanation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vw-records.h"

G_BEGIN_DECLS

#define VW_TRAJECTORY_ERROR (vw_trajectory_error_quark ())

typedef enum {
  VW_TRAJECTORY_ERROR_INVALID,   /* a bad rule set name or override */
  VW_TRAJECTORY_ERROR_NOT_FOUND, /* no such participant */
} VwTrajectoryError;

GQuark vw_trajectory_error_quark (void);

typedef enum {
  VW_RULE_SET_DH3,
  VW_RULE_SET_FL4,
} VwRuleSet;

/* In the order of the codebook's code list "trajectory". */
typedef enum {
  VW_TRAJECTORY_UITSTROOM_WONING,
  VW_TRAJECTORY_ONDERBROKEN,
  VW_TRAJECTORY_LANGDURIG_VERBLIJF,
  VW_TRAJECTORY_STABIEL_GEHUISVEST,
  VW_TRAJECTORY_NIET_TE_CLASSIFICEREN,
  VW_TRAJECTORY_N_TYPES,
} VwTrajectoryType;

typedef enum {
  VW_SUBTYPE_NONE,
  VW_SUBTYPE_OMKLAP,
  VW_SUBTYPE_EIGEN_NAAM,
} VwTrajectorySubtype;

gboolean          vw_rule_set_from_string        (const char          *text,
                                                  VwRuleSet           *rules,
                                                  GError             **error);
const char       *vw_rule_set_to_string          (VwRuleSet            rules);
/* The types a rule set can give, in the order of its rules with
 * niet_te_classificeren last (the order of the tables). */
const VwTrajectoryType *vw_rule_set_get_types    (VwRuleSet            rules,
                                                  guint               *n_types);
const char       *vw_trajectory_type_to_string   (VwTrajectoryType     type);
gboolean          vw_trajectory_type_from_string (const char          *text,
                                                  VwTrajectoryType    *type);
const char       *vw_trajectory_subtype_to_string (VwTrajectorySubtype subtype);
gboolean          vw_trajectory_subtype_from_string (const char        *text,
                                                     VwTrajectorySubtype *subtype);

typedef struct
{
  int mo_long_months;  /* dh3 rule 5: mo longer than this is a long stay */
  int bw_long_months;  /* dh3 rule 5: bw longer than this is a long stay */
  int mo_flag_weeks;   /* long-stay flag: mo longer than this many weeks */
  int bw_flag_months;  /* long-stay flag: bw longer than this many months */
} VwTrajectoryParams;

void vw_trajectory_params_init (VwTrajectoryParams *params);

/* One participant's result. Overrides replace the derived type in the
 * final one; both are kept, as exports carry both. */
typedef struct
{
  VwTrajectoryType    derived;
  VwTrajectorySubtype derived_subtype;
  guint               rule;            /* the rule that matched, 1-based */
  gboolean            long_stay;       /* the long-stay flag */
  guint               n_interviews;    /* rounds with status interviewed */
  gboolean            overridden;
  VwTrajectoryType    final;
  VwTrajectorySubtype final_subtype;
  const char         *override_reason; /* owned by the classification */
} VwTrajectoryResult;

typedef enum {
  VW_STAY_INTERVIEW,
  VW_STAY_EPISODE,
} VwStaySource;

/* A known stay, and after merging a stay of the sequence. */
typedef struct
{
  char          cls;       /* 'F', 'H', 'E', or 'U' (unknown, dropped) */
  const char   *residence; /* a residence code; NULL when not recorded.
                              For a merged stay: its latest part's code */
  VwMonth       start;     /* for a merged stay: its first part's start */
  VwStaySource  source;    /* of the stay, or of a merged stay's first part */
  guint         round;     /* for an interview: n of Tn */
  guint         line;      /* the row in rounds.csv or episodes.csv */
  guint         n_parts;   /* in the sequence: how many stays were merged */
} VwStay;

typedef struct _VwClassification VwClassification;
typedef struct _VwTrajectory     VwTrajectory;

VwClassification *vw_classification_new          (VwRecords                *records,
                                                  VwRuleSet                 rules,
                                                  const VwTrajectoryParams *params);
void              vw_classification_free         (VwClassification         *self);
VwRuleSet         vw_classification_get_rules    (VwClassification         *self);
VwRecords        *vw_classification_get_records  (VwClassification         *self);
const VwTrajectoryResult *vw_classification_get  (VwClassification         *self,
                                                  guint                     participant);
gboolean          vw_classification_set_override (VwClassification        *self,
                                                  const char              *code,
                                                  const char              *type,
                                                  const char              *subtype,
                                                  const char              *reason,
                                                  GError                 **error);
VwTrajectory     *vw_classification_explain      (VwClassification         *self,
                                                  const char               *code,
                                                  GError                  **error);

void                      vw_trajectory_free          (VwTrajectory *self);
const VwTrajectoryResult *vw_trajectory_get_result    (VwTrajectory *self);
const VwStay             *vw_trajectory_get_stays     (VwTrajectory *self,
                                                       guint        *n_stays);
const VwStay             *vw_trajectory_get_sequence  (VwTrajectory *self,
                                                       guint        *n_stays);
const char               *vw_trajectory_get_reason    (VwTrajectory *self);
char                     *vw_trajectory_to_string     (VwTrajectory *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwClassification, vw_classification_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwTrajectory, vw_trajectory_free)

G_END_DECLS
