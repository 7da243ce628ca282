/* vw-json-positions.h: where each element of a JSON text starts.
 *
 * json-glib 1.6 keeps no positions in its tree, and its parser signals fire
 * after a value has been read; this small pass over the same text records
 * the byte offset of every value and member name, so that problems found in
 * the parsed tree can name FILE:LINE:COLUMN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper nesting is refused before json-glib, whose parser recurses. */
#define VW_JSON_MAX_DEPTH 32

typedef struct _VwJsonPos VwJsonPos;
typedef struct _VwJsonPositions VwJsonPositions;

typedef struct
{
  char  *key;
  gsize  offset;
} VwJsonDuplicate;

VwJsonPositions *vw_json_positions_scan         (const char            *text,
                                                 gsize                  len,
                                                 gsize                 *too_deep_offset);
void             vw_json_positions_free         (VwJsonPositions       *positions);
VwJsonPos       *vw_json_positions_get_root     (VwJsonPositions       *positions);
void             vw_json_positions_locate       (VwJsonPositions       *positions,
                                                 gsize                  offset,
                                                 guint                 *line,
                                                 guint                 *column);
gsize            vw_json_positions_string_offset (VwJsonPositions      *positions,
                                                 gsize                  string_offset,
                                                 gsize                  decoded_offset);

gsize            vw_json_pos_get_offset         (const VwJsonPos       *pos);
gsize            vw_json_pos_get_key_offset     (const VwJsonPos       *pos);
VwJsonPos       *vw_json_pos_get_member         (const VwJsonPos       *pos,
                                                 const char            *key);
VwJsonPos       *vw_json_pos_get_element        (const VwJsonPos       *pos,
                                                 guint                  index);
const GArray    *vw_json_pos_get_duplicates     (const VwJsonPos       *pos);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VwJsonPositions, vw_json_positions_free)

G_END_DECLS
