/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff-session.c: staff screens and what they do. Everything slow or that may wait runs
 * on a worker thread through GTask: Argon2id PIN checks and hashing, reading the staff list,
 * the audit log and the outbox, and asking the sync service. The pages come from ui/ and know
 * nothing of the model; the words they show are chosen here, in the language on screen. */

#include "config.h"

#include "hirc-staff-session.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "hirc-ambassador-panel.h"
#include "hirc-audit.h"
#include "hirc-audit-log-page.h"
#include "hirc-control.h"
#include "hirc-dashboard-page.h"
#include "hirc-json.h"
#include "hirc-kiosk-status.h"
#include "hirc-pin-form-page.h"
#include "hirc-provision.h"
#include "hirc-reprovision-page.h"
#include "hirc-staff.h"
#include "hirc-staff-list-page.h"
#include "hirc-staff-sign-in-page.h"
#include "hirc-ui-language.h"

/* The dashboard's figures are read again this often while it is on screen. */
#define REFRESH_SECONDS 5
#define STATUS_TIMEOUT_MS 2000
#define SYNC_NOW_TIMEOUT_MS 5000
/* A connection test makes two requests, each limited by the sync service's own timeouts (3
 * minutes at most, sync/SYNC.md); the window waits a little longer than both. */
#define TEST_TIMEOUT_MS (7 * 60 * 1000)
#define LOG_ENTRIES 200
/* A restarted sync service answers within a second or two; a slow disk may need more. */
#define RESTART_TIMEOUT_MS (30 * 1000)

typedef enum
{
  SCREEN_NONE,
  SCREEN_SIGN_IN,
  SCREEN_DASHBOARD,
  SCREEN_STAFF,
  SCREEN_PIN_FORM,
  SCREEN_LOG,
  SCREEN_REPROVISION,
  SCREEN_ASSISTED,
} Screen;

typedef enum
{
  FORM_ADD_AMBASSADOR,
  FORM_AMBASSADOR_PIN,
  FORM_ADMINISTRATOR_PIN,
  FORM_REMOVE_AMBASSADOR,   /* no form: the list asks itself */
} Change;

struct _HircStaffSession
{
  GObject                 parent_instance;

  /* Borrowed. */
  HircKioskWindow        *window;
  const HircKioskConfig  *config;

  /* Owned. */
  char                   *state_dir;
  HircStaffMember        *member;       /* signed in, or NULL */
  GtkWidget              *page;         /* the staff page on screen, or NULL */
  GtkWidget              *panel;        /* the ambassador's guide, or NULL */
  char                   *panel_page;   /* the journey's page the guide follows */
  GPtrArray              *ambassadors;  /* HircStaffMember, as last listed */
  GPtrArray              *bundles;      /* HircFoundBundle, as last found */
  guint                   chosen_bundle;
  Change                  form_change;
  char                   *form_id;      /* the ambassador the form is for */
  char                   *list_message; /* for the staff list when it comes back */
  GCancellable           *cancellable;

  Screen                  screen;
  guint                   refresh_source;
  gboolean                refreshing;
  guint                   idle_source;
  gint64                  last_activity;
  guint                   pending_writes;
  gboolean                assisted_saved;
  /* This session's configuration is the old one now: it ends when staff leave the outcome. */
  gboolean                reprovisioned;
  gboolean                ended;
};

G_DEFINE_FINAL_TYPE (HircStaffSession, hirc_staff_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_IDLE_TIMEOUT_OFF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CANCEL,
  SIGNAL_ASSISTED,
  SIGNAL_END,
  SIGNAL_IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_dashboard   (HircStaffSession *self);
static void show_staff_list  (HircStaffSession *self);
static void show_log         (HircStaffSession *self);
static void show_reprovision (HircStaffSession *self);

/* Work for a worker thread. Strings are copies, so that nothing the thread reads changes
 * under it; the PIN is wiped when the job is freed. */
typedef struct
{
  char           *state_dir;
  guint           first_delay;
  char           *pin;
  char           *name;
  char           *id;
  char           *actor;
  Change          change;
  const char     *command;
  guint           timeout_ms;
  HircAuditEvent  event;
  char           *detail;
  char          **folders;
  char           *bundle_path;
  gboolean        writes;       /* writes to the audit log: the session waits for it to end */
} Job;

static void
job_free (Job *job)
{
  if (job->pin != NULL)
    sodium_memzero (job->pin, strlen (job->pin));
  g_free (job->pin);
  g_free (job->state_dir);
  g_free (job->name);
  g_free (job->id);
  g_free (job->actor);
  g_free (job->detail);
  g_strfreev (job->folders);
  g_free (job->bundle_path);
  g_free (job);
}

static Job *
job_new (HircStaffSession *self)
{
  Job *job = g_new0 (Job, 1);

  job->state_dir = g_strdup (self->state_dir);
  job->first_delay = self->config->staff_first_delay_seconds;
  job->actor = g_strdup (self->member != NULL ? self->member->id : "kiosk");
  return job;
}

/* Runs func on a worker thread with job; callback comes back on this thread. Jobs that write
 * to the audit log are counted, so that the session does not end before they are written. */
static void
run_job (HircStaffSession      *self,
         Job                   *job,
         gboolean               writes,
         GTaskThreadFunc        func,
         GAsyncReadyCallback    callback)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, NULL);

  job->writes = writes;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (writes)
    self->pending_writes++;
  g_task_run_in_thread (task, func);
}

/* Called first by every callback: FALSE when the result no longer matters (the session has
 * ended, or its task was cancelled). */
static gboolean
job_done (HircStaffSession *self,
          GAsyncResult     *result)
{
  if (((Job *) g_task_get_task_data (G_TASK (result)))->writes)
    {
      self->pending_writes--;
      if (self->pending_writes == 0)
        g_signal_emit (self, signals[SIGNAL_IDLE], 0);
    }
  return !self->ended && !g_cancellable_is_cancelled (self->cancellable);
}

static void
record (const Job      *job,
        const char     *actor,
        HircAuditEvent  event,
        const char     *detail)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircAudit) audit = hirc_audit_open (job->state_dir, &error);

  /* The action itself has happened: a log that cannot be written is reported, not fatal. */
  if (audit == NULL || !hirc_audit_record (audit, actor, event, detail, &error))
    g_warning ("staff: cannot write the audit log: %s", error->message);
}

static void
record_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;

  record (job, job->actor, job->event, job->detail);
  g_task_return_boolean (task, TRUE);
}

static void
record_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  job_done (HIRC_STAFF_SESSION (source), result);
}

static void
record_later (HircStaffSession *self,
              HircAuditEvent    event,
              const char       *detail)
{
  Job *job = job_new (self);

  job->event = event;
  job->detail = g_strdup (detail);
  run_job (self, job, TRUE, record_thread, record_done_cb);
}

