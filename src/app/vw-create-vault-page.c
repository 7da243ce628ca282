/* vw-create-vault-page.c: making a vault (see vw-create-vault-page.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-a11y.h"
#include "vw-create-vault-page.h"

struct _VwCreateVaultPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkStack             *stack;
  AdwActionRow         *location_row;
  GtkCheckButton       *coordinator_check;
  AdwPreferencesGroup  *study_group;
  AdwEntryRow          *study_row;
  AdwComboRow          *region_row;
  AdwPasswordEntryRow  *passphrase_row;
  AdwPasswordEntryRow  *repeat_row;
  GtkLevelBar          *strength_bar;
  GtkLabel             *strength_label;
  GtkLabel             *error_label;
  GtkButton            *create_button;
  GtkSpinner           *spinner;
  GtkLabel             *mismatch_label;
  GtkFlowBox           *code_box;
  GtkCheckButton       *wrote_check;
  AdwEntryRow          *confirm_row;
  GtkButton            *continue_button;

  /* Owned */
  char                 *path;
  VwVault              *vault;
  VwSecret             *recovery_code;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (VwCreateVaultPage, vw_create_vault_page, ADW_TYPE_BIN)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The codebook's regions, in its order. */
static const char *regions[] = { "DH", "FL", "GV", "MB", "ZK", "WL", "UT" };

int
vw_create_vault_page_rate_passphrase (const char *passphrase)
{
  glong chars = g_utf8_strlen (passphrase, -1);
  g_auto(GStrv) words = g_strsplit_set (passphrase, " -_.,", -1);
  guint n_words = 0;

  for (guint i = 0; words[i] != NULL; i++)
    n_words += strlen (words[i]) >= 3;

  if (chars < VW_VAULT_MIN_PASSPHRASE_CHARS)
    return 0;
  if (chars >= 20 || (n_words >= 4 && chars >= 16))
    return 3;
  if (chars >= 14 || n_words >= 3)
    return 2;
  return 1;
}

static void
show_error (VwCreateVaultPage *self,
            const char        *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
passphrase_changed (VwCreateVaultPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  int rating = vw_create_vault_page_rate_passphrase (text);
  gboolean coordinator = gtk_check_button_get_active (self->coordinator_check);
  const char *hints[] = {
    N_("Too short: use at least 8 characters, a few words are best"),
    N_("Weak: add another word or two"),
    N_("Good: longer is even stronger"),
    N_("Strong"),
  };

  gtk_level_bar_set_value (self->strength_bar, *text ? rating + 1 : 0);
  gtk_label_set_label (self->strength_label, *text ? _(hints[rating]) : _("Use a few words you can remember, "
                                                                           "not a name or a date"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            rating > 0 && g_str_equal (text, repeat) &&
                            (!coordinator || *gtk_editable_get_text (GTK_EDITABLE (self->study_row)) != '\0'));
  /* Said in words, not only in red; and only while it is so. */
  if (*repeat != '\0' && !g_str_equal (text, repeat))
    gtk_widget_add_css_class (GTK_WIDGET (self->repeat_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->repeat_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->mismatch_label), *repeat != '\0' && !g_str_equal (text, repeat));
  /* A failure to create is about what was typed before. */
  show_error (self, NULL);
}

/* A duo's vault starts without a study: the coordinator's invitation
 * brings it. Only a coordinator names a study here. */
static void
role_changed (VwCreateVaultPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->study_group), gtk_check_button_get_active (self->coordinator_check));
  passphrase_changed (self);
}

typedef struct
{
  char                 *path;
  char                 *study;
  const char           *region;
  VwSecret             *passphrase;
  VwSecret             *recovery_code;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->path);
  g_free (data->study);
  g_clear_pointer (&data->passphrase, vw_secret_free);
  g_clear_pointer (&data->recovery_code, vw_secret_free);
  g_free (data);
}

/* The vault is made, and its keys stretched, in a worker thread; it is
 * handed to the main thread only when the thread is done with it. */
static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CreateData *data = task_data;
  VwVaultCreateOptions options = {
    .study_name = data->study,
    .study_region = data->region,
    .study_role = VW_STUDY_ROLE_COORDINATOR,
  };
  GError *error = NULL;
  VwVault *vault;

  vault = vw_vault_create (data->path, data->passphrase, &options, &data->recovery_code, cancellable, &error);
  if (vault == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vault, g_object_unref);
}

static void
set_busy (VwCreateVaultPage *self,
          gboolean           busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), !busy);
}

static void
update_continue (VwCreateVaultPage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  const char *code;
  g_autofree char *last = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (typed));
  g_autofree char *normal = NULL;
  gboolean ok = FALSE;

  if (self->recovery_code != NULL && gtk_check_button_get_active (self->wrote_check))
    {
      code = (const char *) vw_secret_const_data (self->recovery_code);
      last = g_strndup (strrchr (code, '-') + 1, VW_RECOVERY_CODE_GROUP_LEN);
      normal = g_ascii_strup (stripped, -1);
      ok = g_str_equal (last, normal);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), ok);
}

/* The code, one label per group with its dash, so that a line never ends
 * inside a group; none when @code is %NULL. */
static void
show_code (VwCreateVaultPage *self,
           const char        *code)
{
  GtkWidget *child;
  g_auto(GStrv) groups = code != NULL ? g_strsplit (code, "-", -1) : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->code_box))) != NULL)
    gtk_flow_box_remove (self->code_box, child);
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    {
      g_autofree char *text = g_strconcat (groups[i], groups[i + 1] != NULL ? "-" : "", NULL);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "title-2");
      gtk_widget_add_css_class (label, "monospace");
      gtk_flow_box_append (self->code_box, label);
      gtk_widget_set_focusable (gtk_widget_get_parent (label), FALSE);
    }
}

