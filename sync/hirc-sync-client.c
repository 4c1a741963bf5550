/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-sync-client.c: the kiosk's HTTPS client for sync/PROTOCOL.md, on one reused curl handle. */

#include "config.h"

#include "hirc-sync-client.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hirc-json.h"
#include "hirc-wire.h"

/* An answer bigger than this is not the intake speaking (its largest answer is a receipt of a
 * few hundred bytes); the transfer is stopped rather than buffered. */
#define RESPONSE_CAP_BYTES (64 * 1024)
/* Longest message from a server that is shown to an administrator, in characters. */
#define SERVER_MESSAGE_MAX_CHARS 300

/* Extended error domain: every error carries its plain sentence and what the intake asked. */
typedef struct
{
  char  *plain;
  guint  http_status;
  gint64 retry_after;
} HircSyncErrorPrivate;

static void
hirc_sync_error_private_init (HircSyncErrorPrivate *priv)
{
  priv->plain = NULL;
  priv->http_status = 0;
  priv->retry_after = -1;
}

static void
hirc_sync_error_private_copy (const HircSyncErrorPrivate *src,
                              HircSyncErrorPrivate       *dest)
{
  dest->plain = g_strdup (src->plain);
  dest->http_status = src->http_status;
  dest->retry_after = src->retry_after;
}

static void
hirc_sync_error_private_clear (HircSyncErrorPrivate *priv)
{
  g_clear_pointer (&priv->plain, g_free);
}

G_DEFINE_EXTENDED_ERROR (HircSyncError, hirc_sync_error)

static void transfer_end (HircSyncClient *self);

struct _HircSyncClient
{
  CURL             *curl;
  char             *base_url;        /* https://host[:port], no trailing slash */
  char             *pins;            /* joined with ';' as CURLOPT_PINNEDPUBLICKEY wants */
  char             *ca_file;
  char             *ca_pem;
  HircKey          *receipt_public;
  HircSyncTimeouts  timeouts;

  /* The easy handle runs inside this multi handle, so that a request can go out while the
   * caller is still busy with the answer to the one before. */
  CURLM            *multi;

  /* The transfer in progress: what curl points into must live until it ends. */
  gboolean          in_flight;
  char             *url;
  struct curl_slist *headers;
  GBytes           *body;
  GByteArray       *response;
  gboolean          response_overflow;
  GCancellable     *cancellable;     /* borrowed while waiting */
  char              curl_error[CURL_ERROR_SIZE];
};

struct _HircSyncPost
{
  HircSyncClient *client;           /* borrowed; the client outlives its posts */
  gboolean        in_flight;
  guint8          report_id[HIRC_ID_BYTES];
  guint8          hash[HIRC_HASH_BYTES];
  long            status;
  gint64          retry_after;
  GBytes         *answer;
};

/* What each failure means for an administrator and what to do: the status carries it in
 * English, and the dashboard shows it translated, found by the code's name. */
static const char * const sentences[] = {
  [HIRC_SYNC_ERROR_FAILED] =
    N_("Something unexpected went wrong while talking to the intake. Reports are kept safely "
       "here."),
  [HIRC_SYNC_ERROR_CONFIG] =
    N_("This kiosk's connection settings are not usable. Reports are kept safely here. Ask the "
       "partnership for a new provisioning bundle."),
  [HIRC_SYNC_ERROR_DNS] =
    N_("The kiosk cannot look up the intake's address. Check that the kiosk is connected to "
       "the internet. Reports are kept safely here and will be sent when it is."),
  [HIRC_SYNC_ERROR_CONNECTION_REFUSED] =
    N_("The intake's computer was reached but is not accepting connections; the intake may be "
       "stopped. Reports are kept safely here and will be sent when it is back."),
  [HIRC_SYNC_ERROR_UNREACHABLE] =
    N_("The kiosk cannot reach the intake. Check the network connection. Reports are kept "
       "safely here and will be sent when it works again."),
  [HIRC_SYNC_ERROR_TIMEOUT] =
    N_("The connection to the intake is too slow or stopped answering. Reports are kept safely "
       "here and will be sent when the connection is better."),
  [HIRC_SYNC_ERROR_CONNECTION_LOST] =
    N_("The connection to the intake broke while sending. Reports are kept safely here and "
       "will be sent again; the intake never stores one twice."),
  [HIRC_SYNC_ERROR_PIN_MISMATCH] =
    N_("The intake's certificate does not match the one this kiosk was set up with, so the "
       "kiosk will not send reports to it. Reports are kept safely here. Ask the partnership "
       "to check the intake; do not set the kiosk up again unless they tell you to."),
  [HIRC_SYNC_ERROR_CERTIFICATE] =
    N_("The intake's certificate could not be trusted: it may have expired, or this kiosk's "
       "clock may be wrong. Reports are kept safely here. Check the kiosk's date and time, "
       "then ask the partnership to check the intake's certificate."),
  [HIRC_SYNC_ERROR_TLS] =
    N_("A secure connection to the intake could not be set up. Reports are kept safely here. "
       "If this goes on, ask the partnership to check the intake."),
  [HIRC_SYNC_ERROR_BAD_RESPONSE] =
    N_("Something other than the intake answered, for example a Wi-Fi sign-in page. Open the "
       "network's sign-in page or check the network. Reports are kept safely here and will be "
       "sent when the intake can be reached."),
  [HIRC_SYNC_ERROR_SERVER_ERROR] =
    N_("The intake had a problem and asked the kiosk to try again later. Reports are kept "
       "safely here and will be sent automatically."),
  [HIRC_SYNC_ERROR_RATE_LIMITED] =
    N_("The intake is busy and asked the kiosk to wait. Reports are kept safely here and will "
       "be sent automatically."),
  [HIRC_SYNC_ERROR_REJECTED] =
    N_("The intake refused a request from this kiosk. Reports are kept safely here. Ask the "
       "partnership for help."),
  [HIRC_SYNC_ERROR_BAD_RECEIPT] =
    N_("The intake answered with a receipt that does not prove it stored the report. The "
       "report is kept here. Ask the partnership to check the intake's keys."),
  [HIRC_SYNC_ERROR_DAMAGED_ENVELOPE] =
    N_("A stored report is damaged and cannot be sent. It is kept on this kiosk. Ask the "
       "partnership for help."),
  [HIRC_SYNC_ERROR_CANCELLED] =
    N_("Sending stopped because the sync service is shutting down. Reports are kept safely "
       "here."),
};

