/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-control.h: the local channel between the kiosk window (or CLI) and the sync service: a
 * Unix socket only the kiosk user can reach, one JSON line per request and per reply. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hirc-sync-client.h"
#include "hirc-sync-service.h"

G_BEGIN_DECLS

#define HIRC_CONTROL_ERROR (hirc_control_error_quark ())

typedef enum
{
  HIRC_CONTROL_ERROR_FAILED,
  HIRC_CONTROL_ERROR_NOT_RUNNING,  /* nothing listens on the socket */
  HIRC_CONTROL_ERROR_TIMEOUT,
  HIRC_CONTROL_ERROR_PROTOCOL,     /* the reply was not one JSON object line */
  HIRC_CONTROL_ERROR_REFUSED,      /* the service answered {"ok": false, ...} */
} HircControlError;

GQuark hirc_control_error_quark (void);

/* The commands, as sent in {"command": "..."}. */
#define HIRC_CONTROL_STATUS          "status"
#define HIRC_CONTROL_SYNC_NOW        "sync-now"
#define HIRC_CONTROL_TEST_CONNECTION "test-connection"
#define HIRC_CONTROL_WAKE            "wake"
#define HIRC_CONTROL_ENROL           "enrol"
#define HIRC_CONTROL_RESTART         "restart"

/* A request or a reply longer than this is refused. */
#define HIRC_CONTROL_MAX_LINE 65536

/* Client side, synchronous, for the window and the CLI: connects, sends one request and waits
 * at most timeout_ms for the reply line, which is returned without its newline. A reply with
 * "ok": false is returned too; callers decide. */
gboolean        hirc_control_request    (const char  *state_dir,
                                         const char  *command,
                                         guint        timeout_ms,
                                         char       **reply_json,
                                         GError     **error);
/* The same with more members in the request object beside "command" (arguments may be NULL). */
gboolean        hirc_control_request_with (const char  *state_dir,
                                           const char  *command,
                                           JsonObject  *arguments,
                                           guint        timeout_ms,
                                           char       **reply_json,
                                           GError     **error);
/* The "status" request, parsed; REFUSED when the service answered with an error. */
HircSyncStatus *hirc_control_get_status (const char  *state_dir,
                                         guint        timeout_ms,
                                         GError     **error);

/* The "enrol" request: the sync service posts the enrolment to the intake the bundle names, for
 * a device key the window made; the window never touches the network. bundle_json is the
 * bundle's text, proof as for hirc_sync_client_enrol(). On a refusal error is REFUSED with the
 * service's sentence, and failure_code (if not NULL) is set to the sync error's code name
 * (hirc_sync_error_code_to_string()) so a translated screen can choose its own words. */
gboolean        hirc_control_enrol      (const char     *state_dir,
                                         const char     *bundle_json,
                                         const HircKey  *device_public,
                                         GBytes         *proof,
                                         guint           timeout_ms,
                                         HircEnrolment  *out,
                                         char          **failure_code,
                                         GError        **error);

/* Replies for a handler: {"ok": true, "message": …} and {"ok": false, "error": code,
 * "message": …}. */
char           *hirc_control_reply_ok    (const char *message);
char           *hirc_control_reply_error (const char *code,
                                          const char *message);

/* Server side. The handler is called on the main context for each valid request and completes
 * task with g_task_return_pointer (task, reply, g_free), reply being one JSON object (without
 * a newline), or with an error, which is sent as {"ok": false, ...}. request is the whole
 * request object, valid only during the call. Requests on different
 * connections are served concurrently, so a slow one never delays "status". */
typedef void (*HircControlHandler) (const char *command,
                                    JsonObject *request,
                                    GTask      *task,
                                    gpointer    user_data);

typedef struct _HircControlServer HircControlServer;

/* Creates the socket at hirc_kiosk_socket_path() with mode 0600, replacing a stale one. The
 * caller must hold the state folder's instance lock, which is what makes a socket file that is
 * already there stale. */
HircControlServer *hirc_control_server_new  (const char          *state_dir,
                                             HircControlHandler   handler,
                                             gpointer             user_data,
                                             GError             **error);
/* Stops listening, closes every connection and removes the socket file. */
void               hirc_control_server_free (HircControlServer   *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircControlServer, hirc_control_server_free)

G_END_DECLS
