/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-speech.c: speaks a page's words in its language through espeak-ng, privately when asked. */

/* Why an espeak-ng process per request rather than libespeak-ng or speech-dispatcher:
 * - Stopping at once (EN 301 549 5.1.3.4) is killing the child: no half-cancelled synthesis in a
 *   library with one global instance, no callback racing the UI thread, nothing left buffered.
 * - The library's output mode (playback or synchronous to memory) is process-wide and must be
 *   re-initialised to switch, which would let a WAV for a benchmark interfere with a reporter's
 *   speech; separate processes cannot interfere.
 * - A crash or hang in a voice's rules cannot take the kiosk window down with it.
 * - speech-dispatcher is a per-user daemon with its own configuration and logging (its log level
 *   can be raised to record the text it is sent); espeak-ng alone keeps the text in two processes.
 * - espeak-ng's -d option names the output device directly (it is handed to pcaudiolib, which
 *   tries that name on PulseAudio, then ALSA, then OSS, and never substitutes the default
 *   device), so private details reach headphones with no extra player program.
 * The text always goes on the child's stdin, never on its command line or environment, where any
 * local user could read it from /proc; it is never logged and never written to a file other than
 * a WAV file a caller names. */

#include "config.h"

#include "hirc-speech.h"
#include "hirc-secure.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* Utterances are separated by a blank line, which espeak-ng treats as the end of a paragraph:
 * a short pause, and falling intonation on choices that have no full stop of their own. */
#define UTTERANCE_SEPARATOR "\n\n"

typedef struct
{
  const char *code;       /* the kiosk's language code */
  const char *autonym;    /* the language's own name, as on the language page */
  const char *voices[3];  /* espeak-ng voices in order of preference, NULL-terminated */
} LanguageVoice;

/* British English for a UK kiosk; European Portuguese because the UK's Portuguese-speaking
 * community is mostly from Portugal and Madeira, Brazilian only when that is all there is.
 * Somali and Pashto have no espeak-ng voice today: naming the code they would have lets a later
 * espeak-ng that adds one be used with no change here. Pashto is never given the Persian voice:
 * the languages are not mutually intelligible and a wrong voice is worse than none. */
static const LanguageVoice language_voices[] = {
  { "en",          "English",    { "en-gb", "en", NULL } },
  { "en-easyread", "English",    { "en-gb", "en", NULL } },
  { "cy",          "Cymraeg",    { "cy", NULL } },
  { "pl",          "Polski",     { "pl", NULL } },
  { "ro",          "Română",     { "ro", NULL } },
  { "pt",          "Português",  { "pt", "pt-br", NULL } },
  { "es",          "Español",    { "es", NULL } },
  { "lt",          "Lietuvių",   { "lt", NULL } },
  { "bg",          "Български",  { "bg", NULL } },
  { "uk",          "Українська", { "uk", NULL } },
  { "ru",          "Русский",    { "ru", NULL } },
  { "pa",          "ਪੰਜਾਬੀ",      { "pa", NULL } },
  { "bn",          "বাংলা",       { "bn", NULL } },
  { "gu",          "ગુજરાતી",      { "gu", NULL } },
  { "so",          "Soomaali",   { "so", NULL } },
  { "ur",          "اردو",       { "ur", NULL } },
  { "ar",          "العربية",    { "ar", NULL } },
  { "fa",          "فارسی",      { "fa", NULL } },
  { "ps",          "پښتو",       { "ps", NULL } },
};

struct _HircSpeaker
{
  GObject parent_instance;

  /* Owned references. */
  GSubprocess  *child;           /* the espeak-ng now speaking, or NULL */
  GCancellable *cancellable;     /* cancels the wait for child */
  /* Written by the thread that lists the voices, then only read once voices_ready is set. */
  GHashTable   *installed;       /* espeak-ng voice names installed → NULL */
  GMutex        voices_lock;
  GCond         voices_listed;
  gboolean      voices_ready;    /* under voices_lock */
  char         *espeak_path;     /* NULL when espeak-ng is not installed */
  char         *public_device;   /* from HIRC_SPEECH_SINK; NULL for the default device */
  char         *private_device;
  char         *last_language;   /* the last request, for repeat; its words are wiped */
  char        **last_utterances;
  gboolean      last_private;

