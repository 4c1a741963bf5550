/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-keys.h: the project's key pairs, their files and their fingerprints. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sealing keys (X25519) and signing keys (Ed25519) are separate kinds, so no key is ever used
 * for both. A secret key always carries its public half. */
typedef enum
{
  HIRC_KEY_KIND_SEAL_PUBLIC = 1,
  HIRC_KEY_KIND_SEAL_SECRET = 2,
  HIRC_KEY_KIND_SIGN_PUBLIC = 3,
  HIRC_KEY_KIND_SIGN_SECRET = 4,
} HircKeyKind;

#define HIRC_KEY_PUBLIC_BYTES 32

typedef struct _HircKey HircKey;

/* kind is HIRC_KEY_KIND_SEAL_SECRET or HIRC_KEY_KIND_SIGN_SECRET. */
HircKey     *hirc_key_generate              (HircKeyKind    kind);
HircKey     *hirc_key_new_public            (HircKeyKind    kind,
                                             const guint8  *public_key,
                                             gsize          len,
                                             GError       **error);
/* Parses the base64 of a public key as it appears in a provisioning bundle. */
HircKey     *hirc_key_new_public_from_base64 (HircKeyKind   kind,
                                              const char   *base64,
                                              GError      **error);
HircKey     *hirc_key_dup_public            (const HircKey *key);
HircKey     *hirc_key_ref                   (HircKey       *key);
void         hirc_key_unref                 (HircKey       *key);

HircKeyKind  hirc_key_get_kind              (const HircKey *key);
gboolean     hirc_key_is_secret             (const HircKey *key);
/* Always HIRC_KEY_PUBLIC_BYTES long. */
const guint8 *hirc_key_get_public           (const HircKey *key);
char        *hirc_key_public_to_base64      (const HircKey *key);
/* Only for secret keys; points into guarded memory owned by the key. */
const guint8 *hirc_key_get_secret           (const HircKey *key,
                                             gsize         *len);

/* A fingerprint of the public half, for people to compare by reading aloud: 160 bits of
 * BLAKE2b over a domain tag, the kind and the key, as eight groups of four Crockford base32
 * characters ("7KQ2-M9XD-…"). */
char        *hirc_key_fingerprint           (const HircKey *key);

/* Key files have a versioned text header naming their kind. They are written atomically (a
 * temporary file, fsync, rename, fsync of the folder) with mode 0600. Loading refuses a file of
 * another kind, a truncated or altered one, and a secret key file that anyone but its owner can
 * read. */
gboolean     hirc_key_save                  (const HircKey *key,
                                             const char    *path,
                                             GError       **error);
HircKey     *hirc_key_load                  (const char    *path,
                                             HircKeyKind    expected_kind,
                                             GError       **error);
/* The same parsing on bytes already read, for the fuzz target and for bundles. */
HircKey     *hirc_key_load_from_data        (const guint8  *data,
                                             gsize          len,
                                             HircKeyKind    expected_kind,
                                             GError       **error);

const char  *hirc_key_kind_to_string        (HircKeyKind    kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircKey, hirc_key_unref)

G_END_DECLS
