/* Display test: a duo hands a participant over through the handover
 * dialog, with removal; she stays on the sender's laptop, read-only,
 * shown as awaiting her receipt on her page and in the list. The other
 * duo opens the file through its merge dialog ("Open Bundles" on a duo's
 * laptop), has the participant with contact details, and saves the
 * receipt; only when the sender opens that receipt does she leave the
 * sender's laptop. A failed save removes nobody; a pending handover can
 * be cancelled from the participant's page. Runs once per interface
 * language (LANGUAGE=en, nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-handover-dialog.h"
#include "vw-merge-dialog.h"
#include "vw-participant-page.h"
#include "vw-participants-page.h"
#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

static gboolean
is_dutch (void)
{
  return g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0;
}

static gpointer
child (VwHandoverDialog *dialog,
       const char       *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (dialog), VW_TYPE_HANDOVER_DIALOG, name);
}

/* The participant's row, by pseudonym. */
static GtkWidget *
find_row (VwHandoverDialog *dialog,
          const char       *pseudonym)
{
  GtkWidget *list = child (dialog, "participants_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), pseudonym) == 0)
      return row;
  return NULL;
}

static GtkCheckButton *
check_of (VwHandoverDialog *dialog,
          const char       *pseudonym)
{
  GtkWidget *row = find_row (dialog, pseudonym);

  g_assert_nonnull (row);
  return GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
}

static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Saves as the chooser's response does, and confirms the removal. */
static AdwActionRow *
save_and_remove (VwHandoverDialog *dialog,
                 const char       *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwMessageDialog *confirmation;

  vw_handover_dialog_save_to (dialog, file);
  confirmation = vw_handover_dialog_get_confirmation (dialog);
  g_assert_nonnull (confirmation);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirmation), ==,
                   is_dutch () ? "1 deelnemer van deze laptop verwijderen zodra ontvangen?"
                               : "Remove 1 Participant From This Laptop Once Received?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirmation),
                            is_dutch () ? "contactgegevens" : "contact details"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirmation),
                            is_dutch () ? "ontvangstbevestiging" : "receipt"));
  adw_message_dialog_response (confirmation, "remove");
  settle ();
  g_assert_null (vw_handover_dialog_get_confirmation (dialog));
  return child (dialog, "result_row");
}

static gboolean
has_participant (VwVault    *vault,
                 const char *study,
                 const char *code)
{
  g_autoptr(VwVault) reopened = vw_test_duos_reopen (vault);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = vw_vault_get_participant (reopened, study, code, &error);

  g_assert_true (p != NULL || g_error_matches (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND));
  g_clear_error (&error);
  vw_vault_close (reopened, &error);
  g_assert_no_error (error);
  return p != NULL;
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static void
count_signal (GObject *dialog,
              guint   *count)
{
  (*count)++;
}

/* Opens @path in the merge dialog of a duo's laptop and returns the row
 * after the summary: what arrived. With @receipt, the row after that must
 * offer the receipt for @handover, which is saved there. */
static char *
open_bundle_with_receipt (VwVault     *vault,
                          const char  *study,
                          const char  *path,
                          char       **subtitle,
                          const char  *handover,
                          const char  *receipt)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VwMergeDialog *merge = vw_merge_dialog_new (NULL, vault, study);
  guint merged = 0;
  gint64 deadline;
  GtkWidget *row;
  char *title;

  g_signal_connect (merge, "merged", G_CALLBACK (count_signal), &merged);
  gtk_window_present (GTK_WINDOW (merge));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (merge)), ==, is_dutch () ? "Bundels openen" : "Open Bundles");
  vw_merge_dialog_add_file (merge, file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (merge), "merge.run", NULL));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (merged == 0 && count_rows (GTK_WIDGET (vw_merge_dialog_get_report (merge))) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (merged, ==, 1);
  row = gtk_widget_get_first_child (GTK_WIDGET (vw_merge_dialog_get_report (merge)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   is_dutch () ? "1 bestand samengevoegd" : "Merged 1 file");
  row = gtk_widget_get_next_sibling (row);
  g_assert_nonnull (row);
  title = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  *subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  if (receipt != NULL)
    {
      g_autoptr(GFile) receipt_file = g_file_new_for_path (receipt);
      g_autofree char *name = g_path_get_basename (receipt);
      g_autofree char *saved = NULL;

      row = gtk_widget_get_next_sibling (row);
      g_assert_nonnull (row);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       is_dutch () ? "Ontvangstbevestiging voor duo-noord" : "Receipt for duo-noord");
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                is_dutch () ? "Stuur haar terug naar duo-noord" : "Send it back to duo-noord"));
      vw_merge_dialog_save_receipt (merge, handover, receipt_file);
      saved = g_strdup_printf (is_dutch () ? "%s opgeslagen: stuur het naar duo-noord"
                                           : "Saved %s: send it to duo-noord", name);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, saved);
      g_assert_false (gtk_widget_has_css_class (row, "error"));
      g_assert_true (g_file_test (receipt, G_FILE_TEST_EXISTS));
    }
  vw_test_destroy_window (merge);
  return title;
}

