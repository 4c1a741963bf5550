/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-config.c: the kiosk's state folder, provisioning bundles and kiosk.conf. */

#include "config.h"

#include "hirc-kiosk-config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-json.h"

G_DEFINE_QUARK (hirc-config-error-quark, hirc_config_error)

#define TOKEN_BYTES 32
#define MAX_PINS 4
#define MAX_BUNDLE_BYTES (256 * 1024)

static gboolean
write_private_file (const char  *path,
                    const char  *contents,
                    gssize       len,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  /* CONSISTENT renames a fully written temporary file into place; DURABLE fsyncs it and the
   * folder, so a power cut leaves either the old file or the new one. */
  if (!g_file_set_contents_full (path, contents, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not write %s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_valid_pin (const char *pin)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  size_t decoded = 0;

  if (!g_str_has_prefix (pin, "sha256//"))
    return FALSE;
  pin += strlen ("sha256//");
  if (sodium_base642bin (digest, sizeof digest, pin, strlen (pin), NULL, &decoded, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0)
    return FALSE;
  return decoded == sizeof digest;
}

static gboolean
is_valid_intake_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *path;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    return FALSE;
  path = g_uri_get_path (uri);
  return path == NULL || *path == '\0' || g_str_equal (path, "/");
}

static const char *
member_string (JsonObject  *object,
               const char  *name,
               gboolean     required,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                     "The provisioning bundle has no \"%s\".", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "In the provisioning bundle, \"%s\" must be a non-empty string.", name);
      return NULL;
    }
  return json_node_get_string (node);
}

static HircKey *
member_public_key (JsonObject   *object,
                   const char   *name,
                   HircKeyKind   kind,
                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *base64 = member_string (object, name, TRUE, error);
  HircKey *key;

  if (base64 == NULL)
    return NULL;
  key = hirc_key_new_public_from_base64 (kind, base64, &local_error);
  if (key == NULL)
    g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                 "In the provisioning bundle, \"%s\" is not a valid key: %s", name,
                 local_error->message);
  return key;
}

HircBundle *
hirc_bundle_load_from_data (const char  *data,
                            gsize        len,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HircBundle) bundle = g_new0 (HircBundle, 1);
  g_autoptr(GPtrArray) pins = g_ptr_array_new_with_free_func (g_free);
  JsonObject *root;
  JsonNode *node;
  const char *text;
  guint8 token[TOKEN_BYTES];
  size_t token_len = 0;

  if (len > MAX_BUNDLE_BYTES)
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The provisioning bundle is too large to be one.");
      return NULL;
    }
  g_autofree char *problem = NULL;
  guint n_members = 0;

  if (hirc_json_check (data, len, 8, &n_members, &problem) != HIRC_JSON_OK)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The provisioning bundle is not valid JSON (%s).", problem);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The provisioning bundle is not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The provisioning bundle is not a JSON object.");
      return NULL;
    }
  if (hirc_json_count_members (json_parser_get_root (parser)) != n_members)
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The provisioning bundle names one of its fields twice.");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  text = member_string (root, "schema", TRUE, error);
  if (text == NULL)
    return NULL;
  if (!g_str_equal (text, HIRC_BUNDLE_SCHEMA))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The provisioning bundle is of an unknown kind (\"%s\"); this kiosk reads %s.",
                   text, HIRC_BUNDLE_SCHEMA);
      return NULL;
    }

  text = member_string (root, "intake_url", TRUE, error);
  if (text == NULL)
    return NULL;
  if (!is_valid_intake_url (text))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The intake address \"%s\" must be an https:// address with no path.", text);
      return NULL;
    }
  bundle->intake_url = g_strdup (text);

  bundle->intake_seal_public = member_public_key (root, "intake_seal_public",
                                                  HIRC_KEY_KIND_SEAL_PUBLIC, error);
  if (bundle->intake_seal_public == NULL)
    return NULL;
  bundle->intake_receipt_public = member_public_key (root, "intake_receipt_public",
                                                     HIRC_KEY_KIND_SIGN_PUBLIC, error);
  if (bundle->intake_receipt_public == NULL)
    return NULL;

  node = json_object_get_member (root, "tls_pins");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The provisioning bundle has no list of TLS pins (\"tls_pins\").");
      return NULL;
    }
  {
    JsonArray *array = json_node_get_array (node);
    guint n = json_array_get_length (array);

    if (n < 1 || n > MAX_PINS)
      {
        g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                     "The provisioning bundle must list between 1 and %d TLS pins.", MAX_PINS);
        return NULL;
      }
    for (guint i = 0; i < n; i++)
      {
        JsonNode *pin = json_array_get_element (array, i);

        if (!JSON_NODE_HOLDS_VALUE (pin) || json_node_get_value_type (pin) != G_TYPE_STRING ||
            !is_valid_pin (json_node_get_string (pin)))
          {
            g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                         "TLS pin %u in the provisioning bundle is not of the form "
                         "sha256//BASE64.", i + 1);
            return NULL;
          }
        g_ptr_array_add (pins, g_strdup (json_node_get_string (pin)));
      }
    g_ptr_array_add (pins, NULL);
    bundle->tls_pins = (char **) g_ptr_array_free (g_steal_pointer (&pins), FALSE);
  }

  text = member_string (root, "ca_certificate", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (text != NULL && strstr (text, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The CA certificate in the provisioning bundle is not a PEM "
                           "certificate.");
      return NULL;
    }
  bundle->ca_certificate = g_strdup (text);

  text = member_string (root, "centre_id", TRUE, error);
  if (text == NULL)
    return NULL;
  bundle->centre_id = g_strdup (text);
  text = member_string (root, "centre_name", TRUE, error);
  if (text == NULL)
    return NULL;
  bundle->centre_name = g_strdup (text);

  text = member_string (root, "enrolment_token", TRUE, error);
  if (text == NULL)
    return NULL;
  if (sodium_base642bin (token, sizeof token, text, strlen (text), NULL, &token_len, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 || token_len != sizeof token)
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The enrolment token in the provisioning bundle is damaged.");
      return NULL;
    }
  sodium_memzero (token, sizeof token);
  bundle->enrolment_token = g_strdup (text);

  node = json_object_get_member (root, "token_expires");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error_literal (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                           "The provisioning bundle does not say when its token expires.");
      return NULL;
    }
  bundle->token_expires = json_node_get_int (node);

  return g_steal_pointer (&bundle);
}

