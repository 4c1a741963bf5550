/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-report.c: the hirc.report/1 document: its field table, validation, canonical JSON, wiping,
 * report ids and reference codes. app/REPORT.md describes the format. */

#include "config.h"

#include "hirc-report.h"
#include "hirc-base32.h"
#include "hirc-json.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <sodium.h>
#include <string.h>

/* A report at every text limit, in four-byte characters, is about 100 KiB of JSON; anything
 * much larger is not a report. */
#define REPORT_MAX_BYTES (192 * 1024)
/* The format nests three deep (report → group → list); deeper text is refused before json-glib,
 * whose recursive parser has no limit of its own. */
#define REPORT_MAX_DEPTH 16

/* Text limits, in characters (g_utf8_strlen). */
#define LIMIT_SHORT       200
#define LIMIT_KIOSK       64
#define LIMIT_DETAILS     2000
#define LIMIT_DESCRIPTION 10000
#define LIMIT_EMAIL       254
#define LIMIT_LANGUAGE    35
#define PHONE_MIN_CHARS   6
#define PHONE_MAX_CHARS   20
#define PHONE_MIN_DIGITS  6
#define DATE_MIN_YEAR     1900

/* Every time zone is at most 14 hours ahead of UTC, so a date is "in the future" only when it is
 * later than the UTC date 14 hours after the report was made. */
#define FUTURE_SLACK_HOURS 14

#define REFERENCE_DATA_CHARS 7
#define REFERENCE_CHECK_MODULUS 31

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct _HircReport
{
  JsonObject *root;
};

G_DEFINE_QUARK (hirc-report-error-quark, hirc_report_error)

/* The field table. */

typedef enum
{
  KIND_OBJECT,    /* a group of fields */
  KIND_LINE,      /* one line of text */
  KIND_LINES,     /* text with new lines and tabs */
  KIND_CODE,      /* one code from a taxonomy list */
  KIND_CODES,     /* codes from a taxonomy list, each at most once */
  KIND_BOOLEAN,
  KIND_DATE,      /* YYYY-MM-DD */
  KIND_TIMESTAMP, /* YYYY-MM-DDTHH:MM:SSZ */
  KIND_SCHEMA,
  KIND_UUID,
  KIND_REFERENCE,
  KIND_AREA,      /* a taxonomy area or "not_sure" */
  KIND_SERVICE,   /* a taxonomy support service */
  KIND_PHONE,
  KIND_EMAIL,
  KIND_LANGUAGE,
} FieldKind;

typedef enum
{
  REQUIRED_NO,
  REQUIRED_YES,
  REQUIRED_UNLESS_INCIDENT_OTHER, /* incident_types, unless incident_other describes it */
  REQUIRED_IF_REFERRAL,           /* consents.support_service */
} FieldRequired;

/* Rules that relate a field to another; each breach is a HIRC_PROBLEM_CONFLICT. */
typedef enum
{
  RULE_NOT_SURE_ALONE = 1 << 0,     /* "not_sure" is not chosen together with other codes */
  RULE_ONLINE_ONLY = 1 << 1,        /* not when setting is in_person */
  RULE_ON_BEHALF_ONLY = 1 << 2,     /* only when role is on_behalf */
  RULE_UNDER_16_MATCHES = 1 << 3,   /* victim.under_16 agrees with victim.age_band */
  RULE_NOT_IF_ANONYMOUS = 1 << 4,   /* not when contact.anonymous is true */
  RULE_ONLY_IF_REFERRAL = 1 << 5,   /* only when consents.support_referral is true */
  RULE_ONLY_IF_ASSISTED = 1 << 6,   /* only when meta.assisted is true */
  RULE_AMBASSADOR_ONLY = 1 << 7,    /* an ambassador's question: only when meta.assisted is true */
  RULE_NONE_ALONE = 1 << 8,         /* "none" is not chosen together with other codes */
} FieldRule;

typedef struct _FieldSpec FieldSpec;
struct _FieldSpec
{
  const char      *name;
  FieldKind        kind;
  HircList         list;             /* KIND_CODE and KIND_CODES */
  guint            limit;            /* characters, for text */
  FieldRequired    required;
  guint            rules;            /* FieldRule */
  const char      *required_message; /* what to say when a required field is not answered */
  const FieldSpec *children;         /* KIND_OBJECT */
};

#define GROUP(n, c, ...)      { .name = (n), .kind = KIND_OBJECT, .children = (c), __VA_ARGS__ }
#define LINE(n, l, ...)       { .name = (n), .kind = KIND_LINE, .limit = (l), __VA_ARGS__ }
#define LINES(n, l, ...)      { .name = (n), .kind = KIND_LINES, .limit = (l), __VA_ARGS__ }
#define CODE(n, l, ...)       { .name = (n), .kind = KIND_CODE, .list = (l), __VA_ARGS__ }
#define CODES(n, l, ...)      { .name = (n), .kind = KIND_CODES, .list = (l), __VA_ARGS__ }
#define FIELD(n, k, ...)      { .name = (n), .kind = (k), __VA_ARGS__ }
#define END                   { .name = NULL }

/* Said for anything wrong in a field the kiosk fills in itself, which a reporter cannot fix. */
static const char *const kiosk_field_message =
  N_("The kiosk could not prepare this report properly. Please ask a member of staff for help.");

static const FieldSpec online_fields[] = {
  LINE ("platform", LIMIT_SHORT, .rules = RULE_ONLINE_ONLY),
  LINE ("address", LIMIT_DETAILS, .rules = RULE_ONLINE_ONLY),
  END
};

static const FieldSpec when_fields[] = {
  FIELD ("date", KIND_DATE),
  CODE ("approximate", HIRC_LIST_APPROXIMATE_WHEN),
  CODE ("time_of_day", HIRC_LIST_TIME_OF_DAY),
  CODE ("ongoing", HIRC_LIST_YES_NO_NOT_SURE),
  CODE ("happened_before", HIRC_LIST_YES_NO_NOT_SURE),
  END
};

static const FieldSpec where_fields[] = {
  FIELD ("area", KIND_AREA),
  CODE ("place_type", HIRC_LIST_PLACE_TYPE),
  LINES ("details", LIMIT_DETAILS),
  END
};

static const FieldSpec offenders_fields[] = {
  CODE ("count", HIRC_LIST_OFFENDER_COUNT),
  CODE ("known", HIRC_LIST_OFFENDER_KNOWN),
  LINES ("description", LIMIT_DETAILS),
  END
};

static const FieldSpec witnesses_fields[] = {
  CODE ("any", HIRC_LIST_YES_NO_NOT_SURE),
  LINES ("details", LIMIT_DETAILS),
  END
};

static const FieldSpec harm_fields[] = {
  CODE ("injured", HIRC_LIST_YES_NO_NOT_SURE),
  LINES ("details", LIMIT_DETAILS),
  END
};

static const FieldSpec evidence_fields[] = {
  CODES ("types", HIRC_LIST_EVIDENCE_TYPE),
  LINES ("details", LIMIT_DETAILS),
  END
};

