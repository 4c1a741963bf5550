/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-flow-layout.c: a layout manager that places its widget's children in lines, each child at
 * its natural width, starting a new line when the next one does not fit, from the right in a
 * right-to-left language. A row of controls that fits a landscape screen then wraps on a
 * portrait one instead of pushing the window wider than the screen. Justified, each full line
 * shares its spare width among its children, as a paragraph's words do. */

#include "config.h"

#include "hirc-flow-layout.h"

#include "hirc-allocate.h"

struct _HircFlowLayout
{
  GtkLayoutManager parent_instance;

  int              spacing;  /* between children, across and down */
  gboolean         justify;
};

G_DEFINE_FINAL_TYPE (HircFlowLayout, hirc_flow_layout, GTK_TYPE_LAYOUT_MANAGER)

enum
{
  PROP_0,
  PROP_SPACING,
  PROP_JUSTIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
child_width (GtkWidget *child,
             int        available)
{
  int minimum, natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return MAX (minimum, MIN (natural, available));
}

static int
child_height (GtkWidget *child,
              int        width)
{
  int minimum;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL, NULL);
  return minimum;
}

static GtkWidget *
next_shown (GtkWidget *child)
{
  while (child != NULL && !gtk_widget_should_layout (child))
    child = gtk_widget_get_next_sibling (child);
  return child;
}

/* Lays the children out in lines within width and returns the height taken; with allocate, also
 * places them. The last line keeps its children's own widths even when justified, rather than
 * stretch a few across. */
static int
lay_out (HircFlowLayout *self,
         GtkWidget      *widget,
         int             width,
         gboolean        allocate)
{
  GtkWidget *first = next_shown (gtk_widget_get_first_child (widget));
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int y = 0;

  while (first != NULL)
    {
      GtkWidget *end = first;
      int used = 0, count = 0, line_height = 0, extra, extra_left, x = 0;

      /* A line: at least one child, then as many as fit. */
      do
        {
          int w = child_width (end, width);

          if (count > 0 && used + self->spacing + w > width)
            break;
          used += (count > 0 ? self->spacing : 0) + w;
          count++;
          end = next_shown (gtk_widget_get_next_sibling (end));
        }
      while (end != NULL);

      extra = self->justify && end != NULL ? MAX (width - used, 0) : 0;
      extra_left = extra % count;
      for (GtkWidget *child = first; child != end;
           child = next_shown (gtk_widget_get_next_sibling (child)))
        line_height = MAX (line_height, child_height (child, child_width (child, width)));

      /* The pixels that do not share out evenly go one each to the first children, so that a
       * justified line ends exactly at the far edge. */
      for (GtkWidget *child = first; child != end;
           child = next_shown (gtk_widget_get_next_sibling (child)), extra_left--)
        {
          int w = child_width (child, width) + extra / count + (extra_left > 0 ? 1 : 0);

          if (allocate)
            hirc_allocate_from_start (child, rtl, width, x, y, w, line_height);
          x += w + self->spacing;
        }
      y += line_height + self->spacing;
      first = end;
    }
  return MAX (y - self->spacing, 0);
}

static GtkSizeRequestMode
hirc_flow_layout_get_request_mode (GtkLayoutManager *manager,
                                   GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hirc_flow_layout_measure (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          GtkOrientation    orientation,
                          int               for_size,
                          int              *minimum,
                          int              *natural,
                          int              *minimum_baseline,
                          int              *natural_baseline)
{
  HircFlowLayout *self = HIRC_FLOW_LAYOUT (manager);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As narrow as the widest child; at best, all on one line. */
      for (GtkWidget *child = next_shown (gtk_widget_get_first_child (widget)); child != NULL;
           child = next_shown (gtk_widget_get_next_sibling (child)))
        {
          int child_minimum, child_natural;

          gtk_widget_measure (child, orientation, -1, &child_minimum, &child_natural, NULL,
                              NULL);
          *minimum = MAX (*minimum, child_minimum);
          *natural += (*natural > 0 ? self->spacing : 0) + child_natural;
        }
      return;
    }
  *minimum = *natural = lay_out (self, widget, for_size < 0 ? G_MAXINT / 2 : for_size, FALSE);
}

static void
hirc_flow_layout_allocate (GtkLayoutManager *manager,
                           GtkWidget        *widget,
                           int               width,
                           int               height,
                           int               baseline)
{
  lay_out (HIRC_FLOW_LAYOUT (manager), widget, width, TRUE);
}

static void
hirc_flow_layout_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HircFlowLayout *self = HIRC_FLOW_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_JUSTIFY:
      g_value_set_boolean (value, self->justify);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_flow_layout_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HircFlowLayout *self = HIRC_FLOW_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      hirc_flow_layout_set_spacing (self, g_value_get_int (value));
      break;
    case PROP_JUSTIFY:
      hirc_flow_layout_set_justify (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_flow_layout_class_init (HircFlowLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  object_class->get_property = hirc_flow_layout_get_property;
  object_class->set_property = hirc_flow_layout_set_property;
  layout_class->get_request_mode = hirc_flow_layout_get_request_mode;
  layout_class->measure = hirc_flow_layout_measure;
  layout_class->allocate = hirc_flow_layout_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JUSTIFY] =
    g_param_spec_boolean ("justify", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hirc_flow_layout_init (HircFlowLayout *self)
{
}

GtkLayoutManager *
hirc_flow_layout_new (void)
{
  return g_object_new (HIRC_TYPE_FLOW_LAYOUT, NULL);
}

int
hirc_flow_layout_get_spacing (HircFlowLayout *self)
{
  g_return_val_if_fail (HIRC_IS_FLOW_LAYOUT (self), 0);

  return self->spacing;
}

void
hirc_flow_layout_set_spacing (HircFlowLayout *self,
                              int             spacing)
{
  g_return_if_fail (HIRC_IS_FLOW_LAYOUT (self));

  if (self->spacing == spacing)
    return;
  self->spacing = spacing;
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

gboolean
hirc_flow_layout_get_justify (HircFlowLayout *self)
{
  g_return_val_if_fail (HIRC_IS_FLOW_LAYOUT (self), FALSE);

  return self->justify;
}

void
hirc_flow_layout_set_justify (HircFlowLayout *self,
                              gboolean        justify)
{
  g_return_if_fail (HIRC_IS_FLOW_LAYOUT (self));

  justify = !!justify;
  if (self->justify == justify)
    return;
  self->justify = justify;
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JUSTIFY]);
}
