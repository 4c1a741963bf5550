/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: hirc-kiosk's entry point. */

#include "hirc-cli.h"

int
main (int   argc,
      char *argv[])
{
  return hirc_cli_run (argc, argv);
}
