/* veldwerk-cli study, submit, merge, conflicts: studies without a server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "vw-cli-commands.h"
#include "vw-vault-tracing.h"

typedef struct
{
  VwCli   *cli;
  VwVault *vault; /* owned */
  char    *study; /* owned */
} StudyCtx;

static void
study_ctx_clear (StudyCtx *ctx)
{
  g_clear_object (&ctx->vault);
  g_clear_pointer (&ctx->study, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StudyCtx, study_ctx_clear)

static gboolean
open_study (StudyCtx    *ctx,
            VwCli       *cli,
            const char  *study,
            GError     **error)
{
  ctx->cli = cli;
  ctx->vault = vw_cli_open_vault (cli, error);
  if (ctx->vault == NULL)
    return FALSE;
  ctx->study = vw_study_resolve (ctx->vault, study, error);
  return ctx->study != NULL;
}

static int
usage (const char *text)
{
  g_printerr ("veldwerk-cli: %s\n", text);
  return VW_CLI_EXIT_USAGE;
}

static int
study_setup (VwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *name = NULL;
  g_autofree char *questionnaire = NULL;
  g_auto(GStrv) regions = NULL;
  g_auto(GStrv) rounds = NULL;
  g_auto(GStrv) recipients = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("A new name for the study"), N_("NAME") },
    { "questionnaire", 0, 0, G_OPTION_ARG_FILENAME, &questionnaire,
      N_("The study’s questionnaire (before the first interview)"), N_("FILE") },
    { "region", 0, 0, G_OPTION_ARG_STRING_ARRAY, &regions, N_("Add a region code; repeat for more"), N_("CODE") },
    { "round", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rounds,
      N_("A round and its fieldwork window, as T1:2026-01-05:2026-03-27; repeat for more"), N_("ROUND") },
    { "recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &recipients,
      N_("Add another coordinator’s age recipient that submissions are also encrypted to (this laptop’s own is "
         "always kept); repeat for more"), N_("AGE1…") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study setup", NULL,
                     _("Set up the coordinator’s study: regions, rounds with their fieldwork windows, and the "
                       "recipients submissions go to."), entries, &status))
    return status;
  if (!open_study (&ctx, cli, study, &error))
    return vw_cli_fail (error);

  if (!vw_vault_begin (ctx.vault, &error))
    return vw_cli_fail (error);
  if (name != NULL || questionnaire != NULL)
    {
      g_autoptr(GBytes) json = NULL;

      if (questionnaire != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (questionnaire);
          if ((json = g_file_load_bytes (file, NULL, NULL, &error)) == NULL)
            goto fail;
        }
      if (!vw_study_set_definition (ctx.vault, ctx.study, name, json, &error))
        goto fail;
    }
  for (guint i = 0; regions != NULL && regions[i] != NULL; i++)
    if (!vw_vault_add_study_region (ctx.vault, ctx.study, regions[i], &error))
      goto fail;
  for (guint i = 0; rounds != NULL && rounds[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (rounds[i], ":", -1);
      const char *start = parts[1] && *parts[1] ? parts[1] : NULL;
      const char *end = parts[1] && parts[2] && *parts[2] ? parts[2] : NULL;

      if (!vw_study_set_round (ctx.vault, ctx.study, parts[0], start, end, TRUE, &error))
        goto fail;
    }
  /* This laptop merges the submissions: its own recipient is always
   * among them, whatever else --recipient adds. */
  if (!vw_study_keep_own_recipient (ctx.vault, ctx.study, &error))
    goto fail;
  for (guint i = 0; recipients != NULL && recipients[i] != NULL; i++)
    if (!vw_study_add_recipient (ctx.vault, ctx.study, recipients[i], &error))
      {
        vw_cli_prefix_option_error (&error, "--recipient", g_strv_length (recipients) > 1 ? i + 1 : 0);
        goto fail;
      }
  if (!vw_vault_commit (ctx.vault, &error))
    return vw_cli_fail (error);
  g_print (_("The study %s is set up.\n"), ctx.study);
  return VW_CLI_EXIT_OK;

fail:
  vw_vault_rollback (ctx.vault);
  return vw_cli_fail (error);
}

