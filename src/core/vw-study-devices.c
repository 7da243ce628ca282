/* vw-study-devices.c: enrolling laptops in a study, revoking them, and
 * deciding whose bundles are believed.
 *
 * Enrolment is unambiguous: within a study a label (case and spacing
 * folded) and each key belong to one laptop, so "duo Zuid" or a
 * fingerprint always names one device. Revocation refuses every bundle the
 * laptop signed from that moment, whatever date the bundle carries, since
 * its creation time is the sender's own claim; the coordinator can accept
 * one named bundle of a revoked laptop, and that decision lives in the
 * audit trail, sealed to the vault's key, where the trust check reads it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-fingerprint.h"
#include "vw-study.h"
#include "vw-vault-private.h"

#define ACCEPTED_ACTION "revoked_bundle_accepted"

char *
vw_study_device_fingerprint (const VwDevice *device)
{
  return vw_fingerprint_of_key (device->ed25519_public);
}

/* A label as people tell labels apart: trimmed, runs of white space made
 * one space, Unicode compatibility forms and case folded. */
static char *
fold_label (const char *label)
{
  g_autofree char *normal = g_utf8_normalize (label, -1, G_NORMALIZE_NFKC);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  if (normal == NULL)
    return g_strdup ("");
  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_utf8_casefold (out->str, -1);
}

/* The devices recorded for @study (or for every study), this laptop's
 * own included; @study NULL gives every device. */
static GPtrArray *
study_devices (VwVault     *vault,
               const char  *study,
               gboolean     with_own,
               GError     **error)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (vault, error);

  if (devices == NULL)
    return NULL;
  for (guint i = devices->len; i-- > 0;)
    {
      VwDevice *device = g_ptr_array_index (devices, i);

      if (device->own ? !with_own : g_strcmp0 (device->study, study) != 0)
        g_ptr_array_remove_index (devices, i);
    }
  return g_steal_pointer (&devices);
}

GPtrArray *
vw_study_list_devices (VwVault     *vault,
                       const char  *study,
                       GError     **error)
{
  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_study (vault, study, error))
    return NULL;
  return study_devices (vault, study, FALSE, error);
}

/* "“duo Noord” (id …, fingerprint …)" for messages. */
static char *
describe (const VwDevice *device)
{
  g_autofree char *fingerprint = vw_study_device_fingerprint (device);

  if (device->own)
    return g_strdup_printf (_("this laptop (“%s”, fingerprint %s)"), device->label, fingerprint);
  if (device->revoked_at != NULL)
    return g_strdup_printf (_("“%s” (id %s, fingerprint %s, revoked on %s)"), device->label, device->id, fingerprint,
                            device->revoked_at);
  return g_strdup_printf (_("“%s” (id %s, fingerprint %s)"), device->label, device->id, fingerprint);
}

static gboolean
check_enrolment (GPtrArray     *devices,
                 const char    *label,
                 const guint8  *x25519,
                 const guint8  *ed25519,
                 GError       **error)
{
  g_autofree char *folded = fold_label (label);

  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *other = fold_label (device->label);
      g_autofree char *who = NULL;

      if (memcmp (device->ed25519_public, ed25519, 32) == 0)
        {
          who = describe (device);
          g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_EXISTS,
                       _("This signing key is already enrolled in the study as %s"), who);
          return FALSE;
        }
      if (memcmp (device->x25519_public, x25519, 32) == 0)
        {
          who = describe (device);
          g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_EXISTS,
                       _("This recipient is already enrolled in the study as %s"), who);
          return FALSE;
        }
      if (!device->own && g_str_equal (folded, other))
        {
          who = describe (device);
          g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_EXISTS,
                       _("The label “%s” is already used in the study by %s: give this laptop another one"), label,
                       who);
          return FALSE;
        }
    }
  return TRUE;
}

