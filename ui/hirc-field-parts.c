/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-field-parts.c: the labels and the error display the answer fields share. */

#include "config.h"

#include "hirc-field-parts.h"

void
hirc_field_set_label_text (GtkLabel   *label,
                           const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

void
hirc_field_set_naming_label (GtkLabel      *label,
                             GtkAccessible *named,
                             const char    *text)
{
  hirc_field_set_label_text (label, text);
  if (text != NULL && text[0] != '\0')
    gtk_accessible_update_relation (named, GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  else
    gtk_accessible_reset_relation (named, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

gboolean
hirc_field_show_error (GtkWidget     *field,
                       GtkAccessible *input,
                       GtkLabel      *error_label,
                       const char    *error,
                       gboolean       describe)
{
  gboolean has_error = error != NULL && error[0] != '\0';

  if (has_error == gtk_widget_get_visible (GTK_WIDGET (error_label))
      && g_strcmp0 (error, gtk_label_get_label (error_label)) == 0)
    return FALSE;
  hirc_field_set_label_text (error_label, error);
  if (has_error)
    gtk_widget_add_css_class (field, "hirc-field-error");
  else
    gtk_widget_remove_css_class (field, "hirc-field-error");
  if (describe && has_error)
    gtk_accessible_update_relation (input, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label,
                                    NULL, -1);
  else if (describe)
    gtk_accessible_reset_relation (input, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_state (input, GTK_ACCESSIBLE_STATE_INVALID,
                               has_error ? GTK_ACCESSIBLE_INVALID_TRUE
                                         : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  return TRUE;
}