static const char *
default_plain (HircSyncError code)
{
  if ((guint) code >= G_N_ELEMENTS (sentences))
    return sentences[HIRC_SYNC_ERROR_FAILED];
  return sentences[code];
}

const char *
hirc_sync_error_code_to_string (HircSyncError code)
{
  static const char * const names[] = {
    [HIRC_SYNC_ERROR_FAILED] = "failed",
    [HIRC_SYNC_ERROR_CONFIG] = "config",
    [HIRC_SYNC_ERROR_DNS] = "dns",
    [HIRC_SYNC_ERROR_CONNECTION_REFUSED] = "connection-refused",
    [HIRC_SYNC_ERROR_UNREACHABLE] = "unreachable",
    [HIRC_SYNC_ERROR_TIMEOUT] = "timeout",
    [HIRC_SYNC_ERROR_CONNECTION_LOST] = "connection-lost",
    [HIRC_SYNC_ERROR_PIN_MISMATCH] = "pin-mismatch",
    [HIRC_SYNC_ERROR_CERTIFICATE] = "certificate",
    [HIRC_SYNC_ERROR_TLS] = "tls",
    [HIRC_SYNC_ERROR_BAD_RESPONSE] = "bad-response",
    [HIRC_SYNC_ERROR_SERVER_ERROR] = "server-error",
    [HIRC_SYNC_ERROR_RATE_LIMITED] = "rate-limited",
    [HIRC_SYNC_ERROR_REJECTED] = "rejected",
    [HIRC_SYNC_ERROR_BAD_RECEIPT] = "bad-receipt",
    [HIRC_SYNC_ERROR_DAMAGED_ENVELOPE] = "damaged-envelope",
    [HIRC_SYNC_ERROR_CANCELLED] = "cancelled",
  };

  if ((guint) code >= G_N_ELEMENTS (names))
    return "failed";
  return names[code];
}

const char *
hirc_sync_error_code_sentence (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (sentences); i++)
    if (g_strcmp0 (code, hirc_sync_error_code_to_string ((HircSyncError) i)) == 0)
      return sentences[i];
  return NULL;
}

const char *
hirc_sync_error_get_plain (const GError *error)
{
  HircSyncErrorPrivate *priv;

  if (error == NULL || error->domain != HIRC_SYNC_ERROR)
    return NULL;
  priv = hirc_sync_error_get_private (error);
  return priv->plain != NULL ? priv->plain : default_plain (error->code);
}

guint
hirc_sync_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != HIRC_SYNC_ERROR)
    return 0;
  return hirc_sync_error_get_private (error)->http_status;
}

gint64
hirc_sync_error_get_retry_after (const GError *error)
{
  if (error == NULL || error->domain != HIRC_SYNC_ERROR)
    return -1;
  return hirc_sync_error_get_private (error)->retry_after;
}

static void set_sync_error (GError      **error,
                            HircSyncError code,
                            guint         http_status,
                            gint64        retry_after,
                            const char   *plain,
                            const char   *format,
                            ...) G_GNUC_PRINTF (6, 7);

/* plain NULL means the code's own sentence. */
static void
set_sync_error (GError      **error,
                HircSyncError code,
                guint         http_status,
                gint64        retry_after,
                const char   *plain,
                const char   *format,
                ...)
{
  HircSyncErrorPrivate *priv;
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  new_error = g_error_new_valist (HIRC_SYNC_ERROR, code, format, args);
  va_end (args);

  priv = hirc_sync_error_get_private (new_error);
  priv->plain = g_strdup (plain);
  priv->http_status = http_status;
  priv->retry_after = retry_after;
  g_propagate_error (error, new_error);
}

void
hirc_sync_timeouts_init_default (HircSyncTimeouts *timeouts)
{
  timeouts->connect_timeout_s = 20;
  /* A library's Wi-Fi can be slow, but an envelope is at most 256 KiB: less than 64 bytes a
   * second for half a minute is a connection that has stalled. */
  timeouts->low_speed_limit = 64;
  timeouts->low_speed_time_s = 30;
  timeouts->timeout_s = 180;
}

