/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-sync-service.c: the sync service: a worker thread drains the outbox to the intake while the
 * main context serves the control channel and answers status at once. */

#include "config.h"

#include "hirc-sync-service.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hirc-audit.h"
#include "hirc-control.h"
#include "hirc-json.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"

/* A burst of writes to the outbox's log (one enqueue is several) becomes one wake-up. */
#define WAL_DEBOUNCE_MS 250
/* Sync-now leases what falls due within the backoff cap plus this margin. */
#define SYNC_NOW_MARGIN_S 60

G_DEFINE_QUARK (hirc-sync-service-error-quark, hirc_sync_service_error)

struct _HircSyncService
{
  char                   *state_dir;
  HircSyncServiceOptions  options;
  HircKioskConfig        *config;
  int                     lock_fd;

  /* Owned by the worker thread while it runs. client is streams[0], the one for everything
   * but a pass's other streams. */
  HircOutbox             *outbox;
  HircSyncClient         *client;
  HircSyncClient         *streams[HIRC_SYNC_STREAMS];
  GThread                *worker;

  /* The recorder: one thread with a connection of its own that writes receipts durably, a
   * batch per transaction, while the worker is already sending the next reports. */
  GThread                *recorder;
  HircOutbox             *record_outbox;

  /* The run() thread's: status reads through their own connection, so a send in progress
   * (which holds no database lock) never delays them. */
  GMutex                  status_lock;
  HircOutbox             *status_outbox;

  GMainContext           *context;
  GMainLoop              *loop;
  HircControlServer      *control;
  GFileMonitor           *wal_monitor;
  guint                   wal_debounce_id;
  guint                   threads_in_flight; /* test-connection and enrol requests */
  gboolean                restart_requested;
  GCancellable           *cancellable;   /* cancelled by stop() */

  /* Shared between threads, under mutex. */
  GMutex                  mutex;
  GCond                   cond;
  gboolean                stopping;
  gboolean                wake_requested;
  gboolean                sync_now_requested;
  gboolean                sending;
  gboolean                offline;
  gint64                  not_before;    /* backoff after a failure, Unix seconds */
  guint                   consecutive_failures;
  char                   *last_error;
  char                   *last_error_detail;
  char                   *last_error_code;
  gint64                  last_error_at;
  GCond                   record_cond;
  GPtrArray              *record_queue;  /* RecordJob: handed over, not yet being written */
  guint                   records_pending; /* queued or being written */
  gboolean                record_now;    /* write what is queued without waiting for more */
  gboolean                record_stop;
  GError                 *record_error;  /* the first failure since the last flush */
  gboolean                skew_known;
  gint64                  skew;
  gint64                  checked_at;
  HircSyncRunSummary      summary;

  /* The activity log administrators read: NULL when it cannot be opened, which must never stop
   * reports from going out. Used from the run() and worker threads, under audit_lock. */
  GMutex                  audit_lock;
  HircAudit              *audit;
  /* The failure last written there, so a failure that goes on is one entry, not one a retry. */
  char                   *audited_failure;
};

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

const char *
hirc_sync_state_to_string (HircSyncState state)
{
  switch (state)
    {
    case HIRC_SYNC_STATE_SENDING:
      return "sending";
    case HIRC_SYNC_STATE_WAITING:
      return "waiting";
    case HIRC_SYNC_STATE_OFFLINE:
      return "offline";
    case HIRC_SYNC_STATE_IDLE:
    default:
      return "idle";
    }
}

static HircSyncState
state_from_string (const char *text)
{
  if (g_strcmp0 (text, "sending") == 0)
    return HIRC_SYNC_STATE_SENDING;
  if (g_strcmp0 (text, "waiting") == 0)
    return HIRC_SYNC_STATE_WAITING;
  if (g_strcmp0 (text, "offline") == 0)
    return HIRC_SYNC_STATE_OFFLINE;
  return HIRC_SYNC_STATE_IDLE;
}

void
hirc_sync_service_options_init_default (HircSyncServiceOptions *options)
{
  memset (options, 0, sizeof *options);
  hirc_sync_timeouts_init_default (&options->timeouts);
  options->backoff_base_s = 2;
  options->backoff_cap_s = 15 * 60;
  options->batch_size = 64;
  options->lease_s = 120;
  options->status_interval_s = 15 * 60;
  options->once = FALSE;
}

/* ---- status ---- */

void
hirc_sync_status_free (HircSyncStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->last_error);
  g_free (status->last_error_detail);
  g_free (status->last_error_code);
  g_free (status->device_id);
  g_free (status);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

char *
hirc_sync_status_to_json (const HircSyncStatus *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *summary = hirc_sync_status_describe (status, now_seconds ());

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, hirc_sync_state_to_string (status->state));
  json_builder_set_member_name (builder, "device_id");
  if (status->device_id != NULL)
    json_builder_add_string_value (builder, status->device_id);
  else
    json_builder_add_null_value (builder);
  add_int (builder, "pending", status->pending);
  add_int (builder, "delivered_today", status->delivered_today);
  add_int (builder, "delivered_this_month", status->delivered_this_month);
  add_int (builder, "rejected", status->rejected);
  add_int (builder, "last_success", status->last_success);
  add_int (builder, "next_attempt", status->next_attempt);
  json_builder_set_member_name (builder, "last_error");
  if (status->last_error != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, status->last_error);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, status->last_error_detail);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, status->last_error_code);
      add_int (builder, "at", status->last_error_at);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "clock_skew");
  if (status->clock_skew_known)
    json_builder_add_int_value (builder, status->clock_skew);
  else
    json_builder_add_null_value (builder);
  add_int (builder, "checked_at", status->checked_at);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64      min,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return *value >= min;
}

HircSyncStatus *
hirc_sync_status_from_json (const char  *data,
                            gsize        len,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(HircSyncStatus) status = g_new0 (HircSyncStatus, 1);
  g_autofree char *state = NULL;
  JsonObject *object;
  JsonNode *root, *node;
  gint64 pending, today, month, rejected;

  if (!json_parser_load_from_data (parser, data, len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto malformed;
  object = json_node_get_object (root);

  state = g_strdup (hirc_json_member_string (object, "state"));
  if (state == NULL
      || !member_int (object, "pending", 0, &pending)
      || !member_int (object, "delivered_today", 0, &today)
      || !member_int (object, "delivered_this_month", 0, &month)
      || !member_int (object, "rejected", 0, &rejected)
      || !member_int (object, "last_success", 0, &status->last_success)
      || !member_int (object, "next_attempt", 0, &status->next_attempt)
      || !member_int (object, "checked_at", 0, &status->checked_at))
    goto malformed;
  status->state = state_from_string (state);
  status->device_id = g_strdup (hirc_json_member_string (object, "device_id"));
  status->pending = (guint) MIN (pending, G_MAXUINT);
  status->delivered_today = (guint) MIN (today, G_MAXUINT);
  status->delivered_this_month = (guint) MIN (month, G_MAXUINT);
  status->rejected = (guint) MIN (rejected, G_MAXUINT);

  node = json_object_get_member (object, "last_error");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *last = json_node_get_object (node);

      status->last_error = g_strdup (hirc_json_member_string (last, "message"));
      status->last_error_detail = g_strdup (hirc_json_member_string (last, "detail"));
      status->last_error_code = g_strdup (hirc_json_member_string (last, "code"));
      if (status->last_error == NULL || !member_int (last, "at", 0, &status->last_error_at))
        goto malformed;
    }
  status->clock_skew_known = member_int (object, "clock_skew", G_MININT64, &status->clock_skew);
  return g_steal_pointer (&status);

malformed:
  g_set_error_literal (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_FAILED,
                       "the sync status is not in the expected form");
  return NULL;
}

static char *
format_time (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);

  return time != NULL ? g_date_time_format (time, "%H:%M on %d %b %Y") : g_strdup ("(unknown)");
}