static int
study_show (VwCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwStudy) info = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autofree char *regions = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study show", NULL, _("Show a study, its rounds, recipients and devices."),
                     entries, &status))
    return status;
  if (!open_study (&ctx, cli, study, &error) || (info = vw_vault_get_study (ctx.vault, ctx.study, &error)) == NULL ||
      (rounds = vw_vault_list_rounds (ctx.vault, ctx.study, &error)) == NULL ||
      (recipients = vw_study_list_recipients (ctx.vault, ctx.study, &error)) == NULL ||
      (devices = vw_vault_list_devices (ctx.vault, &error)) == NULL)
    return vw_cli_fail (error);

  regions = g_strjoinv (",", info->regions);
  g_print ("study: %s\nname: %s\nrole: %s\nregions: %s\nquestionnaire: %s %s\n", info->id, info->name,
           vw_study_role_to_string (info->role), regions, info->questionnaire_id, info->questionnaire_version);
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);
      g_print ("round: %s %s %s\n", r->label, r->fieldwork_start ? r->fieldwork_start : "-",
               r->fieldwork_end ? r->fieldwork_end : "-");
    }
  for (guint i = 0; recipients[i] != NULL; i++)
    g_print ("recipient: %s\n", recipients[i]);
  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      if (d->own || g_strcmp0 (d->study, ctx.study) != 0)
        continue;
      g_print ("device: %s %s%s%s\n", d->id, d->label, d->revoked_at ? _(" revoked ") : "",
               d->revoked_at ? d->revoked_at : "");
    }
  return VW_CLI_EXIT_OK;
}

static int
study_add_device (VwCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *label = NULL;
  g_autofree char *x25519 = NULL;
  g_autofree char *ed25519 = NULL;
  g_autofree char *keys_file = NULL;
  const GOptionEntry entries[] = {
    { "keys", 0, 0, G_OPTION_ARG_FILENAME, &keys_file,
      N_("Read both keys from FILE, the output of “veldwerk-cli keys” on that laptop"), N_("FILE") },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("A name for the device, such as “duo Noord”"), N_("LABEL") },
    { "x25519", 0, 0, G_OPTION_ARG_STRING, &x25519, N_("The device’s recipient, as its “keys” prints it"),
      N_("AGE1…") },
    { "ed25519", 0, 0, G_OPTION_ARG_STRING, &ed25519, N_("The device’s signing key, as its “keys” prints it"),
      N_("ED25519:…") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *fingerprint = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study add-device", NULL,
                     _("Enrol another laptop in the study, with the keys that laptop’s “veldwerk-cli keys” printed. "
                       "Compare them with the owner by phone or in person."), entries, &status))
    return status;
  if (keys_file != NULL)
    {
      g_autofree char *text = NULL;
      g_autofree char *file_x25519 = NULL;
      g_autofree char *file_ed25519 = NULL;

      if (!g_file_get_contents (keys_file, &text, NULL, &error) ||
          !vw_study_parse_keys_text (text, &file_x25519, &file_ed25519, &error))
        {
          g_prefix_error (&error, "%s: ", keys_file);
          return vw_cli_fail (error);
        }
      if (x25519 == NULL)
        x25519 = g_steal_pointer (&file_x25519);
      if (ed25519 == NULL)
        ed25519 = g_steal_pointer (&file_ed25519);
    }
  if (label == NULL || x25519 == NULL || ed25519 == NULL)
    return usage (_("study add-device needs --label, and --keys FILE or --x25519 and --ed25519"));
  {
    g_autoptr(VwAgeRecipient) parsed = vw_age_recipient_parse (x25519, NULL);
    guint8 x[32], ed[32];

    /* Named by option (a bad --keys file was named by line above), as
     * the messages never quote a key. */
    if (!vw_study_parse_device_keys (x25519, ed25519, x, ed, &error))
      {
        vw_cli_prefix_option_error (&error, parsed == NULL ? "--x25519" : "--ed25519", 0);
        return vw_cli_fail (error);
      }
  }
  if (!open_study (&ctx, cli, study, &error) ||
      (id = vw_study_add_device (ctx.vault, ctx.study, label, x25519, ed25519, &error)) == NULL ||
      (fingerprint = vw_fingerprint_of_key_text (ed25519, &error)) == NULL)
    return vw_cli_fail (error);
  g_print (_("Enrolled the device “%s” as %s, fingerprint %s: compare it with the one that laptop’s "
             "“veldwerk-cli keys” shows.\n"), label, id, fingerprint);
  return VW_CLI_EXIT_OK;
}

static int
study_invite (VwCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the invitation to FILE"), N_("FILE") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study invite", _("DEVICE"),
                     _("Write an invitation for an enrolled device: the study, its questionnaire and rounds, your "
                       "keys and the linkage key, encrypted to that device only."), entries, &status))
    return status;
  if (argc != 2 || output == NULL)
    return usage (_("study invite needs one DEVICE and -o FILE"));
  if (!open_study (&ctx, cli, study, &error) ||
      !vw_study_write_invitation (ctx.vault, ctx.study, argv[1], output, &error))
    return vw_cli_fail (error);
  g_print (_("Wrote the invitation to %s.\n"), output);
  return VW_CLI_EXIT_OK;
}

