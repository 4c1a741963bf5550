/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-choice-button.h: a check box or radio button that assistive technologies can press. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_CHOICE_BUTTON (hirc_choice_button_get_type ())
G_DECLARE_FINAL_TYPE (HircChoiceButton, hirc_choice_button, HIRC, CHOICE_BUTTON, GtkCheckButton)

/* radio: one of a group (the accessible role is then radio button, not check box). */
GtkWidget *hirc_choice_button_new         (gboolean          radio,
                                          const char       *label);
/* Shows picture (an Easy Read picture, hirc-easy-read.h) before the label, which must be the
 * button's child; at most once. */
void       hirc_choice_button_set_picture (HircChoiceButton *self,
                                           GtkWidget        *picture);

G_END_DECLS
