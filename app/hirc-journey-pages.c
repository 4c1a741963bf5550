/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-journey-pages.c: the reporting journey's pages, one question per page as GOV.UK asks,
 * split further only where a page would not fit a 1080p screen without scrolling. The order is
 * the report's (app/REPORT.md); the words are plain, with "(optional)" on every question that
 * is, and "I'm not sure" wherever the lists offer it. */

#include "config.h"

#include "hirc-journey-private.h"

#include <glib/gi18n-lib.h>

/* Text limits, in characters, as app/REPORT.md gives them. */
#define LIMIT_SHORT       200
#define LIMIT_DETAILS     2000
#define LIMIT_DESCRIPTION 10000
#define LIMIT_EMAIL       254

static const char *const reveal_other[] = { "other", NULL };
static const char *const reveal_yes[] = { "yes", NULL };
static const char *const reveal_true[] = { "true", NULL };
static const char *const reveal_online[] = { "online", "both", NULL };
/* Self-service never offers the ambassador's role; assisted mode records it instead. */
static const char *const hidden_roles[] = { "ambassador", NULL };

static gboolean
role_is_on_behalf (const HircJourneyState *state)
{
  return g_strcmp0 (hirc_report_get_string (state->report, "role"), "on_behalf") == 0;
}

static gboolean
wants_contact (const HircJourneyState *state)
{
  gboolean is_set = FALSE;
  gboolean anonymous = hirc_report_get_boolean (state->report, "contact.anonymous", &is_set);

  return is_set && !anonymous;
}

static gboolean
equality_answered (const HircJourneyState *state)
{
  return state->equality_answered;
}

/* The ambassador's questions come only in assisted mode, after the reporter's own. */
static gboolean
is_assisted (const HircJourneyState *state)
{
  return hirc_report_get_boolean (state->report, "meta.assisted", NULL);
}

static const HircFieldSpec role_fields[] = {
  { .path = "role", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_ROLE,
    .summary = N_("Who is reporting"), .hidden_codes = hidden_roles },
};

static const HircFieldSpec incident_fields[] = {
  { .path = "incident_types", .kind = HIRC_FIELD_CODES, .list = HIRC_LIST_INCIDENT_TYPE,
    .hint = N_("Choose all that apply."), .summary = N_("What happened"), .columns = 2 },
  { .path = "incident_other", .kind = HIRC_FIELD_LINE,
    .label = N_("Tell us briefly what else happened (optional)"),
    .summary = N_("Something else that happened"),
    .reveal_path = "incident_types", .reveal_codes = reveal_other, .max_length = LIMIT_SHORT },
};

static const HircFieldSpec motivation_fields[] = {
  { .path = "motivations", .kind = HIRC_FIELD_CODES, .list = HIRC_LIST_MOTIVATION,
    .hint = N_("Choose all that apply. If you do not know, choose “I'm not sure”."),
    .summary = N_("Why you think it happened"), .columns = 2, .exclusive = "not_sure" },
  { .path = "motivation_other", .kind = HIRC_FIELD_LINE,
    .label = N_("Tell us briefly what else it was about (optional)"),
    .summary = N_("Another reason"),
    .reveal_path = "motivations", .reveal_codes = reveal_other, .max_length = LIMIT_SHORT },
};

static const HircFieldSpec when_fields[] = {
  { .path = "when.approximate", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_APPROXIMATE_WHEN,
    .summary = N_("When it happened"), .columns = 2 },
  { .path = "when.date", .kind = HIRC_FIELD_DATE, .summary = N_("The date") },
};

static const HircFieldSpec when_more_fields[] = {
  { .path = "when.time_of_day", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_TIME_OF_DAY,
    .label = N_("What time of day was it? (optional)"), .summary = N_("Time of day"),
    .columns = 3 },
  { .path = "when.ongoing", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_YES_NO_NOT_SURE,
    .label = N_("Is it still happening? (optional)"), .summary = N_("Still happening"),
    .columns = 3 },
  { .path = "when.happened_before", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_YES_NO_NOT_SURE,
    .label = N_("Has something like this happened before? (optional)"),
    .summary = N_("Happened before"), .columns = 3 },
};

