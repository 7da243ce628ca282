/* Every command of README.md's command blocks, run as written.
 *
 * The ```sh blocks under the headings of `blocks` below are read from
 * README.md itself and run line by line with /bin/sh, in one scratch
 * folder (the USB stick the laptops share), with veldwerk-cli of this
 * build first on PATH and each laptop's vault at its default place
 * ($XDG_DATA_HOME/veldwerk/veldwerk.vault of that laptop's home). In the
 * study block a comment line names the laptop the lines below it run on.
 * Every command must succeed. The only changes to what README says:
 *
 *   - placeholders get real values: `age1…` another laptop's recipient,
 *     `"…"` the coordinator's fingerprint, `DIR` a records folder (the
 *     Den Haag test records and one participant DH-7K3QM), `INTERVIEW
 *     QUESTION VALUE` the conflict the exchange made, `BUNDLE-ID` the id
 *     of the last submission written;
 *   - what people do in the application between commands (an interview,
 *     a changed answer) is done through the core before the line that
 *     needs it (`steps`);
 *   - the records blocks share a vault made as README's vault block makes
 *     one.
 *
 * A README block under a heading this test does not know, or a known one
 * gone, fails the test: README's commands never go untested unnoticed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vw-core.h"
#include "vw-test-duos.h"
#include "vw-test-pool.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"

/* The headings whose ```sh blocks run, and how many blocks each has. */
static const struct
{
  const char *heading;
  guint       blocks;
  const char *laptop;   /* NULL: the comments name it */
} blocks[] = {
  { "### Records, trajectories and report tables", 3, "records" },
  { "### Anonymized export", 1, "records" },
  { "### The vault", 1, "vault" },
  { "### Studies across laptops, without a server", 1, NULL },
  { "### Pooling regional packages", 1, "records" },
};

/* Blocks that are not veldwerk-cli examples: installing, fuzzing,
 * Flatpak. */
static const char * const skipped[] = {
  "## Quick start",
  "### Fuzzing",
  "## Flatpak",
};

typedef struct
{
  char       *name;
  char       *home;
  char       *vault;
} Laptop;

typedef struct
{
  char       *dir;        /* the shared folder commands run in */
  char       *homes;
  char       *cli_dir;
  GPtrArray  *laptops;    /* Laptop */
  char       *second;     /* another coordinator's recipient */
  char       *last_bundle;
  GHashTable *steps_done; /* step name → count */
} Readme;

static void
laptop_free (Laptop *l)
{
  g_free (l->name);
  g_free (l->home);
  g_free (l->vault);
  g_free (l);
}

static Laptop *
laptop (Readme     *r,
        const char *name)
{
  Laptop *l;

  for (guint i = 0; i < r->laptops->len; i++)
    if (g_str_equal (((Laptop *) g_ptr_array_index (r->laptops, i))->name, name))
      return g_ptr_array_index (r->laptops, i);
  l = g_new0 (Laptop, 1);
  l->name = g_strdup (name);
  l->home = g_build_filename (r->homes, name, NULL);
  l->vault = g_build_filename (l->home, "data", "veldwerk", "veldwerk.vault", NULL);
  g_assert_cmpint (g_mkdir_with_parents (l->home, 0700), ==, 0);
  g_ptr_array_add (r->laptops, l);
  return l;
}

/* Runs @command with /bin/sh as on @l; returns the exit status. */
static int
run_sh (Readme      *r,
        Laptop      *l,
        const char  *command,
        char       **out,
        char       **err)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat (r->cli_dir, ":", g_getenv ("PATH"), NULL);
  g_autofree char *data = g_build_filename (l->home, "data", NULL);

  g_subprocess_launcher_set_cwd (launcher, r->dir);
  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", l->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "VELDWERK_PASSPHRASE", VW_TEST_PASSPHRASE, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, "/bin/sh", "-c", command, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static char *
field (const char *text,
       const char *name)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (name, ": ", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  g_error ("no “%s” in %s", name, text);
  return NULL;
}

static char *
coordinator_fingerprint (Readme *r)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_sh (r, laptop (r, "coordinator"), "veldwerk-cli keys", &out, &err), ==, 0);
  return field (out, "fingerprint");
}

