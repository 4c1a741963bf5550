/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-sync-client.h: the kiosk's HTTPS client for sync/PROTOCOL.md, on one reused curl handle. */
#pragma once

#include <gio/gio.h>

#include "hirc-crypto.h"
#include "hirc-kiosk-config.h"

G_BEGIN_DECLS

#define HIRC_SYNC_ERROR (hirc_sync_error_quark ())

/* Each code is a different thing for an administrator to do; hirc_sync_error_get_plain() gives
 * the sentence to show them, and the GError's message the technical detail for the log. */
typedef enum
{
  HIRC_SYNC_ERROR_FAILED,
  HIRC_SYNC_ERROR_CONFIG,             /* the kiosk's own settings are unusable */
  HIRC_SYNC_ERROR_DNS,
  HIRC_SYNC_ERROR_CONNECTION_REFUSED,
  HIRC_SYNC_ERROR_UNREACHABLE,        /* no route, network down */
  HIRC_SYNC_ERROR_TIMEOUT,            /* connect, low-speed or overall time limit */
  HIRC_SYNC_ERROR_CONNECTION_LOST,    /* reset or closed in the middle of an exchange */
  HIRC_SYNC_ERROR_PIN_MISMATCH,       /* CURLE_SSL_PINNEDPUBKEYNOTMATCH */
  HIRC_SYNC_ERROR_CERTIFICATE,        /* CURLE_PEER_FAILED_VERIFICATION: expired, unknown CA */
  HIRC_SYNC_ERROR_TLS,                /* any other handshake failure */
  HIRC_SYNC_ERROR_BAD_RESPONSE,       /* not the intake speaking: a portal page, garbage, too big */
  HIRC_SYNC_ERROR_SERVER_ERROR,       /* 5xx */
  HIRC_SYNC_ERROR_RATE_LIMITED,       /* 408 or 429 */
  HIRC_SYNC_ERROR_REJECTED,           /* another 4xx: the request itself was refused */
  HIRC_SYNC_ERROR_BAD_RECEIPT,        /* a receipt that does not prove delivery of what was sent */
  HIRC_SYNC_ERROR_DAMAGED_ENVELOPE,   /* the outbox holds other bytes than that report's envelope */
  HIRC_SYNC_ERROR_CANCELLED,
} HircSyncError;

GQuark      hirc_sync_error_quark            (void);

/* The sentence for an administrator that every error of this domain carries: what happened,
 * that reports are safe, and what to do. Never NULL for an error of this domain. */
const char *hirc_sync_error_get_plain        (const GError *error);
/* The HTTP status behind the error, or 0 when there was no HTTP answer. */
guint       hirc_sync_error_get_http_status  (const GError *error);
/* Seconds the intake asked the kiosk to wait (Retry-After), or -1 when it did not say. */
gint64      hirc_sync_error_get_retry_after  (const GError *error);
/* A stable name for the code ("pin-mismatch"), so a translated UI can choose its own sentence. */
const char *hirc_sync_error_code_to_string   (HircSyncError code);
/* The sentence for a code's name, untranslated (gettext it to show it), or NULL for a name
 * that is not one of these codes. */
const char *hirc_sync_error_code_sentence    (const char   *code);

/* Connection limits. The defaults suit a slow library Wi-Fi; tests shorten them. */
typedef struct
{
  guint connect_timeout_s;
  guint low_speed_limit;   /* bytes per second ... */
  guint low_speed_time_s;  /* ... below which, for this long, a transfer is abandoned */
  guint timeout_s;         /* a whole request, upload and answer */
} HircSyncTimeouts;

void        hirc_sync_timeouts_init_default  (HircSyncTimeouts *timeouts);

/* What one POST /v1/reports came to. */
typedef enum
{
  HIRC_SYNC_OUTCOME_DELIVERED,  /* a receipt verified against the bundle's receipt key */
  HIRC_SYNC_OUTCOME_TRANSIENT,  /* try again later; nothing about the report is wrong */
  HIRC_SYNC_OUTCOME_PERMANENT,  /* refused, or nothing proved: an administrator decides */
} HircSyncOutcome;

typedef struct
{
  char *device_id;
  char *centre_id;
  char *centre_name;
  char *status_token;
} HircEnrolment;

