/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-top-bar-tools.h: the top bar's controls for the screen itself, on every page: language,
 * text size and contrast. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_TOP_BAR_TOOLS (hirc_top_bar_tools_get_type ())
G_DECLARE_FINAL_TYPE (HircTopBarTools, hirc_top_bar_tools, HIRC, TOP_BAR_TOOLS, GtkWidget)

GtkWidget *hirc_top_bar_tools_new (void);

G_END_DECLS
