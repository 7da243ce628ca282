/* Helpers for tests of studies across laptops: a coordinator and two duo
 * laptops that joined its study, made in-process with the core (the
 * scenario test makes the same with veldwerk-cli).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-core.h"
#include "vw-vault-contacts.h"
#include "vw-test-study.h"

G_BEGIN_DECLS

/* The world of vw-test-study.h: a coordinator and two duos that joined. */
typedef VwTestStudy VwTestDuos;

/* Sets the coordinator's study up, enrols both duos and has them join;
 * the duos do not know each other yet. */
void     vw_test_duos_init       (VwTestDuos        *w);
/* Each duo adds the other's keys, as from `veldwerk-cli keys`, so that
 * they can hand participants over. */
void     vw_test_duos_introduce  (VwTestDuos        *w);
void     vw_test_duos_clear      (VwTestDuos        *w);
/* Enrols @pseudonym with a finished T0 interview holding @answers
 * (question, value pairs, NULL-terminated) and consent; returns the
 * code. */
char    *vw_test_duos_interview  (VwVault            *vault,
                                   const char         *study,
                                   const char         *pseudonym,
                                   const char * const *answers);
/* Contact details whose every field holds @marker, to look for later. */
void     vw_test_duos_set_contact (VwVault           *vault,
                                    const char        *study,
                                    const char        *code,
                                    const char        *marker);
/* Reopens the vault file on a new connection and unlocks it. */
VwVault *vw_test_duos_reopen     (VwVault            *vault);

G_END_DECLS