/* Pages. */

static void
drop_page (HircStaffSession *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->page == NULL)
    return;
  hirc_kiosk_window_remove_page (self->window, self->page);
  g_clear_object (&self->page);
}

static void
show (HircStaffSession *self,
      Screen            screen,
      GtkWidget        *page,
      const char       *title)
{
  GtkWidget *old = self->page;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->page = g_object_ref_sink (page);
  self->screen = screen;
  hirc_kiosk_window_show_page (self->window, page, title);
  if (old != NULL)
    {
      hirc_kiosk_window_remove_page (self->window, old);
      g_object_unref (old);
    }
  hirc_staff_session_note_activity (self);
}

static void
end_staff (HircStaffSession *self)
{
  g_message ("staff: signing out");
  g_signal_emit (self, signals[SIGNAL_END], 0);
}

/* The staff idle clock runs on staff screens only; an assisted report has the report's. */

static gboolean
idle_expired_cb (gpointer user_data)
{
  HircStaffSession *self = user_data;
  gint64 idle_for = g_get_monotonic_time () - self->last_activity;
  gint64 limit = (gint64) self->config->staff_idle_timeout_seconds * G_USEC_PER_SEC;

  self->idle_source = 0;
  if (self->ended || self->screen == SCREEN_NONE || self->screen == SCREEN_ASSISTED)
    return G_SOURCE_REMOVE;
  if (idle_for < limit)
    {
      self->idle_source = g_timeout_add ((guint) ((limit - idle_for) / 1000) + 1,
                                         idle_expired_cb, self);
      return G_SOURCE_REMOVE;
    }
  g_message ("staff: nobody touched a staff screen for %u seconds",
             self->config->staff_idle_timeout_seconds);
  end_staff (self);
  return G_SOURCE_REMOVE;
}

/* Plain words for the sync service's error codes (hirc_sync_error_code_to_string()), in the
 * language on screen; the service's own sentences are English only. */
static const char *
sentence_for_code (const char *code,
                   const char *fallback)
{
  const char *sentence = hirc_sync_error_code_sentence (code);

  if (sentence != NULL)
    return _(sentence);
  return fallback != NULL ? fallback : _(hirc_sync_error_code_sentence ("failed"));
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_seconds);

  /* Translators: a date and time on the staff screens, for example "3 December 2025,
   * 14:05:09"; the codes are g_date_time_format()'s. */
  return time != NULL ? hirc_ui_language_format_date_time (time, _("%-d %B %Y, %H:%M:%S")) : NULL;
}

static char *
describe_clock (gint64 skew)
{
  guint minutes = (guint) MIN (ABS (skew) / 60, G_MAXUINT);

  if (ABS (skew) <= HIRC_SYNC_CLOCK_SKEW_WARN_SECONDS)
    return g_strdup (_("This kiosk's clock agrees with the intake's."));
  /* The skew is the intake's clock minus the kiosk's. */
  if (skew > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This kiosk's clock is %u minute behind the intake's. "
                                         "Set the correct date and time.",
                                         "This kiosk's clock is %u minutes behind the intake's. "
                                         "Set the correct date and time.", minutes), minutes);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "This kiosk's clock is %u minute ahead of the intake's. "
                                       "Set the correct date and time.",
                                       "This kiosk's clock is %u minutes ahead of the intake's. "
                                       "Set the correct date and time.", minutes), minutes);
}

/* Sign-in. */

typedef struct
{
  HircSignInResult  result;
  HircStaffMember  *member;
  gint64            wait_seconds;
  gboolean          has_administrator;
  char             *error;
} SignIn;

static void
sign_in_free (SignIn *outcome)
{
  g_clear_pointer (&outcome->member, hirc_staff_member_free);
  g_free (outcome->error);
  g_free (outcome);
}

static void
delay_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  SignIn *outcome = g_new0 (SignIn, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (job->state_dir, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (staff == NULL)
    outcome->error = g_strdup (error->message);
  else
    {
      gint64 retry_at = hirc_staff_retry_at (staff, now);

      outcome->has_administrator = hirc_staff_has_administrator (staff);
      outcome->wait_seconds = retry_at > now ? retry_at - now : 0;
    }
  g_task_return_pointer (task, outcome, (GDestroyNotify) sign_in_free);
}

static void
delay_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  SignIn *outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  HircStaffSignInPage *page;

  if (!job_done (self, result) || self->screen != SCREEN_SIGN_IN || outcome == NULL)
    {
      g_clear_pointer (&outcome, sign_in_free);
      return;
    }
  page = HIRC_STAFF_SIGN_IN_PAGE (self->page);
  if (outcome->error != NULL)
    hirc_staff_sign_in_page_show_error (page, outcome->error);
  else if (!outcome->has_administrator)
    hirc_staff_sign_in_page_show_error (page, _("No staff PINs are set on this kiosk yet. Whoever "
                                                "looks after the kiosk's computer sets the "
                                                "administrator PIN with hirc-kiosk "
                                                "--set-admin-pin."));
  else if (outcome->wait_seconds > 0)
    hirc_staff_sign_in_page_wait (page, (guint) outcome->wait_seconds, FALSE);
  sign_in_free (outcome);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  SignIn *outcome = g_new0 (SignIn, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (job->state_dir, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 retry_at = 0;

  if (staff == NULL)
    {
      outcome->error = g_strdup (error->message);
      g_task_return_pointer (task, outcome, (GDestroyNotify) sign_in_free);
      return;
    }
  hirc_staff_set_first_delay (staff, job->first_delay);
  outcome->result = hirc_staff_sign_in (staff, job->pin, now, &outcome->member, &retry_at,
                                        &error);
  if (error != NULL)
    g_warning ("staff: %s", error->message);
  outcome->wait_seconds = retry_at > now ? retry_at - now : 0;
  if (outcome->result == HIRC_SIGN_IN_ACCEPTED)
    record (job, outcome->member->id, HIRC_AUDIT_STAFF_SIGNED_IN, NULL);
  else if (outcome->result == HIRC_SIGN_IN_WRONG_PIN)
    record (job, "kiosk", HIRC_AUDIT_STAFF_SIGN_IN_FAILED, NULL);
  g_task_return_pointer (task, outcome, (GDestroyNotify) sign_in_free);
}

static void start_assisted (HircStaffSession *self);

static void
sign_in_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  SignIn *outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  HircStaffSignInPage *page;

  if (!job_done (self, result) || self->screen != SCREEN_SIGN_IN || outcome == NULL)
    {
      g_clear_pointer (&outcome, sign_in_free);
      return;
    }
  page = HIRC_STAFF_SIGN_IN_PAGE (self->page);
  hirc_staff_sign_in_page_set_busy (page, FALSE);
  if (outcome->error != NULL)
    hirc_staff_sign_in_page_show_error (page, outcome->error);
  else if (outcome->result == HIRC_SIGN_IN_ACCEPTED)
    {
      self->member = g_steal_pointer (&outcome->member);
      g_message ("staff: %s signed in", self->member->id);
      if (self->member->role == HIRC_STAFF_ROLE_ADMINISTRATOR)
        show_dashboard (self);
      else
        start_assisted (self);
    }
  else if (outcome->wait_seconds > 0)
    hirc_staff_sign_in_page_wait (page, (guint) outcome->wait_seconds,
                                  outcome->result == HIRC_SIGN_IN_WRONG_PIN);
  else
    hirc_staff_sign_in_page_wrong_pin (page);
  sign_in_free (outcome);
}

static void
sign_in_requested_cb (HircStaffSession    *self,
                      HircStaffSignInPage *page)
{
  Job *job = job_new (self);

  job->pin = hirc_staff_sign_in_page_take_pin (page);
  hirc_staff_sign_in_page_set_busy (page, TRUE);
  run_job (self, job, TRUE, sign_in_thread, sign_in_done_cb);
}

static void
sign_in_cancelled_cb (HircStaffSession *self)
{
  drop_page (self);
  self->screen = SCREEN_NONE;
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_signal_emit (self, signals[SIGNAL_CANCEL], 0);
}

static void
show_sign_in (HircStaffSession *self)
{
  GtkWidget *page = hirc_staff_sign_in_page_new ();

  g_signal_connect_swapped (page, "sign-in", G_CALLBACK (sign_in_requested_cb), self);
  g_signal_connect_swapped (page, "cancel", G_CALLBACK (sign_in_cancelled_cb), self);
  show (self, SCREEN_SIGN_IN, page, _("Staff sign-in"));
  /* A delay from earlier wrong PINs, even before a restart, is shown before anyone types. */
  run_job (self, job_new (self), FALSE, delay_thread, delay_done_cb);
}

/* The dashboard. */

static void
status_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  HircKioskStatus *status = hirc_kiosk_status_collect (job->state_dir, STATUS_TIMEOUT_MS,
                                                       &error);

  if (status == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, status, (GDestroyNotify) hirc_kiosk_status_free);
}

