/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-provision.c: from a centre's bundle to an enrolled, configured kiosk. */

#include "config.h"

#include "hirc-provision.h"

#include <sodium.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-outbox.h"
#include "hirc-sync-client.h"
#include "hirc-wire.h"

G_DEFINE_QUARK (hirc-provision-error-quark, hirc_provision_error)

static gboolean
check_nothing_waiting (const char  *state_dir,
                       GError     **error)
{
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (state_dir);
  g_autoptr(HircOutbox) outbox = NULL;
  HircOutboxCounts counts;

  if (!g_file_test (outbox_path, G_FILE_TEST_EXISTS))
    return TRUE;
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, error);
  if (outbox == NULL)
    return FALSE;
  if (!hirc_outbox_get_counts (outbox, g_get_real_time () / G_USEC_PER_SEC, &counts, error))
    return FALSE;
  /* They are sealed to the current intake's key and signed by the current device key: after
   * re-provisioning nobody could deliver them. */
  if (counts.pending > 0 || counts.rejected > 0)
    {
      g_set_error (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_REPORTS_WAITING,
                   "%u report(s) are still waiting to be sent and %u were refused by the intake. "
                   "Re-provisioning now would leave them undeliverable: sync them first, or ask "
                   "the partnership for help.", counts.pending, counts.rejected);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
make_proof (const HircBundle  *bundle,
            const HircKey     *device_key,
            GError           **error)
{
  g_autoptr(HircSecureBuffer) token = hirc_secure_buffer_new (32);
  g_autoptr(GBytes) message = NULL;
  const guint8 *secret;
  guint8 signature[crypto_sign_BYTES];
  size_t token_len = 0;
  gsize secret_len = 0;

  if (sodium_base642bin (token->data, token->len, bundle->enrolment_token,
                         strlen (bundle->enrolment_token), NULL, &token_len, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 || token_len != token->len)
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The enrolment token in the provisioning bundle is damaged.");
      return NULL;
    }
  message = hirc_wire_enrol_proof_message (token->data, token->len,
                                           hirc_key_get_public (device_key));
  secret = hirc_key_get_secret (device_key, &secret_len);
  crypto_sign_detached (signature, NULL, g_bytes_get_data (message, NULL),
                        g_bytes_get_size (message), secret);
  return g_bytes_new (signature, sizeof signature);
}

HircKioskConfig *
hirc_provision (const char    *state_dir,
                const char    *bundle_path,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(HircBundle) bundle = NULL;
  g_autoptr(HircKey) device_key = NULL;
  g_autoptr(HircKey) device_public = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(HircSyncClient) client = NULL;
  g_autoptr(HircKioskConfig) config = NULL;
  g_autoptr(HircOutbox) outbox = NULL;
  g_autofree char *key_path = hirc_kiosk_device_key_path (state_dir);
  g_autofree char *keys_dir = g_path_get_dirname (key_path);
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (state_dir);
  g_autoptr(GError) enrol_error = NULL;
  HircEnrolment enrolment = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  bundle = hirc_bundle_load (bundle_path, error);
  if (bundle == NULL)
    return NULL;
  if (bundle->token_expires <= now)
    {
      g_autoptr(GDateTime) expired = g_date_time_new_from_unix_local (bundle->token_expires);
      g_autofree char *when = g_date_time_format (expired, "%Y-%m-%d %H:%M");

      g_set_error (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_TOKEN_EXPIRED,
                   "This provisioning bundle expired on %s. Ask the partnership for a new one.",
                   when);
      return NULL;
    }
  if (!check_nothing_waiting (state_dir, error))
    return NULL;

  device_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  device_public = hirc_key_dup_public (device_key);
  proof = make_proof (bundle, device_key, error);
  if (proof == NULL)
    return NULL;

  client = hirc_sync_client_new_for_bundle (bundle, error);
  if (client == NULL)
    return NULL;
  if (!hirc_sync_client_enrol (client, bundle->enrolment_token, device_public, proof, &enrolment,
                               cancellable, &enrol_error))
    {
      /* The administrator reads the plain sentence first; the technical detail follows. */
      if (enrol_error->domain == HIRC_SYNC_ERROR)
        g_set_error (error, enrol_error->domain, enrol_error->code, "%s (%s)",
                     hirc_sync_error_get_plain (enrol_error), enrol_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&enrol_error));
      return NULL;
    }

  config = g_new0 (HircKioskConfig, 1);
  config->state_dir = g_strdup (state_dir);
  config->centre_id = g_strdup (enrolment.centre_id);
  config->centre_name = g_strdup (enrolment.centre_name);
  config->intake_url = g_strdup (bundle->intake_url);
  config->intake_seal_public = hirc_key_ref (bundle->intake_seal_public);
  config->intake_receipt_public = hirc_key_ref (bundle->intake_receipt_public);
  config->tls_pins = g_strdupv (bundle->tls_pins);
  config->device_id = g_strdup (enrolment.device_id);
  config->device_public = g_steal_pointer (&device_public);
  config->status_token = g_strdup (enrolment.status_token);
  config->provisioned_at = now;
  config->idle_timeout_seconds = HIRC_IDLE_TIMEOUT_DEFAULT;
  config->idle_countdown_seconds = HIRC_IDLE_COUNTDOWN_DEFAULT;
  hirc_enrolment_clear (&enrolment);

  /* The key first and the configuration last: a kiosk counts as provisioned only once both are
   * on disk, so an interruption leaves it unprovisioned rather than half set up. */
  if (g_mkdir_with_parents (keys_dir, 0700) != 0)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not create the folder %s for the device key.", keys_dir);
      return NULL;
    }
  if (!hirc_key_save (device_key, key_path, error))
    return NULL;
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_CREATE, error);
  if (outbox == NULL)
    return NULL;
  if (!hirc_kiosk_config_save (config, bundle->ca_certificate, error))
    return NULL;

  g_free (config->ca_file);
  config->ca_file = bundle->ca_certificate != NULL
                    ? g_build_filename (state_dir, "intake-ca.pem", NULL) : NULL;
  return g_steal_pointer (&config);
}