char *
hirc_sync_status_describe (const HircSyncStatus *status,
                           gint64                now)
{
  GString *out = g_string_new (NULL);

  switch (status->state)
    {
    case HIRC_SYNC_STATE_IDLE:
      g_string_append (out, "Every report has been sent.");
      break;
    case HIRC_SYNC_STATE_SENDING:
      if (status->pending == 1)
        g_string_append (out, "Sending 1 report now.");
      else
        g_string_append_printf (out, "Sending %u reports now.", status->pending);
      break;
    case HIRC_SYNC_STATE_WAITING:
    case HIRC_SYNC_STATE_OFFLINE:
      if (status->pending == 1)
        g_string_append (out, "1 report is waiting to be sent");
      else
        g_string_append_printf (out, "%u reports are waiting to be sent", status->pending);
      if (status->next_attempt > now)
        {
          g_autofree char *when = format_time (status->next_attempt);
          g_string_append_printf (out, "; the next try is at %s.", when);
        }
      else
        g_string_append (out, ".");
      break;
    }

  if (status->state != HIRC_SYNC_STATE_IDLE && status->state != HIRC_SYNC_STATE_SENDING
      && status->last_error != NULL)
    g_string_append_printf (out, " %s", status->last_error);

  if (status->rejected == 1)
    g_string_append (out, " 1 report was refused by the intake and is kept here until an "
                          "administrator retries it.");
  else if (status->rejected > 1)
    g_string_append_printf (out, " %u reports were refused by the intake and are kept here "
                            "until an administrator retries them.", status->rejected);

  if (status->last_success > 0)
    {
      g_autofree char *when = format_time (status->last_success);
      g_string_append_printf (out, " The last report reached the intake at %s.", when);
    }
  else
    g_string_append (out, " No report from this kiosk has reached the intake yet.");

  if (status->clock_skew_known && ABS (status->clock_skew) > HIRC_SYNC_CLOCK_SKEW_WARN_SECONDS)
    g_string_append_printf (out, " This kiosk's clock is %" G_GINT64_FORMAT " minutes %s the "
                            "intake's: set the correct date and time.",
                            ABS (status->clock_skew) / 60,
                            status->clock_skew > 0 ? "behind" : "ahead of");

  return g_string_free (out, FALSE);
}

/* ---- the activity log ---- */

static void
audit_event (HircSyncService *self,
             HircAuditEvent   event,
             const char      *detail)
{
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->audit_lock);
  if (self->audit != NULL && !hirc_audit_record (self->audit, "sync", event, detail, &error))
    g_message ("sync: cannot write to the activity log: %s", error->message);
  g_mutex_unlock (&self->audit_lock);
}

static void
audit_count (HircSyncService *self,
             HircAuditEvent   event,
             guint            count)
{
  char detail[16];

  g_snprintf (detail, sizeof detail, "%u", count);
  audit_event (self, event, detail);
}

static void
audit_failure (HircSyncService *self,
               const char      *code)
{
  gboolean new_failure;

  g_mutex_lock (&self->audit_lock);
  new_failure = g_strcmp0 (self->audited_failure, code) != 0;
  if (new_failure)
    {
      g_free (self->audited_failure);
      self->audited_failure = g_strdup (code);
    }
  g_mutex_unlock (&self->audit_lock);
  if (new_failure)
    audit_event (self, HIRC_AUDIT_SYNC_FAILED, code);
}

static void
audit_failure_over (HircSyncService *self)
{
  g_mutex_lock (&self->audit_lock);
  g_clear_pointer (&self->audited_failure, g_free);
  g_mutex_unlock (&self->audit_lock);
}

/* ---- the worker ---- */

static void
record_failure (HircSyncService *self,
                const char      *plain,
                const char      *detail,
                const char      *code)
{
  g_mutex_lock (&self->mutex);
  g_free (self->last_error);
  g_free (self->last_error_detail);
  g_free (self->last_error_code);
  self->last_error = g_strdup (plain);
  self->last_error_detail = g_strdup (detail);
  self->last_error_code = g_strdup (code);
  self->last_error_at = now_seconds ();
  g_mutex_unlock (&self->mutex);
}

static void
record_sync_error (HircSyncService *self,
                   const GError    *error)
{
  const char *plain = hirc_sync_error_get_plain (error);

  if (plain != NULL)
    record_failure (self, plain, error->message,
                    hirc_sync_error_code_to_string (error->code));
  else
    record_failure (self, "Something unexpected went wrong. Reports are kept safely here.",
                    error->message, "failed");
}

static void
record_outbox_error (HircSyncService *self,
                     const GError    *error)
{
  g_message ("sync: outbox: %s", error->message);
  audit_failure (self, "outbox");
  record_failure (self,
                  g_error_matches (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DISK_FULL)
                    ? "The kiosk's disk is full, so it cannot record which reports were sent. "
                      "Reports are kept safely here. Ask for the kiosk to be checked."
                    : "The kiosk cannot update its store of reports. Reports are kept safely "
                      "here. If this goes on, ask for the kiosk to be checked.",
                  error->message, "outbox");
}

/* Full jitter: a uniform delay in [1, min(cap, base * 2^(failures - 1))], so that kiosks that
 * lost the network together do not come back together. */
static gint64
backoff_delay (const HircSyncServiceOptions *options,
               guint                         failures)
{
  gint64 ceiling = MAX (options->backoff_base_s, 1);

  for (guint i = 1; i < failures && ceiling < options->backoff_cap_s; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, (gint64) MAX (options->backoff_cap_s, 1));
  return g_random_int_range (1, (gint32) ceiling + 1);
}

static gboolean
is_offline_code (const GError *error)
{
  return error->domain == HIRC_SYNC_ERROR
         && error->code != HIRC_SYNC_ERROR_SERVER_ERROR
         && error->code != HIRC_SYNC_ERROR_RATE_LIMITED;
}

/* Releases leased reports with their next attempt: at shutdown due at once, for the next start;
 * after a transient failure, when the backoff ends. */
static void
defer_items (HircSyncService *self,
             GPtrArray       *items,
             guint            from,
             gint64           next_attempt,
             const char      *why)
{
  for (guint i = from; i < items->len; i++)
    {
      HircOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) error = NULL;

      /* If this fails the lease simply runs out, which has the same effect a little later. */
      if (!hirc_outbox_defer (self->outbox, item->report_id, next_attempt, why, &error))
        g_message ("sync: cannot defer %s: %s", item->report_id, error->message);
    }
}

