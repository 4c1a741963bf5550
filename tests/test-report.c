/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report.c: the report model: validation of every field, parsing, canonical JSON, wiping,
 * text neutralisation, ids and reference codes. */

#include "config.h"

#include "hirc-report.h"
#include "hirc-taxonomy.h"

#include <string.h>

#define UUID_V4_PATTERN \
  "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"

/* A report that answers every question, against the default taxonomy; it must have no
 * problems. The description holds a right-to-left mark, which must stay allowed. */
static const char full_report[] =
  "{"
  "\"schema\":\"hirc.report/1\","
  "\"id\":\"3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9d\","
  "\"reference\":\"HR-7KQ2-M9XE\","
  "\"created\":\"2026-11-23T11:00:00Z\","
  "\"role\":\"on_behalf\","
  "\"incident_types\":[\"verbal_abuse\",\"threats_harassment\",\"other\"],"
  "\"incident_other\":\"They followed him home from the bus stop\","
  "\"motivations\":[\"race\",\"religion\"],"
  "\"motivation_other\":\"They mocked how he dresses\","
  "\"setting\":\"both\","
  "\"online\":{\"platform\":\"A local community group\","
  "\"address\":\"https://social.example/groups/123\"},"
  "\"when\":{\"date\":\"2026-11-20\",\"approximate\":\"this_week\",\"time_of_day\":\"evening\","
  "\"ongoing\":\"yes\",\"happened_before\":\"not_sure\"},"
  "\"where\":{\"area\":\"kingsford\",\"place_type\":\"public_transport\","
  "\"details\":\"On the number 12 bus,\\nnear the station\"},"
  "\"description\":\"Two men shouted at my son and said he should go back where he came from."
  "\\n\\tThey said \\u0645\\u0631\\u062d\\u0628\\u0627\\u200f to mock him.\","
  "\"offenders\":{\"count\":\"two\",\"known\":\"stranger\","
  "\"description\":\"Two men, about 30, one with a red cap\"},"
  "\"witnesses\":{\"any\":\"yes\",\"details\":\"The bus driver saw it\"},"
  "\"harm\":{\"injured\":\"no\",\"details\":\"He is frightened to go out\"},"
  "\"evidence\":{\"types\":[\"photos\",\"messages\"],\"details\":\"Screenshots of the posts\"},"
  "\"reported_before\":{\"any\":\"yes\",\"to\":\"The bus company\",\"reference\":\"BC-11234\"},"
  "\"victim\":{\"name\":\"Amir\",\"age_band\":\"under_16\",\"under_16\":true},"
  "\"contact\":{\"anonymous\":false,\"name\":\"Sara Khan\",\"phone\":\"+44 (0)1632 960123\","
  "\"email\":\"sara@example.org\",\"methods\":[\"phone\",\"text_message\"],"
  "\"safe_to_leave_message\":\"no\",\"safe_times\":\"Weekdays after 4pm\"},"
  "\"communication\":{\"language\":\"ar\",\"interpreter\":true,\"bsl\":false,"
  "\"easy_read\":false,\"preferred_name\":\"Sara\",\"pronouns\":\"she/her\"},"
  "\"consents\":{\"police_identifiable\":true,\"police_statistics\":true,"
  "\"support_referral\":true,\"support_service\":\"hate_crime_advocacy\"},"
  "\"equality\":{\"age_band\":\"35_44\",\"gender\":\"woman\",\"trans_history\":\"no\","
  "\"sexual_orientation\":\"prefer_not_to_say\",\"disability\":\"no\","
  "\"ethnic_group\":\"arab\",\"religion\":\"muslim\"},"
  "\"assisted\":{\"received\":\"in_person\",\"reporter_agreed\":\"agreed\","
  "\"risk_signs\":[\"repeat_victimisation\",\"escalating\"],"
  "\"risk_details\":\"The third time this month\",\"referrals\":[\"police\",\"support_service\"],"
  "\"referral_details\":\"The hate crime officer\"},"
  "\"meta\":{\"language\":\"ar\",\"assisted\":true,\"ambassador_id\":\"amb-0042\","
  "\"software_version\":\"0.1.0\",\"centre_id\":\"kingsford-library\"}"
  "}";

static const char minimal_report[] =
  "{\"role\":\"victim\",\"incident_types\":[\"verbal_abuse\"],\"motivations\":[\"not_sure\"],"
  "\"where\":{\"area\":\"kingsford\"},\"description\":\"A man shouted at me in the street.\","
  "\"contact\":{\"anonymous\":true}}";

static HircTaxonomy *taxonomy;

static HircReport *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  HircReport *report = hirc_report_new_from_json (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static char *
serialise (HircReport *report)
{
  g_autoptr(HircSecureBuffer) buffer = hirc_report_serialise (report);

  return g_strndup ((const char *) buffer->data, buffer->len);
}

static char *
describe_problems (GPtrArray *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      HircProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (out, "\n  %s: %s (%s)", problem->field,
                              hirc_problem_code_to_string (problem->code), problem->message);
    }
  if (problems->len == 0)
    g_string_append (out, " none");
  return g_string_free (out, FALSE);
}

static void
assert_no_problems (HircReport *report)
{
  g_autoptr(GPtrArray) problems = hirc_report_validate (report, taxonomy);

  if (problems->len > 0)
    {
      g_autofree char *found = describe_problems (problems);

      g_error ("expected no problems, found:%s", found);
    }
}

/* "<<N>>" in a snippet stands for N letters 'a', so long texts fit in the table. */
static char *
expand (const char *snippet)
{
  GString *out = g_string_new (NULL);

  for (const char *p = snippet; *p != '\0'; )
    {
      if (g_str_has_prefix (p, "<<"))
        {
          char *end = NULL;
          guint64 n = g_ascii_strtoull (p + 2, &end, 10);

          g_assert_true (g_str_has_prefix (end, ">>"));
          for (guint64 i = 0; i < n; i++)
            g_string_append_c (out, 'a');
          p = end + 2;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Merges patch into target: objects merge member by member, null removes the member. */
static void
merge (JsonObject *target,
       JsonObject *patch)
{
  g_autoptr(GList) members = json_object_get_members (patch);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (patch, name);
      JsonNode *existing = json_object_get_member (target, name);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target, name);
      else if (JSON_NODE_HOLDS_OBJECT (value) && existing != NULL
               && JSON_NODE_HOLDS_OBJECT (existing))
        merge (json_node_get_object (existing), json_node_get_object (value));
      else
        json_object_set_member (target, name, json_node_copy (value));
    }
}

static HircReport *
full_report_with (const char *snippet)
{
  g_autofree char *expanded = expand (snippet);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patch = json_from_string (expanded, &error);
  HircReport *report = parse (full_report);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (patch));
  merge (hirc_report_get_root (report), json_node_get_object (patch));
  return report;
}

/* Validation: a table of bad answers, each merged into the full report. */

typedef struct
{
  const char      *snippet;
  const char      *field;
  HircProblemCode  code;
} BadRow;

