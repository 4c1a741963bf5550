/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-faultvfs.c: storage faults for tests: a SQLite VFS that fails chosen writes and
 * syncs, and a private tmpfs for real full and read-only disks. */

#include "hirc-test-faultvfs.h"

#include "hirc-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

/* Each open file is the wrapper followed by the real VFS's file, in one allocation SQLite
 * sizes from szOsFile. */
typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
} FaultFile;

typedef struct
{
  guint seen;
  guint armed_at;   /* the value of seen when armed */
  guint fail_nth;   /* 0 when disarmed */
  int   result;
} FaultCounter;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_io_methods;
static FaultCounter writes;
static FaultCounter syncs;
static guint faults;

/* TRUE when this call is the one to fail; the arm fires once. */
static gboolean
fault_counter_hit (FaultCounter *counter)
{
  counter->seen++;
  if (counter->fail_nth == 0 || counter->seen - counter->armed_at != counter->fail_nth)
    return FALSE;
  counter->fail_nth = 0;
  faults++;
  /* The unix VFS would leave the reason in errno, and SQLite reads it back from there. */
  errno = (counter->result & 0xff) == SQLITE_FULL ? ENOSPC : EIO;
  return TRUE;
}

static sqlite3_file *
real_file (sqlite3_file *file)
{
  return ((FaultFile *) file)->real;
}

static int
fault_close (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xClose (real);
}

static int
fault_read (sqlite3_file  *file,
            void          *buffer,
            int            amount,
            sqlite3_int64  offset)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xRead (real, buffer, amount, offset);
}

static int
fault_write (sqlite3_file  *file,
             const void    *buffer,
             int            amount,
             sqlite3_int64  offset)
{
  sqlite3_file *real = real_file (file);

  if (fault_counter_hit (&writes))
    return writes.result;
  return real->pMethods->xWrite (real, buffer, amount, offset);
}

static int
fault_truncate (sqlite3_file  *file,
                sqlite3_int64  size)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xTruncate (real, size);
}

static int
fault_sync (sqlite3_file *file,
            int           flags)
{
  sqlite3_file *real = real_file (file);

  if (fault_counter_hit (&syncs))
    return syncs.result;
  return real->pMethods->xSync (real, flags);
}

static int
fault_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xFileSize (real, size);
}

static int
fault_lock (sqlite3_file *file,
            int           lock)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xLock (real, lock);
}

static int
fault_unlock (sqlite3_file *file,
              int           lock)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xUnlock (real, lock);
}

static int
fault_check_reserved_lock (sqlite3_file *file,
                           int          *reserved)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xCheckReservedLock (real, reserved);
}

static int
fault_file_control (sqlite3_file *file,
                    int           op,
                    void         *arg)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xFileControl (real, op, arg);
}

static int
fault_sector_size (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xSectorSize (real);
}

static int
fault_device_characteristics (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xDeviceCharacteristics (real);
}

static int
fault_shm_map (sqlite3_file  *file,
               int            region,
               int            size,
               int            extend,
               void volatile **pointer)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xShmMap (real, region, size, extend, pointer);
}

static int
fault_shm_lock (sqlite3_file *file,
                int           offset,
                int           n,
                int           flags)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xShmLock (real, offset, n, flags);
}

static void
fault_shm_barrier (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);

  real->pMethods->xShmBarrier (real);
}

static int
fault_shm_unmap (sqlite3_file *file,
                 int           delete_flag)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xShmUnmap (real, delete_flag);
}

static int
fault_fetch (sqlite3_file   *file,
             sqlite3_int64   offset,
             int             amount,
             void          **pointer)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xFetch (real, offset, amount, pointer);
}

static int
fault_unfetch (sqlite3_file  *file,
               sqlite3_int64  offset,
               void          *pointer)
{
  sqlite3_file *real = real_file (file);

  return real->pMethods->xUnfetch (real, offset, pointer);
}

