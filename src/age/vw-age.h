/* vw-age.h: the age v1 file format (age-encryption.org/v1, C2SP age.md),
 * built on libsodium only: X25519 and scrypt recipients, the header MAC,
 * the STREAM payload and the optional ASCII armor.
 *
 * Every file that leaves a laptop is an age file, so that it can still be
 * opened with the standard `age` tool when this application is long gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vw-secret.h"

G_BEGIN_DECLS

#define VW_AGE_ERROR (vw_age_error_quark ())

/* The failure kinds of the age test suite, kept apart so that a caller can
 * tell "not for you" from "damaged" from "tampered with". */
typedef enum {
  VW_AGE_ERROR_HEADER,      /* the header does not parse: not an age file, or damaged */
  VW_AGE_ERROR_NO_MATCH,    /* no identity or passphrase opens any stanza */
  VW_AGE_ERROR_HMAC,        /* the header MAC is wrong: the header was changed */
  VW_AGE_ERROR_PAYLOAD,     /* a payload chunk failed, or the file is truncated */
  VW_AGE_ERROR_ARMOR,       /* the ASCII armor is not strict PEM */
  VW_AGE_ERROR_INVALID_KEY, /* a recipient, identity or passphrase that cannot be used */
} VwAgeError;

GQuark vw_age_error_quark (void);

/* The scrypt work factor (log2 N) we write, and the largest we accept, as
 * the age command does. */
#define VW_AGE_SCRYPT_DEFAULT_WORK_FACTOR 18
#define VW_AGE_SCRYPT_MAX_WORK_FACTOR     22

#define VW_AGE_FILE_KEY_SIZE 16
#define VW_AGE_CHUNK_SIZE    65536

typedef enum {
  VW_AGE_ARMOR_AUTO,     /* armored if the file starts with whitespace or "-" */
  VW_AGE_ARMOR_NONE,     /* binary only */
  VW_AGE_ARMOR_REQUIRED, /* armored only */
} VwAgeArmor;

/* Recipients (public) and identities (secret). Identities keep their key or
 * passphrase in secure memory. */
typedef struct _VwAgeRecipient VwAgeRecipient;
typedef struct _VwAgeIdentity  VwAgeIdentity;

gboolean        vw_age_text_is_identity           (const char          *text);
char           *vw_age_redact_identities          (const char          *text);

VwAgeRecipient *vw_age_recipient_parse            (const char          *text,
                                                   GError             **error);
VwAgeRecipient *vw_age_recipient_new_x25519       (const guint8         public_key[32]);
gboolean        vw_age_recipient_get_x25519       (const VwAgeRecipient *recipient,
                                                   guint8               public_key[32]);
VwAgeRecipient *vw_age_recipient_new_passphrase   (const VwSecret      *passphrase,
                                                   guint                work_factor);
VwAgeRecipient *vw_age_recipient_copy             (const VwAgeRecipient *recipient);
void            vw_age_recipient_free             (VwAgeRecipient      *recipient);
gboolean        vw_age_recipient_is_passphrase    (const VwAgeRecipient *recipient);
char           *vw_age_recipient_to_string        (const VwAgeRecipient *recipient);
GPtrArray      *vw_age_recipients_from_file       (const char          *path,
                                                   GError             **error);

VwAgeIdentity  *vw_age_identity_generate          (void);
VwAgeIdentity  *vw_age_identity_parse             (const char          *text,
                                                   GError             **error);
VwAgeIdentity  *vw_age_identity_new_x25519        (const VwSecret      *secret,
                                                   GError             **error);
VwAgeIdentity  *vw_age_identity_new_passphrase    (const VwSecret      *passphrase);
void            vw_age_identity_free              (VwAgeIdentity       *identity);
VwSecret       *vw_age_identity_to_string         (const VwAgeIdentity *identity);
VwAgeRecipient *vw_age_identity_to_recipient      (const VwAgeIdentity *identity);
GPtrArray      *vw_age_identities_from_file       (const char          *path,
                                                   GError             **error);
VwSecret       *vw_age_keygen_file_contents       (const VwAgeIdentity *identity,
                                                   GDateTime           *created);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAgeRecipient, vw_age_recipient_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwAgeIdentity, vw_age_identity_free)

/* Streaming encryption: a GOutputStream that encrypts what is written to
 * it into @base. Closing it writes the final chunk (and the armor's end
 * line); @base itself is left open for its owner to close. */
#define VW_TYPE_AGE_ENCRYPTOR (vw_age_encryptor_get_type ())
G_DECLARE_FINAL_TYPE (VwAgeEncryptor, vw_age_encryptor, VW, AGE_ENCRYPTOR, GOutputStream)

VwAgeEncryptor *vw_age_encryptor_new              (GOutputStream       *base,
                                                   GPtrArray           *recipients,
                                                   gboolean             armor,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
gboolean        vw_age_encryptor_write_from       (VwAgeEncryptor      *self,
                                                   GInputStream        *in,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Streaming decryption in two steps: vw_age_decryptor_new() reads and
 * checks the header; vw_age_decryptor_unlock() finds the file key. Then
 * the decryptor is a GInputStream of plaintext that only ever returns
 * chunks that passed authentication, and that reports end-of-file only
 * after a valid final chunk. @base is left open for its owner. */
#define VW_TYPE_AGE_DECRYPTOR (vw_age_decryptor_get_type ())
G_DECLARE_FINAL_TYPE (VwAgeDecryptor, vw_age_decryptor, VW, AGE_DECRYPTOR, GInputStream)

VwAgeDecryptor *vw_age_decryptor_new              (GInputStream        *base,
                                                   VwAgeArmor           armor,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
gboolean        vw_age_decryptor_needs_passphrase (VwAgeDecryptor      *self);
gboolean        vw_age_decryptor_unlock           (VwAgeDecryptor      *self,
                                                   GPtrArray           *identities,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

gboolean        vw_age_decryptor_copy             (VwAgeDecryptor      *self,
                                                   GOutputStream       *out,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Whole streams at once. */
gboolean        vw_age_encrypt                    (GInputStream        *in,
                                                   GOutputStream       *out,
                                                   GPtrArray           *recipients,
                                                   gboolean             armor,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
gboolean        vw_age_decrypt                    (GInputStream        *in,
                                                   GOutputStream       *out,
                                                   GPtrArray           *identities,
                                                   VwAgeArmor           armor,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS
