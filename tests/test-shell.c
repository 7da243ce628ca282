/* Display test: the application shell driven through its real widgets
 * under Xvfb: first run, recovery code, enrolment, non-response, locking
 * and unlocking; then the vault, opened through the core API, holds
 * exactly what was typed.
 *
 * The expected texts follow LANGUAGE (meson runs this in "en" and "nl").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-vault-contacts.h"

#include "vw-application.h"
#include "vw-create-vault-page.h"
#include "vw-enrol-dialog.h"
#include "vw-export-dialog.h"
#include "vw-study.h"
#include "vw-interview-view.h"
#include "vw-interviewers-dialog.h"
#include "vw-merge-dialog.h"
#include "vw-nonresponse-dialog.h"
#include "vw-participant-page.h"
#include "vw-participants-page.h"
#include "vw-unlock-page.h"
#include "vw-conflicts-dialog.h"
#include "vw-prepare-round-dialog.h"
#include "vw-window.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

#define PASSPHRASE "kraanwater op de vensterbank"

typedef struct
{
  char     *vault_path;
  char     *recovery_code;
  char     *anouk;
  char     *bram;
  gboolean  checked;
} ShellState;

static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return done (data);
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
row_titled (GtkWidget     *widget,
            gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
button_labelled (GtkWidget     *widget,
                 gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
check_labelled (GtkWidget     *widget,
                gconstpointer  label)
{
  return GTK_IS_CHECK_BUTTON (widget) && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), label) == 0;
}

static gboolean
label_with_text (GtkWidget     *widget,
                 gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_expander (GtkWidget     *widget,
             gconstpointer  unused)
{
  return GTK_IS_EXPANDER (widget);
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = find_widget (root, row_titled, title);

  if (found == NULL)
    g_error ("No row titled “%s”", title);
  return found;
}

static GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  GtkWidget *found = find_widget (root, button_labelled, label);

  if (found == NULL)
    g_error ("No button labelled “%s”", label);
  return found;
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (root, title)), text);
}

static void
click (GtkWidget *widget)
{
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return GTK_WINDOW (w);
    }
  return NULL;
}

static gboolean
page_is (gpointer data)
{
  VwWindow *window = ((gpointer *) data)[0];
  return g_strcmp0 (vw_window_get_page (window), ((gpointer *) data)[1]) == 0;
}

static void
wait_for_page (VwWindow   *window,
               const char *page)
{
  gpointer data[] = { window, (gpointer) page };

  g_assert_true (wait_for (page_is, data));
}

static gboolean
recovery_shown (gpointer page)
{
  return vw_create_vault_page_get_recovery_code (page) != NULL;
}

static gboolean
unlock_idle (gpointer page)
{
  return !vw_unlock_page_get_busy (page);
}

/* The recovery code as the page shows it, group by group. */
static char *
shown_code (GtkWidget *page)
{
  GtkWidget *box = vw_test_find_named (page, "recovery-code");
  GString *code = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL; child = gtk_widget_get_next_sibling (child))
    g_string_append (code, gtk_label_get_label (GTK_LABEL (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)))));
  return g_string_free (code, FALSE);
}