static const FieldSpec reported_before_fields[] = {
  CODE ("any", HIRC_LIST_YES_NO_NOT_SURE),
  LINE ("to", LIMIT_SHORT),
  LINE ("reference", LIMIT_SHORT),
  END
};

static const FieldSpec victim_fields[] = {
  LINE ("name", LIMIT_SHORT, .rules = RULE_ON_BEHALF_ONLY),
  CODE ("age_band", HIRC_LIST_AGE_BAND, .rules = RULE_ON_BEHALF_ONLY),
  FIELD ("under_16", KIND_BOOLEAN, .rules = RULE_ON_BEHALF_ONLY | RULE_UNDER_16_MATCHES),
  END
};

static const FieldSpec contact_fields[] = {
  FIELD ("anonymous", KIND_BOOLEAN),
  LINE ("name", LIMIT_SHORT, .rules = RULE_NOT_IF_ANONYMOUS),
  FIELD ("phone", KIND_PHONE, .limit = LIMIT_SHORT, .rules = RULE_NOT_IF_ANONYMOUS),
  FIELD ("email", KIND_EMAIL, .limit = LIMIT_EMAIL, .rules = RULE_NOT_IF_ANONYMOUS),
  CODES ("methods", HIRC_LIST_CONTACT_METHOD),
  CODE ("safe_to_leave_message", HIRC_LIST_YES_NO_NOT_SURE),
  LINE ("safe_times", LIMIT_SHORT),
  END
};

static const FieldSpec communication_fields[] = {
  FIELD ("language", KIND_LANGUAGE),
  FIELD ("interpreter", KIND_BOOLEAN),
  FIELD ("bsl", KIND_BOOLEAN),
  FIELD ("easy_read", KIND_BOOLEAN),
  LINE ("preferred_name", LIMIT_SHORT),
  LINE ("pronouns", LIMIT_SHORT),
  END
};

static const FieldSpec consents_fields[] = {
  FIELD ("police_identifiable", KIND_BOOLEAN),
  FIELD ("police_statistics", KIND_BOOLEAN),
  FIELD ("support_referral", KIND_BOOLEAN),
  FIELD ("support_service", KIND_SERVICE, .required = REQUIRED_IF_REFERRAL,
         .rules = RULE_ONLY_IF_REFERRAL,
         .required_message = N_("Choose the support service you would like to contact you.")),
  END
};

static const FieldSpec equality_fields[] = {
  CODE ("age_band", HIRC_LIST_AGE_BAND),
  CODE ("gender", HIRC_LIST_GENDER),
  CODE ("trans_history", HIRC_LIST_YES_NO_PREFER_NOT_TO_SAY),
  CODE ("sexual_orientation", HIRC_LIST_SEXUAL_ORIENTATION),
  CODE ("disability", HIRC_LIST_YES_NO_PREFER_NOT_TO_SAY),
  CODE ("ethnic_group", HIRC_LIST_ETHNIC_GROUP),
  CODE ("religion", HIRC_LIST_RELIGION),
  END
};

/* Answered by the Hate Crime Ambassador who takes an assisted report, for the caseworker. */
static const FieldSpec assisted_fields[] = {
  CODE ("received", HIRC_LIST_RECEIVED_HOW, .rules = RULE_AMBASSADOR_ONLY),
  CODE ("reporter_agreed", HIRC_LIST_REPORTER_AGREEMENT, .rules = RULE_AMBASSADOR_ONLY),
  CODES ("risk_signs", HIRC_LIST_RISK_SIGN, .rules = RULE_AMBASSADOR_ONLY | RULE_NONE_ALONE),
  LINES ("risk_details", LIMIT_DETAILS, .rules = RULE_AMBASSADOR_ONLY),
  CODES ("referrals", HIRC_LIST_REFERRAL, .rules = RULE_AMBASSADOR_ONLY | RULE_NONE_ALONE),
  LINE ("referral_details", LIMIT_SHORT, .rules = RULE_AMBASSADOR_ONLY),
  END
};

static const FieldSpec meta_fields[] = {
  FIELD ("language", KIND_LANGUAGE),
  FIELD ("assisted", KIND_BOOLEAN),
  LINE ("ambassador_id", LIMIT_KIOSK, .rules = RULE_ONLY_IF_ASSISTED),
  LINE ("software_version", LIMIT_KIOSK),
  LINE ("centre_id", LIMIT_KIOSK),
  END
};

/* In the order of the journey's pages: problems are reported, and members serialised, in this
 * order. */
static const FieldSpec report_fields[] = {
  FIELD ("schema", KIND_SCHEMA, .required = REQUIRED_YES),
  FIELD ("id", KIND_UUID, .required = REQUIRED_YES),
  FIELD ("reference", KIND_REFERENCE, .required = REQUIRED_YES),
  FIELD ("created", KIND_TIMESTAMP, .required = REQUIRED_YES),
  CODE ("role", HIRC_LIST_ROLE, .required = REQUIRED_YES,
        .required_message = N_("Tell us if it happened to you, you saw it, or you are reporting "
                               "for someone else.")),
  CODES ("incident_types", HIRC_LIST_INCIDENT_TYPE, .required = REQUIRED_UNLESS_INCIDENT_OTHER,
         .required_message = N_("Choose what happened, or describe it in your own words.")),
  LINE ("incident_other", LIMIT_SHORT),
  CODES ("motivations", HIRC_LIST_MOTIVATION, .required = REQUIRED_YES,
         .rules = RULE_NOT_SURE_ALONE,
         .required_message = N_("Choose why you think it happened, or choose \"I'm not sure\".")),
  LINE ("motivation_other", LIMIT_SHORT),
  CODE ("setting", HIRC_LIST_SETTING),
  GROUP ("online", online_fields),
  GROUP ("when", when_fields),
  GROUP ("where", where_fields),
  LINES ("description", LIMIT_DESCRIPTION, .required = REQUIRED_YES,
         .required_message = N_("Tell us what happened in your own words.")),
  GROUP ("offenders", offenders_fields),
  GROUP ("witnesses", witnesses_fields),
  GROUP ("harm", harm_fields),
  GROUP ("evidence", evidence_fields),
  GROUP ("reported_before", reported_before_fields),
  GROUP ("victim", victim_fields),
  GROUP ("contact", contact_fields),
  GROUP ("communication", communication_fields),
  GROUP ("consents", consents_fields),
  GROUP ("equality", equality_fields),
  GROUP ("assisted", assisted_fields),
  GROUP ("meta", meta_fields),
  END
};

static gboolean
is_kiosk_field (const FieldSpec *spec)
{
  return spec->kind == KIND_SCHEMA || spec->kind == KIND_UUID || spec->kind == KIND_REFERENCE
         || spec->kind == KIND_TIMESTAMP;
}

