/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-export.c: opens stored envelopes with the sealing secret key and writes the
 * reports as JSON or CSV for case workers. */

#include "hirc-intake-export.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-intake-server.h"

/* Reports are nested a few levels at most; the limit only keeps json-glib's recursion safe
 * from a document a compromised kiosk crafted. */
#define REPORT_JSON_MAX_DEPTH 64

typedef struct
{
  const HircKey               *seal_secret;
  HircIntakeExportFormat       format;
  GOutputStream               *out;
  HircIntakeExportFailureFunc  on_failure;
  gpointer                     user_data;

  /* CSV takes two passes over the reports: the first collects the columns for the header, the
   * second writes the rows, so no more than one report is in memory at a time. */
  gboolean                     collecting;
  GPtrArray                   *columns;
  GHashTable                  *column_set;

  gboolean                     first;
  guint                        n_exported;
  guint                        n_failed;
  GError                      *error;
} ExportRun;

typedef void (*CellFunc) (const char *column,
                          const char *text,
                          gboolean    is_text,
                          gpointer    user_data);

/* Wipes what may be report content before it goes back to the allocator. Strings that json-glib
 * holds internally cannot be reached this way; they live only while one report is handled. */
static void
wipe_free (gpointer data)
{
  hirc_secure_wipe_string (data);
  g_free (data);
}

/* A GString of report content, wiped when freed. */
typedef GString WipedString;

static void
wiped_string_free (WipedString *string)
{
  sodium_memzero (string->str, string->len);
  g_string_free (string, TRUE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedString, wiped_string_free)

static gboolean
write_all (ExportRun  *run,
           const char *data,
           gsize       len)
{
  if (run->error != NULL)
    return FALSE;
  return g_output_stream_write_all (run->out, data, len, NULL, NULL, &run->error);
}

static char *
format_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (unix_time);

  return at != NULL ? g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/* The export object for one report, or NULL with a sentence saying why it cannot be opened. */
static JsonNode *
open_report (const HircIntakeStoredReport  *report,
             const HircKey                 *seal_secret,
             char                         **reason)
{
  g_autoptr(HircEnvelope) envelope = NULL;
  g_autoptr(HircKey) device_key = NULL;
  g_autoptr(HircSecureBuffer) plaintext = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *received_at_utc = NULL;
  char report_id[HIRC_UUID_STRING_BYTES];
  char device_id[HIRC_UUID_STRING_BYTES];

  if (report->device_public_key == NULL)
    {
      *reason = g_strdup ("Its device is not in the registry, so its signature cannot be checked.");
      return NULL;
    }

  envelope = hirc_envelope_parse (report->envelope, &error);
  if (envelope == NULL)
    {
      *reason = g_strdup_printf ("Its stored envelope is damaged (%s).", error->message);
      return NULL;
    }
  hirc_uuid_format (envelope->report_id, report_id);
  hirc_uuid_format (envelope->device_id, device_id);
  if (g_strcmp0 (report_id, report->report_id) != 0
      || g_strcmp0 (device_id, report->device_id) != 0)
    {
      *reason = g_strdup ("Its envelope names a different report or device than the database.");
      return NULL;
    }

  device_key = hirc_key_new_public (HIRC_KEY_KIND_SIGN_PUBLIC, report->device_public_key, 32,
                                    &error);
  if (device_key == NULL)
    {
      *reason = g_strdup_printf ("Its device's key in the registry is unusable (%s).",
                                 error->message);
      return NULL;
    }

  plaintext = hirc_envelope_open (envelope, device_key, seal_secret, &error);
  if (plaintext == NULL)
    {
      if (g_error_matches (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_BAD_SIGNATURE))
        *reason = g_strdup ("Its signature does not match its device's key, so it may have been "
                            "altered.");
      else if (g_error_matches (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_WRONG_KEY))
        *reason = g_strdup ("It was not sealed to this secret key.");
      else
        *reason = g_strdup_printf ("It could not be opened (%s).", error->message);
      return NULL;
    }

  document = hirc_intake_json_parse ((const char *) plaintext->data, plaintext->len,
                                     REPORT_JSON_MAX_DEPTH, NULL);
  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document))
    {
      *reason = g_strdup ("Its content is not a JSON report document.");
      return NULL;
    }

  received_at_utc = format_utc (report->received_at);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "report_id");
  json_builder_add_string_value (builder, report->report_id);
  json_builder_set_member_name (builder, "centre_id");
  json_builder_add_string_value (builder, report->centre_id);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, report->device_id);
  json_builder_set_member_name (builder, "received_at");
  json_builder_add_int_value (builder, report->received_at);
  json_builder_set_member_name (builder, "received_at_utc");
  json_builder_add_string_value (builder, received_at_utc);
  json_builder_set_member_name (builder, "report");
  json_builder_add_value (builder, g_steal_pointer (&document));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The text of a scalar, and whether it came from a JSON string. */
