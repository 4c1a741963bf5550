/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-envelope.h: envelope v1, a padded report sealed to the intake and signed by the device.
 * The byte layout is specified in crypto/ENVELOPE.md. */
#pragma once

#include <glib.h>

#include "hirc-keys.h"
#include "hirc-secure.h"

G_BEGIN_DECLS

#define HIRC_ENVELOPE_VERSION        1
#define HIRC_ENVELOPE_MAGIC          "HIRC"
#define HIRC_ENVELOPE_HEADER_BYTES   52
#define HIRC_ENVELOPE_SIGNATURE_BYTES 64
/* Padding hides a report's length to within this many bytes. */
#define HIRC_ENVELOPE_PAD_BLOCK      4096
/* The largest plaintext a kiosk may seal; the report model's limits keep reports well below. */
#define HIRC_ENVELOPE_MAX_PLAINTEXT  (192 * 1024)
/* The largest envelope any reader accepts, header and signature included. */
#define HIRC_ENVELOPE_MAX_BYTES      (256 * 1024)
#define HIRC_ID_BYTES                16
#define HIRC_HASH_BYTES              32

typedef struct
{
  guint8  version;
  guint8  report_id[HIRC_ID_BYTES];
  guint8  device_id[HIRC_ID_BYTES];
  /* Unix time of creation, rounded down to the hour so that it says little about the reporter. */
  gint64  created_hour;
  GBytes *ciphertext;
  guint8  signature[HIRC_ENVELOPE_SIGNATURE_BYTES];
  /* The whole envelope as parsed, for hashing and for the signature check. */
  GBytes *bytes;
} HircEnvelope;

/* Pads, seals to intake_seal_public (anonymous sender: the caller cannot open the result) and
 * signs with device_sign_secret. */
GBytes       *hirc_envelope_seal    (const guint8     *plaintext,
                                     gsize             len,
                                     const guint8      report_id[HIRC_ID_BYTES],
                                     const guint8      device_id[HIRC_ID_BYTES],
                                     gint64            created_unix,
                                     const HircKey    *intake_seal_public,
                                     const HircKey    *device_sign_secret,
                                     GError          **error);

/* Checks the structure only (magic, version, lengths); no key is needed. */
HircEnvelope *hirc_envelope_parse   (GBytes           *bytes,
                                     GError          **error);

gboolean      hirc_envelope_verify  (const HircEnvelope *envelope,
                                     const HircKey      *device_sign_public,
                                     GError            **error);

/* Verifies the signature, then opens and unpads. */
HircSecureBuffer *hirc_envelope_open (const HircEnvelope *envelope,
                                      const HircKey      *device_sign_public,
                                      const HircKey      *intake_seal_secret,
                                      GError            **error);

void          hirc_envelope_free    (HircEnvelope     *envelope);

/* SHA-256 of the envelope's bytes: what receipts are issued over. */
void          hirc_envelope_hash    (GBytes           *bytes,
                                     guint8            out[HIRC_HASH_BYTES]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircEnvelope, hirc_envelope_free)

G_END_DECLS
