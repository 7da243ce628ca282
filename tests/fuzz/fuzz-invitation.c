/* libFuzzer target: the content of an invitation, the JSON a duo's laptop
 * reads when it joins a study (vw-study.c, join_in_tx() and what it
 * calls: regions, the questionnaire loader, rounds, recipients, the
 * coordinators' keys).
 *
 * That parse path needs a vault today (the join developer keeps a check of
 * invitation bytes without one; until it is on main this target fuzzes
 * the path as it is). So: one vault, made once; every input becomes an
 * invitation bundle signed with the fixed test key and encrypted to the
 * vault, and is joined inside a transaction that is rolled back, so each
 * input meets the same, empty vault. The bundle's study id is the
 * input's own "study" when it has a valid one, so that the seeds, which
 * name the fixed key as their coordinator, can join.
 *
 * A join either succeeds or fails with an error; it never crashes and
 * never leaves the vault changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-fixed-keys.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;
static char *vault_path;
static char *bundle_path;
static VwVault *vault;
static GPtrArray *recipients;
static VwSecret *signing_key;

static void
clean_up (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_clear_object (&vault);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char passphrase[] = "fuzzing the invitation";
  g_autoptr(VwSecret) secret = NULL;
  g_autoptr(VwSecret) recovery = NULL;
  g_autofree char *own = NULL;
  VwVaultCreateOptions options = { 0 };
  guint8 signer[VW_BUNDLE_PUBLIC_KEY_SIZE];

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (!vw_core_init (NULL))
    abort ();
  secret = vw_secret_new_from ((const guint8 *) passphrase, strlen (passphrase));
  dir = g_dir_make_tmp ("vw-fuzz-invitation-XXXXXX", NULL);
  if (dir == NULL)
    abort ();
  atexit (clean_up);
  vault_path = g_build_filename (dir, "duo.vault", NULL);
  bundle_path = g_build_filename (dir, "input.invitation", NULL);
  options.study_name = "eigen";
  options.study_region = "DH";
  options.study_role = VW_STUDY_ROLE_DUO;
  vault = vw_vault_create (vault_path, secret, &options, &recovery, NULL, NULL);
  if (vault == NULL || (own = vw_vault_get_age_recipient (vault, NULL)) == NULL)
    abort ();
  recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_ptr_array_add (recipients, vw_age_recipient_parse (own, NULL));
  signing_key = fuzz_signing_key (signer);
  /* One-time allocations (the codebook, the shipped questionnaire). */
  (void) vw_questionnaire_get_shipped ();
  return 0;
}

/* The input's "study", if it is one a bundle can carry. */
static char *
study_of (const uint8_t *data,
          size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *study;

  if (!g_utf8_validate ((const char *) data, size, NULL) ||
      !json_parser_load_from_data (parser, (const char *) data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (study = json_object_get_member (json_node_get_object (root), "study")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (study) || json_node_get_value_type (study) != G_TYPE_STRING)
    return g_strdup (FUZZ_STUDY);
  return g_strdup (json_node_get_string (study));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) content = g_bytes_new (data, size);
  g_autofree char *study = study_of (data, size);
  g_autofree char *joined = NULL;
  g_autoptr(GError) error = NULL;

  g_unlink (bundle_path);
  if (!vw_bundle_write_bytes (bundle_path, VW_BUNDLE_KIND_INVITATION, study, signing_key, recipients, content,
                              NULL, NULL, NULL))
    {
      g_clear_pointer (&study, g_free);
      study = g_strdup (FUZZ_STUDY);
      if (!vw_bundle_write_bytes (bundle_path, VW_BUNDLE_KIND_INVITATION, study, signing_key, recipients,
                                  content, NULL, NULL, NULL))
        abort ();
    }

  if (!vw_vault_begin (vault, NULL))
    abort ();
  joined = vw_study_join (vault, bundle_path, NULL, &error);
  vw_vault_rollback (vault);
  if ((joined == NULL) == (error == NULL))
    abort ();
  if (joined != NULL && g_strcmp0 (joined, study) != 0)
    abort ();

  /* Rolled back: a study that joined is gone again. */
  if (joined != NULL)
    {
      g_autoptr(VwStudy) info = vw_vault_get_study (vault, joined, NULL);

      if (info != NULL)
        abort ();
    }
  return 0;
}
