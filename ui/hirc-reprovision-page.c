/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-reprovision-page.c: the bundles, the question and the outcome. Emits "chosen" (guint),
 * "look-again", "confirm" and "back". */

#include "config.h"

#include "hirc-reprovision-page.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-read-aloud-button.h"

struct _HircReprovisionPage
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkBox    *bundles;
  GtkLabel  *none_found;
  GtkBox    *question_box;
  GtkLabel  *question;
  GtkBox    *outcome;
  GtkButton *back;
  GtkButton *look_again;
};

G_DEFINE_FINAL_TYPE (HircReprovisionPage, hirc_reprovision_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CHOSEN,
  SIGNAL_LOOK_AGAIN,
  SIGNAL_CONFIRM,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  if (g_str_equal (action_name, "reprovision.choose"))
    g_signal_emit (widget, signals[SIGNAL_CHOSEN], 0, g_variant_get_uint32 (parameter));
  else if (g_str_equal (action_name, "reprovision.look-again"))
    g_signal_emit (widget, signals[SIGNAL_LOOK_AGAIN], 0);
  else if (g_str_equal (action_name, "reprovision.confirm"))
    g_signal_emit (widget, signals[SIGNAL_CONFIRM], 0);
  else
    g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
set_choosing_enabled (HircReprovisionPage *self,
                      gboolean             enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reprovision.choose", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reprovision.look-again", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reprovision.confirm", enabled);
}

static void
hirc_reprovision_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_REPROVISION_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_reprovision_page_parent_class)->dispose (object);
}

static void
hirc_reprovision_page_class_init (HircReprovisionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_reprovision_page_dispose;

  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_LOOK_AGAIN] =
    g_signal_new ("look-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CONFIRM] =
    g_signal_new ("confirm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "reprovision.choose", "u", emit_action_cb);
  gtk_widget_class_install_action (widget_class, "reprovision.look-again", NULL, emit_action_cb);
  gtk_widget_class_install_action (widget_class, "reprovision.confirm", NULL, emit_action_cb);
  gtk_widget_class_install_action (widget_class, "reprovision.back", NULL, emit_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-reprovision-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, bundles);
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, none_found);
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, question_box);
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, question);
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, outcome);
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, back);
  gtk_widget_class_bind_template_child (widget_class, HircReprovisionPage, look_again);
  gtk_widget_class_set_css_name (widget_class, "reprovisionpage");
}

static void
hirc_reprovision_page_init (HircReprovisionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_reprovision_page_new (void)
{
  return g_object_new (HIRC_TYPE_REPROVISION_PAGE, NULL);
}

void
hirc_reprovision_page_set_bundles (HircReprovisionPage *self,
                                   const char * const  *titles,
                                   const char * const  *details)
{
  g_return_if_fail (HIRC_IS_REPROVISION_PAGE (self));

  clear_box (self->bundles);
  for (guint i = 0; titles != NULL && titles[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *title = g_object_new (GTK_TYPE_LABEL, "label", titles[i], "xalign", 0.0f,
                                       "wrap", TRUE, NULL);
      GtkWidget *detail = g_object_new (GTK_TYPE_LABEL, "label", details[i], "xalign", 0.0f,
                                        "wrap", TRUE, "wrap-mode", PANGO_WRAP_WORD_CHAR, NULL);
      g_autofree char *name = g_strdup_printf ("%s, %s", titles[i], details[i]);

      gtk_widget_add_css_class (title, "hirc-dashboard-caption");
      gtk_widget_add_css_class (detail, "hirc-hint");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), detail);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "hirc-secondary");
      /* A button made of labels has no name of its own for a screen reader. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "reprovision.choose");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_box_append (self->bundles, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->bundles), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->none_found), titles == NULL || titles[0] == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->question_box), FALSE);
}

void
hirc_reprovision_page_ask (HircReprovisionPage *self,
                           const char          *question)
{
  g_return_if_fail (HIRC_IS_REPROVISION_PAGE (self));

  gtk_label_set_label (self->question, question);
  gtk_widget_set_visible (GTK_WIDGET (self->question_box), TRUE);
  clear_box (self->outcome);
  gtk_widget_grab_focus (GTK_WIDGET (self->question));
}

static void
show_lines (HircReprovisionPage *self,
            const char          *sentence,
            const char * const  *lines,
            const char          *css_class)
{
  clear_box (self->outcome);
  for (guint i = 0; i == 0 || (lines != NULL && lines[i - 1] != NULL); i++)
    {
      const char *text = i == 0 ? sentence : lines[i - 1];
      GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "label", text, "xalign", 0.0f,
                                       "wrap", TRUE, "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                       "selectable", FALSE, NULL);

      gtk_widget_add_css_class (label, css_class);
      gtk_box_append (self->outcome, label);
    }
}

void
hirc_reprovision_page_set_busy (HircReprovisionPage *self,
                                const char          *doing)
{
  g_return_if_fail (HIRC_IS_REPROVISION_PAGE (self));

  set_choosing_enabled (self, FALSE);
  /* Leaving now would leave the kiosk half moved with this session none the wiser. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reprovision.back", FALSE);
  show_lines (self, doing, NULL, "hirc-dashboard-fine");
}

void
hirc_reprovision_page_set_outcome (HircReprovisionPage *self,
                                   const char          *sentence,
                                   const char * const  *lines,
                                   gboolean             success)
{
  g_return_if_fail (HIRC_IS_REPROVISION_PAGE (self));

  set_choosing_enabled (self, !success);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reprovision.back", TRUE);
  /* This session belongs to the old set-up: after a change the way out is signing out. */
  if (success)
    gtk_button_set_label (self->back, _("Sign out"));
  gtk_widget_set_visible (GTK_WIDGET (self->look_again), !success);
  gtk_widget_set_visible (GTK_WIDGET (self->question_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->bundles), !success);
  gtk_widget_set_visible (GTK_WIDGET (self->none_found), FALSE);
  show_lines (self, sentence, lines, success ? "hirc-dashboard-fine" : "hirc-dashboard-problem");
}
