/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-easy-read.h: the pictures beside the choices when the kiosk shows Easy Read English. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gettext's name for Easy Read English (hirc-ui-language.c, po/en@easyread.po). */
#define HIRC_EASY_READ_LANGUAGE "en@easyread"
/* The pictures' size on screen, in logical pixels. */
#define HIRC_EASY_READ_PICTURE_SIZE 64

/* Whether strings are translated into Easy Read English now: LANGUAGE (or the locale, when it
 * is not set) names it first. */
gboolean     hirc_easy_read_is_active        (void);
/* The picture for the choice code of a list, where list_id is a taxonomy list's name (as in
 * app/REPORT.md, "incident_types") or, for the journey's own choices, the field's report path
 * ("contact.anonymous"). Returns the picture's name, or NULL when it has none; description, if
 * not NULL, is set to its accessible description, translated. */
const char  *hirc_easy_read_picture_for      (const char  *list_id,
                                              const char  *code,
                                              const char **description);
/* The SVG resource of a picture, named as hirc_easy_read_picture_for() names it; the pictures'
 * resource is registered by the first call. */
char        *hirc_easy_read_picture_resource (const char  *picture);
/* The names of every picture there is, NULL-terminated; free the array with g_free() only. */
const char **hirc_easy_read_pictures         (void);
/* An image of the choice's picture, HIRC_EASY_READ_PICTURE_SIZE square, described for
 * assistive technologies; NULL when the choice has no picture. */
GtkWidget   *hirc_easy_read_picture_new      (const char  *list_id,
                                              const char  *code);

G_END_DECLS