static void
first_run (VwWindow   *window,
           ShellState *state)
{
  GtkWidget *create = vw_window_get_page_widget (window, "create");
  GtkWidget *cont;
  const char *code;
  g_autofree char *last = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.veldwerk.Veldwerk");

  g_assert_cmpstr (vw_window_get_page (window), ==, "start");
  g_action_group_activate_action (G_ACTION_GROUP (window), "create-vault", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "create");

  /* A duo's laptop joins a study later; this one coordinates, so it names
   * the study here. */
  g_assert_false (gtk_widget_get_mapped (row (create, _("Study name"))));
  adw_action_row_activate (ADW_ACTION_ROW (row (create, _("I coordinate a study"))));
  g_assert_true (gtk_widget_get_mapped (row (create, _("Study name"))));

  /* The button waits for a study name and two equal passphrases. */
  type_into (create, _("Study name"), "Teststudie");
  type_into (create, _("Passphrase"), "kort");
  type_into (create, _("Type it again"), "kort");
  g_assert_false (gtk_widget_is_sensitive (button (create, _("_Create Vault"))));
  g_assert_cmpint (vw_create_vault_page_rate_passphrase ("kort"), ==, 0);
  g_assert_cmpint (vw_create_vault_page_rate_passphrase (PASSPHRASE), ==, 3);
  type_into (create, _("Passphrase"), PASSPHRASE);
  type_into (create, _("Type it again"), PASSPHRASE "x");
  g_assert_false (gtk_widget_is_sensitive (button (create, _("_Create Vault"))));
  type_into (create, _("Type it again"), PASSPHRASE);
  click (button (create, _("_Create Vault")));

  /* Key stretching runs in a thread; the page shows the code once. */
  g_assert_true (wait_for (recovery_shown, create));
  code = vw_create_vault_page_get_recovery_code (VW_CREATE_VAULT_PAGE (create));
  g_assert_cmpuint (strlen (code), ==, VW_RECOVERY_CODE_GROUPS * (VW_RECOVERY_CODE_GROUP_LEN + 1) - 1);
  {
    g_autofree char *shown = shown_code (create);
    g_assert_cmpstr (shown, ==, code);
  }
  state->recovery_code = g_strdup (code);

  /* Continuing needs the tick and the last group typed back. */
  cont = button (create, _("C_ontinue"));
  g_assert_false (gtk_widget_is_sensitive (cont));
  type_into (create, _("Type the last group from your paper"), strrchr (code, '-') + 1);
  g_assert_false (gtk_widget_is_sensitive (cont));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_widget (create, check_labelled,
                                                              _("I _wrote the recovery code down"))), TRUE);
  g_assert_true (gtk_widget_is_sensitive (cont));
  type_into (create, _("Type the last group from your paper"), "ZZZZZ");
  g_assert_false (gtk_widget_is_sensitive (cont));
  {
    g_autofree char *lower = g_ascii_strdown (strrchr (code, '-') + 1, -1);
    type_into (create, _("Type the last group from your paper"), lower);
  }
  click (cont);

  /* The code is gone from the page, the vault is open on the list. */
  g_assert_null (vw_create_vault_page_get_recovery_code (VW_CREATE_VAULT_PAGE (create)));
  {
    g_autofree char *shown = shown_code (create);
    g_assert_cmpstr (shown, ==, "");
  }
  wait_for_page (window, "main");
  g_assert_true (vw_vault_is_unlocked (vw_window_get_vault (window)));
  state->vault_path = g_strdup (vw_vault_get_path (vw_window_get_vault (window)));
  last = g_settings_get_string (settings, "last-vault");
  g_assert_cmpstr (last, ==, state->vault_path);
}