  guint         rate;
  guint         volume;
  gboolean      speaking;
};

G_DEFINE_FINAL_TYPE (HircSpeaker, hirc_speaker, G_TYPE_OBJECT)

G_DEFINE_QUARK (hirc-speech-error-quark, hirc_speech_error)

enum
{
  PROP_0,
  PROP_SPEAKING,
  PROP_RATE,
  PROP_VOLUME,
  PROP_PRIVATE_OUTPUT_DEVICE,
  PROP_VOICES_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_speaking (HircSpeaker *self,
              gboolean     speaking)
{
  if (self->speaking == speaking)
    return;
  self->speaking = speaking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
}

static void
wipe_strv (char **strv)
{
  if (strv == NULL)
    return;
  for (gsize i = 0; strv[i] != NULL; i++)
    hirc_secure_wipe_string (strv[i]);
  g_strfreev (strv);
}

static void
forget_last_request (HircSpeaker *self)
{
  g_clear_pointer (&self->last_utterances, wipe_strv);
  g_clear_pointer (&self->last_language, g_free);
  self->last_private = FALSE;
}

static const LanguageVoice *
find_language (const char *language_code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (language_voices); i++)
    if (g_str_equal (language_voices[i].code, language_code))
      return &language_voices[i];
  return NULL;
}

static void wait_for_voices (HircSpeaker *self);

/* The espeak-ng voice for a kiosk language, or NULL (with a sentence for the reporter). */
static const char *
voice_for (HircSpeaker  *self,
           const char   *language_code,
           char        **reason)
{
  const LanguageVoice *language = find_language (language_code);

  wait_for_voices (self);
  if (language != NULL)
    {
      for (gsize i = 0; language->voices[i] != NULL; i++)
        if (g_hash_table_contains (self->installed, language->voices[i]))
          return language->voices[i];

      if (reason != NULL)
        /* Translators: shown beside the disabled "Read aloud" button. %s is the language's own
         * name, for example "Soomaali". */
        *reason = g_strdup_printf (_("There is no voice for %s on this kiosk yet."),
                                   language->autonym);
      return NULL;
    }

  if (reason != NULL)
    /* Translators: shown beside the disabled "Read aloud" button. */
    *reason = g_strdup (_("There is no voice for this language on this kiosk yet."));
  return NULL;
}

/* Reads the voice list once: `espeak-ng --voices` prints a header line, then one line per voice
 * whose second column is the name -v accepts. It takes 50 to 130 ms here, so it runs in a
 * thread while the kiosk draws its first page, and only a question about voices waits for it. */
static void
load_installed_voices (HircSpeaker *self)
{
  const char *argv[] = { self->espeak_path, "--voices", NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_auto(GStrv) lines = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, "/");
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child == NULL
      || !g_subprocess_communicate_utf8 (child, NULL, NULL, &listing, NULL, &error)
      || !g_subprocess_get_successful (child))
    {
      g_warning ("speech: cannot list espeak-ng voices: %s",
                 error != NULL ? error->message : "espeak-ng --voices failed");
      return;
    }

  lines = g_strsplit (listing, "\n", -1);
  for (gsize i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      gsize found = 0;

      /* Columns are separated by runs of spaces, which split into empty strings. */
      for (gsize j = 0; columns[j] != NULL; j++)
        {
          if (columns[j][0] == '\0')
            continue;
          if (++found == 2)
            {
              g_hash_table_add (self->installed, g_strdup (columns[j]));
              break;
            }
        }
    }
  g_debug ("speech: %u espeak-ng voices installed", g_hash_table_size (self->installed));
}

static void
list_voices_thread_cb (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  HircSpeaker *self = source_object;

  load_installed_voices (self);
  g_mutex_lock (&self->voices_lock);
  self->voices_ready = TRUE;
  g_cond_broadcast (&self->voices_listed);
  g_mutex_unlock (&self->voices_lock);
  g_task_return_boolean (task, TRUE);
}

/* Back in the main context, where the speaker's signals are emitted. */
static void
voices_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_object_notify_by_pspec (source, properties[PROP_VOICES_READY]);
}

