/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-status.c: the kiosk's status and health for administrators. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hirc-control.h"
#include "hirc-keys.h"
#include "hirc-kiosk-status.h"

void
hirc_kiosk_status_free (HircKioskStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->config, hirc_kiosk_config_free);
  g_free (status->device_fingerprint);
  g_free (status->intake_fingerprint);
  g_clear_pointer (&status->sync, hirc_sync_status_free);
  g_free (status->sync_unreachable);
  g_clear_pointer (&status->problems, g_ptr_array_unref);
  g_free (status);
}

static guint64
file_size (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 ? (guint64) buf.st_size : 0;
}

static void
measure_storage (HircKioskStatus *status,
                 const char      *state_dir)
{
  g_autofree char *outbox = hirc_kiosk_outbox_path (state_dir);
  g_autofree char *wal = g_strconcat (outbox, "-wal", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (state_dir);
  g_autoptr(GFileInfo) info = NULL;

  status->outbox_bytes = file_size (outbox) + file_size (wal);
  info = g_file_query_filesystem_info (folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info != NULL)
    status->free_bytes = g_file_info_get_attribute_uint64 (info,
                                                           G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}

static void
add_problem (HircKioskStatus *status,
             char            *sentence)
{
  g_ptr_array_add (status->problems, sentence);
}

/* Each sentence says what is wrong and what the administrator can do, since the person
 * reading it is a librarian or a community worker, not an engineer. */
static void
judge_health (HircKioskStatus *status)
{
  const HircKioskConfig *config = status->config;
  gint64 max_wait = (gint64) config->health_max_wait_hours * 3600;
  guint64 min_free = (guint64) config->health_min_free_megabytes * 1024 * 1024;

  if (status->sync == NULL)
    add_problem (status, g_strdup (_("The sync service is not running, so reports cannot "
                                     "leave this kiosk. Restart the kiosk. If this keeps "
                                     "happening, call the partnership.")));
  if (status->counts.rejected > 0)
    add_problem (status, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%u report was refused by the intake. "
                                                       "It is kept safely on this kiosk. Call "
                                                       "the partnership so they can fix the "
                                                       "cause.",
                                                       "%u reports were refused by the intake. "
                                                       "They are kept safely on this kiosk. "
                                                       "Call the partnership so they can fix "
                                                       "the cause.",
                                                       status->counts.rejected),
                                          status->counts.rejected));
  if (status->counts.pending > 0 && status->counts.oldest_pending_queued_at > 0 &&
      status->checked_at - status->counts.oldest_pending_queued_at > max_wait)
    {
      const char *cause = status->sync != NULL && status->sync->last_error != NULL
                          ? status->sync->last_error : "";

      add_problem (status, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "A report has waited more than %u "
                                                         "hour to be sent. %s",
                                                         "A report has waited more than %u "
                                                         "hours to be sent. %s",
                                                         config->health_max_wait_hours),
                                            config->health_max_wait_hours, cause));
    }
  if (status->free_bytes < min_free)
    {
      g_autofree char *free_text = g_format_size (status->free_bytes);

      add_problem (status, g_strdup_printf (_("Only %s of storage is free on this kiosk. Reports "
                                              "may soon not be saved. Call the partnership."),
                                            free_text));
    }
  if (status->sync != NULL && status->sync->clock_skew_known &&
      ABS (status->sync->clock_skew) > HIRC_SYNC_CLOCK_SKEW_WARN_SECONDS)
    {
      guint minutes = (guint) MIN (ABS (status->sync->clock_skew) / 60, G_MAXUINT);

      add_problem (status, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "This kiosk's clock is %u minute away "
                                                         "from the intake's. Set the correct "
                                                         "time.",
                                                         "This kiosk's clock is %u minutes away "
                                                         "from the intake's. Set the correct "
                                                         "time.",
                                                         minutes),
                                            minutes));
    }
}

HircKioskStatus *
hirc_kiosk_status_collect (const char  *state_dir,
                           guint        sync_timeout_ms,
                           GError     **error)
{
  g_autoptr(HircKioskStatus) status = g_new0 (HircKioskStatus, 1);
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GError) sync_error = NULL;
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (state_dir);

  status->problems = g_ptr_array_new_with_free_func (g_free);
  status->checked_at = g_get_real_time () / G_USEC_PER_SEC;
  status->config = hirc_kiosk_config_load (state_dir, error);
  if (status->config == NULL)
    return NULL;
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_READ_ONLY, error);
  if (outbox == NULL ||
      !hirc_outbox_get_counts (outbox, status->checked_at, &status->counts, error))
    return NULL;

  status->device_fingerprint = hirc_key_fingerprint (status->config->device_public);
  status->intake_fingerprint = hirc_key_fingerprint (status->config->intake_seal_public);
  status->sync = hirc_control_get_status (state_dir, sync_timeout_ms, &sync_error);
  if (status->sync == NULL)
    status->sync_unreachable = g_strdup (sync_error->message);
  measure_storage (status, state_dir);
  judge_health (status);
  return g_steal_pointer (&status);
}

gboolean
hirc_kiosk_status_healthy (const HircKioskStatus *status)
{
  return status->problems->len == 0;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

char *
hirc_kiosk_status_to_json (const HircKioskStatus *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const HircKioskConfig *config = status->config;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "healthy");
  json_builder_add_boolean_value (builder, hirc_kiosk_status_healthy (status));
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < status->problems->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (status->problems, i));
  json_builder_end_array (builder);
  add_int (builder, "checked_at", status->checked_at);

  json_builder_set_member_name (builder, "centre");
  json_builder_begin_object (builder);
  add_string (builder, "id", config->centre_id);
  add_string (builder, "name", config->centre_name);
  json_builder_end_object (builder);
  add_string (builder, "device_id", config->device_id);
  add_string (builder, "device_fingerprint", status->device_fingerprint);
  add_string (builder, "intake_url", config->intake_url);
  add_string (builder, "intake_fingerprint", status->intake_fingerprint);
  add_string (builder, "software_version", PACKAGE_VERSION);

  json_builder_set_member_name (builder, "outbox");
  json_builder_begin_object (builder);
  add_int (builder, "pending", status->counts.pending);
  add_int (builder, "delivered", status->counts.delivered);
  add_int (builder, "delivered_today", status->counts.delivered_today);
  add_int (builder, "delivered_this_month", status->counts.delivered_this_month);
  add_int (builder, "rejected", status->counts.rejected);
  add_int (builder, "oldest_pending_queued_at", status->counts.oldest_pending_queued_at);
  add_int (builder, "last_delivered_at", status->counts.last_delivered_at);
  add_int (builder, "pending_bytes", status->counts.pending_bytes);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sync");
  if (status->sync != NULL)
    {
      g_autofree char *sync_json = hirc_sync_status_to_json (status->sync);
      JsonNode *sync_node = json_from_string (sync_json, NULL);

      json_object_set_boolean_member (json_node_get_object (sync_node), "running", TRUE);
      json_builder_add_value (builder, sync_node);
    }
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "running");
      json_builder_add_boolean_value (builder, FALSE);
      add_string (builder, "error", status->sync_unreachable);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "storage");
  json_builder_begin_object (builder);
  add_int (builder, "outbox_bytes", (gint64) status->outbox_bytes);
  add_int (builder, "free_bytes", (gint64) status->free_bytes);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
