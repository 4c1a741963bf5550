/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-envelope.c: envelope v1, a padded report sealed to the intake and signed by the device. */

#include "hirc-crypto.h"

#include <string.h>
#include <sodium.h>

/* The byte layout, also specified in ENVELOPE.md. */
#define OFFSET_MAGIC        0
#define OFFSET_VERSION      4
#define OFFSET_RESERVED     5
#define RESERVED_BYTES      3
#define OFFSET_REPORT_ID    8
#define OFFSET_DEVICE_ID    24
#define OFFSET_CREATED_HOUR 40
#define OFFSET_LENGTH       48
#define SECONDS_PER_HOUR    3600

/* The signature covers this tag, its NUL included, so that it can never be replayed as a
 * signature over anything else the device signs. */
static const char signature_domain[] = "hirc.envelope/1";
#define DOMAIN_BYTES (sizeof signature_domain)

/* The smallest ciphertext: one padding block, sealed. */
#define MIN_CIPHERTEXT_BYTES (crypto_box_SEALBYTES + HIRC_ENVELOPE_PAD_BLOCK)
#define MAX_CIPHERTEXT_BYTES \
  (HIRC_ENVELOPE_MAX_BYTES - HIRC_ENVELOPE_HEADER_BYTES - HIRC_ENVELOPE_SIGNATURE_BYTES)

G_STATIC_ASSERT (OFFSET_LENGTH + 4 == HIRC_ENVELOPE_HEADER_BYTES);
G_STATIC_ASSERT (sizeof HIRC_ENVELOPE_MAGIC - 1 == OFFSET_VERSION);
G_STATIC_ASSERT (HIRC_ENVELOPE_SIGNATURE_BYTES == crypto_sign_BYTES);
G_STATIC_ASSERT (HIRC_HASH_BYTES == crypto_hash_sha256_BYTES);
/* The largest plaintext, padded and sealed, still fits in the largest envelope. */
G_STATIC_ASSERT (HIRC_ENVELOPE_HEADER_BYTES + crypto_box_SEALBYTES
                 + (HIRC_ENVELOPE_MAX_PLAINTEXT / HIRC_ENVELOPE_PAD_BLOCK + 1)
                   * HIRC_ENVELOPE_PAD_BLOCK
                 + HIRC_ENVELOPE_SIGNATURE_BYTES <= HIRC_ENVELOPE_MAX_BYTES);

static void
store_be32 (guint8  *out,
            guint32  value)
{
  for (int i = 3; i >= 0; i--, value >>= 8)
    out[i] = value & 0xff;
}

static void
store_be64 (guint8  *out,
            guint64  value)
{
  for (int i = 7; i >= 0; i--, value >>= 8)
    out[i] = value & 0xff;
}

static guint32
load_be32 (const guint8 *in)
{
  guint32 value = 0;

  for (int i = 0; i < 4; i++)
    value = (value << 8) | in[i];
  return value;
}

static guint64
load_be64 (const guint8 *in)
{
  guint64 value = 0;

  for (int i = 0; i < 8; i++)
    value = (value << 8) | in[i];
  return value;
}

static gboolean
is_seal_key (const HircKey *key)
{
  HircKeyKind kind = hirc_key_get_kind (key);

  return kind == HIRC_KEY_KIND_SEAL_PUBLIC || kind == HIRC_KEY_KIND_SEAL_SECRET;
}

static gboolean
is_sign_key (const HircKey *key)
{
  HircKeyKind kind = hirc_key_get_kind (key);

  return kind == HIRC_KEY_KIND_SIGN_PUBLIC || kind == HIRC_KEY_KIND_SIGN_SECRET;
}

