/* vw-results-view.c: tables and charts (see vw-results-view.h).
 *
 * The records are read from the vault on the calling thread: a VwVault
 * belongs to the thread that opened it. Classifying and counting are
 * cheap next to that (see the records benchmark).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-chart-bars.h"
#include "vw-chart-timeline.h"
#include "vw-file-chooser.h"
#include "vw-results-view.h"
#include "vw-save-chooser.h"

struct _VwResultsView
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkToggleButton      *dh3_button;
  GtkToggleButton      *fl4_button;
  VwChartBars          *bars;
  GtkLabel             *bars_note;
  VwChartTimeline      *timeline;
  GtkBox               *tables_box;
  GtkButton            *book_button;
  GtkLabel             *book_status;

  /* Owned */
  VwRecords            *records;
  VwClassification     *classifications[2]; /* by VwRuleSet, with the stored overrides */
  char                 *study_name;
  GCancellable         *book_cancellable;   /* while a table book is being written */
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (VwResultsView, vw_results_view, ADW_TYPE_BIN)

GtkWidget *
vw_results_view_new (void)
{
  return g_object_new (VW_TYPE_RESULTS_VIEW, NULL);
}

static void
clear_results (VwResultsView *self)
{
  g_clear_pointer (&self->study_name, g_free);
  g_clear_pointer (&self->records, vw_records_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->classifications); i++)
    g_clear_pointer (&self->classifications[i], vw_classification_free);
}

static void
show_error (VwResultsView *self,
            const char    *message)
{
  clear_results (self);
  vw_chart_bars_set_table (self->bars, NULL);
  vw_chart_timeline_set_classification (self->timeline, NULL);
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* One table as a grid: its title, the cells of its text form (a header
 * row, then the rows), and the line that states the denominator. */
static GtkWidget *
table_widget (VwTable *table)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (vw_table_get_title (table));
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *note = gtk_label_new (vw_table_get_note (table));
  guint n_columns, n_lines;
  g_autoptr(GPtrArray) cells = vw_table_get_text_cells (table, &n_columns, &n_lines);

  gtk_widget_set_name (box, vw_table_get_name (table));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (guint l = 0; l < n_lines; l++)
    for (guint c = 0; c < n_columns; c++)
      {
        GtkWidget *cell = gtk_label_new (g_ptr_array_index (cells, l * n_columns + c));

        /* Labels left, counts right, as in the printed reports. */
        gtk_label_set_xalign (GTK_LABEL (cell), c == 0 ? 0 : 1);
        gtk_label_set_selectable (GTK_LABEL (cell), TRUE);
        if (l == 0)
          {
            /* Column labels wrap between words, so that a wide table
             * (retention, in Dutch) fits a 1024 pixel screen. */
            gtk_label_set_wrap (GTK_LABEL (cell), TRUE);
            gtk_label_set_justify (GTK_LABEL (cell), c == 0 ? GTK_JUSTIFY_LEFT : GTK_JUSTIFY_RIGHT);
            gtk_widget_set_valign (cell, GTK_ALIGN_END);
            gtk_widget_add_css_class (cell, "dim-label");
          }
        else if (c > 0)
          gtk_widget_add_css_class (cell, "numeric");
        gtk_grid_attach (GTK_GRID (grid), cell, c, l, 1, 1);
      }
  /* A screen reader names the grid by the table's title and describes it
   * by the line that states the denominator. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, vw_table_get_title (table),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, vw_table_get_note (table),
                                  -1);
  gtk_box_append (GTK_BOX (box), grid);

  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (box), note);
  return box;
}

static VwRuleSet
current_rules (VwResultsView *self)
{
  return gtk_toggle_button_get_active (self->fl4_button) ? VW_RULE_SET_FL4 : VW_RULE_SET_DH3;
}

/* Counts every table again for the chosen rule set. */
static void
update_tables (VwResultsView *self)
{
  VwRuleSet rules = current_rules (self);
  VwTableOptions options = { .rules = rules, .classification = self->classifications[rules] };
  GtkWidget *child;

  if (self->records == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tables_box))) != NULL)
    gtk_box_remove (self->tables_box, child);

  for (const char * const *name = vw_table_get_names (); *name != NULL; name++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VwTable) table = vw_table_build (*name, self->records, &options, &error);

      if (table == NULL)
        {
          show_error (self, error->message);
          return;
        }
      if (g_str_equal (*name, "trajectories"))
        {
          vw_chart_bars_set_table (self->bars, table);
          gtk_label_set_label (self->bars_note, vw_table_get_note (table));
        }
      gtk_box_append (self->tables_box, table_widget (table));
    }
}

/**
 * vw_results_view_reload:
 *
 * Reads the study's records and the coordinator's overrides, and shows
 * the charts and the tables under the chosen rule set.
 */
