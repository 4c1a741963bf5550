/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-language-page.c: "Choose your language" from the top bar. It only shows the languages:
 * its buttons act on the window ("kiosk.language", "kiosk.hide-languages"). */

#include "config.h"

#include "hirc-language-page.h"

#include "hirc-clamp.h"
#include "hirc-language-chooser.h"

struct _HircLanguagePage
{
  GtkWidget            parent_instance;

  /* Template widgets. */
  GtkLabel            *heading;
  HircLanguageChooser *chooser;
};

G_DEFINE_FINAL_TYPE (HircLanguagePage, hirc_language_page, GTK_TYPE_WIDGET)

static void
hirc_language_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_LANGUAGE_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_language_page_parent_class)->dispose (object);
}

static void
hirc_language_page_class_init (HircLanguagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_language_page_dispose;

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_LANGUAGE_CHOOSER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-language-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircLanguagePage, heading);
  gtk_widget_class_bind_template_child (widget_class, HircLanguagePage, chooser);
  gtk_widget_class_set_css_name (widget_class, "languagepage");
}

static void
hirc_language_page_init (HircLanguagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_language_page_new (void)
{
  return g_object_new (HIRC_TYPE_LANGUAGE_PAGE, NULL);
}

const char *
hirc_language_page_get_title (HircLanguagePage *self)
{
  g_return_val_if_fail (HIRC_IS_LANGUAGE_PAGE (self), NULL);

  return gtk_label_get_label (self->heading);
}

void
hirc_language_page_focus (HircLanguagePage *self,
                          const char       *code)
{
  GtkWidget *button;

  g_return_if_fail (HIRC_IS_LANGUAGE_PAGE (self));

  button = hirc_language_chooser_get_button (self->chooser, code);
  if (button != NULL)
    gtk_widget_grab_focus (button);
}
