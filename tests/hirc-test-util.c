/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-util.c: helpers every test program shares. */

#include "hirc-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

char *
hirc_test_make_temp_dir (const char *prefix)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return path;
}

void
hirc_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            hirc_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

gboolean
hirc_test_file_contains (const char   *path,
                         const guint8 *needle,
                         gsize         needle_len)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return memmem (contents, len, needle, needle_len) != NULL;
}

gboolean
hirc_test_tree_contains (const char   *dir_path,
                         const guint8 *needle,
                         gsize         needle_len,
                         char        **found_in)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);

  if (dir == NULL)
    return FALSE;

  for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
    {
      g_autofree char *child = g_build_filename (dir_path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (hirc_test_tree_contains (child, needle, needle_len, found_in))
            return TRUE;
        }
      else if (hirc_test_file_contains (child, needle, needle_len))
        {
          if (found_in != NULL)
            *found_in = g_steal_pointer (&child);
          return TRUE;
        }
    }
  return FALSE;
}

int
hirc_test_run (const char * const *argv,
               const char * const *envp,
               char              **standard_output,
               char              **standard_error)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL,
                     standard_output, standard_error, &wait_status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);

  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  return -1;
}

void
hirc_test_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
