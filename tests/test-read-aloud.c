/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-read-aloud.c: the Read aloud button on the kiosk's pages. The start page of every offered
 * language is read through its catalogue, synthesised to a WAV file and measured; what a page
 * says is checked word for word; private details are followed to the device that would say
 * them; a language with no voice shows why; speech stops and starts again as the reporter acts;
 * and the headphones setting is read from kiosk.conf. Needs a display (Xvfb). */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"
#include "hirc-read-aloud.h"
#include "hirc-secure.h"
#include "hirc-speech.h"
#include "hirc-test-util.h"
#include "hirc-test-wav.h"
#include "hirc-ui.h"
#include "hirc-ui-language.h"

/* What a reporter types; finding it in what the loudspeaker would say is a leak. */
#define SECRET_WORD "Quokkabridge"

/* How long a test waits for something the main loop or a child process should bring about. */
#define WAIT_LIMIT_US (10 * G_USEC_PER_SEC)

static char *test_root;
static char *real_espeak;
static char *saved_path;

static gpointer
own (GtkWidget *widget)
{
  return g_object_ref_sink (widget);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_until (gboolean  (*condition) (gpointer data),
            gpointer    data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
voices_ready_cb (gpointer data)
{
  return hirc_speaker_get_voices_ready (data);
}

/* The voices are listed in a thread as the speaker starts; the buttons show them once the main
 * loop has heard that the list is done. */
static void
wait_for_voices (HircReadAloud *read_aloud)
{
  wait_until (voices_ready_cb, hirc_read_aloud_get_speaker (read_aloud));
  iterate ();
}

static char *
utterances_joined (GPtrArray *utterances)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < utterances->len; i++)
    {
      HircUtterance *utterance = g_ptr_array_index (utterances, i);

      if (i > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, utterance->text);
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The button inside the Read aloud widget, and its message label. */
static GtkWidget *
inner_button (HircReadAloudButton *read_aloud)
{
  return find_descendant (GTK_WIDGET (read_aloud), GTK_TYPE_BUTTON);
}

/* The start page of each offered language. */

static gboolean
has_catalogue (const char *code)
{
  g_autofree char *path = g_build_filename (g_getenv ("HIRC_LOCALEDIR"), code, "LC_MESSAGES",
                                            GETTEXT_PACKAGE ".mo", NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
test_start_page (gconstpointer data)
{
  const HircUiLanguage *language = data;
  g_autoptr(HircSpeaker) speaker = hirc_speaker_new ();
  g_autoptr(HircReadAloud) read_aloud = NULL;
  g_autoptr(GPtrArray) utterances = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;
  HircReadAloudButton *button;
  const char *code = hirc_speech_language_code (language->code);
  HircWavStats stats = { 0 };
  GtkWidget *page;
  glong characters;
  double per_second;

  g_assert_nonnull (code);
  hirc_ui_language_apply (language->code);
  page = own (hirc_start_page_new ());
  utterances = hirc_read_aloud_collect (page);
  text = utterances_joined (utterances);
  characters = g_utf8_strlen (text, -1);

  /* The start page has nothing of the reporter's, so all of it is said aloud: the heading
   * first, then the paragraphs, the main button, the emergency numbers and other ways to
   * report. */
  g_assert_cmpuint (utterances->len, >=, 10);
  for (guint i = 0; i < utterances->len; i++)
    g_assert_false (((HircUtterance *) g_ptr_array_index (utterances, i))->private_details);
  /* In the language's own words wherever it has a catalogue. */
  if (has_catalogue (language->code) && !g_str_has_prefix (language->code, "en"))
    g_assert_cmpstr (((HircUtterance *) g_ptr_array_index (utterances, 0))->text, !=,
                     "Tell us about a hate incident");

  read_aloud = hirc_read_aloud_new ();
  hirc_read_aloud_set_language (read_aloud, language->code);
  hirc_read_aloud_add_page (read_aloud, page);
  button = hirc_read_aloud_button_find (page);
  wait_for_voices (read_aloud);

  if (!hirc_speaker_has_voice (speaker, code, &reason))
    {
      /* The button says why it cannot be used, as text beside it. */
      g_assert_false (hirc_read_aloud_button_get_available (button));
      g_assert_false (gtk_widget_get_sensitive (inner_button (button)));
      g_assert_cmpstr (hirc_read_aloud_button_get_message (button), ==, reason);
      g_test_message ("%s: %ld characters; no voice: %s", language->code, characters, reason);
      g_clear_object (&read_aloud);
      g_assert_finalize_object (page);
      hirc_ui_language_apply (HIRC_UI_LANGUAGE_DEFAULT);
      return;
    }
  g_assert_true (hirc_read_aloud_button_get_available (button));
  g_assert_true (gtk_widget_get_sensitive (inner_button (button)));
  g_assert_null (hirc_read_aloud_button_get_message (button));

  path = g_strdup_printf ("%s/start-%s.wav", test_root, code);
  hirc_speaker_synthesise_to_wav (speaker, code, text, path, &error);
  g_assert_no_error (error);
  hirc_test_analyse_wav (path, &stats);
  per_second = characters / stats.seconds;
  g_test_message ("%s: %ld characters, %.1f s (%.1f characters a second), %u Hz, RMS %.0f, "
                  "voiced %.0f%%", language->code, characters, stats.seconds, per_second,
                  stats.rate, stats.rms, 100.0 * stats.voiced_fraction);

  /* Not silent: espeak-ng speaks at roughly -20 dBFS RMS, and most 20 ms frames of speech are
   * voiced, even with a pause between each paragraph. */
  g_assert_cmpfloat (stats.rms, >=, 500.0);
  g_assert_cmpfloat (stats.voiced_fraction, >=, 0.5);
  /* As long as the words: people read aloud at 10 to 20 characters a second in these scripts;
   * espeak-ng at 150 words a minute falls in a wider band around that, while a voice that
   * skipped words or a script it could not read would be far faster, and one spelling letters
   * out far slower. */
  g_assert_cmpfloat (per_second, >=, 6.0);
  g_assert_cmpfloat (per_second, <=, 30.0);

  g_clear_object (&read_aloud);
  g_assert_finalize_object (page);
  hirc_ui_language_apply (HIRC_UI_LANGUAGE_DEFAULT);
}

/* What a page says. */

typedef struct
{
  GtkWidget        *page;
  GtkWidget        *text_field;
  GtkWidget        *choice;
} QuestionPage;

static void
question_page_init (QuestionPage *page)
{
  HircQuestionPage *widget;
  HircChoiceField *choice;
  HircTextField *text;

  page->page = own (hirc_question_page_new ());
  widget = HIRC_QUESTION_PAGE (page->page);
  hirc_question_page_set_heading (widget, "What happened?");
  hirc_question_page_set_lead (widget, "Tell us as much as you want to.");

  page->choice = hirc_choice_field_new (FALSE);
  choice = HIRC_CHOICE_FIELD (page->choice);
  hirc_choice_field_set_label (choice, "Was anyone hurt?");
  hirc_choice_field_set_hint (choice, "Choose one.");
  hirc_choice_field_add_choice (choice, "yes", "Yes");
  hirc_choice_field_add_choice (choice, "no", "No");
  hirc_question_page_add_field (widget, page->choice);

  page->text_field = hirc_text_field_new (TRUE);
  text = HIRC_TEXT_FIELD (page->text_field);
  hirc_text_field_set_label (text, "Describe it");
  hirc_text_field_set_text (text, "A man shouted at " SECRET_WORD " on Mill Road.");
  hirc_question_page_add_field (widget, page->text_field);
}

static void
test_what_a_page_says (void)
{
  QuestionPage page;
  g_autoptr(GPtrArray) utterances = NULL;
  const struct { const char *text; gboolean private_details; } expected[] = {
    { "There is a problem", FALSE },
    { "Tell us if anyone was hurt.", FALSE },
    { "What happened?", FALSE },
    { "Tell us as much as you want to.", FALSE },
    { "Was anyone hurt?", FALSE },
    { "Choose one.", FALSE },
    { "Tell us if anyone was hurt.", FALSE },
    { "Yes", FALSE },
    { "No", FALSE },
    { "Describe it", FALSE },
    { "A man shouted at " SECRET_WORD " on Mill Road.", TRUE },
    { "Continue", FALSE },
  };

  question_page_init (&page);
  hirc_choice_field_set_error (HIRC_CHOICE_FIELD (page.choice), "Tell us if anyone was hurt.");
  hirc_question_page_add_error (HIRC_QUESTION_PAGE (page.page), "Tell us if anyone was hurt.",
                                page.choice);
  hirc_question_page_present_errors (HIRC_QUESTION_PAGE (page.page));

  /* In the order shown; Back (navigation only) and the Read aloud button are not said. */
  utterances = hirc_read_aloud_collect (page.page);
  for (guint i = 0; i < MIN (utterances->len, G_N_ELEMENTS (expected)); i++)
    {
      HircUtterance *utterance = g_ptr_array_index (utterances, i);

      g_assert_cmpstr (utterance->text, ==, expected[i].text);
      g_assert_cmpint (utterance->private_details, ==, expected[i].private_details);
    }
  g_assert_cmpuint (utterances->len, ==, G_N_ELEMENTS (expected));
  g_clear_pointer (&utterances, g_ptr_array_unref);

  /* A field that is not shown is not said; an empty one says nothing; a PIN, never. */
  hirc_text_field_set_text (HIRC_TEXT_FIELD (page.text_field), NULL);
  gtk_widget_set_visible (page.choice, FALSE);
  hirc_question_page_clear_errors (HIRC_QUESTION_PAGE (page.page));
  {
    GtkWidget *pin = gtk_password_entry_new ();
    GtkWidget *hidden = gtk_entry_new ();

    gtk_editable_set_text (GTK_EDITABLE (pin), "2468");
    gtk_entry_set_visibility (GTK_ENTRY (hidden), FALSE);
    gtk_editable_set_text (GTK_EDITABLE (hidden), "1357");
    hirc_question_page_add_field (HIRC_QUESTION_PAGE (page.page), pin);
    hirc_question_page_add_field (HIRC_QUESTION_PAGE (page.page), hidden);
  }
  utterances = hirc_read_aloud_collect (page.page);
  g_assert_cmpuint (utterances->len, ==, 4);
  g_assert_cmpstr (((HircUtterance *) g_ptr_array_index (utterances, 2))->text, ==,
                   "Describe it");

  g_assert_finalize_object (page.page);
}

static void
test_check_answers_private (void)
{
  GtkWidget *page = own (hirc_question_page_new ());
  GtkWidget *answers = hirc_answer_list_new ();
  g_autoptr(GPtrArray) utterances = NULL;
  guint private_count = 0;

  hirc_question_page_set_heading (HIRC_QUESTION_PAGE (page), "Check your answers");
  hirc_answer_list_add_section (HIRC_ANSWER_LIST (answers), "About you");
  hirc_answer_list_add_row (HIRC_ANSWER_LIST (answers), "name", "Your name", SECRET_WORD);
  hirc_answer_list_add_row (HIRC_ANSWER_LIST (answers), "religion", "Religion", "Muslim");
  hirc_question_page_add_field (HIRC_QUESTION_PAGE (page), answers);

  /* Everything listed is the reporter's own: what they wrote and what they chose. */
  utterances = hirc_read_aloud_collect (page);
  for (guint i = 0; i < utterances->len; i++)
    {
      HircUtterance *utterance = g_ptr_array_index (utterances, i);

      if (utterance->private_details)
        private_count++;
      else
        g_assert_true (g_str_equal (utterance->text, "Check your answers")
                       || g_str_equal (utterance->text, "Continue"));
    }
  g_assert_cmpuint (private_count, ==, 5);
  g_assert_finalize_object (page);
}

/* A pretend espeak-ng that records where each request would be heard, its own process id and
 * what it says, then plays for a set time (as a sound card would, where ALSA's null device takes
 * the sound at once); it lists the voices the real one has. */

typedef struct
{
  char *log_dir;
  guint next;
} Recorder;

static void
recorder_init (Recorder *recorder,
               double    play_seconds)
{
  g_autofree char *bin = g_build_filename (test_root, "bin", NULL);
  g_autofree char *script_path = g_build_filename (bin, "espeak-ng", NULL);
  g_autofree char *seconds = g_strdup_printf ("%.1f", play_seconds);
  g_autofree char *path = g_strconcat (bin, ":", saved_path, NULL);
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  static guint n;

  recorder->log_dir = g_strdup_printf ("%s/spoken-%u", test_root, n++);
  recorder->next = 0;
  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (recorder->log_dir, 0700), ==, 0);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "if [ \"$1\" = --voices ]; then exec '%s' --voices; fi\n"
                            "device=default\n"
                            "previous=\n"
                            "for argument in \"$@\"; do\n"
                            "  if [ \"$previous\" = -d ]; then device=$argument; fi\n"
                            "  previous=$argument\n"
                            "done\n"
                            "n=$(ls '%s' | wc -l)\n"
                            "{ echo \"$device\"; echo $$; cat; } > '%s'/$n.tmp\n"
                            "mv '%s'/$n.tmp '%s'/$n.txt\n"
                            "exec sleep %s\n",
                            real_espeak, recorder->log_dir, recorder->log_dir,
                            recorder->log_dir, recorder->log_dir, seconds);
  g_file_set_contents (script_path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script_path, 0700), ==, 0);
  g_setenv ("PATH", path, TRUE);
}

static void
recorder_clear (Recorder *recorder)
{
  g_setenv ("PATH", saved_path, TRUE);
  g_clear_pointer (&recorder->log_dir, g_free);
}

static gboolean
recorded_cb (gpointer data)
{
  Recorder *recorder = data;
  g_autofree char *path = g_strdup_printf ("%s/%u.txt", recorder->log_dir, recorder->next);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Waits for the next request and returns its text; *device is where it would be heard and *pid
 * (optional) the process playing it. */
static char *
recorder_next (Recorder  *recorder,
               char     **device,
               int       *pid)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;

  wait_until (recorded_cb, recorder);
  path = g_strdup_printf ("%s/%u.txt", recorder->log_dir, recorder->next++);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  parts = g_strsplit (contents, "\n", 3);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  *device = g_strdup (parts[0]);
  if (pid != NULL)
    *pid = atoi (parts[1]);
  return g_strdup (parts[2]);
}

static void
press (HircReadAloudButton *button)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (button), "read-aloud.toggle", NULL));
}

