/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-server.c: the intake's HTTPS endpoints: enrolment, report delivery with signed
 * receipts, device status and health, behind size, rate and time limits. Nothing a request
 * carries is ever logged. */

#include "config.h"

#include "hirc-intake-server.h"

#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <math.h>
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-json.h"
#include "hirc-wire.h"

/* Enrolment and status bodies are small and flat; reports never reach the JSON parser here. */
#define REQUEST_JSON_MAX_DEPTH    4
#define SOFTWARE_VERSION_MAX      64
#define TOKEN_BYTES               32
/* Past this much refused body the connection is dropped instead of drained for a polite 413. */
#define DRAIN_LIMIT               (4 * HIRC_WIRE_MAX_BODY_BYTES)
#define CONNECTION_LIMIT          256

G_DEFINE_QUARK (hirc-intake-server-error-quark, hirc_intake_server_error)

typedef struct
{
  double tokens;
  gint64 updated_usec;
} Bucket;

struct _HircIntakeHandler
{
  HircIntakeStore *store;
  HircKey         *receipt_secret;
  double           device_rate;
  double           device_burst;

  GMutex           buckets_lock;
  /* device id → Bucket; only devices whose signature verified get one, so it is bounded by
   * the registry. */
  GHashTable      *buckets;
};

typedef enum
{
  ROUTE_NONE,
  ROUTE_HEALTH,
  ROUTE_DEVICES,
  ROUTE_REPORTS,
  ROUTE_STATUS,
} Route;

void
hirc_intake_response_clear (HircIntakeResponse *response)
{
  g_clear_pointer (&response->body, g_free);
  response->status = 0;
  response->retry_after = 0;
  response->allow = NULL;
}

static void
set_error (HircIntakeResponse *response,
           guint               status,
           const char         *code,
           const char         *message)
{
  g_free (response->body);
  response->status = status;
  response->body = hirc_wire_error_to_json (code, message);
}

/* Standard base64 with padding, in its one canonical spelling, of exactly out_len bytes. */
static gboolean
base64_decode_exact (const char *text,
                     guint8     *out,
                     gsize       out_len)
{
  gsize text_len;
  g_autofree guint8 *decoded = NULL;
  g_autofree char *again = NULL;
  gsize decoded_len = 0;
  gboolean ok;

  if (text == NULL)
    return FALSE;
  text_len = strlen (text);
  if (text_len == 0 || text_len % 4 != 0 || text_len > 4 * ((out_len + 2) / 3))
    return FALSE;
  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (!(g_ascii_isalnum (c) || c == '+' || c == '/' || (c == '=' && i >= text_len - 2)))
        return FALSE;
    }

  decoded = g_base64_decode (text, &decoded_len);
  again = g_base64_encode (decoded, decoded_len);
  ok = decoded_len == out_len && strcmp (again, text) == 0;
  if (ok)
    memcpy (out, decoded, out_len);
  /* Tokens pass through here. */
  sodium_memzero (decoded, decoded_len);
  return ok;
}

JsonNode *
hirc_intake_json_parse (const char  *data,
                        gsize        len,
                        guint        max_depth,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *problem = NULL;
  guint n_members = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > G_MAXSSIZE
      || hirc_json_check (data, len, max_depth, &n_members, &problem) != HIRC_JSON_OK)
    {
      g_set_error (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_MALFORMED,
                   "The document is not strict JSON (%s).",
                   problem != NULL ? problem : "too long");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_MALFORMED,
                   "The document is not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  /* A repeated member would let two readers see two different documents. */
  if (root == NULL || hirc_json_count_members (root) != n_members)
    {
      g_set_error_literal (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_MALFORMED,
                           "The document names one of its members twice.");
      return NULL;
    }
  return g_steal_pointer (&root);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64      min,
         gint64      max,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return *value >= min && *value <= max;
}

