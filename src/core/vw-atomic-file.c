/* Writing a file so that it appears complete or not at all, and leaves
 * nothing behind when the program is killed.
 *
 * Where the file system allows, the data goes into an unnamed file
 * (O_TMPFILE) in the target's directory, which is linked under its name
 * only when complete: a crash or SIGKILL before that leaves nothing at
 * all, not even the hidden plaintext file a named temporary would be.
 * Elsewhere (FAT on a USB stick, some network file systems) the data goes
 * into a named temporary file, recognisable by its name (".vw-tmp-…"),
 * locked (flock) for as long as its writer lives; the next writer in that
 * directory removes the ones whose writer is gone.
 *
 * A target that exists and is not a regular file (a FIFO, a terminal,
 * /dev/null or another device) is written into directly, as `age -o`
 * does: a rename over it would replace the device node with a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* O_TMPFILE, renameat2, AT_EMPTY_PATH */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vw-atomic-file.h"

/* Every temporary name starts with this; nothing else of ours does. */
#define TMP_PREFIX ".vw-tmp-"

/* A temporary without data whose writer is gone may still be one being
 * made this instant (created, not yet locked): only older ones go. */
#define STALE_EMPTY_SECONDS 60

typedef enum {
  WRITE_UNNAMED, /* an O_TMPFILE, linked at commit */
  WRITE_NAMED,   /* a locked TMP_PREFIX file, renamed at commit */
  WRITE_DIRECT,  /* into the target itself: not a regular file */
} WriteMode;

