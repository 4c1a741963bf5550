/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-intake.c: the reference intake over real HTTPS on 127.0.0.1: enrolment, delivery and
 * receipts, refusals, garbage, rate limits, monitoring, export and its command line. */

#include "config.h"

#include <curl/curl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "hirc-crypto.h"
#include "hirc-intake-server.h"
#include "hirc-test-intake.h"
#include "hirc-test-util.h"
#include "hirc-wire.h"

#define GARBAGE_REQUESTS 1000

/* The intake most tests share, started once. */
static char *test_dir;
static HircTestIntake *intake;
static HircKey *seal_public;
static HircKey *receipt_public;

/* An HTTPS client that verifies like a kiosk: the test CA and the server's pin. */

typedef struct
{
  CURL *curl;
  char *base_url;
  char *ca_path;
  char *pin;
} Client;

typedef struct
{
  CURLcode    code;
  long        status;
  GByteArray *body;
  char       *content_type;
  char       *retry_after;
} Reply;

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         offset;
} Upload;

static void
reply_free (Reply *reply)
{
  g_byte_array_unref (reply->body);
  g_free (reply->content_type);
  g_free (reply->retry_after);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Client *
client_new (HircTestIntake *server)
{
  Client *client = g_new0 (Client, 1);
  g_autofree char *cert = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (server->cert_path, &cert, &len, &error);
  g_assert_no_error (error);
  client->pin = hirc_intake_tls_pin_from_pem (cert, len, &error);
  g_assert_no_error (error);
  client->curl = curl_easy_init ();
  client->base_url = g_strdup (server->url);
  client->ca_path = g_strdup (server->ca_path);
  return client;
}

static void
client_free (Client *client)
{
  curl_easy_cleanup (client->curl);
  g_free (client->base_url);
  g_free (client->ca_path);
  g_free (client->pin);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static size_t
body_cb (char   *data,
         size_t  size,
         size_t  n,
         void   *user_data)
{
  Reply *reply = user_data;

  g_byte_array_append (reply->body, (const guint8 *) data, (guint) (size * n));
  return size * n;
}

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  n,
           void   *user_data)
{
  Reply *reply = user_data;
  g_autofree char *line = g_strndup (data, size * n);
  char *colon = strchr (line, ':');

  if (colon != NULL)
    {
      *colon = '\0';
      g_strstrip (colon + 1);
      if (g_ascii_strcasecmp (line, "Retry-After") == 0)
        {
          g_free (reply->retry_after);
          reply->retry_after = g_strdup (colon + 1);
        }
      else if (g_ascii_strcasecmp (line, "Content-Type") == 0)
        {
          g_free (reply->content_type);
          reply->content_type = g_strdup (colon + 1);
        }
    }
  return size * n;
}

static size_t
upload_cb (char   *buffer,
           size_t  size,
           size_t  n,
           void   *user_data)
{
  Upload *upload = user_data;
  /* Small pieces, so a chunked body arrives as many chunks. */
  gsize len = MIN (MIN (size * n, upload->len - upload->offset), 8192);

  if (len == 0)
    return 0;
  memcpy (buffer, upload->data + upload->offset, len);
  upload->offset += len;
  return len;
}

/* One request; method NULL means GET without a body or POST with one. With chunked the body is
 * sent without a Content-Length. */
static Reply *
client_request_full (Client             *client,
                     const char         *method,
                     const char         *path,
                     const char         *content_type,
                     gconstpointer       body,
                     gsize               body_len,
                     gboolean            chunked,
                     const char * const *extra_headers)
{
  Reply *reply = g_new0 (Reply, 1);
  g_autofree char *url = g_strconcat (client->base_url, path, NULL);
  g_autofree char *content_type_header = NULL;
  struct curl_slist *headers = NULL;
  Upload upload = { body, body_len, 0 };
  CURL *curl = client->curl;

  reply->body = g_byte_array_new ();
  /* Keeps the connection and the TLS session, like a kiosk's reused handle. */
  curl_easy_reset (curl);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt (curl, CURLOPT_CAINFO, client->ca_path);
  curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, client->pin);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, body_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, reply);

  if (content_type != NULL)
    {
      content_type_header = g_strconcat ("Content-Type: ", content_type, NULL);
      headers = curl_slist_append (headers, content_type_header);
    }
  else if (body != NULL)
    headers = curl_slist_append (headers, "Content-Type:");
  if (chunked)
    headers = curl_slist_append (headers, "Transfer-Encoding: chunked");
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++)
    headers = curl_slist_append (headers, extra_headers[i]);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);

  if (chunked)
    {
      curl_easy_setopt (curl, CURLOPT_POST, 1L);
      curl_easy_setopt (curl, CURLOPT_READFUNCTION, upload_cb);
      curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
    }
  else if (body != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) body_len);
    }
  if (method != NULL)
    curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);

  reply->code = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply->status);
  curl_slist_free_all (headers);
  return reply;
}

static Reply *
client_get (Client     *client,
            const char *path)
{
  return client_request_full (client, NULL, path, NULL, NULL, 0, FALSE, NULL);
}

static Reply *
client_post (Client        *client,
             const char    *path,
             const char    *content_type,
             gconstpointer  body,
             gsize          body_len)
{
  return client_request_full (client, NULL, path, content_type, body, body_len, FALSE, NULL);
}

static Reply *
client_post_envelope (Client *client,
                      GBytes *envelope)
{
  return client_post (client, "/v1/reports", HIRC_WIRE_ENVELOPE_MEDIA_TYPE,
                      g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope));
}

static char *
reply_text (Reply *reply)
{
  return g_strndup ((const char *) reply->body->data, reply->body->len);
}

/* Asserts the reply is the JSON error body of sync/PROTOCOL.md with this status and code. */
static void
assert_error_reply (Reply      *reply,
                    long        status,
                    const char *code)
{
  g_autofree char *got_code = NULL;
  g_autofree char *message = NULL;

  g_assert_cmpint (reply->code, ==, CURLE_OK);
  g_assert_cmpint (reply->status, ==, status);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_true (hirc_wire_error_from_json ((const char *) reply->body->data, reply->body->len,
                                            &got_code, &message));
  g_assert_cmpstr (got_code, ==, code);
  g_assert_cmpuint (strlen (message), >, 10);
}

/* Bundles. */

