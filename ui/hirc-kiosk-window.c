/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-window.c: the kiosk's one window. It shows what the session tells it to and emits
 * "leave" for the quick exit; it holds no answers itself. It also holds the screen's settings,
 * which the top bar changes on any page: the language (opening "Choose your language" over the
 * page), the text size and high contrast. Each is a property with a window action of the same
 * name, so that every button that shows one stays in step by itself. */

#include "config.h"

#include "hirc-kiosk-window.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-keyboard.h"
#include "hirc-language-page.h"
#include "hirc-top-bar.h"
#include "hirc-top-bar-tools.h"
#include "hirc-ui-language.h"

/* EN 301 549 5.1.4: at the largest text size, a capital H subtends at least 0.7 degrees seen
 * from 50 cm: 2 x 500 mm x tan 0.35 degrees = 6.109 mm, rounded up. */
#define LARGEST_CAP_HEIGHT_MM 6.11
/* A monitor that does not report its size is taken to be the usual kiosk panel: 21.5 inches
 * across at 1920 x 1080, so 476 x 268 mm, 0.248 mm a pixel. */
#define FALLBACK_HEIGHT_MM 267.7
#define FALLBACK_HEIGHT_PX 1080
/* Body text in pixels at the larger steps (the theme's standard is 24 px); the theme sizes every
 * other text relative to it. The largest is at least this, and more on a screen whose pixels
 * are small. */
#define LARGE_TEXT_PX 30
#define LARGEST_TEXT_MIN_PX 36
#define LARGEST_TEXT_MAX_PX 200

/* GOV.UK's "Exit this page" for someone at a keyboard: Shift pressed three times running, within
 * five seconds, does what "Leave now" does. Any other key starts the count again, so typing
 * capitals never adds up to it. */
#define LEAVE_SHIFT_PRESSES 3
#define LEAVE_SHIFT_WINDOW_USEC (5 * G_USEC_PER_SEC)

static const char *const text_sizes[] = { "standard", "large", "largest", NULL };

struct _HircKioskWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template widgets. */
  GtkStack             *screens;
  GtkLabel             *title_label;
  GtkLabel             *centre_label;
  GtkBox               *tools;
  GtkButton            *leave_button;
  GtkBox               *page_holder;
  GtkBox               *aside_holder;
  HircKeyboard         *keyboard;

  /* Owned. */
  HircIdleWarning      *idle_warning;
  /* The page being shown, or under the idle warning while that is shown. */
  GtkWidget            *page;
  char                 *title;
  /* "Choose your language" while it is open over the page, else NULL. */
  GtkWidget            *language_page;
  GtkCssProvider       *text_size_css;
  GtkCssProvider       *high_contrast_css;

  /* The screen's settings. */
  char                 *language;
  const char           *text_size;  /* one of text_sizes */
  gboolean              high_contrast;
  int                   largest_text_px;

  /* Shift presses running, the first at first_shift_usec (monotonic). */
  guint                 shift_presses;
  gint64                first_shift_usec;
};

G_DEFINE_FINAL_TYPE (HircKioskWindow, hirc_kiosk_window, GTK_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_LANGUAGE,
  PROP_TEXT_SIZE,
  PROP_HIGH_CONTRAST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_LEAVE,
  SIGNAL_MORE_TIME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
leave_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_LEAVE], 0);
}

static gboolean
key_pressed_cb (HircKioskWindow *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  gint64 now = g_get_monotonic_time ();

  if (keyval != GDK_KEY_Shift_L && keyval != GDK_KEY_Shift_R)
    {
      self->shift_presses = 0;
      return GDK_EVENT_PROPAGATE;
    }
  if (self->shift_presses == 0 || now - self->first_shift_usec > LEAVE_SHIFT_WINDOW_USEC)
    {
      self->shift_presses = 0;
      self->first_shift_usec = now;
    }
  if (++self->shift_presses < LEAVE_SHIFT_PRESSES)
    return GDK_EVENT_PROPAGATE;
  self->shift_presses = 0;
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.leave", NULL);
  return GDK_EVENT_STOP;
}

static void
more_time_cb (HircKioskWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_MORE_TIME], 0);
}

/* Shows child (adding it first if needed) and hides every other page in the holder. A hidden
 * widget is left out of the accessibility tree, so a screen reader never finds a page that is
 * not on screen; and pages are not taken out and put back, which GTK 4.8's accessibility
 * objects do not survive. */
