/* vw-residence-editor.h: the residence history of a participant as a list
 * of stays (where, from which month, until which month or still there).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VW_TYPE_RESIDENCE_EDITOR (vw_residence_editor_get_type ())
G_DECLARE_FINAL_TYPE (VwResidenceEditor, vw_residence_editor, VW, RESIDENCE_EDITOR, GtkBox)

GtkWidget *vw_residence_editor_new        (const char         *language);
/* Replaces the stays by those of @value (a residence_history answer). */
void       vw_residence_editor_set_value  (VwResidenceEditor  *self,
                                           const char         *value);
/* The stays as an answer ("" for none), or NULL with a plain sentence in
 * @error while a stay is incomplete, ends before it starts or overlaps
 * another one. */
char      *vw_residence_editor_get_value  (VwResidenceEditor  *self,
                                           GError            **error);
/* Adds an empty stay and focuses it; returns its row. */
GtkWidget *vw_residence_editor_add_stay   (VwResidenceEditor  *self);
/* Fills in the stay at @index (for tests and for editing by code). */
void       vw_residence_editor_set_stay   (VwResidenceEditor  *self,
                                           guint               index,
                                           const char         *residence,
                                           const char         *start,
                                           const char         *end);
void       vw_residence_editor_remove_stay (VwResidenceEditor *self,
                                           guint               index);
guint      vw_residence_editor_get_n_stays (VwResidenceEditor *self);
/* The sentence shown under the list (an error or the gaps), or NULL. */
const char *vw_residence_editor_get_message (VwResidenceEditor *self);

G_END_DECLS
