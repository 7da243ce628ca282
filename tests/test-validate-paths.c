/* One table of bad values, run through every path that stores something:
 * `records check`, the import, the vault's write functions (what the
 * application calls) and the merge of a bundle signed with an enrolled
 * duo's real keys, written by hand as an attacker with their own enrolled
 * laptop can. Every path refuses every value with a message that names
 * the field, and a refused import, merge or write leaves the vault files
 * byte-identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-private.h"

/* What the bad value is a value of. */
typedef enum {
  THING_PARTICIPANT,  /* code, pseudonym, region of a new participant */
  THING_STUDY_REGION, /* a region the study is to have */
  THING_VALUE,        /* a participant variable */
  THING_EPISODE,      /* a stay between interviews (residence mo) */
  THING_INTERVIEW,    /* the date of a T0 interview held */
} Thing;

typedef struct
{
  const char *name;
  Thing       thing;
  const char *field;         /* every message names it: "field: …" */
  const char *records_field; /* the records files name it so, when not as field */
  gboolean    needs_study;   /* a records folder cannot know (the round's fieldwork window) */
  /* NULL: a good value. The pseudonym "HUGE" is 10 MB of letters. */
  const char *code;
  const char *pseudonym;
  const char *region;
  const char *variable;
  const char *value;
  const char *start;
  const char *end;
  const char *date;
} BadValue;

#define HUGE_PSEUDONYM "HUGE"
#define HUGE_SIZE (10 * 1024 * 1024)

static const BadValue bad_values[] = {
  { "region-xx", THING_PARTICIPANT, "region", NULL, FALSE, .region = "XX" },
  { "region-zz", THING_STUDY_REGION, "region", NULL, FALSE, .region = "ZZ" },
  { "code-path", THING_PARTICIPANT, "code", NULL, FALSE, .code = "../../x" },
  { "unknown-variable", THING_VALUE, "variable", "shoe_size", FALSE, .variable = "shoe_size", .value = "44" },
  { "invalid-code", THING_VALUE, "origin", NULL, FALSE, .variable = "origin", .value = "ergens" },
  { "episode-backwards", THING_EPISODE, "end", NULL, FALSE, .start = "2020-05", .end = "2020-01" },
  { "pseudonym-newline", THING_PARTICIPANT, "pseudonym", NULL, FALSE, .pseudonym = "Sam\nBakker" },
  { "pseudonym-10mb", THING_PARTICIPANT, "pseudonym", NULL, FALSE, .pseudonym = HUGE_PSEUDONYM },
  { "pseudonym-blank", THING_PARTICIPANT, "pseudonym", NULL, FALSE, .pseudonym = "   " },
  { "pseudonym-zero-width", THING_PARTICIPANT, "pseudonym", NULL, FALSE,
    .pseudonym = "\xe2\x80\x8b\xe2\x80\x8b" },
  { "pseudonym-rlo", THING_PARTICIPANT, "pseudonym", NULL, FALSE, .pseudonym = "Sam\xe2\x80\xae" "nat" },
  { "pseudonym-trailing-space", THING_PARTICIPANT, "pseudonym", NULL, FALSE, .pseudonym = "Sam " },
  { "month-1899", THING_EPISODE, "start", NULL, FALSE, .start = "1899-12" },
  { "date-1899", THING_INTERVIEW, "date", NULL, FALSE, .date = "1899-12-31" },
  { "interview-2099", THING_INTERVIEW, "date", NULL, FALSE, .date = "2099-01-01" },
  { "interview-after-fieldwork", THING_INTERVIEW, "date", NULL, TRUE, .date = "2026-06-01" },
};

typedef struct
{
  VwTestDuos  w;
  VwSecret   *coord_key;
  VwSecret   *duo_key;      /* duo-noord's vault key, to reopen it */
  VwSecret   *duo_signing;  /* duo-noord's Ed25519 secret, as the attacker holds it */
  char       *duo_device;   /* duo-noord's own device id */
  char       *existing;     /* a participant duo-noord enrolled, with a T0 interview */
  char       *interview;
  guint       counter;
} World;

