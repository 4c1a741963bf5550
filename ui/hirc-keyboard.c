/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-keyboard.c: the kiosk's own on-screen keyboard: a layout for each offered language, typed
 * into a text field by touch alone, without ever taking the focus from that field. */

#include "config.h"

#include "hirc-keyboard.h"

#include "hirc-keyboard-layouts.h"
#include "hirc-keyboard-resources.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The kiosk promises every control at least 48 x 48 logical pixels; the stylesheet asks for more
 * and this is the floor the layout keeps whatever a stylesheet says. */
#define KEY_MIN_SIZE 48
/* The width of a letter key the keyboard asks for when it is given the choice. */
#define KEY_NATURAL_WIDTH 80
#define KEY_GAP 8
#define PADDING 8
/* Room left above and below a field scrolled into view, so its label and border show too. */
#define REVEAL_MARGIN 24
/* Room left above a group brought into view from its top: less than the space between the parts
 * of a page, so that the part above goes out of view entirely, its shadow included. */
#define GROUP_MARGIN 12
#define LAYOUTS_PER_ROW 6

/* Key widths in half letter widths, so that Shift can be one and a half letters wide. */
#define WEIGHT_LETTER 2
#define WEIGHT_NAMED_CHARACTER 4
#define WEIGHT_SHIFT 3
#define WEIGHT_BACKSPACE 3
#define WEIGHT_SWITCH 5
#define WEIGHT_SYMBOLS 3
#define WEIGHT_SPACE 10
#define WEIGHT_ENTER 4
#define WEIGHT_LAYOUT_NAME 4

typedef enum
{
  PAGE_LETTERS,
  PAGE_SHIFTED,
  PAGE_SYMBOLS,
  PAGE_LAYOUTS,
  N_PAGES
} Page;

/* Shift is a tap, never a hold or a double tap, which not everyone can time: the first tap
 * applies it to the next key, the second keeps it on, the third turns it off. */
typedef enum
{
  SHIFT_OFF,
  SHIFT_ONCE,
  SHIFT_LOCKED
} ShiftState;

struct _HircKeyboard
{
  GtkWidget                 parent_instance;

  /* Keys that every layout has: children of self for the keyboard's whole life. */
  GtkWidget                *shift_key;
  GtkWidget                *backspace_key;
  GtkWidget                *switch_key;
  GtkWidget                *symbols_key;
  GtkWidget                *space_key;
  GtkWidget                *enter_key;
  /* The layout page's keys, one per layout in the order of the layout table. */
  GPtrArray                *layout_keys;

  /* Owned: the current layout's character keys, children of self until the layout changes; and
   * for each page its rows (arrays of borrowed keys, in reading order). */
  GPtrArray                *char_keys;
  GPtrArray                *pages[N_PAGES];

  const HircKeyboardLayout *layout;
  Page                      page;
  ShiftState                shift;

  /* Borrowed, weak: the field the keys type into, and the window whose focus is followed. */
  GtkWidget                *target;
  GtkWindow                *focus_window;

  /* Owned: the frame clock whose next "after-paint" scrolls the target into view. */
  GdkFrameClock            *reveal_clock;
  gulong                    reveal_handler;
};

G_DEFINE_FINAL_TYPE (HircKeyboard, hirc_keyboard, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LAYOUT,
  PROP_TARGET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark weight_quark;
static GQuark text_quark;

/* Marks a group whose whole is scrolled into view when a field in it has the focus. */
static G_DEFINE_QUARK (hirc-keyboard-reveal-whole, reveal_whole)

static const char *const script_classes[] = {
  "latin", "cyrillic", "arabic", "bengali", "gurmukhi", "gujarati",
};

/* The stylesheet is installed once per display, for the display's life, the first time a
 * keyboard joins a window there. It is read through the resource's own handle, which also keeps
 * the linker from dropping the resource out of a static library. */
static void
ensure_style (GdkDisplay *display)
{
  static const char data_key[] = "hirc-keyboard-style";
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (g_object_get_data (G_OBJECT (display), data_key) != NULL)
    return;

  bytes = g_resource_lookup_data (hirc_keyboard_get_resource (),
                                  "/org/hirc/Kiosk/ui/hirc-keyboard.css",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes));
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), data_key, g_steal_pointer (&provider),
                          g_object_unref);
}

static guint
key_weight (GtkWidget *key)
{
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (key), weight_quark));
}

static void
set_script_class (GtkWidget  *key,
                  const char *script_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (script_classes); i++)
    gtk_widget_remove_css_class (key, script_classes[i]);
  gtk_widget_add_css_class (key, script_class);
}

/* Keys are buttons that can never take the focus, so the field being typed into keeps it and its
 * cursor, and a screen reader stays in the field. */
static GtkWidget *
new_key (HircKeyboard *self,
         guint         weight,
         const char   *action_name,
         GVariant     *action_target)
{
  GtkWidget *key = gtk_button_new ();

  gtk_widget_set_focusable (key, FALSE);
  gtk_widget_set_focus_on_click (key, FALSE);
  gtk_widget_add_css_class (key, "key");
  /* The target first: an action with a parameter and a key without one would not match. */
  if (action_target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (key), action_target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (key), action_name);
  g_object_set_qdata (G_OBJECT (key), weight_quark, GUINT_TO_POINTER (weight));
  gtk_widget_set_parent (key, GTK_WIDGET (self));
  return key;
}

