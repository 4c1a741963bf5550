/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-speech.h: read-aloud for the kiosk's pages in the page's language (EN 301 549 5.1.3). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HIRC_SPEECH_ERROR (hirc_speech_error_quark ())

typedef enum
{
  /* The language has no voice on this kiosk; the message says so in plain words. */
  HIRC_SPEECH_ERROR_NO_VOICE,
  /* The words are private and no private output device (headphones) is set: nothing was said. */
  HIRC_SPEECH_ERROR_NEEDS_HEADPHONES,
  /* The synthesiser could not be started or could not write the file; the log has the detail. */
  HIRC_SPEECH_ERROR_FAILED,
} HircSpeechError;

GQuark hirc_speech_error_quark (void);

/* Words a minute and amplitude (espeak-ng's scale, 100 is its normal loudness) that every
 * reporter starts with; hirc_speaker_reset() returns to them. */
#define HIRC_SPEAKER_DEFAULT_RATE   150
#define HIRC_SPEAKER_MIN_RATE        80
#define HIRC_SPEAKER_MAX_RATE       450
#define HIRC_SPEAKER_DEFAULT_VOLUME 100
#define HIRC_SPEAKER_MAX_VOLUME     200

#define HIRC_TYPE_SPEAKER (hirc_speaker_get_type ())

G_DECLARE_FINAL_TYPE (HircSpeaker, hirc_speaker, HIRC, SPEAKER, GObject)

/* Finds espeak-ng and the voices installed with it. Public speech goes to the default audio
 * device, or to the device named by the environment variable HIRC_SPEECH_SINK when it is set:
 * tests and headless benchmarks set HIRC_SPEECH_SINK=null, ALSA's discarding device, so the
 * whole playback path runs with no sound card. */
HircSpeaker *hirc_speaker_new                   (void);

/* The kiosk's code for a language tag or locale name ("pl", "pl_PL.UTF-8", "pt-BR",
 * "en@easyread", "en-easyread"), or NULL when the kiosk does not offer the language. */
const char  *hirc_speech_language_code          (const char         *tag);

/* FALSE while the installed voices are still being listed, which starts when the speaker is
 * made and takes up to about a tenth of a second; "notify::voices-ready" says when it is done.
 * Until then the functions below that need to know the voices wait for the list. */
gboolean     hirc_speaker_get_voices_ready      (HircSpeaker        *self);

/* TRUE when language_code (one of the kiosk's codes: en, en-easyread, cy, pl, ...) can be read
 * aloud. Otherwise FALSE, and *reason (optional) receives a translated sentence to show beside
 * the disabled button. */
gboolean     hirc_speaker_has_voice             (HircSpeaker        *self,
                                                 const char         *language_code,
                                                 char              **reason);

/* Stops anything being said, then starts saying the utterances (heading, question, choices...,
 * errors; NULL-terminated, empty ones skipped) one after another, and returns at once. When
 * private_details is TRUE every utterance is private (for example answers read back) and is
 * said only on the private output device; with no such device nothing is said and the error is
 * HIRC_SPEECH_ERROR_NEEDS_HEADPHONES. The request is kept for hirc_speaker_repeat(). */
gboolean     hirc_speaker_speak                 (HircSpeaker        *self,
                                                 const char         *language_code,
                                                 const char * const *utterances,
                                                 gboolean            private_details,
                                                 GError            **error);

/* Silences the speaker at once. Call it whenever the reporter acts. */
void         hirc_speaker_stop                  (HircSpeaker        *self);

/* Says the last request again, with the same language and privacy. Does nothing when there is
 * none. */
gboolean     hirc_speaker_repeat                (HircSpeaker        *self,
                                                 GError            **error);

/* Between reporters: stops, forgets the last request and restores the default rate and volume
 * (EN 301 549 5.1.3.13). */
void         hirc_speaker_reset                 (HircSpeaker        *self);

gboolean     hirc_speaker_get_speaking          (HircSpeaker        *self);

guint        hirc_speaker_get_rate              (HircSpeaker        *self);
void         hirc_speaker_set_rate              (HircSpeaker        *self,
                                                 guint               rate);
guint        hirc_speaker_get_volume            (HircSpeaker        *self);
void         hirc_speaker_set_volume            (HircSpeaker        *self,
                                                 guint               volume);

/* The audio device for private details: a PulseAudio or PipeWire sink name, or an ALSA device
 * name such as "hw:1,0", that only headphones are connected to. Never "default". NULL or "" when
 * the kiosk has no headphones. */
const char  *hirc_speaker_get_private_output_device (HircSpeaker    *self);
void         hirc_speaker_set_private_output_device (HircSpeaker    *self,
                                                     const char     *device);

/* Writes text, spoken in the language's voice at the current rate and volume, to a WAV file at
 * path. Blocks until the file is complete; for tests and benchmarks, not for the UI thread. */
gboolean     hirc_speaker_synthesise_to_wav     (HircSpeaker        *self,
                                                 const char         *language_code,
                                                 const char         *text,
                                                 const char         *path,
                                                 GError            **error);

G_END_DECLS
