/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff-session.h: staff in the kiosk window: PIN sign-in from the start page, the
 * administrator's dashboard (status, send now, test the connection, staff PINs, the activity
 * log), and an ambassador's assisted report with its guide beside every page. Signing in lasts
 * until the session process ends (a wipe) or staff screens are left alone too long. Every
 * staff action is written to the audit log. The window never touches the network: sending and
 * testing are asked of the sync service over its control socket. */
#pragma once

#include <gtk/gtk.h>

#include "hirc-kiosk-config.h"
#include "hirc-kiosk-window.h"

G_BEGIN_DECLS

#define HIRC_TYPE_STAFF_SESSION (hirc_staff_session_get_type ())
G_DECLARE_FINAL_TYPE (HircStaffSession, hirc_staff_session, HIRC, STAFF_SESSION, GObject)

/* window and config are borrowed and must outlive the session. Signals:
 *   "cancel": sign-in was cancelled; the start page should come back.
 *   "assisted" (ambassador id): an ambassador signed in; their report begins.
 *   "end": staff signed out or left staff screens idle; the session should end with a wipe.
 *   "idle": the last audit entry being written has been written (see is_busy). */
HircStaffSession *hirc_staff_session_new                  (HircKioskWindow       *window,
                                                           const HircKioskConfig *config);
/* Shows staff sign-in. */
void              hirc_staff_session_sign_in              (HircStaffSession      *self);
/* Someone touched the screen: the staff idle clock starts again. */
void              hirc_staff_session_note_activity        (HircStaffSession      *self);
/* The journey showed a page (its id): the ambassador's guide follows it. */
void              hirc_staff_session_page_shown           (HircStaffSession      *self,
                                                           const char            *page_id);
/* The ambassador switched the idle timeout off; the "idle-timeout-off" property. */
gboolean          hirc_staff_session_get_idle_timeout_off (HircStaffSession      *self);
/* The session is ending: signs staff out (recorded) and stops every clock. */
void              hirc_staff_session_end                  (HircStaffSession      *self);
/* TRUE while audit entries are still being written; "idle" follows. */
gboolean          hirc_staff_session_is_busy              (HircStaffSession      *self);
/* TRUE once the kiosk was set up again in this session: every session started before holds
 * the old configuration and device key. */
gboolean          hirc_staff_session_changed_setup        (HircStaffSession      *self);

G_END_DECLS