static char *
value_text (JsonNode *node,
            gboolean *is_text)
{
  *is_text = FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      *is_text = TRUE;
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return g_strdup ("");
    }
}

/* Calls func for each column of node: objects become dotted names, arrays one joined cell. */
static void
flatten (JsonNode   *node,
         const char *name,
         CellFunc    func,
         gpointer    user_data)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autofree char *child = name != NULL ? g_strconcat (name, ".", l->data, NULL)
                                                  : g_strdup (l->data);

            flatten (json_object_get_member (object, l->data), child, func, user_data);
          }
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(WipedString) joined = g_string_new (NULL);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            g_autofree char *text = NULL;
            gboolean is_text;

            if (JSON_NODE_HOLDS_VALUE (element) || JSON_NODE_HOLDS_NULL (element))
              text = value_text (element, &is_text);
            else
              text = json_to_string (element, FALSE);
            if (i > 0)
              g_string_append (joined, "; ");
            g_string_append (joined, text);
            hirc_secure_wipe_string (text);
          }
        func (name, joined->str, TRUE, user_data);
      }
      break;

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      {
        gboolean is_text;
        g_autofree char *text = value_text (node, &is_text);

        func (name, text, is_text, user_data);
        hirc_secure_wipe_string (text);
      }
      break;
    }
}

static void
collect_column_cb (const char *column,
                   const char *text,
                   gboolean    is_text,
                   gpointer    user_data)
{
  ExportRun *run = user_data;

  if (!g_hash_table_contains (run->column_set, column))
    {
      char *copy = g_strdup (column);

      g_ptr_array_add (run->columns, copy);
      g_hash_table_add (run->column_set, copy);
    }
}

static void
collect_cell_cb (const char *column,
                 const char *text,
                 gboolean    is_text,
                 gpointer    user_data)
{
  GHashTable *row = user_data;

  /* Spreadsheets run a cell starting with one of these as a formula (CSV injection). */
  if (is_text && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    g_hash_table_replace (row, g_strdup (column), g_strconcat ("'", text, NULL));
  else
    g_hash_table_replace (row, g_strdup (column), g_strdup (text));
}

/* RFC 4180: quoted when it holds a separator, a quote or a line break; quotes doubled. */
static void
append_csv_field (GString    *line,
                  const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static gboolean
write_csv_header (ExportRun *run)
{
  g_autoptr(WipedString) line = g_string_new (NULL);

  for (guint i = 0; i < run->columns->len; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      append_csv_field (line, g_ptr_array_index (run->columns, i));
    }
  g_string_append (line, "\r\n");
  return write_all (run, line->str, line->len);
}

static gboolean
write_csv_row (ExportRun *run,
               JsonNode  *element)
{
  /* Column names can carry report content too (the keys of a map), so both halves are wiped. */
  g_autoptr(GHashTable) row = g_hash_table_new_full (g_str_hash, g_str_equal, wipe_free, wipe_free);
  g_autoptr(WipedString) line = g_string_new (NULL);

  flatten (element, NULL, collect_cell_cb, row);
  for (guint i = 0; i < run->columns->len; i++)
    {
      const char *text = g_hash_table_lookup (row, g_ptr_array_index (run->columns, i));

      if (i > 0)
        g_string_append_c (line, ',');
      append_csv_field (line, text != NULL ? text : "");
    }
  g_string_append (line, "\r\n");
  return write_all (run, line->str, line->len);
}

static gboolean
write_json_element (ExportRun *run,
                    JsonNode  *element)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len = 0;
  gboolean ok;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, element);
  text = json_generator_to_data (generator, &len);

  ok = write_all (run, run->first ? "" : ",\n", run->first ? 0 : 2)
       && write_all (run, text, len);
  hirc_secure_wipe_string (text);
  run->first = FALSE;
  return ok;
}