/* Sets what a key shows and what a screen reader calls it, in that order: GtkButton gives a key
 * the name of its label whenever the label changes. */
static void
set_key_label (GtkWidget  *key,
               const char *label,
               const char *accessible_name)
{
  gtk_button_set_label (GTK_BUTTON (key), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (key),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
}

static GtkWidget *
new_special_key (HircKeyboard *self,
                 guint         weight,
                 const char   *action_name,
                 GVariant     *action_target,
                 const char   *label,
                 const char   *accessible_name)
{
  GtkWidget *key = new_key (self, weight, action_name, action_target);

  gtk_widget_add_css_class (key, "key-special");
  if (label != NULL)
    set_key_label (key, label, accessible_name);
  return key;
}

/* Capitals character by character with Unicode's simple case mapping, which, unlike
 * g_utf8_strup(), does not depend on the locale the kiosk happens to run in. */
static char *
to_capitals (const char *text)
{
  GString *capitals = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (capitals, g_unichar_toupper (g_utf8_get_char (p)));
  return g_string_free (capitals, FALSE);
}

/* Gives a character key the text it types now, with its label and accessible name. A vowel sign
 * or other mark on its own is shown on a dotted circle, the convention for a mark with no letter;
 * its accessible name stays the mark itself, which is what it types. */
static void
update_char_key (HircKeyboard *self,
                 GtkWidget    *key)
{
  const char *text = g_object_get_qdata (G_OBJECT (key), text_quark);
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();
  g_autofree char *typed = NULL;
  g_autofree char *marked = NULL;
  const char *label;
  const char *name;
  PangoLanguage *language;
  GtkWidget *child;

  if (self->layout->shift_is_case && self->shift != SHIFT_OFF)
    typed = to_capitals (text);
  else
    typed = g_strdup (text);

  label = name = hirc_keyboard_layouts_key_label (typed);
  if (label == NULL)
    {
      name = typed;
      if (g_unichar_ismark (g_utf8_get_char (typed)))
        label = marked = g_strconcat ("\u25CC", typed, NULL);
      else
        label = typed;
    }

  set_key_label (key, label, name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (key), "s", typed);

  /* The language picks the letter forms a language prefers where a font has several, such as
   * Urdu's own shapes of the digits 4, 6 and 7. */
  language = pango_language_from_string (self->layout->code);
  pango_attr_list_insert (attributes, pango_attr_language_new (language));
  child = gtk_button_get_child (GTK_BUTTON (key));
  gtk_label_set_attributes (GTK_LABEL (child), attributes);
}

static GtkWidget *
new_char_key (HircKeyboard *self,
              const char   *text)
{
  gboolean named = hirc_keyboard_layouts_key_label (text) != NULL;
  GtkWidget *key = new_key (self, named ? WEIGHT_NAMED_CHARACTER : WEIGHT_LETTER,
                            "keyboard.type", g_variant_new_string (text));

  if (named)
    gtk_widget_add_css_class (key, "key-name");
  gtk_widget_add_css_class (key, self->layout->script_class);
  g_object_set_qdata_full (G_OBJECT (key), text_quark, g_strdup (text), g_free);
  g_ptr_array_add (self->char_keys, key);
  update_char_key (self, key);
  return key;
}

static GPtrArray *
add_row (HircKeyboard *self,
         Page          page)
{
  GPtrArray *row = g_ptr_array_new ();

  g_ptr_array_add (self->pages[page], row);
  return row;
}

static void
add_char_keys (HircKeyboard *self,
               GPtrArray    *row,
               const char   *keys)
{
  g_auto(GStrv) texts = g_strsplit (keys, " ", -1);

  for (guint i = 0; texts[i] != NULL; i++)
    g_ptr_array_add (row, new_char_key (self, texts[i]));
}

static void
add_bottom_row (HircKeyboard *self,
                Page          page,
                GtkWidget    *comma_key,
                GtkWidget    *full_stop_key)
{
  GPtrArray *row = add_row (self, page);

  g_ptr_array_add (row, self->switch_key);
  g_ptr_array_add (row, self->symbols_key);
  g_ptr_array_add (row, comma_key);
  g_ptr_array_add (row, self->space_key);
  g_ptr_array_add (row, full_stop_key);
  g_ptr_array_add (row, self->enter_key);
}

/* A page of character keys: the rows of `above` as they are, then `rows`, whose last row has
 * Shift (on pages that offer it) at its start and Backspace at its end, then the bottom row. */
static void
add_char_page (HircKeyboard      *self,
               Page               page,
               const char *const *above,
               const char *const *rows,
               gboolean           with_shift,
               GtkWidget         *comma_key,
               GtkWidget         *full_stop_key)
{
  for (const char *const *r = above; r != NULL && *r != NULL; r++)
    add_char_keys (self, add_row (self, page), *r);

  for (const char *const *r = rows; *r != NULL; r++)
    {
      GPtrArray *row = add_row (self, page);
      gboolean last = r[1] == NULL;

      if (last && with_shift)
        g_ptr_array_add (row, self->shift_key);
      add_char_keys (self, row, *r);
      if (last)
        g_ptr_array_add (row, self->backspace_key);
    }

  add_bottom_row (self, page, comma_key, full_stop_key);
}

/* Replaces the character keys with those of the current layout. Only character keys are
 * destroyed, and no character key ever changes the layout, so no key is destroyed while its own
 * click is being handled. */
static void
build_char_keys (HircKeyboard *self)
{
  const HircKeyboardLayout *layout = self->layout;
  GtkWidget *comma_key;
  GtkWidget *full_stop_key;

  for (guint i = 0; i < self->char_keys->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->char_keys, i));
  g_ptr_array_set_size (self->char_keys, 0);
  g_ptr_array_set_size (self->pages[PAGE_LETTERS], 0);
  g_ptr_array_set_size (self->pages[PAGE_SHIFTED], 0);
  g_ptr_array_set_size (self->pages[PAGE_SYMBOLS], 0);

  comma_key = new_char_key (self, layout->comma);
  full_stop_key = new_char_key (self, layout->full_stop);

  add_char_page (self, PAGE_LETTERS, layout->accents, layout->letters, TRUE,
                 comma_key, full_stop_key);
  if (layout->shifted != NULL)
    add_char_page (self, PAGE_SHIFTED, NULL, layout->shifted, TRUE, comma_key, full_stop_key);
  add_char_page (self, PAGE_SYMBOLS, NULL, layout->symbols, FALSE, comma_key, full_stop_key);

  set_script_class (self->symbols_key, layout->script_class);
  set_script_class (self->switch_key, layout->script_class);
  /* A right-to-left layout is laid out mirrored, whatever the direction of the page around it:
   * a reporter may read the questions in English and type in Arabic. */
  gtk_widget_set_direction (GTK_WIDGET (self),
                            layout->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
}

static gboolean
page_has_key (HircKeyboard *self,
              Page          page,
              GtkWidget    *key)
{
  GPtrArray *rows = self->pages[page];

  for (guint r = 0; r < rows->len; r++)
    {
      if (g_ptr_array_find (g_ptr_array_index (rows, r), key, NULL))
        return TRUE;
    }
  return FALSE;
}

static void
update_special_keys (HircKeyboard *self)
{
  GtkAccessible *shift = GTK_ACCESSIBLE (self->shift_key);
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);

  set_key_label (self->shift_key, self->shift == SHIFT_LOCKED ? "\u21EA" : "\u21E7",
                 /* Translators: the accessible name of the on-screen keyboard's Shift key. */
                 _("Shift"));
  if (self->shift == SHIFT_OFF)
    gtk_widget_remove_css_class (self->shift_key, "key-on");
  else
    gtk_widget_add_css_class (self->shift_key, "key-on");
  gtk_accessible_update_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                               self->shift == SHIFT_OFF ? GTK_ACCESSIBLE_TRISTATE_FALSE
                                                        : GTK_ACCESSIBLE_TRISTATE_TRUE,
                               -1);
  if (self->shift == SHIFT_ONCE)
    gtk_accessible_update_property (shift, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    /* Translators: the state of the on-screen keyboard's
                                     * Shift key after one tap. */
                                    _("On for the next key"),
                                    -1);
  else if (self->shift == SHIFT_LOCKED)
    gtk_accessible_update_property (shift, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    /* Translators: the state of the on-screen keyboard's
                                     * Shift key after two taps. */
                                    _("On until tapped again"),
                                    -1);
  else
    gtk_accessible_reset_property (shift, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  if (self->page == PAGE_SYMBOLS)
    {
      set_key_label (self->symbols_key, self->layout->letters_label,
                     /* Translators: the accessible name of the on-screen keyboard key that
                      * goes back from the numbers and symbols to the letters. */
                     _("Letters"));
    }
  else
    {
      set_key_label (self->symbols_key, self->layout->symbols_label,
                     /* Translators: the accessible name of the on-screen keyboard key that
                      * shows the digits and punctuation. */
                     _("Numbers and symbols"));
    }

  set_key_label (self->switch_key, self->layout->native_name,
                 /* Translators: the accessible name of the on-screen keyboard key that lists
                  * the keyboards of the other languages; its label is the current one's
                  * name. */
                 _("Switch keyboard layout"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->switch_key),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->layout->native_name,
                                  -1);

  for (guint i = 0; i < n_layouts; i++)
    {
      GtkWidget *key = g_ptr_array_index (self->layout_keys, i);
      gboolean chosen = &layouts[i] == self->layout;

      if (chosen)
        gtk_widget_add_css_class (key, "key-on");
      else
        gtk_widget_remove_css_class (key, "key-on");
      gtk_accessible_update_state (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_STATE_PRESSED,
                                   chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                          : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
    }
}

/* The words of the keys whose words do not change with the keyboard's state, and of the
 * keyboard itself, in the language of the translations in use. */
static void
label_fixed_keys (HircKeyboard *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: the accessible name of the keyboard shown on
                                   * the screen for typing by touch. */
                                  _("On-screen keyboard"),
                                  -1);
  set_key_label (self->backspace_key, "\u232B",
                 /* Translators: the accessible name of the on-screen keyboard key that deletes
                  * the character before the cursor. */
                 _("Backspace"));
  set_key_label (self->space_key,
                 /* Translators: the label of the on-screen keyboard's space bar. */
                 _("Space"), _("Space"));
  set_key_label (self->enter_key,
                 /* Translators: the label of the on-screen keyboard's Enter key: a new line in
                  * a large text box, otherwise the same as pressing Continue. */
                 _("Enter"), _("Enter"));
  for (guint i = 0; i < self->layout_keys->len; i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (g_ptr_array_index (self->layout_keys, i)),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    /* Translators: the accessible description of a language's
                                     * name in the on-screen keyboard's list. */
                                    _("Keyboard layout"),
                                    -1);
}

