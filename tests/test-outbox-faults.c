/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-outbox-faults.c: every write and every sync along the outbox's paths fails in turn (a
 * fault-injecting SQLite VFS), and a real disk fills up (a small private tmpfs): each failure
 * is reported, leaves no partial report, and damages nothing saved before. */

#include "hirc-outbox.h"
#include "hirc-test-faultvfs.h"
#include "hirc-test-util.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>

#define ENVELOPE_BYTES 4000
#define BASE_REPORTS   12

typedef enum
{
  FAULT_WRITE,
  FAULT_SYNC,
} FaultKind;

typedef struct
{
  FaultKind        kind;
  int              result;
  HircOutboxError  expected;
  const char      *name;
} Fault;

static const Fault faults[] = {
  { FAULT_WRITE, SQLITE_IOERR_WRITE, HIRC_OUTBOX_ERROR_IO, "write/ioerr" },
  { FAULT_WRITE, SQLITE_FULL, HIRC_OUTBOX_ERROR_DISK_FULL, "write/full" },
  { FAULT_SYNC, SQLITE_IOERR_FSYNC, HIRC_OUTBOX_ERROR_IO, "sync/ioerr" },
  { FAULT_SYNC, SQLITE_FULL, HIRC_OUTBOX_ERROR_DISK_FULL, "sync/full" },
};

/* A base outbox with reports already saved, copied afresh for every attempt so that each
 * attempt makes exactly the same calls as the one that was measured. */
typedef struct
{
  char       *dir;
  char       *base;
  char       *work;
  char       *crash;
  GHashTable *saved;      /* id → GBytes: what must always be there */
  GBytes     *warm_up;
  GBytes     *victim;
} Fixture;

static GBytes *
random_bytes (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  return g_bytes_new_take (data, len);
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
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, len, &error);
  g_assert_no_error (error);
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* The files as a power cut would leave them: the database and its log as written so far, and
 * no shared-memory index, which SQLite rebuilds from the log. */
static void
snapshot_database (const char *from,
                   const char *to)
{
  g_autofree char *from_wal = g_strconcat (from, "-wal", NULL);
  g_autofree char *to_wal = g_strconcat (to, "-wal", NULL);

  remove_database (to);
  copy_file (from, to);
  if (g_file_test (from_wal, G_FILE_TEST_EXISTS))
    copy_file (from_wal, to_wal);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(HircOutbox) outbox = NULL;

  fixture->dir = hirc_test_make_temp_dir ("hirc-test-outbox-faults");
  fixture->base = g_build_filename (fixture->dir, "base.db", NULL);
  fixture->work = g_build_filename (fixture->dir, "work.db", NULL);
  fixture->crash = g_build_filename (fixture->dir, "crash.db", NULL);
  fixture->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  fixture->warm_up = random_bytes (ENVELOPE_BYTES);
  fixture->victim = random_bytes (ENVELOPE_BYTES);

  outbox = open_outbox (fixture->base, HIRC_OUTBOX_OPEN_CREATE);
  for (guint i = 0; i < BASE_REPORTS; i++)
    {
      char *id = g_strdup_printf ("saved-%02u", i);
      GBytes *envelope = random_bytes (ENVELOPE_BYTES + i);

      enqueue (outbox, id, envelope);
      g_hash_table_insert (fixture->saved, id, envelope);
    }
  /* Closing the last connection folds the log into the file, so base.db is complete alone. */
  g_clear_pointer (&outbox, hirc_outbox_close);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  hirc_test_faultvfs_disarm ();
  hirc_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->base);
  g_free (fixture->work);
  g_free (fixture->crash);
  g_hash_table_unref (fixture->saved);
  g_bytes_unref (fixture->warm_up);
  g_bytes_unref (fixture->victim);
}

static void
arm (FaultKind kind,
     guint     n,
     int       result)
{
  hirc_test_faultvfs_reset ();
  if (kind == FAULT_WRITE)
    hirc_test_faultvfs_arm_write (n, result);
  else
    hirc_test_faultvfs_arm_sync (n, result);
}

/* saved plus the reports given as (id, GBytes) pairs, ending with NULL. */
static GHashTable *
with_reports (GHashTable *saved,
              ...)
{
  GHashTable *all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  gpointer key, value;
  const char *id;
  va_list args;

  g_hash_table_iter_init (&iter, saved);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (all, g_strdup (key), g_bytes_ref (value));
  va_start (args, saved);
  while ((id = va_arg (args, const char *)) != NULL)
    g_hash_table_insert (all, g_strdup (id), g_bytes_ref (va_arg (args, GBytes *)));
  va_end (args);
  return all;
}

/* Exactly the expected reports are pending, byte-identical, absent_id is not there at all,
 * and the database passes its integrity check. */