GBytes *
hirc_envelope_seal (const guint8     *plaintext,
                    gsize             len,
                    const guint8      report_id[HIRC_ID_BYTES],
                    const guint8      device_id[HIRC_ID_BYTES],
                    gint64            created_unix,
                    const HircKey    *intake_seal_public,
                    const HircKey    *device_sign_secret,
                    GError          **error)
{
  g_autoptr(HircSecureBuffer) padded = NULL;
  gsize padded_len = 0;
  gsize ciphertext_len, envelope_len;
  guint8 *buffer, *envelope;
  gsize signing_key_len = 0;
  const guint8 *signing_key;

  g_return_val_if_fail (plaintext != NULL || len == 0, NULL);
  g_return_val_if_fail (report_id != NULL, NULL);
  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (created_unix >= 0, NULL);
  /* Sealing needs only the intake's public half; a secret key carries it too. */
  g_return_val_if_fail (intake_seal_public != NULL && is_seal_key (intake_seal_public), NULL);
  g_return_val_if_fail (device_sign_secret != NULL
                        && hirc_key_get_kind (device_sign_secret) == HIRC_KEY_KIND_SIGN_SECRET,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > HIRC_ENVELOPE_MAX_PLAINTEXT)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TOO_LARGE,
                   "The report is too large to send: it is %" G_GSIZE_FORMAT " bytes long and "
                   "the limit is %d bytes.", len, HIRC_ENVELOPE_MAX_PLAINTEXT);
      return NULL;
    }

  /* ISO/IEC 7816-4 padding always adds at least one byte, so the padded length is the next
   * multiple of the block strictly above len: an empty report still fills one block. */
  padded = hirc_secure_buffer_new ((len / HIRC_ENVELOPE_PAD_BLOCK + 1) * HIRC_ENVELOPE_PAD_BLOCK);
  if (len > 0)
    memcpy (padded->data, plaintext, len);
  if (sodium_pad (&padded_len, padded->data, len, HIRC_ENVELOPE_PAD_BLOCK, padded->len) != 0)
    g_assert_not_reached ();
  g_assert (padded_len == padded->len);

  ciphertext_len = crypto_box_SEALBYTES + padded_len;
  envelope_len = HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len + HIRC_ENVELOPE_SIGNATURE_BYTES;

  /* The signed message is the domain tag followed by the envelope up to its signature, so the
   * envelope is built right after the tag and signed in place without a copy. */
  buffer = g_malloc0 (DOMAIN_BYTES + envelope_len);
  memcpy (buffer, signature_domain, DOMAIN_BYTES);
  envelope = buffer + DOMAIN_BYTES;

  memcpy (envelope + OFFSET_MAGIC, HIRC_ENVELOPE_MAGIC, OFFSET_VERSION);
  envelope[OFFSET_VERSION] = HIRC_ENVELOPE_VERSION;
  memcpy (envelope + OFFSET_REPORT_ID, report_id, HIRC_ID_BYTES);
  memcpy (envelope + OFFSET_DEVICE_ID, device_id, HIRC_ID_BYTES);
  store_be64 (envelope + OFFSET_CREATED_HOUR,
              (guint64) (created_unix - created_unix % SECONDS_PER_HOUR));
  store_be32 (envelope + OFFSET_LENGTH, (guint32) ciphertext_len);

  if (crypto_box_seal (envelope + HIRC_ENVELOPE_HEADER_BYTES, padded->data, padded_len,
                       hirc_key_get_public (intake_seal_public)) != 0)
    {
      g_free (buffer);
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_FAILED,
                           "The report could not be sealed to the intake's key.");
      return NULL;
    }

  signing_key = hirc_key_get_secret (device_sign_secret, &signing_key_len);
  g_assert (signing_key_len == crypto_sign_SECRETKEYBYTES);
  crypto_sign_detached (envelope + HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len, NULL, buffer,
                        DOMAIN_BYTES + HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len, signing_key);

  return g_bytes_new_with_free_func (envelope, envelope_len, g_free, buffer);
}

