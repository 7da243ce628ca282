/* Writes the seeds of the bundle and invitation fuzz targets: real
 * bundles and invitations made by the core with the fixed test keys of
 * fuzz-fixed-keys.h, so that the harnesses can open and verify them. Run
 * by hand after a format change:
 *
 *   ninja -C build tests/fuzz/make-fuzz-seeds
 *   build/tests/fuzz/make-fuzz-seeds tests/fuzz
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "fuzz-fixed-keys.h"

static char *out_dir;

static void
write_seed (const char *target,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *dir = g_strdup_printf ("%s/%s-seeds", out_dir, target);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, data, len, &error))
    g_error ("%s", error->message);
  g_print ("%s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
}

static char *
invitation_json (const char *questionnaire_file,
                 gboolean    second_coordinator,
                 gboolean    with_linkage)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) recipients = fuzz_recipients ();
  g_autofree char *recipient = vw_age_recipient_to_string (g_ptr_array_index (recipients, 0));
  g_autofree char *questionnaire = NULL;
  g_autofree char *signing_b64 = NULL;
  g_autofree char *signing = NULL;
  g_autoptr(VwSecret) key = NULL;
  guint8 public_key[32];
  static const guint8 linkage[32] = "a linkage key of 32 bytes: test";

  key = fuzz_signing_key (public_key);
  signing_b64 = g_base64_encode (public_key, sizeof public_key);
  signing = g_strconcat ("ed25519:", signing_b64, NULL);
  if (!g_file_get_contents (questionnaire_file, &questionnaire, NULL, NULL))
    g_error ("cannot read %s", questionnaire_file);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "study");
  json_builder_add_string_value (b, FUZZ_STUDY);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Fuzz 2026");
  json_builder_set_member_name (b, "regions");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "DH");
  if (second_coordinator)
    json_builder_add_string_value (b, "FL");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "questionnaire");
  json_builder_add_string_value (b, questionnaire);
  json_builder_set_member_name (b, "rounds");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, "T0");
  json_builder_set_member_name (b, "fieldwork_start");
  json_builder_add_string_value (b, "2026-01-05");
  json_builder_set_member_name (b, "fieldwork_end");
  json_builder_add_string_value (b, "2026-03-27");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, "T1");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "coordinators");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, "coordinator");
  json_builder_set_member_name (b, "recipient");
  json_builder_add_string_value (b, recipient);
  json_builder_set_member_name (b, "signing_key");
  json_builder_add_string_value (b, signing);
  json_builder_end_object (b);
  if (second_coordinator)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "recipient");
      json_builder_add_string_value (b, "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
      json_builder_set_member_name (b, "signing_key");
      json_builder_add_string_value (b, "ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "recipients");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, recipient);
  json_builder_end_array (b);
  if (with_linkage)
    {
      g_autofree char *linkage_b64 = g_base64_encode (linkage, sizeof linkage);

      json_builder_set_member_name (b, "linkage_key");
      json_builder_add_string_value (b, linkage_b64);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A bundle as the core writes it, decrypted: the plaintext the bundle
 * target takes. */
static void
bundle_seed (const char   *name,
             VwBundleKind  kind,
             const char   *content)
{
  g_autoptr(GPtrArray) recipients = fuzz_recipients ();
  g_autoptr(GPtrArray) identities = fuzz_identities ();
  g_autoptr(GBytes) bytes = g_bytes_new (content, strlen (content));
  g_autoptr(GError) error = NULL;
  g_autoptr(VwSecret) key = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-seeds-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bundle", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  guint8 public_key[32];

  key = fuzz_signing_key (public_key);
  if (!vw_bundle_write_bytes (path, kind, FUZZ_STUDY, key, recipients, bytes, NULL, NULL, &error) ||
      (in = g_file_read (file, NULL, &error)) == NULL ||
      !vw_age_decrypt (G_INPUT_STREAM (in), out, identities, VW_AGE_ARMOR_AUTO, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    g_error ("%s", error->message);
  write_seed ("bundle", name, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *minimal = NULL, *example = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  if (argc != 2 || !vw_core_init (NULL))
    {
      g_printerr ("usage: %s TESTS_FUZZ_DIR (run from the source root)\n", argv[0]);
      return 2;
    }
  out_dir = argv[1];
  minimal = g_build_filename (out_dir, "..", "questionnaires", "minimal.json", NULL);
  example = g_build_filename (out_dir, "..", "questionnaires", "example.json", NULL);

  a = invitation_json (minimal, FALSE, TRUE);
  b = invitation_json (example, TRUE, TRUE);
  c = invitation_json (minimal, FALSE, FALSE);
  write_seed ("invitation", "minimal.json", a, strlen (a));
  write_seed ("invitation", "example-two-coordinators.json", b, strlen (b));
  write_seed ("invitation", "no-linkage-key.json", c, strlen (c));
  {
    /* The study's minimum of contact attempts (tracing, issue 18). */
    g_autofree char *d = invitation_json (minimal, FALSE, TRUE);
    char *end = strrchr (d, '}');
    g_autofree char *with_min = NULL;

    *end = '\0';
    with_min = g_strdup_printf ("%s,\"min_attempts\":5}", d);
    write_seed ("invitation", "min-attempts.json", with_min, strlen (with_min));
  }

  bundle_seed ("invitation.bin", VW_BUNDLE_KIND_INVITATION, a);
  bundle_seed ("submission.bin", VW_BUNDLE_KIND_SUBMISSION,
               "veldwerk-rows 1\tsubmission\t" FUZZ_STUDY "\nS\tdevice-1\n"
               "P\tDH-7K3QM\tTom\tDH\t\\N\t2026-01-05T10:00:00Z\t2026-01-05T10:00:00Z\t1\n");
  /* Tracing (issue 18): a round's summary of contact attempts (row T). */
  bundle_seed ("submission-attempts.bin", VW_BUNDLE_KIND_SUBMISSION,
               "veldwerk-rows 1\tsubmission\t" FUZZ_STUDY "\nS\tdevice-1\n"
               "P\tDH-7K3QM\tTom\tDH\t\\N\t2026-01-05T10:00:00Z\t2026-01-05T10:00:00Z\t1\n"
               "T\tDH-7K3QM\tT1\t3\tno_answer,message_left,appointment_made\t2\tdevice-1\n");
  bundle_seed ("handover.bin", VW_BUNDLE_KIND_HANDOVER,
               "veldwerk-rows 1\thandover\t" FUZZ_STUDY "\nK\tDH-7K3QM\t0612345678\t\\N\t\\N\t\\N\t\\N\n");
  bundle_seed ("export.bin", VW_BUNDLE_KIND_EXPORT, "");
  return 0;
}