static const BadRow bad_rows[] = {
  /* Set by the kiosk. */
  { "{\"schema\":null}", "schema", HIRC_PROBLEM_REQUIRED },
  { "{\"schema\":\"hirc.report/2\"}", "schema", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"id\":null}", "id", HIRC_PROBLEM_REQUIRED },
  { "{\"id\":42}", "id", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"id\":\"3F2B8C1E-9A4D-4E7B-8C2F-1D5E6A7B8C9D\"}", "id", HIRC_PROBLEM_INVALID_ID },
  { "{\"id\":\"3f2b8c1e-9a4d-1e7b-8c2f-1d5e6a7b8c9d\"}", "id", HIRC_PROBLEM_INVALID_ID },
  { "{\"id\":\"3f2b8c1e-9a4d-4e7b-cc2f-1d5e6a7b8c9d\"}", "id", HIRC_PROBLEM_INVALID_ID },
  { "{\"id\":\"3f2b8c1e9a4d4e7b8c2f1d5e6a7b8c9d\"}", "id", HIRC_PROBLEM_INVALID_ID },
  { "{\"reference\":\"HR-7KQ2-M9XF\"}", "reference", HIRC_PROBLEM_INVALID_ID },
  { "{\"reference\":\"hr-7kq2-m9xe\"}", "reference", HIRC_PROBLEM_INVALID_ID },
  { "{\"created\":null}", "created", HIRC_PROBLEM_REQUIRED },
  { "{\"created\":\"2026-11-23 11:00:00\"}", "created", HIRC_PROBLEM_INVALID_DATE },
  { "{\"created\":\"2026-02-30T11:00:00Z\"}", "created", HIRC_PROBLEM_INVALID_DATE },
  { "{\"created\":\"2026-11-23T11:00:00+01:00\"}", "created", HIRC_PROBLEM_INVALID_DATE },
  { "{\"colour\":\"red\"}", "colour", HIRC_PROBLEM_UNKNOWN_FIELD },
  /* Role. */
  { "{\"role\":null,\"victim\":null}", "role", HIRC_PROBLEM_REQUIRED },
  { "{\"role\":\"  \",\"victim\":null}", "role", HIRC_PROBLEM_REQUIRED },
  { "{\"role\":\"bystander\",\"victim\":null}", "role", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"role\":[\"victim\"],\"victim\":null}", "role", HIRC_PROBLEM_WRONG_TYPE },
  /* What happened. */
  { "{\"incident_types\":null,\"incident_other\":null}", "incident_types",
    HIRC_PROBLEM_REQUIRED },
  { "{\"incident_types\":[],\"incident_other\":\"\"}", "incident_types", HIRC_PROBLEM_REQUIRED },
  { "{\"incident_types\":[\"verbal_abuse\",\"spitting\"]}", "incident_types",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"incident_types\":[\"theft\",\"theft\"]}", "incident_types",
    HIRC_PROBLEM_DUPLICATE_CODE },
  { "{\"incident_types\":\"theft\"}", "incident_types", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"incident_types\":[1]}", "incident_types", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"incident_types\":[\"verbal_abuse\",\"threats_harassment\",\"physical_assault\","
    "\"sexual_assault\",\"damage\",\"graffiti\",\"hate_mail\",\"abusive_calls\","
    "\"online_abuse\",\"theft\",\"bullying\",\"other\",\"other\"]}", "incident_types",
    HIRC_PROBLEM_TOO_MANY },
  { "{\"incident_other\":\"<<201>>\"}", "incident_other", HIRC_PROBLEM_TOO_LONG },
  { "{\"incident_other\":\"one\\ntwo\"}", "incident_other", HIRC_PROBLEM_CONTROL_CHARACTER },
  /* Why. */
  { "{\"motivations\":null}", "motivations", HIRC_PROBLEM_REQUIRED },
  { "{\"motivations\":[\"not_sure\",\"race\"]}", "motivations", HIRC_PROBLEM_CONFLICT },
  { "{\"motivations\":[\"martian\"]}", "motivations", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"motivations\":{\"race\":true}}", "motivations", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"motivation_other\":\"\\u202eevil\"}", "motivation_other", HIRC_PROBLEM_BIDI_OVERRIDE },
  /* Online or in person. */
  { "{\"setting\":\"in_person\",\"online\":{\"address\":null}}", "online.platform",
    HIRC_PROBLEM_CONFLICT },
  { "{\"setting\":\"in_person\",\"online\":{\"platform\":null}}", "online.address",
    HIRC_PROBLEM_CONFLICT },
  { "{\"setting\":\"virtual\"}", "setting", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"online\":\"facebook\"}", "online", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"online\":{\"colour\":\"blue\"}}", "online.colour", HIRC_PROBLEM_UNKNOWN_FIELD },
  { "{\"online\":{\"address\":\"<<2001>>\"}}", "online.address", HIRC_PROBLEM_TOO_LONG },
  /* When. */
  { "{\"when\":{\"date\":\"2026-02-29\"}}", "when.date", HIRC_PROBLEM_INVALID_DATE },
  { "{\"when\":{\"date\":\"23/11/2026\"}}", "when.date", HIRC_PROBLEM_INVALID_DATE },
  { "{\"when\":{\"date\":\"1899-12-31\"}}", "when.date", HIRC_PROBLEM_INVALID_DATE },
  { "{\"when\":{\"date\":\"2026-11-25\"}}", "when.date", HIRC_PROBLEM_FUTURE_DATE },
  { "{\"when\":{\"date\":20261120}}", "when.date", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"when\":{\"approximate\":\"ages_ago\"}}", "when.approximate", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"when\":{\"time_of_day\":\"noon\"}}", "when.time_of_day", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"when\":{\"ongoing\":true}}", "when.ongoing", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"when\":{\"happened_before\":\"maybe\"}}", "when.happened_before",
    HIRC_PROBLEM_UNKNOWN_CODE },
  /* Where. */
  { "{\"where\":\"kingsford\"}", "where", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"where\":{\"area\":\"atlantis\"}}", "where.area", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"where\":{\"place_type\":\"moon\"}}", "where.place_type", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"where\":{\"details\":\"<<2001>>\"}}", "where.details", HIRC_PROBLEM_TOO_LONG },
  { "{\"where\":{\"details\":\"bell \\u0007\"}}", "where.details",
    HIRC_PROBLEM_CONTROL_CHARACTER },
  /* Description. */
  { "{\"description\":null}", "description", HIRC_PROBLEM_REQUIRED },
  { "{\"description\":\"\"}", "description", HIRC_PROBLEM_REQUIRED },
  { "{\"description\":\" \\n\\t \"}", "description", HIRC_PROBLEM_REQUIRED },
  { "{\"description\":\"<<10001>>\"}", "description", HIRC_PROBLEM_TOO_LONG },
  { "{\"description\":\"Windows line end\\r\\n\"}", "description",
    HIRC_PROBLEM_CONTROL_CHARACTER },
  { "{\"description\":\"next line \\u0085\"}", "description", HIRC_PROBLEM_CONTROL_CHARACTER },
  { "{\"description\":\"delete \\u007f\"}", "description", HIRC_PROBLEM_CONTROL_CHARACTER },
  { "{\"description\":\"isolate \\u2066x\\u2069\"}", "description", HIRC_PROBLEM_BIDI_OVERRIDE },
  { "{\"description\":true}", "description", HIRC_PROBLEM_WRONG_TYPE },
  /* The people responsible. */
  { "{\"offenders\":{\"count\":\"dozens\"}}", "offenders.count", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"offenders\":{\"known\":\"neighbour\"}}", "offenders.known", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"offenders\":{\"description\":\"<<2001>>\"}}", "offenders.description",
    HIRC_PROBLEM_TOO_LONG },
  { "{\"offenders\":{\"age\":30}}", "offenders.age", HIRC_PROBLEM_UNKNOWN_FIELD },
  /* Witnesses, harm, evidence. */
  { "{\"witnesses\":{\"any\":\"many\"}}", "witnesses.any", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"witnesses\":{\"details\":5}}", "witnesses.details", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"harm\":{\"injured\":false}}", "harm.injured", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"harm\":{\"details\":\"\\u2067hidden\"}}", "harm.details", HIRC_PROBLEM_BIDI_OVERRIDE },
  { "{\"evidence\":{\"types\":[\"dna\"]}}", "evidence.types", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"evidence\":{\"types\":[\"cctv\",\"cctv\"]}}", "evidence.types",
    HIRC_PROBLEM_DUPLICATE_CODE },
  { "{\"evidence\":{\"details\":{\"a\":1}}}", "evidence.details", HIRC_PROBLEM_WRONG_TYPE },
  /* Reported before. */
  { "{\"reported_before\":{\"any\":\"yes please\"}}", "reported_before.any",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"reported_before\":{\"to\":\"<<201>>\"}}", "reported_before.to", HIRC_PROBLEM_TOO_LONG },
  { "{\"reported_before\":{\"reference\":\"a\\tb\"}}", "reported_before.reference",
    HIRC_PROBLEM_CONTROL_CHARACTER },
  /* The victim, when reporting for someone else. */
  { "{\"role\":\"victim\",\"victim\":{\"age_band\":null,\"under_16\":null}}", "victim.name",
    HIRC_PROBLEM_CONFLICT },
  { "{\"role\":\"witness\",\"victim\":{\"name\":null,\"under_16\":null}}", "victim.age_band",
    HIRC_PROBLEM_CONFLICT },
  { "{\"victim\":{\"age_band\":\"18_24\"}}", "victim.under_16", HIRC_PROBLEM_CONFLICT },
  { "{\"victim\":{\"age_band\":\"16_17\"}}", "victim.under_16", HIRC_PROBLEM_CONFLICT },
  { "{\"victim\":{\"under_16\":false}}", "victim.under_16", HIRC_PROBLEM_CONFLICT },
  { "{\"victim\":{\"under_16\":\"yes\"}}", "victim.under_16", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"victim\":{\"age_band\":\"child\"}}", "victim.age_band", HIRC_PROBLEM_UNKNOWN_CODE },
  /* Contact. */
  { "{\"contact\":{\"anonymous\":true,\"phone\":null,\"email\":null}}", "contact.name",
    HIRC_PROBLEM_CONFLICT },
  { "{\"contact\":{\"anonymous\":true,\"name\":null,\"email\":null}}", "contact.phone",
    HIRC_PROBLEM_CONFLICT },
  { "{\"contact\":{\"anonymous\":true,\"name\":null,\"phone\":null}}", "contact.email",
    HIRC_PROBLEM_CONFLICT },
  { "{\"contact\":{\"anonymous\":\"no\"}}", "contact.anonymous", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"contact\":{\"phone\":\"0800 CALL ME\"}}", "contact.phone", HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"phone\":\"12345\"}}", "contact.phone", HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"phone\":\"+44 (0) ---\"}}", "contact.phone", HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"phone\":\"+44 1632 960123 00000\"}}", "contact.phone",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"email\":\"sara.example.org\"}}", "contact.email",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"email\":\"sara@localhost\"}}", "contact.email",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"email\":\"sara khan@example.org\"}}", "contact.email",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"email\":\"a@b@example.org\"}}", "contact.email",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"contact\":{\"email\":\"<<250>>@example.org\"}}", "contact.email",
    HIRC_PROBLEM_TOO_LONG },
  { "{\"contact\":{\"methods\":[\"pigeon\"]}}", "contact.methods", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"contact\":{\"methods\":[\"phone\",\"email\",\"letter\",\"text_message\",\"phone\"]}}",
    "contact.methods", HIRC_PROBLEM_TOO_MANY },
  { "{\"contact\":{\"safe_to_leave_message\":\"sometimes\"}}", "contact.safe_to_leave_message",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"contact\":{\"safe_times\":\"after \\u009b4pm\"}}", "contact.safe_times",
    HIRC_PROBLEM_CONTROL_CHARACTER },
  /* Communication needs. */
  { "{\"communication\":{\"language\":\"english please\"}}", "communication.language",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"communication\":{\"language\":\"e\"}}", "communication.language",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"communication\":{\"language\":\"en--gb\"}}", "communication.language",
    HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"communication\":{\"language\":\"en-aaaaaaaa-bbbbbbbb-cccccccc-dddddd\"}}",
    "communication.language", HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"communication\":{\"interpreter\":\"yes\"}}", "communication.interpreter",
    HIRC_PROBLEM_WRONG_TYPE },
  { "{\"communication\":{\"bsl\":1}}", "communication.bsl", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"communication\":{\"easy_read\":[true]}}", "communication.easy_read",
    HIRC_PROBLEM_WRONG_TYPE },
  { "{\"communication\":{\"preferred_name\":\"<<201>>\"}}", "communication.preferred_name",
    HIRC_PROBLEM_TOO_LONG },
  { "{\"communication\":{\"pronouns\":\"\\u202ashe\"}}", "communication.pronouns",
    HIRC_PROBLEM_BIDI_OVERRIDE },
  /* Consents. */
  { "{\"consents\":{\"police_identifiable\":\"true\"}}", "consents.police_identifiable",
    HIRC_PROBLEM_WRONG_TYPE },
  { "{\"consents\":{\"police_statistics\":0}}", "consents.police_statistics",
    HIRC_PROBLEM_WRONG_TYPE },
  { "{\"consents\":{\"support_service\":null}}", "consents.support_service",
    HIRC_PROBLEM_REQUIRED },
  { "{\"consents\":{\"support_service\":\"samaritans\"}}", "consents.support_service",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"consents\":{\"support_referral\":false}}", "consents.support_service",
    HIRC_PROBLEM_CONFLICT },
  { "{\"consents\":{\"support_referral\":null}}", "consents.support_service",
    HIRC_PROBLEM_CONFLICT },
  { "{\"consents\":{\"marketing\":true}}", "consents.marketing", HIRC_PROBLEM_UNKNOWN_FIELD },
  /* Equality monitoring. */
  { "{\"equality\":{\"age_band\":\"ancient\"}}", "equality.age_band", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"equality\":{\"gender\":\"robot\"}}", "equality.gender", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"equality\":{\"trans_history\":\"not_sure\"}}", "equality.trans_history",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"equality\":{\"sexual_orientation\":\"straight\"}}", "equality.sexual_orientation",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"equality\":{\"disability\":true}}", "equality.disability", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"equality\":{\"ethnic_group\":\"martian\"}}", "equality.ethnic_group",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"equality\":{\"religion\":\"jedi\"}}", "equality.religion", HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"equality\":{\"shoe_size\":\"9\"}}", "equality.shoe_size", HIRC_PROBLEM_UNKNOWN_FIELD },
  { "{\"equality\":[]}", "equality", HIRC_PROBLEM_WRONG_TYPE },
  /* Set by the kiosk. */
  { "{\"meta\":{\"language\":\"pl_PL\"}}", "meta.language", HIRC_PROBLEM_INVALID_FORMAT },
  { "{\"meta\":{\"assisted\":false},\"assisted\":null}", "meta.ambassador_id",
    HIRC_PROBLEM_CONFLICT },
  { "{\"meta\":{\"assisted\":\"yes\",\"ambassador_id\":null},\"assisted\":null}", "meta.assisted",
    HIRC_PROBLEM_WRONG_TYPE },
  { "{\"meta\":{\"ambassador_id\":\"<<65>>\"}}", "meta.ambassador_id", HIRC_PROBLEM_TOO_LONG },
  { "{\"meta\":{\"software_version\":7}}", "meta.software_version", HIRC_PROBLEM_WRONG_TYPE },
  { "{\"meta\":{\"centre_id\":\"a\\nb\"}}", "meta.centre_id", HIRC_PROBLEM_CONTROL_CHARACTER },
  { "{\"meta\":{\"debug\":true}}", "meta.debug", HIRC_PROBLEM_UNKNOWN_FIELD },
  /* The ambassador's questions. */
  { "{\"assisted\":{\"received\":\"carrier_pigeon\"}}", "assisted.received",
    HIRC_PROBLEM_UNKNOWN_CODE },
  { "{\"assisted\":{\"reporter_agreed\":true}}", "assisted.reporter_agreed",
    HIRC_PROBLEM_WRONG_TYPE },
  { "{\"assisted\":{\"risk_signs\":[\"none\",\"immediate_risk\"]}}", "assisted.risk_signs",
    HIRC_PROBLEM_CONFLICT },
  { "{\"assisted\":{\"referrals\":[\"police\",\"none\"]}}", "assisted.referrals",
    HIRC_PROBLEM_CONFLICT },
  { "{\"assisted\":{\"referrals\":[\"police\",\"police\"]}}", "assisted.referrals",
    HIRC_PROBLEM_DUPLICATE_CODE },
  { "{\"assisted\":{\"risk_details\":\"<<2001>>\"}}", "assisted.risk_details",
    HIRC_PROBLEM_TOO_LONG },
  { "{\"assisted\":{\"referral_details\":\"<<201>>\"}}", "assisted.referral_details",
    HIRC_PROBLEM_TOO_LONG },
  { "{\"assisted\":{\"badge\":\"7\"}}", "assisted.badge", HIRC_PROBLEM_UNKNOWN_FIELD },
  /* Only in an assisted report. */
  { "{\"meta\":{\"assisted\":false,\"ambassador_id\":null},\"assisted\":{\"reporter_agreed\":null,"
    "\"risk_signs\":null,\"risk_details\":null,\"referrals\":null,\"referral_details\":null}}",
    "assisted.received", HIRC_PROBLEM_CONFLICT },
};

