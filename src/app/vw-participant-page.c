/* vw-participant-page.c: one participant (see vw-participant-page.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-handover-state.h"
#include "vw-nonresponse-dialog.h"
#include "vw-participant-page.h"
#include "vw-reopen-dialog.h"
#include "vw-round-status.h"
#include "vw-vault-tracing.h"

struct _VwParticipantPage
{
  AdwBin      parent_instance;

  /* Template widgets */
  GtkLabel   *title_label;
  GtkLabel   *details_label;
  GtkButton  *handover_button;
  GtkListBox *handover_list;
  AdwActionRow *handover_row;
  GtkButton  *cancel_handover_button;
  GtkListBox *rounds_list;
  GtkListBox *quotes_list;
  GtkListBox *locators_list;

  /* Owned */
  VwVault    *vault;
  char       *study;
  char       *code;
  VwHandover *awaiting;      /* nullable: the handover it awaits a receipt for */
  AdwMessageDialog *confirmation; /* borrowed while open */
};

G_DEFINE_FINAL_TYPE (VwParticipantPage, vw_participant_page, ADW_TYPE_BIN)

enum {
  SIGNAL_START_INTERVIEW,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
start_clicked (GtkButton         *button,
               VwParticipantPage *self)
{
  g_signal_emit (self, signals[SIGNAL_START_INTERVIEW], 0, g_object_get_data (G_OBJECT (button), "vw-round"));
}

static void
nonresponse_clicked (GtkButton         *button,
                     VwParticipantPage *self)
{
  vw_participant_page_record_nonresponse (self, g_object_get_data (G_OBJECT (button), "vw-round"));
}

/* Reopened: the duo goes on with the interview. */
static void
reopened (VwParticipantPage *self,
          const char        *round)
{
  g_signal_emit (self, signals[SIGNAL_START_INTERVIEW], 0, round);
}

static void
reopen_clicked (GtkButton         *button,
                VwParticipantPage *self)
{
  vw_participant_page_reopen (self, g_object_get_data (G_OBJECT (button), "vw-round"));
}

static void
reload (VwParticipantPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!vw_participant_page_load (self, self->vault, self->study, self->code, &error))
    g_warning ("Cannot show participant %s: %s", self->code, error->message);
}

/**
 * vw_participant_page_reopen:
 *
 * Asks why the finished interview of @round is opened again; once it is,
 * the page emits ::start-interview for it.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
vw_participant_page_reopen (VwParticipantPage *self,
                            const char        *round)
{
  g_autoptr(VwInterview) interview = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (VW_IS_PARTICIPANT_PAGE (self), NULL);

  interview = vw_vault_find_interview (self->vault, self->study, self->code, round, NULL);
  if (interview == NULL)
    return NULL;
  dialog = vw_reopen_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->vault, interview->id,
                                 round);
  g_signal_connect_object (dialog, "reopened", G_CALLBACK (reopened), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

GtkWidget *
vw_participant_page_record_nonresponse (VwParticipantPage *self,
                                        const char        *round)
{
  GtkWidget *dialog;

  g_return_val_if_fail (VW_IS_PARTICIPANT_PAGE (self), NULL);

  dialog = vw_nonresponse_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->vault,
                                      self->study, self->code, round);
  g_signal_connect_object (dialog, "recorded", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static GtkWidget *
make_button (VwParticipantPage *self,
             const char        *label,
             const char        *accessible,
             const char        *round,
             GCallback          callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "vw-round", g_strdup (round), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
make_round_row (VwParticipantPage *self,
                const VwRound     *round,
                const VwInterview *interview,
                gboolean           read_only)
{
  const char *status = vw_round_status_from_interview (interview);
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (vw_round_status_label (status));
  g_autofree char *title = NULL;

  /* Translators: a round of interviews, e.g. Round T1 */
  title = g_strdup_printf (_("Round %s"), round->label);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (interview != NULL && interview->date != NULL)
    g_string_append_printf (subtitle, " · %s", interview->date);
  if (interview != NULL && interview->nonresponse_reason != NULL)
    g_string_append_printf (subtitle, " · %s", interview->nonresponse_reason);
  if (round->destroyed_at != NULL)
    g_string_assign (subtitle, _("The data of this round was destroyed"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), vw_round_status_badge_new (NULL, status));

  if (!read_only && round->destroyed_at == NULL &&
      (g_str_equal (status, "planned") || g_str_equal (status, "in_progress")))
    {
      g_autofree char *a11y_start = NULL;
      g_autofree char *a11y_nr = NULL;
      gboolean resume = g_str_equal (status, "in_progress");
      GtkWidget *start;

      /* Translators: accessible label of a button; %s is a round such as T1 */
      a11y_start = g_strdup_printf (resume ? _("Resume the interview of round %s") : _("Start the interview of round %s"),
                                    round->label);
      /* Translators: accessible label of a button; %s is a round such as T1 */
      a11y_nr = g_strdup_printf (_("Record a non-response in round %s"), round->label);
      start = make_button (self, resume ? _("_Resume Interview") : _("_Start Interview"), a11y_start,
                           round->label, G_CALLBACK (start_clicked));
      gtk_widget_add_css_class (start, "suggested-action");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_button (self, _("_Non-Response…"), a11y_nr,
                                                                    round->label,
                                                                    G_CALLBACK (nonresponse_clicked)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), start);
    }
  /* A finished interview can be opened again, with a reason. */
  else if (round->destroyed_at == NULL && interview != NULL && interview->state == VW_INTERVIEW_FINISHED &&
           g_str_equal (status, "interviewed") && interview->questionnaire_id != NULL)
    {
      g_autofree char *a11y_reopen = NULL;

      /* Translators: accessible label of a button; %s is a round such as T1 */
      a11y_reopen = g_strdup_printf (_("Reopen the interview of round %s"), round->label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_button (self, _("Re_open…"), a11y_reopen, round->label,
                                                                    G_CALLBACK (reopen_clicked)));
    }
  return row;
}

