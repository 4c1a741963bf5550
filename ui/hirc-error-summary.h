/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-error-summary.h: "There is a problem" at the top of a page, one link per answer to fix. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_ERROR_SUMMARY (hirc_error_summary_get_type ())
G_DECLARE_FINAL_TYPE (HircErrorSummary, hirc_error_summary, HIRC, ERROR_SUMMARY, GtkWidget)

GtkWidget *hirc_error_summary_new       (void);
void       hirc_error_summary_clear     (HircErrorSummary *self);
/* Adds one message; pressing it moves focus to target (which may be NULL), the way GOV.UK's
 * summary links jump to the field. */
void       hirc_error_summary_add       (HircErrorSummary *self,
                                         const char       *message,
                                         GtkWidget        *target);
guint      hirc_error_summary_get_n_errors (HircErrorSummary *self);
/* Shows the summary and moves focus to it, so that a screen reader reads it out first. */
void       hirc_error_summary_present   (HircErrorSummary *self);

G_END_DECLS
