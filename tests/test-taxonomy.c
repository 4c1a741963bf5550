/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-taxonomy.c: the built-in category lists, the default taxonomy, loading a partnership's
 * file, and refusing malformed ones with a message that names the problem. */

#include "config.h"

#include "hirc-report.h"
#include "hirc-taxonomy.h"
#include "hirc-core-resources.h"
#include "hirc-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define SERVICE(code) \
  "{\"code\":\"" code "\",\"name\":\"Service " code "\",\"description\":\"Helps\"," \
  "\"phone\":\"0808 157 0000\",\"hours\":\"Always\"}"

static const char test_taxonomy[] =
  "{\"schema\":\"hirc.taxonomy/1\",\"partnership\":\"Test Partnership\","
  "\"areas\":[{\"code\":\"north\",\"name\":\"North\"},{\"code\":\"south-2\",\"name\":\"South\"}],"
  "\"support_services\":[" SERVICE ("a") "," SERVICE ("b") ","
  "{\"code\":\"c\",\"name\":\"Service c\",\"description\":\"Listens\",\"phone\":\"01632 960000\","
  "\"hours\":\"Evenings\",\"website\":\"https://c.example.org\"}]}";

static HircTaxonomy *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  HircTaxonomy *taxonomy = hirc_taxonomy_load_from_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (taxonomy);
  return taxonomy;
}

static GBytes *
default_data (void)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_resource_lookup_data (hirc_core_get_resource (),
                                          "/org/hirc/Kiosk/core/taxonomy-default.json",
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return bytes;
}

static guint
count_choices (const HircChoice *const *choices)
{
  guint n = 0;

  while (choices[n] != NULL)
    n++;
  return n;
}

static void
assert_same (const HircTaxonomy *a,
             const HircTaxonomy *b)
{
  GPtrArray *a_areas = hirc_taxonomy_get_areas (a);
  GPtrArray *b_areas = hirc_taxonomy_get_areas (b);
  GPtrArray *a_services = hirc_taxonomy_get_services (a);
  GPtrArray *b_services = hirc_taxonomy_get_services (b);

  g_assert_cmpstr (hirc_taxonomy_get_partnership (a), ==, hirc_taxonomy_get_partnership (b));
  g_assert_cmpuint (a_areas->len, ==, b_areas->len);
  for (guint i = 0; i < a_areas->len; i++)
    {
      HircArea *x = g_ptr_array_index (a_areas, i);
      HircArea *y = g_ptr_array_index (b_areas, i);

      g_assert_cmpstr (x->code, ==, y->code);
      g_assert_cmpstr (x->name, ==, y->name);
    }
  g_assert_cmpuint (a_services->len, ==, b_services->len);
  for (guint i = 0; i < a_services->len; i++)
    {
      HircSupportService *x = g_ptr_array_index (a_services, i);
      HircSupportService *y = g_ptr_array_index (b_services, i);

      g_assert_cmpstr (x->code, ==, y->code);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->description, ==, y->description);
      g_assert_cmpstr (x->phone, ==, y->phone);
      g_assert_cmpstr (x->hours, ==, y->hours);
      g_assert_cmpstr (x->website, ==, y->website);
    }
  for (guint list = 0; list < HIRC_LIST_N; list++)
    {
      const HircChoice *const *x = hirc_taxonomy_get_choices (a, list);
      const HircChoice *const *y = hirc_taxonomy_get_choices (b, list);

      g_assert_cmpuint (count_choices (x), ==, count_choices (y));
      for (guint i = 0; x[i] != NULL; i++)
        g_assert_cmpstr (x[i]->code, ==, y[i]->code);
    }
}