static const char *
locator_kind_label (const char *kind)
{
  static const struct { const char *code, *label; } labels[] = {
    { "person", N_("A person") },
    { "organisation", N_("An organisation") },
    { "sleeping_place", N_("Where the person sleeps") },
    { "post_address", N_("Where post arrives") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].code, kind) == 0)
      return _(labels[i].label);
  return kind;
}

static void
locator_apply (AdwEntryRow       *entry,
               VwParticipantPage *self)
{
  AdwComboRow *kind = g_object_get_data (G_OBJECT (entry), "vw-kind");
  GtkLabel *error_label = g_object_get_data (G_OBJECT (entry), "vw-error");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = vw_vault_save_locator (self->vault, self->study, self->code, NULL,
                                               vw_locator_kinds[adw_combo_row_get_selected (kind)],
                                               gtk_editable_get_text (GTK_EDITABLE (entry)), &error);

  if (id == NULL)
    {
      gtk_label_set_label (error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      return;
    }
  reload (self);
}

static void
locator_add_clicked (AdwEntryRow *entry)
{
  g_signal_emit_by_name (entry, "apply");
}

static void
locator_delete (GtkButton         *button,
                VwParticipantPage *self)
{
  g_autoptr(GError) error = NULL;

  if (vw_vault_delete_locator (self->vault, g_object_get_data (G_OBJECT (button), "vw-id"), &error))
    reload (self);
}

static gboolean
fill_locators (VwParticipantPage  *self,
               GError            **error)
{
  g_autoptr(GPtrArray) locators = vw_vault_list_locators (self->vault, self->study, self->code, error);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  GtkWidget *kind, *entry, *add, *error_row;
  GtkWidget *error_label;

  if (locators == NULL)
    return FALSE;
  clear_list (self->locators_list);
  for (guint i = 0; i < locators->len; i++)
    {
      VwLocator *l = g_ptr_array_index (locators, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *escaped = g_markup_escape_text (l->details, -1);
      g_autofree char *name = g_strdup_printf (_("Remove “%s”"), l->details);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), locator_kind_label (l->kind));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (button), "vw-id", g_strdup (l->id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (locator_delete), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->locators_list, row);
    }
  for (guint i = 0; vw_locator_kinds[i] != NULL; i++)
    gtk_string_list_append (kinds, locator_kind_label (vw_locator_kinds[i]));
  kind = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kind), _("Kind"));
  adw_combo_row_set_model (ADW_COMBO_ROW (kind), G_LIST_MODEL (kinds));
  gtk_list_box_append (self->locators_list, kind);
  entry = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Add a way to reach (who, which organisation, where)"));
  /* A labelled Add button and Enter, not the entry row's apply button:
   * that one is an icon without a name for a screen reader. */
  add = gtk_button_new_with_label (_("Add This Way to Reach"));
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  g_signal_connect_object (add, "clicked", G_CALLBACK (locator_add_clicked), entry, G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (entry), add);
  error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_margin_start (error_label, 12);
  gtk_widget_set_margin_end (error_label, 12);
  gtk_widget_set_margin_top (error_label, 6);
  gtk_widget_set_margin_bottom (error_label, 6);
  g_object_set_data (G_OBJECT (entry), "vw-kind", kind);
  g_object_set_data (G_OBJECT (entry), "vw-error", error_label);
  g_signal_connect (entry, "apply", G_CALLBACK (locator_apply), self);
  g_signal_connect (entry, "entry-activated", G_CALLBACK (locator_apply), self);
  gtk_list_box_append (self->locators_list, entry);
  error_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (error_row), error_label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (error_row), FALSE);
  gtk_widget_set_visible (error_label, FALSE);
  g_object_bind_property (error_label, "visible", error_row, "visible", G_BINDING_SYNC_CREATE);
  gtk_list_box_append (self->locators_list, error_row);
  return TRUE;
}

