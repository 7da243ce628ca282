/* vw-export-archive.c: tar and zip through libarchive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>

#include "vw-export-archive.h"
#include "vw-export.h"

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
      archive_set_error (archive, EIO, "%s", self->error->message);
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
                 _("Could not write the archive: %s"), archive_error_string (self->archive));
  return FALSE;
}

VwExportArchive *
vw_export_archive_new (GOutputStream  *out,
                       gboolean        zip,
                       GError        **error)
{
  g_autoptr(VwExportArchive) self = g_new0 (VwExportArchive, 1);
  int status;

  self->out = g_object_ref (out);
  self->archive = archive_write_new ();
  status = zip ? archive_write_set_format_zip (self->archive)
               : archive_write_set_format_pax_restricted (self->archive);
  /* Whole blocks only matter for tapes; the stream takes what comes. */
  if (status == ARCHIVE_OK)
    status = archive_write_set_bytes_in_last_block (self->archive, 1);
  if (status == ARCHIVE_OK)
    status = archive_write_open (self->archive, self, NULL, write_cb, NULL);
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
  struct archive_entry *entry = archive_entry_new ();
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok;

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_size (entry, len);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_mtime (entry, now, 0);

  ok = archive_write_header (self->archive, entry) == ARCHIVE_OK &&
       (len == 0 || archive_write_data (self->archive, data, len) == (la_ssize_t) len) &&
       archive_write_finish_entry (self->archive) == ARCHIVE_OK;
  archive_entry_free (entry);
  return ok ? TRUE : archive_failed (self, error);
}

gboolean
vw_export_archive_finish (VwExportArchive  *self,
                          GError          **error)
{
  self->finished = TRUE;
  if (archive_write_close (self->archive) != ARCHIVE_OK || self->error != NULL)
    return archive_failed (self, error);
  return TRUE;
}

void
vw_export_archive_free (VwExportArchive *self)
{
  if (self == NULL)
    return;
  if (self->archive != NULL)
    archive_write_free (self->archive);
  g_clear_object (&self->out);
  g_clear_error (&self->error);
  g_free (self);
}