/* Shows the keys of the current page and hides the rest. The page's keys are also put in reading
 * order among the children, the order the accessibility tree presents them in. */
static void
show_page (HircKeyboard *self,
           Page          page,
           ShiftState    shift)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GPtrArray *rows;
  gboolean case_changed = self->layout->shift_is_case
                          && (self->shift == SHIFT_OFF) != (shift == SHIFT_OFF);

  self->page = page;
  self->shift = shift;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_visible (child, page_has_key (self, page, child));

  rows = self->pages[page];
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);

      for (guint k = 0; k < row->len; k++)
        gtk_widget_insert_before (g_ptr_array_index (row, k), widget, NULL);
    }

  if (case_changed)
    {
      for (guint i = 0; i < self->char_keys->len; i++)
        update_char_key (self, g_ptr_array_index (self->char_keys, i));
    }
  update_special_keys (self);
}

/* After a key has typed, a Shift that was for one key only lets go. */
static void
release_shift (HircKeyboard *self)
{
  if (self->shift != SHIFT_ONCE)
    return;
  show_page (self, self->page == PAGE_SHIFTED ? PAGE_LETTERS : self->page, SHIFT_OFF);
}

static gboolean
is_text_field (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return gtk_text_view_get_editable (GTK_TEXT_VIEW (widget));
  if (GTK_IS_EDITABLE (widget))
    return gtk_editable_get_editable (GTK_EDITABLE (widget));
  return FALSE;
}