static void
verify (const char *path,
        GHashTable *expected,
        const char *absent_id)
{
  g_autoptr(HircOutbox) outbox = open_outbox (path, HIRC_OUTBOX_OPEN_EXISTING);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  HircOutboxCounts counts;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GBytes) stored = hirc_outbox_get_envelope (outbox, key, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (stored, value));
    }
  if (absent_id != NULL)
    {
      g_assert_false (hirc_outbox_get_state (outbox, absent_id, NULL, &error));
      g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }

  g_assert_true (hirc_outbox_get_counts (outbox, 0, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, g_hash_table_size (expected));
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);
}

/* Opens a fresh copy of the base and saves the warm-up report, so that the log exists and the
 * next enqueue is an ordinary one. */
static HircOutbox *
open_warm (Fixture *fixture)
{
  HircOutbox *outbox;

  remove_database (fixture->work);
  copy_file (fixture->base, fixture->work);
  outbox = open_outbox (fixture->work, HIRC_OUTBOX_OPEN_EXISTING);
  enqueue (outbox, "warm-up", fixture->warm_up);
  return outbox;
}

static void
measure_enqueue (Fixture *fixture,
                 guint   *writes,
                 guint   *syncs)
{
  g_autoptr(HircOutbox) outbox = open_warm (fixture);

  hirc_test_faultvfs_reset ();
  enqueue (outbox, "victim", fixture->victim);
  *writes = hirc_test_faultvfs_get_writes ();
  *syncs = hirc_test_faultvfs_get_syncs ();
  g_assert_cmpuint (*writes, >, 0);
  g_assert_cmpuint (*syncs, >, 0);
}

static void
test_enqueue_faults (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GHashTable) expected = with_reports (fixture->saved, "warm-up", fixture->warm_up,
                                                 NULL);
  g_autoptr(GHashTable) with_victim = with_reports (expected, "victim", fixture->victim, NULL);
  guint writes = 0, syncs = 0;

  measure_enqueue (fixture, &writes, &syncs);
  g_test_message ("one enqueue of a %d-byte envelope: %u writes, %u syncs", ENVELOPE_BYTES,
                  writes, syncs);

  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    {
      const Fault *fault = &faults[f];
      guint count = fault->kind == FAULT_WRITE ? writes : syncs;

      for (guint n = 1; n <= count; n++)
        {
          g_autoptr(HircOutbox) outbox = open_warm (fixture);
          g_autoptr(GError) error = NULL;
          g_autoptr(HircOutbox) after = NULL;
          gboolean stored_after_crash;

          arm (fault->kind, n, fault->result);
          g_assert_false (hirc_outbox_enqueue (outbox, "victim", fixture->victim, &error));
          g_assert_cmpuint (hirc_test_faultvfs_get_faults (), ==, 1);
          hirc_test_faultvfs_disarm ();
          g_assert_error (error, HIRC_OUTBOX_ERROR, (int) fault->expected);
          g_assert_nonnull (strstr (error->message, fixture->work));
          g_clear_error (&error);

          /* A power cut right now. A failed write never leaves a commit record; after a failed
           * fsync the kernel may still have the whole transaction, so the report may come
           * back, but only whole. */
          snapshot_database (fixture->work, fixture->crash);
          {
            g_autoptr(HircOutbox) crashed = open_outbox (fixture->crash,
                                                         HIRC_OUTBOX_OPEN_EXISTING);
            g_autoptr(GBytes) stored = hirc_outbox_get_envelope (crashed, "victim", &error);

            stored_after_crash = stored != NULL;
            if (stored != NULL)
              g_assert_true (g_bytes_equal (stored, fixture->victim));
            else
              g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
            g_clear_error (&error);
            g_assert_true (hirc_outbox_check_integrity (crashed, &error));
            g_assert_no_error (error);
          }
          if (fault->kind == FAULT_WRITE)
            g_assert_false (stored_after_crash);
          else if (stored_after_crash)
            g_test_message ("%s %u: after a power cut the failed report came back whole",
                            fault->name, n);
          if (stored_after_crash)
            verify (fixture->crash, with_victim, NULL);
          else
            verify (fixture->crash, expected, "victim");

          /* A clean close and a fresh connection: the report is not there at all. */
          g_clear_pointer (&outbox, hirc_outbox_close);
          verify (fixture->work, expected, "victim");

          /* Once the disk works again, the same report can be saved. */
          after = open_outbox (fixture->work, HIRC_OUTBOX_OPEN_EXISTING);
          enqueue (after, "victim", fixture->victim);
          g_clear_pointer (&after, hirc_outbox_close);
          verify (fixture->work, with_victim, NULL);
        }
    }
}

/* A report in the base, leased and delivered under faults: its ciphertext must survive every
 * failed attempt. */