static void
wait_for_voices (HircSpeaker *self)
{
  g_mutex_lock (&self->voices_lock);
  while (!self->voices_ready)
    g_cond_wait (&self->voices_listed, &self->voices_lock);
  g_mutex_unlock (&self->voices_lock);
}

/* The command line: settings only. The text goes on stdin. */
static GStrv
espeak_argv_new (HircSpeaker *self,
                 const char  *voice,
                 const char  *device,
                 const char  *wav_path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *rate = g_strdup_printf ("%u", self->rate);
  g_autofree char *volume = g_strdup_printf ("%u", self->volume);
  const char *fixed[] = {
    self->espeak_path,
    "--stdin",       /* read the text at once from stdin, not from the arguments */
    "-b", "1",       /* the text is UTF-8 */
    "-v", voice,
    "-s", rate,
    "-a", volume,
    NULL,
  };

  g_strv_builder_addv (builder, fixed);
  if (wav_path != NULL)
    {
      g_strv_builder_add (builder, "-w");
      g_strv_builder_add (builder, wav_path);
    }
  else if (device != NULL)
    {
      g_strv_builder_add (builder, "-d");
      g_strv_builder_add (builder, device);
    }
  return g_strv_builder_end (builder);
}

static GSubprocess *
espeak_spawn (const char * const  *argv,
              GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* pcaudiolib's last resort opens the device name as a file path; from "/" a sink name cannot
   * land on a file in whatever folder the kiosk was started from. */
  g_subprocess_launcher_set_cwd (launcher, "/");
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

/* The first line of what espeak-ng wrote to stderr, short enough for a log line, or NULL. Its
 * diagnostics name voices, files and audio devices (ALSA's own messages among them), never the
 * text it reads, and espeak-ng exits with status 0 even when the device cannot be opened, so this
 * is the only sign that nothing was heard. */
static char *
first_diagnostic (GBytes *diagnostics)
{
  gsize len;
  const char *data;

  if (diagnostics == NULL || g_bytes_get_size (diagnostics) == 0)
    return NULL;
  data = g_bytes_get_data (diagnostics, &len);
  len = MIN (len, 200);
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n')
      {
        len = i;
        break;
      }
  return g_utf8_make_valid (data, len);
}

static void
secure_buffer_free_cb (gpointer data)
{
  hirc_secure_buffer_free (data);
}

/* The utterances as espeak-ng's input, in guarded memory that is wiped when the child has read
 * it. NULL when there is nothing to say. */
static GBytes *
join_utterances (const char * const *utterances)
{
  HircSecureBuffer *buffer;
  gsize len = 0;
  gsize at = 0;

  for (gsize i = 0; utterances[i] != NULL; i++)
    if (utterances[i][0] != '\0')
      len += strlen (utterances[i]) + strlen (UTTERANCE_SEPARATOR);
  if (len == 0)
    return NULL;

  buffer = hirc_secure_buffer_new (len);
  for (gsize i = 0; utterances[i] != NULL; i++)
    {
      gsize n = strlen (utterances[i]);

      if (n == 0)
        continue;
      memcpy (buffer->data + at, utterances[i], n);
      memcpy (buffer->data + at + n, UTTERANCE_SEPARATOR, strlen (UTTERANCE_SEPARATOR));
      at += n + strlen (UTTERANCE_SEPARATOR);
    }
  return g_bytes_new_with_free_func (buffer->data, buffer->len, secure_buffer_free_cb, buffer);
}

static void
speech_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GSubprocess *child = G_SUBPROCESS (source);
  HircSpeaker *self;
  g_autoptr(GBytes) diagnostics = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *diagnostic = NULL;

  /* The speaker holds no reference while speaking, so that dropping it silences it; stop() and
   * dispose() cancel first, so a cancelled result may belong to a speaker that is gone. */
  if (!g_subprocess_communicate_finish (child, result, NULL, &diagnostics, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = HIRC_SPEAKER (user_data);
  if (child != self->child)
    return;

  diagnostic = first_diagnostic (diagnostics);
  if (error != NULL)
    g_warning ("speech: lost contact with espeak-ng: %s", error->message);
  else if (!g_subprocess_get_if_exited (child))
    g_warning ("speech: espeak-ng was killed by signal %d", g_subprocess_get_term_sig (child));
  else if (g_subprocess_get_exit_status (child) != 0 || diagnostic != NULL)
    /* Usually the output device is missing, for example headphones unplugged from a USB jack. */
    g_warning ("speech: espeak-ng exited with status %d: %s",
               g_subprocess_get_exit_status (child),
               diagnostic != NULL ? diagnostic : "no diagnostics");

  g_clear_object (&self->child);
  g_clear_object (&self->cancellable);
  set_speaking (self, FALSE);
}

static gboolean
start_speaking (HircSpeaker  *self,
                GError      **error)
{
  g_autoptr(GBytes) text = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  const char *voice;
  const char *device;

  voice = voice_for (self, self->last_language, &reason);
  if (voice == NULL)
    {
      g_set_error_literal (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NO_VOICE, reason);
      return FALSE;
    }

  if (self->last_private)
    {
      if (self->private_device == NULL)
        {
          g_set_error_literal (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NEEDS_HEADPHONES,
                               /* Translators: the reporter asked to hear private details
                                * (such as their answers) and this kiosk has no headphones set
                                * up, so nothing is said aloud. */
                               _("Plug in headphones to hear your answers read back."));
          return FALSE;
        }
      device = self->private_device;
    }
  else
    {
      device = self->public_device;
    }

  text = join_utterances ((const char * const *) self->last_utterances);
  if (text == NULL)
    return TRUE;

  argv = espeak_argv_new (self, voice, device, NULL);
  self->child = espeak_spawn ((const char * const *) argv, &local_error);
  if (self->child == NULL)
    {
      g_warning ("speech: cannot start espeak-ng: %s", local_error->message);
      g_set_error_literal (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_FAILED,
                           _("Read aloud is not working on this kiosk."));
      return FALSE;
    }

  self->cancellable = g_cancellable_new ();
  g_subprocess_communicate_async (self->child, text, self->cancellable, speech_finished_cb, self);
  set_speaking (self, TRUE);
  return TRUE;
}

static void
hirc_speaker_dispose (GObject *object)
{
  HircSpeaker *self = HIRC_SPEAKER (object);

  hirc_speaker_stop (self);
  forget_last_request (self);

  G_OBJECT_CLASS (hirc_speaker_parent_class)->dispose (object);
}

static void
hirc_speaker_finalize (GObject *object)
{
  HircSpeaker *self = HIRC_SPEAKER (object);

  g_clear_pointer (&self->installed, g_hash_table_unref);
  g_mutex_clear (&self->voices_lock);
  g_cond_clear (&self->voices_listed);
  g_clear_pointer (&self->espeak_path, g_free);
  g_clear_pointer (&self->public_device, g_free);
  g_clear_pointer (&self->private_device, g_free);

  G_OBJECT_CLASS (hirc_speaker_parent_class)->finalize (object);
}

static void
hirc_speaker_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HircSpeaker *self = HIRC_SPEAKER (object);

  switch (prop_id)
    {
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    case PROP_RATE:
      g_value_set_uint (value, self->rate);
      break;
    case PROP_VOLUME:
      g_value_set_uint (value, self->volume);
      break;
    case PROP_PRIVATE_OUTPUT_DEVICE:
      g_value_set_string (value, self->private_device);
      break;
    case PROP_VOICES_READY:
      g_value_set_boolean (value, hirc_speaker_get_voices_ready (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_speaker_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HircSpeaker *self = HIRC_SPEAKER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      hirc_speaker_set_rate (self, g_value_get_uint (value));
      break;
    case PROP_VOLUME:
      hirc_speaker_set_volume (self, g_value_get_uint (value));
      break;
    case PROP_PRIVATE_OUTPUT_DEVICE:
      hirc_speaker_set_private_output_device (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_speaker_class_init (HircSpeakerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hirc_speaker_dispose;
  object_class->finalize = hirc_speaker_finalize;
  object_class->get_property = hirc_speaker_get_property;
  object_class->set_property = hirc_speaker_set_property;

  properties[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE] =
    g_param_spec_uint ("rate", NULL, NULL,
                       HIRC_SPEAKER_MIN_RATE, HIRC_SPEAKER_MAX_RATE, HIRC_SPEAKER_DEFAULT_RATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_uint ("volume", NULL, NULL,
                       0, HIRC_SPEAKER_MAX_VOLUME, HIRC_SPEAKER_DEFAULT_VOLUME,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRIVATE_OUTPUT_DEVICE] =
    g_param_spec_string ("private-output-device", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOICES_READY] =
    g_param_spec_boolean ("voices-ready", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hirc_speaker_init (HircSpeaker *self)
{
  const char *sink = g_getenv ("HIRC_SPEECH_SINK");

  self->rate = HIRC_SPEAKER_DEFAULT_RATE;
  self->volume = HIRC_SPEAKER_DEFAULT_VOLUME;
  self->installed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&self->voices_lock);
  g_cond_init (&self->voices_listed);
  if (sink != NULL && sink[0] != '\0')
    self->public_device = g_strdup (sink);

  self->espeak_path = g_find_program_in_path ("espeak-ng");
  if (self->espeak_path == NULL)
    {
      g_message ("speech: espeak-ng is not installed; read aloud is unavailable");
      self->voices_ready = TRUE;
    }
  else
    {
      /* The task holds the speaker until the list is read. */
      g_autoptr(GTask) task = g_task_new (self, NULL, voices_listed_cb, NULL);

      g_task_set_source_tag (task, hirc_speaker_init);
      g_task_run_in_thread (task, list_voices_thread_cb);
    }
}

HircSpeaker *
hirc_speaker_new (void)
{
  return g_object_new (HIRC_TYPE_SPEAKER, NULL);
}

gboolean
hirc_speaker_has_voice (HircSpeaker  *self,
                        const char   *language_code,
                        char        **reason)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), FALSE);
  g_return_val_if_fail (language_code != NULL, FALSE);
  g_return_val_if_fail (reason == NULL || *reason == NULL, FALSE);

  return voice_for (self, language_code, reason) != NULL;
}

gboolean
hirc_speaker_speak (HircSpeaker        *self,
                    const char         *language_code,
                    const char * const *utterances,
                    gboolean            private_details,
                    GError            **error)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), FALSE);
  g_return_val_if_fail (language_code != NULL, FALSE);
  g_return_val_if_fail (utterances != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  hirc_speaker_stop (self);

  /* Kept even when it cannot be said now, so Repeat gives the same answer as the first press. */
  forget_last_request (self);
  self->last_language = g_strdup (language_code);
  self->last_utterances = g_strdupv ((char **) utterances);
  self->last_private = private_details;

  return start_speaking (self, error);
}

void
hirc_speaker_stop (HircSpeaker *self)
{
  g_return_if_fail (HIRC_IS_SPEAKER (self));

  if (self->child != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      /* SIGKILL: espeak-ng has nothing to save, and its audio stream is dropped, not drained,
       * when the process dies. GSubprocess reaps the child. */
      g_subprocess_force_exit (self->child);
      g_clear_object (&self->child);
      g_clear_object (&self->cancellable);
    }
  set_speaking (self, FALSE);
}

gboolean
hirc_speaker_repeat (HircSpeaker  *self,
                     GError      **error)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  hirc_speaker_stop (self);
  if (self->last_utterances == NULL)
    return TRUE;
  return start_speaking (self, error);
}

void
hirc_speaker_reset (HircSpeaker *self)
{
  g_return_if_fail (HIRC_IS_SPEAKER (self));

  hirc_speaker_stop (self);
  forget_last_request (self);
  hirc_speaker_set_rate (self, HIRC_SPEAKER_DEFAULT_RATE);
  hirc_speaker_set_volume (self, HIRC_SPEAKER_DEFAULT_VOLUME);
}

gboolean
hirc_speaker_get_speaking (HircSpeaker *self)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), FALSE);

  return self->speaking;
}

