/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-top-bar.h: the bar across the top of every page: the title, the screen's tools and
 * "Leave now", on one row where they fit and on two where they do not. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_TOP_BAR (hirc_top_bar_get_type ())
G_DECLARE_FINAL_TYPE (HircTopBar, hirc_top_bar, HIRC, TOP_BAR, GtkWidget)

GtkWidget *hirc_top_bar_new (void);

G_END_DECLS
