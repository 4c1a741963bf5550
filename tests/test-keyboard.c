/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-keyboard.c: the on-screen keyboard typed through its own keys, found by accessible name:
 * every key of every layout, phrases, Backspace, Shift, layout switching, key sizes, mirroring
 * and following the focus. Needs a display (Xvfb) and GTK_A11Y=test. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "hirc-keyboard.h"
#include "hirc-keyboard-layouts.h"
#include "hirc-ui.h"

/* How long a test waits for something the main loop should bring about. */
#define WAIT_SECONDS 10

typedef struct
{
  GtkWindow    *window;
  HircKeyboard *keyboard;
  GtkEntry     *entry;
  GtkTextView  *text_view;
  guint         activations;
} Fixture;

/* Letters each language needs, written independently of the layout tables: the alphabet (with
 * the letters that carry a nukta typed decomposed, as the keyboard types them). */
static const struct
{
  const char *code;
  const char *letters;
} alphabets[] = {
  { "en", "a b c d e f g h i j k l m n o p q r s t u v w x y z '" },
  { "cy", "a b c d e f g h i j l m n o p r s t u w y â ê î ô û ŵ ŷ ä ë ï ö ü ẅ ÿ à è ì ò ù ẁ ỳ "
          "á é í ó ú ẃ ý '" },
  { "pl", "a ą b c ć d e ę f g h i j k l ł m n ń o ó p r s ś t u w y z ź ż" },
  { "ro", "a ă â b c d e f g h i î j k l m n o p q r s ș t ț u v w x y z" },
  { "pt", "a á â ã à b c ç d e é ê f g h i í j k l m n o ó ô õ p q r s t u ú v w x y z" },
  { "es", "a á b c d e é f g h i í j k l m n ñ o ó p q r s t u ú ü v w x y z ¿ ¡" },
  { "lt", "a ą b c č d e ę ė f g h i į y j k l m n o p r s š t u ų ū v z ž" },
  { "so", "a b c d e f g h i j k l m n o q r s t u w x y '" },
  { "uk", "а б в г ґ д е є ж з и і ї й к л м н о п р с т у ф х ц ч ш щ ь ю я '" },
  { "ru", "а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я" },
  { "bg", "а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ь ю я ѝ" },
  { "ar", "ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي ء أ إ آ ؤ ئ ة ى "
          "\u064E \u064F \u0650 \u0651 \u0652 \u064B \u064C \u064D" },
  { "ur", "ا آ ب پ ت ٹ ث ج چ ح خ د ڈ ذ ر ڑ ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن ں و ہ ھ ء ی ے "
          "ۓ ئ ؤ ۃ" },
  { "fa", "ا آ ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی ء \u200C" },
  { "ps", "ا آ ب پ ت ټ ث ج ځ چ څ ح خ د ډ ذ ر ړ ز ژ ږ س ش ښ ص ض ط ظ ع غ ف ق ک ګ ل م ن ڼ و ه "
          "ۀ ی ي ې ۍ ئ \u200C" },
  { "bn", "অ আ ই ঈ উ ঊ ঋ এ ঐ ও ঔ ক খ গ ঘ ঙ চ ছ জ ঝ ঞ ট ঠ ড ঢ ণ ত থ দ ধ ন প ফ ব ভ ম য র ল শ ষ "
          "স হ ৎ \u09A1\u09BC \u09A2\u09BC \u09AF\u09BC া ি ী ু ূ ৃ ে ৈ ো ৌ ্ ং ঃ ঁ ় "
          "০ ১ ২ ৩ ৪ ৫ ৬ ৭ ৮ ৯ ।" },
  { "pa", "ਅ ਆ ਇ ਈ ਉ ਊ ਏ ਐ ਓ ਔ ੲ ੳ ਸ ਹ ਕ ਖ ਗ ਘ ਙ ਚ ਛ ਜ ਝ ਞ ਟ ਠ ਡ ਢ ਣ ਤ ਥ ਦ ਧ ਨ ਪ ਫ ਬ ਭ "
          "ਮ ਯ ਰ ਲ ਵ ੜ \u0A38\u0A3C \u0A16\u0A3C \u0A17\u0A3C \u0A1C\u0A3C \u0A2B\u0A3C "
          "\u0A32\u0A3C ਾ ਿ ੀ ੁ ੂ ੇ ੈ ੋ ੌ ੍ ਂ ੰ ੱ ਼ ੦ ੧ ੨ ੩ ੪ ੫ ੬ ੭ ੮ ੯ ।" },
  { "gu", "અ આ ઇ ઈ ઉ ઊ ઋ એ ઐ ઓ ઔ ઍ ઑ ક ખ ગ ઘ ઙ ચ છ જ ઝ ઞ ટ ઠ ડ ઢ ણ ત થ દ ધ ન પ ફ બ ભ મ ય ર "
          "લ વ શ ષ સ હ ળ ક્ષ જ્ઞ ા િ ી ુ ૂ ૃ ે ૈ ો ૌ ૅ ૉ ્ ં ઃ ઁ ઼ ૦ ૧ ૨ ૩ ૪ ૫ ૬ ૭ ૮ ૯" },
};

