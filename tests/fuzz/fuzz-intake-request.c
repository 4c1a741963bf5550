/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-intake-request.c: libFuzzer target for the intake's request handling, the whole path from
 * method, path, headers and body to status and answer, against an in-memory store.
 *
 * Input encoding: byte 0 selects what the rest (the payload) becomes.
 *   bits 0-2  what is sent:
 *             0 GET /v1/health        1 POST /v1/devices, payload as body
 *             2 POST /v1/reports, payload as body
 *             3 POST /v1/status, payload as body
 *             4 the payload up to its first NUL (at most 64 bytes) as the path, the rest as body
 *             5 a valid envelope of the enrolled device, XORed with the payload
 *             6 a valid enrolment request with a fresh token, XORed with the payload
 *             7 a valid status request of the enrolled device, XORed with the payload
 *   bit 3     the other method (POST for GET and GET for POST)
 *   bit 4     a wrong content type
 *   bit 5     no declared length (as for a chunked body)
 *   bit 6     a declared length over the limit
 *   bit 7     in modes 5-7, cut the body to the payload's length
 * In modes 5-7 a payload longer than the valid body is appended to it; an empty payload sends the
 * valid body as it is, so the store, the receipt and the duplicate paths are reached. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hirc-crypto.h"
#include "hirc-intake-server.h"
#include "hirc-intake-store.h"
#include "hirc-wire.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_PATH 64

/* Made once and kept for the life of the process, so they are not leaks. */
static HircIntakeStore *store;
static HircIntakeHandler *handler;
static GBytes *envelope_template;
static char *enrol_template;
static char *status_template;

static void
check (gboolean ok)
{
  if (!ok)
    abort ();
}

static void
add_token (const char   *centre_id,
           const guint8  token[32])
{
  guint8 token_sha256[HIRC_HASH_BYTES];

  crypto_hash_sha256 (token_sha256, token, 32);
  check (hirc_intake_store_add_token (store, centre_id, token_sha256, 0, G_MAXINT64, NULL));
}

static char *
make_enrol_body (const guint8  token[32],
                 HircKey      *key)
{
  g_autoptr(GBytes) message = hirc_wire_enrol_proof_message (token, 32, hirc_key_get_public (key));
  g_autofree char *token_base64 = g_base64_encode (token, 32);
  g_autofree char *public_base64 = hirc_key_public_to_base64 (key);
  g_autofree char *proof_base64 = NULL;
  guint8 proof[crypto_sign_BYTES];

  crypto_sign_detached (proof, NULL, g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                        hirc_key_get_secret (key, NULL));
  proof_base64 = g_base64_encode (proof, sizeof proof);
  return g_strdup_printf ("{\"enrolment_token\":\"%s\",\"device_public_key\":\"%s\","
                          "\"proof\":\"%s\",\"software_version\":\"0.1.0\"}",
                          token_base64, public_base64, proof_base64);
}

/* Enrols one device through the handler itself and keeps what the templates need. */
static void
fuzz_init (void)
{
  g_autoptr(HircKey) receipt_secret = NULL;
  g_autoptr(HircKey) seal_secret = NULL;
  g_autoptr(HircKey) seal_public = NULL;
  g_autoptr(HircKey) device_key = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = NULL;
  guint8 token[32];
  guint8 template_token[32];
  guint8 device_id[HIRC_ID_BYTES];
  guint8 report_id[HIRC_ID_BYTES];
  const char *report = "{\"schema\":\"hirc.report/1\",\"what\":\"fuzz\"}";
  HircIntakeRequest request = { "POST", "/v1/devices", "application/json", -1 };
  HircIntakeResponse response = { 0 };
  JsonObject *object;

  check (hirc_secure_init (NULL));
  store = hirc_intake_store_open (":memory:", NULL);
  check (store != NULL);
  receipt_secret = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  /* Generous limits, so that fuzzing speed never hides the paths behind a 429. */
  handler = hirc_intake_handler_new (store, receipt_secret, 1e12, 1e12);

  check (hirc_intake_store_add_centre (store, "00000000-0000-4000-8000-000000000001", "Fuzz",
                                       "https://127.0.0.1:8443", 0, NULL));
  randombytes_buf (token, sizeof token);
  add_token ("00000000-0000-4000-8000-000000000001", token);
  randombytes_buf (template_token, sizeof template_token);
  add_token ("00000000-0000-4000-8000-000000000001", template_token);

  device_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  body = make_enrol_body (token, device_key);
  hirc_intake_handler_handle (handler, &request, (const guint8 *) body, strlen (body), &response);
  check (response.status == 201);
  answer = json_from_string (response.body, NULL);
  check (answer != NULL);
  object = json_node_get_object (answer);
  check (hirc_uuid_parse (json_object_get_string_member (object, "device_id"), device_id));

  status_template = g_strdup_printf ("{\"device_id\":\"%s\",\"status_token\":\"%s\","
                                     "\"queue_depth\":1,\"rejected\":0,"
                                     "\"software_version\":\"0.1.0\",\"kiosk_time\":1}",
                                     json_object_get_string_member (object, "device_id"),
                                     json_object_get_string_member (object, "status_token"));
  hirc_intake_response_clear (&response);

  enrol_template = make_enrol_body (template_token, device_key);

  seal_secret = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  seal_public = hirc_key_dup_public (seal_secret);
  randombytes_buf (report_id, sizeof report_id);
  envelope_template = hirc_envelope_seal ((const guint8 *) report, strlen (report), report_id,
                                          device_id, 0, seal_public, device_key, NULL);
  check (envelope_template != NULL);
}

