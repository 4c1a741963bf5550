/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.c: the reporter's widgets on their own, under Xvfb: their properties and signals,
 * their actions (as assistive technologies press them), their accessible roles, and that each
 * is freed when dropped. The real window is driven end to end by tests/ui/. */

#include "config.h"

#include <gtk/gtk.h>

#include "hirc-ambassador-panel.h"
#include "hirc-language-chooser.h"
#include "hirc-pin-form-page.h"
#include "hirc-pin-pad.h"
#include "hirc-staff-sign-in-page.h"
#include "hirc-ui.h"

/* Keeps a widget alive while it is tested; g_assert_finalize_object() then proves nothing else
 * holds it. */
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
count_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* GtkButton emits "clicked" a moment after gtk_widget_activate(), as a press would. */
static void
press_button (GtkWidget *button)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  guint clicked = 0;
  gulong id = g_signal_connect_swapped (button, "clicked", G_CALLBACK (count_cb), &clicked);

  gtk_widget_activate (button);
  while (clicked == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (clicked, ==, 1);
  g_signal_handler_disconnect (button, id);
}

static void
test_choice_field_single (void)
{
  HircChoiceField *field = own (hirc_choice_field_new (FALSE));
  g_auto(GStrv) codes = NULL;
  GtkWidget *yes, *no;
  guint notified = 0;

  hirc_choice_field_add_choice (field, "yes", "Yes");
  hirc_choice_field_add_choice (field, "no", "No");
  g_signal_connect_swapped (field, "notify::selected-code", G_CALLBACK (count_cb), &notified);
  yes = hirc_choice_field_get_choice_widget (field, "yes");
  no = hirc_choice_field_get_choice_widget (field, "no");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (yes), GTK_ACCESSIBLE_ROLE_RADIO);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (yes), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Yes");
  g_assert_null (hirc_choice_field_get_selected_code (field));

  /* Pressed the way AT-SPI presses it: the button's own action. */
  g_assert_true (gtk_widget_activate_action (yes, "choice.press", NULL));
  g_assert_cmpstr (hirc_choice_field_get_selected_code (field), ==, "yes");
  g_assert_true (gtk_widget_activate_action (no, "choice.press", NULL));
  g_assert_cmpstr (hirc_choice_field_get_selected_code (field), ==, "no");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (yes)));
  /* Pressing a chosen radio button keeps it chosen. */
  g_assert_true (gtk_widget_activate_action (no, "choice.press", NULL));
  g_assert_cmpstr (hirc_choice_field_get_selected_code (field), ==, "no");
  g_assert_cmpuint (notified, ==, 2);

  codes = hirc_choice_field_get_selected_codes (field);
  g_assert_cmpstrv (codes, ((const char *[]) { "no", NULL }));
  hirc_choice_field_set_selected_code (field, NULL);
  g_assert_null (hirc_choice_field_get_selected_code (field));
  g_assert_cmpstr (hirc_choice_field_get_choice_label (field, "no"), ==, "No");
  g_assert_null (hirc_choice_field_get_choice_label (field, "maybe"));

  g_assert_finalize_object (field);
}

static void
test_choice_field_exclusive (void)
{
  HircChoiceField *field = own (hirc_choice_field_new (TRUE));
  g_auto(GStrv) codes = NULL;
  const char *some[] = { "race", "religion", NULL };

  hirc_choice_field_add_choice (field, "race", "Race");
  hirc_choice_field_add_choice (field, "religion", "Religion");
  hirc_choice_field_add_choice (field, "not_sure", "I'm not sure");
  hirc_choice_field_set_exclusive_code (field, "not_sure");
  hirc_choice_field_set_columns (field, 2);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (hirc_choice_field_get_choice_widget (field,
                                                                                        "race")),
                                   GTK_ACCESSIBLE_ROLE_CHECKBOX);

  hirc_choice_field_set_selected_codes (field, some);
  codes = hirc_choice_field_get_selected_codes (field);
  g_assert_cmpstrv (codes, some);
  g_clear_pointer (&codes, g_strfreev);

  /* "I'm not sure" clears the others, and any other clears it. */
  gtk_widget_activate_action (hirc_choice_field_get_choice_widget (field, "not_sure"),
                              "choice.press", NULL);
  codes = hirc_choice_field_get_selected_codes (field);
  g_assert_cmpstrv (codes, ((const char *[]) { "not_sure", NULL }));
  g_clear_pointer (&codes, g_strfreev);
  gtk_widget_activate_action (hirc_choice_field_get_choice_widget (field, "race"),
                              "choice.press", NULL);
  codes = hirc_choice_field_get_selected_codes (field);
  g_assert_cmpstrv (codes, ((const char *[]) { "race", NULL }));
  g_clear_pointer (&codes, g_strfreev);

  /* Pressing a chosen check box unchooses it. */
  gtk_widget_activate_action (hirc_choice_field_get_choice_widget (field, "race"),
                              "choice.press", NULL);
  codes = hirc_choice_field_get_selected_codes (field);
  g_assert_cmpstrv (codes, ((const char *[]) { NULL }));

  g_assert_finalize_object (field);
}

