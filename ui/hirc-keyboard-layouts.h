/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-keyboard-layouts.h: the on-screen keyboard's layouts, one table per offered language. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A page is a NULL-terminated array of rows. A row lists its keys in reading order (right to
 * left in a right-to-left layout), separated by single spaces; each key types exactly its text.
 * The keyboard adds Shift, Backspace and the bottom row (layout switch, numbers and symbols,
 * comma, Space, full stop, Enter) around these tables itself. */
typedef struct
{
  /* ISO 639-1 code of the language the layout is for. */
  const char        *code;
  /* The language's name in its own script: all a reporter who cannot read English can find. */
  const char        *native_name;
  /* A CSS class on every key, choosing a font that has the script's glyphs. */
  const char        *script_class;
  gboolean           rtl;
  /* TRUE: Shift types the capitals of the same keys (Latin, Cyrillic). FALSE: Shift shows the
   * `shifted` page, as Inscript and the Arabic-script layouts do. */
  gboolean           shift_is_case;
  /* Rows above the letters with the language's own letters, so that none needs a long press:
   * the kiosk promises that every control works with a single tap. NULL when there are none. */
  const char *const *accents;
  const char *const *letters;
  const char *const *shifted;
  const char *const *symbols;
  /* The keys either side of Space, typed often enough to keep on the letter pages. */
  const char        *comma;
  const char        *full_stop;
  /* Labels of the key that goes to the letters and the one that goes to the numbers. */
  const char        *letters_label;
  const char        *symbols_label;
} HircKeyboardLayout;

const HircKeyboardLayout *hirc_keyboard_layouts_get          (guint      *n_layouts);
const HircKeyboardLayout *hirc_keyboard_layouts_lookup       (const char *language);
const char               *hirc_keyboard_layouts_key_label    (const char *text);

G_END_DECLS