/* template XOR payload, cut to the payload or grown by its excess. */
static GByteArray *
mutate (const guint8 *template,
        gsize         template_len,
        const guint8 *payload,
        gsize         payload_len,
        gboolean      cut)
{
  GByteArray *body = g_byte_array_new ();
  gsize len = cut ? payload_len : MAX (template_len, payload_len);

  g_byte_array_set_size (body, (guint) len);
  for (gsize i = 0; i < len; i++)
    body->data[i] = (i < template_len ? template[i] : 0) ^ (i < payload_len ? payload[i] : 0);
  return body;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gsize initialised = 0;
  static const char * const paths[] = {
    "/v1/health", "/v1/devices", "/v1/reports", "/v1/status", NULL,
    "/v1/reports", "/v1/devices", "/v1/status",
  };
  g_autoptr(GByteArray) body = NULL;
  char path[MAX_PATH + 1];
  HircIntakeRequest request;
  HircIntakeResponse response = { 0 };
  const guint8 *payload;
  gsize payload_len;
  guint8 selector;
  guint mode;

  if (g_once_init_enter (&initialised))
    {
      fuzz_init ();
      g_once_init_leave (&initialised, 1);
    }
  if (size == 0)
    return 0;

  selector = data[0];
  mode = selector & 0x07;
  payload = data + 1;
  payload_len = size - 1;

  if (mode == 4)
    {
      gsize path_len = 0;

      while (path_len < MIN (payload_len, MAX_PATH) && payload[path_len] != '\0')
        path_len++;
      memcpy (path, payload, path_len);
      path[path_len] = '\0';
      payload += MIN (path_len + 1, payload_len);
      payload_len -= MIN (path_len + 1, payload_len);
    }
  else
    g_strlcpy (path, paths[mode], sizeof path);

  if (mode == 5)
    body = mutate (g_bytes_get_data (envelope_template, NULL),
                   g_bytes_get_size (envelope_template), payload, payload_len, selector & 0x80);
  else if (mode == 6)
    body = mutate ((const guint8 *) enrol_template, strlen (enrol_template), payload, payload_len,
                   selector & 0x80);
  else if (mode == 7)
    body = mutate ((const guint8 *) status_template, strlen (status_template), payload,
                   payload_len, selector & 0x80);
  else
    {
      body = g_byte_array_new ();
      g_byte_array_append (body, payload, (guint) payload_len);
    }

  request.path = path;
  request.method = (mode == 0) != ((selector & 0x08) != 0) ? "GET" : "POST";
  if (selector & 0x10)
    request.content_type = "text/plain";
  else
    request.content_type = mode == 2 || mode == 5 ? HIRC_WIRE_ENVELOPE_MEDIA_TYPE
                                                  : "application/json";
  if (selector & 0x40)
    request.content_length = HIRC_WIRE_MAX_BODY_BYTES + 1;
  else if (selector & 0x20)
    request.content_length = -1;
  else
    request.content_length = body->len;

  hirc_intake_handler_handle (handler, &request, body->data, body->len, &response);

  /* Every answer is a status the protocol names, with a JSON body unless it is a 204, and every
   * refusal carries the error object. */
  check (response.status == 200 || response.status == 201 || response.status == 204
         || (response.status >= 400 && response.status <= 429) || response.status == 500);
  check ((response.body == NULL) == (response.status == 204));
  if (response.status >= 400)
    check (hirc_wire_error_from_json (response.body, strlen (response.body), NULL, NULL));
  else if (response.body != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (response.body, NULL);

      check (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
    }
  check ((response.retry_after > 0) == (response.status == 429));

  hirc_intake_response_clear (&response);
  return 0;
}