static void
set_count (HircDashboardPage *page,
           HircDashboardItem  item,
           guint              count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  hirc_dashboard_page_set_item (page, item, text);
}

static const char *
describe_sync_state (const HircKioskStatus *status)
{
  if (status->sync == NULL)
    return _("Not running. Reports cannot leave this kiosk.");
  switch (status->sync->state)
    {
    case HIRC_SYNC_STATE_SENDING:
      return _("Running. Sending reports now.");
    case HIRC_SYNC_STATE_WAITING:
      return _("Running. Waiting to try again.");
    case HIRC_SYNC_STATE_OFFLINE:
      return _("Running, but it cannot reach the intake.");
    case HIRC_SYNC_STATE_IDLE:
    default:
      return _("Running. Nothing is waiting to be sent.");
    }
}

static void
fill_dashboard (HircDashboardPage     *page,
                const HircKioskStatus *status)
{
  const HircKioskConfig *config = status->config;
  const HircSyncStatus *sync = status->sync;
  gint64 last_success = MAX (sync != NULL ? sync->last_success : 0,
                             status->counts.last_delivered_at);
  g_autofree char *last_success_text = last_success > 0 ? format_time (last_success) : NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *used = g_format_size (status->outbox_bytes);
  g_autofree char *free_space = g_format_size (status->free_bytes);
  const char *summary;

  /* The outbox's own counts, which are the truth about what has left the building. */
  set_count (page, HIRC_DASHBOARD_WAITING, status->counts.pending);
  set_count (page, HIRC_DASHBOARD_SENT_TODAY, status->counts.delivered_today);
  set_count (page, HIRC_DASHBOARD_SENT_THIS_MONTH, status->counts.delivered_this_month);
  set_count (page, HIRC_DASHBOARD_REFUSED, status->counts.rejected);

  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_SYNC_STATE, describe_sync_state (status));
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_LAST_SUCCESS,
                                last_success_text != NULL ? last_success_text : _("Never"));
  if (sync != NULL && sync->next_attempt > status->checked_at)
    next_text = format_time (sync->next_attempt);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_NEXT_ATTEMPT,
                                next_text != NULL ? next_text
                                : sync != NULL && status->counts.pending > 0 ? _("Now")
                                : _("None planned"));
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_LAST_ERROR,
                                sync != NULL && sync->last_error_code != NULL
                                ? sentence_for_code (sync->last_error_code, sync->last_error)
                                : _("None"));
  if (sync != NULL && sync->clock_skew_known)
    clock = describe_clock (sync->clock_skew);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_CLOCK,
                                clock != NULL ? clock : _("Not checked yet."));

  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_CENTRE_NAME, config->centre_name);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_CENTRE_ID, config->centre_id);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_DEVICE_FINGERPRINT,
                                status->device_fingerprint);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_INTAKE_URL, config->intake_url);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_INTAKE_FINGERPRINT,
                                status->intake_fingerprint);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_STORAGE_USED, used);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_STORAGE_FREE, free_space);
  hirc_dashboard_page_set_item (page, HIRC_DASHBOARD_SOFTWARE_VERSION, PACKAGE_VERSION);

  /* Healthy only means nothing has waited too long yet: while reports wait behind a failure,
   * the headline says what is wrong rather than that all is well. */
  if (!hirc_kiosk_status_healthy (status))
    summary = _("This kiosk needs attention:");
  else if (status->counts.pending > 0 && sync != NULL && sync->last_error_code != NULL)
    summary = sentence_for_code (sync->last_error_code, sync->last_error);
  else
    summary = _("Reports are leaving this kiosk as they should.");
  g_ptr_array_add (status->problems, NULL);
  hirc_dashboard_page_set_summary (page, summary, (const char * const *) status->problems->pdata);
  g_ptr_array_remove_index (status->problems, status->problems->len - 1);
}

static void
status_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKioskStatus) status = g_task_propagate_pointer (G_TASK (result), &error);

  if (!job_done (self, result))
    return;
  self->refreshing = FALSE;
  if (self->screen != SCREEN_DASHBOARD)
    return;
  if (status == NULL)
    {
      g_autofree char *summary = NULL;

      g_warning ("staff: cannot read the kiosk's status: %s", error->message);
      /* Translators: %s says why, in the words of the part that failed. */
      summary = g_strdup_printf (_("The kiosk's status cannot be read: %s"), error->message);
      hirc_dashboard_page_set_summary (HIRC_DASHBOARD_PAGE (self->page), summary, NULL);
      return;
    }
  fill_dashboard (HIRC_DASHBOARD_PAGE (self->page), status);
}