static const HircFieldSpec where_fields[] = {
  { .path = "where.area", .kind = HIRC_FIELD_AREA, .summary = N_("Area"), .columns = 2 },
};

static const HircFieldSpec place_fields[] = {
  { .path = "where.place_type", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_PLACE_TYPE,
    .summary = N_("Type of place"), .columns = 3 },
  { .path = "where.details", .kind = HIRC_FIELD_LINES,
    .label = N_("Where exactly? (optional)"),
    .hint = N_("For example, the name of the street, shop or bus route."),
    .summary = N_("Where exactly"), .max_length = LIMIT_DETAILS },
};

static const HircFieldSpec setting_fields[] = {
  { .path = "setting", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_SETTING,
    .summary = N_("Online or in person"), .columns = 2 },
  { .path = "online.platform", .kind = HIRC_FIELD_LINE,
    .label = N_("Which website, app or game? (optional)"),
    .hint = N_("For example, Facebook, TikTok, WhatsApp or a website's name."),
    .summary = N_("Website or app"),
    .reveal_path = "setting", .reveal_codes = reveal_online, .max_length = LIMIT_SHORT },
  { .path = "online.address", .kind = HIRC_FIELD_LINE,
    .label = N_("The web address or user name, if you know it (optional)"),
    .summary = N_("Web address or user name"),
    .reveal_path = "setting", .reveal_codes = reveal_online, .max_length = LIMIT_DETAILS },
};

static const HircFieldSpec description_fields[] = {
  { .path = "description", .kind = HIRC_FIELD_LINES,
    .hint = N_("Tell us what was said or done, and anything else you think is important. "
               "Write as much or as little as you want."),
    .summary = N_("What happened, in your words"), .max_length = LIMIT_DESCRIPTION,
    .rows = 8 },
};

static const HircFieldSpec offender_fields[] = {
  { .path = "offenders.count", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_OFFENDER_COUNT,
    .label = N_("How many people did it? (optional)"), .summary = N_("How many people"),
    .columns = 2 },
  { .path = "offenders.known", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_OFFENDER_KNOWN,
    .label = N_("Did the person it happened to know them? (optional)"),
    .summary = N_("Known or a stranger"), .columns = 3 },
  { .path = "offenders.description", .kind = HIRC_FIELD_LINES,
    .label = N_("Describe them, if you can (optional)"),
    .hint = N_("For example, what they looked like, what they wore, or a car they used."),
    .summary = N_("Description of them"), .max_length = LIMIT_DETAILS },
};

static const HircFieldSpec harm_fields[] = {
  { .path = "harm.injured", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_YES_NO_NOT_SURE,
    .summary = N_("Anyone hurt"), .columns = 3 },
  { .path = "harm.details", .kind = HIRC_FIELD_LINES,
    .label = N_("Tell us about any injuries, damage or other harm (optional)"),
    .hint = N_("This can include how it has made you or others feel."),
    .summary = N_("Injuries and harm"), .max_length = LIMIT_DETAILS },
};

static const HircFieldSpec evidence_fields[] = {
  { .path = "evidence.types", .kind = HIRC_FIELD_CODES, .list = HIRC_LIST_EVIDENCE_TYPE,
    .label = N_("Is there any evidence? (optional)"), .hint = N_("Choose all that apply."),
    .summary = N_("Evidence"), .columns = 2 },
  { .path = "evidence.details", .kind = HIRC_FIELD_LINE,
    .label = N_("Tell us about the evidence (optional)"),
    .summary = N_("About the evidence"), .max_length = LIMIT_DETAILS },
  { .path = "witnesses.any", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_YES_NO_NOT_SURE,
    .label = N_("Did anyone else see it happen? (optional)"), .summary = N_("Witnesses"),
    .columns = 3 },
  { .path = "witnesses.details", .kind = HIRC_FIELD_LINE,
    .label = N_("Tell us about them (optional)"), .summary = N_("About the witnesses"),
    .reveal_path = "witnesses.any", .reveal_codes = reveal_yes, .max_length = LIMIT_DETAILS },
};

