/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vw-a11y.h"
#include "vw-create-vault-page.h"
#include "vw-interview-view.h"
#include "vw-export-dialog.h"
#include "vw-file-chooser.h"
#include "vw-handover-dialog.h"
#include "vw-interviewers-dialog.h"
#include "vw-join-page.h"
#include "vw-merge-dialog.h"
#include "vw-prepare-round-dialog.h"
#include "vw-conflicts-dialog.h"
#include "vw-participant-page.h"
#include "vw-participants-page.h"
#include "vw-worklist-page.h"
#include "vw-results-view.h"
#include "vw-submit-dialog.h"
#include "vw-study-page.h"
#include "vw-unlock-page.h"
#include "vw-window.h"

struct _VwWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkButton          *back_button;
  GtkButton          *lock_button;
  GtkStack           *stack;
  AdwStatusPage      *start_page;
  GtkLabel           *demo_label;
  AdwToastOverlay    *toast_overlay;
  VwCreateVaultPage  *create_page;
  AdwStatusPage      *busy_page;
  GtkSpinner         *busy_spinner;
  VwUnlockPage       *unlock_page;
  VwJoinPage         *join_page;
  AdwViewStack       *main_stack;
  VwParticipantsPage *participants_page;
  VwStudyPage        *study_page;
  VwWorklistPage     *worklist_page;
  AdwBin             *results_slot;
  VwParticipantPage  *participant_page;
  AdwBin             *interview_slot;

  /* Owned */
  GSettings          *settings;
  VwVault            *vault;
  char               *study;
  char               *study_name;
  VwStudyRole         study_role;    /* of study: what the duo-only actions check */
  char               *demo_dir;
  char               *locked_page;   /* the page to return to after unlocking */
  GWeakRef            locked_focus;
  GCancellable       *cancellable;
  guint               idle_source;

  gint64              last_activity;
  gboolean            demo;
};

