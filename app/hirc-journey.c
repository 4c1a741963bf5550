/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-journey.c: one reporter's way through the kiosk. The pages are described as data in
 * hirc-journey-pages.c; this file builds them from the ui widgets when first shown, moves
 * answers between the widgets and the report, validates a page's answers on Continue with the
 * model's own rules, runs "Check your answers" and its Change buttons, saves off the UI thread,
 * and shows the confirmation. */

#include "config.h"

#include "hirc-journey.h"

#include <glib/gi18n-lib.h>

#include "hirc-control.h"
#include "hirc-journey-private.h"
#include "hirc-ui.h"
#include "hirc-ui-language.h"

/* How long the window waits for the sync service to take a wake-up call; it is best effort, as
 * the service also watches the outbox. */
#define WAKE_TIMEOUT_MS 1000

typedef struct
{
  const HircFieldSpec *spec;
  GtkWidget           *widget; /* borrowed: a child of the page */
} Field;

typedef struct
{
  const HircPageSpec *spec;
  GtkWidget          *widget;  /* a HircQuestionPage, owned; NULL until first shown */
  GPtrArray          *fields;  /* Field */
  gboolean            seen;
} Page;

/* What the confirmation says will happen, kept from the report before it is wiped, so that
 * the confirmation can be shown again in another language. */
typedef struct
{
  gboolean  police_identifiable;
  gboolean  police_statistics;
  gboolean  contact;       /* asked to be contacted */
  char     *service_code;  /* the support service to contact them, if any */
} Outcome;

/* What the page on screen says is wrong, to say again after a change of language. */
typedef enum
{
  SHOWN_NO_ERRORS,
  SHOWN_ANSWER_ERRORS,  /* the model's problems with the answers */
  SHOWN_SAVE_FAILED,
} ShownErrors;

typedef enum
{
  STAGE_START,
  STAGE_QUESTIONS,
  STAGE_CHECK,
  STAGE_CONFIRMATION,
  STAGE_OVER,
} Stage;

struct _HircJourney
{
  GObject              parent_instance;

  /* Borrowed. */
  HircKioskWindow     *window;
  const HircTaxonomy  *taxonomy;
  HircSubmitter       *submitter;

  /* Owned. */
  char                *state_dir;
  HircReport          *report;
  GArray              *pages;       /* Page */
  GArray              *history;     /* guint page indexes, the way back */
  GtkWidget           *start_page;
  GtkWidget           *check_page;
  GtkWidget           *answer_list; /* borrowed: a child of check_page */
  GtkWidget           *confirmation;
  char                *reference;   /* the saved report's, for the confirmation */
  Outcome              outcome;

  Stage                stage;
  ShownErrors          shown_errors;
  guint                current;     /* page index while in STAGE_QUESTIONS */
  /* Set when a page was reached from a Change button: Continue goes back to "Check your
   * answers" unless the change made a page apply that has not been seen. */
  gboolean             changing;
  gboolean             equality_answered;
  /* "Skip these questions" was chosen: not part of the report, but shown again. */
  gboolean             equality_skipped;
  gboolean             saving;
  /* The language changed while saving: the pages are made again when the save returns. */
  gboolean             relabel_after_save;
  /* Set once the first question is shown: from then on there is something to protect. */
  gboolean             begun;
};

G_DEFINE_FINAL_TYPE (HircJourney, hirc_journey, G_TYPE_OBJECT)

enum
{
  SIGNAL_ACTIVITY,
  SIGNAL_FINISHED,
  SIGNAL_SAVE_DONE,
  SIGNAL_STAFF,
  SIGNAL_PAGE_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_question (HircJourney *self,
                           guint        index);
static void show_check    (HircJourney *self,
                           const char  *focus_key);

static void
page_clear (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->fields, g_ptr_array_unref);
  g_clear_object (&page->widget);
}

static Page *
page_at (HircJourney *self,
         guint        index)
{
  return &g_array_index (self->pages, Page, index);
}

static void
emit_activity (HircJourney *self)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVITY], 0);
}

static void
emit_page_shown (HircJourney *self,
                 const char  *id)
{
  g_signal_emit (self, signals[SIGNAL_PAGE_SHOWN], 0, id);
}

static gboolean
page_applies (HircJourney *self,
              const Page  *page)
{
  HircJourneyState state = { self->report, self->equality_answered };

  return page->spec->applies == NULL || page->spec->applies (&state);
}

/* Building the widgets. */

/* In the language on screen, at the moment it is shown. This covers the partnership's own
 * words (areas, services) too: the default taxonomy's are in the catalogues, and another
 * partnership's, which are not, come back unchanged, in its own language. An empty string
 * would give the catalogue's header. */
static const char *
translate (const char *text)
{
  return text != NULL && text[0] != '\0' ? g_dgettext (GETTEXT_PACKAGE, text) : text;
}

/* Whether it happened to the reporter: the questions about the person it happened to then ask
 * about "you", not "they". */
static gboolean
happened_to_reporter (HircJourney *self)
{
  return g_strcmp0 (hirc_report_get_string (self->report, "role"), "victim") == 0;
}

/* text, or text_self where there is one and it happened to the reporter; translated. */
static const char *
worded_for_role (HircJourney *self,
                 const char  *text,
                 const char  *text_self)
{
  return translate (text_self != NULL && happened_to_reporter (self) ? text_self : text);
}

static void
set_field_label (GtkWidget  *widget,
                 const char *label)
{
  if (HIRC_IS_TEXT_FIELD (widget))
    hirc_text_field_set_label (HIRC_TEXT_FIELD (widget), label);
  else if (HIRC_IS_DATE_FIELD (widget))
    hirc_date_field_set_label (HIRC_DATE_FIELD (widget), label);
  else
    hirc_choice_field_set_label (HIRC_CHOICE_FIELD (widget), label);
}

/* The language on screen, as a report records it. */
static const char *
language_tag (HircJourney *self)
{
  const HircUiLanguage *language =
    hirc_ui_language_find (hirc_kiosk_window_get_language (self->window));

  return language != NULL ? language->tag : HIRC_UI_LANGUAGE_DEFAULT;
}

static gboolean
is_hidden_code (const HircFieldSpec *spec,
                const char          *code)
{
  return spec->hidden_codes != NULL && g_strv_contains (spec->hidden_codes, code);
}

