/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-kiosk-cli.c: hirc-kiosk's commands as an operator runs them, and the promise that a
 * report's words never reach the disk or the terminal in the clear. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "hirc-audit.h"
#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-provision.h"
#include "hirc-report.h"
#include "hirc-staff.h"
#include "hirc-test-util.h"

typedef struct
{
  char    *root;        /* everything the test makes lives below this */
  char    *state_dir;
  char    *tmp_dir;     /* the child's TMPDIR and HOME, scanned after it runs */
  HircKey *intake_seal;
  HircKey *device;
  char    *device_id;
} Fixture;

static void
provision_by_hand (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = hirc_kiosk_device_key_path (fixture->state_dir);
  g_autoptr(HircKey) receipt = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  guint8 pin_digest[32];
  g_autofree char *pin_base64 = NULL;
  g_autofree char *pin = NULL;
  HircKioskConfig config = { 0 };
  char *pins[2] = { NULL, NULL };

  randombytes_buf (pin_digest, sizeof pin_digest);
  pin_base64 = g_base64_encode (pin_digest, sizeof pin_digest);
  pin = g_strconcat ("sha256//", pin_base64, NULL);
  pins[0] = pin;

  config.state_dir = fixture->state_dir;
  config.centre_id = (char *) "centre-test";
  config.centre_name = (char *) "Test Library";
  config.intake_url = (char *) "https://127.0.0.1:9";
  config.intake_seal_public = fixture->intake_seal;
  config.intake_receipt_public = receipt;
  config.tls_pins = pins;
  config.device_id = fixture->device_id;
  config.device_public = fixture->device;
  config.status_token = (char *) "c3RhdHVz";
  config.provisioned_at = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_true (hirc_kiosk_config_save (&config, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_key_save (fixture->device, key_path, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->root = hirc_test_make_temp_dir ("hirc-cli");
  fixture->state_dir = g_build_filename (fixture->root, "state", NULL);
  fixture->tmp_dir = g_build_filename (fixture->root, "tmp", NULL);
  g_assert_cmpint (g_mkdir (fixture->tmp_dir, 0700), ==, 0);
  fixture->intake_seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  fixture->device = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  fixture->device_id = hirc_uuid_new ();
  if (GPOINTER_TO_INT (data))
    provision_by_hand (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  hirc_test_remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->state_dir);
  g_free (fixture->tmp_dir);
  g_clear_pointer (&fixture->intake_seal, hirc_key_unref);
  g_clear_pointer (&fixture->device, hirc_key_unref);
  g_free (fixture->device_id);
}

/* Runs hirc-kiosk with stdin_text on standard input and the child's temporary folder and home
 * redirected into the fixture, so that anything it writes anywhere can be found. */
static int
run_kiosk (Fixture     *fixture,
           const char  *stdin_text,
           char       **out,
           char       **err,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  const char *kiosk = g_getenv ("HIRC_KIOSK");
  const char *arg;
  va_list args;

  g_assert_nonnull (kiosk);
  g_ptr_array_add (argv, (gpointer) kiosk);
  g_ptr_array_add (argv, (gpointer) "--state-dir");
  g_ptr_array_add (argv, fixture->state_dir);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "TMPDIR", fixture->tmp_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", fixture->tmp_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", fixture->tmp_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", fixture->tmp_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);

  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, stdin_text != NULL ? stdin_text : "", NULL, out, err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  return g_subprocess_get_exit_status (child);
}

static char *
minimal_report (const char *description)
{
  g_autoptr(HircTaxonomy) taxonomy = hirc_taxonomy_new_default ();
  GPtrArray *areas = hirc_taxonomy_get_areas (taxonomy);
  const HircArea *area = g_ptr_array_index (areas, 0);

  return g_strdup_printf ("{\"role\":\"witness\",\"incident_types\":[\"graffiti\"],"
                          "\"motivations\":[\"not_sure\"],\"where\":{\"area\":\"%s\"},"
                          "\"description\":\"%s\",\"contact\":{\"anonymous\":true}}",
                          area->code, description);
}

static void
test_canary_never_reaches_disk (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canary = NULL;
  g_autofree char *report = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *found_in = NULL;
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (fixture->state_dir);
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(HircSecureBuffer) opened = NULL;
  g_autofree char *random_text = NULL;
  guint8 random[12];
  int status;

  randombytes_buf (random, sizeof random);
  random_text = hirc_base32_encode (random, sizeof random);
  canary = g_strconcat ("CANARY-", random_text, NULL);
  report = minimal_report (canary);

  status = run_kiosk (fixture, report, &out, &err, "--submit-json", "-", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Reference: HR-"));

  g_assert_null (strstr (out, canary));
  g_assert_null (strstr (err, canary));
  if (hirc_test_tree_contains (fixture->root, (const guint8 *) canary, strlen (canary), &found_in))
    g_error ("the canary reached %s", found_in);

  /* It must still be in the envelope for the intake: sealed, not dropped. */
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  items = hirc_outbox_lease_due (outbox, G_MAXINT64 / 2, 10, 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  envelope = hirc_envelope_parse (((HircOutboxItem *) g_ptr_array_index (items, 0))->envelope,
                                  &error);
  g_assert_no_error (error);
  opened = hirc_envelope_open (envelope, fixture->device, fixture->intake_seal, &error);
  g_assert_no_error (error);
  g_assert_nonnull (memmem (opened->data, opened->len, canary, strlen (canary)));
}

static void
test_invalid_report_lists_problems (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (fixture->state_dir);
  g_autoptr(HircOutbox) outbox = NULL;
  HircOutboxCounts counts;
  int status;

  status = run_kiosk (fixture, "{\"role\":\"passer_by\",\"motivations\":[\"not_sure\"]}",
                      &out, &err, "--submit-json", "-", NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_nonnull (strstr (err, "role (unknown_code)"));
  g_assert_nonnull (strstr (err, "description (required)"));

  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (hirc_outbox_get_counts (outbox, g_get_real_time () / G_USEC_PER_SEC, &counts,
                                         &error));
  g_assert_cmpuint (counts.pending, ==, 0);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_kiosk (fixture, "this is not json", &out, &err, "--submit-json", "-", NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_nonnull (strstr (err, "hirc-kiosk: "));
}

static void
test_not_provisioned (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *report = minimal_report ("Shouting outside the library.");

  g_assert_cmpint (run_kiosk (fixture, report, &out, &err, "--submit-json", "-", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "not been provisioned"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, "--status", NULL), ==, 3);
  g_assert_false (g_file_test (fixture->state_dir, G_FILE_TEST_EXISTS));
}

static void
test_status_counts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *report = minimal_report ("Stickers on the bus shelter.");
  g_autofree char *fingerprint = hirc_key_fingerprint (fixture->device);
  JsonObject *root;
  JsonObject *outbox;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_kiosk (fixture, report, &out, &err, "--submit-json", "-", NULL), ==, 0);
    }

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    /* No sync service runs here, so the kiosk is unhealthy: exit code 5. */
    g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, "--status", "--json", NULL), ==, 5);
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    g_assert_no_error (error);
  }
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "healthy"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "problems")), ==, 1);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (root, "sync"),
                                                  "running"));
  outbox = json_object_get_object_member (root, "outbox");
  g_assert_cmpint (json_object_get_int_member (outbox, "pending"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (outbox, "delivered"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (outbox, "rejected"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (root, "device_fingerprint"), ==, fingerprint);
  g_assert_cmpstr (json_object_get_string_member (root, "device_id"), ==, fixture->device_id);

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, "--status", NULL), ==, 5);
    g_assert_nonnull (strstr (out, "Reports waiting:     3"));
    g_assert_nonnull (strstr (out, "Test Library"));
    g_assert_nonnull (strstr (out, "Problem:             The sync service is not running"));
  }
}

