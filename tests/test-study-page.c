/* Display test: a study set up, joined and revoked through the windows of
 * two real vaults (a coordinator's and a duo's without a study), with the
 * real keys file, invitation and core trust check. Runs once per
 * interface language (LANGUAGE=en, nl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vw-add-device-dialog.h"
#include "vw-create-vault-page.h"
#include "vw-device-keys-group.h"
#include "vw-join-page.h"
#include "vw-study-page.h"
#include "vw-test-util.h"
#include "vw-test-vault.h"
#include "vw-test-widgets.h"
#include "vw-window.h"

/* Types into an entry row with an apply button and applies it. */
static void
apply (GtkWidget  *root,
       const char *title,
       const char *text)
{
  vw_test_type_into (root, title, text);
  g_signal_emit_by_name (vw_test_row (root, title), "apply");
}

static gboolean
is_window_title (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return ADW_IS_WINDOW_TITLE (widget);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_error_names (const char *error,
                    const char *what)
{
  if (error == NULL)
    g_error ("No error shown, expected one naming “%s”", what);
  if (strstr (error, what) == NULL)
    g_error ("The error “%s” does not name “%s”", error, what);
}

static VwVault *
create_vault (const char *path,
              const char *study_name)
{
  g_autoptr(VwSecret) passphrase = vw_test_passphrase ();
  g_autoptr(GError) error = NULL;
  VwVaultCreateOptions options = { 0 };
  VwVault *vault;

  options.study_name = study_name;
  options.study_region = "DH";
  options.study_role = VW_STUDY_ROLE_COORDINATOR;
  vault = vw_vault_create (path, passphrase, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  return vault;
}

static VwWindow *
window_for (VwVault *vault)
{
  VwWindow *window = g_object_new (VW_TYPE_WINDOW, NULL);

  gtk_window_present (GTK_WINDOW (window));
  vw_window_take_vault (window, vault);
  spin ();
  return window;
}

static gboolean
recovery_shown (gpointer page)
{
  return vw_create_vault_page_get_recovery_code (page) != NULL;
}

static gboolean
page_is_join (gpointer window)
{
  return g_strcmp0 (vw_window_get_page (window), "join") == 0;
}

/* A duo's first run: the create page's duo choice makes a vault without a
 * study, and the window asks to join one. */
static VwWindow *
duo_first_run (const char  *path,
               VwVault    **vault)
{
  VwWindow *window = g_object_new (VW_TYPE_WINDOW, NULL);
  GtkWidget *create = vw_window_get_page_widget (window, "create");
  g_autofree char *last = NULL;
  const char *code;

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "create-vault", NULL);
  vw_create_vault_page_reset (VW_CREATE_VAULT_PAGE (create), path);
  g_assert_true (gtk_check_button_get_active (
    GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (
      vw_test_row (create, _("We are an interview duo")))))));
  g_assert_false (gtk_widget_get_mapped (vw_test_row (create, _("Study name"))));
  vw_test_type_into (create, _("Passphrase"), VW_TEST_PASSPHRASE);
  vw_test_type_into (create, _("Type it again"), VW_TEST_PASSPHRASE);
  vw_test_click (vw_test_button (create, _("_Create Vault")));
  g_assert_true (vw_test_wait_for (recovery_shown, create));
  code = vw_create_vault_page_get_recovery_code (VW_CREATE_VAULT_PAGE (create));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (vw_test_find_widget (create, vw_test_check_labelled,
                                                                      _("I _wrote the recovery code down"))),
                               TRUE);
  vw_test_type_into (create, _("Type the last group from your paper"), strrchr (code, '-') + 1);
  vw_test_click (vw_test_button (create, _("C_ontinue")));
  g_assert_true (vw_test_wait_for (page_is_join, window));
  *vault = g_object_ref (vw_window_get_vault (window));
  g_assert_cmpstr (vw_vault_get_path (*vault), ==, path);
  return window;
}

static VwRound *
find_round (VwVault    *vault,
            const char *study,
            const char *label,
            guint      *n_rounds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = vw_vault_list_rounds (vault, study, &error);

  g_assert_no_error (error);
  *n_rounds = rounds->len;
  for (guint i = 0; i < rounds->len; i++)
    if (g_strcmp0 (((VwRound *) g_ptr_array_index (rounds, i))->label, label) == 0)
      return g_ptr_array_steal_index (rounds, i);
  return NULL;
}