static const FieldSpec *
find_spec (const FieldSpec *fields,
           const char      *name)
{
  for (const FieldSpec *f = fields; f != NULL && f->name != NULL; f++)
    if (g_str_equal (f->name, name))
      return f;
  return NULL;
}

/* Problems. */

static const char *const problem_names[] = {
  [HIRC_PROBLEM_REQUIRED] = "required",
  [HIRC_PROBLEM_UNKNOWN_FIELD] = "unknown_field",
  [HIRC_PROBLEM_WRONG_TYPE] = "wrong_type",
  [HIRC_PROBLEM_UNKNOWN_CODE] = "unknown_code",
  [HIRC_PROBLEM_DUPLICATE_CODE] = "duplicate_code",
  [HIRC_PROBLEM_TOO_LONG] = "too_long",
  [HIRC_PROBLEM_TOO_MANY] = "too_many",
  [HIRC_PROBLEM_INVALID_UTF8] = "invalid_utf8",
  [HIRC_PROBLEM_CONTROL_CHARACTER] = "control_character",
  [HIRC_PROBLEM_BIDI_OVERRIDE] = "bidi_override",
  [HIRC_PROBLEM_INVALID_DATE] = "invalid_date",
  [HIRC_PROBLEM_FUTURE_DATE] = "future_date",
  [HIRC_PROBLEM_INVALID_ID] = "invalid_id",
  [HIRC_PROBLEM_CONFLICT] = "conflict",
  [HIRC_PROBLEM_INVALID_FORMAT] = "invalid_format",
};

/* What a reporter reads beside the field when nothing more particular applies. */
static const char *const problem_messages[] = {
  [HIRC_PROBLEM_REQUIRED] = N_("Answer this question."),
  [HIRC_PROBLEM_UNKNOWN_FIELD] = N_("This answer is not part of the report form."),
  [HIRC_PROBLEM_WRONG_TYPE] = N_("This answer is not in the form the kiosk expects. Please "
                                 "answer the question again."),
  [HIRC_PROBLEM_UNKNOWN_CODE] = N_("Choose one of the answers on the list."),
  [HIRC_PROBLEM_DUPLICATE_CODE] = N_("Each answer can be chosen only once."),
  [HIRC_PROBLEM_TOO_LONG] = NULL, /* has a number in it: see add_too_long () */
  [HIRC_PROBLEM_TOO_MANY] = N_("Too many answers are chosen. Please choose fewer."),
  [HIRC_PROBLEM_INVALID_UTF8] = N_("Some letters in this answer cannot be read. Please type it "
                                   "again."),
  [HIRC_PROBLEM_CONTROL_CHARACTER] = N_("This answer has hidden characters or line breaks that "
                                        "are not allowed here. Please type it again."),
  [HIRC_PROBLEM_BIDI_OVERRIDE] = N_("This answer has hidden characters that change the "
                                    "direction of the text. Please type it again."),
  [HIRC_PROBLEM_INVALID_DATE] = N_("Enter a real date."),
  [HIRC_PROBLEM_FUTURE_DATE] = N_("The date must be today or in the past."),
  [HIRC_PROBLEM_INVALID_ID] = N_("The kiosk could not prepare this report properly. Please ask "
                                 "a member of staff for help."),
  [HIRC_PROBLEM_CONFLICT] = N_("This answer does not fit with another answer."),
  [HIRC_PROBLEM_INVALID_FORMAT] = N_("This answer is not written in the right way."),
};

void
hirc_problem_free (HircProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

const char *
hirc_problem_code_to_string (HircProblemCode code)
{
  if ((guint) code >= G_N_ELEMENTS (problem_names))
    return "unknown";
  return problem_names[code];
}

typedef struct
{
  GPtrArray          *problems;
  JsonObject         *root;
  const HircTaxonomy *taxonomy;
} Validation;

/* message is untranslated; NULL takes the code's own sentence. */
static void
add_problem (Validation      *v,
             const char      *field,
             HircProblemCode  code,
             const char      *message)
{
  HircProblem *problem = g_new0 (HircProblem, 1);

  problem->field = g_strdup (field);
  problem->code = code;
  problem->message = g_strdup (_(message != NULL ? message : problem_messages[code]));
  g_ptr_array_add (v->problems, problem);
}

static void
add_too_long (Validation *v,
              const char *field,
              guint       limit)
{
  HircProblem *problem = g_new0 (HircProblem, 1);

  problem->field = g_strdup (field);
  problem->code = HIRC_PROBLEM_TOO_LONG;
  problem->message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "This answer is too long. It can have up to "
                                                   "%u character.",
                                                   "This answer is too long. It can have up to "
                                                   "%u characters.",
                                                   limit),
                                      limit);
  g_ptr_array_add (v->problems, problem);
}

/* JSON helpers. */

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* Only white space, as a touchscreen keyboard easily leaves behind, says nothing. Text that is
 * not UTF-8 counts as said, so that validation reports it. */