static JsonNode *
load_json_file (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
bundle_string (const char *bundle_path,
               const char *member)
{
  g_autoptr(JsonNode) root = load_json_file (bundle_path);
  JsonObject *object = json_node_get_object (root);

  g_assert_true (json_object_has_member (object, member));
  return g_strdup (json_object_get_string_member (object, member));
}

/* Devices. */

typedef struct
{
  HircKey *key;
  guint8   id[HIRC_ID_BYTES];
  char    *id_text;
  char    *centre_id;
  char    *status_token;
} Device;

static void
device_free (Device *device)
{
  hirc_key_unref (device->key);
  g_free (device->id_text);
  g_free (device->centre_id);
  g_free (device->status_token);
  g_free (device);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

/* An enrolment request for key with the token; the proof is made with proof_key. */
static char *
enrol_body (const char *token_base64,
            HircKey    *key,
            HircKey    *proof_key)
{
  g_autofree guint8 *token = NULL;
  gsize token_len = 0;
  g_autoptr(GBytes) message = NULL;
  guint8 proof[crypto_sign_BYTES];
  g_autofree char *public_base64 = hirc_key_public_to_base64 (key);
  g_autofree char *proof_base64 = NULL;
  const guint8 *secret;

  token = g_base64_decode (token_base64, &token_len);
  message = hirc_wire_enrol_proof_message (token, token_len, hirc_key_get_public (key));
  secret = hirc_key_get_secret (proof_key, NULL);
  crypto_sign_detached (proof, NULL, g_bytes_get_data (message, NULL),
                        g_bytes_get_size (message), secret);
  proof_base64 = g_base64_encode (proof, sizeof proof);
  return g_strdup_printf ("{\"enrolment_token\": \"%s\", \"device_public_key\": \"%s\","
                          " \"proof\": \"%s\", \"software_version\": \"0.1.0\"}",
                          token_base64, public_base64, proof_base64);
}

static Device *
enrol_device (Client     *client,
              const char *bundle_path)
{
  Device *device = g_new0 (Device, 1);
  g_autofree char *token = bundle_string (bundle_path, "enrolment_token");
  g_autofree char *body = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  device->key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  body = enrol_body (token, device->key, device->key);
  reply = client_post (client, "/v1/devices", "application/json", body, strlen (body));
  g_assert_cmpint (reply->code, ==, CURLE_OK);
  g_assert_cmpint (reply->status, ==, 201);

  text = reply_text (reply);
  root = json_from_string (text, NULL);
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  device->id_text = g_strdup (json_object_get_string_member (object, "device_id"));
  device->centre_id = g_strdup (json_object_get_string_member (object, "centre_id"));
  device->status_token = g_strdup (json_object_get_string_member (object, "status_token"));
  g_assert_true (hirc_uuid_parse (device->id_text, device->id));
  return device;
}

static GBytes *
seal_report (Device       *device,
             const guint8  report_id[HIRC_ID_BYTES],
             const char   *json)
{
  g_autoptr(GError) error = NULL;
  GBytes *envelope;

  envelope = hirc_envelope_seal ((const guint8 *) json, strlen (json), report_id, device->id,
                                 g_get_real_time () / G_USEC_PER_SEC, seal_public, device->key,
                                 &error);
  g_assert_no_error (error);
  return envelope;
}

static void
random_id (guint8 id[HIRC_ID_BYTES])
{
  randombytes_buf (id, HIRC_ID_BYTES);
  /* Version 4, variant 1, like g_uuid_string_random(). */
  id[6] = (id[6] & 0x0f) | 0x40;
  id[8] = (id[8] & 0x3f) | 0x80;
}

/* Checks that reply is a receipt for envelope that verifies with the intake's receipt key. */
static void
assert_receipt (Reply        *reply,
                GBytes       *envelope,
                const guint8  report_id[HIRC_ID_BYTES])
{
  g_autoptr(GError) error = NULL;
  HircReceipt receipt;
  guint8 hash[HIRC_HASH_BYTES];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_true (hirc_wire_receipt_from_json ((const char *) reply->body->data, reply->body->len,
                                              &receipt, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_receipt_verify (&receipt, receipt_public, &error));
  g_assert_no_error (error);
  hirc_envelope_hash (envelope, hash);
  g_assert_cmpmem (receipt.report_id, HIRC_ID_BYTES, report_id, HIRC_ID_BYTES);
  g_assert_cmpmem (receipt.envelope_hash, HIRC_HASH_BYTES, hash, HIRC_HASH_BYTES);
  g_assert_cmpint (receipt.received_at, <=, now);
  g_assert_cmpint (receipt.received_at, >, now - 3600);
}

/* The shared device and the first report it delivered, made once for every test that needs a
 * report known to be stored. */
static char *main_bundle;
static Device *main_device;
static guint8 first_report_id[HIRC_ID_BYTES];
static GBytes *first_envelope;
static GByteArray *first_receipt;

static void
ensure_first_report (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(Reply) reply = NULL;

  if (first_envelope != NULL)
    return;
  client = client_new (intake);
  main_bundle = hirc_test_intake_enrol_centre (intake, "Riverside Library");
  main_device = enrol_device (client, main_bundle);
  random_id (first_report_id);
  first_envelope = seal_report (main_device, first_report_id,
                                "{\"schema\": \"hirc.report/1\", \"what\": \"first\"}");
  reply = client_post_envelope (client, first_envelope);
  g_assert_cmpint (reply->code, ==, CURLE_OK);
  g_assert_cmpint (reply->status, ==, 201);
  assert_receipt (reply, first_envelope, first_report_id);
  first_receipt = g_byte_array_ref (reply->body);
}

/* Runs hirc-intake with args; returns the exit status. */
static int
run_intake (const char * const *args,
            char              **out,
            char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *ignored_out = NULL;
  g_autofree char *ignored_err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HIRC_INTAKE"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  /* Always captured: the child's output must not mix with this program's TAP. */
  return hirc_test_run ((const char * const *) argv->pdata, NULL,
                        out != NULL ? out : &ignored_out, err != NULL ? err : &ignored_err);
}

static gboolean
db_has_report (const char *data_dir,
               const char *report_id)
{
  g_autofree char *path = g_build_filename (data_dir, "intake.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM reports WHERE report_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  found = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return found;
}

static void
db_exec (const char *data_dir,
         const char *sql)
{
  g_autofree char *path = g_build_filename (data_dir, "intake.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Copies the row of report_id under new_id with one bit of its envelope's ciphertext flipped,
 * as a disk or an intruder might. */
static void
db_insert_tampered (const char *data_dir,
                    const char *report_id,
                    const char *new_id)
{
  g_autofree char *path = g_build_filename (data_dir, "intake.db", NULL);
  g_autofree guint8 *envelope = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int len;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT envelope FROM reports WHERE report_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  len = sqlite3_column_bytes (stmt, 0);
  envelope = g_memdup2 (sqlite3_column_blob (stmt, 0), (gsize) len);
  sqlite3_finalize (stmt);
  envelope[HIRC_ENVELOPE_HEADER_BYTES + 100] ^= 0x04;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO reports (report_id, device_id, centre_id,"
                                       " envelope, envelope_sha256, received_at, receipt)"
                                       " SELECT ?1, device_id, centre_id, ?2, envelope_sha256,"
                                       " received_at, receipt FROM reports WHERE report_id = ?3",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, new_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, envelope, len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, report_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Tests. */

static void
test_health (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autoptr(Reply) reply = client_get (client, "/v1/health");
  g_autofree char *text = reply_text (reply);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (reply->code, ==, CURLE_OK);
  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  root = json_from_string (text, NULL);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (ABS (json_object_get_int_member (object, "time") - now), <=, 5);
}

static void
test_bundle (void)
{
  g_autofree char *bundle = hirc_test_intake_enrol_centre (intake, "Bundle Centre");
  g_autoptr(JsonNode) root = load_json_file (bundle);
  JsonObject *object = json_node_get_object (root);
  JsonArray *pins = json_object_get_array_member (object, "tls_pins");
  g_autoptr(Client) client = client_new (intake);
  g_autofree char *ca = NULL;
  g_autofree char *seal_base64 = hirc_key_public_to_base64 (seal_public);
  g_autofree char *receipt_base64 = hirc_key_public_to_base64 (receipt_public);
  g_autofree guint8 *token = NULL;
  gsize token_len = 0;
  GStatBuf st;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpstr (json_object_get_string_member (object, "schema"), ==, "hirc.bundle/1");
  g_assert_cmpstr (json_object_get_string_member (object, "intake_url"), ==, intake->url);
  g_assert_cmpstr (json_object_get_string_member (object, "intake_seal_public"), ==, seal_base64);
  g_assert_cmpstr (json_object_get_string_member (object, "intake_receipt_public"), ==,
                   receipt_base64);
  g_assert_cmpuint (json_array_get_length (pins), ==, 1);
  /* The client pins with curl, which hashes the key itself: the two must agree. */
  g_assert_cmpstr (json_array_get_string_element (pins, 0), ==, client->pin);
  g_file_get_contents (intake->ca_path, &ca, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "ca_certificate"), ==, ca);
  g_assert_cmpstr (json_object_get_string_member (object, "centre_name"), ==, "Bundle Centre");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object, "centre_id")));
  token = g_base64_decode (json_object_get_string_member (object, "enrolment_token"), &token_len);
  g_assert_cmpuint (token_len, ==, 32);
  g_assert_cmpint (json_object_get_int_member (object, "token_expires"), >, now + 13 * 86400);
  g_assert_cmpint (json_object_get_int_member (object, "token_expires"), <=, now + 14 * 86400);

  g_assert_cmpint (g_stat (bundle, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_enrolment (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autofree char *bundle = hirc_test_intake_enrol_centre (intake, "Enrolment Centre");
  g_autofree char *token = bundle_string (bundle, "enrolment_token");
  g_autofree char *other_bundle = hirc_test_intake_enrol_centre (intake, "Other Centre");
  g_autofree char *other_token = bundle_string (other_bundle, "enrolment_token");
  g_autofree char *expired_bundle = hirc_test_intake_enrol_centre (intake, "Expired Centre");
  g_autofree char *expired_token = bundle_string (expired_bundle, "enrolment_token");
  g_autofree char *expired_centre = bundle_string (expired_bundle, "centre_id");
  g_autofree char *sql = NULL;
  g_autoptr(HircKey) key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) stranger = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autofree char *good = enrol_body (token, key, key);
  g_autofree char *bad_proof = enrol_body (other_token, key, stranger);
  g_autofree char *unknown = NULL;
  g_autofree char *expired = enrol_body (expired_token, key, key);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  guint8 random_token[32];
  g_autofree char *random_token_base64 = NULL;
  const char *malformed[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"enrolment_token\": 5}",
    "{\"enrolment_token\": \"AAAA\", \"device_public_key\": \"AAAA\", \"proof\": \"AAAA\"}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]",
    "{\"enrolment_token\": \"\xff\xfe\"}",
  };

  /* A good token and proof: the device is registered once. */
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/devices", "application/json",
                                          good, strlen (good));
    g_autofree guint8 *status_token = NULL;
    gsize status_token_len = 0;

    g_assert_cmpint (reply->status, ==, 201);
    g_assert_cmpstr (reply->content_type, ==, "application/json");
    text = reply_text (reply);
    root = json_from_string (text, NULL);
    object = json_node_get_object (root);
    g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object, "device_id")));
    g_assert_cmpstr (json_object_get_string_member (object, "centre_name"), ==,
                     "Enrolment Centre");
    status_token = g_base64_decode (json_object_get_string_member (object, "status_token"),
                                    &status_token_len);
    g_assert_cmpuint (status_token_len, ==, 32);
  }

  /* The same token again, even with the same key: one-time. */
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/devices", "application/json",
                                          good, strlen (good));

    assert_error_reply (reply, 403, "token_used");
  }

  /* A proof made with a key other than the one being enrolled; the token stays unspent. */
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/devices", "application/json",
                                          bad_proof, strlen (bad_proof));
    g_autofree char *fixed = enrol_body (other_token, key, key);
    g_autoptr(Reply) again = NULL;

    assert_error_reply (reply, 400, "bad_signature");
    again = client_post (client, "/v1/devices", "application/json", fixed, strlen (fixed));
    g_assert_cmpint (again->status, ==, 201);
  }

  /* A repeated member could be read two ways, so the whole request is refused and the token
   * stays unspent. */
  {
    g_autofree char *dup_bundle = hirc_test_intake_enrol_centre (intake, "Careful Centre");
    g_autofree char *dup_token = bundle_string (dup_bundle, "enrolment_token");
    g_autoptr(HircKey) dup_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
    g_autofree char *valid = enrol_body (dup_token, dup_key, dup_key);
    g_autofree char *repeated = NULL;
    g_autofree char *with_nul = NULL;
    g_autoptr(Reply) reply = NULL;

    repeated = g_strdup_printf ("%.*s, \"software_version\": \"9.9\"}",
                                (int) strlen (valid) - 1, valid);
    reply = client_post (client, "/v1/devices", "application/json", repeated,
                         strlen (repeated));
    assert_error_reply (reply, 400, "malformed_request");
    g_clear_pointer (&reply, reply_free);

    with_nul = g_strdup_printf ("%.*s, \"note\": \"a\\u0000b\"}", (int) strlen (valid) - 1,
                                valid);
    reply = client_post (client, "/v1/devices", "application/json", with_nul,
                         strlen (with_nul));
    assert_error_reply (reply, 400, "malformed_request");
    g_clear_pointer (&reply, reply_free);

    reply = client_post (client, "/v1/devices", "application/json", valid, strlen (valid));
    g_assert_cmpint (reply->status, ==, 201);
  }

  /* A token the intake never issued. */
  randombytes_buf (random_token, sizeof random_token);
  random_token_base64 = g_base64_encode (random_token, sizeof random_token);
  unknown = enrol_body (random_token_base64, key, key);
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/devices", "application/json",
                                          unknown, strlen (unknown));

    assert_error_reply (reply, 403, "token_invalid");
  }

  /* An expired token: its expiry moved into the past behind the server's back. */
  sql = g_strdup_printf ("UPDATE enrolment_tokens SET expires_at = 1 WHERE centre_id = '%s'",
                         expired_centre);
  db_exec (intake->data_dir, sql);
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/devices", "application/json",
                                          expired, strlen (expired));

    assert_error_reply (reply, 403, "token_expired");
  }

  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(Reply) reply = client_post (client, "/v1/devices", "application/json",
                                            malformed[i], strlen (malformed[i]));

      assert_error_reply (reply, 400, "malformed_request");
    }

  {
    g_autoptr(Reply) reply = client_post (client, "/v1/devices", "text/plain",
                                          good, strlen (good));

    assert_error_reply (reply, 415, "unsupported_media_type");
  }
}

