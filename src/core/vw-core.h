/* vw-core.h: the Veldwerk core library, everything that is not a widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-age.h"
#include "vw-atomic-file.h"
#include "vw-bundle.h"
#include "vw-codebook.h"
#include "vw-error.h"
#include "vw-init.h"
#include "vw-paths.h"
#include "vw-secret.h"
