/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-keys.c: key pairs in guarded memory, their files (see ENVELOPE.md) and fingerprints. */

#include "hirc-crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_FILE_MAGIC          "hirc-key "
#define KEY_FILE_VERSION        "1"
#define KEY_FILE_CHECK_BYTES    8
#define KEY_FILE_CHECK_HASH_BYTES 32
/* A real key file is under 200 bytes; anything much larger is not one, and a bound keeps a
 * hostile file from making us allocate without limit. */
#define KEY_FILE_MAX_BYTES      4096
#define SEAL_SECRET_BYTES       crypto_box_SECRETKEYBYTES
#define SIGN_SECRET_BYTES       crypto_sign_SECRETKEYBYTES
/* The largest key a file carries: a secret key with its public half. */
#define KEY_FILE_MAX_KEY_BYTES  64

G_STATIC_ASSERT (HIRC_KEY_PUBLIC_BYTES == crypto_box_PUBLICKEYBYTES);
G_STATIC_ASSERT (HIRC_KEY_PUBLIC_BYTES == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (SEAL_SECRET_BYTES + HIRC_KEY_PUBLIC_BYTES == KEY_FILE_MAX_KEY_BYTES);
G_STATIC_ASSERT (SIGN_SECRET_BYTES == KEY_FILE_MAX_KEY_BYTES);

static const char fingerprint_domain[] = "hirc.fingerprint/1";

struct _HircKey
{
  HircKeyKind kind;
  guint8 public_key[HIRC_KEY_PUBLIC_BYTES];
  /* NULL for a public key; 32 bytes for X25519, libsodium's 64 for Ed25519 (seed || public). */
  HircSecureBuffer *secret;
};

static gboolean
kind_is_valid (HircKeyKind kind)
{
  return kind >= HIRC_KEY_KIND_SEAL_PUBLIC && kind <= HIRC_KEY_KIND_SIGN_SECRET;
}

static gboolean
kind_is_secret (HircKeyKind kind)
{
  return kind == HIRC_KEY_KIND_SEAL_SECRET || kind == HIRC_KEY_KIND_SIGN_SECRET;
}

static HircKeyKind
kind_public_of (HircKeyKind kind)
{
  return kind == HIRC_KEY_KIND_SEAL_SECRET || kind == HIRC_KEY_KIND_SEAL_PUBLIC
         ? HIRC_KEY_KIND_SEAL_PUBLIC : HIRC_KEY_KIND_SIGN_PUBLIC;
}

/* How many bytes the "key" line of a file of this kind decodes to. */
static gsize
kind_file_key_bytes (HircKeyKind kind)
{
  switch (kind)
    {
    case HIRC_KEY_KIND_SEAL_SECRET:
      return SEAL_SECRET_BYTES + HIRC_KEY_PUBLIC_BYTES;
    case HIRC_KEY_KIND_SIGN_SECRET:
      return SIGN_SECRET_BYTES;
    case HIRC_KEY_KIND_SEAL_PUBLIC:
    case HIRC_KEY_KIND_SIGN_PUBLIC:
    default:
      return HIRC_KEY_PUBLIC_BYTES;
    }
}

static void
hirc_key_clear (HircKey *key)
{
  g_clear_pointer (&key->secret, hirc_secure_buffer_free);
}

static HircKey *
hirc_key_alloc (HircKeyKind kind)
{
  HircKey *key = g_atomic_rc_box_new0 (HircKey);

  key->kind = kind;
  return key;
}

/* Refuses public keys that no honest peer could have: for Ed25519 a point that is not canonical
 * or not in the prime-order subgroup, for X25519 a point of small order, with which sealing
 * would produce an all-zero shared secret. Catching them here turns a corrupt provisioning
 * bundle into a clear error instead of a failure on the first report. */
static gboolean
public_key_is_usable (HircKeyKind   public_kind,
                      const guint8 *public_key)
{
  if (public_kind == HIRC_KEY_KIND_SIGN_PUBLIC)
    return crypto_core_ed25519_is_valid_point (public_key) == 1;

  /* Clamping turns any scalar into a multiple of the cofactor 8 that the prime order does not
   * divide, so the product is the identity exactly when the point's order divides 8; libsodium
   * reports that as failure. */
  static const guint8 probe[crypto_scalarmult_SCALARBYTES] = { 1 };
  guint8 product[crypto_scalarmult_BYTES];
  gboolean usable = crypto_scalarmult (product, probe, public_key) == 0;

  sodium_memzero (product, sizeof product);
  return usable;
}

HircKey *
hirc_key_generate (HircKeyKind kind)
{
  HircKey *key;

  g_return_val_if_fail (kind == HIRC_KEY_KIND_SEAL_SECRET || kind == HIRC_KEY_KIND_SIGN_SECRET,
                        NULL);

  key = hirc_key_alloc (kind);
  if (kind == HIRC_KEY_KIND_SEAL_SECRET)
    {
      key->secret = hirc_secure_buffer_new (SEAL_SECRET_BYTES);
      crypto_box_keypair (key->public_key, key->secret->data);
    }
  else
    {
      key->secret = hirc_secure_buffer_new (SIGN_SECRET_BYTES);
      crypto_sign_keypair (key->public_key, key->secret->data);
    }
  return key;
}

HircKey *
hirc_key_new_public (HircKeyKind    kind,
                     const guint8  *public_key,
                     gsize          len,
                     GError       **error)
{
  HircKey *key;

  g_return_val_if_fail (kind == HIRC_KEY_KIND_SEAL_PUBLIC || kind == HIRC_KEY_KIND_SIGN_PUBLIC,
                        NULL);
  g_return_val_if_fail (public_key != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len != HIRC_KEY_PUBLIC_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "The %s key is %" G_GSIZE_FORMAT " bytes long, but a public key must be "
                   "exactly %d bytes long.",
                   hirc_key_kind_to_string (kind), len, HIRC_KEY_PUBLIC_BYTES);
      return NULL;
    }
  if (!public_key_is_usable (kind, public_key))
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "The %s key is not a valid public key.", hirc_key_kind_to_string (kind));
      return NULL;
    }

  key = hirc_key_alloc (kind);
  memcpy (key->public_key, public_key, HIRC_KEY_PUBLIC_BYTES);
  return key;
}