HircEnvelope *
hirc_envelope_parse (GBytes  *bytes,
                     GError **error)
{
  static const guint8 zero_reserved[RESERVED_BYTES] = { 0 };
  HircEnvelope *envelope;
  const guint8 *data;
  gsize size;
  guint32 ciphertext_len;
  guint64 created_hour;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);

  if (size < HIRC_ENVELOPE_HEADER_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TRUNCATED,
                   "The envelope is truncated: it is %" G_GSIZE_FORMAT " bytes long, shorter "
                   "than its %d-byte header.", size, HIRC_ENVELOPE_HEADER_BYTES);
      return NULL;
    }
  if (memcmp (data + OFFSET_MAGIC, HIRC_ENVELOPE_MAGIC, OFFSET_VERSION) != 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED,
                           "The data is not a HIRC envelope: it does not start with \"HIRC\".");
      return NULL;
    }
  if (data[OFFSET_VERSION] != HIRC_ENVELOPE_VERSION)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION,
                   "The envelope has format version %u, which this version of the software "
                   "cannot read.", data[OFFSET_VERSION]);
      return NULL;
    }
  if (memcmp (data + OFFSET_RESERVED, zero_reserved, RESERVED_BYTES) != 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED,
                           "The envelope is malformed: its reserved bytes are not zero.");
      return NULL;
    }
  if (size > HIRC_ENVELOPE_MAX_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TOO_LARGE,
                   "The envelope is too large: it is %" G_GSIZE_FORMAT " bytes long and the "
                   "limit is %d bytes.", size, HIRC_ENVELOPE_MAX_BYTES);
      return NULL;
    }

  created_hour = load_be64 (data + OFFSET_CREATED_HOUR);
  if (created_hour > G_MAXINT64 || created_hour % SECONDS_PER_HOUR != 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED,
                           "The envelope is malformed: its creation time is not a whole hour.");
      return NULL;
    }

  ciphertext_len = load_be32 (data + OFFSET_LENGTH);
  if (ciphertext_len > MAX_CIPHERTEXT_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TOO_LARGE,
                   "The envelope is too large: it declares %u bytes of ciphertext and an "
                   "envelope may hold at most %d.", ciphertext_len, (int) MAX_CIPHERTEXT_BYTES);
      return NULL;
    }
  if (ciphertext_len < MIN_CIPHERTEXT_BYTES
      || (ciphertext_len - crypto_box_SEALBYTES) % HIRC_ENVELOPE_PAD_BLOCK != 0)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED,
                   "The envelope is malformed: %u bytes is not a possible ciphertext length.",
                   ciphertext_len);
      return NULL;
    }
  if (size < HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len + HIRC_ENVELOPE_SIGNATURE_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TRUNCATED,
                   "The envelope is truncated: it is %" G_GSIZE_FORMAT " bytes long but its "
                   "header declares %u.", size,
                   (guint) (HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len
                            + HIRC_ENVELOPE_SIGNATURE_BYTES));
      return NULL;
    }
  if (size > HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len + HIRC_ENVELOPE_SIGNATURE_BYTES)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED,
                           "The envelope is malformed: there are extra bytes after its "
                           "signature.");
      return NULL;
    }

  envelope = g_new0 (HircEnvelope, 1);
  envelope->version = data[OFFSET_VERSION];
  memcpy (envelope->report_id, data + OFFSET_REPORT_ID, HIRC_ID_BYTES);
  memcpy (envelope->device_id, data + OFFSET_DEVICE_ID, HIRC_ID_BYTES);
  envelope->created_hour = (gint64) created_hour;
  envelope->ciphertext = g_bytes_new_from_bytes (bytes, HIRC_ENVELOPE_HEADER_BYTES, ciphertext_len);
  memcpy (envelope->signature, data + HIRC_ENVELOPE_HEADER_BYTES + ciphertext_len,
          HIRC_ENVELOPE_SIGNATURE_BYTES);
  envelope->bytes = g_bytes_ref (bytes);
  return envelope;
}

/* Verification and opening read everything from envelope->bytes, as parsed, and not from the
 * convenience fields, so that what is checked is exactly what is opened. */
static gboolean
envelope_layout (const HircEnvelope  *envelope,
                 const guint8       **data,
                 gsize               *signed_len)
{
  gsize size;

  if (envelope->bytes == NULL)
    return FALSE;
  *data = g_bytes_get_data (envelope->bytes, &size);
  if (size < HIRC_ENVELOPE_HEADER_BYTES + MIN_CIPHERTEXT_BYTES + HIRC_ENVELOPE_SIGNATURE_BYTES)
    return FALSE;
  *signed_len = size - HIRC_ENVELOPE_SIGNATURE_BYTES;
  return TRUE;
}

