/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-outbox.c: the kiosk's durable queue of sealed envelopes, kept in SQLite. */

#include "config.h"

#include "hirc-outbox.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

/* "HIRC" in the database header, so that an outbox is told apart from any other database. */
#define OUTBOX_APPLICATION_ID 0x48495243
#define OUTBOX_HASH_BYTES     crypto_hash_sha256_BYTES
#define OUTBOX_BUSY_TIMEOUT_MS 5000
/* The log is folded back into the database once it holds this many pages (SQLite's own
 * default), but only after a commit has returned, so that a failing checkpoint can never make
 * a committed report look unsaved. A report's own save never folds the log, so that its
 * reporter never waits for that: the next session to open the outbox does. */
#define OUTBOX_CHECKPOINT_FRAMES 1000

/* Each step brings the schema from version i to i + 1 inside one transaction. */
static const char * const migrations[] = {
  "CREATE TABLE reports ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  state INTEGER NOT NULL CHECK (state IN (0, 1, 2)),"
  "  envelope BLOB,"
  "  envelope_sha256 BLOB,"
  "  size INTEGER NOT NULL,"
  "  queued_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  lease_until INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  delivered_at INTEGER,"
  "  rejected_at INTEGER,"
  "  rejected_reason TEXT,"
  "  receipt BLOB,"
  "  CHECK ((state = 1) = (envelope IS NULL)),"
  "  CHECK ((envelope IS NULL) = (envelope_sha256 IS NULL)),"
  "  CHECK (envelope_sha256 IS NULL OR length (envelope_sha256) = 32)"
  ") STRICT;"
  "CREATE INDEX reports_due ON reports (state, next_attempt_at);"
  "CREATE INDEX reports_delivered ON reports (state, delivered_at);",
  /* Each index holds only the rows its queries look for, so saving a report (which the
   * reporter waits for) writes one index page fewer. The queue's index is in sending order and
   * carries the times a report is due by, so a lease reads the envelopes it takes and no
   * others: with the times only in the table, each lease read every pending report's overflow
   * pages to find the oldest, and draining a long queue cost the square of its length. */
  "DROP INDEX reports_due;"
  "DROP INDEX reports_delivered;"
  "CREATE INDEX reports_due ON reports (queued_at, id, next_attempt_at, lease_until)"
  "  WHERE state = 0;"
  "CREATE INDEX reports_delivered ON reports (delivered_at) WHERE state = 1;",
};
#define OUTBOX_SCHEMA_VERSION ((gint64) G_N_ELEMENTS (migrations))

typedef enum
{
  STMT_BEGIN_READ,
  STMT_BEGIN_WRITE,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_INSERT,
  STMT_STATE,
  STMT_ENVELOPE,
  STMT_COUNT_BY_STATE,
  STMT_COUNT_DELIVERED_BETWEEN,
  STMT_LAST_DELIVERED,
  STMT_SELECT_DUE,
  STMT_LEASE,
  STMT_DELIVER,
  STMT_REJECT,
  STMT_DEFER,
  STMT_NEXT_DUE,
  STMT_LIST_REJECTED,
  STMT_RETRY,
  N_STMTS
} StmtId;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN_READ] = "BEGIN DEFERRED",
  [STMT_BEGIN_WRITE] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_INSERT] =
    "INSERT INTO reports (id, state, envelope, envelope_sha256, size, queued_at)"
    " VALUES (?1, 0, ?2, ?3, ?4, ?5)",
  [STMT_STATE] = "SELECT state FROM reports WHERE id = ?1",
  [STMT_ENVELOPE] =
    "SELECT envelope, envelope_sha256 FROM reports WHERE id = ?1 AND envelope IS NOT NULL",
  [STMT_COUNT_BY_STATE] =
    "SELECT state, count(*), coalesce(sum(size), 0), coalesce(min(queued_at), 0)"
    " FROM reports GROUP BY state",
  [STMT_COUNT_DELIVERED_BETWEEN] =
    "SELECT count(*) FROM reports"
    " WHERE state = 1 AND delivered_at >= ?1 AND delivered_at < ?2",
  [STMT_LAST_DELIVERED] =
    "SELECT coalesce(max(delivered_at), 0) FROM reports WHERE state = 1",
  [STMT_SELECT_DUE] =
    "SELECT id, envelope, attempts, queued_at FROM reports"
    " WHERE state = 0 AND next_attempt_at <= ?1 AND lease_until <= ?1"
    " ORDER BY queued_at, id LIMIT ?2",
  [STMT_LEASE] =
    "UPDATE reports SET lease_until = ?2, attempts = attempts + 1 WHERE id = ?1 AND state = 0",
  /* The tombstone keeps nothing that says what the report was: the day it was queued is enough
   * for the counts, and the receipt holds only the intake's signature over id and hash. */
  [STMT_DELIVER] =
    "UPDATE reports SET state = 1, envelope = NULL, envelope_sha256 = NULL, size = 0,"
    " queued_at = queued_at - queued_at % 86400, attempts = 0, next_attempt_at = 0,"
    " lease_until = 0, last_error = NULL, delivered_at = ?2, receipt = ?3"
    " WHERE id = ?1 AND state = 0",
  [STMT_REJECT] =
    "UPDATE reports SET state = 2, lease_until = 0, rejected_at = ?2, rejected_reason = ?3"
    " WHERE id = ?1 AND state = 0",
  [STMT_DEFER] =
    "UPDATE reports SET lease_until = 0, next_attempt_at = ?2, last_error = ?3"
    " WHERE id = ?1 AND state = 0",
  /* A report that is due at once has next_attempt_at 0; the floor of 1 keeps the answer apart
   * from "nothing pending". */
  [STMT_NEXT_DUE] =
    "SELECT min(max(next_attempt_at, lease_until, 1)) FROM reports WHERE state = 0",
  [STMT_LIST_REJECTED] =
    "SELECT id, queued_at, rejected_at, rejected_reason FROM reports WHERE state = 2"
    " ORDER BY rejected_at DESC, id",
  [STMT_RETRY] =
    "UPDATE reports SET state = 0, rejected_at = NULL, rejected_reason = NULL, attempts = 0,"
    " next_attempt_at = 0, lease_until = 0, last_error = NULL WHERE id = ?1 AND state = 2",
};