HircKey *
hirc_key_new_public_from_base64 (HircKeyKind   kind,
                                 const char   *base64,
                                 GError      **error)
{
  guint8 decoded[HIRC_KEY_PUBLIC_BYTES];
  gsize decoded_len = 0;
  const char *end = NULL;
  gsize base64_len;

  g_return_val_if_fail (kind == HIRC_KEY_KIND_SEAL_PUBLIC || kind == HIRC_KEY_KIND_SIGN_PUBLIC,
                        NULL);
  g_return_val_if_fail (base64 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Standard base64 with its padding and no whitespace: one spelling per key, so a bundle that
   * was damaged in transit is refused rather than half-read. */
  base64_len = strlen (base64);
  if (sodium_base642bin (decoded, sizeof decoded, base64, base64_len, NULL, &decoded_len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || end != base64 + base64_len
      || decoded_len != HIRC_KEY_PUBLIC_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "The %s key is not the standard base64 of a %d-byte public key.",
                   hirc_key_kind_to_string (kind), HIRC_KEY_PUBLIC_BYTES);
      return NULL;
    }
  return hirc_key_new_public (kind, decoded, decoded_len, error);
}

HircKey *
hirc_key_dup_public (const HircKey *key)
{
  HircKey *copy;

  g_return_val_if_fail (key != NULL, NULL);

  copy = hirc_key_alloc (kind_public_of (key->kind));
  memcpy (copy->public_key, key->public_key, HIRC_KEY_PUBLIC_BYTES);
  return copy;
}

HircKey *
hirc_key_ref (HircKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_atomic_rc_box_acquire (key);
}

void
hirc_key_unref (HircKey *key)
{
  g_return_if_fail (key != NULL);

  g_atomic_rc_box_release_full (key, (GDestroyNotify) hirc_key_clear);
}

HircKeyKind
hirc_key_get_kind (const HircKey *key)
{
  g_return_val_if_fail (key != NULL, 0);

  return key->kind;
}

gboolean
hirc_key_is_secret (const HircKey *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return key->secret != NULL;
}

const guint8 *
hirc_key_get_public (const HircKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->public_key;
}

char *
hirc_key_public_to_base64 (const HircKey *key)
{
  char *base64;
  gsize base64_size = sodium_base64_ENCODED_LEN (HIRC_KEY_PUBLIC_BYTES,
                                                 sodium_base64_VARIANT_ORIGINAL);

  g_return_val_if_fail (key != NULL, NULL);

  base64 = g_malloc (base64_size);
  sodium_bin2base64 (base64, base64_size, key->public_key, HIRC_KEY_PUBLIC_BYTES,
                     sodium_base64_VARIANT_ORIGINAL);
  return base64;
}

const guint8 *
hirc_key_get_secret (const HircKey *key,
                     gsize         *len)
{
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key->secret != NULL, NULL);

  if (len != NULL)
    *len = key->secret->len;
  return key->secret->data;
}

