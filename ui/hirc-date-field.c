/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-date-field.c: an optional exact date, set with large "previous" and "next" buttons for
 * the day, the month and the year. A calendar's day cells are too small to touch reliably, and
 * typing needs a keyboard; stepping from today reaches recent dates, the usual case, in a few
 * presses. Dates after the latest allowed (today) cannot be reached. */

#include "config.h"

#include "hirc-date-field.h"

#include "hirc-choice-button.h"
#include "hirc-easy-read.h"
#include "hirc-field-parts.h"
#include "hirc-ui-language.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define EARLIEST_YEAR 1900

struct _HircDateField
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *legend;
  GtkLabel  *hint;
  GtkLabel  *error_label;
  GtkWidget *known_button;
  GtkWidget *steppers;
  GtkLabel  *day_value;
  GtkLabel  *month_value;
  GtkLabel  *year_value;
  GtkLabel  *written;

  GDate      date;    /* shown by the steppers, even while not known */
  GDate      latest;
  gboolean   latest_set;
  gboolean   known;
  char      *date_text;
};

G_DEFINE_FINAL_TYPE (HircDateField, hirc_date_field, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LABEL,
  PROP_HINT,
  PROP_ERROR,
  PROP_KNOWN,
  PROP_DATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GDate
latest_date (HircDateField *self)
{
  GDate today;

  if (self->latest_set)
    return self->latest;
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  return today;
}

static GDate
earliest_date (void)
{
  GDate earliest;

  g_date_clear (&earliest, 1);
  g_date_set_dmy (&earliest, 1, G_DATE_JANUARY, EARLIEST_YEAR);
  return earliest;
}

static GDateTime *
date_to_date_time (const GDate *date)
{
  return g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
}

/* The date the steppers would show after moving by days, months or years, clamped to the
 * allowed range. */
static GDate
moved (const GDate *from,
       int          days,
       int          months,
       int          years)
{
  GDate date = *from;

  if (days > 0)
    g_date_add_days (&date, (guint) days);
  else if (days < 0)
    g_date_subtract_days (&date, (guint) -days);
  if (months > 0)
    g_date_add_months (&date, (guint) months);
  else if (months < 0)
    g_date_subtract_months (&date, (guint) -months);
  if (years > 0)
    g_date_add_years (&date, (guint) years);
  else if (years < 0)
    g_date_subtract_years (&date, (guint) -years);
  return date;
}

/* A step that would pass either end of the range stops at that end, so a button is only
 * disabled when the date already is at the end it points to. */
static void
update_actions (HircDateField *self)
{
  static const char *const backward[] = {
    "date.previous-day", "date.previous-month", "date.previous-year"
  };
  static const char *const forward[] = {
    "date.next-day", "date.next-month", "date.next-year"
  };
  GDate latest = latest_date (self);
  GDate earliest = earliest_date ();
  gboolean can_go_back = self->known && g_date_compare (&self->date, &earliest) > 0;
  gboolean can_go_on = self->known && g_date_compare (&self->date, &latest) < 0;

  for (guint i = 0; i < G_N_ELEMENTS (backward); i++)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), backward[i], can_go_back);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), forward[i], can_go_on);
    }
}

static void
update_display (HircDateField *self)
{
  g_autoptr(GDateTime) time = date_to_date_time (&self->date);
  g_autofree char *day = g_strdup_printf ("%u", g_date_get_day (&self->date));
  g_autofree char *year = g_strdup_printf ("%u", g_date_get_year (&self->date));
  /* Under its caption "Month", alone: the nominative, where a language declines month names. */
  g_autofree char *month = hirc_ui_language_format_date_time (time, "%OB");
  /* Translators: the chosen date written out in full, in g_date_time_format() notation; the
   * weekday helps people remember ("it was a Tuesday"). */
  g_autofree char *written = hirc_ui_language_format_date_time (time, _("%A %-d %B %Y"));

  gtk_label_set_label (self->day_value, day);
  gtk_label_set_label (self->month_value, month);
  gtk_label_set_label (self->year_value, year);
  gtk_label_set_label (self->written, written);
  gtk_widget_set_visible (self->steppers, self->known);

  g_clear_pointer (&self->date_text, g_free);
  if (self->known)
    self->date_text = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&self->date),
                                       g_date_get_month (&self->date),
                                       g_date_get_day (&self->date));
  update_actions (self);
}

