/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "vw-recovery-code.h"
#include "vw-vault.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Odd weights are invertible modulo 32, so any single wrong character
 * changes the check; the group number in it catches swapped groups. */
static guint
group_check (guint         group,
             const guint8 *values)
{
  return (values[0] + 3 * values[1] + 5 * values[2] + 7 * values[3] + 7 * group + 3) % 32;
}

static int
crockford_value (char c)
{
  c = g_ascii_toupper (c);
  if (c == 'I' || c == 'L')
    c = '1';
  else if (c == 'O')
    c = '0';
  for (int i = 0; i < 32; i++)
    if (crockford[i] == c)
      return i;
  return -1;
}

/**
 * vw_recovery_code_generate:
 *
 * Returns: (transfer full): a new code, formatted for writing down
 * ("ABCD5-..."), NUL-terminated; the length excludes the NUL
 */
VwSecret *
vw_recovery_code_generate (void)
{
  const gsize text_len = VW_RECOVERY_CODE_GROUPS * (VW_RECOVERY_CODE_GROUP_LEN + 1) - 1;
  g_autoptr(VwSecret) code = vw_secret_new (text_len + 1);
  char *text = (char *) vw_secret_data (code);
  gsize pos = 0;

  for (guint g = 0; g < VW_RECOVERY_CODE_GROUPS; g++)
    {
      guint8 values[4];

      if (g > 0)
        text[pos++] = '-';
      for (int i = 0; i < 4; i++)
        {
          values[i] = randombytes_uniform (32);
          text[pos++] = crockford[values[i]];
        }
      text[pos++] = crockford[group_check (g, values)];
      sodium_memzero (values, sizeof values);
    }
  vw_secret_truncate (code, text_len);

  return g_steal_pointer (&code);
}

/**
 * vw_recovery_code_parse:
 * @input: what the user typed
 *
 * Returns: (transfer full): the VW_RECOVERY_CODE_DATA_LEN random
 * characters in canonical form, or %NULL with
 * VW_VAULT_ERROR_INVALID_RECOVERY_CODE naming the group with a typo
 */
VwSecret *
vw_recovery_code_parse (const VwSecret  *input,
                        GError         **error)
{
  const gsize total = VW_RECOVERY_CODE_GROUPS * VW_RECOVERY_CODE_GROUP_LEN;
  g_autoptr(VwSecret) values = vw_secret_new (total);
  g_autoptr(VwSecret) data = vw_secret_new (VW_RECOVERY_CODE_DATA_LEN);
  const char *text = (const char *) vw_secret_const_data (input);
  gsize n = 0;

  for (gsize i = 0; i < vw_secret_len (input); i++)
    {
      int v;

      if (text[i] == ' ' || text[i] == '-' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')
        continue;
      v = crockford_value (text[i]);
      if (v < 0)
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID_RECOVERY_CODE,
                       _("Group %u of the recovery code has a character that cannot be in it"),
                       (guint) (n / VW_RECOVERY_CODE_GROUP_LEN) + 1);
          return NULL;
        }
      if (n < total)
        vw_secret_data (values)[n] = v;
      n++;
    }

  if (n != total)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID_RECOVERY_CODE,
                   _("A recovery code has %u letters and digits in %u groups; this one has %u"),
                   (guint) total, VW_RECOVERY_CODE_GROUPS, (guint) n);
      return NULL;
    }

  for (guint g = 0; g < VW_RECOVERY_CODE_GROUPS; g++)
    {
      const guint8 *group = vw_secret_const_data (values) + g * VW_RECOVERY_CODE_GROUP_LEN;

      if (group_check (g, group) != group[4])
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID_RECOVERY_CODE,
                       _("Group %u of the recovery code has a typo: check it against the paper"),
                       g + 1);
          return NULL;
        }
      for (int i = 0; i < 4; i++)
        vw_secret_data (data)[g * 4 + i] = crockford[group[i]];
    }

  return g_steal_pointer (&data);
}
