/* Process hardening: no core dumps, and no secrets left in the
 * environment.
 *
 * A core of a running Veldwerk holds decrypted pseudonyms and keys, and
 * the environment of a process can be read by anyone who may ptrace it
 * (/proc/PID/environ) and is passed on to every program it starts. So
 * vw_process_harden(), called before anything else in main(), copies the
 * secrets a script may pass in the environment into guarded memory, wipes
 * the original bytes and removes the variables, and then switches core
 * dumps off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vw-error.h"
#include "vw-process.h"

extern char **environ;

/* Every variable that may carry a secret into a Veldwerk program. */
static const char *secret_names[] = {
  "VELDWERK_PASSPHRASE",
  "VELDWERK_NEW_PASSPHRASE",
  "VELDWERK_RECOVERY_CODE",
};

/* Owned: the values taken, or NULL. They live as long as the process. */
static VwSecret *taken[G_N_ELEMENTS (secret_names)];

static void
take_from_environment (gsize i)
{
  const char *name = secret_names[i];
  gsize name_len = strlen (name);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  /* All entries of the name (an environment may repeat one); getenv()
   * would give the first. */
  for (char **e = environ; e != NULL && *e != NULL; e++)
    if (strncmp (*e, name, name_len) == 0 && (*e)[name_len] == '=')
      g_ptr_array_add (entries, *e);
  if (entries->len == 0)
    return;

  {
    const char *value = (const char *) g_ptr_array_index (entries, 0) + name_len + 1;

    g_clear_pointer (&taken[i], vw_secret_free);
    taken[i] = vw_secret_new_from ((const guint8 *) value, strlen (value));
  }

  /* unsetenv() only drops the pointers; the bytes stay where the kernel
   * put them (what /proc/PID/environ shows) or where setenv() copied them.
   * Wipe them after, since unsetenv() compares the names. */
  unsetenv (name);
  for (guint j = 0; j < entries->len; j++)
    {
      char *entry = g_ptr_array_index (entries, j);

      sodium_memzero (entry, strlen (entry));
    }
}

/**
 * vw_process_harden:
 *
 * Call first thing in main(), before anything could copy the environment
 * or a thread is started: takes VELDWERK_PASSPHRASE,
 * VELDWERK_NEW_PASSPHRASE and VELDWERK_RECOVERY_CODE out of the
 * environment into guarded memory (see vw_process_get_env_secret()), then
 * sets the core file size limit to zero and makes the process not
 * dumpable (which also keeps other processes of the same user from
 * attaching to it or reading its memory and environment).
 *
 * Returns: %FALSE with @error set if dumps could not be switched off; the
 *   program should then not go on
 */
gboolean
vw_process_harden (GError **error)
{
  const struct rlimit no_core = { 0, 0 };

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, VW_ERROR, VW_ERROR_CRYPTO_INIT, _("The cryptography library cannot start"));
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (secret_names); i++)
    take_from_environment (i);

  if (setrlimit (RLIMIT_CORE, &no_core) != 0 || prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    {
      int saved = errno;

      g_set_error (error, VW_ERROR, VW_ERROR_FAILED, _("Cannot switch off core dumps: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * vw_process_get_env_secret:
 * @name: one of the variables vw_process_harden() takes
 *
 * Returns: (transfer full) (nullable): a copy of the value @name had when
 *   the process started, or %NULL if it was not set (or the process was
 *   not hardened)
 */
VwSecret *
vw_process_get_env_secret (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (secret_names); i++)
    if (g_strcmp0 (name, secret_names[i]) == 0)
      return taken[i] != NULL ? vw_secret_dup (taken[i]) : NULL;
  g_return_val_if_reached (NULL);
}