G_DEFINE_FINAL_TYPE (VwWindow, vw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

VwWindow *
vw_window_new (VwApplication *application)
{
  return g_object_new (VW_TYPE_WINDOW,
                       "application", application,
                       "demo", vw_application_get_demo (application),
                       NULL);
}

/**
 * vw_window_get_page:
 *
 * Returns: the name of the page the window shows, for tests and for
 * returning to the same place after unlocking.
 */
const char *
vw_window_get_page (VwWindow *self)
{
  g_return_val_if_fail (VW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
vw_window_get_page_widget (VwWindow   *self,
                           const char *name)
{
  g_return_val_if_fail (VW_IS_WINDOW (self), NULL);

  if (g_strcmp0 (name, "participants") == 0 || g_strcmp0 (name, "results") == 0 || g_strcmp0 (name, "study") == 0 ||
      g_strcmp0 (name, "worklist") == 0)
    return adw_view_stack_get_child_by_name (self->main_stack, name);
  return gtk_stack_get_child_by_name (self->stack, name);
}

VwVault *
vw_window_get_vault (VwWindow *self)
{
  g_return_val_if_fail (VW_IS_WINDOW (self), NULL);

  return self->vault;
}

const char *
vw_window_get_study (VwWindow *self)
{
  g_return_val_if_fail (VW_IS_WINDOW (self), NULL);

  return self->study;
}

static void
toast (VwWindow   *self,
       const char *message)
{
  vw_a11y_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
set_action_enabled (VwWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Round preparation and conflicts are the coordinator's. */
static gboolean
study_is_coordinator (VwWindow *self)
{
  return self->vault != NULL && vw_vault_is_unlocked (self->vault) && self->study != NULL &&
         self->study_role == VW_STUDY_ROLE_COORDINATOR;
}

/* Submissions and handovers are a duo's, as the core checks too. */
static gboolean
is_duo (VwWindow *self)
{
  return self->study != NULL && self->study_role == VW_STUDY_ROLE_DUO;
}

/* The interview's setup and review pages go back; its questions do not
 * (Pause does), so Alt+Left stays the previous module there. */
static gboolean
interview_can_go_back (VwWindow *self)
{
  GtkWidget *view = adw_bin_get_child (self->interview_slot);

  return view != NULL && vw_interview_view_can_go_back (VW_INTERVIEW_VIEW (view));
}

static void
update_chrome (VwWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean unlocked = self->vault != NULL && vw_vault_is_unlocked (self->vault);

  gboolean can_go_back = g_strcmp0 (page, "create") == 0 || g_strcmp0 (page, "participant") == 0 ||
                         (g_strcmp0 (page, "join") == 0 && unlocked && self->study != NULL) ||
                         (g_strcmp0 (page, "interview") == 0 && interview_can_go_back (self));

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);
  /* Alt+Left is also the interview's "previous module": only where there
   * is a page to go back to may the window take it. */
  set_action_enabled (self, "back", can_go_back);
  gtk_widget_set_visible (GTK_WIDGET (self->lock_button), unlocked);
  set_action_enabled (self, "lock", unlocked);
  /* A duo's laptop that has not joined a study has nothing to enrol in. */
  set_action_enabled (self, "enrol", unlocked && self->study != NULL);
  set_action_enabled (self, "interviewers", unlocked);
  set_action_enabled (self, "export", unlocked && self->study != NULL);
  set_action_enabled (self, "merge", unlocked && self->study != NULL);
  set_action_enabled (self, "join-study", unlocked);
  set_action_enabled (self, "prepare-round", study_is_coordinator (self));
  set_action_enabled (self, "conflicts", study_is_coordinator (self));
  /* The same merge dialog under the word each role uses for it. */
  set_action_enabled (self, "merge-submissions", unlocked && self->study != NULL && !is_duo (self));
  set_action_enabled (self, "open-bundles", unlocked && is_duo (self));
  set_action_enabled (self, "submit", unlocked && is_duo (self));
  set_action_enabled (self, "handover", unlocked && is_duo (self));
  set_action_enabled (self, "handover-participant", unlocked && is_duo (self));
  set_action_enabled (self, "create-vault", !unlocked);
  set_action_enabled (self, "open-vault", !unlocked);

  if (self->demo)
    adw_window_title_set_subtitle (self->window_title, _("Demo study"));
  else
    adw_window_title_set_subtitle (self->window_title, unlocked ? self->study_name : NULL);
}

static void
page_changed (VwWindow *self)
{
  update_chrome (self);
}

static void
show_page (VwWindow   *self,
           const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);
  GtkWidget *focus;

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_grab_focus (page);
  /* A page that takes no focus itself gives it to its first control: the
   * focus is never left on a page that went, or nowhere. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus == NULL || (focus != page && !gtk_widget_is_ancestor (focus, page)))
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

static void
reload_results (VwWindow *self)
{
  GtkWidget *view = adw_bin_get_child (self->results_slot);

  if (self->vault != NULL && vw_vault_is_unlocked (self->vault) && self->study != NULL)
    vw_results_view_reload (VW_RESULTS_VIEW (view), self->vault, self->study);
}

static void
main_view_changed (VwWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->main_stack), "results") == 0)
    reload_results (self);
  /* The worklist reads the attempts recorded since it was last shown. */
  else if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->main_stack), "worklist") == 0 &&
           self->vault != NULL && vw_vault_is_unlocked (self->vault) && self->study != NULL)
    vw_worklist_page_reload (self->worklist_page, self->vault, self->study);
}

static void
show_main (VwWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!vw_study_page_load (self->study_page, self->vault, self->study, &error))
    toast (self, error->message);
  vw_participants_page_reload (self->participants_page, self->vault, self->study);
  main_view_changed (self);
  show_page (self, "main");
}