struct _VwAtomicFile
{
  char          *path;      /* owned: the final name */
  char          *base;      /* owned: its last component */
  int            dir_fd;    /* owned: its directory, or -1 for WRITE_DIRECT */
  int            fd;        /* owned, -1 once closed */
  char          *tmp_name;  /* owned, WRITE_NAMED: the temporary's name in dir_fd */
  WriteMode      write_mode;
  int            mode;      /* permissions of a new file */
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

/* Removes a stale temporary directory: only regular files inside, as
 * vw_atomic_dir_new() makes them. */
static void
remove_stale_dir (int         dir_fd,
                  const char *name,
                  int         fd)
{
  int copy = dup (fd);
  DIR *dir = copy >= 0 ? fdopendir (copy) : NULL;
  struct dirent *entry;
  gboolean only_files = TRUE;

  if (dir == NULL)
    {
      if (copy >= 0)
        close (copy);
      return;
    }
  while ((entry = readdir (dir)) != NULL)
    {
      struct stat st;

      if (g_str_equal (entry->d_name, ".") || g_str_equal (entry->d_name, ".."))
        continue;
      if (fstatat (fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (st.st_mode) ||
          unlinkat (fd, entry->d_name, 0) != 0)
        only_files = FALSE;
    }
  closedir (dir);
  if (only_files)
    unlinkat (dir_fd, name, AT_REMOVEDIR);
}

/* Removes the temporary files and folders of ours in @dir_fd whose writer
 * is gone (killed, or the machine lost power): their lock is free. Those
 * of a writer still at work are left alone. Every new atomic file and
 * folder does this in its directory. */
static void
clean_stale (int dir_fd)
{
  int copy = dup (dir_fd);
  DIR *dir = copy >= 0 ? fdopendir (copy) : NULL;
  struct dirent *entry;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (dir == NULL)
    {
      if (copy >= 0)
        close (copy);
      return;
    }
  while ((entry = readdir (dir)) != NULL)
    {
      struct stat st;
      int fd;

      if (!g_str_has_prefix (entry->d_name, TMP_PREFIX))
        continue;
      fd = openat (dir_fd, entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        continue;
      /* Ours: owned by this user, a file or folder, and no writer holds
       * its lock. */
      if (fstat (fd, &st) == 0 && st.st_uid == geteuid () && (S_ISREG (st.st_mode) || S_ISDIR (st.st_mode)) &&
          flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          gboolean empty_and_young = S_ISREG (st.st_mode) && st.st_size == 0 &&
                                     now - st.st_mtime < STALE_EMPTY_SECONDS;

          if (S_ISDIR (st.st_mode))
            remove_stale_dir (dir_fd, entry->d_name, fd);
          else if (!empty_and_young)
            unlinkat (dir_fd, entry->d_name, 0);
        }
      close (fd);
    }
  closedir (dir);
}

static int
open_directory (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    set_io_error (error, errno, path);
  return fd;
}

/* A temporary name for @base: TMP_PREFIX, six random characters, and as
 * much of @base as fits in a file name. */
static char *
temporary_name (const char *base)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  GString *name = g_string_new (TMP_PREFIX);

  for (int i = 0; i < 6; i++)
    g_string_append_c (name, chars[g_random_int_range (0, sizeof chars - 1)]);
  g_string_append_c (name, '-');
  g_string_append_len (name, base, MIN (strlen (base), 200));
  return g_string_free (name, FALSE);
}

/* Creates and locks a named temporary in @dir_fd. */
static int
create_named (int          dir_fd,
              const char  *base,
              int          mode,
              char       **name_out,
              int         *saved_errno)
{
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = temporary_name (base);
      int fd = openat (dir_fd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);

      if (fd < 0 && errno == EEXIST)
        continue;
      if (fd < 0)
        {
          *saved_errno = errno;
          return -1;
        }
      /* Held until the file has its final name or is removed: the lock
       * tells a later writer that this one is alive. */
      flock (fd, LOCK_EX);
      *name_out = g_steal_pointer (&name);
      return fd;
    }
  *saved_errno = EEXIST;
  return -1;
}

/* Whether the unnamed way is off: only a test sets this, to check the
 * named way on a file system that has O_TMPFILE. */
static gboolean
unnamed_disabled (void)
{
  return g_getenv ("VELDWERK_TEST_NO_O_TMPFILE") != NULL;
}

/**
 * vw_atomic_file_new:
 * @path: the final name
 * @mode: permissions of the new file, e.g. 0600 for anything secret
 *
 * Prepares to write @path (see the top of this file): nothing appears
 * under @path until vw_atomic_file_commit(), unless @path is a FIFO or a
 * device, which is written into directly.
 */
VwAtomicFile *
vw_atomic_file_new (const char  *path,
                    int          mode,
                    GError     **error)
{
  g_autoptr(VwAtomicFile) self = g_new0 (VwAtomicFile, 1);
  GStatBuf st;
  int saved = 0;

  self->fd = -1;
  self->dir_fd = -1;
  self->mode = mode;
  self->path = g_strdup (path);
  self->base = g_path_get_basename (path);

  /* Following links, as the data would. */
  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("Cannot write “%s”: it is a folder"), path);
      return NULL;
    }
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      self->write_mode = WRITE_DIRECT;
      self->fd = g_open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
      if (self->fd < 0)
        {
          set_io_error (error, errno, path);
          return NULL;
        }
      self->stream = g_unix_output_stream_new (self->fd, FALSE);
      return g_steal_pointer (&self);
    }

  self->dir_fd = open_directory (path, error);
  if (self->dir_fd < 0)
    return NULL;
  clean_stale (self->dir_fd);

  self->write_mode = WRITE_UNNAMED;
  self->fd = unnamed_disabled () ? -1 : openat (self->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
  if (self->fd < 0 && !unnamed_disabled () &&
      errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
    {
      set_io_error (error, errno, path);
      return NULL;
    }
  if (self->fd < 0)
    {
      self->write_mode = WRITE_NAMED;
      self->fd = create_named (self->dir_fd, self->base, mode, &self->tmp_name, &saved);
      if (self->fd < 0)
        {
          set_io_error (error, saved, path);
          return NULL;
        }
    }
  /* The umask applies at creation; the caller's mode is what counts. */
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
sync_directory (VwAtomicFile  *self,
                GError       **error)
{
  /* Some file systems cannot sync a directory; the rename is then as
   * durable as they make it. */
  if (fsync (self->dir_fd) != 0 && errno != EINVAL && errno != EROFS)
    return set_io_error (error, errno, self->path);
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
rename_no_replace (VwAtomicFile  *self,
                   GError       **error)
{
  struct stat st;

  if (renameat2 (self->dir_fd, self->tmp_name, self->dir_fd, self->base, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno == EEXIST)
    return exists_error (error, self->path);
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return set_io_error (error, errno, self->path);

  if (fstatat (self->dir_fd, self->base, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return exists_error (error, self->path);
  if (renameat (self->dir_fd, self->tmp_name, self->dir_fd, self->base) != 0)
    return set_io_error (error, errno, self->path);
  return TRUE;
}

/* Gives the unnamed file the name @name in the directory. Without the
 * capability AT_EMPTY_PATH needs, the link goes through /proc. */
static int
link_unnamed (VwAtomicFile *self,
              const char   *name)
{
  g_autofree char *proc = NULL;

  if (linkat (self->fd, "", self->dir_fd, name, AT_EMPTY_PATH) == 0)
    return 0;
  if (errno == EEXIST)
    return -1;
  proc = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  return linkat (AT_FDCWD, proc, self->dir_fd, name, AT_SYMLINK_FOLLOW);
}

/* Where an unnamed file cannot be linked (no /proc), its data moves to a
 * named temporary, which then takes the named way. */
static gboolean
copy_to_named (VwAtomicFile  *self,
               GError       **error)
{
  g_autofree char *name = NULL;
  char buffer[64 * 1024];
  off_t offset = 0;
  int saved = 0;
  int fd = create_named (self->dir_fd, self->base, self->mode, &name, &saved);

  if (fd < 0)
    return set_io_error (error, saved, self->path);
  for (;;)
    {
      gssize n = pread (self->fd, buffer, sizeof buffer, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n > 0 && write (fd, buffer, n) == n)
        {
          offset += n;
          continue;
        }
      if (n == 0 && fchmod (fd, self->mode) == 0 && fsync (fd) == 0)
        break;
      saved = errno;
      close (fd);
      unlinkat (self->dir_fd, name, 0);
      return set_io_error (error, saved, self->path);
    }
  close (self->fd);
  self->fd = fd;
  self->tmp_name = g_steal_pointer (&name);
  self->write_mode = WRITE_NAMED;
  return TRUE;
}

static gboolean
commit_unnamed (VwAtomicFile  *self,
                gboolean       overwrite,
                GError       **error)
{
  g_autofree char *name = NULL;

  /* A new name: the link itself refuses an existing one. */
  if (link_unnamed (self, self->base) == 0)
    return TRUE;
  if (errno == EEXIST && !overwrite)
    return exists_error (error, self->path);
  if (errno != EEXIST)
    return copy_to_named (self, error);

  /* Over an existing file: linked under a temporary name, renamed over
   * it in one step. Locked first, as a named temporary is, so that
   * another writer's clean_stale() leaves that name alone until the
   * rename (the lock goes with the descriptor, after it). */
  flock (self->fd, LOCK_EX);
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_clear_pointer (&name, g_free);
      name = temporary_name (self->base);
      if (link_unnamed (self, name) == 0)
        break;
      if (errno != EEXIST)
        return set_io_error (error, errno, self->path);
    }
  if (renameat (self->dir_fd, name, self->dir_fd, self->base) != 0)
    {
      int saved = errno;

      unlinkat (self->dir_fd, name, 0);
      return set_io_error (error, saved, self->path);
    }
  return TRUE;
}

/**
 * vw_atomic_file_commit:
 * @overwrite: replace an existing file at the final name; when %FALSE an
 *   existing file is an error (G_IO_ERROR_EXISTS) and is left alone
 *
 * Flushes the data to disk and gives it the final name. A FIFO or device
 * at the final name was written into directly; it is only flushed.
 */
gboolean
vw_atomic_file_commit (VwAtomicFile  *self,
                       gboolean       overwrite,
                       GError       **error)
{
  g_return_val_if_fail (!self->committed && self->fd >= 0, FALSE);

  if (!g_output_stream_close (self->stream, NULL, error))
    return FALSE;
  /* A FIFO or terminal cannot be synced, and need not be. */
  if (fsync (self->fd) != 0 && (self->write_mode != WRITE_DIRECT || (errno != EINVAL && errno != EROFS)))
    return set_io_error (error, errno, self->path);

  if (self->write_mode == WRITE_DIRECT)
    {
      int result = close (self->fd);

      self->fd = -1;
      if (result != 0)
        return set_io_error (error, errno, self->path);
      self->committed = TRUE;
      return TRUE;
    }

  if (self->write_mode == WRITE_UNNAMED && !commit_unnamed (self, overwrite, error))
    return FALSE;
  if (self->write_mode == WRITE_NAMED)
    {
      if (overwrite && renameat (self->dir_fd, self->tmp_name, self->dir_fd, self->base) != 0)
        return set_io_error (error, errno, self->path);
      if (!overwrite && !rename_no_replace (self, error))
        return FALSE;
    }
  self->committed = TRUE;

  /* Closing releases a named temporary's lock, now that it has its name. */
  if (close (self->fd) != 0)
    {
      self->fd = -1;
      return set_io_error (error, errno, self->path);
    }
  self->fd = -1;
  return sync_directory (self, error);
}

/* Without a commit, nothing is left behind: an unnamed file goes with
 * its descriptor, a named one is removed. */
void
vw_atomic_file_free (VwAtomicFile *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  if (!self->committed && self->write_mode == WRITE_NAMED && self->tmp_name != NULL)
    unlinkat (self->dir_fd, self->tmp_name, 0);
  if (self->fd >= 0)
    close (self->fd);
  if (self->dir_fd >= 0)
    close (self->dir_fd);
  g_free (self->tmp_name);
  g_free (self->base);
  g_free (self->path);
  g_free (self);
}

/**
 * vw_atomic_file_open_unnamed:
 * @dir: (nullable): where, or the temporary directory
 *
 * A file for data that must never outlive the process (the content of a
 * bundle while it is read): unnamed from the start where the file system
 * allows (O_TMPFILE), otherwise created and unlinked at once.
 *
 * Returns: a file descriptor open for reading and writing, or -1
 */
int
vw_atomic_file_open_unnamed (const char  *dir,
                             GError     **error)
{
  const char *where = dir != NULL ? dir : g_get_tmp_dir ();
  g_autofree char *tmpl = NULL;
  int fd = unnamed_disabled () ? -1 : g_open (where, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

  if (fd >= 0)
    return fd;
  tmpl = g_build_filename (where, TMP_PREFIX "XXXXXX", NULL);
  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create a temporary file in “%s”: %s"), where, g_strerror (saved));
      return -1;
    }
  g_unlink (tmpl);
  return fd;
}

/**
 * vw_atomic_dir_new:
 * @path: the folder to make; it must not exist
 * @lock_fd: (out): keep open until the folder is renamed to @path or
 *   removed: it tells a later writer that this one is alive
 *
 * Makes a temporary folder next to @path to fill and then rename to @path,
 * named and locked as the temporary files are, so that the folder of a
 * writer that was killed is removed by the next one in that directory.
 *
 * Returns: (transfer full): the temporary folder's path, or %NULL
 */
char *
vw_atomic_dir_new (const char  *path,
                   int         *lock_fd,
                   GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  int dir_fd = open_directory (path, error);

  *lock_fd = -1;
  if (dir_fd < 0)
    return NULL;
  clean_stale (dir_fd);
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = temporary_name (base);

      if (mkdirat (dir_fd, name, 0700) != 0)
        {
          int saved = errno;

          if (saved == EEXIST)
            continue;
          close (dir_fd);
          set_io_error (error, saved, path);
          return NULL;
        }
      *lock_fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (*lock_fd >= 0)
        flock (*lock_fd, LOCK_EX);
      close (dir_fd);
      return g_build_filename (parent, name, NULL);
    }
  close (dir_fd);
  set_io_error (error, EEXIST, path);
  return NULL;
}
