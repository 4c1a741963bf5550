/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-receipt.c: the intake's Ed25519 signature over one stored envelope's id and hash. */

#include "hirc-crypto.h"

#include <string.h>
#include <sodium.h>

/* Signed with its NUL, so that a receipt signature is never valid as any other message. */
static const char receipt_domain[] = "hirc.receipt/1";

#define RECEIPT_MESSAGE_BYTES (sizeof receipt_domain + HIRC_ID_BYTES + HIRC_HASH_BYTES + 8)

G_STATIC_ASSERT (HIRC_RECEIPT_SIGNATURE_BYTES == crypto_sign_BYTES);

static void
receipt_message (const HircReceipt *receipt,
                 guint8             message[RECEIPT_MESSAGE_BYTES])
{
  guint8 *p = message;
  guint64 received_at = (guint64) receipt->received_at;

  memcpy (p, receipt_domain, sizeof receipt_domain);
  p += sizeof receipt_domain;
  memcpy (p, receipt->report_id, HIRC_ID_BYTES);
  p += HIRC_ID_BYTES;
  memcpy (p, receipt->envelope_hash, HIRC_HASH_BYTES);
  p += HIRC_HASH_BYTES;
  for (int i = 7; i >= 0; i--, received_at >>= 8)
    p[i] = received_at & 0xff;
}

void
hirc_receipt_sign (HircReceipt   *receipt,
                   const HircKey *intake_sign_secret)
{
  guint8 message[RECEIPT_MESSAGE_BYTES];
  gsize secret_len = 0;
  const guint8 *secret;

  g_return_if_fail (receipt != NULL);
  g_return_if_fail (intake_sign_secret != NULL
                    && hirc_key_get_kind (intake_sign_secret) == HIRC_KEY_KIND_SIGN_SECRET);

  receipt_message (receipt, message);
  secret = hirc_key_get_secret (intake_sign_secret, &secret_len);
  g_assert (secret_len == crypto_sign_SECRETKEYBYTES);
  crypto_sign_detached (receipt->signature, NULL, message, sizeof message, secret);
}

gboolean
hirc_receipt_verify (const HircReceipt *receipt,
                     const HircKey     *intake_sign_public,
                     GError           **error)
{
  guint8 message[RECEIPT_MESSAGE_BYTES];
  HircKeyKind kind;

  g_return_val_if_fail (receipt != NULL, FALSE);
  g_return_val_if_fail (intake_sign_public != NULL, FALSE);
  kind = hirc_key_get_kind (intake_sign_public);
  /* Checking needs only the public half; a secret key carries it too. */
  g_return_val_if_fail (kind == HIRC_KEY_KIND_SIGN_PUBLIC || kind == HIRC_KEY_KIND_SIGN_SECRET,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  receipt_message (receipt, message);
  if (crypto_sign_verify_detached (receipt->signature, message, sizeof message,
                                   hirc_key_get_public (intake_sign_public)) != 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE,
                           "The receipt's signature does not match the intake's key.");
      return FALSE;
    }
  return TRUE;
}
