/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-text-field.c: a question answered in words: one line (an entry) or several (a large text
 * area), with a character count that appears only when the limit is near. */

#include "config.h"

#include "hirc-text-field.h"

#include <glib/gi18n-lib.h>

#include "hirc-field-parts.h"
#include "hirc-keyboard.h"

/* A line of 24 px text, and the text view's own margins, in logical pixels. */
#define LINE_HEIGHT 34
#define TEXT_MARGINS 24
#define DEFAULT_ROWS 3

/* The count appears once this share of the limit is used, as GOV.UK's character count does. */
#define COUNT_THRESHOLD_PERCENT 80

struct _HircTextField
{
  GtkWidget          parent_instance;

  /* Template widgets. */
  GtkLabel          *label;
  GtkLabel          *hint;
  GtkLabel          *error_label;
  GtkEntry          *entry;
  GtkScrolledWindow *scroller;
  GtkTextView       *text_view;
  GtkLabel          *count_label;

  guint              max_length;
  gboolean           multi_line;
};

G_DEFINE_FINAL_TYPE (HircTextField, hirc_text_field, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MULTI_LINE,
  PROP_LABEL,
  PROP_HINT,
  PROP_ERROR,
  PROP_MAX_LENGTH,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
input_widget (HircTextField *self)
{
  return self->multi_line ? GTK_WIDGET (self->text_view) : GTK_WIDGET (self->entry);
}

/* The input is described by whichever of the hint and the error are showing. */
static void
update_description (HircTextField *self)
{
  GtkAccessible *input = GTK_ACCESSIBLE (input_widget (self));
  GList *described_by = NULL;
  GValue value = G_VALUE_INIT;

  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    described_by = g_list_prepend (described_by, self->error_label);
  if (gtk_widget_get_visible (GTK_WIDGET (self->hint)))
    described_by = g_list_prepend (described_by, self->hint);

  if (described_by == NULL)
    {
      gtk_accessible_reset_relation (input, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
      return;
    }
  gtk_accessible_relation_init_value (GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, &value);
  g_value_set_pointer (&value, described_by);
  gtk_accessible_update_relation_value (input, 1,
                                        (GtkAccessibleRelation[]) {
                                          GTK_ACCESSIBLE_RELATION_DESCRIBED_BY },
                                        &value);
  g_value_unset (&value);
}

static guint
text_length (HircTextField *self)
{
  if (self->multi_line)
    return (guint) gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->text_view));
  return gtk_entry_get_text_length (self->entry);
}

static void
update_count (HircTextField *self)
{
  guint length;
  g_autofree char *text = NULL;

  if (self->max_length == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
      return;
    }
  length = text_length (self);
  if ((guint64) length * 100 < (guint64) self->max_length * COUNT_THRESHOLD_PERCENT)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
      return;
    }
  if (length <= self->max_length)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You have %u character left",
                                         "You have %u characters left",
                                         self->max_length - length),
                            self->max_length - length);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You have %u character too many",
                                         "You have %u characters too many",
                                         length - self->max_length),
                            length - self->max_length);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), TRUE);
}

static void
text_changed_cb (HircTextField *self)
{
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static gboolean
hirc_text_field_grab_focus (GtkWidget *widget)
{
  HircTextField *self = HIRC_TEXT_FIELD (widget);

  return gtk_widget_grab_focus (input_widget (self));
}

static void
hirc_text_field_constructed (GObject *object)
{
  HircTextField *self = HIRC_TEXT_FIELD (object);

  G_OBJECT_CLASS (hirc_text_field_parent_class)->constructed (object);

  gtk_widget_set_visible (GTK_WIDGET (self->entry), !self->multi_line);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), self->multi_line);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (text_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view), "changed",
                            G_CALLBACK (text_changed_cb), self);
}

static void
hirc_text_field_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_TEXT_FIELD);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_text_field_parent_class)->dispose (object);
}