/* Shows the unlock page for @vault, which the window takes over. */
static void
set_vault (VwWindow *self,
           VwVault  *vault)
{
  if (self->vault != vault)
    {
      g_clear_object (&self->vault);
      self->vault = g_object_ref (vault);
    }
  vw_unlock_page_set_vault (self->unlock_page, vault, self->demo ? VW_DEMO_PASSPHRASE : NULL);
  show_page (self, "unlock");
}

/* Makes @study (or, when %NULL, the study most recently set up or joined)
 * the window's study. */
static gboolean
load_study (VwWindow    *self,
            const char  *study,
            GError     **error)
{
  g_autofree char *id = vw_study_resolve (self->vault, study, error);
  g_autoptr(VwStudy) info = NULL;

  if (id == NULL || (info = vw_vault_get_study (self->vault, id, error)) == NULL)
    return FALSE;
  g_free (self->study);
  self->study = g_steal_pointer (&id);
  g_free (self->study_name);
  self->study_name = g_strdup (info->name);
  self->study_role = info->role;
  return TRUE;
}

/* A duo's laptop starts without a study: it joins one with the
 * coordinator's invitation. */
static void
show_join (VwWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!vw_join_page_set_vault (self->join_page, self->vault, &error))
    toast (self, error->message);
  show_page (self, "join");
}

static void
study_joined (VwWindow   *self,
              const char *study)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!load_study (self, study, &error))
    {
      toast (self, error->message);
      return;
    }
  adw_view_stack_set_visible_child_name (self->main_stack, "participants");
  show_main (self);
  update_chrome (self);
  message = g_strdup_printf (_("Joined the study “%s”"), self->study_name);
  toast (self, message);
}

/* Another study of the vault: the whole window shows that one. */
static void
study_selected (VwWindow   *self,
                const char *study)
{
  g_autoptr(GError) error = NULL;

  if (!load_study (self, study, &error))
    {
      toast (self, error->message);
      return;
    }
  show_main (self);
  update_chrome (self);
}

static void
study_changed (VwWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!load_study (self, self->study, &error))
    toast (self, error->message);
  vw_participants_page_reload (self->participants_page, self->vault, self->study);
  update_chrome (self);
}

static void
vault_unlocked (VwWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) focus = g_weak_ref_get (&self->locked_focus);
  g_autofree char *page = g_steal_pointer (&self->locked_page);

  self->last_activity = g_get_monotonic_time ();
  g_weak_ref_set (&self->locked_focus, NULL);

  if (page != NULL)
    {
      /* Back to where the duo was, with the same field focused. */
      gtk_stack_set_visible_child_name (self->stack, page);
      if (focus != NULL && gtk_widget_get_root (focus) == GTK_ROOT (self))
        gtk_widget_grab_focus (focus);
      update_chrome (self);
      return;
    }

  {
    g_autoptr(GPtrArray) studies = vw_vault_list_studies (self->vault, &error);

    if (studies != NULL && studies->len == 0)
      {
        g_clear_pointer (&self->study, g_free);
        g_clear_pointer (&self->study_name, g_free);
        show_join (self);
        return;
      }
  }
  if (error != NULL || !load_study (self, NULL, &error))
    {
      toast (self, error->message);
      update_chrome (self);
      return;
    }
  show_main (self);
}

static void
vault_created (VwWindow *self,
               VwVault  *vault)
{
  g_clear_object (&self->vault);
  self->vault = g_object_ref (vault);
  g_clear_pointer (&self->locked_page, g_free);
  if (!self->demo)
    g_settings_set_string (self->settings, "last-vault", vw_vault_get_path (vault));
  vault_unlocked (self);
}

void
vw_window_take_vault (VwWindow *self,
                      VwVault  *vault)
{
  g_return_if_fail (VW_IS_WINDOW (self));
  g_return_if_fail (VW_IS_VAULT (vault));
  g_return_if_fail (vw_vault_is_unlocked (vault));

  vault_created (self, vault);
}

static void
participant_activated (VwWindow   *self,
                       const char *code)
{
  vw_window_show_participant (self, code);
}