static void
test_validate_bad (gconstpointer data)
{
  const BadRow *row = data;
  g_autoptr(HircReport) report = full_report_with (row->snippet);
  g_autoptr(GPtrArray) problems = hirc_report_validate (report, taxonomy);
  g_autofree char *found = describe_problems (problems);
  gboolean expected_found = FALSE;

  for (guint i = 0; i < problems->len; i++)
    {
      HircProblem *problem = g_ptr_array_index (problems, i);

      /* The rest of the report is valid, so no other field may be blamed. */
      if (!g_str_equal (problem->field, row->field))
        g_error ("%s: expected only %s problems, found:%s", row->snippet, row->field, found);
      g_assert_nonnull (problem->message);
      g_assert_cmpstr (problem->message, !=, "");
      if (problem->code == row->code)
        expected_found = TRUE;
    }
  if (!expected_found)
    g_error ("%s: expected %s %s, found:%s", row->snippet, row->field,
             hirc_problem_code_to_string (row->code), found);
}

/* Answers that look unusual but are right. */
static const char *const good_rows[] = {
  "{\"motivations\":[\"not_sure\"]}",
  "{\"where\":{\"area\":\"not_sure\"}}",
  "{\"when\":{\"date\":\"2026-11-24\"}}", /* already the 24th east of UTC */
  "{\"when\":{\"date\":\"2024-02-29\"}}",
  "{\"incident_types\":null}", /* incident_other describes it */
  "{\"incident_types\":[],\"incident_other\":\"They spat at me\"}",
  "{\"description\":\"\\u05e9\\u05dc\\u05d5\\u05dd \\u200e\\u200f\\u061c\\n\\ttabbed\"}",
  "{\"description\":\"<<10000>>\"}",
  "{\"incident_other\":\"<<200>>\"}",
  "{\"victim\":{\"age_band\":\"prefer_not_to_say\"}}",
  "{\"victim\":{\"age_band\":\"18_24\",\"under_16\":null}}",
  "{\"contact\":{\"anonymous\":true,\"name\":null,\"phone\":null,\"email\":\"\"}}",
  "{\"contact\":{\"phone\":\"07700 900123\",\"email\":\"\\u00e9milie@exemple.example.fr\"}}",
  "{\"communication\":{\"language\":\"pa-IN\"}}",
  "{\"communication\":{\"language\":\"en-easyread\"}}",
  "{\"consents\":{\"support_referral\":false,\"support_service\":\"\"}}",
  "{\"meta\":{\"assisted\":false,\"ambassador_id\":null},\"assisted\":null}",
  "{\"assisted\":null}",
  "{\"assisted\":{\"risk_signs\":[\"none\"],\"risk_details\":null,\"referrals\":[\"none\"]}}",
  "{\"online\":null,\"setting\":\"in_person\"}",
  "{\"victim\":null,\"role\":\"ambassador\"}",
};

