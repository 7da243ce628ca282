/* vw-merge-dialog.c: see vw-merge-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"
#include "vw-file-chooser.h"
#include "vw-merge-dialog.h"

struct _VwMergeDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkLabel       *intro_label;
  GtkButton      *merge_button;
  GtkListBox     *files_list;
  GtkProgressBar *progress;
  GtkListBox     *report_list;

  VwVault        *vault;        /* owned */
  char           *study;        /* owned */
  gboolean        duo;          /* a duo's laptop: takes in handovers and round preparations */
  GPtrArray      *files;        /* owned: GFile */
  GCancellable   *cancellable;  /* owned while merging */
};

G_DEFINE_FINAL_TYPE (VwMergeDialog, vw_merge_dialog, ADW_TYPE_WINDOW)

enum {
  MERGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
make_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* File names, values and messages are text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
update_actions (VwMergeDialog *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.run", !busy && self->files->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.choose", !busy);
}

void
vw_merge_dialog_add_file (VwMergeDialog *self,
                          GFile         *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (VW_IS_MERGE_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  for (guint i = 0; i < self->files->len; i++)
    if (g_file_equal (g_ptr_array_index (self->files, i), file))
      return;
  g_ptr_array_add (self->files, g_object_ref (file));
  name = g_file_get_parse_name (file);
  gtk_list_box_append (self->files_list, make_row (name, NULL));
  update_actions (self);
}

GtkListBox *
vw_merge_dialog_get_report (VwMergeDialog *self)
{
  g_return_val_if_fail (VW_IS_MERGE_DIALOG (self), NULL);

  return self->report_list;
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  VwMergeDialog *self = user_data;

  /* The task keeps the dialog alive, but it may be closed already. */
  if (self->progress != NULL)
    gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 1.0);
}

static void
show_report (VwMergeDialog *self,
             VwMergeReport *report)
{
  g_autofree char *summary = NULL;
  g_autofree char *counts = NULL;

  summary = g_strdup_printf (g_dngettext (NULL, "Merged %u file", "Merged %u files", report->bundles),
                             report->bundles);
  counts = g_strdup_printf (_("%u added, %u updated, %u unchanged, %u new conflicts"), report->added,
                            report->updated, report->unchanged, report->conflicts);
  gtk_list_box_append (self->report_list, make_row (summary, counts));
  if (report->participants_added > 0)
    {
      g_autofree char *arrived = g_strdup_printf (g_dngettext (NULL, "%u participant arrived",
                                                               "%u participants arrived",
                                                               report->participants_added),
                                                  report->participants_added);
      g_autofree char *contacts = NULL;

      if (report->contacts > 0)
        contacts = g_strdup_printf (g_dngettext (NULL, "With contact details for %u of them",
                                                 "With contact details for %u of them", report->contacts),
                                    report->contacts);
      gtk_list_box_append (self->report_list, make_row (arrived, contacts));
    }
  for (guint i = 0; i < report->replays->len; i++)
    gtk_list_box_append (self->report_list,
                         make_row (_("Already merged"), g_ptr_array_index (report->replays, i)));
  for (guint i = 0; i < report->conflict_list->len; i++)
    {
      VwConflict *c = g_ptr_array_index (report->conflict_list, i);
      g_autofree char *title = g_strdup_printf (_("Conflict in %s %s"), c->object, c->field);
      g_autofree char *subtitle = g_strdup_printf (_("“%s” from device %s, %s"), c->value, c->device, c->updated);

      gtk_list_box_append (self->report_list, make_row (title, subtitle));
    }
  for (guint i = 0; i < report->duplicates->len; i++)
    {
      g_autofree char *codes = g_strjoinv (", ", g_ptr_array_index (report->duplicates, i));

      gtk_list_box_append (self->report_list,
                           make_row (_("Possible duplicate"), codes));
    }
}

static void
merge_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VwMergeDialog) self = user_data;
  g_autoptr(VwMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = vw_exchange_merge_finish (VW_VAULT (source), result, &error);
  g_clear_object (&self->cancellable);
  if (self->report_list == NULL)
    return; /* closed while merging */
  clear_list (self->report_list);
  gtk_widget_set_visible (GTK_WIDGET (self->report_list), TRUE);
  if (report == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
      gtk_list_box_append (self->report_list, make_row (_("Nothing was merged"), error->message));
    }
  else
    {
      gtk_progress_bar_set_fraction (self->progress, 1.0);
      show_report (self, report);
      g_ptr_array_set_size (self->files, 0);
      clear_list (self->files_list);
    }
  update_actions (self);
  if (report != NULL)
    g_signal_emit (self, signals[MERGED], 0);
}

