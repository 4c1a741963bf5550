/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-control.c: the sync service's local control socket, server and synchronous client. */

#include "hirc-control.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hirc-json.h"
#include "hirc-kiosk-config.h"
#include "hirc-secure.h"

/* A connection that sends nothing for this long is closed, so a stuck client cannot hold
 * resources forever. */
#define CONNECTION_IDLE_SECONDS 60
/* Only the kiosk window and the CLI ever connect; more than this at once is a bug somewhere. */
#define MAX_CONNECTIONS 32

G_DEFINE_QUARK (hirc-control-error-quark, hirc_control_error)

static const char * const known_commands[] = {
  HIRC_CONTROL_STATUS,
  HIRC_CONTROL_SYNC_NOW,
  HIRC_CONTROL_TEST_CONNECTION,
  HIRC_CONTROL_WAKE,
  HIRC_CONTROL_ENROL,
  HIRC_CONTROL_RESTART,
  NULL,
};

static char *
reply (gboolean    ok,
       const char *code,
       const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  if (code != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, code);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
hirc_control_reply_ok (const char *message)
{
  return reply (TRUE, NULL, message);
}

char *
hirc_control_reply_error (const char *code,
                          const char *message)
{
  return reply (FALSE, code, message);
}

/* ---- client ---- */

static gboolean
wait_for (GSocket      *socket,
          GIOCondition  condition,
          gint64        deadline,
          GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 remaining = deadline - g_get_monotonic_time ();

  if (remaining <= 0
      || !g_socket_condition_timed_wait (socket, condition, remaining, NULL, &local_error))
    {
      if (local_error == NULL || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_TIMEOUT,
                             "the sync service did not answer in time");
      else
        g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_FAILED,
                     "waiting for the sync service: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_control_request (const char  *state_dir,
                      const char  *command,
                      guint        timeout_ms,
                      char       **reply_json,
                      GError     **error)
{
  return hirc_control_request_with (state_dir, command, NULL, timeout_ms, reply_json, error);
}

gboolean
hirc_control_request_with (const char  *state_dir,
                           const char  *command,
                           JsonObject  *arguments,
                           guint        timeout_ms,
                           char       **reply_json,
                           GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *request = NULL;
  g_autofree char *request_object = NULL;
  gsize request_len;
  g_autoptr(GString) reply = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize sent = 0;
  char *newline;

  g_return_val_if_fail (state_dir != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (reply_json != NULL, FALSE);

  path = hirc_kiosk_socket_path (state_dir);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &local_error);
  if (socket == NULL)
    {
      g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_FAILED,
                   "cannot make a socket: %s", local_error->message);
      return FALSE;
    }
  g_socket_set_blocking (socket, FALSE);
  address = g_unix_socket_address_new (path);

  if (!g_socket_connect (socket, address, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_clear_error (&local_error);
          if (!wait_for (socket, G_IO_OUT, deadline, error))
            return FALSE;
          if (!g_socket_check_connect_result (socket, &local_error))
            goto connect_failed;
        }
      else
        goto connect_failed;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, command);
  if (arguments != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, arguments);
      while (json_object_iter_next (&iter, &name, &value))
        {
          json_builder_set_member_name (builder, name);
          json_builder_add_value (builder, json_node_copy (value));
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  request_object = json_generator_to_data (generator, NULL);
  request = g_strconcat (request_object, "\n", NULL);
  request_len = strlen (request);
  /* A request may carry an enrolment token: neither copy outlives the send. */
  hirc_secure_wipe_string (request_object);

  while (sent < request_len)
    {
      gssize n = g_socket_send (socket, request + sent, request_len - sent, NULL, &local_error);

      if (n < 0)
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_FAILED,
                           "sending to the sync service: %s", local_error->message);
              hirc_secure_wipe_string (request);
              return FALSE;
            }
          g_clear_error (&local_error);
          if (!wait_for (socket, G_IO_OUT, deadline, error))
            {
              hirc_secure_wipe_string (request);
              return FALSE;
            }
          continue;
        }
      sent += (gsize) n;
    }
  hirc_secure_wipe_string (request);

  while ((newline = memchr (reply->str, '\n', reply->len)) == NULL)
    {
      char buffer[4096];
      gssize n;

      if (reply->len > HIRC_CONTROL_MAX_LINE)
        {
          g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_PROTOCOL,
                               "the sync service's reply is too long");
          return FALSE;
        }
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &local_error);
      if (n < 0)
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_FAILED,
                           "reading from the sync service: %s", local_error->message);
              return FALSE;
            }
          g_clear_error (&local_error);
          if (!wait_for (socket, G_IO_IN, deadline, error))
            return FALSE;
          continue;
        }
      if (n == 0)
        {
          g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_PROTOCOL,
                               "the sync service closed the connection without answering");
          return FALSE;
        }
      g_string_append_len (reply, buffer, n);
    }

  g_string_truncate (reply, newline - reply->str);
  *reply_json = g_string_free (g_steal_pointer (&reply), FALSE);
  return TRUE;