static void
set_sending (HircSyncService *self,
             gboolean         sending)
{
  g_mutex_lock (&self->mutex);
  self->sending = sending;
  g_mutex_unlock (&self->mutex);
}

/* A transient failure ends the pass: the network or the intake is not fit to take the rest, and
 * trying them one after another would only hammer it. */
static void
handle_transient (HircSyncService *self,
                  GPtrArray       *batch,
                  guint            index,
                  const GError    *error)
{
  gint64 now = now_seconds ();
  gint64 retry_after = hirc_sync_error_get_retry_after (error);
  gint64 delay;
  g_autofree char *why = NULL;
  guint failures;

  g_mutex_lock (&self->mutex);
  failures = ++self->consecutive_failures;
  g_mutex_unlock (&self->mutex);

  delay = backoff_delay (&self->options, failures);
  /* The intake's own request to wait is honoured, within the same cap, so a wrong or hostile
   * Retry-After cannot park the queue for days. */
  if (retry_after > 0)
    delay = MAX (delay, MIN (retry_after, (gint64) self->options.backoff_cap_s));

  why = g_strdup_printf ("%s: %s", error->domain == HIRC_SYNC_ERROR
                                     ? hirc_sync_error_code_to_string (error->code) : "failed",
                         error->message);
  defer_items (self, batch, index, now + delay, why);

  g_mutex_lock (&self->mutex);
  self->not_before = now + delay;
  self->offline = is_offline_code (error);
  self->summary.deferred += batch->len - index;
  g_mutex_unlock (&self->mutex);

  record_sync_error (self, error);
  audit_failure (self, error->domain == HIRC_SYNC_ERROR
                         ? hirc_sync_error_code_to_string (error->code) : "failed");
  g_message ("sync: %s; %u report(s) deferred by %" G_GINT64_FORMAT " s (failure %u)",
             error->domain == HIRC_SYNC_ERROR ? hirc_sync_error_code_to_string (error->code)
                                               : "failed",
             batch->len - index, delay, failures);
}

typedef struct
{
  char   *report_id;
  GBytes *receipt;
} RecordJob;

static void
record_job_free (RecordJob *job)
{
  g_free (job->report_id);
  g_bytes_unref (job->receipt);
  g_free (job);
}

static gboolean
records_wanted (HircSyncService *self)
{
  if (self->record_queue->len == 0)
    return self->record_stop;
  return self->record_now || self->record_stop;
}

/* Writes the receipts handed over since the last write in one transaction, so a lease's worth
 * of reports costs one fsync, not one each. Until that commit returns none of them counts as
 * delivered; a receipt lost to a crash before it only means the lease runs out and the intake
 * answers the repeat with the same receipt. */
static gpointer
recorder_main (gpointer user_data)
{
  HircSyncService *self = user_data;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      g_autoptr(GPtrArray) jobs = NULL;
      g_autofree HircOutboxDelivery *deliveries = NULL;
      g_autoptr(GError) error = NULL;
      guint delivered = 0;

      while (!records_wanted (self))
        g_cond_wait (&self->record_cond, &self->mutex);
      if (self->record_queue->len == 0)
        break;
      jobs = g_steal_pointer (&self->record_queue);
      self->record_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) record_job_free);
      self->record_now = FALSE;
      g_mutex_unlock (&self->mutex);

      deliveries = g_new0 (HircOutboxDelivery, jobs->len);
      for (guint i = 0; i < jobs->len; i++)
        {
          RecordJob *job = g_ptr_array_index (jobs, i);

          deliveries[i].report_id = job->report_id;
          deliveries[i].receipt = job->receipt;
        }
      if (hirc_outbox_mark_delivered_batch (self->record_outbox, deliveries, jobs->len,
                                            now_seconds (), &error))
        for (guint i = 0; i < jobs->len; i++)
          {
            if (deliveries[i].delivered)
              delivered++;
            else if (error == NULL)
              g_set_error (&error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND,
                           "The report %s was no longer waiting to be delivered when its "
                           "receipt came.", deliveries[i].report_id);
          }

      g_mutex_lock (&self->mutex);
      self->records_pending -= jobs->len;
      self->summary.delivered += delivered;
      if (error != NULL && self->record_error == NULL)
        self->record_error = g_steal_pointer (&error);
      g_cond_broadcast (&self->record_cond);
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

/* Asks the recorder to write what it holds now rather than wait for more. */
static void
request_records_written (HircSyncService *self)
{
  g_mutex_lock (&self->mutex);
  self->record_now = TRUE;
  g_cond_broadcast (&self->record_cond);
  g_mutex_unlock (&self->mutex);
}

/* Hands a verified receipt to the recorder. The worker asks for each lease's receipts to be
 * written once it has leased the next reports (so the two writes do not wait on each other);
 * should two leases' worth pile up behind a slow disk, it waits, so leases cannot run out
 * behind it. FALSE when the recorder has failed: the outbox cannot be written, and sending more
 * would only be sending again later. */
static gboolean
record_delivered (HircSyncService *self,
                  const char      *report_id,
                  GBytes          *receipt)
{
  RecordJob *job;
  gboolean failed;

  g_mutex_lock (&self->mutex);
  while (self->records_pending >= 2 * self->options.batch_size && self->record_error == NULL)
    {
      self->record_now = TRUE;
      g_cond_broadcast (&self->record_cond);
      g_cond_wait (&self->record_cond, &self->mutex);
    }
  failed = self->record_error != NULL;
  if (!failed)
    {
      job = g_new0 (RecordJob, 1);
      job->report_id = g_strdup (report_id);
      job->receipt = g_bytes_ref (receipt);
      g_ptr_array_add (self->record_queue, job);
      self->records_pending++;
    }
  g_mutex_unlock (&self->mutex);
  return !failed;
}

/* Waits until every receipt handed over is written. A report whose receipt could not be written
 * keeps its ciphertext and its lease; when the lease runs out it is sent again, and the intake
 * answers a repeat with the same receipt. */
static gboolean
flush_records (HircSyncService *self)
{
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->mutex);
  while (self->records_pending > 0)
    {
      self->record_now = TRUE;
      g_cond_broadcast (&self->record_cond);
      g_cond_wait (&self->record_cond, &self->mutex);
    }
  error = g_steal_pointer (&self->record_error);
  g_mutex_unlock (&self->mutex);

  if (error == NULL)
    return TRUE;
  record_outbox_error (self, error);
  return FALSE;
}

