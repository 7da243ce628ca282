/* vw-a11y.h: names for controls that a screen reader would otherwise
 * announce by their class (GTK 4.8 and libadwaita 1.2 leave a few unnamed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Names the show/hide button of @row's passphrase. */
void vw_a11y_name_password_row (AdwPasswordEntryRow *row);
/* A status page with nothing to focus in it takes the focus itself (its
 * scrolled window does): it is named by its title. */
void vw_a11y_name_status_page  (AdwStatusPage       *page);
/* adw_toast_overlay_add_toast(), with a name for the toast's close button
 * (libadwaita 1.2 has none; the button is a Tab stop). */
void vw_a11y_add_toast         (AdwToastOverlay     *overlay,
                                AdwToast            *toast);
/* Names @drop_down and the button inside it that takes the focus. */
void vw_a11y_name_drop_down    (GtkDropDown         *drop_down,
                                const char          *name);

G_END_DECLS