/* A HircOutbox owns one SQLite connection opened without SQLite's own mutex, so it must be used
 * by one thread at a time; separate processes (the window and the sync service) each open their
 * own. */
struct _HircOutbox
{
  sqlite3      *db;
  char         *path;
  gboolean      read_only;
  int           wal_frames;
  sqlite3_stmt *stmts[N_STMTS];
};

/* A cached statement borrowed for one use: released (reset, bindings cleared) at scope end so
 * that no statement keeps a read snapshot open between calls. */
typedef sqlite3_stmt HircStmt;

static void
hirc_stmt_release (HircStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircStmt, hirc_stmt_release)

typedef enum
{
  LAYOUT_EMPTY,
  LAYOUT_OLDER,
  LAYOUT_CURRENT,
} Layout;

G_DEFINE_QUARK (hirc-outbox-error-quark, hirc_outbox_error)

static HircOutboxError
error_code_for (int         rc,
                int         sys_errno,
                const char *path)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return HIRC_OUTBOX_ERROR_DISK_FULL;
    case SQLITE_IOERR:
      /* The unix VFS reports ENOSPC from fsync or from growing the shared-memory file as a plain
       * I/O error; for the administrator it is still a full disk. */
      if (sys_errno == ENOSPC || sys_errno == EDQUOT)
        return HIRC_OUTBOX_ERROR_DISK_FULL;
      return HIRC_OUTBOX_ERROR_IO;
    case SQLITE_CANTOPEN:
      /* With the database there, the missing file is its log, which a read-only connection
       * cannot create in a folder it cannot write to. */
      if (sys_errno == ENOENT)
        return g_file_test (path, G_FILE_TEST_EXISTS) ? HIRC_OUTBOX_ERROR_READ_ONLY
                                                      : HIRC_OUTBOX_ERROR_MISSING;
      if (sys_errno == EACCES || sys_errno == EPERM || sys_errno == EROFS)
        return HIRC_OUTBOX_ERROR_READ_ONLY;
      return HIRC_OUTBOX_ERROR_IO;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return HIRC_OUTBOX_ERROR_READ_ONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return HIRC_OUTBOX_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PROTOCOL:
      return HIRC_OUTBOX_ERROR_BUSY;
    default:
      return HIRC_OUTBOX_ERROR_FAILED;
    }
}

/* One plain sentence for the administrator, then SQLite's own words for the log. The message
 * is read from the connection, so this must run before anything else (a rollback) touches it. */
static void
set_sqlite_error (HircOutbox  *self,
                  int          rc,
                  const char  *doing,
                  GError     **error)
{
  int sys_errno = 0;
  HircOutboxError code;
  g_autofree char *sentence = NULL;
  g_autofree char *os_detail = NULL;
  const char *sqlite_message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  if (self->db != NULL
      && ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN
          || (rc & 0xff) == SQLITE_FULL))
    sys_errno = sqlite3_system_errno (self->db);
  code = error_code_for (rc, sys_errno, self->path);

  switch (code)
    {
    case HIRC_OUTBOX_ERROR_DISK_FULL:
      sentence = g_strdup_printf ("Could not %s because the disk that holds the outbox at %s "
                                  "is full.", doing, self->path);
      break;
    case HIRC_OUTBOX_ERROR_BUSY:
      sentence = g_strdup_printf ("Could not %s because another program kept the outbox at %s "
                                  "locked for too long.", doing, self->path);
      break;
    case HIRC_OUTBOX_ERROR_CORRUPT:
      sentence = g_strdup_printf ("Could not %s because the outbox at %s is damaged or is not "
                                  "a database.", doing, self->path);
      break;
    case HIRC_OUTBOX_ERROR_READ_ONLY:
      sentence = g_strdup_printf ("Could not %s because the outbox at %s or its folder cannot "
                                  "be written to.", doing, self->path);
      break;
    case HIRC_OUTBOX_ERROR_IO:
      sentence = g_strdup_printf ("Could not %s because the disk that holds the outbox at %s "
                                  "reported an error.", doing, self->path);
      break;
    case HIRC_OUTBOX_ERROR_MISSING:
      sentence = g_strdup_printf ("Could not %s because the outbox at %s or its folder does "
                                  "not exist.", doing, self->path);
      break;
    default:
      sentence = g_strdup_printf ("Could not %s in the outbox at %s.", doing, self->path);
      break;
    }

  if (sys_errno != 0)
    os_detail = g_strdup_printf ("; %s", g_strerror (sys_errno));
  g_set_error (error, HIRC_OUTBOX_ERROR, code, "%s [SQLite %d: %s%s]", sentence, rc,
               sqlite_message, os_detail != NULL ? os_detail : "");
}

static HircStmt *
get_stmt (HircOutbox  *self,
          StmtId       id,
          const char  *doing,
          GError     **error)
{
  if (self->stmts[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &self->stmts[id], NULL);

      if (rc != SQLITE_OK)
        {
          set_sqlite_error (self, rc, doing, error);
          return NULL;
        }
    }
  return self->stmts[id];
}