void
vw_results_view_reload (VwResultsView *self,
                        VwVault       *vault,
                        const char    *study)
{
  g_autoptr(GError) error = NULL;
  guint n_participants;

  g_return_if_fail (VW_IS_RESULTS_VIEW (self));
  g_return_if_fail (VW_IS_VAULT (vault));

  clear_results (self);
  {
    g_autoptr(VwStudy) info = vw_vault_get_study (vault, study, NULL);

    self->study_name = g_strdup (info != NULL ? info->name : study);
  }
  self->records = vw_vault_load_records (vault, study, &error);
  for (VwRuleSet rules = VW_RULE_SET_DH3; self->records != NULL && rules <= VW_RULE_SET_FL4; rules++)
    if ((self->classifications[rules] = vw_vault_classify (vault, study, self->records, rules, NULL, &error)) == NULL)
      break;
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  vw_records_get_participants (self->records, &n_participants);
  if (n_participants == 0)
    {
      clear_results (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  vw_chart_timeline_set_classification (self->timeline, self->classifications[VW_RULE_SET_DH3]);
  update_tables (self);
  if (self->records != NULL)
    gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
rules_toggled_cb (VwResultsView *self)
{
  update_tables (self);
}

/**
 * vw_results_view_set_rules:
 *
 * Shows the trajectory types of @rules, as the rule set buttons do.
 */
void
vw_results_view_set_rules (VwResultsView *self,
                           VwRuleSet      rules)
{
  g_return_if_fail (VW_IS_RESULTS_VIEW (self));

  gtk_toggle_button_set_active (rules == VW_RULE_SET_FL4 ? self->fl4_button : self->dh3_button, TRUE);
}

const char *
vw_results_view_get_page (VwResultsView *self)
{
  g_return_val_if_fail (VW_IS_RESULTS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

VwChartBars *
vw_results_view_get_bar_chart (VwResultsView *self)
{
  g_return_val_if_fail (VW_IS_RESULTS_VIEW (self), NULL);

  return self->bars;
}

VwChartTimeline *
vw_results_view_get_timeline (VwResultsView *self)
{
  g_return_val_if_fail (VW_IS_RESULTS_VIEW (self), NULL);

  return self->timeline;
}

GtkWidget *
vw_results_view_get_tables (VwResultsView *self)
{
  g_return_val_if_fail (VW_IS_RESULTS_VIEW (self), NULL);

  return GTK_WIDGET (self->tables_box);
}

static void
show_save_error (VwResultsView *self,
                 const GError  *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Cannot Save the Chart"), error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chart_file_chosen (GtkWidget      *owner,
                   GtkFileChooser *chooser,
                   gpointer        user_data)
{
  VwResultsView *self = VW_RESULTS_VIEW (owner);
  gboolean timeline = GPOINTER_TO_INT (user_data);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GError) error = NULL;
  GtkFileFilter *filter;
  int width, height;

  if ((file = gtk_file_chooser_get_file (chooser)) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      /* A name without .svg or .png gets the chosen filter's. */
      lower = g_ascii_strdown (path, -1);
      filter = gtk_file_chooser_get_filter (chooser);
      if (!g_str_has_suffix (lower, ".svg") && !g_str_has_suffix (lower, ".png"))
        {
          gboolean png = filter != NULL && g_object_get_data (G_OBJECT (filter), "png") != NULL;
          char *named = g_strconcat (path, png ? ".png" : ".svg", NULL);

          g_free (path);
          path = named;
        }
      width = MAX (640, gtk_widget_get_width (timeline ? GTK_WIDGET (self->timeline) : GTK_WIDGET (self->bars)));
      height = timeline ? vw_chart_timeline_get_natural_height (self->timeline)
                        : MAX (360, gtk_widget_get_height (GTK_WIDGET (self->bars)));
      if (!(timeline ? vw_chart_timeline_save (self->timeline, path, width, height, &error)
                     : vw_chart_bars_save (self->bars, path, width, height, &error)))
        show_save_error (self, error);
    }
}

static void
add_filter (GtkFileChooser       *chooser,
            const char           *name,
            const char           *pattern,
            gboolean              png)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (png)
    g_object_set_data (G_OBJECT (filter), "png", GINT_TO_POINTER (1));
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
save_chart_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  VwResultsView *self = VW_RESULTS_VIEW (widget);
  gboolean timeline = g_strcmp0 (g_variant_get_string (parameter, NULL), "timeline") == 0;
  GtkFileChooser *chooser;

  if (self->records == NULL)
    return;
  chooser = vw_file_chooser_new (widget, _("Save Chart"), GTK_FILE_CHOOSER_ACTION_SAVE, chart_file_chosen,
                                 GINT_TO_POINTER (timeline), NULL);
  add_filter (chooser, _("SVG image"), "*.svg", FALSE);
  add_filter (chooser, _("PNG image"), "*.png", TRUE);
  gtk_file_chooser_set_current_name (chooser,
                                     /* Translators: a file name */
                                     timeline ? _("stays.svg") : _("trajectory-types.svg"));
  vw_file_chooser_show (chooser);
}

/* The table book */

typedef struct
{
  VwTableBook *book;
  GFile       *file;
} BookJob;

static void
book_job_free (BookJob *job)
{
  vw_table_book_free (job->book);
  g_object_unref (job->file);
  g_free (job);
}

static void
write_book_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BookJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = vw_table_book_to_pdf (job->book, &error);

  if (pdf == NULL || g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !g_file_replace_contents (job->file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
show_book_status (VwResultsView *self,
                  const char    *text,
                  gboolean       failed)
{
  gtk_label_set_label (self->book_status, text);
  if (failed)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->book_status), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->book_status), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->book_status), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->book_status), "dim-label");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->book_status), TRUE);
}