static void
test_validate_good (gconstpointer data)
{
  g_autoptr(HircReport) report = full_report_with (data);

  assert_no_problems (report);
}

static void
test_validate_full (void)
{
  g_autoptr(HircReport) report = parse (full_report);

  assert_no_problems (report);
}

static void
test_validate_minimal (void)
{
  g_autoptr(HircReport) report = parse (minimal_report);

  assert_no_problems (report);
}

static void
assert_problems (GPtrArray          *problems,
                 const char * const *expected)
{
  g_autofree char *found = describe_problems (problems);
  guint n = g_strv_length ((char **) expected) / 2;

  if (problems->len != n)
    g_error ("expected %u problems, found:%s", n, found);
  for (guint i = 0; i < n; i++)
    {
      HircProblem *problem = g_ptr_array_index (problems, i);

      if (!g_str_equal (problem->field, expected[2 * i])
          || !g_str_equal (hirc_problem_code_to_string (problem->code), expected[2 * i + 1]))
        g_error ("problem %u should be %s %s; found:%s", i, expected[2 * i], expected[2 * i + 1],
                 found);
    }
}

/* A new report lacks exactly what a reporter must give, in the order of the pages. */
static void
test_validate_new (void)
{
  static const char *const expected[] = {
    "role", "required",
    "incident_types", "required",
    "motivations", "required",
    "description", "required",
    NULL
  };
  g_autoptr(HircReport) report = hirc_report_new ();
  g_autoptr(GPtrArray) problems = hirc_report_validate (report, taxonomy);
  HircProblem *description;

  assert_problems (problems, expected);
  description = g_ptr_array_index (problems, 3);
  g_assert_cmpstr (description->message, ==, "Tell us what happened in your own words.");
}

static void
test_validate_many (void)
{
  static const char *const expected[] = {
    "role", "unknown_code",
    "motivations", "duplicate_code",
    "motivations", "conflict",
    "when.date", "future_date",
    "description", "required",
    "contact.name", "conflict",
    "contact.phone", "invalid_format",
    "contact.phone", "conflict",
    "contact.email", "conflict",
    "consents.support_service", "conflict",
    "meta.debug", "unknown_field",
    "zebra", "unknown_field",
    NULL
  };
  g_autoptr(HircReport) report = full_report_with (
    "{\"zebra\":1,\"meta\":{\"debug\":1},\"role\":\"nobody\",\"victim\":null,"
    "\"motivations\":[\"race\",\"not_sure\",\"race\"],\"when\":{\"date\":\"2027-01-01\"},"
    "\"description\":\"\",\"contact\":{\"anonymous\":true,\"phone\":\"call me\"},"
    "\"consents\":{\"support_referral\":false}}");
  g_autoptr(GPtrArray) problems = hirc_report_validate (report, taxonomy);

  assert_problems (problems, expected);
}

static void
test_validate_invalid_utf8 (void)
{
  g_autoptr(HircReport) report = parse (full_report);
  g_autoptr(GPtrArray) problems = NULL;
  static const char *const expected[] = {
    "where.details", "invalid_utf8",
    "description", "invalid_utf8",
    "contact.name", "invalid_utf8",
    NULL
  };

  hirc_report_set_string (report, "description", "caf\xc3");
  hirc_report_set_string (report, "where.details", "\xed\xa0\x80 surrogate");
  hirc_report_set_string (report, "contact.name", "\xff\xfe");
  problems = hirc_report_validate (report, taxonomy);
  assert_problems (problems, expected);
}