static const HircFieldSpec reported_fields[] = {
  { .path = "reported_before.any", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_YES_NO_NOT_SURE,
    .summary = N_("Reported before"), .columns = 3 },
  { .path = "reported_before.to", .kind = HIRC_FIELD_LINE,
    .label = N_("Who did you report it to? (optional)"),
    .hint = N_("For example, the police, a housing officer or a school."),
    .summary = N_("Reported to"),
    .reveal_path = "reported_before.any", .reveal_codes = reveal_yes, .max_length = LIMIT_SHORT },
  { .path = "reported_before.reference", .kind = HIRC_FIELD_LINE,
    .label = N_("Their reference number, if you have it (optional)"),
    .summary = N_("Their reference"),
    .reveal_path = "reported_before.any", .reveal_codes = reveal_yes, .max_length = LIMIT_SHORT },
};

static const HircFieldSpec victim_fields[] = {
  { .path = "victim.name", .kind = HIRC_FIELD_LINE, .label = N_("Their name (optional)"),
    .summary = N_("Their name"), .max_length = LIMIT_SHORT },
  { .path = "victim.age_band", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_AGE_BAND,
    .label = N_("How old are they? (optional)"), .summary = N_("Their age"), .columns = 3 },
};

static const HircFieldSpec contact_fields[] = {
  { .path = "contact.anonymous", .kind = HIRC_FIELD_BOOLEAN,
    .hint = N_("If you stay anonymous, nobody can contact you about this report. It still "
               "helps to show where hate incidents happen."),
    .summary = N_("Contact"),
    .true_label = N_("No, I want to stay anonymous"),
    .false_label = N_("Yes, you can contact me"), .false_first = TRUE },
};

static const HircFieldSpec contact_details_fields[] = {
  { .path = "contact.name", .kind = HIRC_FIELD_LINE, .label = N_("Your name (optional)"),
    .summary = N_("Your name"), .max_length = LIMIT_SHORT },
  { .path = "contact.phone", .kind = HIRC_FIELD_LINE, .label = N_("Phone number (optional)"),
    .summary = N_("Phone number"), .max_length = LIMIT_SHORT,
    .purpose = GTK_INPUT_PURPOSE_PHONE },
  { .path = "contact.email", .kind = HIRC_FIELD_LINE, .label = N_("Email address (optional)"),
    .summary = N_("Email address"), .max_length = LIMIT_EMAIL,
    .purpose = GTK_INPUT_PURPOSE_EMAIL },
};

static const HircFieldSpec names_fields[] = {
  { .path = "communication.preferred_name", .kind = HIRC_FIELD_LINE,
    .label = N_("What name should we use for you? (optional)"),
    .summary = N_("Name to use"), .max_length = LIMIT_SHORT },
  { .path = "communication.pronouns", .kind = HIRC_FIELD_LINE,
    .label = N_("Your pronouns (optional)"), .hint = N_("For example, she/her or they/them."),
    .summary = N_("Pronouns"), .max_length = LIMIT_SHORT },
};

static const HircFieldSpec contact_safety_fields[] = {
  { .path = "contact.methods", .kind = HIRC_FIELD_CODES, .list = HIRC_LIST_CONTACT_METHOD,
    .label = N_("How should we contact you? (optional)"), .hint = N_("Choose all that apply."),
    .summary = N_("How to contact you"), .columns = 2 },
  { .path = "contact.safe_to_leave_message", .kind = HIRC_FIELD_CODE,
    .list = HIRC_LIST_YES_NO_NOT_SURE,
    .label = N_("Is it safe to leave you a message? (optional)"),
    .summary = N_("Safe to leave a message"), .columns = 3 },
  { .path = "contact.safe_times", .kind = HIRC_FIELD_LINE,
    .label = N_("When is it safe to contact you? (optional)"),
    .hint = N_("For example, weekdays after 6pm."),
    .summary = N_("Safe times to contact you"), .max_length = LIMIT_SHORT },
};

static const HircFlagSpec communication_flags[] = {
  { "communication.interpreter", N_("An interpreter") },
  { "communication.bsl", N_("British Sign Language") },
  { "communication.easy_read", N_("Easy Read") },
  { NULL, NULL }
};

