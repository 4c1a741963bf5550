/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff-sign-in-page.c: staff sign-in. The wait after too many wrong PINs is counted down
 * here from a monotonic deadline, so that a slow frame never makes it look shorter. */

#include "config.h"

#include "hirc-staff-sign-in-page.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-pin-pad.h"
#include "hirc-read-aloud-button.h"

/* The fewest digits a PIN has (hirc-staff.h): Sign in waits for them. */
#define MIN_DIGITS 6

struct _HircStaffSignInPage
{
  GtkWidget   parent_instance;

  /* Template widgets. */
  GtkLabel   *message;
  HircPinPad *pad;
  GtkButton  *sign_in_button;

  gboolean    busy;
  gboolean    after_wrong_pin;
  gint64      wait_until;       /* monotonic microseconds; 0 when not waiting */
  guint       tick_source;
};

G_DEFINE_FINAL_TYPE (HircStaffSignInPage, hirc_staff_sign_in_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SIGN_IN,
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_message (HircStaffSignInPage *self,
             const char          *text)
{
  gtk_label_set_label (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && text[0] != '\0');
}

static guint
seconds_left (HircStaffSignInPage *self)
{
  gint64 left = self->wait_until - g_get_monotonic_time ();

  return left <= 0 ? 0 : (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static void
update_actions (HircStaffSignInPage *self)
{
  gboolean waiting = self->wait_until != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit",
                                 !self->busy && !waiting
                                 && hirc_pin_pad_get_length (self->pad) >= MIN_DIGITS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel", !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), !self->busy && !waiting);
}

static void
show_wait (HircStaffSignInPage *self)
{
  guint left = seconds_left (self);
  g_autofree char *text = NULL;

  if (self->after_wrong_pin)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Wrong PIN. Try again in %u second.",
                                         "Wrong PIN. Try again in %u seconds.", left), left);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Too many wrong PINs. Try again in %u second.",
                                         "Too many wrong PINs. Try again in %u seconds.", left),
                            left);
  set_message (self, text);
}

static gboolean
tick_cb (gpointer user_data)
{
  HircStaffSignInPage *self = user_data;

  if (seconds_left (self) > 0)
    {
      show_wait (self);
      return G_SOURCE_CONTINUE;
    }
  self->tick_source = 0;
  self->wait_until = 0;
  set_message (self, _("You can try again now."));
  update_actions (self);
  return G_SOURCE_REMOVE;
}

static void
submit_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SIGN_IN], 0);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CANCEL], 0);
}

static void
hirc_staff_sign_in_page_dispose (GObject *object)
{
  HircStaffSignInPage *self = HIRC_STAFF_SIGN_IN_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_STAFF_SIGN_IN_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_staff_sign_in_page_parent_class)->dispose (object);
}

static void
hirc_staff_sign_in_page_class_init (HircStaffSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_staff_sign_in_page_dispose;

  /* Sign in was pressed: take the PIN with hirc_staff_sign_in_page_take_pin(). */
  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action_cb);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  g_type_ensure (HIRC_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-staff-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircStaffSignInPage, message);
  gtk_widget_class_bind_template_child (widget_class, HircStaffSignInPage, pad);
  gtk_widget_class_bind_template_child (widget_class, HircStaffSignInPage, sign_in_button);
  gtk_widget_class_set_css_name (widget_class, "staffsigninpage");
}

static void
hirc_staff_sign_in_page_init (HircStaffSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->pad, "notify::length", G_CALLBACK (update_actions), self);
  update_actions (self);
}

GtkWidget *
hirc_staff_sign_in_page_new (void)
{
  return g_object_new (HIRC_TYPE_STAFF_SIGN_IN_PAGE, NULL);
}

char *
hirc_staff_sign_in_page_take_pin (HircStaffSignInPage *self)
{
  char *pin;

  g_return_val_if_fail (HIRC_IS_STAFF_SIGN_IN_PAGE (self), NULL);

  pin = hirc_pin_pad_dup_pin (self->pad);
  hirc_pin_pad_clear (self->pad);
  return pin;
}

void
hirc_staff_sign_in_page_set_busy (HircStaffSignInPage *self,
                                  gboolean             busy)
{
  g_return_if_fail (HIRC_IS_STAFF_SIGN_IN_PAGE (self));

  self->busy = !!busy;
  /* Translators: on the Sign in button while the PIN is being checked. */
  gtk_button_set_label (self->sign_in_button, busy ? _("Checking…") : _("Sign in"));
  if (busy)
    set_message (self, NULL);
  update_actions (self);
}

void
hirc_staff_sign_in_page_wrong_pin (HircStaffSignInPage *self)
{
  g_return_if_fail (HIRC_IS_STAFF_SIGN_IN_PAGE (self));

  set_message (self, _("Wrong PIN. Try again."));
}

void
hirc_staff_sign_in_page_wait (HircStaffSignInPage *self,
                              guint                seconds,
                              gboolean             after_wrong_pin)
{
  g_return_if_fail (HIRC_IS_STAFF_SIGN_IN_PAGE (self));

  g_clear_handle_id (&self->tick_source, g_source_remove);
  self->after_wrong_pin = after_wrong_pin;
  self->wait_until = g_get_monotonic_time () + (gint64) MAX (seconds, 1) * G_USEC_PER_SEC;
  show_wait (self);
  /* A quarter of a second keeps the count within a quarter of a second of the truth. */
  self->tick_source = g_timeout_add (250, tick_cb, self);
  update_actions (self);
}

void
hirc_staff_sign_in_page_show_error (HircStaffSignInPage *self,
                                    const char          *message)
{
  g_return_if_fail (HIRC_IS_STAFF_SIGN_IN_PAGE (self));

  set_message (self, message);
}