/* Limits count characters, not bytes. */
static void
test_validate_limits (void)
{
  g_autoptr(HircReport) report = parse (full_report);
  GString *text = g_string_new (NULL);
  g_autoptr(GPtrArray) problems = NULL;
  static const char *const expected[] = { "description", "too_long", NULL };

  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "\xf0\x9f\x98\x80"); /* U+1F600, four bytes */
  hirc_report_set_string (report, "description", text->str);
  assert_no_problems (report);

  g_string_append (text, "x");
  hirc_report_set_string (report, "description", text->str);
  problems = hirc_report_validate (report, taxonomy);
  assert_problems (problems, expected);
  g_string_free (text, TRUE);
}

/* A report with every text at its limit, in four-byte characters, is still accepted back. */
static void
test_validate_largest (void)
{
  static const struct { const char *path; guint chars; } texts[] = {
    { "incident_other", 200 }, { "motivation_other", 200 }, { "online.platform", 200 },
    { "online.address", 2000 }, { "where.details", 2000 }, { "description", 10000 },
    { "offenders.description", 2000 }, { "witnesses.details", 2000 },
    { "harm.details", 2000 }, { "evidence.details", 2000 }, { "reported_before.to", 200 },
    { "reported_before.reference", 200 }, { "victim.name", 200 }, { "contact.name", 200 },
    { "contact.safe_times", 200 }, { "communication.preferred_name", 200 },
    { "communication.pronouns", 200 }, { "assisted.risk_details", 2000 },
    { "assisted.referral_details", 200 }, { "meta.ambassador_id", 64 },
    { "meta.software_version", 64 }, { "meta.centre_id", 64 },
  };
  g_autoptr(HircReport) report = parse (full_report);
  g_autoptr(HircReport) again = NULL;
  g_autoptr(HircSecureBuffer) buffer = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GString *text = g_string_new (NULL);

      for (guint j = 0; j < texts[i].chars; j++)
        g_string_append (text, "\xf0\x9f\x98\x80");
      hirc_report_set_string (report, texts[i].path, text->str);
      g_string_free (text, TRUE);
    }
  assert_no_problems (report);
  buffer = hirc_report_serialise (report);
  g_assert_cmpuint (buffer->len, <, 192 * 1024);
  again = hirc_report_new_from_json ((const char *) buffer->data, buffer->len, &error);
  g_assert_no_error (error);
  assert_no_problems (again);
}

/* Parsing. */

typedef struct
{
  const char      *json;
  HircReportError  code;
} ParseRow;

static const ParseRow parse_rows[] = {
  { "", HIRC_REPORT_ERROR_NOT_JSON },
  { "   ", HIRC_REPORT_ERROR_NOT_JSON },
  { "{", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"role\":\"victim\",}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{}{}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{} x", HIRC_REPORT_ERROR_NOT_JSON },
  { "/* comment */ {}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{'role':'victim'}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":01}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":1.}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":tru}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":\"tab\there\"}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":\"\\x41\"}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":\"\\udc00\"}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":\"\\ud800x\"}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":\"\xff\"}", HIRC_REPORT_ERROR_NOT_JSON },
  { "{\"a\":\"\xc0\xaf\"}", HIRC_REPORT_ERROR_NOT_JSON },
  { "[]", HIRC_REPORT_ERROR_NOT_AN_OBJECT },
  { "\"report\"", HIRC_REPORT_ERROR_NOT_AN_OBJECT },
  { "null", HIRC_REPORT_ERROR_NOT_AN_OBJECT },
  { "{\"schema\":\"hirc.report/2\"}", HIRC_REPORT_ERROR_UNKNOWN_SCHEMA },
  { "{\"schema\":1}", HIRC_REPORT_ERROR_UNKNOWN_SCHEMA },
  { "{\"schema\":\"\"}", HIRC_REPORT_ERROR_UNKNOWN_SCHEMA },
  { "{\"role\":\"victim\",\"role\":\"witness\"}", HIRC_REPORT_ERROR_INVALID },
  { "{\"when\":{\"a\":{\"b\":1},\"a\":2}}", HIRC_REPORT_ERROR_INVALID },
  { "{\"description\":\"cut\\u0000short\"}", HIRC_REPORT_ERROR_INVALID },
};

static void
test_parse_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HircReport) report = NULL;
      /* Escaped, because some rows are deliberately not UTF-8 and TAP output must be. */
      g_autofree char *shown = g_strescape (parse_rows[i].json, NULL);

      report = hirc_report_new_from_json (parse_rows[i].json, strlen (parse_rows[i].json),
                                          &error);
      g_test_message ("%s", shown);
      g_assert_null (report);
      g_assert_error (error, HIRC_REPORT_ERROR, (gint) parse_rows[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* Nesting is refused before json-glib, whose recursive parser would overflow the stack. */
static void
test_parse_deep (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircReport) report = NULL;
  GString *deep = g_string_new ("{\"a\":");

  for (guint i = 0; i < 150000; i++)
    g_string_append_c (deep, '[');
  report = hirc_report_new_from_json (deep->str, deep->len, &error);
  g_assert_null (report);
  g_assert_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_INVALID);
  g_string_free (deep, TRUE);
}

static void
test_parse_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircReport) report = NULL;
  gsize len = 192 * 1024 + 1;
  g_autofree char *data = g_malloc (len);

  memset (data, ' ', len);
  data[0] = '{';
  data[len - 1] = '}';
  report = hirc_report_new_from_json (data, len, &error);
  g_assert_null (report);
  g_assert_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_TOO_LARGE);

  /* One byte less is read. */
  g_clear_error (&error);
  report = hirc_report_new_from_json (data, len - 1, &error);
  g_assert_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_NOT_JSON);
  data[len - 2] = '}';
  g_clear_error (&error);
  report = hirc_report_new_from_json (data, len - 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
}

static void
test_parse_position (void)
{
  const char json[] = "{\n  \"role\": \"victim\",\n  \"description\": ,\n}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HircReport) report = hirc_report_new_from_json (json, strlen (json), &error);

  g_assert_null (report);
  g_assert_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_NOT_JSON);
  g_assert_nonnull (strstr (error->message, "3:18"));
}

static void
test_parse_fills (void)
{
  g_autoptr(HircReport) empty = parse ("{}");
  g_autoptr(HircReport) blank = parse ("{\"id\":\"\",\"meta\":{\"centre_id\":\"c1\"}}");
  g_autoptr(HircReport) given = parse (full_report);
  g_autoptr(HircReport) odd_meta = parse ("{\"meta\":\"x\"}");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 created = hirc_report_get_created (empty);
  g_autofree char *normalised = NULL;

  g_assert_cmpstr (hirc_report_get_string (empty, "schema"), ==, HIRC_REPORT_SCHEMA);
  g_assert_true (g_regex_match_simple (UUID_V4_PATTERN, hirc_report_get_id (empty), 0, 0));
  normalised = hirc_reference_normalise (hirc_report_get_reference (empty));
  g_assert_cmpstr (normalised, ==, hirc_report_get_reference (empty));
  g_assert_cmpint (ABS (created - g_date_time_to_unix (now)), <=, 5);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
                                       hirc_report_get_string (empty, "created"), 0, 0));
  g_assert_cmpstr (hirc_report_get_string (empty, "meta.software_version"), ==, PACKAGE_VERSION);

  g_assert_nonnull (hirc_report_get_id (blank));
  g_assert_cmpstr (hirc_report_get_id (blank), !=, "");
  g_assert_cmpstr (hirc_report_get_string (blank, "meta.centre_id"), ==, "c1");
  g_assert_cmpstr (hirc_report_get_string (blank, "meta.software_version"), ==, PACKAGE_VERSION);

  /* What is given is kept: a report from an older kiosk keeps its version. */
  g_assert_cmpstr (hirc_report_get_id (given), ==, "3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9d");
  g_assert_cmpstr (hirc_report_get_reference (given), ==, "HR-7KQ2-M9XE");
  g_assert_cmpint (hirc_report_get_created (given), ==, 1795431600);
  g_assert_cmpstr (hirc_report_get_string (given, "meta.software_version"), ==, "0.1.0");

  /* A group of the wrong type is left for validation to report. */
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (hirc_report_get_root (odd_meta),
                                                                "meta")));
}

