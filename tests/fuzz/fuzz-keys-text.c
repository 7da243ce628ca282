/* libFuzzer target: the keys text one laptop gives another ("recipient:"
 * and "signing-key:" lines, as `veldwerk-cli keys` prints them), read by
 * vw_study_parse_keys_text(), and the two keys by
 * vw_study_parse_device_keys().
 *
 * What the text parser accepts the key parser accepts too, and a
 * refusal never quotes a secret key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "vw-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  return 0;
}

/* A refusal is an error whose message quotes no secret key. */
static void
check_message (const GError *error)
{
  g_autofree char *redacted = NULL;

  if (error == NULL || error->message == NULL)
    abort ();
  redacted = vw_age_redact_identities (error->message);
  if (!g_str_equal (redacted, error->message))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *recipient = NULL;
  g_autofree char *signing_key = NULL;
  g_autoptr(GError) error = NULL;
  guint8 x[32], ed[32];

  if (vw_study_parse_keys_text (text, &recipient, &signing_key, &error))
    {
      if (!vw_study_parse_device_keys (recipient, signing_key, x, ed, NULL))
        abort ();
    }
  else
    check_message (error);
  g_clear_error (&error);

  /* The text cut at its first line break as the two keys themselves. */
  {
    const char *newline = strchr (text, '\n');
    g_autofree char *first = g_strndup (text, newline != NULL ? (gsize) (newline - text) : strlen (text));

    if (!vw_study_parse_device_keys (first, newline != NULL ? newline + 1 : "", x, ed, &error))
      check_message (error);
  }
  return 0;
}