static GtkWidget *
build_choice_field (HircJourney         *self,
                    const HircFieldSpec *spec)
{
  gboolean multiple = spec->kind == HIRC_FIELD_CODES || spec->kind == HIRC_FIELD_FLAGS;
  GtkWidget *widget = hirc_choice_field_new (multiple);
  HircChoiceField *field = HIRC_CHOICE_FIELD (widget);

  hirc_choice_field_set_hint (field, translate (spec->hint));
  hirc_choice_field_set_exclusive_code (field, spec->exclusive);
  if (spec->columns > 0)
    hirc_choice_field_set_columns (field, spec->columns);
  /* Easy Read's pictures are found by the taxonomy list's name, or for the journey's own
   * choices by the field's path. */
  hirc_choice_field_set_picture_list (field, spec->kind == HIRC_FIELD_CODE
                                               || spec->kind == HIRC_FIELD_CODES
                                             ? hirc_taxonomy_list_name (spec->list)
                                             : spec->path);

  switch (spec->kind)
    {
    case HIRC_FIELD_CODE:
    case HIRC_FIELD_CODES:
      {
        const HircChoice *const *choices = hirc_taxonomy_get_choices (self->taxonomy,
                                                                      spec->list);

        for (guint i = 0; choices[i] != NULL; i++)
          if (!is_hidden_code (spec, choices[i]->code))
            hirc_choice_field_add_choice (field, choices[i]->code,
                                          hirc_choice_translate (choices[i]));
      }
      break;
    case HIRC_FIELD_AREA:
      {
        GPtrArray *areas = hirc_taxonomy_get_areas (self->taxonomy);

        for (guint i = 0; i < areas->len; i++)
          {
            const HircArea *area = g_ptr_array_index (areas, i);

            hirc_choice_field_add_choice (field, area->code, translate (area->name));
          }
        hirc_choice_field_add_choice (field, "not_sure", _("I'm not sure"));
      }
      break;
    case HIRC_FIELD_SERVICE:
      {
        GPtrArray *services = hirc_taxonomy_get_services (self->taxonomy);

        for (guint i = 0; i < services->len; i++)
          {
            const HircSupportService *service = g_ptr_array_index (services, i);

            hirc_choice_field_add_choice (field, service->code, translate (service->name));
          }
      }
      break;
    case HIRC_FIELD_LANGUAGE:
      {
        guint n = 0;
        const HircLanguage *languages = hirc_journey_get_languages (&n);

        for (guint i = 0; i < n; i++)
          hirc_choice_field_add_choice (field, languages[i].tag, languages[i].name);
      }
      break;
    case HIRC_FIELD_BOOLEAN:
    case HIRC_FIELD_GATE:
      if (spec->false_first)
        hirc_choice_field_add_choice (field, "false", translate (spec->false_label));
      hirc_choice_field_add_choice (field, "true", translate (spec->true_label));
      if (!spec->false_first)
        hirc_choice_field_add_choice (field, "false", translate (spec->false_label));
      break;
    case HIRC_FIELD_FLAGS:
      for (guint i = 0; spec->flags[i].path != NULL; i++)
        hirc_choice_field_add_choice (field, spec->flags[i].path, translate (spec->flags[i].label));
      break;
    case HIRC_FIELD_LINE:
    case HIRC_FIELD_LINES:
    case HIRC_FIELD_DATE:
    default:
      g_assert_not_reached ();
    }
  return widget;
}

static GtkWidget *
build_field (HircJourney         *self,
             const HircFieldSpec *spec)
{
  GtkWidget *widget;

  switch (spec->kind)
    {
    case HIRC_FIELD_LINE:
    case HIRC_FIELD_LINES:
      widget = hirc_text_field_new (spec->kind == HIRC_FIELD_LINES);
      hirc_text_field_set_hint (HIRC_TEXT_FIELD (widget), translate (spec->hint));
      hirc_text_field_set_max_length (HIRC_TEXT_FIELD (widget), spec->max_length);
      if (spec->rows > 0)
        hirc_text_field_set_rows (HIRC_TEXT_FIELD (widget), spec->rows);
      hirc_text_field_set_input_purpose (HIRC_TEXT_FIELD (widget), spec->purpose);
      break;
    case HIRC_FIELD_DATE:
      widget = hirc_date_field_new ();
      hirc_date_field_set_hint (HIRC_DATE_FIELD (widget), translate (spec->hint));
      break;
    case HIRC_FIELD_CODE:
    case HIRC_FIELD_CODES:
    case HIRC_FIELD_AREA:
    case HIRC_FIELD_SERVICE:
    case HIRC_FIELD_LANGUAGE:
    case HIRC_FIELD_BOOLEAN:
    case HIRC_FIELD_FLAGS:
    case HIRC_FIELD_GATE:
    default:
      widget = build_choice_field (self, spec);
      break;
    }
  set_field_label (widget, worded_for_role (self, spec->label, spec->label_self));
  return widget;
}

static Field *
find_field (Page       *page,
            const char *path)
{
  for (guint i = 0; i < page->fields->len; i++)
    {
      Field *field = g_ptr_array_index (page->fields, i);

      if (g_strcmp0 (field->spec->path, path) == 0)
        return field;
    }
  return NULL;
}

/* The codes a choice field holds now, as a reveal condition sees them. */
static gboolean
field_holds_any (Field              *field,
                 const char * const *codes)
{
  g_auto(GStrv) selected = NULL;

  if (!HIRC_IS_CHOICE_FIELD (field->widget))
    return FALSE;
  selected = hirc_choice_field_get_selected_codes (HIRC_CHOICE_FIELD (field->widget));
  for (guint i = 0; selected[i] != NULL; i++)
    if (g_strv_contains (codes, selected[i]))
      return TRUE;
  return FALSE;
}

static gboolean
field_is_revealed (Page  *page,
                   Field *field)
{
  Field *trigger;

  if (field->spec->reveal_path == NULL)
    return TRUE;
  trigger = find_field (page, field->spec->reveal_path);
  return trigger != NULL && field_holds_any (trigger, field->spec->reveal_codes);
}

/* Shows the fields whose condition holds. A field that appears because of what the reporter
 * just chose is scrolled into view: on a long page it would otherwise appear below the edge of
 * the screen, unseen. Focus stays where it is, as GOV.UK's conditional questions do. */
static void
update_reveals (Page     *page,
                gboolean  follow)
{
  GtkWidget *appeared = NULL;

  for (guint i = 0; i < page->fields->len; i++)
    {
      Field *field = g_ptr_array_index (page->fields, i);
      gboolean revealed = field_is_revealed (page, field);

      if (revealed && !gtk_widget_get_visible (field->widget) && appeared == NULL)
        appeared = field->widget;
      gtk_widget_set_visible (field->widget, revealed);
    }
  if (follow && appeared != NULL)
    hirc_question_page_scroll_to (HIRC_QUESTION_PAGE (page->widget), appeared);
}