static void
refresh_dashboard (HircStaffSession *self)
{
  if (self->refreshing || self->screen != SCREEN_DASHBOARD)
    return;
  self->refreshing = TRUE;
  run_job (self, job_new (self), FALSE, status_thread, status_done_cb);
}

static gboolean
refresh_cb (gpointer user_data)
{
  refresh_dashboard (user_data);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  gboolean   answered;
  char      *problem;     /* why the service could not be asked */
  gboolean   healthy;
  gint64     clock_skew;  /* the intake's clock minus the kiosk's, when the test got that far */
  GPtrArray *checks;      /* the findings' "check", "code" and "message", three per finding */
  GArray    *ok;          /* gboolean per finding */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->problem);
  g_clear_pointer (&outcome->checks, g_ptr_array_unref);
  g_clear_pointer (&outcome->ok, g_array_unref);
  g_free (outcome);
}

/* The test's findings, parsed here so that the main thread only chooses words. */
static void
parse_findings (Outcome    *outcome,
                const char *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  JsonArray *findings;

  if (!json_parser_load_from_data (parser, reply, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  outcome->healthy = json_object_get_boolean_member_with_default (object, "healthy", FALSE);
  if (json_object_has_member (object, "clock_skew")
      && json_node_get_value_type (json_object_get_member (object, "clock_skew")) == G_TYPE_INT64)
    outcome->clock_skew = json_object_get_int_member (object, "clock_skew");
  if (!json_object_has_member (object, "findings")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "findings")))
    return;
  findings = json_object_get_array_member (object, "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonNode *node = json_array_get_element (findings, i);
      JsonObject *finding;
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      finding = json_node_get_object (node);
      ok = json_object_get_boolean_member_with_default (finding, "ok", FALSE);
      g_ptr_array_add (outcome->checks, g_strdup (hirc_json_member_string (finding, "check")));
      g_ptr_array_add (outcome->checks, g_strdup (hirc_json_member_string (finding, "code")));
      g_ptr_array_add (outcome->checks, g_strdup (hirc_json_member_string (finding, "message")));
      g_array_append_val (outcome->ok, ok);
    }
}

static void
control_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  Outcome *outcome = g_new0 (Outcome, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  const char *detail = NULL;

  outcome->checks = g_ptr_array_new_with_free_func (g_free);
  outcome->ok = g_array_new (FALSE, FALSE, sizeof (gboolean));
  outcome->answered = hirc_control_request (job->state_dir, job->command, job->timeout_ms,
                                            &reply, &error);
  if (!outcome->answered)
    {
      g_warning ("staff: the sync service did not answer \"%s\": %s", job->command,
                 error->message);
      outcome->problem = g_strdup (g_error_matches (error, HIRC_CONTROL_ERROR,
                                                    HIRC_CONTROL_ERROR_NOT_RUNNING)
                                   ? "not-running" : "no-answer");
      detail = outcome->problem;
    }
  else if (g_str_equal (job->command, HIRC_CONTROL_TEST_CONNECTION))
    {
      parse_findings (outcome, reply);
      detail = outcome->healthy ? "ok" : "failed";
      for (guint i = 0; i < outcome->ok->len; i++)
        if (!g_array_index (outcome->ok, gboolean, i)
            && g_ptr_array_index (outcome->checks, i * 3 + 1) != NULL)
          {
            detail = g_ptr_array_index (outcome->checks, i * 3 + 1);
            break;
          }
    }
  /* The code goes in the log only if it is a code: the log refuses anything else. */
  record (job, job->actor, job->event,
          job->event == HIRC_AUDIT_CONNECTION_TESTED && detail != NULL
          && g_regex_match_simple ("^[A-Za-z0-9_.-]{1,64}$", detail, 0, 0) ? detail : NULL);
  g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

static char *
describe_finding (const char *check,
                  gboolean    ok,
                  const char *code,
                  const char *message,
                  gint64      skew)
{
  if (ok && g_strcmp0 (check, "connection") == 0)
    return g_strdup (_("The kiosk reached the intake over a secure connection, and the intake's "
                       "certificate matches the one this kiosk was set up with."));
  if (ok && g_strcmp0 (check, "clock") == 0)
    return g_strdup (_("This kiosk's clock agrees with the intake's."));
  if (ok && g_strcmp0 (check, "enrolment") == 0)
    return g_strdup (_("The intake recognises this kiosk."));
  if (g_strcmp0 (code, "clock-skew") == 0)
    return describe_clock (skew);
  if (ok)
    return g_strdup (message);
  return g_strdup (sentence_for_code (code, message));
}

static void
control_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  Outcome *outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *command = ((Job *) g_task_get_task_data (G_TASK (result)))->command;
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  const char *headline;

  if (!job_done (self, result) || self->screen != SCREEN_DASHBOARD || outcome == NULL)
    {
      g_clear_pointer (&outcome, outcome_free);
      return;
    }
  if (!outcome->answered)
    headline = g_str_equal (outcome->problem, "not-running")
               ? _("The sync service is not running, so nothing can be sent or tested. Restart "
                   "the kiosk. If this keeps happening, call the partnership.")
               : _("The sync service did not answer. Try again in a minute.");
  else if (g_str_equal (command, HIRC_CONTROL_SYNC_NOW))
    headline = _("The sync service is sending every waiting report now.");
  else
    headline = outcome->healthy ? _("The connection to the intake works.")
                                : _("The connection to the intake has a problem.");

  for (guint i = 0; i < outcome->ok->len; i++)
    {
      const char *check = g_ptr_array_index (outcome->checks, i * 3);
      const char *code = g_ptr_array_index (outcome->checks, i * 3 + 1);
      const char *message = g_ptr_array_index (outcome->checks, i * 3 + 2);
      gboolean ok = g_array_index (outcome->ok, gboolean, i);

      g_ptr_array_add (sentences, describe_finding (check, ok, code, message,
                                                    outcome->clock_skew));
    }
  g_ptr_array_add (sentences, NULL);
  hirc_dashboard_page_set_result (HIRC_DASHBOARD_PAGE (self->page), headline,
                                  (const char * const *) sentences->pdata,
                                  (const gboolean *) (gpointer) outcome->ok->data);
  outcome_free (outcome);
  refresh_dashboard (self);
}

static void
ask_sync_service (HircStaffSession *self,
                  const char       *command,
                  guint             timeout_ms,
                  HircAuditEvent    event,
                  const char       *doing)
{
  Job *job = job_new (self);

  job->command = command;
  job->timeout_ms = timeout_ms;
  job->event = event;
  hirc_dashboard_page_set_busy (HIRC_DASHBOARD_PAGE (self->page), doing);
  run_job (self, job, TRUE, control_thread, control_done_cb);
}

static void
sync_now_cb (HircStaffSession *self)
{
  ask_sync_service (self, HIRC_CONTROL_SYNC_NOW, SYNC_NOW_TIMEOUT_MS, HIRC_AUDIT_SYNC_NOW,
                    _("Asking the sync service to send the reports now…"));
}

