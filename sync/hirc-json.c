/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-json.c: a strict RFC 8259 check with a depth limit, run before json-glib parses. */

#include "hirc-json.h"

#include <string.h>

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       n_members;
  char       *message;
} JsonScan;

static gboolean G_GNUC_PRINTF (2, 3)
scan_fail (JsonScan   *scan,
           const char *format,
           ...)
{
  g_autofree char *what = NULL;
  guint line = 1;
  guint column = 1;
  va_list args;

  for (gsize i = 0; i < scan->pos && i < scan->len; i++)
    {
      guchar c = (guchar) scan->data[i];

      if (c == '\n')
        {
          line++;
          column = 1;
        }
      else if ((c & 0xc0) != 0x80)
        column++;
    }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_free (scan->message);
  scan->message = g_strdup_printf ("%u:%u: %s", line, column, what);
  return FALSE;
}

static void
scan_skip_space (JsonScan *scan)
{
  while (scan->pos < scan->len)
    {
      char c = scan->data[scan->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      scan->pos++;
    }
}

static int
scan_peek (JsonScan *scan)
{
  return scan->pos < scan->len ? (guchar) scan->data[scan->pos] : -1;
}

/* The value of the escape "\uXXXX" at offset at, or -1 when there is none. */
static int
scan_unicode_escape (JsonScan *scan,
                     gsize     at)
{
  int value = 0;

  if (at + 6 > scan->len || scan->data[at] != '\\' || scan->data[at + 1] != 'u')
    return -1;
  for (gsize i = at + 2; i < at + 6; i++)
    {
      int digit = g_ascii_xdigit_value (scan->data[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

static gboolean
scan_string (JsonScan       *scan,
             HircJsonCheck  *result)
{
  /* The opening quote has been seen. */
  scan->pos++;
  while (scan->pos < scan->len)
    {
      guchar c = (guchar) scan->data[scan->pos];

      if (c == '"')
        {
          scan->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (scan, "a control character must be written as an escape in a string");
      if (c == '\\')
        {
          char e;

          if (scan->pos + 1 >= scan->len)
            break;
          e = scan->data[scan->pos + 1];
          if (e == 'u')
            {
              int value = scan_unicode_escape (scan, scan->pos);

              if (value < 0)
                return scan_fail (scan, "\\u must be followed by four hexadecimal digits");
              if (value == 0)
                {
                  *result = HIRC_JSON_NUL_CHARACTER;
                  return scan_fail (scan, "a string holds \\u0000, which cannot be stored");
                }
              /* A lone surrogate is no character at all; json-glib would turn it into bytes
               * that are not UTF-8. */
              if (value >= 0xdc00 && value <= 0xdfff)
                return scan_fail (scan, "a string holds an unpaired surrogate escape");
              if (value >= 0xd800 && value <= 0xdbff)
                {
                  int low = scan_unicode_escape (scan, scan->pos + 6);

                  if (low < 0xdc00 || low > 0xdfff)
                    return scan_fail (scan, "a string holds an unpaired surrogate escape");
                  scan->pos += 6;
                }
              scan->pos += 6;
            }
          else if (e != '\0' && strchr ("\"\\/bfnrt", e) != NULL)
            scan->pos += 2;
          else
            return scan_fail (scan, "unknown escape in a string");
          continue;
        }
      if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (scan->data + scan->pos,
                                                   (gssize) (scan->len - scan->pos));

          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            return scan_fail (scan, "the text is not valid UTF-8");
          scan->pos += (gsize) g_utf8_skip[c];
          continue;
        }
      scan->pos++;
    }
  return scan_fail (scan, "a string is not closed");
}

static gboolean
scan_digits (JsonScan *scan)
{
  gsize start = scan->pos;

  while (scan->pos < scan->len && g_ascii_isdigit (scan->data[scan->pos]))
    scan->pos++;
  return scan->pos > start;
}

static gboolean
scan_number (JsonScan *scan)
{
  if (scan_peek (scan) == '-')
    scan->pos++;
  if (scan_peek (scan) == '0')
    scan->pos++;
  else if (!scan_digits (scan))
    return scan_fail (scan, "a number is expected");
  if (scan_peek (scan) == '.')
    {
      scan->pos++;
      if (!scan_digits (scan))
        return scan_fail (scan, "a number has no digits after its decimal point");
    }
  if (scan_peek (scan) == 'e' || scan_peek (scan) == 'E')
    {
      scan->pos++;
      if (scan_peek (scan) == '+' || scan_peek (scan) == '-')
        scan->pos++;
      if (!scan_digits (scan))
        return scan_fail (scan, "a number has no digits in its exponent");
    }
  return TRUE;
}

static gboolean
scan_literal (JsonScan *scan)
{
  static const char *const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize n = strlen (literals[i]);

      if (scan->len - scan->pos >= n && memcmp (scan->data + scan->pos, literals[i], n) == 0)
        {
          scan->pos += n;
          return TRUE;
        }
    }
  return scan_fail (scan, "a value is expected (a string, number, object, array, true, false "
                    "or null)");
}

/* After "{" or ",": a member name, a colon, and then a value follows. */
static gboolean
scan_member_name (JsonScan      *scan,
                  HircJsonCheck *result)
{
  scan_skip_space (scan);
  if (scan_peek (scan) != '"')
    return scan_fail (scan, "a member name in double quotes is expected");
  if (!scan_string (scan, result))
    return FALSE;
  scan_skip_space (scan);
  if (scan_peek (scan) != ':')
    return scan_fail (scan, "':' is expected after a member name");
  scan->pos++;
  scan->n_members++;
  return TRUE;
}

HircJsonCheck
hirc_json_check (const char  *data,
                 gsize        len,
                 guint        max_depth,
                 guint       *n_members,
                 char       **message)
{
  /* An explicit stack instead of recursion, so that no input can exhaust the C stack here. */
  g_autofree char *stack = g_malloc (max_depth + 1);
  JsonScan scan = { data, len, 0, 0, NULL };
  HircJsonCheck result = HIRC_JSON_SYNTAX;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || len == 0, HIRC_JSON_SYNTAX);

  for (;;)
    {
      int c;

      /* A value is expected here. */
      scan_skip_space (&scan);
      c = scan_peek (&scan);
      if (c == '{' || c == '[')
        {
          if (depth == max_depth)
            {
              scan_fail (&scan, "objects and arrays are nested more than %u deep", max_depth);
              result = HIRC_JSON_TOO_DEEP;
              goto failed;
            }
          stack[depth++] = (char) c;
          scan.pos++;
          scan_skip_space (&scan);
          if (scan_peek (&scan) == (c == '{' ? '}' : ']'))
            {
              scan.pos++;
              depth--;
            }
          else if (c == '{')
            {
              if (!scan_member_name (&scan, &result))
                goto failed;
              continue;
            }
          else
            continue;
        }
      else if (c == '"')
        {
          if (!scan_string (&scan, &result))
            goto failed;
        }
      else if (c == '-' || (c >= '0' && c <= '9'))
        {
          if (!scan_number (&scan))
            goto failed;
        }
      else if (c == -1)
        {
          scan_fail (&scan, "the text ends where a value is expected");
          goto failed;
        }
      else if (!scan_literal (&scan))
        goto failed;

      /* A value has ended: close containers, or go on to the next element or member. */
      for (;;)
        {
          scan_skip_space (&scan);
          if (depth == 0)
            {
              if (scan.pos != scan.len)
                {
                  scan_fail (&scan, "there is more text after the end of the document");
                  goto failed;
                }
              if (n_members != NULL)
                *n_members = scan.n_members;
              return HIRC_JSON_OK;
            }
          c = scan_peek (&scan);
          if (c == ',')
            {
              scan.pos++;
              if (stack[depth - 1] == '{' && !scan_member_name (&scan, &result))
                goto failed;
              break;
            }
          if (c == (stack[depth - 1] == '{' ? '}' : ']'))
            {
              scan.pos++;
              depth--;
              continue;
            }
          scan_fail (&scan, stack[depth - 1] == '{' ? "',' or '}' is expected"
                                                     : "',' or ']' is expected");
          goto failed;
        }
    }

failed:
  if (message != NULL)
    *message = g_steal_pointer (&scan.message);
  g_free (scan.message);
  return result;
}

guint
hirc_json_count_members (JsonNode *node)
{
  guint count = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        count += 1 + hirc_json_count_members (json_object_get_member (object, l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        count += hirc_json_count_members (json_array_get_element (array, i));
    }
  return count;
}

const char *
hirc_json_member_string (JsonObject *object,
                         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
