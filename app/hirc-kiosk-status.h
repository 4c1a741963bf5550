/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-status.h: everything an administrator needs to know that reports are leaving the
 * building, in one structure for `hirc-kiosk --status` and the dashboard: the centre, the
 * outbox's counts, the sync service's own status, storage, and whether the kiosk is healthy,
 * with each problem in plain words. Never any report content. No GTK. */
#pragma once

#include <glib.h>

#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-sync-service.h"

G_BEGIN_DECLS

typedef struct
{
  HircKioskConfig  *config;
  char             *device_fingerprint;
  char             *intake_fingerprint;
  HircOutboxCounts  counts;
  /* NULL when the sync service did not answer; sync_unreachable then says why. */
  HircSyncStatus   *sync;
  char             *sync_unreachable;
  guint64           outbox_bytes;     /* the outbox with its log, as stored */
  guint64           free_bytes;       /* free for the kiosk on the state folder's file system */
  gint64            checked_at;
  /* One plain sentence per problem, each saying what to do; empty when healthy. */
  GPtrArray        *problems;
} HircKioskStatus;

/* Reads the configuration and the outbox (read-only) and asks the sync service for its status,
 * waiting at most sync_timeout_ms. Fails only when the kiosk is not provisioned or its outbox
 * cannot be read; a silent sync service is a problem in the status, not an error. */
HircKioskStatus *hirc_kiosk_status_collect  (const char            *state_dir,
                                             guint                  sync_timeout_ms,
                                             GError               **error);
gboolean         hirc_kiosk_status_healthy  (const HircKioskStatus *status);
/* Pretty-printed JSON for remote monitoring (README, "Remote status"). */
char            *hirc_kiosk_status_to_json  (const HircKioskStatus *status);
void             hirc_kiosk_status_free     (HircKioskStatus       *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircKioskStatus, hirc_kiosk_status_free)

G_END_DECLS