void
vw_window_show_participant (VwWindow   *self,
                            const char *code)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VW_IS_WINDOW (self));

  if (!vw_participant_page_load (self->participant_page, self->vault, self->study, code, &error))
    {
      toast (self, error->message);
      return;
    }
  show_page (self, "participant");
}

static void
interview_closed (VwWindow *self)
{
  g_autoptr(GError) error = NULL;

  adw_bin_set_child (self->interview_slot, NULL);
  if (!vw_participant_page_load (self->participant_page, self->vault, self->study,
                                 vw_participant_page_get_code (self->participant_page), &error))
    toast (self, error->message);
  show_page (self, "participant");
}

static void
start_interview (VwWindow   *self,
                 const char *round)
{
  GtkWidget *view;

  view = vw_interview_view_new (self->vault, self->study, vw_participant_page_get_code (self->participant_page),
                                round);
  g_signal_connect_object (view, "closed", G_CALLBACK (interview_closed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "notify::page", G_CALLBACK (update_chrome), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->interview_slot, view);
  show_page (self, "interview");
}

static gboolean
flush_interview (VwWindow *self)
{
  GtkWidget *view = adw_bin_get_child (self->interview_slot);
  g_autoptr(GError) error = NULL;

  if (view == NULL || vw_interview_view_flush (VW_INTERVIEW_VIEW (view), &error))
    return TRUE;
  toast (self, error->message);
  return FALSE;
}

static void close_dialogs (VwWindow *self);

void
vw_window_lock (VwWindow *self)
{
  g_return_if_fail (VW_IS_WINDOW (self));

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault))
    return;

  /* What is typed is stored before the keys go; locking goes ahead even
   * if that fails, and the toast says so, because an unattended laptop
   * must not stay open. */
  flush_interview (self);

  g_free (self->locked_page);
  self->locked_page = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  g_weak_ref_set (&self->locked_focus, gtk_root_get_focus (GTK_ROOT (self)));

  /* A chooser still open would answer into a closed dialog or write what
   * the vault held after it locked. */
  vw_file_chooser_cancel_all (GTK_WINDOW (self));
  close_dialogs (self);
  vw_vault_lock (self->vault);
  set_vault (self, self->vault);
}

gboolean
vw_window_check_idle (VwWindow *self,
                      gint64    now)
{
  guint minutes;

  g_return_val_if_fail (VW_IS_WINDOW (self), FALSE);

  minutes = g_settings_get_uint (self->settings, "auto-lock-minutes");
  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault) ||
      now - self->last_activity < (gint64) minutes * 60 * G_USEC_PER_SEC)
    return FALSE;

  vw_window_lock (self);
  return TRUE;
}

static gboolean
idle_tick (gpointer user_data)
{
  vw_window_check_idle (VW_WINDOW (user_data), g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

static void
user_active (VwWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static gboolean
key_pressed (VwWindow *self)
{
  user_active (self);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
scrolled (VwWindow *self)
{
  user_active (self);
  return GDK_EVENT_PROPAGATE;
}

/* Any key, pointer movement, click or scroll counts as activity for the
 * automatic lock; seen in the capture phase so no widget hides it. */
static void
track_activity (VwWindow  *self,
                GtkWidget *widget)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "motion", G_CALLBACK (user_active), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "pressed", G_CALLBACK (user_active), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scrolled), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);
}

/* A dialog of this window: typing there is activity too. */
static void
toplevels_changed (VwWindow   *self,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GListModel *toplevels)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self) &&
          g_object_get_data (G_OBJECT (window), "vw-tracked") == NULL)
        {
          g_object_set_data (G_OBJECT (window), "vw-tracked", GINT_TO_POINTER (TRUE));
          track_activity (self, GTK_WIDGET (window));
        }
    }
}

/* Dialogs show what the vault holds: they go when it locks. */
static void
close_dialogs (VwWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        g_ptr_array_add (dialogs, window);
      else
        g_object_unref (window);
    }
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_destroy (g_ptr_array_index (dialogs, i));
}