gboolean
vw_participant_page_load (VwParticipantPage  *self,
                          VwVault            *vault,
                          const char         *study,
                          const char         *code,
                          GError            **error)
{
  g_autoptr(VwParticipant) participant = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) interviews = NULL;
  g_autoptr(GPtrArray) quotes = NULL;
  g_autofree char *birth_year = NULL;
  g_autoptr(GString) details = NULL;
  g_autoptr(GHashTable) awaiting = NULL;

  g_return_val_if_fail (VW_IS_PARTICIPANT_PAGE (self), FALSE);
  g_return_val_if_fail (VW_IS_VAULT (vault), FALSE);

  if ((participant = vw_vault_get_participant (vault, study, code, error)) == NULL ||
      (rounds = vw_vault_list_rounds (vault, study, error)) == NULL ||
      (interviews = vw_vault_list_interviews (vault, study, code, NULL, error)) == NULL ||
      (quotes = vw_vault_list_quotes (vault, study, code, NULL, error)) == NULL ||
      (awaiting = vw_exchange_awaiting_receipt (vault, study, error)) == NULL)
    return FALSE;
  birth_year = vw_vault_get_participant_value (vault, study, code, "birth_year", NULL);

  if (self->vault != vault)
    g_set_object (&self->vault, vault);
  if (self->study != study)
    {
      g_free (self->study);
      self->study = g_strdup (study);
    }
  if (self->code != code)
    {
      g_free (self->code);
      self->code = g_strdup (code);
    }

  gtk_label_set_label (self->title_label, participant->pseudonym);
  details = g_string_new (participant->code);
  g_string_append_printf (details, " · %s", participant->region);
  if (birth_year != NULL)
    g_string_append_printf (details, " · %s", birth_year);
  gtk_label_set_label (self->details_label, details->str);

  g_clear_pointer (&self->awaiting, vw_handover_free);
  {
    g_autofree char *key = NULL;
    g_hash_table_steal_extended (awaiting, code, (gpointer *) &key, (gpointer *) &self->awaiting);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->handover_list), self->awaiting != NULL);
  if (self->awaiting != NULL)
    {
      g_autofree char *state = vw_handover_state_label (self->awaiting);
      g_autofree char *what = g_strdup_printf (_("Read-only until the receipt from %s is opened here with Open "
                                                 "Bundles; then removed from this laptop."),
                                               self->awaiting->device_label);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->handover_row), state);
      adw_action_row_set_subtitle (self->handover_row, what);
    }
  {
    /* Only a duo hands participants over to another duo, and only once. */
    g_autoptr(VwStudy) info = vw_vault_get_study (vault, study, NULL);
    gtk_widget_set_visible (GTK_WIDGET (self->handover_button),
                            info != NULL && info->role == VW_STUDY_ROLE_DUO && self->awaiting == NULL);
  }

  clear_list (self->rounds_list);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *round = g_ptr_array_index (rounds, i);
      const VwInterview *found = NULL;

      for (guint j = 0; j < interviews->len; j++)
        if (g_str_equal (((VwInterview *) g_ptr_array_index (interviews, j))->round, round->label))
          found = g_ptr_array_index (interviews, j);
      gtk_list_box_append (self->rounds_list, make_round_row (self, round, found, self->awaiting != NULL));
    }

  clear_list (self->quotes_list);
  for (guint i = 0; i < quotes->len; i++)
    {
      VwQuote *quote = g_ptr_array_index (quotes, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *escaped = g_markup_escape_text (quote->text, -1);

      /* Translators: round and theme of a quote, e.g. "T1 · wonen" */
      subtitle = g_strdup_printf (_("%s · theme: %s"), quote->round, quote->theme ? quote->theme : "—");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->quotes_list, row);
    }

  return fill_locators (self, error);
}

