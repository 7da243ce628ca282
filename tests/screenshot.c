/* Renders pages of the application window at 1366x768 into PNG files,
 * for README and the metainfo. Run through `ninja -C build screenshots`
 * (tests/screenshots.sh), which runs it under Xvfb once per language.
 *
 *   screenshot OUTPUT-DIR [--large-text | --small]
 *
 * writes OUTPUT-DIR/<page>-<LANGUAGE>.png for every entry of `shots`
 * (<page>-large-<LANGUAGE>.png with text at 150 %, to check the layout
 * with large text; <page>-small-<LANGUAGE>.png at 1024x600, the smallest
 * laptop screen the application is made for, with dialogs at the size
 * they open with).
 * To add a page, add a function that brings the window there and an
 * entry to the table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vw-application.h"
#include "vw-conflicts-dialog.h"
#include "vw-enrol-dialog.h"
#include "vw-handover-dialog.h"
#include "vw-merge-dialog.h"
#include "vw-join-page.h"
#include "vw-prepare-round-dialog.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-participant-page.h"
#include "vw-submit-dialog.h"
#include "vw-unlock-page.h"
#include "vw-vault-tracing.h"
#include "vw-test-widgets.h"
#include "vw-window.h"

#include "vw-interview-view.h"

static int WIDTH = 1366;
static int HEIGHT = 768;

typedef struct
{
  const char *name;
  /* Brings the window to the page; runs in table order. */
  void      (*prepare) (VwWindow *window);
  /* Only at 1024x600: at 1366x768 screenshot-interview shows it. */
  gboolean    small_only;
} Shot;

static const char *output_dir;
/* A dialog a shot's prepare function opened: shot instead of the window,
 * then closed. */
static GtkWindow *dialog;
static gboolean large_text;
static gboolean small;
static int status = 1;

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_for_page (VwWindow   *window,
               const char *page)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_strcmp0 (vw_window_get_page (window), page) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (g_strcmp0 (vw_window_get_page (window), page) != 0)
    g_error ("The window did not reach page %s", page);
}

static void
prepare_unlock (VwWindow *window)
{
  wait_for_page (window, "unlock");
}

