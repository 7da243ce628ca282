/* vw-exchange-receipt-private.h: handovers and their receipts, as the
 * handover writer (vw-exchange.c), the merge (vw-merge.c) and the fuzz
 * target use them. See vw-exchange-receipt.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-exchange.h"

G_BEGIN_DECLS

/* The largest receipt content read: thousands of codes. */
#define VW_RECEIPT_MAX_CONTENT (64 * 1024)

/* The content of a receipt bundle (README-bundles.md, "Receipt content"). */
typedef struct
{
  char  *handover;       /* 32 lower-case hex digits: the handover's bundle id */
  char  *content_sha256; /* 64 lower-case hex digits: the handover's content hash */
  GStrv  codes;          /* at least one; valid participant codes, sorted, each once */
} VwReceiptContent;

void      vw_receipt_content_clear    (VwReceiptContent        *content);
/* The one serialization: fixed member order, no spaces. */
GBytes   *vw_receipt_content_to_bytes (const VwReceiptContent  *content);
/* Accepts only what vw_receipt_content_to_bytes() makes, byte for byte;
 * anything else is VW_EXCHANGE_ERROR_FORMAT and leaves @content empty. */
gboolean  vw_receipt_content_parse    (const char              *data,
                                       gsize                    len,
                                       VwReceiptContent        *content,
                                       GError                 **error);

/* Adds this laptop's age recipient to @recipients
 * (element-type VwAgeRecipient). */
gboolean  vw_handover_add_own_recipient (VwVault               *vault,
                                         GPtrArray             *recipients,
                                         GError               **error);
/* Reads a bundle this laptop wrote back as its receiver would, and checks
 * it is @bundle_id with content @content_sha256 (lower-case hex). */
gboolean  vw_exchange_verify_written  (VwVault                 *vault,
                                       const char              *study,
                                       const char              *path,
                                       VwBundleKind             kind,
                                       const char              *bundle_id,
                                       const char              *content_sha256,
                                       GError                 **error);
/* Before a handover is written: none of @codes may await a receipt. */
gboolean  vw_handover_check_codes     (VwVault                 *vault,
                                       const char              *study,
                                       const char * const      *codes,
                                       GError                 **error);
/* After it was written to @path: reads it back as this laptop (which it
 * is encrypted to), checks it is the bundle @bundle_id signed here with
 * content @content_sha256, and records it. A file that does not read back
 * is deleted. */
gboolean  vw_handover_verify_and_record (VwVault               *vault,
                                         const char            *study,
                                         const char            *device_id,
                                         const char * const    *codes,
                                         const char            *path,
                                         const char            *bundle_id,
                                         const char            *content_sha256,
                                         gboolean               remove_on_receipt,
                                         GError               **error);

/* For vw_exchange_merge(). A receipt is checked before the transaction
 * (vw_receipt_check(): NULL with @replay set means a receipt for a
 * handover already received, which changes nothing) and applied inside
 * it. A handover merged here is noted inside the transaction, so that its
 * receipt can be written afterwards, now or later. */
typedef struct _VwReceiptCheck VwReceiptCheck;

VwReceiptCheck *vw_receipt_check      (VwVault                 *vault,
                                       const char              *study,
                                       VwBundle                *bundle,
                                       const char              *path,
                                       char                   **replay,
                                       GError                 **error);
void      vw_receipt_check_free       (VwReceiptCheck          *check);
gboolean  vw_receipt_apply            (VwVault                 *vault,
                                       const char              *study,
                                       VwReceiptCheck          *check,
                                       VwMergeReport           *report,
                                       GError                 **error);
gboolean  vw_receipt_note_handover    (VwVault                 *vault,
                                       const char              *study,
                                       VwBundle                *bundle,
                                       const char              *path,
                                       const char              *merged,
                                       VwMergeReport           *report,
                                       GError                 **error);
/* A handover merged before and opened again: its receipt is due again. */
void      vw_receipt_note_replay      (VwVault                 *vault,
                                       const char              *study,
                                       VwBundle                *bundle,
                                       const char              *path,
                                       VwMergeReport           *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwReceiptCheck, vw_receipt_check_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VwReceiptContent, vw_receipt_content_clear)

G_END_DECLS