static void
hold (HircKioskWindow *self,
      GtkWidget       *child)
{
  if (child != NULL && gtk_widget_get_parent (child) != GTK_WIDGET (self->page_holder))
    {
      gtk_widget_set_vexpand (child, TRUE);
      gtk_box_append (self->page_holder, child);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->page_holder)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    gtk_widget_set_visible (c, c == child);
}

/* Choose your language. */

static void
drop_language_page (HircKioskWindow *self)
{
  if (self->language_page == NULL)
    return;
  if (gtk_widget_get_parent (self->language_page) == GTK_WIDGET (self->page_holder))
    gtk_box_remove (self->page_holder, self->language_page);
  g_clear_object (&self->language_page);
}

static void
show_languages_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  HircKioskWindow *self = HIRC_KIOSK_WINDOW (widget);
  HircLanguagePage *page;

  if (self->language_page != NULL)
    return;
  /* Made afresh each time, so that it is in the language on screen. */
  self->language_page = g_object_ref_sink (hirc_language_page_new ());
  page = HIRC_LANGUAGE_PAGE (self->language_page);
  hold (self, self->language_page);
  gtk_window_set_title (GTK_WINDOW (self), hirc_language_page_get_title (page));
  hirc_language_page_focus (page, self->language);
}

/* Back to the page underneath, as it was. */
static void
hide_languages (HircKioskWindow *self)
{
  if (self->language_page == NULL)
    return;
  /* The focus is on the list's buttons: taken off before they go, or GTK moves it on by itself
   * at the next frame, into whatever page is on screen by then, and scrolls that page to it.
   * It goes back to the Language button that opened the list, as after any list or dialog. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  drop_language_page (self);
  hold (self, self->page);
  gtk_window_set_title (GTK_WINDOW (self), self->title);
  gtk_widget_grab_focus (gtk_widget_get_first_child (GTK_WIDGET (self->tools)));
}

static void
hide_languages_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  hide_languages (HIRC_KIOSK_WINDOW (widget));
}

static void
set_idle_warning (HircKioskWindow *self)
{
  if (self->idle_warning != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->idle_warning, self);
      if (gtk_widget_get_parent (GTK_WIDGET (self->idle_warning))
          == GTK_WIDGET (self->page_holder))
        gtk_box_remove (self->page_holder, GTK_WIDGET (self->idle_warning));
      g_clear_object (&self->idle_warning);
    }
  self->idle_warning = g_object_ref_sink (HIRC_IDLE_WARNING (hirc_idle_warning_new ()));
  g_signal_connect_swapped (self->idle_warning, "more-time", G_CALLBACK (more_time_cb), self);
}

/* Puts the window's own words in the language now on screen. GtkBuilder translates a template
 * once, when it is built: the parts with words are made again, the rest is relabelled. */
static void
retranslate (HircKioskWindow *self)
{
  GtkWidget *old = gtk_widget_get_first_child (GTK_WIDGET (self->tools));
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  /* Taken off first, for the same reason as in hide_languages(). */
  if (focus != NULL && old != NULL && gtk_widget_is_ancestor (focus, old))
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (old != NULL)
    gtk_box_remove (self->tools, old);
  gtk_box_append (self->tools, hirc_top_bar_tools_new ());
  gtk_label_set_label (self->title_label, _("Hate Incident Reporting Centre"));
  /* Translators: the quick exit: one tap clears the screen and everything entered. */
  gtk_button_set_label (self->leave_button, _("Leave now"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->leave_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  /* Translators: what a screen reader adds after "Leave now":
                                   * the same quick exit from a keyboard. */
                                  _("Or press the Shift key three times."), -1);
  /* The warning is never on screen while the language changes: the top bar's Language button
   * does nothing while it is. */
  set_idle_warning (self);
}

/* Text size and contrast. */

/* The height of a capital H in the window's font at size px, in pixels. */
static double
cap_height_px (HircKioskWindow *self,
               int              px)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autoptr(PangoFontDescription) font =
    pango_font_description_copy (pango_context_get_font_description (context));
  g_autoptr(PangoLayout) layout = pango_layout_new (context);
  PangoRectangle ink;

  pango_font_description_set_absolute_size (font, (double) px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, "H", -1);
  pango_layout_get_extents (layout, &ink, NULL);
  return (double) ink.height / PANGO_SCALE;
}

/* Works out the largest text size from the monitor's pixel size and measures it in the font
 * that is used, rather than trusting a font's nominal proportions. */
static void
update_text_sizes (HircKioskWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  g_autoptr(GdkMonitor) monitor = NULL;
  g_autofree char *css = NULL;
  GdkRectangle geometry = { 0 };
  double mm_per_px = FALLBACK_HEIGHT_MM / FALLBACK_HEIGHT_PX;
  int height_mm = 0;
  int px;

  if (surface != NULL)
    monitor = g_object_ref (gdk_display_get_monitor_at_surface (display, surface));
  else
    monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  if (monitor != NULL)
    {
      gdk_monitor_get_geometry (monitor, &geometry);
      height_mm = gdk_monitor_get_height_mm (monitor);
    }
  if (height_mm > 0 && geometry.height > 0)
    mm_per_px = (double) height_mm / geometry.height;

  for (px = LARGEST_TEXT_MIN_PX; px < LARGEST_TEXT_MAX_PX; px++)
    if (cap_height_px (self, px) * mm_per_px >= LARGEST_CAP_HEIGHT_MM)
      break;
  if (px == self->largest_text_px)
    return;
  self->largest_text_px = px;
  g_message ("window: the largest text is %d px, a capital H %.2f mm tall at %.4f mm a pixel "
             "(%s)", px, cap_height_px (self, px) * mm_per_px, mm_per_px,
             height_mm > 0 ? "as the monitor reports" : "the monitor reports no size");
  css = g_strdup_printf ("window.hirc-text-large { font-size: %dpx; }\n"
                         "window.hirc-text-largest { font-size: %dpx; }\n",
                         LARGE_TEXT_PX, px);
  gtk_css_provider_load_from_data (self->text_size_css, css, -1);
}

static void
hirc_kiosk_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hirc_kiosk_window_parent_class)->realize (widget);

  update_text_sizes (HIRC_KIOSK_WINDOW (widget));
}

