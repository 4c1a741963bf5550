/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-app.c: one reporter's session. The process shows the start page, runs the journey,
 * and ends after Finish, "Leave now" or the idle timeout: the screen turns neutral in the next
 * frame, the report is wiped, and the process exits so that nothing of the reporter is left in
 * any heap. The supervisor (hirc-supervisor.c) has the next session ready by then. Staff sign
 * in within a session (hirc-staff-session.c), so signing in ends with it; a staff member signing
 * out, or leaving staff screens idle, ends it the same way.
 *
 * With a supervisor, the session talks to it over a socket, one word per line:
 *   session → supervisor: "ready" (the first frame is on screen), "end" (the session is over
 *                          and the screen is neutral), "stale" (sent before "end" when the kiosk
 *                          was set up again: the standby holds the old set-up)
 *   supervisor → session: "show" (a standby session presents its window), "exit" (the next
 *                          session is on screen: quit now)
 *
 * With HIRC_TIMING=1 in the environment, it prints "hirc-timing: first-frame T" and
 * "hirc-timing: leave T" on standard error, T being CLOCK_MONOTONIC in microseconds, for the
 * start and reset benchmarks. */

#include "config.h"

#include "hirc-kiosk-app.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hirc-journey.h"
#include "hirc-kiosk-config.h"
#include "hirc-read-aloud.h"
#include "hirc-staff-session.h"
#include "hirc-submit.h"
#include "hirc-taxonomy.h"
#include "hirc-ui.h"
#include "hirc-ui-language.h"

/* How long an ended session waits for the supervisor to put the next one on screen before it
 * quits anyway. */
#define EXIT_WAIT_MS 3000

struct _HircKioskApp
{
  GtkApplication     parent_instance;

  HircKioskOptions   options;

  /* Owned. */
  HircKioskConfig   *config;
  HircTaxonomy      *taxonomy;
  HircSubmitter     *submitter;
  HircJourney       *journey;
  HircReadAloud     *read_aloud;
  HircStaffSession  *staff;
  GIOStream         *supervisor;
  GDataInputStream  *supervisor_input;
  GCancellable      *cancellable;

  /* Borrowed: the application holds the window. */
  HircKioskWindow   *window;
  GdkFrameClock     *frame_clock;

  gulong             after_paint_id;
  gboolean           first_frame_seen;
  gboolean           presented;

  /* The idle clock: only runs while there is something of the reporter's to protect. */
  gint64             last_activity;
  guint              idle_source;
  guint              countdown_source;
  gint64             countdown_deadline;

  /* Ending: the neutral frame must be on screen and any save finished before "end". */
  gboolean           ending;
  gboolean           neutral_painted;
  gboolean           end_sent;
  guint              exit_wait_source;
};

G_DEFINE_FINAL_TYPE (HircKioskApp, hirc_kiosk_app, GTK_TYPE_APPLICATION)

static gboolean
timing_enabled (void)
{
  return g_strcmp0 (g_getenv ("HIRC_TIMING"), "1") == 0;
}

static void
print_timing (const char *event)
{
  if (timing_enabled ())
    g_printerr ("hirc-timing: %s %" G_GINT64_FORMAT "\n", event, g_get_monotonic_time ());
}

/* The supervisor. */

static void
tell_supervisor (HircKioskApp *self,
                 const char   *word)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (word, "\n", NULL);

  if (self->supervisor == NULL)
    return;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (self->supervisor), line,
                                  strlen (line), NULL, NULL, &error))
    g_warning ("session: cannot tell the supervisor \"%s\": %s", word, error->message);
}

static void present_window (HircKioskApp *self);

static void
quit (HircKioskApp *self)
{
  g_clear_handle_id (&self->exit_wait_source, g_source_remove);
  g_application_quit (G_APPLICATION (self));
}

static gboolean
exit_wait_expired_cb (gpointer user_data)
{
  HircKioskApp *self = user_data;

  self->exit_wait_source = 0;
  g_message ("session: the supervisor did not answer; quitting");
  quit (self);
  return G_SOURCE_REMOVE;
}

static void read_supervisor (HircKioskApp *self);