static gboolean
text_is_blank (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* An empty (or blank) string or an empty list is a question left unanswered. */
static gboolean
node_is_answered (JsonNode *node)
{
  if (node == NULL)
    return FALSE;
  if (node_is_string (node))
    return !text_is_blank (json_node_get_string (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;
  return TRUE;
}

/* Like node_is_answered(), but a value of the wrong type counts as an answer, so that
 * {"equality": []} is reported as the wrong type rather than taken for no answer. */
static gboolean
field_is_answered (const FieldSpec *spec,
                   JsonNode        *node)
{
  if (node == NULL)
    return FALSE;
  if (spec->kind == KIND_OBJECT || spec->kind == KIND_BOOLEAN)
    return TRUE;
  if (spec->kind == KIND_CODES)
    return !JSON_NODE_HOLDS_ARRAY (node) || node_is_answered (node);
  return !node_is_string (node) || node_is_answered (node);
}

static gboolean
path_is_valid (const char *path)
{
  if (path == NULL || path[0] == '\0' || path[0] == '.')
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if (*p == '.' && (p[1] == '.' || p[1] == '\0'))
      return FALSE;
  return TRUE;
}

static JsonNode *
lookup (JsonObject *root,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, parts[i]);

      if (node == NULL || parts[i + 1] == NULL)
        return node;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
    }
  return NULL;
}

static const char *
lookup_string (JsonObject *root,
               const char *path)
{
  JsonNode *node = lookup (root, path);

  return node_is_string (node) ? json_node_get_string (node) : NULL;
}

static gboolean
lookup_true (JsonObject *root,
             const char *path)
{
  JsonNode *node = lookup (root, path);

  return node_is_boolean (node) && json_node_get_boolean (node);
}

/* Wiping. Strings are zeroed in place: json-glib owns the only copy, and freeing it would leave
 * the words in the heap for the next allocation to find. Member names are not wiped; they are
 * the field names of the table above. */

static void wipe_object (JsonObject *object);

static void
wipe_node (JsonNode *node)
{
  if (node == NULL)
    return;
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      wipe_object (json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          wipe_node (json_array_get_element (array, i));
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *text = (char *) json_node_get_string (node);

          if (text != NULL)
            sodium_memzero (text, strlen (text));
        }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

static void
wipe_object (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    wipe_node (json_object_get_member (object, l->data));
}

/* Text checks. */

static gboolean
is_control (gunichar c,
            gboolean multi_line)
{
  if (c < 0x20)
    return !(multi_line && (c == '\n' || c == '\t'));
  return c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

/* Embeddings, overrides and isolates can make text read differently from how it is stored.
 * The marks U+200E, U+200F and U+061C stay: right-to-left writing needs them. */
static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Returns TRUE when the text has no problem. */
static gboolean
check_text (Validation *v,
            const char *field,
            const char *text,
            gboolean    multi_line,
            guint       limit)
{
  gboolean control = FALSE;
  gboolean bidi = FALSE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      add_problem (v, field, HIRC_PROBLEM_INVALID_UTF8, NULL);
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      control |= is_control (c, multi_line);
      bidi |= is_bidi_control (c);
    }
  if (control)
    add_problem (v, field, HIRC_PROBLEM_CONTROL_CHARACTER, NULL);
  if (bidi)
    add_problem (v, field, HIRC_PROBLEM_BIDI_OVERRIDE, NULL);
  if ((guint) g_utf8_strlen (text, -1) > limit)
    add_too_long (v, field, limit);
  return !control && !bidi && (guint) g_utf8_strlen (text, -1) <= limit;
}

static gboolean
phone_is_valid (const char *text)
{
  gsize n = strlen (text);
  guint digits = 0;

  if (n < PHONE_MIN_CHARS || n > PHONE_MAX_CHARS)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      if (g_ascii_isdigit (text[i]))
        digits++;
      else if (strchr (" +-()", text[i]) == NULL)
        return FALSE;
    }
  return digits >= PHONE_MIN_DIGITS;
}

/* Deliberately loose: the address must look like one (name@domain.tld, no spaces), since a
 * reporter's real address may use any letters. Whether it works is for the case worker. */
static gboolean
email_is_valid (const char *text)
{
  const char *at = strchr (text, '@');
  g_auto(GStrv) labels = NULL;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || strchr ("()<>[],;:\"\\", *p) != NULL)
      return FALSE;
  labels = g_strsplit (at + 1, ".", -1);
  if (g_strv_length (labels) < 2)
    return FALSE;
  for (guint i = 0; labels[i] != NULL; i++)
    if (labels[i][0] == '\0')
      return FALSE;
  return TRUE;
}

/* A language tag in the shape of BCP 47: a 2 to 8 letter language, then subtags of 1 to 8
 * letters or digits ("pl", "pa-IN", "en-easyread"). */
static gboolean
language_is_valid (const char *text)
{
  gsize n = strlen (text);
  gsize run = 0;
  gboolean first = TRUE;

  if (n == 0 || n > LIMIT_LANGUAGE)
    return FALSE;
  for (gsize i = 0; i <= n; i++)
    {
      char c = text[i];

      if (c == '-' || c == '\0')
        {
          if (run == 0 || run > 8 || (first && run < 2))
            return FALSE;
          first = FALSE;
          run = 0;
        }
      else if (g_ascii_isalpha (c) || (!first && g_ascii_isdigit (c)))
        run++;
      else
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year < DATE_MIN_YEAR || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* Only the exact form "2026-11-23T11:00:00Z": one spelling per instant keeps reports
 * canonical. */
static GDateTime *
parse_timestamp (const char *text)
{
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

  if (strlen (text) != sizeof shape - 1)
    return NULL;
  for (guint i = 0; shape[i] != '\0'; i++)
    if (shape[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != shape[i])
      return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

static char *
format_timestamp (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
uuid_is_canonical_v4 (const char *text)
{
  guint8 bytes[16];
  g_autofree char *canonical = NULL;

  if (!hirc_uuid_parse (text, bytes) || (bytes[6] >> 4) != 4 || (bytes[8] & 0xc0) != 0x80)
    return FALSE;
  canonical = hirc_uuid_format (bytes);
  return g_str_equal (canonical, text);
}

static gboolean
reference_is_canonical (const char *text)
{
  g_autofree char *canonical = hirc_reference_normalise (text);

  return canonical != NULL && g_str_equal (canonical, text);
}

/* Validation. */

static void
check_codes (Validation      *v,
             const FieldSpec *spec,
             const char      *field,
             JsonArray       *array)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const HircChoice *const *offered = hirc_taxonomy_get_choices (v->taxonomy, spec->list);
  guint n_offered = 0;
  gboolean wrong_type = FALSE, unknown = FALSE, duplicate = FALSE;
  gboolean not_sure = FALSE, other_than_not_sure = FALSE;
  gboolean none = FALSE, other_than_none = FALSE;

  while (offered[n_offered] != NULL)
    n_offered++;
  if (json_array_get_length (array) > n_offered)
    add_problem (v, field, HIRC_PROBLEM_TOO_MANY, NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *code;

      if (!node_is_string (element))
        {
          wrong_type = TRUE;
          continue;
        }
      code = json_node_get_string (element);
      if (!hirc_taxonomy_has_code (v->taxonomy, spec->list, code))
        unknown = TRUE;
      if (!g_hash_table_add (seen, (gpointer) code))
        duplicate = TRUE;
      if (g_str_equal (code, "not_sure"))
        not_sure = TRUE;
      else
        other_than_not_sure = TRUE;
      if (g_str_equal (code, "none"))
        none = TRUE;
      else
        other_than_none = TRUE;
    }

  if (wrong_type)
    add_problem (v, field, HIRC_PROBLEM_WRONG_TYPE, NULL);
  if (unknown)
    add_problem (v, field, HIRC_PROBLEM_UNKNOWN_CODE, NULL);
  if (duplicate)
    add_problem (v, field, HIRC_PROBLEM_DUPLICATE_CODE, NULL);
  if ((spec->rules & RULE_NOT_SURE_ALONE) && not_sure && other_than_not_sure)
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("Choose \"I'm not sure\" on its own, or choose the reasons you think it "
                    "happened."));
  if ((spec->rules & RULE_NONE_ALONE) && none && other_than_none)
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("Choose the answers that apply, or the one that says there were none, but "
                    "not both."));
}

static gboolean
is_required (Validation      *v,
             const FieldSpec *spec)
{
  switch (spec->required)
    {
    case REQUIRED_YES:
      return TRUE;
    case REQUIRED_UNLESS_INCIDENT_OTHER:
      return !node_is_answered (lookup (v->root, "incident_other"));
    case REQUIRED_IF_REFERRAL:
      return lookup_true (v->root, "consents.support_referral");
    case REQUIRED_NO:
    default:
      return FALSE;
    }
}

/* The rules that relate an answered field to other answers. */
static void
check_rules (Validation      *v,
             const FieldSpec *spec,
             const char      *field,
             JsonNode        *node)
{
  const char *role = lookup_string (v->root, "role");
  const char *setting = lookup_string (v->root, "setting");

  if ((spec->rules & RULE_ONLINE_ONLY) && g_strcmp0 (setting, "in_person") == 0)
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("You said it happened in person, so leave out the online details."));

  if ((spec->rules & RULE_ON_BEHALF_ONLY) && role != NULL && role[0] != '\0'
      && !g_str_equal (role, "on_behalf"))
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("Only answer questions about the victim if you are reporting for someone "
                    "else."));

  if ((spec->rules & RULE_UNDER_16_MATCHES) && node_is_boolean (node))
    {
      const char *band = lookup_string (v->root, "victim.age_band");
      gboolean under_16 = json_node_get_boolean (node);

      /* An unknown band is reported as such; comparing with it would only add noise. */
      if (band != NULL && hirc_taxonomy_has_code (v->taxonomy, HIRC_LIST_AGE_BAND, band)
          && !g_str_equal (band, "prefer_not_to_say")
          && under_16 != g_str_equal (band, "under_16"))
        add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                     N_("Whether they are under 16 does not match the age group you chose."));
    }

  if ((spec->rules & RULE_NOT_IF_ANONYMOUS) && lookup_true (v->root, "contact.anonymous"))
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("You chose to stay anonymous, so leave out your name, phone number and "
                    "email."));

  if ((spec->rules & RULE_ONLY_IF_REFERRAL) && !lookup_true (v->root, "consents.support_referral"))
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("Choose a support service only if you want to be put in touch with one."));

  if ((spec->rules & RULE_ONLY_IF_ASSISTED) && !lookup_true (v->root, "meta.assisted"))
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("An ambassador's id is recorded only when an ambassador helps with the "
                    "report."));

  if ((spec->rules & RULE_AMBASSADOR_ONLY) && !lookup_true (v->root, "meta.assisted"))
    add_problem (v, field, HIRC_PROBLEM_CONFLICT,
                 N_("Only a Hate Crime Ambassador answers this question, when they take the "
                    "report with the reporter."));
}