/* Types as the field's own typing does: over the selection if there is one, at the cursor, and
 * with the cursor after what was typed. */
static void
insert_text (HircKeyboard *self,
             const char   *text)
{
  if (GTK_IS_TEXT_VIEW (self->target))
    {
      GtkTextView *view = GTK_TEXT_VIEW (self->target);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
      gboolean editable = gtk_text_view_get_editable (view);

      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_delete_selection (buffer, TRUE, editable);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, editable);
      gtk_text_buffer_end_user_action (buffer);
      gtk_text_view_scroll_mark_onscreen (view, gtk_text_buffer_get_insert (buffer));
    }
  else if (GTK_IS_EDITABLE (self->target))
    {
      GtkEditable *editable = GTK_EDITABLE (self->target);
      int position;

      if (!gtk_editable_get_editable (editable))
        return;
      gtk_editable_delete_selection (editable);
      position = gtk_editable_get_position (editable);
      gtk_editable_insert_text (editable, text, -1, &position);
      gtk_editable_set_position (editable, position);
    }
}

/* Backspace as GtkText does it. Pango decides, from the script, whether Backspace takes the whole
 * character the reader sees (Latin, Cyrillic: e and a combining acute go together) or only the
 * last code point of it (Arabic, Indic: a vowel sign or a harakat goes and its letter stays, so a
 * wrong vowel sign can be fixed alone). In the second case the cluster is decomposed first, so
 * that no half of a precomposed character is ever left behind. */
static void
backspace_editable (GtkEditable *editable)
{
  g_autofree char *text = NULL;
  g_autofree PangoLogAttr *attributes = NULL;
  int start;
  int end;
  int position;
  int previous;
  int n_chars;

  if (!gtk_editable_get_editable (editable))
    return;
  if (gtk_editable_get_selection_bounds (editable, &start, &end))
    {
      gtk_editable_delete_text (editable, start, end);
      return;
    }

  position = gtk_editable_get_position (editable);
  if (position <= 0)
    return;

  text = gtk_editable_get_chars (editable, 0, -1);
  n_chars = (int) g_utf8_strlen (text, -1);
  attributes = g_new0 (PangoLogAttr, n_chars + 1);
  pango_get_log_attrs (text, (int) strlen (text), -1, pango_language_get_default (),
                       attributes, n_chars + 1);

  previous = position - 1;
  while (previous > 0 && !attributes[previous].is_cursor_position)
    previous--;

  if (attributes[position].backspace_deletes_character)
    {
      g_autofree char *cluster = g_utf8_substring (text, previous, position);
      g_autofree char *decomposed = g_utf8_normalize (cluster, -1, G_NORMALIZE_NFD);
      glong length = g_utf8_strlen (decomposed, -1);

      gtk_editable_delete_text (editable, previous, position);
      if (length > 1)
        {
          int insert_at = previous;
          const char *last = g_utf8_offset_to_pointer (decomposed, length - 1);

          gtk_editable_insert_text (editable, decomposed, (int) (last - decomposed), &insert_at);
          gtk_editable_set_position (editable, insert_at);
        }
    }
  else
    gtk_editable_delete_text (editable, previous, position);
}

static void
backspace (HircKeyboard *self)
{
  if (GTK_IS_TEXT_VIEW (self->target))
    {
      GtkTextView *view = GTK_TEXT_VIEW (self->target);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
      gboolean editable = gtk_text_view_get_editable (view);
      GtkTextIter cursor;

      gtk_text_buffer_begin_user_action (buffer);
      if (!gtk_text_buffer_delete_selection (buffer, TRUE, editable))
        {
          /* GtkTextBuffer applies the same rule as backspace_editable(). */
          gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
          gtk_text_buffer_backspace (buffer, &cursor, TRUE, editable);
        }
      gtk_text_buffer_end_user_action (buffer);
      gtk_text_view_scroll_mark_onscreen (view, gtk_text_buffer_get_insert (buffer));
    }
  else if (GTK_IS_EDITABLE (self->target))
    backspace_editable (GTK_EDITABLE (self->target));
}