/* A phrase per layout, typed by the accessible names of its keys. */
static const struct
{
  const char *code;
  const char *keys;
  const char *expected;
} phrases[] = {
  { "en", "Shift H e l l o Space w o r l d", "Hello world" },
  { "cy", "t ŷ Space Shift C y m r u", "tŷ Cymru" },
  { "pl", "Shift Ł ó d ź Space ż ó ł w", "Łódź żółw" },
  { "ro", "m u l ț u m e s c Space Shift Ș i", "mulțumesc Și" },
  { "pt", "n ã o Space Shift Ç a", "não Ça" },
  { "es", "a ñ o Space ¿", "año ¿" },
  { "lt", "a č i ū", "ačiū" },
  { "so", "m a h a d s a n i d Space s a ' a d", "mahadsanid sa'ad" },
  { "bg", "з д р а в е й Space ѝ", "здравей ѝ" },
  { "uk", "Shift Ї ж а к Space м ' я ч", "Їжак м'яч" },
  { "ru", "ё ж Space Shift Ъ", "ёж Ъ" },
  { "ar", "م ر ح ب ا Space Shift \u064E", "مرحبا \u064E" },
  { "ur", "ش ک ر ی ہ Space Shift ٹ ھ ی ک Space Shift ڑ", "شکریہ ٹھیک ڑ" },
  { "fa", "م ی Shift نیم‌فاصله خ و ا ه م", "می\u200Cخواهم" },
  { "ps", "م ن ن ه Space Shift ټ", "مننه ټ" },
  { "bn", "Shift ধ ন ্ য ব া দ", "ধন্যবাদ" },
  { "pa", "Shift ਧ ੰ ਨ ਵ ਾ ਦ", "ਧੰਨਵਾਦ" },
  { "gu", "Shift આ Shift ભ ા ર", "આભાર" },
};

static void
wait_until (gboolean *condition)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!*condition)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
set_true_cb (gpointer  instance,
             gboolean *flag)
{
  *flag = TRUE;
}

/* Waits for the window to draw a frame, by which time it has been laid out. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (set_true_cb), &painted);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
  wait_until (&painted);
  g_signal_handler_disconnect (clock, handler);
}

static GtkWidget *
find_key (HircKeyboard *keyboard,
          const char   *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (keyboard));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *mismatch = NULL;

      if (!gtk_widget_get_visible (child))
        continue;
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (child),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      if (mismatch == NULL)
        return child;
    }
  return NULL;
}

static void
press (HircKeyboard *keyboard,
       const char   *name)
{
  GtkWidget *key = find_key (keyboard, name);

  if (key == NULL)
    g_error ("no key named \"%s\" on the %s keyboard", name, hirc_keyboard_get_layout (keyboard));
  g_signal_emit_by_name (key, "clicked");
}

/* Presses the keys named in `names`, separated by spaces, or by "|" if a name has a space. */
static void
press_all (HircKeyboard *keyboard,
           const char   *names)
{
  g_auto(GStrv) keys = g_strsplit (names, strchr (names, '|') != NULL ? "|" : " ", -1);

  for (guint i = 0; keys[i] != NULL; i++)
    press (keyboard, keys[i]);
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
clear_fields (Fixture *fixture)
{
  gtk_editable_set_text (GTK_EDITABLE (fixture->entry), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (fixture->text_view), "", -1);
}

/* The visible keys that type, with the text each types. */
static GPtrArray *
typing_keys (HircKeyboard *keyboard)
{
  GPtrArray *keys = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (keyboard));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_visible (child)
          && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)),
                        "keyboard.type") == 0)
        g_ptr_array_add (keys, child);
    }
  return keys;
}

static const char *
key_text (GtkWidget *key)
{
  return g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (key)),
                               NULL);
}

static void
activate_cb (GtkEntry *entry,
             Fixture  *fixture)
{
  fixture->activations++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  fixture->window = GTK_WINDOW (g_object_ref (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, 1280, 800);
  fixture->entry = GTK_ENTRY (gtk_entry_new ());
  fixture->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  fixture->keyboard = HIRC_KEYBOARD (hirc_keyboard_new ());
  fixture->activations = 0;
  g_signal_connect (fixture->entry, "activate", G_CALLBACK (activate_cb), fixture);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (fixture->text_view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->entry));
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->keyboard));
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);
  wait_for_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
}

/* Every key of every page of every layout types exactly its text into an entry and a text view,
 * and that text is in Unicode normal form C. */
