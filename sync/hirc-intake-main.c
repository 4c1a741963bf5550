/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-main.c: the hirc-intake command: keygen, enrol-centre, serve, export, centres. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hirc-crypto.h"
#include "hirc-intake-export.h"
#include "hirc-intake-server.h"
#include "hirc-intake-store.h"

#define EXIT_OK      0
#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

#define DB_FILE             "intake.db"
#define CERT_FILE           "tls.crt"
#define KEY_FILE            "tls.key"
#define CA_FILE             "ca.crt"
#define SEAL_PUBLIC_FILE    "seal.public"
#define SEAL_SECRET_FILE    "seal.secret"
#define RECEIPT_PUBLIC_FILE "receipt.public"
#define RECEIPT_SECRET_FILE "receipt.secret"

#define TOKEN_BYTES         32
#define MAX_BACKUP_PINS     3
#define DEFAULT_EXPIRY_DAYS 14

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

/* Prints one sentence for the operator and gives the runtime-failure exit code. */
static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "hirc-intake: %s\n", message);
  return EXIT_RUNTIME;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "hirc-intake: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

/* Parses a subcommand's options; argv[0] is the subcommand. */
static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = usage_error (context, error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_autofree char *message = g_strdup_printf ("Unexpected argument %s.", (*argv)[1]);

      *exit_code = usage_error (context, message);
      return FALSE;
    }
  return TRUE;
}

/* keygen */

static int
cmd_keygen (int    argc,
            char **argv)
{
  g_autofree char *out_dir = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, "Folder to write the four key files to", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--out DIR");
  g_autoptr(HircKey) seal = NULL;
  g_autoptr(HircKey) seal_public = NULL;
  g_autoptr(HircKey) receipt = NULL;
  g_autoptr(HircKey) receipt_public = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seal_fingerprint = NULL;
  g_autofree char *receipt_fingerprint = NULL;
  const char *names[] = { SEAL_PUBLIC_FILE, SEAL_SECRET_FILE,
                          RECEIPT_PUBLIC_FILE, RECEIPT_SECRET_FILE };
  HircKey *keys[4];
  int exit_code;

  g_option_context_set_summary (context,
                                "Creates the partnership's sealing key pair and the intake's "
                                "receipt-signing key pair.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (out_dir == NULL)
    return usage_error (context, "The --out folder is required.");

  if (g_mkdir_with_parents (out_dir, 0700) != 0)
    return fail ("The folder %s could not be created: %s.", out_dir, g_strerror (errno));
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (out_dir, names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return fail ("%s already exists; keygen never overwrites a key, so move it away first.",
                     path);
    }

  seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  receipt = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  seal_public = hirc_key_dup_public (seal);
  receipt_public = hirc_key_dup_public (receipt);
  keys[0] = seal_public;
  keys[1] = seal;
  keys[2] = receipt_public;
  keys[3] = receipt;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (out_dir, names[i], NULL);

      if (!hirc_key_save (keys[i], path, &error))
        return fail ("The key file %s could not be written: %s", path, error->message);
    }

  seal_fingerprint = hirc_key_fingerprint (seal_public);
  receipt_fingerprint = hirc_key_fingerprint (receipt_public);
  printf ("Wrote the partnership's keys to %s:\n"
          "  %-15s sealing public key, fingerprint %s; every kiosk seals reports to it.\n"
          "  %-15s sealing SECRET key: it opens every report. It belongs on the decrypting\n"
          "  %-15s workstation only: move it there now (for example on a USB stick), keep a\n"
          "  %-15s backup in a safe, and delete it from this machine. 'hirc-intake serve'\n"
          "  %-15s refuses to start while it is in the data folder.\n"
          "  %-15s receipt signing key; it stays on the intake server.\n"
          "  %-15s receipt public key, fingerprint %s; kiosks check receipts with it.\n",
          out_dir,
          SEAL_PUBLIC_FILE, seal_fingerprint,
          SEAL_SECRET_FILE, "", "", "",
          RECEIPT_SECRET_FILE,
          RECEIPT_PUBLIC_FILE, receipt_fingerprint);
  return EXIT_OK;
}

