/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-language-chooser.c: the languages as toggle buttons, one per language, laid out like
 * words in a paragraph: as many to a line as fit, each full line stretched to the width. A grid
 * would give every button the width of the longest name and take twice the lines, pushing the
 * start page's own words down. Each button activates the window's "kiosk.language" action
 * with its code, and shows itself pressed while that is the language on screen, so that the
 * chooser holds no state of its own. A button's words are the language's own name, marked as
 * being in that language, so that its script is shaped and read as such. */

#include "config.h"

#include "hirc-language-chooser.h"

#include <glib/gi18n-lib.h>

#include "hirc-ui-language.h"

/* Between buttons, across and down: more than the 8 px a finger needs to tell them apart. */
#define SPACING 12

struct _HircLanguageChooser
{
  GtkWidget   parent_instance;

  /* Owned: code → button (borrowed: a child). */
  GHashTable *buttons;
};

G_DEFINE_FINAL_TYPE (HircLanguageChooser, hirc_language_chooser, GTK_TYPE_WIDGET)

static GtkWidget *
language_button_new (const HircUiLanguage *language)
{
  g_autoptr(PangoAttrList) attributes = hirc_ui_language_attributes (language);
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *label = gtk_label_new (language->name);

  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.language");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", language->code);
  gtk_widget_add_css_class (button, "hirc-language");
  return button;
}

static int
child_width (GtkWidget *child,
             int        available)
{
  int minimum, natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return MAX (minimum, MIN (natural, available));
}

static int
child_height (GtkWidget *child,
              int        width)
{
  int minimum;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* Lays the buttons out in lines within width and returns the height taken; with allocate, also
 * places them, sharing out each line's spare width, and from the right in a right-to-left
 * language. */
static int
lay_out (HircLanguageChooser *self,
         int                  width,
         gboolean             allocate)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self));
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int y = 0;

  while (first != NULL)
    {
      GtkWidget *end = first;
      int used = 0, count = 0, line_height = 0, extra, x = 0;

      /* A line: at least one button, then as many as fit. */
      do
        {
          int w = child_width (end, width);

          if (count > 0 && used + SPACING + w > width)
            break;
          used += (count > 0 ? SPACING : 0) + w;
          count++;
          end = gtk_widget_get_next_sibling (end);
        }
      while (end != NULL);

      /* The last line keeps its buttons' own widths rather than stretch a few across. */
      extra = end != NULL ? MAX (width - used, 0) : 0;
      for (GtkWidget *child = first; child != end; child = gtk_widget_get_next_sibling (child))
        line_height = MAX (line_height, child_height (child, child_width (child, width)));

      for (GtkWidget *child = first; child != end; child = gtk_widget_get_next_sibling (child))
        {
          int w = child_width (child, width) + extra / count;

          if (allocate)
            {
              GtkAllocation allocation = { rtl ? width - x - w : x, y, w, line_height };

              gtk_widget_size_allocate (child, &allocation, -1);
            }
          x += w + SPACING;
        }
      y += line_height + SPACING;
      first = end;
    }
  return MAX (y - SPACING, 0);
}

static GtkSizeRequestMode
hirc_language_chooser_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hirc_language_chooser_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  HircLanguageChooser *self = HIRC_LANGUAGE_CHOOSER (widget);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As narrow as the widest button; at best, all on one line. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_minimum, child_natural;

          gtk_widget_measure (child, orientation, -1, &child_minimum, &child_natural, NULL,
                              NULL);
          *minimum = MAX (*minimum, child_minimum);
          *natural += (*natural > 0 ? SPACING : 0) + child_natural;
        }
      return;
    }
  *minimum = *natural = lay_out (self, for_size < 0 ? G_MAXINT / 2 : for_size, FALSE);
}

static void
hirc_language_chooser_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  lay_out (HIRC_LANGUAGE_CHOOSER (widget), width, TRUE);
}

static void
hirc_language_chooser_dispose (GObject *object)
{
  HircLanguageChooser *self = HIRC_LANGUAGE_CHOOSER (object);
  GtkWidget *child;

  g_clear_pointer (&self->buttons, g_hash_table_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_language_chooser_parent_class)->dispose (object);
}

static void
hirc_language_chooser_class_init (HircLanguageChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_language_chooser_dispose;
  widget_class->get_request_mode = hirc_language_chooser_get_request_mode;
  widget_class->measure = hirc_language_chooser_measure;
  widget_class->size_allocate = hirc_language_chooser_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "languagechooser");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hirc_language_chooser_init (HircLanguageChooser *self)
{
  guint n = 0;
  const HircUiLanguage *languages = hirc_ui_languages (&n);

  self->buttons = g_hash_table_new (g_str_hash, g_str_equal);
  /* Translators: names the group of buttons, one per language, that changes the language of
   * the screen. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Language"), -1);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = language_button_new (&languages[i]);

      gtk_widget_set_parent (button, GTK_WIDGET (self));
      g_hash_table_insert (self->buttons, (gpointer) languages[i].code, button);
    }
}

GtkWidget *
hirc_language_chooser_new (void)
{
  return g_object_new (HIRC_TYPE_LANGUAGE_CHOOSER, NULL);
}

GtkWidget *
hirc_language_chooser_get_button (HircLanguageChooser *self,
                                  const char          *code)
{
  g_return_val_if_fail (HIRC_IS_LANGUAGE_CHOOSER (self), NULL);

  return code != NULL ? g_hash_table_lookup (self->buttons, code) : NULL;
}
