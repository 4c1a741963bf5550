/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-faultvfs.h: storage faults for tests, simulated (a SQLite VFS that fails the Nth
 * write or sync) and real (a small private tmpfs that fills up or turns read-only). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the fault VFS as SQLite's default, wrapping the previous default (unix). Call it
 * before any database is opened; calling it again does nothing. */
void      hirc_test_faultvfs_register        (void);

/* Forgets the counts below and disarms. */
void      hirc_test_faultvfs_reset           (void);

/* Fails the nth xWrite (or xSync) made from now on, once, with result (for example
 * SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC or SQLITE_FULL) and nothing written or synced. n
 * counts from 1. Arming one kind leaves the other as it was. */
void      hirc_test_faultvfs_arm_write       (guint n,
                                              int   result);
void      hirc_test_faultvfs_arm_sync        (guint n,
                                              int   result);
void      hirc_test_faultvfs_disarm          (void);

/* Calls seen (and faults injected) since the last reset, on every file of every database. */
guint     hirc_test_faultvfs_get_writes      (void);
guint     hirc_test_faultvfs_get_syncs       (void);
guint     hirc_test_faultvfs_get_faults      (void);

/* Puts the calling process in a mount namespace of its own (directly as root, through a user
 * namespace otherwise) and mounts a tmpfs of size_kib KiB on dir. Only for a process that is
 * about to exit, such as a g_test_trap_subprocess() child. FALSE with the reason when the
 * system does not allow it. */
gboolean  hirc_test_mount_private_tmpfs      (const char  *dir,
                                              guint        size_kib,
                                              char       **why_not);
gboolean  hirc_test_remount_read_only        (const char  *dir,
                                              char       **why_not);

/* Tries the above in a short-lived child, so that a test can skip with the reason. */
gboolean  hirc_test_can_mount_private_tmpfs  (char       **why_not);

G_END_DECLS