static int
fault_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  FaultFile *wrapper = (FaultFile *) file;
  int rc;

  wrapper->real = (sqlite3_file *) (wrapper + 1);
  rc = real_vfs->xOpen (real_vfs, name, wrapper->real, flags, out_flags);
  /* The wrapper offers every method of version 3 (shared memory, memory mapping) and so
   * needs files that have them, as the unix VFS's do. */
  g_assert (wrapper->real->pMethods == NULL || wrapper->real->pMethods->iVersion >= 3);
  /* SQLite calls xClose whenever pMethods is set, even after a failed open, and the real file
   * must then be closed too. */
  wrapper->base.pMethods = wrapper->real->pMethods != NULL ? &fault_io_methods : NULL;
  return rc;
}

static int
fault_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
fault_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *result)
{
  return real_vfs->xAccess (real_vfs, name, flags, result);
}

static int
fault_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          n_out,
                     char        *out)
{
  return real_vfs->xFullPathname (real_vfs, name, n_out, out);
}

static void *
fault_dl_open (sqlite3_vfs *vfs,
               const char  *name)
{
  return real_vfs->xDlOpen (real_vfs, name);
}

static void
fault_dl_error (sqlite3_vfs *vfs,
                int          n_bytes,
                char        *message)
{
  real_vfs->xDlError (real_vfs, n_bytes, message);
}