static char *
enrol (VwWindow   *window,
       const char *pseudonym,
       const char *birth_year,
       const char *phone,
       const char *name,
       const char *birth_date)
{
  VwEnrolDialog *dialog;
  GtkWidget *page = vw_window_get_page_widget (window, "participant");

  g_action_group_activate_action (G_ACTION_GROUP (window), "enrol", NULL);
  dialog = VW_ENROL_DIALOG (find_toplevel (VW_TYPE_ENROL_DIALOG));
  g_assert_nonnull (dialog);
  /* It says plainly where contact details stay. */
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), row_titled, _("Phone")));

  type_into (GTK_WIDGET (dialog), _("Pseudonym"), pseudonym);
  type_into (GTK_WIDGET (dialog), _("Municipality of origin"), "den_haag");
  type_into (GTK_WIDGET (dialog), _("Birth year (four digits)"), "19x0");
  g_assert_false (vw_enrol_dialog_can_enrol (dialog));
  type_into (GTK_WIDGET (dialog), _("Birth year (four digits)"), birth_year);
  if (phone != NULL)
    type_into (GTK_WIDGET (dialog), _("Phone"), phone);
  if (name != NULL)
    type_into (GTK_WIDGET (dialog), _("Name"), name);
  if (birth_date != NULL)
    {
      GtkWidget *row = find_widget (GTK_WIDGET (dialog), row_titled, _("Birth date (YYYY-MM-DD)"));

      /* A date that does not exist, or a later one, keeps Enrol greyed. */
      g_assert_nonnull (find_widget (GTK_WIDGET (dialog), label_with_text,
                                     _("Name and birth date are only used for a keyed check for double "
                                       "enrolment across duos; they are never sent.")));
      for (guint i = 0; i < 3; i++)
        {
          type_into (GTK_WIDGET (dialog), _("Birth date (YYYY-MM-DD)"),
                     (const char *[]) { "1990-02-30", "17-04-1990", "2999-01-01" }[i]);
          g_assert_false (vw_enrol_dialog_can_enrol (dialog));
          g_assert_false (gtk_widget_is_sensitive (button (GTK_WIDGET (dialog), _("_Enrol"))));
          g_assert_true (gtk_widget_has_css_class (row, "error"));
        }
      type_into (GTK_WIDGET (dialog), _("Birth date (YYYY-MM-DD)"), birth_date);
      g_assert_false (gtk_widget_has_css_class (row, "error"));
    }
  g_assert_true (vw_enrol_dialog_can_enrol (dialog));
  g_assert_true (gtk_widget_is_sensitive (button (GTK_WIDGET (dialog), _("_Enrol"))));
  click (button (GTK_WIDGET (dialog), _("_Enrol")));

  g_assert_null (find_toplevel (VW_TYPE_ENROL_DIALOG));
  wait_for_page (window, "participant");
  return g_strdup (vw_participant_page_get_code (VW_PARTICIPANT_PAGE (page)));
}

