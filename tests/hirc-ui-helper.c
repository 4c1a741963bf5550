/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ui-helper.c: what the kiosk's end-to-end UI tests need done in C, without a network:
 *   hirc-ui-helper provision STATE_DIR SEAL_SECRET [IDLE_TIMEOUT IDLE_COUNTDOWN]
 *     provisions STATE_DIR by hand (as if enrolled) with a fresh intake sealing key, whose
 *     secret half it writes to SEAL_SECRET for the test to keep;
 *   hirc-ui-helper open-outbox STATE_DIR SEAL_SECRET
 *     opens every envelope waiting in the outbox, as the intake would, and prints the reports
 *     as one JSON array. */

#include "config.h"

#include <gio/gio.h>
#include <sodium.h>
#include <stdio.h>

#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-report.h"

static int
fail (const char   *what,
      const GError *error)
{
  fprintf (stderr, "hirc-ui-helper: %s: %s\n", what, error != NULL ? error->message : "failed");
  return 1;
}

static int
provision (const char *state_dir,
           const char *seal_secret_path,
           guint       idle_timeout,
           guint       idle_countdown)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKey) intake_seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) device = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) receipt = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) seal_public = hirc_key_dup_public (intake_seal);
  g_autoptr(HircKey) receipt_public = hirc_key_dup_public (receipt);
  g_autoptr(HircKey) device_public = hirc_key_dup_public (device);
  g_autofree char *device_id = hirc_uuid_new ();
  g_autofree char *key_path = hirc_kiosk_device_key_path (state_dir);
  g_autofree char *pin_base64 = NULL;
  g_autofree char *pin = NULL;
  guint8 pin_digest[32];
  char *pins[2] = { NULL, NULL };
  HircKioskConfig config = { 0 };

  randombytes_buf (pin_digest, sizeof pin_digest);
  pin_base64 = g_base64_encode (pin_digest, sizeof pin_digest);
  pin = g_strconcat ("sha256//", pin_base64, NULL);
  pins[0] = pin;

  config.state_dir = (char *) state_dir;
  config.centre_id = (char *) "centre-test";
  config.centre_name = (char *) "Kingsford Central Library";
  config.intake_url = (char *) "https://127.0.0.1:9";
  config.intake_seal_public = seal_public;
  config.intake_receipt_public = receipt_public;
  config.tls_pins = pins;
  config.device_id = device_id;
  config.device_public = device_public;
  config.status_token = (char *) "c3RhdHVz";
  config.provisioned_at = g_get_real_time () / G_USEC_PER_SEC;
  config.idle_timeout_seconds = idle_timeout;
  config.idle_countdown_seconds = idle_countdown;

  if (!hirc_kiosk_config_save (&config, NULL, &error))
    return fail ("cannot save the configuration", error);
  if (!hirc_key_save (device, key_path, &error))
    return fail ("cannot save the device key", error);
  if (!hirc_key_save (intake_seal, seal_secret_path, &error))
    return fail ("cannot save the intake's sealing key", error);
  return 0;
}

static int
open_outbox (const char *state_dir,
             const char *seal_secret_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKioskConfig) config = NULL;
  g_autoptr(HircKey) intake_seal = NULL;
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *outbox_path = hirc_kiosk_outbox_path (state_dir);
  GString *out = g_string_new ("[");

  config = hirc_kiosk_config_load (state_dir, &error);
  if (config == NULL)
    return fail ("cannot load the configuration", error);
  intake_seal = hirc_key_load (seal_secret_path, HIRC_KEY_KIND_SEAL_SECRET, &error);
  if (intake_seal == NULL)
    return fail ("cannot load the intake's sealing key", error);
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_EXISTING, &error);
  if (outbox == NULL)
    return fail ("cannot open the outbox", error);
  items = hirc_outbox_lease_due (outbox, G_MAXINT64 / 2, 10000, 60, &error);
  if (items == NULL)
    return fail ("cannot read the outbox", error);

  for (guint i = 0; i < items->len; i++)
    {
      HircOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(HircEnvelope) envelope = hirc_envelope_parse (item->envelope, &error);
      g_autoptr(HircSecureBuffer) plain = NULL;

      if (envelope == NULL)
        return fail ("an envelope does not parse", error);
      plain = hirc_envelope_open (envelope, config->device_public, intake_seal, &error);
      if (plain == NULL)
        return fail ("an envelope does not open", error);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_len (out, (const char *) plain->data, (gssize) plain->len);
    }
  g_string_append (out, "]\n");
  fputs (out->str, stdout);
  g_string_free (out, TRUE);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (!hirc_secure_init (&error))
    return fail ("cannot start libsodium", error);

  if (argc >= 4 && g_str_equal (argv[1], "provision"))
    {
      guint64 timeout = 0, countdown = 0;

      if (argc == 6
          && (!g_ascii_string_to_unsigned (argv[4], 10, 5, 3600, &timeout, &error)
              || !g_ascii_string_to_unsigned (argv[5], 10, 20, 600, &countdown, &error)))
        return fail ("bad idle settings", error);
      return provision (argv[2], argv[3], (guint) timeout, (guint) countdown);
    }
  if (argc == 4 && g_str_equal (argv[1], "open-outbox"))
    return open_outbox (argv[2], argv[3]);

  fprintf (stderr, "usage: hirc-ui-helper provision STATE_DIR SEAL_SECRET [IDLE_TIMEOUT "
                   "IDLE_COUNTDOWN]\n"
                   "       hirc-ui-helper open-outbox STATE_DIR SEAL_SECRET\n");
  return 2;
}