static GDate
latest_allowed_date (Validation *v)
{
  const char *created = lookup_string (v->root, "created");
  g_autoptr(GDateTime) made = created != NULL ? parse_timestamp (created) : NULL;
  g_autoptr(GDateTime) latest = NULL;
  GDate date;

  if (made == NULL)
    made = g_date_time_new_now_utc ();
  latest = g_date_time_add_hours (made, FUTURE_SLACK_HOURS);
  g_date_clear (&date, 1);
  /* Past the end of year 9999, where GDateTime stops, every date the format allows is past. */
  if (latest == NULL)
    {
      g_date_set_dmy (&date, 31, G_DATE_DECEMBER, 9999);
      return date;
    }
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (latest),
                  (GDateMonth) g_date_time_get_month (latest),
                  (GDateYear) g_date_time_get_year (latest));
  return date;
}

static void validate_object (Validation      *v,
                             JsonObject      *object,
                             const FieldSpec *fields,
                             const char      *prefix);

static void
validate_field (Validation      *v,
                const FieldSpec *spec,
                const char      *field,
                JsonNode        *node)
{
  const char *text = NULL;
  const char *kiosk_message = is_kiosk_field (spec) ? kiosk_field_message : NULL;
  gboolean ok = TRUE;

  if (!field_is_answered (spec, node))
    {
      if (is_required (v, spec))
        add_problem (v, field, HIRC_PROBLEM_REQUIRED,
                     kiosk_message != NULL ? kiosk_message : spec->required_message);
      /* A group that is not there may still hold a required answer. */
      if (spec->kind == KIND_OBJECT && node == NULL)
        validate_object (v, NULL, spec->children, field);
      return;
    }

  switch (spec->kind)
    {
    case KIND_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          add_problem (v, field, HIRC_PROBLEM_WRONG_TYPE, NULL);
          return;
        }
      validate_object (v, json_node_get_object (node), spec->children, field);
      return;
    case KIND_CODES:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          add_problem (v, field, HIRC_PROBLEM_WRONG_TYPE, NULL);
          return;
        }
      check_codes (v, spec, field, json_node_get_array (node));
      break;
    case KIND_BOOLEAN:
      if (!node_is_boolean (node))
        {
          add_problem (v, field, HIRC_PROBLEM_WRONG_TYPE, NULL);
          return;
        }
      break;
    case KIND_LINE:
    case KIND_LINES:
    case KIND_CODE:
    case KIND_DATE:
    case KIND_TIMESTAMP:
    case KIND_SCHEMA:
    case KIND_UUID:
    case KIND_REFERENCE:
    case KIND_AREA:
    case KIND_SERVICE:
    case KIND_PHONE:
    case KIND_EMAIL:
    case KIND_LANGUAGE:
    default:
      if (!node_is_string (node))
        {
          add_problem (v, field, HIRC_PROBLEM_WRONG_TYPE, kiosk_message);
          return;
        }
      text = json_node_get_string (node);
      break;
    }

  switch (spec->kind)
    {
    case KIND_LINE:
    case KIND_LINES:
      check_text (v, field, text, spec->kind == KIND_LINES, spec->limit);
      break;
    case KIND_CODE:
      ok = hirc_taxonomy_has_code (v->taxonomy, spec->list, text);
      break;
    case KIND_AREA:
      ok = g_str_equal (text, "not_sure") || hirc_taxonomy_has_area (v->taxonomy, text);
      break;
    case KIND_SERVICE:
      ok = hirc_taxonomy_find_service (v->taxonomy, text) != NULL;
      break;
    case KIND_DATE:
      {
        GDate date;
        GDate latest;

        if (!parse_date (text, &date))
          {
            add_problem (v, field, HIRC_PROBLEM_INVALID_DATE, NULL);
            break;
          }
        latest = latest_allowed_date (v);
        if (g_date_compare (&date, &latest) > 0)
          add_problem (v, field, HIRC_PROBLEM_FUTURE_DATE, NULL);
      }
      break;
    case KIND_TIMESTAMP:
      {
        g_autoptr(GDateTime) time = parse_timestamp (text);

        if (time == NULL)
          add_problem (v, field, HIRC_PROBLEM_INVALID_DATE, kiosk_message);
      }
      break;
    case KIND_SCHEMA:
      if (!g_str_equal (text, HIRC_REPORT_SCHEMA))
        add_problem (v, field, HIRC_PROBLEM_UNKNOWN_CODE, kiosk_message);
      break;
    case KIND_UUID:
      if (!uuid_is_canonical_v4 (text))
        add_problem (v, field, HIRC_PROBLEM_INVALID_ID, NULL);
      break;
    case KIND_REFERENCE:
      if (!reference_is_canonical (text))
        add_problem (v, field, HIRC_PROBLEM_INVALID_ID, NULL);
      break;
    case KIND_PHONE:
      if (check_text (v, field, text, FALSE, spec->limit) && !phone_is_valid (text))
        add_problem (v, field, HIRC_PROBLEM_INVALID_FORMAT,
                     N_("Enter a phone number using only numbers, spaces and the signs + - ( )."));
      break;
    case KIND_EMAIL:
      if (check_text (v, field, text, FALSE, spec->limit) && !email_is_valid (text))
        add_problem (v, field, HIRC_PROBLEM_INVALID_FORMAT,
                     N_("Enter an email address like name@example.com."));
      break;
    case KIND_LANGUAGE:
      if (!language_is_valid (text))
        add_problem (v, field, HIRC_PROBLEM_INVALID_FORMAT,
                     N_("Choose a language from the list."));
      break;
    case KIND_OBJECT:
    case KIND_CODES:
    case KIND_BOOLEAN:
    default:
      break;
    }
  if (!ok)
    add_problem (v, field, HIRC_PROBLEM_UNKNOWN_CODE, NULL);

  if (spec->rules != 0)
    check_rules (v, spec, field, node);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (a, b);
}

