/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-answer-row.c: one row of "Check your answers". Where there is room, GOV.UK's summary
 * list: the question in a column of its own width, so that the answers of every row line up,
 * the answer beside it and Change at the far end. On a narrow screen (a portrait panel) the
 * answer column would be squeezed to a word a line; there the three go one under another, as
 * GOV.UK's list does on a phone. */

#include "config.h"

#include "hirc-answer-row.h"

#include "hirc-allocate.h"

/* The question's column; and the narrowest answer column worth keeping before stacking. */
#define QUESTION_WIDTH 360
#define ANSWER_MINIMUM_WIDTH 240
#define SPACING 24
/* Between the question, the answer and Change, one under another. */
#define STACK_SPACING 8

struct _HircAnswerRow
{
  GtkWidget  parent_instance;

  /* Borrowed: children. */
  GtkWidget *question;
  GtkWidget *answer;
  GtkWidget *change;
};

G_DEFINE_FINAL_TYPE (HircAnswerRow, hirc_answer_row, GTK_TYPE_WIDGET)

static int
natural_width (GtkWidget *widget)
{
  int natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

static int
minimum_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

static int
height_for (GtkWidget *widget,
            int        width)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL, NULL);
  return minimum;
}

static gboolean
in_columns (HircAnswerRow *self,
            int            width)
{
  return QUESTION_WIDTH + ANSWER_MINIMUM_WIDTH + natural_width (self->change) + 2 * SPACING
         <= width;
}

static int
answer_column_width (HircAnswerRow *self,
                     int            width)
{
  return width - QUESTION_WIDTH - natural_width (self->change) - 2 * SPACING;
}

static GtkSizeRequestMode
hirc_answer_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hirc_answer_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  HircAnswerRow *self = HIRC_ANSWER_ROW (widget);
  int width;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (minimum_width (self->question),
                      MAX (minimum_width (self->answer), minimum_width (self->change)));
      *natural = QUESTION_WIDTH + MAX (ANSWER_MINIMUM_WIDTH, natural_width (self->answer))
                 + natural_width (self->change) + 2 * SPACING;
      return;
    }

  width = for_size >= 0 ? for_size : QUESTION_WIDTH + ANSWER_MINIMUM_WIDTH
                                     + natural_width (self->change) + 2 * SPACING;
  if (in_columns (self, width))
    *minimum = MAX (height_for (self->question, QUESTION_WIDTH),
                    MAX (height_for (self->answer, answer_column_width (self, width)),
                         height_for (self->change, natural_width (self->change))));
  else
    *minimum = height_for (self->question, width) + STACK_SPACING
               + height_for (self->answer, width) + STACK_SPACING
               + height_for (self->change, MIN (natural_width (self->change), width));
  *natural = *minimum;
}

static void
hirc_answer_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  HircAnswerRow *self = HIRC_ANSWER_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int change_width = MIN (natural_width (self->change), width);
  int y = 0, h;

  if (in_columns (self, width))
    {
      hirc_allocate_from_start (self->question, rtl, width, 0, 0, QUESTION_WIDTH, height);
      hirc_allocate_from_start (self->answer, rtl, width, QUESTION_WIDTH + SPACING, 0,
                                answer_column_width (self, width), height);
      hirc_allocate_from_start (self->change, rtl, width, width - change_width, 0, change_width,
                                height);
      return;
    }

  h = height_for (self->question, width);
  hirc_allocate_from_start (self->question, rtl, width, 0, y, width, h);
  y += h + STACK_SPACING;
  h = height_for (self->answer, width);
  hirc_allocate_from_start (self->answer, rtl, width, 0, y, width, h);
  y += h + STACK_SPACING;
  hirc_allocate_from_start (self->change, rtl, width, 0, y, change_width,
                            MAX (height - y, 0));
}

static void
hirc_answer_row_dispose (GObject *object)
{
  HircAnswerRow *self = HIRC_ANSWER_ROW (object);

  g_clear_pointer (&self->question, gtk_widget_unparent);
  g_clear_pointer (&self->answer, gtk_widget_unparent);
  g_clear_pointer (&self->change, gtk_widget_unparent);

  G_OBJECT_CLASS (hirc_answer_row_parent_class)->dispose (object);
}

static void
hirc_answer_row_class_init (HircAnswerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_answer_row_dispose;
  widget_class->get_request_mode = hirc_answer_row_get_request_mode;
  widget_class->measure = hirc_answer_row_measure;
  widget_class->size_allocate = hirc_answer_row_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "answerrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
}

static void
hirc_answer_row_init (HircAnswerRow *self)
{
}

/* Takes the three widgets as its children, in reading order. */
GtkWidget *
hirc_answer_row_new (GtkWidget *question,
                     GtkWidget *answer,
                     GtkWidget *change)
{
  HircAnswerRow *self;

  g_return_val_if_fail (GTK_IS_WIDGET (question), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (answer), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (change), NULL);

  self = g_object_new (HIRC_TYPE_ANSWER_ROW, NULL);
  self->question = question;
  self->answer = answer;
  self->change = change;
  gtk_widget_set_parent (question, GTK_WIDGET (self));
  gtk_widget_set_parent (answer, GTK_WIDGET (self));
  gtk_widget_set_parent (change, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
