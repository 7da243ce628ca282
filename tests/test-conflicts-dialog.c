/* Display test: two duos change the same answer, the coordinator merges
 * both; the conflicts dialog lists both values with the devices' labels,
 * the coordinator keeps one side, and keeps a group of possible duplicates
 * apart. Everything is checked again in the reopened vault. And in the
 * coordinator's window, a merge that leaves them offers Review. Runs once
 * per interface language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-conflicts-dialog.h"
#include "vw-merge-dialog.h"
#include "vw-window.h"
#include "vw-test-interview.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-test-widgets.h"

/* The coordinator's id of the duo's laptop labelled @label: the side's
 * device is the laptop whose key signed the bundle. */
static char *
device_id (VwTestStudy *w,
           const char  *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) device = vw_study_find_device (w->coord, w->study, label, &error);

  g_assert_no_error (error);
  return g_strdup (device->id);
}

/* The conflict side's row: the value and "device, time". */
static GtkWidget *
side_row (GtkWidget  *dialog,
          const char *interview,
          const char *device)
{
  g_autofree char *name = g_strdup_printf ("choose:%s:debts:%s", interview, device);
  GtkWidget *button = vw_test_find_named (dialog, name);

  g_assert_true (GTK_IS_BUTTON (button));
  return gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
}

/* The subtitle of the first row under @root whose subtitle starts with
 * @prefix. */
