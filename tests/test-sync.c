/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync.c: the kiosk's sync service against a real intake over HTTPS on 127.0.0.1: end to
 * end, a fault matrix through a misbehaving TLS proxy, SIGKILL during a drain, process
 * separation, and the control channel. */

#include "config.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hirc-audit.h"
#include "hirc-control.h"
#include "hirc-crypto.h"
#include "hirc-intake-server.h"
#include "hirc-intake-store.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-provision.h"
#include "hirc-sync-client.h"
#include "hirc-sync-service.h"
#include "hirc-test-intake.h"
#include "hirc-test-util.h"
#include "hirc-wire.h"

/* GCC says so with a macro, clang with a feature test. */
#if defined(__SANITIZE_ADDRESS__)
#define RUNNING_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUNNING_UNDER_ASAN 1
#endif
#endif

/* One intake and one proxy serve every test; each test provisions its own kiosk from a new
 * bundle, so their reports never mix. */
static HircTestIntake *intake;
static char *work_dir;

/* ---------------------------------------------------------------------------------------- */
/* A kiosk made the way provisioning makes one, without the GUI. */

typedef struct
{
  char            *state_dir;
  char            *ca_pem;          /* the bundle's CA */
  HircKioskConfig *config;
  HircKey         *device_secret;   /* what the window process would hold */
  HircOutbox      *outbox;          /* the window's connection */
} Kiosk;

typedef struct
{
  char *id;
  char *plaintext;
} Queued;

static void
queued_free (Queued *queued)
{
  g_free (queued->id);
  g_free (queued->plaintext);
  g_free (queued);
}

static void
kiosk_free (Kiosk *kiosk)
{
  g_clear_pointer (&kiosk->outbox, hirc_outbox_close);
  g_clear_pointer (&kiosk->config, hirc_kiosk_config_free);
  g_clear_pointer (&kiosk->device_secret, hirc_key_unref);
  hirc_test_remove_tree (kiosk->state_dir);
  g_free (kiosk->state_dir);
  g_free (kiosk->ca_pem);
  g_free (kiosk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Kiosk, kiosk_free)

static Kiosk *
kiosk_provision (const char *centre_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle_path = hirc_test_intake_enrol_centre (intake, centre_name);
  g_autoptr(HircBundle) bundle = hirc_bundle_load (bundle_path, &error);
  g_autoptr(HircSyncClient) client = NULL;
  g_autoptr(HircKey) device_public = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(HircKioskConfig) config = g_new0 (HircKioskConfig, 1);
  g_autofree guint8 *token = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *keys_dir = NULL;
  g_autofree char *outbox_path = NULL;
  HircEnrolment enrolment = { 0 };
  guint8 signature[crypto_sign_BYTES];
  const guint8 *secret;
  gsize token_len = 0, secret_len = 0;
  Kiosk *kiosk = g_new0 (Kiosk, 1);

  g_assert_no_error (error);
  kiosk->state_dir = hirc_test_make_temp_dir ("hirc-test-sync-kiosk");
  kiosk->ca_pem = g_strdup (bundle->ca_certificate);
  kiosk->device_secret = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  device_public = hirc_key_dup_public (kiosk->device_secret);

  token = g_base64_decode (bundle->enrolment_token, &token_len);
  message = hirc_wire_enrol_proof_message (token, token_len,
                                           hirc_key_get_public (kiosk->device_secret));
  secret = hirc_key_get_secret (kiosk->device_secret, &secret_len);
  crypto_sign_detached (signature, NULL, g_bytes_get_data (message, NULL),
                        g_bytes_get_size (message), secret);
  proof = g_bytes_new (signature, sizeof signature);

  client = hirc_sync_client_new_for_bundle (bundle, &error);
  g_assert_no_error (error);
  g_assert_true (hirc_sync_client_enrol (client, bundle->enrolment_token, device_public, proof,
                                         &enrolment, NULL, &error));
  g_assert_no_error (error);

  config->state_dir = g_strdup (kiosk->state_dir);
  config->centre_id = g_strdup (enrolment.centre_id);
  config->centre_name = g_strdup (enrolment.centre_name);
  config->intake_url = g_strdup (bundle->intake_url);
  config->intake_seal_public = hirc_key_ref (bundle->intake_seal_public);
  config->intake_receipt_public = hirc_key_ref (bundle->intake_receipt_public);
  config->tls_pins = g_strdupv (bundle->tls_pins);
  config->device_id = g_strdup (enrolment.device_id);
  config->device_public = g_steal_pointer (&device_public);
  config->status_token = g_strdup (enrolment.status_token);
  config->provisioned_at = g_get_real_time () / G_USEC_PER_SEC;
  config->idle_timeout_seconds = 120;
  config->idle_countdown_seconds = 60;
  hirc_enrolment_clear (&enrolment);

  key_path = hirc_kiosk_device_key_path (kiosk->state_dir);
  keys_dir = g_path_get_dirname (key_path);
  g_assert_cmpint (g_mkdir_with_parents (keys_dir, 0700), ==, 0);
  g_assert_true (hirc_key_save (kiosk->device_secret, key_path, &error));
  g_assert_no_error (error);
  outbox_path = hirc_kiosk_outbox_path (kiosk->state_dir);
  kiosk->outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (hirc_kiosk_config_save (config, bundle->ca_certificate, &error));
  g_assert_no_error (error);

  kiosk->config = hirc_kiosk_config_load (kiosk->state_dir, &error);
  g_assert_no_error (error);
  return kiosk;
}

/* Rewrites the configuration so the kiosk talks to url with these pins (a proxy, or nothing). */
static void
kiosk_point_at (Kiosk              *kiosk,
                const char         *url,
                const char * const *pins)
{
  g_autoptr(GError) error = NULL;

  g_free (kiosk->config->intake_url);
  kiosk->config->intake_url = g_strdup (url);
  g_strfreev (kiosk->config->tls_pins);
  kiosk->config->tls_pins = g_strdupv ((char **) pins);
  g_assert_true (hirc_kiosk_config_save (kiosk->config, kiosk->ca_pem, &error));
  g_assert_no_error (error);
}

static void
kiosk_point_at_intake (Kiosk *kiosk)
{
  g_autofree char *pem = NULL;
  g_autofree char *pin = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (intake->cert_path, &pem, &len, &error));
  pin = hirc_intake_tls_pin_from_pem (pem, len, &error);
  g_assert_no_error (error);
  kiosk_point_at (kiosk, intake->url, (const char * const[]) { pin, NULL });
}

static char *
random_uuid (void)
{
  guint8 id[HIRC_ID_BYTES];
  char text[HIRC_UUID_STRING_BYTES];

  randombytes_buf (id, sizeof id);
  id[6] = (id[6] & 0x0f) | 0x40;
  id[8] = (id[8] & 0x3f) | 0x80;
  hirc_uuid_format (id, text);
  return g_strdup (text);
}

/* A report document with the shapes a real one has: nested objects, arrays, non-ASCII text,
 * numbers and booleans. */
static char *
make_report (const char *id,
             guint       n,
             const char *canary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *what =
    g_strdup_printf ("Report %u: shouted at in the car park, "
                     "\u00ab\u0645\u0631\u062d\u0628\u0627\u00bb, \u017c\u00f3\u0142\u0107 %s",
                     n, canary != NULL ? canary : "");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, "hirc.report/1");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, "HR-7KQ2-M9XD");
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, n % 2 == 0 ? "pl" : "ar");
  json_builder_set_member_name (builder, "incident");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "what_happened");
  json_builder_add_string_value (builder, what);
  json_builder_set_member_name (builder, "strands");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "race");
  json_builder_add_string_value (builder, n % 3 == 0 ? "disability" : "religion");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "people_involved");
  json_builder_add_int_value (builder, n % 5);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "share_with_police");
  json_builder_add_boolean_value (builder, n % 2 == 1);
  json_builder_set_member_name (builder, "contact");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* What the window does on submit: seal, sign, enqueue. */
static GPtrArray *
kiosk_queue (Kiosk      *kiosk,
             guint       n,
             const char *canary)
{
  GPtrArray *queued = g_ptr_array_new_with_free_func ((GDestroyNotify) queued_free);
  guint8 device_id[HIRC_ID_BYTES];

  g_assert_true (hirc_uuid_parse (kiosk->config->device_id, device_id));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) envelope = NULL;
      Queued *q = g_new0 (Queued, 1);
      guint8 report_id[HIRC_ID_BYTES];

      q->id = random_uuid ();
      q->plaintext = make_report (q->id, i, canary);
      g_assert_true (hirc_uuid_parse (q->id, report_id));
      envelope = hirc_envelope_seal ((const guint8 *) q->plaintext, strlen (q->plaintext),
                                     report_id, device_id, g_get_real_time () / G_USEC_PER_SEC,
                                     kiosk->config->intake_seal_public, kiosk->device_secret,
                                     &error);
      g_assert_no_error (error);
      g_assert_true (hirc_outbox_enqueue (kiosk->outbox, q->id, envelope, &error));
      g_assert_no_error (error);
      g_ptr_array_add (queued, q);
    }
  return queued;
}

static HircOutboxCounts
kiosk_counts (Kiosk *kiosk)
{
  g_autoptr(GError) error = NULL;
  HircOutboxCounts counts;

  g_assert_true (hirc_outbox_get_counts (kiosk->outbox, g_get_real_time () / G_USEC_PER_SEC,
                                         &counts, &error));
  g_assert_no_error (error);
  return counts;
}

