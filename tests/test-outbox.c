/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-outbox.c: the outbox's states, counts, leases and tombstones, and every way opening it
 * can go wrong, checked through the API and, independently, with raw SQLite. */

#include "hirc-outbox.h"
#include "hirc-test-faultvfs.h"
#include "hirc-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define MARKER_BYTES 32

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = hirc_test_make_temp_dir ("hirc-test-outbox");
  fixture->path = g_build_filename (fixture->dir, "outbox.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  hirc_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static GBytes *
random_bytes (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  return g_bytes_new_take (data, len);
}

/* An envelope-sized blob with marker (when given) in its middle. */
static GBytes *
make_envelope (gsize         len,
               const guint8 *marker)
{
  g_autoptr(GBytes) bytes = random_bytes (len);
  gsize size = 0;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &size);

  if (marker != NULL)
    memcpy (data + len / 2, marker, MARKER_BYTES);
  return g_bytes_new_take (data, size);
}

static HircOutbox *
open_outbox (const char          *path,
             HircOutboxOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  HircOutbox *outbox = hirc_outbox_open (path, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (outbox);
  return outbox;
}

static void
enqueue (HircOutbox *outbox,
         const char *id,
         GBytes     *envelope)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hirc_outbox_enqueue (outbox, id, envelope, &error));
  g_assert_no_error (error);
}

static void
assert_envelope (HircOutbox *outbox,
                 const char *id,
                 GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stored = hirc_outbox_get_envelope (outbox, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_true (g_bytes_equal (stored, expected));
}

static void
assert_state (HircOutbox      *outbox,
              const char      *id,
              HircOutboxState  expected)
{
  g_autoptr(GError) error = NULL;
  HircOutboxState state = 99;

  g_assert_true (hirc_outbox_get_state (outbox, id, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, expected);
}

static void
assert_open_fails (const char          *path,
                   HircOutboxOpenFlags  flags,
                   HircOutboxError      code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircOutbox) outbox = hirc_outbox_open (path, flags, &error);

  g_assert_null (outbox);
  g_assert_error (error, HIRC_OUTBOX_ERROR, (int) code);
  /* The administrator is told which file, in a sentence. */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_ascii_isupper (error->message[0]));
  g_test_message ("open %s: %s", path, error->message);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
local_time (int year,
            int month,
            int day,
            int hour,
            int minute,
            int second)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (year, month, day, hour, minute, second);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

/* Raw SQLite, the way an independent reader would look at the file. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
raw_is_null (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gboolean is_null;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  is_null = sqlite3_column_type (stmt, 0) == SQLITE_NULL;
  sqlite3_finalize (stmt);
  return is_null;
}

static GBytes *
raw_blob (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GBytes *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static gboolean
file_exists (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_create_reopen (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GBytes) envelope = random_bytes (5000);
  g_autoptr(GBytes) file = NULL;
  g_autofree char *id = g_uuid_string_random ();
  sqlite3 *db;

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_assert_cmpstr (hirc_outbox_get_path (outbox), ==, fixture->path);
  /* WAL mode is written into the file's header straight away, so the file is never empty
   * while reports sit in the log. */
  file = read_file (fixture->path);
  g_assert_cmpuint (g_bytes_get_size (file), >=, 4096);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (file, NULL))[18], ==, 2);
  enqueue (outbox, id, envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);

  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, 0x48495243);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 2);
  sqlite3_close (db);

  /* Opening an existing outbox, with or without CREATE, neither loses nor adds anything. */
  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  assert_envelope (outbox, id, envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);
  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  assert_envelope (outbox, id, envelope);
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  user_data)
{
  static const struct
  {
    const char *name;
    const char *value;
  } expected[] = {
    { "journal_mode", "wal" },
    { "synchronous", "2" },
    { "secure_delete", "1" },
    { "trusted_schema", "0" },
    { "foreign_keys", "1" },
    { "busy_timeout", "5000" },
    { "application_id", "1212764739" },
    { "user_version", "2" },
  };

  for (guint pass = 0; pass < 2; pass++)
    {
      /* The first pass creates the file; the second reads back an existing one. */
      g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, pass == 0
                                                  ? HIRC_OUTBOX_OPEN_CREATE
                                                  : HIRC_OUTBOX_OPEN_EXISTING);

      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *value = hirc_outbox_get_pragma (outbox, expected[i].name, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (value, ==, expected[i].value);
        }
    }
}

static void
test_enqueue_round_trip (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) envelope = random_bytes (7001);
  g_autoptr(GBytes) stored_hash = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gint64 before = now_seconds ();
  gint64 after;
  sqlite3 *db;

  enqueue (outbox, id, envelope);
  after = now_seconds ();
  assert_envelope (outbox, id, envelope);
  assert_state (outbox, id, HIRC_OUTBOX_STATE_PENDING);

  /* The stored hash is SHA-256 of the exact bytes, as an independent implementation says. */
  g_checksum_update (checksum, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope));
  g_checksum_get_digest (checksum, digest, &digest_len);
  db = raw_open (fixture->path);
  sql = g_strdup_printf ("SELECT envelope_sha256 FROM reports WHERE id = '%s'", id);
  stored_hash = raw_blob (db, sql);
  g_assert_cmpmem (g_bytes_get_data (stored_hash, NULL), g_bytes_get_size (stored_hash),
                   digest, digest_len);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT size FROM reports WHERE id = '%s'", id);
  g_assert_cmpint (raw_int (db, sql), ==, 7001);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT queued_at FROM reports WHERE id = '%s'", id);
  g_assert_cmpint (raw_int (db, sql), >=, before);
  g_assert_cmpint (raw_int (db, sql), <=, after);
  sqlite3_close (db);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) first = random_bytes (4000);
  g_autoptr(GBytes) second = random_bytes (4100);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  HircOutboxCounts counts;

  enqueue (outbox, id, first);
  g_assert_false (hirc_outbox_enqueue (outbox, id, second, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DUPLICATE);
  g_clear_error (&error);
  /* The same bytes again are still a duplicate, and the first copy is untouched either way. */
  g_assert_false (hirc_outbox_enqueue (outbox, id, first, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DUPLICATE);
  g_clear_error (&error);

  assert_envelope (outbox, id, first);
  g_assert_true (hirc_outbox_get_counts (outbox, now_seconds (), &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, 1);
  g_assert_cmpint (counts.pending_bytes, ==, 4000);
}

static void
deliver (HircOutbox *outbox,
         const char *id,
         gint64      when)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) receipt = g_bytes_new_static ("receipt", 7);

  g_assert_true (hirc_outbox_mark_delivered (outbox, id, when, receipt, &error));
  g_assert_no_error (error);
}