static GtkWidget *
find_password_row (GtkWidget *root)
{
  if (ADW_IS_PASSWORD_ENTRY_ROW (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_password_row (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
prepare_participants (VwWindow *window)
{
  GtkWidget *row = find_password_row (vw_window_get_page_widget (window, "unlock"));

  gtk_editable_set_text (GTK_EDITABLE (row), VW_DEMO_PASSPHRASE);
  g_signal_emit_by_name (row, "entry-activated");
  wait_for_page (window, "main");
}

static void
show_main_view (VwWindow   *window,
                const char *name)
{
  GtkWidget *page = vw_window_get_page_widget (window, name);
  GtkWidget *stack = gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK);

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
}

static GtkWidget *
first_expander (GtkWidget *root)
{
  if (ADW_IS_EXPANDER_ROW (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_expander (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The round worklist of the demo's latest round, with attempts on three
 * participants and an appointment, the first one opened. */
static void
prepare_worklist (VwWindow *window)
{
  VwVault *vault = vw_window_get_vault (window);
  const char *study = vw_window_get_study (window);
  g_autoptr(GPtrArray) people = vw_vault_list_participants (vault, study, NULL);
  g_autoptr(GPtrArray) rounds = vw_vault_list_rounds (vault, study, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  const char *round = ((VwRound *) g_ptr_array_index (rounds, rounds->len - 1))->label;
  const char *outcomes[] = { "no_answer", "message_left", "appointment_made" };
  const char *ways[] = { "phone", "visit", "care_worker" };
  GtkWidget *page;
  GtkWidget *first;

  for (guint i = 0; i < MIN (people->len, 3); i++)
    {
      VwParticipant *p = g_ptr_array_index (people, i);

      for (guint a = 0; a < 3 - i; a++)
        {
          g_autoptr(GDateTime) day = g_date_time_add_days (now, -(int) (10 - 3 * a));
          g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
          g_autofree char *id = vw_vault_save_attempt (vault, study, p->code, round, NULL, date, ways[a], outcomes[a],
                                                       NULL, NULL, &error);
          if (id == NULL)
            g_error ("Cannot add an attempt: %s", error->message);
        }
      if (i == 0)
        {
          g_autoptr(GDateTime) day = g_date_time_add_days (now, 2);
          g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
          g_autofree char *id = vw_vault_save_appointment (vault, study, p->code, round, NULL, date, "14:00",
                                                           "Buurthuis", NULL, &error);
          if (id == NULL)
            g_error ("Cannot add an appointment: %s", error->message);
        }
    }
  show_main_view (window, "worklist");
  page = vw_window_get_page_widget (window, "worklist");
  first = first_expander (page);
  if (first != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first), TRUE);
}

static void
prepare_participant (VwWindow *window)
{
  g_autoptr(GPtrArray) people = vw_vault_list_participants (vw_window_get_vault (window),
                                                            vw_window_get_study (window), NULL);

  show_main_view (window, "participants");

  /* A demo participant with an interview to resume and a quote. */
  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (people, i);
      if (g_str_equal (p->pseudonym, "Gerda"))
        vw_window_show_participant (window, p->code);
    }
  wait_for_page (window, "participant");
}

static GtkWidget *
find_entry_row (GtkWidget  *root,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (root) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The dialog of @type a window action opened. */
static GtkWindow *
find_dialog (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return GTK_WINDOW (w);
    }
  g_error ("No %s opened", g_type_name (type));
  return NULL;
}

static void
prepare_enrol (VwWindow *window)
{
  const struct { const char *title, *text; } fields[] = {
    { N_("Pseudonym"), "Noor" },
    { N_("Birth year (four digits)"), "1987" },
    { N_("Name"), "Fatima el Amrani" },
    { N_("Birth date (YYYY-MM-DD)"), "1987-06-02" },
  };

  g_action_group_activate_action (G_ACTION_GROUP (window), "enrol", NULL);
  dialog = find_dialog (VW_TYPE_ENROL_DIALOG);
  /* Tall enough to show every field, except on the small screen. */
  if (!small)
    gtk_window_set_default_size (dialog, 560, 960);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), _(fields[i].title))), fields[i].text);
}

/* The coordinator's dialogs need a study across laptops with something
 * to settle: made once, for both shots. */
static VwTestStudy world;
static VwTestConflict conflict;

static void
ensure_world (void)
{
  if (world.coord != NULL)
    return;
  vw_test_study_init (&world);
  vw_test_study_conflict (&world, &conflict);
  /* duo-zuid also records Anna's T0 as declined, which duo-noord made:
   * a conflict of the whole interview. */
  {
    g_autofree char *path = g_build_filename (world.dir, "zuid2.submission", NULL);

    g_assert_true (vw_vault_set_interview_status (world.duo2, conflict.interview, "declined", NULL, "geen tijd",
                                                  NULL));
    g_assert_true (vw_exchange_write_submission (world.duo2, world.study, path, FALSE, NULL, NULL));
    vw_merge_report_free (vw_test_study_merge (world.coord, world.study, path));
  }
  /* Sunita, enrolled by both duos with a spelling variant and day and
   * month swapped: a pair proposed with its similarity. */
  {
    const char * const answers[] = { "debts", "nee", NULL };
    g_autofree char *a = vw_test_study_interview (&world, world.duo1, "Sunita", answers);
    g_autofree char *b = vw_test_study_interview (&world, world.duo2, "Soenita", answers);
    g_autofree char *p1 = g_build_filename (world.dir, "noord3.submission", NULL);
    g_autofree char *p2 = g_build_filename (world.dir, "zuid3.submission", NULL);

    g_assert_true (vw_vault_set_linkage_identity (world.duo1, world.study, a, "Sunita Ramdin", "1977-05-09", NULL));
    g_assert_true (vw_vault_set_linkage_identity (world.duo2, world.study, b, "Soenita Ramdien", "1977-09-05", NULL));
    g_assert_true (vw_exchange_write_submission (world.duo1, world.study, p1, FALSE, NULL, NULL));
    g_assert_true (vw_exchange_write_submission (world.duo2, world.study, p2, FALSE, NULL, NULL));
    vw_merge_report_free (vw_test_study_merge (world.coord, world.study, p1));
    vw_merge_report_free (vw_test_study_merge (world.coord, world.study, p2));
  }
}

static void
prepare_prepare_round (VwWindow *window)
{
  VwPrepareRoundDialog *prepare;
  AdwComboRow *devices;
  GtkWidget *row;

  ensure_world ();
  /* Tom went to duo-noord for T1 already: the dialog marks him. */
  {
    g_autofree char *path = g_build_filename (world.dir, "T1-duo-noord.round", NULL);
    g_autoptr(VwDevice) north = vw_study_find_device (world.coord, world.study, "duo-noord", NULL);
    const char *codes[] = { conflict.tom, NULL };

    g_assert_true (vw_exchange_write_round_preparation (world.coord, world.study, north->id, "T1", codes, path, NULL));
  }
  prepare = vw_prepare_round_dialog_new (GTK_WINDOW (window), world.coord, world.study);
  devices = vw_prepare_round_dialog_get_device_row (prepare);
  adw_combo_row_set_selected (devices, 1); /* duo-zuid */
  row = gtk_widget_get_first_child (GTK_WIDGET (vw_prepare_round_dialog_get_participants (prepare)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), TRUE);
  dialog = GTK_WINDOW (prepare);
  gtk_window_present (dialog);
}

static void
prepare_conflicts (VwWindow *window)
{
  ensure_world ();
  dialog = GTK_WINDOW (vw_conflicts_dialog_new (GTK_WINDOW (window), world.coord, world.study));
  /* Tall enough for the conflict and the duplicates. */
  if (!small)
    gtk_window_set_default_size (dialog, 720, 960);
  gtk_window_present (dialog);
}

static void
prepare_submit (VwWindow *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "submit", NULL);
  dialog = find_dialog (VW_TYPE_SUBMIT_DIALOG);
  if (!small)
    gtk_window_set_default_size (dialog, 560, 720);
}

static void
prepare_handover (VwWindow *window)
{
  VwVault *vault = vw_window_get_vault (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autofree char *device = NULL;
  guint8 ed[32], x[32];
  guint checked = 0;
  GtkWidget *list;

  /* The other duo's laptop, as its keys would add it. */
  signing = vw_bundle_signing_key_generate (ed);
  memset (x, 0x5a, sizeof x);
  device = vw_vault_add_device (vault, vw_window_get_study (window), "duo-zuid", x, ed, TRUE, &error);
  if (device == NULL)
    g_error ("Cannot add a device: %s", error->message);

  /* Opened from Gerda's page: she is checked; one more beside her. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "handover-participant", NULL);
  dialog = find_dialog (VW_TYPE_HANDOVER_DIALOG);
  if (!small)
    gtk_window_set_default_size (dialog, 600, 900);
  list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), VW_TYPE_HANDOVER_DIALOG,
                                                   "participants_list"));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL && checked < 2;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
      if (!gtk_check_button_get_active (check))
        gtk_check_button_set_active (check, TRUE);
      checked++;
    }
}

/* Gerda handed over with removal: her page while the receipt is awaited
 * (read-only, the state in words, a way to cancel). */
static void
prepare_participant_awaiting (VwWindow *window)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "veldwerk-screenshot-handover.age", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VwHandoverDialog *handover;
  AdwMessageDialog *confirmation;

  g_unlink (path);
  g_action_group_activate_action (G_ACTION_GROUP (window), "handover-participant", NULL);
  handover = VW_HANDOVER_DIALOG (find_dialog (VW_TYPE_HANDOVER_DIALOG));
  gtk_switch_set_active (GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (handover), VW_TYPE_HANDOVER_DIALOG,
                                                                    "remove_switch")), TRUE);
  vw_handover_dialog_save_to (handover, file);
  confirmation = vw_handover_dialog_get_confirmation (handover);
  if (confirmation == NULL)
    g_error ("The handover dialog asked nothing before removal");
  adw_message_dialog_response (confirmation, "remove");
  settle (200);
  gtk_window_destroy (GTK_WINDOW (handover));
  g_unlink (path);
  settle (200);
  prepare_participant (window);
  settle (400);
  {
    int min_w, min_h;
    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, min_w, &min_h, NULL, NULL, NULL);
    }
}