static void
step (HircDateField *self,
      int            days,
      int            months,
      int            years)
{
  GDate latest = latest_date (self);
  GDate earliest = earliest_date ();

  self->date = moved (&self->date, days, months, years);
  if (g_date_compare (&self->date, &latest) > 0)
    self->date = latest;
  if (g_date_compare (&self->date, &earliest) < 0)
    self->date = earliest;
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

static void
step_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HircDateField *self = HIRC_DATE_FIELD (widget);
  gboolean forward = g_str_has_prefix (action_name, "date.next-");
  int amount = forward ? 1 : -1;

  if (g_str_has_suffix (action_name, "-day"))
    step (self, amount, 0, 0);
  else if (g_str_has_suffix (action_name, "-month"))
    step (self, 0, amount, 0);
  else
    step (self, 0, 0, amount);
}

static void
set_known (HircDateField *self,
           gboolean       known)
{
  if (self->known == known)
    return;
  self->known = known;
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOWN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

static gboolean
hirc_date_field_grab_focus (GtkWidget *widget)
{
  HircDateField *self = HIRC_DATE_FIELD (widget);

  return gtk_widget_grab_focus (self->known_button);
}

static void
hirc_date_field_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_DATE_FIELD);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_date_field_parent_class)->dispose (object);
}

static void
hirc_date_field_finalize (GObject *object)
{
  HircDateField *self = HIRC_DATE_FIELD (object);

  g_free (self->date_text);

  G_OBJECT_CLASS (hirc_date_field_parent_class)->finalize (object);
}

