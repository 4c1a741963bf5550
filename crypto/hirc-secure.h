/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-secure.h: library start-up, process hardening and buffers for plaintext and secrets. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plaintext reports and secret keys live only in these: guarded pages (sodium_malloc) that are
 * locked out of swap where the system allows, and wiped before they are freed or kept for the
 * next buffer. The byte after the last one is a guard page. */
typedef struct
{
  guint8 *data;
  gsize len;
} HircSecureBuffer;

HircSecureBuffer *hirc_secure_buffer_new           (gsize           len);
HircSecureBuffer *hirc_secure_buffer_new_from_data (gconstpointer   data,
                                                    gsize           len);
void              hirc_secure_buffer_free          (HircSecureBuffer *buffer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircSecureBuffer, hirc_secure_buffer_free)

/* Must be called once, before any thread starts, by every program that uses this layer. */
gboolean hirc_secure_init          (GError **error);

/* Forbids core dumps and ptrace attachment by other users' processes for the rest of the
 * process's life. Every kiosk process calls it; a test that needs a core dump calls
 * hirc_secure_allow_core_dumps() afterwards, explicitly. */
gboolean hirc_process_harden       (GError **error);
void     hirc_secure_allow_core_dumps (void);

/* Wipes a string held in ordinary memory (for example one json-glib produced) before it is freed. */
void     hirc_secure_wipe_string   (char *str);

G_END_DECLS