void        hirc_enrolment_clear             (HircEnrolment *enrolment);

typedef struct _HircSyncClient HircSyncClient;

/* Both constructors refuse a URL that is not https:// with a host and no path, and a pin list
 * that is empty or malformed: certificate verification and pinning are never optional. */
HircSyncClient *hirc_sync_client_new_for_config (const HircKioskConfig *config,
                                                 GError               **error);
/* For provisioning, before any configuration exists: the CA comes from the bundle's PEM. */
HircSyncClient *hirc_sync_client_new_for_bundle (const HircBundle      *bundle,
                                                 GError               **error);
void            hirc_sync_client_free           (HircSyncClient        *client);

void            hirc_sync_client_set_timeouts   (HircSyncClient         *client,
                                                 const HircSyncTimeouts *timeouts);

/* POST /v1/devices. proof is the device key's signature over
 * hirc_wire_enrol_proof_message(token, device public key); enrolment_token is the bundle's
 * base64. Fills out (clear it with hirc_enrolment_clear()). */
gboolean        hirc_sync_client_enrol          (HircSyncClient  *client,
                                                 const char      *enrolment_token,
                                                 const HircKey   *device_public,
                                                 GBytes          *proof,
                                                 HircEnrolment   *out,
                                                 GCancellable    *cancellable,
                                                 GError         **error);

/* POST /v1/reports, in steps, so that the next envelope can be on its way while the answer to
 * this one is checked and recorded. One post at a time may be in flight on a client.
 *
 * post_start checks that the envelope parses and carries expected_report_id (the outbox's id
 * for it) and sends it; an envelope that does not is not sent (NULL, DAMAGED_ENVELOPE, a
 * permanent failure). post_wait drives the transfer to its end; FALSE when no HTTP answer
 * came (a transient failure, or CANCELLED). post_judge decides what the answer proves:
 * DELIVERED sets receipt_json to the verified receipt (canonical JSON, for the outbox's
 * tombstone); otherwise error says why. Freeing a post still in flight abandons it. */
typedef struct _HircSyncPost HircSyncPost;

HircSyncPost   *hirc_sync_client_post_start     (HircSyncClient  *client,
                                                 const char      *expected_report_id,
                                                 GBytes          *envelope,
                                                 GError         **error);
gboolean        hirc_sync_client_post_wait      (HircSyncClient  *client,
                                                 HircSyncPost    *post,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
/* TRUE after post_wait for a 200 or 201: likely delivered, so worth sending the next one
 * before judging this one. */
gboolean        hirc_sync_post_is_success_status (const HircSyncPost *post);
HircSyncOutcome hirc_sync_client_post_judge     (HircSyncClient  *client,
                                                 HircSyncPost    *post,
                                                 GBytes         **receipt_json,
                                                 GError         **error);
void            hirc_sync_post_free             (HircSyncPost    *post);

/* GET /v1/health. */
gboolean        hirc_sync_client_health         (HircSyncClient  *client,
                                                 char           **version,
                                                 gint64          *server_time,
                                                 GCancellable    *cancellable,
                                                 GError         **error);

/* POST /v1/status: counts only, never content. */
gboolean        hirc_sync_client_post_status    (HircSyncClient  *client,
                                                 const char      *device_id,
                                                 const char      *status_token,
                                                 guint            queue_depth,
                                                 guint            rejected,
                                                 GCancellable    *cancellable,
                                                 GError         **error);

/* How an answer to POST /v1/reports is judged, apart from the transfer, so the fuzz target can
 * drive it with any bytes. retry_after is -1 when the answer gave none. */
HircSyncOutcome hirc_sync_classify_report_response (long            http_status,
                                                    const guint8   *body,
                                                    gsize           body_len,
                                                    gint64          retry_after,
                                                    const guint8    report_id[HIRC_ID_BYTES],
                                                    const guint8    envelope_hash[HIRC_HASH_BYTES],
                                                    const HircKey  *receipt_public,
                                                    GBytes        **receipt_json,
                                                    GError        **error);

/* Parses a canonical UUID into its 16 bytes. */
gboolean        hirc_sync_uuid_parse            (const char      *text,
                                                 guint8           out[HIRC_ID_BYTES]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircSyncClient, hirc_sync_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircSyncPost, hirc_sync_post_free)

G_END_DECLS