char *
vw_study_add_device (VwVault     *vault,
                     const char  *study,
                     const char  *label,
                     const char  *recipient,
                     const char  *signing_key,
                     GError     **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *id = NULL;
  guint8 x[32], ed[32];

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_study (vault, study, error) ||
      !vw_study_parse_device_keys (recipient, signing_key, x, ed, error))
    return NULL;
  trimmed = g_strstrip (g_strdup (label != NULL && g_utf8_validate (label, -1, NULL) ? label : ""));
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      *trimmed = '\0';
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                           _("A laptop needs a label of one line, such as “duo Noord”"));
      return NULL;
    }
  /* The check and the insert in one transaction. */
  if (!vw_vault_tx_begin (vault, error))
    return NULL;
  if ((devices = study_devices (vault, study, TRUE, error)) == NULL ||
      !check_enrolment (devices, trimmed, x, ed, error) ||
      (id = vw_vault_add_device (vault, study, trimmed, x, ed, TRUE, error)) == NULL)
    {
      vw_vault_tx_rollback (vault);
      return NULL;
    }
  if (!vw_vault_tx_commit (vault, error))
    return NULL;
  return g_steal_pointer (&id);
}

VwDevice *
vw_study_find_device (VwVault     *vault,
                      const char  *study,
                      const char  *device,
                      GError     **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GString) ids = NULL;
  guint n_found = 0, found = 0;

  if (!vw_vault_require_unlocked (vault, error) || (devices = study_devices (vault, study, FALSE, error)) == NULL)
    return NULL;
  if (device == NULL)
    device = "";
  for (guint i = 0; i < devices->len; i++)
    if (g_strcmp0 (((VwDevice *) g_ptr_array_index (devices, i))->id, device) == 0)
      return g_ptr_array_steal_index (devices, i);

  /* A fingerprint as it was read out. */
  if ((digits = vw_fingerprint_normalize (device, NULL)) != NULL)
    {
      for (guint i = 0; i < devices->len; i++)
        {
          g_autofree char *fingerprint = vw_study_device_fingerprint (g_ptr_array_index (devices, i));
          g_autofree char *other = vw_fingerprint_normalize (fingerprint, NULL);

          if (g_str_equal (digits, other))
            return g_ptr_array_steal_index (devices, i);
        }
    }

  /* A label, when it names one laptop: one enrolled before labels were
   * unique may share it. */
  folded = fold_label (device);
  ids = g_string_new (NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      VwDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *other = fold_label (d->label);

      if (!g_str_equal (folded, other))
        continue;
      g_string_append_printf (ids, "%s%s", n_found > 0 ? ", " : "", d->id);
      found = i;
      n_found++;
    }
  if (n_found == 1)
    return g_ptr_array_steal_index (devices, found);
  if (n_found > 1)
    g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_AMBIGUOUS,
                 _("“%s” is the label of %u laptops (ids %s): name one by its id or fingerprint"), device, n_found,
                 ids->str);
  else
    vw_vault_not_found (error, _("device"), device);
  return NULL;
}

VwDevice *
vw_study_revoke_device (VwVault     *vault,
                        const char  *study,
                        const char  *device,
                        gboolean    *already_revoked,
                        GError     **error)
{
  g_autoptr(VwDevice) found = vw_study_find_device (vault, study, device, error);

  *already_revoked = FALSE;
  if (found == NULL)
    return NULL;
  if (found->revoked_at != NULL)
    {
      *already_revoked = TRUE;
      return g_steal_pointer (&found);
    }
  if (!vw_vault_revoke_device (vault, found->id, error))
    return NULL;
  return vw_study_find_device (vault, study, found->id, error);
}

/* The device of @study (or of every study) with the signing key @signer;
 * a laptop enrolled in two studies has a device in each. */
static VwDevice *
signer_device (VwVault      *vault,
               const char   *study,
               const guint8 *signer)
{
  g_autoptr(GPtrArray) devices = vw_vault_list_devices (vault, NULL);

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      VwDevice *device = g_ptr_array_index (devices, i);

      if (memcmp (device->ed25519_public, signer, 32) == 0 &&
          (device->study == NULL || g_strcmp0 (device->study, study) == 0))
        return g_ptr_array_steal_index (devices, i);
    }
  return NULL;
}

gboolean
vw_study_trust_func (const char   *study_id,
                     const guint8 *signer_public_key,
                     gpointer      user_data)
{
  g_autoptr(VwDevice) device = signer_device (user_data, study_id, signer_public_key);

  return device != NULL && !device->own && device->trusted && device->revoked_at == NULL;
}