static void
get_counts (HircOutbox       *outbox,
            gint64            now,
            HircOutboxCounts *counts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hirc_outbox_get_counts (outbox, now, counts, &error));
  g_assert_no_error (error);
}

static void
test_counts (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GDateTime) noon_april = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { "a-feb", "b-march-last", "c-april-midnight", "d-april-early",
                        "e-pending", "f-pending", "g-rejected" };
  const gsize sizes[] = { 3000, 3100, 3200, 3300, 4000, 5000, 6000 };
  HircOutboxCounts counts;
  gint64 before, after;

  get_counts (outbox, now_seconds (), &counts);
  g_assert_cmpuint (counts.pending + counts.delivered + counts.rejected, ==, 0);
  g_assert_cmpuint (counts.delivered_today + counts.delivered_this_month, ==, 0);
  g_assert_cmpint (counts.oldest_pending_queued_at, ==, 0);
  g_assert_cmpint (counts.last_delivered_at, ==, 0);
  g_assert_cmpint (counts.pending_bytes, ==, 0);

  /* main() put the test in a zone with summer time, where local midnight on 1 April is 23:00
   * UTC the day before: a count by UTC days would be wrong here. */
  noon_april = g_date_time_new_local (2024, 4, 1, 12, 0, 0);
  g_assert_cmpint (g_date_time_get_utc_offset (noon_april), ==, G_TIME_SPAN_HOUR);

  before = now_seconds ();
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GBytes) envelope = random_bytes (sizes[i]);

      enqueue (outbox, ids[i], envelope);
    }
  after = now_seconds ();

  deliver (outbox, ids[0], local_time (2024, 2, 29, 12, 0, 0));
  deliver (outbox, ids[1], local_time (2024, 3, 31, 23, 59, 59));
  deliver (outbox, ids[2], local_time (2024, 4, 1, 0, 0, 0));
  deliver (outbox, ids[3], local_time (2024, 4, 1, 0, 30, 0));
  g_assert_true (hirc_outbox_mark_rejected (outbox, ids[6], local_time (2024, 4, 1, 1, 0, 0),
                                            "The intake did not recognise this kiosk.", &error));
  g_assert_no_error (error);

  get_counts (outbox, local_time (2024, 4, 1, 12, 0, 0), &counts);
  g_assert_cmpuint (counts.pending, ==, 2);
  g_assert_cmpuint (counts.delivered, ==, 4);
  g_assert_cmpuint (counts.rejected, ==, 1);
  g_assert_cmpuint (counts.delivered_today, ==, 2);
  g_assert_cmpuint (counts.delivered_this_month, ==, 2);
  g_assert_cmpint (counts.oldest_pending_queued_at, >=, before);
  g_assert_cmpint (counts.oldest_pending_queued_at, <=, after);
  g_assert_cmpint (counts.last_delivered_at, ==, local_time (2024, 4, 1, 0, 30, 0));
  /* Pending bytes count pending envelopes only: not tombstones, not rejected reports. */
  g_assert_cmpint (counts.pending_bytes, ==, 4000 + 5000);

  get_counts (outbox, local_time (2024, 4, 1, 0, 0, 0), &counts);
  g_assert_cmpuint (counts.delivered_today, ==, 2);
  g_assert_cmpuint (counts.delivered_this_month, ==, 2);

  get_counts (outbox, local_time (2024, 3, 31, 23, 59, 59), &counts);
  g_assert_cmpuint (counts.delivered_today, ==, 1);
  g_assert_cmpuint (counts.delivered_this_month, ==, 1);

  get_counts (outbox, local_time (2024, 3, 15, 9, 0, 0), &counts);
  g_assert_cmpuint (counts.delivered_today, ==, 0);
  g_assert_cmpuint (counts.delivered_this_month, ==, 1);

  get_counts (outbox, local_time (2024, 2, 29, 23, 0, 0), &counts);
  g_assert_cmpuint (counts.delivered_today, ==, 1);
  g_assert_cmpuint (counts.delivered_this_month, ==, 1);

  get_counts (outbox, local_time (2024, 4, 30, 23, 59, 59), &counts);
  g_assert_cmpuint (counts.delivered_today, ==, 0);
  g_assert_cmpuint (counts.delivered_this_month, ==, 2);

  get_counts (outbox, local_time (2024, 5, 1, 0, 0, 0), &counts);
  g_assert_cmpuint (counts.delivered_this_month, ==, 0);
  g_assert_cmpuint (counts.delivered, ==, 4);
}