/* The keyboard's words follow the language chosen, and so do its letters; the reporter can
 * still pick another layout on the keyboard itself. */
static void
keyboard_follow_language_cb (HircKioskWindow *self)
{
  hirc_keyboard_relabel (self->keyboard);
  hirc_keyboard_set_layout (self->keyboard, self->language);
}

/* Runs after whoever made the pages made them again (on the same notify), each from its top,
 * taking the focus off the old ones. Unless one of them put it somewhere of its own (the summary
 * of errors shown again, the language just chosen on the start page), it goes back to the
 * Language button, in the new language, and the page stays at its top with its heading in
 * view. */
static void
focus_after_language_cb (HircKioskWindow *self)
{
  if (gtk_window_get_focus (GTK_WINDOW (self)) == NULL)
    gtk_widget_grab_focus (gtk_widget_get_first_child (GTK_WIDGET (self->tools)));
}

static void
hirc_kiosk_window_dispose (GObject *object)
{
  HircKioskWindow *self = HIRC_KIOSK_WINDOW (object);
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));

  /* GtkWindow drops its child itself; the template's children go with it. */
  g_clear_object (&self->page);
  g_clear_object (&self->language_page);
  if (self->idle_warning != NULL)
    g_signal_handlers_disconnect_by_data (self->idle_warning, self);
  g_clear_object (&self->idle_warning);
  if (self->text_size_css != NULL)
    gtk_style_context_remove_provider_for_display (display,
                                                   GTK_STYLE_PROVIDER (self->text_size_css));
  if (self->high_contrast_css != NULL)
    gtk_style_context_remove_provider_for_display (display,
                                                   GTK_STYLE_PROVIDER (self->high_contrast_css));
  g_clear_object (&self->text_size_css);
  g_clear_object (&self->high_contrast_css);

  G_OBJECT_CLASS (hirc_kiosk_window_parent_class)->dispose (object);
}

static void
hirc_kiosk_window_finalize (GObject *object)
{
  HircKioskWindow *self = HIRC_KIOSK_WINDOW (object);

  g_free (self->title);
  g_free (self->language);

  G_OBJECT_CLASS (hirc_kiosk_window_parent_class)->finalize (object);
}

