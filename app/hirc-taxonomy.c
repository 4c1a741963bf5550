/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-taxonomy.c: the built-in category lists and the loader of a partnership's taxonomy file.
 * It also holds the strict JSON check both this loader and the report parser run first. */

#include "config.h"

#include "hirc-taxonomy.h"
#include "hirc-json.h"
#include "hirc-core-resources.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* A partnership's file is a few kilobytes; the limit only stops a wrong file (a disk image, a
 * log) being read into memory. */
#define TAXONOMY_MAX_BYTES (1024 * 1024)
/* The format nests three levels deep (offered → list → code); the slack keeps error messages
 * about misplaced content readable instead of "nested too deeply". */
#define TAXONOMY_MAX_DEPTH 16
#define CODE_MAX_CHARS 40
#define DEFAULT_RESOURCE "/org/hirc/Kiosk/core/taxonomy-default.json"

struct _HircTaxonomy
{
  char      *partnership;
  GPtrArray *areas;    /* HircArea */
  GPtrArray *services; /* HircSupportService */
  GPtrArray *offered[HIRC_LIST_N]; /* const HircChoice *, NULL-terminated, borrowed from below */
};

G_DEFINE_QUARK (hirc-taxonomy-error-quark, hirc_taxonomy_error)

/* The built-in choices. Codes are stable machine codes that reports and case workers' tools
 * depend on: never rename one, only add. Labels are the plain English people see. */

static const HircChoice role_choices[] = {
  { "victim", N_("It happened to me") },
  { "witness", N_("I saw it happen") },
  { "on_behalf", N_("I am reporting for someone else") },
  { "ambassador", N_("I am a Hate Crime Ambassador taking this report") },
  { NULL, NULL }
};

static const HircChoice incident_type_choices[] = {
  { "verbal_abuse", N_("Verbal abuse or gestures") },
  { "threats_harassment", N_("Threats, intimidation or harassment") },
  { "physical_assault", N_("Physical assault") },
  { "sexual_assault", N_("Sexual assault or harassment") },
  { "damage", N_("Damage, vandalism or arson") },
  { "graffiti", N_("Graffiti") },
  { "hate_mail", N_("Hate mail, leaflets or posters") },
  { "abusive_calls", N_("Abusive calls, texts or emails") },
  { "online_abuse", N_("Online or social media abuse") },
  { "theft", N_("Theft") },
  { "bullying", N_("Bullying at school or work") },
  { "other", N_("Something else") },
  { NULL, NULL }
};

