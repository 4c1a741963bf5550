/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-question-page.c: one page of the journey. The page knows nothing of the report: the
 * journey fills it with fields, listens for "continue" and "back", and hands it the errors to
 * show, which appear only after Continue, GOV.UK style. */

#include "config.h"

#include "hirc-question-page.h"

#include "hirc-choice-field.h"
#include "hirc-clamp.h"
#include "hirc-date-field.h"
#include "hirc-error-summary.h"
#include "hirc-read-aloud-button.h"
#include "hirc-text-field.h"

struct _HircQuestionPage
{
  GtkWidget         parent_instance;

  /* Template widgets. */
  GtkScrolledWindow *scroller;
  HircErrorSummary  *error_summary;
  GtkLabel          *heading;
  GtkLabel          *lead;
  GtkBox            *fields;
  GtkButton         *back_button;
  GtkButton         *continue_button;

  /* Borrowed, weak: the window whose focus is watched while the page is in it. */
  GtkWidget         *root;
  gulong             focus_handler;
};

G_DEFINE_FINAL_TYPE (HircQuestionPage, hirc_question_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_HEADING,
  PROP_LEAD,
  PROP_CONTINUE_LABEL,
  PROP_CAN_GO_BACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CONTINUE,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
continue_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CONTINUE], 0);
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

/* While a text box on the page has the focus, and so the on-screen keyboard is open below the
 * page, the page gets room at its end: enough for the question being typed into to scroll up
 * to the top of what is left in view, rather than stop wherever the page ends with the page
 * heading cut across at the top. */
static void
focus_changed_cb (HircQuestionPage *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self->root));
  gboolean typing = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self))
                    && gtk_widget_get_ancestor (focus, HIRC_TYPE_TEXT_FIELD) != NULL;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_widget_set_margin_bottom (GTK_WIDGET (self->fields),
                                typing ? (int) gtk_adjustment_get_page_size (adjustment) : 0);
}

static void
hirc_question_page_root (GtkWidget *widget)
{
  HircQuestionPage *self = HIRC_QUESTION_PAGE (widget);

  GTK_WIDGET_CLASS (hirc_question_page_parent_class)->root (widget);

  g_set_weak_pointer (&self->root, GTK_WIDGET (gtk_widget_get_root (widget)));
  self->focus_handler = g_signal_connect_swapped (self->root, "notify::focus-widget",
                                                  G_CALLBACK (focus_changed_cb), self);
}

static void
hirc_question_page_unroot (GtkWidget *widget)
{
  HircQuestionPage *self = HIRC_QUESTION_PAGE (widget);

  if (self->root != NULL)
    g_clear_signal_handler (&self->focus_handler, self->root);
  g_clear_weak_pointer (&self->root);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->fields), 0);

  GTK_WIDGET_CLASS (hirc_question_page_parent_class)->unroot (widget);
}

static void
hirc_question_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_QUESTION_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_question_page_parent_class)->dispose (object);
}

static void
hirc_question_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HircQuestionPage *self = HIRC_QUESTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_HEADING:
      g_value_set_string (value, gtk_label_get_label (self->heading));
      break;
    case PROP_LEAD:
      g_value_set_string (value, gtk_label_get_label (self->lead));
      break;
    case PROP_CONTINUE_LABEL:
      g_value_set_string (value, gtk_button_get_label (self->continue_button));
      break;
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, gtk_widget_get_visible (GTK_WIDGET (self->back_button)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_question_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HircQuestionPage *self = HIRC_QUESTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_HEADING:
      hirc_question_page_set_heading (self, g_value_get_string (value));
      break;
    case PROP_LEAD:
      hirc_question_page_set_lead (self, g_value_get_string (value));
      break;
    case PROP_CONTINUE_LABEL:
      hirc_question_page_set_continue_label (self, g_value_get_string (value));
      break;
    case PROP_CAN_GO_BACK:
      hirc_question_page_set_can_go_back (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_question_page_class_init (HircQuestionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_question_page_dispose;
  object_class->get_property = hirc_question_page_get_property;
  object_class->set_property = hirc_question_page_set_property;
  widget_class->root = hirc_question_page_root;
  widget_class->unroot = hirc_question_page_unroot;

  properties[PROP_HEADING] =
    g_param_spec_string ("heading", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEAD] =
    g_param_spec_string ("lead", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTINUE_LABEL] =
    g_param_spec_string ("continue-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_GO_BACK] =
    g_param_spec_boolean ("can-go-back", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CONTINUE] =
    g_signal_new ("continue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "page.continue", NULL, continue_action_cb);
  gtk_widget_class_install_action (widget_class, "page.back", NULL, back_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_ERROR_SUMMARY);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-question-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, error_summary);
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, heading);
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, lead);
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, fields);
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, HircQuestionPage, continue_button);
  gtk_widget_class_set_css_name (widget_class, "questionpage");
}

