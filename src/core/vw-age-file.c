/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vw-age-file.h"
#include "vw-atomic-file.h"

/**
 * vw_age_decryptor_copy_to_file:
 *
 * Writes the plaintext to a temporary file beside @path (mode 0600) and
 * renames it to @path only after the final chunk authenticated: a failed
 * decryption leaves nothing under @path, and an existing file there is
 * replaced only on success.
 */
gboolean
vw_age_decryptor_copy_to_file (VwAgeDecryptor  *self,
                               const char      *path,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr(VwAtomicFile) file = vw_atomic_file_new (path, 0600, error);

  if (file == NULL)
    return FALSE;
  if (!vw_age_decryptor_copy (self, vw_atomic_file_get_stream (file), cancellable, error))
    return FALSE;
  return vw_atomic_file_commit (file, TRUE, error);
}
