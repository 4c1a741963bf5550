/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-cli.h: hirc-kiosk's command-line interface for operators, scripts and tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, documented in README.md. */
typedef enum
{
  HIRC_EXIT_OK = 0,
  HIRC_EXIT_FAILURE = 1,
  HIRC_EXIT_USAGE = 2,
  HIRC_EXIT_NOT_PROVISIONED = 3,
  HIRC_EXIT_REPORT_INVALID = 4,
  HIRC_EXIT_UNHEALTHY = 5,
} HircExitCode;

/* TRUE when the arguments name one of the operator commands (--submit-json, --status,
 * --provision, --version), which run without a display; otherwise the kiosk window starts. */
gboolean hirc_cli_is_command_line (int    argc,
                                   char **argv);

/* Runs the command the arguments name; returns the process's exit code. */
int hirc_cli_run (int    argc,
                  char **argv);

G_END_DECLS