static GPtrArray *
lease (HircOutbox *outbox,
       gint64      now,
       guint       max,
       gint64      seconds)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = hirc_outbox_lease_due (outbox, now, max, seconds, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static const HircOutboxItem *
item_at (GPtrArray *items,
         guint      i)
{
  return g_ptr_array_index (items, i);
}

static void
test_lease (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) env_a = random_bytes (3000);
  g_autoptr(GBytes) env_b = random_bytes (3001);
  g_autoptr(GBytes) env_c = random_bytes (3002);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = now_seconds () + 100;
  sqlite3 *db;

  /* Ids sort the other way from age, so the order below can only come from queued_at. */
  enqueue (outbox, "c", env_c);
  enqueue (outbox, "b", env_b);
  enqueue (outbox, "a", env_a);
  db = raw_open (fixture->path);
  raw_exec (db, "UPDATE reports SET queued_at = 100 WHERE id = 'c';"
                "UPDATE reports SET queued_at = 200 WHERE id = 'b';"
                "UPDATE reports SET queued_at = 300 WHERE id = 'a';");

  items = lease (outbox, t, 0, 60);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  items = lease (outbox, t, 2, 60);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "c");
  g_assert_cmpstr (item_at (items, 1)->report_id, ==, "b");
  g_assert_true (g_bytes_equal (item_at (items, 0)->envelope, env_c));
  g_assert_true (g_bytes_equal (item_at (items, 1)->envelope, env_b));
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 1);
  g_assert_cmpint (item_at (items, 0)->queued_at, ==, 100);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* No report is leased twice while its lease lives. */
  items = lease (outbox, t + 10, 10, 60);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "a");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = lease (outbox, t + 59, 10, 60);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A lease that ran out (the sender crashed) offers the report again, and counts it. */
  items = lease (outbox, t + 60, 10, 60);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "c");
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_assert_cmpint (raw_int (db, "SELECT attempts FROM reports WHERE id = 'c'"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT lease_until FROM reports WHERE id = 'c'"), ==, t + 120);
  g_assert_cmpint (raw_int (db, "SELECT attempts FROM reports WHERE id = 'a'"), ==, 1);

  /* Deferring releases the lease and holds the report back until its next attempt. */
  g_assert_true (hirc_outbox_defer (outbox, "c", t + 500, "The intake did not answer.", &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (db, "SELECT lease_until FROM reports WHERE id = 'c'"), ==, 0);
  items = lease (outbox, t + 499, 10, 60);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "b");
  g_assert_cmpstr (item_at (items, 1)->report_id, ==, "a");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = lease (outbox, t + 500, 10, 60);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "c");
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 3);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A delivered report is never offered again. */
  deliver (outbox, "b", t + 600);
  items = lease (outbox, t + 10000, 10, 60);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "c");
  g_assert_cmpstr (item_at (items, 1)->report_id, ==, "a");
  g_clear_pointer (&items, g_ptr_array_unref);

  sqlite3_close (db);
}

static void
assert_absent_from_files (const char   *path,
                          const guint8 *needle,
                          gsize         len)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (file_exists (file))
        g_assert_false (hirc_test_file_contains (file, needle, len));
    }
}