static void
test_private_details (void)
{
  Recorder recorder;
  QuestionPage page;
  g_autoptr(HircReadAloud) read_aloud = NULL;
  HircReadAloudButton *button;
  GtkWidget *headphones;
  g_autofree char *said = NULL;
  g_autofree char *device = NULL;
  g_autofree char *left_out = NULL;

  recorder_init (&recorder, 0);
  question_page_init (&page);
  read_aloud = hirc_read_aloud_new ();
  hirc_read_aloud_set_language (read_aloud, "en");
  hirc_read_aloud_add_page (read_aloud, page.page);
  button = hirc_read_aloud_button_find (page.page);
  headphones = find_descendant (GTK_WIDGET (button), HIRC_TYPE_CHOICE_BUTTON);

  /* No headphones: what was typed is not said, anywhere, and the page says so. */
  g_assert_false (gtk_widget_get_visible (headphones));
  press (button);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_cmpstr (device, ==, "null");
  g_assert_null (strstr (said, SECRET_WORD));
  g_assert_nonnull (strstr (said, "What happened?"));
  g_assert_nonnull (strstr (said, "Was anyone hurt?"));
  left_out = g_strdup (hirc_read_aloud_button_get_message (button));
  g_assert_nonnull (left_out);
  g_assert_nonnull (strstr (said, left_out));
  g_test_message ("without headphones: %s", left_out);
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&device, g_free);
  g_clear_pointer (&left_out, g_free);

  /* Headphones, not chosen: still nothing private on the loudspeaker, and the page says how
   * to hear it. */
  hirc_read_aloud_set_private_output_device (read_aloud, "plug:null");
  g_assert_true (gtk_widget_get_visible (headphones));
  press (button);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_cmpstr (device, ==, "null");
  g_assert_null (strstr (said, SECRET_WORD));
  g_assert_nonnull (strstr (said, hirc_read_aloud_button_get_message (button)));
  g_assert_nonnull (strstr (hirc_read_aloud_button_get_message (button), "Use headphones"));
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&device, g_free);

  /* Chosen: the whole page, what was typed included, goes to the headphones only. */
  g_assert_true (gtk_widget_activate_action (headphones, "choice.press", NULL));
  g_assert_true (hirc_read_aloud_button_get_use_headphones (button));
  press (button);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_cmpstr (device, ==, "plug:null");
  g_assert_nonnull (strstr (said, "A man shouted at " SECRET_WORD " on Mill Road."));
  g_assert_nonnull (strstr (said, "What happened?"));
  g_assert_null (hirc_read_aloud_button_get_message (button));
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&device, g_free);

  /* The next reporter starts without headphones chosen. */
  hirc_read_aloud_reset (read_aloud);
  g_assert_false (hirc_read_aloud_button_get_use_headphones (button));
  press (button);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_cmpstr (device, ==, "null");
  g_assert_null (strstr (said, SECRET_WORD));

  g_clear_object (&read_aloud);
  g_assert_finalize_object (page.page);
  recorder_clear (&recorder);
}