static void
type_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);

  insert_text (self, g_variant_get_string (parameter, NULL));
  release_shift (self);
}

static void
backspace_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  backspace (HIRC_KEYBOARD (widget));
}

/* Enter starts a new line where there can be one, and otherwise does what Enter does in a
 * one-line field: activates it, which the page takes as "Continue". A GtkEntry is activated
 * through the GtkText it delegates to: the entry passes that GtkText's "activate" on, and
 * GtkText honours "activates-default". GtkText has no activate signal for
 * gtk_widget_activate(), so its "activate" is emitted by name. */
static void
enter_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);
  GtkEditable *editable;
  GtkEditable *delegate;

  if (GTK_IS_TEXT_VIEW (self->target))
    {
      insert_text (self, "\n");
      return;
    }
  if (!GTK_IS_EDITABLE (self->target))
    return;

  editable = GTK_EDITABLE (self->target);
  while ((delegate = gtk_editable_get_delegate (editable)) != NULL)
    editable = delegate;
  if (GTK_IS_TEXT (editable))
    g_signal_emit_by_name (editable, "activate");
  else
    gtk_widget_activate (GTK_WIDGET (editable));
}

static void
shift_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);
  ShiftState shift = (self->shift + 1) % 3;
  Page page = PAGE_LETTERS;

  if (self->layout->shifted != NULL && shift != SHIFT_OFF)
    page = PAGE_SHIFTED;
  show_page (self, page, shift);
}

static void
symbols_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);

  show_page (self, self->page == PAGE_SYMBOLS ? PAGE_LETTERS : PAGE_SYMBOLS, SHIFT_OFF);
}

static void
choose_layout_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);

  show_page (self, self->page == PAGE_LAYOUTS ? PAGE_LETTERS : PAGE_LAYOUTS, SHIFT_OFF);
}

static void
set_layout_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);

  hirc_keyboard_set_layout (self, g_variant_get_string (parameter, NULL));
}

/* Scrolls every scrolled window around the target so the target shows, with a margin; a field
 * inside a scrolled window of its own (a text view) brings that whole window into view. */
/* What to scroll into view for target: the group marked with hirc_keyboard_reveal_whole() that
 * holds it, from its top, or else target itself. */
static GtkWidget *
reveal_widget (GtkWidget *target,
               gboolean  *from_top)
{
  for (GtkWidget *widget = target; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      if (g_object_get_qdata (G_OBJECT (widget), reveal_whole_quark ()) != NULL)
        {
          *from_top = TRUE;
          return widget;
        }
    }
  *from_top = FALSE;
  return target;
}

static void
reveal_target (HircKeyboard *self)
{
  gboolean from_top;
  GtkWidget *reveal;

  if (self->target == NULL)
    return;
  reveal = reveal_widget (self->target, &from_top);

  for (GtkWidget *ancestor = gtk_widget_get_parent (reveal);
       ancestor != NULL;
       ancestor = gtk_widget_get_parent (ancestor))
    {
      GtkWidget *child;
      GtkWidget *content;
      GtkAdjustment *adjustment;
      graphene_rect_t bounds;
      double value;
      double page_size;

      if (!GTK_IS_SCROLLED_WINDOW (ancestor))
        continue;

      child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (ancestor));
      content = GTK_IS_VIEWPORT (child) ? gtk_viewport_get_child (GTK_VIEWPORT (child)) : NULL;
      if (content != NULL && gtk_widget_compute_bounds (reveal, content, &bounds))
        {
          double top = bounds.origin.y - (from_top ? GROUP_MARGIN : REVEAL_MARGIN);
          double bottom = bounds.origin.y + bounds.size.height + REVEAL_MARGIN;

          adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (ancestor));
          value = gtk_adjustment_get_value (adjustment);
          page_size = gtk_adjustment_get_page_size (adjustment);
          /* A group comes into view from its top, so that whatever is above it scrolls away
           * whole rather than cut across, a heading in half. */
          if (from_top && (top < value || bottom > value + page_size))
            value = top;
          if (bottom > value + page_size)
            value = bottom - page_size;
          /* A field taller than the space left shows its top, where its label is. */
          if (top < value)
            value = top;
          gtk_adjustment_set_value (adjustment, value);
        }
      reveal = ancestor;
    }
}

static void
cancel_reveal (HircKeyboard *self)
{
  /* A frame clock whose window is destroyed before it paints again has dropped the handler. */
  if (self->reveal_clock != NULL
      && g_signal_handler_is_connected (self->reveal_clock, self->reveal_handler))
    g_signal_handler_disconnect (self->reveal_clock, self->reveal_handler);
  self->reveal_handler = 0;
  g_clear_object (&self->reveal_clock);
}

static void
after_paint_cb (HircKeyboard  *self,
                GdkFrameClock *clock)
{
  cancel_reveal (self);
  reveal_target (self);
}

/* The field can only be scrolled into view once the window has been laid out with the keyboard
 * showing, which is after the next frame's layout: hence the frame clock's "after-paint". */
