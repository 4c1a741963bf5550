/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ui-language.c: the languages the kiosk's screens are offered in. The list follows the
 * 2021 census's main languages and the languages of police reporting leaflets; each is named in
 * its own script, with no flags: a flag stands for a country, not a language. */

#include "config.h"

#include "hirc-ui-language.h"

#include <glib/gi18n-lib.h>

static const HircUiLanguage languages[] = {
  { "en", "en", "English", FALSE },
  /* A whole alternative English text, written by a translator (po/en@easyread.po). */
  { "en@easyread", "en-easyread", "Easy Read English", FALSE },
  { "cy", "cy", "Cymraeg", FALSE },
  { "pl", "pl", "Polski", FALSE },
  { "ro", "ro", "Română", FALSE },
  { "pt", "pt", "Português", FALSE },
  { "es", "es", "Español", FALSE },
  { "lt", "lt", "Lietuvių", FALSE },
  { "bg", "bg", "Български", FALSE },
  { "uk", "uk", "Українська", FALSE },
  { "ru", "ru", "Русский", FALSE },
  { "pa", "pa", "ਪੰਜਾਬੀ", FALSE },
  { "bn", "bn", "বাংলা", FALSE },
  { "gu", "gu", "ગુજરાતી", FALSE },
  { "so", "so", "Soomaali", FALSE },
  { "ur", "ur", "اردو", TRUE },
  { "ar", "ar", "العربية", TRUE },
  { "fa", "fa", "فارسی", TRUE },
  { "ps", "ps", "پښتو", TRUE },
};

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