static void
supervisor_line_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  HircKioskApp *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      /* The supervisor is gone. A standby has no reason to exist without it; a reporter in
       * the middle of a report keeps going, and the session ends as it would on its own. */
      g_clear_object (&self->supervisor);
      g_clear_object (&self->supervisor_input);
      if (!self->presented || self->end_sent)
        quit (self);
      return;
    }

  if (g_str_equal (line, "show"))
    present_window (self);
  else if (g_str_equal (line, "exit"))
    {
      quit (self);
      return;
    }
  else
    g_warning ("session: unknown word from the supervisor: \"%s\"", line);
  read_supervisor (self);
}

static void
read_supervisor (HircKioskApp *self)
{
  if (self->supervisor_input == NULL)
    return;
  g_data_input_stream_read_line_async (self->supervisor_input, G_PRIORITY_DEFAULT,
                                       self->cancellable, supervisor_line_cb, self);
}

static void
connect_supervisor (HircKioskApp *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;

  if (self->options.supervisor_fd < 0)
    return;
  socket = g_socket_new_from_fd (self->options.supervisor_fd, &error);
  if (socket == NULL)
    {
      g_warning ("session: the supervisor's channel (fd %d) is not a socket: %s",
                 self->options.supervisor_fd, error->message);
      return;
    }
  self->supervisor = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  self->supervisor_input =
    g_data_input_stream_new (g_io_stream_get_input_stream (self->supervisor));
  read_supervisor (self);
}

/* Ending. */

static void
maybe_send_end (HircKioskApp *self)
{
  if (self->end_sent || !self->neutral_painted
      || (self->journey != NULL && hirc_journey_is_saving (self->journey))
      || (self->staff != NULL && hirc_staff_session_is_busy (self->staff)))
    return;
  self->end_sent = TRUE;
  g_message ("session: over");
  if (self->supervisor == NULL)
    {
      quit (self);
      return;
    }
  if (self->staff != NULL && hirc_staff_session_changed_setup (self->staff))
    tell_supervisor (self, "stale");
  tell_supervisor (self, "end");
  self->exit_wait_source = g_timeout_add (EXIT_WAIT_MS, exit_wait_expired_cb, self);
}

static void
stop_idle_clock (HircKioskApp *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
}

static void
end_session (HircKioskApp *self)
{
  if (self->ending)
    return;
  self->ending = TRUE;
  stop_idle_clock (self);
  /* The neutral screen goes up in the very next frame, before anything else is done. */
  hirc_kiosk_window_show_neutral (self->window);
  gtk_widget_queue_draw (GTK_WIDGET (self->window));
  hirc_read_aloud_reset (self->read_aloud);
  if (self->journey != NULL)
    hirc_journey_wipe (self->journey);
  /* Signing in lasts no longer than the session. */
  if (self->staff != NULL)
    hirc_staff_session_end (self->staff);
  if (!self->presented)
    self->neutral_painted = TRUE;
  maybe_send_end (self);
}

static void
leave_cb (HircKioskApp *self)
{
  print_timing ("leave");
  end_session (self);
}

static void
save_done_cb (HircKioskApp *self)
{
  if (self->ending)
    maybe_send_end (self);
}

/* The idle clock: one timeout at the moment the reporter would have been idle for the
 * configured time, moved on lazily, so that nothing ticks while the kiosk waits. */

static gboolean idle_check_cb (gpointer user_data);

static void
arm_idle_clock (HircKioskApp *self,
                gint64        delay_us)
{
  guint delay_ms = (guint) MIN ((delay_us + 999) / 1000, (gint64) G_MAXUINT);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  self->idle_source = g_timeout_add (delay_ms, idle_check_cb, self);
}

static void
note_activity (HircKioskApp *self)
{
  if (self->ending || self->journey == NULL || !hirc_journey_is_active (self->journey))
    return;
  /* An ambassador taking the report switched the idle timeout off. */
  if (self->staff != NULL && hirc_staff_session_get_idle_timeout_off (self->staff))
    return;
  /* The warning asks for the button: a stray touch must not make it vanish unread. */
  if (hirc_kiosk_window_get_idle_warning_shown (self->window))
    return;
  self->last_activity = g_get_monotonic_time ();
  if (self->idle_source == 0)
    arm_idle_clock (self, (gint64) self->config->idle_timeout_seconds * G_USEC_PER_SEC);
}