static void
hirc_kiosk_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HircKioskWindow *self = HIRC_KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_TEXT_SIZE:
      g_value_set_string (value, self->text_size);
      break;
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_kiosk_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HircKioskWindow *self = HIRC_KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      hirc_kiosk_window_set_language (self, g_value_get_string (value));
      break;
    case PROP_TEXT_SIZE:
      hirc_kiosk_window_set_text_size (self, g_value_get_string (value));
      break;
    case PROP_HIGH_CONTRAST:
      hirc_kiosk_window_set_high_contrast (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_kiosk_window_class_init (HircKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_kiosk_window_dispose;
  object_class->finalize = hirc_kiosk_window_finalize;
  object_class->get_property = hirc_kiosk_window_get_property;
  object_class->set_property = hirc_kiosk_window_set_property;
  widget_class->realize = hirc_kiosk_window_realize;

  /* The code of the language on screen (see hirc-ui-language.c). Setting it switches the
   * process's translations and direction and relabels the window; whoever made the pages
   * makes them again on notify. */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, HIRC_UI_LANGUAGE_DEFAULT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "standard", "large" or "largest". */
  properties[PROP_TEXT_SIZE] =
    g_param_spec_string ("text-size", NULL, NULL, "standard",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LEAVE] =
    g_signal_new ("leave", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* "I need more time" on the idle warning. */
  signals[SIGNAL_MORE_TIME] =
    g_signal_new ("more-time", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "kiosk.leave", NULL, leave_action_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.show-languages", NULL,
                                   show_languages_action_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.hide-languages", NULL,
                                   hide_languages_action_cb);
  gtk_widget_class_install_property_action (widget_class, "kiosk.language", "language");
  gtk_widget_class_install_property_action (widget_class, "kiosk.text-size", "text-size");
  gtk_widget_class_install_property_action (widget_class, "kiosk.high-contrast",
                                            "high-contrast");

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_IDLE_WARNING);
  g_type_ensure (HIRC_TYPE_KEYBOARD);
  g_type_ensure (HIRC_TYPE_TOP_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, screens);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, centre_label);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, tools);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, leave_button);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, page_holder);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, aside_holder);
  gtk_widget_class_bind_template_child (widget_class, HircKioskWindow, keyboard);
}

static void
hirc_kiosk_window_init (HircKioskWindow *self)
{
  GdkDisplay *display;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  display = gtk_widget_get_display (GTK_WIDGET (self));
  /* Every session starts with the default screen: a new reporter never inherits the last
   * one's language, text size or contrast, because each gets a new process and window. */
  self->language = g_strdup (HIRC_UI_LANGUAGE_DEFAULT);
  self->text_size = text_sizes[0];
  retranslate (self);

  /* Captured before any field sees the keys, so that Shift counts wherever the focus is. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  /* Both stylesheets only style a window that has their class, so they can stay loaded. */
  self->text_size_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (self->text_size_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  self->high_contrast_css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (self->high_contrast_css,
                                       "/org/hirc/Kiosk/ui/hirc-high-contrast.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (self->high_contrast_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  update_text_sizes (self);

  /* The keyboard opens on whichever text field has the focus, in the language on screen. */
  hirc_keyboard_follow_focus (self->keyboard, GTK_WINDOW (self));
  hirc_keyboard_set_layout (self->keyboard, self->language);
  g_signal_connect (self, "notify::language", G_CALLBACK (keyboard_follow_language_cb), NULL);
  g_signal_connect_after (self, "notify::language", G_CALLBACK (focus_after_language_cb), NULL);
}

GtkWidget *
hirc_kiosk_window_new (GtkApplication *application)
{
  return g_object_new (HIRC_TYPE_KIOSK_WINDOW, "application", application, NULL);
}

void
hirc_kiosk_window_set_centre_name (HircKioskWindow *self,
                                   const char      *centre_name)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_label_set_label (self->centre_label, centre_name != NULL ? centre_name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->centre_label),
                          centre_name != NULL && centre_name[0] != '\0');
}

