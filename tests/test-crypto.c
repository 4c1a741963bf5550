/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crypto.c: envelopes, key files, fingerprints, receipts, PINs and hardening, checked
 * against the code and, independently, against the layouts written in crypto/ENVELOPE.md. */

#include "hirc-crypto.h"
#include "hirc-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAD HIRC_ENVELOPE_PAD_BLOCK
#define SEAL_OVERHEAD crypto_box_SEALBYTES

/* The keys of one intake and one kiosk, and the ids of one report. */
typedef struct
{
  HircKey *intake_seal;
  HircKey *intake_seal_public;
  HircKey *device_sign;
  HircKey *device_sign_public;
  guint8 report_id[HIRC_ID_BYTES];
  guint8 device_id[HIRC_ID_BYTES];
} Parties;

static void
parties_init (Parties *parties)
{
  parties->intake_seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  parties->intake_seal_public = hirc_key_dup_public (parties->intake_seal);
  parties->device_sign = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  parties->device_sign_public = hirc_key_dup_public (parties->device_sign);
  randombytes_buf (parties->report_id, HIRC_ID_BYTES);
  randombytes_buf (parties->device_id, HIRC_ID_BYTES);
}

static void
parties_clear (Parties *parties)
{
  g_clear_pointer (&parties->intake_seal, hirc_key_unref);
  g_clear_pointer (&parties->intake_seal_public, hirc_key_unref);
  g_clear_pointer (&parties->device_sign, hirc_key_unref);
  g_clear_pointer (&parties->device_sign_public, hirc_key_unref);
}

static GBytes *
seal (const Parties *parties,
      const guint8  *plaintext,
      gsize          len,
      gint64         created_unix)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = hirc_envelope_seal (plaintext, len, parties->report_id, parties->device_id,
                                      created_unix, parties->intake_seal_public,
                                      parties->device_sign, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static GBytes *
seal_text (const Parties *parties,
           const char    *text)
{
  return seal (parties, (const guint8 *) text, strlen (text), 1764000000);
}

/* What ENVELOPE.md says the total length is for a plaintext of len bytes. */
static gsize
expected_envelope_len (gsize len)
{
  return HIRC_ENVELOPE_HEADER_BYTES + SEAL_OVERHEAD + (len / PAD + 1) * PAD
         + HIRC_ENVELOPE_SIGNATURE_BYTES;
}

static guint64
read_be (const guint8 *p,
         guint         n)
{
  guint64 value = 0;

  for (guint i = 0; i < n; i++)
    value = (value << 8) | p[i];
  return value;
}

static void
write_be (guint8  *p,
          guint    n,
          guint64  value)
{
  for (guint i = n; i > 0; i--, value >>= 8)
    p[i - 1] = value & 0xff;
}

/* Parses a modified copy of an envelope and returns the error code, or -1 when it parsed. */
static int
parse_error_code (const guint8 *data,
                  gsize         len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HircEnvelope) envelope = hirc_envelope_parse (bytes, &error);

  if (envelope != NULL)
    {
      g_assert_no_error (error);
      return -1;
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == HIRC_CRYPTO_ERROR);
  g_assert_cmpstr (error->message, !=, "");
  return error->code;
}

static void
test_envelope_round_trip (void)
{
  const gsize sizes[] = {
    0, 1, 2, 100, PAD - 1, PAD, PAD + 1, 2 * PAD - 1, 2 * PAD, 10000,
    HIRC_ENVELOPE_MAX_PLAINTEXT - 1, HIRC_ENVELOPE_MAX_PLAINTEXT,
  };
  Parties parties;

  parties_init (&parties);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *plaintext = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(HircEnvelope) envelope = NULL;
      g_autoptr(HircSecureBuffer) opened = NULL;
      g_autoptr(GError) error = NULL;

      randombytes_buf (plaintext, sizes[i]);
      bytes = seal (&parties, plaintext, sizes[i], 1764003599);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, expected_envelope_len (sizes[i]));
      g_assert_cmpuint (g_bytes_get_size (bytes), <=, HIRC_ENVELOPE_MAX_BYTES);

      envelope = hirc_envelope_parse (bytes, &error);
      g_assert_no_error (error);
      g_assert_nonnull (envelope);
      g_assert_cmpuint (envelope->version, ==, 1);
      g_assert_cmpmem (envelope->report_id, HIRC_ID_BYTES, parties.report_id, HIRC_ID_BYTES);
      g_assert_cmpmem (envelope->device_id, HIRC_ID_BYTES, parties.device_id, HIRC_ID_BYTES);
      g_assert_cmpint (envelope->created_hour, ==, 1764003600 - 3600);
      g_assert_cmpuint (g_bytes_get_size (envelope->ciphertext), ==,
                        SEAL_OVERHEAD + (sizes[i] / PAD + 1) * PAD);
      g_assert_true (g_bytes_equal (envelope->bytes, bytes));

      g_assert_true (hirc_envelope_verify (envelope, parties.device_sign_public, &error));
      g_assert_no_error (error);

      opened = hirc_envelope_open (envelope, parties.device_sign_public, parties.intake_seal,
                                   &error);
      g_assert_no_error (error);
      g_assert_nonnull (opened);
      g_assert_cmpmem (opened->data, opened->len, plaintext, sizes[i]);
    }
  parties_clear (&parties);
}

/* Reads a sealed envelope using nothing but ENVELOPE.md and libsodium, as another
 * implementation would. */
static void
test_envelope_matches_spec (void)
{
  static const char report[] = "{\"schema\":\"hirc.report/1\",\"what\":\"shouted at\"}";
  static const char domain[] = "hirc.envelope/1";
  Parties parties;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize size, n, padded_len, unpadded_len = 0;
  const guint8 *secret;
  g_autofree guint8 *message = NULL;
  g_autofree guint8 *padded = NULL;

  parties_init (&parties);
  bytes = seal (&parties, (const guint8 *) report, strlen (report), 1764007199);
  data = g_bytes_get_data (bytes, &size);

  g_assert_cmpmem (data, 4, "HIRC", 4);
  g_assert_cmpuint (data[4], ==, 1);
  g_assert_cmpuint (data[5] | data[6] | data[7], ==, 0);
  g_assert_cmpmem (data + 8, 16, parties.report_id, 16);
  g_assert_cmpmem (data + 24, 16, parties.device_id, 16);
  g_assert_cmpuint (read_be (data + 40, 8), ==, 1764003600);
  n = read_be (data + 48, 4);
  g_assert_cmpuint (n, ==, crypto_box_SEALBYTES + PAD);
  g_assert_cmpuint (size, ==, 52 + n + 64);

  message = g_malloc (sizeof domain + 52 + n);
  memcpy (message, domain, sizeof domain);
  memcpy (message + sizeof domain, data, 52 + n);
  g_assert_cmpint (sizeof domain, ==, 16);
  g_assert_cmpint (crypto_sign_verify_detached (data + 52 + n, message, sizeof domain + 52 + n,
                                                hirc_key_get_public (parties.device_sign_public)),
                   ==, 0);

  padded_len = n - crypto_box_SEALBYTES;
  padded = g_malloc (padded_len);
  secret = hirc_key_get_secret (parties.intake_seal, NULL);
  g_assert_cmpint (crypto_box_seal_open (padded, data + 52, n,
                                         hirc_key_get_public (parties.intake_seal), secret),
                   ==, 0);
  g_assert_cmpint (sodium_unpad (&unpadded_len, padded, padded_len, PAD), ==, 0);
  g_assert_cmpmem (padded, unpadded_len, report, strlen (report));
  /* ISO/IEC 7816-4: 0x80 then zeros. */
  g_assert_cmpuint (padded[unpadded_len], ==, 0x80);
  for (gsize i = unpadded_len + 1; i < padded_len; i++)
    g_assert_cmpuint (padded[i], ==, 0);

  parties_clear (&parties);
}