/* Ends the recorder after the worker, which flushed before it ended. */
static void
stop_recorder (HircSyncService *self)
{
  if (self->recorder == NULL)
    return;
  g_mutex_lock (&self->mutex);
  self->record_stop = TRUE;
  g_cond_broadcast (&self->record_cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (g_steal_pointer (&self->recorder));
}

/* Sends what is due. horizon > 0 leases reports due within that many seconds from now too
 * (sync-now, or a clock that went back). */
static void
drain_pass (HircSyncService *self,
            gint64           horizon)
{
  guint delivered = 0, rejected = 0, delivered_before;
  gboolean proven = FALSE, backed_off = FALSE;
  /* The round after this one's reports, leased while this one's last answers were still on
   * their way. */
  g_autoptr(GPtrArray) next_batch = NULL;

  g_mutex_lock (&self->mutex);
  delivered_before = self->summary.delivered;
  g_mutex_unlock (&self->mutex);
  set_sending (self, TRUE);

  /* Every round either removes at least one report from the pending ones (delivered or
   * rejected) or ends the pass, so the loop ends. */
  for (gboolean more = TRUE; more;)
    {
      g_autoptr(GPtrArray) batch = NULL;
      /* The posts out, for the current report and the ones after it, in order. Declared after
       * the batch, so freed first: a post still out when the round ends is abandoned, and its
       * report deferred or left to its lease. */
      g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 hirc_sync_post_free);
      g_autoptr(GError) error = NULL;
      gint64 now = now_seconds ();

      if (g_cancellable_is_cancelled (self->cancellable))
        break;

      /* One leased ahead and found nothing is asked again: more may have been queued since. */
      if (next_batch != NULL && next_batch->len > 0)
        batch = g_steal_pointer (&next_batch);
      else
        g_clear_pointer (&next_batch, g_ptr_array_unref);
      if (batch == NULL)
        batch = hirc_outbox_lease_due (self->outbox, now + horizon, self->options.batch_size,
                                       self->options.lease_s, &error);
      if (batch == NULL)
        {
          record_outbox_error (self, error);
          g_mutex_lock (&self->mutex);
          self->not_before = now + backoff_delay (&self->options, ++self->consecutive_failures);
          g_mutex_unlock (&self->mutex);
          break;
        }
      if (batch->len == 0)
        break;
      /* The last lease's receipts are written while this one is sent. */
      request_records_written (self);

      for (guint i = 0; i < batch->len; i++)
        {
          HircOutboxItem *item = g_ptr_array_index (batch, i);
          HircSyncClient *client = self->streams[i % HIRC_SYNC_STREAMS];
          HircSyncPost *post = NULL;
          g_autoptr(GBytes) receipt = NULL;
          g_autoptr(GError) send_error = NULL;
          g_autoptr(GError) store_error = NULL;
          HircSyncOutcome outcome;

          if (out->len == 0)
            {
              post = hirc_sync_client_post_start (client, item->report_id, item->envelope,
                                                  &send_error);
              if (post != NULL)
                g_ptr_array_add (out, post);
            }
          else
            post = g_ptr_array_index (out, 0);

          if (post == NULL)
            outcome = g_error_matches (send_error, HIRC_SYNC_ERROR,
                                       HIRC_SYNC_ERROR_DAMAGED_ENVELOPE)
                      ? HIRC_SYNC_OUTCOME_PERMANENT : HIRC_SYNC_OUTCOME_TRANSIENT;
          else if (!hirc_sync_client_post_wait (client, post, self->cancellable, &send_error))
            outcome = HIRC_SYNC_OUTCOME_TRANSIENT;
          else
            {
              /* The next reports go out before this answer is checked and recorded, so the
               * intake's work on them overlaps the kiosk's on this one. Until a report of
               * this pass has been delivered only the next one goes out, on this handle (free
               * again), so that an intake or network unfit to take them is asked once; after
               * that, one is out on each handle. A report whose post cannot start here is
               * tried again in its turn. */
              guint window = proven ? HIRC_SYNC_STREAMS : 1;

              while (hirc_sync_post_is_success_status (post) && out->len <= window
                     && i + out->len < batch->len)
                {
                  guint next = i + out->len;
                  HircOutboxItem *following = g_ptr_array_index (batch, next);
                  HircSyncPost *ahead;

                  ahead = hirc_sync_client_post_start (self->streams[next % HIRC_SYNC_STREAMS],
                                                       following->report_id,
                                                       following->envelope, NULL);
                  if (ahead == NULL)
                    break;
                  g_ptr_array_add (out, ahead);
                }

              /* The whole lease is out and a full one suggests more are due: the next lease
               * is taken now, while the intake works on this one's last reports, rather than
               * after their answers, when nothing would be in flight while it is taken. */
              if (proven && next_batch == NULL && out->len > 1 && i + out->len == batch->len
                  && batch->len == self->options.batch_size)
                {
                  g_autoptr(GError) lease_error = NULL;

                  /* A failure here is met again, and reported, by the next round's lease. */
                  next_batch = hirc_outbox_lease_due (self->outbox, now_seconds () + horizon,
                                                      self->options.batch_size,
                                                      self->options.lease_s, &lease_error);
                }
              outcome = hirc_sync_client_post_judge (client, post, &receipt, &send_error);
            }
          if (post != NULL)
            g_ptr_array_remove_index (out, 0);

          if (outcome == HIRC_SYNC_OUTCOME_DELIVERED)
            {
              if (!record_delivered (self, item->report_id, receipt))
                {
                  defer_items (self, batch, i + 1, now_seconds (), NULL);
                  more = FALSE;
                  break;
                }
              proven = TRUE;
              g_mutex_lock (&self->mutex);
              self->consecutive_failures = 0;
              self->not_before = 0;
              self->offline = FALSE;
              g_clear_pointer (&self->last_error, g_free);
              g_clear_pointer (&self->last_error_detail, g_free);
              g_clear_pointer (&self->last_error_code, g_free);
              self->last_error_at = 0;
              g_mutex_unlock (&self->mutex);
              continue;
            }

          if (g_error_matches (send_error, HIRC_SYNC_ERROR, HIRC_SYNC_ERROR_CANCELLED))
            {
              /* Due at once, so the next start sends them without waiting for the lease. */
              defer_items (self, batch, i, now_seconds (), NULL);
              more = FALSE;
              break;
            }

          if (outcome == HIRC_SYNC_OUTCOME_PERMANENT)
            {
              const char *plain = hirc_sync_error_get_plain (send_error);

              g_message ("sync: report %s refused: %s", item->report_id, send_error->message);
              if (!hirc_outbox_mark_rejected (self->outbox, item->report_id, now_seconds (),
                                              plain, &store_error))
                {
                  record_outbox_error (self, store_error);
                  defer_items (self, batch, i + 1, now_seconds (), NULL);
                  more = FALSE;
                  break;
                }
              rejected++;
              g_mutex_lock (&self->mutex);
              self->summary.rejected++;
              g_mutex_unlock (&self->mutex);
              record_sync_error (self, send_error);
              continue;
            }

          handle_transient (self, batch, i, send_error);
          backed_off = TRUE;
          more = FALSE;
          break;
        }
    }

  /* A pass that ended early gives back the reports it leased ahead, due when the ones it was
   * sending are: now, or when the backoff ends. */
  if (next_batch != NULL && next_batch->len > 0)
    {
      gint64 due = now_seconds ();

      if (backed_off)
        {
          g_mutex_lock (&self->mutex);
          due = self->not_before;
          self->summary.deferred += next_batch->len;
          g_mutex_unlock (&self->mutex);
        }
      defer_items (self, next_batch, 0, due, NULL);
    }

  if (!flush_records (self))
    {
      g_mutex_lock (&self->mutex);
      self->not_before = now_seconds () + backoff_delay (&self->options,
                                                         ++self->consecutive_failures);
      g_mutex_unlock (&self->mutex);
    }
  g_mutex_lock (&self->mutex);
  delivered = self->summary.delivered - delivered_before;
  g_mutex_unlock (&self->mutex);
  if (delivered > 0)
    {
      g_autoptr(GError) error = NULL;

      /* Delivered ciphertext is deleted from the database, but its pages linger in the log
       * until a checkpoint; fold them in now rather than at some later write. */
      if (!hirc_outbox_checkpoint (self->outbox, &error))
        g_message ("sync: checkpoint failed: %s", error->message);
    }
  set_sending (self, FALSE);
  if (delivered > 0 || rejected > 0)
    g_message ("sync: delivered %u, rejected %u", delivered, rejected);
  if (delivered > 0)
    {
      audit_failure_over (self);
      audit_count (self, HIRC_AUDIT_REPORTS_DELIVERED, delivered);
    }
  if (rejected > 0)
    audit_count (self, HIRC_AUDIT_REPORTS_REJECTED, rejected);
}

