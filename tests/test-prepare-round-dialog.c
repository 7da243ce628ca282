/* Display test: the coordinator prepares duo-zuid's round T1 through the
 * dialog, for a participant duo-noord interviewed in T0; duo-zuid merges
 * the bundle and its follow-up panel shows last round's key answers for
 * someone that laptop never saw. The dialog, then and when opened again,
 * marks him as prepared for that laptop for T1, and nobody for T0. Runs
 * once per interface language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vw-followup-panel.h"
#include "vw-interview-view-private.h"
#include "vw-prepare-round-dialog.h"
#include "vw-round-status.h"
#include "vw-test-interview.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"

static guint
combo_index (AdwComboRow *row,
             const char  *text)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      if (g_str_equal (gtk_string_object_get_string (item), text))
        return i;
    }
  g_error ("no “%s” in the combo row", text);
  return 0;
}

static GtkWidget *
participant_row (VwPrepareRoundDialog *dialog,
                 const char           *code)
{
  GtkWidget *row = vw_test_find_named (GTK_WIDGET (vw_prepare_round_dialog_get_participants (dialog)), code);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return row;
}

static gboolean
row_checked (GtkWidget *row)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))));
}

/* The row's "prepared" mark, if it shows. */
static const char *
prepared_mark (GtkWidget *row)
{
  GtkWidget *mark = g_object_get_data (G_OBJECT (row), "prepared");

  g_assert_true (GTK_IS_LABEL (mark));
  return gtk_widget_get_visible (mark) ? gtk_label_get_label (GTK_LABEL (mark)) : NULL;
}

/* "Prepared for duo-zuid on DATE", with the date of @code's preparation
 * of T1 as the core keeps it, which must be for duo-zuid. */
static char *
expected_mark (VwTestStudy *w,
               const char  *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) prepared = vw_exchange_list_prepared (w->coord, w->study, "T1", &error);
  g_autoptr(VwDevice) south = vw_study_find_device (w->coord, w->study, "duo-zuid", &error);
  VwPrepared *p;
  g_autofree char *date = NULL;

  g_assert_no_error (error);
  p = g_hash_table_lookup (prepared, code);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->device, ==, south->id);
  g_assert_cmpuint (g_hash_table_size (prepared), ==, 1);
  date = g_strndup (p->prepared, 10);
  return g_strdup_printf (_("Prepared for %s on %s"), "duo-zuid", date);
}

