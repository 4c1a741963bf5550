/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-drain.c: how fast hirc-sync drains a queue to the intake over loopback HTTPS, against
 * the curl command-line tool posting one report per process, and the intake's accept rate
 * under parallel load. */

#include "config.h"

#include <curl/curl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-provision.h"
#include "hirc-sync-client.h"
#include "hirc-test-intake.h"
#include "hirc-test-util.h"
#include "hirc-wire.h"

/* A report of realistic size: it pads to one 4 KiB block like most real ones. */
static const char report_template[] =
  "{\"schema\":\"hirc.report/1\",\"id\":\"%s\",\"role\":\"victim\","
  "\"incident_types\":[\"verbal_abuse\",\"threats_harassment\"],\"motivations\":[\"religion\"],"
  "\"where\":{\"place_type\":\"street\",\"details\":\"Outside the corner shop, near the bus "
  "stop.\"},\"description\":\"I was walking home from work when two men started shouting at me "
  "about my headscarf. They followed me for about five minutes and said they knew where I "
  "lived. When I got to my car they kicked the door. This is the third time since the summer "
  "and I am frightened to walk there now.\",\"consents\":{\"police_identifiable\":false,"
  "\"support_referral\":true},\"meta\":{\"language\":\"en\",\"assisted\":false}}";

typedef struct
{
  char   *id;
  GBytes *envelope;
} Sealed;

static void
sealed_free (Sealed *sealed)
{
  g_free (sealed->id);
  g_bytes_unref (sealed->envelope);
  g_free (sealed);
}

static char *
random_uuid (void)
{
  guint8 id[HIRC_ID_BYTES];

  randombytes_buf (id, sizeof id);
  id[6] = (id[6] & 0x0f) | 0x40;
  id[8] = (id[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9],
                          id[10], id[11], id[12], id[13], id[14], id[15]);
}

/* Seals n reports as the kiosk window would, with the device key provisioning stored. */
static GPtrArray *
seal_reports (const HircKioskConfig *config,
              const HircKey         *device_secret,
              guint                  n)
{
  GPtrArray *sealed = g_ptr_array_new_with_free_func ((GDestroyNotify) sealed_free);
  guint8 device_id[HIRC_ID_BYTES];

  g_assert_true (hirc_sync_uuid_parse (config->device_id, device_id));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *plaintext = NULL;
      Sealed *s = g_new0 (Sealed, 1);
      guint8 report_id[HIRC_ID_BYTES];

      s->id = random_uuid ();
      g_assert_true (hirc_sync_uuid_parse (s->id, report_id));
      plaintext = g_strdup_printf (report_template, s->id);
      s->envelope = hirc_envelope_seal ((const guint8 *) plaintext, strlen (plaintext), report_id,
                                        device_id, g_get_real_time () / G_USEC_PER_SEC,
                                        config->intake_seal_public, device_secret, &error);
      g_assert_no_error (error);
      g_ptr_array_add (sealed, s);
    }
  return sealed;
}

/* The curl CLI's options that match what hirc-sync does: verification, the pin, no 100-continue. */
static double
bench_curl_cli (const HircKioskConfig *config,
                GPtrArray             *sealed,
                const char            *dir)
{
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autofree char *url = g_strconcat (config->intake_url, "/v1/reports", NULL);
  g_autofree char *pins = g_strjoinv (";", config->tls_pins);
  g_autofree char *body_path = g_build_filename (dir, "envelope.bin", NULL);
  gint64 elapsed = 0;

  g_assert_nonnull (curl);
  for (guint i = 0; i < sealed->len; i++)
    {
      Sealed *s = g_ptr_array_index (sealed, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *data_arg = g_strconcat ("@", body_path, NULL);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *argv[] = {
        curl, "--silent", "--show-error", "--output", "/dev/null", "--write-out", "%{http_code}",
        "--proto", "=https", "--cacert", config->ca_file, "--pinnedpubkey", pins,
        "--header", "Content-Type: " HIRC_WIRE_ENVELOPE_MEDIA_TYPE, "--header", "Expect:",
        "--data-binary", data_arg, url, NULL,
      };
      gint64 start;

      /* Writing the body is the caller's business, not the measured part. */
      g_assert_true (g_file_set_contents (body_path, g_bytes_get_data (s->envelope, NULL),
                                          g_bytes_get_size (s->envelope), &error));
      start = g_get_monotonic_time ();
      g_assert_cmpint (hirc_test_run (argv, NULL, &out, &err), ==, 0);
      elapsed += g_get_monotonic_time () - start;
      g_assert_cmpstr (out, ==, "201");
    }
  return sealed->len / (elapsed / (double) G_USEC_PER_SEC);
}

typedef struct
{
  const HircKioskConfig *config;
  GPtrArray             *sealed;
  guint                  first;
  guint                  count;
  guint                  accepted;
} LoadSlice;

static size_t
discard_cb (char   *data,
            size_t  size,
            size_t  nmemb,
            void   *user_data)
{
  return size * nmemb;
}

/* One load generator: its own handle and kept-alive connection. */
static gpointer
load_thread (gpointer user_data)
{
  LoadSlice *slice = user_data;
  g_autofree char *url = g_strconcat (slice->config->intake_url, "/v1/reports", NULL);
  CURL *curl = curl_easy_init ();
  struct curl_slist *headers = NULL;

  headers = curl_slist_append (headers, "Content-Type: " HIRC_WIRE_ENVELOPE_MEDIA_TYPE);
  headers = curl_slist_append (headers, "Expect:");
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, slice->config->ca_file);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard_cb);
  curl_easy_setopt (curl, CURLOPT_POST, 1L);

  for (guint i = slice->first; i < slice->first + slice->count; i++)
    {
      Sealed *s = g_ptr_array_index (slice->sealed, i);
      long status = 0;

      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, g_bytes_get_data (s->envelope, NULL));
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE,
                        (curl_off_t) g_bytes_get_size (s->envelope));
      if (curl_easy_perform (curl) == CURLE_OK
          && curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK
          && status == 201)
        slice->accepted++;
    }

  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  return NULL;
}