static gboolean
bind_ok (HircOutbox  *self,
         int          rc,
         const char  *doing,
         GError     **error)
{
  if (rc == SQLITE_OK)
    return TRUE;
  set_sqlite_error (self, rc, doing, error);
  return FALSE;
}

/* Runs a statement that returns no rows. */
static gboolean
run_stmt (HircOutbox  *self,
          HircStmt    *stmt,
          const char  *doing,
          GError     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  set_sqlite_error (self, rc, doing, error);
  return FALSE;
}

static gboolean
run_cached (HircOutbox  *self,
            StmtId       id,
            const char  *doing,
            GError     **error)
{
  g_autoptr(HircStmt) stmt = get_stmt (self, id, doing, error);

  return stmt != NULL && run_stmt (self, stmt, doing, error);
}

static gboolean
exec_sql (HircOutbox  *self,
          const char  *sql,
          const char  *doing,
          GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  set_sqlite_error (self, rc, doing, error);
  return FALSE;
}

/* The first column of the first row of an uncached statement, as an integer or as text. The
 * statement is run to its end: a pragma that changes the file (journal_mode) hands out its row
 * before it commits, and only the last step says whether the commit worked. */
static gboolean
query_value (HircOutbox  *self,
             const char  *sql,
             gint64      *int_value,
             char       **text_value,
             const char  *doing,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean have_row = FALSE;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  while (rc == SQLITE_OK || rc == SQLITE_ROW)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && !have_row)
        {
          have_row = TRUE;
          if (int_value != NULL)
            *int_value = sqlite3_column_int64 (stmt, 0);
          if (text_value != NULL)
            *text_value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      if (text_value != NULL)
        g_clear_pointer (text_value, g_free);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  if (!have_row)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_FAILED,
                   "Could not %s because the outbox at %s gave no answer. [SQLite: %s]",
                   doing, self->path, sql);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (HircOutbox *self)
{
  /* SQLite may already have rolled back on its own after an I/O error. */
  if (sqlite3_get_autocommit (self->db))
    return;
  if (!run_cached (self, STMT_ROLLBACK, "undo the unfinished change", NULL))
    g_message ("outbox: rollback failed: %s", sqlite3_errmsg (self->db));
}

static void
checkpoint_if_large (HircOutbox *self)
{
  int rc;

  if (self->wal_frames < OUTBOX_CHECKPOINT_FRAMES)
    return;
  rc = sqlite3_wal_checkpoint_v2 (self->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK)
    g_message ("outbox: checkpoint failed; the log keeps the data until the next one: %s",
               sqlite3_errmsg (self->db));
}

static gboolean
begin_write (HircOutbox  *self,
             const char  *doing,
             GError     **error)
{
  return run_cached (self, STMT_BEGIN_WRITE, doing, error);
}