static gboolean
export_report_cb (const HircIntakeStoredReport *report,
                  gpointer                      user_data)
{
  ExportRun *run = user_data;
  g_autoptr(JsonNode) element = NULL;
  g_autofree char *reason = NULL;
  /* In CSV's second pass the failures were already reported in the first. */
  gboolean report_failures = run->format == HIRC_INTAKE_EXPORT_JSON || run->collecting;

  element = open_report (report, run->seal_secret, &reason);
  if (element == NULL)
    {
      if (report_failures)
        {
          run->n_failed++;
          if (run->on_failure != NULL)
            run->on_failure (report->report_id, reason, run->user_data);
        }
      return TRUE;
    }

  if (run->collecting)
    {
      flatten (element, NULL, collect_column_cb, run);
      return TRUE;
    }

  if (!(run->format == HIRC_INTAKE_EXPORT_CSV ? write_csv_row (run, element)
                                              : write_json_element (run, element)))
    return FALSE;
  run->n_exported++;
  return TRUE;
}

gboolean
hirc_intake_export (HircIntakeStore              *store,
                    const HircKey                *seal_secret,
                    HircIntakeExportFormat        format,
                    gint64                        since,
                    GOutputStream                *out,
                    HircIntakeExportFailureFunc   on_failure,
                    gpointer                      user_data,
                    guint                        *n_exported,
                    guint                        *n_failed,
                    GError                      **error)
{
  static const char * const fixed_columns[] = {
    "report_id", "centre_id", "device_id", "received_at", "received_at_utc",
  };
  ExportRun run = {
    .seal_secret = seal_secret,
    .format = format,
    .out = out,
    .on_failure = on_failure,
    .user_data = user_data,
    .first = TRUE,
  };
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) column_set = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (seal_secret != NULL, FALSE);
  g_return_val_if_fail (hirc_key_get_kind (seal_secret) == HIRC_KEY_KIND_SEAL_SECRET, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == HIRC_INTAKE_EXPORT_CSV)
    {
      run.columns = columns;
      run.column_set = column_set;
      /* These come first even when no report can be opened. */
      for (gsize i = 0; i < G_N_ELEMENTS (fixed_columns); i++)
        collect_column_cb (fixed_columns[i], "", FALSE, &run);

      run.collecting = TRUE;
      if (!hirc_intake_store_foreach_report (store, since, export_report_cb, &run, error))
        goto out;
      run.collecting = FALSE;
      if (!write_csv_header (&run))
        goto out;
    }
  else if (!write_all (&run, "[\n", 2))
    goto out;

  if (!hirc_intake_store_foreach_report (store, since, export_report_cb, &run, error))
    goto out;
  if (run.error != NULL)
    goto out;

  if (format == HIRC_INTAKE_EXPORT_JSON
      && !write_all (&run, run.first ? "]\n" : "\n]\n", run.first ? 2 : 3))
    goto out;
  if (!g_output_stream_flush (out, NULL, &run.error))
    goto out;
  ok = TRUE;

out:
  if (run.error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&run.error),
                                  "The export could not be written: ");
    }
  if (n_exported != NULL)
    *n_exported = run.n_exported;
  if (n_failed != NULL)
    *n_failed = run.n_failed;
  return ok;
}