typedef struct
{
  HircJourney *journey;
  guint        index;
} FieldChange;

static void
field_change_free (gpointer  data,
                   GClosure *closure)
{
  g_free (data);
}

static void
field_changed_cb (FieldChange *change)
{
  update_reveals (page_at (change->journey, change->index), TRUE);
  emit_activity (change->journey);
}

/* Shows the report's answer in a field. */
static void
load_field (HircJourney *self,
            Field       *field)
{
  const HircFieldSpec *spec = field->spec;

  switch (spec->kind)
    {
    case HIRC_FIELD_CODE:
    case HIRC_FIELD_AREA:
    case HIRC_FIELD_SERVICE:
    case HIRC_FIELD_LANGUAGE:
      hirc_choice_field_set_selected_code (HIRC_CHOICE_FIELD (field->widget),
                                           hirc_report_get_string (self->report, spec->path));
      break;
    case HIRC_FIELD_CODES:
      {
        g_auto(GStrv) codes = hirc_report_get_codes (self->report, spec->path);

        hirc_choice_field_set_selected_codes (HIRC_CHOICE_FIELD (field->widget),
                                              (const char * const *) codes);
      }
      break;
    case HIRC_FIELD_BOOLEAN:
      {
        gboolean is_set = FALSE;
        gboolean value = hirc_report_get_boolean (self->report, spec->path, &is_set);

        hirc_choice_field_set_selected_code (HIRC_CHOICE_FIELD (field->widget),
                                             !is_set ? NULL : value ? "true" : "false");
      }
      break;
    case HIRC_FIELD_FLAGS:
      {
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        g_auto(GStrv) codes = NULL;

        for (guint i = 0; spec->flags[i].path != NULL; i++)
          if (hirc_report_get_boolean (self->report, spec->flags[i].path, NULL))
            g_strv_builder_add (builder, spec->flags[i].path);
        codes = g_strv_builder_end (builder);
        hirc_choice_field_set_selected_codes (HIRC_CHOICE_FIELD (field->widget),
                                              (const char * const *) codes);
      }
      break;
    case HIRC_FIELD_LINE:
    case HIRC_FIELD_LINES:
      hirc_text_field_set_text (HIRC_TEXT_FIELD (field->widget),
                                hirc_report_get_string (self->report, spec->path));
      break;
    case HIRC_FIELD_DATE:
      hirc_date_field_set_date (HIRC_DATE_FIELD (field->widget),
                                hirc_report_get_string (self->report, spec->path));
      break;
    case HIRC_FIELD_GATE:
      if (self->equality_answered || self->equality_skipped)
        hirc_choice_field_set_selected_code (HIRC_CHOICE_FIELD (field->widget),
                                             self->equality_answered ? "true" : "false");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
page_continue_cb (HircJourney      *self,
                  HircQuestionPage *widget);
static void
page_back_cb (HircJourney      *self,
              HircQuestionPage *widget);

static void
ensure_page (HircJourney *self,
             guint        index)
{
  Page *page = page_at (self, index);
  HircQuestionPage *widget;

  if (page->widget != NULL)
    return;

  page->widget = g_object_ref_sink (hirc_question_page_new ());
  widget = HIRC_QUESTION_PAGE (page->widget);
  hirc_question_page_set_heading (widget, translate (page->spec->heading));
  hirc_question_page_set_lead (widget,
                               worded_for_role (self, page->spec->lead, page->spec->lead_self));

  for (guint i = 0; i < page->spec->n_fields; i++)
    {
      Field *field = g_new0 (Field, 1);
      FieldChange *change = g_new0 (FieldChange, 1);
      const char *signal;

      field->spec = &page->spec->fields[i];
      field->widget = build_field (self, field->spec);
      g_ptr_array_add (page->fields, field);
      load_field (self, field);
      hirc_question_page_add_field (widget, field->widget);

      change->journey = self;
      change->index = index;
      signal = HIRC_IS_CHOICE_FIELD (field->widget) ? "notify::selected-codes"
               : HIRC_IS_TEXT_FIELD (field->widget) ? "notify::text"
               : "notify::date";
      g_signal_connect_data (field->widget, signal, G_CALLBACK (field_changed_cb), change,
                             field_change_free, G_CONNECT_SWAPPED);
    }
  update_reveals (page, FALSE);

  g_signal_connect_swapped (widget, "continue", G_CALLBACK (page_continue_cb), self);
  g_signal_connect_swapped (widget, "back", G_CALLBACK (page_back_cb), self);
}

/* Moving answers into the report. */

static void
remove_field_answers (HircJourney         *self,
                      const HircFieldSpec *spec)
{
  if (spec->kind == HIRC_FIELD_GATE)
    return;
  if (spec->kind == HIRC_FIELD_FLAGS)
    {
      for (guint i = 0; spec->flags[i].path != NULL; i++)
        hirc_report_set_string (self->report, spec->flags[i].path, NULL);
      return;
    }
  hirc_report_set_string (self->report, spec->path, NULL);
}

static void
save_text (HircJourney *self,
           Field       *field)
{
  g_autofree char *typed = hirc_text_field_get_text (HIRC_TEXT_FIELD (field->widget));
  /* Invisible direction overrides and control characters would make what the caseworker
   * reads differ from what the reporter saw; they are dropped before the model sees them. */
  g_autofree char *clean = hirc_text_neutralise (typed, field->spec->kind == HIRC_FIELD_LINES);
  gboolean blank = TRUE;

  for (const char *p = clean; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      blank = FALSE;
  hirc_report_set_string (self->report, field->spec->path, blank ? NULL : clean);
  hirc_secure_wipe_string (typed);
  hirc_secure_wipe_string (clean);
}

static void
save_field (HircJourney *self,
            Page        *page,
            Field       *field)
{
  const HircFieldSpec *spec = field->spec;
  HircChoiceField *choice = HIRC_IS_CHOICE_FIELD (field->widget)
                            ? HIRC_CHOICE_FIELD (field->widget) : NULL;

  if (!field_is_revealed (page, field))
    {
      remove_field_answers (self, spec);
      return;
    }

  switch (spec->kind)
    {
    case HIRC_FIELD_CODE:
    case HIRC_FIELD_AREA:
    case HIRC_FIELD_SERVICE:
    case HIRC_FIELD_LANGUAGE:
      hirc_report_set_string (self->report, spec->path,
                              hirc_choice_field_get_selected_code (choice));
      break;
    case HIRC_FIELD_CODES:
      {
        g_auto(GStrv) codes = hirc_choice_field_get_selected_codes (choice);

        hirc_report_set_codes (self->report, spec->path, (const char * const *) codes);
      }
      break;
    case HIRC_FIELD_BOOLEAN:
      {
        const char *code = hirc_choice_field_get_selected_code (choice);

        if (code == NULL)
          hirc_report_set_string (self->report, spec->path, NULL);
        else
          hirc_report_set_boolean (self->report, spec->path, g_str_equal (code, "true"));
      }
      break;
    case HIRC_FIELD_FLAGS:
      {
        g_auto(GStrv) codes = hirc_choice_field_get_selected_codes (choice);

        /* A box left unticked is no answer rather than "no": the question is "do you need any
         * of these", not one question per need. */
        for (guint i = 0; spec->flags[i].path != NULL; i++)
          {
            if (g_strv_contains ((const char * const *) codes, spec->flags[i].path))
              hirc_report_set_boolean (self->report, spec->flags[i].path, TRUE);
            else
              hirc_report_set_string (self->report, spec->flags[i].path, NULL);
          }
      }
      break;
    case HIRC_FIELD_LINE:
    case HIRC_FIELD_LINES:
      save_text (self, field);
      break;
    case HIRC_FIELD_DATE:
      hirc_report_set_string (self->report, spec->path,
                              hirc_date_field_get_date (HIRC_DATE_FIELD (field->widget)));
      break;
    case HIRC_FIELD_GATE:
      {
        const char *code = hirc_choice_field_get_selected_code (choice);

        self->equality_answered = g_strcmp0 (code, "true") == 0;
        self->equality_skipped = g_strcmp0 (code, "false") == 0;
      }
      break;
    default:
      g_assert_not_reached ();
    }

  /* The model keeps "under 16" beside the age group, for the caseworkers' safeguarding rules;
   * the kiosk does not ask twice but derives it. */
  if (g_str_equal (spec->path, "victim.age_band"))
    {
      const char *band = hirc_report_get_string (self->report, "victim.age_band");

      if (band == NULL || g_str_equal (band, "prefer_not_to_say"))
        hirc_report_set_string (self->report, "victim.under_16", NULL);
      else
        hirc_report_set_boolean (self->report, "victim.under_16",
                                 g_str_equal (band, "under_16"));
    }
}

/* Answers on pages that no longer apply (the victim's, when the role changed) are dropped, so
 * that the report never holds what the reporter can no longer see or change. */
static void
prune (HircJourney *self)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = page_at (self, i);

      if (page_applies (self, page))
        continue;
      for (guint f = 0; f < page->spec->n_fields; f++)
        remove_field_answers (self, &page->spec->fields[f]);
      if (g_str_equal (page->spec->id, "victim"))
        hirc_report_set_string (self->report, "victim.under_16", NULL);
    }
}

static void
save_page (HircJourney *self,
           guint        index)
{
  Page *page = page_at (self, index);

  for (guint i = 0; i < page->fields->len; i++)
    save_field (self, page, g_ptr_array_index (page->fields, i));
  prune (self);
}

/* Validation. */

static gboolean
path_covers (const char *path,
             const char *field)
{
  gsize n = strlen (path);

  return g_str_has_prefix (field, path) && (field[n] == '\0' || field[n] == '.' || field[n] == '[');
}

static Field *
field_for_problem (Page              *page,
                   const HircProblem *problem)
{
  for (guint i = 0; i < page->fields->len; i++)
    {
      Field *field = g_ptr_array_index (page->fields, i);
      const HircFieldSpec *spec = field->spec;

      if (spec->kind == HIRC_FIELD_GATE)
        continue;
      if (spec->kind == HIRC_FIELD_FLAGS)
        {
          for (guint f = 0; spec->flags[f].path != NULL; f++)
            if (path_covers (spec->flags[f].path, problem->field))
              return field;
          continue;
        }
      if (path_covers (spec->path, problem->field))
        return field;
    }
  return NULL;
}

static void
set_field_error (Field      *field,
                 const char *message)
{
  if (HIRC_IS_CHOICE_FIELD (field->widget))
    hirc_choice_field_set_error (HIRC_CHOICE_FIELD (field->widget), message);
  else if (HIRC_IS_TEXT_FIELD (field->widget))
    hirc_text_field_set_error (HIRC_TEXT_FIELD (field->widget), message);
  else
    hirc_date_field_set_error (HIRC_DATE_FIELD (field->widget), message);
}

/* Shows the problems with this page's answers, GOV.UK style: a summary at the top that takes
 * focus, and the message again beside each field. Returns TRUE when there were none. */
static gboolean
validate_page (HircJourney *self,
               guint        index)
{
  Page *page = page_at (self, index);
  HircQuestionPage *widget = HIRC_QUESTION_PAGE (page->widget);
  g_autoptr(GPtrArray) problems = hirc_report_validate (self->report, self->taxonomy);
  g_autoptr(GHashTable) shown = g_hash_table_new (NULL, NULL);

  hirc_question_page_clear_errors (widget);
  for (guint i = 0; i < page->fields->len; i++)
    set_field_error (g_ptr_array_index (page->fields, i), NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const HircProblem *problem = g_ptr_array_index (problems, i);
      Field *field = field_for_problem (page, problem);

      /* One message per field, the first the model found, as GOV.UK asks. */
      if (field == NULL || g_hash_table_contains (shown, field))
        continue;
      g_hash_table_add (shown, field);
      set_field_error (field, problem->message);
      hirc_question_page_add_error (widget, problem->message, field->widget);
    }

  if (g_hash_table_size (shown) == 0)
    {
      self->shown_errors = SHOWN_NO_ERRORS;
      return TRUE;
    }
  self->shown_errors = SHOWN_ANSWER_ERRORS;
  hirc_question_page_present_errors (widget);
  return FALSE;
}

/* Navigation. */

/* The reporter may have changed who it happened to since the page was made. */
static void
reword_for_role (HircJourney *self,
                 Page        *page)
{
  if (page->spec->lead_self != NULL)
    hirc_question_page_set_lead (HIRC_QUESTION_PAGE (page->widget),
                                 worded_for_role (self, page->spec->lead, page->spec->lead_self));
  for (guint i = 0; i < page->fields->len; i++)
    {
      Field *field = g_ptr_array_index (page->fields, i);

      if (field->spec->label_self != NULL)
        set_field_label (field->widget,
                         worded_for_role (self, field->spec->label, field->spec->label_self));
    }
}

static void
show_question (HircJourney *self,
               guint        index)
{
  Page *page;

  ensure_page (self, index);
  page = page_at (self, index);
  reword_for_role (self, page);
  page->seen = TRUE;
  self->begun = TRUE;
  self->stage = STAGE_QUESTIONS;
  self->shown_errors = SHOWN_NO_ERRORS;
  self->current = index;
  hirc_kiosk_window_show_page (self->window, page->widget, translate (page->spec->heading));
  emit_page_shown (self, page->spec->id);
  emit_activity (self);
}

/* The next page that applies after index, or G_MAXUINT for "Check your answers". */
static guint
next_applicable (HircJourney *self,
                 guint        index)
{
  for (guint i = index + 1; i < self->pages->len; i++)
    if (page_applies (self, page_at (self, i)))
      return i;
  return G_MAXUINT;
}

static void
page_continue_cb (HircJourney      *self,
                  HircQuestionPage *widget)
{
  guint index = self->current;
  guint next;

  if (self->stage != STAGE_QUESTIONS || page_at (self, index)->widget != GTK_WIDGET (widget))
    return;

  save_page (self, index);
  if (!validate_page (self, index))
    {
      emit_activity (self);
      return;
    }

  next = next_applicable (self, index);
  if (self->changing)
    {
      /* A change may make a page apply that the reporter has not seen (choosing "I am
       * reporting for someone else" brings the victim's page): ask it before going back. */
      while (next != G_MAXUINT && page_at (self, next)->seen)
        next = next_applicable (self, next);
      if (next == G_MAXUINT)
        {
          self->changing = FALSE;
          g_array_set_size (self->history, 0);
          show_check (self, page_at (self, index)->spec->id);
          return;
        }
    }

  g_array_append_val (self->history, index);
  if (next == G_MAXUINT)
    show_check (self, NULL);
  else
    show_question (self, next);
}

static void
go_back (HircJourney *self)
{
  guint previous;

  if (self->history->len == 0)
    {
      if (self->changing)
        {
          self->changing = FALSE;
          show_check (self, page_at (self, self->current)->spec->id);
          return;
        }
      self->stage = STAGE_START;
      hirc_kiosk_window_show_page (self->window, self->start_page, _("Report a hate incident"));
      emit_page_shown (self, "start");
      emit_activity (self);
      return;
    }
  previous = g_array_index (self->history, guint, self->history->len - 1);
  g_array_set_size (self->history, self->history->len - 1);
  /* A page that stopped applying on the way is stepped over. */
  if (!page_applies (self, page_at (self, previous)))
    {
      go_back (self);
      return;
    }
  show_question (self, previous);
}

static void
page_back_cb (HircJourney      *self,
              HircQuestionPage *widget)
{
  if (self->stage != STAGE_QUESTIONS || page_at (self, self->current)->widget != GTK_WIDGET (widget))
    return;

  /* Answers are kept going back as well as forward (but only checked on Continue), so that
   * what the reporter sees is always what would be sent. */
  save_page (self, self->current);
  go_back (self);
}

static void
start_cb (HircJourney *self)
{
  if (self->stage != STAGE_START)
    return;
  show_question (self, 0);
}

static void
staff_cb (HircJourney *self)
{
  if (self->stage != STAGE_START)
    return;
  g_signal_emit (self, signals[SIGNAL_STAFF], 0);
}

/* "Check your answers". */

static char *
join_lines (GPtrArray *lines)
{
  if (lines->len == 0)
    return NULL;
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* The answer as the reporter gave it, in the words they chose it by; NULL when not given. */
static char *
describe_answer (HircJourney *self,
                 Field       *field)
{
  const HircFieldSpec *spec = field->spec;
  HircChoiceField *choice = HIRC_IS_CHOICE_FIELD (field->widget)
                            ? HIRC_CHOICE_FIELD (field->widget) : NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  switch (spec->kind)
    {
    case HIRC_FIELD_CODE:
    case HIRC_FIELD_AREA:
    case HIRC_FIELD_SERVICE:
    case HIRC_FIELD_LANGUAGE:
      {
        const char *code = hirc_report_get_string (self->report, spec->path);

        return code != NULL ? g_strdup (hirc_choice_field_get_choice_label (choice, code)) : NULL;
      }
    case HIRC_FIELD_CODES:
      {
        g_auto(GStrv) codes = hirc_report_get_codes (self->report, spec->path);

        for (guint i = 0; codes[i] != NULL; i++)
          g_ptr_array_add (lines, (gpointer) hirc_choice_field_get_choice_label (choice, codes[i]));
        return join_lines (lines);
      }
    case HIRC_FIELD_BOOLEAN:
      {
        gboolean is_set = FALSE;
        gboolean value = hirc_report_get_boolean (self->report, spec->path, &is_set);

        if (!is_set)
          return NULL;
        return g_strdup (hirc_choice_field_get_choice_label (choice, value ? "true" : "false"));
      }
    case HIRC_FIELD_FLAGS:
      for (guint i = 0; spec->flags[i].path != NULL; i++)
        if (hirc_report_get_boolean (self->report, spec->flags[i].path, NULL))
          g_ptr_array_add (lines, (gpointer) translate (spec->flags[i].label));
      return join_lines (lines);
    case HIRC_FIELD_LINE:
    case HIRC_FIELD_LINES:
      return g_strdup (hirc_report_get_string (self->report, spec->path));
    case HIRC_FIELD_DATE:
      {
        const char *date = hirc_report_get_string (self->report, spec->path);
        g_autoptr(GDateTime) time = NULL;
        g_autofree char *iso = NULL;

        if (date == NULL)
          return NULL;
        iso = g_strconcat (date, "T12:00:00Z", NULL);
        time = g_date_time_new_from_iso8601 (iso, NULL);
        /* Translators: a date written out in full, as on the date question. */
        return time != NULL ? hirc_ui_language_format_date_time (time, _("%A %-d %B %Y"))
                            : g_strdup (date);
      }
    case HIRC_FIELD_GATE:
      {
        const char *code = hirc_choice_field_get_selected_code (choice);

        return code != NULL ? g_strdup (hirc_choice_field_get_choice_label (choice, code)) : NULL;
      }
    default:
      g_assert_not_reached ();
    }
}

static void
fill_answers (HircJourney *self)
{
  HircAnswerList *list = HIRC_ANSWER_LIST (self->answer_list);
  const char *section = NULL;

  hirc_answer_list_clear (list);
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = page_at (self, i);

      if (!page_applies (self, page))
        continue;
      ensure_page (self, i);
      if (g_strcmp0 (section, page->spec->section) != 0)
        {
          section = page->spec->section;
          hirc_answer_list_add_section (list, translate (section));
        }
      for (guint f = 0; f < page->fields->len; f++)
        {
          Field *field = g_ptr_array_index (page->fields, f);
          g_autofree char *answer = NULL;

          if (!field_is_revealed (page, field))
            continue;
          answer = describe_answer (self, field);
          hirc_answer_list_add_row (list, page->spec->id, translate (field->spec->summary),
                                    answer);
          hirc_secure_wipe_string (answer);
        }
    }
}

static gint
page_index_by_id (HircJourney *self,
                  const char  *id)
{
  for (guint i = 0; i < self->pages->len; i++)
    if (g_str_equal (page_at (self, i)->spec->id, id))
      return (gint) i;
  return -1;
}

static void
change_cb (HircJourney *self,
           const char  *key)
{
  gint index = page_index_by_id (self, key);

  if (self->stage != STAGE_CHECK || self->saving || index < 0)
    return;
  self->changing = TRUE;
  g_array_set_size (self->history, 0);
  show_question (self, (guint) index);
}

static void send_cb (HircJourney *self);

static void
check_back_cb (HircJourney *self)
{
  guint last = G_MAXUINT;

  if (self->stage != STAGE_CHECK || self->saving)
    return;
  self->changing = FALSE;
  if (self->history->len > 0)
    {
      go_back (self);
      return;
    }
  /* After a change the way back was forgotten: the last question is the natural one. */
  for (guint i = 0; i < self->pages->len; i++)
    if (page_applies (self, page_at (self, i)))
      last = i;
  show_question (self, last);
}

static void
ensure_check_page (HircJourney *self)
{
  HircQuestionPage *page;

  if (self->check_page != NULL)
    return;
  self->check_page = g_object_ref_sink (hirc_question_page_new ());
  page = HIRC_QUESTION_PAGE (self->check_page);
  hirc_question_page_set_heading (page, _("Check your answers"));
  hirc_question_page_set_lead (page, _("Check your answers before you send your report. You "
                                       "can change any answer. Nothing is sent until you press "
                                       "“Send report”."));
  hirc_question_page_set_continue_label (page, _("Send report"));
  self->answer_list = hirc_answer_list_new ();
  hirc_question_page_add_field (page, self->answer_list);
  g_signal_connect_swapped (self->answer_list, "change", G_CALLBACK (change_cb), self);
  g_signal_connect_swapped (page, "continue", G_CALLBACK (send_cb), self);
  g_signal_connect_swapped (page, "back", G_CALLBACK (check_back_cb), self);
}

static void
show_check (HircJourney *self,
            const char  *focus_key)
{
  HircQuestionPage *page;
  GtkWidget *button;

  ensure_check_page (self);
  page = HIRC_QUESTION_PAGE (self->check_page);
  self->stage = STAGE_CHECK;
  self->shown_errors = SHOWN_NO_ERRORS;
  hirc_question_page_clear_errors (page);
  fill_answers (self);
  hirc_kiosk_window_show_page (self->window, self->check_page, _("Check your answers"));
  /* Coming back from a change, focus returns to where the reporter left. */
  button = focus_key != NULL ? hirc_answer_list_get_change_button (HIRC_ANSWER_LIST (
                                                                     self->answer_list),
                                                                   focus_key)
                             : NULL;
  if (button != NULL)
    gtk_widget_grab_focus (button);
  emit_page_shown (self, "check");
  emit_activity (self);
}

/* The page a problem belongs to, for the Change link beside its message. */
static const char *
page_id_for_problem (HircJourney       *self,
                     const HircProblem *problem)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = page_at (self, i);

      if (page->widget != NULL && field_for_problem (page, problem) != NULL)
        return page->spec->id;
    }
  return NULL;
}

