/* Display test: the Results view on a vault holding the published
 * fixtures, under Xvfb. The chart shows what vw_table_build() counts, and
 * the saved SVG and PNG files hold the bars and the stays.
 *
 * With VELDWERK_SCREENSHOT_DIR set it also writes results-<LANGUAGE>.png
 * (1366x768) there, for data/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vw-chart.h"
#include "vw-results-view.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-test-widgets.h"

typedef struct
{
  char             *dir;
  char             *path;
  char             *study;
  VwVault          *vault;
  VwRecords        *records;
  GtkWidget        *window;
  VwResultsView    *view;
} Fixture;

static gboolean
is_dutch (void)
{
  return g_strcmp0 (g_getenv ("LANGUAGE"), "nl") == 0;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

/* One vault for every test: making one (Argon2id) and importing take
 * most of the time, and sanitizer builds are slow. */
static char    *shared_dir;
static char    *shared_path;
static char    *shared_study;
static VwVault *shared_vault;

static void
shared_vault_set_up (void)
{
  g_autofree char *records_dir = g_test_build_filename (G_TEST_DIST, "records", "denhaag",
                                                        NULL);
  g_autoptr(GError) error = NULL;

  shared_dir = g_dir_make_tmp ("results-view-XXXXXX", &error);
  g_assert_no_error (error);
  shared_path = g_build_filename (shared_dir, "test.vault", NULL);
  shared_vault = vw_test_create_vault (shared_path, &shared_study, NULL);
  vw_vault_import_records_dir (shared_vault, shared_study, records_dir, NULL, &error);
  g_assert_no_error (error);
}

static void
shared_vault_tear_down (void)
{
  vw_vault_close (shared_vault, NULL);
  g_clear_object (&shared_vault);
  vw_test_rm_rf (shared_dir);
  g_free (shared_dir);
  g_free (shared_path);
  g_free (shared_study);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *header;
  GtkWidget *box;

  f->dir = g_dir_make_tmp ("results-view-files-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_strdup (shared_path);
  f->study = g_strdup (shared_study);
  f->vault = g_object_ref (shared_vault);
  f->records = vw_vault_load_records (f->vault, f->study, &error);
  g_assert_no_error (error);

  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (is_dutch () ? "Resultaten" : "Results", "Den Haag"));
  gtk_box_append (GTK_BOX (box), header);
  f->view = VW_RESULTS_VIEW (vw_results_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (f->view), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->view));
  adw_window_set_content (ADW_WINDOW (f->window), box);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until_mapped (GTK_WIDGET (f->view));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vw_test_destroy_window (f->window);
  iterate ();
  g_clear_pointer (&f->records, vw_records_unref);
  g_clear_object (&f->vault);
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->study);
}

static VwTable *
expected_table (Fixture    *f,
                const char *name,
                VwRuleSet   rules)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwClassification) classification = vw_vault_classify (f->vault, f->study, f->records, rules, NULL,
                                                                   &error);
  VwTableOptions options = { .rules = rules, .classification = classification };
  VwTable *table;

  g_assert_no_error (error);
  table = vw_table_build (name, f->records, &options, &error);
  g_assert_no_error (error);
  return table;
}

/* The bars are the type rows of the table, and their heights are in
 * proportion to the counts. */
