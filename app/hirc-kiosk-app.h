/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-app.h: one reporter's session: the window process that shows the journey, wipes
 * and ends after Finish, "Leave now" or the idle timeout. */
#pragma once

#include <gtk/gtk.h>

#include "hirc-kiosk-main.h"

G_BEGIN_DECLS

#define HIRC_TYPE_KIOSK_APP (hirc_kiosk_app_get_type ())
G_DECLARE_FINAL_TYPE (HircKioskApp, hirc_kiosk_app, HIRC, KIOSK_APP, GtkApplication)

/* Runs one session to its end; returns the process's exit code. */
int hirc_kiosk_app_run (const HircKioskOptions *options);

G_END_DECLS