static void
check_health (HircSyncService *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  gint64 server_time = 0;

  if (!hirc_sync_client_health (self->client, &version, &server_time, self->cancellable, &error))
    {
      g_message ("sync: health check failed: %s", error->message);
      return;
    }
  audit_failure_over (self);
  g_mutex_lock (&self->mutex);
  self->skew_known = TRUE;
  self->skew = server_time - now_seconds ();
  self->checked_at = now_seconds ();
  g_mutex_unlock (&self->mutex);
}

static void
push_status (HircSyncService *self)
{
  g_autoptr(GError) error = NULL;
  HircOutboxCounts counts;

  if (!hirc_outbox_get_counts (self->outbox, now_seconds (), &counts, &error))
    {
      record_outbox_error (self, error);
      return;
    }
  if (!hirc_sync_client_post_status (self->client, self->config->device_id,
                                     self->config->status_token, counts.pending,
                                     counts.rejected, self->cancellable, &error))
    g_message ("sync: status report failed: %s", error->message);
}

/* Nothing is ever deferred further than the cap, nor leased longer than a sync-now's horizon
 * plus a lease, so a next attempt beyond that means the clock went back: send rather than wait
 * for the clock to catch up. */
static gboolean
clock_went_back (HircSyncService *self,
                 gint64           next_due,
                 gint64           now)
{
  return next_due > now + self->options.backoff_cap_s + SYNC_NOW_MARGIN_S + self->options.lease_s;
}

static gboolean
once_finished_cb (gpointer user_data)
{
  HircSyncService *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer user_data)
{
  HircSyncService *self = user_data;
  /* The first round checks health and reports status at once. */
  gint64 next_status = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gboolean wake, sync_now;
      gint64 now, next_due, target, gate;

      g_mutex_lock (&self->mutex);
      if (self->stopping)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      wake = self->wake_requested;
      sync_now = self->sync_now_requested;
      self->wake_requested = self->sync_now_requested = FALSE;
      gate = self->not_before;
      g_mutex_unlock (&self->mutex);

      now = now_seconds ();
      next_due = hirc_outbox_next_due (self->outbox, &error);
      if (error != NULL)
        {
          record_outbox_error (self, error);
          g_clear_error (&error);
          next_due = 0;
        }

      if (sync_now)
        {
          g_mutex_lock (&self->mutex);
          self->consecutive_failures = 0;
          self->not_before = 0;
          g_mutex_unlock (&self->mutex);
          drain_pass (self, self->options.backoff_cap_s + SYNC_NOW_MARGIN_S);
        }
      else if (now >= gate && next_due > 0)
        {
          if (clock_went_back (self, next_due, now))
            {
              g_message ("sync: the next attempt is %" G_GINT64_FORMAT " s away; the clock "
                         "seems to have gone back", next_due - now);
              drain_pass (self, next_due - now);
            }
          else if (next_due <= now || wake)
            drain_pass (self, 0);
        }

      if (self->options.once || g_cancellable_is_cancelled (self->cancellable))
        break;

      /* After the reports, which matter more than the clock check or the intake's monitoring. */
      if (now >= next_status)
        {
          check_health (self);
          push_status (self);
          next_status = now_seconds () + self->options.status_interval_s;
        }

      /* Sleep until the next report falls due (not before the backoff allows), the next status
       * push, or a wake-up. */
      next_due = hirc_outbox_next_due (self->outbox, &error);
      if (error != NULL)
        {
          record_outbox_error (self, error);
          g_clear_error (&error);
          next_due = 0;
        }
      if (next_due > 0 && clock_went_back (self, next_due, now_seconds ()))
        next_due = now_seconds ();
      g_mutex_lock (&self->mutex);
      target = next_status;
      if (next_due > 0)
        target = MIN (target, MAX (next_due, self->not_before));
      while (!self->stopping && !self->wake_requested && !self->sync_now_requested)
        {
          gint64 remaining = target - now_seconds ();

          if (remaining <= 0)
            break;
          /* The wait is on the monotonic clock, the target on the wall clock: re-reading the
           * wall clock after each timeout keeps a clock change from stretching the sleep. */
          g_cond_wait_until (&self->cond, &self->mutex,
                             g_get_monotonic_time () + remaining * G_USEC_PER_SEC);
        }
      g_mutex_unlock (&self->mutex);
    }

  g_mutex_lock (&self->mutex);
  self->summary.interrupted = g_cancellable_is_cancelled (self->cancellable);
  g_mutex_unlock (&self->mutex);

  if (self->options.once)
    {
      /* A source rather than g_main_context_invoke(), which could run the callback here, at
       * once, before run() has entered its loop, and the quit would be lost. */
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_callback (source, once_finished_cb, self, NULL);
      g_source_attach (source, self->context);
    }
  return NULL;
}

/* ---- the main context ---- */

static void
request_wake (HircSyncService *self,
              gboolean         sync_now)
{
  g_mutex_lock (&self->mutex);
  if (sync_now)
    self->sync_now_requested = TRUE;
  else
    self->wake_requested = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
hirc_sync_service_wake (HircSyncService *self)
{
  g_return_if_fail (self != NULL);
  request_wake (self, FALSE);
}

void
hirc_sync_service_sync_now (HircSyncService *self)
{
  g_return_if_fail (self != NULL);
  request_wake (self, TRUE);
}

void
hirc_sync_service_stop (HircSyncService *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_cancellable_cancel (self->cancellable);
  if (self->loop != NULL)
    g_main_loop_quit (self->loop);
}

HircSyncStatus *
hirc_sync_service_get_status (HircSyncService *self)
{
  g_autoptr(GError) error = NULL;
  HircSyncStatus *status = g_new0 (HircSyncStatus, 1);
  HircOutboxCounts counts = { 0 };
  gint64 now = now_seconds ();
  gint64 next_due = 0;
  gboolean counted;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->status_lock);
  counted = hirc_outbox_get_counts (self->status_outbox, now, &counts, &error);
  if (counted)
    next_due = hirc_outbox_next_due (self->status_outbox, NULL);
  g_mutex_unlock (&self->status_lock);

  status->device_id = g_strdup (self->config->device_id);
  status->pending = counts.pending;
  status->delivered_today = counts.delivered_today;
  status->delivered_this_month = counts.delivered_this_month;
  status->rejected = counts.rejected;
  status->last_success = counts.last_delivered_at;

  g_mutex_lock (&self->mutex);
  if (self->sending)
    status->state = HIRC_SYNC_STATE_SENDING;
  else if (counted && counts.pending == 0)
    status->state = HIRC_SYNC_STATE_IDLE;
  else if (self->offline)
    status->state = HIRC_SYNC_STATE_OFFLINE;
  else
    status->state = HIRC_SYNC_STATE_WAITING;
  if (counts.pending > 0)
    status->next_attempt = MAX (MAX (next_due, self->not_before), now);
  status->last_error = g_strdup (self->last_error);
  status->last_error_detail = g_strdup (self->last_error_detail);
  status->last_error_code = g_strdup (self->last_error_code);
  status->last_error_at = self->last_error_at;
  status->clock_skew_known = self->skew_known;
  status->clock_skew = self->skew;
  status->checked_at = self->checked_at;
  g_mutex_unlock (&self->mutex);

  if (!counted)
    {
      g_message ("sync: cannot count reports: %s", error->message);
      g_free (status->last_error);
      g_free (status->last_error_detail);
      g_free (status->last_error_code);
      status->last_error = g_strdup ("The kiosk cannot read its store of reports. Reports are "
                                     "kept safely here. Ask for the kiosk to be checked.");
      status->last_error_detail = g_strdup (error->message);
      status->last_error_code = g_strdup ("outbox");
      status->last_error_at = now;
    }
  return status;
}