/* object may be NULL: a group that is not there, whose fields may still be required. */
static void
validate_object (Validation      *v,
                 JsonObject      *object,
                 const FieldSpec *fields,
                 const char      *prefix)
{
  g_autoptr(GList) members = NULL;

  for (const FieldSpec *f = fields; f->name != NULL; f++)
    {
      g_autofree char *field = prefix != NULL ? g_strconcat (prefix, ".", f->name, NULL)
                                              : g_strdup (f->name);

      validate_field (v, f, field, object != NULL ? json_object_get_member (object, f->name)
                                                  : NULL);
    }

  if (object == NULL)
    return;
  members = g_list_sort (json_object_get_members (object), compare_names);
  for (GList *l = members; l != NULL; l = l->next)
    if (find_spec (fields, l->data) == NULL)
      {
        g_autofree char *field = prefix != NULL ? g_strconcat (prefix, ".", l->data, NULL)
                                                : g_strdup (l->data);

        add_problem (v, field, HIRC_PROBLEM_UNKNOWN_FIELD, NULL);
      }
}

GPtrArray *
hirc_report_validate (HircReport         *report,
                      const HircTaxonomy *taxonomy)
{
  Validation v;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (taxonomy != NULL, NULL);

  v.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_problem_free);
  v.root = report->root;
  v.taxonomy = taxonomy;
  validate_object (&v, report->root, report_fields, NULL);
  return v.problems;
}

/* Canonical JSON. It is written twice: once to measure, once into guarded memory of exactly
 * that size, so the plaintext never passes through a growing heap buffer whose old copies
 * would be freed unwiped. */

typedef struct
{
  guint8 *data; /* NULL while measuring */
  gsize   len;
} Sink;

static void
sink_put (Sink       *sink,
          const void *bytes,
          gsize       n)
{
  if (sink->data != NULL)
    memcpy (sink->data + sink->len, bytes, n);
  sink->len += n;
}

static void
sink_puts (Sink       *sink,
           const char *text)
{
  sink_put (sink, text, strlen (text));
}

/* Escapes what JSON requires and nothing else. Bytes that are not UTF-8 (which only a bad
 * setter call or a lone surrogate escape can produce) become U+FFFD, so the output is always
 * valid JSON; validation has reported them already. */
static void
write_string (Sink       *sink,
              const char *text)
{
  gsize n = strlen (text);
  gsize i = 0;

  sink_puts (sink, "\"");
  while (i < n)
    {
      guchar c = (guchar) text[i];

      if (c == '"' || c == '\\')
        {
          char escaped[2] = { '\\', (char) c };

          sink_put (sink, escaped, 2);
          i++;
        }
      else if (c < 0x20)
        {
          char escaped[8];

          switch (c)
            {
            case '\n': sink_puts (sink, "\\n"); break;
            case '\t': sink_puts (sink, "\\t"); break;
            case '\r': sink_puts (sink, "\\r"); break;
            case '\b': sink_puts (sink, "\\b"); break;
            case '\f': sink_puts (sink, "\\f"); break;
            default:
              g_snprintf (escaped, sizeof escaped, "\\u%04x", c);
              sink_puts (sink, escaped);
              break;
            }
          i++;
        }
      else if (c < 0x80)
        {
          sink_put (sink, text + i, 1);
          i++;
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (text + i, (gssize) (n - i));

          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              sink_puts (sink, "\xef\xbf\xbd");
              i++;
            }
          else
            {
              sink_put (sink, text + i, (gsize) g_utf8_skip[c]);
              i += (gsize) g_utf8_skip[c];
            }
        }
    }
  sink_puts (sink, "\"");
}

static void write_object (Sink            *sink,
                          JsonObject      *object,
                          const FieldSpec *fields);

static void
write_node (Sink            *sink,
            JsonNode        *node,
            const FieldSpec *fields)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      write_object (sink, json_node_get_object (node), fields);
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        sink_puts (sink, "[");
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              sink_puts (sink, ",");
            write_node (sink, json_array_get_element (array, i), NULL);
          }
        sink_puts (sink, "]");
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          write_string (sink, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          sink_puts (sink, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, json_node_get_int (node));
          sink_puts (sink, number);
          break;
        case G_TYPE_DOUBLE:
          /* JSON has no infinity; json-glib turns "1e999" into one. Zero is written "0",
           * because "-0" would be read back as the integer 0 and written differently. */
          if (!isfinite (json_node_get_double (node)))
            sink_puts (sink, "null");
          else if (json_node_get_double (node) == 0.0)
            sink_puts (sink, "0");
          else
            sink_puts (sink, g_ascii_dtostr (number, sizeof number, json_node_get_double (node)));
          break;
        default:
          sink_puts (sink, "null");
          break;
        }
      break;
    case JSON_NODE_NULL:
    default:
      sink_puts (sink, "null");
      break;
    }
}

/* Known members in table order, then any others sorted by name, so that equal documents give
 * equal bytes whatever order their answers were given in. */
static void
write_object (Sink            *sink,
              JsonObject      *object,
              const FieldSpec *fields)
{
  g_autoptr(GList) members = g_list_sort (json_object_get_members (object), compare_names);
  gboolean first = TRUE;

  sink_puts (sink, "{");
  for (const FieldSpec *f = fields; f != NULL && f->name != NULL; f++)
    {
      JsonNode *member = json_object_get_member (object, f->name);

      if (member == NULL)
        continue;
      if (!first)
        sink_puts (sink, ",");
      first = FALSE;
      write_string (sink, f->name);
      sink_puts (sink, ":");
      write_node (sink, member, f->children);
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (find_spec (fields, l->data) != NULL)
        continue;
      if (!first)
        sink_puts (sink, ",");
      first = FALSE;
      write_string (sink, l->data);
      sink_puts (sink, ":");
      write_node (sink, json_object_get_member (object, l->data), NULL);
    }
  sink_puts (sink, "}");
}

