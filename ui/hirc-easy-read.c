/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-easy-read.c: the pictures beside the choices when the kiosk shows Easy Read English.
 * Easy Read puts a picture beside every piece of text, so that a reporter with a learning
 * disability can find an answer by its picture. The pictures (ui/icons/easy-read) were drawn for
 * the kiosk in one style from its palette; one picture serves every choice that means the same
 * ("I'm not sure", "Something else", "Prefer not to say"). A picture only supports its choice's
 * words: the choice keeps its label as its accessible name, and the picture is described. */

#include "config.h"

#include "hirc-easy-read.h"

#include <glib/gi18n-lib.h>

#include "hirc-easy-read-resources.h"

#define RESOURCE_PATH "/org/hirc/Kiosk/easy-read"
#define ICON_PREFIX "hirc-easy-read-"

typedef struct
{
  const char *name;
  const char *description;
} Picture;

/* Translators: each is read out by a screen reader beside a choice, to say what the picture
 * beside it shows. Only Easy Read English shows pictures, so only its catalogue needs these
 * (the catalogue check asks no other language for them). */
static const Picture pictures[] = {
  { "abusive-calls", NC_("Easy Read picture", "Picture: a phone with an angry message") },
  { "afternoon", NC_("Easy Read picture", "Picture: the sun high in the sky") },
  { "age", NC_("Easy Read picture", "Picture: an older person with a walking stick and a child") },
  { "age-16-17", NC_("Easy Read picture", "Picture: a teenager, and a column a quarter full") },
  { "age-18-24",
    NC_("Easy Read picture", "Picture: a young adult, and a column three eighths full") },
  { "age-25-34", NC_("Easy Read picture", "Picture: an adult, and a column half full") },
  { "age-35-44", NC_("Easy Read picture", "Picture: an adult, and a column five eighths full") },
  { "age-45-54", NC_("Easy Read picture", "Picture: an adult, and a column three quarters full") },
  { "age-55-64", NC_("Easy Read picture", "Picture: an older adult, and a column nearly full") },
  { "age-65-plus",
    NC_("Easy Read picture", "Picture: an older person with a walking stick, and a full column") },
  { "age-under-16", NC_("Easy Read picture", "Picture: a child, and a column an eighth full") },
  { "anonymous",
    NC_("Easy Read picture", "Picture: the outline of a person with no face, staying anonymous") },
  { "answer-questions", NC_("Easy Read picture", "Picture: a clipboard with answers ticked") },
  { "area", NC_("Easy Read picture", "Picture: a map with a pin") },
  { "bisexual",
    NC_("Easy Read picture", "Picture: a person with a heart for a woman and a heart for a man") },
  { "both", NC_("Easy Read picture", "Picture: a person and a computer") },
  { "buddhist",
    NC_("Easy Read picture", "Picture: a wheel with eight spokes, a sign of Buddhism") },
  { "bullying", NC_("Easy Read picture", "Picture: a group of people around one person") },
  { "cctv", NC_("Easy Read picture", "Picture: a security camera") },
  { "christian", NC_("Easy Read picture", "Picture: a cross, a sign of Christianity") },
  { "contact-me", NC_("Easy Read picture", "Picture: a person talking on the phone") },
  { "could-not-ask",
    NC_("Easy Read picture", "Picture: a person with a speech bubble crossed out") },
  { "damage", NC_("Easy Read picture", "Picture: a broken window") },
  { "disability", NC_("Easy Read picture", "Picture: a person using a wheelchair") },
  { "easy-read", NC_("Easy Read picture", "Picture: a page with a picture and short lines") },
  { "education", NC_("Easy Read picture", "Picture: a graduation cap and a book") },
  { "email", NC_("Easy Read picture", "Picture: a letter on a computer screen") },
  { "escalating", NC_("Easy Read picture", "Picture: an arrow going up steeply") },
  { "evening", NC_("Easy Read picture", "Picture: the sun going down and the moon coming out") },
  { "exact-date", NC_("Easy Read picture", "Picture: a calendar with one day circled") },
  { "gay-lesbian",
    NC_("Easy Read picture", "Picture: two men with a heart and two women with a heart") },
  { "graffiti", NC_("Easy Read picture", "Picture: a spray can painting on a wall") },
  { "hate-mail", NC_("Easy Read picture", "Picture: a letter with an angry red mark") },
  { "health", NC_("Easy Read picture", "Picture: a heart with a medical cross") },
  { "health-care", NC_("Easy Read picture", "Picture: a building with a medical cross") },
  { "hindu", NC_("Easy Read picture", "Picture: the Om symbol, a sign of Hinduism") },
  { "home", NC_("Easy Read picture", "Picture: a house") },
  { "housing", NC_("Easy Read picture", "Picture: a house and a key") },
  { "immediate-risk", NC_("Easy Read picture", "Picture: a red warning triangle") },
  { "in-person", NC_("Easy Read picture", "Picture: two people face to face") },
  { "interpreter", NC_("Easy Read picture", "Picture: a person between two speech bubbles") },
  { "jewish", NC_("Easy Read picture", "Picture: the Star of David, a sign of Judaism") },
  { "known", NC_("Easy Read picture", "Picture: two people who know each other") },
  { "language", NC_("Easy Read picture", "Picture: two speech bubbles in different colours") },
  { "last-week", NC_("Easy Read picture", "Picture: a calendar with last week marked") },
  { "letter", NC_("Easy Read picture", "Picture: a letter in an envelope") },
  { "longer-ago", NC_("Easy Read picture", "Picture: a stack of old calendar pages") },
  { "man", NC_("Easy Read picture", "Picture: a man") },
  { "messages", NC_("Easy Read picture", "Picture: messages on a phone") },
  { "mixed", NC_("Easy Read picture", "Picture: two circles of different colours overlapping") },
  { "morning", NC_("Easy Read picture", "Picture: the sun coming up") },
  { "muslim", NC_("Easy Read picture", "Picture: a crescent moon and a star, a sign of Islam") },
  { "night", NC_("Easy Read picture", "Picture: the moon and stars at night") },
  { "no", NC_("Easy Read picture", "Picture: a red cross") },
  { "non-binary", NC_("Easy Read picture", "Picture: the non-binary symbol") },
  { "none", NC_("Easy Read picture", "Picture: an empty circle crossed through, for none") },
  { "not-sure", NC_("Easy Read picture", "Picture: a question mark") },
  { "one-person", NC_("Easy Read picture", "Picture: one person") },
  { "online", NC_("Easy Read picture", "Picture: a computer connected to the internet") },
  { "online-abuse", NC_("Easy Read picture", "Picture: a computer screen with an angry message") },
  { "outreach", NC_("Easy Read picture", "Picture: a person walking to a house") },
  { "park", NC_("Easy Read picture", "Picture: a tree") },
  { "people-different", NC_("Easy Read picture", "Picture: people from different backgrounds") },
  { "phone-call", NC_("Easy Read picture", "Picture: a telephone handset") },
  { "photos", NC_("Easy Read picture", "Picture: a camera") },
  { "physical-assault", NC_("Easy Read picture", "Picture: a fist hitting, with a red star") },
  { "place-of-worship", NC_("Easy Read picture", "Picture: a place of worship with a dome") },
  { "police", NC_("Easy Read picture", "Picture: a police officer") },
  { "prefer-not-to-say", NC_("Easy Read picture", "Picture: a face with a zip across its mouth") },
  { "pub-restaurant", NC_("Easy Read picture", "Picture: a glass and a knife and fork") },
  { "public-transport", NC_("Easy Read picture", "Picture: a bus") },
  { "race", NC_("Easy Read picture", "Picture: a globe of the world") },
  { "recordings", NC_("Easy Read picture", "Picture: a microphone") },
  { "religion", NC_("Easy Read picture", "Picture: two hands pressed together in prayer") },
  { "repeat", NC_("Easy Read picture", "Picture: arrows going round and round a person") },
  { "role-ambassador", NC_("Easy Read picture", "Picture: a helper with a badge and a clipboard") },
  { "role-on-behalf",
    NC_("Easy Read picture", "Picture: one person speaking up for another person") },
  { "role-victim", NC_("Easy Read picture", "Picture: an arrow pointing at a person") },
  { "role-witness", NC_("Easy Read picture", "Picture: an eye looking") },
  { "safeguarding", NC_("Easy Read picture", "Picture: a shield keeping a person safe") },
  { "sex-gender", NC_("Easy Read picture", "Picture: a woman and a man") },
  { "sexual-assault", NC_("Easy Read picture", "Picture: a person holding up a hand to say stop") },
  { "shop", NC_("Easy Read picture", "Picture: a shop with an awning") },
  { "sign-language", NC_("Easy Read picture", "Picture: two hands signing") },
  { "sikh", NC_("Easy Read picture", "Picture: the Khanda, a sign of Sikhism") },
  { "skip", NC_("Easy Read picture", "Picture: an arrow jumping over the questions") },
  { "something-else", NC_("Easy Read picture", "Picture: three dots, for something else") },
  { "straight", NC_("Easy Read picture", "Picture: a woman and a man with a heart") },
  { "stranger", NC_("Easy Read picture", "Picture: a person in a hood whose face cannot be seen") },
  { "street", NC_("Easy Read picture", "Picture: a road with a street lamp") },
  { "subculture", NC_("Easy Read picture", "Picture: a person with spiky hair") },
  { "support",
    NC_("Easy Read picture", "Picture: a helper with an arm round a person, and a heart") },
  { "theft", NC_("Easy Read picture", "Picture: a bag being taken away") },
  { "this-month", NC_("Easy Read picture", "Picture: a calendar with the whole month marked") },
  { "this-week", NC_("Easy Read picture", "Picture: a calendar with this week marked") },
  { "threats",
    NC_("Easy Read picture", "Picture: a big person standing over a small, frightened person") },
  { "three-people", NC_("Easy Read picture", "Picture: three or more people") },
  { "today", NC_("Easy Read picture", "Picture: a calendar with today marked") },
  { "transgender", NC_("Easy Read picture", "Picture: the transgender symbol") },
  { "two-hearts", NC_("Easy Read picture", "Picture: two hearts together") },
  { "two-people", NC_("Easy Read picture", "Picture: two people") },
  { "verbal-abuse", NC_("Easy Read picture", "Picture: a person shouting") },
  { "video-call", NC_("Easy Read picture", "Picture: a person on a computer screen") },
  { "woman", NC_("Easy Read picture", "Picture: a woman") },
  { "work", NC_("Easy Read picture", "Picture: a briefcase") },
  { "written", NC_("Easy Read picture", "Picture: a pen writing on paper") },
  { "yes", NC_("Easy Read picture", "Picture: a green tick") },
  { "yesterday", NC_("Easy Read picture", "Picture: a calendar with the day before today marked") },
};