void
hirc_sync_service_get_summary (HircSyncService    *self,
                               HircSyncRunSummary *summary)
{
  g_return_if_fail (self != NULL && summary != NULL);

  g_mutex_lock (&self->mutex);
  *summary = self->summary;
  g_mutex_unlock (&self->mutex);
}

/* Completes a control request (or a thread's task for one) with reply, taken. */
static void
answer (GTask *task,
        char  *reply)
{
  g_task_return_pointer (task, reply, g_free);
}

/* test-connection and enrol run on a thread of their own with a client of their own: they must
 * answer while the worker's handle is busy with a stalled upload, and a fresh connection is the
 * honest test. */
typedef struct
{
  HircSyncService  *service;    /* borrowed: run() waits for every thread before returning */
  HircKioskConfig  *config;
  HircSyncTimeouts  timeouts;
  guint             pending;
  guint             rejected;
  /* enrol's arguments, as the window sent them */
  char             *bundle_json;
  char             *device_public_key;
  char             *proof;
} ThreadData;

static void
thread_data_free (ThreadData *data)
{
  if (data->bundle_json != NULL)
    hirc_secure_wipe_string (data->bundle_json);
  g_free (data->bundle_json);
  g_free (data->device_public_key);
  g_free (data->proof);
  g_free (data);
}

static void
add_finding (JsonBuilder *builder,
             const char  *check,
             gboolean     ok,
             const char  *message,
             const char  *detail,
             const char  *code)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "check");
  json_builder_add_string_value (builder, check);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
    }
  if (code != NULL)
    {
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
    }
  json_builder_end_object (builder);
}

static void
add_error_finding (JsonBuilder  *builder,
                   const char   *check,
                   const GError *error)
{
  const char *plain = hirc_sync_error_get_plain (error);

  add_finding (builder, check, FALSE,
               plain != NULL ? plain : "Something unexpected went wrong.",
               error->message,
               error->domain == HIRC_SYNC_ERROR ? hirc_sync_error_code_to_string (error->code)
                                                : "failed");
}

static void
test_connection_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ThreadData *data = task_data;
  g_autoptr(HircSyncClient) client = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  gboolean healthy = FALSE;
  gboolean skew_known = FALSE;
  gint64 server_time = 0, skew = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);

  client = hirc_sync_client_new_for_config (data->config, &error);
  if (client == NULL)
    add_error_finding (builder, "settings", error);
  else
    {
      hirc_sync_client_set_timeouts (client, &data->timeouts);
      if (!hirc_sync_client_health (client, &version, &server_time, cancellable, &error))
        add_error_finding (builder, "connection", error);
      else
        {
          g_autofree char *message = NULL;

          skew = server_time - now_seconds ();
          skew_known = TRUE;
          message = g_strdup_printf ("The kiosk reached the intake (version %s) over a secure "
                                     "connection, and the intake's certificate matches the one "
                                     "this kiosk was set up with.", version);
          add_finding (builder, "connection", TRUE, message, NULL, NULL);

          if (ABS (skew) > HIRC_SYNC_CLOCK_SKEW_WARN_SECONDS)
            {
              g_autofree char *clock = NULL;

              clock = g_strdup_printf ("This kiosk's clock is %" G_GINT64_FORMAT " minutes %s "
                                       "the intake's. Set the correct date and time: a wrong "
                                       "clock can make secure connections fail.",
                                       ABS (skew) / 60, skew > 0 ? "behind" : "ahead of");
              add_finding (builder, "clock", FALSE, clock, NULL, "clock-skew");
            }
          else
            add_finding (builder, "clock", TRUE,
                         "This kiosk's clock agrees with the intake's.", NULL, NULL);

          if (hirc_sync_client_post_status (client, data->config->device_id,
                                            data->config->status_token, data->pending,
                                            data->rejected, cancellable, &error))
            {
              add_finding (builder, "enrolment", TRUE, "The intake recognises this kiosk.",
                           NULL, NULL);
              healthy = ABS (skew) <= HIRC_SYNC_CLOCK_SKEW_WARN_SECONDS;
            }
          else
            add_error_finding (builder, "enrolment", error);
        }
    }

  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "healthy");
  json_builder_add_boolean_value (builder, healthy);
  json_builder_set_member_name (builder, "clock_skew");
  if (skew_known)
    json_builder_add_int_value (builder, skew);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  if (skew_known)
    {
      HircSyncService *self = data->service;

      g_mutex_lock (&self->mutex);
      self->skew_known = TRUE;
      self->skew = skew;
      self->checked_at = now_seconds ();
      g_mutex_unlock (&self->mutex);
    }
  answer (task, json_generator_to_data (generator, NULL));
}

/* The enrolment for a re-provisioning: the window made the new device key and its proof, and
 * only this process may reach the intake the new bundle names. */
