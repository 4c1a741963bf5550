/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-base32.c: Crockford base32 encoding for codes that people read aloud. */

#include "hirc-crypto.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

char *
hirc_base32_encode (const guint8 *data,
                    gsize         len)
{
  GString *out = g_string_sized_new ((len * 8 + 4) / 5 + 1);
  guint32 buffer = 0;
  guint bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, alphabet[(buffer << (5 - bits)) & 31]);

  return g_string_free (out, FALSE);
}

int
hirc_base32_value (char c)
{
  c = g_ascii_toupper (c);
  switch (c)
    {
    case 'O':
      return 0;
    case 'I':
    case 'L':
      return 1;
    case 'U':
      return -1;
    default:
      break;
    }
  for (int i = 0; i < 32; i++)
    if (alphabet[i] == c)
      return i;
  return -1;
}

char *
hirc_base32_group (const char *encoded,
                   guint       group,
                   char        sep)
{
  GString *out;

  g_return_val_if_fail (encoded != NULL, NULL);
  g_return_val_if_fail (group > 0, NULL);

  out = g_string_new (NULL);
  for (gsize i = 0; encoded[i] != '\0'; i++)
    {
      if (i > 0 && i % group == 0)
        g_string_append_c (out, sep);
      g_string_append_c (out, encoded[i]);
    }
  return g_string_free (out, FALSE);
}
