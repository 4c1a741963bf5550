/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ui.h: the ui layer's single include: the reporter's widgets and the kiosk theme. */
#pragma once

#include <gtk/gtk.h>

#include "hirc-answer-list.h"
#include "hirc-choice-button.h"
#include "hirc-choice-field.h"
#include "hirc-clamp.h"
#include "hirc-confirmation-page.h"
#include "hirc-date-field.h"
#include "hirc-easy-read.h"
#include "hirc-error-summary.h"
#include "hirc-idle-warning.h"
#include "hirc-kiosk-window.h"
#include "hirc-qr-code.h"
#include "hirc-question-page.h"
#include "hirc-read-aloud-button.h"
#include "hirc-start-page.h"
#include "hirc-text-field.h"

G_BEGIN_DECLS

/* Makes the widgets' templates and the theme available; call once before making any widget. */
void hirc_ui_init       (void);
/* Loads the kiosk's stylesheet for display and turns off animations, which only delay what a
 * reporter sees and keep the machine busy. */
void hirc_ui_init_theme (GdkDisplay *display);

G_END_DECLS
