/* vw-merge-dialog.c: see vw-merge-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"
#include "vw-file-chooser.h"
#include "vw-merge-dialog.h"
#include "vw-save-chooser.h"

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
  GHashTable     *receipt_rows; /* owned: handover id -> its AdwActionRow (borrowed) in report_list */
  char           *choosing;     /* owned: the handover whose receipt the save chooser is for */
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
receipt_chosen (GtkWindow *parent,
                GFile     *file)
{
  VwMergeDialog *self = VW_MERGE_DIALOG (parent);
  g_autofree char *handover = g_steal_pointer (&self->choosing);

  if (handover != NULL)
    vw_merge_dialog_save_receipt (self, handover, file);
}

static void
save_receipt_clicked (GtkButton     *button,
                      VwMergeDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("veldwerk-receipt-%s.age", date);

  g_free (self->choosing);
  self->choosing = g_strdup (g_object_get_data (G_OBJECT (button), "vw-handover"));
  vw_save_chooser_show (GTK_WINDOW (self), _("Save Receipt"), name, receipt_chosen);
}

void
vw_merge_dialog_save_receipt (VwMergeDialog *self,
                              const char    *handover,
                              GFile         *file)
{
  AdwActionRow *row;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (VW_IS_MERGE_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if ((row = g_hash_table_lookup (self->receipt_rows, handover)) == NULL)
    return;
  name = g_file_get_basename (file);
  if ((path = vw_save_chooser_path (file, &message)) == NULL ||
      !vw_exchange_write_receipt (self->vault, self->study, handover, path, NULL, &error))
    {
      adw_action_row_set_subtitle (row, message != NULL ? message : error->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  /* Translators: the file saved, then the laptop it goes to. */
  subtitle = g_strdup_printf (_("Saved %s: send it to %s"), name,
                              (const char *) g_object_get_data (G_OBJECT (row), "vw-device"));
  adw_action_row_set_subtitle (row, subtitle);
}

/* A handover arrived whole: its sender waits for this laptop's word. */
static void
add_receipt_due (VwMergeDialog  *self,
                 VwMergeReceipt *due)
{
  g_autofree char *title = g_strdup_printf (_("Receipt for %s"), due->device_label);
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row, *button;

  subtitle = g_strdup_printf (g_dngettext (NULL, "Send it back to %s: it confirms that %u participant arrived whole",
                                           "Send it back to %s: it confirms that %u participants arrived whole",
                                           due->participants),
                              due->device_label, due->participants);
  row = make_row (title, subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  button = gtk_button_new_with_mnemonic (_("_Save Receipt…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "suggested-action");
  /* Translators: accessible label of a button; %s is the other duo's laptop. */
  accessible = g_strdup_printf (_("Save the receipt for %s"), due->device_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "vw-handover", g_strdup (due->handover), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (save_receipt_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data_full (G_OBJECT (row), "vw-device", g_strdup (due->device_label), g_free);
  g_hash_table_replace (self->receipt_rows, g_strdup (due->handover), row);
  gtk_list_box_append (self->report_list, row);
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
  for (guint i = 0; i < report->receipts_merged->len; i++)
    {
      VwMergeReceipt *r = g_ptr_array_index (report->receipts_merged, i);
      g_autofree char *title = g_strdup_printf (_("Receipt from %s"), r->device_label);
      g_autofree char *subtitle = NULL;

      if (r->participants > 0)
        subtitle = g_strdup_printf (g_dngettext (NULL, "The handover arrived: %u participant removed from this laptop",
                                                 "The handover arrived: %u participants removed from this laptop",
                                                 r->participants),
                                    r->participants);
      else
        subtitle = g_strdup (_("The handover arrived; its participants stay on this laptop too"));
      gtk_list_box_append (self->report_list, make_row (title, subtitle));
    }
  for (guint i = 0; i < report->receipts_due->len; i++)
    add_receipt_due (self, g_ptr_array_index (report->receipts_due, i));
  for (guint i = 0; i < report->replays->len; i++)
    gtk_list_box_append (self->report_list,
                         make_row (_("Already merged"), g_ptr_array_index (report->replays, i)));
  for (guint i = 0; i < report->conflict_list->len; i++)
    {
      VwConflict *c = g_ptr_array_index (report->conflict_list, i);
      g_autofree char *title = g_strdup_printf (_("Conflict in %s %s"), c->object, c->field);
      g_autofree char *label = vw_exchange_device_label (self->vault, c->device, NULL);
      g_autofree char *subtitle = NULL;

      /* A whole record's version is its fields: the conflicts dialog shows them. */
      if (vw_conflict_field_names (c->kind) != NULL)
        subtitle = g_strdup_printf (_("A version of the %s from device %s, %s"), c->kind, label ? label : c->device,
                                    c->updated);
      else
        subtitle = g_strdup_printf (_("“%s” from device %s, %s"), c->value, label ? label : c->device, c->updated);

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
  g_hash_table_remove_all (self->receipt_rows);
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
  g_free (self->choosing);
  g_ptr_array_unref (self->files);
  g_hash_table_unref (self->receipt_rows);

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
  self->receipt_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

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
                           _("Drop a handover or a receipt from another duo, or a round preparation from the "
                             "coordinator, here, or choose it. Every file is checked before anything is added to "
                             "this laptop."));
      gtk_button_set_label (self->merge_button, _("_Add to This Laptop"));
    }
  vw_dialog_start (GTK_WINDOW (self), GTK_WIDGET (self->merge_button), NULL);
  return self;
}
