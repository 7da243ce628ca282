/* libFuzzer target: age recipients files (-R) and identity files (-i) as
 * vw-age-keys.c reads them, and the redaction of secret keys in messages.
 *
 * Both readers take a path, so the input is written to a file first. A
 * refusal names the file and line and never quotes an identity; the
 * redaction leaves no run of a secret key behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "vw-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;
static char *path;

static void
clean_up (void)
{
  g_unlink (path);
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  dir = g_dir_make_tmp ("vw-fuzz-age-keys-XXXXXX", NULL);
  if (dir == NULL)
    abort ();
  path = g_build_filename (dir, "keys.txt", NULL);
  atexit (clean_up);
  return 0;
}

/* A message may name the file and the line, never a key from it. */
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

static void
check_redaction (const uint8_t *data,
                 size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *redacted = vw_age_redact_identities (text);
  g_autofree char *again = vw_age_redact_identities (redacted);
  g_autofree char *upper = g_ascii_strup (redacted, -1);
  const char *p = upper;

  /* Nothing is left to cut, and no prefix is followed by a long run. */
  if (!g_str_equal (redacted, again))
    abort ();
  while ((p = strstr (p, "AGE-SECRET-KEY-")) != NULL)
    {
      gsize run = 0;

      p += strlen ("AGE-SECRET-KEY-");
      while (g_ascii_isalnum (p[run]) || p[run] == '-')
        run++;
      if (run >= 8)
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GPtrArray) identities = NULL;

  /* No fsync: the file only carries the input across. */
  if (!g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_NONE, 0600, NULL))
    abort ();

  recipients = vw_age_recipients_from_file (path, &error);
  if (recipients == NULL)
    check_message (error);
  else
    for (guint i = 0; i < recipients->len; i++)
      {
        g_autofree char *text = vw_age_recipient_to_string (g_ptr_array_index (recipients, i));
        g_autoptr(VwAgeRecipient) again = vw_age_recipient_parse (text, NULL);

        if (again == NULL)
          abort ();
      }
  g_clear_error (&error);

  identities = vw_age_identities_from_file (path, &error);
  if (identities == NULL)
    check_message (error);
  else
    for (guint i = 0; i < identities->len; i++)
      {
        g_autoptr(VwSecret) text = vw_age_identity_to_string (g_ptr_array_index (identities, i));
        g_autoptr(VwAgeIdentity) again = vw_age_identity_parse ((const char *) vw_secret_const_data (text), NULL);

        if (again == NULL)
          abort ();
      }

  check_redaction (data, size);
  return 0;
}