static World world;

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* A participant code no one has yet. */
static char *
fresh_code (void)
{
  static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  GString *code = g_string_new ("DH-");

  for (int i = 0; i < 5; i++)
    g_string_append_c (code, crockford[g_random_int_range (0, 32)]);
  return g_string_free (code, FALSE);
}

static char *
random_hex (void)
{
  GString *id = g_string_new (NULL);

  for (int i = 0; i < 16; i++)
    g_string_append_printf (id, "%02x", g_random_int_range (0, 256));
  return g_string_free (id, FALSE);
}

/* The case's values, with the good defaults filled in. */
typedef struct
{
  char *code;
  char *pseudonym;
  const char *region;
} Values;

static void
values_init (Values         *v,
             const BadValue *c)
{
  v->code = c->code ? g_strdup (c->code) : fresh_code ();
  if (c->pseudonym != NULL && g_str_equal (c->pseudonym, HUGE_PSEUDONYM))
    v->pseudonym = g_strnfill (HUGE_SIZE, 'x');
  else
    v->pseudonym = c->pseudonym ? g_strdup (c->pseudonym)
                                : g_strdup_printf ("Xander%u", ++world.counter);
  v->region = c->region ? c->region : "DH";
}

static void
values_clear (Values *v)
{
  g_free (v->code);
  g_free (v->pseudonym);
}

/* Closing and opening with the key: no Argon2id for every case. */
static void
close_vault (VwVault **vault)
{
  g_autoptr(GError) error = NULL;

  vw_vault_close (*vault, &error);
  g_assert_no_error (error);
  g_clear_object (vault);
}

static VwVault *
open_vault (const char     *path,
            const VwSecret *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (vw_vault_unlock_with_key (vault, key, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&vault);
}

/* Every file of the vault's: the database and anything beside it. */
static char *
vault_files (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GPtrArray) files = vw_test_list_files (dir);
  GString *sums = g_string_new (NULL);

  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *name = g_path_get_basename (file);
      g_autofree char *sum = NULL;

      if (!g_str_has_prefix (name, base))
        continue;
      sum = vw_test_file_checksum (file);
      g_string_append_printf (sums, "%s %s\n", name, sum);
    }
  return g_string_free (sums, FALSE);
}

static void
assert_names_field (const char     *message,
                    const BadValue *c,
                    const char     *field)
{
  g_autofree char *named = g_strconcat (field, ":", NULL);

  if (g_test_verbose ())
    g_test_message ("%s: %.300s", c->name, message);
  /* The field and a colon, or a records column named in quotes. */
  if (c->records_field == NULL || !g_str_equal (field, c->records_field))
    g_assert_nonnull (strstr (message, named));
  else
    g_assert_nonnull (strstr (message, field));
  /* A huge value is never echoed; a pseudonym never at all. */
  g_assert_cmpuint (strlen (message), <, 2000);
  if (c->thing == THING_PARTICIPANT && c->pseudonym != NULL && strlen (c->pseudonym) > 3)
    g_assert_null (strstr (message, c->pseudonym));
}

/* The records files that carry the case's value. */
static char *
records_dir (const BadValue *c,
             const Values   *v)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vw-validate-records-XXXXXX", &error);
  g_autofree char *p = g_build_filename (dir, "participants.csv", NULL);
  g_autofree char *r = g_build_filename (dir, "rounds.csv", NULL);
  g_autofree char *e = g_build_filename (dir, "episodes.csv", NULL);
  g_autoptr(GString) participants = g_string_new ("code,pseudonym,region");
  g_autoptr(GString) rounds = g_string_new ("code,round,status,date\n");
  g_autoptr(GString) episodes = g_string_new ("code,start,end,residence\n");
  g_autofree char *quoted = NULL;
  g_autoptr(GString) q = g_string_new (v->pseudonym);

  g_assert_no_error (error);
  g_string_replace (q, "\"", "\"\"", 0);
  quoted = g_strdup_printf ("\"%s\"", q->str);
  if (c->thing == THING_VALUE)
    g_string_append_printf (participants, ",%s", c->variable);
  g_string_append_printf (participants, "\n%s,%s,%s", v->code, quoted, v->region);
  if (c->thing == THING_VALUE)
    g_string_append_printf (participants, ",%s", c->value);
  g_string_append_c (participants, '\n');
  if (c->thing == THING_INTERVIEW)
    g_string_append_printf (rounds, "%s,T0,interviewed,%s\n", v->code, c->date);
  if (c->thing == THING_EPISODE)
    g_string_append_printf (episodes, "%s,%s,%s,mo\n", v->code, c->start, c->end ? c->end : "");

  g_assert_true (g_file_set_contents (p, participants->str, -1, NULL));
  g_assert_true (g_file_set_contents (r, rounds->str, -1, NULL));
  g_assert_true (g_file_set_contents (e, episodes->str, -1, NULL));
  return dir;
}

