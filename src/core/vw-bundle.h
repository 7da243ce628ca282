/* vw-bundle.h: signed bundles, the unit of exchange between laptops.
 *
 * A bundle is an age file whose plaintext is a signed manifest followed by
 * the content (the framing is in src/core/README-bundles.md). Opening one
 * checks, in order, the decryption, the signature, the kind and study,
 * whether the signer is trusted for that study, and the content hash; a
 * bundle that fails any check hands nothing to the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vw-age.h"
#include "vw-secret.h"

G_BEGIN_DECLS

#define VW_BUNDLE_ERROR (vw_bundle_error_quark ())

typedef enum {
  VW_BUNDLE_ERROR_DECRYPT,      /* the age layer failed: damaged, cut short, not an age file */
  VW_BUNDLE_ERROR_NO_MATCH,     /* not encrypted to any of the given identities */
  VW_BUNDLE_ERROR_FORMAT,       /* decrypted, but not a bundle this version can read */
  VW_BUNDLE_ERROR_SIGNATURE,    /* the manifest's signature does not verify */
  VW_BUNDLE_ERROR_WRONG_KIND,   /* a valid bundle of another kind than expected */
  VW_BUNDLE_ERROR_WRONG_STUDY,  /* a valid bundle for another study */
  VW_BUNDLE_ERROR_UNTRUSTED,    /* signed by a device not trusted for the study */
  VW_BUNDLE_ERROR_CONTENT_HASH, /* the content is not what the manifest signed */
  VW_BUNDLE_ERROR_INVALID,      /* a bad argument when writing (study id, key) */
} VwBundleError;

GQuark vw_bundle_error_quark (void);

/* Every kind of bundle, and who sends it to whom: see the table in
 * vw-bundle.c, the one place where kinds are listed. */
typedef enum {
  VW_BUNDLE_KIND_INVITATION,
  VW_BUNDLE_KIND_SUBMISSION,
  VW_BUNDLE_KIND_ROUND_PREPARATION,
  VW_BUNDLE_KIND_HANDOVER,
  VW_BUNDLE_KIND_EXPORT,
  VW_BUNDLE_KIND_RECEIPT,
  VW_BUNDLE_N_KINDS,
} VwBundleKind;

/* For vw_bundle_open(): accept a bundle of any kind. */
#define VW_BUNDLE_KIND_ANY VW_BUNDLE_N_KINDS

typedef struct
{
  VwBundleKind  kind;
  const char   *name;     /* as written in the manifest */
  const char   *sender;   /* who makes it */
  const char   *receiver; /* who opens it */
  const char   *content;  /* what it carries */
  /* The exchange row types (vw-exchange.h) its content may hold, or NULL
   * when the content is not exchange rows. */
  const char   *rows;
} VwBundleKindInfo;

const VwBundleKindInfo *vw_bundle_kind_get_info  (VwBundleKind  kind);
gboolean                vw_bundle_kind_from_name (const char   *name,
                                                  VwBundleKind *kind);

/* Device signing keys: Ed25519, as libsodium's crypto_sign. */
#define VW_BUNDLE_PUBLIC_KEY_SIZE  32
#define VW_BUNDLE_SIGNING_KEY_SIZE 64

VwSecret *vw_bundle_signing_key_generate (guint8 public_key[VW_BUNDLE_PUBLIC_KEY_SIZE]);

/* Answers whether the device with @signer_public_key may send bundles
 * for @study_id. The vault supplies this; tests pass a list. */
typedef gboolean (*VwBundleTrustFunc) (const char   *study_id,
                                       const guint8 *signer_public_key,
                                       gpointer      user_data);

gboolean vw_bundle_write_file  (const char      *path,
                                VwBundleKind     kind,
                                const char      *study_id,
                                const VwSecret  *signing_key,
                                GPtrArray       *recipients,
                                GFile           *content,
                                char           **bundle_id,
                                GCancellable    *cancellable,
                                GError         **error);
gboolean vw_bundle_write_bytes (const char      *path,
                                VwBundleKind     kind,
                                const char      *study_id,
                                const VwSecret  *signing_key,
                                GPtrArray       *recipients,
                                GBytes          *content,
                                char           **bundle_id,
                                GCancellable    *cancellable,
                                GError         **error);

/* An opened bundle: every check passed. The content waits in a private
 * temporary file that was unlinked at once (so not even a crash leaves it
 * behind) until the bundle is freed. */
#define VW_TYPE_BUNDLE (vw_bundle_get_type ())
G_DECLARE_FINAL_TYPE (VwBundle, vw_bundle, VW, BUNDLE, GObject)

VwBundle     *vw_bundle_open               (const char        *path,
                                            GPtrArray         *identities,
                                            VwBundleKind       expected_kind,
                                            const char        *expected_study,
                                            VwBundleTrustFunc  trust,
                                            gpointer           trust_data,
                                            const char        *spool_dir,
                                            GCancellable      *cancellable,
                                            GError           **error);
VwBundle     *vw_bundle_open_stream        (GInputStream      *in,
                                            GPtrArray         *identities,
                                            VwBundleKind       expected_kind,
                                            const char        *expected_study,
                                            VwBundleTrustFunc  trust,
                                            gpointer           trust_data,
                                            const char        *spool_dir,
                                            GCancellable      *cancellable,
                                            GError           **error);

/* Decides whether the signer of @bundle may send it, with the whole signed
 * manifest at hand (the vw_bundle_get_*() of @bundle work; its content is
 * not there yet), and on FALSE says why in @error
 * (VW_BUNDLE_ERROR_UNTRUSTED): a revoked laptop, one bundle accepted by
 * name. */
typedef gboolean (*VwBundleSignerCheck) (VwBundle  *bundle,
                                         gpointer   user_data,
                                         GError   **error);

/* vw_bundle_open() with a VwBundleSignerCheck in place of the trust
 * function, run at the same step. */
VwBundle     *vw_bundle_open_checked       (const char          *path,
                                            GPtrArray           *identities,
                                            VwBundleKind         expected_kind,
                                            const char          *expected_study,
                                            VwBundleSignerCheck  check,
                                            gpointer             check_data,
                                            const char          *spool_dir,
                                            GCancellable        *cancellable,
                                            GError             **error);

VwBundleKind  vw_bundle_get_kind           (VwBundle          *self);
const char   *vw_bundle_get_study_id       (VwBundle          *self);
const guint8 *vw_bundle_get_signer         (VwBundle          *self);
GDateTime    *vw_bundle_get_created        (VwBundle          *self);
const char   *vw_bundle_get_id             (VwBundle          *self);
guint64       vw_bundle_get_content_size   (VwBundle          *self);
const char   *vw_bundle_get_content_sha256 (VwBundle          *self);
GInputStream *vw_bundle_read_content       (VwBundle          *self,
                                            GError           **error);
GBytes       *vw_bundle_load_content       (VwBundle          *self,
                                            gsize              max_size,
                                            GError           **error);
gboolean      vw_bundle_save_content       (VwBundle          *self,
                                            const char        *path,
                                            GCancellable      *cancellable,
                                            GError           **error);

G_END_DECLS