static void
test_default (void)
{
  g_autoptr(HircTaxonomy) taxonomy = hirc_taxonomy_new_default ();
  GPtrArray *areas = hirc_taxonomy_get_areas (taxonomy);
  GPtrArray *services = hirc_taxonomy_get_services (taxonomy);
  const HircChoice *const *places = hirc_taxonomy_get_choices (taxonomy, HIRC_LIST_PLACE_TYPE);

  g_assert_cmpstr (hirc_taxonomy_get_partnership (taxonomy), ==,
                   "Example County Strategic Hate Crime Partnership");
  g_assert_cmpuint (areas->len, ==, 6);
  g_assert_cmpuint (services->len, ==, 5);
  for (guint i = 0; i < services->len; i++)
    {
      HircSupportService *service = g_ptr_array_index (services, i);

      g_assert_cmpstr (service->name, !=, "");
      g_assert_cmpstr (service->description, !=, "");
      g_assert_cmpstr (service->phone, !=, "");
      g_assert_cmpstr (service->hours, !=, "");
    }
  g_assert_cmpuint (count_choices (places), ==, 12);
  g_assert_cmpstr (places[0]->code, ==, "home");
  g_assert_cmpstr (places[11]->code, ==, "other");
  g_assert_cmpuint (count_choices (hirc_taxonomy_get_choices (taxonomy, HIRC_LIST_INCIDENT_TYPE)),
                    ==, 12);
  g_assert_cmpuint (count_choices (hirc_taxonomy_get_choices (taxonomy, HIRC_LIST_MOTIVATION)),
                    ==, 10);
  g_assert_true (hirc_taxonomy_has_code (taxonomy, HIRC_LIST_MOTIVATION, "not_sure"));
  g_assert_true (hirc_taxonomy_has_code (taxonomy, HIRC_LIST_AGE_BAND, "16_17"));
  g_assert_false (hirc_taxonomy_has_code (taxonomy, HIRC_LIST_AGE_BAND, "16-17"));
  g_assert_false (hirc_taxonomy_has_code (taxonomy, HIRC_LIST_ROLE, NULL));
}

/* Every list: codes are lower_snake_case, unique, and each has English words to show. */
static void
test_builtin_lists (void)
{
  g_autoptr(HircTaxonomy) taxonomy = hirc_taxonomy_new_default ();

  for (guint list = 0; list < HIRC_LIST_N; list++)
    {
      const HircChoice *const *choices = hirc_taxonomy_get_choices (taxonomy, list);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_cmpuint (count_choices (choices), >=, 3);
      for (guint i = 0; choices[i] != NULL; i++)
        {
          g_assert_true (g_regex_match_simple ("^[a-z0-9]+(_[a-z0-9]+)*$", choices[i]->code, 0,
                                               0));
          g_assert_true (g_hash_table_add (seen, (gpointer) choices[i]->code));
          g_assert_nonnull (choices[i]->label);
          g_assert_cmpstr (choices[i]->label, !=, "");
          g_assert_true (hirc_taxonomy_has_code (taxonomy, list, choices[i]->code));
        }
    }
}

/* Words shown in two lists are translated apart only if each carries a context of its own:
 * "Another way" of describing a gender is not "Another way" of receiving a report. */
static void
test_shared_words (void)
{
  g_autoptr(HircTaxonomy) taxonomy = hirc_taxonomy_new_default ();
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  guint shared = 0;

  for (guint list = 0; list < HIRC_LIST_N; list++)
    {
      const HircChoice *const *choices = hirc_taxonomy_get_choices (taxonomy, list);

      for (guint i = 0; choices[i] != NULL; i++)
        {
          const HircChoice *choice = choices[i];
          const HircChoice *before = g_hash_table_lookup (labels, choice->label);

          if (before == NULL)
            {
              g_hash_table_insert (labels, (gpointer) choice->label, (gpointer) choice);
              continue;
            }
          /* Yes, No and their like mean the same in every list. */
          if (before->context == NULL && choice->context == NULL)
            continue;
          g_assert_nonnull (before->context);
          g_assert_nonnull (choice->context);
          g_assert_cmpstr (before->context, !=, choice->context);
          /* Untranslated, as in this test's C locale, the words come back as they are. */
          g_assert_cmpstr (hirc_choice_translate (choice), ==, choice->label);
          shared++;
        }
    }
  g_assert_cmpuint (shared, >=, 2);
}