static guint
countdown_seconds_left (HircKioskApp *self)
{
  gint64 left = self->countdown_deadline - g_get_monotonic_time ();

  return left <= 0 ? 0 : (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  HircKioskApp *self = user_data;
  guint left = countdown_seconds_left (self);

  hirc_idle_warning_set_seconds_left (hirc_kiosk_window_get_idle_warning (self->window), left);
  if (left > 0)
    return G_SOURCE_CONTINUE;
  self->countdown_source = 0;
  g_message ("session: nobody answered \"Are you still there?\"; wiping");
  end_session (self);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_check_cb (gpointer user_data)
{
  HircKioskApp *self = user_data;
  gint64 idle_for = g_get_monotonic_time () - self->last_activity;
  gint64 timeout = (gint64) self->config->idle_timeout_seconds * G_USEC_PER_SEC;

  self->idle_source = 0;
  if (self->ending || !hirc_journey_is_active (self->journey)
      || hirc_staff_session_get_idle_timeout_off (self->staff))
    return G_SOURCE_REMOVE;
  if (idle_for < timeout)
    {
      arm_idle_clock (self, timeout - idle_for);
      return G_SOURCE_REMOVE;
    }
  /* A report being saved is never wiped mid-way; the warning waits for the save. */
  if (hirc_journey_is_saving (self->journey))
    {
      arm_idle_clock (self, G_USEC_PER_SEC);
      return G_SOURCE_REMOVE;
    }

  self->countdown_deadline = g_get_monotonic_time ()
                             + (gint64) self->config->idle_countdown_seconds * G_USEC_PER_SEC;
  hirc_idle_warning_set_seconds_left (hirc_kiosk_window_get_idle_warning (self->window),
                                      countdown_seconds_left (self));
  hirc_kiosk_window_show_idle_warning (self->window);
  self->countdown_source = g_timeout_add (250, countdown_tick_cb, self);
  return G_SOURCE_REMOVE;
}

static void
more_time_cb (HircKioskApp *self)
{
  if (self->ending)
    return;
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  hirc_kiosk_window_hide_idle_warning (self->window);
  note_activity (self);
}

/* The ambassador switched the idle timeout off, or on again. */
static void
idle_timeout_off_cb (HircKioskApp *self)
{
  if (self->ending)
    return;
  if (!hirc_staff_session_get_idle_timeout_off (self->staff))
    {
      note_activity (self);
      return;
    }
  stop_idle_clock (self);
  if (hirc_kiosk_window_get_idle_warning_shown (self->window))
    hirc_kiosk_window_hide_idle_warning (self->window);
}

static gboolean
input_event_cb (GtkEventControllerLegacy *controller,
                GdkEvent                 *event,
                gpointer                  user_data)
{
  HircKioskApp *self = user_data;

  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
    case GDK_MOTION_NOTIFY:
      note_activity (self);
      if (self->staff != NULL)
        hirc_staff_session_note_activity (self->staff);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* The window. */

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  HircKioskApp *self = user_data;

  if (!self->first_frame_seen)
    {
      self->first_frame_seen = TRUE;
      print_timing ("first-frame");
      tell_supervisor (self, "ready");
    }
  if (self->ending && !self->neutral_painted)
    {
      self->neutral_painted = TRUE;
      maybe_send_end (self);
    }
  if (self->first_frame_seen && self->neutral_painted)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
}

static void
fit_to_monitor (HircKioskApp *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self->window));
  GListModel *monitors = gdk_display_get_monitors (display);
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  /* Without a window manager (a bare X server, a test) full screen is only a wish; sizing the
   * window to the monitor makes it true anyway. */
  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (GTK_WINDOW (self->window), geometry.width, geometry.height);
}

static void
present_window (HircKioskApp *self)
{
  if (self->presented || self->window == NULL)
    return;
  self->presented = TRUE;
  gtk_window_present (GTK_WINDOW (self->window));
}

static void
window_realize_cb (HircKioskApp *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self->window));

  self->frame_clock = gdk_surface_get_frame_clock (surface);
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
}