static void
set_health_setting (Fixture    *fixture,
                    const char *key,
                    const char *value)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = hirc_kiosk_config_path (fixture->state_dir);

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_key_file_set_string (file, "health", key, value);
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  g_assert_no_error (error);
  /* GKeyFile writes 0644, which the kiosk rightly refuses for its configuration. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

static int
status_json (Fixture     *fixture,
             JsonParser  *parser,
             JsonObject **root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int code = run_kiosk (fixture, NULL, &out, &err, "--status", "--json", NULL);

  g_test_message ("status exited with %d: %s", code, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  *root = json_node_get_object (json_parser_get_root (parser));
  return code;
}

/* With the sync service running the kiosk is healthy; too little free space, or a bad [health]
 * setting, is reported in plain words. */
static void
test_status_health (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *report = minimal_report ("Shouting outside the mosque.");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) sync = NULL;
  g_autoptr(GError) error = NULL;
  const char *sync_program = g_getenv ("HIRC_SYNC");
  JsonObject *root = NULL;
  int code = -1;

  g_assert_cmpint (run_kiosk (fixture, report, &out, &err, "--submit-json", "-", NULL), ==, 0);
  g_assert_nonnull (sync_program);
  sync = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, sync_program, "--state-dir", fixture->state_dir, NULL);
  g_assert_no_error (error);

  /* The service needs a moment to open its control socket; bounded, not timed. */
  for (int attempt = 0; attempt < 100 && code != 0; attempt++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_usleep (100 * 1000);
      code = status_json (fixture, parser, &root);
    }
  g_assert_cmpint (code, ==, 0);

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *storage;

    set_health_setting (fixture, "min_free_megabytes", "1048576");
    g_assert_cmpint (status_json (fixture, parser, &root), ==, 5);
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "sync"),
                                                   "running"));
    storage = json_object_get_object_member (root, "storage");
    g_assert_cmpint (json_object_get_int_member (storage, "outbox_bytes"), >, 0);
    g_assert_cmpint (json_object_get_int_member (storage, "free_bytes"), >, 0);
    g_assert_nonnull (strstr (json_array_get_string_element (
                                json_object_get_array_member (root, "problems"), 0),
                              "of storage is free"));
  }

  {
    g_autofree char *bad_out = NULL;
    g_autofree char *bad_err = NULL;

    set_health_setting (fixture, "min_free_megabytes", "none");
    g_assert_cmpint (run_kiosk (fixture, NULL, &bad_out, &bad_err, "--status", NULL), !=, 0);
    g_assert_nonnull (strstr (bad_err, "min_free_megabytes must be a whole number"));
  }

  g_subprocess_send_signal (sync, SIGTERM);
  g_subprocess_wait (sync, NULL, &error);
  g_assert_no_error (error);
}