static void
check_bars (Fixture  *f,
            VwRuleSet rules)
{
  g_autoptr(VwTable) table = expected_table (f, "trajectories", rules);
  VwChartBars *bars = vw_results_view_get_bar_chart (f->view);
  guint bar = 0, max_count = 0;
  double max_height = 0;

  for (guint i = 0; i < vw_table_get_n_rows (table); i++)
    {
      const char *subkey = NULL;
      const char *key = vw_table_get_row (table, i, &subkey, NULL);
      guint count;

      if (subkey != NULL && *subkey != '\0')
        continue;
      g_assert_cmpuint (bar, <, vw_chart_bars_get_n_bars (bars));
      g_assert_cmpstr (vw_chart_bars_get_bar (bars, bar, &count), ==, key);
      g_assert_cmpint (count, ==, vw_table_get_count (table, i, 0));
      if (count > max_count)
        {
          max_count = count;
          max_height = vw_chart_bars_get_bar_height (bars, bar, 340);
        }
      bar++;
    }
  g_assert_cmpuint (bar, ==, vw_chart_bars_get_n_bars (bars));
  g_assert_cmpuint (max_count, >, 0);
  g_assert_cmpfloat (max_height, >, 100);
  for (guint i = 0; i < bar; i++)
    {
      guint count;

      vw_chart_bars_get_bar (bars, i, &count);
      g_assert_cmpfloat (fabs (vw_chart_bars_get_bar_height (bars, i, 340) * max_count - max_height * count), <,
                         1e-6);
    }
}

/* Every table, cell by cell as its text form has them, with the line that
 * states its denominator. */
static void
check_tables (Fixture  *f,
              VwRuleSet rules)
{
  GtkWidget *box = gtk_widget_get_first_child (vw_results_view_get_tables (f->view));
  guint n_tables = 0;

  for (const char * const *name = vw_table_get_names (); *name != NULL; name++, n_tables++)
    {
      g_autoptr(VwTable) table = expected_table (f, *name, rules);
      guint n_columns, n_lines;
      g_autoptr(GPtrArray) cells = vw_table_get_text_cells (table, &n_columns, &n_lines);
      GtkWidget *title, *grid, *note;

      g_assert_nonnull (box);
      g_assert_cmpstr (gtk_widget_get_name (box), ==, *name);
      title = gtk_widget_get_first_child (box);
      grid = gtk_widget_get_next_sibling (title);
      note = gtk_widget_get_next_sibling (grid);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, vw_table_get_title (table));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (note)), ==, vw_table_get_note (table));
      for (guint l = 0; l < n_lines; l++)
        for (guint c = 0; c < n_columns; c++)
          {
            GtkWidget *cell = gtk_grid_get_child_at (GTK_GRID (grid), c, l);

            g_assert_nonnull (cell);
            g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (cell)), ==, g_ptr_array_index (cells, l * n_columns + c));
          }
      box = gtk_widget_get_next_sibling (box);
    }
  g_assert_null (box);
  g_assert_cmpuint (n_tables, ==, 8);
}

static gboolean
is_color (const guint8 *pixel,
          guint32       rgb)
{
  /* Cairo's ARGB32 in native byte order: B, G, R, A on little endian. */
  guint32 value = *(const guint32 *) pixel;

  return (value & 0xffffff) == rgb && (value >> 24) == 0xff;
}

static guint
count_pixels (cairo_surface_t *png,
              guint32          rgb,
              int              max_y)
{
  const guint8 *data = cairo_image_surface_get_data (png);
  int stride = cairo_image_surface_get_stride (png);
  guint n = 0;

  for (int y = 0; y < MIN (max_y, cairo_image_surface_get_height (png)); y++)
    for (int x = 0; x < cairo_image_surface_get_width (png); x++)
      n += is_color (data + y * stride + x * 4, rgb);
  return n;
}

/* Runs of the bar colour along row @y: one per drawn bar. */
static guint
count_runs (cairo_surface_t *png,
            guint32          rgb,
            int              y)
{
  const guint8 *data = cairo_image_surface_get_data (png) + y * cairo_image_surface_get_stride (png);
  gboolean inside = FALSE;
  guint runs = 0;

  for (int x = 0; x < cairo_image_surface_get_width (png); x++)
    {
      gboolean match = is_color (data + x * 4, rgb);

      runs += match && !inside;
      inside = match;
    }
  return runs;
}

typedef struct
{
  char    *fill;  /* "rgb(...)" as cairo writes it, spaces removed */
  guint    n_filled;
  gboolean root_is_svg;
  guint    depth;
} SvgScan;

