/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-minimal-window.c: the smallest GTK4 window, the yardstick for the kiosk's start-up: it
 * opens a window of the given size with one label, prints "hirc-timing: first-frame T"
 * (CLOCK_MONOTONIC, microseconds) on standard error when its first frame is painted, and quits.
 * It picks the renderer the kiosk picks, so that both are measured alike. */

#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>

static int width = 1280;
static int height = 800;

static void
after_paint_cb (GdkFrameClock  *clock,
                GtkApplication *application)
{
  g_printerr ("hirc-timing: first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, application);
  g_application_quit (G_APPLICATION (application));
}

static void
realize_cb (GtkWidget      *window,
            GtkApplication *application)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), application);
}

static void
activate_cb (GtkApplication *application)
{
  GtkWidget *window = gtk_application_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), application);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;

  if (argc == 3)
    {
      width = atoi (argv[1]);
      height = atoi (argv[2]);
    }
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  application = gtk_application_new ("org.hirc.Kiosk.MinimalWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), 1, argv);
}
