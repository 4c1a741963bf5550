/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-window.c: the kiosk's one window. It shows what the session tells it to and emits
 * "leave" for the quick exit; it holds no answers itself. */

#include "config.h"

#include "hirc-kiosk-window.h"

#include "hirc-clamp.h"

struct _HircKioskWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template widgets. */
  GtkStack             *screens;
  GtkLabel             *centre_label;
  GtkBox               *page_holder;

  /* Owned. */
  HircIdleWarning      *idle_warning;
  /* The page being shown, or under the idle warning while that is shown. */
  GtkWidget            *page;
};

G_DEFINE_FINAL_TYPE (HircKioskWindow, hirc_kiosk_window, GTK_TYPE_APPLICATION_WINDOW)

enum
{
  SIGNAL_LEAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
leave_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_LEAVE], 0);
}

/* Shows child (adding it first if needed) and hides every other page in the holder. A hidden
 * widget is left out of the accessibility tree, so a screen reader never finds a page that is
 * not on screen; and pages are not taken out and put back, which GTK 4.8's accessibility
 * objects do not survive. */
static void
hold (HircKioskWindow *self,
      GtkWidget       *child)
{
  if (child != NULL && gtk_widget_get_parent (child) != GTK_WIDGET (self->page_holder))
    {
      gtk_widget_set_vexpand (child, TRUE);
      gtk_box_append (self->page_holder, child);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->page_holder)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    gtk_widget_set_visible (c, c == child);
}

static void
hirc_kiosk_window_dispose (GObject *object)
{
  HircKioskWindow *self = HIRC_KIOSK_WINDOW (object);

  /* GtkWindow drops its child itself; the template's children go with it. */
  g_clear_object (&self->page);
  g_clear_object (&self->idle_warning);

  G_OBJECT_CLASS (hirc_kiosk_window_parent_class)->dispose (object);
}

static void
hirc_kiosk_window_class_init (HircKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_kiosk_window_dispose;

  signals[SIGNAL_LEAVE] =
    g_signal_new ("leave", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "kiosk.leave", NULL, leave_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_IDLE_WARNING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, screens);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, centre_label);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, page_holder);
}

static void
hirc_kiosk_window_init (HircKioskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->idle_warning = g_object_ref_sink (HIRC_IDLE_WARNING (hirc_idle_warning_new ()));
}

GtkWidget *
hirc_kiosk_window_new (GtkApplication *application)
{
  return g_object_new (HIRC_TYPE_KIOSK_WINDOW, "application", application, NULL);
}

void
hirc_kiosk_window_set_centre_name (HircKioskWindow *self,
                                   const char      *centre_name)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_label_set_label (self->centre_label, centre_name != NULL ? centre_name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->centre_label),
                          centre_name != NULL && centre_name[0] != '\0');
}

void
hirc_kiosk_window_show_page (HircKioskWindow *self,
                             GtkWidget       *page,
                             const char      *title)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  g_set_object (&self->page, page);
  hold (self, page);
  gtk_stack_set_visible_child_name (self->screens, "kiosk");
  if (title != NULL)
    gtk_window_set_title (GTK_WINDOW (self), title);
  /* Focus left on a control of the previous page would be lost with it; the next Tab starts
   * again from the top of the window. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

GtkWidget *
hirc_kiosk_window_get_page (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->page;
}

void
hirc_kiosk_window_remove_page (HircKioskWindow *self,
                               GtkWidget       *page)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  if (gtk_widget_get_parent (page) == GTK_WIDGET (self->page_holder))
    gtk_box_remove (self->page_holder, page);
  if (self->page == page)
    g_clear_object (&self->page);
}

HircIdleWarning *
hirc_kiosk_window_get_idle_warning (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->idle_warning;
}

void
hirc_kiosk_window_show_idle_warning (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  hold (self, GTK_WIDGET (self->idle_warning));
  gtk_widget_grab_focus (GTK_WIDGET (self->idle_warning));
}

void
hirc_kiosk_window_hide_idle_warning (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  hold (self, self->page);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

gboolean
hirc_kiosk_window_get_idle_warning_shown (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), FALSE);

  return gtk_widget_get_parent (GTK_WIDGET (self->idle_warning))
         == GTK_WIDGET (self->page_holder)
         && gtk_widget_get_visible (GTK_WIDGET (self->idle_warning));
}

void
hirc_kiosk_window_show_neutral (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_stack_set_visible_child_name (self->screens, "neutral");
  hold (self, NULL);
  gtk_window_set_title (GTK_WINDOW (self), "");
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

void
hirc_kiosk_window_show_not_set_up (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_stack_set_visible_child_name (self->screens, "not-set-up");
}
