/* vw-vault-contacts.h: contact details, the most sensitive data a vault
 * holds. They never leave the laptop except in a handover to another duo,
 * so they are kept out of vw-vault.h and vw-core.h: code that builds
 * submissions or exports cannot reach them without including this header
 * on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-vault.h"

G_BEGIN_DECLS

/* Every field is nullable: not recorded. */
typedef struct
{
  char *phone;
  char *usual_place;   /* where the person usually stays */
  char *care_contact;  /* a contact at the care provider */
  char *real_name;     /* only if the duo recorded it */
  char *remarks;
} VwContact;

void        vw_contact_free         (VwContact       *contact);

gboolean    vw_vault_set_contact    (VwVault         *self,
                                     const char      *study,
                                     const char      *code,
                                     const VwContact *contact,
                                     GError         **error);
VwContact  *vw_vault_get_contact    (VwVault         *self,
                                     const char      *study,
                                     const char      *code,
                                     GError         **error);
gboolean    vw_vault_delete_contact (VwVault         *self,
                                     const char      *study,
                                     const char      *code,
                                     GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwContact, vw_contact_free)

G_END_DECLS
