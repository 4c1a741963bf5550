/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-clamp.h: a container that keeps its child to a readable width and centres it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_CLAMP (hirc_clamp_get_type ())
G_DECLARE_FINAL_TYPE (HircClamp, hirc_clamp, HIRC, CLAMP, GtkWidget)

GtkWidget *hirc_clamp_new                (void);
GtkWidget *hirc_clamp_get_child          (HircClamp *self);
void       hirc_clamp_set_child          (HircClamp *self,
                                          GtkWidget *child);
int        hirc_clamp_get_maximum_width  (HircClamp *self);
void       hirc_clamp_set_maximum_width  (HircClamp *self,
                                          int        maximum_width);

G_END_DECLS
