/* veldwerk-cli export (signed), pool and report book, as a coordinator
 * and a central analyst run them: a package exported from a real vault
 * is signed with the vault's key and pooled with another region's; each
 * refusal names its reason and leaves the output folder absent or as it
 * was; and the table book's text (pdftotext) holds every table's figures
 * as `report` prints them, in English and in Dutch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vw-core.h"
#include "vw-test-pool.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

#define ENV_PASSPHRASE "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE

typedef struct
{
  char         *dir;
  char         *vault;
  char         *records;   /* the DH records, as a folder */
  char         *package;   /* exported by veldwerk-cli from the vault */
  char         *keys;      /* `veldwerk-cli keys` of the vault */
  char         *fl_trust;  /* the FL coordinator's key */
  VwTestRegion  dh;
  VwTestRegion  fl;
} Fixture;

static const char * const env_en[] = { ENV_PASSPHRASE, "LANGUAGE=en", "LC_ALL=C.UTF-8", NULL };

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  VwExportOptions options = { 0 };

  f->dir = g_dir_make_tmp ("pool-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->vault = g_build_filename (f->dir, "coordinator.vault", NULL);
  f->records = g_build_filename (f->dir, "records", NULL);
  f->package = g_build_filename (f->dir, "dh-package", NULL);
  f->keys = g_build_filename (f->dir, "dh.keys", NULL);
  f->fl_trust = g_build_filename (f->dir, "fl.trust", NULL);

  /* Den Haag: a vault of the region's coordinator, with its records. */
  vw_test_region_init (&f->dh, "DH", 24, 0, 3, 7);
  g_assert_cmpint (g_mkdir (f->records, 0700), ==, 0);
  path = g_build_filename (f->records, "participants.csv", NULL);
  write_file (path, f->dh.participants->str);
  g_free (path);
  path = g_build_filename (f->records, "rounds.csv", NULL);
  write_file (path, f->dh.rounds->str);
  g_free (path);
  path = g_build_filename (f->records, "episodes.csv", NULL);
  write_file (path, f->dh.episodes->str);
  vault = vw_test_create_vault (f->vault, &study, NULL);
  vw_vault_import_records_dir (vault, study, f->records, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_close (vault, &error));

  g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "--vault", f->vault, "export", "--anonymized", f->package,
                                    "--format", "csv,sav,dta", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "--vault", f->vault, "keys", NULL), ==, 0);
  write_file (f->keys, out);

  /* Flevoland: a package made elsewhere, and its coordinator's key. */
  vw_test_region_init (&f->fl, "FL", 20, 0, 2, 8);
  vw_test_region_export (&f->fl, f->dir, &options);
  line = vw_test_region_trust_line (&f->fl);
  write_file (f->fl_trust, line);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vw_test_region_clear (&f->dh);
  vw_test_region_clear (&f->fl);
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->vault);
  g_free (f->records);
  g_free (f->package);
  g_free (f->keys);
  g_free (f->fl_trust);
}

/* The export from the vault is signed with the key `keys` prints, and
 * pools with the other region's package. */
static void
test_pool (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out_dir = g_build_filename (f->dir, "pooled", NULL);
  g_autofree char *signature = g_build_filename (f->package, "manifest.sig", NULL);
  g_autofree char *manifest_path = g_build_filename (out_dir, "manifest.json", NULL);
  g_autofree char *keys = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *sources;
  int status;
  const char *expected[] = { "trajectories_long.csv", "trajectories_wide.csv", "trajectories_long.sav",
                             "trajectories_wide.sav", "trajectories_long.dta", "trajectories_wide.dta",
                             "codebook.csv", "veldwerk_labels.R", "manifest.json", "tabellenboek.pdf",
                             "table_attendance.csv", "table_trajectories.csv", "table_rounds_attended_T1.csv" };

  g_file_get_contents (f->keys, &keys, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (signature, G_FILE_TEST_IS_REGULAR));

  status = vw_test_run_cli (env_en, &out, &err, "pool", f->package, f->fl.package, "-o", out_dir, "--trust", f->keys,
                            "--trust", f->fl_trust, "--tables", "--book", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Smallest group released: "));
  g_assert_nonnull (strstr (out, "Wrote the pool of 44 participants from 2 packages"));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_build_filename (out_dir, expected[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  /* The pool names where each study came from, and who signed it. */
  json_parser_load_from_file (parser, manifest_path, &error);
  g_assert_no_error (error);
  sources = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 2);
  {
    JsonObject *dh = json_array_get_object_element (sources, 0);
    g_autofree char *line = g_strdup_printf ("signing-key: %s\n", json_object_get_string_member (dh, "signer"));

    g_assert_nonnull (strstr (keys, line));
    g_assert_cmpstr (json_object_get_string_member (dh, "signer_label"), ==, "dh.keys");
  }
}

static char *
folder_checksums (const char *dir)
{
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);
  GString *sums = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *sum = vw_test_file_checksum (g_ptr_array_index (files, i));
      g_string_append_printf (sums, "%s %s\n", (char *) g_ptr_array_index (files, i), sum);
    }
  return g_string_free (sums, FALSE);
}

