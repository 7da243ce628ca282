/* Helpers for the interview view's tests (see vw-test-interview.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "vw-interview-view-private.h"
#include "vw-question-widget.h"
#include "vw-residence-editor.h"
#include "vw-test-interview.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

GBytes *
vw_test_interview_questionnaire (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "questionnaires",
                                                 "mo-bw-trajectory.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *root;
  JsonArray *modules;
  char *data;
  gsize len;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (root, "version", "1.0-test");
  modules = json_object_get_array_member (root, "modules");
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);

      if (g_strcmp0 (json_object_get_string_member (module, "id"), "closing") == 0)
        {
          g_autoptr(JsonParser) q = json_parser_new ();

          json_parser_load_from_data (q, "{\"id\": \"test_date\", \"type\": \"date\", \"label\": "
                                         "{\"nl\": \"Wanneer spreken we weer af?\", "
                                         "\"en\": \"When do we meet again?\"}}", -1, &error);
          g_assert_no_error (error);
          json_array_add_element (json_object_get_array_member (module, "questions"),
                                  json_node_copy (json_parser_get_root (q)));
        }
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  data = json_generator_to_data (generator, &len);
  return g_bytes_new_take (data, len);
}

void
vw_test_interview_init (VwTestInterview *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(GBytes) questionnaire = vw_test_interview_questionnaire ();
  g_autoptr(GPtrArray) studies = NULL;
  g_autoptr(VwParticipant) p = NULL;
  VwVaultCreateOptions options = { 0 };

  memset (t, 0, sizeof *t);
  t->dir = g_dir_make_tmp ("vw-interview-XXXXXX", &error);
  g_assert_no_error (error);
  t->path = g_build_filename (t->dir, "interview.vault", NULL);
  options.study_name = "Testonderzoek";
  options.study_region = "DH";
  options.questionnaire = questionnaire;
  t->vault = vw_vault_create (t->path, passphrase, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  studies = vw_vault_list_studies (t->vault, &error);
  g_assert_no_error (error);
  t->study = g_strdup (((VwStudy *) g_ptr_array_index (studies, 0))->id);
  p = vw_vault_create_participant (t->vault, t->study, NULL, "Kees", "DH", &error);
  g_assert_no_error (error);
  t->code = g_strdup (p->code);
  t->sam = vw_vault_add_interviewer (t->vault, "Sam", VW_INTERVIEWER_RESEARCHER, NULL, &error);
  g_assert_no_error (error);
}

void
vw_test_wait_mapped (GtkWidget *widget)
{
  /* Generous: sanitizer builds on a busy machine save slowly. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static gboolean
stop_iterating (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
vw_test_iterate (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, stop_iterating, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

GtkWidget *
vw_test_find_named (GtkWidget  *root,
                    const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = vw_test_find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
vw_test_has_text (GtkWidget  *root,
                  const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (vw_test_has_text (c, text))
      return TRUE;
  return FALSE;
}

static void
on_closed (VwTestInterview *t)
{
  t->n_closed++;
}

void
vw_test_interview_open (VwTestInterview *t,
                        const char      *round)
{
  if (t->app == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* One application per VwTestInterview, several in a program: each
       * registers on the bus under its own name. */
      static guint n_apps;
      g_autofree char *id = g_strdup_printf ("io.github.veldwerk.Veldwerk.Test%u", n_apps++);

      t->app = GTK_APPLICATION (adw_application_new (id, G_APPLICATION_NON_UNIQUE));
      /* The application's own style sheet, as AdwApplication loads it. */
      g_application_set_resource_base_path (G_APPLICATION (t->app), "/io/github/veldwerk/Veldwerk");
      g_application_register (G_APPLICATION (t->app), NULL, &error);
      g_assert_no_error (error);
    }
  if (t->window == NULL)
    {
      t->window = GTK_WINDOW (adw_application_window_new (t->app));
      gtk_window_set_default_size (t->window, 1366, 768);
      g_object_add_weak_pointer (G_OBJECT (t->window), (gpointer *) &t->window);
    }
  t->view = VW_INTERVIEW_VIEW (vw_interview_view_new (t->vault, t->study, t->code, round));
  g_signal_connect_swapped (t->view, "closed", G_CALLBACK (on_closed), t);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (t->window), GTK_WIDGET (t->view));
  gtk_window_present (t->window);
  vw_test_wait_mapped (GTK_WIDGET (t->view));
  vw_test_iterate (50);
}

void
vw_test_interview_close_view (VwTestInterview *t)
{
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (t->window), NULL);
  t->view = NULL;
}

void
vw_test_interview_clear (VwTestInterview *t)
{
  g_autoptr(GError) error = NULL;

  if (t->window != NULL)
    gtk_window_destroy (t->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&t->app);
  if (t->vault != NULL)
    {
      vw_vault_close (t->vault, &error);
      g_assert_no_error (error);
      g_clear_object (&t->vault);
    }
  vw_test_rm_rf (t->dir);
  g_free (t->dir);
  g_free (t->path);
  g_free (t->study);
  g_free (t->code);
  g_free (t->sam);
}