HircSecureBuffer *
hirc_report_serialise (HircReport *report)
{
  Sink measure = { NULL, 0 };
  Sink sink = { NULL, 0 };
  HircSecureBuffer *buffer;

  g_return_val_if_fail (report != NULL, NULL);

  write_object (&measure, report->root, report_fields);
  buffer = hirc_secure_buffer_new (measure.len);
  sink.data = buffer->data;
  write_object (&sink, report->root, report_fields);
  g_assert (sink.len == measure.len);
  return buffer;
}

/* Life cycle. */

static char *
now_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return format_timestamp (now);
}

/* Sets a string member, unless the answer is already there. */
static void
fill_string (JsonObject *object,
             const char *name,
             char       *value)
{
  g_autofree char *owned = value;

  if (!node_is_answered (json_object_get_member (object, name)))
    json_object_set_string_member (object, name, owned);
}

/* Fills in what the kiosk itself provides. A group that has the wrong type is left for
 * validation to report rather than replaced. */
static void
fill_missing (JsonObject *root)
{
  JsonNode *meta = json_object_get_member (root, "meta");

  if (!json_object_has_member (root, "schema"))
    json_object_set_string_member (root, "schema", HIRC_REPORT_SCHEMA);
  fill_string (root, "id", hirc_uuid_new ());
  fill_string (root, "reference", hirc_reference_new ());
  fill_string (root, "created", now_timestamp ());

  if (meta == NULL)
    {
      json_object_set_object_member (root, "meta", json_object_new ());
      meta = json_object_get_member (root, "meta");
    }
  if (JSON_NODE_HOLDS_OBJECT (meta))
    fill_string (json_node_get_object (meta), "software_version", g_strdup (PACKAGE_VERSION));
}

HircReport *
hirc_report_new (void)
{
  HircReport *report = g_new0 (HircReport, 1);

  report->root = json_object_new ();
  fill_missing (report->root);
  return report;
}

HircReport *
hirc_report_new_from_json (const char  *data,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *message = NULL;
  HircReport *report;
  JsonNode *schema;
  guint n_members = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > REPORT_MAX_BYTES)
    {
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_TOO_LARGE,
                   "The report is %" G_GSIZE_FORMAT " bytes; at most %u are accepted.", len,
                   REPORT_MAX_BYTES);
      return NULL;
    }
  switch (hirc_json_check (data, len, REPORT_MAX_DEPTH, &n_members, &message))
    {
    case HIRC_JSON_OK:
      break;
    case HIRC_JSON_SYNTAX:
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_NOT_JSON,
                   "The report is not valid JSON: %s", message);
      return NULL;
    case HIRC_JSON_TOO_DEEP:
    case HIRC_JSON_NUL_CHARACTER:
    default:
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_INVALID,
                   "The report cannot be read: %s", message);
      return NULL;
    }

  /* json-glib's scanner makes copies of the strings it reads and frees them unwiped; that is
   * out of this code's reach, and the text came in through the caller's buffer anyway. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_NOT_JSON,
                   "The report is not valid JSON: %s", parse_error->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_NOT_AN_OBJECT,
                           "The report must be one JSON object.");
      if (root != NULL)
        wipe_node (root);
      return NULL;
    }
  if (hirc_json_count_members (root) != n_members)
    {
      /* Two parsers could read {"role":"victim","role":"witness"} differently. */
      g_set_error_literal (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_INVALID,
                           "The report cannot be read: a key appears twice in the same object.");
      wipe_node (root);
      return NULL;
    }
  schema = json_object_get_member (json_node_get_object (root), "schema");
  if (schema != NULL && !(node_is_string (schema)
                          && g_str_equal (json_node_get_string (schema), HIRC_REPORT_SCHEMA)))
    {
      g_set_error (error, HIRC_REPORT_ERROR, HIRC_REPORT_ERROR_UNKNOWN_SCHEMA,
                   "The document is not a %s report.", HIRC_REPORT_SCHEMA);
      wipe_node (root);
      return NULL;
    }

  report = g_new0 (HircReport, 1);
  report->root = json_object_ref (json_node_get_object (root));
  fill_missing (report->root);
  return report;
}

void
hirc_report_free (HircReport *report)
{
  if (report == NULL)
    return;
  wipe_object (report->root);
  json_object_unref (report->root);
  g_free (report);
}

const char *
hirc_report_get_id (const HircReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return lookup_string (report->root, "id");
}

const char *
hirc_report_get_reference (const HircReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return lookup_string (report->root, "reference");
}

gint64
hirc_report_get_created (const HircReport *report)
{
  const char *created;
  g_autoptr(GDateTime) time = NULL;

  g_return_val_if_fail (report != NULL, 0);

  created = lookup_string (report->root, "created");
  if (created == NULL)
    return 0;
  time = parse_timestamp (created);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

JsonObject *
hirc_report_get_root (HircReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->root;
}

const char *
hirc_report_get_string (HircReport *report,
                        const char *path)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (path_is_valid (path), NULL);

  return lookup_string (report->root, path);
}

gboolean
hirc_report_get_boolean (HircReport *report,
                         const char *path,
                         gboolean   *is_set)
{
  JsonNode *node;

  if (is_set != NULL)
    *is_set = FALSE;
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path_is_valid (path), FALSE);

  node = lookup (report->root, path);
  if (!node_is_boolean (node))
    return FALSE;
  if (is_set != NULL)
    *is_set = TRUE;
  return json_node_get_boolean (node);
}

char **
hirc_report_get_codes (HircReport *report,
                       const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (path_is_valid (path), NULL);

  node = lookup (report->root, path);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (node_is_string (json_array_get_element (array, i)))
          g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }
  return g_strv_builder_end (builder);
}

/* Returns the object that holds the last part of path, creating groups on the way; a member in
 * the way that is not an object is wiped and replaced. */
static JsonObject *
ensure_parent (JsonObject  *root,
               const char  *path,
               char       **leaf)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = root;
  guint i;

  for (i = 0; parts[i + 1] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, parts[i]);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          wipe_node (node);
          json_object_set_object_member (object, parts[i], json_object_new ());
          node = json_object_get_member (object, parts[i]);
        }
      object = json_node_get_object (node);
    }
  *leaf = g_strdup (parts[i]);
  return object;
}

/* Takes node; wipes whatever answer it replaces. */
static void
set_node (HircReport *report,
          const char *path,
          JsonNode   *node)
{
  g_autofree char *leaf = NULL;
  JsonObject *parent = ensure_parent (report->root, path, &leaf);

  wipe_node (json_object_get_member (parent, leaf));
  json_object_set_member (parent, leaf, node);
}

/* Removes the answer at path, wiped, and then any group left empty by it. */
static void
remove_path (HircReport *report,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  g_autofree JsonObject **objects = g_new0 (JsonObject *, n);
  JsonNode *node;

  objects[0] = report->root;
  for (guint i = 0; i + 1 < n; i++)
    {
      node = json_object_get_member (objects[i], parts[i]);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return;
      objects[i + 1] = json_node_get_object (node);
    }
  node = json_object_get_member (objects[n - 1], parts[n - 1]);
  if (node == NULL)
    return;
  wipe_node (node);
  json_object_remove_member (objects[n - 1], parts[n - 1]);

  for (guint i = n - 1; i > 0 && json_object_get_size (objects[i]) == 0; i--)
    json_object_remove_member (objects[i - 1], parts[i - 1]);
}

