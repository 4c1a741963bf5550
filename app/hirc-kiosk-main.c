/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-main.c: hirc-kiosk's window side: option parsing, then the supervisor or a
 * session. */

#include "config.h"

#include "hirc-kiosk-main.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hirc-cli.h"
#include "hirc-crypto.h"
#include "hirc-kiosk-app.h"
#include "hirc-kiosk-config.h"
#include "hirc-supervisor.h"

#define DEFAULT_WINDOW_WIDTH 1280
#define DEFAULT_WINDOW_HEIGHT 800

void
hirc_kiosk_options_clear (HircKioskOptions *options)
{
  g_clear_pointer (&options->state_dir, g_free);
  g_clear_pointer (&options->taxonomy_path, g_free);
}

GStrv
hirc_kiosk_options_to_argv (const HircKioskOptions *options)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (options->state_dir != NULL)
    {
      g_strv_builder_add (builder, "--state-dir");
      g_strv_builder_add (builder, options->state_dir);
    }
  if (options->taxonomy_path != NULL)
    {
      g_strv_builder_add (builder, "--taxonomy");
      g_strv_builder_add (builder, options->taxonomy_path);
    }
  if (options->windowed)
    {
      g_autofree char *size = g_strdup_printf ("%dx%d", options->window_width,
                                               options->window_height);

      g_strv_builder_add (builder, "--windowed");
      g_strv_builder_add (builder, "--window-size");
      g_strv_builder_add (builder, size);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_size (const char *text,
            int        *width,
            int        *height)
{
  g_auto(GStrv) parts = g_strsplit_set (text, "xX", -1);
  guint64 w = 0;
  guint64 h = 0;

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 320, 16384, &w, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 240, 16384, &h, NULL))
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* The supervisor's first session is not started with exec, like the later ones, but forked
 * off here, before GLib has started a thread or GTK anything: it then starts as fast as a
 * session started on its own, without loading and initialising the program a second time. The
 * later sessions have a supervisor that is up already, and they start hidden anyway. */
static int
start_kiosk (HircKioskOptions *options)
{
  int fds[2];
  pid_t pid;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      fprintf (stderr, "hirc-kiosk: cannot make a channel for the first session: %s\n",
               strerror (errno));
      return HIRC_EXIT_FAILURE;
    }
  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "hirc-kiosk: cannot start the first session: %s\n", strerror (errno));
      return HIRC_EXIT_FAILURE;
    }
  if (pid == 0)
    {
      close (fds[0]);
      options->session = TRUE;
      options->supervisor_fd = fds[1];
      return hirc_kiosk_app_run (options);
    }
  close (fds[1]);
  return hirc_supervisor_run (options, pid, fds[0]);
}

int
hirc_kiosk_main (int    argc,
                 char **argv)
{
  g_auto(HircKioskOptions) options = { .supervisor_fd = -1 };
  g_autoptr(GOptionContext) context = NULL;
  const char *messages_locale;
  const char *localedir;
  g_autoptr(GError) error = NULL;
  g_autofree char *window_size = NULL;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.state_dir,
      N_("The kiosk's state folder (default: $HIRC_STATE_DIR or ~/.local/state/hirc-kiosk)"),
      N_("DIR") },
    { "taxonomy", 0, 0, G_OPTION_ARG_FILENAME, &options.taxonomy_path,
      N_("The partnership's taxonomy file (default: taxonomy.json in the state folder, else "
         "the built-in one)"), N_("FILE") },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, &options.windowed,
      N_("Open in a window instead of full screen, for development"), NULL },
    { "window-size", 0, 0, G_OPTION_ARG_STRING, &window_size,
      N_("The window's size with --windowed (default: 1280x800)"), N_("WIDTHxHEIGHT") },
    { "session", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &options.session,
      "Run one reporter's session (the supervisor starts these)", NULL },
    { "standby", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &options.standby,
      "With --session: start hidden and wait for the supervisor", NULL },
    { "supervisor-fd", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &options.supervisor_fd,
      "With --session: the supervisor's end of the control channel", "FD" },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE, through which the window switches language, in the "C" locale. */
  messages_locale = setlocale (LC_MESSAGES, NULL);
  if (messages_locale == NULL || g_str_equal (messages_locale, "C")
      || g_str_equal (messages_locale, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  /* HIRC_LOCALEDIR points at catalogues that are not installed: the build tree's, for tests. */
  localedir = g_getenv ("HIRC_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir
                                                                             : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* GLib decides once, at its first translation, whether to translate at all, and decides not
   * to when the default domain has no catalogue for the locale and the locale is neither "C"
   * nor en_*: true of a kiosk that starts in English under C.UTF-8, which would then never
   * show another language. It makes that first translation now, while the default domain is
   * still gettext's own, which it takes as a reason to translate. */
  (void) g_dgettext (GETTEXT_PACKAGE, "");
  textdomain (GETTEXT_PACKAGE);

  if (!hirc_secure_init (&error))
    {
      fprintf (stderr, "hirc-kiosk: %s\n", error->message);
      return HIRC_EXIT_FAILURE;
    }
  /* A session process holds a reporter's words and the device's signing key: no core dump may
   * ever hold them. A test that needs a core dump says so explicitly. */
  if (!hirc_process_harden (&error))
    {
      fprintf (stderr, "hirc-kiosk: %s\n", error->message);
      return HIRC_EXIT_FAILURE;
    }
  if (g_strcmp0 (g_getenv ("HIRC_ALLOW_CORE_DUMPS"), "1") == 0)
    hirc_secure_allow_core_dumps ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Hate incident reporting kiosk. Without a command, opens the "
                                  "reporting window; see also --submit-json, --status and "
                                  "--provision."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "hirc-kiosk: %s\n", error->message);
      return HIRC_EXIT_USAGE;
    }
  if (argc > 1)
    {
      fprintf (stderr, "hirc-kiosk: unexpected argument %s; see --help\n", argv[1]);
      return HIRC_EXIT_USAGE;
    }

  options.window_width = DEFAULT_WINDOW_WIDTH;
  options.window_height = DEFAULT_WINDOW_HEIGHT;
  if (window_size != NULL
      && !parse_size (window_size, &options.window_width, &options.window_height))
    {
      fprintf (stderr, "hirc-kiosk: --window-size must be WIDTHxHEIGHT, for example 1920x1080\n");
      return HIRC_EXIT_USAGE;
    }
  if (options.state_dir == NULL)
    options.state_dir = hirc_kiosk_state_dir_default ();

  /* Without a display there is nowhere to show the window; saying so beats a supervisor
   * restarting sessions that cannot start. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      fprintf (stderr, "hirc-kiosk: there is no display to show the kiosk window on (set "
               "DISPLAY or WAYLAND_DISPLAY), and no command was given; see --help\n");
      return HIRC_EXIT_USAGE;
    }

  if (options.session)
    return hirc_kiosk_app_run (&options);
  return start_kiosk (&options);
}
