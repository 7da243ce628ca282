/* vw-study.h: studies without a server.
 *
 * A coordinator sets a study up and enrols the duos' laptops; every laptop
 * exchanges signed bundles (vw-bundle.h) with the others. This header has
 * the study side: recipients, enrolment and invitations, trust, the
 * linkage identity; vw-exchange.h has submissions, round preparations,
 * handovers and the merge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-bundle.h"
#include "vw-vault.h"

G_BEGIN_DECLS

#define VW_STUDY_ERROR (vw_study_error_quark ())

typedef enum {
  VW_STUDY_ERROR_FAILED,
  VW_STUDY_ERROR_INVALID,    /* a bad key, date, file line or argument */
  VW_STUDY_ERROR_NOT_ALLOWED, /* this vault's role may not do that */
  VW_STUDY_ERROR_EXISTS,     /* the study is already on this laptop */
  VW_STUDY_ERROR_AMBIGUOUS,  /* no study named and the vault holds several; a label of several laptops */
  VW_STUDY_ERROR_UNCONFIRMED, /* a join without the coordinator's fingerprint or key */
  VW_STUDY_ERROR_MISMATCH,   /* an invitation signed by another key than the one confirmed */
} VwStudyError;

GQuark vw_study_error_quark (void);

/* Picks @study (an id, or else a name), or when it is %NULL the study
 * most recently set up or joined on this laptop. Every verb and view that
 * works on "the study" finds it here. */
char       *vw_study_resolve            (VwVault     *vault,
                                         const char  *study,
                                         GError     **error);
/* The same, but %NULL means the vault's only study: for reading out and
 * exporting, where the newest study is not a safe guess. */
char       *vw_study_resolve_strict     (VwVault     *vault,
                                         const char  *study,
                                         GError     **error);

/* Renames the study and/or gives it another questionnaire (only before
 * its first interview); %NULL leaves either as it is. */
gboolean    vw_study_set_definition     (VwVault     *vault,
                                         const char  *study,
                                         const char  *name,
                                         GBytes      *questionnaire,
                                         GError     **error);
/* Adds a recipient submissions go to; on a coordinator's study this
 * laptop's own recipient is always kept beside it. */
gboolean    vw_study_add_recipient      (VwVault     *vault,
                                         const char  *study,
                                         const char  *recipient,
                                         GError     **error);
/* Adds this laptop's own recipient to a coordinator's study if it is
 * missing (a vault set up before it was always kept); nothing on a duo's. */
gboolean    vw_study_keep_own_recipient (VwVault     *vault,
                                         const char  *study,
                                         GError     **error);
GStrv       vw_study_list_recipients    (VwVault     *vault,
                                         const char  *study,
                                         GError     **error);
/* Adds the round @label with its fieldwork window or, when @may_update and
 * the round exists, sets its window. Dates are YYYY-MM-DD or %NULL; an end
 * before the start, or an existing round without @may_update, is
 * VW_STUDY_ERROR_INVALID and changes nothing. */
gboolean    vw_study_set_round          (VwVault     *vault,
                                         const char  *study,
                                         const char  *label,
                                         const char  *fieldwork_start,
                                         const char  *fieldwork_end,
                                         gboolean     may_update,
                                         GError     **error);

/* This laptop's public keys exactly as `veldwerk-cli keys` prints them:
 * "recipient: age1...\nsigning-key: ed25519:...\nfingerprint: 12345 ...\n",
 * the text a duo sends to the coordinator. */
char       *vw_study_format_own_keys    (VwVault     *vault,
                                         GError     **error);
/* Reads that text back (the first "recipient:" and "signing-key:" lines);
 * either key missing or not a valid public key, or a "fingerprint:" line
 * of another key, is VW_STUDY_ERROR_INVALID, with the line named and the
 * value never quoted. vw_study_add_device() checks the keys again. */
gboolean    vw_study_parse_keys_text    (const char  *text,
                                         char       **recipient,
                                         char       **signing_key,
                                         GError     **error);

/* Parses "age1..." and "ed25519:<base64>" as `veldwerk-cli keys` prints
 * them. */
gboolean    vw_study_parse_device_keys  (const char  *recipient,
                                         const char  *signing_key,
                                         guint8       x25519_public[32],
                                         guint8       ed25519_public[32],
                                         GError     **error);
/* Enrols another laptop in @study (see vw-study-devices.c): refused when
 * the label (case and spacing folded) is already used in the study, or
 * either key is already enrolled in it (or is this laptop's own), with a
 * message naming that enrolment.
 *
 * Returns: (transfer full): the new device's id */
char       *vw_study_add_device         (VwVault     *vault,
                                         const char  *study,
                                         const char  *label,
                                         const char  *recipient,
                                         const char  *signing_key,
                                         GError     **error);
/* A laptop of @study (never this one) by its id, its fingerprint (spaces
 * and dashes ignored), or its label (case and spacing folded) when that
 * names exactly one: several are VW_STUDY_ERROR_AMBIGUOUS. */
VwDevice   *vw_study_find_device        (VwVault     *vault,
                                         const char  *study,
                                         const char  *device,
                                         GError     **error);
