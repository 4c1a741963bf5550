/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-outbox.h: the kiosk's durable queue of sealed envelopes (SQLite). It never holds
 * plaintext: only envelopes, their hashes, states and receipts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HIRC_OUTBOX_ERROR (hirc_outbox_error_quark ())

typedef enum
{
  HIRC_OUTBOX_ERROR_FAILED,
  HIRC_OUTBOX_ERROR_MISSING,     /* no database at that path, and not asked to create one */
  HIRC_OUTBOX_ERROR_READ_ONLY,   /* the file or its folder cannot be written */
  HIRC_OUTBOX_ERROR_CORRUPT,     /* not a database, or one that fails its integrity check */
  HIRC_OUTBOX_ERROR_FOREIGN,     /* a database, but not an outbox */
  HIRC_OUTBOX_ERROR_TOO_NEW,     /* made by a newer version of the kiosk */
  HIRC_OUTBOX_ERROR_DISK_FULL,
  HIRC_OUTBOX_ERROR_BUSY,        /* locked by another process for too long */
  HIRC_OUTBOX_ERROR_IO,
  HIRC_OUTBOX_ERROR_DUPLICATE,   /* a report with that id is already queued */
  HIRC_OUTBOX_ERROR_NOT_FOUND,
} HircOutboxError;

GQuark hirc_outbox_error_quark (void);

typedef enum
{
  HIRC_OUTBOX_OPEN_EXISTING = 0,
  HIRC_OUTBOX_OPEN_CREATE   = 1 << 0,
  HIRC_OUTBOX_OPEN_READ_ONLY = 1 << 1,
} HircOutboxOpenFlags;

typedef enum
{
  HIRC_OUTBOX_STATE_PENDING   = 0,
  HIRC_OUTBOX_STATE_DELIVERED = 1,
  HIRC_OUTBOX_STATE_REJECTED  = 2,
} HircOutboxState;

typedef struct
{
  guint  pending;
  guint  delivered;
  guint  rejected;
  guint  delivered_today;       /* local calendar day of now */
  guint  delivered_this_month;
  gint64 oldest_pending_queued_at; /* 0 when nothing is pending */
  gint64 last_delivered_at;     /* 0 when nothing has been delivered */
  gint64 pending_bytes;
} HircOutboxCounts;

/* A pending report leased to the sync service. */
typedef struct
{
  char   *report_id;
  GBytes *envelope;
  guint   attempts;
  gint64  queued_at;
} HircOutboxItem;

/* A rejected report, for the administrator: never its content. */
typedef struct
{
  char   *report_id;
  gint64  queued_at;
  gint64  rejected_at;
  char   *reason;
} HircOutboxRejection;

typedef struct _HircOutbox HircOutbox;

/* Opens (and creates or migrates) the outbox with WAL, synchronous=FULL, secure_delete=ON and
 * trusted_schema=OFF. Every error is specific, and an existing database is never altered
 * unless it is an outbox of this or an older schema version. */
HircOutbox *hirc_outbox_open             (const char          *path,
                                          HircOutboxOpenFlags  flags,
                                          GError             **error);
void        hirc_outbox_close            (HircOutbox          *outbox);
const char *hirc_outbox_get_path         (HircOutbox          *outbox);

/* Commits the envelope in one transaction before returning TRUE: once this returns TRUE the
 * report survives a crash or power cut. On failure nothing of it is stored. */
gboolean    hirc_outbox_enqueue          (HircOutbox          *outbox,
                                          const char          *report_id,
                                          GBytes              *envelope,
                                          GError             **error);

gboolean    hirc_outbox_get_counts       (HircOutbox          *outbox,
                                          gint64               now,
                                          HircOutboxCounts    *counts,
                                          GError             **error);
/* NULL with HIRC_OUTBOX_ERROR_NOT_FOUND when the id is unknown or no longer holds an envelope. */
GBytes     *hirc_outbox_get_envelope     (HircOutbox          *outbox,
                                          const char          *report_id,
                                          GError             **error);
gboolean    hirc_outbox_get_state        (HircOutbox          *outbox,
                                          const char          *report_id,
                                          HircOutboxState     *state,
                                          GError             **error);