static void
test_file_round_trip (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-taxonomy");
  g_autofree char *path = g_build_filename (dir, "taxonomy.json", NULL);
  g_autofree char *custom_path = g_build_filename (dir, "custom.json", NULL);
  g_autoptr(GBytes) bytes = default_data ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HircTaxonomy) builtin = hirc_taxonomy_new_default ();
  g_autoptr(HircTaxonomy) from_file = NULL;
  g_autoptr(HircTaxonomy) custom = NULL;
  g_autoptr(HircTaxonomy) custom_data = load (test_taxonomy);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  g_assert_no_error (error);
  from_file = hirc_taxonomy_load (path, &error);
  g_assert_no_error (error);
  assert_same (builtin, from_file);

  g_assert_true (g_file_set_contents (custom_path, test_taxonomy, -1, &error));
  custom = hirc_taxonomy_load (custom_path, &error);
  g_assert_no_error (error);
  assert_same (custom, custom_data);
  g_assert_cmpstr (hirc_taxonomy_get_partnership (custom), ==, "Test Partnership");
  g_assert_null (hirc_taxonomy_find_service (custom, "a")->website);
  g_assert_cmpstr (hirc_taxonomy_find_service (custom, "c")->website, ==, "https://c.example.org");

  hirc_test_remove_tree (dir);
}

static void
test_io_errors (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-taxonomy");
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *huge = g_malloc (1024 * 1024 + 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(HircTaxonomy) taxonomy = NULL;

  taxonomy = hirc_taxonomy_load (missing, &error);
  g_assert_null (taxonomy);
  g_assert_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  taxonomy = hirc_taxonomy_load (dir, &error);
  g_assert_null (taxonomy);
  g_assert_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_IO);
  g_clear_error (&error);

  /* A valid document padded past the limit is refused without being parsed. */
  memset (huge, ' ', 1024 * 1024 + 1);
  memcpy (huge, test_taxonomy, strlen (test_taxonomy));
  huge[1024 * 1024 + 1] = '\0';
  g_assert_true (g_file_set_contents (big, huge, -1, NULL));
  taxonomy = hirc_taxonomy_load (big, &error);
  g_assert_null (taxonomy);
  g_assert_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "larger"));
  g_clear_error (&error);

  /* The same document within the limit loads. */
  huge[1024 * 1024] = '\0';
  g_assert_true (g_file_set_contents (big, huge, -1, NULL));
  taxonomy = hirc_taxonomy_load (big, &error);
  g_assert_no_error (error);
  g_clear_pointer (&taxonomy, hirc_taxonomy_free);

  /* Problems in a file name the file. */
  g_assert_true (g_file_set_contents (bad, "{\"schema\":\"hirc.taxonomy/1\",}", -1, NULL));
  taxonomy = hirc_taxonomy_load (bad, &error);
  g_assert_error (error, HIRC_TAXONOMY_ERROR, HIRC_TAXONOMY_ERROR_NOT_JSON);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_assert_nonnull (strstr (error->message, "1:29"));

  hirc_test_remove_tree (dir);
}

typedef struct
{
  gboolean           raw;      /* the whole text, rather than a patch on test_taxonomy */
  const char        *json;
  HircTaxonomyError  code;
  const char        *mentions; /* what the message must name */
} MalformedRow;

