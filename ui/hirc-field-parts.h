/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-field-parts.h: what the answer fields (choice, date, text) share: labels shown only when
 * they have text, a label that names the field, and an error shown at the field. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows text in label, or hides the label when text is NULL or empty. */
void     hirc_field_set_label_text   (GtkLabel      *label,
                                      const char    *text);
/* Shows text in label and names named by it; without text, named loses that name, so that
 * whoever shows the question (the page heading) can name it instead. */
void     hirc_field_set_naming_label (GtkLabel      *label,
                                      GtkAccessible *named,
                                      const char    *text);
/* Shows error (NULL or empty hides it) in error_label, marks field with the error style and
 * input as invalid and, when describe is TRUE, makes the error input's description. FALSE when
 * that was already shown, so nothing changed. */
gboolean hirc_field_show_error       (GtkWidget     *field,
                                      GtkAccessible *input,
                                      GtkLabel      *error_label,
                                      const char    *error,
                                      gboolean       describe);

G_END_DECLS