/* Printable ASCII, short: it is shown to operators in the centres listing. */
static gboolean
software_version_ok (const char *version)
{
  gsize len;

  if (version == NULL)
    return FALSE;
  len = strlen (version);
  if (len == 0 || len > SOFTWARE_VERSION_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (version[i] < 0x21 || version[i] > 0x7e)
      return FALSE;
  return TRUE;
}

static Route
route_for_path (const char *path)
{
  if (g_strcmp0 (path, "/v1/health") == 0)
    return ROUTE_HEALTH;
  if (g_strcmp0 (path, "/v1/devices") == 0)
    return ROUTE_DEVICES;
  if (g_strcmp0 (path, "/v1/reports") == 0)
    return ROUTE_REPORTS;
  if (g_strcmp0 (path, "/v1/status") == 0)
    return ROUTE_STATUS;
  return ROUTE_NONE;
}

/* Compares the media type only: parameters such as "; charset=utf-8" are allowed. */
static gboolean
media_type_is (const char *content_type,
               const char *expected)
{
  const char *end;
  gsize len;

  if (content_type == NULL)
    return FALSE;
  while (*content_type == ' ' || *content_type == '\t')
    content_type++;
  end = strchr (content_type, ';');
  len = end != NULL ? (gsize) (end - content_type) : strlen (content_type);
  while (len > 0 && (content_type[len - 1] == ' ' || content_type[len - 1] == '\t'))
    len--;
  return len == strlen (expected) && g_ascii_strncasecmp (content_type, expected, len) == 0;
}

HircIntakeHandler *
hirc_intake_handler_new (HircIntakeStore *store,
                         HircKey         *receipt_secret,
                         double           device_rate,
                         double           device_burst)
{
  HircIntakeHandler *handler;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (receipt_secret != NULL, NULL);
  g_return_val_if_fail (hirc_key_get_kind (receipt_secret) == HIRC_KEY_KIND_SIGN_SECRET, NULL);
  g_return_val_if_fail (device_rate > 0 && device_burst >= 1, NULL);

  handler = g_new0 (HircIntakeHandler, 1);
  handler->store = store;
  handler->receipt_secret = hirc_key_ref (receipt_secret);
  handler->device_rate = device_rate;
  handler->device_burst = device_burst;
  g_mutex_init (&handler->buckets_lock);
  handler->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return handler;
}

void
hirc_intake_handler_free (HircIntakeHandler *handler)
{
  if (handler == NULL)
    return;
  g_hash_table_unref (handler->buckets);
  g_mutex_clear (&handler->buckets_lock);
  hirc_key_unref (handler->receipt_secret);
  g_free (handler);
}

/* Takes one request from the device's token bucket; FALSE with the seconds until the next one
 * is available when it is empty. */
static gboolean
rate_take (HircIntakeHandler *handler,
           const char        *device_id,
           guint             *retry_after)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  locker = g_mutex_locker_new (&handler->buckets_lock);
  bucket = g_hash_table_lookup (handler->buckets, device_id);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = handler->device_burst;
      bucket->updated_usec = now;
      g_hash_table_insert (handler->buckets, g_strdup (device_id), bucket);
    }

  bucket->tokens = MIN (handler->device_burst,
                        bucket->tokens
                        + (double) (now - bucket->updated_usec) / G_USEC_PER_SEC
                          * handler->device_rate);
  bucket->updated_usec = now;

  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }
  *retry_after = (guint) MAX (1.0, ceil ((1.0 - bucket->tokens) / handler->device_rate));
  return FALSE;
}

static void
set_rate_limited (HircIntakeResponse *response,
                  guint               retry_after)
{
  set_error (response, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
             "This device is sending faster than the intake allows; it will try again shortly.");
  response->retry_after = retry_after;
}

static void
handle_health (HircIntakeResponse *response)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  response->status = MHD_HTTP_OK;
  response->body = json_generator_to_data (generator, NULL);
}

/* The body as a JSON object, or NULL with a 400 in response. */
static JsonNode *
parse_request_object (const guint8       *body,
                      gsize               body_len,
                      HircIntakeResponse *response)
{
  g_autoptr(JsonNode) root = NULL;

  root = hirc_intake_json_parse ((const char *) body, body_len, REQUEST_JSON_MAX_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error (response, MHD_HTTP_BAD_REQUEST, "malformed_request",
                 "The request body is not the JSON object the protocol describes.");
      return NULL;
    }
  return g_steal_pointer (&root);
}