void
hirc_enrolment_clear (HircEnrolment *enrolment)
{
  g_clear_pointer (&enrolment->device_id, g_free);
  g_clear_pointer (&enrolment->centre_id, g_free);
  g_clear_pointer (&enrolment->centre_name, g_free);
  if (enrolment->status_token != NULL)
    hirc_secure_wipe_string (enrolment->status_token);
  g_clear_pointer (&enrolment->status_token, g_free);
}

gboolean
hirc_sync_uuid_parse (const char *text,
                      guint8      out[HIRC_ID_BYTES])
{
  static const int dashes[] = { 8, 13, 18, 23 };
  gsize pos = 0;
  guint nibble = 0;

  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
    if (text[dashes[i]] != '-')
      return FALSE;

  for (gsize i = 0; i < 36; i++)
    {
      int value;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        continue;
      /* Canonical form is lower case; anything else is not an id this protocol produces. */
      if (text[i] >= '0' && text[i] <= '9')
        value = text[i] - '0';
      else if (text[i] >= 'a' && text[i] <= 'f')
        value = text[i] - 'a' + 10;
      else
        return FALSE;
      if (nibble % 2 == 0)
        out[pos] = (guint8) (value << 4);
      else
        out[pos++] |= (guint8) value;
      nibble++;
    }
  return TRUE;
}

/* Server text goes on an administrator's screen: valid UTF-8, no control characters, short. */
static char *
sanitize_server_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  guint chars = 0;

  for (const char *p = valid; *p != '\0' && chars < SERVER_MESSAGE_MAX_CHARS;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        c = ' ';
      g_string_append_unichar (out, c);
      chars++;
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  return g_string_free (out, FALSE);
}

static gboolean
pin_is_valid (const char *pin)
{
  static const char prefix[] = "sha256//";
  g_autofree guint8 *decoded = NULL;
  g_autofree char *again = NULL;
  gsize decoded_len = 0;
  const char *b64;

  if (!g_str_has_prefix (pin, prefix))
    return FALSE;
  b64 = pin + strlen (prefix);
  if (strlen (b64) != 44)
    return FALSE;
  for (const char *p = b64; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  decoded = g_base64_decode (b64, &decoded_len);
  if (decoded_len != 32)
    return FALSE;
  /* Re-encoding catches misplaced padding that g_base64_decode() silently skips. */
  again = g_base64_encode (decoded, decoded_len);
  return g_str_equal (again, b64);
}

/* The base URL, or NULL: https only, a host, and nothing after it but an optional "/". */
static char *
check_intake_url (const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *path;
  int port;

  if (url == NULL)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL, "no intake URL");
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL,
                      "the intake URL does not parse: %s", local_error->message);
      return NULL;
    }
  path = g_uri_get_path (uri);
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_userinfo (uri) != NULL
      || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL
      || (path[0] != '\0' && g_strcmp0 (path, "/") != 0))
    {
      set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL,
                      "the intake URL must be https:// with a host and no path, query or "
                      "fragment");
      return NULL;
    }
  port = g_uri_get_port (uri);
  /* Rebuilt from its parts, so that a path can only ever be the one this client appends. */
  if (strchr (g_uri_get_host (uri), ':') != NULL)
    return port > 0 ? g_strdup_printf ("https://[%s]:%d", g_uri_get_host (uri), port)
                    : g_strdup_printf ("https://[%s]", g_uri_get_host (uri));
  return port > 0 ? g_strdup_printf ("https://%s:%d", g_uri_get_host (uri), port)
                  : g_strdup_printf ("https://%s", g_uri_get_host (uri));
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  HircSyncClient *self = user_data;
  gsize len = size * nmemb;

  if (self->response->len + len > RESPONSE_CAP_BYTES)
    {
      self->response_overflow = TRUE;
      /* Any value other than len makes curl stop with CURLE_WRITE_ERROR. */
      return 0;
    }
  g_byte_array_append (self->response, (const guint8 *) data, len);
  return len;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  HircSyncClient *self = user_data;

  /* curl calls this at least once a second even on a stalled transfer, so shutdown never
   * waits for a timeout. */
  return g_cancellable_is_cancelled (self->cancellable) ? 1 : 0;
}

static HircSyncClient *
client_new (const char         *intake_url,
            const char * const *pins,
            const char         *ca_file,
            const char         *ca_pem,
            const HircKey      *receipt_public,
            GError            **error)
{
  g_autoptr(HircSyncClient) self = g_new0 (HircSyncClient, 1);
  g_autofree char *base_url = NULL;
  guint n_pins;

  base_url = check_intake_url (intake_url, error);
  if (base_url == NULL)
    return NULL;

  n_pins = pins != NULL ? g_strv_length ((char **) pins) : 0;
  if (n_pins == 0 || n_pins > 4)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL,
                      "the configuration has %u TLS pins; one to four are required", n_pins);
      return NULL;
    }
  for (guint i = 0; i < n_pins; i++)
    if (!pin_is_valid (pins[i]))
      {
        set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL,
                        "TLS pin %u is not sha256// and the base64 of 32 bytes", i + 1);
        return NULL;
      }

  if (receipt_public == NULL || hirc_key_get_kind (receipt_public) != HIRC_KEY_KIND_SIGN_PUBLIC)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL,
                      "the configuration has no receipt public key");
      return NULL;
    }

  self->curl = curl_easy_init ();
  self->multi = curl_multi_init ();
  if (self->curl == NULL || self->multi == NULL)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_FAILED, 0, -1, NULL,
                      "libcurl could not make a handle");
      return NULL;
    }
  self->base_url = g_steal_pointer (&base_url);
  self->pins = g_strjoinv (";", (char **) pins);
  self->ca_file = g_strdup (ca_file);
  self->ca_pem = g_strdup (ca_pem);
  self->receipt_public = hirc_key_dup_public (receipt_public);
  self->response = g_byte_array_new ();
  hirc_sync_timeouts_init_default (&self->timeouts);

  /* Options every request shares. Each call is checked: an option this libcurl cannot honour
   * (verification, pinning, https only) must stop the client, never be silently skipped. */