static void
schedule_reveal (HircKeyboard *self)
{
  GdkFrameClock *clock;

  if (self->target == NULL || self->reveal_clock != NULL)
    return;
  clock = gtk_widget_get_frame_clock (self->target);
  if (clock == NULL)
    return;

  self->reveal_clock = g_object_ref (clock);
  self->reveal_handler = g_signal_connect_swapped (clock, "after-paint",
                                                   G_CALLBACK (after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
focus_widget_changed_cb (HircKeyboard *self,
                         GParamSpec   *pspec,
                         GtkWindow    *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  if (focus != NULL && is_text_field (focus))
    hirc_keyboard_open (self, focus);
  else
    hirc_keyboard_close (self);
}

/* The largest number of rows on any page of the layout: the keyboard keeps that height on every
 * page, so that the page above it does not jump when the reporter turns a keyboard page. */
static guint
max_rows (HircKeyboard *self)
{
  guint rows = 0;

  for (guint p = 0; p < N_PAGES; p++)
    rows = MAX (rows, self->pages[p]->len);
  return rows;
}

static guint
row_weight (GPtrArray *row)
{
  guint weight = 0;

  for (guint k = 0; k < row->len; k++)
    weight += key_weight (g_ptr_array_index (row, k));
  return weight;
}

/* The smallest width of half a letter key that fits every key's content on the current page. */
static int
min_half_width (HircKeyboard *self,
                int          *min_height,
                int          *natural_height)
{
  GPtrArray *rows = self->pages[self->page];
  int half = KEY_MIN_SIZE / WEIGHT_LETTER;

  *min_height = KEY_MIN_SIZE;
  *natural_height = KEY_MIN_SIZE;
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);

      for (guint k = 0; k < row->len; k++)
        {
          GtkWidget *key = g_ptr_array_index (row, k);
          guint weight = key_weight (key);
          int minimum;
          int natural;

          gtk_widget_measure (key, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
          half = MAX (half, (minimum + (int) weight - 1) / (int) weight);
          gtk_widget_measure (key, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
          *min_height = MAX (*min_height, minimum);
          *natural_height = MAX (*natural_height, natural);
        }
    }
  return half;
}

static void
hirc_keyboard_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);
  GPtrArray *rows = self->pages[self->page];
  int min_height;
  int natural_height;
  int half = min_half_width (self, &min_height, &natural_height);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int natural_half = MAX (half, KEY_NATURAL_WIDTH / WEIGHT_LETTER);

      *minimum = *natural = 0;
      for (guint r = 0; r < rows->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (rows, r);
          int gaps = ((int) row->len - 1) * KEY_GAP;
          int weight = (int) row_weight (row);

          *minimum = MAX (*minimum, weight * half + gaps);
          *natural = MAX (*natural, weight * natural_half + gaps);
        }
      *minimum += 2 * PADDING;
      *natural += 2 * PADDING;
    }
  else
    {
      int n_rows = (int) max_rows (self);
      int gaps = (n_rows - 1) * KEY_GAP + 2 * PADDING;

      *minimum = n_rows * min_height + gaps;
      *natural = n_rows * natural_height + gaps;
    }
}

static void
hirc_keyboard_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  HircKeyboard *self = HIRC_KEYBOARD (widget);
  GPtrArray *rows = self->pages[self->page];
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int inner_width = width - 2 * PADDING;
  int n_rows = (int) rows->len;
  int row_height;
  double half = G_MAXDOUBLE;

  if (n_rows == 0)
    return;

  /* One scale for the whole page, set by the row that is widest for its gaps, so that a letter
   * key is the same width in every row and shorter rows are centred. */
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      int gaps = ((int) row->len - 1) * KEY_GAP;

      half = MIN (half, (double) (inner_width - gaps) / row_weight (row));
    }
  row_height = (height - 2 * PADDING - (n_rows - 1) * KEY_GAP) / n_rows;

  for (int r = 0; r < n_rows; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      int y = PADDING + r * (row_height + KEY_GAP);
      int row_width = ((int) row->len - 1) * KEY_GAP;
      int x;

      for (guint k = 0; k < row->len; k++)
        row_width += (int) (half * key_weight (g_ptr_array_index (row, k)));

      x = PADDING + (inner_width - row_width) / 2;
      for (guint k = 0; k < row->len; k++)
        {
          GtkWidget *key = g_ptr_array_index (row, k);
          int key_width = (int) (half * key_weight (key));
          int minimum;

          /* Measuring first is what GTK expects before an allocation, and it guards the
           * allocation against a key whose content grew since the keyboard was measured. */
          gtk_widget_measure (key, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
          key_width = MAX (key_width, minimum);
          gtk_widget_measure (key, GTK_ORIENTATION_VERTICAL, key_width, &minimum, NULL, NULL,
                              NULL);
          gtk_widget_size_allocate (key,
                                    &(GtkAllocation) {
                                      .x = rtl ? width - x - key_width : x,
                                      .y = y,
                                      .width = key_width,
                                      .height = MAX (row_height, minimum),
                                    },
                                    -1);
          x += key_width + KEY_GAP;
        }
    }
}

static void
hirc_keyboard_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hirc_keyboard_parent_class)->root (widget);

  ensure_style (gtk_widget_get_display (widget));
}

static void
hirc_keyboard_dispose (GObject *object)
{
  HircKeyboard *self = HIRC_KEYBOARD (object);
  GtkWidget *child;

  cancel_reveal (self);
  g_clear_weak_pointer (&self->target);
  g_clear_weak_pointer (&self->focus_window);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->char_keys, g_ptr_array_unref);
  g_clear_pointer (&self->layout_keys, g_ptr_array_unref);
  for (guint p = 0; p < N_PAGES; p++)
    g_clear_pointer (&self->pages[p], g_ptr_array_unref);

  G_OBJECT_CLASS (hirc_keyboard_parent_class)->dispose (object);
}