static void
hirc_question_page_init (HircQuestionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_question_page_new (void)
{
  return g_object_new (HIRC_TYPE_QUESTION_PAGE, NULL);
}

const char *
hirc_question_page_get_heading (HircQuestionPage *self)
{
  g_return_val_if_fail (HIRC_IS_QUESTION_PAGE (self), NULL);

  return gtk_label_get_label (self->heading);
}

void
hirc_question_page_set_heading (HircQuestionPage *self,
                                const char       *heading)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  if (g_strcmp0 (heading, gtk_label_get_label (self->heading)) == 0)
    return;
  gtk_label_set_label (self->heading, heading != NULL ? heading : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADING]);
}

void
hirc_question_page_set_lead (HircQuestionPage *self,
                             const char       *lead)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  if (g_strcmp0 (lead, gtk_label_get_label (self->lead)) == 0)
    return;
  gtk_label_set_label (self->lead, lead != NULL ? lead : "");
  gtk_widget_set_visible (GTK_WIDGET (self->lead), lead != NULL && lead[0] != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEAD]);
}

void
hirc_question_page_set_continue_label (HircQuestionPage *self,
                                       const char       *label)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));
  g_return_if_fail (label != NULL);

  if (g_strcmp0 (label, gtk_button_get_label (self->continue_button)) == 0)
    return;
  gtk_button_set_label (self->continue_button, label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTINUE_LABEL]);
}

void
hirc_question_page_set_can_go_back (HircQuestionPage *self,
                                    gboolean          can_go_back)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  if (can_go_back == gtk_widget_get_visible (GTK_WIDGET (self->back_button)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
}

void
hirc_question_page_set_busy (HircQuestionPage *self,
                             gboolean          busy)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.continue", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.back", !busy);
}

void
hirc_question_page_add_field (HircQuestionPage *self,
                              GtkWidget        *field)
{
  GtkAccessible *named = NULL;

  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (field));

  gtk_box_append (self->fields, field);

  if (HIRC_IS_CHOICE_FIELD (field))
    {
      const char *label = hirc_choice_field_get_label (HIRC_CHOICE_FIELD (field));

      if (label == NULL || label[0] == '\0')
        named = GTK_ACCESSIBLE (field);
    }
  else if (HIRC_IS_DATE_FIELD (field))
    {
      const char *label = hirc_date_field_get_label (HIRC_DATE_FIELD (field));

      if (label == NULL || label[0] == '\0')
        named = GTK_ACCESSIBLE (field);
    }
  else if (HIRC_IS_TEXT_FIELD (field))
    {
      const char *label = hirc_text_field_get_label (HIRC_TEXT_FIELD (field));

      if (label == NULL || label[0] == '\0')
        named = GTK_ACCESSIBLE (hirc_text_field_get_input (HIRC_TEXT_FIELD (field)));
    }
  if (named != NULL)
    gtk_accessible_update_relation (named, GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->heading,
                                    NULL, -1);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  HircQuestionPage *self = HIRC_QUESTION_PAGE (widget);
  g_autoptr(GtkWidget) target = g_weak_ref_get (user_data);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  graphene_rect_t bounds;
  double top, bottom, value, page_size;

  if (target == NULL || !gtk_widget_compute_bounds (target, content, &bounds))
    return G_SOURCE_REMOVE;
  top = bounds.origin.y;
  bottom = bounds.origin.y + bounds.size.height;
  value = gtk_adjustment_get_value (adjustment);
  page_size = gtk_adjustment_get_page_size (adjustment);
  /* The whole field if it fits, else its top. */
  if (bottom > value + page_size)
    value = MIN (bottom - page_size, top);
  else if (top < value)
    value = top;
  gtk_adjustment_set_value (adjustment, value);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
hirc_question_page_scroll_to (HircQuestionPage *self,
                              GtkWidget        *widget)
{
  GWeakRef *ref;

  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* The widget has only just been shown: its place is known after the next layout, which the
   * frame clock runs before the tick callback of the following frame. */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, widget);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, ref, weak_ref_free);
}

void
hirc_question_page_clear_errors (HircQuestionPage *self)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  hirc_error_summary_clear (self->error_summary);
}

void
hirc_question_page_add_error (HircQuestionPage *self,
                              const char       *message,
                              GtkWidget        *target)
{
  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  hirc_error_summary_add (self->error_summary, message, target);
}

void
hirc_question_page_present_errors (HircQuestionPage *self)
{
  GtkAdjustment *adjustment;

  g_return_if_fail (HIRC_IS_QUESTION_PAGE (self));

  /* The summary sits at the very top; scroll there so that it is seen, not only focused. */
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  hirc_error_summary_present (self->error_summary);
}
