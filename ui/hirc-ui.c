/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-ui.c: the ui layer's resources and the kiosk theme. */

#include "config.h"

#include "hirc-ui.h"
#include "hirc-ui-resources.h"

void
hirc_ui_init (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      hirc_ui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
hirc_ui_init_theme (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GtkSettings *settings = gtk_settings_get_for_display (display);

  g_return_if_fail (GDK_IS_DISPLAY (display));

  hirc_ui_init ();
  gtk_css_provider_load_from_resource (provider, "/org/hirc/Kiosk/ui/hirc-theme.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* The stylesheet sets every colour and font it relies on, over the built-in Adwaita, so the
   * theme and font settings are left alone: changing either makes GTK load and apply its whole
   * theme a second time at start-up. A steady cursor is easier to find and keeps the machine
   * idle. */
  g_object_set (settings,
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);
}
