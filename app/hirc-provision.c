/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-provision.c: from a centre's bundle to an enrolled, configured kiosk. */

#include "config.h"

#include "hirc-provision.h"

#include <sodium.h>
#include <string.h>

#include <errno.h>
#include <glib/gstdio.h>

#include "hirc-control.h"
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

/* The new device key waits here until the configuration that names it is on disk. */
static char *
pending_key_path (const char *state_dir)
{
  g_autofree char *key_path = hirc_kiosk_device_key_path (state_dir);

  return g_strconcat (key_path, ".new", NULL);
}

typedef gboolean (*EnrolFunc) (const char     *state_dir,
                               const char     *bundle_json,
                               const HircBundle *bundle,
                               const HircKey  *device_public,
                               GBytes         *proof,
                               HircEnrolment  *enrolment,
                               char          **failure_code,
                               GCancellable   *cancellable,
                               GError        **error);

static gboolean
enrol_direct (const char        *state_dir,
              const char        *bundle_json,
              const HircBundle  *bundle,
              const HircKey     *device_public,
              GBytes            *proof,
              HircEnrolment     *enrolment,
              char             **failure_code,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(HircSyncClient) client = NULL;
  g_autoptr(GError) enrol_error = NULL;

  client = hirc_sync_client_new_for_bundle (bundle, error);
  if (client == NULL)
    return FALSE;
  if (hirc_sync_client_enrol (client, bundle->enrolment_token, device_public, proof, enrolment,
                              cancellable, &enrol_error))
    return TRUE;

  /* The administrator reads the plain sentence first; the technical detail follows. */
  if (enrol_error->domain == HIRC_SYNC_ERROR)
    {
      if (failure_code != NULL)
        *failure_code = g_strdup (hirc_sync_error_code_to_string (enrol_error->code));
      g_set_error (error, enrol_error->domain, enrol_error->code, "%s (%s)",
                   hirc_sync_error_get_plain (enrol_error), enrol_error->message);
    }
  else
    g_propagate_error (error, g_steal_pointer (&enrol_error));
  return FALSE;
}

/* How long the sync service may take to enrol: its connect and transfer limits, and a margin. */
#define ENROL_THROUGH_SYNC_TIMEOUT_MS (240 * 1000)

static gboolean
enrol_through_sync (const char        *state_dir,
                    const char        *bundle_json,
                    const HircBundle  *bundle,
                    const HircKey     *device_public,
                    GBytes            *proof,
                    HircEnrolment     *enrolment,
                    char             **failure_code,
                    GCancellable      *cancellable,
                    GError           **error)
{
  /* The same bytes the window parsed: the service parses them again for itself. */
  return hirc_control_enrol (state_dir, bundle_json, device_public, proof,
                             ENROL_THROUGH_SYNC_TIMEOUT_MS, enrolment, failure_code, error);
}

static HircKioskConfig *
provision (const char    *state_dir,
           const char    *bundle_path,
           EnrolFunc      enrol,
           char         **failure_code,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(HircBundle) bundle = NULL;
  g_autoptr(HircKey) device_key = NULL;
  g_autoptr(HircKey) device_public = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(HircKioskConfig) config = NULL;
  g_autoptr(HircKioskConfig) previous = NULL;
  g_autoptr(HircOutbox) outbox = NULL;
  g_autofree char *key_path = hirc_kiosk_device_key_path (state_dir);
  g_autofree char *new_key_path = pending_key_path (state_dir);
  g_autofree char *keys_dir = g_path_get_dirname (key_path);
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (state_dir);
  g_autoptr(GError) bundle_error = NULL;
  g_autofree char *bundle_json = NULL;
  HircEnrolment enrolment = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize bundle_len = 0;
  gboolean ok;

  /* Read once: what is enrolled and what is configured come from the same bytes, whatever
   * happens to the file meanwhile. */
  bundle_json = hirc_bundle_read (bundle_path, &bundle_len, &bundle_error);
  if (bundle_json != NULL)
    bundle = hirc_bundle_load_from_data (bundle_json, bundle_len, &bundle_error);
  if (bundle == NULL)
    {
      g_set_error (error, HIRC_PROVISION_ERROR, HIRC_PROVISION_ERROR_BAD_BUNDLE, "%s",
                   bundle_error->message);
      return NULL;
    }
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

  ok = enrol (state_dir, bundle_json, bundle, device_public, proof, &enrolment, failure_code,
              cancellable, error);
  /* It carries the one-time token. */
  hirc_secure_wipe_string (bundle_json);
  if (!ok)
    return NULL;

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
  hirc_enrolment_clear (&enrolment);

  /* A centre's own settings outlive a change of intake. */
  previous = hirc_kiosk_config_load (state_dir, NULL);
  if (previous != NULL)
    {
      config->idle_timeout_seconds = previous->idle_timeout_seconds;
      config->idle_countdown_seconds = previous->idle_countdown_seconds;
      config->speech_private_output = g_strdup (previous->speech_private_output);
      config->health_max_wait_hours = previous->health_max_wait_hours;
      config->health_min_free_megabytes = previous->health_min_free_megabytes;
      config->staff_first_delay_seconds = previous->staff_first_delay_seconds;
      config->staff_idle_timeout_seconds = previous->staff_idle_timeout_seconds;
      config->bundle_folders = g_strdupv (previous->bundle_folders);
    }
  else
    {
      config->idle_timeout_seconds = HIRC_IDLE_TIMEOUT_DEFAULT;
      config->idle_countdown_seconds = HIRC_IDLE_COUNTDOWN_DEFAULT;
    }

  /* The new key goes beside the old one, the configuration that names it replaces the old one,
   * and only then does the new key take the old one's place: whatever fails or stops in
   * between, the key in use matches the configuration in use, or the next start finishes the
   * switch (hirc_provision_settle_device_key()). */
  if (g_mkdir_with_parents (keys_dir, 0700) != 0)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not create the folder %s for the device key.", keys_dir);
      return NULL;
    }
  if (!hirc_key_save (device_key, new_key_path, error))
    return NULL;
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_CREATE, error);
  if (outbox == NULL || !hirc_kiosk_config_save (config, bundle->ca_certificate, error))
    {
      g_unlink (new_key_path);
      return NULL;
    }
  if (g_rename (new_key_path, key_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not put the new device key in place: %s. Start the kiosk again to "
                   "finish setting it up.", g_strerror (saved_errno));
      return NULL;
    }

  g_free (config->ca_file);
  config->ca_file = bundle->ca_certificate != NULL
                    ? g_build_filename (state_dir, "intake-ca.pem", NULL) : NULL;
  return g_steal_pointer (&config);
}