HircBundle *
hirc_bundle_load (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  contents = hirc_bundle_read (path, &len, error);
  if (contents == NULL)
    return NULL;
  return hirc_bundle_load_from_data (contents, len, error);
}

char *
hirc_bundle_read (const char  *path,
                  gsize       *len,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = g_malloc (HIRC_BUNDLE_MAX_BYTES + 1);
  gsize got = 0;

  stream = g_file_read (file, NULL, &local_error);
  /* One byte more than allowed tells a file that is too big from one that just fits. */
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), contents, HIRC_BUNDLE_MAX_BYTES + 1,
                                   &got, NULL, &local_error))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not read the provisioning bundle: %s", local_error->message);
      return NULL;
    }
  if (got > HIRC_BUNDLE_MAX_BYTES)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "%s is too large to be a provisioning bundle.", path);
      return NULL;
    }
  contents[got] = '\0';
  *len = got;
  return g_steal_pointer (&contents);
}

gboolean
hirc_bundle_save (const HircBundle  *bundle,
                  const char        *path,
                  GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *seal = hirc_key_public_to_base64 (bundle->intake_seal_public);
  g_autofree char *receipt = hirc_key_public_to_base64 (bundle->intake_receipt_public);
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, HIRC_BUNDLE_SCHEMA);
  json_builder_set_member_name (builder, "intake_url");
  json_builder_add_string_value (builder, bundle->intake_url);
  json_builder_set_member_name (builder, "intake_seal_public");
  json_builder_add_string_value (builder, seal);
  json_builder_set_member_name (builder, "intake_receipt_public");
  json_builder_add_string_value (builder, receipt);
  json_builder_set_member_name (builder, "tls_pins");
  json_builder_begin_array (builder);
  for (guint i = 0; bundle->tls_pins != NULL && bundle->tls_pins[i] != NULL; i++)
    json_builder_add_string_value (builder, bundle->tls_pins[i]);
  json_builder_end_array (builder);
  if (bundle->ca_certificate != NULL)
    {
      json_builder_set_member_name (builder, "ca_certificate");
      json_builder_add_string_value (builder, bundle->ca_certificate);
    }
  json_builder_set_member_name (builder, "centre_id");
  json_builder_add_string_value (builder, bundle->centre_id);
  json_builder_set_member_name (builder, "centre_name");
  json_builder_add_string_value (builder, bundle->centre_name);
  json_builder_set_member_name (builder, "enrolment_token");
  json_builder_add_string_value (builder, bundle->enrolment_token);
  json_builder_set_member_name (builder, "token_expires");
  json_builder_add_int_value (builder, bundle->token_expires);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  return write_private_file (path, json, -1, error);
}