#define SETOPT(opt, val)                                                          \
  G_STMT_START {                                                                  \
    CURLcode rc_ = curl_easy_setopt (self->curl, opt, val);                       \
    if (rc_ != CURLE_OK)                                                          \
      {                                                                           \
        set_sync_error (error, HIRC_SYNC_ERROR_CONFIG, 0, -1, NULL,               \
                        "curl refused %s: %s", #opt, curl_easy_strerror (rc_));   \
        return NULL;                                                              \
      }                                                                           \
  } G_STMT_END

  SETOPT (CURLOPT_NOSIGNAL, 1L);
  SETOPT (CURLOPT_PROTOCOLS_STR, "https");
  SETOPT (CURLOPT_REDIR_PROTOCOLS_STR, "https");
  SETOPT (CURLOPT_FOLLOWLOCATION, 0L);
  SETOPT (CURLOPT_SSL_VERIFYPEER, 1L);
  SETOPT (CURLOPT_SSL_VERIFYHOST, 2L);
  SETOPT (CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  SETOPT (CURLOPT_PINNEDPUBLICKEY, self->pins);
  if (self->ca_file != NULL)
    SETOPT (CURLOPT_CAINFO, self->ca_file);
  else if (self->ca_pem != NULL)
    {
      struct curl_blob blob = {
        .data = self->ca_pem,
        .len = strlen (self->ca_pem),
        .flags = CURL_BLOB_NOCOPY,
      };
      SETOPT (CURLOPT_CAINFO_BLOB, &blob);
    }
  SETOPT (CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
  SETOPT (CURLOPT_TCP_KEEPALIVE, 1L);
  SETOPT (CURLOPT_USERAGENT, "hirc-sync/" PACKAGE_VERSION);
  SETOPT (CURLOPT_ERRORBUFFER, self->curl_error);
  SETOPT (CURLOPT_WRITEFUNCTION, write_cb);
  SETOPT (CURLOPT_WRITEDATA, self);
  SETOPT (CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  SETOPT (CURLOPT_XFERINFODATA, self);
  SETOPT (CURLOPT_NOPROGRESS, 0L);
#undef SETOPT

  hirc_sync_client_set_timeouts (self, &self->timeouts);
  return g_steal_pointer (&self);
}

HircSyncClient *
hirc_sync_client_new_for_config (const HircKioskConfig *config,
                                 GError               **error)
{
  g_return_val_if_fail (config != NULL, NULL);

  return client_new (config->intake_url, (const char * const *) config->tls_pins,
                     config->ca_file, NULL, config->intake_receipt_public, error);
}

HircSyncClient *
hirc_sync_client_new_for_bundle (const HircBundle *bundle,
                                 GError          **error)
{
  g_return_val_if_fail (bundle != NULL, NULL);

  return client_new (bundle->intake_url, (const char * const *) bundle->tls_pins, NULL,
                     bundle->ca_certificate, bundle->intake_receipt_public, error);
}

void
hirc_sync_client_free (HircSyncClient *client)
{
  if (client == NULL)
    return;
  transfer_end (client);
  g_clear_pointer (&client->multi, curl_multi_cleanup);
  g_clear_pointer (&client->curl, curl_easy_cleanup);
  g_free (client->base_url);
  g_free (client->pins);
  g_free (client->ca_file);
  g_free (client->ca_pem);
  g_clear_pointer (&client->receipt_public, hirc_key_unref);
  g_clear_pointer (&client->response, g_byte_array_unref);
  g_free (client);
}

void
hirc_sync_client_set_timeouts (HircSyncClient         *client,
                               const HircSyncTimeouts *timeouts)
{
  g_return_if_fail (client != NULL && timeouts != NULL);

  client->timeouts = *timeouts;
  curl_easy_setopt (client->curl, CURLOPT_CONNECTTIMEOUT, (long) timeouts->connect_timeout_s);
  curl_easy_setopt (client->curl, CURLOPT_LOW_SPEED_LIMIT, (long) timeouts->low_speed_limit);
  curl_easy_setopt (client->curl, CURLOPT_LOW_SPEED_TIME, (long) timeouts->low_speed_time_s);
  curl_easy_setopt (client->curl, CURLOPT_TIMEOUT, (long) timeouts->timeout_s);
}

/* Turns a failed transfer into an error an administrator can act on. */
static void
set_transfer_error (HircSyncClient *self,
                    CURLcode        rc,
                    GError        **error)
{
  const char *detail = self->curl_error[0] != '\0' ? self->curl_error : curl_easy_strerror (rc);
  HircSyncError code;

  switch (rc)
    {
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      code = HIRC_SYNC_ERROR_PIN_MISMATCH;
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
      code = HIRC_SYNC_ERROR_CERTIFICATE;
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_SHUTDOWN_FAILED:
      code = HIRC_SYNC_ERROR_TLS;
      break;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
      code = HIRC_SYNC_ERROR_CONFIG;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
      code = HIRC_SYNC_ERROR_DNS;
      break;
    case CURLE_COULDNT_CONNECT:
      {
        long os_errno = 0;

        curl_easy_getinfo (self->curl, CURLINFO_OS_ERRNO, &os_errno);
        code = os_errno == ECONNREFUSED ? HIRC_SYNC_ERROR_CONNECTION_REFUSED
                                        : HIRC_SYNC_ERROR_UNREACHABLE;
      }
      break;
    case CURLE_OPERATION_TIMEDOUT:
      code = HIRC_SYNC_ERROR_TIMEOUT;
      break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      code = HIRC_SYNC_ERROR_CONNECTION_LOST;
      break;
    case CURLE_WRITE_ERROR:
      code = self->response_overflow ? HIRC_SYNC_ERROR_BAD_RESPONSE : HIRC_SYNC_ERROR_FAILED;
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      code = HIRC_SYNC_ERROR_CANCELLED;
      break;
    /* The URL was checked to be https, so "unsupported protocol" here means the answer was not
     * HTTP at all (curl reports an HTTP/0.9 reply that way). */
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
      code = HIRC_SYNC_ERROR_BAD_RESPONSE;
      break;
    default:
      code = HIRC_SYNC_ERROR_FAILED;
      break;
    }

  if (code == HIRC_SYNC_ERROR_BAD_RESPONSE && self->response_overflow)
    set_sync_error (error, code, 0, -1, NULL, "the answer was larger than %u bytes",
                    RESPONSE_CAP_BYTES);
  else
    set_sync_error (error, code, 0, -1, NULL, "curl error %d: %s", (int) rc, detail);
}

/* Starts a request on the shared handle and sends as much of it as the socket takes at once,
 * so the intake can work on it while the caller does something else. */
static gboolean
transfer_start (HircSyncClient *self,
                const char     *path,
                const char     *content_type,
                GBytes         *body,
                GError        **error)
{
  g_autofree char *content_type_header = NULL;
  CURLMcode mc;
  int running = 0;

  g_return_val_if_fail (!self->in_flight, FALSE);

  g_byte_array_set_size (self->response, 0);
  self->response_overflow = FALSE;
  self->curl_error[0] = '\0';
  self->url = g_strconcat (self->base_url, path, NULL);

  self->headers = curl_slist_append (self->headers, "Accept: application/json");
  /* curl would otherwise wait up to a second for "100 Continue" before every envelope. */
  self->headers = curl_slist_append (self->headers, "Expect:");
  if (body != NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      content_type_header = g_strconcat ("Content-Type: ", content_type, NULL);
      self->headers = curl_slist_append (self->headers, content_type_header);
      self->body = g_bytes_ref (body);
      curl_easy_setopt (self->curl, CURLOPT_POST, 1L);
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, data);
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) len);
    }
  else
    curl_easy_setopt (self->curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt (self->curl, CURLOPT_URL, self->url);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, self->headers);

  mc = curl_multi_add_handle (self->multi, self->curl);
  if (mc != CURLM_OK)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_FAILED, 0, -1, NULL, "curl_multi_add_handle: %s",
                      curl_multi_strerror (mc));
      self->in_flight = TRUE;
      transfer_end (self);
      return FALSE;
    }
  self->in_flight = TRUE;
  curl_multi_perform (self->multi, &running);
  return TRUE;
}

