/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-wire.h: the JSON bodies both ends of sync/PROTOCOL.md exchange, built and parsed in one
 * place so the kiosk and the intake cannot drift apart. */
#pragma once

#include <glib.h>

#include "hirc-receipt.h"

G_BEGIN_DECLS

#define HIRC_WIRE_ERROR (hirc_wire_error_quark ())

typedef enum
{
  HIRC_WIRE_ERROR_MALFORMED,
} HircWireError;

GQuark      hirc_wire_error_quark    (void);

#define HIRC_WIRE_ENVELOPE_MEDIA_TYPE "application/vnd.hirc.envelope"
#define HIRC_WIRE_MAX_BODY_BYTES      (256 * 1024)

/* {"report_id", "envelope_sha256", "received_at", "signature"}; parsing checks every field's
 * type and length but not the signature (hirc_receipt_verify does). */
char       *hirc_wire_receipt_to_json   (const HircReceipt *receipt);
gboolean    hirc_wire_receipt_from_json (const char        *data,
                                         gsize              len,
                                         HircReceipt       *receipt,
                                         GError           **error);

/* {"error": code, "message": message} */
char       *hirc_wire_error_to_json     (const char        *code,
                                         const char        *message);
/* The code and message of an error body, or FALSE when the body is not one. */
gboolean    hirc_wire_error_from_json   (const char        *data,
                                         gsize              len,
                                         char             **code,
                                         char             **message);

/* The bytes an enrolment proof signs: "hirc.enrol/1" NUL token public_key. */
GBytes     *hirc_wire_enrol_proof_message (const guint8    *token,
                                           gsize            token_len,
                                           const guint8     public_key[32]);

G_END_DECLS
