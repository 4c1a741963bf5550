/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-crypto.c: the crypto layer's error domain. */

#include "hirc-crypto.h"

G_DEFINE_QUARK (hirc-crypto-error-quark, hirc_crypto_error)
