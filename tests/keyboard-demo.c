/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyboard-demo.c: a window with a one-line field, a large text box and the on-screen keyboard,
 * for driving the keyboard through AT-SPI. Usage: keyboard-demo [LANGUAGE [entry|text]]; the
 * field named second has the focus at start, so the keyboard opens on it. */

#include "config.h"

#include <gtk/gtk.h>

#include "hirc-keyboard.h"

static GtkWidget *
labelled_field (GtkWidget  *page,
                const char *label_text,
                GtkWidget  *field,
                GtkWidget  *labelled)
{
  GtkWidget *label = gtk_label_new (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (page), label);
  gtk_box_append (GTK_BOX (page), field);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (labelled),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  return field;
}

static void
activate_cb (GtkApplication *application,
             char          **options)
{
  GtkWidget *window = gtk_application_window_new (application);
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *text_view = gtk_text_view_new ();
  GtkWidget *text_scroller = gtk_scrolled_window_new ();
  GtkWidget *keyboard = hirc_keyboard_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Keyboard demo");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_widget_set_margin_start (page, 48);
  gtk_widget_set_margin_end (page, 48);
  gtk_widget_set_margin_top (page, 24);
  gtk_widget_set_margin_bottom (page, 24);

  labelled_field (page, "Your name", entry, entry);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text_view), GTK_WRAP_WORD_CHAR);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (text_scroller), text_view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (text_scroller), 120);
  labelled_field (page, "What happened", text_scroller, text_view);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), page);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (outer), scroller);
  gtk_box_append (GTK_BOX (outer), keyboard);
  gtk_window_set_child (GTK_WINDOW (window), outer);

  hirc_keyboard_set_layout (HIRC_KEYBOARD (keyboard), options[0] != NULL ? options[0] : "en");
  hirc_keyboard_follow_focus (HIRC_KEYBOARD (keyboard), GTK_WINDOW (window));
  if (options[0] != NULL && g_strcmp0 (options[1], "text") == 0)
    gtk_widget_grab_focus (text_view);
  else
    gtk_widget_grab_focus (entry);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;

  application = gtk_application_new ("org.hirc.Kiosk.KeyboardDemo", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), argv + 1);
  /* The arguments are the demo's own, not GApplication's. */
  return g_application_run (G_APPLICATION (application), 1, argv);
}
