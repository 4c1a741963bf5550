/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-question-page.h: one page of the journey: an error summary, a heading, an introduction,
 * the fields, and Back and Continue at the bottom. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_QUESTION_PAGE (hirc_question_page_get_type ())
G_DECLARE_FINAL_TYPE (HircQuestionPage, hirc_question_page, HIRC, QUESTION_PAGE, GtkWidget)

GtkWidget  *hirc_question_page_new                (void);
const char *hirc_question_page_get_heading        (HircQuestionPage *self);
void        hirc_question_page_set_heading        (HircQuestionPage *self,
                                                   const char       *heading);
void        hirc_question_page_set_lead           (HircQuestionPage *self,
                                                   const char       *lead);
void        hirc_question_page_set_continue_label (HircQuestionPage *self,
                                                   const char       *label);
void        hirc_question_page_set_can_go_back    (HircQuestionPage *self,
                                                   gboolean          can_go_back);
/* While busy (saving), Back and Continue do nothing and the Continue button says so. */
void        hirc_question_page_set_busy           (HircQuestionPage *self,
                                                   gboolean          busy);

/* Appends a field (a HircChoiceField, HircTextField or HircDateField, or any widget). A field
 * with no label of its own is named after the page heading, as GOV.UK does when a page asks
 * one question. */
void        hirc_question_page_add_field          (HircQuestionPage *self,
                                                   GtkWidget        *field);

/* Scrolls, after the next layout, just far enough for widget (a field on this page that has
 * just appeared) to be seen whole, without moving focus. */
void        hirc_question_page_scroll_to          (HircQuestionPage *self,
                                                   GtkWidget        *widget);

void        hirc_question_page_clear_errors       (HircQuestionPage *self);
void        hirc_question_page_add_error          (HircQuestionPage *self,
                                                   const char       *message,
                                                   GtkWidget        *target);
/* Shows the summary of the errors added and moves focus to it. */
void        hirc_question_page_present_errors     (HircQuestionPage *self);

G_END_DECLS
