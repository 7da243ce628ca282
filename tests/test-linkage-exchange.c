/* test-linkage-exchange.c: the error-tolerant linkage across laptops.
 *
 * The same person enrolled on two duo laptops with a spelling variant and
 * a day/month swap reaches the coordinator as a candidate pair, which the
 * exact hash alone never proposed; the filter travels, never the name; a
 * decided pair is not proposed again; a tampered filter is refused and
 * leaves the coordinator's files byte-identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "vw-core.h"
#include "vw-test-files.h"
#include "vw-test-study.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

static const char * const answers[] = { "debts", "nee", NULL };
static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

static int
cli (char       **out,
     char       **err,
     const char  *vault,
     const char  *a1,
     const char  *a2,
     const char  *a3,
     const char  *a4)
{
  const char *argv[] = { "--vault", vault, a1, a2, a3, a4, NULL };

  return vw_test_run_cliv (pass_env, NULL, out, err, argv);
}

static char *
enrol (VwTestStudy *w,
       VwVault     *duo,
       const char  *pseudonym,
       const char  *name,
       const char  *birth_date)
{
  g_autoptr(GError) error = NULL;
  char *code = vw_test_study_interview (w, duo, pseudonym, answers);

  g_assert_true (vw_vault_set_linkage_identity (duo, w->study, code, name, birth_date, &error));
  g_assert_no_error (error);
  return code;
}

static char *
submit (VwTestStudy *w,
        VwVault     *duo,
        const char  *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (w->dir, name, NULL);

  g_assert_true (vw_exchange_write_submission (duo, w->study, path, TRUE, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static char *
content_of (VwTestStudy *w,
            const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwBundle) bundle = vw_study_open_bundle (w->coord, path, VW_BUNDLE_KIND_SUBMISSION, w->study, &error);
  g_autoptr(GBytes) content = NULL;

  g_assert_no_error (error);
  content = vw_bundle_load_content (bundle, 16 * 1024 * 1024, &error);
  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
}

static GPtrArray *
candidates (VwTestStudy *w)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *c = vw_exchange_duplicate_candidates (w->coord, w->study, &error);

  g_assert_no_error (error);
  return c;
}

static void
test_candidate_pair (void)
{
  VwTestStudy w = { 0 };
  g_autofree char *a = NULL, *b = NULL, *other = NULL, *sub1 = NULL, *sub2 = NULL, *text = NULL;
  g_autofree char *filter_duo = NULL, *filter_coord = NULL, *pair = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  VwDuplicateCandidate *c;
  const char *codes[3] = { NULL, NULL, NULL };

  vw_test_study_init (&w);
  a = enrol (&w, w.duo1, "Mo", "Mohamed El Amrani", "1985-03-12");
  other = enrol (&w, w.duo1, "Pim", "Pieter Jansen", "1962-11-30");
  b = enrol (&w, w.duo2, "Momo", "Muhammed Amrani", "1985-12-03");
  sub1 = submit (&w, w.duo1, "noord.submission");
  sub2 = submit (&w, w.duo2, "zuid.submission");

  /* The submission carries the filter in a B row, and no name. */
  text = content_of (&w, sub1);
  filter_duo = vw_vault_get_linkage_filter (w.duo1, w.study, a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (filter_duo), ==, VW_LINKAGE_FILTER_TEXT_LEN);
  {
    g_autofree char *row = g_strdup_printf ("\nB\t%s\t%s\n", a, filter_duo);

    g_assert_nonnull (strstr (text, row));
  }
  g_assert_null (strstr (text, "Amrani"));
  g_assert_null (strstr (text, "amrani"));
  g_assert_null (strstr (text, "1985"));

  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub1));
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub2));
  filter_coord = vw_vault_get_linkage_filter (w.coord, w.study, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (filter_coord, ==, filter_duo);
  /* Not in clear in the coordinator's file either. */
  g_assert_false (vw_test_file_contains (w.coord_path, "Amrani", 6));

  /* The exact hashes differ: only the filters bring the pair. */
  {
    g_autofree char *ha = vw_vault_get_linkage_hash (w.coord, w.study, a, &error);
    g_autofree char *hb = vw_vault_get_linkage_hash (w.coord, w.study, b, &error);

    g_assert_cmpstr (ha, !=, hb);
  }
  listed = candidates (&w);
  g_assert_cmpuint (listed->len, ==, 1);
  c = g_ptr_array_index (listed, 0);
  g_assert_false (c->exact);
  g_assert_cmpuint (g_strv_length (c->codes), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) c->codes, a));
  g_assert_true (g_strv_contains ((const char * const *) c->codes, b));
  g_assert_cmpfloat (c->similarity, >=, VW_LINKAGE_THRESHOLD);
  g_assert_cmpfloat (c->similarity, <, 1.0);
  groups = vw_exchange_duplicates (w.coord, w.study, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);

  /* A pair that is not proposed is refused, and changes nothing. */
  codes[0] = a;
  codes[1] = other;
  g_assert_false (vw_exchange_decide_duplicates (w.coord, w.study, codes, VW_DUPLICATE_KEEP_APART, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The proposed pair is decided (in either order) and not proposed
   * again, also after the same submissions come again. */
  codes[0] = b;
  codes[1] = a;
  g_assert_true (vw_exchange_decide_duplicates (w.coord, w.study, codes, VW_DUPLICATE_KEEP_APART, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = candidates (&w);
  g_assert_cmpuint (listed->len, ==, 0);
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub2));
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = candidates (&w);
  g_assert_cmpuint (listed->len, ==, 0);
  /* And changed its mind: join, keeping a. */
  g_assert_true (vw_exchange_decide_duplicates (w.coord, w.study, codes, VW_DUPLICATE_JOIN, a, &error));
  g_assert_no_error (error);

  vw_test_study_clear (&w);
}

/* The command line lists the pair with its similarity, and `conflicts
 * keep-apart` takes it. */
static void
test_cli (void)
{
  VwTestStudy w = { 0 };
  g_autofree char *a = NULL, *b = NULL, *sub1 = NULL, *sub2 = NULL;
  g_autofree char *out = NULL, *err = NULL, *line = NULL;
  g_autoptr(GError) error = NULL;

  vw_test_study_init (&w);
  a = enrol (&w, w.duo1, "Sun", "Sunita Ramdin", "1977-05-09");
  b = enrol (&w, w.duo2, "Soe", "Soenita Ramdien", "1977-09-05");
  sub1 = submit (&w, w.duo1, "noord.submission");
  sub2 = submit (&w, w.duo2, "zuid.submission");
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub1));
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub2));
  vw_vault_close (w.coord, &error);
  g_assert_no_error (error);
  g_clear_object (&w.coord);

  g_assert_cmpint (cli (&out, &err, w.coord_path, "conflicts", NULL, NULL, NULL), ==, 0);
  line = g_strdup_printf ("possible duplicate: %s %s (similarity ", MIN (strcmp (a, b), 0) < 0 ? a : b,
                          strcmp (a, b) < 0 ? b : a);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, line));
  g_assert_nonnull (strstr (out, "%)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (&out, &err, w.coord_path, "conflicts", "keep-apart", a, b), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (&out, &err, w.coord_path, "conflicts", NULL, NULL, NULL), ==, 0);
  g_assert_null (strstr (out, "possible duplicate"));
  w.coord = vw_test_open_vault (w.coord_path);
  vw_test_study_clear (&w);
}

/* A malicious enrolled laptop sends a filter of the wrong length, or not
 * base64: refused with file, line and field; the coordinator's files are
 * byte-identical. */
static void
test_tampered_filter (void)
{
  VwTestStudy w = { 0 };
  g_autofree char *a = NULL, *sub = NULL, *text = NULL, *filter = NULL;
  g_autoptr(GError) error = NULL;

  vw_test_study_init (&w);
  a = enrol (&w, w.duo1, "Mo", "Mohamed El Amrani", "1985-03-12");
  sub = submit (&w, w.duo1, "noord.submission");
  text = content_of (&w, sub);
  filter = vw_vault_get_linkage_filter (w.duo1, w.study, a, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      /* Too short, too long (doubled), not base64. */
      g_autofree char *bad = i == 0 ? g_strdup ("AAAA")
                             : i == 1 ? g_strconcat (filter, filter, NULL)
                                      : g_strconcat ("!", filter + 1, NULL);
      g_autoptr(GString) forged_text = g_string_new (strchr (text, '\n') + 1);
      g_autofree char *name = g_strdup_printf ("forged-%u.submission", i);
      g_autofree char *forged = NULL;
      g_autofree char *before = NULL, *after = NULL;
      g_autoptr(VwMergeReport) report = NULL;
      g_autoptr(VwSecret) key = vw_vault_dup_ed25519_secret (w.duo1, &error);
      g_autofree char *recipient = vw_vault_get_age_recipient (w.coord, &error);
      g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
      g_autofree char *full = NULL;
      g_autoptr(GBytes) content = NULL;
      const char *paths[2] = { NULL, NULL };

      g_assert_cmpuint (g_string_replace (forged_text, filter, bad, 1), ==, 1);
      full = g_strdup_printf ("veldwerk-rows 1\tsubmission\t%s\n%s", w.study, forged_text->str);
      content = g_bytes_new (full, strlen (full));
      forged = g_build_filename (w.dir, name, NULL);
      g_ptr_array_add (recipients, vw_age_recipient_parse (recipient, &error));
      g_assert_no_error (error);
      g_assert_true (vw_bundle_write_bytes (forged, VW_BUNDLE_KIND_SUBMISSION, w.study, key, recipients, content,
                                            NULL, NULL, &error));
      g_assert_no_error (error);

      vw_vault_close (w.coord, &error);
      g_assert_no_error (error);
      g_clear_object (&w.coord);
      before = vw_test_dir_snapshot (w.dir);
      w.coord = vw_test_open_vault (w.coord_path);
      paths[0] = forged;
      report = vw_exchange_merge (w.coord, w.study, paths, NULL, NULL, NULL, &error);
      g_assert_null (report);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, name));
      g_assert_nonnull (strstr (error->message, "line "));
      g_assert_nonnull (strstr (error->message, "linkage_filter"));
      g_clear_error (&error);
      vw_vault_close (w.coord, &error);
      g_assert_no_error (error);
      g_clear_object (&w.coord);
      after = vw_test_dir_snapshot (w.dir);
      g_assert_cmpstr (before, ==, after);
      w.coord = vw_test_open_vault (w.coord_path);
    }
  /* The genuine one merges. */
  vw_merge_report_free (vw_test_study_merge (w.coord, w.study, sub));
  vw_test_study_clear (&w);
}