/* kiosk.conf's [staff] settings: the defaults when absent, a value when given, and a plain
 * refusal of one out of range (a first delay of 0 would make guessing free). */
static void
test_staff_settings (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKioskConfig) config = hirc_kiosk_config_load (fixture->state_dir, &error);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = hirc_kiosk_config_path (fixture->state_dir);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (config->staff_first_delay_seconds, ==, HIRC_STAFF_FIRST_DELAY_DEFAULT);
  g_assert_cmpuint (config->staff_idle_timeout_seconds, ==, HIRC_STAFF_IDLE_TIMEOUT_DEFAULT);
  g_clear_pointer (&config, hirc_kiosk_config_free);

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_key_file_set_integer (file, "staff", "first_delay_seconds", 5);
  g_key_file_set_integer (file, "staff", "idle_timeout_seconds", 60);
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  config = hirc_kiosk_config_load (fixture->state_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (config->staff_first_delay_seconds, ==, 5);
  g_assert_cmpuint (config->staff_idle_timeout_seconds, ==, 60);

  g_key_file_set_integer (file, "staff", "first_delay_seconds", 0);
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, "--status", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "[staff] first_delay_seconds must be a whole number between 1 "
                                 "and 3600"));
}

/* The PIN comes on standard input; a weak one is refused with the reason; the audit log
 * records the change without the PIN. */
static void
test_set_admin_pin (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = NULL;
  g_autoptr(HircStaffMember) member = NULL;
  g_autoptr(HircAudit) audit = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 retry_at = 0;

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_kiosk (fixture, "123456\n", &out, &err, "--set-admin-pin", NULL), ==, 2);
    g_assert_nonnull (strstr (err, "too easy to guess"));
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_kiosk (fixture, "271828\n", &out, &err, "--set-admin-pin", NULL), ==, 0);
  }
  staff = hirc_staff_open (fixture->state_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hirc_staff_sign_in (staff, "271828", 1000, &member, &retry_at, &error), ==,
                   HIRC_SIGN_IN_ACCEPTED);
  g_assert_cmpint (member->role, ==, HIRC_STAFF_ROLE_ADMINISTRATOR);

  audit = hirc_audit_open (fixture->state_dir, &error);
  g_assert_no_error (error);
  entries = hirc_audit_list (audit, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((HircAuditEntry *) entries->pdata[0])->event, ==,
                   HIRC_AUDIT_ADMIN_PIN_CHANGED);
}

static void
test_corrupt_outbox_is_left_alone (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (fixture->state_dir);
  g_autofree char *report = minimal_report ("Abuse shouted from a car.");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;
  const char garbage[] = "this file was damaged by something other than the kiosk";
  gsize len = 0;

  g_assert_true (g_file_set_contents (outbox_path, garbage, -1, NULL));
  g_assert_cmpint (run_kiosk (fixture, report, &out, &err, "--submit-json", "-", NULL), ==, 1);
  g_assert_nonnull (strstr (err, outbox_path));
  g_assert_true (g_file_get_contents (outbox_path, &after, &len, NULL));
  g_assert_cmpmem (after, len, garbage, strlen (garbage));
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, "--status", "--submit-json", "x", NULL),
                   ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_kiosk (fixture, NULL, &out, &err, "--no-such-option", NULL), ==, 2);
}