/* Runs pool with @package beside Flevoland's; it must fail with @words,
 * and write nothing. */
static void
assert_refused (Fixture    *f,
                const char *package,
                const char *trust,
                const char *words)
{
  g_autofree char *out_dir = g_build_filename (f->dir, "refused", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "pool", package, f->fl.package, "-o", out_dir,
                                    "--trust", trust, "--trust", f->fl_trust, "--tables", "--book", NULL), ==, 1);
  if (strstr (err, words) == NULL)
    g_error ("“%s” is not in “%s”", words, err);
  g_assert_nonnull (strstr (err, "nothing was written"));
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));
}

static char *
copy_package (Fixture    *f,
              const char *name)
{
  char *copy = g_build_filename (f->dir, name, NULL);
  g_autoptr(GPtrArray) files = vw_test_list_files (f->package);

  g_assert_cmpint (g_mkdir (copy, 0700), ==, 0);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      g_autofree char *to = g_build_filename (copy, base, NULL);

      vw_test_copy_file (g_ptr_array_index (files, i), to);
    }
  return copy;
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  /* A changed byte. */
  {
    g_autofree char *copy = copy_package (f, "changed");
    g_autofree char *table = g_build_filename (copy, "trajectories_long.csv", NULL);
    g_autofree char *text = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (table, &text, &len, NULL));
    text[len / 2] = text[len / 2] == 'a' ? 'b' : 'a';
    write_file (table, text);
    assert_refused (f, copy, f->keys, "trajectories_long.csv is not the file that was signed");
  }
  /* Signed by a key that is not trusted: the vault's own key is left out. */
  {
    g_autofree char *key = vw_package_format_key (f->dh.public_key);
    g_autofree char *other = g_build_filename (f->dir, "other.trust", NULL);
    g_autofree char *line = g_strdup_printf ("%s someone else\n", key);

    write_file (other, line);
    assert_refused (f, f->package, other, "which is not one of the trusted signing keys");
  }
  /* Another rule set, made by the same coordinator with the CLI. */
  {
    g_autofree char *fl4 = g_build_filename (f->dir, "dh-fl4", NULL);

    g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "--vault", f->vault, "export", "--anonymized", fl4,
                                      "--rules", "fl4", NULL), ==, 0);
    assert_refused (f, fl4, f->keys, "the rule set of the trajectory types is fl4 in the first and dh3 in the second");
  }
  /* Another codebook version, signed by a trusted coordinator. */
  {
    g_autofree char *copy = g_build_filename (f->dir, "codebook-2", NULL);
    g_autofree char *manifest = NULL;
    g_autofree char *text = NULL;
    g_autofree char *changed = NULL;
    g_autoptr(GBytes) signature = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) parts = NULL;
    VwExportOptions options = { 0 };

    g_assert_cmpint (g_mkdir (copy, 0700), ==, 0);
    vw_test_region_export (&f->dh, copy, &options);
    manifest = g_build_filename (f->dh.package, "manifest.json", NULL);
    g_assert_true (g_file_get_contents (manifest, &text, NULL, NULL));
    parts = g_strsplit (text, "\"version\" : \"1\"", 2);
    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    changed = g_strjoinv ("\"version\" : \"2\"", parts);
    write_file (manifest, changed);
    bytes = g_bytes_new_static (changed, strlen (changed));
    signature = vw_package_sign_manifest (bytes, f->dh.signing_key, &error);
    g_assert_no_error (error);
    g_free (manifest);
    manifest = g_build_filename (f->dh.package, "manifest.sig", NULL);
    g_file_set_contents (manifest, g_bytes_get_data (signature, NULL), g_bytes_get_size (signature), &error);
    g_assert_no_error (error);
    {
      g_autofree char *trust = g_build_filename (f->dir, "dh2.trust", NULL);
      g_autofree char *line = vw_test_region_trust_line (&f->dh);

      write_file (trust, line);
      assert_refused (f, f->dh.package, trust, "the version of the codebook veldwerk-core is 2 in the first and 1");
    }
  }

  /* An existing folder is left as it was. */
  {
    g_autofree char *existing = g_build_filename (f->dir, "existing", NULL);
    g_autofree char *mine = g_build_filename (existing, "mine.txt", NULL);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    g_assert_cmpint (g_mkdir (existing, 0700), ==, 0);
    write_file (mine, "notes");
    before = folder_checksums (existing);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "pool", f->package, f->fl.package, "-o", existing,
                                      "--trust", f->keys, "--trust", f->fl_trust, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "already exists"));
    after = folder_checksums (existing);
    g_assert_cmpstr (before, ==, after);
  }

  /* No trusted keys at all is a usage error. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "pool", f->package, "-o", "x", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--trust FILE"));
}

/* pdftotext's lines, blanks squeezed. */
static char *
normalize (const char *line)
{
  g_auto(GStrv) words = g_strsplit_set (line, " \t\f", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (kept, words[i]);
  joined = g_strv_builder_end (kept);
  return g_strjoinv (" ", joined);
}

static GHashTable *
pdf_lines (const char *pdf)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "pdftotext", "-layout", pdf, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_hash_table_add (set, normalize (lines[i]));
  return set;
}