static void
svg_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              data,
           GError              **error)
{
  SvgScan *scan = data;

  if (scan->depth++ == 0)
    scan->root_is_svg = g_str_equal (element, "svg");
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "style") || g_str_equal (names[i], "fill"))
      {
        g_autoptr(GString) compact = g_string_new (NULL);

        for (const char *p = values[i]; *p != '\0'; p++)
          if (*p != ' ')
            g_string_append_c (compact, *p);
        if (strstr (compact->str, scan->fill) != NULL)
          scan->n_filled++;
      }
}

static void
svg_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              data,
         GError              **error)
{
  ((SvgScan *) data)->depth--;
}

/* Parses the SVG as XML and counts the shapes filled with @rgb. */
static guint
count_svg_fills (const char *path,
                 guint32     rgb)
{
  static const GMarkupParser parser = { svg_start, svg_end, NULL, NULL, NULL };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  SvgScan scan = { 0 };
  gsize len;
  guint n;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  scan.fill = g_strdup_printf ("rgb(%f%%,%f%%,%f%%)", ((rgb >> 16) & 0xff) * 100.0 / 255,
                               ((rgb >> 8) & 0xff) * 100.0 / 255, (rgb & 0xff) * 100.0 / 255);
  context = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &scan, NULL);
  /* The XML declaration and DOCTYPE are passed over by GMarkup. */
  g_markup_parse_context_parse (context, text, len, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_true (scan.root_is_svg);
  n = scan.n_filled;
  g_free (scan.fill);
  return n;
}

static cairo_surface_t *
load_png (const char *path,
          int         width,
          int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  return png;
}