GtkWidget *
vw_test_question (VwTestInterview *t,
                  const char      *question)
{
  GtkWidget *widget = vw_interview_view_get_question_widget (t->view, question);

  if (widget == NULL)
    for (guint i = 0; i < t->view->consent_widgets->len; i++)
      {
        VwQuestionWidget *w = g_ptr_array_index (t->view->consent_widgets, i);
        if (g_strcmp0 (vw_question_get_id (vw_question_widget_get_question (w)), question) == 0)
          widget = GTK_WIDGET (w);
      }
  g_assert_nonnull (widget);
  return widget;
}

/* Every button in @root that carries a code. */
static void
collect_coded (GtkWidget *root,
               GPtrArray *out)
{
  if (g_object_get_data (G_OBJECT (root), "vw-code") != NULL)
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_coded (c, out);
}

void
vw_test_answer (VwTestInterview *t,
                const char      *question,
                const char      *value)
{
  VwQuestionWidget *w = VW_QUESTION_WIDGET (vw_test_question (t, question));
  GtkWidget *input = vw_question_widget_get_input (w);
  const VwQuestion *q = vw_question_widget_get_question (w);

  if (GTK_IS_DROP_DOWN (input))
    {
      const VwCodeList *codes = vw_question_get_code_list (q);
      guint found = 0;

      for (guint i = 0; i < vw_code_list_get_n_codes (codes); i++)
        if (g_strcmp0 (vw_code_get_code (vw_code_list_get_code (codes, i)), value) == 0)
          found = i + 1;
      g_assert_cmpuint (found, >, 0);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (input), found);
    }
  else if (GTK_IS_TEXT_VIEW (input))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), value, -1);
  else if (GTK_IS_EDITABLE (input))
    gtk_editable_set_text (GTK_EDITABLE (input), value);
  else
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      g_auto(GStrv) codes = value[0] == '[' ? vw_expr_parse_code_array (value) : g_strsplit (value, "\n", 2);
      guint hit = 0;

      collect_coded (input, buttons);
      g_assert_cmpuint (buttons->len, >, 0);
      for (guint i = 0; i < buttons->len; i++)
        {
          GtkWidget *b = g_ptr_array_index (buttons, i);
          gboolean on = g_strv_contains ((const char * const *) codes, g_object_get_data (G_OBJECT (b), "vw-code"));

          hit += on;
          if (GTK_IS_CHECK_BUTTON (b))
            gtk_check_button_set_active (GTK_CHECK_BUTTON (b), on);
          else
            gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (b), on);
        }
      g_assert_cmpuint (hit, ==, g_strv_length (codes));
    }
}

void
vw_test_wait_saved (VwTestInterview *t,
                    const char      *question)
{
  VwQuestionWidget *w = VW_QUESTION_WIDGET (vw_test_question (t, question));
  /* Generous: sanitizer builds on a busy machine save slowly. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (vw_question_widget_get_save_state (w) != VW_SAVE_SAVED && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (vw_question_widget_get_status (w), ==, _("Saved"));
  g_assert_cmpint (vw_question_widget_get_save_state (w), ==, VW_SAVE_SAVED);
}

static guint
interviewer_index (VwTestInterview *t,
                   const char      *id)
{
  for (guint i = 0; i < t->view->interviewer_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (t->view->interviewer_ids, i), id) == 0)
      return i + 1;
  g_assert_not_reached ();
  return 0;
}

AdwMessageDialog *
vw_test_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

char *
vw_test_finish_interview (VwTestInterview *t)
{
  AdwMessageDialog *dialog;
  char *said;

  gtk_widget_activate_action (GTK_WIDGET (t->view), "interview.finish", NULL);
  dialog = vw_test_find_message_dialog ();
  if (dialog == NULL)
    return NULL;
  said = g_strdup_printf ("%s\n%s", adw_message_dialog_get_heading (dialog), adw_message_dialog_get_body (dialog));
  /* What its button does: the response, then the dialog closes. */
  adw_message_dialog_response (dialog, "finish");
  gtk_window_close (GTK_WINDOW (dialog));
  vw_test_iterate (50);
  g_assert_null (vw_test_find_message_dialog ());
  return said;
}

void
vw_test_start_interview (VwTestInterview *t)
{
  VwInterviewView *v = t->view;

  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "setup");
  gtk_editable_set_text (GTK_EDITABLE (v->new_name_row), "Noor");
  adw_combo_row_set_selected (v->new_role_row, 1);
  g_signal_emit_by_name (v->add_interviewer_button, "clicked");
  adw_combo_row_set_selected (v->interviewer2_row, interviewer_index (t, t->sam));
  vw_test_answer (t, "consent_research", "ja");
  vw_test_answer (t, "consent_wmo_linkage", "nee");
  g_signal_emit_by_name (v->start_button, "clicked");
  g_assert_cmpstr (gtk_label_get_label (v->setup_message), ==, "");
  g_assert_cmpstr (vw_interview_view_get_page (v), ==, "interview");
  g_assert_nonnull (vw_interview_view_get_interview_id (v));
}