connect_failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_NOT_RUNNING,
                 "the sync service is not running (%s)", local_error->message);
  else
    g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_FAILED,
                 "cannot reach the sync service: %s", local_error->message);
  return FALSE;
}

HircSyncStatus *
hirc_control_get_status (const char  *state_dir,
                         guint        timeout_ms,
                         GError     **error)
{
  g_autofree char *reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *status_json = NULL;
  JsonObject *object;
  JsonNode *root, *status_node;

  if (!hirc_control_request (state_dir, HIRC_CONTROL_STATUS, timeout_ms, &reply, error))
    return NULL;

  if (!json_parser_load_from_data (parser, reply, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_PROTOCOL,
                           "the sync service's reply is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!json_object_get_boolean_member_with_default (object, "ok", FALSE))
    {
      g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_REFUSED, "%s",
                   json_object_get_string_member_with_default (object, "message",
                                                               "the sync service refused"));
      return NULL;
    }
  status_node = json_object_get_member (object, "status");
  if (status_node == NULL || !JSON_NODE_HOLDS_OBJECT (status_node))
    {
      g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_PROTOCOL,
                           "the sync service's reply has no status");
      return NULL;
    }
  json_generator_set_root (generator, status_node);
  status_json = json_generator_to_data (generator, NULL);
  return hirc_sync_status_from_json (status_json, strlen (status_json), error);
}

gboolean
hirc_control_enrol (const char     *state_dir,
                    const char     *bundle_json,
                    const HircKey  *device_public,
                    GBytes         *proof,
                    guint           timeout_ms,
                    HircEnrolment  *out,
                    char          **failure_code,
                    GError        **error)
{
  g_autoptr(JsonObject) arguments = json_object_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *reply = NULL;
  g_autofree char *device_b64 = NULL;
  g_autofree char *proof_b64 = NULL;
  JsonObject *object, *enrolment;
  JsonNode *root, *node;
  const char *device_id, *centre_id, *centre_name, *status_token;
  gboolean ok;

  g_return_val_if_fail (bundle_json != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  device_b64 = hirc_key_public_to_base64 (device_public);
  proof_b64 = g_base64_encode (g_bytes_get_data (proof, NULL), g_bytes_get_size (proof));
  json_object_set_string_member (arguments, "bundle", bundle_json);
  json_object_set_string_member (arguments, "device_public_key", device_b64);
  json_object_set_string_member (arguments, "proof", proof_b64);
  ok = hirc_control_request_with (state_dir, HIRC_CONTROL_ENROL, arguments, timeout_ms, &reply,
                                  error);
  if (!ok)
    return FALSE;

  ok = json_parser_load_from_data (parser, reply, -1, NULL);
  /* The reply carries the status token: the parser keeps its own copies. */
  hirc_secure_wipe_string (reply);
  if (!ok || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_PROTOCOL,
                           "the sync service's reply is not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!json_object_get_boolean_member_with_default (object, "ok", FALSE))
    {
      const char *message = hirc_json_member_string (object, "message");

      if (failure_code != NULL)
        *failure_code = g_strdup (hirc_json_member_string (object, "error"));
      g_set_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_REFUSED, "%s",
                   message != NULL ? message : "the sync service refused the enrolment");
      return FALSE;
    }
  node = json_object_get_member (object, "enrolment");
  enrolment = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  device_id = enrolment != NULL ? hirc_json_member_string (enrolment, "device_id") : NULL;
  centre_id = enrolment != NULL ? hirc_json_member_string (enrolment, "centre_id") : NULL;
  centre_name = enrolment != NULL ? hirc_json_member_string (enrolment, "centre_name") : NULL;
  status_token = enrolment != NULL ? hirc_json_member_string (enrolment, "status_token") : NULL;
  if (device_id == NULL || centre_id == NULL || centre_name == NULL || status_token == NULL)
    {
      g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_PROTOCOL,
                           "the sync service's enrolment reply is incomplete");
      return FALSE;
    }
  out->device_id = g_strdup (device_id);
  out->centre_id = g_strdup (centre_id);
  out->centre_name = g_strdup (centre_name);
  out->status_token = g_strdup (status_token);
  return TRUE;
}

/* ---- server ---- */

typedef struct _Connection Connection;

struct _HircControlServer
{
  GSocketService     *service;
  char               *path;
  HircControlHandler  handler;
  gpointer            user_data;
  GList              *connections;  /* Connection, each holding a reference for the list */
  uid_t               uid;
};