static void
create_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  VwCreateVaultPage *self = VW_CREATE_VAULT_PAGE (source);
  CreateData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (vault == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_set_object (&self->vault, vault);
  self->recovery_code = g_steal_pointer (&data->recovery_code);
  show_code (self, (const char *) vw_secret_const_data (self->recovery_code));
  gtk_check_button_set_active (self->wrote_check, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  update_continue (self);
  gtk_stack_set_visible_child_name (self->stack, "recovery");
  gtk_widget_grab_focus (GTK_WIDGET (self->wrote_check));
}

static void
create_clicked (VwCreateVaultPage *self)
{
  g_autoptr(GTask) task = NULL;
  CreateData *data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  guint region = adw_combo_row_get_selected (self->region_row);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)) || gtk_spinner_get_spinning (self->spinner))
    return;

  data = g_new0 (CreateData, 1);
  data->path = g_strdup (self->path);
  if (gtk_check_button_get_active (self->coordinator_check))
    data->study = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->study_row)));
  data->region = regions[MIN (region, G_N_ELEMENTS (regions) - 1)];
  data->passphrase = vw_secret_new_from ((const guint8 *) text, strlen (text));

  show_error (self, NULL);
  set_busy (self, TRUE);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, create_done, NULL);
  g_task_set_source_tag (task, create_clicked);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);
  g_task_run_in_thread (task, create_thread);
}

static void
continue_clicked (VwCreateVaultPage *self)
{
  g_autoptr(VwVault) vault = NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->continue_button)) || self->vault == NULL)
    return;

  /* The code is shown only once: wipe it now. */
  g_clear_pointer (&self->recovery_code, vw_secret_free);
  show_code (self, NULL);
  vault = g_steal_pointer (&self->vault);
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, vault);
}

void
vw_create_vault_page_reset (VwCreateVaultPage *self,
                            const char        *path)
{
  g_autofree char *display = NULL;

  g_return_if_fail (VW_IS_CREATE_VAULT_PAGE (self));
  g_return_if_fail (path != NULL);

  g_free (self->path);
  self->path = g_strdup (path);
  display = g_filename_display_name (path);
  adw_action_row_set_subtitle (self->location_row, display);
  g_clear_pointer (&self->recovery_code, vw_secret_free);
  show_code (self, NULL);
  g_clear_object (&self->vault);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  show_error (self, NULL);
  set_busy (self, FALSE);
  passphrase_changed (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
}

const char *
vw_create_vault_page_get_recovery_code (VwCreateVaultPage *self)
{
  g_return_val_if_fail (VW_IS_CREATE_VAULT_PAGE (self), NULL);

  return self->recovery_code ? (const char *) vw_secret_const_data (self->recovery_code) : NULL;
}

static gboolean
vw_create_vault_page_grab_focus (GtkWidget *widget)
{
  VwCreateVaultPage *self = VW_CREATE_VAULT_PAGE (widget);

  if (gtk_check_button_get_active (self->coordinator_check))
    return gtk_widget_grab_focus (GTK_WIDGET (self->study_row));
  return gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
vw_create_vault_page_dispose (GObject *object)
{
  VwCreateVaultPage *self = VW_CREATE_VAULT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->recovery_code, vw_secret_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_CREATE_VAULT_PAGE);

  G_OBJECT_CLASS (vw_create_vault_page_parent_class)->dispose (object);
}

static void
vw_create_vault_page_finalize (GObject *object)
{
  VwCreateVaultPage *self = VW_CREATE_VAULT_PAGE (object);

  g_free (self->path);

  G_OBJECT_CLASS (vw_create_vault_page_parent_class)->finalize (object);
}

static void
vw_create_vault_page_class_init (VwCreateVaultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_create_vault_page_dispose;
  object_class->finalize = vw_create_vault_page_finalize;
  widget_class->grab_focus = vw_create_vault_page_grab_focus;

  /**
   * VwCreateVaultPage::created:
   * @vault: the new vault, unlocked
   *
   * The vault is made and the user confirmed the recovery code.
   */
  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, VW_TYPE_VAULT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-create-vault-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, location_row);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, coordinator_check);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, study_group);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, study_row);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, strength_label);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, mismatch_label);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, code_box);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, wrote_check);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, VwCreateVaultPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_changed);
  gtk_widget_class_bind_template_callback (widget_class, role_changed);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, update_continue);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked);
}

static void
vw_create_vault_page_init (VwCreateVaultPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *labels[] = {
    N_("Den Haag"), N_("Flevoland"), N_("Gooi en Vechtstreek"), N_("Meierij en Bommelerwaard"),
    N_("Zuid-Kennemerland/IJmond/Haarlemmermeer"), N_("Waterland"), N_("Utrecht"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  vw_a11y_name_password_row (self->passphrase_row);
  vw_a11y_name_password_row (self->repeat_row);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *label = g_strdup_printf ("%s (%s)", _(labels[i]), regions[i]);
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (names));
  gtk_level_bar_add_offset_value (self->strength_bar, "weak", 1.0);
  gtk_level_bar_add_offset_value (self->strength_bar, "fair", 2.0);
  gtk_level_bar_add_offset_value (self->strength_bar, "good", 3.0);
  gtk_level_bar_add_offset_value (self->strength_bar, "strong", 4.0);
  passphrase_changed (self);
}