static void
test_deliver_faults (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GHashTable) expected = with_reports (fixture->saved, "warm-up", fixture->warm_up,
                                                 NULL);
  g_autoptr(GBytes) receipt = g_bytes_new_static ("signed receipt", 14);
  GBytes *target = g_hash_table_lookup (fixture->saved, "saved-05");
  guint writes = 0, syncs = 0;

  {
    g_autoptr(HircOutbox) outbox = open_warm (fixture);
    g_autoptr(GError) error = NULL;

    hirc_test_faultvfs_reset ();
    g_assert_true (hirc_outbox_mark_delivered (outbox, "saved-05", 1000, receipt, &error));
    g_assert_no_error (error);
    writes = hirc_test_faultvfs_get_writes ();
    syncs = hirc_test_faultvfs_get_syncs ();
  }
  g_test_message ("one delivery: %u writes, %u syncs", writes, syncs);
  g_assert_cmpuint (writes, >, 0);
  g_assert_cmpuint (syncs, >, 0);

  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    {
      const Fault *fault = &faults[f];
      guint count = fault->kind == FAULT_WRITE ? writes : syncs;

      for (guint n = 1; n <= count; n++)
        {
          g_autoptr(HircOutbox) outbox = open_warm (fixture);
          g_autoptr(GError) error = NULL;
          HircOutboxState state = HIRC_OUTBOX_STATE_DELIVERED;

          arm (fault->kind, n, fault->result);
          g_assert_false (hirc_outbox_mark_delivered (outbox, "saved-05", 1000, receipt,
                                                      &error));
          g_assert_cmpuint (hirc_test_faultvfs_get_faults (), ==, 1);
          hirc_test_faultvfs_disarm ();
          g_assert_error (error, HIRC_OUTBOX_ERROR, (int) fault->expected);
          g_clear_error (&error);
          g_clear_pointer (&outbox, hirc_outbox_close);

          verify (fixture->work, expected, NULL);
          outbox = open_outbox (fixture->work, HIRC_OUTBOX_OPEN_EXISTING);
          g_assert_true (hirc_outbox_get_state (outbox, "saved-05", &state, &error));
          g_assert_no_error (error);
          g_assert_cmpint (state, ==, HIRC_OUTBOX_STATE_PENDING);
          {
            g_autoptr(GBytes) stored = hirc_outbox_get_envelope (outbox, "saved-05", &error);

            g_assert_no_error (error);
            g_assert_true (g_bytes_equal (stored, target));
          }
        }
    }
}

/* Creating the outbox fails part-way through; the next attempt must finish the job. */
static void
test_create_faults (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "new.db", NULL);
  guint writes = 0, syncs = 0;

  {
    g_autoptr(HircOutbox) outbox = NULL;

    hirc_test_faultvfs_reset ();
    outbox = open_outbox (path, HIRC_OUTBOX_OPEN_CREATE);
    writes = hirc_test_faultvfs_get_writes ();
    syncs = hirc_test_faultvfs_get_syncs ();
  }
  g_test_message ("creating an outbox: %u writes, %u syncs", writes, syncs);
  g_assert_cmpuint (writes, >, 0);
  g_assert_cmpuint (syncs, >, 0);

  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    {
      const Fault *fault = &faults[f];
      guint count = fault->kind == FAULT_WRITE ? writes : syncs;

      for (guint n = 1; n <= count; n++)
        {
          g_autoptr(HircOutbox) outbox = NULL;
          g_autoptr(GError) error = NULL;

          remove_database (path);
          arm (fault->kind, n, fault->result);
          outbox = hirc_outbox_open (path, HIRC_OUTBOX_OPEN_CREATE, &error);
          g_assert_cmpuint (hirc_test_faultvfs_get_faults (), ==, 1);
          hirc_test_faultvfs_disarm ();
          g_assert_null (outbox);
          g_assert_error (error, HIRC_OUTBOX_ERROR, (int) fault->expected);
          g_clear_error (&error);

          outbox = open_outbox (path, HIRC_OUTBOX_OPEN_CREATE);
          enqueue (outbox, "first", fixture->victim);
          g_clear_pointer (&outbox, hirc_outbox_close);

          outbox = open_outbox (path, HIRC_OUTBOX_OPEN_EXISTING);
          {
            g_autoptr(GBytes) stored = hirc_outbox_get_envelope (outbox, "first", &error);

            g_assert_no_error (error);
            g_assert_true (g_bytes_equal (stored, fixture->victim));
          }
          g_assert_true (hirc_outbox_check_integrity (outbox, &error));
          g_assert_no_error (error);
        }
    }
}

/* Marks up to n saved reports delivered, stopping at the first failure, which must be a clean
 * "disk full". Returns how many were delivered. */
