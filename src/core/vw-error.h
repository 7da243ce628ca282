/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VW_ERROR (vw_error_quark ())

/* General errors of the core; modules with richer failure modes declare
 * their own domains next to their API. */
typedef enum {
  VW_ERROR_FAILED,
  VW_ERROR_CRYPTO_INIT,
  VW_ERROR_INVALID_ARGUMENT,
  VW_ERROR_IO,
} VwError;

GQuark vw_error_quark (void);

G_END_DECLS