char *
hirc_key_fingerprint (const HircKey *key)
{
  guint8 message[sizeof fingerprint_domain + 1 + HIRC_KEY_PUBLIC_BYTES];
  guint8 digest[20];
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  /* The domain tag includes its NUL; the kind is the public one, so that a secret key and its
   * public half read out the same fingerprint. */
  memcpy (message, fingerprint_domain, sizeof fingerprint_domain);
  message[sizeof fingerprint_domain] = (guint8) kind_public_of (key->kind);
  memcpy (message + sizeof fingerprint_domain + 1, key->public_key, HIRC_KEY_PUBLIC_BYTES);
  crypto_generichash (digest, sizeof digest, message, sizeof message, NULL, 0);

  encoded = hirc_base32_encode (digest, sizeof digest);
  return hirc_base32_group (encoded, 4, '-');
}

const char *
hirc_key_kind_to_string (HircKeyKind kind)
{
  switch (kind)
    {
    case HIRC_KEY_KIND_SEAL_PUBLIC:
      return "seal-public";
    case HIRC_KEY_KIND_SEAL_SECRET:
      return "seal-secret";
    case HIRC_KEY_KIND_SIGN_PUBLIC:
      return "sign-public";
    case HIRC_KEY_KIND_SIGN_SECRET:
      return "sign-secret";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The key file's text. It holds the secret in base64, so it is built in guarded memory. */

typedef struct
{
  HircSecureBuffer *buffer;
  gsize len;
} TextBuilder;

static void
text_append (TextBuilder *builder,
             const char  *text,
             gsize        len)
{
  g_assert (len <= builder->buffer->len - builder->len);
  memcpy (builder->buffer->data + builder->len, text, len);
  builder->len += len;
}

static void
text_append_string (TextBuilder *builder,
                    const char  *text)
{
  text_append (builder, text, strlen (text));
}

static void
key_file_check (const guint8 *text,
                gsize         len,
                char          hex[KEY_FILE_CHECK_BYTES * 2 + 1])
{
  guint8 digest[KEY_FILE_CHECK_HASH_BYTES];

  crypto_generichash (digest, sizeof digest, text, len, NULL, 0);
  sodium_bin2hex (hex, KEY_FILE_CHECK_BYTES * 2 + 1, digest, KEY_FILE_CHECK_BYTES);
  sodium_memzero (digest, sizeof digest);
}

/* Returns the whole file in a buffer whose len is the file's length. */
static HircSecureBuffer *
key_file_build (const HircKey *key)
{
  gsize key_bytes = kind_file_key_bytes (key->kind);
  gsize base64_size = sodium_base64_ENCODED_LEN (KEY_FILE_MAX_KEY_BYTES,
                                                 sodium_base64_VARIANT_ORIGINAL);
  g_autoptr(HircSecureBuffer) raw = hirc_secure_buffer_new (key_bytes);
  g_autoptr(HircSecureBuffer) base64 = hirc_secure_buffer_new (base64_size);
  TextBuilder builder = { hirc_secure_buffer_new (KEY_FILE_MAX_BYTES), 0 };
  char check[KEY_FILE_CHECK_BYTES * 2 + 1];

  if (key->kind == HIRC_KEY_KIND_SEAL_SECRET)
    {
      memcpy (raw->data, key->secret->data, SEAL_SECRET_BYTES);
      memcpy (raw->data + SEAL_SECRET_BYTES, key->public_key, HIRC_KEY_PUBLIC_BYTES);
    }
  else if (key->kind == HIRC_KEY_KIND_SIGN_SECRET)
    memcpy (raw->data, key->secret->data, SIGN_SECRET_BYTES);
  else
    memcpy (raw->data, key->public_key, HIRC_KEY_PUBLIC_BYTES);

  sodium_bin2base64 ((char *) base64->data, base64->len, raw->data, raw->len,
                     sodium_base64_VARIANT_ORIGINAL);

  text_append_string (&builder, KEY_FILE_MAGIC KEY_FILE_VERSION "\n" "kind ");
  text_append_string (&builder, hirc_key_kind_to_string (key->kind));
  text_append_string (&builder, "\nkey ");
  text_append_string (&builder, (const char *) base64->data);
  text_append_string (&builder, "\n");
  key_file_check (builder.buffer->data, builder.len, check);
  text_append_string (&builder, "check ");
  text_append_string (&builder, check);
  text_append_string (&builder, "\n");

  builder.buffer->len = builder.len;
  return builder.buffer;
}

/* Splits off the line starting at *pos (without its newline); FALSE when no newline ends it. */
static gboolean
next_line (const guint8  *data,
           gsize          len,
           gsize         *pos,
           const guint8 **line,
           gsize         *line_len)
{
  const guint8 *newline = memchr (data + *pos, '\n', len - *pos);

  if (newline == NULL)
    return FALSE;
  *line = data + *pos;
  *line_len = (gsize) (newline - *line);
  *pos += *line_len + 1;
  return TRUE;
}

/* Strips a fixed prefix from a line; FALSE when the line does not start with it. */
static gboolean
strip_prefix (const guint8 **line,
              gsize         *line_len,
              const char    *prefix)
{
  gsize prefix_len = strlen (prefix);

  if (*line_len < prefix_len || memcmp (*line, prefix, prefix_len) != 0)
    return FALSE;
  *line += prefix_len;
  *line_len -= prefix_len;
  return TRUE;
}

static gboolean
value_equals (const guint8 *value,
              gsize         value_len,
              const char   *expected)
{
  return value_len == strlen (expected) && memcmp (value, expected, value_len) == 0;
}

static void
set_invalid (GError     **error,
             const char  *what)
{
  g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
               "%s is not a valid HIRC key file.", what);
}

/* Parses a whole key file; what names it in messages ("The key file /x/device.key"). Every check
 * that can be made before trusting the contents comes first: the version (a newer format may
 * have other lines), then the check value over the text, and only then its meaning. */
static HircKey *
key_file_parse (const guint8  *data,
                gsize          len,
                HircKeyKind    expected_kind,
                const char    *what,
                GError       **error)
{
  const guint8 *line;
  gsize line_len;
  const guint8 *kind_value, *key_value, *check_value;
  gsize kind_len, key_len, check_len;
  gsize pos = 0;
  gsize checked_len;
  HircKeyKind kind = 0;
  char check[KEY_FILE_CHECK_BYTES * 2 + 1];
  g_autoptr(HircSecureBuffer) raw = NULL;
  gsize raw_len = 0;
  const char *base64_end = NULL;
  HircKey *key;

  if (len > KEY_FILE_MAX_BYTES)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "%s is too large to be a HIRC key file.", what);
      return NULL;
    }

  if (!next_line (data, len, &pos, &line, &line_len) || !strip_prefix (&line, &line_len,
                                                                       KEY_FILE_MAGIC))
    {
      set_invalid (error, what);
      return NULL;
    }
  if (!value_equals (line, line_len, KEY_FILE_VERSION))
    {
      gboolean is_number = line_len > 0 && line_len <= 9;

      for (gsize i = 0; i < line_len && is_number; i++)
        is_number = g_ascii_isdigit (line[i]);
      if (!is_number)
        {
          set_invalid (error, what);
          return NULL;
        }
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_UNKNOWN_VERSION,
                   "%s has format version %.*s, which this version of the software cannot read.",
                   what, (int) line_len, (const char *) line);
      return NULL;
    }

  if (!next_line (data, len, &pos, &kind_value, &kind_len)
      || !strip_prefix (&kind_value, &kind_len, "kind ")
      || !next_line (data, len, &pos, &key_value, &key_len)
      || !strip_prefix (&key_value, &key_len, "key "))
    {
      set_invalid (error, what);
      return NULL;
    }
  /* The check value covers the first three lines, newlines included. */
  checked_len = pos;
  if (!next_line (data, len, &pos, &check_value, &check_len)
      || !strip_prefix (&check_value, &check_len, "check ")
      || pos != len)
    {
      set_invalid (error, what);
      return NULL;
    }

  /* The writer uses lower-case hex; comparing the text rather than decoded bytes keeps one
   * spelling per file, so that any changed byte is noticed. */
  key_file_check (data, checked_len, check);
  if (check_len != KEY_FILE_CHECK_BYTES * 2 || sodium_memcmp (check, check_value, check_len) != 0)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "%s is damaged: its check value does not match its contents.", what);
      return NULL;
    }

  for (HircKeyKind k = HIRC_KEY_KIND_SEAL_PUBLIC; k <= HIRC_KEY_KIND_SIGN_SECRET; k++)
    if (value_equals (kind_value, kind_len, hirc_key_kind_to_string (k)))
      kind = k;
  if (kind == 0)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "%s names a kind of key that this version of the software does not know.",
                   what);
      return NULL;
    }
  if (kind != expected_kind)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_WRONG_KIND,
                   "%s holds a %s key, but a %s key was expected.", what,
                   hirc_key_kind_to_string (kind), hirc_key_kind_to_string (expected_kind));
      return NULL;
    }

  /* The secret is decoded straight into guarded memory. */
  raw = hirc_secure_buffer_new (KEY_FILE_MAX_KEY_BYTES);
  if (sodium_base642bin (raw->data, raw->len, (const char *) key_value, key_len, NULL, &raw_len,
                         &base64_end, sodium_base64_VARIANT_ORIGINAL) != 0
      || base64_end != (const char *) key_value + key_len
      || raw_len != kind_file_key_bytes (kind))
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "%s is damaged: its key is not the base64 of a %s key.", what,
                   hirc_key_kind_to_string (kind));
      return NULL;
    }

  if (!kind_is_secret (kind))
    {
      g_autoptr(GError) local_error = NULL;

      key = hirc_key_new_public (kind, raw->data, raw_len, &local_error);
      if (key == NULL)
        g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                     "%s is damaged: it does not hold a valid %s key.", what,
                     hirc_key_kind_to_string (kind));
      return key;
    }

  /* A secret key's public half is derived again from the secret rather than trusted: a file
   * whose halves disagree would sign or open with one key while showing another's fingerprint.
   * For Ed25519 the public half is re-derived from the seed, because libsodium's
   * crypto_sign_ed25519_sk_to_pk only copies the stored half. */
  key = hirc_key_alloc (kind);
  if (kind == HIRC_KEY_KIND_SEAL_SECRET)
    {
      guint8 derived[HIRC_KEY_PUBLIC_BYTES];
      gboolean matches;

      matches = crypto_scalarmult_base (derived, raw->data) == 0
                && sodium_memcmp (derived, raw->data + SEAL_SECRET_BYTES, sizeof derived) == 0;
      if (matches)
        {
          key->secret = hirc_secure_buffer_new_from_data (raw->data, SEAL_SECRET_BYTES);
          memcpy (key->public_key, derived, HIRC_KEY_PUBLIC_BYTES);
        }
    }
  else
    {
      guint8 derived[HIRC_KEY_PUBLIC_BYTES];
      g_autoptr(HircSecureBuffer) derived_secret = hirc_secure_buffer_new (SIGN_SECRET_BYTES);

      crypto_sign_seed_keypair (derived, derived_secret->data, raw->data);
      if (sodium_memcmp (derived_secret->data, raw->data, SIGN_SECRET_BYTES) == 0)
        {
          key->secret = hirc_secure_buffer_new_from_data (raw->data, SIGN_SECRET_BYTES);
          memcpy (key->public_key, derived, HIRC_KEY_PUBLIC_BYTES);
        }
    }
  if (key->secret == NULL)
    {
      hirc_key_unref (key);
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "%s is damaged: its public key does not match its secret key.", what);
      return NULL;
    }
  return key;
}