/* Builds an envelope from ENVELOPE.md alone; padded_plaintext is sealed as it is. */
static GBytes *
build_envelope_by_hand (const Parties *parties,
                        const guint8  *padded_plaintext,
                        gsize          padded_len,
                        guint64        created_hour)
{
  static const char domain[] = "hirc.envelope/1";
  gsize n = crypto_box_SEALBYTES + padded_len;
  gsize total = 52 + n + 64;
  guint8 *buffer = g_malloc0 (sizeof domain + total);
  guint8 *envelope = buffer + sizeof domain;
  GBytes *bytes;

  memcpy (buffer, domain, sizeof domain);
  memcpy (envelope, "HIRC", 4);
  envelope[4] = 1;
  memcpy (envelope + 8, parties->report_id, 16);
  memcpy (envelope + 24, parties->device_id, 16);
  write_be (envelope + 40, 8, created_hour);
  write_be (envelope + 48, 4, n);
  g_assert_cmpint (crypto_box_seal (envelope + 52, padded_plaintext, padded_len,
                                    hirc_key_get_public (parties->intake_seal)), ==, 0);
  g_assert_cmpint (crypto_sign_detached (envelope + 52 + n, NULL, buffer, sizeof domain + 52 + n,
                                         hirc_key_get_secret (parties->device_sign, NULL)),
                   ==, 0);
  bytes = g_bytes_new (envelope, total);
  g_free (buffer);
  return bytes;
}

static void
test_envelope_built_by_hand (void)
{
  static const char report[] = "built from the specification";
  Parties parties;
  g_autofree guint8 *padded = g_malloc0 (2 * PAD);
  gsize padded_len = 0;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) unpadded = NULL;
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(HircEnvelope) bad_padding = NULL;
  g_autoptr(HircSecureBuffer) opened = NULL;
  g_autoptr(GError) error = NULL;

  parties_init (&parties);

  memcpy (padded, report, strlen (report));
  g_assert_cmpint (sodium_pad (&padded_len, padded, strlen (report), PAD, 2 * PAD), ==, 0);
  g_assert_cmpuint (padded_len, ==, PAD);
  good = build_envelope_by_hand (&parties, padded, padded_len, 1764000000);
  envelope = hirc_envelope_parse (good, &error);
  g_assert_no_error (error);
  g_assert_cmpint (envelope->created_hour, ==, 1764000000);
  opened = hirc_envelope_open (envelope, parties.device_sign_public, parties.intake_seal, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (opened->data, opened->len, report, strlen (report));

  /* Correctly sealed and signed, but the block holds no 0x80 marker: open must refuse it. */
  memset (padded, 0, 2 * PAD);
  unpadded = build_envelope_by_hand (&parties, padded, PAD, 1764000000);
  bad_padding = hirc_envelope_parse (unpadded, &error);
  g_assert_no_error (error);
  g_assert_true (hirc_envelope_verify (bad_padding, parties.device_sign_public, &error));
  g_assert_no_error (error);
  g_assert_null (hirc_envelope_open (bad_padding, parties.device_sign_public, parties.intake_seal,
                                     &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_MALFORMED);

  parties_clear (&parties);
}

/* Writes a key file by hand, as ENVELOPE.md describes it. */
static char *
build_key_file (const char   *kind,
                const guint8 *raw,
                gsize         len)
{
  g_autofree char *base64 = g_base64_encode (raw, len);
  g_autofree char *body = g_strdup_printf ("hirc-key 1\nkind %s\nkey %s\n", kind, base64);
  guint8 digest[32];
  char hex[17];

  crypto_generichash (digest, sizeof digest, (const guint8 *) body, strlen (body), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, digest, 8);
  return g_strdup_printf ("%scheck %s\n", body, hex);
}

static void
test_envelope_wrong_key (void)
{
  Parties parties;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(HircKey) other_seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) device_as_seal = NULL;
  g_autoptr(GError) error = NULL;
  guint8 x_secret_and_public[64];
  g_autofree char *key_file = NULL;

  parties_init (&parties);
  bytes = seal_text (&parties, "the kiosk must not be able to read this back");
  envelope = hirc_envelope_parse (bytes, &error);
  g_assert_no_error (error);

  g_assert_null (hirc_envelope_open (envelope, parties.device_sign_public, other_seal, &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_WRONG_KEY);
  g_clear_error (&error);

  /* The kiosk's only secret is its signing key; even turned into an X25519 key it opens
   * nothing. */
  g_assert_cmpint (crypto_sign_ed25519_sk_to_curve25519 (x_secret_and_public,
                                                         hirc_key_get_secret (parties.device_sign,
                                                                              NULL)), ==, 0);
  g_assert_cmpint (crypto_scalarmult_base (x_secret_and_public + 32, x_secret_and_public), ==, 0);
  key_file = build_key_file ("seal-secret", x_secret_and_public, sizeof x_secret_and_public);
  sodium_memzero (x_secret_and_public, sizeof x_secret_and_public);
  device_as_seal = hirc_key_load_from_data ((const guint8 *) key_file, strlen (key_file),
                                            HIRC_KEY_KIND_SEAL_SECRET, &error);
  g_assert_no_error (error);
  g_assert_null (hirc_envelope_open (envelope, parties.device_sign_public, device_as_seal,
                                     &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_WRONG_KEY);

  parties_clear (&parties);
}

/* Passing a signing key where a sealing key belongs is a programmer error, caught loudly. */
static void
test_envelope_wrong_kind (void)
{
  if (g_test_subprocess ())
    {
      Parties parties;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(HircEnvelope) envelope = NULL;
      g_autoptr(HircSecureBuffer) opened = NULL;

      parties_init (&parties);
      bytes = seal_text (&parties, "report");
      envelope = hirc_envelope_parse (bytes, NULL);
      opened = hirc_envelope_open (envelope, parties.device_sign_public, parties.device_sign,
                                   NULL);
      parties_clear (&parties);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*hirc_envelope_open*");
}

/* Every single-bit change anywhere in an envelope is refused, by parse or by the signature. */
static void
test_envelope_bit_flips (void)
{
  Parties parties;
  g_autoptr(GBytes) original = NULL;
  g_autofree guint8 *data = NULL;
  gsize size;
  guint rejected_by_parse = 0, rejected_by_signature = 0;

  parties_init (&parties);
  original = seal_text (&parties, "a short report");
  data = g_bytes_unref_to_data (g_bytes_ref (original), &size);
  g_assert_cmpuint (size, ==, expected_envelope_len (14));

  for (gsize bit = 0; bit < size * 8; bit++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(HircEnvelope) envelope = NULL;
      g_autoptr(HircSecureBuffer) opened = NULL;
      g_autoptr(GError) error = NULL;

      data[bit / 8] ^= 1u << (bit % 8);
      bytes = g_bytes_new_static (data, size);
      envelope = hirc_envelope_parse (bytes, &error);
      if (envelope == NULL)
        {
          g_assert_nonnull (error);
          rejected_by_parse++;
        }
      else
        {
          opened = hirc_envelope_open (envelope, parties.device_sign_public,
                                       parties.intake_seal, &error);
          if (opened != NULL)
            g_error ("flipping bit %" G_GSIZE_FORMAT " gave an envelope that opens", bit);
          g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE);
          rejected_by_signature++;
        }
      g_clear_pointer (&envelope, hirc_envelope_free);
      g_clear_pointer (&bytes, g_bytes_unref);
      data[bit / 8] ^= 1u << (bit % 8);
    }
  g_assert_cmpuint (rejected_by_parse + rejected_by_signature, ==, size * 8);
  g_assert_cmpuint (rejected_by_parse, >, 0);
  g_assert_cmpuint (rejected_by_signature, >, 0);

  /* The loop restored every bit: the original still opens. */
  {
    g_autoptr(GBytes) restored = g_bytes_new (data, size);
    g_autoptr(HircEnvelope) envelope = hirc_envelope_parse (restored, NULL);
    g_autoptr(HircSecureBuffer) opened = NULL;

    g_assert_nonnull (envelope);
    opened = hirc_envelope_open (envelope, parties.device_sign_public, parties.intake_seal, NULL);
    g_assert_nonnull (opened);
    g_assert_cmpmem (opened->data, opened->len, "a short report", 14);
  }
  parties_clear (&parties);
}

static void
test_envelope_other_device (void)
{
  static const char domain[] = "hirc.envelope/1";
  Parties parties;
  g_autoptr(HircKey) other_device = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) other_device_public = hirc_key_dup_public (other_device);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) resigned_bytes = NULL;
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(HircEnvelope) resigned = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *message = NULL;
  g_autofree guint8 *data = NULL;
  gsize size, signed_len;

  parties_init (&parties);
  bytes = seal_text (&parties, "report");
  envelope = hirc_envelope_parse (bytes, &error);
  g_assert_no_error (error);

  /* Another kiosk's key does not verify this kiosk's envelope... */
  g_assert_false (hirc_envelope_verify (envelope, other_device_public, &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* ...and a valid signature by another kiosk over the same bytes is refused under this
   * kiosk's key, though that other key accepts it. */
  data = g_bytes_unref_to_data (g_bytes_ref (bytes), &size);
  signed_len = size - 64;
  message = g_malloc (sizeof domain + signed_len);
  memcpy (message, domain, sizeof domain);
  memcpy (message + sizeof domain, data, signed_len);
  g_assert_cmpint (crypto_sign_detached (data + signed_len, NULL, message,
                                         sizeof domain + signed_len,
                                         hirc_key_get_secret (other_device, NULL)), ==, 0);
  resigned_bytes = g_bytes_new (data, size);
  resigned = hirc_envelope_parse (resigned_bytes, &error);
  g_assert_no_error (error);
  g_assert_false (hirc_envelope_verify (resigned, parties.device_sign_public, &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  g_assert_null (hirc_envelope_open (resigned, parties.device_sign_public, parties.intake_seal,
                                     &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  g_assert_true (hirc_envelope_verify (resigned, other_device_public, &error));
  g_assert_no_error (error);

  parties_clear (&parties);
}

static void
test_envelope_version (void)
{
  Parties parties;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *data = NULL;
  gsize size;
  const guint8 versions[] = { 0, 2, 3, 0x81, 0xff };

  parties_init (&parties);
  bytes = seal_text (&parties, "report");
  data = g_bytes_unref_to_data (g_bytes_ref (bytes), &size);

  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      data[4] = versions[i];
      g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION);
      /* A newer version may change everything after it, even the length rules. */
      g_assert_cmpint (parse_error_code (data, 60), ==, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION);
    }
  /* The magic is checked first. */
  data[4] = 2;
  data[0] = 'h';
  g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_MALFORMED);

  parties_clear (&parties);
}

static void
test_envelope_malformed (void)
{
  Parties parties;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *original = NULL;
  g_autofree guint8 *data = NULL;
  g_autofree guint8 *longer = NULL;
  g_autofree guint8 *huge = NULL;
  gsize size;
  gsize n;

  parties_init (&parties);
  bytes = seal_text (&parties, "report");
  original = g_bytes_unref_to_data (g_bytes_ref (bytes), &size);
  data = g_memdup2 (original, size);
  g_assert_cmpint (parse_error_code (data, size), ==, -1);
  n = read_be (data + 48, 4);

  for (guint i = 0; i < 4; i++)
    {
      data[i] ^= 0x20;
      g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_MALFORMED);
      data[i] ^= 0x20;
    }
  for (guint i = 5; i < 8; i++)
    {
      data[i] = 1;
      g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_MALFORMED);
      data[i] = 0;
    }

  /* A creation time that is not a whole hour says more about the reporter than it should. */
  write_be (data + 40, 8, 1764000001);
  g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_MALFORMED);
  write_be (data + 40, 8, G_MAXUINT64 - G_MAXUINT64 % 3600);
  g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_MALFORMED);
  memcpy (data, original, size);

  /* Lengths that padding can never produce. */
  {
    const guint64 bad_lengths[] = {
      0, 1, crypto_box_SEALBYTES, crypto_box_SEALBYTES + PAD - 1, n - 1, n + 1,
      crypto_box_SEALBYTES + PAD + 100,
    };

    for (gsize i = 0; i < G_N_ELEMENTS (bad_lengths); i++)
      {
        write_be (data + 48, 4, bad_lengths[i]);
        g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_MALFORMED);
      }
  }
  /* A possible length, but more than the envelope holds. */
  write_be (data + 48, 4, n + PAD);
  g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_TRUNCATED);
  /* More than any envelope may hold. */
  write_be (data + 48, 4, G_MAXUINT32);
  g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_TOO_LARGE);
  write_be (data + 48, 4, crypto_box_SEALBYTES + 64 * PAD);
  g_assert_cmpint (parse_error_code (data, size), ==, HIRC_CRYPTO_ERROR_TOO_LARGE);
  memcpy (data, original, size);

  /* Trailing bytes. */
  longer = g_malloc0 (size + 1);
  memcpy (longer, original, size);
  g_assert_cmpint (parse_error_code (longer, size + 1), ==, HIRC_CRYPTO_ERROR_MALFORMED);

  /* Beyond the largest envelope, even when consistent with its declared length. */
  {
    gsize huge_n = crypto_box_SEALBYTES + 64 * PAD;
    gsize huge_size = 52 + huge_n + 64;

    g_assert_cmpuint (huge_size, >, HIRC_ENVELOPE_MAX_BYTES);
    huge = g_malloc0 (huge_size);
    memcpy (huge, original, 52);
    write_be (huge + 48, 4, huge_n);
    g_assert_cmpint (parse_error_code (huge, huge_size), ==, HIRC_CRYPTO_ERROR_TOO_LARGE);
  }

  parties_clear (&parties);
}