/* Every other laptop recorded for @study (the coordinators' too, on a
 * duo's laptop), revoked ones included, in the order they were added. */
GPtrArray  *vw_study_list_devices       (VwVault     *vault,
                                         const char  *study,
                                         GError     **error);
/* The fingerprint of @device's signing key (vw-fingerprint.h). */
char       *vw_study_device_fingerprint (const VwDevice *device);
/* Revokes the laptop vw_study_find_device() finds for @device: from then
 * on every bundle it signed is refused, whatever date it carries (a
 * bundle's creation time is its sender's claim), except one accepted by
 * name with vw_study_accept_revoked_bundle(). A laptop revoked already
 * stays as it is: *@already_revoked says so. */
VwDevice   *vw_study_revoke_device      (VwVault     *vault,
                                         const char  *study,
                                         const char  *device,
                                         gboolean    *already_revoked,
                                         GError     **error);
/* The coordinator's explicit exception to a revocation: finds the bundle
 * @bundle_id among @paths, checks (every check of vw_bundle_open()) that
 * it is signed by a revoked laptop of @study, and records in the audit
 * trail that exactly this bundle (id, signer, content hash) is accepted;
 * vw_study_open_bundle() then lets this one bundle of that laptop through
 * and no other. Call it in the transaction of the merge that follows, so
 * a failed merge leaves no acceptance behind.
 *
 * Returns: (transfer full): the revoked laptop, or %NULL */
VwDevice   *vw_study_accept_revoked_bundle (VwVault            *vault,
                                            const char         *study,
                                            const char * const *paths,
                                            const char         *bundle_id,
                                            GError            **error);

/* The other duos' laptops of @study this laptop knows (added with their
 * keys, never revoked): where a handover can go. The coordinators'
 * laptops, whose keys the invitation brought, are left out. */
GPtrArray  *vw_study_list_duo_devices   (VwVault     *vault,
                                         const char  *study,
                                         GError     **error);

gboolean    vw_study_write_invitation   (VwVault     *vault,
                                         const char  *study,
                                         const char  *device,
                                         const char  *path,
                                         GError     **error);
/* Opens the invitation at @path and joins its study, only when
 * @confirmation (the coordinator's fingerprint, spaces and dashes ignored,
 * or signing key ed25519:...) names the key that signed it: without one
 * VW_STUDY_ERROR_UNCONFIRMED, another key's VW_STUDY_ERROR_MISMATCH, and
 * the vault is unchanged. vw-invitation.h has the two steps apart, to show
 * the invitation before joining. */
char       *vw_study_join               (VwVault     *vault,
                                         const char  *path,
                                         const char  *confirmation,
                                         GError     **error);

/* This laptop's age identity, for vw_bundle_open(). */
GPtrArray  *vw_study_own_identities     (VwVault     *vault,
                                         GError     **error);
/* A VwBundleTrustFunc: @user_data is the VwVault. Trusted means a device
 * recorded for the study (or for every study), trusted, never revoked. The
 * one bundle of a revoked laptop the coordinator accepted by name passes
 * vw_study_open_bundle() only, which knows which bundle it is. */
gboolean    vw_study_trust_func         (const char   *study_id,
                                         const guint8 *signer_public_key,
                                         gpointer      user_data);
/* Whether @signer (an Ed25519 public key) is a coordinator of @study on
 * this laptop: a device of the study whose age recipient is one the
 * study's submissions go to. Only a coordinator plans rounds, so a round
 * preparation signed by anyone else (another duo this laptop trusts for
 * handovers) is refused. */
gboolean    vw_study_is_coordinator_key (VwVault      *vault,
                                         const char   *study,
                                         const guint8 *signer,
                                         GError      **error);
/* Opens a bundle addressed to this laptop with the checks of vw-bundle.h,
 * the trust of this vault and a spool directory beside the vault. A bundle
 * from a laptop this one does not trust is refused with a message naming
 * the laptop, its fingerprint, and for a revoked one when it was revoked
 * and the bundle's id. */
VwBundle   *vw_study_open_bundle        (VwVault      *vault,
                                         const char   *path,
                                         VwBundleKind  kind,
                                         const char   *study,
                                         GError      **error);

/* Duplicate detection without identities: a keyed BLAKE2b hash (the
 * study's linkage key) of the folded name and the birth date. */
char       *vw_study_linkage_hash       (VwVault     *vault,
                                         const char  *study,
                                         const char  *name,
                                         const char  *birth_date,
                                         GError     **error);
gboolean    vw_vault_set_linkage_identity (VwVault     *vault,
                                           const char  *study,
                                           const char  *code,
                                           const char  *name,
                                           const char  *birth_date,
                                           GError     **error);
char       *vw_vault_get_linkage_hash   (VwVault     *vault,
                                         const char  *study,
                                         const char  *code,
                                         GError     **error);
char       *vw_vault_get_linkage_filter (VwVault     *vault,
                                         const char  *study,
                                         const char  *code,
                                         GError     **error);

G_END_DECLS
