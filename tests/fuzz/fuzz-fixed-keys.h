/* Fixed keys of the fuzz targets, so that their seeds (made by
 * make-fuzz-seeds.c with the same keys) open, verify and get past every
 * check a fuzzer could not forge by itself. Test keys: never use them
 * for anything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sodium.h>

#include "vw-core.h"

/* The identity of the age test vectors (tests/vectors/age). */
#define FUZZ_IDENTITY "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"

/* The study id a harness uses when the input names no valid one. */
#define FUZZ_STUDY "fuzz-study"

/* The Ed25519 key that signs bundles and invitations in the harnesses. */
static inline VwSecret *
fuzz_signing_key (guint8 public_key[VW_BUNDLE_PUBLIC_KEY_SIZE])
{
  static const guint8 seed[crypto_sign_SEEDBYTES] = "veldwerk fuzz test signing key!";
  VwSecret *key = vw_secret_new (crypto_sign_SECRETKEYBYTES);

  crypto_sign_seed_keypair (public_key, vw_secret_data (key), seed);
  return key;
}

static inline GPtrArray *
fuzz_identities (void)
{
  GPtrArray *identities = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_identity_free);
  VwAgeIdentity *identity = vw_age_identity_parse (FUZZ_IDENTITY, NULL);

  g_assert (identity != NULL);
  g_ptr_array_add (identities, identity);
  return identities;
}

static inline GPtrArray *
fuzz_recipients (void)
{
  GPtrArray *recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_parse (FUZZ_IDENTITY, NULL);

  g_ptr_array_add (recipients, vw_age_identity_to_recipient (identity));
  return recipients;
}
