/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-taxonomy.h: the category lists, the county's areas and the local support services. The
 * built-in codes are fixed; a partnership's file chooses which are offered and lists its areas
 * and services (app/REPORT.md describes the format; app/taxonomy-default.json is an example). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HIRC_TAXONOMY_SCHEMA "hirc.taxonomy/1"
#define HIRC_TAXONOMY_ERROR (hirc_taxonomy_error_quark ())

typedef enum
{
  HIRC_TAXONOMY_ERROR_IO,
  HIRC_TAXONOMY_ERROR_NOT_JSON,
  HIRC_TAXONOMY_ERROR_INVALID,
} HircTaxonomyError;

GQuark hirc_taxonomy_error_quark (void);

/* One choice in a list: a stable machine code and the English words people see, marked for
 * translation. Where the same words mean different things in two lists ("Another way" of
 * describing a gender, or of receiving a report), context tells them apart for translators:
 * translate with hirc_choice_translate() at display time. */
typedef struct
{
  const char *code;
  const char *label;
  const char *context;  /* the message context, or NULL */
} HircChoice;

typedef struct
{
  char *code;
  char *name;
  char *description;
  char *phone;
  char *hours;
  char *website;
} HircSupportService;

typedef struct
{
  char *code;
  char *name;
} HircArea;

/* The lists the report model knows. */
typedef enum
{
  HIRC_LIST_ROLE,
  HIRC_LIST_INCIDENT_TYPE,
  HIRC_LIST_MOTIVATION,
  HIRC_LIST_SETTING,
  HIRC_LIST_APPROXIMATE_WHEN,
  HIRC_LIST_TIME_OF_DAY,
  HIRC_LIST_YES_NO_NOT_SURE,
  HIRC_LIST_PLACE_TYPE,
  HIRC_LIST_OFFENDER_COUNT,
  HIRC_LIST_OFFENDER_KNOWN,
  HIRC_LIST_EVIDENCE_TYPE,
  HIRC_LIST_AGE_BAND,
  HIRC_LIST_CONTACT_METHOD,
  HIRC_LIST_GENDER,
  HIRC_LIST_SEXUAL_ORIENTATION,
  HIRC_LIST_ETHNIC_GROUP,
  HIRC_LIST_RELIGION,
  /* Equality monitoring's yes / no / prefer not to say (trans history, disability). */
  HIRC_LIST_YES_NO_PREFER_NOT_TO_SAY,
  /* The questions a Hate Crime Ambassador answers in assisted mode. */
  HIRC_LIST_RECEIVED_HOW,
  HIRC_LIST_REPORTER_AGREEMENT,
  HIRC_LIST_RISK_SIGN,
  HIRC_LIST_REFERRAL,
  HIRC_LIST_N
} HircList;

typedef struct _HircTaxonomy HircTaxonomy;

/* The taxonomy compiled in: every built-in choice, an example county's areas and services. */
HircTaxonomy *hirc_taxonomy_new_default   (void);
HircTaxonomy *hirc_taxonomy_load          (const char   *path,
                                           GError      **error);
HircTaxonomy *hirc_taxonomy_load_from_data (const char  *data,
                                            gsize        len,
                                            GError     **error);
void          hirc_taxonomy_free          (HircTaxonomy *taxonomy);

const char   *hirc_taxonomy_get_partnership (const HircTaxonomy *taxonomy);
/* The choices offered in a list, in display order; NULL-terminated, owned by the taxonomy. */
const HircChoice *const *hirc_taxonomy_get_choices (const HircTaxonomy *taxonomy,
                                                    HircList            list);
/* The choice's words in the language on screen. */
const char   *hirc_choice_translate       (const HircChoice   *choice);
/* The list's name, as a taxonomy file's "offered" object gives it ("incident_types"). */
const char   *hirc_taxonomy_list_name     (HircList            list);
gboolean      hirc_taxonomy_has_code      (const HircTaxonomy *taxonomy,
                                           HircList            list,
                                           const char         *code);
/* Areas and support services, in file order; arrays of HircArea / HircSupportService. */
GPtrArray    *hirc_taxonomy_get_areas     (const HircTaxonomy *taxonomy);
GPtrArray    *hirc_taxonomy_get_services  (const HircTaxonomy *taxonomy);
gboolean      hirc_taxonomy_has_area      (const HircTaxonomy *taxonomy,
                                           const char         *code);
const HircSupportService *hirc_taxonomy_find_service (const HircTaxonomy *taxonomy,
                                                      const char         *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircTaxonomy, hirc_taxonomy_free)

G_END_DECLS
