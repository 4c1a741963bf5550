/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-enqueue.c: the cost of saving one report (validate, serialise, pad, seal, sign, durable
 * enqueue) against the floor, a bare SQLite insert and commit of the same bytes under the same
 * pragmas. Both run interleaved in one process on one file system, so machine noise hits both.
 * Neither folds its log inside the timed commit: the kiosk folds the outbox's when the next
 * session opens it, which the benchmark does, untimed, after each save, and the same for the bare
 * database. A second pass times the steps one by one, to show where the difference goes. */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hirc-crypto.h"
#include "hirc-outbox.h"
#include "hirc-report.h"
#include "hirc-submit.h"
#include "hirc-taxonomy.h"

/* A report of realistic size: every page answered, a description of a few paragraphs. */
static const char report_template[] =
  "{"
  "\"role\":\"victim\","
  "\"incident_types\":[\"verbal_abuse\",\"threats_harassment\",\"damage\"],"
  "\"motivations\":[\"race\",\"religion\"],"
  "\"setting\":\"in_person\","
  "\"when\":{\"approximate\":\"last_week\",\"time_of_day\":\"evening\",\"ongoing\":\"yes\","
  "\"happened_before\":\"yes\"},"
  "\"where\":{\"area\":\"%s\",\"place_type\":\"street\",\"details\":\"Outside the corner shop on "
  "the high street, near the bus stop.\"},"
  "\"description\":\"%s\","
  "\"offenders\":{\"count\":\"two\",\"known\":\"stranger\",\"description\":\"Two men in their "
  "twenties, one in a grey hooded top.\"},"
  "\"witnesses\":{\"any\":\"yes\",\"details\":\"The shopkeeper saw it.\"},"
  "\"harm\":{\"injured\":\"no\",\"details\":\"I have not been sleeping and I am scared to go out "
  "in the evening.\"},"
  "\"evidence\":{\"types\":[\"photos\",\"cctv\"],\"details\":\"Photos of the damage to my car; "
  "the shop has a camera.\"},"
  "\"reported_before\":{\"any\":\"no\"},"
  "\"contact\":{\"anonymous\":false,\"name\":\"Amina Example\",\"phone\":\"01234 567890\","
  "\"methods\":[\"phone\"],\"safe_to_leave_message\":\"no\",\"safe_times\":\"Weekdays after 6pm\"},"
  "\"communication\":{\"language\":\"en\",\"interpreter\":false},"
  "\"consents\":{\"police_identifiable\":true,\"police_statistics\":true,"
  "\"support_referral\":false},"
  "\"meta\":{\"language\":\"en\",\"assisted\":false}"
  "}";

static const char description[] =
  "I was walking home from work last Tuesday when two men started shouting at me about my "
  "headscarf. They followed me for about five minutes and said they knew where I lived. When I "
  "got to my car they kicked the door and scratched a word into the paint. This is the third "
  "time something like this has happened on this street since the summer and I am frightened "
  "to walk there now. My children ask why I will not take them to the park any more. I did not "
  "report the first two times because I did not think anyone would do anything about it, but my "
  "neighbour told me about this centre and said I could report it without going to the police "
  "station. I would like someone to contact me about support.";

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
percentile (GArray *samples,
            double  fraction)
{
  guint index = (guint) (fraction * (samples->len - 1) + 0.5);

  return g_array_index (samples, gint64, index);
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("bench: %s: %s", sql, message);
}

static sqlite3 *
open_bare_database (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("bench: cannot open %s", path);
  exec_or_die (db, "PRAGMA journal_mode=WAL");
  exec_or_die (db, "PRAGMA synchronous=FULL");
  exec_or_die (db, "PRAGMA secure_delete=ON");
  exec_or_die (db, "PRAGMA trusted_schema=OFF");
  exec_or_die (db, "CREATE TABLE rows (id TEXT PRIMARY KEY, data BLOB NOT NULL)");
  sqlite3_wal_autocheckpoint (db, 0);
  return db;
}

/* The floor is a strict one: statements prepared once, as the outbox's are. */
typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *begin;
  sqlite3_stmt *insert;
  sqlite3_stmt *commit;
} Bare;