static void
test_report (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autoptr(GBytes) different = NULL;
  g_autoptr(Reply) reply = NULL;
  guint8 report_id[HIRC_ID_BYTES];

  ensure_first_report ();

  /* The identical bytes again: 200 with the very same receipt. */
  reply = client_post_envelope (client, first_envelope);
  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpmem (reply->body->data, reply->body->len, first_receipt->data, first_receipt->len);
  g_clear_pointer (&reply, reply_free);

  /* Another envelope under the same id. */
  different = seal_report (main_device, first_report_id,
                           "{\"schema\": \"hirc.report/1\", \"what\": \"not the first\"}");
  reply = client_post_envelope (client, different);
  assert_error_reply (reply, 409, "conflict");
  g_clear_pointer (&reply, reply_free);

  /* A second report is a new one. */
  random_id (report_id);
  {
    g_autoptr(GBytes) second = seal_report (main_device, report_id,
                                            "{\"schema\": \"hirc.report/1\", \"what\": \"second\"}");

    reply = client_post_envelope (client, second);
    g_assert_cmpint (reply->status, ==, 201);
    assert_receipt (reply, second, report_id);
    g_clear_pointer (&reply, reply_free);
  }

  {
    char report_id_text[HIRC_UUID_STRING_BYTES];

    hirc_uuid_format (report_id, report_id_text);
    g_assert_true (db_has_report (intake->data_dir, report_id_text));
  }
}