static void
win_lock (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  vw_window_lock (VW_WINDOW (user_data));
}

static void
win_back (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "create") == 0)
    show_page (self, "start");
  else if (g_strcmp0 (page, "participant") == 0 || (g_strcmp0 (page, "join") == 0 && self->study != NULL))
    show_main (self);
  else if (g_strcmp0 (page, "interview") == 0 && interview_can_go_back (self))
    vw_interview_view_go_back (VW_INTERVIEW_VIEW (adw_bin_get_child (self->interview_slot)));
}

static void
win_enrol (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);

  adw_view_stack_set_visible_child_name (self->main_stack, "participants");
  show_main (self);
  vw_participants_page_enrol (self->participants_page);
}

static void
win_interviewers (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  GtkWidget *dialog;

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault))
    return;
  dialog = vw_interviewers_dialog_new (GTK_WINDOW (self), self->vault);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
win_export (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwRecords) records = NULL;
  GtkWidget *dialog;

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault) || self->study == NULL)
    return;
  records = vw_vault_load_records (self->vault, self->study, &error);
  if (records == NULL)
    {
      toast (self, error->message);
      return;
    }
  dialog = vw_export_dialog_new (GTK_WINDOW (self), self->vault, self->study, records);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What was merged shows at once on both pages. */
static void
merged (VwWindow *self)
{
  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault) || self->study == NULL)
    return;
  vw_participants_page_reload (self->participants_page, self->vault, self->study);
  reload_results (self);
}

/* After a merge that left conflicts or duplicates, a way to them. */
static void
merge_left_open (VwWindow *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  AdwToast *note;

  if (!study_is_coordinator (self) ||
      (conflicts = vw_exchange_list_conflicts (self->vault, self->study, FALSE, NULL)) == NULL ||
      (duplicates = vw_exchange_duplicates (self->vault, self->study, NULL)) == NULL ||
      conflicts->len + duplicates->len == 0)
    return;
  note = adw_toast_new (_("The merge left conflicts or possible duplicates to settle"));
  adw_toast_set_button_label (note, _("_Review"));
  adw_toast_set_action_name (note, "win.conflicts");
  adw_toast_set_priority (note, ADW_TOAST_PRIORITY_HIGH);
  vw_a11y_add_toast (self->toast_overlay, note);
}

static void handed_over (VwWindow *self);

static VwMergeDialog *
open_merge_dialog (VwWindow *self)
{
  VwMergeDialog *dialog;

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault) || self->study == NULL)
    return NULL;
  dialog = vw_merge_dialog_new (GTK_WINDOW (self), self->vault, self->study);
  g_signal_connect_object (dialog, "merged", G_CALLBACK (handed_over), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "merged", G_CALLBACK (merge_left_open), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* Bundles dropped on the participant list go to a new merge dialog, which
 * shows them before anything is merged. */
static gboolean
files_dropped (GtkDropTarget *target,
               const GValue  *value,
               double         x,
               double         y,
               gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  VwMergeDialog *dialog;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  dialog = open_merge_dialog (self);
  if (dialog == NULL)
    return FALSE;
  for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
    vw_merge_dialog_add_file (dialog, l->data);
  return TRUE;
}

static void
win_merge (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  open_merge_dialog (VW_WINDOW (user_data));
}

static void
win_prepare_round (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);

  if (!study_is_coordinator (self))
    return;
  gtk_window_present (GTK_WINDOW (vw_prepare_round_dialog_new (GTK_WINDOW (self), self->vault, self->study)));
}

