/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-envelope.c: libFuzzer target for envelope parsing, signature checking and opening. */

#include "hirc-crypto.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Keys made for the fuzz corpus and used nowhere else. The valid seeds in corpus/envelope are
 * sealed to this intake key and signed by this device key, so that they reach crypto_box_seal_open
 * and the unpadding, and mutations start from there. */
static const char device_sign_public_file[] =
  "hirc-key 1\n"
  "kind sign-public\n"
  "key lXZYt6QaeJSPzXHd/ygHAcwQLXeH7GOW0LqOW0Kklso=\n"
  "check 84a92d2ea085de7a\n";
static const char intake_seal_secret_file[] =
  "hirc-key 1\n"
  "kind seal-secret\n"
  "key Dhf2KJahpphlqVTdRqU7suiENDmHrSgd2CIDIov50m7mAuDjfEU3rjA12wW6n+mwR4x2zCgK0w5sp5Etw7slLA==\n"
  "check 2220a4c2796cf3af\n";

/* Loaded once and kept for the life of the process, so they are not leaks. */
static HircKey *device_sign_public;
static HircKey *intake_seal_secret;

static void
fuzz_init (void)
{
  if (!hirc_secure_init (NULL))
    abort ();
  device_sign_public = hirc_key_load_from_data ((const guint8 *) device_sign_public_file,
                                                sizeof device_sign_public_file - 1,
                                                HIRC_KEY_KIND_SIGN_PUBLIC, NULL);
  intake_seal_secret = hirc_key_load_from_data ((const guint8 *) intake_seal_secret_file,
                                                sizeof intake_seal_secret_file - 1,
                                                HIRC_KEY_KIND_SEAL_SECRET, NULL);
  if (device_sign_public == NULL || intake_seal_secret == NULL)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gsize initialised = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(HircSecureBuffer) opened = NULL;
  g_autoptr(GError) error = NULL;
  guint8 hash[HIRC_HASH_BYTES];

  if (g_once_init_enter (&initialised))
    {
      fuzz_init ();
      g_once_init_leave (&initialised, 1);
    }

  bytes = g_bytes_new (data, size);
  hirc_envelope_hash (bytes, hash);

  envelope = hirc_envelope_parse (bytes, &error);
  if (envelope == NULL)
    {
      /* Every refusal says why; a NULL without an error would be a bug. */
      if (error == NULL)
        abort ();
      return 0;
    }

  /* Whatever parse accepts has the layout ENVELOPE.md promises. */
  if (error != NULL
      || size != HIRC_ENVELOPE_HEADER_BYTES + g_bytes_get_size (envelope->ciphertext)
                 + HIRC_ENVELOPE_SIGNATURE_BYTES
      || size > HIRC_ENVELOPE_MAX_BYTES
      || envelope->version != HIRC_ENVELOPE_VERSION
      || envelope->created_hour < 0
      || envelope->created_hour % 3600 != 0)
    abort ();

  opened = hirc_envelope_open (envelope, device_sign_public, intake_seal_secret, &error);
  if ((opened == NULL) == (error == NULL))
    abort ();
  if (opened != NULL && opened->len >= g_bytes_get_size (envelope->ciphertext))
    abort ();
  return 0;
}
