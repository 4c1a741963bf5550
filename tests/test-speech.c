/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-speech.c: read-aloud in every kiosk language, measured from real WAV files, and its
 * stop, repeat, reset and privacy rules. */

#include "config.h"

#include "hirc-secure.h"
#include "hirc-speech.h"
#include "hirc-test-util.h"
#include "hirc-test-wav.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Words no voice, log or file would contain by chance: finding one means report text leaked. */
#define SECRET_WORD "Quokkabridge"
#define PRIVATE_WORD "Marrowfinch"

/* How long a test waits for espeak-ng to start or finish before failing. */
#define WAIT_LIMIT_US (10 * G_USEC_PER_SEC)

/* The start page's call to action in each kiosk language. To be reviewed by a native speaker in
 * the partnership, like the catalogues. Each ends with its script's full stop. */
typedef struct
{
  const char *code;
  const char *phrase;
} LanguagePhrase;

static const LanguagePhrase phrases[] = {
  { "en",          "Report a hate incident." },
  { "en-easyread", "Tell us if someone hurt or scared you because of who you are." },
  { "cy",          "Rhowch wybod am ddigwyddiad casineb." },
  { "pl",          "Zgłoś incydent motywowany nienawiścią." },
  { "ro",          "Raportează un incident motivat de ură." },
  { "pt",          "Denuncie um incidente de ódio." },
  { "es",          "Denuncie un incidente de odio." },
  { "lt",          "Praneškite apie neapykantos incidentą." },
  { "bg",          "Съобщете за инцидент от омраза." },
  { "uk",          "Повідомте про інцидент на ґрунті ненависті." },
  { "ru",          "Сообщите об инциденте на почве ненависти." },
  { "pa",          "ਨਫ਼ਰਤ ਦੀ ਘਟਨਾ ਦੀ ਰਿਪੋਰਟ ਕਰੋ।" },
  { "bn",          "ঘৃণামূলক ঘটনার রিপোর্ট করুন।" },
  { "gu",          "નફરતની ઘટનાની જાણ કરો." },
  { "so",          "Ka warbixi dhacdo nacayb." },
  { "ur",          "نفرت پر مبنی واقعے کی اطلاع دیں۔" },
  { "ar",          "أبلغ عن حادثة كراهية." },
  { "fa",          "یک حادثهٔ نفرت‌آمیز را گزارش کنید." },
  { "ps",          "د کرکې پېښه راپور کړئ." },
};

static char *test_root;
static gboolean log_leaked;

/* Every log line of this process passes here, so a leak of report text into logs fails the
 * run, then goes on to the normal writer (which makes warnings fatal under G_DEBUG). */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0 && g_str_equal (fields[i].key, "MESSAGE")
          && (strstr (fields[i].value, SECRET_WORD) != NULL
              || strstr (fields[i].value, PRIVATE_WORD) != NULL))
        log_leaked = TRUE;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* The espeak-ng processes this test process started and that have not been reaped. */
static GArray *
espeak_children (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *stat = NULL;
      const char *after;
      char state;
      int ppid;
      int pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      stat_path = g_build_filename ("/proc", name, "stat", NULL);
      /* A process can end between the listing and the read. */
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      after = strrchr (stat, ')');
      if (after == NULL || sscanf (after, ") %c %d", &state, &ppid) != 2)
        continue;
      if (ppid != getpid () || strstr (stat, "(espeak-ng)") == NULL)
        continue;
      pid = atoi (name);
      g_array_append_val (pids, pid);
    }
  return pids;
}

/* The one espeak-ng child, apart from one killed but perhaps not yet reaped (or 0). espeak-ng
 * reads all of stdin before it says anything, and the text is written from this thread's main
 * context, so a child found before the context runs is still there to be inspected. */
static int
the_espeak_child (int except)
{
  g_autoptr(GArray) pids = espeak_children ();
  int found = 0;

  for (guint i = 0; i < pids->len; i++)
    {
      if (g_array_index (pids, int, i) == except)
        continue;
      g_assert_cmpint (found, ==, 0);
      found = g_array_index (pids, int, i);
    }
  g_assert_cmpint (found, !=, 0);
  return found;
}

