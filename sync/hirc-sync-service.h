/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-sync-service.h: the sync service: drains the outbox to the intake from a worker thread,
 * answers the control channel and publishes its status. */
#pragma once

#include <gio/gio.h>

#include "hirc-sync-client.h"

G_BEGIN_DECLS

#define HIRC_SYNC_SERVICE_ERROR (hirc_sync_service_error_quark ())

typedef enum
{
  HIRC_SYNC_SERVICE_ERROR_FAILED,
  HIRC_SYNC_SERVICE_ERROR_ALREADY_RUNNING,  /* another hirc-sync holds the state folder */
  HIRC_SYNC_SERVICE_ERROR_INSECURE,         /* the state folder is reachable by other users */
} HircSyncServiceError;

GQuark hirc_sync_service_error_quark (void);

typedef enum
{
  HIRC_SYNC_STATE_IDLE,     /* nothing is waiting to be sent */
  HIRC_SYNC_STATE_SENDING,
  HIRC_SYNC_STATE_WAITING,  /* reports wait for their next attempt, or for an administrator */
  HIRC_SYNC_STATE_OFFLINE,  /* the last attempt could not reach the intake */
} HircSyncState;

const char *hirc_sync_state_to_string (HircSyncState state);

/* What the admin screen and `hirc-kiosk --status` show; one structure for both, carried as
 * JSON over the control channel. Times are Unix seconds, 0 for "never" or "none". */
typedef struct
{
  HircSyncState state;
  char         *device_id;   /* the device the service sends for, from its configuration */
  guint         pending;
  guint         delivered_today;
  guint         delivered_this_month;
  guint         rejected;
  gint64        last_success;
  gint64        next_attempt;
  /* The last failure: a sentence for the administrator, the technical detail for support, a
   * stable code (hirc_sync_error_code_to_string()) and when it happened. All NULL/0 after a
   * success. */
  char         *last_error;
  char         *last_error_detail;
  char         *last_error_code;
  gint64        last_error_at;
  /* The intake's clock minus this kiosk's, from the last health check. */
  gboolean      clock_skew_known;
  gint64        clock_skew;
  gint64        checked_at;
} HircSyncStatus;

void            hirc_sync_status_free      (HircSyncStatus *status);
char           *hirc_sync_status_to_json   (const HircSyncStatus *status);
HircSyncStatus *hirc_sync_status_from_json (const char     *data,
                                            gsize           len,
                                            GError        **error);
/* One or two plain sentences for an administrator summing the status up. */
char           *hirc_sync_status_describe  (const HircSyncStatus *status,
                                            gint64                now);

/* Above this, the administrator is told to set the kiosk's clock. */
#define HIRC_SYNC_CLOCK_SKEW_WARN_SECONDS 300

/* Reports out at once during a pass, each on a kept-alive connection of its own, once the
 * first of the pass has been delivered. With two, the intake was committing one report per
 * fsync: the one it was storing was alone by the time the next arrived. With four, the ones
 * that arrive while a commit is being fsynced share the next, so each report costs the intake
 * fewer fsyncs and log writes, while the kiosk checks receipts and sends the next ones. */
#define HIRC_SYNC_STREAMS 4

typedef struct
{
  HircSyncTimeouts timeouts;
  guint            backoff_base_s;      /* full jitter: uniform in [1, min(cap, base * 2^n)] */
  guint            backoff_cap_s;
  guint            batch_size;
  guint            lease_s;
  guint            status_interval_s;   /* POST /v1/status and GET /v1/health */
  /* Drain what is due once and stop: no control socket, no timers, no status push. */
  gboolean         once;
} HircSyncServiceOptions;

void hirc_sync_service_options_init_default (HircSyncServiceOptions *options);

/* Tallies of one run, for --once's summary line. */
typedef struct
{
  guint    delivered;
  guint    rejected;
  guint    deferred;
  gboolean interrupted;  /* stopped by a signal or hirc_sync_service_stop() before finishing */
} HircSyncRunSummary;

typedef struct _HircSyncService HircSyncService;

/* Loads the configuration and opens the outbox (which provisioning created). Takes the state
 * folder's instance lock, so two services never drain one outbox at once. libcurl must have
 * been initialised (curl_global_init) before any thread was started. */
HircSyncService *hirc_sync_service_new          (const char                   *state_dir,
                                                 const HircSyncServiceOptions *options,
                                                 GError                      **error);
/* Runs on the calling thread's default main context until SIGTERM or SIGINT, or, with
 * options->once, until the due reports have been tried. The network work happens on a worker
 * thread; the calling thread serves the control channel. */
gboolean         hirc_sync_service_run          (HircSyncService              *self,
                                                 GError                      **error);
/* Safe from any thread: asks run() to return. A send in progress is abandoned within a second
 * and its report stays queued. */
void             hirc_sync_service_stop         (HircSyncService              *self);
/* A report was queued: drain what is due (respects the backoff after failures). */
void             hirc_sync_service_wake         (HircSyncService              *self);
/* An administrator asked: try every pending report now, whatever the backoff. */
void             hirc_sync_service_sync_now     (HircSyncService              *self);
HircSyncStatus  *hirc_sync_service_get_status   (HircSyncService              *self);
/* TRUE after run() returned because the window asked for a restart (a new configuration):
 * the program starts itself again. */
gboolean         hirc_sync_service_restart_requested (HircSyncService         *self);
void             hirc_sync_service_get_summary  (HircSyncService              *self,
                                                 HircSyncRunSummary           *summary);
void             hirc_sync_service_free         (HircSyncService              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircSyncStatus, hirc_sync_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircSyncService, hirc_sync_service_free)

G_END_DECLS