static void
win_conflicts (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  VwConflictsDialog *dialog;

  if (!study_is_coordinator (self))
    return;
  dialog = vw_conflicts_dialog_new (GTK_WINDOW (self), self->vault, self->study);
  /* A resolved value shows at once, as after a merge. */
  g_signal_connect_object (dialog, "changed", G_CALLBACK (merged), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* After a handover was written, or bundles merged (a receipt may remove
 * participants): the lists, and the participant on screen. */
static void
handed_over (VwWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  g_autoptr(VwParticipant) shown = NULL;
  g_autoptr(GError) error = NULL;

  merged (self);
  if (g_strcmp0 (page, "participant") != 0 || self->vault == NULL || !vw_vault_is_unlocked (self->vault))
    return;
  /* A participant who left this laptop cannot stay on screen; one who
   * awaits a receipt now shows it. */
  if ((shown = vw_vault_get_participant (self->vault, self->study,
                                         vw_participant_page_get_code (self->participant_page), NULL)) == NULL)
    show_main (self);
  else if (!vw_participant_page_load (self->participant_page, self->vault, self->study, shown->code, &error))
    toast (self, error->message);
}

static void
open_handover_dialog (VwWindow   *self,
                      const char *code)
{
  VwHandoverDialog *dialog;

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault) || !is_duo (self))
    return;
  dialog = vw_handover_dialog_new (GTK_WINDOW (self), self->vault, self->study, code);
  g_signal_connect_object (dialog, "handed-over", G_CALLBACK (handed_over), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
win_handover (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  open_handover_dialog (VW_WINDOW (user_data), NULL);
}

/* From the participant page: that participant, already checked. */
static void
win_handover_participant (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);

  open_handover_dialog (self, vw_participant_page_get_code (self->participant_page));
}

static void
win_submit (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  VwSubmitDialog *dialog;

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault) || !is_duo (self))
    return;
  dialog = vw_submit_dialog_new (GTK_WINDOW (self), self->vault, self->study);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
win_join_study (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);

  if (self->vault == NULL || !vw_vault_is_unlocked (self->vault))
    return;
  show_join (self);
}

static gboolean open_vault_file (VwWindow   *self,
                                 const char *path);

static void
show_create (VwWindow   *self,
             const char *path)
{
  vw_create_vault_page_reset (self->create_page, path);
  show_page (self, "create");
}

static void
new_vault_place_chosen (GtkWidget      *owner,
                        GtkFileChooser *chooser,
                        gpointer        user_data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    show_create (VW_WINDOW (owner), path);
}

static void
existing_vault_response (AdwMessageDialog *dialog,
                         const char       *response,
                         VwWindow         *self)
{
  g_autofree char *path = vw_paths_default_vault ();

  if (g_strcmp0 (response, "open") == 0)
    {
      if (open_vault_file (self, path))
        g_settings_set_string (self->settings, "last-vault", path);
    }
  else if (g_strcmp0 (response, "elsewhere") == 0)
    {
      GtkFileChooser *chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Where to Keep the New Vault"),
                                                     GTK_FILE_CHOOSER_ACTION_SAVE, new_vault_place_chosen, NULL, NULL);

      gtk_file_chooser_set_current_name (chooser, "veldwerk-2.vault");
      vw_file_chooser_show (chooser);
    }
}

/* A vault is never made over another: where the default place is taken,
 * the one there is offered first (it is most likely this laptop's own,
 * after its setting was lost), and another place second. */