static void
test_tombstone (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) marker_bytes = random_bytes (MARKER_BYTES);
  const guint8 *marker = g_bytes_get_data (marker_bytes, NULL);
  g_autoptr(GBytes) envelope = make_envelope (9000, marker);
  g_autoptr(GBytes) neighbour = random_bytes (6000);
  g_autoptr(GBytes) receipt = random_bytes (120);
  g_autoptr(GBytes) stored_receipt = NULL;
  g_autoptr(GBytes) hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  gint64 delivered_at = now_seconds () + 5;
  gint64 queued_at;
  sqlite3 *db;

  enqueue (outbox, "neighbour-1", neighbour);
  enqueue (outbox, "target", envelope);
  enqueue (outbox, "neighbour-2", neighbour);

  /* The search can find the marker where it is, so its absence later means something. */
  g_assert_true (hirc_test_file_contains (wal, marker, MARKER_BYTES));
  g_assert_true (hirc_outbox_checkpoint (outbox, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_test_file_contains (fixture->path, marker, MARKER_BYTES));

  db = raw_open (fixture->path);
  hash = raw_blob (db, "SELECT envelope_sha256 FROM reports WHERE id = 'target'");
  queued_at = raw_int (db, "SELECT queued_at FROM reports WHERE id = 'target'");
  sqlite3_close (db);

  g_assert_true (hirc_outbox_mark_delivered (outbox, "target", delivered_at, receipt, &error));
  g_assert_no_error (error);
  /* A second receipt for the same report changes nothing and is not an error. */
  g_assert_true (hirc_outbox_mark_delivered (outbox, "target", delivered_at + 9,
                                             neighbour, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_outbox_checkpoint (outbox, &error));
  g_assert_no_error (error);

  /* secure_delete zeroes the freed pages and the checkpoint empties the log: no byte of the
   * ciphertext, nor its hash, is left anywhere in the outbox's files. */
  assert_absent_from_files (fixture->path, marker, MARKER_BYTES);
  assert_absent_from_files (fixture->path, g_bytes_get_data (hash, NULL), g_bytes_get_size (hash));
  g_assert_false (hirc_test_tree_contains (fixture->dir, marker, MARKER_BYTES, NULL));

  assert_state (outbox, "target", HIRC_OUTBOX_STATE_DELIVERED);
  g_assert_null (hirc_outbox_get_envelope (outbox, "target", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_envelope (outbox, "neighbour-1", neighbour);
  assert_envelope (outbox, "neighbour-2", neighbour);

  db = raw_open (fixture->path);
  g_assert_true (raw_is_null (db, "SELECT envelope FROM reports WHERE id = 'target'"));
  g_assert_true (raw_is_null (db, "SELECT envelope_sha256 FROM reports WHERE id = 'target'"));
  g_assert_true (raw_is_null (db, "SELECT last_error FROM reports WHERE id = 'target'"));
  g_assert_cmpint (raw_int (db, "SELECT size FROM reports WHERE id = 'target'"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT state FROM reports WHERE id = 'target'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT delivered_at FROM reports WHERE id = 'target'"), ==,
                   delivered_at);
  g_assert_cmpint (raw_int (db, "SELECT queued_at FROM reports WHERE id = 'target'"), ==,
                   queued_at - queued_at % 86400);
  stored_receipt = raw_blob (db, "SELECT receipt FROM reports WHERE id = 'target'");
  g_assert_true (g_bytes_equal (stored_receipt, receipt));
  sqlite3_close (db);

  g_clear_pointer (&outbox, hirc_outbox_close);
  assert_absent_from_files (fixture->path, marker, MARKER_BYTES);
}

static void
test_deliver_batch (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) marker_bytes = random_bytes (MARKER_BYTES);
  g_autoptr(GBytes) envelope_a = make_envelope (4300, g_bytes_get_data (marker_bytes, NULL));
  g_autoptr(GBytes) envelope = random_bytes (4300);
  g_autoptr(GBytes) receipt_a = random_bytes (150);
  g_autoptr(GBytes) receipt_b = random_bytes (151);
  g_autoptr(GBytes) stored_receipt = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = now_seconds () + 100;
  HircOutboxCounts counts;
  HircOutboxDelivery none[1] = { { "a", receipt_a, TRUE } };
  HircOutboxDelivery batch[] = {
    { "a", receipt_a, FALSE },
    { "b", receipt_b, FALSE },
    { "nobody", receipt_b, TRUE },
    { "rejected", receipt_b, TRUE },
    /* The same receipt twice in one batch, as a retried request gives. */
    { "a", receipt_b, FALSE },
  };
  guint syncs;
  sqlite3 *db;

  enqueue (outbox, "a", envelope_a);
  enqueue (outbox, "b", envelope);
  enqueue (outbox, "rejected", envelope);
  enqueue (outbox, "left", envelope);
  items = lease (outbox, t, 10, 60);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_true (hirc_outbox_mark_rejected (outbox, "rejected", t, "Refused.", &error));
  g_assert_no_error (error);

  /* An empty batch writes nothing and is not an error. */
  hirc_test_faultvfs_reset ();
  g_assert_true (hirc_outbox_mark_delivered_batch (outbox, none, 0, t, &error));
  g_assert_no_error (error);
  g_assert_true (none[0].delivered);
  g_assert_cmpuint (hirc_test_faultvfs_get_writes (), ==, 0);

  /* The whole batch is one transaction: one fsync however many receipts it holds. */
  hirc_test_faultvfs_reset ();
  g_assert_true (hirc_outbox_mark_delivered_batch (outbox, batch, G_N_ELEMENTS (batch), t + 1,
                                                   &error));
  g_assert_no_error (error);
  syncs = hirc_test_faultvfs_get_syncs ();
  g_assert_cmpuint (syncs, ==, 1);
  g_assert_true (batch[0].delivered);
  g_assert_true (batch[1].delivered);
  g_assert_false (batch[2].delivered);
  g_assert_false (batch[3].delivered);
  g_assert_true (batch[4].delivered);

  assert_state (outbox, "a", HIRC_OUTBOX_STATE_DELIVERED);
  assert_state (outbox, "b", HIRC_OUTBOX_STATE_DELIVERED);
  /* A rejected report keeps its envelope and its state; a report not in the batch is as it
   * was. */
  assert_state (outbox, "rejected", HIRC_OUTBOX_STATE_REJECTED);
  assert_envelope (outbox, "rejected", envelope);
  assert_state (outbox, "left", HIRC_OUTBOX_STATE_PENDING);
  assert_envelope (outbox, "left", envelope);
  g_assert_null (hirc_outbox_get_envelope (outbox, "a", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  get_counts (outbox, t + 1, &counts);
  g_assert_cmpuint (counts.delivered, ==, 2);
  g_assert_cmpuint (counts.pending, ==, 1);
  g_assert_cmpuint (counts.rejected, ==, 1);
  g_assert_cmpint (counts.last_delivered_at, ==, t + 1);

  /* The tombstones are those of single deliveries: the first receipt stands, and once the log
   * is folded in no byte of the ciphertext is left. */
  db = raw_open (fixture->path);
  stored_receipt = raw_blob (db, "SELECT receipt FROM reports WHERE id = 'a'");
  g_assert_true (g_bytes_equal (stored_receipt, receipt_a));
  g_clear_pointer (&stored_receipt, g_bytes_unref);
  stored_receipt = raw_blob (db, "SELECT receipt FROM reports WHERE id = 'b'");
  g_assert_true (g_bytes_equal (stored_receipt, receipt_b));
  g_assert_true (raw_is_null (db, "SELECT envelope_sha256 FROM reports WHERE id = 'a'"));
  g_assert_cmpint (raw_int (db, "SELECT delivered_at FROM reports WHERE id = 'b'"), ==, t + 1);
  g_assert_cmpint (raw_int (db, "SELECT lease_until FROM reports WHERE id = 'b'"), ==, 0);
  sqlite3_close (db);
  g_assert_true (hirc_outbox_checkpoint (outbox, &error));
  g_assert_no_error (error);
  assert_absent_from_files (fixture->path, g_bytes_get_data (marker_bytes, NULL), MARKER_BYTES);

  /* The same receipts again, as after a lease ran out before they were written: nothing
   * changes and nothing fails. */
  g_assert_true (hirc_outbox_mark_delivered_batch (outbox, batch, 2, t + 50, &error));
  g_assert_no_error (error);
  g_assert_true (batch[0].delivered);
  g_assert_true (batch[1].delivered);
  get_counts (outbox, t + 50, &counts);
  g_assert_cmpuint (counts.delivered, ==, 2);
  g_assert_cmpint (counts.last_delivered_at, ==, t + 1);
}

/* A batch that cannot be written changes nothing: every report keeps its envelope and its
 * lease, and every delivered flag says so. */
static void
test_deliver_batch_fault (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(HircOutbox) reader = NULL;
  g_autoptr(GBytes) envelope = random_bytes (4300);
  g_autoptr(GBytes) receipt = random_bytes (150);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = now_seconds () + 100;
  HircOutboxDelivery batch[] = {
    { "a", receipt, TRUE },
    { "b", receipt, TRUE },
    { "c", receipt, TRUE },
  };

  enqueue (outbox, "a", envelope);
  enqueue (outbox, "b", envelope);
  enqueue (outbox, "c", envelope);
  items = lease (outbox, t, 10, 60);
  g_assert_cmpuint (items->len, ==, 3);
  g_clear_pointer (&items, g_ptr_array_unref);

  hirc_test_faultvfs_reset ();
  hirc_test_faultvfs_arm_write (1, SQLITE_FULL);
  g_assert_false (hirc_outbox_mark_delivered_batch (outbox, batch, G_N_ELEMENTS (batch), t,
                                                    &error));
  hirc_test_faultvfs_disarm ();
  g_assert_cmpuint (hirc_test_faultvfs_get_faults (), ==, 1);
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DISK_FULL);
  g_test_message ("batch on a full disk: %s", error->message);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (batch); i++)
    g_assert_false (batch[i].delivered);

  /* As this connection and as another one see it. */
  reader = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  for (guint i = 0; i < G_N_ELEMENTS (batch); i++)
    {
      assert_state (outbox, batch[i].report_id, HIRC_OUTBOX_STATE_PENDING);
      assert_envelope (outbox, batch[i].report_id, envelope);
      assert_state (reader, batch[i].report_id, HIRC_OUTBOX_STATE_PENDING);
      assert_envelope (reader, batch[i].report_id, envelope);
    }
  /* Still leased: the reports are offered again only when the lease runs out. */
  items = lease (outbox, t + 1, 10, 60);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = lease (outbox, t + 60, 10, 60);
  g_assert_cmpuint (items->len, ==, 3);

  g_assert_true (hirc_outbox_mark_delivered_batch (outbox, batch, G_N_ELEMENTS (batch), t + 61,
                                                   &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (batch); i++)
    {
      g_assert_true (batch[i].delivered);
      assert_state (reader, batch[i].report_id, HIRC_OUTBOX_STATE_DELIVERED);
    }
}

static void
test_rejected (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) env_r1 = random_bytes (3500);
  g_autoptr(GBytes) env_r2 = random_bytes (3600);
  g_autoptr(GPtrArray) rejections = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const HircOutboxRejection *rejection;
  gint64 t = now_seconds () + 100;
  HircOutboxCounts counts;

  enqueue (outbox, "r1", env_r1);
  enqueue (outbox, "r2", env_r2);
  items = lease (outbox, t, 10, 60);
  g_assert_cmpuint (items->len, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_true (hirc_outbox_mark_rejected (outbox, "r1", t + 1,
                                            "The intake refused the report's signature.",
                                            &error));
  g_assert_no_error (error);
  g_assert_true (hirc_outbox_mark_rejected (outbox, "r2", t + 2,
                                            "The intake said the report is too large.", &error));
  g_assert_no_error (error);
  /* Rejecting again keeps the first reason. */
  g_assert_true (hirc_outbox_mark_rejected (outbox, "r1", t + 3, "Another reason.", &error));
  g_assert_no_error (error);

  /* Nothing is dropped: the envelope stays for the administrator. */
  assert_state (outbox, "r1", HIRC_OUTBOX_STATE_REJECTED);
  assert_envelope (outbox, "r1", env_r1);
  get_counts (outbox, t, &counts);
  g_assert_cmpuint (counts.rejected, ==, 2);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpint (counts.pending_bytes, ==, 0);

  rejections = hirc_outbox_list_rejected (outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 2);
  rejection = g_ptr_array_index (rejections, 0);
  g_assert_cmpstr (rejection->report_id, ==, "r2");
  g_assert_cmpint (rejection->rejected_at, ==, t + 2);
  rejection = g_ptr_array_index (rejections, 1);
  g_assert_cmpstr (rejection->report_id, ==, "r1");
  g_assert_cmpstr (rejection->reason, ==, "The intake refused the report's signature.");
  g_assert_cmpint (rejection->rejected_at, ==, t + 1);
  g_assert_cmpint (rejection->queued_at, <=, now_seconds ());
  g_assert_cmpint (rejection->queued_at, >, 0);
  g_clear_pointer (&rejections, g_ptr_array_unref);

  /* A rejected report is not sent, and a receipt cannot turn it into a tombstone. */
  items = lease (outbox, t + 10000, 10, 60);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_assert_false (hirc_outbox_mark_delivered (outbox, "r1", t, NULL, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_defer (outbox, "r1", t, "x", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_envelope (outbox, "r1", env_r1);

  g_assert_true (hirc_outbox_retry_rejected (outbox, "r1", &error));
  g_assert_no_error (error);
  assert_state (outbox, "r1", HIRC_OUTBOX_STATE_PENDING);
  g_assert_false (hirc_outbox_retry_rejected (outbox, "r1", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rejections = hirc_outbox_list_rejected (outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 1);
  g_assert_cmpstr (((HircOutboxRejection *) g_ptr_array_index (rejections, 0))->report_id, ==,
                   "r2");

  items = lease (outbox, t + 10, 10, 60);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "r1");
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 1);
  g_assert_true (g_bytes_equal (item_at (items, 0)->envelope, env_r1));
  deliver (outbox, "r1", t + 11);
  assert_state (outbox, "r1", HIRC_OUTBOX_STATE_DELIVERED);
  g_assert_false (hirc_outbox_mark_rejected (outbox, "r1", t + 12, "late", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
}

static gint64
next_due (HircOutbox *outbox)
{
  g_autoptr(GError) error = NULL;
  gint64 due = hirc_outbox_next_due (outbox, &error);

  g_assert_no_error (error);
  return due;
}

static void
test_next_due (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) envelope = random_bytes (3000);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = now_seconds () + 100;
  gint64 due;

  g_assert_cmpint (next_due (outbox), ==, 0);

  enqueue (outbox, "a", envelope);
  due = next_due (outbox);
  g_assert_cmpint (due, >, 0);
  g_assert_cmpint (due, <=, now_seconds ());

  items = lease (outbox, t, 10, 60);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (next_due (outbox), ==, t + 60);

  g_assert_true (hirc_outbox_defer (outbox, "a", t + 500, "Connection refused.", &error));
  g_assert_no_error (error);
  g_assert_cmpint (next_due (outbox), ==, t + 500);

  enqueue (outbox, "b", envelope);
  g_assert_cmpint (next_due (outbox), <=, now_seconds ());

  deliver (outbox, "b", t);
  g_assert_cmpint (next_due (outbox), ==, t + 500);
  g_assert_true (hirc_outbox_mark_rejected (outbox, "a", t, "Refused.", &error));
  g_assert_no_error (error);
  g_assert_cmpint (next_due (outbox), ==, 0);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  HircOutboxState state;

  g_assert_null (hirc_outbox_get_envelope (outbox, "nobody", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_get_state (outbox, "nobody", &state, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_mark_delivered (outbox, "nobody", 1, NULL, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_mark_rejected (outbox, "nobody", 1, "why", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_defer (outbox, "nobody", 1, NULL, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_retry_rejected (outbox, "nobody", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *in_missing_folder = g_build_filename (fixture->dir, "no-such-folder",
                                                          "outbox.db", NULL);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_EXISTING, HIRC_OUTBOX_ERROR_MISSING);
  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_READ_ONLY, HIRC_OUTBOX_ERROR_MISSING);
  g_assert_false (file_exists (fixture->path));
  g_assert_false (file_exists (wal));
  g_assert_false (file_exists (shm));

  assert_open_fails (in_missing_folder, HIRC_OUTBOX_OPEN_CREATE, HIRC_OUTBOX_ERROR_MISSING);
  g_assert_false (file_exists (in_missing_folder));
}

static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GBytes) envelope = random_bytes (3000);
  g_autoptr(GError) error = NULL;

  /* An empty file holds no reports, so only CREATE may set it up. */
  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);
  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_EXISTING, HIRC_OUTBOX_ERROR_MISSING);
  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  enqueue (outbox, "a", envelope);
  assert_envelope (outbox, "a", envelope);
}

/* The file at path is refused with code, and is byte for byte what it was. */
static void
assert_refused_untouched (const char      *path,
                          HircOutboxError  code)
{
  g_autoptr(GBytes) before = read_file (path);
  g_autoptr(GBytes) after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  assert_open_fails (path, HIRC_OUTBOX_OPEN_EXISTING, code);
  assert_open_fails (path, HIRC_OUTBOX_OPEN_CREATE, code);
  assert_open_fails (path, HIRC_OUTBOX_OPEN_READ_ONLY, code);
  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
  /* A read-only connection to a WAL database leaves the (empty) log it opened behind. */
  if (file_exists (wal))
    {
      g_autoptr(GBytes) log = read_file (wal);

      g_assert_cmpuint (g_bytes_get_size (log), ==, 0);
    }
}

static void
test_corrupt_garbage (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const gsize sizes[] = { 1, 10, 99, 100, 4096, 8192, 65536 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) garbage = random_bytes (sizes[i]);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (fixture->path, g_bytes_get_data (garbage, NULL), sizes[i], &error);
      g_assert_no_error (error);
      assert_refused_untouched (fixture->path, HIRC_OUTBOX_ERROR_CORRUPT);
    }
}

static void
test_corrupt_header (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) envelope = random_bytes (5000);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = NULL;
  gsize len = 0;

  enqueue (outbox, "a", envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);
  whole = read_file (fixture->path);
  data = g_bytes_unref_to_data (g_steal_pointer (&whole), &len);
  g_assert_cmpuint (len, >, 8192);

  /* A header cut short. */
  g_file_set_contents (fixture->path, (const char *) data, 50, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, HIRC_OUTBOX_ERROR_CORRUPT);

  /* The whole first page overwritten, the rest intact. */
  for (gsize i = 0; i < 4096; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  g_file_set_contents (fixture->path, (const char *) data, len, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, HIRC_OUTBOX_ERROR_CORRUPT);
}

static void
test_corrupt_pages (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) marker_bytes = random_bytes (MARKER_BYTES);
  g_autoptr(GBytes) envelope = make_envelope (6000, g_bytes_get_data (marker_bytes, NULL));
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = NULL;
  guint8 *found;
  gsize len = 0;

  enqueue (outbox, "a", envelope);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("filler-%u", i);
      g_autoptr(GBytes) filler = random_bytes (300);

      enqueue (outbox, id, filler);
    }
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, hirc_outbox_close);

  whole = read_file (fixture->path);
  data = g_bytes_unref_to_data (g_steal_pointer (&whole), &len);

  /* One flipped bit inside the ciphertext is invisible to SQLite but not to the stored hash. */
  found = memmem (data, len, g_bytes_get_data (marker_bytes, NULL), MARKER_BYTES);
  g_assert_nonnull (found);
  found[3] ^= 0x10;
  g_file_set_contents (fixture->path, (const char *) data, len, &error);
  g_assert_no_error (error);
  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  g_assert_null (hirc_outbox_get_envelope (outbox, "a", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT);
  g_clear_error (&error);
  g_clear_pointer (&outbox, hirc_outbox_close);

  /* A b-tree page overwritten: the integrity check says so. Page 2 is the table's root. */
  memset (data + 4096, 0x5a, 4096);
  g_file_set_contents (fixture->path, (const char *) data, len, &error);
  g_assert_no_error (error);
  outbox = hirc_outbox_open (fixture->path, HIRC_OUTBOX_OPEN_EXISTING, &error);
  if (outbox == NULL)
    {
      g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT);
      return;
    }
  g_assert_no_error (error);
  g_assert_false (hirc_outbox_check_integrity (outbox, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
}

/* An outbox made by the first version of the schema is brought up to date in place, and its
 * reports and tombstones come through untouched. */
static void
test_migrate_v1 (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GBytes) envelope = random_bytes (4300);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *index_sql = NULL;
  gint64 t = now_seconds ();
  HircOutboxCounts counts;
  sqlite3 *db;

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  enqueue (outbox, "old-pending", envelope);
  enqueue (outbox, "old-delivered", envelope);
  deliver (outbox, "old-delivered", t);
  g_clear_pointer (&outbox, hirc_outbox_close);

  /* What version 1 wrote: the same table, with indexes over every row. */
  db = raw_open (fixture->path);
  raw_exec (db, "DROP INDEX reports_due;"
                "DROP INDEX reports_delivered;"
                "CREATE INDEX reports_due ON reports (state, next_attempt_at);"
                "CREATE INDEX reports_delivered ON reports (state, delivered_at);"
                "PRAGMA user_version = 1;");
  sqlite3_close (db);

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  assert_envelope (outbox, "old-pending", envelope);
  assert_state (outbox, "old-delivered", HIRC_OUTBOX_STATE_DELIVERED);
  get_counts (outbox, t, &counts);
  g_assert_cmpuint (counts.pending, ==, 1);
  g_assert_cmpuint (counts.delivered, ==, 1);
  g_assert_cmpuint (counts.delivered_today, ==, 1);
  g_assert_cmpint (counts.last_delivered_at, ==, t);
  items = lease (outbox, t, 10, 60);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->report_id, ==, "old-pending");
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, hirc_outbox_close);

  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                                "name = 'reports_delivered' AND sql LIKE '%WHERE state = 1'"),
                   ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                                "name = 'reports_due' AND sql LIKE '%WHERE state = 0'"),
                   ==, 1);
  sqlite3_close (db);
}

static void
test_foreign (Fixture       *fixture,
              gconstpointer  user_data)
{
  sqlite3 *db = NULL;

  /* Someone else's database, in its default (rollback journal) mode. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  raw_exec (db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                "INSERT INTO notes (body) VALUES ('shopping list'), ('phone numbers');");
  sqlite3_close (db);
  assert_refused_untouched (fixture->path, HIRC_OUTBOX_ERROR_FOREIGN);

  /* Another program's empty database that has claimed its own application_id. */
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  raw_exec (db, "PRAGMA application_id = 1234; PRAGMA user_version = 1;");
  sqlite3_close (db);
  assert_refused_untouched (fixture->path, HIRC_OUTBOX_ERROR_FOREIGN);
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) envelope = random_bytes (3000);
  sqlite3 *db;

  enqueue (outbox, "a", envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);

  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA user_version = 99");
  raw_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
  assert_refused_untouched (fixture->path, HIRC_OUTBOX_ERROR_TOO_NEW);

  /* Once the newer kiosk's schema is gone again, the report is still there. */
  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA user_version = 2");
  sqlite3_close (db);
  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  assert_envelope (outbox, "a", envelope);
}