static void
test_report_refused (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autoptr(Device) stranger = g_new0 (Device, 1);
  g_autoptr(GBytes) unknown = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GBytes) future = NULL;
  guint8 report_id[HIRC_ID_BYTES];
  char report_id_text[HIRC_UUID_STRING_BYTES];
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;

  ensure_first_report ();

  /* A device the intake never enrolled. */
  stranger->key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  random_id (stranger->id);
  random_id (report_id);
  unknown = seal_report (stranger, report_id, "{\"what\": \"unknown device\"}");
  {
    g_autoptr(Reply) reply = client_post_envelope (client, unknown);

    assert_error_reply (reply, 403, "unknown_device");
  }

  /* An enrolled device's envelope with one ciphertext bit flipped. */
  random_id (report_id);
  hirc_uuid_format (report_id, report_id_text);
  {
    g_autoptr(GBytes) good = seal_report (main_device, report_id, "{\"what\": \"tampered\"}");
    g_autoptr(Reply) reply = NULL;

    len = g_bytes_get_size (good);
    bytes = g_memdup2 (g_bytes_get_data (good, NULL), len);
    bytes[HIRC_ENVELOPE_HEADER_BYTES + 10] ^= 0x01;
    tampered = g_bytes_new (bytes, len);
    reply = client_post_envelope (client, tampered);
    assert_error_reply (reply, 403, "bad_signature");
    g_assert_false (db_has_report (intake->data_dir, report_id_text));

    /* Version 2, which this intake does not know. */
    bytes[HIRC_ENVELOPE_HEADER_BYTES + 10] ^= 0x01;
    bytes[4] = 2;
    future = g_bytes_new (bytes, len);
    g_clear_pointer (&reply, reply_free);
    reply = client_post_envelope (client, future);
    assert_error_reply (reply, 400, "unknown_version");

    /* Truncated. */
    g_clear_pointer (&reply, reply_free);
    reply = client_post (client, "/v1/reports", HIRC_WIRE_ENVELOPE_MEDIA_TYPE, bytes, 40);
    assert_error_reply (reply, 400, "malformed_envelope");

    /* Empty. */
    g_clear_pointer (&reply, reply_free);
    reply = client_post (client, "/v1/reports", HIRC_WIRE_ENVELOPE_MEDIA_TYPE, "", 0);
    assert_error_reply (reply, 400, "malformed_envelope");

    /* The right bytes with the wrong content type. */
    g_clear_pointer (&reply, reply_free);
    reply = client_post (client, "/v1/reports", "application/octet-stream",
                         g_bytes_get_data (good, NULL), g_bytes_get_size (good));
    assert_error_reply (reply, 415, "unsupported_media_type");
    g_clear_pointer (&reply, reply_free);
    reply = client_post (client, "/v1/reports", NULL,
                         g_bytes_get_data (good, NULL), g_bytes_get_size (good));
    assert_error_reply (reply, 415, "unsupported_media_type");
  }

  /* Oversized, declared up front and sent chunked without a length. */
  {
    gsize big_len = HIRC_WIRE_MAX_BODY_BYTES + 1;
    g_autofree guint8 *big = g_malloc0 (big_len);
    const char *expect[] = { "Expect: 100-continue", NULL };
    g_autoptr(Reply) declared = client_request_full (client, NULL, "/v1/reports",
                                                     HIRC_WIRE_ENVELOPE_MEDIA_TYPE, big, big_len,
                                                     FALSE, expect);
    g_autoptr(Reply) chunked = client_request_full (client, NULL, "/v1/reports",
                                                    HIRC_WIRE_ENVELOPE_MEDIA_TYPE, big, big_len,
                                                    TRUE, NULL);
    g_autoptr(Reply) chunked_json = client_request_full (client, NULL, "/v1/devices",
                                                         "application/json", big, big_len,
                                                         TRUE, NULL);

    assert_error_reply (declared, 413, "too_large");
    assert_error_reply (chunked, 413, "too_large");
    assert_error_reply (chunked_json, 413, "too_large");
  }

  /* Unknown addresses and methods; the device id is never taken from the address. */
  {
    g_autofree char *with_id = g_strdup_printf ("/v1/reports/%s", main_device->id_text);
    g_autoptr(Reply) not_found = client_get (client, "/v1/nothing");
    g_autoptr(Reply) not_found_id = client_get (client, with_id);
    g_autoptr(Reply) wrong_method = client_get (client, "/v1/reports");
    g_autoptr(Reply) put_health = client_request_full (client, "PUT", "/v1/health",
                                                       "application/json", "{}", 2, FALSE, NULL);
    g_autoptr(Reply) delete = client_request_full (client, "DELETE", "/v1/devices", NULL, NULL,
                                                   0, FALSE, NULL);

    assert_error_reply (not_found, 404, "not_found");
    assert_error_reply (not_found_id, 404, "not_found");
    assert_error_reply (wrong_method, 405, "method_not_allowed");
    assert_error_reply (put_health, 405, "method_not_allowed");
    assert_error_reply (delete, 405, "method_not_allowed");
  }
}

static void
test_status (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autofree char *body = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *centre_id = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *centre = NULL;
  JsonArray *centres;
  guint8 other_token[32];
  g_autofree char *other_token_base64 = NULL;
  g_autofree char *month = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *args[] = { "centres", "--data", intake->data_dir, "--json", NULL };
  const char *text_args[] = { "centres", "--data", intake->data_dir, NULL };
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  ensure_first_report ();
  centre_id = bundle_string (main_bundle, "centre_id");

  body = g_strdup_printf ("{\"device_id\": \"%s\", \"status_token\": \"%s\", \"queue_depth\": 3,"
                          " \"rejected\": 1, \"software_version\": \"0.1.0-test\","
                          " \"kiosk_time\": %" G_GINT64_FORMAT "}",
                          main_device->id_text, main_device->status_token, before);
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/status", "application/json",
                                          body, strlen (body));

    g_assert_cmpint (reply->code, ==, CURLE_OK);
    g_assert_cmpint (reply->status, ==, 204);
    g_assert_cmpuint (reply->body->len, ==, 0);
  }

  randombytes_buf (other_token, sizeof other_token);
  other_token_base64 = g_base64_encode (other_token, sizeof other_token);
  wrong = g_strdup_printf ("{\"device_id\": \"%s\", \"status_token\": \"%s\", \"queue_depth\": 99,"
                           " \"rejected\": 0, \"software_version\": \"evil\","
                           " \"kiosk_time\": 0}",
                           main_device->id_text, other_token_base64);
  {
    g_autoptr(Reply) reply = client_post (client, "/v1/status", "application/json",
                                          wrong, strlen (wrong));
    g_autoptr(Reply) malformed = client_post (client, "/v1/status", "application/json",
                                              "{\"device_id\": 1}", 16);

    assert_error_reply (reply, 403, "unknown_device");
    assert_error_reply (malformed, 400, "malformed_request");
  }

  g_assert_cmpint (run_intake (args, &out, &err), ==, 0);
  root = json_from_string (out, NULL);
  g_assert_nonnull (root);
  centres = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (centres); i++)
    {
      JsonObject *object = json_array_get_object_element (centres, i);

      if (g_strcmp0 (json_object_get_string_member (object, "centre_id"), centre_id) == 0)
        centre = object;
    }
  g_assert_nonnull (centre);
  g_assert_cmpstr (json_object_get_string_member (centre, "name"), ==, "Riverside Library");
  g_assert_cmpint (json_object_get_int_member (centre, "queue_depth"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (centre, "rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (centre, "last_contact"), >=, before);
  g_assert_cmpint (json_object_get_int_member (centre, "devices"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (centre, "software_versions"), 0),
                   ==, "0.1.0-test");
  month = g_date_time_format (now, "%Y-%m");
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (centre, "reports_per_month"), month),
                   >=, 1);
  g_assert_cmpuint (json_object_get_size (
                      json_object_get_object_member (centre, "reports_per_month")), ==, 12);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_intake (text_args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Riverside Library"));
  g_assert_nonnull (strstr (out, "queue depth: 3"));
  g_assert_nonnull (strstr (out, "0.1.0-test"));
}

/* The element of an exported JSON array for report_id. */
static JsonObject *
find_exported (JsonArray  *array,
               const char *report_id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "report_id"), report_id) == 0)
        return object;
    }
  return NULL;
}