/* Ends the transfer in progress, finished or not (an unfinished one is abandoned and its
 * connection closed), and lets go of the request's memory. */
static void
transfer_end (HircSyncClient *self)
{
  if (!self->in_flight)
    return;
  curl_multi_remove_handle (self->multi, self->curl);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, NULL);
  g_clear_pointer (&self->headers, curl_slist_free_all);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->url, g_free);
  self->cancellable = NULL;
  self->in_flight = FALSE;
}

/* Drives the transfer in progress to its end. Returns FALSE only when no HTTP answer arrived;
 * any status is left to the caller to judge. The answer's body stays in self->response. */
static gboolean
transfer_wait (HircSyncClient *self,
               long           *http_status,
               gint64         *retry_after,
               GCancellable   *cancellable,
               GError        **error)
{
  curl_off_t retry = 0;
  CURLcode rc = CURLE_OK;
  gboolean done = FALSE;

  g_return_val_if_fail (self->in_flight, FALSE);

  self->cancellable = cancellable;
  while (!done)
    {
      CURLMsg *message;
      CURLMcode mc;
      int running = 0, left = 0;

      mc = curl_multi_perform (self->multi, &running);
      while (mc == CURLM_OK && (message = curl_multi_info_read (self->multi, &left)) != NULL)
        if (message->msg == CURLMSG_DONE && message->easy_handle == self->curl)
          {
            rc = message->data.result;
            done = TRUE;
          }
      if (!done && mc == CURLM_OK && running == 0)
        mc = CURLM_INTERNAL_ERROR;
      /* curl's own time limits end a stalled transfer; the poll also returns at least once a
       * second, so the progress callback notices a cancellation. */
      if (!done && mc == CURLM_OK)
        mc = curl_multi_poll (self->multi, NULL, 0, 1000, NULL);
      if (mc != CURLM_OK)
        {
          set_sync_error (error, HIRC_SYNC_ERROR_FAILED, 0, -1, NULL, "curl multi: %s",
                          curl_multi_strerror (mc));
          transfer_end (self);
          return FALSE;
        }
    }

  if (rc != CURLE_OK)
    {
      set_transfer_error (self, rc, error);
      transfer_end (self);
      return FALSE;
    }

  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, http_status);
  /* 0 means no usable Retry-After, which is the same as none. */
  if (curl_easy_getinfo (self->curl, CURLINFO_RETRY_AFTER, &retry) != CURLE_OK || retry <= 0)
    *retry_after = -1;
  else
    *retry_after = MIN ((gint64) retry, (gint64) 7 * 24 * 3600);
  transfer_end (self);
  return TRUE;
}

