/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-outbox-crash.c: a child queues (or delivers) reports and is killed with SIGKILL at
 * random moments; every report it was told is committed must be there, whole, afterwards. */

#include "hirc-outbox.h"
#include "hirc-test-util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ENQUEUE_RUNS   200
#define DRAIN_RUNS     60
#define DRAIN_REPORTS  1000
#define MAX_DELAY_US   40000
#define MAX_WAIT_LINES 3
#define VERIFY_EVERY   10
/* Longer than the child's lease, so each run can lease what the killed one held. */
#define DRAIN_STEP_SECONDS 31

static const char *
child_path (void)
{
  const char *path = g_getenv ("HIRC_OUTBOX_CRASH_CHILD");

  if (path == NULL)
    g_error ("HIRC_OUTBOX_CRASH_CHILD must name the outbox-crash-child program");
  return path;
}

static guint
count_lines (const char *text)
{
  guint lines = 0;

  for (; *text != '\0'; text++)
    lines += *text == '\n';
  return lines;
}

/* Starts argv, waits for its "ready" line and then for wait_lines more lines, kills it with
 * SIGKILL delay_us later (unless it has finished by then), and returns every complete line it
 * printed after "ready". Counting lines rather than time alone keeps the kills spread over the
 * work however slow the machine (or AddressSanitizer) makes the child. */
static char **
run_and_kill (const char * const *argv,
              guint               wait_lines,
              gulong              delay_us,
              gboolean           *killed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  GPid pid = 0;
  int stdout_fd = -1;
  int status = 0;
  char buffer[4096];
  gssize n;
  char *last_newline;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &stdout_fd, NULL, &error);
  g_assert_no_error (error);

  /* Bounded: the child prints its lines or exits, and either ends this read. */
  while (count_lines (output->str) < 1 + wait_lines &&
         ((n = read (stdout_fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0)
      g_string_append_len (output, buffer, n);

  g_usleep (delay_us);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  /* The pipe keeps what the child wrote before it died. */
  while ((n = read (stdout_fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (output, buffer, n);
    }
  close (stdout_fd);

  if (WIFSIGNALED (status))
    {
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      *killed = TRUE;
    }
  else
    {
      /* Finishing before the kill is fine; failing is not (its reason is on stderr). */
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      *killed = FALSE;
    }

  g_assert_true (g_str_has_prefix (output->str, "ready\n"));
  g_string_erase (output, 0, strlen ("ready\n"));
  /* A line without its newline was never acknowledged. */
  last_newline = strrchr (output->str, '\n');
  if (last_newline == NULL)
    return g_new0 (char *, 1);
  g_string_truncate (output, last_newline - output->str);
  return g_strsplit (output->str, "\n", -1);
}

static void
assert_acknowledged_present (const char *path,
                             GHashTable *acknowledged)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircOutbox) outbox = hirc_outbox_open (path, HIRC_OUTBOX_OPEN_EXISTING, &error);
  GHashTableIter iter;
  gpointer id, hash;

  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &id, &hash))
    {
      g_autoptr(GBytes) envelope = hirc_outbox_get_envelope (outbox, id, &error);
      g_autofree char *stored_hash = NULL;

      g_assert_no_error (error);
      stored_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, envelope);
      g_assert_cmpstr (stored_hash, ==, hash);
    }
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);
}

static void
test_kill_during_enqueue (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-outbox-crash");
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                              g_free, g_free);
  const char *argv[] = { child_path (), path, NULL };
  guint kills = 0;

  for (guint run = 0; run < ENQUEUE_RUNS; run++)
    {
      g_auto(GStrv) lines = NULL;
      gboolean killed = FALSE;

      lines = run_and_kill (argv, g_random_int_range (0, MAX_WAIT_LINES + 1),
                            g_random_int_range (0, MAX_DELAY_US + 1), &killed);
      kills += killed ? 1 : 0;
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);

          g_assert_cmpuint (g_strv_length (fields), ==, 3);
          g_assert_cmpstr (fields[0], ==, "ok");
          g_assert_cmpuint (strlen (fields[2]), ==, 64);
          g_assert_false (g_hash_table_contains (acknowledged, fields[1]));
          g_hash_table_insert (acknowledged, g_strdup (fields[1]), g_strdup (fields[2]));
        }

      /* Until a report is acknowledged the child may always have been killed before it set the
       * outbox up (slow starts under AddressSanitizer do that), and nothing must be there yet. */
      if (run % VERIFY_EVERY == VERIFY_EVERY - 1 && g_hash_table_size (acknowledged) > 0)
        assert_acknowledged_present (path, acknowledged);
    }

  g_test_message ("%u kills; %u reports acknowledged and all present",
                  kills, g_hash_table_size (acknowledged));
  g_assert_cmpuint (kills, >=, ENQUEUE_RUNS - 1);
  /* Enough kills land after the first commit for the test to mean something. */
  g_assert_cmpuint (g_hash_table_size (acknowledged), >=, ENQUEUE_RUNS / 20);

  hirc_test_remove_tree (dir);
}

