/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vw-bech32.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static guint32
polymod (const guint8 *values,
         gsize         n)
{
  static const guint32 gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
  guint32 chk = 1;

  for (gsize i = 0; i < n; i++)
    {
      guint8 top = chk >> 25;

      chk = ((chk & 0x1ffffff) << 5) ^ values[i];
      for (int b = 0; b < 5; b++)
        if ((top >> b) & 1)
          chk ^= gen[b];
    }
  return chk;
}

/**
 * vw_bech32_encode_5bit:
 * @hrp: the human-readable part, lower case
 * @values: 5-bit values
 *
 * Returns: (transfer full): the lower-case Bech32 string
 */
char *
vw_bech32_encode_5bit (const char   *hrp,
                       const guint8 *values,
                       gsize         n_values)
{
  gsize hrp_len = strlen (hrp);
  g_autoptr(GByteArray) expanded = g_byte_array_new ();
  GString *out = g_string_new (hrp);
  guint32 chk;

  /* The checksum covers the expanded HRP, the data and six zeros. */
  for (gsize i = 0; i < hrp_len; i++)
    g_byte_array_append (expanded, (guint8[]) { (guint8) hrp[i] >> 5 }, 1);
  g_byte_array_append (expanded, (guint8[]) { 0 }, 1);
  for (gsize i = 0; i < hrp_len; i++)
    g_byte_array_append (expanded, (guint8[]) { (guint8) hrp[i] & 31 }, 1);
  g_byte_array_append (expanded, values, n_values);
  g_byte_array_append (expanded, (guint8[]) { 0, 0, 0, 0, 0, 0 }, 6);
  chk = polymod (expanded->data, expanded->len) ^ 1;

  g_string_append_c (out, '1');
  for (gsize i = 0; i < n_values; i++)
    g_string_append_c (out, charset[values[i] & 31]);
  for (int i = 0; i < 6; i++)
    g_string_append_c (out, charset[(chk >> (5 * (5 - i))) & 31]);

  return g_string_free (out, FALSE);
}

/**
 * vw_bech32_encode:
 * @data: bytes, regrouped into 5-bit values with zero padding at the end
 *
 * Returns: (transfer full): the lower-case Bech32 string
 */
char *
vw_bech32_encode (const char   *hrp,
                  const guint8 *data,
                  gsize         len)
{
  g_autoptr(GByteArray) values = g_byte_array_new ();
  guint32 acc = 0;
  int bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      acc = (acc << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_byte_array_append (values, (guint8[]) { (acc >> bits) & 31 }, 1);
        }
    }
  if (bits > 0)
    g_byte_array_append (values, (guint8[]) { (acc << (5 - bits)) & 31 }, 1);

  return vw_bech32_encode_5bit (hrp, values->data, values->len);
}