static char **
proc_strings (int         pid,
              const char *what)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", pid, what);
  g_autofree char *contents = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  /* NUL-separated strings, the last one NUL-terminated too. */
  for (gsize at = 0; at < len; at += strlen (contents + at) + 1)
    g_strv_builder_add (builder, contents + at);
  return g_strv_builder_end (builder);
}

/* Checks that no report text is visible to other users in the child's argv or environment, and
 * returns the argument after option (or NULL). */
static char *
check_child (int         pid,
             const char *option)
{
  g_auto(GStrv) argv = proc_strings (pid, "cmdline");
  g_auto(GStrv) environ_strings = proc_strings (pid, "environ");

  for (gsize i = 0; environ_strings[i] != NULL; i++)
    {
      g_assert_null (strstr (environ_strings[i], SECRET_WORD));
      g_assert_null (strstr (environ_strings[i], PRIVATE_WORD));
    }
  for (gsize i = 0; argv[i] != NULL; i++)
    {
      g_assert_null (strstr (argv[i], SECRET_WORD));
      g_assert_null (strstr (argv[i], PRIVATE_WORD));
    }
  for (gsize i = 0; argv[i] != NULL && argv[i + 1] != NULL; i++)
    if (g_str_equal (argv[i], option))
      return g_strdup (argv[i + 1]);
  return NULL;
}

static gboolean
process_gone (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d", pid);

  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Runs the main context until the process is reaped; returns how long that took. */
static gint64
wait_until_gone (int pid)
{
  gint64 start = g_get_monotonic_time ();

  while (!process_gone (pid))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, WAIT_LIMIT_US);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return g_get_monotonic_time () - start;
}

static void
wait_until_quiet (HircSpeaker *speaker)
{
  gint64 start = g_get_monotonic_time ();

  while (hirc_speaker_get_speaking (speaker))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, WAIT_LIMIT_US);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