static const MalformedRow malformed_rows[] = {
  { TRUE, "not json", HIRC_TAXONOMY_ERROR_NOT_JSON, "1:1" },
  { TRUE, "{\n\"schema\": }", HIRC_TAXONOMY_ERROR_NOT_JSON, "2:11" },
  { TRUE, "{\"schema\":\"hirc.taxonomy/1\"} {}", HIRC_TAXONOMY_ERROR_NOT_JSON, "1:30" },
  { TRUE, "[]", HIRC_TAXONOMY_ERROR_INVALID, "object" },
  { TRUE, "{\"schema\":\"hirc.taxonomy/1\",\"schema\":\"hirc.taxonomy/1\"}",
    HIRC_TAXONOMY_ERROR_INVALID, "twice" },
  { TRUE, "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]}", HIRC_TAXONOMY_ERROR_INVALID,
    "nested" },
  { TRUE, "{\"partnership\":\"A\\u0000B\"}", HIRC_TAXONOMY_ERROR_INVALID, "\\u0000" },
  { FALSE, "{\"schema\":null}", HIRC_TAXONOMY_ERROR_INVALID, "schema" },
  { FALSE, "{\"schema\":\"hirc.taxonomy/2\"}", HIRC_TAXONOMY_ERROR_INVALID, "schema" },
  { FALSE, "{\"areaz\":[]}", HIRC_TAXONOMY_ERROR_INVALID, "\"areaz\"" },
  { FALSE, "{\"partnership\":null}", HIRC_TAXONOMY_ERROR_INVALID, "partnership" },
  { FALSE, "{\"partnership\":\"\"}", HIRC_TAXONOMY_ERROR_INVALID, "partnership" },
  { FALSE, "{\"partnership\":[\"A\"]}", HIRC_TAXONOMY_ERROR_INVALID, "partnership" },
  { FALSE, "{\"areas\":null}", HIRC_TAXONOMY_ERROR_INVALID, "\"areas\"" },
  { FALSE, "{\"areas\":[]}", HIRC_TAXONOMY_ERROR_INVALID, "\"areas\" is empty" },
  { FALSE, "{\"areas\":{\"north\":\"North\"}}", HIRC_TAXONOMY_ERROR_INVALID, "\"areas\"" },
  { FALSE, "{\"areas\":[{\"code\":\"north\",\"name\":\"North\"},\"south\"]}",
    HIRC_TAXONOMY_ERROR_INVALID, "areas[1]" },
  { FALSE, "{\"areas\":[{\"name\":\"North\"}]}", HIRC_TAXONOMY_ERROR_INVALID,
    "areas[0] has no code" },
  { FALSE, "{\"areas\":[{\"code\":\"North Bridge\",\"name\":\"North\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "areas[0].code \"North Bridge\"" },
  { FALSE, "{\"areas\":[{\"code\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"name\":\"A\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "areas[0].code" },
  { FALSE, "{\"areas\":[{\"code\":\"north\",\"name\":\"North\"},"
    "{\"code\":\"north\",\"name\":\"N\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "areas[1].code \"north\" is used more than once" },
  { FALSE, "{\"areas\":[{\"code\":\"not_sure\",\"name\":\"Unsure\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "not_sure" },
  { FALSE, "{\"areas\":[{\"code\":\"north\"}]}", HIRC_TAXONOMY_ERROR_INVALID,
    "areas[0] has no name" },
  { FALSE, "{\"areas\":[{\"code\":\"north\",\"nmae\":\"North\"}]}", HIRC_TAXONOMY_ERROR_INVALID,
    "\"nmae\"" },
  { FALSE, "{\"support_services\":null}", HIRC_TAXONOMY_ERROR_INVALID, "support_services" },
  { FALSE, "{\"support_services\":[" SERVICE ("a") "," SERVICE ("b") ","
    "{\"code\":\"c\",\"name\":\"C\",\"description\":\"D\",\"hours\":\"H\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "support_services[2] has no phone number" },
  { FALSE, "{\"support_services\":[{\"code\":\"a\",\"name\":\"A\",\"phone\":\"1\","
    "\"hours\":\"H\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "support_services[0] has no description" },
  { FALSE, "{\"support_services\":[{\"code\":\"a\",\"name\":\"A\",\"description\":\"D\","
    "\"phone\":\"1\",\"hours\":5}]}", HIRC_TAXONOMY_ERROR_INVALID, "support_services[0].hours" },
  { FALSE, "{\"support_services\":[{\"code\":\"a\",\"name\":\"A\",\"description\":\"D\","
    "\"phone\":\"1\",\"hours\":\"H\",\"website\":\"ftp://a.example\"}]}",
    HIRC_TAXONOMY_ERROR_INVALID, "support_services[0].website" },
  { FALSE, "{\"support_services\":[" SERVICE ("a") "," SERVICE ("a") "]}",
    HIRC_TAXONOMY_ERROR_INVALID, "support_services[1].code \"a\"" },
  { FALSE, "{\"offered\":[\"race\"]}", HIRC_TAXONOMY_ERROR_INVALID, "\"offered\"" },
  { FALSE, "{\"offered\":{\"colours\":[\"red\"]}}", HIRC_TAXONOMY_ERROR_INVALID, "\"colours\"" },
  { FALSE, "{\"offered\":{\"motivations\":[\"race\",\"foo\"]}}", HIRC_TAXONOMY_ERROR_INVALID,
    "offered.motivations lists \"foo\", which is not a category this kiosk knows" },
  { FALSE, "{\"offered\":{\"motivations\":[]}}", HIRC_TAXONOMY_ERROR_INVALID,
    "offered.motivations is empty" },
  { FALSE, "{\"offered\":{\"motivations\":[\"race\",\"race\"]}}", HIRC_TAXONOMY_ERROR_INVALID,
    "offered.motivations lists \"race\" more than once" },
  { FALSE, "{\"offered\":{\"place_types\":[\"home\",1]}}", HIRC_TAXONOMY_ERROR_INVALID,
    "offered.place_types[1]" },
  { FALSE, "{\"offered\":{\"roles\":\"victim\"}}", HIRC_TAXONOMY_ERROR_INVALID, "offered.roles" },
};

/* Applies patch to target: members replace, null removes. */
static void
patch_object (JsonObject *target,
              JsonObject *patch)
{
  g_autoptr(GList) members = json_object_get_members (patch);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (patch, l->data);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target, l->data);
      else
        json_object_set_member (target, l->data, json_node_copy (value));
    }
}

static void
test_malformed (gconstpointer data)
{
  const MalformedRow *row = data;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HircTaxonomy) taxonomy = NULL;

  if (row->raw)
    text = g_strdup (row->json);
  else
    {
      g_autoptr(JsonNode) base = json_from_string (test_taxonomy, NULL);
      g_autoptr(JsonNode) patch = json_from_string (row->json, NULL);

      g_assert_nonnull (patch);
      patch_object (json_node_get_object (base), json_node_get_object (patch));
      text = json_to_string (base, TRUE);
    }

  taxonomy = hirc_taxonomy_load_from_data (text, strlen (text), &error);
  g_assert_null (taxonomy);
  g_assert_error (error, HIRC_TAXONOMY_ERROR, (gint) row->code);
  if (strstr (error->message, row->mentions) == NULL)
    g_error ("the message \"%s\" does not mention %s", error->message, row->mentions);
}

/* A partnership's choices of categories are what validation accepts. */
static void
test_offered (void)
{
  const char json[] =
    "{\"schema\":\"hirc.taxonomy/1\",\"partnership\":\"Test\","
    "\"areas\":[{\"code\":\"north\",\"name\":\"North\"}],"
    "\"support_services\":[" SERVICE ("a") "],"
    "\"offered\":{\"incident_types\":[\"physical_assault\",\"verbal_abuse\"],"
    "\"motivations\":[\"race\",\"religion\",\"not_sure\"]}}";
  g_autoptr(HircTaxonomy) taxonomy = load (json);
  g_autoptr(HircTaxonomy) builtin = hirc_taxonomy_new_default ();
  const HircChoice *const *types = hirc_taxonomy_get_choices (taxonomy, HIRC_LIST_INCIDENT_TYPE);
  g_autoptr(HircReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) builtin_problems = NULL;
  const char report_json[] =
    "{\"role\":\"victim\",\"incident_types\":[\"verbal_abuse\",\"theft\"],"
    "\"motivations\":[\"disability\"],\"where\":{\"area\":\"north\"},"
    "\"description\":\"Words\",\"consents\":{\"support_referral\":true,"
    "\"support_service\":\"a\"}}";
  struct { const char *field; HircProblemCode code; } expected[] = {
    { "incident_types", HIRC_PROBLEM_UNKNOWN_CODE },
    { "motivations", HIRC_PROBLEM_UNKNOWN_CODE },
  };

  /* In the partnership's order; lists it does not mention keep every built-in choice. */
  g_assert_cmpuint (count_choices (types), ==, 2);
  g_assert_cmpstr (types[0]->code, ==, "physical_assault");
  g_assert_cmpstr (types[1]->code, ==, "verbal_abuse");
  g_assert_cmpstr (types[0]->label, ==, "Physical assault");
  g_assert_false (hirc_taxonomy_has_code (taxonomy, HIRC_LIST_INCIDENT_TYPE, "theft"));
  g_assert_cmpuint (count_choices (hirc_taxonomy_get_choices (taxonomy, HIRC_LIST_PLACE_TYPE)),
                    ==, 12);

  report = hirc_report_new_from_json (report_json, strlen (report_json), NULL);
  g_assert_nonnull (report);
  problems = hirc_report_validate (report, taxonomy);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      HircProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpstr (problem->field, ==, expected[i].field);
      g_assert_cmpint (problem->code, ==, expected[i].code);
    }
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The same answers against every built-in category: only the area and service, which this
   * partnership has and the example county has not, are unknown. */
  builtin_problems = hirc_report_validate (report, builtin);
  g_assert_cmpuint (builtin_problems->len, ==, 2);
  g_assert_cmpstr (((HircProblem *) builtin_problems->pdata[0])->field, ==, "where.area");
  g_assert_cmpstr (((HircProblem *) builtin_problems->pdata[1])->field, ==,
                   "consents.support_service");

  /* More answers than the partnership offers. */
  {
    const char *const three[] = { "physical_assault", "verbal_abuse", "verbal_abuse", NULL };
    gboolean too_many = FALSE;

    hirc_report_set_codes (report, "incident_types", three);
    problems = hirc_report_validate (report, taxonomy);
    for (guint i = 0; i < problems->len; i++)
      if (((HircProblem *) problems->pdata[i])->code == HIRC_PROBLEM_TOO_MANY)
        too_many = TRUE;
    g_assert_true (too_many);
  }
}

