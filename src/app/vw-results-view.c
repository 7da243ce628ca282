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

  /* Owned */
  VwRecords            *records;
  VwClassification     *classifications[2]; /* by VwRuleSet, with the stored overrides */
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
          gtk_widget_add_css_class (cell, "dim-label");
        else if (c > 0)
          gtk_widget_add_css_class (cell, "numeric");
        gtk_grid_attach (GTK_GRID (grid), cell, c, l, 1, 1);
      }
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

static void
vw_results_view_dispose (GObject *object)
{
  VwResultsView *self = VW_RESULTS_VIEW (object);

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
  gtk_widget_class_bind_template_callback (widget_class, rules_toggled_cb);

  gtk_widget_class_install_action (widget_class, "results.save-chart", "s", save_chart_action);
}

static void
vw_results_view_init (VwResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