static void
test_envelope_truncated (void)
{
  Parties parties;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize size;

  parties_init (&parties);
  bytes = seal_text (&parties, "report");
  data = g_bytes_get_data (bytes, &size);
  for (gsize len = 0; len < size; len++)
    g_assert_cmpint (parse_error_code (data, len), ==, HIRC_CRYPTO_ERROR_TRUNCATED);
  g_assert_cmpint (parse_error_code (data, size), ==, -1);
  parties_clear (&parties);
}

static void
test_envelope_padding_hides_length (void)
{
  Parties parties;
  g_autofree guint8 *text = g_malloc0 (2 * PAD);
  g_autoptr(GBytes) short_one = NULL;
  g_autoptr(GBytes) long_one = NULL;
  g_autoptr(GBytes) block_minus_one = NULL;
  g_autoptr(GBytes) block = NULL;

  parties_init (&parties);
  memset (text, 'x', 2 * PAD);
  short_one = seal (&parties, text, 10, 1764000000);
  long_one = seal (&parties, text, 4000, 1764000000);
  g_assert_cmpuint (g_bytes_get_size (short_one), ==, g_bytes_get_size (long_one));

  block_minus_one = seal (&parties, text, PAD - 1, 1764000000);
  block = seal (&parties, text, PAD, 1764000000);
  g_assert_cmpuint (g_bytes_get_size (block_minus_one), ==, g_bytes_get_size (short_one));
  g_assert_cmpuint (g_bytes_get_size (block), ==, g_bytes_get_size (block_minus_one) + PAD);

  /* Sealing is randomised: the same report never gives the same bytes twice. */
  {
    g_autoptr(GBytes) again = seal (&parties, text, 10, 1764000000);

    g_assert_false (g_bytes_equal (again, short_one));
  }
  parties_clear (&parties);
}