gboolean
hirc_speaker_get_voices_ready (HircSpeaker *self)
{
  gboolean ready;

  g_return_val_if_fail (HIRC_IS_SPEAKER (self), FALSE);

  g_mutex_lock (&self->voices_lock);
  ready = self->voices_ready;
  g_mutex_unlock (&self->voices_lock);
  return ready;
}

guint
hirc_speaker_get_rate (HircSpeaker *self)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), HIRC_SPEAKER_DEFAULT_RATE);

  return self->rate;
}

/* Takes effect from the next thing said. */
void
hirc_speaker_set_rate (HircSpeaker *self,
                       guint        rate)
{
  g_return_if_fail (HIRC_IS_SPEAKER (self));
  g_return_if_fail (rate >= HIRC_SPEAKER_MIN_RATE && rate <= HIRC_SPEAKER_MAX_RATE);

  if (self->rate == rate)
    return;
  self->rate = rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

guint
hirc_speaker_get_volume (HircSpeaker *self)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), HIRC_SPEAKER_DEFAULT_VOLUME);

  return self->volume;
}

/* Takes effect from the next thing said. */
void
hirc_speaker_set_volume (HircSpeaker *self,
                         guint        volume)
{
  g_return_if_fail (HIRC_IS_SPEAKER (self));
  g_return_if_fail (volume <= HIRC_SPEAKER_MAX_VOLUME);

  if (self->volume == volume)
    return;
  self->volume = volume;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

const char *
hirc_speaker_get_private_output_device (HircSpeaker *self)
{
  g_return_val_if_fail (HIRC_IS_SPEAKER (self), NULL);

  return self->private_device;
}

void
hirc_speaker_set_private_output_device (HircSpeaker *self,
                                        const char  *device)
{
  g_return_if_fail (HIRC_IS_SPEAKER (self));

  /* "" is what a settings file holds for "no headphones"; keep one spelling of it. */
  if (device != NULL && device[0] == '\0')
    device = NULL;
  if (g_strcmp0 (self->private_device, device) == 0)
    return;
  g_free (self->private_device);
  self->private_device = g_strdup (device);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIVATE_OUTPUT_DEVICE]);
}