static void
handle_enrolment (HircIntakeHandler  *handler,
                  const guint8       *body,
                  gsize               body_len,
                  HircIntakeResponse *response)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) proof_message = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *status_token_base64 = NULL;
  JsonObject *object;
  const char *software_version;
  guint8 token[TOKEN_BYTES];
  guint8 public_key[32];
  guint8 proof[crypto_sign_BYTES];
  guint8 token_sha256[HIRC_HASH_BYTES];
  guint8 status_token[TOKEN_BYTES];
  guint8 status_token_sha256[HIRC_HASH_BYTES];
  HircIntakeEnrolment enrolment = { 0 };
  gsize message_len = 0;
  const guint8 *message;

  root = parse_request_object (body, body_len, response);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  software_version = get_string (object, "software_version");
  if (!base64_decode_exact (get_string (object, "enrolment_token"), token, sizeof token)
      || !base64_decode_exact (get_string (object, "device_public_key"), public_key,
                               sizeof public_key)
      || !base64_decode_exact (get_string (object, "proof"), proof, sizeof proof)
      || !software_version_ok (software_version))
    {
      sodium_memzero (token, sizeof token);
      set_error (response, MHD_HTTP_BAD_REQUEST, "malformed_request",
                 "The enrolment request lacks a valid token, device key, proof or software version.");
      return;
    }

  /* The proof binds the token to the key, so a token copied from a bundle is useless without
   * the device's secret key. */
  proof_message = hirc_wire_enrol_proof_message (token, sizeof token, public_key);
  message = g_bytes_get_data (proof_message, &message_len);
  if (crypto_sign_verify_detached (proof, message, message_len, public_key) != 0)
    {
      sodium_memzero (token, sizeof token);
      set_error (response, MHD_HTTP_BAD_REQUEST, "bad_signature",
                 "The enrolment proof was not made with the device key being enrolled.");
      return;
    }

  crypto_hash_sha256 (token_sha256, token, sizeof token);
  sodium_memzero (token, sizeof token);
  randombytes_buf (status_token, sizeof status_token);
  crypto_hash_sha256 (status_token_sha256, status_token, sizeof status_token);

  if (!hirc_intake_store_enrol_device (handler->store, token_sha256, public_key,
                                       status_token_sha256, software_version,
                                       g_get_real_time () / G_USEC_PER_SEC, &enrolment, &error))
    {
      sodium_memzero (status_token, sizeof status_token);
      if (g_error_matches (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_TOKEN_INVALID))
        set_error (response, MHD_HTTP_FORBIDDEN, "token_invalid",
                   "The enrolment token is not one this intake issued.");
      else if (g_error_matches (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_TOKEN_USED))
        set_error (response, MHD_HTTP_FORBIDDEN, "token_used",
                   "The enrolment token has already been used; ask the partnership for a new bundle.");
      else if (g_error_matches (error, HIRC_INTAKE_STORE_ERROR,
                                HIRC_INTAKE_STORE_ERROR_TOKEN_EXPIRED))
        set_error (response, MHD_HTTP_FORBIDDEN, "token_expired",
                   "The enrolment token has expired; ask the partnership for a new bundle.");
      else
        {
          g_warning ("intake: enrolment not recorded: %s", error->message);
          set_error (response, MHD_HTTP_INTERNAL_SERVER_ERROR, "server_error",
                     "The intake could not record the enrolment; try again later.");
        }
      return;
    }

  status_token_base64 = g_base64_encode (status_token, sizeof status_token);
  sodium_memzero (status_token, sizeof status_token);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, enrolment.device_id);
  json_builder_set_member_name (builder, "centre_id");
  json_builder_add_string_value (builder, enrolment.centre_id);
  json_builder_set_member_name (builder, "centre_name");
  json_builder_add_string_value (builder, enrolment.centre_name);
  json_builder_set_member_name (builder, "status_token");
  json_builder_add_string_value (builder, status_token_base64);
  json_builder_end_object (builder);
  hirc_secure_wipe_string (status_token_base64);

  answer = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, answer);
  response->status = MHD_HTTP_CREATED;
  response->body = json_generator_to_data (generator, NULL);

  g_info ("intake: device %s enrolled for centre %s", enrolment.device_id, enrolment.centre_id);
  hirc_intake_enrolment_clear (&enrolment);
}

