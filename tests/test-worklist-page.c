/* Display test: the round worklist (tracing) in a real window
 * over a real duo vault: who is due, the three filters with the exact
 * codes they must show, and "Add attempt" storing an attempt or showing
 * the core's error. Runs once per interface language (LANGUAGE=en, nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-test-widgets.h"
#include "vw-vault-tracing.h"
#include "vw-worklist-page.h"
#include "vw-participant-page.h"

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static char *
enrol (VwVault    *vault,
       const char *study,
       const char *pseudonym)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, NULL, pseudonym, "DH", &error);

  g_assert_no_error (error);
  return g_strdup (p->code);
}

static void
attempt (VwVault    *vault,
         const char *study,
         const char *code,
         const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = vw_vault_save_attempt (vault, study, code, "T1", NULL, date, "phone", "no_answer", NULL,
                                               NULL, &error);

  g_assert_no_error (error);
}

static gboolean
is_expander (GtkWidget     *widget,
             gconstpointer  title)
{
  return ADW_IS_EXPANDER_ROW (widget) &&
         g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") && gtk_widget_get_visible (widget);
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  unused)
{
  return GTK_IS_BUTTON (widget);
}

static void
test_worklist (void)
{
  VwTestStudy w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *tom = NULL, *sara = NULL, *anna = NULL, *shown = NULL;
  GtkWindow *window;
  VwWorklistPage *page;
  GtkWidget *expander;

  vw_test_study_init (&w);
  tom = enrol (w.duo1, w.study, "Tom");
  sara = enrol (w.duo1, w.study, "Sara");
  anna = enrol (w.duo1, w.study, "Anna");
  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-03-0%d", i);
      attempt (w.duo1, w.study, tom, date);
    }
  attempt (w.duo1, w.study, sara, "2026-03-05");
  g_free (vw_vault_save_appointment (w.duo1, w.study, sara, "T1", NULL, "2026-03-12", "10:00", NULL, NULL, &error));
  g_assert_no_error (error);

  page = g_object_ref_sink (g_object_new (VW_TYPE_WORKLIST_PAGE, NULL));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1024, 600);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  vw_worklist_page_set_today (page, "2026-03-10");
  vw_worklist_page_reload (page, w.duo1, w.study);
  spin ();

  /* The latest round, everyone due. */
  g_assert_cmpuint (vw_worklist_page_count_rows (page), ==, 3);
  vw_worklist_page_set_filter (page, "T1", VW_WORKLIST_PAGE_NOT_TRIED);
  shown = vw_worklist_page_shown_codes (page);
  g_assert_cmpstr (shown, ==, anna);
  g_clear_pointer (&shown, g_free);
  vw_worklist_page_set_filter (page, "T1", VW_WORKLIST_PAGE_TRIED_THREE);
  shown = vw_worklist_page_shown_codes (page);
  g_assert_cmpstr (shown, ==, tom);
  g_clear_pointer (&shown, g_free);
  vw_worklist_page_set_filter (page, "T1", VW_WORKLIST_PAGE_APPOINTMENT_WEEK);
  shown = vw_worklist_page_shown_codes (page);
  g_assert_cmpstr (shown, ==, sara);
  g_clear_pointer (&shown, g_free);

  /* Add an attempt for Anna through the form; a date in the future is
   * refused with the core's message, and nothing is stored. */
  vw_worklist_page_set_filter (page, "T1", VW_WORKLIST_PAGE_NOT_TRIED);
  spin ();
  expander = vw_test_find_widget (GTK_WIDGET (page), is_expander, "Anna");
  g_assert_nonnull (expander);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  spin ();
  vw_test_type_into (expander, _("Date of the attempt (YYYY-MM-DD)"), "2099-01-01");
  vw_test_type_into (expander, _("Note (stays on this laptop)"), "bij de soepbus");
  vw_test_click (vw_test_button (expander, _("_Add Attempt")));
  spin ();
  g_assert_nonnull (vw_test_find_widget (expander, is_error_label, NULL));
  g_assert_cmpint (vw_vault_count_attempts (w.duo1, w.study, anna, "T1", &error), ==, -1);

  vw_test_type_into (expander, _("Date of the attempt (YYYY-MM-DD)"), "2026-03-09");
  adw_combo_row_set_selected (ADW_COMBO_ROW (vw_test_row (expander, _("Way"))), 1);          /* visit */
  adw_combo_row_set_selected (ADW_COMBO_ROW (vw_test_row (expander, _("Outcome"))), 4);      /* appointment_made */
  vw_test_click (vw_test_button (expander, _("_Add Attempt")));
  spin ();
  g_assert_cmpint (vw_vault_count_attempts (w.duo1, w.study, anna, "T1", &error), ==, 1);
  {
    g_autoptr(GPtrArray) list = vw_vault_list_attempts (w.duo1, w.study, anna, "T1", &error);
    VwAttempt *a = g_ptr_array_index (list, 0);

    g_assert_cmpstr (a->way, ==, "visit");
    g_assert_cmpstr (a->outcome, ==, "appointment_made");
    g_assert_cmpstr (a->note, ==, "bij de soepbus");
  }
  /* Tried now: Anna leaves "not yet tried". */
  g_assert_cmpuint (vw_worklist_page_count_rows (page), ==, 0);

  /* An appointment for Anna: a time that is not HH:MM is refused with
   * the core's message; then she is in "appointment this week". */
  vw_worklist_page_set_filter (page, "T1", VW_WORKLIST_PAGE_ALL);
  spin ();
  expander = vw_test_find_widget (GTK_WIDGET (page), is_expander, "Anna");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  vw_test_type_into (expander, _("Appointment date (YYYY-MM-DD)"), "2026-03-13");
  vw_test_type_into (expander, _("Time (HH:MM)"), "9 uur");
  vw_test_type_into (expander, _("Where to meet (stays on this laptop)"), "station");
  vw_test_click (vw_test_button (expander, _("Add A_ppointment")));
  spin ();
  g_assert_nonnull (vw_test_find_widget (expander, is_error_label, NULL));
  {
    g_autoptr(GPtrArray) list = vw_vault_list_appointments (w.duo1, w.study, anna, "T1", &error);
    g_assert_cmpuint (list->len, ==, 0);
  }
  vw_test_type_into (expander, _("Time (HH:MM)"), "09:00");
  vw_test_click (vw_test_button (expander, _("Add A_ppointment")));
  spin ();
  vw_worklist_page_set_filter (page, "T1", VW_WORKLIST_PAGE_APPOINTMENT_WEEK);
  shown = vw_worklist_page_shown_codes (page);
  {
    g_autofree char *both = strcmp (anna, sara) < 0 ? g_strdup_printf ("%s %s", anna, sara)
                                                    : g_strdup_printf ("%s %s", sara, anna);
    g_assert_cmpstr (shown, ==, both);
  }
  g_clear_pointer (&shown, g_free);

  gtk_window_destroy (window);
  g_object_unref (page);
  spin ();
  vw_test_study_clear (&w);
}

