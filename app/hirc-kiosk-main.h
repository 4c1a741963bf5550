/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-main.h: the kiosk window's options, shared by the supervisor and the session
 * process it starts for each reporter. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *state_dir;
  char     *taxonomy_path;
  gboolean  windowed;
  int       window_width;
  int       window_height;
  /* Session processes only. */
  gboolean  session;
  gboolean  standby;       /* start hidden; present when the supervisor says "show" */
  int       supervisor_fd; /* -1 when run on its own */
} HircKioskOptions;

void      hirc_kiosk_options_clear      (HircKioskOptions *options);
/* The options a supervisor passes on to the session processes it starts, as arguments. */
GStrv     hirc_kiosk_options_to_argv    (const HircKioskOptions *options);

/* hirc-kiosk without an operator command: parses the options and runs the supervisor, or with
 * --session one reporter's window. Returns the exit code. */
int       hirc_kiosk_main               (int    argc,
                                         char **argv);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HircKioskOptions, hirc_kiosk_options_clear)

G_END_DECLS
