/* veldwerk-cli export --anonymized on a real vault filled with marker
 * strings in every personal field: none of them reaches any exported file,
 * not inside the .qdpx zip and not inside the age-encrypted package
 * (decrypted with the real `age`); export ids are stable within a study
 * and differ between studies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vw-core.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

#define PREFIX "exp"
#define ENV_PASSPHRASE "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE

/* The personal details inside a quote, which redaction must take out. */
static const char * const quote_details[] = {
  "06-12345678", "mijn.mail@example.org", "17-03-2019",
};

typedef struct
{
  char       *dir;
  char       *vault;
  char       *records;
  VwTestFill  fill;
  GPtrArray  *codes;     /* every participant code of the records */
  GPtrArray  *forbidden; /* strings no exported file may contain */
  GPtrArray  *forbidden_extra;
  gboolean    from_vault; /* leave out --from-records: the vault's own records */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *study = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(GPtrArray) markers = vw_test_markers (PREFIX);
  g_autoptr(GString) participants = g_string_new ("code,pseudonym,region,municipality,origin,birth_year\n");
  g_autoptr(GString) rounds = g_string_new ("code,round,status,date,residence,residence_since,participation\n");
  g_autoptr(GString) episodes = g_string_new ("code,start,end,residence\n");
  g_autofree char *quote_text = NULL;
  g_autofree char *quote_id = NULL;
  g_autofree char *other_study = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("export-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->vault = g_build_filename (f->dir, "test.vault", NULL);
  f->forbidden_extra = g_ptr_array_new_with_free_func (g_free);
  f->records = g_build_filename (f->dir, "records", NULL);
  g_assert_cmpint (g_mkdir (f->records, 0700), ==, 0);

  vault = vw_test_create_vault (f->vault, &study, NULL);
  vw_test_fill_vault (vault, study, PREFIX, &f->fill);
  quote_text = g_strdup_printf ("Ik woonde bij [organisatie]. %s-pseudonym-marker belde %s, mail %s, op %s.",
                                PREFIX, quote_details[0], quote_details[1], quote_details[2]);
  quote_id = vw_vault_add_quote (vault, study, f->fill.code, "T0", NULL, "terugblik", quote_text, &error);
  g_assert_no_error (error);
  /* An open answer with personal details, and a short answer (the
   * municipality question) that is data and never leaves as text. */
  {
    g_autofree char *story = g_strdup_printf ("Via %s-pseudonym-marker kwam ik in de opvang, bel %s.", PREFIX,
                                              quote_details[0]);
    g_autofree char *municipality = g_strdup_printf ("%s-short-answer-marker", PREFIX);

    vw_vault_save_answer (vault, f->fill.interview, "life_story", story, &error);
    g_assert_no_error (error);
    vw_vault_save_answer (vault, f->fill.interview, "municipality", municipality, &error);
    g_assert_no_error (error);
    g_ptr_array_add (f->forbidden_extra, g_steal_pointer (&municipality));
  }
  other_study = vw_vault_create_study (vault, "Ander onderzoek", "DH", VW_STUDY_ROLE_COORDINATOR, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);

  /* The records: the vault's two participants with the marker pseudonyms
   * and municipality, and six more, with exact dates in every round. */
  f->codes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->codes, g_strdup (f->fill.code));
  g_ptr_array_add (f->codes, g_strdup (f->fill.other_code));
  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (f->codes, g_strdup_printf ("DH-7K3Q%c", "ABCDEF"[i]));

  f->forbidden = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < markers->len; i++)
    {
      VwTestMarker *m = g_ptr_array_index (markers, i);

      /* Codes such as "buiten_regio" are allowed values of an export. */
      if (strstr (m->text, "-marker") != NULL)
        g_ptr_array_add (f->forbidden, g_strdup (m->text));
    }
  for (guint i = 0; i < G_N_ELEMENTS (quote_details); i++)
    g_ptr_array_add (f->forbidden, g_strdup (quote_details[i]));
  for (guint i = 0; i < f->forbidden_extra->len; i++)
    g_ptr_array_add (f->forbidden, g_strdup (g_ptr_array_index (f->forbidden_extra, i)));

  for (guint i = 0; i < f->codes->len; i++)
    {
      const char *code = g_ptr_array_index (f->codes, i);
      g_autofree char *pseudonym = i == 0 ? g_strdup_printf ("%s-pseudonym-marker", PREFIX)
                                   : i == 1 ? g_strdup_printf ("%s-other-pseudonym-marker", PREFIX)
                                            : g_strdup_printf ("%s-name%u-marker", PREFIX, i);
      g_autofree char *municipality = g_strdup_printf ("%s-municipality-marker", PREFIX);
      g_autofree char *date0 = g_strdup_printf ("2019-03-%02u", 11 + i);
      g_autofree char *date1 = g_strdup_printf ("2020-04-%02u", 11 + i);

      g_string_append_printf (participants, "%s,%s,DH,%s,centrumgemeente,1980\n", code, pseudonym, municipality);
      g_string_append_printf (rounds, "%s,T0,interviewed,%s,mo,2018-07,dagbesteding\n", code, date0);
      g_string_append_printf (rounds, "%s,T1,interviewed,%s,eigen_woning,2019-12,betaald_werk\n", code, date1);
      g_string_append_printf (episodes, "%s,2016-02,2017-05,straat\n", code);
      g_ptr_array_add (f->forbidden, g_strdup (code));
      g_ptr_array_add (f->forbidden, g_strdup (pseudonym));
      g_ptr_array_add (f->forbidden, g_strdup (date0));
      g_ptr_array_add (f->forbidden, g_strdup (date1));
    }
  g_ptr_array_add (f->forbidden, g_strdup ("2018-07"));  /* residence_since */
  g_ptr_array_add (f->forbidden, g_strdup ("2016-02"));  /* episodes */

  path = g_build_filename (f->records, "participants.csv", NULL);
  g_assert_true (g_file_set_contents (path, participants->str, -1, NULL));
  g_free (path);
  path = g_build_filename (f->records, "rounds.csv", NULL);
  g_assert_true (g_file_set_contents (path, rounds->str, -1, NULL));
  g_free (path);
  path = g_build_filename (f->records, "episodes.csv", NULL);
  g_assert_true (g_file_set_contents (path, episodes->str, -1, NULL));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  vw_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->vault);
  g_free (f->records);
  vw_test_fill_clear (&f->fill);
  g_ptr_array_unref (f->codes);
  g_ptr_array_unref (f->forbidden);
  g_ptr_array_unref (f->forbidden_extra);
}