/* Splits RFC 4180 CSV into rows of fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          g_assert_cmpint (*p, ==, '"');
          p++;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else if (p[0] == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
          p += 2;
        }
      else
        g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (fields->len, ==, 0);
  return rows;
}

static const char *
csv_cell (GPtrArray  *rows,
          guint       row,
          const char *column)
{
  char **header = g_ptr_array_index (rows, 0);
  char **cells = g_ptr_array_index (rows, row);

  for (guint i = 0; header[i] != NULL; i++)
    if (g_strcmp0 (header[i], column) == 0)
      return cells[i];
  return NULL;
}

static void
test_export (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autofree char *bundle = hirc_test_intake_enrol_centre (intake, "Export Centre");
  g_autoptr(Device) device = enrol_device (client, bundle);
  const char *report_a = "{\"schema\":\"hirc.report/1\",\"what\":\"Shouted at, \\\"twice\\\"\\nnear the bus stop\","
                         "\"where\":{\"town\":\"Riverside\",\"detail\":{\"street\":\"High St\"}},"
                         "\"categories\":[\"race\",\"religion\"],\"police\":false,\"count\":2,"
                         "\"note\":\"=HYPERLINK(\\\"http://x\\\")\",\"minus\":\"-1+1\",\"at\":\"@SUM(1)\","
                         "\"plus\":\"+1\",\"empty\":null}";
  const char *report_b = "{\"schema\":\"hirc.report/1\",\"what\":\"Graffiti\",\"extra\":\"only in b\"}";
  guint8 id_a[HIRC_ID_BYTES];
  guint8 id_b[HIRC_ID_BYTES];
  char id_a_text[HIRC_UUID_STRING_BYTES];
  char id_b_text[HIRC_UUID_STRING_BYTES];
  g_autofree char *out_path = g_build_filename (intake->dir, "export.json", NULL);
  g_autofree char *csv_path = g_build_filename (intake->dir, "export.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) expected_a = json_from_string (report_a, NULL);
  g_autoptr(JsonNode) expected_b = json_from_string (report_b, NULL);
  g_autoptr(GPtrArray) rows = NULL;
  JsonObject *element;
  GStatBuf st;
  guint row_a = 0;

  random_id (id_a);
  random_id (id_b);
  hirc_uuid_format (id_a, id_a_text);
  hirc_uuid_format (id_b, id_b_text);
  {
    g_autoptr(GBytes) envelope_a = seal_report (device, id_a, report_a);
    g_autoptr(GBytes) envelope_b = seal_report (device, id_b, report_b);
    g_autoptr(Reply) reply_a = client_post_envelope (client, envelope_a);
    g_autoptr(Reply) reply_b = client_post_envelope (client, envelope_b);

    g_assert_cmpint (reply_a->status, ==, 201);
    g_assert_cmpint (reply_b->status, ==, 201);
  }

  /* JSON, to a file only its owner can read. */
  {
    const char *args[] = { "export", "--data", intake->data_dir,
                           "--secret-key", intake->seal_secret_path,
                           "--format", "json", "--out", out_path, NULL };

    g_assert_cmpint (run_intake (args, NULL, &err), ==, 0);
    g_assert_cmpint (g_stat (out_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    root = load_json_file (out_path);
  }
  element = find_exported (json_node_get_array (root), id_a_text);
  g_assert_nonnull (element);
  g_assert_true (json_node_equal (json_object_get_member (element, "report"), expected_a));
  g_assert_cmpstr (json_object_get_string_member (element, "centre_id"), ==, device->centre_id);
  g_assert_cmpstr (json_object_get_string_member (element, "device_id"), ==, device->id_text);
  g_assert_cmpint (json_object_get_int_member (element, "received_at"), >, 0);
  element = find_exported (json_node_get_array (root), id_b_text);
  g_assert_nonnull (element);
  g_assert_true (json_node_equal (json_object_get_member (element, "report"), expected_b));

  /* --since in the future leaves nothing; a date long past keeps everything. */
  {
    g_autofree char *tomorrow = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 g_get_real_time () / G_USEC_PER_SEC + 86400);
    const char *args[] = { "export", "--data", intake->data_dir,
                           "--secret-key", intake->seal_secret_path,
                           "--format", "json", "--since", tomorrow, NULL };
    const char *date_args[] = { "export", "--data", intake->data_dir,
                                "--secret-key", intake->seal_secret_path,
                                "--format", "json", "--since", "2020-01-01", NULL };
    g_autoptr(JsonNode) empty = NULL;
    g_autoptr(JsonNode) all = NULL;

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_intake (args, &out, &err), ==, 0);
    empty = json_from_string (out, NULL);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (empty)), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_intake (date_args, &out, &err), ==, 0);
    all = json_from_string (out, NULL);
    g_assert_nonnull (find_exported (json_node_get_array (all), id_a_text));
    g_clear_pointer (&out, g_free);
  }

  /* CSV: flattened, quoted, formulas neutralised. */
  {
    const char *args[] = { "export", "--data", intake->data_dir,
                           "--secret-key", intake->seal_secret_path,
                           "--format", "csv", "--out", csv_path, NULL };

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_intake (args, NULL, &err), ==, 0);
    g_file_get_contents (csv_path, &csv, NULL, NULL);
    rows = parse_csv (csv);
  }
  g_assert_cmpuint (rows->len, >=, 3);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, "report_id");
  for (guint i = 1; i < rows->len; i++)
    {
      g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, i)), ==,
                        g_strv_length (g_ptr_array_index (rows, 0)));
      if (g_strcmp0 (csv_cell (rows, i, "report_id"), id_a_text) == 0)
        row_a = i;
    }
  g_assert_cmpuint (row_a, >, 0);
  g_assert_cmpstr (csv_cell (rows, row_a, "report.what"), ==,
                   "Shouted at, \"twice\"\nnear the bus stop");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.where.town"), ==, "Riverside");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.where.detail.street"), ==, "High St");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.categories"), ==, "race; religion");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.police"), ==, "false");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.count"), ==, "2");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.note"), ==, "'=HYPERLINK(\"http://x\")");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.minus"), ==, "'-1+1");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.at"), ==, "'@SUM(1)");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.plus"), ==, "'+1");
  g_assert_cmpstr (csv_cell (rows, row_a, "report.empty"), ==, "");
  /* A column only report b has is empty in report a's row. */
  g_assert_cmpstr (csv_cell (rows, row_a, "report.extra"), ==, "");
  g_assert_cmpstr (csv_cell (rows, row_a, "centre_id"), ==, device->centre_id);
}

static void
test_export_failures (void)
{
  g_autofree char *copy_dir = g_build_filename (intake->dir, "export-copy", NULL);
  g_autofree char *copy_db = g_build_filename (copy_dir, "intake.db", NULL);
  g_autofree char *vacuum = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *wrong_key_path = g_build_filename (intake->dir, "wrong-seal.secret", NULL);
  g_autoptr(HircKey) wrong_key = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *bad_id = "00000000-0000-4000-8000-00000000bad0";
  char first_id[HIRC_UUID_STRING_BYTES];
  const char *args[] = { "export", "--data", copy_dir, "--secret-key", intake->seal_secret_path,
                         "--format", "json", NULL };
  const char *csv_args[] = { "export", "--data", copy_dir,
                             "--secret-key", intake->seal_secret_path, "--format", "csv", NULL };
  const char *wrong_args[] = { "export", "--data", copy_dir, "--secret-key", wrong_key_path,
                               "--format", "json", NULL };

  ensure_first_report ();
  hirc_uuid_format (first_report_id, first_id);

  /* A consistent copy of the live database, as an operator would take to the workstation. */
  g_assert_cmpint (g_mkdir_with_parents (copy_dir, 0700), ==, 0);
  vacuum = g_strdup_printf ("VACUUM INTO '%s'", copy_db);
  db_exec (intake->data_dir, vacuum);

  /* A stored envelope with one flipped bit, under a report id of its own. */
  db_insert_tampered (copy_dir, first_id, bad_id);

  g_assert_cmpint (run_intake (args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, bad_id));
  root = json_from_string (out, NULL);
  g_assert_nonnull (root);
  g_assert_nonnull (find_exported (json_node_get_array (root), first_id));
  g_assert_null (find_exported (json_node_get_array (root), bad_id));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_intake (csv_args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, bad_id));
  g_assert_null (strstr (out, bad_id));
  g_assert_nonnull (strstr (out, first_id));

  /* A secret key that is not the partnership's opens nothing. */
  g_assert_true (hirc_key_save (wrong_key, wrong_key_path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_intake (wrong_args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, first_id));
  g_assert_nonnull (strstr (err, "not sealed to this secret key"));
}

/* Garbage. */

static char *
random_text (gsize       len,
             const char *alphabet)
{
  gsize n = strlen (alphabet);
  char *text = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    text[i] = alphabet[g_test_rand_int_range (0, (gint32) n)];
  text[len] = '\0';
  return text;
}

