/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-sync-main.c: the hirc-sync program: sends the kiosk's sealed reports to the intake. */

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-sync-service.h"

/* Documented in sync/SYNC.md. */
enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_NOT_PROVISIONED = 3,
  EXIT_OUTBOX = 4,
  EXIT_ALREADY_RUNNING = 5,
  EXIT_INSECURE = 6,
  EXIT_INTERRUPTED = 7,
};

/* Tuning through the environment, for tests and unusual networks; unset means the default.
 * A value that is set but not a number in range is refused rather than ignored. */
static gboolean
env_seconds (const char *name,
             guint      *value,
             guint       min,
             guint       max)
{
  const char *text = g_getenv (name);
  guint64 parsed = 0;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &parsed, NULL))
    {
      fprintf (stderr, "hirc-sync: %s must be a whole number from %u to %u\n", name, min, max);
      return FALSE;
    }
  *value = (guint) parsed;
  return TRUE;
}

static gboolean
options_from_environment (HircSyncServiceOptions *options)
{
  return env_seconds ("HIRC_SYNC_CONNECT_TIMEOUT", &options->timeouts.connect_timeout_s, 1, 600)
         && env_seconds ("HIRC_SYNC_LOW_SPEED_LIMIT", &options->timeouts.low_speed_limit, 1,
                         1024 * 1024)
         && env_seconds ("HIRC_SYNC_LOW_SPEED_TIME", &options->timeouts.low_speed_time_s, 1, 600)
         && env_seconds ("HIRC_SYNC_TIMEOUT", &options->timeouts.timeout_s, 1, 3600)
         && env_seconds ("HIRC_SYNC_BACKOFF_BASE", &options->backoff_base_s, 1, 3600)
         && env_seconds ("HIRC_SYNC_BACKOFF_CAP", &options->backoff_cap_s, 1, 24 * 3600)
         && env_seconds ("HIRC_SYNC_BATCH", &options->batch_size, 1, 1024)
         && env_seconds ("HIRC_SYNC_LEASE", &options->lease_s, 1, 3600)
         && env_seconds ("HIRC_SYNC_STATUS_INTERVAL", &options->status_interval_s, 1, 24 * 3600);
}

static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INSECURE)
      || g_error_matches (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_INSECURE))
    return EXIT_INSECURE;
  if (error->domain == HIRC_CONFIG_ERROR
      || g_error_matches (error, HIRC_SYNC_ERROR, HIRC_SYNC_ERROR_CONFIG))
    return EXIT_NOT_PROVISIONED;
  if (error->domain == HIRC_OUTBOX_ERROR)
    return EXIT_OUTBOX;
  if (g_error_matches (error, HIRC_SYNC_SERVICE_ERROR, HIRC_SYNC_SERVICE_ERROR_ALREADY_RUNNING))
    return EXIT_ALREADY_RUNNING;
  return EXIT_FAILED;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HircSyncService) service = NULL;
  g_autofree char *state_dir = NULL;
  /* Option parsing consumes argv; a restart needs it whole. */
  g_auto(GStrv) original_argv = g_strdupv (argv);
  gboolean once = FALSE;
  gboolean restart = FALSE;
  HircSyncServiceOptions options;
  int status = EXIT_OK;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      "The kiosk's state folder (default: $HIRC_STATE_DIR or the user's state folder)", "DIR" },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      "Send what is due, print a summary and exit", NULL },
    { NULL },
  };

  /* libcurl's global set-up is not thread-safe, and GLib may start threads of its own: this
   * comes before anything else. */
  if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    {
      fprintf (stderr, "hirc-sync: libcurl could not be initialised\n");
      return EXIT_FAILED;
    }
  setlocale (LC_ALL, "");

  if (!hirc_secure_init (&error) || !hirc_process_harden (&error))
    {
      fprintf (stderr, "hirc-sync: %s\n", error->message);
      curl_global_cleanup ();
      return EXIT_FAILED;
    }
  /* Only the separation test sets this: it takes a core dump to show what is not in memory. */
  if (g_strcmp0 (g_getenv ("HIRC_ALLOW_CORE_DUMPS"), "1") == 0)
    hirc_secure_allow_core_dumps ();

  context = g_option_context_new ("- send this kiosk's reports to the intake");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      fprintf (stderr, "hirc-sync: %s\n", error != NULL ? error->message : "unexpected arguments");
      curl_global_cleanup ();
      return EXIT_USAGE;
    }
  if (state_dir == NULL)
    state_dir = hirc_kiosk_state_dir_default ();

  hirc_sync_service_options_init_default (&options);
  if (!options_from_environment (&options))
    {
      curl_global_cleanup ();
      return EXIT_USAGE;
    }
  options.once = once;

  service = hirc_sync_service_new (state_dir, &options, &error);
  if (service == NULL || !hirc_sync_service_run (service, &error))
    {
      fprintf (stderr, "hirc-sync: %s\n", error->message);
      status = exit_code_for (error);
    }
  else if (once)
    {
      g_autoptr(HircSyncStatus) sync_status = hirc_sync_service_get_status (service);
      HircSyncRunSummary summary;

      hirc_sync_service_get_summary (service, &summary);
      printf ("hirc-sync: delivered %u, rejected %u, deferred %u, pending %u%s%s\n",
              summary.delivered, summary.rejected, summary.deferred, sync_status->pending,
              sync_status->last_error != NULL ? "; last problem: " : "",
              sync_status->last_error != NULL ? sync_status->last_error_code : "");
      if (summary.interrupted)
        status = EXIT_INTERRUPTED;
    }

  restart = service != NULL && hirc_sync_service_restart_requested (service);
  g_clear_pointer (&service, hirc_sync_service_free);
  curl_global_cleanup ();
  if (restart)
    {
      /* A fresh process reads the new configuration from the start, with nothing of the old
       * intake left in memory; the instance lock and the socket went with the service. */
      execv ("/proc/self/exe", original_argv);
      fprintf (stderr, "hirc-sync: cannot restart itself: %s\n", g_strerror (errno));
      return EXIT_FAILED;
    }
  return status;
}