static void
hirc_date_field_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HircDateField *self = HIRC_DATE_FIELD (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, gtk_label_get_label (self->legend));
      break;
    case PROP_HINT:
      g_value_set_string (value, gtk_label_get_label (self->hint));
      break;
    case PROP_ERROR:
      g_value_set_string (value, gtk_widget_get_visible (GTK_WIDGET (self->error_label))
                                   ? gtk_label_get_label (self->error_label) : NULL);
      break;
    case PROP_KNOWN:
      g_value_set_boolean (value, self->known);
      break;
    case PROP_DATE:
      g_value_set_string (value, self->date_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_date_field_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HircDateField *self = HIRC_DATE_FIELD (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      hirc_date_field_set_label (self, g_value_get_string (value));
      break;
    case PROP_HINT:
      hirc_date_field_set_hint (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      hirc_date_field_set_error (self, g_value_get_string (value));
      break;
    case PROP_KNOWN:
      set_known (self, g_value_get_boolean (value));
      break;
    case PROP_DATE:
      hirc_date_field_set_date (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_date_field_class_init (HircDateFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_date_field_dispose;
  object_class->finalize = hirc_date_field_finalize;
  object_class->get_property = hirc_date_field_get_property;
  object_class->set_property = hirc_date_field_set_property;
  widget_class->grab_focus = hirc_date_field_grab_focus;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KNOWN] =
    g_param_spec_boolean ("known", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HIRC_TYPE_CHOICE_BUTTON);
  gtk_widget_class_install_action (widget_class, "date.previous-day", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "date.next-day", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "date.previous-month", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "date.next-month", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "date.previous-year", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "date.next-year", NULL, step_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-date-field.ui");
  gtk_widget_class_bind_template_child (widget_class, HircDateField, legend);
  gtk_widget_class_bind_template_child (widget_class, HircDateField, hint);
  gtk_widget_class_bind_template_child (widget_class, HircDateField, error_label);
  gtk_widget_class_bind_template_child_full (widget_class, "known", FALSE,
                                             G_STRUCT_OFFSET (HircDateField, known_button));
  gtk_widget_class_bind_template_child (widget_class, HircDateField, steppers);
  gtk_widget_class_bind_template_child (widget_class, HircDateField, day_value);
  gtk_widget_class_bind_template_child (widget_class, HircDateField, month_value);
  gtk_widget_class_bind_template_child (widget_class, HircDateField, year_value);
  gtk_widget_class_bind_template_child (widget_class, HircDateField, written);
  gtk_widget_class_set_css_name (widget_class, "datefield");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hirc_date_field_init (HircDateField *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->known_button, "active", self, "known",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* A choice like any other: in Easy Read English it has its picture. */
  if (hirc_easy_read_is_active ())
    hirc_choice_button_set_picture (HIRC_CHOICE_BUTTON (self->known_button),
                                    hirc_easy_read_picture_new ("date", "known"));

  self->date = latest_date (self);
  update_display (self);
}

GtkWidget *
hirc_date_field_new (void)
{
  return g_object_new (HIRC_TYPE_DATE_FIELD, NULL);
}

const char *
hirc_date_field_get_label (HircDateField *self)
{
  g_return_val_if_fail (HIRC_IS_DATE_FIELD (self), NULL);

  return gtk_label_get_label (self->legend);
}

void
hirc_date_field_set_label (HircDateField *self,
                           const char    *label)
{
  g_return_if_fail (HIRC_IS_DATE_FIELD (self));

  if (g_strcmp0 (label, gtk_label_get_label (self->legend)) == 0)
    return;
  hirc_field_set_naming_label (self->legend, GTK_ACCESSIBLE (self), label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

void
hirc_date_field_set_hint (HircDateField *self,
                          const char    *hint)
{
  g_return_if_fail (HIRC_IS_DATE_FIELD (self));

  if (g_strcmp0 (hint, gtk_label_get_label (self->hint)) == 0)
    return;
  hirc_field_set_label_text (self->hint, hint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
}

void
hirc_date_field_set_error (HircDateField *self,
                           const char    *error)
{
  g_return_if_fail (HIRC_IS_DATE_FIELD (self));

  if (!hirc_field_show_error (GTK_WIDGET (self), GTK_ACCESSIBLE (self), self->error_label, error,
                              TRUE))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

const char *
hirc_date_field_get_date (HircDateField *self)
{
  g_return_val_if_fail (HIRC_IS_DATE_FIELD (self), NULL);

  return self->date_text;
}

/* Returns FALSE, changing nothing, for text that is not a date in the allowed range. */
gboolean
hirc_date_field_set_date (HircDateField *self,
                          const char    *date)
{
  GDate parsed;
  GDate latest;
  GDate earliest = earliest_date ();
  guint year, month, day;

  g_return_val_if_fail (HIRC_IS_DATE_FIELD (self), FALSE);

  if (date == NULL)
    {
      set_known (self, FALSE);
      return TRUE;
    }
  if (g_strcmp0 (date, self->date_text) == 0)
    return TRUE;
  if (sscanf (date, "%4u-%2u-%2u", &year, &month, &day) != 3 || strlen (date) != 10
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_clear (&parsed, 1);
  g_date_set_dmy (&parsed, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  latest = latest_date (self);
  if (g_date_compare (&parsed, &latest) > 0 || g_date_compare (&parsed, &earliest) < 0)
    return FALSE;

  self->date = parsed;
  if (self->known)
    {
      update_display (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
    }
  else
    set_known (self, TRUE);
  return TRUE;
}

void
hirc_date_field_set_latest (HircDateField *self,
                            const char    *date)
{
  guint year, month, day;

  g_return_if_fail (HIRC_IS_DATE_FIELD (self));
  g_return_if_fail (date != NULL);

  if (sscanf (date, "%4u-%2u-%2u", &year, &month, &day) != 3
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_critical ("HircDateField: \"%s\" is not a date", date);
      return;
    }
  g_date_clear (&self->latest, 1);
  g_date_set_dmy (&self->latest, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  self->latest_set = TRUE;
  if (g_date_compare (&self->date, &self->latest) > 0)
    self->date = self->latest;
  update_display (self);
}
