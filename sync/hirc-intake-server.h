/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-server.h: the intake's HTTPS endpoints (sync/PROTOCOL.md), split into a handler
 * that turns one request into one answer without a socket (and is fuzzed as such) and the
 * libmicrohttpd server that feeds it. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "hirc-intake-store.h"
#include "hirc-keys.h"

G_BEGIN_DECLS

#define HIRC_INTAKE_SERVER_ERROR (hirc_intake_server_error_quark ())

typedef enum
{
  HIRC_INTAKE_SERVER_ERROR_FAILED,
  HIRC_INTAKE_SERVER_ERROR_ADDRESS,
  HIRC_INTAKE_SERVER_ERROR_CERTIFICATE,
  HIRC_INTAKE_SERVER_ERROR_MALFORMED,
} HircIntakeServerError;

GQuark hirc_intake_server_error_quark (void);

/* The token bucket each device gets unless serve --device-rate / --device-burst say otherwise. */
#define HIRC_INTAKE_DEFAULT_DEVICE_RATE  2000.0
#define HIRC_INTAKE_DEFAULT_DEVICE_BURST 20000.0

/* Idle connections are closed after this many seconds unless serve --connection-timeout says
 * otherwise; a request's body must arrive within twice as long. */
#define HIRC_INTAKE_DEFAULT_CONNECTION_TIMEOUT 30

typedef struct
{
  const char *method;
  /* Without the query string. */
  const char *path;
  /* NULL when the request has none. */
  const char *content_type;
  /* -1 when the request did not declare one (chunked, or no body). */
  gint64      content_length;
} HircIntakeRequest;

typedef struct
{
  guint        status;
  /* A JSON document, or NULL for 204. */
  char        *body;
  /* Seconds for Retry-After; 0 for none. */
  guint        retry_after;
  /* The Allow header of a 405. */
  const char  *allow;
} HircIntakeResponse;

void hirc_intake_response_clear (HircIntakeResponse *response);

typedef struct _HircIntakeHandler HircIntakeHandler;

/* store is borrowed and must outlive the handler; receipt_secret is an Ed25519 secret key. */
HircIntakeHandler *hirc_intake_handler_new    (HircIntakeStore     *store,
                                               HircKey             *receipt_secret,
                                               double               device_rate,
                                               double               device_burst);
void               hirc_intake_handler_free   (HircIntakeHandler   *handler);

/* What the request line and headers alone decide. Returns TRUE when the body should be read;
 * otherwise response holds the answer (404, 405, 413 or 415). */
gboolean           hirc_intake_handler_check_headers (HircIntakeHandler       *handler,
                                                      const HircIntakeRequest *request,
                                                      HircIntakeResponse      *response);
/* Answers a complete request; runs the header checks again, so it can be called alone. Safe to
 * call from several threads at once. */
void               hirc_intake_handler_handle (HircIntakeHandler       *handler,
                                               const HircIntakeRequest *request,
                                               const guint8            *body,
                                               gsize                    body_len,
                                               HircIntakeResponse      *response);

typedef struct _HircIntakeServer HircIntakeServer;

/* Starts listening on listen ("127.0.0.1:8443", "[::1]:8443"; port 0 picks a free one) with
 * the certificate chain and key in PEM. Requests are answered by handler, which must outlive
 * the server. */
HircIntakeServer  *hirc_intake_server_start   (HircIntakeHandler   *handler,
                                               const char          *listen,
                                               const char          *cert_pem,
                                               const char          *key_pem,
                                               guint                connection_timeout,
                                               GError             **error);
/* "https://HOST:PORT" with the port actually bound. */
const char        *hirc_intake_server_get_url (HircIntakeServer    *server);
guint16            hirc_intake_server_get_port (HircIntakeServer   *server);
/* Stops accepting, waits for requests in progress, and frees the server. */
void               hirc_intake_server_stop    (HircIntakeServer    *server);

/* "sha256//BASE64" of the SubjectPublicKeyInfo of the first certificate in pem, the form of
 * CURLOPT_PINNEDPUBLICKEY. */
char              *hirc_intake_tls_pin_from_pem (const char        *pem,
                                                 gsize              len,
                                                 GError           **error);
/* TRUE when the first certificate in pem is signed by its own key. */
gboolean           hirc_intake_pem_is_self_signed (const char      *pem,
                                                   gsize            len,
                                                   GError         **error);

/* Parses untrusted JSON: hirc_json_check() first (strict RFC 8259, nothing nested deeper than
 * max_depth), then json-glib, refusing a document that repeats a member name. */
JsonNode          *hirc_intake_json_parse     (const char          *data,
                                               gsize                len,
                                               guint                max_depth,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircIntakeHandler, hirc_intake_handler_free)

G_END_DECLS
