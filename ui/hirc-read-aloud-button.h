/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-read-aloud-button.h: the "Read aloud" button a page shows near its heading, the reason
 * beside it when it cannot be used, and "Use headphones" where the kiosk has them; and what a
 * page says when it is read aloud. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_READ_ALOUD_BUTTON (hirc_read_aloud_button_get_type ())
G_DECLARE_FINAL_TYPE (HircReadAloudButton, hirc_read_aloud_button, HIRC, READ_ALOUD_BUTTON,
                      GtkWidget)

/* The button only shows state and emits "read" (pressed while silent) or "stop" (pressed while
 * speaking); whoever speaks (app/hirc-read-aloud.c) sets the rest. */
GtkWidget  *hirc_read_aloud_button_new                       (void);
gboolean    hirc_read_aloud_button_get_speaking              (HircReadAloudButton *self);
void        hirc_read_aloud_button_set_speaking              (HircReadAloudButton *self,
                                                              gboolean             speaking);
/* FALSE when the page's language has no voice: the button is insensitive, and the message says
 * why. */
gboolean    hirc_read_aloud_button_get_available             (HircReadAloudButton *self);
void        hirc_read_aloud_button_set_available             (HircReadAloudButton *self,
                                                              gboolean             available);
/* A sentence shown beside the button as text (not only to screen readers), or NULL. */
const char *hirc_read_aloud_button_get_message               (HircReadAloudButton *self);
void        hirc_read_aloud_button_set_message               (HircReadAloudButton *self,
                                                              const char          *message);
/* Whether "Use headphones" is offered (the kiosk has headphones), and the reporter's choice. */
gboolean    hirc_read_aloud_button_get_headphones_available  (HircReadAloudButton *self);
void        hirc_read_aloud_button_set_headphones_available  (HircReadAloudButton *self,
                                                              gboolean             available);
gboolean    hirc_read_aloud_button_get_use_headphones        (HircReadAloudButton *self);
void        hirc_read_aloud_button_set_use_headphones        (HircReadAloudButton *self,
                                                              gboolean             use_headphones);

/* Finds the Read aloud button among root's descendants, or NULL. */
HircReadAloudButton *hirc_read_aloud_button_find             (GtkWidget           *root);

/* One thing a page says: a label's text, or what the reporter entered. Private ones (what was
 * typed into a field, and the answers on "Check your answers") are said only in headphones. */
typedef struct
{
  char     *text;
  gboolean  private_details;
} HircUtterance;

/* Wipes the text of a private utterance before freeing it. */
void        hirc_utterance_free                              (HircUtterance       *utterance);

/* What reading root aloud says, in the order it is shown: every visible label (headings,
 * questions, hints, choices, errors, the main action) and the text in every text field, but not
 * the controls that are only navigation (Back, Change, Leave now) nor the Read aloud button.
 * Returns a GPtrArray of HircUtterance, which frees them. */
GPtrArray  *hirc_read_aloud_collect                          (GtkWidget           *root);

/* Leaves widget and everything in it out of what is read aloud (a list of language names, each
 * in its own language, which no one voice can say). */
void        hirc_read_aloud_ignore                           (GtkWidget           *widget);

G_END_DECLS
