/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-store.c: the central intake's SQLite database, with the kiosk outbox's durability
 * rules: every change is committed (and fsynced) before anyone is told it happened. */

#include "hirc-intake-store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

/* "HRCI": tells an intake database apart from a kiosk outbox or any other SQLite file. */
#define INTAKE_APPLICATION_ID 0x48524349
#define INTAKE_SCHEMA_VERSION 1
/* The log is folded into the database once it holds this many pages (SQLite's own default),
 * by the checkpoint thread; past the second figure the committing thread folds what is left
 * itself, so a log the thread cannot keep up with stays bounded. */
#define CHECKPOINT_FRAMES        1000
#define CHECKPOINT_INLINE_FRAMES (8 * CHECKPOINT_FRAMES)

G_DEFINE_QUARK (hirc-intake-store-error-quark, hirc_intake_store_error)

/* One report waiting to be stored by whichever thread commits next. */
typedef struct
{
  const char   *report_id;
  const char   *device_id;
  const char   *centre_id;
  GBytes       *envelope;
  const guint8 *envelope_sha256;
  gint64        received_at;
  const char   *receipt_json;

  char         *stored_receipt;
  gboolean      duplicate;
  GError       *error;
  gboolean      done;
} PutJob;

struct _HircIntakeStore
{
  /* One connection for the whole server: SQLite serialises writers anyway, and with WAL and
   * synchronous=FULL each commit costs one fsync whoever holds it. */
  GMutex        lock;
  sqlite3      *db;
  sqlite3_stmt *lookup_device;
  sqlite3_stmt *select_report;
  sqlite3_stmt *insert_report;
  sqlite3_stmt *touch_device;
  /* A group's transaction runs these once per report or per commit; parsed once. */
  sqlite3_stmt *begin_immediate;
  sqlite3_stmt *savepoint;
  sqlite3_stmt *rollback_to;
  sqlite3_stmt *release;
  sqlite3_stmt *commit;

  /* Checkpoints run on a thread and connection of their own, so folding the log (writing a
   * thousand pages and an fsync of the database) never holds up a commit that kiosks are
   * waiting on. A commit is durable in the log already; the checkpoint connection syncs as
   * fully as the main one, so no page leaves the log before it is safe in the database.
   * NULL for an in-memory database, which has no log. */
  GMutex        checkpoint_lock;
  GCond         checkpoint_cond;
  sqlite3      *checkpoint_db;
  GThread      *checkpointer;
  gboolean      checkpoint_wanted;
  gboolean      checkpoint_stop;
  /* The log's length when the thread was last asked: it is asked again only a thousand pages
   * later, so that under steady load it folds a thousand pages at a time rather than a few
   * (each fold costs two fsyncs). Used by the committing thread only. */
  int           checkpoint_asked_at;

  /* Group commit: reports that arrive while one commit is being fsynced wait here, and the next
   * thread to commit stores them all in one transaction, so parallel kiosks share an fsync
   * instead of queueing for one each. Nobody is answered before the commit holding their
   * report has returned. */
  GMutex        queue_lock;
  GCond         queue_cond;
  GPtrArray    *queue;
  gboolean      committing;
};

