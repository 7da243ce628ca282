/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* renameat2 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "vw-atomic-file.h"

struct _VwAtomicFile
{
  char          *path;      /* owned: the final name */
  char          *tmp_path;  /* owned: where the data goes until commit */
  int            fd;        /* owned, -1 once closed */
  GOutputStream *stream;    /* owned, over fd without owning it */
  gboolean       committed;
};

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * vw_atomic_file_new:
 * @path: the final name
 * @mode: permissions of the new file, e.g. 0600 for anything secret
 *
 * Creates a temporary file next to @path (same directory, so the rename is
 * atomic). Nothing appears under @path until vw_atomic_file_commit().
 */
VwAtomicFile *
vw_atomic_file_new (const char  *path,
                    int          mode,
                    GError     **error)
{
  g_autoptr(VwAtomicFile) self = g_new0 (VwAtomicFile, 1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX.tmp", base);

  self->fd = -1;
  self->path = g_strdup (path);
  self->tmp_path = g_build_filename (dir, tmpl, NULL);
  self->fd = g_mkstemp_full (self->tmp_path, O_RDWR | O_CLOEXEC, mode);
  if (self->fd < 0)
    {
      int saved = errno;
      g_clear_pointer (&self->tmp_path, g_free);
      set_io_error (error, saved, path);
      return NULL;
    }
  /* g_mkstemp_full() honours the umask; the caller's mode is what counts. */
  if (fchmod (self->fd, mode) != 0)
    {
      set_io_error (error, errno, path);
      return NULL;
    }
  self->stream = g_unix_output_stream_new (self->fd, FALSE);

  return g_steal_pointer (&self);
}

/* Borrowed: write the contents here. */
GOutputStream *
vw_atomic_file_get_stream (VwAtomicFile *self)
{
  return self->stream;
}

const char *
vw_atomic_file_get_path (VwAtomicFile *self)
{
  return self->path;
}

static gboolean
sync_directory (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return set_io_error (error, errno, path);
  /* Some file systems cannot sync a directory; the rename is then as
   * durable as they make it. */
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS)
    {
      int saved = errno;
      close (fd);
      return set_io_error (error, saved, path);
    }
  close (fd);
  return TRUE;
}

static gboolean
exists_error (GError     **error,
              const char  *path)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("“%s” already exists; it was not overwritten"), path);
  return FALSE;
}

/* RENAME_NOREPLACE fails when the name exists, so two writers cannot both
 * win. File systems without it (FAT on a USB stick, some network file
 * systems) get a check before the rename: a small race, but no silent
 * overwrite of a file that was already there. */
static gboolean
rename_no_replace (const char  *from,
                   const char  *to,
                   GError     **error)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno == EEXIST)
    return exists_error (error, to);
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return set_io_error (error, errno, to);

  if (g_file_test (to, G_FILE_TEST_EXISTS))
    return exists_error (error, to);
  if (g_rename (from, to) != 0)
    return set_io_error (error, errno, to);
  return TRUE;
}

/**
 * vw_atomic_file_commit:
 * @overwrite: replace an existing file at the final name; when %FALSE an
 *   existing file is an error (G_IO_ERROR_EXISTS) and is left alone
 *
 * Flushes the data to disk and moves it to the final name.
 */
gboolean
vw_atomic_file_commit (VwAtomicFile  *self,
                       gboolean       overwrite,
                       GError       **error)
{
  g_return_val_if_fail (!self->committed && self->fd >= 0, FALSE);

  if (!g_output_stream_close (self->stream, NULL, error))
    return FALSE;
  if (fsync (self->fd) != 0)
    return set_io_error (error, errno, self->path);
  if (close (self->fd) != 0)
    {
      self->fd = -1;
      return set_io_error (error, errno, self->path);
    }
  self->fd = -1;

  if (overwrite)
    {
      if (g_rename (self->tmp_path, self->path) != 0)
        return set_io_error (error, errno, self->path);
    }
  else if (!rename_no_replace (self->tmp_path, self->path, error))
    return FALSE;
  self->committed = TRUE;

  return sync_directory (self->path, error);
}

/* Without a commit, the temporary file is removed: a failed write leaves
 * nothing behind. */
void
vw_atomic_file_free (VwAtomicFile *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  if (self->fd >= 0)
    close (self->fd);
  if (!self->committed && self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}