HircKey *
hirc_key_load_from_data (const guint8  *data,
                         gsize          len,
                         HircKeyKind    expected_kind,
                         GError       **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (kind_is_valid (expected_kind), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return key_file_parse (data != NULL ? data : (const guint8 *) "", len, expected_kind,
                         "The key data", error);
}

/* Reads an opened key file into guarded memory, one byte more than any key file may have so that
 * an oversized file is noticed. */
static HircSecureBuffer *
read_key_file (int          fd,
               const char  *path,
               GError     **error)
{
  g_autoptr(HircSecureBuffer) buffer = hirc_secure_buffer_new (KEY_FILE_MAX_BYTES + 1);
  gsize total = 0;

  while (total < buffer->len)
    {
      ssize_t got = read (fd, buffer->data + total, buffer->len - total);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved_errno = errno;

          g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO,
                       "Could not read the key file %s: %s.", path, g_strerror (saved_errno));
          return NULL;
        }
      if (got == 0)
        break;
      total += (gsize) got;
    }
  buffer->len = total;
  return g_steal_pointer (&buffer);
}

/* Checks the opened file before any of it is read: a regular file and, for a secret key, owned
 * by us and closed to everyone else. */
static gboolean
check_key_file (int           fd,
                const char   *path,
                HircKeyKind   expected_kind,
                GError      **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO,
                   "Could not examine the key file %s: %s.", path, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INVALID,
                   "The key file %s is not a regular file.", path);
      return FALSE;
    }
  if (!kind_is_secret (expected_kind))
    return TRUE;
  if (st.st_uid != geteuid ())
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE,
                   "The key file %s belongs to another user; it must belong to the user that "
                   "runs the kiosk (chown).", path);
      return FALSE;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE,
                   "The key file %s can be read or changed by other users; it must be "
                   "accessible only by its owner (chmod 600).", path);
      return FALSE;
    }
  return TRUE;
}

