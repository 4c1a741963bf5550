/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-keyboard.h: the kiosk's own on-screen keyboard, which types into a text field. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_KEYBOARD (hirc_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (HircKeyboard, hirc_keyboard, HIRC, KEYBOARD, GtkWidget)

GtkWidget  *hirc_keyboard_new           (void);

gboolean    hirc_keyboard_set_layout    (HircKeyboard *self,
                                         const char   *language);
const char *hirc_keyboard_get_layout    (HircKeyboard *self);
void        hirc_keyboard_relabel       (HircKeyboard *self);

void        hirc_keyboard_set_target    (HircKeyboard *self,
                                         GtkWidget    *target);
GtkWidget  *hirc_keyboard_get_target    (HircKeyboard *self);

void        hirc_keyboard_open          (HircKeyboard *self,
                                         GtkWidget    *target);
void        hirc_keyboard_close         (HircKeyboard *self);
void        hirc_keyboard_follow_focus  (HircKeyboard *self,
                                         GtkWindow    *window);
void        hirc_keyboard_reveal_whole  (GtkWidget    *group);

G_END_DECLS