static VwVault *
open_study (Laptop  *l,
            char   **study)
{
  g_autoptr(GError) error = NULL;
  VwVault *vault = vw_test_open_vault (l->vault);

  *study = vw_study_resolve (vault, NULL, &error);
  g_assert_no_error (error);
  return vault;
}

static void
close_vault (VwVault *vault)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_vault_close (vault, &error));
  g_assert_no_error (error);
  g_object_unref (vault);
}

static char *
tom_t0 (Laptop *l)
{
  g_autofree char *study = NULL;
  g_autoptr(GError) error = NULL;
  VwVault *vault = open_study (l, &study);
  g_autoptr(VwInterview) iv = vw_vault_find_interview (vault, study, "DH-7K3QM", "T0", &error);

  g_assert_no_error (error);
  close_vault (vault);
  return g_strdup (iv->id);
}

/* A T0 interview entered in the application. */
static void
interview (Laptop     *l,
           const char *code,
           const char *pseudonym)
{
  g_autofree char *study = NULL;
  g_autoptr(GError) error = NULL;
  VwVault *vault = open_study (l, &study);
  g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, study, code, pseudonym, "DH", &error);
  g_autoptr(VwInterview) iv = NULL;

  g_assert_no_error (error);
  iv = vw_vault_start_interview (vault, study, code, "T0", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vw_vault_set_interview_status (vault, iv->id, "interviewed", "2026-02-10", NULL, &error);
  g_assert_no_error (error);
  vw_vault_save_answer (vault, iv->id, "debts", "ja", &error);
  g_assert_no_error (error);
  close_vault (vault);
}

/* An answer changed in the application. */
static void
change_debts (Laptop     *l,
              const char *value)
{
  g_autofree char *id = tom_t0 (l);
  g_autofree char *study = NULL;
  g_autoptr(GError) error = NULL;
  VwVault *vault = open_study (l, &study);

  vw_vault_save_answer (vault, id, "debts", value, &error);
  g_assert_no_error (error);
  close_vault (vault);
}

/* What the pooling block's line needs besides dh.keys: Den Haag's
 * package, exported from this laptop's study with the test records (so
 * signed with the key in dh.keys); Flevoland's, encrypted to the analyst
 * (fl-package.tar.age), and another region's (gv-package), each signed by
 * its own coordinator, whose keys are in coordinators.txt; and the
 * analyst's identity (analyst.txt). */
static void
prepare_pool (Readme *r,
              Laptop *l)
{
  VwTestRegion fl = { 0 }, gv = { 0 };
  VwExportOptions options = { 0 };
  g_autoptr(VwAgeIdentity) analyst = vw_age_identity_generate ();
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(VwSecret) identity_text = vw_age_identity_to_string (analyst);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *fl_line = NULL, *gv_line = NULL, *trust = NULL, *path = NULL, *to = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_sh (r, l, "veldwerk-cli import records && veldwerk-cli export --anonymized dh-package", &out,
                           &err), ==, 0);
  vw_test_region_init (&fl, "FL", 40, 0, 3, 11);
  vw_test_region_init (&gv, "GV", 40, 0, 3, 12);
  vw_test_region_export (&gv, r->dir, &options);
  to = g_build_filename (r->dir, "gv-package", NULL);
  g_assert_cmpint (g_rename (gv.package, to), ==, 0);
  g_free (to);
  g_ptr_array_add (recipients, vw_age_identity_to_recipient (analyst));
  options.recipients = recipients;
  vw_test_region_export (&fl, r->dir, &options);
  to = g_build_filename (r->dir, "fl-package.tar.age", NULL);
  g_assert_cmpint (g_rename (fl.package, to), ==, 0);

  fl_line = vw_test_region_trust_line (&fl);
  gv_line = vw_test_region_trust_line (&gv);
  trust = g_strconcat ("# the coordinators of Flevoland and Gooi en Vechtstreek\n", fl_line, gv_line, NULL);
  path = g_build_filename (r->dir, "coordinators.txt", NULL);
  g_assert_true (g_file_set_contents (path, trust, -1, &error));
  g_free (path);
  path = g_build_filename (r->dir, "analyst.txt", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) vw_secret_const_data (identity_text), vw_secret_len (identity_text),
                                      &error));
  g_assert_no_error (error);
  vw_test_region_clear (&fl);
  vw_test_region_clear (&gv);
}

