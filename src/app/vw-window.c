/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-window.h"

struct _VwWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  AdwStatusPage  *start_page;
  GtkLabel       *demo_label;

  /* Owned */
  GSettings      *settings;

  gboolean        demo;
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

static void
vw_window_constructed (GObject *object)
{
  VwWindow *self = VW_WINDOW (object);

  G_OBJECT_CLASS (vw_window_parent_class)->constructed (object);

  /* The demo study is marked everywhere so nobody mistakes it for real
   * fieldwork. */
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), self->demo);
  if (self->demo)
    {
      adw_window_title_set_subtitle (self->window_title, _("Demo study"));
      gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
    }
}

static void
vw_window_dispose (GObject *object)
{
  VwWindow *self = VW_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VW_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vw_window_parent_class)->dispose (object);
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

  object_class->constructed = vw_window_constructed;
  object_class->dispose = vw_window_dispose;
  object_class->get_property = vw_window_get_property;
  object_class->set_property = vw_window_set_property;

  /**
   * VwWindow:demo:
   *
   * Whether the window shows the throw-away demo study.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, VwWindow, demo_label);
}

static void
vw_window_init (VwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Window size survives restarts; the schema is always the stable ID so a
   * development build shares the user's settings. */
  self->settings = g_settings_new ("io.github.veldwerk.Veldwerk");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (g_str_has_suffix (APPLICATION_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