/* Leases up to max pending reports that are due (next attempt at or before now and no live
 * lease) for lease_seconds, oldest first. A crash while sending leaves the lease to expire, so
 * the report is offered again. Returns an array of HircOutboxItem. */
GPtrArray  *hirc_outbox_lease_due        (HircOutbox          *outbox,
                                          gint64               now,
                                          guint                max,
                                          gint64               lease_seconds,
                                          GError             **error);
/* Deletes the ciphertext and keeps a content-free tombstone (id, times, receipt). */
gboolean    hirc_outbox_mark_delivered   (HircOutbox          *outbox,
                                          const char          *report_id,
                                          gint64               now,
                                          GBytes              *receipt,
                                          GError             **error);
/* One verified receipt for hirc_outbox_mark_delivered_batch(). */
typedef struct
{
  const char *report_id;
  GBytes     *receipt;
  gboolean    delivered;   /* set by the call */
} HircOutboxDelivery;

/* Does what hirc_outbox_mark_delivered() does for each report, all in one transaction, so that
 * a batch of receipts costs one durable commit. On TRUE the batch is committed: delivered is
 * TRUE for each report that is now a tombstone (or already was one), FALSE for one that is not
 * in the outbox or was rejected, which is left as it was. On FALSE every delivered is FALSE and
 * none may be counted as delivered (as after any failed commit, the batch may yet turn out to
 * have reached the disk: recording the same receipts again is harmless). */
gboolean    hirc_outbox_mark_delivered_batch (HircOutbox          *outbox,
                                              HircOutboxDelivery  *deliveries,
                                              guint                n_deliveries,
                                              gint64               now,
                                              GError             **error);
/* Keeps the envelope, so that nothing is ever dropped, and records the plain reason. */
gboolean    hirc_outbox_mark_rejected    (HircOutbox          *outbox,
                                          const char          *report_id,
                                          gint64               now,
                                          const char          *reason,
                                          GError             **error);
/* Releases the lease after a transient failure and sets the next attempt. */
gboolean    hirc_outbox_defer            (HircOutbox          *outbox,
                                          const char          *report_id,
                                          gint64               next_attempt_at,
                                          const char          *last_error,
                                          GError             **error);
/* The earliest next attempt among pending reports, or 0 when none is pending. */
gint64      hirc_outbox_next_due         (HircOutbox          *outbox,
                                          GError             **error);
/* Array of HircOutboxRejection, newest first. */
GPtrArray  *hirc_outbox_list_rejected    (HircOutbox          *outbox,
                                          GError             **error);
/* Puts a rejected report back in the queue after an administrator has fixed the cause. */
gboolean    hirc_outbox_retry_rejected   (HircOutbox          *outbox,
                                          const char          *report_id,
                                          GError             **error);

/* PRAGMA integrity_check; FALSE with HIRC_OUTBOX_ERROR_CORRUPT and the first problem. */
gboolean    hirc_outbox_check_integrity  (HircOutbox          *outbox,
                                          GError             **error);

/* Copies the write-ahead log into the database and truncates it, so that the ciphertext of
 * delivered reports does not linger in the -wal file (for example after a drain). */
gboolean    hirc_outbox_checkpoint       (HircOutbox          *outbox,
                                          GError             **error);
/* What earlier saves left in the log goes into the database, without waiting for any other
 * connection; a failure only leaves the log as it was. Opening the outbox does this, so that a
 * report's save, which never does, leaves it to the next session rather than making its reporter
 * wait. */
void        hirc_outbox_fold_log         (HircOutbox          *outbox);
/* The value of a pragma on the outbox's own connection (name: lower-case letters and '_'),
 * for diagnostics and tests. */
char       *hirc_outbox_get_pragma       (HircOutbox          *outbox,
                                          const char          *name,
                                          GError             **error);

void        hirc_outbox_item_free        (HircOutboxItem      *item);
void        hirc_outbox_rejection_free   (HircOutboxRejection *rejection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircOutbox, hirc_outbox_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircOutboxItem, hirc_outbox_item_free)

G_END_DECLS