static void
handle_status (HircIntakeHandler  *handler,
               const guint8       *body,
               gsize               body_len,
               HircIntakeResponse *response)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *device_id;
  const char *software_version;
  guint8 id[HIRC_ID_BYTES];
  guint8 status_token[TOKEN_BYTES];
  guint8 status_token_sha256[HIRC_HASH_BYTES];
  gint64 queue_depth;
  gint64 rejected;
  gint64 kiosk_time;
  HircIntakeDevice device;
  guint retry_after = 0;

  root = parse_request_object (body, body_len, response);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  device_id = get_string (object, "device_id");
  software_version = get_string (object, "software_version");
  if (!hirc_uuid_parse (device_id, id)
      || !base64_decode_exact (get_string (object, "status_token"), status_token,
                               sizeof status_token)
      || !get_int (object, "queue_depth", 0, G_MAXINT32, &queue_depth)
      || !get_int (object, "rejected", 0, G_MAXINT32, &rejected)
      || !get_int (object, "kiosk_time", 0, G_MAXINT64, &kiosk_time)
      || !software_version_ok (software_version))
    {
      set_error (response, MHD_HTTP_BAD_REQUEST, "malformed_request",
                 "The status request lacks a valid device id, token, count or software version.");
      return;
    }

  crypto_hash_sha256 (status_token_sha256, status_token, sizeof status_token);
  sodium_memzero (status_token, sizeof status_token);

  /* An unknown id and a wrong token get the same answer, so ids cannot be probed. */
  if (!hirc_intake_store_lookup_device (handler->store, device_id, &device, &error)
      || sodium_memcmp (device.status_token_sha256, status_token_sha256, HIRC_HASH_BYTES) != 0)
    {
      if (error != NULL
          && !g_error_matches (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_FOUND))
        {
          g_warning ("intake: device lookup failed: %s", error->message);
          set_error (response, MHD_HTTP_INTERNAL_SERVER_ERROR, "server_error",
                     "The intake could not look up the device; try again later.");
          return;
        }
      set_error (response, MHD_HTTP_FORBIDDEN, "unknown_device",
                 "This device is not enrolled with the intake, or its status token is wrong.");
      return;
    }

  if (!rate_take (handler, device_id, &retry_after))
    {
      set_rate_limited (response, retry_after);
      return;
    }

  if (!hirc_intake_store_update_status (handler->store, device_id, queue_depth, rejected,
                                        software_version, g_get_real_time () / G_USEC_PER_SEC,
                                        &error))
    {
      g_warning ("intake: status not recorded: %s", error->message);
      set_error (response, MHD_HTTP_INTERNAL_SERVER_ERROR, "server_error",
                 "The intake could not record the device's status; try again later.");
      return;
    }
  response->status = MHD_HTTP_NO_CONTENT;
}

static void
handle_report (HircIntakeHandler  *handler,
               const guint8       *body,
               gsize               body_len,
               HircIntakeResponse *response)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKey) device_key = NULL;
  g_autofree char *receipt_json = NULL;
  g_autofree char *stored_receipt = NULL;
  char device_id[HIRC_UUID_STRING_BYTES];
  char report_id[HIRC_UUID_STRING_BYTES];
  HircIntakeDevice device;
  HircReceipt receipt = { 0 };
  gboolean duplicate = FALSE;
  guint retry_after = 0;

  bytes = g_bytes_new (body, body_len);
  envelope = hirc_envelope_parse (bytes, &error);
  if (envelope == NULL)
    {
      if (g_error_matches (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION))
        set_error (response, MHD_HTTP_BAD_REQUEST, "unknown_version",
                   "The envelope has a format version this intake does not know.");
      else if (g_error_matches (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TOO_LARGE))
        set_error (response, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                   "The envelope is larger than the intake accepts.");
      else
        set_error (response, MHD_HTTP_BAD_REQUEST, "malformed_envelope",
                   "The request body is not a valid report envelope.");
      return;
    }

  hirc_uuid_format (envelope->device_id, device_id);
  hirc_uuid_format (envelope->report_id, report_id);

  g_clear_error (&error);
  if (!hirc_intake_store_lookup_device (handler->store, device_id, &device, &error))
    {
      if (g_error_matches (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_NOT_FOUND))
        set_error (response, MHD_HTTP_FORBIDDEN, "unknown_device",
                   "The envelope comes from a device that is not enrolled with this intake.");
      else
        {
          g_warning ("intake: device lookup failed: %s", error->message);
          set_error (response, MHD_HTTP_INTERNAL_SERVER_ERROR, "server_error",
                     "The intake could not look up the device; try again later.");
        }
      return;
    }

  device_key = hirc_key_new_public (HIRC_KEY_KIND_SIGN_PUBLIC, device.public_key,
                                    sizeof device.public_key, NULL);
  if (device_key == NULL || !hirc_envelope_verify (envelope, device_key, NULL))
    {
      set_error (response, MHD_HTTP_FORBIDDEN, "bad_signature",
                 "The envelope's signature does not match the enrolled device key.");
      return;
    }

  /* Only after the signature verified: otherwise anyone could drain a kiosk's bucket by
   * sending envelopes that merely name its device id. */
  if (!rate_take (handler, device_id, &retry_after))
    {
      set_rate_limited (response, retry_after);
      return;
    }

  memcpy (receipt.report_id, envelope->report_id, HIRC_ID_BYTES);
  hirc_envelope_hash (bytes, receipt.envelope_hash);
  receipt.received_at = g_get_real_time () / G_USEC_PER_SEC;
  hirc_receipt_sign (&receipt, handler->receipt_secret);
  receipt_json = hirc_wire_receipt_to_json (&receipt);

  if (!hirc_intake_store_put_report (handler->store, report_id, device_id, device.centre_id,
                                     bytes, receipt.envelope_hash, receipt.received_at,
                                     receipt_json, &stored_receipt, &duplicate, &error))
    {
      if (g_error_matches (error, HIRC_INTAKE_STORE_ERROR, HIRC_INTAKE_STORE_ERROR_CONFLICT))
        set_error (response, MHD_HTTP_CONFLICT, "conflict",
                   "A different report is already stored under this report id.");
      else
        {
          g_warning ("intake: report not stored: %s", error->message);
          set_error (response, MHD_HTTP_INTERNAL_SERVER_ERROR, "server_error",
                     "The intake could not store the report; try again later.");
        }
      return;
    }

  g_debug ("intake: report %s from device %s %s", report_id, device_id,
           duplicate ? "was already stored" : "stored");
  response->status = duplicate ? MHD_HTTP_OK : MHD_HTTP_CREATED;
  response->body = g_steal_pointer (&stored_receipt);
}