static void (*fault_dl_sym (sqlite3_vfs *vfs,
                            void        *handle,
                            const char  *symbol)) (void)
{
  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
fault_dl_close (sqlite3_vfs *vfs,
                void        *handle)
{
  real_vfs->xDlClose (real_vfs, handle);
}

static int
fault_randomness (sqlite3_vfs *vfs,
                  int          n_bytes,
                  char        *out)
{
  return real_vfs->xRandomness (real_vfs, n_bytes, out);
}

static int
fault_sleep (sqlite3_vfs *vfs,
             int          microseconds)
{
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
fault_current_time (sqlite3_vfs *vfs,
                    double      *now)
{
  return real_vfs->xCurrentTime (real_vfs, now);
}

static int
fault_get_last_error (sqlite3_vfs *vfs,
                      int          n_bytes,
                      char        *out)
{
  return real_vfs->xGetLastError (real_vfs, n_bytes, out);
}

static int
fault_current_time_int64 (sqlite3_vfs   *vfs,
                          sqlite3_int64 *now)
{
  return real_vfs->xCurrentTimeInt64 (real_vfs, now);
}

void
hirc_test_faultvfs_register (void)
{
  if (real_vfs != NULL)
    return;

  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  g_assert_cmpint (real_vfs->iVersion, >=, 2);

  fault_io_methods = (sqlite3_io_methods) {
    .iVersion = 3,
    .xClose = fault_close,
    .xRead = fault_read,
    .xWrite = fault_write,
    .xTruncate = fault_truncate,
    .xSync = fault_sync,
    .xFileSize = fault_file_size,
    .xLock = fault_lock,
    .xUnlock = fault_unlock,
    .xCheckReservedLock = fault_check_reserved_lock,
    .xFileControl = fault_file_control,
    .xSectorSize = fault_sector_size,
    .xDeviceCharacteristics = fault_device_characteristics,
    .xShmMap = fault_shm_map,
    .xShmLock = fault_shm_lock,
    .xShmBarrier = fault_shm_barrier,
    .xShmUnmap = fault_shm_unmap,
    .xFetch = fault_fetch,
    .xUnfetch = fault_unfetch,
  };

  fault_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (FaultFile) + real_vfs->szOsFile,
    .mxPathname = real_vfs->mxPathname,
    .zName = "hirc-fault",
    .xOpen = fault_open,
    .xDelete = fault_delete,
    .xAccess = fault_access,
    .xFullPathname = fault_full_pathname,
    .xDlOpen = fault_dl_open,
    .xDlError = fault_dl_error,
    .xDlSym = fault_dl_sym,
    .xDlClose = fault_dl_close,
    .xRandomness = fault_randomness,
    .xSleep = fault_sleep,
    .xCurrentTime = fault_current_time,
    .xGetLastError = fault_get_last_error,
    .xCurrentTimeInt64 = fault_current_time_int64,
  };

  g_assert_cmpint (sqlite3_vfs_register (&fault_vfs, 1), ==, SQLITE_OK);
  g_assert_true (sqlite3_vfs_find (NULL) == &fault_vfs);
}

void
hirc_test_faultvfs_reset (void)
{
  memset (&writes, 0, sizeof writes);
  memset (&syncs, 0, sizeof syncs);
  faults = 0;
}

static void
fault_counter_arm (FaultCounter *counter,
                   guint         n,
                   int           result)
{
  g_assert_cmpuint (n, >, 0);
  counter->armed_at = counter->seen;
  counter->fail_nth = n;
  counter->result = result;
}

void
hirc_test_faultvfs_arm_write (guint n,
                              int   result)
{
  fault_counter_arm (&writes, n, result);
}

void
hirc_test_faultvfs_arm_sync (guint n,
                             int   result)
{
  fault_counter_arm (&syncs, n, result);
}

void
hirc_test_faultvfs_disarm (void)
{
  writes.fail_nth = 0;
  syncs.fail_nth = 0;
}

guint
hirc_test_faultvfs_get_writes (void)
{
  return writes.seen;
}

guint
hirc_test_faultvfs_get_syncs (void)
{
  return syncs.seen;
}

guint
hirc_test_faultvfs_get_faults (void)
{
  return faults;
}

/* Files under /proc/self take one write each, without the truncation or renaming that
 * g_file_set_contents would do. */
static gboolean
write_proc_file (const char  *path,
                 const char  *contents,
                 char       **why_not)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gssize len = (gssize) strlen (contents);

  if (fd < 0 || write (fd, contents, len) != len)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      *why_not = g_strdup_printf ("cannot write %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
hirc_test_mount_private_tmpfs (const char  *dir,
                               guint        size_kib,
                               char       **why_not)
{
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kib);
  uid_t uid = geteuid ();
  gid_t gid = getegid ();

  if (uid == 0)
    {
      if (unshare (CLONE_NEWNS) != 0)
        {
          *why_not = g_strdup_printf ("running as root, but a mount namespace cannot be made: "
                                      "%s", g_strerror (errno));
          return FALSE;
        }
    }
  else
    {
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (unsigned) uid);
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (unsigned) gid);

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        {
          *why_not = g_strdup_printf ("not root, and user namespaces are not allowed: %s",
                                      g_strerror (errno));
          return FALSE;
        }
      if (!write_proc_file ("/proc/self/setgroups", "deny", why_not)
          || !write_proc_file ("/proc/self/uid_map", uid_map, why_not)
          || !write_proc_file ("/proc/self/gid_map", gid_map, why_not))
        return FALSE;
    }

  /* Keeps the new mount from propagating back to the real system. */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      *why_not = g_strdup_printf ("cannot make mounts private: %s", g_strerror (errno));
      return FALSE;
    }
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      *why_not = g_strdup_printf ("cannot mount a tmpfs on %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_test_remount_read_only (const char  *dir,
                             char       **why_not)
{
  if (mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
    {
      *why_not = g_strdup_printf ("cannot remount %s read-only: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_test_can_mount_private_tmpfs (char **why_not)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-tmpfs-probe");
  int fds[2];
  pid_t pid;
  int status = 0;
  char reason[512] = { 0 };
  gssize n;

  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *child_why = NULL;

      close (fds[0]);
      if (hirc_test_mount_private_tmpfs (dir, 64, &child_why)
          && hirc_test_remount_read_only (dir, &child_why))
        _exit (0);
      if (write (fds[1], child_why, strlen (child_why)) < 0)
        _exit (2);
      _exit (1);
    }

  close (fds[1]);
  n = read (fds[0], reason, sizeof reason - 1);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  hirc_test_remove_tree (dir);

  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  *why_not = g_strdup (n > 0 ? reason : "the probe for a private tmpfs failed");
  return FALSE;
}
