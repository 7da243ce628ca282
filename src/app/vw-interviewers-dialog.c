/* vw-interviewers-dialog.c: editing the interviewers (see
 * vw-interviewers-dialog.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"
#include "vw-interviewers-dialog.h"

struct _VwInterviewersDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *list_group;
  AdwEntryRow         *name_row;
  AdwComboRow         *role_row;
  AdwEntryRow         *date_row;
  GtkButton           *add_button;
  GtkLabel            *error_label;

  /* Owned */
  VwVault             *vault;
  GPtrArray           *rows;  /* the rows of list_group */
};

G_DEFINE_FINAL_TYPE (VwInterviewersDialog, vw_interviewers_dialog, ADW_TYPE_WINDOW)

static const char *
role_label (VwInterviewerRole role)
{
  return role == VW_INTERVIEWER_PEER_RESEARCHER ? _("Peer researcher (lived experience)") : _("Researcher");
}

static void
show_error (VwInterviewersDialog *self,
            const GError         *error)
{
  gtk_label_set_label (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void reload (VwInterviewersDialog *self);

/* A row's fields were edited: store the interviewer with them. */
static void
row_apply (VwInterviewersDialog *self,
           GObject              *field)
{
  GtkWidget *row = g_object_get_data (field, "vw-expander");
  g_autoptr(GError) error = NULL;
  g_autoptr(VwInterviewer) interviewer = NULL;
  AdwEntryRow *name = g_object_get_data (G_OBJECT (row), "vw-name");
  AdwComboRow *role = g_object_get_data (G_OBJECT (row), "vw-role");
  AdwEntryRow *date = g_object_get_data (G_OBJECT (row), "vw-date");
  const char *date_text = gtk_editable_get_text (GTK_EDITABLE (date));

  interviewer = vw_vault_get_interviewer (self->vault, g_object_get_data (G_OBJECT (row), "vw-id"), &error);
  if (interviewer != NULL)
    {
      g_free (interviewer->name);
      interviewer->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (name)));
      interviewer->role = adw_combo_row_get_selected (role) == 1 ? VW_INTERVIEWER_PEER_RESEARCHER
                                                                 : VW_INTERVIEWER_RESEARCHER;
      g_free (interviewer->training_date);
      interviewer->training_date = *date_text ? g_strdup (date_text) : NULL;
    }
  if (interviewer == NULL || !vw_vault_update_interviewer (self->vault, interviewer, &error))
    {
      show_error (self, error);
      return;
    }
  show_error (self, NULL);
  reload (self);
}

static GtkStringList *
role_model (void)
{
  GtkStringList *roles = gtk_string_list_new (NULL);

  gtk_string_list_append (roles, role_label (VW_INTERVIEWER_RESEARCHER));
  gtk_string_list_append (roles, role_label (VW_INTERVIEWER_PEER_RESEARCHER));
  return roles;
}

static GtkWidget *
make_row (VwInterviewersDialog *self,
          const VwInterviewer  *interviewer)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *name = adw_entry_row_new ();
  GtkWidget *role = adw_combo_row_new ();
  GtkWidget *date = adw_entry_row_new ();
  g_autoptr(GtkStringList) roles = role_model ();
  g_autofree char *subtitle = NULL;

  if (interviewer->training_date != NULL)
    /* Translators: role of an interviewer and the date of their training */
    subtitle = g_strdup_printf (_("%s · trained %s"), role_label (interviewer->role), interviewer->training_date);
  else
    subtitle = g_strdup (role_label (interviewer->role));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), interviewer->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (name), interviewer->name);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (name), TRUE);
  g_signal_connect_object (name, "apply", G_CALLBACK (row_apply), self, G_CONNECT_SWAPPED);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role), _("Role"));
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (role), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (role), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (role), interviewer->role == VW_INTERVIEWER_PEER_RESEARCHER);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (date), _("Training date (YYYY-MM-DD)"));
  gtk_editable_set_text (GTK_EDITABLE (date), interviewer->training_date ? interviewer->training_date : "");
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (date), TRUE);
  g_signal_connect_object (date, "apply", G_CALLBACK (row_apply), self, G_CONNECT_SWAPPED);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), name);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), role);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), date);

  g_object_set_data_full (G_OBJECT (row), "vw-id", g_strdup (interviewer->id), g_free);
  g_object_set_data (G_OBJECT (row), "vw-name", name);
  g_object_set_data (G_OBJECT (row), "vw-role", role);
  g_object_set_data (G_OBJECT (row), "vw-date", date);
  /* Each field finds the row, and so the interviewer, it belongs to. */
  g_object_set_data (G_OBJECT (name), "vw-expander", row);
  g_object_set_data (G_OBJECT (role), "vw-expander", row);
  g_object_set_data (G_OBJECT (date), "vw-expander", row);
  g_signal_connect_object (role, "notify::selected", G_CALLBACK (row_apply), self, G_CONNECT_SWAPPED);
  return row;
}

static void
reload (VwInterviewersDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) interviewers = vw_vault_list_interviewers (self->vault, &error);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->list_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (interviewers == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < interviewers->len; i++)
    {
      GtkWidget *row = make_row (self, g_ptr_array_index (interviewers, i));
      adw_preferences_group_add (self->list_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

gboolean
vw_interviewers_dialog_add (VwInterviewersDialog *self,
                            const char           *name,
                            VwInterviewerRole     role,
                            const char           *training_date)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (VW_IS_INTERVIEWERS_DIALOG (self), FALSE);

  id = vw_vault_add_interviewer (self->vault, name, role,
                                 training_date && *training_date ? training_date : NULL, &error);
  if (id == NULL)
    {
      show_error (self, error);
      return FALSE;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), "");
  reload (self);
  return TRUE;
}

static void
add_clicked (VwInterviewersDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (*name == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  vw_interviewers_dialog_add (self, name,
                              adw_combo_row_get_selected (self->role_row) == 1 ? VW_INTERVIEWER_PEER_RESEARCHER
                                                                               : VW_INTERVIEWER_RESEARCHER,
                              gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
}

/* A name typed but not added is lost when the dialog closes. */
static gboolean
has_typed_content (GtkWindow *dialog)
{
  VwInterviewersDialog *self = VW_INTERVIEWERS_DIALOG (dialog);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  return *name != '\0';
}

GtkWidget *
vw_interviewers_dialog_new (GtkWindow *parent,
                            VwVault   *vault)
{
  VwInterviewersDialog *self;
  g_autoptr(GtkStringList) roles = role_model ();

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);

  self = g_object_new (VW_TYPE_INTERVIEWERS_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->vault = g_object_ref (vault);
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
  reload (self);
  vw_dialog_start (GTK_WINDOW (self), GTK_WIDGET (self->add_button), GTK_WIDGET (self->name_row));
  vw_dialog_confirm_discard (GTK_WINDOW (self), has_typed_content);

  return GTK_WIDGET (self);
}

static void
vw_interviewers_dialog_dispose (GObject *object)
{
  VwInterviewersDialog *self = VW_INTERVIEWERS_DIALOG (object);

  g_clear_object (&self->vault);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_INTERVIEWERS_DIALOG);

  G_OBJECT_CLASS (vw_interviewers_dialog_parent_class)->dispose (object);
}

static void
vw_interviewers_dialog_class_init (VwInterviewersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_interviewers_dialog_dispose;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-interviewers-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwInterviewersDialog, list_group);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewersDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewersDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewersDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewersDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, VwInterviewersDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked);
}

static void
vw_interviewers_dialog_init (VwInterviewersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}