static char *
taxonomy_path (HircKioskApp *self)
{
  g_autofree char *in_state = NULL;

  if (self->options.taxonomy_path != NULL)
    return g_strdup (self->options.taxonomy_path);
  in_state = g_build_filename (self->options.state_dir, "taxonomy.json", NULL);
  if (g_file_test (in_state, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&in_state);
  return NULL;
}

/* Loads what a journey needs; on failure the window asks the reporter to fetch staff, and the
 * log says what is wrong, never a crash. */
static gboolean
load_kiosk (HircKioskApp  *self,
            GError       **error)
{
  g_autofree char *path = NULL;

  self->config = hirc_kiosk_config_load (self->options.state_dir, error);
  if (self->config == NULL)
    return FALSE;
  path = taxonomy_path (self);
  self->taxonomy = path != NULL ? hirc_taxonomy_load (path, error) : hirc_taxonomy_new_default ();
  if (self->taxonomy == NULL)
    return FALSE;
  self->submitter = hirc_submitter_new (self->options.state_dir, error);
  return self->submitter != NULL;
}

static void
hirc_kiosk_app_startup (GApplication *application)
{
  G_APPLICATION_CLASS (hirc_kiosk_app_parent_class)->startup (application);

  hirc_ui_init ();
  hirc_ui_init_theme (gdk_display_get_default ());
  /* Whatever language the kiosk was started in, every session begins in the default one, with
   * the matching direction; text size and contrast begin at their defaults with the window. */
  hirc_ui_language_apply (HIRC_UI_LANGUAGE_DEFAULT);
}

static void
hirc_kiosk_app_activate (GApplication *application)
{
  HircKioskApp *self = HIRC_KIOSK_APP (application);
  g_autoptr(GError) error = NULL;
  GtkEventController *controller;

  if (self->window != NULL)
    return;

  self->window = HIRC_KIOSK_WINDOW (hirc_kiosk_window_new (GTK_APPLICATION (self)));
  g_signal_connect_swapped (self->window, "realize", G_CALLBACK (window_realize_cb), self);
  g_signal_connect_swapped (self->window, "leave", G_CALLBACK (leave_cb), self);
  g_signal_connect_swapped (self->window, "more-time", G_CALLBACK (more_time_cb), self);
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (input_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->window), controller);
  /* One speaker for the session, for every page the window shows. */
  self->read_aloud = hirc_read_aloud_new ();
  hirc_read_aloud_attach (self->read_aloud, self->window);

  if (self->options.windowed)
    gtk_window_set_default_size (GTK_WINDOW (self->window), self->options.window_width,
                                 self->options.window_height);
  else
    {
      fit_to_monitor (self);
      gtk_window_fullscreen (GTK_WINDOW (self->window));
    }

  if (load_kiosk (self, &error))
    {
      hirc_kiosk_window_set_centre_name (self->window, self->config->centre_name);
      self->journey = hirc_journey_new (self->window, self->taxonomy, self->submitter,
                                        self->options.state_dir);
      g_signal_connect_swapped (self->journey, "activity", G_CALLBACK (note_activity), self);
      /* Choosing, typing or moving to another page stops the reading. */
      g_signal_connect_swapped (self->journey, "activity", G_CALLBACK (hirc_read_aloud_stop),
                                self->read_aloud);
      hirc_read_aloud_set_private_output_device (self->read_aloud,
                                                 self->config->speech_private_output);
      g_signal_connect_swapped (self->journey, "finished", G_CALLBACK (end_session), self);
      g_signal_connect_swapped (self->journey, "save-done", G_CALLBACK (save_done_cb), self);
      /* Staff sign in from the start page, in this same session: signing in ends with it. */
      self->staff = hirc_staff_session_new (self->window, self->config);
      g_signal_connect_swapped (self->journey, "staff", G_CALLBACK (hirc_staff_session_sign_in),
                                self->staff);
      g_signal_connect_swapped (self->journey, "page-shown",
                                G_CALLBACK (hirc_staff_session_page_shown), self->staff);
      g_signal_connect_swapped (self->staff, "cancel", G_CALLBACK (hirc_journey_start),
                                self->journey);
      g_signal_connect_swapped (self->staff, "assisted",
                                G_CALLBACK (hirc_journey_begin_assisted), self->journey);
      g_signal_connect_swapped (self->staff, "end", G_CALLBACK (end_session), self);
      g_signal_connect_swapped (self->staff, "idle", G_CALLBACK (save_done_cb), self);
      g_signal_connect_swapped (self->staff, "notify::idle-timeout-off",
                                G_CALLBACK (idle_timeout_off_cb), self);
      hirc_journey_start (self->journey);
    }
  else if (g_error_matches (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_NOT_PROVISIONED))
    {
      g_message ("session: this kiosk is not provisioned yet (%s); provision it with "
                 "\"hirc-kiosk --state-dir %s --provision BUNDLE\" and restart hirc-kiosk",
                 error->message, self->options.state_dir);
      hirc_kiosk_window_show_not_set_up (self->window);
    }
  else
    {
      g_warning ("session: the kiosk cannot take reports: %s", error->message);
      hirc_kiosk_window_show_not_set_up (self->window);
    }

  connect_supervisor (self);
  if (self->options.standby)
    /* Everything but mapping is done now, so that showing it later costs only a frame. */
    gtk_widget_realize (GTK_WIDGET (self->window));
  else
    present_window (self);
}

