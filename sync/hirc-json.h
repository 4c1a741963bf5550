/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-json.h: a strict JSON check run before json-glib sees untrusted text: the report and
 * taxonomy parsers, provisioning bundles, and every body the intake or the kiosk receives. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib 1.6 parses recursively without a depth limit (deep nesting overflows the stack) and
 * accepts more than JSON: comments, single quotes and several documents in a row; "\u0000"
 * silently cuts a string short and a lone surrogate escape ("\udc00") becomes bytes that are not
 * UTF-8. Text is checked against RFC 8259 first, with those escapes refused, so that what
 * json-glib builds is exactly what the text says. */
typedef enum
{
  HIRC_JSON_OK,
  HIRC_JSON_SYNTAX,        /* not strict JSON */
  HIRC_JSON_TOO_DEEP,      /* objects and arrays nested deeper than allowed */
  HIRC_JSON_NUL_CHARACTER, /* a string holds "\u0000", which a C string cannot */
} HircJsonCheck;

/* Checks data; on failure sets message to "LINE:COLUMN: what is wrong" (columns count
 * characters). n_members receives the number of object members the text holds, to compare with
 * hirc_json_count_members() on what json-glib built: fewer there means a repeated key. */
HircJsonCheck hirc_json_check         (const char  *data,
                                       gsize        len,
                                       guint        max_depth,
                                       guint       *n_members,
                                       char       **message);
guint         hirc_json_count_members (JsonNode    *node);
/* The member's string, or NULL when it is missing or not a string. */
const char   *hirc_json_member_string (JsonObject  *object,
                                       const char  *name);

G_END_DECLS