static void
test_lookup (void)
{
  g_autoptr(HircTaxonomy) taxonomy = load (test_taxonomy);
  const HircSupportService *service = hirc_taxonomy_find_service (taxonomy, "c");

  g_assert_true (hirc_taxonomy_has_area (taxonomy, "north"));
  g_assert_true (hirc_taxonomy_has_area (taxonomy, "south-2"));
  g_assert_false (hirc_taxonomy_has_area (taxonomy, "south"));
  g_assert_false (hirc_taxonomy_has_area (taxonomy, "North"));
  g_assert_false (hirc_taxonomy_has_area (taxonomy, "not_sure"));
  g_assert_false (hirc_taxonomy_has_area (taxonomy, NULL));

  g_assert_nonnull (service);
  g_assert_cmpstr (service->name, ==, "Service c");
  g_assert_cmpstr (service->description, ==, "Listens");
  g_assert_cmpstr (service->phone, ==, "01632 960000");
  g_assert_cmpstr (service->hours, ==, "Evenings");
  g_assert_null (hirc_taxonomy_find_service (taxonomy, "d"));
  g_assert_null (hirc_taxonomy_find_service (taxonomy, NULL));
  g_assert_cmpuint (hirc_taxonomy_get_areas (taxonomy)->len, ==, 2);
  g_assert_cmpuint (hirc_taxonomy_get_services (taxonomy)->len, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!hirc_secure_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/taxonomy/default", test_default);
  g_test_add_func ("/taxonomy/builtin-lists", test_builtin_lists);
  g_test_add_func ("/taxonomy/shared-words", test_shared_words);
  g_test_add_func ("/taxonomy/file-round-trip", test_file_round_trip);
  g_test_add_func ("/taxonomy/io-errors", test_io_errors);
  for (guint i = 0; i < G_N_ELEMENTS (malformed_rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("/taxonomy/malformed/%02u", i);

      g_test_add_data_func (name, &malformed_rows[i], test_malformed);
    }
  g_test_add_func ("/taxonomy/offered", test_offered);
  g_test_add_func ("/taxonomy/lookup", test_lookup);
  return g_test_run ();
}
