/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-dashboard-page.h: the administrator's dashboard: whether reports are leaving the
 * building, what went wrong in plain words, this kiosk's identity, and the buttons to send now,
 * test the connection, manage staff PINs and read the activity log. It shows the words it is
 * given and never anything from a report; the staff session fills it in. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  HIRC_DASHBOARD_WAITING,
  HIRC_DASHBOARD_SENT_TODAY,
  HIRC_DASHBOARD_SENT_THIS_MONTH,
  HIRC_DASHBOARD_REFUSED,
  HIRC_DASHBOARD_SYNC_STATE,
  HIRC_DASHBOARD_LAST_SUCCESS,
  HIRC_DASHBOARD_NEXT_ATTEMPT,
  HIRC_DASHBOARD_LAST_ERROR,
  HIRC_DASHBOARD_CLOCK,
  HIRC_DASHBOARD_CENTRE_NAME,
  HIRC_DASHBOARD_CENTRE_ID,
  HIRC_DASHBOARD_DEVICE_FINGERPRINT,
  HIRC_DASHBOARD_INTAKE_URL,
  HIRC_DASHBOARD_INTAKE_FINGERPRINT,
  HIRC_DASHBOARD_STORAGE_USED,
  HIRC_DASHBOARD_STORAGE_FREE,
  HIRC_DASHBOARD_SOFTWARE_VERSION,
  HIRC_DASHBOARD_N_ITEMS
} HircDashboardItem;

#define HIRC_TYPE_DASHBOARD_PAGE (hirc_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (HircDashboardPage, hirc_dashboard_page, HIRC, DASHBOARD_PAGE, GtkWidget)

GtkWidget *hirc_dashboard_page_new          (void);
void       hirc_dashboard_page_set_item     (HircDashboardPage  *self,
                                             HircDashboardItem   item,
                                             const char         *text);
/* One sentence at the top, and the health problems below it, each saying what to do. */
void       hirc_dashboard_page_set_summary  (HircDashboardPage  *self,
                                             const char         *summary,
                                             const char * const *problems);
/* The outcome of "Send reports now" or "Test the connection": a headline and its findings;
 * failed findings are marked as problems. */
void       hirc_dashboard_page_set_result   (HircDashboardPage  *self,
                                             const char         *headline,
                                             const char * const *findings,
                                             const gboolean     *findings_ok);
/* While an action runs, its buttons do nothing and the result says it is running. */
void       hirc_dashboard_page_set_busy     (HircDashboardPage  *self,
                                             const char         *doing);

G_END_DECLS