static int
study_join (VwCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *coordinator_key = NULL;
  g_autofree char *fingerprint = NULL;
  const GOptionEntry entries[] = {
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint,
      N_("The coordinator’s fingerprint, as the coordinator read it out or printed it (spaces and dashes are "
         "ignored)"), N_("DIGITS") },
    { "coordinator-key", 0, 0, G_OPTION_ARG_STRING, &coordinator_key,
      N_("The coordinator’s signing key instead, as “veldwerk-cli keys” prints it"), N_("ED25519:…") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = NULL;
  g_autoptr(VwInvitation) invitation = NULL;
  g_autofree char *study = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study join", _("FILE"),
                     _("Join the study of an invitation the coordinator made for this laptop. Ask the coordinator "
                       "for their fingerprint (their “veldwerk-cli keys” and Study tab show it) and give it with "
                       "--fingerprint: only an invitation signed by that coordinator is accepted."), entries, &status))
    return status;
  if (argc != 2)
    return usage (_("study join needs one FILE"));
  /* Refused before the vault is even opened: an invitation anyone could
   * have signed is never trusted as it is. */
  if (fingerprint == NULL && coordinator_key == NULL)
    {
      g_printerr (_("veldwerk-cli: study join needs the coordinator’s fingerprint: ask your coordinator to read "
                    "out the fingerprint their “veldwerk-cli keys” prints (or their Study tab shows), and give "
                    "it with --fingerprint \"…\" (or their signing key with --coordinator-key ed25519:…). "
                    "Nothing was changed.\n"));
      return VW_CLI_EXIT_USAGE;
    }
  /* A coordinator key that is not a signing key is refused before
   * anything is read, and never quoted: it may be a secret key. */
  if (coordinator_key != NULL)
    {
      static const guint8 no_key[32] = { 0 };
      gboolean matches;

      if (!g_str_has_prefix (coordinator_key, "ed25519:"))
        g_set_error_literal (&error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                             _("The coordinator key you gave is not a signing key (ed25519:…) as veldwerk-cli "
                               "keys prints it"));
      if (error != NULL || !vw_fingerprint_check (no_key, coordinator_key, &matches, &error))
        return vw_cli_fail (error);
    }
  if ((vault = vw_cli_open_vault (cli, &error)) == NULL ||
      (invitation = vw_invitation_open (vault, argv[1], &error)) == NULL ||
      (coordinator_key != NULL && fingerprint != NULL &&
       !vw_invitation_confirm (invitation, coordinator_key, &error)) ||
      (study = vw_invitation_join (vault, invitation, fingerprint != NULL ? fingerprint : coordinator_key,
                                   &error)) == NULL)
    return vw_cli_fail (error);
  g_print (_("Joined the study “%s” (%s) of the coordinator “%s”, fingerprint %s.\n"),
           vw_invitation_get_name (invitation), study, vw_invitation_get_coordinator (invitation),
           vw_invitation_get_fingerprint (invitation));
  return VW_CLI_EXIT_OK;
}

static int
study_revoke (VwCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwDevice) device = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean already = FALSE;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study revoke", _("DEVICE"),
                     _("Revoke a laptop, named by its id or fingerprint (“study devices” lists them), or by its "
                       "label when only one laptop has it: from now on every bundle it signed is refused, whatever "
                       "date it carries."), entries, &status))
    return status;
  if (argc != 2)
    return usage (_("study revoke needs one DEVICE"));
  if (!open_study (&ctx, cli, study, &error) ||
      (device = vw_study_revoke_device (ctx.vault, ctx.study, argv[1], &already, &error)) == NULL)
    return vw_cli_fail (error);
  fingerprint = vw_study_device_fingerprint (device);
  if (already)
    g_print (_("The device “%s” (%s, fingerprint %s) was already revoked on %s; nothing changed.\n"), device->label,
             device->id, fingerprint, device->revoked_at);
  else
    g_print (_("Revoked the device “%s” (%s, fingerprint %s) on %s.\n"), device->label, device->id, fingerprint,
             device->revoked_at);
  return VW_CLI_EXIT_OK;
}

static int
study_devices (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study devices", NULL,
                     _("List the other laptops of the study: id, label, fingerprint and state, one per line, "
                       "separated by tabs."), entries, &status))
    return status;
  if (argc != 1)
    return usage (_("study devices takes no arguments"));
  if (!open_study (&ctx, cli, study, &error) ||
      (devices = vw_study_list_devices (ctx.vault, ctx.study, &error)) == NULL)
    return vw_cli_fail (error);
  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *fingerprint = vw_study_device_fingerprint (d);
      g_autofree char *state = NULL;

      if (d->revoked_at != NULL)
        state = g_strdup_printf (_("revoked %s"), d->revoked_at);
      else
        state = g_strdup (d->trusted ? _("trusted") : _("not trusted"));
      g_print ("%s\t%s\t%s\t%s\n", d->id, d->label, fingerprint, state);
    }
  return VW_CLI_EXIT_OK;
}

static char *
read_line (GError **error)
{
  char buffer[1024];
  size_t len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Expected the name and the birth date on "
                                                                   "standard input, one per line"));
      return NULL;
    }
  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';
  {
    char *line = g_strdup (buffer);
    explicit_bzero (buffer, sizeof buffer);
    return line;
  }
}

