/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-core.h"

#include "vw-application.h"
#include "vw-window.h"

struct _VwApplication
{
  AdwApplication parent_instance;

  gboolean demo; /* started with --demo */
};

G_DEFINE_FINAL_TYPE (VwApplication, vw_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

VwApplication *
vw_application_new (void)
{
  return g_object_new (VW_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", "/io/github/veldwerk/Veldwerk",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

gboolean
vw_application_get_demo (VwApplication *self)
{
  g_return_val_if_fail (VW_IS_APPLICATION (self), FALSE);

  return self->demo;
}

static int
vw_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  VwApplication *self = VW_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("veldwerk %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      self->demo = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }

  return G_APPLICATION_CLASS (vw_application_parent_class)->handle_local_options (app, options);
}

static void
vw_application_activate (GApplication *app)
{
  VwApplication *self = VW_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (vw_window_new (self));

  gtk_window_present (window);
}

static void
vw_application_startup (GApplication *app)
{
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (vw_application_parent_class)->startup (app);

  /* Without libsodium nothing can be stored safely: refuse to run rather
   * than run without encryption. */
  if (!vw_core_init (&error))
    g_error ("%s", error->message);

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Veldwerk developers", NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Veldwerk"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Veldwerk developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Veldwerk helps interview duos — a researcher and a co-researcher "
                                      "with lived experience — follow people in shelter and protected "
                                      "housing year after year. Answers are stored encrypted on this "
                                      "laptop and travel only as encrypted files."),
                        "website", "https://github.com/veldwerk/veldwerk",
                        "issue-url", "https://github.com/veldwerk/veldwerk/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your name, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
quit (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close the windows rather than quit outright, so each can finish its
   * pending saves in its close handler. */
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
}

static const GActionEntry app_actions[] = {
  { "about", show_about },
  { "quit", quit },
};

static void
vw_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VwApplication *self = VW_APPLICATION (object);

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
vw_application_class_init (VwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = vw_application_get_property;

  app_class->activate = vw_application_activate;
  app_class->startup = vw_application_startup;
  app_class->handle_local_options = vw_application_handle_local_options;

  /**
   * VwApplication:demo:
   *
   * Whether the application was started on the built-in demo study.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vw_application_init (VwApplication *self)
{
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start on the built-in demo study (a throw-away vault)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *lock_accels[] = { "<Control>l", NULL };
  static const char *enrol_accels[] = { "<Control>n", NULL };
  static const char *back_accels[] = { "<Alt>Left", NULL };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.lock", lock_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.enrol", enrol_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.back", back_accels);
}