static const char *
records_file (const BadValue *c)
{
  switch (c->thing)
    {
    case THING_EPISODE:
      return "episodes.csv:2:";
    case THING_INTERVIEW:
      return "rounds.csv:2:";
    case THING_PARTICIPANT:
    case THING_STUDY_REGION:
    case THING_VALUE:
    default:
      return c->records_field != NULL ? "participants.csv:1:" : "participants.csv:2:";
    }
}

/* An exchange field: backslash, tab, line feed and carriage return escaped. */
static void
put_field (GString    *out,
           const char *value)
{
  g_string_append_c (out, '\t');
  if (value == NULL)
    {
      g_string_append (out, "\\N");
      return;
    }
  for (const char *p = value; *p != '\0'; p++)
    switch (*p)
      {
      case '\\': g_string_append (out, "\\\\"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      default: g_string_append_c (out, *p); break;
      }
}

static void
put_row (GString            *out,
         char                type,
         const char * const *fields,
         guint               n)
{
  g_string_append_c (out, type);
  for (guint i = 0; i < n; i++)
    put_field (out, fields[i]);
  g_string_append_c (out, '\n');
}

/* The rows an attacker's own enrolled laptop signs: its sender row, then
 * the participant, then the row that carries the value. Returns the
 * number of the line with the bad value. */
static guint
write_rows (GString        *out,
            const BadValue *c,
            const Values   *v)
{
  g_autofree char *now = now_text ();
  g_autofree char *id = random_hex ();

  g_string_append_printf (out, "veldwerk-rows 1\tsubmission\t%s\n", world.w.study);
  put_row (out, 'S', (const char *[]) { world.duo_device }, 1);
  put_row (out, 'P', (const char *[]) { v->code, v->pseudonym, v->region, NULL, now, now, "1" }, 7);
  switch (c->thing)
    {
    case THING_VALUE:
      put_row (out, 'V', (const char *[]) { v->code, c->variable, c->value, "1", now, world.duo_device }, 6);
      return 4;
    case THING_EPISODE:
      put_row (out, 'E', (const char *[]) { id, v->code, c->start, c->end, "mo", NULL, now, "1" }, 8);
      return 4;
    case THING_INTERVIEW:
      put_row (out, 'I', (const char *[]) { id, v->code, "T0", NULL, NULL, NULL, "interviewed", c->date, NULL,
                                            "finished", NULL, NULL, now, now, "1" }, 15);
      return 4;
    case THING_PARTICIPANT:
    case THING_STUDY_REGION:
    default:
      return 3;
    }
}

static char *
write_bundle (const BadValue *c,
              GBytes         *content)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient_text = vw_vault_get_age_recipient (world.w.coord, &error);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autofree char *name = g_strdup_printf ("%s.submission", c->name);
  char *path = g_build_filename (world.w.dir, name, NULL);

  g_assert_no_error (error);
  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient_text, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_assert_true (vw_bundle_write_bytes (path, VW_BUNDLE_KIND_SUBMISSION, world.w.study, world.duo_signing, recipients,
                                        content, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

/* The vault's own write functions, as the application calls them, on the
 * duo's laptop. */
static gboolean
vault_write (const BadValue  *c,
             const Values    *v,
             GError         **error)
{
  VwVault *duo = world.w.duo1;
  const char *study = world.w.study;

  switch (c->thing)
    {
    case THING_PARTICIPANT:
      {
        g_autoptr(VwParticipant) p = vw_vault_create_participant (duo, study, c->code ? v->code : NULL, v->pseudonym,
                                                                  v->region, error);
        return p != NULL;
      }
    case THING_STUDY_REGION:
      return vw_vault_add_study_region (duo, study, v->region, error);
    case THING_VALUE:
      return vw_vault_set_participant_value (duo, study, world.existing, c->variable, c->value, error);
    case THING_EPISODE:
      {
        VwEpisode episode = { NULL, (char *) study, world.existing, (char *) c->start, (char *) c->end,
                              (char *) "mo" };
        g_autofree char *id = vw_vault_add_episode (duo, &episode, error);
        return id != NULL;
      }
    case THING_INTERVIEW:
      return vw_vault_set_interview_status (duo, world.interview, "interviewed", c->date, NULL, error);
    default:
      g_assert_not_reached ();
    }
}

static void
test_bad_value (gconstpointer data)
{
  const BadValue *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *coord_before = NULL, *duo_before = NULL;
  g_autofree char *coord_after = NULL, *duo_after = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *bundle_name = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  Values v;
  guint bad_line;
  int status;

  values_init (&v, c);

  /* 1. records check, as `veldwerk-cli records check DIR`. */
  dir = records_dir (c, &v);
  status = vw_test_run_cli (NULL, &out, &err, "records", "check", dir, NULL);
  if (!c->needs_study)
    {
      g_assert_cmpint (status, ==, 1);
      g_assert_true (g_str_has_prefix (out, records_file (c)));
      /* One problem, one line. */
      g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);
      assert_names_field (out, c, c->records_field ? c->records_field : c->field);
    }

  bad_line = write_rows (rows, c, &v);
  content = g_bytes_new (rows->str, rows->len);
  bundle = write_bundle (c, content);
  bundle_name = g_path_get_basename (bundle);

  close_vault (&world.w.coord);
  close_vault (&world.w.duo1);
  coord_before = vault_files (world.w.coord_path);
  duo_before = vault_files (world.w.duo1_path);
  world.w.coord = open_vault (world.w.coord_path, world.coord_key);
  world.w.duo1 = open_vault (world.w.duo1_path, world.duo_key);

  /* 2. The import, into the coordinator's study: the same verdict as the
   * check for what the files alone show, FILE:LINE:COLUMN. */
  g_assert_false (vw_vault_import_records_dir (world.w.coord, world.w.study, dir, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, records_file (c)));
  assert_names_field (error->message, c, c->records_field ? c->records_field : c->field);
  if (!c->needs_study)
    {
      g_auto(GStrv) lines = g_strsplit (out, "\n", 2);
      g_assert_cmpstr (error->message, ==, lines[0]);
    }
  g_clear_error (&error);

  /* 3. The vault's write functions, as the application's fields call them. */
  g_assert_false (vault_write (c, &v, &error));
  g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_INVALID);
  assert_names_field (error->message, c, c->field);
  g_clear_error (&error);

  /* 4. The merge of a bundle properly signed by the enrolled duo: the
   * whole bundle is refused, naming the file, the line and the field. */
  {
    const char *paths[] = { bundle, NULL };
    g_autofree char *where = g_strdup_printf ("%s, line %u: ", bundle_name, bad_line);

    report = vw_exchange_merge (world.w.coord, world.w.study, paths, NULL, NULL, NULL, &error);
    g_assert_null (report);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, where));
    assert_names_field (strstr (error->message, where) + strlen (where), c, c->field);
    g_clear_error (&error);
  }

  /* Nothing changed on either laptop: every file byte for byte. */
  close_vault (&world.w.coord);
  close_vault (&world.w.duo1);
  coord_after = vault_files (world.w.coord_path);
  duo_after = vault_files (world.w.duo1_path);
  g_assert_cmpstr (coord_before, ==, coord_after);
  g_assert_cmpstr (duo_before, ==, duo_after);
  world.w.coord = open_vault (world.w.coord_path, world.coord_key);
  world.w.duo1 = open_vault (world.w.duo1_path, world.duo_key);

  vw_test_rm_rf (dir);
  values_clear (&v);
}