static int
study_link_identity (VwCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *birth_date = NULL;
  gboolean ok;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study link-identity", _("CODE"),
                     _("Read a participant’s name and birth date (YYYY-MM-DD) from standard input, one per line, "
                       "and store only their keyed hash, so that the coordinator can see a probable duplicate "
                       "without seeing who it is."), entries, &status))
    return status;
  if (argc != 2)
    return usage (_("study link-identity needs one CODE"));
  if ((name = read_line (&error)) == NULL || (birth_date = read_line (&error)) == NULL ||
      !open_study (&ctx, cli, study, &error))
    return vw_cli_fail (error);
  ok = vw_vault_set_linkage_identity (ctx.vault, ctx.study, argv[1], name, birth_date, &error);
  explicit_bzero (name, strlen (name));
  if (!ok)
    return vw_cli_fail (error);
  g_print (_("Stored the linkage hash of %s.\n"), argv[1]);
  return VW_CLI_EXIT_OK;
}

static int
study_prepare_round (VwCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *output = NULL;
  g_autofree char *device = NULL;
  g_autofree char *round = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("The duo’s device"), N_("DEVICE") },
    { "round", 0, 0, G_OPTION_ARG_STRING, &round, N_("The round the duo does next"), N_("ROUND") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the bundle to FILE"), N_("FILE") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study prepare-round", _("CODE…"),
                     _("Send a duo the participants assigned to it for the next round, with the previous round’s "
                       "answers, so the follow-up questions work on its laptop."), entries, &status))
    return status;
  if (argc < 2 || output == NULL || device == NULL || round == NULL)
    return usage (_("study prepare-round needs --device, --round, -o FILE and at least one CODE"));
  if (!open_study (&ctx, cli, study, &error) ||
      !vw_exchange_write_round_preparation (ctx.vault, ctx.study, device, round, (const char * const *) argv + 1,
                                            output, &error))
    return vw_cli_fail (error);
  g_print (_("Wrote the round preparation to %s.\n"), output);
  return VW_CLI_EXIT_OK;
}

static int
study_handover (VwCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *output = NULL;
  g_autofree char *device = NULL;
  gboolean remove = FALSE;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("The laptop that takes the participants over"),
      N_("DEVICE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the bundle to FILE"), N_("FILE") },
    { "remove", 0, 0, G_OPTION_ARG_NONE, &remove,
      N_("Remove the participants from this laptop once the receiving laptop’s receipt is merged here"), NULL },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study handover", _("CODE…"),
                     _("Hand participants over to another duo’s laptop, with their contact details and history. "
                       "The file is read back before anything else happens. With --remove the participants stay "
                       "here, read-only, until the receipt the other laptop writes is merged here."),
                     entries, &status))
    return status;
  if (argc < 2 || output == NULL || device == NULL)
    return usage (_("study handover needs --device, -o FILE and at least one CODE"));
  if (!open_study (&ctx, cli, study, &error) ||
      !vw_exchange_write_handover (ctx.vault, ctx.study, device, (const char * const *) argv + 1, output, remove,
                                   &id, &error))
    return vw_cli_fail (error);
  g_print (_("Wrote the handover %s to %s and read it back: it is complete.\n"), id, output);
  if (remove)
    g_print (g_dngettext (NULL,
                          "%d participant stays on this laptop, read-only, until the receipt from “%s” is merged "
                          "here (veldwerk-cli merge RECEIPT); then it is removed.\n",
                          "%d participants stay on this laptop, read-only, until the receipt from “%s” is merged "
                          "here (veldwerk-cli merge RECEIPT); then they are removed.\n", argc - 1),
             argc - 1, device);
  return VW_CLI_EXIT_OK;
}

static int
study_handovers (VwCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) handovers = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study handovers", NULL,
                     _("List the handovers this laptop wrote, newest first, and whether their receipts arrived."),
                     entries, &status))
    return status;
  if (argc != 1)
    return usage (_("study handovers takes no arguments"));
  if (!open_study (&ctx, cli, study, &error) ||
      (handovers = vw_exchange_list_handovers (ctx.vault, ctx.study, &error)) == NULL)
    return vw_cli_fail (error);
  for (guint i = 0; i < handovers->len; i++)
    {
      VwHandover *h = g_ptr_array_index (handovers, i);
      g_autofree char *codes = g_strjoinv (" ", h->codes);
      g_autofree char *state = NULL;

      if (g_strcmp0 (h->outcome, "received") == 0)
        state = g_strdup_printf (_("received %s"), h->settled);
      else if (g_strcmp0 (h->outcome, "cancelled") == 0)
        state = g_strdup_printf (_("cancelled %s"), h->settled);
      else
        state = g_strdup (h->remove_on_receipt ? _("awaiting receipt") : _("kept here, no receipt yet"));
      /* Translators: bundle id, receiving laptop, when written, state, codes. */
      g_print (_("%s  to “%s”  %s  %s: %s\n"), h->id, h->device_label, h->written, state, codes);
    }
  if (handovers->len == 0)
    g_print ("%s\n", _("This laptop has written no handovers."));
  return VW_CLI_EXIT_OK;
}