static void
test_envelope_created_hour (void)
{
  const struct { gint64 unix_time; gint64 hour; } cases[] = {
    { 0, 0 },
    { 1, 0 },
    { 3599, 0 },
    { 3600, 3600 },
    { 1764000000, 1764000000 },
    { 1764003599, 1764000000 },
    { 1764003600, 1764003600 },
  };
  Parties parties;

  parties_init (&parties);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = seal (&parties, (const guint8 *) "r", 1, cases[i].unix_time);
      g_autoptr(HircEnvelope) envelope = hirc_envelope_parse (bytes, NULL);

      g_assert_nonnull (envelope);
      g_assert_cmpint (envelope->created_hour, ==, cases[i].hour);
      g_assert_cmpuint (read_be ((const guint8 *) g_bytes_get_data (bytes, NULL) + 40, 8), ==,
                        (guint64) cases[i].hour);
    }
  parties_clear (&parties);
}

static void
test_envelope_too_large (void)
{
  Parties parties;
  g_autofree guint8 *text = g_malloc0 (HIRC_ENVELOPE_MAX_PLAINTEXT + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  parties_init (&parties);
  bytes = hirc_envelope_seal (text, HIRC_ENVELOPE_MAX_PLAINTEXT + 1, parties.report_id,
                              parties.device_id, 1764000000, parties.intake_seal_public,
                              parties.device_sign, &error);
  g_assert_null (bytes);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_TOO_LARGE);
  parties_clear (&parties);
}

static void
test_envelope_hash (void)
{
  /* The SHA-256 test vector from FIPS 180-2. */
  static const guint8 abc_sha256[HIRC_HASH_BYTES] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
  };
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  guint8 hash[HIRC_HASH_BYTES];
  guint8 other[HIRC_HASH_BYTES];
  Parties parties;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;

  hirc_envelope_hash (abc, hash);
  g_assert_cmpmem (hash, sizeof hash, abc_sha256, sizeof abc_sha256);

  parties_init (&parties);
  first = seal_text (&parties, "report");
  second = seal_text (&parties, "report");
  hirc_envelope_hash (first, hash);
  hirc_envelope_hash (second, other);
  g_assert_true (memcmp (hash, other, sizeof hash) != 0);
  parties_clear (&parties);
}

static void
test_keys_generate (void)
{
  g_autoptr(HircKey) seal_key = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) sign_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) seal_public = hirc_key_dup_public (seal_key);
  g_autoptr(HircKey) sign_public = hirc_key_dup_public (sign_key);
  g_autoptr(HircKey) extra_ref = hirc_key_ref (seal_key);
  guint8 derived[32];
  gsize len = 0;
  const guint8 *secret;

  g_assert_true (extra_ref == seal_key);
  g_assert_cmpint (hirc_key_get_kind (seal_key), ==, HIRC_KEY_KIND_SEAL_SECRET);
  g_assert_cmpint (hirc_key_get_kind (sign_key), ==, HIRC_KEY_KIND_SIGN_SECRET);
  g_assert_cmpint (hirc_key_get_kind (seal_public), ==, HIRC_KEY_KIND_SEAL_PUBLIC);
  g_assert_cmpint (hirc_key_get_kind (sign_public), ==, HIRC_KEY_KIND_SIGN_PUBLIC);
  g_assert_true (hirc_key_is_secret (seal_key));
  g_assert_true (hirc_key_is_secret (sign_key));
  g_assert_false (hirc_key_is_secret (seal_public));
  g_assert_false (hirc_key_is_secret (sign_public));

  secret = hirc_key_get_secret (seal_key, &len);
  g_assert_cmpuint (len, ==, 32);
  g_assert_cmpint (crypto_scalarmult_base (derived, secret), ==, 0);
  g_assert_cmpmem (derived, 32, hirc_key_get_public (seal_key), 32);
  g_assert_cmpmem (hirc_key_get_public (seal_public), 32, hirc_key_get_public (seal_key), 32);

  secret = hirc_key_get_secret (sign_key, &len);
  g_assert_cmpuint (len, ==, 64);
  g_assert_cmpmem (secret + 32, 32, hirc_key_get_public (sign_key), 32);
  g_assert_cmpmem (hirc_key_get_public (sign_public), 32, hirc_key_get_public (sign_key), 32);

  g_assert_cmpstr (hirc_key_kind_to_string (HIRC_KEY_KIND_SEAL_PUBLIC), ==, "seal-public");
  g_assert_cmpstr (hirc_key_kind_to_string (HIRC_KEY_KIND_SEAL_SECRET), ==, "seal-secret");
  g_assert_cmpstr (hirc_key_kind_to_string (HIRC_KEY_KIND_SIGN_PUBLIC), ==, "sign-public");
  g_assert_cmpstr (hirc_key_kind_to_string (HIRC_KEY_KIND_SIGN_SECRET), ==, "sign-secret");

  /* Two keys are never the same. */
  {
    g_autoptr(HircKey) another = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);

    g_assert_true (memcmp (hirc_key_get_public (another), hirc_key_get_public (seal_key), 32)
                   != 0);
  }
}

static void
test_keys_public_base64 (void)
{
  g_autoptr(HircKey) sign_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) seal_key = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autofree char *sign_base64 = hirc_key_public_to_base64 (sign_key);
  g_autofree char *seal_base64 = hirc_key_public_to_base64 (seal_key);
  g_autofree guint8 *decoded = NULL;
  gsize decoded_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(HircKey) sign_public = NULL;
  g_autoptr(HircKey) seal_public = NULL;
  guint8 zeros[32] = { 0 };
  g_autofree char *zeros_base64 = g_base64_encode (zeros, sizeof zeros);
  g_autofree char *short_base64 = g_base64_encode (hirc_key_get_public (sign_key), 31);
  g_autofree char *long_base64 = NULL;
  g_autofree char *unpadded = g_strdup (sign_base64);
  g_autofree char *spaced = g_strdup_printf (" %s", sign_base64);
  g_autofree char *newline = g_strdup_printf ("%s\n", sign_base64);
  g_autofree char *url_safe = NULL;
  guint8 long_key[33];

  /* Standard base64, with padding, exactly as GLib writes it. */
  decoded = g_base64_decode (sign_base64, &decoded_len);
  g_assert_cmpmem (decoded, decoded_len, hirc_key_get_public (sign_key), 32);
  g_assert_cmpuint (strlen (sign_base64), ==, 44);
  g_assert_true (g_str_has_suffix (sign_base64, "="));

  sign_public = hirc_key_new_public_from_base64 (HIRC_KEY_KIND_SIGN_PUBLIC, sign_base64, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_public (sign_public), 32, hirc_key_get_public (sign_key), 32);
  seal_public = hirc_key_new_public_from_base64 (HIRC_KEY_KIND_SEAL_PUBLIC, seal_base64, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_public (seal_public), 32, hirc_key_get_public (seal_key), 32);

  memcpy (long_key, hirc_key_get_public (sign_key), 32);
  long_key[32] = 0;
  long_base64 = g_base64_encode (long_key, sizeof long_key);
  unpadded[43] = '\0';
  /* A key that has + or / in its base64 spelled the URL-safe way. */
  for (;;)
    {
      g_autoptr(HircKey) candidate = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
      g_autofree char *text = hirc_key_public_to_base64 (candidate);

      if (strchr (text, '+') != NULL || strchr (text, '/') != NULL)
        {
          url_safe = g_strdelimit (g_steal_pointer (&text), "+", '-');
          g_strdelimit (url_safe, "/", '_');
          break;
        }
    }

  {
    const char *invalid[] = {
      "", "not base64 at all", short_base64, long_base64, unpadded, spaced, newline, url_safe,
    };

    for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
      {
        g_autoptr(HircKey) key = hirc_key_new_public_from_base64 (HIRC_KEY_KIND_SIGN_PUBLIC,
                                                                  invalid[i], &error);

        g_assert_null (key);
        g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
        g_clear_error (&error);
      }
  }

  /* All zeros decodes to 32 bytes but is no one's public key, for either kind. */
  for (HircKeyKind kind = HIRC_KEY_KIND_SEAL_PUBLIC; kind <= HIRC_KEY_KIND_SIGN_PUBLIC; kind += 2)
    {
      g_autoptr(HircKey) key = hirc_key_new_public_from_base64 (kind, zeros_base64, &error);

      g_assert_null (key);
      g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
      g_clear_error (&error);
    }

  /* The raw constructor checks the length. */
  {
    g_autoptr(HircKey) key = hirc_key_new_public (HIRC_KEY_KIND_SIGN_PUBLIC, long_key, 33,
                                                  &error);

    g_assert_null (key);
    g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
  }
}

