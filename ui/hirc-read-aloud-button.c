/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-read-aloud-button.c: the "Read aloud" button on each page, and the walk over a page that
 * decides what reading it aloud says. The button knows nothing of speech: it shows the state it
 * is given and emits "read" or "stop". */

#include "config.h"

#include "hirc-read-aloud-button.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hirc-answer-list.h"
#include "hirc-choice-button.h"

struct _HircReadAloudButton
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkWidget *button;
  GtkImage  *icon;
  GtkLabel  *label;
  GtkLabel  *message;

  /* A child made in init: HircChoiceButton has no template of its own. */
  GtkWidget *headphones;

  gboolean   speaking;
  gboolean   available;
  gboolean   use_headphones;
};

G_DEFINE_FINAL_TYPE (HircReadAloudButton, hirc_read_aloud_button, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SPEAKING,
  PROP_AVAILABLE,
  PROP_MESSAGE,
  PROP_HEADPHONES_AVAILABLE,
  PROP_USE_HEADPHONES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_READ,
  SIGNAL_STOP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Marks widgets left out of what is read aloud; usable before any button exists. */
static G_DEFINE_QUARK (hirc-read-aloud-ignore, ignore)

/* GTK 4.8 does not name a button after a label it contains, so the name is set with the label. */
static void
update_button (HircReadAloudButton *self)
{
  const char *text = self->speaking
                     /* Translators: the Read aloud button while it is reading; pressing it
                      * stops. */
                     ? _("Stop reading")
                     : _("Read aloud");

  gtk_label_set_label (self->label, text);
  gtk_image_set_from_icon_name (self->icon, self->speaking ? "media-playback-stop-symbolic"
                                                           : "audio-volume-high-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text, -1);
}

static void
toggle_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HircReadAloudButton *self = HIRC_READ_ALOUD_BUTTON (widget);

  g_signal_emit (self, signals[self->speaking ? SIGNAL_STOP : SIGNAL_READ], 0);
}

static void
hirc_read_aloud_button_dispose (GObject *object)
{
  HircReadAloudButton *self = HIRC_READ_ALOUD_BUTTON (object);

  g_clear_pointer (&self->headphones, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_READ_ALOUD_BUTTON);

  G_OBJECT_CLASS (hirc_read_aloud_button_parent_class)->dispose (object);
}

static void
hirc_read_aloud_button_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HircReadAloudButton *self = HIRC_READ_ALOUD_BUTTON (object);

  switch (prop_id)
    {
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, hirc_read_aloud_button_get_message (self));
      break;
    case PROP_HEADPHONES_AVAILABLE:
      g_value_set_boolean (value, hirc_read_aloud_button_get_headphones_available (self));
      break;
    case PROP_USE_HEADPHONES:
      g_value_set_boolean (value, self->use_headphones);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_read_aloud_button_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HircReadAloudButton *self = HIRC_READ_ALOUD_BUTTON (object);

  switch (prop_id)
    {
    case PROP_SPEAKING:
      hirc_read_aloud_button_set_speaking (self, g_value_get_boolean (value));
      break;
    case PROP_AVAILABLE:
      hirc_read_aloud_button_set_available (self, g_value_get_boolean (value));
      break;
    case PROP_MESSAGE:
      hirc_read_aloud_button_set_message (self, g_value_get_string (value));
      break;
    case PROP_HEADPHONES_AVAILABLE:
      hirc_read_aloud_button_set_headphones_available (self, g_value_get_boolean (value));
      break;
    case PROP_USE_HEADPHONES:
      hirc_read_aloud_button_set_use_headphones (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_read_aloud_button_class_init (HircReadAloudButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_read_aloud_button_dispose;
  object_class->get_property = hirc_read_aloud_button_get_property;
  object_class->set_property = hirc_read_aloud_button_set_property;

  properties[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADPHONES_AVAILABLE] =
    g_param_spec_boolean ("headphones-available", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USE_HEADPHONES] =
    g_param_spec_boolean ("use-headphones", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Pressed while silent: read the page from the start (again, if it was read before). */
  signals[SIGNAL_READ] =
    g_signal_new ("read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* Pressed while speaking. */
  signals[SIGNAL_STOP] =
    g_signal_new ("stop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "read-aloud.toggle", NULL, toggle_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-read-aloud-button.ui");
  gtk_widget_class_bind_template_child (widget_class, HircReadAloudButton, button);
  gtk_widget_class_bind_template_child (widget_class, HircReadAloudButton, icon);
  gtk_widget_class_bind_template_child (widget_class, HircReadAloudButton, label);
  gtk_widget_class_bind_template_child (widget_class, HircReadAloudButton, message);
  gtk_widget_class_set_css_name (widget_class, "readaloud");
}

static void
hirc_read_aloud_button_init (HircReadAloudButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->available = TRUE;
  /* A loudspeaker faces the same way in every script, like a media player's symbols: in a
   * right-to-left language the icon theme would otherwise pick its mirrored "-rtl" variant. */
  gtk_widget_set_direction (GTK_WIDGET (self->icon), GTK_TEXT_DIR_LTR);

  self->headphones = hirc_choice_button_new (FALSE,
                                             /* Translators: a check box beside "Read aloud",
                                              * shown when the kiosk has headphones: what the
                                              * reporter typed is then read in them. */
                                             _("Use headphones"));
  gtk_widget_set_valign (self->headphones, GTK_ALIGN_CENTER);
  gtk_widget_set_focus_on_click (self->headphones, FALSE);
  gtk_widget_set_visible (self->headphones, FALSE);
  gtk_widget_insert_after (self->headphones, GTK_WIDGET (self), self->button);
  g_object_bind_property (self->headphones, "active", self, "use-headphones",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  update_button (self);
}

GtkWidget *
hirc_read_aloud_button_new (void)
{
  return g_object_new (HIRC_TYPE_READ_ALOUD_BUTTON, NULL);
}

gboolean
hirc_read_aloud_button_get_speaking (HircReadAloudButton *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self), FALSE);

  return self->speaking;
}

void
hirc_read_aloud_button_set_speaking (HircReadAloudButton *self,
                                     gboolean             speaking)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self));

  speaking = !!speaking;
  if (self->speaking == speaking)
    return;
  self->speaking = speaking;
  update_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
}

gboolean
hirc_read_aloud_button_get_available (HircReadAloudButton *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self), FALSE);

  return self->available;
}