static HircOutboxState
kiosk_state_of (Kiosk      *kiosk,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  HircOutboxState state = HIRC_OUTBOX_STATE_PENDING;

  g_assert_true (hirc_outbox_get_state (kiosk->outbox, id, &state, &error));
  g_assert_no_error (error);
  return state;
}

/* ---------------------------------------------------------------------------------------- */
/* Running hirc-sync. */

/* Short limits so that every fault shows within seconds. */
static const char * const fast_env[] = {
  "HIRC_SYNC_BACKOFF_BASE=1",
  "HIRC_SYNC_BACKOFF_CAP=1",
  "HIRC_SYNC_CONNECT_TIMEOUT=5",
  "HIRC_SYNC_LOW_SPEED_TIME=2",
  "HIRC_SYNC_TIMEOUT=30",
  "HIRC_SYNC_LEASE=2",
  NULL,
};

static char **
sync_environment (const char * const *extra)
{
  char **env = g_get_environ ();

  for (guint i = 0; fast_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (fast_env[i], "=", 2);
      env = g_environ_setenv (env, pair[0], pair[1], TRUE);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra[i], "=", 2);
      env = g_environ_setenv (env, pair[0], pair[1], TRUE);
    }
  return env;
}

/* hirc-sync --once; returns its exit status and its one-line summary. */
static int
run_sync_once (Kiosk              *kiosk,
               const char * const *extra_env,
               char              **summary)
{
  const char *argv[] = { g_getenv ("HIRC_SYNC"), "--state-dir", kiosk->state_dir, "--once", NULL };
  g_auto(GStrv) env = sync_environment (extra_env);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = hirc_test_run (argv, (const char * const *) env, &out, &err);
  g_test_message ("hirc-sync --once: %d: %s%s", status, out, err);
  if (summary != NULL)
    *summary = g_steal_pointer (&out);
  return status;
}

/* Runs --once until nothing is pending (deferred reports fall due within a second or two with
 * fast_env), at most tries times. */
static void
sync_until_drained (Kiosk *kiosk,
                    guint  tries)
{
  for (guint i = 0; i < tries; i++)
    {
      g_assert_cmpint (run_sync_once (kiosk, NULL, NULL), ==, 0);
      if (kiosk_counts (kiosk).pending == 0)
        return;
      g_usleep (600 * 1000);
    }
  g_assert_cmpuint (kiosk_counts (kiosk).pending, ==, 0);
}

static GSubprocess *
spawn_sync_daemon (Kiosk              *kiosk,
                   const char * const *extra_env,
                   const char         *log_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) env = sync_environment (extra_env);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (log_path != NULL ? G_SUBPROCESS_FLAGS_STDERR_MERGE
                                                         : G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_child_setup (launcher, hirc_test_die_with_parent, NULL, NULL);
  if (log_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HIRC_SYNC"), "--state-dir",
                                         kiosk->state_dir, NULL);
  g_assert_no_error (error);
  return process;
}

/* Waits (at most 10 s) for the daemon's control socket to answer. */
static void
wait_for_control (Kiosk *kiosk)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(HircSyncStatus) status = hirc_control_get_status (kiosk->state_dir, 500, NULL);

      if (status != NULL)
        return;
      g_usleep (50 * 1000);
    }
  g_error ("hirc-sync's control socket never answered");
}

static void
stop_sync_daemon (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* What the service wrote to the activity log over one run: that it started, the failure (once,
 * however often it was retried), every delivery counted, and that it stopped; nothing else. */
static void
assert_sync_audit_trail (Kiosk      *kiosk,
                         const char *failure,
                         guint       delivered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircAudit) audit = hirc_audit_open (kiosk->state_dir, &error);
  g_autoptr(GPtrArray) entries = NULL;
  guint failures = 0, counted = 0;

  g_assert_no_error (error);
  entries = hirc_audit_list (audit, HIRC_AUDIT_KEEP, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >=, 4);
  /* Newest first. */
  g_assert_cmpint (((HircAuditEntry *) g_ptr_array_index (entries, entries->len - 1))->event, ==,
                   HIRC_AUDIT_SYNC_STARTED);
  g_assert_cmpint (((HircAuditEntry *) g_ptr_array_index (entries, 0))->event, ==,
                   HIRC_AUDIT_SYNC_STOPPED);
  for (guint i = 0; i < entries->len; i++)
    {
      HircAuditEntry *entry = g_ptr_array_index (entries, i);
      guint64 count = 0;

      g_assert_cmpstr (entry->actor, ==, "sync");
      switch (entry->event)
        {
        case HIRC_AUDIT_SYNC_STARTED:
        case HIRC_AUDIT_SYNC_STOPPED:
          g_assert_true (i == 0 || i == entries->len - 1);
          g_assert_null (entry->detail);
          break;
        case HIRC_AUDIT_SYNC_FAILED:
          g_assert_cmpstr (entry->detail, ==, failure);
          failures++;
          break;
        case HIRC_AUDIT_REPORTS_DELIVERED:
          g_assert_true (g_ascii_string_to_unsigned (entry->detail, 10, 1, G_MAXUINT, &count,
                                                     NULL));
          counted += (guint) count;
          break;
        default:
          g_error ("the sync service wrote \"%s\" to the activity log",
                   hirc_audit_event_to_string (entry->event));
        }
    }
  g_assert_cmpuint (failures, ==, failure != NULL ? 1 : 0);
  g_assert_cmpuint (counted, ==, delivered);
}

/* Polls the daemon's status until pred holds, at most timeout_s. */
static HircSyncStatus *
wait_for_status (Kiosk     *kiosk,
                 gboolean (*pred) (const HircSyncStatus *status),
                 guint      timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HircSyncStatus) status = hirc_control_get_status (kiosk->state_dir, 2000, &error);

      g_assert_no_error (error);
      if (pred (status))
        return g_steal_pointer (&status);
      g_usleep (50 * 1000);
    }
  g_error ("the sync status never reached the expected state");
}

/* ---------------------------------------------------------------------------------------- */
/* What reached the intake. */

typedef struct
{
  GHashTable *counts;   /* report id → number of rows */
  guint       total;
} IntakeTally;

static gboolean
tally_cb (const HircIntakeStoredReport *report,
          gpointer                      user_data)
{
  IntakeTally *tally = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (tally->counts, report->report_id));

  g_hash_table_insert (tally->counts, g_strdup (report->report_id), GUINT_TO_POINTER (n + 1));
  tally->total++;
  return TRUE;
}

/* How many times each queued report is stored at the intake, read from its database. */
static GHashTable *
intake_tally (void)
{
  g_autofree char *db_path = g_build_filename (intake->data_dir, "intake.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HircIntakeStore) store = hirc_intake_store_open (db_path, &error);
  IntakeTally tally = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0 };

  g_assert_no_error (error);
  g_assert_true (hirc_intake_store_foreach_report (store, 0, tally_cb, &tally, &error));
  g_assert_no_error (error);
  return tally.counts;
}

static guint
count_at_intake (GPtrArray *queued)
{
  g_autoptr(GHashTable) counts = intake_tally ();
  guint n = 0;

  for (guint i = 0; i < queued->len; i++)
    {
      Queued *q = g_ptr_array_index (queued, i);

      n += GPOINTER_TO_UINT (g_hash_table_lookup (counts, q->id));
    }
  return n;
}

/* Asserts that every queued report is stored at the intake exactly once. */
static void
assert_at_intake_once (GPtrArray *queued)
{
  g_autoptr(GHashTable) counts = intake_tally ();

  for (guint i = 0; i < queued->len; i++)
    {
      Queued *q = g_ptr_array_index (queued, i);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, q->id)), ==, 1);
    }
}

static void
assert_all_delivered (Kiosk     *kiosk,
                      GPtrArray *queued)
{
  for (guint i = 0; i < queued->len; i++)
    {
      Queued *q = g_ptr_array_index (queued, i);

      g_assert_cmpint (kiosk_state_of (kiosk, q->id), ==, HIRC_OUTBOX_STATE_DELIVERED);
    }
  assert_at_intake_once (queued);
}