/* Which picture goes with which choice. A NULL list matches a code in any list; a NULL code
 * matches any code of its list (a partnership's own areas and services, the languages). The
 * most specific match wins: list and code, then the list alone, then the code alone. */
typedef struct
{
  const char *list;
  const char *code;
  const char *picture;
} Match;

static const Match matches[] = {
  /* Answers that mean the same in every list. */
  { NULL, "not_sure", "not-sure" },
  { NULL, "other", "something-else" },
  { NULL, "prefer_not_to_say", "prefer-not-to-say" },
  { NULL, "yes", "yes" },
  { NULL, "no", "no" },
  { NULL, "none", "none" },
  /* Yes and no as the journey's two-answer questions (the consents) give them. */
  { NULL, "true", "yes" },
  { NULL, "false", "no" },

  { "roles", "victim", "role-victim" },
  { "roles", "witness", "role-witness" },
  { "roles", "on_behalf", "role-on-behalf" },
  { "roles", "ambassador", "role-ambassador" },

  { "incident_types", "verbal_abuse", "verbal-abuse" },
  { "incident_types", "threats_harassment", "threats" },
  { "incident_types", "physical_assault", "physical-assault" },
  { "incident_types", "sexual_assault", "sexual-assault" },
  { "incident_types", "damage", "damage" },
  { "incident_types", "graffiti", "graffiti" },
  { "incident_types", "hate_mail", "hate-mail" },
  { "incident_types", "abusive_calls", "abusive-calls" },
  { "incident_types", "online_abuse", "online-abuse" },
  { "incident_types", "theft", "theft" },
  { "incident_types", "bullying", "bullying" },

  { "motivations", "race", "race" },
  { "motivations", "religion", "religion" },
  { "motivations", "sexual_orientation", "two-hearts" },
  { "motivations", "transgender", "transgender" },
  { "motivations", "disability", "disability" },
  { "motivations", "sex_gender", "sex-gender" },
  { "motivations", "age", "age" },
  { "motivations", "alternative_subculture", "subculture" },

  { "settings", "in_person", "in-person" },
  { "settings", "online", "online" },
  { "settings", "both", "both" },

  { "approximate_when", "today", "today" },
  { "approximate_when", "yesterday", "yesterday" },
  { "approximate_when", "this_week", "this-week" },
  { "approximate_when", "last_week", "last-week" },
  { "approximate_when", "this_month", "this-month" },
  { "approximate_when", "longer_ago", "longer-ago" },

  { "times_of_day", "morning", "morning" },
  { "times_of_day", "afternoon", "afternoon" },
  { "times_of_day", "evening", "evening" },
  { "times_of_day", "night", "night" },

  { "place_types", "home", "home" },
  { "place_types", "street", "street" },
  { "place_types", "public_transport", "public-transport" },
  { "place_types", "shop", "shop" },
  { "place_types", "pub_bar_restaurant", "pub-restaurant" },
  { "place_types", "park", "park" },
  { "place_types", "education", "education" },
  { "place_types", "work", "work" },
  { "place_types", "place_of_worship", "place-of-worship" },
  { "place_types", "health_care", "health-care" },
  { "place_types", "online", "online" },

  { "offender_counts", "one", "one-person" },
  { "offender_counts", "two", "two-people" },
  { "offender_counts", "three_or_more", "three-people" },

  { "offender_known", "known", "known" },
  { "offender_known", "stranger", "stranger" },

  { "evidence_types", "photos", "photos" },
  { "evidence_types", "messages", "messages" },
  { "evidence_types", "cctv", "cctv" },
  { "evidence_types", "recordings", "recordings" },

  /* Numbers are words, not pictures: each age is a person beside a column that fills up. */
  { "age_bands", "under_16", "age-under-16" },
  { "age_bands", "16_17", "age-16-17" },
  { "age_bands", "18_24", "age-18-24" },
  { "age_bands", "25_34", "age-25-34" },
  { "age_bands", "35_44", "age-35-44" },
  { "age_bands", "45_54", "age-45-54" },
  { "age_bands", "55_64", "age-55-64" },
  { "age_bands", "65_plus", "age-65-plus" },

  { "contact_methods", "phone", "phone-call" },
  { "contact_methods", "text_message", "messages" },
  { "contact_methods", "email", "email" },
  { "contact_methods", "letter", "letter" },

  { "genders", "woman", "woman" },
  { "genders", "man", "man" },
  { "genders", "non_binary", "non-binary" },

  { "sexual_orientations", "heterosexual", "straight" },
  { "sexual_orientations", "gay_lesbian", "gay-lesbian" },
  { "sexual_orientations", "bisexual", "bisexual" },

  /* Drawings of faces for each ethnic group would be stereotypes: the groups share one picture
   * of people and the words tell them apart; "mixed" has its own. */
  { "ethnic_groups", "mixed", "mixed" },
  { "ethnic_groups", NULL, "people-different" },

  { "religions", "buddhist", "buddhist" },
  { "religions", "christian", "christian" },
  { "religions", "hindu", "hindu" },
  { "religions", "jewish", "jewish" },
  { "religions", "muslim", "muslim" },
  { "religions", "sikh", "sikh" },

  { "received_how", "in_person", "in-person" },
  { "received_how", "outreach", "outreach" },
  { "received_how", "phone", "phone-call" },
  { "received_how", "video_call", "video-call" },
  { "received_how", "written", "written" },

  { "reporter_agreement", "agreed", "yes" },
  { "reporter_agreement", "did_not_agree", "no" },
  { "reporter_agreement", "could_not_ask", "could-not-ask" },

  { "risk_signs", "repeat_victimisation", "repeat" },
  { "risk_signs", "escalating", "escalating" },
  { "risk_signs", "immediate_risk", "immediate-risk" },

  { "referrals", "police", "police" },
  { "referrals", "support_service", "support" },
  { "referrals", "safeguarding", "safeguarding" },
  { "referrals", "health", "health" },
  { "referrals", "housing", "housing" },

  /* The journey's own choices (app/hirc-journey-pages.c), by the field's report path. */
  { "where.area", "not_sure", "not-sure" },
  { "where.area", NULL, "area" },
  { "contact.anonymous", "false", "contact-me" },
  { "contact.anonymous", "true", "anonymous" },
  { "communication", "communication.interpreter", "interpreter" },
  { "communication", "communication.bsl", "sign-language" },
  { "communication", "communication.easy_read", "easy-read" },
  { "communication.language", NULL, "language" },
  { "consents.support_service", NULL, "support" },
  { "equality", "true", "answer-questions" },
  { "equality", "false", "skip" },
  /* The date field's own choice (hirc-date-field.c). */
  { "date", "known", "exact-date" },
};