static void
check_bar_files (Fixture *f)
{
  VwChartBars *bars = vw_results_view_get_bar_chart (f->view);
  g_autofree char *svg = g_build_filename (f->dir, "bars.svg", NULL);
  g_autofree char *png_path = g_build_filename (f->dir, "bars.png", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bars.gif", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;
  guint nonzero = 0;

  for (guint i = 0; i < vw_chart_bars_get_n_bars (bars); i++)
    {
      guint count;

      vw_chart_bars_get_bar (bars, i, &count);
      nonzero += count > 0;
    }
  g_assert_cmpuint (nonzero, >=, 2);

  vw_chart_bars_save (bars, svg, 800, 480, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_svg_fills (svg, VW_CHART_COLOR_BAR), ==, nonzero);

  vw_chart_bars_save (bars, png_path, 800, 480, &error);
  g_assert_no_error (error);
  png = load_png (png_path, 800, 480);
  /* Just above the axis every drawn bar crosses the line once. */
  {
    double lowest = G_MAXDOUBLE;

    for (guint i = 0; i < vw_chart_bars_get_n_bars (bars); i++)
      {
        double h = vw_chart_bars_get_bar_height (bars, i, 480);

        if (h > 0)
          lowest = MIN (lowest, h);
      }
    g_assert_cmpfloat (lowest, >, 3);
  }
  g_assert_cmpuint (count_runs (png, VW_CHART_COLOR_BAR, 480 - 52 - 2), ==, nonzero);
  g_assert_cmpuint (count_pixels (png, VW_CHART_COLOR_BAR, 480), >, 1000);
  cairo_surface_destroy (png);

  g_assert_false (vw_chart_bars_save (bars, bad, 800, 480, &error));
  g_assert_error (error, VW_CHART_ERROR, VW_CHART_ERROR_FORMAT);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

static void
check_timeline_files (Fixture *f)
{
  VwChartTimeline *timeline = vw_results_view_get_timeline (f->view);
  g_autofree char *svg = g_build_filename (f->dir, "stays.svg", NULL);
  g_autofree char *png_path = g_build_filename (f->dir, "stays.png", NULL);
  g_autoptr(VwClassification) classification = vw_classification_new (f->records, VW_RULE_SET_DH3, NULL);
  g_autoptr(GError) error = NULL;
  const VwRecordParticipant *p;
  int height = vw_chart_timeline_get_natural_height (timeline);
  guint stays['Z'] = { 0 };
  cairo_surface_t *png;
  guint n;

  /* The stays of the fixture, counted apart from the chart. */
  p = vw_records_get_participants (f->records, &n);
  g_assert_cmpuint (vw_chart_timeline_get_n_rows (timeline), ==, MIN (n, VW_CHART_TIMELINE_MAX_ROWS));
  for (guint i = 0; i < MIN (n, VW_CHART_TIMELINE_MAX_ROWS); i++)
    {
      g_autoptr(VwTrajectory) t = vw_classification_explain (classification, p[i].code, &error);
      const VwStay *s;
      guint n_stays;

      g_assert_no_error (error);
      s = vw_trajectory_get_stays (t, &n_stays);
      for (guint k = 0; k < n_stays; k++)
        stays[(guchar) s[k].cls]++;
    }
  g_assert_cmpuint (stays['F'], >, 10);
  g_assert_cmpuint (stays['H'], >, 10);
  g_assert_cmpuint (stays['E'], >, 3);

  vw_chart_timeline_save (timeline, png_path, 900, height, &error);
  g_assert_no_error (error);
  png = load_png (png_path, 900, height);
  /* Above the legend (the last 48 pixels): the stays' colours, several
   * pixels a stay. */
  g_assert_cmpuint (count_pixels (png, VW_CHART_COLOR_FACILITY, height - 48), >, stays['F'] * 20);
  g_assert_cmpuint (count_pixels (png, VW_CHART_COLOR_HOME, height - 48), >, stays['H'] * 20);
  g_assert_cmpuint (count_pixels (png, VW_CHART_COLOR_ELSEWHERE, height - 48), >, stays['E'] * 20);
  /* The legend has a swatch of every class, the unknown one included. */
  g_assert_cmpuint (count_pixels (png, VW_CHART_COLOR_UNKNOWN, height) - count_pixels (png, VW_CHART_COLOR_UNKNOWN,
                                                                                        height - 48), >=, 100);
  cairo_surface_destroy (png);

  vw_chart_timeline_save (timeline, svg, 900, height, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_svg_fills (svg, VW_CHART_COLOR_FACILITY), >=, stays['F'] / 2);
  g_assert_cmpuint (count_svg_fills (svg, VW_CHART_COLOR_HOME), >=, 1);
}

/* Scrolls the Results view so that @widget is near the top. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  double x = 0, y = 0, top;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_widget_translate_coordinates (widget, content, 0, 0, &x, &y));
  G_GNUC_END_IGNORE_DEPRECATIONS
  top = gtk_adjustment_get_value (adjustment) + y - 24;
  gtk_adjustment_set_value (adjustment, MAX (0, top));
}

static void
save_screenshot_as (Fixture    *f,
                    const char *name,
                    int         want_width,
                    int         want_height,
                    GtkWidget  *show)
{
  const char *dir = g_getenv ("VELDWERK_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (f->window);
  int height = gtk_widget_get_height (f->window);

  if (dir == NULL)
    return;
  /* The window's size less its frame is the picture's: ask, see what
   * came, and ask again for the difference. Then let the page transition
   * finish and a frame be drawn. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), want_width, want_height);
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
      int asked_width, asked_height;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
      width = gtk_widget_get_width (f->window);
      height = gtk_widget_get_height (f->window);
      gtk_window_get_default_size (GTK_WINDOW (f->window), &asked_width, &asked_height);
      gtk_window_set_default_size (GTK_WINDOW (f->window), asked_width + want_width - width,
                                   asked_height + want_height - height);
    }
  if (show != NULL)
    scroll_to (show);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (gtk_widget_get_width (f->window), ==, want_width);
  g_assert_cmpint (gtk_widget_get_height (f->window), ==, want_height);
  width = gtk_widget_get_width (f->window);
  height = gtk_widget_get_height (f->window);
  path = g_strdup_printf ("%s/%s-%s.png", dir, name, g_getenv ("LANGUAGE"));
  paintable = gtk_widget_paintable_new (f->window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s (%dx%d)", path, width, height);
}

/* results-<LANGUAGE>.png at 1366x768, for README. */
static void
save_screenshot (Fixture *f)
{
  save_screenshot_as (f, "results", 1366, 768, NULL);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_results (Fixture       *f,
              gconstpointer  data)
{
  g_assert_cmpstr (vw_results_view_get_page (f->view), ==, "empty");

  vw_results_view_reload (f->view, f->vault, f->study);
  iterate ();
  g_assert_cmpstr (vw_results_view_get_page (f->view), ==, "results");
  /* The interface language is the one the run asked for. */
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), is_dutch () ? "Trajectsoorten" : "Trajectory Types"));

  check_bars (f, VW_RULE_SET_DH3);
  check_tables (f, VW_RULE_SET_DH3);
  check_bar_files (f);
  check_timeline_files (f);
  save_screenshot (f);

  vw_results_view_set_rules (f->view, VW_RULE_SET_FL4);
  iterate ();
  check_bars (f, VW_RULE_SET_FL4);
  check_tables (f, VW_RULE_SET_FL4);
}

