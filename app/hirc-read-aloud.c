/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-read-aloud.c: joins the pages' Read aloud buttons (ui/hirc-read-aloud-button.c) to the
 * speaker (hirc-speech.c). One speaker for the whole session, so that one page's speech never
 * overlaps another's; each button shows whether its language has a voice, and the one that
 * started the speech shows "Stop reading" until the speech ends. */

#include "config.h"

#include "hirc-read-aloud.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hirc-read-aloud-button.h"

#define PAGE_KEY "hirc-read-aloud-page"

struct _HircReadAloud
{
  GObject              parent_instance;

  /* Owned. */
  HircSpeaker         *speaker;
  char                *language;
  GPtrArray           *buttons;        /* HircReadAloudButton, weakly referenced */
  GListModel          *pages;          /* the window's, while attached */

  /* Borrowed, weak: the button whose page is being read. */
  HircReadAloudButton *active;

  gboolean             use_headphones;
};

G_DEFINE_FINAL_TYPE (HircReadAloud, hirc_read_aloud, G_TYPE_OBJECT)

static gboolean
has_headphones (HircReadAloud *self)
{
  return hirc_speaker_get_private_output_device (self->speaker) != NULL;
}

static void
update_button (HircReadAloud       *self,
               HircReadAloudButton *button)
{
  g_autofree char *reason = NULL;
  gboolean available = TRUE;

  /* Until the voices are listed (a moment after start, while the first page is drawn) every
   * language is taken to have one; a press meanwhile waits for the list. */
  if (hirc_speaker_get_voices_ready (self->speaker))
    available = hirc_speaker_has_voice (self->speaker, self->language, &reason);
  /* The reason replaces whatever the button said; a note from the last reading stays. */
  if (!available)
    hirc_read_aloud_button_set_message (button, reason);
  else if (!hirc_read_aloud_button_get_available (button))
    hirc_read_aloud_button_set_message (button, NULL);
  hirc_read_aloud_button_set_available (button, available);
  /* Headphones are only a choice where there is a voice to hear in them. */
  hirc_read_aloud_button_set_headphones_available (button, available && has_headphones (self));
  hirc_read_aloud_button_set_use_headphones (button, self->use_headphones);
  hirc_read_aloud_button_set_speaking (button, button == self->active);
}

static void
update_buttons (HircReadAloud *self)
{
  for (guint i = 0; i < self->buttons->len; i++)
    update_button (self, g_ptr_array_index (self->buttons, i));
}

static void
speaking_changed_cb (HircReadAloud *self)
{
  HircReadAloudButton *button = self->active;

  if (hirc_speaker_get_speaking (self->speaker) || button == NULL)
    return;
  g_clear_weak_pointer (&self->active);
  hirc_read_aloud_button_set_speaking (button, FALSE);
}

/* The sentence shown (and said) when what the reporter typed was left out. */
static const char *
private_details_left_out (HircReadAloud *self)
{
  if (has_headphones (self))
    /* Translators: shown beside "Read aloud" after it read a page without what the reporter
     * typed, on a kiosk that has headphones. “Use headphones” is the check box beside it. */
    return _("What you typed is read aloud only in the headphones. Choose “Use headphones” to "
             "hear it.");
  /* Translators: shown beside "Read aloud" after it read a page without what the reporter
   * typed, on a kiosk with no headphones. */
  return _("What you typed is not read aloud, so that nobody nearby can hear it.");
}

static void
read_cb (HircReadAloud       *self,
         HircReadAloudButton *button)
{
  GtkWidget *page = g_object_get_data (G_OBJECT (button), PAGE_KEY);
  g_autoptr(GPtrArray) utterances = hirc_read_aloud_collect (page);
  g_autoptr(GPtrArray) said = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean in_headphones = self->use_headphones && has_headphones (self);
  const char *left_out = NULL;

  /* The words are pointers into utterances, which wipes the private ones when it goes. */
  for (guint i = 0; i < utterances->len; i++)
    {
      HircUtterance *utterance = g_ptr_array_index (utterances, i);

      if (utterance->private_details && !in_headphones)
        left_out = private_details_left_out (self);
      else
        g_ptr_array_add (said, utterance->text);
    }
  if (left_out != NULL)
    g_ptr_array_add (said, (gpointer) left_out);
  g_ptr_array_add (said, NULL);

  hirc_read_aloud_button_set_message (button, left_out);
  if (!hirc_speaker_speak (self->speaker, self->language, (const char * const *) said->pdata,
                           in_headphones, &error))
    {
      hirc_read_aloud_button_set_message (button, error->message);
      return;
    }
  if (hirc_speaker_get_speaking (self->speaker))
    {
      g_set_weak_pointer (&self->active, button);
      hirc_read_aloud_button_set_speaking (button, TRUE);
    }
}

