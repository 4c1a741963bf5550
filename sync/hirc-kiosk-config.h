/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-kiosk-config.h: a kiosk's state folder, its provisioning bundle and its configuration,
 * shared by the window process and the sync service. No GTK, no network. */
#pragma once

#include <glib.h>

#include "hirc-keys.h"

G_BEGIN_DECLS

#define HIRC_BUNDLE_SCHEMA "hirc.bundle/1"
#define HIRC_CONFIG_ERROR (hirc_config_error_quark ())

typedef enum
{
  HIRC_CONFIG_ERROR_NOT_PROVISIONED,
  HIRC_CONFIG_ERROR_IO,
  HIRC_CONFIG_ERROR_INVALID,
  HIRC_CONFIG_ERROR_INSECURE,
} HircConfigError;

GQuark hirc_config_error_quark (void);

/* What the intake's enrol-centre command writes for one centre (sync/PROTOCOL.md). */
typedef struct
{
  char     *intake_url;
  HircKey  *intake_seal_public;
  HircKey  *intake_receipt_public;
  char    **tls_pins;          /* "sha256//BASE64", one to four */
  char     *ca_certificate;    /* PEM, or NULL for the system's trust store */
  char     *centre_id;
  char     *centre_name;
  char     *enrolment_token;   /* base64 of 32 bytes */
  gint64    token_expires;
} HircBundle;

/* Larger files are refused unread: a bundle is a few kilobytes, and one must fit in a request
 * on the control channel (HIRC_CONTROL_MAX_LINE) with its escaping. */
#define HIRC_BUNDLE_MAX_BYTES (24 * 1024)

HircBundle *hirc_bundle_load           (const char  *path,
                                        GError     **error);
/* The file's text, NUL-terminated, at most HIRC_BUNDLE_MAX_BYTES. */
char       *hirc_bundle_read           (const char  *path,
                                        gsize       *len,
                                        GError     **error);
HircBundle *hirc_bundle_load_from_data (const char  *data,
                                        gsize        len,
                                        GError     **error);
/* Writes the bundle as JSON, atomically, mode 0600 (it carries the enrolment token). */
gboolean    hirc_bundle_save           (const HircBundle *bundle,
                                        const char       *path,
                                        GError          **error);
void        hirc_bundle_free           (HircBundle  *bundle);

/* A provisioned kiosk: everything but the device's secret key, which only the window process
 * reads (from hirc_kiosk_config_device_key_path()). */
typedef struct
{
  char     *state_dir;
  char     *centre_id;
  char     *centre_name;
  char     *intake_url;
  HircKey  *intake_seal_public;
  HircKey  *intake_receipt_public;
  char    **tls_pins;
  char     *ca_file;           /* path of the intake's CA certificate in the state folder, or NULL */
  char     *device_id;         /* UUID assigned by the intake at enrolment */
  HircKey  *device_public;
  char     *status_token;      /* base64; lets the sync service report queue depth */
  gint64    provisioned_at;
  /* [session] settings a centre may change; defaults when absent. */
  guint     idle_timeout_seconds;    /* without input before "Are you still there?" (120) */
  guint     idle_countdown_seconds;  /* the warning's countdown before the wipe (60, at least 20) */
  /* [speech] private_output: the audio device that only headphones are connected to (a
   * PulseAudio or PipeWire sink, or an ALSA device such as "hw:1,0"); private details are read
   * aloud there and nowhere else. NULL when the kiosk has no headphones. */
  char     *speech_private_output;
  /* [health] limits beyond which `hirc-kiosk --status` calls the kiosk unhealthy. */
  guint     health_max_wait_hours;        /* a report waiting longer than this (24) */
  guint     health_min_free_megabytes;    /* less free space for the state folder (500) */
  /* [staff] settings: the first sign-in delay after too many wrong PINs (it doubles from
   * there), and how long staff screens wait without input before signing staff out. */
  guint     staff_first_delay_seconds;    /* (30, at least 1) */
  guint     staff_idle_timeout_seconds;   /* (300, at least 10) */
  /* [provision] bundle_folders: where the dashboard looks for a new provisioning bundle (a
   * USB stick's mount point), searched a few folders deep. */
  char    **bundle_folders;
} HircKioskConfig;

#define HIRC_IDLE_TIMEOUT_DEFAULT   120
#define HIRC_IDLE_COUNTDOWN_DEFAULT 60
#define HIRC_IDLE_COUNTDOWN_MINIMUM 20
#define HIRC_HEALTH_MAX_WAIT_HOURS_DEFAULT     24
#define HIRC_HEALTH_MIN_FREE_MEGABYTES_DEFAULT 500
#define HIRC_STAFF_FIRST_DELAY_DEFAULT         30
#define HIRC_STAFF_IDLE_TIMEOUT_DEFAULT        300
#define HIRC_BUNDLE_FOLDERS_DEFAULT            "/media;/run/media;/mnt"

/* The state folder: $HIRC_STATE_DIR, else the user's state folder + "hirc-kiosk". */
char            *hirc_kiosk_state_dir_default   (void);
char            *hirc_kiosk_config_path         (const char *state_dir);
char            *hirc_kiosk_outbox_path         (const char *state_dir);
char            *hirc_kiosk_device_key_path     (const char *state_dir);
char            *hirc_kiosk_socket_path         (const char *state_dir);

/* NOT_PROVISIONED when the folder holds no configuration yet. */
HircKioskConfig *hirc_kiosk_config_load         (const char *state_dir,
                                                 GError    **error);
/* Writes kiosk.conf atomically (mode 0600) and the CA certificate beside it; creates the
 * folder (0700) and its keys/ sub-folder (0700) when missing. */
gboolean         hirc_kiosk_config_save         (const HircKioskConfig *config,
                                                 const char            *ca_certificate_pem,
                                                 GError               **error);
void             hirc_kiosk_config_free         (HircKioskConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircBundle, hirc_bundle_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircKioskConfig, hirc_kiosk_config_free)

G_END_DECLS
