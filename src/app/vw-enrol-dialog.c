/* vw-enrol-dialog.c: enrolling a participant (see vw-enrol-dialog.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-study.h"
#include "vw-validate.h"
#include "vw-vault-contacts.h"

#include "vw-dialog.h"
#include "vw-enrol-dialog.h"

struct _VwEnrolDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  GtkButton   *enrol_button;
  AdwEntryRow *pseudonym_row;
  GtkLabel    *pseudonym_label;
  AdwActionRow *code_row;
  AdwComboRow *region_row;
  AdwEntryRow *municipality_row;
  AdwEntryRow *birth_year_row;
  AdwEntryRow *name_row;
  AdwEntryRow *birth_date_row;
  AdwEntryRow *phone_row;
  AdwEntryRow *place_row;
  AdwEntryRow *care_row;
  AdwEntryRow *remarks_row;
  GtkLabel    *error_label;

  /* Owned */
  VwVault     *vault;
  char        *study;
  GStrv        regions;
  gboolean     pseudonym_ok;
  char        *pseudonym_message; /* what the check of the pseudonym said */
};

G_DEFINE_FINAL_TYPE (VwEnrolDialog, vw_enrol_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_ENROLLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* NULL for an empty field: not recorded. */
static char *
value_of (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (text_of (row)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* NULL for an empty field; otherwise the text as typed: the validators
 * refuse white space around a pseudonym or municipality rather than this
 * dialog trimming it where the import would refuse it. */
static const char *
typed_value (AdwEntryRow *row)
{
  const char *text = text_of (row);

  return *text != '\0' ? text : NULL;
}

/* The fields besides the pseudonym, by the core's validators (the vault
 * checks the same again when it stores them): the participant's first
 * problem and the birth date's. */
static gboolean
fields_ok (VwEnrolDialog  *self,
           AdwEntryRow   **field,
           GError        **participant,
           GError        **birth_date)
{
  g_autofree char *date = value_of (self->birth_date_row);
  gboolean date_ok = vw_validate_date ("birth_date", date, birth_date);

  *field = self->municipality_row;
  if (!vw_validate_municipality (typed_value (self->municipality_row), participant))
    return FALSE;
  *field = self->birth_year_row;
  if (!vw_validate_birth_year (typed_value (self->birth_year_row), participant))
    return FALSE;
  *field = NULL;
  return date_ok;
}

gboolean
vw_enrol_dialog_can_enrol (VwEnrolDialog *self)
{
  AdwEntryRow *field;

  g_return_val_if_fail (VW_IS_ENROL_DIALOG (self), FALSE);

  return self->pseudonym_ok && fields_ok (self, &field, NULL, NULL);
}

static void
mark_row (AdwEntryRow *row,
          gboolean     ok)
{
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

/* Each problem is shown with the validator's own message, which names the
 * field, below the group that holds it. */
static void
update_sensitive (VwEnrolDialog *self)
{
  g_autoptr(GError) participant = NULL;
  g_autoptr(GError) birth_date = NULL;
  AdwEntryRow *field = NULL;
  gboolean pseudonym_wrong = !self->pseudonym_ok && typed_value (self->pseudonym_row) != NULL;
  const char *below;

  fields_ok (self, &field, &participant, &birth_date);
  mark_row (self->pseudonym_row, !pseudonym_wrong);
  mark_row (self->municipality_row, field != self->municipality_row);
  mark_row (self->birth_year_row, field != self->birth_year_row);
  mark_row (self->birth_date_row, birth_date == NULL);

  /* Below the participant's fields: the pseudonym's problem first, then
   * the municipality's or the birth year's, else the pseudonym's hint. */
  below = !pseudonym_wrong && participant != NULL ? participant->message : self->pseudonym_message;
  gtk_label_set_label (self->pseudonym_label, below ? below : "");
  if (pseudonym_wrong || participant != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->pseudonym_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->pseudonym_label), "error");
  /* Below the contact details, the last of which is the birth date. */
  gtk_label_set_label (self->error_label, birth_date != NULL ? birth_date->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), birth_date != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), vw_enrol_dialog_can_enrol (self));
}

static void
pseudonym_changed (VwEnrolDialog *self)
{
  const char *pseudonym = typed_value (self->pseudonym_row);
  g_autoptr(GError) error = NULL;

  self->pseudonym_ok = FALSE;
  g_clear_pointer (&self->pseudonym_message, g_free);
  if (pseudonym == NULL)
    self->pseudonym_message = g_strdup (_("A first name that is not the participant’s own; it is used in reports."));
  else if (vw_vault_pseudonym_available (self->vault, self->study, pseudonym, NULL, &error))
    {
      self->pseudonym_ok = TRUE;
      self->pseudonym_message = g_strdup (_("This pseudonym is free."));
    }
  else
    self->pseudonym_message = g_strdup (error ? error->message
                                              : _("This pseudonym is already used in this study: choose another one."));
  update_sensitive (self);
}

static void
region_changed (VwEnrolDialog *self)
{
  guint i = adw_combo_row_get_selected (self->region_row);
  g_autofree char *subtitle = NULL;

  if (self->regions == NULL || i >= g_strv_length (self->regions))
    return;
  /* Translators: %s is a region code such as DH */
  subtitle = g_strdup_printf (_("Made at random when you enrol: %s- and five characters"), self->regions[i]);
  adw_action_row_set_subtitle (self->code_row, subtitle);
}

gboolean
vw_enrol_dialog_enrol (VwEnrolDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) participant = NULL;
  const char *pseudonym = typed_value (self->pseudonym_row);
  const char *municipality = typed_value (self->municipality_row);
  const char *birth_year = typed_value (self->birth_year_row);
  g_autofree char *birth_date = value_of (self->birth_date_row);
  VwContact contact = {
    .real_name = value_of (self->name_row),
    .phone = value_of (self->phone_row),
    .usual_place = value_of (self->place_row),
    .care_contact = value_of (self->care_row),
    .remarks = value_of (self->remarks_row),
  };
  const char *region;

  g_return_val_if_fail (VW_IS_ENROL_DIALOG (self), FALSE);

  if (!vw_enrol_dialog_can_enrol (self))
    goto out;
  region = self->regions[MIN (adw_combo_row_get_selected (self->region_row), g_strv_length (self->regions) - 1)];

  /* One transaction: a participant is enrolled with everything typed, or
   * not at all. */
  if (!vw_vault_begin (self->vault, &error))
    goto out;
  participant = vw_vault_create_participant (self->vault, self->study, NULL, pseudonym, region, &error);
  if (participant == NULL ||
      (municipality != NULL && !vw_vault_set_participant_value (self->vault, self->study, participant->code,
                                                                "municipality", municipality, &error)) ||
      (birth_year != NULL && !vw_vault_set_participant_value (self->vault, self->study, participant->code,
                                                              "birth_year", birth_year, &error)) ||
      ((contact.phone || contact.usual_place || contact.care_contact || contact.real_name || contact.remarks) &&
       !vw_vault_set_contact (self->vault, self->study, participant->code, &contact, &error)) ||
      /* The name and birth date themselves are kept only as the contact's
       * name; the birth date is used for the keyed hash and then dropped. */
      (contact.real_name != NULL && birth_date != NULL &&
       !vw_vault_set_linkage_identity (self->vault, self->study, participant->code,
                                       contact.real_name, birth_date, &error)) ||
      !vw_vault_commit (self->vault, &error))
    {
      vw_vault_rollback (self->vault);
      g_clear_pointer (&participant, vw_participant_free);
    }

out:
  g_free (contact.phone);
  g_free (contact.usual_place);
  g_free (contact.care_contact);
  g_free (contact.remarks);
  g_free (contact.real_name);

  if (participant == NULL)
    {
      gtk_label_set_label (self->error_label, error ? error->message : _("Check the pseudonym, the birth year and the birth date."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_ENROLLED], 0, participant->code);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

/* Whatever was typed is lost when the dialog closes without enrolling. */
static gboolean
has_typed_content (GtkWindow *dialog)
{
  VwEnrolDialog *self = VW_ENROL_DIALOG (dialog);
  AdwEntryRow *rows[] = {
    self->pseudonym_row, self->municipality_row, self->birth_year_row, self->name_row, self->birth_date_row,
    self->phone_row, self->place_row, self->care_row, self->remarks_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = value_of (rows[i]);
      if (value != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
enrol_clicked (VwEnrolDialog *self)
{
  vw_enrol_dialog_enrol (self);
}

static void
cancel_clicked (VwEnrolDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

GtkWidget *
vw_enrol_dialog_new (GtkWindow  *parent,
                     VwVault    *vault,
                     const char *study)
{
  VwEnrolDialog *self;
  g_autoptr(VwStudy) s = NULL;
  g_autoptr(GtkStringList) names = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VW_IS_VAULT (vault), NULL);
  g_return_val_if_fail (study != NULL, NULL);

  self = g_object_new (VW_TYPE_ENROL_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->vault = g_object_ref (vault);
  self->study = g_strdup (study);

  s = vw_vault_get_study (vault, study, &error);
  if (s != NULL)
    self->regions = g_strdupv (s->regions);
  else
    self->regions = g_new0 (char *, 1);
  names = gtk_string_list_new ((const char * const *) self->regions);
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (names));
  region_changed (self);
  pseudonym_changed (self);
  vw_dialog_start (GTK_WINDOW (self), GTK_WIDGET (self->enrol_button), GTK_WIDGET (self->pseudonym_row));
  vw_dialog_confirm_discard (GTK_WINDOW (self), has_typed_content);

  return GTK_WIDGET (self);
}

static void
vw_enrol_dialog_dispose (GObject *object)
{
  VwEnrolDialog *self = VW_ENROL_DIALOG (object);

  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_ENROL_DIALOG);

  G_OBJECT_CLASS (vw_enrol_dialog_parent_class)->dispose (object);
}

static void
vw_enrol_dialog_finalize (GObject *object)
{
  VwEnrolDialog *self = VW_ENROL_DIALOG (object);

  g_free (self->study);
  g_strfreev (self->regions);
  g_free (self->pseudonym_message);

  G_OBJECT_CLASS (vw_enrol_dialog_parent_class)->finalize (object);
}

static void
vw_enrol_dialog_class_init (VwEnrolDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_enrol_dialog_dispose;
  object_class->finalize = vw_enrol_dialog_finalize;

  /**
   * VwEnrolDialog::enrolled:
   * @code: the new participant's code
   */
  signals[SIGNAL_ENROLLED] =
    g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-enrol-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, enrol_button);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, pseudonym_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, pseudonym_label);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, region_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, municipality_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, birth_year_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, place_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, care_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, remarks_row);
  gtk_widget_class_bind_template_child (widget_class, VwEnrolDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, pseudonym_changed);
  gtk_widget_class_bind_template_callback (widget_class, region_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitive);
  gtk_widget_class_bind_template_callback (widget_class, enrol_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
}

static void
vw_enrol_dialog_init (VwEnrolDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
