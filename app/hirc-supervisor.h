/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-supervisor.h: hirc-kiosk's long-lived process: it runs one window process per reporter
 * and keeps the next one ready. */
#pragma once

#include "hirc-kiosk-main.h"

G_BEGIN_DECLS

/* Runs until SIGTERM or SIGINT; returns the exit code. The first session is already running
 * (first_pid, with first_fd the supervisor's end of its channel): see hirc_kiosk_main(). */
int hirc_supervisor_run (const HircKioskOptions *options,
                         GPid                    first_pid,
                         int                     first_fd);

G_END_DECLS
