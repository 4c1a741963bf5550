/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-replay.c: runs a libFuzzer target over every file of its corpus, without libFuzzer, so
 * that every build (sanitised or not) checks that no input found so far crashes it. */

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
main (int   argc,
      char *argv[])
{
  guint replayed = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s CORPUS-FOLDER\n", argv[0]);
      return 2;
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "fuzz-replay: %s\n", error->message);
      return 1;
    }

  for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          fprintf (stderr, "fuzz-replay: %s\n", error->message);
          return 1;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
      replayed++;
    }

  if (replayed == 0)
    {
      fprintf (stderr, "fuzz-replay: the corpus %s is empty\n", argv[1]);
      return 1;
    }
  printf ("replayed %u inputs from %s\n", replayed, argv[1]);
  return 0;
}