static void
hirc_text_field_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HircTextField *self = HIRC_TEXT_FIELD (object);

  switch (prop_id)
    {
    case PROP_MULTI_LINE:
      g_value_set_boolean (value, self->multi_line);
      break;
    case PROP_LABEL:
      g_value_set_string (value, gtk_label_get_label (self->label));
      break;
    case PROP_HINT:
      g_value_set_string (value, gtk_label_get_label (self->hint));
      break;
    case PROP_ERROR:
      g_value_set_string (value, gtk_widget_get_visible (GTK_WIDGET (self->error_label))
                                   ? gtk_label_get_label (self->error_label) : NULL);
      break;
    case PROP_MAX_LENGTH:
      g_value_set_uint (value, self->max_length);
      break;
    case PROP_TEXT:
      g_value_take_string (value, hirc_text_field_get_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_text_field_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HircTextField *self = HIRC_TEXT_FIELD (object);

  switch (prop_id)
    {
    case PROP_MULTI_LINE:
      self->multi_line = g_value_get_boolean (value);
      break;
    case PROP_LABEL:
      hirc_text_field_set_label (self, g_value_get_string (value));
      break;
    case PROP_HINT:
      hirc_text_field_set_hint (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      hirc_text_field_set_error (self, g_value_get_string (value));
      break;
    case PROP_MAX_LENGTH:
      hirc_text_field_set_max_length (self, g_value_get_uint (value));
      break;
    case PROP_TEXT:
      hirc_text_field_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_text_field_class_init (HircTextFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hirc_text_field_constructed;
  object_class->dispose = hirc_text_field_dispose;
  object_class->get_property = hirc_text_field_get_property;
  object_class->set_property = hirc_text_field_set_property;
  widget_class->grab_focus = hirc_text_field_grab_focus;

  properties[PROP_MULTI_LINE] =
    g_param_spec_boolean ("multi-line", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LENGTH] =
    g_param_spec_uint ("max-length", NULL, NULL, 0, G_MAXINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-text-field.ui");
  gtk_widget_class_bind_template_child (widget_class, HircTextField, label);
  gtk_widget_class_bind_template_child (widget_class, HircTextField, hint);
  gtk_widget_class_bind_template_child (widget_class, HircTextField, error_label);
  gtk_widget_class_bind_template_child (widget_class, HircTextField, entry);
  gtk_widget_class_bind_template_child (widget_class, HircTextField, scroller);
  gtk_widget_class_bind_template_child (widget_class, HircTextField, text_view);
  gtk_widget_class_bind_template_child (widget_class, HircTextField, count_label);
  gtk_widget_class_set_css_name (widget_class, "textfield");
}

static void
hirc_text_field_init (HircTextField *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hirc_text_field_set_rows (self, DEFAULT_ROWS);
  /* With the on-screen keyboard open, the question and its hint stay in view above the box. */
  hirc_keyboard_reveal_whole (GTK_WIDGET (self));
}

GtkWidget *
hirc_text_field_new (gboolean multi_line)
{
  return g_object_new (HIRC_TYPE_TEXT_FIELD, "multi-line", multi_line, NULL);
}

gboolean
hirc_text_field_get_multi_line (HircTextField *self)
{
  g_return_val_if_fail (HIRC_IS_TEXT_FIELD (self), FALSE);

  return self->multi_line;
}

const char *
hirc_text_field_get_label (HircTextField *self)
{
  g_return_val_if_fail (HIRC_IS_TEXT_FIELD (self), NULL);

  return gtk_label_get_label (self->label);
}

void
hirc_text_field_set_label (HircTextField *self,
                           const char    *label)
{
  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));

  if (g_strcmp0 (label, gtk_label_get_label (self->label)) == 0)
    return;
  /* Without a label of its own, the input is named by the page heading (see HircQuestionPage),
   * never by both. */
  hirc_field_set_naming_label (self->label, GTK_ACCESSIBLE (input_widget (self)), label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

void
hirc_text_field_set_hint (HircTextField *self,
                          const char    *hint)
{
  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));

  if (g_strcmp0 (hint, gtk_label_get_label (self->hint)) == 0)
    return;
  hirc_field_set_label_text (self->hint, hint);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
}

void
hirc_text_field_set_error (HircTextField *self,
                           const char    *error)
{
  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));

  if (!hirc_field_show_error (GTK_WIDGET (self), GTK_ACCESSIBLE (input_widget (self)), self->error_label, error,
                              FALSE))
    return;
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
hirc_text_field_set_max_length (HircTextField *self,
                                guint          max_length)
{
  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));

  if (self->max_length == max_length)
    return;
  self->max_length = max_length;
  /* The entry simply stops at the limit; the text area lets people paste or type on and says by
   * how much they are over, so nothing they wrote is silently cut. */
  if (!self->multi_line)
    gtk_entry_set_max_length (self->entry, (int) MIN (max_length, (guint) G_MAXINT));
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LENGTH]);
}

void
hirc_text_field_set_rows (HircTextField *self,
                          guint          rows)
{
  int minimum;
  int maximum;

  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));
  g_return_if_fail (rows > 0 && rows < 100);

  /* The area grows with the text up to eight lines (or rows, if more), then scrolls. */
  minimum = (int) rows * LINE_HEIGHT + TEXT_MARGINS;
  maximum = (int) MAX (rows, 8) * LINE_HEIGHT + TEXT_MARGINS;
  /* GTK refuses a minimum above the maximum even for a moment: order the two changes. */
  if (minimum > gtk_scrolled_window_get_max_content_height (self->scroller))
    {
      gtk_scrolled_window_set_max_content_height (self->scroller, maximum);
      gtk_scrolled_window_set_min_content_height (self->scroller, minimum);
    }
  else
    {
      gtk_scrolled_window_set_min_content_height (self->scroller, minimum);
      gtk_scrolled_window_set_max_content_height (self->scroller, maximum);
    }
}

void
hirc_text_field_set_input_purpose (HircTextField   *self,
                                   GtkInputPurpose  purpose)
{
  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));

  if (self->multi_line)
    gtk_text_view_set_input_purpose (self->text_view, purpose);
  else
    gtk_entry_set_input_purpose (self->entry, purpose);
}

char *
hirc_text_field_get_text (HircTextField *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (HIRC_IS_TEXT_FIELD (self), NULL);

  if (!self->multi_line)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
hirc_text_field_set_text (HircTextField *self,
                          const char    *text)
{
  g_autofree char *current = NULL;

  g_return_if_fail (HIRC_IS_TEXT_FIELD (self));

  current = hirc_text_field_get_text (self);
  if (g_strcmp0 (current, text != NULL ? text : "") == 0)
    return;
  if (self->multi_line)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "",
                              -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text != NULL ? text : "");
}

GtkWidget *
hirc_text_field_get_input (HircTextField *self)
{
  g_return_val_if_fail (HIRC_IS_TEXT_FIELD (self), NULL);

  return input_widget (self);
}
