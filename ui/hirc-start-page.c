/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-start-page.c: the start page; it emits "start" when the reporter begins, and "staff" for
 * staff sign-in. */

#include "config.h"

#include "hirc-start-page.h"

#include "hirc-clamp.h"
#include "hirc-language-chooser.h"
#include "hirc-read-aloud-button.h"

struct _HircStartPage
{
  GtkWidget            parent_instance;

  /* Template widgets. */
  HircLanguageChooser *languages;
};

G_DEFINE_FINAL_TYPE (HircStartPage, hirc_start_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_START,
  SIGNAL_STAFF,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
begin_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_START], 0);
}

static void
staff_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_STAFF], 0);
}

static void
hirc_start_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_START_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_start_page_parent_class)->dispose (object);
}

static void
hirc_start_page_class_init (HircStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_start_page_dispose;

  signals[SIGNAL_START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* "Staff" was pressed: staff sign-in. */
  signals[SIGNAL_STAFF] =
    g_signal_new ("staff", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "start.begin", NULL, begin_action_cb);
  gtk_widget_class_install_action (widget_class, "start.staff", NULL, staff_action_cb);

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_LANGUAGE_CHOOSER);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircStartPage, languages);
  gtk_widget_class_set_css_name (widget_class, "startpage");
}

static void
hirc_start_page_init (HircStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_start_page_new (void)
{
  return g_object_new (HIRC_TYPE_START_PAGE, NULL);
}

void
hirc_start_page_focus_language (HircStartPage *self,
                                const char    *code)
{
  GtkWidget *button;

  g_return_if_fail (HIRC_IS_START_PAGE (self));

  button = hirc_language_chooser_get_button (self->languages, code);
  if (button != NULL)
    gtk_widget_grab_focus (button);
}