static int
study_cancel_handover (VwCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study cancel-handover", _("HANDOVER-ID|CODE"),
                     _("Stop waiting for a handover’s receipt: its participants stay on this laptop and can be "
                       "changed again, and a later receipt for it is refused. Only for a handover that never "
                       "reached the other laptop, or both laptops keep the participants."),
                     entries, &status))
    return status;
  if (argc != 2)
    return usage (_("study cancel-handover needs the handover’s id or the code of a participant it holds"));
  if (!open_study (&ctx, cli, study, &error) ||
      !vw_exchange_cancel_handover (ctx.vault, ctx.study, argv[1], &error))
    return vw_cli_fail (error);
  g_print (_("Cancelled the handover of %s: its participants stay on this laptop.\n"), argv[1]);
  return VW_CLI_EXIT_OK;
}

static int
study_dump (VwCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study dump", NULL,
                     _("Print every record of the study, decrypted, in a fixed order: two vaults with the same "
                       "dump hold the same study data."), entries, &status))
    return status;
  if (!open_study (&ctx, cli, study, &error) ||
      (dump = vw_exchange_canonical_dump (ctx.vault, ctx.study, &error)) == NULL)
    return vw_cli_fail (error);
  fputs (dump, stdout);
  explicit_bzero (dump, strlen (dump));
  return VW_CLI_EXIT_OK;
}

static int
study_set_min_attempts (VwCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *study = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwStudy) info = NULL;
  guint64 n = 0;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "study set-min-attempts", _("N"),
                     _("Set how many contact attempts a duo records in a round before it may call a participant "
                       "not findable (unreachable) without giving a reason (default 3). Invitations written "
                       "afterwards carry it to the duos’ laptops."), entries, &status))
    return status;
  if (argc != 2)
    return usage (_("study set-min-attempts needs one number N"));
  if (!g_ascii_string_to_unsigned (argv[1], 10, 0, VW_TRACING_MAX_MIN_ATTEMPTS, &n, NULL))
    {
      g_printerr (_("veldwerk-cli: N: “%s” is not a number from 0 to %d\n"), argv[1], VW_TRACING_MAX_MIN_ATTEMPTS);
      return VW_CLI_EXIT_USAGE;
    }
  if (!open_study (&ctx, cli, study, &error) || (info = vw_vault_get_study (ctx.vault, ctx.study, &error)) == NULL)
    return vw_cli_fail (error);
  if (info->role != VW_STUDY_ROLE_COORDINATOR)
    {
      g_printerr (_("veldwerk-cli: only the coordinator’s laptop sets the study’s minimum of attempts\n"));
      return VW_CLI_EXIT_USAGE;
    }
  if (!vw_vault_set_min_attempts (ctx.vault, ctx.study, (int) n, &error))
    return vw_cli_fail (error);
  g_print (_("The study’s minimum of contact attempts is now %d.\n"), (int) n);
  return VW_CLI_EXIT_OK;
}

static const struct
{
  const char       *name;
  VwCliCommandFunc  func;
} study_verbs[] = {
  { "setup", study_setup },
  { "show", study_show },
  { "add-device", study_add_device },
  { "invite", study_invite },
  { "join", study_join },
  { "revoke", study_revoke },
  { "devices", study_devices },
  { "link-identity", study_link_identity },
  { "prepare-round", study_prepare_round },
  { "handover", study_handover },
  { "handovers", study_handovers },
  { "cancel-handover", study_cancel_handover },
  { "dump", study_dump },
  { "set-min-attempts", study_set_min_attempts },
};

int
vw_cli_study (VwCli  *cli,
              int     argc,
              char  **argv)
{
  for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (study_verbs); i++)
    if (g_str_equal (argv[1], study_verbs[i].name))
      return study_verbs[i].func (cli, argc - 1, argv + 1);

  return usage (_("usage: veldwerk-cli study setup|show|add-device|devices|invite|join|revoke|link-identity|"
                  "prepare-round|handover|handovers|cancel-handover|dump …"));
}

int
vw_cli_submit (VwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *output = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the submission to FILE"), N_("FILE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Everything, not only what changed since the last submission"),
      NULL },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "submit", NULL,
                     _("Write a signed submission for the coordinator: codes, pseudonyms, interviews, answers, "
                       "notes, quotes, episodes and consent. Never names or contact details."), entries, &status))
    return status;
  if (output == NULL)
    return usage (_("submit needs -o FILE"));
  if (!open_study (&ctx, cli, study, &error) ||
      !vw_exchange_write_submission (ctx.vault, ctx.study, output, all, &id, &error))
    return vw_cli_fail (error);
  g_print (_("Wrote the submission %s to %s.\n"), id, output);
  return VW_CLI_EXIT_OK;
}

