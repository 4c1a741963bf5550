/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-answer-row.h: one row of "Check your answers": a question, its answer and its Change
 * button, in columns where there is room and one under another where there is not. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_ANSWER_ROW (hirc_answer_row_get_type ())
G_DECLARE_FINAL_TYPE (HircAnswerRow, hirc_answer_row, HIRC, ANSWER_ROW, GtkWidget)

GtkWidget *hirc_answer_row_new (GtkWidget *question,
                                GtkWidget *answer,
                                GtkWidget *change);

G_END_DECLS
