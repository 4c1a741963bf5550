/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-read-aloud.h: read aloud for the kiosk's pages: the Read aloud button on each page speaks
 * that page in the page's language, stops when the reporter acts, and says private details only
 * in headphones. */
#pragma once

#include <gtk/gtk.h>

#include "hirc-kiosk-window.h"
#include "hirc-speech.h"

G_BEGIN_DECLS

#define HIRC_TYPE_READ_ALOUD (hirc_read_aloud_get_type ())
G_DECLARE_FINAL_TYPE (HircReadAloud, hirc_read_aloud, HIRC, READ_ALOUD, GObject)

/* Starts in the language of the translations in use (English when there are none), with no
 * headphones. */
HircReadAloud *hirc_read_aloud_new                       (void);

/* The kiosk code of the language whose translations are in use now, or "en". */
const char    *hirc_read_aloud_language_in_use           (void);

/* language: a kiosk code, BCP 47 tag or locale name ("pl", "en-easyread", "en@easyread"). Stops
 * any speech; every page's button then says whether the language has a voice. */
void           hirc_read_aloud_set_language              (HircReadAloud *self,
                                                          const char    *language);
const char    *hirc_read_aloud_get_language              (HircReadAloud *self);

/* The headphones' own audio device, from kiosk.conf ([speech] private_output), or NULL: then
 * what the reporter typed is never read aloud, and the page says so. */
void           hirc_read_aloud_set_private_output_device (HircReadAloud *self,
                                                          const char    *device);

/* Connects the Read aloud button inside page to the speaker; a page without one is left alone. */
void           hirc_read_aloud_add_page                  (HircReadAloud *self,
                                                          GtkWidget     *page);
/* From now on: every page window shows (as it is made, and again whenever it is made anew) has
 * its button connected; the window's language is the one read in; and speech stops whenever the
 * reporter presses, touches or types anywhere in the window except on a Read aloud button. Call
 * once. */
void           hirc_read_aloud_attach                    (HircReadAloud   *self,
                                                          HircKioskWindow *window);

/* Silences the speaker at once. */
void           hirc_read_aloud_stop                      (HircReadAloud *self);
/* Between reporters: silence, nothing to repeat, default rate and volume, headphones off. */
void           hirc_read_aloud_reset                     (HircReadAloud *self);

HircSpeaker   *hirc_read_aloud_get_speaker               (HircReadAloud *self);

G_END_DECLS
