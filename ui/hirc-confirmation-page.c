/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-confirmation-page.c: the confirmation page; it emits "finish" when the reporter is done. */

#include "config.h"

#include "hirc-confirmation-page.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-qr-code.h"
#include "hirc-read-aloud-button.h"

struct _HircConfirmationPage
{
  GtkWidget   parent_instance;

  /* Template widgets. */
  GtkLabel   *reference_label;
  HircQrCode *qr_code;
  GtkLabel   *saved_label;
  GtkBox     *next_steps;
  GtkWidget  *services_heading;
  GtkBox     *services;
};

G_DEFINE_FINAL_TYPE (HircConfirmationPage, hirc_confirmation_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_FINISH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
paragraph (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
remove_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
finish_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_FINISH], 0);
}

static void
hirc_confirmation_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_CONFIRMATION_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_confirmation_page_parent_class)->dispose (object);
}

static void
hirc_confirmation_page_class_init (HircConfirmationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_confirmation_page_dispose;

  signals[SIGNAL_FINISH] =
    g_signal_new ("finish", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "confirmation.finish", NULL, finish_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_QR_CODE);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-confirmation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircConfirmationPage, reference_label);
  gtk_widget_class_bind_template_child (widget_class, HircConfirmationPage, qr_code);
  gtk_widget_class_bind_template_child (widget_class, HircConfirmationPage, saved_label);
  gtk_widget_class_bind_template_child (widget_class, HircConfirmationPage, next_steps);
  gtk_widget_class_bind_template_child (widget_class, HircConfirmationPage, services_heading);
  gtk_widget_class_bind_template_child (widget_class, HircConfirmationPage, services);
  gtk_widget_class_set_css_name (widget_class, "confirmationpage");
}

static void
hirc_confirmation_page_init (HircConfirmationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hirc_confirmation_page_set_partnership (self, NULL);
}

GtkWidget *
hirc_confirmation_page_new (void)
{
  return g_object_new (HIRC_TYPE_CONFIRMATION_PAGE, NULL);
}

const char *
hirc_confirmation_page_get_reference (HircConfirmationPage *self)
{
  g_return_val_if_fail (HIRC_IS_CONFIRMATION_PAGE (self), NULL);

  return gtk_label_get_label (self->reference_label);
}

void
hirc_confirmation_page_set_reference (HircConfirmationPage *self,
                                      const char           *reference)
{
  g_return_if_fail (HIRC_IS_CONFIRMATION_PAGE (self));
  g_return_if_fail (reference != NULL);

  gtk_label_set_label (self->reference_label, reference);
  hirc_qr_code_set_text (self->qr_code, reference);
}

void
hirc_confirmation_page_set_partnership (HircConfirmationPage *self,
                                        const char           *partnership)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HIRC_IS_CONFIRMATION_PAGE (self));

  if (partnership != NULL && partnership[0] != '\0')
    /* Translators: %s is the name of the county's hate crime partnership. */
    text = g_strdup_printf (_("Your report is locked with a code that only %s can open. This "
                              "kiosk sends it to them automatically."), partnership);
  else
    text = g_strdup (_("Your report is locked with a code that only the hate crime team can "
                       "open. This kiosk sends it to them automatically."));
  gtk_label_set_label (self->saved_label, text);
}

void
hirc_confirmation_page_set_next_steps (HircConfirmationPage *self,
                                       const char * const   *paragraphs)
{
  g_return_if_fail (HIRC_IS_CONFIRMATION_PAGE (self));

  remove_children (self->next_steps);
  for (guint i = 0; paragraphs != NULL && paragraphs[i] != NULL; i++)
    gtk_box_append (self->next_steps, paragraph (paragraphs[i], NULL));
}

void
hirc_confirmation_page_add_service (HircConfirmationPage *self,
                                    const char           *name,
                                    const char           *description,
                                    const char           *phone,
                                    const char           *hours,
                                    const char           *website)
{
  GtkWidget *box;
  g_autofree char *phone_text = NULL;

  g_return_if_fail (HIRC_IS_CONFIRMATION_PAGE (self));
  g_return_if_fail (name != NULL && description != NULL && phone != NULL && hours != NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (box, "hirc-service");
  gtk_box_append (GTK_BOX (box), paragraph (name, "hirc-service-name"));
  gtk_box_append (GTK_BOX (box), paragraph (description, NULL));
  /* Translators: %s is a support service's phone number. */
  phone_text = g_strdup_printf (_("Phone: %s"), phone);
  gtk_box_append (GTK_BOX (box), paragraph (phone_text, "hirc-service-phone"));
  gtk_box_append (GTK_BOX (box), paragraph (hours, "hirc-hint"));
  if (website != NULL)
    gtk_box_append (GTK_BOX (box), paragraph (website, "hirc-hint"));
  gtk_box_append (self->services, box);
  gtk_widget_set_visible (self->services_heading, TRUE);
}