HircKey *
hirc_key_load (const char    *path,
               HircKeyKind    expected_kind,
               GError       **error)
{
  g_autoptr(HircSecureBuffer) contents = NULL;
  g_autofree char *what = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (kind_is_valid (expected_kind), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* No symbolic links: whoever can change a link could point the kiosk at a key of their
   * choosing. O_NONBLOCK keeps a FIFO planted at the path from hanging us before the check. */
  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ELOOP)
        g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_KEY_FILE_INSECURE,
                     "The key file %s is a symbolic link; give the path of the file itself.",
                     path);
      else
        g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO,
                     "Could not open the key file %s: %s.", path, g_strerror (saved_errno));
      return NULL;
    }
  if (check_key_file (fd, path, expected_kind, error))
    contents = read_key_file (fd, path, error);
  close (fd);
  if (contents == NULL)
    return NULL;

  what = g_strdup_printf ("The key file %s", path);
  return key_file_parse (contents->data, contents->len, expected_kind, what, error);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t written = write (fd, data, len);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return FALSE;
      data += written;
      len -= (gsize) written;
    }
  return TRUE;
}

static void
set_save_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_IO,
               "Could not save the key file %s: %s.", path, g_strerror (saved_errno));
}

/* Makes the rename itself durable: without it a power cut can bring back the old file, or
 * none at all. */