static const Picture *
find_picture (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    if (g_str_equal (pictures[i].name, name))
      return &pictures[i];
  return NULL;
}

static const char *
find_match (const char *list_id,
            const char *code)
{
  const char *list_only = NULL;
  const char *code_only = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (matches); i++)
    {
      const Match *match = &matches[i];
      gboolean list_matches = match->list != NULL && g_str_equal (match->list, list_id);

      if (list_matches && match->code != NULL && g_str_equal (match->code, code))
        return match->picture;
      if (list_matches && match->code == NULL)
        list_only = match->picture;
      if (match->list == NULL && g_str_equal (match->code, code))
        code_only = match->picture;
    }
  return list_only != NULL ? list_only : code_only;
}

/* Registered on first use rather than by a constructor, which the linker drops from a static
 * library unless something else in its object file is used. */
static void
register_resource (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      hirc_easy_read_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

gboolean
hirc_easy_read_is_active (void)
{
  /* GLib reads the same variables as gettext, in the same order, and notices when the kiosk
   * changes LANGUAGE to switch language (hirc-ui-language.c). */
  return g_str_equal (g_get_language_names ()[0], HIRC_EASY_READ_LANGUAGE);
}

const char *
hirc_easy_read_picture_for (const char  *list_id,
                            const char  *code,
                            const char **description)
{
  const char *name;
  const Picture *picture;

  g_return_val_if_fail (list_id != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  name = find_match (list_id, code);
  picture = name != NULL ? find_picture (name) : NULL;
  if (description != NULL)
    *description = picture != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, "Easy Read picture",
                                                   picture->description)
                                   : NULL;
  return picture != NULL ? picture->name : NULL;
}

char *
hirc_easy_read_picture_resource (const char *picture)
{
  g_return_val_if_fail (picture != NULL, NULL);

  register_resource ();
  return g_strconcat (RESOURCE_PATH "/scalable/actions/" ICON_PREFIX, picture, ".svg", NULL);
}

const char **
hirc_easy_read_pictures (void)
{
  const char **names = g_new0 (const char *, G_N_ELEMENTS (pictures) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    names[i] = pictures[i].name;
  return names;
}

GtkWidget *
hirc_easy_read_picture_new (const char *list_id,
                            const char *code)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  const char *description = NULL;
  const char *name = hirc_easy_read_picture_for (list_id, code, &description);
  g_autofree char *icon_name = NULL;
  GtkWidget *image;

  if (name == NULL)
    return NULL;

  /* The pictures are icons of the display's theme, so that GTK draws each SVG at the size and
   * scale it is shown at. */
  if (g_object_get_data (G_OBJECT (theme), "hirc-easy-read") == NULL)
    {
      register_resource ();
      gtk_icon_theme_add_resource_path (theme, RESOURCE_PATH);
      g_object_set_data (G_OBJECT (theme), "hirc-easy-read", GINT_TO_POINTER (TRUE));
    }

  icon_name = g_strconcat (ICON_PREFIX, name, NULL);
  image = gtk_image_new_from_icon_name (icon_name);
  gtk_image_set_pixel_size (GTK_IMAGE (image), HIRC_EASY_READ_PICTURE_SIZE);
  gtk_widget_add_css_class (image, "hirc-easy-read-picture");
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  return image;
}