/* Shared by the commands that work on a data folder. */

static char *
data_path (const char *data_dir,
           const char *name)
{
  return g_build_filename (data_dir, name, NULL);
}

static HircIntakeStore *
open_store (const char  *data_dir,
            gboolean     create,
            GError     **error)
{
  g_autofree char *path = data_path (data_dir, DB_FILE);

  if (!create && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "The data folder %s holds no intake database (%s).", data_dir, DB_FILE);
      return NULL;
    }
  return hirc_intake_store_open (path, error);
}

/* enrol-centre */

static gboolean
pin_is_valid (const char *pin)
{
  g_autofree guint8 *digest = NULL;
  g_autofree char *again = NULL;
  gsize len = 0;

  if (!g_str_has_prefix (pin, "sha256//") || strlen (pin) != 8 + 44)
    return FALSE;
  for (const char *p = pin + 8; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '+' || *p == '/' || *p == '='))
      return FALSE;
  digest = g_base64_decode (pin + 8, &len);
  again = g_base64_encode (digest, len);
  return len == 32 && strcmp (again, pin + 8) == 0;
}

/* "https://host[:port]" with no path, query or fragment, as sync/PROTOCOL.md requires. */
static char *
normalise_intake_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *path;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    return NULL;
  path = g_uri_get_path (uri);
  if (path[0] != '\0' && strcmp (path, "/") != 0)
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, "https", NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

/* The CA a kiosk should trust: ca.crt when the data folder has one, else the certificate
 * itself when it is self-signed, else none (a public CA the kiosk's system already trusts). */
static char *
find_ca_certificate (const char  *data_dir,
                     const char  *cert_pem,
                     gsize        cert_len,
                     GError     **error)
{
  g_autofree char *ca_path = data_path (data_dir, CA_FILE);
  g_autoptr(GError) local_error = NULL;
  char *ca_pem = NULL;

  if (g_file_test (ca_path, G_FILE_TEST_EXISTS))
    {
      if (!g_file_get_contents (ca_path, &ca_pem, NULL, error))
        return NULL;
      return ca_pem;
    }
  if (hirc_intake_pem_is_self_signed (cert_pem, cert_len, &local_error))
    return g_strdup (cert_pem);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strdup ("");
}