static void
test_every_key (Fixture       *fixture,
                gconstpointer  data)
{
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);
  GtkWidget *targets[] = { GTK_WIDGET (fixture->entry), GTK_WIDGET (fixture->text_view) };

  for (guint i = 0; i < n_layouts; i++)
    {
      for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
        {
          /* The letters, the letters with Shift kept on (Shift tapped twice), the numbers. */
          const char *const pages[] = { NULL, "Shift|Shift", "Shift|Numbers and symbols" };
          g_autoptr(GString) expected = g_string_new (NULL);
          g_autofree char *typed = NULL;

          g_assert_true (hirc_keyboard_set_layout (fixture->keyboard, layouts[i].code));
          hirc_keyboard_set_target (fixture->keyboard, targets[t]);
          clear_fields (fixture);

          for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
            {
              g_autoptr(GPtrArray) keys = NULL;

              if (pages[p] != NULL)
                press_all (fixture->keyboard, pages[p]);
              keys = typing_keys (fixture->keyboard);
              g_assert_cmpuint (keys->len, >, 10);
              for (guint k = 0; k < keys->len; k++)
                {
                  const char *text = key_text (g_ptr_array_index (keys, k));
                  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

                  g_assert_true (g_utf8_validate (text, -1, NULL));
                  g_assert_cmpstr (text, ==, nfc);
                  g_string_append (expected, text);
                  g_signal_emit_by_name (g_ptr_array_index (keys, k), "clicked");
                }
            }

          if (t == 0)
            typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)));
          else
            typed = text_view_text (fixture->text_view);
          g_assert_cmpstr (typed, ==, expected->str);
        }
    }
}

/* Each language's whole alphabet can be typed: every letter is a key on some page. */
static void
test_alphabets (Fixture       *fixture,
                gconstpointer  data)
{
  guint n_layouts;

  hirc_keyboard_layouts_get (&n_layouts);
  g_assert_cmpuint (G_N_ELEMENTS (alphabets), ==, n_layouts);

  for (guint i = 0; i < G_N_ELEMENTS (alphabets); i++)
    {
      const HircKeyboardLayout *layout = hirc_keyboard_layouts_lookup (alphabets[i].code);
      const char *const pages[] = { NULL, "Shift|Shift", "Shift|Numbers and symbols" };
      g_autoptr(GHashTable) reachable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
      g_auto(GStrv) letters = g_strsplit (alphabets[i].letters, " ", -1);

      g_assert_nonnull (layout);
      hirc_keyboard_set_layout (fixture->keyboard, alphabets[i].code);
      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          g_autoptr(GPtrArray) keys = NULL;

          if (pages[p] != NULL)
            press_all (fixture->keyboard, pages[p]);
          keys = typing_keys (fixture->keyboard);
          for (guint k = 0; k < keys->len; k++)
            g_hash_table_add (reachable, g_strdup (key_text (g_ptr_array_index (keys, k))));
        }

      for (guint l = 0; letters[l] != NULL; l++)
        {
          if (!g_hash_table_contains (reachable, letters[l]))
            g_error ("%s: no key types \"%s\"", alphabets[i].code, letters[l]);
          /* Where Shift means capitals, every letter's capital is there too. */
          if (layout->shift_is_case)
            {
              g_autofree char *capital = g_utf8_strup (letters[l], -1);

              g_assert_true (g_hash_table_contains (reachable, capital));
            }
        }
    }
}

static void
test_phrases (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *targets[] = { GTK_WIDGET (fixture->entry), GTK_WIDGET (fixture->text_view) };

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
        {
          g_autofree char *typed = NULL;

          hirc_keyboard_set_layout (fixture->keyboard, phrases[i].code);
          hirc_keyboard_set_target (fixture->keyboard, targets[t]);
          clear_fields (fixture);
          press_all (fixture->keyboard, phrases[i].keys);
          if (t == 0)
            typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)));
          else
            typed = text_view_text (fixture->text_view);
          g_assert_cmpstr (typed, ==, phrases[i].expected);
        }
    }
}

/* Typing goes over a selection and puts the cursor after what was typed, in mid-text too. */
static void
test_insert_at_cursor (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkEditable *entry = GTK_EDITABLE (fixture->entry);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (fixture->text_view);
  GtkTextIter start;
  GtkTextIter end;
  g_autofree char *text = NULL;

  hirc_keyboard_set_layout (fixture->keyboard, "pl");
  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->entry));
  gtk_editable_set_text (entry, "zolw");
  gtk_editable_select_region (entry, 1, 2);
  press (fixture->keyboard, "ó");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 2);
  gtk_editable_set_position (entry, 3);
  press (fixture->keyboard, "ł");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "zólłw");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 4);

  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->text_view));
  gtk_text_buffer_set_text (buffer, "zolw", -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, 1);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, 2);
  gtk_text_buffer_select_range (buffer, &start, &end);
  press (fixture->keyboard, "ó");
  text = text_view_text (fixture->text_view);
  g_assert_cmpstr (text, ==, "zólw");

  /* A field that cannot be edited is left as it is. */
  gtk_editable_set_editable (entry, FALSE);
  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->entry));
  press (fixture->keyboard, "ż");
  press (fixture->keyboard, "Backspace");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "zólłw");
}

/* Backspace on text ending in `before` leaves `after`: the whole of what the reader sees as one
 * character in Latin and Cyrillic, one code point of it in Arabic and Indic scripts (as GtkText
 * does), and never half of a precomposed character. */