static void
show_send_problems (HircJourney *self,
                    GPtrArray   *problems)
{
  HircQuestionPage *page = HIRC_QUESTION_PAGE (self->check_page);

  hirc_question_page_clear_errors (page);
  for (guint i = 0; i < problems->len; i++)
    {
      const HircProblem *problem = g_ptr_array_index (problems, i);
      const char *id = page_id_for_problem (self, problem);
      GtkWidget *target = id != NULL ? hirc_answer_list_get_change_button (
                                         HIRC_ANSWER_LIST (self->answer_list), id)
                                     : NULL;

      hirc_question_page_add_error (page, problem->message, target);
    }
  self->shown_errors = SHOWN_ANSWER_ERRORS;
  hirc_question_page_present_errors (page);
}

static void
show_save_failed (HircJourney *self)
{
  HircQuestionPage *page = HIRC_QUESTION_PAGE (self->check_page);

  hirc_question_page_clear_errors (page);
  hirc_question_page_add_error (page,
                                _("Your report could not be saved. Please tell a member of "
                                  "staff. Your answers are still here."),
                                NULL);
  self->shown_errors = SHOWN_SAVE_FAILED;
  hirc_question_page_present_errors (page);
}

/* The confirmation. */

static void
finish_cb (HircJourney *self)
{
  if (self->stage != STAGE_CONFIRMATION)
    return;
  self->stage = STAGE_OVER;
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* Keeps what the confirmation needs of the reporter's choices before the answers are wiped. */
static void
keep_outcome (HircJourney *self)
{
  gboolean anonymous_set = FALSE;
  gboolean anonymous = hirc_report_get_boolean (self->report, "contact.anonymous",
                                                &anonymous_set);

  self->outcome.police_identifiable =
    hirc_report_get_boolean (self->report, "consents.police_identifiable", NULL);
  self->outcome.police_statistics =
    hirc_report_get_boolean (self->report, "consents.police_statistics", NULL);
  self->outcome.contact = anonymous_set && !anonymous;
  g_free (self->outcome.service_code);
  self->outcome.service_code =
    g_strdup (hirc_report_get_string (self->report, "consents.support_service"));
}

/* What will happen, in whole sentences chosen by the reporter's own choices. */
static GStrv
next_steps (HircJourney *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const HircSupportService *service = hirc_taxonomy_find_service (self->taxonomy,
                                                                  self->outcome.service_code);

  g_strv_builder_add (builder,
                      _("This kiosk sends your report to the partnership’s hate crime team, "
                        "usually within a few minutes. A caseworker reads every report."));
  if (self->outcome.police_identifiable)
    g_strv_builder_add (builder, _("The team will send your report to the police with your "
                                   "details. The police may contact you."));
  else if (self->outcome.police_statistics)
    g_strv_builder_add (builder, _("The team will tell the police that it happened, without "
                                   "any details about who you are."));
  else
    g_strv_builder_add (builder, _("Your report will not be sent to the police."));

  if (self->outcome.contact)
    g_strv_builder_add (builder, _("Someone from the team will contact you in the way you "
                                   "asked, usually within a few working days."));
  else
    g_strv_builder_add (builder, _("Nobody will contact you about this report. It still helps "
                                   "to show where hate incidents happen."));

  if (service != NULL)
    {
      /* Translators: %s is the name of a local support service. */
      g_autofree char *text = g_strdup_printf (_("The team will ask %s to contact you."),
                                               translate (service->name));

      g_strv_builder_add (builder, text);
    }
  g_strv_builder_add (builder, _("If anything else happens, you can report it too."));
  return g_strv_builder_end (builder);
}

/* Shows the confirmation, or shows it again in the language now on screen. */
static void
show_confirmation (HircJourney *self)
{
  HircConfirmationPage *page;
  GPtrArray *services = hirc_taxonomy_get_services (self->taxonomy);
  g_auto(GStrv) steps = next_steps (self);

  if (self->confirmation != NULL)
    {
      hirc_kiosk_window_remove_page (self->window, self->confirmation);
      g_clear_object (&self->confirmation);
    }
  self->confirmation = g_object_ref_sink (hirc_confirmation_page_new ());
  page = HIRC_CONFIRMATION_PAGE (self->confirmation);
  hirc_confirmation_page_set_reference (page, self->reference);
  hirc_confirmation_page_set_partnership (page,
                                          translate (hirc_taxonomy_get_partnership (
                                                       self->taxonomy)));
  hirc_confirmation_page_set_next_steps (page, (const char * const *) steps);
  for (guint i = 0; i < services->len; i++)
    {
      const HircSupportService *service = g_ptr_array_index (services, i);

      hirc_confirmation_page_add_service (page, translate (service->name),
                                          translate (service->description), service->phone,
                                          translate (service->hours), service->website);
    }
  g_signal_connect_swapped (page, "finish", G_CALLBACK (finish_cb), self);
  self->stage = STAGE_CONFIRMATION;
  hirc_kiosk_window_show_page (self->window, self->confirmation,
                               _("Your report has been saved"));
  emit_page_shown (self, "confirmation");
  emit_activity (self);
}

/* Drops every question page, so that the reporter's words leave the widgets' memory now, not
 * when the process ends. */
static void
drop_pages (HircJourney *self)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = page_at (self, i);

      if (page->widget == NULL)
        continue;
      for (guint f = 0; f < page->fields->len; f++)
        {
          Field *field = g_ptr_array_index (page->fields, f);

          if (HIRC_IS_TEXT_FIELD (field->widget))
            hirc_text_field_set_text (HIRC_TEXT_FIELD (field->widget), NULL);
        }
      hirc_kiosk_window_remove_page (self->window, page->widget);
      g_ptr_array_set_size (page->fields, 0);
      g_clear_object (&page->widget);
    }
  if (self->check_page != NULL)
    {
      hirc_answer_list_clear (HIRC_ANSWER_LIST (self->answer_list));
      hirc_kiosk_window_remove_page (self->window, self->check_page);
      self->answer_list = NULL;
      g_clear_object (&self->check_page);
    }
}