static int
cmd_enrol_centre (int    argc,
                  char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *centre_id_option = NULL;
  g_auto(GStrv) backup_pins = NULL;
  g_autofree char *bundle_path = NULL;
  int expires_days = DEFAULT_EXPIRY_DAYS;
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "The intake's data folder", "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The centre's name, as people know it", "NAME" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The intake's address as kiosks reach it", "URL" },
    { "backup-pin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &backup_pins,
      "Pin of a backup TLS key (repeatable, up to three)", "sha256//BASE64" },
    { "expires-days", 0, 0, G_OPTION_ARG_INT, &expires_days,
      "Days the enrolment token stays valid (1 to 365, default 14)", "N" },
    { "centre-id", 0, 0, G_OPTION_ARG_STRING, &centre_id_option,
      "Issue a new token for this existing centre (a second or replacement kiosk)", "ID" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &bundle_path, "Where to write the bundle", "BUNDLE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("--data DIR --name NAME --url URL --out BUNDLE");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircIntakeStore) store = NULL;
  g_autoptr(HircKey) seal_public = NULL;
  g_autoptr(HircKey) receipt_secret = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *intake_url = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *ca_pem = NULL;
  g_autofree char *seal_path = NULL;
  g_autofree char *receipt_path = NULL;
  g_autofree char *seal_base64 = NULL;
  g_autofree char *receipt_base64 = NULL;
  g_autofree char *centre_id = NULL;
  g_autofree char *centre_name = NULL;
  g_autofree char *token_base64 = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *seal_fingerprint = NULL;
  g_autofree char *receipt_fingerprint = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *expiry_text = NULL;
  guint8 token[TOKEN_BYTES];
  guint8 token_sha256[crypto_hash_sha256_BYTES];
  gsize cert_len = 0;
  gint64 now;
  gint64 expires_at;
  int exit_code;

  g_option_context_set_summary (context,
                                "Registers a centre and writes its one-time provisioning bundle.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (data_dir == NULL || url == NULL || bundle_path == NULL)
    return usage_error (context, "The --data, --url and --out options are required.");
  if (name == NULL && centre_id_option == NULL)
    return usage_error (context, "Either --name (a new centre) or --centre-id is required.");
  if (name != NULL && (name[0] == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL)))
    return usage_error (context, "The centre name must be between 1 and 200 characters.");
  if (expires_days < 1 || expires_days > 365)
    return usage_error (context, "The token must expire after between 1 and 365 days.");
  intake_url = normalise_intake_url (url);
  if (intake_url == NULL)
    return usage_error (context,
                        "The intake URL must be https://HOST or https://HOST:PORT, with no path.");
  if (backup_pins != NULL && g_strv_length (backup_pins) > MAX_BACKUP_PINS)
    return usage_error (context, "A bundle holds at most three backup pins.");
  for (guint i = 0; backup_pins != NULL && backup_pins[i] != NULL; i++)
    if (!pin_is_valid (backup_pins[i]))
      return usage_error (context, "A backup pin must be sha256// followed by the base64 of 32 bytes.");

  cert_path = data_path (data_dir, CERT_FILE);
  if (!g_file_get_contents (cert_path, &cert_pem, &cert_len, &error))
    return fail ("The server certificate %s could not be read: %s", cert_path, error->message);
  pin = hirc_intake_tls_pin_from_pem (cert_pem, cert_len, &error);
  if (pin == NULL)
    return fail ("The server certificate %s could not be pinned: %s", cert_path, error->message);
  ca_pem = find_ca_certificate (data_dir, cert_pem, cert_len, &error);
  if (ca_pem == NULL)
    return fail ("The CA certificate could not be read: %s", error->message);

  seal_path = data_path (data_dir, SEAL_PUBLIC_FILE);
  seal_public = hirc_key_load (seal_path, HIRC_KEY_KIND_SEAL_PUBLIC, &error);
  if (seal_public == NULL)
    return fail ("The sealing public key could not be loaded: %s", error->message);
  /* The public half of the key the server signs with, so the bundle cannot disagree with it. */
  receipt_path = data_path (data_dir, RECEIPT_SECRET_FILE);
  receipt_secret = hirc_key_load (receipt_path, HIRC_KEY_KIND_SIGN_SECRET, &error);
  if (receipt_secret == NULL)
    return fail ("The receipt key could not be loaded: %s", error->message);
  seal_base64 = hirc_key_public_to_base64 (seal_public);
  receipt_base64 = hirc_key_public_to_base64 (receipt_secret);

  store = open_store (data_dir, TRUE, &error);
  if (store == NULL)
    return fail ("%s", error->message);

  now = g_get_real_time () / G_USEC_PER_SEC;
  expires_at = now + (gint64) expires_days * 24 * 3600;
  if (centre_id_option != NULL)
    {
      if (!hirc_intake_store_lookup_centre (store, centre_id_option, &centre_name, &error))
        return fail ("%s", error->message);
      centre_id = g_strdup (centre_id_option);
    }
  else
    {
      centre_id = g_uuid_string_random ();
      centre_name = g_strdup (name);
      if (!hirc_intake_store_add_centre (store, centre_id, centre_name, intake_url, now, &error))
        return fail ("%s", error->message);
    }

  randombytes_buf (token, sizeof token);
  crypto_hash_sha256 (token_sha256, token, sizeof token);
  token_base64 = g_base64_encode (token, sizeof token);
  sodium_memzero (token, sizeof token);
  if (!hirc_intake_store_add_token (store, centre_id, token_sha256, now, expires_at, &error))
    return fail ("%s", error->message);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, "hirc.bundle/1");
  json_builder_set_member_name (builder, "intake_url");
  json_builder_add_string_value (builder, intake_url);
  json_builder_set_member_name (builder, "intake_seal_public");
  json_builder_add_string_value (builder, seal_base64);
  json_builder_set_member_name (builder, "intake_receipt_public");
  json_builder_add_string_value (builder, receipt_base64);
  json_builder_set_member_name (builder, "tls_pins");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, pin);
  for (guint i = 0; backup_pins != NULL && backup_pins[i] != NULL; i++)
    json_builder_add_string_value (builder, backup_pins[i]);
  json_builder_end_array (builder);
  if (ca_pem[0] != '\0')
    {
      json_builder_set_member_name (builder, "ca_certificate");
      json_builder_add_string_value (builder, ca_pem);
    }
  json_builder_set_member_name (builder, "centre_id");
  json_builder_add_string_value (builder, centre_id);
  json_builder_set_member_name (builder, "centre_name");
  json_builder_add_string_value (builder, centre_name);
  json_builder_set_member_name (builder, "enrolment_token");
  json_builder_add_string_value (builder, token_base64);
  json_builder_set_member_name (builder, "token_expires");
  json_builder_add_int_value (builder, expires_at);
  json_builder_end_object (builder);
  hirc_secure_wipe_string (token_base64);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  bundle = json_generator_to_data (generator, NULL);

  /* The bundle carries the token, so only its owner may read it. */
  if (!g_file_set_contents_full (bundle_path, bundle, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      hirc_secure_wipe_string (bundle);
      return fail ("The bundle %s could not be written: %s", bundle_path, error->message);
    }
  hirc_secure_wipe_string (bundle);

  expiry = g_date_time_new_from_unix_utc (expires_at);
  expiry_text = g_date_time_format (expiry, "%Y-%m-%d %H:%M UTC");
  seal_fingerprint = hirc_key_fingerprint (seal_public);
  receipt_fingerprint = hirc_key_fingerprint (receipt_secret);
  printf ("Wrote the bundle for %s (centre %s) to %s.\n"
          "Its enrolment token works once, until %s. Carry the file to the kiosk by hand\n"
          "and delete it once the kiosk is provisioned.\n"
          "The kiosk should show these fingerprints when it is provisioned:\n"
          "  sealing key  %s\n"
          "  receipt key  %s\n",
          centre_name, centre_id, bundle_path, expiry_text, seal_fingerprint,
          receipt_fingerprint);
  return EXIT_OK;
}

