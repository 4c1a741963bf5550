/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-confirmation-page.h: the page after a report is saved: the reference in large type and
 * as a QR code, what happens next, and local support services. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_CONFIRMATION_PAGE (hirc_confirmation_page_get_type ())
G_DECLARE_FINAL_TYPE (HircConfirmationPage, hirc_confirmation_page, HIRC, CONFIRMATION_PAGE,
                      GtkWidget)

GtkWidget  *hirc_confirmation_page_new            (void);
const char *hirc_confirmation_page_get_reference  (HircConfirmationPage *self);
void        hirc_confirmation_page_set_reference  (HircConfirmationPage *self,
                                                   const char           *reference);
void        hirc_confirmation_page_set_partnership (HircConfirmationPage *self,
                                                    const char           *partnership);
/* Paragraphs for "What happens next", each one whole sentence or more, in order. */
void        hirc_confirmation_page_set_next_steps (HircConfirmationPage *self,
                                                   const char * const   *paragraphs);
/* website may be NULL. */
void        hirc_confirmation_page_add_service    (HircConfirmationPage *self,
                                                   const char           *name,
                                                   const char           *description,
                                                   const char           *phone,
                                                   const char           *hours,
                                                   const char           *website);

G_END_DECLS
