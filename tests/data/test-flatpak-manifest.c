/* The flatpak manifest parses, names the application and asks for no more
 * than the sandbox holes the application needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

static const char *manifest_path;

static JsonObject *
load_manifest (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, manifest_path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_manifest_identity (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_manifest (parser);

  g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, "io.github.veldwerk.Veldwerk");
  g_assert_cmpstr (json_object_get_string_member (root, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (root, "sdk"), ==, "org.gnome.Sdk");
  g_assert_cmpstr (json_object_get_string_member (root, "command"), ==, "veldwerk");
}

static void
test_manifest_finish_args (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_manifest (parser);
  JsonArray *args = json_object_get_array_member (root, "finish-args");
  const char *allowed[] = {
    "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri", NULL
  };

  g_assert_nonnull (args);
  g_assert_cmpuint (json_array_get_length (args), ==, g_strv_length ((char **) allowed));
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);
      g_assert_true (g_strv_contains (allowed, arg));
    }
}

static void
test_manifest_modules (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_manifest (parser);
  JsonArray *modules = json_object_get_array_member (root, "modules");
  gboolean have_sodium = FALSE, have_readstat = FALSE, have_app = FALSE;

  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      const char *name = json_object_get_string_member (module, "name");
      JsonArray *sources = json_object_get_array_member (module, "sources");
      JsonObject *source = json_array_get_object_element (sources, 0);

      /* Libraries that Debian has but the GNOME runtime does not: a
       * release tarball pinned by its SHA-256. */
      if (g_strcmp0 (name, "libsodium") == 0 || g_strcmp0 (name, "readstat") == 0)
        {
          const char *sha = json_object_get_string_member (source, "sha256");
          if (g_strcmp0 (name, "libsodium") == 0)
            have_sodium = TRUE;
          else
            have_readstat = TRUE;
          g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "archive");
          g_assert_true (g_str_has_suffix (json_object_get_string_member (source, "url"), ".tar.gz"));
          g_assert_nonnull (sha);
          g_assert_cmpuint (strlen (sha), ==, 64);
        }
      else if (g_strcmp0 (name, "veldwerk") == 0)
        {
          have_app = TRUE;
          g_assert_cmpstr (json_object_get_string_member (module, "buildsystem"), ==, "meson");
        }
    }

  g_assert_true (have_sodium);
  g_assert_true (have_readstat);
  g_assert_true (have_app);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  manifest_path = argv[1];

  g_test_add_func ("/flatpak/identity", test_manifest_identity);
  g_test_add_func ("/flatpak/finish-args", test_manifest_finish_args);
  g_test_add_func ("/flatpak/modules", test_manifest_modules);

  return g_test_run ();
}