static void
test_keys_fingerprint (void)
{
  static const char domain[] = "hirc.fingerprint/1";
  g_autoptr(HircKey) seal_key = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) seal_public = hirc_key_dup_public (seal_key);
  g_autoptr(HircKey) sign_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) sign_public = hirc_key_dup_public (sign_key);
  g_autoptr(HircKey) same_bytes_as_seal = NULL;
  g_autofree char *seal_fingerprint = hirc_key_fingerprint (seal_key);
  g_autofree char *seal_again = hirc_key_fingerprint (seal_key);
  g_autofree char *seal_public_fingerprint = hirc_key_fingerprint (seal_public);
  g_autofree char *sign_fingerprint = hirc_key_fingerprint (sign_key);
  g_autofree char *sign_public_fingerprint = hirc_key_fingerprint (sign_public);
  g_autofree char *expected = NULL;
  g_autofree char *expected_grouped = NULL;
  g_autofree char *kind_fingerprint = NULL;
  guint8 message[sizeof domain + 1 + 32];
  guint8 digest[20];

  g_assert_cmpstr (seal_fingerprint, ==, seal_again);
  g_assert_cmpstr (seal_fingerprint, ==, seal_public_fingerprint);
  g_assert_cmpstr (sign_fingerprint, ==, sign_public_fingerprint);
  g_assert_cmpstr (seal_fingerprint, !=, sign_fingerprint);

  for (const char *const *fp = (const char *const[]) { seal_fingerprint, sign_fingerprint, NULL };
       *fp != NULL; fp++)
    {
      g_assert_cmpuint (strlen (*fp), ==, 39);
      for (gsize i = 0; i < 39; i++)
        {
          if (i % 5 == 4)
            g_assert_cmpint ((*fp)[i], ==, '-');
          else
            g_assert_nonnull (strchr ("0123456789ABCDEFGHJKMNPQRSTVWXYZ", (*fp)[i]));
        }
    }

  /* As ENVELOPE.md defines it: BLAKE2b-160 over the tag, its NUL, the public kind, the key. */
  memcpy (message, domain, sizeof domain);
  message[sizeof domain] = 3;
  memcpy (message + sizeof domain + 1, hirc_key_get_public (sign_key), 32);
  crypto_generichash (digest, sizeof digest, message, sizeof message, NULL, 0);
  expected = hirc_base32_encode (digest, sizeof digest);
  expected_grouped = hirc_base32_group (expected, 4, '-');
  g_assert_cmpstr (sign_fingerprint, ==, expected_grouped);

  /* The kind is part of it: the same 32 bytes as a sealing key read out differently. */
  same_bytes_as_seal = hirc_key_new_public (HIRC_KEY_KIND_SEAL_PUBLIC,
                                            hirc_key_get_public (sign_key), 32, NULL);
  g_assert_nonnull (same_bytes_as_seal);
  kind_fingerprint = hirc_key_fingerprint (same_bytes_as_seal);
  g_assert_cmpstr (kind_fingerprint, !=, sign_fingerprint);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpuint (st.st_mode & 07777, ==, mode);
}

static void
write_file (const char   *path,
            const guint8 *data,
            gsize         len,
            guint         mode)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fchmod (fd, mode), ==, 0);
  if (len > 0)
    g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  g_assert_cmpint (close (fd), ==, 0);
}

static guint
count_entries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* A secret key, its public half, and both kinds of each, as saved and loaded. */
static void
generate_all_kinds (HircKey *keys[4])
{
  keys[0] = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  keys[1] = hirc_key_dup_public (keys[0]);
  keys[2] = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  keys[3] = hirc_key_dup_public (keys[2]);
}

static void
free_all_kinds (HircKey *keys[4])
{
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&keys[i], hirc_key_unref);
}

static void
test_keys_file_round_trip (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  HircKey *keys[4];

  generate_all_kinds (keys);
  for (guint i = 0; i < 4; i++)
    {
      HircKeyKind kind = hirc_key_get_kind (keys[i]);
      g_autofree char *path = g_build_filename (folder, hirc_key_kind_to_string (kind), NULL);
      g_autofree char *contents = NULL;
      g_autofree char *prefix = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(HircKey) loaded = NULL;
      g_auto(GStrv) lines = NULL;
      gsize raw_len = hirc_key_is_secret (keys[i]) ? 64 : 32;

      g_assert_true (hirc_key_save (keys[i], path, &error));
      g_assert_no_error (error);
      assert_mode (path, 0600);

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      prefix = g_strdup_printf ("hirc-key 1\nkind %s\nkey ", hirc_key_kind_to_string (kind));
      g_assert_true (g_str_has_prefix (contents, prefix));
      lines = g_strsplit (contents, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 5);
      g_assert_cmpstr (lines[4], ==, "");
      g_assert_cmpuint (strlen (lines[2]), ==, 4 + 4 * ((raw_len + 2) / 3));
      g_assert_true (g_str_has_prefix (lines[3], "check "));
      g_assert_cmpuint (strlen (lines[3]), ==, 6 + 16);

      loaded = hirc_key_load (path, kind, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_cmpint (hirc_key_get_kind (loaded), ==, kind);
      g_assert_cmpmem (hirc_key_get_public (loaded), 32, hirc_key_get_public (keys[i]), 32);
      if (hirc_key_is_secret (keys[i]))
        {
          gsize len = 0, loaded_len = 0;
          const guint8 *secret = hirc_key_get_secret (keys[i], &len);
          const guint8 *loaded_secret = hirc_key_get_secret (loaded, &loaded_len);

          g_assert_cmpmem (loaded_secret, loaded_len, secret, len);
        }
      hirc_secure_wipe_string (contents);
    }
  free_all_kinds (keys);
  hirc_test_remove_tree (folder);
}

/* Key files written by hand from ENVELOPE.md load, and say what they hold. */
static void
test_keys_file_matches_spec (void)
{
  g_autoptr(HircKey) seal_key = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) sign_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  guint8 seal_raw[64];
  g_autofree char *seal_file = NULL;
  g_autofree char *sign_file = NULL;
  g_autofree char *sign_public_file = NULL;
  g_autoptr(HircKey) seal_loaded = NULL;
  g_autoptr(HircKey) sign_loaded = NULL;
  g_autoptr(HircKey) sign_public_loaded = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (seal_raw, hirc_key_get_secret (seal_key, NULL), 32);
  memcpy (seal_raw + 32, hirc_key_get_public (seal_key), 32);
  seal_file = build_key_file ("seal-secret", seal_raw, 64);
  sign_file = build_key_file ("sign-secret", hirc_key_get_secret (sign_key, NULL), 64);
  sign_public_file = build_key_file ("sign-public", hirc_key_get_public (sign_key), 32);

  seal_loaded = hirc_key_load_from_data ((const guint8 *) seal_file, strlen (seal_file),
                                         HIRC_KEY_KIND_SEAL_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_secret (seal_loaded, NULL), 32, seal_raw, 32);
  g_assert_cmpmem (hirc_key_get_public (seal_loaded), 32, seal_raw + 32, 32);

  sign_loaded = hirc_key_load_from_data ((const guint8 *) sign_file, strlen (sign_file),
                                         HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_secret (sign_loaded, NULL), 64,
                   hirc_key_get_secret (sign_key, NULL), 64);

  sign_public_loaded = hirc_key_load_from_data ((const guint8 *) sign_public_file,
                                                strlen (sign_public_file),
                                                HIRC_KEY_KIND_SIGN_PUBLIC, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_public (sign_public_loaded), 32,
                   hirc_key_get_public (sign_key), 32);

  /* The library writes the same bytes as the specification. */
  {
    g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
    g_autofree char *path = g_build_filename (folder, "seal.key", NULL);
    g_autofree char *written = NULL;

    g_assert_true (hirc_key_save (seal_key, path, &error));
    g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
    g_assert_cmpstr (written, ==, seal_file);
    hirc_secure_wipe_string (written);
    hirc_test_remove_tree (folder);
  }
  sodium_memzero (seal_raw, sizeof seal_raw);
  hirc_secure_wipe_string (seal_file);
  hirc_secure_wipe_string (sign_file);
}