/* Binary files (.sav, .dta, zip) may hold NUL bytes. */
static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_clean (Fixture    *f,
              const char *name,
              const char *data,
              gsize       len)
{
  for (guint i = 0; i < f->forbidden->len; i++)
    {
      const char *needle = g_ptr_array_index (f->forbidden, i);

      if (contains (data, len, needle))
        g_error ("%s contains “%s”", name, needle);
    }
}

/* Scans an archive (tar or zip) in memory, and the archives inside it. */
static guint
scan_archive (Fixture    *f,
              const char *name,
              const void *data,
              gsize       len)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  guint n = 0;

  archive_read_support_format_tar (archive);
  archive_read_support_format_zip (archive);
  g_assert_cmpint (archive_read_open_memory (archive, data, len), ==, ARCHIVE_OK);
  while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      gsize size = archive_entry_size (entry);
      g_autofree char *contents = g_malloc (size + 1);
      g_autofree char *entry_name = g_strconcat (name, ":", archive_entry_pathname (entry), NULL);

      g_assert_cmpint (archive_read_data (archive, contents, size), ==, (la_ssize_t) size);
      assert_clean (f, entry_name, contents, size);
      n++;
      if (g_str_has_suffix (entry_name, ".qdpx"))
        n += scan_archive (f, entry_name, contents, size);
    }
  archive_read_free (archive);
  return n;
}

static guint
scan_folder (Fixture    *f,
             const char *dir)
{
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      assert_clean (f, path, data, len);
      if (g_str_has_suffix (path, ".qdpx"))
        scan_archive (f, path, data, len);
    }
  return files->len;
}