static const HircFieldSpec communication_fields[] = {
  { .path = "communication", .kind = HIRC_FIELD_FLAGS,
    .label = N_("Do you need any of these? (optional)"), .hint = N_("Choose all that apply."),
    .summary = N_("Communication needs"), .columns = 3, .flags = communication_flags },
  { .path = "communication.language", .kind = HIRC_FIELD_LANGUAGE,
    .label = N_("Which language should we use? (optional)"), .summary = N_("Language"),
    .columns = 4 },
};

static const HircFieldSpec consent_fields[] = {
  { .path = "consents.police_identifiable", .kind = HIRC_FIELD_BOOLEAN,
    .label = N_("Can we send your report to the police, with your details? (optional)"),
    .hint = N_("The police may then contact you or the person it happened to."),
    .summary = N_("Send to the police with your details"),
    .true_label = N_("Yes"), .false_label = N_("No"), .columns = 2 },
  { .path = "consents.police_statistics", .kind = HIRC_FIELD_BOOLEAN,
    .label = N_("Can we tell the police it happened, without any details about who you are? "
                "(optional)"),
    .hint = N_("This helps the police see where hate incidents happen."),
    .summary = N_("Tell the police without your details"),
    .true_label = N_("Yes"), .false_label = N_("No"), .columns = 2 },
  { .path = "consents.support_referral", .kind = HIRC_FIELD_BOOLEAN,
    .label = N_("Would you like a support service to contact you? (optional)"),
    .summary = N_("Support service to contact you"),
    .true_label = N_("Yes"), .false_label = N_("No"), .columns = 2 },
  { .path = "consents.support_service", .kind = HIRC_FIELD_SERVICE,
    .label = N_("Which support service?"), .summary = N_("Support service"),
    .reveal_path = "consents.support_referral", .reveal_codes = reveal_true },
};

static const HircFieldSpec equality_gate_fields[] = {
  { .path = "equality", .kind = HIRC_FIELD_GATE, .summary = N_("Equality questions"),
    .true_label = N_("Answer the equality questions"),
    .false_label = N_("Skip these questions") },
};

static const HircFieldSpec equality_age_fields[] = {
  { .path = "equality.age_band", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_AGE_BAND,
    .label = N_("Age (optional)"), .summary = N_("Age"), .columns = 3 },
  { .path = "equality.gender", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_GENDER,
    .label = N_("Gender (optional)"), .summary = N_("Gender"), .columns = 3 },
  { .path = "equality.trans_history", .kind = HIRC_FIELD_CODE,
    .list = HIRC_LIST_YES_NO_PREFER_NOT_TO_SAY,
    .label = N_("Are they trans, or do they have a trans history? (optional)"),
    .label_self = N_("Are you trans, or do you have a trans history? (optional)"),
    .summary = N_("Trans or trans history"), .columns = 3 },
};

static const HircFieldSpec equality_orientation_fields[] = {
  { .path = "equality.sexual_orientation", .kind = HIRC_FIELD_CODE,
    .list = HIRC_LIST_SEXUAL_ORIENTATION,
    .label = N_("Sexual orientation (optional)"), .summary = N_("Sexual orientation"),
    .columns = 2 },
  { .path = "equality.disability", .kind = HIRC_FIELD_CODE,
    .list = HIRC_LIST_YES_NO_PREFER_NOT_TO_SAY,
    .label = N_("Are they disabled? (optional)"),
    .label_self = N_("Are you disabled? (optional)"), .summary = N_("Disabled"), .columns = 3 },
};

static const HircFieldSpec equality_background_fields[] = {
  { .path = "equality.ethnic_group", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_ETHNIC_GROUP,
    .label = N_("Ethnic group (optional)"), .summary = N_("Ethnic group"), .columns = 2 },
  { .path = "equality.religion", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_RELIGION,
    .label = N_("Religion or belief (optional)"), .summary = N_("Religion or belief"),
    .columns = 3 },
};

static const char *const reveal_risk[] = { "repeat_victimisation", "escalating", "immediate_risk",
                                           NULL };