void
hirc_read_aloud_button_set_available (HircReadAloudButton *self,
                                      gboolean             available)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self));

  available = !!available;
  if (self->available == available)
    return;
  self->available = available;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "read-aloud.toggle", available);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

const char *
hirc_read_aloud_button_get_message (HircReadAloudButton *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message)))
    return NULL;
  return gtk_label_get_label (self->message);
}

void
hirc_read_aloud_button_set_message (HircReadAloudButton *self,
                                    const char          *message)
{
  gboolean shown;

  g_return_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self));

  if (message != NULL && message[0] == '\0')
    message = NULL;
  if (g_strcmp0 (message, hirc_read_aloud_button_get_message (self)) == 0)
    return;
  shown = message != NULL;
  gtk_label_set_label (self->message, shown ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), shown);
  /* The sentence describes the button, so a screen reader says why it is unavailable too. */
  if (shown)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->button),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->message, NULL,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->button),
                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

gboolean
hirc_read_aloud_button_get_headphones_available (HircReadAloudButton *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self), FALSE);

  return gtk_widget_get_visible (self->headphones);
}

void
hirc_read_aloud_button_set_headphones_available (HircReadAloudButton *self,
                                                 gboolean             available)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self));

  available = !!available;
  if (gtk_widget_get_visible (self->headphones) == available)
    return;
  gtk_widget_set_visible (self->headphones, available);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADPHONES_AVAILABLE]);
}

