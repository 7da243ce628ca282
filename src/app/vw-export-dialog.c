/* vw-export-dialog.c: the anonymized export dialog (see vw-export-dialog.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-export-dialog.h"

struct _VwExportDialog
{
  AdwWindow     parent_instance;

  /* Template widgets */
  GtkStack     *stack;
  GtkWidget    *export_button;
  AdwComboRow  *rules_row;
  AdwComboRow  *age_row;
  GtkSpinButton *k_spin;
  AdwComboRow  *rare_row;
  GtkSwitch    *csv_switch;
  GtkSwitch    *sav_switch;
  GtkSwitch    *dta_switch;
  GtkSwitch    *quotes_switch;
  GtkSwitch    *qdpx_switch;
  AdwActionRow *folder_row;
  AdwEntryRow  *name_row;
  AdwEntryRow  *recipients_row;
  AdwStatusPage *done_page;
  GtkWidget    *figures_list;
  GtkLabel     *smallest_label;
  GtkLabel     *k_label;
  GtkLabel     *released_label;
  GtkLabel     *generalized_label;
  GtkLabel     *suppressed_label;
  GtkLabel     *report_label;
  GtkSpinner   *spinner;

  /* Owned */
  VwVault      *vault;
  char         *study;
  VwRecords    *records;
  char         *folder;
  GCancellable *cancellable;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (VwExportDialog, vw_export_dialog, ADW_TYPE_WINDOW)

static void
show_page (VwExportDialog *self,
           const char     *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "running"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.run", g_str_equal (name, "options"));
  gtk_widget_set_visible (self->export_button, !g_str_equal (name, "done"));
}

static void
show_result (VwExportDialog *self,
             const char     *title,
             const char     *icon,
             const char     *text)
{
  adw_status_page_set_title (self->done_page, title);
  adw_status_page_set_icon_name (self->done_page, icon);
  gtk_label_set_text (self->report_label, text);
  gtk_widget_set_visible (self->figures_list, FALSE);
  show_page (self, "done");
}

static void
set_figure (GtkLabel *label,
            guint     value)
{
  char text[16];

  g_snprintf (text, sizeof text, "%u", value);
  gtk_label_set_text (label, text);
}

/* The figures the manifest holds, as the package was written. */
static void
show_figures (VwExportDialog *self,
              VwExport       *export)
{
  guint n = vw_export_get_n_participants (export);
  guint suppressed = vw_export_get_n_suppressed (export);
  g_autofree char *released = g_strdup_printf (_("%u of %u"), n - suppressed, n);

  set_figure (self->smallest_label, vw_export_get_smallest_group (export));
  set_figure (self->k_label, vw_export_get_k (export));
  gtk_label_set_text (self->released_label, released);
  set_figure (self->generalized_label, vw_export_get_n_generalized (export));
  set_figure (self->suppressed_label, suppressed);
  gtk_widget_set_visible (self->figures_list, TRUE);
}

static void
show_error (VwExportDialog *self,
            const GError   *error)
{
  show_result (self, _("Nothing Was Exported"), "dialog-error-symbolic", error->message);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VwExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwExport) export = vw_export_run_finish (result, &error);
  g_autofree char *report = NULL;

  /* Closed meanwhile: nothing left to show it in. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (export == NULL)
    {
      show_error (self, error);
      return;
    }
  report = vw_export_get_report (export);
  show_result (self, _("Export Ready"), "emblem-ok-symbolic", report);
  show_figures (self, export);
}

static VwExportFormats
chosen_formats (VwExportDialog *self)
{
  VwExportFormats formats = 0;

  if (gtk_switch_get_active (self->csv_switch))
    formats |= VW_EXPORT_FORMAT_CSV;
  if (gtk_switch_get_active (self->sav_switch))
    formats |= VW_EXPORT_FORMAT_SAV;
  if (gtk_switch_get_active (self->dta_switch))
    formats |= VW_EXPORT_FORMAT_DTA;
  if (gtk_switch_get_active (self->quotes_switch) && gtk_switch_get_active (self->qdpx_switch))
    formats |= VW_EXPORT_FORMAT_QDPX;
  return formats;
}

/* The vault belongs to this thread: the key, the quotes and the answers
 * are read here; building and writing run on a worker thread. */