static const char schema_sql[] =
  "CREATE TABLE centres ("
  "  centre_id   TEXT PRIMARY KEY,"
  "  name        TEXT NOT NULL,"
  "  intake_url  TEXT NOT NULL,"
  "  created_at  INTEGER NOT NULL"
  ");"
  "CREATE TABLE enrolment_tokens ("
  "  token_sha256 BLOB PRIMARY KEY CHECK (length (token_sha256) = 32),"
  "  centre_id    TEXT NOT NULL REFERENCES centres (centre_id),"
  "  created_at   INTEGER NOT NULL,"
  "  expires_at   INTEGER NOT NULL,"
  "  used_at      INTEGER,"
  "  device_id    TEXT"
  ");"
  "CREATE TABLE devices ("
  "  device_id           TEXT PRIMARY KEY,"
  "  centre_id           TEXT NOT NULL REFERENCES centres (centre_id),"
  "  public_key          BLOB NOT NULL CHECK (length (public_key) = 32),"
  "  status_token_sha256 BLOB NOT NULL CHECK (length (status_token_sha256) = 32),"
  "  registered_at       INTEGER NOT NULL,"
  "  last_contact        INTEGER,"
  "  queue_depth         INTEGER NOT NULL DEFAULT 0,"
  "  rejected            INTEGER NOT NULL DEFAULT 0,"
  "  software_version    TEXT"
  ");"
  "CREATE TABLE reports ("
  "  report_id       TEXT PRIMARY KEY,"
  "  device_id       TEXT NOT NULL REFERENCES devices (device_id),"
  "  centre_id       TEXT NOT NULL REFERENCES centres (centre_id),"
  "  envelope        BLOB NOT NULL,"
  "  envelope_sha256 BLOB NOT NULL CHECK (length (envelope_sha256) = 32),"
  "  received_at     INTEGER NOT NULL,"
  "  receipt         TEXT NOT NULL"
  ");"
  "CREATE INDEX reports_by_time ON reports (received_at);"
  "CREATE INDEX reports_by_centre ON reports (centre_id, received_at);"
  "CREATE INDEX devices_by_centre ON devices (centre_id);";

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_FAILED,
               "The intake database could not %s: %s", what, sqlite3_errmsg (db));
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, what);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (sqlite3 *db)
{
  /* After a failed COMMIT SQLite may already have rolled back; a second one is harmless. */
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a prepared statement that returns no rows, and makes it ready to run again. */
static gboolean
step_done (sqlite3      *db,
           sqlite3_stmt *stmt,
           const char   *what,
           GError      **error)
{
  gboolean done = sqlite3_step (stmt) == SQLITE_DONE;

  if (!done)
    set_sqlite_error (error, db, what);
  sqlite3_reset (stmt);
  return done;
}

static gpointer
checkpointer_main (gpointer user_data)
{
  HircIntakeStore *store = user_data;

  g_mutex_lock (&store->checkpoint_lock);
  for (;;)
    {
      int rc;

      while (!store->checkpoint_wanted && !store->checkpoint_stop)
        g_cond_wait (&store->checkpoint_cond, &store->checkpoint_lock);
      if (store->checkpoint_stop)
        break;
      store->checkpoint_wanted = FALSE;
      g_mutex_unlock (&store->checkpoint_lock);

      /* Passive: it copies what no reader still needs and never waits for the writer. */
      rc = sqlite3_wal_checkpoint_v2 (store->checkpoint_db, "main", SQLITE_CHECKPOINT_PASSIVE,
                                      NULL, NULL);
      /* Busy only means the committing thread is folding the tail itself. */
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_message ("intake: checkpoint failed; the log keeps the data until the next one: %s",
                   sqlite3_errmsg (store->checkpoint_db));

      g_mutex_lock (&store->checkpoint_lock);
    }
  g_mutex_unlock (&store->checkpoint_lock);
  return NULL;
}

/* Called by SQLite after each commit on the main connection, which still holds the lock. */
static int
wal_hook_cb (void       *user_data,
             sqlite3    *db,
             const char *name,
             int         frames)
{
  HircIntakeStore *store = user_data;

  if (frames >= CHECKPOINT_INLINE_FRAMES)
    {
      /* The thread folded most of it; what is left is the tail written since, and folding
       * that lets the next commit start the log from the beginning again. */
      int rc = sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

      /* Busy: the thread is at it, and the next commit asks again. */
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_message ("intake: checkpoint failed; the log keeps the data until the next one: %s",
                   sqlite3_errmsg (db));
    }
  /* Shorter than when the thread was last asked: the log started again from the beginning. */
  if (frames < store->checkpoint_asked_at)
    store->checkpoint_asked_at = 0;
  if (frames < CHECKPOINT_INLINE_FRAMES
      && frames >= store->checkpoint_asked_at + CHECKPOINT_FRAMES)
    {
      store->checkpoint_asked_at = frames;
      g_mutex_lock (&store->checkpoint_lock);
      store->checkpoint_wanted = TRUE;
      g_cond_signal (&store->checkpoint_cond);
      g_mutex_unlock (&store->checkpoint_lock);
    }
  return SQLITE_OK;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "be read");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, db, "be read");
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_text (sqlite3     *db,
            const char  *sql,
            char       **value,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "be read");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, db, "be read");
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare (sqlite3       *db,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "be prepared");
      return FALSE;
    }
  return TRUE;
}