static GtkWidget *
find_table (VwResultsView *view,
            const char    *name)
{
  for (GtkWidget *box = gtk_widget_get_first_child (vw_results_view_get_tables (view)); box != NULL;
       box = gtk_widget_get_next_sibling (box))
    if (g_strcmp0 (gtk_widget_get_name (box), name) == 0)
      return box;
  return NULL;
}

static const char *
cell_text (GtkWidget *grid,
           int        column,
           int        row)
{
  GtkWidget *cell = gtk_grid_get_child_at (GTK_GRID (grid), column, row);

  g_assert_nonnull (cell);
  return gtk_label_get_label (GTK_LABEL (cell));
}

/* The Retention section on a vault holding tests/records/retention: the
 * figures worked out by hand in its README, n (%) of each round's
 * eligible, the median with the language's decimal mark, the denominator
 * stated under the grid and given to screen readers. */
static void
test_retention (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *source = g_build_filename (g_getenv ("VELDWERK_SOURCE_DIR"), "tests", "records", "retention",
                                              NULL);
  g_autofree char *path = g_build_filename (f->dir, "retention.vault", NULL);
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = vw_test_create_vault (path, &study, NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *box, *title, *grid, *note;
  char *problem;

  vw_vault_import_records_dir (vault, study, source, NULL, &error);
  g_assert_no_error (error);
  vw_results_view_reload (f->view, vault, study);
  iterate ();
  g_assert_cmpstr (vw_results_view_get_page (f->view), ==, "results");

  box = find_table (f->view, "retention");
  g_assert_nonnull (box);
  title = gtk_widget_get_first_child (box);
  grid = gtk_widget_get_next_sibling (title);
  note = gtk_widget_get_next_sibling (grid);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==,
                   is_dutch () ? "Behoud per meting: het cohort van de eerdere metingen"
                               : "Retention per round: the cohort of the earlier rounds");
  /* Header, T1, T2; the columns: round, eligible, interviewed, not
   * findable, median attempts, declined, deceased, withdrawn, other. */
  g_assert_cmpstr (cell_text (grid, 1, 0), ==, is_dutch () ? "In aanmerking" : "Eligible");
  g_assert_cmpstr (cell_text (grid, 3, 0), ==, is_dutch () ? "Niet vindbaar" : "Not findable");
  g_assert_cmpstr (cell_text (grid, 4, 0), ==, is_dutch () ? "Mediaan pogingen" : "Median attempts");
  g_assert_cmpstr (cell_text (grid, 0, 1), ==, "T1");
  g_assert_cmpstr (cell_text (grid, 1, 1), ==, "10");
  g_assert_cmpstr (cell_text (grid, 2, 1), ==, "2 (20%)");
  g_assert_cmpstr (cell_text (grid, 3, 1), ==, "4 (40%)");
  g_assert_cmpstr (cell_text (grid, 4, 1), ==, is_dutch () ? "3,5" : "3.5");
  g_assert_cmpstr (cell_text (grid, 8, 1), ==, "1 (10%)");
  g_assert_cmpstr (cell_text (grid, 1, 2), ==, "8");
  g_assert_cmpstr (cell_text (grid, 2, 2), ==, "3 (38%)");
  g_assert_cmpstr (cell_text (grid, 5, 2), ==, "1 (13%)");
  g_assert_cmpstr (cell_text (grid, 8, 2), ==, "2 (25%)");
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 9, 0));
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 0, 3));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (note)),
                                   is_dutch () ? "In aanmerking: deelnemers die in een eerdere meting"
                                               : "Eligible: participants interviewed in an earlier round"));

  /* The grid's accessible name and description. */
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                gtk_label_get_label (GTK_LABEL (title)));
  g_assert_null (problem);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                gtk_label_get_label (GTK_LABEL (note)));
  g_assert_null (problem);
  /* Every cell can take the focus, so the keyboard reaches each figure. */
  g_assert_true (gtk_widget_get_focusable (gtk_grid_get_child_at (GTK_GRID (grid), 4, 1)));

  save_screenshot_as (f, "results-retention", 1024, 600, box);

  vw_vault_close (vault, NULL);
}

