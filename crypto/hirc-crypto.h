/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-crypto.h: the crypto layer's single include: keys, envelopes, receipts, PINs, secure memory. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HIRC_CRYPTO_ERROR (hirc_crypto_error_quark ())

/* Each code is something a caller can act on differently; the intake maps them to HTTP answers
 * and the kiosk to plain sentences for the administrator. */
typedef enum
{
  HIRC_CRYPTO_ERROR_FAILED,
  HIRC_CRYPTO_ERROR_NOT_INITIALISED,
  HIRC_CRYPTO_ERROR_BAD_SIGNATURE,
  HIRC_CRYPTO_ERROR_WRONG_KEY,
  HIRC_CRYPTO_ERROR_TRUNCATED,
  HIRC_CRYPTO_ERROR_UNKNOWN_VERSION,
  HIRC_CRYPTO_ERROR_MALFORMED,
  HIRC_CRYPTO_ERROR_TOO_LARGE,
  HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE,
  HIRC_CRYPTO_ERROR_KEY_FILE_WRONG_KIND,
  HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
  HIRC_CRYPTO_ERROR_IO,
  HIRC_CRYPTO_ERROR_OUT_OF_MEMORY,
} HircCryptoError;

GQuark hirc_crypto_error_quark (void);

G_END_DECLS

#include "hirc-secure.h"
#include "hirc-keys.h"
#include "hirc-envelope.h"
#include "hirc-receipt.h"
#include "hirc-pin.h"
#include "hirc-base32.h"