/* One whole request, for the calls that have nothing to overlap. */
static gboolean
client_perform (HircSyncClient *self,
                const char     *path,
                const char     *content_type,
                GBytes         *body,
                long           *http_status,
                gint64         *retry_after,
                GCancellable   *cancellable,
                GError        **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      set_sync_error (error, HIRC_SYNC_ERROR_CANCELLED, 0, -1, NULL, "cancelled before sending");
      return FALSE;
    }
  return transfer_start (self, path, content_type, body, error)
         && transfer_wait (self, http_status, retry_after, cancellable, error);
}

/* The server's own sentence from an error body, made safe to show, or NULL. */
static char *
server_message (const guint8 *body,
                gsize         len,
                char        **code_out)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;

  if (!hirc_wire_error_from_json ((const char *) body, len, &code, &message))
    return NULL;
  if (code_out != NULL)
    *code_out = sanitize_server_text (code);
  return message != NULL ? sanitize_server_text (message) : NULL;
}

/* Errors every endpoint shares: statuses that are not the expected success. what names the
 * request for the administrator ("this report", "the enrolment"). */
static void
set_status_error (long          status,
                  const guint8 *body,
                  gsize         len,
                  gint64        retry_after,
                  const char   *what,
                  GError      **error)
{
  g_autofree char *code = NULL;
  g_autofree char *message = server_message (body, len, &code);

  if (status == 408 || status == 429)
    set_sync_error (error, HIRC_SYNC_ERROR_RATE_LIMITED, status, retry_after, NULL,
                    "HTTP %ld %s", status, code != NULL ? code : "");
  else if (status >= 400 && status < 500)
    {
      g_autofree char *plain = NULL;

      if (message != NULL && *message != '\0')
        plain = g_strdup_printf ("The intake refused %s and said: \u201c%s\u201d Reports are kept "
                                 "safely here. Ask the partnership what to do.", what, message);
      else
        plain = g_strdup_printf ("The intake refused %s (HTTP status %ld). Reports are kept "
                                 "safely here. Ask the partnership what to do.", what, status);
      set_sync_error (error, HIRC_SYNC_ERROR_REJECTED, status, retry_after, plain,
                      "HTTP %ld %s", status, code != NULL ? code : "(no error body)");
    }
  else if (status >= 500 && status < 600)
    set_sync_error (error, HIRC_SYNC_ERROR_SERVER_ERROR, status, retry_after, NULL,
                    "HTTP %ld %s", status, code != NULL ? code : "(no error body)");
  else
    set_sync_error (error, HIRC_SYNC_ERROR_BAD_RESPONSE, status, retry_after, NULL,
                    "unexpected HTTP status %ld", status);
}

/* The protocol's answers nest two levels at most. */
#define MAX_JSON_DEPTH 4

/* The root object of an answer, or NULL. The strict check comes first: json-glib alone would
 * recurse without limit on nested brackets and accept more than JSON. */
static JsonObject *
parse_object (const guint8 *body,
              gsize         len,
              JsonParser  **parser_out)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  guint n_members = 0;

  if (len == 0
      || hirc_json_check ((const char *) body, len, MAX_JSON_DEPTH, &n_members, NULL)
           != HIRC_JSON_OK
      || !json_parser_load_from_data (parser, (const char *) body, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  /* Fewer members than the text holds means a repeated key: which one counts is ambiguous. */
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) || hirc_json_count_members (root) != n_members)
    return NULL;
  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

