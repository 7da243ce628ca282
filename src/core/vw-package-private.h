/* vw-package-private.h: what the pool, its tests and the fuzz target use
 * of a package beyond the public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-package.h"

G_BEGIN_DECLS

gboolean   vw_package_name_is_valid  (const char        *name);
/* Takes @manifest; no check is made. */
VwPackage *vw_package_new_unverified (const char        *name,
                                      VwPackageManifest *manifest,
                                      GBytes            *long_csv,
                                      GBytes            *wide_csv);

G_END_DECLS