static void
test_read_only_flag (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GBytes) envelope = random_bytes (3000);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  HircOutboxCounts counts;

  enqueue (outbox, "a", envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_READ_ONLY);
  get_counts (outbox, now_seconds (), &counts);
  g_assert_cmpuint (counts.pending, ==, 1);
  assert_envelope (outbox, "a", envelope);
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);

  g_assert_false (hirc_outbox_enqueue (outbox, "b", envelope, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_clear_error (&error);
  items = hirc_outbox_lease_due (outbox, now_seconds (), 10, 60, &error);
  g_assert_null (items);
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_mark_delivered (outbox, "a", 1, NULL, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (hirc_outbox_mark_rejected (outbox, "a", 1, "x", &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_clear_pointer (&outbox, hirc_outbox_close);

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  assert_state (outbox, "a", HIRC_OUTBOX_STATE_PENDING);
  g_assert_false (hirc_outbox_get_state (outbox, "b", NULL, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
}

static void
test_read_only_permissions (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GBytes) envelope = random_bytes (3000);
  g_autofree char *other = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root ignores file permissions; the read-only mount test covers root");
      return;
    }

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  enqueue (outbox, "a", envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);

  g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);
  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_EXISTING, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_assert_cmpint (g_chmod (fixture->path, 0000), ==, 0);
  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_EXISTING, HIRC_OUTBOX_ERROR_READ_ONLY);
  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_READ_ONLY, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);

  /* The log files need the folder to be writable. */
  other = g_build_filename (fixture->dir, "other.db", NULL);
  g_assert_cmpint (g_chmod (fixture->dir, 0555), ==, 0);
  assert_open_fails (fixture->path, HIRC_OUTBOX_OPEN_EXISTING, HIRC_OUTBOX_ERROR_READ_ONLY);
  assert_open_fails (other, HIRC_OUTBOX_OPEN_CREATE, HIRC_OUTBOX_ERROR_READ_ONLY);
  g_assert_cmpint (g_chmod (fixture->dir, 0700), ==, 0);

  outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  assert_envelope (outbox, "a", envelope);
}

/* Runs in a child with a mount namespace of its own. */
static void
read_only_mount_child (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-ro-mount");
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autofree char *why_not = NULL;
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GBytes) envelope = random_bytes (3000);

  if (!hirc_test_mount_private_tmpfs (dir, 1024, &why_not))
    g_error ("%s", why_not);

  outbox = open_outbox (path, HIRC_OUTBOX_OPEN_CREATE);
  enqueue (outbox, "a", envelope);
  g_clear_pointer (&outbox, hirc_outbox_close);

  if (!hirc_test_remount_read_only (dir, &why_not))
    g_error ("%s", why_not);
  assert_open_fails (path, HIRC_OUTBOX_OPEN_EXISTING, HIRC_OUTBOX_ERROR_READ_ONLY);
  assert_open_fails (path, HIRC_OUTBOX_OPEN_CREATE, HIRC_OUTBOX_ERROR_READ_ONLY);
  assert_open_fails (other, HIRC_OUTBOX_OPEN_CREATE, HIRC_OUTBOX_ERROR_READ_ONLY);
  /* Even reading needs the log files, which cannot be made here; say so, not "missing". */
  assert_open_fails (path, HIRC_OUTBOX_OPEN_READ_ONLY, HIRC_OUTBOX_ERROR_READ_ONLY);

  g_assert_cmpint (umount (dir), ==, 0);
  hirc_test_remove_tree (dir);
}