static gboolean
same_record (const VwConflict *a,
             const VwConflict *b)
{
  return g_str_equal (a->kind, b->kind) && g_str_equal (a->object, b->object) && g_str_equal (a->field, b->field);
}

static void
free_fields (gpointer fields)
{
  if (fields != NULL)
    g_ptr_array_unref (fields);
}

/* One line per side: who made it, and the value, or for a whole record
 * the fields in which the sides differ. @sides[first..end) are the sides
 * of one record. */
static void
print_sides (VwVault   *vault,
             GPtrArray *sides,
             guint      first,
             guint      end)
{
  const char * const *names = vw_conflict_field_names (((VwConflict *) g_ptr_array_index (sides, first))->kind);
  g_autoptr(GPtrArray) split = g_ptr_array_new_with_free_func (free_fields);

  for (guint i = first; names != NULL && i < end; i++)
    g_ptr_array_add (split, vw_conflict_split_value (g_ptr_array_index (sides, i)));
  for (guint i = first; i < end; i++)
    {
      const VwConflict *c = g_ptr_array_index (sides, i);
      g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, c->revision);
      g_autofree char *label = vw_exchange_device_label (vault, c->device, NULL);
      g_autofree char *record = *c->field ? g_strdup_printf ("%s %s %s", c->kind, c->object, c->field)
                                          : g_strdup_printf ("%s %s", c->kind, c->object);
      g_autoptr(GString) what = g_string_new (NULL);

      if (names == NULL)
        g_string_printf (what, "“%s”", c->value);
      for (guint f = 0; names != NULL && names[f] != NULL; f++)
        {
          GPtrArray *mine = g_ptr_array_index (split, i - first);
          const char *value = mine ? g_ptr_array_index (mine, f) : NULL;
          gboolean differs = FALSE;

          for (guint j = 0; j < split->len && mine != NULL; j++)
            {
              GPtrArray *other = g_ptr_array_index (split, j);
              differs |= other == NULL || g_strcmp0 (value, g_ptr_array_index (other, f)) != 0;
            }
          if (!differs)
            continue;
          if (what->len > 0)
            g_string_append (what, ", ");
          if (value != NULL)
            g_string_append_printf (what, "%s “%s”", names[f], value);
          else
            /* Translators: a field of a record that holds nothing, e.g. "end (empty)". */
            g_string_append_printf (what, _("%s (empty)"), names[f]);
        }
      /* Translators: record, what it holds, the device's label, its id, revision, time. */
      g_print (_("conflict: %s: %s by %s (device %s, revision %s, %s)\n"), record, what->str,
               label ? label : "?", *c->device ? c->device : "?", revision, c->updated);
    }
}

static void
print_conflicts (VwVault   *vault,
                 GPtrArray *conflicts)
{
  for (guint i = 0; i < conflicts->len;)
    {
      guint end = i + 1;

      while (end < conflicts->len && same_record (g_ptr_array_index (conflicts, i), g_ptr_array_index (conflicts, end)))
        end++;
      print_sides (vault, conflicts, i, end);
      i = end;
    }
}

/* Highest similarity first; a decision takes the codes as printed. */
static void
print_duplicates (GPtrArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      VwDuplicateCandidate *c = g_ptr_array_index (candidates, i);
      g_autofree char *codes = g_strjoinv (" ", c->codes);

      if (c->exact)
        g_print (_("possible duplicate: %s (same linkage identity)\n"), codes);
      else
        g_print (_("possible duplicate: %s (similarity %.0f%%)\n"), codes, c->similarity * 100);
    }
}

/* Beside the handover: its name with ".receipt" for its last extension. */
static char *
default_receipt_path (const char *handover)
{
  g_autofree char *dir = g_path_get_dirname (handover);
  g_autofree char *base = g_path_get_basename (handover);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, ".receipt", NULL);
  return g_build_filename (dir, name, NULL);
}

/* Every handover of the merge gets its receipt; returns FALSE if one
 * could not be written. */
static gboolean
write_receipts (StudyCtx      *ctx,
                VwMergeReport *report,
                const char    *receipt_path)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < report->receipts_due->len; i++)
    {
      VwMergeReceipt *due = g_ptr_array_index (report->receipts_due, i);
      g_autofree char *target = receipt_path ? g_strdup (receipt_path) : default_receipt_path (due->path);
      g_autoptr(GError) error = NULL;

      if (!vw_exchange_write_receipt (ctx->vault, ctx->study, due->handover, target, NULL, &error))
        {
          /* Translators: the receiving laptop, the reason, then the handover file. */
          g_printerr (_("veldwerk-cli: the merge is done, but the receipt for “%s” was not written: %s. Write it "
                        "with: veldwerk-cli merge --receipt FILE %s\n"), due->device_label, error->message,
                      due->path);
          ok = FALSE;
          continue;
        }
      g_print (g_dngettext (NULL,
                            "Wrote the receipt for “%s” to %s: send it back, so that %u participant is removed "
                            "there.\n",
                            "Wrote the receipt for “%s” to %s: send it back, so that %u participants are removed "
                            "there.\n", due->participants),
               due->device_label, target, due->participants);
    }
  return ok;
}