typedef struct
{
  char *dir;
  char *coord_path;
  char *duo_path;
  char *attacker_path;
  char *keys_path;
  char *invitation_path;
  char *forged_path;
  char *study;
  char *coordinator_key;
  char *coordinator_fingerprint;
  char *attacker_fingerprint;
  char *device;
} Flow;

/* The coordinator edits the setup in the Study tab; every bad value is
 * refused inline, naming the field, and changes nothing. */
static void
coordinator_setup (VwWindow *window,
                   Flow     *flow)
{
  VwVault *vault = vw_window_get_vault (window);
  GtkWidget *page = vw_window_get_page_widget (window, "study");
  g_autoptr(GError) error = NULL;
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(VwRound) t1 = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(VwAgeIdentity) identity = vw_age_identity_generate ();
  g_autoptr(VwAgeRecipient) other = vw_age_identity_to_recipient (identity);
  g_autofree char *second = vw_age_recipient_to_string (other);
  g_autofree char *before = NULL;
  guint n_rounds;

  g_assert_cmpstr (vw_window_get_page (window), ==, "main");
  flow->study = g_strdup (vw_window_get_study (window));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, _("Role")))), ==, _("Coordinator"));
  g_assert_true (gtk_widget_get_visible (vw_test_row (page, _("Add a region (code, such as UT)"))));

  /* Regions: an unknown code is refused, a codebook one is added. */
  before = vw_test_vault_checksums (flow->coord_path);
  apply (page, _("Add a region (code, such as UT)"), "utrecht");
  {
    g_autofree char *field = g_strdup_printf (_("Region: %s"), "");
    assert_error_names (vw_study_page_get_error (VW_STUDY_PAGE (page)), field);
  }
  apply (page, _("Add a region (code, such as UT)"), "UT");
  g_assert_null (vw_study_page_get_error (VW_STUDY_PAGE (page)));

  /* Rename. */
  apply (page, _("Study name"), "Buiten slapen");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, _("Name")))), ==, "Buiten slapen");

  /* Rounds: an end before the start and a second T0 are refused, naming
   * the field; then T1 with its window. */
  g_clear_pointer (&before, g_free);
  before = vw_test_vault_checksums (flow->coord_path);
  vw_test_type_into (page, _("Round"), "T1");
  vw_test_type_into (page, _("Fieldwork start"), "2026-03-01");
  vw_test_type_into (page, _("Fieldwork end"), "2026-02-01");
  vw_test_click (vw_test_button (page, _("_Add Round")));
  assert_error_names (vw_study_page_get_error (VW_STUDY_PAGE (page)), _("Fieldwork end"));
  g_assert_true (gtk_widget_has_css_class (vw_test_row (page, _("Fieldwork end")), "error"));
  vw_test_type_into (page, _("Fieldwork end"), "2026-13-01");
  vw_test_click (vw_test_button (page, _("_Add Round")));
  assert_error_names (vw_study_page_get_error (VW_STUDY_PAGE (page)), "2026-13-01");
  vw_test_type_into (page, _("Round"), "T0");
  vw_test_type_into (page, _("Fieldwork end"), "2026-04-15");
  vw_test_click (vw_test_button (page, _("_Add Round")));
  assert_error_names (vw_study_page_get_error (VW_STUDY_PAGE (page)), _("Round"));
  {
    g_autofree char *after = vw_test_vault_checksums (flow->coord_path);
    g_assert_cmpstr (after, ==, before);
  }
  vw_test_type_into (page, _("Round"), "T1");
  vw_test_click (vw_test_button (page, _("_Add Round")));
  g_assert_null (vw_study_page_get_error (VW_STUDY_PAGE (page)));
  t1 = find_round (vault, flow->study, "T1", &n_rounds);
  g_assert_nonnull (t1);
  g_assert_cmpuint (n_rounds, ==, 2);
  g_assert_cmpstr (t1->fieldwork_start, ==, "2026-03-01");
  g_assert_cmpstr (t1->fieldwork_end, ==, "2026-04-15");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (vw_test_row (page, _("Round")))), ==, "T2");

  /* A round's window is edited in its own row. */
  {
    GtkWidget *t1_row = vw_test_row (page, "T1");
    vw_test_type_into (t1_row, _("Fieldwork end"), "2026-04-30");
    vw_test_click (vw_test_button (t1_row, _("_Save Window")));
    g_clear_pointer (&t1, vw_round_free);
    t1 = find_round (vault, flow->study, "T1", &n_rounds);
    g_assert_cmpstr (t1->fieldwork_end, ==, "2026-04-30");
    g_assert_cmpuint (n_rounds, ==, 2);
  }

  /* Recipients: a bad key is refused, by its field and never by its
   * text (it could be a secret key pasted in the wrong place); a second
   * coordinator added. */
  apply (page, _("Add a recipient (age1…)"), "age1notakey");
  {
    const char *format = _("Recipient: %s");
    g_autofree char *field = g_strndup (format, strstr (format, "%s") - format);

    assert_error_names (vw_study_page_get_error (VW_STUDY_PAGE (page)), field);
    g_assert_null (strstr (vw_study_page_get_error (VW_STUDY_PAGE (page)), "age1notakey"));
  }
  g_assert_true (gtk_widget_has_css_class (vw_test_row (page, _("Add a recipient (age1…)")), "error"));
  apply (page, _("Add a recipient (age1…)"), second);
  g_assert_null (vw_study_page_get_error (VW_STUDY_PAGE (page)));
  g_assert_nonnull (vw_test_row (page, second));
  recipients = vw_study_list_recipients (vault, flow->study, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) recipients, second));

  info = vw_vault_get_study (vault, flow->study, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Buiten slapen");
  g_assert_true (g_strv_contains ((const char * const *) info->regions, "UT"));
  g_assert_false (g_strv_contains ((const char * const *) info->regions, "utrecht"));

  /* The fingerprint the coordinator reads out, and the key it stands for. */
  flow->coordinator_key = vw_vault_get_signing_key (vault, &error);
  g_assert_no_error (error);
  flow->coordinator_fingerprint = vw_fingerprint_of_key_text (flow->coordinator_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, _("Coordinator’s signing key")))),
                   ==, flow->coordinator_key);
  g_assert_nonnull (vw_test_find_widget (page, vw_test_label_with_text, flow->coordinator_fingerprint));
}