/* What people do in the application before a README line: the laptop and
 * the start of the line, and what is done. */
static gboolean
step (Readme     *r,
      Laptop     *l,
      const char *command)
{
  static const struct
  {
    const char *laptop;
    const char *command;
    const char *name;
  } steps[] = {
    { "duo Noord", "printf 'Tom de Vries\\n1971-04-02\\n' | veldwerk-cli study link-identity DH-7K3QM",
      "Tom's interview on duo Noord" },
    { "duo Zuid", "printf 'Thom de Vries\\n1971-02-04\\n' | veldwerk-cli study link-identity DH-Q2W8E",
      "the same man's interview on duo Zuid" },
    { "duo Zuid", "veldwerk-cli submit -o zuid-2.submission", "Tom's debts changed on duo Zuid" },
    { "duo Noord", "veldwerk-cli submit -o noord-2.submission", "Tom's debts changed on duo Noord" },
    { "records", "veldwerk-cli pool ", "the packages of three regions, their keys and the analyst's identity" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      if (!g_str_equal (l->name, steps[i].laptop) || !g_str_has_prefix (command, steps[i].command))
        continue;
      g_test_message ("%s: %s", l->name, steps[i].name);
      switch (i)
        {
        case 0: interview (l, "DH-7K3QM", "Tom"); break;
        case 1: interview (l, "DH-Q2W8E", "Karel"); break;
        case 2: change_debts (l, "nee"); break;
        case 3: change_debts (l, "onbekend"); break;
        case 4: prepare_pool (r, l); break;
        default: g_assert_not_reached ();
        }
      g_hash_table_insert (r->steps_done, (gpointer) steps[i].name,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (r->steps_done,
                                                                                   steps[i].name)) + 1));
      return TRUE;
    }
  return FALSE;
}

/* @command with the placeholders filled in. */
static char *
fill (Readme     *r,
      const char *command)
{
  g_autofree char *text = g_strdup (command);
  const struct
  {
    const char *pattern;
    const char *what;
  } words[] = {
    { "\\bDIR\\b", "records" },
    { "age1…|age1\\.\\.\\.", "recipient" },
    { "\"…\"", "fingerprint" },
    { "\\bINTERVIEW\\b", "interview" },
    { "\\bQUESTION\\b", "question" },
    { "\\bVALUE\\b", "value" },
    { "\\bBUNDLE-ID\\b", "bundle" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (words[i].pattern, 0, 0, NULL);
      g_autofree char *value = NULL;
      char *replaced;

      if (!g_regex_match (regex, text, 0, NULL))
        continue;
      if (g_str_equal (words[i].what, "records"))
        value = g_strdup ("records");
      else if (g_str_equal (words[i].what, "recipient"))
        value = g_strdup (r->second);
      else if (g_str_equal (words[i].what, "fingerprint"))
        {
          g_autofree char *fingerprint = coordinator_fingerprint (r);
          value = g_strdup_printf ("\"%s\"", fingerprint);
        }
      else if (g_str_equal (words[i].what, "interview"))
        value = tom_t0 (laptop (r, "duo Noord"));
      else if (g_str_equal (words[i].what, "question"))
        value = g_strdup ("debts");
      else if (g_str_equal (words[i].what, "value"))
        value = g_strdup ("nee");
      else
        {
          g_assert_nonnull (r->last_bundle);
          value = g_strdup (r->last_bundle);
        }
      replaced = g_regex_replace_literal (regex, text, -1, 0, value, 0, NULL);
      g_free (text);
      text = replaced;
    }
  return g_steal_pointer (&text);
}

/* The line without a trailing comment (a # after white space, outside
 * quotes). */
static char *
strip_comment (const char *line)
{
  char quote = 0;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (quote != 0)
        quote = *p == quote ? 0 : quote;
      else if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == '#' && (p == line || g_ascii_isspace (p[-1])))
        return g_strstrip (g_strndup (line, p - line));
    }
  return g_strstrip (g_strdup (line));
}

