/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Data compiled into the core: the normative codebook and the shipped
 * questionnaires. */
#define VW_RESOURCE_PREFIX             "/io/github/veldwerk/Veldwerk/core/"
#define VW_RESOURCE_CORE_CODEBOOK      VW_RESOURCE_PREFIX "codebook/core.json"
#define VW_RESOURCE_EXPORT_R_SCRIPT    VW_RESOURCE_PREFIX "export/veldwerk_labels.R"
#define VW_RESOURCE_SHIPPED_QUESTIONNAIRE VW_RESOURCE_PREFIX "questionnaires/mo-bw-trajectory.json"

/* The resource registers itself when the program starts; look data up
 * with g_resource_lookup_data (vw_core_get_resource (), ...). Its prefix
 * (.../core/) keeps it apart from the application's resources. */
#include "vw-core-resources.h"

G_END_DECLS
