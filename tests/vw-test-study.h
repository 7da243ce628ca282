/* A study across three laptops, made in-process with the core: a
 * coordinator and two enrolled duos ("duo-noord", "duo-zuid") who trust
 * each other for handovers. Rounds T0 and T1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-core.h"

G_BEGIN_DECLS

typedef struct
{
  char    *dir;
  char    *coord_path;
  char    *duo1_path;   /* duo-noord */
  char    *duo2_path;   /* duo-zuid */
  VwVault *coord;
  VwVault *duo1;
  VwVault *duo2;
  char    *study;
} VwTestStudy;

void     vw_test_study_init      (VwTestStudy        *w);
/* The same; with @introduce %FALSE the duos do not know each other's keys
 * yet (vw_test_study_introduce() does that, as `study add-device`). */
void     vw_test_study_setup     (VwTestStudy        *w,
                                  gboolean            introduce);
void     vw_test_study_introduce (VwTestStudy        *w);
void     vw_test_study_clear     (VwTestStudy        *w);
/* Enrols @pseudonym on @vault with a finished T0 interview holding
 * @answers (question, value, ..., NULL); returns the code. */
char    *vw_test_study_interview (VwTestStudy        *w,
                                  VwVault            *vault,
                                  const char         *pseudonym,
                                  const char * const *answers);
/* Writes @duo's submission (everything) to @name in the directory and
 * returns its path. */
char    *vw_test_study_submit    (VwTestStudy        *w,
                                  VwVault            *duo,
                                  const char         *name);
VwMergeReport *vw_test_study_merge (VwVault          *vault,
                                    const char       *study,
                                    const char       *path);
/* What vw_test_study_conflict() made. */
typedef struct
{
  char *anna;       /* handed over to duo-zuid, her T0 "debts" then changed on both laptops */
  char *tom;        /* enrolled by duo-noord ... */
  char *karel;      /* ... and by duo-zuid: the same linkage identity */
  char *interview;  /* Anna's T0 */
} VwTestConflict;

/* Both duos change the same answer and enrol the same person; the
 * coordinator merges both submissions: one conflict (two sides) and one
 * group of possible duplicates. */
void     vw_test_study_conflict  (VwTestStudy        *w,
                                  VwTestConflict     *c);
/* The same up to the submissions, which are left unmerged: the paths of
 * duo-noord's and duo-zuid's, in that order of merging for the effect above. */
void     vw_test_study_conflict_submissions (VwTestStudy     *w,
                                             VwTestConflict  *c,
                                             char           **noord,
                                             char           **zuid);
void     vw_test_conflict_clear  (VwTestConflict     *c);
/* Closes *@vault and opens the file again, to assert on what was stored. */
void     vw_test_study_reopen    (VwVault           **vault,
                                  const char         *path);

G_END_DECLS