static const struct
{
  const char *before;
  const char *after;
} backspaces[] = {
  { "ab", "a" },
  { "Łódź", "Łód" },
  { "cafe\u0301", "caf" },                 /* e + combining acute goes together */
  { "и\u0306", "" },                       /* Cyrillic и + breve (й decomposed) */
  { "їжак", "їжа" },
  { "\u0628\u064E", "\u0628" },            /* Arabic beh + fatha: the fatha goes */
  { "\u0645\u0631\u062D\u0628\u0627", "\u0645\u0631\u062D\u0628" },
  { "\u0995\u09BF", "\u0995" },            /* Bengali ka + vowel sign i: the sign goes */
  { "\u09A1\u09BC", "\u09A1" },            /* Bengali dda + nukta */
  { "\u09DC", "" },                        /* precomposed rra on its own goes whole */
  { "\u09DC\u09BF", "\u09A1\u09BC" },        /* precomposed rra + sign i: the sign goes */
  { "\u0A27\u0A70", "\u0A27" },            /* Gurmukhi dha + tippi */
  { "\u0A95\u0ACD\u0AB7", "\u0A95\u0ACD" }, /* Gujarati kssa: one code point at a time */
  { "", "" },
};

static void
test_backspace (Fixture       *fixture,
                gconstpointer  data)
{
  GtkEditable *entry = GTK_EDITABLE (fixture->entry);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (fixture->text_view);

  for (guint i = 0; i < G_N_ELEMENTS (backspaces); i++)
    {
      g_autofree char *text = NULL;

      hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->entry));
      gtk_editable_set_text (entry, backspaces[i].before);
      gtk_editable_set_position (entry, -1);
      press (fixture->keyboard, "Backspace");
      g_assert_cmpstr (gtk_editable_get_text (entry), ==, backspaces[i].after);

      hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->text_view));
      gtk_text_buffer_set_text (buffer, backspaces[i].before, -1);
      press (fixture->keyboard, "Backspace");
      text = text_view_text (fixture->text_view);
      g_assert_cmpstr (text, ==, backspaces[i].after);
    }

  /* In mid-text, at the start, and over a selection. */
  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->entry));
  gtk_editable_set_text (entry, "abc");
  gtk_editable_set_position (entry, 2);
  press (fixture->keyboard, "Backspace");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "ac");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 1);
  gtk_editable_set_position (entry, 0);
  press (fixture->keyboard, "Backspace");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "ac");
  gtk_editable_set_text (entry, "hello");
  gtk_editable_select_region (entry, 1, 3);
  press (fixture->keyboard, "Backspace");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "hlo");
}

/* Enter activates a one-line field and starts a new line in a text view. */
static void
test_enter (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *text = NULL;

  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->entry));
  press_all (fixture->keyboard, "a Enter");
  g_assert_cmpuint (fixture->activations, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "a");

  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->text_view));
  press_all (fixture->keyboard, "a Enter b");
  text = text_view_text (fixture->text_view);
  g_assert_cmpstr (text, ==, "a\nb");
  g_assert_cmpuint (fixture->activations, ==, 1);

  /* With no target the keys do nothing, and say nothing. */
  hirc_keyboard_set_target (fixture->keyboard, NULL);
  press_all (fixture->keyboard, "a Enter Backspace");
}