static void
test_connection_cb (HircStaffSession *self)
{
  ask_sync_service (self, HIRC_CONTROL_TEST_CONNECTION, TEST_TIMEOUT_MS,
                    HIRC_AUDIT_CONNECTION_TESTED,
                    _("Testing the connection to the intake. This can take a minute…"));
}

static void
sign_out_cb (HircStaffSession *self)
{
  end_staff (self);
}

static void
show_dashboard (HircStaffSession *self)
{
  GtkWidget *page = hirc_dashboard_page_new ();

  g_signal_connect_swapped (page, "sync-now", G_CALLBACK (sync_now_cb), self);
  g_signal_connect_swapped (page, "test-connection", G_CALLBACK (test_connection_cb), self);
  g_signal_connect_swapped (page, "staff", G_CALLBACK (show_staff_list), self);
  g_signal_connect_swapped (page, "log", G_CALLBACK (show_log), self);
  g_signal_connect_swapped (page, "sign-out", G_CALLBACK (sign_out_cb), self);
  g_signal_connect_swapped (page, "reprovision", G_CALLBACK (show_reprovision), self);
  show (self, SCREEN_DASHBOARD, page, _("Kiosk dashboard"));
  self->refreshing = FALSE;
  refresh_dashboard (self);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

/* Staff PINs. */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (job->state_dir, &error);

  if (staff == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hirc_staff_list (staff), (GDestroyNotify) g_ptr_array_unref);
}

static const char *
ambassador_name (HircStaffSession *self,
                 const char       *id)
{
  for (guint i = 0; self->ambassadors != NULL && i < self->ambassadors->len; i++)
    {
      HircStaffMember *member = g_ptr_array_index (self->ambassadors, i);

      if (g_strcmp0 (member->id, id) == 0)
        return member->name;
    }
  return id;
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  HircStaffListPage *page;

  if (!job_done (self, result) || self->screen != SCREEN_STAFF)
    return;
  page = HIRC_STAFF_LIST_PAGE (self->page);
  if (members == NULL)
    {
      hirc_staff_list_page_set_message (page, error->message);
      return;
    }
  g_clear_pointer (&self->ambassadors, g_ptr_array_unref);
  g_clear_pointer (&self->bundles, g_ptr_array_unref);
  self->ambassadors = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_staff_member_free);
  for (guint i = 0; i < members->len; i++)
    {
      HircStaffMember *member = g_ptr_array_index (members, i);

      if (member->role != HIRC_STAFF_ROLE_AMBASSADOR)
        continue;
      g_ptr_array_add (self->ambassadors, hirc_staff_member_copy (member));
      g_ptr_array_add (ids, member->id);
      g_ptr_array_add (names, member->name);
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (names, NULL);
  hirc_staff_list_page_set_ambassadors (page, (const char * const *) ids->pdata,
                                        (const char * const *) names->pdata);
}

static void show_pin_form (HircStaffSession *self,
                           Change            change,
                           const char       *id);
static void change_staff  (HircStaffSession *self,
                           Change            change,
                           const char       *id,
                           char             *name,
                           char             *pin);

static void
add_cb (HircStaffSession *self)
{
  show_pin_form (self, FORM_ADD_AMBASSADOR, NULL);
}

static void
change_pin_cb (HircStaffSession *self,
               const char       *id)
{
  show_pin_form (self, FORM_AMBASSADOR_PIN, id);
}

static void
change_admin_pin_cb (HircStaffSession *self)
{
  show_pin_form (self, FORM_ADMINISTRATOR_PIN, NULL);
}

static void
remove_cb (HircStaffSession *self,
           const char       *id)
{
  change_staff (self, FORM_REMOVE_AMBASSADOR, id, NULL, NULL);
}

static void
show_staff_list (HircStaffSession *self)
{
  GtkWidget *page = hirc_staff_list_page_new ();

  g_signal_connect_swapped (page, "add", G_CALLBACK (add_cb), self);
  g_signal_connect_swapped (page, "change-pin", G_CALLBACK (change_pin_cb), self);
  g_signal_connect_swapped (page, "remove", G_CALLBACK (remove_cb), self);
  g_signal_connect_swapped (page, "change-admin-pin", G_CALLBACK (change_admin_pin_cb), self);
  g_signal_connect_swapped (page, "back", G_CALLBACK (show_dashboard), self);
  hirc_staff_list_page_set_message (HIRC_STAFF_LIST_PAGE (page), self->list_message);
  g_clear_pointer (&self->list_message, g_free);
  show (self, SCREEN_STAFF, page, _("Staff PINs"));
  run_job (self, job_new (self), FALSE, list_thread, list_done_cb);
}

static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (job->state_dir, &error);
  g_autofree char *id = NULL;
  gboolean done = FALSE;

  if (staff != NULL)
    switch (job->change)
      {
      case FORM_ADD_AMBASSADOR:
        id = hirc_staff_add_ambassador (staff, job->name, job->pin, &error);
        if ((done = id != NULL))
          record (job, job->actor, HIRC_AUDIT_AMBASSADOR_ADDED, id);
        break;
      case FORM_AMBASSADOR_PIN:
        if ((done = hirc_staff_set_ambassador_pin (staff, job->id, job->pin, &error)))
          record (job, job->actor, HIRC_AUDIT_AMBASSADOR_PIN_CHANGED, job->id);
        break;
      case FORM_ADMINISTRATOR_PIN:
        if ((done = hirc_staff_set_administrator_pin (staff, job->pin, &error)))
          record (job, job->actor, HIRC_AUDIT_ADMIN_PIN_CHANGED, NULL);
        break;
      case FORM_REMOVE_AMBASSADOR:
      default:
        if ((done = hirc_staff_remove_ambassador (staff, job->id, &error)))
          record (job, job->actor, HIRC_AUDIT_AMBASSADOR_REMOVED, job->id);
        break;
      }
  if (!done)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
change_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  const char *name = job->name != NULL ? job->name : ambassador_name (self, job->id);

  g_task_propagate_boolean (G_TASK (result), &error);
  if (!job_done (self, result))
    return;
  if (error != NULL)
    {
      if (self->screen == SCREEN_PIN_FORM)
        hirc_pin_form_page_show_error (HIRC_PIN_FORM_PAGE (self->page), error->message);
      else if (self->screen == SCREEN_STAFF)
        hirc_staff_list_page_set_message (HIRC_STAFF_LIST_PAGE (self->page), error->message);
      return;
    }

  g_free (self->list_message);
  switch (job->change)
    {
    case FORM_ADD_AMBASSADOR:
      /* Translators: %s is an ambassador's name. */
      self->list_message = g_strdup_printf (_("%s was added. They can sign in with their PIN "
                                              "now."), name);
      break;
    case FORM_AMBASSADOR_PIN:
      /* Translators: %s is an ambassador's name. */
      self->list_message = g_strdup_printf (_("The PIN of %s was changed."), name);
      break;
    case FORM_ADMINISTRATOR_PIN:
      self->list_message = g_strdup (_("The administrator PIN was changed."));
      break;
    case FORM_REMOVE_AMBASSADOR:
    default:
      /* Translators: %s is an ambassador's name. */
      self->list_message = g_strdup_printf (_("%s was removed."), name);
      break;
    }
  if (self->screen == SCREEN_PIN_FORM || self->screen == SCREEN_STAFF)
    show_staff_list (self);
}

