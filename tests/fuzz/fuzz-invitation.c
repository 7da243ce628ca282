/* libFuzzer target: the content of an invitation (the JSON a coordinator
 * signs: study, regions, questionnaire, rounds, coordinators, recipients,
 * linkage key), read by vw_invitation_parse() as `study join` and the
 * application's Join page read it after the bundle's checks.
 *
 * Any bytes give an invitation or an error, never both; an invitation
 * read names the study the bundle names, and with a signer given it
 * knows that signer's fingerprint. A refusal quotes no secret key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-fixed-keys.h"
#include "vw-core.h"
#include "vw-invitation.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint8 signer[VW_BUNDLE_PUBLIC_KEY_SIZE];

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(VwSecret) key = NULL;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  /* The seeds name this key as their coordinator (make-fuzz-seeds.c). */
  key = fuzz_signing_key (signer);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* With the signer the seeds were made with, and with none. */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GError) error = NULL;
      VwInvitation *invitation = vw_invitation_parse (data, size, FUZZ_STUDY, pass == 0 ? signer : NULL, &error);

      if (invitation == NULL)
        {
          g_autofree char *redacted = NULL;

          if (error == NULL || error->message == NULL)
            abort ();
          redacted = vw_age_redact_identities (error->message);
          if (!g_str_equal (redacted, error->message))
            abort ();
          continue;
        }
      if (error != NULL || g_strcmp0 (vw_invitation_get_study_id (invitation), FUZZ_STUDY) != 0 ||
          vw_invitation_get_name (invitation) == NULL ||
          (pass == 0 && vw_invitation_get_fingerprint (invitation) == NULL))
        abort ();
      vw_invitation_free (invitation);
    }
  return 0;
}