static void
test_new_unique (void)
{
  g_autoptr(HircReport) a = hirc_report_new ();
  g_autoptr(HircReport) b = hirc_report_new ();

  g_assert_cmpstr (hirc_report_get_id (a), !=, hirc_report_get_id (b));
  g_assert_cmpstr (hirc_report_get_reference (a), !=, hirc_report_get_reference (b));
  g_assert_cmpint (hirc_report_get_created (a), >, 0);
}

/* Canonical JSON. */

static void
test_serialise_exact (void)
{
  const char input[] =
    "{\"description\":\"He said \\\"go home\\\"\\n\\u0001\\/\\u00e9\",\"zeta\":{\"b\":2,\"a\":[1.5,"
    "-0.0,1e400,null,true]},\"where\":{\"details\":\"x\",\"area\":\"not_sure\"},"
    "\"role\":\"victim\",\"meta\":{\"software_version\":\"9\"},"
    "\"created\":\"2026-11-23T11:00:00Z\",\"reference\":\"HR-0000-0000\","
    "\"id\":\"00000000-0000-4000-8000-000000000000\",\"schema\":\"hirc.report/1\","
    "\"alpha\":1}";
  const char expected[] =
    "{\"schema\":\"hirc.report/1\",\"id\":\"00000000-0000-4000-8000-000000000000\","
    "\"reference\":\"HR-0000-0000\",\"created\":\"2026-11-23T11:00:00Z\",\"role\":\"victim\","
    "\"where\":{\"area\":\"not_sure\",\"details\":\"x\"},"
    "\"description\":\"He said \\\"go home\\\"\\n\\u0001/\xc3\xa9\","
    "\"meta\":{\"software_version\":\"9\"},\"alpha\":1,\"zeta\":{\"a\":[1.5,0,null,null,true],"
    "\"b\":2}}";
  g_autoptr(HircReport) report = parse (input);
  g_autofree char *json = serialise (report);

  g_assert_cmpstr (json, ==, expected);
}

static void
test_serialise_round_trip (void)
{
  const char *const inputs[] = {
    full_report,
    minimal_report,
    "{\"zeta\":[1,2.5,-0.0,0.1,1e300,12345678901234567890,-9223372036854775808,{\"b\":1,"
    "\"a\":\"\\u00e9\\/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u007f\\ud83d\\ude00\"}],"
    "\"alpha\":{\"y\":[],\"x\":{}},\"description\":\"\\u2028\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(HircReport) report = parse (inputs[i]);
      g_autofree char *first = serialise (report);
      g_autoptr(HircReport) again = parse (first);
      g_autofree char *second = serialise (again);

      g_assert_cmpstr (first, ==, second);
    }
}

static JsonNode *
reversed (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = g_list_reverse (json_object_get_members (object));
      JsonObject *copy = json_object_new ();
      JsonNode *result = json_node_new (JSON_NODE_OBJECT);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (copy, l->data, reversed (json_object_get_member (object, l->data)));
      json_node_take_object (result, copy);
      return result;
    }
  return json_node_copy (node);
}

/* The same answers give the same bytes, whatever order they were given in. */
static void
test_serialise_order (void)
{
  g_autoptr(JsonNode) node = json_from_string (full_report, NULL);
  g_autoptr(JsonNode) backwards = reversed (node);
  g_autofree char *backwards_text = json_to_string (backwards, FALSE);
  g_autoptr(HircReport) a = parse (full_report);
  g_autoptr(HircReport) b = parse (backwards_text);
  g_autofree char *a_json = serialise (a);
  g_autofree char *b_json = serialise (b);
  const char ids[] = "{\"id\":\"3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9d\","
                     "\"reference\":\"HR-7KQ2-M9XE\",\"created\":\"2026-11-23T11:00:00Z\"}";
  const char *const types[] = { "theft", "damage", NULL };
  g_autoptr(HircReport) c = parse (ids);
  g_autoptr(HircReport) d = parse (ids);
  g_autofree char *c_json = NULL;
  g_autofree char *d_json = NULL;

  g_assert_true (strstr (backwards_text, "\"schema\"") > strstr (backwards_text, "\"meta\""));
  g_assert_cmpstr (a_json, ==, b_json);

  hirc_report_set_string (c, "description", "Words");
  hirc_report_set_string (c, "where.details", "By the shop");
  hirc_report_set_string (c, "where.area", "kingsford");
  hirc_report_set_boolean (c, "contact.anonymous", TRUE);
  hirc_report_set_codes (c, "incident_types", types);
  hirc_report_set_string (c, "role", "victim");

  hirc_report_set_string (d, "role", "victim");
  hirc_report_set_codes (d, "incident_types", types);
  hirc_report_set_boolean (d, "contact.anonymous", TRUE);
  hirc_report_set_string (d, "where.area", "kingsford");
  hirc_report_set_string (d, "where.details", "By the shop");
  hirc_report_set_string (d, "description", "Words");

  c_json = serialise (c);
  d_json = serialise (d);
  g_assert_cmpstr (c_json, ==, d_json);
}

/* Access by path. */

static void
test_access_paths (void)
{
  g_autoptr(HircReport) report = hirc_report_new ();
  JsonObject *root = hirc_report_get_root (report);
  const char *const types[] = { "theft", "damage", NULL };
  const char *const none[] = { NULL };
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) absent = NULL;
  gboolean is_set = TRUE;

  hirc_report_set_string (report, "where.area", "kingsford");
  g_assert_cmpstr (hirc_report_get_string (report, "where.area"), ==, "kingsford");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "where")));
  hirc_report_set_string (report, "where.area", NULL);
  g_assert_false (json_object_has_member (root, "where"));
  g_assert_null (hirc_report_get_string (report, "where.area"));

  /* Removing the last answer of a group removes the group, and only empty groups. */
  hirc_report_set_string (report, "a.b.c", "x");
  hirc_report_set_string (report, "a.d", "y");
  hirc_report_set_string (report, "a.b.c", "");
  g_assert_false (json_object_has_member (json_object_get_object_member (root, "a"), "b"));
  g_assert_cmpstr (hirc_report_get_string (report, "a.d"), ==, "y");
  hirc_report_set_string (report, "a.d", NULL);
  g_assert_false (json_object_has_member (root, "a"));
  hirc_report_set_string (report, "nothing.here", NULL);

  /* A value in the way of a group is replaced. */
  hirc_report_set_string (report, "when", "yesterday");
  hirc_report_set_string (report, "when.approximate", "yesterday");
  g_assert_cmpstr (hirc_report_get_string (report, "when.approximate"), ==, "yesterday");
  g_assert_null (hirc_report_get_string (report, "when"));

  /* Setting a value to itself is safe although the old value is wiped. */
  hirc_report_set_string (report, "description", "Same words");
  hirc_report_set_string (report, "description", hirc_report_get_string (report, "description"));
  g_assert_cmpstr (hirc_report_get_string (report, "description"), ==, "Same words");

  g_assert_false (hirc_report_get_boolean (report, "contact.anonymous", &is_set));
  g_assert_false (is_set);
  hirc_report_set_boolean (report, "contact.anonymous", TRUE);
  g_assert_true (hirc_report_get_boolean (report, "contact.anonymous", &is_set));
  g_assert_true (is_set);
  hirc_report_set_boolean (report, "contact.anonymous", FALSE);
  g_assert_false (hirc_report_get_boolean (report, "contact.anonymous", &is_set));
  g_assert_true (is_set);
  g_assert_false (hirc_report_get_boolean (report, "description", &is_set));
  g_assert_false (is_set);
  g_assert_null (hirc_report_get_string (report, "contact.anonymous"));
  hirc_report_set_string (report, "contact.anonymous", NULL);
  g_assert_false (json_object_has_member (root, "contact"));

  absent = hirc_report_get_codes (report, "incident_types");
  g_assert_nonnull (absent);
  g_assert_cmpuint (g_strv_length (absent), ==, 0);
  hirc_report_set_codes (report, "incident_types", types);
  codes = hirc_report_get_codes (report, "incident_types");
  g_assert_true (g_strv_equal ((const char * const *) codes, types));
  hirc_report_set_codes (report, "incident_types", none);
  g_assert_false (json_object_has_member (root, "incident_types"));
}