static void
test_keys_file_insecure (void)
{
  const guint modes[] = { 0640, 0604, 0620, 0602, 0610, 0601, 0660, 0644, 0666, 0700 | 0044 };
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  HircKey *keys[4];

  generate_all_kinds (keys);
  for (guint k = 0; k < 4; k++)
    {
      HircKeyKind kind = hirc_key_get_kind (keys[k]);
      g_autofree char *path = g_build_filename (folder, hirc_key_kind_to_string (kind), NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (hirc_key_save (keys[k], path, &error));
      for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
        {
          g_autoptr(HircKey) loaded = NULL;

          g_assert_cmpint (g_chmod (path, modes[i]), ==, 0);
          loaded = hirc_key_load (path, kind, &error);
          if (hirc_key_is_secret (keys[k]))
            {
              g_assert_null (loaded);
              g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE);
              g_assert_nonnull (strstr (error->message, path));
              g_assert_nonnull (strstr (error->message, "chmod 600"));
              g_clear_error (&error);
            }
          else
            {
              /* Public keys are no secret: anyone may read them. */
              g_assert_no_error (error);
              g_assert_nonnull (loaded);
            }
        }

      /* Owner-only modes are accepted. */
      for (guint mode = 0400; mode <= 0700; mode += 0100)
        {
          g_autoptr(HircKey) loaded = NULL;

          g_assert_cmpint (g_chmod (path, mode), ==, 0);
          loaded = hirc_key_load (path, kind, &error);
          g_assert_no_error (error);
          g_assert_nonnull (loaded);
        }
    }
  free_all_kinds (keys);
  hirc_test_remove_tree (folder);
}

static void
test_keys_file_owner (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(HircKey) key = NULL;
  g_autoptr(HircKey) loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("only root can give a file to another user");
      return;
    }

  folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  path = g_build_filename (folder, "device.key", NULL);
  key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_assert_true (hirc_key_save (key, path, &error));
  g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
  assert_mode (path, 0600);

  loaded = hirc_key_load (path, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE);
  g_assert_nonnull (strstr (error->message, path));
  hirc_test_remove_tree (folder);
}

static void
test_keys_file_not_regular (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  g_autofree char *path = g_build_filename (folder, "device.key", NULL);
  g_autofree char *link = g_build_filename (folder, "link.key", NULL);
  g_autofree char *subfolder = g_build_filename (folder, "folder.key", NULL);
  g_autofree char *fifo = g_build_filename (folder, "fifo.key", NULL);
  g_autoptr(HircKey) key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hirc_key_save (key, path, &error));

  g_assert_cmpint (symlink (path, link), ==, 0);
  loaded = hirc_key_load (link, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE);
  g_assert_nonnull (strstr (error->message, link));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (subfolder, 0700), ==, 0);
  loaded = hirc_key_load (subfolder, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
  g_clear_error (&error);

  /* A FIFO would block a plain open until someone writes to it. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  loaded = hirc_key_load (fifo, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);

  hirc_test_remove_tree (folder);
}

static void
test_keys_file_truncated (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  g_autofree char *truncated_path = g_build_filename (folder, "truncated.key", NULL);
  HircKey *keys[4];

  generate_all_kinds (keys);
  for (guint k = 0; k < 4; k++)
    {
      HircKeyKind kind = hirc_key_get_kind (keys[k]);
      g_autofree char *path = g_build_filename (folder, hirc_key_kind_to_string (kind), NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GError) error = NULL;

      g_assert_true (hirc_key_save (keys[k], path, &error));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

      for (gsize cut = 0; cut < len; cut++)
        {
          g_autoptr(HircKey) from_data = NULL;
          g_autoptr(HircKey) from_file = NULL;

          from_data = hirc_key_load_from_data ((const guint8 *) contents, cut, kind, &error);
          g_assert_null (from_data);
          g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
          g_clear_error (&error);

          write_file (truncated_path, (const guint8 *) contents, cut, 0600);
          from_file = hirc_key_load (truncated_path, kind, &error);
          g_assert_null (from_file);
          g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
          g_assert_nonnull (strstr (error->message, truncated_path));
          g_clear_error (&error);
        }
      hirc_secure_wipe_string (contents);
    }
  free_all_kinds (keys);
  hirc_test_remove_tree (folder);
}

static void
test_keys_file_altered (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  g_autofree char *altered_path = g_build_filename (folder, "altered.key", NULL);
  const guint8 flips[] = { 0x01, 0x20, 0x80 };
  HircKey *keys[4];

  generate_all_kinds (keys);
  for (guint k = 0; k < 4; k++)
    {
      HircKeyKind kind = hirc_key_get_kind (keys[k]);
      g_autofree char *path = g_build_filename (folder, hirc_key_kind_to_string (kind), NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GError) error = NULL;

      g_assert_true (hirc_key_save (keys[k], path, &error));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

      for (gsize pos = 0; pos < len; pos++)
        for (gsize f = 0; f < G_N_ELEMENTS (flips); f++)
          {
            g_autoptr(HircKey) loaded = NULL;

            contents[pos] ^= flips[f];
            loaded = hirc_key_load_from_data ((const guint8 *) contents, len, kind, &error);
            g_assert_null (loaded);
            /* "hirc-key 1" turned into "hirc-key 0" reads as a version from elsewhere. */
            if (pos == 9 && flips[f] == 0x01)
              g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION);
            else
              g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
            g_clear_error (&error);

            /* Through a file too, for a sample of positions. */
            if (pos % 7 == 0)
              {
                write_file (altered_path, (const guint8 *) contents, len, 0600);
                loaded = hirc_key_load (altered_path, kind, &error);
                g_assert_null (loaded);
                g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
                g_clear_error (&error);
              }
            contents[pos] ^= flips[f];
          }

      /* Extra bytes after the last line, and a CRLF file, are not key files either. */
      {
        g_autofree char *longer = g_strdup_printf ("%s\n", contents);
        g_autofree char *crlf = NULL;
        g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
        g_autoptr(HircKey) loaded = NULL;

        loaded = hirc_key_load_from_data ((const guint8 *) longer, strlen (longer), kind, &error);
        g_assert_null (loaded);
        g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
        g_clear_error (&error);

        crlf = g_strjoinv ("\r\n", lines);
        loaded = hirc_key_load_from_data ((const guint8 *) crlf, strlen (crlf), kind, &error);
        g_assert_null (loaded);
        g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
        g_clear_error (&error);
        hirc_secure_wipe_string (longer);
        hirc_secure_wipe_string (crlf);
        for (guint i = 0; lines[i] != NULL; i++)
          hirc_secure_wipe_string (lines[i]);
      }

      /* The original still loads, so every refusal above was the change's doing. */
      {
        g_autoptr(HircKey) loaded = hirc_key_load_from_data ((const guint8 *) contents, len,
                                                             kind, &error);

        g_assert_no_error (error);
        g_assert_nonnull (loaded);
      }
      hirc_secure_wipe_string (contents);
    }
  free_all_kinds (keys);
  hirc_test_remove_tree (folder);
}