void
hirc_kiosk_window_show_page (HircKioskWindow *self,
                             GtkWidget       *page,
                             const char      *title)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  drop_language_page (self);
  g_set_object (&self->page, page);
  hold (self, page);
  gtk_stack_set_visible_child_name (self->screens, "kiosk");
  if (title != NULL)
    {
      g_free (self->title);
      self->title = g_strdup (title);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  /* Focus left on a control of the previous page would be lost with it; the next Tab starts
   * again from the top of the window. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

GtkWidget *
hirc_kiosk_window_get_page (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->page;
}

void
hirc_kiosk_window_remove_page (HircKioskWindow *self,
                               GtkWidget       *page)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  if (gtk_widget_get_parent (page) == GTK_WIDGET (self->page_holder))
    gtk_box_remove (self->page_holder, page);
  if (self->page == page)
    g_clear_object (&self->page);
}

HircIdleWarning *
hirc_kiosk_window_get_idle_warning (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->idle_warning;
}

void
hirc_kiosk_window_show_idle_warning (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  drop_language_page (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.show-languages", FALSE);
  hold (self, GTK_WIDGET (self->idle_warning));
  gtk_widget_grab_focus (GTK_WIDGET (self->idle_warning));
}

void
hirc_kiosk_window_hide_idle_warning (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.show-languages", TRUE);
  hold (self, self->page);
  if (self->title != NULL)
    gtk_window_set_title (GTK_WINDOW (self), self->title);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

gboolean
hirc_kiosk_window_get_idle_warning_shown (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), FALSE);

  return gtk_widget_get_parent (GTK_WIDGET (self->idle_warning))
         == GTK_WIDGET (self->page_holder)
         && gtk_widget_get_visible (GTK_WIDGET (self->idle_warning));
}

void
hirc_kiosk_window_show_neutral (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_stack_set_visible_child_name (self->screens, "neutral");
  drop_language_page (self);
  hirc_keyboard_close (self->keyboard);
  hold (self, NULL);
  gtk_window_set_title (GTK_WINDOW (self), "");
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

void
hirc_kiosk_window_set_aside (HircKioskWindow *self,
                             GtkWidget       *aside)
{
  GtkWidget *old;

  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));
  g_return_if_fail (aside == NULL || GTK_IS_WIDGET (aside));

  while ((old = gtk_widget_get_first_child (GTK_WIDGET (self->aside_holder))) != NULL)
    gtk_box_remove (self->aside_holder, old);
  if (aside != NULL)
    gtk_box_append (self->aside_holder, aside);
  gtk_widget_set_visible (GTK_WIDGET (self->aside_holder), aside != NULL);
}

void
hirc_kiosk_window_show_not_set_up (HircKioskWindow *self)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  gtk_stack_set_visible_child_name (self->screens, "not-set-up");
}

const char *
hirc_kiosk_window_get_language (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->language;
}

void
hirc_kiosk_window_set_language (HircKioskWindow *self,
                                const char      *code)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  if (hirc_ui_language_find (code) == NULL)
    {
      g_warning ("window: %s is not one of the languages offered", code);
      return;
    }
  /* Choosing a language, even the one on screen, closes the list. */
  hide_languages (self);
  if (g_str_equal (code, self->language))
    return;
  g_free (self->language);
  self->language = g_strdup (code);
  hirc_ui_language_apply (code);
  retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
hirc_kiosk_window_get_text_size (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->text_size;
}

void
hirc_kiosk_window_set_text_size (HircKioskWindow *self,
                                 const char      *text_size)
{
  guint index;

  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  if (text_size == NULL || !g_strv_contains (text_sizes, text_size))
    {
      g_warning ("window: there is no text size \"%s\"", text_size);
      return;
    }
  if (g_str_equal (text_size, self->text_size))
    return;
  for (index = 0; !g_str_equal (text_sizes[index], text_size); index++)
    ;
  self->text_size = text_sizes[index];
  gtk_widget_remove_css_class (GTK_WIDGET (self), "hirc-text-large");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "hirc-text-largest");
  if (index > 0)
    {
      g_autofree char *css_class = g_strconcat ("hirc-text-", self->text_size, NULL);

      gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SIZE]);
}

gboolean
hirc_kiosk_window_get_high_contrast (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), FALSE);

  return self->high_contrast;
}

void
hirc_kiosk_window_set_high_contrast (HircKioskWindow *self,
                                     gboolean         high_contrast)
{
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (self));

  high_contrast = !!high_contrast;
  if (high_contrast == self->high_contrast)
    return;
  self->high_contrast = high_contrast;
  if (high_contrast)
    gtk_widget_add_css_class (GTK_WIDGET (self), "hirc-high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "hirc-high-contrast");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGH_CONTRAST]);
}

GListModel *
hirc_kiosk_window_observe_pages (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return gtk_widget_observe_children (GTK_WIDGET (self->page_holder));
}

HircKeyboard *
hirc_kiosk_window_get_keyboard (HircKioskWindow *self)
{
  g_return_val_if_fail (HIRC_IS_KIOSK_WINDOW (self), NULL);

  return self->keyboard;
}
