/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-idle-warning.c: "Are you still there?". It only shows the seconds it is given and emits
 * "more-time"; the session owns the clock. */

#include "config.h"

#include "hirc-idle-warning.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-read-aloud-button.h"

struct _HircIdleWarning
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *countdown;
  GtkWidget *more_time;

  guint      seconds_left;
};

G_DEFINE_FINAL_TYPE (HircIdleWarning, hirc_idle_warning, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SECONDS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_MORE_TIME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_countdown (HircIdleWarning *self)
{
  g_autofree char *text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Your answers will be cleared in %u second.",
                                  "Your answers will be cleared in %u seconds.",
                                  self->seconds_left),
                     self->seconds_left);

  gtk_label_set_label (self->countdown, text);
}

static void
more_time_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_MORE_TIME], 0);
}

static gboolean
hirc_idle_warning_grab_focus (GtkWidget *widget)
{
  HircIdleWarning *self = HIRC_IDLE_WARNING (widget);

  return gtk_widget_grab_focus (self->more_time);
}

static void
hirc_idle_warning_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_IDLE_WARNING);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_idle_warning_parent_class)->dispose (object);
}

static void
hirc_idle_warning_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HircIdleWarning *self = HIRC_IDLE_WARNING (object);

  switch (prop_id)
    {
    case PROP_SECONDS_LEFT:
      g_value_set_uint (value, self->seconds_left);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_idle_warning_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HircIdleWarning *self = HIRC_IDLE_WARNING (object);

  switch (prop_id)
    {
    case PROP_SECONDS_LEFT:
      hirc_idle_warning_set_seconds_left (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_idle_warning_class_init (HircIdleWarningClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_idle_warning_dispose;
  object_class->get_property = hirc_idle_warning_get_property;
  object_class->set_property = hirc_idle_warning_set_property;
  widget_class->grab_focus = hirc_idle_warning_grab_focus;

  properties[PROP_SECONDS_LEFT] =
    g_param_spec_uint ("seconds-left", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MORE_TIME] =
    g_signal_new ("more-time", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "idle.more-time", NULL, more_time_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-idle-warning.ui");
  gtk_widget_class_bind_template_child (widget_class, HircIdleWarning, countdown);
  gtk_widget_class_bind_template_child (widget_class, HircIdleWarning, more_time);
  gtk_widget_class_set_css_name (widget_class, "idlewarning");
}

static void
hirc_idle_warning_init (HircIdleWarning *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_countdown (self);
}

GtkWidget *
hirc_idle_warning_new (void)
{
  return g_object_new (HIRC_TYPE_IDLE_WARNING, NULL);
}

guint
hirc_idle_warning_get_seconds_left (HircIdleWarning *self)
{
  g_return_val_if_fail (HIRC_IS_IDLE_WARNING (self), 0);

  return self->seconds_left;
}

void
hirc_idle_warning_set_seconds_left (HircIdleWarning *self,
                                    guint            seconds_left)
{
  g_return_if_fail (HIRC_IS_IDLE_WARNING (self));

  if (self->seconds_left == seconds_left)
    return;
  self->seconds_left = seconds_left;
  update_countdown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
}
