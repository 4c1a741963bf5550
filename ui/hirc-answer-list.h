/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-answer-list.h: "Check your answers": each question, its answer (or "Not given") and a
 * Change button. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_ANSWER_LIST (hirc_answer_list_get_type ())
G_DECLARE_FINAL_TYPE (HircAnswerList, hirc_answer_list, HIRC, ANSWER_LIST, GtkWidget)

GtkWidget *hirc_answer_list_new           (void);
void       hirc_answer_list_clear         (HircAnswerList *self);
void       hirc_answer_list_add_section   (HircAnswerList *self,
                                           const char     *title);
/* answer NULL shows "Not given". Pressing Change emits "change" with key. */
void       hirc_answer_list_add_row       (HircAnswerList *self,
                                           const char     *key,
                                           const char     *question,
                                           const char     *answer);
/* The first Change button for key, for focus when the reporter comes back from changing it. */
GtkWidget *hirc_answer_list_get_change_button (HircAnswerList *self,
                                               const char     *key);

G_END_DECLS