/* An override stored by the coordinator moves a participant's bar. */
static void
test_override (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VwClassification) plain = vw_classification_new (f->records, VW_RULE_SET_DH3, NULL);
  VwChartBars *bars = vw_results_view_get_bar_chart (f->view);
  const VwRecordParticipant *p;
  g_autoptr(GError) error = NULL;
  guint n, before, after;
  int who = -1;

  p = vw_records_get_participants (f->records, &n);
  for (guint i = 0; i < n && who < 0; i++)
    if (vw_classification_get (plain, i)->derived == VW_TRAJECTORY_ONDERBROKEN)
      who = i;
  g_assert_cmpint (who, >=, 0);

  vw_results_view_reload (f->view, f->vault, f->study);
  g_assert_cmpstr (vw_chart_bars_get_bar (bars, 1, &before), ==, "onderbroken");
  vw_vault_set_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3, "niet_te_classificeren", NULL,
                                    "Twijfel over de gegevens", &error);
  g_assert_no_error (error);
  vw_results_view_reload (f->view, f->vault, f->study);
  vw_chart_bars_get_bar (bars, 1, &after);
  g_assert_cmpuint (after, ==, before - 1);
  check_bars (f, VW_RULE_SET_DH3);

  /* The vault is shared by the tests. */
  vw_vault_clear_trajectory_override (f->vault, f->study, p[who].code, VW_RULE_SET_DH3, &error);
  g_assert_no_error (error);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
book_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  if (!vw_results_view_save_book_finish (VW_RESULTS_VIEW (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (G_OBJECT (source), "test-book-done", GINT_TO_POINTER (1));
}

/* Saves the book to @path and waits for the worker; returns the error. */
static GError *
save_book (Fixture    *f,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GError *error = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_object_set_data (G_OBJECT (f->view), "test-book-done", NULL);
  vw_results_view_save_book_async (f->view, file, NULL, book_saved_cb, &error);
  /* The button is off while the book is drawn, and back afterwards. */
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (f->view), is_dutch () ? "Tabellen_boek opslaan…"
                                                                                          : "Save Table _Book…")));
  while (g_object_get_data (G_OBJECT (f->view), "test-book-done") == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (g_object_get_data (G_OBJECT (f->view), "test-book-done"));
  return error;
}

static char *
pdf_text (const char *path)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "pdftotext", "-layout", path, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return text;
}

static char *
squeeze (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\f", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (out, "%s%s", out->len ? " " : "", words[i]);
  return g_string_free (out, FALSE);
}

/* "Save Table Book…": a focusable button with its label for screen
 * readers; the PDF it writes holds the rows of the tables the view shows,
 * in the interface language, and the view says where it went; a folder
 * that does not exist is said so, and nothing is written. */