static void
merge_run (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VwMergeDialog *self = VW_MERGE_DIALOG (widget);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (self->cancellable != NULL || self->files->len == 0)
    return;
  for (guint i = 0; i < self->files->len; i++)
    g_ptr_array_add (paths, g_file_get_path (g_ptr_array_index (self->files, i)));
  g_ptr_array_add (paths, NULL);

  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  update_actions (self);
  vw_exchange_merge_async (self->vault, self->study, (const char * const *) paths->pdata, on_progress, self,
                           self->cancellable, merge_done, g_object_ref (self));
}

static void
files_chosen (GtkWidget      *owner,
              GtkFileChooser *chooser,
              gpointer        user_data)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (chooser);

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      vw_merge_dialog_add_file (VW_MERGE_DIALOG (owner), file);
    }
}

static void
merge_choose (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GtkFileChooser *chooser;

  chooser = vw_file_chooser_new (widget, VW_MERGE_DIALOG (widget)->duo ? _("Choose Bundles") : _("Choose Submissions"),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, files_chosen, NULL, NULL);
  gtk_file_chooser_native_set_accept_label (GTK_FILE_CHOOSER_NATIVE (chooser), _("_Add"));
  gtk_file_chooser_set_select_multiple (chooser, TRUE);
  vw_file_chooser_show (chooser);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  VwMergeDialog *self = user_data;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->cancellable != NULL)
    return FALSE;
  for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
    vw_merge_dialog_add_file (self, l->data);
  return TRUE;
}

static void
vw_merge_dialog_dispose (GObject *object)
{
  VwMergeDialog *self = VW_MERGE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_MERGE_DIALOG);

  G_OBJECT_CLASS (vw_merge_dialog_parent_class)->dispose (object);
}

static void
vw_merge_dialog_finalize (GObject *object)
{
  VwMergeDialog *self = VW_MERGE_DIALOG (object);

  g_free (self->study);
  g_ptr_array_unref (self->files);

  G_OBJECT_CLASS (vw_merge_dialog_parent_class)->finalize (object);
}

static void
vw_merge_dialog_class_init (VwMergeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_merge_dialog_dispose;
  object_class->finalize = vw_merge_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-merge-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwMergeDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, VwMergeDialog, merge_button);
  gtk_widget_class_bind_template_child (widget_class, VwMergeDialog, files_list);
  gtk_widget_class_bind_template_child (widget_class, VwMergeDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, VwMergeDialog, report_list);

  /* Emitted after bundles were merged into the vault, so that views showing
   * its records can reload them. */
  signals[MERGED] = g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "merge.run", NULL, merge_run);
  gtk_widget_class_install_action (widget_class, "merge.choose", NULL, merge_choose);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "merge.choose", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_merge_dialog_init (VwMergeDialog *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->files = g_ptr_array_new_with_free_func (g_object_unref);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  update_actions (self);
}

VwMergeDialog *
vw_merge_dialog_new (GtkWindow  *parent,
                     VwVault    *vault,
                     const char *study)
{
  g_autoptr(VwStudy) info = NULL;
  VwMergeDialog *self;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_MERGE_DIALOG, "transient-for", parent, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  /* "Merge submissions" is the coordinator's work; a duo's laptop takes in
   * what other laptops send it. */
  info = vw_vault_get_study (vault, study, NULL);
  self->duo = info != NULL && info->role == VW_STUDY_ROLE_DUO;
  if (self->duo)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Open Bundles"));
      gtk_label_set_label (self->intro_label,
                           _("Drop a handover from another duo or a round preparation from the coordinator here, "
                             "or choose it. Every file is checked before anything is added to this laptop."));
      gtk_button_set_label (self->merge_button, _("_Add to This Laptop"));
    }
  vw_dialog_start (GTK_WINDOW (self), GTK_WIDGET (self->merge_button), NULL);
  return self;
}