static void
write_bundle (const char *folder,
              const char *relative_path,
              const char *centre_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (folder, relative_path, NULL);
  g_autoptr(HircKey) seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) receipt = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autofree char *dir = g_path_get_dirname (path);
  char *pins[] = { (char *) "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", NULL };
  HircBundle bundle = {
    .intake_url = (char *) "https://intake.example.org:8443",
    .intake_seal_public = hirc_key_dup_public (seal),
    .intake_receipt_public = hirc_key_dup_public (receipt),
    .tls_pins = pins,
    .centre_id = (char *) "2d7f3a3e-8d62-4f7e-9a51-0c1b2d3e4f50",
    .centre_name = (char *) centre_name,
    .enrolment_token = (char *) "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
    .token_expires = g_get_real_time () / G_USEC_PER_SEC + 86400,
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (hirc_bundle_save (&bundle, path, &error));
  g_assert_no_error (error);
  hirc_key_unref (bundle.intake_seal_public);
  hirc_key_unref (bundle.intake_receipt_public);
}

/* What the dashboard finds on a USB stick: bundles a few folders down, in order; not a damaged
 * file, one too large to be a bundle (refused unread), a hidden folder's or one too deep. */
static void
test_find_bundles (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = hirc_test_make_temp_dir ("hirc-bundles");
  g_autofree char *media = g_build_filename (root, "media", NULL);
  g_autofree char *mnt = g_build_filename (root, "mnt", NULL);
  g_autofree char *missing = g_build_filename (root, "no-such-folder", NULL);
  g_autofree char *damaged = g_build_filename (media, "kiosk", "STICK", "damaged.bundle", NULL);
  g_autofree char *large = g_build_filename (media, "kiosk", "STICK", "large.bundle", NULL);
  g_autofree char *filler = g_malloc (HIRC_BUNDLE_MAX_BYTES + 1);
  const char *folders[] = { media, missing, mnt, NULL };
  g_autoptr(GPtrArray) found = NULL;
  HircFoundBundle *first, *second;

  write_bundle (media, "kiosk/STICK/sub/riverside.bundle", "Riverside Library");
  write_bundle (mnt, "ashby.bundle", "Ashby Community Centre");
  write_bundle (media, "a/b/c/d/deep.bundle", "Too Deep");
  write_bundle (media, ".hidden/hidden.bundle", "Hidden");
  g_assert_true (g_file_set_contents (damaged, "{\"schema\":\"hirc.bundle/1\"", -1, &error));
  memset (filler, ' ', HIRC_BUNDLE_MAX_BYTES + 1);
  g_assert_true (g_file_set_contents (large, filler, HIRC_BUNDLE_MAX_BYTES + 1, &error));
  g_assert_no_error (error);

  found = hirc_provision_find_bundles (folders);
  g_assert_cmpuint (found->len, ==, 2);
  first = g_ptr_array_index (found, 0);
  second = g_ptr_array_index (found, 1);
  g_assert_cmpstr (first->centre_name, ==, "Riverside Library");
  g_assert_cmpstr (first->intake_url, ==, "https://intake.example.org:8443");
  g_assert_true (g_str_has_suffix (first->path, "/sub/riverside.bundle"));
  g_assert_cmpstr (second->centre_name, ==, "Ashby Community Centre");

  g_assert_null (hirc_bundle_load (large, &error));
  g_assert_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too large"));
  hirc_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (hirc_secure_init (NULL));

#define ADD(path, provisioned, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (provisioned), fixture_set_up, func, fixture_tear_down)

  ADD ("/kiosk-cli/canary-never-reaches-disk", TRUE, test_canary_never_reaches_disk);
  ADD ("/kiosk-cli/invalid-report-lists-problems", TRUE, test_invalid_report_lists_problems);
  ADD ("/kiosk-cli/not-provisioned", FALSE, test_not_provisioned);
  ADD ("/kiosk-cli/status-counts", TRUE, test_status_counts);
  ADD ("/kiosk-cli/status-health", TRUE, test_status_health);
  ADD ("/kiosk-cli/set-admin-pin", TRUE, test_set_admin_pin);
  ADD ("/kiosk-cli/staff-settings", TRUE, test_staff_settings);
  ADD ("/kiosk-cli/corrupt-outbox-is-left-alone", TRUE, test_corrupt_outbox_is_left_alone);
  ADD ("/kiosk-cli/usage-errors", TRUE, test_usage_errors);

#undef ADD

  g_test_add_func ("/kiosk-cli/find-bundles", test_find_bundles);

  return g_test_run ();
}
