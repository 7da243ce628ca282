/* vw-submit-dialog.c: see vw-submit-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-submit-dialog.h"
#include "vw-dialog.h"
#include "vw-save-chooser.h"

struct _VwSubmitDialog
{
  AdwWindow     parent_instance;

  /* template widgets */
  GtkLabel     *participants_label;
  GtkLabel     *interviews_label;
  GtkLabel     *answers_label;
  AdwActionRow *answers_row;
  AdwActionRow *last_row;
  GtkSpinner   *spinner;
  GtkListBox   *result_list;
  AdwActionRow *result_row;

  VwVault      *vault;        /* owned */
  char         *study;        /* owned */
  char         *scope;        /* owned: "new" or "everything" */
  GCancellable *cancellable;  /* owned while saving */
  gboolean      unusable;     /* the summary failed: nothing can be sent */
};

G_DEFINE_FINAL_TYPE (VwSubmitDialog, vw_submit_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SCOPE,
  N_PROPS
};

enum {
  SUBMITTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
everything (VwSubmitDialog *self)
{
  return g_strcmp0 (self->scope, "everything") == 0;
}

static void
show_result (VwSubmitDialog *self,
             const char *title,
             const char *subtitle,
             gboolean    failed)
{
  vw_result_row_show (self->result_row, GTK_WIDGET (self->result_list), title, subtitle, failed);
}

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  gtk_label_set_label (label, text);
}

/* The counts come from the core, which makes the rows as the submission
 * will: what the duo sees is what goes. */
static void
refresh_summary (VwSubmitDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSubmissionSummary) summary = NULL;
  g_autoptr(GDateTime) when = NULL;

  summary = vw_exchange_submission_summary (self->vault, self->study, everything (self), &error);
  if (summary == NULL)
    {
      show_result (self, _("Cannot prepare a submission"), error->message, TRUE);
      self->unusable = TRUE;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "submit.save", FALSE);
      return;
    }
  set_count (self->participants_label, summary->participants);
  set_count (self->interviews_label, summary->interviews);
  set_count (self->answers_label, summary->answers);
  adw_action_row_set_subtitle (self->answers_row,
                               everything (self) || summary->last_submission == NULL
                                 ? _("Every answer recorded on this laptop")
                                 : _("Only answers entered or changed since the last submission"));
  when = summary->last_submission ? g_date_time_new_from_iso8601 (summary->last_submission, NULL) : NULL;
  if (when != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (when);
      /* Translators: the date and time of the last submission, see strftime. */
      g_autofree char *text = g_date_time_format (local, _("%Y-%m-%d, %H:%M"));

      adw_action_row_set_subtitle (self->last_row, g_strstrip (text));
    }
  else
    adw_action_row_set_subtitle (self->last_row, _("Never: the first submission holds everything"));
}

static void
update_actions (VwSubmitDialog *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submit.save", !busy && !self->unusable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submit.scope", !busy);
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VwSubmitDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = vw_exchange_write_submission_finish (VW_VAULT (source), result, &error);
  g_autoptr(GFile) file = g_object_steal_data (G_OBJECT (self), "vw-target");

  g_clear_object (&self->cancellable);
  if (self->result_row == NULL)
    return; /* closed while saving */
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (id == NULL)
    show_result (self, _("Nothing was saved"), error->message, TRUE);
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      /* Translators: the bundle's id, to compare with the coordinator's merge report. */
      g_autofree char *subtitle = g_strdup_printf (_("Bundle %s"), id);
      g_autofree char *title = g_strdup_printf (_("Saved %s"), name);

      show_result (self, title, subtitle, FALSE);
      refresh_summary (self);
    }
  update_actions (self);
  if (id != NULL)
    g_signal_emit (self, signals[SUBMITTED], 0);
}

void
vw_submit_dialog_save_to (VwSubmitDialog *self,
                          GFile          *file)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (VW_IS_SUBMIT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->cancellable != NULL)
    return;
  if ((path = vw_save_chooser_path (file, &message)) == NULL)
    {
      show_result (self, _("Nothing was saved"), message, TRUE);
      return;
    }
  self->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "vw-target", g_object_ref (file), g_object_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->result_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  update_actions (self);
  vw_exchange_write_submission_async (self->vault, self->study, path, everything (self), self->cancellable,
                                      save_done, g_object_ref (self));
}

/* Keeps to characters that every file system takes. */
static char *
file_name_part (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : '-');
  return g_string_free (out, FALSE);
}

char *
vw_submit_dialog_suggest_name (VwSubmitDialog *self)
{
  g_autoptr(VwDevice) own = vw_vault_get_own_device (self->vault, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *device = file_name_part (own != NULL && own->label != NULL ? own->label : "duo");

  return g_strdup_printf ("veldwerk-submission-%s-%s.age", device, date);
}

static void
submit_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VwSubmitDialog *self = VW_SUBMIT_DIALOG (widget);
  g_autofree char *name = vw_submit_dialog_suggest_name (self);

  vw_save_chooser_show (GTK_WINDOW (self), _("Save Submission"), name, (VwSaveFunc) vw_submit_dialog_save_to);
}

static void
vw_submit_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VwSubmitDialog *self = VW_SUBMIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vw_submit_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VwSubmitDialog *self = VW_SUBMIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SCOPE:
      if (g_strcmp0 (self->scope, g_value_get_string (value)) == 0)
        break;
      g_free (self->scope);
      self->scope = g_value_dup_string (value);
      if (self->vault != NULL)
        refresh_summary (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vw_submit_dialog_dispose (GObject *object)
{
  VwSubmitDialog *self = VW_SUBMIT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_SUBMIT_DIALOG);

  G_OBJECT_CLASS (vw_submit_dialog_parent_class)->dispose (object);
}

static void
vw_submit_dialog_finalize (GObject *object)
{
  VwSubmitDialog *self = VW_SUBMIT_DIALOG (object);

  g_free (self->study);
  g_free (self->scope);

  G_OBJECT_CLASS (vw_submit_dialog_parent_class)->finalize (object);
}

static void
vw_submit_dialog_class_init (VwSubmitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_submit_dialog_dispose;
  object_class->finalize = vw_submit_dialog_finalize;
  object_class->get_property = vw_submit_dialog_get_property;
  object_class->set_property = vw_submit_dialog_set_property;

  /* "new": only what changed since the last submission; "everything". */
  properties[PROP_SCOPE] = g_param_spec_string ("scope", NULL, NULL, "new",
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-submit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, participants_label);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, interviews_label);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, answers_label);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, answers_row);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, last_row);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, result_list);
  gtk_widget_class_bind_template_child (widget_class, VwSubmitDialog, result_row);

  signals[SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_property_action (widget_class, "submit.scope", "scope");
  gtk_widget_class_install_action (widget_class, "submit.save", NULL, submit_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "submit.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_submit_dialog_init (VwSubmitDialog *self)
{
  self->scope = g_strdup ("new");
  gtk_widget_init_template (GTK_WIDGET (self));
}

VwSubmitDialog *
vw_submit_dialog_new (GtkWindow  *parent,
                      VwVault    *vault,
                      const char *study)
{
  VwSubmitDialog *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_SUBMIT_DIALOG, "transient-for", parent, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  refresh_summary (self);
  vw_dialog_start (GTK_WINDOW (self), NULL, NULL);
  return self;
}