static void
enrolment (VwWindow   *window,
           ShellState *state)
{
  VwEnrolDialog *dialog;
  VwParticipantsPage *list = VW_PARTICIPANTS_PAGE (vw_window_get_page_widget (window, "participants"));

  state->anouk = enrol (window, "Anouk", "1990", "06-12345678", "Anouk de Vries", "1990-04-17");
  g_assert_true (vw_participant_code_is_valid (state->anouk));
  g_assert_true (g_str_has_prefix (state->anouk, "DH-"));

  /* A taken pseudonym is refused as it is typed, whatever its case. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "enrol", NULL);
  dialog = VW_ENROL_DIALOG (find_toplevel (VW_TYPE_ENROL_DIALOG));
  type_into (GTK_WIDGET (dialog), _("Pseudonym"), "aNOUK");
  g_assert_false (vw_enrol_dialog_can_enrol (dialog));
  g_assert_false (gtk_widget_is_sensitive (button (GTK_WIDGET (dialog), _("_Enrol"))));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), label_with_text,
                                 _("This pseudonym is already used in this study: choose another one.")));
  type_into (GTK_WIDGET (dialog), _("Pseudonym"), "Anouk2");
  g_assert_true (vw_enrol_dialog_can_enrol (dialog));

  /* White space around a pseudonym is refused, not trimmed away: the
   * core's validator, its message beside the field, as the import and the
   * merge refuse it. */
  type_into (GTK_WIDGET (dialog), _("Pseudonym"), "Anouk2 ");
  g_assert_false (vw_enrol_dialog_can_enrol (dialog));
  g_assert_false (gtk_widget_is_sensitive (button (GTK_WIDGET (dialog), _("_Enrol"))));
  {
    g_autofree char *message = g_strdup_printf (_("%s: %s"), "pseudonym", _("ends with white space; remove it"));

    g_assert_nonnull (find_widget (GTK_WIDGET (dialog), label_with_text, message));
  }
  type_into (GTK_WIDGET (dialog), _("Pseudonym"), "Anouk2");
  g_assert_true (vw_enrol_dialog_can_enrol (dialog));
  /* A birth year before the years every date lies in. */
  type_into (GTK_WIDGET (dialog), _("Birth year (four digits)"), "1899");
  g_assert_false (vw_enrol_dialog_can_enrol (dialog));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *problem = g_strdup_printf (_("“%s” is not a year of birth: write four digits from %d to %d"),
                                                "1899", 1900, g_date_time_get_year (now));
    g_autofree char *message = g_strdup_printf (_("%s: %s"), "birth_year", problem);

    g_assert_nonnull (find_widget (GTK_WIDGET (dialog), label_with_text, message));
  }
  vw_test_close_discarding (GTK_WINDOW (dialog));

  state->bram = enrol (window, "Bram", "1968", NULL, NULL, NULL);

  /* The keyed hash went in with the enrolment, the name only into the
   * contact details, the birth date nowhere else; another duo enrolling the
   * same person (differently spelled) gets the same hash. */
  {
    VwVault *vault = vw_window_get_vault (window);
    const char *study = vw_window_get_study (window);
    g_autoptr(GError) error = NULL;
    g_autoptr(VwContact) contact = vw_vault_get_contact (vault, study, state->anouk, &error);
    g_autofree char *anouk_hash = vw_vault_get_linkage_hash (vault, study, state->anouk, &error);
    g_autofree char *bram_hash = vw_vault_get_linkage_hash (vault, study, state->bram, &error);
    g_autofree char *expected = vw_study_linkage_hash (vault, study, "ANOUK DE-VRIES", "1990-04-17", &error);
    g_autofree char *other = vw_study_linkage_hash (vault, study, "Anouk de Vries", "1990-04-18", &error);
    g_autofree char *bram_after = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (contact->real_name, ==, "Anouk de Vries");
    g_assert_cmpuint (strlen (anouk_hash), ==, 64);
    g_assert_cmpstr (anouk_hash, ==, expected);
    g_assert_cmpstr (anouk_hash, !=, other);
    /* Without name and birth date: no hash. */
    g_assert_cmpstr (bram_hash, ==, "");
    g_assert_true (vw_vault_set_linkage_identity (vault, study, state->bram, " anouk  de vries", "1990-04-17", &error));
    g_assert_no_error (error);
    bram_after = vw_vault_get_linkage_hash (vault, study, state->bram, &error);
    g_assert_cmpstr (bram_after, ==, anouk_hash);
  }

  /* Back on the list: both, searchable and filterable. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "back", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "main");
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 2);
  vw_participants_page_set_filter (list, NULL, NULL, "bra");
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 1);
  vw_participants_page_set_filter (list, NULL, NULL, state->anouk);
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 1);
  vw_participants_page_set_filter (list, "T0", "planned", NULL);
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 2);
  vw_participants_page_set_filter (list, NULL, NULL, NULL);
}

static void
interviewers (VwWindow *window)
{
  GtkWidget *dialog;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  VwInterviewer *peer;

  g_action_group_activate_action (G_ACTION_GROUP (window), "interviewers", NULL);
  dialog = GTK_WIDGET (find_toplevel (VW_TYPE_INTERVIEWERS_DIALOG));
  g_assert_nonnull (dialog);

  type_into (dialog, _("Name"), "Mo Bakker");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (dialog, _("Role"))), 1);
  type_into (dialog, _("Training date (YYYY-MM-DD)"), "2022-09-15");
  click (button (dialog, _("_Add Interviewer")));

  /* The form is empty again and the list shows the new interviewer. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (dialog, _("Name")))), ==, "");
  g_assert_nonnull (find_widget (dialog, row_titled, "Mo Bakker"));
  list = vw_vault_list_interviewers (vw_window_get_vault (window), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  peer = g_ptr_array_index (list, 0);
  g_assert_cmpstr (peer->name, ==, "Mo Bakker");
  g_assert_cmpint (peer->role, ==, VW_INTERVIEWER_PEER_RESEARCHER);
  g_assert_cmpstr (peer->training_date, ==, "2022-09-15");

  /* A date that is not one is refused with the vault's message. */
  type_into (dialog, _("Name"), "Sanne");
  type_into (dialog, _("Training date (YYYY-MM-DD)"), "15-09-2022");
  click (button (dialog, _("_Add Interviewer")));
  g_assert_null (find_widget (dialog, row_titled, "Sanne"));
  vw_test_close_discarding (GTK_WINDOW (dialog));
}