static void
test_shift (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *shift;

  hirc_keyboard_set_target (fixture->keyboard, GTK_WIDGET (fixture->entry));
  shift = find_key (fixture->keyboard, "Shift");
  g_assert_nonnull (shift);
  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_FALSE);

  /* One tap: capitals for one letter. */
  press (fixture->keyboard, "Shift");
  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_TRUE);
  g_assert_null (find_key (fixture->keyboard, "q"));
  press_all (fixture->keyboard, "Q q");
  g_assert_null (find_key (fixture->keyboard, "Q"));

  /* Two taps: capitals until a third. */
  press_all (fixture->keyboard, "Shift Shift A B Shift c");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "QqABc");
  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_FALSE);

  /* Where Shift is a second page, it works the same way. */
  gtk_editable_set_text (GTK_EDITABLE (fixture->entry), "");
  hirc_keyboard_set_layout (fixture->keyboard, "bn");
  g_assert_null (find_key (fixture->keyboard, "আ"));
  press_all (fixture->keyboard, "Shift আ ম");
  g_assert_null (find_key (fixture->keyboard, "আ"));
  press_all (fixture->keyboard, "Shift Shift আ ই Shift ক");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "আমআইক");

  /* The numbers page has no Shift, and leaving it finds Shift off. */
  press_all (fixture->keyboard, "Shift|Numbers and symbols");
  g_assert_null (find_key (fixture->keyboard, "Shift"));
  press (fixture->keyboard, "Letters");
  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_FALSE);
  g_assert_nonnull (find_key (fixture->keyboard, "ক"));
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_switch_layout (Fixture       *fixture,
                    gconstpointer  data)
{
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);
  guint notifications = 0;

  g_signal_connect (fixture->keyboard, "notify::layout", G_CALLBACK (notify_cb), &notifications);
  g_assert_cmpstr (hirc_keyboard_get_layout (fixture->keyboard), ==, "en");

  /* Every layout can be reached from every other by its native name. */
  for (guint i = 0; i < n_layouts; i++)
    {
      guint next = (i + 1) % n_layouts;

      hirc_keyboard_set_layout (fixture->keyboard, layouts[i].code);
      press (fixture->keyboard, "Switch keyboard layout");
      g_assert_null (find_key (fixture->keyboard, "Space"));
      press (fixture->keyboard, layouts[next].native_name);
      g_assert_cmpstr (hirc_keyboard_get_layout (fixture->keyboard), ==, layouts[next].code);
      g_assert_nonnull (find_key (fixture->keyboard, "Space"));
    }

  /* The list closes again without a change, by its key or by the layout already chosen. */
  notifications = 0;
  press_all (fixture->keyboard, "Switch keyboard layout|Switch keyboard layout");
  g_assert_nonnull (find_key (fixture->keyboard, "Space"));
  press (fixture->keyboard, "Switch keyboard layout");
  press (fixture->keyboard, layouts[0].native_name);
  g_assert_nonnull (find_key (fixture->keyboard, "Space"));
  g_assert_cmpuint (notifications, ==, 0);

  /* Locale names find their language; an unknown language gets English. */
  g_assert_true (hirc_keyboard_set_layout (fixture->keyboard, "pt_BR.UTF-8"));
  g_assert_cmpstr (hirc_keyboard_get_layout (fixture->keyboard), ==, "pt");
  g_assert_true (hirc_keyboard_set_layout (fixture->keyboard, "en_GB@easyread"));
  g_assert_cmpstr (hirc_keyboard_get_layout (fixture->keyboard), ==, "en");
  g_assert_true (hirc_keyboard_set_layout (fixture->keyboard, "pa-IN"));
  g_object_set (fixture->keyboard, "layout", "ur", NULL);
  g_assert_cmpstr (hirc_keyboard_get_layout (fixture->keyboard), ==, "ur");
  g_assert_false (hirc_keyboard_set_layout (fixture->keyboard, "xx"));
  g_assert_cmpstr (hirc_keyboard_get_layout (fixture->keyboard), ==, "en");
  g_assert_cmpuint (notifications, ==, 5);
  g_assert_false (hirc_keyboard_set_layout (fixture->keyboard, "tlh"));
  g_assert_cmpuint (notifications, ==, 5);
}

typedef struct
{
  graphene_rect_t bounds;
  GtkWidget      *key;
} KeyBox;

static int
compare_boxes (gconstpointer a,
               gconstpointer b)
{
  const KeyBox *first = a;
  const KeyBox *second = b;

  if (first->bounds.origin.y != second->bounds.origin.y)
    return first->bounds.origin.y < second->bounds.origin.y ? -1 : 1;
  return first->bounds.origin.x < second->bounds.origin.x ? -1 : 1;
}

/* Every key is at least 48 x 48 with at least 6 px between neighbours, the keyboard fits a
 * 1280 px wide window, and no label has a glyph its fonts lack (drawn as a box), on every page of
 * every layout. */
static void
check_key_sizes (Fixture *fixture)
{
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (KeyBox));
  GtkWidget *keyboard = GTK_WIDGET (fixture->keyboard);

  wait_for_frame (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, 1280);

  for (GtkWidget *child = gtk_widget_get_first_child (keyboard);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      KeyBox box = { .key = child };
      GtkWidget *label;
      PangoLayout *layout;

      if (!gtk_widget_get_visible (child))
        continue;
      label = gtk_button_get_child (GTK_BUTTON (child));
      g_assert_true (GTK_IS_LABEL (label));
      layout = gtk_label_get_layout (GTK_LABEL (label));
      g_assert_cmpint (pango_layout_get_unknown_glyphs_count (layout), ==, 0);
      g_assert_true (gtk_widget_compute_bounds (child, keyboard, &box.bounds));
      g_assert_cmpfloat (box.bounds.size.width, >=, 48);
      g_assert_cmpfloat (box.bounds.size.height, >=, 48);
      g_assert_cmpfloat (box.bounds.origin.x, >=, 0);
      g_assert_cmpfloat (box.bounds.origin.x + box.bounds.size.width, <=,
                         gtk_widget_get_width (keyboard));
      g_array_append_val (boxes, box);
    }
  g_assert_cmpuint (boxes->len, >, 10);

  g_array_sort (boxes, compare_boxes);
  for (guint i = 1; i < boxes->len; i++)
    {
      const KeyBox *left = &g_array_index (boxes, KeyBox, i - 1);
      const KeyBox *right = &g_array_index (boxes, KeyBox, i);

      if (left->bounds.origin.y == right->bounds.origin.y)
        g_assert_cmpfloat (right->bounds.origin.x - (left->bounds.origin.x
                                                     + left->bounds.size.width), >=, 6);
      else
        g_assert_cmpfloat (right->bounds.origin.y - (left->bounds.origin.y
                                                     + left->bounds.size.height), >=, 6);
    }
}

