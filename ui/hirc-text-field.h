/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-text-field.h: a question answered in words: one line (an entry) or several (a large text
 * area). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_TEXT_FIELD (hirc_text_field_get_type ())
G_DECLARE_FINAL_TYPE (HircTextField, hirc_text_field, HIRC, TEXT_FIELD, GtkWidget)

GtkWidget  *hirc_text_field_new              (gboolean        multi_line);
gboolean    hirc_text_field_get_multi_line   (HircTextField  *self);
const char *hirc_text_field_get_label        (HircTextField  *self);
void        hirc_text_field_set_label        (HircTextField  *self,
                                              const char     *label);
void        hirc_text_field_set_hint         (HircTextField  *self,
                                              const char     *hint);
void        hirc_text_field_set_error        (HircTextField  *self,
                                              const char     *error);
/* The most characters accepted; 0 for no limit. */
void        hirc_text_field_set_max_length   (HircTextField  *self,
                                              guint           max_length);
/* How many lines a multi-line field shows before it scrolls (3 unless set). */
void        hirc_text_field_set_rows         (HircTextField  *self,
                                              guint           rows);
void        hirc_text_field_set_input_purpose (HircTextField *self,
                                               GtkInputPurpose purpose);
/* Newly allocated; "" when empty. */
char       *hirc_text_field_get_text         (HircTextField  *self);
void        hirc_text_field_set_text         (HircTextField  *self,
                                              const char     *text);
/* The entry or text view itself, for focus and for tests. */
GtkWidget  *hirc_text_field_get_input        (HircTextField  *self);

G_END_DECLS
