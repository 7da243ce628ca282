/* vw-core.h: the Veldwerk core library, everything that is not a widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vw-age.h"
#include "vw-atomic-file.h"
#include "vw-bech32.h"
#include "vw-bundle.h"
#include "vw-codebook.h"
#include "vw-comparison.h"
#include "vw-csv.h"
#include "vw-demo.h"
#include "vw-error.h"
#include "vw-export.h"
#include "vw-expr.h"
#include "vw-init.h"
#include "vw-package.h"
#include "vw-paths.h"
#include "vw-pool.h"
#include "vw-questionnaire.h"
#include "vw-records.h"
#include "vw-recovery-code.h"
#include "vw-secret.h"
#include "vw-study.h"
#include "vw-exchange.h"
#include "vw-tablebook.h"
#include "vw-tables.h"
#include "vw-trajectory.h"
#include "vw-vault.h"
#include "vw-vault-records.h"