static const HircChoice motivation_choices[] = {
  { "race", N_("Race, ethnicity or nationality, including Gypsy, Roma and Traveller") },
  { "religion", N_("Religion or belief") },
  { "sexual_orientation", N_("Sexual orientation") },
  { "transgender", N_("Transgender identity") },
  { "disability", N_("Disability") },
  { "sex_gender", N_("Sex or gender") },
  { "age", N_("Age") },
  { "alternative_subculture", N_("Alternative subculture, for example goth, punk or emo") },
  { "other", N_("Something else") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice setting_choices[] = {
  { "in_person", N_("In person") },
  { "online", N_("Online") },
  { "both", N_("Both in person and online") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice approximate_when_choices[] = {
  { "today", N_("Today") },
  { "yesterday", N_("Yesterday") },
  { "this_week", N_("Earlier this week") },
  { "last_week", N_("Last week") },
  { "this_month", N_("Earlier this month") },
  { "longer_ago", N_("Longer ago") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice time_of_day_choices[] = {
  { "morning", N_("In the morning") },
  { "afternoon", N_("In the afternoon") },
  { "evening", N_("In the evening") },
  { "night", N_("At night") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice yes_no_not_sure_choices[] = {
  { "yes", N_("Yes") },
  { "no", N_("No") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice place_type_choices[] = {
  { "home", N_("Home") },
  { "street", N_("Street") },
  { "public_transport", N_("Public transport") },
  { "shop", N_("Shop") },
  { "pub_bar_restaurant", N_("Pub, bar or restaurant") },
  { "park", N_("Park") },
  { "education", N_("School, college or university") },
  { "work", N_("Work") },
  { "place_of_worship", N_("Place of worship") },
  { "health_care", N_("Health or care setting") },
  { "online", N_("Online") },
  { "other", NC_("place", "Somewhere else"), "place" },
  { NULL, NULL }
};

static const HircChoice offender_count_choices[] = {
  { "one", N_("One person") },
  { "two", N_("Two people") },
  { "three_or_more", N_("Three or more people") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice offender_known_choices[] = {
  { "known", N_("Someone the victim knows") },
  { "stranger", N_("A stranger") },
  { "not_sure", N_("I'm not sure") },
  { NULL, NULL }
};

static const HircChoice evidence_type_choices[] = {
  { "photos", N_("Photos or videos") },
  { "messages", N_("Messages, emails or posts") },
  { "cctv", N_("CCTV") },
  { "recordings", N_("Sound recordings") },
  { "other", N_("Something else") },
  { NULL, NULL }
};

static const HircChoice age_band_choices[] = {
  { "under_16", N_("Under 16") },
  { "16_17", N_("16 or 17") },
  { "18_24", N_("18 to 24") },
  { "25_34", N_("25 to 34") },
  { "35_44", N_("35 to 44") },
  { "45_54", N_("45 to 54") },
  { "55_64", N_("55 to 64") },
  { "65_plus", N_("65 or over") },
  { "prefer_not_to_say", N_("Prefer not to say") },
  { NULL, NULL }
};

static const HircChoice contact_method_choices[] = {
  { "phone", N_("Phone call") },
  { "text_message", N_("Text message") },
  { "email", N_("Email") },
  { "letter", N_("Letter") },
  { NULL, NULL }
};

static const HircChoice gender_choices[] = {
  { "woman", N_("Woman") },
  { "man", N_("Man") },
  { "non_binary", N_("Non-binary") },
  { "other", NC_("gender", "Another way"), "gender" },
  { "prefer_not_to_say", N_("Prefer not to say") },
  { NULL, NULL }
};

static const HircChoice sexual_orientation_choices[] = {
  { "heterosexual", N_("Straight or heterosexual") },
  { "gay_lesbian", N_("Gay or lesbian") },
  { "bisexual", N_("Bisexual") },
  { "other", N_("Another sexual orientation") },
  { "prefer_not_to_say", N_("Prefer not to say") },
  { NULL, NULL }
};

static const HircChoice ethnic_group_choices[] = {
  { "asian", N_("Asian or Asian British") },
  { "black", N_("Black, Black British, Caribbean or African") },
  { "mixed", N_("Mixed or multiple ethnic groups") },
  { "white", N_("White") },
  { "gypsy_roma_traveller", N_("Gypsy, Roma or Irish Traveller") },
  { "arab", N_("Arab") },
  { "other", N_("Another ethnic group") },
  { "prefer_not_to_say", N_("Prefer not to say") },
  { NULL, NULL }
};

static const HircChoice religion_choices[] = {
  { "none", N_("No religion") },
  { "buddhist", N_("Buddhist") },
  { "christian", N_("Christian") },
  { "hindu", N_("Hindu") },
  { "jewish", N_("Jewish") },
  { "muslim", N_("Muslim") },
  { "sikh", N_("Sikh") },
  { "other", N_("Another religion") },
  { "prefer_not_to_say", N_("Prefer not to say") },
  { NULL, NULL }
};

static const HircChoice yes_no_prefer_not_to_say_choices[] = {
  { "yes", N_("Yes") },
  { "no", N_("No") },
  { "prefer_not_to_say", N_("Prefer not to say") },
  { NULL, NULL }
};

/* The ambassador's questions. Their words are for a trained ambassador, not the reporter. */
static const HircChoice received_how_choices[] = {
  { "in_person", N_("In person, here at the centre") },
  { "outreach", N_("In person, somewhere else (for example a home visit or an event)") },
  { "phone", N_("By phone") },
  { "video_call", N_("By video call") },
  { "written", N_("In writing (a letter, email or message)") },
  { "other", NC_("how a report was received", "Another way"), "how a report was received" },
  { NULL, NULL }
};

static const HircChoice reporter_agreement_choices[] = {
  { "agreed", N_("Yes, they agreed") },
  { "did_not_agree", N_("No, it is made without their agreement (for example to keep someone "
                        "safe)") },
  { "could_not_ask", N_("They could not be asked") },
  { NULL, NULL }
};

static const HircChoice risk_sign_choices[] = {
  { "repeat_victimisation", N_("It has happened to them before (repeat victimisation)") },
  { "escalating", N_("It is getting worse or happening more often") },
  { "immediate_risk", N_("They are at risk of harm now") },
  { "none", N_("I saw no signs of these") },
  { NULL, NULL }
};

static const HircChoice referral_choices[] = {
  { "police", N_("The police") },
  { "support_service", N_("A victim support service") },
  { "safeguarding", N_("Adult or children's safeguarding") },
  { "health", N_("A health service") },
  { "housing", N_("A housing provider") },
  { "other", NC_("referral", "Somewhere else"), "referral" },
  { "none", N_("No referral was made") },
  { NULL, NULL }
};

/* Each list's built-in choices and the name a taxonomy file's "offered" object uses for it. */
static const struct
{
  const char       *name;
  const HircChoice *choices;
} builtin_lists[HIRC_LIST_N] = {
  [HIRC_LIST_ROLE] = { "roles", role_choices },
  [HIRC_LIST_INCIDENT_TYPE] = { "incident_types", incident_type_choices },
  [HIRC_LIST_MOTIVATION] = { "motivations", motivation_choices },
  [HIRC_LIST_SETTING] = { "settings", setting_choices },
  [HIRC_LIST_APPROXIMATE_WHEN] = { "approximate_when", approximate_when_choices },
  [HIRC_LIST_TIME_OF_DAY] = { "times_of_day", time_of_day_choices },
  [HIRC_LIST_YES_NO_NOT_SURE] = { "yes_no_not_sure", yes_no_not_sure_choices },
  [HIRC_LIST_PLACE_TYPE] = { "place_types", place_type_choices },
  [HIRC_LIST_OFFENDER_COUNT] = { "offender_counts", offender_count_choices },
  [HIRC_LIST_OFFENDER_KNOWN] = { "offender_known", offender_known_choices },
  [HIRC_LIST_EVIDENCE_TYPE] = { "evidence_types", evidence_type_choices },
  [HIRC_LIST_AGE_BAND] = { "age_bands", age_band_choices },
  [HIRC_LIST_CONTACT_METHOD] = { "contact_methods", contact_method_choices },
  [HIRC_LIST_GENDER] = { "genders", gender_choices },
  [HIRC_LIST_SEXUAL_ORIENTATION] = { "sexual_orientations", sexual_orientation_choices },
  [HIRC_LIST_ETHNIC_GROUP] = { "ethnic_groups", ethnic_group_choices },
  [HIRC_LIST_RELIGION] = { "religions", religion_choices },
  [HIRC_LIST_YES_NO_PREFER_NOT_TO_SAY] = { "yes_no_prefer_not_to_say",
                                           yes_no_prefer_not_to_say_choices },
  [HIRC_LIST_RECEIVED_HOW] = { "received_how", received_how_choices },
  [HIRC_LIST_REPORTER_AGREEMENT] = { "reporter_agreement", reporter_agreement_choices },
  [HIRC_LIST_RISK_SIGN] = { "risk_signs", risk_sign_choices },
  [HIRC_LIST_REFERRAL] = { "referrals", referral_choices },
};

/* Taxonomy. */

static void
area_free (gpointer data)
{
  HircArea *area = data;

  g_free (area->code);
  g_free (area->name);
  g_free (area);
}

static void
service_free (gpointer data)
{
  HircSupportService *service = data;

  g_free (service->code);
  g_free (service->name);
  g_free (service->description);
  g_free (service->phone);
  g_free (service->hours);
  g_free (service->website);
  g_free (service);
}

static HircTaxonomy *
taxonomy_new (void)
{
  HircTaxonomy *taxonomy = g_new0 (HircTaxonomy, 1);

  taxonomy->areas = g_ptr_array_new_with_free_func (area_free);
  taxonomy->services = g_ptr_array_new_with_free_func (service_free);
  return taxonomy;
}

void
hirc_taxonomy_free (HircTaxonomy *taxonomy)
{
  if (taxonomy == NULL)
    return;
  g_free (taxonomy->partnership);
  g_ptr_array_unref (taxonomy->areas);
  g_ptr_array_unref (taxonomy->services);
  for (guint i = 0; i < HIRC_LIST_N; i++)
    g_clear_pointer (&taxonomy->offered[i], g_ptr_array_unref);
  g_free (taxonomy);
}

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_code (const char *text)
{
  gsize n = strlen (text);

  if (n == 0 || n > CODE_MAX_CHARS)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!(g_ascii_islower (text[i]) || g_ascii_isdigit (text[i]) || text[i] == '_'
          || text[i] == '-'))
      return FALSE;
  return TRUE;
}

/* Every member of object must be one of allowed (NULL-terminated); where names the object in
 * messages. A misspelt key would otherwise be silently ignored. */
static gboolean
check_keys (JsonObject         *object,
            const char * const *allowed,
            const char         *where,
            GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        if (where == NULL)
          return invalid (error, "the file has an unknown key \"%s\"", (const char *) l->data);
        return invalid (error, "%s has an unknown key \"%s\"", where, (const char *) l->data);
      }
  return TRUE;
}

/* A string member that must not be empty; where names the object in messages (NULL for the
 * file's top level) and what says in words what is missing ("phone number"). */
static gboolean
get_text (JsonObject  *object,
          const char  *key,
          const char  *where,
          const char  *what,
          gboolean     required,
          char       **out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = where != NULL ? g_strdup_printf ("%s.%s", where, key) : g_strdup (key);

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      return invalid (error, "%s has no %s (\"%s\")", where != NULL ? where : "the file", what,
                      key);
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, "%s must be a string", path);
  if (json_node_get_string (node)[0] == '\0')
    return invalid (error, "%s is empty", path);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_code (JsonObject  *object,
          const char  *where,
          GHashTable  *seen,
          char       **out,
          GError     **error)
{
  if (!get_text (object, "code", where, "code", TRUE, out, error))
    return FALSE;
  if (!is_code (*out))
    return invalid (error,
                    "%s.code \"%s\" is not a valid code: use 1 to %u lower-case letters, digits, "
                    "'_' or '-'", where, *out, CODE_MAX_CHARS);
  if (g_hash_table_contains (seen, *out))
    return invalid (error, "%s.code \"%s\" is used more than once", where, *out);
  g_hash_table_add (seen, *out);
  return TRUE;
}

/* Returns the array member key, which must hold at least one object. */
static JsonArray *
get_object_array (JsonObject  *root,
                  const char  *key,
                  const char  *what,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (root, key);
  JsonArray *array;

  if (node == NULL)
    {
      invalid (error, "the file has no \"%s\" (%s)", key, what);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, "\"%s\" must be an array", key);
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    {
      invalid (error, "\"%s\" is empty; list at least one", key);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      {
        invalid (error, "%s[%u] must be an object", key, i);
        return NULL;
      }
  return array;
}

static gboolean
load_areas (HircTaxonomy  *taxonomy,
            JsonObject    *root,
            GError       **error)
{
  static const char *const keys[] = { "code", "name", NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = get_object_array (root, "areas", "the county's areas", error);

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      g_autofree char *where = g_strdup_printf ("areas[%u]", i);
      HircArea *area = g_new0 (HircArea, 1);

      g_ptr_array_add (taxonomy->areas, area);
      if (!check_keys (object, keys, where, error)
          || !get_code (object, where, seen, &area->code, error))
        return FALSE;
      /* The report uses "not_sure" for a reporter who does not know the area. */
      if (g_str_equal (area->code, "not_sure"))
        return invalid (error, "%s.code \"not_sure\" is reserved for reporters who do not know "
                        "the area", where);
      if (!get_text (object, "name", where, "name", TRUE, &area->name, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_services (HircTaxonomy  *taxonomy,
               JsonObject    *root,
               GError       **error)
{
  static const char *const keys[] = {
    "code", "name", "description", "phone", "hours", "website", NULL
  };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = get_object_array (root, "support_services", "the local support services",
                                       error);

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      g_autofree char *where = g_strdup_printf ("support_services[%u]", i);
      HircSupportService *service = g_new0 (HircSupportService, 1);

      g_ptr_array_add (taxonomy->services, service);
      if (!check_keys (object, keys, where, error)
          || !get_code (object, where, seen, &service->code, error)
          || !get_text (object, "name", where, "name", TRUE, &service->name, error)
          || !get_text (object, "description", where, "description", TRUE,
                        &service->description, error)
          || !get_text (object, "phone", where, "phone number", TRUE, &service->phone, error)
          || !get_text (object, "hours", where, "opening hours", TRUE, &service->hours, error)
          || !get_text (object, "website", where, "website", FALSE, &service->website, error))
        return FALSE;
      if (service->website != NULL && !g_str_has_prefix (service->website, "https://")
          && !g_str_has_prefix (service->website, "http://"))
        return invalid (error, "%s.website \"%s\" must start with https://", where,
                        service->website);
    }
  return TRUE;
}

static gboolean
load_offered (HircTaxonomy  *taxonomy,
              JsonObject    *root,
              GError       **error)
{
  JsonNode *node = json_object_get_member (root, "offered");
  JsonObject *offered;
  g_autoptr(GList) members = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "\"offered\" must be an object that maps list names to codes");
  offered = json_node_get_object (node);
  members = json_object_get_members (offered);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (offered, name);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      JsonArray *codes;
      int list = -1;

      for (guint i = 0; i < HIRC_LIST_N; i++)
        if (g_str_equal (builtin_lists[i].name, name))
          list = (int) i;
      if (list < 0)
        return invalid (error, "offered has an unknown list \"%s\"; see REPORT.md for the list "
                        "names", name);
      if (!JSON_NODE_HOLDS_ARRAY (value))
        return invalid (error, "offered.%s must be an array of codes", name);
      codes = json_node_get_array (value);
      if (json_array_get_length (codes) == 0)
        return invalid (error, "offered.%s is empty; leave it out to offer every choice", name);

      taxonomy->offered[list] = g_ptr_array_new ();
      for (guint i = 0; i < json_array_get_length (codes); i++)
        {
          JsonNode *element = json_array_get_element (codes, i);
          const HircChoice *found = NULL;
          const char *code;

          if (!JSON_NODE_HOLDS_VALUE (element)
              || json_node_get_value_type (element) != G_TYPE_STRING)
            return invalid (error, "offered.%s[%u] must be a string", name, i);
          code = json_node_get_string (element);
          for (const HircChoice *c = builtin_lists[list].choices; c->code != NULL; c++)
            if (g_str_equal (c->code, code))
              found = c;
          if (found == NULL)
            return invalid (error, "offered.%s lists \"%s\", which is not a category this kiosk "
                            "knows", name, code);
          if (g_hash_table_contains (seen, found->code))
            return invalid (error, "offered.%s lists \"%s\" more than once", name, code);
          g_hash_table_add (seen, (gpointer) found->code);
          g_ptr_array_add (taxonomy->offered[list], (gpointer) found);
        }
      g_ptr_array_add (taxonomy->offered[list], NULL);
    }
  return TRUE;
}

HircTaxonomy *
hirc_taxonomy_load_from_data (const char  *data,
                              gsize        len,
                              GError     **error)
{
  static const char *const keys[] = {
    "schema", "partnership", "areas", "support_services", "offered", NULL
  };
  g_autoptr(HircTaxonomy) taxonomy = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *message = NULL;
  JsonObject *root;
  JsonNode *schema;
  guint n_members = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > TAXONOMY_MAX_BYTES)
    {
      invalid (error, "the file is larger than %u bytes; is it the right file?",
               TAXONOMY_MAX_BYTES);
      return NULL;
    }
  switch (hirc_json_check (data, len, TAXONOMY_MAX_DEPTH, &n_members, &message))
    {
    case HIRC_JSON_OK:
      break;
    case HIRC_JSON_SYNTAX:
      g_set_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_NOT_JSON,
                   "the file is not valid JSON: %s", message);
      return NULL;
    case HIRC_JSON_TOO_DEEP:
    case HIRC_JSON_NUL_CHARACTER:
    default:
      invalid (error, "%s", message);
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      g_set_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_NOT_JSON,
                   "the file is not valid JSON: %s", parse_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid (error, "the file must hold one JSON object");
      return NULL;
    }
  if (hirc_json_count_members (json_parser_get_root (parser)) != n_members)
    {
      invalid (error, "a key appears twice in the same object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  schema = json_object_get_member (root, "schema");
  if (schema == NULL)
    {
      invalid (error, "the file has no \"schema\"; it must be \"%s\"", HIRC_TAXONOMY_SCHEMA);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (schema) || json_node_get_value_type (schema) != G_TYPE_STRING
      || !g_str_equal (json_node_get_string (schema), HIRC_TAXONOMY_SCHEMA))
    {
      invalid (error, "\"schema\" must be \"%s\"", HIRC_TAXONOMY_SCHEMA);
      return NULL;
    }
  if (!check_keys (root, keys, NULL, error))
    return NULL;

  taxonomy = taxonomy_new ();
  if (!get_text (root, "partnership", NULL, "partnership name", TRUE,
                 &taxonomy->partnership, error)
      || !load_areas (taxonomy, root, error)
      || !load_services (taxonomy, root, error)
      || !load_offered (taxonomy, root, error))
    return NULL;

  /* Lists the file does not mention offer every built-in choice in the built-in order. */
  for (guint i = 0; i < HIRC_LIST_N; i++)
    if (taxonomy->offered[i] == NULL)
      {
        taxonomy->offered[i] = g_ptr_array_new ();
        for (const HircChoice *c = builtin_lists[i].choices; c->code != NULL; c++)
          g_ptr_array_add (taxonomy->offered[i], (gpointer) c);
        g_ptr_array_add (taxonomy->offered[i], NULL);
      }

  return g_steal_pointer (&taxonomy);
}

HircTaxonomy *
hirc_taxonomy_load (const char  *path,
                    GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  HircTaxonomy *taxonomy;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Reads at most one byte more than allowed, so that a huge file (or a device) is refused
   * without being read whole. */
  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  data = g_malloc (TAXONOMY_MAX_BYTES + 1);
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), data, TAXONOMY_MAX_BYTES + 1, &len,
                                   NULL, &local_error))
    {
      g_set_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_IO,
                   "%s: cannot read the taxonomy file: %s", path, local_error->message);
      return NULL;
    }

  taxonomy = hirc_taxonomy_load_from_data (data, len, &local_error);
  if (taxonomy == NULL)
    {
      g_set_error (error, HIRC_TAXONOMY_ERROR, local_error->code, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  return taxonomy;
}

HircTaxonomy *
hirc_taxonomy_new_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  HircTaxonomy *taxonomy;
  gsize len = 0;
  const char *data;

  /* Looking the file up in this library's own resource (rather than through the global
   * registry) also makes sure the linker keeps the resource in every program. */
  bytes = g_resource_lookup_data (hirc_core_get_resource (), DEFAULT_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("taxonomy: the built-in default is missing: %s", error->message);
  data = g_bytes_get_data (bytes, &len);
  taxonomy = hirc_taxonomy_load_from_data (data, len, &error);
  if (taxonomy == NULL)
    g_error ("taxonomy: the built-in default is invalid: %s", error->message);
  return taxonomy;
}

const char *
hirc_taxonomy_get_partnership (const HircTaxonomy *taxonomy)
{
  g_return_val_if_fail (taxonomy != NULL, NULL);

  return taxonomy->partnership;
}

const HircChoice *const *
hirc_taxonomy_get_choices (const HircTaxonomy *taxonomy,
                           HircList            list)
{
  g_return_val_if_fail (taxonomy != NULL, NULL);
  g_return_val_if_fail ((guint) list < HIRC_LIST_N, NULL);

  return (const HircChoice *const *) taxonomy->offered[list]->pdata;
}

const char *
hirc_choice_translate (const HircChoice *choice)
{
  g_return_val_if_fail (choice != NULL, NULL);

  if (choice->context != NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, choice->context, choice->label);
  return g_dgettext (GETTEXT_PACKAGE, choice->label);
}

const char *
hirc_taxonomy_list_name (HircList list)
{
  g_return_val_if_fail ((guint) list < HIRC_LIST_N, NULL);

  return builtin_lists[list].name;
}

gboolean
hirc_taxonomy_has_code (const HircTaxonomy *taxonomy,
                        HircList            list,
                        const char         *code)
{
  GPtrArray *offered;

  g_return_val_if_fail (taxonomy != NULL, FALSE);
  g_return_val_if_fail ((guint) list < HIRC_LIST_N, FALSE);

  if (code == NULL)
    return FALSE;
  offered = taxonomy->offered[list];
  /* The last slot is the NULL terminator. */
  for (guint i = 0; i + 1 < offered->len; i++)
    if (g_str_equal (((const HircChoice *) offered->pdata[i])->code, code))
      return TRUE;
  return FALSE;
}

GPtrArray *
hirc_taxonomy_get_areas (const HircTaxonomy *taxonomy)
{
  g_return_val_if_fail (taxonomy != NULL, NULL);

  return taxonomy->areas;
}

GPtrArray *
hirc_taxonomy_get_services (const HircTaxonomy *taxonomy)
{
  g_return_val_if_fail (taxonomy != NULL, NULL);

  return taxonomy->services;
}

gboolean
hirc_taxonomy_has_area (const HircTaxonomy *taxonomy,
                        const char         *code)
{
  g_return_val_if_fail (taxonomy != NULL, FALSE);

  if (code == NULL)
    return FALSE;
  for (guint i = 0; i < taxonomy->areas->len; i++)
    if (g_str_equal (((HircArea *) taxonomy->areas->pdata[i])->code, code))
      return TRUE;
  return FALSE;
}

const HircSupportService *
hirc_taxonomy_find_service (const HircTaxonomy *taxonomy,
                            const char         *code)
{
  g_return_val_if_fail (taxonomy != NULL, NULL);

  if (code == NULL)
    return NULL;
  for (guint i = 0; i < taxonomy->services->len; i++)
    {
      const HircSupportService *service = taxonomy->services->pdata[i];

      if (g_str_equal (service->code, code))
        return service;
    }
  return NULL;
}