gboolean
hirc_intake_handler_check_headers (HircIntakeHandler       *handler,
                                   const HircIntakeRequest *request,
                                   HircIntakeResponse      *response)
{
  Route route;
  gboolean is_get;
  gboolean is_post;

  g_return_val_if_fail (handler != NULL, FALSE);
  g_return_val_if_fail (request != NULL && response != NULL, FALSE);

  route = route_for_path (request->path);
  is_get = g_strcmp0 (request->method, "GET") == 0;
  is_post = g_strcmp0 (request->method, "POST") == 0;

  if (route == ROUTE_NONE)
    {
      set_error (response, MHD_HTTP_NOT_FOUND, "not_found",
                 "The intake has no such address.");
      return FALSE;
    }
  if (route == ROUTE_HEALTH ? !is_get : !is_post)
    {
      set_error (response, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                 "The intake does not accept this method at this address.");
      response->allow = route == ROUTE_HEALTH ? "GET" : "POST";
      return FALSE;
    }
  if (route == ROUTE_HEALTH)
    return TRUE;

  if (!media_type_is (request->content_type,
                      route == ROUTE_REPORTS ? HIRC_WIRE_ENVELOPE_MEDIA_TYPE : "application/json"))
    {
      set_error (response, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                 "The request body has a content type the intake does not accept here.");
      return FALSE;
    }
  if (request->content_length > HIRC_WIRE_MAX_BODY_BYTES)
    {
      set_error (response, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                 "The request body is larger than the intake accepts.");
      return FALSE;
    }
  return TRUE;
}

