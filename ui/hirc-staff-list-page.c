/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff-list-page.c: the staff list. Removing someone asks first, on the same page, since
 * it cannot be undone without their new PIN. Signals carry the member's id: "add",
 * "change-pin" (id), "remove" (id), "change-admin-pin" and "back". */

#include "config.h"

#include "hirc-staff-list-page.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-read-aloud-button.h"

struct _HircStaffListPage
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *message;
  GtkBox    *confirm;
  GtkLabel  *confirm_question;
  GtkWidget *keep_button;
  GtkBox    *ambassadors;
  GtkLabel  *no_ambassadors;

  char      *removing;   /* the id waiting for "Yes, remove" */
};

G_DEFINE_FINAL_TYPE (HircStaffListPage, hirc_staff_list_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_ADD,
  SIGNAL_CHANGE_PIN,
  SIGNAL_REMOVE,
  SIGNAL_CHANGE_ADMIN_PIN,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hide_confirm (HircStaffListPage *self)
{
  g_clear_pointer (&self->removing, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm), FALSE);
}

static void
simple_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HircStaffListPage *self = HIRC_STAFF_LIST_PAGE (widget);

  hide_confirm (self);
  if (g_str_equal (action_name, "staff.add"))
    g_signal_emit (self, signals[SIGNAL_ADD], 0);
  else if (g_str_equal (action_name, "staff.change-admin-pin"))
    g_signal_emit (self, signals[SIGNAL_CHANGE_ADMIN_PIN], 0);
  else if (g_str_equal (action_name, "staff.back"))
    g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static void
change_pin_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  hide_confirm (HIRC_STAFF_LIST_PAGE (widget));
  g_signal_emit (widget, signals[SIGNAL_CHANGE_PIN], 0, g_variant_get_string (parameter, NULL));
}

static void
ask_remove_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HircStaffListPage *self = HIRC_STAFF_LIST_PAGE (widget);
  const char *name = NULL;
  g_autofree char *question = NULL;

  g_free (self->removing);
  self->removing = g_strdup (g_variant_get_string (parameter, NULL));
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->ambassadors)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "id"), self->removing) == 0)
      name = g_object_get_data (G_OBJECT (row), "name");
  /* Translators: %s is an ambassador's name. */
  question = g_strdup_printf (_("Remove %s? They will not be able to sign in any more."),
                              name != NULL ? name : self->removing);
  gtk_label_set_label (self->confirm_question, question);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm), TRUE);
  /* The safe answer has the focus, so that a second tap by mistake removes nobody. */
  gtk_widget_grab_focus (self->keep_button);
}

static void
confirm_remove_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  HircStaffListPage *self = HIRC_STAFF_LIST_PAGE (widget);
  g_autofree char *id = g_steal_pointer (&self->removing);

  hide_confirm (self);
  if (id != NULL)
    g_signal_emit (self, signals[SIGNAL_REMOVE], 0, id);
}

static void
keep_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  hide_confirm (HIRC_STAFF_LIST_PAGE (widget));
}

static GtkWidget *
make_row_button (const char *label,
                 const char *accessible_label,
                 const char *action,
                 const char *id)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "hirc-secondary");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  return button;
}

static void
hirc_staff_list_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_STAFF_LIST_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_staff_list_page_parent_class)->dispose (object);
}

static void
hirc_staff_list_page_finalize (GObject *object)
{
  HircStaffListPage *self = HIRC_STAFF_LIST_PAGE (object);

  g_free (self->removing);

  G_OBJECT_CLASS (hirc_staff_list_page_parent_class)->finalize (object);
}

static void
hirc_staff_list_page_class_init (HircStaffListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_staff_list_page_dispose;
  object_class->finalize = hirc_staff_list_page_finalize;

  signals[SIGNAL_ADD] =
    g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_CHANGE_PIN] =
    g_signal_new ("change-pin", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CHANGE_ADMIN_PIN] =
    g_signal_new ("change-admin-pin", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "staff.add", NULL, simple_action_cb);
  gtk_widget_class_install_action (widget_class, "staff.change-admin-pin", NULL,
                                   simple_action_cb);
  gtk_widget_class_install_action (widget_class, "staff.back", NULL, simple_action_cb);
  gtk_widget_class_install_action (widget_class, "staff.change-pin", "s", change_pin_action_cb);
  gtk_widget_class_install_action (widget_class, "staff.ask-remove", "s", ask_remove_action_cb);
  gtk_widget_class_install_action (widget_class, "staff.confirm-remove", NULL,
                                   confirm_remove_action_cb);
  gtk_widget_class_install_action (widget_class, "staff.keep", NULL, keep_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-staff-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircStaffListPage, message);
  gtk_widget_class_bind_template_child (widget_class, HircStaffListPage, confirm);
  gtk_widget_class_bind_template_child (widget_class, HircStaffListPage, confirm_question);
  gtk_widget_class_bind_template_child (widget_class, HircStaffListPage, keep_button);
  gtk_widget_class_bind_template_child (widget_class, HircStaffListPage, ambassadors);
  gtk_widget_class_bind_template_child (widget_class, HircStaffListPage, no_ambassadors);
  gtk_widget_class_set_css_name (widget_class, "stafflistpage");
}

static void
hirc_staff_list_page_init (HircStaffListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_staff_list_page_new (void)
{
  return g_object_new (HIRC_TYPE_STAFF_LIST_PAGE, NULL);
}

void
hirc_staff_list_page_set_ambassadors (HircStaffListPage  *self,
                                      const char * const *ids,
                                      const char * const *names)
{
  GtkWidget *child;

  g_return_if_fail (HIRC_IS_STAFF_LIST_PAGE (self));

  hide_confirm (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->ambassadors))) != NULL)
    gtk_box_remove (self->ambassadors, child);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
      GtkWidget *name = g_object_new (GTK_TYPE_LABEL, "label", names[i], "xalign", 0.0f,
                                      "wrap", TRUE, "hexpand", TRUE, NULL);
      /* Translators: the accessible name of a "Change PIN" button; %s is an ambassador's
       * name. */
      g_autofree char *change = g_strdup_printf (_("Change the PIN of %s"), names[i]);
      /* Translators: the accessible name of a "Remove" button; %s is an ambassador's name. */
      g_autofree char *remove = g_strdup_printf (_("Remove %s"), names[i]);

      gtk_widget_add_css_class (row, "hirc-staff-row");
      g_object_set_data_full (G_OBJECT (row), "id", g_strdup (ids[i]), g_free);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (names[i]), g_free);
      gtk_box_append (GTK_BOX (row), name);
      /* Translators: a button beside an ambassador's name. */
      gtk_box_append (GTK_BOX (row), make_row_button (_("Change PIN"), change,
                                                      "staff.change-pin", ids[i]));
      /* Translators: a button beside an ambassador's name. */
      gtk_box_append (GTK_BOX (row), make_row_button (_("Remove"), remove, "staff.ask-remove",
                                                      ids[i]));
      gtk_box_append (self->ambassadors, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_ambassadors), ids == NULL || ids[0] == NULL);
}

void
hirc_staff_list_page_set_message (HircStaffListPage *self,
                                  const char        *message)
{
  g_return_if_fail (HIRC_IS_STAFF_LIST_PAGE (self));

  gtk_label_set_label (self->message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), message != NULL);
}