static void
test_keys_file_version (void)
{
  g_autoptr(HircKey) key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autofree char *v1 = build_key_file ("sign-public", hirc_key_get_public (key), 32);
  g_autofree char *v2 = g_strdup (v1);
  g_autofree char *newer = g_strdup ("hirc-key 2\nsomething else entirely\n");
  g_autoptr(HircKey) loaded = NULL;
  g_autoptr(GError) error = NULL;

  v2[9] = '2';
  loaded = hirc_key_load_from_data ((const guint8 *) v2, strlen (v2), HIRC_KEY_KIND_SIGN_PUBLIC,
                                    &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION);
  g_clear_error (&error);

  loaded = hirc_key_load_from_data ((const guint8 *) newer, strlen (newer),
                                    HIRC_KEY_KIND_SIGN_PUBLIC, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION);
}

static void
test_keys_file_wrong_kind (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  HircKey *keys[4];

  generate_all_kinds (keys);
  for (guint k = 0; k < 4; k++)
    {
      HircKeyKind kind = hirc_key_get_kind (keys[k]);
      g_autofree char *path = g_build_filename (folder, hirc_key_kind_to_string (kind), NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (hirc_key_save (keys[k], path, &error));
      for (HircKeyKind expected = HIRC_KEY_KIND_SEAL_PUBLIC;
           expected <= HIRC_KEY_KIND_SIGN_SECRET; expected++)
        {
          g_autoptr(HircKey) loaded = NULL;

          if (expected == kind)
            continue;
          loaded = hirc_key_load (path, expected, &error);
          g_assert_null (loaded);
          /* Saved 0600 by its owner, so every file passes the permission check and the kind
           * line is what refuses it. */
          g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_WRONG_KIND);
          g_assert_nonnull (strstr (error->message, path));
          g_clear_error (&error);
        }
    }
  free_all_kinds (keys);
  hirc_test_remove_tree (folder);
}

/* A secret key file whose public half is another key's, with a correct check value. */
static void
test_keys_file_mismatch (void)
{
  g_autoptr(HircKey) seal_key = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) other_seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) sign_key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) other_sign = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  guint8 raw[64];
  g_autofree char *seal_file = NULL;
  g_autofree char *sign_file = NULL;
  g_autoptr(HircKey) loaded = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (raw, hirc_key_get_secret (seal_key, NULL), 32);
  memcpy (raw + 32, hirc_key_get_public (other_seal), 32);
  seal_file = build_key_file ("seal-secret", raw, 64);
  loaded = hirc_key_load_from_data ((const guint8 *) seal_file, strlen (seal_file),
                                    HIRC_KEY_KIND_SEAL_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
  g_clear_error (&error);

  memcpy (raw, hirc_key_get_secret (sign_key, NULL), 32);
  memcpy (raw + 32, hirc_key_get_public (other_sign), 32);
  sign_file = build_key_file ("sign-secret", raw, 64);
  loaded = hirc_key_load_from_data ((const guint8 *) sign_file, strlen (sign_file),
                                    HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);

  sodium_memzero (raw, sizeof raw);
  hirc_secure_wipe_string (seal_file);
  hirc_secure_wipe_string (sign_file);
}

static void
test_keys_file_io (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  g_autofree char *missing = g_build_filename (folder, "missing.key", NULL);
  g_autofree char *in_missing_folder = g_build_filename (folder, "nowhere", "device.key", NULL);
  g_autofree char *oversized = g_build_filename (folder, "oversized.key", NULL);
  g_autofree char *big = NULL;
  g_autoptr(HircKey) key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = hirc_key_load (missing, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_false (hirc_key_save (key, in_missing_folder, &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, in_missing_folder));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (folder), ==, 0);

  /* A file beyond 4 KiB is not a key file, whatever it starts with. */
  big = g_strnfill (5000, 'A');
  memcpy (big, "hirc-key 1\n", 11);
  write_file (oversized, (const guint8 *) big, 5000, 0600);
  loaded = hirc_key_load (oversized, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);
  g_clear_error (&error);
  loaded = hirc_key_load_from_data ((const guint8 *) big, 5000, HIRC_KEY_KIND_SIGN_SECRET,
                                    &error);
  g_assert_null (loaded);
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID);

  hirc_test_remove_tree (folder);
}

