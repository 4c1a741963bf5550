/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-idle-warning.h: "Are you still there?", full screen, with a countdown and a large
 * "I need more time" button. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_IDLE_WARNING (hirc_idle_warning_get_type ())
G_DECLARE_FINAL_TYPE (HircIdleWarning, hirc_idle_warning, HIRC, IDLE_WARNING, GtkWidget)

GtkWidget *hirc_idle_warning_new              (void);
guint      hirc_idle_warning_get_seconds_left (HircIdleWarning *self);
void       hirc_idle_warning_set_seconds_left (HircIdleWarning *self,
                                               guint            seconds_left);

G_END_DECLS