static GBytes *
random_body (void)
{
  static const char * const templates[] = {
    "{}", "[]", "null", "{\"enrolment_token\":", "{\"device_id\": \"", "\"\\u0000\"",
    "{\"a\":1e999999}", "{\"queue_depth\": -1}", "\xef\xbb\xbf{}", "{\"x\":\"\xc3\x28\"}",
  };
  gsize len;

  switch (g_test_rand_int_range (0, 5))
    {
    case 0:
      return g_bytes_new (NULL, 0);
    case 1:
      {
        guint8 *data;

        len = (gsize) g_test_rand_int_range (1, 4096);
        data = g_malloc (len);
        for (gsize i = 0; i < len; i++)
          data[i] = (guint8) g_test_rand_int_range (0, 256);
        return g_bytes_new_take (data, len);
      }
    case 2:
      {
        const char *template = templates[g_test_rand_int_range (0, G_N_ELEMENTS (templates))];

        return g_bytes_new (template, strlen (template));
      }
    case 3:
      {
        /* Deep nesting, which would overflow json-glib's recursion. */
        len = (gsize) g_test_rand_int_range (1000, 100000);
        return g_bytes_new_take (random_text (len, "[{"), len);
      }
    default:
      {
        /* The stored envelope, mutated: flipped bytes, cut short or grown. */
        gsize envelope_len = 0;
        const guint8 *envelope = g_bytes_get_data (first_envelope, &envelope_len);
        guint8 *data = g_memdup2 (envelope, envelope_len);
        guint flips = (guint) g_test_rand_int_range (1, 8);

        for (guint i = 0; i < flips; i++)
          data[g_test_rand_int_range (0, (gint32) envelope_len)] ^=
            (guint8) g_test_rand_int_range (1, 256);
        len = envelope_len;
        if (g_test_rand_bit ())
          len = (gsize) g_test_rand_int_range (0, (gint32) envelope_len);
        return g_bytes_new_take (data, len);
      }
    }
}

static void
garbage_requests (Client *client)
{
  static const char * const methods[] = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW", "post", "G\tET",
  };
  static const char * const paths[] = {
    "/v1/health", "/v1/devices", "/v1/reports", "/v1/status", "/", "/v1/", "/v1/reports/",
    "/v2/reports", "/v1/health/../reports", "/%00", "/v1/reports?device_id=x", "/V1/HEALTH",
    "/v1/reports%2f", "//v1/reports", "/v1/reports#x", "/*",
  };
  static const char * const content_types[] = {
    NULL, "application/json", HIRC_WIRE_ENVELOPE_MEDIA_TYPE, "text/plain",
    "application/json; charset=utf-8", "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded", "application/vnd.hirc.envelope; v=2", "",
    "APPLICATION/JSON",
  };
  guint answered = 0;
  guint closed = 0;

  for (guint n = 0; n < GARBAGE_REQUESTS; n++)
    {
      const char *method = methods[g_test_rand_int_range (0, G_N_ELEMENTS (methods))];
      g_autofree char *path = NULL;
      const char *content_type =
        content_types[g_test_rand_int_range (0, G_N_ELEMENTS (content_types))];
      g_autoptr(GBytes) body = random_body ();
      g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(Reply) reply = NULL;
      guint n_headers = (guint) g_test_rand_int_range (0, 4);
      gboolean health = FALSE;

      if (g_test_rand_int_range (0, 4) == 0)
        {
          g_autofree char *tail = random_text ((gsize) g_test_rand_int_range (0, 3000),
                                               "abcXYZ019/%._~-!$&'()*+,;=:@");
          path = g_strconcat ("/", tail, NULL);
        }
      else
        path = g_strdup (paths[g_test_rand_int_range (0, G_N_ELEMENTS (paths))]);

      for (guint h = 0; h < n_headers; h++)
        {
          switch (g_test_rand_int_range (0, 6))
            {
            case 0:
              g_ptr_array_add (headers, g_strdup ("Expect: 100-continue"));
              break;
            case 1:
              g_ptr_array_add (headers, g_strdup ("Content-Encoding: gzip"));
              break;
            case 2:
              g_ptr_array_add (headers, g_strdup ("Connection: close"));
              break;
            case 3:
              {
                g_autofree char *value = random_text ((gsize) g_test_rand_int_range (0, 40000),
                                                      "abcdefghijklmnopqrstuvwxyz0123456789 ");
                g_ptr_array_add (headers, g_strconcat ("X-Long: ", value, NULL));
              }
              break;
            case 4:
              /* Shorter than most bodies, so the rest arrives as a request of its own. (A longer
               * one is a slow client, which test_slow_client covers.) */
              g_ptr_array_add (headers, g_strdup ("Content-Length: 0"));
              break;
            default:
              {
                g_autofree char *name = random_text ((gsize) g_test_rand_int_range (1, 20),
                                                     "abcdefghijklmnopqrstuvwxyz-");
                g_autofree char *value = random_text ((gsize) g_test_rand_int_range (0, 100),
                                                      "abc!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ ");
                g_ptr_array_add (headers, g_strdup_printf ("X-%s: %s", name, value));
              }
              break;
            }
        }
      g_ptr_array_add (headers, NULL);

      health = strcmp (method, "GET") == 0 && strcmp (path, "/v1/health") == 0;
      reply = client_request_full (client, method, path, content_type,
                                   g_bytes_get_size (body) > 0 || g_test_rand_bit ()
                                   ? g_bytes_get_data (body, NULL) : NULL,
                                   g_bytes_get_size (body), g_test_rand_int_range (0, 8) == 0,
                                   (const char * const *) headers->pdata);

      /* A hang is the one failure: every request is answered with a 4xx or closed. */
      if (reply->code == CURLE_OPERATION_TIMEDOUT)
        {
          g_autofree char *joined = g_strjoinv (" | ", (char **) headers->pdata);

          g_error ("%s %.100s (%s, %" G_GSIZE_FORMAT " bytes) timed out; headers: %.200s",
                   method, path, content_type != NULL ? content_type : "no content type",
                   g_bytes_get_size (body), joined);
        }
      if (reply->code != CURLE_OK || reply->status == 0)
        {
          closed++;
          continue;
        }
      answered++;
      if (health && reply->status == 200)
        continue;
      if (reply->status < 400 || reply->status > 499)
        g_error ("%s %s (%s) was answered %ld", method, path,
                 content_type != NULL ? content_type : "no content type", reply->status);
    }
  g_test_message ("garbage: %u answered with 4xx, %u closed", answered, closed);
  g_assert_cmpuint (answered, >, GARBAGE_REQUESTS / 2);
}

/* Raw bytes inside a verified TLS connection, and on a plain TCP connection to the TLS port. */
static void
garbage_bytes (Client *client)
{
  for (guint n = 0; n < 20; n++)
    {
      CURL *curl = curl_easy_init ();
      gsize len = (gsize) g_test_rand_int_range (1, 4000);
      g_autofree guint8 *bytes = g_malloc (len + 4);
      curl_socket_t socket_fd;
      gsize sent = 0;
      char answer[64] = { 0 };
      size_t got = 0;
      CURLcode code = CURLE_AGAIN;
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      for (gsize i = 0; i < len; i++)
        bytes[i] = (guint8) g_test_rand_int_range (0, 256);
      memcpy (bytes + len, "\r\n\r\n", 4);

      curl_easy_setopt (curl, CURLOPT_URL, client->base_url);
      curl_easy_setopt (curl, CURLOPT_CAINFO, client->ca_path);
      curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, client->pin);
      curl_easy_setopt (curl, CURLOPT_CONNECT_ONLY, 1L);
      curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);
      g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
      curl_easy_getinfo (curl, CURLINFO_ACTIVESOCKET, &socket_fd);

      while (sent < len + 4 && g_get_monotonic_time () < deadline)
        {
          size_t n_sent = 0;

          code = curl_easy_send (curl, bytes + sent, len + 4 - sent, &n_sent);
          if (code == CURLE_AGAIN)
            g_usleep (1000);
          else if (code != CURLE_OK)
            break;
          sent += n_sent;
        }

      for (;;)
        {
          code = curl_easy_recv (curl, answer, sizeof answer - 1, &got);
          if (code != CURLE_AGAIN)
            break;
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (1000);
        }
      /* Either an HTTP 4xx or the connection closed. */
      if (code == CURLE_OK && got > 0)
        g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 4") || g_str_has_prefix (answer, "HTTP/1.0 4"));
      curl_easy_cleanup (curl);
    }

  for (guint n = 0; n < 20; n++)
    {
      g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) error = NULL;
      const char *plain = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      gsize len = n % 2 == 0 ? strlen (plain) : (gsize) g_test_rand_int_range (1, 4000);
      g_autofree guint8 *bytes = g_malloc (len);
      guint8 buffer[4096];
      GInputStream *input;
      GOutputStream *output;
      gboolean closed = FALSE;

      /* Plain HTTP to the TLS port, or noise. */
      if (n % 2 == 0)
        memcpy (bytes, plain, len);
      else
        for (gsize i = 0; i < len; i++)
          bytes[i] = (guint8) g_test_rand_int_range (0, 256);

      g_socket_client_set_timeout (socket_client, 10);
      connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", intake->port,
                                                    NULL, &error);
      g_assert_no_error (error);
      output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      /* The server may hang up before taking it all. Half-closing then tells it no more is
       * coming: a partial TLS record would otherwise rightly wait for the idle timeout. */
      g_output_stream_write_all (output, bytes, len, NULL, NULL, NULL);
      g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
      for (guint reads = 0; reads < 100 && !closed; reads++)
        {
          gssize n_read = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);

          g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
          closed = n_read <= 0;
          g_clear_error (&error);
        }
      g_assert_true (closed);
    }
}