static int
run_export (Fixture     *f,
            char       **out,
            char       **err,
            const char  *first,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *env[] = { ENV_PASSPHRASE, NULL };
  const char *arg;
  va_list ap;
  int status;

  g_ptr_array_add (args, (gpointer) "--vault");
  g_ptr_array_add (args, f->vault);
  g_ptr_array_add (args, (gpointer) "export");
  if (!f->from_vault)
    {
      g_ptr_array_add (args, (gpointer) "--from-records");
      g_ptr_array_add (args, f->records);
    }
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = vw_test_run_cliv (env, NULL, out, err, (const char * const *) args->pdata);
  if (status != 0)
    g_test_message ("veldwerk-cli: %s", *err);
  return status;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The export ids of trajectories_wide.csv, sorted. */
static char *
export_ids (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "trajectories_wide.csv", NULL);
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  lines = g_strsplit (data, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    g_ptr_array_add (ids, g_strndup (lines[i], strchr (lines[i], ',') - lines[i]));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

static void
test_markers_folder (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *out_dir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *again = g_build_filename (f->dir, "again", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *ids = NULL, *ids_again = NULL, *ids_other = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;

  g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", out_dir,
                               "--format", "csv,sav,dta", "--k", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Wrote the anonymized export of 8 participants"));
  /* CSV x2, codebook, R script, .sav x2, .dta x2, manifest. */
  g_assert_cmpuint (scan_folder (f, out_dir), ==, 9);

  /* The same study again: the same ids. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", again, "--k", "1",
                               NULL), ==, 0);
  ids = export_ids (out_dir);
  ids_again = export_ids (again);
  g_assert_cmpstr (ids, ==, ids_again);
  g_assert_cmpuint (strlen (ids), ==, 8 * 16 + 7);

  /* Another study: none of the ids. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export (f, &out, &err, "--study", "Ander onderzoek", "--anonymized", other, "--k", "1",
                               NULL), ==, 0);
  ids_other = export_ids (other);
  first = g_strsplit (ids, " ", -1);
  second = g_strsplit (ids_other, " ", -1);
  g_assert_cmpuint (g_strv_length (second), ==, 8);
  for (guint i = 0; second[i] != NULL; i++)
    g_assert_false (g_strv_contains ((const char * const *) first, second[i]));
}

/* With quotes, as one age file: decrypted with the real age, every file
 * of the tar and of the .qdpx inside it is scanned. */
static void
test_markers_age (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *identity = g_build_filename (f->dir, "analyst.txt", NULL);
  g_autofree char *recipient = NULL;
  g_autofree char *package = g_build_filename (f->dir, "export.tar.age", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) tar = NULL;
  g_autofree char *listing = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, "age-keygen", "-o", identity, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_clear_object (&proc);
  recipient = vw_test_age_public_key (identity);

  /* The stored quote is free text the user asks for here: it is the one
   * marker that must come out (checked below), redacted. */
  for (guint i = 0; i < f->forbidden->len; i++)
    if (g_str_equal (g_ptr_array_index (f->forbidden, i), PREFIX "-quote-marker"))
      g_ptr_array_remove_index (f->forbidden, i);

  g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", package,
                               "--include-quotes", "--format", "csv,sav,dta,qdpx", "-r", recipient, "--k", "1",
                               NULL), ==, 0);
  {
    g_autofree char *raw = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (package, &raw, &len, NULL));
    g_assert_true (g_str_has_prefix (raw, "age-encryption.org/v1\n"));
  }

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "age", "-d", "-i", identity, package, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &tar, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));

  /* 9 files as before, quotes.csv, quotes.qdpx, and inside the .qdpx
   * project.qde and the source of the one interview with quotes (T0). */
  g_assert_cmpuint (scan_archive (f, "export.tar", g_bytes_get_data (tar, NULL), g_bytes_get_size (tar)), ==,
                    11 + 2);

  /* The quotes are there, redacted. */
  {
    struct archive *archive = archive_read_new ();
    struct archive_entry *entry;
    gboolean found = FALSE;

    archive_read_support_format_tar (archive);
    g_assert_cmpint (archive_read_open_memory (archive, g_bytes_get_data (tar, NULL), g_bytes_get_size (tar)), ==,
                     ARCHIVE_OK);
    while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
      {
        if (g_str_equal (archive_entry_pathname (entry), "export/quotes.csv"))
          {
            gsize size = archive_entry_size (entry);
            g_autofree char *contents = g_malloc0 (size + 1);

            g_assert_cmpint (archive_read_data (archive, contents, size), ==, (la_ssize_t) size);
            g_assert_nonnull (strstr (contents, "Ik woonde bij [organisatie]. [persoon] belde [telefoon], "
                                                "mail [e-mail], op [datum]."));
            g_assert_nonnull (strstr (contents, PREFIX "-quote-marker"));
            g_assert_nonnull (strstr (contents, ",T0,life_history,life_story,"
                                                "\"Via [persoon] kwam ik in de opvang, bel [telefoon].\""));
            found = TRUE;
          }
      }
    archive_read_free (archive);
    g_assert_true (found);
  }
}

