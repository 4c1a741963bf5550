/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-date-field.h: an optional exact date, set with large "previous" and "next" buttons for
 * the day, the month and the year instead of a small calendar or typing. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_DATE_FIELD (hirc_date_field_get_type ())
G_DECLARE_FINAL_TYPE (HircDateField, hirc_date_field, HIRC, DATE_FIELD, GtkWidget)

GtkWidget  *hirc_date_field_new        (void);
const char *hirc_date_field_get_label  (HircDateField *self);
void        hirc_date_field_set_label  (HircDateField *self,
                                        const char    *label);
void        hirc_date_field_set_hint   (HircDateField *self,
                                        const char    *hint);
void        hirc_date_field_set_error  (HircDateField *self,
                                        const char    *error);
/* "YYYY-MM-DD", or NULL when the reporter has not given an exact date. */
const char *hirc_date_field_get_date   (HircDateField *self);
gboolean    hirc_date_field_set_date   (HircDateField *self,
                                        const char    *date);
/* The latest date that may be chosen ("YYYY-MM-DD"); today when never set. */
void        hirc_date_field_set_latest (HircDateField *self,
                                        const char    *date);

G_END_DECLS