/* The coordinator adds the duo's laptop from the keys file its Join page
 * saved, and writes the invitation. */
static void
coordinator_enrols (VwWindow *window,
                    Flow     *flow)
{
  VwVault *vault = vw_window_get_vault (window);
  GtkWidget *page = vw_window_get_page_widget (window, "study");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) keys = g_file_new_for_path (flow->keys_path);
  g_autofree char *bad_path = g_build_filename (flow->dir, "not-keys.txt", NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GFile) invitation = g_file_new_for_path (flow->invitation_path);
  g_autoptr(VwDevice) device = NULL;
  VwAddDeviceDialog *dialog;

  g_assert_nonnull (vw_test_find_widget (page, vw_test_label_with_text, flow->coordinator_fingerprint));

  vw_test_click (vw_test_button (page, _("_Add Laptop…")));
  dialog = VW_ADD_DEVICE_DIALOG (vw_test_find_toplevel (VW_TYPE_ADD_DEVICE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_false (gtk_widget_is_sensitive (vw_test_button (GTK_WIDGET (dialog), _("_Add"))));

  /* A file that is not a keys file: the error names it. */
  g_assert_true (g_file_set_contents (bad_path, "hello\n", -1, &error));
  g_assert_false (vw_add_device_dialog_load_keys (dialog, bad));
  assert_error_names (vw_add_device_dialog_get_error (dialog), "not-keys.txt");

  vw_test_type_into (GTK_WIDGET (dialog), _("Label, such as “duo Noord”"), "duo Noord");
  vw_test_type_into (GTK_WIDGET (dialog), _("Recipient (age1…)"), "age1bogus");
  vw_test_type_into (GTK_WIDGET (dialog), _("Signing key (ed25519:…)"), "ed25519:bogus");
  vw_test_click (vw_test_button (GTK_WIDGET (dialog), _("_Add")));
  assert_error_names (vw_add_device_dialog_get_error (dialog), _("Recipient (age1…)"));
  g_assert_null (vw_study_find_device (vault, flow->study, "duo Noord", NULL));

  g_assert_true (vw_add_device_dialog_load_keys (dialog, keys));
  g_assert_null (vw_add_device_dialog_get_error (dialog));
  vw_test_click (vw_test_button (GTK_WIDGET (dialog), _("_Add")));
  spin ();
  g_assert_null (vw_test_find_toplevel (VW_TYPE_ADD_DEVICE_DIALOG));

  device = vw_study_find_device (vault, flow->study, "duo Noord", &error);
  g_assert_no_error (error);
  g_assert_true (device->trusted);
  g_assert_null (device->revoked_at);
  flow->device = g_strdup (device->id);
  {
    /* The laptop's row shows its state and the fingerprint to compare
     * with the one its Join page shows. */
    g_autofree char *fingerprint = vw_study_device_fingerprint (device);
    g_autofree char *subtitle = g_strdup_printf (_("%s · fingerprint %s"), _("Trusted"), fingerprint);

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, "duo Noord"))), ==, subtitle);
  }
  g_assert_true (vw_study_trust_func (flow->study, device->ed25519_public, vault));

  /* "Write Invitation…" saves to the file its chooser returns. */
  g_assert_nonnull (vw_test_button (vw_test_row (page, "duo Noord"), _("_Write Invitation…")));
  g_assert_true (vw_study_page_write_invitation (VW_STUDY_PAGE (page), flow->device, invitation));
  g_assert_true (g_file_test (flow->invitation_path, G_FILE_TEST_IS_REGULAR));
}

