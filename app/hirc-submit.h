/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-submit.h: the one path from a finished report to a sealed envelope safely in the outbox. */
#pragma once

#include <gio/gio.h>

#include "hirc-keys.h"
#include "hirc-kiosk-config.h"
#include "hirc-outbox.h"
#include "hirc-report.h"
#include "hirc-taxonomy.h"

G_BEGIN_DECLS

typedef struct _HircSubmitter HircSubmitter;

/* Loads the provisioned configuration and the device's secret key and opens the outbox. */
HircSubmitter *hirc_submitter_new          (const char    *state_dir,
                                            GError       **error);
/* Takes references to the keys and ownership of the outbox; for benchmarks and tests that
 * build the parts themselves. */
HircSubmitter *hirc_submitter_new_for_keys (HircKey       *intake_seal_public,
                                            HircKey       *device_sign_secret,
                                            const char    *device_id,
                                            HircOutbox    *outbox);
void           hirc_submitter_free         (HircSubmitter *submitter);

HircOutbox    *hirc_submitter_get_outbox   (HircSubmitter *submitter);

/* Validates, serialises, pads, seals, signs and durably queues the report. Returns TRUE only
 * once the envelope is committed. When the report has problems, returns FALSE with
 * HIRC_REPORT_ERROR_INVALID and every problem in *problems. The plaintext exists only in guarded
 * memory and is wiped before this returns. envelope_sha256 (optional) receives the hash of the
 * queued envelope. */
gboolean       hirc_submitter_submit       (HircSubmitter       *submitter,
                                            HircReport          *report,
                                            const HircTaxonomy  *taxonomy,
                                            GPtrArray          **problems,
                                            guint8              *envelope_sha256,
                                            GError             **error);

/* The same on a worker thread, so that the window never waits on an fsync. The report and the
 * taxonomy must stay alive and unchanged until the callback runs. */
void           hirc_submitter_submit_async  (HircSubmitter       *submitter,
                                             HircReport          *report,
                                             const HircTaxonomy  *taxonomy,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       hirc_submitter_submit_finish (HircSubmitter       *submitter,
                                             GAsyncResult        *result,
                                             GPtrArray          **problems,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircSubmitter, hirc_submitter_free)

G_END_DECLS