/* The laptop a comment line of the study block names. */
static const char *
laptop_named (const char *comment)
{
  if (strstr (comment, "coordinator's laptop") != NULL)
    return "coordinator";
  if (strstr (comment, "duo Noord's laptop") != NULL)
    return "duo Noord";
  if (strstr (comment, "duo Zuid's laptop") != NULL)
    return "duo Zuid";
  g_error ("README: the comment “%s” names no laptop (the coordinator's, duo Noord's or duo Zuid's)", comment);
  return NULL;
}

/* What a line's output must show, beyond its success. */
static void
check_output (Readme     *r,
              const char *command,
              const char *out)
{
  const struct
  {
    const char *command;
    const char *shows;
  } expected[] = {
    { "veldwerk-cli study join", "Joined the study" },
    { "veldwerk-cli merge noord.submission zuid.submission", "possible duplicate: DH-7K3QM DH-Q2W8E" },
    { "veldwerk-cli merge noord-2.submission zuid-2.submission", "conflict: answer" },
    { "veldwerk-cli merge --accept-revoked", "Accepted bundle" },
    { "veldwerk-cli study revoke", "Revoked" },
    { "veldwerk-cli study devices", "\tduo Zuid\t" },
    { "veldwerk-cli trajectory DH-7K3QM --records", "DH-7K3QM" },
  };
  const char *wrote = strstr (out, "Wrote the submission ");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (g_str_has_prefix (command, expected[i].command) && strstr (out, expected[i].shows) == NULL)
      g_error ("README: “%s” did not print “%s”:\n%s", command, expected[i].shows, out);
  if (wrote != NULL)
    {
      g_free (r->last_bundle);
      r->last_bundle = g_strndup (wrote + strlen ("Wrote the submission "), 32);
    }
}

static guint
run_block (Readme     *r,
           GPtrArray  *lines,
           const char *fixed_laptop)
{
  Laptop *l = fixed_laptop != NULL ? laptop (r, fixed_laptop) : NULL;
  g_autoptr(GString) command = g_string_new (NULL);
  guint ran = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *stripped = NULL;
      g_autofree char *filled = NULL;
      g_autofree char *out = NULL, *err = NULL;

      if (command->len == 0 && g_str_has_prefix (line, "#"))
        {
          g_assert_null (fixed_laptop);
          l = laptop (r, laptop_named (line));
          continue;
        }
      /* A line ending in a backslash goes on. */
      if (g_str_has_suffix (line, "\\"))
        {
          g_string_append_len (command, line, strlen (line) - 1);
          continue;
        }
      g_string_append (command, line);
      stripped = strip_comment (command->str);
      g_string_truncate (command, 0);
      if (*stripped == '\0')
        continue;
      if (l == NULL)
        g_error ("README: “%s” comes before a comment naming its laptop", stripped);
      step (r, l, stripped);
      filled = fill (r, stripped);
      g_test_message ("%s$ %s", l->name, filled);
      if (run_sh (r, l, filled, &out, &err) != 0)
        g_error ("README: on %s, “%s” failed:\n%s%s", l->name, filled, out, err);
      check_output (r, stripped, out);
      ran++;
    }
  g_assert_cmpuint (command->len, ==, 0);
  return ran;
}

/* The records folder README's DIR stands for: the Den Haag records and
 * DH-7K3QM, the code README's examples use. */
