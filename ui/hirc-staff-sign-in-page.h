/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff-sign-in-page.h: where a Hate Crime Ambassador or the administrator signs in with
 * their PIN on a large number pad, and where a wrong PIN and the wait after too many are told
 * plainly. It checks nothing itself: it emits "sign-in" and is told the outcome. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_STAFF_SIGN_IN_PAGE (hirc_staff_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (HircStaffSignInPage, hirc_staff_sign_in_page, HIRC, STAFF_SIGN_IN_PAGE,
                      GtkWidget)

GtkWidget *hirc_staff_sign_in_page_new         (void);
/* The PIN typed, which the caller wipes before freeing; the pad is cleared. */
char      *hirc_staff_sign_in_page_take_pin    (HircStaffSignInPage *self);
/* While the PIN is being checked, nothing can be pressed. */
void       hirc_staff_sign_in_page_set_busy    (HircStaffSignInPage *self,
                                                gboolean             busy);
/* "Wrong PIN. Try again." */
void       hirc_staff_sign_in_page_wrong_pin   (HircStaffSignInPage *self);
/* Nothing can be tried for this many seconds, counted down on screen: after a wrong PIN
 * ("Wrong PIN. Try again in 30 seconds.") or because of earlier ones. */
void       hirc_staff_sign_in_page_wait        (HircStaffSignInPage *self,
                                                guint                seconds,
                                                gboolean             after_wrong_pin);
/* Any other problem, in one plain sentence. */
void       hirc_staff_sign_in_page_show_error  (HircStaffSignInPage *self,
                                                const char          *message);

G_END_DECLS