static char *
open_bundle (VwVault     *vault,
             const char  *study,
             const char  *path,
             char       **subtitle)
{
  return open_bundle_with_receipt (vault, study, path, subtitle, NULL, NULL);
}

/* What the participant's page shows of a handover awaiting its receipt. */
static GtkWidget *
page_child (GtkWidget  *page,
            const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (page, VW_TYPE_PARTICIPANT_PAGE, name));
}

static guint
count_buttons (GtkWidget *widget)
{
  guint n = GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_buttons (c);
  return n;
}

static char *
expected_state (VwVault    *vault,
                const char *study)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) handovers = vw_exchange_list_handovers (vault, study, &error);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;

  g_assert_no_error (error);
  utc = g_date_time_new_from_iso8601 (((VwHandover *) g_ptr_array_index (handovers, 0))->written, NULL);
  local = g_date_time_to_local (utc);
  date = g_date_time_format (local, "%Y-%m-%d");
  return g_strdup_printf (is_dutch () ? "Overgedragen aan duo-zuid op %s, wacht op ontvangstbevestiging"
                                      : "Handed over to duo-zuid on %s, awaiting receipt", date);
}

static void
test_handover (void)
{
  VwTestDuos w = { 0 };
  const char *answers_anna[] = { "residence", "bw", "participation", "geen", NULL };
  const char *answers_tom[] = { "residence", "mo", NULL };
  g_autofree char *anna = NULL, *tom = NULL, *bad = NULL, *good = NULL, *receipt = NULL;
  g_autoptr(GError) error = NULL;
  VwHandoverDialog *dialog;
  AdwActionRow *result;
  guint handed_over = 0;

  vw_test_duos_init (&w);
  anna = vw_test_duos_interview (w.duo1, w.study, "Anna", answers_anna);
  tom = vw_test_duos_interview (w.duo1, w.study, "Tom", answers_tom);
  vw_test_duos_set_contact (w.duo1, w.study, anna, "anna");

  /* Before the duos know each other's laptop: the empty state says how. */
  dialog = vw_handover_dialog_new (NULL, w.duo1, w.study, anna);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_visible (child (dialog, "no_devices_page")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "device_group")));
  g_assert_nonnull (strstr (adw_status_page_get_description (child (dialog, "no_devices_page")),
                            "veldwerk-cli study add-device"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "handover.save", NULL) &&
                  vw_handover_dialog_get_confirmation (dialog) != NULL);
  vw_test_destroy_window (dialog);

  /* The duos exchange keys; the coordinator is no place for a handover. */
  vw_test_duos_introduce (&w);
  dialog = vw_handover_dialog_new (NULL, w.duo1, w.study, anna);
  g_signal_connect (dialog, "handed-over", G_CALLBACK (count_signal), &handed_over);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_false (gtk_widget_get_visible (child (dialog, "no_devices_page")));
  {
    GListModel *devices = adw_combo_row_get_model (child (dialog, "device_row"));
    g_assert_cmpuint (g_list_model_get_n_items (devices), ==, 1);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (devices), 0), ==, "duo-zuid");
  }

  /* Anna is checked from the start (as from her page); Tom is not. */
  g_assert_true (gtk_check_button_get_active (check_of (dialog, "Anna")));
  g_assert_false (gtk_check_button_get_active (check_of (dialog, "Tom")));
  g_assert_cmpstr (gtk_label_get_label (child (dialog, "count_label")), ==,
                   is_dutch () ? "1 gekozen" : "1 chosen");

  /* Search by pseudonym or code. */
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "search_entry")), "tom");
  g_signal_emit_by_name (child (dialog, "search_entry"), "search-changed");
  settle ();
  g_assert_false (gtk_widget_get_child_visible (find_row (dialog, "Anna")));
  g_assert_true (gtk_widget_get_child_visible (find_row (dialog, "Tom")));
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "search_entry")), anna);
  g_signal_emit_by_name (child (dialog, "search_entry"), "search-changed");
  settle ();
  g_assert_true (gtk_widget_get_child_visible (find_row (dialog, "Anna")));
  g_assert_false (gtk_widget_get_child_visible (find_row (dialog, "Tom")));

  /* Removal is off by default. */
  g_assert_false (gtk_switch_get_active (child (dialog, "remove_switch")));
  gtk_switch_set_active (child (dialog, "remove_switch"), TRUE);

  /* A folder that does not exist: the reason, and nobody removed. */
  bad = g_build_filename (w.dir, "missing", "anna.age", NULL);
  result = save_and_remove (dialog, bad);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==,
                   is_dutch () ? "Er is niets opgeslagen" : "Nothing was saved");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (result), "missing"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (result), "error"));
  g_assert_cmpuint (handed_over, ==, 0);
  g_assert_true (has_participant (w.duo1, w.study, anna));
  g_assert_nonnull (find_row (dialog, "Anna"));

  /* Saved, read back, and awaiting the receipt: nobody removed yet. */
  good = g_build_filename (w.dir, "anna.age", NULL);
  result = save_and_remove (dialog, good);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==,
                   is_dutch () ? "anna.age opgeslagen" : "Saved anna.age");
  g_assert_cmpstr (adw_action_row_get_subtitle (result), ==,
                   is_dutch () ? "1 deelnemer voor duo-zuid, van deze laptop verwijderd zodra hun "
                                 "ontvangstbevestiging hier is geopend"
                               : "1 participant for duo-zuid, removed from this laptop once their receipt is "
                                 "opened here");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (result), "error"));
  g_assert_cmpuint (handed_over, ==, 1);
  /* Anna is still listed, but cannot be chosen again. */
  g_assert_nonnull (find_row (dialog, "Anna"));
  g_assert_false (gtk_widget_get_sensitive (find_row (dialog, "Anna")));
  g_assert_false (gtk_check_button_get_active (check_of (dialog, "Anna")));
  g_assert_true (gtk_widget_get_sensitive (find_row (dialog, "Tom")));
  vw_test_destroy_window (dialog);

  g_assert_true (has_participant (w.duo1, w.study, anna));
  g_assert_true (has_participant (w.duo1, w.study, tom));
  {
    g_autoptr(VwVault) duo1 = vw_test_duos_reopen (w.duo1);
    g_autoptr(VwContact) contact = vw_vault_get_contact (duo1, w.study, anna, &error);

    g_assert_no_error (error);
    g_assert_nonnull (contact);
    g_assert_cmpstr (contact->phone, ==, "06-anna-phone");
    vw_vault_close (duo1, &error);
    g_assert_no_error (error);
  }
  /* A new handover dialog shows her state and leaves her unchecked, even
   * from her own page. */
  dialog = vw_handover_dialog_new (NULL, w.duo1, w.study, anna);
  gtk_window_present (GTK_WINDOW (dialog));
  {
    g_autofree char *state = expected_state (w.duo1, w.study);

    g_assert_false (gtk_widget_get_sensitive (find_row (dialog, "Anna")));
    g_assert_false (gtk_check_button_get_active (check_of (dialog, "Anna")));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (dialog, "Anna"))), state));
  }
  vw_test_destroy_window (dialog);

  /* The other duo opens the file: the merge dialog speaks a duo's words,
   * says who arrived, with contact details, and saves the receipt. */
  receipt = g_build_filename (w.dir, "anna.receipt", NULL);
  {
    g_autofree char *subtitle = NULL;
    g_autofree char *title = NULL;
    g_autoptr(GPtrArray) handovers = vw_exchange_list_handovers (w.duo1, w.study, &error);

    g_assert_no_error (error);
    title = open_bundle_with_receipt (w.duo2, w.study, good, &subtitle,
                                      ((VwHandover *) g_ptr_array_index (handovers, 0))->id, receipt);
    g_assert_cmpstr (title, ==, is_dutch () ? "1 deelnemer aangekomen" : "1 participant arrived");
    g_assert_cmpstr (subtitle, ==, is_dutch () ? "Met contactgegevens voor 1 van hen" : "With contact details for 1 of them");
  }
  /* Back on the sender's laptop, the receipt removes her. */
  g_assert_true (has_participant (w.duo1, w.study, anna));
  {
    g_autofree char *subtitle = NULL;
    g_autofree char *title = open_bundle (w.duo1, w.study, receipt, &subtitle);

    g_assert_cmpstr (title, ==, is_dutch () ? "Ontvangstbevestiging van duo-zuid" : "Receipt from duo-zuid");
    g_assert_cmpstr (subtitle, ==, is_dutch () ? "De overdracht is aangekomen: 1 deelnemer van deze laptop verwijderd"
                                               : "The handover arrived: 1 participant removed from this laptop");
  }
  g_assert_false (has_participant (w.duo1, w.study, anna));
  g_assert_true (has_participant (w.duo1, w.study, tom));

  {
    g_autoptr(VwVault) duo2 = vw_test_duos_reopen (w.duo2);
    g_autoptr(VwParticipant) p = vw_vault_get_participant (duo2, w.study, anna, &error);
    g_autoptr(VwContact) contact = NULL;
    g_autoptr(VwInterview) iv = NULL;
    g_autofree char *answer = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (p->pseudonym, ==, "Anna");
    contact = vw_vault_get_contact (duo2, w.study, anna, &error);
    g_assert_no_error (error);
    g_assert_nonnull (contact);
    g_assert_cmpstr (contact->phone, ==, "06-anna-phone");
    g_assert_cmpstr (contact->real_name, ==, "anna-name");
    iv = vw_vault_find_interview (duo2, w.study, anna, "T0", &error);
    g_assert_no_error (error);
    answer = vw_vault_get_answer (duo2, iv->id, "participation", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (answer, ==, "geen");
    vw_vault_close (duo2, &error);
    g_assert_no_error (error);
  }
  /* The coordinator's round preparation opens the same way: Tom, who
   * stayed with the north duo, goes to the south duo for round T1. */
  {
    g_autofree char *submission = g_build_filename (w.dir, "north.age", NULL);
    g_autofree char *prep = g_build_filename (w.dir, "t1.age", NULL);
    g_autofree char *subtitle = NULL;
    g_autofree char *title = NULL;
    const char *paths[] = { submission, NULL };
    const char *codes[] = { tom, NULL };
    g_autoptr(VwMergeReport) report = NULL;

    vw_exchange_write_submission (w.duo1, w.study, submission, TRUE, NULL, &error);
    g_assert_no_error (error);
    report = vw_exchange_merge (w.coord, w.study, paths, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    /* The study has T0 and T1 (vw-test-study.c). */
    vw_exchange_write_round_preparation (w.coord, w.study, "duo-zuid", "T1", codes, prep, &error);
    g_assert_no_error (error);

    title = open_bundle (w.duo2, w.study, prep, &subtitle);
    g_assert_cmpstr (title, ==, is_dutch () ? "1 deelnemer aangekomen" : "1 participant arrived");
    /* No contact details come from the coordinator. */
    g_assert_true (subtitle == NULL || *subtitle == '\0');
    g_assert_true (has_participant (w.duo2, w.study, tom));
    {
      g_autoptr(VwVault) duo2 = vw_test_duos_reopen (w.duo2);
      g_autoptr(VwContact) contact = vw_vault_get_contact (duo2, w.study, tom, &error);

      g_assert_no_error (error);
      g_assert_null (contact);
      vw_vault_close (duo2, &error);
      g_assert_no_error (error);
    }
  }
  vw_test_duos_clear (&w);
}

/* The participant's page and the list say that she awaits her receipt,
 * offer no way to change her, and let the duo cancel the handover. */
static void
test_awaiting (void)
{
  VwTestDuos w = { 0 };
  const char *answers[] = { "residence", "mo", NULL };
  g_autofree char *tom = NULL, *karel = NULL, *path = NULL, *state = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *page, *list_page, *stack;
  AdwMessageDialog *confirmation;
  guint buttons_before, buttons_after;

  vw_test_duos_init (&w);
  vw_test_duos_introduce (&w);
  tom = vw_test_duos_interview (w.duo1, w.study, "Tom", answers);
  karel = vw_test_duos_interview (w.duo1, w.study, "Karel", answers);

  window = gtk_window_new ();
  stack = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  page = g_object_new (VW_TYPE_PARTICIPANT_PAGE, NULL);
  list_page = g_object_new (VW_TYPE_PARTICIPANTS_PAGE, NULL);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_widget_set_vexpand (list_page, TRUE);
  gtk_box_append (GTK_BOX (stack), page);
  gtk_box_append (GTK_BOX (stack), list_page);
  gtk_window_set_child (GTK_WINDOW (window), stack);
  gtk_window_present (GTK_WINDOW (window));

  /* Before: an ordinary participant, with a way to start T1. */
  g_assert_true (vw_participant_page_load (VW_PARTICIPANT_PAGE (page), w.duo1, w.study, tom, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (page_child (page, "handover_list")));
  g_assert_true (gtk_widget_get_visible (page_child (page, "handover_button")));
  buttons_before = count_buttons (page_child (page, "rounds_list"));
  g_assert_cmpuint (buttons_before, >, 0);
  g_assert_null (vw_participant_page_cancel_handover (VW_PARTICIPANT_PAGE (page)));

  path = g_build_filename (w.dir, "tom.age", NULL);
  {
    const char *codes[] = { tom, NULL };
    g_assert_true (vw_exchange_write_handover (w.duo1, w.study, "duo-zuid", codes, path, TRUE, NULL, &error));
    g_assert_no_error (error);
  }
  state = expected_state (w.duo1, w.study);

  /* The page: the state in words, read-only rounds, a way to cancel. */
  g_assert_true (vw_participant_page_load (VW_PARTICIPANT_PAGE (page), w.duo1, w.study, tom, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_visible (page_child (page, "handover_list")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (page_child (page, "handover_row"))), ==, state);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page_child (page, "handover_row"))),
                            is_dutch () ? "Alleen-lezen" : "Read-only"));
  g_assert_false (gtk_widget_get_visible (page_child (page, "handover_button")));
  buttons_after = count_buttons (page_child (page, "rounds_list"));
  g_assert_cmpuint (buttons_after, ==, 0);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (page_child (page, "cancel_handover_button"))), ==,
                   is_dutch () ? "Overdracht _annuleren…" : "_Cancel Handover…");

  /* The list: her row says so; Karel's does not. */
  vw_participants_page_reload (VW_PARTICIPANTS_PAGE (list_page), w.duo1, w.study);
  {
    GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (list_page, VW_TYPE_PARTICIPANTS_PAGE, "list"));
    guint seen = 0;

    for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
      {
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
        const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

        if (g_strcmp0 (title, "Tom") == 0)
          {
            g_autofree char *expected = g_strdup_printf ("%s · %s", tom, state);
            g_assert_cmpstr (subtitle, ==, expected);
            seen++;
          }
        else if (g_strcmp0 (title, "Karel") == 0)
          {
            g_assert_cmpstr (subtitle, ==, karel);
            seen++;
          }
      }
    g_assert_cmpuint (seen, ==, 2);
  }

  /* Cancelling asks first; keeping changes nothing. */
  confirmation = vw_participant_page_cancel_handover (VW_PARTICIPANT_PAGE (page));
  g_assert_nonnull (confirmation);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirmation), ==,
                   is_dutch () ? "Overdracht annuleren?" : "Cancel the Handover?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirmation), "duo-zuid"));
  adw_message_dialog_response (confirmation, "keep");
  settle ();
  g_assert_true (gtk_widget_get_visible (page_child (page, "handover_list")));
  confirmation = vw_participant_page_cancel_handover (VW_PARTICIPANT_PAGE (page));
  adw_message_dialog_response (confirmation, "cancel-handover");
  settle ();
  g_assert_false (gtk_widget_get_visible (page_child (page, "handover_list")));
  g_assert_true (gtk_widget_get_visible (page_child (page, "handover_button")));
  g_assert_cmpuint (count_buttons (page_child (page, "rounds_list")), ==, buttons_before);
  {
    g_autoptr(GHashTable) awaiting = vw_exchange_awaiting_receipt (w.duo1, w.study, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (awaiting), ==, 0);
  }

  vw_test_destroy_window (window);
  settle ();
  vw_test_duos_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  adw_init ();
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/handover-dialog/handover", test_handover);
  g_test_add_func ("/handover-dialog/awaiting", test_awaiting);
  return g_test_run ();
}