struct _Connection
{
  HircControlServer *server;        /* NULL once the server has gone */
  GSocketConnection *stream;
  GCancellable      *cancellable;
  GString           *buffer;
  GBytes            *reply;         /* being written */
  guint8             chunk[4096];
  GSource           *idle_timeout;
  gboolean           closed;
};

static void connection_read (Connection *conn);
static void connection_next (Connection *conn);

static Connection *
connection_ref (Connection *conn)
{
  return g_atomic_rc_box_acquire (conn);
}

static void
connection_clear (Connection *conn)
{
  g_clear_object (&conn->stream);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->reply, g_bytes_unref);
  if (conn->buffer != NULL)
    g_string_free (conn->buffer, TRUE);
}

static void
connection_unref (Connection *conn)
{
  g_atomic_rc_box_release_full (conn, (GDestroyNotify) connection_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connection, connection_unref)

static void
connection_close (Connection *conn)
{
  if (conn->closed)
    return;
  conn->closed = TRUE;
  g_cancellable_cancel (conn->cancellable);
  if (conn->idle_timeout != NULL)
    {
      g_source_destroy (conn->idle_timeout);
      g_clear_pointer (&conn->idle_timeout, g_source_unref);
    }
  g_io_stream_close (G_IO_STREAM (conn->stream), NULL, NULL);
  if (conn->server != NULL)
    {
      conn->server->connections = g_list_remove (conn->server->connections, conn);
      conn->server = NULL;
      connection_unref (conn);
    }
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  Connection *conn = user_data;

  g_debug ("control: closing an idle connection");
  g_clear_pointer (&conn->idle_timeout, g_source_unref);
  connection_close (conn);
  return G_SOURCE_REMOVE;
}

static void
connection_arm_idle_timeout (Connection *conn)
{
  if (conn->idle_timeout != NULL)
    {
      g_source_destroy (conn->idle_timeout);
      g_clear_pointer (&conn->idle_timeout, g_source_unref);
    }
  conn->idle_timeout = g_timeout_source_new_seconds (CONNECTION_IDLE_SECONDS);
  g_source_set_callback (conn->idle_timeout, idle_timeout_cb, conn, NULL);
  g_source_attach (conn->idle_timeout, NULL);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Connection) conn = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("control: cannot answer: %s", error->message);
      connection_close (conn);
      return;
    }
  if (!conn->closed)
    connection_next (conn);
}

/* reply is one JSON object without its newline; taken. */
static void
connection_send (Connection *conn,
                 char       *reply)
{
  GOutputStream *output;
  gsize len = strlen (reply);

  if (conn->closed)
    {
      g_free (reply);
      return;
    }
  /* The reply needs its newline; one allocation carries both. */
  reply = g_realloc (reply, len + 1);
  reply[len] = '\n';
  /* Kept in the connection: the write finishes after this returns. Requests on a connection
   * are served one after another, so there is only ever one reply in flight. */
  g_clear_pointer (&conn->reply, g_bytes_unref);
  conn->reply = g_bytes_new_take (reply, len + 1);
  output = g_io_stream_get_output_stream (G_IO_STREAM (conn->stream));
  g_output_stream_write_all_async (output, g_bytes_get_data (conn->reply, NULL),
                                   g_bytes_get_size (conn->reply), G_PRIORITY_DEFAULT,
                                   conn->cancellable, write_done_cb, connection_ref (conn));
}

static void
handler_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Connection) conn = user_data;
  g_autoptr(GError) error = NULL;
  char *reply;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    reply = hirc_control_reply_error (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                           ? "cancelled" : "failed",
                         error != NULL ? error->message : "no answer");
  connection_send (conn, reply);
}

static void
connection_handle_line (Connection *conn,
                        const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GTask) task = NULL;
  JsonNode *root = NULL;
  const char *command = NULL;

  /* Only the kiosk user can connect, but a request is still input: checked strictly first. */
  if (hirc_json_check (line, strlen (line), 2, NULL, NULL) == HIRC_JSON_OK
      && json_parser_load_from_data (parser, line, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), "command");

      if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
        command = json_node_get_string (node);
    }
  if (command == NULL)
    {
      connection_send (conn, hirc_control_reply_error ("malformed_request",
                                          "A request is one JSON object with a \"command\"."));
      return;
    }
  if (!g_strv_contains (known_commands, command))
    {
      connection_send (conn, hirc_control_reply_error ("unknown_command",
                                          "The sync service does not know that command."));
      return;
    }

  task = g_task_new (NULL, conn->cancellable, handler_done_cb, connection_ref (conn));
  g_task_set_source_tag (task, connection_handle_line);
  conn->server->handler (command, json_node_get_object (root), task, conn->server->user_data);
}