gboolean
hirc_envelope_verify (const HircEnvelope *envelope,
                      const HircKey      *device_sign_public,
                      GError            **error)
{
  const guint8 *data = NULL;
  gsize signed_len = 0;
  g_autofree guint8 *message = NULL;
  gboolean valid;
  gboolean laid_out;

  g_return_val_if_fail (envelope != NULL, FALSE);
  laid_out = envelope_layout (envelope, &data, &signed_len);
  g_return_val_if_fail (laid_out, FALSE);
  /* Checking needs only the public half; a secret key carries it too. */
  g_return_val_if_fail (device_sign_public != NULL && is_sign_key (device_sign_public), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  message = g_malloc (DOMAIN_BYTES + signed_len);
  memcpy (message, signature_domain, DOMAIN_BYTES);
  memcpy (message + DOMAIN_BYTES, data, signed_len);
  valid = crypto_sign_verify_detached (data + signed_len, message, DOMAIN_BYTES + signed_len,
                                       hirc_key_get_public (device_sign_public)) == 0;
  if (!valid)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE,
                           "The envelope's signature does not match the device's key.");
      return FALSE;
    }
  return TRUE;
}

HircSecureBuffer *
hirc_envelope_open (const HircEnvelope *envelope,
                    const HircKey      *device_sign_public,
                    const HircKey      *intake_seal_secret,
                    GError            **error)
{
  const guint8 *data = NULL;
  gsize signed_len = 0;
  gsize ciphertext_len;
  gsize secret_len = 0;
  const guint8 *secret;
  g_autoptr(HircSecureBuffer) padded = NULL;
  gsize plaintext_len = 0;
  gboolean laid_out;

  g_return_val_if_fail (envelope != NULL, NULL);
  laid_out = envelope_layout (envelope, &data, &signed_len);
  g_return_val_if_fail (laid_out, NULL);
  g_return_val_if_fail (device_sign_public != NULL && is_sign_key (device_sign_public), NULL);
  g_return_val_if_fail (intake_seal_secret != NULL
                        && hirc_key_get_kind (intake_seal_secret) == HIRC_KEY_KIND_SEAL_SECRET,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hirc_envelope_verify (envelope, device_sign_public, error))
    return NULL;

  ciphertext_len = signed_len - HIRC_ENVELOPE_HEADER_BYTES;
  secret = hirc_key_get_secret (intake_seal_secret, &secret_len);
  g_assert (secret_len == crypto_box_SECRETKEYBYTES);

  padded = hirc_secure_buffer_new (ciphertext_len - crypto_box_SEALBYTES);
  if (crypto_box_seal_open (padded->data, data + HIRC_ENVELOPE_HEADER_BYTES, ciphertext_len,
                            hirc_key_get_public (intake_seal_secret), secret) != 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_WRONG_KEY,
                           "The envelope cannot be opened with this key: it was sealed to a "
                           "different key.");
      return NULL;
    }
  if (sodium_unpad (&plaintext_len, padded->data, padded->len, HIRC_ENVELOPE_PAD_BLOCK) != 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED,
                           "The envelope is malformed: the report inside it is not correctly "
                           "padded.");
      return NULL;
    }

  /* An exact-size copy, so that reading past the report's end hits a guard page. */
  return hirc_secure_buffer_new_from_data (padded->data, plaintext_len);
}

void
hirc_envelope_free (HircEnvelope *envelope)
{
  if (envelope == NULL)
    return;
  g_clear_pointer (&envelope->ciphertext, g_bytes_unref);
  g_clear_pointer (&envelope->bytes, g_bytes_unref);
  g_free (envelope);
}

void
hirc_envelope_hash (GBytes *bytes,
                    guint8  out[HIRC_HASH_BYTES])
{
  const guint8 *data;
  gsize size;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (out != NULL);

  data = g_bytes_get_data (bytes, &size);
  crypto_hash_sha256 (out, data, size);
}