static void
test_garbage (void)
{
  g_autoptr(Client) client = client_new (intake);
  g_autoptr(Client) fresh = NULL;
  g_autoptr(Reply) health = NULL;
  g_autoptr(Reply) again = NULL;
  g_autofree char *db_path = g_build_filename (intake->data_dir, "intake.db", NULL);
  char first_id[HIRC_UUID_STRING_BYTES];
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  ensure_first_report ();
  garbage_requests (client);
  garbage_bytes (client);

  /* Still up, on a fresh connection, and still holding the report with its receipt. */
  fresh = client_new (intake);
  health = client_get (fresh, "/v1/health");
  g_assert_cmpint (health->status, ==, 200);
  again = client_post_envelope (fresh, first_envelope);
  g_assert_cmpint (again->status, ==, 200);
  g_assert_cmpmem (again->body->data, again->body->len, first_receipt->data, first_receipt->len);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  hirc_uuid_format (first_report_id, first_id);
  g_assert_true (db_has_report (intake->data_dir, first_id));
}

static void
test_rate_limit (void)
{
  g_autofree char *dir = g_build_filename (test_dir, "rate", NULL);
  g_autoptr(HircTestIntake) limited = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(Device) device = NULL;
  g_autofree char *bundle = NULL;
  /* One more report every 50 s: however slow this machine is, the fourth report comes before
   * the bucket has refilled. */
  const char *args[] = { "--device-rate", "0.02", "--device-burst", "3", NULL };
  guint64 retry_after = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  limited = hirc_test_intake_new (dir);
  hirc_test_intake_set_serve_args (limited, args);
  hirc_test_intake_start (limited);
  bundle = hirc_test_intake_enrol_centre (limited, "Busy Centre");
  client = client_new (limited);
  device = enrol_device (client, bundle);

  for (guint i = 0; i < 4; i++)
    {
      guint8 report_id[HIRC_ID_BYTES];
      g_autoptr(GBytes) envelope = NULL;
      g_autoptr(Reply) reply = NULL;

      random_id (report_id);
      envelope = seal_report (device, report_id, "{\"what\": \"one of many\"}");
      reply = client_post_envelope (client, envelope);
      if (i < 3)
        {
          g_assert_cmpint (reply->status, ==, 201);
          continue;
        }
      assert_error_reply (reply, 429, "rate_limited");
      g_assert_nonnull (reply->retry_after);
      g_assert_true (g_ascii_string_to_unsigned (reply->retry_after, 10, 1, 60, &retry_after,
                                                 NULL));
    }

  /* Other requests are not counted against the device. */
  {
    g_autoptr(Reply) health = client_get (client, "/v1/health");

    g_assert_cmpint (health->status, ==, 200);
  }
  hirc_test_intake_stop (limited);
}

/* A verified TLS connection to the server with nothing sent yet. */
static CURL *
open_raw_connection (Client *client)
{
  CURL *curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, client->base_url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, client->ca_path);
  curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, client->pin);
  curl_easy_setopt (curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  return curl;
}

static void
raw_send (CURL       *curl,
          const char *text)
{
  size_t sent = 0;

  for (guint tries = 0; tries < 1000 && sent < strlen (text); tries++)
    {
      size_t n = 0;
      CURLcode code = curl_easy_send (curl, text + sent, strlen (text) - sent, &n);

      if (code == CURLE_AGAIN)
        g_usleep (1000);
      else
        g_assert_cmpint (code, ==, CURLE_OK);
      sent += n;
    }
  g_assert_cmpuint (sent, ==, strlen (text));
}

/* TRUE when the server closed the connection (without answering) by the deadline. */
static gboolean
raw_closed_by (CURL   *curl,
               gint64  deadline)
{
  while (g_get_monotonic_time () < deadline)
    {
      char buffer[256];
      size_t got = 0;
      CURLcode code = curl_easy_recv (curl, buffer, sizeof buffer, &got);

      if (code == CURLE_AGAIN)
        {
          g_usleep (10000);
          continue;
        }
      return code != CURLE_OK || got == 0;
    }
  return FALSE;
}

static void
test_slow_client (void)
{
  g_autofree char *dir = g_build_filename (test_dir, "slow", NULL);
  g_autoptr(HircTestIntake) server = NULL;
  g_autoptr(Client) client = NULL;
  const char *args[] = { "--connection-timeout", "1", NULL };
  CURL *idle;
  CURL *partial;
  CURL *dribble;
  gint64 start;
  gint64 elapsed;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  server = hirc_test_intake_new (dir);
  hirc_test_intake_set_serve_args (server, args);
  hirc_test_intake_start (server);
  client = client_new (server);

  start = g_get_monotonic_time ();
  idle = open_raw_connection (client);
  partial = open_raw_connection (client);
  raw_send (partial, "POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n");

  /* Silence and half a request are closed after the idle timeout. */
  g_assert_true (raw_closed_by (idle, start + 5 * G_USEC_PER_SEC));
  g_assert_true (raw_closed_by (partial, start + 5 * G_USEC_PER_SEC));

  /* A byte now and then keeps a connection from being idle, but not for ever: the body must be
   * complete within twice the timeout of the headers. */
  start = g_get_monotonic_time ();
  dribble = open_raw_connection (client);
  raw_send (dribble, "POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/vnd.hirc.envelope\r\n"
                     "Content-Length: 1000\r\n\r\nHIRC");
  for (guint i = 0; i < 50; i++)
    {
      size_t n = 0;

      if (curl_easy_send (dribble, "x", 1, &n) != CURLE_OK)
        break;
      g_usleep (200000);
    }
  g_assert_true (raw_closed_by (dribble, g_get_monotonic_time () + 2 * G_USEC_PER_SEC));
  elapsed = g_get_monotonic_time () - start;
  /* Closed after the body's deadline of 2 s, and well before the 10 s of dribbling ended. */
  g_assert_cmpint (elapsed, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 9 * G_USEC_PER_SEC);

  curl_easy_cleanup (idle);
  curl_easy_cleanup (partial);
  curl_easy_cleanup (dribble);

  /* And the server is still there for everyone else. */
  {
    g_autoptr(Reply) health = client_get (client, "/v1/health");

    g_assert_cmpint (health->status, ==, 200);
  }
  hirc_test_intake_stop (server);
}

static void
test_restart (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(Reply) reply = NULL;
  guint16 port;

  ensure_first_report ();
  port = intake->port;

  hirc_test_intake_restart (intake);
  g_assert_cmpint (intake->port, ==, port);
  client = client_new (intake);
  reply = client_post_envelope (client, first_envelope);
  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpmem (reply->body->data, reply->body->len, first_receipt->data, first_receipt->len);
  g_clear_pointer (&reply, reply_free);

  /* A hard kill loses nothing that was acknowledged. */
  hirc_test_intake_kill (intake);
  hirc_test_intake_start (intake);
  g_assert_cmpint (intake->port, ==, port);
  reply = client_post_envelope (client, first_envelope);
  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpmem (reply->body->data, reply->body->len, first_receipt->data, first_receipt->len);
}