static gboolean
commit_only (HircOutbox  *self,
             const char  *doing,
             GError     **error)
{
  if (!run_cached (self, STMT_COMMIT, doing, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
commit (HircOutbox  *self,
        const char  *doing,
        GError     **error)
{
  if (!commit_only (self, doing, error))
    return FALSE;
  checkpoint_if_large (self);
  return TRUE;
}

void
hirc_outbox_fold_log (HircOutbox *self)
{
  g_return_if_fail (self != NULL);

  if (self->read_only)
    return;
  if (sqlite3_wal_checkpoint_v2 (self->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)
      != SQLITE_OK)
    g_message ("outbox: the log could not be folded in; it keeps the data until the next "
               "time: %s", sqlite3_errmsg (self->db));
}

static int
wal_hook_cb (void       *user_data,
             sqlite3    *db,
             const char *name,
             int         n_frames)
{
  HircOutbox *self = user_data;

  self->wal_frames = n_frames;
  return SQLITE_OK;
}

static gboolean
check_writable (HircOutbox  *self,
                const char  *doing,
                GError     **error)
{
  if (!self->read_only)
    return TRUE;
  g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
               "Could not %s because the outbox at %s was opened for reading only.",
               doing, self->path);
  return FALSE;
}

/* Checked before SQLite sees the path, so that a missing file is never created by accident and
 * permission problems are named as such rather than as a generic failure to open. *exists says
 * whether there was a file, so that a new outbox is not folded. */
static gboolean
check_path (const char  *path,
            gboolean     create,
            gboolean     read_only,
            gboolean    *exists,
            GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf st;

  *exists = FALSE;
  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EACCES)
        {
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
                       "The outbox at %s cannot be reached because of the permissions of its "
                       "folder. [%s]", path, g_strerror (saved_errno));
          return FALSE;
        }
      if (saved_errno != ENOENT)
        {
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_IO,
                       "The outbox at %s cannot be reached. [%s]", path, g_strerror (saved_errno));
          return FALSE;
        }
      if (!create)
        {
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_MISSING,
                       "There is no outbox at %s, and the kiosk was not asked to create one.",
                       path);
          return FALSE;
        }
      if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_MISSING,
                       "The outbox cannot be created at %s because the folder %s does not exist.",
                       path, folder);
          return FALSE;
        }
      if (access (folder, W_OK | X_OK) != 0)
        {
          saved_errno = errno;
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
                       "The outbox cannot be created at %s because its folder cannot be written "
                       "to. [%s]", path, g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  *exists = TRUE;
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT,
                   "The outbox at %s is a folder, not a database; it has not been changed.",
                   path);
      return FALSE;
    }
  /* No database is smaller than its smallest page, and SQLite reads a one-byte file as an
   * empty database that CREATE would then overwrite. */
  if (st.st_size > 0 && st.st_size < 512)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT,
                   "The file at %s is too short to be an outbox; it has not been changed. "
                   "[%" G_GINT64_FORMAT " bytes]", path, (gint64) st.st_size);
      return FALSE;
    }
  if (access (path, read_only ? R_OK : R_OK | W_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
                   read_only ? "The outbox at %s cannot be read because of its permissions. [%s]"
                             : "The outbox at %s cannot be written to; check the permissions of "
                               "the file and of the disk it is on. [%s]",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  /* The write-ahead log and its index live beside the database. */
  if (!read_only && access (folder, W_OK | X_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
                   "The outbox at %s cannot be written to because its folder cannot be written "
                   "to. [%s]", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Reads only the header and the list of tables, so that a database that is not an outbox (or
 * is one from a newer kiosk) is refused before anything is written to it. */
static gboolean
classify (HircOutbox  *self,
          gboolean     create,
          Layout      *layout,
          gint64      *version,
          GError     **error)
{
  static const char doing[] = "open the outbox";
  g_autoptr(GError) local_error = NULL;
  gint64 application_id = 0;
  gint64 objects = 0;

  if (!query_value (self, "PRAGMA application_id", &application_id, NULL, doing, &local_error)
      || !query_value (self, "PRAGMA user_version", version, NULL, doing, &local_error)
      || !query_value (self, "SELECT count(*) FROM sqlite_schema", &objects, NULL, doing,
                       &local_error))
    {
      /* "File is not a database" is the common case here; say plainly that nothing changed. */
      if (local_error->code == HIRC_OUTBOX_ERROR_CORRUPT)
        g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT,
                     "The file at %s is not an outbox, or it is damaged; it has not been "
                     "changed. [SQLite %d: %s]", self->path, sqlite3_extended_errcode (self->db),
                     sqlite3_errmsg (self->db));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (objects == 0 && *version == 0
      && (application_id == 0 || application_id == OUTBOX_APPLICATION_ID))
    {
      if (!create)
        {
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_MISSING,
                       "The outbox at %s is empty: it was never set up, and the kiosk was not "
                       "asked to create one.", self->path);
          return FALSE;
        }
      *layout = LAYOUT_EMPTY;
      return TRUE;
    }
  if (application_id != OUTBOX_APPLICATION_ID)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_FOREIGN,
                   "The file at %s is a database this kiosk did not make; it has not been "
                   "changed. [application_id 0x%08" G_GINT64_MODIFIER "x]",
                   self->path, application_id);
      return FALSE;
    }
  if (*version > OUTBOX_SCHEMA_VERSION)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_TOO_NEW,
                   "The outbox at %s was made by a newer version of the kiosk software; it has "
                   "not been changed. [schema %" G_GINT64_FORMAT ", this version reads up to %"
                   G_GINT64_FORMAT "]", self->path, *version, OUTBOX_SCHEMA_VERSION);
      return FALSE;
    }
  *layout = *version < OUTBOX_SCHEMA_VERSION ? LAYOUT_OLDER : LAYOUT_CURRENT;
  return TRUE;
}

/* Applies the missing steps, each in its own transaction. The layout is read again under the
 * write lock because the window and the sync service may open a new outbox at the same time. */
static gboolean
migrate (HircOutbox  *self,
         GError     **error)
{
  static const char doing[] = "set up the outbox";

  for (;;)
    {
      g_autofree char *sql = NULL;
      Layout layout;
      gint64 version = 0;

      if (!begin_write (self, doing, error))
        return FALSE;
      if (!classify (self, TRUE, &layout, &version, error))
        {
          rollback (self);
          return FALSE;
        }
      if (layout == LAYOUT_CURRENT)
        {
          rollback (self);
          return TRUE;
        }

      sql = g_strdup_printf ("%s; PRAGMA application_id = %d; PRAGMA user_version = %"
                             G_GINT64_FORMAT ";",
                             migrations[version], OUTBOX_APPLICATION_ID, version + 1);
      if (!exec_sql (self, sql, doing, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!commit (self, doing, error))
        return FALSE;
    }
}

static gboolean
configure (HircOutbox  *self,
           gboolean     create,
           GError     **error)
{
  static const char doing[] = "open the outbox";
  g_autofree char *journal_mode = NULL;
  Layout layout;
  gint64 version = 0;

  sqlite3_busy_timeout (self->db, OUTBOX_BUSY_TIMEOUT_MS);
  /* Replaces SQLite's automatic checkpoint; see OUTBOX_CHECKPOINT_FRAMES. */
  sqlite3_wal_hook (self->db, wal_hook_cb, self);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);

  /* Settings of this connection only: none of them writes to the file. trusted_schema comes
   * first so that nothing in a foreign schema runs while it is being inspected. */
  if (!exec_sql (self,
                 "PRAGMA trusted_schema = OFF;"
                 "PRAGMA foreign_keys = ON;",
                 doing, error))
    return FALSE;

  if (!classify (self, create, &layout, &version, error))
    return FALSE;

  if (!exec_sql (self,
                 "PRAGMA secure_delete = ON;"
                 "PRAGMA synchronous = FULL;",
                 doing, error))
    return FALSE;

  if (self->read_only)
    {
      if (layout != LAYOUT_CURRENT)
        {
          g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
                       "The outbox at %s needs to be upgraded, which cannot be done while it is "
                       "opened for reading only.", self->path);
          return FALSE;
        }
      return TRUE;
    }

  /* WAL is recorded in the file before the first table exists, so that the schema and every
   * report are written through the log and the database file is never left empty behind a
   * log SQLite would then discard. */
  if (!query_value (self, "PRAGMA journal_mode = WAL", NULL, &journal_mode, doing, error))
    return FALSE;
  if (g_strcmp0 (journal_mode, "wal") != 0)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_IO,
                   "The outbox at %s is on a disk that does not support the write-ahead log it "
                   "needs. [journal_mode %s]", self->path, journal_mode);
      return FALSE;
    }

  if (layout != LAYOUT_CURRENT)
    return migrate (self, error);
  return TRUE;
}

