/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "vw-age.h"
#include "vw-bech32.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static guint32
polymod_step (guint32 chk,
              guint8  value)
{
  static const guint32 gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
  guint32 top = chk >> 25;

  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (guint i = 0; i < 5; i++)
    if ((top >> i) & 1)
      chk ^= gen[i];

  return chk;
}

/* The checksum always covers the lowercase form of the HRP. */
static guint32
polymod_hrp (const char *hrp,
             gsize       hrp_len)
{
  guint32 chk = 1;

  for (gsize i = 0; i < hrp_len; i++)
    chk = polymod_step (chk, g_ascii_tolower (hrp[i]) >> 5);
  chk = polymod_step (chk, 0);
  for (gsize i = 0; i < hrp_len; i++)
    chk = polymod_step (chk, g_ascii_tolower (hrp[i]) & 31);

  return chk;
}

/**
 * vw_bech32_encoded_size:
 *
 * Returns: the buffer size vw_bech32_encode() needs, with the final NUL.
 */
gsize
vw_bech32_encoded_size (gsize hrp_len,
                        gsize data_len)
{
  return hrp_len + 1 + (data_len * 8 + 4) / 5 + 6 + 1;
}

/**
 * vw_bech32_encode:
 * @out: (out caller-allocates): at least vw_bech32_encoded_size() bytes;
 *   the caller chooses where, so a secret key can be encoded straight
 *   into secure memory
 *
 * Returns: %FALSE if @hrp is not valid or @out is too small
 */
gboolean
vw_bech32_encode (const char   *hrp,
                  const guint8 *data,
                  gsize         data_len,
                  gboolean      uppercase,
                  char         *out,
                  gsize         out_size)
{
  gsize hrp_len = strlen (hrp);
  guint32 chk, acc = 0;
  guint bits = 0;
  gsize pos = 0;

  g_return_val_if_fail (out_size >= vw_bech32_encoded_size (hrp_len, data_len), FALSE);
  if (hrp_len == 0)
    return FALSE;
  for (gsize i = 0; i < hrp_len; i++)
    if (hrp[i] < 33 || hrp[i] > 126)
      return FALSE;

  chk = polymod_hrp (hrp, hrp_len);
  for (gsize i = 0; i < hrp_len; i++)
    out[pos++] = uppercase ? g_ascii_toupper (hrp[i]) : g_ascii_tolower (hrp[i]);
  out[pos++] = '1';

  /* 8-bit bytes to 5-bit groups, the last one padded with zero bits. */
  for (gsize i = 0; i <= data_len; i++)
    {
      if (i < data_len)
        {
          acc = (acc << 8) | data[i];
          bits += 8;
        }
      else if (bits > 0)
        {
          acc <<= 5 - bits;
          bits = 5;
        }
      while (bits >= 5)
        {
          guint8 value = (acc >> (bits - 5)) & 31;

          bits -= 5;
          chk = polymod_step (chk, value);
          out[pos++] = charset[value];
        }
    }

  for (guint i = 0; i < 6; i++)
    chk = polymod_step (chk, 0);
  chk ^= 1;
  for (guint i = 0; i < 6; i++)
    out[pos++] = charset[(chk >> (5 * (5 - i))) & 31];
  out[pos] = '\0';

  if (uppercase)
    for (gsize i = hrp_len + 1; i < pos; i++)
      out[i] = g_ascii_toupper (out[i]);

  /* A plain "acc = 0" before returning is a dead store the compiler may
   * drop; the accumulator held bits of a secret key. */
  sodium_memzero (&acc, sizeof acc);
  return TRUE;
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, VW_AGE_ERROR, VW_AGE_ERROR_INVALID_KEY, message);
  return FALSE;
}

/* Fails once data has been decoded: the partial key and the accumulator
 * are wiped first. */
static gboolean
fail_wiped (guint8      *data,
            gsize        data_size,
            guint32     *acc,
            GError     **error,
            const char  *message)
{
  sodium_memzero (data, data_size);
  sodium_memzero (acc, sizeof *acc);
  return fail (error, message);
}

/**
 * vw_bech32_decode:
 * @max_length: the longest string accepted, or 0 for no limit
 * @hrp: (out) (optional): the human-readable part as written (its case
 *   kept, so a caller can insist on upper or lower case)
 * @data: (out caller-allocates): the decoded bytes
 *
 * Decodes strictly: one case throughout, a valid checksum, and padding
 * bits that are zero. Error messages never quote @text, which may be a
 * secret key.
 */
gboolean
vw_bech32_decode (const char  *text,
                  gsize        max_length,
                  char       **hrp,
                  guint8      *data,
                  gsize        data_size,
                  gsize       *data_len,
                  GError     **error)
{
  gsize len = strlen (text);
  gboolean has_lower = FALSE, has_upper = FALSE;
  const char *sep = strrchr (text, '1');
  gsize hrp_len, out = 0;
  guint32 chk, acc = 0;
  guint bits = 0;

  if (max_length > 0 && len > max_length)
    return fail (error, _("the key is too long"));

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] < 33 || text[i] > 126)
        return fail (error, _("the key contains a character that is not allowed"));
      has_lower |= g_ascii_islower (text[i]);
      has_upper |= g_ascii_isupper (text[i]);
    }
  if (has_lower && has_upper)
    return fail (error, _("the key mixes upper and lower case"));
  if (sep == NULL || sep == text)
    return fail (error, _("the key has no prefix"));
  hrp_len = sep - text;
  if (len - hrp_len - 1 < 6)
    return fail (error, _("the key is too short"));

  chk = polymod_hrp (text, hrp_len);
  for (gsize i = hrp_len + 1; i < len; i++)
    {
      const char *p = strchr (charset, g_ascii_tolower (text[i]));
      guint8 value;

      if (p == NULL || *p == '\0')
        return fail_wiped (data, data_size, &acc, error,
                           _("the key contains a character that is not allowed"));
      value = p - charset;
      chk = polymod_step (chk, value);

      /* Everything but the six checksum characters is data. */
      if (i < len - 6)
        {
          acc = (acc << 5) | value;
          bits += 5;
          if (bits >= 8)
            {
              bits -= 8;
              if (out >= data_size)
                return fail_wiped (data, data_size, &acc, error, _("the key is too long"));
              data[out++] = (acc >> bits) & 0xff;
            }
        }
    }

  if (chk != 1)
    return fail_wiped (data, data_size, &acc, error,
                       _("the key has a wrong checksum: it was probably mistyped"));
  if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
    return fail_wiped (data, data_size, &acc, error, _("the key is not encoded canonically"));

  sodium_memzero (&acc, sizeof acc);
  if (hrp != NULL)
    *hrp = g_strndup (text, hrp_len);
  *data_len = out;
  return TRUE;
}