void
hirc_intake_handler_handle (HircIntakeHandler       *handler,
                            const HircIntakeRequest *request,
                            const guint8            *body,
                            gsize                    body_len,
                            HircIntakeResponse      *response)
{
  g_return_if_fail (handler != NULL);
  g_return_if_fail (request != NULL && response != NULL);
  g_return_if_fail (body != NULL || body_len == 0);

  if (!hirc_intake_handler_check_headers (handler, request, response))
    return;
  if (body_len > HIRC_WIRE_MAX_BODY_BYTES)
    {
      set_error (response, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                 "The request body is larger than the intake accepts.");
      return;
    }

  switch (route_for_path (request->path))
    {
    case ROUTE_HEALTH:
      handle_health (response);
      break;
    case ROUTE_DEVICES:
      handle_enrolment (handler, body, body_len, response);
      break;
    case ROUTE_STATUS:
      handle_status (handler, body, body_len, response);
      break;
    case ROUTE_REPORTS:
      handle_report (handler, body, body_len, response);
      break;
    case ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* The server. */

struct _HircIntakeServer
{
  HircIntakeHandler *handler;
  struct MHD_Daemon *daemon;
  /* A slow client gets this long to finish sending a request once its headers are in. */
  gint64             request_deadline_usec;
  char              *url;
  guint16            port;
  /* libmicrohttpd keeps pointers to these for the daemon's life. */
  char              *cert_pem;
  char              *key_pem;

  GMutex             log_lock;
  gboolean           starting;
  char              *start_error;
};

/* One request in progress on a connection. */
typedef struct
{
  gint64      started_usec;
  char       *content_type;
  gint64      content_length;
  GByteArray *body;
  gsize       refused_bytes;
  gboolean    too_large;
} RequestState;

static void
request_state_free (RequestState *state)
{
  /* Enrolment and status bodies carry tokens. */
  if (state->body != NULL)
    {
      sodium_memzero (state->body->data, state->body->len);
      g_byte_array_unref (state->body);
    }
  g_free (state->content_type);
  g_free (state);
}

static void log_cb (void       *cls,
                    const char *format,
                    va_list     args) G_GNUC_PRINTF (2, 0);

static void
log_cb (void       *cls,
        const char *format,
        va_list     args)
{
  HircIntakeServer *server = cls;
  g_autofree char *message = g_strdup_vprintf (format, args);
  g_autoptr(GMutexLocker) locker = NULL;

  locker = g_mutex_locker_new (&server->log_lock);
  g_strchomp (message);
  /* Start-up failures are the operator's business; everything later is a client's (broken
   * handshakes, garbage), which must not flood the log. */
  if (server->starting && server->start_error == NULL)
    server->start_error = g_strdup (message);
  g_debug ("intake: http: %s", message);
}

static enum MHD_Result
queue_response (struct MHD_Connection *connection,
                HircIntakeResponse    *response)
{
  struct MHD_Response *reply;
  enum MHD_Result result;
  char retry_after[16];

  if (response->body != NULL)
    reply = MHD_create_response_from_buffer (strlen (response->body), response->body,
                                             MHD_RESPMEM_MUST_COPY);
  else
    reply = MHD_create_response_from_buffer (0, NULL, MHD_RESPMEM_PERSISTENT);
  if (reply == NULL)
    return MHD_NO;

  if (response->body != NULL)
    MHD_add_response_header (reply, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  MHD_add_response_header (reply, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header (reply, "X-Content-Type-Options", "nosniff");
  if (response->retry_after > 0)
    {
      g_snprintf (retry_after, sizeof retry_after, "%u", response->retry_after);
      MHD_add_response_header (reply, MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
    }
  if (response->allow != NULL)
    MHD_add_response_header (reply, MHD_HTTP_HEADER_ALLOW, response->allow);

  result = MHD_queue_response (connection, response->status, reply);
  MHD_destroy_response (reply);
  return result;
}

static gint64
parse_content_length (const char *value)
{
  guint64 length = 0;

  if (value == NULL)
    return -1;
  /* A value that is not a plain number is answered by libmicrohttpd before we see it; the
   * fallback just refuses the body as too large. */
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &length, NULL))
    return G_MAXINT64;
  return (gint64) length;
}

static enum MHD_Result
access_cb (void                  *cls,
           struct MHD_Connection *connection,
           const char            *url,
           const char            *method,
           const char            *version,
           const char            *upload_data,
           size_t                *upload_data_size,
           void                 **con_cls)
{
  HircIntakeServer *server = cls;
  RequestState *state = *con_cls;
  HircIntakeRequest request;
  HircIntakeResponse response = { 0 };
  enum MHD_Result result;

  if (state == NULL)
    {
      state = g_new0 (RequestState, 1);
      state->started_usec = g_get_monotonic_time ();
      state->content_type = g_strdup (MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                                   MHD_HTTP_HEADER_CONTENT_TYPE));
      state->content_length =
        parse_content_length (MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                           MHD_HTTP_HEADER_CONTENT_LENGTH));
      *con_cls = state;

      request = (HircIntakeRequest) { method, url, state->content_type, state->content_length };
      /* Answering now, before the body, lets a client that sent "Expect: 100-continue" skip
       * sending it; libmicrohttpd closes the connection afterwards. */
      if (!hirc_intake_handler_check_headers (server->handler, &request, &response))
        {
          result = queue_response (connection, &response);
          hirc_intake_response_clear (&response);
          return result;
        }
      state->body = g_byte_array_sized_new ((guint) CLAMP (state->content_length, 0,
                                                           HIRC_WIRE_MAX_BODY_BYTES));
      return MHD_YES;
    }

  if (*upload_data_size > 0)
    {
      gsize size = *upload_data_size;

      if (g_get_monotonic_time () - state->started_usec > server->request_deadline_usec)
        return MHD_NO;

      *upload_data_size = 0;
      if (!state->too_large && state->body->len + size > HIRC_WIRE_MAX_BODY_BYTES)
        {
          /* A body without a declared length grew past the limit: drop what we have and
           * drain the rest, so the client still gets its 413. */
          state->too_large = TRUE;
          g_byte_array_set_size (state->body, 0);
        }
      if (state->too_large)
        {
          state->refused_bytes += size;
          return state->refused_bytes > DRAIN_LIMIT ? MHD_NO : MHD_YES;
        }
      g_byte_array_append (state->body, (const guint8 *) upload_data, (guint) size);
      return MHD_YES;
    }

  request = (HircIntakeRequest) { method, url, state->content_type, state->content_length };
  if (state->too_large)
    set_error (&response, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
               "The request body is larger than the intake accepts.");
  else
    hirc_intake_handler_handle (server->handler, &request, state->body->data, state->body->len,
                                &response);
  result = queue_response (connection, &response);
  hirc_intake_response_clear (&response);
  return result;
}

static void
completed_cb (void                            *cls,
              struct MHD_Connection           *connection,
              void                           **con_cls,
              enum MHD_RequestTerminationCode  toe)
{
  g_clear_pointer ((RequestState **) con_cls, request_state_free);
}

/* "HOST:PORT" or "[HOST]:PORT", HOST a literal address: the intake never resolves names. */
static GInetSocketAddress *
parse_listen (const char  *listen,
              GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *port_text;
  guint64 port = 0;

  if (listen[0] == '[')
    {
      const char *close = strchr (listen, ']');

      if (close == NULL || close[1] != ':')
        goto bad;
      host = g_strndup (listen + 1, (gsize) (close - listen - 1));
      port_text = close + 2;
    }
  else
    {
      const char *colon = strrchr (listen, ':');

      if (colon == NULL)
        goto bad;
      host = g_strndup (listen, (gsize) (colon - listen));
      port_text = colon + 1;
    }

  address = g_inet_address_new_from_string (host);
  if (address == NULL || !g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL))
    goto bad;
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));