/* Takes name and pin. */
static void
change_staff (HircStaffSession *self,
              Change            change,
              const char       *id,
              char             *name,
              char             *pin)
{
  Job *job = job_new (self);

  job->change = change;
  job->id = g_strdup (id);
  job->name = name;
  job->pin = pin;
  run_job (self, job, TRUE, change_thread, change_done_cb);
}

static void
pin_form_save_cb (HircStaffSession *self,
                  HircPinFormPage  *page)
{
  hirc_pin_form_page_set_busy (page, TRUE);
  change_staff (self, self->form_change, self->form_id, hirc_pin_form_page_dup_name (page),
                hirc_pin_form_page_take_pin (page));
}

static void
show_pin_form (HircStaffSession *self,
               Change            change,
               const char       *id)
{
  g_autofree char *heading = NULL;
  GtkWidget *page;

  switch (change)
    {
    case FORM_ADD_AMBASSADOR:
      heading = g_strdup (_("Add an ambassador"));
      break;
    case FORM_AMBASSADOR_PIN:
      /* Translators: a heading; %s is an ambassador's name. */
      heading = g_strdup_printf (_("Change the PIN of %s"), ambassador_name (self, id));
      break;
    case FORM_ADMINISTRATOR_PIN:
    case FORM_REMOVE_AMBASSADOR:
    default:
      heading = g_strdup (_("Change the administrator PIN"));
      break;
    }
  self->form_change = change;
  g_free (self->form_id);
  self->form_id = g_strdup (id);
  page = hirc_pin_form_page_new (heading, change == FORM_ADD_AMBASSADOR, hirc_staff_pin_problem);
  g_signal_connect_swapped (page, "save", G_CALLBACK (pin_form_save_cb), self);
  g_signal_connect_swapped (page, "cancel", G_CALLBACK (show_staff_list), self);
  show (self, SCREEN_PIN_FORM, page, heading);
}

/* The activity log. */

static void
log_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  g_autoptr(HircAudit) audit = hirc_audit_open (job->state_dir, &error);
  GPtrArray *entries = audit != NULL ? hirc_audit_list (audit, LOG_ENTRIES, &error) : NULL;

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
log_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) when = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) happened = g_ptr_array_new_with_free_func (g_free);

  if (!job_done (self, result) || self->screen != SCREEN_LOG)
    return;
  if (entries == NULL)
    {
      hirc_audit_log_page_set_error (HIRC_AUDIT_LOG_PAGE (self->page), error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const HircAuditEntry *entry = g_ptr_array_index (entries, i);
      char *time = format_time (entry->at);

      g_ptr_array_add (when, time != NULL ? time : g_strdup ("?"));
      g_ptr_array_add (happened, hirc_audit_describe (entry));
    }
  g_ptr_array_add (when, NULL);
  g_ptr_array_add (happened, NULL);
  hirc_audit_log_page_set_entries (HIRC_AUDIT_LOG_PAGE (self->page),
                                   (const char * const *) when->pdata,
                                   (const char * const *) happened->pdata);
}

static void
show_log (HircStaffSession *self)
{
  GtkWidget *page = hirc_audit_log_page_new ();

  g_signal_connect_swapped (page, "back", G_CALLBACK (show_dashboard), self);
  show (self, SCREEN_LOG, page, _("Activity log"));
  run_job (self, job_new (self), FALSE, log_thread, log_done_cb);
}


/* Setting the kiosk up again. */

static void
find_bundles_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Job *job = task_data;

  g_task_return_pointer (task, hirc_provision_find_bundles ((const char * const *) job->folders),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
find_bundles_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);

  if (!job_done (self, result) || self->screen != SCREEN_REPROVISION || self->reprovisioned)
    return;
  g_clear_pointer (&self->bundles, g_ptr_array_unref);
  self->bundles = g_steal_pointer (&found);
  for (guint i = 0; i < self->bundles->len; i++)
    {
      HircFoundBundle *bundle = g_ptr_array_index (self->bundles, i);
      g_autofree char *file = g_path_get_basename (bundle->path);

      g_ptr_array_add (titles, bundle->centre_name);
      g_ptr_array_add (details, g_strdup_printf ("%s \u00b7 %s", bundle->intake_url, file));
    }
  g_ptr_array_add (titles, NULL);
  g_ptr_array_add (details, NULL);
  hirc_reprovision_page_set_bundles (HIRC_REPROVISION_PAGE (self->page),
                                     (const char * const *) titles->pdata,
                                     (const char * const *) details->pdata);
}

static void
find_bundles (HircStaffSession *self)
{
  Job *job = job_new (self);

  job->folders = g_strdupv (self->config->bundle_folders);
  run_job (self, job, FALSE, find_bundles_thread, find_bundles_done_cb);
}

static void
bundle_chosen_cb (HircStaffSession *self,
                  guint             index)
{
  HircFoundBundle *bundle;
  g_autofree char *question = NULL;

  if (self->bundles == NULL || index >= self->bundles->len)
    return;
  self->chosen_bundle = index;
  bundle = g_ptr_array_index (self->bundles, index);
  question = g_strdup_printf (_("Set this kiosk up for %s? Its reports will then go to %s. The "
                                "old set-up cannot be brought back."),
                              bundle->centre_name, bundle->intake_url);
  hirc_reprovision_page_ask (HIRC_REPROVISION_PAGE (self->page), question);
  hirc_staff_session_note_activity (self);
}

typedef struct
{
  HircKioskConfig *config;      /* NULL when it failed */
  GError          *error;
  char            *failure_code;
  gboolean         restarted;
} Reprovisioned;

static void
reprovisioned_free (Reprovisioned *outcome)
{
  g_clear_pointer (&outcome->config, hirc_kiosk_config_free);
  g_clear_error (&outcome->error);
  g_free (outcome->failure_code);
  g_free (outcome);
}