static void
test_key_sizes (Fixture       *fixture,
                gconstpointer  data)
{
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);

  for (guint i = 0; i < n_layouts; i++)
    {
      hirc_keyboard_set_layout (fixture->keyboard, layouts[i].code);
      check_key_sizes (fixture);
      press (fixture->keyboard, "Shift");
      check_key_sizes (fixture);
      press (fixture->keyboard, "Numbers and symbols");
      check_key_sizes (fixture);
      press (fixture->keyboard, "Switch keyboard layout");
      check_key_sizes (fixture);
      press (fixture->keyboard, "Switch keyboard layout");
    }
}

static double
key_centre (HircKeyboard *keyboard,
            const char   *name)
{
  GtkWidget *key = find_key (keyboard, name);
  graphene_rect_t bounds;

  g_assert_nonnull (key);
  g_assert_true (gtk_widget_compute_bounds (key, GTK_WIDGET (keyboard), &bounds));
  return bounds.origin.x + bounds.size.width / 2;
}

/* Right-to-left layouts are mirrored: the first key of a row in reading order is on the right,
 * Backspace on the left and Shift on the right; left-to-right ones the other way round. */
static void
test_mirroring (Fixture       *fixture,
                gconstpointer  data)
{
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);

  for (guint i = 0; i < n_layouts; i++)
    {
      g_auto(GStrv) first_row = g_strsplit (layouts[i].letters[0], " ", -1);
      guint last = g_strv_length (first_row) - 1;
      double middle;
      double first_x;
      double last_x;

      hirc_keyboard_set_layout (fixture->keyboard, layouts[i].code);
      wait_for_frame (GTK_WIDGET (fixture->window));
      middle = gtk_widget_get_width (GTK_WIDGET (fixture->keyboard)) / 2.0;
      first_x = key_centre (fixture->keyboard, first_row[0]);
      last_x = key_centre (fixture->keyboard, first_row[last]);

      if (layouts[i].rtl)
        {
          g_assert_cmpfloat (first_x, >, middle);
          g_assert_cmpfloat (last_x, <, middle);
          g_assert_cmpfloat (key_centre (fixture->keyboard, "Backspace"), <,
                             key_centre (fixture->keyboard, "Shift"));
          g_assert_cmpfloat (key_centre (fixture->keyboard, "Enter"), <,
                             key_centre (fixture->keyboard, "Switch keyboard layout"));
        }
      else
        {
          g_assert_cmpfloat (first_x, <, middle);
          g_assert_cmpfloat (last_x, >, middle);
          g_assert_cmpfloat (key_centre (fixture->keyboard, "Backspace"), >,
                             key_centre (fixture->keyboard, "Shift"));
        }
    }
  g_assert_true (hirc_keyboard_set_layout (fixture->keyboard, "ar"));
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (fixture->keyboard)), ==,
                   GTK_TEXT_DIR_RTL);
  g_assert_true (hirc_keyboard_set_layout (fixture->keyboard, "bn"));
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (fixture->keyboard)), ==,
                   GTK_TEXT_DIR_LTR);
}

/* Every key is a button with a name, and the name of a key that types is what it types (or, for
 * a character with no visible form, its label). */
static void
check_accessible_keys (HircKeyboard *keyboard)
{
  guint n_keys = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (keyboard));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *action;

      if (!gtk_widget_get_visible (child))
        continue;
      n_keys++;
      gtk_test_accessible_assert_role (child, GTK_ACCESSIBLE_ROLE_BUTTON);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (child),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_false (gtk_widget_get_focusable (child));
      g_assert_false (gtk_widget_get_focus_on_click (child));

      action = gtk_actionable_get_action_name (GTK_ACTIONABLE (child));
      if (g_strcmp0 (action, "keyboard.type") == 0 && g_strcmp0 (key_text (child), " ") != 0)
        {
          const char *text = key_text (child);
          const char *label = hirc_keyboard_layouts_key_label (text);

          g_assert_cmpstr (text, !=, "");
          g_assert_true (find_key (keyboard, label != NULL ? label : text) != NULL);
          gtk_test_accessible_assert_property (child, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               label != NULL ? label : text);
        }
    }
  g_assert_cmpuint (n_keys, >, 10);

  g_assert_nonnull (find_key (keyboard, "Backspace"));
  g_assert_nonnull (find_key (keyboard, "Space"));
  g_assert_nonnull (find_key (keyboard, "Enter"));
  g_assert_nonnull (find_key (keyboard, "Switch keyboard layout"));
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);

  gtk_test_accessible_assert_role (fixture->keyboard, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_test_accessible_assert_property (fixture->keyboard, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "On-screen keyboard");

  for (guint i = 0; i < n_layouts; i++)
    {
      hirc_keyboard_set_layout (fixture->keyboard, layouts[i].code);
      check_accessible_keys (fixture->keyboard);
      g_assert_nonnull (find_key (fixture->keyboard, "Shift"));
      press (fixture->keyboard, "Shift");
      check_accessible_keys (fixture->keyboard);
      press (fixture->keyboard, "Numbers and symbols");
      check_accessible_keys (fixture->keyboard);
      g_assert_nonnull (find_key (fixture->keyboard, "Letters"));
    }
}