bad:
  g_set_error (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_ADDRESS,
               "The listen address %s is not an IP address and port such as 127.0.0.1:8443.",
               listen);
  return NULL;
}

HircIntakeServer *
hirc_intake_server_start (HircIntakeHandler  *handler,
                          const char         *listen,
                          const char         *cert_pem,
                          const char         *key_pem,
                          guint               connection_timeout,
                          GError            **error)
{
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  struct sockaddr_storage native;
  const union MHD_DaemonInfo *info;
  HircIntakeServer *server;
  unsigned int flags;
  unsigned int threads;

  g_return_val_if_fail (handler != NULL, NULL);
  g_return_val_if_fail (listen != NULL && cert_pem != NULL && key_pem != NULL, NULL);
  g_return_val_if_fail (connection_timeout > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  address = parse_listen (listen, error);
  if (address == NULL)
    return NULL;
  if (!g_socket_address_to_native (G_SOCKET_ADDRESS (address), &native, sizeof native, error))
    return NULL;

  server = g_new0 (HircIntakeServer, 1);
  server->handler = handler;
  server->request_deadline_usec = 2 * (gint64) connection_timeout * G_USEC_PER_SEC;
  server->cert_pem = g_strdup (cert_pem);
  server->key_pem = g_strdup (key_pem);
  g_mutex_init (&server->log_lock);
  server->starting = TRUE;

  flags = MHD_USE_TLS | MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
  if (g_socket_address_get_family (G_SOCKET_ADDRESS (address)) == G_SOCKET_FAMILY_IPV6)
    flags |= MHD_USE_IPv6;
  /* A pool rather than a thread per connection: a kiosk keeps its connection alive, and the
   * threads outnumber the CPUs because each may wait for an fsync. */
  threads = CLAMP (2 * g_get_num_processors (), 4, 32);

  server->daemon =
    MHD_start_daemon (flags, 0, NULL, NULL, access_cb, server,
                      MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &native,
                      MHD_OPTION_HTTPS_MEM_CERT, server->cert_pem,
                      MHD_OPTION_HTTPS_MEM_KEY, server->key_pem,
                      /* TLS 1.2 and 1.3 only. */
                      MHD_OPTION_HTTPS_PRIORITIES,
                      "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
                      MHD_OPTION_THREAD_POOL_SIZE, threads,
                      MHD_OPTION_CONNECTION_LIMIT, (unsigned int) CONNECTION_LIMIT,
                      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) connection_timeout,
                      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int) CONNECTION_LIMIT,
                      MHD_OPTION_NOTIFY_COMPLETED, completed_cb, server,
                      MHD_OPTION_EXTERNAL_LOGGER, log_cb, server,
                      MHD_OPTION_END);

  g_mutex_lock (&server->log_lock);
  server->starting = FALSE;
  g_mutex_unlock (&server->log_lock);

  if (server->daemon == NULL)
    {
      g_set_error (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_FAILED,
                   "The intake could not listen on %s (%s); check that the address is free and "
                   "that the certificate and key match.",
                   listen, server->start_error != NULL ? server->start_error : "no reason given");
      hirc_intake_server_stop (server);
      return NULL;
    }

  info = MHD_get_daemon_info (server->daemon, MHD_DAEMON_INFO_BIND_PORT);
  server->port = info != NULL ? info->port : g_inet_socket_address_get_port (address);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  if (g_socket_address_get_family (G_SOCKET_ADDRESS (address)) == G_SOCKET_FAMILY_IPV6)
    server->url = g_strdup_printf ("https://[%s]:%u", host, server->port);
  else
    server->url = g_strdup_printf ("https://%s:%u", host, server->port);
  return server;
}