static void
reprovision_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Job *job = task_data;
  Reprovisioned *outcome = g_new0 (Reprovisioned, 1);
  g_autoptr(GError) restart_error = NULL;

  outcome->config = hirc_provision_through_sync (job->state_dir, job->bundle_path,
                                                 &outcome->failure_code, &outcome->error);
  if (outcome->config != NULL)
    {
      record (job, job->actor, HIRC_AUDIT_REPROVISIONED, NULL);
      outcome->restarted = hirc_provision_restart_sync (job->state_dir,
                                                        outcome->config->device_id,
                                                        RESTART_TIMEOUT_MS, &restart_error);
      if (!outcome->restarted)
        g_warning ("staff: the sync service did not restart: %s", restart_error->message);
    }
  else
    g_message ("staff: setting the kiosk up again failed: %s", outcome->error->message);
  g_task_return_pointer (task, outcome, (GDestroyNotify) reprovisioned_free);
}

/* What went wrong, for the administrator, in the language on screen. */
static const char *
reprovision_failure_sentence (const Reprovisioned *outcome)
{
  const GError *error = outcome->error;

  if (g_error_matches (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_REPORTS_WAITING)
      || g_strcmp0 (outcome->failure_code, "reports-waiting") == 0)
    return _("Reports are still waiting to be sent, or were refused by the intake. Send them "
             "first, or ask the partnership about the refused ones, then set the kiosk up again.");
  if (g_error_matches (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_TOKEN_EXPIRED))
    return _("This provisioning bundle has expired. Ask the partnership for a new one.");
  if (g_error_matches (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_BAD_BUNDLE)
      || g_strcmp0 (outcome->failure_code, "invalid-bundle") == 0)
    return _("This file is not a provisioning bundle that the kiosk can use. Ask the "
             "partnership for a new one.");
  if (g_strcmp0 (outcome->failure_code, "rejected") == 0)
    return _("The intake refused to enrol this kiosk. The bundle may have been used already: "
             "ask the partnership for a new one.");
  if (outcome->failure_code != NULL && hirc_sync_error_code_sentence (outcome->failure_code))
    return sentence_for_code (outcome->failure_code, error->message);
  if (g_error_matches (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_NOT_RUNNING))
    return _("The sync service is not running, so nothing can be sent or tested. Restart "
             "the kiosk. If this keeps happening, call the partnership.");
  if (error->domain == HIRC_CONTROL_ERROR)
    return _("The sync service did not answer. Try again in a minute.");
  return _("The new set-up could not be saved, so the kiosk keeps its old one. Call the "
           "partnership.");
}

static void
reprovision_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (source);
  Reprovisioned *outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sentence = NULL;
  g_autofree char *device = NULL;
  g_autofree char *intake = NULL;

  if (!job_done (self, result) || self->screen != SCREEN_REPROVISION || outcome == NULL)
    {
      g_clear_pointer (&outcome, reprovisioned_free);
      return;
    }
  if (outcome->config == NULL)
    {
      hirc_reprovision_page_set_outcome (HIRC_REPROVISION_PAGE (self->page),
                                         reprovision_failure_sentence (outcome), NULL, FALSE);
      reprovisioned_free (outcome);
      return;
    }

  self->reprovisioned = TRUE;
  device = hirc_key_fingerprint (outcome->config->device_public);
  intake = hirc_key_fingerprint (outcome->config->intake_seal_public);
  sentence = g_strdup_printf (_("This kiosk is now set up for %s. Read these fingerprints to "
                                "the partnership by phone, and check that they match theirs, "
                                "before the kiosk takes reports."),
                              outcome->config->centre_name);
  g_ptr_array_add (lines, g_strdup_printf ("%s: %s", _("This kiosk's fingerprint"), device));
  g_ptr_array_add (lines, g_strdup_printf ("%s: %s", _("The intake's fingerprint"), intake));
  if (!outcome->restarted)
    g_ptr_array_add (lines, g_strdup (_("The sync service did not restart by itself. Restart "
                                        "the kiosk before it takes reports.")));
  g_ptr_array_add (lines, NULL);
  hirc_reprovision_page_set_outcome (HIRC_REPROVISION_PAGE (self->page), sentence,
                                     (const char * const *) lines->pdata, TRUE);
  reprovisioned_free (outcome);
}

static void
reprovision_confirm_cb (HircStaffSession *self)
{
  HircFoundBundle *bundle;
  Job *job;

  if (self->bundles == NULL || self->chosen_bundle >= self->bundles->len)
    return;
  bundle = g_ptr_array_index (self->bundles, self->chosen_bundle);
  job = job_new (self);
  job->bundle_path = g_strdup (bundle->path);
  hirc_reprovision_page_set_busy (HIRC_REPROVISION_PAGE (self->page),
                                  _("Setting the kiosk up again. This can take a minute…"));
  run_job (self, job, TRUE, reprovision_thread, reprovision_done_cb);
}

static void
reprovision_back_cb (HircStaffSession *self)
{
  /* Everything this session holds belongs to the old set-up: a fresh one starts. */
  if (self->reprovisioned)
    end_staff (self);
  else
    show_dashboard (self);
}

static void
show_reprovision (HircStaffSession *self)
{
  GtkWidget *page = hirc_reprovision_page_new ();

  g_signal_connect_swapped (page, "chosen", G_CALLBACK (bundle_chosen_cb), self);
  g_signal_connect_swapped (page, "look-again", G_CALLBACK (find_bundles), self);
  g_signal_connect_swapped (page, "confirm", G_CALLBACK (reprovision_confirm_cb), self);
  g_signal_connect_swapped (page, "back", G_CALLBACK (reprovision_back_cb), self);
  show (self, SCREEN_REPROVISION, page, _("Set this kiosk up again"));
  find_bundles (self);
}

/* Assisted mode. */

/* A tip for some of the journey's pages (hirc-journey-pages.c), for the ambassador. */
static const char *
tip_for_page (const char *page_id)
{
  static const struct { const char *page; const char *tip; } tips[] = {
    { "role", N_("Ask who it happened to. If they are reporting for someone else, the next "
                 "questions are about that person.") },
    { "description", N_("Type their words as they say them, then read them back so that they "
                        "can correct you.") },
    { "contact", N_("Tell them they can stay anonymous. If they want to be contacted, ask how "
                    "it is safe to reach them.") },
    { "consents", N_("These are their choices, not yours. Explain each one and let them "
                     "decide.") },
    { "assisted-received", N_("The next questions are for you, not the reporter.") },
    { "assisted-risk", N_("If someone is in danger now, stop and call 999.") },
    { "check", N_("Go through the answers together before you send the report.") },
    { "confirmation", N_("Give them the reference and tell them what happens next.") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tips); i++)
    if (g_strcmp0 (page_id, tips[i].page) == 0)
      return _(tips[i].tip);
  return NULL;
}

static void
idle_off_changed_cb (HircStaffSession *self)
{
  if (hirc_ambassador_panel_get_idle_timeout_off (HIRC_AMBASSADOR_PANEL (self->panel)))
    {
      g_message ("staff: %s switched the idle timeout off", self->member->id);
      record_later (self, HIRC_AUDIT_IDLE_TIMEOUT_OFF, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT_OFF]);
}