static guint
deliver_some (HircOutbox *outbox,
              GHashTable *saved,
              guint       n)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  guint delivered = 0;

  g_hash_table_iter_init (&iter, saved);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));

  for (guint i = 0; i < MIN (n, ids->len); i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(GError) error = NULL;

      if (!hirc_outbox_mark_delivered (outbox, id, 1000, NULL, &error))
        {
          g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DISK_FULL);
          break;
        }
      g_hash_table_remove (saved, id);
      delivered++;
    }
  return delivered;
}

/* Runs in a child with a mount namespace of its own, on a tmpfs that is really too small. Half
 * of it is taken by a ballast file, which stands for whatever else filled the disk and which
 * the administrator removes in the end. */
static void
full_disk_child (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-full-disk");
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *ballast = g_build_filename (dir, "ballast", NULL);
  g_autofree char *ballast_data = g_malloc0 (512 * 1024);
  g_autofree char *why_not = NULL;
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_bytes_unref);
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) late = random_bytes (4096);
  gboolean checkpointed;
  guint delivered;
  guint i;

  if (!hirc_test_mount_private_tmpfs (dir, 1024, &why_not))
    g_error ("%s", why_not);
  g_file_set_contents (ballast, ballast_data, 512 * 1024, &error);
  g_assert_no_error (error);

  outbox = open_outbox (path, HIRC_OUTBOX_OPEN_CREATE);
  for (i = 0; i < 1000; i++)
    {
      char *id = g_strdup_printf ("report-%04u", i);
      GBytes *envelope = random_bytes (4096);

      if (!hirc_outbox_enqueue (outbox, id, envelope, &error))
        {
          g_free (id);
          g_bytes_unref (envelope);
          break;
        }
      g_hash_table_insert (saved, id, envelope);
    }
  g_assert_cmpuint (i, <, 1000);
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DISK_FULL);
  g_printerr ("# full disk: %u reports saved, then: %s\n", i, error->message);
  g_clear_error (&error);
  g_assert_cmpuint (g_hash_table_size (saved), >, 10);

  /* Trying again on a disk that is still full fails the same way, and breaks nothing. */
  g_assert_false (hirc_outbox_enqueue (outbox, "again", late, &error));
  g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_clear_pointer (&outbox, hirc_outbox_close);
  verify (path, saved, "again");

  /* While the disk stays full, even deliveries and checkpoints need room: they may fail, but
   * only cleanly. */
  outbox = open_outbox (path, HIRC_OUTBOX_OPEN_EXISTING);
  checkpointed = hirc_outbox_checkpoint (outbox, &error);
  if (!checkpointed)
    {
      g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DISK_FULL);
      g_clear_error (&error);
    }
  delivered = deliver_some (outbox, saved, 5);
  g_printerr ("# full disk, still full: checkpoint %s, %u of 5 deliveries\n",
              checkpointed ? "worked" : "failed cleanly", delivered);
  g_clear_pointer (&outbox, hirc_outbox_close);
  verify (path, saved, "again");

  /* The administrator frees space: the outbox recovers without help. */
  g_assert_cmpint (g_unlink (ballast), ==, 0);
  outbox = open_outbox (path, HIRC_OUTBOX_OPEN_EXISTING);
  g_assert_true (hirc_outbox_checkpoint (outbox, &error));
  g_assert_no_error (error);
  delivered = deliver_some (outbox, saved, g_hash_table_size (saved) / 2);
  g_assert_cmpuint (delivered, >, 0);
  g_assert_true (hirc_outbox_checkpoint (outbox, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_outbox_enqueue (outbox, "late", late, &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, hirc_outbox_close);

  g_hash_table_insert (saved, g_strdup ("late"), g_bytes_ref (late));
  verify (path, saved, "again");

  g_assert_cmpint (umount (dir), ==, 0);
  hirc_test_remove_tree (dir);
}

static void
test_full_disk (void)
{
  g_autofree char *why_not = NULL;

  if (g_test_subprocess ())
    {
      full_disk_child ();
      return;
    }
  if (!hirc_test_can_mount_private_tmpfs (&why_not))
    {
      g_test_skip (why_not);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  hirc_test_faultvfs_register ();

  g_test_add ("/outbox-faults/enqueue", Fixture, NULL, fixture_set_up, test_enqueue_faults,
              fixture_tear_down);
  g_test_add ("/outbox-faults/deliver", Fixture, NULL, fixture_set_up, test_deliver_faults,
              fixture_tear_down);
  g_test_add ("/outbox-faults/create", Fixture, NULL, fixture_set_up, test_create_faults,
              fixture_tear_down);
  g_test_add_func ("/outbox-faults/full-disk", test_full_disk);

  return g_test_run ();
}
