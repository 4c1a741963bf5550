/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-intake-store.h: the central intake's SQLite database: centres, one-time enrolment tokens,
 * the device registry and the stored envelopes with their receipts. */
#pragma once

#include <glib.h>

#include "hirc-envelope.h"

G_BEGIN_DECLS

#define HIRC_INTAKE_STORE_ERROR (hirc_intake_store_error_quark ())

typedef enum
{
  HIRC_INTAKE_STORE_ERROR_FAILED,
  /* The file is not an intake database, or one written by a newer version. */
  HIRC_INTAKE_STORE_ERROR_NOT_INTAKE,
  HIRC_INTAKE_STORE_ERROR_NOT_FOUND,
  HIRC_INTAKE_STORE_ERROR_TOKEN_INVALID,
  HIRC_INTAKE_STORE_ERROR_TOKEN_USED,
  HIRC_INTAKE_STORE_ERROR_TOKEN_EXPIRED,
  /* A different envelope is already stored under the report id. */
  HIRC_INTAKE_STORE_ERROR_CONFLICT,
} HircIntakeStoreError;

GQuark hirc_intake_store_error_quark (void);

/* Canonical lower-case UUID text ("5f0c…-…"), 36 characters and a NUL. */
#define HIRC_UUID_STRING_BYTES 37

void     hirc_uuid_format (const guint8  id[HIRC_ID_BYTES],
                           char          out[HIRC_UUID_STRING_BYTES]);
/* Accepts only the canonical lower-case form, so each id has one spelling. */
gboolean hirc_uuid_parse  (const char   *text,
                           guint8        out[HIRC_ID_BYTES]);

typedef struct _HircIntakeStore HircIntakeStore;

/* Opens or creates the database (mode 0600) with WAL, synchronous=FULL and secure_delete. The
 * path ":memory:" gives a private in-memory database, for the fuzz target. Safe to use from
 * several threads: calls are serialised inside. */
HircIntakeStore *hirc_intake_store_open   (const char       *path,
                                           GError          **error);
void             hirc_intake_store_free   (HircIntakeStore  *store);

gboolean hirc_intake_store_add_centre     (HircIntakeStore  *store,
                                           const char       *centre_id,
                                           const char       *name,
                                           const char       *intake_url,
                                           gint64            now,
                                           GError          **error);
/* NOT_FOUND when no centre has that id. */
gboolean hirc_intake_store_lookup_centre  (HircIntakeStore  *store,
                                           const char       *centre_id,
                                           char            **name,
                                           GError          **error);
/* Only the SHA-256 of a token is ever stored. */
gboolean hirc_intake_store_add_token      (HircIntakeStore  *store,
                                           const char       *centre_id,
                                           const guint8      token_sha256[HIRC_HASH_BYTES],
                                           gint64            now,
                                           gint64            expires_at,
                                           GError          **error);

typedef struct
{
  char    device_id[HIRC_UUID_STRING_BYTES];
  char   *centre_id;
  char   *centre_name;
} HircIntakeEnrolment;

void     hirc_intake_enrolment_clear      (HircIntakeEnrolment *enrolment);

/* In one transaction: checks the token (TOKEN_INVALID, TOKEN_USED, TOKEN_EXPIRED), spends it
 * and registers the device under a new id. */
gboolean hirc_intake_store_enrol_device   (HircIntakeStore      *store,
                                           const guint8          token_sha256[HIRC_HASH_BYTES],
                                           const guint8          public_key[32],
                                           const guint8          status_token_sha256[HIRC_HASH_BYTES],
                                           const char           *software_version,
                                           gint64                now,
                                           HircIntakeEnrolment  *enrolment,
                                           GError              **error);

typedef struct
{
  char    device_id[HIRC_UUID_STRING_BYTES];
  char    centre_id[HIRC_UUID_STRING_BYTES];
  guint8  public_key[32];
  guint8  status_token_sha256[HIRC_HASH_BYTES];
} HircIntakeDevice;

/* NOT_FOUND when no device has that id. */
gboolean hirc_intake_store_lookup_device  (HircIntakeStore   *store,
                                           const char        *device_id,
                                           HircIntakeDevice  *device,
                                           GError           **error);

gboolean hirc_intake_store_update_status  (HircIntakeStore  *store,
                                           const char       *device_id,
                                           gint64            queue_depth,
                                           gint64            rejected,
                                           const char       *software_version,
                                           gint64            now,
                                           GError          **error);

/* Stores the envelope with receipt_json unless the report id is taken, and commits (fsync)
 * before returning. Returns in *stored_receipt the receipt to answer with: receipt_json for a
 * new report, the receipt stored the first time for identical bytes (*duplicate set); a
 * different envelope under the id is CONFLICT. */
gboolean hirc_intake_store_put_report     (HircIntakeStore  *store,
                                           const char       *report_id,
                                           const char       *device_id,
                                           const char       *centre_id,
                                           GBytes           *envelope,
                                           const guint8      envelope_sha256[HIRC_HASH_BYTES],
                                           gint64            received_at,
                                           const char       *receipt_json,
                                           char            **stored_receipt,
                                           gboolean         *duplicate,
                                           GError          **error);

typedef struct
{
  const char   *report_id;
  const char   *device_id;
  const char   *centre_id;
  gint64        received_at;
  GBytes       *envelope;
  /* NULL when the envelope's device is not in the registry. */
  const guint8 *device_public_key;
} HircIntakeStoredReport;

/* Return FALSE to stop early. */
typedef gboolean (*HircIntakeReportFunc) (const HircIntakeStoredReport *report,
                                          gpointer                      user_data);

/* Every report received at or after since, oldest first. */
gboolean hirc_intake_store_foreach_report (HircIntakeStore      *store,
                                           gint64                since,
                                           HircIntakeReportFunc  func,
                                           gpointer              user_data,
                                           GError              **error);

#define HIRC_INTAKE_MONTHS 12

typedef struct
{
  char   *centre_id;
  char   *name;
  char   *intake_url;
  guint   n_devices;
  /* 0 when no device of the centre has been in touch yet. */
  gint64  last_contact;
  /* Sums over the centre's devices, as each last said. */
  gint64  queue_depth;
  gint64  rejected;
  /* Distinct versions, comma-separated; "" when unknown. */
  char   *software_versions;
  gint64  total_reports;
  /* Oldest first; months[i] is "YYYY-MM" (UTC) and reports[i] its count. */
  char    months[HIRC_INTAKE_MONTHS][8];
  gint64  reports[HIRC_INTAKE_MONTHS];
} HircIntakeCentreSummary;

void       hirc_intake_centre_summary_free (HircIntakeCentreSummary *summary);

/* One summary per centre, by name; the months are the twelve ending with the one holding now. */
GPtrArray *hirc_intake_store_list_centres  (HircIntakeStore  *store,
                                            gint64            now,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircIntakeStore, hirc_intake_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircIntakeCentreSummary, hirc_intake_centre_summary_free)

G_END_DECLS
