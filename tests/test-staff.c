/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-staff.c: staff PINs and the sign-in delay. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-staff.h"
#include "hirc-test-util.h"

typedef struct
{
  char *state_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->state_dir = hirc_test_make_temp_dir ("hirc-test-staff");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  hirc_test_remove_tree (fixture->state_dir);
  g_free (fixture->state_dir);
}

static void
test_pin_rules (void)
{
  const char *weak[] = { "", "12345", "1234567890123", "12a456", "000000", "123456", "987654",
                         "890123", "555555555" };
  const char *fine[] = { "271828", "604913", "112358132134" };

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    g_assert_nonnull (hirc_staff_pin_problem (weak[i]));
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    g_assert_null (hirc_staff_pin_problem (fine[i]));
}

static void
test_members_and_pins (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (fixture->state_dir, &error);
  g_autoptr(HircStaff) reopened = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(HircStaffMember) member = NULL;
  g_autofree char *amina = NULL;
  g_autofree char *path = g_build_filename (fixture->state_dir, "staff.conf", NULL);
  g_autofree char *contents = NULL;
  gint64 retry_at = 0;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_false (hirc_staff_has_administrator (staff));
  g_assert_true (hirc_staff_set_administrator_pin (staff, "271828", &error));
  g_assert_no_error (error);
  amina = hirc_staff_add_ambassador (staff, "  Amina K  ", "604913", &error);
  g_assert_no_error (error);
  g_assert_nonnull (amina);

  /* Two members may not share a PIN; a refused add leaves nothing behind. */
  g_assert_null (hirc_staff_add_ambassador (staff, "Bob", "271828", &error));
  g_assert_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_PIN_IN_USE);
  g_clear_error (&error);
  g_assert_null (hirc_staff_add_ambassador (staff, "", "314159", &error));
  g_assert_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (hirc_staff_add_ambassador (staff, "Bob", "111111", &error));
  g_assert_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_WEAK_PIN);
  g_clear_error (&error);

  /* Only hashes are stored, in a file only the kiosk's user can read. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "271828"));
  g_assert_null (strstr (contents, "604913"));
  g_assert_nonnull (strstr (contents, "$argon2id$"));

  reopened = hirc_staff_open (fixture->state_dir, &error);
  g_assert_no_error (error);
  members = hirc_staff_list (reopened);
  g_assert_cmpuint (members->len, ==, 2);
  g_assert_cmpint (((HircStaffMember *) members->pdata[0])->role, ==,
                   HIRC_STAFF_ROLE_ADMINISTRATOR);
  g_assert_cmpstr (((HircStaffMember *) members->pdata[1])->name, ==, "Amina K");

  g_assert_cmpint (hirc_staff_sign_in (reopened, "604913", 1000, &member, &retry_at, &error), ==,
                   HIRC_SIGN_IN_ACCEPTED);
  g_assert_no_error (error);
  g_assert_cmpstr (member->id, ==, amina);
  g_assert_cmpint (member->role, ==, HIRC_STAFF_ROLE_AMBASSADOR);
  g_clear_pointer (&member, hirc_staff_member_free);

  g_assert_true (hirc_staff_set_ambassador_pin (reopened, amina, "314159", &error));
  g_assert_no_error (error);
  g_assert_cmpint (hirc_staff_sign_in (reopened, "604913", 1000, &member, &retry_at, &error), ==,
                   HIRC_SIGN_IN_WRONG_PIN);
  g_assert_true (hirc_staff_remove_ambassador (reopened, amina, &error));
  g_assert_no_error (error);
  g_assert_false (hirc_staff_remove_ambassador (reopened, amina, &error));
  g_assert_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_NOT_FOUND);
}

/* Three wrong PINs are free; then each costs a delay that doubles, and a restart (reopening
 * the file) does not reset it. The right PIN during a delay is not even checked. */