static gboolean
quiet_cb (gpointer data)
{
  return !hirc_read_aloud_button_get_speaking (data);
}

static gboolean
mapped_cb (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
process_gone_cb (gpointer data)
{
  return kill (GPOINTER_TO_INT (data), 0) != 0;
}

static void
test_stop_and_repeat (void)
{
  Recorder recorder;
  g_autoptr(HircReadAloud) read_aloud = NULL;
  g_autofree char *said = NULL;
  g_autofree char *device = NULL;
  HircReadAloudButton *button;
  GtkWidget *start_page;
  GtkWidget *window;
  GtkWidget *inner;

  /* Each request plays for a minute unless it is stopped. */
  recorder_init (&recorder, 60);
  window = gtk_window_new ();
  start_page = hirc_start_page_new ();
  gtk_window_set_child (GTK_WINDOW (window), start_page);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (mapped_cb, start_page);

  read_aloud = hirc_read_aloud_new ();
  hirc_read_aloud_set_language (read_aloud, "en");
  hirc_read_aloud_add_page (read_aloud, start_page);
  button = hirc_read_aloud_button_find (start_page);
  inner = inner_button (button);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Read aloud");

  /* Pressed: it reads, and says how to stop it. */
  press (button);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_true (g_str_has_prefix (said, "Tell us about a hate incident\n\n"));
  g_assert_true (hirc_read_aloud_button_get_speaking (button));
  g_assert_true (hirc_speaker_get_speaking (hirc_read_aloud_get_speaker (read_aloud)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Stop reading");

  /* Pressed again: silence. */
  press (button);
  g_assert_false (hirc_read_aloud_button_get_speaking (button));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Read aloud");

  /* And again: from the start. */
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&device, g_free);
  press (button);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_true (g_str_has_prefix (said, "Tell us about a hate incident\n\n"));
  g_assert_true (hirc_read_aloud_button_get_speaking (button));

  /* The page going (another page, the idle warning, Leave now) stops it. */
  gtk_widget_set_visible (start_page, FALSE);
  g_assert_false (hirc_read_aloud_button_get_speaking (button));
  g_assert_false (hirc_speaker_get_speaking (hirc_read_aloud_get_speaker (read_aloud)));
  gtk_widget_set_visible (start_page, TRUE);
  wait_until (mapped_cb, start_page);

  /* So does choosing another language. */
  press (button);
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&device, g_free);
  said = recorder_next (&recorder, &device, NULL);
  g_assert_true (hirc_read_aloud_button_get_speaking (button));
  hirc_read_aloud_set_language (read_aloud, "pl");
  wait_until (quiet_cb, button);

  g_clear_object (&read_aloud);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  recorder_clear (&recorder);
}

/* A stop ends the child at once: nothing goes on playing. */
static void
test_stop_kills (void)
{
  Recorder recorder;
  g_autoptr(HircReadAloud) read_aloud = NULL;
  g_autofree char *said = NULL;
  g_autofree char *device = NULL;
  HircReadAloudButton *button;
  GtkWidget *page;
  int child = 0;

  recorder_init (&recorder, 60);
  read_aloud = hirc_read_aloud_new ();
  page = own (hirc_start_page_new ());
  hirc_read_aloud_add_page (read_aloud, page);
  button = hirc_read_aloud_button_find (page);
  press (button);
  said = recorder_next (&recorder, &device, &child);
  g_assert_cmpint (child, >, 0);
  g_assert_false (process_gone_cb (GINT_TO_POINTER (child)));

  hirc_read_aloud_stop (read_aloud);
  g_assert_false (hirc_read_aloud_button_get_speaking (button));
  wait_until (process_gone_cb, GINT_TO_POINTER (child));

  g_clear_object (&read_aloud);
  g_assert_finalize_object (page);
  recorder_clear (&recorder);
}

/* Languages. */

static void
test_language (void)
{
  g_autoptr(HircReadAloud) read_aloud = hirc_read_aloud_new ();
  GtkWidget *page = own (hirc_idle_warning_new ());
  HircReadAloudButton *button;
  GtkWidget *message_label;
  const char *message;

  hirc_read_aloud_add_page (read_aloud, page);
  button = hirc_read_aloud_button_find (page);
  wait_for_voices (read_aloud);
  /* Its children: the button, "Use headphones", and the message. */
  message_label = gtk_widget_get_last_child (GTK_WIDGET (button));

  /* Somali and Pashto have no espeak-ng voice: the button is greyed, and the reason is text
   * beside it, in the language on screen. */
  for (guint i = 0; i < 2; i++)
    {
      const char *code = i == 0 ? "so" : "ps";
      const char *name = i == 0 ? "Soomaali" : "پښتو";

      hirc_read_aloud_set_language (read_aloud, code);
      g_assert_cmpstr (hirc_read_aloud_get_language (read_aloud), ==, code);
      g_assert_false (hirc_read_aloud_button_get_available (button));
      g_assert_false (gtk_widget_get_sensitive (inner_button (button)));
      message = hirc_read_aloud_button_get_message (button);
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, name));
      g_assert_true (GTK_IS_LABEL (message_label));
      g_assert_true (gtk_widget_get_visible (message_label));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message_label)), ==, message);
      gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (inner_button (button)),
                                           GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, message_label,
                                           NULL);
    }

  /* Every other language has one; locale names and report tags both work. */
  for (const char *const *code = (const char *const[]) { "pl", "en@easyread", "en-easyread",
                                                          "pt_BR", "ur", NULL };
       *code != NULL; code++)
    {
      hirc_read_aloud_set_language (read_aloud, *code);
      g_assert_true (hirc_read_aloud_button_get_available (button));
      g_assert_true (gtk_widget_get_sensitive (inner_button (button)));
      g_assert_null (hirc_read_aloud_button_get_message (button));
    }
  g_assert_cmpstr (hirc_read_aloud_get_language (read_aloud), ==, "ur");

  g_clear_object (&read_aloud);
  g_assert_finalize_object (page);
}

