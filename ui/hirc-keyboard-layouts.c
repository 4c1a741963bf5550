/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-keyboard-layouts.c: the on-screen keyboard's layouts as data: the keys of every page of
 * every offered language, and the few labels a key's own text cannot provide. */

#include "config.h"

#include "hirc-keyboard-layouts.h"

#include <string.h>

/* Latin: QWERTY, the arrangement on UK keyboards and phones. The apostrophe is on the letter page
 * because Somali spells the glottal stop with it, and English and Welsh need it too. */
static const char *const latin_letters[] = {
  "q w e r t y u i o p",
  "a s d f g h j k l '",
  "z x c v b n m",
  NULL
};

static const char *const latin_symbols[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "@ # £ € & - + ( ) /",
  "? ! \" : ; % * _ =",
  NULL
};

/* Welsh: the circumflex (to bach) and diaeresis letters, then the grave and acute ones. */
static const char *const welsh_accents[] = {
  "â ê î ô û ŵ ŷ ä ë ï ö ü ẅ ÿ",
  "à è ì ò ù ẁ ỳ á é í ó ú ẃ ý",
  NULL
};

static const char *const polish_accents[] = { "ą ć ę ł ń ó ś ź ż", NULL };
/* Comma-below ș and ț, the correct Romanian letters, not the cedilla look-alikes ş and ţ. */
static const char *const romanian_accents[] = { "ă â î ș ț", NULL };
static const char *const portuguese_accents[] = { "á â ã à ç é ê í ó ô õ ú", NULL };
static const char *const spanish_accents[] = { "á é í ó ú ü ñ ¿ ¡", NULL };
static const char *const lithuanian_accents[] = { "ą č ę ė į š ų ū ž", NULL };

/* Cyrillic: the national ЙЦУКЕН layouts. Ukrainian keeps ґ and the apostrophe (written ' as
 * most Ukrainian keyboards type it) where the Latin layout has its punctuation. */
static const char *const ukrainian_letters[] = {
  "й ц у к е н г ш щ з х ї",
  "ф і в а п р о л д ж є",
  "я ч с м и т ь б ю ґ '",
  NULL
};

static const char *const russian_letters[] = {
  "й ц у к е н г ш щ з х ъ",
  "ф ы в а п р о л д ж э",
  "я ч с м и т ь б ю ё",
  NULL
};

/* Bulgarian: the traditional phonetic layout (Windows "Bulgarian (Phonetic Traditional)"), on
 * which each letter sits on the Latin key that sounds like it. People who also type English
 * find it without learning BDS; ѝ is added because it is a word of its own. */
static const char *const bulgarian_letters[] = {
  "я в е р т ъ у и о п ш щ",
  "а с д ф г х й к л ю",
  "з ь ц ж б н м ч ѝ",
  NULL
};

static const char *const cyrillic_symbols[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "@ # £ € & - + ( ) /",
  "? ! \" : ; % * № =",
  NULL
};

/* Arabic script. The rows below are in reading order, right to left, because the keyboard lays
 * a right-to-left layout out mirrored: Backspace on the left, Shift on the right. The letters
 * keep their places on the standard Arabic (101), Farsi (ISIRI 9147) and Pashto keyboards, so
 * ض is still top left, and the digits still run 1 to 0 from the left as numbers are written.
 * In an editor that applies the bidirectional algorithm the rows read as the keys look.
 * Combining marks are written as escapes: U+064B..U+0652 fathatan, dammatan, kasratan, fatha,
 * damma, kasra, shadda, sukun; U+0670 superscript alef; U+200C the zero-width non-joiner that
 * Persian and Pashto spelling needs inside words. */
static const char *const arabic_letters[] = {
  "د ج ح خ ه ع غ ف ق ث ص ض",
  "ط ك م ن ت ا ل ب ي س ش",
  "ظ ز و ة ى ر ؤ ء ئ ذ",
  NULL
};

static const char *const arabic_shifted[] = {
  "\u0652 \u0651 \u064D \u0650 \u064C \u064F \u064B \u064E",
  "ـ لا ٱ آ إ أ",
  "! » « ؟ ؛ :",
  NULL
};

/* Urdu: the phonetic arrangement of the CRULP keyboard (ق on Q, و on W, ع on E, ر on R, ...),
 * the one most Urdu typists in Pakistan and the UK learnt. ھ and ں are on the first page
 * because Urdu uses them in everyday words (بھی, میں). */
static const char *const urdu_letters[] = {
  "پ ہ ی ء ے ت ر ع و ق",
  "ھ ل ک ج ح گ ف د س ا",
  "ں م ن ب ط چ ش ز",
  NULL
};

static const char *const urdu_shifted[] = {
  "\u064F ۃ \u0650 ئ ۓ ٹ ڑ \u0670 \u0651 \u0652",
  "\u064E خ ض ؤ غ أ ڈ ص آ",
  "ۂ \u064B ظ ث ژ ذ",
  NULL
};

