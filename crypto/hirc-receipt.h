/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-receipt.h: the intake's signed proof that it stored one envelope. */
#pragma once

#include <glib.h>

#include "hirc-envelope.h"
#include "hirc-keys.h"

G_BEGIN_DECLS

#define HIRC_RECEIPT_SIGNATURE_BYTES 64

typedef struct
{
  guint8 report_id[HIRC_ID_BYTES];
  guint8 envelope_hash[HIRC_HASH_BYTES];
  gint64 received_at;
  guint8 signature[HIRC_RECEIPT_SIGNATURE_BYTES];
} HircReceipt;

/* Signs "hirc.receipt/1\0" || report_id || envelope_hash || received_at (big-endian u64). */
void     hirc_receipt_sign   (HircReceipt   *receipt,
                              const HircKey *intake_sign_secret);
gboolean hirc_receipt_verify (const HircReceipt *receipt,
                              const HircKey     *intake_sign_public,
                              GError           **error);

G_END_DECLS