static const char *const reveal_referral[] = { "police", "support_service", "safeguarding",
                                               "health", "housing", "other", NULL };

static const HircFieldSpec received_fields[] = {
  { .path = "assisted.received", .kind = HIRC_FIELD_CODE, .list = HIRC_LIST_RECEIVED_HOW,
    .summary = N_("How the report was received") },
};

static const HircFieldSpec agreement_fields[] = {
  { .path = "assisted.reporter_agreed", .kind = HIRC_FIELD_CODE,
    .list = HIRC_LIST_REPORTER_AGREEMENT, .summary = N_("The reporter agreed") },
};

static const HircFieldSpec risk_fields[] = {
  { .path = "assisted.risk_signs", .kind = HIRC_FIELD_CODES, .list = HIRC_LIST_RISK_SIGN,
    .hint = N_("Choose all that apply."), .summary = N_("Signs of risk"), .exclusive = "none" },
  { .path = "assisted.risk_details", .kind = HIRC_FIELD_LINES,
    .label = N_("What did you notice? (optional)"), .summary = N_("What you noticed"),
    .reveal_path = "assisted.risk_signs", .reveal_codes = reveal_risk,
    .max_length = LIMIT_DETAILS },
};

static const HircFieldSpec referral_fields[] = {
  { .path = "assisted.referrals", .kind = HIRC_FIELD_CODES, .list = HIRC_LIST_REFERRAL,
    .hint = N_("Choose all that apply."), .summary = N_("Referrals made"), .columns = 2,
    .exclusive = "none" },
  { .path = "assisted.referral_details", .kind = HIRC_FIELD_LINE,
    .label = N_("Who did you refer them to? (optional)"),
    .hint = N_("For example, the name of an officer or a service."),
    .summary = N_("Referred to"),
    .reveal_path = "assisted.referrals", .reveal_codes = reveal_referral,
    .max_length = LIMIT_SHORT },
};

#define FIELDS(f) .fields = (f), .n_fields = G_N_ELEMENTS (f)

