/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-answer-list.c: "Check your answers", GOV.UK style: each question, its answer (or "Not
 * given") and a Change button whose accessible name says what it changes. */

#include "config.h"

#include "hirc-answer-list.h"

#include "hirc-answer-row.h"

#include <glib/gi18n-lib.h>

#define KEY_DATA "hirc-answer-key"

struct _HircAnswerList
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkBox    *rows;
};

G_DEFINE_FINAL_TYPE (HircAnswerList, hirc_answer_list, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CHANGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
change_clicked_cb (HircAnswerList *self,
                   GtkButton      *button)
{
  const char *key = g_object_get_data (G_OBJECT (button), KEY_DATA);

  g_signal_emit (self, signals[SIGNAL_CHANGE], 0, key);
}

static GtkWidget *
wrapping_label (const char *text,
                const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
hirc_answer_list_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_ANSWER_LIST);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_answer_list_parent_class)->dispose (object);
}

static void
hirc_answer_list_class_init (HircAnswerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_answer_list_dispose;

  /**
   * HircAnswerList::change:
   * @key: the key the row was added with
   */
  signals[SIGNAL_CHANGE] =
    g_signal_new ("change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-answer-list.ui");
  gtk_widget_class_bind_template_child (widget_class, HircAnswerList, rows);
  gtk_widget_class_set_css_name (widget_class, "answerlist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
hirc_answer_list_init (HircAnswerList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_answer_list_new (void)
{
  return g_object_new (HIRC_TYPE_ANSWER_LIST, NULL);
}

void
hirc_answer_list_clear (HircAnswerList *self)
{
  GtkWidget *child;

  g_return_if_fail (HIRC_IS_ANSWER_LIST (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows))) != NULL)
    gtk_box_remove (self->rows, child);
}

void
hirc_answer_list_add_section (HircAnswerList *self,
                              const char     *title)
{
  GtkWidget *label;

  g_return_if_fail (HIRC_IS_ANSWER_LIST (self));
  g_return_if_fail (title != NULL);

  label = g_object_new (GTK_TYPE_LABEL,
                        "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                        "label", title,
                        "wrap", TRUE,
                        "xalign", 0.0f,
                        NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_widget_add_css_class (label, "hirc-answer-section");
  gtk_box_append (self->rows, label);
}

void
hirc_answer_list_add_row (HircAnswerList *self,
                          const char     *key,
                          const char     *question,
                          const char     *answer)
{
  GtkWidget *row;
  GtkWidget *question_label;
  GtkWidget *answer_label;
  GtkWidget *button;
  g_autofree char *button_name = NULL;

  g_return_if_fail (HIRC_IS_ANSWER_LIST (self));
  g_return_if_fail (key != NULL && question != NULL);

  question_label = wrapping_label (question, "hirc-answer-question");
  answer_label = wrapping_label (answer != NULL ? answer : _("Not given"),
                                 answer != NULL ? "hirc-answer-value" : "hirc-answer-missing");

  button = gtk_button_new_with_label (_("Change"));
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "hirc-change");
  /* Translators: the accessible name of a Change button on "Check your answers"; %s is the
   * question it changes, so that a screen reader says which of the many Change buttons this is. */
  button_name = g_strdup_printf (_("Change: %s"), question);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_name, -1);
  g_object_set_data_full (G_OBJECT (button), KEY_DATA, g_strdup (key), g_free);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (change_clicked_cb), self);

  row = hirc_answer_row_new (question_label, answer_label, button);
  gtk_widget_add_css_class (row, "hirc-answer-row");
  gtk_box_append (self->rows, row);
}

GtkWidget *
hirc_answer_list_get_change_button (HircAnswerList *self,
                                    const char     *key)
{
  g_return_val_if_fail (HIRC_IS_ANSWER_LIST (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->rows)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *button = gtk_widget_get_last_child (row);

      if (GTK_IS_BUTTON (button)
          && g_strcmp0 (g_object_get_data (G_OBJECT (button), KEY_DATA), key) == 0)
        return button;
    }
  return NULL;
}