HircKioskConfig *
hirc_provision (const char    *state_dir,
                const char    *bundle_path,
                GCancellable  *cancellable,
                GError       **error)
{
  return provision (state_dir, bundle_path, enrol_direct, NULL, cancellable, error);
}

HircKioskConfig *
hirc_provision_through_sync (const char  *state_dir,
                             const char  *bundle_path,
                             char       **failure_code,
                             GError     **error)
{
  return provision (state_dir, bundle_path, enrol_through_sync, failure_code, NULL, error);
}

gboolean
hirc_provision_restart_sync (const char  *state_dir,
                             const char  *device_id,
                             guint        timeout_ms,
                             GError     **error)
{
  g_autofree char *reply = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (!hirc_control_request (state_dir, HIRC_CONTROL_RESTART, timeout_ms, &reply, error))
    return FALSE;
  /* The old service answers until its socket goes; only the new one sends for device_id. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(HircSyncStatus) status = hirc_control_get_status (state_dir, 2000, NULL);

      if (status != NULL && g_strcmp0 (status->device_id, device_id) == 0)
        return TRUE;
      g_usleep (100 * 1000);
    }
  g_set_error_literal (error, HIRC_CONTROL_ERROR, HIRC_CONTROL_ERROR_TIMEOUT,
                       "the sync service did not come back with the new configuration");
  return FALSE;
}

gboolean
hirc_provision_settle_device_key (const char  *state_dir,
                                  const HircKey *configured_public,
                                  GError     **error)
{
  g_autofree char *key_path = hirc_kiosk_device_key_path (state_dir);
  g_autofree char *new_key_path = pending_key_path (state_dir);
  g_autoptr(HircKey) pending = NULL;

  if (!g_file_test (new_key_path, G_FILE_TEST_EXISTS))
    return TRUE;
  pending = hirc_key_load (new_key_path, HIRC_KEY_KIND_SIGN_SECRET, NULL);
  /* A key the configuration does not name is what a setting-up that failed left behind. */
  if (pending == NULL
      || memcmp (hirc_key_get_public (pending), hirc_key_get_public (configured_public),
                 HIRC_KEY_PUBLIC_BYTES) != 0)
    {
      g_unlink (new_key_path);
      return TRUE;
    }
  if (g_rename (new_key_path, key_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not put the new device key %s in place: %s", new_key_path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

void
hirc_found_bundle_free (HircFoundBundle *found)
{
  g_free (found->path);
  g_free (found->centre_name);
  g_free (found->intake_url);
  g_free (found);
}

/* A USB stick mounted under /media/USER/LABEL puts the bundle three folders down. */
#define BUNDLE_SEARCH_DEPTH 3
/* Enough for any stick a centre is sent; a folder of thousands is not a bundle's. */
#define BUNDLE_SEARCH_LIMIT 20

static void
find_in (const char *folder,
         guint       depth,
         GPtrArray  *found)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while (found->len < BUNDLE_SEARCH_LIMIT && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          if (depth > 0)
            find_in (path, depth - 1, found);
        }
      else if (g_str_has_suffix (name, ".bundle") && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(HircBundle) bundle = hirc_bundle_load (path, &error);
          HircFoundBundle *entry;

          if (bundle == NULL)
            {
              g_message ("provision: %s is not a usable bundle: %s", path, error->message);
              continue;
            }
          entry = g_new0 (HircFoundBundle, 1);
          entry->path = g_steal_pointer (&path);
          entry->centre_name = g_strdup (bundle->centre_name);
          entry->intake_url = g_strdup (bundle->intake_url);
          entry->token_expires = bundle->token_expires;
          g_ptr_array_add (found, entry);
        }
    }
}

static int
compare_found (gconstpointer a,
               gconstpointer b)
{
  const HircFoundBundle *first = *(HircFoundBundle * const *) a;
  const HircFoundBundle *second = *(HircFoundBundle * const *) b;

  return g_strcmp0 (first->path, second->path);
}

GPtrArray *
hirc_provision_find_bundles (const char * const *folders)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_found_bundle_free);

  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    find_in (folders[i], BUNDLE_SEARCH_DEPTH, found);
  g_ptr_array_sort (found, compare_found);
  return found;
}
