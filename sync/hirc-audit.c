/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-audit.c: the audit log in SQLite. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "hirc-audit.h"
#include "hirc-kiosk-config.h"

struct _HircAudit
{
  sqlite3      *db;
  sqlite3_stmt *insert;
  sqlite3_stmt *prune;
  sqlite3_stmt *list;
};

/* Stored by name, not number, so that reordering the enum never rewrites history. */
static const char * const event_names[HIRC_AUDIT_N_EVENTS] = {
  [HIRC_AUDIT_STAFF_SIGNED_IN] = "staff-signed-in",
  [HIRC_AUDIT_STAFF_SIGN_IN_FAILED] = "staff-sign-in-failed",
  [HIRC_AUDIT_STAFF_SIGNED_OUT] = "staff-signed-out",
  [HIRC_AUDIT_ADMIN_PIN_CHANGED] = "admin-pin-changed",
  [HIRC_AUDIT_AMBASSADOR_ADDED] = "ambassador-added",
  [HIRC_AUDIT_AMBASSADOR_REMOVED] = "ambassador-removed",
  [HIRC_AUDIT_AMBASSADOR_PIN_CHANGED] = "ambassador-pin-changed",
  [HIRC_AUDIT_IDLE_TIMEOUT_OFF] = "idle-timeout-off",
  [HIRC_AUDIT_ASSISTED_REPORT_SAVED] = "assisted-report-saved",
  [HIRC_AUDIT_SYNC_NOW] = "sync-now",
  [HIRC_AUDIT_CONNECTION_TESTED] = "connection-tested",
  [HIRC_AUDIT_REJECTED_RETRIED] = "rejected-retried",
  [HIRC_AUDIT_REPROVISIONED] = "reprovisioned",
  [HIRC_AUDIT_SYNC_STARTED] = "sync-started",
  [HIRC_AUDIT_SYNC_STOPPED] = "sync-stopped",
  [HIRC_AUDIT_REPORTS_DELIVERED] = "reports-delivered",
  [HIRC_AUDIT_SYNC_FAILED] = "sync-failed",
  [HIRC_AUDIT_REPORTS_REJECTED] = "reports-rejected",
};

G_DEFINE_QUARK (hirc-audit-error-quark, hirc_audit_error)

const char *
hirc_audit_event_to_string (HircAuditEvent event)
{
  return event < HIRC_AUDIT_N_EVENTS ? event_names[event] : "unknown";
}

static gboolean
event_from_string (const char     *name,
                   HircAuditEvent *event)
{
  for (guint i = 0; i < HIRC_AUDIT_N_EVENTS; i++)
    if (g_strcmp0 (event_names[i], name) == 0)
      {
        *event = i;
        return TRUE;
      }
  return FALSE;
}

void
hirc_audit_entry_free (HircAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->detail);
  g_free (entry);
}

typedef enum
{
  DOING_OPEN,
  DOING_WRITE,
  DOING_TRIM,
  DOING_READ,
} Doing;

static gboolean
fail (HircAudit   *self,
      Doing        doing,
      GError     **error)
{
  const char *cause = self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory";

  switch (doing)
    {
    case DOING_OPEN:
      g_set_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_IO,
                   _("Could not open the audit log: %s"), cause);
      break;
    case DOING_WRITE:
      g_set_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_IO,
                   _("Could not write to the audit log: %s"), cause);
      break;
    case DOING_TRIM:
      g_set_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_IO,
                   _("Could not remove old entries from the audit log: %s"), cause);
      break;
    case DOING_READ:
    default:
      g_set_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_IO,
                   _("Could not read the audit log: %s"), cause);
      break;
    }
  return FALSE;
}

void
hirc_audit_close (HircAudit *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->insert);
  sqlite3_finalize (self->prune);
  sqlite3_finalize (self->list);
  sqlite3_close (self->db);
  g_free (self);
}