/* Someone who knows the duo's public keys (they are not secret) makes an
 * invitation of their own, signed with their own key and naming
 * themselves as the coordinator, to the duo's recipient. */
static void
attacker_invites (Flow *flow)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) attacker = create_vault (flow->attacker_path, "Dakloosheid");
  g_autofree char *keys = NULL, *recipient = NULL, *signing = NULL, *own_key = NULL, *device = NULL;
  g_autoptr(GPtrArray) studies = vw_vault_list_studies (attacker, &error);
  const char *study;

  g_assert_no_error (error);
  study = ((VwStudy *) g_ptr_array_index (studies, 0))->id;
  g_assert_true (g_file_get_contents (flow->keys_path, &keys, NULL, &error));
  g_assert_true (vw_study_parse_keys_text (keys, &recipient, &signing, &error));
  device = vw_study_add_device (attacker, study, "duo Noord", recipient, signing, &error);
  g_assert_no_error (error);
  g_assert_true (vw_study_write_invitation (attacker, study, device, flow->forged_path, &error));
  own_key = vw_vault_get_signing_key (attacker, &error);
  g_assert_no_error (error);
  flow->attacker_fingerprint = vw_fingerprint_of_key_text (own_key, &error);
  g_assert_no_error (error);
  g_assert_true (vw_vault_close (attacker, &error));
}

static gboolean
join_sensitive (GtkWidget *join)
{
  return gtk_widget_is_sensitive (vw_test_button (join, _("_Join Study")));
}

static char *
dashed (const char *fingerprint)
{
  return g_strdelimit (g_strdup (fingerprint), " ", '-');
}

/* The duo's window shows the Join page: keys saved; a forged invitation
 * shows a fingerprint that is not the coordinator's and Join stays off;
 * a tampered invitation is refused; the genuine one joins once the
 * coordinator's fingerprint is typed. Nothing changes before that. */