/* The export and merge dialogs are reached from the window's menu and
 * belong to it. */
static void
export_and_merge (VwWindow *window)
{
  GtkWindow *export;
  GtkWindow *merge;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "merge"));
  /* This laptop coordinates (chosen on the create page): round
   * preparation and conflicts are there, a duo's submit and handover are
   * not (test-window checks the other side with the demo, a duo's). */
  {
    const struct { const char *action; GType type; } coordinator[] = {
      { "prepare-round", VW_TYPE_PREPARE_ROUND_DIALOG },
      { "conflicts", VW_TYPE_CONFLICTS_DIALOG },
    };

    for (guint i = 0; i < G_N_ELEMENTS (coordinator); i++)
      {
        GtkWindow *dialog;

        g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), coordinator[i].action));
        g_action_group_activate_action (G_ACTION_GROUP (window), coordinator[i].action, NULL);
        dialog = find_toplevel (coordinator[i].type);
        g_assert_nonnull (dialog);
        g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
        gtk_window_close (dialog);
        g_assert_null (find_toplevel (coordinator[i].type));
      }
  }
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "submit"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "handover"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "handover-participant"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
  export = find_toplevel (VW_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (export);
  g_assert_true (gtk_window_get_transient_for (export) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (export)));
  g_assert_cmpstr (vw_export_dialog_get_page (VW_EXPORT_DIALOG (export)), ==, "options");
  gtk_window_close (export);
  g_assert_null (find_toplevel (VW_TYPE_EXPORT_DIALOG));

  g_action_group_activate_action (G_ACTION_GROUP (window), "merge", NULL);
  merge = find_toplevel (VW_TYPE_MERGE_DIALOG);
  g_assert_nonnull (merge);
  g_assert_true (gtk_window_get_transient_for (merge) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (merge)));
  /* The coordinator merges the duos' submissions. */
  g_assert_cmpstr (gtk_window_get_title (merge), ==, _("Merge Submissions"));
  gtk_window_close (merge);
  g_assert_null (find_toplevel (VW_TYPE_MERGE_DIALOG));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "merge-submissions"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "open-bundles"));

  /* Files dropped on the participant list open the merge dialog with them
   * listed; nothing is merged before the coordinator says so. */
  {
    GtkWidget *list = vw_window_get_page_widget (window, "participants");
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list);
    g_autoptr(GFile) file = g_file_new_for_path ("/tmp/veldwerk-dropped.vwb");
    g_autofree char *name = g_file_get_parse_name (file);
    g_autoslist(GFile) files = g_slist_prepend (NULL, g_object_ref (file));
    g_auto(GValue) value = G_VALUE_INIT;
    GtkDropTarget *target = NULL;
    gboolean accepted = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
        if (GTK_IS_DROP_TARGET (controller))
          target = GTK_DROP_TARGET (controller);
      }
    g_assert_nonnull (target);
    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_set_boxed (&value, files);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
    g_assert_true (accepted);
    merge = find_toplevel (VW_TYPE_MERGE_DIALOG);
    g_assert_nonnull (merge);
    g_assert_true (gtk_window_get_transient_for (merge) == GTK_WINDOW (window));
    g_assert_nonnull (find_widget (GTK_WIDGET (merge), row_titled, name));
    gtk_window_close (merge);
  }
}