run_context_for (gint64 microseconds)
{
  gint64 end = g_get_monotonic_time () + microseconds;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
count_notify_cb (GObject    *object G_GNUC_UNUSED,
                 GParamSpec *pspec G_GNUC_UNUSED,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* About an hour of speech: espeak-ng is still synthesising it, even into ALSA's null device,
 * seconds after it starts. */
static char *
long_text_new (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 1500; i++)
    g_string_append (text, "Someone shouted at me near the bus station " SECRET_WORD ". ");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_language (gconstpointer data)
{
  const LanguagePhrase *language = data;
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *once_path = NULL;
  g_autofree char *thrice_path = NULL;
  g_autofree char *thrice = NULL;
  HircWavStats once = { 0 };
  HircWavStats thrice_stats = { 0 };
  double ratio;

  if (!hirc_speaker_has_voice (speaker, language->code, &reason))
    {
      const char * const utterances[] = { language->phrase, NULL };

      g_assert_nonnull (reason);
      g_assert_cmpstr (reason, !=, "");
      g_assert_false (hirc_speaker_speak (speaker, language->code, utterances, FALSE, &error));
      g_assert_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NO_VOICE);
      g_assert_false (hirc_speaker_get_speaking (speaker));
      g_test_message ("%s: no voice: %s", language->code, reason);
      return;
    }
  g_assert_null (reason);

  once_path = g_strdup_printf ("%s/%s-once.wav", test_root, language->code);
  thrice_path = g_strdup_printf ("%s/%s-thrice.wav", test_root, language->code);
  thrice = g_strjoin (" ", language->phrase, language->phrase, language->phrase, NULL);

  hirc_speaker_synthesise_to_wav (speaker, language->code, language->phrase, once_path, &error);
  g_assert_no_error (error);
  hirc_speaker_synthesise_to_wav (speaker, language->code, thrice, thrice_path, &error);
  g_assert_no_error (error);
  hirc_test_analyse_wav (once_path, &once);
  hirc_test_analyse_wav (thrice_path, &thrice_stats);
  ratio = thrice_stats.seconds / once.seconds;

  g_test_message ("%s: %u Hz, %.2f s (three times: %.2f s, ratio %.2f), RMS %.0f, voiced %.0f%%",
                  language->code, once.rate, once.seconds, thrice_stats.seconds, ratio, once.rms,
                  100.0 * once.voiced_fraction);

  g_assert_cmpfloat (once.seconds, >=, 0.3);
  g_assert_cmpfloat (once.seconds, <=, 20.0);
  /* Three times the words take about three times as long (less the one final pause saved). */
  g_assert_cmpfloat (ratio, >=, 2.2);
  g_assert_cmpfloat (ratio, <=, 3.5);
  /* espeak-ng at amplitude 100 speaks at roughly -20 dBFS RMS; a tenth of that is a broken or
   * silent voice. Speech has pauses, but most 20 ms frames of a short sentence are voiced. */
  g_assert_cmpfloat (once.rms, >=, 500.0);
  g_assert_cmpfloat (once.voiced_fraction, >=, 0.5);
  g_assert_cmpfloat (thrice_stats.rms, >=, 500.0);
  g_assert_cmpfloat (thrice_stats.voiced_fraction, >=, 0.5);
}

/* The voices are listed in a thread, so that a new speaker costs the window nothing; the list
 * arrives with one notification, and a question before then waits for it. */
static void
test_voices_ready (void)
{
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  gint64 start = g_get_monotonic_time ();
  guint notified = 0;

  g_signal_connect (speaker, "notify::voices-ready", G_CALLBACK (count_notify_cb), &notified);
  while (notified == 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, WAIT_LIMIT_US);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_test_message ("voices listed %.1f ms after the speaker was made",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (hirc_speaker_get_voices_ready (speaker));
  run_context_for (20 * 1000);
  g_assert_cmpuint (notified, ==, 1);

  /* Asked at once, a new speaker answers with the list. */
  g_clear_object (&speaker);
  speaker = hirc_speaker_new ();
  g_assert_true (hirc_speaker_has_voice (speaker, "cy", NULL));
  g_assert_true (hirc_speaker_get_voices_ready (speaker));
}

/* Locale names (from LANGUAGE and the catalogues' headers) and report tags name the same
 * languages. */
static void
test_language_codes (void)
{
  const struct { const char *tag; const char *code; } cases[] = {
    { "pl", "pl" },
    { "pl_PL.UTF-8", "pl" },
    { "PT-BR", "pt" },
    { "pt_BR", "pt" },
    { "en", "en" },
    { "en_GB.UTF-8", "en" },
    { "en@easyread", "en-easyread" },
    { "en_GB.UTF-8@easyread", "en-easyread" },
    { "en-easyread", "en-easyread" },
    { "fa_IR", "fa" },
    { "ps", "ps" },
    { "de", NULL },
    { "C", NULL },
    { "", NULL },
    { "easyread", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (hirc_speech_language_code (cases[i].tag), ==, cases[i].code);
}

static void
test_unknown_language (void)
{
  const char * const utterances[] = { "tlhIngan Hol Dajatlh'a'?", NULL };
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = g_build_filename (test_root, "tlh.wav", NULL);

  g_assert_false (hirc_speaker_has_voice (speaker, "tlh", &reason));
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");

  g_assert_false (hirc_speaker_speak (speaker, "tlh", utterances, FALSE, &error));
  g_assert_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NO_VOICE);
  g_clear_error (&error);
  g_assert_false (hirc_speaker_synthesise_to_wav (speaker, "tlh", utterances[0], path, &error));
  g_assert_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NO_VOICE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (hirc_speaker_get_speaking (speaker));
}

static void
test_speak_to_end (void)
{
  const char * const utterances[] = {
    "Tell us what happened",
    "Where did it happen?",
    "At home",
    "",
    "In the street near " SECRET_WORD,
    "Choose one of the answers.",
    NULL,
  };
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GArray) left = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  guint notified = 0;
  int pid;

  g_signal_connect (speaker, "notify::speaking", G_CALLBACK (count_notify_cb), &notified);
  g_assert_true (hirc_speaker_speak (speaker, "en", utterances, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_speaker_get_speaking (speaker));
  g_assert_cmpuint (notified, ==, 1);

  pid = the_espeak_child (0);
  device = check_child (pid, "-d");
  g_assert_cmpstr (device, ==, "null");

  wait_until_quiet (speaker);
  g_assert_cmpuint (notified, ==, 2);
  wait_until_gone (pid);
  left = espeak_children ();
  g_assert_cmpuint (left->len, ==, 0);
}

static void
test_stop (void)
{
  g_autofree char *text = long_text_new ();
  const char * const utterances[] = { "Your description", text, NULL };
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  guint notified = 0;
  gint64 took;
  int pid;

  g_signal_connect (speaker, "notify::speaking", G_CALLBACK (count_notify_cb), &notified);
  g_assert_true (hirc_speaker_speak (speaker, "en", utterances, FALSE, &error));
  g_assert_no_error (error);
  pid = the_espeak_child (0);
  device = check_child (pid, "-d");
  g_assert_cmpstr (device, ==, "null");

  /* Let it take the text and get well into synthesis and playback. */
  run_context_for (300 * 1000);
  g_assert_false (process_gone (pid));
  g_assert_true (hirc_speaker_get_speaking (speaker));

  hirc_speaker_stop (speaker);
  g_assert_false (hirc_speaker_get_speaking (speaker));
  g_assert_cmpuint (notified, ==, 2);
  took = wait_until_gone (pid);
  g_test_message ("espeak-ng gone %.1f ms after stop", took / 1000.0);
  g_assert_cmpint (took, <, G_USEC_PER_SEC / 2);

  /* The cancelled wait finishes quietly and changes nothing. */
  run_context_for (50 * 1000);
  g_assert_false (hirc_speaker_get_speaking (speaker));
  g_assert_cmpuint (notified, ==, 2);

  /* Stopping a silent speaker is harmless. */
  hirc_speaker_stop (speaker);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_interrupt (void)
{
  g_autofree char *text = long_text_new ();
  const char * const first[] = { text, NULL };
  const char * const second[] = { "Is anyone hurt?", "Yes", "No", NULL };
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GError) error = NULL;
  int first_pid;
  int second_pid;

  g_assert_true (hirc_speaker_speak (speaker, "en", first, FALSE, &error));
  g_assert_no_error (error);
  first_pid = the_espeak_child (0);
  run_context_for (100 * 1000);

  g_assert_true (hirc_speaker_speak (speaker, "cy", second, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_speaker_get_speaking (speaker));
  second_pid = the_espeak_child (first_pid);
  {
    g_autofree char *voice = check_child (second_pid, "-v");

    g_assert_cmpstr (voice, ==, "cy");
  }
  wait_until_gone (first_pid);

  wait_until_quiet (speaker);
  wait_until_gone (second_pid);
}

static void
test_private (void)
{
  const char * const answers[] = {
    "Your answers",
    "What happened: " PRIVATE_WORD " followed me home",
    NULL,
  };
  const char * const prompt[] = { "Check your answers", NULL };
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *private_device = NULL;
  g_autofree char *public_device = NULL;
  int pid;

  /* No headphones: nothing private is said, and the reporter is told why. */
  g_assert_null (hirc_speaker_get_private_output_device (speaker));
  g_assert_false (hirc_speaker_speak (speaker, "en", answers, TRUE, &error));
  g_assert_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NEEDS_HEADPHONES);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  g_assert_false (hirc_speaker_get_speaking (speaker));
  none = espeak_children ();
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (hirc_speaker_repeat (speaker, &error));
  g_assert_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_NEEDS_HEADPHONES);
  g_clear_error (&error);
  g_assert_false (hirc_speaker_get_speaking (speaker));

  /* An empty setting means no headphones too. */
  hirc_speaker_set_private_output_device (speaker, "");
  g_assert_null (hirc_speaker_get_private_output_device (speaker));

  /* With headphones, private details go there and only there. "plug:null" is another ALSA
   * discarding device, told apart from the public "null" on the command line. */
  g_object_set (speaker, "private-output-device", "plug:null", NULL);
  g_assert_true (hirc_speaker_speak (speaker, "en", answers, TRUE, &error));
  g_assert_no_error (error);
  pid = the_espeak_child (0);
  private_device = check_child (pid, "-d");
  g_assert_cmpstr (private_device, ==, "plug:null");
  wait_until_quiet (speaker);
  wait_until_gone (pid);

  /* Repeat keeps the privacy of what it repeats. */
  g_assert_true (hirc_speaker_repeat (speaker, &error));
  g_assert_no_error (error);
  pid = the_espeak_child (0);
  g_clear_pointer (&private_device, g_free);
  private_device = check_child (pid, "-d");
  g_assert_cmpstr (private_device, ==, "plug:null");
  wait_until_quiet (speaker);
  wait_until_gone (pid);

  /* Prompts still go to the loudspeaker. */
  g_assert_true (hirc_speaker_speak (speaker, "en", prompt, FALSE, &error));
  g_assert_no_error (error);
  pid = the_espeak_child (0);
  public_device = check_child (pid, "-d");
  g_assert_cmpstr (public_device, ==, "null");
  wait_until_quiet (speaker);
  wait_until_gone (pid);
}

static void
test_repeat_and_reset (void)
{
  const char * const utterances[] = { "Do you want support?", "Yes", "No", NULL };
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;
  guint rate_notified = 0;
  guint volume_notified = 0;
  int first_pid;
  int second_pid;

  g_signal_connect (speaker, "notify::rate", G_CALLBACK (count_notify_cb), &rate_notified);
  g_signal_connect (speaker, "notify::volume", G_CALLBACK (count_notify_cb), &volume_notified);

  /* Nothing said yet: Repeat does nothing. */
  g_assert_true (hirc_speaker_repeat (speaker, &error));
  g_assert_no_error (error);
  g_assert_false (hirc_speaker_get_speaking (speaker));

  hirc_speaker_set_rate (speaker, 120);
  hirc_speaker_set_volume (speaker, 180);
  hirc_speaker_set_volume (speaker, 180);
  g_assert_cmpuint (rate_notified, ==, 1);
  g_assert_cmpuint (volume_notified, ==, 1);

  g_assert_true (hirc_speaker_speak (speaker, "pl", utterances, FALSE, &error));
  g_assert_no_error (error);
  first_pid = the_espeak_child (0);
  {
    g_autofree char *rate = check_child (first_pid, "-s");
    g_autofree char *volume = check_child (first_pid, "-a");
    g_autofree char *voice = check_child (first_pid, "-v");

    g_assert_cmpstr (rate, ==, "120");
    g_assert_cmpstr (volume, ==, "180");
    g_assert_cmpstr (voice, ==, "pl");
  }
  wait_until_quiet (speaker);
  wait_until_gone (first_pid);

  g_assert_true (hirc_speaker_repeat (speaker, &error));
  g_assert_no_error (error);
  g_assert_true (hirc_speaker_get_speaking (speaker));
  second_pid = the_espeak_child (0);
  {
    g_autofree char *voice = check_child (second_pid, "-v");

    g_assert_cmpstr (voice, ==, "pl");
  }

  /* The next reporter starts from the defaults, in silence, with nothing to repeat. */
  hirc_speaker_reset (speaker);
  g_assert_false (hirc_speaker_get_speaking (speaker));
  wait_until_gone (second_pid);
  g_assert_cmpuint (hirc_speaker_get_rate (speaker), ==, HIRC_SPEAKER_DEFAULT_RATE);
  g_assert_cmpuint (hirc_speaker_get_volume (speaker), ==, HIRC_SPEAKER_DEFAULT_VOLUME);
  g_assert_cmpuint (rate_notified, ==, 2);
  g_assert_cmpuint (volume_notified, ==, 2);

  g_assert_true (hirc_speaker_repeat (speaker, &error));
  g_assert_no_error (error);
  g_assert_false (hirc_speaker_get_speaking (speaker));
  none = espeak_children ();
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_wav_error (void)
{
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (test_root, "no-such-folder", "out.wav", NULL);

  g_assert_false (hirc_speaker_synthesise_to_wav (speaker, "en", "Report a hate incident.", path,
                                                  &error));
  g_assert_error (error, HIRC_SPEECH_ERROR, HIRC_SPEECH_ERROR_FAILED);
  g_test_message ("%s", error->message);
}

/* Headphones named but missing (unplugged from a USB jack): espeak-ng exits with status 0, so
 * only its diagnostics show nothing was heard. The warning must say so without the words. */
static void
test_missing_device (void)
{
  const char * const answers[] = { "What happened: " PRIVATE_WORD " followed me home", NULL };

  if (g_test_subprocess ())
    {
      g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
      g_autoptr(GError) error = NULL;

      hirc_speaker_set_private_output_device (speaker, "hirc-no-such-headphones");
      g_assert_true (hirc_speaker_speak (speaker, "en", answers, TRUE, &error));
      g_assert_no_error (error);
      /* g_test_init() makes the warning fatal, which ends this process. */
      wait_until_quiet (speaker);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*speech: espeak-ng exited with status 0: *hirc-no-such-headphones*");
  g_test_trap_assert_stderr_unmatched ("*" PRIVATE_WORD "*");
}

/* Runs last: nothing this program said, privately or not, was written anywhere except as audio
 * in the WAV file asked for, or logged. */
static void
test_no_text_left_behind (void)
{
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (test_root, "secret.wav", NULL);
  g_autofree char *found_in = NULL;
  HircWavStats stats = { 0 };

  hirc_speaker_synthesise_to_wav (speaker, "en", "My neighbour " SECRET_WORD " said it again.",
                                  path, &error);
  g_assert_no_error (error);
  hirc_test_analyse_wav (path, &stats);

  g_assert_false (hirc_test_tree_contains (test_root, (const guint8 *) SECRET_WORD,
                                           strlen (SECRET_WORD), &found_in));
  g_assert_null (found_in);
  g_assert_false (hirc_test_tree_contains (test_root, (const guint8 *) PRIVATE_WORD,
                                           strlen (PRIVATE_WORD), &found_in));
  g_assert_null (found_in);
  g_assert_false (log_leaked);
}

/* Everything espeak-ng or an audio library might write lands under the test's own folder, where
 * the last test searches it. */
static void
redirect_environment (void)
{
  const struct { const char *variable; const char *folder; } redirects[] = {
    { "TMPDIR", "tmp" },
    { "HOME", "home" },
    { "XDG_RUNTIME_DIR", "runtime" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_CONFIG_HOME", "config" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (redirects); i++)
    {
      g_autofree char *path = g_build_filename (test_root, redirects[i].folder, NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_setenv (redirects[i].variable, path, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Set before any thread starts. There is no sound card on test machines; ALSA's null device
   * still takes espeak-ng through its whole playback path. */
  g_setenv ("HIRC_SPEECH_SINK", "null", TRUE);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  if (g_test_subprocess ())
    {
      /* A trapped subprocess shares its parent's folder and redirected environment. */
      test_root = g_strdup (g_getenv ("HIRC_SPEECH_TEST_ROOT"));
      g_assert_nonnull (test_root);
    }
  else
    {
      test_root = hirc_test_make_temp_dir ("hirc-speech");
      g_setenv ("HIRC_SPEECH_TEST_ROOT", test_root, TRUE);
      redirect_environment ();
    }
  hirc_secure_init (&error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/speech/language/%s", phrases[i].code);

      g_test_add_data_func (name, &phrases[i], test_language);
    }
  g_test_add_func ("/speech/behaviour/language-codes", test_language_codes);
  g_test_add_func ("/speech/behaviour/voices-ready", test_voices_ready);
  g_test_add_func ("/speech/behaviour/unknown-language", test_unknown_language);
  g_test_add_func ("/speech/behaviour/wav-error", test_wav_error);
  g_test_add_func ("/speech/behaviour/speak-to-end", test_speak_to_end);
  g_test_add_func ("/speech/behaviour/stop", test_stop);
  g_test_add_func ("/speech/behaviour/interrupt", test_interrupt);
  g_test_add_func ("/speech/behaviour/repeat-and-reset", test_repeat_and_reset);
  /* Suites run in the order they are first named, so these come last. */
  g_test_add_func ("/speech/privacy/private-details", test_private);
  g_test_add_func ("/speech/privacy/missing-device", test_missing_device);
  g_test_add_func ("/speech/privacy/no-text-left-behind", test_no_text_left_behind);

  status = g_test_run ();
  if (!g_test_subprocess ())
    hirc_test_remove_tree (test_root);
  g_clear_pointer (&test_root, g_free);
  return status;
}
