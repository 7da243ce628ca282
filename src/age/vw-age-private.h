/* vw-age-private.h: the pieces of the age implementation that the other
 * vw-age*.c files share, and that the known-answer tests call directly.
 * Not for use outside src/core and tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (VW_AGE_COMPILATION)
#error "vw-age-private.h is internal to the age library (src/age); include vw-age.h"
#endif

#include "vw-age.h"

G_BEGIN_DECLS

#define VW_AGE_TAG_SIZE       16
#define VW_AGE_ENC_CHUNK_SIZE (VW_AGE_CHUNK_SIZE + VW_AGE_TAG_SIZE)
#define VW_AGE_NONCE_SIZE     16
#define VW_AGE_MAC_SIZE       32
#define VW_AGE_VERSION_LINE   "age-encryption.org/v1"
#define VW_AGE_ARMOR_BEGIN    "-----BEGIN AGE ENCRYPTED FILE-----"
#define VW_AGE_ARMOR_END      "-----END AGE ENCRYPTED FILE-----"

typedef enum {
  VW_AGE_KEY_X25519,
  VW_AGE_KEY_SCRYPT,
} VwAgeKeyType;

struct _VwAgeRecipient
{
  VwAgeKeyType  type;
  guint8        public_key[32]; /* X25519 */
  VwSecret     *passphrase;     /* scrypt: owned */
  guint         work_factor;    /* scrypt: log2 N */
};

struct _VwAgeIdentity
{
  VwAgeKeyType  type;
  VwSecret     *secret;         /* owned: the X25519 scalar or the passphrase */
  guint8        public_key[32]; /* X25519: derived from secret */
};

/* One recipient stanza: "-> type args..." and its body. */
typedef struct
{
  GStrv   args;     /* owned; args[0] is the stanza type */
  guint8 *body;     /* owned */
  gsize   body_len;
} VwAgeStanza;

gboolean     vw_age_fail                  (GError            **error,
                                           VwAgeError          code,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (3, 4);

void         vw_age_stanza_free           (VwAgeStanza        *stanza);
VwAgeStanza *vw_age_stanza_new            (GStrv               args,
                                           const guint8       *body,
                                           gsize               body_len);

/* Strict unpadded base64 of the header: canonical, no "=". */
char        *vw_age_base64_encode         (const guint8       *data,
                                           gsize               len);
gboolean     vw_age_base64_is_alphabet    (const char         *text,
                                           gsize               len,
                                           gboolean            padding);
gboolean     vw_age_base64_decode         (const char         *text,
                                           gsize               text_len,
                                           guint8             *out,
                                           gsize               out_size,
                                           gsize              *out_len);

/* Header: parse one "-> " line, check the stanzas of the types we know,
 * serialize a header with its MAC, and compute a MAC. */
GStrv        vw_age_parse_arguments       (const char         *line,
                                           gsize               len);
gboolean     vw_age_validate_stanzas      (GPtrArray          *stanzas,
                                           GError            **error);
GByteArray  *vw_age_header_serialize      (GPtrArray          *stanzas,
                                           const VwSecret     *file_key);
void         vw_age_header_mac            (const VwSecret     *file_key,
                                           const guint8       *header,
                                           gsize               header_len,
                                           guint8              mac[VW_AGE_MAC_SIZE]);

/* STREAM: the payload key and the per-chunk nonce. */
VwSecret    *vw_age_payload_key           (const VwSecret     *file_key,
                                           const guint8        nonce[VW_AGE_NONCE_SIZE]);
void         vw_age_stream_nonce          (guint64             counter,
                                           gboolean            last,
                                           guint8              nonce[12]);
gboolean     vw_age_seal_stream           (GInputStream       *in,
                                           GOutputStream      *dest,
                                           const guint8       *key,
                                           guint64            *counter,
                                           guint8             *pending,
                                           gsize              *pending_len,
                                           GCancellable       *cancellable,
                                           GError            **error);

gboolean     vw_age_open_stream           (GInputStream       *src,
                                           GOutputStream      *out,
                                           const guint8       *key,
                                           guint64            *counter,
                                           guint8             *tail,
                                           gsize              *tail_len,
                                           gboolean           *eof,
                                           GError            **src_error,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* Stanzas of the native recipient types. */
VwAgeStanza *vw_age_recipient_wrap        (const VwAgeRecipient *recipient,
                                           const VwSecret     *file_key,
                                           GError            **error);
VwAgeStanza *vw_age_x25519_wrap_with      (const guint8        recipient[32],
                                           const guint8        ephemeral_secret[32],
                                           const VwSecret     *file_key,
                                           GError            **error);
int          vw_age_identity_unwrap       (const VwAgeIdentity *identity,
                                           const VwAgeStanza  *stanza,
                                           VwSecret          **file_key,
                                           GError            **error);

/* ASCII armor as stream filters. Neither closes @base. */
GInputStream  *vw_age_armor_reader_new    (GInputStream       *base,
                                           VwAgeArmor          mode);
GOutputStream *vw_age_armor_writer_new    (GOutputStream      *base);
void           vw_age_armor_writer_abandon (GOutputStream     *writer);

G_END_DECLS