static void
enrol_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ThreadData *data = task_data;
  g_autoptr(HircBundle) bundle = NULL;
  g_autoptr(HircKey) device_public = NULL;
  g_autoptr(HircSyncClient) client = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree guint8 *proof_bytes = NULL;
  HircEnrolment enrolment = { 0 };
  gsize proof_len = 0;

  bundle = hirc_bundle_load_from_data (data->bundle_json, strlen (data->bundle_json), &error);
  if (bundle == NULL)
    {
      answer (task, hirc_control_reply_error ("invalid-bundle", error->message));
      return;
    }
  device_public = hirc_key_new_public_from_base64 (HIRC_KEY_KIND_SIGN_PUBLIC,
                                                   data->device_public_key, &error);
  proof_bytes = g_base64_decode (data->proof, &proof_len);
  if (device_public == NULL || proof_len != crypto_sign_BYTES)
    {
      answer (task, hirc_control_reply_error ("malformed_request",
                                              "The device key or its proof is malformed."));
      return;
    }
  proof = g_bytes_new (proof_bytes, proof_len);

  client = hirc_sync_client_new_for_bundle (bundle, &error);
  if (client != NULL)
    hirc_sync_client_set_timeouts (client, &data->timeouts);
  if (client == NULL
      || !hirc_sync_client_enrol (client, bundle->enrolment_token, device_public, proof,
                                  &enrolment, cancellable, &error))
    {
      g_autofree char *message = NULL;
      const char *plain = hirc_sync_error_get_plain (error);

      g_message ("sync: enrolment for re-provisioning failed: %s", error->message);
      message = g_strdup_printf ("%s (%s)", plain != NULL ? plain : "The enrolment failed.",
                                 error->message);
      answer (task, hirc_control_reply_error (error->domain == HIRC_SYNC_ERROR
                                              ? hirc_sync_error_code_to_string (error->code)
                                              : "failed", message));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "enrolment");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, enrolment.device_id);
  json_builder_set_member_name (builder, "centre_id");
  json_builder_add_string_value (builder, enrolment.centre_id);
  json_builder_set_member_name (builder, "centre_name");
  json_builder_add_string_value (builder, enrolment.centre_name);
  json_builder_set_member_name (builder, "status_token");
  json_builder_add_string_value (builder, enrolment.status_token);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  hirc_enrolment_clear (&enrolment);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  g_message ("sync: enrolled a new device key for re-provisioning");
  answer (task, json_generator_to_data (generator, NULL));
}

static void
thread_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) control_task = user_data;
  ThreadData *data = g_task_get_task_data (G_TASK (result));
  HircSyncService *self = data->service;
  GError *error = NULL;
  char *reply;

  self->threads_in_flight--;
  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply != NULL)
    g_task_return_pointer (control_task, reply, g_free);
  else
    g_task_return_error (control_task, error);
}

/* Answers control_task from func, run on a thread of its own with data. */
static void
run_for_control (HircSyncService *self,
                 GTask           *control_task,
                 ThreadData      *data,
                 GTaskThreadFunc  func)
{
  g_autoptr(GTask) task = NULL;

  data->service = self;
  data->timeouts = self->options.timeouts;
  task = g_task_new (NULL, g_task_get_cancellable (control_task), thread_done_cb,
                     g_object_ref (control_task));
  g_task_set_task_data (task, data, (GDestroyNotify) thread_data_free);
  g_task_set_source_tag (task, run_for_control);
  self->threads_in_flight++;
  g_task_run_in_thread (task, func);
}

static void
control_request_cb (const char *command,
                    JsonObject *request,
                    GTask      *task,
                    gpointer    user_data)
{
  HircSyncService *self = user_data;

  if (g_str_equal (command, HIRC_CONTROL_STATUS))
    {
      g_autoptr(HircSyncStatus) status = hirc_sync_service_get_status (self);
      g_autofree char *status_json = hirc_sync_status_to_json (status);

      answer (task, g_strdup_printf ("{\"ok\":true,\"status\":%s}", status_json));
    }
  else if (g_str_equal (command, HIRC_CONTROL_WAKE))
    {
      hirc_sync_service_wake (self);
      answer (task, hirc_control_reply_ok ("The sync service is checking for reports."));
    }
  else if (g_str_equal (command, HIRC_CONTROL_SYNC_NOW))
    {
      hirc_sync_service_sync_now (self);
      answer (task, hirc_control_reply_ok ("Sending every waiting report now."));
    }
  else if (g_str_equal (command, HIRC_CONTROL_TEST_CONNECTION))
    {
      g_autoptr(HircSyncStatus) status = hirc_sync_service_get_status (self);
      ThreadData *data = g_new0 (ThreadData, 1);

      data->config = self->config;
      data->pending = status->pending;
      data->rejected = status->rejected;
      run_for_control (self, task, data, test_connection_thread);
    }
  else if (g_str_equal (command, HIRC_CONTROL_ENROL))
    {
      g_autoptr(HircSyncStatus) status = hirc_sync_service_get_status (self);
      JsonNode *bundle = json_object_get_member (request, "bundle");
      JsonNode *device = json_object_get_member (request, "device_public_key");
      JsonNode *proof = json_object_get_member (request, "proof");
      ThreadData *data;

      if (bundle == NULL || json_node_get_value_type (bundle) != G_TYPE_STRING
          || device == NULL || json_node_get_value_type (device) != G_TYPE_STRING
          || proof == NULL || json_node_get_value_type (proof) != G_TYPE_STRING)
        {
          answer (task, hirc_control_reply_error ("malformed_request",
                                                  "An enrolment needs the bundle, the device's "
                                                  "public key and its proof."));
          return;
        }
      /* Reports sealed for the current intake could never be delivered after the switch. */
      if (status->pending > 0 || status->rejected > 0)
        {
          answer (task, hirc_control_reply_error ("reports-waiting",
                                                  "Reports are still waiting to be sent, or "
                                                  "were refused: the kiosk cannot be set up "
                                                  "again until they are dealt with."));
          return;
        }
      data = g_new0 (ThreadData, 1);
      data->bundle_json = g_strdup (json_node_get_string (bundle));
      data->device_public_key = g_strdup (json_node_get_string (device));
      data->proof = g_strdup (json_node_get_string (proof));
      run_for_control (self, task, data, enrol_thread);
    }
  else if (g_str_equal (command, HIRC_CONTROL_RESTART))
    {
      g_message ("sync: restarting to read the new configuration");
      answer (task, hirc_control_reply_ok ("The sync service is restarting with the new "
                                           "configuration."));
      self->restart_requested = TRUE;
      hirc_sync_service_stop (self);
    }
}

static gboolean
wal_debounce_cb (gpointer user_data)
{
  HircSyncService *self = user_data;

  self->wal_debounce_id = 0;
  hirc_sync_service_wake (self);
  return G_SOURCE_REMOVE;
}

static void
wal_changed_cb (GFileMonitor      *monitor,
                GFile             *file,
                GFile             *other_file,
                GFileMonitorEvent  event,
                gpointer           user_data)
{
  HircSyncService *self = user_data;

  /* The window writes its new report to the log: this is the fallback for a lost "wake". */
  if (self->wal_debounce_id == 0)
    self->wal_debounce_id = g_timeout_add (WAL_DEBOUNCE_MS, wal_debounce_cb, self);
}

static gboolean
signal_cb (gpointer user_data)
{
  HircSyncService *self = user_data;

  g_message ("sync: stopping on a signal");
  hirc_sync_service_stop (self);
  return G_SOURCE_CONTINUE;
}

/* The folder must be the kiosk user's alone: the socket and the lock live there. */
static gboolean
check_state_dir (const char  *state_dir,
                 GError     **error)
{
  GStatBuf st;

  if (g_stat (state_dir, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_FAILED,
                   "cannot use the state folder %s: %s", state_dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode) || st.st_uid != getuid () || (st.st_mode & 077) != 0)
    {
      g_set_error (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_INSECURE,
                   "the state folder %s must be a folder owned by this user with mode 0700",
                   state_dir);
      return FALSE;
    }
  return TRUE;
}