static void
make_records (Readme *r)
{
  g_autofree char *dir = g_build_filename (r->dir, "records", NULL);
  const char *names[] = { "participants.csv", "rounds.csv", "episodes.csv" };
  const char *extra[] = {
    "DH-7K3QM,Thomas,DH,\"Den Haag, Scheveningen\",centrumgemeente,1971,ja,nee,ja,nee\n",
    "DH-7K3QM,T0,interviewed,2018-04-10,mo,,geen,niet_participerend,ja,familie_anders,geen,geen,ja,nee\n"
    "DH-7K3QM,T1,interviewed,2019-03-02,eigen_woning,2018-11,betaald_werk,passend,nee,zelf,werk,geen,ja,nee\n",
    "",
  };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *from = g_test_build_filename (G_TEST_DIST, "records", "denhaag",
                                                     names[i], NULL);
      g_autofree char *to = g_build_filename (dir, names[i], NULL);
      g_autofree char *text = NULL;
      g_autofree char *all = NULL;

      g_assert_true (g_file_get_contents (from, &text, NULL, &error));
      all = g_strconcat (text, extra[i], NULL);
      g_assert_true (g_file_set_contents (to, all, -1, &error));
    }
}

static void
test_readme (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "README.md", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *identity = NULL;
  g_autoptr(GPtrArray) block = NULL;
  guint found[G_N_ELEMENTS (blocks)] = { 0 };
  guint commands = 0;
  Readme r = { 0 };

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  r.dir = g_dir_make_tmp ("vw-readme-XXXXXX", &error);
  g_assert_no_error (error);
  r.homes = g_build_filename (r.dir, ".laptops", NULL);
  r.cli_dir = g_path_get_dirname (vw_test_cli_path ());
  r.laptops = g_ptr_array_new_with_free_func ((GDestroyNotify) laptop_free);
  r.steps_done = g_hash_table_new (g_str_hash, g_str_equal);
  {
    g_autofree char *name = g_path_get_basename (vw_test_cli_path ());
    g_assert_cmpstr (name, ==, "veldwerk-cli");
  }

  /* Another coordinator's laptop, for `--recipient age1…` and `-r`. */
  identity = g_build_filename (r.homes, "second.txt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (r.homes, 0700), ==, 0);
  {
    const char *argv[] = { "keygen", "-o", identity, NULL };
    g_assert_cmpint (vw_test_run_cliv (NULL, NULL, NULL, NULL, argv), ==, 0);
    r.second = vw_test_age_public_key (identity);
  }
  make_records (&r);
  {
    /* The records blocks work on a vault made as README's vault block
     * makes one. */
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run_sh (&r, laptop (&r, "records"), "veldwerk-cli init --study \"Den Haag 2026\" --region DH",
                             &out, &err), ==, 0);
  }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (block != NULL)
        {
          if (g_str_equal (line, "```"))
            {
              gint known = -1;

              for (guint b = 0; b < G_N_ELEMENTS (blocks); b++)
                if (g_strcmp0 (heading, blocks[b].heading) == 0)
                  known = b;
              if (known >= 0)
                {
                  found[known]++;
                  commands += run_block (&r, block, blocks[known].laptop);
                }
              else if (!g_strv_contains (skipped, heading ? heading : ""))
                g_error ("README: a ```sh block under “%s”, which this test does not know: run it here or "
                         "say why not", heading ? heading : "(no heading)");
              g_clear_pointer (&block, g_ptr_array_unref);
              continue;
            }
          g_ptr_array_add (block, (gpointer) line);
          continue;
        }
      if (g_str_equal (line, "```sh"))
        block = g_ptr_array_new ();
      else if (g_str_has_prefix (line, "#"))
        {
          g_free (heading);
          heading = g_strdup (line);
        }
    }
  g_assert_null (block);
  for (guint b = 0; b < G_N_ELEMENTS (blocks); b++)
    if (found[b] != blocks[b].blocks)
      g_error ("README: %u ```sh blocks under “%s”, expected %u", found[b], blocks[b].heading, blocks[b].blocks);
  /* Each step before a line ran once: the lines they belong to are there. */
  g_assert_cmpuint (g_hash_table_size (r.steps_done), ==, 5);
  g_test_message ("%u commands of README ran", commands);
  g_assert_cmpuint (commands, >=, 40);

  vw_test_rm_rf (r.dir);
  g_free (r.dir);
  g_free (r.homes);
  g_free (r.cli_dir);
  g_free (r.second);
  g_free (r.last_bundle);
  g_ptr_array_unref (r.laptops);
  g_hash_table_unref (r.steps_done);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/readme/commands", test_readme);
  return g_test_run ();
}