static void
assert_none_delivered (Kiosk     *kiosk,
                       GPtrArray *queued)
{
  for (guint i = 0; i < queued->len; i++)
    {
      Queued *q = g_ptr_array_index (queued, i);

      g_assert_cmpint (kiosk_state_of (kiosk, q->id), !=, HIRC_OUTBOX_STATE_DELIVERED);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The misbehaving TLS proxy in front of the intake. */

typedef enum
{
  FAULT_NONE,
  FAULT_500,
  FAULT_503_RETRY_AFTER,
  FAULT_RESET_MID_REQUEST,
  FAULT_DROP_AFTER_COMMIT,
  FAULT_SLOW,
  FAULT_GARBAGE,
  FAULT_CAPTIVE_PORTAL,
  FAULT_BAD_RECEIPT,
  FAULT_EXPIRED_CERT,
  FAULT_SELF_SIGNED_CERT,
  FAULT_WRONG_PIN,
} Fault;

enum
{
  CERT_GOOD,
  CERT_EXPIRED,
  CERT_SELF_SIGNED,
  CERT_WRONG_PIN,
  N_CERTS,
};

typedef struct
{
  GMutex                           lock;
  Fault                            fault;
  guint                            retry_after;
  /* Reports passed through untouched before the fault applies. */
  guint                            clean_reports;
  gboolean                         stopping;
  int                              listen_fd;
  char                            *url;
  GThread                         *acceptor;
  GPtrArray                       *workers;     /* GThread */
  GArray                          *open_fds;
  /* Every decrypted byte any request brought, and how many handshakes completed. */
  GByteArray                      *received;
  guint                            handshakes;
  gnutls_certificate_credentials_t creds[N_CERTS];
  char                            *pins[N_CERTS];
  HircKey                         *other_receipt_key;
} Proxy;

static Proxy *proxy;

typedef struct
{
  Proxy *proxy;
  int    fd;
} ProxyConnection;

static int
cert_for_fault (Fault fault)
{
  switch (fault)
    {
    case FAULT_EXPIRED_CERT:
      return CERT_EXPIRED;
    case FAULT_SELF_SIGNED_CERT:
      return CERT_SELF_SIGNED;
    case FAULT_WRONG_PIN:
      return CERT_WRONG_PIN;
    default:
      return CERT_GOOD;
    }
}

static void
proxy_set_fault (Fault fault,
                 guint retry_after)
{
  g_mutex_lock (&proxy->lock);
  proxy->fault = fault;
  proxy->retry_after = retry_after;
  proxy->clean_reports = 0;
  g_mutex_unlock (&proxy->lock);
}

/* The fault hits the report after the first clean_reports ones, and every one after it. */
static void
proxy_set_fault_after (Fault fault,
                       guint clean_reports)
{
  proxy_set_fault (fault, 0);
  g_mutex_lock (&proxy->lock);
  proxy->clean_reports = clean_reports;
  g_mutex_unlock (&proxy->lock);
}

static Fault
proxy_get_fault (void)
{
  Fault fault;

  g_mutex_lock (&proxy->lock);
  fault = proxy->fault;
  g_mutex_unlock (&proxy->lock);
  return fault;
}

static gboolean
tls_send_all (gnutls_session_t  session,
              const void       *data,
              gsize             len)
{
  gsize sent = 0;

  while (sent < len)
    {
      ssize_t n = gnutls_record_send (session, (const char *) data + sent, len - sent);

      if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
        continue;
      if (n < 0)
        return FALSE;
      sent += (gsize) n;
    }
  return TRUE;
}

/* Reads more decrypted bytes into buffer, recording them; FALSE at the end of the stream. */
static gboolean
tls_read_more (Proxy            *self,
               gnutls_session_t  session,
               GByteArray       *buffer)
{
  guint8 chunk[16384];
  ssize_t n;

  do
    n = gnutls_record_recv (session, chunk, sizeof chunk);
  while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
  if (n <= 0)
    return FALSE;
  g_byte_array_append (buffer, chunk, n);
  g_mutex_lock (&self->lock);
  g_byte_array_append (self->received, chunk, n);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

typedef struct
{
  char  *method;
  char  *path;
  char  *content_type;
  GBytes *body;
} ProxyRequest;

static void
proxy_request_clear (ProxyRequest *request)
{
  g_clear_pointer (&request->method, g_free);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->content_type, g_free);
  g_clear_pointer (&request->body, g_bytes_unref);
}

static char *
header_value (const char *headers,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (headers, "\r\n", -1);
  gsize name_len = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, name_len) == 0 && lines[i][name_len] == ':')
      return g_strstrip (g_strdup (lines[i] + name_len + 1));
  return NULL;
}

/* Reads the request's head; FALSE when the client is gone. The body is read separately, so a
 * reset can come between the two. */
static gboolean
proxy_read_head (Proxy            *self,
                 gnutls_session_t  session,
                 GByteArray       *buffer,
                 ProxyRequest     *request,
                 gsize            *content_length)
{
  g_autofree char *head = NULL;
  g_autofree char *length_text = NULL;
  g_auto(GStrv) request_line = NULL;
  guint8 *end = NULL;

  /* An empty GByteArray's data is NULL, which memmem() must not be given. */
  while (buffer->len < 4 || (end = memmem (buffer->data, buffer->len, "\r\n\r\n", 4)) == NULL)
    if (buffer->len > 65536 || !tls_read_more (self, session, buffer))
      return FALSE;

  head = g_strndup ((const char *) buffer->data, end - buffer->data);
  g_byte_array_remove_range (buffer, 0, end - buffer->data + 4);
  request_line = g_strsplit (head, " ", 3);
  g_assert_cmpuint (g_strv_length (request_line), ==, 3);
  request->method = g_strdup (request_line[0]);
  request->path = g_strdup (request_line[1]);
  request->content_type = header_value (head, "Content-Type");
  length_text = header_value (head, "Content-Length");
  *content_length = length_text != NULL ? g_ascii_strtoull (length_text, NULL, 10) : 0;
  return TRUE;
}

static gboolean
proxy_read_body (Proxy            *self,
                 gnutls_session_t  session,
                 GByteArray       *buffer,
                 gsize             content_length,
                 ProxyRequest     *request)
{
  while (buffer->len < content_length)
    if (!tls_read_more (self, session, buffer))
      return FALSE;
  request->body = g_bytes_new (buffer->data, content_length);
  g_byte_array_remove_range (buffer, 0, content_length);
  return TRUE;
}

typedef struct
{
  long        status;
  GByteArray *body;
  char       *content_type;
  char       *retry_after;
} Upstream;

static void
upstream_clear (Upstream *upstream)
{
  g_clear_pointer (&upstream->body, g_byte_array_unref);
  g_clear_pointer (&upstream->content_type, g_free);
  g_clear_pointer (&upstream->retry_after, g_free);
}

static size_t
upstream_body_cb (char   *data,
                  size_t  size,
                  size_t  nmemb,
                  void   *user_data)
{
  Upstream *upstream = user_data;

  g_byte_array_append (upstream->body, (const guint8 *) data, size * nmemb);
  return size * nmemb;
}

static size_t
upstream_header_cb (char   *data,
                    size_t  size,
                    size_t  nmemb,
                    void   *user_data)
{
  Upstream *upstream = user_data;
  g_autofree char *line = g_strndup (data, size * nmemb);

  if (g_ascii_strncasecmp (line, "Content-Type:", 13) == 0)
    {
      g_free (upstream->content_type);
      upstream->content_type = g_strstrip (g_strdup (line + 13));
    }
  else if (g_ascii_strncasecmp (line, "Retry-After:", 12) == 0)
    {
      g_free (upstream->retry_after);
      upstream->retry_after = g_strstrip (g_strdup (line + 12));
    }
  return size * nmemb;
}

/* Forwards the request to the real intake, verifying its certificate like any client. */
static gboolean
proxy_forward (CURL         *curl,
               ProxyRequest *request,
               Upstream     *upstream)
{
  g_autofree char *url = g_strconcat (intake->url, request->path, NULL);
  g_autofree char *content_type = NULL;
  struct curl_slist *headers = NULL;
  CURLcode rc;

  upstream->body = g_byte_array_new ();
  headers = curl_slist_append (headers, "Expect:");
  if (request->content_type != NULL)
    {
      content_type = g_strconcat ("Content-Type: ", request->content_type, NULL);
      headers = curl_slist_append (headers, content_type);
    }
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CAINFO, intake->ca_path);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, upstream_body_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, upstream);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, upstream_header_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, upstream);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
  if (g_str_equal (request->method, "POST"))
    {
      curl_easy_setopt (curl, CURLOPT_POST, 1L);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, g_bytes_get_data (request->body, NULL));
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE,
                        (curl_off_t) g_bytes_get_size (request->body));
    }
  else
    curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);

  rc = curl_easy_perform (curl);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all (headers);
  if (rc != CURLE_OK)
    return FALSE;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &upstream->status);
  return TRUE;
}

static GBytes *
make_response (long          status,
               const char   *content_type,
               const char   *extra_header,
               const guint8 *body,
               gsize         body_len)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "HTTP/1.1 %ld Whatever\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n",
                          status, body_len);
  if (content_type != NULL)
    g_string_append_printf (out, "Content-Type: %s\r\n", content_type);
  if (extra_header != NULL)
    g_string_append_printf (out, "%s\r\n", extra_header);
  g_string_append (out, "\r\n");
  g_string_append_len (out, (const char *) body, body_len);
  return g_string_free_to_bytes (out);
}

/* The receipt re-signed with a key the kiosk does not know: what an intake set up with the
 * wrong key would send. */
static GBytes *
resign_receipt (Proxy    *self,
                Upstream *upstream)
{
  HircReceipt receipt;
  g_autofree char *json = NULL;

  g_assert_true (hirc_wire_receipt_from_json ((const char *) upstream->body->data,
                                              upstream->body->len, &receipt, NULL));
  hirc_receipt_sign (&receipt, self->other_receipt_key);
  json = hirc_wire_receipt_to_json (&receipt);
  return make_response (upstream->status, "application/json", NULL, (const guint8 *) json,
                        strlen (json));
}

static void
proxy_forget_fd (Proxy *self,
                 int    fd)
{
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->open_fds->len; i++)
    if (g_array_index (self->open_fds, int, i) == fd)
      {
        g_array_remove_index_fast (self->open_fds, i);
        break;
      }
  g_mutex_unlock (&self->lock);
}