void
hirc_bundle_free (HircBundle *bundle)
{
  if (bundle == NULL)
    return;
  g_free (bundle->intake_url);
  g_clear_pointer (&bundle->intake_seal_public, hirc_key_unref);
  g_clear_pointer (&bundle->intake_receipt_public, hirc_key_unref);
  g_strfreev (bundle->tls_pins);
  g_free (bundle->ca_certificate);
  g_free (bundle->centre_id);
  g_free (bundle->centre_name);
  hirc_secure_wipe_string (bundle->enrolment_token);
  g_free (bundle->enrolment_token);
  g_free (bundle);
}

char *
hirc_kiosk_state_dir_default (void)
{
  const char *from_env = g_getenv ("HIRC_STATE_DIR");

  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);
  return g_build_filename (g_get_user_state_dir (), "hirc-kiosk", NULL);
}

char *
hirc_kiosk_config_path (const char *state_dir)
{
  return g_build_filename (state_dir, "kiosk.conf", NULL);
}

char *
hirc_kiosk_outbox_path (const char *state_dir)
{
  return g_build_filename (state_dir, "outbox.db", NULL);
}

/* The secret key has a folder of its own so that the sync service's unit can make the whole
 * folder inaccessible. */
char *
hirc_kiosk_device_key_path (const char *state_dir)
{
  return g_build_filename (state_dir, "keys", "device.key", NULL);
}

char *
hirc_kiosk_socket_path (const char *state_dir)
{
  return g_build_filename (state_dir, "sync.sock", NULL);
}

static char *
ca_path (const char *state_dir)
{
  return g_build_filename (state_dir, "intake-ca.pem", NULL);
}

static gboolean
make_private_dir (const char  *path,
                  GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not create the folder %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static char *
key_file_string (GKeyFile    *file,
                 const char  *group,
                 const char  *key,
                 const char  *path,
                 GError     **error)
{
  char *value = g_key_file_get_string (file, group, key, NULL);

  if (value == NULL || *value == '\0')
    {
      g_free (value);
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The kiosk configuration %s has no %s in [%s]; provision the kiosk again.",
                   path, key, group);
      return NULL;
    }
  return value;
}

static HircKey *
key_file_public_key (GKeyFile     *file,
                     const char   *group,
                     const char   *key,
                     HircKeyKind   kind,
                     const char   *path,
                     GError      **error)
{
  g_autofree char *base64 = key_file_string (file, group, key, path, error);
  g_autoptr(GError) local_error = NULL;
  HircKey *result;

  if (base64 == NULL)
    return NULL;
  result = hirc_key_new_public_from_base64 (kind, base64, &local_error);
  if (result == NULL)
    g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                 "The kiosk configuration %s has a damaged %s in [%s]: %s", path, key, group,
                 local_error->message);
  return result;
}

static gboolean
read_setting (GKeyFile    *file,
              const char  *path,
              const char  *group,
              const char  *key,
              guint        default_value,
              guint        minimum,
              guint        maximum,
              guint       *value_out,
              GError     **error)
{
  gint64 value;

  *value_out = default_value;
  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_int64 (file, group, key, NULL);
  if (value < minimum || value > maximum)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "In %s, [%s] %s must be a whole number between %u and %u.", path, group, key,
                   minimum, maximum);
      return FALSE;
    }
  *value_out = value;
  return TRUE;
}