static void
wake_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *state_dir = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  /* The service also notices the outbox change by itself; this only saves it the wait. */
  if (!hirc_control_request (state_dir, HIRC_CONTROL_WAKE, WAKE_TIMEOUT_MS, &reply, &error))
    g_debug ("journey: the sync service did not take the wake-up call: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
wake_sync_service (HircJourney *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->state_dir == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdup (self->state_dir), g_free);
  g_task_run_in_thread (task, wake_thread_cb);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HircJourney) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean relabel = self->relabel_after_save;
  gboolean saved;

  saved = hirc_submitter_submit_finish (self->submitter, result, &problems, &error);
  self->saving = FALSE;
  self->relabel_after_save = FALSE;
  if (self->check_page != NULL)
    hirc_question_page_set_busy (HIRC_QUESTION_PAGE (self->check_page), FALSE);

  /* Left while saving: the wipe asked for then happens now. */
  if (self->stage == STAGE_OVER)
    {
      hirc_journey_wipe (self);
      g_signal_emit (self, signals[SIGNAL_SAVE_DONE], 0);
      return;
    }

  if (!saved)
    {
      if (relabel)
        {
          drop_pages (self);
          show_check (self, NULL);
        }
      if (problems != NULL && problems->len > 0)
        show_send_problems (self, problems);
      else
        {
          g_warning ("journey: the report could not be saved: %s",
                     error != NULL ? error->message : "no reason given");
          show_save_failed (self);
        }
      g_signal_emit (self, signals[SIGNAL_SAVE_DONE], 0);
      emit_activity (self);
      return;
    }

  g_message ("journey: a report was saved to the outbox");
  self->reference = g_strdup (hirc_report_get_reference (self->report));
  keep_outcome (self);
  hirc_report_wipe (self->report);
  drop_pages (self);
  show_confirmation (self);
  wake_sync_service (self);
  g_signal_emit (self, signals[SIGNAL_SAVE_DONE], 0);
}

