/* vw-package.h: signed anonymized-export packages.
 *
 * The export's manifest.json lists every file of the package with its
 * size and SHA-256 and names the study, its regions, the codebook, the
 * rule set and the disclosure control; manifest.sig holds an Ed25519
 * signature of manifest.json by the exporting laptop. Opening a package
 * (a folder, or an age file holding a tar of one folder) checks, in
 * order, that it can be read, the signature, that the signer is trusted,
 * the manifest, and every file against it; a package that fails any check
 * hands nothing to the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vw-secret.h"
#include "vw-trajectory.h"

G_BEGIN_DECLS

#define VW_PACKAGE_ERROR (vw_package_error_quark ())

typedef enum {
  VW_PACKAGE_ERROR_READ,       /* the folder or file cannot be read, or decrypted */
  VW_PACKAGE_ERROR_FORMAT,     /* not a package this version reads: tar, manifest, names, sizes */
  VW_PACKAGE_ERROR_UNSIGNED,   /* no manifest.sig: made before packages were signed */
  VW_PACKAGE_ERROR_SIGNATURE,  /* the signature does not verify: the manifest was changed or forged */
  VW_PACKAGE_ERROR_UNTRUSTED,  /* signed by a key that is not in the trust list */
  VW_PACKAGE_ERROR_CHANGED,    /* a file is not what the manifest signed */
  VW_PACKAGE_ERROR_MISSING,    /* a file the manifest lists is absent */
  VW_PACKAGE_ERROR_EXTRA,      /* a file the manifest does not list */
  VW_PACKAGE_ERROR_TRUST_FILE, /* a line of a trust file that is not a signing key */
} VwPackageError;

GQuark vw_package_error_quark (void);

#define VW_PACKAGE_FORMAT_NAME    "veldwerk-anonymized-export"
#define VW_PACKAGE_FORMAT_VERSION 2
#define VW_PACKAGE_MANIFEST       "manifest.json"
#define VW_PACKAGE_SIGNATURE      "manifest.sig"
/* The largest manifest and signature read; an export's manifest is a few
 * KiB. */
#define VW_PACKAGE_MAX_MANIFEST   (1024 * 1024)
#define VW_PACKAGE_MAX_FILES      64

/* The signature file of @manifest (the exact bytes of manifest.json). */
GBytes   *vw_package_sign_manifest  (GBytes          *manifest,
                                     const VwSecret  *signing_key,
                                     GError         **error);
/* "ed25519:" and the base64 of @public_key, as `veldwerk-cli keys` prints it. */
char     *vw_package_format_key     (const guint8    *public_key);

/* The signing keys whose packages are believed, with a label each. */
typedef struct _VwTrustList VwTrustList;

VwTrustList *vw_trust_list_new       (void);
void         vw_trust_list_free      (VwTrustList  *self);
gboolean     vw_trust_list_add_key   (VwTrustList  *self,
                                      const char   *key,
                                      const char   *label,
                                      GError      **error);
/* Lines "ed25519:KEY [label]", or a `veldwerk-cli keys` file
 * ("signing-key: ed25519:KEY", whose "recipient:" line is passed over);
 * blank lines and lines starting with # are passed over. @name names the
 * text in messages and is the label of keys without one. */
gboolean     vw_trust_list_add_text  (VwTrustList  *self,
                                      const char   *name,
                                      const char   *text,
                                      GError      **error);
gboolean     vw_trust_list_load      (VwTrustList  *self,
                                      const char   *path,
                                      GError      **error);
guint        vw_trust_list_get_n_keys (VwTrustList *self);
/* Returns: (nullable): the label of a trusted @public_key */
const char  *vw_trust_list_lookup    (VwTrustList  *self,
                                      const guint8 *public_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwTrustList, vw_trust_list_free)

typedef struct
{
  char    *name;
  guint64  size;
  char     sha256[65];
} VwPackageFile;

/* What a signed manifest says; every field is checked when it is parsed. */
typedef struct
{
  int                 format_version;
  char               *app_version;
  char               *created;
  char               *study_id;
  char               *study_name;
  GStrv               regions;         /* the study's regions, at least one */
  char               *codebook_id;
  char               *codebook_version;
  GStrv               questionnaires;  /* "id version" */
  VwRuleSet           rules;
  VwTrajectoryParams  params;
  char               *age_scheme;      /* "dh" or "gv" */
  char               *label_language;
  gboolean            include_quotes;
  guint               k;
  GStrv               quasi;
  char               *rare;            /* "generalize" or "suppress" */
  guint               participants;
  guint               released;
  guint               generalized;
  guint               suppressed;
  guint               groups;
  guint               smallest_group;
  guint8              signer[32];
  GPtrArray          *files;           /* VwPackageFile*, without the manifest and signature */
} VwPackageManifest;

VwPackageManifest *vw_package_manifest_parse (const char        *data,
                                              gsize              len,
                                              GError           **error);
void               vw_package_manifest_free  (VwPackageManifest *manifest);
const VwPackageFile *vw_package_manifest_find (const VwPackageManifest *manifest,
                                               const char              *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwPackageManifest, vw_package_manifest_free)

typedef struct _VwPackage VwPackage;

/* Opens a package folder, or an age file (with @identities) holding a tar
 * of one; every check above passed, or NULL with @error naming the
 * package and the reason. Only the two CSV tables are kept in memory. */
VwPackage   *vw_package_open          (const char        *path,
                                       GPtrArray         *identities,
                                       VwTrustList       *trust,
                                       GCancellable      *cancellable,
                                       GError           **error);
/* The same for a tar stream (the plaintext of an age package). */
VwPackage   *vw_package_open_tar      (GInputStream      *tar,
                                       const char        *name,
                                       VwTrustList       *trust,
                                       GCancellable      *cancellable,
                                       GError           **error);
void         vw_package_free          (VwPackage         *self);
const char  *vw_package_get_name      (VwPackage         *self);
const VwPackageManifest *vw_package_get_manifest (VwPackage *self);
/* SHA-256 of manifest.json: names this very package. */
const char  *vw_package_get_manifest_sha256 (VwPackage   *self);
const char  *vw_package_get_signer_label    (VwPackage   *self);
/* Returns: (nullable): trajectories_long.csv or trajectories_wide.csv */
GBytes      *vw_package_get_file      (VwPackage         *self,
                                       const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwPackage, vw_package_free)

G_END_DECLS