gboolean
vw_study_is_coordinator_key (VwVault      *vault,
                             const char   *study,
                             const guint8 *signer,
                             GError      **error)
{
  g_autoptr(VwDevice) device = signer_device (vault, study, signer);
  g_auto(GStrv) recipients = NULL;

  if (device == NULL || device->own)
    return FALSE;
  if ((recipients = vw_study_list_recipients (vault, study, error)) == NULL)
    return FALSE;
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      VwAgeRecipient *recipient = vw_age_recipient_parse (recipients[i], NULL);
      guint8 public_key[32];
      gboolean same = recipient != NULL && vw_age_recipient_get_x25519 (recipient, public_key) &&
                      sodium_memcmp (public_key, device->x25519_public, 32) == 0;

      g_clear_pointer (&recipient, vw_age_recipient_free);
      if (same)
        return TRUE;
    }
  return FALSE;
}

/* What the audit trail holds when the coordinator accepted a bundle of a
 * revoked laptop: the bundle, its signer and its content, so that the
 * acceptance is for exactly that file. */
static char *
acceptance_detail (VwBundle *bundle)
{
  char signer[65];

  sodium_bin2hex (signer, sizeof signer, vw_bundle_get_signer (bundle), 32);
  return g_strdup_printf ("bundle %s signer %s sha256 %s", vw_bundle_get_id (bundle), signer,
                          vw_bundle_get_content_sha256 (bundle));
}

static gboolean
accepted_by_name (VwVault        *vault,
                  const VwDevice *device,
                  VwBundle       *bundle)
{
  g_autoptr(GPtrArray) details = vw_vault_audit_details (vault, ACCEPTED_ACTION, device->id, NULL);
  g_autofree char *wanted = acceptance_detail (bundle);

  for (guint i = 0; details != NULL && i < details->len; i++)
    if (g_str_equal (g_ptr_array_index (details, i), wanted))
      return TRUE;
  return FALSE;
}

static char *
created_text (VwBundle *bundle)
{
  GDateTime *created = vw_bundle_get_created (bundle);

  return created != NULL ? g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");
}

/* The VwBundleSignerCheck of vw_study_open_bundle(): @user_data is the
 * vault. */
static gboolean
check_signer (VwBundle  *bundle,
              gpointer   user_data,
              GError   **error)
{
  VwVault *vault = user_data;
  const char *study = vw_bundle_get_study_id (bundle);
  g_autoptr(VwDevice) device = signer_device (vault, study, vw_bundle_get_signer (bundle));
  g_autofree char *fingerprint = vw_fingerprint_of_key (vw_bundle_get_signer (bundle));

  if (device == NULL || device->own || !device->trusted)
    {
      g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED,
                   _("The bundle was signed by a device that is not trusted for study “%s” (fingerprint %s)"), study,
                   fingerprint);
      return FALSE;
    }
  if (device->revoked_at != NULL)
    {
      g_autofree char *created = NULL;

      if (accepted_by_name (vault, device, bundle))
        return TRUE;
      created = created_text (bundle);
      g_set_error (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED,
                   _("The bundle was signed by “%s”, a device no longer trusted: it was revoked on %s, and its "
                     "bundles are refused from then on, whatever date they carry (this one, bundle %s, says it "
                     "was made %s). To accept exactly this bundle: veldwerk-cli merge --accept-revoked %s FILE"),
                   device->label, device->revoked_at, vw_bundle_get_id (bundle), created, vw_bundle_get_id (bundle));
      return FALSE;
    }
  return TRUE;
}

static VwBundle *
open_checked (VwVault              *vault,
              const char           *path,
              VwBundleKind          kind,
              const char           *study,
              VwBundleSignerCheck   check,
              gpointer              check_data,
              GError              **error)
{
  g_autoptr(GPtrArray) identities = vw_study_own_identities (vault, error);
  g_autofree char *spool = g_path_get_dirname (vw_vault_get_path (vault));

  if (identities == NULL)
    return NULL;
  return vw_bundle_open_checked (path, identities, kind, study, check, check_data, spool, NULL, error);
}