static void
test_choice_field_error (void)
{
  HircChoiceField *field = own (hirc_choice_field_new (FALSE));
  g_autofree char *error = NULL;

  hirc_choice_field_add_choice (field, "a", "A");
  hirc_choice_field_set_label (field, "Question");
  hirc_choice_field_set_error (field, "Choose one.");
  g_object_get (field, "error", &error, NULL);
  g_assert_cmpstr (error, ==, "Choose one.");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (field), "hirc-field-error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  hirc_choice_field_set_error (field, NULL);
  g_clear_pointer (&error, g_free);
  g_object_get (field, "error", &error, NULL);
  g_assert_null (error);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (field), "hirc-field-error"));

  g_assert_finalize_object (field);
}

static void
test_text_field (void)
{
  HircTextField *line = own (hirc_text_field_new (FALSE));
  HircTextField *lines = own (hirc_text_field_new (TRUE));
  g_autofree char *text = NULL;
  guint notified = 0;

  hirc_text_field_set_label (line, "Your name (optional)");
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (hirc_text_field_get_input (line)),
                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                       gtk_widget_get_first_child (GTK_WIDGET (line)), NULL);
  g_signal_connect_swapped (line, "notify::text", G_CALLBACK (count_cb), &notified);
  hirc_text_field_set_max_length (line, 5);
  gtk_editable_set_text (GTK_EDITABLE (hirc_text_field_get_input (line)), "Samira");
  text = hirc_text_field_get_text (line);
  g_assert_cmpstr (text, ==, "Samir");
  g_assert_cmpuint (notified, ==, 1);
  g_clear_pointer (&text, g_free);

  hirc_text_field_set_rows (lines, 8);
  hirc_text_field_set_text (lines, "first line\nsecond line");
  text = hirc_text_field_get_text (lines);
  g_assert_cmpstr (text, ==, "first line\nsecond line");
  g_assert_true (GTK_IS_TEXT_VIEW (hirc_text_field_get_input (lines)));
  hirc_text_field_set_text (lines, NULL);
  g_clear_pointer (&text, g_free);
  text = hirc_text_field_get_text (lines);
  g_assert_cmpstr (text, ==, "");

  g_assert_finalize_object (line);
  g_assert_finalize_object (lines);
}

static void
test_date_field (void)
{
  HircDateField *field = own (hirc_date_field_new ());
  gboolean known = TRUE;

  hirc_date_field_set_latest (field, "2024-03-31");
  g_object_get (field, "known", &known, NULL);
  g_assert_false (known);
  g_assert_null (hirc_date_field_get_date (field));

  /* Refused: after the latest date, before 1900, or not a date. */
  g_assert_false (hirc_date_field_set_date (field, "2024-04-01"));
  g_assert_false (hirc_date_field_set_date (field, "1899-12-31"));
  g_assert_false (hirc_date_field_set_date (field, "2024-02-30"));
  g_assert_null (hirc_date_field_get_date (field));

  g_assert_true (hirc_date_field_set_date (field, "2024-03-31"));
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2024-03-31");
  /* Nothing lies after the latest date: the way forward is closed. */
  gtk_widget_activate_action (GTK_WIDGET (field), "date.next-day", NULL);
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2024-03-31");
  /* A month back from the 31st is the last day of February, in a leap year the 29th. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "date.previous-month", NULL));
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2024-02-29");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "date.previous-year", NULL));
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2023-02-28");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "date.next-day", NULL));
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2023-03-01");
  /* A year on from there would pass the latest date: it stops at it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "date.next-year", NULL));
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2024-03-01");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "date.next-month", NULL));
  g_assert_cmpstr (hirc_date_field_get_date (field), ==, "2024-03-31");

  /* Unticking "I know the exact date" takes the date away. */
  g_object_set (field, "known", FALSE, NULL);
  g_assert_null (hirc_date_field_get_date (field));

  g_assert_finalize_object (field);
}