static void
cancel_response (AdwMessageDialog  *dialog,
                 const char        *response,
                 VwParticipantPage *self)
{
  g_autoptr(GError) error = NULL;

  self->confirmation = NULL;
  if (g_strcmp0 (response, "cancel-handover") != 0 || self->awaiting == NULL)
    return;
  if (!vw_exchange_cancel_handover (self->vault, self->study, self->awaiting->id, &error))
    {
      adw_action_row_set_subtitle (self->handover_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->handover_row), "error");
      return;
    }
  reload (self);
}

AdwMessageDialog *
vw_participant_page_cancel_handover (VwParticipantPage *self)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (VW_IS_PARTICIPANT_PAGE (self), NULL);

  if (self->awaiting == NULL)
    return NULL;
  if (self->confirmation != NULL)
    return self->confirmation;
  body = g_strdup_printf (_("The participants of this handover stay on this laptop and can be changed again. Do "
                            "this only if %s never opened the file: if they did, both laptops keep the "
                            "participants, and their receipt will be refused."), self->awaiting->device_label);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Cancel the Handover?"),
                                   body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _("_Keep Waiting"), "cancel-handover",
                                    _("_Cancel Handover"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-handover",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response), self, 0);
  self->confirmation = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return self->confirmation;
}

static void
cancel_clicked (VwParticipantPage *self)
{
  vw_participant_page_cancel_handover (self);
}

const char *
vw_participant_page_get_code (VwParticipantPage *self)
{
  g_return_val_if_fail (VW_IS_PARTICIPANT_PAGE (self), NULL);

  return self->code;
}

static void
vw_participant_page_dispose (GObject *object)
{
  VwParticipantPage *self = VW_PARTICIPANT_PAGE (object);

  if (self->confirmation != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirmation));
  self->confirmation = NULL;
  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_PARTICIPANT_PAGE);

  G_OBJECT_CLASS (vw_participant_page_parent_class)->dispose (object);
}

static void
vw_participant_page_finalize (GObject *object)
{
  VwParticipantPage *self = VW_PARTICIPANT_PAGE (object);

  g_free (self->study);
  g_free (self->code);
  vw_handover_free (self->awaiting);

  G_OBJECT_CLASS (vw_participant_page_parent_class)->finalize (object);
}

static void
vw_participant_page_class_init (VwParticipantPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_participant_page_dispose;
  object_class->finalize = vw_participant_page_finalize;

  /**
   * VwParticipantPage::start-interview:
   * @round: the round label
   *
   * The duo wants to start or resume the interview of @round.
   */
  signals[SIGNAL_START_INTERVIEW] =
    g_signal_new ("start-interview", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/veldwerk/Veldwerk/vw-participant-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, handover_button);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, handover_list);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, handover_row);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, cancel_handover_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, rounds_list);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, quotes_list);
  gtk_widget_class_bind_template_child (widget_class, VwParticipantPage, locators_list);
}

static void
vw_participant_page_init (VwParticipantPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No quotes yet. Select text in an answer during the interview to save one."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->quotes_list, placeholder);
}
