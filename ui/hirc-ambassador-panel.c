/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ambassador-panel.c: the ambassador's guide. The guidance itself is in the template; the
 * tip and the idle timeout switch are set by the staff session. */

#include "config.h"

#include "hirc-ambassador-panel.h"

#include <glib/gi18n-lib.h>

#include "hirc-choice-button.h"

struct _HircAmbassadorPanel
{
  GtkWidget       parent_instance;

  /* Template widgets. */
  GtkLabel       *signed_in;
  GtkLabel       *tip;
  GtkBox         *idle_box;

  /* Borrowed: a child of idle_box. */
  GtkCheckButton *idle_off;
};

G_DEFINE_FINAL_TYPE (HircAmbassadorPanel, hirc_ambassador_panel, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_IDLE_TIMEOUT_OFF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
idle_off_toggled_cb (HircAmbassadorPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT_OFF]);
}

static void
hirc_ambassador_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_AMBASSADOR_PANEL);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_ambassador_panel_parent_class)->dispose (object);
}

static void
hirc_ambassador_panel_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HircAmbassadorPanel *self = HIRC_AMBASSADOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT_OFF:
      g_value_set_boolean (value, hirc_ambassador_panel_get_idle_timeout_off (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_ambassador_panel_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HircAmbassadorPanel *self = HIRC_AMBASSADOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT_OFF:
      hirc_ambassador_panel_set_idle_timeout_off (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_ambassador_panel_class_init (HircAmbassadorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_ambassador_panel_dispose;
  object_class->get_property = hirc_ambassador_panel_get_property;
  object_class->set_property = hirc_ambassador_panel_set_property;

  properties[PROP_IDLE_TIMEOUT_OFF] =
    g_param_spec_boolean ("idle-timeout-off", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-ambassador-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HircAmbassadorPanel, signed_in);
  gtk_widget_class_bind_template_child (widget_class, HircAmbassadorPanel, tip);
  gtk_widget_class_bind_template_child (widget_class, HircAmbassadorPanel, idle_box);
  gtk_widget_class_set_css_name (widget_class, "ambassadorpanel");
}

static void
hirc_ambassador_panel_init (HircAmbassadorPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->idle_off = GTK_CHECK_BUTTON (hirc_choice_button_new (
    FALSE, _("Switch off the idle timeout for this report")));
  g_signal_connect_swapped (self->idle_off, "toggled", G_CALLBACK (idle_off_toggled_cb), self);
  gtk_box_append (self->idle_box, GTK_WIDGET (self->idle_off));
}

GtkWidget *
hirc_ambassador_panel_new (const char *ambassador_name)
{
  HircAmbassadorPanel *self = g_object_new (HIRC_TYPE_AMBASSADOR_PANEL, NULL);
  /* Translators: at the top of the ambassador's guide; %s is the ambassador's name. */
  g_autofree char *text = g_strdup_printf (_("Signed in: %s"), ambassador_name);

  gtk_label_set_label (self->signed_in, text);
  return GTK_WIDGET (self);
}

void
hirc_ambassador_panel_set_tip (HircAmbassadorPanel *self,
                               const char          *tip)
{
  g_return_if_fail (HIRC_IS_AMBASSADOR_PANEL (self));

  gtk_label_set_label (self->tip, tip != NULL ? tip : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tip), tip != NULL);
}

gboolean
hirc_ambassador_panel_get_idle_timeout_off (HircAmbassadorPanel *self)
{
  g_return_val_if_fail (HIRC_IS_AMBASSADOR_PANEL (self), FALSE);

  return gtk_check_button_get_active (self->idle_off);
}

void
hirc_ambassador_panel_set_idle_timeout_off (HircAmbassadorPanel *self,
                                            gboolean             off)
{
  g_return_if_fail (HIRC_IS_AMBASSADOR_PANEL (self));

  /* The button's "toggled" notifies. */
  gtk_check_button_set_active (self->idle_off, off);
}