static void
page_unmapped_cb (GtkWidget     *page,
                  HircReadAloud *self)
{
  if (self->active != NULL && g_object_get_data (G_OBJECT (self->active), PAGE_KEY) == page)
    hirc_read_aloud_stop (self);
}

static void
use_headphones_changed_cb (HircReadAloudButton *button,
                           GParamSpec          *pspec,
                           HircReadAloud       *self)
{
  gboolean use_headphones = hirc_read_aloud_button_get_use_headphones (button);

  if (use_headphones == self->use_headphones)
    return;
  hirc_read_aloud_stop (self);
  self->use_headphones = use_headphones;
  update_buttons (self);
}

static void
button_gone_cb (gpointer  user_data,
                GObject  *button)
{
  HircReadAloud *self = user_data;

  g_ptr_array_remove_fast (self->buttons, button);
}

static gboolean
event_on_read_aloud (GtkWindow *window,
                     GdkEvent  *event)
{
  GtkWidget *target = NULL;
  double x, y, dx, dy;

  if (gdk_event_get_event_type (event) == GDK_KEY_PRESS)
    target = gtk_window_get_focus (window);
  else if (gdk_event_get_position (event, &x, &y))
    {
      /* Events are in the surface's coordinates, which include any window frame. */
      gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
      target = gtk_widget_pick (GTK_WIDGET (window), x - dx, y - dy, GTK_PICK_DEFAULT);
    }
  return target != NULL && gtk_widget_get_ancestor (target, HIRC_TYPE_READ_ALOUD_BUTTON) != NULL;
}

static gboolean
window_event_cb (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 HircReadAloud            *self)
{
  GtkWidget *window = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_KEY_PRESS:
      /* A press on the button itself is the button's to handle: it stops or restarts. */
      if (!event_on_read_aloud (GTK_WINDOW (window), event))
        hirc_read_aloud_stop (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Pages are made when first shown, and made anew in another language: each new one is
 * connected as it joins the window. */
static void
pages_changed_cb (HircReadAloud *self,
                  guint          position,
                  guint          removed,
                  guint          added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) page = g_list_model_get_item (self->pages, i);

      hirc_read_aloud_add_page (self, page);
    }
}

static void
window_language_cb (HircReadAloud   *self,
                    GParamSpec      *pspec,
                    HircKioskWindow *window)
{
  hirc_read_aloud_set_language (self, hirc_kiosk_window_get_language (window));
}

static void
hirc_read_aloud_dispose (GObject *object)
{
  HircReadAloud *self = HIRC_READ_ALOUD (object);

  if (self->speaker != NULL)
    hirc_speaker_stop (self->speaker);
  g_clear_weak_pointer (&self->active);
  if (self->buttons != NULL)
    {
      for (guint i = 0; i < self->buttons->len; i++)
        g_object_weak_unref (g_ptr_array_index (self->buttons, i), button_gone_cb, self);
      g_ptr_array_set_size (self->buttons, 0);
    }
  g_clear_object (&self->pages);
  g_clear_object (&self->speaker);

  G_OBJECT_CLASS (hirc_read_aloud_parent_class)->dispose (object);
}

static void
hirc_read_aloud_finalize (GObject *object)
{
  HircReadAloud *self = HIRC_READ_ALOUD (object);

  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  g_free (self->language);

  G_OBJECT_CLASS (hirc_read_aloud_parent_class)->finalize (object);
}

static void
hirc_read_aloud_class_init (HircReadAloudClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hirc_read_aloud_dispose;
  object_class->finalize = hirc_read_aloud_finalize;
}