static void
merge_finished (GObject  *merge,
                gboolean *done)
{
  *done = TRUE;
}

/* The receiving duo opens a handover: who arrived, and the receipt to
 * send back. */
static void
prepare_receipt (VwWindow *window)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const char *codes[] = { conflict.tom, NULL };
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  VwMergeDialog *merge;

  ensure_world ();
  path = g_build_filename (world.dir, "veldwerk-handover.age", NULL);
  file = g_file_new_for_path (path);
  if (!vw_exchange_write_handover (world.duo1, world.study, "duo-zuid", codes, path, TRUE, NULL, &error))
    g_error ("Cannot write the handover: %s", error->message);
  merge = vw_merge_dialog_new (GTK_WINDOW (window), world.duo2, world.study);
  g_signal_connect (merge, "merged", G_CALLBACK (merge_finished), &done);
  vw_merge_dialog_add_file (merge, file);
  gtk_window_set_default_size (GTK_WINDOW (merge), 560, 620);
  gtk_window_present (GTK_WINDOW (merge));
  gtk_widget_activate_action (GTK_WIDGET (merge), "merge.run", NULL);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (!done)
    g_error ("The handover was not merged");
  dialog = GTK_WINDOW (merge);
}

/* The Join page with an invitation opened: the coordinator of the test
 * study enrols this (demo) laptop and invites it; the fingerprint is half
 * typed, as a duo does while the coordinator reads it out. */
