/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-supervisor.c: hirc-kiosk's long-lived process. Each reporter gets a fresh window process
 * (hirc-kiosk --session) that exits when they are done, so that nothing of theirs survives in
 * any heap; this process never sees a report. To make the change instant, it keeps a standby
 * session started but hidden, and tells it to show itself the moment the one on screen ends;
 * the old one exits once the new one has painted, so the screen is never empty. A session that
 * crashes is replaced after a delay that grows while crashes repeat. The channel to each
 * session is described in hirc-kiosk-app.c. */

#include "config.h"

#include "hirc-supervisor.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The first restart after a crash waits this long, doubling up to the maximum while crashes
 * follow each other; a session that ends normally resets it. */
#define RESTART_DELAY_MS 1000
#define RESTART_DELAY_MAX_MS 30000
/* How long children get to exit after SIGTERM before they are killed. */
#define STOP_GRACE_MS 5000
#define CHILD_FD 3

typedef struct _Supervisor Supervisor;

typedef struct
{
  Supervisor       *supervisor;
  guint             number;
  GPid              pid;
  guint             watch;
  GIOStream        *channel;
  GDataInputStream *input;
  GCancellable     *cancellable;
  gboolean          standby;  /* started hidden and not yet told to show */
  gboolean          ready;    /* has painted its first frame */
  gboolean          ending;   /* said "end": its reporter is done */
} Child;

struct _Supervisor
{
  const HircKioskOptions *options;
  char                   *executable;
  GMainLoop              *loop;
  Child                  *active;    /* on screen, or about to be */
  Child                  *standby;
  GPtrArray              *children;  /* every child still running, owned */
  guint                   next_number;
  guint                   crashes;
  guint                   restart_source;
  guint                   stop_source;
  gboolean                stopping;
};

static void child_read (Child *child);
static void schedule_restart (Supervisor *self);

static void
child_free (gpointer data)
{
  Child *child = data;

  /* A read still pending must not call back into a freed child. */
  g_cancellable_cancel (child->cancellable);
  g_clear_handle_id (&child->watch, g_source_remove);
  g_clear_object (&child->cancellable);
  g_clear_object (&child->input);
  g_clear_object (&child->channel);
  g_free (child);
}

static void
child_say (Child      *child,
           const char *word)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (word, "\n", NULL);

  if (child->channel == NULL)
    return;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (child->channel), line,
                                  strlen (line), NULL, NULL, &error))
    g_message ("supervisor: cannot tell session %u \"%s\": %s", child->number, word,
               error->message);
}

static void child_exited_cb (GPid     pid,
                             int      wait_status,
                             gpointer user_data);

/* Takes charge of a session process and of the supervisor's end of its channel. */
static Child *
adopt_child (Supervisor *self,
             GPid        pid,
             int         fd,
             gboolean    standby)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  Child *child = g_new0 (Child, 1);

  child->supervisor = self;
  child->number = ++self->next_number;
  child->pid = pid;
  child->standby = standby;
  child->cancellable = g_cancellable_new ();

  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      g_warning ("supervisor: cannot use session %u's channel: %s", child->number,
                 error->message);
      close (fd);
    }
  else
    {
      child->channel = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
      child->input = g_data_input_stream_new (g_io_stream_get_input_stream (child->channel));
      child_read (child);
    }

  g_ptr_array_add (self->children, child);
  child->watch = g_child_watch_add (pid, child_exited_cb, child);
  g_message ("supervisor: session %u%s is pid %d", child->number,
             standby ? " (on standby)" : "", pid);
  return child;
}