HircAudit *
hirc_audit_open (const char  *state_dir,
                 GError     **error)
{
  g_autoptr(HircAudit) self = g_new0 (HircAudit, 1);
  g_autofree char *path = g_build_filename (state_dir, "audit.db", NULL);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                       NULL) != SQLITE_OK)
    {
      fail (self, DOING_OPEN, error);
      return NULL;
    }
  /* Both kiosk processes write; waiting briefly for the other beats failing. WAL lets the
   * dashboard read while the sync service writes. */
  sqlite3_busy_timeout (self->db, 2000);
  if (sqlite3_exec (self->db,
                    "PRAGMA trusted_schema = OFF;"
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = NORMAL;"
                    "CREATE TABLE IF NOT EXISTS audit ("
                    "  id INTEGER PRIMARY KEY,"
                    "  at INTEGER NOT NULL,"
                    "  actor TEXT NOT NULL,"
                    "  event TEXT NOT NULL,"
                    "  detail TEXT"
                    ") STRICT;",
                    NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db,
                          "INSERT INTO audit (at, actor, event, detail) VALUES (?, ?, ?, ?)",
                          -1, &self->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db,
                          "DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - ?",
                          -1, &self->prune, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db,
                          "SELECT at, actor, event, detail FROM audit ORDER BY id DESC LIMIT ?",
                          -1, &self->list, NULL) != SQLITE_OK)
    {
      fail (self, DOING_OPEN, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
is_token (const char *text,
          gsize       max_len,
          const char *extra)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len == 0 || len > max_len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]) && strchr (extra, text[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
hirc_audit_record (HircAudit       *self,
                   const char      *actor,
                   HircAuditEvent   event,
                   const char      *detail,
                   GError         **error)
{
  int rc;

  if (event >= HIRC_AUDIT_N_EVENTS || !is_token (actor, 32, "-") ||
      (detail != NULL && !is_token (detail, 64, "_.-")))
    {
      g_set_error_literal (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_INVALID,
                           "an audit entry may hold only an event, an id and a code or count");
      return FALSE;
    }
  sqlite3_reset (self->insert);
  sqlite3_bind_int64 (self->insert, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (self->insert, 2, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->insert, 3, event_names[event], -1, SQLITE_STATIC);
  if (detail != NULL)
    sqlite3_bind_text (self->insert, 4, detail, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (self->insert, 4);
  rc = sqlite3_step (self->insert);
  sqlite3_reset (self->insert);
  if (rc != SQLITE_DONE)
    return fail (self, DOING_WRITE, error);

  sqlite3_reset (self->prune);
  sqlite3_bind_int64 (self->prune, 1, HIRC_AUDIT_KEEP);
  rc = sqlite3_step (self->prune);
  sqlite3_reset (self->prune);
  return rc == SQLITE_DONE || fail (self, DOING_TRIM, error);
}

GPtrArray *
hirc_audit_list (HircAudit  *self,
                 guint       limit,
                 GError    **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_audit_entry_free);
  int rc;

  sqlite3_reset (self->list);
  sqlite3_bind_int64 (self->list, 1, limit);
  while ((rc = sqlite3_step (self->list)) == SQLITE_ROW)
    {
      HircAuditEntry *entry = g_new0 (HircAuditEntry, 1);
      const char *detail = (const char *) sqlite3_column_text (self->list, 3);

      entry->at = sqlite3_column_int64 (self->list, 0);
      entry->actor = g_strdup ((const char *) sqlite3_column_text (self->list, 1));
      /* An event this version does not know (written by a newer one) is still listed. */
      if (!event_from_string ((const char *) sqlite3_column_text (self->list, 2), &entry->event))
        entry->event = HIRC_AUDIT_N_EVENTS;
      entry->detail = g_strdup (detail);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (self->list);
  if (rc != SQLITE_DONE)
    {
      fail (self, DOING_READ, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static char *
describe_actor (const char *actor)
{
  if (g_strcmp0 (actor, "admin") == 0)
    return g_strdup (_("The administrator"));
  if (g_str_has_prefix (actor, "amb-"))
    return g_strdup_printf (_("Ambassador %s"), actor);
  if (g_strcmp0 (actor, "sync") == 0)
    return g_strdup (_("The sync service"));
  return g_strdup (_("The kiosk"));
}

char *
hirc_audit_describe (const HircAuditEntry *entry)
{
  g_autofree char *who = describe_actor (entry->actor);
  const char *detail = entry->detail != NULL ? entry->detail : "";

  switch (entry->event)
    {
    case HIRC_AUDIT_STAFF_SIGNED_IN:
      return g_strdup_printf (_("%s signed in."), who);
    case HIRC_AUDIT_STAFF_SIGN_IN_FAILED:
      return g_strdup (_("Someone entered a wrong staff PIN."));
    case HIRC_AUDIT_STAFF_SIGNED_OUT:
      return g_strdup_printf (_("%s signed out."), who);
    case HIRC_AUDIT_ADMIN_PIN_CHANGED:
      return g_strdup (_("The administrator PIN was changed."));
    case HIRC_AUDIT_AMBASSADOR_ADDED:
      return g_strdup_printf (_("%s added ambassador %s."), who, detail);
    case HIRC_AUDIT_AMBASSADOR_REMOVED:
      return g_strdup_printf (_("%s removed ambassador %s."), who, detail);
    case HIRC_AUDIT_AMBASSADOR_PIN_CHANGED:
      return g_strdup_printf (_("%s changed the PIN of ambassador %s."), who, detail);
    case HIRC_AUDIT_IDLE_TIMEOUT_OFF:
      return g_strdup_printf (_("%s switched the idle timeout off for a report."), who);
    case HIRC_AUDIT_ASSISTED_REPORT_SAVED:
      return g_strdup_printf (_("%s saved an assisted report."), who);
    case HIRC_AUDIT_SYNC_NOW:
      return g_strdup_printf (_("%s asked for the reports to be sent now."), who);
    case HIRC_AUDIT_CONNECTION_TESTED:
      return g_strdup_printf (_("%s tested the connection: %s."), who, detail);
    case HIRC_AUDIT_REJECTED_RETRIED:
      return g_strdup_printf (_("%s sent refused reports again."), who);
    case HIRC_AUDIT_REPROVISIONED:
      return g_strdup_printf (_("%s set the kiosk up again from a new bundle."), who);
    case HIRC_AUDIT_SYNC_STARTED:
      return g_strdup (_("The sync service started."));
    case HIRC_AUDIT_SYNC_STOPPED:
      return g_strdup (_("The sync service stopped."));
    case HIRC_AUDIT_REPORTS_DELIVERED:
      return g_strdup_printf (_("Reports sent to the intake: %s."), detail);
    case HIRC_AUDIT_SYNC_FAILED:
      return g_strdup_printf (_("Sending failed: %s."), detail);
    case HIRC_AUDIT_REPORTS_REJECTED:
      return g_strdup_printf (_("Reports refused by the intake: %s."), detail);
    case HIRC_AUDIT_N_EVENTS:
    default:
      return g_strdup (_("An event this version of the kiosk does not know."));
    }
}
