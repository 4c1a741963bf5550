/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ambassador-panel.h: beside every page of an assisted report, a short guide for the Hate
 * Crime Ambassador taking it (listening, what happens next, keeping people safe and when to
 * call 999), a tip for the page on screen, and the switch that turns the idle timeout off. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_AMBASSADOR_PANEL (hirc_ambassador_panel_get_type ())
G_DECLARE_FINAL_TYPE (HircAmbassadorPanel, hirc_ambassador_panel, HIRC, AMBASSADOR_PANEL,
                      GtkWidget)

GtkWidget *hirc_ambassador_panel_new                   (const char          *ambassador_name);
/* A tip for the page on screen, or NULL for none. */
void       hirc_ambassador_panel_set_tip               (HircAmbassadorPanel *self,
                                                        const char          *tip);
/* The "idle-timeout-off" property: the ambassador has switched the idle timeout off. */
gboolean   hirc_ambassador_panel_get_idle_timeout_off  (HircAmbassadorPanel *self);
void       hirc_ambassador_panel_set_idle_timeout_off  (HircAmbassadorPanel *self,
                                                        gboolean             off);

G_END_DECLS