/* Serves the next complete request in the buffer, or reads more. */
static void
connection_next (Connection *conn)
{
  char *newline = memchr (conn->buffer->str, '\n', conn->buffer->len);
  g_autofree char *line = NULL;

  if (newline == NULL)
    {
      if (conn->buffer->len > HIRC_CONTROL_MAX_LINE)
        {
          g_debug ("control: request too long, closing");
          connection_close (conn);
          return;
        }
      connection_read (conn);
      return;
    }

  line = g_strndup (conn->buffer->str, newline - conn->buffer->str);
  g_string_erase (conn->buffer, 0, newline - conn->buffer->str + 1);
  connection_arm_idle_timeout (conn);
  connection_handle_line (conn, line);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Connection) conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("control: read failed: %s", error->message);
      connection_close (conn);
      return;
    }
  if (conn->closed)
    return;
  g_string_append_len (conn->buffer, (const char *) conn->chunk, n);
  connection_next (conn);
}

static void
connection_read (Connection *conn)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (conn->stream));

  g_input_stream_read_async (input, conn->chunk, sizeof conn->chunk, G_PRIORITY_DEFAULT,
                             conn->cancellable, read_done_cb, connection_ref (conn));
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *stream,
             GObject           *source_object,
             gpointer           user_data)
{
  HircControlServer *self = user_data;
  g_autoptr(GCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  Connection *conn;

  /* The socket's mode already keeps other users out; checking the peer says so twice. */
  credentials = g_socket_get_credentials (g_socket_connection_get_socket (stream), &error);
  if (credentials == NULL || g_credentials_get_unix_user (credentials, NULL) != self->uid)
    {
      g_warning ("control: refused a connection from another user");
      return TRUE;
    }
  if (g_list_length (self->connections) >= MAX_CONNECTIONS)
    {
      g_warning ("control: too many connections, refusing one");
      return TRUE;
    }

  conn = g_atomic_rc_box_new0 (Connection);
  conn->server = self;
  conn->stream = g_object_ref (stream);
  conn->cancellable = g_cancellable_new ();
  conn->buffer = g_string_new (NULL);
  self->connections = g_list_prepend (self->connections, conn);
  connection_arm_idle_timeout (conn);
  connection_read (conn);
  return TRUE;
}

HircControlServer *
hirc_control_server_new (const char          *state_dir,
                         HircControlHandler   handler,
                         gpointer             user_data,
                         GError             **error)
{
  g_autoptr(HircControlServer) self = g_new0 (HircControlServer, 1);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GStatBuf st;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (handler != NULL, NULL);

  self->path = hirc_kiosk_socket_path (state_dir);
  self->handler = handler;
  self->user_data = user_data;
  self->uid = getuid ();

  /* Whatever is at the path was left by a process that no longer holds the instance lock.
   * Only a socket is removed: anything else there is not ours to delete. */
  if (g_lstat (self->path, &st) == 0)
    {
      if (!S_ISSOCK (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "%s exists and is not a socket", self->path);
          g_clear_pointer (&self->path, g_free);
          return NULL;
        }
      if (g_unlink (self->path) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "cannot remove the stale socket %s: %s", self->path,
                       g_strerror (saved_errno));
          g_clear_pointer (&self->path, g_free);
          return NULL;
        }
    }

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         error);
  if (socket == NULL)
    {
      g_clear_pointer (&self->path, g_free);
      return NULL;
    }
  address = g_unix_socket_address_new (self->path);
  if (!g_socket_bind (socket, address, FALSE, error))
    {
      g_clear_pointer (&self->path, g_free);
      return NULL;
    }
  /* Nobody can connect before listen(), so setting the mode here leaves no window. */
  if (g_chmod (self->path, 0600) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot set the mode of %s: %s", self->path, g_strerror (saved_errno));
      return NULL;
    }
  g_socket_set_listen_backlog (socket, 16);
  if (!g_socket_listen (socket, error))
    return NULL;

  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_socket (G_SOCKET_LISTENER (self->service), socket, NULL, error))
    return NULL;
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);
  return g_steal_pointer (&self);
}

void
hirc_control_server_free (HircControlServer *server)
{
  if (server == NULL)
    return;

  if (server->service != NULL)
    {
      g_socket_service_stop (server->service);
      g_socket_listener_close (G_SOCKET_LISTENER (server->service));
      g_signal_handlers_disconnect_by_data (server->service, server);
      g_clear_object (&server->service);
    }
  while (server->connections != NULL)
    connection_close (server->connections->data);
  if (server->path != NULL)
    g_unlink (server->path);
  g_free (server->path);
  g_free (server);
}
