/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-choice-button.c: a check box or radio button that assistive technologies can press.
 * In GTK 4.8 a GtkCheckButton offers no AT-SPI action at all (only GtkButton and its subclasses
 * do), so a screen reader or switch access could read a choice but not make it; the widget's
 * own "choice.press" action fills that gap and is what AT-SPI lists. It also wraps long labels,
 * names itself after its label, and is a radio button to assistive technologies when grouped. */

#include "config.h"

#include "hirc-choice-button.h"

struct _HircChoiceButton
{
  GtkCheckButton parent_instance;
};

G_DEFINE_FINAL_TYPE (HircChoiceButton, hirc_choice_button, GTK_TYPE_CHECK_BUTTON)

static void
press_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GtkCheckButton *button = GTK_CHECK_BUTTON (widget);

  /* A radio button is chosen, never unchosen, by pressing it, as with a tap. */
  if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_RADIO)
    gtk_check_button_set_active (button, TRUE);
  else
    gtk_check_button_set_active (button, !gtk_check_button_get_active (button));
}

static void
hirc_choice_button_class_init (HircChoiceButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "choice.press", NULL, press_action_cb);
}

static void
hirc_choice_button_init (HircChoiceButton *self)
{
}

GtkWidget *
hirc_choice_button_new (gboolean    radio,
                        const char *label)
{
  GtkWidget *button;
  GtkWidget *text;

  g_return_val_if_fail (label != NULL, NULL);

  button = g_object_new (HIRC_TYPE_CHOICE_BUTTON,
                         "accessible-role", radio ? GTK_ACCESSIBLE_ROLE_RADIO
                                                  : GTK_ACCESSIBLE_ROLE_CHECKBOX,
                         NULL);
  text = gtk_label_new (label);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (button), text);
  /* GTK 4.8 does not name a check button after a label given as its child. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "hirc-choice");
  return button;
}

void
hirc_choice_button_set_picture (HircChoiceButton *self,
                                GtkWidget        *picture)
{
  GtkWidget *text;
  GtkWidget *box;

  g_return_if_fail (HIRC_IS_CHOICE_BUTTON (self));
  g_return_if_fail (GTK_IS_WIDGET (picture));

  text = gtk_check_button_get_child (GTK_CHECK_BUTTON (self));
  g_return_if_fail (GTK_IS_LABEL (text));

  /* The picture comes before the words, on the side the reading starts from: a box follows the
   * text direction, so it is on the right in a right-to-left language. The button keeps its
   * name, the label's words alone; the picture only describes itself. */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  g_object_ref (text);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (self), NULL);
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), text);
  g_object_unref (text);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (self), box);
}