int
vw_cli_merge (VwCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *receipt = NULL;
  g_auto(GStrv) accept_revoked = NULL;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "receipt", 0, 0, G_OPTION_ARG_FILENAME, &receipt,
      N_("Write the receipt of the handover FILE here (default: beside it, ending in .receipt)"), N_("FILE") },
    { "accept-revoked", 0, 0, G_OPTION_ARG_STRING_ARRAY, &accept_revoked,
      N_("Accept this one bundle of a revoked laptop, as its refusal named it; recorded in the audit trail"),
      N_("BUNDLE-ID") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VwMergeReport) report = NULL;
  g_autoptr(GPtrArray) accepted = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_device_free);
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "merge", _("FILE…"),
                     _("Verify bundles and merge them in one transaction: submissions on the coordinator’s laptop, "
                       "round preparations, handovers and receipts on a duo’s. Nothing is merged if one is "
                       "rejected. A handover’s receipt is written beside it, for its sender."),
                     entries, &status))
    return status;
  if (argc < 2)
    return usage (_("merge needs at least one FILE"));
  if (receipt != NULL && argc != 2)
    return usage (_("merge --receipt goes with one FILE, a handover"));
  if (receipt != NULL && g_file_test (receipt, G_FILE_TEST_EXISTS))
    return usage (_("merge --receipt: that file exists already; name a new one"));
  if (!open_study (&ctx, cli, study, &error))
    return vw_cli_fail (error);
  /* An acceptance and the merge it is for are one transaction: a merge
   * that fails leaves no acceptance behind. */
  if (accept_revoked != NULL && !vw_vault_begin (ctx.vault, &error))
    return vw_cli_fail (error);
  for (guint i = 0; accept_revoked != NULL && accept_revoked[i] != NULL; i++)
    {
      VwDevice *device = vw_study_accept_revoked_bundle (ctx.vault, ctx.study, (const char * const *) argv + 1,
                                                         accept_revoked[i], &error);
      if (device == NULL)
        {
          vw_vault_rollback (ctx.vault);
          return vw_cli_fail (error);
        }
      g_ptr_array_add (accepted, device);
    }
  report = vw_exchange_merge (ctx.vault, ctx.study, (const char * const *) argv + 1, NULL, NULL, NULL, &error);
  if (accept_revoked != NULL && report == NULL)
    vw_vault_rollback (ctx.vault);
  else if (accept_revoked != NULL && !vw_vault_commit (ctx.vault, &error))
    g_clear_pointer (&report, vw_merge_report_free);
  if (report == NULL)
    return vw_cli_fail (error);
  for (guint i = 0; i < accepted->len; i++)
    {
      VwDevice *device = g_ptr_array_index (accepted, i);
      g_print (_("Accepted bundle %s of the revoked device “%s” (%s), as recorded in the audit trail.\n"),
               accept_revoked[i], device->label, device->id);
    }

  for (guint i = 0; i < report->replays->len; i++)
    g_print (_("skipped: %s\n"), (const char *) g_ptr_array_index (report->replays, i));
  g_print (g_dngettext (NULL, "Merged %u bundle: ", "Merged %u bundles: ", report->bundles), report->bundles);
  g_print (_("%u added, %u updated, %u unchanged, %u new conflicts.\n"), report->added, report->updated,
           report->unchanged, report->conflicts);
  print_conflicts (ctx.vault, report->conflict_list);
  {
    g_autoptr(GPtrArray) candidates = vw_exchange_duplicate_candidates (ctx.vault, ctx.study, &error);

    if (candidates == NULL)
      return vw_cli_fail (error);
    print_duplicates (candidates);
  }
  for (guint i = 0; i < report->receipts_merged->len; i++)
    {
      VwMergeReceipt *r = g_ptr_array_index (report->receipts_merged, i);

      g_print (g_dngettext (NULL, "The receipt from “%s” arrived: removed %u participant of handover %s.\n",
                            "The receipt from “%s” arrived: removed %u participants of handover %s.\n",
                            r->participants),
               r->device_label, r->participants, r->handover);
    }
  if (receipt != NULL && report->receipts_due->len == 0)
    g_print (_("No receipt to write: %s is not a handover merged here.\n"), argv[1]);
  if (!write_receipts (&ctx, report, receipt))
    return VW_CLI_EXIT_FAILURE;
  return VW_CLI_EXIT_OK;
}

