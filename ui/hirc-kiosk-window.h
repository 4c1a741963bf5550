/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-window.h: the kiosk's one window: a top bar with language, text size, contrast and
 * "Leave now", the page being shown, the idle warning (its "I need more time" is the window's
 * "more-time" signal), the neutral screen shown while leaving, and "not set up yet". */
#pragma once

#include <gtk/gtk.h>

#include "hirc-idle-warning.h"
#include "hirc-keyboard.h"

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
/* Shows aside beside every page (the ambassador's guide), replacing any other; NULL removes
 * it. */
void             hirc_kiosk_window_set_aside         (HircKioskWindow *self,
                                                      GtkWidget       *aside);

/* The screen's settings, which the top bar changes on any page; each is a property of the same
 * name to watch for changes. The language is a code of hirc-ui-language.h: setting it makes
 * every string translated from then on be in that language, and relabels the window itself. */
const char      *hirc_kiosk_window_get_language      (HircKioskWindow *self);
void             hirc_kiosk_window_set_language      (HircKioskWindow *self,
                                                      const char      *code);
/* "standard", "large" or "largest". */
const char      *hirc_kiosk_window_get_text_size     (HircKioskWindow *self);
void             hirc_kiosk_window_set_text_size     (HircKioskWindow *self,
                                                      const char      *text_size);
gboolean         hirc_kiosk_window_get_high_contrast (HircKioskWindow *self);
void             hirc_kiosk_window_set_high_contrast (HircKioskWindow *self,
                                                      gboolean         high_contrast);

/* The pages and screens the window holds, in a list that follows them as they come and go, for
 * what must reach every page (read aloud). */
GListModel      *hirc_kiosk_window_observe_pages     (HircKioskWindow *self);
/* The on-screen keyboard at the bottom of the window. It opens on whichever text field has the
 * focus and follows the window's language. */
HircKeyboard    *hirc_kiosk_window_get_keyboard      (HircKioskWindow *self);

G_END_DECLS