static void
prepare_join (VwWindow *window)
{
  VwVault *vault = vw_window_get_vault (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient = NULL, *signing = NULL, *device = NULL, *coordinator = NULL, *fingerprint = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GtkWidget *join;

  ensure_world ();
  path = g_build_filename (world.dir, "demo.invitation", NULL);
  file = g_file_new_for_path (path);
  if ((recipient = vw_vault_get_age_recipient (vault, &error)) == NULL ||
      (signing = vw_vault_get_signing_key (vault, &error)) == NULL ||
      (device = vw_study_add_device (world.coord, world.study, "duo Centrum", recipient, signing, &error)) == NULL ||
      !vw_study_write_invitation (world.coord, world.study, device, path, &error) ||
      (coordinator = vw_vault_get_signing_key (world.coord, &error)) == NULL ||
      (fingerprint = vw_fingerprint_of_key_text (coordinator, &error)) == NULL)
    g_error ("Cannot invite the demo laptop: %s", error->message);

  g_action_group_activate_action (G_ACTION_GROUP (window), "join-study", NULL);
  wait_for_page (window, "join");
  join = vw_window_get_page_widget (window, "join");
  if (!vw_join_page_open_file (VW_JOIN_PAGE (join), file))
    g_error ("The demo laptop cannot open its invitation: %s", vw_join_page_get_error (VW_JOIN_PAGE (join)));
  fingerprint[17] = '\0';
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (join, _("Fingerprint your coordinator gave you"))),
                         fingerprint);
}