static void
test_delay_grows_and_survives_restart (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (fixture->state_dir, &error);
  g_autoptr(HircStaffMember) member = NULL;
  gint64 now = 1800000000;
  gint64 retry_at = 0;
  gint64 expected_delay = HIRC_STAFF_FIRST_DELAY_SECONDS;

  g_assert_true (hirc_staff_set_administrator_pin (staff, "271828", &error));
  g_assert_no_error (error);

  for (int i = 0; i < HIRC_STAFF_FREE_ATTEMPTS - 1; i++)
    {
      g_assert_cmpint (hirc_staff_sign_in (staff, "000001", now, &member, &retry_at, &error),
                       ==, HIRC_SIGN_IN_WRONG_PIN);
      g_assert_no_error (error);
      g_assert_cmpint (retry_at, ==, 0);
    }

  for (int round = 0; round < 4; round++)
    {
      g_autoptr(HircStaff) restarted = NULL;

      g_assert_cmpint (hirc_staff_sign_in (staff, "000001", now, &member, &retry_at, &error),
                       ==, HIRC_SIGN_IN_WRONG_PIN);
      g_assert_no_error (error);
      g_assert_cmpint (retry_at - now, ==, expected_delay);

      restarted = hirc_staff_open (fixture->state_dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (hirc_staff_retry_at (restarted, now + 1), ==, retry_at);
      g_assert_cmpint (hirc_staff_sign_in (restarted, "271828", now + 1, &member, &retry_at,
                                           &error), ==, HIRC_SIGN_IN_WAIT);
      g_assert_null (member);

      g_clear_pointer (&staff, hirc_staff_free);
      staff = g_steal_pointer (&restarted);
      now = retry_at;
      expected_delay *= 2;
    }

  g_assert_cmpint (hirc_staff_sign_in (staff, "271828", now, &member, &retry_at, &error), ==,
                   HIRC_SIGN_IN_ACCEPTED);
  g_assert_cmpstr (member->id, ==, "admin");
  g_assert_cmpint (hirc_staff_retry_at (staff, now), ==, 0);
}

/* A kiosk's [staff] first_delay_seconds replaces the first delay, which still doubles. */
static void
test_configured_first_delay (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircStaff) staff = hirc_staff_open (fixture->state_dir, &error);
  g_autoptr(HircStaffMember) member = NULL;
  gint64 now = 1800000000;
  gint64 retry_at = 0;

  g_assert_no_error (error);
  hirc_staff_set_first_delay (staff, 2);
  g_assert_true (hirc_staff_set_administrator_pin (staff, "271828", &error));
  g_assert_no_error (error);
  for (int i = 0; i < HIRC_STAFF_FREE_ATTEMPTS; i++)
    g_assert_cmpint (hirc_staff_sign_in (staff, "000001", now, &member, &retry_at, &error),
                     ==, HIRC_SIGN_IN_WRONG_PIN);
  g_assert_cmpint (retry_at - now, ==, 2);
  now = retry_at;
  g_assert_cmpint (hirc_staff_sign_in (staff, "000001", now, &member, &retry_at, &error), ==,
                   HIRC_SIGN_IN_WRONG_PIN);
  g_assert_cmpint (retry_at - now, ==, 4);
  g_assert_cmpint (hirc_staff_sign_in (staff, "271828", retry_at - 1, &member, &retry_at,
                                       &error), ==, HIRC_SIGN_IN_WAIT);
  g_assert_cmpint (hirc_staff_sign_in (staff, "271828", retry_at, &member, &retry_at, &error),
                   ==, HIRC_SIGN_IN_ACCEPTED);
  g_assert_no_error (error);
}

static void
test_refuses_readable_or_damaged_file (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->state_dir, "staff.conf", NULL);
  g_autoptr(HircStaff) staff = NULL;

  g_assert_true (g_file_set_contents_full (path, "[administrator\npin_hash=", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, NULL));
  staff = hirc_staff_open (fixture->state_dir, &error);
  g_assert_null (staff);
  g_assert_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  staff = hirc_staff_open (fixture->state_dir, &error);
  g_assert_null (staff);
  g_assert_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_DAMAGED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (hirc_secure_init (NULL));

  g_test_add_func ("/staff/pin-rules", test_pin_rules);
  g_test_add ("/staff/members-and-pins", Fixture, NULL, fixture_set_up, test_members_and_pins,
              fixture_tear_down);
  g_test_add ("/staff/delay-grows-and-survives-restart", Fixture, NULL, fixture_set_up,
              test_delay_grows_and_survives_restart, fixture_tear_down);
  g_test_add ("/staff/configured-first-delay", Fixture, NULL, fixture_set_up,
              test_configured_first_delay, fixture_tear_down);
  g_test_add ("/staff/refuses-readable-or-damaged-file", Fixture, NULL, fixture_set_up,
              test_refuses_readable_or_damaged_file, fixture_tear_down);
  return g_test_run ();
}
