/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-base32.h: Crockford base32, for codes people read aloud (fingerprints, reference codes). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Encodes len bytes, most significant bit first, without padding; the result has
 * ceil(len * 8 / 5) characters from 0123456789ABCDEFGHJKMNPQRSTVWXYZ. */
char    *hirc_base32_encode     (const guint8 *data,
                                 gsize         len);

/* The value 0..31 of one character, accepting lower case and the confusable letters Crockford
 * maps (O→0, I and L→1); -1 for a character that is not base32. */
int      hirc_base32_value      (char          c);

/* Inserts sep every group characters: "ABCDEFGH" → "ABCD-EFGH". */
char    *hirc_base32_group      (const char   *encoded,
                                 guint         group,
                                 char          sep);

G_END_DECLS