static void
hirc_kiosk_app_shutdown (GApplication *application)
{
  HircKioskApp *self = HIRC_KIOSK_APP (application);

  stop_idle_clock (self);
  g_clear_handle_id (&self->exit_wait_source, g_source_remove);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_cancellable_cancel (self->cancellable);
  /* espeak-ng is a child process: it would go on speaking after this one ends. */
  if (self->read_aloud != NULL)
    hirc_read_aloud_reset (self->read_aloud);
  if (self->journey != NULL && !hirc_journey_is_saving (self->journey))
    hirc_journey_wipe (self->journey);

  G_APPLICATION_CLASS (hirc_kiosk_app_parent_class)->shutdown (application);
}

static void
hirc_kiosk_app_dispose (GObject *object)
{
  HircKioskApp *self = HIRC_KIOSK_APP (object);

  g_clear_object (&self->staff);
  g_clear_object (&self->journey);
  g_clear_object (&self->read_aloud);
  g_clear_object (&self->supervisor_input);
  g_clear_object (&self->supervisor);

  G_OBJECT_CLASS (hirc_kiosk_app_parent_class)->dispose (object);
}

static void
hirc_kiosk_app_finalize (GObject *object)
{
  HircKioskApp *self = HIRC_KIOSK_APP (object);

  g_clear_pointer (&self->submitter, hirc_submitter_free);
  g_clear_pointer (&self->taxonomy, hirc_taxonomy_free);
  g_clear_pointer (&self->config, hirc_kiosk_config_free);
  g_clear_object (&self->cancellable);
  hirc_kiosk_options_clear (&self->options);

  G_OBJECT_CLASS (hirc_kiosk_app_parent_class)->finalize (object);
}

static void
hirc_kiosk_app_class_init (HircKioskAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hirc_kiosk_app_dispose;
  object_class->finalize = hirc_kiosk_app_finalize;
  application_class->startup = hirc_kiosk_app_startup;
  application_class->activate = hirc_kiosk_app_activate;
  application_class->shutdown = hirc_kiosk_app_shutdown;
}

static void
hirc_kiosk_app_init (HircKioskApp *self)
{
  self->cancellable = g_cancellable_new ();
}

int
hirc_kiosk_app_run (const HircKioskOptions *options)
{
  g_autoptr(HircKioskApp) self = NULL;
  char *argv[] = { (char *) "hirc-kiosk", NULL };

  /* The kiosk shows text and flat shapes: the cairo renderer draws them as well as GL and
   * starts in about half the time with about half the memory, which matters with a standby
   * session always waiting beside the one on screen. A GSK_RENDERER from the environment
   * still wins. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* The reporter's language is switched through LANGUAGE (hirc-ui-language.c); setting it now,
   * before any thread starts, makes every later switch the replacement of a value in place. */
  g_setenv ("LANGUAGE", HIRC_UI_LANGUAGE_DEFAULT, TRUE);

  /* Two sessions (the one on screen and the standby) run side by side: neither may take the
   * application id for itself. */
  self = g_object_new (HIRC_TYPE_KIOSK_APP,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
  self->options.state_dir = g_strdup (options->state_dir);
  self->options.taxonomy_path = g_strdup (options->taxonomy_path);
  self->options.windowed = options->windowed;
  self->options.window_width = options->window_width;
  self->options.window_height = options->window_height;
  self->options.session = TRUE;
  self->options.standby = options->standby;
  self->options.supervisor_fd = options->supervisor_fd;
  g_set_prgname ("hirc-kiosk");
  return g_application_run (G_APPLICATION (self), 1, argv);
}