gboolean
hirc_read_aloud_button_get_use_headphones (HircReadAloudButton *self)
{
  g_return_val_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self), FALSE);

  return self->use_headphones;
}

void
hirc_read_aloud_button_set_use_headphones (HircReadAloudButton *self,
                                           gboolean             use_headphones)
{
  g_return_if_fail (HIRC_IS_READ_ALOUD_BUTTON (self));

  use_headphones = !!use_headphones;
  if (self->use_headphones == use_headphones)
    return;
  self->use_headphones = use_headphones;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_HEADPHONES]);
}

HircReadAloudButton *
hirc_read_aloud_button_find (GtkWidget *root)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  if (HIRC_IS_READ_ALOUD_BUTTON (root))
    return HIRC_READ_ALOUD_BUTTON (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      HircReadAloudButton *found = hirc_read_aloud_button_find (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What is read aloud. */

void
hirc_utterance_free (HircUtterance *utterance)
{
  if (utterance == NULL)
    return;
  if (utterance->private_details && utterance->text != NULL)
    explicit_bzero (utterance->text, strlen (utterance->text));
  g_free (utterance->text);
  g_free (utterance);
}

/* Takes text. Blank text says nothing and is dropped. */
static void
add_utterance (GPtrArray *utterances,
               char      *text,
               gboolean   private_details)
{
  HircUtterance *utterance = g_new0 (HircUtterance, 1);
  gboolean blank = TRUE;

  utterance->text = text;
  utterance->private_details = private_details;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      blank = FALSE;
  if (blank)
    hirc_utterance_free (utterance);
  else
    g_ptr_array_add (utterances, utterance);
}

/* A button's words are read when it is the page's main action (Continue, "I need more time") or
 * an error; the others only move around the journey and would bury the question. */
static gboolean
is_read_button (GtkWidget *button)
{
  return gtk_widget_has_css_class (button, "hirc-primary")
         || gtk_widget_has_css_class (button, "hirc-error-link");
}

static void
collect (GtkWidget *widget,
         gboolean   private_details,
         GPtrArray *utterances)
{
  if (!gtk_widget_get_visible (widget)
      || g_object_get_qdata (G_OBJECT (widget), ignore_quark ()) != NULL
      || HIRC_IS_READ_ALOUD_BUTTON (widget))
    return;

  /* "Check your answers" lists what the reporter wrote and chose. */
  if (HIRC_IS_ANSWER_LIST (widget))
    private_details = TRUE;

  if (GTK_IS_LABEL (widget))
    {
      add_utterance (utterances, g_strdup (gtk_label_get_text (GTK_LABEL (widget))),
                     private_details);
      return;
    }
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      add_utterance (utterances, gtk_text_buffer_get_text (buffer, &start, &end, FALSE), TRUE);
      return;
    }
  /* A password or PIN is never said, not even in headphones. */
  if (GTK_IS_PASSWORD_ENTRY (widget)
      || (GTK_IS_ENTRY (widget) && !gtk_entry_get_visibility (GTK_ENTRY (widget)))
      || (GTK_IS_TEXT (widget) && !gtk_text_get_visibility (GTK_TEXT (widget))))
    return;
  if (GTK_IS_EDITABLE (widget))
    {
      add_utterance (utterances, g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget))), TRUE);
      return;
    }
  if (GTK_IS_BUTTON (widget) && !is_read_button (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, private_details, utterances);
}

GPtrArray *
hirc_read_aloud_collect (GtkWidget *root)
{
  GPtrArray *utterances;

  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  utterances = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_utterance_free);
  collect (root, FALSE, utterances);
  return utterances;
}

void
hirc_read_aloud_ignore (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_object_set_qdata (G_OBJECT (widget), ignore_quark (), GINT_TO_POINTER (TRUE));
}
