/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-clamp.c: a container that keeps its child to a readable width and centres it. GTK 4.8
 * has no max-width in CSS, and lines of text much wider than about 70 characters are hard to
 * follow, especially for readers with dyslexia or low vision who use large type. */

#include "config.h"

#include "hirc-clamp.h"

#define DEFAULT_MAXIMUM_WIDTH 1100

struct _HircClamp
{
  GtkWidget  parent_instance;

  GtkWidget *child;
  int        maximum_width;
};

G_DEFINE_FINAL_TYPE (HircClamp, hirc_clamp, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CHILD,
  PROP_MAXIMUM_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkSizeRequestMode
hirc_clamp_get_request_mode (GtkWidget *widget)
{
  HircClamp *self = HIRC_CLAMP (widget);

  return self->child != NULL ? gtk_widget_get_request_mode (self->child)
                             : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
hirc_clamp_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  HircClamp *self = HIRC_CLAMP (widget);
  int child_minimum = 0;
  int child_natural = 0;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    {
      *minimum = *natural = 0;
      return;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->child, orientation, for_size, &child_minimum, &child_natural,
                          NULL, NULL);
      *minimum = child_minimum;
      *natural = MAX (child_minimum, MIN (child_natural, self->maximum_width));
    }
  else
    {
      /* The child's height depends on the width it will really get: never more than the
       * maximum, and when the width is not yet known, the width it would naturally take. */
      int width_minimum = 0;
      int width_natural = 0;
      int width;

      gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, &width_minimum,
                          &width_natural, NULL, NULL);
      width = for_size < 0 ? MIN (width_natural, self->maximum_width)
                           : MIN (for_size, self->maximum_width);
      width = MAX (width, width_minimum);
      gtk_widget_measure (self->child, orientation, width, &child_minimum, &child_natural,
                          NULL, NULL);
      *minimum = child_minimum;
      *natural = child_natural;
    }
}

static void
hirc_clamp_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  HircClamp *self = HIRC_CLAMP (widget);
  int child_minimum = 0;
  int child_width;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;

  gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, NULL, NULL,
                      NULL);
  child_width = MAX (child_minimum, MIN (width, self->maximum_width));
  gtk_widget_size_allocate (self->child,
                            &(GtkAllocation) { MAX ((width - child_width) / 2, 0), 0,
                                               child_width, height },
                            baseline);
}

static void
hirc_clamp_dispose (GObject *object)
{
  HircClamp *self = HIRC_CLAMP (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (hirc_clamp_parent_class)->dispose (object);
}

static void
hirc_clamp_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HircClamp *self = HIRC_CLAMP (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    case PROP_MAXIMUM_WIDTH:
      g_value_set_int (value, self->maximum_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_clamp_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HircClamp *self = HIRC_CLAMP (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      hirc_clamp_set_child (self, g_value_get_object (value));
      break;
    case PROP_MAXIMUM_WIDTH:
      hirc_clamp_set_maximum_width (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_clamp_class_init (HircClampClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_clamp_dispose;
  object_class->get_property = hirc_clamp_get_property;
  object_class->set_property = hirc_clamp_set_property;

  widget_class->get_request_mode = hirc_clamp_get_request_mode;
  widget_class->measure = hirc_clamp_measure;
  widget_class->size_allocate = hirc_clamp_size_allocate;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAXIMUM_WIDTH] =
    g_param_spec_int ("maximum-width", NULL, NULL, 0, G_MAXINT, DEFAULT_MAXIMUM_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "clamp");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
hirc_clamp_init (HircClamp *self)
{
  self->maximum_width = DEFAULT_MAXIMUM_WIDTH;
}

GtkWidget *
hirc_clamp_new (void)
{
  return g_object_new (HIRC_TYPE_CLAMP, NULL);
}

GtkWidget *
hirc_clamp_get_child (HircClamp *self)
{
  g_return_val_if_fail (HIRC_IS_CLAMP (self), NULL);

  return self->child;
}

void
hirc_clamp_set_child (HircClamp *self,
                      GtkWidget *child)
{
  g_return_if_fail (HIRC_IS_CLAMP (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

int
hirc_clamp_get_maximum_width (HircClamp *self)
{
  g_return_val_if_fail (HIRC_IS_CLAMP (self), 0);

  return self->maximum_width;
}

void
hirc_clamp_set_maximum_width (HircClamp *self,
                              int        maximum_width)
{
  g_return_if_fail (HIRC_IS_CLAMP (self));

  if (self->maximum_width == maximum_width)
    return;
  self->maximum_width = maximum_width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAXIMUM_WIDTH]);
}
