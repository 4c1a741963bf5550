/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-pin-pad.h: a large on-screen number pad for staff PINs: the digits, Delete, and the PIN
 * shown as dots. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_PIN_PAD_MAX_DIGITS 12

#define HIRC_TYPE_PIN_PAD (hirc_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (HircPinPad, hirc_pin_pad, HIRC, PIN_PAD, GtkWidget)

GtkWidget *hirc_pin_pad_new        (void);
/* How many digits have been typed; the "length" property, to watch for changes. */
guint      hirc_pin_pad_get_length (HircPinPad *self);
/* A copy of the digits typed, which the caller wipes (sodium_memzero) before freeing. */
char      *hirc_pin_pad_dup_pin    (HircPinPad *self);
/* Forgets the digits, overwriting them first. */
void       hirc_pin_pad_clear      (HircPinPad *self);

G_END_DECLS