static void
test_keys_file_atomic (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  g_autofree char *path = g_build_filename (folder, "device.key", NULL);
  g_autoptr(HircKey) first = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) second = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  g_assert_true (hirc_key_save (first, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (folder), ==, 1);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  /* Even an existing file with a loose mode is replaced by a new 0600 file, never rewritten in
   * place. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (hirc_key_save (second, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (folder), ==, 1);
  assert_mode (path, 0600);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);

  loaded = hirc_key_load (path, HIRC_KEY_KIND_SIGN_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hirc_key_get_public (loaded), 32, hirc_key_get_public (second), 32);

  /* Saving over a symbolic link replaces the link, and never writes through it. */
  {
    g_autofree char *target = g_build_filename (folder, "target", NULL);
    g_autofree char *link = g_build_filename (folder, "link.key", NULL);
    g_autofree char *target_contents = NULL;

    write_file (target, (const guint8 *) "untouched", 9, 0644);
    g_assert_cmpint (symlink (target, link), ==, 0);
    g_assert_true (hirc_key_save (first, link, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (target, &target_contents, NULL, NULL));
    g_assert_cmpstr (target_contents, ==, "untouched");
    assert_mode (link, 0600);
    g_assert_cmpuint (count_entries (folder), ==, 3);
  }
  hirc_test_remove_tree (folder);
}

/* A failure after the temporary file exists removes it: here the target is a folder, so the
 * rename fails. */
static void
test_keys_file_failed_save (void)
{
  g_autofree char *folder = hirc_test_make_temp_dir ("hirc-test-crypto");
  g_autofree char *path = g_build_filename (folder, "device.key", NULL);
  g_autofree char *inside = g_build_filename (path, "something", NULL);
  g_autoptr(HircKey) key = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  write_file (inside, (const guint8 *) "x", 1, 0600);
  g_assert_false (hirc_key_save (key, path, &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpuint (count_entries (folder), ==, 1);
  hirc_test_remove_tree (folder);
}

static void
test_receipt (void)
{
  static const char domain[] = "hirc.receipt/1";
  g_autoptr(HircKey) intake = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) intake_public = hirc_key_dup_public (intake);
  g_autoptr(HircKey) other = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(GError) error = NULL;
  HircReceipt receipt = { 0 };
  HircReceipt tampered;
  guint8 message[sizeof domain + 16 + 32 + 8];

  randombytes_buf (receipt.report_id, sizeof receipt.report_id);
  randombytes_buf (receipt.envelope_hash, sizeof receipt.envelope_hash);
  receipt.received_at = 1764001234;
  hirc_receipt_sign (&receipt, intake);

  g_assert_true (hirc_receipt_verify (&receipt, intake_public, &error));
  g_assert_no_error (error);

  /* As ENVELOPE.md defines the signed string. */
  memcpy (message, domain, sizeof domain);
  memcpy (message + sizeof domain, receipt.report_id, 16);
  memcpy (message + sizeof domain + 16, receipt.envelope_hash, 32);
  write_be (message + sizeof domain + 48, 8, 1764001234);
  g_assert_cmpint (crypto_sign_verify_detached (receipt.signature, message, sizeof message,
                                                hirc_key_get_public (intake)), ==, 0);

  g_assert_false (hirc_receipt_verify (&receipt, other, &error));
  g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  for (guint field = 0; field < 4; field++)
    for (guint bit = 0; bit < 8; bit++)
      {
        tampered = receipt;
        switch (field)
          {
          case 0:
            tampered.report_id[bit] ^= 1u << bit;
            break;
          case 1:
            tampered.envelope_hash[31 - bit] ^= 1u << bit;
            break;
          case 2:
            tampered.received_at ^= G_GINT64_CONSTANT (1) << (bit * 8);
            break;
          default:
            tampered.signature[bit * 8] ^= 1u << bit;
            break;
          }
        g_assert_false (hirc_receipt_verify (&tampered, intake_public, &error));
        g_assert_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE);
        g_clear_error (&error);
      }
}

static void
test_pin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = hirc_pin_hash ("482913", &error);
  g_autofree char *again = NULL;
  char weaker[crypto_pwhash_STRBYTES];
  char argon2i[crypto_pwhash_STRBYTES];

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_nonnull (strstr (hash, "$m=65536,t=3,"));
  g_assert_null (strstr (hash, "482913"));

  g_assert_true (hirc_pin_verify (hash, "482913"));
  g_assert_false (hirc_pin_verify (hash, "482914"));
  g_assert_false (hirc_pin_verify (hash, "48291"));
  g_assert_false (hirc_pin_verify (hash, ""));
  g_assert_false (hirc_pin_verify ("not a hash", "482913"));
  g_assert_false (hirc_pin_verify ("", "482913"));
  g_assert_false (hirc_pin_needs_rehash (hash));

  /* A fresh salt every time. */
  again = hirc_pin_hash ("482913", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, !=, hash);
  g_assert_true (hirc_pin_verify (again, "482913"));

  g_assert_cmpint (crypto_pwhash_str_alg (weaker, "482913", 6, 2, 32 * 1024 * 1024,
                                          crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  g_assert_true (hirc_pin_verify (weaker, "482913"));
  g_assert_true (hirc_pin_needs_rehash (weaker));

  g_assert_cmpint (crypto_pwhash_str_alg (argon2i, "482913", 6, 3, 64 * 1024 * 1024,
                                          crypto_pwhash_ALG_ARGON2I13), ==, 0);
  g_assert_true (hirc_pin_needs_rehash (argon2i));
  g_assert_true (hirc_pin_needs_rehash ("not a hash"));
}

static void
test_secure_buffer (void)
{
  g_autoptr(HircSecureBuffer) empty = hirc_secure_buffer_new (0);
  g_autoptr(HircSecureBuffer) copy = hirc_secure_buffer_new_from_data ("secret", 6);

  g_assert_nonnull (empty->data);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpmem (copy->data, copy->len, "secret", 6);
}

/* Freed buffers may be kept for reuse: whatever a new buffer gets, old or new memory, it never
 * holds what an earlier one held, and every byte of it can be written. */
static void
test_secure_buffer_reuse (void)
{
  static const gsize sizes[] = { 0, 1, 100, 4079, 4080, 4081, 9000, 16 * 1024, 40000 };

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        HircSecureBuffer *old = hirc_secure_buffer_new (sizes[i]);
        g_autoptr(HircSecureBuffer) reused = NULL;

        memset (old->data, 0xa5, old->len);
        hirc_secure_buffer_free (old);

        reused = hirc_secure_buffer_new (sizes[i]);
        g_assert_cmpuint (reused->len, ==, sizes[i]);
        for (gsize j = 0; j < reused->len; j++)
          g_assert_cmphex (reused->data[j], !=, 0xa5);
        memset (reused->data, 0x5a, reused->len);
      }
}

/* The byte after a buffer is a guard page, for a new buffer and for one made from a region that
 * was freed and kept. */
static void
test_secure_buffer_guard (gconstpointer user_data)
{
  gsize len = GPOINTER_TO_SIZE (user_data);

  if (g_test_subprocess ())
    {
      HircSecureBuffer *first = hirc_secure_buffer_new (len);
      HircSecureBuffer *second;

      first->data[len - 1] = 1;
      hirc_secure_buffer_free (first);
      second = hirc_secure_buffer_new (len);
      second->data[len - 1] = 1;
      /* Past the end: this must fault. */
      ((volatile guint8 *) second->data)[len] = 1;
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
}

/* Run in a child, because hardening lasts for the rest of the process. */
static void
test_process_harden (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      struct rlimit limit;

      g_assert_true (hirc_process_harden (&error));
      g_assert_no_error (error);
      g_assert_cmpint (getrlimit (RLIMIT_CORE, &limit), ==, 0);
      g_assert_cmpuint (limit.rlim_cur, ==, 0);
      g_assert_cmpuint (limit.rlim_max, ==, 0);
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!hirc_secure_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/crypto/envelope/round-trip", test_envelope_round_trip);
  g_test_add_func ("/crypto/envelope/matches-spec", test_envelope_matches_spec);
  g_test_add_func ("/crypto/envelope/built-by-hand", test_envelope_built_by_hand);
  g_test_add_func ("/crypto/envelope/wrong-key", test_envelope_wrong_key);
  g_test_add_func ("/crypto/envelope/wrong-kind", test_envelope_wrong_kind);
  g_test_add_func ("/crypto/envelope/bit-flips", test_envelope_bit_flips);
  g_test_add_func ("/crypto/envelope/other-device", test_envelope_other_device);
  g_test_add_func ("/crypto/envelope/version", test_envelope_version);
  g_test_add_func ("/crypto/envelope/malformed", test_envelope_malformed);
  g_test_add_func ("/crypto/envelope/truncated", test_envelope_truncated);
  g_test_add_func ("/crypto/envelope/padding-hides-length", test_envelope_padding_hides_length);
  g_test_add_func ("/crypto/envelope/created-hour", test_envelope_created_hour);
  g_test_add_func ("/crypto/envelope/too-large", test_envelope_too_large);
  g_test_add_func ("/crypto/envelope/hash", test_envelope_hash);
  g_test_add_func ("/crypto/keys/generate", test_keys_generate);
  g_test_add_func ("/crypto/keys/public-base64", test_keys_public_base64);
  g_test_add_func ("/crypto/keys/fingerprint", test_keys_fingerprint);
  g_test_add_func ("/crypto/keys/file-round-trip", test_keys_file_round_trip);
  g_test_add_func ("/crypto/keys/file-matches-spec", test_keys_file_matches_spec);
  g_test_add_func ("/crypto/keys/file-insecure", test_keys_file_insecure);
  g_test_add_func ("/crypto/keys/file-owner", test_keys_file_owner);
  g_test_add_func ("/crypto/keys/file-not-regular", test_keys_file_not_regular);
  g_test_add_func ("/crypto/keys/file-truncated", test_keys_file_truncated);
  g_test_add_func ("/crypto/keys/file-altered", test_keys_file_altered);
  g_test_add_func ("/crypto/keys/file-version", test_keys_file_version);
  g_test_add_func ("/crypto/keys/file-wrong-kind", test_keys_file_wrong_kind);
  g_test_add_func ("/crypto/keys/file-mismatch", test_keys_file_mismatch);
  g_test_add_func ("/crypto/keys/file-io", test_keys_file_io);
  g_test_add_func ("/crypto/keys/file-atomic", test_keys_file_atomic);
  g_test_add_func ("/crypto/keys/file-failed-save", test_keys_file_failed_save);
  g_test_add_func ("/crypto/receipt", test_receipt);
  g_test_add_func ("/crypto/pin", test_pin);
  g_test_add_func ("/crypto/secure/buffer", test_secure_buffer);
  g_test_add_func ("/crypto/secure/buffer-reuse", test_secure_buffer_reuse);
  g_test_add_data_func ("/crypto/secure/buffer-guard/100", GSIZE_TO_POINTER (100),
                        test_secure_buffer_guard);
  g_test_add_data_func ("/crypto/secure/buffer-guard/4096", GSIZE_TO_POINTER (4096),
                        test_secure_buffer_guard);
  g_test_add_func ("/crypto/secure/harden", test_process_harden);

  return g_test_run ();
}
