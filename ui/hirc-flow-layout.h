/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-flow-layout.h: lays children out like words in a paragraph, as many to a line as fit. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_FLOW_LAYOUT (hirc_flow_layout_get_type ())
G_DECLARE_FINAL_TYPE (HircFlowLayout, hirc_flow_layout, HIRC, FLOW_LAYOUT, GtkLayoutManager)

GtkLayoutManager *hirc_flow_layout_new         (void);
int               hirc_flow_layout_get_spacing (HircFlowLayout *self);
void              hirc_flow_layout_set_spacing (HircFlowLayout *self,
                                                int             spacing);
gboolean          hirc_flow_layout_get_justify (HircFlowLayout *self);
void              hirc_flow_layout_set_justify (HircFlowLayout *self,
                                                gboolean        justify);

G_END_DECLS
