/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-keyfile.c: libFuzzer target for key files and for public keys in base64. */

#include "hirc-crypto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
use_key (HircKey     *key,
         HircKeyKind  kind)
{
  g_autofree char *fingerprint = hirc_key_fingerprint (key);
  g_autofree char *base64 = hirc_key_public_to_base64 (key);
  g_autoptr(HircKey) public_half = hirc_key_dup_public (key);
  g_autofree char *public_fingerprint = hirc_key_fingerprint (public_half);

  /* A loaded key is what was asked for, and reads out the same as its public half. */
  if (hirc_key_get_kind (key) != kind
      || strlen (fingerprint) != 39
      || strlen (base64) != 44
      || strcmp (fingerprint, public_fingerprint) != 0)
    abort ();
  if (hirc_key_is_secret (key))
    {
      gsize len = 0;

      if (hirc_key_get_secret (key, &len) == NULL || (len != 32 && len != 64))
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gsize initialised = 0;
  g_autofree char *text = NULL;

  if (g_once_init_enter (&initialised))
    {
      if (!hirc_secure_init (NULL))
        abort ();
      g_once_init_leave (&initialised, 1);
    }

  for (HircKeyKind kind = HIRC_KEY_KIND_SEAL_PUBLIC; kind <= HIRC_KEY_KIND_SIGN_SECRET; kind++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HircKey) key = hirc_key_load_from_data (data, size, kind, &error);

      if ((key == NULL) == (error == NULL))
        abort ();
      if (key != NULL)
        use_key (key, kind);
    }

  /* The same bytes as the base64 of a public key, as a provisioning bundle holds one. */
  text = g_strndup ((const char *) data, size);
  for (HircKeyKind kind = HIRC_KEY_KIND_SEAL_PUBLIC; kind <= HIRC_KEY_KIND_SIGN_PUBLIC; kind += 2)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HircKey) key = hirc_key_new_public_from_base64 (kind, text, &error);

      if ((key == NULL) == (error == NULL))
        abort ();
      if (key != NULL)
        use_key (key, kind);
    }
  return 0;
}