static void
test_read_only_mount (void)
{
  g_autofree char *why_not = NULL;

  if (g_test_subprocess ())
    {
      read_only_mount_child ();
      return;
    }
  if (!hirc_test_can_mount_private_tmpfs (&why_not))
    {
      g_test_skip (why_not);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_integrity (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = now_seconds ();

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("report-%02u", i);
      g_autoptr(GBytes) envelope = random_bytes (3072 + g_random_int_range (0, 6144));

      enqueue (outbox, id, envelope);
    }
  items = lease (outbox, t + 1, 30, 60);
  for (guint i = 0; i < items->len; i++)
    {
      if (i % 3 == 0)
        g_assert_true (hirc_outbox_mark_rejected (outbox, item_at (items, i)->report_id, t,
                                                  "Refused.", &error));
      else
        deliver (outbox, item_at (items, i)->report_id, t);
      g_assert_no_error (error);
    }
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_outbox_checkpoint (outbox, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (goffset) st.st_size;
}

/* A report's save leaves its pages in the log, so that the reporter never waits for a
 * checkpoint; the next session's opening of the outbox folds them into the database, even while
 * another connection (the sync service's) keeps the log alive. */
static void
test_fold_at_open (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(HircOutbox) service = NULL;
  g_autoptr(HircOutbox) session = NULL;
  g_autoptr(HircOutbox) next_session = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  goffset before;

  service = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_CREATE);
  g_assert_true (hirc_outbox_checkpoint (service, NULL));
  session = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("report-%u", i);
      g_autoptr(GBytes) envelope = make_envelope (4096, NULL);

      enqueue (session, id, envelope);
    }
  g_clear_pointer (&session, hirc_outbox_close);
  before = file_size (fixture->path);
  g_assert_cmpint (file_size (wal), >, 20 * 4096);

  next_session = open_outbox (fixture->path, HIRC_OUTBOX_OPEN_EXISTING);
  g_assert_cmpint (file_size (fixture->path), >=, before + 20 * 4096);
  {
    HircOutboxCounts counts;

    g_assert_true (hirc_outbox_get_counts (next_session, g_get_real_time () / G_USEC_PER_SEC,
                                           &counts, NULL));
    g_assert_cmpuint (counts.pending, ==, 20);
  }
}