static gpointer
proxy_connection_thread (gpointer user_data)
{
  ProxyConnection *conn = user_data;
  Proxy *self = conn->proxy;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  gnutls_session_t session;
  CURL *curl = curl_easy_init ();
  int rc;

  gnutls_init (&session, GNUTLS_SERVER);
  gnutls_set_default_priority (session);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE,
                          self->creds[cert_for_fault (proxy_get_fault ())]);
  gnutls_transport_set_int (session, conn->fd);
  gnutls_handshake_set_timeout (session, 10000);
  do
    rc = gnutls_handshake (session);
  while (rc < 0 && !gnutls_error_is_fatal (rc));

  if (rc == 0)
    {
      g_mutex_lock (&self->lock);
      self->handshakes++;
      g_mutex_unlock (&self->lock);
    }

  /* One request after another on the kept-alive connection, each judged by the fault set at
   * the time it arrives. */
  while (rc == 0)
    {
      ProxyRequest request = { 0 };
      Upstream upstream = { 0 };
      g_autoptr(GBytes) response = NULL;
      gsize content_length = 0;
      Fault fault;
      guint retry_after;
      gboolean keep_going = TRUE;
      gboolean is_report;

      if (!proxy_read_head (self, session, buffer, &request, &content_length))
        break;
      g_mutex_lock (&self->lock);
      fault = self->fault;
      retry_after = self->retry_after;
      if (self->clean_reports > 0 && g_strcmp0 (request.path, "/v1/reports") == 0)
        {
          self->clean_reports--;
          fault = FAULT_NONE;
        }
      g_mutex_unlock (&self->lock);

      if (fault == FAULT_RESET_MID_REQUEST)
        {
          /* Linger 0 makes close() send a RST while the client is still sending the body. */
          struct linger linger = { 1, 0 };

          setsockopt (conn->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
          proxy_request_clear (&request);
          break;
        }
      if (!proxy_read_body (self, session, buffer, content_length, &request))
        {
          proxy_request_clear (&request);
          break;
        }

      switch (fault)
        {
        case FAULT_500:
          {
            g_autofree char *body = hirc_wire_error_to_json ("server_error", "Broken.");
            response = make_response (500, "application/json", NULL, (const guint8 *) body,
                                      strlen (body));
          }
          break;
        case FAULT_503_RETRY_AFTER:
          {
            g_autofree char *body = hirc_wire_error_to_json ("server_error", "Busy.");
            g_autofree char *header = g_strdup_printf ("Retry-After: %u", retry_after);
            response = make_response (503, "application/json", header, (const guint8 *) body,
                                      strlen (body));
          }
          break;
        case FAULT_GARBAGE:
          {
            static const guint8 garbage[] = "\x16\x03\x01\xff\xfe garbage \x00\x01\x02\r\n\r\n";
            response = g_bytes_new (garbage, sizeof garbage - 1);
            keep_going = FALSE;
          }
          break;
        case FAULT_CAPTIVE_PORTAL:
          {
            static const char page[] =
              "<!DOCTYPE html><html><head><title>Library Wi-Fi</title></head><body>"
              "<h1>Welcome</h1><p>Accept the terms of use to continue.</p></body></html>";
            response = make_response (200, "text/html", NULL, (const guint8 *) page,
                                      sizeof page - 1);
          }
          break;
        default:
          if (!proxy_forward (curl, &request, &upstream))
            {
              g_autofree char *body = hirc_wire_error_to_json ("server_error", "No upstream.");
              response = make_response (502, "application/json", NULL, (const guint8 *) body,
                                        strlen (body));
            }
          else if (fault == FAULT_DROP_AFTER_COMMIT)
            keep_going = FALSE;
          else if (fault == FAULT_BAD_RECEIPT && g_str_equal (request.path, "/v1/reports")
                   && (upstream.status == 200 || upstream.status == 201))
            response = resign_receipt (self, &upstream);
          else
            {
              g_autofree char *header = upstream.retry_after != NULL
                                        ? g_strdup_printf ("Retry-After: %s", upstream.retry_after)
                                        : NULL;
              response = make_response (upstream.status, upstream.content_type, header,
                                        upstream.body->data, upstream.body->len);
            }
          break;
        }
      is_report = g_strcmp0 (request.path, "/v1/reports") == 0;
      proxy_request_clear (&request);
      upstream_clear (&upstream);

      if (response != NULL && fault == FAULT_SLOW && is_report)
        {
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (response, &len);

          /* One byte a second, until the client gives up (the send then fails) or the test
           * ends. */
          for (gsize i = 0; i < len && keep_going; i++)
            {
              keep_going = tls_send_all (session, data + i, 1);
              for (guint t = 0; t < 10 && keep_going; t++)
                {
                  g_usleep (100 * 1000);
                  g_mutex_lock (&self->lock);
                  keep_going = !self->stopping && self->fault == FAULT_SLOW;
                  g_mutex_unlock (&self->lock);
                }
            }
          if (!keep_going)
            break;
        }
      else if (response != NULL && !tls_send_all (session, g_bytes_get_data (response, NULL),
                                                  g_bytes_get_size (response)))
        break;
      if (!keep_going)
        break;
    }

  curl_easy_cleanup (curl);
  gnutls_deinit (session);
  proxy_forget_fd (self, conn->fd);
  close (conn->fd);
  g_free (conn);
  return NULL;
}

static gpointer
proxy_accept_thread (gpointer user_data)
{
  Proxy *self = user_data;

  for (;;)
    {
      int fd = accept4 (self->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      ProxyConnection *conn;

      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          break;
        }
      g_mutex_lock (&self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          close (fd);
          break;
        }
      conn = g_new0 (ProxyConnection, 1);
      conn->proxy = self;
      conn->fd = fd;
      g_array_append_val (self->open_fds, fd);
      g_ptr_array_add (self->workers, g_thread_new ("proxy-conn", proxy_connection_thread, conn));
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

static void
proxy_make_cert (Proxy      *self,
                 int         which,
                 const char *name,
                 gboolean    self_signed,
                 gint64      not_before,
                 gint64      not_after)
{
  g_autofree char *cert_path = g_strdup_printf ("%s/proxy-%s.crt", work_dir, name);
  g_autofree char *key_path = g_strdup_printf ("%s/proxy-%s.key", work_dir, name);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  hirc_test_make_certificate (cert_path, key_path, self_signed ? NULL : intake->ca_path,
                              self_signed ? NULL : intake->ca_key_path, not_before, not_after);
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&self->creds[which]), ==, 0);
  g_assert_cmpint (gnutls_certificate_set_x509_key_file (self->creds[which], cert_path, key_path,
                                                         GNUTLS_X509_FMT_PEM), >=, 0);
  g_assert_true (g_file_get_contents (cert_path, &pem, &len, &error));
  self->pins[which] = hirc_intake_tls_pin_from_pem (pem, len, &error);
  g_assert_no_error (error);
}

static Proxy *
proxy_start (void)
{
  Proxy *self = g_new0 (Proxy, 1);
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t address_len = sizeof address;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_mutex_init (&self->lock);
  self->workers = g_ptr_array_new ();
  self->open_fds = g_array_new (FALSE, FALSE, sizeof (int));
  self->received = g_byte_array_new ();
  self->other_receipt_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);

  proxy_make_cert (self, CERT_GOOD, "good", FALSE, now - 3600, now + 2 * 86400);
  proxy_make_cert (self, CERT_EXPIRED, "expired", FALSE, now - 10 * 86400, now - 86400);
  proxy_make_cert (self, CERT_SELF_SIGNED, "self-signed", TRUE, now - 3600, now + 2 * 86400);
  proxy_make_cert (self, CERT_WRONG_PIN, "wrong-pin", FALSE, now - 3600, now + 2 * 86400);

  self->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (self->listen_fd, >=, 0);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (self->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (self->listen_fd, 64), ==, 0);
  g_assert_cmpint (getsockname (self->listen_fd, (struct sockaddr *) &address, &address_len),
                   ==, 0);
  self->url = g_strdup_printf ("https://127.0.0.1:%u", ntohs (address.sin_port));
  self->acceptor = g_thread_new ("proxy-accept", proxy_accept_thread, self);
  return self;
}