/* serve */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  double device_rate = HIRC_INTAKE_DEFAULT_DEVICE_RATE;
  double device_burst = HIRC_INTAKE_DEFAULT_DEVICE_BURST;
  int connection_timeout = HIRC_INTAKE_DEFAULT_CONNECTION_TIMEOUT;
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "The intake's data folder", "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Address and port to listen on (default 127.0.0.1:8443; port 0 picks a free one)",
      "ADDRESS:PORT" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path,
      "Certificate chain in PEM (default DIR/tls.crt)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      "Private key in PEM (default DIR/tls.key)", "FILE" },
    { "device-rate", 0, 0, G_OPTION_ARG_DOUBLE, &device_rate,
      "Requests a second each device may make (default 2000)", "N" },
    { "device-burst", 0, 0, G_OPTION_ARG_DOUBLE, &device_burst,
      "Requests a device may make at once (default 20000)", "N" },
    { "connection-timeout", 0, 0, G_OPTION_ARG_INT, &connection_timeout,
      "Seconds before an idle connection is closed (default 30)", "SECONDS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--data DIR [--listen ADDRESS:PORT]");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKey) receipt_secret = NULL;
  g_autoptr(HircKey) seal_public = NULL;
  g_autoptr(HircIntakeStore) store = NULL;
  g_autoptr(HircIntakeHandler) handler = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *seal_secret_path = NULL;
  g_autofree char *seal_path = NULL;
  g_autofree char *receipt_path = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  gsize key_len = 0;
  HircIntakeServer *server;
  guint sigterm_id;
  guint sigint_id;
  int exit_code;

  g_option_context_set_summary (context, "Runs the intake's HTTPS server.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (data_dir == NULL)
    return usage_error (context, "The --data folder is required.");
  if (!(device_rate > 0) || !(device_burst >= 1))
    return usage_error (context, "The device rate must be above 0 and the burst at least 1.");
  if (connection_timeout < 1 || connection_timeout > 3600)
    return usage_error (context, "The connection timeout must be between 1 and 3600 seconds.");
  if (listen == NULL)
    listen = g_strdup ("127.0.0.1:8443");
  if (cert_path == NULL)
    cert_path = data_path (data_dir, CERT_FILE);
  if (key_path == NULL)
    key_path = data_path (data_dir, KEY_FILE);

  /* The server must never be able to read reports; a stolen or compromised server then
   * reveals nothing that was sent to it. */
  seal_secret_path = data_path (data_dir, SEAL_SECRET_FILE);
  if (g_file_test (seal_secret_path, G_FILE_TEST_EXISTS))
    return fail ("The data folder holds %s, the key that opens every report; move it to the "
                 "decrypting workstation and start the server again.", seal_secret_path);

  receipt_path = data_path (data_dir, RECEIPT_SECRET_FILE);
  receipt_secret = hirc_key_load (receipt_path, HIRC_KEY_KIND_SIGN_SECRET, &error);
  if (receipt_secret == NULL)
    return fail ("The receipt key could not be loaded: %s", error->message);
  /* Not used to serve, but a data folder without it cannot make bundles: say so now. */
  seal_path = data_path (data_dir, SEAL_PUBLIC_FILE);
  seal_public = hirc_key_load (seal_path, HIRC_KEY_KIND_SEAL_PUBLIC, &error);
  if (seal_public == NULL)
    return fail ("The sealing public key could not be loaded: %s", error->message);

  if (!g_file_get_contents (cert_path, &cert_pem, NULL, &error))
    return fail ("The certificate %s could not be read: %s", cert_path, error->message);
  if (!g_file_get_contents (key_path, &key_pem, &key_len, &error))
    return fail ("The TLS key %s could not be read: %s", key_path, error->message);

  store = open_store (data_dir, TRUE, &error);
  if (store == NULL)
    return fail ("%s", error->message);

  handler = hirc_intake_handler_new (store, receipt_secret, device_rate, device_burst);
  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  server = hirc_intake_server_start (handler, listen, cert_pem, key_pem,
                                     (guint) connection_timeout, &error);
  sodium_memzero (key_pem, key_len);
  if (server == NULL)
    {
      g_source_remove (sigterm_id);
      g_source_remove (sigint_id);
      return fail ("%s", error->message);
    }

  printf ("listening on %s\n", hirc_intake_server_get_url (server));
  fflush (stdout);
  g_message ("intake: listening on %s", hirc_intake_server_get_url (server));

  g_main_loop_run (loop);

  g_message ("intake: stopping");
  hirc_intake_server_stop (server);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  return EXIT_OK;
}

