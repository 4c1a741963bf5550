/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-report.h: the report a reporter makes, as a versioned JSON document (hirc.report/1).
 * No GTK here: the intake's export and the command line use it too. The fields, their codes and
 * their limits are listed in app/REPORT.md. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "hirc-secure.h"
#include "hirc-taxonomy.h"

G_BEGIN_DECLS

#define HIRC_REPORT_SCHEMA "hirc.report/1"

#define HIRC_REPORT_ERROR (hirc_report_error_quark ())

typedef enum
{
  HIRC_REPORT_ERROR_NOT_JSON,
  HIRC_REPORT_ERROR_NOT_AN_OBJECT,
  HIRC_REPORT_ERROR_UNKNOWN_SCHEMA,
  HIRC_REPORT_ERROR_TOO_LARGE,
  HIRC_REPORT_ERROR_INVALID,
} HircReportError;

GQuark hirc_report_error_quark (void);

/* Why one field is not acceptable; the UI turns each into a sentence beside the field and in
 * the error summary. */
typedef enum
{
  HIRC_PROBLEM_REQUIRED,
  HIRC_PROBLEM_UNKNOWN_FIELD,
  HIRC_PROBLEM_WRONG_TYPE,
  HIRC_PROBLEM_UNKNOWN_CODE,
  HIRC_PROBLEM_DUPLICATE_CODE,
  HIRC_PROBLEM_TOO_LONG,
  HIRC_PROBLEM_TOO_MANY,
  HIRC_PROBLEM_INVALID_UTF8,
  HIRC_PROBLEM_CONTROL_CHARACTER,
  HIRC_PROBLEM_BIDI_OVERRIDE,
  HIRC_PROBLEM_INVALID_DATE,
  HIRC_PROBLEM_FUTURE_DATE,
  HIRC_PROBLEM_INVALID_ID,
  HIRC_PROBLEM_CONFLICT,
  /* A phone number, email address or language code that is not written the way it must be. */
  HIRC_PROBLEM_INVALID_FORMAT,
} HircProblemCode;

typedef struct
{
  char            *field;   /* dotted path, e.g. "contact.phone" */
  HircProblemCode  code;
  char            *message; /* one plain sentence, translated */
} HircProblem;

void        hirc_problem_free            (HircProblem *problem);
const char *hirc_problem_code_to_string  (HircProblemCode code);

typedef struct _HircReport HircReport;

/* A new empty report with a fresh id, reference code, creation time and software version. */
HircReport *hirc_report_new              (void);
/* Parses a report, or the answers of one: a missing id, reference or creation time is filled
 * in. Only the structure is checked here; call hirc_report_validate() for the content. */
HircReport *hirc_report_new_from_json    (const char   *data,
                                          gsize         len,
                                          GError      **error);
void        hirc_report_free             (HircReport   *report);

const char *hirc_report_get_id           (const HircReport *report);
const char *hirc_report_get_reference    (const HircReport *report);
gint64      hirc_report_get_created      (const HircReport *report);
/* The document itself, for the journey to read and write answers; owned by the report. */
JsonObject *hirc_report_get_root         (HircReport   *report);

/* Field access by dotted path ("where.area"); setting NULL removes the answer. */
const char *hirc_report_get_string       (HircReport   *report,
                                          const char   *path);
void        hirc_report_set_string       (HircReport   *report,
                                          const char   *path,
                                          const char   *value);
gboolean    hirc_report_get_boolean      (HircReport   *report,
                                          const char   *path,
                                          gboolean     *is_set);
void        hirc_report_set_boolean      (HircReport   *report,
                                          const char   *path,
                                          gboolean      value);
/* Code lists ("incident_types"): NULL-terminated; the result is owned by the caller. */
char      **hirc_report_get_codes        (HircReport   *report,
                                          const char   *path);
void        hirc_report_set_codes        (HircReport   *report,
                                          const char   *path,
                                          const char * const *codes);

/* Returns every problem at once (an empty array when the report is acceptable), in the order
 * of the journey's pages. */
GPtrArray  *hirc_report_validate         (HircReport          *report,
                                          const HircTaxonomy  *taxonomy);

/* The canonical JSON in guarded memory, ready to seal. */
HircSecureBuffer *hirc_report_serialise  (HircReport   *report);

/* Overwrites every string the report holds, then drops the answers: nothing of the reporter
 * stays in this process's heap. The report keeps its id. */
void        hirc_report_wipe             (HircReport   *report);

/* Removes bidirectional overrides and isolates and control characters (other than new lines
 * in multi-line fields) from text a person typed, so that what is stored reads as it looked. */
char       *hirc_text_neutralise         (const char   *text,
                                          gboolean      multi_line);

/* Random UUID v4 in canonical lower-case form, and parsing of one to its 16 bytes. */
char       *hirc_uuid_new                (void);
gboolean    hirc_uuid_parse              (const char   *text,
                                          guint8        out[16]);
char       *hirc_uuid_format             (const guint8  bytes[16]);

/* Reference codes people quote: "HR-" then 7 random Crockford base32 characters and one check
 * character, grouped "HR-7KQ2-M9XD". hirc_reference_normalise() accepts what a person might
 * type or say (lower case, O for 0, I or L for 1, missing hyphens) and returns the canonical
 * form, or NULL when the check character does not match. */
char       *hirc_reference_new           (void);
char       *hirc_reference_normalise     (const char   *typed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircReport, hirc_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircProblem, hirc_problem_free)

G_END_DECLS
