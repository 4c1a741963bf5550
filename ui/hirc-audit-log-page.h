/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-audit-log-page.h: the activity log for the administrator, newest first: when, and what
 * happened, in a plain sentence. The log holds no report content, so neither does this. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_AUDIT_LOG_PAGE (hirc_audit_log_page_get_type ())
G_DECLARE_FINAL_TYPE (HircAuditLogPage, hirc_audit_log_page, HIRC, AUDIT_LOG_PAGE, GtkWidget)

GtkWidget *hirc_audit_log_page_new       (void);
/* Replaces the entries: when[i] happened[i]; both NULL-terminated, newest first. */
void       hirc_audit_log_page_set_entries (HircAuditLogPage   *self,
                                            const char * const *when,
                                            const char * const *happened);
/* Why the log could not be read; NULL when it could. */
void       hirc_audit_log_page_set_error  (HircAuditLogPage   *self,
                                           const char         *message);

G_END_DECLS
