/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff-list-page.h: the administrator's list of staff PINs: change the administrator's
 * own, and add, re-PIN or remove the Hate Crime Ambassadors. It shows names and ids only. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_STAFF_LIST_PAGE (hirc_staff_list_page_get_type ())
G_DECLARE_FINAL_TYPE (HircStaffListPage, hirc_staff_list_page, HIRC, STAFF_LIST_PAGE, GtkWidget)

GtkWidget *hirc_staff_list_page_new             (void);
/* Replaces the list of ambassadors: ids[i] is named names[i]; both NULL-terminated. */
void       hirc_staff_list_page_set_ambassadors (HircStaffListPage  *self,
                                                 const char * const *ids,
                                                 const char * const *names);
/* What the last change did, or why it failed; NULL for nothing. */
void       hirc_staff_list_page_set_message     (HircStaffListPage  *self,
                                                 const char         *message);

G_END_DECLS