static void
duo_joins (VwWindow *window,
           Flow     *flow)
{
  VwVault *vault = vw_window_get_vault (window);
  GtkWidget *join = vw_window_get_page_widget (window, "join");
  GtkWidget *keys = vw_join_page_get_keys (VW_JOIN_PAGE (join));
  GtkWidget *confirm = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) keys_file = g_file_new_for_path (flow->keys_path);
  g_autoptr(GFile) invitation = g_file_new_for_path (flow->invitation_path);
  g_autoptr(GFile) forged = g_file_new_for_path (flow->forged_path);
  g_autofree char *tampered_path = g_build_filename (flow->dir, "tampered.vwb", NULL);
  g_autoptr(GFile) tampered = g_file_new_for_path (tampered_path);
  g_autofree char *own_key = vw_vault_get_signing_key (vault, &error);
  g_autofree char *own_fingerprint = vw_fingerprint_of_key_text (own_key, &error);
  g_autofree char *before = vw_test_vault_checksums (flow->duo_path);
  g_autofree char *contents = NULL;
  g_autofree char *almost = NULL;
  gsize length;

  g_assert_no_error (error);
  if (flow->invitation_path == NULL || !g_file_test (flow->invitation_path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpstr (vw_window_get_page (window), ==, "join");
      g_assert_null (vw_window_get_study (window));
      g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "enrol"));
      g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export"));
      g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "back"));
      /* Nothing to join before an invitation is opened. */
      g_assert_false (gtk_widget_get_visible (vw_test_button (join, _("_Join Study"))));
      /* The keys file is what `veldwerk-cli keys` prints, fingerprint
       * included, and the page shows the same fingerprint. */
      g_assert_true (vw_device_keys_group_save (VW_DEVICE_KEYS_GROUP (keys), keys_file, &error));
      g_assert_no_error (error);
      {
        const char *env[] = { "VELDWERK_PASSPHRASE=" VW_TEST_PASSPHRASE, NULL };
        g_autofree char *out = NULL;
        g_autofree char *saved = NULL;
        g_autofree char *line = g_strdup_printf ("fingerprint: %s\n", own_fingerprint);

        g_assert_cmpint (vw_test_run_cli (env, &out, NULL, "--vault", flow->duo_path, "keys", NULL), ==, 0);
        g_assert_true (g_file_get_contents (flow->keys_path, &saved, NULL, &error));
        g_assert_cmpstr (saved, ==, out);
        g_assert_nonnull (strstr (out, line));
        g_assert_nonnull (vw_test_row (keys, _("Recipient (age)")));
        g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (keys, _("Fingerprint")))), ==,
                         own_fingerprint);
      }
      return;
    }

  /* The forged invitation opens (it is addressed to this laptop and
   * validly signed) and shows who signed it: not the coordinator. */
  g_assert_true (vw_join_page_open_file (VW_JOIN_PAGE (join), forged));
  g_assert_null (vw_join_page_get_error (VW_JOIN_PAGE (join)));
  g_assert_nonnull (vw_test_find_widget (join, vw_test_label_with_text, flow->attacker_fingerprint));
  g_assert_null (vw_test_find_widget (join, vw_test_label_with_text, flow->coordinator_fingerprint));
  g_assert_cmpstr (flow->attacker_fingerprint, !=, flow->coordinator_fingerprint);
  g_assert_true (gtk_widget_get_visible (vw_test_button (join, _("_Join Study"))));
  g_assert_false (join_sensitive (join));
  /* The fingerprint the real coordinator gave: it does not match. */
  vw_test_type_into (join, _("Fingerprint your coordinator gave you"), flow->coordinator_fingerprint);
  g_assert_false (join_sensitive (join));
  confirm = vw_test_row (join, _("Fingerprint your coordinator gave you"));
  g_assert_true (gtk_widget_has_css_class (confirm, "error"));
  g_assert_nonnull (vw_test_find_widget (join, vw_test_label_with_text,
                                         _("This is not the fingerprint of the key that signed the invitation: it "
                                           "may not come from your coordinator. Do not join; ask your "
                                           "coordinator.")));
  g_signal_emit_by_name (confirm, "entry-activated");
  g_assert_cmpstr (vw_window_get_page (window), ==, "join");
  {
    g_autofree char *after = vw_test_vault_checksums (flow->duo_path);
    g_assert_cmpstr (after, ==, before);
  }

  /* One byte changed in the middle of the invitation: it does not open,
   * and the page no longer shows the previous one. */
  g_assert_true (g_file_get_contents (flow->invitation_path, &contents, &length, &error));
  contents[length / 2] ^= 0x20;
  g_assert_true (g_file_set_contents (tampered_path, contents, length, &error));
  g_assert_false (vw_join_page_open_file (VW_JOIN_PAGE (join), tampered));
  assert_error_names (vw_join_page_get_error (VW_JOIN_PAGE (join)), tampered_path);
  g_assert_false (gtk_widget_get_visible (vw_test_button (join, _("_Join Study"))));
  g_assert_null (vw_test_find_widget (join, vw_test_label_with_text, flow->attacker_fingerprint));

  /* The genuine invitation: the study, the coordinator and the
   * coordinator's fingerprint; Join only once it is typed in full. */
  g_assert_true (vw_join_page_open_file (VW_JOIN_PAGE (join), invitation));
  g_assert_null (vw_join_page_get_error (VW_JOIN_PAGE (join)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (join, _("Study")))), ==, "Buiten slapen");
  g_assert_nonnull (vw_test_find_widget (join, vw_test_label_with_text, flow->coordinator_fingerprint));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (vw_test_row (join, _("Fingerprint your coordinator gave "
                                                                            "you")))), ==, "");
  g_assert_false (join_sensitive (join));
  almost = g_strndup (flow->coordinator_fingerprint, strlen (flow->coordinator_fingerprint) - 1);
  vw_test_type_into (join, _("Fingerprint your coordinator gave you"), almost);
  g_assert_false (join_sensitive (join));
  vw_test_type_into (join, _("Fingerprint your coordinator gave you"), own_fingerprint);
  g_assert_false (join_sensitive (join));
  vw_test_type_into (join, _("Fingerprint your coordinator gave you"), own_key);
  g_assert_false (join_sensitive (join));
  {
    g_autofree char *after = vw_test_vault_checksums (flow->duo_path);
    g_autoptr(GPtrArray) studies = vw_vault_list_studies (vault, &error);

    g_assert_cmpstr (after, ==, before);
    g_assert_cmpuint (studies->len, ==, 0);
  }
  /* Typed with dashes, as read from paper. */
  {
    g_autofree char *typed = dashed (flow->coordinator_fingerprint);
    vw_test_type_into (join, _("Fingerprint your coordinator gave you"), typed);
  }
  g_assert_true (join_sensitive (join));
  g_assert_true (gtk_widget_has_css_class (vw_test_row (join, _("Fingerprint your coordinator gave you")),
                                           "success"));
  vw_test_click (vw_test_button (join, _("_Join Study")));
  g_assert_null (vw_join_page_get_error (VW_JOIN_PAGE (join)));
  g_assert_cmpstr (vw_window_get_page (window), ==, "main");
  g_assert_cmpstr (vw_window_get_study (window), ==, flow->study);
  {
    GtkWidget *page = vw_window_get_page_widget (window, "study");
    g_autofree char *t1 = NULL;

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, _("Name")))), ==, "Buiten slapen");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, _("Role")))), ==,
                     _("Interview duo"));
    t1 = g_strdup_printf (_("Fieldwork %s to %s"), "2026-03-01", "2026-04-30");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, "T1"))), ==, t1);
    /* A duo does not edit the setup. */
    g_assert_false (gtk_widget_is_visible (vw_test_row (page, _("Add a region (code, such as UT)"))));
    g_assert_true (gtk_widget_is_visible (vw_test_row (page, _("Submit to the coordinator…"))));
  }

  /* It can enrol in the study it joined. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "enrol"));
  {
    g_autoptr(VwParticipant) p = vw_vault_create_participant (vault, flow->study, NULL, "Tom", "DH", &error);
    g_assert_no_error (error);
    g_assert_nonnull (p);
  }
}

/* The coordinator revokes the laptop: its bundles are no longer trusted. */
static void
coordinator_revokes (VwWindow *window,
                     Flow     *flow)
{
  VwVault *vault = vw_window_get_vault (window);
  GtkWidget *page = vw_window_get_page_widget (window, "study");
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) device = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *state = NULL;

  vw_test_click (vw_test_button (vw_test_row (page, "duo Noord"), _("_Revoke…")));
  dialog = ADW_MESSAGE_DIALOG (vw_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "revoke");
  vw_test_destroy_window (dialog);
  spin ();

  device = vw_study_find_device (vault, flow->study, flow->device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (device->revoked_at);
  g_assert_false (vw_study_trust_func (flow->study, device->ed25519_public, vault));
  state = g_strdup_printf (_("Revoked on %s"), "");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, "duo Noord"))),
                                   state));
  g_assert_null (vw_test_find_widget (vw_test_row (page, "duo Noord"), vw_test_button_labelled, _("_Revoke…")));
}

