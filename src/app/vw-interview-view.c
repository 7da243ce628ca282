/* vw-interview-view.c: one interview (see vw-interview-view.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-interview-view.h"

struct _VwInterviewView
{
  AdwBin    parent_instance;

  VwVault  *vault;
  char     *study;
  char     *code;
  char     *round;
  char     *interview_id;
};

G_DEFINE_FINAL_TYPE (VwInterviewView, vw_interview_view, ADW_TYPE_BIN)

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
vw_interview_view_new (VwVault    *vault,
                       const char *study,
                       const char *code,
                       const char *round)
{
  VwInterviewView *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (study != NULL && code != NULL && round != NULL, NULL);

  self = g_object_new (VW_TYPE_INTERVIEW_VIEW, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  self->code = g_strdup (code);
  self->round = g_strdup (round);

  return GTK_WIDGET (self);
}

gboolean
vw_interview_view_flush (VwInterviewView  *self,
                         GError          **error)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), FALSE);

  return TRUE;
}

const char *
vw_interview_view_get_interview_id (VwInterviewView *self)
{
  g_return_val_if_fail (VW_IS_INTERVIEW_VIEW (self), NULL);

  return self->interview_id;
}

static void
vw_interview_view_finalize (GObject *object)
{
  VwInterviewView *self = VW_INTERVIEW_VIEW (object);

  g_clear_object (&self->vault);
  g_free (self->study);
  g_free (self->code);
  g_free (self->round);
  g_free (self->interview_id);

  G_OBJECT_CLASS (vw_interview_view_parent_class)->finalize (object);
}

static void
vw_interview_view_class_init (VwInterviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vw_interview_view_finalize;

  /**
   * VwInterviewView::closed:
   *
   * The duo paused or finished the interview.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vw_interview_view_init (VwInterviewView *self)
{
}
