/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-wire.c: builds and parses the JSON bodies of sync/PROTOCOL.md that both ends share. */

#include "hirc-wire.h"

#include <json-glib/json-glib.h>

#include "hirc-json.h"
#include <string.h>

/* Receipts and error bodies are a few hundred bytes; anything much larger is not one. */
#define WIRE_MAX_JSON_BYTES (16 * 1024)
/* Neither body nests at all. */
#define WIRE_MAX_JSON_DEPTH 8

G_DEFINE_QUARK (hirc-wire-error-quark, hirc_wire_error)

static const char enrol_domain[] = "hirc.enrol/1";

/* The root object of a small JSON document, or NULL. */
static JsonParser *
parse_object (const char  *data,
              gsize        len,
              JsonObject **object,
              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *problem = NULL;
  guint n_members = 0;
  JsonNode *root;

  if (data == NULL || len == 0 || len > WIRE_MAX_JSON_BYTES)
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The answer is not a JSON document of a size the protocol allows.");
      return NULL;
    }
  if (hirc_json_check (data, len, WIRE_MAX_JSON_DEPTH, &n_members, &problem) != HIRC_JSON_OK)
    {
      g_set_error (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                   "The answer is not strict JSON (%s).", problem);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                   "The answer is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The answer is not a JSON object.");
      return NULL;
    }
  /* A repeated member would leave two readings of one answer. */
  if (hirc_json_count_members (root) != n_members)
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The answer names one of its fields twice.");
      return NULL;
    }
  *object = json_node_get_object (root);
  return g_steal_pointer (&parser);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Canonical lower-case hex only: a receipt is compared byte for byte, so there is exactly one
 * spelling of each value. */
static gboolean
hex_decode (const char *hex,
            guint8     *out,
            gsize       out_len)
{
  if (strlen (hex) != out_len * 2)
    return FALSE;
  for (gsize i = 0; i < out_len; i++)
    {
      int hi = hex_value (hex[2 * i]);
      int lo = hex_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

static gboolean
uuid_parse (const char *str,
            guint8      out[HIRC_ID_BYTES])
{
  static const gsize groups[] = { 4, 2, 2, 2, 6 };
  const char *p = str;
  gsize n = 0;

  if (strlen (str) != 36)
    return FALSE;
  for (gsize g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (g > 0 && *p++ != '-')
        return FALSE;
      for (gsize i = 0; i < groups[g]; i++, n++)
        {
          int hi = hex_value (p[0]);
          int lo = hex_value (p[1]);

          if (hi < 0 || lo < 0)
            return FALSE;
          out[n] = (guint8) (hi << 4 | lo);
          p += 2;
        }
    }
  return TRUE;
}

static char *
uuid_format (const guint8 id[HIRC_ID_BYTES])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
                          id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
}

/* Standard base64 with padding, and only its canonical spelling (g_base64_decode alone skips
 * characters it does not know). */
static gboolean
base64_decode_exact (const char *text,
                     guint8     *out,
                     gsize       out_len)
{
  gsize text_len = strlen (text);
  g_autofree guint8 *decoded = NULL;
  g_autofree char *again = NULL;
  gsize decoded_len = 0;

  if (text_len == 0 || text_len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (!(g_ascii_isalnum (c) || c == '+' || c == '/' || (c == '=' && i >= text_len - 2)))
        return FALSE;
    }

  decoded = g_base64_decode (text, &decoded_len);
  if (decoded_len != out_len)
    return FALSE;
  again = g_base64_encode (decoded, decoded_len);
  if (strcmp (again, text) != 0)
    return FALSE;
  memcpy (out, decoded, out_len);
  return TRUE;
}

char *
hirc_wire_receipt_to_json (const HircReceipt *receipt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *report_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (receipt != NULL, NULL);

  report_id = uuid_format (receipt->report_id);
  hash = g_malloc (HIRC_HASH_BYTES * 2 + 1);
  for (gsize i = 0; i < HIRC_HASH_BYTES; i++)
    g_snprintf (hash + 2 * i, 3, "%02x", receipt->envelope_hash[i]);
  signature = g_base64_encode (receipt->signature, HIRC_RECEIPT_SIGNATURE_BYTES);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "report_id");
  json_builder_add_string_value (builder, report_id);
  json_builder_set_member_name (builder, "envelope_sha256");
  json_builder_add_string_value (builder, hash);
  json_builder_set_member_name (builder, "received_at");
  json_builder_add_int_value (builder, receipt->received_at);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, signature);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
hirc_wire_receipt_from_json (const char   *data,
                             gsize         len,
                             HircReceipt  *receipt,
                             GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;
  JsonNode *received_at;
  const char *report_id;
  const char *hash;
  const char *signature;
  HircReceipt parsed = { 0 };

  g_return_val_if_fail (receipt != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parser = parse_object (data, len, &object, error);
  if (parser == NULL)
    return FALSE;

  report_id = get_string_member (object, "report_id");
  hash = get_string_member (object, "envelope_sha256");
  signature = get_string_member (object, "signature");
  received_at = json_object_get_member (object, "received_at");

  if (report_id == NULL || !uuid_parse (report_id, parsed.report_id))
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The receipt has no valid report id.");
      return FALSE;
    }
  if (hash == NULL || !hex_decode (hash, parsed.envelope_hash, HIRC_HASH_BYTES))
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The receipt has no valid envelope hash.");
      return FALSE;
    }
  if (received_at == NULL || !JSON_NODE_HOLDS_VALUE (received_at)
      || json_node_get_value_type (received_at) != G_TYPE_INT64
      || json_node_get_int (received_at) < 0)
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The receipt has no valid time of receipt.");
      return FALSE;
    }
  if (signature == NULL
      || !base64_decode_exact (signature, parsed.signature, HIRC_RECEIPT_SIGNATURE_BYTES))
    {
      g_set_error_literal (error, HIRC_WIRE_ERROR, HIRC_WIRE_ERROR_MALFORMED,
                           "The receipt has no valid signature.");
      return FALSE;
    }

  parsed.received_at = json_node_get_int (received_at);
  *receipt = parsed;
  return TRUE;
}

char *
hirc_wire_error_to_json (const char *code,
                         const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
hirc_wire_error_from_json (const char  *data,
                           gsize        len,
                           char       **code,
                           char       **message)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;
  const char *code_value;
  const char *message_value;

  parser = parse_object (data, len, &object, NULL);
  if (parser == NULL)
    return FALSE;

  code_value = get_string_member (object, "error");
  message_value = get_string_member (object, "message");
  if (code_value == NULL || message_value == NULL)
    return FALSE;

  if (code != NULL)
    *code = g_strdup (code_value);
  if (message != NULL)
    *message = g_strdup (message_value);
  return TRUE;
}

GBytes *
hirc_wire_enrol_proof_message (const guint8 *token,
                               gsize         token_len,
                               const guint8  public_key[32])
{
  GByteArray *message;

  g_return_val_if_fail (token != NULL || token_len == 0, NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  message = g_byte_array_sized_new (sizeof enrol_domain + token_len + 32);
  /* sizeof includes the terminating NUL, which is the separator the protocol specifies. */
  g_byte_array_append (message, (const guint8 *) enrol_domain, sizeof enrol_domain);
  g_byte_array_append (message, token, (guint) token_len);
  g_byte_array_append (message, public_key, 32);
  return g_byte_array_free_to_bytes (message);
}
