/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-receipt.c: libFuzzer target for what the kiosk does with an answer to POST /v1/reports:
 * receipt parsing, signature checking and the client's judgement of status and body. */

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-sync-client.h"
#include "hirc-wire.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The corpus's valid receipts are signed with the key from this seed, for this report id and
 * this envelope hash, so the fuzzer starts from answers that reach the signature check. */
static const guint8 key_seed[crypto_sign_SEEDBYTES] = "hirc fuzz receipt key seed 0001";
static const guint8 report_id[HIRC_ID_BYTES] = {
  0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x46, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};
/* The first byte of an input picks the HTTP status; the rest is the body. */
static const long statuses[] = { 200, 201, 200, 201, 204, 302, 400, 403, 408, 409, 413, 429, 500,
                                 503 };

static HircKey *receipt_public;
static guint8 envelope_hash[HIRC_HASH_BYTES];

static void
init_once (void)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  if (!hirc_secure_init (NULL))
    abort ();
  crypto_sign_seed_keypair (pk, sk, key_seed);
  sodium_memzero (sk, sizeof sk);
  receipt_public = hirc_key_new_public (HIRC_KEY_KIND_SIGN_PUBLIC, pk, sizeof pk, NULL);
  if (receipt_public == NULL)
    abort ();
  memset (envelope_hash, 0x42, sizeof envelope_hash);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) receipt_json = NULL;
  g_autoptr(GError) error = NULL;
  HircReceipt receipt;
  HircSyncOutcome outcome;

  if (receipt_public == NULL)
    init_once ();

  /* The whole input as a receipt: parsing must never crash, and whatever parses must be
   * checkable. */
  if (hirc_wire_receipt_from_json ((const char *) data, size, &receipt, NULL))
    hirc_receipt_verify (&receipt, receipt_public, NULL);

  if (size == 0)
    return 0;

  outcome = hirc_sync_classify_report_response (statuses[data[0] % G_N_ELEMENTS (statuses)],
                                                data + 1, size - 1, -1, report_id,
                                                envelope_hash, receipt_public, &receipt_json,
                                                &error);
  if (outcome == HIRC_SYNC_OUTCOME_DELIVERED)
    {
      HircReceipt kept;

      /* Delivered must mean a receipt that proves delivery, and what is kept must prove it
       * again on its own. */
      if (error != NULL || receipt_json == NULL
          || !hirc_wire_receipt_from_json (g_bytes_get_data (receipt_json, NULL),
                                           g_bytes_get_size (receipt_json), &kept, NULL)
          || memcmp (kept.report_id, report_id, HIRC_ID_BYTES) != 0
          || memcmp (kept.envelope_hash, envelope_hash, HIRC_HASH_BYTES) != 0
          || !hirc_receipt_verify (&kept, receipt_public, NULL))
        abort ();
    }
  else if (error == NULL || receipt_json != NULL || hirc_sync_error_get_plain (error) == NULL)
    abort ();
  return 0;
}
