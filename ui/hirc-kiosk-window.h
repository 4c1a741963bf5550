/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-window.h: the kiosk's one window: a top bar with "Leave now", the page being shown,
 * the idle warning, the neutral screen shown while leaving, and "not set up yet". */
#pragma once

#include <gtk/gtk.h>

#include "hirc-idle-warning.h"

G_BEGIN_DECLS

#define HIRC_TYPE_KIOSK_WINDOW (hirc_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (HircKioskWindow, hirc_kiosk_window, HIRC, KIOSK_WINDOW,
                      GtkApplicationWindow)

GtkWidget       *hirc_kiosk_window_new               (GtkApplication  *application);
void             hirc_kiosk_window_set_centre_name   (HircKioskWindow *self,
                                                      const char      *centre_name);
/* Shows page (adding it first if needed) and names the window after title, which screen readers
 * announce when it changes. */
void             hirc_kiosk_window_show_page         (HircKioskWindow *self,
                                                      GtkWidget       *page,
                                                      const char      *title);
GtkWidget       *hirc_kiosk_window_get_page          (HircKioskWindow *self);
void             hirc_kiosk_window_remove_page       (HircKioskWindow *self,
                                                      GtkWidget       *page);
HircIdleWarning *hirc_kiosk_window_get_idle_warning  (HircKioskWindow *self);
/* The warning covers the page, and so the answers; hiding it shows the page again. */
void             hirc_kiosk_window_show_idle_warning (HircKioskWindow *self);
void             hirc_kiosk_window_hide_idle_warning (HircKioskWindow *self);
gboolean         hirc_kiosk_window_get_idle_warning_shown (HircKioskWindow *self);
/* Replaces everything in the window with a plain screen in the next frame. */
void             hirc_kiosk_window_show_neutral      (HircKioskWindow *self);
void             hirc_kiosk_window_show_not_set_up   (HircKioskWindow *self);

G_END_DECLS
