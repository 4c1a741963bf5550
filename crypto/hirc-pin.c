/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-pin.c: staff PINs hashed with Argon2id, never stored or logged in the clear. */

#include "hirc-crypto.h"

#include <string.h>
#include <sodium.h>

/* A PIN has far too little entropy for any hash to protect it from someone who copies the disk,
 * so the hash only has to make each guess expensive; guessing at the kiosk itself is held back by
 * the persistent, growing delay after wrong attempts, which is enforced elsewhere. Three passes
 * over 64 MiB take about 0.07 s on a current x86 core and, by the same measure, stay under 0.4 s
 * on a 4 GB Celeron or ARM mini-PC, which is the most a person at the screen should wait; the
 * memory is the part that hurts a GPU attacker, and 64 MiB is safe to allocate beside the kiosk.
 * Raising either value makes hirc_pin_needs_rehash() ask for older hashes to be redone. */
#define PIN_OPSLIMIT 3
#define PIN_MEMLIMIT (64 * 1024 * 1024)

G_STATIC_ASSERT (PIN_OPSLIMIT >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
G_STATIC_ASSERT (PIN_MEMLIMIT >= crypto_pwhash_argon2id_MEMLIMIT_MIN);

char *
hirc_pin_hash (const char  *pin,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (pin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The only way this fails with a valid PIN and limits is an allocation of the work memory. */
  if (crypto_pwhash_str_alg (hash, pin, strlen (pin), PIN_OPSLIMIT, PIN_MEMLIMIT,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_OUT_OF_MEMORY,
                   "There is not enough memory to hash the PIN (%d MiB are needed).",
                   PIN_MEMLIMIT / (1024 * 1024));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
hirc_pin_verify (const char *stored_hash,
                 const char *pin)
{
  g_return_val_if_fail (stored_hash != NULL, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  return crypto_pwhash_str_verify (stored_hash, pin, strlen (pin)) == 0;
}

gboolean
hirc_pin_needs_rehash (const char *stored_hash)
{
  g_return_val_if_fail (stored_hash != NULL, FALSE);

  /* The Argon2id-specific check, because the generic one accepts an Argon2i hash with the same
   * limits as current; anything that is not a current Argon2id hash should be redone. */
  return crypto_pwhash_argon2id_str_needs_rehash (stored_hash, PIN_OPSLIMIT, PIN_MEMLIMIT) != 0;
}
