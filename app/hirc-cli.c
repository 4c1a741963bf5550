/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-cli.c: hirc-kiosk's commands: queue a report from JSON, show the outbox's state. */

#include "config.h"

#include "hirc-cli.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hirc-audit.h"
#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"
#include "hirc-kiosk-status.h"
#include "hirc-outbox.h"
#include "hirc-provision.h"
#include "hirc-report.h"
#include "hirc-staff.h"
#include "hirc-submit.h"
#include "hirc-taxonomy.h"

#define MAX_REPORT_FILE_BYTES (192 * 1024)
/* The sync service answers status from its main loop at once, even mid-upload; a service
 * that has not answered in this time is as good as stopped. */
#define STATUS_SYNC_TIMEOUT_MS 3000

typedef struct
{
  char     *state_dir;
  char     *taxonomy_path;
  char     *submit_json;
  char     *provision;
  gboolean  status;
  gboolean  set_admin_pin;
  gboolean  json;
  gboolean  version;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->state_dir);
  g_free (options->taxonomy_path);
  g_free (options->submit_json);
  g_free (options->provision);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
fail (int         code,
      const char *message)
{
  fprintf (stderr, "hirc-kiosk: %s\n", message);
  return code;
}

static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_NOT_PROVISIONED))
    return HIRC_EXIT_NOT_PROVISIONED;
  if (g_error_matches (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_INVALID))
    return HIRC_EXIT_REPORT_INVALID;
  if (error->domain == HIRC_REPORT_ERROR)
    return HIRC_EXIT_REPORT_INVALID;
  return HIRC_EXIT_FAILURE;
}

/* The partnership's taxonomy: named on the command line, else taxonomy.json in the state
 * folder, else the one compiled in. */
static HircTaxonomy *
load_taxonomy (const Options  *options,
               GError        **error)
{
  g_autofree char *in_state = g_build_filename (options->state_dir, "taxonomy.json", NULL);

  if (options->taxonomy_path != NULL)
    return hirc_taxonomy_load (options->taxonomy_path, error);
  if (g_file_test (in_state, G_FILE_TEST_EXISTS))
    return hirc_taxonomy_load (in_state, error);
  return hirc_taxonomy_new_default ();
}

/* Reads the report into guarded memory, so that its text never sits in ordinary heap pages
 * that could be swapped out or left behind after free. */
static HircSecureBuffer *
read_report_input (const char  *path,
                   GError     **error)
{
  g_autoptr(HircSecureBuffer) buffer = hirc_secure_buffer_new (MAX_REPORT_FILE_BYTES + 1);
  gboolean from_stdin = g_str_equal (path, "-");
  FILE *input = from_stdin ? stdin : fopen (path, "rb");
  gsize total = 0;
  gsize got;

  if (input == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Could not open the report file %s.", path);
      return NULL;
    }
  setvbuf (input, NULL, _IONBF, 0);
  while (total <= MAX_REPORT_FILE_BYTES &&
         (got = fread (buffer->data + total, 1, MAX_REPORT_FILE_BYTES + 1 - total, input)) > 0)
    total += got;
  if (!from_stdin)
    fclose (input);

  if (total > MAX_REPORT_FILE_BYTES)
    {
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_TOO_LARGE,
                   "The report file is larger than %d KiB, which no report can be.",
                   MAX_REPORT_FILE_BYTES / 1024);
      return NULL;
    }
  buffer->len = total;
  return g_steal_pointer (&buffer);
}

static int
run_submit (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircTaxonomy) taxonomy = NULL;
  g_autoptr(HircSecureBuffer) input = NULL;
  g_autoptr(HircReport) report = NULL;
  g_autoptr(HircSubmitter) submitter = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint8 hash[HIRC_HASH_BYTES];
  char hash_hex[HIRC_HASH_BYTES * 2 + 1];

  taxonomy = load_taxonomy (options, &error);
  if (taxonomy == NULL)
    return fail (HIRC_EXIT_FAILURE, error->message);

  input = read_report_input (options->submit_json, &error);
  if (input == NULL)
    return fail (exit_code_for (error), error->message);

  report = hirc_report_new_from_json ((const char *) input->data, input->len, &error);
  g_clear_pointer (&input, hirc_secure_buffer_free);
  if (report == NULL)
    return fail (exit_code_for (error), error->message);

  submitter = hirc_submitter_new (options->state_dir, &error);
  if (submitter == NULL)
    return fail (exit_code_for (error), error->message);

  if (!hirc_submitter_submit (submitter, report, taxonomy, &problems, hash, &error))
    {
      fprintf (stderr, "hirc-kiosk: %s\n", error->message);
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        {
          HircProblem *problem = g_ptr_array_index (problems, i);

          fprintf (stderr, "  %s (%s): %s\n", problem->field,
                   hirc_problem_code_to_string (problem->code), problem->message);
        }
      return exit_code_for (error);
    }

  sodium_bin2hex (hash_hex, sizeof hash_hex, hash, sizeof hash);
  if (options->json)
    printf ("{\"saved\":true,\"report_id\":\"%s\",\"reference\":\"%s\",\"envelope_sha256\":\"%s\"}\n",
            hirc_report_get_id (report), hirc_report_get_reference (report), hash_hex);
  else
    printf (_("Saved securely. Reference: %s\nReport id: %s\nEnvelope SHA-256: %s\n"),
            hirc_report_get_reference (report), hirc_report_get_id (report), hash_hex);
  hirc_report_wipe (report);
  return HIRC_EXIT_OK;
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return g_strdup ("never");
  time = g_date_time_new_from_unix_local (unix_seconds);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S %Z");
}

