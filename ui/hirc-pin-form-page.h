/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-pin-form-page.h: choosing a new staff PIN on the number pad, typed twice so that a slip
 * of the finger cannot lock anyone out, with the ambassador's name when one is being added. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Returns NULL when pin may be used, else one plain sentence saying why not. */
typedef const char *(*HircPinCheckFunc) (const char *pin);

#define HIRC_TYPE_PIN_FORM_PAGE (hirc_pin_form_page_get_type ())
G_DECLARE_FINAL_TYPE (HircPinFormPage, hirc_pin_form_page, HIRC, PIN_FORM_PAGE, GtkWidget)

/* With asks_name, the page also asks for the ambassador's name. check_pin judges the first PIN
 * typed, before it is asked for again. */
GtkWidget *hirc_pin_form_page_new        (const char       *heading,
                                          gboolean          asks_name,
                                          HircPinCheckFunc  check_pin);
const char *hirc_pin_form_page_get_heading (HircPinFormPage *self);
/* After "save": the name typed (NULL when not asked), and the PIN, typed the same twice, which
 * the caller wipes before freeing. */
char      *hirc_pin_form_page_dup_name   (HircPinFormPage  *self);
char      *hirc_pin_form_page_take_pin   (HircPinFormPage  *self);
void       hirc_pin_form_page_set_busy   (HircPinFormPage  *self,
                                          gboolean          busy);
/* The change was refused: says why and starts again from the first PIN. */
void       hirc_pin_form_page_show_error (HircPinFormPage  *self,
                                          const char       *message);

G_END_DECLS