void
hirc_report_set_string (HircReport *report,
                        const char *path,
                        const char *value)
{
  JsonNode *node;

  g_return_if_fail (report != NULL);
  g_return_if_fail (path_is_valid (path));

  if (value == NULL || value[0] == '\0')
    {
      remove_path (report, path);
      return;
    }
  /* The new node copies value first: value may be the very string about to be wiped. */
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, value);
  set_node (report, path, node);
}

void
hirc_report_set_boolean (HircReport *report,
                         const char *path,
                         gboolean    value)
{
  JsonNode *node;

  g_return_if_fail (report != NULL);
  g_return_if_fail (path_is_valid (path));

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (node, value);
  set_node (report, path, node);
}

void
hirc_report_set_codes (HircReport         *report,
                       const char         *path,
                       const char * const *codes)
{
  JsonArray *array;
  JsonNode *node;

  g_return_if_fail (report != NULL);
  g_return_if_fail (path_is_valid (path));

  if (codes == NULL || codes[0] == NULL)
    {
      remove_path (report, path);
      return;
    }
  array = json_array_new ();
  for (guint i = 0; codes[i] != NULL; i++)
    json_array_add_string_element (array, codes[i]);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  set_node (report, path, node);
}

void
hirc_report_wipe (HircReport *report)
{
  g_autoptr(GList) members = NULL;

  g_return_if_fail (report != NULL);

  /* The id stays: the outbox and the caller still need to name what was sent. */
  members = json_object_get_members (report->root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "id") || g_str_equal (name, "schema"))
        continue;
      wipe_node (json_object_get_member (report->root, name));
      json_object_remove_member (report->root, name);
    }
}

/* Text. */

static gboolean
is_neutralised (gunichar c,
                gboolean multi_line)
{
  return is_control (c, multi_line) || is_bidi_control (c);
}

/* Bytes that are not UTF-8 become U+FFFD, so the result is always valid text. The result is
 * measured first and allocated once, so no copy of the text is left behind by reallocation. */
char *
hirc_text_neutralise (const char *text,
                      gboolean    multi_line)
{
  static const char replacement[] = "\xef\xbf\xbd";
  gsize n;
  char *result;

  g_return_val_if_fail (text != NULL, NULL);

  n = strlen (text);
  result = NULL;
  for (int pass = 0; pass < 2; pass++)
    {
      gsize out = 0;
      gsize i = 0;

      while (i < n)
        {
          gunichar c = g_utf8_get_char_validated (text + i, (gssize) (n - i));

          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              if (result != NULL)
                memcpy (result + out, replacement, 3);
              out += 3;
              i++;
              continue;
            }
          if (!is_neutralised (c, multi_line))
            {
              if (result != NULL)
                memcpy (result + out, text + i, (gsize) g_utf8_skip[(guchar) text[i]]);
              out += (gsize) g_utf8_skip[(guchar) text[i]];
            }
          i += (gsize) g_utf8_skip[(guchar) text[i]];
        }
      if (result == NULL)
        result = g_malloc (out + 1);
      else
        result[out] = '\0';
    }
  return result;
}

/* Ids. */

char *
hirc_uuid_format (const guint8 bytes[16])
{
  GString *out = g_string_sized_new (37);

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        g_string_append_c (out, '-');
      g_string_append_printf (out, "%02x", bytes[i]);
    }
  return g_string_free (out, FALSE);
}

char *
hirc_uuid_new (void)
{
  guint8 bytes[16];

  randombytes_buf (bytes, sizeof bytes);
  /* RFC 9562: version 4 (random) in the high nibble of byte 6, variant 10 in byte 8. */
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return hirc_uuid_format (bytes);
}

/* Accepts the 36-character form in either case; validation also requires lower case. */
gboolean
hirc_uuid_parse (const char *text,
                 guint8      out[16])
{
  guint byte = 0;

  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; )
    {
      int high, low;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          i++;
          continue;
        }
      high = g_ascii_xdigit_value (text[i]);
      low = g_ascii_xdigit_value (text[i + 1]);
      if (high < 0 || low < 0)
        return FALSE;
      out[byte++] = (guint8) (high * 16 + low);
      i += 2;
    }
  return TRUE;
}

/* The check character is a weighted sum modulo 31, a prime: changing one character by d changes
 * the sum by weight * d, and swapping neighbours a and b changes it by a - b; neither is 0
 * modulo 31 unless d or a - b is ±31, which is only 0 against Z. REPORT.md has the details. */
static guint
reference_check (const guint values[REFERENCE_DATA_CHARS])
{
  guint sum = 0;

  for (guint i = 0; i < REFERENCE_DATA_CHARS; i++)
    sum += (i + 1) * values[i];
  return sum % REFERENCE_CHECK_MODULUS;
}

static char *
reference_format (const guint values[REFERENCE_DATA_CHARS])
{
  char code[] = "HR-XXXX-XXXX";
  guint check = reference_check (values);

  for (guint i = 0; i < REFERENCE_DATA_CHARS; i++)
    code[3 + i + (i >= 4 ? 1 : 0)] = crockford[values[i]];
  code[11] = crockford[check];
  return g_strdup (code);
}

char *
hirc_reference_new (void)
{
  guint values[REFERENCE_DATA_CHARS];

  for (guint i = 0; i < REFERENCE_DATA_CHARS; i++)
    values[i] = randombytes_uniform (32);
  return reference_format (values);
}

char *
hirc_reference_normalise (const char *typed)
{
  char chars[REFERENCE_DATA_CHARS + 3];
  guint values[REFERENCE_DATA_CHARS];
  const char *code = chars;
  gsize n = 0;
  int check;

  g_return_val_if_fail (typed != NULL, NULL);

  /* People leave out or add hyphens and spaces; only the letters and digits count. */
  for (const char *p = typed; *p != '\0'; p++)
    {
      if (*p == '-' || g_ascii_isspace (*p))
        continue;
      if (n == sizeof chars)
        return NULL;
      chars[n++] = *p;
    }
  if (n == REFERENCE_DATA_CHARS + 3 && g_ascii_toupper (chars[0]) == 'H'
      && g_ascii_toupper (chars[1]) == 'R')
    {
      code += 2;
      n -= 2;
    }
  if (n != REFERENCE_DATA_CHARS + 1)
    return NULL;
  for (guint i = 0; i < REFERENCE_DATA_CHARS; i++)
    {
      int value = hirc_base32_value (code[i]);

      if (value < 0)
        return NULL;
      values[i] = (guint) value;
    }
  check = hirc_base32_value (code[REFERENCE_DATA_CHARS]);
  if (check < 0 || (guint) check != reference_check (values))
    return NULL;
  return reference_format (values);
}
