/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-provision.h: turning a centre's provisioning bundle into a working kiosk. */
#pragma once

#include <gio/gio.h>

#include "hirc-kiosk-config.h"

G_BEGIN_DECLS

#define HIRC_PROVISION_ERROR (hirc_provision_error_quark ())

typedef enum
{
  HIRC_PROVISION_ERROR_TOKEN_EXPIRED,
  HIRC_PROVISION_ERROR_REPORTS_WAITING,
  HIRC_PROVISION_ERROR_BAD_BUNDLE,     /* unreadable, or not a bundle */
} HircProvisionError;

GQuark hirc_provision_error_quark (void);

/* Generates the device key, enrols it with the intake using the bundle's one-time token,
 * stores the key (mode 0600, in its own folder), the configuration and the intake's CA, and
 * creates the outbox. Refuses while reports sealed for the current intake are still waiting.
 * Returns the new configuration. */
HircKioskConfig *hirc_provision (const char    *state_dir,
                                 const char    *bundle_path,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* The same for a kiosk already running, from the window, which has no network: the sync
 * service posts the enrolment. The centre's own settings are kept. When the enrolment fails,
 * failure_code (if not NULL) is set to the sync error's code name, for a translated sentence.
 * Afterwards the sync service still sends for the old configuration: restart it. */
HircKioskConfig *hirc_provision_through_sync (const char  *state_dir,
                                              const char  *bundle_path,
                                              char       **failure_code,
                                              GError     **error);

/* Asks the sync service to start again with the new configuration and waits (at most
 * timeout_ms) until it answers for device_id. */
gboolean         hirc_provision_restart_sync (const char  *state_dir,
                                              const char  *device_id,
                                              guint        timeout_ms,
                                              GError     **error);

/* Finishes a switch of device key that stopped between writing the configuration and putting
 * the new key in place, and removes a new key that no configuration names. */
gboolean         hirc_provision_settle_device_key (const char    *state_dir,
                                                   const HircKey *configured_public,
                                                   GError       **error);

/* A provisioning bundle found on removable storage. */
typedef struct
{
  char   *path;
  char   *centre_name;
  char   *intake_url;
  gint64  token_expires;
} HircFoundBundle;

void       hirc_found_bundle_free      (HircFoundBundle    *found);
/* The readable bundles ("*.bundle") in folders and a few folders below, sorted by path. */
GPtrArray *hirc_provision_find_bundles (const char * const *folders);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircFoundBundle, hirc_found_bundle_free)

G_END_DECLS
