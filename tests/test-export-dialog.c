/* Display test: the anonymized export dialog under Xvfb, on a real vault,
 * in English and in Dutch (LANGUAGE is set by meson).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "vw-export-dialog.h"
#include "vw-test-util.h"
#include "vw-test-widgets.h"
#include "vw-test-vault.h"

static gboolean
is_dutch (void)
{
  return g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0;
}

static VwRecords *
small_records (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) participants = g_string_new ("code,pseudonym,region,origin,birth_year\n");
  g_autoptr(GString) rounds = g_string_new ("code,round,status,date,residence\n");
  VwRecords *records;

  /* Six alike and one who stands out (born 1940). */
  for (guint i = 0; i < 7; i++)
    {
      g_string_append_printf (participants, "DH-7K3Q%c,Naam%u,DH,centrumgemeente,%d\n", "ABCDEFG"[i], i,
                              i == 6 ? 1940 : 1985);
      g_string_append_printf (rounds, "DH-7K3Q%c,T0,interviewed,2020-02-1%u,mo\n", "ABCDEFG"[i], i);
    }
  records = vw_records_new_from_csv (participants->str, rounds->str, NULL, NULL, &error);
  g_assert_no_error (error);
  return records;
}

static void
wait_for_page (VwExportDialog *dialog,
               const char     *page)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_strcmp0 (vw_export_dialog_get_page (dialog), page) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (vw_export_dialog_get_page (dialog), ==, page);
}

/* The row titled @title shows @value, and is shown. */
static void
assert_figure (GtkWidget  *dialog,
               const char *title,
               const char *value)
{
  GtkWidget *row = vw_test_row (dialog, title);

  g_assert_true (gtk_widget_is_visible (row));
  g_assert_nonnull (vw_test_find_widget (row, vw_test_label_with_text, value));
}

static void
test_export_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("export-dialog-XXXXXX", &error);
  g_autofree char *vault_path = g_build_filename (dir, "test.vault", NULL);
  g_autofree char *package = g_build_filename (dir, "uitvoer", NULL);
  g_autofree char *wide = g_build_filename (package, "trajectories_wide.csv", NULL);
  g_autofree char *manifest = g_build_filename (package, "manifest.json", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwRecords) records = small_records ();
  g_autofree char *contents = NULL;
  GtkWidget *dialog;

  g_assert_no_error (error);
  vault = vw_test_create_vault (vault_path, &study, NULL);

  dialog = vw_export_dialog_new (NULL, vault, study, records);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (vw_export_dialog_get_page (VW_EXPORT_DIALOG (dialog)), ==, "options");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==,
                   is_dutch () ? "Geanonimiseerde export" : "Anonymized Export");

  vw_export_dialog_set_destination (VW_EXPORT_DIALOG (dialog), dir, "uitvoer");
  g_assert_true (gtk_widget_activate_action (dialog, "export.run", NULL));
  wait_for_page (VW_EXPORT_DIALOG (dialog), "done");

  /* The report is the core's, translated; the package is there and the
   * one who stood out is left out: blanking the age band would only make
   * a group of one with a blank (generalize is the default). */
  g_assert_true (g_str_has_prefix (vw_export_dialog_get_report (VW_EXPORT_DIALOG (dialog)),
                                   is_dutch () ? "Controle op herleidbaarheid: k = 5" : "Disclosure control: k = 5"));
  g_assert_true (g_file_get_contents (wide, &contents, NULL, NULL));
  g_assert_null (strstr (contents, ",DH,centrumgemeente,,"));
  g_assert_null (strstr (contents, "65plus"));
  g_assert_null (strstr (contents, "Naam"));

  /* The dialog shows the figures of the manifest. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *dc;
    g_autofree char *smallest = NULL, *k = NULL, *released = NULL, *generalized = NULL, *suppressed = NULL;

    json_parser_load_from_file (parser, manifest, &error);
    g_assert_no_error (error);
    dc = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "disclosure_control");
    g_assert_cmpint (json_object_get_int_member (dc, "smallest_group"), ==, 6);
    smallest = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (dc, "smallest_group"));
    k = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (dc, "k"));
    released = g_strdup_printf (is_dutch () ? "%" G_GINT64_FORMAT " van %" G_GINT64_FORMAT
                                            : "%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT,
                                json_object_get_int_member (dc, "released"),
                                json_object_get_int_member (dc, "participants"));
    generalized = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (dc, "generalized"));
    suppressed = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (dc, "suppressed"));
    assert_figure (dialog, is_dutch () ? "Kleinste groep in de export" : "Smallest group in the export", smallest);
    assert_figure (dialog, is_dutch () ? "Kleinste toegestane groep" : "Smallest group allowed", k);
    assert_figure (dialog, is_dutch () ? "Mensen in de export" : "People in the export", released);
    assert_figure (dialog, is_dutch () ? "Grover gemaakt" : "Made coarser", generalized);
    assert_figure (dialog, is_dutch () ? "Weggelaten" : "Left out", suppressed);
    g_assert_cmpstr (released, ==, is_dutch () ? "6 van 7" : "6 of 7");
  }

  /* The same name again is refused and shown, not overwritten. */
  vw_test_destroy_window (dialog);
  dialog = vw_export_dialog_new (NULL, vault, study, records);
  gtk_window_present (GTK_WINDOW (dialog));
  vw_export_dialog_set_destination (VW_EXPORT_DIALOG (dialog), dir, "uitvoer");
  g_assert_true (gtk_widget_activate_action (dialog, "export.run", NULL));
  wait_for_page (VW_EXPORT_DIALOG (dialog), "done");
  g_assert_nonnull (strstr (vw_export_dialog_get_report (VW_EXPORT_DIALOG (dialog)),
                            is_dutch () ? "bestaat al" : "already exists"));
  g_assert_false (gtk_widget_is_visible (vw_test_row (dialog, is_dutch () ? "Weggelaten" : "Left out")));
  vw_test_destroy_window (dialog);

  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (vw_core_init (NULL));
  adw_init ();

  g_test_add_func ("/export-dialog/export", test_export_dialog);
  return g_test_run ();
}