static const char *
find_subtitle (GtkWidget  *root,
               const char *prefix)
{
  if (ADW_IS_ACTION_ROW (root))
    {
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (root));
      if (subtitle != NULL && g_str_has_prefix (subtitle, prefix))
        return subtitle;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *found = find_subtitle (c, prefix);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
count_changes (VwConflictsDialog *dialog,
               guint             *changes)
{
  (*changes)++;
}

static void
test_conflicts (void)
{
  VwTestStudy w = { 0 };
  VwTestConflict c = { 0 };
  g_autofree char *where = NULL, *first = NULL, *apart = NULL, *other = NULL, *north = NULL, *south = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autofree char *value = NULL;
  const char *anna, *tom, *karel, *iv;
  VwConflictsDialog *dialog;
  GtkWidget *row, *button;
  guint changes = 0;

  vw_test_study_init (&w);
  vw_test_study_conflict (&w, &c);
  anna = c.anna;
  tom = c.tom;
  karel = c.karel;
  iv = c.interview;
  open = vw_exchange_list_conflicts (w.coord, w.study, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 2);
  g_clear_pointer (&open, g_ptr_array_unref);
  duplicates = vw_exchange_duplicates (w.coord, w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (duplicates->len, ==, 1);
  g_clear_pointer (&duplicates, g_ptr_array_unref);

  dialog = vw_conflicts_dialog_new (NULL, w.coord, w.study);
  g_signal_connect (dialog, "changed", G_CALLBACK (count_changes), &changes);
  gtk_window_present (GTK_WINDOW (dialog));

  /* Grouped by interview, both values, each with its device's label. */
  where = g_strdup_printf (_("%s (%s), round %s"), "Anna", anna, "T0");
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), where));
  north = device_id (&w, "duo-noord");
  south = device_id (&w, "duo-zuid");
  row = side_row (GTK_WIDGET (dialog), iv, north);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "onbekend"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "duo-noord, "));
  row = side_row (GTK_WIDGET (dialog), iv, south);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "ja"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "duo-zuid, "));

  /* An empty other value is refused and changes nothing. */
  other = g_strdup_printf ("other:%s:debts", iv);
  g_signal_emit_by_name (vw_test_find_named (GTK_WIDGET (dialog), other), "apply");
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("Not resolved: type the value to keep")));
  open = vw_exchange_list_conflicts (w.coord, w.study, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 2);
  g_clear_pointer (&open, g_ptr_array_unref);

  /* Keeping the south duo's value. */
  {
    g_autofree char *name = g_strdup_printf ("choose:%s:debts:%s", iv, south);

    button = vw_test_find_named (GTK_WIDGET (dialog), name);
    g_signal_emit_by_name (button, "clicked");
  }
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("No open conflicts")));

  /* The south duo changes Anna's interview, which the north duo made: a
   * conflict of the whole record, shown by the fields that differ; the
   * coordinator keeps the north duo's. */
  {
    g_autofree char *sub = g_build_filename (w.dir, "zuid2.submission", NULL);
    g_autofree char *name = g_strdup_printf ("choose:%s::%s", iv, north);
    g_autoptr(VwInterview) interview = NULL;

    g_assert_true (vw_vault_set_interview_status (w.duo2, iv, "declined", NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (vw_exchange_write_submission (w.duo2, w.study, sub, FALSE, NULL, &error));
    g_assert_no_error (error);
    vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub));
    vw_conflicts_dialog_reload (dialog);
    g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("The interview")));
    row = gtk_widget_get_ancestor (vw_test_find_named (GTK_WIDGET (dialog), name), ADW_TYPE_ACTION_ROW);
    g_assert_nonnull (row);
    g_test_message ("%s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), _("Status")));
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "duo-noord, "));
    g_signal_emit_by_name (vw_test_find_named (GTK_WIDGET (dialog), name), "clicked");
    g_assert_cmpuint (changes, ==, 2);
    g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("No open conflicts")));
    interview = vw_vault_get_interview (w.coord, iv, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (interview->status, ==, "interviewed");
  }

  /* The resolved section shows the chosen value. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (vw_test_find_named (GTK_WIDGET (dialog), "show-resolved")), TRUE);
  {
    GtkWidget *resolved = vw_test_find_named (GTK_WIDGET (dialog), "resolved-box");
    const char *subtitle;

    g_assert_true (gtk_widget_get_visible (resolved));
    subtitle = find_subtitle (resolved, where);
    g_assert_nonnull (subtitle);
    g_assert_nonnull (strstr (subtitle, "ja"));
    all = vw_exchange_list_conflicts (w.coord, w.study, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 4);
    for (guint i = 0; i < all->len; i++)
      g_assert_nonnull (((VwConflict *) g_ptr_array_index (all, i))->resolved);
  }

  /* The duplicates: Tom and Karel, kept apart. */
  first = g_strdup (g_strcmp0 (tom, karel) < 0 ? tom : karel);
  apart = g_strdup_printf ("apart:%s", first);
  {
    g_autofree char *tom_row = g_strdup_printf ("%s (%s)", "Tom", tom);
    g_autofree char *karel_row = g_strdup_printf ("%s (%s)", "Karel", karel);

    g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), tom_row));
    g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), karel_row));
  }
  g_signal_emit_by_name (vw_test_find_named (GTK_WIDGET (dialog), apart), "clicked");
  g_assert_cmpuint (changes, ==, 3);
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("No possible duplicates")));
  vw_test_destroy_window (dialog);

  /* All of it is stored. */
  vw_test_study_reopen (&w.coord, w.coord_path);
  open = vw_exchange_list_conflicts (w.coord, w.study, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 0);
  value = vw_vault_get_answer (w.coord, iv, "debts", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "ja");
  duplicates = vw_exchange_duplicates (w.coord, w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (duplicates->len, ==, 0);
  /* The decision is an encrypted value that reads back where it is. */
  {
    g_autoptr(GPtrArray) problems = NULL;

    g_autoptr(GPtrArray) tampered = NULL;
    g_autoptr(GBytes) blob = NULL;
    g_autoptr(GBytes) flipped = NULL;
    sqlite3 *raw;

    g_assert_true (vw_vault_verify (w.coord, &problems, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);

    /* One flipped byte of the decision is found. */
    vw_vault_close (w.coord, &error);
    g_assert_no_error (error);
    g_clear_object (&w.coord);
    raw = vw_test_raw_open (w.coord_path);
    blob = vw_test_raw_blob (raw, "SELECT decision FROM duplicate_decisions");
    flipped = vw_test_flip_byte (blob, g_bytes_get_size (blob) - 1);
    vw_test_raw_set_blob (raw, "UPDATE duplicate_decisions SET decision = ?", flipped);
    sqlite3_close (raw);
    w.coord = vw_test_open_vault (w.coord_path);
    g_assert_false (vw_vault_verify (w.coord, &tampered, NULL, &error));
    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
    g_clear_error (&error);
    /* Once as a value that does not decrypt, once as a row changed
     * outside Veldwerk. */
    g_assert_cmpuint (tampered->len, ==, 2);
    g_assert_nonnull (strstr (g_ptr_array_index (tampered, 0), "duplicate_decisions"));
    g_assert_nonnull (strstr (g_ptr_array_index (tampered, 1), "duplicate_decisions"));
  }

  vw_test_conflict_clear (&c);
  vw_test_study_clear (&w);
}

static void
count_merged (VwMergeDialog *dialog,
              guint         *merged)
{
  (*merged)++;
}

static gboolean
merged_times (gpointer data)
{
  guint *merged = data;

  return merged[0] >= merged[1];
}

static gboolean
review_toast_shown (gpointer window)
{
  return vw_test_find_widget (window, vw_test_label_with_text,
                              _("The merge left conflicts or possible duplicates to settle")) != NULL;
}

/* Merges @path in the window's own merge dialog, as the coordinator does
 * with "Merge Submissions…", and waits until it is merged. */
static void
merge_in_window (VwWindow   *window,
                 const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint merged[2] = { 0, 1 };
  VwMergeDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (window), "merge-submissions", NULL);
  dialog = VW_MERGE_DIALOG (vw_test_find_toplevel (VW_TYPE_MERGE_DIALOG));
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "merged", G_CALLBACK (count_merged), merged);
  vw_merge_dialog_add_file (dialog, file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.run", NULL));
  g_assert_true (vw_test_wait_for (merged_times, merged));
  vw_test_destroy_window (dialog);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A merge that leaves nothing to settle says nothing more; one that
 * leaves a conflict and possible duplicates offers Review, which opens the
 * conflicts dialog on them. */
static void
test_review_after_merge (void)
{
  VwTestStudy w = { 0 };
  VwTestConflict c = { 0 };
  g_autofree char *noord = NULL, *zuid = NULL;
  VwWindow *window;
  GtkWidget *review;
  GtkWindow *dialog;

  vw_test_study_init (&w);
  vw_test_study_conflict_submissions (&w, &c, &noord, &zuid);
  window = g_object_new (VW_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  vw_window_take_vault (window, w.coord);

  merge_in_window (window, noord);
  g_assert_false (review_toast_shown (window));
  g_assert_null (vw_test_find_widget (GTK_WIDGET (window), vw_test_button_labelled, _("_Review")));

  merge_in_window (window, zuid);
  g_assert_true (vw_test_wait_for (review_toast_shown, window));
  g_assert_null (vw_test_find_toplevel (VW_TYPE_CONFLICTS_DIALOG));
  review = vw_test_find_widget (GTK_WIDGET (window), vw_test_button_labelled, _("_Review"));
  g_assert_nonnull (review);
  vw_test_click (review);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  dialog = vw_test_find_toplevel (VW_TYPE_CONFLICTS_DIALOG);
  g_assert_nonnull (dialog);
  /* It shows the conflict the merge left: Anna's T0. */
  {
    g_autofree char *where = g_strdup_printf (_("%s (%s), round %s"), "Anna", c.anna, "T0");

    g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), where));
  }

  vw_test_destroy_window (dialog);
  vw_test_destroy_window (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  vw_test_conflict_clear (&c);
  vw_test_study_clear (&w);
}