HircKioskConfig *
hirc_kiosk_config_load (const char  *state_dir,
                        GError     **error)
{
  g_autofree char *path = hirc_kiosk_config_path (state_dir);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HircKioskConfig) config = g_new0 (HircKioskConfig, 1);
  g_autofree char *ca = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;
      if (saved_errno == ENOENT)
        g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_NOT_PROVISIONED,
                     "This kiosk has not been provisioned yet (no %s).", path);
      else
        g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                     "Could not read %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INSECURE,
                   "The kiosk configuration %s can be read by other users; it must be readable "
                   "only by the kiosk's user (chmod 600).", path);
      return NULL;
    }
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The kiosk configuration %s is damaged: %s", path, local_error->message);
      return NULL;
    }

  config->state_dir = g_strdup (state_dir);
  if ((config->centre_id = key_file_string (file, "centre", "id", path, error)) == NULL ||
      (config->centre_name = key_file_string (file, "centre", "name", path, error)) == NULL ||
      (config->intake_url = key_file_string (file, "intake", "url", path, error)) == NULL ||
      (config->device_id = key_file_string (file, "device", "id", path, error)) == NULL ||
      (config->status_token = key_file_string (file, "device", "status_token", path,
                                               error)) == NULL)
    return NULL;
  if ((config->intake_seal_public = key_file_public_key (file, "intake", "seal_public",
                                                         HIRC_KEY_KIND_SEAL_PUBLIC, path,
                                                         error)) == NULL ||
      (config->intake_receipt_public = key_file_public_key (file, "intake", "receipt_public",
                                                            HIRC_KEY_KIND_SIGN_PUBLIC, path,
                                                            error)) == NULL ||
      (config->device_public = key_file_public_key (file, "device", "public_key",
                                                    HIRC_KEY_KIND_SIGN_PUBLIC, path,
                                                    error)) == NULL)
    return NULL;

  config->tls_pins = g_key_file_get_string_list (file, "intake", "tls_pins", NULL, NULL);
  if (config->tls_pins == NULL || config->tls_pins[0] == NULL)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "The kiosk configuration %s has no TLS pins; provision the kiosk again.", path);
      return NULL;
    }
  for (guint i = 0; config->tls_pins[i] != NULL; i++)
    if (!is_valid_pin (config->tls_pins[i]))
      {
        g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                     "The kiosk configuration %s has a damaged TLS pin.", path);
        return NULL;
      }

  ca = ca_path (state_dir);
  if (g_file_test (ca, G_FILE_TEST_EXISTS))
    config->ca_file = g_steal_pointer (&ca);
  config->provisioned_at = g_key_file_get_int64 (file, "device", "provisioned_at", NULL);

  config->idle_timeout_seconds = HIRC_IDLE_TIMEOUT_DEFAULT;
  config->idle_countdown_seconds = HIRC_IDLE_COUNTDOWN_DEFAULT;
  if (g_key_file_has_key (file, "session", "idle_timeout_seconds", NULL))
    {
      gint64 value = g_key_file_get_int64 (file, "session", "idle_timeout_seconds", NULL);

      if (value < 5 || value > 3600)
        {
          g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                       "In %s, idle_timeout_seconds must be between 5 and 3600.", path);
          return NULL;
        }
      config->idle_timeout_seconds = value;
    }
  if (g_key_file_has_key (file, "session", "idle_countdown_seconds", NULL))
    {
      gint64 value = g_key_file_get_int64 (file, "session", "idle_countdown_seconds", NULL);

      /* WCAG 2.2.1: people get at least 20 seconds to say they need more time. */
      if (value < HIRC_IDLE_COUNTDOWN_MINIMUM || value > 600)
        {
          g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                       "In %s, idle_countdown_seconds must be between %d and 600.", path,
                       HIRC_IDLE_COUNTDOWN_MINIMUM);
          return NULL;
        }
      config->idle_countdown_seconds = value;
    }
  if (!read_setting (file, path, "health", "max_wait_hours", HIRC_HEALTH_MAX_WAIT_HOURS_DEFAULT,
                     1, 24 * 60, &config->health_max_wait_hours, error) ||
      !read_setting (file, path, "health", "min_free_megabytes",
                     HIRC_HEALTH_MIN_FREE_MEGABYTES_DEFAULT, 1, 1024 * 1024,
                     &config->health_min_free_megabytes, error) ||
      !read_setting (file, path, "staff", "first_delay_seconds", HIRC_STAFF_FIRST_DELAY_DEFAULT,
                     1, 3600, &config->staff_first_delay_seconds, error) ||
      !read_setting (file, path, "staff", "idle_timeout_seconds",
                     HIRC_STAFF_IDLE_TIMEOUT_DEFAULT, 10, 3600,
                     &config->staff_idle_timeout_seconds, error))
    return NULL;

  config->speech_private_output = g_key_file_get_string (file, "speech", "private_output", NULL);
  if (config->speech_private_output != NULL)
    {
      g_strstrip (config->speech_private_output);
      if (config->speech_private_output[0] == '\0')
        g_clear_pointer (&config->speech_private_output, g_free);
    }
  /* The default device is the loudspeaker everyone nearby hears. */
  if (g_strcmp0 (config->speech_private_output, "default") == 0)
    {
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                   "In %s, [speech] private_output must name the headphones' own audio device, "
                   "not \"default\".", path);
      return NULL;
    }

  config->bundle_folders = g_key_file_get_string_list (file, "provision", "bundle_folders", NULL,
                                                       NULL);
  if (config->bundle_folders == NULL)
    config->bundle_folders = g_strsplit (HIRC_BUNDLE_FOLDERS_DEFAULT, ";", -1);
  for (guint i = 0; config->bundle_folders[i] != NULL; i++)
    if (!g_path_is_absolute (config->bundle_folders[i]))
      {
        g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID,
                     "In %s, [provision] bundle_folders must list full paths, such as /media; "
                     "\"%s\" is not one.", path, config->bundle_folders[i]);
        return NULL;
      }

  return g_steal_pointer (&config);
}