static sqlite3_stmt *
prepare_or_die (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("bench: %s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static void
step_or_die (Bare         *bare,
             sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("bench: %s: %s", sqlite3_sql (stmt), sqlite3_errmsg (bare->db));
  sqlite3_reset (stmt);
}

static void
bare_insert (Bare         *bare,
             const char   *id,
             const guint8 *data,
             gsize         len)
{
  step_or_die (bare, bare->begin);
  sqlite3_bind_text (bare->insert, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (bare->insert, 2, data, (int) len, SQLITE_TRANSIENT);
  step_or_die (bare, bare->insert);
  step_or_die (bare, bare->commit);
}

static void
bare_fold_log (Bare *bare)
{
  if (sqlite3_wal_checkpoint_v2 (bare->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)
      != SQLITE_OK)
    g_error ("bench: checkpoint: %s", sqlite3_errmsg (bare->db));
}

static void
print_times (const char *name,
             GArray     *samples)
{
  g_array_sort (samples, compare_gint64);
  printf ("%s_p50_us %" G_GINT64_FORMAT "\n", name, percentile (samples, 0.50));
  printf ("%s_p99_us %" G_GINT64_FORMAT "\n", name, percentile (samples, 0.99));
}

/* Each step of hirc_submitter_submit() timed alone, on reports of its own, with the bare commit
 * of the same bytes beside the outbox's. */
static void
time_steps (HircOutbox         *outbox,
            Bare               *bare,
            const HircTaxonomy *taxonomy,
            const char         *report_json,
            HircKey            *intake,
            HircKey            *device,
            const char         *device_id,
            gint                reports)
{
  g_autoptr(GArray) validate_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) serialise_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seal_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) enqueue_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint8 device_bytes[HIRC_ID_BYTES];

  if (!hirc_uuid_parse (device_id, device_bytes))
    g_error ("bench: the device id is not a UUID");

  for (gint i = 0; i < reports; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HircReport) report = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(HircSecureBuffer) plaintext = NULL;
      g_autoptr(GBytes) envelope = NULL;
      g_autofree guint8 *bare_data = NULL;
      g_autofree char *bare_id = hirc_uuid_new ();
      guint8 report_id[HIRC_ID_BYTES];
      gint64 t0, t1, t2, t3, t4, t5;
      gsize size;

      report = hirc_report_new_from_json (report_json, strlen (report_json), &error);
      if (report == NULL || !hirc_uuid_parse (hirc_report_get_id (report), report_id))
        g_error ("bench: %s", error != NULL ? error->message : "the report id is not a UUID");

      t0 = g_get_monotonic_time ();
      problems = hirc_report_validate (report, taxonomy);
      t1 = g_get_monotonic_time ();
      plaintext = hirc_report_serialise (report);
      t2 = g_get_monotonic_time ();
      envelope = hirc_envelope_seal (plaintext->data, plaintext->len, report_id, device_bytes,
                                     hirc_report_get_created (report), intake, device, &error);
      g_clear_pointer (&plaintext, hirc_secure_buffer_free);
      t3 = g_get_monotonic_time ();
      if (problems->len > 0 || envelope == NULL
          || !hirc_outbox_enqueue (outbox, hirc_report_get_id (report), envelope, &error))
        g_error ("bench: %s", error != NULL ? error->message : "the report is not valid");
      t4 = g_get_monotonic_time ();

      size = g_bytes_get_size (envelope);
      bare_data = g_malloc (size);
      randombytes_buf (bare_data, size);
      t5 = g_get_monotonic_time ();
      bare_insert (bare, bare_id, bare_data, size);
      t5 = g_get_monotonic_time () - t5;
      hirc_outbox_fold_log (outbox);
      bare_fold_log (bare);

      t4 -= t3;
      t3 -= t2;
      t2 -= t1;
      t1 -= t0;
      g_array_append_val (validate_times, t1);
      g_array_append_val (serialise_times, t2);
      g_array_append_val (seal_times, t3);
      g_array_append_val (enqueue_times, t4);
      g_array_append_val (bare_times, t5);
    }

  printf ("steps, each timed alone over %d more reports:\n", reports);
  print_times ("step_validate", validate_times);
  print_times ("step_serialise", serialise_times);
  print_times ("step_pad_seal_sign", seal_times);
  print_times ("step_outbox_enqueue", enqueue_times);
  print_times ("step_bare_commit", bare_times);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  gint reports = 1000;
  const GOptionEntry entries[] = {
    { "reports", 0, 0, G_OPTION_ARG_INT, &reports, "How many reports to save", "N" },
    { NULL }
  };
  const char *base = g_getenv ("HIRC_BENCH_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *outbox_path = NULL;
  g_autofree char *bare_path = NULL;
  g_autoptr(HircTaxonomy) taxonomy = NULL;
  g_autoptr(HircKey) intake = NULL;
  g_autoptr(HircKey) device = NULL;
  g_autoptr(HircSubmitter) submitter = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *area = NULL;
  g_autofree char *report_json = NULL;
  g_autoptr(GArray) save_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  Bare bare;
  HircOutbox *outbox;
  gsize envelope_bytes = 0;
  GPtrArray *areas;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || reports < 10)
    {
      fprintf (stderr, "bench-enqueue: %s\n", error ? error->message : "--reports must be >= 10");
      return 2;
    }
  if (!hirc_secure_init (&error))
    g_error ("bench: %s", error->message);

  /* Not /tmp: it may be a tmpfs, where fsync costs nothing and the comparison means nothing. */
  {
    g_autofree char *template = g_build_filename (base != NULL ? base : ".",
                                                  "bench-enqueue-XXXXXX", NULL);
    dir = g_mkdtemp (g_steal_pointer (&template));
    if (dir == NULL)
      g_error ("bench: cannot make a working folder");
  }
  outbox_path = g_build_filename (dir, "outbox.db", NULL);
  bare_path = g_build_filename (dir, "bare.db", NULL);

  taxonomy = hirc_taxonomy_new_default ();
  areas = hirc_taxonomy_get_areas (taxonomy);
  area = g_strdup (((HircArea *) g_ptr_array_index (areas, 0))->code);
  report_json = g_strdup_printf (report_template, area, description);

  intake = hirc_key_generate (HIRC_KEY_KIND_SEAL_SECRET);
  device = hirc_key_generate (HIRC_KEY_KIND_SIGN_SECRET);
  device_id = hirc_uuid_new ();
  outbox = hirc_outbox_open (outbox_path, HIRC_OUTBOX_OPEN_CREATE, &error);
  if (outbox == NULL)
    g_error ("bench: %s", error->message);
  submitter = hirc_submitter_new_for_keys (intake, device, device_id, outbox);

  bare.db = open_bare_database (bare_path);
  bare.begin = prepare_or_die (bare.db, "BEGIN IMMEDIATE");
  bare.insert = prepare_or_die (bare.db, "INSERT INTO rows (id, data) VALUES (?, ?)");
  bare.commit = prepare_or_die (bare.db, "COMMIT");

  for (gint i = 0; i < reports; i++)
    {
      g_autoptr(HircReport) report = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GBytes) envelope = NULL;
      g_autofree guint8 *bare_data = NULL;
      g_autofree char *bare_id = hirc_uuid_new ();
      gint64 start, saved, bared, save_time;

      /* Parsing stands for the journey having filled in the answers; it is not timed. */
      report = hirc_report_new_from_json (report_json, strlen (report_json), &error);
      if (report == NULL)
        g_error ("bench: %s", error->message);

      start = g_get_monotonic_time ();
      if (!hirc_submitter_submit (submitter, report, taxonomy, &problems, NULL, &error))
        g_error ("bench: %s%s", error->message,
                 problems != NULL && problems->len > 0
                   ? ((HircProblem *) g_ptr_array_index (problems, 0))->field : "");
      saved = g_get_monotonic_time ();

      if (envelope_bytes == 0)
        {
          envelope = hirc_outbox_get_envelope (outbox, hirc_report_get_id (report), &error);
          if (envelope == NULL)
            g_error ("bench: %s", error->message);
          envelope_bytes = g_bytes_get_size (envelope);
        }
      bare_data = g_malloc (envelope_bytes);
      randombytes_buf (bare_data, envelope_bytes);

      bared = g_get_monotonic_time ();
      bare_insert (&bare, bare_id, bare_data, envelope_bytes);
      bared = g_get_monotonic_time () - bared;
      hirc_outbox_fold_log (outbox);
      bare_fold_log (&bare);

      save_time = saved - start;
      g_array_append_val (save_times, save_time);
      g_array_append_val (bare_times, bared);
    }

  g_array_sort (save_times, compare_gint64);
  g_array_sort (bare_times, compare_gint64);

  printf ("reports %d, envelope %" G_GSIZE_FORMAT " bytes (plaintext %" G_GSIZE_FORMAT " bytes)\n",
          reports, envelope_bytes, strlen (report_json));
  printf ("save_report_p50_us %" G_GINT64_FORMAT "\n", percentile (save_times, 0.50));
  printf ("save_report_p99_us %" G_GINT64_FORMAT "\n", percentile (save_times, 0.99));
  printf ("bare_commit_p50_us %" G_GINT64_FORMAT "\n", percentile (bare_times, 0.50));
  printf ("bare_commit_p99_us %" G_GINT64_FORMAT "\n", percentile (bare_times, 0.99));
  printf ("p99_ratio %.2f (target <= 1.50)\n",
          (double) percentile (save_times, 0.99) / (double) percentile (bare_times, 0.99));
  printf ("p50_ratio %.2f\n",
          (double) percentile (save_times, 0.50) / (double) percentile (bare_times, 0.50));

  time_steps (outbox, &bare, taxonomy, report_json, intake, device, device_id, reports);
  sqlite3_finalize (bare.begin);
  sqlite3_finalize (bare.insert);
  sqlite3_finalize (bare.commit);
  sqlite3_close (bare.db);
  g_clear_pointer (&submitter, hirc_submitter_free);

  g_unlink (outbox_path);
  {
    g_autofree char *wal = g_strconcat (outbox_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (outbox_path, "-shm", NULL);
    g_autofree char *bare_wal = g_strconcat (bare_path, "-wal", NULL);
    g_autofree char *bare_shm = g_strconcat (bare_path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (bare_path);
    g_unlink (bare_wal);
    g_unlink (bare_shm);
  }
  g_rmdir (dir);
  return 0;
}