/* Creates the tables in a fresh file, or checks that an existing file is ours and not newer. */
static gboolean
ensure_schema (sqlite3  *db,
               GError  **error)
{
  gint64 application_id = 0;
  gint64 version = 0;
  gint64 n_objects = 0;

  if (!exec_sql (db, "BEGIN IMMEDIATE", "be locked", error))
    return FALSE;

  if (!query_int (db, "PRAGMA application_id", &application_id, error)
      || !query_int (db, "PRAGMA user_version", &version, error)
      || !query_int (db, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    goto fail;

  if (application_id == 0 && version == 0 && n_objects == 0)
    {
      g_autofree char *stamp = g_strdup_printf ("PRAGMA application_id = %d;"
                                                "PRAGMA user_version = %d;",
                                                INTAKE_APPLICATION_ID, INTAKE_SCHEMA_VERSION);

      if (!exec_sql (db, schema_sql, "be created", error)
          || !exec_sql (db, stamp, "be created", error))
        goto fail;
    }
  else if (application_id != INTAKE_APPLICATION_ID)
    {
      g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_INTAKE,
                           "The database file is not an intake database.");
      goto fail;
    }
  else if (version != INTAKE_SCHEMA_VERSION)
    {
      g_set_error (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_INTAKE,
                   "The intake database has format %" G_GINT64_FORMAT
                   ", which this version of hirc-intake does not know.", version);
      goto fail;
    }

  return exec_sql (db, "COMMIT", "be created", error);

fail:
  rollback (db);
  return FALSE;
}

HircIntakeStore *
hirc_intake_store_open (const char  *path,
                        GError     **error)
{
  g_autoptr(HircIntakeStore) store = NULL;
  gboolean in_memory;
  g_autofree char *journal_mode = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  in_memory = strcmp (path, ":memory:") == 0;
  if (!in_memory)
    {
      /* SQLite would create the file world-readable; it holds sealed reports and the registry,
       * so it is made 0600 first and the -wal and -shm files inherit that. */
      int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

      if (fd < 0)
        {
          int saved_errno = errno;
          g_set_error (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_FAILED,
                       "The intake database %s could not be opened: %s", path,
                       g_strerror (saved_errno));
          return NULL;
        }
      close (fd);
    }

  store = g_new0 (HircIntakeStore, 1);
  g_mutex_init (&store->lock);
  g_mutex_init (&store->queue_lock);
  g_cond_init (&store->queue_cond);
  g_mutex_init (&store->checkpoint_lock);
  g_cond_init (&store->checkpoint_cond);
  store->queue = g_ptr_array_new ();

  if (sqlite3_open_v2 (path, &store->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "be opened");
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  /* Refuses writes to the schema and other ways a crafted file could corrupt itself. */
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  /* The export and centres commands read the database while the server writes it. */
  sqlite3_busy_timeout (store->db, 10000);

  if (!exec_sql (store->db,
                 "PRAGMA trusted_schema = OFF;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA secure_delete = ON;",
                 "be configured", error))
    return NULL;

  if (!query_text (store->db, "PRAGMA journal_mode = WAL", &journal_mode, error))
    return NULL;
  if (g_strcmp0 (journal_mode, in_memory ? "memory" : "wal") != 0)
    {
      g_set_error (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_FAILED,
                   "The intake database %s could not be switched to write-ahead logging.", path);
      return NULL;
    }
  /* Set after journal_mode: in WAL mode FULL syncs the log on every commit. */
  if (!exec_sql (store->db, "PRAGMA synchronous = FULL", "be configured", error))
    return NULL;

  if (!ensure_schema (store->db, error))
    return NULL;

  if (!prepare (store->db,
                "SELECT centre_id, public_key, status_token_sha256 FROM devices"
                " WHERE device_id = ?1",
                &store->lookup_device, error)
      || !prepare (store->db,
                   "SELECT envelope_sha256, receipt FROM reports WHERE report_id = ?1",
                   &store->select_report, error)
      || !prepare (store->db,
                   "INSERT INTO reports (report_id, device_id, centre_id, envelope,"
                   " envelope_sha256, received_at, receipt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   &store->insert_report, error)
      || !prepare (store->db,
                   "UPDATE devices SET last_contact = max (coalesce (last_contact, 0), ?2)"
                   " WHERE device_id = ?1",
                   &store->touch_device, error)
      || !prepare (store->db, "BEGIN IMMEDIATE", &store->begin_immediate, error)
      || !prepare (store->db, "SAVEPOINT report", &store->savepoint, error)
      || !prepare (store->db, "ROLLBACK TO report", &store->rollback_to, error)
      || !prepare (store->db, "RELEASE report", &store->release, error)
      || !prepare (store->db, "COMMIT", &store->commit, error))
    return NULL;

  if (!in_memory)
    {
      if (sqlite3_open_v2 (path, &store->checkpoint_db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        {
          set_sqlite_error (error, store->checkpoint_db, "be opened for checkpoints");
          return NULL;
        }
      sqlite3_extended_result_codes (store->checkpoint_db, 1);
      sqlite3_db_config (store->checkpoint_db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
      if (!exec_sql (store->checkpoint_db,
                     "PRAGMA trusted_schema = OFF;"
                     "PRAGMA synchronous = FULL;",
                     "be configured for checkpoints", error))
        return NULL;
      store->checkpointer = g_thread_new ("intake-checkpoint", checkpointer_main, store);
      /* Replaces SQLite's automatic checkpoint, which would run inside the commit. */
      sqlite3_wal_hook (store->db, wal_hook_cb, store);
    }

  return g_steal_pointer (&store);
}

void
hirc_intake_store_free (HircIntakeStore *store)
{
  if (store == NULL)
    return;
  if (store->checkpointer != NULL)
    {
      g_mutex_lock (&store->checkpoint_lock);
      store->checkpoint_stop = TRUE;
      g_cond_signal (&store->checkpoint_cond);
      g_mutex_unlock (&store->checkpoint_lock);
      g_thread_join (g_steal_pointer (&store->checkpointer));
    }
  if (store->db != NULL)
    sqlite3_wal_hook (store->db, NULL, NULL);
  sqlite3_close (store->checkpoint_db);
  sqlite3_finalize (store->begin_immediate);
  sqlite3_finalize (store->savepoint);
  sqlite3_finalize (store->rollback_to);
  sqlite3_finalize (store->release);
  sqlite3_finalize (store->commit);
  sqlite3_finalize (store->lookup_device);
  sqlite3_finalize (store->select_report);
  sqlite3_finalize (store->insert_report);
  sqlite3_finalize (store->touch_device);
  sqlite3_close (store->db);
  g_mutex_clear (&store->lock);
  g_mutex_clear (&store->queue_lock);
  g_cond_clear (&store->queue_cond);
  g_mutex_clear (&store->checkpoint_lock);
  g_cond_clear (&store->checkpoint_cond);
  g_ptr_array_unref (store->queue);
  g_free (store);
}

void
hirc_uuid_format (const guint8 id[HIRC_ID_BYTES],
                  char         out[HIRC_UUID_STRING_BYTES])
{
  g_snprintf (out, HIRC_UUID_STRING_BYTES,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
              id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
}

static int
lower_hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

gboolean
hirc_uuid_parse (const char *text,
                 guint8      out[HIRC_ID_BYTES])
{
  guint8 id[HIRC_ID_BYTES];
  gsize n = 0;

  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (gsize i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          continue;
        }
      if (lower_hex_value (text[i]) < 0 || lower_hex_value (text[i + 1]) < 0)
        return FALSE;
      id[n++] = (guint8) (lower_hex_value (text[i]) << 4 | lower_hex_value (text[i + 1]));
      i++;
    }
  memcpy (out, id, HIRC_ID_BYTES);
  return TRUE;
}

gboolean
hirc_intake_store_add_centre (HircIntakeStore  *store,
                              const char       *centre_id,
                              const char       *name,
                              const char       *intake_url,
                              gint64            now,
                              GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (centre_id != NULL && name != NULL && intake_url != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  if (sqlite3_prepare_v2 (store->db,
                          "INSERT INTO centres (centre_id, name, intake_url, created_at)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "record the centre");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, centre_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, intake_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, store->db, "record the centre");
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_intake_store_lookup_centre (HircIntakeStore  *store,
                                 const char       *centre_id,
                                 char            **name,
                                 GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (centre_id != NULL && name != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  if (sqlite3_prepare_v2 (store->db, "SELECT name FROM centres WHERE centre_id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "look up the centre");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, centre_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_FOUND,
                   "No centre has the id %s.", centre_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, store->db, "look up the centre");
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_intake_store_add_token (HircIntakeStore  *store,
                             const char       *centre_id,
                             const guint8      token_sha256[HIRC_HASH_BYTES],
                             gint64            now,
                             gint64            expires_at,
                             GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (centre_id != NULL && token_sha256 != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  if (sqlite3_prepare_v2 (store->db,
                          "INSERT INTO enrolment_tokens (token_sha256, centre_id, created_at,"
                          " expires_at) VALUES (?1, ?2, ?3, ?4)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "record the enrolment token");
      return FALSE;
    }
  sqlite3_bind_blob (stmt, 1, token_sha256, HIRC_HASH_BYTES, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, centre_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, store->db, "record the enrolment token");
      return FALSE;
    }
  return TRUE;
}

void
hirc_intake_enrolment_clear (HircIntakeEnrolment *enrolment)
{
  g_clear_pointer (&enrolment->centre_id, g_free);
  g_clear_pointer (&enrolment->centre_name, g_free);
  enrolment->device_id[0] = '\0';
}

/* Runs the token checks and the registration inside the caller's transaction. */
static gboolean
enrol_device_locked (HircIntakeStore      *store,
                     const guint8          token_sha256[HIRC_HASH_BYTES],
                     const guint8          public_key[32],
                     const guint8          status_token_sha256[HIRC_HASH_BYTES],
                     const char           *software_version,
                     gint64                now,
                     HircIntakeEnrolment  *enrolment,
                     GError              **error)
{
  sqlite3 *db = store->db;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *centre_id = NULL;
  g_autofree char *centre_name = NULL;
  g_autofree char *device_id = NULL;
  gint64 expires_at;
  gboolean used;
  int rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT t.centre_id, t.expires_at, t.used_at IS NOT NULL, c.name"
                          " FROM enrolment_tokens t JOIN centres c USING (centre_id)"
                          " WHERE t.token_sha256 = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "look up the enrolment token");
      return FALSE;
    }
  sqlite3_bind_blob (stmt, 1, token_sha256, HIRC_HASH_BYTES, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      centre_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      expires_at = sqlite3_column_int64 (stmt, 1);
      used = sqlite3_column_int (stmt, 2) != 0;
      centre_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_TOKEN_INVALID,
                           "The enrolment token is not one this intake issued.");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, db, "look up the enrolment token");
      return FALSE;
    }
  if (used)
    {
      g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_TOKEN_USED,
                           "The enrolment token has already been used; ask the intake for a new bundle.");
      return FALSE;
    }
  if (now >= expires_at)
    {
      g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_TOKEN_EXPIRED,
                           "The enrolment token has expired; ask the intake for a new bundle.");
      return FALSE;
    }

  device_id = g_uuid_string_random ();

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO devices (device_id, centre_id, public_key,"
                          " status_token_sha256, registered_at, last_contact, software_version)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "register the device");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, centre_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, public_key, 32, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, status_token_sha256, HIRC_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, software_version, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, "register the device");
      return FALSE;
    }

  if (sqlite3_prepare_v2 (db,
                          "UPDATE enrolment_tokens SET used_at = ?2, device_id = ?3"
                          " WHERE token_sha256 = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "spend the enrolment token");
      return FALSE;
    }
  sqlite3_bind_blob (stmt, 1, token_sha256, HIRC_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, device_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, "spend the enrolment token");
      return FALSE;
    }

  g_strlcpy (enrolment->device_id, device_id, sizeof enrolment->device_id);
  enrolment->centre_id = g_steal_pointer (&centre_id);
  enrolment->centre_name = g_steal_pointer (&centre_name);
  return TRUE;
}

gboolean
hirc_intake_store_enrol_device (HircIntakeStore      *store,
                                const guint8          token_sha256[HIRC_HASH_BYTES],
                                const guint8          public_key[32],
                                const guint8          status_token_sha256[HIRC_HASH_BYTES],
                                const char           *software_version,
                                gint64                now,
                                HircIntakeEnrolment  *enrolment,
                                GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (token_sha256 != NULL && public_key != NULL, FALSE);
  g_return_val_if_fail (status_token_sha256 != NULL && software_version != NULL, FALSE);
  g_return_val_if_fail (enrolment != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  if (!exec_sql (store->db, "BEGIN IMMEDIATE", "be locked", error))
    return FALSE;
  if (!enrol_device_locked (store, token_sha256, public_key, status_token_sha256,
                            software_version, now, enrolment, error))
    {
      rollback (store->db);
      return FALSE;
    }
  if (!exec_sql (store->db, "COMMIT", "record the enrolment", error))
    {
      rollback (store->db);
      hirc_intake_enrolment_clear (enrolment);
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_intake_store_lookup_device (HircIntakeStore   *store,
                                 const char        *device_id,
                                 HircIntakeDevice  *device,
                                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL && device != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  stmt = store->lookup_device;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW
      && sqlite3_column_bytes (stmt, 1) == 32
      && sqlite3_column_bytes (stmt, 2) == HIRC_HASH_BYTES)
    {
      g_strlcpy (device->device_id, device_id, sizeof device->device_id);
      g_strlcpy (device->centre_id, (const char *) sqlite3_column_text (stmt, 0),
                 sizeof device->centre_id);
      memcpy (device->public_key, sqlite3_column_blob (stmt, 1), 32);
      memcpy (device->status_token_sha256, sqlite3_column_blob (stmt, 2), HIRC_HASH_BYTES);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_FOUND,
                           "No device with that id is enrolled.");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, store->db, "look up the device");
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_intake_store_update_status (HircIntakeStore  *store,
                                 const char       *device_id,
                                 gint64            queue_depth,
                                 gint64            rejected,
                                 const char       *software_version,
                                 gint64            now,
                                 GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL && software_version != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  if (sqlite3_prepare_v2 (store->db,
                          "UPDATE devices SET queue_depth = ?2, rejected = ?3,"
                          " software_version = ?4,"
                          " last_contact = max (coalesce (last_contact, 0), ?5)"
                          " WHERE device_id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "record the device's status");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, queue_depth);
  sqlite3_bind_int64 (stmt, 3, rejected);
  sqlite3_bind_text (stmt, 4, software_version, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, store->db, "record the device's status");
      return FALSE;
    }
  if (sqlite3_changes (store->db) == 0)
    {
      g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_FOUND,
                           "No device with that id is enrolled.");
      return FALSE;
    }
  return TRUE;
}

/* Inside the caller's transaction: the receipt to answer with, or CONFLICT. */
static gboolean
put_report_locked (HircIntakeStore  *store,
                   const char       *report_id,
                   const char       *device_id,
                   const char       *centre_id,
                   GBytes           *envelope,
                   const guint8      envelope_sha256[HIRC_HASH_BYTES],
                   gint64            received_at,
                   const char       *receipt_json,
                   char            **stored_receipt,
                   gboolean         *duplicate,
                   GError          **error)
{
  sqlite3_stmt *stmt = store->select_report;
  gsize envelope_len = 0;
  gconstpointer envelope_data = g_bytes_get_data (envelope, &envelope_len);
  int rc;

  sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gboolean same = sqlite3_column_bytes (stmt, 0) == HIRC_HASH_BYTES
                      && memcmp (sqlite3_column_blob (stmt, 0), envelope_sha256,
                                 HIRC_HASH_BYTES) == 0;

      if (same)
        *stored_receipt = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (!same)
        {
          g_set_error_literal (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_CONFLICT,
                               "A different report is already stored under this report id.");
          return FALSE;
        }
      *duplicate = TRUE;
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, store->db, "look up the report");
          return FALSE;
        }

      stmt = store->insert_report;
      sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, centre_id, -1, SQLITE_STATIC);
      sqlite3_bind_blob64 (stmt, 4, envelope_data, envelope_len, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 5, envelope_sha256, HIRC_HASH_BYTES, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, received_at);
      sqlite3_bind_text (stmt, 7, receipt_json, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, store->db, "store the report");
          return FALSE;
        }
      *stored_receipt = g_strdup (receipt_json);
      *duplicate = FALSE;
    }

  stmt = store->touch_device;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, received_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (stored_receipt, g_free);
      set_sqlite_error (error, store->db, "record the device's contact");
      return FALSE;
    }
  return TRUE;
}

/* Stores a batch of reports in one transaction, each in a savepoint of its own so that one
 * refusal does not undo the others, and commits them with one fsync. */
static void
commit_batch (HircIntakeStore *store,
              GPtrArray       *batch)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;

  locker = g_mutex_locker_new (&store->lock);
  if (!step_done (store->db, store->begin_immediate, "be locked", &error))
    goto fail;

  for (guint i = 0; i < batch->len; i++)
    {
      PutJob *job = g_ptr_array_index (batch, i);

      if (!step_done (store->db, store->savepoint, "be locked", &error))
        goto fail;
      if (!put_report_locked (store, job->report_id, job->device_id, job->centre_id,
                              job->envelope, job->envelope_sha256, job->received_at,
                              job->receipt_json, &job->stored_receipt, &job->duplicate,
                              &job->error))
        {
          if (!step_done (store->db, store->rollback_to, "undo a refused report", &error))
            goto fail;
        }
      if (!step_done (store->db, store->release, "be written", &error))
        goto fail;
    }

  /* The answer goes out only after this returns, so a receipt always means the report is on
   * disk. */
  if (!step_done (store->db, store->commit, "commit the report", &error))
    goto fail;
  return;

fail:
  rollback (store->db);
  for (guint i = 0; i < batch->len; i++)
    {
      PutJob *job = g_ptr_array_index (batch, i);

      g_clear_pointer (&job->stored_receipt, g_free);
      if (job->error == NULL)
        job->error = g_error_copy (error);
    }
}

gboolean
hirc_intake_store_put_report (HircIntakeStore  *store,
                              const char       *report_id,
                              const char       *device_id,
                              const char       *centre_id,
                              GBytes           *envelope,
                              const guint8      envelope_sha256[HIRC_HASH_BYTES],
                              gint64            received_at,
                              const char       *receipt_json,
                              char            **stored_receipt,
                              gboolean         *duplicate,
                              GError          **error)
{
  PutJob job = {
    .report_id = report_id,
    .device_id = device_id,
    .centre_id = centre_id,
    .envelope = envelope,
    .envelope_sha256 = envelope_sha256,
    .received_at = received_at,
    .receipt_json = receipt_json,
  };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (report_id != NULL && device_id != NULL && centre_id != NULL, FALSE);
  g_return_val_if_fail (envelope != NULL && envelope_sha256 != NULL, FALSE);
  g_return_val_if_fail (receipt_json != NULL && stored_receipt != NULL, FALSE);

  g_mutex_lock (&store->queue_lock);
  g_ptr_array_add (store->queue, &job);
  while (!job.done)
    {
      g_autoptr(GPtrArray) batch = NULL;

      if (store->committing)
        {
          g_cond_wait (&store->queue_cond, &store->queue_lock);
          continue;
        }

      /* Nobody is committing: this thread commits everything queued so far, its own report
       * included. */
      store->committing = TRUE;
      batch = g_steal_pointer (&store->queue);
      store->queue = g_ptr_array_new ();
      g_mutex_unlock (&store->queue_lock);

      commit_batch (store, batch);

      g_mutex_lock (&store->queue_lock);
      for (guint i = 0; i < batch->len; i++)
        ((PutJob *) g_ptr_array_index (batch, i))->done = TRUE;
      store->committing = FALSE;
      g_cond_broadcast (&store->queue_cond);
    }
  g_mutex_unlock (&store->queue_lock);

  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  *stored_receipt = job.stored_receipt;
  if (duplicate != NULL)
    *duplicate = job.duplicate;
  return TRUE;
}

gboolean
hirc_intake_store_foreach_report (HircIntakeStore      *store,
                                  gint64                since,
                                  HircIntakeReportFunc  func,
                                  gpointer              user_data,
                                  GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  locker = g_mutex_locker_new (&store->lock);
  if (sqlite3_prepare_v2 (store->db,
                          "SELECT r.report_id, r.device_id, r.centre_id, r.received_at,"
                          " r.envelope, d.public_key"
                          " FROM reports r LEFT JOIN devices d USING (device_id)"
                          " WHERE r.received_at >= ?1"
                          " ORDER BY r.received_at, r.report_id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "be read");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, since);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) envelope = g_bytes_new (sqlite3_column_blob (stmt, 4),
                                                (gsize) sqlite3_column_bytes (stmt, 4));
      HircIntakeStoredReport report = {
        .report_id = (const char *) sqlite3_column_text (stmt, 0),
        .device_id = (const char *) sqlite3_column_text (stmt, 1),
        .centre_id = (const char *) sqlite3_column_text (stmt, 2),
        .received_at = sqlite3_column_int64 (stmt, 3),
        .envelope = envelope,
        .device_public_key = sqlite3_column_bytes (stmt, 5) == 32
                             ? sqlite3_column_blob (stmt, 5) : NULL,
      };

      if (!func (&report, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, store->db, "be read");
      return FALSE;
    }
  return TRUE;
}

void
hirc_intake_centre_summary_free (HircIntakeCentreSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->centre_id);
  g_free (summary->name);
  g_free (summary->intake_url);
  g_free (summary->software_versions);
  g_free (summary);
}

/* The label "YYYY-MM" (UTC) of the month months_back before the one holding now. */
static void
month_label (gint64  now,
             int     months_back,
             char    label[8])
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (now);
  int year = g_date_time_get_year (at);
  int month = g_date_time_get_month (at) - months_back;

  while (month < 1)
    {
      month += 12;
      year--;
    }
  g_snprintf (label, 8, "%04d-%02d", year, month);
}

static gboolean
count_reports (HircIntakeStore  *store,
               GPtrArray        *summaries,
               gint64            now,
               GError          **error)
{
  char labels[HIRC_INTAKE_MONTHS][8];
  sqlite3_stmt *stmt = NULL;
  int rc;

  for (int i = 0; i < HIRC_INTAKE_MONTHS; i++)
    month_label (now, HIRC_INTAKE_MONTHS - 1 - i, labels[i]);

  for (guint s = 0; s < summaries->len; s++)
    {
      HircIntakeCentreSummary *summary = g_ptr_array_index (summaries, s);

      memcpy (summary->months, labels, sizeof labels);
    }

  if (sqlite3_prepare_v2 (store->db,
                          "SELECT centre_id, count(*),"
                          " strftime ('%Y-%m', received_at, 'unixepoch')"
                          " FROM reports GROUP BY centre_id, 3",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "count the reports");
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *centre_id = (const char *) sqlite3_column_text (stmt, 0);
      gint64 count = sqlite3_column_int64 (stmt, 1);
      const char *month = (const char *) sqlite3_column_text (stmt, 2);

      for (guint s = 0; s < summaries->len; s++)
        {
          HircIntakeCentreSummary *summary = g_ptr_array_index (summaries, s);

          if (g_strcmp0 (summary->centre_id, centre_id) != 0)
            continue;
          summary->total_reports += count;
          for (int i = 0; i < HIRC_INTAKE_MONTHS; i++)
            if (g_strcmp0 (labels[i], month) == 0)
              summary->reports[i] += count;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, store->db, "count the reports");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
hirc_intake_store_list_centres (HircIntakeStore  *store,
                                gint64            now,
                                GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  locker = g_mutex_locker_new (&store->lock);
  summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_intake_centre_summary_free);

  if (sqlite3_prepare_v2 (store->db,
                          "SELECT c.centre_id, c.name, c.intake_url, count (d.device_id),"
                          " coalesce (max (d.last_contact), 0),"
                          " coalesce (sum (d.queue_depth), 0), coalesce (sum (d.rejected), 0),"
                          " coalesce (group_concat (DISTINCT d.software_version), '')"
                          " FROM centres c LEFT JOIN devices d USING (centre_id)"
                          " GROUP BY c.centre_id ORDER BY c.name, c.centre_id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db, "list the centres");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HircIntakeCentreSummary *summary = g_new0 (HircIntakeCentreSummary, 1);

      summary->centre_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      summary->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      summary->intake_url = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      summary->n_devices = (guint) sqlite3_column_int (stmt, 3);
      summary->last_contact = sqlite3_column_int64 (stmt, 4);
      summary->queue_depth = sqlite3_column_int64 (stmt, 5);
      summary->rejected = sqlite3_column_int64 (stmt, 6);
      summary->software_versions = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (summaries, summary);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, store->db, "list the centres");
      return NULL;
    }

  if (!count_reports (store, summaries, now, error))
    return NULL;
  return g_steal_pointer (&summaries);
}
