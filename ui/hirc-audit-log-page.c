/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-audit-log-page.c: the activity log, one row per entry. Emits "back". */

#include "config.h"

#include "hirc-audit-log-page.h"

#include "hirc-clamp.h"
#include "hirc-read-aloud-button.h"

struct _HircAuditLogPage
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *error;
  GtkBox    *entries;
  GtkLabel  *empty;
};

G_DEFINE_FINAL_TYPE (HircAuditLogPage, hirc_audit_log_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
hirc_audit_log_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_AUDIT_LOG_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_audit_log_page_parent_class)->dispose (object);
}

static void
hirc_audit_log_page_class_init (HircAuditLogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_audit_log_page_dispose;

  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "log.back", NULL, back_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-audit-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircAuditLogPage, error);
  gtk_widget_class_bind_template_child (widget_class, HircAuditLogPage, entries);
  gtk_widget_class_bind_template_child (widget_class, HircAuditLogPage, empty);
  gtk_widget_class_set_css_name (widget_class, "auditlogpage");
}

static void
hirc_audit_log_page_init (HircAuditLogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_audit_log_page_new (void)
{
  return g_object_new (HIRC_TYPE_AUDIT_LOG_PAGE, NULL);
}

void
hirc_audit_log_page_set_entries (HircAuditLogPage   *self,
                                 const char * const *when,
                                 const char * const *happened)
{
  GtkWidget *child;

  g_return_if_fail (HIRC_IS_AUDIT_LOG_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries))) != NULL)
    gtk_box_remove (self->entries, child);
  for (guint i = 0; when != NULL && when[i] != NULL; i++)
    {
      GtkWidget *row = g_object_new (GTK_TYPE_BOX, "spacing", 32,
                                     "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM, NULL);
      GtkWidget *time = g_object_new (GTK_TYPE_LABEL, "label", when[i], "xalign", 0.0f,
                                      "yalign", 0.0f, NULL);
      GtkWidget *what = g_object_new (GTK_TYPE_LABEL, "label", happened[i], "xalign", 0.0f,
                                      "wrap", TRUE, "hexpand", TRUE, NULL);

      gtk_widget_add_css_class (time, "hirc-log-time");
      gtk_box_append (GTK_BOX (row), time);
      gtk_box_append (GTK_BOX (row), what);
      gtk_box_append (self->entries, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty), when == NULL || when[0] == NULL);
}

void
hirc_audit_log_page_set_error (HircAuditLogPage *self,
                               const char       *message)
{
  g_return_if_fail (HIRC_IS_AUDIT_LOG_PAGE (self));

  gtk_label_set_label (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
}