static void
test_table_book (Fixture       *f,
                 gconstpointer  data)
{
  const char *label = is_dutch () ? "Tabellen_boek opslaan…" : "Save Table _Book…";
  g_autofree char *path = g_build_filename (f->dir, "book.pdf", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "book.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwTable) table = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  GtkWidget *button, *status;
  guint n_columns, n_lines;

  vw_results_view_reload (f->view, f->vault, f->study);
  iterate ();
  button = find_button (GTK_WIDGET (f->view), label);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "results.save-book");
  g_assert_true (gtk_widget_grab_focus (button));

  error = save_book (f, path);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_is_sensitive (button));
  {
    g_autofree char *saved = g_strdup_printf (is_dutch () ? "Tabellenboek opgeslagen als %s." :
                                              "Saved the table book as %s.", path);

    status = find_label (GTK_WIDGET (f->view), saved);
    g_assert_nonnull (status);
    g_assert_true (gtk_widget_get_visible (status));
  }

  /* Every row of the trajectory types as the view shows them. */
  text = pdf_text (path);
  flat = squeeze (text);
  table = expected_table (f, "trajectories", VW_RULE_SET_DH3);
  cells = vw_table_get_text_cells (table, &n_columns, &n_lines);
  for (guint l = 1; l < n_lines; l++)
    {
      g_autoptr(GString) row = g_string_new (NULL);
      g_autofree char *line = NULL;

      for (guint c = 0; c < n_columns; c++)
        g_string_append_printf (row, "%s ", (char *) g_ptr_array_index (cells, l * n_columns + c));
      line = squeeze (row->str);
      if (strstr (flat, line) == NULL)
        g_error ("the book has no “%s”", line);
    }
  g_assert_nonnull (strstr (text, vw_table_get_title (table)));
  save_screenshot_as (f, "results-book", 1366, 768, button);
  save_screenshot_as (f, "results-book-small", 1024, 600, button);

  /* A folder that is not there. */
  g_clear_error (&error);
  error = save_book (f, missing);
  g_assert_nonnull (error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  {
    g_autofree char *prefix = g_strdup (is_dutch () ? "Het tabellenboek is niet opgeslagen: "
                                                    : "The table book was not saved: ");
    g_autofree char *shown = g_strconcat (prefix, error->message, NULL);

    g_assert_nonnull (find_label (GTK_WIDGET (f->view), shown));
  }
}

/* A vault that cannot be read shows why, in the view. */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) locked = vw_vault_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_false (vw_vault_is_unlocked (locked));
  vw_results_view_reload (f->view, locked, f->study);
  g_assert_cmpstr (vw_results_view_get_page (f->view), ==, "error");
  g_assert_cmpuint (vw_chart_bars_get_n_bars (vw_results_view_get_bar_chart (f->view)), ==, 0);
  vw_vault_close (locked, NULL);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The cairo renderer draws the same pixels without a GL driver: Mesa's
   * JIT deadlocks in the sanitizers' slow unwinder (fast_unwind_on_malloc=0)
   * and leaks from a library it unloads. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* GTK's test accessibility context keeps the names and descriptions
   * the view gives, so that the tests can read them (no bus needed). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  vw_test_init_display (&argc, &argv);
  g_assert_true (vw_core_init (NULL));
  adw_init ();

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add ("/results-view/charts-and-tables", Fixture, NULL, fixture_set_up, test_results, fixture_tear_down);
  g_test_add ("/results-view/retention", Fixture, NULL, fixture_set_up, test_retention, fixture_tear_down);
  g_test_add ("/results-view/override", Fixture, NULL, fixture_set_up, test_override, fixture_tear_down);
  g_test_add ("/results-view/error", Fixture, NULL, fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/results-view/table-book", Fixture, NULL, fixture_set_up, test_table_book, fixture_tear_down);

  shared_vault_set_up ();
  status = g_test_run ();
  shared_vault_tear_down ();
  return status;
}