/* With VELDWERK_SCREENSHOT_DIR set, @window as it is shown, as
 * <dir>/<name>-<language>.png, to look at. */
static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("VELDWERK_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;
  for (int i = 0; i < 20; i++)
    {
      g_usleep (20000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s-%s-%dx%d.png", name, g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en", width,
                          height);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static guint
record_count (VwTestStudy *w)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwRecords) records = vw_vault_load_records (w->coord, w->study, &error);
  guint n = 0;

  g_assert_no_error (error);
  vw_records_get_participants (records, &n);
  return n;
}

/* Same person: Join takes effect (one participant fewer in the records);
 * the joined pair is listed with its Split, which asks for a reason, and
 * a split makes them two again. */
static void
test_join_split (void)
{
  VwTestStudy w = { 0 };
  VwTestConflict c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) aliases = NULL;
  g_autofree char *first = NULL, *join = NULL, *split = NULL, *reason_name = NULL, *other = NULL;
  g_autofree char *title = NULL, *joined = NULL, *kept = NULL;
  const char *size = g_getenv ("VELDWERK_DIALOG_SIZE");
  VwConflictsDialog *dialog;
  GtkWidget *reason;
  guint changes = 0;

  vw_test_study_init (&w);
  vw_test_study_conflict (&w, &c);
  g_assert_cmpuint (record_count (&w), ==, 3);

  dialog = vw_conflicts_dialog_new (NULL, w.coord, w.study);
  if (size != NULL && g_str_equal (size, "small"))
    gtk_window_set_default_size (GTK_WINDOW (dialog), 1024, 600);
  else
    gtk_window_set_default_size (GTK_WINDOW (dialog), 1366, 768);
  g_signal_connect (dialog, "changed", G_CALLBACK (count_changes), &changes);
  gtk_window_present (GTK_WINDOW (dialog));

  first = g_strdup (g_strcmp0 (c.tom, c.karel) < 0 ? c.tom : c.karel);
  other = g_strdup (g_strcmp0 (c.tom, c.karel) < 0 ? c.karel : c.tom);
  join = g_strdup_printf ("join:%s", first);
  g_signal_emit_by_name (vw_test_find_named (GTK_WIDGET (dialog), join), "clicked");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (record_count (&w), ==, 2);
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("Joined Participants")));
  joined = g_strdup_printf ("%s (%s)", g_str_equal (other, c.tom) ? "Tom" : "Karel", other);
  kept = g_strdup_printf ("%s (%s)", g_str_equal (first, c.tom) ? "Tom" : "Karel", first);
  title = g_strdup_printf (_("%s is %s"), joined, kept);
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), title));
  screenshot (GTK_WIDGET (dialog), size != NULL && g_str_equal (size, "small") ? "joined-small" : "joined");

  /* Split without a reason: refused, said so, still joined. */
  split = g_strdup_printf ("split:%s", other);
  reason_name = g_strdup_printf ("split-reason:%s", other);
  reason = vw_test_find_named (GTK_WIDGET (dialog), reason_name);
  g_assert_true (ADW_IS_ENTRY_ROW (reason));
  g_signal_emit_by_name (vw_test_find_named (GTK_WIDGET (dialog), split), "clicked");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (record_count (&w), ==, 2);
  g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), _("Reason for the split")));
  {
    g_autofree char *refused = g_strdup_printf (_("Not split: %s"), _("A split needs a reason (--reason TEXT)"));

    g_assert_true (vw_test_has_text (GTK_WIDGET (dialog), refused));
  }

  /* With a reason: two again. */
  gtk_editable_set_text (GTK_EDITABLE (vw_test_find_named (GTK_WIDGET (dialog), reason_name)), "born in 1972");
  g_signal_emit_by_name (vw_test_find_named (GTK_WIDGET (dialog), split), "clicked");
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (record_count (&w), ==, 3);
  g_assert_false (vw_test_has_text (GTK_WIDGET (dialog), _("Joined Participants")));
  aliases = vw_vault_list_aliases (w.coord, w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aliases->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  vw_test_conflict_clear (&c);
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

  g_test_add_func ("/conflicts-dialog/resolve", test_conflicts);
  g_test_add_func ("/conflicts-dialog/review-after-merge", test_review_after_merge);
  g_test_add_func ("/conflicts-dialog/join-split", test_join_split);
  return g_test_run ();
}
