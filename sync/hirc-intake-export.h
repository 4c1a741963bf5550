/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-export.h: decrypts the stored reports for case workers, as JSON or CSV, on the
 * workstation that holds the partnership's sealing secret key. */
#pragma once

#include <gio/gio.h>

#include "hirc-intake-store.h"
#include "hirc-keys.h"

G_BEGIN_DECLS

typedef enum
{
  HIRC_INTAKE_EXPORT_JSON,
  HIRC_INTAKE_EXPORT_CSV,
} HircIntakeExportFormat;

/* Called once for each report that cannot be opened; reason is one sentence. */
typedef void (*HircIntakeExportFailureFunc) (const char *report_id,
                                             const char *reason,
                                             gpointer    user_data);

/* Writes every report received at or after since (Unix seconds) to out, oldest first.
 *
 * JSON is an array of {"report_id", "centre_id", "device_id", "received_at",
 * "received_at_utc", "report": {…the report document…}}. CSV is the same objects flattened: one
 * row each, dotted column names ("report.incident.where"), arrays joined with "; ", a header
 * with the union of the columns in order of first appearance, RFC 4180 quoting, and text cells
 * starting with = + - @ tab or carriage return prefixed with ' so no spreadsheet runs them.
 *
 * Each envelope's signature is checked against the device registry before it is opened. A
 * report that fails is passed to on_failure and left out, and the export goes on; *n_failed
 * counts them. FALSE only when the export as a whole failed (reading the database, writing). */
gboolean hirc_intake_export (HircIntakeStore              *store,
                             const HircKey                *seal_secret,
                             HircIntakeExportFormat        format,
                             gint64                        since,
                             GOutputStream                *out,
                             HircIntakeExportFailureFunc   on_failure,
                             gpointer                      user_data,
                             guint                        *n_exported,
                             guint                        *n_failed,
                             GError                      **error);

G_END_DECLS