/* A real activation (the way a tap or AT-SPI's "click" arrives) types without moving the focus
 * out of the field. */
static void
test_focus_stays (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *entry = GTK_WIDGET (fixture->entry);
  GtkWidget *key;
  gboolean clicked = FALSE;
  GtkWidget *focus;

  hirc_keyboard_set_layout (fixture->keyboard, "uk");
  hirc_keyboard_set_target (fixture->keyboard, entry);
  gtk_widget_grab_focus (entry);
  key = find_key (fixture->keyboard, "ї");
  g_assert_nonnull (key);
  g_signal_connect (key, "clicked", G_CALLBACK (set_true_cb), &clicked);
  g_assert_true (gtk_widget_activate (key));
  wait_until (&clicked);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ї");
  focus = gtk_window_get_focus (fixture->window);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

/* Following the focus: the keyboard opens on a text field, closes elsewhere, and the field it
 * opened for is scrolled into view above it. */
static void
test_follow_focus (void)
{
  GtkWindow *window = GTK_WINDOW (g_object_ref (gtk_window_new ()));
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *spacer = gtk_label_new ("Above the field");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *button = gtk_button_new_with_label ("Continue");
  GtkWidget *keyboard = hirc_keyboard_new ();
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gint64 deadline;
  graphene_rect_t field;
  graphene_rect_t keys;
  graphene_rect_t view;

  gtk_window_set_default_size (window, 1280, 800);
  gtk_widget_set_size_request (spacer, -1, 700);
  gtk_box_append (GTK_BOX (page), spacer);
  gtk_box_append (GTK_BOX (page), entry);
  gtk_box_append (GTK_BOX (page), button);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), page);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (outer), scroller);
  gtk_box_append (GTK_BOX (outer), keyboard);
  gtk_window_set_child (window, outer);

  hirc_keyboard_follow_focus (HIRC_KEYBOARD (keyboard), window);
  gtk_widget_grab_focus (button);
  gtk_window_present (window);
  wait_for_frame (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_visible (keyboard));

  /* The field is at the bottom of the view: the keyboard would cover it if nothing scrolled. */
  gtk_adjustment_set_value (adjustment, 0);
  wait_for_frame (GTK_WIDGET (window));
  gtk_widget_grab_focus (entry);
  g_assert_true (gtk_widget_get_visible (keyboard));
  g_assert_true (gtk_widget_is_ancestor (hirc_keyboard_get_target (HIRC_KEYBOARD (keyboard)),
                                         entry)
                 || hirc_keyboard_get_target (HIRC_KEYBOARD (keyboard)) == entry);

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  for (;;)
    {
      wait_for_frame (GTK_WIDGET (window));
      g_assert_true (gtk_widget_compute_bounds (entry, GTK_WIDGET (window), &field));
      g_assert_true (gtk_widget_compute_bounds (keyboard, GTK_WIDGET (window), &keys));
      g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (window), &view));
      if (gtk_widget_get_height (keyboard) > 0
          && field.origin.y >= view.origin.y
          && field.origin.y + field.size.height <= keys.origin.y)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  /* Typing reaches the focused field. */
  press (HIRC_KEYBOARD (keyboard), "a");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "a");

  gtk_widget_grab_focus (button);
  g_assert_false (gtk_widget_get_visible (keyboard));
  g_assert_null (hirc_keyboard_get_target (HIRC_KEYBOARD (keyboard)));

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_label (GTK_LABEL (root)), text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* In the kiosk window: the keyboard sits below the page, opens on a question's text box with the
 * question's hint and box in view above it, never over them, and nothing scrolled half away;
 * it closes when the focus goes and when the screen is cleared, and takes the letters and
 * words of the language chosen. */