/* Wiping. */

static const char canary[] = "CANARY-5e1d-do-not-keep";

static void
test_wipe (void)
{
  g_autoptr(HircReport) report = parse (full_report);
  g_autofree char *text = g_strdup_printf ("My words %s here", canary);
  g_autofree char *id = NULL;
  const char *const paths[] = { "description", "contact.name", "incident_types" };
  JsonNode *held[G_N_ELEMENTS (paths)];
  const char *bytes[G_N_ELEMENTS (paths)];
  gsize lens[G_N_ELEMENTS (paths)];
  g_autofree char *after = NULL;
  JsonObject *root = hirc_report_get_root (report);

  hirc_report_set_string (report, "description", text);
  hirc_report_set_string (report, "contact.name", canary);
  id = g_strdup (hirc_report_get_id (report));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(GStrv) parts = g_strsplit (paths[i], ".", -1);
      JsonObject *object = root;
      JsonNode *node;

      for (guint j = 0; parts[j + 1] != NULL; j++)
        object = json_object_get_object_member (object, parts[j]);
      node = json_object_get_member (object, parts[g_strv_length (parts) - 1]);
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), 0);
      /* The extra reference keeps the node, and so its string, alive after the report lets
       * go of it. */
      held[i] = json_node_ref (node);
      bytes[i] = json_node_get_string (node);
      lens[i] = strlen (bytes[i]);
      g_assert_cmpuint (lens[i], >, 0);
    }

  hirc_report_wipe (report);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      for (gsize j = 0; j < lens[i]; j++)
        g_assert_cmpint (bytes[i][j], ==, 0);
      json_node_unref (held[i]);
    }
  g_assert_null (hirc_report_get_string (report, "description"));
  g_assert_null (hirc_report_get_string (report, "contact.name"));
  g_assert_null (hirc_report_get_reference (report));
  g_assert_cmpstr (hirc_report_get_id (report), ==, id);
  after = serialise (report);
  g_assert_null (strstr (after, "CANARY"));
  g_assert_null (strstr (after, "Sara"));
  g_assert_cmpuint (json_object_get_size (root), ==, 2);
}

/* Replacing or removing an answer wipes the old words too. */
static void
test_wipe_on_change (void)
{
  g_autoptr(HircReport) report = parse (full_report);
  JsonObject *root = hirc_report_get_root (report);
  JsonNode *old = json_node_ref (json_object_get_member (root, "description"));
  const char *old_text = json_node_get_string (old);
  gsize old_len = strlen (old_text);
  JsonObject *contact = json_object_get_object_member (root, "contact");
  JsonNode *phone = json_node_ref (json_object_get_member (contact, "phone"));
  const char *phone_text = json_node_get_string (phone);
  gsize phone_len = strlen (phone_text);

  hirc_report_set_string (report, "description", "Something else");
  hirc_report_set_string (report, "contact.phone", NULL);
  for (gsize i = 0; i < old_len; i++)
    g_assert_cmpint (old_text[i], ==, 0);
  for (gsize i = 0; i < phone_len; i++)
    g_assert_cmpint (phone_text[i], ==, 0);
  json_node_unref (old);
  json_node_unref (phone);
}

/* Text neutralisation. */

