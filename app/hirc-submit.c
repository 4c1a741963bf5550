/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-submit.c: validate → serialise → pad, seal, sign → commit to the outbox. */

#include "config.h"

#include "hirc-submit.h"

#include <string.h>

#include "hirc-crypto.h"
#include "hirc-provision.h"

struct _HircSubmitter
{
  HircKey    *intake_seal_public;
  HircKey    *device_sign_secret;
  guint8      device_id[HIRC_ID_BYTES];
  HircOutbox *outbox;
  /* A SQLite connection is used by one thread at a time; submissions may come from workers. */
  GMutex      lock;
};

HircSubmitter *
hirc_submitter_new_for_keys (HircKey    *intake_seal_public,
                             HircKey    *device_sign_secret,
                             const char *device_id,
                             HircOutbox *outbox)
{
  HircSubmitter *submitter = g_new0 (HircSubmitter, 1);

  submitter->intake_seal_public = hirc_key_ref (intake_seal_public);
  submitter->device_sign_secret = hirc_key_ref (device_sign_secret);
  submitter->outbox = outbox;
  if (!hirc_uuid_parse (device_id, submitter->device_id))
    g_error ("submit: the device id %s is not a UUID", device_id);
  g_mutex_init (&submitter->lock);
  return submitter;
}

HircSubmitter *
hirc_submitter_new (const char  *state_dir,
                    GError     **error)
{
  g_autoptr(HircKioskConfig) config = NULL;
  g_autoptr(HircKey) device_key = NULL;
  g_autofree char *key_path = hirc_kiosk_device_key_path (state_dir);
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (state_dir);
  guint8 parsed_id[HIRC_ID_BYTES];
  HircOutbox *outbox;

  config = hirc_kiosk_config_load (state_dir, error);
  if (config == NULL)
    return NULL;
  if (!hirc_uuid_parse (config->device_id, parsed_id))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The kiosk configuration has a damaged device id; provision the kiosk again.");
      return NULL;
    }
  if (!hirc_provision_settle_device_key (state_dir, config->device_public, error))
    return NULL;
  device_key = hirc_key_load (key_path, HIRC_KEY_KIND_SIGN_SECRET, error);
  if (device_key == NULL)
    return NULL;
  if (memcmp (hirc_key_get_public (device_key), hirc_key_get_public (config->device_public),
              HIRC_KEY_PUBLIC_BYTES) != 0)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The device key %s is not the key this kiosk was enrolled with; provision "
                   "the kiosk again.", key_path);
      return NULL;
    }
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_CREATE, error);
  if (outbox == NULL)
    return NULL;

  return hirc_submitter_new_for_keys (config->intake_seal_public, device_key, config->device_id,
                                      outbox);
}

void
hirc_submitter_free (HircSubmitter *submitter)
{
  if (submitter == NULL)
    return;
  g_clear_pointer (&submitter->intake_seal_public, hirc_key_unref);
  g_clear_pointer (&submitter->device_sign_secret, hirc_key_unref);
  g_clear_pointer (&submitter->outbox, hirc_outbox_close);
  g_mutex_clear (&submitter->lock);
  g_free (submitter);
}

HircOutbox *
hirc_submitter_get_outbox (HircSubmitter *submitter)
{
  return submitter->outbox;
}

gboolean
hirc_submitter_submit (HircSubmitter       *submitter,
                       HircReport          *report,
                       const HircTaxonomy  *taxonomy,
                       GPtrArray          **problems,
                       guint8              *envelope_sha256,
                       GError             **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(HircSecureBuffer) plaintext = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) enqueue_error = NULL;
  guint8 report_id[HIRC_ID_BYTES];
  gboolean queued;

  g_return_val_if_fail (submitter != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (taxonomy != NULL, FALSE);

  found = hirc_report_validate (report, taxonomy);
  if (found->len > 0)
    {
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_INVALID,
                   "The report has %u problem(s) to put right before it can be sent.", found->len);
      if (problems != NULL)
        *problems = g_steal_pointer (&found);
      return FALSE;
    }

  if (!hirc_uuid_parse (hirc_report_get_id (report), report_id))
    g_error ("submit: a validated report has an id that is not a UUID");

  plaintext = hirc_report_serialise (report);
  envelope = hirc_envelope_seal (plaintext->data, plaintext->len, report_id,
                                 submitter->device_id, hirc_report_get_created (report),
                                 submitter->intake_seal_public, submitter->device_sign_secret,
                                 error);
  g_clear_pointer (&plaintext, hirc_secure_buffer_free);
  if (envelope == NULL)
    return FALSE;

  g_mutex_lock (&submitter->lock);
  queued = hirc_outbox_enqueue (submitter->outbox, hirc_report_get_id (report), envelope,
                                &enqueue_error);
  /* Report ids are random, so a duplicate means an earlier attempt at this very report was
   * committed although it reported a failure (an fsync error after the log was written): the
   * report is saved, and saying otherwise would make the reporter send it twice. */
  if (!queued && g_error_matches (enqueue_error, HIRC_OUTBOX_ERROR, HIRC_OUTBOX_ERROR_DUPLICATE))
    {
      g_autoptr(GBytes) stored = hirc_outbox_get_envelope (submitter->outbox,
                                                           hirc_report_get_id (report), NULL);
      if (stored != NULL)
        {
          g_clear_pointer (&envelope, g_bytes_unref);
          envelope = g_steal_pointer (&stored);
          g_clear_error (&enqueue_error);
          queued = TRUE;
        }
    }
  g_mutex_unlock (&submitter->lock);

  if (!queued)
    {
      g_propagate_error (error, g_steal_pointer (&enqueue_error));
      return FALSE;
    }
  if (envelope_sha256 != NULL)
    hirc_envelope_hash (envelope, envelope_sha256);
  return TRUE;
}

typedef struct
{
  HircSubmitter      *submitter;
  HircReport         *report;
  const HircTaxonomy *taxonomy;
  GPtrArray          *problems;
} SubmitData;

static void
submit_data_free (SubmitData *data)
{
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static void
submit_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SubmitData *data = task_data;
  GError *error = NULL;

  if (hirc_submitter_submit (data->submitter, data->report, data->taxonomy, &data->problems,
                             NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hirc_submitter_submit_async (HircSubmitter       *submitter,
                             HircReport          *report,
                             const HircTaxonomy  *taxonomy,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SubmitData *data = g_new0 (SubmitData, 1);

  /* The submitter is not a GObject, so it travels in the task data; the caller keeps it, the
   * report and the taxonomy alive until the callback. */
  data->submitter = submitter;
  data->report = report;
  data->taxonomy = taxonomy;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hirc_submitter_submit_async);
  g_task_set_task_data (task, data, (GDestroyNotify) submit_data_free);
  g_task_run_in_thread (task, submit_in_thread);
}

gboolean
hirc_submitter_submit_finish (HircSubmitter  *submitter,
                              GAsyncResult   *result,
                              GPtrArray     **problems,
                              GError        **error)
{
  GTask *task = G_TASK (result);
  SubmitData *data = g_task_get_task_data (task);

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (data->submitter == submitter, FALSE);

  if (problems != NULL && data->problems != NULL)
    *problems = g_steal_pointer (&data->problems);
  return g_task_propagate_boolean (task, error);
}