static const char *const farsi_letters[] = {
  "چ ج ح خ ه ع غ ف ق ث ص ض",
  "گ ک م ن ت ا ل ب ی س ش",
  "و پ د ذ ر ز ژ ط ظ",
  NULL
};

static const char *const farsi_shifted[] = {
  "\u0652 \u064D \u064C \u064B \u0651 \u0650 \u064F \u064E",
  "ـ ة ء ئ ؤ إ أ آ",
  "! ؟ ؛ » « \u200C",
  NULL
};

static const char *const pashto_letters[] = {
  "چ ج ح خ ه ع غ ف ق ث ص ض",
  "ګ ک م ن ت ا ل ب ی س ش",
  "و پ د ذ ر ز ط ظ ښ",
  NULL
};

static const char *const pashto_shifted[] = {
  "ئ ي ۍ ې ڼ څ ځ ژ ږ ړ ډ ټ",
  "\u0652 \u064B \u0651 \u0650 \u064F \u064E ۀ ؤ ء أ آ",
  "ـ ؟ ؛ » « \u200C",
  NULL
};

static const char *const arabic_symbols[] = {
  "٠ ٩ ٨ ٧ ٦ ٥ ٤ ٣ ٢ ١",
  "0 9 8 7 6 5 4 3 2 1",
  "/ - ) ( \" : ؛ ' ! ؟",
  "» « _ * = + % £ # @",
  NULL
};

static const char *const persian_symbols[] = {
  "۰ ۹ ۸ ۷ ۶ ۵ ۴ ۳ ۲ ۱",
  "0 9 8 7 6 5 4 3 2 1",
  "/ - ) ( \" : ؛ ' ! ؟",
  "» « _ * = + % £ # @",
  NULL
};

/* Bengali, Gurmukhi and Gujarati: Inscript, the Government of India standard. The first page
 * has the vowel signs on the left and the unaspirated consonants on the right; Shift gives the
 * independent vowels and aspirated consonants on the same keys. Letters that Inscript leaves to
 * a third level are added to the Shift page. Nukta letters are typed decomposed (consonant +
 * nukta, written as escapes), the form Unicode normalisation gives them, so that the same word is
 * always the same text; ক্ষ and જ્ઞ are typed as their three-character sequences. */
static const char *const bengali_letters[] = {
  "ৌ ৈ া ী ূ ব হ গ দ জ ড ়",
  "ো ে ্ ি ু প র ক ত চ ট",
  "ং ম ন ল স য ৃ",
  NULL
};

static const char *const bengali_shifted[] = {
  "ঔ ঐ আ ঈ ঊ ভ ঙ ঘ ধ ঝ ঢ ঞ",
  "ও এ অ ই উ ফ ৎ খ থ ছ ঠ",
  "ঁ ণ শ ষ \u09AF\u09BC \u09A1\u09BC \u09A2\u09BC ঃ ঋ",
  NULL
};

static const char *const gurmukhi_letters[] = {
  "ੌ ੈ ਾ ੀ ੂ ਬ ਹ ਗ ਦ ਜ ਡ ਼",
  "ੋ ੇ ੍ ਿ ੁ ਪ ਰ ਕ ਤ ਚ ਟ",
  "ਂ ੰ ਮ ਨ ਵ ਲ ਸ ਯ ੱ",
  NULL
};

static const char *const gurmukhi_shifted[] = {
  "ਔ ਐ ਆ ਈ ਊ ਭ ਙ ਘ ਧ ਝ ਢ ਞ",
  "ਓ ਏ ਅ ਇ ਉ ਫ ੜ ਖ ਥ ਛ ਠ",
  "ਣ \u0A38\u0A3C \u0A16\u0A3C \u0A17\u0A3C \u0A1C\u0A3C \u0A2B\u0A3C \u0A32\u0A3C ੲ ੳ",
  NULL
};

static const char *const gujarati_letters[] = {
  "ૌ ૈ ા ી ૂ બ હ ગ દ જ ડ ઼",
  "ો ે ્ િ ુ પ ર ક ત ચ ટ",
  "ૉ ૅ ં મ ન વ લ સ ય ૃ",
  NULL
};

static const char *const gujarati_shifted[] = {
  "ઔ ઐ આ ઈ ઊ ભ ઙ ઘ ધ ઝ ઢ ઞ",
  "ઓ એ અ ઇ ઉ ફ ળ ખ થ છ ઠ",
  "ઑ ઍ ઁ ણ શ ષ ઃ ઋ ક્ષ જ્ઞ",
  NULL
};

static const char *const bengali_symbols[] = {
  "১ ২ ৩ ৪ ৫ ৬ ৭ ৮ ৯ ০",
  "1 2 3 4 5 6 7 8 9 0",
  "? ! \" : ; ( ) - / @",
  "# £ % + = * _ & ₹ '",
  NULL
};