static void
test_neutralise (void)
{
  static const struct
  {
    const char *in;
    gboolean    multi_line;
    const char *out;
  } rows[] = {
    { "plain words", FALSE, "plain words" },
    { "", FALSE, "" },
    { "a\xe2\x80\xaa" "b\xe2\x80\xab" "c\xe2\x80\xac" "d\xe2\x80\xad" "e\xe2\x80\xae" "f", FALSE,
      "abcdef" },
    { "\xe2\x81\xa6" "a\xe2\x81\xa7" "b\xe2\x81\xa8" "c\xe2\x81\xa9", FALSE, "abc" },
    /* Marks that right-to-left writing needs stay. */
    { "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", FALSE, "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" },
    { "one\ntwo\tthree\r\n", TRUE, "one\ntwo\tthree\n" },
    { "one\ntwo\tthree\r\n", FALSE, "onetwothree" },
    { "\x01\x1f\x7f" "x\xc2\x80\xc2\x85\xc2\x9f" "y", TRUE, "xy" },
    { "\xc2\xa0non-breaking", FALSE, "\xc2\xa0non-breaking" },
    { "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 \xf0\x9f\x98\x80", FALSE,
      "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 \xf0\x9f\x98\x80" },
    { "bad\xff" "byte", FALSE, "bad\xef\xbf\xbd" "byte" },
    { "cut\xe2\x80", FALSE, "cut\xef\xbf\xbd\xef\xbf\xbd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *out = hirc_text_neutralise (rows[i].in, rows[i].multi_line);

      g_assert_cmpstr (out, ==, rows[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
}

/* What neutralise leaves is accepted by validation. */
static void
test_neutralise_validates (void)
{
  g_autoptr(HircReport) report = parse (full_report);
  const char typed[] = "Line one\r\n\xe2\x80\xae" "reversed\xe2\x80\xac\x1b[0m \xc2\x9b";
  g_autofree char *multi = hirc_text_neutralise (typed, TRUE);
  g_autofree char *single = hirc_text_neutralise (typed, FALSE);

  hirc_report_set_string (report, "description", multi);
  hirc_report_set_string (report, "incident_other", single);
  assert_no_problems (report);
}

/* Ids. */

static void
test_uuid (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint8 bytes[16];
  g_autofree char *formatted = NULL;
  static const char *const bad[] = {
    "", "3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9", "3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9dd",
    "3f2b8c1e_9a4d-4e7b-8c2f-1d5e6a7b8c9d", "3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9g",
    "{3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c}", "3f2b8c1e-9a4d4-e7b-8c2f-1d5e6a7b8c9d",
  };

  for (guint i = 0; i < 1000; i++)
    {
      char *id = hirc_uuid_new ();
      g_autofree char *again = NULL;

      g_assert_true (g_regex_match_simple (UUID_V4_PATTERN, id, 0, 0));
      g_assert_true (hirc_uuid_parse (id, bytes));
      again = hirc_uuid_format (bytes);
      g_assert_cmpstr (again, ==, id);
      g_assert_true (g_hash_table_add (seen, id));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1000);

  g_assert_true (hirc_uuid_parse ("3F2B8C1E-9A4D-4E7B-8C2F-1D5E6A7B8C9D", bytes));
  g_assert_cmpuint (bytes[0], ==, 0x3f);
  g_assert_cmpuint (bytes[15], ==, 0x9d);
  formatted = hirc_uuid_format (bytes);
  g_assert_cmpstr (formatted, ==, "3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9d");
  g_assert_false (hirc_uuid_parse (NULL, bytes));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (hirc_uuid_parse (bad[i], bytes));
}

/* Reference codes. */

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The offset in "HR-XXXX-XXXX" of code character i (0..7, 7 is the check character). */
static guint
offset_of (guint i)
{
  return 3 + i + (i >= 4 ? 1 : 0);
}

static gboolean
is_zero_z (char a,
           char b)
{
  return (a == '0' && b == 'Z') || (a == 'Z' && b == '0');
}

static void
test_reference_format (void)
{
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *code = hirc_reference_new ();
      g_autofree char *normalised = hirc_reference_normalise (code);

      g_assert_true (g_regex_match_simple ("^HR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", code,
                                           0, 0));
      g_assert_cmpstr (normalised, ==, code);
    }
}

/* Every single substitution is caught except 0 for Z (and back) in the seven random characters,
 * and every swap of two different neighbours except 0 with Z; REPORT.md explains both. */
static void
test_reference_check (void)
{
  guint substitutions = 0, transpositions = 0, missed = 0;

  for (guint n = 0; n < 10000; n++)
    {
      g_autofree char *code = hirc_reference_new ();

      for (guint i = 0; i < 8; i++)
        {
          guint at = offset_of (i);
          char original = code[at];

          for (guint a = 0; a < 32; a++)
            {
              g_autofree char *normalised = NULL;
              gboolean expect_missed;

              if (alphabet[a] == original)
                continue;
              code[at] = alphabet[a];
              normalised = hirc_reference_normalise (code);
              expect_missed = i < 7 && is_zero_z (original, alphabet[a]);
              if (expect_missed)
                {
                  g_assert_cmpstr (normalised, ==, code);
                  missed++;
                }
              else if (normalised != NULL)
                g_error ("%s (from substituting %c) was not caught", code, original);
              substitutions++;
            }
          code[at] = original;
        }

      for (guint i = 0; i < 7; i++)
        {
          guint at = offset_of (i), next = offset_of (i + 1);
          char a = code[at], b = code[next];
          g_autofree char *normalised = NULL;

          if (a == b)
            continue;
          code[at] = b;
          code[next] = a;
          normalised = hirc_reference_normalise (code);
          /* The check character is never Z, so a swap with it is always caught. */
          if (i < 6 && is_zero_z (a, b))
            g_assert_cmpstr (normalised, ==, code);
          else if (normalised != NULL)
            g_error ("%s (a swap at %u) was not caught", code, i);
          code[at] = a;
          code[next] = b;
          transpositions++;
        }
    }
  g_test_message ("%u substitutions (%u of 0 and Z let through), %u transpositions",
                  substitutions, missed, transpositions);
  g_assert_cmpuint (substitutions, ==, 10000 * 8 * 31);
  g_assert_cmpuint (transpositions, >, 10000 * 6);
}

static void
test_reference_normalise (void)
{
  static const struct { const char *typed; const char *canonical; } rows[] = {
    { "HR-7KQ2-M9XE", "HR-7KQ2-M9XE" },
    { "hr 7kq2 m9xe", "HR-7KQ2-M9XE" },
    { "hr-7kq2-m9xe", "HR-7KQ2-M9XE" },
    { "HR7KQ2M9XE", "HR-7KQ2-M9XE" },
    { "7KQ2M9XE", "HR-7KQ2-M9XE" },
    { "7kq2-m9xe", "HR-7KQ2-M9XE" },
    { "  H R 7KQ2 - M9XE\t", "HR-7KQ2-M9XE" },
    { "hr-oooo-oooo", "HR-0000-0000" },
    { "HR-iiii-lllw", "HR-1111-111W" },
    { "HR-4ZT8-C1NH", "HR-4ZT8-C1NH" },
    { "HR-4ZT8-CINH", "HR-4ZT8-C1NH" },
    { "HR-7KQ2-M9XF", NULL },
    { "HR-7KQ2-M9X", NULL },
    { "HR-7KQ2-M9XEE", NULL },
    { "HR-7KQU-M9XE", NULL },
    { "HR-7KQ2-M9X*", NULL },
    { "HRHR7KQ2M9XE", NULL },
    { "", NULL },
    { "HR-", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *normalised = hirc_reference_normalise (rows[i].typed);

      g_assert_cmpstr (normalised, ==, rows[i].canonical);
    }
}

static void
test_problem_codes (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int code = HIRC_PROBLEM_REQUIRED; code <= HIRC_PROBLEM_INVALID_FORMAT; code++)
    {
      const char *name = hirc_problem_code_to_string ((HircProblemCode) code);

      g_assert_cmpstr (name, !=, "unknown");
      g_assert_true (g_hash_table_add (seen, (gpointer) name));
    }
  g_assert_cmpstr (hirc_problem_code_to_string ((HircProblemCode) 999), ==, "unknown");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  if (!hirc_secure_init (&error))
    g_error ("%s", error->message);
  taxonomy = hirc_taxonomy_new_default ();

  for (guint i = 0; i < G_N_ELEMENTS (bad_rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("/report/validate/bad/%03u-%s-%s", i,
                                               bad_rows[i].field,
                                               hirc_problem_code_to_string (bad_rows[i].code));

      g_test_add_data_func (name, &bad_rows[i], test_validate_bad);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good_rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("/report/validate/good/%02u", i);

      g_test_add_data_func (name, good_rows[i], test_validate_good);
    }
  g_test_add_func ("/report/validate/full", test_validate_full);
  g_test_add_func ("/report/validate/minimal", test_validate_minimal);
  g_test_add_func ("/report/validate/new", test_validate_new);
  g_test_add_func ("/report/validate/many-at-once", test_validate_many);
  g_test_add_func ("/report/validate/invalid-utf8", test_validate_invalid_utf8);
  g_test_add_func ("/report/validate/limits", test_validate_limits);
  g_test_add_func ("/report/validate/largest", test_validate_largest);
  g_test_add_func ("/report/parse/errors", test_parse_errors);
  g_test_add_func ("/report/parse/deep", test_parse_deep);
  g_test_add_func ("/report/parse/too-large", test_parse_too_large);
  g_test_add_func ("/report/parse/position", test_parse_position);
  g_test_add_func ("/report/parse/fills", test_parse_fills);
  g_test_add_func ("/report/new/unique", test_new_unique);
  g_test_add_func ("/report/serialise/exact", test_serialise_exact);
  g_test_add_func ("/report/serialise/round-trip", test_serialise_round_trip);
  g_test_add_func ("/report/serialise/order", test_serialise_order);
  g_test_add_func ("/report/access/paths", test_access_paths);
  g_test_add_func ("/report/wipe/all", test_wipe);
  g_test_add_func ("/report/wipe/on-change", test_wipe_on_change);
  g_test_add_func ("/report/neutralise/rows", test_neutralise);
  g_test_add_func ("/report/neutralise/validates", test_neutralise_validates);
  g_test_add_func ("/report/uuid", test_uuid);
  g_test_add_func ("/report/reference/format", test_reference_format);
  g_test_add_func ("/report/reference/check", test_reference_check);
  g_test_add_func ("/report/reference/normalise", test_reference_normalise);
  g_test_add_func ("/report/problem-codes", test_problem_codes);

  result = g_test_run ();
  hirc_taxonomy_free (taxonomy);
  return result;
}