static gboolean
sync_folder (const char  *folder,
             const char  *path,
             GError     **error)
{
  int fd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int saved_errno;

  if (fd < 0)
    {
      set_save_error (error, path, errno);
      return FALSE;
    }
  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      set_save_error (error, path, saved_errno);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
hirc_key_save (const HircKey *key,
               const char    *path,
               GError       **error)
{
  g_autoptr(HircSecureBuffer) text = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *temp_path = NULL;
  int saved_errno;
  int fd;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = key_file_build (key);
  folder = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  /* In the same folder, so that the rename is atomic; hidden, so nobody takes it for a key. */
  temp_path = g_strdup_printf ("%s/.%s.XXXXXX", folder, name);

  /* g_mkstemp_full adds O_CREAT | O_EXCL and a fresh random name. The explicit fchmod makes the
   * mode 0600 whatever the umask. */
  fd = g_mkstemp_full (temp_path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      set_save_error (error, path, errno);
      return FALSE;
    }
  if (fchmod (fd, 0600) != 0 || !write_all (fd, text->data, text->len) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      unlink (temp_path);
      set_save_error (error, path, saved_errno);
      return FALSE;
    }
  if (close (fd) != 0 || rename (temp_path, path) != 0)
    {
      saved_errno = errno;
      unlink (temp_path);
      set_save_error (error, path, saved_errno);
      return FALSE;
    }
  return sync_folder (folder, path, error);
}