static void
proxy_stop (Proxy *self)
{
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  shutdown (self->listen_fd, SHUT_RDWR);
  for (guint i = 0; i < self->open_fds->len; i++)
    shutdown (g_array_index (self->open_fds, int, i), SHUT_RDWR);
  g_mutex_unlock (&self->lock);

  g_thread_join (self->acceptor);
  close (self->listen_fd);
  for (guint i = 0; i < self->workers->len; i++)
    g_thread_join (g_ptr_array_index (self->workers, i));
  g_ptr_array_unref (self->workers);
  g_array_unref (self->open_fds);
  g_byte_array_unref (self->received);
  for (guint i = 0; i < N_CERTS; i++)
    {
      gnutls_certificate_free_credentials (self->creds[i]);
      g_free (self->pins[i]);
    }
  hirc_key_unref (self->other_receipt_key);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static void
proxy_reset_record (void)
{
  g_mutex_lock (&proxy->lock);
  g_byte_array_set_size (proxy->received, 0);
  proxy->handshakes = 0;
  g_mutex_unlock (&proxy->lock);
}

/* Points the kiosk at the proxy. The expired and self-signed certificates' keys are pinned
 * too, so that their refusal can only come from certificate verification; the wrong-pin one is
 * valid under the CA but not pinned. Pinning several keys also proves backup pins work. */
static void
kiosk_point_at_proxy (Kiosk *kiosk)
{
  const char *pins[] = { proxy->pins[CERT_EXPIRED], proxy->pins[CERT_SELF_SIGNED],
                         proxy->pins[CERT_GOOD], NULL };

  kiosk_point_at (kiosk, proxy->url, pins);
}

/* ---------------------------------------------------------------------------------------- */
/* The tests. */

static void
test_client_refuses_insecure_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKey) receipt = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) receipt_public = hirc_key_dup_public (receipt);
  const char *good_pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  struct
  {
    const char *url;
    const char *pins[3];
  } cases[] = {
    { "http://127.0.0.1:8443", { good_pin, NULL } },
    { "https://127.0.0.1:8443/v1", { good_pin, NULL } },
    { "https://127.0.0.1:8443?x=1", { good_pin, NULL } },
    { "https://user@127.0.0.1:8443", { good_pin, NULL } },
    { "ftp://127.0.0.1", { good_pin, NULL } },
    { "https://127.0.0.1:8443", { NULL } },
    { "https://127.0.0.1:8443", { "sha256//short", NULL } },
    { "https://127.0.0.1:8443", { "md5//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HircKioskConfig config = { 0 };
      g_autoptr(HircSyncClient) client = NULL;

      config.intake_url = (char *) cases[i].url;
      config.tls_pins = (char **) cases[i].pins;
      config.intake_receipt_public = receipt_public;
      client = hirc_sync_client_new_for_config (&config, &error);
      g_assert_null (client);
      g_assert_error (error, HIRC_SYNC_ERROR, HIRC_SYNC_ERROR_CONFIG);
      g_assert_nonnull (hirc_sync_error_get_plain (error));
      g_clear_error (&error);
    }
}

static void
test_status_json_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircSyncStatus) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  HircSyncStatus status = {
    .state = HIRC_SYNC_STATE_OFFLINE,
    .pending = 3,
    .delivered_today = 4,
    .delivered_this_month = 50,
    .rejected = 1,
    .last_success = 1764000000,
    .next_attempt = 1764000300,
    .last_error = (char *) "The intake's certificate does not match.",
    .last_error_detail = (char *) "curl error 90",
    .last_error_code = (char *) "pin-mismatch",
    .last_error_at = 1764000100,
    .clock_skew_known = TRUE,
    .clock_skew = -900,
    .checked_at = 1764000000,
  };

  json = hirc_sync_status_to_json (&status);
  back = hirc_sync_status_from_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->state, ==, status.state);
  g_assert_cmpuint (back->pending, ==, 3);
  g_assert_cmpuint (back->delivered_today, ==, 4);
  g_assert_cmpuint (back->delivered_this_month, ==, 50);
  g_assert_cmpuint (back->rejected, ==, 1);
  g_assert_cmpint (back->last_success, ==, status.last_success);
  g_assert_cmpint (back->next_attempt, ==, status.next_attempt);
  g_assert_cmpstr (back->last_error, ==, status.last_error);
  g_assert_cmpstr (back->last_error_detail, ==, status.last_error_detail);
  g_assert_cmpstr (back->last_error_code, ==, status.last_error_code);
  g_assert_true (back->clock_skew_known);
  g_assert_cmpint (back->clock_skew, ==, -900);

  summary = hirc_sync_status_describe (&status, 1764000200);
  g_assert_nonnull (strstr (summary, "3 reports are waiting"));
  g_assert_nonnull (strstr (summary, "does not match"));
  g_assert_nonnull (strstr (summary, "15 minutes ahead of the intake's"));
  g_assert_nonnull (strstr (summary, "1 report was refused"));

  g_assert_null (hirc_sync_status_from_json ("{\"state\":1}", 11, &error));
  g_assert_error (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_FAILED);
}

static void
assert_json_equal (const char *expected,
                   JsonNode   *actual)
{
  g_autoptr(JsonNode) parsed = json_from_string (expected, NULL);

  g_assert_nonnull (parsed);
  g_assert_true (json_node_equal (parsed, actual));
}

static void
test_end_to_end (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("End to end library");
  g_autoptr(GPtrArray) queued = kiosk_queue (kiosk, 100, NULL);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *export_err = NULL;
  HircOutboxCounts counts;
  JsonArray *array;
  guint matched = 0;
  const char *argv[] = { g_getenv ("HIRC_INTAKE"), "export", "--data", intake->data_dir,
                         "--secret-key", intake->seal_secret_path, "--format", "json", NULL };

  g_assert_cmpint (run_sync_once (kiosk, NULL, &summary), ==, 0);
  g_assert_nonnull (strstr (summary, "delivered 100, rejected 0, deferred 0, pending 0"));

  /* The outbox keeps tombstones only. */
  counts = kiosk_counts (kiosk);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpuint (counts.rejected, ==, 0);
  g_assert_cmpuint (counts.delivered, ==, 100);
  g_assert_cmpint (counts.pending_bytes, ==, 0);
  for (guint i = 0; i < queued->len; i++)
    {
      Queued *q = g_ptr_array_index (queued, i);
      g_autoptr(GBytes) envelope = hirc_outbox_get_envelope (kiosk->outbox, q->id, &error);

      g_assert_null (envelope);
      g_assert_error (error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_NOT_FOUND);
      g_clear_error (&error);
      g_hash_table_insert (by_id, q->id, q);
    }
  assert_at_intake_once (queued);

  /* The case worker's export equals what was sealed, field by field. */
  g_assert_cmpint (hirc_test_run (argv, NULL, &exported, &export_err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, exported, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      Queued *q = g_hash_table_lookup (by_id, json_object_get_string_member (row, "report_id"));

      if (q == NULL)
        continue;
      g_assert_cmpstr (json_object_get_string_member (row, "device_id"), ==,
                       kiosk->config->device_id);
      g_assert_cmpstr (json_object_get_string_member (row, "centre_id"), ==,
                       kiosk->config->centre_id);
      assert_json_equal (q->plaintext, json_object_get_member (row, "report"));
      matched++;
    }
  g_assert_cmpuint (matched, ==, 100);
}

typedef struct
{
  const char *name;
  Fault       fault;
  /* What the service should say: the stable code in --once's summary. */
  const char *code;
  /* A refusal (kept as rejected for an administrator) rather than a retry. */
  gboolean    permanent;
  /* Not one byte of HTTP may reach the proxy. */
  gboolean    nothing_sent;
  /* The kiosk aborts the handshake itself (certificate verification happens inside it; the pin
   * is checked once it is complete, but still before any request is written). */
  gboolean    handshake_refused;
  /* Reports the intake stored although the kiosk could not know it: the proof that the retry
   * after recovery does not store them twice. */
  guint       stored_unknown;
} FaultCase;

static const FaultCase fault_cases[] = {
  { "500", FAULT_500, "server-error", FALSE, FALSE, FALSE, 0 },
  { "503-retry-after", FAULT_503_RETRY_AFTER, "server-error", FALSE, FALSE, FALSE, 0 },
  { "reset-mid-request", FAULT_RESET_MID_REQUEST, "connection-lost", FALSE, FALSE, FALSE, 0 },
  { "response-dropped-after-commit", FAULT_DROP_AFTER_COMMIT, "connection-lost", FALSE, FALSE,
    FALSE, 1 },
  { "slow-server", FAULT_SLOW, "timeout", FALSE, FALSE, FALSE, 1 },
  { "garbage", FAULT_GARBAGE, "bad-response", FALSE, FALSE, FALSE, 0 },
  { "captive-portal", FAULT_CAPTIVE_PORTAL, "bad-response", FALSE, FALSE, FALSE, 0 },
  { "bad-receipt-signature", FAULT_BAD_RECEIPT, "bad-receipt", TRUE, FALSE, FALSE, 3 },
  { "expired-certificate", FAULT_EXPIRED_CERT, "certificate", FALSE, TRUE, TRUE, 0 },
  { "self-signed-certificate", FAULT_SELF_SIGNED_CERT, "certificate", FALSE, TRUE, TRUE, 0 },
  { "wrong-pin", FAULT_WRONG_PIN, "pin-mismatch", FALSE, TRUE, FALSE, 0 },
};

static void
test_fault (gconstpointer user_data)
{
  const FaultCase *fault_case = user_data;
  g_autoptr(Kiosk) kiosk = kiosk_provision (fault_case->name);
  g_autoptr(GPtrArray) queued = kiosk_queue (kiosk, 3, NULL);
  g_autofree char *summary = NULL;
  g_autofree char *expected = g_strdup_printf ("last problem: %s", fault_case->code);
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  const char *extra_env[] = { "HIRC_SYNC_BACKOFF_CAP=5", NULL };

  kiosk_point_at_proxy (kiosk);
  proxy_reset_record ();
  proxy_set_fault (fault_case->fault, 3);

  g_assert_cmpint (run_sync_once (kiosk, fault_case->fault == FAULT_503_RETRY_AFTER
                                           ? extra_env : NULL, &summary), ==, 0);
  g_assert_nonnull (strstr (summary, expected));
  assert_none_delivered (kiosk, queued);
  g_assert_cmpuint (count_at_intake (queued), ==, fault_case->stored_unknown);

  if (fault_case->permanent)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rejected = hirc_outbox_list_rejected (kiosk->outbox, &error);

      /* Every report got the same bad receipt; each is kept, with a reason in plain words, for
       * an administrator to retry once the intake is fixed. */
      g_assert_no_error (error);
      g_assert_cmpuint (rejected->len, ==, 3);
      for (guint i = 0; i < rejected->len; i++)
        {
          HircOutboxRejection *rejection = g_ptr_array_index (rejected, i);

          g_assert_nonnull (strstr (rejection->reason, "receipt"));
          g_assert_true (hirc_outbox_retry_rejected (kiosk->outbox, rejection->report_id,
                                                     &error));
          g_assert_no_error (error);
        }
    }
  else
    g_assert_cmpuint (kiosk_counts (kiosk).pending, ==, 3);

  if (fault_case->fault == FAULT_503_RETRY_AFTER)
    {
      g_autoptr(GError) error = NULL;
      gint64 next_due = hirc_outbox_next_due (kiosk->outbox, &error);

      /* Retry-After: 3 is honoured (the jittered backoff alone could be 1 s). */
      g_assert_no_error (error);
      g_assert_cmpint (next_due, >=, before + 3);
    }

  if (fault_case->nothing_sent)
    {
      /* The kiosk refused the server before writing anything: not one decrypted byte (no
       * HTTP, no envelope) reached the proxy. */
      g_mutex_lock (&proxy->lock);
      g_assert_cmpuint (proxy->received->len, ==, 0);
      if (fault_case->handshake_refused)
        g_assert_cmpuint (proxy->handshakes, ==, 0);
      g_mutex_unlock (&proxy->lock);
    }

  proxy_set_fault (FAULT_NONE, 0);
  if (fault_case->fault == FAULT_503_RETRY_AFTER)
    g_usleep (3 * G_USEC_PER_SEC);
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, queued);
}

