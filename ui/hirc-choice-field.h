/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-choice-field.h: a question answered by choosing: large radio buttons (one answer) or
 * check boxes (several). It knows codes and labels, nothing of the report. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_CHOICE_FIELD (hirc_choice_field_get_type ())
G_DECLARE_FINAL_TYPE (HircChoiceField, hirc_choice_field, HIRC, CHOICE_FIELD, GtkWidget)

GtkWidget   *hirc_choice_field_new                (gboolean            multiple);
void         hirc_choice_field_add_choice         (HircChoiceField    *self,
                                                   const char         *code,
                                                   const char         *label);
/* The list the choices come from (hirc_easy_read_picture_for()), so that in Easy Read English
 * each choice added from now on has its picture. */
void         hirc_choice_field_set_picture_list   (HircChoiceField    *self,
                                                   const char         *list_id);
gboolean     hirc_choice_field_get_multiple       (HircChoiceField    *self);

const char  *hirc_choice_field_get_label          (HircChoiceField    *self);
void         hirc_choice_field_set_label          (HircChoiceField    *self,
                                                   const char         *label);
void         hirc_choice_field_set_hint           (HircChoiceField    *self,
                                                   const char         *hint);
void         hirc_choice_field_set_error          (HircChoiceField    *self,
                                                   const char         *error);
/* The code that, when chosen, clears every other choice and is cleared by them ("not_sure"). */
void         hirc_choice_field_set_exclusive_code (HircChoiceField    *self,
                                                   const char         *code);
void         hirc_choice_field_set_columns        (HircChoiceField    *self,
                                                   guint               columns);

/* The chosen codes in the order they were added; never NULL. */
char       **hirc_choice_field_get_selected_codes (HircChoiceField    *self);
void         hirc_choice_field_set_selected_codes (HircChoiceField    *self,
                                                   const char * const *codes);
/* The first chosen code, or NULL. */
const char  *hirc_choice_field_get_selected_code  (HircChoiceField    *self);
void         hirc_choice_field_set_selected_code  (HircChoiceField    *self,
                                                   const char         *code);
/* The label of a code, for "Check your answers". */
const char  *hirc_choice_field_get_choice_label   (HircChoiceField    *self,
                                                   const char         *code);
/* The control of a code, so that a test or an error link can reach it. */
GtkWidget   *hirc_choice_field_get_choice_widget  (HircChoiceField    *self,
                                                   const char         *code);

G_END_DECLS