static void
nonresponse (VwWindow   *window,
             ShellState *state)
{
  VwParticipantPage *page = VW_PARTICIPANT_PAGE (vw_window_get_page_widget (window, "participant"));
  VwParticipantsPage *list = VW_PARTICIPANTS_PAGE (vw_window_get_page_widget (window, "participants"));
  VwNonresponseDialog *dialog;

  vw_window_show_participant (window, state->anouk);
  g_assert_cmpstr (vw_window_get_page (window), ==, "participant");
  dialog = VW_NONRESPONSE_DIALOG (vw_participant_page_record_nonresponse (page, "T0"));

  /* A malformed date is refused and stores nothing. */
  vw_nonresponse_dialog_fill (dialog, "declined", "14-03-2025", NULL);
  g_assert_false (gtk_widget_is_sensitive (button (GTK_WIDGET (dialog), _("_Save"))));
  g_assert_false (vw_nonresponse_dialog_save (dialog));
  vw_nonresponse_dialog_fill (dialog, "declined", "2025-03-14", "Wil nu even niet");
  click (button (GTK_WIDGET (dialog), _("_Save")));
  g_assert_null (find_toplevel (VW_TYPE_NONRESPONSE_DIALOG));

  /* The page shows it at once. */
  g_assert_nonnull (find_widget (GTK_WIDGET (page), label_with_text, _("Declined")));

  vw_participants_page_reload (list, vw_window_get_vault (window), vw_window_get_study (window));
  vw_participants_page_set_filter (list, "T0", "declined", NULL);
  g_assert_cmpuint (vw_participants_page_count_visible (list), ==, 1);
  vw_participants_page_set_filter (list, NULL, NULL, NULL);
}

static void
locking (VwWindow   *window,
         ShellState *state)
{
  VwVault *vault = vw_window_get_vault (window);
  GtkWidget *unlock = vw_window_get_page_widget (window, "unlock");
  GtkWidget *participant = vw_window_get_page_widget (window, "participant");
  GtkWidget *focus;

  vw_window_show_participant (window, state->bram);
  g_assert_cmpstr (vw_window_get_page (window), ==, "participant");

  focus = button (participant, _("_Non-Response…"));
  gtk_widget_grab_focus (focus);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);

  /* Ctrl+L is the lock action's shortcut. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (gtk_window_get_application (GTK_WINDOW (window)),
                                                                  "win.lock");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>l"));
  }
  /* The keys go, and so do dialogs that show what the vault holds. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "interviewers", NULL);
  g_assert_nonnull (find_toplevel (VW_TYPE_INTERVIEWERS_DIALOG));
  g_action_group_activate_action (G_ACTION_GROUP (window), "merge", NULL);
  g_assert_nonnull (find_toplevel (VW_TYPE_MERGE_DIALOG));
  g_action_group_activate_action (G_ACTION_GROUP (window), "lock", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");
  g_assert_false (vw_vault_is_unlocked (vault));
  g_assert_null (find_toplevel (VW_TYPE_INTERVIEWERS_DIALOG));
  g_assert_null (find_toplevel (VW_TYPE_MERGE_DIALOG));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lock"));
  /* Export and merge need the keys: while locked they are off and do nothing. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "merge"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "submit"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "handover"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "merge", NULL);
  g_assert_null (find_toplevel (VW_TYPE_EXPORT_DIALOG));
  g_assert_null (find_toplevel (VW_TYPE_MERGE_DIALOG));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) people = vw_vault_list_participants (vault, vw_window_get_study (window), &error);
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_LOCKED);
    g_assert_null (people);
  }

  /* A wrong passphrase says so and nothing else happens. */
  type_into (unlock, _("Passphrase"), "niet de goede zin");
  click (button (unlock, _("_Unlock")));
  g_assert_true (vw_unlock_page_get_busy (VW_UNLOCK_PAGE (unlock)));
  g_assert_true (wait_for (unlock_idle, unlock));
  g_assert_cmpstr (vw_unlock_page_get_error (VW_UNLOCK_PAGE (unlock)), ==,
                   _("That passphrase is not right. Nothing was changed; try again."));
  g_assert_nonnull (find_widget (unlock, label_with_text,
                                 _("That passphrase is not right. Nothing was changed; try again.")));
  g_assert_false (vw_vault_is_unlocked (vault));
  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");

  /* The right one returns to the same page and field. */
  type_into (unlock, _("Passphrase"), PASSPHRASE);
  click (button (unlock, _("_Unlock")));
  wait_for_page (window, "participant");
  g_assert_true (vw_vault_is_unlocked (vault));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);
  g_assert_null (vw_unlock_page_get_error (VW_UNLOCK_PAGE (unlock)));

  /* Idle time from the settings locks too; activity does not. */
  g_assert_false (vw_window_check_idle (window, g_get_monotonic_time ()));
  g_assert_true (vw_window_check_idle (window, g_get_monotonic_time () + 11 * 60 * G_USEC_PER_SEC));
  g_assert_false (vw_vault_is_unlocked (vault));
  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");

  /* The recovery code is the second way in, behind an expander. */
  gtk_expander_set_expanded (GTK_EXPANDER (find_widget (unlock, is_expander, NULL)), TRUE);
  type_into (unlock, _("Recovery code"), state->recovery_code);
  click (button (unlock, _("Unlock with the Recovery Code")));
  wait_for_page (window, "participant");
  g_assert_true (vw_vault_is_unlocked (vault));
}

