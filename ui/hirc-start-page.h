/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-start-page.h: the first thing a passer-by sees: the languages, what the kiosk is for, that
 * they can stay anonymous, other ways to report, 999, and one large button to begin. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_START_PAGE (hirc_start_page_get_type ())
G_DECLARE_FINAL_TYPE (HircStartPage, hirc_start_page, HIRC, START_PAGE, GtkWidget)

GtkWidget *hirc_start_page_new            (void);
/* Puts focus on the button of the language code in the page's language chooser. */
void       hirc_start_page_focus_language (HircStartPage *self,
                                           const char    *code);

G_END_DECLS
