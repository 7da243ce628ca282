/* vw-invitation.h: reading an invitation, and joining its study only with
 * a coordinator the person confirmed.
 *
 * Anyone who knows a duo's age recipient can encrypt an invitation to it,
 * sign it with a key of their own and name themselves its coordinator; a
 * duo that joined it would send its submissions to them. So joining is two
 * steps: vw_invitation_open() decrypts, verifies and reads an invitation
 * without writing anything, and shows who signed it (study, coordinator,
 * fingerprint of the signing key); vw_invitation_join() adds the study only
 * when the person gives the coordinator's fingerprint or signing key, as
 * the coordinator read it out or printed it, and it is the signer's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

/* An invitation is small; anything larger is not one. */
#define VW_INVITATION_MAX_SIZE (16 * 1024 * 1024)

typedef struct _VwInvitation VwInvitation;

/* Reads and checks invitation content (the JSON of README-bundles.md)
 * without a vault: every member present and of its type, the regions,
 * round dates, the questionnaire loadable, the coordinators' keys, the
 * recipients and the linkage key. @study_id (nullable) is the manifest's,
 * which the content must repeat; @signer (nullable) is the manifest's
 * signing key, which must be a coordinator the content names. For the
 * fuzz target too: any bytes give an invitation or an error. */
VwInvitation *vw_invitation_parse           (const guint8  *data,
                                             gsize          len,
                                             const char    *study_id,
                                             const guint8  *signer,
                                             GError       **error);
/* Decrypts the invitation at @path (addressed to this laptop), verifies its
 * signature and content and reads it: nothing is written to the vault. */
VwInvitation *vw_invitation_open            (VwVault       *vault,
                                             const char    *path,
                                             GError       **error);
void          vw_invitation_free            (VwInvitation  *self);

const char   *vw_invitation_get_study_id    (VwInvitation  *self);
const char   *vw_invitation_get_name        (VwInvitation  *self);
/* The label the invitation gives the coordinator who signed it, the key
 * (ed25519:...) and its fingerprint (vw-fingerprint.h); NULL from
 * vw_invitation_parse() without a signer. */
const char   *vw_invitation_get_coordinator (VwInvitation  *self);
const char   *vw_invitation_get_signing_key (VwInvitation  *self);
const char   *vw_invitation_get_fingerprint (VwInvitation  *self);

/* Whether @confirmation, the coordinator's fingerprint (spaces and dashes
 * ignored) or signing key (ed25519:...), is the invitation's signer: no
 * confirmation is VW_STUDY_ERROR_UNCONFIRMED, another key's is
 * VW_STUDY_ERROR_MISMATCH, a text that is neither is
 * VW_STUDY_ERROR_INVALID. */
gboolean      vw_invitation_confirm         (VwInvitation  *self,
                                             const char    *confirmation,
                                             GError       **error);
/* Adds the study in one transaction, after vw_invitation_confirm(): the
 * study with the coordinator's id and linkage key, its questionnaire and
 * rounds, the coordinator's recipients, and the coordinators as the
 * devices trusted to send round preparations. Refused, the vault is
 * unchanged.
 *
 * Returns: (transfer full): the study's id */
char         *vw_invitation_join            (VwVault       *vault,
                                             VwInvitation  *self,
                                             const char    *confirmation,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwInvitation, vw_invitation_free)

G_END_DECLS
