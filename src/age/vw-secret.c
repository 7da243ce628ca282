/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "vw-secret.h"

struct _VwSecret
{
  gsize   len;      /* bytes in use */
  gsize   capacity; /* bytes allocated after the header */
  guint8 *data;     /* owned, sodium_malloc */
};

/**
 * vw_secret_new:
 * @len: the number of bytes
 *
 * Returns: (transfer full): a zero-filled secret of @len bytes. Aborts when
 * secure memory cannot be had, as g_malloc() does for ordinary memory.
 */
VwSecret *
vw_secret_new (gsize len)
{
  VwSecret *self = g_new0 (VwSecret, 1);

  /* sodium_malloc(0) is allowed but returns a pointer that must not be
   * touched; keep one byte so data is always a valid address. */
  self->capacity = MAX (len, 1);
  self->data = sodium_malloc (self->capacity);
  if (self->data == NULL)
    g_error ("Out of secure memory (%" G_GSIZE_FORMAT " bytes)", self->capacity);
  sodium_memzero (self->data, self->capacity);
  self->len = len;

  return self;
}

VwSecret *
vw_secret_new_from (const guint8 *data,
                    gsize         len)
{
  VwSecret *self = vw_secret_new (len);

  if (len > 0)
    memcpy (self->data, data, len);

  return self;
}

VwSecret *
vw_secret_dup (const VwSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return vw_secret_new_from (secret->data, secret->len);
}

void
vw_secret_free (VwSecret *secret)
{
  if (secret == NULL)
    return;

  /* sodium_free wipes the memory before releasing it. */
  sodium_free (secret->data);
  g_free (secret);
}

guint8 *
vw_secret_data (VwSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return secret->data;
}

const guint8 *
vw_secret_const_data (const VwSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return secret->data;
}

gsize
vw_secret_len (const VwSecret *secret)
{
  g_return_val_if_fail (secret != NULL, 0);

  return secret->len;
}

/**
 * vw_secret_truncate:
 *
 * Shortens the secret to @len bytes and wipes the bytes after it, for
 * buffers that were allocated larger than what was read into them.
 */
void
vw_secret_truncate (VwSecret *secret,
                    gsize     len)
{
  g_return_if_fail (secret != NULL);
  g_return_if_fail (len <= secret->len);

  sodium_memzero (secret->data + len, secret->capacity - len);
  secret->len = len;
}

/* Constant time, so that comparing key material leaks nothing about where
 * two secrets first differ. */
gboolean
vw_secret_equal (const VwSecret *a,
                 const VwSecret *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->len != b->len)
    return FALSE;
  if (a->len == 0)
    return TRUE;

  return sodium_memcmp (a->data, b->data, a->len) == 0;
}

/**
 * vw_secret_wipe_string:
 * @text: (nullable) (transfer full): a NUL-terminated string to wipe and
 *   free
 */
void
vw_secret_wipe_string (char *text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
  g_free (text);
}