static void
send_cb (HircJourney *self)
{
  g_autoptr(GPtrArray) problems = NULL;

  if (self->stage != STAGE_CHECK || self->saving)
    return;

  /* The report was made in the language it is sent in. */
  hirc_report_set_string (self->report, "meta.language", language_tag (self));
  problems = hirc_report_validate (self->report, self->taxonomy);
  if (problems->len > 0)
    {
      show_send_problems (self, problems);
      emit_activity (self);
      return;
    }
  if (self->submitter == NULL)
    {
      g_warning ("journey: there is no outbox to save the report to");
      show_save_failed (self);
      return;
    }

  self->saving = TRUE;
  hirc_question_page_set_busy (HIRC_QUESTION_PAGE (self->check_page), TRUE);
  hirc_submitter_submit_async (self->submitter, self->report, self->taxonomy, NULL,
                               submitted_cb, g_object_ref (self));
}

/* Another language. */

static void
make_start_page (HircJourney *self)
{
  if (self->start_page != NULL)
    {
      hirc_kiosk_window_remove_page (self->window, self->start_page);
      g_clear_object (&self->start_page);
    }
  self->start_page = g_object_ref_sink (hirc_start_page_new ());
  g_signal_connect_swapped (self->start_page, "start", G_CALLBACK (start_cb), self);
  g_signal_connect_swapped (self->start_page, "staff", G_CALLBACK (staff_cb), self);
}