const char *
hirc_intake_server_get_url (HircIntakeServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);
  return server->url;
}

guint16
hirc_intake_server_get_port (HircIntakeServer *server)
{
  g_return_val_if_fail (server != NULL, 0);
  return server->port;
}

void
hirc_intake_server_stop (HircIntakeServer *server)
{
  if (server == NULL)
    return;
  if (server->daemon != NULL)
    MHD_stop_daemon (server->daemon);
  if (server->key_pem != NULL)
    sodium_memzero (server->key_pem, strlen (server->key_pem));
  g_free (server->key_pem);
  g_free (server->cert_pem);
  g_free (server->url);
  g_free (server->start_error);
  g_mutex_clear (&server->log_lock);
  g_free (server);
}

/* The first certificate of a PEM file. */
static gnutls_x509_crt_t
import_first_certificate (const char  *pem,
                          gsize        len,
                          GError     **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t data = { (unsigned char *) pem, (unsigned int) len };
  int rc;

  if (len > G_MAXUINT || gnutls_x509_crt_init (&crt) < 0)
    {
      g_set_error_literal (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_CERTIFICATE,
                           "The certificate could not be read.");
      return NULL;
    }
  rc = gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_PEM);
  if (rc < 0)
    {
      g_set_error (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_CERTIFICATE,
                   "The certificate is not a PEM certificate: %s", gnutls_strerror (rc));
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  return crt;
}

char *
hirc_intake_tls_pin_from_pem (const char  *pem,
                              gsize        len,
                              GError     **error)
{
  gnutls_x509_crt_t crt;
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t spki = { NULL, 0 };
  guint8 digest[32];
  g_autofree char *encoded = NULL;
  int rc;

  g_return_val_if_fail (pem != NULL, NULL);

  crt = import_first_certificate (pem, len, error);
  if (crt == NULL)
    return NULL;

  rc = gnutls_pubkey_init (&pubkey);
  if (rc >= 0)
    rc = gnutls_pubkey_import_x509 (pubkey, crt, 0);
  /* DER of the SubjectPublicKeyInfo: what curl's sha256// pins hash. */
  if (rc >= 0)
    rc = gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &spki);
  if (rc >= 0)
    rc = gnutls_hash_fast (GNUTLS_DIG_SHA256, spki.data, spki.size, digest);

  gnutls_free (spki.data);
  if (pubkey != NULL)
    gnutls_pubkey_deinit (pubkey);
  gnutls_x509_crt_deinit (crt);

  if (rc < 0)
    {
      g_set_error (error, HIRC_INTAKE_SERVER_ERROR, HIRC_INTAKE_SERVER_ERROR_CERTIFICATE,
                   "The certificate's public key could not be read: %s", gnutls_strerror (rc));
      return NULL;
    }
  encoded = g_base64_encode (digest, sizeof digest);
  return g_strconcat ("sha256//", encoded, NULL);
}

gboolean
hirc_intake_pem_is_self_signed (const char  *pem,
                                gsize        len,
                                GError     **error)
{
  gnutls_x509_crt_t crt;
  unsigned int status = 0;
  gboolean self_signed;

  g_return_val_if_fail (pem != NULL, FALSE);

  crt = import_first_certificate (pem, len, error);
  if (crt == NULL)
    return FALSE;
  /* The same names, and a signature its own key verifies; whether it may act as a CA or is
   * within its dates is the client's business. */
  self_signed = gnutls_x509_crt_check_issuer (crt, crt) == 1
                && gnutls_x509_crt_verify (crt, &crt, 1,
                                           GNUTLS_VERIFY_DISABLE_CA_SIGN
                                           | GNUTLS_VERIFY_DISABLE_TIME_CHECKS
                                           | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                           &status) >= 0
                && status == 0;
  gnutls_x509_crt_deinit (crt);
  return self_signed;
}