static void
win_create_vault (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  g_autofree char *path = vw_paths_default_vault ();
  g_autofree char *display = NULL;
  GtkWidget *dialog;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      show_create (self, path);
      return;
    }
  display = g_filename_display_name (path);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("This Laptop Already Has a Vault"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("There is a vault in %s. Open it and unlock it with its passphrase, or "
                                    "make the new vault in another place."), display);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "elsewhere", _("_Another Place…"),
                                    "open", _("_Open It"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (existing_vault_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
open_vault_file (VwWindow   *self,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (path, &error);

  if (vault == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  g_clear_pointer (&self->locked_page, g_free);
  set_vault (self, vault);
  return TRUE;
}

static void
vault_file_chosen (GtkWidget      *owner,
                   GtkFileChooser *chooser,
                   gpointer        user_data)
{
  VwWindow *self = VW_WINDOW (owner);
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL && open_vault_file (self, path))
    g_settings_set_string (self->settings, "last-vault", path);
}

static void
win_open_vault (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VwWindow *self = VW_WINDOW (user_data);
  GtkFileChooser *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = vw_file_chooser_new (GTK_WIDGET (self), _("Open a Vault"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                 vault_file_chosen, NULL, NULL);
  gtk_file_filter_set_name (filter, _("Veldwerk vaults"));
  gtk_file_filter_add_pattern (filter, "*.vault");
  gtk_file_chooser_add_filter (chooser, filter);
  vw_file_chooser_show (chooser);
}

static const GActionEntry win_actions[] = {
  { "lock", win_lock },
  { "back", win_back },
  { "enrol", win_enrol },
  { "interviewers", win_interviewers },
  { "export", win_export },
  { "merge", win_merge },
  { "prepare-round", win_prepare_round },
  { "conflicts", win_conflicts },
  { "merge-submissions", win_merge },
  { "open-bundles", win_merge },
  { "submit", win_submit },
  { "handover", win_handover },
  { "handover-participant", win_handover_participant },
  { "join-study", win_join_study },
  { "create-vault", win_create_vault },
  { "open-vault", win_open_vault },
};

/* The demo vault is made, its keys stretched and filled, in a worker
 * thread; the window takes it over when the thread is done. */
static void
demo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autofree char *path = g_build_filename (task_data, "demo.vault", NULL);
  GError *error = NULL;
  VwVault *vault = vw_demo_create (path, cancellable, &error);

  if (vault == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vault, g_object_unref);
}

static void
demo_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  VwWindow *self = VW_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (self->busy_spinner, FALSE);
  if (vault == NULL)
    {
      adw_status_page_set_title (self->busy_page, _("Cannot Make the Demo Study"));
      adw_status_page_set_description (self->busy_page, error->message);
      return;
    }
  set_vault (self, vault);
}

static void
start_demo (VwWindow *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  self->demo_dir = g_dir_make_tmp ("veldwerk-demo-XXXXXX", &error);
  if (self->demo_dir == NULL)
    {
      toast (self, error->message);
      return;
    }
  gtk_spinner_set_spinning (self->busy_spinner, TRUE);
  show_page (self, "busy");

  task = g_task_new (self, self->cancellable, demo_done, NULL);
  g_task_set_source_tag (task, start_demo);
  g_task_set_task_data (task, g_strdup (self->demo_dir), g_free);
  g_task_run_in_thread (task, demo_thread);
}

/* The demo vault lives in a temporary folder that goes with the window. */
static void
remove_demo_dir (VwWindow *self)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->demo_dir == NULL)
    return;
  if (self->vault != NULL)
    vw_vault_close (self->vault, NULL);
  dir = g_dir_open (self->demo_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->demo_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (self->demo_dir);
  g_clear_pointer (&self->demo_dir, g_free);
}

static gboolean
vw_window_close_request (GtkWindow *window)
{
  VwWindow *self = VW_WINDOW (window);

  flush_interview (self);

  return GTK_WINDOW_CLASS (vw_window_parent_class)->close_request (window);
}

static void
vw_window_constructed (GObject *object)
{
  VwWindow *self = VW_WINDOW (object);
  g_autofree char *last = NULL;

  G_OBJECT_CLASS (vw_window_parent_class)->constructed (object);

  /* The demo study is marked everywhere so nobody mistakes it for real
   * fieldwork. */
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), self->demo);
  if (self->demo)
    gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
  update_chrome (self);

  if (self->demo)
    return;

  /* Without the setting (lost, or reset) the vault in the default place is
   * still this laptop's: it opens rather than the welcome page. */
  last = g_settings_get_string (self->settings, "last-vault");
  if (*last == '\0' || !g_file_test (last, G_FILE_TEST_EXISTS))
    {
      g_free (last);
      last = vw_paths_default_vault ();
    }
  if (g_file_test (last, G_FILE_TEST_EXISTS) && open_vault_file (self, last))
    g_settings_set_string (self->settings, "last-vault", last);
}

