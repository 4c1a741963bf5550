/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-pin-form-page.c: a new PIN, typed twice. The first is kept in a fixed buffer that is
 * overwritten as soon as it has been compared. Emits "save" and "cancel". */

#include "config.h"

#include "hirc-pin-form-page.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hirc-clamp.h"
#include "hirc-pin-pad.h"
#include "hirc-read-aloud-button.h"
#include "hirc-text-field.h"

/* As hirc-staff.c allows. */
#define NAME_MAX_CHARS 60

struct _HircPinFormPage
{
  GtkWidget         parent_instance;

  /* Template widgets. */
  GtkLabel         *heading;
  HircTextField    *name;
  GtkLabel         *step;
  GtkLabel         *error;
  HircPinPad       *pad;
  GtkButton        *continue_button;

  HircPinCheckFunc  check_pin;
  gboolean          busy;
  gboolean          confirming;
  char              first[HIRC_PIN_PAD_MAX_DIGITS + 1];
  char              confirmed[HIRC_PIN_PAD_MAX_DIGITS + 1];
};

G_DEFINE_FINAL_TYPE (HircPinFormPage, hirc_pin_form_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SAVE,
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wipe (char  *buffer,
      gsize  len)
{
  volatile char *p = buffer;

  while (len-- > 0)
    *p++ = '\0';
}

static void
set_error (HircPinFormPage *self,
           const char      *message)
{
  gtk_label_set_label (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
}

static void
update (HircPinFormPage *self)
{
  gtk_label_set_label (self->step,
                       self->confirming ? _("Enter the same PIN again.")
                                        : _("Enter the new PIN. It must have 6 to 12 digits."));
  /* Translators: on the button that saves a new PIN once it has been typed twice. */
  gtk_button_set_label (self->continue_button, self->busy ? _("Saving…")
                                               : self->confirming ? _("Save the PIN")
                                                                  : _("Continue"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin-form.continue",
                                 !self->busy && hirc_pin_pad_get_length (self->pad) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin-form.cancel", !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), !self->busy);
}

static void
start_again (HircPinFormPage *self)
{
  wipe (self->first, sizeof self->first);
  self->confirming = FALSE;
  hirc_pin_pad_clear (self->pad);
  update (self);
}

static void
continue_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HircPinFormPage *self = HIRC_PIN_FORM_PAGE (widget);
  char *typed = hirc_pin_pad_dup_pin (self->pad);

  if (!self->confirming)
    {
      const char *problem = self->check_pin != NULL ? self->check_pin (typed) : NULL;

      set_error (self, problem);
      if (problem == NULL)
        {
          g_strlcpy (self->first, typed, sizeof self->first);
          self->confirming = TRUE;
        }
      hirc_pin_pad_clear (self->pad);
      update (self);
    }
  else if (strcmp (typed, self->first) != 0)
    {
      start_again (self);
      set_error (self, _("The two PINs are not the same. Enter the new PIN again."));
    }
  else
    {
      g_strlcpy (self->confirmed, typed, sizeof self->confirmed);
      wipe (self->first, sizeof self->first);
      hirc_pin_pad_clear (self->pad);
      set_error (self, NULL);
      g_signal_emit (self, signals[SIGNAL_SAVE], 0);
    }
  wipe (typed, strlen (typed));
  g_free (typed);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CANCEL], 0);
}

static void
hirc_pin_form_page_dispose (GObject *object)
{
  HircPinFormPage *self = HIRC_PIN_FORM_PAGE (object);
  GtkWidget *child;

  wipe (self->first, sizeof self->first);
  wipe (self->confirmed, sizeof self->confirmed);
  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_PIN_FORM_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_pin_form_page_parent_class)->dispose (object);
}

static void
hirc_pin_form_page_class_init (HircPinFormPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_pin_form_page_dispose;

  /* The PIN was typed the same twice: take it with hirc_pin_form_page_take_pin(). */
  signals[SIGNAL_SAVE] =
    g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "pin-form.continue", NULL, continue_action_cb);
  gtk_widget_class_install_action (widget_class, "pin-form.cancel", NULL, cancel_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  g_type_ensure (HIRC_TYPE_PIN_PAD);
  g_type_ensure (HIRC_TYPE_TEXT_FIELD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-pin-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircPinFormPage, heading);
  gtk_widget_class_bind_template_child (widget_class, HircPinFormPage, name);
  gtk_widget_class_bind_template_child (widget_class, HircPinFormPage, step);
  gtk_widget_class_bind_template_child (widget_class, HircPinFormPage, error);
  gtk_widget_class_bind_template_child (widget_class, HircPinFormPage, pad);
  gtk_widget_class_bind_template_child (widget_class, HircPinFormPage, continue_button);
  gtk_widget_class_set_css_name (widget_class, "pinformpage");
}

static void
hirc_pin_form_page_init (HircPinFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hirc_text_field_set_label (self->name, _("The ambassador's name"));
  hirc_text_field_set_hint (self->name, _("As the other staff know them. It is shown only on "
                                          "staff screens, never in a report."));
  hirc_text_field_set_max_length (self->name, NAME_MAX_CHARS);
  g_signal_connect_swapped (self->pad, "notify::length", G_CALLBACK (update), self);
  update (self);
}

GtkWidget *
hirc_pin_form_page_new (const char       *heading,
                        gboolean          asks_name,
                        HircPinCheckFunc  check_pin)
{
  HircPinFormPage *self = g_object_new (HIRC_TYPE_PIN_FORM_PAGE, NULL);

  gtk_label_set_label (self->heading, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->name), asks_name);
  self->check_pin = check_pin;
  return GTK_WIDGET (self);
}

const char *
hirc_pin_form_page_get_heading (HircPinFormPage *self)
{
  g_return_val_if_fail (HIRC_IS_PIN_FORM_PAGE (self), NULL);

  return gtk_label_get_label (self->heading);
}

char *
hirc_pin_form_page_dup_name (HircPinFormPage *self)
{
  g_return_val_if_fail (HIRC_IS_PIN_FORM_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->name)))
    return NULL;
  return hirc_text_field_get_text (self->name);
}

char *
hirc_pin_form_page_take_pin (HircPinFormPage *self)
{
  char *pin;

  g_return_val_if_fail (HIRC_IS_PIN_FORM_PAGE (self), NULL);

  pin = g_strdup (self->confirmed);
  wipe (self->confirmed, sizeof self->confirmed);
  return pin;
}

void
hirc_pin_form_page_set_busy (HircPinFormPage *self,
                             gboolean         busy)
{
  g_return_if_fail (HIRC_IS_PIN_FORM_PAGE (self));

  self->busy = !!busy;
  update (self);
}

void
hirc_pin_form_page_show_error (HircPinFormPage *self,
                               const char      *message)
{
  g_return_if_fail (HIRC_IS_PIN_FORM_PAGE (self));

  self->busy = FALSE;
  start_again (self);
  set_error (self, message);
}