static void
test_fault_connection_refused (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Refused centre");
  g_autoptr(GPtrArray) queued = kiosk_queue (kiosk, 3, NULL);
  g_autofree char *summary = NULL;
  g_autofree char *url = NULL;
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t address_len = sizeof address;
  const char *pins[] = { proxy->pins[CERT_GOOD], NULL };
  int fd;

  /* A port that was free a moment ago and has nothing listening on it. */
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &address_len), ==, 0);
  close (fd);
  url = g_strdup_printf ("https://127.0.0.1:%u", ntohs (address.sin_port));

  kiosk_point_at (kiosk, url, pins);
  g_assert_cmpint (run_sync_once (kiosk, NULL, &summary), ==, 0);
  g_assert_nonnull (strstr (summary, "last problem: connection-refused"));
  g_assert_cmpuint (kiosk_counts (kiosk).pending, ==, 3);

  proxy_set_fault (FAULT_NONE, 0);
  kiosk_point_at_proxy (kiosk);
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, queued);
}

/* A fault in the middle of a long drain, when two reports are out at once: the ones answered
 * before it are delivered, the one in flight beside the failed one is abandoned, and nothing
 * the intake stored without a receipt reaching the kiosk counts as delivered, is lost or is
 * stored twice. */
static void
test_fault_mid_drain (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Mid-drain centre");
  g_autoptr(GPtrArray) queued = kiosk_queue (kiosk, 40, NULL);
  g_autofree char *summary = NULL;
  HircOutboxCounts counts;
  guint stored;

  kiosk_point_at_proxy (kiosk);
  proxy_set_fault_after (FAULT_DROP_AFTER_COMMIT, 10);
  proxy_reset_record ();

  g_assert_cmpint (run_sync_once (kiosk, NULL, &summary), ==, 0);
  g_assert_nonnull (strstr (summary, "last problem: connection-lost"));
  /* The drop came with the pipeline full: every stream had its own connection by then. */
  g_assert_cmpuint (proxy->handshakes, >=, HIRC_SYNC_STREAMS);
  /* The proxy lets the first ten to arrive through. The ones out at once can arrive in any
   * order, so the first that fails is at most HIRC_SYNC_STREAMS - 1 places before the
   * eleventh, and the kiosk stops there. */
  counts = kiosk_counts (kiosk);
  g_assert_cmpuint (counts.delivered, >=, 10 - (HIRC_SYNC_STREAMS - 1));
  g_assert_cmpuint (counts.delivered, <=, 10);
  g_assert_cmpuint (counts.pending, ==, 40 - counts.delivered);
  g_assert_cmpuint (counts.rejected, ==, 0);
  /* The failed report reached the intake, and perhaps the ones out beside it, which the kiosk
   * abandoned without their receipts. */
  stored = count_at_intake (queued);
  g_assert_cmpuint (stored, >, counts.delivered);
  g_assert_cmpuint (stored, <=, 10 + HIRC_SYNC_STREAMS);

  proxy_set_fault (FAULT_NONE, 0);
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, queued);
}

/* A pass leases the next reports while the last of a lease are still out. When one of those
 * fails, the ones leased ahead are given back with the rest, due when the backoff ends, not
 * held until their lease runs out; and each report is still stored exactly once. */
static void
test_fault_mid_drain_leased_ahead (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Leased-ahead centre");
  g_autoptr(GPtrArray) queued = kiosk_queue (kiosk, 40, NULL);
  /* Leases of 8, and the sixteenth report to arrive is the first dropped: the second lease's
   * last is out, and the third lease taken, when the failure is met (unless the ones out at
   * once arrive so far out of order that the drop hits before that). Leases far longer than
   * the backoff, so a report left leased could not go in the next run. */
  const char *extra_env[] = { "HIRC_SYNC_BATCH=8", "HIRC_SYNC_LEASE=600", NULL };
  g_autofree char *summary = NULL;
  HircOutboxCounts counts;

  kiosk_point_at_proxy (kiosk);
  proxy_set_fault_after (FAULT_DROP_AFTER_COMMIT, 15);

  g_assert_cmpint (run_sync_once (kiosk, extra_env, &summary), ==, 0);
  g_assert_nonnull (strstr (summary, "last problem: connection-lost"));
  counts = kiosk_counts (kiosk);
  g_assert_cmpuint (counts.delivered, >=, 15 - (HIRC_SYNC_STREAMS - 1));
  g_assert_cmpuint (counts.delivered, <=, 15);
  g_assert_cmpuint (counts.pending, ==, 40 - counts.delivered);

  /* The backoff (a second with these settings) has passed; one run takes everything. */
  proxy_set_fault (FAULT_NONE, 0);
  g_usleep (2500 * 1000);
  g_assert_cmpint (run_sync_once (kiosk, extra_env, NULL), ==, 0);
  g_assert_cmpuint (kiosk_counts (kiosk).pending, ==, 0);
  assert_all_delivered (kiosk, queued);
}

static void
test_fault_server_down_then_up (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Down and up centre");
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *summary = NULL;
  guint refusals = 0;

  kiosk_point_at_intake (kiosk);
  first = kiosk_queue (kiosk, 5, NULL);
  hirc_test_intake_kill (intake);

  /* Down for a while: several runs, each attempt refused (a run can also find nothing due
   * yet, while the backoff runs), and nothing is lost. */
  for (guint i = 0; i < 4; i++)
    {
      g_clear_pointer (&summary, g_free);
      g_assert_cmpint (run_sync_once (kiosk, NULL, &summary), ==, 0);
      g_assert_nonnull (strstr (summary, "delivered 0"));
      if (strstr (summary, "last problem: connection-refused") != NULL)
        refusals++;
      g_usleep (700 * 1000);
    }
  g_assert_cmpuint (refusals, >=, 2);
  second = kiosk_queue (kiosk, 5, NULL);
  g_assert_cmpuint (kiosk_counts (kiosk).pending, ==, 10);

  hirc_test_intake_start (intake);
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, first);
  assert_all_delivered (kiosk, second);
}

static void
test_kill_during_drain (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Kill centre");
  g_autoptr(GPtrArray) queued = g_ptr_array_new_with_free_func ((GDestroyNotify) queued_free);
  const char *extra_env[] = { "HIRC_SYNC_LEASE=1", "HIRC_SYNC_BATCH=16", NULL };
  g_auto(GStrv) env = sync_environment (extra_env);

  kiosk_point_at_intake (kiosk);

  /* Fifty rounds: queue a few more, start a drain, SIGKILL it at a random moment. */
  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(GPtrArray) more = kiosk_queue (kiosk, 6, NULL);
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                   | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_extend_and_steal (queued, g_steal_pointer (&more));
      g_subprocess_launcher_set_environ (launcher, env);
      process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HIRC_SYNC"),
                                             "--state-dir", kiosk->state_dir, "--once", NULL);
      g_assert_no_error (error);
      g_usleep (g_random_int_range (0, 120 * 1000));
      g_subprocess_force_exit (process);
      g_assert_true (g_subprocess_wait (process, NULL, &error));
      g_assert_no_error (error);
    }

  g_test_message ("after 50 kills: %u of %u delivered", kiosk_counts (kiosk).delivered,
                  queued->len);
  /* Leases of killed runs last a second; then everything goes, exactly once. */
  g_usleep (1100 * 1000);
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, queued);
}

static gboolean
is_sending (const HircSyncStatus *status)
{
  return status->state == HIRC_SYNC_STATE_SENDING;
}

static gboolean
is_idle (const HircSyncStatus *status)
{
  return status->state == HIRC_SYNC_STATE_IDLE && status->pending == 0;
}

static gboolean
has_pending_and_waits (const HircSyncStatus *status)
{
  return status->pending > 0 && status->state != HIRC_SYNC_STATE_SENDING
         && status->last_error_code != NULL;
}

static void
assert_path_not_under (const char *path,
                       const char *forbidden_dir)
{
  g_autofree char *prefix = g_strconcat (forbidden_dir, "/", NULL);

  g_assert_false (g_str_has_prefix (path, prefix));
  g_assert_cmpstr (path, !=, forbidden_dir);
}