/* The filter is kept in the vault under the row MAC of participants: a
 * filter changed with the sqlite3 tool is reported by verify. */
static void
test_filter_covered (void)
{
  VwTestStudy w = { 0 };
  g_autofree char *a = NULL, *select = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3 *raw;

  vw_test_study_init (&w);
  a = enrol (&w, w.duo1, "Mo", "Mohamed El Amrani", "1985-03-12");
  g_assert_true (vw_vault_verify (w.duo1, &problems, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  vw_vault_close (w.duo1, &error);
  g_assert_no_error (error);
  g_clear_object (&w.duo1);

  raw = vw_test_raw_open (w.duo1_path);
  select = g_strdup_printf ("SELECT linkage_filter FROM participants WHERE code = '%s'", a);
  {
    g_autoptr(GBytes) blob = vw_test_raw_blob (raw, select);
    g_autoptr(GBytes) flipped = vw_test_flip_byte (blob, 5);
    g_autofree char *update = g_strdup_printf ("UPDATE participants SET linkage_filter = ? WHERE code = '%s'", a);

    g_assert_cmpuint (g_bytes_get_size (blob), ==, VW_LINKAGE_FILTER_BYTES);
    vw_test_raw_set_blob (raw, update, flipped);
  }
  sqlite3_close (raw);

  w.duo1 = vw_test_open_vault (w.duo1_path);
  g_assert_false (vw_vault_verify (w.duo1, &problems, NULL, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED);
  g_assert_nonnull (problems);
  {
    gboolean named = FALSE;

    for (guint i = 0; i < problems->len; i++)
      {
        g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
        named = named || strstr (g_ptr_array_index (problems, i), "participants") != NULL;
      }
    g_assert_true (named);
  }
  vw_test_study_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));
  g_test_add_func ("/linkage-exchange/candidate-pair", test_candidate_pair);
  g_test_add_func ("/linkage-exchange/cli", test_cli);
  g_test_add_func ("/linkage-exchange/tampered-filter", test_tampered_filter);
  g_test_add_func ("/linkage-exchange/filter-covered", test_filter_covered);
  return g_test_run ();
}