/* Free text without --include-quotes, bad records, a vault with two
 * studies and no --study: refused, nothing written. */
static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out_dir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *rounds = g_build_filename (f->records, "rounds.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;

  g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", out_dir,
                               "--format", "qdpx", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "free text"));
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export (f, &out, &err, "--anonymized", out_dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--study"));
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export (f, &out, &err, "--anonymized", out_dir, "--rare", "hide", NULL), ==, 2);
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_get_contents (rounds, &contents, NULL, NULL));
  bad = g_strconcat (contents, "DH-7K3QA,T2,interviewed,2021-05-01,kasteel,,\n", NULL);
  g_assert_true (g_file_set_contents (rounds, bad, -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", out_dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "records check"));
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));
}

/* The default source is the vault itself: the records imported into it
 * (into the second study, whose participants they do not overlap) give the
 * same export ids and leak nothing either. */
static void
test_from_vault (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *from_folder = g_build_filename (f->dir, "from-folder", NULL);
  g_autofree char *from_vault = g_build_filename (f->dir, "from-vault", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *ids_folder = NULL, *ids_vault = NULL;
  const char *env[] = { ENV_PASSPHRASE, NULL };
  int status;

  status = vw_test_run_cli (env, &out, &err, "--vault", f->vault, "import", "--study", "Ander onderzoek",
                            f->records, NULL);
  g_test_message ("import: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export (f, &out, &err, "--study", "Ander onderzoek", "--anonymized", from_folder,
                               "--k", "1", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  f->from_vault = TRUE;
  g_assert_cmpint (run_export (f, &out, &err, "--study", "Ander onderzoek", "--anonymized", from_vault,
                               "--format", "csv,sav,dta", "--k", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Wrote the anonymized export of 8 participants"));
  g_assert_cmpuint (scan_folder (f, from_vault), ==, 9);
  ids_folder = export_ids (from_folder);
  ids_vault = export_ids (from_vault);
  g_assert_cmpstr (ids_vault, ==, ids_folder);
}

/* The groups of a written trajectories_wide.csv on @quasi (a blank is a
 * value of its own): the smallest, and how many rows. */
static guint
smallest_released_group (const char         *dir,
                         const char * const *quasi,
                         guint              *n_rows)
{
  g_autofree char *path = g_build_filename (dir, "trajectories_wide.csv", NULL);
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(VwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (int));
  GHashTableIter iter;
  gpointer count;
  guint smallest = 0;

  *n_rows = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  reader = vw_csv_reader_new (path, data, len);
  g_assert_true (vw_csv_reader_next (reader, &error));
  for (guint q = 0; quasi[q] != NULL; q++)
    for (guint c = 0; c < vw_csv_reader_get_n_fields (reader); c++)
      if (g_str_equal (vw_csv_reader_get_field (reader, c), quasi[q]))
        g_array_append_val (columns, c);
  g_assert_cmpuint (columns->len, ==, g_strv_length ((GStrv) quasi));
  while (vw_csv_reader_next (reader, &error))
    {
      GString *key = g_string_new (NULL);

      for (guint q = 0; q < columns->len; q++)
        {
          const char *value = vw_csv_reader_get_field (reader, g_array_index (columns, int, q));
          g_string_append_printf (key, "%zu:%s", strlen (value), value);
        }
      count = g_hash_table_lookup (counts, key->str);
      g_hash_table_replace (counts, g_string_free (key, FALSE), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
      (*n_rows)++;
    }
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    if (smallest == 0 || GPOINTER_TO_UINT (count) < smallest)
      smallest = GPOINTER_TO_UINT (count);
  return smallest;
}

static gint64
manifest_figure (const char *dir,
                 const char *name)
{
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  return json_object_get_int_member (json_object_get_object_member (root, "disclosure_control"), name);
}

/* The outside review's cases, through the command line: four participants
 * who share (DH, -, -) beside groups of 8 and 5, and three of the 8 who
 * differ from the other five only by hist_street. A blank that matched
 * anything released the four as a group of 4, and with --quasi
 * hist_street the three as a group of 3 (hist_street blanked), with
 * k = 5. Now no written group is smaller than k, and the printed report
 * and the manifest say how small the smallest is. */
static void
test_review_k (Fixture       *f,
               gconstpointer  data)
{
  static const char * const base_quasi[] = { "region", "origin", "age_band", NULL };
  static const char * const hist_quasi[] = { "region", "origin", "age_band", "hist_street", NULL };
  g_autofree char *records = g_build_filename (f->dir, "review", NULL);
  g_autofree char *participants_path = g_build_filename (records, "participants.csv", NULL);
  g_autofree char *rounds_path = g_build_filename (records, "rounds.csv", NULL);
  g_autoptr(GString) participants = g_string_new ("code,pseudonym,region,origin,birth_year,hist_street\n");
  g_autoptr(GString) rounds = g_string_new ("code,round,status,date,residence\n");
  g_autofree char *saved_records = f->records;
  static const char * const modes[] = { "generalize", "suppress" };

  /* 5 x (DH, centrumgemeente, 30_44, ja), 3 x the same with nee,
   * 5 x (DH, regiogemeente, 45_64, ja), 4 x (DH, -, -, -). */
  for (guint i = 0; i < 17; i++)
    {
      const char *rest = i < 5 ? "centrumgemeente,1980,ja" : i < 8 ? "centrumgemeente,1980,nee"
                         : i < 13 ? "regiogemeente,1960,ja" : ",,";

      g_string_append_printf (participants, "DH-R%04u,Naam%u,DH,%s\n", i, i, rest);
      g_string_append_printf (rounds, "DH-R%04u,T0,interviewed,2020-03-%02u,mo\n", i, 1 + i);
    }
  g_assert_cmpint (g_mkdir (records, 0700), ==, 0);
  g_assert_true (g_file_set_contents (participants_path, participants->str, -1, NULL));
  g_assert_true (g_file_set_contents (rounds_path, rounds->str, -1, NULL));
  f->records = records;

  for (guint mode = 0; mode < G_N_ELEMENTS (modes); mode++)
    for (guint with_hist = 0; with_hist < 2; with_hist++)
      {
        g_autofree char *name = g_strdup_printf ("review-%s-%u", modes[mode], with_hist);
        g_autofree char *out_dir = g_build_filename (f->dir, name, NULL);
        g_autofree char *out = NULL, *err = NULL;
        g_autofree char *line = NULL;
        guint smallest, n_rows;

        if (with_hist)
          g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", out_dir,
                                       "--rare", modes[mode], "--quasi", "hist_street", NULL), ==, 0);
        else
          g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", out_dir,
                                       "--rare", modes[mode], NULL), ==, 0);
        smallest = smallest_released_group (out_dir, with_hist ? hist_quasi : base_quasi, &n_rows);
        g_test_message ("%s: smallest group %u of %u rows", name, smallest, n_rows);
        g_assert_cmpuint (smallest, >=, 5);
        g_assert_cmpint (manifest_figure (out_dir, "smallest_group"), ==, smallest);
        g_assert_cmpint (manifest_figure (out_dir, "k"), ==, 5);
        g_assert_cmpint (manifest_figure (out_dir, "released"), ==, n_rows);
        g_assert_cmpint (manifest_figure (out_dir, "suppressed"), ==, 17 - n_rows);
        line = g_strdup_printf ("Smallest group released: %u (k = 5)", smallest);
        g_assert_nonnull (strstr (out, line));
        /* Without hist_street, who shares (DH, -, -) is left out: four
         * cannot be five. With it, generalizing blanks the three's
         * hist_street, age band and origin, which makes them a group of 7
         * with the four; suppressing leaves the three and the four out. */
        g_assert_cmpuint (n_rows, ==, !with_hist ? 13 : mode == 0 ? 17 : 10);
      }

  /* k larger than the population: nothing written, and why. */
  {
    g_autofree char *out_dir = g_build_filename (f->dir, "review-too-large", NULL);
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_export (f, &out, &err, "--study", "Testonderzoek", "--anonymized", out_dir,
                                 "--k", "18", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "Nothing was exported"));
    g_assert_nonnull (strstr (err, "k = 18"));
    g_assert_nonnull (strstr (err, "17 participants"));
    g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));
  }
  f->records = g_steal_pointer (&saved_records);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

#define ADD(name, func) g_test_add ("/export-cli/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("markers-folder-and-ids", test_markers_folder);
  ADD ("markers-age-package", test_markers_age);
  ADD ("refusals", test_refusals);
  ADD ("from-vault", test_from_vault);
  ADD ("review-k", test_review_k);
  return g_test_run ();
}
