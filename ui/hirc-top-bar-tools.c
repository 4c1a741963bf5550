/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-top-bar-tools.c: the top bar's Language, text size and contrast controls. They hold no
 * state: the window's actions do (see hirc-kiosk-window.c). */

#include "config.h"

#include "hirc-top-bar-tools.h"

#include "hirc-flow-layout.h"

struct _HircTopBarTools
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkWidget *language;
};

G_DEFINE_FINAL_TYPE (HircTopBarTools, hirc_top_bar_tools, GTK_TYPE_WIDGET)

/* The Language button: where the focus returns when a language has been chosen from the list it
 * opened. */
static gboolean
hirc_top_bar_tools_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (HIRC_TOP_BAR_TOOLS (widget)->language);
}

static void
hirc_top_bar_tools_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_TOP_BAR_TOOLS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_top_bar_tools_parent_class)->dispose (object);
}

static void
hirc_top_bar_tools_class_init (HircTopBarToolsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_top_bar_tools_dispose;
  widget_class->grab_focus = hirc_top_bar_tools_grab_focus;

  g_type_ensure (HIRC_TYPE_FLOW_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-top-bar-tools.ui");
  gtk_widget_class_bind_template_child (widget_class, HircTopBarTools, language);
  gtk_widget_class_set_css_name (widget_class, "topbartools");
}

static void
hirc_top_bar_tools_init (HircTopBarTools *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_top_bar_tools_new (void)
{
  return g_object_new (HIRC_TYPE_TOP_BAR_TOOLS, NULL);
}