typedef struct
{
  guint continued;
  guint went_back;
} PageCounts;

static void
test_question_page (void)
{
  HircQuestionPage *page = own (hirc_question_page_new ());
  GtkWidget *window = gtk_window_new ();
  HircChoiceField *field = HIRC_CHOICE_FIELD (hirc_choice_field_new (FALSE));
  PageCounts counts = { 0 };
  GtkWidget *focus;

  hirc_question_page_set_heading (page, "Who is making this report?");
  hirc_choice_field_add_choice (field, "victim", "It happened to me");
  hirc_question_page_add_field (page, GTK_WIDGET (field));
  g_signal_connect_swapped (page, "continue", G_CALLBACK (count_cb), &counts.continued);
  g_signal_connect_swapped (page, "back", G_CALLBACK (count_cb), &counts.went_back);

  gtk_widget_activate_action (GTK_WIDGET (page), "page.continue", NULL);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.back", NULL);
  g_assert_cmpuint (counts.continued, ==, 1);
  g_assert_cmpuint (counts.went_back, ==, 1);

  /* While saving, neither moves. */
  hirc_question_page_set_busy (page, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.continue", NULL);
  g_assert_cmpuint (counts.continued, ==, 1);
  hirc_question_page_set_busy (page, FALSE);

  /* The errors: a summary that takes focus; its link moves focus to the field. */
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  hirc_question_page_add_error (page, "Tell us who is making this report.", GTK_WIDGET (field));
  hirc_question_page_present_errors (page);
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (HIRC_IS_ERROR_SUMMARY (focus));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (focus), GTK_ACCESSIBLE_ROLE_ALERT);
  g_assert_cmpuint (hirc_error_summary_get_n_errors (HIRC_ERROR_SUMMARY (focus)), ==, 1);
  press_button (gtk_widget_get_last_child (gtk_widget_get_last_child (focus)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)),
                                         GTK_WIDGET (field)));
  hirc_question_page_clear_errors (page);
  g_assert_false (gtk_widget_get_visible (focus));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_assert_finalize_object (page);
}

typedef struct
{
  char *changed;
} ChangeData;

static void
change_cb (ChangeData *data,
           const char *key)
{
  g_free (data->changed);
  data->changed = g_strdup (key);
}