static void
test_separation_fds_and_maps (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Separation centre");
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(HircSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = hirc_kiosk_device_key_path (kiosk->state_dir);
  g_autofree char *keys_dir = g_path_get_dirname (key_path);
  g_autofree char *fd_dir = NULL;
  g_autofree char *maps_path = NULL;
  g_autofree char *maps = NULL;
  g_autoptr(GDir) dir = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_fds = 0;

  g_assert_true (g_file_test (key_path, G_FILE_TEST_IS_REGULAR));
  kiosk_point_at_intake (kiosk);
  queued = kiosk_queue (kiosk, 5, NULL);
  process = spawn_sync_daemon (kiosk, NULL, NULL);
  wait_for_control (kiosk);
  status = wait_for_status (kiosk, is_idle, 20);

  fd_dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (process));
  dir = g_dir_open (fd_dir, 0, &error);
  g_assert_no_error (error);
  for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
    {
      g_autofree char *link = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target == NULL)
        continue;
      assert_path_not_under (target, keys_dir);
      n_fds++;
    }
  /* The check looked at something: the outbox and the socket at least. */
  g_assert_cmpuint (n_fds, >=, 4);

  maps_path = g_strdup_printf ("/proc/%s/maps", g_subprocess_get_identifier (process));
  g_assert_true (g_file_get_contents (maps_path, &maps, NULL, &error));
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *path = strchr (lines[i], '/');

      if (path != NULL)
        assert_path_not_under (path, keys_dir);
    }

  stop_sync_daemon (process);
  assert_all_delivered (kiosk, queued);
}

static void
test_separation_core_and_logs (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Canary centre");
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(HircSyncStatus) status = NULL;
  g_autofree char *log_path = g_build_filename (work_dir, "canary-sync.log", NULL);
  g_autofree char *core_prefix = g_build_filename (work_dir, "canary-core", NULL);
  g_autofree char *core_path = NULL;
  g_autofree char *canary = NULL;
  g_autofree char *gcore = g_find_program_in_path ("gcore");
  g_autofree char *gcore_out = NULL;
  g_autofree char *gcore_err = NULL;
  const char *extra_env[] = { "HIRC_ALLOW_CORE_DUMPS=1", "G_MESSAGES_DEBUG=all",
                              "HIRC_SYNC_LOW_SPEED_TIME=60", NULL };
  const guint8 *secret;
  gsize secret_len = 0;
  guint8 nonce[16];

#ifdef RUNNING_UNDER_ASAN
  /* An AddressSanitizer process maps terabytes of shadow memory; its core cannot be searched
   * (nor quickly written). The plain build runs this test. */
  g_test_skip ("the core of an AddressSanitizer process is too large to search");
  return;
#endif

  randombytes_buf (nonce, sizeof nonce);
  {
    g_autofree char *hex = g_malloc (sizeof nonce * 2 + 1);

    sodium_bin2hex (hex, sizeof nonce * 2 + 1, nonce, sizeof nonce);
    canary = g_strdup_printf ("CANARY-%s", hex);
  }

  kiosk_point_at_proxy (kiosk);
  proxy_set_fault (FAULT_SLOW, 0);
  queued = kiosk_queue (kiosk, 3, canary);

  /* The daemon, stalled mid-upload by the slow proxy: its memory holds the envelope it is
   * sending, its configuration and its TLS state. */
  process = spawn_sync_daemon (kiosk, extra_env, log_path);
  wait_for_control (kiosk);
  g_clear_pointer (&status, hirc_sync_status_free);
  status = wait_for_status (kiosk, is_sending, 20);
  {
    const char *argv[] = { gcore, "-o", core_prefix, g_subprocess_get_identifier (process),
                           NULL };

    g_assert_nonnull (gcore);
    g_assert_cmpint (hirc_test_run (argv, NULL, &gcore_out, &gcore_err), ==, 0);
  }
  core_path = g_strdup_printf ("%s.%s", core_prefix, g_subprocess_get_identifier (process));
  g_assert_true (g_file_test (core_path, G_FILE_TEST_IS_REGULAR));

  /* A positive control: the core is a real image of the process (it holds the device id the
   * configuration carries)... */
  g_assert_true (hirc_test_file_contains (core_path, (const guint8 *) kiosk->config->device_id,
                                          strlen (kiosk->config->device_id)));
  /* ...and holds neither the report's text nor the device's secret key. */
  g_assert_false (hirc_test_file_contains (core_path, (const guint8 *) canary, strlen (canary)));
  secret = hirc_key_get_secret (kiosk->device_secret, &secret_len);
  g_assert_cmpuint (secret_len, >=, 32);
  g_assert_false (hirc_test_file_contains (core_path, secret, 32));
  g_unlink (core_path);

  proxy_set_fault (FAULT_NONE, 0);
  stop_sync_daemon (process);
  g_assert_false (hirc_test_file_contains (log_path, (const guint8 *) canary, strlen (canary)));

  /* Nothing was lost on the way. */
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, queued);
  g_assert_false (hirc_test_tree_contains (kiosk->state_dir, (const guint8 *) canary,
                                           strlen (canary), NULL));
}