HircOutbox *
hirc_outbox_open (const char           *path,
                  HircOutboxOpenFlags   flags,
                  GError              **error)
{
  g_autoptr(HircOutbox) self = NULL;
  gboolean create = (flags & HIRC_OUTBOX_OPEN_CREATE) != 0;
  gboolean read_only = (flags & HIRC_OUTBOX_OPEN_READ_ONLY) != 0;
  int open_flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  gboolean existed;
  int rc;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (!(create && read_only), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_FAILED,
                   "The outbox at %s cannot be opened because the cryptography library did not "
                   "start.", path);
      return NULL;
    }
  if (!check_path (path, create, read_only, &existed, error))
    return NULL;

  self = g_new0 (HircOutbox, 1);
  self->path = g_strdup (path);
  self->read_only = read_only;

  open_flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create)
    open_flags |= SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "open the outbox", error);
      return NULL;
    }
  /* SQLite quietly falls back to reading when it cannot open the file for writing. */
  if (!read_only && sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY,
                   "The outbox at %s cannot be written to; check the permissions of the file "
                   "and of the disk it is on.", path);
      return NULL;
    }

  if (!configure (self, create, error))
    return NULL;
  /* A new outbox has no saves of earlier sessions to fold in. */
  if (existed)
    hirc_outbox_fold_log (self);

  return g_steal_pointer (&self);
}

void
hirc_outbox_close (HircOutbox *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (self->stmts[i]);
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_message ("outbox: closing %s failed: %s", self->path, sqlite3_errmsg (self->db));
  g_free (self->path);
  g_free (self);
}

const char *
hirc_outbox_get_path (HircOutbox *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

static gboolean
insert_report (HircOutbox  *self,
               const char  *report_id,
               GBytes      *envelope,
               const char  *doing,
               GError     **error)
{
  g_autoptr(HircStmt) stmt = get_stmt (self, STMT_INSERT, doing, error);
  guint8 hash[OUTBOX_HASH_BYTES];
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (envelope, &size);
  int rc;

  if (stmt == NULL)
    return FALSE;

  crypto_hash_sha256 (hash, data, size);
  if (!bind_ok (self, sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC), doing, error)
      || !bind_ok (self, sqlite3_bind_blob64 (stmt, 2, data, size, SQLITE_STATIC), doing, error)
      || !bind_ok (self, sqlite3_bind_blob (stmt, 3, hash, sizeof hash, SQLITE_TRANSIENT),
                   doing, error)
      || !bind_ok (self, sqlite3_bind_int64 (stmt, 4, (gint64) size), doing, error)
      || !bind_ok (self, sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC),
                   doing, error))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DUPLICATE,
                   "A report with the id %s is already in the outbox at %s; it has not been "
                   "changed.", report_id, self->path);
      return FALSE;
    }
  set_sqlite_error (self, rc, doing, error);
  return FALSE;
}

gboolean
hirc_outbox_enqueue (HircOutbox  *self,
                     const char  *report_id,
                     GBytes      *envelope,
                     GError     **error)
{
  static const char doing[] = "save the report";

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL && *report_id != '\0', FALSE);
  g_return_val_if_fail (envelope != NULL && g_bytes_get_size (envelope) > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, doing, error) || !begin_write (self, doing, error))
    return FALSE;
  if (!insert_report (self, report_id, envelope, doing, error))
    {
      rollback (self);
      return FALSE;
    }
  /* TRUE only once COMMIT has returned: with synchronous=FULL that is after the log's fsync. */
  return commit_only (self, doing, error);
}

static gboolean
count_delivered_between (HircOutbox  *self,
                         GDateTime   *start,
                         GDateTime   *end,
                         guint       *count,
                         const char  *doing,
                         GError     **error)
{
  g_autoptr(HircStmt) stmt = get_stmt (self, STMT_COUNT_DELIVERED_BETWEEN, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (start));
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (end));
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  *count = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Today and this month are the kiosk's local calendar, as the administrator reads them. */
static gboolean
count_delivered_recently (HircOutbox        *self,
                          gint64             now,
                          HircOutboxCounts  *counts,
                          const char        *doing,
                          GError           **error)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) next_day = NULL;
  g_autoptr(GDateTime) month = NULL;
  g_autoptr(GDateTime) next_month = NULL;
  int year, month_of_year, day_of_month;

  /* Outside the years GDateTime knows, nothing can have been delivered "today". */
  if (local == NULL)
    return TRUE;

  g_date_time_get_ymd (local, &year, &month_of_year, &day_of_month);
  day = g_date_time_new_local (year, month_of_year, day_of_month, 0, 0, 0);
  month = g_date_time_new_local (year, month_of_year, 1, 0, 0, 0);
  if (day == NULL || month == NULL)
    return TRUE;
  next_day = g_date_time_add_days (day, 1);
  next_month = g_date_time_add_months (month, 1);
  if (next_day == NULL || next_month == NULL)
    return TRUE;

  return count_delivered_between (self, day, next_day, &counts->delivered_today, doing, error)
         && count_delivered_between (self, month, next_month, &counts->delivered_this_month,
                                     doing, error);
}

