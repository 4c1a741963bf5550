/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ui-language.c: the languages the kiosk's screens are offered in. The list follows the
 * 2021 census's main languages and the languages of police reporting leaflets; each is named in
 * its own script, with no flags: a flag stands for a country, not a language. */

#include "config.h"

#include "hirc-ui-language.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

static const HircUiLanguage languages[] = {
  { "en", "en", "English", FALSE, "en_GB.UTF-8" },
  /* A whole alternative English text, written by a translator (po/en@easyread.po). */
  { "en@easyread", "en-easyread", "Easy Read English", FALSE, "en_GB.UTF-8" },
  { "cy", "cy", "Cymraeg", FALSE, "cy_GB.UTF-8" },
  { "pl", "pl", "Polski", FALSE, "pl_PL.UTF-8" },
  { "ro", "ro", "Română", FALSE, "ro_RO.UTF-8" },
  { "pt", "pt", "Português", FALSE, "pt_PT.UTF-8" },
  { "es", "es", "Español", FALSE, "es_ES.UTF-8" },
  { "lt", "lt", "Lietuvių", FALSE, "lt_LT.UTF-8" },
  { "bg", "bg", "Български", FALSE, "bg_BG.UTF-8" },
  { "uk", "uk", "Українська", FALSE, "uk_UA.UTF-8" },
  { "ru", "ru", "Русский", FALSE, "ru_RU.UTF-8" },
  { "pa", "pa", "ਪੰਜਾਬੀ", FALSE, "pa_IN.UTF-8" },
  { "bn", "bn", "বাংলা", FALSE, "bn_BD.UTF-8" },
  { "gu", "gu", "ગુજરાતી", FALSE, "gu_IN.UTF-8" },
  { "so", "so", "Soomaali", FALSE, "so_SO.UTF-8" },
  { "ur", "ur", "اردو", TRUE, "ur_PK.UTF-8" },
  { "ar", "ar", "العربية", TRUE, "ar_EG.UTF-8" },
  { "fa", "fa", "فارسی", TRUE, "fa_IR.UTF-8" },
  { "ps", "ps", "پښتو", TRUE, "ps_AF.UTF-8" },
};

/* The month and weekday names of the language applied last: the process locale with that
 * language's LC_TIME, or 0 before any language is applied or when its locale is not installed. */
static locale_t time_locale;

/* gettext switches language through LANGUAGE, but month and weekday names come from the C
 * library's locale data, which follows the process locale. uselocale() can lend a thread other
 * names for one call without touching the process, which other threads share. */
static void
set_time_locale (const HircUiLanguage *language)
{
  locale_t base;
  locale_t chosen;

  if (time_locale != (locale_t) 0)
    {
      freelocale (time_locale);
      time_locale = (locale_t) 0;
    }
  base = duplocale (LC_GLOBAL_LOCALE);
  if (base == (locale_t) 0)
    return;
  chosen = newlocale (LC_TIME_MASK, language->locale, base);
  if (chosen == (locale_t) 0)
    {
      /* Not generated on this machine (.ci/setup lists them): dates keep the process's names. */
      g_message ("language: the locale %s is not installed; dates are written in the process "
                 "locale's language", language->locale);
      freelocale (base);
      return;
    }
  time_locale = chosen;
}

const HircUiLanguage *
hirc_ui_languages (guint *n_languages)
{
  g_return_val_if_fail (n_languages != NULL, NULL);

  *n_languages = G_N_ELEMENTS (languages);
  return languages;
}

const HircUiLanguage *
hirc_ui_language_find (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (languages[i].code, code))
      return &languages[i];
  return NULL;
}

void
hirc_ui_language_apply (const char *code)
{
  const HircUiLanguage *language = hirc_ui_language_find (code);

  g_return_if_fail (language != NULL);

  /* gettext reads LANGUAGE at every lookup, before the locale's own language (unless the locale
   * is "C", which hirc-kiosk-main.c avoids), and naming the default domain again tells it to
   * forget the translations it has cached: the gettext manual's way to change language in a
   * running program. GTK's own words (a text field's menu) follow too. The session sets
   * LANGUAGE before it starts any thread, so that this only ever replaces the value of a
   * variable that exists, which glibc does without moving the environment. */
  g_setenv ("LANGUAGE", language->code, TRUE);
  textdomain (GETTEXT_PACKAGE);
  gtk_widget_set_default_direction (language->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  set_time_locale (language);
}

char *
hirc_ui_language_format_date_time (GDateTime  *time,
                                   const char *format)
{
  locale_t previous;
  char *text;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  if (time_locale == (locale_t) 0)
    return g_date_time_format (time, format);
  previous = uselocale (time_locale);
  text = g_date_time_format (time, format);
  uselocale (previous);
  return text;
}

PangoAttrList *
hirc_ui_language_attributes (const HircUiLanguage *language)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  g_return_val_if_fail (language != NULL, attributes);

  pango_attr_list_insert (attributes,
                          pango_attr_language_new (pango_language_from_string (language->tag)));
  return attributes;
}
