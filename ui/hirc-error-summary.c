/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-error-summary.c: "There is a problem" at the top of a page, one link per answer to fix.
 * It has the alert role and takes focus when shown, so that screen readers announce it. */

#include "config.h"

#include "hirc-error-summary.h"

struct _HircErrorSummary
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkWidget *title;
  GtkBox    *items;

  guint      n_errors;
};

G_DEFINE_FINAL_TYPE (HircErrorSummary, hirc_error_summary, GTK_TYPE_WIDGET)

#define TARGET_KEY "hirc-error-target"

static void
weak_ref_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
item_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  GWeakRef *ref = g_object_get_data (G_OBJECT (button), TARGET_KEY);
  g_autoptr(GtkWidget) target = ref != NULL ? g_weak_ref_get (ref) : NULL;

  if (target != NULL)
    gtk_widget_grab_focus (target);
}

static void
hirc_error_summary_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_ERROR_SUMMARY);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_error_summary_parent_class)->dispose (object);
}

static void
hirc_error_summary_class_init (HircErrorSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_error_summary_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-error-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, HircErrorSummary, title);
  gtk_widget_class_bind_template_child (widget_class, HircErrorSummary, items);
  gtk_widget_class_set_css_name (widget_class, "errorsummary");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
hirc_error_summary_init (HircErrorSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_error_summary_new (void)
{
  return g_object_new (HIRC_TYPE_ERROR_SUMMARY, NULL);
}

void
hirc_error_summary_clear (HircErrorSummary *self)
{
  GtkWidget *child;

  g_return_if_fail (HIRC_IS_ERROR_SUMMARY (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items))) != NULL)
    gtk_box_remove (self->items, child);
  self->n_errors = 0;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
hirc_error_summary_add (HircErrorSummary *self,
                        const char       *message,
                        GtkWidget        *target)
{
  GtkWidget *button;
  GtkWidget *label;
  GWeakRef *ref;

  g_return_if_fail (HIRC_IS_ERROR_SUMMARY (self));
  g_return_if_fail (message != NULL);
  g_return_if_fail (target == NULL || GTK_IS_WIDGET (target));

  label = gtk_label_new (message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_add_css_class (button, "hirc-error-link");
  /* GTK 4.8 does not name a button after a label it contains. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, message,
                                  -1);

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, target);
  g_object_set_data_full (G_OBJECT (button), TARGET_KEY, ref, weak_ref_free);
  g_signal_connect (button, "clicked", G_CALLBACK (item_clicked_cb), NULL);

  gtk_box_append (self->items, button);
  self->n_errors++;
}

guint
hirc_error_summary_get_n_errors (HircErrorSummary *self)
{
  g_return_val_if_fail (HIRC_IS_ERROR_SUMMARY (self), 0);

  return self->n_errors;
}

void
hirc_error_summary_present (HircErrorSummary *self)
{
  g_return_if_fail (HIRC_IS_ERROR_SUMMARY (self));

  gtk_widget_set_visible (GTK_WIDGET (self), self->n_errors > 0);
  if (self->n_errors > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self));
}