/* The participant page's locator section: a way to reach is added
 * through the form and listed; empty details show the core's error and
 * store nothing; the remove button deletes it. */
static void
test_locators (void)
{
  VwTestStudy w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *tom = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GtkWindow *window;
  VwParticipantPage *page;
  GtkWidget *entry;

  vw_test_study_init (&w);
  tom = enrol (w.duo1, w.study, "Tom");
  page = g_object_ref_sink (g_object_new (VW_TYPE_PARTICIPANT_PAGE, NULL));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1024, 600);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  g_assert_true (vw_participant_page_load (page, w.duo1, w.study, tom, &error));
  g_assert_no_error (error);
  spin ();

  entry = vw_test_row (GTK_WIDGET (page), _("Add a way to reach (who, which organisation, where)"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_signal_emit_by_name (entry, "apply");
  spin ();
  g_assert_nonnull (vw_test_find_widget (GTK_WIDGET (page), is_error_label, NULL));
  list = vw_vault_list_locators (w.duo1, w.study, tom, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  adw_combo_row_set_selected (ADW_COMBO_ROW (vw_test_row (GTK_WIDGET (page), _("Kind"))), 2); /* sleeping_place */
  gtk_editable_set_text (GTK_EDITABLE (entry), "portiek bij de Grote Kerk");
  g_signal_emit_by_name (entry, "apply");
  spin ();
  list = vw_vault_list_locators (w.duo1, w.study, tom, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((VwLocator *) g_ptr_array_index (list, 0))->kind, ==, "sleeping_place");
  g_assert_cmpstr (((VwLocator *) g_ptr_array_index (list, 0))->details, ==, "portiek bij de Grote Kerk");
  g_clear_pointer (&list, g_ptr_array_unref);
  /* Listed on the page, with a named remove button. */
  g_assert_nonnull (vw_test_row (GTK_WIDGET (page), "portiek bij de Grote Kerk"));
  {
    GtkWidget *row = vw_test_row (GTK_WIDGET (page), "portiek bij de Grote Kerk");
    GtkWidget *button = vw_test_find_widget (row, is_button, NULL);

    g_assert_nonnull (button);
    vw_test_click (button);
    spin ();
    list = vw_vault_list_locators (w.duo1, w.study, tom, &error);
    g_assert_cmpuint (list->len, ==, 0);
    g_clear_pointer (&list, g_ptr_array_unref);
  }

  gtk_window_destroy (window);
  g_object_unref (page);
  spin ();
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

  g_test_add_func ("/worklist-page/filters-and-attempts", test_worklist);
  g_test_add_func ("/worklist-page/locators", test_locators);

  return g_test_run ();
}
