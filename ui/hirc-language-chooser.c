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

#include "hirc-flow-layout.h"
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
  gtk_widget_class_set_layout_manager_type (widget_class, HIRC_TYPE_FLOW_LAYOUT);

  gtk_widget_class_set_css_name (widget_class, "languagechooser");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hirc_language_chooser_init (HircLanguageChooser *self)
{
  HircFlowLayout *layout = HIRC_FLOW_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));
  guint n = 0;
  const HircUiLanguage *languages = hirc_ui_languages (&n);

  hirc_flow_layout_set_spacing (layout, SPACING);
  hirc_flow_layout_set_justify (layout, TRUE);
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