static void
show_study_tab (VwWindow *window)
{
  GtkWidget *page = vw_window_get_page_widget (window, "study");

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK)),
                                         "study");
}

static void
prepare_study_duo (VwWindow *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "back", NULL);
  wait_for_page (window, "main");
  show_study_tab (window);
}

static gboolean
group_titled (GtkWidget     *widget,
              gconstpointer  title)
{
  return ADW_IS_PREFERENCES_GROUP (widget) &&
         g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0;
}

static gboolean
combo_row (GtkWidget     *widget,
           gconstpointer  unused)
{
  return ADW_IS_COMBO_ROW (widget);
}

/* The demo vault gets a second study that this laptop coordinates, with a
 * round, a second region and an enrolled laptop; the Study tab switches. */
static void
prepare_study_coordinator (VwWindow *window)
{
  VwVault *vault = vw_window_get_vault (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwAgeIdentity) duo = vw_age_identity_generate ();
  g_autoptr(VwAgeRecipient) duo_recipient = vw_age_identity_to_recipient (duo);
  g_autofree char *recipient = vw_age_recipient_to_string (duo_recipient);
  g_autofree char *own = NULL;
  g_autofree char *signing = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *study = NULL;
  g_autofree char *device = NULL;
  g_autoptr(VwSecret) secret = NULL;
  GtkWidget *switcher;
  guint8 ed[32];

  secret = vw_bundle_signing_key_generate (ed);
  b64 = g_base64_encode (ed, sizeof ed);
  signing = g_strconcat ("ed25519:", b64, NULL);
  const char *name = g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0 ? "Dakloosheid in de regio"
                                                                   : "Homelessness in the region";

  if ((study = vw_vault_create_study (vault, name, "DH", VW_STUDY_ROLE_COORDINATOR, NULL,
                                      &error)) == NULL ||
      !vw_vault_add_study_region (vault, study, "UT", &error) ||
      !vw_study_set_round (vault, study, "T0", "2026-01-05", "2026-03-27", TRUE, &error) ||
      !vw_study_set_round (vault, study, "T1", "2027-01-04", "2027-03-26", FALSE, &error) ||
      (own = vw_vault_get_age_recipient (vault, &error)) == NULL ||
      !vw_study_add_recipient (vault, study, own, &error) ||
      (device = vw_study_add_device (vault, study, "duo Noord", recipient, signing, &error)) == NULL)
    g_error ("Cannot set up the coordinator's study: %s", error->message);

  /* Reloaded through the Join page and back, then chosen in the tab. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "join-study", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "back", NULL);
  wait_for_page (window, "main");
  switcher = vw_test_find_widget (vw_window_get_page_widget (window, "study"), combo_row, NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (switcher), 1);
  if (g_strcmp0 (vw_window_get_study (window), study) != 0)
    g_error ("The window did not switch to the coordinator's study");
  show_study_tab (window);

  /* What only a coordinator sees: the signing key and the laptops. */
  settle (400);
  {
    GtkWidget *page = vw_window_get_page_widget (window, "study");
    GtkWidget *group = vw_test_find_widget (page, group_titled, _("Your Fingerprint"));
    GtkWidget *scrolled = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
    graphene_point_t at;

    if (!gtk_widget_compute_point (group, content, &GRAPHENE_POINT_INIT (0, 0), &at))
      g_error ("The setup group is not in the page");
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), at.y - 12);
  }
}

/* Gerda's paused interview of round T2, with last time's answers. */
static void
prepare_interview (VwWindow *window)
{
  g_autoptr(GPtrArray) people = vw_vault_list_participants (vw_window_get_vault (window),
                                                            vw_window_get_study (window), NULL);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (people, i);
      if (g_str_equal (p->pseudonym, "Gerda"))
        vw_window_show_participant (window, p->code);
    }
  wait_for_page (window, "participant");
  g_signal_emit_by_name (vw_window_get_page_widget (window, "participant"), "start-interview", "T2");
  wait_for_page (window, "interview");
}