static void
test_control_status_while_stalled (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Stalled centre");
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(HircSyncStatus) status = NULL;
  g_autofree char *socket_path = hirc_kiosk_socket_path (kiosk->state_dir);
  const char *extra_env[] = { "HIRC_SYNC_LOW_SPEED_TIME=60", NULL };
  GStatBuf st;
  gint64 stop_started;

  kiosk_point_at_proxy (kiosk);
  proxy_set_fault (FAULT_SLOW, 0);
  queued = kiosk_queue (kiosk, 2, NULL);
  process = spawn_sync_daemon (kiosk, extra_env, NULL);
  wait_for_control (kiosk);

  /* Only the kiosk user can reach the socket. */
  g_assert_cmpint (g_stat (socket_path, &st), ==, 0);
  g_assert_true (S_ISSOCK (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  status = wait_for_status (kiosk, is_sending, 20);
  g_assert_cmpuint (status->pending, ==, 2);

  /* The upload is stalled, one byte a second; status still answers at once. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HircSyncStatus) again = NULL;
      gint64 start = g_get_monotonic_time ();

      again = hirc_control_get_status (kiosk->state_dir, 1000, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      g_assert_cmpint (again->state, ==, HIRC_SYNC_STATE_SENDING);
    }

  /* An unknown command and malformed JSON get plain refusals, and the channel stays up. */
  {
    g_autofree char *reply = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (hirc_control_request (kiosk->state_dir, "format-disk", 1000, &reply, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (reply, "\"unknown_command\""));
  }

  /* SIGTERM abandons the stalled send within a second or two and leaves the reports queued. */
  stop_started = g_get_monotonic_time ();
  stop_sync_daemon (process);
  g_assert_cmpint (g_get_monotonic_time () - stop_started, <, 10 * G_USEC_PER_SEC);
  g_assert_false (g_file_test (socket_path, G_FILE_TEST_EXISTS));
  proxy_set_fault (FAULT_NONE, 0);
  sync_until_drained (kiosk, 10);
  assert_all_delivered (kiosk, queued);
}

static void
test_control_sync_now_and_wake (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Sync now centre");
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(HircSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  /* Retry-After 600 within a cap of 900: without sync-now nothing would be tried for ten
   * minutes. */
  const char *extra_env[] = { "HIRC_SYNC_BACKOFF_CAP=900", NULL };

  kiosk_point_at_proxy (kiosk);
  proxy_set_fault (FAULT_503_RETRY_AFTER, 600);
  first = kiosk_queue (kiosk, 3, NULL);
  process = spawn_sync_daemon (kiosk, extra_env, NULL);
  wait_for_control (kiosk);
  status = wait_for_status (kiosk, has_pending_and_waits, 20);
  g_assert_cmpstr (status->last_error_code, ==, "server-error");
  g_assert_cmpint (status->state, ==, HIRC_SYNC_STATE_WAITING);
  g_assert_cmpint (status->next_attempt, >=, g_get_real_time () / G_USEC_PER_SEC + 500);

  proxy_set_fault (FAULT_NONE, 0);
  g_assert_true (hirc_control_request (kiosk->state_dir, HIRC_CONTROL_SYNC_NOW, 1000, &reply,
                                       &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (reply, "\"ok\":true"));
  g_clear_pointer (&status, hirc_sync_status_free);
  status = wait_for_status (kiosk, is_idle, 20);
  g_assert_null (status->last_error);
  g_assert_cmpuint (status->delivered_today, >=, 3);
  assert_all_delivered (kiosk, first);

  /* A new report and "wake", as the window does after queueing. */
  second = kiosk_queue (kiosk, 2, NULL);
  g_clear_pointer (&reply, g_free);
  g_assert_true (hirc_control_request (kiosk->state_dir, HIRC_CONTROL_WAKE, 1000, &reply,
                                       &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, hirc_sync_status_free);
  status = wait_for_status (kiosk, is_idle, 20);
  assert_all_delivered (kiosk, second);

  /* A new report and no wake at all: the file monitor on the outbox's log notices. */
  third = kiosk_queue (kiosk, 2, NULL);
  g_clear_pointer (&status, hirc_sync_status_free);
  status = wait_for_status (kiosk, is_idle, 20);
  assert_all_delivered (kiosk, third);

  stop_sync_daemon (process);
  assert_sync_audit_trail (kiosk, "server-error", 7);
}

static JsonObject *
find_finding (JsonArray  *findings,
              const char *check)
{
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      if (g_strcmp0 (json_object_get_string_member (finding, "check"), check) == 0)
        return finding;
    }
  return NULL;
}

static void
test_control_test_connection (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Test connection centre");
  g_autoptr(GSubprocess) process = NULL;

  kiosk_point_at_proxy (kiosk);
  proxy_set_fault (FAULT_NONE, 0);
  process = spawn_sync_daemon (kiosk, NULL, NULL);
  wait_for_control (kiosk);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *reply = NULL;
      JsonObject *object, *connection;
      JsonArray *findings;

      proxy_set_fault (round == 0 ? FAULT_NONE : FAULT_WRONG_PIN, 0);
      g_assert_true (hirc_control_request (kiosk->state_dir, HIRC_CONTROL_TEST_CONNECTION,
                                           20000, &reply, &error));
      g_assert_no_error (error);
      g_assert_true (json_parser_load_from_data (parser, reply, -1, &error));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_get_boolean_member (object, "ok"));
      findings = json_object_get_array_member (object, "findings");
      connection = find_finding (findings, "connection");
      g_assert_nonnull (connection);

      if (round == 0)
        {
          g_assert_true (json_object_get_boolean_member (object, "healthy"));
          g_assert_true (json_object_get_boolean_member (connection, "ok"));
          g_assert_true (json_object_get_boolean_member (find_finding (findings, "clock"), "ok"));
          g_assert_true (json_object_get_boolean_member (find_finding (findings, "enrolment"),
                                                         "ok"));
        }
      else
        {
          g_assert_false (json_object_get_boolean_member (object, "healthy"));
          g_assert_false (json_object_get_boolean_member (connection, "ok"));
          g_assert_cmpstr (json_object_get_string_member (connection, "code"), ==,
                           "pin-mismatch");
          g_assert_nonnull (strstr (json_object_get_string_member (connection, "message"),
                                    "do not set the kiosk up again"));
        }
    }

  proxy_set_fault (FAULT_NONE, 0);
  stop_sync_daemon (process);
}

/* Setting a running kiosk up again from its window, which has no network: the window makes the
 * key, the service enrols it, the window stores it, and the service restarts into the new
 * configuration. Refused while a report waits; a bundle used once is refused. */
static void
test_control_reprovision (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Before the move centre");
  g_autofree char *bundle_path = hirc_test_intake_enrol_centre (intake, "After the move centre");
  g_autofree char *new_key_path = NULL;
  g_autofree char *key_path = hirc_kiosk_device_key_path (kiosk->state_dir);
  g_autofree char *old_device_id = g_strdup (kiosk->config->device_id);
  g_autofree char *code = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(HircKioskConfig) config = NULL;
  g_autoptr(HircKioskConfig) again = NULL;
  g_autoptr(HircSyncStatus) status = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_before = NULL;

  new_key_path = g_strconcat (key_path, ".new", NULL);
  kiosk->config->staff_idle_timeout_seconds = 77;
  kiosk_point_at_proxy (kiosk);
  proxy_set_fault (FAULT_500, 0);
  waiting = kiosk_queue (kiosk, 1, NULL);
  process = spawn_sync_daemon (kiosk, NULL, NULL);
  pid_before = g_strdup (g_subprocess_get_identifier (process));
  wait_for_control (kiosk);
  status = wait_for_status (kiosk, has_pending_and_waits, 20);

  /* The window refuses first; the service refuses too, should a window ask anyway. */
  g_assert_null (hirc_provision_through_sync (kiosk->state_dir, bundle_path, &code, &error));
  g_assert_error (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_REPORTS_WAITING);
  g_clear_error (&error);
  {
    g_autoptr(HircKey) key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
    g_autoptr(HircKey) key_public = hirc_key_dup_public (key);
    g_autoptr(GBytes) proof = g_bytes_new_static ("0123456789012345678901234567890123456789"
                                                  "012345678901234567890123", 64);
    g_autofree char *bundle_json = NULL;
    HircEnrolment enrolment = { 0 };

    g_assert_true (g_file_get_contents (bundle_path, &bundle_json, NULL, NULL));
    g_assert_false (hirc_control_enrol (kiosk->state_dir, bundle_json, key_public, proof, 10000,
                                        &enrolment, &code, &error));
    g_assert_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_REFUSED);
    g_assert_cmpstr (code, ==, "reports-waiting");
    g_clear_error (&error);
    g_clear_pointer (&code, g_free);
  }

  proxy_set_fault (FAULT_NONE, 0);
  g_assert_true (hirc_control_request (kiosk->state_dir, HIRC_CONTROL_SYNC_NOW, 1000, &reply,
                                       &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, hirc_sync_status_free);
  status = wait_for_status (kiosk, is_idle, 20);
  assert_all_delivered (kiosk, waiting);

  config = hirc_provision_through_sync (kiosk->state_dir, bundle_path, &code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpstr (config->centre_name, ==, "After the move centre");
  g_assert_cmpstr (config->device_id, !=, old_device_id);
  g_assert_cmpuint (config->staff_idle_timeout_seconds, ==, 77);
  g_assert_false (g_file_test (new_key_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&kiosk->device_secret, hirc_key_unref);
  kiosk->device_secret = hirc_key_load (key_path, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_public (kiosk->device_secret), HIRC_KEY_PUBLIC_BYTES,
                   hirc_key_get_public (config->device_public), HIRC_KEY_PUBLIC_BYTES);

  /* The bundle's token is spent: the intake refuses it, and nothing on the kiosk changes. */
  again = hirc_provision_through_sync (kiosk->state_dir, bundle_path, &code, &error);
  g_assert_null (again);
  g_assert_error (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_REFUSED);
  g_assert_cmpstr (code, ==, "rejected");
  g_clear_error (&error);
  g_assert_false (g_file_test (new_key_path, G_FILE_TEST_EXISTS));
  again = hirc_kiosk_config_load (kiosk->state_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->device_id, ==, config->device_id);

  /* Until it restarts, the service still sends for the old device. */
  g_clear_pointer (&status, hirc_sync_status_free);
  status = hirc_control_get_status (kiosk->state_dir, 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->device_id, ==, old_device_id);
  g_assert_true (hirc_provision_restart_sync (kiosk->state_dir, config->device_id, 20000,
                                              &error));
  g_assert_no_error (error);
  /* The same process, started again. */
  g_assert_cmpstr (g_subprocess_get_identifier (process), ==, pid_before);

  /* Reports signed with the new key reach the new centre. */
  g_clear_pointer (&kiosk->config, hirc_kiosk_config_free);
  kiosk->config = g_steal_pointer (&again);
  after = kiosk_queue (kiosk, 3, NULL);
  g_clear_pointer (&reply, g_free);
  g_assert_true (hirc_control_request (kiosk->state_dir, HIRC_CONTROL_WAKE, 1000, &reply,
                                       &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, hirc_sync_status_free);
  status = wait_for_status (kiosk, is_idle, 20);
  g_assert_cmpstr (status->device_id, ==, config->device_id);
  assert_all_delivered (kiosk, after);

  stop_sync_daemon (process);
}

static void
test_second_instance_refused (void)
{
  g_autoptr(Kiosk) kiosk = kiosk_provision ("Two services centre");
  g_autoptr(GSubprocess) process = NULL;

  kiosk_point_at_intake (kiosk);
  process = spawn_sync_daemon (kiosk, NULL, NULL);
  wait_for_control (kiosk);
  /* Exit code 5: another hirc-sync holds the state folder. */
  g_assert_cmpint (run_sync_once (kiosk, NULL, NULL), ==, 5);
  stop_sync_daemon (process);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  /* libcurl's global set-up must come before any thread. */
  g_assert_cmpint (curl_global_init (CURL_GLOBAL_DEFAULT), ==, CURLE_OK);
  /* The proxy writes to clients that may have gone. */
  signal (SIGPIPE, SIG_IGN);
  g_test_init (&argc, &argv, NULL);
  g_assert_true (hirc_secure_init (NULL));
  gnutls_global_init ();

  work_dir = hirc_test_make_temp_dir ("hirc-test-sync");
  {
    g_autofree char *intake_dir = g_build_filename (work_dir, "intake", NULL);

    g_assert_cmpint (g_mkdir (intake_dir, 0700), ==, 0);
    intake = hirc_test_intake_new (intake_dir);
    hirc_test_intake_start (intake);
  }
  proxy = proxy_start ();

  g_test_add_func ("/sync/client/refuses-insecure-settings",
                   test_client_refuses_insecure_settings);
  g_test_add_func ("/sync/status/json-round-trip", test_status_json_round_trip);
  g_test_add_func ("/sync/end-to-end", test_end_to_end);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sync/fault/%s", fault_cases[i].name);

      g_test_add_data_func (path, &fault_cases[i], test_fault);
    }
  g_test_add_func ("/sync/fault/connection-refused", test_fault_connection_refused);
  g_test_add_func ("/sync/fault/server-down-then-up", test_fault_server_down_then_up);
  g_test_add_func ("/sync/fault/mid-drain", test_fault_mid_drain);
  g_test_add_func ("/sync/fault/mid-drain-leased-ahead", test_fault_mid_drain_leased_ahead);
  g_test_add_func ("/sync/kill-during-drain", test_kill_during_drain);
  g_test_add_func ("/sync/separation/fds-and-maps", test_separation_fds_and_maps);
  g_test_add_func ("/sync/separation/core-and-logs", test_separation_core_and_logs);
  g_test_add_func ("/sync/control/status-while-stalled", test_control_status_while_stalled);
  g_test_add_func ("/sync/control/sync-now-and-wake", test_control_sync_now_and_wake);
  g_test_add_func ("/sync/control/test-connection", test_control_test_connection);
  g_test_add_func ("/sync/control/second-instance-refused", test_second_instance_refused);
  g_test_add_func ("/sync/control/reprovision", test_control_reprovision);

  result = g_test_run ();

  proxy_stop (proxy);
  hirc_test_intake_free (intake);
  hirc_test_remove_tree (work_dir);
  g_free (work_dir);
  gnutls_global_deinit ();
  curl_global_cleanup ();
  return result;
}