static double
bench_parallel (const HircKioskConfig *config,
                GPtrArray             *sealed,
                guint                  n_threads)
{
  g_autofree LoadSlice *slices = g_new0 (LoadSlice, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  guint per_thread = sealed->len / n_threads;
  guint accepted = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  for (guint t = 0; t < n_threads; t++)
    {
      slices[t] = (LoadSlice) { config, sealed, t * per_thread, per_thread, 0 };
      threads[t] = g_thread_new ("load", load_thread, &slices[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    {
      g_thread_join (threads[t]);
      accepted += slices[t].accepted;
    }
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (accepted, ==, per_thread * n_threads);
  return accepted / (elapsed / (double) G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKioskConfig) config = NULL;
  g_autoptr(HircKey) device_secret = NULL;
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) cli = NULL;
  g_autoptr(GPtrArray) load = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *intake_dir = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *bundle_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *outbox_path = NULL;
  g_autofree char *sync_out = NULL;
  g_autofree char *sync_err = NULL;
  HircTestIntake *intake;
  HircOutboxCounts counts;
  int reports = 10000, cli_reports = 500, load_reports = 8000, load_threads = 4;
  double drain_rate, cli_rate, load_rate;
  gint64 start, elapsed;
  const char * const serve_args[] = { "--device-rate", "1000000", "--device-burst", "1000000",
                                      NULL };
  const GOptionEntry entries[] = {
    { "reports", 0, 0, G_OPTION_ARG_INT, &reports, "Reports hirc-sync drains", "N" },
    { "cli-reports", 0, 0, G_OPTION_ARG_INT, &cli_reports,
      "Reports posted by the curl CLI, one process each", "N" },
    { "load-reports", 0, 0, G_OPTION_ARG_INT, &load_reports, "Reports of the parallel load",
      "N" },
    { "load-threads", 0, 0, G_OPTION_ARG_INT, &load_threads, "Parallel load generators", "N" },
    { NULL },
  };

  /* Before any thread, as hirc-sync does. */
  if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    g_error ("libcurl could not be initialised");
  context = g_option_context_new ("- drain benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (reports < 1 || cli_reports < 1 || load_threads < 1 || load_reports < load_threads)
    g_error ("the counts must be positive, with at least one load report per thread");
  g_assert_true (hirc_secure_init (NULL));

  dir = hirc_test_make_temp_dir ("hirc-bench-drain");
  intake_dir = g_build_filename (dir, "intake", NULL);
  state_dir = g_build_filename (dir, "kiosk", NULL);
  g_assert_cmpint (g_mkdir (intake_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (state_dir, 0700), ==, 0);

  /* The intake's own per-device limiter is lifted: this measures sending and storing. */
  intake = hirc_test_intake_new (intake_dir);
  hirc_test_intake_set_serve_args (intake, serve_args);
  hirc_test_intake_start (intake);

  bundle_path = hirc_test_intake_enrol_centre (intake, "Benchmark library");
  config = hirc_provision (state_dir, bundle_path, NULL, &error);
  g_assert_no_error (error);
  key_path = hirc_kiosk_device_key_path (state_dir);
  device_secret = hirc_key_load (key_path, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_no_error (error);

  queued = seal_reports (config, device_secret, reports);
  cli = seal_reports (config, device_secret, cli_reports);
  load = seal_reports (config, device_secret, load_reports);

  outbox_path = hirc_kiosk_outbox_path (state_dir);
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < queued->len; i++)
    {
      Sealed *s = g_ptr_array_index (queued, i);

      g_assert_true (hirc_outbox_enqueue (outbox, s->id, s->envelope, &error));
      g_assert_no_error (error);
    }
  /* On a kiosk each reporter's session folds the saves before it into the database as it
   * opens, so the log a drain starts from holds a report or two, not ten thousand. */
  hirc_outbox_fold_log (outbox);

  /* The drain, as it runs on a kiosk: the real program, process start included. */
  {
    g_autofree char *sync = g_strdup (g_getenv ("HIRC_SYNC"));
    const char *sync_argv[] = { sync, "--state-dir", state_dir, "--once", NULL };

    g_assert_nonnull (sync);
    start = g_get_monotonic_time ();
    g_assert_cmpint (hirc_test_run (sync_argv, NULL, &sync_out, &sync_err), ==, 0);
    elapsed = g_get_monotonic_time () - start;
  }
  g_assert_true (hirc_outbox_get_counts (outbox, g_get_real_time () / G_USEC_PER_SEC, &counts,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpuint (counts.delivered, ==, (guint) reports);
  drain_rate = reports / (elapsed / (double) G_USEC_PER_SEC);

  /* The same kind of envelopes from the same device, each new to the intake as the drained
   * ones were, so both sides pay for a fresh durable insert. */
  cli_rate = bench_curl_cli (config, cli, dir);
  load_rate = bench_parallel (config, load, load_threads);

  printf ("drain_reports_per_second %.0f\n", drain_rate);
  printf ("curl_cli_reports_per_second %.1f\n", cli_rate);
  printf ("ratio %.1f\n", drain_rate / cli_rate);
  printf ("intake_parallel_accept_per_second %.0f\n", load_rate);

  g_clear_pointer (&outbox, hirc_outbox_close);
  hirc_test_intake_free (intake);
  hirc_test_remove_tree (dir);
  curl_global_cleanup ();
  return 0;
}
