/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-audit.h: the kiosk's audit log: staff actions and sync events, each a time, who, a fixed
 * event and at most a number or an error code. There is no free text, so no report content can
 * ever be written to it. Kept in audit.db in the state folder, written by the window and the
 * sync service. No GTK. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HIRC_AUDIT_ERROR (hirc_audit_error_quark ())

typedef enum
{
  HIRC_AUDIT_ERROR_IO,
  HIRC_AUDIT_ERROR_INVALID,
} HircAuditError;

GQuark hirc_audit_error_quark (void);

typedef enum
{
  HIRC_AUDIT_STAFF_SIGNED_IN,
  HIRC_AUDIT_STAFF_SIGN_IN_FAILED,
  HIRC_AUDIT_STAFF_SIGNED_OUT,
  HIRC_AUDIT_ADMIN_PIN_CHANGED,
  HIRC_AUDIT_AMBASSADOR_ADDED,
  HIRC_AUDIT_AMBASSADOR_REMOVED,
  HIRC_AUDIT_AMBASSADOR_PIN_CHANGED,
  HIRC_AUDIT_IDLE_TIMEOUT_OFF,
  HIRC_AUDIT_ASSISTED_REPORT_SAVED,
  HIRC_AUDIT_SYNC_NOW,
  HIRC_AUDIT_CONNECTION_TESTED,
  HIRC_AUDIT_REJECTED_RETRIED,
  HIRC_AUDIT_REPROVISIONED,
  HIRC_AUDIT_SYNC_STARTED,
  HIRC_AUDIT_SYNC_STOPPED,
  HIRC_AUDIT_REPORTS_DELIVERED,
  HIRC_AUDIT_SYNC_FAILED,
  HIRC_AUDIT_REPORTS_REJECTED,
  HIRC_AUDIT_N_EVENTS,
} HircAuditEvent;

typedef struct
{
  gint64          at;       /* Unix seconds */
  char           *actor;    /* a staff id ("admin", "amb-3"), "sync" or "kiosk" */
  HircAuditEvent  event;
  char           *detail;   /* a count or an error code, or NULL */
} HircAuditEntry;

void        hirc_audit_entry_free   (HircAuditEntry *entry);

/* Entries older than the newest this many are dropped as new ones come. */
#define HIRC_AUDIT_KEEP 10000

typedef struct _HircAudit HircAudit;

HircAudit  *hirc_audit_open         (const char      *state_dir,
                                     GError         **error);
void        hirc_audit_close        (HircAudit       *self);
/* actor: [a-z0-9-], at most 32; detail: NULL or [A-Za-z0-9_.-], at most 64. Anything else is
 * refused, which is what keeps free text out. */
gboolean    hirc_audit_record       (HircAudit       *self,
                                     const char      *actor,
                                     HircAuditEvent   event,
                                     const char      *detail,
                                     GError         **error);
/* The newest entries first, at most limit. */
GPtrArray  *hirc_audit_list         (HircAudit       *self,
                                     guint            limit,
                                     GError         **error);
/* A plain sentence for the dashboard, e.g. "An administrator signed in." */
char       *hirc_audit_describe     (const HircAuditEntry *entry);
const char *hirc_audit_event_to_string   (HircAuditEvent event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircAudit, hirc_audit_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircAuditEntry, hirc_audit_entry_free)

G_END_DECLS
