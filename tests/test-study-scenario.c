/* Studies without a server, end to end: three vaults (a coordinator and
 * two duos) made and driven with veldwerk-cli; what duos type in an
 * interview is entered through the core, as the interview screen does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw-core.h"
#include "vw-test-duos.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-vault-contacts.h"

static const char *pass_env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };

typedef struct
{
  char *dir;
  char *coord;
  char *duo1;
  char *duo2;
  char *study;
} World;

static int
runv (const char  *input,
      char       **out,
      char       **err,
      const char  *vault,
      va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;

  g_ptr_array_add (argv, (gpointer) "--vault");
  g_ptr_array_add (argv, (gpointer) vault);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return vw_test_run_cliv (pass_env, input, out, err, (const char * const *) argv->pdata);
}

/* Runs veldwerk-cli on @vault, asserts success, returns its output. */
static G_GNUC_NULL_TERMINATED char *
cli_ok (const char *vault,
        ...)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list args;
  int status;

  va_start (args, vault);
  status = runv (NULL, &out, &err, vault, args);
  va_end (args);
  if (status != 0)
    g_error ("veldwerk-cli failed (%d): %s", status, err);
  return out;
}

static G_GNUC_NULL_TERMINATED int
cli_status (char       **out,
            char       **err,
            const char  *vault,
            ...)
{
  va_list args;
  int status;

  va_start (args, vault);
  status = runv (NULL, out, err, vault, args);
  va_end (args);
  return status;
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
path_in (World      *w,
         const char *name)
{
  return g_build_filename (w->dir, name, NULL);
}

static void
enrol (World      *w,
       const char *vault,
       const char *label)
{
  g_autofree char *keys = cli_ok (vault, "keys", NULL);
  g_autofree char *recipient = field (keys, "recipient");
  g_autofree char *signing = field (keys, "signing-key");
  g_autofree char *invitation = g_strdup_printf ("%s/%s.invitation", w->dir, label);
  g_autofree char *out1 = cli_ok (w->coord, "study", "add-device", "--label", label, "--x25519", recipient,
                                  "--ed25519", signing, NULL);
  g_autofree char *out2 = cli_ok (w->coord, "study", "invite", label, "-o", invitation, NULL);
  g_autofree char *coord_keys = cli_ok (w->coord, "keys", NULL);
  g_autofree char *coord_signing = field (coord_keys, "signing-key");
  g_autofree char *out3 = NULL;
  g_autofree char *err = NULL;

  /* A key read out wrongly is refused; the right one is accepted. */
  g_assert_cmpint (cli_status (NULL, &err, vault, "study", "join", "--coordinator-key", signing, invitation, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "not the one you were given"));
  out3 = cli_ok (vault, "study", "join", "--coordinator-key", coord_signing, invitation, NULL);
  g_assert_nonnull (strstr (out3, w->study));
}

/* One duo trusts the other for handovers. */
static void
introduce (const char *vault,
           const char *other,
           const char *label)
{
  g_autofree char *keys = cli_ok (other, "keys", NULL);
  g_autofree char *keys_file = g_strconcat (other, ".keys", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  /* The key file as the other duo saved it: `veldwerk-cli keys > FILE`. */
  g_file_set_contents (keys_file, keys, -1, &error);
  g_assert_no_error (error);
  out = cli_ok (vault, "study", "add-device", "--label", label, "--keys", keys_file, NULL);
}

static void
world_init (World *w)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL, *show = NULL;

  w->dir = g_dir_make_tmp ("vw-study-XXXXXX", &error);
  g_assert_no_error (error);
  w->coord = path_in (w, "coordinator.vault");
  w->duo1 = path_in (w, "duo1.vault");
  w->duo2 = path_in (w, "duo2.vault");

  o1 = cli_ok (w->coord, "init", "--study", "Den Haag 2026", "--region", "DH", "--coordinator", "--device-name",
               "coordinator", NULL);
  o2 = cli_ok (w->duo1, "init", "--study", "eigen", "--region", "DH", "--device-name", "duo-noord", NULL);
  o3 = cli_ok (w->duo2, "init", "--study", "eigen", "--region", "DH", "--device-name", "duo-zuid", NULL);
  o4 = cli_ok (w->coord, "study", "setup", "--region", "FL", "--round", "T0:2026-01-05:2026-03-27",
               "--round", "T1:2027-01-04:2027-03-26", NULL);
  show = cli_ok (w->coord, "study", "show", NULL);
  w->study = field (show, "study");
  enrol (w, w->duo1, "duo-noord");
  enrol (w, w->duo2, "duo-zuid");
}

static void
world_clear (World *w)
{
  vw_test_rm_rf (w->dir);
  g_free (w->dir);
  g_free (w->coord);
  g_free (w->duo1);
  g_free (w->duo2);
  g_free (w->study);
}

/* Enrols a participant with a T0 interview and answers; returns the code. */
static char *
interview (const char         *vault_path,
           const char         *pseudonym,
           const char * const *answers)
{
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *study = vw_study_resolve (vault, NULL, &error);

  g_assert_no_error (error);
  return vw_test_duos_interview (vault, study, pseudonym, answers);
}

static void
set_contact (const char *vault_path,
             const char *code,
             const char *phone)
{
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *study = vw_study_resolve (vault, NULL, &error);
  VwContact contact = { (char *) phone, (char *) "bij de Kessler Stichting", (char *) "Els van de BW-locatie",
                        (char *) "Thomas de Vries", NULL };

  vw_vault_set_contact (vault, study, code, &contact, &error);
  g_assert_no_error (error);
}

static char *
interview_of (const char *vault_path,
              const char *code,
              const char *round)
{
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *study = vw_study_resolve (vault, NULL, &error);
  g_autoptr(VwInterview) iv = vw_vault_find_interview (vault, study, code, round, &error);

  g_assert_no_error (error);
  return g_strdup (iv->id);
}

static void
change_answer (const char *vault_path,
               const char *interview_id,
               const char *question,
               const char *value)
{
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;

  vw_vault_save_answer (vault, interview_id, question, value, &error);
  g_assert_no_error (error);
}

static void
link_identity (World      *w,
               const char *vault,
               const char *code,
               const char *name_and_date)
{
  const char *argv[] = { "--vault", vault, "study", "link-identity", code, NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (vw_test_run_cliv (pass_env, name_and_date, &out, &err, argv), ==, 0);
}

static gboolean
has_contact (const char *vault_path,
             const char *study,
             const char *code)
{
  g_autoptr(VwVault) vault = vw_test_open_vault (vault_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(VwContact) contact = vw_vault_get_contact (vault, study, code, &error);

  g_assert_no_error (error);
  return contact != NULL;
}

static char *
dump (const char *vault)
{
  return cli_ok (vault, "study", "dump", NULL);
}

static void
test_scenario (void)
{
  World w = { 0 };
  const char *answers_a[] = { "residence", "mo", "participation", "dagbesteding", "debts", "ja", NULL };
  const char *answers_b[] = { "residence", "bw", "participation", "geen", "debts", "nee", NULL };
  const char *answers_c[] = { "residence", "mo", "participation", "vrijwilligerswerk", NULL };
  g_autofree char *code_a = NULL, *code_b = NULL, *code_c = NULL, *iv_b = NULL;
  g_autofree char *sub1 = NULL, *sub2 = NULL, *hand = NULL, *prep = NULL, *hand2 = NULL;
  g_autofree char *merge1 = NULL, *merge_again = NULL, *merge_reverse = NULL, *merge_prep = NULL;
  g_autofree char *dump1 = NULL, *dump_again = NULL, *dump_reverse = NULL;
  g_autofree char *coord_copy = NULL, *conflicts = NULL, *o = NULL;
  g_autofree char *duo1_dump = NULL, *duo2_dump = NULL, *coord_dump_before = NULL;

  world_init (&w);
  introduce (w.duo1, w.duo2, "duo-zuid");
  introduce (w.duo2, w.duo1, "duo-noord");

  /* Fieldwork on both laptops; Tom is enrolled by both duos. */
  code_a = interview (w.duo1, "Tom", answers_a);
  code_b = interview (w.duo1, "Anna", answers_b);
  code_c = interview (w.duo2, "Karel", answers_c);
  set_contact (w.duo1, code_b, "06-12345678");
  link_identity (&w, w.duo1, code_a, "Tom de Vries\n1971-04-02\n");
  link_identity (&w, w.duo2, code_c, "  tóm  DE vries \n1971-04-02\n");

  /* Anna moves to the south duo; for a while both laptops have her T0
   * interview, and both correct the same answer differently. */
  /* The south duo submitted once before Anna arrives. */
  {
    g_autofree char *early = path_in (&w, "duo2-early.submission");
    g_free (cli_ok (w.duo2, "submit", "-o", early, NULL));
  }

  hand = path_in (&w, "anna.handover");
  g_free (cli_ok (w.duo1, "study", "handover", "--device", "duo-zuid", "-o", hand, code_b, NULL));
  o = cli_ok (w.duo2, "merge", hand, NULL);
  g_assert_nonnull (strstr (o, "Merged 1 bundle"));
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (w.duo2);
    g_autoptr(GError) error = NULL;
    g_autoptr(VwContact) contact = vw_vault_get_contact (vault, w.study, code_b, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (contact->phone, ==, "06-12345678");
    g_assert_cmpstr (contact->real_name, ==, "Thomas de Vries");
  }
  iv_b = interview_of (w.duo1, code_b, "T0");
  change_answer (w.duo1, iv_b, "debts", "onbekend");
  change_answer (w.duo2, iv_b, "debts", "ja");

  sub1 = path_in (&w, "duo1.submission");
  sub2 = path_in (&w, "duo2.submission");
  g_free (cli_ok (w.duo1, "submit", "-o", sub1, NULL));
  g_free (cli_ok (w.duo2, "submit", "-o", sub2, NULL));

  /* Anna's answers reached the south laptop with their old times; its
   * next submission carries them anyway. */
  {
    g_autoptr(VwVault) coord = vw_test_open_vault (w.coord);
    g_autoptr(GError) error = NULL;
    g_autoptr(VwBundle) bundle = vw_study_open_bundle (coord, sub2, VW_BUNDLE_KIND_SUBMISSION, w.study, &error);
    g_autoptr(GBytes) content = NULL;
    g_autofree char *text = NULL;
    g_autofree char *row = g_strdup_printf ("A\t%s\tresidence\tbw\t", iv_b);

    g_assert_no_error (error);
    content = vw_bundle_load_content (bundle, 16 * 1024 * 1024, &error);
    g_assert_no_error (error);
    text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
    g_assert_nonnull (strstr (text, row));
  }

  /* A copy of the coordinator from before the merge, for the other order. */
  coord_copy = path_in (&w, "coordinator-copy.vault");
  vw_test_copy_file (w.coord, coord_copy);
  coord_dump_before = dump (w.coord);

  merge1 = cli_ok (w.coord, "merge", sub1, sub2, NULL);
  g_test_message ("%s", merge1);
  g_assert_nonnull (strstr (merge1, "Merged 2 bundles"));
  g_assert_nonnull (strstr (merge1, "1 new conflicts"));
  {
    g_autofree char *dup = g_strdup_printf ("possible duplicate: %s %s", MIN (g_strcmp0 (code_a, code_c), 0) < 0
                                            ? code_a : code_c,
                                            g_strcmp0 (code_a, code_c) < 0 ? code_c : code_a);
    g_assert_nonnull (strstr (merge1, dup));
  }
  conflicts = cli_ok (w.coord, "conflicts", NULL);
  g_assert_cmpuint (vw_test_count_lines (conflicts, "conflict: answer"), ==, 2);
  g_assert_nonnull (strstr (conflicts, "“onbekend”"));
  g_assert_nonnull (strstr (conflicts, "“ja”"));
  g_assert_nonnull (strstr (conflicts, iv_b));

  /* The coordinator holds the union: three participants, their
   * interviews, answers, notes and consents. */
  dump1 = dump (w.coord);
  duo1_dump = dump (w.duo1);
  duo2_dump = dump (w.duo2);
  g_assert_cmpuint (vw_test_count_lines (dump1, "P\t"), ==, 3);
  g_assert_cmpuint (vw_test_count_lines (dump1, "I\t"), ==, 3);
  g_assert_cmpuint (vw_test_count_lines (dump1, "A\t"), ==, 8);
  g_assert_cmpuint (vw_test_count_lines (dump1, "N\t"), ==, 3);
  g_assert_cmpuint (vw_test_count_lines (dump1, "C\t"), ==, 3);
  g_assert_cmpuint (vw_test_count_lines (dump1, "D\t"), ==, 1);
  /* Every participant row of a duo is in the coordinator's dump. */
  {
    g_auto(GStrv) lines = g_strsplit (duo1_dump, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "P\t") || g_str_has_prefix (lines[i], "I\t") ||
          g_str_has_prefix (lines[i], "N\t") || g_str_has_prefix (lines[i], "C\t"))
        g_assert_nonnull (strstr (dump1, lines[i]));
  }
  /* Names never reach the coordinator. */
  g_assert_null (strstr (dump1, "Vries"));
  g_assert_null (strstr (dump1, "06-12345678"));

  /* Merging again changes nothing and says why. */
  merge_again = cli_ok (w.coord, "merge", sub2, sub1, NULL);
  g_assert_nonnull (strstr (merge_again, "already merged"));
  g_assert_nonnull (strstr (merge_again, "Merged 0 bundles"));
  dump_again = dump (w.coord);
  g_assert_cmpstr (dump_again, ==, dump1);

  /* The other order gives the same database. */
  merge_reverse = cli_ok (coord_copy, "merge", sub2, sub1, NULL);
  dump_reverse = dump (coord_copy);
  g_assert_cmpstr (dump_reverse, ==, dump1);
  g_assert_cmpstr (coord_dump_before, !=, dump1);
  {
    /* One at a time, in the other order again. */
    g_autofree char *copy2 = path_in (&w, "coordinator-copy2.vault");
    g_autofree char *d = NULL;
    vw_test_rm_rf (coord_copy);
    g_free (merge_reverse);
    merge_reverse = NULL;
    g_free (dump_reverse);
    dump_reverse = NULL;
    vw_test_copy_file (w.coord, copy2);
    d = dump (copy2);
    g_assert_cmpstr (d, ==, dump1);
  }

  /* Deciding on the possible duplicate: a group that is not one is
   * refused and changes nothing; the real group, kept apart, is no longer
   * listed, and a later merge does not report it again. */
  {
    g_autofree char *before = dump (w.coord);
    g_autofree char *out = NULL, *err = NULL, *listed = NULL, *after = NULL;

    g_assert_cmpint (cli_status (&out, &err, w.coord, "conflicts", "keep-apart", code_a, code_b, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "not a group of possible duplicates"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli_status (&out, &err, w.coord, "conflicts", "join", code_b, code_a, code_c, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "not a group of possible duplicates"));
    g_free (after);
    after = dump (w.coord);
    g_assert_cmpstr (after, ==, before);
    g_free (cli_ok (w.coord, "conflicts", "keep-apart", code_c, code_a, NULL));
    listed = cli_ok (w.coord, "conflicts", NULL);
    g_assert_null (strstr (listed, "possible duplicate"));
    g_free (after);
    after = cli_ok (w.coord, "merge", sub1, NULL);
    g_assert_null (strstr (after, "possible duplicate"));
    g_assert_cmpstr (before, ==, dump1);
  }

  /* Resolving keeps the decision and drops the conflict. */
  g_free (cli_ok (w.coord, "conflicts", "resolve", "answer", iv_b, "debts", "--value", "ja", NULL));
  g_free (conflicts);
  conflicts = cli_ok (w.coord, "conflicts", NULL);
  g_assert_cmpuint (vw_test_count_lines (conflicts, "conflict: "), ==, 0);

  /* Round preparation: the north duo gets Karel (enrolled in the south)
   * for T1, with his T0 answers for the follow-up questions. */
  prep = path_in (&w, "t1-noord.round");
  g_free (cli_ok (w.coord, "study", "prepare-round", "--device", "duo-noord", "--round", "T1", "-o", prep, code_c,
                  NULL));
  merge_prep = cli_ok (w.duo1, "merge", prep, NULL);
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (w.duo1);
    g_autoptr(GError) error = NULL;
    g_autoptr(VwInterview) iv = vw_vault_find_interview (vault, w.study, code_c, "T0", &error);
    g_autofree char *value = NULL;

    g_assert_no_error (error);
    value = vw_vault_get_answer (vault, iv->id, "participation", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (value, ==, "vrijwilligerswerk");
  }

  /* Handover with removal: Tom goes to the south duo with his contact
   * details. He stays on the north laptop, read-only, until the south
   * duo's receipt is merged there; then he leaves it. */
  set_contact (w.duo1, code_a, "06-87654321");
  hand2 = path_in (&w, "tom.handover");
  {
    g_autofree char *out = cli_ok (w.duo1, "study", "handover", "--device", "duo-zuid", "--remove", "-o", hand2,
                                   code_a, NULL);
    g_autofree char *listed = cli_ok (w.duo1, "study", "handovers", NULL);
    g_autofree char *receipt = path_in (&w, "tom.receipt");
    g_autofree char *wrote = g_strdup_printf ("Wrote the receipt for “duo-noord” to %s", receipt);
    g_autofree char *merged = NULL, *removed = NULL, *again = NULL;

    g_assert_nonnull (strstr (out, "read it back"));
    g_assert_nonnull (strstr (out, "read-only, until the receipt from “duo-zuid” is merged"));
    g_assert_nonnull (strstr (listed, "awaiting receipt"));
    g_assert_nonnull (strstr (listed, code_a));
    g_assert_true (has_contact (w.duo1, w.study, code_a));

    /* `merge` writes the receipt beside the handover. */
    merged = cli_ok (w.duo2, "merge", hand2, NULL);
    g_assert_nonnull (strstr (merged, wrote));
    g_assert_true (g_file_test (receipt, G_FILE_TEST_EXISTS));
    g_assert_true (has_contact (w.duo1, w.study, code_a));

    removed = cli_ok (w.duo1, "merge", receipt, NULL);
    g_assert_nonnull (strstr (removed, "The receipt from “duo-zuid” arrived: removed 1 participant"));
    g_free (listed);
    listed = cli_ok (w.duo1, "study", "handovers", NULL);
    g_assert_nonnull (strstr (listed, "received "));
    again = cli_ok (w.duo1, "merge", receipt, NULL);
    g_assert_nonnull (strstr (again, "already merged"));
  }
  {
    g_autoptr(VwVault) north = vw_test_open_vault (w.duo1);
    g_autoptr(VwVault) south = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(VwParticipant) gone = vw_vault_get_participant (north, w.study, code_a, &error);
    g_autoptr(VwContact) contact = NULL;
    g_autoptr(VwInterview) iv = NULL;

    g_assert_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND);
    g_assert_null (gone);
    g_clear_error (&error);
    g_clear_object (&north);
    south = vw_test_open_vault (w.duo2);
    contact = vw_vault_get_contact (south, w.study, code_a, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (contact->phone, ==, "06-87654321");
    iv = vw_vault_find_interview (south, w.study, code_a, "T0", &error);
    g_assert_no_error (error);
  }

  world_clear (&w);
}

static void
free_marker (gpointer data)
{
  VwTestMarker *marker = data;

  g_free (marker->text);
  g_free (marker);
}

/* The decrypted submission holds no contact details or names. */
static void
test_submission_privacy (void)
{
  World w = { 0 };
  g_autofree char *sub = NULL;
  g_autoptr(GPtrArray) markers = vw_test_markers ("privacy");
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwBundle) bundle = NULL;
  g_autoptr(VwVault) coord = NULL;
  VwTestFill fill;
  const char *never[] = { "phone", "usual-place", "care-contact", "real-name", "remarks", "interviewer-name",
                          "device-label" };
  const char *carried[] = { "pseudonym", "answer-q1", "note-general", "quote" };
  g_autofree char *text = NULL;

  g_ptr_array_set_free_func (markers, free_marker);
  w.dir = g_dir_make_tmp ("vw-study-XXXXXX", &error);
  g_assert_no_error (error);
  w.coord = path_in (&w, "coordinator.vault");
  w.duo1 = path_in (&w, "duo1.vault");
  g_free (cli_ok (w.coord, "init", "--study", "Den Haag", "--region", "DH", "--coordinator", NULL));
  g_free (cli_ok (w.duo1, "init", "--study", "eigen", "--region", "DH", NULL));
  g_free (cli_ok (w.coord, "study", "setup", "--name", "Den Haag 2026-2030", NULL));
  {
    g_autofree char *show = cli_ok (w.coord, "study", "show", NULL);
    g_autofree char *name = field (show, "name");
    w.study = field (show, "study");
    g_assert_cmpstr (name, ==, "Den Haag 2026-2030");
  }
  enrol (&w, w.duo1, "duo");
  {
    g_autoptr(VwVault) duo = vw_test_open_vault (w.duo1);
    vw_test_fill_vault (duo, w.study, "privacy", &fill);
  }
  sub = path_in (&w, "duo.submission");
  g_free (cli_ok (w.duo1, "submit", "-o", sub, NULL));

  coord = vw_test_open_vault (w.coord);
  bundle = vw_study_open_bundle (coord, sub, VW_BUNDLE_KIND_SUBMISSION, w.study, &error);
  g_assert_no_error (error);
  content = vw_bundle_load_content (bundle, 64 * 1024 * 1024, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  for (guint i = 0; i < markers->len; i++)
    {
      VwTestMarker *m = g_ptr_array_index (markers, i);
      for (guint j = 0; j < G_N_ELEMENTS (never); j++)
        if (g_str_equal (m->what, never[j]))
          g_assert_null (strstr (text, m->text));
      for (guint j = 0; j < G_N_ELEMENTS (carried); j++)
        if (g_str_equal (m->what, carried[j]))
          g_assert_nonnull (strstr (text, m->text));
    }
  /* The same content merged on a coordinator whose study lacks T1 is
   * refused, naming the line. */
  {
    g_autofree char *err = NULL;
    g_assert_cmpint (cli_status (NULL, &err, w.coord, "merge", sub, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "line"));
    g_assert_nonnull (strstr (err, "T1"));
  }
  vw_test_fill_clear (&fill);
  g_clear_object (&coord);
  world_clear (&w);
}

static char *
make_submission (World      *w,
                 const char *vault,
                 const char *name)
{
  const char *answers[] = { "residence", "mo", "debts", "ja", NULL };
  g_autofree char *code = interview (vault, name, answers);
  char *sub = g_strdup_printf ("%s/%s.submission", w->dir, name);

  g_free (cli_ok (vault, "submit", "-o", sub, NULL));
  return sub;
}

static void
assert_rejected (World      *w,
                 const char *file,
                 const char *reason)
{
  g_autofree char *before = vw_test_vault_checksums (w->coord);
  g_autofree char *after = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = cli_status (&out, &err, w->coord, "merge", file, NULL);

  g_test_message ("%s: %s", file, err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "Rejected"));
  g_assert_nonnull (strstr (err, reason));
  after = vw_test_vault_checksums (w->coord);
  g_assert_cmpstr (before, ==, after);
}

static void
write_forged (const char *path,
              const char *study,
              const char *recipient_text,
              const VwSecret *signing,
              GBytes     *content)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (recipients, vw_age_recipient_parse (recipient_text, &error));
  g_assert_no_error (error);
  vw_bundle_write_bytes (path, VW_BUNDLE_KIND_SUBMISSION, study, signing, recipients, content, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_rejections (void)
{
  World w = { 0 };
  g_autofree char *good = NULL, *late = NULL, *bytes = NULL;
  g_autofree char *tampered = NULL, *truncated = NULL, *forged = NULL, *wrong_study = NULL;
  g_autofree char *before = NULL, *after = NULL, *out = NULL, *recipient = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  world_init (&w);
  good = make_submission (&w, w.duo1, "Tom");
  late = make_submission (&w, w.duo2, "Karel");

  g_file_get_contents (good, &bytes, &len, &error);
  g_assert_no_error (error);

  /* Tampered: one byte of the payload flipped. */
  tampered = path_in (&w, "tampered.submission");
  bytes[len / 2] ^= 0x01;
  g_file_set_contents (tampered, bytes, len, &error);
  g_assert_no_error (error);
  bytes[len / 2] ^= 0x01;
  assert_rejected (&w, tampered, "damaged");

  /* Truncated: cut off halfway. */
  truncated = path_in (&w, "truncated.submission");
  g_file_set_contents (truncated, bytes, len / 2, &error);
  g_assert_no_error (error);
  assert_rejected (&w, truncated, "cut short");

  /* Forged and wrong study: the real content, re-signed. */
  {
    g_autoptr(VwVault) coord = vw_test_open_vault (w.coord);
    g_autoptr(VwBundle) bundle = vw_study_open_bundle (coord, good, VW_BUNDLE_KIND_SUBMISSION, w.study, &error);
    g_assert_no_error (error);
    content = vw_bundle_load_content (bundle, 64 * 1024 * 1024, &error);
    g_assert_no_error (error);
    recipient = vw_vault_get_age_recipient (coord, &error);
    g_assert_no_error (error);
  }
  {
    guint8 pk[VW_BUNDLE_PUBLIC_KEY_SIZE];
    g_autoptr(VwSecret) stranger = vw_bundle_signing_key_generate (pk);
    forged = path_in (&w, "forged.submission");
    write_forged (forged, w.study, recipient, stranger, content);
    assert_rejected (&w, forged, "trusted");
  }
  {
    g_autoptr(VwVault) duo = vw_test_open_vault (w.duo1);
    g_autoptr(VwSecret) signing = vw_vault_dup_ed25519_secret (duo, &error);
    g_autofree char *with_contact = path_in (&w, "with-contact.submission");
    g_autofree char *bad_escape = path_in (&w, "bad-escape.submission");
    g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
    g_autoptr(GBytes) changed = NULL;
    guint lines = 0;

    g_assert_no_error (error);
    wrong_study = path_in (&w, "wrong-study.submission");
    write_forged (wrong_study, "0123456789abcdef0123456789abcdef", recipient, signing, content);
    g_clear_object (&duo);
    assert_rejected (&w, wrong_study, "study");

    /* Properly signed by the enrolled duo, but with contact details: the
     * whole bundle is refused, naming the line. */
    for (const char *p = text->str; *p; p++)
      lines += *p == '\n';
    g_string_append (text, "K\tDH-XXXXX\t06-11111111\t\\N\t\\N\t\\N\t\\N\n");
    changed = g_bytes_new (text->str, text->len);
    write_forged (with_contact, w.study, recipient, signing, changed);
    {
      g_autofree char *line = g_strdup_printf ("line %u: contact details may travel only in a handover", lines + 1);
      assert_rejected (&w, with_contact, line);
    }
    g_string_truncate (text, g_bytes_get_size (content));
    g_string_append (text, "A\tx\\qy\tq1\tv\t1\t2026-01-01T00:00:00Z\t\\N\n");
    g_clear_pointer (&changed, g_bytes_unref);
    changed = g_bytes_new (text->str, text->len);
    write_forged (bad_escape, w.study, recipient, signing, changed);
    assert_rejected (&w, bad_escape, "a badly escaped field");
  }

  /* The good one merges; replayed, it changes nothing. */
  out = cli_ok (w.coord, "merge", good, NULL);
  g_assert_nonnull (strstr (out, "Merged 1 bundle"));
  before = vw_test_vault_checksums (w.coord);
  g_free (out);
  out = cli_ok (w.coord, "merge", good, NULL);
  g_assert_nonnull (strstr (out, "already merged"));
  after = vw_test_vault_checksums (w.coord);
  g_assert_cmpstr (before, ==, after);

  /* Revoked: the south duo's submission, not merged before, is refused. */
  g_free (cli_ok (w.coord, "study", "revoke", "duo-zuid", NULL));
  assert_rejected (&w, late, "trusted");

  world_clear (&w);
}

/* The reproduction with veldwerk-cli: `study handover --remove`,
 * the file cut short on its way, refused by the receiver (whose vault is
 * byte-identical after). The sender still holds the participant with
 * every record; the handover can be cancelled, and made again. */
static void
test_handover_truncated (void)
{
  World w = { 0 };
  const char *answers[] = { "residence", "mo", "participation", "dagbesteding", NULL };
  g_autofree char *code = NULL, *hand = NULL, *cut = NULL, *bytes = NULL, *before = NULL, *after = NULL;
  g_autofree char *dump_before = NULL, *dump_after = NULL, *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  world_init (&w);
  introduce (w.duo1, w.duo2, "duo-zuid");
  introduce (w.duo2, w.duo1, "duo-noord");
  code = interview (w.duo1, "Tom", answers);
  set_contact (w.duo1, code, "06-87654321");
  dump_before = dump (w.duo1);

  hand = path_in (&w, "tom.handover");
  g_free (cli_ok (w.duo1, "study", "handover", "--device", "duo-zuid", "--remove", "-o", hand, code, NULL));
  g_assert_true (g_file_get_contents (hand, &bytes, &len, &error));
  cut = path_in (&w, "tom-cut.handover");
  g_assert_true (g_file_set_contents (cut, bytes, len / 2, &error));

  before = vw_test_vault_checksums (w.duo2);
  g_assert_cmpint (cli_status (&out, &err, w.duo2, "merge", cut, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Rejected"));
  after = vw_test_vault_checksums (w.duo2);
  g_assert_cmpstr (after, ==, before);

  /* Tom is still on the sender's laptop, every record and contact. */
  dump_after = dump (w.duo1);
  g_assert_cmpstr (dump_after, ==, dump_before);
  g_assert_nonnull (strstr (dump_after, code));
  g_assert_true (has_contact (w.duo1, w.study, code));
  {
    g_autoptr(VwVault) vault = vw_test_open_vault (w.duo1);
    g_autoptr(VwContact) contact = vw_vault_get_contact (vault, w.study, code, &error);
    g_autoptr(VwInterview) iv = vw_vault_find_interview (vault, w.study, code, "T0", &error);
    g_autofree char *answer = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (contact->phone, ==, "06-87654321");
    answer = vw_vault_get_answer (vault, iv->id, "participation", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (answer, ==, "dagbesteding");
  }

  /* Handed over again without cancelling: refused; after cancelling, the
   * new file goes through. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_status (&out, &err, w.duo1, "study", "handover", "--device", "duo-zuid", "--remove", "-o",
                               cut, code, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "awaits its receipt"));
  g_free (cli_ok (w.duo1, "study", "cancel-handover", code, NULL));
  g_free (hand);
  hand = path_in (&w, "tom-again.handover");
  g_free (cli_ok (w.duo1, "study", "handover", "--device", "duo-zuid", "--remove", "-o", hand, code, NULL));
  g_free (out);
  {
    g_autofree char *receipt = path_in (&w, "tom-again.receipt");

    out = cli_ok (w.duo2, "merge", "--receipt", receipt, hand, NULL);
    g_assert_nonnull (strstr (out, receipt));
    g_assert_true (g_file_test (receipt, G_FILE_TEST_EXISTS));
  }

  world_clear (&w);
}

/* A merge killed halfway through its transaction leaves the vault as it
 * was. The merge runs in a child process that stops in the middle. */
static void
stall (guint64  done,
       guint64  total,
       gpointer user_data)
{
  int fd = GPOINTER_TO_INT (user_data);

  if (done * 2 >= total || done >= 64 * 1024)
    {
      char c = 'h';
      g_assert_cmpint (write (fd, &c, 1), ==, 1);
      for (;;)
        pause ();
    }
}

typedef struct
{
  GThread *thread;
  guint    calls;
  guint64  last_done;
  guint64  total;
} AsyncState;

static void
async_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->thread);
  g_assert_cmpuint (done, >=, state->last_done);
  state->calls++;
  state->last_done = done;
  state->total = total;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_killed_merge (void)
{
  World w = { 0 };
  g_autofree char *sub = NULL, *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];
  pid_t pid;
  int status = 0;
  char c = 0;

  world_init (&w);
  {
    /* Enough rows for progress to be reported in the middle. */
    g_autoptr(VwVault) duo = vw_test_open_vault (w.duo1);
    g_autofree char *study = vw_study_resolve (duo, NULL, &error);

    g_assert_no_error (error);
    vw_vault_begin (duo, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 60; i++)
      {
        g_autofree char *pseudonym = g_strdup_printf ("Deelnemer %u", i);
        g_autoptr(VwParticipant) p = vw_vault_create_participant (duo, study, NULL, pseudonym, "DH", &error);
        g_autoptr(VwInterview) iv = NULL;

        g_assert_no_error (error);
        iv = vw_vault_start_interview (duo, study, p->code, "T0", NULL, NULL, NULL, NULL, &error);
        g_assert_no_error (error);
        for (guint q = 0; q < 150; q++)
          {
            g_autofree char *question = g_strdup_printf ("q%u", q);
            vw_vault_save_answer (duo, iv->id, question, "een antwoord", &error);
            g_assert_no_error (error);
          }
      }
    vw_vault_commit (duo, &error);
    g_assert_no_error (error);
  }
  sub = path_in (&w, "big.submission");
  g_free (cli_ok (w.duo1, "submit", "-o", sub, NULL));
  before = dump (w.coord);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(VwVault) coord = vw_test_open_vault (w.coord);
      const char *paths[] = { sub, NULL };

      close (fds[0]);
      vw_exchange_merge (coord, w.study, paths, stall, GINT_TO_POINTER (fds[1]), NULL, NULL);
      _exit (3); /* never reached: stall() waits to be killed */
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  close (fds[0]);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  after = dump (w.coord);
  g_assert_cmpstr (after, ==, before);
  {
    g_autofree char *out = cli_ok (w.coord, "verify", NULL);
  }

  /* The merge the application runs: in a worker, with progress here. */
  {
    g_autoptr(VwVault) coord = vw_test_open_vault (w.coord);
    g_autoptr(GMainContext) context = g_main_context_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(VwMergeReport) report = NULL;
    g_autofree char *full = NULL;
    const char *paths[] = { sub, NULL };
    AsyncState state = { g_thread_self (), 0, 0, 0 };

    g_main_context_push_thread_default (context);
    vw_exchange_merge_async (coord, w.study, paths, async_progress, &state, NULL, store_result, &result);
    while (result == NULL)
      g_main_context_iteration (context, TRUE);
    report = vw_exchange_merge_finish (coord, result, &error);
    g_assert_no_error (error);
    g_main_context_pop_thread_default (context);
    g_assert_cmpuint (report->bundles, ==, 1);
    g_assert_cmpuint (report->added, >=, 60 * 150);
    g_assert_cmpuint (state.calls, >, 2);
    g_assert_cmpuint (state.last_done, ==, state.total);
    /* The caller's own connection sees what the worker committed. */
    full = vw_exchange_canonical_dump (coord, w.study, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (vw_test_count_lines (full, "A\t"), ==, 60 * 150);
  }
  world_clear (&w);
}

/* study setup adds or updates a round through the same core call as the
 * Study tab, refusing a window that ends before it starts; add-device
 * reads the keys file that `keys` (and the Join page) write. */
static void
test_setup_checks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vw-study-setup-XXXXXX", &error);
  g_autofree char *coord = g_build_filename (dir, "coordinator.vault", NULL);
  g_autofree char *duo = g_build_filename (dir, "duo.vault", NULL);
  g_autofree char *keys_path = g_build_filename (dir, "keys.txt", NULL);
  g_autofree char *half_path = g_build_filename (dir, "half.txt", NULL);
  g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL, *o5 = NULL, *keys = NULL, *show = NULL;
  g_autofree char *before = NULL, *after = NULL, *out = NULL, *err = NULL, *half = NULL;

  g_assert_no_error (error);
  o1 = cli_ok (coord, "init", "--study", "Setup", "--region", "DH", "--coordinator", NULL);
  o2 = cli_ok (duo, "init", "--study", "eigen", "--region", "DH", "--device-name", "duo", NULL);
  o3 = cli_ok (coord, "study", "setup", "--round", "T1:2026-01-05:2026-03-27", NULL);

  before = dump (coord);
  g_assert_cmpint (cli_status (&out, &err, coord, "study", "setup", "--round", "T1:2026-03-01:2026-02-01", NULL),
                   !=, 0);
  g_assert_nonnull (strstr (err, "2026-02-01"));
  after = dump (coord);
  g_assert_cmpstr (after, ==, before);

  o4 = cli_ok (coord, "study", "setup", "--round", "T1:2026-01-05:2026-04-30", NULL);
  show = cli_ok (coord, "study", "show", NULL);
  g_assert_nonnull (strstr (show, "round: T1 2026-01-05 2026-04-30\n"));

  keys = cli_ok (duo, "keys", NULL);
  g_assert_true (g_file_set_contents (keys_path, keys, -1, &error));
  half = g_strndup (keys, strstr (keys, "signing-key:") - keys);
  g_assert_true (g_file_set_contents (half_path, half, -1, &error));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_status (&out, &err, coord, "study", "add-device", "--label", "duo", "--keys", half_path, NULL),
                   !=, 0);
  g_assert_nonnull (strstr (err, half_path));
  g_assert_nonnull (strstr (err, "signing-key:"));
  o5 = cli_ok (coord, "study", "add-device", "--label", "duo", "--keys", keys_path, NULL);
  g_clear_pointer (&show, g_free);
  show = cli_ok (coord, "study", "show", NULL);
  g_assert_nonnull (strstr (show, " duo\n"));

  vw_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/study/scenario", test_scenario);
  g_test_add_func ("/study/submission-privacy", test_submission_privacy);
  g_test_add_func ("/study/rejections", test_rejections);
  g_test_add_func ("/study/killed-merge", test_killed_merge);
  g_test_add_func ("/study/handover-truncated", test_handover_truncated);
  g_test_add_func ("/study/setup-checks", test_setup_checks);
  return g_test_run ();
}
