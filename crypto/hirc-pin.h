/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-pin.h: staff PINs, stored only as Argon2id hashes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns a crypto_pwhash_str string, or NULL with an error when memory runs out. */
char     *hirc_pin_hash        (const char *pin,
                                GError    **error);
gboolean  hirc_pin_verify      (const char *stored_hash,
                                const char *pin);
/* TRUE when the hash was made with weaker parameters than today's, so it should be redone. */
gboolean  hirc_pin_needs_rehash (const char *stored_hash);

G_END_DECLS
