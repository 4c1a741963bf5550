/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-language-chooser.h: one large button per offered language, each named in its own
 * language and script. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_LANGUAGE_CHOOSER (hirc_language_chooser_get_type ())
G_DECLARE_FINAL_TYPE (HircLanguageChooser, hirc_language_chooser, HIRC, LANGUAGE_CHOOSER,
                      GtkWidget)

GtkWidget *hirc_language_chooser_new        (void);
/* The button of the language code, to give focus to; NULL when code is not offered. */
GtkWidget *hirc_language_chooser_get_button (HircLanguageChooser *self,
                                             const char          *code);

G_END_DECLS
