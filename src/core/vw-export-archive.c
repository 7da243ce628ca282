/* vw-export-archive.c: tar and zip through libarchive.
 *
 * libarchive is loaded when the first archive is written, not linked:
 * with its own dependencies (libxml2, ICU, the compressors) it would add
 * some 3 MiB to the resident size of every veldwerk-cli run, and `decrypt`
 * has to stay under 8 MiB for a file of any size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "vw-export-archive.h"
#include "vw-export.h"

/* libarchive 3.x keeps the soname libarchive.so.13. */
#if ARCHIVE_VERSION_NUMBER < 3000000 || ARCHIVE_VERSION_NUMBER >= 4000000
#error "libarchive 3 is needed"
#endif
#define LIBARCHIVE_SONAME "libarchive.so.13"

#define ARCHIVE_FUNCTIONS(F)                 \
  F (archive_write_new)                      \
  F (archive_write_set_format_zip)           \
  F (archive_write_set_format_pax_restricted) \
  F (archive_write_set_bytes_in_last_block)  \
  F (archive_write_open)                     \
  F (archive_write_header)                   \
  F (archive_write_data)                     \
  F (archive_write_finish_entry)             \
  F (archive_write_close)                    \
  F (archive_write_free)                     \
  F (archive_set_error)                      \
  F (archive_error_string)                   \
  F (archive_entry_new)                      \
  F (archive_entry_free)                     \
  F (archive_entry_set_pathname_utf8)        \
  F (archive_entry_set_size)                 \
  F (archive_entry_set_filetype)             \
  F (archive_entry_set_perm)                 \
  F (archive_entry_set_mtime)

#define DECLARE_POINTER(name) __typeof__ (name) *name;
static struct
{
  ARCHIVE_FUNCTIONS (DECLARE_POINTER)
} la;

static gboolean
load_libarchive (GError **error)
{
  static gsize loaded = 0;
  static char *failure = NULL;

  if (g_once_init_enter (&loaded))
    {
      GModule *module = g_module_open (LIBARCHIVE_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

      if (module == NULL)
        failure = g_strdup (g_module_error ());
#define LOAD_POINTER(name)                                                   \
      if (failure == NULL && !g_module_symbol (module, #name, (gpointer *) &la.name)) \
        failure = g_strdup (g_module_error ());
      ARCHIVE_FUNCTIONS (LOAD_POINTER)
#undef LOAD_POINTER
      if (module != NULL)
        g_module_make_resident (module);
      g_once_init_leave (&loaded, 1);
    }
  if (failure != NULL)
    {
      g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_FAILED,
                   _("Could not load libarchive to write the archive: %s"), failure);
      return FALSE;
    }
  return TRUE;
}

struct _VwExportArchive
{
  struct archive *archive;  /* owned */
  GOutputStream  *out;      /* owned reference */
  GError         *error;    /* the stream's first failure */
  gboolean        finished;
};

static la_ssize_t
write_cb (struct archive *archive,
          void           *user_data,
          const void     *buffer,
          size_t          length)
{
  VwExportArchive *self = user_data;
  gsize written = 0;

  if (self->error != NULL)
    return -1;
  if (!g_output_stream_write_all (self->out, buffer, length, &written, NULL, &self->error))
    {
      la.archive_set_error (archive, EIO, "%s", self->error->message);
      return -1;
    }
  return written;
}

static gboolean
archive_failed (VwExportArchive  *self,
                GError          **error)
{
  if (self->error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->error));
  else
    g_set_error (error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_FAILED,
                 _("Could not write the archive: %s"), la.archive_error_string (self->archive));
  return FALSE;
}

VwExportArchive *
vw_export_archive_new (GOutputStream  *out,
                       gboolean        zip,
                       GError        **error)
{
  g_autoptr(VwExportArchive) self = NULL;
  int status;

  if (!load_libarchive (error))
    return NULL;
  self = g_new0 (VwExportArchive, 1);
  self->out = g_object_ref (out);
  self->archive = la.archive_write_new ();
  status = zip ? la.archive_write_set_format_zip (self->archive)
               : la.archive_write_set_format_pax_restricted (self->archive);
  /* Whole blocks only matter for tapes; the stream takes what comes. */
  if (status == ARCHIVE_OK)
    status = la.archive_write_set_bytes_in_last_block (self->archive, 1);
  if (status == ARCHIVE_OK)
    status = la.archive_write_open (self->archive, self, NULL, write_cb, NULL);
  if (status != ARCHIVE_OK)
    {
      archive_failed (self, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
vw_export_archive_add (VwExportArchive  *self,
                       const char       *name,
                       GBytes           *bytes,
                       GError          **error)
{
  struct archive_entry *entry = la.archive_entry_new ();
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok;

  la.archive_entry_set_pathname_utf8 (entry, name);
  la.archive_entry_set_size (entry, len);
  la.archive_entry_set_filetype (entry, AE_IFREG);
  la.archive_entry_set_perm (entry, 0600);
  la.archive_entry_set_mtime (entry, now, 0);

  ok = la.archive_write_header (self->archive, entry) == ARCHIVE_OK &&
       (len == 0 || la.archive_write_data (self->archive, data, len) == (la_ssize_t) len) &&
       la.archive_write_finish_entry (self->archive) == ARCHIVE_OK;
  la.archive_entry_free (entry);
  return ok ? TRUE : archive_failed (self, error);
}

gboolean
vw_export_archive_finish (VwExportArchive  *self,
                          GError          **error)
{
  self->finished = TRUE;
  if (la.archive_write_close (self->archive) != ARCHIVE_OK || self->error != NULL)
    return archive_failed (self, error);
  return TRUE;
}

void
vw_export_archive_free (VwExportArchive *self)
{
  if (self == NULL)
    return;
  if (self->archive != NULL)
    la.archive_write_free (self->archive);
  g_clear_object (&self->out);
  g_clear_error (&self->error);
  g_free (self);
}