static void
test_prepare_round (void)
{
  VwTestStudy w = { 0 };
  const char *karel_answers[] = { "residence", "mo", "participation", "vrijwilligerswerk", NULL };
  const char *anna_answers[] = { "residence", "bw", NULL };
  g_autofree char *karel = NULL, *anna = NULL, *submission = NULL, *bundle = NULL, *bad = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *mark = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  g_autoptr(VwMergeReport) arrived = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringObject) round = NULL;
  VwPrepareRoundDialog *dialog;
  AdwComboRow *devices;
  GtkLabel *status;
  GtkWidget *karel_row, *anna_row;
  gint64 deadline;

  vw_test_study_init (&w);
  karel = vw_test_study_interview (&w, w.duo1, "Karel", karel_answers);
  anna = vw_test_study_interview (&w, w.duo1, "Anna", anna_answers);
  submission = vw_test_study_submit (&w, w.duo1, "noord.submission");
  report = vw_test_study_merge (w.coord, w.study, submission);

  dialog = vw_prepare_round_dialog_new (NULL, w.coord, w.study);
  gtk_window_present (GTK_WINDOW (dialog));
  status = vw_prepare_round_dialog_get_status (dialog);

  /* The duos' laptops only, and the round after the last one with
   * interviews. */
  devices = vw_prepare_round_dialog_get_device_row (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (devices)), ==, 2);
  adw_combo_row_set_selected (devices, combo_index (devices, "duo-zuid"));
  round = adw_combo_row_get_selected_item (vw_prepare_round_dialog_get_round_row (dialog));
  g_object_ref (round);
  g_assert_cmpstr (gtk_string_object_get_string (round), ==, "T1");

  /* Each participant with the last round and its status. */
  karel_row = participant_row (dialog, karel);
  anna_row = participant_row (dialog, anna);
  subtitle = g_strdup_printf (_("%s · %s: %s"), "DH", "T0", vw_round_status_label ("interviewed"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (karel_row)), ==, subtitle);

  /* Nobody chosen: nothing is written, and the dialog says why. */
  bundle = g_build_filename (w.dir, "T1-duo-zuid.round", NULL);
  file = g_file_new_for_path (bundle);
  g_assert_false (vw_prepare_round_dialog_save_to (dialog, file));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_false (g_file_test (bundle, G_FILE_TEST_EXISTS));

  /* Search, then select all: only who the search shows. */
  gtk_editable_set_text (GTK_EDITABLE (vw_test_find_named (GTK_WIDGET (dialog), "search")), "karel");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_widget_get_child_visible (anna_row) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gtk_widget_get_child_visible (anna_row));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "prepare.select-all", NULL));
  g_assert_true (row_checked (karel_row));
  g_assert_false (row_checked (anna_row));

  /* A file that cannot be written: an error naming it, no file. */
  bad = g_build_filename (w.dir, "missing-folder", "T1.round", NULL);
  bad_file = g_file_new_for_path (bad);
  g_assert_false (vw_prepare_round_dialog_save_to (dialog, bad_file));
  g_assert_nonnull (strstr (gtk_label_get_label (status), "missing-folder"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_assert_null (prepared_mark (karel_row));
  g_assert_true (vw_prepare_round_dialog_save_to (dialog, file));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "success"));
  g_assert_true (g_file_test (bundle, G_FILE_TEST_IS_REGULAR));

  /* Karel is marked as prepared for duo-zuid, for T1 only; Anna not. */
  mark = expected_mark (&w, karel);
  g_assert_cmpstr (prepared_mark (karel_row), ==, mark);
  g_assert_null (prepared_mark (anna_row));
  {
    AdwComboRow *rounds = vw_prepare_round_dialog_get_round_row (dialog);
    g_autoptr(GHashTable) t0 = vw_exchange_list_prepared (w.coord, w.study, "T0", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (t0), ==, 0);
    adw_combo_row_set_selected (rounds, combo_index (rounds, "T0"));
    g_assert_null (prepared_mark (karel_row));
    adw_combo_row_set_selected (rounds, combo_index (rounds, "T1"));
    g_assert_cmpstr (prepared_mark (karel_row), ==, mark);
  }
  vw_test_destroy_window (dialog);

  /* Opened again, from the reopened vault: still marked. */
  vw_test_study_reopen (&w.coord, w.coord_path);
  dialog = vw_prepare_round_dialog_new (NULL, w.coord, w.study);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (prepared_mark (participant_row (dialog, karel)), ==, mark);
  g_assert_null (prepared_mark (participant_row (dialog, anna)));
  vw_test_destroy_window (dialog);

  /* The south duo merges it: Karel and his T0 answers arrive, Anna not. */
  arrived = vw_test_study_merge (w.duo2, w.study, bundle);
  g_assert_cmpuint (arrived->bundles, ==, 1);
  vw_test_study_reopen (&w.duo2, w.duo2_path);
  {
    g_autoptr(VwParticipant) p = vw_vault_get_participant (w.duo2, w.study, karel, &error);
    g_autoptr(VwParticipant) none = NULL;
    g_autoptr(VwInterview) t0 = NULL;
    g_autofree char *value = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (p->pseudonym, ==, "Karel");
    none = vw_vault_get_participant (w.duo2, w.study, anna, &error);
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
    g_assert_null (none);
    g_clear_error (&error);
    t0 = vw_vault_find_interview (w.duo2, w.study, karel, "T0", &error);
    g_assert_no_error (error);
    value = vw_vault_get_answer (w.duo2, t0->id, "participation", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (value, ==, "vrijwilligerswerk");
  }

  /* Karel's T1 interview on that laptop shows last time's answers. */
  {
    GtkWidget *window = gtk_window_new ();
    VwInterviewView *view = VW_INTERVIEW_VIEW (vw_interview_view_new (w.duo2, w.study, karel, "T1"));
    const VwCodeList *residences = vw_codebook_get_code_list (vw_codebook_get_core (), "residence");
    g_autofree char *title = g_strdup_printf (_("Last time (%s)"), "T0");

    gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
    gtk_window_present (GTK_WINDOW (window));
    g_assert_true (VW_IS_FOLLOWUP_PANEL (view->followup_panel));
    g_assert_true (vw_test_has_text (view->followup_panel, title));
    g_assert_true (vw_test_has_text (view->followup_panel,
                                     vw_code_get_label (vw_code_list_lookup (residences, "mo"), view->language)));
    vw_test_destroy_window (window);
  }

  vw_test_study_clear (&w);
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

  g_test_add_func ("/prepare-round-dialog/prepare", test_prepare_round);
  return g_test_run ();
}
