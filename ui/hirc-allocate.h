/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-allocate.h: for widgets that lay out their own children. Positions are measured from the
 * start edge of a line of text: the left, or the right in a right-to-left language, so that a
 * layout written once mirrors itself. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Allocates child width × height at x from the start edge of a parent parent_width wide. */
static inline void
hirc_allocate_from_start (GtkWidget *child,
                          gboolean   rtl,
                          int        parent_width,
                          int        x,
                          int        y,
                          int        width,
                          int        height)
{
  GtkAllocation allocation = { rtl ? parent_width - x - width : x, y, width, height };

  gtk_widget_size_allocate (child, &allocation, -1);
}

G_END_DECLS