/* Says again, in the language now on screen, what was wrong: a reporter may well have changed
 * language to understand it. */
static void
show_errors_again (HircJourney *self,
                   ShownErrors  shown)
{
  g_autoptr(GPtrArray) problems = NULL;

  if (shown == SHOWN_SAVE_FAILED)
    show_save_failed (self);
  else if (shown == SHOWN_ANSWER_ERRORS && self->stage == STAGE_QUESTIONS)
    validate_page (self, self->current);
  else if (shown == SHOWN_ANSWER_ERRORS && self->stage == STAGE_CHECK)
    {
      problems = hirc_report_validate (self->report, self->taxonomy);
      if (problems->len > 0)
        show_send_problems (self, problems);
    }
}

/* The reporter chose another language, on the start page or from the top bar. GtkBuilder
 * translates a page once, when it is made, so every page is made again, from the answers in
 * the report; what was typed on the page on screen is kept first, as Back keeps it. The
 * reporter stays where they were, with the same way back, and any errors shown are shown
 * again. */
static void
language_changed_cb (HircJourney *self)
{
  ShownErrors shown = self->shown_errors;

  make_start_page (self);
  switch (self->stage)
    {
    case STAGE_START:
      hirc_kiosk_window_show_page (self->window, self->start_page, _("Report a hate incident"));
      hirc_start_page_focus_language (HIRC_START_PAGE (self->start_page),
                                      hirc_kiosk_window_get_language (self->window));
      emit_page_shown (self, "start");
      break;
    case STAGE_QUESTIONS:
      save_page (self, self->current);
      drop_pages (self);
      show_question (self, self->current);
      show_errors_again (self, shown);
      break;
    case STAGE_CHECK:
      /* The worker thread is reading the report: it is not touched until the save returns. */
      if (self->saving)
        {
          self->relabel_after_save = TRUE;
          return;
        }
      drop_pages (self);
      show_check (self, NULL);
      show_errors_again (self, shown);
      break;
    case STAGE_CONFIRMATION:
      show_confirmation (self);
      break;
    case STAGE_OVER:
    default:
      break;
    }
}