static gboolean
object_get_int (JsonObject *object,
                const char *member,
                gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
base64_has_length (const char *text,
                   gsize       expected)
{
  g_autofree guint8 *decoded = NULL;
  gsize len = 0;

  if (text == NULL || strlen (text) != 4 * ((expected + 2) / 3))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  decoded = g_base64_decode (text, &len);
  return len == expected;
}

static char *
build_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
hirc_sync_client_enrol (HircSyncClient *client,
                        const char     *enrolment_token,
                        const HircKey  *device_public,
                        GBytes         *proof,
                        HircEnrolment  *out,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *device_b64 = NULL;
  g_autofree char *proof_b64 = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) request = NULL;
  const char *device_id, *centre_id, *centre_name, *status_token;
  JsonObject *object;
  guint8 id_bytes[HIRC_ID_BYTES];
  gint64 retry_after = -1;
  long status = 0;
  gboolean ok;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (enrolment_token != NULL, FALSE);
  g_return_val_if_fail (device_public != NULL, FALSE);
  g_return_val_if_fail (proof != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  device_b64 = hirc_key_public_to_base64 (device_public);
  proof_b64 = g_base64_encode (g_bytes_get_data (proof, NULL), g_bytes_get_size (proof));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "enrolment_token");
  json_builder_add_string_value (builder, enrolment_token);
  json_builder_set_member_name (builder, "device_public_key");
  json_builder_add_string_value (builder, device_b64);
  json_builder_set_member_name (builder, "proof");
  json_builder_add_string_value (builder, proof_b64);
  json_builder_set_member_name (builder, "software_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  body = build_json (builder);

  request = g_bytes_new_static (body, strlen (body));
  ok = client_perform (client, "/v1/devices", "application/json", request, &status,
                       &retry_after, cancellable, error);
  /* The body carries the one-time token. */
  hirc_secure_wipe_string (body);
  if (!ok)
    return FALSE;

  if (status != 201 && status != 200)
    {
      set_status_error (status, client->response->data, client->response->len, retry_after,
                        "the enrolment", error);
      return FALSE;
    }

  object = parse_object (client->response->data, client->response->len, &parser);
  device_id = object != NULL ? hirc_json_member_string (object, "device_id") : NULL;
  centre_id = object != NULL ? hirc_json_member_string (object, "centre_id") : NULL;
  centre_name = object != NULL ? hirc_json_member_string (object, "centre_name") : NULL;
  status_token = object != NULL ? hirc_json_member_string (object, "status_token") : NULL;
  if (device_id == NULL || !hirc_sync_uuid_parse (device_id, id_bytes)
      || centre_id == NULL || centre_name == NULL
      || !base64_has_length (status_token, 32))
    {
      set_sync_error (error, HIRC_SYNC_ERROR_BAD_RESPONSE, status, -1, NULL,
                      "HTTP %ld to an enrolment without the device id, centre and status token",
                      status);
      return FALSE;
    }

  out->device_id = g_strdup (device_id);
  out->centre_id = sanitize_server_text (centre_id);
  out->centre_name = sanitize_server_text (centre_name);
  out->status_token = g_strdup (status_token);
  return TRUE;
}

HircSyncOutcome
hirc_sync_classify_report_response (long           http_status,
                                    const guint8  *body,
                                    gsize          body_len,
                                    gint64         retry_after,
                                    const guint8   report_id[HIRC_ID_BYTES],
                                    const guint8   envelope_hash[HIRC_HASH_BYTES],
                                    const HircKey *receipt_public,
                                    GBytes       **receipt_json,
                                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *canonical = NULL;
  HircReceipt receipt;
  gsize canonical_len;

  if (http_status != 200 && http_status != 201)
    {
      set_status_error (http_status, body, body_len, retry_after, "this report", error);
      return (http_status >= 400 && http_status < 500 && http_status != 408 && http_status != 429)
               ? HIRC_SYNC_OUTCOME_PERMANENT : HIRC_SYNC_OUTCOME_TRANSIENT;
    }

  /* A success status proves nothing by itself: captive portals and proxies answer 200 too. */
  memset (&receipt, 0, sizeof receipt);
  if (body_len == 0
      || !hirc_wire_receipt_from_json ((const char *) body, body_len, &receipt, &local_error))
    {
      set_sync_error (error, HIRC_SYNC_ERROR_BAD_RESPONSE, http_status, retry_after, NULL,
                      "HTTP %ld without a receipt: %s", http_status,
                      local_error != NULL ? local_error->message : "empty body");
      return HIRC_SYNC_OUTCOME_TRANSIENT;
    }

  if (memcmp (receipt.report_id, report_id, HIRC_ID_BYTES) != 0
      || memcmp (receipt.envelope_hash, envelope_hash, HIRC_HASH_BYTES) != 0)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_BAD_RECEIPT, http_status, -1, NULL,
                      "the receipt is for another report or other bytes");
      return HIRC_SYNC_OUTCOME_PERMANENT;
    }
  if (!hirc_receipt_verify (&receipt, receipt_public, &local_error))
    {
      set_sync_error (error, HIRC_SYNC_ERROR_BAD_RECEIPT, http_status, -1, NULL,
                      "the receipt's signature does not verify with the bundle's receipt key: %s",
                      local_error->message);
      return HIRC_SYNC_OUTCOME_PERMANENT;
    }

  /* What is kept is what was verified, not whatever else the answer carried. */
  canonical = hirc_wire_receipt_to_json (&receipt);
  canonical_len = strlen (canonical);
  if (receipt_json != NULL)
    *receipt_json = g_bytes_new_take (g_steal_pointer (&canonical), canonical_len);
  return HIRC_SYNC_OUTCOME_DELIVERED;
}