/* report book of the records folder, in each language: every row of
 * every table that `report TABLE --format text` prints in that language,
 * for every round of the tables of one round, is a line of the book's
 * text, figures and all. (Headers may wrap in the book.) */
static void
test_report_book (Fixture       *f,
                  gconstpointer  data)
{
  const char *languages[] = { "en", "nl" };
  const char *round_tables[] = { "rounds_attended", "participation_by_residence", NULL };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autofree char *language = g_strconcat ("LANGUAGE=", languages[l], NULL);
      const char *env[] = { ENV_PASSPHRASE, language, "LC_ALL=C.UTF-8", NULL };
      g_autofree char *pdf = g_strdup_printf ("%s/book-%s.pdf", f->dir, languages[l]);
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(GHashTable) lines = NULL;
      guint checked = 0;

      g_assert_cmpint (vw_test_run_cli (env, &out, &err, "report", "book", "-o", pdf, "--records", f->records,
                                        "--language", languages[l], NULL), ==, 0);
      lines = pdf_lines (pdf);
      /* The book's own words are in its language too. */
      g_assert_true (g_hash_table_contains (lines, l == 0 ? "Interviews per round" : "Interviews per meting"));

      for (const char * const *name = vw_table_get_names (); *name != NULL; name++)
        for (guint r = 0; r < 3; r++)
          {
            gboolean per_round = g_strv_contains (round_tables, *name);
            g_autofree char *round = g_strdup_printf ("T%u", r);
            g_autofree char *text = NULL;
            g_auto(GStrv) report = NULL;
            guint line = 0;

            if (!per_round && r > 0)
              continue;
            g_clear_pointer (&err, g_free);
            g_assert_cmpint (vw_test_run_cli (env, &text, &err, "report", *name, "--records", f->records, "--format",
                                              "text", per_round ? "--round" : NULL, round, NULL), ==, 0);
            report = g_strsplit (text, "\n", -1);
            /* The title, a blank line, the header, and the rows up to the
             * next blank line. */
            for (line = 3; report[line] != NULL && *report[line] != '\0'; line++)
              {
                g_autofree char *normal = normalize (report[line]);

                if (!g_hash_table_contains (lines, normal))
                  g_error ("%s %s (%s): the book has no line “%s”", *name, round, languages[l], normal);
                checked++;
              }
          }
      g_assert_cmpuint (checked, >, 40);
    }
}

/* From the vault: the study's name is the book's title; without -o, a
 * usage error. */
static void
test_report_book_vault (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "vault.pdf", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GHashTable) lines = NULL;

  g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "--vault", f->vault, "report", "book", "-o", pdf,
                                    "--language", "en", NULL), ==, 0);
  lines = pdf_lines (pdf);
  g_assert_true (g_hash_table_contains (lines, "Testonderzoek"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vw_test_run_cli (env_en, &out, &err, "--vault", f->vault, "report", "book", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "-o FILE"));
}

/* One vault for every test: making one and unlocking it (Argon2id) take
 * most of the time, and sanitizer builds are slow. Each test writes under
 * names of its own. */
static Fixture shared;

#define ADD(path, func) g_test_add_data_func (path, &shared, (GTestDataFunc) run_##func)
#define RUN(func)                               \
  static void                                   \
  run_##func (gconstpointer data)               \
  {                                             \
    func ((Fixture *) data, NULL);              \
  }

RUN (test_pool)
RUN (test_refusals)
RUN (test_report_book)
RUN (test_report_book_vault)

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  ADD ("/pool-cli/pool", test_pool);
  ADD ("/pool-cli/refusals", test_refusals);
  ADD ("/pool-cli/report-book", test_report_book);
  ADD ("/pool-cli/report-book-vault", test_report_book_vault);

  fixture_set_up (&shared, NULL);
  status = g_test_run ();
  fixture_tear_down (&shared, NULL);
  return status;
}