/* The object. */

static void
hirc_journey_dispose (GObject *object)
{
  HircJourney *self = HIRC_JOURNEY (object);

  g_clear_pointer (&self->pages, g_array_unref);
  g_clear_object (&self->start_page);
  g_clear_object (&self->check_page);
  g_clear_object (&self->confirmation);

  G_OBJECT_CLASS (hirc_journey_parent_class)->dispose (object);
}

static void
hirc_journey_finalize (GObject *object)
{
  HircJourney *self = HIRC_JOURNEY (object);

  g_free (self->state_dir);
  g_free (self->reference);
  g_free (self->outcome.service_code);
  g_clear_pointer (&self->report, hirc_report_free);
  g_array_unref (self->history);

  G_OBJECT_CLASS (hirc_journey_parent_class)->finalize (object);
}

static void
hirc_journey_class_init (HircJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hirc_journey_dispose;
  object_class->finalize = hirc_journey_finalize;

  /* Something the reporter did, or a page they were shown: the idle clock starts again. */
  signals[SIGNAL_ACTIVITY] =
    g_signal_new ("activity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The reporter pressed Finish on the confirmation. */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* A save finished, whichever way; the report may be wiped again. */
  signals[SIGNAL_SAVE_DONE] =
    g_signal_new ("save-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* "Staff" on the start page: staff sign-in. */
  signals[SIGNAL_STAFF] =
    g_signal_new ("staff", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* A page was shown: the id of a question page (hirc-journey-pages.c), "check" or
   * "confirmation"; for the ambassador's guide, which has a tip for some. */
  signals[SIGNAL_PAGE_SHOWN] =
    g_signal_new ("page-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hirc_journey_init (HircJourney *self)
{
  self->history = g_array_new (FALSE, FALSE, sizeof (guint));
}

HircJourney *
hirc_journey_new (HircKioskWindow    *window,
                  const HircTaxonomy *taxonomy,
                  HircSubmitter      *submitter,
                  const char         *state_dir)
{
  HircJourney *self;
  const HircPageSpec *specs;
  guint n_specs = 0;

  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (window), NULL);
  g_return_val_if_fail (taxonomy != NULL, NULL);

  self = g_object_new (HIRC_TYPE_JOURNEY, NULL);
  self->window = window;
  self->taxonomy = taxonomy;
  self->submitter = submitter;
  self->state_dir = g_strdup (state_dir);

  self->report = hirc_report_new ();
  /* The language is set again when the report is sent, to the one it is sent in; an
   * ambassador who signs in marks the report assisted (hirc_journey_begin_assisted). */
  hirc_report_set_string (self->report, "meta.language", language_tag (self));
  hirc_report_set_boolean (self->report, "meta.assisted", FALSE);

  specs = hirc_journey_get_pages (&n_specs);
  self->pages = g_array_sized_new (FALSE, TRUE, sizeof (Page), n_specs);
  g_array_set_clear_func (self->pages, page_clear);
  for (guint i = 0; i < n_specs; i++)
    {
      Page page = { &specs[i], NULL, g_ptr_array_new_with_free_func (g_free), FALSE };

      g_array_append_val (self->pages, page);
    }

  make_start_page (self);
  g_signal_connect_object (window, "notify::language", G_CALLBACK (language_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
hirc_journey_start (HircJourney *self)
{
  g_return_if_fail (HIRC_IS_JOURNEY (self));

  self->stage = STAGE_START;
  hirc_kiosk_window_show_page (self->window, self->start_page, _("Report a hate incident"));
}

void
hirc_journey_begin_assisted (HircJourney *self,
                             const char  *ambassador_id)
{
  g_return_if_fail (HIRC_IS_JOURNEY (self));
  g_return_if_fail (ambassador_id != NULL);

  if (self->stage != STAGE_START)
    return;
  hirc_report_set_boolean (self->report, "meta.assisted", TRUE);
  hirc_report_set_string (self->report, "meta.ambassador_id", ambassador_id);
  show_question (self, 0);
}

gboolean
hirc_journey_is_active (HircJourney *self)
{
  g_return_val_if_fail (HIRC_IS_JOURNEY (self), FALSE);

  return self->begun && self->stage != STAGE_OVER;
}

gboolean
hirc_journey_is_saving (HircJourney *self)
{
  g_return_val_if_fail (HIRC_IS_JOURNEY (self), FALSE);

  return self->saving;
}

void
hirc_journey_wipe (HircJourney *self)
{
  g_return_if_fail (HIRC_IS_JOURNEY (self));

  self->stage = STAGE_OVER;
  /* The worker thread is reading the report: it is wiped when the save returns. */
  if (self->saving)
    return;
  hirc_report_wipe (self->report);
  drop_pages (self);
  g_clear_object (&self->confirmation);
  g_clear_pointer (&self->reference, g_free);
  g_clear_pointer (&self->outcome.service_code, g_free);
}