static const HircPageSpec pages[] = {
  { .id = "role", .heading = N_("Who is making this report?"),
    .section = N_("About the incident"), FIELDS (role_fields) },
  { .id = "incident", .heading = N_("What happened?"),
    .section = N_("About the incident"), FIELDS (incident_fields) },
  { .id = "motivation", .heading = N_("Why do you think it happened?"),
    .lead = N_("A hate incident happens because of who someone is, or who they are thought "
               "to be."),
    .section = N_("About the incident"), FIELDS (motivation_fields) },
  { .id = "when", .heading = N_("When did it happen? (optional)"),
    .section = N_("About the incident"), FIELDS (when_fields) },
  { .id = "when-more", .heading = N_("More about when it happened"),
    .section = N_("About the incident"), FIELDS (when_more_fields) },
  { .id = "where", .heading = N_("Which area did it happen in? (optional)"),
    .section = N_("About the incident"), FIELDS (where_fields) },
  { .id = "place", .heading = N_("What kind of place was it? (optional)"),
    .section = N_("About the incident"), FIELDS (place_fields) },
  { .id = "setting", .heading = N_("Did it happen online or in person? (optional)"),
    .section = N_("About the incident"), FIELDS (setting_fields) },
  { .id = "description", .heading = N_("Tell us what happened, in your own words"),
    .section = N_("About the incident"), FIELDS (description_fields) },
  { .id = "offenders", .heading = N_("About the people who did it"),
    .section = N_("About the incident"), FIELDS (offender_fields) },
  { .id = "harm", .heading = N_("Was anyone hurt? (optional)"),
    .section = N_("About the incident"), FIELDS (harm_fields) },
  { .id = "evidence", .heading = N_("Evidence and witnesses"),
    .section = N_("About the incident"), FIELDS (evidence_fields) },
  { .id = "reported", .heading = N_("Have you reported this before? (optional)"),
    .lead = N_("For example, to the police, your landlord, your school or your employer."),
    .section = N_("About the incident"), FIELDS (reported_fields) },
  { .id = "victim", .heading = N_("About the person it happened to"),
    .section = N_("About the person it happened to"), FIELDS (victim_fields),
    .applies = role_is_on_behalf },
  { .id = "contact", .heading = N_("Can we contact you about your report? (optional)"),
    .section = N_("About you"), FIELDS (contact_fields) },
  { .id = "contact-details", .heading = N_("How can we reach you?"),
    .lead = N_("You only need to give one way."),
    .section = N_("About you"), FIELDS (contact_details_fields), .applies = wants_contact },
  { .id = "contact-safety", .heading = N_("Contacting you safely"),
    .section = N_("About you"), FIELDS (contact_safety_fields), .applies = wants_contact },
  /* The name and pronouns to use matter only to someone who will get in touch. */
  { .id = "names", .heading = N_("What should we call you? (optional)"),
    .section = N_("About you"), FIELDS (names_fields), .applies = wants_contact },
  { .id = "communication", .heading = N_("How should we communicate with you?"),
    .section = N_("About you"), FIELDS (communication_fields) },
  { .id = "consents", .heading = N_("What can we do with your report?"),
    .lead = N_("Each choice is separate. You can say yes to some and no to others."),
    .section = N_("Your choices"), FIELDS (consent_fields) },
  { .id = "equality", .heading = N_("Equality questions (optional)"),
    .lead = N_("These questions are about the person it happened to. They help the partnership "
               "check that everyone can get help. You can skip them all."),
    .lead_self = N_("These questions are about you. They help the partnership check that "
                    "everyone can get help. You can skip them all."),
    .section = N_("Equality questions"), FIELDS (equality_gate_fields) },
  { .id = "equality-age", .heading = N_("Age, gender and trans history"),
    .section = N_("Equality questions"), FIELDS (equality_age_fields),
    .applies = equality_answered },
  { .id = "equality-orientation", .heading = N_("Sexual orientation and disability"),
    .section = N_("Equality questions"), FIELDS (equality_orientation_fields),
    .applies = equality_answered },
  { .id = "equality-background", .heading = N_("Ethnic group and religion"),
    .section = N_("Equality questions"), FIELDS (equality_background_fields),
    .applies = equality_answered },
  /* Asked of the ambassador, not the reporter: one question a page, as for the reporter. */
  { .id = "assisted-received", .heading = N_("How did this report reach you?"),
    .section = N_("For the ambassador"), FIELDS (received_fields), .applies = is_assisted },
  { .id = "assisted-agreement",
    .heading = N_("Did the reporter agree to this report being made?"),
    .section = N_("For the ambassador"), FIELDS (agreement_fields), .applies = is_assisted },
  { .id = "assisted-risk",
    .heading = N_("Did you see signs of repeat victimisation or immediate risk?"),
    .lead = N_("If someone is in danger now, call 999 before you go on."),
    .section = N_("For the ambassador"), FIELDS (risk_fields), .applies = is_assisted },
  { .id = "assisted-referral", .heading = N_("Did you make any referral?"),
    .section = N_("For the ambassador"), FIELDS (referral_fields), .applies = is_assisted },
};

/* The census's main languages after English and those of police reporting leaflets, each in
 * its own script. */
static const HircLanguage languages[] = {
  { "en", "English" },
  { "cy", "Cymraeg" },
  { "pl", "Polski" },
  { "ro", "Română" },
  { "pt", "Português" },
  { "es", "Español" },
  { "lt", "Lietuvių" },
  { "bg", "Български" },
  { "uk", "Українська" },
  { "ru", "Русский" },
  { "pa", "ਪੰਜਾਬੀ" },
  { "bn", "বাংলা" },
  { "gu", "ગુજરાતી" },
  { "so", "Soomaali" },
  { "ur", "اردو" },
  { "ar", "العربية" },
  { "fa", "فارسی" },
  { "ps", "پښتو" },
};

const HircPageSpec *
hirc_journey_get_pages (guint *n_pages)
{
  *n_pages = G_N_ELEMENTS (pages);
  return pages;
}

const HircLanguage *
hirc_journey_get_languages (guint *n_languages)
{
  *n_languages = G_N_ELEMENTS (languages);
  return languages;
}