static const char *const gurmukhi_symbols[] = {
  "੧ ੨ ੩ ੪ ੫ ੬ ੭ ੮ ੯ ੦",
  "1 2 3 4 5 6 7 8 9 0",
  "? ! \" : ; ( ) - / @",
  "# £ % + = * _ & ₹ '",
  NULL
};

static const char *const gujarati_symbols[] = {
  "૧ ૨ ૩ ૪ ૫ ૬ ૭ ૮ ૯ ૦",
  "1 2 3 4 5 6 7 8 9 0",
  "? ! \" : ; ( ) - / @",
  "# £ % + = * _ & ₹ '",
  NULL
};

#define LATIN(code, name, accents) \
  { code, name, "latin", FALSE, TRUE, accents, latin_letters, NULL, latin_symbols, ",", ".", \
    "abc", "?123" }
#define CYRILLIC(code, name, letters) \
  { code, name, "cyrillic", FALSE, TRUE, NULL, letters, NULL, cyrillic_symbols, ",", ".", \
    "абв", "?123" }

/* In the order the languages are offered on the kiosk's start page. */
static const HircKeyboardLayout layouts[] = {
  LATIN ("en", "English", NULL),
  LATIN ("cy", "Cymraeg", welsh_accents),
  LATIN ("pl", "Polski", polish_accents),
  LATIN ("ro", "Română", romanian_accents),
  LATIN ("pt", "Português", portuguese_accents),
  LATIN ("es", "Español", spanish_accents),
  LATIN ("lt", "Lietuvių", lithuanian_accents),
  CYRILLIC ("bg", "Български", bulgarian_letters),
  CYRILLIC ("uk", "Українська", ukrainian_letters),
  CYRILLIC ("ru", "Русский", russian_letters),
  { "pa", "ਪੰਜਾਬੀ", "gurmukhi", FALSE, FALSE, NULL, gurmukhi_letters, gurmukhi_shifted,
    gurmukhi_symbols, ",", "।", "ਕਖਗ", "?੧੨੩" },
  { "bn", "বাংলা", "bengali", FALSE, FALSE, NULL, bengali_letters, bengali_shifted,
    bengali_symbols, ",", "।", "কখগ", "?১২৩" },
  { "gu", "ગુજરાતી", "gujarati", FALSE, FALSE, NULL, gujarati_letters, gujarati_shifted,
    gujarati_symbols, ",", ".", "કખગ", "?૧૨૩" },
  LATIN ("so", "Soomaali", NULL),
  { "ur", "اردو", "arabic", TRUE, FALSE, NULL, urdu_letters, urdu_shifted, persian_symbols,
    "،", "۔", "ابپ", "؟۱۲۳" },
  { "ar", "العربية", "arabic", TRUE, FALSE, NULL, arabic_letters, arabic_shifted, arabic_symbols,
    "،", ".", "أبت", "؟١٢٣" },
  { "fa", "فارسی", "arabic", TRUE, FALSE, NULL, farsi_letters, farsi_shifted, persian_symbols,
    "،", ".", "ابپ", "؟۱۲۳" },
  { "ps", "پښتو", "arabic", TRUE, FALSE, NULL, pashto_letters, pashto_shifted, persian_symbols,
    "،", ".", "ابپ", "؟۱۲۳" },
};

/* Keys whose text shows nothing by itself. */
static const struct
{
  const char *text;
  const char *label;
} key_labels[] = {
  /* The zero-width non-joiner, by the name Persian and Pashto typists know it: "half space". */
  { "\u200C", "نیم‌فاصله" },
};

const HircKeyboardLayout *
hirc_keyboard_layouts_get (guint *n_layouts)
{
  g_return_val_if_fail (n_layouts != NULL, NULL);

  *n_layouts = G_N_ELEMENTS (layouts);
  return layouts;
}

/* Finds the layout for a language code or locale name such as "pt", "pt_BR", "pt-BR" or
 * "en_GB.UTF-8@easyread": only the language part decides, since every variant the kiosk offers
 * of a language types the same letters. */
const HircKeyboardLayout *
hirc_keyboard_layouts_lookup (const char *language)
{
  size_t length;

  g_return_val_if_fail (language != NULL, NULL);

  length = strcspn (language, "_-.@");
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      if (strlen (layouts[i].code) == length
          && g_ascii_strncasecmp (layouts[i].code, language, length) == 0)
        return &layouts[i];
    }
  return NULL;
}

/* The visible label of a key whose text is invisible, or NULL when the text labels itself. */
const char *
hirc_keyboard_layouts_key_label (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    {
      if (strcmp (key_labels[i].text, text) == 0)
        return key_labels[i].label;
    }
  return NULL;
}
