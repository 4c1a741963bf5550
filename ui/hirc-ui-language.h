/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ui-language.h: the languages the kiosk's screens are offered in, and switching the
 * running process from one to another. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Every session starts in the source language; the reporter chooses another on the start page
 * or from the top bar. */
#define HIRC_UI_LANGUAGE_DEFAULT "en"

typedef struct
{
  const char *code;  /* gettext's name for it: the catalogue po/<code>.po, and LANGUAGE */
  const char *tag;   /* BCP 47, as a report records it (app/REPORT.md) */
  const char *name;  /* its own name, in its own script */
  gboolean    rtl;   /* written right to left: the layout is mirrored */
  const char *locale;  /* the glibc locale that names its months and weekdays */
} HircUiLanguage;

/* In the order the chooser shows them. */
const HircUiLanguage *hirc_ui_languages         (guint      *n_languages);
/* NULL when code is not offered. */
const HircUiLanguage *hirc_ui_language_find     (const char *code);
/* Makes code the language of every string translated from now on, in this process, and sets
 * the layout's direction to match. Widgets made before keep their words: the caller rebuilds
 * them. */
void                  hirc_ui_language_apply    (const char *code);
/* g_date_time_format() with the month and weekday names of the language applied last (the
 * process locale's before any is); for the UI thread, like hirc_ui_language_apply(). */
char                 *hirc_ui_language_format_date_time (GDateTime  *time,
                                                         const char *format);
/* A text attribute list that marks a label's text as being in language, so that fonts, shaping
 * and screen readers treat it as such. */
PangoAttrList        *hirc_ui_language_attributes (const HircUiLanguage *language);

G_END_DECLS