int
vw_cli_conflicts (VwCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *study = NULL;
  g_autofree char *value = NULL;
  g_autofree char *device = NULL;
  g_autofree char *reason = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("The study’s id (default: the latest)"), N_("ID") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("List resolved conflicts too"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("split: why the two codes are different people"),
      N_("TEXT") },
    { "value", 0, 0, G_OPTION_ARG_STRING, &value, N_("resolve: the value to keep (an answer, value or note)"),
      N_("VALUE") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("resolve: keep the side of this laptop (label or device id)"),
      N_("DEVICE") },
    { NULL }
  };
  g_auto(StudyCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autoptr(GPtrArray) aliases = NULL;
  g_autoptr(GPtrArray) differences = NULL;
  int status;

  if (!vw_cli_parse (cli, &argc, &argv, "conflicts",
                     _("[list | resolve KIND RECORD [FIELD] (--value VALUE | --device DEVICE) | "
                       "keep-apart CODE CODE... | join KEEP CODE... | split KEPT JOINED --reason TEXT]"),
                     _("List the records two laptops changed differently, and settle them: a cell with a value, "
                       "any record by keeping one laptop’s side."), entries, &status))
    return status;
  if (argc >= 2 && g_str_equal (argv[1], "resolve"))
    {
      const char *field = argc == 5 ? argv[4] : "";

      if ((argc != 4 && argc != 5) || (value == NULL) == (device == NULL))
        return usage (_("conflicts resolve needs KIND RECORD [FIELD] and either --value VALUE or --device DEVICE"));
      if (!open_study (&ctx, cli, study, &error) ||
          !(device != NULL ? vw_exchange_resolve_side (ctx.vault, ctx.study, argv[2], argv[3], field, device, &error)
                           : vw_exchange_resolve (ctx.vault, ctx.study, argv[2], argv[3], field, value, &error)))
        return vw_cli_fail (error);
      g_print (_("Resolved %s %s %s.\n"), argv[2], argv[3], field);
      return VW_CLI_EXIT_OK;
    }
  if (argc >= 2 && (g_str_equal (argv[1], "keep-apart") || g_str_equal (argv[1], "join")))
    {
      gboolean join = g_str_equal (argv[1], "join");
      g_autoptr(GPtrArray) codes = g_ptr_array_new ();

      /* join KEEP OTHER...: the first code is the one that stays. */
      if (argc < 4)
        return usage (join ? _("conflicts join needs the code to keep and the other codes of its group")
                           : _("conflicts keep-apart needs every code of the group"));
      for (int i = 2; i < argc; i++)
        g_ptr_array_add (codes, argv[i]);
      g_ptr_array_add (codes, NULL);
      if (!open_study (&ctx, cli, study, &error) ||
          !vw_exchange_decide_duplicates (ctx.vault, ctx.study, (const char * const *) codes->pdata,
                                          join ? VW_DUPLICATE_JOIN : VW_DUPLICATE_KEEP_APART,
                                          join ? argv[2] : NULL, &error))
        return vw_cli_fail (error);
      if (join)
        g_print (_("Joined: one person, kept as %s; the other codes are aliases of it.\n"), argv[2]);
      else
        g_print ("%s\n", _("Recorded: different people, kept apart."));
      return VW_CLI_EXIT_OK;
    }
  if (argc >= 2 && g_str_equal (argv[1], "split"))
    {
      if (argc != 4)
        return usage (_("conflicts split needs the kept code and the joined code, and --reason TEXT"));
      if (!open_study (&ctx, cli, study, &error) ||
          !vw_vault_split_participants (ctx.vault, ctx.study, argv[2], argv[3], reason, &error))
        return vw_cli_fail (error);
      g_print (_("Split: %s and %s are two participants again.\n"), argv[2], argv[3]);
      return VW_CLI_EXIT_OK;
    }
  if (argc > 2 || (argc == 2 && !g_str_equal (argv[1], "list")))
    return usage (_("usage: veldwerk-cli conflicts [list | resolve KIND RECORD [FIELD] (--value VALUE | "
                    "--device DEVICE) | keep-apart CODE CODE... | join KEEP CODE... | "
                    "split KEPT JOINED --reason TEXT]"));
  if (!open_study (&ctx, cli, study, &error) ||
      (conflicts = vw_exchange_list_conflicts (ctx.vault, ctx.study, all, &error)) == NULL ||
      (duplicates = vw_exchange_duplicate_candidates (ctx.vault, ctx.study, &error)) == NULL ||
      (aliases = vw_vault_list_aliases (ctx.vault, ctx.study, &error)) == NULL ||
      (differences = vw_vault_join_differences (ctx.vault, ctx.study, &error)) == NULL)
    return vw_cli_fail (error);
  print_conflicts (ctx.vault, conflicts);
  print_duplicates (duplicates);
  for (guint i = 0; i < aliases->len; i++)
    {
      const VwAlias *a = g_ptr_array_index (aliases, i);

      g_print (_("joined: %s is an alias of %s since %s (%s)\n"), a->alias, a->kept, a->joined, a->reason);
    }
  for (guint i = 0; i < differences->len; i++)
    g_print (_("to check after a join: %s\n"), (const char *) g_ptr_array_index (differences, i));
  if (conflicts->len == 0)
    g_print ("%s\n", _("No open conflicts."));
  return VW_CLI_EXIT_OK;
}