/* With two studies in the vault, the Study tab switches the window. */
static void
switch_study (VwWindow *window,
              Flow     *flow)
{
  VwVault *vault = vw_window_get_vault (window);
  GtkWidget *page = vw_window_get_page_widget (window, "study");
  g_autoptr(GError) error = NULL;
  g_autofree char *other = vw_vault_create_study (vault, "Tweede studie", "UT", VW_STUDY_ROLE_COORDINATOR, NULL,
                                                  &error);
  GtkWidget *switcher;

  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (window), "join-study", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "join");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "back"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "back", NULL);
  g_assert_cmpstr (vw_window_get_page (window), ==, "main");
  switcher = vw_test_row (page, _("Show study"));
  g_assert_true (gtk_widget_get_visible (switcher));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (switcher))), ==, 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (switcher), 1);
  g_assert_cmpstr (vw_window_get_study (window), ==, other);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (vw_test_find_widget (GTK_WIDGET (window),
                                                                                        is_window_title, NULL))),
                   ==, "Tweede studie");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vw_test_row (page, _("Name")))), ==, "Tweede studie");
  adw_combo_row_set_selected (ADW_COMBO_ROW (switcher), 0);
  g_assert_cmpstr (vw_window_get_study (window), ==, flow->study);
}

static void
check_reopened (Flow *flow)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) coord = vw_test_open_vault (flow->coord_path);
  g_autoptr(VwVault) duo = vw_test_open_vault (flow->duo_path);
  g_autoptr(VwStudy) coord_study = vw_vault_get_study (coord, flow->study, &error);
  g_autoptr(VwStudy) duo_study = vw_vault_get_study (duo, flow->study, &error);
  g_autoptr(VwDevice) device = vw_study_find_device (coord, flow->study, "duo Noord", &error);
  g_autoptr(VwRound) t1 = NULL;
  g_autoptr(GPtrArray) people = vw_vault_list_participants (duo, flow->study, &error);
  guint n;

  g_assert_no_error (error);
  g_assert_cmpstr (coord_study->name, ==, "Buiten slapen");
  g_assert_cmpint (coord_study->role, ==, VW_STUDY_ROLE_COORDINATOR);
  g_assert_cmpstr (duo_study->name, ==, "Buiten slapen");
  g_assert_cmpint (duo_study->role, ==, VW_STUDY_ROLE_DUO);
  g_assert_true (g_strv_contains ((const char * const *) duo_study->regions, "UT"));
  g_assert_nonnull (device->revoked_at);
  t1 = find_round (duo, flow->study, "T1", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (t1->fieldwork_start, ==, "2026-03-01");
  g_assert_cmpstr (t1->fieldwork_end, ==, "2026-04-30");
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_true (vw_vault_close (coord, &error));
  g_assert_true (vw_vault_close (duo, &error));
}

