/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-language-page.h: "Choose your language", opened from the top bar on any page: the
 * languages, and Back to the page the reporter was on. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_LANGUAGE_PAGE (hirc_language_page_get_type ())
G_DECLARE_FINAL_TYPE (HircLanguagePage, hirc_language_page, HIRC, LANGUAGE_PAGE, GtkWidget)

GtkWidget  *hirc_language_page_new       (void);
const char *hirc_language_page_get_title (HircLanguagePage *self);
/* Puts focus on the button of the language on screen. */
void        hirc_language_page_focus     (HircLanguagePage *self,
                                          const char       *code);

G_END_DECLS