gboolean
hirc_speaker_synthesise_to_wav (HircSpeaker  *self,
                                const char   *language_code,
                                const char   *text,
                                const char   *path,
                                GError      **error)
{
  const char * const utterances[] = { text, NULL };
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) diagnostics = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *diagnostic = NULL;
  g_auto(GStrv) argv = NULL;
  const char *voice;

  g_return_val_if_fail (HIRC_IS_SPEAKER (self), FALSE);
  g_return_val_if_fail (language_code != NULL, FALSE);
  g_return_val_if_fail (text != NULL && text[0] != '\0', FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  voice = voice_for (self, language_code, &reason);
  if (voice == NULL)
    {
      g_set_error_literal (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NO_VOICE, reason);
      return FALSE;
    }

  input = join_utterances (utterances);
  argv = espeak_argv_new (self, voice, NULL, path);
  child = espeak_spawn ((const char * const *) argv, &local_error);
  /* Only tests and benchmarks call this, so the errors are technical, not for reporters. */
  if (child == NULL
      || !g_subprocess_communicate (child, input, NULL, NULL, &diagnostics, &local_error))
    {
      g_set_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_FAILED,
                   "cannot run espeak-ng: %s", local_error->message);
      return FALSE;
    }
  diagnostic = first_diagnostic (diagnostics);
  if (!g_subprocess_get_successful (child) || diagnostic != NULL)
    {
      g_set_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_FAILED,
                   "espeak-ng could not write %s: %s", path,
                   diagnostic != NULL ? diagnostic : "no diagnostics");
      return FALSE;
    }
  return TRUE;
}

const char *
hirc_speech_language_code (const char *tag)
{
  g_autofree char *language = NULL;
  gboolean easy_read;

  g_return_val_if_fail (tag != NULL, NULL);

  /* A locale name is language[_TERRITORY][.CODESET][@MODIFIER]; a BCP 47 tag is
   * language[-subtag]...; Easy Read English is "en@easyread" as a locale and "en-easyread" as a
   * tag. Territories and codesets do not change the kiosk language. */
  language = g_ascii_strdown (tag, strcspn (tag, "_-.@"));
  easy_read = g_str_equal (language, "en")
              && (strstr (tag, "@easyread") != NULL || strstr (tag, "-easyread") != NULL);
  if (easy_read)
    return find_language ("en-easyread")->code;
  for (gsize i = 0; i < G_N_ELEMENTS (language_voices); i++)
    if (g_str_equal (language_voices[i].code, language))
      return language_voices[i].code;
  return NULL;
}
