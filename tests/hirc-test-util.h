/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-util.h: helpers every test program shares: temporary folders and searching files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty folder under the system's temporary folder; remove it with hirc_test_remove_tree(). */
char     *hirc_test_make_temp_dir (const char *prefix);
void      hirc_test_remove_tree   (const char *path);

/* TRUE when any regular file below dir (followed recursively) contains needle; the first such
 * file is returned in found_in. */
gboolean  hirc_test_tree_contains (const char   *dir,
                                   const guint8 *needle,
                                   gsize         needle_len,
                                   char        **found_in);
gboolean  hirc_test_file_contains (const char   *path,
                                   const guint8 *needle,
                                   gsize         needle_len);

/* Runs argv to completion with a bounded time, capturing its output; returns its exit status
 * (or -1 when it did not exit normally). */
int       hirc_test_run           (const char * const *argv,
                                   const char * const *envp,
                                   char              **standard_output,
                                   char              **standard_error);

/* A GSpawnChildSetupFunc: the child is killed when the test that started it ends, so a failed
 * assertion cannot leave a server or a sync service running (and the test's output open). */
void      hirc_test_die_with_parent (gpointer user_data);

G_END_DECLS
