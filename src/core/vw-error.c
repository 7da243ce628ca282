/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vw-error.h"

G_DEFINE_QUARK (vw-error-quark, vw_error)
