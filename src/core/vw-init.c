/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "vw-error.h"
#include "vw-init.h"

/**
 * vw_core_init:
 *
 * Initialises libsodium. Every program that uses the core calls this once
 * before any other core function; it is safe to call it again.
 */
gboolean
vw_core_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, VW_ERROR, VW_ERROR_CRYPTO_INIT,
                           _("The cryptography library could not be initialised"));
      return FALSE;
    }

  return TRUE;
}

const char *
vw_core_version (void)
{
  return PACKAGE_VERSION;
}
