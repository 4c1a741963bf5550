/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-reprovision-page.h: setting the kiosk up again from a new provisioning bundle: the
 * bundles found on a USB stick, a question before anything changes, and the outcome with the
 * fingerprints to read to the partnership. The staff session does the work. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_REPROVISION_PAGE (hirc_reprovision_page_get_type ())
G_DECLARE_FINAL_TYPE (HircReprovisionPage, hirc_reprovision_page, HIRC, REPROVISION_PAGE,
                      GtkWidget)

GtkWidget *hirc_reprovision_page_new         (void);
/* One button per bundle: titles[i] (the centre) over details[i] (where it sends, which file);
 * both NULL-terminated. None says how to bring one. Pressing one emits "chosen" with its
 * index. */
void       hirc_reprovision_page_set_bundles (HircReprovisionPage *self,
                                              const char * const  *titles,
                                              const char * const  *details);
/* Shows the question before the change; its button emits "confirm". */
void       hirc_reprovision_page_ask         (HircReprovisionPage *self,
                                              const char          *question);
/* While the work runs nothing can be pressed but the way back, and the page says what runs. */
void       hirc_reprovision_page_set_busy    (HircReprovisionPage *self,
                                              const char          *doing);
/* The outcome: a problem is marked as one and the bundles can be chosen again; success hides
 * them, since the bundle is spent. lines (NULL-terminated, may be NULL) follow the sentence,
 * one per row, such as the fingerprints to check. */
void       hirc_reprovision_page_set_outcome (HircReprovisionPage *self,
                                              const char          *sentence,
                                              const char * const  *lines,
                                              gboolean             success);

G_END_DECLS