/* Made again when the language changes, keeping the switch as it was. */
static void
make_panel (HircStaffSession *self)
{
  gboolean off = hirc_staff_session_get_idle_timeout_off (self);

  if (self->panel != NULL)
    g_signal_handlers_disconnect_by_data (self->panel, self);
  g_clear_object (&self->panel);
  self->panel = g_object_ref_sink (hirc_ambassador_panel_new (self->member->name));
  hirc_ambassador_panel_set_idle_timeout_off (HIRC_AMBASSADOR_PANEL (self->panel), off);
  hirc_ambassador_panel_set_tip (HIRC_AMBASSADOR_PANEL (self->panel),
                                 tip_for_page (self->panel_page));
  g_signal_connect_swapped (self->panel, "notify::idle-timeout-off",
                            G_CALLBACK (idle_off_changed_cb), self);
  hirc_kiosk_window_set_aside (self->window, self->panel);
}

static void
start_assisted (HircStaffSession *self)
{
  drop_page (self);
  self->screen = SCREEN_ASSISTED;
  g_clear_handle_id (&self->idle_source, g_source_remove);
  make_panel (self);
  g_signal_emit (self, signals[SIGNAL_ASSISTED], 0, self->member->id);
}

/* Another language: the staff page on screen is made again in it. The journey, which knows
 * nothing of staff screens, has just put its start page up; this handler runs after its. */
static void
language_changed_cb (HircStaffSession *self)
{
  switch (self->screen)
    {
    case SCREEN_SIGN_IN:
      show_sign_in (self);
      break;
    case SCREEN_DASHBOARD:
      show_dashboard (self);
      break;
    case SCREEN_STAFF:
    case SCREEN_PIN_FORM:
      show_staff_list (self);
      break;
    case SCREEN_LOG:
      show_log (self);
      break;
    case SCREEN_ASSISTED:
      make_panel (self);
      break;
    case SCREEN_NONE:
    default:
      break;
    }
}

/* The object. */

static void
hirc_staff_session_dispose (GObject *object)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_object (&self->page);
  if (self->panel != NULL)
    g_signal_handlers_disconnect_by_data (self->panel, self);
  g_clear_object (&self->panel);

  G_OBJECT_CLASS (hirc_staff_session_parent_class)->dispose (object);
}

static void
hirc_staff_session_finalize (GObject *object)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (object);

  g_free (self->state_dir);
  g_clear_pointer (&self->member, hirc_staff_member_free);
  g_free (self->panel_page);
  g_clear_pointer (&self->ambassadors, g_ptr_array_unref);
  g_free (self->form_id);
  g_free (self->list_message);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hirc_staff_session_parent_class)->finalize (object);
}

static void
hirc_staff_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HircStaffSession *self = HIRC_STAFF_SESSION (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT_OFF:
      g_value_set_boolean (value, hirc_staff_session_get_idle_timeout_off (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_staff_session_class_init (HircStaffSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hirc_staff_session_dispose;
  object_class->finalize = hirc_staff_session_finalize;
  object_class->get_property = hirc_staff_session_get_property;

  properties[PROP_IDLE_TIMEOUT_OFF] =
    g_param_spec_boolean ("idle-timeout-off", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_ASSISTED] =
    g_signal_new ("assisted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_END] =
    g_signal_new ("end", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_IDLE] =
    g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
hirc_staff_session_init (HircStaffSession *self)
{
  self->cancellable = g_cancellable_new ();
}

HircStaffSession *
hirc_staff_session_new (HircKioskWindow       *window,
                        const HircKioskConfig *config)
{
  HircStaffSession *self;

  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (window), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (HIRC_TYPE_STAFF_SESSION, NULL);
  self->window = window;
  self->config = config;
  self->state_dir = g_strdup (config->state_dir);
  g_signal_connect_object (window, "notify::language", G_CALLBACK (language_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
hirc_staff_session_sign_in (HircStaffSession *self)
{
  g_return_if_fail (HIRC_IS_STAFF_SESSION (self));

  if (self->ended || self->screen != SCREEN_NONE)
    return;
  g_message ("staff: sign-in");
  show_sign_in (self);
}

void
hirc_staff_session_note_activity (HircStaffSession *self)
{
  g_return_if_fail (HIRC_IS_STAFF_SESSION (self));

  if (self->ended || self->screen == SCREEN_NONE || self->screen == SCREEN_ASSISTED)
    return;
  self->last_activity = g_get_monotonic_time ();
  if (self->idle_source == 0)
    self->idle_source = g_timeout_add_seconds (self->config->staff_idle_timeout_seconds,
                                               idle_expired_cb, self);
}

void
hirc_staff_session_page_shown (HircStaffSession *self,
                               const char       *page_id)
{
  g_return_if_fail (HIRC_IS_STAFF_SESSION (self));

  if (self->screen != SCREEN_ASSISTED)
    return;
  g_free (self->panel_page);
  self->panel_page = g_strdup (page_id);
  hirc_ambassador_panel_set_tip (HIRC_AMBASSADOR_PANEL (self->panel), tip_for_page (page_id));
  /* The confirmation is shown again in another language; the report was saved once. */
  if (g_strcmp0 (page_id, "confirmation") == 0 && !self->assisted_saved)
    {
      self->assisted_saved = TRUE;
      record_later (self, HIRC_AUDIT_ASSISTED_REPORT_SAVED, NULL);
    }
}

gboolean
hirc_staff_session_get_idle_timeout_off (HircStaffSession *self)
{
  g_return_val_if_fail (HIRC_IS_STAFF_SESSION (self), FALSE);

  return self->screen == SCREEN_ASSISTED && self->panel != NULL
         && hirc_ambassador_panel_get_idle_timeout_off (HIRC_AMBASSADOR_PANEL (self->panel));
}

void
hirc_staff_session_end (HircStaffSession *self)
{
  g_return_if_fail (HIRC_IS_STAFF_SESSION (self));

  if (self->ended)
    return;
  if (self->member != NULL)
    record_later (self, HIRC_AUDIT_STAFF_SIGNED_OUT, NULL);
  /* Set after, so that the sign-out is still recorded; callbacks from now on only count. */
  self->ended = TRUE;
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_pointer (&self->member, hirc_staff_member_free);
}

gboolean
hirc_staff_session_changed_setup (HircStaffSession *self)
{
  g_return_val_if_fail (HIRC_IS_STAFF_SESSION (self), FALSE);

  return self->reprovisioned;
}

gboolean
hirc_staff_session_is_busy (HircStaffSession *self)
{
  g_return_val_if_fail (HIRC_IS_STAFF_SESSION (self), FALSE);

  return self->pending_writes > 0;
}
