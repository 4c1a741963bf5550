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

G_END_DECLS