static gboolean
read_counts (HircOutbox        *self,
             gint64             now,
             HircOutboxCounts  *counts,
             const char        *doing,
             GError           **error)
{
  g_autoptr(HircStmt) by_state = get_stmt (self, STMT_COUNT_BY_STATE, doing, error);
  g_autoptr(HircStmt) last = NULL;
  int rc;

  if (by_state == NULL)
    return FALSE;
  while ((rc = sqlite3_step (by_state)) == SQLITE_ROW)
    {
      guint n = (guint) sqlite3_column_int64 (by_state, 1);

      switch (sqlite3_column_int (by_state, 0))
        {
        case HIRC_OUTBOX_STATE_PENDING:
          counts->pending = n;
          counts->pending_bytes = sqlite3_column_int64 (by_state, 2);
          counts->oldest_pending_queued_at = sqlite3_column_int64 (by_state, 3);
          break;
        case HIRC_OUTBOX_STATE_DELIVERED:
          counts->delivered = n;
          break;
        case HIRC_OUTBOX_STATE_REJECTED:
          counts->rejected = n;
          break;
        default:
          break;
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }

  last = get_stmt (self, STMT_LAST_DELIVERED, doing, error);
  if (last == NULL)
    return FALSE;
  rc = sqlite3_step (last);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  counts->last_delivered_at = sqlite3_column_int64 (last, 0);

  return count_delivered_recently (self, now, counts, doing, error);
}

gboolean
hirc_outbox_get_counts (HircOutbox        *self,
                        gint64             now,
                        HircOutboxCounts  *counts,
                        GError           **error)
{
  static const char doing[] = "count the reports";

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  /* One read transaction, so that the numbers add up even while the sync service works. */
  if (!run_cached (self, STMT_BEGIN_READ, doing, error))
    return FALSE;
  if (!read_counts (self, now, counts, doing, error))
    {
      rollback (self);
      memset (counts, 0, sizeof *counts);
      return FALSE;
    }
  return commit (self, doing, error);
}

GBytes *
hirc_outbox_get_envelope (HircOutbox  *self,
                          const char  *report_id,
                          GError     **error)
{
  static const char doing[] = "read the report";
  g_autoptr(HircStmt) stmt = NULL;
  guint8 hash[OUTBOX_HASH_BYTES];
  const void *data;
  gsize size;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (report_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = get_stmt (self, STMT_ENVELOPE, doing, error);
  if (stmt == NULL
      || !bind_ok (self, sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC), doing, error))
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
                   "The outbox at %s holds no envelope for the report %s.", self->path, report_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      return NULL;
    }

  data = sqlite3_column_blob (stmt, 0);
  size = (gsize) sqlite3_column_bytes (stmt, 0);
  crypto_hash_sha256 (hash, data, size);
  /* A bit flipped on disk would otherwise only be noticed by the intake, as a bad signature. */
  if (sqlite3_column_bytes (stmt, 1) != OUTBOX_HASH_BYTES
      || memcmp (hash, sqlite3_column_blob (stmt, 1), OUTBOX_HASH_BYTES) != 0)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT,
                   "The stored copy of the report %s in the outbox at %s is damaged.",
                   report_id, self->path);
      return NULL;
    }
  return g_bytes_new (data, size);
}

/* found is FALSE (and no error set) when there is no such report. */
static gboolean
lookup_state (HircOutbox       *self,
              const char       *report_id,
              gboolean         *found,
              HircOutboxState  *state,
              const char       *doing,
              GError          **error)
{
  g_autoptr(HircStmt) stmt = get_stmt (self, STMT_STATE, doing, error);
  int rc;

  if (stmt == NULL
      || !bind_ok (self, sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC), doing, error))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *found = FALSE;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  *found = TRUE;
  *state = (HircOutboxState) sqlite3_column_int (stmt, 0);
  return TRUE;
}

static void
set_not_found (HircOutbox  *self,
               const char  *report_id,
               GError     **error)
{
  g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
               "There is no report %s in the outbox at %s.", report_id, self->path);
}

gboolean
hirc_outbox_get_state (HircOutbox       *self,
                       const char       *report_id,
                       HircOutboxState  *state,
                       GError          **error)
{
  gboolean found = FALSE;
  HircOutboxState found_state = HIRC_OUTBOX_STATE_PENDING;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lookup_state (self, report_id, &found, &found_state, "look up the report", error))
    return FALSE;
  if (!found)
    {
      set_not_found (self, report_id, error);
      return FALSE;
    }
  if (state != NULL)
    *state = found_state;
  return TRUE;
}

