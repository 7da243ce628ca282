/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vw-paths.h"

/**
 * vw_paths_default_vault:
 *
 * Returns: (transfer full): the vault used when none is named:
 * `$XDG_DATA_HOME/veldwerk/veldwerk.vault`.
 */
char *
vw_paths_default_vault (void)
{
  return g_build_filename (g_get_user_data_dir (), "veldwerk", "veldwerk.vault", NULL);
}
