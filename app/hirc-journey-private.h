/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-journey-private.h: the description of the reporting journey's pages as data: which
 * answers each page asks for, from which list, in what form, and when the page applies. */
#pragma once

#include <gtk/gtk.h>

#include "hirc-report.h"
#include "hirc-taxonomy.h"

G_BEGIN_DECLS

typedef enum
{
  HIRC_FIELD_CODE,      /* one code from a taxonomy list: radio buttons */
  HIRC_FIELD_CODES,     /* codes from a taxonomy list: check boxes */
  HIRC_FIELD_AREA,      /* one of the taxonomy's areas, or "not_sure" */
  HIRC_FIELD_SERVICE,   /* one of the taxonomy's support services */
  HIRC_FIELD_LANGUAGE,  /* a language tag from the kiosk's list of languages */
  HIRC_FIELD_BOOLEAN,   /* two radio buttons for true and false */
  HIRC_FIELD_FLAGS,     /* check boxes, each setting its own boolean to true */
  HIRC_FIELD_LINE,      /* one line of text */
  HIRC_FIELD_LINES,     /* text over several lines */
  HIRC_FIELD_DATE,      /* an optional exact date */
  HIRC_FIELD_GATE,      /* a choice that steers the journey and is not part of the report */
} HircFieldKind;

/* One check box of a HIRC_FIELD_FLAGS field. */
typedef struct
{
  const char *path;
  const char *label;
} HircFlagSpec;

/* A language a caseworker may be asked to use, shown by its own name (no flags, no
 * translation: people look for their language as they write it). */
typedef struct
{
  const char *tag;
  const char *name;
} HircLanguage;

typedef struct
{
  const char         *path;          /* dotted report path; for a gate, its name */
  HircFieldKind       kind;
  HircList            list;          /* HIRC_FIELD_CODE(S) */
  const char         *label;         /* legend; NULL when the page heading asks the question */
  const char         *label_self;    /* the legend when it happened to the reporter, if other */
  const char         *hint;
  const char         *summary;       /* the question as "Check your answers" lists it */
  guint               columns;       /* of the choices; 0 for one column */
  const char         *exclusive;     /* HIRC_FIELD_CODES: the code that excludes the others */
  const char *const  *hidden_codes;  /* codes of the list this journey does not offer */
  const char         *true_label;    /* HIRC_FIELD_BOOLEAN and HIRC_FIELD_GATE */
  const char         *false_label;
  gboolean            false_first;   /* list the false answer first */
  const HircFlagSpec *flags;         /* HIRC_FIELD_FLAGS, ending with { NULL } */
  const char         *reveal_path;   /* shown only while this field of the same page ... */
  const char *const  *reveal_codes;  /* ... holds one of these ("true" for a boolean) */
  guint               max_length;    /* characters, as in app/REPORT.md */
  guint               rows;          /* HIRC_FIELD_LINES: lines shown before it scrolls */
  GtkInputPurpose     purpose;
} HircFieldSpec;

/* What a page's "applies" function may look at. */
typedef struct
{
  HircReport *report;
  gboolean    equality_answered;
} HircJourneyState;

typedef struct
{
  const char          *id;
  const char          *heading;
  const char          *lead;
  const char          *lead_self; /* the lead when it happened to the reporter, if other */
  const char          *section;   /* the heading it falls under on "Check your answers" */
  const HircFieldSpec *fields;
  guint                n_fields;
  gboolean           (*applies) (const HircJourneyState *state);
} HircPageSpec;

/* The question pages in journey order; "Check your answers" and the confirmation follow them
 * and are built by HircJourney itself. */
const HircPageSpec *hirc_journey_get_pages     (guint *n_pages);
const HircLanguage *hirc_journey_get_languages (guint *n_languages);

G_END_DECLS