static gboolean
select_due (HircOutbox  *self,
            gint64       now,
            guint        max,
            GPtrArray   *items,
            const char  *doing,
            GError     **error)
{
  g_autoptr(HircStmt) stmt = get_stmt (self, STMT_SELECT_DUE, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, max);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HircOutboxItem *item = g_new0 (HircOutboxItem, 1);

      item->report_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->envelope = g_bytes_new (sqlite3_column_blob (stmt, 1),
                                    (gsize) sqlite3_column_bytes (stmt, 1));
      /* The attempt this lease is for counts. */
      item->attempts = (guint) sqlite3_column_int64 (stmt, 2) + 1;
      item->queued_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lease_items (HircOutbox  *self,
             GPtrArray   *items,
             gint64       lease_until,
             const char  *doing,
             GError     **error)
{
  for (guint i = 0; i < items->len; i++)
    {
      HircOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(HircStmt) stmt = get_stmt (self, STMT_LEASE, doing, error);

      if (stmt == NULL
          || !bind_ok (self, sqlite3_bind_text (stmt, 1, item->report_id, -1, SQLITE_STATIC),
                       doing, error)
          || !bind_ok (self, sqlite3_bind_int64 (stmt, 2, lease_until), doing, error)
          || !run_stmt (self, stmt, doing, error))
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
hirc_outbox_lease_due (HircOutbox  *self,
                       gint64       now,
                       guint        max,
                       gint64       lease_seconds,
                       GError     **error)
{
  static const char doing[] = "take reports to send";
  g_autoptr(GPtrArray) items = NULL;
  gint64 lease_until;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (lease_seconds > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_outbox_item_free);
  if (!check_writable (self, doing, error))
    return NULL;
  if (max == 0)
    return g_steal_pointer (&items);

  lease_until = now > G_MAXINT64 - lease_seconds ? G_MAXINT64 : now + lease_seconds;
  if (!begin_write (self, doing, error))
    return NULL;
  if (!select_due (self, now, max, items, doing, error)
      || !lease_items (self, items, lease_until, doing, error))
    {
      rollback (self);
      return NULL;
    }
  if (!commit (self, doing, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* Runs one of the UPDATE statements that move a report on, as its own transaction unless one
 * is already open. changed is FALSE when no row matched. */
static gboolean
update_report (HircOutbox  *self,
               StmtId       id,
               const char  *report_id,
               gint64       time_value,
               GBytes      *blob_value,
               const char  *text_value,
               gboolean    *changed,
               const char  *doing,
               GError     **error)
{
  g_autoptr(HircStmt) stmt = get_stmt (self, id, doing, error);
  int n_params;

  if (stmt == NULL)
    return FALSE;

  n_params = sqlite3_bind_parameter_count (stmt);
  if (!bind_ok (self, sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC), doing, error))
    return FALSE;
  if (n_params >= 2
      && !bind_ok (self, sqlite3_bind_int64 (stmt, 2, time_value), doing, error))
    return FALSE;
  if (n_params >= 3)
    {
      int rc;

      if (blob_value != NULL)
        {
          gsize size = 0;
          const void *data = g_bytes_get_data (blob_value, &size);

          /* A NULL pointer would bind SQL NULL; an empty receipt is still a receipt. */
          rc = sqlite3_bind_blob64 (stmt, 3, data != NULL ? data : "", size, SQLITE_STATIC);
        }
      else if (text_value != NULL)
        rc = sqlite3_bind_text (stmt, 3, text_value, -1, SQLITE_STATIC);
      else
        rc = sqlite3_bind_null (stmt, 3);
      if (!bind_ok (self, rc, doing, error))
        return FALSE;
    }

  if (!run_stmt (self, stmt, doing, error))
    return FALSE;
  *changed = sqlite3_changes (self->db) > 0;
  /* Inside a batch's transaction the checkpoint waits for its commit. */
  if (*changed && sqlite3_get_autocommit (self->db))
    checkpoint_if_large (self);
  return TRUE;
}

typedef enum
{
  DELIVERY_DONE,          /* now, or by an earlier receipt */
  DELIVERY_NOT_FOUND,
  DELIVERY_REJECTED,
} DeliveryOutcome;

/* Turns one pending report into a tombstone, inside the caller's transaction or as its own. */
static gboolean
deliver_one (HircOutbox       *self,
             const char       *report_id,
             gint64            now,
             GBytes           *receipt,
             DeliveryOutcome  *outcome,
             const char       *doing,
             GError          **error)
{
  gboolean changed = FALSE;
  gboolean found = FALSE;
  HircOutboxState state = HIRC_OUTBOX_STATE_PENDING;

  if (!update_report (self, STMT_DELIVER, report_id, now, receipt, NULL, &changed, doing, error))
    return FALSE;
  if (changed)
    {
      *outcome = DELIVERY_DONE;
      return TRUE;
    }

  if (!lookup_state (self, report_id, &found, &state, doing, error))
    return FALSE;
  /* A receipt that arrives twice (a retried request) is not an error. */
  if (!found)
    *outcome = DELIVERY_NOT_FOUND;
  else if (state == HIRC_OUTBOX_STATE_DELIVERED)
    *outcome = DELIVERY_DONE;
  else
    *outcome = DELIVERY_REJECTED;
  return TRUE;
}

gboolean
hirc_outbox_mark_delivered (HircOutbox  *self,
                            const char  *report_id,
                            gint64       now,
                            GBytes      *receipt,
                            GError     **error)
{
  static const char doing[] = "mark the report delivered";
  DeliveryOutcome outcome = DELIVERY_NOT_FOUND;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, doing, error)
      || !deliver_one (self, report_id, now, receipt, &outcome, doing, error))
    return FALSE;
  switch (outcome)
    {
    case DELIVERY_DONE:
      return TRUE;
    case DELIVERY_NOT_FOUND:
      set_not_found (self, report_id, error);
      return FALSE;
    case DELIVERY_REJECTED:
    default:
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
                   "The report %s in the outbox at %s was rejected, so it is not waiting to be "
                   "delivered.", report_id, self->path);
      return FALSE;
    }
}

gboolean
hirc_outbox_mark_delivered_batch (HircOutbox          *self,
                                  HircOutboxDelivery  *deliveries,
                                  guint                n_deliveries,
                                  gint64               now,
                                  GError             **error)
{
  static const char doing[] = "mark the reports delivered";

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (deliveries != NULL || n_deliveries == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_deliveries; i++)
    {
      g_return_val_if_fail (deliveries[i].report_id != NULL, FALSE);
      deliveries[i].delivered = FALSE;
    }
  if (!check_writable (self, doing, error))
    return FALSE;
  if (n_deliveries == 0)
    return TRUE;

  if (!begin_write (self, doing, error))
    return FALSE;
  for (guint i = 0; i < n_deliveries; i++)
    {
      DeliveryOutcome outcome = DELIVERY_NOT_FOUND;

      if (!deliver_one (self, deliveries[i].report_id, now, deliveries[i].receipt, &outcome,
                        doing, error))
        {
          rollback (self);
          for (guint j = 0; j < i; j++)
            deliveries[j].delivered = FALSE;
          return FALSE;
        }
      deliveries[i].delivered = outcome == DELIVERY_DONE;
    }
  /* One commit, and so one fsync, for the whole batch: until it returns, none of them counts
   * as delivered. */
  if (!commit (self, doing, error))
    {
      for (guint i = 0; i < n_deliveries; i++)
        deliveries[i].delivered = FALSE;
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_outbox_mark_rejected (HircOutbox  *self,
                           const char  *report_id,
                           gint64       now,
                           const char  *reason,
                           GError     **error)
{
  static const char doing[] = "mark the report rejected";
  gboolean changed = FALSE;
  gboolean found = FALSE;
  HircOutboxState state = HIRC_OUTBOX_STATE_PENDING;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, doing, error)
      || !update_report (self, STMT_REJECT, report_id, now, NULL, reason, &changed, doing,
                         error))
    return FALSE;
  if (changed)
    return TRUE;

  if (!lookup_state (self, report_id, &found, &state, doing, error))
    return FALSE;
  /* The first reason recorded stands. */
  if (found && state == HIRC_OUTBOX_STATE_REJECTED)
    return TRUE;
  if (!found)
    set_not_found (self, report_id, error);
  else
    g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
                 "The report %s in the outbox at %s was already delivered, so it cannot be "
                 "rejected.", report_id, self->path);
  return FALSE;
}

gboolean
hirc_outbox_defer (HircOutbox  *self,
                   const char  *report_id,
                   gint64       next_attempt_at,
                   const char  *last_error,
                   GError     **error)
{
  static const char doing[] = "put off sending the report";
  gboolean changed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, doing, error)
      || !update_report (self, STMT_DEFER, report_id, next_attempt_at, NULL, last_error,
                         &changed, doing, error))
    return FALSE;
  if (!changed)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
                   "There is no report %s waiting to be sent in the outbox at %s.",
                   report_id, self->path);
      return FALSE;
    }
  return TRUE;
}

