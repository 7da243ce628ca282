/* vw-fingerprint.h: a signing key as a person reads it out.
 *
 * A laptop's Ed25519 signing key decides whose bundles are believed, and a
 * duo must know that an invitation comes from their coordinator. The key
 * itself (ed25519: and 44 base64 characters) is hard to read out or
 * compare, so people compare its fingerprint instead: 30 digits in six
 * groups of five, like Signal's safety numbers, "05142 88310 ...".
 *
 * Derivation (version 1): h = SHA-512 ("veldwerk-fingerprint-1\0" || key),
 * then 5199 times h = SHA-512 (h || key); group i (0..5) is the big-endian
 * 40-bit number in bytes 5i..5i+4 of h, modulo 100000, as five digits.
 *
 * Strength: 6 x log2 (100000) = 99.7 bits. To pass as the coordinator, an
 * attacker needs a key pair of their own whose fingerprint equals the
 * coordinator's (a targeted second preimage): about 2^99.7 key pairs,
 * each costing 5200 SHA-512 runs (about 2^12.3 more), so about 2^112 hash
 * computations; against the few coordinators of the study at once, a
 * few bits less. That is far beyond any attacker of this study (the whole
 * Bitcoin network computes about 2^94 hashes a year). 20 digits (66 bits,
 * 78 with the iterations) would be within reach of a large budget; 30
 * digits still take about fifteen seconds to read out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VW_FINGERPRINT_DIGITS 30
#define VW_FINGERPRINT_GROUPS 6
#define VW_FINGERPRINT_ITERATIONS 5200

/* "12345 67890 12345 67890 12345 67890" for a 32-byte Ed25519 public key. */
char     *vw_fingerprint_of_key      (const guint8  ed25519_public[32]);
/* The same for "ed25519:<base64>" as `veldwerk-cli keys` prints it. */
char     *vw_fingerprint_of_key_text (const char   *signing_key,
                                      GError      **error);
/* The 30 digits of @text, which may hold spaces and dashes between them
 * (as a person types what was read out); anything else, or another count
 * of digits, is an error saying what is wrong. */
char     *vw_fingerprint_normalize   (const char   *text,
                                      GError      **error);
/* Whether @text names the key @ed25519_public: either its fingerprint
 * (spaces and dashes ignored) or the key itself (ed25519:...). A text that
 * is neither is an error; a mismatch is FALSE without one. */
gboolean  vw_fingerprint_check       (const guint8  ed25519_public[32],
                                      const char   *text,
                                      gboolean     *matches,
                                      GError      **error);

G_END_DECLS