static void
test_answer_list (void)
{
  HircAnswerList *list = own (hirc_answer_list_new ());
  GtkWidget *window = gtk_window_new ();
  ChangeData data = { NULL };
  GtkWidget *button;

  hirc_answer_list_add_section (list, "About the incident");
  hirc_answer_list_add_row (list, "role", "Who is reporting", "It happened to me");
  hirc_answer_list_add_row (list, "when", "When it happened", NULL);
  g_signal_connect_swapped (list, "change", G_CALLBACK (change_cb), &data);
  /* A button acts only when it is on screen. */
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  button = hirc_answer_list_get_change_button (list, "when");
  g_assert_nonnull (button);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Change: When it happened");
  /* An unanswered question says so. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_prev_sibling (button))), ==,
                   "Not given");
  press_button (button);
  g_assert_cmpstr (data.changed, ==, "when");
  g_assert_null (hirc_answer_list_get_change_button (list, "where"));

  hirc_answer_list_clear (list);
  g_assert_null (hirc_answer_list_get_change_button (list, "role"));
  g_free (data.changed);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_assert_finalize_object (list);
}

static void
test_confirmation_page (void)
{
  HircConfirmationPage *page = own (hirc_confirmation_page_new ());
  const char *steps[] = { "First.", "Second.", NULL };
  guint finished = 0;

  hirc_confirmation_page_set_reference (page, "HR-7KQ2-M9XD");
  hirc_confirmation_page_set_partnership (page, "Example County Partnership");
  hirc_confirmation_page_set_next_steps (page, steps);
  hirc_confirmation_page_add_service (page, "Victim Care", "Help for anyone.", "0808 000 0000",
                                      "Every day", NULL);
  g_assert_cmpstr (hirc_confirmation_page_get_reference (page), ==, "HR-7KQ2-M9XD");
  g_signal_connect_swapped (page, "finish", G_CALLBACK (count_cb), &finished);
  gtk_widget_activate_action (GTK_WIDGET (page), "confirmation.finish", NULL);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_finalize_object (page);
}

static void
test_qr_code (void)
{
  HircQrCode *code = own (hirc_qr_code_new ());
  int minimum = 0;

  g_assert_cmpuint (hirc_qr_code_get_modules (code), ==, 0);
  hirc_qr_code_set_text (code, "HR-7KQ2-M9XD");
  /* Twelve characters fit version 1 (21 modules) at error correction level M. */
  g_assert_cmpuint (hirc_qr_code_get_modules (code), ==, 21);
  gtk_widget_measure (GTK_WIDGET (code), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  /* At least 48 px and with its quiet zone: 29 modules of 8 px. */
  g_assert_cmpint (minimum, ==, 29 * 8);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (code), GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_finalize_object (code);
}

static void
test_idle_warning (void)
{
  HircIdleWarning *warning = own (hirc_idle_warning_new ());
  guint more = 0;

  hirc_idle_warning_set_seconds_left (warning, 42);
  g_assert_cmpuint (hirc_idle_warning_get_seconds_left (warning), ==, 42);
  g_signal_connect_swapped (warning, "more-time", G_CALLBACK (count_cb), &more);
  /* As many times as the reporter needs. */
  for (guint i = 0; i < 12; i++)
    gtk_widget_activate_action (GTK_WIDGET (warning), "idle.more-time", NULL);
  g_assert_cmpuint (more, ==, 12);
  g_assert_finalize_object (warning);
}

/* Lays the chooser out width wide and checks its lines: every full line from edge to edge, the
 * last at its buttons' own widths from the start edge, which is the right in a right-to-left
 * language. */
static void
check_language_lines (GtkWidget *chooser,
                      int        width,
                      gboolean   rtl)
{
  g_autoptr(GArray) line_ys = g_array_new (FALSE, FALSE, sizeof (int));
  int height;

  gtk_widget_set_direction (chooser, rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  gtk_widget_measure (chooser, GTK_ORIENTATION_VERTICAL, width, &height, NULL, NULL, NULL);
  gtk_widget_size_allocate (chooser, &(GtkAllocation) { 0, 0, width, height }, -1);

  for (GtkWidget *child = gtk_widget_get_first_child (chooser); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;
      int y;

      g_assert_true (gtk_widget_compute_bounds (child, chooser, &bounds));
      y = (int) bounds.origin.y;
      if (line_ys->len == 0 || g_array_index (line_ys, int, line_ys->len - 1) != y)
        g_array_append_val (line_ys, y);
    }
  g_assert_cmpuint (line_ys->len, >=, 2);

  for (guint line = 0; line < line_ys->len; line++)
    {
      gboolean last = line == line_ys->len - 1;
      int start = G_MAXINT, end = G_MININT;

      for (GtkWidget *child = gtk_widget_get_first_child (chooser); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          graphene_rect_t bounds;
          int natural;

          g_assert_true (gtk_widget_compute_bounds (child, chooser, &bounds));
          if ((int) bounds.origin.y != g_array_index (line_ys, int, line))
            continue;
          start = MIN (start, (int) bounds.origin.x);
          end = MAX (end, (int) (bounds.origin.x + bounds.size.width));
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL,
                              NULL);
          if (last)
            g_assert_cmpint ((int) bounds.size.width, ==, natural);
          else
            g_assert_cmpint ((int) bounds.size.width, >=, natural);
        }
      if (!last || !rtl)
        g_assert_cmpint (start, ==, 0);
      if (!last || rtl)
        g_assert_cmpint (end, ==, width);
    }
}

static void
test_language_chooser (void)
{
  GtkWidget *chooser = own (hirc_language_chooser_new ());

  /* A portrait panel's page, a landscape one's, and an odd width that leaves pixels over. */
  for (guint i = 0; i < 2; i++)
    {
      check_language_lines (chooser, 656, i == 1);
      check_language_lines (chooser, 1000, i == 1);
      check_language_lines (chooser, 777, i == 1);
    }
  g_assert_finalize_object (chooser);
}

static void
test_start_page (void)
{
  HircStartPage *page = own (hirc_start_page_new ());
  guint started = 0;

  g_signal_connect_swapped (page, "start", G_CALLBACK (count_cb), &started);
  gtk_widget_activate_action (GTK_WIDGET (page), "start.begin", NULL);
  g_assert_cmpuint (started, ==, 1);
  g_assert_finalize_object (page);
}

static void
test_start_page_staff (void)
{
  HircStartPage *page = own (hirc_start_page_new ());
  guint staff = 0;

  g_signal_connect_swapped (page, "staff", G_CALLBACK (count_cb), &staff);
  gtk_widget_activate_action (GTK_WIDGET (page), "start.staff", NULL);
  g_assert_cmpuint (staff, ==, 1);
  g_assert_finalize_object (page);
}

static void
type_digits (GtkWidget  *pad,
             const char *digits)
{
  for (const char *d = digits; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      gtk_widget_activate_action (pad, "pin.digit", "s", digit);
    }
}

/* Digits up to the longest PIN, Delete, and a clear that leaves nothing to read. */
static void
test_pin_pad (void)
{
  HircPinPad *pad = own (hirc_pin_pad_new ());
  char *pin;

  type_digits (GTK_WIDGET (pad), "12345678901234");
  g_assert_cmpuint (hirc_pin_pad_get_length (pad), ==, HIRC_PIN_PAD_MAX_DIGITS);
  pin = hirc_pin_pad_dup_pin (pad);
  g_assert_cmpstr (pin, ==, "123456789012");
  g_free (pin);
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.delete", NULL);
  pin = hirc_pin_pad_dup_pin (pad);
  g_assert_cmpstr (pin, ==, "12345678901");
  g_free (pin);
  hirc_pin_pad_clear (pad);
  g_assert_cmpuint (hirc_pin_pad_get_length (pad), ==, 0);
  pin = hirc_pin_pad_dup_pin (pad);
  g_assert_cmpstr (pin, ==, "");
  g_free (pin);
  /* An insensitive pad takes no digits, and says so to assistive technologies. */
  gtk_widget_set_sensitive (GTK_WIDGET (pad), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.digit", "s", "1");
  g_assert_cmpuint (hirc_pin_pad_get_length (pad), ==, 0);
  g_assert_finalize_object (pad);
}

static GtkWidget *
find_pad (GtkWidget *root)
{
  if (HIRC_IS_PIN_PAD (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_pad (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Sign in needs six digits and is refused during a wait, which counts down by itself. */
static void
test_staff_sign_in_page (void)
{
  HircStaffSignInPage *page = own (hirc_staff_sign_in_page_new ());
  GtkWidget *pad = find_pad (GTK_WIDGET (page));
  guint signed_in = 0;
  char *pin;

  g_signal_connect_swapped (page, "sign-in", G_CALLBACK (count_cb), &signed_in);
  type_digits (pad, "27182");
  gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.submit", NULL);
  g_assert_cmpuint (signed_in, ==, 0);
  type_digits (pad, "8");
  gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.submit", NULL);
  g_assert_cmpuint (signed_in, ==, 1);
  pin = hirc_staff_sign_in_page_take_pin (page);
  g_assert_cmpstr (pin, ==, "271828");
  g_free (pin);
  g_assert_cmpuint (hirc_pin_pad_get_length (HIRC_PIN_PAD (pad)), ==, 0);

  hirc_staff_sign_in_page_wait (page, 1, TRUE);
  type_digits (pad, "271828");
  g_assert_cmpuint (hirc_pin_pad_get_length (HIRC_PIN_PAD (pad)), ==, 0);
  while (!gtk_widget_get_sensitive (pad))
    g_main_context_iteration (NULL, TRUE);
  type_digits (pad, "271828");
  gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.submit", NULL);
  g_assert_cmpuint (signed_in, ==, 2);
  g_assert_finalize_object (page);
}

static const char *
refuse_repeats (const char *pin)
{
  return g_str_equal (pin, "111111") ? "too easy" : NULL;
}

/* A new PIN is judged, then asked for again; two that differ start again. */
static void
test_pin_form_page (void)
{
  HircPinFormPage *page = own (hirc_pin_form_page_new ("Add an ambassador", TRUE,
                                                       refuse_repeats));
  GtkWidget *pad = find_pad (GTK_WIDGET (page));
  guint saved = 0;
  char *pin;

  g_signal_connect_swapped (page, "save", G_CALLBACK (count_cb), &saved);
  type_digits (pad, "111111");
  gtk_widget_activate_action (GTK_WIDGET (page), "pin-form.continue", NULL);
  type_digits (pad, "604913");
  gtk_widget_activate_action (GTK_WIDGET (page), "pin-form.continue", NULL);
  type_digits (pad, "604914");
  gtk_widget_activate_action (GTK_WIDGET (page), "pin-form.continue", NULL);
  g_assert_cmpuint (saved, ==, 0);
  type_digits (pad, "604913");
  gtk_widget_activate_action (GTK_WIDGET (page), "pin-form.continue", NULL);
  type_digits (pad, "604913");
  gtk_widget_activate_action (GTK_WIDGET (page), "pin-form.continue", NULL);
  g_assert_cmpuint (saved, ==, 1);
  pin = hirc_pin_form_page_take_pin (page);
  g_assert_cmpstr (pin, ==, "604913");
  g_free (pin);
  pin = hirc_pin_form_page_take_pin (page);
  g_assert_cmpstr (pin, ==, "");
  g_free (pin);
  pin = hirc_pin_form_page_dup_name (page);
  g_assert_cmpstr (pin, ==, "");
  g_free (pin);
  g_assert_finalize_object (page);
}

static void
test_ambassador_panel (void)
{
  HircAmbassadorPanel *panel = own (hirc_ambassador_panel_new ("Amina"));
  guint changed = 0;

  g_signal_connect_swapped (panel, "notify::idle-timeout-off", G_CALLBACK (count_cb), &changed);
  g_assert_false (hirc_ambassador_panel_get_idle_timeout_off (panel));
  hirc_ambassador_panel_set_idle_timeout_off (panel, TRUE);
  g_assert_true (hirc_ambassador_panel_get_idle_timeout_off (panel));
  g_assert_cmpuint (changed, ==, 1);
  hirc_ambassador_panel_set_tip (panel, "Call 999 now.");
  hirc_ambassador_panel_set_tip (panel, NULL);
  g_assert_finalize_object (panel);
}

static void
test_kiosk_window (void)
{
  HircKioskWindow *window = HIRC_KIOSK_WINDOW (hirc_kiosk_window_new (NULL));
  GtkWidget *first = own (hirc_question_page_new ());
  GtkWidget *second = own (hirc_question_page_new ());
  guint left = 0;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_signal_connect_swapped (window, "leave", G_CALLBACK (count_cb), &left);
  hirc_kiosk_window_show_page (window, first, "First");
  hirc_kiosk_window_show_page (window, second, "Second");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Second");
  g_assert_true (hirc_kiosk_window_get_page (window) == second);
  /* Only the page on screen is visible, so only it is in the accessibility tree. */
  g_assert_false (gtk_widget_get_visible (first));
  g_assert_true (gtk_widget_get_visible (second));

  hirc_kiosk_window_show_idle_warning (window);
  g_assert_true (hirc_kiosk_window_get_idle_warning_shown (window));
  g_assert_false (gtk_widget_get_visible (second));
  hirc_kiosk_window_hide_idle_warning (window);
  g_assert_false (hirc_kiosk_window_get_idle_warning_shown (window));
  g_assert_true (gtk_widget_get_visible (second));

  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.leave", NULL);
  g_assert_cmpuint (left, ==, 1);
  hirc_kiosk_window_show_neutral (window);
  g_assert_false (gtk_widget_get_visible (second));

  hirc_kiosk_window_remove_page (window, first);
  hirc_kiosk_window_remove_page (window, second);
  g_assert_null (hirc_kiosk_window_get_page (window));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_assert_null (window);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  hirc_ui_init ();
  hirc_ui_init_theme (gdk_display_get_default ());

  g_test_add_func ("/ui/choice-field/single", test_choice_field_single);
  g_test_add_func ("/ui/choice-field/exclusive", test_choice_field_exclusive);
  g_test_add_func ("/ui/choice-field/error", test_choice_field_error);
  g_test_add_func ("/ui/text-field", test_text_field);
  g_test_add_func ("/ui/date-field", test_date_field);
  g_test_add_func ("/ui/question-page", test_question_page);
  g_test_add_func ("/ui/answer-list", test_answer_list);
  g_test_add_func ("/ui/confirmation-page", test_confirmation_page);
  g_test_add_func ("/ui/qr-code", test_qr_code);
  g_test_add_func ("/ui/idle-warning", test_idle_warning);
  g_test_add_func ("/ui/language-chooser", test_language_chooser);
  g_test_add_func ("/ui/start-page", test_start_page);
  g_test_add_func ("/ui/start-page/staff", test_start_page_staff);
  g_test_add_func ("/ui/pin-pad", test_pin_pad);
  g_test_add_func ("/ui/staff-sign-in-page", test_staff_sign_in_page);
  g_test_add_func ("/ui/pin-form-page", test_pin_form_page);
  g_test_add_func ("/ui/ambassador-panel", test_ambassador_panel);
  g_test_add_func ("/ui/kiosk-window", test_kiosk_window);

  return g_test_run ();
}