static void
test_study_flow (void)
{
  g_autoptr(GError) error = NULL;
  Flow flow = { 0 };
  g_autoptr(VwVault) coord = NULL;
  g_autoptr(VwVault) duo = NULL;
  VwWindow *coord_window, *duo_window;

  flow.dir = g_dir_make_tmp ("vw-study-page-XXXXXX", &error);
  g_assert_no_error (error);
  flow.coord_path = g_build_filename (flow.dir, "coordinator.vault", NULL);
  flow.duo_path = g_build_filename (flow.dir, "duo.vault", NULL);
  flow.attacker_path = g_build_filename (flow.dir, "attacker.vault", NULL);
  flow.keys_path = g_build_filename (flow.dir, "duo-keys.txt", NULL);
  flow.invitation_path = g_build_filename (flow.dir, "invitation.vwb", NULL);
  flow.forged_path = g_build_filename (flow.dir, "forged.vwb", NULL);

  coord = create_vault (flow.coord_path, "Dakloosheid");
  duo_window = duo_first_run (flow.duo_path, &duo);
  duo_joins (duo_window, &flow);           /* saves the keys file */
  coord_window = window_for (coord);
  coordinator_setup (coord_window, &flow);
  coordinator_enrols (coord_window, &flow);
  attacker_invites (&flow);
  duo_joins (duo_window, &flow);           /* joins with the invitation */
  coordinator_revokes (coord_window, &flow);
  switch_study (coord_window, &flow);

  vw_test_destroy_window (coord_window);
  vw_test_destroy_window (duo_window);
  spin ();
  g_assert_true (vw_vault_close (coord, &error));
  g_assert_true (vw_vault_close (duo, &error));
  check_reopened (&flow);

  vw_test_rm_rf (flow.dir);
  g_free (flow.dir);
  g_free (flow.coord_path);
  g_free (flow.duo_path);
  g_free (flow.attacker_path);
  g_free (flow.keys_path);
  g_free (flow.invitation_path);
  g_free (flow.forged_path);
  g_free (flow.study);
  g_free (flow.coordinator_key);
  g_free (flow.coordinator_fingerprint);
  g_free (flow.attacker_fingerprint);
  g_free (flow.device);
}

int
main (int    argc,
      char **argv)
{
  vw_test_init_display (&argc, &argv);

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VELDWERK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  adw_init ();
  g_assert_true (vw_core_init (NULL));

  g_test_add_func ("/study-page/flow", test_study_flow);

  return g_test_run ();
}