static Child *
spawn_child (Supervisor *self,
             gboolean    standby)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) passed_on = hirc_kiosk_options_to_argv (self->options);
  g_autoptr(GError) error = NULL;
  const int target_fds[] = { CHILD_FD };
  GPid pid;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      g_warning ("supervisor: cannot make a channel for a session: %s", g_strerror (errno));
      schedule_restart (self);
      return NULL;
    }

  g_ptr_array_add (argv, g_strdup (self->executable));
  g_ptr_array_add (argv, g_strdup ("--session"));
  g_ptr_array_add (argv, g_strdup_printf ("--supervisor-fd=%d", CHILD_FD));
  if (standby)
    g_ptr_array_add (argv, g_strdup ("--standby"));
  for (guint i = 0; passed_on[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (passed_on[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv->pdata, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, -1, -1, -1,
                                         &fds[1], target_fds, 1, &pid, NULL, NULL, NULL,
                                         &error))
    {
      g_warning ("supervisor: cannot start a session: %s", error->message);
      close (fds[0]);
      close (fds[1]);
      schedule_restart (self);
      return NULL;
    }
  close (fds[1]);
  return adopt_child (self, pid, fds[0], standby);
}

/* The standby, if there is one, goes on screen; otherwise a new session is started shown. */
static void
bring_on_next (Supervisor *self)
{
  if (self->stopping)
    return;
  if (self->standby != NULL)
    {
      self->active = g_steal_pointer (&self->standby);
      self->active->standby = FALSE;
      child_say (self->active, "show");
      return;
    }
  self->active = spawn_child (self, FALSE);
}

static gboolean
restart_cb (gpointer user_data)
{
  Supervisor *self = user_data;

  self->restart_source = 0;
  if (self->active == NULL)
    bring_on_next (self);
  else if (self->standby == NULL && self->active->ready)
    self->standby = spawn_child (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_restart (Supervisor *self)
{
  guint delay = RESTART_DELAY_MS;

  if (self->stopping || self->restart_source != 0)
    return;
  for (guint i = 1; i < self->crashes && delay < RESTART_DELAY_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, RESTART_DELAY_MAX_MS);
  self->restart_source = g_timeout_add (delay, restart_cb, self);
}

static void
child_said (Child      *child,
            const char *word)
{
  Supervisor *self = child->supervisor;

  if (g_str_equal (word, "ready"))
    {
      child->ready = TRUE;
      if (child != self->active)
        return;
      /* The new session is on screen: the old ones may go, and the next one can get ready in
       * the background now that it no longer competes with this one's start. */
      for (guint i = 0; i < self->children->len; i++)
        {
          Child *other = g_ptr_array_index (self->children, i);

          if (other->ending)
            child_say (other, "exit");
        }
      if (self->standby == NULL && !self->stopping && self->restart_source == 0)
        self->standby = spawn_child (self, TRUE);
    }
  else if (g_str_equal (word, "stale"))
    {
      /* It would seal reports for the old intake with the old key: a fresh one comes on
       * instead, and its own standby after it. */
      if (self->standby != NULL)
        {
          Child *old = g_steal_pointer (&self->standby);

          g_message ("supervisor: the set-up changed; session %u on standby goes", old->number);
          old->ending = TRUE;
          child_say (old, "exit");
        }
    }
  else if (g_str_equal (word, "end"))
    {
      child->ending = TRUE;
      if (child != self->active)
        return;
      self->active = NULL;
      self->crashes = 0;
      bring_on_next (self);
    }
  else
    g_message ("supervisor: unknown word from session %u: \"%s\"", child->number, word);
}

static void
child_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  /* At the end of the stream or when cancelled, child may already be freed. */
  if (line == NULL)
    return;
  child_said (child, line);
  child_read (child);
}

static void
child_read (Child *child)
{
  g_data_input_stream_read_line_async (child->input, G_PRIORITY_DEFAULT, child->cancellable,
                                       child_line_cb, child);
}

static void
child_exited_cb (GPid     pid,
                 int      wait_status,
                 gpointer user_data)
{
  Child *child = user_data;
  Supervisor *self = child->supervisor;
  gboolean was_active = child == self->active;
  gboolean was_standby = child == self->standby;
  gboolean normal = WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0;

  g_spawn_close_pid (pid);
  /* The watch source ends with this call. */
  child->watch = 0;

  if (WIFSIGNALED (wait_status))
    g_log_structured (G_LOG_DOMAIN, self->stopping ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_WARNING,
                      "MESSAGE", "supervisor: session %u was killed by signal %d",
                      child->number, WTERMSIG (wait_status));
  else if (!normal)
    g_warning ("supervisor: session %u exited with status %d", child->number,
               WEXITSTATUS (wait_status));

  if (was_active)
    self->active = NULL;
  if (was_standby)
    self->standby = NULL;
  g_ptr_array_remove (self->children, child);

  if (self->stopping)
    {
      if (self->children->len == 0)
        g_main_loop_quit (self->loop);
      return;
    }

  /* The one on screen went without saying "end": if it exited cleanly (its window was closed)
   * the next one comes on at once; after a crash, only after a delay. */
  if (was_active && normal)
    bring_on_next (self);
  else if (was_active || was_standby)
    {
      self->crashes++;
      schedule_restart (self);
    }
}

static gboolean
force_stop_cb (gpointer user_data)
{
  Supervisor *self = user_data;

  self->stop_source = 0;
  for (guint i = 0; i < self->children->len; i++)
    kill (((Child *) g_ptr_array_index (self->children, i))->pid, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Supervisor *self = user_data;

  if (self->stopping)
    return G_SOURCE_CONTINUE;
  g_message ("supervisor: stopping");
  self->stopping = TRUE;
  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (self->children->len == 0)
    {
      g_main_loop_quit (self->loop);
      return G_SOURCE_CONTINUE;
    }
  for (guint i = 0; i < self->children->len; i++)
    kill (((Child *) g_ptr_array_index (self->children, i))->pid, SIGTERM);
  self->stop_source = g_timeout_add (STOP_GRACE_MS, force_stop_cb, self);
  return G_SOURCE_CONTINUE;
}

int
hirc_supervisor_run (const HircKioskOptions *options,
                     GPid                    first_pid,
                     int                     first_fd)
{
  g_autoptr(GError) error = NULL;
  Supervisor self = { 0 };
  guint term_source, int_source;

  self.executable = g_file_read_link ("/proc/self/exe", &error);
  if (self.executable == NULL)
    {
      g_printerr ("hirc-kiosk: cannot find its own program file: %s\n", error->message);
      return 1;
    }
  self.options = options;
  self.loop = g_main_loop_new (NULL, FALSE);
  self.children = g_ptr_array_new_with_free_func (child_free);

  term_source = g_unix_signal_add (SIGTERM, stop_cb, &self);
  int_source = g_unix_signal_add (SIGINT, stop_cb, &self);

  self.active = adopt_child (&self, first_pid, first_fd, FALSE);
  g_main_loop_run (self.loop);

  g_source_remove (term_source);
  g_source_remove (int_source);
  g_clear_handle_id (&self.stop_source, g_source_remove);
  g_clear_handle_id (&self.restart_source, g_source_remove);
  g_ptr_array_unref (self.children);
  g_main_loop_unref (self.loop);
  g_free (self.executable);
  return 0;
}
