/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-top-bar.c: the bar across the top of every page. It holds three children, in this order:
 * the title, the screen's tools (language, text size, contrast) and "Leave now". Where they fit
 * side by side they share one row, "Leave now" in the far corner. On a narrow screen (a
 * portrait-mounted panel is 720 pixels across) the tools move to a second row of their own, and
 * wrap there if they must, so that "Leave now" keeps its corner and its whole size: it is the
 * one control that must always be in reach. */

#include "config.h"

#include "hirc-top-bar.h"

#include "hirc-allocate.h"

/* Across, as the row of tools has; down, between the two rows. */
#define SPACING 16
#define ROW_SPACING 12

struct _HircTopBar
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (HircTopBar, hirc_top_bar, GTK_TYPE_WIDGET)

typedef struct
{
  GtkWidget *title;
  GtkWidget *tools;
  GtkWidget *leave;
} Parts;

static gboolean
get_parts (HircTopBar *self,
           Parts      *parts)
{
  parts->title = gtk_widget_get_first_child (GTK_WIDGET (self));
  parts->tools = parts->title != NULL ? gtk_widget_get_next_sibling (parts->title) : NULL;
  parts->leave = parts->tools != NULL ? gtk_widget_get_next_sibling (parts->tools) : NULL;
  return parts->leave != NULL;
}

static void
measure_width (GtkWidget *widget,
               int       *minimum,
               int       *natural)
{
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, minimum, natural, NULL, NULL);
}

static int
height_for (GtkWidget *widget,
            int        width)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* Whether everything fits on one row of width. The title may wrap onto a second line, and is
 * shortened past that, but a name given less than half its length no longer reads as one: the
 * bar takes a second row before that. */
static gboolean
fits_one_row (const Parts *parts,
              int          width)
{
  int title_minimum, title_natural, tools_natural, leave_natural, unused;

  measure_width (parts->title, &title_minimum, &title_natural);
  measure_width (parts->tools, &unused, &tools_natural);
  measure_width (parts->leave, &unused, &leave_natural);
  return MAX (title_minimum, title_natural / 2) + tools_natural + leave_natural + 2 * SPACING
         <= width;
}

/* The width "Leave now" gets on the first row of two: all it asks for, unless the title would
 * then get less than its minimum; never less than its own minimum. */
static int
leave_width_on_two_rows (const Parts *parts,
                         int          width)
{
  int title_minimum, leave_minimum, leave_natural, unused;

  measure_width (parts->title, &title_minimum, &unused);
  measure_width (parts->leave, &leave_minimum, &leave_natural);
  return MAX (leave_minimum, MIN (leave_natural, width - SPACING - title_minimum));
}

static int
first_row_height (const Parts *parts,
                  int          width)
{
  int leave_width = leave_width_on_two_rows (parts, width);

  return MAX (height_for (parts->title, MAX (width - SPACING - leave_width, 0)),
              height_for (parts->leave, leave_width));
}

static GtkSizeRequestMode
hirc_top_bar_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hirc_top_bar_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  Parts parts;
  int title_minimum, title_natural, tools_minimum, tools_natural, leave_minimum, leave_natural;

  *minimum = *natural = 0;
  if (!get_parts (HIRC_TOP_BAR (widget), &parts))
    return;
  measure_width (parts.title, &title_minimum, &title_natural);
  measure_width (parts.tools, &tools_minimum, &tools_natural);
  measure_width (parts.leave, &leave_minimum, &leave_natural);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (title_minimum + SPACING + leave_minimum, tools_minimum);
      *natural = title_natural + tools_natural + leave_natural + 2 * SPACING;
      return;
    }

  if (for_size < 0 || fits_one_row (&parts, for_size))
    {
      int width = for_size < 0 ? *natural : for_size;
      int title_width = MAX (width - tools_natural - leave_natural - 2 * SPACING, title_minimum);

      *minimum = MAX (height_for (parts.title, title_width),
                      MAX (height_for (parts.tools, tools_natural),
                           height_for (parts.leave, leave_natural)));
    }
  else
    *minimum = first_row_height (&parts, for_size) + ROW_SPACING
               + height_for (parts.tools, for_size);
  *natural = *minimum;
}

static void
hirc_top_bar_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  Parts parts;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int unused, tools_natural, leave_natural, leave_width, row;

  if (!get_parts (HIRC_TOP_BAR (widget), &parts))
    return;

  if (fits_one_row (&parts, width))
    {
      int title_width;

      measure_width (parts.tools, &unused, &tools_natural);
      measure_width (parts.leave, &unused, &leave_natural);
      title_width = width - tools_natural - leave_natural - 2 * SPACING;
      hirc_allocate_from_start (parts.title, rtl, width, 0, 0, title_width, height);
      hirc_allocate_from_start (parts.tools, rtl, width, title_width + SPACING, 0, tools_natural,
                                height);
      hirc_allocate_from_start (parts.leave, rtl, width, width - leave_natural, 0, leave_natural,
                                height);
      return;
    }

  leave_width = leave_width_on_two_rows (&parts, width);
  row = first_row_height (&parts, width);
  hirc_allocate_from_start (parts.title, rtl, width, 0, 0, MAX (width - SPACING - leave_width, 0),
                            row);
  hirc_allocate_from_start (parts.leave, rtl, width, width - leave_width, 0, leave_width, row);
  hirc_allocate_from_start (parts.tools, rtl, width, 0, row + ROW_SPACING, width,
                            MAX (height - row - ROW_SPACING, 0));
}

static void
hirc_top_bar_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_top_bar_parent_class)->dispose (object);
}

static void
hirc_top_bar_class_init (HircTopBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_top_bar_dispose;
  widget_class->get_request_mode = hirc_top_bar_get_request_mode;
  widget_class->measure = hirc_top_bar_measure;
  widget_class->size_allocate = hirc_top_bar_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "topbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
hirc_top_bar_init (HircTopBar *self)
{
}

GtkWidget *
hirc_top_bar_new (void)
{
  return g_object_new (HIRC_TYPE_TOP_BAR, NULL);
}