static void
run_export (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VwExportDialog *self = VW_EXPORT_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) key = NULL;
  g_autoptr(VwStudy) study = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_auto(GStrv) recipient_texts = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file_name = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  VwExportOptions options = { 0 };

  if (self->folder == NULL || *name == '\0' || strchr (name, G_DIR_SEPARATOR) != NULL)
    {
      g_set_error_literal (&error, VW_EXPORT_ERROR, VW_EXPORT_ERROR_INVALID,
                           _("Choose a folder and give the export a name"));
      show_error (self, error);
      return;
    }

  recipient_texts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->recipients_row)), " \t\n,", -1);
  for (guint i = 0; recipient_texts[i] != NULL; i++)
    {
      VwAgeRecipient *recipient;

      if (*recipient_texts[i] == '\0')
        continue;
      recipient = vw_age_recipient_parse (recipient_texts[i], &error);
      if (recipient == NULL)
        {
          show_error (self, error);
          return;
        }
      g_ptr_array_add (recipients, recipient);
    }

  study = vw_vault_get_study (self->vault, self->study, &error);
  if (study != NULL)
    key = vw_vault_get_study_secret (self->vault, self->study, VW_STUDY_SECRET_EXPORT, &error);
  if (key != NULL && gtk_switch_get_active (self->quotes_switch))
    quotes = vw_export_collect_quotes (self->vault, self->study, &error);
  if (key == NULL || (gtk_switch_get_active (self->quotes_switch) && quotes == NULL) ||
      !vw_vault_audit (self->vault, "export_anonymized", self->study, NULL, &error))
    {
      show_error (self, error);
      return;
    }

  options.study_id = study->id;
  options.study_name = study->name;
  options.rules = adw_combo_row_get_selected (self->rules_row) == 1 ? VW_RULE_SET_FL4 : VW_RULE_SET_DH3;
  options.age_scheme = adw_combo_row_get_selected (self->age_row) == 1 ? "gv" : "dh";
  options.k = gtk_spin_button_get_value_as_int (self->k_spin);
  options.rare = adw_combo_row_get_selected (self->rare_row) == 1 ? VW_EXPORT_RARE_SUPPRESS
                                                                   : VW_EXPORT_RARE_GENERALIZE;
  options.formats = chosen_formats (self);
  options.include_quotes = gtk_switch_get_active (self->quotes_switch);
  options.language = "nl";
  options.recipients = recipients->len > 0 ? recipients : NULL;
  if (options.formats == 0)
    options.formats = VW_EXPORT_FORMAT_CSV;

  file_name = recipients->len > 0 ? g_strconcat (name, ".tar.age", NULL) : g_strdup (name);
  path = g_build_filename (self->folder, file_name, NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  show_page (self, "running");
  vw_export_run_async (self->records, quotes, key, &options, path, self->cancellable, on_export_done,
                       g_object_ref (self));
}

static void
on_folder_chosen (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  VwExportDialog *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        vw_export_dialog_set_destination (self, path, NULL);
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VwExportDialog *self = VW_EXPORT_DIALOG (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose a Folder for the Export"),
                                                                  GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                                  _("_Choose"), _("_Cancel")));
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_folder_chosen), self);
  gtk_native_dialog_show (self->chooser);
}

void
vw_export_dialog_set_destination (VwExportDialog *self,
                                  const char     *folder,
                                  const char     *name)
{
  g_return_if_fail (VW_IS_EXPORT_DIALOG (self));

  if (folder != NULL)
    {
      g_free (self->folder);
      self->folder = g_strdup (folder);
      adw_action_row_set_subtitle (self->folder_row, folder);
    }
  if (name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

const char *
vw_export_dialog_get_page (VwExportDialog *self)
{
  g_return_val_if_fail (VW_IS_EXPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
vw_export_dialog_get_report (VwExportDialog *self)
{
  g_return_val_if_fail (VW_IS_EXPORT_DIALOG (self), NULL);

  return gtk_label_get_text (self->report_label);
}

GtkWidget *
vw_export_dialog_new (GtkWindow  *parent,
                      VwVault    *vault,
                      const char *study,
                      VwRecords  *records)
{
  VwExportDialog *self;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "export-%Y-%m-%d");

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (study != NULL && records != NULL, NULL);

  self = g_object_new (VW_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);
  self->records = vw_records_ref (records);
  vw_export_dialog_set_destination (self, g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS), name);
  return GTK_WIDGET (self);
}

static void
vw_export_dialog_dispose (GObject *object)
{
  VwExportDialog *self = VW_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->records, vw_records_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (vw_export_dialog_parent_class)->dispose (object);
}

static void
vw_export_dialog_finalize (GObject *object)
{
  VwExportDialog *self = VW_EXPORT_DIALOG (object);

  g_free (self->study);
  g_free (self->folder);

  G_OBJECT_CLASS (vw_export_dialog_parent_class)->finalize (object);
}

static void
vw_export_dialog_class_init (VwExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_export_dialog_dispose;
  object_class->finalize = vw_export_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, rules_row);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, age_row);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, k_spin);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, rare_row);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, csv_switch);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, sav_switch);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, dta_switch);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, quotes_switch);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, qdpx_switch);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, recipients_row);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, figures_list);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, smallest_label);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, k_label);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, released_label);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, generalized_label);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, suppressed_label);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, report_label);
  gtk_widget_class_bind_template_child (widget_class, VwExportDialog, spinner);

  gtk_widget_class_install_action (widget_class, "export.run", NULL, run_export);
  gtk_widget_class_install_action (widget_class, "export.choose-folder", NULL, choose_folder);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vw_export_dialog_init (VwExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