static void
test_kiosk_window (void)
{
  HircKioskWindow *window = HIRC_KIOSK_WINDOW (hirc_kiosk_window_new (NULL));
  GtkWidget *page = g_object_ref_sink (hirc_question_page_new ());
  GtkWidget *choices = hirc_choice_field_new (FALSE);
  GtkWidget *field = hirc_text_field_new (TRUE);
  HircKeyboard *keyboard = hirc_kiosk_window_get_keyboard (window);
  GtkWidget *input = hirc_text_field_get_input (HIRC_TEXT_FIELD (field));
  GtkWidget *heading;
  gint64 deadline;
  graphene_rect_t group;
  graphene_rect_t keys;
  graphene_rect_t view;
  graphene_rect_t title;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  hirc_question_page_set_heading (HIRC_QUESTION_PAGE (page), "Tell us what happened");
  hirc_choice_field_set_label (HIRC_CHOICE_FIELD (choices), "Where were you?");
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *code = g_strdup_printf ("place-%u", i);

      hirc_choice_field_add_choice (HIRC_CHOICE_FIELD (choices), code, code);
    }
  hirc_question_page_add_field (HIRC_QUESTION_PAGE (page), choices);
  hirc_text_field_set_label (HIRC_TEXT_FIELD (field), "What happened, in your own words");
  hirc_text_field_set_hint (HIRC_TEXT_FIELD (field), "Write as much or as little as you want.");
  hirc_text_field_set_rows (HIRC_TEXT_FIELD (field), 6);
  hirc_question_page_add_field (HIRC_QUESTION_PAGE (page), field);
  hirc_kiosk_window_show_page (window, page, "Tell us what happened");
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (keyboard)));

  heading = find_label (page, "Tell us what happened");
  g_assert_nonnull (heading);

  gtk_widget_grab_focus (input);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (keyboard)));
  g_assert_true (hirc_keyboard_get_target (keyboard) == input);

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  for (;;)
    {
      wait_for_frame (GTK_WIDGET (window));
      g_assert_true (gtk_widget_compute_bounds (field, GTK_WIDGET (window), &group));
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (keyboard), GTK_WIDGET (window),
                                                &keys));
      g_assert_true (gtk_widget_compute_bounds (page, GTK_WIDGET (window), &view));
      if (gtk_widget_get_height (GTK_WIDGET (keyboard)) > 0
          && group.origin.y >= view.origin.y
          && group.origin.y + group.size.height <= keys.origin.y)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  /* The page shrank above the keyboard rather than going under it. */
  g_assert_cmpfloat (view.origin.y + view.size.height, <=, keys.origin.y);
  /* The heading is above the box and scrolled away whole, or still whole in view. */
  g_assert_true (gtk_widget_compute_bounds (heading, GTK_WIDGET (window), &title));
  g_assert_true (title.origin.y + title.size.height <= view.origin.y
                 || title.origin.y >= view.origin.y);

  /* The layout and the keys' words follow the language chosen. */
  hirc_kiosk_window_set_language (window, "uk");
  g_assert_cmpstr (hirc_keyboard_get_layout (keyboard), ==, "uk");
  hirc_kiosk_window_set_language (window, "en@easyread");
  g_assert_cmpstr (hirc_keyboard_get_layout (keyboard), ==, "en");
  hirc_kiosk_window_set_language (window, "en");

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (keyboard)));
  gtk_widget_grab_focus (input);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (keyboard)));
  hirc_kiosk_window_show_neutral (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (keyboard)));
  g_assert_null (hirc_keyboard_get_target (keyboard));

  hirc_kiosk_window_remove_page (window, page);
  gtk_window_destroy (GTK_WINDOW (window));
  while (window != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_finalize_object (page);
}

/* A keyboard on its own, never shown, is freed with nothing left behind. */
static void
test_finalize (void)
{
  HircKeyboard *keyboard = g_object_ref_sink (HIRC_KEYBOARD (hirc_keyboard_new ()));
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());

  hirc_keyboard_set_target (keyboard, entry);
  hirc_keyboard_set_layout (keyboard, "gu");
  press_all (keyboard, "Shift|Switch keyboard layout|العربية");
  g_assert_finalize_object (entry);
  g_assert_null (hirc_keyboard_get_target (keyboard));
  g_assert_finalize_object (keyboard);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  hirc_ui_init ();
  hirc_ui_init_theme (gdk_display_get_default ());

#define ADD_FIXTURE_TEST(path, function) \
  g_test_add (path, Fixture, NULL, fixture_set_up, function, fixture_tear_down)

  ADD_FIXTURE_TEST ("/keyboard/every-key", test_every_key);
  ADD_FIXTURE_TEST ("/keyboard/alphabets", test_alphabets);
  ADD_FIXTURE_TEST ("/keyboard/phrases", test_phrases);
  ADD_FIXTURE_TEST ("/keyboard/insert-at-cursor", test_insert_at_cursor);
  ADD_FIXTURE_TEST ("/keyboard/backspace", test_backspace);
  ADD_FIXTURE_TEST ("/keyboard/enter", test_enter);
  ADD_FIXTURE_TEST ("/keyboard/shift", test_shift);
  ADD_FIXTURE_TEST ("/keyboard/switch-layout", test_switch_layout);
  ADD_FIXTURE_TEST ("/keyboard/key-sizes-and-glyphs", test_key_sizes);
  ADD_FIXTURE_TEST ("/keyboard/mirroring", test_mirroring);
  ADD_FIXTURE_TEST ("/keyboard/accessible", test_accessible);
  ADD_FIXTURE_TEST ("/keyboard/focus-stays", test_focus_stays);
  g_test_add_func ("/keyboard/follow-focus", test_follow_focus);
  g_test_add_func ("/keyboard/kiosk-window", test_kiosk_window);
  g_test_add_func ("/keyboard/finalize", test_finalize);

  return g_test_run ();
}
