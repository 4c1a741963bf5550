/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox-crash-child.c: the process test-outbox-crash kills. It queues (or delivers) reports
 * in a loop and prints each one only after the outbox has said it is committed. */

#include "hirc-outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds the loop in case nobody kills the child. */
#define MAX_REPORTS 20000
#define LEASE_SECONDS 30

static G_NORETURN void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "outbox-crash-child: %s: %s\n", what, error->message);
  exit (1);
}

static GBytes *
random_envelope (void)
{
  gsize len = (gsize) g_random_int_range (3 * 1024, 9 * 1024 + 1);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  return g_bytes_new_take (data, len);
}

static char *
random_id (void)
{
  GString *id = g_string_sized_new (32);

  for (guint i = 0; i < 4; i++)
    g_string_append_printf (id, "%08x", g_random_int ());
  return g_string_free (id, FALSE);
}

static int
queue_reports (HircOutbox *outbox)
{
  for (guint i = 0; i < MAX_REPORTS; i++)
    {
      g_autoptr(GBytes) envelope = random_envelope ();
      g_autoptr(GError) error = NULL;
      g_autofree char *id = random_id ();
      g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, envelope);

      if (!hirc_outbox_enqueue (outbox, id, envelope, &error))
        die ("enqueue", error);
      /* One short line is one write(2) to the pipe, so the parent never sees half of one. */
      printf ("ok %s %s\n", id, hash);
      fflush (stdout);
    }
  return 0;
}

/* Plays the sync service: leases, then delivers most reports and rejects a few, as of the
 * time the parent gives, so that each run's leases outlive the previous run's. */
static int
drain_reports (HircOutbox *outbox,
               gint64      now)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) items = hirc_outbox_lease_due (outbox, now, 4, LEASE_SECONDS, &error);

      if (items == NULL)
        die ("lease", error);
      if (items->len == 0)
        return 0;

      for (guint i = 0; i < items->len; i++)
        {
          HircOutboxItem *item = g_ptr_array_index (items, i);
          g_autoptr(GBytes) receipt = g_bytes_new (item->report_id, strlen (item->report_id));

          if (g_random_int_range (0, 10) == 0)
            {
              if (!hirc_outbox_mark_rejected (outbox, item->report_id, now,
                                              "The crash test rejected it.", &error))
                die ("reject", error);
              printf ("rejected %s\n", item->report_id);
            }
          else
            {
              if (!hirc_outbox_mark_delivered (outbox, item->report_id, now, receipt, &error))
                die ("deliver", error);
              printf ("delivered %s\n", item->report_id);
            }
          fflush (stdout);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HircOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2 && !(argc == 4 && g_str_equal (argv[2], "--drain")))
    {
      fprintf (stderr, "usage: outbox-crash-child OUTBOX [--drain NOW]\n");
      return 2;
    }

  outbox = hirc_outbox_open (argv[1], HIRC_OUTBOX_OPEN_CREATE, &error);
  if (outbox == NULL)
    die ("open", error);
  /* The parent's kill timer starts here, so that a slow start (AddressSanitizer) does not use
   * up every kill before the work begins. */
  printf ("ready\n");
  fflush (stdout);

  if (argc == 4)
    return drain_reports (outbox, g_ascii_strtoll (argv[3], NULL, 10));
  return queue_reports (outbox);
}
