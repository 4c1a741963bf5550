/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-pin-pad.c: the number pad. The digits live only in a fixed buffer here, overwritten
 * whenever they are cleared; the screen shows a dot for each, and a screen reader hears how
 * many there are, never which. */

#include "config.h"

#include "hirc-pin-pad.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hirc-read-aloud-button.h"

struct _HircPinPad
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *dots;

  char       digits[HIRC_PIN_PAD_MAX_DIGITS + 1];
  guint      length;
};

G_DEFINE_FINAL_TYPE (HircPinPad, hirc_pin_pad, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The compiler may not drop this store as dead: the buffer is read again through it. */
static void
wipe (char  *buffer,
      gsize  len)
{
  volatile char *p = buffer;

  while (len-- > 0)
    *p++ = '\0';
}

/* The keys follow the pad's own sensitivity too: an insensitive parent does not make its
 * children say so to a screen reader. */
static void
update_actions (HircPinPad *self)
{
  gboolean usable = gtk_widget_get_sensitive (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.digit",
                                 usable && self->length < HIRC_PIN_PAD_MAX_DIGITS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.delete", usable && self->length > 0);
}

static void
update (HircPinPad *self)
{
  g_autoptr(GString) dots = g_string_new (NULL);
  g_autofree char *spoken = NULL;

  for (guint i = 0; i < self->length; i++)
    g_string_append (dots, i == 0 ? "●" : " ●");
  gtk_label_set_label (self->dots, dots->str);
  /* Translators: what a screen reader says for the PIN shown as dots. */
  spoken = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "PIN: %u digit entered",
                                         "PIN: %u digits entered", self->length),
                            self->length);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dots), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  spoken, -1);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LENGTH]);
}

static void
digit_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HircPinPad *self = HIRC_PIN_PAD (widget);
  const char *digit = g_variant_get_string (parameter, NULL);

  if (self->length >= HIRC_PIN_PAD_MAX_DIGITS || strlen (digit) != 1
      || !g_ascii_isdigit (digit[0]))
    return;
  self->digits[self->length++] = digit[0];
  update (self);
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HircPinPad *self = HIRC_PIN_PAD (widget);

  if (self->length == 0)
    return;
  self->digits[--self->length] = '\0';
  update (self);
}

static void
hirc_pin_pad_dispose (GObject *object)
{
  HircPinPad *self = HIRC_PIN_PAD (object);
  GtkWidget *child;

  wipe (self->digits, sizeof self->digits);
  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_PIN_PAD);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_pin_pad_parent_class)->dispose (object);
}

static void
hirc_pin_pad_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HircPinPad *self = HIRC_PIN_PAD (object);

  switch (prop_id)
    {
    case PROP_LENGTH:
      g_value_set_uint (value, self->length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_pin_pad_class_init (HircPinPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_pin_pad_dispose;
  object_class->get_property = hirc_pin_pad_get_property;

  properties[PROP_LENGTH] =
    g_param_spec_uint ("length", NULL, NULL, 0, HIRC_PIN_PAD_MAX_DIGITS, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "pin.digit", "s", digit_action_cb);
  gtk_widget_class_install_action (widget_class, "pin.delete", NULL, delete_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, HircPinPad, dots);
  gtk_widget_class_set_css_name (widget_class, "pinpad");
}

static void
hirc_pin_pad_init (HircPinPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Reading a page aloud tells what to do; ten digits and "Delete" would only drown it. */
  hirc_read_aloud_ignore (GTK_WIDGET (self));
  g_signal_connect (self, "notify::sensitive", G_CALLBACK (update_actions), NULL);
  update (self);
}

GtkWidget *
hirc_pin_pad_new (void)
{
  return g_object_new (HIRC_TYPE_PIN_PAD, NULL);
}

guint
hirc_pin_pad_get_length (HircPinPad *self)
{
  g_return_val_if_fail (HIRC_IS_PIN_PAD (self), 0);

  return self->length;
}

char *
hirc_pin_pad_dup_pin (HircPinPad *self)
{
  g_return_val_if_fail (HIRC_IS_PIN_PAD (self), NULL);

  return g_strndup (self->digits, self->length);
}

void
hirc_pin_pad_clear (HircPinPad *self)
{
  g_return_if_fail (HIRC_IS_PIN_PAD (self));

  wipe (self->digits, sizeof self->digits);
  if (self->length == 0)
    return;
  self->length = 0;
  update (self);
}
