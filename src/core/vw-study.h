/* vw-study.h: studies without a server (issue 8).
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
  VW_STUDY_ERROR_AMBIGUOUS,  /* no study named and the vault holds several */
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
gboolean    vw_study_add_recipient      (VwVault     *vault,
                                         const char  *study,
                                         const char  *recipient,
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
 * "recipient: age1...\nsigning-key: ed25519:...\n", the text a duo sends to
 * the coordinator. */
char       *vw_study_format_own_keys    (VwVault     *vault,
                                         GError     **error);
/* Reads that text back (the first "recipient:" and "signing-key:" lines);
 * either key missing or not a valid public key is VW_STUDY_ERROR_INVALID,
 * with the line named and the value never quoted. */
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
char       *vw_study_add_device         (VwVault     *vault,
                                         const char  *study,
                                         const char  *label,
                                         const char  *recipient,
                                         const char  *signing_key,
                                         GError     **error);
VwDevice   *vw_study_find_device        (VwVault     *vault,
                                         const char  *study,
                                         const char  *id_or_label,
                                         GError     **error);

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
/* @coordinator_key: (nullable): "ed25519:..." the invitation must be
 * signed with, as the coordinator read it out; without it the first
 * invitation is trusted as signed by the coordinator it names. */
char       *vw_study_join               (VwVault     *vault,
                                         const char  *path,
                                         const char  *coordinator_key,
                                         GError     **error);

/* This laptop's age identity, for vw_bundle_open(). */
GPtrArray  *vw_study_own_identities     (VwVault     *vault,
                                         GError     **error);
/* A VwBundleTrustFunc: @user_data is the VwVault. Trusted means a device
 * recorded for the study (or for every study), trusted, never revoked. */
gboolean    vw_study_trust_func         (const char   *study_id,
                                         const guint8 *signer_public_key,
                                         gpointer      user_data);
/* Opens a bundle addressed to this laptop with the checks of vw-bundle.h,
 * the trust of this vault and a spool directory beside the vault. */
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

G_END_DECLS