static void
prepare_review (VwWindow *window)
{
  GtkWidget *view = adw_bin_get_child (ADW_BIN (vw_window_get_page_widget (window, "interview")));

  gtk_widget_activate_action (view, "interview.review", NULL);
}

static const Shot shots[] = {
  { "unlock", prepare_unlock },
  { "participants", prepare_participants },
  { "worklist", prepare_worklist },
  { "participant", prepare_participant },
  { "enrol", prepare_enrol },
  { "prepare-round", prepare_prepare_round },
  { "conflicts", prepare_conflicts },
  { "submit", prepare_submit },
  { "handover", prepare_handover },
  { "interview-followup", prepare_interview, TRUE },
  { "interview-review", prepare_review, TRUE },
  { "participant-awaiting", prepare_participant_awaiting },
  { "receipt", prepare_receipt },
  { "join", prepare_join },
  { "study-duo", prepare_study_duo },
  { "study-coordinator", prepare_study_coordinator },
};

static void
save_shot (GtkWindow  *window,
           const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%s%s-%s.png", name, large_text ? "-large" : small ? "-small" : "",
                                           g_getenv ("LANGUAGE"));
  g_autofree char *path = g_build_filename (output_dir, file, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Cannot write %s", path);
  g_print ("%s (%dx%d)\n", path, width, height);
}

static void
on_activate_after (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* Pages are shot when they are there, not half-way through a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  if (large_text)
    g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", 96 * 1024 * 3 / 2, NULL);

  /* The default size counts the client-side decoration's margin too:
   * adjust until the window itself has the size. */
  /* On a busy machine a frame can come late: go on until the size holds. */
  for (int w = WIDTH, h = HEIGHT, i = 0; i < 20; i++)
    {
      gtk_window_unmaximize (window);
      gtk_window_set_default_size (window, w, h);
      settle (400);
      if (gtk_widget_get_width (GTK_WIDGET (window)) == WIDTH && gtk_widget_get_height (GTK_WIDGET (window)) == HEIGHT)
        break;
      w += WIDTH - gtk_widget_get_width (GTK_WIDGET (window));
      h += HEIGHT - gtk_widget_get_height (GTK_WIDGET (window));
    }
  g_print ("window %dx%d\n", gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      if (shots[i].small_only && !small)
        continue;
      shots[i].prepare (VW_WINDOW (window));
      /* Transitions and the first frame of every widget. */
      settle (800);
      if (large_text || small)
        {
          int min_w, min_h;
          gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
          gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, min_w, &min_h, NULL, NULL, NULL);
          g_print ("%s: smallest window %dx%d\n", shots[i].name, min_w, min_h);
        }
      save_shot (dialog != NULL ? dialog : window, shots[i].name);
      if (dialog != NULL)
        {
          gtk_window_destroy (g_steal_pointer (&dialog));
          settle (200);
        }
    }

  if (world.coord != NULL)
    {
      vw_test_conflict_clear (&conflict);
      vw_test_study_clear (&world);
    }
  status = 0;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(VwApplication) app = NULL;
  const char *app_argv[] = { "veldwerk", "--demo", NULL };

  if (argc < 2 || argc > 3 ||
      (argc == 3 && g_strcmp0 (argv[2], "--large-text") != 0 && g_strcmp0 (argv[2], "--small") != 0))
    {
      g_printerr ("Usage: %s OUTPUT-DIR [--large-text | --small]\n", argv[0]);
      return 2;
    }
  output_dir = argv[1];
  large_text = argc == 3 && g_str_equal (argv[2], "--large-text");
  small = argc == 3 && g_str_equal (argv[2], "--small");
  if (small)
    {
      WIDTH = 1024;
      HEIGHT = 600;
    }

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_after), NULL);
  g_application_run (G_APPLICATION (app), 2, (char **) app_argv);

  return status;
}