int
main (int   argc,
      char *argv[])
{
  /* A zone with summer time, written as a POSIX rule so that no tz database is needed: the
   * calendar counts must follow the local day, not the UTC one. */
  g_setenv ("TZ", "GMT0BST,M3.5.0/1,M10.5.0", TRUE);
  g_test_init (&argc, &argv, NULL);
  /* It passes everything through to the real file system, counting writes and fsyncs, until a
   * test arms it. */
  hirc_test_faultvfs_register ();

#define ADD(path, func) \
  g_test_add ("/outbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create-reopen", test_create_reopen);
  ADD ("pragmas", test_pragmas);
  ADD ("enqueue-round-trip", test_enqueue_round_trip);
  ADD ("duplicate", test_duplicate);
  ADD ("counts", test_counts);
  ADD ("lease", test_lease);
  ADD ("tombstone", test_tombstone);
  ADD ("deliver-batch", test_deliver_batch);
  ADD ("deliver-batch-fault", test_deliver_batch_fault);
  ADD ("migrate-v1", test_migrate_v1);
  ADD ("rejected", test_rejected);
  ADD ("next-due", test_next_due);
  ADD ("not-found", test_not_found);
  ADD ("integrity", test_integrity);
  ADD ("fold-at-open", test_fold_at_open);
  ADD ("errors/missing", test_missing);
  ADD ("errors/empty-file", test_empty_file);
  ADD ("errors/corrupt-garbage", test_corrupt_garbage);
  ADD ("errors/corrupt-header", test_corrupt_header);
  ADD ("errors/corrupt-pages", test_corrupt_pages);
  ADD ("errors/foreign", test_foreign);
  ADD ("errors/too-new", test_too_new);
  ADD ("errors/read-only-flag", test_read_only_flag);
  ADD ("errors/read-only-permissions", test_read_only_permissions);
  g_test_add_func ("/outbox/errors/read-only-mount", test_read_only_mount);

#undef ADD

  return g_test_run ();
}