static int
run_status (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKioskStatus) status = NULL;

  status = hirc_kiosk_status_collect (options->state_dir, STATUS_SYNC_TIMEOUT_MS, &error);
  if (status == NULL)
    return fail (exit_code_for (error), error->message);

  if (options->json)
    {
      g_autofree char *text = hirc_kiosk_status_to_json (status);

      printf ("%s\n", text);
    }
  else
    {
      const HircKioskConfig *config = status->config;
      g_autofree char *oldest = format_time (status->counts.oldest_pending_queued_at);
      g_autofree char *last = format_time (status->counts.last_delivered_at);
      g_autofree char *free_text = g_format_size (status->free_bytes);
      g_autofree char *outbox_text = g_format_size (status->outbox_bytes);

      printf (_("Centre:              %s (%s)\n"), config->centre_name, config->centre_id);
      printf (_("Device fingerprint:  %s\n"), status->device_fingerprint);
      printf (_("Intake:              %s\n"), config->intake_url);
      printf (_("Intake fingerprint:  %s\n"), status->intake_fingerprint);
      printf (_("Reports waiting:     %u\n"), status->counts.pending);
      printf (_("Oldest waiting:      %s\n"), oldest);
      printf (_("Sent today:          %u\n"), status->counts.delivered_today);
      printf (_("Sent this month:     %u\n"), status->counts.delivered_this_month);
      printf (_("Sent in all:         %u\n"), status->counts.delivered);
      printf (_("Last sent:           %s\n"), last);
      printf (_("Rejected:            %u\n"), status->counts.rejected);
      if (status->sync != NULL)
        {
          g_autofree char *summary = hirc_sync_status_describe (status->sync,
                                                                status->checked_at);
          g_autofree char *next = format_time (status->sync->next_attempt);

          printf (_("Sync service:        %s\n"), summary);
          printf (_("Next attempt:        %s\n"), next);
        }
      printf (_("Storage:             outbox %s, %s free\n"), outbox_text, free_text);
      printf (_("Software version:    %s\n"), PACKAGE_VERSION);
      if (hirc_kiosk_status_healthy (status))
        printf (_("Healthy:             yes\n"));
      for (guint i = 0; i < status->problems->len; i++)
        printf (_("Problem:             %s\n"),
                (const char *) g_ptr_array_index (status->problems, i));
    }
  return hirc_kiosk_status_healthy (status) ? HIRC_EXIT_OK : HIRC_EXIT_UNHEALTHY;
}

gboolean
hirc_cli_is_command_line (int    argc,
                          char **argv)
{
  static const char * const commands[] = { "--submit-json", "--status", "--provision",
                                            "--set-admin-pin", "--version", NULL };

  for (int i = 1; i < argc; i++)
    for (guint c = 0; commands[c] != NULL; c++)
      if (g_str_equal (argv[i], commands[c]) ||
          (g_str_has_prefix (argv[i], commands[c]) && argv[i][strlen (commands[c])] == '='))
        return TRUE;
  return FALSE;
}

/* The PIN comes on standard input, never on the command line, where other users of the machine
 * could read it in the process list. */