gint64
hirc_outbox_next_due (HircOutbox  *self,
                      GError     **error)
{
  static const char doing[] = "find the next report to send";
  g_autoptr(HircStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  stmt = get_stmt (self, STMT_NEXT_DUE, doing, error);
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      return 0;
    }
  /* min() over no rows is NULL, which reads as 0: nothing pending. */
  return sqlite3_column_int64 (stmt, 0);
}

GPtrArray *
hirc_outbox_list_rejected (HircOutbox  *self,
                           GError     **error)
{
  static const char doing[] = "list the rejected reports";
  g_autoptr(GPtrArray) rejections = NULL;
  g_autoptr(HircStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = get_stmt (self, STMT_LIST_REJECTED, doing, error);
  if (stmt == NULL)
    return NULL;

  rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_outbox_rejection_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HircOutboxRejection *rejection = g_new0 (HircOutboxRejection, 1);

      rejection->report_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      rejection->queued_at = sqlite3_column_int64 (stmt, 1);
      rejection->rejected_at = sqlite3_column_int64 (stmt, 2);
      rejection->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (rejections, rejection);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, doing, error);
      return NULL;
    }
  return g_steal_pointer (&rejections);
}

gboolean
hirc_outbox_retry_rejected (HircOutbox  *self,
                            const char  *report_id,
                            GError     **error)
{
  static const char doing[] = "queue the rejected report again";
  gboolean changed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, doing, error)
      || !update_report (self, STMT_RETRY, report_id, 0, NULL, NULL, &changed, doing, error))
    return FALSE;
  if (!changed)
    {
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
                   "There is no rejected report %s in the outbox at %s.", report_id, self->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_outbox_check_integrity (HircOutbox  *self,
                             GError     **error)
{
  static const char doing[] = "check the outbox";
  g_autofree char *result = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!query_value (self, "PRAGMA integrity_check", NULL, &result, doing, &local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_auto(GStrv) lines = g_strsplit (result != NULL ? result : "", "\n", -1);
      const char *first = "";

      /* SQLite heads its list with "*** in database main ***"; the first real line is enough. */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (!g_str_has_prefix (lines[i], "***"))
            {
              first = lines[i];
              break;
            }
        }
      g_set_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT,
                   "The outbox at %s is damaged. [integrity_check: %s]", self->path, first);
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_outbox_checkpoint (HircOutbox  *self,
                        GError     **error)
{
  static const char doing[] = "fold the log into the outbox";
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, doing, error))
    return FALSE;
  rc = sqlite3_wal_checkpoint_v2 (self->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

char *
hirc_outbox_get_pragma (HircOutbox  *self,
                        const char  *name,
                        GError     **error)
{
  g_autofree char *sql = NULL;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The name is spliced into SQL, so only a bare identifier is accepted. */
  for (const char *p = name; *p != '\0'; p++)
    g_return_val_if_fail (g_ascii_islower (*p) || *p == '_', NULL);

  sql = g_strdup_printf ("PRAGMA %s", name);
  if (!query_value (self, sql, NULL, &value, "read a setting of the outbox", error))
    return NULL;
  return value;
}

void
hirc_outbox_item_free (HircOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->report_id);
  g_clear_pointer (&item->envelope, g_bytes_unref);
  g_free (item);
}

void
hirc_outbox_rejection_free (HircOutboxRejection *rejection)
{
  if (rejection == NULL)
    return;
  g_free (rejection->report_id);
  g_free (rejection->reason);
  g_free (rejection);
}