HircSyncPost *
hirc_sync_client_post_start (HircSyncClient *client,
                             const char     *expected_report_id,
                             GBytes         *envelope,
                             GError        **error)
{
  g_autoptr(HircEnvelope) parsed = NULL;
  g_autoptr(HircSyncPost) post = NULL;
  guint8 expected_id[HIRC_ID_BYTES];

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (!client->in_flight, NULL);
  g_return_val_if_fail (expected_report_id != NULL, NULL);
  g_return_val_if_fail (envelope != NULL, NULL);

  /* Never send bytes that are not that report's envelope: the intake would store them under
   * another id, or refuse them, and either way the receipt could not match. */
  parsed = hirc_envelope_parse (envelope, NULL);
  if (parsed == NULL || !hirc_sync_uuid_parse (expected_report_id, expected_id)
      || memcmp (parsed->report_id, expected_id, HIRC_ID_BYTES) != 0)
    {
      set_sync_error (error, HIRC_SYNC_ERROR_DAMAGED_ENVELOPE, 0, -1, NULL,
                      "the stored envelope for %s %s", expected_report_id,
                      parsed == NULL ? "does not parse" : "carries another report id");
      return NULL;
    }

  post = g_new0 (HircSyncPost, 1);
  post->client = client;
  post->retry_after = -1;
  memcpy (post->report_id, parsed->report_id, HIRC_ID_BYTES);
  hirc_envelope_hash (envelope, post->hash);
  if (!transfer_start (client, "/v1/reports", HIRC_WIRE_ENVELOPE_MEDIA_TYPE, envelope, error))
    return NULL;
  post->in_flight = TRUE;
  return g_steal_pointer (&post);
}

gboolean
hirc_sync_client_post_wait (HircSyncClient *client,
                            HircSyncPost   *post,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_return_val_if_fail (client != NULL && post != NULL, FALSE);
  g_return_val_if_fail (post->client == client && post->in_flight, FALSE);

  post->in_flight = FALSE;
  if (!transfer_wait (client, &post->status, &post->retry_after, cancellable, error))
    return FALSE;
  /* Copied out, so the handle is free for the next request before this answer is judged. */
  post->answer = g_bytes_new (client->response->data, client->response->len);
  return TRUE;
}

gboolean
hirc_sync_post_is_success_status (const HircSyncPost *post)
{
  g_return_val_if_fail (post != NULL, FALSE);

  return post->answer != NULL && (post->status == 200 || post->status == 201);
}

HircSyncOutcome
hirc_sync_client_post_judge (HircSyncClient *client,
                             HircSyncPost   *post,
                             GBytes        **receipt_json,
                             GError        **error)
{
  gsize len = 0;
  const guint8 *data;

  g_return_val_if_fail (client != NULL && post != NULL, HIRC_SYNC_OUTCOME_TRANSIENT);
  g_return_val_if_fail (post->answer != NULL, HIRC_SYNC_OUTCOME_TRANSIENT);

  data = g_bytes_get_data (post->answer, &len);
  return hirc_sync_classify_report_response (post->status, data, len, post->retry_after,
                                             post->report_id, post->hash,
                                             client->receipt_public, receipt_json, error);
}

void
hirc_sync_post_free (HircSyncPost *post)
{
  if (post == NULL)
    return;
  /* A post given up while its request is out abandons the transfer: the report stays leased,
   * and sending it again is answered with the same receipt. */
  if (post->in_flight)
    transfer_end (post->client);
  g_clear_pointer (&post->answer, g_bytes_unref);
  g_free (post);
}

gboolean
hirc_sync_client_health (HircSyncClient *client,
                         char          **version,
                         gint64         *server_time,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  const char *status_text = NULL;
  const char *version_text = NULL;
  gint64 retry_after = -1;
  gint64 time_value = 0;
  long status = 0;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!client_perform (client, "/v1/health", NULL, NULL, &status, &retry_after, cancellable,
                       error))
    return FALSE;
  if (status != 200)
    {
      set_status_error (status, client->response->data, client->response->len, retry_after,
                        "the connection check", error);
      return FALSE;
    }

  object = parse_object (client->response->data, client->response->len, &parser);
  if (object != NULL)
    {
      status_text = hirc_json_member_string (object, "status");
      version_text = hirc_json_member_string (object, "version");
    }
  if (object == NULL || g_strcmp0 (status_text, "ok") != 0 || version_text == NULL
      || !object_get_int (object, "time", &time_value))
    {
      set_sync_error (error, HIRC_SYNC_ERROR_BAD_RESPONSE, status, -1, NULL,
                      "HTTP 200 to /v1/health without status, version and time");
      return FALSE;
    }

  if (version != NULL)
    *version = sanitize_server_text (version_text);
  if (server_time != NULL)
    *server_time = time_value;
  return TRUE;
}

gboolean
hirc_sync_client_post_status (HircSyncClient *client,
                              const char     *device_id,
                              const char     *status_token,
                              guint           queue_depth,
                              guint           rejected,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *body = NULL;
  g_autoptr(GBytes) request = NULL;
  gint64 retry_after = -1;
  long status = 0;
  gboolean ok;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL && status_token != NULL, FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_set_member_name (builder, "status_token");
  json_builder_add_string_value (builder, status_token);
  json_builder_set_member_name (builder, "queue_depth");
  json_builder_add_int_value (builder, queue_depth);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, rejected);
  json_builder_set_member_name (builder, "software_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "kiosk_time");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_end_object (builder);
  body = build_json (builder);

  request = g_bytes_new_static (body, strlen (body));
  ok = client_perform (client, "/v1/status", "application/json", request, &status,
                       &retry_after, cancellable, error);
  hirc_secure_wipe_string (body);
  if (!ok)
    return FALSE;
  if (status != 204)
    {
      set_status_error (status, client->response->data, client->response->len, retry_after,
                        "the kiosk's status report", error);
      return FALSE;
    }
  return TRUE;
}