gboolean
hirc_kiosk_config_save (const HircKioskConfig  *config,
                        const char             *ca_certificate_pem,
                        GError                **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *keys_dir = g_build_filename (config->state_dir, "keys", NULL);
  g_autofree char *path = hirc_kiosk_config_path (config->state_dir);
  g_autofree char *ca = ca_path (config->state_dir);
  g_autofree char *seal = hirc_key_public_to_base64 (config->intake_seal_public);
  g_autofree char *receipt = hirc_key_public_to_base64 (config->intake_receipt_public);
  g_autofree char *device = hirc_key_public_to_base64 (config->device_public);
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!make_private_dir (config->state_dir, error) || !make_private_dir (keys_dir, error))
    return FALSE;

  if (ca_certificate_pem != NULL)
    {
      if (!write_private_file (ca, ca_certificate_pem, -1, error))
        return FALSE;
    }
  else if (g_unlink (ca) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_set_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_IO,
                   "Could not remove the old CA certificate %s: %s", ca, g_strerror (saved_errno));
      return FALSE;
    }

  g_key_file_set_string (file, "centre", "id", config->centre_id);
  g_key_file_set_string (file, "centre", "name", config->centre_name);
  g_key_file_set_string (file, "intake", "url", config->intake_url);
  g_key_file_set_string (file, "intake", "seal_public", seal);
  g_key_file_set_string (file, "intake", "receipt_public", receipt);
  g_key_file_set_string_list (file, "intake", "tls_pins",
                              (const char * const *) config->tls_pins,
                              g_strv_length (config->tls_pins));
  g_key_file_set_string (file, "device", "id", config->device_id);
  g_key_file_set_string (file, "device", "public_key", device);
  g_key_file_set_string (file, "device", "status_token", config->status_token);
  g_key_file_set_int64 (file, "device", "provisioned_at", config->provisioned_at);
  if (config->idle_timeout_seconds != 0)
    g_key_file_set_int64 (file, "session", "idle_timeout_seconds", config->idle_timeout_seconds);
  if (config->idle_countdown_seconds != 0)
    g_key_file_set_int64 (file, "session", "idle_countdown_seconds",
                          config->idle_countdown_seconds);
  if (config->health_max_wait_hours != 0)
    g_key_file_set_int64 (file, "health", "max_wait_hours", config->health_max_wait_hours);
  if (config->health_min_free_megabytes != 0)
    g_key_file_set_int64 (file, "health", "min_free_megabytes",
                          config->health_min_free_megabytes);
  if (config->staff_first_delay_seconds != 0)
    g_key_file_set_int64 (file, "staff", "first_delay_seconds",
                          config->staff_first_delay_seconds);
  if (config->staff_idle_timeout_seconds != 0)
    g_key_file_set_int64 (file, "staff", "idle_timeout_seconds",
                          config->staff_idle_timeout_seconds);
  if (config->speech_private_output != NULL)
    g_key_file_set_string (file, "speech", "private_output", config->speech_private_output);
  if (config->bundle_folders != NULL)
    g_key_file_set_string_list (file, "provision", "bundle_folders",
                                (const char * const *) config->bundle_folders,
                                g_strv_length (config->bundle_folders));

  contents = g_key_file_to_data (file, &len, NULL);
  return write_private_file (path, contents, len, error);
}

void
hirc_kiosk_config_free (HircKioskConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->state_dir);
  g_free (config->centre_id);
  g_free (config->centre_name);
  g_free (config->intake_url);
  g_clear_pointer (&config->intake_seal_public, hirc_key_unref);
  g_clear_pointer (&config->intake_receipt_public, hirc_key_unref);
  g_strfreev (config->tls_pins);
  g_free (config->ca_file);
  g_free (config->device_id);
  g_clear_pointer (&config->device_public, hirc_key_unref);
  g_free (config->status_token);
  g_free (config->speech_private_output);
  g_strfreev (config->bundle_folders);
  g_free (config);
}