static GBytes *
random_bytes (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  return g_bytes_new_take (data, len);
}

/* Each report is in one of the states the child could have left it in, a pending or rejected
 * one still has its exact envelope, and what the child announced is what is stored. */
static void
assert_drain_consistent (const char *path,
                         GHashTable *envelopes,
                         GHashTable *announced,
                         gint64      now,
                         gboolean    final)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HircOutbox) outbox = hirc_outbox_open (path, HIRC_OUTBOX_OPEN_EXISTING, &error);
  GHashTableIter iter;
  gpointer id, envelope;
  guint pending = 0;

  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, envelopes);
  while (g_hash_table_iter_next (&iter, &id, &envelope))
    {
      HircOutboxState state;
      gpointer said = g_hash_table_lookup (announced, id);

      g_assert_true (hirc_outbox_get_state (outbox, id, &state, &error));
      g_assert_no_error (error);
      if (said != NULL)
        g_assert_cmpint (state, ==, GPOINTER_TO_INT (said) - 1);
      if (state == HIRC_OUTBOX_STATE_DELIVERED)
        continue;

      pending += state == HIRC_OUTBOX_STATE_PENDING ? 1 : 0;
      {
        g_autoptr(GBytes) stored = hirc_outbox_get_envelope (outbox, id, &error);

        g_assert_no_error (error);
        g_assert_true (g_bytes_equal (stored, envelope));
      }
    }
  g_assert_true (hirc_outbox_check_integrity (outbox, &error));
  g_assert_no_error (error);

  /* Leases of killed senders run out: nothing stays stuck. */
  if (final)
    {
      g_autoptr(GPtrArray) items = hirc_outbox_lease_due (outbox, now + DRAIN_STEP_SECONDS,
                                                          DRAIN_REPORTS, 60, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, pending);
    }
}

static void
test_kill_during_drain (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-outbox-drain");
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GHashTable) envelopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) g_bytes_unref);
  /* id → state + 1, as the child announced it. */
  g_autoptr(GHashTable) announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC + 1000;
  guint kills = 0;

  outbox = hirc_outbox_open (path, HIRC_OUTBOX_OPEN_CREATE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < DRAIN_REPORTS; i++)
    {
      char *id = g_strdup_printf ("report-%04u", i);
      GBytes *envelope = random_bytes (g_random_int_range (3 * 1024, 9 * 1024 + 1));

      g_assert_true (hirc_outbox_enqueue (outbox, id, envelope, &error));
      g_assert_no_error (error);
      g_hash_table_insert (envelopes, id, envelope);
    }
  g_clear_pointer (&outbox, hirc_outbox_close);

  for (guint run = 0; run < DRAIN_RUNS; run++)
    {
      g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
      const char *argv[] = { child_path (), path, "--drain", now_text, NULL };
      g_auto(GStrv) lines = NULL;
      gboolean killed = FALSE;

      lines = run_and_kill (argv, g_random_int_range (0, MAX_WAIT_LINES + 1),
                            g_random_int_range (0, MAX_DELAY_US + 1), &killed);
      kills += killed ? 1 : 0;
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);
          HircOutboxState state;

          g_assert_cmpuint (g_strv_length (fields), ==, 2);
          g_assert_true (g_hash_table_contains (envelopes, fields[1]));
          if (g_str_equal (fields[0], "delivered"))
            state = HIRC_OUTBOX_STATE_DELIVERED;
          else
            {
              g_assert_cmpstr (fields[0], ==, "rejected");
              state = HIRC_OUTBOX_STATE_REJECTED;
            }
          g_assert_false (g_hash_table_contains (announced, fields[1]));
          g_hash_table_insert (announced, g_strdup (fields[1]), GINT_TO_POINTER (state + 1));
        }

      now += DRAIN_STEP_SECONDS;
      if (run % VERIFY_EVERY == VERIFY_EVERY - 1)
        assert_drain_consistent (path, envelopes, announced, now, FALSE);
    }
  assert_drain_consistent (path, envelopes, announced, now, TRUE);

  g_test_message ("%u kills while draining; %u deliveries or rejections announced", kills,
                  g_hash_table_size (announced));
  g_assert_cmpuint (kills, >, 0);
  g_assert_cmpuint (g_hash_table_size (announced), >, 0);

  hirc_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox-crash/kill-during-enqueue", test_kill_during_enqueue);
  g_test_add_func ("/outbox-crash/kill-during-drain", test_kill_during_drain);

  return g_test_run ();
}
