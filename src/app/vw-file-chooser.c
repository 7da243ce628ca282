/* vw-file-chooser.c: see vw-file-chooser.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-file-chooser.h"

typedef struct
{
  GtkFileChooserNative *native;      /* owned */
  GtkWidget            *owner;       /* borrowed; the request ends when it is destroyed */
  gulong                destroy_id;
  VwFileChooserFunc     func;
  gpointer              user_data;
  GDestroyNotify        destroy;
} Request;

/* The requests whose chooser is open (main thread only). */
static GList *open_requests;

static Request *
find_request (GtkFileChooserNative *native)
{
  for (GList *l = open_requests; l != NULL; l = l->next)
    if (((Request *) l->data)->native == native)
      return l->data;
  return NULL;
}

/* Ends @request: the chooser is closed and the owner forgotten. Safe to
 * call for a request already taken off the list. */
static void
request_end (Request *request)
{
  open_requests = g_list_remove (open_requests, request);
  g_clear_signal_handler (&request->destroy_id, request->owner);
  request->owner = NULL;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (request->native));
  g_clear_object (&request->native);
  if (request->destroy != NULL)
    request->destroy (request->user_data);
  g_free (request);
}

static void
owner_destroyed (GtkWidget *owner,
                 Request   *request)
{
  request_end (request);
}

static void
chooser_response (GtkNativeDialog *native,
                  int              response,
                  Request         *request)
{
  g_autoptr(GtkWidget) owner = NULL;

  if (find_request (GTK_FILE_CHOOSER_NATIVE (native)) != request)
    return;
  /* The owner stays alive while the callback runs, even if it closes
   * itself; the request is taken off the list first so that closing does
   * not end it twice. */
  open_requests = g_list_remove (open_requests, request);
  g_clear_signal_handler (&request->destroy_id, request->owner);
  owner = request->owner != NULL ? g_object_ref (request->owner) : NULL;
  request->owner = NULL;
  g_object_ref (native);
  if (response == GTK_RESPONSE_ACCEPT && owner != NULL)
    request->func (owner, GTK_FILE_CHOOSER (native), request->user_data);
  request_end (request);
  g_object_unref (native);
}

/**
 * vw_file_chooser_new:
 * @owner: the widget that asks; the chooser's window is @owner's
 * @action: open, save or select a folder
 * @func: called with the choice, only if the user accepts while @owner lives
 *
 * Returns: (transfer none): the chooser, to add filters or a suggested
 * name to before vw_file_chooser_show()
 */
GtkFileChooser *
vw_file_chooser_new (GtkWidget            *owner,
                     const char           *title,
                     GtkFileChooserAction  action,
                     VwFileChooserFunc     func,
                     gpointer              user_data,
                     GDestroyNotify        destroy)
{
  GtkRoot *root;
  Request *request;
  const char *accept;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  root = gtk_widget_get_root (owner);
  accept = action == GTK_FILE_CHOOSER_ACTION_SAVE ? _("_Save")
         : action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER ? _("_Choose") : _("_Open");
  request = g_new0 (Request, 1);
  request->native = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                                 accept, _("_Cancel"));
  request->owner = owner;
  request->func = func;
  request->user_data = user_data;
  request->destroy = destroy;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (request->native), TRUE);
  request->destroy_id = g_signal_connect (owner, "destroy", G_CALLBACK (owner_destroyed), request);
  g_signal_connect (request->native, "response", G_CALLBACK (chooser_response), request);
  open_requests = g_list_prepend (open_requests, request);
  return GTK_FILE_CHOOSER (request->native);
}

void
vw_file_chooser_show (GtkFileChooser *chooser)
{
  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (chooser));
  g_return_if_fail (find_request (GTK_FILE_CHOOSER_NATIVE (chooser)) != NULL);

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Whether @root is @window or one of its dialogs (at any depth). */
static gboolean
belongs_to (GtkRoot   *root,
            GtkWindow *window)
{
  for (GtkWindow *w = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL; w != NULL; w = gtk_window_get_transient_for (w))
    if (w == window)
      return TRUE;
  return FALSE;
}

guint
vw_file_chooser_cancel_all (GtkWindow *window)
{
  guint n = 0;
  GList *l = open_requests;

  g_return_val_if_fail (GTK_IS_WINDOW (window), 0);

  while (l != NULL)
    {
      Request *request = l->data;

      l = l->next;
      if (request->owner != NULL && belongs_to (gtk_widget_get_root (request->owner), window))
        {
          request_end (request);
          n++;
          l = open_requests;
        }
    }
  return n;
}

guint
vw_file_chooser_count_open (void)
{
  return g_list_length (open_requests);
}