static int
run_set_admin_pin (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = NULL;
  g_autoptr(HircAudit) audit = NULL;
  char line[64] = { 0 };

  if (!g_file_test (options->state_dir, G_FILE_TEST_IS_DIR))
    return fail (HIRC_EXIT_NOT_PROVISIONED,
                 _("This kiosk is not provisioned yet: run hirc-kiosk --provision BUNDLE first."));
  if (fgets (line, sizeof line, stdin) == NULL)
    return fail (HIRC_EXIT_USAGE, _("Give the new administrator PIN on standard input."));
  line[strcspn (line, "\r\n")] = '\0';

  staff = hirc_staff_open (options->state_dir, &error);
  if (staff == NULL || !hirc_staff_set_administrator_pin (staff, line, &error))
    {
      sodium_memzero (line, sizeof line);
      return fail (error->domain == HIRC_STAFF_ERROR &&
                   (error->code == HIRC_STAFF_ERROR_WEAK_PIN ||
                    error->code == HIRC_STAFF_ERROR_PIN_IN_USE)
                   ? HIRC_EXIT_USAGE : HIRC_EXIT_FAILURE, error->message);
    }
  sodium_memzero (line, sizeof line);
  audit = hirc_audit_open (options->state_dir, &error);
  if (audit == NULL ||
      !hirc_audit_record (audit, "kiosk", HIRC_AUDIT_ADMIN_PIN_CHANGED, NULL, &error))
    g_printerr ("hirc-kiosk: %s\n", error->message);
  printf (_("The administrator PIN is set.\n"));
  return HIRC_EXIT_OK;
}

static int
run_provision (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKioskConfig) config = NULL;
  g_autofree char *device_fingerprint = NULL;
  g_autofree char *seal_fingerprint = NULL;
  g_autofree char *receipt_fingerprint = NULL;

  config = hirc_provision (options->state_dir, options->provision, NULL, &error);
  if (config == NULL)
    return fail (HIRC_EXIT_FAILURE, error->message);

  device_fingerprint = hirc_key_fingerprint (config->device_public);
  seal_fingerprint = hirc_key_fingerprint (config->intake_seal_public);
  receipt_fingerprint = hirc_key_fingerprint (config->intake_receipt_public);

  printf (_("This kiosk is now enrolled with the intake.\n"
            "  Centre:                  %s (%s)\n"
            "  Device id:               %s\n"
            "  Device fingerprint:      %s\n"
            "  Intake:                  %s\n"
            "  Intake sealing key:      %s\n"
            "  Intake receipt key:      %s\n"
            "Read the two intake fingerprints to the partnership (by phone, not by e-mail) and check "
            "that they match theirs before the kiosk takes reports.\n"),
          config->centre_name, config->centre_id, config->device_id, device_fingerprint,
          config->intake_url, seal_fingerprint, receipt_fingerprint);
  return HIRC_EXIT_OK;
}

int
hirc_cli_run (int    argc,
              char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  guint commands;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.state_dir,
      N_("The kiosk's state folder (default: $HIRC_STATE_DIR or ~/.local/state/hirc-kiosk)"),
      N_("DIR") },
    { "submit-json", 0, 0, G_OPTION_ARG_FILENAME, &options.submit_json,
      N_("Seal and queue the report in FILE (- for standard input)"), N_("FILE") },
    { "provision", 0, 0, G_OPTION_ARG_FILENAME, &options.provision,
      N_("Enrol this kiosk with the intake named in the provisioning bundle FILE"), N_("FILE") },
    { "status", 0, 0, G_OPTION_ARG_NONE, &options.status,
      N_("Show the centre, the intake and the outbox's counts"), NULL },
    { "set-admin-pin", 0, 0, G_OPTION_ARG_NONE, &options.set_admin_pin,
      N_("Set the administrator PIN, read from standard input"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("Print results as JSON"), NULL },
    { "taxonomy", 0, 0, G_OPTION_ARG_FILENAME, &options.taxonomy_path,
      N_("The partnership's category and services file"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Print the software version"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!hirc_secure_init (&error))
    return fail (HIRC_EXIT_FAILURE, error->message);
  /* Plaintext passes through this process: no core dump may ever hold it. Tests that need a
   * core dump say so explicitly. */
  if (!hirc_process_harden (&error))
    return fail (HIRC_EXIT_FAILURE, error->message);
  if (g_strcmp0 (g_getenv ("HIRC_ALLOW_CORE_DUMPS"), "1") == 0)
    hirc_secure_allow_core_dumps ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Hate incident reporting kiosk: queue reports and check the "
                                  "outbox."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (HIRC_EXIT_USAGE, error->message);
  if (argc > 1)
    return fail (HIRC_EXIT_USAGE, "unexpected argument; see --help");

  if (options.version)
    {
      printf ("hirc-kiosk %s\n", PACKAGE_VERSION);
      return HIRC_EXIT_OK;
    }

  if (options.state_dir == NULL)
    options.state_dir = hirc_kiosk_state_dir_default ();

  commands = (options.submit_json != NULL) + (options.provision != NULL) + options.status +
             options.set_admin_pin;
  if (commands != 1)
    return fail (HIRC_EXIT_USAGE,
                 "give exactly one of --provision, --submit-json, --status or --set-admin-pin; "
                 "see --help");

  if (options.provision != NULL)
    return run_provision (&options);
  if (options.submit_json != NULL)
    return run_submit (&options);
  if (options.set_admin_pin)
    return run_set_admin_pin (&options);
  return run_status (&options);
}
