/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: hirc-kiosk's entry point: an operator command, or the kiosk window. */

#include "hirc-cli.h"
#include "hirc-kiosk-main.h"

int
main (int   argc,
      char *argv[])
{
  if (hirc_cli_is_command_line (argc, argv))
    return hirc_cli_run (argc, argv);
  return hirc_kiosk_main (argc, argv);
}