static int
take_instance_lock (const char  *state_dir,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (state_dir, "sync.lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_FAILED,
                   "cannot open %s: %s", path, g_strerror (saved_errno));
      return -1;
    }
  /* flock is released by the kernel when the process dies, however it dies. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_ALREADY_RUNNING,
                     "another hirc-sync is running for %s", state_dir);
      else
        g_set_error (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_FAILED,
                     "cannot lock %s: %s", path, g_strerror (saved_errno));
      return -1;
    }
  return fd;
}

HircSyncService *
hirc_sync_service_new (const char                   *state_dir,
                       const HircSyncServiceOptions *options,
                       GError                      **error)
{
  g_autoptr(HircSyncService) self = g_new0 (HircSyncService, 1);
  g_autofree char *outbox_path = NULL;

  g_return_val_if_fail (state_dir != NULL, NULL);

  self->lock_fd = -1;
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->status_lock);
  g_mutex_init (&self->audit_lock);
  g_cond_init (&self->cond);
  g_cond_init (&self->record_cond);
  self->record_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) record_job_free);
  self->state_dir = g_strdup (state_dir);
  if (options != NULL)
    self->options = *options;
  else
    hirc_sync_service_options_init_default (&self->options);
  self->options.batch_size = MAX (self->options.batch_size, 1);
  self->options.lease_s = MAX (self->options.lease_s, 1);
  self->options.status_interval_s = MAX (self->options.status_interval_s, 1);
  self->options.backoff_cap_s = MAX (self->options.backoff_cap_s, 1);
  self->cancellable = g_cancellable_new ();

  if (!check_state_dir (state_dir, error))
    return NULL;
  self->lock_fd = take_instance_lock (state_dir, error);
  if (self->lock_fd < 0)
    return NULL;

  self->config = hirc_kiosk_config_load (state_dir, error);
  if (self->config == NULL)
    return NULL;
  for (guint i = 0; i < HIRC_SYNC_STREAMS; i++)
    {
      self->streams[i] = hirc_sync_client_new_for_config (self->config, error);
      if (self->streams[i] == NULL)
        return NULL;
      hirc_sync_client_set_timeouts (self->streams[i], &self->options.timeouts);
    }
  self->client = self->streams[0];

  /* Provisioning creates the outbox; a missing one is a fault to report, not to paper over
   * with a fresh empty queue. */
  outbox_path = hirc_kiosk_outbox_path (state_dir);
  self->outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, error);
  if (self->outbox == NULL)
    return NULL;
  self->status_outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, error);
  if (self->status_outbox == NULL)
    return NULL;
  self->record_outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, error);
  if (self->record_outbox == NULL)
    return NULL;

  {
    g_autoptr(GError) audit_error = NULL;

    self->audit = hirc_audit_open (state_dir, &audit_error);
    if (self->audit == NULL)
      g_message ("sync: sync events will not be in the activity log: %s", audit_error->message);
  }

  return g_steal_pointer (&self);
}

gboolean
hirc_sync_service_run (HircSyncService  *self,
                       GError          **error)
{
  g_autoptr(GMainLoop) loop = NULL;
  guint term_id, int_id;
  gboolean stopping;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->worker == NULL, FALSE);

  self->context = g_main_context_ref_thread_default ();
  loop = g_main_loop_new (self->context, FALSE);
  self->recorder = g_thread_try_new ("hirc-sync-recorder", recorder_main, self, error);
  if (self->recorder == NULL)
    return FALSE;

  if (!self->options.once)
    {
      g_autofree char *outbox_path = hirc_kiosk_outbox_path (self->state_dir);
      g_autofree char *wal_path = g_strconcat (outbox_path, "-wal", NULL);
      g_autoptr(GFile) wal = g_file_new_for_path (wal_path);
      g_autoptr(GError) monitor_error = NULL;

      self->control = hirc_control_server_new (self->state_dir, control_request_cb, self, error);
      if (self->control == NULL)
        return FALSE;
      self->wal_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL, &monitor_error);
      if (self->wal_monitor != NULL)
        g_signal_connect (self->wal_monitor, "changed", G_CALLBACK (wal_changed_cb), self);
      else
        g_message ("sync: no file monitor on the outbox (%s); relying on wake requests",
                   monitor_error->message);
    }

  term_id = g_unix_signal_add (SIGTERM, signal_cb, self);
  int_id = g_unix_signal_add (SIGINT, signal_cb, self);

  g_mutex_lock (&self->mutex);
  /* A new report may already be waiting: look at once. */
  self->wake_requested = TRUE;
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);

  if (!self->options.once)
    audit_event (self, HIRC_AUDIT_SYNC_STARTED, NULL);

  if (!stopping)
    {
      self->loop = loop;
      self->worker = g_thread_new ("hirc-sync-worker", worker_main, self);
      g_main_loop_run (loop);
    }

  /* Shutdown: stop the worker (a send in progress is abandoned within a second), then let
   * every control connection and test in flight finish so nothing is left half done. */
  hirc_sync_service_stop (self);
  if (self->worker != NULL)
    g_thread_join (g_steal_pointer (&self->worker));
  /* The worker flushed before it ended; this only waits for the thread itself. */
  stop_recorder (self);
  g_source_remove (term_id);
  g_source_remove (int_id);
  g_clear_handle_id (&self->wal_debounce_id, g_source_remove);
  if (self->wal_monitor != NULL)
    {
      g_file_monitor_cancel (self->wal_monitor);
      g_signal_handlers_disconnect_by_data (self->wal_monitor, self);
      g_clear_object (&self->wal_monitor);
    }
  /* Answers already given, a restart's among them, reach their clients before the socket
   * closes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_pointer (&self->control, hirc_control_server_free);
  while (self->threads_in_flight > 0)
    g_main_context_iteration (self->context, TRUE);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  self->loop = NULL;
  if (!self->options.once)
    audit_event (self, HIRC_AUDIT_SYNC_STOPPED, NULL);
  return TRUE;
}

gboolean
hirc_sync_service_restart_requested (HircSyncService *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->restart_requested;
}

void
hirc_sync_service_free (HircSyncService *self)
{
  if (self == NULL)
    return;

  if (self->worker != NULL)
    {
      hirc_sync_service_stop (self);
      g_thread_join (self->worker);
    }
  stop_recorder (self);
  self->client = NULL;
  for (guint i = 0; i < HIRC_SYNC_STREAMS; i++)
    g_clear_pointer (&self->streams[i], hirc_sync_client_free);
  g_clear_pointer (&self->outbox, hirc_outbox_close);
  g_clear_pointer (&self->record_outbox, hirc_outbox_close);
  g_clear_pointer (&self->record_queue, g_ptr_array_unref);
  g_clear_error (&self->record_error);
  g_clear_pointer (&self->status_outbox, hirc_outbox_close);
  g_clear_pointer (&self->audit, hirc_audit_close);
  g_free (self->audited_failure);
  g_mutex_clear (&self->audit_lock);
  g_clear_pointer (&self->config, hirc_kiosk_config_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->last_error);
  g_free (self->last_error_detail);
  g_free (self->last_error_code);
  g_free (self->state_dir);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->status_lock);
  g_cond_clear (&self->cond);
  g_cond_clear (&self->record_cond);
  g_free (self);
}