/* export */

static void
export_failure_cb (const char *report_id,
                   const char *reason,
                   gpointer    user_data)
{
  fprintf (stderr, "hirc-intake: report %s was not exported: %s\n", report_id, reason);
}

/* A date (YYYY-MM-DD, midnight UTC) or Unix seconds. */
static gboolean
parse_since (const char *text,
             gint64     *since)
{
  guint64 seconds = 0;
  int year;
  int month;
  int day;
  char end;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &seconds, NULL))
    {
      *since = (gint64) seconds;
      return TRUE;
    }
  if (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3
      && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_autoptr(GDateTime) at = g_date_time_new_utc (year, month, day, 0, 0, 0);

      if (at == NULL)
        return FALSE;
      *since = g_date_time_to_unix (at);
      return TRUE;
    }
  return FALSE;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *out_path = NULL;
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      "A copy of the intake's data folder (only intake.db is read)", "DIR" },
    { "secret-key", 0, 0, G_OPTION_ARG_FILENAME, &secret_path,
      "The partnership's sealing secret key (seal.secret)", "FILE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "json or csv", "FORMAT" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      "Only reports received from this date (YYYY-MM-DD, UTC) or Unix time on", "WHEN" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path,
      "File to write (mode 0600); standard output when not given", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("--data DIR --secret-key FILE --format json|csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKey) seal_secret = NULL;
  g_autoptr(HircIntakeStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  HircIntakeExportFormat format;
  gint64 since = 0;
  guint n_exported = 0;
  guint n_failed = 0;
  int exit_code;

  g_option_context_set_summary (context,
                                "Decrypts the stored reports for case workers. Run it on the "
                                "decrypting workstation, never on the server.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (data_dir == NULL || secret_path == NULL || format_name == NULL)
    return usage_error (context, "The --data, --secret-key and --format options are required.");
  if (strcmp (format_name, "json") == 0)
    format = HIRC_INTAKE_EXPORT_JSON;
  else if (strcmp (format_name, "csv") == 0)
    format = HIRC_INTAKE_EXPORT_CSV;
  else
    return usage_error (context, "The format must be json or csv.");
  if (since_text != NULL && !parse_since (since_text, &since))
    return usage_error (context, "--since takes a date as YYYY-MM-DD or a Unix time.");

  seal_secret = hirc_key_load (secret_path, HIRC_KEY_KIND_SEAL_SECRET, &error);
  if (seal_secret == NULL)
    return fail ("The sealing secret key could not be loaded: %s", error->message);
  store = open_store (data_dir, FALSE, &error);
  if (store == NULL)
    return fail ("%s", error->message);

  if (out_path != NULL)
    {
      /* The output is plaintext reports: readable by its owner only, even if it existed. */
      int fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

      if (fd < 0 || fchmod (fd, 0600) != 0)
        {
          int saved_errno = errno;

          if (fd >= 0)
            close (fd);
          return fail ("The export file %s could not be created: %s.", out_path,
                       g_strerror (saved_errno));
        }
      out = g_unix_output_stream_new (fd, TRUE);
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (!hirc_intake_export (store, seal_secret, format, since, out, export_failure_cb, NULL,
                           &n_exported, &n_failed, &error))
    return fail ("%s", error->message);
  if (!g_output_stream_close (out, NULL, &error))
    return fail ("The export could not be written: %s", error->message);

  fprintf (stderr, "hirc-intake: exported %u report%s", n_exported, n_exported == 1 ? "" : "s");
  if (n_failed > 0)
    {
      fprintf (stderr, "; %u could not be opened (listed above).\n", n_failed);
      return EXIT_RUNTIME;
    }
  fprintf (stderr, ".\n");
  return EXIT_OK;
}

/* centres */

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) at = NULL;

  if (unix_time <= 0)
    return g_strdup ("never");
  at = g_date_time_new_from_unix_utc (unix_time);
  return g_date_time_format (at, "%Y-%m-%d %H:%M UTC");
}

static void
print_centres_json (GPtrArray *centres)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < centres->len; i++)
    {
      HircIntakeCentreSummary *centre = g_ptr_array_index (centres, i);
      g_auto(GStrv) versions = g_strsplit (centre->software_versions, ",", -1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "centre_id");
      json_builder_add_string_value (builder, centre->centre_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, centre->name);
      json_builder_set_member_name (builder, "intake_url");
      json_builder_add_string_value (builder, centre->intake_url);
      json_builder_set_member_name (builder, "devices");
      json_builder_add_int_value (builder, centre->n_devices);
      json_builder_set_member_name (builder, "last_contact");
      if (centre->last_contact > 0)
        json_builder_add_int_value (builder, centre->last_contact);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "queue_depth");
      json_builder_add_int_value (builder, centre->queue_depth);
      json_builder_set_member_name (builder, "rejected");
      json_builder_add_int_value (builder, centre->rejected);
      json_builder_set_member_name (builder, "software_versions");
      json_builder_begin_array (builder);
      for (guint v = 0; versions[v] != NULL; v++)
        if (versions[v][0] != '\0')
          json_builder_add_string_value (builder, versions[v]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "total_reports");
      json_builder_add_int_value (builder, centre->total_reports);
      json_builder_set_member_name (builder, "reports_per_month");
      json_builder_begin_object (builder);
      for (int m = 0; m < HIRC_INTAKE_MONTHS; m++)
        {
          json_builder_set_member_name (builder, centre->months[m]);
          json_builder_add_int_value (builder, centre->reports[m]);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_centres_text (GPtrArray *centres)
{
  if (centres->len == 0)
    printf ("No centres are registered yet; add one with 'hirc-intake enrol-centre'.\n");

  for (guint i = 0; i < centres->len; i++)
    {
      HircIntakeCentreSummary *centre = g_ptr_array_index (centres, i);
      g_autofree char *last_contact = format_time (centre->last_contact);

      printf ("%s%s (%s)\n", i > 0 ? "\n" : "", centre->name, centre->centre_id);
      printf ("  devices: %u   last contact: %s\n", centre->n_devices, last_contact);
      printf ("  queue depth: %" G_GINT64_FORMAT "   rejected: %" G_GINT64_FORMAT
              "   software: %s\n",
              centre->queue_depth, centre->rejected,
              centre->software_versions[0] != '\0' ? centre->software_versions : "unknown");
      printf ("  reports: %" G_GINT64_FORMAT " in all; per month:\n   ", centre->total_reports);
      for (int m = 0; m < HIRC_INTAKE_MONTHS; m++)
        printf (" %s: %" G_GINT64_FORMAT "%s", centre->months[m], centre->reports[m],
                m == 5 ? "\n   " : "");
      printf ("\n");
    }
}

static int
cmd_centres (int    argc,
             char **argv)
{
  g_autofree char *data_dir = NULL;
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "The intake's data folder", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON instead of text", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--data DIR [--json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircIntakeStore) store = NULL;
  g_autoptr(GPtrArray) centres = NULL;
  int exit_code;

  g_option_context_set_summary (context,
                                "Lists each centre's last contact, queue, software and reports "
                                "per month for the last twelve months.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (data_dir == NULL)
    return usage_error (context, "The --data folder is required.");

  store = open_store (data_dir, FALSE, &error);
  if (store == NULL)
    return fail ("%s", error->message);
  centres = hirc_intake_store_list_centres (store, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (centres == NULL)
    return fail ("%s", error->message);

  if (as_json)
    print_centres_json (centres);
  else
    print_centres_text (centres);
  return EXIT_OK;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "keygen", cmd_keygen, "create the partnership's sealing keys and the receipt key" },
  { "enrol-centre", cmd_enrol_centre, "register a centre and write its provisioning bundle" },
  { "serve", cmd_serve, "run the HTTPS intake server" },
  { "export", cmd_export, "decrypt stored reports as JSON or CSV (on the workstation)" },
  { "centres", cmd_centres, "list the centres with their last contact and report counts" },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "Usage: hirc-intake COMMAND [OPTION…]\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-14s %s\n", commands[i].name, commands[i].summary);
  fprintf (stream, "\nRun 'hirc-intake COMMAND --help' for a command's options. "
                   "sync/INTAKE.md describes them.\n");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  /* Every command handles a secret key or plaintext. */
  if (!hirc_secure_init (&error) || !hirc_process_harden (&error))
    return fail ("The process could not be secured: %s", error->message);
  /* A client that disconnects mid-answer must not kill the server. */
  signal (SIGPIPE, SIG_IGN);

  if (argc < 2)
    {
      fprintf (stderr, "hirc-intake: Say which command to run.\n\n");
      print_usage (stderr);
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("hirc-intake %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "hirc-intake: %s is not a command.\n\n", argv[1]);
  print_usage (stderr);
  return EXIT_USAGE;
}