static void
hirc_keyboard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HircKeyboard *self = HIRC_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      g_value_set_string (value, hirc_keyboard_get_layout (self));
      break;

    case PROP_TARGET:
      g_value_set_object (value, hirc_keyboard_get_target (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_keyboard_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HircKeyboard *self = HIRC_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      hirc_keyboard_set_layout (self, g_value_get_string (value));
      break;

    case PROP_TARGET:
      hirc_keyboard_set_target (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_keyboard_class_init (HircKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_keyboard_dispose;
  object_class->get_property = hirc_keyboard_get_property;
  object_class->set_property = hirc_keyboard_set_property;

  widget_class->measure = hirc_keyboard_measure;
  widget_class->size_allocate = hirc_keyboard_size_allocate;
  widget_class->root = hirc_keyboard_root;

  /**
   * HircKeyboard:layout:
   *
   * The language code of the layout shown, such as "pl" or "ur".
   */
  properties[PROP_LAYOUT] =
    g_param_spec_string ("layout", NULL, NULL,
                         "en",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HircKeyboard:target:
   *
   * The field keys type into: a #GtkEditable (such as a #GtkEntry) or a #GtkTextView.
   */
  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "keyboard.type", "s", type_action_cb);
  gtk_widget_class_install_action (widget_class, "keyboard.backspace", NULL,
                                   backspace_action_cb);
  gtk_widget_class_install_action (widget_class, "keyboard.enter", NULL, enter_action_cb);
  gtk_widget_class_install_action (widget_class, "keyboard.shift", NULL, shift_action_cb);
  gtk_widget_class_install_action (widget_class, "keyboard.symbols", NULL, symbols_action_cb);
  gtk_widget_class_install_action (widget_class, "keyboard.choose-layout", NULL,
                                   choose_layout_action_cb);
  gtk_widget_class_install_action (widget_class, "keyboard.set-layout", "s",
                                   set_layout_action_cb);

  gtk_widget_class_set_css_name (widget_class, "keyboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  weight_quark = g_quark_from_static_string ("hirc-keyboard-weight");
  text_quark = g_quark_from_static_string ("hirc-keyboard-text");
}

static void
hirc_keyboard_init (HircKeyboard *self)
{
  guint n_layouts;
  const HircKeyboardLayout *layouts = hirc_keyboard_layouts_get (&n_layouts);
  GPtrArray *row = NULL;

  self->char_keys = g_ptr_array_new ();
  self->layout_keys = g_ptr_array_new ();
  for (guint p = 0; p < N_PAGES; p++)
    self->pages[p] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  /* Shift, the layout switch and the numbers key get their labels and names from
   * update_special_keys(), which keeps them in step with the state. */
  self->shift_key = new_special_key (self, WEIGHT_SHIFT, "keyboard.shift", NULL, NULL, NULL);
  gtk_widget_add_css_class (self->shift_key, "key-symbol");
  self->backspace_key = new_special_key (self, WEIGHT_BACKSPACE, "keyboard.backspace", NULL,
                                         NULL, NULL);
  gtk_widget_add_css_class (self->backspace_key, "key-symbol");
  self->switch_key = new_special_key (self, WEIGHT_SWITCH, "keyboard.choose-layout", NULL, NULL,
                                      NULL);
  gtk_widget_add_css_class (self->switch_key, "key-name");
  self->symbols_key = new_special_key (self, WEIGHT_SYMBOLS, "keyboard.symbols", NULL, NULL,
                                       NULL);
  self->space_key = new_special_key (self, WEIGHT_SPACE, "keyboard.type",
                                     g_variant_new_string (" "), NULL, NULL);
  self->enter_key = new_special_key (self, WEIGHT_ENTER, "keyboard.enter", NULL, NULL, NULL);

  /* The layout page lists every layout by its native name, each in its own script's font. */
  for (guint i = 0; i < n_layouts; i++)
    {
      GtkWidget *key = new_special_key (self, WEIGHT_LAYOUT_NAME, "keyboard.set-layout",
                                        g_variant_new_string (layouts[i].code),
                                        layouts[i].native_name, layouts[i].native_name);

      gtk_widget_add_css_class (key, "key-name");
      gtk_widget_add_css_class (key, layouts[i].script_class);
      g_ptr_array_add (self->layout_keys, key);
      if (i % LAYOUTS_PER_ROW == 0)
        row = add_row (self, PAGE_LAYOUTS);
      g_ptr_array_add (row, key);
    }
  row = add_row (self, PAGE_LAYOUTS);
  g_ptr_array_add (row, self->switch_key);

  self->layout = hirc_keyboard_layouts_lookup ("en");
  label_fixed_keys (self);
  build_char_keys (self);
  show_page (self, PAGE_LETTERS, SHIFT_OFF);
}

/**
 * hirc_keyboard_new:
 *
 * Creates a keyboard with the English layout and no target.
 *
 * Returns: (transfer floating): a new #HircKeyboard
 */
GtkWidget *
hirc_keyboard_new (void)
{
  return g_object_new (HIRC_TYPE_KEYBOARD, NULL);
}

/**
 * hirc_keyboard_set_layout:
 * @self: a #HircKeyboard
 * @language: (nullable): a language code or locale name: "pl", "pt_BR", "en@easyread"
 *
 * Shows the layout for @language, on its letter page with Shift off. A language the kiosk has no
 * layout for gets the English one, so that a reporter can always type.
 *
 * Returns: %TRUE if @language has a layout of its own
 */
gboolean
hirc_keyboard_set_layout (HircKeyboard *self,
                          const char   *language)
{
  const HircKeyboardLayout *layout = NULL;
  const HircKeyboardLayout *shown;

  g_return_val_if_fail (HIRC_IS_KEYBOARD (self), FALSE);

  if (language != NULL)
    layout = hirc_keyboard_layouts_lookup (language);
  shown = layout != NULL ? layout : hirc_keyboard_layouts_lookup ("en");
  if (shown == self->layout)
    {
      show_page (self, PAGE_LETTERS, SHIFT_OFF);
      return layout != NULL;
    }

  self->layout = shown;
  build_char_keys (self);
  show_page (self, PAGE_LETTERS, SHIFT_OFF);
  /* A layout with more rows leaves less room above: the field is brought back into view. */
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    schedule_reveal (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
  return layout != NULL;
}

/**
 * hirc_keyboard_get_layout:
 * @self: a #HircKeyboard
 *
 * Returns: the language code of the layout shown, such as "pl"
 */
const char *
hirc_keyboard_get_layout (HircKeyboard *self)
{
  g_return_val_if_fail (HIRC_IS_KEYBOARD (self), NULL);

  return self->layout->code;
}

/**
 * hirc_keyboard_relabel:
 * @self: a #HircKeyboard
 *
 * Gives the keys that have words (Space, Enter) and every key's name for screen readers the
 * words of the translations now in use. Call it when the language on screen changes; the
 * layout is chosen separately, as a reporter may read one language and type in another.
 */
void
hirc_keyboard_relabel (HircKeyboard *self)
{
  g_return_if_fail (HIRC_IS_KEYBOARD (self));

  label_fixed_keys (self);
  update_special_keys (self);
  /* The page above has new words too, and so new heights. */
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    schedule_reveal (self);
}

/**
 * hirc_keyboard_reveal_whole:
 * @group: a widget holding a text field, such as the field with its label, hint and error
 *
 * Makes any keyboard that opens on a field inside @group scroll the whole of @group into view,
 * from its top, rather than the field alone.
 */
void
hirc_keyboard_reveal_whole (GtkWidget *group)
{
  g_return_if_fail (GTK_IS_WIDGET (group));

  g_object_set_qdata (G_OBJECT (group), reveal_whole_quark (), GINT_TO_POINTER (TRUE));
}

/**
 * hirc_keyboard_set_target:
 * @self: a #HircKeyboard
 * @target: (nullable): a #GtkEditable, a #GtkTextView, or %NULL
 *
 * Sets the field keys type into. The keyboard holds no reference to it.
 */
void
hirc_keyboard_set_target (HircKeyboard *self,
                          GtkWidget    *target)
{
  g_return_if_fail (HIRC_IS_KEYBOARD (self));
  g_return_if_fail (target == NULL || GTK_IS_EDITABLE (target) || GTK_IS_TEXT_VIEW (target));

  if (g_set_weak_pointer (&self->target, target))
    {
      cancel_reveal (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
    }
}

/**
 * hirc_keyboard_get_target:
 * @self: a #HircKeyboard
 *
 * Returns: (transfer none) (nullable): the field keys type into
 */
GtkWidget *
hirc_keyboard_get_target (HircKeyboard *self)
{
  g_return_val_if_fail (HIRC_IS_KEYBOARD (self), NULL);

  return self->target;
}

/**
 * hirc_keyboard_open:
 * @self: a #HircKeyboard
 * @target: a #GtkEditable or #GtkTextView
 *
 * Shows the keyboard, on its letter page with Shift off, typing into @target, and once the window
 * has made room for it scrolls @target into view in the scrolled windows around it.
 */
void
hirc_keyboard_open (HircKeyboard *self,
                    GtkWidget    *target)
{
  g_return_if_fail (HIRC_IS_KEYBOARD (self));
  g_return_if_fail (GTK_IS_EDITABLE (target) || GTK_IS_TEXT_VIEW (target));

  hirc_keyboard_set_target (self, target);
  show_page (self, PAGE_LETTERS, SHIFT_OFF);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  schedule_reveal (self);
}

/**
 * hirc_keyboard_close:
 * @self: a #HircKeyboard
 *
 * Hides the keyboard and forgets its target.
 */
void
hirc_keyboard_close (HircKeyboard *self)
{
  g_return_if_fail (HIRC_IS_KEYBOARD (self));

  hirc_keyboard_set_target (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * hirc_keyboard_follow_focus:
 * @self: a #HircKeyboard
 * @window: the window @self is in
 *
 * Opens the keyboard on whichever editable text field of @window has the focus, and closes it
 * when the focus moves anywhere else. Call it once.
 */
void
hirc_keyboard_follow_focus (HircKeyboard *self,
                            GtkWindow    *window)
{
  g_return_if_fail (HIRC_IS_KEYBOARD (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (self->focus_window == NULL);

  g_set_weak_pointer (&self->focus_window, window);
  g_signal_connect_object (window, "notify::focus-widget",
                           G_CALLBACK (focus_widget_changed_cb), self, G_CONNECT_SWAPPED);
  focus_widget_changed_cb (self, NULL, window);
}