static void
book_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  VwResultsView *self = VW_RESULTS_VIEW (source);
  BookJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->book_cancellable);
  g_task_propagate_boolean (G_TASK (result), &error);
  if (self->disposed)
    {
      /* The view is gone: nothing to show the outcome in. */
      if (error != NULL)
        g_task_return_error (outer, g_steal_pointer (&error));
      else
        g_task_return_boolean (outer, TRUE);
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.save-book", TRUE);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The table book was not saved: %s"), error->message);

      show_book_status (self, text, TRUE);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  {
    g_autofree char *name = g_file_get_parse_name (job->file);
    g_autofree char *text = g_strdup_printf (_("Saved the table book as %s."), name);

    show_book_status (self, text, FALSE);
  }
  g_task_return_boolean (outer, TRUE);
}

/**
 * vw_results_view_save_book_async:
 *
 * Writes the table book of what the view shows (every table under the
 * chosen rule set, the charts) to @file: counted here, drawn and written
 * on a worker thread. The view says the outcome under its button.
 */
void
vw_results_view_save_book_async (VwResultsView       *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  VwRuleSet rules = current_rules (self);
  const char *language = g_str_has_prefix (g_get_language_names ()[0], "nl") ? "nl" : "en";
  BookJob *job;
  VwTableBook *book;

  g_return_if_fail (VW_IS_RESULTS_VIEW (self));
  g_task_set_source_tag (outer, vw_results_view_save_book_async);

  if (self->records == NULL || self->book_cancellable != NULL)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_BUSY, _("There is no table book to save now"));
      return;
    }
  book = vw_table_book_new_for_records (self->records, self->classifications[rules], rules, self->study_name,
                                        _("the records in the vault"), language, &error);
  if (book == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The table book was not saved: %s"), error->message);

      show_book_status (self, text, TRUE);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  job = g_new0 (BookJob, 1);
  job->book = book;
  job->file = g_object_ref (file);
  self->book_cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.save-book", FALSE);
  show_book_status (self, _("Saving the table book…"), FALSE);

  task = g_task_new (self, self->book_cancellable, book_written_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, vw_results_view_save_book_async);
  g_task_set_task_data (task, job, (GDestroyNotify) book_job_free);
  g_task_run_in_thread (task, write_book_thread);
}

gboolean
vw_results_view_save_book_finish (VwResultsView  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

#define VIEW_KEY "vw-results-view"

/* The chooser answers its window; the window knows which view asked. */
static void
book_file_chosen (GtkWindow *parent,
                  GFile     *file)
{
  VwResultsView *self = g_object_get_data (G_OBJECT (parent), VIEW_KEY);

  if (self != NULL)
    vw_results_view_save_book_async (self, file, NULL, NULL, NULL);
}

static void
save_book_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VwResultsView *self = VW_RESULTS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->records == NULL || self->book_cancellable != NULL || !GTK_IS_WINDOW (root))
    return;
  g_object_set_data (G_OBJECT (root), VIEW_KEY, self);
  vw_save_chooser_show (GTK_WINDOW (root), _("Save Table Book"),
                        /* Translators: a file name */
                        _("table-book.pdf"), book_file_chosen);
}

static void
vw_results_view_dispose (GObject *object)
{
  VwResultsView *self = VW_RESULTS_VIEW (object);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  self->disposed = TRUE;
  if (root != NULL && g_object_get_data (G_OBJECT (root), VIEW_KEY) == self)
    g_object_set_data (G_OBJECT (root), VIEW_KEY, NULL);
  if (self->book_cancellable != NULL)
    g_cancellable_cancel (self->book_cancellable);
  g_clear_object (&self->book_cancellable);

  clear_results (self);
  /* AdwBin unparents its child, the template's stack, itself. */

  G_OBJECT_CLASS (vw_results_view_parent_class)->dispose (object);
}

static void
vw_results_view_class_init (VwResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vw_results_view_dispose;

  g_type_ensure (VW_TYPE_CHART_BARS);
  g_type_ensure (VW_TYPE_CHART_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, stack);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, dh3_button);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, fl4_button);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, bars);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, bars_note);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, timeline);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, tables_box);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, book_button);
  gtk_widget_class_bind_template_child (widget_class, VwResultsView, book_status);
  gtk_widget_class_bind_template_callback (widget_class, rules_toggled_cb);

  gtk_widget_class_install_action (widget_class, "results.save-chart", "s", save_chart_action);
  gtk_widget_class_install_action (widget_class, "results.save-book", NULL, save_book_action);

  /* This view draws table books itself; veldwerk-cli loads the same
   * renderer as a module. */
  vw_table_book_set_renderer (vw_table_book_render_pdf);
}

static void
vw_results_view_init (VwResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