VwBundle *
vw_study_open_bundle (VwVault      *vault,
                      const char   *path,
                      VwBundleKind  kind,
                      const char   *study,
                      GError      **error)
{
  g_autoptr(GError) local = NULL;
  VwBundle *bundle = open_checked (vault, path, kind, study, check_signer, vault, &local);

  if (bundle == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, local->domain, local->code, _("Rejected %s: %s"), name, local->message);
    }
  return bundle;
}

typedef struct
{
  VwVault    *vault;
  const char *study;
  const char *bundle_id;
  VwDevice   *device;   /* owned: the revoked signer of the named bundle */
  gboolean    named;    /* the bundle opened is the one named */
} Acceptance;

static gboolean
check_acceptance (VwBundle  *bundle,
                  gpointer   user_data,
                  GError   **error)
{
  Acceptance *a = user_data;
  g_autofree char *fingerprint = NULL;

  a->named = g_str_equal (vw_bundle_get_id (bundle), a->bundle_id);
  if (!a->named)
    {
      g_set_error_literal (error, VW_BUNDLE_ERROR, VW_BUNDLE_ERROR_UNTRUSTED, "");
      return FALSE;
    }
  g_clear_pointer (&a->device, vw_device_free);
  a->device = signer_device (a->vault, a->study, vw_bundle_get_signer (bundle));
  fingerprint = vw_fingerprint_of_key (vw_bundle_get_signer (bundle));
  if (a->device == NULL || a->device->own || !a->device->trusted)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_NOT_ALLOWED,
                   _("Bundle %s was signed by a device that was never enrolled in this study (fingerprint %s): "
                     "only a revoked laptop’s bundle can be accepted by name"), a->bundle_id, fingerprint);
      return FALSE;
    }
  if (a->device->revoked_at == NULL)
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_NOT_ALLOWED,
                   _("Bundle %s comes from “%s”, which is not revoked: merge it without --accept-revoked"),
                   a->bundle_id, a->device->label);
      return FALSE;
    }
  return TRUE;
}

static gboolean
valid_bundle_id (const char *id)
{
  if (id == NULL || strlen (id) != 32)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

VwDevice *
vw_study_accept_revoked_bundle (VwVault            *vault,
                                const char         *study,
                                const char * const *paths,
                                const char         *bundle_id,
                                GError            **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (bundle_id != NULL ? bundle_id : ""));
  g_autofree char *id = g_ascii_strdown (trimmed, -1);
  Acceptance a = { vault, study, id, NULL, FALSE };

  if (!vw_vault_require_unlocked (vault, error) || !vw_vault_check_study (vault, study, error))
    return NULL;
  if (!valid_bundle_id (id))
    {
      g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID,
                   _("“%s” is not a bundle id (32 hexadecimal digits, as the refusal named it)"), bundle_id);
      return NULL;
    }
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(VwBundle) bundle = open_checked (vault, paths[i], VW_BUNDLE_KIND_ANY, study, check_acceptance, &a,
                                                 &local);
      g_autofree char *detail = NULL;
      g_autoptr(GPtrArray) details = NULL;

      if (bundle == NULL && !a.named)
        continue; /* another file; the merge checks it */
      if (bundle == NULL)
        {
          g_autofree char *name = g_filename_display_name (paths[i]);

          g_clear_pointer (&a.device, vw_device_free);
          g_set_error (error, local->domain, local->code, _("Rejected %s: %s"), name, local->message);
          return NULL;
        }
      detail = acceptance_detail (bundle);
      if ((details = vw_vault_audit_details (vault, ACCEPTED_ACTION, a.device->id, error)) == NULL ||
          (!g_ptr_array_find_with_equal_func (details, detail, g_str_equal, NULL) &&
           !vw_vault_audit (vault, ACCEPTED_ACTION, a.device->id, detail, error)))
        {
          g_clear_pointer (&a.device, vw_device_free);
          return NULL;
        }
      return a.device;
    }
  g_set_error (error, VW_STUDY_ERROR, VW_STUDY_ERROR_INVALID, _("None of the files is the bundle %s"), id);
  return NULL;
}