static void
test_refuses_seal_secret (void)
{
  g_autofree char *dir = g_build_filename (test_dir, "careless", NULL);
  g_autoptr(HircTestIntake) careless = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gsize len = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  careless = hirc_test_intake_new (dir);
  g_assert_true (g_file_get_contents (careless->seal_secret_path, &contents, &len, NULL));
  copy = g_build_filename (careless->data_dir, "seal.secret", NULL);
  g_assert_true (g_file_set_contents_full (copy, contents, (gssize) len,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  {
    const char *args[] = { "serve", "--data", careless->data_dir, "--listen", "127.0.0.1:0",
                           NULL };

    g_assert_cmpint (run_intake (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "seal.secret"));
    g_assert_null (strstr (out, "listening"));
  }
}

static void
test_cli (void)
{
  g_autofree char *dir = g_build_filename (test_dir, "cli", NULL);
  g_autoptr(HircTestIntake) self_signed = NULL;
  g_autofree char *bundle_path = g_build_filename (dir, "bundle.json", NULL);
  g_autofree char *again_path = g_build_filename (dir, "again.json", NULL);
  g_autofree char *cert = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *centre_id = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *pins;
  gsize cert_len = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *backup = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  struct
  {
    const char *args[12];
    int status;
  } cases[] = {
    { { NULL }, 2 },
    { { "frobnicate", NULL }, 2 },
    { { "keygen", NULL }, 2 },
    { { "keygen", "--out", intake->data_dir, NULL }, 1 },
    { { "serve", NULL }, 2 },
    { { "serve", "--data", intake->data_dir, "--listen", "localhost:1", NULL }, 1 },
    { { "export", "--data", intake->data_dir, NULL }, 2 },
    { { "export", "--data", intake->data_dir, "--secret-key", intake->seal_secret_path,
        "--format", "xml", NULL }, 2 },
    { { "export", "--data", intake->data_dir, "--secret-key", intake->seal_secret_path,
        "--format", "json", "--since", "yesterday", NULL }, 2 },
    { { "export", "--data", dir, "--secret-key", intake->seal_secret_path,
        "--format", "json", NULL }, 1 },
    { { "export", "--data", intake->data_dir, "--secret-key", intake->seal_public_path,
        "--format", "json", NULL }, 1 },
    { { "enrol-centre", "--data", intake->data_dir, "--name", "X", "--url", "http://a",
        "--out", bundle_path, NULL }, 2 },
    { { "enrol-centre", "--data", intake->data_dir, "--name", "X", "--url", "https://a/path",
        "--out", bundle_path, NULL }, 2 },
    { { "enrol-centre", "--data", intake->data_dir, "--name", "X", "--url", "https://a",
        "--backup-pin", "md5//x", "--out", bundle_path, NULL }, 2 },
    { { "enrol-centre", "--data", intake->data_dir, "--name", "X", "--url", "https://a",
        "--expires-days", "0", "--out", bundle_path, NULL }, 2 },
    { { "centres", NULL }, 2 },
    { { "centres", "--data", dir, NULL }, 1 },
    { { "--help", NULL }, 0 },
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = run_intake (cases[i].args, &out, &err);

      if (status != cases[i].status)
        g_error ("hirc-intake %s: exit %d, expected %d: %s",
                 cases[i].args[0] != NULL ? cases[i].args[0] : "", status, cases[i].status, err);
      if (status != 0)
        {
          /* One line saying what is wrong, before any help text. */
          g_assert_true (g_str_has_prefix (err, "hirc-intake: "));
          g_assert_null (strstr (err, "(null)"));
        }
    }
  g_assert_false (g_file_test (bundle_path, G_FILE_TEST_EXISTS));

  /* A self-signed certificate is its own CA in the bundle; backup pins follow the real one. */
  self_signed = hirc_test_intake_new (dir);
  g_unlink (self_signed->ca_path);
  hirc_test_make_certificate (self_signed->cert_path, self_signed->key_path, NULL, NULL,
                              now - 3600, now + 86400);
  {
    const char *args[] = { "enrol-centre", "--data", self_signed->data_dir, "--name",
                           "Library, \"Main\" branch", "--url", "https://127.0.0.1:8443/",
                           "--backup-pin", backup, "--expires-days", "3", "--out", bundle_path,
                           NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_intake (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, bundle_path));
  }
  g_assert_true (g_file_get_contents (self_signed->cert_path, &cert, &cert_len, NULL));
  pin = hirc_intake_tls_pin_from_pem (cert, cert_len, &error);
  g_assert_no_error (error);
  root = load_json_file (bundle_path);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "ca_certificate"), ==, cert);
  g_assert_cmpstr (json_object_get_string_member (object, "intake_url"), ==,
                   "https://127.0.0.1:8443");
  g_assert_cmpstr (json_object_get_string_member (object, "centre_name"), ==,
                   "Library, \"Main\" branch");
  pins = json_object_get_array_member (object, "tls_pins");
  g_assert_cmpuint (json_array_get_length (pins), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (pins, 0), ==, pin);
  g_assert_cmpstr (json_array_get_string_element (pins, 1), ==, backup);
  /* Three days from when the command ran: between the start of this test and now. */
  g_assert_cmpint (json_object_get_int_member (object, "token_expires"), >=, now + 3 * 86400);
  g_assert_cmpint (json_object_get_int_member (object, "token_expires"), <=,
                   g_get_real_time () / G_USEC_PER_SEC + 3 * 86400);

  /* A second token for the same centre. */
  centre_id = g_strdup (json_object_get_string_member (object, "centre_id"));
  {
    const char *args[] = { "enrol-centre", "--data", self_signed->data_dir, "--centre-id",
                           centre_id, "--url", "https://127.0.0.1:8443", "--out", again_path,
                           NULL };
    const char *unknown[] = { "enrol-centre", "--data", self_signed->data_dir, "--centre-id",
                              "00000000-0000-4000-8000-000000000000", "--url",
                              "https://127.0.0.1:8443", "--out", again_path, NULL };
    g_autoptr(JsonNode) again = NULL;

    g_assert_cmpint (run_intake (args, NULL, NULL), ==, 0);
    again = load_json_file (again_path);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "centre_id"),
                     ==, centre_id);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "centre_name"),
                     ==, "Library, \"Main\" branch");
    g_assert_cmpint (run_intake (unknown, NULL, NULL), ==, 1);
  }
}

int
main (int    argc,
      char  *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The server closes connections it refuses mid-upload; writing to them must fail, not kill. */
  signal (SIGPIPE, SIG_IGN);
  g_assert_true (hirc_secure_init (&error));
  g_assert_cmpint (curl_global_init (CURL_GLOBAL_DEFAULT), ==, CURLE_OK);

  test_dir = hirc_test_make_temp_dir ("hirc-test-intake");
  intake = hirc_test_intake_new (test_dir);
  hirc_test_intake_start (intake);
  seal_public = hirc_key_load (intake->seal_public_path, HIRC_KEY_KIND_SEAL_PUBLIC, &error);
  g_assert_no_error (error);
  receipt_public = hirc_key_load (intake->receipt_public_path, HIRC_KEY_KIND_SIGN_PUBLIC, &error);
  g_assert_no_error (error);

  g_test_add_func ("/intake/health", test_health);
  g_test_add_func ("/intake/bundle", test_bundle);
  g_test_add_func ("/intake/enrolment", test_enrolment);
  g_test_add_func ("/intake/report", test_report);
  g_test_add_func ("/intake/report-refused", test_report_refused);
  g_test_add_func ("/intake/status", test_status);
  g_test_add_func ("/intake/export", test_export);
  g_test_add_func ("/intake/export-failures", test_export_failures);
  g_test_add_func ("/intake/garbage", test_garbage);
  g_test_add_func ("/intake/rate-limit", test_rate_limit);
  g_test_add_func ("/intake/slow-client", test_slow_client);
  g_test_add_func ("/intake/restart", test_restart);
  g_test_add_func ("/intake/refuses-seal-secret", test_refuses_seal_secret);
  g_test_add_func ("/intake/cli", test_cli);

  status = g_test_run ();

  hirc_test_intake_stop (intake);
  hirc_test_intake_free (intake);
  hirc_key_unref (seal_public);
  hirc_key_unref (receipt_public);
  g_clear_pointer (&main_device, device_free);
  g_clear_pointer (&main_bundle, g_free);
  g_clear_pointer (&first_envelope, g_bytes_unref);
  g_clear_pointer (&first_receipt, g_byte_array_unref);
  hirc_test_remove_tree (test_dir);
  g_free (test_dir);
  curl_global_cleanup ();
  return status;
}