/* The interview view is pushed for a round and popped when it closes;
 * the Results tab is there beside the participants. */
static void
interview_slot (VwWindow   *window,
                ShellState *state)
{
  GtkWidget *participant = vw_window_get_page_widget (window, "participant");
  GtkWidget *slot = vw_window_get_page_widget (window, "interview");
  GtkWidget *view;

  vw_window_show_participant (window, state->bram);
  click (button (participant, _("_Start Interview")));
  g_assert_cmpstr (vw_window_get_page (window), ==, "interview");
  view = adw_bin_get_child (ADW_BIN (slot));
  g_assert_true (VW_IS_INTERVIEW_VIEW (view));
  /* The setup page (the duo and consent) goes back to the participant;
   * on the questions Alt+Left is the previous module (test-field-interview). */
  g_assert_cmpstr (vw_interview_view_get_page (VW_INTERVIEW_VIEW (view)), ==, "setup");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "back"));

  /* Locking in the middle of it returns to it. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "lock", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "unlock");
  type_into (vw_window_get_page_widget (window, "unlock"), _("Passphrase"), PASSPHRASE);
  click (button (vw_window_get_page_widget (window, "unlock"), _("_Unlock")));
  wait_for_page (window, "interview");
  g_assert_true (adw_bin_get_child (ADW_BIN (slot)) == view);

  g_signal_emit_by_name (view, "closed");
  g_assert_cmpstr (vw_window_get_page (window), ==, "participant");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "back"));
  g_assert_null (adw_bin_get_child (ADW_BIN (slot)));
  g_assert_cmpstr (vw_participant_page_get_code (VW_PARTICIPANT_PAGE (participant)), ==, state->bram);

  g_assert_nonnull (vw_window_get_page_widget (window, "results"));
}

static void
check_vault (ShellState *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (state->vault_path, &error);
  g_autoptr(VwSecret) passphrase = vw_secret_new_from ((const guint8 *) PASSPHRASE, strlen (PASSPHRASE));
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) anouk_iv = NULL;
  g_autoptr(GPtrArray) bram_iv = NULL;
  g_autoptr(VwContact) contact = NULL;
  g_autoptr(VwContact) no_contact = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) bram_values = NULL;
  g_autoptr(VwStudy) study = NULL;
  VwInterview *iv;
  const char *s;

  g_assert_no_error (error);
  g_assert_true (vw_vault_unlock (vault, passphrase, NULL, &error));
  g_assert_no_error (error);

  studies = vw_vault_list_studies (vault, &error);
  g_assert_cmpuint (studies->len, ==, 1);
  s = ((VwStudy *) g_ptr_array_index (studies, 0))->id;
  study = vw_vault_get_study (vault, s, &error);
  g_assert_cmpstr (study->name, ==, "Teststudie");
  /* Chosen on the create page: this laptop coordinates the study. */
  g_assert_cmpint (study->role, ==, VW_STUDY_ROLE_COORDINATOR);
  g_assert_cmpstr (study->regions[0], ==, "DH");
  g_assert_null (study->regions[1]);

  people = vw_vault_list_participants (vault, s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 2);
  for (guint i = 0; i < people->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (people, i);
      g_assert_cmpstr (p->pseudonym, ==, g_str_equal (p->code, state->anouk) ? "Anouk" : "Bram");
      g_assert_cmpstr (p->region, ==, "DH");
    }

  values = vw_vault_list_participant_values (vault, s, state->anouk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (values), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (values, "birth_year"), ==, "1990");
  g_assert_cmpstr (g_hash_table_lookup (values, "municipality"), ==, "den_haag");
  bram_values = vw_vault_list_participant_values (vault, s, state->bram, &error);
  g_assert_cmpstr (g_hash_table_lookup (bram_values, "birth_year"), ==, "1968");

  contact = vw_vault_get_contact (vault, s, state->anouk, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->phone, ==, "06-12345678");
  g_assert_null (contact->usual_place);
  g_assert_null (contact->care_contact);
  g_assert_cmpstr (contact->real_name, ==, "Anouk de Vries");
  g_assert_null (contact->remarks);
  /* Reopened from the file: the enrolment's linkage hash is there and is the
   * one the core computes for the same identity on another participant. */
  {
    g_autofree char *anouk_hash = vw_vault_get_linkage_hash (vault, s, state->anouk, &error);
    g_autofree char *bram_hash = vw_vault_get_linkage_hash (vault, s, state->bram, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (strlen (anouk_hash), ==, 64);
    g_assert_cmpstr (anouk_hash, ==, bram_hash);
  }
  no_contact = vw_vault_get_contact (vault, s, state->bram, &error);
  g_assert_null (no_contact);
  g_clear_error (&error);

  anouk_iv = vw_vault_list_interviews (vault, s, state->anouk, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (anouk_iv->len, ==, 1);
  iv = g_ptr_array_index (anouk_iv, 0);
  g_assert_cmpstr (iv->round, ==, "T0");
  g_assert_cmpstr (iv->status, ==, "declined");
  g_assert_cmpstr (iv->date, ==, "2025-03-14");
  g_assert_cmpstr (iv->nonresponse_reason, ==, "Wil nu even niet");
  g_assert_cmpint (iv->state, ==, VW_INTERVIEW_FINISHED);
  g_assert_null (iv->questionnaire_id);
  g_assert_null (iv->interviewer1);
  bram_iv = vw_vault_list_interviews (vault, s, state->bram, NULL, &error);
  g_assert_cmpuint (bram_iv->len, ==, 0);

  {
    g_autoptr(GPtrArray) list = vw_vault_list_interviewers (vault, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (((VwInterviewer *) g_ptr_array_index (list, 0))->name, ==, "Mo Bakker");
  }

  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);
}

static void
on_activate_after (GApplication *app,
                   ShellState   *state)
{
  VwWindow *window = VW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  first_run (window, state);
  enrolment (window, state);
  interviewers (window);
  export_and_merge (window);
  nonresponse (window, state);
  locking (window, state);
  interview_slot (window, state);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  state->checked = TRUE;
}

static void
test_shell_flow (void)
{
  g_autoptr(VwApplication) app = vw_application_new ();
  ShellState state = { 0 };
  const char *argv[] = { "veldwerk", NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_after), &state);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, (char **) argv), ==, 0);
  g_assert_true (state.checked);
  g_clear_object (&app);

  check_vault (&state);

  g_free (state.vault_path);
  g_free (state.recovery_code);
  g_free (state.anouk);
  g_free (state.bram);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/shell/flow", test_shell_flow);

  return g_test_run ();
}