/* The language of the catalogue in use is the one read in until the window says otherwise. */
static void
test_language_in_use (void)
{
  hirc_ui_language_apply (HIRC_UI_LANGUAGE_DEFAULT);
  g_assert_cmpstr (hirc_read_aloud_language_in_use (), ==, "en");
  if (!has_catalogue ("uk"))
    {
      g_test_skip ("there is no Ukrainian catalogue yet");
      return;
    }
  hirc_ui_language_apply ("uk");
  g_assert_cmpstr (hirc_read_aloud_language_in_use (), ==, "uk");
  hirc_ui_language_apply (HIRC_UI_LANGUAGE_DEFAULT);
}

/* kiosk.conf's [speech] private_output. */

static void
test_config (void)
{
  g_autofree char *state_dir = g_build_filename (test_root, "state", NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(HircKey) seal = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  g_autoptr(HircKey) sign = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  g_autoptr(HircKey) seal_public = hirc_key_dup_public (seal);
  g_autoptr(HircKey) sign_public = hirc_key_dup_public (sign);
  g_autoptr(HircKioskConfig) loaded = NULL;
  g_autoptr(GError) error = NULL;
  char pin[] = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  char *pins[] = { pin, NULL };
  HircKioskConfig config = {
    .state_dir = state_dir,
    .centre_id = (char *) "centre",
    .centre_name = (char *) "Centre",
    .intake_url = (char *) "https://127.0.0.1:9",
    .intake_seal_public = seal_public,
    .intake_receipt_public = sign_public,
    .tls_pins = pins,
    .device_id = (char *) "device",
    .device_public = sign_public,
    .status_token = (char *) "c3RhdHVz",
  };

  /* No setting: no headphones. */
  hirc_kiosk_config_save (&config, NULL, &error);
  g_assert_no_error (error);
  loaded = hirc_kiosk_config_load (state_dir, &error);
  g_assert_no_error (error);
  g_assert_null (loaded->speech_private_output);
  g_clear_pointer (&loaded, hirc_kiosk_config_free);

  config.speech_private_output = (char *) "alsa_output.usb-headset.analog-stereo";
  hirc_kiosk_config_save (&config, NULL, &error);
  g_assert_no_error (error);
  loaded = hirc_kiosk_config_load (state_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->speech_private_output, ==, "alsa_output.usb-headset.analog-stereo");
  g_clear_pointer (&loaded, hirc_kiosk_config_free);

  /* "default" is the loudspeaker: refused, in words an administrator can act on. */
  path = hirc_kiosk_config_path (state_dir);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GString) edited = g_string_new (contents);

    g_string_replace (edited, "alsa_output.usb-headset.analog-stereo", "default", 1);
    g_file_set_contents_full (path, edited->str, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
    g_assert_no_error (error);
  }
  loaded = hirc_kiosk_config_load (state_dir, &error);
  g_assert_error (error, HIRC_CONFIG_ERROR, HIRC_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "private_output"));
  g_assert_null (loaded);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const HircUiLanguage *languages;
  guint n_languages;
  int status;

  g_setenv ("HIRC_SPEECH_SINK", "null", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* As hirc-kiosk-main.c does: LANGUAGE switches the catalogue, which gettext honours outside
   * the "C" locale; and GLib, which decides once whether to translate at all, decides while
   * the default domain is still gettext's own. */
  setlocale (LC_ALL, "C.UTF-8");
  (void) g_dgettext (GETTEXT_PACKAGE, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HIRC_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", HIRC_UI_LANGUAGE_DEFAULT, TRUE);
  hirc_ui_init ();
  hirc_ui_init_theme (gdk_display_get_default ());
  hirc_secure_init (&error);
  g_assert_no_error (error);

  test_root = hirc_test_make_temp_dir ("hirc-read-aloud");
  real_espeak = g_find_program_in_path ("espeak-ng");
  g_assert_nonnull (real_espeak);
  saved_path = g_strdup (g_getenv ("PATH"));

  languages = hirc_ui_languages (&n_languages);
  for (guint i = 0; i < n_languages; i++)
    {
      g_autofree char *name = g_strdup_printf ("/read-aloud/start-page/%s", languages[i].code);

      g_test_add_data_func (name, &languages[i], test_start_page);
    }
  g_test_add_func ("/read-aloud/what-a-page-says", test_what_a_page_says);
  g_test_add_func ("/read-aloud/check-answers-private", test_check_answers_private);
  g_test_add_func ("/read-aloud/private-details", test_private_details);
  g_test_add_func ("/read-aloud/stop-and-repeat", test_stop_and_repeat);
  g_test_add_func ("/read-aloud/stop-kills", test_stop_kills);
  g_test_add_func ("/read-aloud/language", test_language);
  g_test_add_func ("/read-aloud/language-in-use", test_language_in_use);
  g_test_add_func ("/read-aloud/config", test_config);

  status = g_test_run ();
  hirc_test_remove_tree (test_root);
  g_free (test_root);
  g_free (real_espeak);
  g_free (saved_path);
  return status;
}
