/* vw-fingerprint.c: see vw-fingerprint.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "vw-fingerprint.h"
#include "vw-study.h"

static const char domain[] = "veldwerk-fingerprint-1";

char *
vw_fingerprint_of_key (const guint8 ed25519_public[32])
{
  guint8 hash[crypto_hash_sha512_BYTES];
  crypto_hash_sha512_state state;
  GString *out = g_string_sized_new (VW_FINGERPRINT_DIGITS + VW_FINGERPRINT_GROUPS);

  crypto_hash_sha512_init (&state);
  /* The NUL ends the label, so no key can extend it. */
  crypto_hash_sha512_update (&state, (const guint8 *) domain, sizeof domain);
  crypto_hash_sha512_update (&state, ed25519_public, 32);
  crypto_hash_sha512_final (&state, hash);
  /* Iterated, as Signal's safety numbers are, so that every guess of a
   * second-preimage search costs thousands of hashes. */
  for (guint i = 1; i < VW_FINGERPRINT_ITERATIONS; i++)
    {
      crypto_hash_sha512_init (&state);
      crypto_hash_sha512_update (&state, hash, sizeof hash);
      crypto_hash_sha512_update (&state, ed25519_public, 32);
      crypto_hash_sha512_final (&state, hash);
    }
  for (guint g = 0; g < VW_FINGERPRINT_GROUPS; g++)
    {
      guint64 v = 0;

      for (guint b = 0; b < 5; b++)
        v = (v << 8) | hash[5 * g + b];
      g_string_append_printf (out, g == 0 ? "%05u" : " %05u", (guint) (v % 100000));
    }
  return g_string_free (out, FALSE);
}

char *
vw_fingerprint_of_key_text (const char  *signing_key,
                            GError     **error)
{
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (signing_key == NULL || !g_str_has_prefix (signing_key, "ed25519:") ||
      (raw = g_base64_decode (signing_key + strlen ("ed25519:"), &len)) == NULL || len != 32)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                   _("“%s” is not a signing key (ed25519:…) as veldwerk-cli keys prints it"),
                   signing_key ? signing_key : "");
      return NULL;
    }
  return vw_fingerprint_of_key (raw);
}

char *
vw_fingerprint_normalize (const char  *text,
                          GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '-' && *p != '\t')
        {
          g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                               _("A fingerprint holds only digits, with spaces or dashes between the groups"));
          return NULL;
        }
    }
  if (digits->len != VW_FINGERPRINT_DIGITS)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                   _("A fingerprint has %d digits, this one %u"), VW_FINGERPRINT_DIGITS, (guint) digits->len);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

gboolean
vw_fingerprint_check (const guint8  ed25519_public[32],
                      const char   *text,
                      gboolean     *matches,
                      GError      **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (g_str_has_prefix (trimmed, "ed25519:"))
    {
      g_autofree guchar *raw = NULL;
      gsize len = 0;

      if ((raw = g_base64_decode (trimmed + strlen ("ed25519:"), &len)) == NULL || len != 32)
        {
          g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                       _("“%s” is not a signing key (ed25519:…) as veldwerk-cli keys prints it"), trimmed);
          return FALSE;
        }
      *matches = memcmp (raw, ed25519_public, 32) == 0;
      return TRUE;
    }
  {
    g_autofree char *given = vw_fingerprint_normalize (trimmed, error);
    g_autofree char *actual = NULL;
    g_autofree char *actual_digits = NULL;

    if (given == NULL)
      return FALSE;
    actual = vw_fingerprint_of_key (ed25519_public);
    actual_digits = vw_fingerprint_normalize (actual, NULL);
    *matches = g_strcmp0 (given, actual_digits) == 0;
    return TRUE;
  }
}