static void
vw_window_map (GtkWidget *widget)
{
  VwWindow *self = VW_WINDOW (widget);

  GTK_WIDGET_CLASS (vw_window_parent_class)->map (widget);

  /* Started here rather than at construction so that a window that is
   * never shown makes no demo vault. */
  if (self->demo && self->demo_dir == NULL)
    start_demo (self);
}

static void
vw_window_dispose (GObject *object)
{
  VwWindow *self = VW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  remove_demo_dir (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->vault);
  g_clear_object (&self->cancellable);
  g_weak_ref_set (&self->locked_focus, NULL);

  G_OBJECT_CLASS (vw_window_parent_class)->dispose (object);
}

static void
vw_window_finalize (GObject *object)
{
  VwWindow *self = VW_WINDOW (object);

  g_free (self->study);
  g_free (self->study_name);
  g_free (self->locked_page);
  g_weak_ref_clear (&self->locked_focus);

  G_OBJECT_CLASS (vw_window_parent_class)->finalize (object);
}

static void
vw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VwWindow *self = VW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VwWindow *self = VW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vw_window_class_init (VwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = vw_window_constructed;
  object_class->dispose = vw_window_dispose;
  object_class->finalize = vw_window_finalize;
  object_class->get_property = vw_window_get_property;
  object_class->set_property = vw_window_set_property;
  widget_class->map = vw_window_map;
  window_class->close_request = vw_window_close_request;

  /**
   * VwWindow:demo:
   *
   * Whether the window shows the throw-away demo study.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VW_TYPE_CREATE_VAULT_PAGE);
  g_type_ensure (VW_TYPE_WORKLIST_PAGE);
  g_type_ensure (VW_TYPE_UNLOCK_PAGE);
  g_type_ensure (VW_TYPE_PARTICIPANTS_PAGE);
  g_type_ensure (VW_TYPE_PARTICIPANT_PAGE);
  g_type_ensure (VW_TYPE_JOIN_PAGE);
  g_type_ensure (VW_TYPE_STUDY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, create_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, busy_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, unlock_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, join_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, study_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, worklist_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, participants_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, results_slot);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, participant_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, interview_slot);
  gtk_widget_class_bind_template_callback (widget_class, page_changed);
  gtk_widget_class_bind_template_callback (widget_class, main_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, vault_created);
  gtk_widget_class_bind_template_callback (widget_class, vault_unlocked);
  gtk_widget_class_bind_template_callback (widget_class, participant_activated);
  gtk_widget_class_bind_template_callback (widget_class, start_interview);
  gtk_widget_class_bind_template_callback (widget_class, study_joined);
  gtk_widget_class_bind_template_callback (widget_class, study_selected);
  gtk_widget_class_bind_template_callback (widget_class, study_changed);
}

static void
vw_window_init (VwWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_weak_ref_init (&self->locked_focus, NULL);
  self->cancellable = g_cancellable_new ();
  self->last_activity = g_get_monotonic_time ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  adw_bin_set_child (self->results_slot, vw_results_view_new ());

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (files_dropped), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->participants_page), GTK_EVENT_CONTROLLER (target));

  /* Activity in the window and in its dialogs postpones the automatic lock. */
  track_activity (self, GTK_WIDGET (self));
  g_signal_connect_object (gtk_window_get_toplevels (), "items-changed", G_CALLBACK (toplevels_changed), self,
                           G_CONNECT_SWAPPED);

  self->idle_source = g_timeout_add_seconds (15, idle_tick, self);

  /* Window size survives restarts; the schema is always the stable ID so a
   * development build shares the user's settings. */
  self->settings = g_settings_new ("io.github.veldwerk.Veldwerk");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (g_str_has_suffix (APPLICATION_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