static void
hirc_read_aloud_init (HircReadAloud *self)
{
  self->speaker = hirc_speaker_new ();
  self->buttons = g_ptr_array_new ();
  self->language = g_strdup (hirc_read_aloud_language_in_use ());
  g_signal_connect_object (self->speaker, "notify::speaking", G_CALLBACK (speaking_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->speaker, "notify::voices-ready", G_CALLBACK (update_buttons),
                           self, G_CONNECT_SWAPPED);
}

HircReadAloud *
hirc_read_aloud_new (void)
{
  return g_object_new (HIRC_TYPE_READ_ALOUD, NULL);
}

const char *
hirc_read_aloud_language_in_use (void)
{
  /* The header of the catalogue in use names its language ("Language: uk"); with none, the
   * source text, English, is shown. g_dgettext() is what GtkBuilder translates pages with, so
   * this is the language they are in. */
  const char *header = g_dgettext (GETTEXT_PACKAGE, "");
  const char *field = strstr (header, "Language: ");
  g_autofree char *tag = NULL;
  const char *code;

  if (field == NULL || (field != header && field[-1] != '\n'))
    return "en";
  field += strlen ("Language: ");
  tag = g_strndup (field, strcspn (field, "\n"));
  code = hirc_speech_language_code (g_strstrip (tag));
  return code != NULL ? code : "en";
}

void
hirc_read_aloud_set_language (HircReadAloud *self,
                              const char    *language)
{
  const char *code;

  g_return_if_fail (HIRC_IS_READ_ALOUD (self));
  g_return_if_fail (language != NULL);

  /* A language the kiosk does not know keeps its tag, for which there is no voice. */
  code = hirc_speech_language_code (language);
  if (code == NULL)
    code = language;
  hirc_read_aloud_stop (self);
  if (g_strcmp0 (self->language, code) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (code);
  /* A note from the last reading was in the other language. */
  for (guint i = 0; i < self->buttons->len; i++)
    hirc_read_aloud_button_set_message (g_ptr_array_index (self->buttons, i), NULL);
  update_buttons (self);
}

const char *
hirc_read_aloud_get_language (HircReadAloud *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD (self), NULL);

  return self->language;
}

void
hirc_read_aloud_set_private_output_device (HircReadAloud *self,
                                           const char    *device)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD (self));

  hirc_read_aloud_stop (self);
  hirc_speaker_set_private_output_device (self->speaker, device);
  if (!has_headphones (self))
    self->use_headphones = FALSE;
  update_buttons (self);
}

void
hirc_read_aloud_add_page (HircReadAloud *self,
                          GtkWidget     *page)
{
  HircReadAloudButton *button;

  g_return_if_fail (HIRC_IS_READ_ALOUD (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  button = hirc_read_aloud_button_find (page);
  if (button == NULL || g_ptr_array_find (self->buttons, button, NULL))
    return;

  /* The page holds the button, so the button never outlives it. */
  g_object_set_data (G_OBJECT (button), PAGE_KEY, page);
  g_ptr_array_add (self->buttons, button);
  g_object_weak_ref (G_OBJECT (button), button_gone_cb, self);
  g_signal_connect_object (button, "read", G_CALLBACK (read_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (button, "stop", G_CALLBACK (hirc_read_aloud_stop), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (button, "notify::use-headphones",
                           G_CALLBACK (use_headphones_changed_cb), self, 0);
  /* Leaving the page, or the idle warning covering it, is the reporter moving on. */
  g_signal_connect_object (page, "unmap", G_CALLBACK (page_unmapped_cb), self, 0);
  update_button (self, button);
}

void
hirc_read_aloud_attach (HircReadAloud   *self,
                        HircKioskWindow *window)
{
  GtkEventController *controller;

  g_return_if_fail (HIRC_IS_READ_ALOUD (self));
  g_return_if_fail (HIRC_IS_KIOSK_WINDOW (window));
  g_return_if_fail (self->pages == NULL);

  self->pages = hirc_kiosk_window_observe_pages (window);
  g_signal_connect_object (self->pages, "items-changed", G_CALLBACK (pages_changed_cb), self,
                           G_CONNECT_SWAPPED);
  pages_changed_cb (self, 0, 0, g_list_model_get_n_items (self->pages));

  g_signal_connect_object (window, "notify::language", G_CALLBACK (window_language_cb), self,
                           G_CONNECT_SWAPPED);
  hirc_read_aloud_set_language (self, hirc_kiosk_window_get_language (window));

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (window_event_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

void
hirc_read_aloud_stop (HircReadAloud *self)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD (self));

  hirc_speaker_stop (self->speaker);
}

void
hirc_read_aloud_reset (HircReadAloud *self)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD (self));

  hirc_speaker_reset (self->speaker);
  self->use_headphones = FALSE;
  update_buttons (self);
}

HircSpeaker *
hirc_read_aloud_get_speaker (HircReadAloud *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD (self), NULL);

  return self->speaker;
}