/* `init --region ZZ` is refused before any file is made. */
static void
test_init_region (void)
{
  g_autofree char *path = g_build_filename (world.w.dir, "zz.vault", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };
  int status;

  status = vw_test_run_cli (env, &out, &err, "--vault", path, "init", "--study", "Zuid", "--region", "ZZ", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "region:"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The same paths accept good values: the refusals above are about the
 * values, not the way they were sent. */
static void
test_good_values (void)
{
  static const BadValue good = { "good", THING_INTERVIEW, NULL, NULL, FALSE, .date = "2026-02-11" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(GBytes) content = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  Values v;

  values_init (&v, &good);
  dir = records_dir (&good, &v);
  g_assert_cmpint (vw_test_run_cli (NULL, &out, NULL, "records", "check", dir, NULL), ==, 0);
  g_assert_true (vw_vault_import_records_dir (world.w.coord, world.w.study, dir, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vault_write (&good, &v, &error));
  g_assert_no_error (error);
  values_clear (&v);

  values_init (&v, &good);
  write_rows (rows, &good, &v);
  content = g_bytes_new (rows->str, rows->len);
  bundle = write_bundle (&good, content);
  {
    const char *paths[] = { bundle, NULL };
    report = vw_exchange_merge (world.w.coord, world.w.study, paths, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (report);
  }
  {
    g_autoptr(VwParticipant) p = vw_vault_get_participant (world.w.coord, world.w.study, v.code, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (p->pseudonym, ==, v.pseudonym);
  }
  vw_test_rm_rf (dir);
  values_clear (&v);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) own = NULL;
  g_autoptr(VwInterview) iv = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!vw_core_init (&error))
    g_error ("%s", error->message);

  /* One world for every case: a refused value changes nothing. */
  vw_test_duos_init (&world.w);
  world.coord_key = vw_secret_dup (world.w.coord->key);
  world.duo_key = vw_secret_dup (world.w.duo1->key);
  /* T0's fieldwork, on both laptops, as the coordinator set it up. */
  g_assert_true (vw_study_set_round (world.w.coord, world.w.study, "T0", "2026-01-05", "2026-03-27", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (vw_study_set_round (world.w.duo1, world.w.study, "T0", "2026-01-05", "2026-03-27", TRUE, &error));
  g_assert_no_error (error);
  own = vw_vault_get_own_device (world.w.duo1, &error);
  g_assert_no_error (error);
  world.duo_device = g_strdup (own->id);
  world.existing = vw_test_duos_interview (world.w.duo1, world.w.study, "Bestaand",
                                           (const char *[]) { "debts", "nee", NULL });
  iv = vw_vault_find_interview (world.w.duo1, world.w.study, world.existing, "T0", &error);
  g_assert_no_error (error);
  world.interview = g_strdup (iv->id);
  /* The signing key's secret, as the attacker's own laptop holds it. */
  world.duo_signing = vw_vault_dup_ed25519_secret (world.w.duo1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      g_autofree char *path = g_strdup_printf ("/validate/paths/%s", bad_values[i].name);
      g_test_add_data_func (path, &bad_values[i], test_bad_value);
    }
  g_test_add_func ("/validate/paths/init-region", test_init_region);
  g_test_add_func ("/validate/paths/good-values", test_good_values);
  status = g_test_run ();

  vw_test_duos_clear (&world.w);
  g_clear_pointer (&world.coord_key, vw_secret_free);
  g_clear_pointer (&world.duo_key, vw_secret_free);
  g_clear_pointer (&world.duo_signing, vw_secret_free);
  g_free (world.duo_device);
  g_free (world.existing);
  g_free (world.interview);
  return status;
}
